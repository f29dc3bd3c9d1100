/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The audit log: checking that the hash-chained change log (written by
** plan_log(), schema in migration 0004, canonical form in
** docs/auditoria.md) is whole, and the `participa audit` commands. Finds
** entries whose content was altered, deleted entries (gaps in the ids, or
** missing newest entries according to audit_head), broken links, a log
** emptied although the database holds data, and the protective triggers
** of the migrations dropped, altered or joined by others. Does not write
** to the log. A log rewritten consistently (edited and re-chained, its
** newest entries replaced, wiped together with the data) cannot be told
** from the original by the chain alone: that needs a head kept elsewhere,
** an anchor "HASH:COUNT" printed by `audit head`, which
** `audit verify --expect` checks (docs/auditoria.md).
*/
#ifndef PARTICIPA_AUDIT_AUDIT_H
#define PARTICIPA_AUDIT_AUDIT_H

#include <stdint.h>

#include "app.h"
#include "base/buf.h"
#include "db/db.h"

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

/* `participa audit head`: when the log is whole, prints "HASH:COUNT" and
** an explanation (exit 0); else the problems (exit 1). */
int audit_head_cmd(App *app, int argc, char **argv);

/* `participa audit verify [--expect HASH:COUNT]`: prints that the log is
** whole with its entry count and head (exit 0), or each problem (exit 1);
** with --expect, also each difference from that anchor. */
int audit_verify_cmd(App *app, int argc, char **argv);

#endif
