/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Plan export (see export.h).
*/
#include "plan/export.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

#include "base/buf.h"
#include "base/date.h"
#include "io/csv.h"
#include "office/office.h"
#include "plan/plan.h"
#include "plan/plan_db.h"

/* One activity as exported. */
typedef struct ExpAct {
  char *azField[PF_COUNT];             /* text per field; dates ISO; owned */
  long iItem;                          /* ITEM */
  double rTarget;                      /* numeric target */
  double rWeight;                      /* weight */
  double aTarget[PLAN_MAX_PERIODS];    /* period targets */
  bool abTarget[PLAN_MAX_PERIODS];     /* which are set */
  double rAchieved;                    /* verified total */
  int nReports;                        /* verified reports */
  char *zReview;                       /* a revisar note, or NULL */
  int nOffice;                         /* offices */
  char **azOffice;                     /* their catalogue names */
} ExpAct;

/* The whole plan as exported. */
typedef struct ExpPlan {
  char *zEntity, *zMacro, *zProceso, *zSub, *zStrategy, *zPolicy, *zObjective, *zScheme;
  int iYear;          /* plan year */
  int nPeriod;        /* periods */
  Period *aPeriod;    /* periods in order */
  int nAct;           /* activities */
  ExpAct *aAct;       /* by item */
} ExpPlan;

/* Load plan iPlan for export. */
static void load(Db *db, int64_t iPlan, ExpPlan *e) {
  memset(e, 0, sizeof *e);
  Stmt *s = db_prepare(db, "SELECT entity, year, macroproceso, proceso, subproceso, strategy, "
                           "policy, objective, period_scheme FROM plan WHERE id = :plan");
  db_bind_int(s, ":plan", iPlan);
  /* no row only after a database failure (the server answers 503) */
  ASSERT(db_step(s) || db_fault(db) != NULL);
  e->zEntity = xstrdup(db_col_text(s, 0));
  e->iYear = (int)db_col_int(s, 1);
  e->zMacro = xstrdup(db_col_text(s, 2));
  e->zProceso = xstrdup(db_col_text(s, 3));
  e->zSub = xstrdup(db_col_text(s, 4));
  e->zStrategy = xstrdup(db_col_text(s, 5));
  e->zPolicy = xstrdup(db_col_text(s, 6));
  e->zObjective = xstrdup(db_col_text(s, 7));
  e->zScheme = xstrdup(db_col_text(s, 8));
  db_finalize(s);
  e->nPeriod = plan_periods(db, iPlan, &e->aPeriod);
  if (e->nPeriod > PLAN_MAX_PERIODS) {
    e->nPeriod = PLAN_MAX_PERIODS;
  }
  s = db_prepare(db, "SELECT a.id, a.item, coalesce(c.name, ''), coalesce(a.phase, ''), "
                     "a.activity, a.product, a.indicator, a.goal, coalesce(a.start_date, ''), "
                     "coalesce(a.end_date, ''), a.responsible, a.indicator_goal, a.result_text, "
                     "a.target, a.weight, a.review_note, (SELECT sum(r.value) FROM progress r "
                     "WHERE r.activity_id = a.id AND r.status = 'verificado'), (SELECT count(*) "
                     "FROM progress r WHERE r.activity_id = a.id AND r.status = 'verificado') "
                     "FROM activity a LEFT JOIN component c ON c.id = a.component_id WHERE "
                     "a.plan_id = :plan ORDER BY a.item");
  Stmt *pT = db_prepare(db, "SELECT p.position, t.value FROM target t JOIN period p ON p.id = "
                            "t.period_id WHERE t.activity_id = :act");
  Stmt *pO = db_prepare(db, "SELECT o.name FROM activity_office ao JOIN office o ON o.id = "
                            "ao.office_id WHERE ao.activity_id = :act ORDER BY ao.position");
  db_bind_int(s, ":plan", iPlan);
  int nAlloc = 0;
  while (db_step(s)) {
    if (e->nAct == nAlloc) {
      nAlloc = nAlloc ? nAlloc * 2 : 64;
      e->aAct = xrealloc(e->aAct, sizeof(ExpAct) * (size_t)nAlloc);
    }
    ExpAct *a = &e->aAct[e->nAct++];
    memset(a, 0, sizeof *a);
    int64_t iAct = db_col_int(s, 0);
    a->iItem = (long)db_col_int(s, 1);
    a->azField[PF_ITEM] = xasprintf("%ld", a->iItem);
    for (int f = PF_COMPONENT; f < PF_COUNT; f++) {
      a->azField[f] = xstrdup(db_col_text(s, f + 1));
    }
    a->rTarget = db_col_double(s, 13);
    a->rWeight = db_col_double(s, 14);
    a->zReview = db_col_text_dup(s, 15);
    a->rAchieved = db_col_double(s, 16);
    a->nReports = (int)db_col_int(s, 17);
    db_bind_int(pT, ":act", iAct);
    while (db_step(pT)) {
      int k = (int)db_col_int(pT, 0) - 1;
      if (k >= 0 && k < e->nPeriod) {
        a->aTarget[k] = db_col_double(pT, 1);
        a->abTarget[k] = true;
      }
    }
    db_reset(pT);
    db_bind_int(pO, ":act", iAct);
    while (db_step(pO)) {
      a->azOffice = xrealloc(a->azOffice, sizeof(char *) * (size_t)(a->nOffice + 1));
      a->azOffice[a->nOffice++] = xstrdup(db_col_text(pO, 0));
    }
    db_reset(pO);
  }
  db_finalize(pT);
  db_finalize(pO);
  db_finalize(s);
}

/* Free what load() filled. */
static void unload(ExpPlan *e) {
  for (int i = 0; i < e->nAct; i++) {
    for (int f = 0; f < PF_COUNT; f++) {
      free(e->aAct[i].azField[f]);
    }
    free(e->aAct[i].zReview);
    office_names_free(e->aAct[i].nOffice, e->aAct[i].azOffice);
  }
  free(e->aAct);
  plan_periods_free(e->nPeriod, e->aPeriod);
  free(e->zEntity);
  free(e->zMacro);
  free(e->zProceso);
  free(e->zSub);
  free(e->zStrategy);
  free(e->zPolicy);
  free(e->zObjective);
  free(e->zScheme);
}

/* "1-febrero-2021" for an ISO date; "" stays "". Caller frees. */
static char *spanish_date_dup(const char *zIso) {
  Day d;
  Buf b = BUF_INIT;
  if (zIso[0] && date_parse(zIso, &d, &b)) {
    buf_clear(&b);
    date_format_plan(d, &b);
  } else {
    buf_clear(&b);
  }
  return buf_take(&b);
}

/* A number without useless decimals. Caller frees. */
static char *num_dup(double v) {
  if (fabs(v - floor(v + 0.5)) < 1e-9) {
    return xasprintf("%.0f", floor(v + 0.5));
  }
  return xasprintf("%.6g", v);
}

/* Title of period column k ("META TRIMESTRE 1"). Caller frees. */
static char *period_title_dup(const ExpPlan *e, int k) {
  const char *zWord = "PERIODO";
  if (strcmp(e->zScheme, "trimestral") == 0) {
    zWord = "TRIMESTRE";
  } else if (strcmp(e->zScheme, "cuatrimestral") == 0) {
    zWord = "CUATRIMESTRE";
  } else if (strcmp(e->zScheme, "semestral") == 0) {
    zWord = "SEMESTRE";
  } else if (strcmp(e->zScheme, "anual") == 0) {
    zWord = "AÑO";
  }
  return xasprintf("META %s %d", zWord, k + 1);
}

/* The RESULTADO cell: the verified total when there are reports, else the
** text imported. Caller frees. */
static char *result_dup(const ExpAct *a) {
  return a->nReports > 0 ? num_dup(a->rAchieved) : xstrdup(a->azField[PF_RESULT]);
}

/* Preamble lines, in the seed's order. */
static int preamble(const ExpPlan *e, char **az) {
  int n = 0;
  az[n++] = xstrdup(e->zEntity);
  if (e->zMacro[0] || e->zProceso[0] || e->zSub[0]) {
    az[n++] = xasprintf("MACROPROCESO : %s /PROCESO:%s / SUBPROCESO: %s", e->zMacro, e->zProceso,
                        e->zSub);
  }
  if (e->zStrategy[0]) {
    az[n++] = xstrdup(e->zStrategy);
  }
  if (e->zPolicy[0]) {
    az[n++] = xasprintf("NOMBRE DE LA POLÍTICA %s", e->zPolicy);
  }
  if (e->zObjective[0]) {
    az[n++] = xasprintf("Objetivo %s", e->zObjective);
  }
  return n;
}

/* Receives one row of the matrix: nCell cells az (0 for a blank line), and
** the activity it shows (NULL for preamble and header rows). */
typedef void (*RowFunc)(void *pArg, int iRow, int nCell, const char *const *az, const ExpAct *a);

/* Matrix columns: fields except RESULTADO, then periods, then RESULTADO. */
static int n_columns(const ExpPlan *e) {
  return PF_COUNT - 1 + e->nPeriod + 1;
}

/* Lay plan e out as the matrix it was read from (preamble, two header rows,
** one row per activity) and hand each row to xRow. */
static void walk_matrix(const ExpPlan *e, RowFunc xRow, void *pArg) {
  int nCol = n_columns(e);
  const char **az = xcalloc((size_t)nCol, sizeof(char *));
  char *azPre[8];
  int nPre = preamble(e, azPre);
  int iRow = 0;
  for (int i = 0; i < nPre; i++) {
    az[0] = azPre[i];
    xRow(pArg, iRow++, 1, az, NULL);
    xRow(pArg, iRow++, 0, az, NULL);
  }
  /* header row 1 */
  char zYear[16];
  snprintf(zYear, sizeof zYear, "%d", e->iYear);
  for (int f = 0; f < PF_COUNT - 1; f++) {
    az[f] = azPlanFieldTitle[f];
  }
  for (int k = 0; k < e->nPeriod + 1; k++) {
    az[PF_COUNT - 1 + k] = k == 0 ? zYear : "";
  }
  xRow(pArg, iRow++, nCol, az, NULL);
  /* header row 2 */
  char **azPeriod = xcalloc((size_t)e->nPeriod + 1, sizeof(char *));
  for (int f = 0; f < PF_COUNT - 1; f++) {
    az[f] = "";
  }
  for (int k = 0; k < e->nPeriod; k++) {
    azPeriod[k] = period_title_dup(e, k);
    az[PF_COUNT - 1 + k] = azPeriod[k];
  }
  az[nCol - 1] = azPlanFieldTitle[PF_RESULT];
  xRow(pArg, iRow++, nCol, az, NULL);
  for (int i = 0; i < e->nAct; i++) {
    const ExpAct *a = &e->aAct[i];
    char *zStart = spanish_date_dup(a->azField[PF_START]);
    char *zEnd = spanish_date_dup(a->azField[PF_END]);
    char *azNum[PLAN_MAX_PERIODS];
    for (int f = 0; f < PF_COUNT - 1; f++) {
      az[f] = a->azField[f];
    }
    az[PF_START] = zStart;
    az[PF_END] = zEnd;
    if (a->azField[PF_PHASE][0]) {
      static char azPhase[4][3] = {"P:", "H:", "V:", "A:"};
      const char *zP = strchr("PHVA", a->azField[PF_PHASE][0]);
      az[PF_PHASE] = zP ? azPhase[zP - "PHVA"] : a->azField[PF_PHASE];
    }
    for (int k = 0; k < e->nPeriod; k++) {
      azNum[k] = a->abTarget[k] ? num_dup(a->aTarget[k]) : xstrdup("");
      az[PF_COUNT - 1 + k] = azNum[k];
    }
    char *zResult = result_dup(a);
    az[nCol - 1] = zResult;
    xRow(pArg, iRow++, nCol, az, a);
    for (int k = 0; k < e->nPeriod; k++) {
      free(azNum[k]);
    }
    free(zResult);
    free(zStart);
    free(zEnd);
  }
  for (int k = 0; k < e->nPeriod; k++) {
    free(azPeriod[k]);
  }
  free(azPeriod);
  for (int i = 0; i < nPre; i++) {
    free(azPre[i]);
  }
  free(az);
}

/* RowFunc writing CSV into a Buf. */
static void csv_row(void *pArg, int iRow, int nCell, const char *const *az, const ExpAct *a) {
  (void)iRow;
  (void)a;
  Buf *p = pArg;
  if (nCell == 0) {
    buf_puts(p, "\r\n");
  } else {
    csv_write_row(p, nCell, az, ';');
  }
}

/* Write all of b to zPath (or stdout). */
static bool write_out(const Buf *b, const char *zPath, char **pzErr) {
  FILE *f = zPath ? fopen(zPath, "wb") : stdout;
  if (f == NULL) {
    *pzErr = xasprintf("no se puede escribir «%s»: %s", zPath, os_error(errno));
    return false;
  }
  bool bOk = fwrite(buf_str(b), 1, b->n, f) == b->n;
  bOk = (zPath ? fclose(f) == 0 : fflush(f) == 0) && bOk;
  if (!bOk) {
    *pzErr = xasprintf("error al escribir «%s»: %s", zPath ? zPath : "la salida",
                       os_error(errno));
  }
  return bOk;
}

/* Context of the XLSX writer. */
typedef struct XlsxCtx {
  lxw_worksheet *ws;       /* the sheet */
  lxw_format *pHead;       /* header format */
  lxw_format *pWrap;       /* text format */
  lxw_format *pDate;       /* date format */
  int nPreamble;           /* preamble rows */
} XlsxCtx;

/* RowFunc writing XLSX cells. */
static void xlsx_row(void *pArg, int iRow, int nCell, const char *const *az, const ExpAct *a) {
  XlsxCtx *c = pArg;
  for (int i = 0; i < nCell; i++) {
    const char *z = az[i];
    if (z[0] == 0) {
      continue;
    }
    double v;
    bool bHeader = a == NULL && nCell > 1;
    if (a && (i == PF_START || i == PF_END)) {
      Day d;
      Buf err = BUF_INIT;
      const char *zIso = a->azField[i];
      if (date_parse(zIso, &d, &err)) {
        int y, m, dd;
        date_to_ymd(d, &y, &m, &dd);
        lxw_datetime dt = {y, m, dd, 0, 0, 0};
        worksheet_write_datetime(c->ws, (lxw_row_t)iRow, (lxw_col_t)i, &dt, c->pDate);
      } else {
        worksheet_write_string(c->ws, (lxw_row_t)iRow, (lxw_col_t)i, z, c->pWrap);
      }
      buf_reset(&err);
    } else if (a && i != PF_INDICATOR_GOAL && i != PF_PHASE && plan_parse_number(z, &v) &&
               (i == PF_ITEM || i >= PF_COUNT - 1)) {
      worksheet_write_number(c->ws, (lxw_row_t)iRow, (lxw_col_t)i, v, NULL);
    } else {
      worksheet_write_string(c->ws, (lxw_row_t)iRow, (lxw_col_t)i, z,
                             bHeader ? c->pHead : c->pWrap);
    }
  }
}

/* Write the plan as XLSX to zPath. */
static bool export_xlsx(const ExpPlan *e, const char *zPath, char **pzErr) {
  lxw_workbook_options opt = {.constant_memory = LXW_FALSE, .tmpdir = NULL};
  lxw_workbook *wb = workbook_new_opt(zPath, &opt);
  if (wb == NULL) {
    *pzErr = xasprintf("no se puede crear «%s»", zPath);
    return false;
  }
  XlsxCtx c;
  memset(&c, 0, sizeof c);
  c.ws = workbook_add_worksheet(wb, "Plan de acción");
  c.pHead = workbook_add_format(wb);
  format_set_bold(c.pHead);
  format_set_text_wrap(c.pHead);
  format_set_align(c.pHead, LXW_ALIGN_VERTICAL_TOP);
  c.pWrap = workbook_add_format(wb);
  format_set_text_wrap(c.pWrap);
  format_set_align(c.pWrap, LXW_ALIGN_VERTICAL_TOP);
  c.pDate = workbook_add_format(wb);
  format_set_num_format(c.pDate, "d-mmm-yyyy");
  format_set_align(c.pDate, LXW_ALIGN_VERTICAL_TOP);
  worksheet_set_column(c.ws, 0, 0, 6, NULL);
  worksheet_set_column(c.ws, 1, (lxw_col_t)(PF_COUNT - 2), 30, NULL);
  worksheet_set_column(c.ws, PF_START, PF_END, 13, NULL);
  walk_matrix(e, xlsx_row, &c);
  lxw_error rc = workbook_close(wb);
  if (rc != LXW_NO_ERROR) {
    *pzErr = xasprintf("no se pudo escribir «%s»: revise que la carpeta exista y que tenga "
                       "permiso de escritura (código %d de libxlsxwriter)",
                       zPath, (int)rc);
    return false;
  }
  return true;
}

/* Write the plan as JSON into b. */
static void export_json(const ExpPlan *e, Buf *b) {
  json_t *root = json_object();
  json_object_set_new(root, "formato", json_string("participa-plan"));
  json_object_set_new(root, "version", json_integer(1));
  json_object_set_new(root, "entidad", json_string(e->zEntity));
  json_object_set_new(root, "año", json_integer(e->iYear));
  json_object_set_new(root, "macroproceso", json_string(e->zMacro));
  json_object_set_new(root, "proceso", json_string(e->zProceso));
  json_object_set_new(root, "subproceso", json_string(e->zSub));
  json_object_set_new(root, "estrategia", json_string(e->zStrategy));
  json_object_set_new(root, "politica", json_string(e->zPolicy));
  json_object_set_new(root, "objetivo", json_string(e->zObjective));
  json_object_set_new(root, "esquema_periodos", json_string(e->zScheme));
  json_t *periods = json_array();
  for (int k = 0; k < e->nPeriod; k++) {
    json_t *o = json_object();
    Buf b1 = BUF_INIT, b2 = BUF_INIT;
    date_format_iso(e->aPeriod[k].start, &b1);
    date_format_iso(e->aPeriod[k].end, &b2);
    json_object_set_new(o, "codigo", json_string(e->aPeriod[k].zCode));
    json_object_set_new(o, "nombre", json_string(e->aPeriod[k].zName));
    json_object_set_new(o, "inicio", json_string(buf_str(&b1)));
    json_object_set_new(o, "corte", json_string(buf_str(&b2)));
    buf_reset(&b1);
    buf_reset(&b2);
    json_array_append_new(periods, o);
  }
  json_object_set_new(root, "periodos", periods);
  static const char *const azKey[PF_COUNT] = {
      "item",         "componente",  "fase",       "actividad",     "producto",  "indicador",
      "meta",         "fecha_inicio", "fecha_final", "responsable", "meta_indicador",
      "resultado"};
  json_t *acts = json_array();
  for (int i = 0; i < e->nAct; i++) {
    const ExpAct *a = &e->aAct[i];
    json_t *o = json_object();
    json_object_set_new(o, "item", json_integer(a->iItem));
    for (int f = PF_COMPONENT; f < PF_COUNT; f++) {
      if (f == PF_RESULT) {
        char *z = result_dup(a);
        json_object_set_new(o, azKey[f], json_string(z));
        free(z);
      } else {
        json_object_set_new(o, azKey[f], json_string(a->azField[f]));
      }
    }
    json_t *offs = json_array();
    for (int k = 0; k < a->nOffice; k++) {
      json_array_append_new(offs, json_string(a->azOffice[k]));
    }
    json_object_set_new(o, "dependencias", offs);
    json_object_set_new(o, "meta_numerica", json_real(a->rTarget));
    json_object_set_new(o, "peso", json_real(a->rWeight));
    json_t *targets = json_object();
    for (int k = 0; k < e->nPeriod; k++) {
      if (a->abTarget[k]) {
        json_object_set_new(targets, e->aPeriod[k].zCode, json_real(a->aTarget[k]));
      }
    }
    json_object_set_new(o, "metas_periodo", targets);
    json_object_set_new(o, "logro_verificado", json_real(a->rAchieved));
    json_object_set_new(o, "a_revisar", a->zReview ? json_string(a->zReview) : json_null());
    json_array_append_new(acts, o);
  }
  json_object_set_new(root, "actividades", acts);
  char *z = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
  buf_puts(b, z);
  buf_putc(b, '\n');
  free(z);
  json_decref(root);
}

bool plan_export(Db *db, int64_t iPlan, ExportFormat eFormat, const char *zPath, char **pzErr) {
  ExpPlan e;
  load(db, iPlan, &e);
  bool bOk;
  if (eFormat == EXPORT_XLSX) {
    bOk = export_xlsx(&e, zPath, pzErr);
  } else {
    Buf b = BUF_INIT;
    if (eFormat == EXPORT_CSV) {
      buf_puts(&b, "\xef\xbb\xbf");
      walk_matrix(&e, csv_row, &b);
    } else {
      export_json(&e, &b);
    }
    bOk = write_out(&b, zPath, pzErr);
    buf_reset(&b);
  }
  unload(&e);
  return bOk;
}
