/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Group commit: one writer thread with its own database connection runs
** short write jobs submitted from any thread, many of them in one
** transaction, so that one fsync acknowledges a whole batch. A web handler
** that must not answer before its record is on disk (a PQRSD radicado)
** submits a job and blocks until the transaction holding it has committed.
**
** How a batch runs. The writer takes every job queued when the previous
** commit ended, in submission order, at most nMaxBatch of them (no timer:
** a lone job is committed at once, and jobs that arrive while a commit is
** in progress form the next batch). It opens one write transaction
** (BEGIN IMMEDIATE), runs each job inside its own SAVEPOINT, releases the
** savepoint of a job that succeeds and rolls back the savepoint of one that
** fails, then COMMITs and wakes every submitter of the batch.
**
** The durability contract:
**   - The writer's connection runs with PRAGMA synchronous=FULL in WAL
**     mode: COMMIT returns only after the WAL frames of the transaction have
**     been written and fsync()ed. batch_run() returns true only after that
**     COMMIT has returned SQLITE_OK, so when a caller sees true, the job's
**     writes survive a crash of the process or of the machine (as far as
**     the disk honours fsync).
**   - Each job runs exactly once, in exactly one transaction. Its writes are
**     committed together with the other successful jobs of its batch, or
**     not at all: a reader never sees part of a job.
**   - A job that fails (returns false) leaves nothing in the database: its
**     savepoint is rolled back, including anything it took from a counter,
**     so a failed job leaves no gap in a numbering. The other jobs of the
**     batch are not affected. Its submitter, too, hears of it once the batch
**     has committed. A failure after which SQLite itself rolled back the
**     whole transaction (an I/O error, ON CONFLICT ROLLBACK) leaves no
**     savepoint to return to: a bug, and the process ends.
**   - An operational failure anywhere in a batch (the database busy past
**     the busy timeout, disk full, read-only, an I/O error, also in the
**     COMMIT itself) abandons the whole batch: the transaction is rolled
**     back and every job of it ends BATCH_UNAVAILABLE, so no submitter of
**     that batch is told it committed. The writer then closes and reopens
**     its connection (after a failed write its page cache is not to be
**     trusted) and goes on with the next batch: the process never ends for
**     it. A later batch may succeed once the cause is gone.
**   - batch_submit() giving anything but BATCH_OK never means "committed":
**     the job failed (BATCH_FAILED, *pzErr says why), or the database or
**     the writer was not available (BATCH_UNAVAILABLE: a failure above, or
**     the writer stopping).
**
** What a job may do: read and write through the Db it is given (db.h),
** inside the open transaction; fill in results in its pArg (the submitter
** is blocked, so it may also read pArg's inputs freely). What it must not
** do: begin, commit or roll back a transaction or savepoint of its own
** (nesting aborts, db.h); use another connection (request_db() of a web
** worker); block on anything that waits for the writer; keep statements
** open when it returns. It runs on the writer thread, so it must be
** thread-safe with respect to whatever it reads outside pArg. Results in
** pArg are meaningful only when batch_run() returns true.
**
** Does not: retry jobs, order jobs by priority, reorder them (FIFO), or
** replace other connections: web workers and the CLI still write with their
** own transactions (synchronous=NORMAL: in WAL mode their commits are not
** fsync()ed, so they are not durable in the sense above), which take turns
** with the writer for SQLite's write lock (busy timeout, db.h).
*/
#ifndef PARTICIPA_DB_BATCH_H
#define PARTICIPA_DB_BATCH_H

#include <stdbool.h>

#include "db/db.h"

typedef struct Batch Batch; /* a running writer */

/* A job: runs inside the batch's write transaction (and its own savepoint)
** on the writer thread. Returns true on success. On failure returns false
** and may set *pzErr to a message for the submitter (malloc'd; the
** submitter frees it); a message set by a job that returns true is freed
** and dropped. */
typedef bool (*BatchJobFunc)(Db *db, void *pArg, char **pzErr);

/* Counters of a writer since batch_start(), and its queue (a consistent
** snapshot). */
typedef struct BatchStats {
  long nJob;      /* jobs run */
  long nFailed;   /* jobs that returned false (their savepoint rolled back) */
  long nCommit;   /* transactions committed */
  int nLargest;   /* most jobs in one transaction */
  int nQueued;    /* jobs waiting now for a transaction to start */
  bool bStopping; /* batch_stop() has begun: new jobs are refused */
} BatchStats;

/* The batch size when batch_start() is given 0. */
#define BATCH_DEFAULT_MAX 256

/* What became of a submitted job. */
typedef enum BatchOutcome {
  BATCH_OK,         /* the job succeeded and its writes are committed durably */
  BATCH_FAILED,     /* the job returned false: nothing of it was written */
  BATCH_UNAVAILABLE /* not committed: an operational failure or the writer stopping */
} BatchOutcome;

/* Open zDbPath (which must exist; db_open() migrates it) on a new
** connection with synchronous=FULL and soft faults (db.h), and start the writer thread, which runs
** at most nMaxBatch jobs per transaction (0 = BATCH_DEFAULT_MAX). The thread
** inherits the caller's signal mask: a server that takes its signals with
** sigwait() blocks them first. Returns NULL and sets *pzErr (Spanish,
** caller frees) when the database cannot be opened or the thread cannot be
** started. Stop with batch_stop(). */
Batch *batch_start(const char *zDbPath, int nMaxBatch, char **pzErr);

/* Submit a job and wait until the transaction holding it has committed
** durably or been abandoned (see the contract above). Returns BATCH_OK when
** xRun succeeded and its writes are committed; BATCH_FAILED when xRun
** failed (with its message in *pzErr, or NULL when it set none);
** BATCH_UNAVAILABLE when the batch met an operational failure or the writer
** is stopping (batch_stop() has begun: the job is not run), with a Spanish
** message in *pzErr. *pzErr is set to NULL first; the caller frees it.
** Callable from any thread except the writer's own (from a job it would
** wait forever: a bug that aborts). */
BatchOutcome batch_submit(Batch *b, BatchJobFunc xRun, void *pArg, char **pzErr);
/* batch_submit() == BATCH_OK. */
bool batch_run(Batch *b, BatchJobFunc xRun, void *pArg, char **pzErr);

/* Copy the counters of b into *p. */
void batch_stats(Batch *b, BatchStats *p);

/* Stop the writer: refuse new jobs, run and commit every job already
** submitted (their submitters get their answers), then end the thread,
** close the connection and free b. Callers must not use b afterwards, so a
** server stops its request threads first. NULL is ignored. */
void batch_stop(Batch *b);

#endif
