/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Tests for io/file: a whole file appended, an empty one, a missing one and
** a directory (a read that fails) leave the buffer as it was.
*/
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/file.h"

/* A fresh temporary directory. Caller frees (and removes what it made). */
static char *temp_dir_dup(void) {
  char *z = xstrdup("/tmp/participa-file-XXXXXX");
  cr_assert_not_null(mkdtemp(z));
  return z;
}

Test(file, read_all_appends_the_whole_file) {
  char *zDir = temp_dir_dup();
  char *zPath = xasprintf("%s/a.bin", zDir);
  FILE *f = fopen(zPath, "wb");
  cr_assert_not_null(f);
  char aBig[200000];
  for (size_t i = 0; i < sizeof aBig; i++) {
    aBig[i] = (char)(i * 7);
  }
  cr_assert_eq(fwrite(aBig, 1, sizeof aBig, f), sizeof aBig);
  cr_assert_eq(fclose(f), 0);
  Buf b = BUF_INIT;
  buf_puts(&b, "antes:");
  cr_expect_eq(file_read_all(zPath, &b), 0);
  cr_expect_eq(b.n, 6 + sizeof aBig);
  cr_expect_eq(memcmp(b.z, "antes:", 6), 0);
  cr_expect_eq(memcmp(b.z + 6, aBig, sizeof aBig), 0, "past the 64 KiB chunk");
  buf_reset(&b);
  unlink(zPath);
  free(zPath);
  zPath = xasprintf("%s/vacio", zDir);
  f = fopen(zPath, "wb");
  cr_assert_not_null(f);
  fclose(f);
  cr_expect_eq(file_read_all(zPath, &b), 0);
  cr_expect_eq(b.n, 0);
  cr_expect_str_eq(buf_str(&b), "");
  unlink(zPath);
  free(zPath);
  rmdir(zDir);
  free(zDir);
}

Test(file, read_all_failures_leave_the_buffer) {
  char *zDir = temp_dir_dup();
  char *zPath = xasprintf("%s/no-existe", zDir);
  Buf b = BUF_INIT;
  buf_puts(&b, "igual");
  cr_expect_eq(file_read_all(zPath, &b), ENOENT);
  cr_expect_str_eq(buf_str(&b), "igual");
  cr_expect_eq(file_read_all(zDir, &b), FILE_READ_ERROR, "a directory opens but cannot be read");
  cr_expect_str_eq(buf_str(&b), "igual");
  cr_expect_eq(b.n, 5);
  buf_reset(&b);
  free(zPath);
  rmdir(zDir);
  free(zDir);
}
