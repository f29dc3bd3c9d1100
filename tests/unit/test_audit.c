/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Unit tests for the hash-chained change log: audit_log() and the readers
** in src/audit/audit_db.c, migration 0004 and src/audit/audit.c. A chain is
** written through audit_log, its first hash is recomputed here from the
** canonical form of docs/auditoria.md with libsodium, then the database is
** tampered with as someone holding the file would (dropping the guard
** triggers with raw SQL) and audit_verify must name what changed. A
** schema-2 database built from the first two migrations must come out of
** the upgrade with a valid chain. Each test works in its own temporary
** directory.
*/
#include <criterion/criterion.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "base/buf.h"
#include "base/util.h"
#include "builtin.h"
#include "db/db.h"
#include "plan/plan_db.h"
#include "testutil.h"

#define NOW     "2021-06-30T12:00:00Z"
#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/* A temporary directory with an open database in it. */
typedef struct Fx {
  char zDir[64];     /* temporary directory */
  char *zDb;         /* database path in it (owned) */
  Db *db;            /* open database, NULL when closed */
  int nGuard;        /* guard triggers dropped by guard_drop */
  char *azGuard[6];  /* their CREATE statements (owned) */
} Fx;

/* Make the directory; with bOpen, create and open the database. */
static void fx_init(Fx *f, bool bOpen) {
  memset(f, 0, sizeof *f);
  cr_assert_eq(setenv("PARTICIPA_NOW", NOW, 1), 0);
  snprintf(f->zDir, sizeof f->zDir, "/tmp/participa-audit-XXXXXX");
  cr_assert_not_null(mkdtemp(f->zDir));
  f->zDb = xasprintf("%s/plan.db", f->zDir);
  if (bOpen) {
    char *zErr = NULL;
    f->db = db_open(f->zDb, DB_CREATE, &zErr);
    cr_assert_not_null(f->db, "db_open: %s", zErr ? zErr : "");
  }
}

/* Drop guard trigger zName to tamper with the log, keeping its text. */
static void guard_drop(Fx *f, const char *zName) {
  cr_assert_lt(f->nGuard, 6);
  Stmt *s = db_prepare(f->db, "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND "
                              "name = :n");
  db_bind_text(s, ":n", zName);
  cr_assert(db_step(s), "no trigger %s", zName);
  f->azGuard[f->nGuard++] = db_col_text_dup(s, 0);
  db_finalize(s);
  char *zSql = xasprintf("DROP TRIGGER %s", zName);
  db_exec(f->db, zSql);
  free(zSql);
}

/* Put back (bBack) or drop again the guards of guard_drop. */
static void guards_toggle(Fx *f, bool bBack) {
  for (int i = 0; i < f->nGuard; i++) {
    if (bBack) {
      db_exec(f->db, f->azGuard[i]);
    } else {
      const char *zName = f->azGuard[i] + strlen("CREATE TRIGGER ");
      char *zSql = xasprintf("DROP TRIGGER %.*s", (int)strcspn(zName, " \n"), zName);
      db_exec(f->db, zSql);
      free(zSql);
    }
  }
}

/* Close the database and remove the directory. */
static void fx_close(Fx *f) {
  for (int i = 0; i < f->nGuard; i++) {
    free(f->azGuard[i]);
  }
  db_close(f->db);
  cr_assert_eq(test_remove_dir(f->zDir), 0);
  free(f->zDb);
}

/* Write the five entries the tampering tests start from (ids 1 to 5). */
static void fx_chain(Fx *f) {
  audit_log(f->db, "prueba", "importar", "plan", 1, "plan.csv: 4 nuevas");
  audit_log(f->db, "prueba", "meta", "activity", 2, "T1: 1 → 2");
  audit_log(f->db, "prueba", "meta", "activity", 3, "T2: 0 → 1");
  audit_log(f->db, "auditor", "verificar", "progress", 1, "Acta revisada");
  audit_log(f->db, "prueba", "periodos", "plan", 1, "semestral");
}

/* Run audit_verify; returns its count and sets *pzOut to its report
** (caller frees). Guards dropped to tamper are put back while it runs, as
** a careful forger would, so that only the chain's problems show. */
static int verify(Fx *f, char **pzOut) {
  Buf out = BUF_INIT;
  guards_toggle(f, true);
  int n = audit_verify(f->db, &out);
  guards_toggle(f, false);
  cr_assert_not(db_in_transaction(f->db));
  *pzOut = xstrdup(buf_str(&out));
  buf_reset(&out);
  return n;
}

/* Check that the log verifies with no problem. */
static void assert_whole(Fx *f) {
  char *zOut;
  int n = verify(f, &zOut);
  cr_assert_eq(n, 0, "problems: %s", zOut);
  cr_assert_str_empty(zOut);
  free(zOut);
}

/* Check that the log has exactly the one problem zWant (a line). */
static void assert_problem(Fx *f, const char *zWant) {
  char *zOut;
  int n = verify(f, &zOut);
  cr_assert_str_eq(zOut, zWant);
  cr_assert_eq(n, 1);
  free(zOut);
}

/* Text column iCol of the one row of zSql (with :id bound to id), copied. */
static char *text_of(Db *db, const char *zSql, int64_t id) {
  Stmt *s = db_prepare(db, zSql);
  db_bind_int(s, ":id", id);
  cr_assert(db_step(s), "no row: %s", zSql);
  char *z = db_col_text_dup(s, 0);
  db_finalize(s);
  return z;
}

/* The canonical form of docs/auditoria.md, written out by hand: hex
** SHA-256 of the fields joined by line feeds, "\" and line feeds escaped. */
static void canonical_hash(const char *azField[8], char zHex[65]) {
  Buf b = BUF_INIT;
  for (int i = 0; i < 8; i++) {
    if (i > 0) {
      buf_putc(&b, '\n');
    }
    for (const char *z = azField[i]; *z; z++) {
      if (*z == '\\') {
        buf_puts(&b, "\\\\");
      } else if (*z == '\n') {
        buf_puts(&b, "\\n");
      } else {
        buf_putc(&b, *z);
      }
    }
  }
  unsigned char aHash[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(aHash, (const unsigned char *)buf_str(&b), b.n);
  sodium_bin2hex(zHex, 65, aHash, sizeof aHash);
  buf_reset(&b);
}

Test(audit, chain_verifies, .description = "audit-1.1 entries written by audit_log form a chain") {
  Fx f;
  fx_init(&f, true);
  assert_whole(&f); /* an empty log is whole */
  fx_chain(&f);
  assert_whole(&f);
  cr_assert_eq(db_int(f.db, "SELECT count(*) FROM change_log"), 5);
  cr_assert_eq(db_int(f.db, "SELECT count(*) FROM change_log c JOIN change_log p ON p.id = "
                            "c.id - 1 WHERE c.prev_hash = p.hash"),
               4, "each entry links to the one before");
  char *zFirst = text_of(f.db, "SELECT prev_hash FROM change_log WHERE id = :id", 1);
  cr_assert_str_eq(zFirst, GENESIS);
  free(zFirst);
  cr_assert_eq(db_int(f.db, "SELECT count(*) FROM audit_head h JOIN change_log c ON "
                            "c.id = h.last_id WHERE h.last_id = 5 AND h.count = 5 AND "
                            "h.last_hash = c.hash"),
               1, "the head is the newest entry");
  Buf last = BUF_INIT;
  cr_assert_eq(audit_last(f.db, &last), 5);
  char *zHash = text_of(f.db, "SELECT hash FROM change_log WHERE id = :id", 5);
  cr_assert_str_eq(buf_str(&last), zHash);
  free(zHash);
  buf_reset(&last);
  fx_close(&f);
}

Test(audit, canonical_form, .description = "audit-1.2 the hash is the documented canonical form") {
  Fx f;
  fx_init(&f, true);
  /* a detail with a line feed and a backslash, and an entry with no object id */
  audit_log(f.db, "prueba", "reportar", "progress", 17, "línea 1\nlínea 2 C:\\evidencia");
  audit_log(f.db, "prueba", "usuario", "app_user", 0, "");
  char *zPrev = text_of(f.db, "SELECT hash FROM change_log WHERE id = :id", 1);
  const char *az1[8] = {GENESIS,    "1",        NOW,  "prueba",
                        "reportar", "progress", "17", "línea 1\nlínea 2 C:\\evidencia"};
  const char *az2[8] = {zPrev, "2", NOW, "prueba", "usuario", "app_user", "", ""};
  char zWant[65];
  canonical_hash(az1, zWant);
  cr_assert_str_eq(zPrev, zWant);
  canonical_hash(az2, zWant);
  char *zHash = text_of(f.db, "SELECT hash FROM change_log WHERE id = :id", 2);
  cr_assert_str_eq(zHash, zWant);
  free(zHash);
  free(zPrev);
  /* a line feed moved from one field to the next changes the hash */
  const char *azA[8] = {GENESIS, "1", NOW, "a\nb", "c", "x", "", ""};
  const char *azB[8] = {GENESIS, "1", NOW, "a", "b\nc", "x", "", ""};
  char zA[65], zB[65];
  canonical_hash(azA, zA);
  canonical_hash(azB, zB);
  cr_assert_str_neq(zA, zB);
  assert_whole(&f);
  fx_close(&f);
}

Test(audit, altered_entry, .description = "audit-2.1 an altered entry is named") {
  Fx f;
  fx_init(&f, true);
  fx_chain(&f);
  guard_drop(&f, "change_log_no_update");
  db_exec(f.db, "UPDATE change_log SET detail = 'T2: 0 → 5' WHERE id = 3");
  assert_problem(&f, "entrada 3 (" NOW ", prueba, meta): el contenido fue alterado\n");
  fx_close(&f);
}

Test(audit, altered_actor,
     .description = "audit-2.2 a changed author is named, control "
                    "characters masked") {
  Fx f;
  fx_init(&f, true);
  fx_chain(&f);
  guard_drop(&f, "change_log_no_update");
  db_exec(f.db, "UPDATE change_log SET actor = 'otro' || char(27) || '[2J' WHERE id = 4");
  assert_problem(&f, "entrada 4 (" NOW ", otro?[2J, verificar): el contenido fue alterado\n");
  fx_close(&f);
}

Test(audit, rehashed_entry,
     .description = "audit-2.3 an entry altered with a new hash breaks "
                    "the next link") {
  Fx f;
  fx_init(&f, true);
  fx_chain(&f);
  guard_drop(&f, "change_log_no_update");
  db_exec(f.db, "UPDATE change_log SET detail = 'otro', hash = participa_sha256(prev_hash, id, "
                "at, actor, action, object, object_id, 'otro') WHERE id = 2");
  assert_problem(&f, "entrada 3 (" NOW ", prueba, meta): no enlaza con la entrada anterior: la "
                     "cadena fue alterada\n");
  fx_close(&f);
}

Test(audit, deleted_middle, .description = "audit-3.1 a deleted entry leaves a gap") {
  Fx f;
  fx_init(&f, true);
  fx_chain(&f);
  guard_drop(&f, "change_log_no_delete");
  db_exec(f.db, "DELETE FROM change_log WHERE id = 3");
  assert_problem(&f, "falta la entrada 3 (entre la 2 y la 4): fue borrada\n");
  db_exec(f.db, "DELETE FROM change_log WHERE id IN (1, 2)");
  char *zOut;
  cr_assert_eq(verify(&f, &zOut), 1);
  cr_assert_str_eq(zOut, "faltan las entradas 1 a 3 (antes de la 4): fueron borradas\n");
  free(zOut);
  fx_close(&f);
}

Test(audit, deleted_newest,
     .description = "audit-3.2 deleting the newest entries shows in the "
                    "head") {
  Fx f;
  fx_init(&f, true);
  fx_chain(&f);
  guard_drop(&f, "change_log_no_delete");
  db_exec(f.db, "DELETE FROM change_log WHERE id = 5");
  assert_problem(&f, "falta la última entrada (5): fue borrada\n");
  db_exec(f.db, "DELETE FROM change_log WHERE id >= 3");
  assert_problem(&f, "faltan las últimas entradas (3 a 5): fueron borradas\n");
  db_exec(f.db, "DELETE FROM change_log");
  assert_problem(&f, "faltan las últimas entradas (1 a 5): fueron borradas\n");
  fx_close(&f);
}

Test(audit, next_after_deletion, .description = "audit-3.3 a deleted id is not reused") {
  Fx f;
  fx_init(&f, true);
  fx_chain(&f);
  guard_drop(&f, "change_log_no_delete");
  db_exec(f.db, "DELETE FROM change_log WHERE id = 5");
  audit_log(f.db, "prueba", "meta", "activity", 2, "T1: 2 → 3");
  cr_assert_eq(db_int(f.db, "SELECT max(id) FROM change_log"), 6);
  assert_problem(&f, "falta la entrada 5 (entre la 4 y la 6): fue borrada\n");
  fx_close(&f);
}

Test(audit, head_guarded, .description = "audit-4.1 unchained entries and head edits are refused") {
  Fx f;
  fx_init(&f, true);
  fx_chain(&f);
  Stmt *s = db_prepare(f.db, "INSERT INTO change_log(id, at, actor, action, object, detail, "
                             "prev_hash, hash) VALUES (6, :at, 'x', 'x', 'x', '', :prev, :prev)");
  db_bind_text(s, ":at", NOW);
  db_bind_text(s, ":prev", GENESIS);
  cr_assert_eq(db_step_rc(s), SQLITE_CONSTRAINT_TRIGGER);
  cr_assert_str_eq(db_errmsg(f.db), "la entrada no continúa la cadena del registro de cambios");
  db_finalize(s);
  s = db_prepare(f.db, "INSERT INTO change_log(at, actor, action, object) VALUES (:at, 'x', "
                       "'x', 'x')");
  db_bind_text(s, ":at", NOW);
  cr_assert_eq(db_step_rc(s), SQLITE_CONSTRAINT_TRIGGER, "an entry without hash is refused");
  db_finalize(s);
  s = db_prepare(f.db, "UPDATE audit_head SET last_id = 4, count = count + 1");
  cr_assert_eq(db_step_rc(s), SQLITE_CONSTRAINT_TRIGGER);
  cr_assert_str_eq(db_errmsg(f.db), "la cabeza del registro de cambios no se puede modificar");
  db_finalize(s);
  s = db_prepare(f.db, "DELETE FROM audit_head");
  cr_assert_eq(db_step_rc(s), SQLITE_CONSTRAINT_TRIGGER);
  db_finalize(s);
  assert_whole(&f);
  /* with the guards dropped, a head moved back is reported */
  guard_drop(&f, "audit_head_forward");
  db_exec(f.db, "UPDATE audit_head SET last_id = 4");
  assert_problem(&f, "la entrada 5 no consta en la cabeza del registro: se agregó por fuera de "
                     "participa\n");
  db_exec(f.db, "UPDATE audit_head SET last_id = 3");
  assert_problem(&f, "las entradas 4 a 5 no constan en la cabeza del registro: se agregaron por "
                     "fuera de participa\n");
  db_exec(f.db, "UPDATE audit_head SET last_id = 5, last_hash = '" GENESIS "'");
  assert_problem(&f, "la última entrada (5) no coincide con la cabeza del registro: fue alterada "
                     "o reemplazada\n");
  fx_close(&f);
}

/* Run the SQL script zSql on h, failing the test with its error. */
static void raw_exec(sqlite3 *h, const char *zSql) {
  char *zErr = NULL;
  int rc = sqlite3_exec(h, zSql, NULL, NULL, &zErr);
  cr_assert_eq(rc, SQLITE_OK, "%s", zErr ? zErr : "");
}

/* The built-in migration whose name starts with zPrefix ("0001"). */
static const char *migration(const char *zPrefix) {
  for (int i = 0; i < nBuiltin; i++) {
    if (strncmp(aBuiltin[i].zName, zPrefix, strlen(zPrefix)) == 0) {
      return (const char *)aBuiltin[i].pData;
    }
  }
  cr_assert_fail("no migration %s", zPrefix);
  return NULL;
}

Test(audit, migrated_log, .description = "audit-5.1 a schema-2 log is chained by the upgrade") {
  Fx f;
  fx_init(&f, false);
  /* a database as participa schema 2 left it, with entries in its log */
  sqlite3 *h = NULL;
  cr_assert_eq(sqlite3_open(f.zDb, &h), SQLITE_OK);
  raw_exec(h, migration("0001"));
  raw_exec(h, migration("0002"));
  raw_exec(h, "PRAGMA user_version = 2; PRAGMA application_id = 1348555380;"
              "INSERT INTO change_log(at, actor, action, object, object_id, detail) VALUES "
              "('2021-05-01T10:00:00Z', 'prueba', 'importar', 'plan', 1, 'plan.csv'),"
              "('2021-05-02T10:00:00Z', 'prueba', 'meta', 'activity', 8, 'T3: 0 → 1'),"
              "('2021-05-03T10:00:00Z', 'auditor', 'verificar', 'progress', NULL, "
              "'línea 1' || char(10) || 'línea 2');");
  sqlite3_close(h);
  char *zErr = NULL;
  f.db = db_open(f.zDb, 0, &zErr);
  cr_assert_not_null(f.db, "db_open: %s", zErr ? zErr : "");
  cr_assert_eq(db_user_version(f.db), db_schema_version());
  assert_whole(&f);
  /* the backfilled hashes are the documented ones */
  char *zHash1 = text_of(f.db, "SELECT hash FROM change_log WHERE id = :id", 1);
  char *zHash3 = text_of(f.db, "SELECT hash FROM change_log WHERE id = :id", 3);
  char *zPrev3 = text_of(f.db, "SELECT prev_hash FROM change_log WHERE id = :id", 3);
  const char *az1[8] = {GENESIS, "1",       "2021-05-01T10:00:00Z", "prueba", "importar", "plan",
                        "1",     "plan.csv"};
  const char *az3[8] = {zPrev3,     "3", "2021-05-03T10:00:00Z", "auditor", "verificar",
                        "progress", "",  "línea 1\nlínea 2"};
  char zWant[65];
  canonical_hash(az1, zWant);
  cr_assert_str_eq(zHash1, zWant);
  canonical_hash(az3, zWant);
  cr_assert_str_eq(zHash3, zWant);
  cr_assert_eq(db_int(f.db, "SELECT last_id * 10 + count FROM audit_head"), 33);
  /* the log still refuses updates, and new entries continue the chain */
  Stmt *s = db_prepare(f.db, "UPDATE change_log SET actor = 'x'");
  cr_assert_eq(db_step_rc(s), SQLITE_CONSTRAINT_TRIGGER);
  db_finalize(s);
  audit_log(f.db, "prueba", "meta", "activity", 8, "T4: 0 → 1");
  char *zPrev4 = text_of(f.db, "SELECT prev_hash FROM change_log WHERE id = :id", 4);
  cr_assert_str_eq(zPrev4, zHash3);
  assert_whole(&f);
  free(zHash1);
  free(zHash3);
  free(zPrev3);
  free(zPrev4);
  fx_close(&f);
}

Test(audit, migrated_empty_log, .description = "audit-5.2 an empty schema-2 log gets its head") {
  Fx f;
  fx_init(&f, false);
  sqlite3 *h = NULL;
  cr_assert_eq(sqlite3_open(f.zDb, &h), SQLITE_OK);
  raw_exec(h, migration("0001"));
  raw_exec(h, migration("0002"));
  raw_exec(h, "PRAGMA user_version = 2; PRAGMA application_id = 1348555380;");
  sqlite3_close(h);
  char *zErr = NULL;
  f.db = db_open(f.zDb, 0, &zErr);
  cr_assert_not_null(f.db, "db_open: %s", zErr ? zErr : "");
  char *zHead = text_of(f.db, "SELECT last_hash FROM audit_head WHERE id = :id", 1);
  cr_assert_str_eq(zHead, GENESIS);
  free(zHead);
  assert_whole(&f);
  audit_log(f.db, "prueba", "importar", "plan", 1, "");
  assert_whole(&f);
  fx_close(&f);
}

/* Check audit_check_guards' report and count. */
static void assert_guards(Fx *f, int nWant, const char *zWant) {
  Buf out = BUF_INIT;
  cr_assert_eq(audit_check_guards(f->db, &out), nWant, "%s", buf_str(&out));
  cr_assert_str_eq(buf_str(&out), zWant);
  buf_reset(&out);
}

Test(audit, guards_checked,
     .description = "audit-6.1 dropped, altered and added guard triggers are reported (issue 8)") {
  Fx f;
  fx_init(&f, true);
  fx_chain(&f);
  assert_guards(&f, 0, "");
  db_exec(f.db, "DROP TRIGGER change_log_no_delete");
  db_exec(f.db, "DROP TRIGGER change_log_chained");
  db_exec(f.db, "CREATE TRIGGER change_log_chained BEFORE INSERT ON change_log "
                "WHEN 0 BEGIN SELECT 1; END");
  db_exec(f.db, "CREATE TRIGGER zz_copy AFTER INSERT ON audit_head BEGIN SELECT 1; END");
  const char *zWant =
      "falta el disparador change_log_no_delete (impide borrar entradas): fue borrado\n"
      "el disparador change_log_chained (exige que cada entrada nueva continúe la cadena) no es "
      "el de participa: fue modificado\n"
      "el disparador zz_copy sobre audit_head no es de participa: fue agregado\n";
  assert_guards(&f, 3, zWant);
  /* verify reports them after the chain, which is whole */
  Buf out = BUF_INIT;
  cr_assert_eq(audit_verify(f.db, &out), 3);
  cr_assert_str_eq(buf_str(&out), zWant);
  buf_reset(&out);
  fx_close(&f);
}

Test(audit, anchor_parse, .description = "audit-7.1 an anchor is HASH:COUNT") {
  AuditAnchor a;
  cr_assert(audit_anchor_parse(" " GENESIS ":0\n", &a));
  cr_assert_str_eq(a.zHash, GENESIS);
  cr_assert_eq(a.nCount, 0);
  cr_assert(audit_anchor_parse("ABCDEF0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789:"
                               "42",
                               &a));
  cr_assert_str_eq(a.zHash, "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789");
  cr_assert_eq(a.nCount, 42);
  cr_assert_not(audit_anchor_parse(GENESIS, &a), "no count");
  cr_assert_not(audit_anchor_parse(GENESIS ":", &a), "empty count");
  cr_assert_not(audit_anchor_parse(GENESIS ":-1", &a), "negative count");
  cr_assert_not(audit_anchor_parse(GENESIS "0:1", &a), "65 digits");
  cr_assert_not(audit_anchor_parse("000:1", &a), "short hash");
  cr_assert_not(audit_anchor_parse(GENESIS ":1x", &a), "trailing text");
  cr_assert_not(audit_anchor_parse(GENESIS ":99999999999999999999", &a), "overflow");
}

/* The anchor of f's log now ("HASH:COUNT" of its newest entry). */
static AuditAnchor anchor_now(Fx *f) {
  AuditAnchor a;
  Buf last = BUF_INIT;
  a.nCount = audit_last(f->db, &last);
  snprintf(a.zHash, sizeof a.zHash, "%s", a.nCount ? buf_str(&last) : GENESIS);
  buf_reset(&last);
  return a;
}

/* Check audit_expect's report and count against anchor a. */
static void assert_expect(Fx *f, const AuditAnchor *a, int nWant, const char *zWant) {
  Buf out = BUF_INIT;
  cr_assert_eq(audit_expect(f->db, a, &out), nWant, "%s", buf_str(&out));
  cr_assert_str_eq(buf_str(&out), zWant);
  cr_assert_not(db_in_transaction(f->db));
  buf_reset(&out);
}

Test(audit, expect_catches_rewrites,
     .description = "audit-7.2 verify --expect catches a re-chained log, a replaced newest "
                    "entry and a wiped log (issue 8)") {
  Fx f;
  fx_init(&f, true);
  fx_chain(&f);
  AuditAnchor a = anchor_now(&f);
  cr_assert_eq(a.nCount, 5);
  assert_expect(&f, &a, 0, "");
  audit_log(f.db, "prueba", "meta", "activity", 2, "T1: 2 → 3"); /* after the anchor: fine */
  assert_expect(&f, &a, 0, "");
  /* entry 2 edited and everything after it re-chained: the chain alone is whole */
  guard_drop(&f, "change_log_no_update");
  guard_drop(&f, "audit_head_forward");
  db_exec(f.db, "UPDATE change_log SET detail = 'T1: 1 → 9' WHERE id = 2");
  for (int id = 2; id <= 6; id++) {
    char *zSql = xasprintf("UPDATE change_log SET prev_hash = (SELECT hash FROM change_log "
                           "WHERE id = %d - 1) WHERE id = %d",
                           id, id);
    db_exec(f.db, zSql);
    free(zSql);
    zSql = xasprintf("UPDATE change_log SET hash = participa_sha256(prev_hash, id, at, actor, "
                     "action, object, object_id, detail) WHERE id = %d",
                     id);
    db_exec(f.db, zSql);
    free(zSql);
  }
  db_exec(f.db, "UPDATE audit_head SET last_hash = (SELECT hash FROM change_log WHERE id = 6)");
  assert_whole(&f);
  char *zNow = text_of(f.db, "SELECT hash FROM change_log WHERE id = :id", 5);
  char *zWant = xasprintf("la entrada 5 ya no tiene la huella anotada en la marca (%.12s…, "
                          "ahora %.12s…): el registro fue reescrito desde que se anotó la "
                          "marca\n",
                          a.zHash, zNow);
  assert_expect(&f, &a, 1, zWant);
  free(zWant);
  free(zNow);
  /* wiped with its head: whole by the chain, caught by the anchor */
  guard_drop(&f, "change_log_no_delete");
  db_exec(f.db, "DELETE FROM change_log");
  db_exec(f.db, "UPDATE audit_head SET last_id = 0, last_hash = '" GENESIS "', count = 0");
  assert_whole(&f);
  assert_expect(&f, &a, 1,
                "la entrada 5 de la marca ya no existe (el registro tiene 0 entradas): el "
                "registro fue borrado o reescrito desde que se anotó la marca\n");
  AuditAnchor empty = {.zHash = GENESIS, .nCount = 0};
  assert_expect(&f, &empty, 0, "");
  fx_close(&f);
}

Test(audit, wiped_with_data,
     .description = "audit-7.3 an empty log in a database with accounts is reported (issue 8)") {
  Fx f;
  fx_init(&f, true);
  db_exec(f.db, "INSERT INTO app_user(login, role, password_hash, created_at) "
                "VALUES ('ana', 'administrador', 'x', '" NOW "')");
  assert_problem(&f, "el registro está vacío pero la base tiene 0 planes, 1 cuenta y 0 PQRSD, "
                     "que no se crean sin dejar entradas: el registro fue borrado\n");
  fx_close(&f);
}

Test(audit, logf_formats, .description = "audit-8.1 audit_logf writes its formatted detail") {
  Fx f;
  fx_init(&f, true);
  audit_logf(f.db, "prueba", "meta", "activity", 7, "ítem %ld, %s: meta %g", 8L, "T3", 2.5);
  audit_logf(f.db, "prueba", "ajuste", "setting", 0, "%s: %d → %d", "retos.limite_hora", 10, 2);
  AuditEntry *a = NULL;
  int n = audit_entries(f.db, 10, 0, &a);
  cr_assert_eq(n, 2);
  cr_expect_str_eq(a[0].zDetail, "retos.limite_hora: 10 → 2");
  cr_expect_eq(a[0].iObject, 0);
  cr_expect_str_eq(a[1].zDetail, "ítem 8, T3: meta 2.5");
  cr_expect_str_eq(a[1].zAction, "meta");
  cr_expect_str_eq(a[1].zObject, "activity");
  cr_expect_eq(a[1].iObject, 7);
  cr_expect_str_eq(a[1].zAt, NOW);
  audit_entries_free(n, a);
  cr_expect_eq(db_int(f.db, "SELECT count(*) FROM change_log WHERE object_id IS NULL"), 1);
  assert_whole(&f);
  fx_close(&f);
}

Test(audit, readers, .description = "audit-8.2 count, last id and entries read the log back") {
  Fx f;
  fx_init(&f, true);
  cr_assert_eq(audit_last_id(f.db), 0);
  cr_assert_eq(audit_count(f.db), 0);
  AuditEntry *a = NULL;
  cr_assert_eq(audit_entries(f.db, 10, 0, &a), 0);
  audit_entries_free(0, a);
  fx_chain(&f);
  cr_expect_eq(audit_last_id(f.db), 5);
  cr_expect_eq(audit_count(f.db), 5);
  int n = audit_entries(f.db, 2, 1, &a); /* the 2nd and 3rd newest */
  cr_assert_eq(n, 2);
  cr_expect_eq(a[0].id, 4);
  cr_expect_str_eq(a[0].zActor, "auditor");
  cr_expect_str_eq(a[0].zDetail, "Acta revisada");
  cr_expect_eq(a[1].id, 3);
  cr_expect_str_eq(a[1].zDetail, "T2: 0 → 1");
  audit_entries_free(n, a);
  audit_log(f.db, "prueba", "meta", "activity", 2, NULL);
  cr_expect_eq(audit_last_id(f.db), 6, "the token moves with every entry");
  fx_close(&f);
}

Test(audit, list_text,
     .description = "audit-8.3 audit_list prints the newest entries, one a line") {
  Fx f;
  fx_init(&f, true);
  fx_chain(&f);
  audit_log(f.db, "prueba", "usuario", "app_user", 0, "");
  Buf out = BUF_INIT;
  audit_list(f.db, 2, &out);
  cr_expect_str_eq(buf_str(&out), "6 " NOW " prueba usuario app_user : \n"
                                  "5 " NOW " prueba periodos plan 1: semestral\n");
  buf_clear(&out);
  audit_list(f.db, 0, &out); /* 0: the default of 50, here all six */
  cr_expect_eq(strchr(buf_str(&out), '\n') != NULL, true);
  int nLine = 0;
  for (const char *z = buf_str(&out); *z; z++) {
    nLine += *z == '\n';
  }
  cr_expect_eq(nLine, 6);
  buf_reset(&out);
  fx_close(&f);
}

Test(audit, soft_fault_log,
     .description = "audit-9.1 on a server connection whose last statement changed no row, "
                    "writing the log while another writer holds the database records a fault "
                    "(the request answers 503) instead of ending the process") {
  Fx f;
  fx_init(&f, true);
  db_set_soft_faults(f.db, true);
  db_set_busy_timeout(f.db, 30);
  db_exec(f.db, "DELETE FROM setting WHERE key = 'no-existe'"); /* changes 0 rows */
  char *zErr = NULL;
  Db *pHolder = db_open(f.zDb, 0, &zErr);
  cr_assert_not_null(pHolder);
  db_begin(pHolder);
  db_begin(f.db);
  audit_log(f.db, "admin", "cambiar", "ajuste", 0, "plazos");
  cr_assert_not_null(db_fault(f.db));
  db_commit(f.db);
  db_fault_clear(f.db);
  db_rollback(pHolder);
  db_close(pHolder);
  cr_assert_eq(db_int(f.db, "SELECT count(*) FROM change_log"), 0, "nothing written");
  fx_close(&f);
}
