/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Table: a spreadsheet-like grid read from a file (CSV/TSV or XLSX), as
** rows of UTF-8 cells, each row remembering where it came from so that
** diagnostics can name "file:line" or "file:Sheet!C17". Readers fill it;
** the plan importer reads it. Knows nothing of the domain.
*/
#ifndef PARTICIPA_IO_TABLE_H
#define PARTICIPA_IO_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

typedef struct TableRow {
  long iLine;    /* text: 1-based line where the row starts; xlsx: 1-based row number */
  int nCell;     /* number of cells (trailing empty cells are kept as read) */
  char **azCell; /* nCell UTF-8, NUL-terminated cells; never NULL entries; one allocation
                    (with the text, or pointers into Table.zText) */
} TableRow;

typedef struct Table {
  char *zSource;   /* file name as given by the user, for diagnostics */
  char *zSheet;    /* XLSX sheet name, NULL for text files */
  char *zEncoding; /* text: "UTF-8", "UTF-8 con BOM" or "Windows-1252"; xlsx: NULL */
  char cSep;       /* text: the separator used (',' ';' or '\t'); xlsx: 0 */
  char *zRowWord;  /* when set, rows are records named "file: WORD N" (JSON) */
  int nRow;        /* number of rows, blank ones included */
  int nRowAlloc;   /* allocated slots in aRow */
  TableRow *aRow;  /* the rows, in file order */
  char *zText;     /* xlsx: the block every cell's text points into (rows then hold only
                      pointers); NULL for readers whose rows own their cells */
} Table;

/* Make t an empty table for zSource (copied). */
void table_init(Table *t, const char *zSource);
/* Free everything t holds; t is left empty. */
void table_reset(Table *t);
/* Append a row of nCell cells (copied) found at iLine. */
void table_add_row(Table *t, long iLine, int nCell, const char *const *azCell);
/* The cell at row iRow, column iCol, or "" when the row is shorter. Borrowed. */
const char *table_cell(const Table *t, int iRow, int iCol);
/* True when every cell of row iRow is blank. */
bool table_row_is_blank(const Table *t, int iRow);
/* Append where row iRow / column iCol is to pOut: "file:17" for text files,
** "file:Hoja1!H22" for XLSX (iCol < 0: the row's first cell). */
void table_loc(const Table *t, int iRow, int iCol, Buf *pOut);
/* Append the spreadsheet column name of 0-based iCol ("A", "Z", "AA"). */
void table_col_name(int iCol, Buf *pOut);

/* Result of a reader. */
typedef enum TableRc {
  TABLE_OK = 0,       /* read */
  TABLE_ECANTREAD = 2 /* the file cannot be read at all; message in *pzErr */
} TableRc;

#endif
