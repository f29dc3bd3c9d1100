/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Audit log verification (see audit.h) and the `participa audit` commands
** (audit_cmd.h). Each entry's hash is recomputed in SQL with participa_sha256
** over the same fields, in the same order, that audit_log() hashes when it writes
** the entry; the walk then checks ids, links and the head in C so that
** each problem is named once, at the entry where it is. The guard
** triggers are compared with their text in the migrations compiled into
** the binary, so the check follows any migration that redefines one.
*/
#include "audit/audit.h"
#include "audit/audit_cmd.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/args.h"
#include "base/util.h"
#include "builtin.h"

/* The link of the first entry: there is no entry before it. */
static const char zGenesis[] = "0000000000000000000000000000000000000000000000000000000000000000";

/* Append z with control characters shown as "?": a tampered entry must not
** be able to move the terminal's cursor or forge a line of the report. */
static void put_clean(Buf *p, const char *z) {
  for (; *z; z++) {
    unsigned char c = (unsigned char)*z;
    buf_putc(p, c < 0x20 || c == 0x7f ? '?' : (char)c);
  }
}

/* Append "entrada N (AT, ACTOR, ACTION): " for the current row of s. */
static void put_entry(Buf *p, Stmt *s) {
  buf_appendf(p, "entrada %lld (", (long long)db_col_int(s, 0));
  put_clean(p, db_col_text(s, 1));
  buf_puts(p, ", ");
  put_clean(p, db_col_text(s, 2));
  buf_puts(p, ", ");
  put_clean(p, db_col_text(s, 3));
  buf_puts(p, "): ");
}

/* Append the line for entries iFrom..iTo missing between entry iBefore (0
** when none) and entry iAfter. */
static void put_missing(Buf *p, int64_t iFrom, int64_t iTo, int64_t iBefore, int64_t iAfter) {
  if (iFrom == iTo) {
    buf_appendf(p, "falta la entrada %lld", (long long)iFrom);
  } else {
    buf_appendf(p, "faltan las entradas %lld a %lld", (long long)iFrom, (long long)iTo);
  }
  if (iBefore > 0) {
    buf_appendf(p, " (entre la %lld y la %lld)", (long long)iBefore, (long long)iAfter);
  } else {
    buf_appendf(p, " (antes de la %lld)", (long long)iAfter);
  }
  buf_puts(p, iFrom == iTo ? ": fue borrada\n" : ": fueron borradas\n");
}

/* Compare the head (audit_head) with the newest entry found, iLast with
** hash zLast, after nEntries entries and nProblems problems. Appends the
** problems it finds and returns their number. */
static int check_head(Db *db, int64_t iLast, const char *zLast, int64_t nEntries, int nProblems,
                      Buf *pOut) {
  Stmt *s = db_prepare(db, "SELECT last_id, last_hash, count FROM audit_head WHERE id = 1");
  int n = 0;
  if (!db_step(s)) {
    buf_puts(pOut, "falta la cabeza del registro (tabla audit_head): no se puede saber si se "
                   "borraron las últimas entradas\n");
    n++;
  } else {
    int64_t iHead = db_col_int(s, 0);
    int64_t nCount = db_col_int(s, 2);
    if (iHead > iLast + 1) {
      buf_appendf(pOut, "faltan las últimas entradas (%lld a %lld): fueron borradas\n",
                  (long long)(iLast + 1), (long long)iHead);
      n++;
    } else if (iHead == iLast + 1) {
      buf_appendf(pOut, "falta la última entrada (%lld): fue borrada\n", (long long)iHead);
      n++;
    } else if (iHead == iLast - 1) {
      buf_appendf(pOut,
                  "la entrada %lld no consta en la cabeza del registro: se agregó por fuera de "
                  "participa\n",
                  (long long)iLast);
      n++;
    } else if (iHead < iLast) {
      buf_appendf(pOut,
                  "las entradas %lld a %lld no constan en la cabeza del registro: se agregaron "
                  "por fuera de participa\n",
                  (long long)(iHead + 1), (long long)iLast);
      n++;
    } else if (strcmp(db_col_text(s, 1), zLast) != 0) {
      buf_appendf(pOut,
                  "la última entrada (%lld) no coincide con la cabeza del registro: fue alterada "
                  "o reemplazada\n",
                  (long long)iLast);
      n++;
    } else if (nProblems == 0 && nCount != nEntries) {
      /* with whole ids and links a wrong count means the head was edited */
      buf_appendf(pOut, "la cabeza del registro cuenta %lld entradas y hay %lld: fue alterada\n",
                  (long long)nCount, (long long)nEntries);
      n++;
    }
  }
  db_finalize(s);
  return n;
}

/* The triggers that guard the log, with what each one prevents. */
static const struct Guard {
  const char *zName; /* trigger name, as in the migrations */
  const char *zWhat; /* what it prevents or does, for messages */
} aGuard[] = {
    {"change_log_no_update", "impide modificar las entradas"},
    {"change_log_no_delete", "impide borrar entradas"},
    {"change_log_chained", "exige que cada entrada nueva continúe la cadena"},
    {"audit_head_advance", "mueve la cabeza del registro con cada entrada"},
    {"audit_head_forward", "impide mover la cabeza del registro a mano"},
    {"audit_head_no_delete", "impide borrar la cabeza del registro"},
};

/* The text SQLite keeps for trigger zName (from "CREATE TRIGGER" to its
** "END", without the semicolon) as the last built-in migration that
** creates it writes it. Caller frees; NULL when no migration creates it. */
static char *guard_sql_dup(const char *zName) {
  char *zFound = NULL;
  size_t nName = strlen(zName);
  for (int i = 0; i < nBuiltin; i++) {
    const char *zFile = aBuiltin[i].zName;
    size_t nFile = strlen(zFile);
    if (nFile < 4 || strcmp(zFile + nFile - 4, ".sql") != 0) {
      continue;
    }
    const char *z = (const char *)aBuiltin[i].pData;
    while ((z = strstr(z, "CREATE TRIGGER ")) != NULL) {
      const char *zAt = z;
      z += strlen("CREATE TRIGGER ");
      if (strncmp(z, zName, nName) != 0 || !isspace((unsigned char)z[nName])) {
        continue;
      }
      const char *zEnd = strstr(z, "\nEND;");
      ASSERT(zEnd != NULL);
      free(zFound);
      zFound = xstrndup(zAt, (size_t)(zEnd + strlen("\nEND") - zAt));
    }
  }
  return zFound;
}

int audit_check_guards(Db *db, Buf *pOut) {
  int n = 0;
  Stmt *s = db_prepare(db, "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = :n");
  for (size_t i = 0; i < sizeof aGuard / sizeof aGuard[0]; i++) {
    char *zWant = guard_sql_dup(aGuard[i].zName);
    ASSERT(zWant != NULL);
    db_reset(s);
    db_bind_text(s, ":n", aGuard[i].zName);
    if (!db_step(s)) {
      buf_appendf(pOut, "falta el disparador %s (%s): fue borrado\n", aGuard[i].zName,
                  aGuard[i].zWhat);
      n++;
    } else if (strcmp(db_col_text(s, 0), zWant) != 0) {
      buf_appendf(pOut, "el disparador %s (%s) no es el de participa: fue modificado\n",
                  aGuard[i].zName, aGuard[i].zWhat);
      n++;
    }
    free(zWant);
  }
  db_finalize(s);
  /* a trigger of someone else's on the log could rewrite what is inserted */
  s = db_prepare(db, "SELECT name, tbl_name FROM sqlite_schema WHERE type = 'trigger' AND "
                     "tbl_name IN ('change_log', 'audit_head') ORDER BY name");
  while (db_step(s)) {
    bool bKnown = false;
    for (size_t i = 0; i < sizeof aGuard / sizeof aGuard[0]; i++) {
      bKnown = bKnown || strcmp(db_col_text(s, 0), aGuard[i].zName) == 0;
    }
    if (!bKnown) {
      buf_puts(pOut, "el disparador ");
      put_clean(pOut, db_col_text(s, 0));
      buf_appendf(pOut, " sobre %s no es de participa: fue agregado\n", db_col_text(s, 1));
      n++;
    }
  }
  db_finalize(s);
  return n;
}

/* With an empty log, append a line when the database nevertheless holds
** what only logged changes create (a plan, an account, a PQRSD): the log
** was emptied. Returns the number of problems (0 or 1). */
static int check_empty(Db *db, Buf *pOut) {
  Stmt *s = db_prepare(db, "SELECT (SELECT count(*) FROM plan), (SELECT count(*) FROM app_user), "
                           "(SELECT count(*) FROM pqrsd)");
  int n = 0;
  if (db_step(s) && db_col_int(s, 0) + db_col_int(s, 1) + db_col_int(s, 2) > 0) {
    buf_appendf(pOut,
                "el registro está vacío pero la base tiene %lld %s, %lld %s y %lld PQRSD, "
                "que no se crean sin dejar entradas: el registro fue borrado\n",
                (long long)db_col_int(s, 0), db_col_int(s, 0) == 1 ? "plan" : "planes",
                (long long)db_col_int(s, 1), db_col_int(s, 1) == 1 ? "cuenta" : "cuentas",
                (long long)db_col_int(s, 2));
    n++;
  }
  db_finalize(s);
  return n;
}

int audit_verify(Db *db, Buf *pOut) {
  bool bTx = !db_in_transaction(db);
  if (bTx) {
    db_begin_read(db);
  }
  /* columns: 0 id, 1 at, 2 actor, 3 action, 4 prev_hash, 5 hash, 6 recomputed hash */
  Stmt *s = db_prepare(db, "SELECT id, at, actor, action, prev_hash, hash, participa_sha256("
                           "prev_hash, id, at, actor, action, object, object_id, detail) "
                           "FROM change_log ORDER BY id");
  int nProblems = 0;
  int64_t iPrev = 0, nEntries = 0;
  Buf prevHash = BUF_INIT; /* stored hash of the entry before, the genesis at first */
  buf_puts(&prevHash, zGenesis);
  while (db_step(s)) {
    int64_t id = db_col_int(s, 0);
    nEntries++;
    if (id != iPrev + 1) {
      /* the link of the entry after a gap cannot be checked: its
      ** predecessor is gone, which is the problem reported */
      put_missing(pOut, iPrev + 1, id - 1, iPrev, id);
      nProblems++;
    } else if (strcmp(db_col_text(s, 4), buf_str(&prevHash)) != 0) {
      put_entry(pOut, s);
      buf_appendf(pOut, "no enlaza con la entrada anterior%s: la cadena fue alterada\n",
                  iPrev == 0 ? " (es la primera)" : "");
      nProblems++;
    }
    if (db_col_is_null(s, 5) || strcmp(db_col_text(s, 5), db_col_text(s, 6)) != 0) {
      put_entry(pOut, s);
      buf_puts(pOut, "el contenido fue alterado\n");
      nProblems++;
    }
    iPrev = id;
    buf_clear(&prevHash);
    buf_puts(&prevHash, db_col_text(s, 5));
  }
  db_finalize(s);
  nProblems += check_head(db, iPrev, buf_str(&prevHash), nEntries, nProblems, pOut);
  if (nEntries == 0) {
    nProblems += check_empty(db, pOut);
  }
  nProblems += audit_check_guards(db, pOut);
  buf_reset(&prevHash);
  if (bTx) {
    db_commit(db);
  }
  return nProblems;
}

int64_t audit_last(Db *db, Buf *pHash) {
  Stmt *s = db_prepare(db, "SELECT count(*), (SELECT hash FROM change_log ORDER BY id DESC "
                           "LIMIT 1) FROM change_log");
  int64_t n = 0;
  if (db_step(s)) {
    n = db_col_int(s, 0);
    buf_puts(pHash, db_col_text(s, 1));
  }
  db_finalize(s);
  return n;
}

bool audit_anchor_parse(const char *z, AuditAnchor *p) {
  while (*z == ' ' || *z == '\t') {
    z++;
  }
  for (int i = 0; i < AUDIT_HASH_CHARS; i++) {
    if (!isxdigit((unsigned char)z[i])) {
      return false;
    }
    p->zHash[i] = (char)tolower((unsigned char)z[i]);
  }
  p->zHash[AUDIT_HASH_CHARS] = 0;
  z += AUDIT_HASH_CHARS;
  if (*z++ != ':' || !isdigit((unsigned char)*z)) {
    return false;
  }
  int64_t n = 0;
  for (; isdigit((unsigned char)*z); z++) {
    if (n > (INT64_MAX - 9) / 10) {
      return false;
    }
    n = n * 10 + (*z - '0');
  }
  while (*z == ' ' || *z == '\t' || *z == '\n' || *z == '\r') {
    z++;
  }
  p->nCount = n;
  return *z == 0;
}

int audit_expect(Db *db, const AuditAnchor *p, Buf *pOut) {
  bool bTx = !db_in_transaction(db);
  if (bTx) {
    db_begin_read(db);
  }
  int n = 0;
  int64_t nEntries = db_int(db, "SELECT count(*) FROM change_log");
  if (p->nCount == 0) {
    if (strcmp(p->zHash, zGenesis) != 0) {
      buf_puts(pOut, "la marca no es válida: con 0 entradas la huella es de 64 ceros\n");
      n++;
    }
  } else {
    Stmt *s = db_prepare(db, "SELECT hash FROM change_log WHERE id = :id");
    db_bind_int(s, ":id", p->nCount);
    if (!db_step(s)) {
      buf_appendf(pOut,
                  "la entrada %lld de la marca ya no existe (el registro tiene %lld %s): el "
                  "registro fue borrado o reescrito desde que se anotó la marca\n",
                  (long long)p->nCount, (long long)nEntries,
                  nEntries == 1 ? "entrada" : "entradas");
      n++;
    } else if (db_col_is_null(s, 0) || strcmp(db_col_text(s, 0), p->zHash) != 0) {
      buf_appendf(pOut,
                  "la entrada %lld ya no tiene la huella anotada en la marca (%.12s…, ahora "
                  "%.12s…): el registro fue reescrito desde que se anotó la marca\n",
                  (long long)p->nCount, p->zHash,
                  db_col_is_null(s, 0) ? "vacía" : db_col_text(s, 0));
      n++;
    }
    db_finalize(s);
  }
  if (bTx) {
    db_commit(db);
  }
  return n;
}

/* Print the problems in pOut to stdout and the summary to stderr (nProblems
** in nEntries entries). */
static void report_problems(const Buf *pOut, int nProblems, int64_t nEntries) {
  fwrite(buf_str(pOut), 1, pOut->n, stdout);
  fprintf(stderr, "participa: el registro de auditoría no está íntegro: %d %s en %lld %s\n",
          nProblems, nProblems == 1 ? "problema" : "problemas", (long long)nEntries,
          nEntries == 1 ? "entrada" : "entradas");
}

int audit_head_cmd(App *app, int argc, char **argv) {
  args_verify(&argc, argv, "audit head");
  args_count(argc, 0, 0, app->zUsage);
  Buf out = BUF_INIT, last = BUF_INIT;
  db_begin_read(app->db);
  int nProblems = audit_verify(app->db, &out);
  int64_t nEntries = audit_last(app->db, &last);
  db_commit(app->db);
  if (nProblems > 0) {
    report_problems(&out, nProblems, nEntries);
    fprintf(stderr, "participa: no anote esta cabeza: el registro ya no es el original; vea "
                    "«participa audit verify»\n");
  } else {
    printf("%s:%lld\n", nEntries ? buf_str(&last) : zGenesis, (long long)nEntries);
    printf("Cabeza del registro de auditoría: %lld %s; la última tiene la huella de arriba.\n"
           "Anote la línea de arriba fuera del sistema (en un acta, en un correo a control "
           "interno):\n«participa audit verify --expect HUELLA:CONTEO» comprobará después "
           "que esas entradas siguen intactas.\n",
           (long long)nEntries, nEntries == 1 ? "entrada" : "entradas");
  }
  buf_reset(&out);
  buf_reset(&last);
  return nProblems == 0 ? 0 : 1;
}

int audit_verify_cmd(App *app, int argc, char **argv) {
  const char *zUsage = app->zUsage;
  const char *zExpect = args_value(&argc, argv, "expect");
  args_verify(&argc, argv, "audit verify");
  args_count(argc, 0, 0, zUsage);
  AuditAnchor anchor;
  if (zExpect && !audit_anchor_parse(zExpect, &anchor)) {
    args_usage_error(zUsage,
                     "--expect espera la marca HUELLA:CONTEO (64 dígitos hexadecimales, «:» y "
                     "el número de entradas) tal como la imprime «participa audit head»");
  }
  Buf out = BUF_INIT, last = BUF_INIT;
  db_begin_read(app->db);
  int nProblems = audit_verify(app->db, &out);
  if (zExpect) {
    nProblems += audit_expect(app->db, &anchor, &out);
  }
  int64_t nEntries = audit_last(app->db, &last);
  db_commit(app->db);
  if (nProblems == 0) {
    if (nEntries == 0) {
      printf("Registro de auditoría íntegro: 0 entradas.\n");
    } else {
      printf("Registro de auditoría íntegro: %lld %s, última huella %s\n", (long long)nEntries,
             nEntries == 1 ? "entrada" : "entradas", buf_str(&last));
    }
    if (zExpect) {
      int64_t nAfter = nEntries - anchor.nCount;
      printf("Coincide con la marca %.12s…:%lld; después de ella hay %lld %s.\n", anchor.zHash,
             (long long)anchor.nCount, (long long)nAfter,
             nAfter == 1 ? "entrada nueva" : "entradas nuevas");
    }
  } else {
    report_problems(&out, nProblems, nEntries);
  }
  buf_reset(&out);
  buf_reset(&last);
  return nProblems == 0 ? 0 : 1;
}
