/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Plan standing computations and renderings (see report.h).
*/
#include "plan/report.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "io/csv.h"

static const char cPhaseLetter[] = "PHVA";
static const char *const azPhaseName[4] = {"Planear", "Hacer", "Verificar", "Actuar"};

const char *report_light_name(Light e) {
  static const char *const az[] = {"sin dato", "rojo", "amarillo", "verde"};
  return az[e];
}

const char *report_status_name(ActStatus e) {
  static const char *const az[] = {"sin iniciar", "en curso", "con retraso", "vencida",
                                   "cumplida"};
  return az[e];
}

/* Index of activity id in r->aAct (sorted by id in aIdx), or -1. */
static int find_act(const int64_t *aId, const int *aIdx, int n, int64_t id) {
  int lo = 0, hi = n - 1;
  while (lo <= hi) {
    int mid = (lo + hi) / 2;
    if (aId[mid] == id) {
      return aIdx[mid];
    }
    if (aId[mid] < id) {
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return -1;
}

/* Parse an ISO date column; false when NULL/empty. */
static bool col_day(Stmt *s, int i, Day *pDay) {
  if (db_col_is_null(s, i) || db_col_text(s, i)[0] == 0) {
    return false;
  }
  Buf err = BUF_INIT;
  bool b = date_parse(db_col_text(s, i), pDay, &err);
  buf_reset(&err);
  return b;
}

/* Light for a compliance ratio (0..1). */
static Light light_for(const Report *r, double rCompliance) {
  double pct = rCompliance * 100.0 + 1e-9;
  if (pct < r->rRedBelow) {
    return LIGHT_RED;
  }
  if (pct < r->rYellowBelow) {
    return LIGHT_YELLOW;
  }
  return LIGHT_GREEN;
}

/* Work out expected, progress, compliance, light and status of one activity. */
static void compute_act(const Report *r, ReportAct *a, double rPeriodExpected) {
  double rTarget = a->rTarget > 0 ? a->rTarget : 1;
  a->rProgress = fmin(1.0, a->rAchieved / rTarget);
  if (a->bPeriodTargets) {
    a->rExpected = fmin(1.0, rPeriodExpected / rTarget);
  } else if (a->bStart && a->bEnd && a->end >= a->start) {
    if (r->at < a->start) {
      a->rExpected = 0;
    } else if (r->at >= a->end) {
      a->rExpected = 1;
    } else {
      a->rExpected = (double)(r->at - a->start + 1) / (double)(a->end - a->start + 1);
    }
  } else if (a->bEnd) {
    a->rExpected = r->at >= a->end ? 1 : 0;
  } else {
    a->rExpected = 0;
  }
  a->bCompliance = a->rExpected > 0;
  a->rCompliance = a->bCompliance ? fmin(1.0, a->rProgress / a->rExpected) : 0;
  a->eLight = a->bCompliance ? light_for(r, a->rCompliance) : LIGHT_NONE;
  if (a->rProgress >= 1.0 - 1e-9) {
    a->eStatus = STATUS_DONE;
  } else if (a->bEnd && r->at > a->end) {
    a->eStatus = STATUS_OVERDUE;
  } else if (!a->bCompliance) {
    a->eStatus = a->rAchieved > 0 ? STATUS_IN_PROGRESS : STATUS_NOT_STARTED;
  } else if (a->eLight == LIGHT_RED) {
    a->eStatus = STATUS_LATE;
  } else {
    a->eStatus = STATUS_IN_PROGRESS;
  }
}

/* Add activity a to roll-up g. */
static void roll_add(Rollup *g, const ReportAct *a) {
  g->nAct++;
  g->nNoData += a->nCounted == 0;
  g->rWeight += a->rWeight;
  g->rProgress += a->rWeight * a->rProgress;
  g->rExpected += a->rWeight * a->rExpected;
  g->anStatus[a->eStatus]++;
}

/* Turn sums into means and rate the group. */
static void roll_finish(const Report *r, Rollup *g) {
  if (g->rWeight > 0) {
    g->rProgress /= g->rWeight;
    g->rExpected /= g->rWeight;
  } else {
    g->rProgress = g->rExpected = 0;
  }
  g->bCompliance = g->rExpected > 1e-12;
  g->rCompliance = g->bCompliance ? fmin(1.0, g->rProgress / g->rExpected) : 0;
  g->eLight = g->bCompliance ? light_for(r, g->rCompliance) : LIGHT_NONE;
}

/* A numeric setting, or dflt. */
static double setting_num(Db *db, const char *zKey, double dflt) {
  Stmt *s = db_prepare(db, "SELECT value FROM setting WHERE key = :key");
  db_bind_text(s, ":key", zKey);
  double v = dflt;
  if (db_step(s)) {
    v = atof(db_col_text(s, 0));
  }
  db_finalize(s);
  return v;
}

void report_build(Db *db, int64_t iPlan, Day at, bool bReported, Report *r) {
  memset(r, 0, sizeof *r);
  r->at = at;
  r->bReported = bReported;
  r->rRedBelow = setting_num(db, "semaforo.rojo_hasta", 60);
  r->rYellowBelow = setting_num(db, "semaforo.amarillo_hasta", 80);
  Stmt *s = db_prepare(db, "SELECT entity, year, strategy FROM plan WHERE id = :plan");
  db_bind_int(s, ":plan", iPlan);
  if (db_step(s)) {
    r->zEntity = xstrdup(db_col_text(s, 0));
    r->iYear = (int)db_col_int(s, 1);
    r->zStrategy = xstrdup(db_col_text(s, 2));
  }
  db_finalize(s);
  /* components */
  s = db_prepare(db, "SELECT id, name FROM component WHERE plan_id = :plan ORDER BY position, id");
  db_bind_int(s, ":plan", iPlan);
  int64_t *aCompId = NULL;
  while (db_step(s)) {
    aCompId = xrealloc(aCompId, sizeof(int64_t) * (size_t)(r->nComponent + 1));
    r->azComponent = xrealloc(r->azComponent, sizeof(char *) * (size_t)(r->nComponent + 1));
    aCompId[r->nComponent] = db_col_int(s, 0);
    r->azComponent[r->nComponent++] = xstrdup(db_col_text(s, 1));
  }
  db_finalize(s);
  /* activities */
  s = db_prepare(db, "SELECT id, item, component_id, coalesce(phase, ''), start_date, end_date, "
                     "target, weight, activity, review_note FROM activity WHERE plan_id = :plan "
                     "ORDER BY item");
  db_bind_int(s, ":plan", iPlan);
  int nAlloc = 0;
  while (db_step(s)) {
    if (r->nAct == nAlloc) {
      nAlloc = nAlloc ? nAlloc * 2 : 64;
      r->aAct = xrealloc(r->aAct, sizeof(ReportAct) * (size_t)nAlloc);
    }
    ReportAct *a = &r->aAct[r->nAct++];
    memset(a, 0, sizeof *a);
    a->id = db_col_int(s, 0);
    a->iItem = (long)db_col_int(s, 1);
    a->iComponent = -1;
    int64_t iComp = db_col_is_null(s, 2) ? 0 : db_col_int(s, 2);
    for (int k = 0; k < r->nComponent && iComp; k++) {
      if (aCompId[k] == iComp) {
        a->iComponent = k;
        break;
      }
    }
    a->cPhase = db_col_text(s, 3)[0];
    a->bStart = col_day(s, 4, &a->start);
    a->bEnd = col_day(s, 5, &a->end);
    a->rTarget = db_col_double(s, 6);
    a->rWeight = db_col_double(s, 7);
    a->zActivity = xstrdup(db_col_text(s, 8));
    a->zReview = db_col_text_dup(s, 9);
    if (fabs(a->rWeight - 1.0) > 1e-12) {
      r->bWeighted = true;
    }
  }
  db_finalize(s);
  free(aCompId);
  /* index by id */
  int64_t *aId = xcalloc((size_t)r->nAct + 1, sizeof(int64_t));
  int *aIdx = xcalloc((size_t)r->nAct + 1, sizeof(int));
  for (int i = 0; i < r->nAct; i++) {
    aIdx[i] = i;
  }
  /* sort indices by id (ids mostly follow items; insertion sort is cheap then) */
  for (int i = 0; i < r->nAct; i++) {
    aId[i] = r->aAct[i].id;
  }
  for (int i = 1; i < r->nAct; i++) {
    int64_t id = aId[i];
    int ix = aIdx[i], j = i - 1;
    while (j >= 0 && aId[j] > id) {
      aId[j + 1] = aId[j];
      aIdx[j + 1] = aIdx[j];
      j--;
    }
    aId[j + 1] = id;
    aIdx[j + 1] = ix;
  }
  Buf bAt = BUF_INIT;
  date_format_iso(at, &bAt);
  /* achieved */
  s = db_prepare(db, "SELECT r.activity_id, "
                     "sum(CASE WHEN r.status = 'verificado' OR (:rep AND r.status = 'reportado') "
                     "THEN r.value ELSE 0 END), "
                     "sum(CASE WHEN r.status = 'verificado' OR (:rep AND r.status = 'reportado') "
                     "THEN 1 ELSE 0 END), "
                     "sum(CASE WHEN r.status = 'reportado' THEN 1 ELSE 0 END) "
                     "FROM progress r JOIN period p ON p.id = r.period_id "
                     "WHERE p.plan_id = :plan AND p.start_date <= :at GROUP BY r.activity_id");
  db_bind_int(s, ":plan", iPlan);
  db_bind_int(s, ":rep", bReported);
  db_bind_text(s, ":at", buf_str(&bAt));
  while (db_step(s)) {
    int i = find_act(aId, aIdx, r->nAct, db_col_int(s, 0));
    if (i >= 0) {
      r->aAct[i].rAchieved = db_col_double(s, 1);
      r->aAct[i].nCounted = (int)db_col_int(s, 2);
      r->aAct[i].nPending = (int)db_col_int(s, 3);
    }
  }
  db_finalize(s);
  /* period targets: expected so far */
  double *aPeriodExpected = xcalloc((size_t)r->nAct + 1, sizeof(double));
  s = db_prepare(db, "SELECT t.activity_id, sum(CASE WHEN p.end_date <= :at THEN t.value ELSE 0 "
                     "END) FROM target t JOIN period p ON p.id = t.period_id WHERE p.plan_id = "
                     ":plan GROUP BY t.activity_id");
  db_bind_int(s, ":plan", iPlan);
  db_bind_text(s, ":at", buf_str(&bAt));
  while (db_step(s)) {
    int i = find_act(aId, aIdx, r->nAct, db_col_int(s, 0));
    if (i >= 0) {
      r->aAct[i].bPeriodTargets = true;
      aPeriodExpected[i] = db_col_double(s, 1);
    }
  }
  db_finalize(s);
  buf_reset(&bAt);
  /* offices */
  s = db_prepare(db, "SELECT o.id, o.name FROM office o WHERE o.id IN (SELECT ao.office_id FROM "
                     "activity_office ao JOIN activity a ON a.id = ao.activity_id WHERE "
                     "a.plan_id = :plan) ORDER BY o.name");
  db_bind_int(s, ":plan", iPlan);
  int64_t *aOfficeId = NULL;
  while (db_step(s)) {
    aOfficeId = xrealloc(aOfficeId, sizeof(int64_t) * (size_t)(r->nOffice + 1));
    r->azOffice = xrealloc(r->azOffice, sizeof(char *) * (size_t)(r->nOffice + 1));
    aOfficeId[r->nOffice] = db_col_int(s, 0);
    r->azOffice[r->nOffice++] = xstrdup(db_col_text(s, 1));
  }
  db_finalize(s);
  /* office ids sorted for lookup */
  int64_t *aOffSorted = xcalloc((size_t)r->nOffice + 1, sizeof(int64_t));
  int *aOffIdx = xcalloc((size_t)r->nOffice + 1, sizeof(int));
  for (int i = 0; i < r->nOffice; i++) {
    aOffSorted[i] = aOfficeId[i];
    aOffIdx[i] = i;
  }
  for (int i = 1; i < r->nOffice; i++) {
    int64_t id = aOffSorted[i];
    int ix = aOffIdx[i], j = i - 1;
    while (j >= 0 && aOffSorted[j] > id) {
      aOffSorted[j + 1] = aOffSorted[j];
      aOffIdx[j + 1] = aOffIdx[j];
      j--;
    }
    aOffSorted[j + 1] = id;
    aOffIdx[j + 1] = ix;
  }
  s = db_prepare(db, "SELECT ao.activity_id, ao.office_id FROM activity_office ao JOIN activity "
                     "a ON a.id = ao.activity_id WHERE a.plan_id = :plan ORDER BY "
                     "ao.activity_id, ao.position");
  db_bind_int(s, ":plan", iPlan);
  while (db_step(s)) {
    int i = find_act(aId, aIdx, r->nAct, db_col_int(s, 0));
    int k = find_act(aOffSorted, aOffIdx, r->nOffice, db_col_int(s, 1));
    if (i >= 0 && k >= 0) {
      ReportAct *a = &r->aAct[i];
      a->aiOffice = xrealloc(a->aiOffice, sizeof(int) * (size_t)(a->nOffice + 1));
      a->aiOffice[a->nOffice++] = k;
    }
  }
  db_finalize(s);
  free(aOfficeId);
  free(aOffSorted);
  free(aOffIdx);
  free(aId);
  free(aIdx);
  /* compute and roll up */
  r->aComponent = xcalloc((size_t)r->nComponent + 1, sizeof(Rollup));
  r->aOffice = xcalloc((size_t)r->nOffice + 1, sizeof(Rollup));
  for (int k = 0; k < r->nComponent; k++) {
    r->aComponent[k].zName = r->azComponent[k];
  }
  for (int k = 0; k < r->nOffice; k++) {
    r->aOffice[k].zName = r->azOffice[k];
  }
  for (int k = 0; k < 4; k++) {
    r->aPhase[k].zName = azPhaseName[k];
  }
  r->total.zName = "Total del plan";
  r->unphased.zName = "Sin fase";
  for (int i = 0; i < r->nAct; i++) {
    ReportAct *a = &r->aAct[i];
    compute_act(r, a, aPeriodExpected[i]);
    roll_add(&r->total, a);
    if (a->iComponent >= 0) {
      roll_add(&r->aComponent[a->iComponent], a);
    }
    const char *zP = a->cPhase ? strchr(cPhaseLetter, a->cPhase) : NULL;
    roll_add(zP ? &r->aPhase[zP - cPhaseLetter] : &r->unphased, a);
    for (int k = 0; k < a->nOffice; k++) {
      roll_add(&r->aOffice[a->aiOffice[k]], a);
    }
  }
  free(aPeriodExpected);
  roll_finish(r, &r->total);
  roll_finish(r, &r->unphased);
  for (int k = 0; k < r->nComponent; k++) {
    roll_finish(r, &r->aComponent[k]);
  }
  for (int k = 0; k < 4; k++) {
    roll_finish(r, &r->aPhase[k]);
  }
  for (int k = 0; k < r->nOffice; k++) {
    roll_finish(r, &r->aOffice[k]);
  }
}

void report_free(Report *r) {
  for (int i = 0; i < r->nAct; i++) {
    free(r->aAct[i].zActivity);
    free(r->aAct[i].zReview);
    free(r->aAct[i].aiOffice);
  }
  free(r->aAct);
  for (int k = 0; k < r->nComponent; k++) {
    free(r->azComponent[k]);
  }
  free(r->azComponent);
  free(r->aComponent);
  for (int k = 0; k < r->nOffice; k++) {
    free(r->azOffice[k]);
  }
  free(r->azOffice);
  free(r->aOffice);
  free(r->zEntity);
  free(r->zStrategy);
  memset(r, 0, sizeof *r);
}

/* ---- text ------------------------------------------------------------------------- */

/* Append z padded (or cut with "…") to exactly nWidth code points. */
static void put_cell(Buf *p, const char *z, int nWidth, bool bRight) {
  char *zCut = text_ellipsize_dup(z, (size_t)nWidth);
  int nPad = nWidth - (int)text_width(zCut);
  if (bRight) {
    for (int i = 0; i < nPad; i++) {
      buf_putc(p, ' ');
    }
  }
  buf_puts(p, zCut);
  if (!bRight) {
    for (int i = 0; i < nPad; i++) {
      buf_putc(p, ' ');
    }
  }
  free(zCut);
}

/* "45 %" for a ratio, into a small buffer. */
static void pct(char *z, size_t n, double v) {
  snprintf(z, n, "%.0f %%", floor(v * 100.0 + 0.5));
}

/* A number without useless decimals ("2", "2.5"). */
static void num(char *z, size_t n, double v) {
  if (fabs(v - floor(v + 0.5)) < 1e-9) {
    snprintf(z, n, "%.0f", floor(v + 0.5));
  } else {
    snprintf(z, n, "%.2f", v);
  }
}

/* One roll-up line in the text report. */
static void text_rollup(Buf *p, const Rollup *g, int nName) {
  char zP[16], zE[16], zC[16];
  pct(zP, sizeof zP, g->rProgress);
  pct(zE, sizeof zE, g->rExpected);
  if (g->bCompliance) {
    pct(zC, sizeof zC, g->rCompliance);
  } else {
    snprintf(zC, sizeof zC, "—");
  }
  put_cell(p, g->zName, nName, false);
  buf_appendf(p, " %6d %9d ", g->nAct, g->nNoData);
  put_cell(p, zP, 7, true);
  buf_putc(p, ' ');
  put_cell(p, zE, 8, true);
  buf_putc(p, ' ');
  put_cell(p, zC, 7, true);
  buf_putc(p, ' ');
  put_cell(p, report_light_name(g->eLight), 8, false);
  buf_rtrim(p);
  buf_putc(p, '\n');
}

/* A roll-up table with its title. */
static void text_rollups(Buf *p, const char *zTitle, const Rollup *a, int n, const Rollup *pExtra) {
  const int nName = 44;
  buf_appendf(p, "\n%s\n", zTitle);
  put_cell(p, "Grupo", nName, false);
  buf_puts(p, " Activ. Sin datos  Avance Esperado  Cumpl. Semáforo\n");
  for (int i = 0; i < n; i++) {
    if (a[i].nAct > 0) {
      text_rollup(p, &a[i], nName);
    }
  }
  if (pExtra && pExtra->nAct > 0) {
    text_rollup(p, pExtra, nName);
  }
}

/* The sentence that states the roll-up rule, with the no-data count. */
static void rule_sentence(const Report *r, Buf *p) {
  buf_appendf(p,
              "Regla de consolidación: promedio %s del avance de las actividades; una actividad "
              "sin datos cuenta como 0 %%. Avance = logro %s / meta (máximo 100 %%). Esperado: "
              "metas por periodo vencidas (no acumuladas) / meta, o lineal entre FECHA INICIO y "
              "FECHA FINAL si no hay metas por periodo. Cumplimiento = avance / esperado. "
              "Semáforo: rojo < %g %%, amarillo < %g %%, verde desde %g %%. Actividades sin "
              "datos: %d de %d.",
              r->bWeighted ? "ponderado por el peso de cada actividad"
                           : "simple (todas las actividades pesan igual)",
              r->bReported ? "(reportado y verificado)" : "verificado", r->rRedBelow,
              r->rYellowBelow, r->rYellowBelow, r->total.nNoData, r->total.nAct);
}

/* Word-wrap z to nWidth columns into p. */
static void wrap(Buf *p, const char *z, int nWidth) {
  int nCol = 0;
  while (*z) {
    const char *zEnd = strchr(z, ' ');
    size_t nByte = zEnd ? (size_t)(zEnd - z) : strlen(z);
    char *zWord = xstrndup(z, nByte);
    int nW = (int)text_width(zWord);
    if (nCol > 0 && nCol + 1 + nW > nWidth) {
      buf_putc(p, '\n');
      nCol = 0;
    } else if (nCol > 0) {
      buf_putc(p, ' ');
      nCol++;
    }
    buf_puts(p, zWord);
    nCol += nW;
    free(zWord);
    z += nByte;
    while (*z == ' ') {
      z++;
    }
  }
  buf_putc(p, '\n');
}

void report_text(const Report *r, Buf *p) {
  Buf at = BUF_INIT;
  date_format_iso(r->at, &at);
  buf_appendf(p, "%s — plan %d\n", r->zEntity ? r->zEntity : "", r->iYear);
  if (r->zStrategy && r->zStrategy[0]) {
    buf_appendf(p, "%s\n", r->zStrategy);
  }
  buf_appendf(p, "Estado del plan al %s\n\n", buf_str(&at));
  buf_reset(&at);
  buf_puts(p, "Ítem Fase Actividad                       Meta Logro Avance Esperado Cumpl. "
              "Semáforo Estado\n");
  int nReview = 0;
  for (int i = 0; i < r->nAct; i++) {
    const ReportAct *a = &r->aAct[i];
    char zT[32], zA[32], zP[16], zE[16], zC[16];
    num(zT, sizeof zT, a->rTarget);
    num(zA, sizeof zA, a->rAchieved);
    pct(zP, sizeof zP, a->rProgress);
    pct(zE, sizeof zE, a->rExpected);
    if (a->bCompliance) {
      pct(zC, sizeof zC, a->rCompliance);
    } else {
      snprintf(zC, sizeof zC, "—");
    }
    char zItem[32], zPhase[4] = {a->cPhase ? a->cPhase : '-', 0};
    snprintf(zItem, sizeof zItem, "%ld", a->iItem);
    put_cell(p, zItem, 4, true);
    buf_putc(p, ' ');
    put_cell(p, zPhase, 4, false);
    buf_putc(p, ' ');
    put_cell(p, a->zActivity, 30, false);
    buf_putc(p, ' ');
    put_cell(p, zT, 5, true);
    buf_putc(p, ' ');
    put_cell(p, zA, 5, true);
    buf_putc(p, ' ');
    put_cell(p, zP, 6, true);
    buf_putc(p, ' ');
    put_cell(p, zE, 8, true);
    buf_putc(p, ' ');
    put_cell(p, zC, 6, true);
    buf_putc(p, ' ');
    put_cell(p, report_light_name(a->eLight), 8, false);
    buf_putc(p, ' ');
    buf_puts(p, report_status_name(a->eStatus));
    if (a->zReview) {
      buf_puts(p, " *");
      nReview++;
    }
    buf_putc(p, '\n');
  }
  if (nReview > 0) {
    buf_appendf(p, "* a revisar: %d actividad%s importada%s con errores; vea «participa plan show "
                   "ÍTEM»\n",
                nReview, nReview == 1 ? "" : "es", nReview == 1 ? "" : "s");
  }
  text_rollups(p, "Por componente", r->aComponent, r->nComponent, NULL);
  text_rollups(p, "Por fase PHVA", r->aPhase, 4, &r->unphased);
  text_rollups(p, "Por dependencia", r->aOffice, r->nOffice, NULL);
  text_rollups(p, "Plan completo", &r->total, 1, NULL);
  buf_appendf(p, "\nEstados: %d cumplida%s, %d en curso, %d con retraso, %d vencida%s, %d sin "
                 "iniciar.\n",
              r->total.anStatus[STATUS_DONE], r->total.anStatus[STATUS_DONE] == 1 ? "" : "s",
              r->total.anStatus[STATUS_IN_PROGRESS], r->total.anStatus[STATUS_LATE],
              r->total.anStatus[STATUS_OVERDUE], r->total.anStatus[STATUS_OVERDUE] == 1 ? "" : "s",
              r->total.anStatus[STATUS_NOT_STARTED]);
  Buf rule = BUF_INIT;
  rule_sentence(r, &rule);
  wrap(p, buf_str(&rule), 100);
  buf_reset(&rule);
}

/* ---- CSV ---------------------------------------------------------------------------- */

/* One CSV row of a roll-up. */
static void csv_rollup(Buf *p, const char *zKind, const Rollup *g) {
  char zP[32], zE[32], zC[32], zN[16], zND[16];
  snprintf(zP, sizeof zP, "%.4f", g->rProgress);
  snprintf(zE, sizeof zE, "%.4f", g->rExpected);
  snprintf(zC, sizeof zC, "%.4f", g->rCompliance);
  snprintf(zN, sizeof zN, "%d", g->nAct);
  snprintf(zND, sizeof zND, "%d", g->nNoData);
  const char *az[] = {zKind, g->zName, "", "", "", "", zP, zE, g->bCompliance ? zC : "",
                      report_light_name(g->eLight), "", zN, zND};
  csv_write_row(p, 13, az, ',');
}

void report_csv(const Report *r, Buf *p) {
  static const char *const azHead[] = {"nivel",     "nombre",     "item",     "fase",
                                       "meta",      "logro",      "avance",   "esperado",
                                       "cumplimiento", "semaforo", "estado",   "actividades",
                                       "sin_datos"};
  csv_write_row(p, 13, azHead, ',');
  for (int i = 0; i < r->nAct; i++) {
    const ReportAct *a = &r->aAct[i];
    char zItem[32], zT[32], zA[32], zP[32], zE[32], zC[32];
    char zPhase[2] = {a->cPhase, 0};
    snprintf(zItem, sizeof zItem, "%ld", a->iItem);
    num(zT, sizeof zT, a->rTarget);
    num(zA, sizeof zA, a->rAchieved);
    snprintf(zP, sizeof zP, "%.4f", a->rProgress);
    snprintf(zE, sizeof zE, "%.4f", a->rExpected);
    snprintf(zC, sizeof zC, "%.4f", a->rCompliance);
    const char *az[] = {"actividad", a->zActivity, zItem, zPhase, zT, zA, zP, zE,
                        a->bCompliance ? zC : "", report_light_name(a->eLight),
                        report_status_name(a->eStatus), "1", a->nCounted ? "0" : "1"};
    csv_write_row(p, 13, az, ',');
  }
  for (int k = 0; k < r->nComponent; k++) {
    csv_rollup(p, "componente", &r->aComponent[k]);
  }
  for (int k = 0; k < 4; k++) {
    csv_rollup(p, "fase", &r->aPhase[k]);
  }
  if (r->unphased.nAct) {
    csv_rollup(p, "fase", &r->unphased);
  }
  for (int k = 0; k < r->nOffice; k++) {
    csv_rollup(p, "dependencia", &r->aOffice[k]);
  }
  csv_rollup(p, "plan", &r->total);
}

/* ---- JSON ------------------------------------------------------------------------------ */

/* A JSON object for a roll-up. */
static json_t *json_rollup(const Rollup *g) {
  json_t *o = json_object();
  json_object_set_new(o, "nombre", json_string(g->zName));
  json_object_set_new(o, "actividades", json_integer(g->nAct));
  json_object_set_new(o, "sin_datos", json_integer(g->nNoData));
  json_object_set_new(o, "avance", json_real(g->rProgress));
  json_object_set_new(o, "esperado", json_real(g->rExpected));
  json_object_set_new(o, "cumplimiento", g->bCompliance ? json_real(g->rCompliance) : json_null());
  json_object_set_new(o, "semaforo", json_string(report_light_name(g->eLight)));
  return o;
}

void report_json(const Report *r, Buf *p) {
  json_t *root = json_object();
  Buf at = BUF_INIT;
  date_format_iso(r->at, &at);
  json_object_set_new(root, "entidad", json_string(r->zEntity ? r->zEntity : ""));
  json_object_set_new(root, "año", json_integer(r->iYear));
  json_object_set_new(root, "fecha_corte", json_string(buf_str(&at)));
  buf_reset(&at);
  Buf rule = BUF_INIT;
  rule_sentence(r, &rule);
  json_object_set_new(root, "regla", json_string(buf_str(&rule)));
  buf_reset(&rule);
  json_t *sem = json_object();
  json_object_set_new(sem, "rojo_menor_que", json_real(r->rRedBelow));
  json_object_set_new(sem, "amarillo_menor_que", json_real(r->rYellowBelow));
  json_object_set_new(root, "semaforo", sem);
  json_t *acts = json_array();
  for (int i = 0; i < r->nAct; i++) {
    const ReportAct *a = &r->aAct[i];
    json_t *o = json_object();
    char zPhase[2] = {a->cPhase, 0};
    json_object_set_new(o, "item", json_integer(a->iItem));
    json_object_set_new(o, "fase", a->cPhase ? json_string(zPhase) : json_null());
    json_object_set_new(o, "actividad", json_string(a->zActivity));
    json_object_set_new(o, "componente", a->iComponent >= 0
                                             ? json_string(r->azComponent[a->iComponent])
                                             : json_null());
    json_t *offs = json_array();
    for (int k = 0; k < a->nOffice; k++) {
      json_array_append_new(offs, json_string(r->azOffice[a->aiOffice[k]]));
    }
    json_object_set_new(o, "dependencias", offs);
    json_object_set_new(o, "meta", json_real(a->rTarget));
    json_object_set_new(o, "peso", json_real(a->rWeight));
    json_object_set_new(o, "logro", json_real(a->rAchieved));
    json_object_set_new(o, "reportes_contados", json_integer(a->nCounted));
    json_object_set_new(o, "reportes_pendientes", json_integer(a->nPending));
    json_object_set_new(o, "avance", json_real(a->rProgress));
    json_object_set_new(o, "esperado", json_real(a->rExpected));
    json_object_set_new(o, "esperado_segun",
                        json_string(a->bPeriodTargets ? "metas por periodo" : "fechas"));
    json_object_set_new(o, "cumplimiento", a->bCompliance ? json_real(a->rCompliance) : json_null());
    json_object_set_new(o, "semaforo", json_string(report_light_name(a->eLight)));
    json_object_set_new(o, "estado", json_string(report_status_name(a->eStatus)));
    json_object_set_new(o, "a_revisar", a->zReview ? json_string(a->zReview) : json_null());
    json_array_append_new(acts, o);
  }
  json_object_set_new(root, "actividades", acts);
  json_t *comps = json_array();
  for (int k = 0; k < r->nComponent; k++) {
    json_array_append_new(comps, json_rollup(&r->aComponent[k]));
  }
  json_object_set_new(root, "por_componente", comps);
  json_t *phases = json_array();
  for (int k = 0; k < 4; k++) {
    json_t *o = json_rollup(&r->aPhase[k]);
    char z[2] = {cPhaseLetter[k], 0};
    json_object_set_new(o, "fase", json_string(z));
    json_array_append_new(phases, o);
  }
  json_object_set_new(root, "por_fase", phases);
  json_t *offices = json_array();
  for (int k = 0; k < r->nOffice; k++) {
    json_array_append_new(offices, json_rollup(&r->aOffice[k]));
  }
  json_object_set_new(root, "por_dependencia", offices);
  json_object_set_new(root, "plan", json_rollup(&r->total));
  char *z = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
  buf_puts(p, z);
  buf_putc(p, '\n');
  free(z);
  json_decref(root);
}
