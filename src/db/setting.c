/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Key/value settings and the entity's name (see setting.h). Every SQL text
** is a literal with bound values.
*/
#include "db/setting.h"

#include <stddef.h>
#include <stdlib.h>

#include "base/util.h"

char *setting_get_dup(Db *db, const char *zKey) {
  Stmt *s = db_prepare(db, "SELECT value FROM setting WHERE key = :key");
  db_bind_text(s, ":key", zKey);
  char *z = db_step(s) ? db_col_text_dup(s, 0) : NULL;
  db_finalize(s);
  return z;
}

int setting_get_int(Db *db, const char *zKey, int nMin, int nMax, int nDefault) {
  char *z = setting_get_dup(db, zKey);
  int n = nDefault;
  if (z) {
    char *zEnd = NULL;
    long v = strtol(z, &zEnd, 10);
    if (zEnd != z && *zEnd == 0 && v >= nMin && v <= nMax) {
      n = (int)v;
    }
    free(z);
  }
  return n;
}

void setting_set(Db *db, const char *zKey, const char *zValue) {
  Stmt *s;
  if (zValue == NULL) {
    s = db_prepare(db, "DELETE FROM setting WHERE key = :key");
  } else {
    s = db_prepare(db, "INSERT INTO setting(key, value) VALUES (:key, :value) "
                       "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    db_bind_text(s, ":value", zValue);
  }
  db_bind_text(s, ":key", zKey);
  db_run(s);
  db_finalize(s);
}

char *setting_entity_name_dup(Db *db) {
  Stmt *s = db_prepare(db, "SELECT coalesce((SELECT value FROM setting WHERE key = :key AND "
                           "value <> ''), (SELECT entity FROM plan ORDER BY imported_at DESC, id "
                           "DESC LIMIT 1), '')");
  db_bind_text(s, ":key", SETTING_ENTITY_NAME);
  char *z = db_step(s) ? db_col_text_dup(s, 0) : NULL;
  db_finalize(s);
  return z ? z : xstrdup("");
}

bool setting_entity_has_logo(Db *db) {
  Stmt *s = db_prepare(db, "SELECT EXISTS(SELECT 1 FROM setting WHERE key = :key AND value <> '')");
  db_bind_text(s, ":key", SETTING_ENTITY_LOGO_TYPE);
  bool b = db_step(s) && db_col_int(s, 0) != 0;
  db_finalize(s);
  return b;
}
