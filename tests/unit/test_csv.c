/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Unit tests for src/io/csv.c: reading the real Cartagena 2021 plan (UTF-8
** TSV and the same content as Windows-1252 ';' CRLF), physical line numbers
** for LF, CRLF and lone CR with quoted newlines and blank lines, cell text,
** encodings, separator sniffing, every error message, the writer's quoting
** and formula guard, and write-then-read round trips.
**
** Tests run from the repository root (fixtures under tests/data/csv/).
*/
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "base/buf.h"
#include "io/csv.h"

#define SEED_TSV  "tests/data/csv/cartagena-2021.txt"
#define SEED_1252 "tests/data/csv/cartagena-2021-cp1252-semicolon-crlf.csv"

/* A string literal as the (pointer, length) pair, NUL bytes included. */
#define LIT(s) (s), (sizeof(s) - 1)

/* Append z to pOut with CR, LF, tab, '{', '}' and '\' written as C-like
** escapes, so that a dump shows every byte of a cell unambiguously. */
static void put_escaped(Buf *pOut, const char *z) {
  for (; *z; z++) {
    switch (*z) {
    case '\r':
      buf_puts(pOut, "\\r");
      break;
    case '\n':
      buf_puts(pOut, "\\n");
      break;
    case '\t':
      buf_puts(pOut, "\\t");
      break;
    case '{':
    case '}':
    case '\\':
      buf_putc(pOut, '\\');
      buf_putc(pOut, *z);
      break;
    default:
      buf_putc(pOut, *z);
    }
  }
}

/* The rows of t as text, one per line: "LINE:" then "{cell}" per cell
** (escaped with put_escaped). A blank row is just "LINE:". Caller frees. */
static char *dump_dup(const Table *t) {
  Buf out = BUF_INIT;
  for (int i = 0; i < t->nRow; i++) {
    buf_appendf(&out, "%ld:", t->aRow[i].iLine);
    for (int j = 0; j < t->aRow[i].nCell; j++) {
      buf_putc(&out, '{');
      put_escaped(&out, t->aRow[i].azCell[j]);
      buf_putc(&out, '}');
    }
    buf_putc(&out, '\n');
  }
  return buf_take(&out);
}

/* Read the n bytes at z with separator cSep (0 sniffs) and assert the read
** succeeds with the dump zWant. Returns nothing; the table is freed. */
static void check_read(const char *z, size_t n, char cSep, const char *zWant) {
  Table t;
  char *zErr = NULL;
  TableRc rc = csv_read_mem("prueba.csv", z, n, cSep, &t, &zErr);
  cr_assert_eq(rc, TABLE_OK, "unexpected error: %s", zErr ? zErr : "(none)");
  cr_assert_null(zErr);
  char *zDump = dump_dup(&t);
  cr_assert_str_eq(zDump, zWant);
  free(zDump);
  table_reset(&t);
}

/* Read the n bytes at z with separator cSep and assert the read fails with
** exactly the message zWant, leaving the table without rows. */
static void check_error(const char *z, size_t n, char cSep, const char *zWant) {
  Table t;
  char *zErr = NULL;
  TableRc rc = csv_read_mem("prueba.csv", z, n, cSep, &t, &zErr);
  cr_assert_eq(rc, TABLE_ECANTREAD);
  cr_assert_not_null(zErr);
  cr_assert_str_eq(zErr, zWant);
  cr_assert_eq(t.nRow, 0);
  cr_assert_str_eq(t.zSource, "prueba.csv");
  free(zErr);
  table_reset(&t);
}

/* Assert that writing field zIn with separator cSep gives exactly zWant. */
static void check_field(const char *zIn, char cSep, const char *zWant) {
  Buf out = BUF_INIT;
  csv_write_field(&out, zIn, cSep);
  cr_assert_str_eq(buf_str(&out), zWant, "field \"%s\" sep '%c'", zIn ? zIn : "(NULL)", cSep);
  buf_reset(&out);
}

/* Read the seed TSV, asserting success. */
static void read_seed(Table *t) {
  char *zErr = NULL;
  TableRc rc = csv_read_file(SEED_TSV, 0, t, &zErr);
  cr_assert_eq(rc, TABLE_OK, "seed: %s", zErr ? zErr : "(none)");
}

/* ---- csv-1: the real plan ------------------------------------------------ */

Test(csv, seed_shape, .description = "csv-1.1 seed: 30 rows, UTF-8, sniffed as tab") {
  Table t;
  read_seed(&t);
  cr_assert_eq(t.nRow, 30);
  cr_assert_str_eq(t.zEncoding, "UTF-8");
  cr_assert_eq(t.cSep, '\t');
  cr_assert_str_eq(t.zSource, SEED_TSV);
  cr_assert_null(t.zSheet);
  table_reset(&t);
}

Test(csv, seed_lines, .description = "csv-1.2 seed: row i starts on line i+1, blank lines kept") {
  Table t;
  read_seed(&t);
  for (int i = 0; i < t.nRow; i++) {
    cr_assert_eq(t.aRow[i].iLine, i + 1, "row %d", i);
  }
  static const int aBlank[] = {0, 1, 2, 3, 5, 7, 9, 11, 13, 22};
  for (size_t i = 0; i < sizeof aBlank / sizeof aBlank[0]; i++) {
    cr_assert_eq(t.aRow[aBlank[i]].nCell, 0, "row %d must be blank", aBlank[i]);
  }
  cr_assert_eq(t.aRow[4].nCell, 1);
  cr_assert_str_eq(t.aRow[4].azCell[0], "ALCALDÍA DISTRITAL DE CARTAGENA DE INDIAS");
  table_reset(&t);
}

Test(csv, seed_header, .description = "csv-1.3 seed: header on line 15, 16 cells") {
  Table t;
  read_seed(&t);
  const TableRow *r = &t.aRow[14];
  cr_assert_eq(r->iLine, 15);
  cr_assert_eq(r->nCell, 16);
  cr_assert_str_eq(r->azCell[0], "ITEM");
  cr_assert_str_eq(r->azCell[1], "DESCRIPCIÓN DE LOS CRITERIOS DIFERENCIALES QUE LE APLICAN");
  cr_assert_str_eq(r->azCell[2], "CICLO DE PROCESO P: Planear H: Hacer V: Verificar A: Actuar");
  cr_assert_str_eq(r->azCell[5], "DESCRIPCIÓN DEL INDICADOR");
  cr_assert_str_eq(r->azCell[11], "2021");
  cr_assert_str_eq(r->azCell[15], "");
  r = &t.aRow[15];
  cr_assert_eq(r->iLine, 16);
  cr_assert_eq(r->nCell, 16);
  cr_assert_str_eq(r->azCell[0], "");
  cr_assert_str_eq(r->azCell[11], "META TRIMESTRE 1");
  cr_assert_str_eq(r->azCell[15], "RESULTADO");
  table_reset(&t);
}

Test(csv, seed_items, .description = "csv-1.4 seed: items 1, 7, 8 and 15 with lines and cells") {
  Table t;
  read_seed(&t);
  const TableRow *r = &t.aRow[16];
  cr_assert_eq(r->iLine, 17);
  cr_assert_eq(r->nCell, 16);
  cr_assert_str_eq(r->azCell[0], "1");
  cr_assert_str_eq(r->azCell[1], "Elaborar el diagnóstico del estado actual de la participación "
                                 "ciudadana en la entidad");
  cr_assert_str_eq(r->azCell[7], "01-febrero-2021");
  cr_assert_str_eq(r->azCell[9], "Secretaria de Participación y Desarrollo Social.");
  cr_assert_str_eq(r->azCell[10], "- Aplicar el autodiagnóstico MIPG sobre participación "
                                  "ciudadana y rendición de cuentas.");
  r = &t.aRow[21];
  cr_assert_eq(r->iLine, 22);
  cr_assert_eq(r->nCell, 16);
  cr_assert_str_eq(r->azCell[0], "7");
  cr_assert_str_eq(r->azCell[1], "");
  cr_assert_str_eq(r->azCell[2], "H:");
  cr_assert_str_eq(r->azCell[9], "Secretaría de Participación/Oficina de comunicaciones/oficina "
                                 "asesora de informática/Escuela de Gobierno");
  r = &t.aRow[23];
  cr_assert_eq(r->iLine, 24);
  cr_assert_eq(r->nCell, 17, "rows after the blank line 23 have a 17th, empty cell");
  cr_assert_str_eq(r->azCell[0], "8");
  cr_assert_str_eq(r->azCell[1], "Construir las estrategias de Rendición de Cuentas en el PAAC");
  cr_assert_str_eq(r->azCell[3], "Orientar a los distintos grupos sociales sobre la importancia de "
                                 "constituir y ejercer procesos de veedurías ciudadanas frente a "
                                 "contratos y proyectos de inversión.");
  cr_assert_str_eq(r->azCell[16], "");
  r = &t.aRow[29];
  cr_assert_eq(r->iLine, 30, "last line has no line break");
  cr_assert_eq(r->nCell, 17);
  cr_assert_str_eq(r->azCell[0], "15");
  cr_assert_str_eq(r->azCell[7], "20-diciembre-2021");
  cr_assert_str_eq(r->azCell[10], "Definir las acciones de mejora para garantizar mejores "
                                  "resultados en los procesos de participación ciudadana y "
                                  "rendición de cuentas en la gestión pública.");
  cr_assert_str_eq(r->azCell[16], "");
  int nCount16 = 0;
  int nCount17 = 0;
  for (int i = 0; i < t.nRow; i++) {
    nCount16 += t.aRow[i].nCell == 16;
    nCount17 += t.aRow[i].nCell == 17;
  }
  cr_assert_eq(nCount16, 8);
  cr_assert_eq(nCount17, 7);
  table_reset(&t);
}

Test(csv, seed_cp1252, .description = "csv-1.5 seed as Windows-1252 ';' CRLF reads identical") {
  Table tUtf8;
  read_seed(&tUtf8);
  Table t;
  char *zErr = NULL;
  TableRc rc = csv_read_file(SEED_1252, 0, &t, &zErr);
  cr_assert_eq(rc, TABLE_OK, "%s", zErr ? zErr : "(none)");
  cr_assert_str_eq(t.zEncoding, "Windows-1252");
  cr_assert_eq(t.cSep, ';');
  cr_assert_eq(t.nRow, tUtf8.nRow);
  for (int i = 0; i < t.nRow; i++) {
    cr_assert_eq(t.aRow[i].iLine, tUtf8.aRow[i].iLine, "row %d", i);
    cr_assert_eq(t.aRow[i].nCell, tUtf8.aRow[i].nCell, "row %d", i);
    for (int j = 0; j < t.aRow[i].nCell; j++) {
      cr_assert_str_eq(t.aRow[i].azCell[j], tUtf8.aRow[i].azCell[j], "row %d cell %d", i, j);
    }
  }
  cr_assert_str_eq(t.aRow[4].azCell[0], "ALCALDÍA DISTRITAL DE CARTAGENA DE INDIAS");
  table_reset(&t);
  table_reset(&tUtf8);
}

Test(csv, seed_round_trip, .description = "csv-1.6 seed written as ';' CSV reads back identical") {
  Table tSeed;
  read_seed(&tSeed);
  Buf out = BUF_INIT;
  for (int i = 0; i < tSeed.nRow; i++) {
    csv_write_row(&out, tSeed.aRow[i].nCell, (const char *const *)tSeed.aRow[i].azCell, ';');
  }
  Table t;
  char *zErr = NULL;
  cr_assert_eq(csv_read_mem("copia.csv", out.z, out.n, 0, &t, &zErr), TABLE_OK);
  cr_assert_eq(t.cSep, ';');
  cr_assert_eq(t.nRow, tSeed.nRow);
  for (int i = 0; i < t.nRow; i++) {
    cr_assert_eq(t.aRow[i].iLine, i + 1);
    cr_assert_eq(t.aRow[i].nCell, tSeed.aRow[i].nCell, "row %d", i);
    for (int j = 0; j < t.aRow[i].nCell; j++) {
      cr_assert_str_eq(t.aRow[i].azCell[j], tSeed.aRow[i].azCell[j], "row %d cell %d", i, j);
    }
  }
  /* Cells starting with "- " are guarded in the file and unguarded on read. */
  cr_assert_not_null(strstr(out.z, ";'- Aplicar el autodiagn"));
  cr_assert_str_eq(t.aRow[16].azCell[10], tSeed.aRow[16].azCell[10]);
  buf_reset(&out);
  table_reset(&t);
  table_reset(&tSeed);
}

/* ---- csv-2: physical line numbers ------------------------------------------ */

Test(csv, lines_lf, .description = "csv-2.1 LF") {
  check_read(LIT("a,b\nc,d\n"), ',', "1:{a}{b}\n2:{c}{d}\n");
}

Test(csv, lines_crlf, .description = "csv-2.2 CRLF") {
  check_read(LIT("a,b\r\nc,d\r\n"), ',', "1:{a}{b}\n2:{c}{d}\n");
}

Test(csv, lines_cr, .description = "csv-2.3 lone CR (old Mac)") {
  check_read(LIT("a,b\rc,d\r"), ',', "1:{a}{b}\n2:{c}{d}\n");
}

Test(csv, lines_no_final_break, .description = "csv-2.4 last line without line break") {
  check_read(LIT("a,b\nc,d"), ',', "1:{a}{b}\n2:{c}{d}\n");
  check_read(LIT("a,b\r\nc,"), ',', "1:{a}{b}\n2:{c}{}\n");
  check_read(LIT("a"), ',', "1:{a}\n");
}

Test(csv, lines_blank_lf, .description = "csv-2.5 blank lines (LF) are rows with 0 cells") {
  check_read(LIT("\na\n\n\nb\n\n"), ',', "1:\n2:{a}\n3:\n4:\n5:{b}\n6:\n");
}

Test(csv, lines_blank_crlf, .description = "csv-2.6 blank lines (CRLF)") {
  check_read(LIT("\r\na\r\n\r\n\r\nb\r\n\r\n"), ',', "1:\n2:{a}\n3:\n4:\n5:{b}\n6:\n");
}

Test(csv, lines_blank_cr, .description = "csv-2.7 blank lines (lone CR)") {
  check_read(LIT("\ra\r\r\rb\r\r"), ',', "1:\n2:{a}\n3:\n4:\n5:{b}\n6:\n");
}

Test(csv, lines_ending_blank, .description = "csv-2.8 file ending with blank lines") {
  check_read(LIT("a\n\n\n"), ',', "1:{a}\n2:\n3:\n");
  check_read(LIT("a\r\n\r\n\r\n"), ',', "1:{a}\n2:\n3:\n");
  check_read(LIT("a\n\n\nb"), ',', "1:{a}\n2:\n3:\n4:{b}\n");
}

Test(csv, lines_only_breaks, .description = "csv-2.9 input of only line breaks") {
  check_read(LIT(""), ',', "");
  check_read(LIT("\n"), ',', "1:\n");
  check_read(LIT("\r\n"), ',', "1:\n");
  check_read(LIT("\r"), ',', "1:\n");
  check_read(LIT("\r\r\n"), ',', "1:\n2:\n");
  check_read(LIT("\n\r"), ',', "1:\n2:\n");
  check_read(LIT("\n\r\n\r"), ',', "1:\n2:\n3:\n");
}

Test(csv, lines_mixed, .description = "csv-2.10 mixed LF, CRLF and CR in one file") {
  check_read(LIT("a\r\nb\nc\rd\n\re"), ',', "1:{a}\n2:{b}\n3:{c}\n4:{d}\n5:\n6:{e}\n");
}

Test(csv, lines_quoted_lf, .description = "csv-2.11 quoted LF: the row starts where it starts") {
  check_read(LIT("x,\"a\nb\"\ny,z\n"), ',', "1:{x}{a\\nb}\n3:{y}{z}\n");
}

Test(csv, lines_quoted_crlf, .description = "csv-2.12 quoted CRLF becomes LF, counts once") {
  check_read(LIT("x,\"a\r\nb\r\nc\"\r\ny,z\r\n"), ',', "1:{x}{a\\nb\\nc}\n4:{y}{z}\n");
}

Test(csv, lines_quoted_cr, .description = "csv-2.13 quoted lone CR counts and becomes LF") {
  check_read(LIT("x,\"a\rb\"\ry\r"), ',', "1:{x}{a\\nb}\n3:{y}\n");
  check_read(LIT("x,\"a\r\rb\r\r\nc\n\rd\"\ny\n"), ',', "1:{x}{a\\n\\nb\\n\\nc\\n\\nd}\n8:{y}\n");
}

Test(csv, lines_quoted_blank, .description = "csv-2.14 quoted blank lines, then real ones") {
  check_read(LIT("\"a\n\nb\"\n\nc\n"), ',', "1:{a\\n\\nb}\n4:\n5:{c}\n");
  check_read(LIT("\"\n\"\n"), ',', "1:{\\n}\n");
  check_read(LIT("\"\r\n\"\r\nz"), ',', "1:{\\n}\n3:{z}\n");
}

Test(csv, lines_quoted_many, .description = "csv-2.15 several multi-line fields in one row") {
  check_read(LIT("a;\"b\nc\";\"d\r\ne\r\nf\"\ng\n"), ';', "1:{a}{b\\nc}{d\\ne\\nf}\n5:{g}\n");
}

Test(csv, lines_quoted_cr_at_end, .description = "csv-2.16 CR closing a quoted field, then LF") {
  /* The CR is inside the quotes and the LF after the closing quote: two breaks. */
  check_read(LIT("\"a\r\"\nb\n"), ',', "1:{a\\n}\n3:{b}\n");
}

Test(csv, lines_quoted_last, .description = "csv-2.17 quoted field closing at end of input") {
  check_read(LIT("a,\"b\nc\""), ',', "1:{a}{b\\nc}\n");
  check_read(LIT("\"x\"\"\""), ',', "1:{x\"}\n");
  check_read(LIT("\"\""), ',', "1:{}\n");
}

Test(csv, lines_many_rows, .description = "csv-2.18 100,000 rows: count and last line") {
  Buf in = BUF_INIT;
  for (int i = 0; i < 100000; i++) {
    if (i % 1000 == 999) {
      buf_appendf(&in, "%d;\"multi\r\nlínea\";x\r\n\r\n", i);
    } else {
      buf_appendf(&in, "%d;texto con, coma;%d\r\n", i, i * 2);
    }
  }
  Table t;
  char *zErr = NULL;
  cr_assert_eq(csv_read_mem("grande.csv", in.z, in.n, 0, &t, &zErr), TABLE_OK);
  cr_assert_eq(t.cSep, ';');
  cr_assert_eq(t.nRow, 100100);
  /* Each of the 100 multi-line rows adds one quoted line and one blank line. */
  cr_assert_eq(t.aRow[t.nRow - 2].iLine, 100198);
  cr_assert_str_eq(t.aRow[t.nRow - 2].azCell[1], "multi\nlínea");
  cr_assert_eq(t.aRow[t.nRow - 1].iLine, 100200);
  cr_assert_eq(t.aRow[t.nRow - 1].nCell, 0);
  cr_assert_str_eq(t.aRow[t.nRow - 3].azCell[0], "99998");
  cr_assert_eq(t.aRow[t.nRow - 3].iLine, 100197);
  table_reset(&t);
  buf_reset(&in);
}

/* ---- csv-3: cell text and encodings ---------------------------------------- */

Test(csv, cells_trailing_empty, .description = "csv-3.1 trailing empty cells are kept") {
  check_read(LIT("a\tb\t\n\t\t\n"), '\t', "1:{a}{b}{}\n2:{}{}{}\n");
  check_read(LIT("a;;\n"), ';', "1:{a}{}{}\n");
}

Test(csv, cells_no_trim, .description = "csv-3.2 spaces and tabs are not trimmed") {
  check_read(LIT(" a , b \n"), ',', "1:{ a }{ b }\n");
  check_read(LIT("\ta\t,b\n"), ',', "1:{\\ta\\t}{b}\n");
  check_read(LIT("  \n"), ',', "1:{  }\n");
  check_read(LIT(" \t x\t\n"), '\t', "1:{ }{ x}{}\n");
}

Test(csv, cells_quoted, .description = "csv-3.3 quoted separators, doubled quotes, empty") {
  check_read(LIT("\"a,b\",\"say \"\"hi\"\"\",\"\",x\n"), ',', "1:{a,b}{say \"hi\"}{}{x}\n");
  check_read(LIT("\"a;b\";\"\"\"\"\n"), ';', "1:{a;b}{\"}\n");
}

Test(csv, cells_tsv_quoted, .description = "csv-3.4 TSV follows the same quoting rules") {
  check_read(LIT("\"a\tb\"\t\"c\"\"d\"\t\"e\nf\"\tg\n"), '\t', "1:{a\\tb}{c\"d}{e\\nf}{g}\n");
}

Test(csv, cells_stray_quote, .description = "csv-3.5 stray quotes are kept literally") {
  check_read(LIT("ab\"c,d\n"), ',', "1:{ab\"c}{d}\n");
  check_read(LIT("5\" pulgadas,x\n"), ',', "1:{5\" pulgadas}{x}\n");
  /* libcsv: a lone quote inside a quoted field is literal and the field goes on. */
  check_read(LIT("\"ab\"c\",d\n"), ',', "1:{ab\"c}{d}\n");
  check_read(LIT(" \"a\",b\n"), ',', "1:{ \"a\"}{b}\n");
}

Test(csv, cells_formula_guard, .description = "csv-3.6 the formula guard is removed on read") {
  check_read(LIT("'=SUM(A1),'+1,'-x,'@y,''=z,'''-w\n"), ',',
             "1:{=SUM(A1)}{+1}{-x}{@y}{'=z}{''-w}\n");
  check_read(LIT("'hola,',''',a'=b,'\n"), ',', "1:{'hola}{'}{'''}{a'=b}{'}\n");
  check_read(LIT("\"'=a,b\",\"'-\"\n"), ',', "1:{=a,b}{-}\n");
}

Test(csv, cells_bom, .description = "csv-3.7 UTF-8 BOM is stripped and reported") {
  Table t;
  char *zErr = NULL;
  cr_assert_eq(
      csv_read_mem("bom.csv", LIT("\xEF\xBB\xBFítem;descripción\r\n1;x\r\n"), 0, &t, &zErr),
      TABLE_OK);
  cr_assert_str_eq(t.zEncoding, "UTF-8 con BOM");
  cr_assert_eq(t.cSep, ';');
  cr_assert_eq(t.nRow, 2);
  cr_assert_str_eq(t.aRow[0].azCell[0], "ítem");
  cr_assert_eq(t.aRow[0].iLine, 1);
  cr_assert_eq(t.aRow[1].iLine, 2);
  table_reset(&t);
}

Test(csv, cells_cp1252, .description = "csv-3.8 Windows-1252 is decoded to UTF-8") {
  Table t;
  char *zErr = NULL;
  cr_assert_eq(csv_read_mem("w.csv",
                            LIT("Gesti\xF3n;\x80 5;\x93ok\x94;A\xF1o\r\n"
                                "\xC1rea;\"l\xEDnea\r\ndos\";x;y\r\n"),
                            0, &t, &zErr),
               TABLE_OK);
  cr_assert_str_eq(t.zEncoding, "Windows-1252");
  char *zDump = dump_dup(&t);
  cr_assert_str_eq(zDump, "1:{Gestión}{€ 5}{“ok”}{Año}\n2:{Área}{línea\\ndos}{x}{y}\n");
  free(zDump);
  table_reset(&t);
}

Test(csv, cells_utf8_plain, .description = "csv-3.9 valid UTF-8 without BOM is \"UTF-8\"") {
  Table t;
  char *zErr = NULL;
  cr_assert_eq(csv_read_mem("u.csv", LIT("Participación,ñandú €\n"), ',', &t, &zErr), TABLE_OK);
  cr_assert_str_eq(t.zEncoding, "UTF-8");
  cr_assert_str_eq(t.aRow[0].azCell[1], "ñandú €");
  table_reset(&t);
}

Test(csv, cells_explicit_sep, .description = "csv-3.10 an explicit separator is used as given") {
  Table t;
  char *zErr = NULL;
  cr_assert_eq(csv_read_mem("x.csv", LIT("a,b;c\n1,2;3\n"), ';', &t, &zErr), TABLE_OK);
  cr_assert_eq(t.cSep, ';');
  char *zDump = dump_dup(&t);
  cr_assert_str_eq(zDump, "1:{a,b}{c}\n2:{1,2}{3}\n");
  free(zDump);
  table_reset(&t);
}

/* ---- csv-4: sniffing ------------------------------------------------------- */

/* The separator csv_read_mem sniffs for the n bytes at z. */
static char sniffed(const char *z, size_t n) {
  Table t;
  char *zErr = NULL;
  cr_assert_eq(csv_read_mem("s.csv", z, n, 0, &t, &zErr), TABLE_OK);
  char c = t.cSep;
  table_reset(&t);
  return c;
}

Test(csv, sniff_comma, .description = "csv-4.1 plain comma CSV") {
  cr_assert_eq(sniffed(LIT("a,b,c\n1,2,3\n")), ',');
}

Test(csv, sniff_semicolon_quoted_commas,
     .description = "csv-4.2 ';' CSV with commas inside quoted text sniffs as ';'") {
  cr_assert_eq(sniffed(LIT("Item;Actividad;Meta\n"
                           "1;\"Hacer, revisar, publicar, evaluar\";\"1,5\"\n"
                           "2;\"Otra, cosa, más, larga, todavía\";3\n"
                           "3;\"Una, dos\";\"4,5\"\n")),
               ';');
}

Test(csv, sniff_semicolon_bare_commas,
     .description = "csv-4.3 ';' CSV (Excel es-CO) with unquoted commas in text") {
  cr_assert_eq(sniffed(LIT("Item;Descripción;Meta\r\n1;Uno, dos y tres;1,5\r\n"
                           "2;Cuatro, cinco;2\r\n3;Seis;3,25\r\n")),
               ';');
}

Test(csv, sniff_tab_with_commas, .description = "csv-4.4 TSV with commas and ';' in text") {
  cr_assert_eq(sniffed(LIT("Título\n\nItem\tActividad\tMeta\n1\tHacer, revisar; publicar\t1,5\n"
                           "2\tUno, dos, tres\t2\n")),
               '\t');
}

Test(csv, sniff_one_column, .description = "csv-4.5 one column: ','") {
  cr_assert_eq(sniffed(LIT("uno\ndos\n")), ',');
  cr_assert_eq(sniffed(LIT("")), ',');
}

Test(csv, sniff_ties, .description = "csv-4.6 equal scores prefer tab, then ';'") {
  cr_assert_eq(sniffed(LIT("a;b,c\td\n")), '\t');
  cr_assert_eq(sniffed(LIT("a;b,c\n")), ';');
}

Test(csv, sniff_modal_count, .description = "csv-4.7 consistent field counts beat many fields") {
  /* ',' splits every row differently; ';' gives 3 fields on every row. */
  cr_assert_eq(sniffed(LIT("a;b;c\n1, 2, 3, 4;x;y\n5, 6;z;w\n7, 8, 9;u;v\n")), ';');
}

Test(csv, sniff_large_prefix, .description = "csv-4.8 a large file is judged by its prefix") {
  Buf in = BUF_INIT;
  for (int i = 0; i < 20000; i++) {
    buf_appendf(&in, "%d\tuno, dos\ttres; cuatro\n", i);
  }
  cr_assert_gt(in.n, (size_t)64 * 1024);
  cr_assert_eq(sniffed(in.z, in.n), '\t');
  buf_reset(&in);
}

/* ---- csv-5: errors --------------------------------------------------------- */

Test(csv, err_missing_file, .description = "csv-5.1 a missing file") {
  Table t;
  char *zErr = NULL;
  cr_assert_eq(csv_read_file("tests/data/csv/no-existe.csv", 0, &t, &zErr), TABLE_ECANTREAD);
  char *zWant = xasprintf("no se puede leer «tests/data/csv/no-existe.csv»: %s", "el archivo o la carpeta no existe");
  cr_assert_str_eq(zErr, zWant);
  cr_assert_eq(t.nRow, 0);
  cr_assert_str_eq(t.zSource, "tests/data/csv/no-existe.csv");
  free(zWant);
  free(zErr);
  table_reset(&t);
}

Test(csv, err_directory, .description = "csv-5.2 a directory cannot be read") {
  Table t;
  char *zErr = NULL;
  cr_assert_eq(csv_read_file("tests/data/csv", 0, &t, &zErr), TABLE_ECANTREAD);
  char *zWant = xasprintf("no se puede leer «tests/data/csv»: %s", "es una carpeta, no un archivo");
  cr_assert_str_eq(zErr, zWant);
  free(zWant);
  free(zErr);
  table_reset(&t);
}

Test(csv, err_null_pzerr, .description = "csv-5.3 pzErr may be NULL") {
  Table t;
  cr_assert_eq(csv_read_file("tests/data/csv/no-existe.csv", 0, &t, NULL), TABLE_ECANTREAD);
  table_reset(&t);
  cr_assert_eq(csv_read_mem("x", LIT("\"abierta"), 0, &t, NULL), TABLE_ECANTREAD);
  cr_assert_eq(t.nRow, 0);
  table_reset(&t);
}

#define MSG_UTF16                                                                                  \
  "codificación ilegible: el archivo parece UTF-16; guárdelo como CSV UTF-8 o Windows-1252"
#define MSG_UTF32                                                                                  \
  "codificación ilegible: el archivo parece UTF-32; guárdelo como CSV UTF-8 o Windows-1252"

Test(csv, err_utf16, .description = "csv-5.4 UTF-16 with and without BOM") {
  check_error(LIT("\xFF\xFE"
                  "a\0;\0b\0\n\0"),
              0, MSG_UTF16);
  check_error(LIT("\xFE\xFF\0a\0;\0b\0\n"), 0, MSG_UTF16);
  check_error(LIT("I\0t\0e\0m\0;\0M\0e\0t\0a\0\r\0\n\0"), 0, MSG_UTF16);
  check_error(LIT("\0I\0t\0e\0m\0;\0M\0e\0t\0a\0\r\0\n"), ';', MSG_UTF16);
}

Test(csv, err_utf32, .description = "csv-5.5 UTF-32 with and without BOM") {
  check_error(LIT("\xFF\xFE\0\0a\0\0\0;\0\0\0"), 0, MSG_UTF32);
  check_error(LIT("\0\0\xFE\xFF\0\0\0a"), 0, MSG_UTF32);
  check_error(LIT("a\0\0\0;\0\0\0b\0\0\0\n\0\0\0"), 0, MSG_UTF32);
}

Test(csv, err_workbooks, .description = "csv-5.6 XLSX and XLS files are named") {
  check_error(LIT("PK\x03\x04\x14\0\x06\0\x08\0\0\0!\0"), 0,
              "el archivo parece un libro de Excel (XLSX), no texto delimitado; impórtelo como "
              "XLSX o guárdelo como CSV UTF-8");
  check_error(LIT("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0\0\0\0\0"), 0,
              "el archivo parece un libro de Excel 97-2003 (XLS), no texto delimitado; guárdelo "
              "como XLSX o como CSV UTF-8");
}

Test(csv, err_binary, .description = "csv-5.7 binary data") {
  check_error(LIT("\x7F"
                  "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0"),
              0,
              "el archivo no parece texto (tiene bytes nulos); guárdelo como CSV UTF-8 o "
              "Windows-1252");
}

Test(csv, err_late_nul, .description = "csv-5.8 a NUL byte after the first kilobyte") {
  Buf in = BUF_INIT;
  for (int i = 0; i < 600; i++) {
    buf_puts(&in, i % 3 == 0 ? "a;b\r\n" : (i % 3 == 1 ? "c;d\n" : "\"e\rf\"\r"));
  }
  buf_append(&in, "x\0y\n", 4);
  /* 600 lines, plus 200 CRs inside quotes: the NUL is on line 801. */
  check_error(in.z, in.n, 0,
              "línea 801: byte 0x00 no válido en un archivo de texto; guárdelo como CSV UTF-8 o "
              "Windows-1252");
  buf_reset(&in);
}

Test(csv, err_cp1252_undefined, .description = "csv-5.9 a byte undefined in Windows-1252") {
  static const char *azEol[] = {"\n", "\r\n", "\r"};
  for (int k = 0; k < 3; k++) {
    Buf in = BUF_INIT;
    for (int i = 1; i <= 16; i++) {
      buf_appendf(&in, "Gesti\xF3n %d;x%s", i, azEol[k]);
    }
    buf_puts(&in, "z\x81;y");
    buf_puts(&in, azEol[k]);
    check_error(in.z, in.n, 0, "línea 17: byte 0x81 no válido ni en UTF-8 ni en Windows-1252");
    buf_reset(&in);
  }
  check_error(LIT("\x8D"), ',', "línea 1: byte 0x8D no válido ni en UTF-8 ni en Windows-1252");
  check_error(LIT("\xEF\xBB\xBF"
                  "a\n\x90\n"),
              ',', "línea 2: byte 0x90 no válido ni en UTF-8 ni en Windows-1252");
}

#define MSG_OPEN_QUOTE                                                                             \
  ": comillas sin cerrar: el campo que empieza en esta línea sigue hasta el final del archivo"

Test(csv, err_open_quote, .description = "csv-5.10 a quoted field never closed") {
  check_error(LIT("a;b\nc;\"d\ne\n"), 0, "línea 2" MSG_OPEN_QUOTE);
  check_error(LIT("\"x\ny\",1\n\n\"abierta,2\r\n3,4\r\n"), ',', "línea 4" MSG_OPEN_QUOTE);
  check_error(LIT("a,\"b\"\"\n"), ',', "línea 1" MSG_OPEN_QUOTE);
  check_error(LIT("a\tb\tc\n1\t2\t\"3"), '\t', "línea 2" MSG_OPEN_QUOTE);
  check_error(LIT("\""), ',', "línea 1" MSG_OPEN_QUOTE);
  /* A half-quoted cell ("ab"c) keeps its field open: reported, not swallowed. */
  check_error(LIT("x\n\"ab\"c,d\ne,f\n"), ',', "línea 2" MSG_OPEN_QUOTE);
}

Test(csv, err_too_large, .description = "csv-5.11 input over CSV_MAX_BYTES") {
  /* The size is checked before any byte is read. */
  check_error("", CSV_MAX_BYTES + 1, 0, "el archivo es demasiado grande (más de 256 MB)");
}

/* ---- csv-6: writer --------------------------------------------------------- */

Test(csv, write_plain, .description = "csv-6.1 fields that need nothing") {
  check_field("abc", ',', "abc");
  check_field("", ',', "");
  check_field(NULL, ';', "");
  check_field("ñandú € 5", ';', "ñandú € 5");
  check_field(" espacios ", ',', " espacios ");
  check_field("a;b", ',', "a;b");
  check_field("a,b", ';', "a,b");
  check_field("a\tb", ',', "a\tb");
  check_field("o'clock", ',', "o'clock");
}

Test(csv, write_quoting, .description = "csv-6.2 separator, quote, CR and LF force quotes") {
  check_field("a,b", ',', "\"a,b\"");
  check_field("a;b", ';', "\"a;b\"");
  check_field("a\tb", '\t', "\"a\tb\"");
  check_field("say \"hi\"", ',', "\"say \"\"hi\"\"\"");
  check_field("\"", ';', "\"\"\"\"");
  check_field("l1\nl2", '\t', "\"l1\nl2\"");
  check_field("l1\rl2", ',', "\"l1\rl2\"");
}

Test(csv, write_formula_guard, .description = "csv-6.3 formula guard") {
  check_field("=1+1", ',', "'=1+1");
  check_field("=HYPERLINK(\"x\")", ';', "\"'=HYPERLINK(\"\"x\"\")\"");
  check_field("+57 300 1234567", ',', "'+57 300 1234567");
  check_field("-", ',', "'-");
  check_field("- Aplicar", ',', "'- Aplicar");
  check_field("@usuario", ',', "'@usuario");
  check_field("-5-3", ',', "'-5-3");
  check_field("-1e5", ',', "'-1e5");
  check_field("+", ',', "'+");
  check_field("-.5", ',', "'-.5");
  check_field("-5.", ',', "'-5.");
  check_field("=A1,B1", ',', "\"'=A1,B1\"");
  check_field("=A1\nB1", ';', "\"'=A1\nB1\"");
}

Test(csv, write_plain_numbers, .description = "csv-6.4 plain signed numbers are not guarded") {
  check_field("-5", ',', "-5");
  check_field("+3", ';', "+3");
  check_field("-1.234,56", ';', "-1.234,56");
  check_field("-1,5", ',', "\"-1,5\"");
  check_field("-12%", ',', "-12%");
  check_field("-0.25", '\t', "-0.25");
  check_field("5-3", ',', "5-3");
}

Test(csv, write_guard_apostrophes, .description = "csv-6.5 apostrophes before = + - @") {
  check_field("'=x", ',', "''=x");
  check_field("''-5", ',', "'''-5");
  check_field("'-5", ',', "''-5");
  check_field("'hola", ',', "'hola");
  check_field("'", ',', "'");
  check_field("'@a,b", ',', "\"''@a,b\"");
}

Test(csv, write_row, .description = "csv-6.6 rows: join, CRLF, empty rows") {
  Buf out = BUF_INIT;
  buf_puts(&out, "X");
  const char *az[] = {"a", "b,c", "", NULL, "=1"};
  csv_write_row(&out, 5, az, ',');
  cr_assert_str_eq(buf_str(&out), "Xa,\"b,c\",,,'=1\r\n", "appends, never replaces");
  buf_clear(&out);
  csv_write_row(&out, 0, NULL, ';');
  cr_assert_str_eq(buf_str(&out), "\r\n");
  buf_clear(&out);
  const char *azEmpty[] = {""};
  csv_write_row(&out, 1, azEmpty, ';');
  cr_assert_str_eq(buf_str(&out), "\"\"\r\n");
  buf_clear(&out);
  const char *azNull[] = {NULL};
  csv_write_row(&out, 1, azNull, '\t');
  cr_assert_str_eq(buf_str(&out), "\"\"\r\n");
  buf_clear(&out);
  const char *azTwo[] = {"", ""};
  csv_write_row(&out, 2, azTwo, '\t');
  cr_assert_str_eq(buf_str(&out), "\t\r\n");
  buf_reset(&out);
}

/* ---- csv-7: write-then-read round trips ------------------------------------ */

static const char *const azTricky[] = {
    "",       "a",         " espacios ", "a,b",    "a;b",    "a\tb",    "say \"hi\"", "\"",
    "\"\"",   "l1\nl2",    "l1\n\nl3",   "fin\n",  "\n",     "\n\n",    "=SUM(A1)",   "'=ya",
    "''=dos", "-5",        "-x",         "@",      "'",      "ñandú €", "\"a\" cola", " \"a\"",
    "'hola",  "-1.234,56", "+",          "a\"\"b", "\"\n\"", "x\n",
};

Test(csv, round_trip_tricky, .description = "csv-7.1 tricky fields survive write then read") {
  static const char aSep[] = {',', ';', '\t'};
  size_t nTricky = sizeof azTricky / sizeof azTricky[0];
  for (size_t k = 0; k < sizeof aSep; k++) {
    Buf out = BUF_INIT;
    /* Row 1: all fields; then each field alone; then a blank row. */
    csv_write_row(&out, (int)nTricky, azTricky, aSep[k]);
    for (size_t i = 0; i < nTricky; i++) {
      csv_write_row(&out, 1, &azTricky[i], aSep[k]);
    }
    csv_write_row(&out, 0, NULL, aSep[k]);
    Table t;
    char *zErr = NULL;
    TableRc rc = csv_read_mem("rt.csv", out.z, out.n, aSep[k], &t, &zErr);
    cr_assert_eq(rc, TABLE_OK, "sep %d: %s", aSep[k], zErr ? zErr : "");
    cr_assert_eq(t.nRow, (int)nTricky + 2);
    cr_assert_eq(t.aRow[0].nCell, (int)nTricky);
    for (size_t i = 0; i < nTricky; i++) {
      cr_assert_str_eq(t.aRow[0].azCell[i], azTricky[i], "sep %d field %zu", aSep[k], i);
      cr_assert_eq(t.aRow[i + 1].nCell, 1, "sep %d alone %zu", aSep[k], i);
      cr_assert_str_eq(t.aRow[i + 1].azCell[0], azTricky[i], "sep %d alone %zu", aSep[k], i);
    }
    cr_assert_eq(t.aRow[nTricky + 1].nCell, 0);
    /* Each row starts on the line after the last one of the row before it. */
    long iWant = 1;
    for (int i = 0; i < t.nRow; i++) {
      cr_assert_eq(t.aRow[i].iLine, iWant, "sep %d row %d", aSep[k], i);
      iWant++;
      for (int j = 0; j < t.aRow[i].nCell; j++) {
        for (const char *z = t.aRow[i].azCell[j]; *z; z++) {
          iWant += *z == '\n';
        }
      }
    }
    cr_assert_eq(t.aRow[1].iLine, 11, "row 1 holds 9 line breaks");
    table_reset(&t);
    buf_reset(&out);
  }
}

Test(csv, round_trip_cr_in_field, .description = "csv-7.2 CRLF and CR inside a field read as LF") {
  Buf out = BUF_INIT;
  const char *az[] = {"a\r\nb", "c\rd", "e\r\r\nf", "g"};
  csv_write_row(&out, 4, az, ',');
  cr_assert_str_eq(buf_str(&out), "\"a\r\nb\",\"c\rd\",\"e\r\r\nf\",g\r\n");
  check_read(out.z, out.n, ',', "1:{a\\nb}{c\\nd}{e\\n\\nf}{g}\n");
  buf_reset(&out);
}

Test(csv, round_trip_sniffed,
     .description = "csv-7.3 written files sniff back to their separator") {
  static const char aSep[] = {',', ';', '\t'};
  const char *azHead[] = {"Ítem", "Actividad", "Meta", "Responsable"};
  const char *azRow[] = {"1", "Hacer, revisar; publicar", "1,5", "Secretaría\tde Participación"};
  for (size_t k = 0; k < sizeof aSep; k++) {
    Buf out = BUF_INIT;
    csv_write_row(&out, 4, azHead, aSep[k]);
    csv_write_row(&out, 4, azRow, aSep[k]);
    csv_write_row(&out, 4, azRow, aSep[k]);
    cr_assert_eq(sniffed(out.z, out.n), aSep[k], "sep %d", aSep[k]);
    buf_reset(&out);
  }
}
