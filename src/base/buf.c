/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Growable byte strings (see buf.h).
*/
#include "base/buf.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(Buf *p) {
  p->z = NULL;
  p->n = 0;
  p->nAlloc = 0;
}

void buf_reset(Buf *p) {
  free(p->z);
  buf_init(p);
}

void buf_clear(Buf *p) {
  p->n = 0;
  if (p->z) {
    p->z[0] = 0;
  }
}

void buf_reserve(Buf *p, size_t n) {
  if (p->n + n + 1 <= p->nAlloc) {
    return;
  }
  size_t nNew = p->nAlloc ? p->nAlloc * 2 : 64;
  while (nNew < p->n + n + 1) {
    nNew *= 2;
  }
  p->z = xrealloc(p->z, nNew);
  p->nAlloc = nNew;
  p->z[p->n] = 0;
}

void buf_append(Buf *p, const char *z, size_t n) {
  buf_reserve(p, n);
  if (n) {
    memcpy(p->z + p->n, z, n);
  }
  p->n += n;
  p->z[p->n] = 0;
}

void buf_puts(Buf *p, const char *z) {
  if (z) {
    buf_append(p, z, strlen(z));
  }
}

void buf_putc(Buf *p, char c) {
  buf_reserve(p, 1);
  p->z[p->n++] = c;
  p->z[p->n] = 0;
}

void buf_vappendf(Buf *p, const char *zFmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  char aTmp[256];
  int n = vsnprintf(aTmp, sizeof aTmp, zFmt, ap2);
  va_end(ap2);
  if (n < 0) {
    app_panic("vsnprintf failed");
  }
  if ((size_t)n < sizeof aTmp) {
    buf_append(p, aTmp, (size_t)n);
    return;
  }
  buf_reserve(p, (size_t)n);
  vsnprintf(p->z + p->n, (size_t)n + 1, zFmt, ap);
  p->n += (size_t)n;
}

void buf_appendf(Buf *p, const char *zFmt, ...) {
  va_list ap;
  va_start(ap, zFmt);
  buf_vappendf(p, zFmt, ap);
  va_end(ap);
}

const char *buf_str(const Buf *p) {
  return p->z ? p->z : "";
}

char *buf_take(Buf *p) {
  char *z = p->z ? p->z : xstrdup("");
  buf_init(p);
  return z;
}

void buf_rtrim(Buf *p) {
  while (p->n > 0 && (p->z[p->n - 1] == ' ' || p->z[p->n - 1] == '\t' ||
                      p->z[p->n - 1] == '\n' || p->z[p->n - 1] == '\r')) {
    p->n--;
  }
  if (p->z) {
    p->z[p->n] = 0;
  }
}

void buf_put_int(Buf *p, long long v) {
  char a[24];
  int n = 0;
  unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
  do {
    a[n++] = (char)('0' + u % 10);
    u /= 10;
  } while (u > 0);
  if (v < 0) {
    a[n++] = '-';
  }
  buf_reserve(p, (size_t)n);
  while (n > 0) {
    p->z[p->n++] = a[--n];
  }
  p->z[p->n] = 0;
}

void buf_put_fixed(Buf *p, double v, int nDecimals) {
  static const double aScale[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
  if (nDecimals < 0 || nDecimals > 9 || !(v > -1e15 && v < 1e15)) {
    buf_appendf(p, "%.*f", nDecimals < 0 ? 0 : nDecimals, v);
    return;
  }
  bool bNeg = v < 0;
  double a = (bNeg ? -v : v) * aScale[nDecimals] + 0.5;
  if (a >= 9e18) {
    buf_appendf(p, "%.*f", nDecimals, v);
    return;
  }
  unsigned long long u = (unsigned long long)a;
  unsigned long long scale = (unsigned long long)aScale[nDecimals];
  unsigned long long whole = u / scale, frac = u % scale;
  if (bNeg && u != 0) {
    buf_putc(p, '-');
  }
  buf_put_int(p, (long long)whole);
  if (nDecimals > 0) {
    char z[10];
    for (int i = nDecimals - 1; i >= 0; i--) {
      z[i] = (char)('0' + frac % 10);
      frac /= 10;
    }
    buf_putc(p, '.');
    buf_append(p, z, (size_t)nDecimals);
  }
}
