/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The audit log, the change log every module writes to: appending an entry
** (audit_log, audit_logf), reading entries back for the audit page
** (audit_entries, audit_count), the "last change" token the page cache
** keys on (audit_last_id), and checking that the hash-chained log (schema
** in migration 0004, canonical form in docs/auditoria.md) is whole. The
** writer and readers are in audit_db.c, the checks in audit.c, the
** `participa audit` commands are declared in audit_cmd.h. The checks find
** entries whose content was altered, deleted entries (gaps in the ids, or
** missing newest entries according to audit_head), broken links, a log
** emptied although the database holds data, and the protective triggers
** of the migrations dropped, altered or joined by others; they do not
** write to the log. A log rewritten consistently (edited and re-chained,
** its newest entries replaced, wiped together with the data) cannot be
** told from the original by the chain alone: that needs a head kept
** elsewhere, an anchor "HASH:COUNT" printed by `audit head`, which
** `audit verify --expect` checks (docs/auditoria.md). This module knows
** nothing of what the entries are about: callers name the action, the kind
** of object and its id, and write a detail that holds no personal value.
*/
#ifndef PARTICIPA_AUDIT_AUDIT_H
#define PARTICIPA_AUDIT_AUDIT_H

#include <stdint.h>

#include "base/buf.h"
#include "base/util.h"
#include "db/db.h"

/* ---- writing and reading the log (audit_db.c) ---- */

/* Append an entry to the change log, continuing its hash chain, inside the
** caller's transaction (or as its own statement when there is none): who
** (zActor), what (zAction), on what kind of object (zObject) and its id
** (iObject, 0 for none, stored as NULL), and a detail (NULL is stored as
** ""). Never fails on its inputs; a database error ends the request or the
** program through src/db. */
void audit_log(Db *db, const char *zActor, const char *zAction, const char *zObject,
               int64_t iObject, const char *zDetail);

/* audit_log with the detail built from the printf-style zFmt and its
** arguments. Fails like audit_log. */
void audit_logf(Db *db, const char *zActor, const char *zAction, const char *zObject,
                int64_t iObject, const char *zFmt, ...) PRINTF_LIKE(6, 7);

/* One entry of the change log, as read back. Owned strings. */
typedef struct AuditEntry {
  int64_t id;      /* entry id */
  char *zAt;       /* ISO UTC timestamp */
  char *zActor;    /* who */
  char *zAction;   /* what */
  char *zObject;   /* on what kind of object */
  int64_t iObject; /* its id, 0 when none */
  char *zDetail;   /* the detail */
} AuditEntry;

/* At most nLimit entries of the change log, newest first, skipping the
** nOffset newest. Returns the count; *paOut is malloc'd (NULL when none),
** free it with audit_entries_free. Database errors end the program. */
int audit_entries(Db *db, int nLimit, int64_t nOffset, AuditEntry **paOut);
/* Free n entries from audit_entries and the array. */
void audit_entries_free(int n, AuditEntry *a);
/* The newest nLimit entries of the change log (50 when nLimit <= 0), one
** line each, "ID AT ACTOR ACTION OBJECT OBJECT_ID: DETAIL" (OBJECT_ID empty
** when none), newest first, appended to pOut for `participa log`. The text
** is as stored: the caller makes it safe for a terminal. */
void audit_list(Db *db, int nLimit, Buf *pOut);
/* Number of entries in the change log. */
int64_t audit_count(Db *db);
/* The id of the newest entry, 0 for an empty log: it grows with every
** change any module commits, so a page built at one value is still
** current while the value stays (the page cache keys on it). */
int64_t audit_last_id(Db *db);

/* ---- checking the log (audit.c) ---- */

/* Walk the whole change log and append to pOut one Spanish line per
** problem found ("entrada 17 (2021-06-30T12:00:00Z, prueba, meta): el
** contenido fue alterado"). Returns the number of problems, 0 when the log
** is whole. Reads one snapshot (opens a read transaction unless the caller
** is in one). Never fails on a tampered log; database errors end the
** program through src/db. */
int audit_verify(Db *db, Buf *pOut);

/* Check the triggers that guard the log (change_log_no_update,
** change_log_no_delete, change_log_chained, audit_head_advance,
** audit_head_forward, audit_head_no_delete): each must exist with exactly
** the text of its last definition in the built-in migrations, and no other
** trigger may sit on change_log or audit_head. Appends one Spanish line per
** problem to pOut and returns their number. audit_verify calls it; never
** fails on a tampered schema. */
int audit_check_guards(Db *db, Buf *pOut);

/* The number of entries in the change log; appends the newest entry's hash
** to pHash (nothing when the log is empty). */
int64_t audit_last(Db *db, Buf *pHash);

#define AUDIT_HASH_CHARS 64 /* hex characters of an entry's hash */

/* An anchor: the head of the log at one moment, "HASH:COUNT", kept outside
** the database. */
typedef struct AuditAnchor {
  char zHash[AUDIT_HASH_CHARS + 1]; /* hash of entry COUNT, lowercase hex */
  int64_t nCount;                   /* entries the log had; 0 for an empty log */
} AuditAnchor;

/* Parse "HASH:COUNT" (64 hex digits, either case, a colon, a whole number
** from 0; surrounding blanks ignored) into *p. False when z is not one. */
bool audit_anchor_parse(const char *z, AuditAnchor *p);

/* Check the log against an anchor taken earlier: entry p->nCount must
** still exist with hash p->zHash (for 0 entries, nothing to find). Appends
** one Spanish line per problem to pOut and returns their number; 0 means
** that entries 1..COUNT are the ones anchored, and with audit_verify
** finding nothing, that the whole chain extends them. Reads in the
** caller's transaction (or opens one); database errors end the program. */
int audit_expect(Db *db, const AuditAnchor *p, Buf *pOut);

#endif
