/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** libFuzzer target for date_parse(): the input, as a NUL-terminated string,
** is parsed; a success must come with no message and survive a round trip
** through ISO formatting, a failure must come with a message. Does not
** fuzz the other date functions except as part of those checks.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Parse data as a date and check the invariants above; aborts on a violation. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *z = xstrndup((const char *)data, size);
  Buf err = BUF_INIT;
  Day day = 0;
  if (date_parse(z, &day, &err)) {
    if (err.n != 0) {
      abort();
    }
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    if (y < DATE_YEAR_MIN || y > DATE_YEAR_MAX) {
      abort();
    }
    Buf iso = BUF_INIT;
    date_format_iso(day, &iso);
    Day again = -1;
    if (!date_parse(buf_str(&iso), &again, NULL) || again != day) {
      abort();
    }
    date_format_long(day, &iso);
    buf_reset(&iso);
  } else if (err.n == 0) {
    abort();
  }
  buf_reset(&err);
  free(z);
  return 0;
}
