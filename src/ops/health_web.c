/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** GET /salud, the page monitors poll (see ops.h): JSON from
** ops_health_check(), 200 when healthy and 503 when not, never cached.
** Public: it shows no personal data and no paths, only states and figures.
*/
#include <stdlib.h>

#include "ops/ops.h"
#include "app/web.h"

void health_page(Request *r) {
  const WebApp *app = web_app(r);
  /* a connection of its own, with a short busy timeout, so that a database
  ** locked by a long write answers within about a second */
  char *zErr = NULL;
  Db *db = db_open(app->zDbPath, 0, &zErr);
  free(zErr);
  if (db) {
    db_exec(db, "PRAGMA busy_timeout=1000");
  }
  OpsHealth h;
  ops_health_check(db, app->zDbPath, app->zDataDir, -1, &h);
  db_close(db);
  Buf *pOut = request_body_out(r);
  ops_health_json(&h, pOut);
  response_status(r, h.bOk ? 200 : 503);
  response_type(r, "application/json; charset=utf-8");
  response_header(r, "Cache-Control", "no-store");
  if (!h.bOk) {
    response_header(r, "Retry-After", "30");
  }
  ops_health_reset(&h);
}
