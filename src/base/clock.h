/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The current time, in one place, so that tests can fix it: when the
** environment variable PARTICIPA_NOW holds an ISO UTC timestamp
** ("2021-06-30T12:00:00Z") every "now" and "today" of the program is that.
*/
#ifndef PARTICIPA_BASE_CLOCK_H
#define PARTICIPA_BASE_CLOCK_H

#include <stdint.h>

#include "base/buf.h"
#include "base/date.h"

/* Append the current UTC time as "YYYY-MM-DDTHH:MM:SSZ". */
void clock_now_iso(Buf *pOut);
/* The current time as seconds since the Unix epoch (PARTICIPA_NOW when
** set: its date and time read as UTC). */
int64_t clock_now_unix(void);
/* Today's date (local time, or the date of PARTICIPA_NOW). */
Day clock_today(void);

#endif
