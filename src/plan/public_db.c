/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Queries of the public pages and open data (see public_db.h). Every SQL
** text is a literal; values are bound. Columns are always named, so that
** columns added to a table later (the change log's hash chain) change
** nothing here.
*/
#include "plan/public_db.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "plan/plan_db.h"

/* ---- one activity ------------------------------------------------------------ */

/* The verified reports of activity iAct with their evidence. */
static void load_reports(Db *db, int64_t iAct, PubActivity *p) {
  Stmt *s = db_prepare(db, "SELECT r.id, p.code, r.value, r.note, coalesce(r.reviewer, ''), "
                           "coalesce(r.reviewed_at, '') FROM progress r JOIN period p ON p.id = "
                           "r.period_id WHERE r.activity_id = :act AND r.status = 'verificado' "
                           "ORDER BY r.id");
  Stmt *pEv = db_prepare(db, "SELECT id, kind, name, coalesce(mime, ''), coalesce(size, 0) FROM "
                             "evidence WHERE progress_id = :id ORDER BY id");
  db_bind_int(s, ":act", iAct);
  while (db_step(s)) {
    p->aReport = xrealloc(p->aReport, sizeof(PubReport) * (size_t)(p->nReport + 1));
    PubReport *pRep = &p->aReport[p->nReport++];
    memset(pRep, 0, sizeof *pRep);
    pRep->id = db_col_int(s, 0);
    pRep->zPeriod = xstrdup(db_col_text(s, 1));
    pRep->rValue = db_col_double(s, 2);
    pRep->zNote = xstrdup(db_col_text(s, 3));
    pRep->zReviewer = xstrdup(db_col_text(s, 4));
    pRep->zReviewedAt = xstrdup(db_col_text(s, 5));
    db_bind_int(pEv, ":id", pRep->id);
    while (db_step(pEv)) {
      pRep->aEvidence =
          xrealloc(pRep->aEvidence, sizeof(PubEvidence) * (size_t)(pRep->nEvidence + 1));
      PubEvidence *e = &pRep->aEvidence[pRep->nEvidence++];
      e->id = db_col_int(pEv, 0);
      e->bFile = strcmp(db_col_text(pEv, 1), "archivo") == 0;
      e->zName = xstrdup(db_col_text(pEv, 2));
      e->zMime = xstrdup(db_col_text(pEv, 3));
      e->nSize = db_col_int(pEv, 4);
    }
    db_reset(pEv);
  }
  db_finalize(pEv);
  db_finalize(s);
  s = db_prepare(db, "SELECT count(*) FROM progress WHERE activity_id = :act AND status = "
                     "'reportado'");
  db_bind_int(s, ":act", iAct);
  p->nPending = db_step(s) ? (int)db_col_int(s, 0) : 0;
  db_finalize(s);
}

/* The periods of plan iPlan with activity iAct's targets and verified sums. */
static void load_periods(Db *db, int64_t iPlan, int64_t iAct, PubActivity *p) {
  Stmt *s = db_prepare(db, "SELECT p.code, p.name, p.end_date, t.value, coalesce(pt.verified, 0) "
                           "FROM period p LEFT JOIN target t ON t.period_id = p.id AND "
                           "t.activity_id = :act LEFT JOIN progress_total pt ON pt.period_id = "
                           "p.id AND pt.activity_id = :act WHERE p.plan_id = :plan ORDER BY "
                           "p.position");
  db_bind_int(s, ":act", iAct);
  db_bind_int(s, ":plan", iPlan);
  while (db_step(s)) {
    p->aPeriod = xrealloc(p->aPeriod, sizeof(PubPeriod) * (size_t)(p->nPeriod + 1));
    PubPeriod *pPer = &p->aPeriod[p->nPeriod++];
    pPer->zCode = xstrdup(db_col_text(s, 0));
    pPer->zName = xstrdup(db_col_text(s, 1));
    pPer->zEnd = xstrdup(db_col_text(s, 2));
    pPer->bTarget = !db_col_is_null(s, 3);
    pPer->rTarget = db_col_double(s, 3);
    pPer->rVerified = db_col_double(s, 4);
  }
  db_finalize(s);
}

/* The change log entries about activity iAct and its reports (as
** `participa plan show ITEM` shows them). */
static void load_history(Db *db, int64_t iAct, PubActivity *p) {
  Stmt *s = plan_history_query(db, iAct, true);
  while (db_step(s)) {
    p->aChange = xrealloc(p->aChange, sizeof(PubChange) * (size_t)(p->nChange + 1));
    PubChange *c = &p->aChange[p->nChange++];
    c->zAt = xstrdup(db_col_text(s, 0));
    c->zActor = xstrdup(db_col_text(s, 1));
    c->zAction = xstrdup(db_col_text(s, 2));
    c->zDetail = xstrdup(db_col_text(s, 3));
  }
  db_finalize(s);
}

bool public_activity_load(Db *db, int64_t iPlan, long iItem, PubActivity *p) {
  memset(p, 0, sizeof *p);
  Stmt *s = db_prepare(db, "SELECT a.id, a.item, coalesce(c.name, ''), coalesce(a.phase, ''), "
                           "a.activity, a.product, a.indicator, a.goal, coalesce(a.start_date, "
                           "''), coalesce(a.end_date, ''), a.responsible, a.indicator_goal, "
                           "a.result_text, a.target FROM activity a LEFT JOIN component c ON "
                           "c.id = a.component_id WHERE a.plan_id = :plan AND a.item = :item");
  db_bind_int(s, ":plan", iPlan);
  db_bind_int(s, ":item", iItem);
  if (!db_step(s)) {
    db_finalize(s);
    return false;
  }
  p->id = db_col_int(s, 0);
  p->iItem = (long)db_col_int(s, 1);
  /* the columns 1..12 are the fields in PlanField order */
  for (int f = 0; f < PF_COUNT; f++) {
    p->azField[f] = xstrdup(db_col_text(s, f + 1));
  }
  p->rTarget = db_col_double(s, 13);
  db_finalize(s);
  s = db_prepare(db, "SELECT o.name FROM activity_office ao JOIN office o ON o.id = ao.office_id "
                     "WHERE ao.activity_id = :act ORDER BY ao.position");
  db_bind_int(s, ":act", p->id);
  while (db_step(s)) {
    p->azOffice = xrealloc(p->azOffice, sizeof(char *) * (size_t)(p->nOffice + 1));
    p->azOffice[p->nOffice++] = xstrdup(db_col_text(s, 0));
  }
  db_finalize(s);
  load_periods(db, iPlan, p->id, p);
  load_reports(db, p->id, p);
  load_history(db, p->id, p);
  return true;
}

void public_activity_free(PubActivity *p) {
  for (int f = 0; f < PF_COUNT; f++) {
    free(p->azField[f]);
  }
  for (int i = 0; i < p->nOffice; i++) {
    free(p->azOffice[i]);
  }
  free(p->azOffice);
  for (int i = 0; i < p->nPeriod; i++) {
    free(p->aPeriod[i].zCode);
    free(p->aPeriod[i].zName);
    free(p->aPeriod[i].zEnd);
  }
  free(p->aPeriod);
  for (int i = 0; i < p->nReport; i++) {
    PubReport *pRep = &p->aReport[i];
    for (int k = 0; k < pRep->nEvidence; k++) {
      free(pRep->aEvidence[k].zName);
      free(pRep->aEvidence[k].zMime);
    }
    free(pRep->aEvidence);
    free(pRep->zPeriod);
    free(pRep->zNote);
    free(pRep->zReviewer);
    free(pRep->zReviewedAt);
  }
  free(p->aReport);
  for (int i = 0; i < p->nChange; i++) {
    free(p->aChange[i].zAt);
    free(p->aChange[i].zActor);
    free(p->aChange[i].zAction);
    free(p->aChange[i].zDetail);
  }
  free(p->aChange);
  memset(p, 0, sizeof *p);
}

int public_plan_year(Db *db, int64_t iPlan) {
  Stmt *s = db_prepare(db, "SELECT year FROM plan WHERE id = :plan");
  db_bind_int(s, ":plan", iPlan);
  int iYear = db_step(s) ? (int)db_col_int(s, 0) : 0;
  db_finalize(s);
  return iYear;
}

/* ---- evidence ------------------------------------------------------------------ */

bool public_evidence_find(Db *db, int64_t iEvidence, PubEvidenceFile *p) {
  memset(p, 0, sizeof *p);
  Stmt *s = db_prepare(db, "SELECT e.kind, coalesce(e.sha256, ''), e.name, coalesce(e.mime, ''), "
                           "coalesce(e.size, 0), r.status FROM evidence e JOIN progress r ON "
                           "r.id = e.progress_id WHERE e.id = :id");
  db_bind_int(s, ":id", iEvidence);
  bool bFound = db_step(s);
  if (bFound) {
    p->bFile = strcmp(db_col_text(s, 0), "archivo") == 0;
    p->zSha256 = xstrdup(db_col_text(s, 1));
    p->zName = xstrdup(db_col_text(s, 2));
    p->zMime = xstrdup(db_col_text(s, 3));
    p->nSize = db_col_int(s, 4);
    p->bVerified = strcmp(db_col_text(s, 5), "verificado") == 0;
  }
  db_finalize(s);
  return bFound;
}

void public_evidence_file_free(PubEvidenceFile *p) {
  free(p->zSha256);
  free(p->zName);
  free(p->zMime);
  memset(p, 0, sizeof *p);
}

/* ---- many activities ------------------------------------------------------------- */

/* An activity id and its index in the caller's array. */
typedef struct IdPos {
  int64_t id; /* activity id */
  int i;      /* index in aId */
} IdPos;

/* qsort comparator for IdPos by id. */
static int idpos_cmp(const void *a, const void *b) {
  const IdPos *x = a, *y = b;
  return (x->id > y->id) - (x->id < y->id);
}

/* The ids of aId[0..n) sorted, with their positions (caller frees). */
static IdPos *idpos_sorted_new(int n, const int64_t *aId) {
  IdPos *a = xmalloc(sizeof(IdPos) * (size_t)(n > 0 ? n : 1));
  for (int i = 0; i < n; i++) {
    a[i].id = aId[i];
    a[i].i = i;
  }
  qsort(a, (size_t)n, sizeof(IdPos), idpos_cmp);
  return a;
}

/* Position of id in the sorted a[0..n), or -1. */
static int idpos_find(const IdPos *a, int n, int64_t id) {
  IdPos key = {id, 0};
  const IdPos *pHit = bsearch(&key, a, (size_t)n, sizeof(IdPos), idpos_cmp);
  return pHit ? pHit->i : -1;
}

void public_texts_load(Db *db, int64_t iPlan, int nAct, const int64_t *aId, PubTexts *p) {
  memset(p, 0, sizeof *p);
  p->n = nAct;
  size_t nSlot = (size_t)(nAct > 0 ? nAct : 1);
  p->azProduct = xcalloc(nSlot, sizeof(char *));
  p->azIndicator = xcalloc(nSlot, sizeof(char *));
  p->azGoal = xcalloc(nSlot, sizeof(char *));
  IdPos *aPos = idpos_sorted_new(nAct, aId);
  Stmt *s = db_prepare(db, "SELECT id, product, indicator, goal FROM activity WHERE plan_id = "
                           ":plan");
  db_bind_int(s, ":plan", iPlan);
  while (db_step(s)) {
    int i = idpos_find(aPos, nAct, db_col_int(s, 0));
    if (i >= 0 && p->azProduct[i] == NULL) {
      p->azProduct[i] = xstrdup(db_col_text(s, 1));
      p->azIndicator[i] = xstrdup(db_col_text(s, 2));
      p->azGoal[i] = xstrdup(db_col_text(s, 3));
    }
  }
  db_finalize(s);
  free(aPos);
  for (int i = 0; i < nAct; i++) {
    if (p->azProduct[i] == NULL) {
      p->azProduct[i] = xstrdup("");
      p->azIndicator[i] = xstrdup("");
      p->azGoal[i] = xstrdup("");
    }
  }
}

void public_texts_free(PubTexts *p) {
  for (int i = 0; i < p->n; i++) {
    free(p->azProduct[i]);
    free(p->azIndicator[i]);
    free(p->azGoal[i]);
  }
  free(p->azProduct);
  free(p->azIndicator);
  free(p->azGoal);
  memset(p, 0, sizeof *p);
}

/* Index of iPeriod in aPeriodId[0..n) (a plan has at most a dozen), or -1. */
static int period_index(const int64_t *aPeriodId, int n, int64_t iPeriod) {
  for (int k = 0; k < n; k++) {
    if (aPeriodId[k] == iPeriod) {
      return k;
    }
  }
  return -1;
}

void public_period_values_load(Db *db, int64_t iPlan, int nAct, const int64_t *aId,
                               PubPeriodValues *p) {
  memset(p, 0, sizeof *p);
  p->nAct = nAct;
  int64_t *aPeriodId = NULL;
  Stmt *s = db_prepare(db, "SELECT id, code FROM period WHERE plan_id = :plan ORDER BY position");
  db_bind_int(s, ":plan", iPlan);
  while (db_step(s)) {
    aPeriodId = xrealloc(aPeriodId, sizeof(int64_t) * (size_t)(p->nPeriod + 1));
    p->azCode = xrealloc(p->azCode, sizeof(char *) * (size_t)(p->nPeriod + 1));
    aPeriodId[p->nPeriod] = db_col_int(s, 0);
    p->azCode[p->nPeriod++] = xstrdup(db_col_text(s, 1));
  }
  db_finalize(s);
  size_t nCell = (size_t)nAct * (size_t)p->nPeriod;
  p->abTarget = xcalloc(nCell ? nCell : 1, sizeof(bool));
  p->aTarget = xcalloc(nCell ? nCell : 1, sizeof(double));
  p->aVerified = xcalloc(nCell ? nCell : 1, sizeof(double));
  IdPos *aPos = idpos_sorted_new(nAct, aId);
  s = db_prepare(db, "SELECT t.activity_id, t.period_id, t.value FROM target t JOIN period p ON "
                     "p.id = t.period_id WHERE p.plan_id = :plan");
  db_bind_int(s, ":plan", iPlan);
  while (db_step(s)) {
    int i = idpos_find(aPos, nAct, db_col_int(s, 0));
    int k = period_index(aPeriodId, p->nPeriod, db_col_int(s, 1));
    if (i >= 0 && k >= 0) {
      p->abTarget[(size_t)i * (size_t)p->nPeriod + (size_t)k] = true;
      p->aTarget[(size_t)i * (size_t)p->nPeriod + (size_t)k] = db_col_double(s, 2);
    }
  }
  db_finalize(s);
  s = db_prepare(db, "SELECT t.activity_id, t.period_id, t.verified FROM progress_total t JOIN "
                     "period p ON p.id = t.period_id WHERE p.plan_id = :plan AND t.n_verified > 0");
  db_bind_int(s, ":plan", iPlan);
  while (db_step(s)) {
    int i = idpos_find(aPos, nAct, db_col_int(s, 0));
    int k = period_index(aPeriodId, p->nPeriod, db_col_int(s, 1));
    if (i >= 0 && k >= 0) {
      p->aVerified[(size_t)i * (size_t)p->nPeriod + (size_t)k] = db_col_double(s, 2);
    }
  }
  db_finalize(s);
  free(aPos);
  free(aPeriodId);
}

void public_period_values_free(PubPeriodValues *p) {
  for (int k = 0; k < p->nPeriod; k++) {
    free(p->azCode[k]);
  }
  free(p->azCode);
  free(p->abTarget);
  free(p->aTarget);
  free(p->aVerified);
  memset(p, 0, sizeof *p);
}
