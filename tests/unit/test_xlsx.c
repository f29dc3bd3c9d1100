/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Unit tests for src/io/xlsx.c: the XLSX reader. Fixtures under
** tests/data/xlsx/ come from LibreOffice, libxlsxwriter and hand-written
** parts (see tests/data/xlsx/make-fixtures.c); small workbooks for edge
** cases and errors are built here in memory with libzip. Every test
** asserts exact cell texts, row numbers and messages.
** Tests run from the repository root.
*/
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zip.h>

#include "base/buf.h"
#include "base/util.h"
#include "io/xlsx.h"
#include "testutil.h"

#define DIR         "tests/data/xlsx/"
#define LO_CSV      DIR "libreoffice-csv.xlsx"
#define LO_FEATURES DIR "libreoffice-features.xlsx"
#define LXW         DIR "xlsxwriter.xlsx"
#define LXW_INLINE  DIR "xlsxwriter-inline.xlsx"
#define HANDMADE    DIR "handmade.xlsx"
#define SEED        DIR "seed-libreoffice.xlsx"

/* ---- helpers ---------------------------------------------------------- */

/* One part of a ZIP built by zip_build. */
typedef struct Part {
  const char *zName; /* part name */
  const char *zData; /* content (NUL-terminated) */
} Part;

/* Build a ZIP holding the nPart parts (stored uncompressed when bStore) in
** memory; returns a malloc'd buffer and its size in *pn. */
static unsigned char *zip_build(const Part *aPart, int nPart, bool bStore, size_t *pn) {
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *pSrc = zip_source_buffer_create(NULL, 0, 0, &ze);
  cr_assert_not_null(pSrc);
  zip_source_keep(pSrc);
  zip_t *za = zip_open_from_source(pSrc, ZIP_TRUNCATE, &ze);
  cr_assert_not_null(za);
  for (int i = 0; i < nPart; i++) {
    zip_source_t *s = zip_source_buffer(za, aPart[i].zData, strlen(aPart[i].zData), 0);
    cr_assert_not_null(s);
    zip_int64_t idx = zip_file_add(za, aPart[i].zName, s, ZIP_FL_ENC_UTF_8);
    cr_assert_geq(idx, 0);
    if (bStore) {
      cr_assert_eq(zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0), 0);
    }
  }
  cr_assert_eq(zip_close(za), 0);
  zip_stat_t st;
  cr_assert_eq(zip_source_stat(pSrc, &st), 0);
  cr_assert_eq(zip_source_open(pSrc), 0);
  unsigned char *a = xmalloc((size_t)st.size);
  cr_assert_eq(zip_source_read(pSrc, a, st.size), (zip_int64_t)st.size);
  zip_source_close(pSrc);
  zip_source_free(pSrc);
  zip_error_fini(&ze);
  *pn = (size_t)st.size;
  return a;
}

static const char zRels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
    "Target=\"xl/workbook.xml\"/></Relationships>";

static const char zWorkbook[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<sheets><sheet name=\"Hoja1\" sheetId=\"1\" r:id=\"rId1\"/>"
    "<sheet name=\"Resumen\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>";

static const char zWorkbookRels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
    "Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
    "Target=\"worksheets/sheet2.xml\"/>"
    "<Relationship Id=\"rId3\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" "
    "Target=\"sharedStrings.xml\"/></Relationships>";

static const char zSheet2[] =
    "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<sheetData/></worksheet>";

/* Wrap rows (the inside of <sheetData>) and extra XML after it in a sheet. */
static char *sheet_xml(const char *zRows, const char *zAfter) {
  return xasprintf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                   "<sheetData>%s</sheetData>%s</worksheet>",
                   zRows, zAfter ? zAfter : "");
}

/* A workbook with sheets Hoja1 (zSheet1, the whole part) and Resumen
** (empty), and shared strings zSst (the whole part; NULL for none). */
static unsigned char *book_build(const char *zSheet1, const char *zSst, size_t *pn) {
  Part a[6] = {{"_rels/.rels", zRels},
               {"xl/workbook.xml", zWorkbook},
               {"xl/_rels/workbook.xml.rels", zWorkbookRels},
               {"xl/worksheets/sheet1.xml", zSheet1},
               {"xl/worksheets/sheet2.xml", zSheet2},
               {"xl/sharedStrings.xml", zSst ? zSst : ""}};
  return zip_build(a, zSst ? 6 : 5, false, pn);
}

/* Read sheet zSheet (NULL: first) of the n bytes at p named "plan.xlsx"
** into t; asserts success. Caller resets t. */
static void read_ok(const void *p, size_t n, const char *zSheet, Table *t) {
  char *zErr = (char *)"unset";
  TableRc rc = xlsx_read_mem("plan.xlsx", p, n, zSheet, t, &zErr);
  cr_assert_eq(rc, TABLE_OK, "read failed: %s", zErr ? zErr : "(null)");
  cr_assert_null(zErr);
}

/* Assert that reading the n bytes at p (named "plan.xlsx") fails with
** exactly zWant, leaving an empty table that still names its source. */
static void read_fails(const void *p, size_t n, const char *zSheet, const char *zWant) {
  Table t;
  char *zErr = NULL;
  cr_assert_eq(xlsx_read_mem("plan.xlsx", p, n, zSheet, &t, &zErr), TABLE_ECANTREAD);
  cr_assert_not_null(zErr);
  cr_assert_str_eq(zErr, zWant);
  cr_assert_eq(t.nRow, 0);
  cr_assert_str_eq(t.zSource, "plan.xlsx");
  cr_assert_null(t.zSheet);
  free(zErr);
  table_reset(&t);
}

/* Assert that sheet XML rows zRows (with zAfter after sheetData) and shared
** strings zSst make the read fail with exactly zWant. */
static void sheet_fails(const char *zRows, const char *zAfter, const char *zSst,
                        const char *zWant) {
  char *zSheet = sheet_xml(zRows, zAfter);
  size_t n;
  unsigned char *p = book_build(zSheet, zSst, &n);
  read_fails(p, n, NULL, zWant);
  free(p);
  free(zSheet);
}

/* Read sheet rows zRows (+ zAfter) with shared strings zSst into t. */
static void sheet_read(const char *zRows, const char *zAfter, const char *zSst, Table *t) {
  char *zSheet = sheet_xml(zRows, zAfter);
  size_t n;
  unsigned char *p = book_build(zSheet, zSst, &n);
  read_ok(p, n, NULL, t);
  free(p);
  free(zSheet);
}

/* Read file zPath, sheet zSheet, into t; asserts success. */
static void read_file_ok(const char *zPath, const char *zSheet, Table *t) {
  char *zErr = (char *)"unset";
  TableRc rc = xlsx_read_file(zPath, zSheet, t, &zErr);
  cr_assert_eq(rc, TABLE_OK, "read of %s failed: %s", zPath, zErr ? zErr : "(null)");
  cr_assert_null(zErr);
}

/* Assert row iRow of t is spreadsheet row iLine with exactly the nCell
** cells of azWant. */
static void check_row(const Table *t, int iRow, long iLine, int nCell, const char *const *azWant) {
  cr_assert_lt(iRow, t->nRow, "row index %d of %d", iRow, t->nRow);
  const TableRow *r = &t->aRow[iRow];
  cr_assert_eq(r->iLine, iLine, "row index %d: line %ld, want %ld", iRow, r->iLine, iLine);
  cr_assert_eq(r->nCell, nCell, "row %ld: %d cells, want %d", iLine, r->nCell, nCell);
  for (int i = 0; i < nCell; i++) {
    cr_assert_str_eq(r->azCell[i], azWant[i], "row %ld col %d", iLine, i);
  }
}

#define ROW(t, i, line, ...)                                                                       \
  do {                                                                                             \
    const char *az_[] = {__VA_ARGS__};                                                             \
    check_row((t), (i), (line), (int)(sizeof az_ / sizeof az_[0]), az_);                           \
  } while (0)

/* Read the whole file at zPath into a malloc'd buffer; size in *pn. */
static unsigned char *slurp(const char *zPath, size_t *pn) {
  FILE *f = fopen(zPath, "rb");
  cr_assert_not_null(f, "%s", zPath);
  cr_assert_eq(fseek(f, 0, SEEK_END), 0);
  long n = ftell(f);
  cr_assert_gt(n, 0);
  rewind(f);
  unsigned char *p = xmalloc((size_t)n);
  cr_assert_eq(fread(p, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  *pn = (size_t)n;
  return p;
}

/* ---- xlsx-1: LibreOffice, from a CSV ---------------------------------- */

/* xlsx-1.1: cells, numbers and absent rows of a LibreOffice file. */
Test(xlsx, lo_csv_cells) {
  Table t;
  read_file_ok(LO_CSV, NULL, &t);
  cr_assert_str_eq(t.zSource, LO_CSV);
  cr_assert_str_eq(t.zSheet, "libreoffice-csv");
  cr_assert_null(t.zEncoding);
  cr_assert_eq(t.cSep, 0);
  cr_assert_eq(t.nRow, 4);
  ROW(&t, 0, 1, "ITEM", "ACTIVIDAD", "FECHA INICIO", "META", "RESPONSABLE");
  ROW(&t, 1, 2, "1", "Diagnóstico de participación", "01-febrero-2021", "0.5",
      "Secretaría de Participación");
  /* LibreOffice turned the ISO date into a serial; the row ends at its last value. */
  ROW(&t, 2, 3, "2", "Publicar \"avances\"", "44378", "10");
  /* The blank CSV line 4 is absent from the sheet; missing cells are "". */
  ROW(&t, 3, 5, "3", "", "", "", "Oficina de Informática");
  table_reset(&t);
}

/* xlsx-1.2: a location names the sheet and the cell. */
Test(xlsx, lo_csv_location) {
  Table t;
  read_file_ok(LO_CSV, NULL, &t);
  Buf b = BUF_INIT;
  table_loc(&t, 3, 4, &b);
  cr_assert_str_eq(buf_str(&b), LO_CSV ":libreoffice-csv!E5");
  buf_reset(&b);
  table_reset(&t);
}

/* ---- xlsx-2: LibreOffice features (merges, rich text, types) ---------- */

/* xlsx-2.1: every cell of the first sheet. */
Test(xlsx, lo_features_cells) {
  Table t;
  read_file_ok(LO_FEATURES, NULL, &t);
  cr_assert_str_eq(t.zSheet, "Año 2021");
  cr_assert_eq(t.nRow, 5);
  ROW(&t, 0, 1, "Componente", "Ítem", "Actividad", "Fecha", "Avance");
  /* Rich text runs joined; a date cell is its serial number. */
  ROW(&t, 1, 2, "Diagnóstico de participación", "1", "Texto en negrilla y cursiva", "44228", "0.5");
  /* Merged A2:A4: value copied down; formula string, boolean and error cells. */
  ROW(&t, 2, 3, "Diagnóstico de participación", "2", "Año 2021", "1", "#N/A");
  /* Horizontal merge C4:D4: nothing copied across; spaces kept; FALSE is "0". */
  ROW(&t, 3, 4, "Diagnóstico de participación", "3", "  con espacios  ", "", "0");
  ROW(&t, 4, 5, "Fin");
  table_reset(&t);
}

/* xlsx-2.2: the second sheet by exact name. */
Test(xlsx, lo_features_second_sheet) {
  Table t;
  read_file_ok(LO_FEATURES, "Resumen", &t);
  cr_assert_str_eq(t.zSheet, "Resumen");
  cr_assert_eq(t.nRow, 1);
  ROW(&t, 0, 1, "Hoja dos");
  table_reset(&t);
}

/* xlsx-2.3: a sheet by name ignoring case, accents and spacing. */
Test(xlsx, sheet_by_folded_name) {
  Table t;
  read_file_ok(LO_FEATURES, "  AÑO   2021 ", &t);
  cr_assert_str_eq(t.zSheet, "Año 2021");
  cr_assert_eq(t.nRow, 5);
  table_reset(&t);
  read_file_ok(LO_FEATURES, "ano 2021", &t);
  cr_assert_str_eq(t.zSheet, "Año 2021");
  table_reset(&t);
  read_file_ok(LO_FEATURES, "RESUMEN", &t);
  cr_assert_str_eq(t.zSheet, "Resumen");
  ROW(&t, 0, 1, "Hoja dos");
  table_reset(&t);
}

/* xlsx-2.4: sheet names in workbook order. */
Test(xlsx, sheet_list) {
  char **az = NULL;
  int n = -1;
  char *zErr = (char *)"unset";
  cr_assert_eq(xlsx_sheets_file(LO_FEATURES, &az, &n, &zErr), TABLE_OK);
  cr_assert_null(zErr);
  cr_assert_eq(n, 2);
  cr_assert_str_eq(az[0], "Año 2021");
  cr_assert_str_eq(az[1], "Resumen");
  xlsx_sheets_free(az, n);
}

/* ---- xlsx-3: libxlsxwriter --------------------------------------------- */

/* xlsx-3.1: shared strings, numbers, dates, booleans, merges, column AB. */
Test(xlsx, xlsxwriter_cells) {
  Table t;
  read_file_ok(LXW, NULL, &t);
  cr_assert_str_eq(t.zSheet, "Plan de acción");
  cr_assert_eq(t.nRow, 5);
  ROW(&t, 0, 1, "ITEM", "COMPONENTE", "ACTIVIDAD", "FECHA INICIO", "META", "HECHO", "NOTA");
  ROW(&t, 1, 2, "1", "Diagnóstico", "Aplicar el autodiagnóstico", "44228", "0.5", "1", "Sí");
  ROW(&t, 2, 3, "2", "Diagnóstico", "Texto en negrilla y normal", "44378.5", "0.3333333333333333",
      "0");
  /* Horizontal merge F4:G4 keeps G4 empty, so the row ends at F. */
  ROW(&t, 3, 4, "3", "Diagnóstico", "Secretaría de Participación/Oficina de comunicaciones", "",
      "1234567.25", "horizontal");
  cr_assert_eq(t.aRow[4].iLine, 6);
  cr_assert_eq(t.aRow[4].nCell, 28);
  cr_assert_str_eq(table_cell(&t, 4, 0), "Fin");
  for (int i = 1; i < 27; i++) {
    cr_assert_str_eq(table_cell(&t, 4, i), "", "column %d", i);
  }
  cr_assert_str_eq(table_cell(&t, 4, 27), "7");
  Buf b = BUF_INIT;
  table_loc(&t, 4, 27, &b);
  cr_assert_str_eq(buf_str(&b), LXW ":Plan de acción!AB6");
  buf_reset(&b);
  table_reset(&t);
}

/* xlsx-3.2: the second sheet, by folded name. */
Test(xlsx, xlsxwriter_second_sheet) {
  Table t;
  read_file_ok(LXW, "resumen", &t);
  cr_assert_str_eq(t.zSheet, "Resumen");
  cr_assert_eq(t.nRow, 2);
  ROW(&t, 0, 1, "Hoja dos");
  ROW(&t, 1, 2, "2021");
  table_reset(&t);
}

/* xlsx-3.3: inline strings (constant-memory mode), escapes, spaces. */
Test(xlsx, xlsxwriter_inline_strings) {
  Table t;
  read_file_ok(LXW_INLINE, NULL, &t);
  cr_assert_str_eq(t.zSheet, "Sheet1");
  cr_assert_eq(t.nRow, 3);
  ROW(&t, 0, 1, "Ítem", "Descripción");
  ROW(&t, 1, 2, "1", "  con espacios  ");
  ROW(&t, 2, 3, "2", "Participación & <control> \"social\"");
  table_reset(&t);
}

/* ---- xlsx-4: hand-written parts ---------------------------------------- */

/* xlsx-4.1: default sheet skips the chart sheet; every cell type; rows and
** cells without r; phonetic runs left out; merges. */
Test(xlsx, handmade_cells) {
  Table t;
  read_file_ok(HANDMADE, NULL, &t);
  cr_assert_str_eq(t.zSheet, "Datos");
  cr_assert_eq(t.nRow, 7);
  ROW(&t, 0, 1, "Componente", "Secretaría de Participación", "東京");
  ROW(&t, 1, 2, "  línea 1\nlínea 2  ", "A & B <C> Área ñ", "44228");
  ROW(&t, 2, 3, "Componente", "1.0000000000000002E-3", "1", "#N/A", "ab", "en línea",
      "2021-02-01T00:00:00");
  /* Merged A3:A5: the stale value of A4 is replaced by A3's; an empty <v> is empty. */
  ROW(&t, 3, 4, "Componente", "", "0");
  ROW(&t, 4, 5, "Componente");
  /* Merged B7:C9 with row 8 absent: row 9 gets B only; no row 8 is made. */
  ROW(&t, 5, 7, "", "Secretaría de Participación");
  ROW(&t, 6, 9, "", "Secretaría de Participación", "", "9");
  table_reset(&t);
}

/* xlsx-4.2: a hidden sheet reached through a "./x/../y" target. */
Test(xlsx, handmade_hidden_sheet) {
  Table t;
  read_file_ok(HANDMADE, "OTRA", &t);
  cr_assert_str_eq(t.zSheet, "Otra");
  cr_assert_eq(t.nRow, 1);
  ROW(&t, 0, 2, "", "oculta");
  table_reset(&t);
}

/* xlsx-4.3: sheet list includes the chart sheet, in workbook order. */
Test(xlsx, handmade_sheet_list) {
  size_t n;
  unsigned char *p = slurp(HANDMADE, &n);
  char **az = NULL;
  int nSheet = 0;
  char *zErr = NULL;
  cr_assert_eq(xlsx_sheets_mem("h.xlsx", p, n, &az, &nSheet, &zErr), TABLE_OK);
  cr_assert_eq(nSheet, 3);
  cr_assert_str_eq(az[0], "Gráfico");
  cr_assert_str_eq(az[1], "Datos");
  cr_assert_str_eq(az[2], "Otra");
  cr_assert_null(az[3]);
  xlsx_sheets_free(az, nSheet);
  free(p);
}

/* xlsx-4.4: asking for a chart sheet. */
Test(xlsx, chart_sheet_refused) {
  size_t n;
  unsigned char *p = slurp(HANDMADE, &n);
  read_fails(p, n, "grafico",
             "«plan.xlsx»: la hoja «Gráfico» es un gráfico, no una tabla de datos; elija otra "
             "hoja");
  free(p);
}

/* ---- xlsx-5: the real plan, converted by LibreOffice ------------------ */

/* xlsx-5.1: sheet name, rows present, 13 activities. */
Test(xlsx, seed_rows) {
  Table t;
  read_file_ok(SEED, NULL, &t);
  cr_assert_str_eq(t.zSheet, "plan");
  /* Preamble lines 5, 7, 9, 11, 13; headers 15-16; data 17-22 and 24-30. */
  static const long aLine[] = {5,  7,  9,  11, 13, 15, 16, 17, 18, 19,
                               20, 21, 22, 24, 25, 26, 27, 28, 29, 30};
  cr_assert_eq(t.nRow, 20);
  for (int i = 0; i < 20; i++) {
    cr_assert_eq(t.aRow[i].iLine, aLine[i], "row index %d", i);
  }
  static const char *azItem[] = {"1", "2",  "3",  "5",  "6",  "7", "8",
                                 "9", "10", "11", "12", "14", "15"};
  for (int i = 0; i < 13; i++) {
    cr_assert_str_eq(table_cell(&t, 7 + i, 0), azItem[i], "activity %d", i);
  }
  cr_assert_str_eq(table_cell(&t, 0, 0), "ALCALDÍA DISTRITAL DE CARTAGENA DE INDIAS");
  cr_assert_str_eq(table_cell(&t, 5, 1),
                   "DESCRIPCIÓN DE LOS CRITERIOS DIFERENCIALES QUE LE APLICAN");
  cr_assert_str_eq(table_cell(&t, 5, 11), "2021", "the year header is a number cell");
  cr_assert_eq(t.aRow[5].nCell, 12);
  cr_assert_eq(t.aRow[6].nCell, 16);
  cr_assert_str_eq(table_cell(&t, 6, 11), "META TRIMESTRE 1");
  cr_assert_str_eq(table_cell(&t, 6, 15), "RESULTADO");
  table_reset(&t);
}

/* xlsx-5.2: item 7 is on row 22 (line 22 of the text file) and LibreOffice
** kept its Spanish dates as text, not serials. */
Test(xlsx, seed_item7) {
  Table t;
  read_file_ok(SEED, NULL, &t);
  int iRow = 12;
  cr_assert_eq(t.aRow[iRow].iLine, 22);
  cr_assert_eq(t.aRow[iRow].nCell, 11);
  cr_assert_str_eq(table_cell(&t, iRow, 0), "7");
  cr_assert_str_eq(table_cell(&t, iRow, 1), "");
  cr_assert_str_eq(table_cell(&t, iRow, 2), "H:");
  cr_assert_str_eq(table_cell(&t, iRow, 7), "1-octubre-2021");
  cr_assert_str_eq(table_cell(&t, iRow, 8), "30-septiembre-2021");
  cr_assert_str_eq(table_cell(&t, iRow, 9),
                   "Secretaría de Participación/Oficina de comunicaciones/oficina asesora de "
                   "informática/Escuela de Gobierno");
  Buf b = BUF_INIT;
  table_loc(&t, iRow, 7, &b);
  cr_assert_str_eq(buf_str(&b), SEED ":plan!H22");
  buf_reset(&b);
  cr_assert_str_eq(table_cell(&t, 7, 7), "01-febrero-2021");
  table_reset(&t);
}

/* ---- xlsx-6: structure and edge cases (built in memory) --------------- */

static const char zSst3[] =
    "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<si><t>uno</t></si><si><t>dos</t></si><si><t>tres</t></si></sst>";

/* xlsx-6.1: rows present but empty are kept; trailing empty cells dropped. */
Test(xlsx, empty_rows_and_trailing_cells) {
  Table t;
  sheet_read("<row r=\"2\"/><row r=\"3\"><c r=\"A3\" t=\"s\"><v>0</v></c>"
             "<c r=\"B3\" t=\"inlineStr\"><is><t></t></is></c><c r=\"C3\"/></row>",
             NULL, zSst3, &t);
  cr_assert_str_eq(t.zSheet, "Hoja1");
  cr_assert_eq(t.nRow, 2);
  cr_assert_eq(t.aRow[0].iLine, 2);
  cr_assert_eq(t.aRow[0].nCell, 0);
  cr_assert(table_row_is_blank(&t, 0));
  ROW(&t, 1, 3, "uno");
  table_reset(&t);
}

/* xlsx-6.2: the top-left row of a merge is absent: rows below become "". */
Test(xlsx, merge_top_row_absent) {
  Table t;
  sheet_read("<row r=\"3\"><c r=\"A3\" t=\"s\"><v>1</v></c><c r=\"B3\" t=\"s\"><v>2</v></c></row>"
             "<row r=\"5\"><c r=\"A5\"><v>5</v></c><c r=\"B5\"><v>6</v></c></row>",
             "<mergeCells><mergeCell ref=\"A2:A3\"/><mergeCell ref=\"B4:B5\"/></mergeCells>", zSst3,
             &t);
  cr_assert_eq(t.nRow, 2);
  ROW(&t, 0, 3, "", "tres");
  /* The emptied cell was the last one: the row ends before it. */
  ROW(&t, 1, 5, "5");
  table_reset(&t);
}

/* xlsx-6.3: a merge written bottom-up, and one extending the row. */
Test(xlsx, merge_reversed_and_extending) {
  Table t;
  sheet_read("<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"C1\" t=\"s\"><v>0</v></c></row>"
             "<row r=\"2\"><c r=\"A2\"><v>2</v></c></row>",
             "<mergeCells count=\"1\"><mergeCell ref=\"D2:C1\"/></mergeCells>", zSst3, &t);
  ROW(&t, 0, 1, "1", "", "uno");
  ROW(&t, 1, 2, "2", "", "uno");
  table_reset(&t);
}

/* xlsx-6.4: booleans written as words, unknown types kept. */
Test(xlsx, cell_types_lenient) {
  Table t;
  sheet_read("<row><c t=\"b\"><v>true</v></c><c t=\"b\"><v> FALSE </v></c><c t=\"b\"><v>2</v></c>"
             "<c t=\"x\"><v>raro</v></c><c t=\"s\"><v> 2 </v></c><c t=\"s\"><v></v></c></row>",
             NULL, zSst3, &t);
  ROW(&t, 0, 1, "1", "0", "2", "raro", "tres");
  table_reset(&t);
}

/* xlsx-6.5: a workbook without shared strings, strict-namespace parts. */
Test(xlsx, strict_namespace) {
  static const char zStrictBook[] =
      "<workbook xmlns=\"http://purl.oclc.org/ooxml/spreadsheetml/main\" "
      "xmlns:r=\"http://purl.oclc.org/ooxml/officeDocument/relationships\">"
      "<sheets><sheet name=\"Estricta\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
  static const char zStrictRels[] =
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
      "<Relationship Id=\"rId1\" "
      "Type=\"http://purl.oclc.org/ooxml/officeDocument/relationships/worksheet\" "
      "Target=\"worksheets/sheet1.xml\"/></Relationships>";
  static const char zStrictSheet[] =
      "<worksheet xmlns=\"http://purl.oclc.org/ooxml/spreadsheetml/main\"><sheetData>"
      "<row r=\"1\"><c r=\"B1\" t=\"inlineStr\"><is><t>ok</t></is></c></row>"
      "</sheetData></worksheet>";
  Part a[] = {{"xl/workbook.xml", zStrictBook},
              {"xl/_rels/workbook.xml.rels", zStrictRels},
              {"xl/worksheets/sheet1.xml", zStrictSheet}};
  size_t n;
  unsigned char *p = zip_build(a, 3, false, &n);
  Table t;
  read_ok(p, n, NULL, &t);
  cr_assert_str_eq(t.zSheet, "Estricta");
  ROW(&t, 0, 1, "", "ok");
  table_reset(&t);
  free(p);
}

/* xlsx-6.6: a target with %XX escapes and "..", the workbook found through
** _rels/.rels under another name. */
Test(xlsx, target_escapes) {
  static const char zPkg[] =
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
      "<Relationship Id=\"rId1\" "
      "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
      "Target=\"libro/principal.xml\"/></Relationships>";
  static const char zBook[] =
      "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
      "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
      "<sheets><sheet name=\"Hoja uno\" sheetId=\"1\" r:id=\"x\"/></sheets></workbook>";
  static const char zBookRels[] =
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
      "<Relationship Id=\"x\" "
      "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
      "Target=\"../hojas/hoja%20uno.xml\"/></Relationships>";
  char *zSheet = sheet_xml("<row r=\"2\"><c r=\"C2\"><v>3</v></c></row>", NULL);
  Part a[] = {{"_rels/.rels", zPkg},
              {"libro/principal.xml", zBook},
              {"libro/_rels/principal.xml.rels", zBookRels},
              {"hojas/hoja uno.xml", zSheet}};
  size_t n;
  unsigned char *p = zip_build(a, 4, false, &n);
  Table t;
  read_ok(p, n, NULL, &t);
  cr_assert_str_eq(t.zSheet, "Hoja uno");
  ROW(&t, 0, 2, "", "", "3");
  table_reset(&t);
  free(p);
  free(zSheet);
}

/* xlsx-6.7: the last row and column Excel allows are accepted. */
Test(xlsx, limits_accepted) {
  Table t;
  sheet_read("<row r=\"1048576\"><c r=\"XFD1048576\"><v>1</v></c></row>", NULL, NULL, &t);
  cr_assert_eq(t.nRow, 1);
  cr_assert_eq(t.aRow[0].iLine, 1048576);
  cr_assert_eq(t.aRow[0].nCell, 16384);
  cr_assert_str_eq(table_cell(&t, 0, 16383), "1");
  table_reset(&t);
}

/* ---- xlsx-7: errors, exact messages ------------------------------------ */

/* xlsx-7.1: not a ZIP. */
Test(xlsx, err_not_zip) {
  read_fails("ITEM;ACTIVIDAD\n1;x\n", 19, NULL,
             "«plan.xlsx» no es un archivo XLSX válido (no es un ZIP); guárdelo desde Excel o "
             "LibreOffice como .xlsx");
}

/* xlsx-7.2: an empty file. */
Test(xlsx, err_empty) {
  read_fails("", 0, NULL,
             "«plan.xlsx» está vacío (0 bytes); guárdelo desde Excel o LibreOffice como .xlsx");
}

/* xlsx-7.3: an Excel 97-2003 (OLE2) file. */
Test(xlsx, err_xls) {
  static const unsigned char a[16] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
  read_fails(a, sizeof a, NULL,
             "«plan.xlsx» es un libro de Excel 97-2003 (.xls) o un libro protegido con "
             "contraseña; ábralo en Excel o LibreOffice y guárdelo como .xlsx sin contraseña");
}

/* xlsx-7.4: a ZIP cut short (an interrupted download). */
Test(xlsx, err_truncated) {
  size_t n;
  unsigned char *p = slurp(LXW, &n);
  static const char zWant[] = "«plan.xlsx» está incompleto (el ZIP está truncado); vuelva a "
                              "copiarlo o descargarlo completo, o guárdelo de nuevo desde Excel "
                              "o LibreOffice";
  read_fails(p, n / 2, NULL, zWant);
  read_fails(p, n - 1, NULL, zWant);
  free(p);
}

/* xlsx-7.5: a sheet that does not exist lists the sheets. */
Test(xlsx, err_missing_sheet) {
  size_t n;
  unsigned char *p = slurp(LO_FEATURES, &n);
  read_fails(p, n, "Datos",
             "«plan.xlsx»: la hoja «Datos» no existe; hojas del libro: Año 2021, Resumen");
  free(p);
}

/* xlsx-7.6: a folded name matching two sheets is ambiguous; exact wins. */
Test(xlsx, err_ambiguous_sheet) {
  static const char zBook[] =
      "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
      "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
      "<sheets><sheet name=\"Año\" sheetId=\"1\" r:id=\"rId1\"/>"
      "<sheet name=\"Ano\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>";
  char *zSheet = sheet_xml("<row><c t=\"inlineStr\"><is><t>x</t></is></c></row>", NULL);
  Part a[] = {{"xl/workbook.xml", zBook},
              {"xl/_rels/workbook.xml.rels", zWorkbookRels},
              {"xl/worksheets/sheet1.xml", zSheet},
              {"xl/worksheets/sheet2.xml", zSheet2}};
  size_t n;
  unsigned char *p = zip_build(a, 4, false, &n);
  read_fails(p, n, "AÑO",
             "«plan.xlsx»: el nombre «AÑO» coincide con varias hojas: Año, Ano; escriba el "
             "nombre exacto");
  Table t;
  read_ok(p, n, "Ano", &t);
  cr_assert_str_eq(t.zSheet, "Ano");
  cr_assert_eq(t.nRow, 0);
  table_reset(&t);
  free(p);
  free(zSheet);
}

/* xlsx-7.6b: a long sheet list in a message stops after 20 names. */
Test(xlsx, err_missing_sheet_long_list) {
  Buf book = BUF_INIT;
  buf_puts(&book, "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
                  "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
                  "<sheets>");
  Buf want = BUF_INIT;
  buf_puts(&want, "«plan.xlsx»: la hoja «X» no existe; hojas del libro: ");
  for (int i = 1; i <= 25; i++) {
    buf_appendf(&book, "<sheet name=\"H%d\" sheetId=\"%d\" r:id=\"rId%d\"/>", i, i, i);
    if (i <= 20) {
      buf_appendf(&want, "%sH%d", i > 1 ? ", " : "", i);
    }
  }
  buf_puts(&book, "</sheets></workbook>");
  buf_puts(&want, ", …");
  Part a[] = {{"xl/workbook.xml", buf_str(&book)}};
  size_t n;
  unsigned char *p = zip_build(a, 1, false, &n);
  read_fails(p, n, "X", buf_str(&want));
  free(p);
  buf_reset(&book);
  buf_reset(&want);
}

/* xlsx-7.7: malformed XML in the sheet names the part and the line. */
Test(xlsx, err_malformed_sheet) {
  static const char zBad[] = "<?xml version=\"1.0\"?>\n"
                             "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/"
                             "2006/main\">\n<sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c>\n"
                             "</sheetData></worksheet>";
  size_t n;
  unsigned char *p = book_build(zBad, NULL, &n);
  read_fails(p, n, NULL,
             "«plan.xlsx»: xl/worksheets/sheet1.xml: XML mal formado en la línea 4: mismatched "
             "tag; guárdelo de nuevo desde Excel o LibreOffice");
  free(p);
}

/* xlsx-7.8: malformed XML in the shared strings. */
Test(xlsx, err_malformed_sst) {
  char *zSheet = sheet_xml("<row><c t=\"s\"><v>0</v></c></row>", NULL);
  size_t n;
  unsigned char *p = book_build(zSheet, "<sst><si><t>a & b</t></si></sst>", &n);
  read_fails(p, n, NULL,
             "«plan.xlsx»: xl/sharedStrings.xml: XML mal formado en la línea 1: not well-formed "
             "(invalid token); guárdelo de nuevo desde Excel o LibreOffice");
  free(p);
  free(zSheet);
}

/* xlsx-7.9: a DOCTYPE (entity expansion, external entities) is refused. */
Test(xlsx, err_doctype) {
  static const char zLaughs[] =
      "<?xml version=\"1.0\"?>\n"
      "<!DOCTYPE sst [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">"
      "<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
      "<sst><si><t>&b;&x;</t></si></sst>";
  char *zSheet = sheet_xml("<row><c t=\"s\"><v>0</v></c></row>", NULL);
  size_t n;
  unsigned char *p = book_build(zSheet, zLaughs, &n);
  read_fails(p, n, NULL,
             "«plan.xlsx»: xl/sharedStrings.xml: el XML trae una declaración DOCTYPE (línea 2), "
             "que un libro XLSX no usa; guárdelo de nuevo desde Excel o LibreOffice");
  free(p);
  free(zSheet);
}

/* xlsx-7.10: an OpenDocument spreadsheet. */
Test(xlsx, err_ods) {
  Part a[] = {{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"},
              {"content.xml", "<office:document-content/>"}};
  size_t n;
  unsigned char *p = zip_build(a, 2, true, &n);
  read_fails(p, n, NULL,
             "«plan.xlsx» es una hoja de cálculo OpenDocument (.ods), no un libro XLSX; guárdela "
             "desde LibreOffice como «Libro de Excel 2007-365 (.xlsx)»");
  free(p);
}

/* xlsx-7.11: a ZIP that is not a workbook. */
Test(xlsx, err_zip_not_workbook) {
  Part a[] = {{"word/document.xml", "<document/>"}};
  size_t n;
  unsigned char *p = zip_build(a, 1, false, &n);
  read_fails(p, n, NULL,
             "«plan.xlsx» es un ZIP pero no un libro XLSX (no contiene xl/workbook.xml); "
             "guárdelo desde Excel o LibreOffice como .xlsx");
  free(p);
}

/* xlsx-7.12: the sheet's part is missing. */
Test(xlsx, err_missing_part) {
  Part a[] = {{"xl/workbook.xml", zWorkbook}, {"xl/_rels/workbook.xml.rels", zWorkbookRels}};
  size_t n;
  unsigned char *p = zip_build(a, 2, false, &n);
  read_fails(p, n, "resumen",
             "«plan.xlsx»: falta la parte xl/worksheets/sheet2.xml de la hoja «Resumen»; el "
             "archivo está incompleto o dañado; guárdelo de nuevo desde Excel o LibreOffice");
  free(p);
}

/* xlsx-7.13: a shared-string index out of range names the cell. */
Test(xlsx, err_sst_index) {
  sheet_fails("<row r=\"22\"><c r=\"H22\" t=\"s\"><v>3</v></c></row>", NULL, zSst3,
              "«plan.xlsx»: Hoja1!H22 usa la cadena compartida «3», que no existe (el libro tiene "
              "3); el archivo está dañado; guárdelo de nuevo desde Excel o LibreOffice");
  sheet_fails("<row r=\"2\"><c r=\"B2\" t=\"s\"><v>x1</v></c></row>", NULL, NULL,
              "«plan.xlsx»: Hoja1!B2 usa la cadena compartida «x1», que no existe (el libro tiene "
              "0); el archivo está dañado; guárdelo de nuevo desde Excel o LibreOffice");
}

/* xlsx-7.14: past the last row. */
Test(xlsx, err_too_many_rows) {
  sheet_fails("<row r=\"1048577\"/>", NULL, NULL,
              "«plan.xlsx»: la hoja «Hoja1» pasa del límite de 1048576 filas en la fila 1048577; "
              "guárdelo de nuevo desde Excel o LibreOffice");
  sheet_fails("<row r=\"1048576\"/><row/>", NULL, NULL,
              "«plan.xlsx»: la hoja «Hoja1» pasa del límite de 1048576 filas en la fila 1048577; "
              "guárdelo de nuevo desde Excel o LibreOffice");
  sheet_fails("<row r=\"5\"><c r=\"A99999999999\"/></row>", NULL, NULL,
              "«plan.xlsx»: la hoja «Hoja1» pasa del límite de 1048576 filas en «A99999999999»; "
              "guárdelo de nuevo desde Excel o LibreOffice");
}

/* xlsx-7.15: past the last column. */
Test(xlsx, err_too_many_columns) {
  sheet_fails("<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>", NULL, NULL,
              "«plan.xlsx»: la hoja «Hoja1» pasa del límite de 16384 columnas (XFD) en «XFE1»; "
              "guárdelo de nuevo desde Excel o LibreOffice");
  sheet_fails("<row r=\"3\"><c r=\"XFD3\"/><c/></row>", NULL, NULL,
              "«plan.xlsx»: la hoja «Hoja1» pasa del límite de 16384 columnas (XFD) en la fila 3; "
              "guárdelo de nuevo desde Excel o LibreOffice");
  sheet_fails("<row/>", "<mergeCells><mergeCell ref=\"A1:XFE2\"/></mergeCells>", NULL,
              "«plan.xlsx»: la hoja «Hoja1» pasa del límite de 16384 columnas (XFD) en "
              "«A1:XFE2»; guárdelo de nuevo desde Excel o LibreOffice");
}

/* xlsx-7.16: invalid references and row numbers. */
Test(xlsx, err_bad_refs) {
  sheet_fails("<row r=\"1\">\n<c r=\"A0\"/></row>", NULL, NULL,
              "«plan.xlsx»: xl/worksheets/sheet1.xml, línea 3: referencia de celda inválida «A0»; "
              "guárdelo de nuevo desde Excel o LibreOffice");
  sheet_fails("<row r=\"1\"><c r=\"1A\"/></row>", NULL, NULL,
              "«plan.xlsx»: xl/worksheets/sheet1.xml, línea 2: referencia de celda inválida «1A»; "
              "guárdelo de nuevo desde Excel o LibreOffice");
  sheet_fails("<row r=\"x\"/>", NULL, NULL,
              "«plan.xlsx»: xl/worksheets/sheet1.xml, línea 2: número de fila inválido «x»; "
              "guárdelo de nuevo desde Excel o LibreOffice");
  sheet_fails("<row r=\"07\"/>", NULL, NULL,
              "«plan.xlsx»: xl/worksheets/sheet1.xml, línea 2: número de fila inválido «07»; "
              "guárdelo de nuevo desde Excel o LibreOffice");
}

/* xlsx-7.17: rows and cells out of order, a cell in the wrong row. */
Test(xlsx, err_order) {
  sheet_fails("<row r=\"5\"/><row r=\"3\"/>", NULL, NULL,
              "«plan.xlsx»: la fila 3 de la hoja «Hoja1» aparece después de la fila 5; guárdelo "
              "de nuevo desde Excel o LibreOffice");
  sheet_fails("<row r=\"5\"/><row r=\"5\"/>", NULL, NULL,
              "«plan.xlsx»: la fila 5 de la hoja «Hoja1» aparece después de la fila 5; guárdelo "
              "de nuevo desde Excel o LibreOffice");
  sheet_fails("<row r=\"5\"><c r=\"D5\"/><c r=\"B5\"/></row>", NULL, NULL,
              "«plan.xlsx»: Hoja1!B5 aparece después de Hoja1!D5; guárdelo de nuevo desde Excel "
              "o LibreOffice");
  sheet_fails("<row r=\"4\"><c r=\"B5\"/></row>", NULL, NULL,
              "«plan.xlsx»: Hoja1!B5 aparece dentro de la fila 4; guárdelo de nuevo desde Excel o "
              "LibreOffice");
}

/* xlsx-7.18: a part claiming more than 200 MiB uncompressed is refused
** before it is read (the size in the ZIP directory is patched). */
Test(xlsx, err_part_too_big) {
  char *zSheet = sheet_xml("", NULL);
  Part a[] = {{"xl/workbook.xml", zWorkbook},
              {"xl/_rels/workbook.xml.rels", zWorkbookRels},
              {"xl/worksheets/sheet1.xml", zSheet}};
  size_t n;
  unsigned char *p = zip_build(a, 3, true, &n);
  static const char zName[] = "xl/worksheets/sheet1.xml";
  int nPatched = 0;
  for (size_t i = 0; i + 46 + sizeof zName - 1 <= n; i++) {
    if (memcmp(p + i, "PK\x01\x02", 4) == 0 && p[i + 28] == sizeof zName - 1 && p[i + 29] == 0 &&
        memcmp(p + i + 46, zName, sizeof zName - 1) == 0) {
      uint32_t nBig = 201u * 1024 * 1024; /* uncompressed size, little-endian, offset 24 */
      for (int k = 0; k < 4; k++) {
        p[i + 24 + k] = (unsigned char)(nBig >> (8 * k));
      }
      nPatched++;
    }
  }
  cr_assert_eq(nPatched, 1);
  read_fails(p, n, NULL,
             "«plan.xlsx»: xl/worksheets/sheet1.xml ocupa más de 200 MiB sin comprimir; el libro "
             "es demasiado grande o está dañado; divida el plan en libros más pequeños");
  free(p);
  free(zSheet);
}

/* xlsx-7.19: a damaged part (CRC mismatch) is reported, not read. */
Test(xlsx, err_crc) {
  char *zSheet = sheet_xml("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>", NULL);
  Part a[] = {{"xl/workbook.xml", zWorkbook},
              {"xl/_rels/workbook.xml.rels", zWorkbookRels},
              {"xl/worksheets/sheet1.xml", zSheet}};
  size_t n;
  unsigned char *p = zip_build(a, 3, true, &n);
  unsigned char *pV = NULL;
  for (size_t i = 0; i + 8 <= n && pV == NULL; i++) {
    if (memcmp(p + i, "<v>1</v>", 8) == 0) {
      pV = p + i;
    }
  }
  cr_assert_not_null(pV);
  pV[3] = '2';
  read_fails(p, n, NULL,
             "«plan.xlsx»: xl/worksheets/sheet1.xml está dañado (la suma de verificación CRC no "
             "coincide); guárdelo de nuevo desde Excel o LibreOffice");
  free(p);
  free(zSheet);
}

/* xlsx-7.20: a file that does not exist, and a folder. */
Test(xlsx, err_files) {
  Table t;
  char *zErr = NULL;
  cr_assert_eq(xlsx_read_file(DIR "no-existe.xlsx", NULL, &t, &zErr), TABLE_ECANTREAD);
  cr_assert_str_eq(zErr, "no existe el archivo «" DIR "no-existe.xlsx»; revise el nombre y la "
                         "carpeta");
  cr_assert_str_eq(t.zSource, DIR "no-existe.xlsx");
  cr_assert_eq(t.nRow, 0);
  free(zErr);
  table_reset(&t);
  cr_assert_eq(xlsx_read_file("tests/data/xlsx", NULL, &t, &zErr), TABLE_ECANTREAD);
  cr_assert_str_eq(zErr, "«tests/data/xlsx» es una carpeta, no un archivo .xlsx");
  free(zErr);
  table_reset(&t);
  char **az = (char **)&zErr;
  int nSheet = 7;
  cr_assert_eq(xlsx_sheets_file(DIR "no-existe.xlsx", &az, &nSheet, &zErr), TABLE_ECANTREAD);
  cr_assert_null(az);
  cr_assert_eq(nSheet, 0);
  cr_assert_str_eq(zErr, "no existe el archivo «" DIR "no-existe.xlsx»; revise el nombre y la "
                         "carpeta");
  free(zErr);
}

/* xlsx-7.21: a file on disk that is not a ZIP, and one cut short. */
Test(xlsx, err_files_content) {
  char zDir[] = "/tmp/test_xlsx_XXXXXX";
  cr_assert_not_null(mkdtemp(zDir));
  char *zPath = xasprintf("%s/plan.xlsx", zDir);
  FILE *f = fopen(zPath, "wb");
  cr_assert_not_null(f);
  fputs("ITEM\tACTIVIDAD\n", f);
  fclose(f);
  Table t;
  char *zErr = NULL;
  cr_assert_eq(xlsx_read_file(zPath, NULL, &t, &zErr), TABLE_ECANTREAD);
  char *zWant = xasprintf("«%s» no es un archivo XLSX válido (no es un ZIP); guárdelo desde Excel "
                          "o LibreOffice como .xlsx",
                          zPath);
  cr_assert_str_eq(zErr, zWant);
  free(zWant);
  free(zErr);
  table_reset(&t);

  size_t n;
  unsigned char *p = slurp(LO_CSV, &n);
  f = fopen(zPath, "wb");
  cr_assert_not_null(f);
  cr_assert_eq(fwrite(p, 1, n - 100, f), n - 100);
  fclose(f);
  cr_assert_eq(xlsx_read_file(zPath, NULL, &t, &zErr), TABLE_ECANTREAD);
  zWant = xasprintf("«%s» está incompleto (el ZIP está truncado); vuelva a copiarlo o descargarlo "
                    "completo, o guárdelo de nuevo desde Excel o LibreOffice",
                    zPath);
  cr_assert_str_eq(zErr, zWant);
  free(zWant);
  free(zErr);
  table_reset(&t);
  free(p);
  cr_assert_eq(unlink(zPath), 0);
  cr_assert_eq(rmdir(zDir), 0);
  free(zPath);
}

/* xlsx-7.22: a workbook whose sheets are all chart sheets. */
Test(xlsx, err_no_data_sheet) {
  static const char zBook[] =
      "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
      "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
      "<sheets><sheet name=\"G\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
  static const char zBookRels[] =
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
      "<Relationship Id=\"rId1\" "
      "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartsheet\" "
      "Target=\"chartsheets/sheet1.xml\"/></Relationships>";
  Part a[] = {{"xl/workbook.xml", zBook}, {"xl/_rels/workbook.xml.rels", zBookRels}};
  size_t n;
  unsigned char *p = zip_build(a, 2, false, &n);
  read_fails(p, n, NULL,
             "«plan.xlsx»: el libro no tiene hojas con datos (solo gráficos o ninguna hoja); "
             "guárdelo de nuevo desde Excel o LibreOffice");
  free(p);
}

/* xlsx-7.23: the sheet list reports errors like a read. */
Test(xlsx, err_sheet_list) {
  char **az = NULL;
  int nSheet = 0;
  char *zErr = NULL;
  cr_assert_eq(xlsx_sheets_mem("plan.xlsx", "hola", 4, &az, &nSheet, &zErr), TABLE_ECANTREAD);
  cr_assert_null(az);
  cr_assert_str_eq(zErr, "«plan.xlsx» no es un archivo XLSX válido (no es un ZIP); guárdelo desde "
                         "Excel o LibreOffice como .xlsx");
  free(zErr);
}

/* ---- bounded memory (issue 8, item 4) ------------------------------------ */

/* Shared strings holding one string of nChar copies of the UTF-8 character
** zChar. Caller frees. */
static char *sst_one_dup(const char *zChar, size_t nChar) {
  Buf b = BUF_INIT;
  buf_puts(&b, "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><t>");
  for (size_t i = 0; i < nChar; i++) {
    buf_puts(&b, zChar);
  }
  buf_puts(&b, "</t></si></sst>");
  return buf_take(&b);
}

/* Sheet rows: nRow rows of nCol cells each using shared string 0. */
static char *rows_of_sst0_dup(int nRow, int nCol) {
  Buf b = BUF_INIT;
  for (int r = 1; r <= nRow; r++) {
    buf_appendf(&b, "<row r=\"%d\">", r);
    for (int c = 0; c < nCol; c++) {
      buf_appendf(&b, "<c r=\"%c%d\" t=\"s\"><v>0</v></c>", 'A' + c, r);
    }
    buf_puts(&b, "</row>");
  }
  return buf_take(&b);
}

/* Read the n bytes at p in a child process; return the rise of its peak
** resident memory in KiB during the read, and in *pzOut (caller frees)
** "ok ROWS CELLS SAME" (SAME: 1 when every non-empty cell is the same
** pointer) or the error message. */
static long read_in_child(const void *p, size_t n, char **pzOut) {
  int aFd[2];
  cr_assert_eq(pipe(aFd), 0);
  pid_t pid = fork();
  cr_assert_neq(pid, -1);
  if (pid == 0) {
    close(aFd[0]);
    struct rusage ru0, ru1;
    getrusage(RUSAGE_SELF, &ru0);
    Table t;
    char *zErr = NULL;
    TableRc rc = xlsx_read_mem("plan.xlsx", p, n, NULL, &t, &zErr);
    getrusage(RUSAGE_SELF, &ru1);
    Buf out = BUF_INIT;
    buf_appendf(&out, "%ld\n", ru1.ru_maxrss - ru0.ru_maxrss);
    if (rc == TABLE_OK) {
      long nCell = 0;
      bool bSame = true;
      const char *zFirst = NULL;
      for (int r = 0; r < t.nRow; r++) {
        for (int c = 0; c < t.aRow[r].nCell; c++) {
          const char *z = t.aRow[r].azCell[c];
          nCell += z[0] != 0;
          if (z[0] && zFirst == NULL) {
            zFirst = z;
          }
          bSame = bSame && (z[0] == 0 || z == zFirst);
        }
      }
      buf_appendf(&out, "ok %d %ld %d", t.nRow, nCell, bSame);
    } else {
      buf_puts(&out, zErr);
    }
    ssize_t nWritten = write(aFd[1], out.z, out.n);
    _exit(nWritten == (ssize_t)out.n ? 0 : 1);
  }
  close(aFd[1]);
  Buf b = BUF_INIT;
  char *zOut = test_child_output_dup(aFd[0], pid);
  buf_puts(&b, zOut);
  free(zOut);
  char *zNl = strchr(buf_str(&b), '\n');
  cr_assert_not_null(zNl);
  long nKb = strtol(b.z, NULL, 10);
  *pzOut = xstrdup(zNl + 1);
  buf_reset(&b);
  return nKb;
}

/* xlsx-8.1 (issue 8): one 1 MB shared string used by 4,000 cells (a file
** of a few KB that cost 534 MB) is refused at its first cell, naming it,
** and reading it costs little memory. */
Test(xlsx, bomb_shared_string) {
  char *zSst = sst_one_dup("A", 1024 * 1024);
  char *zRows = rows_of_sst0_dup(400, 10);
  char *zSheet = sheet_xml(zRows, NULL);
  size_t n;
  unsigned char *p = book_build(zSheet, zSst, &n);
  cr_assert_lt(n, 64 * 1024, "the bomb is %zu bytes", n);
  char *zOut = NULL;
  long nKb = read_in_child(p, n, &zOut);
  cr_assert_str_eq(zOut, "«plan.xlsx»: Hoja1!A1 tiene 1048576 caracteres y una celda admite a lo "
                         "sumo 32767 (el límite de Excel); acorte el texto o guárdelo de nuevo "
                         "desde Excel o LibreOffice");
  cr_assert_lt(nKb, 64 * 1024, "peak rose by %ld KiB", nKb);
  free(zOut);
  free(p);
  free(zSheet);
  free(zRows);
  free(zSst);
}

/* xlsx-8.2: a shared string of 32,767 characters (the most a cell holds)
** used by 4,000 cells is read, every cell referring to the one copy: 131 MB
** if copied, a few MB here. */
Test(xlsx, shared_string_referenced) {
  char *zSst = sst_one_dup("A", 32767);
  char *zRows = rows_of_sst0_dup(400, 10);
  char *zSheet = sheet_xml(zRows, NULL);
  size_t n;
  unsigned char *p = book_build(zSheet, zSst, &n);
  char *zOut = NULL;
  long nKb = read_in_child(p, n, &zOut);
  cr_assert_str_eq(zOut, "ok 400 4000 1");
  cr_assert_lt(nKb, 64 * 1024, "peak rose by %ld KiB", nKb);
  free(zOut);
  Table t;
  read_ok(p, n, NULL, &t);
  cr_assert_eq(strlen(table_cell(&t, 399, 9)), 32767);
  cr_assert_eq(table_cell(&t, 0, 0), table_cell(&t, 399, 9));
  table_reset(&t);
  free(p);
  free(zSheet);
  free(zRows);
  free(zSst);
}

/* xlsx-8.3: the cell limit counts characters, not bytes, in shared and
** inline strings; one past it is refused naming the cell. */
Test(xlsx, cell_limit) {
  char *zSst = sst_one_dup("\xc3\xb1", 32767);
  Buf inl = BUF_INIT;
  for (int i = 0; i < 32768; i++) {
    buf_putc(&inl, 'x');
  }
  char *zOkRows = xasprintf("<row r=\"2\"><c r=\"B2\" t=\"s\"><v>0</v></c>"
                            "<c r=\"C2\" t=\"inlineStr\"><is><t>%.*s</t></is></c></row>",
                            32767, inl.z);
  Table t;
  sheet_read(zOkRows, NULL, zSst, &t);
  cr_assert_eq(strlen(table_cell(&t, 0, 1)), 2 * 32767);
  cr_assert_eq(strlen(table_cell(&t, 0, 2)), 32767);
  table_reset(&t);
  char *zBadInline = xasprintf("<row r=\"2\"><c r=\"B2\" t=\"s\"><v>0</v></c></row>"
                               "<row r=\"17\"><c r=\"C17\" t=\"inlineStr\"><is><t>%s</t></is></c>"
                               "</row>",
                               inl.z);
  sheet_fails(zBadInline, NULL, zSst,
              "«plan.xlsx»: Hoja1!C17 tiene 32768 caracteres y una celda admite a lo sumo 32767 "
              "(el límite de Excel); acorte el texto o guárdelo de nuevo desde Excel o "
              "LibreOffice");
  char *zSstLong = sst_one_dup("\xc3\xb1", 32768);
  sheet_fails("<row r=\"3\"><c r=\"D3\" t=\"s\"><v>0</v></c></row>", NULL, zSstLong,
              "«plan.xlsx»: Hoja1!D3 tiene 32768 caracteres y una celda admite a lo sumo 32767 "
              "(el límite de Excel); acorte el texto o guárdelo de nuevo desde Excel o "
              "LibreOffice");
  /* An over-long shared string no cell uses is no error. */
  sheet_read("<row r=\"1\"><c r=\"A1\"><v>5</v></c></row>", NULL, zSstLong, &t);
  cr_assert_str_eq(table_cell(&t, 0, 0), "5");
  table_reset(&t);
  free(zSstLong);
  free(zBadInline);
  free(zOkRows);
  buf_reset(&inl);
  free(zSst);
}

/* xlsx-8.4: rows with one cell in column XFD (16,384 cell slots each from
** ~40 bytes of XML) pass the memory allowed for a small file: refused, with
** little memory used. */
Test(xlsx, sparse_columns_budget) {
  Buf rows = BUF_INIT;
  for (int r = 1; r <= 2000; r++) {
    buf_appendf(&rows, "<row r=\"%d\"><c r=\"XFD%d\"><v>1</v></c></row>", r, r);
  }
  char *zSheet = sheet_xml(rows.z, NULL);
  size_t n;
  unsigned char *p = book_build(zSheet, NULL, &n);
  char *zOut = NULL;
  long nKb = read_in_child(p, n, &zOut);
  char *zWant = xasprintf("«plan.xlsx»: la hoja «Hoja1» ocupa más de 32 MiB en memoria, demasiado "
                          "para un archivo de %zu KiB; divida el plan en libros más pequeños o "
                          "guárdelo de nuevo desde Excel o LibreOffice",
                          (n + 1023) / 1024);
  cr_assert_str_eq(zOut, zWant);
  cr_assert_lt(nKb, 64 * 1024, "peak rose by %ld KiB", nKb);
  free(zWant);
  free(zOut);
  free(p);
  free(zSheet);
  buf_reset(&rows);
}

/* xlsx-8.5: more than 64 MiB of XML from a file of a few KB (100 times
** its size is less than the floor) is refused while decompressing. */
Test(xlsx, inflate_budget) {
  Buf rows = BUF_INIT;
  buf_puts(&rows, "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><!--");
  size_t nPad = (size_t)65 * 1024 * 1024;
  buf_reserve(&rows, nPad + 16);
  memset(rows.z + rows.n, ' ', nPad);
  rows.n += nPad;
  buf_puts(&rows, "-->");
  char *zSheet = sheet_xml(rows.z, NULL);
  buf_reset(&rows);
  size_t n;
  unsigned char *p = book_build(zSheet, NULL, &n);
  free(zSheet);
  cr_assert_lt(n, 640 * 1024);
  char *zWant = xasprintf("«plan.xlsx»: el libro ocupa más de 64 MiB sin comprimir, más de 100 "
                          "veces su tamaño de %zu KiB; está dañado o hecho para agotar la memoria; "
                          "guárdelo de nuevo desde Excel o LibreOffice",
                          (n + 1023) / 1024);
  read_fails(p, n, NULL, zWant);
  free(zWant);
  free(p);
}
