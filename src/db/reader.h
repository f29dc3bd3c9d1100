/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** A parallel reader: a second connection to the same database file that
** reads, in its own thread, while the caller goes on reading on its own
** connection. On two cores this nearly halves a large read that splits in
** two (the plan report: numbers on one side, texts and totals on the
** other).
**
** Every call opens a fresh connection (PRAGMA query_only, so it cannot
** write) to the caller's file, runs the callback inside one read
** transaction, closes the connection and lets the thread end at join: no
** connection or thread outlives db_reader_join. A reader costs about a
** millisecond (thread, open, schema read), small beside the reads worth
** doing in parallel (a 100,000-activity report takes some 200 ms); use it
** only for those.
**
** Snapshots: the reader's read transaction starts when its thread first
** reads, so it sees the database as committed then, which may differ from
** the snapshot of the caller's read transaction if a write commits in
** between. A caller that needs one consistent picture reads the same token
** on both sides (a value every write changes, such as the last change-log
** id) and, when they differ, discards the reader's result and reads that
** part again on its own connection.
**
** Faults: the reader's connection is in soft-fault mode (db.h): a busy
** database, an I/O error or a failed open never ends the program from the
** reader's thread; db_reader_join reports that the reader did not finish
** and the caller reads on its own connection, where failures are handled
** as usual.
**
** Does not: pool connections, run more than one callback per reader, or
** work on a temporary or in-memory database (db_reader_start refuses).
*/
#ifndef PARTICIPA_DB_READER_H
#define PARTICIPA_DB_READER_H

#include <pthread.h>
#include <stdbool.h>

#include "db/db.h"

/* The reader's work: reads on db (the reader's own connection, already in
** a read transaction) into the caller's pArg. It finalizes every statement
** it prepares and neither begins nor ends transactions. It runs on another
** thread: it must not touch the caller's connection or anything the caller
** uses until db_reader_join returns. */
typedef void (*DbReadFunc)(Db *db, void *pArg);

/* One parallel read; lives with the caller (typically on its stack) from
** db_reader_start to db_reader_join. */
typedef struct DbReader {
  pthread_t thread; /* the reading thread, when bStarted */
  bool bStarted;    /* a thread was started: db_reader_join must be called */
  bool bDone;       /* xRead ran to its end without a fault (set by the thread) */
  char *zPath;      /* database file (owned, freed by db_reader_join) */
  DbReadFunc xRead; /* the work */
  void *pArg;       /* its argument (borrowed) */
} DbReader;

/* Start xRead(db2, pArg) on a new thread with a new read-only connection
** db2 to the file of db. Returns true when the thread started (the caller
** must then call db_reader_join before it uses pArg or returns); false when
** nothing started: db is temporary or in memory (no file to open again) or
** no thread could be created. Never fails otherwise; *p needs no setup. */
bool db_reader_start(DbReader *p, Db *db, DbReadFunc xRead, void *pArg);

/* Wait for the reader of db_reader_start to end and release what it held.
** Returns true when xRead ran to its end with no operational fault (its
** result in pArg is complete); false when the connection could not be
** opened or a read failed (pArg may hold a partial result, which the
** caller frees and reads again on its own connection), or when the reader
** never started. Safe to call once after any db_reader_start. */
bool db_reader_join(DbReader *p);

#endif
