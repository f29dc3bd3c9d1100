/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The audit log: checking that the hash-chained change log (written by
** plan_log(), schema in migration 0004, canonical form in
** docs/auditoria.md) is whole, and the `participa audit` commands. Finds
** entries whose content was altered, deleted entries (gaps in the ids, or
** missing newest entries according to audit_head) and broken links. Does
** not write to the log, and cannot notice a log rewritten from its start
** together with its head: that needs the last hash kept elsewhere, which
** is why `audit verify` prints it.
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

/* The number of entries in the change log; appends the newest entry's hash
** to pHash (nothing when the log is empty). */
int64_t audit_last(Db *db, Buf *pHash);

/* `participa audit verify`: prints that the log is whole with its entry
** count and last hash (exit 0), or each problem (exit 1). */
int audit_verify_cmd(App *app, int argc, char **argv);

#endif
