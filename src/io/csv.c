/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Delimited text reader and writer (see csv.h). libcsv does the tokenizing;
** this file feeds it the decoded text and turns its two callbacks (end of
** field, end of row) into Table rows with line numbers.
**
** How line numbers are kept: the parser runs with CSV_REPALL_NL, so every
** CR or LF outside a quoted field reaches the end-of-row callback, either
** ending a row or as an empty row. A LF that comes right after such a CR
** (nothing in between) is the second half of a CRLF and is dropped; every
** other terminator ends one physical line. Line breaks inside quoted fields
** reach the end-of-field callback as field text and are counted there (CRLF
** counting once), and become LF. libcsv's trimming of spaces and tabs around unquoted
** fields is switched off with a space function that accepts nothing.
**
** An unterminated quoted field would silently swallow the rest of the file;
** it is detected at the end by feeding the parser one synthetic LF: if that
** LF ends the row the last quote was closed, otherwise it was not.
*/
#include "io/csv.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "base/text.h"
#include "base/util.h"

#define CSV_QUOTE_CHAR  '"'                 /* the only quote character used */
#define CSV_PARSER_BLK  4096                /* libcsv field buffer growth step, bytes */
#define SNIFF_MAX_BYTES ((size_t)64 * 1024) /* prefix of the text examined by the sniffer */
#define SNIFF_MAX_ROWS  2000                /* rows examined by the sniffer, at most */
#define READ_CHUNK      ((size_t)64 * 1024) /* fread() chunk when loading a file */

/* State of one read, handed to libcsv's callbacks through their data pointer. */
typedef struct CsvReader {
  Table *t;            /* table being filled */
  Buf cells;           /* the current row's cells, each NUL-terminated, back to back */
  size_t *aOff;        /* offset in cells of each cell of the current row */
  const char **azCell; /* pointers passed to table_add_row, parallel to aOff */
  int nCell;           /* cells in the current row so far */
  int nCellAlloc;      /* slots allocated in aOff and azCell */
  long iLine;          /* 1-based physical line of the next byte libcsv will report */
  long iRowLine;       /* line where the current row starts */
  bool bAfterCr;       /* the last event was a CR ending a line, with no byte since */
  bool bSentinel;      /* the synthetic end-of-input LF is being fed */
  bool bSentinelRow;   /* that LF ended a row: no quoted field was left open */
} CsvReader;

/* Field counts gathered by the sniffer for one candidate separator. */
typedef struct CsvSniff {
  int nField;  /* fields in the current row so far */
  int nRow;    /* rows recorded in aCount */
  int *aCount; /* field count of each recorded row (SNIFF_MAX_ROWS slots) */
} CsvSniff;

/* libcsv space predicate that accepts nothing, so unquoted fields are not trimmed. */
static int csv_no_space(unsigned char c) {
  (void)c;
  return 0;
}

/* Initialise parser p for separator cSep: RFC 4180 quotes, no trimming,
** allocation through xrealloc (so it never fails). Pass CSV_REPALL_NL in
** opts to have every unquoted CR and LF reported. Cannot fail. */
static void csv_parser_setup(struct csv_parser *p, unsigned char opts, char cSep) {
  if (csv_init(p, opts) != 0) {
    app_panic("csv_init failed");
  }
  csv_set_delim(p, (unsigned char)cSep);
  csv_set_quote(p, (unsigned char)CSV_QUOTE_CHAR);
  csv_set_space_func(p, csv_no_space);
  csv_set_realloc_func(p, xrealloc);
  csv_set_free_func(p, free);
  csv_set_blk_size(p, CSV_PARSER_BLK);
}

/* True when c is one of the characters that make a spreadsheet read a cell as a formula. */
static bool is_formula_char(char c) {
  return c == '=' || c == '+' || c == '-' || c == '@';
}

/* True when c is an ASCII digit (locale-independent). */
static bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

/* Number of physical lines that start before offset iOff of z: 1 plus the
** line breaks (LF, CRLF or lone CR) in z[0..iOff). */
static long line_of_offset(const char *z, size_t iOff) {
  long iLine = 1;
  for (size_t i = 0; i < iOff; i++) {
    if (z[i] == '\n') {
      iLine++;
    } else if (z[i] == '\r') {
      iLine++;
      if (i + 1 < iOff && z[i + 1] == '\n') {
        i++;
      }
    }
  }
  return iLine;
}

/* Empty t (rows, encoding, separator) but keep its source name, and store
** the printf-formatted message in *pzErr when pzErr is not NULL (the
** caller frees it). Returns TABLE_ECANTREAD, for "return read_fail(...)". */
static TableRc read_fail(Table *t, char **pzErr, const char *zFmt, ...) PRINTF_LIKE(3, 4);
static TableRc read_fail(Table *t, char **pzErr, const char *zFmt, ...) {
  char *zSource = t->zSource;
  t->zSource = NULL;
  table_reset(t);
  table_init(t, zSource);
  free(zSource);
  if (pzErr) {
    va_list ap;
    va_start(ap, zFmt);
    *pzErr = xvasprintf(zFmt, ap);
    va_end(ap);
  }
  return TABLE_ECANTREAD;
}

/* The Spanish message for input that text_is_wide_or_binary() refused: it
** names UTF-32 or UTF-16 (by BOM, or by where the NUL bytes fall in the
** first kilobyte), an Excel workbook (XLSX or XLS signature), or binary
** data. Returns a static string; cannot fail. */
static const char *wide_or_binary_message(const char *z, size_t n) {
  static const char zUtf16[] =
      "codificación ilegible: el archivo parece UTF-16; guárdelo como CSV UTF-8 o Windows-1252";
  static const char zUtf32[] =
      "codificación ilegible: el archivo parece UTF-32; guárdelo como CSV UTF-8 o Windows-1252";
  if (n >= 4 && (memcmp(z, "\x00\x00\xFE\xFF", 4) == 0 || memcmp(z, "\xFF\xFE\x00\x00", 4) == 0)) {
    return zUtf32;
  }
  if (n >= 2 && (memcmp(z, "\xFE\xFF", 2) == 0 || memcmp(z, "\xFF\xFE", 2) == 0)) {
    return zUtf16;
  }
  if (n >= 4 && memcmp(z, "PK\x03\x04", 4) == 0) {
    return "el archivo parece un libro de Excel (XLSX), no texto delimitado; impórtelo como XLSX "
           "o guárdelo como CSV UTF-8";
  }
  if (n >= 8 && memcmp(z, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0) {
    return "el archivo parece un libro de Excel 97-2003 (XLS), no texto delimitado; guárdelo como "
           "XLSX o como CSV UTF-8";
  }
  /* Without a BOM: ASCII-range text in UTF-16/32 has NUL bytes at fixed
  ** positions of each 2- or 4-byte unit. aNul[k] counts NULs at offsets
  ** congruent to k modulo 4; "hi" means in at least 80% of the units. */
  size_t nUnit = (n < 1024 ? n : 1024) / 4;
  if (nUnit > 0) {
    size_t aNul[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < nUnit * 4; i++) {
      if (z[i] == 0) {
        aNul[i % 4]++;
      }
    }
    bool abHi[4];
    bool abLo[4];
    for (int k = 0; k < 4; k++) {
      abHi[k] = aNul[k] * 10 >= nUnit * 8;
      abLo[k] = aNul[k] * 10 <= nUnit * 2;
    }
    if ((abLo[0] && abHi[1] && abHi[2] && abHi[3]) || (abHi[0] && abHi[1] && abHi[2] && abLo[3])) {
      return zUtf32;
    }
    if ((abLo[0] && abHi[1] && abLo[2] && abHi[3]) || (abHi[0] && abLo[1] && abHi[2] && abLo[3])) {
      return zUtf16;
    }
  }
  return "el archivo no parece texto (tiene bytes nulos); guárdelo como CSV UTF-8 o Windows-1252";
}

/* Make room for at least one more cell in r's per-row arrays. */
static void reader_grow(CsvReader *r) {
  if (r->nCell < r->nCellAlloc) {
    return;
  }
  r->nCellAlloc = r->nCellAlloc ? r->nCellAlloc * 2 : 32;
  r->aOff = xrealloc(r->aOff, sizeof(size_t) * (size_t)r->nCellAlloc);
  r->azCell = xrealloc(r->azCell, sizeof(char *) * (size_t)r->nCellAlloc);
}

/* libcsv end-of-field callback: append the n bytes at pData to the current
** row as one cell. The first cell of a row fixes the row's start line.
** Removes the formula guard (an apostrophe before apostrophes and one of
** = + - @), turns every line break (CRLF or lone CR) into LF, and counts
** the line breaks the field spans. Cells therefore never hold a CR, which
** keeps write-then-read exact ("\r\r\n" must not become "\r\n"). */
static void reader_field(void *pData, size_t n, void *pCtx) {
  CsvReader *r = pCtx;
  const char *z = pData ? pData : "";
  if (pData == NULL) {
    n = 0;
  }
  if (r->nCell == 0) {
    r->iRowLine = r->iLine;
  }
  r->bAfterCr = false;
  reader_grow(r);
  r->aOff[r->nCell++] = r->cells.n;
  if (n >= 2 && z[0] == '\'') {
    size_t i = 1;
    while (i < n && z[i] == '\'') {
      i++;
    }
    if (i < n && is_formula_char(z[i])) {
      z++;
      n--;
    }
  }
  if (memchr(z, '\n', n) == NULL && memchr(z, '\r', n) == NULL) {
    buf_append(&r->cells, z, n);
  } else {
    size_t iStart = 0; /* start of the run of bytes not yet copied */
    for (size_t i = 0; i < n; i++) {
      if (z[i] == '\n') {
        r->iLine++;
      } else if (z[i] == '\r') {
        r->iLine++;
        buf_append(&r->cells, z + iStart, i - iStart);
        buf_putc(&r->cells, '\n');
        if (i + 1 < n && z[i + 1] == '\n') {
          i++; /* CRLF: one LF */
        }
        iStart = i + 1;
      }
    }
    buf_append(&r->cells, z + iStart, n - iStart);
  }
  buf_putc(&r->cells, 0);
}

/* Add the current row (possibly 0 cells) to the table at r->iRowLine and
** start an empty one. */
static void reader_emit(CsvReader *r) {
  for (int i = 0; i < r->nCell; i++) {
    r->azCell[i] = r->cells.z + r->aOff[i];
  }
  table_add_row(r->t, r->iRowLine, r->nCell, r->azCell);
  buf_clear(&r->cells);
  r->nCell = 0;
}

/* libcsv end-of-row callback. c is the CR or LF that ended the row (or an
** empty line, thanks to CSV_REPALL_NL), or -1 when csv_fini() ends a last
** row that has no line break. See the file comment for the CRLF rule. */
static void reader_row(int c, void *pCtx) {
  CsvReader *r = pCtx;
  if (r->bSentinel) {
    r->bSentinelRow = true;
    reader_emit(r);
    return;
  }
  if (c == CSV_LF && r->bAfterCr && r->nCell == 0) {
    r->bAfterCr = false;
    return;
  }
  if (r->nCell == 0) {
    r->iRowLine = r->iLine;
  }
  reader_emit(r);
  if (c == CSV_CR || c == CSV_LF) {
    r->iLine++;
  }
  r->bAfterCr = (c == CSV_CR);
}

/* Parse the n bytes of UTF-8 text at z with separator cSep, appending rows
** to t. Returns TABLE_OK, or TABLE_ECANTREAD (t emptied, message in
** *pzErr) when a quoted field is never closed. */
static TableRc parse_text(const char *z, size_t n, char cSep, Table *t, char **pzErr) {
  struct csv_parser p;
  csv_parser_setup(&p, CSV_REPALL_NL, cSep);
  CsvReader r;
  memset(&r, 0, sizeof r);
  r.t = t;
  r.iLine = 1;
  r.iRowLine = 1;
  TableRc rc = TABLE_OK;
  long iErrLine = 0;
  bool bOpenQuote = false;
  bool bTooBig = false;
  if (csv_parse(&p, z, n, reader_field, reader_row, &r) != n) {
    bTooBig = true; /* only CSV_ETOOBIG is possible: allocation cannot fail */
    iErrLine = r.iLine;
  } else if (p.quoted) {
    /* Inside a quoted field at the end of input: closed (`"abc"` then EOF)
    ** or not (`"abc` then EOF). A LF ends the row only in the first case. */
    r.bSentinel = true;
    if (csv_parse(&p, "\n", 1, reader_field, reader_row, &r) != 1 || !r.bSentinelRow) {
      bOpenQuote = true;
      iErrLine = r.iLine;
    }
  }
  if (!bTooBig && !bOpenQuote) {
    if (csv_fini(&p, reader_field, reader_row, &r) != 0) {
      app_panic("csv_fini failed");
    }
  }
  csv_free(&p);
  buf_reset(&r.cells);
  free(r.aOff);
  free(r.azCell);
  if (bTooBig) {
    rc = read_fail(t, pzErr, "línea %ld: campo demasiado grande", iErrLine);
  } else if (bOpenQuote) {
    rc = read_fail(t, pzErr,
                   "línea %ld: comillas sin cerrar: el campo que empieza en esta línea sigue "
                   "hasta el final del archivo",
                   iErrLine);
  }
  return rc;
}

/* libcsv end-of-field callback for the sniffer: count the field. */
static void sniff_field(void *pData, size_t n, void *pCtx) {
  (void)pData;
  (void)n;
  CsvSniff *s = pCtx;
  s->nField++;
}

/* libcsv end-of-row callback for the sniffer: record the row's field count. */
static void sniff_row(int c, void *pCtx) {
  (void)c;
  CsvSniff *s = pCtx;
  if (s->nRow < SNIFF_MAX_ROWS) {
    s->aCount[s->nRow++] = s->nField;
  }
  s->nField = 0;
}

/* qsort comparison of two ints, ascending. */
static int cmp_int(const void *pA, const void *pB) {
  int a = *(const int *)pA;
  int b = *(const int *)pB;
  return (a > b) - (a < b);
}

/* How well separator cSep explains the n bytes of text at z: parse them,
** find the modal field count among rows with more than one field (ties go
** to the larger count) and return (rows with that count) * (that count);
** 0 when no row has two fields. bWhole says z is the whole input (the
** last row counts even without a line break). Cannot fail. */
static long sniff_score(const char *z, size_t n, bool bWhole, char cSep, int *aCount) {
  struct csv_parser p;
  csv_parser_setup(&p, 0, cSep);
  CsvSniff s = {0, 0, aCount};
  size_t nDone = csv_parse(&p, z, n, sniff_field, sniff_row, &s);
  if (nDone == n && bWhole) {
    if (csv_fini(&p, sniff_field, sniff_row, &s) != 0) {
      app_panic("csv_fini failed");
    }
  }
  csv_free(&p);
  qsort(aCount, (size_t)s.nRow, sizeof(int), cmp_int);
  int nBestRun = 0;
  int nBestCount = 0;
  for (int i = 0; i < s.nRow;) {
    int j = i;
    while (j < s.nRow && aCount[j] == aCount[i]) {
      j++;
    }
    if (aCount[i] > 1 && j - i >= nBestRun) {
      nBestRun = j - i; /* ascending order: an equal run has a larger count */
      nBestCount = aCount[i];
    }
    i = j;
  }
  return (long)nBestRun * nBestCount;
}

/* Choose the separator (tab, ';' or ',') that best explains the n bytes of
** text at z, judging by a prefix of at most SNIFF_MAX_BYTES cut at a line
** break. Highest sniff_score wins; ties prefer tab, then ';'; when no
** candidate splits any row, ','. Cannot fail. */
static char sniff_separator(const char *z, size_t n) {
  static const char aCand[] = {'\t', ';', ','};
  bool bWhole = n <= SNIFF_MAX_BYTES;
  size_t nPrefix = n;
  if (!bWhole) {
    nPrefix = SNIFF_MAX_BYTES;
    while (nPrefix > 0 && z[nPrefix - 1] != '\n' && z[nPrefix - 1] != '\r') {
      nPrefix--;
    }
    if (nPrefix == 0) {
      nPrefix = SNIFF_MAX_BYTES;
    }
  }
  int *aCount = xmalloc(sizeof(int) * SNIFF_MAX_ROWS);
  char cBest = ',';
  long nBest = 0;
  for (size_t i = 0; i < sizeof aCand; i++) {
    long nScore = sniff_score(z, nPrefix, bWhole, aCand[i], aCount);
    if (nScore > nBest) {
      nBest = nScore;
      cBest = aCand[i];
    }
  }
  free(aCount);
  return cBest;
}

TableRc csv_read_mem(const char *zName, const char *z, size_t n, char cSep, Table *t,
                     char **pzErr) {
  ASSERT(cSep == 0 || cSep == '\t' || cSep == ';' || cSep == ',');
  table_init(t, zName);
  if (pzErr) {
    *pzErr = NULL;
  }
  if (n > CSV_MAX_BYTES) {
    return read_fail(t, pzErr, "el archivo es demasiado grande (más de %zu MB)",
                     CSV_MAX_BYTES / (1024 * 1024));
  }
  if (n > 0 && text_is_wide_or_binary(z, n)) {
    return read_fail(t, pzErr, "%s", wide_or_binary_message(z, n));
  }
  size_t nBom = text_bom_len(z, n);
  const char *zText = z + nBom;
  size_t nText = n - nBom;
  const char *pNul = memchr(zText, 0, nText);
  if (pNul) {
    return read_fail(t, pzErr,
                     "línea %ld: byte 0x00 no válido en un archivo de texto; guárdelo como CSV "
                     "UTF-8 o Windows-1252",
                     line_of_offset(zText, (size_t)(pNul - zText)));
  }
  char *zDecoded = NULL;
  const char *zEncoding = nBom ? "UTF-8 con BOM" : "UTF-8";
  if (!text_is_utf8(zText, nText)) {
    size_t iBad = 0;
    size_t nDecoded = 0;
    zDecoded = text_cp1252_to_utf8_dup(zText, nText, &nDecoded, &iBad);
    if (zDecoded == NULL) {
      return read_fail(t, pzErr, "línea %ld: byte 0x%02X no válido ni en UTF-8 ni en Windows-1252",
                       line_of_offset(zText, iBad), (unsigned)(unsigned char)zText[iBad]);
    }
    zText = zDecoded;
    nText = nDecoded;
    zEncoding = "Windows-1252";
  }
  if (cSep == 0) {
    cSep = sniff_separator(zText, nText);
  }
  t->cSep = cSep;
  t->zEncoding = xstrdup(zEncoding);
  TableRc rc = parse_text(zText, nText, cSep, t, pzErr);
  free(zDecoded);
  return rc;
}

TableRc csv_read_file(const char *zPath, char cSep, Table *t, char **pzErr) {
  FILE *pFile = fopen(zPath, "rb");
  if (pFile == NULL) {
    int iErrno = errno;
    table_init(t, zPath);
    if (pzErr) {
      *pzErr = NULL;
    }
    return read_fail(t, pzErr, "no se puede leer «%s»: %s", zPath, os_error(iErrno));
  }
  Buf content = BUF_INIT;
  int iErrno = 0;
  for (;;) {
    buf_reserve(&content, READ_CHUNK);
    size_t nGot = fread(content.z + content.n, 1, READ_CHUNK, pFile);
    content.n += nGot;
    content.z[content.n] = 0;
    if (nGot < READ_CHUNK) {
      if (ferror(pFile)) {
        iErrno = errno ? errno : EIO;
      }
      break;
    }
    if (content.n > CSV_MAX_BYTES) {
      break; /* csv_read_mem reports it */
    }
  }
  (void)fclose(pFile); /* a read-only stream: nothing is lost if closing fails */
  TableRc rc;
  if (iErrno) {
    table_init(t, zPath);
    if (pzErr) {
      *pzErr = NULL;
    }
    rc = read_fail(t, pzErr, "no se puede leer «%s»: %s", zPath, os_error(iErrno));
  } else {
    rc = csv_read_mem(zPath, content.z, content.n, cSep, t, pzErr);
  }
  buf_reset(&content);
  return rc;
}

/* True when z is a plain number a spreadsheet would read as a number, not a
** formula: an optional sign, digits, '.' or ',' only between digits, and
** an optional final '%'. "-5", "+3,5", "-1.234,56", "-12%" qualify; "-",
** "-5-3", "+57 300" do not. */
static bool is_plain_number(const char *z) {
  size_t i = 0;
  if (z[i] == '+' || z[i] == '-') {
    i++;
  }
  if (!is_digit(z[i])) {
    return false;
  }
  while (z[i]) {
    if (is_digit(z[i])) {
      i++;
    } else if ((z[i] == '.' || z[i] == ',') && is_digit(z[i + 1])) {
      i += 2;
    } else if (z[i] == '%' && z[i + 1] == 0) {
      i++;
    } else {
      return false;
    }
  }
  return true;
}

/* True when z must get a leading apostrophe: it starts with = + - @ and is
** not a plain number, or it starts with apostrophes followed by one of
** those (so that the reader's guard removal gives z back). */
static bool needs_formula_guard(const char *z) {
  size_t i = 0;
  while (z[i] == '\'') {
    i++;
  }
  if (!is_formula_char(z[i])) {
    return false;
  }
  return i > 0 || !is_plain_number(z);
}

void csv_write_field(Buf *pOut, const char *z, char cSep) {
  ASSERT(cSep == '\t' || cSep == ';' || cSep == ',');
  if (z == NULL) {
    z = "";
  }
  bool bGuard = needs_formula_guard(z);
  size_t n = strlen(z);
  const char azSpecial[] = {cSep, CSV_QUOTE_CHAR, '\r', '\n', 0};
  if (strpbrk(z, azSpecial) == NULL) {
    if (bGuard) {
      buf_putc(pOut, '\'');
    }
    buf_append(pOut, z, n);
    return;
  }
  /* csv_write2 writes `"` + z with quotes doubled + `"`. With the guard it
  ** writes one byte further on, and its opening quote becomes the apostrophe. */
  size_t nNeed = csv_write2(NULL, 0, z, n, (unsigned char)CSV_QUOTE_CHAR);
  ASSERT(nNeed != SIZE_MAX && nNeed >= n + 2);
  size_t nGuard = bGuard ? 1 : 0;
  buf_reserve(pOut, nNeed + nGuard);
  size_t nWrote =
      csv_write2(pOut->z + pOut->n + nGuard, nNeed, z, n, (unsigned char)CSV_QUOTE_CHAR);
  ASSERT(nWrote == nNeed);
  if (bGuard) {
    pOut->z[pOut->n] = CSV_QUOTE_CHAR;
    pOut->z[pOut->n + 1] = '\'';
  }
  pOut->n += nNeed + nGuard;
  pOut->z[pOut->n] = 0;
}

void csv_write_row(Buf *pOut, int nField, const char *const *azField, char cSep) {
  if (nField == 1 && (azField[0] == NULL || azField[0][0] == 0)) {
    buf_puts(pOut, "\"\"");
  } else {
    for (int i = 0; i < nField; i++) {
      if (i > 0) {
        buf_putc(pOut, cSep);
      }
      csv_write_field(pOut, azField[i], cSep);
    }
  }
  buf_puts(pOut, "\r\n");
}
