/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Generator of the XLSX test fixtures in tests/data/xlsx/ (test_xlsx.c and
** the fuzz seed corpus read them). Run once; its outputs are committed:
**   xlsxwriter.xlsx         libxlsxwriter, shared strings: two sheets
**                           ("Plan de acción", "Resumen"), numbers, dates,
**                           booleans, a formula string, rich text, a
**                           vertical and a horizontal merged range;
**   xlsxwriter-inline.xlsx  libxlsxwriter in constant-memory mode, which
**                           writes inline strings (t="inlineStr");
**   handmade.xlsx           parts written here by hand with libzip: absolute
**                           and "../" relationship targets, part names that
**                           are not sheet1.xml, a chart sheet first, prefixed
**                           namespaces (x:row), rows and cells without r,
**                           phonetic runs, xml:space, every cell type.
** Regenerate (from the repository root):
**   cc -std=c17 -D_DEFAULT_SOURCE tests/data/xlsx/make-fixtures.c \
**     $(pkg-config --cflags --libs xlsxwriter libzip) -o /tmp/make-fixtures
**   /tmp/make-fixtures tests/data/xlsx
** The other fixtures come from LibreOffice (soffice 7.x), from sources kept
** next to them:
**   soffice --headless --infilter="CSV:44,34,76,1" --convert-to xlsx \
**     --outdir tests/data/xlsx tests/data/xlsx/libreoffice-csv.csv
**   soffice --headless --convert-to xlsx --outdir tests/data/xlsx \
**     tests/data/xlsx/libreoffice-features.fods
** and seed-libreoffice.xlsx from the real plan (tab-separated, UTF-8):
**   cp estrategia-participacion-cartagena-2021.txt /tmp/plan.csv
**   soffice --headless --infilter="CSV:9,34,76,1" --convert-to xlsx \
**     --outdir /tmp /tmp/plan.csv   (then copy /tmp/plan.xlsx here)
** Not part of the product; not built by make.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xlsxwriter.h>
#include <zip.h>

#define FIXED_TIME ((time_t)1612137600) /* 2021-02-01 00:00 UTC: reproducible outputs */

/* Stop with a message when rc (an lxw_error) is not LXW_NO_ERROR. */
static void lxw_check(lxw_error rc, const char *zWhat) {
  if (rc != LXW_NO_ERROR) {
    fprintf(stderr, "make-fixtures: %s: %s\n", zWhat, lxw_strerror(rc));
    exit(1);
  }
}

/* xlsxwriter.xlsx: the normal (shared strings) writer. */
static void make_xlsxwriter(const char *zDir) {
  char zPath[4096];
  snprintf(zPath, sizeof zPath, "%s/xlsxwriter.xlsx", zDir);
  lxw_workbook *wb = workbook_new(zPath);
  lxw_doc_properties props = {.created = FIXED_TIME};
  lxw_check(workbook_set_properties(wb, &props), "properties");
  lxw_worksheet *ws = workbook_add_worksheet(wb, "Plan de acción");
  lxw_worksheet *ws2 = workbook_add_worksheet(wb, "Resumen");
  lxw_format *date = workbook_add_format(wb);
  format_set_num_format(date, "dd/mm/yyyy");
  lxw_format *bold = workbook_add_format(wb);
  format_set_bold(bold);
  lxw_format *merge = workbook_add_format(wb);
  format_set_align(merge, LXW_ALIGN_VERTICAL_CENTER);

  const char *azHead[] = {"ITEM", "COMPONENTE", "ACTIVIDAD", "FECHA INICIO",
                          "META", "HECHO",      "NOTA"};
  for (int i = 0; i < 7; i++) {
    lxw_check(worksheet_write_string(ws, 0, (lxw_col_t)i, azHead[i], bold), "head");
  }
  /* Column B, rows 2-4: one merged component. */
  lxw_check(worksheet_merge_range(ws, 1, 1, 3, 1, "Diagnóstico", merge), "merge B2:B4");
  lxw_datetime d1 = {2021, 2, 1, 0, 0, 0};
  lxw_datetime d2 = {2021, 7, 1, 12, 0, 0};
  /* Row 2 */
  lxw_check(worksheet_write_number(ws, 1, 0, 1, NULL), "A2");
  lxw_check(worksheet_write_string(ws, 1, 2, "Aplicar el autodiagnóstico", NULL), "C2");
  lxw_check(worksheet_write_datetime(ws, 1, 3, &d1, date), "D2");
  lxw_check(worksheet_write_number(ws, 1, 4, 0.5, NULL), "E2");
  lxw_check(worksheet_write_boolean(ws, 1, 5, 1, NULL), "F2");
  lxw_check(worksheet_write_formula_str(ws, 1, 6, "=\"Sí\"", NULL, "Sí"), "G2");
  /* Row 3 */
  lxw_check(worksheet_write_number(ws, 2, 0, 2, NULL), "A3");
  lxw_rich_string_tuple f1 = {.format = NULL, .string = "Texto "};
  lxw_rich_string_tuple f2 = {.format = bold, .string = "en negrilla"};
  lxw_rich_string_tuple f3 = {.format = NULL, .string = " y normal"};
  lxw_rich_string_tuple *aRich[] = {&f1, &f2, &f3, NULL};
  lxw_check(worksheet_write_rich_string(ws, 2, 2, aRich, NULL), "C3");
  lxw_check(worksheet_write_datetime(ws, 2, 3, &d2, date), "D3");
  lxw_check(worksheet_write_number(ws, 2, 4, 1.0 / 3.0, NULL), "E3");
  lxw_check(worksheet_write_boolean(ws, 2, 5, 0, NULL), "F3");
  /* Row 4 */
  lxw_check(worksheet_write_number(ws, 3, 0, 3, NULL), "A4");
  lxw_check(worksheet_write_string(ws, 3, 2,
                                   "Secretaría de Participación/Oficina de comunicaciones", NULL),
            "C4");
  lxw_check(worksheet_write_number(ws, 3, 4, 1234567.25, NULL), "E4");
  lxw_check(worksheet_merge_range(ws, 3, 5, 3, 6, "horizontal", merge), "merge F4:G4");
  /* Row 5 absent; row 6 reaches column AB. */
  lxw_check(worksheet_write_string(ws, 5, 0, "Fin", NULL), "A6");
  lxw_check(worksheet_write_number(ws, 5, 27, 7, NULL), "AB6");

  lxw_check(worksheet_write_string(ws2, 0, 0, "Hoja dos", NULL), "Resumen!A1");
  lxw_check(worksheet_write_number(ws2, 1, 0, 2021, NULL), "Resumen!A2");
  lxw_check(workbook_close(wb), "close xlsxwriter.xlsx");
}

/* xlsxwriter-inline.xlsx: constant-memory mode writes inline strings. */
static void make_xlsxwriter_inline(const char *zDir) {
  char zPath[4096];
  snprintf(zPath, sizeof zPath, "%s/xlsxwriter-inline.xlsx", zDir);
  lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_FALSE};
  lxw_workbook *wb = workbook_new_opt(zPath, &opt);
  lxw_doc_properties props = {.created = FIXED_TIME};
  lxw_check(workbook_set_properties(wb, &props), "properties");
  lxw_worksheet *ws = workbook_add_worksheet(wb, NULL); /* default name: Sheet1 */
  lxw_check(worksheet_write_string(ws, 0, 0, "Ítem", NULL), "A1");
  lxw_check(worksheet_write_string(ws, 0, 1, "Descripción", NULL), "B1");
  lxw_check(worksheet_write_number(ws, 1, 0, 1, NULL), "A2");
  lxw_check(worksheet_write_string(ws, 1, 1, "  con espacios  ", NULL), "B2");
  lxw_check(worksheet_write_number(ws, 2, 0, 2, NULL), "A3");
  lxw_check(worksheet_write_string(ws, 2, 1, "Participación & <control> \"social\"", NULL), "B3");
  lxw_check(workbook_close(wb), "close xlsxwriter-inline.xlsx");
}

/* Add part zName holding the string zData to za, with a fixed time. */
static void zip_put(zip_t *za, const char *zName, const char *zData) {
  zip_source_t *src = zip_source_buffer(za, zData, strlen(zData), 0);
  zip_int64_t i = src ? zip_file_add(za, zName, src, ZIP_FL_ENC_UTF_8) : -1;
  if (i < 0 || zip_file_set_mtime(za, (zip_uint64_t)i, FIXED_TIME, 0) != 0) {
    fprintf(stderr, "make-fixtures: %s: %s\n", zName, zip_strerror(za));
    exit(1);
  }
}

static const char zContentTypes[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" "
    "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/xl/workbook.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
    "<Override PartName=\"/xl/worksheets/datos.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
    "<Override PartName=\"/xl/hojas/otra.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
    "<Override PartName=\"/xl/chartsheets/sheet1.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.chartsheet+xml\"/>"
    "<Override PartName=\"/xl/sharedStrings.xml\" "
    "ContentType=\"application/"
    "vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>"
    "</Types>\n";

static const char zPackageRels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
    "Target=\"/xl/workbook.xml\"/>"
    "</Relationships>\n";

/* Sheets in tab order: a chart sheet, "Datos", then a hidden "Otra". */
static const char zWorkbook[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<x:workbook xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"\n"
    "  xmlns:rel=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\n"
    "  <x:sheets>\n"
    "    <x:sheet name=\"Gráfico\" sheetId=\"3\" rel:id=\"rId7\"/>\n"
    "    <x:sheet name=\"Datos\" sheetId=\"1\" rel:id=\"rId5\"/>\n"
    "    <x:sheet name=\"Otra\" sheetId=\"2\" state=\"hidden\" rel:id=\"rId6\"/>\n"
    "  </x:sheets>\n"
    "</x:workbook>\n";

static const char zWorkbookRels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId5\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
    "Target=\"/xl/worksheets/datos.xml\"/>"
    "<Relationship Id=\"rId6\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
    "Target=\"./worksheets/../hojas/otra.xml\"/>"
    "<Relationship Id=\"rId7\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartsheet\" "
    "Target=\"chartsheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId8\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" "
    "Target=\"sharedStrings.xml\"/>"
    "<Relationship Id=\"rId9\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink\" "
    "Target=\"https://example.org/\" TargetMode=\"External\"/>"
    "</Relationships>\n";

/* 0 plain; 1 rich runs; 2 phonetic guide; 3 preserved spaces and a line
** break; 4 entities and character references. */
static const char zSharedStrings[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"5\" "
    "uniqueCount=\"5\">\n"
    "  <si><t>Componente</t></si>\n"
    "  <si>\n"
    "    <r><t xml:space=\"preserve\">Secretaría de </t></r>\n"
    "    <r><rPr><b/></rPr><t>Participación</t></r>\n"
    "  </si>\n"
    "  <si><t>東京</t><rPh sb=\"0\" eb=\"2\"><t>トウキョウ</t></rPh>"
    "<phoneticPr fontId=\"1\"/></si>\n"
    "  <si><t xml:space=\"preserve\">  línea 1\nlínea 2  </t></si>\n"
    "  <si><t>A &amp; B &lt;C&gt; &#x00C1;rea &#241;</t></si>\n"
    "</sst>\n";

/* The data sheet: prefixed namespace, every cell type, rows and cells
** without r, merged ranges. */
static const char zSheetDatos[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\n"
    "<x:dimension ref=\"A1:H9\"/>\n"
    "<x:sheetData>\n"
    /* row 1: shared strings, a rich one, a phonetic one */
    "<x:row r=\"1\"><x:c r=\"A1\" t=\"s\"><x:v>0</x:v></x:c><x:c r=\"B1\" t=\"s\"><x:v>1</x:v>"
    "</x:c><x:c r=\"C1\" t=\"s\"><x:v>2</x:v></x:c></x:row>\n"
    /* row 2: no r on the row nor the cells */
    "<x:row><x:c t=\"s\"><x:v>3</x:v></x:c><x:c t=\"s\"><x:v>4</x:v></x:c><x:c><x:v>44228</x:v>"
    "</x:c></x:row>\n"
    /* row 3: numbers, bool, error, str, inline rich + phonetic, date, formula without value */
    "<x:row r=\"3\">"
    "<x:c r=\"A3\" t=\"s\"><x:v>0</x:v></x:c>"
    "<x:c r=\"B3\" t=\"n\"><x:v>1.0000000000000002E-3</x:v></x:c>"
    "<x:c r=\"C3\" t=\"b\"><x:f>1=1</x:f><x:v>1</x:v></x:c>"
    "<x:c r=\"D3\" t=\"e\"><x:f>NA()</x:f><x:v>#N/A</x:v></x:c>"
    "<x:c r=\"E3\" t=\"str\"><x:f>\"a\"&amp;\"b\"</x:f><x:v>ab</x:v></x:c>"
    "<x:c r=\"F3\" t=\"inlineStr\"><x:is><x:r><x:t>en </x:t></x:r><x:r><x:rPr><x:i/></x:rPr>"
    "<x:t>línea</x:t></x:r><x:rPh sb=\"0\" eb=\"1\"><x:t>X</x:t></x:rPh></x:is></x:c>"
    "<x:c r=\"G3\" t=\"d\"><x:v>2021-02-01T00:00:00</x:v></x:c>"
    "<x:c r=\"H3\"><x:f>SUM(A1:A2)</x:f></x:c>"
    "</x:row>\n"
    /* row 4: inside the merge A3:A5, with a stale hidden value; an empty <v> */
    "<x:row r=\"4\"><x:c r=\"A4\" t=\"s\"><x:v>3</x:v></x:c><x:c r=\"B4\"><x:v></x:v></x:c>"
    "<x:c r=\"C4\" t=\"b\"><x:v>0</x:v></x:c></x:row>\n"
    /* row 5: styled empty cells only */
    "<x:row r=\"5\" spans=\"1:3\"><x:c r=\"A5\" s=\"1\"/><x:c r=\"B5\" s=\"1\"/></x:row>\n"
    /* row 7: top of the merge B7:C9 (row 8 absent) */
    "<x:row r=\"7\"><x:c r=\"B7\" t=\"s\"><x:v>1</x:v></x:c></x:row>\n"
    "<x:row r=\"9\"><x:c r=\"D9\"><x:v>9</x:v></x:c></x:row>\n"
    "</x:sheetData>\n"
    "<x:mergeCells count=\"3\"><x:mergeCell ref=\"A3:A5\"/><x:mergeCell ref=\"B7:C9\"/>"
    "<x:mergeCell ref=\"E1:H1\"/></x:mergeCells>\n"
    "</x:worksheet>\n";

static const char zSheetOtra[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<sheetData><row r=\"2\"><c r=\"B2\" t=\"inlineStr\"><is><t>oculta</t></is></c></row>"
    "</sheetData></worksheet>\n";

static const char zChartSheet[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<chartsheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<sheetViews><sheetView workbookViewId=\"0\"/></sheetViews></chartsheet>\n";

/* handmade.xlsx: parts written by hand. */
static void make_handmade(const char *zDir) {
  char zPath[4096];
  snprintf(zPath, sizeof zPath, "%s/handmade.xlsx", zDir);
  int err = 0;
  zip_t *za = zip_open(zPath, ZIP_CREATE | ZIP_TRUNCATE, &err);
  if (za == NULL) {
    fprintf(stderr, "make-fixtures: cannot create %s (libzip error %d)\n", zPath, err);
    exit(1);
  }
  zip_put(za, "[Content_Types].xml", zContentTypes);
  zip_put(za, "_rels/.rels", zPackageRels);
  zip_put(za, "xl/workbook.xml", zWorkbook);
  zip_put(za, "xl/_rels/workbook.xml.rels", zWorkbookRels);
  zip_put(za, "xl/sharedStrings.xml", zSharedStrings);
  zip_put(za, "xl/worksheets/datos.xml", zSheetDatos);
  zip_put(za, "xl/hojas/otra.xml", zSheetOtra);
  zip_put(za, "xl/chartsheets/sheet1.xml", zChartSheet);
  if (zip_close(za) != 0) {
    fprintf(stderr, "make-fixtures: %s: %s\n", zPath, zip_strerror(za));
    exit(1);
  }
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: make-fixtures DIR\n");
    return 2;
  }
  make_xlsxwriter(argv[1]);
  make_xlsxwriter_inline(argv[1]);
  make_handmade(argv[1]);
  return 0;
}
