/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Helpers shared by the unit tests (see testutil.h).
*/
#include "testutil.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/util.h"

int test_remove_dir(const char *zDir) {
  DIR *d = opendir(zDir);
  if (d == NULL) {
    return -1;
  }
  int rc = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
      char *zPath = xasprintf("%s/%s", zDir, e->d_name);
      rc |= unlink(zPath);
      free(zPath);
    }
  }
  closedir(d);
  return rc | rmdir(zDir);
}

char *test_child_output_dup(int fd, pid_t pid) {
  Buf b = BUF_INIT;
  char a[4096];
  ssize_t n;
  while ((n = read(fd, a, sizeof a)) > 0) {
    buf_append(&b, a, (size_t)n);
  }
  close(fd);
  int status = 0;
  waitpid(pid, &status, 0);
  cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child process failed");
  buf_putc(&b, 0);
  b.n--;
  return buf_take(&b);
}

void test_db_open(TestDb *t, const char *zName) {
  memset(t, 0, sizeof *t);
  snprintf(t->zDir, sizeof t->zDir, "/tmp/participa-%.20s-XXXXXX", zName);
  cr_assert_not_null(mkdtemp(t->zDir));
  t->zDb = xasprintf("%s/test.db", t->zDir);
  char *zErr = NULL;
  t->db = db_open(t->zDb, DB_CREATE, &zErr);
  cr_assert_not_null(t->db, "db_open: %s", zErr ? zErr : "");
}

void test_db_close(TestDb *t) {
  db_close(t->db);
  cr_assert_eq(test_remove_dir(t->zDir), 0);
  free(t->zDb);
}
