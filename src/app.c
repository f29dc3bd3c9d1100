/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Shared command state helpers (see app.h).
*/
#include "app.h"

#include <stdio.h>
#include <stdlib.h>

void app_open_db(App *app, bool bCreate) {
  if (app->db) {
    return;
  }
  char *zErr = NULL;
  app->db = db_open(app->zDbPath, bCreate ? DB_CREATE : 0, &zErr);
  if (app->db == NULL) {
    fprintf(stderr, "participa: %s\n", zErr);
    free(zErr);
    exit(1);
  }
}
