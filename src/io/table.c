/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Table storage and cell locations (see table.h).
*/
#include "io/table.h"

#include <string.h>

#include "base/util.h"

void table_init(Table *t, const char *zSource) {
  memset(t, 0, sizeof *t);
  t->zSource = xstrdup(zSource ? zSource : "-");
}

void table_reset(Table *t) {
  for (int i = 0; i < t->nRow; i++) {
    free(t->aRow[i].azCell);
  }
  free(t->aRow);
  free(t->zText);
  free(t->zSource);
  free(t->zSheet);
  free(t->zEncoding);
  free(t->zRowWord);
  memset(t, 0, sizeof *t);
}

void table_add_row(Table *t, long iLine, int nCell, const char *const *azCell) {
  if (t->nRow == t->nRowAlloc) {
    t->nRowAlloc = t->nRowAlloc ? t->nRowAlloc * 2 : 64;
    t->aRow = xrealloc(t->aRow, sizeof(TableRow) * (size_t)t->nRowAlloc);
  }
  size_t nByte = sizeof(char *) * (size_t)(nCell + 1);
  for (int i = 0; i < nCell; i++) {
    nByte += strlen(azCell[i]) + 1;
  }
  char **az = xmalloc(nByte);
  char *z = (char *)(az + nCell + 1);
  for (int i = 0; i < nCell; i++) {
    size_t n = strlen(azCell[i]) + 1;
    memcpy(z, azCell[i], n);
    az[i] = z;
    z += n;
  }
  az[nCell] = NULL;
  TableRow *r = &t->aRow[t->nRow++];
  r->iLine = iLine;
  r->nCell = nCell;
  r->azCell = az;
}

const char *table_cell(const Table *t, int iRow, int iCol) {
  if (iRow < 0 || iRow >= t->nRow || iCol < 0 || iCol >= t->aRow[iRow].nCell) {
    return "";
  }
  return t->aRow[iRow].azCell[iCol];
}

bool table_row_is_blank(const Table *t, int iRow) {
  const TableRow *r = &t->aRow[iRow];
  for (int i = 0; i < r->nCell; i++) {
    if (!str_is_blank(r->azCell[i])) {
      return false;
    }
  }
  return true;
}

void table_col_name(int iCol, Buf *pOut) {
  char a[8];
  int n = 0;
  iCol++;
  while (iCol > 0 && n < (int)sizeof a) {
    int r = (iCol - 1) % 26;
    a[n++] = (char)('A' + r);
    iCol = (iCol - 1) / 26;
  }
  while (n > 0) {
    buf_putc(pOut, a[--n]);
  }
}

void table_loc(const Table *t, int iRow, int iCol, Buf *pOut) {
  long iLine = (iRow >= 0 && iRow < t->nRow) ? t->aRow[iRow].iLine : 0;
  if (t->zRowWord) {
    buf_appendf(pOut, "%s: %s %ld", t->zSource, t->zRowWord, iLine);
  } else if (t->zSheet) {
    buf_appendf(pOut, "%s:%s!", t->zSource, t->zSheet);
    table_col_name(iCol < 0 ? 0 : iCol, pOut);
    buf_appendf(pOut, "%ld", iLine);
  } else {
    buf_appendf(pOut, "%s:%ld", t->zSource, iLine);
  }
}
