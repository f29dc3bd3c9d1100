/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Buf: the one growable byte string every module builds text with. The
** content is always NUL-terminated after any append, so buf_str() can be
** handed to C string functions. A zeroed Buf (BUF_INIT) is empty and valid.
** Pass Bufs by pointer; buf_reset() frees, buf_clear() keeps the memory.
*/
#ifndef PARTICIPA_BASE_BUF_H
#define PARTICIPA_BASE_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "base/util.h"

typedef struct Buf {
  char *z;       /* content, NUL-terminated when nAlloc > 0; NULL when never grown */
  size_t n;      /* bytes used, not counting the NUL */
  size_t nAlloc; /* bytes allocated */
} Buf;

#define BUF_INIT {NULL, 0, 0}

/* Make p an empty buffer (does not free: use on uninitialised memory). */
void buf_init(Buf *p);
/* Free the content and leave p empty and reusable. */
void buf_reset(Buf *p);
/* Empty the content but keep the allocation. */
void buf_clear(Buf *p);
/* Make room for at least n more bytes plus a NUL. */
void buf_reserve(Buf *p, size_t n);
/* Append n bytes of z (which need not be NUL-terminated). */
void buf_append(Buf *p, const char *z, size_t n);
/* Append a NUL-terminated string (NULL appends nothing). */
void buf_puts(Buf *p, const char *z);
/* Append one byte. */
void buf_putc(Buf *p, char c);
/* Append printf-formatted text. */
void buf_appendf(Buf *p, const char *zFmt, ...) PRINTF_LIKE(2, 3);
/* Append vprintf-formatted text. */
void buf_vappendf(Buf *p, const char *zFmt, va_list ap);
/* Append the integer v in decimal. */
void buf_put_int(Buf *p, long long v);
/* Append v with exactly nDecimals decimals (0..9), rounded half away from
** zero, "." as decimal point; falls back to printf for |v| >= 1e15 or NaN. */
void buf_put_fixed(Buf *p, double v, int nDecimals);
/* The content as a C string; "" when empty. Borrowed: valid until the next change. */
const char *buf_str(const Buf *p);
/* Hand over the content as a malloc'd C string (never NULL) and leave p empty. */
char *buf_take(Buf *p);
/* Drop trailing ASCII whitespace. */
void buf_rtrim(Buf *p);

#endif
