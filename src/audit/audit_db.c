/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Writing and reading the change log (see audit.h): the one place that
** inserts into change_log, and the named queries the audit page and the
** page cache read it with. Every SQL text is a literal with bound values;
** checking the chain is audit.c's.
*/
#include "audit/audit.h"

#include <stdarg.h>
#include <stdlib.h>

#include "base/clock.h"

/* Entries are hash-chained (migration 0004, docs/auditoria.md). The new
** entry's id, link and hash are computed from audit_head inside this one
** statement, which runs under the write lock: two writers cannot both
** continue the same entry and fork the chain. The hash covers, in order,
**   prev_hash, id, at, actor, action, object, object_id ("" when NULL), detail
** each as text with "\" written "\\" and a line feed "\n", joined by line
** feeds, as lowercase hex SHA-256 (participa_sha256, src/db/db.c); the
** first entry's prev_hash is 64 zeros. audit.c checks the same. */
void audit_log(Db *db, const char *zActor, const char *zAction, const char *zObject,
               int64_t iObject, const char *zDetail) {
  Buf now = BUF_INIT;
  clock_now_iso(&now);
  Stmt *s = db_prepare(
      db, "INSERT INTO change_log(id, at, actor, action, object, object_id, detail, prev_hash, "
          "hash) SELECT h.last_id + 1, :at, :actor, :action, :object, :oid, :detail, h.last_hash, "
          "participa_sha256(h.last_hash, h.last_id + 1, :at, :actor, :action, :object, :oid, "
          ":detail) FROM audit_head h WHERE h.id = 1");
  db_bind_text(s, ":at", buf_str(&now));
  db_bind_text(s, ":actor", zActor);
  db_bind_text(s, ":action", zAction);
  db_bind_text(s, ":object", zObject);
  if (iObject == 0) {
    db_bind_null(s, ":oid");
  } else {
    db_bind_int(s, ":oid", iObject);
  }
  db_bind_text(s, ":detail", zDetail ? zDetail : "");
  db_run(s);
  /* after a database failure (a soft fault) nothing ran: the request ends
  ** with 503 and its transaction is rolled back */
  ASSERT(db_fault(db) != NULL || db_changes(db) == 1);
  db_finalize(s);
  buf_reset(&now);
}

void audit_logf(Db *db, const char *zActor, const char *zAction, const char *zObject,
                int64_t iObject, const char *zFmt, ...) {
  va_list ap;
  va_start(ap, zFmt);
  char *zDetail = xvasprintf(zFmt, ap);
  va_end(ap);
  audit_log(db, zActor, zAction, zObject, iObject, zDetail);
  free(zDetail);
}

int audit_entries(Db *db, int nLimit, int64_t nOffset, AuditEntry **paOut) {
  Stmt *s = db_prepare(db, "SELECT id, at, actor, action, object, coalesce(object_id, 0), detail "
                           "FROM change_log ORDER BY id DESC LIMIT :n OFFSET :off");
  db_bind_int(s, ":n", nLimit);
  db_bind_int(s, ":off", nOffset);
  int n = 0;
  AuditEntry *a = NULL;
  while (db_step(s)) {
    a = xrealloc(a, sizeof(AuditEntry) * (size_t)(n + 1));
    AuditEntry *p = &a[n++];
    p->id = db_col_int(s, 0);
    p->zAt = xstrdup(db_col_text(s, 1));
    p->zActor = xstrdup(db_col_text(s, 2));
    p->zAction = xstrdup(db_col_text(s, 3));
    p->zObject = xstrdup(db_col_text(s, 4));
    p->iObject = db_col_int(s, 5);
    p->zDetail = xstrdup(db_col_text(s, 6));
  }
  db_finalize(s);
  *paOut = a;
  return n;
}

void audit_entries_free(int n, AuditEntry *a) {
  for (int i = 0; i < n; i++) {
    free(a[i].zAt);
    free(a[i].zActor);
    free(a[i].zAction);
    free(a[i].zObject);
    free(a[i].zDetail);
  }
  free(a);
}

void audit_list(Db *db, int nLimit, Buf *pOut) {
  Stmt *s = db_prepare(db, "SELECT id, at, actor, action, object, coalesce(object_id, ''), detail"
                           " FROM change_log ORDER BY id DESC LIMIT :n");
  db_bind_int(s, ":n", nLimit > 0 ? nLimit : 50);
  while (db_step(s)) {
    buf_appendf(pOut, "%lld %s %s %s %s %s: %s\n", (long long)db_col_int(s, 0), db_col_text(s, 1),
                db_col_text(s, 2), db_col_text(s, 3), db_col_text(s, 4), db_col_text(s, 5),
                db_col_text(s, 6));
  }
  db_finalize(s);
}

int64_t audit_count(Db *db) {
  return db_int(db, "SELECT count(*) FROM change_log");
}

int64_t audit_last_id(Db *db) {
  return db_int(db, "SELECT coalesce(max(id), 0) FROM change_log");
}
