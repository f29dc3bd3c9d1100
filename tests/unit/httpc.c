/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The tests' HTTP client (see httpc.h).
*/
#include "httpc.h"

#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/util.h"

/* Connect to 127.0.0.1:iPort with a 5 s receive timeout; the socket. */
int connect_to(int iPort) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  cr_assert_geq(fd, 0);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)iPort);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  cr_assert_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
  struct timeval tv = {5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

/* Send n bytes at z on fd (ignoring a peer that already closed). */
void send_all(int fd, const char *z, size_t n) {
  while (n > 0) {
    ssize_t k = send(fd, z, n, MSG_NOSIGNAL);
    if (k <= 0) {
      return;
    }
    z += k;
    n -= (size_t)k;
  }
}

/* Read fd to EOF and split the response; closes fd. */
Resp read_resp(int fd) {
  Buf b = BUF_INIT;
  char aChunk[4096];
  ssize_t k;
  while ((k = recv(fd, aChunk, sizeof aChunk, 0)) > 0) {
    buf_append(&b, aChunk, (size_t)k);
  }
  close(fd);
  Resp p;
  memset(&p, 0, sizeof p);
  p.nRaw = b.n;
  p.zRaw = buf_take(&b);
  const char *zEnd = strstr(p.zRaw, "\r\n\r\n");
  cr_assert_not_null(zEnd, "incomplete response: [%s]", p.zRaw);
  const char *zEol = strstr(p.zRaw, "\r\n");
  p.zStatus = xstrndup(p.zRaw, (size_t)(zEol - p.zRaw));
  p.iStatus = atoi(p.zStatus + 9);
  p.zHead = xstrndup(zEol, (size_t)(zEnd - zEol) + 2);
  p.zBody = zEnd + 4;
  p.nBody = p.nRaw - (size_t)(p.zBody - p.zRaw);
  return p;
}

/* Send the raw request zReq and read the whole response. */
Resp http_raw(int iPort, const char *zReq, size_t nReq) {
  int fd = connect_to(iPort);
  send_all(fd, zReq, nReq);
  return read_resp(fd);
}

/* "zMethod zTarget HTTP/1.1" with Host, Connection: close, the extra
** header lines zExtra ("" or lines ending in CRLF) and the body zBody. */
Resp http(int iPort, const char *zMethod, const char *zTarget, const char *zExtra,
                 const char *zBody) {
  Buf b = BUF_INIT;
  buf_appendf(&b, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s", zMethod, zTarget,
              zExtra);
  if (zBody != NULL) {
    buf_appendf(&b, "Content-Length: %zu\r\n", strlen(zBody));
  }
  buf_puts(&b, "\r\n");
  buf_puts(&b, zBody);
  Resp p = http_raw(iPort, b.z, b.n);
  buf_reset(&b);
  return p;
}

/* GET zTarget. */
Resp http_get(int iPort, const char *zTarget) {
  return http(iPort, "GET", zTarget, "", NULL);
}

/* POST the form zBody to zTarget. */
Resp http_post(int iPort, const char *zTarget, const char *zBody) {
  return http(iPort, "POST", zTarget, "Content-Type: application/x-www-form-urlencoded\r\n", zBody);
}

/* The value of header zName in p (first one, case-insensitive name), or
** NULL. Caller frees. */
char *resp_header(const Resp *p, const char *zName) {
  size_t nName = strlen(zName);
  for (const char *z = p->zHead; (z = strstr(z, "\r\n")) != NULL;) {
    z += 2;
    if (strncasecmp(z, zName, nName) == 0 && z[nName] == ':') {
      const char *zValue = z + nName + 1;
      while (*zValue == ' ') {
        zValue++;
      }
      return xstrndup(zValue, (size_t)(strstr(zValue, "\r\n") - zValue));
    }
  }
  return NULL;
}


void resp_free(Resp *p) {
  free(p->zRaw);
  free(p->zStatus);
  free(p->zHead);
  memset(p, 0, sizeof *p);
}
