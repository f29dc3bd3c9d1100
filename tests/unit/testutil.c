/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Helpers shared by the unit tests (see testutil.h).
*/
#include "testutil.h"

#include <dirent.h>
#include <string.h>
#include <unistd.h>

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
