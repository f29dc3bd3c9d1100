/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** A hostile HTTP client for tests/hardening/run: loopback only, bounded in
** count and time. Each mode plays one kind of abuse against
** 127.0.0.1:PORT and prints one line of figures:
**
**   hostile PORT params N            N requests "GET /?a=1&a=1&..." (4,000 fields)
**   hostile PORT slow N FROM SEC     N connections from address FROM sending
**                                    one header line every 5 s for SEC seconds;
**                                    prints how many were refused or cut
**   hostile PORT probe FROM PATH     one GET from FROM: status and milliseconds
**   hostile PORT upload N SIZE PATH SEC
**                                    N POSTs (from 127.0.0.2..) announcing SIZE
**                                    bytes and sending SIZE-1, then holding SEC s
**   hostile PORT readers N PATH SEC  N GETs (from 127.0.0.2..) that read 4 KiB,
**                                    then hold SEC s without reading more
**
** Not part of the product.
*/
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int g_iPort; /* the server's port */

/* Milliseconds on the monotonic clock. */
static long long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Connect from zFrom to 127.0.0.1:g_iPort; -1 when refused. */
static int dial(const char *zFrom) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    perror("socket");
    exit(1);
  }
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  inet_pton(AF_INET, zFrom, &a.sin_addr);
  if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0) {
    perror("bind");
    exit(1);
  }
  a.sin_port = htons((uint16_t)g_iPort);
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  struct timeval tv = {10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

/* Send n bytes; false when the peer is gone. */
static bool send_all(int fd, const char *z, size_t n) {
  while (n > 0) {
    ssize_t k = send(fd, z, n, MSG_NOSIGNAL);
    if (k <= 0) {
      return false;
    }
    z += k;
    n -= (size_t)k;
  }
  return true;
}

/* True when the server closed fd (EOF or reset), without blocking. */
static bool closed(int fd) {
  char c;
  ssize_t k = recv(fd, &c, 1, MSG_DONTWAIT);
  return k == 0 || (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

/* The n-th spread source address, 127.0.0.2 to 127.0.0.201. */
static const char *spread(int i, char z[32]) {
  snprintf(z, 32, "127.0.0.%d", 2 + i % 200);
  return z;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "uso: hostile PUERTO params|slow|probe|upload|readers ...\n");
    return 2;
  }
  g_iPort = atoi(argv[1]);
  const char *zMode = argv[2];
  char zFrom[32];
  if (strcmp(zMode, "params") == 0) {
    int n = atoi(argv[3]);
    size_t nReq = 0;
    char *zReq = malloc(4000 * 4 + 128);
    nReq += (size_t)sprintf(zReq, "GET /?");
    for (int i = 0; i < 4000; i++) {
      nReq += (size_t)sprintf(zReq + nReq, "a=1&");
    }
    nReq += (size_t)sprintf(zReq + nReq, "a=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    int nDone = 0;
    for (int i = 0; i < n; i++) {
      int fd = dial(spread(i, zFrom));
      if (fd < 0) {
        continue;
      }
      send_all(fd, zReq, nReq);
      char a[4096];
      while (recv(fd, a, sizeof a, 0) > 0) {
      }
      close(fd);
      nDone++;
    }
    free(zReq);
    printf("params: %d solicitudes enviadas\n", nDone);
    return 0;
  }
  if (strcmp(zMode, "slow") == 0 && argc >= 6) {
    int n = atoi(argv[3]);
    int nSec = atoi(argv[5]);
    int *aFd = calloc((size_t)n, sizeof *aFd);
    int nRefused = 0;
    for (int i = 0; i < n; i++) {
      aFd[i] = dial(argv[4]);
      if (aFd[i] < 0 || !send_all(aFd[i], "GET / HTTP/1.1\r\n", 16)) {
        nRefused++;
        if (aFd[i] >= 0) {
          close(aFd[i]);
        }
        aFd[i] = -1;
      }
    }
    long long tEnd = now_ms() + nSec * 1000LL;
    while (now_ms() < tEnd) {
      sleep(5);
      for (int i = 0; i < n; i++) {
        if (aFd[i] >= 0 && (closed(aFd[i]) || !send_all(aFd[i], "X-a: 1\r\n", 8))) {
          close(aFd[i]);
          aFd[i] = -1;
          nRefused++;
        }
      }
    }
    int nOpen = 0;
    for (int i = 0; i < n; i++) {
      if (aFd[i] >= 0) {
        nOpen++;
        close(aFd[i]);
      }
    }
    free(aFd);
    printf("slow: %d conexiones, %d rechazadas o cortadas, %d abiertas al final\n", n, nRefused,
           nOpen);
    return 0;
  }
  if (strcmp(zMode, "probe") == 0 && argc >= 5) {
    long long t0 = now_ms();
    int fd = dial(argv[3]);
    int iStatus = 0;
    if (fd >= 0) {
      char zReq[512];
      int nReq = snprintf(zReq, sizeof zReq,
                          "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", argv[4]);
      send_all(fd, zReq, (size_t)nReq);
      char a[16] = "";
      if (recv(fd, a, 12, MSG_WAITALL) == 12) {
        iStatus = atoi(a + 9);
      }
      close(fd);
    }
    printf("%d %lld\n", iStatus, now_ms() - t0);
    return iStatus == 200 ? 0 : 1;
  }
  if ((strcmp(zMode, "upload") == 0 && argc >= 7) || (strcmp(zMode, "readers") == 0 && argc >= 6)) {
    bool bUpload = zMode[0] == 'u';
    int n = atoi(argv[3]);
    size_t nSize = bUpload ? (size_t)atoll(argv[4]) : 0;
    const char *zPath = argv[bUpload ? 5 : 4];
    int nSec = atoi(argv[bUpload ? 6 : 5]);
    int *aFd = calloc((size_t)n, sizeof *aFd);
    char *zChunk = calloc(1, 65536);
    memset(zChunk, 'x', 65536);
    int nOk = 0;
    for (int i = 0; i < n; i++) {
      aFd[i] = dial(spread(i, zFrom));
      if (aFd[i] < 0) {
        continue;
      }
      char zHead[512];
      int nHead =
          bUpload ? snprintf(zHead, sizeof zHead,
                             "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; "
                             "boundary=XyZ\r\nContent-Length: %zu\r\n\r\n",
                             zPath, nSize)
                  : snprintf(zHead, sizeof zHead, "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", zPath);
      bool bOk = send_all(aFd[i], zHead, (size_t)nHead);
      for (size_t nLeft = bUpload ? nSize - 1 : 0; bOk && nLeft > 0;) {
        size_t k = nLeft < 65536 ? nLeft : 65536;
        bOk = send_all(aFd[i], zChunk, k);
        nLeft -= k;
      }
      if (!bUpload && bOk) {
        bOk = recv(aFd[i], zChunk, 4096, MSG_WAITALL) == 4096;
      }
      nOk += bOk;
    }
    printf("%s: %d de %d en curso\n", zMode, nOk, n);
    fflush(stdout);
    sleep((unsigned)nSec);
    for (int i = 0; i < n; i++) {
      if (aFd[i] >= 0) {
        close(aFd[i]);
      }
    }
    free(aFd);
    free(zChunk);
    return 0;
  }
  fprintf(stderr, "hostile: modo o argumentos no válidos\n");
  return 2;
}
