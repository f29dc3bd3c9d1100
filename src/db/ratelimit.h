/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The rate limit of the public forms (table rate_bucket, migration 0010):
** at most N counted events per client network in any hour, N being the
** form's setting (pqrsd.limite_hora, retos.limite_hora) or constant. One
** policy for every form:
**   - the key is the client's network: an IPv4 address (also when written
**     as an IPv4-mapped IPv6 address), or the /64 of an IPv6 address, since
**     one machine usually holds a whole /64; text that is no address is
**     its own key (its first RATELIMIT_KEY_MAX bytes);
**   - the window slides: events are kept per minute (one row per form, key
**     and minute), and a minute's events count until the newest of them is
**     RATELIMIT_WINDOW_SEC old; a refused client waits until enough minutes
**     have left the window for one more (ratelimit_wait) — exact to the
**     second when a minute holds one event, never too early otherwise;
**   - a check reads at most 61 rows, whatever the limit (100,000 behind a
**     proxy costs what 30 does);
**   - persisted, so a restart forgets nothing and every worker and the
**     group-commit writer see the same counts;
**   - a limit of 0 or less is no limit: nothing is read or written (the
**     PQRSD filing path, ~5,000 filings/s, pays nothing for it);
**   - rows past the window are deleted by each counted event and by
**     ratelimit_prune (the daily upkeep): an address is kept one hour.
** Callers choose when an event counts (a PQRSD once filed, a failed status
** check, a proposal once stored) and say so to the client themselves (429,
** Retry-After, the message). Knows nothing else of the forms; the form
** names are the callers'.
*/
#ifndef PARTICIPA_DB_RATELIMIT_H
#define PARTICIPA_DB_RATELIMIT_H

#include "db/db.h"

#define RATELIMIT_WINDOW_SEC 3600 /* an event counts for this long */
#define RATELIMIT_KEY_MAX    64   /* bytes of a key ("2001:db8::/64" needs at most 25) */

/* The key of client address zAddr into zKey (NUL-terminated). Cannot fail. */
void ratelimit_key(const char *zAddr, char zKey[RATELIMIT_KEY_MAX + 1]);

/* Seconds zAddr must wait before its next event of form zForm, given at
** most nMax events in any RATELIMIT_WINDOW_SEC; 0 when it may go on (always
** 0, reading nothing, when nMax <= 0). At least 1 when it must wait. Only
** reads; a database failure follows db.h (app_fatal, or a soft fault). */
int ratelimit_wait(Db *db, const char *zForm, const char *zAddr, int nMax);

/* Count one event of zAddr for form zForm now, and delete every form's
** events past the window. Writes: inside the caller's transaction when one
** is open (so a batch's filing and its count commit together), else on
** its own. */
void ratelimit_count(Db *db, const char *zForm, const char *zAddr);

/* Delete every form's minutes past the window; returns how many rows went
** (one per client and minute). */
int ratelimit_prune(Db *db);

#endif
