/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** libFuzzer target for the CSV reader and writer (src/io/csv.c). Each input
** is read with a sniffed separator; a successful read must be consistent
** (rows start on increasing lines, a known separator and encoding), and it
** must survive a write-then-read round trip: every row alone, and the whole
** table, written with csv_write_row and read back with csv_read_mem, give
** the same cells (and, for the whole table, the same line numbers). Any
** difference aborts. A failed read must leave a message and no rows.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/util.h"
#include "io/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Rows round-tripped one by one, at most (the whole table is always checked). */
#define FUZZ_MAX_SINGLE_ROWS 64

/* Abort unless rows iRowA of a and iRowB of b hold the same cells. */
static void check_same_cells(const Table *a, int iRowA, const Table *b, int iRowB) {
  const TableRow *pA = &a->aRow[iRowA];
  const TableRow *pB = &b->aRow[iRowB];
  ASSERT(pA->nCell == pB->nCell);
  for (int j = 0; j < pA->nCell; j++) {
    ASSERT(strcmp(pA->azCell[j], pB->azCell[j]) == 0);
  }
}

/* Read pText (written by the caller with a UTF-8 BOM in front, so that a
** first cell starting with U+FEFF is not taken for a BOM) with separator
** cSep into *pOut (caller resets it). Aborts when the read fails. */
static void reread(const Buf *pText, char cSep, Table *pOut) {
  char *zErr = NULL;
  TableRc rc = csv_read_mem("rt", pText->z, pText->n, cSep, pOut, &zErr);
  ASSERT(rc == TABLE_OK && zErr == NULL);
  ASSERT(pOut->cSep == cSep);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  Table t;
  char *zErr = NULL;
  TableRc rc = csv_read_mem("fuzz", (const char *)data, size, 0, &t, &zErr);
  if (rc != TABLE_OK) {
    ASSERT(rc == TABLE_ECANTREAD && zErr != NULL && zErr[0] != 0 && t.nRow == 0);
    free(zErr);
    table_reset(&t);
    return 0;
  }
  ASSERT(zErr == NULL);
  ASSERT(t.cSep == '\t' || t.cSep == ';' || t.cSep == ',');
  ASSERT(t.zEncoding != NULL);
  for (int i = 0; i < t.nRow; i++) {
    ASSERT(t.aRow[i].iLine >= 1);
    ASSERT(i == 0 || t.aRow[i].iLine > t.aRow[i - 1].iLine);
    ASSERT(t.aRow[i].nCell >= 0);
  }

  /* Each row alone. */
  for (int i = 0; i < t.nRow && i < FUZZ_MAX_SINGLE_ROWS; i++) {
    Buf out = BUF_INIT;
    buf_puts(&out, "\xEF\xBB\xBF");
    csv_write_row(&out, t.aRow[i].nCell, (const char *const *)t.aRow[i].azCell, t.cSep);
    Table t2;
    reread(&out, t.cSep, &t2);
    ASSERT(t2.nRow == 1);
    ASSERT(t2.aRow[0].iLine == 1);
    check_same_cells(&t, i, &t2, 0);
    table_reset(&t2);
    buf_reset(&out);
  }

  /* The whole table: same cells, and every row on the same line. */
  Buf out = BUF_INIT;
  buf_puts(&out, "\xEF\xBB\xBF");
  for (int i = 0; i < t.nRow; i++) {
    csv_write_row(&out, t.aRow[i].nCell, (const char *const *)t.aRow[i].azCell, t.cSep);
  }
  Table t2;
  reread(&out, t.cSep, &t2);
  ASSERT(t2.nRow == t.nRow);
  for (int i = 0; i < t.nRow; i++) {
    ASSERT(t2.aRow[i].iLine == t.aRow[i].iLine);
    check_same_cells(&t, i, &t2, i);
  }
  table_reset(&t2);
  buf_reset(&out);
  table_reset(&t);
  return 0;
}
