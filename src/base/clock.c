/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Current time with a test override (see clock.h).
*/
#include "base/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The PARTICIPA_NOW override, or NULL when unset or empty. */
static const char *fixed_now(void) {
  const char *z = getenv("PARTICIPA_NOW");
  return (z && z[0]) ? z : NULL;
}

void clock_now_iso(Buf *pOut) {
  const char *zFixed = fixed_now();
  if (zFixed) {
    buf_puts(pOut, zFixed);
    return;
  }
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  buf_appendf(pOut, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
              tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

Day clock_today(void) {
  const char *zFixed = fixed_now();
  if (zFixed) {
    char *zDate = strndup(zFixed, 10);
    Day d;
    Buf err = BUF_INIT;
    bool bOk = zDate && date_parse(zDate, &d, &err);
    buf_reset(&err);
    free(zDate);
    if (bOk) {
      return d;
    }
  }
  return date_today();
}

int64_t clock_now_unix(void) {
  const char *zFixed = fixed_now();
  if (zFixed) {
    int y, mo, d, h = 0, mi = 0, sec = 0;
    if (sscanf(zFixed, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &sec) >= 3) {
      struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
                      .tm_hour = h, .tm_min = mi, .tm_sec = sec};
      return (int64_t)timegm(&tm);
    }
  }
  return (int64_t)time(NULL);
}
