/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Group commit (see batch.h for the contract). Submitters link a Job that
** lives on their own stack into a FIFO queue and sleep on the job's own
** condition variable; the writer thread moves up to nMax jobs off the queue,
** runs them in one transaction with a savepoint each, commits, and only
** then marks each job done and wakes its submitter. The queue, the stop
** flag and the counters are guarded by the batch's mutex, held only to link
** or unlink jobs; each job's done flag by the job's own mutex, so that the
** submitters woken after a commit do not all queue up on one lock while
** the writer goes on with the next batch. The database connection belongs
** to the writer alone.
**
** Does not: know what a job writes, time out, or retry.
*/
#include "db/batch.h"

#include <pthread.h>
#include <string.h>

#include "base/util.h"

/* One submitted job. Lives on the submitter's stack until batch_run()
** returns, which it does only after the writer has let go of it. */
typedef struct Job {
  BatchJobFunc xRun;     /* the work */
  void *pArg;            /* its argument */
  bool bOk;              /* xRun returned true (valid once bDone) */
  char *zErr;            /* xRun's message on failure (handed to the submitter) */
  pthread_mutex_t mutex; /* guards bDone */
  pthread_cond_t cond;   /* signalled when bDone is set */
  bool bDone;            /* the batch holding the job has committed */
  struct Job *pNext;     /* next job in the queue (guarded by the batch's mutex) */
} Job;

struct Batch {
  Db *db;                /* the writer's connection (writer thread only) */
  int nMax;              /* most jobs per transaction */
  pthread_t thread;      /* the writer */
  pthread_mutex_t mutex; /* guards everything below (not the jobs' done flags) */
  pthread_cond_t cond;   /* signalled when a job is queued or stopping begins */
  Job *pHead;            /* oldest queued job, NULL when none */
  Job *pTail;            /* newest queued job */
  int nQueued;           /* jobs in the queue */
  bool bStop;            /* batch_stop() has begun: no new jobs */
  BatchStats stats;      /* counters */
};

/* The statements the writer runs around every job, prepared once. */
typedef struct Savepoint {
  Stmt *pBegin;    /* SAVEPOINT */
  Stmt *pRelease;  /* RELEASE */
  Stmt *pRollback; /* ROLLBACK TO (the savepoint stays open until RELEASE) */
} Savepoint;

/* Run the n jobs of aJob in one transaction, each in its own savepoint,
** and commit. Sets each job's bOk and zErr; the caller wakes them. A failed
** COMMIT ends the process in db_commit() (app_fatal), before anyone is told. */
static void run_batch(Batch *b, Savepoint *sp, Job **aJob, int n) {
  db_begin(b->db);
  for (int i = 0; i < n; i++) {
    Job *p = aJob[i];
    char *zErr = NULL;
    db_run(sp->pBegin);
    p->bOk = p->xRun(b->db, p->pArg, &zErr);
    if (p->bOk) {
      db_run(sp->pRelease);
      free(zErr);
      zErr = NULL;
    } else {
      db_run(sp->pRollback);
      db_run(sp->pRelease);
    }
    p->zErr = zErr;
  }
  db_commit(b->db);
}

/* The writer thread: take what is queued, run it, commit, wake, repeat;
** once stopping, drain the queue and end. */
static void *writer_main(void *pBatch) {
  Batch *b = pBatch;
  Savepoint sp = {
      .pBegin = db_prepare(b->db, "SAVEPOINT batch_job"),
      .pRelease = db_prepare(b->db, "RELEASE batch_job"),
      .pRollback = db_prepare(b->db, "ROLLBACK TO batch_job"),
  };
  Job **aJob = xmalloc(sizeof(Job *) * (size_t)b->nMax);
  pthread_mutex_lock(&b->mutex);
  for (;;) {
    while (b->pHead == NULL && !b->bStop) {
      pthread_cond_wait(&b->cond, &b->mutex);
    }
    if (b->pHead == NULL) {
      break; /* stopping, and nothing left */
    }
    int n = 0;
    while (b->pHead != NULL && n < b->nMax) {
      aJob[n++] = b->pHead;
      b->pHead = b->pHead->pNext;
    }
    b->nQueued -= n;
    if (b->pHead == NULL) {
      b->pTail = NULL;
    }
    pthread_mutex_unlock(&b->mutex);

    run_batch(b, &sp, aJob, n);

    /* the counters first, so that they include every job whose submitter
    ** has its answer */
    pthread_mutex_lock(&b->mutex);
    b->stats.nCommit++;
    b->stats.nJob += n;
    for (int i = 0; i < n; i++) {
      b->stats.nFailed += !aJob[i]->bOk;
    }
    if (n > b->stats.nLargest) {
      b->stats.nLargest = n;
    }
    pthread_mutex_unlock(&b->mutex);
    for (int i = 0; i < n; i++) {
      /* under the job's mutex: its submitter cannot return (and free the
      ** job) before we unlock, and we do not touch the job after that */
      Job *p = aJob[i];
      pthread_mutex_lock(&p->mutex);
      p->bDone = true;
      pthread_cond_signal(&p->cond);
      pthread_mutex_unlock(&p->mutex);
    }
    pthread_mutex_lock(&b->mutex);
  }
  pthread_mutex_unlock(&b->mutex);
  free(aJob);
  db_finalize(sp.pBegin);
  db_finalize(sp.pRelease);
  db_finalize(sp.pRollback);
  return NULL;
}

Batch *batch_start(const char *zDbPath, int nMaxBatch, char **pzErr) {
  *pzErr = NULL;
  Db *db = db_open(zDbPath, 0, pzErr);
  if (db == NULL) {
    return NULL;
  }
  /* db_open() leaves NORMAL, under which a WAL commit is not fsync()ed:
  ** FULL is what makes an acknowledgement mean "on disk" */
  db_exec(db, "PRAGMA synchronous=FULL");
  ASSERT(db_int(db, "PRAGMA synchronous") == 2);
  /* every job's savepoint keeps the pages it changes in a statement
  ** journal: in memory, not in a temporary file written for each job */
  db_exec(db, "PRAGMA temp_store=MEMORY");
  Batch *b = xcalloc(1, sizeof *b);
  b->db = db;
  b->nMax = nMaxBatch > 0 ? nMaxBatch : BATCH_DEFAULT_MAX;
  pthread_mutex_init(&b->mutex, NULL);
  pthread_cond_init(&b->cond, NULL);
  int rc = pthread_create(&b->thread, NULL, writer_main, b);
  if (rc != 0) {
    *pzErr =
        xasprintf("no se pudo iniciar el hilo de escritura de «%s»: %s", zDbPath, os_error(rc));
    pthread_cond_destroy(&b->cond);
    pthread_mutex_destroy(&b->mutex);
    db_close(db);
    free(b);
    return NULL;
  }
  return b;
}

bool batch_run(Batch *b, BatchJobFunc xRun, void *pArg, char **pzErr) {
  *pzErr = NULL;
  ASSERT(!pthread_equal(pthread_self(), b->thread));
  Job job = {.xRun = xRun, .pArg = pArg};
  pthread_mutex_lock(&b->mutex);
  if (b->bStop) {
    pthread_mutex_unlock(&b->mutex);
    *pzErr = xstrdup("el servicio se está deteniendo y no recibe más registros; intente de "
                     "nuevo en unos minutos");
    return false;
  }
  pthread_mutex_init(&job.mutex, NULL);
  pthread_cond_init(&job.cond, NULL);
  if (b->pTail) {
    b->pTail->pNext = &job;
  } else {
    b->pHead = &job;
  }
  b->pTail = &job;
  b->nQueued++;
  pthread_cond_signal(&b->cond);
  pthread_mutex_unlock(&b->mutex);
  pthread_mutex_lock(&job.mutex);
  while (!job.bDone) {
    pthread_cond_wait(&job.cond, &job.mutex);
  }
  pthread_mutex_unlock(&job.mutex);
  pthread_cond_destroy(&job.cond);
  pthread_mutex_destroy(&job.mutex);
  *pzErr = job.zErr;
  return job.bOk;
}

void batch_stats(Batch *b, BatchStats *p) {
  pthread_mutex_lock(&b->mutex);
  *p = b->stats;
  p->nQueued = b->nQueued;
  p->bStopping = b->bStop;
  pthread_mutex_unlock(&b->mutex);
}

void batch_stop(Batch *b) {
  if (b == NULL) {
    return;
  }
  pthread_mutex_lock(&b->mutex);
  b->bStop = true;
  pthread_cond_signal(&b->cond);
  pthread_mutex_unlock(&b->mutex);
  pthread_join(b->thread, NULL);
  db_close(b->db);
  pthread_cond_destroy(&b->cond);
  pthread_mutex_destroy(&b->mutex);
  free(b);
}
