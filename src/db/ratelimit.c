/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The rate limit of the public forms (see ratelimit.h).
*/
#include "db/ratelimit.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"

void ratelimit_key(const char *zAddr, char zKey[RATELIMIT_KEY_MAX + 1]) {
  unsigned char a[16];
  const char *z = zAddr ? zAddr : "";
  if (inet_pton(AF_INET, z, a) == 1) {
    inet_ntop(AF_INET, a, zKey, RATELIMIT_KEY_MAX + 1);
    return;
  }
  if (inet_pton(AF_INET6, z, a) == 1) {
    static const unsigned char aMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (memcmp(a, aMapped, 12) == 0) {
      inet_ntop(AF_INET, a + 12, zKey, RATELIMIT_KEY_MAX + 1);
      return;
    }
    memset(a + 8, 0, 8);
    char zNet[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, a, zNet, sizeof zNet);
    snprintf(zKey, RATELIMIT_KEY_MAX + 1, "%s/64", zNet);
    return;
  }
  snprintf(zKey, RATELIMIT_KEY_MAX + 1, "%s", z);
}

int ratelimit_wait(Db *db, const char *zForm, const char *zAddr, int nMax) {
  if (nMax <= 0) {
    return 0;
  }
  char zKey[RATELIMIT_KEY_MAX + 1];
  ratelimit_key(zAddr, zKey);
  int64_t iNow = clock_now_unix();
  /* newest minute first: the minute in which the count reaches nMax must
  ** leave the window (its newest event an hour old) before one more fits */
  Stmt *s = db_prepare(db, "SELECT n, last_at FROM rate_bucket WHERE form = :form AND key = :key "
                           "AND last_at > :old ORDER BY minute DESC");
  db_bind_text(s, ":form", zForm);
  db_bind_text(s, ":key", zKey);
  db_bind_int(s, ":old", iNow - RATELIMIT_WINDOW_SEC);
  int64_t nSeen = 0;
  int nWait = 0;
  while (db_step(s)) {
    nSeen += db_col_int(s, 0);
    if (nSeen >= nMax) {
      int64_t n = db_col_int(s, 1) + RATELIMIT_WINDOW_SEC - iNow;
      nWait = n < 1 ? 1 : n > RATELIMIT_WINDOW_SEC ? RATELIMIT_WINDOW_SEC : (int)n;
      break;
    }
  }
  db_finalize(s);
  return nWait;
}

void ratelimit_count(Db *db, const char *zForm, const char *zAddr) {
  char zKey[RATELIMIT_KEY_MAX + 1];
  ratelimit_key(zAddr, zKey);
  int64_t iNow = clock_now_unix();
  bool bOwn = !db_in_transaction(db);
  if (bOwn) {
    db_begin(db);
  }
  Stmt *s = db_prepare(db, "INSERT INTO rate_bucket(form, key, minute, n, last_at) "
                           "VALUES (:form, :key, :minute, 1, :at) "
                           "ON CONFLICT (form, key, minute) DO UPDATE SET n = rate_bucket.n + 1, "
                           "last_at = CASE WHEN excluded.last_at > rate_bucket.last_at "
                           "THEN excluded.last_at ELSE rate_bucket.last_at END");
  db_bind_text(s, ":form", zForm);
  db_bind_text(s, ":key", zKey);
  db_bind_int(s, ":minute", iNow / 60);
  db_bind_int(s, ":at", iNow);
  db_run(s);
  db_finalize(s);
  ratelimit_prune(db);
  if (bOwn) {
    db_commit(db);
  }
}

int ratelimit_prune(Db *db) {
  Stmt *s = db_prepare(db, "DELETE FROM rate_bucket WHERE last_at <= :old");
  db_bind_int(s, ":old", clock_now_unix() - RATELIMIT_WINDOW_SEC);
  db_run(s);
  db_finalize(s);
  return db_changes(db);
}
