/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** libFuzzer target for numword_parse() and numword_target(): the input, as
** a NUL-terminated string, goes through both. A parsed phrase must lie in
** 0..NUMWORD_MAX and be found again as the target of the same text; a
** target must be a finite, non-negative number.
*/
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/numword.h"
#include "base/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Run both functions on data and check the invariants above; aborts on a violation. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *z = xstrndup((const char *)data, size);
  double value = -1;
  bool bMismatch = false;
  bool bTarget = numword_target(z, &value, &bMismatch);
  if (bTarget && (!isfinite(value) || value < 0)) {
    abort();
  }
  if (!bTarget && bMismatch) {
    abort();
  }
  long n = -1;
  if (numword_parse(z, &n)) {
    if (n < 0 || n > NUMWORD_MAX) {
      abort();
    }
    if (!bTarget || value != (double)n || bMismatch) {
      abort();
    }
  }
  free(z);
  return 0;
}
