/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Audit log verification (see audit.h) and the `participa audit` commands.
** Each entry's hash is recomputed in SQL with participa_sha256 over the
** same fields, in the same order, that plan_log() hashes when it writes
** the entry; the walk then checks ids, links and the head in C so that
** each problem is named once, at the entry where it is.
*/
#include "audit/audit.h"

#include <stdio.h>
#include <string.h>

#include "base/args.h"

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

int audit_verify_cmd(App *app, int argc, char **argv) {
  args_verify(&argc, argv, "audit verify");
  args_count(argc, 0, 0, "audit verify");
  Buf out = BUF_INIT, last = BUF_INIT;
  db_begin_read(app->db);
  int nProblems = audit_verify(app->db, &out);
  int64_t nEntries = audit_last(app->db, &last);
  db_commit(app->db);
  if (nProblems == 0) {
    if (nEntries == 0) {
      printf("Registro de auditoría íntegro: 0 entradas.\n");
    } else {
      printf("Registro de auditoría íntegro: %lld %s, última huella %s\n", (long long)nEntries,
             nEntries == 1 ? "entrada" : "entradas", buf_str(&last));
    }
  } else {
    fwrite(buf_str(&out), 1, out.n, stdout);
    fprintf(stderr, "participa: el registro de auditoría no está íntegro: %d %s en %lld %s\n",
            nProblems, nProblems == 1 ? "problema" : "problemas", (long long)nEntries,
            nEntries == 1 ? "entrada" : "entradas");
  }
  buf_reset(&out);
  buf_reset(&last);
  return nProblems == 0 ? 0 : 1;
}
