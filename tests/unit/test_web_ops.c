/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** GET /salud on a real server (issue 8, operator tools): public JSON, 200
** when healthy, never cached, no paths; 503 with the reason and
** Retry-After when the free disk is below the threshold setting.
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "db/db.h"
#include "db/setting.h"
#include "ops/ops.h"
#include "webtest.h"

/* Set the disk threshold setting on the fixture database (its own connection). */
static void set_threshold(WebFixture *f, const char *zMb) {
  char *zErr = NULL;
  Db *db = db_open(f->zDb, 0, &zErr);
  cr_assert_not_null(db, "%s", zErr ? zErr : "");
  setting_set(db, SETTING_DISK_MIN_MB, zMb);
  db_close(db);
}

Test(web_ops, salud_healthy_is_200_json_not_cached) {
  WebFixture f;
  webtest_start(&f, true);
  WebResp w = webtest_get(&f, NULL, "/salud");
  cr_expect_eq(w.iStatus, 200, "%s", w.zBody);
  char *zType = webtest_header(&w, "Content-Type");
  cr_expect(zType && strcmp(zType, "application/json; charset=utf-8") == 0, "%s",
            zType ? zType : "(none)");
  free(zType);
  char *zCache = webtest_header(&w, "Cache-Control");
  cr_expect(zCache && strcmp(zCache, "no-store") == 0, "%s", zCache ? zCache : "(none)");
  free(zCache);
  cr_expect(webtest_has(&w, "\"estado\": \"ok\""), "%s", w.zBody);
  cr_expect(webtest_has(&w, "\"problemas\": []"), "%s", w.zBody);
  cr_expect(webtest_has(&w, "\"escritura\": true"), "%s", w.zBody);
  char *zSchema = xasprintf("\"esquema\": %d,", db_schema_version());
  cr_expect(webtest_has(&w, zSchema), "%s", w.zBody);
  free(zSchema);
  /* the change log head, as on the database */
  long nLog = webtest_count(&f, "SELECT count(*) FROM change_log");
  char *zEntries = xasprintf("\"entradas\": %ld,", nLog);
  cr_expect(webtest_has(&w, zEntries), "%s", w.zBody);
  free(zEntries);
  cr_expect(webtest_has(&w, "\"minimo_mb\": 500,"), "%s", w.zBody);
  cr_expect(!webtest_has(&w, f.zDir), "a path in %s", w.zBody);
  webtest_resp_free(&w);
  webtest_stop(&f);
}

Test(web_ops, salud_below_disk_threshold_is_503_with_reason) {
  WebFixture f;
  webtest_start(&f, false);
  set_threshold(&f, "100000000");
  WebResp w = webtest_get(&f, NULL, "/salud");
  cr_expect_eq(w.iStatus, 503, "%s", w.zBody);
  cr_expect(webtest_has(&w, "\"estado\": \"falla\""), "%s", w.zBody);
  cr_expect(webtest_has(&w, "queda poco disco para la base de datos: "), "%s", w.zBody);
  cr_expect(webtest_has(&w, "mínimo 100000000 MB"), "%s", w.zBody);
  cr_expect(webtest_has(&w, "\"escritura\": true"), "%s", w.zBody);
  char *zRetry = webtest_header(&w, "Retry-After");
  cr_expect(zRetry && strcmp(zRetry, "30") == 0, "%s", zRetry ? zRetry : "(none)");
  free(zRetry);
  webtest_resp_free(&w);
  /* back under the threshold: healthy again, nothing cached */
  set_threshold(&f, "1");
  w = webtest_get(&f, NULL, "/salud");
  cr_expect_eq(w.iStatus, 200, "%s", w.zBody);
  cr_expect(webtest_has(&w, "\"minimo_mb\": 1,"), "%s", w.zBody);
  webtest_resp_free(&w);
  webtest_stop(&f);
}
