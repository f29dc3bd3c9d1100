/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** UTF-8 text helpers (see text.h): validation, Windows-1252 decoding, BOM and
** wide-encoding detection, folding for insensitive matching, trimming and
** width/ellipsis by code points. Folding delegates normalisation to utf8proc
** (compatibility decomposition, marks stripped, case folded, default-ignorable
** code points such as soft hyphen and zero-width space dropped) and then
** collapses every kind of white space (ASCII space, tab, CR, LF, FF, VT, NBSP
** and the Unicode space/line/paragraph separators) into single spaces.
**
** This module does not do locale-aware collation, grapheme clusters or
** display widths of East Asian characters: a "width" here is a count of code
** points, which is what Spanish text needs.
*/
#include "base/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <pthread.h>
#include <string.h>

#include <utf8proc.h>

#include "base/buf.h"
#include "base/util.h"

size_t text_utf8_decode(const unsigned char *p, size_t n, uint32_t *pCp) {
  unsigned c = p[0];
  if (c < 0x80) {
    *pCp = c;
    return 1;
  }
  size_t nCont;
  uint32_t cp;
  unsigned lo = 0x80; /* range of the first continuation byte */
  unsigned hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    nCont = 1;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    nCont = 2;
    cp = c & 0x0F;
    if (c == 0xE0) {
      lo = 0xA0; /* no overlongs */
    } else if (c == 0xED) {
      hi = 0x9F; /* no surrogates */
    }
  } else if (c >= 0xF0 && c <= 0xF4) {
    nCont = 3;
    cp = c & 0x07;
    if (c == 0xF0) {
      lo = 0x90; /* no overlongs */
    } else if (c == 0xF4) {
      hi = 0x8F; /* nothing above U+10FFFF */
    }
  } else {
    *pCp = TEXT_UTF8_BAD;
    return 1;
  }
  size_t i = 1;
  for (size_t k = 0; k < nCont; k++, i++) {
    if (i >= n || p[i] < lo || p[i] > hi) {
      *pCp = TEXT_UTF8_BAD;
      return i;
    }
    cp = (cp << 6) | (p[i] & 0x3Fu);
    lo = 0x80;
    hi = 0xBF;
  }
  *pCp = cp;
  return i;
}

/* Length (1..4) of the valid UTF-8 sequence that starts at z[0], given n
** bytes available (n >= 1), or 0 when those bytes do not start a valid
** sequence. Stores the code point in *pCp when valid. */
static size_t utf8_seq(const unsigned char *z, size_t n, int32_t *pCp) {
  uint32_t cp;
  size_t nSeq = text_utf8_decode(z, n, &cp);
  if (cp == TEXT_UTF8_BAD) {
    return 0;
  }
  *pCp = (int32_t)cp;
  return nSeq;
}

int text_hex_digit(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

bool text_is_utf8(const char *z, size_t n) {
  const unsigned char *p = (const unsigned char *)z;
  size_t i = 0;
  while (i < n) {
    int32_t cp;
    size_t nSeq = utf8_seq(p + i, n - i, &cp);
    if (nSeq == 0) {
      return false;
    }
    i += nSeq;
  }
  return true;
}

size_t text_bom_len(const char *z, size_t n) {
  if (n >= 3 && memcmp(z, "\xEF\xBB\xBF", 3) == 0) {
    return 3;
  }
  return 0;
}

bool text_is_wide_or_binary(const char *z, size_t n) {
  /* UTF-32 BOMs first: the little-endian one begins with the UTF-16 LE BOM. */
  if (n >= 4 && (memcmp(z, "\x00\x00\xFE\xFF", 4) == 0 || memcmp(z, "\xFF\xFE\x00\x00", 4) == 0)) {
    return true;
  }
  if (n >= 2 && (memcmp(z, "\xFE\xFF", 2) == 0 || memcmp(z, "\xFF\xFE", 2) == 0)) {
    return true;
  }
  size_t nScan = n < 1024 ? n : 1024;
  return memchr(z, 0, nScan) != NULL;
}

/* Unicode code points of Windows-1252 bytes 0x80..0x9F; 0 marks the five
** bytes the code page leaves undefined. Bytes 0xA0..0xFF equal U+00A0..U+00FF. */
static const uint16_t aCp1252High[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, /* 0x80 */
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,      /* 0x88 */
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, /* 0x90 */
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178, /* 0x98 */
};

/* Append the UTF-8 encoding of code point cp (at most U+FFFF here) to pOut. */
static void put_utf8_bmp(Buf *pOut, uint32_t cp) {
  if (cp < 0x80) {
    buf_putc(pOut, (char)cp);
  } else if (cp < 0x800) {
    buf_putc(pOut, (char)(0xC0 | (cp >> 6)));
    buf_putc(pOut, (char)(0x80 | (cp & 0x3F)));
  } else {
    buf_putc(pOut, (char)(0xE0 | (cp >> 12)));
    buf_putc(pOut, (char)(0x80 | ((cp >> 6) & 0x3F)));
    buf_putc(pOut, (char)(0x80 | (cp & 0x3F)));
  }
}

char *text_cp1252_to_utf8_dup(const char *z, size_t n, size_t *pnOut, size_t *piBad) {
  Buf out = BUF_INIT;
  for (size_t i = 0; i < n; i++) {
    unsigned c = (unsigned char)z[i];
    uint32_t cp = c;
    if (c >= 0x80 && c <= 0x9F) {
      cp = aCp1252High[c - 0x80];
      if (cp == 0) {
        buf_reset(&out);
        if (piBad) {
          *piBad = i;
        }
        return NULL;
      }
    }
    put_utf8_bmp(&out, cp);
  }
  if (pnOut) {
    *pnOut = out.n;
  }
  return buf_take(&out);
}

/* True when code point cp counts as white space for folding and trimming:
** ASCII space, tab, LF, VT, FF, CR, and any Unicode space separator (Zs,
** which includes NBSP), line separator (Zl) or paragraph separator (Zp). */
static bool is_space_cp(int32_t cp) {
  if (cp == ' ' || (cp >= '\t' && cp <= '\r')) {
    return true;
  }
  if (cp < 0x80) {
    return false;
  }
  utf8proc_category_t cat = utf8proc_category(cp);
  return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP;
}

/* Normalise the n valid UTF-8 bytes at z with utf8proc (NFKD, marks
** stripped, case folded, default ignorables dropped) and append the result
** to pOut. Panics only when utf8proc reports an error, which for valid
** input means it ran out of memory. */
static void fold_valid_run(Buf *pOut, const char *z, size_t n) {
  utf8proc_uint8_t *zMapped = NULL;
  utf8proc_ssize_t nMapped =
      utf8proc_map((const utf8proc_uint8_t *)z, (utf8proc_ssize_t)n, &zMapped,
                   UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD |
                       UTF8PROC_IGNORE);
  if (nMapped < 0) {
    app_panic(utf8proc_errmsg(nMapped));
  }
  buf_append(pOut, (const char *)zMapped, (size_t)nMapped);
  free(zMapped);
}

/* The fold of each two-byte code point (U+0080..U+07FF), computed once with
** utf8proc: folding is per code point (NFKD decomposes each alone, marks
** are dropped, case folding maps each alone), so caching it gives the same
** result as folding the whole text, several times faster for Spanish. */
#define FOLD_SLOW 255 /* entry too long for the cache: fold with utf8proc */
typedef struct FoldEntry {
  unsigned char n; /* bytes in z, or FOLD_SLOW */
  char z[7];       /* the folded UTF-8 (not NUL-terminated) */
} FoldEntry;
static FoldEntry aFold2[0x800];           /* by code point; read-only after fold_init */
static pthread_once_t foldOnce = PTHREAD_ONCE_INIT; /* guards fold_init */

/* Fill aFold2 (run once, by pthread_once). */
static void fold_init(void) {
  for (int32_t cp = 0x80; cp < 0x800; cp++) {
    char a[2] = {(char)(0xC0 | (cp >> 6)), (char)(0x80 | (cp & 0x3F))};
    Buf b = BUF_INIT;
    fold_valid_run(&b, a, 2);
    if (b.n <= sizeof aFold2[cp].z) {
      aFold2[cp].n = (unsigned char)b.n;
      memcpy(aFold2[cp].z, buf_str(&b), b.n);
    } else {
      aFold2[cp].n = FOLD_SLOW;
    }
    buf_reset(&b);
  }
}

/* Fold pure-ASCII z[0..n) (the common case) without utf8proc: lower case,
** white space runs to one space, none at the ends. Same result as the
** general path for ASCII input, except control characters other than
** white space, which the general path drops: false for those (and for
** any non-ASCII byte), so the caller takes the general path. */
static bool fold_ascii(const char *z, size_t n, char **pzOut) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)z[i];
    if (c >= 0x80 || (c < 0x20 && !(c >= '\t' && c <= '\r')) || c == 0x7f) {
      return false;
    }
  }
  char *zOut = xmalloc(n + 1);
  size_t j = 0;
  bool bPendingSpace = false;
  for (size_t i = 0; i < n; i++) {
    char c = z[i];
    if (c == ' ' || (c >= '\t' && c <= '\r')) {
      bPendingSpace = j > 0;
      continue;
    }
    if (bPendingSpace) {
      zOut[j++] = ' ';
      bPendingSpace = false;
    }
    zOut[j++] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
  }
  zOut[j] = 0;
  *pzOut = zOut;
  return true;
}

char *text_fold_dup(const char *z) {
  if (z == NULL) {
    return xstrdup("");
  }
  size_t n = strlen(z);
  const unsigned char *p = (const unsigned char *)z;
  char *zAscii;
  if (fold_ascii(z, n, &zAscii)) {
    return zAscii;
  }

  /* Pass 1: fold ASCII and two-byte code points through the cache, longer
  ** runs of valid code points through utf8proc; copy invalid bytes. */
  pthread_once(&foldOnce, fold_init);
  Buf mapped = BUF_INIT;
  buf_reserve(&mapped, n + 8);
  size_t iRun = 0;
  bool bRun = false;
  size_t i = 0;
  while (i < n) {
    unsigned char c = p[i];
    if ((c >= 0x20 && c < 0x7f) || (c >= '\t' && c <= '\r')) {
      if (bRun) {
        fold_valid_run(&mapped, z + iRun, i - iRun);
        bRun = false;
      }
      /* room was reserved for the whole input: write directly */
      buf_reserve(&mapped, 8);
      mapped.z[mapped.n++] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : (char)c;
      i++;
      continue;
    }
    int32_t cp;
    size_t nSeq = utf8_seq(p + i, n - i, &cp);
    if (nSeq == 2 && aFold2[cp].n != FOLD_SLOW) {
      if (bRun) {
        fold_valid_run(&mapped, z + iRun, i - iRun);
        bRun = false;
      }
      buf_reserve(&mapped, 8);
      memcpy(mapped.z + mapped.n, aFold2[cp].z, aFold2[cp].n);
      mapped.n += aFold2[cp].n;
      i += 2;
      continue;
    }
    if (nSeq > 0) {
      if (!bRun) {
        iRun = i;
        bRun = true;
      }
      i += nSeq;
      continue;
    }
    if (bRun) {
      fold_valid_run(&mapped, z + iRun, i - iRun);
      bRun = false;
    }
    buf_putc(&mapped, z[i]);
    i++;
  }
  if (bRun) {
    fold_valid_run(&mapped, z + iRun, i - iRun);
  }

  mapped.z[mapped.n] = 0;

  /* Pass 2: collapse white space runs to one space, drop it at both ends.
  ** The output is never longer than the input: written directly. */
  Buf out = BUF_INIT;
  buf_reserve(&out, mapped.n);
  const unsigned char *q = (const unsigned char *)buf_str(&mapped);
  bool bPendingSpace = false;
  i = 0;
  while (i < mapped.n) {
    unsigned char c = q[i];
    if (c < 0x80) {
      if (c == ' ' || (c >= '\t' && c <= '\r')) {
        bPendingSpace = out.n > 0;
      } else {
        if (bPendingSpace) {
          out.z[out.n++] = ' ';
          bPendingSpace = false;
        }
        out.z[out.n++] = (char)c;
      }
      i++;
      continue;
    }
    int32_t cp;
    size_t nSeq = utf8_seq(q + i, mapped.n - i, &cp);
    if (nSeq > 0 && is_space_cp(cp)) {
      bPendingSpace = out.n > 0;
      i += nSeq;
      continue;
    }
    if (nSeq == 0) {
      nSeq = 1;
    }
    if (bPendingSpace) {
      out.z[out.n++] = ' ';
      bPendingSpace = false;
    }
    memcpy(out.z + out.n, q + i, nSeq);
    out.n += nSeq;
    i += nSeq;
  }
  out.z[out.n] = 0;
  buf_reset(&mapped);
  return buf_take(&out);
}

/* Length of the white space (ASCII or NBSP) at z[0], 0 when none. */
static size_t lead_space_len(const char *z, size_t n) {
  if (n >= 1 && (z[0] == ' ' || (z[0] >= '\t' && z[0] <= '\r'))) {
    return 1;
  }
  if (n >= 2 && (unsigned char)z[0] == 0xC2 && (unsigned char)z[1] == 0xA0) {
    return 2;
  }
  return 0;
}

/* Length of the white space (ASCII or NBSP) that ends the n bytes at z, 0 when none. */
static size_t trail_space_len(const char *z, size_t n) {
  if (n >= 1 && (z[n - 1] == ' ' || (z[n - 1] >= '\t' && z[n - 1] <= '\r'))) {
    return 1;
  }
  if (n >= 2 && (unsigned char)z[n - 2] == 0xC2 && (unsigned char)z[n - 1] == 0xA0) {
    return 2;
  }
  return 0;
}

char *text_trim_dup(const char *z) {
  if (z == NULL) {
    return NULL;
  }
  size_t n = strlen(z);
  size_t nSkip;
  while ((nSkip = lead_space_len(z, n)) > 0) {
    z += nSkip;
    n -= nSkip;
  }
  while ((nSkip = trail_space_len(z, n)) > 0) {
    n -= nSkip;
  }
  return xstrndup(z, n);
}

/* Byte length of the first nCp code points of the n bytes at z (invalid
** bytes count as one code point each); stops early at the end of z. */
static size_t bytes_for_cps(const char *z, size_t n, size_t nCp) {
  const unsigned char *p = (const unsigned char *)z;
  size_t i = 0;
  for (size_t k = 0; k < nCp && i < n; k++) {
    int32_t cp;
    size_t nSeq = utf8_seq(p + i, n - i, &cp);
    i += nSeq > 0 ? nSeq : 1;
  }
  return i;
}

size_t text_width(const char *z) {
  if (z == NULL) {
    return 0;
  }
  const unsigned char *p = (const unsigned char *)z;
  size_t n = strlen(z);
  size_t nCp = 0;
  size_t i = 0;
  while (i < n) {
    int32_t cp;
    size_t nSeq = utf8_seq(p + i, n - i, &cp);
    i += nSeq > 0 ? nSeq : 1;
    nCp++;
  }
  return nCp;
}

char *text_ellipsize_dup(const char *z, size_t nMax) {
  if (z == NULL) {
    z = "";
  }
  if (text_width(z) <= nMax) {
    return xstrdup(z);
  }
  if (nMax == 0) {
    return xstrdup("");
  }
  size_t n = strlen(z);
  size_t nKeep = bytes_for_cps(z, n, nMax - 1);
  /* Do not leave a space dangling before the ellipsis. */
  while (nKeep > 0 && z[nKeep - 1] == ' ') {
    nKeep--;
  }
  Buf out = BUF_INIT;
  buf_append(&out, z, nKeep);
  buf_puts(&out, "\xE2\x80\xA6");
  return buf_take(&out);
}

bool text_is_email(const char *z) {
  size_t n = strlen(z);
  const char *zAt = strchr(z, '@');
  if (n > TEXT_EMAIL_MAX || zAt == NULL || zAt == z || zAt - z > 64 || strchr(zAt + 1, '@')) {
    return false;
  }
  for (const unsigned char *c = (const unsigned char *)z; c < (const unsigned char *)zAt; c++) {
    if (*c <= ' ' || *c == 0x7f || *c == '"' || *c == ',' || *c == '<' || *c == '>') {
      return false;
    }
  }
  const char *zDom = zAt + 1;
  if (zDom[0] == 0 || zDom[0] == '.' || z[n - 1] == '.' || strchr(zDom, '.') == NULL ||
      strstr(zDom, "..") != NULL) {
    return false;
  }
  for (const unsigned char *c = (const unsigned char *)zDom; *c; c++) {
    bool bOk = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
               *c == '-' || *c == '.' || *c >= 0x80;
    if (!bOk) {
      return false;
    }
  }
  return true;
}

bool text_parse_id(const char *z, int64_t iMax, int64_t *pN) {
  if (z == NULL || z[0] == 0) {
    return false;
  }
  int64_t v = 0;
  size_t i = 0;
  for (; z[i]; i++) {
    if (i >= 15 || z[i] < '0' || z[i] > '9') {
      return false;
    }
    v = v * 10 + (z[i] - '0');
  }
  if (v < 1 || v > iMax) {
    return false;
  }
  *pN = v;
  return true;
}
