/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Unit tests for src/db/batch.c (group commit): many threads submit jobs
** that each take the next number of a counter and store a row; every job is
** committed exactly once with consecutive numbers, results come back to the
** right submitter, a failing job leaves nothing (not even a used number)
** and does not disturb its batch, jobs queued during a commit share the
** next transaction, the writer runs with synchronous=FULL, a committed job
** is visible to another connection when batch_run() returns, and
** batch_stop() drains the queue and then refuses new jobs.
*/
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/util.h"
#include "db/batch.h"
#include "db/db.h"
#include "testutil.h"

/* A temporary directory with a database holding the test tables. */
typedef struct Tmp {
  char zDir[64]; /* the directory */
  char *zDb;     /* zDir/test.db (owned) */
} Tmp;

/* Create t's directory and database: a counter and the numbered items. */
static void tmp_open(Tmp *t) {
  snprintf(t->zDir, sizeof t->zDir, "/tmp/participa-batch-XXXXXX");
  cr_assert_not_null(mkdtemp(t->zDir));
  t->zDb = xasprintf("%s/test.db", t->zDir);
  char *zErr = NULL;
  Db *db = db_open(t->zDb, DB_CREATE, &zErr);
  cr_assert_not_null(db, "db_open: %s", zErr ? zErr : "");
  db_exec(db, "CREATE TABLE counter(id INTEGER PRIMARY KEY, n INTEGER NOT NULL)");
  db_exec(db, "INSERT INTO counter(id, n) VALUES (1, 0)");
  db_exec(db, "CREATE TABLE item(num INTEGER PRIMARY KEY, who INTEGER NOT NULL, "
              "seq INTEGER NOT NULL, UNIQUE(who, seq))");
  db_close(db);
}

static void tmp_close(Tmp *t) {
  cr_assert_eq(test_remove_dir(t->zDir), 0);
  free(t->zDb);
}

/* A second connection to t's database (not the writer's). */
static Db *tmp_db(Tmp *t) {
  char *zErr = NULL;
  Db *db = db_open(t->zDb, 0, &zErr);
  cr_assert_not_null(db, "db_open: %s", zErr ? zErr : "");
  return db;
}

/* One count or number from t's database. */
static long tmp_int(Tmp *t, const char *zSql) {
  Db *db = tmp_db(t);
  long n = (long)db_int(db, zSql);
  db_close(db);
  return n;
}

/* ---- the job ------------------------------------------------------------ */

/* What a job is told and what it answers. */
typedef struct Item {
  int iWho;            /* submitting thread */
  int iSeq;            /* its job number in that thread */
  bool bFail;          /* write, then fail */
  atomic_bool *pbGate; /* when not NULL: wait until it is true before working */
  atomic_bool bHeld;   /* set once the job waits at its gate (inside the writer) */
  long iNum;           /* the number taken (the result) */
  long iSync;          /* PRAGMA synchronous seen by the job */
} Item;

/* Take the next number, store the item under it, and fail afterwards when
** asked to (so that the failure has writes to undo). */
static bool item_job(Db *db, void *pArg, char **pzErr) {
  Item *p = pArg;
  if (p->pbGate) {
    atomic_store(&p->bHeld, true);
    while (!atomic_load(p->pbGate)) {
      usleep(1000);
    }
  }
  p->iSync = (long)db_int(db, "PRAGMA synchronous");
  Stmt *s = db_prepare(db, "UPDATE counter SET n = n + 1 WHERE id = 1 RETURNING n");
  cr_assert(db_step(s));
  p->iNum = (long)db_col_int(s, 0);
  cr_assert_not(db_step(s));
  db_finalize(s);
  s = db_prepare(db, "INSERT INTO item(num, who, seq) VALUES (:num, :who, :seq)");
  db_bind_int(s, ":num", p->iNum);
  db_bind_int(s, ":who", p->iWho);
  db_bind_int(s, ":seq", p->iSeq);
  db_run(s);
  db_finalize(s);
  if (p->bFail) {
    *pzErr = xasprintf("falla %d.%d", p->iWho, p->iSeq);
    return false;
  }
  return true;
}

/* ---- submitting threads --------------------------------------------------- */

#define NTHREAD 16
#define NJOB    60

/* One submitting thread's work and results. */
typedef struct Submitter {
  Batch *b;          /* the writer */
  int iWho;          /* thread number */
  int nJob;          /* jobs to submit */
  int nFailEvery;    /* every nth job fails (0 = none) */
  long aNum[NJOB];   /* number each job got (0 for a failed one) */
  bool aOk[NJOB];    /* batch_run's answer per job */
  char *azErr[NJOB]; /* message per job (owned) */
  long nBadSync;     /* jobs that did not see synchronous=FULL */
} Submitter;

static void *submitter_main(void *pArg) {
  Submitter *p = pArg;
  for (int i = 0; i < p->nJob; i++) {
    Item it = {.iWho = p->iWho, .iSeq = i, .bFail = p->nFailEvery && i % p->nFailEvery == 0};
    p->aOk[i] = batch_run(p->b, item_job, &it, &p->azErr[i]);
    p->aNum[i] = p->aOk[i] ? it.iNum : 0;
    p->nBadSync += it.iSync != 2;
  }
  return NULL;
}

/* Run nThread submitters of nJob jobs each on b and wait for them. */
static void submit_all(Batch *b, Submitter *a, int nThread, int nJob, int nFailEvery) {
  pthread_t aThread[NTHREAD];
  for (int i = 0; i < nThread; i++) {
    memset(&a[i], 0, sizeof a[i]);
    a[i].b = b;
    a[i].iWho = i;
    a[i].nJob = nJob;
    a[i].nFailEvery = nFailEvery;
    cr_assert_eq(pthread_create(&aThread[i], NULL, submitter_main, &a[i]), 0);
  }
  for (int i = 0; i < nThread; i++) {
    pthread_join(aThread[i], NULL);
  }
}

/* The number stored for (iWho, iSeq), 0 when absent. */
static long stored_num(Db *db, int iWho, int iSeq) {
  Stmt *s = db_prepare(db, "SELECT num FROM item WHERE who = :who AND seq = :seq");
  db_bind_int(s, ":who", iWho);
  db_bind_int(s, ":seq", iSeq);
  long n = db_step(s) ? (long)db_col_int(s, 0) : 0;
  db_finalize(s);
  return n;
}

/* ---- tests ---------------------------------------------------------------- */

Test(batch, many_threads,
     .description = "batch-1.1 concurrent jobs: each committed once, "
                    "numbers consecutive, results to their submitter") {
  Tmp t;
  tmp_open(&t);
  char *zErr = NULL;
  Batch *b = batch_start(t.zDb, 0, &zErr);
  cr_assert_not_null(b, "batch_start: %s", zErr ? zErr : "");
  static Submitter a[NTHREAD];
  submit_all(b, a, NTHREAD, NJOB, 0);
  BatchStats st;
  batch_stats(b, &st);
  batch_stop(b);

  long nTotal = NTHREAD * NJOB;
  cr_assert_eq(st.nJob, nTotal);
  cr_assert_eq(st.nFailed, 0);
  cr_assert_leq(st.nCommit, nTotal);
  cr_assert_geq(st.nLargest, 1);
  cr_assert_leq(st.nLargest, BATCH_DEFAULT_MAX);
  cr_assert_eq(tmp_int(&t, "SELECT count(*) FROM item"), nTotal);
  cr_assert_eq(tmp_int(&t, "SELECT min(num) FROM item"), 1);
  cr_assert_eq(tmp_int(&t, "SELECT max(num) FROM item"), nTotal);
  cr_assert_eq(tmp_int(&t, "SELECT n FROM counter"), nTotal);
  Db *db = tmp_db(&t);
  for (int i = 0; i < NTHREAD; i++) {
    cr_assert_eq(a[i].nBadSync, 0, "the writer runs with synchronous=FULL");
    for (int j = 0; j < NJOB; j++) {
      cr_assert(a[i].aOk[j]);
      cr_assert_null(a[i].azErr[j]);
      cr_assert_eq(stored_num(db, i, j), a[i].aNum[j], "job %d.%d got the number stored", i, j);
    }
  }
  db_close(db);
  tmp_close(&t);
}

Test(batch, failures_isolated,
     .description = "batch-1.2 a failing job leaves nothing, not even "
                    "a number, and its batch commits the others") {
  Tmp t;
  tmp_open(&t);
  char *zErr = NULL;
  Batch *b = batch_start(t.zDb, 8, &zErr);
  cr_assert_not_null(b, "batch_start: %s", zErr ? zErr : "");
  static Submitter a[NTHREAD];
  submit_all(b, a, NTHREAD, NJOB, 3);
  BatchStats st;
  batch_stats(b, &st);
  batch_stop(b);

  long nFail = NTHREAD * ((NJOB + 2) / 3), nOk = NTHREAD * NJOB - nFail;
  cr_assert_eq(st.nFailed, nFail);
  cr_assert_leq(st.nLargest, 8, "the batch size is bounded");
  cr_assert_eq(tmp_int(&t, "SELECT count(*) FROM item"), nOk);
  cr_assert_eq(tmp_int(&t, "SELECT max(num) FROM item"), nOk, "no gap left by a failure");
  cr_assert_eq(tmp_int(&t, "SELECT n FROM counter"), nOk);
  Db *db = tmp_db(&t);
  for (int i = 0; i < NTHREAD; i++) {
    for (int j = 0; j < NJOB; j++) {
      if (j % 3 == 0) {
        cr_assert_not(a[i].aOk[j]);
        char zWant[32];
        snprintf(zWant, sizeof zWant, "falla %d.%d", i, j);
        cr_assert_str_eq(a[i].azErr[j], zWant);
        cr_assert_eq(stored_num(db, i, j), 0);
        free(a[i].azErr[j]);
      } else {
        cr_assert(a[i].aOk[j]);
        cr_assert_eq(stored_num(db, i, j), a[i].aNum[j]);
      }
    }
  }
  db_close(db);
  tmp_close(&t);
}

Test(batch, visible_on_return,
     .description = "batch-1.3 when batch_run returns true another "
                    "connection already sees the job's row") {
  Tmp t;
  tmp_open(&t);
  char *zErr = NULL;
  Batch *b = batch_start(t.zDb, 0, &zErr);
  cr_assert_not_null(b);
  Db *db = tmp_db(&t);
  for (int i = 0; i < 20; i++) {
    Item it = {.iWho = 0, .iSeq = i};
    cr_assert(batch_run(b, item_job, &it, &zErr));
    cr_assert_eq(it.iNum, i + 1);
    cr_assert_eq(stored_num(db, 0, i), i + 1);
  }
  BatchStats st;
  batch_stats(b, &st);
  cr_assert_eq(st.nCommit, 20, "one submitter at a time: one transaction each, no waiting");
  db_close(db);
  batch_stop(b);
  tmp_close(&t);
}

/* A job held in the writer until its gate opens, with its own batch. */
typedef struct Gated {
  Batch *b;          /* the writer */
  atomic_bool bGate; /* opened by the test */
  Item it;           /* the job */
  bool bOk;          /* batch_run's answer */
} Gated;

static void *gated_submit(void *pArg) {
  Gated *g = pArg;
  char *zErr = NULL;
  g->bOk = batch_run(g->b, item_job, &g->it, &zErr);
  free(zErr);
  return NULL;
}

/* Wait until n jobs wait in b's queue. */
static void wait_queued(Batch *b, int n) {
  for (;;) {
    BatchStats st;
    batch_stats(b, &st);
    if (st.nQueued >= n) {
      break;
    }
    usleep(1000);
  }
}

Test(batch, queued_share_commit,
     .description = "batch-1.4 jobs queued during a transaction "
                    "are committed together in the next one") {
  Tmp t;
  tmp_open(&t);
  char *zErr = NULL;
  Batch *b = batch_start(t.zDb, 0, &zErr);
  cr_assert_not_null(b);
  static Gated g;
  memset(&g, 0, sizeof g);
  g.b = b;
  g.it.iWho = 99;
  g.it.pbGate = &g.bGate;
  pthread_t th;
  cr_assert_eq(pthread_create(&th, NULL, gated_submit, &g), 0);
  while (!atomic_load(&g.it.bHeld)) {
    usleep(1000); /* until the writer is inside the gated job */
  }

  static Submitter a[NTHREAD];
  pthread_t aThread[NTHREAD];
  for (int i = 0; i < NTHREAD; i++) {
    a[i] = (Submitter){.b = b, .iWho = i, .nJob = 1};
    cr_assert_eq(pthread_create(&aThread[i], NULL, submitter_main, &a[i]), 0);
  }
  wait_queued(b, NTHREAD);
  atomic_store(&g.bGate, true);
  pthread_join(th, NULL);
  for (int i = 0; i < NTHREAD; i++) {
    pthread_join(aThread[i], NULL);
  }
  BatchStats st;
  batch_stats(b, &st);
  batch_stop(b);
  cr_assert(g.bOk);
  cr_assert_eq(g.it.iNum, 1);
  cr_assert_eq(st.nJob, NTHREAD + 1);
  cr_assert_eq(st.nCommit, 2, "the gated job's transaction, then one for all the others");
  cr_assert_eq(st.nLargest, NTHREAD);
  cr_assert_eq(tmp_int(&t, "SELECT max(num) FROM item"), NTHREAD + 1);
  tmp_close(&t);
}

/* Stop b (batch_stop) from its own thread. */
static void *stopper_main(void *pArg) {
  batch_stop(pArg);
  return NULL;
}

Test(batch, stop_drains,
     .description = "batch-1.5 batch_stop runs and commits every queued "
                    "job, then refuses new ones") {
  Tmp t;
  tmp_open(&t);
  char *zErr = NULL;
  Batch *b = batch_start(t.zDb, 4, &zErr);
  cr_assert_not_null(b);
  static Gated g;
  memset(&g, 0, sizeof g);
  g.b = b;
  g.it.iWho = 99;
  g.it.pbGate = &g.bGate;
  pthread_t th;
  cr_assert_eq(pthread_create(&th, NULL, gated_submit, &g), 0);
  while (!atomic_load(&g.it.bHeld)) {
    usleep(1000);
  }

  static Submitter a[NTHREAD];
  pthread_t aThread[NTHREAD];
  for (int i = 0; i < NTHREAD; i++) {
    a[i] = (Submitter){.b = b, .iWho = i, .nJob = 1};
    cr_assert_eq(pthread_create(&aThread[i], NULL, submitter_main, &a[i]), 0);
  }
  wait_queued(b, NTHREAD);
  pthread_t stopper;
  cr_assert_eq(pthread_create(&stopper, NULL, stopper_main, b), 0);
  for (;;) { /* until stopping has begun (the writer is still held by the gate) */
    BatchStats st;
    batch_stats(b, &st);
    if (st.bStopping) {
      break;
    }
    usleep(1000);
  }

  Item late = {.iWho = 100};
  cr_assert_not(batch_run(b, item_job, &late, &zErr), "no new job once stopping");
  cr_assert_not_null(zErr);
  cr_assert(strstr(zErr, "deteniendo") != NULL);
  free(zErr);

  atomic_store(&g.bGate, true);
  pthread_join(stopper, NULL);
  pthread_join(th, NULL);
  for (int i = 0; i < NTHREAD; i++) {
    pthread_join(aThread[i], NULL);
    cr_assert(a[i].aOk[0], "queued job %d committed before the stop", i);
  }
  cr_assert(g.bOk);
  cr_assert_eq(tmp_int(&t, "SELECT count(*) FROM item"), NTHREAD + 1);
  cr_assert_eq(tmp_int(&t, "SELECT max(num) FROM item"), NTHREAD + 1);
  cr_assert_eq(tmp_int(&t, "SELECT count(*) FROM item WHERE who = 100"), 0);
  tmp_close(&t);
}

Test(batch, start_errors,
     .description = "batch-1.6 a missing database is refused with a "
                    "message; stopping NULL or an idle writer is fine") {
  char *zErr = NULL;
  cr_assert_null(batch_start("/tmp/participa-no-existe/x.db", 0, &zErr));
  cr_assert_not_null(zErr);
  cr_assert(strstr(zErr, "no existe") != NULL, "%s", zErr);
  free(zErr);
  batch_stop(NULL);
  Tmp t;
  tmp_open(&t);
  Batch *b = batch_start(t.zDb, 0, &zErr);
  cr_assert_not_null(b);
  batch_stop(b);
  cr_assert_eq(tmp_int(&t, "SELECT count(*) FROM item"), 0);
  tmp_close(&t);
}

/* ---- operational failures (issue 8) ---------------------------------------- */

/* What fault_job is told and answers. */
typedef struct FaultItem {
  bool bFill;     /* limit the database's size first, then write past it */
  long iNum;      /* the number taken */
} FaultItem;

/* Take the next number like item_job, without asserting (after a fault
** steps return no row); with bFill, cap the database at its current size
** and write more than that (SQLITE_FULL). */
static bool fault_job(Db *db, void *pArg, char **pzErr) {
  (void)pzErr;
  FaultItem *p = pArg;
  Stmt *s = db_prepare(db, "UPDATE counter SET n = n + 1 WHERE id = 1 RETURNING n");
  p->iNum = db_step(s) ? (long)db_col_int(s, 0) : 0;
  db_finalize(s);
  if (p->bFill) {
    db_exec(db, "CREATE TABLE IF NOT EXISTS filler(v BLOB)");
    /* a PRAGMA takes no bound value: the integer is the test's own */
    char *zCap = xasprintf("PRAGMA max_page_count = %lld", (long long)db_int(db, "PRAGMA page_count"));
    db_int(db, zCap);
    free(zCap);
    for (int i = 0; i < 8; i++) {
      db_exec(db, "INSERT INTO filler(v) VALUES (zeroblob(100000))");
    }
  }
  return true;
}

Test(batch, busy_unavailable,
     .description = "batch-2.1 a batch that meets another writer's lock past the busy timeout "
                    "is BATCH_UNAVAILABLE, leaves nothing, and the writer goes on: the next job "
                    "takes number 1") {
  Tmp t;
  tmp_open(&t);
  db_set_default_busy_timeout(100);
  char *zErr = NULL;
  Batch *b = batch_start(t.zDb, 0, &zErr);
  cr_assert_not_null(b);
  Db *pHolder = tmp_db(&t);
  db_begin(pHolder);
  FaultItem item = {0};
  cr_assert_eq(batch_submit(b, fault_job, &item, &zErr), BATCH_UNAVAILABLE);
  cr_assert_not_null(zErr);
  cr_assert(strstr(zErr, "intente de nuevo") != NULL, "%s", zErr);
  free(zErr);
  db_rollback(pHolder);
  db_close(pHolder);
  FaultItem next = {0};
  cr_assert_eq(batch_submit(b, fault_job, &next, &zErr), BATCH_OK, "%s", zErr ? zErr : "");
  cr_assert_eq(next.iNum, 1, "the failed batch took no number");
  BatchStats st;
  batch_stats(b, &st);
  cr_assert_eq(st.nFailed, 1);
  batch_stop(b);
  db_set_default_busy_timeout(0);
  cr_assert_eq(tmp_int(&t, "SELECT n FROM counter"), 1);
  tmp_close(&t);
}

Test(batch, full_unavailable,
     .description = "batch-2.2 a job that fills the database (SQLITE_FULL) makes its batch "
                    "BATCH_UNAVAILABLE with nothing kept; the writer reopens its connection and "
                    "the next job commits") {
  Tmp t;
  tmp_open(&t);
  char *zErr = NULL;
  Batch *b = batch_start(t.zDb, 0, &zErr);
  cr_assert_not_null(b);
  FaultItem full = {.bFill = true};
  cr_assert_eq(batch_submit(b, fault_job, &full, &zErr), BATCH_UNAVAILABLE);
  cr_assert_not_null(zErr);
  free(zErr);
  cr_assert_eq(tmp_int(&t, "SELECT n FROM counter"), 0, "nothing of the batch kept");
  FaultItem next = {0};
  cr_assert_eq(batch_submit(b, fault_job, &next, &zErr), BATCH_OK, "%s", zErr ? zErr : "");
  cr_assert_eq(next.iNum, 1);
  batch_stop(b);
  cr_assert_eq(tmp_int(&t, "SELECT n FROM counter"), 1);
  cr_assert_eq(tmp_int(&t, "SELECT count(*) FROM sqlite_schema WHERE name = 'filler'"), 0);
  tmp_close(&t);
}
