/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** A tiny HTTP/1.1 client for the tests that speak to a real server on
** 127.0.0.1: one request per connection ("Connection: close"), the whole
** response read to EOF. Failures fail the running Criterion test. Not part
** of the product.
*/
#ifndef PARTICIPA_TESTS_HTTPC_H
#define PARTICIPA_TESTS_HTTPC_H

#include <stddef.h>

/* A response read to EOF. */
typedef struct Resp {
  char *zRaw;        /* everything received (owned) */
  size_t nRaw;       /* its length */
  char *zStatus;     /* status line without CRLF (owned) */
  int iStatus;       /* status code */
  char *zHead;       /* header block after the status line, with CRLFs (owned) */
  const char *zBody; /* body (points into zRaw) */
  size_t nBody;      /* body length */
} Resp;

/* Connect to 127.0.0.1:iPort with a 5 s receive timeout; the socket. */
int connect_to(int iPort);
/* Send n bytes at z on fd (ignoring a peer that already closed). */
void send_all(int fd, const char *z, size_t n);
/* Read fd to EOF and split the response; closes fd. */
Resp read_resp(int fd);
/* Send the raw request zReq and read the whole response. */
Resp http_raw(int iPort, const char *zReq, size_t nReq);
/* "zMethod zTarget HTTP/1.1" with Host, Connection: close, the extra
** header lines zExtra ("" or lines ending in CRLF) and the body zBody. */
Resp http(int iPort, const char *zMethod, const char *zTarget, const char *zExtra,
          const char *zBody);
/* GET zTarget. */
Resp http_get(int iPort, const char *zTarget);
/* POST the form zBody to zTarget. */
Resp http_post(int iPort, const char *zTarget, const char *zBody);
/* The value of header zName in p (first one, case-insensitive name), or
** NULL. Caller frees. */
char *resp_header(const Resp *p, const char *zName);
/* Free what p holds. */
void resp_free(Resp *p);

#endif
