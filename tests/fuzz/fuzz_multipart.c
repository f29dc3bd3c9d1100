/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** libFuzzer target for the multipart/form-data parser (src/web/multipart.c).
** The input's first line is the request's Content-Type, the rest is the
** body.
**
** A failed parse must leave a non-empty UTF-8 message and no parts. A
** successful one must be consistent: at most MULTIPART_MAX_PARTS parts,
** each pointing inside the body, in order and without overlap; names
** non-empty, valid UTF-8, without control characters and all different;
** plain fields with a NUL-free UTF-8 copy equal to their bytes; file names
** valid UTF-8 without control characters or path separators; lookups find
** each part. Then the parts are written again as a browser would (CRLF, a
** fresh boundary that no content holds, quoted names with escapes, file
** names as filename*) and parsed back: the result must be the same parts
** with the same bytes. Any difference aborts.
*/
#define _GNU_SOURCE /* memmem */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/text.h"
#include "base/util.h"
#include "web/multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* True when the n bytes at z are UTF-8 without C0 or C1 controls or DEL. */
static bool clean_text(const char *z, size_t n) {
  if (!text_is_utf8(z, n)) {
    return false;
  }
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)z[i];
    if (c < 0x20 || c == 0x7F || (c == 0xC2 && i + 1 < n && (unsigned char)z[i + 1] <= 0x9F)) {
      return false;
    }
  }
  return true;
}

/* Abort unless m is a consistent parse of the n bytes at p. */
static void check_parts(const Multipart *m, const char *p, size_t n) {
  ASSERT(m->nPart >= 0 && m->nPart <= MULTIPART_MAX_PARTS);
  const char *pPrevEnd = p;
  for (int i = 0; i < m->nPart; i++) {
    const MultipartPart *a = &m->aPart[i];
    ASSERT(a->nData == 0 || (a->pData >= pPrevEnd && a->pData + a->nData <= p + n));
    if (a->nData > 0) {
      pPrevEnd = a->pData + a->nData;
    }
    ASSERT(a->zName != NULL && a->zName[0] != 0);
    ASSERT(clean_text(a->zName, strlen(a->zName)));
    for (int k = 0; k < i; k++) {
      ASSERT(strcmp(m->aPart[k].zName, a->zName) != 0);
    }
    ASSERT(multipart_part(m, a->zName) == a);
    if (a->zFileName == NULL) {
      ASSERT(a->zValue != NULL);
      ASSERT(strlen(a->zValue) == a->nData && memcmp(a->zValue, a->pData, a->nData) == 0);
      ASSERT(multipart_value(m, a->zName) == a->zValue);
    } else {
      ASSERT(a->zValue == NULL);
      ASSERT(clean_text(a->zFileName, strlen(a->zFileName)));
      ASSERT(strchr(a->zFileName, '/') == NULL && strchr(a->zFileName, '\\') == NULL);
    }
    ASSERT(a->zType == NULL || strpbrk(a->zType, "\r\n") == NULL);
  }
}

/* Append z as a quoted string, escaping '"' and '\'. */
static void put_quoted(Buf *pOut, const char *z) {
  buf_putc(pOut, '"');
  for (; *z; z++) {
    if (*z == '"' || *z == '\\') {
      buf_putc(pOut, '\\');
    }
    buf_putc(pOut, *z);
  }
  buf_putc(pOut, '"');
}

/* Write m again as a browser would into pOut with a boundary no content
** holds (its text goes into zBoundary). Returns false when a part's header
** block grew past the parser's 8 KiB limit (file names of invalid UTF-8
** become U+FFFD, which percent-encodes to 9 bytes): no round trip then. */
static bool rewrite(const Multipart *m, Buf *pOut, char zBoundary[32]) {
  for (unsigned iTry = 0;; iTry++) {
    snprintf(zBoundary, 32, "----fuzzBoundary%u", iTry);
    bool bClash = false;
    for (int i = 0; i < m->nPart && !bClash; i++) {
      bClash = m->aPart[i].nData > 0 &&
               memmem(m->aPart[i].pData, m->aPart[i].nData, zBoundary, strlen(zBoundary));
    }
    if (!bClash) {
      break;
    }
  }
  bool bFits = true;
  for (int i = 0; i < m->nPart; i++) {
    const MultipartPart *a = &m->aPart[i];
    size_t nHeadStart = pOut->n + strlen(zBoundary) + 4;
    buf_appendf(pOut, "--%s\r\nContent-Disposition: form-data; name=", zBoundary);
    put_quoted(pOut, a->zName);
    if (a->zFileName) {
      buf_puts(pOut, "; filename*=UTF-8''");
      for (const unsigned char *c = (const unsigned char *)a->zFileName; *c; c++) {
        buf_appendf(pOut, "%%%02X", *c);
      }
    }
    buf_puts(pOut, "\r\n");
    if (a->zType) {
      buf_appendf(pOut, "Content-Type: %s\r\n", a->zType);
    }
    buf_puts(pOut, "\r\n");
    bFits = bFits && pOut->n - nHeadStart <= 8192;
    buf_append(pOut, a->pData, a->nData);
    buf_puts(pOut, "\r\n");
  }
  buf_appendf(pOut, "--%s--\r\n", zBoundary);
  return bFits;
}

/* Abort unless a and b hold the same parts. */
static void check_same(const Multipart *a, const Multipart *b) {
  ASSERT(a->nPart == b->nPart);
  for (int i = 0; i < a->nPart; i++) {
    const MultipartPart *x = &a->aPart[i], *y = &b->aPart[i];
    ASSERT(strcmp(x->zName, y->zName) == 0);
    ASSERT((x->zFileName == NULL) == (y->zFileName == NULL));
    ASSERT(x->zFileName == NULL || strcmp(x->zFileName, y->zFileName) == 0);
    ASSERT((x->zType == NULL) == (y->zType == NULL));
    ASSERT(x->zType == NULL || strcmp(x->zType, y->zType) == 0);
    ASSERT(x->nData == y->nData && (x->nData == 0 || memcmp(x->pData, y->pData, x->nData) == 0));
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *p = (const char *)data;
  const char *pNl = memchr(p, '\n', size);
  size_t nType = pNl ? (size_t)(pNl - p) : size;
  char *zType = xstrndup(p, nType);
  const char *pBody = pNl ? pNl + 1 : p + size;
  size_t nBody = size - (size_t)(pBody - p);
  /* a copy of exactly the body, so that reading past it is caught */
  char *pCopy = xmalloc(nBody ? nBody : 1);
  memcpy(pCopy, pBody, nBody);

  Multipart m;
  char *zErr = NULL;
  if (!multipart_parse(zType, pCopy, nBody, &m, &zErr)) {
    ASSERT(zErr != NULL && zErr[0] != 0 && text_is_utf8(zErr, strlen(zErr)));
    ASSERT(m.nPart == 0);
    free(zErr);
  } else {
    ASSERT(zErr == NULL);
    check_parts(&m, pCopy, nBody);
    Buf again = BUF_INIT;
    char zBoundary[32];
    if (rewrite(&m, &again, zBoundary)) {
      char *zType2 = xasprintf("multipart/form-data; boundary=%s", zBoundary);
      Multipart m2;
      bool bOk = multipart_parse(zType2, again.z, again.n, &m2, &zErr);
      if (!bOk) {
        fprintf(stderr, "round trip: %s\n", zErr);
      }
      ASSERT(bOk && zErr == NULL);
      check_same(&m, &m2);
      multipart_reset(&m2);
      free(zType2);
    }
    buf_reset(&again);
  }
  multipart_reset(&m);
  free(pCopy);
  free(zType);
  return 0;
}
