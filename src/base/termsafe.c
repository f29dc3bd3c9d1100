/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Terminal-safe stdout and stderr (see termsafe.h). Each filtered stream is
** a fopencookie FILE whose write function escapes the bytes stdio hands it
** and writes the result with write(2) to the original descriptor. A UTF-8
** sequence cut at the end of one write is kept in the stream's carry and
** completed by the next; an atexit handler flushes the streams and writes
** whatever is still carried.
*/
#define _GNU_SOURCE /* fopencookie */
#include "base/termsafe.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/text.h"

/* One filtered stream. Its members are only touched by the stream's write
** function, which stdio calls with the FILE locked, and by the atexit
** handler. */
typedef struct TermsafeStream {
  int fd;                  /* descriptor the escaped bytes go to */
  FILE *pFile;             /* the filter stream; NULL when not installed */
  unsigned char aCarry[4]; /* start of a UTF-8 sequence cut by the last write */
  size_t nCarry;           /* bytes in aCarry (0..3) */
} TermsafeStream;

static TermsafeStream aStream[2] = {{1, NULL, {0}, 0}, {2, NULL, {0}, 0}}; /* stdout, stderr */

/* Append "\xHH" for byte c to pOut. */
static void put_byte_escape(Buf *pOut, unsigned char c) {
  static const char azHex[] = "0123456789abcdef";
  char a[4] = {'\\', 'x', azHex[c >> 4], azHex[c & 15]};
  buf_append(pOut, a, sizeof a);
}

size_t termsafe_escape(Buf *pOut, const char *z, size_t n, bool bFinal) {
  const unsigned char *u = (const unsigned char *)z;
  size_t i = 0;
  while (i < n) {
    size_t iRun = i;
    while (i < n && ((u[i] >= 0x20 && u[i] < 0x7F) || u[i] == '\n' || u[i] == '\t')) {
      i++;
    }
    if (i > iRun) {
      buf_append(pOut, z + iRun, i - iRun);
    }
    if (i == n) {
      break;
    }
    if (u[i] < 0x80) {
      put_byte_escape(pOut, u[i]);
      i++;
      continue;
    }
    uint32_t cp;
    size_t nSeq = text_utf8_decode(u + i, n - i, &cp);
    if (cp == TEXT_UTF8_BAD) {
      if (!bFinal && nSeq == n - i && u[i] >= 0xC2 && u[i] <= 0xF4) {
        break; /* cut by the end of this write: wait for the rest */
      }
      for (size_t k = 0; k < nSeq; k++) {
        put_byte_escape(pOut, u[i + k]);
      }
    } else if (cp <= 0x9F || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
      /* C1 controls, and the bidirectional overrides and isolates, which
      ** reorder what the terminal shows */
      buf_appendf(pOut, "\\u%04x", (unsigned)cp);
    } else {
      buf_append(pOut, z + i, nSeq);
    }
    i += nSeq;
  }
  return i;
}

bool termsafe_machine_output(int argc, char **argv) {
  static const char *const azMachine[] = {"csv", "json", "xlsx"};
  for (int i = 1; i < argc; i++) {
    const char *zValue = NULL;
    if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
      zValue = argv[i + 1];
    } else if (strncmp(argv[i], "--format=", 9) == 0) {
      zValue = argv[i] + 9;
    }
    for (size_t k = 0; zValue && k < sizeof azMachine / sizeof azMachine[0]; k++) {
      if (strcmp(zValue, azMachine[k]) == 0) {
        return true;
      }
    }
  }
  return false;
}

/* Write the n bytes at z to fd, all of them. Returns false on an error. */
static bool write_all(int fd, const char *z, size_t n) {
  while (n > 0) {
    ssize_t nDone = write(fd, z, n);
    if (nDone < 0) {
      if (errno == EINTR) {
        continue;
      }
      return false;
    }
    z += nDone;
    n -= (size_t)nDone;
  }
  return true;
}

/* Escape and write the carried bytes followed by the n bytes at z. When
** bFinal is false a UTF-8 sequence cut at the end is carried again (see
** termsafe_escape); when true nothing is carried. Returns false when the
** write failed. */
static bool stream_put(TermsafeStream *pS, const char *z, size_t n, bool bFinal) {
  Buf in = BUF_INIT, out = BUF_INIT;
  buf_append(&in, (const char *)pS->aCarry, pS->nCarry);
  buf_append(&in, z, n);
  size_t nUsed = termsafe_escape(&out, buf_str(&in), in.n, bFinal);
  pS->nCarry = in.n - nUsed;
  memcpy(pS->aCarry, in.z + nUsed, pS->nCarry);
  bool bOk = write_all(pS->fd, buf_str(&out), out.n);
  buf_reset(&in);
  buf_reset(&out);
  return bOk;
}

/* fopencookie write function: escape the bytes and write them. Returns n,
** or -1 (errno set by write) on failure. */
static ssize_t cookie_write(void *pCookie, const char *z, size_t n) {
  if (!stream_put(pCookie, z, n, false)) {
    return -1;
  }
  return (ssize_t)n;
}

/* atexit handler: flush the filters, then write any carried bytes. */
static void termsafe_finish(void) {
  for (size_t i = 0; i < sizeof aStream / sizeof aStream[0]; i++) {
    TermsafeStream *pS = &aStream[i];
    if (pS->pFile) {
      fflush(pS->pFile);
      if (pS->nCarry) {
        (void)stream_put(pS, "", 0, true);
      }
    }
  }
}

/* Open the filter for pS, buffered with mode iMode. NULL on failure. */
static FILE *stream_open(TermsafeStream *pS, int iMode) {
  cookie_io_functions_t io = {NULL, cookie_write, NULL, NULL};
  FILE *p = fopencookie(pS, "w", io);
  if (p) {
    setvbuf(p, NULL, iMode, iMode == _IONBF ? 0 : BUFSIZ);
  }
  return p;
}

bool termsafe_install(bool bStdoutRaw) {
  bool bTty = isatty(1) != 0;
  fflush(stdout);
  fflush(stderr);
  if (!bStdoutRaw || bTty) {
    FILE *p = stream_open(&aStream[0], bTty ? _IOLBF : _IOFBF);
    if (p == NULL) {
      return false;
    }
    aStream[0].pFile = p;
    stdout = p;
  }
  FILE *p = stream_open(&aStream[1], _IONBF);
  if (p == NULL) {
    return false;
  }
  aStream[1].pFile = p;
  stderr = p;
  atexit(termsafe_finish);
  return true;
}
