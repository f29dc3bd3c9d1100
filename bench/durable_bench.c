/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The reference for the PQRSD durability benchmark: how many rows per
** second plain SQLite can make durable on a given disk, with the settings a
** durable acknowledgement needs (WAL, synchronous=FULL), measured two ways:
** one row per transaction (one fsync per row: what a server without group
** commit could at best acknowledge) and NBATCH rows per transaction (what
** batching buys). Each row is about the size of a filed PQRSD (a radicado,
** a subject, 600 bytes of text, a timestamp). Uses the SQLite library
** directly, with SQLite's default page size, so that nothing of participa
** is in the figure. Each way runs for SECONDS seconds on a fresh database
** in DIR (the bench directory: the same disk as participa's database).
**
** Prints one machine-readable line:
**   single=ROWS_PER_S batched=ROWS_PER_S batch=NBATCH
**
** Usage: durable-bench DIR [SECONDS [NBATCH]]   (defaults 3, 100)
*/
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* Seconds on the monotonic clock. */
static double now_sec(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Run zSql on db or end the program with SQLite's message. */
static void exec_or_die(sqlite3 *db, const char *zSql) {
  char *zErr = NULL;
  if (sqlite3_exec(db, zSql, NULL, NULL, &zErr) != SQLITE_OK) {
    fprintf(stderr, "durable-bench: %s: %s\n", zSql, zErr ? zErr : sqlite3_errmsg(db));
    exit(1);
  }
}

/* Insert rows into a fresh database zPath for nSec seconds, nPerTx rows
** per committed transaction. Returns rows per second. */
static double measure(const char *zPath, double nSec, int nPerTx) {
  char *zWal = sqlite3_mprintf("%s-wal", zPath);
  char *zShm = sqlite3_mprintf("%s-shm", zPath);
  unlink(zPath), unlink(zWal), unlink(zShm);
  sqlite3 *db = NULL;
  if (sqlite3_open(zPath, &db) != SQLITE_OK) {
    fprintf(stderr, "durable-bench: no se puede abrir %s\n", zPath);
    exit(1);
  }
  exec_or_die(db, "PRAGMA journal_mode=WAL");
  exec_or_die(db, "PRAGMA synchronous=FULL");
  exec_or_die(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, radicado TEXT UNIQUE, subject TEXT, "
                  "body TEXT, received_at TEXT)");
  sqlite3_stmt *pIns = NULL;
  if (sqlite3_prepare_v2(db,
                         "INSERT INTO t(radicado, subject, body, received_at) VALUES "
                         "(printf('2021-PQRSD-%06d', ?1), 'Asunto de prueba', "
                         "printf('%.600c', 'x'), '2021-06-30T12:00:00Z')",
                         -1, &pIns, NULL) != SQLITE_OK) {
    fprintf(stderr, "durable-bench: %s\n", sqlite3_errmsg(db));
    exit(1);
  }
  long nRow = 0;
  double tStart = now_sec(), tEnd = tStart;
  while (tEnd - tStart < nSec) {
    exec_or_die(db, "BEGIN IMMEDIATE");
    for (int i = 0; i < nPerTx; i++) {
      sqlite3_bind_int64(pIns, 1, ++nRow);
      if (sqlite3_step(pIns) != SQLITE_DONE) {
        fprintf(stderr, "durable-bench: %s\n", sqlite3_errmsg(db));
        exit(1);
      }
      sqlite3_reset(pIns);
    }
    exec_or_die(db, "COMMIT");
    tEnd = now_sec();
  }
  sqlite3_finalize(pIns);
  sqlite3_close(db);
  unlink(zPath), unlink(zWal), unlink(zShm);
  sqlite3_free(zWal);
  sqlite3_free(zShm);
  return (double)nRow / (tEnd - tStart);
}

int main(int argc, char **argv) {
  if (argc < 2 || argc > 4) {
    fprintf(stderr, "uso: durable-bench DIRECTORIO [SEGUNDOS [FILAS_POR_TRANSACCIÓN]]\n");
    return 2;
  }
  double nSec = argc > 2 ? atof(argv[2]) : 3.0;
  int nBatch = argc > 3 ? atoi(argv[3]) : 100;
  if (nSec <= 0 || nBatch < 1) {
    fprintf(stderr, "durable-bench: SEGUNDOS y FILAS_POR_TRANSACCIÓN deben ser positivos\n");
    return 2;
  }
  char *zPath = sqlite3_mprintf("%s/durable-bench.db", argv[1]);
  double rSingle = measure(zPath, nSec, 1);
  double rBatched = measure(zPath, nSec, nBatch);
  printf("single=%.0f batched=%.0f batch=%d\n", rSingle, rBatched, nBatch);
  sqlite3_free(zPath);
  return 0;
}
