/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** SQLite access layer (see db.h). Migrations are the files
** src/db/migrations/NNNN-*.sql compiled into the binary by tools/mkbuiltin;
** migration N brings a database from user_version N-1 to N, inside one
** transaction together with the version bump.
*/
#include "db/db.h"

#include <sodium.h>
#include <stdatomic.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/hash.h"
#include "base/util.h"
#include "builtin.h"

/* PRAGMA application_id of participa databases ("PaRt"). */
#define DB_APPLICATION_ID 0x50615274

#define DB_CACHE 32 /* finalized statements kept prepared for reuse, per connection */

/* The busy timeout db_open() gives new connections (db_set_default_busy_timeout). */
static atomic_int nDefaultBusyMs = 5000;

struct Db {
  sqlite3 *h;             /* the connection */
  int nCache;             /* entries in aCache */
  sqlite3_stmt *aCache[DB_CACHE]; /* finalized statements, reset, newest last */
  Stmt *pAll;             /* every unfinalized statement, for leak reports */
  const char *zTxFile;    /* where the open transaction began, NULL if none */
  int iTxLine;            /* line of zTxFile */
  bool bSoft;             /* operational failures are recorded (zFault), not fatal */
  char *zFault;           /* the recorded failure's Spanish message, NULL when none */
};

struct Stmt {
  Db *db;        /* owning connection */
  sqlite3_stmt *h; /* the prepared statement */
  Stmt *pNext;   /* next in db->pAll */
  Stmt *pPrev;   /* previous in db->pAll */
};

/* Finalize the cached statements and close the connection (a connection
** with statements left open cannot close). */
static void close_handle(Db *db) {
  for (int i = 0; i < db->nCache; i++) {
    sqlite3_finalize(db->aCache[i]);
  }
  db->nCache = 0;
  sqlite3_close(db->h);
}

/* The Spanish description of an operational failure of db (its last
** error), or NULL when the last error is not operational (a constraint
** violation, a misuse: bugs). Operational: busy or locked past the busy
** timeout, disk full, read-only, I/O error, cannot open, out of memory. */
static char *fault_message_dup(Db *db) {
  int rc = sqlite3_extended_errcode(db->h) & 0xff;
  const char *zMsg = sqlite3_errmsg(db->h);
  switch (rc) {
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
    return xasprintf("la base de datos está ocupada por otro proceso; intente de nuevo (%s)", zMsg);
  case SQLITE_FULL:
    return xasprintf("el disco está lleno: no se pudo guardar (%s)", zMsg);
  case SQLITE_READONLY:
    return xasprintf("la base de datos es de solo lectura (%s)", zMsg);
  case SQLITE_IOERR:
  case SQLITE_CANTOPEN:
  case SQLITE_NOMEM:
  case SQLITE_PROTOCOL:
    return xasprintf("no se pudo leer o escribir la base de datos (%s)", zMsg);
  default:
    return NULL;
  }
}

/* An operational failure of a step of zSql: recorded on a soft-fault
** connection (db_fault), else the program ends with a clear message. A
** constraint violation or any other error is a bug and aborts naming the
** SQL. Returns only on a soft-fault connection. */
static void db_fail(Db *db, const char *zWhat, const char *zSql) {
  int rc = sqlite3_extended_errcode(db->h);
  char *zMsg = fault_message_dup(db);
  if (zMsg != NULL && db->bSoft) {
    if (db->zFault == NULL) {
      db->zFault = zMsg;
    } else {
      free(zMsg);
    }
    return;
  }
  if (zMsg != NULL) {
    fprintf(stderr, "participa: error: %s\n", zMsg);
    free(zMsg);
    exit(1);
  }
  if ((rc & 0xff) == SQLITE_CONSTRAINT) {
    fprintf(stderr, "participa: error interno: restricción violada: %s\n  en: %s\n",
            sqlite3_errmsg(db->h), zSql ? zSql : "");
    abort();
  }
  app_fatal("%s: %s", zWhat, sqlite3_errmsg(db->h));
}

/* SQL function participa_sha256(X, ...): the lowercase hex SHA-256 of its
** arguments as text (NULL as empty), each with "\" written "\\" and a line
** feed written "\n", joined by line feeds. The escaping keeps a field's text
** from posing as a separator, so different records never share an input.
** Deterministic and free of side effects, so triggers and migrations may
** use it. PostgreSQL would define it as SQL over pgcrypto's digest(). */
static void sql_sha256(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  for (int i = 0; i < argc; i++) {
    if (i > 0) {
      crypto_hash_sha256_update(&st, (const unsigned char *)"\n", 1);
    }
    if (sqlite3_value_type(argv[i]) == SQLITE_NULL) {
      continue;
    }
    const unsigned char *z = sqlite3_value_text(argv[i]);
    if (z == NULL) {
      sqlite3_result_error_nomem(ctx);
      return;
    }
    size_t n = (size_t)sqlite3_value_bytes(argv[i]), iStart = 0;
    for (size_t j = 0; j < n; j++) {
      if (z[j] == '\\' || z[j] == '\n') {
        crypto_hash_sha256_update(&st, z + iStart, j - iStart);
        crypto_hash_sha256_update(&st, (const unsigned char *)(z[j] == '\n' ? "\\n" : "\\\\"), 2);
        iStart = j + 1;
      }
    }
    crypto_hash_sha256_update(&st, z + iStart, n - iStart);
  }
  char zHex[HASH_HEX_SIZE];
  hash_sha256_final_hex(&st, zHex);
  sqlite3_result_text(ctx, zHex, -1, SQLITE_TRANSIENT);
}

#define DB_MAX_MIGRATIONS 64 /* migrations the table below can hold */

/* Collect the built-in migrations in version order into aMig (room for
** DB_MAX_MIGRATIONS; the entries point into the static builtin table).
** Returns their count. Aborts when a migration name does not start with its
** 4-digit version number. Thread-safe: writes only the caller's array. */
static int migrations(const Builtin **aMig) {
  int n = 0;
  for (int i = 0; i < nBuiltin; i++) {
    const char *z = aBuiltin[i].zName;
    size_t nName = strlen(z);
    if (nName > 4 && strcmp(z + nName - 4, ".sql") == 0) {
      ASSERT(n < DB_MAX_MIGRATIONS);
      ASSERT(atoi(z) == n + 1);
      aMig[n++] = &aBuiltin[i];
    }
  }
  return n;
}

int db_schema_version(void) {
  const Builtin *aMig[DB_MAX_MIGRATIONS];
  return migrations(aMig);
}

int db_user_version(Db *db) {
  return (int)db_int(db, "PRAGMA user_version");
}

/* Apply migrations above the database's version, each in its own
** transaction. Returns false with *pzErr when the database is newer. */
static bool db_migrate(Db *db, const char *zPath, char **pzErr) {
  const Builtin *aMig[DB_MAX_MIGRATIONS];
  int nMig = migrations(aMig);
  /* Read the version under the write lock, so that two processes opening
  ** an old database do not both migrate it. A database already current
  ** takes no lock. */
  if (db_user_version(db) == nMig) {
    return true;
  }
  char *zErr = NULL;
  if (sqlite3_exec(db->h, "BEGIN IMMEDIATE", NULL, NULL, &zErr) != SQLITE_OK) {
    *pzErr = xasprintf("no se puede actualizar «%s»: %s", zPath, zErr ? zErr : "");
    sqlite3_free(zErr);
    return false;
  }
  int iVer = db_user_version(db);
  int64_t nObjects = db_int(db, "SELECT count(*) FROM sqlite_schema");
  int64_t iApp = db_int(db, "PRAGMA application_id");
  bool bOk = true;
  if (iVer > nMig) {
    *pzErr = xasprintf("«%s» tiene el esquema versión %d, más nuevo que el de este programa "
                       "(versión %d): actualice participa antes de abrirla",
                       zPath, iVer, nMig);
    bOk = false;
  } else if (iVer == 0 && nObjects > 0) {
    *pzErr = xasprintf("«%s» es una base de datos SQLite de otro programa; participa no la "
                       "modifica: use otro archivo con --db",
                       zPath);
    bOk = false;
  } else if (iVer > 0 && iApp != DB_APPLICATION_ID) {
    *pzErr = xasprintf("«%s» no es una base de datos de participa; use otro archivo con --db",
                       zPath);
    bOk = false;
  }
  for (int i = iVer; bOk && i < nMig; i++) {
    Buf sql = BUF_INIT;
    buf_appendf(&sql, "%s\nPRAGMA user_version=%d;", (const char *)aMig[i]->pData, i + 1);
    if (sqlite3_exec(db->h, buf_str(&sql), NULL, NULL, &zErr) != SQLITE_OK) {
      *pzErr = xasprintf("no se pudo actualizar «%s» al esquema %d (%s): %s", zPath, i + 1,
                         aMig[i]->zName, zErr ? zErr : "error desconocido");
      sqlite3_free(zErr);
      bOk = false;
    }
    buf_reset(&sql);
  }
  if (bOk && iVer == 0) {
    char *zApp = xasprintf("PRAGMA application_id=%d", DB_APPLICATION_ID);
    bOk = sqlite3_exec(db->h, zApp, NULL, NULL, NULL) == SQLITE_OK;
    free(zApp);
  }
  if (bOk && sqlite3_exec(db->h, "COMMIT", NULL, NULL, &zErr) != SQLITE_OK) {
    *pzErr = xasprintf("no se pudo actualizar «%s»: %s", zPath, zErr ? zErr : "");
    sqlite3_free(zErr);
    bOk = false;
  }
  if (!bOk) {
    sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
  }
  return bOk;
}

Db *db_open(const char *zPath, int flags, char **pzErr) {
  *pzErr = NULL;
  if (!(flags & DB_CREATE) && access(zPath, F_OK) != 0) {
    *pzErr = xasprintf("no existe la base de datos «%s»; créela con «participa init» o "
                       "«participa import ARCHIVO»",
                       zPath);
    return NULL;
  }
  Db *db = xcalloc(1, sizeof *db);
  int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (flags & DB_CREATE) {
    oflags |= SQLITE_OPEN_CREATE;
  }
  if (sqlite3_open_v2(zPath, &db->h, oflags, NULL) != SQLITE_OK) {
    *pzErr = xasprintf("no se puede abrir «%s»: %s", zPath,
                       db->h ? sqlite3_errmsg(db->h) : "sin memoria");
    close_handle(db);
    free(db);
    return NULL;
  }
  sqlite3_extended_result_codes(db->h, 1);
  sqlite3_busy_timeout(db->h, atomic_load(&nDefaultBusyMs));
  char *zErr = NULL;
  /* 16 KiB pages for new databases: large plans scan a quarter as many
  ** pages (no effect on an existing database) */
  sqlite3_exec(db->h, "PRAGMA page_size=16384", NULL, NULL, NULL);
  if (sqlite3_exec(db->h,
                   "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;",
                   NULL, NULL, &zErr) != SQLITE_OK) {
    *pzErr = xasprintf("«%s» no es una base de datos de participa: %s", zPath,
                       zErr ? zErr : sqlite3_errmsg(db->h));
    sqlite3_free(zErr);
    close_handle(db);
    free(db);
    return NULL;
  }
  /* before the migrations, which may use it */
  if (sodium_init() < 0 ||
      sqlite3_create_function(db->h, "participa_sha256", -1,
                              SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                              sql_sha256, NULL, NULL) != SQLITE_OK) {
    app_fatal("no se pudo preparar la conexión a «%s»", zPath);
  }
  if (!db_migrate(db, zPath, pzErr)) {
    close_handle(db);
    free(db);
    return NULL;
  }
  return db;
}

void db_close(Db *db) {
  if (db == NULL) {
    return;
  }
  if (db->pAll) {
    for (Stmt *s = db->pAll; s; s = s->pNext) {
      fprintf(stderr, "participa: error interno: sentencia sin finalizar: %s\n", sqlite3_sql(s->h));
    }
    abort();
  }
  if (db->zTxFile) {
    fprintf(stderr, "participa: error interno: transacción abierta en %s:%d sin cerrar\n",
            db->zTxFile, db->iTxLine);
    abort();
  }
  close_handle(db);
  free(db->zFault);
  free(db);
}

/* A cached statement of text zSql, taken out of the cache; NULL when none. */
static sqlite3_stmt *cache_take(Db *db, const char *zSql) {
  for (int i = db->nCache - 1; i >= 0; i--) {
    sqlite3_stmt *h = db->aCache[i];
    if (strcmp(sqlite3_sql(h), zSql) == 0) {
      memmove(&db->aCache[i], &db->aCache[i + 1], sizeof h * (size_t)(db->nCache - i - 1));
      db->nCache--;
      return h;
    }
  }
  return NULL;
}

/* A new statement object for h (NULL: a statement that never runs, after
** a soft fault), linked into db's list of open statements. */
static Stmt *stmt_new(Db *db, sqlite3_stmt *h) {
  Stmt *s = xcalloc(1, sizeof *s);
  s->db = db;
  s->h = h;
  s->pNext = db->pAll;
  if (db->pAll) {
    db->pAll->pPrev = s;
  }
  db->pAll = s;
  return s;
}

Stmt *db_prepare(Db *db, const char *zSql) {
  if (db->zFault != NULL) {
    return stmt_new(db, NULL); /* nothing runs until db_fault_clear() */
  }
  sqlite3_stmt *h = cache_take(db, zSql);
  const char *zTail = NULL;
  if (h == NULL && sqlite3_prepare_v2(db->h, zSql, -1, &h, &zTail) != SQLITE_OK) {
    /* reading the schema can meet the same operational failures as a step */
    if (db->bSoft && fault_message_dup(db) != NULL) {
      db_fail(db, "error de la base de datos", zSql);
      return stmt_new(db, NULL);
    }
    fprintf(stderr, "participa: error interno en SQL: %s\n  en: %s\n", sqlite3_errmsg(db->h), zSql);
    abort();
  }
  if (zTail && !str_is_blank(zTail)) {
    fprintf(stderr, "participa: error interno: texto después de la sentencia SQL: %s\n", zTail);
    abort();
  }
  return stmt_new(db, h);
}

void db_finalize(Stmt *s) {
  if (s == NULL) {
    return;
  }
  if (s->pPrev) {
    s->pPrev->pNext = s->pNext;
  } else {
    s->db->pAll = s->pNext;
  }
  if (s->pNext) {
    s->pNext->pPrev = s->pPrev;
  }
  Db *db = s->db;
  if (s->h == NULL) {
    free(s);
    return;
  }
  sqlite3_reset(s->h);
  sqlite3_clear_bindings(s->h);
  if (db->nCache == DB_CACHE) {
    sqlite3_finalize(db->aCache[0]);
    memmove(&db->aCache[0], &db->aCache[1], sizeof db->aCache[0] * (DB_CACHE - 1));
    db->nCache--;
  }
  db->aCache[db->nCache++] = s->h;
  free(s);
}

void db_reset(Stmt *s) {
  if (s->h == NULL) {
    return; /* a statement that never runs (soft fault) */
  }
  sqlite3_reset(s->h);
  sqlite3_clear_bindings(s->h);
}

/* Index of parameter zName in s; aborts with the SQL when it is missing. */
static int param_index(Stmt *s, const char *zName) {
  int i = sqlite3_bind_parameter_index(s->h, zName);
  if (i == 0) {
    fprintf(stderr, "participa: error interno: el parámetro %s no existe en: %s\n", zName,
            sqlite3_sql(s->h));
    abort();
  }
  return i;
}

void db_bind_int(Stmt *s, const char *zName, int64_t v) {
  if (s->h != NULL) {
    sqlite3_bind_int64(s->h, param_index(s, zName), v);
  }
}

void db_bind_double(Stmt *s, const char *zName, double v) {
  if (s->h != NULL) {
    sqlite3_bind_double(s->h, param_index(s, zName), v);
  }
}

void db_bind_text(Stmt *s, const char *zName, const char *z) {
  if (s->h == NULL) {
    return;
  }
  int i = param_index(s, zName);
  if (z == NULL) {
    sqlite3_bind_null(s->h, i);
  } else {
    sqlite3_bind_text(s->h, i, z, -1, SQLITE_TRANSIENT);
  }
}

void db_bind_null(Stmt *s, const char *zName) {
  if (s->h != NULL) {
    sqlite3_bind_null(s->h, param_index(s, zName));
  }
}

void db_bind_double_or_null(Stmt *s, const char *zName, double v, bool bNull) {
  if (bNull) {
    db_bind_null(s, zName);
  } else {
    db_bind_double(s, zName, v);
  }
}

int db_step_rc(Stmt *s) {
  if (s->db->zFault != NULL || s->h == NULL) {
    return SQLITE_ABORT;
  }
  return sqlite3_step(s->h);
}

bool db_step(Stmt *s) {
  if (s->db->zFault != NULL || s->h == NULL) {
    return false; /* a soft fault: nothing more runs until db_fault_clear() */
  }
  int rc = sqlite3_step(s->h);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  db_fail(s->db, "error de la base de datos", sqlite3_sql(s->h));
  sqlite3_reset(s->h);
  return false;
}

void db_run(Stmt *s) {
  while (db_step(s)) {
  }
  db_reset(s);
}

int64_t db_col_int(Stmt *s, int iCol) {
  return sqlite3_column_int64(s->h, iCol);
}

double db_col_double(Stmt *s, int iCol) {
  return sqlite3_column_double(s->h, iCol);
}

bool db_col_is_null(Stmt *s, int iCol) {
  return sqlite3_column_type(s->h, iCol) == SQLITE_NULL;
}

const char *db_col_text(Stmt *s, int iCol) {
  const unsigned char *z = sqlite3_column_text(s->h, iCol);
  return z ? (const char *)z : "";
}

char *db_col_text_dup(Stmt *s, int iCol) {
  if (db_col_is_null(s, iCol)) {
    return NULL;
  }
  return xstrdup(db_col_text(s, iCol));
}

int db_ids(Stmt *s, int64_t **paOut) {
  int n = 0, nAlloc = 0;
  int64_t *a = NULL;
  while (db_step(s)) {
    if (n == nAlloc) {
      nAlloc = nAlloc ? 2 * nAlloc : 16;
      a = xrealloc(a, sizeof *a * (size_t)nAlloc);
    }
    a[n++] = db_col_int(s, 0);
  }
  *paOut = a;
  return n;
}

void db_exec(Db *db, const char *zSql) {
  Stmt *s = db_prepare(db, zSql);
  while (db_step(s)) {
  }
  db_finalize(s);
}

int64_t db_int(Db *db, const char *zSql) {
  Stmt *s = db_prepare(db, zSql);
  int64_t v = db_step(s) ? db_col_int(s, 0) : 0;
  db_finalize(s);
  return v;
}

/* Open a transaction with zSql ("BEGIN IMMEDIATE" or "BEGIN") and record
** where it was opened; nesting is a bug and aborts naming both places. */
static void begin_tx(Db *db, const char *zSql, const char *zFile, int iLine) {
  if (db->zTxFile) {
    fprintf(stderr, "participa: error interno: %s:%d abre una transacción dentro de la de %s:%d\n",
            zFile, iLine, db->zTxFile, db->iTxLine);
    abort();
  }
  db_exec(db, zSql);
  db->zTxFile = zFile;
  db->iTxLine = iLine;
}

void db_begin_at(Db *db, const char *zFile, int iLine) {
  begin_tx(db, "BEGIN IMMEDIATE", zFile, iLine);
}

void db_begin_read_at(Db *db, const char *zFile, int iLine) {
  begin_tx(db, "BEGIN", zFile, iLine);
}

/* Roll back whatever transaction SQLite has open on db, ignoring errors
** (after some failures SQLite has already rolled it back itself). */
static void rollback_quietly(Db *db) {
  if (!sqlite3_get_autocommit(db->h)) {
    sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
  }
}

void db_commit(Db *db) {
  ASSERT(db->zTxFile != NULL);
  if (db->zFault == NULL) {
    db_exec(db, "COMMIT");
  }
  if (db->zFault != NULL) {
    rollback_quietly(db); /* a failed or skipped COMMIT keeps nothing */
  }
  db->zTxFile = NULL;
}

void db_rollback(Db *db) {
  ASSERT(db->zTxFile != NULL);
  if (db->zFault == NULL) {
    db_exec(db, "ROLLBACK");
  }
  rollback_quietly(db);
  db->zTxFile = NULL;
}

void db_set_soft_faults(Db *db, bool bOn) {
  db->bSoft = bOn;
}

const char *db_fault(const Db *db) {
  return db->zFault;
}

void db_fault_clear(Db *db) {
  for (Stmt *s = db->pAll; s; s = s->pNext) {
    sqlite3_reset(s->h);
  }
  rollback_quietly(db);
  db->zTxFile = NULL;
  free(db->zFault);
  db->zFault = NULL;
}

void db_set_default_busy_timeout(int nMs) {
  atomic_store(&nDefaultBusyMs, nMs > 0 ? nMs : 5000);
}

void db_set_busy_timeout(Db *db, int nMs) {
  sqlite3_busy_timeout(db->h, nMs);
}

bool db_in_transaction(Db *db) {
  return db->zTxFile != NULL;
}

int64_t db_last_insert_id(Db *db) {
  return sqlite3_last_insert_rowid(db->h);
}

int db_changes(Db *db) {
  return sqlite3_changes(db->h);
}

const char *db_errmsg(Db *db) {
  return sqlite3_errmsg(db->h);
}

const char *db_filename(Db *db) {
  const char *z = sqlite3_db_filename(db->h, "main");
  return z ? z : "";
}

int db_durable_begin(Db *db) {
  ASSERT(!db_in_transaction(db));
  int iOld = (int)db_int(db, "PRAGMA synchronous");
  db_exec(db, "PRAGMA synchronous=FULL");
  return iOld;
}

void db_durable_end(Db *db, int iOld) {
  static const char *const azLevel[] = {"PRAGMA synchronous=OFF", "PRAGMA synchronous=NORMAL",
                                        "PRAGMA synchronous=FULL", "PRAGMA synchronous=EXTRA"};
  ASSERT(iOld >= 0 && iOld <= 3);
  db_exec(db, azLevel[iOld]);
}
