/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** XLSX reader: reads one sheet of an Office Open XML workbook (.xlsx, as
** written by Excel, LibreOffice, libxlsxwriter, Google Sheets...) into a
** Table of UTF-8 text cells. An XLSX file is a ZIP of XML parts; the reader
** opens it with libzip and streams each part through expat, so large sheets
** (100,000 rows) are read in one pass without holding the XML in memory.
**
** What a cell becomes (the text the user sees where it matters):
**   - shared strings (t="s"), inline strings (t="inlineStr") and formula
**     string results (t="str"): the text, rich-text runs joined, phonetic
**     guides (<rPh>) left out, white space kept exactly;
**   - numbers (t="n" or no t): the number text exactly as stored in <v>
**     ("44228", "0.5", "1.0000000000000002E-3"). Dates are numbers in XLSX
**     (Excel serial days); they stay numbers here and the importer's date
**     parser converts them. Styles and number formats are not read;
**   - booleans (t="b"): "1" or "0"; errors (t="e"): their text ("#N/A");
**   - ISO dates (t="d", rare): the text as stored;
**   - a cell without a value (<v>) is empty.
** Rows keep their spreadsheet row number in TableRow.iLine, so diagnostics
** can say "plan.xlsx:Hoja1!H22". Rows absent from the XML are not added;
** rows present but empty are added with no cells. Each row has cells up to
** its last non-empty one; missing cells before it are "".
**
** Merged cells: the value of a merged range lives in its top-left cell.
** For a range spanning several rows, the reader copies that value into the
** FIRST column of every row below it in the range (the rows present in the
** file), so a merged "component" cell reads as repeated on each row. Nothing
** is copied horizontally: the other columns of the range stay as stored
** (normally empty).
**
** Safety: the input comes from outside, and what the reader holds is
** bounded by the size of the file, not by what the file claims:
**   - decompressed bytes, all parts together, at most XLSX_INFLATE_RATIO
**     times the file's size (at least XLSX_INFLATE_FLOOR), and one part at
**     most XLSX_MAX_PART_BYTES (zip bombs);
**   - the text and the table held in memory at most XLSX_TABLE_RATIO times
**     the file's size (at least XLSX_TABLE_FLOOR, at most
**     XLSX_MAX_TABLE_BYTES). A cell that uses a shared string refers to it
**     instead of copying it, so one long string used by thousands of cells
**     costs its length once;
**   - a cell longer than XLSX_MAX_CELL_CHARS characters (Excel's own limit)
**     is refused with a message naming it ("Hoja1!C17 tiene ... caracteres");
**   - rows past 1,048,576 and columns past 16,384 (XFD), XML with a DOCTYPE
**     (so no entity can be declared or loaded), malformed XML, and anything
**     that is not a ZIP.
** Every refusal is a Spanish message naming the file and saying what to do.
**
** Memory of the Table: the text of every cell lives in one block, the
** table's zText; the rows' cells point into it. table_reset frees it.
**
** Not done here: writing XLSX (libxlsxwriter does that), formulas (only
** their cached results are read), styles, comments, hidden-state of rows,
** the 1904 date system flag, .xls (Excel 97-2003) and .ods files (they are
** recognised and refused with a message).
*/
#ifndef PARTICIPA_IO_XLSX_H
#define PARTICIPA_IO_XLSX_H

#include <stddef.h>

#include "io/table.h"

/* Limits: one XML part, uncompressed; Excel's last row; Excel's last
** column (XFD); characters in one cell (Excel's limit); decompressed bytes
** per byte of file, and the least allowed; bytes of text and table held
** per byte of file, the least allowed, and the most whatever the file. */
#define XLSX_MAX_PART_BYTES  ((unsigned long long)200 * 1024 * 1024)
#define XLSX_MAX_ROWS        1048576L
#define XLSX_MAX_COLS        16384
#define XLSX_MAX_CELL_CHARS  32767
#define XLSX_INFLATE_RATIO   100
#define XLSX_INFLATE_FLOOR   ((unsigned long long)64 * 1024 * 1024)
#define XLSX_TABLE_RATIO     32
#define XLSX_TABLE_FLOOR     ((size_t)32 * 1024 * 1024)
#define XLSX_MAX_TABLE_BYTES ((size_t)512 * 1024 * 1024)

/* Read sheet zSheet of the workbook at zPath into t. zSheet NULL means the
** first worksheet in workbook order (chart sheets are skipped); otherwise
** the sheet whose name equals zSheet exactly, or failing that the one
** whose name matches it ignoring case, accents and extra spaces
** (text_fold_dup); a name matching several sheets that way is an error.
** The function calls table_init(t, zPath) itself; the caller always calls
** table_reset(t), whatever the result. On success t->zSheet holds the
** sheet's name and the result is TABLE_OK (*pzErr is set to NULL). On
** failure t holds no rows, the result is TABLE_ECANTREAD and *pzErr is a
** malloc'd Spanish message the caller frees, e.g.
**   «plan.xlsx» no es un archivo XLSX válido (no es un ZIP); guárdelo ...
**   «plan.xlsx»: la hoja «Datos» no existe; hojas del libro: Hoja1, Resumen */
TableRc xlsx_read_file(const char *zPath, const char *zSheet, Table *t, char **pzErr);

/* Same as xlsx_read_file for the nData bytes at pData (borrowed, not
** modified); zName is the file name used in t->zSource and in messages. */
TableRc xlsx_read_mem(const char *zName, const void *pData, size_t nData, const char *zSheet,
                      Table *t, char **pzErr);

/* List the sheet names of the workbook at zPath in workbook order (all
** sheets, chart sheets and hidden sheets included), for messages and
** `--sheet` help. On TABLE_OK *pazSheet is a malloc'd array of *pnSheet
** malloc'd names, freed with xlsx_sheets_free(), and *pzErr is NULL. On
** TABLE_ECANTREAD *pazSheet is NULL, *pnSheet 0, and *pzErr a malloc'd
** message as for xlsx_read_file. */
TableRc xlsx_sheets_file(const char *zPath, char ***pazSheet, int *pnSheet, char **pzErr);

/* Same as xlsx_sheets_file for the nData bytes at pData, named zName. */
TableRc xlsx_sheets_mem(const char *zName, const void *pData, size_t nData, char ***pazSheet,
                        int *pnSheet, char **pzErr);

/* Free a list returned by xlsx_sheets_file/xlsx_sheets_mem (NULL is fine). */
void xlsx_sheets_free(char **azSheet, int nSheet);

#endif
