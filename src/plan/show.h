/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Text views of the stored plan for the CLI: the activity list, one
** activity with every field, its period targets, progress reports with
** evidence and review, and its history; and the change log.
*/
#ifndef PARTICIPA_PLAN_SHOW_H
#define PARTICIPA_PLAN_SHOW_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "db/db.h"

/* The plan's metadata and a line per activity. */
void plan_show_plan(Db *db, int64_t iPlan, Buf *pOut);
/* Everything about item iItem; false when the plan has no such item. */
bool plan_show_activity(Db *db, int64_t iPlan, long iItem, Buf *pOut);

#endif
