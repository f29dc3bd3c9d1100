/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The database layer: the one place SQL is executed. Opens the SQLite store
** (WAL, foreign keys on), applies the numbered migrations compiled into the
** binary (keyed on PRAGMA user_version), and wraps prepare/bind/step so that
** every value is bound by name. A name the statement lacks, text after the
** first statement or an SQL syntax error is a bug and aborts with the SQL
** text. Operational failures (disk full, busy past the timeout, read-only,
** I/O errors) end the program with a clear message, except on a connection
** in soft-fault mode (the web server's), where they are recorded on the
** connection and end only the request that met them (db_fault). Knows
** nothing of the domain: feature modules own their SQL and call these
** functions.
**
** Domain SQL sticks to what SQLite and PostgreSQL share (ISO-text dates,
** standard types) so that a libpq backend can replace this file alone.
*/
#ifndef PARTICIPA_DB_DB_H
#define PARTICIPA_DB_DB_H

#include <stdbool.h>
#include <stdint.h>

typedef struct Db Db;     /* an open database connection */
typedef struct Stmt Stmt; /* a prepared statement */

/* Flags for db_open(). */
#define DB_CREATE 0x01 /* create the file when missing (else refuse) */

/* Open (and with DB_CREATE, create) the database at zPath, migrate an older
** schema to the current one, and return the handle. On failure returns NULL
** and sets *pzErr to a Spanish message (caller frees): missing file, not a
** database, or a schema newer than this program knows. Every connection
** has the SQL function participa_sha256(X, ...), a record digest used by
** the audit log's hash chain (defined in db.c, docs/auditoria.md). */
Db *db_open(const char *zPath, int flags, char **pzErr);

/* Close db. Every statement must have been finalized: a leaked one is
** reported with its SQL text and aborts (a bug). NULL is ignored. */
void db_close(Db *db);

/* The schema version this program writes (number of migrations). */
int db_schema_version(void);
/* The schema version of the open database. */
int db_user_version(Db *db);

/* Prepare one SQL statement. Aborts on syntax error or trailing text. On a
** soft-fault connection after a fault (or when reading the schema fails
** operationally) it gives a statement that never runs: binds are ignored
** and steps give no row.
** The connection keeps the last DB_CACHE (32) finalized statements
** prepared, reset and unbound: preparing the same text again takes one of
** them instead of compiling it, which is most of the cost of a short
** query. */
Stmt *db_prepare(Db *db, const char *zSql);
/* Finalize s (NULL is ignored): it goes back to the connection's cache. */
void db_finalize(Stmt *s);
/* Reset s for another run and clear its bindings. */
void db_reset(Stmt *s);

/* Bind by name (":name"); a name the statement lacks aborts with its SQL. */
void db_bind_int(Stmt *s, const char *zName, int64_t v);
void db_bind_double(Stmt *s, const char *zName, double v);
/* Bind text (copied); NULL binds SQL NULL. */
void db_bind_text(Stmt *s, const char *zName, const char *z);
void db_bind_null(Stmt *s, const char *zName);
/* Bind v, or NULL when bNull. */
void db_bind_double_or_null(Stmt *s, const char *zName, double v, bool bNull);

/* Step s: true when a row is ready, false when done. Operational failures
** (busy, disk full, read-only, I/O) end the program with exit status 1, or
** on a soft-fault connection are recorded (db_fault) and return false; a
** constraint violation is a bug (callers check their invariants before
** writing) and aborts with the SQL. Use db_step_rc() to handle them. */
bool db_step(Stmt *s);
/* Step s and return the SQLite result code (SQLITE_ROW, SQLITE_DONE, or
** an error code such as SQLITE_CONSTRAINT); never ends the program. After
** a soft fault it returns SQLITE_ABORT without stepping. */
int db_step_rc(Stmt *s);
/* Step a statement that returns no rows, then reset it. */
void db_run(Stmt *s);

int64_t db_col_int(Stmt *s, int iCol);
double db_col_double(Stmt *s, int iCol);
bool db_col_is_null(Stmt *s, int iCol);
/* Column text, "" for NULL. Borrowed until the next step/reset/finalize. */
const char *db_col_text(Stmt *s, int iCol);
/* Column text copied; NULL for SQL NULL. Caller frees. */
char *db_col_text_dup(Stmt *s, int iCol);

/* Step s to its end, collecting column 0 of every row as an integer into a
** new array (*paOut, caller frees; NULL when no row). Returns the count.
** The caller still finalizes s. */
int db_ids(Stmt *s, int64_t **paOut);

/* Run one statement with no parameters and no rows (DDL, PRAGMA). */
void db_exec(Db *db, const char *zSql);
/* Run a query with no parameters returning one integer (0 when no row). */
int64_t db_int(Db *db, const char *zSql);

/* Transactions. Nesting is an error (a bug): begin records where it was
** called so a misnested or leaked transaction names its origin. */
void db_begin_at(Db *db, const char *zFile, int iLine);
#define db_begin(db) db_begin_at((db), __FILE__, __LINE__)
/* A read transaction: every read until db_commit sees one snapshot. */
void db_begin_read_at(Db *db, const char *zFile, int iLine);
#define db_begin_read(db) db_begin_read_at((db), __FILE__, __LINE__)
void db_commit(Db *db);
/* Make the commits of db reach the disk before they return
** (synchronous=FULL; connections default to NORMAL, which in WAL mode may
** lose the last commits on power failure, never on a crash) until
** db_durable_end. For writes whose success is shown to someone as a promise
** (a radicado). Call outside a transaction; returns the previous level for
** db_durable_end. */
int db_durable_begin(Db *db);
void db_durable_end(Db *db, int iOld);
void db_rollback(Db *db);
bool db_in_transaction(Db *db);

/* Soft faults, for connections that serve many independent requests (the
** web server's workers and its group-commit writer). In this mode an
** operational failure of a step does not end the program: its Spanish
** message is recorded on the connection, the step returns "no row", and
** from then on every step on the connection returns "no row" without
** running (writes nothing), db_int gives 0 and db_commit rolls back, until
** db_fault_clear(). The caller (the server's dispatcher) checks db_fault()
** when the request is done and answers 503 instead of its page. */
void db_set_soft_faults(Db *db, bool bOn);
/* The recorded failure's Spanish message (borrowed), NULL when none. */
const char *db_fault(const Db *db);
/* Reset every open statement, roll back any open transaction (also one a
** handler left open) and forget the recorded failure. */
void db_fault_clear(Db *db);
/* How long (milliseconds) a statement waits on a database locked by
** another connection before it fails as busy. */
void db_set_busy_timeout(Db *db, int nMs);
/* The busy timeout of every connection db_open() opens from now on
** (default 5000 ms; 0 or less restores it). Set once at start (`participa
** serve --busy-timeout`), before other threads open connections. */
void db_set_default_busy_timeout(int nMs);

int64_t db_last_insert_id(Db *db);
int db_changes(Db *db);
/* The file of the open database (borrowed); "" for a temporary one. */
const char *db_filename(Db *db);
/* The last SQLite error message (borrowed). */
const char *db_errmsg(Db *db);

#endif
