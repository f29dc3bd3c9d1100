/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Plan standing computations and renderings (see report.h).
*/
#include "plan/report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "base/text.h"
#include "db/reader.h"
#include "db/setting.h"
#include "io/csv.h"
#include "io/jsonw.h"

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

/* Parse an ISO date column ("YYYY-MM-DD", as this program stores dates);
** false when NULL, empty or malformed. */
static bool col_day(Stmt *s, int i, Day *pDay) {
  return !db_col_is_null(s, i) && date_parse_iso(db_col_text(s, i), pDay);
}

/* An id and the index it maps to, for binary search. */
typedef struct IdIdx {
  int64_t id; /* row id */
  int i;      /* index in the caller's array */
} IdIdx;

/* qsort comparator for IdIdx by id. */
static int ididx_cmp(const void *a, const void *b) {
  const IdIdx *x = a, *y = b;
  return (x->id > y->id) - (x->id < y->id);
}

/* Index mapped to id in a[0..n) (sorted by id), or -1. */
static int ididx_find(const IdIdx *a, int n, int64_t id) {
  int lo = 0, hi = n - 1;
  while (lo <= hi) {
    int mid = lo + (hi - lo) / 2;
    if (a[mid].id == id) {
      return a[mid].i;
    }
    if (a[mid].id < id) {
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return -1;
}

/* Ids to indices: a direct table when the ids are dense (the usual case:
** rows inserted together), else binary search over sorted pairs. */
typedef struct IdMap {
  int64_t iMin;   /* smallest id */
  int64_t nSpan;  /* size of aDirect, 0 when not direct */
  int *aDirect;   /* index + 1 by id - iMin; 0 for none */
  IdIdx *aSorted; /* pairs sorted by id (when not direct) */
  int n;          /* pairs */
} IdMap;

/* Build m from the n pairs a (copied). */
static void idmap_init(IdMap *m, const IdIdx *a, int n) {
  memset(m, 0, sizeof *m);
  m->n = n;
  if (n == 0) {
    return;
  }
  int64_t iMin = a[0].id, iMax = a[0].id;
  for (int k = 1; k < n; k++) {
    iMin = a[k].id < iMin ? a[k].id : iMin;
    iMax = a[k].id > iMax ? a[k].id : iMax;
  }
  if (iMax - iMin < 4 * (int64_t)n + 64) {
    m->iMin = iMin;
    m->nSpan = iMax - iMin + 1;
    m->aDirect = xcalloc((size_t)m->nSpan, sizeof(int));
    for (int k = 0; k < n; k++) {
      m->aDirect[a[k].id - iMin] = a[k].i + 1;
    }
  } else {
    m->aSorted = xmalloc(sizeof(IdIdx) * (size_t)n);
    memcpy(m->aSorted, a, sizeof(IdIdx) * (size_t)n);
    qsort(m->aSorted, (size_t)n, sizeof(IdIdx), ididx_cmp);
  }
}

/* Index of id, or -1. */
static int idmap_find(const IdMap *m, int64_t id) {
  if (m->aDirect) {
    int64_t k = id - m->iMin;
    return (k >= 0 && k < m->nSpan) ? m->aDirect[k] - 1 : -1;
  }
  return m->aSorted ? ididx_find(m->aSorted, m->n, id) : -1;
}

/* Free what m holds. */
static void idmap_reset(IdMap *m) {
  free(m->aDirect);
  free(m->aSorted);
  memset(m, 0, sizeof *m);
}

/* The activities' texts and progress totals, read by a parallel reader
** (db/reader.h) while the caller's connection reads the rest: on two cores
** this nearly halves the time of a large report. */
typedef struct TextJob {
  int64_t iPlan;     /* plan */
  int n;             /* rows read */
  int64_t *aId;      /* activity ids */
  char **azActivity; /* ACTIVIDAD texts (owned until moved) */
  char **azReview;   /* review notes or NULL (owned until moved) */
  const char *zAt;   /* report date, ISO */
  int nTotal;        /* progress totals read */
  int64_t *aTotalId; /* their activity ids */
  double *aTotal;    /* 4 per total: verified, n verified, reported, n reported */
  int64_t iToken;    /* last change-log id this connection saw */
} TextJob;

/* Read the texts of job->iPlan into job on connection db (a DbReadFunc;
** pArg is the TextJob). Appends to what job holds: start from an empty
** job. Never fails (a fault on a soft-fault connection leaves job short,
** which its caller detects). */
static void read_texts(Db *db, void *pArg) {
  TextJob *job = pArg;
  job->iToken = audit_last_id(db);
  Stmt *s = db_prepare(db, "SELECT id, activity, review_note FROM activity WHERE plan_id = :plan");
  db_bind_int(s, ":plan", job->iPlan);
  int nAlloc = 0;
  while (db_step(s)) {
    if (job->n == nAlloc) {
      nAlloc = nAlloc ? nAlloc * 2 : 1024;
      job->aId = xrealloc(job->aId, sizeof(int64_t) * (size_t)nAlloc);
      job->azActivity = xrealloc(job->azActivity, sizeof(char *) * (size_t)nAlloc);
      job->azReview = xrealloc(job->azReview, sizeof(char *) * (size_t)nAlloc);
    }
    job->aId[job->n] = db_col_int(s, 0);
    job->azActivity[job->n] = xstrdup(db_col_text(s, 1));
    job->azReview[job->n] = db_col_text_dup(s, 2);
    job->n++;
  }
  db_finalize(s);
  /* progress totals of the periods begun by the date (kept by triggers) */
  s = db_prepare(db, "SELECT t.activity_id, t.verified, t.n_verified, t.reported, t.n_reported "
                     "FROM progress_total t WHERE t.period_id IN (SELECT id FROM period WHERE "
                     "plan_id = :plan AND start_date <= :at)");
  db_bind_int(s, ":plan", job->iPlan);
  db_bind_text(s, ":at", job->zAt);
  nAlloc = 0;
  while (db_step(s)) {
    if (job->nTotal == nAlloc) {
      nAlloc = nAlloc ? nAlloc * 2 : 1024;
      job->aTotalId = xrealloc(job->aTotalId, sizeof(int64_t) * (size_t)nAlloc);
      job->aTotal = xrealloc(job->aTotal, sizeof(double) * 4 * (size_t)nAlloc);
    }
    job->aTotalId[job->nTotal] = db_col_int(s, 0);
    for (int k = 0; k < 4; k++) {
      job->aTotal[4 * job->nTotal + k] = db_col_double(s, k + 1);
    }
    job->nTotal++;
  }
  db_finalize(s);
}

/* Free what job holds and empty it, keeping its plan and date. */
static void textjob_clear(TextJob *job) {
  for (int j = 0; j < job->n; j++) {
    free(job->azActivity[j]);
    free(job->azReview[j]);
  }
  free(job->aId);
  free(job->azActivity);
  free(job->azReview);
  free(job->aTotalId);
  free(job->aTotal);
  TextJob empty;
  memset(&empty, 0, sizeof empty);
  empty.iPlan = job->iPlan;
  empty.zAt = job->zAt;
  *job = empty;
}

/* Light for a compliance ratio (0..1). */
static Light light_for(const Report *r, double rCompliance) {
  /* on the whole percentage the reports show, so that "60 %" is never red
  ** under a rule that says red is below 60 % */
  double pct = floor(rCompliance * 100.0 + 0.5);
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
    a->eStatus = a->nCounted > 0 ? STATUS_IN_PROGRESS : STATUS_NOT_STARTED;
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
  r->rRedBelow = setting_num(db, SETTING_RED_BELOW, 60);
  r->rYellowBelow = setting_num(db, SETTING_YELLOW_BELOW, 80);
  Stmt *s = db_prepare(db, "SELECT entity, year, strategy FROM plan WHERE id = :plan");
  db_bind_int(s, ":plan", iPlan);
  if (db_step(s)) {
    r->zEntity = xstrdup(db_col_text(s, 0));
    r->iYear = (int)db_col_int(s, 1);
    r->zStrategy = xstrdup(db_col_text(s, 2));
  }
  db_finalize(s);
  /* every read of this connection sees one snapshot; the other connection
  ** checks it saw the same one (the change log's last id: every change of
  ** the plan writes it), else its part is read again here */
  bool bOwnTx = !db_in_transaction(db);
  if (bOwnTx) {
    db_begin_read(db);
  }
  int64_t iToken = audit_last_id(db);
  /* components */
  s = db_prepare(db, "SELECT id, name FROM component WHERE plan_id = :plan ORDER BY position, id");
  db_bind_int(s, ":plan", iPlan);
  IdIdx *aComp = NULL;
  while (db_step(s)) {
    aComp = xrealloc(aComp, sizeof(IdIdx) * (size_t)(r->nComponent + 1));
    r->azComponent = xrealloc(r->azComponent, sizeof(char *) * (size_t)(r->nComponent + 1));
    aComp[r->nComponent].id = db_col_int(s, 0);
    aComp[r->nComponent].i = r->nComponent;
    r->azComponent[r->nComponent++] = xstrdup(db_col_text(s, 1));
  }
  db_finalize(s);
  if (r->nComponent > 1) {
    qsort(aComp, (size_t)r->nComponent, sizeof(IdIdx), ididx_cmp);
  }
  /* texts: in parallel on a second connection when the database is a file */
  Buf bAt = BUF_INIT;
  date_format_iso(at, &bAt);
  TextJob job;
  memset(&job, 0, sizeof job);
  job.iPlan = iPlan;
  job.zAt = buf_str(&bAt);
  DbReader reader;
  bool bParallel = db_reader_start(&reader, db, read_texts, &job);
  /* activities: the numbers, from a covering index */
  s = db_prepare(db, "SELECT id, item, component_id, coalesce(phase, ''), start_date, end_date, "
                     "target, weight FROM activity WHERE plan_id = :plan ORDER BY item");
  db_bind_int(s, ":plan", iPlan);
  int nAlloc = 0;
  IdIdx *aById = NULL;
  while (db_step(s)) {
    if (r->nAct == nAlloc) {
      nAlloc = nAlloc ? nAlloc * 2 : 64;
      r->aAct = xrealloc(r->aAct, sizeof(ReportAct) * (size_t)nAlloc);
      aById = xrealloc(aById, sizeof(IdIdx) * (size_t)nAlloc);
    }
    ReportAct *a = &r->aAct[r->nAct];
    memset(a, 0, sizeof *a);
    a->id = db_col_int(s, 0);
    a->iItem = (long)db_col_int(s, 1);
    a->iComponent = db_col_is_null(s, 2) ? -1 : ididx_find(aComp, r->nComponent, db_col_int(s, 2));
    a->cPhase = db_col_text(s, 3)[0];
    a->bStart = col_day(s, 4, &a->start);
    a->bEnd = col_day(s, 5, &a->end);
    a->rTarget = db_col_double(s, 6);
    a->rWeight = db_col_double(s, 7);
    if (fabs(a->rWeight - 1.0) > 1e-12) {
      r->bWeighted = true;
    }
    aById[r->nAct].id = a->id;
    aById[r->nAct].i = r->nAct;
    r->nAct++;
  }
  db_finalize(s);
  free(aComp);
  IdMap acts;
  idmap_init(&acts, aById, r->nAct);
  free(aById);
  /* period targets: expected so far */
  double *aPeriodExpected = xcalloc((size_t)r->nAct + 1, sizeof(double));
  s = db_prepare(db, "SELECT t.activity_id, sum(CASE WHEN p.end_date <= :at THEN t.value ELSE 0 "
                     "END) FROM target t JOIN period p ON p.id = t.period_id WHERE p.plan_id = "
                     ":plan GROUP BY t.activity_id");
  db_bind_int(s, ":plan", iPlan);
  db_bind_text(s, ":at", buf_str(&bAt));
  while (db_step(s)) {
    int i = idmap_find(&acts, db_col_int(s, 0));
    if (i >= 0) {
      r->aAct[i].bPeriodTargets = true;
      aPeriodExpected[i] = db_col_double(s, 1);
    }
  }
  db_finalize(s);
  /* offices: the whole catalogue (small); groups with no activity are not shown */
  s = db_prepare(db, "SELECT id, name FROM office ORDER BY name");
  IdIdx *aOffPairs = NULL;
  while (db_step(s)) {
    aOffPairs = xrealloc(aOffPairs, sizeof(IdIdx) * (size_t)(r->nOffice + 1));
    r->azOffice = xrealloc(r->azOffice, sizeof(char *) * (size_t)(r->nOffice + 1));
    aOffPairs[r->nOffice].id = db_col_int(s, 0);
    aOffPairs[r->nOffice].i = r->nOffice;
    r->azOffice[r->nOffice++] = xstrdup(db_col_text(s, 1));
  }
  db_finalize(s);
  IdMap offices;
  idmap_init(&offices, aOffPairs, r->nOffice);
  free(aOffPairs);
  /* links: a plain scan (links of other plans' activities are dropped),
  ** cheaper than joining; then a counting sort by activity into one pool */
  typedef struct Link {
    int iAct;    /* activity index */
    int iOffice; /* office index */
    int iPos;    /* position in the RESPONSABLE cell */
  } Link;
  s = db_prepare(db, "SELECT activity_id, office_id, position FROM activity_office");
  int nLink = 0, nLinkAlloc = 0;
  Link *aLink = NULL;
  while (db_step(s)) {
    int i = idmap_find(&acts, db_col_int(s, 0));
    int k = i >= 0 ? idmap_find(&offices, db_col_int(s, 1)) : -1;
    if (k >= 0) {
      if (nLink == nLinkAlloc) {
        nLinkAlloc = nLinkAlloc ? nLinkAlloc * 2 : 1024;
        aLink = xrealloc(aLink, sizeof(Link) * (size_t)nLinkAlloc);
      }
      aLink[nLink].iAct = i;
      aLink[nLink].iOffice = k;
      aLink[nLink].iPos = (int)db_col_int(s, 2);
      nLink++;
    }
  }
  db_finalize(s);
  idmap_reset(&offices);
  r->aOfficePool = xcalloc((size_t)nLink + 1, sizeof(int));
  int *aStart = xcalloc((size_t)r->nAct + 1, sizeof(int));
  for (int j = 0; j < nLink; j++) {
    aStart[aLink[j].iAct + 1]++;
  }
  for (int i = 0; i < r->nAct; i++) {
    aStart[i + 1] += aStart[i];
    r->aAct[i].aiOffice = r->aOfficePool + aStart[i];
  }
  int *aPosPool = xcalloc((size_t)nLink + 1, sizeof(int));
  for (int j = 0; j < nLink; j++) {
    ReportAct *a = &r->aAct[aLink[j].iAct];
    int *aPos = aPosPool + (a->aiOffice - r->aOfficePool);
    int m = a->nOffice++;
    while (m > 0 && aPos[m - 1] > aLink[j].iPos) {
      a->aiOffice[m] = a->aiOffice[m - 1];
      aPos[m] = aPos[m - 1];
      m--;
    }
    a->aiOffice[m] = aLink[j].iOffice;
    aPos[m] = aLink[j].iPos;
  }
  free(aPosPool);
  free(aStart);
  free(aLink);
  /* texts and totals from the other connection, or read here when it did
  ** not run, failed, or saw another snapshot (a change was committed
  ** between the two: its part is discarded) */
  bool bDone = bParallel && db_reader_join(&reader);
  if (!bDone || job.iToken != iToken) {
    textjob_clear(&job);
    read_texts(db, &job);
  }
  if (bOwnTx) {
    db_commit(db);
  }
  for (int j = 0; j < job.nTotal; j++) {
    int i = idmap_find(&acts, job.aTotalId[j]);
    if (i >= 0) {
      ReportAct *a = &r->aAct[i];
      const double *t = &job.aTotal[4 * j];
      a->rAchieved += t[0] + (bReported ? t[2] : 0);
      a->nCounted += (int)(t[1] + (bReported ? t[3] : 0));
      a->nPending += (int)t[3];
    }
  }
  free(job.aTotalId);
  free(job.aTotal);
  buf_reset(&bAt);
  for (int j = 0; j < job.n; j++) {
    int i = idmap_find(&acts, job.aId[j]);
    if (i >= 0 && r->aAct[i].zActivity == NULL) {
      r->aAct[i].zActivity = job.azActivity[j];
      r->aAct[i].zReview = job.azReview[j];
    } else {
      free(job.azActivity[j]);
      free(job.azReview[j]);
    }
  }
  for (int i = 0; i < r->nAct; i++) {
    if (r->aAct[i].zActivity == NULL) {
      r->aAct[i].zActivity = xstrdup(""); /* added after the numbers were read */
    }
  }
  idmap_reset(&acts);
  free(job.aId);
  free(job.azActivity);
  free(job.azReview);
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
  r->nocomponent.zName = "Sin componente";
  for (int i = 0; i < r->nAct; i++) {
    ReportAct *a = &r->aAct[i];
    compute_act(r, a, aPeriodExpected[i]);
    roll_add(&r->total, a);
    roll_add(a->iComponent >= 0 ? &r->aComponent[a->iComponent] : &r->nocomponent, a);
    const char *zP = a->cPhase ? strchr(cPhaseLetter, a->cPhase) : NULL;
    roll_add(zP ? &r->aPhase[zP - cPhaseLetter] : &r->unphased, a);
    for (int k = 0; k < a->nOffice; k++) {
      roll_add(&r->aOffice[a->aiOffice[k]], a);
    }
  }
  free(aPeriodExpected);
  roll_finish(r, &r->total);
  roll_finish(r, &r->unphased);
  roll_finish(r, &r->nocomponent);
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
  }
  free(r->aAct);
  free(r->aOfficePool);
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

/* Append z padded (or cut with "…") to exactly nWidth code points. Counts
** code points by their lead bytes: no allocation, as it runs for every
** cell of large reports. */
static void put_cell(Buf *p, const char *z, int nWidth, bool bRight) {
  int nCp = 0;
  size_t nByte = 0, nCut = 0;
  for (; z[nByte]; nByte++) {
    if (((unsigned char)z[nByte] & 0xC0) != 0x80) {
      if (nCp == nWidth - 1) {
        nCut = nByte; /* where "…" would go */
      }
      nCp++;
    }
  }
  size_t nShow = nByte;
  if (nCp > nWidth) {
    while (nCut > 0 && z[nCut - 1] == ' ') {
      nCut--;
    }
    nShow = nCut;
  }
  if (bRight) {
    for (int i = nCp; i < nWidth; i++) {
      buf_putc(p, ' ');
    }
  }
  /* control characters (a newline or an escape sequence inside a cell) must
  ** not reach the terminal: they become spaces */
  size_t iStart = p->n;
  buf_append(p, z, nShow);
  for (size_t i = iStart; i < p->n; i++) {
    if ((unsigned char)p->z[i] < 0x20 || p->z[i] == 0x7f) {
      p->z[i] = ' ';
    }
  }
  if (nCp > nWidth) {
    buf_puts(p, "\xe2\x80\xa6");
    int nShown = 0;
    for (size_t i = 0; i < nShow; i++) {
      nShown += ((unsigned char)z[i] & 0xC0) != 0x80;
    }
    for (int i = nShown + 1; i < nWidth; i++) {
      buf_putc(p, ' ');
    }
    return;
  }
  if (!bRight) {
    for (int i = nCp; i < nWidth; i++) {
      buf_putc(p, ' ');
    }
  }
}

/* A number right-aligned in nWidth columns, never cut (a wider number
** pushes the row right rather than lose digits). */
static void put_num(Buf *p, const char *z, int nWidth) {
  int n = (int)strlen(z);
  if (n > nWidth) {
    buf_puts(p, z);
  } else {
    put_cell(p, z, nWidth, true);
  }
}

/* Write the integer v into z (room for its digits, sign and NUL); returns
** its length. */
static size_t put_long(char *z, long long v) {
  Buf b = BUF_INIT;
  char aMem[32];
  b.z = aMem; /* a Buf over stack memory: never grown here (24 bytes fit) */
  b.nAlloc = sizeof aMem;
  buf_put_int(&b, v);
  memcpy(z, aMem, b.n + 1);
  return b.n;
}

/* v with 4 decimals ("0.3987") into z, without printf. */
static void fixed4(char *z, size_t n, double v) {
  char aMem[48];
  Buf b = BUF_INIT;
  b.z = aMem; /* stack memory: 48 bytes hold any value buf_put_fixed writes here */
  b.nAlloc = sizeof aMem;
  if (!(v > -1e12 && v < 1e12)) {
    snprintf(z, n, "%.4f", v);
    return;
  }
  buf_put_fixed(&b, v, 4);
  ASSERT(b.n < n);
  memcpy(z, aMem, b.n + 1);
}

/* "45 %" for a ratio, into a small buffer (printf is too slow for the
** hundreds of thousands of cells of a large report). */
static void pct(char *z, size_t n, double v) {
  ASSERT(n >= 16);
  double r = floor(v * 100.0 + 0.5);
  if (!(r > -1e9 && r < 1e9)) {
    snprintf(z, n, "%.0f %%", r);
    return;
  }
  size_t k = put_long(z, (long long)r);
  memcpy(z + k, " %", 3);
}

/* A number without useless decimals ("2", "2.5"). */
static void num(char *z, size_t n, double v) {
  if (fabs(v - floor(v + 0.5)) < 1e-9 && fabs(v) < 1e15) {
    ASSERT(n >= 24);
    put_long(z, (long long)floor(v + 0.5));
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
              "sin datos cuenta como 0\u00a0%%. Avance = logro %s / meta (máximo 100\u00a0%%). Esperado = "
              "suma de las metas de los periodos ya cortados (cada una es del periodo, no "
              "acumulada) / meta; sin metas por periodo, lineal entre FECHA INICIO y FECHA "
              "FINAL. Cumplimiento = avance / esperado. "
              "Semáforo: rojo <\u00a0%g\u00a0%%, amarillo <\u00a0%g\u00a0%%, verde desde %g\u00a0%%. Actividades sin "
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
    put_num(p, zT, 5);
    buf_putc(p, ' ');
    put_num(p, zA, 5);
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
  text_rollups(p, "Por componente", r->aComponent, r->nComponent, &r->nocomponent);
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
  fixed4(zP, sizeof zP, g->rProgress);
  fixed4(zE, sizeof zE, g->rExpected);
  fixed4(zC, sizeof zC, g->rCompliance);
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
    fixed4(zP, sizeof zP, a->rProgress);
    fixed4(zE, sizeof zE, a->rExpected);
    fixed4(zC, sizeof zC, a->rCompliance);
    const char *az[] = {"actividad", a->zActivity, zItem, zPhase, zT, zA, zP, zE,
                        a->bCompliance ? zC : "", report_light_name(a->eLight),
                        report_status_name(a->eStatus), "1", a->nCounted ? "0" : "1"};
    csv_write_row(p, 13, az, ',');
  }
  for (int k = 0; k < r->nComponent; k++) {
    csv_rollup(p, "componente", &r->aComponent[k]);
  }
  if (r->nocomponent.nAct) {
    csv_rollup(p, "componente", &r->nocomponent);
  }
  for (int k = 0; k < 4; k++) {
    csv_rollup(p, "fase", &r->aPhase[k]);
  }
  if (r->unphased.nAct) {
    csv_rollup(p, "fase", &r->unphased);
  }
  for (int k = 0; k < r->nOffice; k++) {
    if (r->aOffice[k].nAct > 0) {
      csv_rollup(p, "dependencia", &r->aOffice[k]);
    }
  }
  csv_rollup(p, "plan", &r->total);
}

/* ---- JSON ------------------------------------------------------------------------------ */

/* A roll-up as a JSON object (members only; the caller opened it). */
static void json_rollup(JsonW *w, const Rollup *g) {
  jsonw_key(w, "nombre");
  jsonw_string(w, g->zName);
  jsonw_key(w, "actividades");
  jsonw_int(w, g->nAct);
  jsonw_key(w, "sin_datos");
  jsonw_int(w, g->nNoData);
  jsonw_key(w, "avance");
  jsonw_fixed(w, g->rProgress, 4);
  jsonw_key(w, "esperado");
  jsonw_fixed(w, g->rExpected, 4);
  jsonw_key(w, "cumplimiento");
  if (g->bCompliance) {
    jsonw_fixed(w, g->rCompliance, 4);
  } else {
    jsonw_null(w);
  }
  jsonw_key(w, "semaforo");
  jsonw_string(w, report_light_name(g->eLight));
}

/* A list of roll-ups, skipping empty groups. */
/* A list of roll-ups, skipping empty groups; pExtra (may be NULL) is a
** last group such as "Sin componente", also only when not empty. */
static void json_rollups(JsonW *w, const char *zKey, const Rollup *a, int n, const Rollup *pExtra) {
  jsonw_key(w, zKey);
  jsonw_array_begin(w);
  for (int k = 0; k <= n; k++) {
    const Rollup *g = k < n ? &a[k] : pExtra;
    if (g && g->nAct > 0) {
      jsonw_object_begin(w);
      json_rollup(w, g);
      jsonw_object_end(w);
    }
  }
  jsonw_array_end(w);
}

void report_json(const Report *r, Buf *p) {
  JsonW w;
  jsonw_init(&w, p);
  jsonw_set_pretty_depth(&w, 2);
  Buf at = BUF_INIT, rule = BUF_INIT;
  date_format_iso(r->at, &at);
  rule_sentence(r, &rule);
  jsonw_object_begin(&w);
  jsonw_key(&w, "entidad");
  jsonw_string(&w, r->zEntity ? r->zEntity : "");
  jsonw_key(&w, "año");
  jsonw_int(&w, r->iYear);
  jsonw_key(&w, "fecha_corte");
  jsonw_string(&w, buf_str(&at));
  jsonw_key(&w, "regla");
  jsonw_string(&w, buf_str(&rule));
  jsonw_key(&w, "semaforo");
  jsonw_object_begin(&w);
  jsonw_key(&w, "rojo_menor_que");
  jsonw_number(&w, r->rRedBelow);
  jsonw_key(&w, "amarillo_menor_que");
  jsonw_number(&w, r->rYellowBelow);
  jsonw_object_end(&w);
  buf_reset(&at);
  buf_reset(&rule);
  jsonw_key(&w, "actividades");
  jsonw_array_begin(&w);
  for (int i = 0; i < r->nAct; i++) {
    const ReportAct *a = &r->aAct[i];
    char zPhase[2] = {a->cPhase, 0};
    jsonw_object_begin(&w);
    jsonw_key(&w, "item");
    jsonw_int(&w, a->iItem);
    jsonw_key(&w, "fase");
    jsonw_string(&w, a->cPhase ? zPhase : NULL);
    jsonw_key(&w, "actividad");
    jsonw_string(&w, a->zActivity);
    jsonw_key(&w, "componente");
    jsonw_string(&w, a->iComponent >= 0 ? r->azComponent[a->iComponent] : NULL);
    jsonw_key(&w, "dependencias");
    jsonw_array_begin(&w);
    for (int k = 0; k < a->nOffice; k++) {
      jsonw_string(&w, r->azOffice[a->aiOffice[k]]);
    }
    jsonw_array_end(&w);
    jsonw_key(&w, "meta");
    jsonw_number(&w, a->rTarget);
    jsonw_key(&w, "peso");
    jsonw_number(&w, a->rWeight);
    jsonw_key(&w, "logro");
    jsonw_number(&w, a->rAchieved);
    jsonw_key(&w, "reportes_contados");
    jsonw_int(&w, a->nCounted);
    jsonw_key(&w, "reportes_pendientes");
    jsonw_int(&w, a->nPending);
    jsonw_key(&w, "avance");
    jsonw_fixed(&w, a->rProgress, 4);
    jsonw_key(&w, "esperado");
    jsonw_fixed(&w, a->rExpected, 4);
    jsonw_key(&w, "esperado_segun");
    jsonw_string(&w, a->bPeriodTargets ? "metas por periodo" : "fechas");
    jsonw_key(&w, "cumplimiento");
    if (a->bCompliance) {
      jsonw_fixed(&w, a->rCompliance, 4);
    } else {
      jsonw_null(&w);
    }
    jsonw_key(&w, "semaforo");
    jsonw_string(&w, report_light_name(a->eLight));
    jsonw_key(&w, "estado");
    jsonw_string(&w, report_status_name(a->eStatus));
    jsonw_key(&w, "a_revisar");
    jsonw_string(&w, a->zReview);
    jsonw_object_end(&w);
  }
  jsonw_array_end(&w);
  json_rollups(&w, "por_componente", r->aComponent, r->nComponent, &r->nocomponent);
  jsonw_key(&w, "por_fase");
  jsonw_array_begin(&w);
  for (int k = 0; k < 4; k++) {
    char z[2] = {cPhaseLetter[k], 0};
    jsonw_object_begin(&w);
    jsonw_key(&w, "fase");
    jsonw_string(&w, z);
    json_rollup(&w, &r->aPhase[k]);
    jsonw_object_end(&w);
  }
  if (r->unphased.nAct > 0) {
    jsonw_object_begin(&w);
    jsonw_key(&w, "fase");
    jsonw_null(&w);
    json_rollup(&w, &r->unphased);
    jsonw_object_end(&w);
  }
  jsonw_array_end(&w);
  json_rollups(&w, "por_dependencia", r->aOffice, r->nOffice, NULL);
  jsonw_key(&w, "plan");
  jsonw_object_begin(&w);
  json_rollup(&w, &r->total);
  jsonw_object_end(&w);
  jsonw_object_end(&w);
  buf_putc(p, '\n');
}
