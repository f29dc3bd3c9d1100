/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Queries for reporting and verifying progress (see progress_db.h). Every
** SQL text is a literal; values are bound. Reports share one column list
** and one row reader; each listing is its own statement.
*/
#include "plan/progress_db.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* ---- activities ------------------------------------------------------------ */

/* Activity a is in the charge of an office of user :user. */
#define SQL_USER_OWNS                                                                              \
  "EXISTS (SELECT 1 FROM activity_office ao JOIN user_office uo ON uo.office_id = ao.office_id "   \
  "WHERE ao.activity_id = a.id AND uo.user_id = :user)"

/* The columns every OwnActivity query selects, from activity a. */
#define OWN_COLUMNS                                                                                \
  "a.id, a.item, a.activity, a.indicator_goal, coalesce(a.start_date, ''), "                       \
  "coalesce(a.end_date, ''), a.target, "                                                           \
  "coalesce((SELECT sum(t.verified) FROM progress_total t WHERE t.activity_id = a.id), 0), "       \
  "coalesce((SELECT sum(t.n_reported) FROM progress_total t WHERE t.activity_id = a.id), 0)"

/* Read the current row of an OWN_COLUMNS statement into *p. */
static void own_read(Stmt *s, OwnActivity *p) {
  p->id = db_col_int(s, 0);
  p->iItem = (long)db_col_int(s, 1);
  p->zActivity = db_col_text_dup(s, 2);
  p->zGoal = db_col_text_dup(s, 3);
  p->zStart = db_col_text_dup(s, 4);
  p->zEnd = db_col_text_dup(s, 5);
  p->rTarget = db_col_double(s, 6);
  p->rVerified = db_col_double(s, 7);
  p->nPending = (int)db_col_int(s, 8);
}

int progress_own_activities(Db *db, int64_t iPlan, int64_t iUser, OwnActivity **paOut) {
  Stmt *s = db_prepare(db, "SELECT " OWN_COLUMNS
                           " FROM activity a WHERE a.plan_id = :plan AND " SQL_USER_OWNS
                           " ORDER BY a.item");
  db_bind_int(s, ":plan", iPlan);
  db_bind_int(s, ":user", iUser);
  int n = 0, nAlloc = 0;
  OwnActivity *a = NULL;
  while (db_step(s)) {
    if (n == nAlloc) {
      nAlloc = nAlloc ? 2 * nAlloc : 16;
      a = xrealloc(a, sizeof *a * (size_t)nAlloc);
    }
    own_read(s, &a[n++]);
  }
  db_finalize(s);
  *paOut = a;
  return n;
}

bool progress_activity(Db *db, int64_t iPlan, long iItem, OwnActivity *p) {
  memset(p, 0, sizeof *p);
  Stmt *s = db_prepare(db, "SELECT " OWN_COLUMNS " FROM activity a WHERE a.plan_id = :plan AND "
                           "a.item = :item");
  db_bind_int(s, ":plan", iPlan);
  db_bind_int(s, ":item", iItem);
  bool bFound = db_step(s);
  if (bFound) {
    own_read(s, p);
  }
  db_finalize(s);
  return bFound;
}

void progress_own_activity_reset(OwnActivity *p) {
  free(p->zActivity);
  free(p->zGoal);
  free(p->zStart);
  free(p->zEnd);
  memset(p, 0, sizeof *p);
}

void progress_own_activities_free(int n, OwnActivity *a) {
  for (int i = 0; i < n; i++) {
    progress_own_activity_reset(&a[i]);
  }
  free(a);
}

/* ---- reports --------------------------------------------------------------- */

/* The columns every report query selects, from progress p, activity a and
** period pe. */
#define REPORT_COLUMNS                                                                             \
  "p.id, a.item, a.activity, a.target, pe.code, pe.name, p.value, p.note, p.author, "              \
  "p.created_at, p.status, coalesce(p.reviewer, ''), coalesce(p.reviewed_at, ''), "                \
  "coalesce(p.review_note, '')"
#define REPORT_FROM                                                                                \
  " FROM progress p JOIN activity a ON a.id = p.activity_id JOIN period pe ON pe.id = "            \
  "p.period_id "

/* Load the evidence of report p->id. */
static void evidence_load(Db *db, ProgReport *p) {
  Stmt *s = db_prepare(db, "SELECT id, kind, name, coalesce(mime, ''), coalesce(size, 0) FROM "
                           "evidence WHERE progress_id = :id ORDER BY id");
  db_bind_int(s, ":id", p->id);
  while (db_step(s)) {
    p->aEvidence = xrealloc(p->aEvidence, sizeof(ProgEvidence) * (size_t)(p->nEvidence + 1));
    ProgEvidence *e = &p->aEvidence[p->nEvidence++];
    e->id = db_col_int(s, 0);
    e->bFile = strcmp(db_col_text(s, 1), "archivo") == 0;
    e->zName = db_col_text_dup(s, 2);
    e->zMime = db_col_text_dup(s, 3);
    e->nSize = db_col_int(s, 4);
  }
  db_finalize(s);
}

/* Read every row of a REPORT_COLUMNS statement (bound, not yet stepped),
** with each report's evidence, and finalize it. Returns the count. */
static int reports_read(Db *db, Stmt *s, ProgReport **paOut) {
  int n = 0, nAlloc = 0;
  ProgReport *a = NULL;
  while (db_step(s)) {
    if (n == nAlloc) {
      nAlloc = nAlloc ? 2 * nAlloc : 16;
      a = xrealloc(a, sizeof *a * (size_t)nAlloc);
    }
    ProgReport *p = &a[n++];
    memset(p, 0, sizeof *p);
    p->id = db_col_int(s, 0);
    p->iItem = (long)db_col_int(s, 1);
    p->zActivity = db_col_text_dup(s, 2);
    p->rTarget = db_col_double(s, 3);
    p->zPeriod = db_col_text_dup(s, 4);
    p->zPeriodName = db_col_text_dup(s, 5);
    p->rValue = db_col_double(s, 6);
    p->zNote = db_col_text_dup(s, 7);
    p->zAuthor = db_col_text_dup(s, 8);
    p->zCreatedAt = db_col_text_dup(s, 9);
    p->zStatus = db_col_text_dup(s, 10);
    p->zReviewer = db_col_text_dup(s, 11);
    p->zReviewedAt = db_col_text_dup(s, 12);
    p->zReviewNote = db_col_text_dup(s, 13);
  }
  db_finalize(s);
  /* evidence after the listing is finalized: one statement open at a time */
  for (int i = 0; i < n; i++) {
    evidence_load(db, &a[i]);
  }
  *paOut = a;
  return n;
}

int progress_queue(Db *db, int64_t iPlan, ProgReport **paOut) {
  Stmt *s = db_prepare(db, "SELECT " REPORT_COLUMNS REPORT_FROM
                           "WHERE a.plan_id = :plan AND p.status = 'reportado' ORDER BY "
                           "p.created_at, p.id");
  db_bind_int(s, ":plan", iPlan);
  return reports_read(db, s, paOut);
}

int progress_activity_reports(Db *db, int64_t iPlan, long iItem, ProgReport **paOut) {
  Stmt *s = db_prepare(db, "SELECT " REPORT_COLUMNS REPORT_FROM
                           "WHERE a.plan_id = :plan AND a.item = :item ORDER BY p.created_at "
                           "DESC, p.id DESC");
  db_bind_int(s, ":plan", iPlan);
  db_bind_int(s, ":item", iItem);
  return reports_read(db, s, paOut);
}

int progress_office_reports(Db *db, int64_t iPlan, int64_t iUser, int nLimit, ProgReport **paOut) {
  Stmt *s = db_prepare(db, "SELECT " REPORT_COLUMNS REPORT_FROM
                           "WHERE a.plan_id = :plan AND " SQL_USER_OWNS
                           " ORDER BY p.created_at DESC, p.id DESC LIMIT :limit");
  db_bind_int(s, ":plan", iPlan);
  db_bind_int(s, ":user", iUser);
  db_bind_int(s, ":limit", nLimit);
  return reports_read(db, s, paOut);
}

void progress_reports_free(int n, ProgReport *a) {
  for (int i = 0; i < n; i++) {
    ProgReport *p = &a[i];
    free(p->zActivity);
    free(p->zPeriod);
    free(p->zPeriodName);
    free(p->zNote);
    free(p->zAuthor);
    free(p->zCreatedAt);
    free(p->zStatus);
    free(p->zReviewer);
    free(p->zReviewedAt);
    free(p->zReviewNote);
    for (int k = 0; k < p->nEvidence; k++) {
      free(p->aEvidence[k].zName);
      free(p->aEvidence[k].zMime);
    }
    free(p->aEvidence);
  }
  free(a);
}

bool progress_report_status(Db *db, int64_t iReport, char **pzStatus, char **pzReviewer) {
  Stmt *s = db_prepare(db, "SELECT status, coalesce(reviewer, '') FROM progress WHERE id = :id");
  db_bind_int(s, ":id", iReport);
  bool bFound = db_step(s);
  if (bFound) {
    *pzStatus = db_col_text_dup(s, 0);
    *pzReviewer = db_col_text_dup(s, 1);
  }
  db_finalize(s);
  return bFound;
}

int progress_queue_count(Db *db, int64_t iPlan) {
  Stmt *s = db_prepare(db, "SELECT count(*) FROM progress p JOIN activity a ON a.id = "
                           "p.activity_id WHERE a.plan_id = :plan AND p.status = 'reportado'");
  db_bind_int(s, ":plan", iPlan);
  int n = db_step(s) ? (int)db_col_int(s, 0) : 0;
  db_finalize(s);
  return n;
}
