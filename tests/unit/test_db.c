/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Unit tests for src/db/db.c: opening and creating a database, migrations
** keyed on PRAGMA user_version, refusing a missing file or a newer schema,
** the append-only change log, foreign keys, transactions and the wrappers'
** abort-on-bug rules. Each test works in its own temporary directory (those
** that end in abort() use an in-memory database, leaving no files).
*/
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "db/db.h"
#include "testutil.h"

/* A temporary directory with a database path in it. */
typedef struct Tmp {
  char zDir[64]; /* the directory */
  char *zDb;     /* zDir/test.db (owned) */
} Tmp;

/* Make a new temporary directory for t. */
static void tmp_open(Tmp *t) {
  snprintf(t->zDir, sizeof t->zDir, "/tmp/participa-db-XXXXXX");
  cr_assert_not_null(mkdtemp(t->zDir));
  t->zDb = xasprintf("%s/test.db", t->zDir);
}

/* Remove t's directory and everything in it. */
static void tmp_close(Tmp *t) {
  cr_assert_eq(test_remove_dir(t->zDir), 0);
  free(t->zDb);
}

/* A new database at t->zDb. */
static Db *create(Tmp *t) {
  char *zErr = NULL;
  Db *db = db_open(t->zDb, DB_CREATE, &zErr);
  cr_assert_not_null(db, "db_open: %s", zErr ? zErr : "");
  cr_assert_null(zErr);
  return db;
}

/* The migrations in the source tree (tests run from the repository root). */
static int count_migrations(void) {
  DIR *d = opendir("src/db/migrations");
  cr_assert_not_null(d, "run the tests from the repository root");
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    size_t m = strlen(e->d_name);
    n += m > 4 && strcmp(e->d_name + m - 4, ".sql") == 0;
  }
  closedir(d);
  return n;
}

Test(db, schema_version, .description = "db-1.1 one schema version per migration file") {
  cr_assert_gt(db_schema_version(), 0);
  cr_assert_eq(db_schema_version(), count_migrations());
}

Test(db, create_migrates, .description = "db-1.2 a new database gets the current schema") {
  Tmp t;
  tmp_open(&t);
  Db *db = create(&t);
  cr_assert_eq(db_user_version(db), db_schema_version());
  cr_assert_eq(db_int(db, "SELECT count(*) FROM setting"), 2);
  cr_assert_eq(db_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                          "('plan', 'activity', 'office', 'period', 'progress', 'change_log')"),
               6);
  Stmt *s = db_prepare(db, "PRAGMA journal_mode");
  cr_assert(db_step(s));
  cr_assert_str_eq(db_col_text(s, 0), "wal");
  db_finalize(s);
  db_close(db);
  /* Opening again does not migrate twice. */
  char *zErr = NULL;
  db = db_open(t.zDb, 0, &zErr);
  cr_assert_not_null(db);
  cr_assert_eq(db_user_version(db), db_schema_version());
  cr_assert_eq(db_int(db, "SELECT count(*) FROM setting"), 2);
  db_close(db);
  tmp_close(&t);
}

Test(db, migrate_empty_file, .description = "db-1.3 an empty file (version 0) is migrated") {
  Tmp t;
  tmp_open(&t);
  FILE *f = fopen(t.zDb, "w");
  cr_assert_not_null(f);
  fclose(f);
  char *zErr = NULL;
  Db *db = db_open(t.zDb, 0, &zErr);
  cr_assert_not_null(db, "%s", zErr ? zErr : "");
  cr_assert_eq(db_user_version(db), db_schema_version());
  cr_assert_eq(db_int(db, "SELECT count(*) FROM plan"), 0);
  db_close(db);
  tmp_close(&t);
}

Test(db, newer_refused, .description = "db-1.4 a database with a newer schema is refused") {
  Tmp t;
  tmp_open(&t);
  Db *db = create(&t);
  int iNewer = db_schema_version() + 1;
  char *zSql = xasprintf("PRAGMA user_version = %d", iNewer);
  db_exec(db, zSql);
  free(zSql);
  db_close(db);
  char *zErr = NULL;
  cr_assert_null(db_open(t.zDb, 0, &zErr));
  char *zWant = xasprintf("«%s» tiene el esquema versión %d, más nuevo que el de este programa "
                          "(versión %d): actualice participa antes de abrirla",
                          t.zDb, iNewer, db_schema_version());
  cr_assert_str_eq(zErr, zWant);
  free(zWant);
  free(zErr);
  zErr = NULL;
  cr_assert_null(db_open(t.zDb, DB_CREATE, &zErr), "DB_CREATE does not help");
  cr_assert_not_null(zErr);
  free(zErr);
  tmp_close(&t);
}

Test(db, missing_refused, .description = "db-1.5 a missing file without DB_CREATE is refused") {
  Tmp t;
  tmp_open(&t);
  char *zErr = NULL;
  cr_assert_null(db_open(t.zDb, 0, &zErr));
  char *zWant = xasprintf("no existe la base de datos «%s»; créela con «participa init» o "
                          "«participa import ARCHIVO»",
                          t.zDb);
  cr_assert_str_eq(zErr, zWant);
  free(zWant);
  free(zErr);
  cr_assert_neq(access(t.zDb, F_OK), 0, "the file was not created");
  cr_assert_eq(errno, ENOENT);
  tmp_close(&t);
}

Test(db, not_a_database, .description = "db-1.6 a file that is not SQLite is refused") {
  Tmp t;
  tmp_open(&t);
  FILE *f = fopen(t.zDb, "w");
  cr_assert_not_null(f);
  for (int i = 0; i < 64; i++) {
    fputs("esto no es una base de datos, ", f);
  }
  fclose(f);
  char *zErr = NULL;
  cr_assert_null(db_open(t.zDb, 0, &zErr));
  char *zWant =
      xasprintf("«%s» no es una base de datos de participa: file is not a database", t.zDb);
  cr_assert_str_eq(zErr, zWant);
  free(zWant);
  free(zErr);
  tmp_close(&t);
}

/* Insert one change_log row, continuing its hash chain (migration 0004);
** returns its id. */
static int64_t log_row(Db *db) {
  Stmt *s = db_prepare(db, "INSERT INTO change_log(id, at, actor, action, object, detail, "
                           "prev_hash, hash) SELECT last_id + 1, '2021-07-15T15:00:00Z', "
                           "'prueba', 'importar', 'plan', 'x', last_hash, participa_sha256("
                           "last_hash, last_id + 1, '2021-07-15T15:00:00Z', 'prueba', "
                           "'importar', 'plan', NULL, 'x') FROM audit_head");
  db_run(s);
  db_finalize(s);
  return db_last_insert_id(db);
}

Test(db, change_log_no_update, .description = "db-2.1 the change log cannot be modified") {
  Tmp t;
  tmp_open(&t);
  Db *db = create(&t);
  int64_t id = log_row(db);
  Stmt *s = db_prepare(db, "UPDATE change_log SET actor = :actor WHERE id = :id");
  db_bind_text(s, ":actor", "intruso");
  db_bind_int(s, ":id", id);
  int rc = db_step_rc(s);
  cr_assert_eq(rc & 0xff, SQLITE_CONSTRAINT, "rc %d", rc);
  cr_assert_eq(rc, SQLITE_CONSTRAINT_TRIGGER);
  cr_assert_str_eq(db_errmsg(db), "el registro de cambios no se puede modificar");
  db_finalize(s);
  cr_assert_eq(db_int(db, "SELECT count(*) FROM change_log WHERE actor = 'prueba'"), 1);
  db_close(db);
  tmp_close(&t);
}

Test(db, change_log_no_delete, .description = "db-2.2 the change log cannot be deleted from") {
  Tmp t;
  tmp_open(&t);
  Db *db = create(&t);
  log_row(db);
  log_row(db);
  Stmt *s = db_prepare(db, "DELETE FROM change_log");
  int rc = db_step_rc(s);
  cr_assert_eq(rc & 0xff, SQLITE_CONSTRAINT, "rc %d", rc);
  cr_assert_str_eq(db_errmsg(db), "el registro de cambios no se puede borrar");
  db_finalize(s);
  cr_assert_eq(db_int(db, "SELECT count(*) FROM change_log"), 2);
  db_close(db);
  tmp_close(&t);
}

Test(db, foreign_keys, .description = "db-2.3 foreign keys are enforced") {
  Tmp t;
  tmp_open(&t);
  Db *db = create(&t);
  cr_assert_eq(db_int(db, "PRAGMA foreign_keys"), 1);
  Stmt *s = db_prepare(db, "INSERT INTO component(plan_id, position, name) VALUES (:plan, 1, "
                           "'Componente')");
  db_bind_int(s, ":plan", 999);
  int rc = db_step_rc(s);
  cr_assert_eq(rc, SQLITE_CONSTRAINT_FOREIGNKEY, "rc %d", rc);
  db_finalize(s);
  cr_assert_eq(db_int(db, "SELECT count(*) FROM component"), 0);
  db_close(db);
  tmp_close(&t);
}

Test(db, transactions, .description = "db-3.1 commit keeps, rollback discards") {
  Tmp t;
  tmp_open(&t);
  Db *db = create(&t);
  cr_assert_not(db_in_transaction(db));
  db_begin(db);
  cr_assert(db_in_transaction(db));
  log_row(db);
  db_rollback(db);
  cr_assert_not(db_in_transaction(db));
  cr_assert_eq(db_int(db, "SELECT count(*) FROM change_log"), 0);
  db_begin(db);
  log_row(db);
  cr_assert_eq(db_changes(db), 1);
  db_commit(db);
  cr_assert_not(db_in_transaction(db));
  cr_assert_eq(db_int(db, "SELECT count(*) FROM change_log"), 1);
  db_close(db);
  tmp_close(&t);
}

Test(db, columns, .description = "db-3.2 column accessors and NULL") {
  Tmp t;
  tmp_open(&t);
  Db *db = create(&t);
  Stmt *s = db_prepare(db, "SELECT :i, :d, :t, :n, :dn");
  db_bind_int(s, ":i", 42);
  db_bind_double(s, ":d", 2.5);
  db_bind_text(s, ":t", "Participación");
  db_bind_text(s, ":n", NULL);
  db_bind_double_or_null(s, ":dn", 1, true);
  cr_assert(db_step(s));
  cr_assert_eq(db_col_int(s, 0), 42);
  cr_assert_eq(db_col_double(s, 1), 2.5);
  cr_assert_str_eq(db_col_text(s, 2), "Participación");
  char *z = db_col_text_dup(s, 2);
  cr_assert_str_eq(z, "Participación");
  free(z);
  cr_assert(db_col_is_null(s, 3));
  cr_assert_str_eq(db_col_text(s, 3), "");
  cr_assert_null(db_col_text_dup(s, 3));
  cr_assert(db_col_is_null(s, 4));
  cr_assert_not(db_step(s));
  db_finalize(s);
  db_close(db);
  tmp_close(&t);
}

/* An in-memory database, for tests that end in abort() and must leave no files. */
static Db *memory_db(void) {
  char *zErr = NULL;
  Db *db = db_open(":memory:", DB_CREATE, &zErr);
  cr_assert_not_null(db, "%s", zErr ? zErr : "");
  cr_assert_eq(db_user_version(db), db_schema_version());
  return db;
}

Test(db, nested_transaction, .signal = SIGABRT,
     .description = "db-4.1 a transaction inside another is a bug") {
  Db *db = memory_db();
  db_begin(db);
  db_begin(db);
}

Test(db, unknown_parameter, .signal = SIGABRT,
     .description = "db-4.2 binding a name the statement lacks is a bug") {
  Db *db = memory_db();
  Stmt *s = db_prepare(db, "SELECT :a");
  db_bind_int(s, ":b", 1);
}

Test(db, trailing_sql, .signal = SIGABRT,
     .description = "db-4.3 text after the first statement is a bug") {
  Db *db = memory_db();
  db_prepare(db, "SELECT 1; DELETE FROM plan");
}

Test(db, leaked_statement, .signal = SIGABRT,
     .description = "db-4.4 closing with a statement not finalized is a bug") {
  Db *db = memory_db();
  db_prepare(db, "SELECT 1");
  db_close(db);
}

Test(db, leaked_transaction, .signal = SIGABRT,
     .description = "db-4.5 closing inside a transaction is a bug") {
  Db *db = memory_db();
  db_begin(db);
  db_close(db);
}

/* ---- soft faults (issue 8: a failed write ends the request, not the server) ---- */

/* A second connection to t's database. */
static Db *reopen(Tmp *t) {
  char *zErr = NULL;
  Db *db = db_open(t->zDb, 0, &zErr);
  cr_assert_not_null(db, "db_open: %s", zErr ? zErr : "");
  return db;
}

Test(db, soft_fault_busy,
     .description = "db-5.1 on a soft-fault connection a write that meets another writer's lock "
                    "past the busy timeout is recorded, later steps write nothing, commit rolls "
                    "back, and after db_fault_clear the connection works again") {
  Tmp t;
  tmp_open(&t);
  Db *db = create(&t);
  db_exec(db, "CREATE TABLE x(v INTEGER)");
  db_set_soft_faults(db, true);
  db_set_busy_timeout(db, 50);
  Db *pHolder = reopen(&t);
  db_begin(pHolder); /* holds the write lock */
  db_begin(db);
  cr_assert_not_null(db_fault(db), "BEGIN IMMEDIATE meets the lock");
  cr_assert(strstr(db_fault(db), "ocupada por otro proceso") != NULL, "%s", db_fault(db));
  Stmt *s = db_prepare(db, "INSERT INTO x(v) VALUES (1) RETURNING v");
  cr_assert_not(db_step(s), "no row after a fault");
  db_finalize(s);
  cr_assert_eq(db_int(db, "SELECT 7"), 0, "every step is skipped until cleared");
  db_commit(db);
  cr_assert_not(db_in_transaction(db));
  cr_assert_not_null(db_fault(db), "the fault stays until cleared");
  db_fault_clear(db);
  cr_assert_null(db_fault(db));
  db_rollback(pHolder);
  db_begin(db);
  db_exec(db, "INSERT INTO x(v) VALUES (2)");
  db_commit(db);
  cr_assert_null(db_fault(db));
  cr_assert_eq(db_int(pHolder, "SELECT group_concat(v) FROM x"), 2, "only the later write");
  db_close(pHolder);
  db_close(db);
  tmp_close(&t);
}

Test(db, soft_fault_full,
     .description = "db-5.2 a full database (SQLITE_FULL) in the middle of a transaction is "
                    "recorded as «el disco está lleno» and nothing of the transaction is kept") {
  Tmp t;
  tmp_open(&t);
  Db *db = create(&t);
  db_exec(db, "CREATE TABLE x(v BLOB)");
  db_exec(db, "INSERT INTO x(v) VALUES (zeroblob(100))");
  db_set_soft_faults(db, true);
  int64_t nPage = db_int(db, "PRAGMA page_count");
  /* a PRAGMA takes no bound value: the integer is the test's own */
  char *zCap = xasprintf("PRAGMA max_page_count = %lld", (long long)nPage + 1);
  db_int(db, zCap);
  free(zCap);
  db_begin(db);
  db_exec(db, "INSERT INTO x(v) VALUES (zeroblob(100))");
  cr_assert_null(db_fault(db), "a small write fits");
  for (int i = 0; i < 10; i++) {
    db_exec(db, "INSERT INTO x(v) VALUES (zeroblob(50000))");
  }
  cr_assert_not_null(db_fault(db));
  cr_assert(strstr(db_fault(db), "el disco está lleno") != NULL, "%s", db_fault(db));
  db_commit(db);
  db_fault_clear(db);
  cr_assert_eq(db_int(db, "SELECT count(*) FROM x"), 1, "the transaction left nothing");
  Stmt *pCheck = db_prepare(db, "PRAGMA integrity_check");
  cr_assert(db_step(pCheck));
  cr_assert_str_eq(db_col_text(pCheck, 0), "ok");
  db_finalize(pCheck);
  db_close(db);
  tmp_close(&t);
}

/* LeakSanitizer's switch (weak: absent from builds without it). */
extern void __lsan_disable(void) __attribute__((weak));

Test(db, hard_fault_exits, .exit_code = 1,
     .description = "db-5.3 without soft faults (the CLI) the same failure ends the program with "
                    "exit status 1") {
  if (__lsan_disable) {
    __lsan_disable(); /* exit(1) leaves the test's allocations behind, as the CLI does */
  }
  Tmp t;
  tmp_open(&t);
  Db *db = create(&t);
  db_exec(db, "CREATE TABLE x(v INTEGER)");
  db_set_busy_timeout(db, 20);
  Db *pHolder = reopen(&t);
  db_begin(pHolder);
  db_begin(db); /* exits 1: "la base de datos está ocupada por otro proceso" */
  cr_assert_fail("db_begin returned on a busy database");
}

Test(db, ids, .description = "db-5.4 db_ids collects column 0 of every row, none as NULL") {
  Db *db = memory_db();
  Stmt *s = db_prepare(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                           "WHERE i < 40) SELECT i * 3 FROM n");
  int64_t *a = NULL;
  cr_assert_eq(db_ids(s, &a), 40);
  db_finalize(s);
  cr_assert_eq(a[0], 3);
  cr_assert_eq(a[39], 120);
  free(a);
  s = db_prepare(db, "SELECT 1 WHERE 0");
  cr_assert_eq(db_ids(s, &a), 0);
  cr_assert_null(a);
  db_finalize(s);
  db_close(db);
}
