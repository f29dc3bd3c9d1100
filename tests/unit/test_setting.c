/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Unit tests for src/db/setting: reading and writing a key, a whole number
** within bounds, and the entity's name and logo as pages show them (the
** setting, else the latest plan's entity). Each test works on a new
** database in its own temporary directory.
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/util.h"
#include "db/db.h"
#include "db/setting.h"
#include "testutil.h"

/* A temporary directory with an open database in it. */
typedef TestDb Fx;

/* Make the directory and create the database. */
static void fx_open(Fx *f) {
  test_db_open(f, "setting");
}

/* Close the database and remove the directory. */
static void fx_close(Fx *f) {
  test_db_close(f);
}

/* Add a plan of entity zEntity imported at zAt. */
static void plan_add(Fx *f, const char *zEntity, int iYear, const char *zAt) {
  Stmt *s = db_prepare(f->db, "INSERT INTO plan(entity, year, imported_at) VALUES (:e, :y, :at)");
  db_bind_text(s, ":e", zEntity);
  db_bind_int(s, ":y", iYear);
  db_bind_text(s, ":at", zAt);
  db_run(s);
  db_finalize(s);
}

/* Assert setting_entity_name_dup gives zWant. */
static void assert_entity(Fx *f, const char *zWant) {
  char *z = setting_entity_name_dup(f->db);
  cr_assert_not_null(z);
  cr_expect_str_eq(z, zWant);
  free(z);
}

Test(setting, get_set, .description = "setting-1.1 a key is set, replaced, read and deleted") {
  Fx f;
  fx_open(&f);
  cr_expect_null(setting_get_dup(f.db, SETTING_RETOS_LIMIT));
  setting_set(f.db, SETTING_RETOS_LIMIT, "7");
  setting_set(f.db, SETTING_RETOS_LIMIT, "12");
  char *z = setting_get_dup(f.db, SETTING_RETOS_LIMIT);
  cr_expect_str_eq(z, "12");
  free(z);
  cr_expect_eq(db_int(f.db, "SELECT count(*) FROM setting WHERE key = 'retos.limite_hora'"), 1);
  cr_expect_eq(setting_get_int(f.db, SETTING_RETOS_LIMIT, 0, 100, 10), 12);
  cr_expect_eq(setting_get_int(f.db, SETTING_RETOS_LIMIT, 0, 11, 10), 10, "out of bounds");
  setting_set(f.db, SETTING_RETOS_LIMIT, "12 por hora");
  cr_expect_eq(setting_get_int(f.db, SETTING_RETOS_LIMIT, 0, 100, 10), 10, "not a number");
  setting_set(f.db, SETTING_RETOS_LIMIT, NULL);
  cr_expect_null(setting_get_dup(f.db, SETTING_RETOS_LIMIT));
  fx_close(&f);
}

Test(setting, entity_name,
     .description =
         "setting-1.2 the entity's name: the setting, else the latest plan's, else \"\"") {
  Fx f;
  fx_open(&f);
  assert_entity(&f, "");
  plan_add(&f, "Alcaldía de Cartagena", 2021, "2021-02-01T10:00:00Z");
  plan_add(&f, "Alcaldía de Cartagena de Indias", 2022, "2022-02-01T10:00:00Z");
  plan_add(&f, "Alcaldía antigua", 2020, "2020-02-01T10:00:00Z");
  assert_entity(&f, "Alcaldía de Cartagena de Indias");
  setting_set(f.db, SETTING_ENTITY_NAME, "");
  assert_entity(&f, "Alcaldía de Cartagena de Indias");
  setting_set(f.db, SETTING_ENTITY_NAME, "Distrito de Cartagena");
  assert_entity(&f, "Distrito de Cartagena");
  fx_close(&f);
}

Test(setting, entity_logo, .description = "setting-1.3 a logo is set only by a non-empty type") {
  Fx f;
  fx_open(&f);
  cr_expect_not(setting_entity_has_logo(f.db));
  setting_set(f.db, SETTING_ENTITY_LOGO_TYPE, "");
  cr_expect_not(setting_entity_has_logo(f.db));
  setting_set(f.db, SETTING_ENTITY_LOGO_TYPE, "image/png");
  cr_expect(setting_entity_has_logo(f.db));
  fx_close(&f);
}
