/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Helpers shared by the unit tests (see testutil.h).
*/
#include "testutil.h"

#include <criterion/criterion.h>
#include <dirent.h>
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
