/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Command lookup in a table of the shape of tables/commands.h. The entries
** themselves are declared by each module beside its handlers
** (src/<name>/<name>_module.c) and gathered, sorted by name, by
** src/app/module.c; tests/unit/test_commands.c checks order, uniqueness and
** that every entry has usage and help. Each usage string lives in its
** module's declaration only: main hands the entry's usage to its handler
** (App.zUsage), which prints it with its usage errors.
*/
#include "tables/commands.h"

#include <string.h>

const Command *command_find(const Command *a, int n, const char *zName, bool *pbAmbiguous) {
  const Command *pFound = NULL;
  int nMatch = 0;
  size_t nName = strlen(zName);
  *pbAmbiguous = false;
  for (int i = 0; i < n; i++) {
    if (strcmp(a[i].zName, zName) == 0) {
      return &a[i];
    }
    if (nName > 0 && strncmp(a[i].zName, zName, nName) == 0 && !(a[i].flags & CMD_HIDDEN)) {
      pFound = &a[i];
      nMatch++;
    }
  }
  if (nMatch > 1) {
    *pbAmbiguous = true;
    return NULL;
  }
  return pFound;
}
