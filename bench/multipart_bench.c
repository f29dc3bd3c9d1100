/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Benchmark of the multipart/form-data parser (src/web/multipart.c): a body
** as Chromium sends it for the progress form (csrf, periodo, valor, nota,
** and an evidence file of BENCH_MB megabytes, default 10, of pseudo-random
** bytes with CR, LF and "--" sprinkled in), parsed N times (default 20).
** Beside it, the reference measured in the same run on the same buffer: one
** memmem() pass looking for the delimiter, the least any parser must do.
** Prints one line; the best run of each side counts.
**
** Usage: multipart-bench [N]   (environment: BENCH_MB)
*/
#define _GNU_SOURCE /* memmem */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/util.h"
#include "web/multipart.h"

#define BOUNDARY "----WebKitFormBoundary7MA4YWxkTrZu0gW"

/* Results are added here so that no measured work can be optimised away. */
static volatile size_t g_nSink;

/* Seconds on the monotonic clock. */
static double now_sec(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Append nFile bytes of file content: xorshift noise, with a CRLF every
** ~80 bytes and a "--" now and then, so that the delimiter search meets its
** first bytes often, as it does in PDFs and text. */
static void put_content(Buf *pOut, size_t nFile) {
  uint64_t x = 0x9E3779B97F4A7C15u;
  buf_reserve(pOut, nFile);
  for (size_t i = 0; i < nFile; i++) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    char c = (char)(x & 0xFF);
    if (i % 80 == 78) {
      c = '\r';
    } else if (i % 80 == 79) {
      c = '\n';
    } else if (i % 1000 < 2) {
      c = '-';
    }
    buf_putc(pOut, c);
  }
}

/* The whole request body. */
static void make_body(Buf *pOut, size_t nFile) {
  static const char *const azField[] = {
      "csrf", "tok-0123456789abcdef",       "periodo", "T2", "valor", "12,5",
      "nota", "Audiencia pública realizada"};
  for (int i = 0; i < 8; i += 2) {
    buf_appendf(pOut, "--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n", BOUNDARY,
                azField[i], azField[i + 1]);
  }
  buf_appendf(pOut,
              "--%s\r\nContent-Disposition: form-data; name=\"evidencia\"; "
              "filename=\"acta.pdf\"\r\nContent-Type: application/pdf\r\n\r\n",
              BOUNDARY);
  put_content(pOut, nFile);
  buf_appendf(pOut, "\r\n--%s--\r\n", BOUNDARY);
}

int main(int argc, char **argv) {
  int nRun = argc > 1 ? atoi(argv[1]) : 20;
  const char *zMb = getenv("BENCH_MB");
  size_t nMb = zMb ? (size_t)atol(zMb) : 10;
  if (nRun < 1 || nMb < 1) {
    fprintf(stderr, "uso: multipart-bench [N] (BENCH_MB=megabytes)\n");
    return 2;
  }
  Buf body = BUF_INIT;
  make_body(&body, nMb * 1024 * 1024);
  const char *zDelim = "\r\n--" BOUNDARY;
  size_t nDelim = strlen(zDelim);
  double rBestParse = 1e9, rBestRef = 1e9;
  size_t nCheck = 0;
  for (int i = 0; i < nRun; i++) {
    double t0 = now_sec();
    Multipart m;
    char *zErr = NULL;
    if (!multipart_parse("multipart/form-data; boundary=" BOUNDARY, body.z, body.n, &m, &zErr)) {
      fprintf(stderr, "multipart-bench: %s\n", zErr);
      return 1;
    }
    nCheck += m.aPart[4].nData;
    multipart_reset(&m);
    double t1 = now_sec();
    /* reference: every occurrence of the delimiter, one memmem pass */
    const char *p = body.z, *pEnd = body.z + body.n;
    while ((p = memmem(p, (size_t)(pEnd - p), zDelim, nDelim)) != NULL) {
      nCheck++;
      p += nDelim;
    }
    double t2 = now_sec();
    rBestParse = t1 - t0 < rBestParse ? t1 - t0 : rBestParse;
    rBestRef = t2 - t1 < rBestRef ? t2 - t1 : rBestRef;
  }
  double rMb = (double)body.n / (1024.0 * 1024.0);
  printf("bench: multipart, cuerpo de %.1f MB (mejor de %d): participa %.2f ms (%.0f MB/s) | "
         "referencia memmem del límite %.2f ms (%.0f MB/s) | razón %.2fx\n",
         rMb, nRun, rBestParse * 1e3, rMb / rBestParse, rBestRef * 1e3, rMb / rBestRef,
         rBestParse / rBestRef);
  g_nSink = nCheck;
  buf_reset(&body);
  return 0;
}
