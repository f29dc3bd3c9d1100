/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** A parallel reader on a second connection (see reader.h).
*/
#include "db/reader.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* Thread body: open the second connection, run the work in one read
** transaction, close. Sets p->bDone only when every step ran. */
static void *reader_thread(void *pArg) {
  DbReader *p = pArg;
  char *zErr = NULL;
  Db *db = db_open(p->zPath, 0, &zErr);
  if (db == NULL) {
    free(zErr); /* the caller reads on its own connection and reports there */
    return NULL;
  }
  db_set_soft_faults(db, true);
  db_exec(db, "PRAGMA query_only = 1");
  db_begin_read(db);
  p->xRead(db, p->pArg);
  bool bDone = db_fault(db) == NULL;
  db_commit(db); /* rolls back after a fault */
  db_close(db);
  p->bDone = bDone;
  return NULL;
}

bool db_reader_start(DbReader *p, Db *db, DbReadFunc xRead, void *pArg) {
  memset(p, 0, sizeof *p);
  const char *zPath = db_filename(db);
  if (zPath[0] == 0) {
    return false;
  }
  p->zPath = xstrdup(zPath);
  p->xRead = xRead;
  p->pArg = pArg;
  if (pthread_create(&p->thread, NULL, reader_thread, p) != 0) {
    free(p->zPath);
    p->zPath = NULL;
    return false;
  }
  p->bStarted = true;
  return true;
}

bool db_reader_join(DbReader *p) {
  if (p->bStarted) {
    pthread_join(p->thread, NULL);
    p->bStarted = false;
  }
  free(p->zPath);
  p->zPath = NULL;
  return p->bDone;
}
