/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The key/value settings of the entity (table setting): traffic-light
** thresholds, entity name, logo type, ... Values are text. Callers log the
** change themselves (plan_log) in the same transaction.
*/
#ifndef PARTICIPA_DB_SETTING_H
#define PARTICIPA_DB_SETTING_H

#include "db/db.h"

/* The value of zKey (caller frees), or NULL when it is not set. */
char *setting_get_dup(Db *db, const char *zKey);
/* The value of zKey as a whole number from nMin to nMax, or nDefault when
** it is not set or is not such a number. */
int setting_get_int(Db *db, const char *zKey, int nMin, int nMax, int nDefault);
/* Set zKey to zValue (NULL deletes it). */
void setting_set(Db *db, const char *zKey, const char *zValue);

#endif
