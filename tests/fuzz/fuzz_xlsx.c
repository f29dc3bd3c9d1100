/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** libFuzzer target for the XLSX reader (src/io/xlsx.c). An input is either
**   - the bytes of a file (anything not starting "PARTS\n"), read as is with
**     xlsx_read_mem: this fuzzes the ZIP layer and the refusals; or
**   - "PARTS\n" then parts, each introduced by a line "@@ <part name>" and
**     running to the next such line: the harness packs them into a valid
**     ZIP (stored, correct CRCs) first, so mutations reach the XML readers
**     (workbook, relationships, shared strings, sheet, merges) instead of
**     dying on a CRC check.
** For each input: read the first sheet, list the sheets, then read up to
** four sheets by name. A successful read must be consistent (rows ascending
** within 1..1048576, at most 16384 cells, no trailing empty cell, the
** sheet named: see check_table); a failed one must give a
** non-empty message without control characters and leave no rows. Any
** violation aborts.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "base/util.h"
#include "io/table.h"
#include "io/xlsx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_PARTS  32 /* parts taken from a PARTS input */
#define FUZZ_MAX_SHEETS 4  /* sheets read by name per input */

/* Abort unless t is a consistent result of a successful read. */
static void check_table(const Table *t) {
  ASSERT(t->zSheet != NULL);
  ASSERT(t->zEncoding == NULL && t->cSep == 0);
  long iPrev = 0;
  for (int i = 0; i < t->nRow; i++) {
    const TableRow *r = &t->aRow[i];
    ASSERT(r->iLine > iPrev && r->iLine <= XLSX_MAX_ROWS);
    ASSERT(r->nCell >= 0 && r->nCell <= XLSX_MAX_COLS);
    ASSERT(r->nCell == 0 || r->azCell[r->nCell - 1][0] != 0);
    for (int j = 0; j < r->nCell; j++) {
      ASSERT(r->azCell[j] != NULL);
    }
    iPrev = r->iLine;
  }
}

/* Abort unless zErr is a usable message. */
static void check_message(const char *zErr) {
  ASSERT(zErr != NULL && zErr[0] != 0);
  for (const unsigned char *z = (const unsigned char *)zErr; *z; z++) {
    ASSERT(*z >= 0x20 && *z != 0x7f);
  }
}

/* Read sheet zSheet of the n bytes at p and check the outcome. */
static void read_and_check(const void *p, size_t n, const char *zSheet) {
  Table t;
  char *zErr = NULL;
  TableRc rc = xlsx_read_mem("fuzz.xlsx", p, n, zSheet, &t, &zErr);
  if (rc == TABLE_OK) {
    ASSERT(zErr == NULL);
    check_table(&t);
  } else {
    ASSERT(rc == TABLE_ECANTREAD);
    check_message(zErr);
    ASSERT(t.nRow == 0 && t.zSheet == NULL);
  }
  free(zErr);
  table_reset(&t);
}

/* Run every reader entry point on the n bytes at p. */
static void fuzz_bytes(const void *p, size_t n) {
  read_and_check(p, n, NULL);
  char **azSheet = NULL;
  int nSheet = 0;
  char *zErr = NULL;
  if (xlsx_sheets_mem("fuzz.xlsx", p, n, &azSheet, &nSheet, &zErr) == TABLE_OK) {
    ASSERT(zErr == NULL && azSheet != NULL && azSheet[nSheet] == NULL);
    for (int i = 0; i < nSheet && i < FUZZ_MAX_SHEETS; i++) {
      read_and_check(p, n, azSheet[i]);
    }
    read_and_check(p, n, "no existe");
  } else {
    ASSERT(azSheet == NULL && nSheet == 0);
    check_message(zErr);
  }
  xlsx_sheets_free(azSheet, nSheet);
  free(zErr);
}

/* Pack the parts of a PARTS input (data after the "PARTS\n" line) into a
** ZIP in memory; returns it malloc'd with its size in *pn, or NULL when
** libzip refuses (e.g. a duplicate part name). */
static unsigned char *pack_parts(const char *z, size_t n, size_t *pn) {
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *pSrc = zip_source_buffer_create(NULL, 0, 0, &ze);
  ASSERT(pSrc != NULL);
  zip_source_keep(pSrc);
  zip_t *za = zip_open_from_source(pSrc, ZIP_TRUNCATE, &ze);
  ASSERT(za != NULL);
  char *azName[FUZZ_MAX_PARTS];
  int nName = 0;
  bool bOk = true;
  size_t i = 0;
  while (i + 3 <= n && memcmp(z + i, "@@ ", 3) == 0 && nName < FUZZ_MAX_PARTS && bOk) {
    const char *zLine = z + i + 3;
    const char *zNl = memchr(zLine, '\n', n - i - 3);
    size_t nLine = zNl ? (size_t)(zNl - zLine) : n - i - 3;
    azName[nName] = xstrndup(zLine, nLine);
    size_t iBody = zNl ? (size_t)(zNl - z) + 1 : n;
    size_t iEnd = iBody;
    while (iEnd < n && !(z[iEnd - 1] == '\n' && n - iEnd >= 3 && memcmp(z + iEnd, "@@ ", 3) == 0)) {
      iEnd++;
    }
    zip_source_t *s = zip_source_buffer(za, z + iBody, iEnd - iBody, 0);
    zip_int64_t idx = s ? zip_file_add(za, azName[nName], s, ZIP_FL_ENC_UTF_8) : -1;
    if (idx < 0) {
      zip_source_free(s);
      bOk = false;
    } else {
      ASSERT(zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0) == 0);
    }
    nName++;
    i = iEnd;
  }
  unsigned char *pOut = NULL;
  zip_stat_t st;
  if (!bOk || nName == 0) {
    zip_discard(za);
  } else if (zip_close(za) != 0) {
    zip_discard(za);
  } else if (zip_source_stat(pSrc, &st) == 0 && zip_source_open(pSrc) == 0) {
    pOut = xmalloc(st.size ? (size_t)st.size : 1);
    ASSERT(zip_source_read(pSrc, pOut, st.size) == (zip_int64_t)st.size);
    zip_source_close(pSrc);
    *pn = (size_t)st.size;
  }
  zip_source_free(pSrc);
  zip_error_fini(&ze);
  for (int k = 0; k < nName; k++) {
    free(azName[k]);
  }
  return pOut;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size >= 6 && memcmp(data, "PARTS\n", 6) == 0) {
    size_t n = 0;
    unsigned char *p = pack_parts((const char *)data + 6, size - 6, &n);
    if (p) {
      fuzz_bytes(p, n);
      free(p);
    }
    return 0;
  }
  fuzz_bytes(data, size);
  return 0;
}
