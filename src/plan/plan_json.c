/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Reading the JSON export format ("participa-plan", version 1; see
** docs/formato-json.md) into a PlanDraft, so that a JSON file goes through
** exactly the same validation as a spreadsheet. Locations in diagnostics
** name the activity's position and field ("plan.json: actividad 3, campo
** FECHA FINAL").
*/
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "base/buf.h"
#include "base/text.h"
#include "plan/plan.h"

/* Keys of the activity fields, in PlanField order. */
static const char *const azKey[PF_COUNT] = {
    "item",         "componente",  "fase",        "actividad",   "producto",       "indicador",
    "meta",         "fecha_inicio", "fecha_final", "responsable", "meta_indicador", "resultado"};

/* Text of member zKey of o: strings as they are, numbers formatted, else "". Caller frees. */
static char *member_text_dup(json_t *o, const char *zKey) {
  json_t *v = json_object_get(o, zKey);
  if (json_is_string(v)) {
    return text_trim_dup(json_string_value(v));
  }
  if (json_is_integer(v)) {
    return xasprintf("%lld", (long long)json_integer_value(v));
  }
  if (json_is_real(v)) {
    double d = json_real_value(v);
    if (fabs(d - floor(d)) < 1e-9 && fabs(d) < 1e15) {
      return xasprintf("%.0f", d);
    }
    return xasprintf("%.15g", d);
  }
  return xstrdup("");
}

/* What apply_targets needs. */
typedef struct JsonTargets {
  const Table *t; /* the table laid out from the JSON */
  json_t *acts;   /* the "actividades" array */
} JsonTargets;

/* Before validation: meta_numerica given in the file is the target (the
** text of the indicator is not read for it). */
static void apply_targets(PlanDraft *p, void *pArg) {
  JsonTargets *jt = pArg;
  for (int i = 0; i < p->nAct; i++) {
    DraftActivity *a = &p->aAct[i];
    long iJson = jt->t->aRow[a->iRow].iLine - 1;
    json_t *v = json_object_get(json_array_get(jt->acts, (size_t)iJson), "meta_numerica");
    if (json_is_number(v) && json_number_value(v) > 0) {
      a->rTarget = json_number_value(v);
      a->bTargetGiven = true;
    } else if (v != NULL && !json_is_null(v)) {
      diags_add(&p->diags, DIAG_ERROR, a->iRow, i, a->zLoc ? a->zLoc : p->zSource,
                "meta_numerica debe ser un número mayor que cero");
    }
    json_t *w = json_object_get(json_array_get(jt->acts, (size_t)iJson), "peso");
    if (json_is_number(w) && json_number_value(w) >= 0) {
      a->rWeight = json_number_value(w);
      a->bWeightGiven = true;
    } else if (w != NULL && !json_is_null(w)) {
      diags_add(&p->diags, DIAG_ERROR, a->iRow, i, a->zLoc ? a->zLoc : p->zSource,
                "peso debe ser un número mayor o igual a cero");
    }
  }
}

/* Read the draft's skeleton: everything but validation (shared with the
** table reader through plan_draft_from_json_validate). */
void plan_read_json(const char *zName, const char *z, size_t n, const PlanReadOpts *pOpts,
                    PlanDraft *p) {
  PlanReadOpts noOpts = {NULL, NULL, 0, NULL, NULL};
  if (pOpts == NULL) {
    pOpts = &noOpts;
  }
  /* Build a Table-free draft by hand, then validate. */
  Table t;
  table_init(&t, zName);
  json_error_t err;
  json_t *root = json_loadb(z, n, JSON_REJECT_DUPLICATES, &err);
  Buf msg = BUF_INIT;
  if (root == NULL) {
    buf_appendf(&msg, "%s:%d:%d: JSON mal formado: %s", zName, err.line, err.column, err.text);
  } else if (!json_is_object(root) ||
             !str_eq(json_string_value(json_object_get(root, "formato")), "participa-plan")) {
    buf_appendf(&msg, "«%s» no es un plan exportado por participa (falta \"formato\": "
                      "\"participa-plan\"); importe la matriz en CSV o XLSX",
                zName);
  } else if (json_integer_value(json_object_get(root, "version")) != 1) {
    buf_appendf(&msg, "«%s»: versión de formato no soportada; se esperaba 1", zName);
  } else if (!json_is_array(json_object_get(root, "actividades"))) {
    buf_appendf(&msg, "«%s»: falta la lista \"actividades\"", zName);
  }
  if (msg.n) {
    /* plan_read_table on an empty table gives an initialised draft */
    plan_read_table(&t, "json", pOpts, p);
    plan_draft_adopt_table(p, &t);
    diags_reset(&p->diags);
    p->bUnreadable = true;
    diags_add(&p->diags, DIAG_ERROR, -1, -1, zName, "%s", buf_str(&msg) + 0);
    buf_reset(&msg);
    json_decref(root);
    table_reset(&t);
    return;
  }
  /* Lay the JSON out as the matrix would be, then read that: one code path
  ** for validation. Row 0..: preamble, header, sub-header, activities. */
  json_t *acts = json_object_get(root, "actividades");
  json_t *periods = json_object_get(root, "periodos");
  int nPeriod = json_is_array(periods) ? (int)json_array_size(periods) : 0;
  if (nPeriod > PLAN_MAX_PERIODS) {
    nPeriod = PLAN_MAX_PERIODS;
  }
  char *zEntity = member_text_dup(root, "entidad");
  const char *azRow[PF_COUNT + PLAN_MAX_PERIODS + 1];
  int nCol = PF_COUNT - 1 + nPeriod + 1;
  azRow[0] = zEntity;
  table_add_row(&t, 0, 1, azRow);
  char *zMacro = member_text_dup(root, "macroproceso");
  char *zProceso = member_text_dup(root, "proceso");
  char *zSub = member_text_dup(root, "subproceso");
  char *zLine = xasprintf("MACROPROCESO : %s /PROCESO:%s / SUBPROCESO: %s", zMacro, zProceso, zSub);
  azRow[0] = zLine;
  table_add_row(&t, 0, 1, azRow);
  char *zPolicy = member_text_dup(root, "politica");
  char *zPolicyLine = xasprintf("NOMBRE DE LA POLÍTICA %s", zPolicy);
  azRow[0] = zPolicyLine;
  table_add_row(&t, 0, 1, azRow);
  char *zObjective = member_text_dup(root, "objetivo");
  char *zObjectiveLine = xasprintf("Objetivo %s", zObjective);
  azRow[0] = zObjectiveLine;
  table_add_row(&t, 0, 1, azRow);
  char zYear[16];
  char *zYearText = member_text_dup(root, "año"); /* a number, or a number as text */
  snprintf(zYear, sizeof zYear, "%.8s", zYearText);
  free(zYearText);
  for (int f = 0; f < PF_COUNT - 1; f++) {
    azRow[f] = azPlanFieldTitle[f];
  }
  for (int k = 0; k <= nPeriod; k++) {
    azRow[PF_COUNT - 1 + k] = k == 0 ? zYear : "";
  }
  table_add_row(&t, 0, nCol, azRow);
  char *azTitle[PLAN_MAX_PERIODS];
  /* the period columns named as the plan's scheme names them */
  const char *zScheme = json_string_value(json_object_get(root, "esquema_periodos"));
  const char *zPeriodWord = str_eq(zScheme, "cuatrimestral") ? "CUATRIMESTRE"
                            : str_eq(zScheme, "semestral")   ? "SEMESTRE"
                            : str_eq(zScheme, "anual")       ? "AÑO"
                            : str_eq(zScheme, "trimestral")  ? "TRIMESTRE"
                                                             : "PERIODO";
  for (int f = 0; f < PF_COUNT - 1; f++) {
    azRow[f] = "";
  }
  for (int k = 0; k < nPeriod; k++) {
    azTitle[k] = xasprintf("META %s %d", zPeriodWord, k + 1);
    azRow[PF_COUNT - 1 + k] = azTitle[k];
  }
  azRow[nCol - 1] = "RESULTADO";
  table_add_row(&t, 0, nCol, azRow);
  size_t nAct = json_array_size(acts);
  int nNotObject = 0; /* entries of "actividades" that are not objects */
  for (size_t i = 0; i < nAct; i++) {
    json_t *o = json_array_get(acts, i);
    if (!json_is_object(o)) {
      nNotObject++;
    }
    char *azField[PF_COUNT + PLAN_MAX_PERIODS + 1];
    for (int f = 0; f < PF_COUNT; f++) {
      azField[f] = json_is_object(o) ? member_text_dup(o, azKey[f]) : xstrdup("");
    }
    json_t *targets = json_object_get(o, "metas_periodo");
    for (int f = 0; f < PF_COUNT - 1; f++) {
      azRow[f] = azField[f];
    }
    char *azNum[PLAN_MAX_PERIODS];
    for (int k = 0; k < nPeriod; k++) {
      const char *zCode = json_string_value(json_object_get(json_array_get(periods, (size_t)k),
                                                            "codigo"));
      azNum[k] = json_is_object(targets) && zCode ? member_text_dup(targets, zCode) : xstrdup("");
      azRow[PF_COUNT - 1 + k] = azNum[k];
    }
    azRow[nCol - 1] = azField[PF_RESULT];
    table_add_row(&t, (long)i + 1, nCol, azRow);
    for (int f = 0; f < PF_COUNT; f++) {
      free(azField[f]);
    }
    for (int k = 0; k < nPeriod; k++) {
      free(azNum[k]);
    }
  }
  PlanReadOpts o = *pOpts;
  JsonTargets jt = {&t, acts};
  o.xBeforeValidate = apply_targets;
  o.pArg = &jt;
  t.zRowWord = xstrdup("actividad");
  plan_read_table(&t, "json", &o, p);
  plan_draft_adopt_table(p, &t);
  if (nNotObject > 0) {
    diags_add(&p->diags, DIAG_ERROR, -1, -1, zName,
              "%d elemento%s de \"actividades\" no %s objeto%s JSON; cada actividad va entre "
              "llaves { }",
              nNotObject, nNotObject == 1 ? "" : "s", nNotObject == 1 ? "es un" : "son",
              nNotObject == 1 ? "" : "s");
  }
  /* the strategy is not a preamble line the reader recognises in every form */
  char *zStrategy = member_text_dup(root, "estrategia");
  free(p->meta.zStrategy);
  p->meta.zStrategy = zStrategy;
  for (int k = 0; k < nPeriod; k++) {
    free(azTitle[k]);
  }
  free(zEntity);
  free(zMacro);
  free(zProceso);
  free(zSub);
  free(zLine);
  free(zPolicy);
  free(zPolicyLine);
  free(zObjective);
  free(zObjectiveLine);
  json_decref(root);
  table_reset(&t);
}
