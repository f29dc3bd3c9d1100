/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Whole-file reads (see file.h).
*/
#include "io/file.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>

int file_read_all(const char *zPath, Buf *pOut) {
  FILE *in = fopen(zPath, "rb");
  if (in == NULL) {
    return errno ? errno : ENOENT;
  }
  size_t nBefore = pOut->n;
  char aBuf[65536];
  size_t n;
  while ((n = fread(aBuf, 1, sizeof aBuf, in)) > 0) {
    buf_append(pOut, aBuf, n);
  }
  bool bErr = ferror(in) != 0;
  fclose(in);
  if (bErr) {
    pOut->n = nBefore; /* what was read is dropped */
    if (pOut->z) {
      pOut->z[nBefore] = 0;
    }
    return FILE_READ_ERROR;
  }
  return 0;
}
