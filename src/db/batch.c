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
#include <stdio.h>
#include <string.h>

#include "base/util.h"

/* One submitted job. Lives on the submitter's stack until batch_run()
** returns, which it does only after the writer has let go of it. */
typedef struct Job {
  BatchJobFunc xRun;     /* the work */
  void *pArg;            /* its argument */
  BatchOutcome eOutcome; /* what became of the job (valid once bDone) */
  char *zErr;            /* the message on failure (handed to the submitter) */
  pthread_mutex_t mutex; /* guards bDone */
  pthread_cond_t cond;   /* signalled when bDone is set */
  bool bDone;            /* the batch holding the job has committed */
  struct Job *pNext;     /* next job in the queue (guarded by the batch's mutex) */
} Job;

struct Batch {
  Db *db;                /* the writer's connection (writer thread only); NULL after a
                            failed reopen */
  char *zDbPath;         /* the database, for reopening after a fault */
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

/* Open b's connection as the writer needs it: soft faults, synchronous=FULL,
** statement journals in memory. False (b->db NULL) with *pzErr when the
** database cannot be opened. */
static bool writer_open(Batch *b, char **pzErr) {
  b->db = db_open(b->zDbPath, 0, pzErr);
  if (b->db == NULL) {
    return false;
  }
  db_set_soft_faults(b->db, true);
  /* db_open() leaves NORMAL, under which a WAL commit is not fsync()ed:
  ** FULL is what makes an acknowledgement mean "on disk" */
  db_exec(b->db, "PRAGMA synchronous=FULL");
  /* every job's savepoint keeps the pages it changes in a statement
  ** journal: in memory, not in a temporary file written for each job */
  db_exec(b->db, "PRAGMA temp_store=MEMORY");
  if (db_fault(b->db) != NULL || db_int(b->db, "PRAGMA synchronous") != 2) {
    *pzErr = xasprintf("no se pudo preparar la conexión de escritura: %s",
                       db_fault(b->db) ? db_fault(b->db) : "synchronous");
    db_fault_clear(b->db);
    db_close(b->db);
    b->db = NULL;
    return false;
  }
  return true;
}

/* Give every job of aJob[n] the outcome BATCH_UNAVAILABLE with a copy of
** zWhy (replacing any message of its own). */
static void fail_all(Job **aJob, int n, const char *zWhy) {
  for (int i = 0; i < n; i++) {
    free(aJob[i]->zErr);
    aJob[i]->zErr = xstrdup(zWhy);
    aJob[i]->eOutcome = BATCH_UNAVAILABLE;
  }
}

/* Run the n jobs of aJob in one transaction, each in its own savepoint,
** and commit. Sets each job's outcome and message; the caller wakes them.
** An operational failure anywhere (busy past the timeout, disk full, I/O
** error, also in COMMIT) abandons the whole batch: the transaction is
** rolled back, every job of it is BATCH_UNAVAILABLE (none was told it
** committed), and the connection is closed and opened again, since after a
** failed write its page cache is not to be trusted. */
static void run_batch(Batch *b, Job **aJob, int n) {
  if (b->db == NULL) {
    char *zErr = NULL;
    if (!writer_open(b, &zErr)) {
      fprintf(stderr, "participa: error: %s\n", zErr);
      fail_all(aJob, n, "la base de datos no está disponible en este momento");
      free(zErr);
      return;
    }
  }
  Db *db = b->db;
  db_begin(db);
  for (int i = 0; i < n && db_fault(db) == NULL; i++) {
    Job *p = aJob[i];
    char *zErr = NULL;
    db_exec(db, "SAVEPOINT batch_job");
    bool bOk = p->xRun(db, p->pArg, &zErr);
    if (bOk) {
      db_exec(db, "RELEASE batch_job");
      free(zErr);
      zErr = NULL;
    } else {
      db_exec(db, "ROLLBACK TO batch_job");
      db_exec(db, "RELEASE batch_job");
    }
    p->eOutcome = bOk ? BATCH_OK : BATCH_FAILED;
    p->zErr = zErr;
  }
  db_commit(db);
  if (db_fault(db) != NULL) {
    fprintf(stderr, "participa: error: no se guardó un lote de %d registros: %s\n", n,
            db_fault(db));
    fail_all(aJob, n, "no se pudo guardar en este momento; intente de nuevo en unos minutos");
    db_fault_clear(db);
    db_close(db);
    b->db = NULL;
  }
}

/* The writer thread: take what is queued, run it, commit, wake, repeat;
** once stopping, drain the queue and end. */
static void *writer_main(void *pBatch) {
  Batch *b = pBatch;
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

    run_batch(b, aJob, n);

    /* the counters first, so that they include every job whose submitter
    ** has its answer */
    pthread_mutex_lock(&b->mutex);
    b->stats.nCommit++;
    b->stats.nJob += n;
    for (int i = 0; i < n; i++) {
      b->stats.nFailed += aJob[i]->eOutcome != BATCH_OK;
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
  return NULL;
}

Batch *batch_start(const char *zDbPath, int nMaxBatch, char **pzErr) {
  *pzErr = NULL;
  Batch *b = xcalloc(1, sizeof *b);
  b->zDbPath = xstrdup(zDbPath);
  if (!writer_open(b, pzErr)) {
    free(b->zDbPath);
    free(b);
    return NULL;
  }
  b->nMax = nMaxBatch > 0 ? nMaxBatch : BATCH_DEFAULT_MAX;
  pthread_mutex_init(&b->mutex, NULL);
  pthread_cond_init(&b->cond, NULL);
  int rc = pthread_create(&b->thread, NULL, writer_main, b);
  if (rc != 0) {
    *pzErr =
        xasprintf("no se pudo iniciar el hilo de escritura de «%s»: %s", zDbPath, os_error(rc));
    pthread_cond_destroy(&b->cond);
    pthread_mutex_destroy(&b->mutex);
    db_close(b->db);
    free(b->zDbPath);
    free(b);
    return NULL;
  }
  return b;
}

BatchOutcome batch_submit(Batch *b, BatchJobFunc xRun, void *pArg, char **pzErr) {
  *pzErr = NULL;
  ASSERT(!pthread_equal(pthread_self(), b->thread));
  Job job = {.xRun = xRun, .pArg = pArg};
  pthread_mutex_lock(&b->mutex);
  if (b->bStop) {
    pthread_mutex_unlock(&b->mutex);
    *pzErr = xstrdup("el servicio se está deteniendo y no recibe más registros; intente de "
                     "nuevo en unos minutos");
    return BATCH_UNAVAILABLE;
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
  return job.eOutcome;
}

bool batch_run(Batch *b, BatchJobFunc xRun, void *pArg, char **pzErr) {
  return batch_submit(b, xRun, pArg, pzErr) == BATCH_OK;
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
  free(b->zDbPath);
  pthread_cond_destroy(&b->cond);
  pthread_mutex_destroy(&b->mutex);
  free(b);
}
