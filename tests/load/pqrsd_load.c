/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Load client for the public PQRSD form: C connections (threads) file
** submissions as fast as the server acknowledges them for a given time, and
** every acknowledged radicado is recorded. Used by tests/load/durability and
** bench/run. Not part of the product.
**
** Each connection, whenever it (re)connects: GET /pqrsd to obtain the
** public double-submit CSRF token (cookie participa_csrf, hidden field
** csrf; src/web/web.c), then POST /pqrsd in a loop on the same HTTP/1.1
** connection (keep-alive; when the server closes it, a new connection and
** a new GET follow). A submission is acknowledged when the answer is 200
** and its body shows a radicado "YYYY-PQRSD-NNNNNN" (the receipt page of
** src/pqrsd/pqrsd_web.c): the server sends it only after the durable
** COMMIT. Any other answer, a refused connection or a connection dropped
** before the whole answer arrived is counted as an error (and retried on
** a new connection), so the client survives the server being killed and
** restarted under it.
**
** The submission is an anonymous suggestion with fixed text, sent as
** multipart/form-data as a browser sends the form (which has a file field).
** The server's per-address rate limit must be off (setting
** pqrsd.limite_hora = 0), or most submissions get 429.
**
** Output: a summary line on standard error (with the fewest and the most
** acknowledged on one connection: a wide spread means the server's threads
** did not share the connections out evenly) and, on standard output, one
** machine-readable line
**   ok=N err=N secs=S rps=R p50=MS p90=MS p99=MS max=MS
** (latencies of acknowledged submissions, milliseconds). With -o FILE the
** acknowledged radicados are written there, one per line, in no order.
** With -v the first few unexpected answers are shown. SIGINT or SIGTERM ends
** the run early, with the same output (the answers in flight are still
** awaited).
**
** Usage: pqrsd-load [-c CONNECTIONS] [-d SECONDS] [-o FILE] [-v] http://HOST:PORT
** (defaults: 64 connections, 10 seconds)
*/
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define RADICADO_LEN 17        /* "2021-PQRSD-000123" */
#define MAX_CONN     1024      /* most connections */
#define MAX_RESPONSE (4 << 20) /* a longer answer is an error */
#define BOUNDARY     "----pqrsdload7MA4YWxkTrZu0gW"

/* The form fields of the submission, after csrf, as the public form of
** src/pqrsd/pqrsd_web.c names them. The honeypot field is left out: an
** empty one is the same as none. */
static const struct {
  const char *zName;  /* field name */
  const char *zValue; /* its value */
} aField[] = {
    {"tipo", "sugerencia"},
    {"asunto", "Prueba de carga: sugerencia anónima"},
    {"texto", "Sugerimos ampliar el horario de atención al público en la sede principal los "
              "sábados, para quienes trabajan entre semana. Texto de prueba de carga."},
    {"identificacion", "anonima"},
};
#define N_FIELD ((int)(sizeof aField / sizeof aField[0]))

/* What every connection thread reads. Set before the threads start. */
static struct {
  char zHost[256];              /* host as given in the URL */
  char zPort[16];               /* port as text */
  struct sockaddr_storage addr; /* resolved address */
  socklen_t nAddr;              /* its length */
  double tEnd;                  /* monotonic time at which to stop submitting */
  bool bVerbose;                /* print the first error answers */
} g;

static atomic_int g_nShown;           /* error answers printed so far (-v) */
static volatile sig_atomic_t g_bStop; /* SIGINT or SIGTERM came: finish now */

/* SIGINT, SIGTERM: stop submitting, then report as at the end of the time. */
static void on_stop(int iSig) {
  (void)iSig;
  g_bStop = 1;
}

/* True while the connections should go on submitting. */
static bool running(void);

/* One connection's counters and findings. */
typedef struct Worker {
  pthread_t thread;               /* the thread */
  long nOk;                       /* acknowledged submissions */
  long nErr;                      /* failed ones (any cause) */
  long nConnect;                  /* connections opened */
  double *aLat;                   /* latency of each acknowledged submission, ms */
  char (*aRad)[RADICADO_LEN + 1]; /* radicado of each, parallel to aLat */
  long nAlloc;                    /* room in aLat and aRad */
} Worker;

/* A growable byte buffer (this client links nothing of participa). */
typedef struct Bytes {
  char *z;       /* content, NUL-terminated */
  size_t n;      /* bytes used */
  size_t nAlloc; /* bytes allocated */
} Bytes;

static void *xrealloc_or_die(void *p, size_t n) {
  void *q = realloc(p, n);
  if (q == NULL) {
    fprintf(stderr, "pqrsd-load: sin memoria\n");
    exit(1);
  }
  return q;
}

static void bytes_add(Bytes *b, const char *z, size_t n) {
  if (b->n + n + 1 > b->nAlloc) {
    b->nAlloc = (b->n + n + 1) * 2;
    b->z = xrealloc_or_die(b->z, b->nAlloc);
  }
  memcpy(b->z + b->n, z, n);
  b->n += n;
  b->z[b->n] = 0;
}

static void bytes_puts(Bytes *b, const char *z) {
  bytes_add(b, z, strlen(z));
}

static double now_sec(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool running(void) {
  return !g_bStop && now_sec() < g.tEnd;
}

/* ---- one HTTP exchange ---------------------------------------------------- */

/* An answer as read: status, whether the server will close, body. */
typedef struct Answer {
  int iStatus; /* HTTP status, 0 when none arrived */
  bool bClose; /* "Connection: close" */
  Bytes head;  /* status line and headers */
  Bytes body;  /* body */
} Answer;

/* Open a connection to the server; -1 on failure. */
static int conn_open(void) {
  int fd = socket(g.addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return -1;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  struct timeval tv = {.tv_sec = 30};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  if (connect(fd, (struct sockaddr *)&g.addr, g.nAddr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

static bool send_all(int fd, const char *z, size_t n) {
  while (n > 0) {
    ssize_t k = send(fd, z, n, MSG_NOSIGNAL);
    if (k < 0 && errno == EINTR) {
      continue;
    }
    if (k <= 0) {
      return false;
    }
    z += k, n -= (size_t)k;
  }
  return true;
}

/* The value of header zName in the head (case-insensitive), copied into
** zOut (size nOut); false when absent. */
static bool header_value(const char *zHead, const char *zName, char *zOut, size_t nOut) {
  size_t nName = strlen(zName);
  for (const char *z = zHead; (z = strstr(z, "\r\n")) != NULL;) {
    z += 2;
    if (strncasecmp(z, zName, nName) == 0 && z[nName] == ':') {
      const char *v = z + nName + 1;
      while (*v == ' ') {
        v++;
      }
      size_t n = strcspn(v, "\r\n");
      if (n >= nOut) {
        n = nOut - 1;
      }
      memcpy(zOut, v, n);
      zOut[n] = 0;
      return true;
    }
  }
  return false;
}

/* Read one answer (the server always sends Content-Length). False when the
** connection ends or errs before the answer is whole. */
static bool read_answer(int fd, Answer *a) {
  a->iStatus = 0;
  a->bClose = false;
  a->head.n = 0;
  a->body.n = 0;
  Bytes in = {0};
  size_t nHead = 0;
  char aBuf[16384];
  while (nHead == 0) {
    ssize_t k = recv(fd, aBuf, sizeof aBuf, 0);
    if (k < 0 && errno == EINTR) {
      continue;
    }
    if (k <= 0 || in.n > MAX_RESPONSE) {
      free(in.z);
      return false;
    }
    bytes_add(&in, aBuf, (size_t)k);
    char *zEnd = strstr(in.z, "\r\n\r\n");
    if (zEnd) {
      nHead = (size_t)(zEnd - in.z) + 4;
    }
  }
  bytes_add(&a->head, in.z, nHead);
  char zVal[64];
  long nBody = header_value(a->head.z, "Content-Length", zVal, sizeof zVal) ? atol(zVal) : -1;
  a->bClose =
      header_value(a->head.z, "Connection", zVal, sizeof zVal) && strcasecmp(zVal, "close") == 0;
  if (sscanf(a->head.z, "HTTP/1.%*d %d", &a->iStatus) != 1 || nBody < 0 || nBody > MAX_RESPONSE) {
    free(in.z);
    return false;
  }
  bytes_add(&a->body, in.z + nHead, in.n - nHead);
  free(in.z);
  while ((long)a->body.n < nBody) {
    ssize_t k = recv(fd, aBuf, sizeof aBuf, 0);
    if (k < 0 && errno == EINTR) {
      continue;
    }
    if (k <= 0) {
      return false;
    }
    bytes_add(&a->body, aBuf, (size_t)k);
  }
  return (long)a->body.n == nBody;
}

/* The radicado "DDDD-PQRSD-DDDDDD" of a receipt page z, copied to zOut:
** the one marked id="radicado" (the receipt's own), else the first one in
** the page; false when none. */
static bool find_radicado(const char *z, char zOut[RADICADO_LEN + 1]) {
  static const char zMarker[] = "id=\"radicado\">";
  const char *zMark = strstr(z, zMarker);
  if (zMark) {
    z = zMark + sizeof zMarker - 1;
  }
  for (const char *p = z; (p = strstr(p, "-PQRSD-")) != NULL; p++) {
    if (p - z < 4) {
      continue;
    }
    const char *s = p - 4;
    bool bOk = true;
    for (int i = 0; i < RADICADO_LEN && bOk; i++) {
      bOk = (i >= 4 && i < 11) ? s[i] == "xxxx-PQRSD-"[i] : isdigit((unsigned char)s[i]);
    }
    if (bOk && !isdigit((unsigned char)s[RADICADO_LEN])) {
      memcpy(zOut, s, RADICADO_LEN);
      zOut[RADICADO_LEN] = 0;
      return true;
    }
  }
  return false;
}

/* GET /pqrsd on fd and take the CSRF token from the hidden field, else from
** the participa_csrf cookie, into zToken. */
static bool get_token(int fd, Answer *a, char *zToken, size_t nToken) {
  char zReq[512];
  snprintf(zReq, sizeof zReq, "GET /pqrsd HTTP/1.1\r\nHost: %s:%s\r\n\r\n", g.zHost, g.zPort);
  if (!send_all(fd, zReq, strlen(zReq)) || !read_answer(fd, a) || a->iStatus != 200) {
    return false;
  }
  const char *zField = "name=\"csrf\" value=\"";
  const char *z = strstr(a->body.z ? a->body.z : "", zField);
  char zCookie[256];
  if (z) {
    z += strlen(zField);
    size_t n = strcspn(z, "\"");
    if (n == 0 || n >= nToken) {
      return false;
    }
    memcpy(zToken, z, n);
    zToken[n] = 0;
    return true;
  }
  if (header_value(a->head.z, "Set-Cookie", zCookie, sizeof zCookie) &&
      strncmp(zCookie, "participa_csrf=", 15) == 0) {
    size_t n = strcspn(zCookie + 15, ";");
    if (n > 0 && n < nToken) {
      memcpy(zToken, zCookie + 15, n);
      zToken[n] = 0;
      return true;
    }
  }
  return false;
}

/* Build the whole POST request (head and body) for token zToken: the
** fields as multipart/form-data, csrf first. */
static void build_post(Bytes *pReq, const char *zToken) {
  Bytes body = {0};
  const char *zType = "multipart/form-data; boundary=" BOUNDARY;
  for (int i = -1; i < N_FIELD; i++) {
    bytes_puts(&body, "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"");
    bytes_puts(&body, i < 0 ? "csrf" : aField[i].zName);
    bytes_puts(&body, "\"\r\n\r\n");
    bytes_puts(&body, i < 0 ? zToken : aField[i].zValue);
    bytes_puts(&body, "\r\n");
  }
  bytes_puts(&body, "--" BOUNDARY "--\r\n");
  char zHead[1024];
  snprintf(zHead, sizeof zHead,
           "POST /pqrsd HTTP/1.1\r\nHost: %s:%s\r\nContent-Type: %s\r\n"
           "Cookie: participa_csrf=%s\r\nContent-Length: %zu\r\n\r\n",
           g.zHost, g.zPort, zType, zToken, body.n);
  pReq->n = 0;
  bytes_puts(pReq, zHead);
  bytes_add(pReq, body.z, body.n);
  free(body.z);
}

/* Print the first few unexpected answers (with -v). */
static void show_error(const Answer *a, const char *zWhat) {
  if (!g.bVerbose || atomic_fetch_add(&g_nShown, 1) >= 3) {
    return;
  }
  fprintf(stderr, "pqrsd-load: %s: estado %d\n%.*s\n", zWhat, a->iStatus,
          (int)(a->body.n > 2000 ? 2000 : a->body.n), a->body.z ? a->body.z : "");
}

/* Remember an acknowledged submission. */
static void record(Worker *w, double rMs, const char *zRad) {
  if (w->nOk == w->nAlloc) {
    w->nAlloc = w->nAlloc ? 2 * w->nAlloc : 4096;
    w->aLat = xrealloc_or_die(w->aLat, sizeof(double) * (size_t)w->nAlloc);
    w->aRad = xrealloc_or_die(w->aRad, sizeof(*w->aRad) * (size_t)w->nAlloc);
  }
  w->aLat[w->nOk] = rMs;
  memcpy(w->aRad[w->nOk], zRad, RADICADO_LEN + 1);
  w->nOk++;
}

/* A connection thread: connect, get a token, submit until the end time. */
static void *worker_main(void *pArg) {
  Worker *w = pArg;
  Answer a = {0};
  Bytes req = {0};
  char zToken[128];
  int fd = -1;
  while (running()) {
    if (fd < 0) {
      fd = conn_open();
      if (fd < 0) {
        w->nErr++;
        usleep(20 * 1000); /* the server is down: try again shortly */
        continue;
      }
      w->nConnect++;
      if (!get_token(fd, &a, zToken, sizeof zToken)) {
        if (a.iStatus != 0) {
          show_error(&a, "GET /pqrsd");
        }
        w->nErr++;
        close(fd);
        fd = -1;
        usleep(20 * 1000);
        continue;
      }
      build_post(&req, zToken);
      if (a.bClose) {
        close(fd);
        fd = conn_open();
        if (fd < 0) {
          continue;
        }
      }
    }
    double t0 = now_sec();
    bool bRead = send_all(fd, req.z, req.n) && read_answer(fd, &a);
    double rMs = (now_sec() - t0) * 1000.0;
    char zRad[RADICADO_LEN + 1];
    if (bRead && a.iStatus == 200 && find_radicado(a.body.z ? a.body.z : "", zRad)) {
      record(w, rMs, zRad);
    } else {
      w->nErr++;
      if (bRead) {
        show_error(&a, "POST /pqrsd");
      }
    }
    if (!bRead || a.bClose) {
      close(fd);
      fd = -1;
    }
  }
  if (fd >= 0) {
    close(fd);
  }
  free(a.head.z);
  free(a.body.z);
  free(req.z);
  return NULL;
}

/* ---- main ------------------------------------------------------------------ */

static int cmp_double(const void *pA, const void *pB) {
  double x = *(const double *)pA, y = *(const double *)pB;
  return x < y ? -1 : x > y;
}

/* The p-th percentile (0..100) of the n sorted values of a; 0 when empty. */
static double percentile(const double *a, long n, double p) {
  if (n == 0) {
    return 0;
  }
  long i = (long)(p / 100.0 * (double)n + 0.999999) - 1;
  return a[i < 0 ? 0 : (i >= n ? n - 1 : i)];
}

static _Noreturn void usage(void) {
  fprintf(stderr, "uso: pqrsd-load [-c CONEXIONES] [-d SEGUNDOS] [-o ARCHIVO] [-v] "
                  "http://HOST:PUERTO\n");
  exit(2);
}

/* Split "http://HOST:PORT[/]" into g.zHost and g.zPort and resolve it. */
static void parse_url(const char *zUrl) {
  if (strncmp(zUrl, "http://", 7) != 0) {
    usage();
  }
  const char *zHost = zUrl + 7;
  const char *zColon = strrchr(zHost, ':');
  if (zColon == NULL || (size_t)(zColon - zHost) >= sizeof g.zHost) {
    usage();
  }
  memcpy(g.zHost, zHost, (size_t)(zColon - zHost));
  snprintf(g.zPort, sizeof g.zPort, "%.*s", (int)strcspn(zColon + 1, "/"), zColon + 1);
  struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *pRes = NULL;
  int rc = getaddrinfo(g.zHost, g.zPort, &hints, &pRes);
  if (rc != 0) {
    fprintf(stderr, "pqrsd-load: %s: %s\n", zUrl, gai_strerror(rc));
    exit(1);
  }
  memcpy(&g.addr, pRes->ai_addr, pRes->ai_addrlen);
  g.nAddr = pRes->ai_addrlen;
  freeaddrinfo(pRes);
}

int main(int argc, char **argv) {
  int nConn = 64;
  double rSec = 10;
  const char *zOut = NULL;
  int c;
  while ((c = getopt(argc, argv, "c:d:o:v")) != -1) {
    switch (c) {
    case 'c':
      nConn = atoi(optarg);
      break;
    case 'd':
      rSec = atof(optarg);
      break;
    case 'o':
      zOut = optarg;
      break;
    case 'v':
      g.bVerbose = true;
      break;
    default:
      usage();
    }
  }
  if (optind != argc - 1 || nConn < 1 || nConn > MAX_CONN || rSec <= 0) {
    usage();
  }
  parse_url(argv[optind]);
  signal(SIGPIPE, SIG_IGN);
  struct sigaction sa = {.sa_handler = on_stop};
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);

  static Worker aWorker[MAX_CONN];
  double tStart = now_sec();
  g.tEnd = tStart + rSec;
  for (int i = 0; i < nConn; i++) {
    if (pthread_create(&aWorker[i].thread, NULL, worker_main, &aWorker[i]) != 0) {
      fprintf(stderr, "pqrsd-load: no se pudo crear el hilo %d\n", i);
      return 1;
    }
  }
  long nOk = 0, nErr = 0, nConnect = 0, nMinOk = -1, nMaxOk = 0;
  for (int i = 0; i < nConn; i++) {
    pthread_join(aWorker[i].thread, NULL);
    nOk += aWorker[i].nOk;
    nErr += aWorker[i].nErr;
    nConnect += aWorker[i].nConnect;
    if (nMinOk < 0 || aWorker[i].nOk < nMinOk) {
      nMinOk = aWorker[i].nOk;
    }
    if (aWorker[i].nOk > nMaxOk) {
      nMaxOk = aWorker[i].nOk;
    }
  }
  double rElapsed = now_sec() - tStart;

  double *aLat = xrealloc_or_die(NULL, sizeof(double) * (size_t)(nOk ? nOk : 1));
  long k = 0;
  FILE *pOut = NULL;
  if (zOut && (pOut = fopen(zOut, "w")) == NULL) {
    fprintf(stderr, "pqrsd-load: no se puede escribir %s: %s\n", zOut, strerror(errno));
    return 1;
  }
  for (int i = 0; i < nConn; i++) {
    for (long j = 0; j < aWorker[i].nOk; j++) {
      aLat[k++] = aWorker[i].aLat[j];
      if (pOut) {
        fprintf(pOut, "%s\n", aWorker[i].aRad[j]);
      }
    }
    free(aWorker[i].aLat);
    free(aWorker[i].aRad);
  }
  if (pOut && fclose(pOut) != 0) {
    fprintf(stderr, "pqrsd-load: no se pudo escribir %s\n", zOut);
    return 1;
  }
  qsort(aLat, (size_t)nOk, sizeof(double), cmp_double);
  double rRate = (double)nOk / rElapsed;
  double p50 = percentile(aLat, nOk, 50), p90 = percentile(aLat, nOk, 90);
  double p99 = percentile(aLat, nOk, 99), pMax = nOk ? aLat[nOk - 1] : 0;
  fprintf(stderr,
          "pqrsd-load: %d conexiones, %.1f s: %ld radicados confirmados (%.0f/s), %ld errores, "
          "%ld conexiones abiertas (por conexión: de %ld a %ld confirmados); latencia ms: "
          "p50 %.2f, p90 %.2f, p99 %.2f, máx %.2f\n",
          nConn, rElapsed, nOk, rRate, nErr, nConnect, nMinOk, nMaxOk, p50, p90, p99, pMax);
  printf("ok=%ld err=%ld secs=%.2f rps=%.0f p50=%.2f p90=%.2f p99=%.2f max=%.2f\n", nOk, nErr,
         rElapsed, rRate, p50, p90, p99, pMax);
  free(aLat);
  return 0;
}
