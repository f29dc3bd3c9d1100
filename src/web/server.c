/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The HTTP server core on libmicrohttpd (see server.h for the contract and
** the order of the dispatcher's checks). libmicrohttpd calls three
** functions of ours per request, on the worker thread that owns the
** connection:
**
**   on_uri()        when the request line arrives: creates the Request with
**                   the raw request target and counts it as in flight;
**   on_request()    after the headers (first call: target, route, size,
**                   type and authorization checks), for each piece of body
**                   (counted against the limit), and once the body is
**                   complete (form, CSRF, database, handler, send);
**   on_completed()  when the response is sent or the connection dropped:
**                   writes the access-log line and frees the Request.
**
** We decode the raw target ourselves (libmicrohttpd's own unescaping is
** lenient) so that a malformed one is a 400. Each worker thread keeps its
** database connection in a thread-specific key whose destructor closes it
** when libmicrohttpd ends the thread at server_stop().
**
** Does not: render pages, know sessions, parse multipart bodies.
*/
#include "web/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/text.h"
#include "base/util.h"

#define DEFAULT_WORKERS     4
#define DEFAULT_MAX_HEADER  (32u * 1024u)
#define DEFAULT_MAX_BODY    (1024u * 1024u)
#define DEFAULT_TIMEOUT_SEC 30u
#define DEFAULT_STOP_SEC    10u
#define DISCARD_GRACE       (64u * 1024u)
#define DEFAULT_HEADER_SEC  10u
#define DEFAULT_MAX_CONN    2048
#define DEFAULT_PER_ADDR    64
#define DEFAULT_BUSY_MS     5000
#define DEFAULT_MAX_SPOOL   ((size_t)1 << 30)
#define BODY_GRACE_FACTOR   3LL    /* the first body window lasts this many header timeouts */
#define BODY_WINDOW_MIN     16384u /* bytes a body must send in each window of body_grace_ms()/2 */
#define BODY_MAX_MS         900000LL /* and no body takes longer than 15 minutes in all */
#define SPOOL_FROM          (64u * 1024u) /* upload bodies up to this stay in memory */
#define WATCHDOG_MS         200    /* how often the watchdog looks at the deadlines */
#define ADDR_BUCKETS        1024   /* buckets of the per-address connection counts */
#define RETRY_AFTER         "5"    /* seconds, in every 503 */
#define DEFAULT_TYPE        "text/html; charset=utf-8"
#define FORM_TYPE           "application/x-www-form-urlencoded"

/* The security headers every response carries (a handler may replace a
** value with response_header()). */
static const struct {
  const char *zName;  /* header name */
  const char *zValue; /* default value */
} aSecurityHeader[] = {
    {"Content-Security-Policy",
     "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
     "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "same-origin"},
    {"X-Frame-Options", "DENY"},
};

/* Spanish titles of the error statuses the server produces. */
static const struct {
  int iStatus;        /* HTTP status */
  const char *zTitle; /* page title */
} aStatusTitle[] = {
    {400, "Solicitud no válida"},
    {401, "Debe iniciar sesión"},
    {403, "Acceso denegado"},
    {404, "Página no encontrada"},
    {405, "Método no permitido"},
    {413, "Contenido demasiado grande"},
    {415, "Tipo de contenido no admitido"},
    {500, "Error interno del servidor"},
    {503, "Servicio no disponible"},
};

/* A decoded name=value pair of the query string or form body. */
typedef struct Field {
  char *zName;  /* decoded name (owned) */
  char *zValue; /* decoded value (owned) */
} Field;

/* A list of fields in arrival order. */
typedef struct FieldList {
  Field *a;   /* the fields */
  int n;      /* fields used */
  int nAlloc; /* fields allocated */
} FieldList;

/* A response header set by the handler. */
typedef struct Header {
  char *zName;  /* header name (owned) */
  char *zValue; /* header value (owned) */
} Header;

/* Progress of a request through on_request(). */
typedef enum RequestState {
  REQ_NEW,  /* headers not yet seen by the dispatcher */
  REQ_BODY, /* first checks passed: receiving the body */
  REQ_DONE  /* response queued (or the connection is being dropped) */
} RequestState;

struct Request {
  Server *pServer;              /* the server answering */
  struct MHD_Connection *pConn; /* libmicrohttpd's connection */
  RequestState eState;          /* where on_request() is */
  char *zTarget;                /* raw request target as sent (owned) */
  char *zAddr;                  /* client IP address as text (owned; see request_remote_addr) */
  char *zPeer;                  /* peer IP address as text (owned) */
  struct Conn *pCtx;            /* the connection's context, NULL when unknown */
  const char *zMethod;          /* method as sent (libmicrohttpd's, valid for the request) */
  char *zPath;                  /* decoded path (owned), NULL until parsed */
  char **aSeg;                  /* decoded path segments (owned) */
  int nSeg;                     /* segments in aSeg ("/" has none) */
  const Route *pRoute;          /* the matched route, NULL before matching */
  char **aParam;                /* values of the pattern's {name} segments, by segment */
  FieldList query;              /* decoded query fields */
  FieldList form;               /* decoded form fields */
  Buf bodyIn;                   /* the request body received so far (form routes) */
  int fdSpool;                  /* ROUTE_UPLOAD: the unlinked spool file, -1 = none */
  size_t nSpool;                /* bytes written to fdSpool */
  size_t nSpoolCounted;         /* bytes counted in the server's spool total */
  char *pMap;                   /* the spooled body mapped once complete (nSpool + 1 bytes) */
  bool bSpoolFull;              /* the spool total or a write failed: answer 503 */
  struct timespec tBody;        /* when the headers were complete (monotonic) */
  size_t nReceived;             /* body bytes received so far, kept or not */
  long long iWindowMs;          /* start of the current rate window (monotonic ms) */
  size_t nWindowBytes;          /* nReceived when that window started */
  int fdOut;                    /* response_file(): the file to send, -1 = none */
  uint64_t nOut;                /* its size */
  size_t nMaxBody;              /* body limit for this request */
  bool bTooLarge;               /* the body passed the limit: discarded */
  size_t nDiscarded;            /* body bytes received in all, once past the limit */
  bool bBodyRead;               /* the whole body is in bodyIn */
  Db *pDb;                      /* this worker's database, set before the handler */
  int iStatus;                  /* response status, 0 = unset */
  char *zType;                  /* response Content-Type (owned), NULL = default */
  Header *aHeader;              /* response headers set by the handler */
  int nHeader;                  /* headers in aHeader */
  Buf out;                      /* response body */
  bool bQueued;                 /* a response was handed to libmicrohttpd */
  int iSentStatus;              /* status of the queued response */
  size_t nSent;                 /* body bytes of the queued response */
  struct timespec tStart;       /* when the request line arrived (monotonic) */
  void *pData;                  /* data attached by request_set_data() */
  void (*xDataFree)(void *);    /* frees pData, or NULL */
};

struct Server {
  ServerConfig cfg;            /* the configuration, defaults filled in */
  struct MHD_Daemon *pDaemon;  /* the libmicrohttpd daemon */
  int fdListen;                /* the listening socket (ours until passed to the daemon) */
  int iPort;                   /* the bound port */
  pthread_key_t dbKey;         /* each worker thread's WorkerDb */
  pthread_mutex_t dbMutex;     /* serialises db_open() across workers */
  pthread_mutex_t flightMutex; /* guards nInFlight */
  pthread_cond_t flightCond;   /* signalled when nInFlight drops to 0 */
  int nInFlight;               /* requests begun and not completed */
  atomic_bool bStopping;       /* server_stop() has begun */
  pthread_mutex_t connMutex;   /* guards pConnList, the Conn links and bCut, the watchdog */
  pthread_cond_t connCond;     /* wakes the watchdog to stop */
  struct Conn *pConnList;      /* every open connection */
  bool bWatchStop;             /* the watchdog must end */
  bool bWatchRunning;          /* the watchdog thread was started */
  pthread_t watchdog;          /* the deadline watchdog thread */
  pthread_mutex_t addrMutex;   /* guards apAddr */
  struct AddrCount *apAddr[ADDR_BUCKETS]; /* open connections per address key */
  struct ProxyNet *aProxy;                /* trusted proxies */
  int nProxy;                             /* entries in aProxy */
  atomic_size_t nSpooled;                 /* upload bytes on disk in all */
};

/* The key connections are counted under: an IPv4 address, or the /64 of
** an IPv6 one (IPv4-mapped IPv6 addresses count as IPv4). */
typedef struct AddrKey {
  uint8_t n;    /* bytes used in a (4 or 8), 0 = not an IP address */
  uint8_t a[8]; /* the address bytes */
} AddrKey;

/* Open connections of one address key (a chained hash entry). */
typedef struct AddrCount {
  AddrKey key;             /* the key */
  int n;                   /* connections open */
  size_t nSpooled;         /* upload bytes its connections hold on disk */
  struct AddrCount *pNext; /* next in the bucket */
} AddrCount;

/* A trusted proxy: an address and a prefix length. */
typedef struct ProxyNet {
  int iFamily;   /* AF_INET or AF_INET6 (IPv4-mapped addresses are AF_INET) */
  uint8_t a[16]; /* address bytes (4 used for AF_INET) */
  int nBits;     /* prefix length */
} ProxyNet;

/* One TCP connection (libmicrohttpd's socket context): created when it
** opens, freed when it closes, with whatever request is still attached. */
typedef struct Conn {
  Server *pServer;        /* the server */
  int fd;                 /* the socket */
  AddrKey key;            /* its counting key */
  bool bCounted;          /* counted in apAddr */
  bool bCut;              /* the watchdog shut it down */
  Request *pReq;          /* the request in progress, NULL between requests */
  atomic_llong iDeadline; /* monotonic ms by which the current phase must end, 0 = none */
  struct Conn *pPrev;     /* previous in pConnList */
  struct Conn *pNext;     /* next in pConnList */
} Conn;

/* A worker thread's database connection (the thread-specific value). */
typedef struct WorkerDb {
  Server *pServer; /* the server, for its counters */
  Db *pDb;         /* the connection */
} WorkerDb;

/* ---- small helpers -------------------------------------------------- */

/* Add 1 to the counter named field of s's ServerStats, when it has one. */
#define STAT_ADD(s, field)                                                                         \
  do {                                                                                             \
    if ((s)->cfg.pStats != NULL) {                                                                 \
      atomic_fetch_add(&(s)->cfg.pStats->field, 1);                                                \
    }                                                                                              \
  } while (0)

/* Percent-decode the n bytes at z (with bPlus, '+' is a space) into a new
** string. Returns NULL when an escape is malformed, when the result holds a
** NUL or is not valid UTF-8. Caller frees. */
static char *decode_dup(const char *z, size_t n, bool bPlus) {
  Buf b = BUF_INIT;
  buf_reserve(&b, n);
  for (size_t i = 0; i < n; i++) {
    char c = z[i];
    if (c == '%') {
      int hi = i + 2 < n ? text_hex_digit(z[i + 1]) : -1;
      int lo = i + 2 < n ? text_hex_digit(z[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        buf_reset(&b);
        return NULL;
      }
      c = (char)(hi * 16 + lo);
      i += 2;
    } else if (bPlus && c == '+') {
      c = ' ';
    }
    buf_putc(&b, c);
  }
  if (memchr(buf_str(&b), 0, b.n) != NULL || !text_is_utf8(buf_str(&b), b.n)) {
    buf_reset(&b);
    return NULL;
  }
  return buf_take(&b);
}

/* Append a field (takes over zName and zValue). */
static void fields_add(FieldList *p, char *zName, char *zValue) {
  if (p->n == p->nAlloc) {
    p->nAlloc = p->nAlloc ? 2 * p->nAlloc : 8;
    p->a = xrealloc(p->a, (size_t)p->nAlloc * sizeof *p->a);
  }
  p->a[p->n].zName = zName;
  p->a[p->n].zValue = zValue;
  p->n++;
}

/* Free every field of p and leave it empty. */
static void fields_reset(FieldList *p) {
  for (int i = 0; i < p->n; i++) {
    free(p->a[i].zName);
    free(p->a[i].zValue);
  }
  free(p->a);
  memset(p, 0, sizeof *p);
}

/* The value of the first field named zName, or NULL. */
static const char *fields_get(const FieldList *p, const char *zName) {
  for (int i = 0; i < p->n; i++) {
    if (strcmp(p->a[i].zName, zName) == 0) {
      return p->a[i].zValue;
    }
  }
  return NULL;
}

/* Parse the n bytes at z as application/x-www-form-urlencoded ("a=1&b=x+y",
** the same syntax as a query string) into p. Empty pairs are skipped; a
** pair without '=' has the value "". Returns false on a malformed escape,
** NUL or invalid UTF-8 (p then holds the fields before it). */
static bool fields_parse(FieldList *p, const char *z, size_t n) {
  size_t i = 0;
  while (i < n) {
    const char *zAmp = memchr(z + i, '&', n - i);
    size_t iEnd = zAmp ? (size_t)(zAmp - z) : n;
    if (iEnd > i) {
      const char *zEq = memchr(z + i, '=', iEnd - i);
      size_t iNameEnd = zEq ? (size_t)(zEq - z) : iEnd;
      char *zName = decode_dup(z + i, iNameEnd - i, true);
      char *zValue = zEq ? decode_dup(zEq + 1, iEnd - iNameEnd - 1, true) : xstrdup("");
      if (zName == NULL || zValue == NULL) {
        free(zName);
        free(zValue);
        return false;
      }
      fields_add(p, zName, zValue);
    }
    i = iEnd + 1;
  }
  return true;
}

/* True when c may appear in an HTTP header name (an RFC 9110 token). */
static bool is_token_char(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         (c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* True when z is a non-empty HTTP token. */
static bool is_token(const char *z) {
  if (z == NULL || z[0] == 0) {
    return false;
  }
  for (; *z; z++) {
    if (!is_token_char((unsigned char)*z)) {
      return false;
    }
  }
  return true;
}

/* Abort (a bug) when the header value z holds CR, LF or another control
** character other than tab. */
static void check_header_value(const char *z) {
  ASSERT(z != NULL);
  for (; *z; z++) {
    unsigned char c = (unsigned char)*z;
    ASSERT(c != '\r' && c != '\n');
    ASSERT(c >= 0x20 || c == '\t');
    ASSERT(c != 0x7f);
  }
}

/* Append z to pOut for a log line: control characters and spaces dropped,
** bytes above 0x7e written as %XX. */
static void log_put_clean(Buf *pOut, const char *z, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)z[i];
    if (c > 0x20 && c < 0x7f) {
      buf_putc(pOut, (char)c);
    } else if (c >= 0x80) {
      buf_appendf(pOut, "%%%02X", c);
    }
  }
}

/* Append z escaped for HTML element text (& < > " '). */
static void html_escape(Buf *pOut, const char *z) {
  for (; *z; z++) {
    switch (*z) {
    case '&':
      buf_puts(pOut, "&amp;");
      break;
    case '<':
      buf_puts(pOut, "&lt;");
      break;
    case '>':
      buf_puts(pOut, "&gt;");
      break;
    case '"':
      buf_puts(pOut, "&quot;");
      break;
    case '\'':
      buf_puts(pOut, "&#39;");
      break;
    default:
      buf_putc(pOut, *z);
    }
  }
}

/* Milliseconds since *pStart on the monotonic clock. */
static long elapsed_ms(const struct timespec *pStart) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long)(t.tv_sec - pStart->tv_sec) * 1000 + (t.tv_nsec - pStart->tv_nsec) / 1000000;
}

/* ---- connections: deadlines, limits, client address -------------------- */

/* Milliseconds on the monotonic clock. */
static long long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The address bytes of a socket address into *piFamily and a[16] (an
** IPv4-mapped IPv6 address becomes AF_INET). False for other families. */
static bool sockaddr_ip(const struct sockaddr *p, int *piFamily, uint8_t a[16]) {
  static const uint8_t aMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  memset(a, 0, 16);
  if (p == NULL) {
    return false;
  }
  if (p->sa_family == AF_INET) {
    memcpy(a, &((const struct sockaddr_in *)(const void *)p)->sin_addr, 4);
    *piFamily = AF_INET;
    return true;
  }
  if (p->sa_family == AF_INET6) {
    const uint8_t *b = ((const struct sockaddr_in6 *)(const void *)p)->sin6_addr.s6_addr;
    if (memcmp(b, aMapped, 12) == 0) {
      memcpy(a, b + 12, 4);
      *piFamily = AF_INET;
    } else {
      memcpy(a, b, 16);
      *piFamily = AF_INET6;
    }
    return true;
  }
  return false;
}

/* Parse the text IP address z (n bytes) into *piFamily and a[16] like
** sockaddr_ip(). False when it is not a literal IPv4 or IPv6 address. */
static bool ip_parse(const char *z, size_t n, int *piFamily, uint8_t a[16]) {
  static const uint8_t aMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  char zBuf[INET6_ADDRSTRLEN];
  if (n == 0 || n >= sizeof zBuf) {
    return false;
  }
  memcpy(zBuf, z, n);
  zBuf[n] = 0;
  /* straight into the byte array: no socket-address structure is written
  ** through one type and read through another */
  uint8_t b[16];
  memset(a, 0, 16);
  if (inet_pton(AF_INET, zBuf, b) == 1) {
    memcpy(a, b, 4);
    *piFamily = AF_INET;
    return true;
  }
  if (inet_pton(AF_INET6, zBuf, b) != 1) {
    return false;
  }
  if (memcmp(b, aMapped, 12) == 0) {
    memcpy(a, b + 12, 4);
    *piFamily = AF_INET;
  } else {
    memcpy(a, b, 16);
    *piFamily = AF_INET6;
  }
  return true;
}

/* The address a (family iFamily) as text into zOut. */
static void ip_text(int iFamily, const uint8_t a[16], char zOut[INET6_ADDRSTRLEN]) {
  if (inet_ntop(iFamily, a, zOut, INET6_ADDRSTRLEN) == NULL) {
    snprintf(zOut, INET6_ADDRSTRLEN, "-");
  }
}

/* True when the address is one of s's trusted proxies. */
static bool proxy_trusted(const Server *s, int iFamily, const uint8_t a[16]) {
  for (int i = 0; i < s->nProxy; i++) {
    const ProxyNet *p = &s->aProxy[i];
    if (p->iFamily != iFamily) {
      continue;
    }
    int nFull = p->nBits / 8, nRest = p->nBits % 8;
    if (memcmp(p->a, a, (size_t)nFull) != 0) {
      continue;
    }
    if (nRest == 0 || ((p->a[nFull] ^ a[nFull]) & (0xff << (8 - nRest))) == 0) {
      return true;
    }
  }
  return false;
}

/* Parse ServerConfig.zTrustedProxy ("ADDR[/BITS][,ADDR[/BITS]]...") into
** s->aProxy. False with *pzErr (Spanish, caller frees) on a bad entry. */
static bool proxies_parse(Server *s, const char *zList, char **pzErr) {
  if (zList == NULL) {
    return true;
  }
  const char *z = zList;
  while (*z) {
    const char *zEnd = strchr(z, ',');
    size_t n = zEnd ? (size_t)(zEnd - z) : strlen(z);
    while (n > 0 && (*z == ' ')) {
      z++;
      n--;
    }
    while (n > 0 && z[n - 1] == ' ') {
      n--;
    }
    const char *zSlash = memchr(z, '/', n);
    size_t nAddr = zSlash ? (size_t)(zSlash - z) : n;
    ProxyNet net;
    memset(&net, 0, sizeof net);
    bool bOk = ip_parse(z, nAddr, &net.iFamily, net.a);
    int nMax = net.iFamily == AF_INET ? 32 : 128;
    net.nBits = nMax;
    if (bOk && zSlash != NULL) {
      size_t nDigits = n - nAddr - 1;
      int nBits = 0;
      bOk = nDigits >= 1 && nDigits <= 3;
      for (size_t k = 0; bOk && k < nDigits; k++) {
        char c = zSlash[1 + k];
        bOk = c >= '0' && c <= '9';
        nBits = nBits * 10 + (c - '0');
      }
      bOk = bOk && nBits <= nMax;
      net.nBits = nBits;
    }
    if (!bOk) {
      *pzErr = xasprintf("proxy de confianza no válido «%.*s»: use direcciones IP separadas por "
                         "comas, por ejemplo 127.0.0.1,10.0.0.0/8",
                         (int)n, z);
      return false;
    }
    s->aProxy = xrealloc(s->aProxy, (size_t)(s->nProxy + 1) * sizeof *s->aProxy);
    s->aProxy[s->nProxy++] = net;
    if (zEnd == NULL) {
      break;
    }
    z = zEnd + 1;
  }
  return true;
}

/* The counting key of a peer address (n = 0 when it is not IP). */
static AddrKey addr_key(const struct sockaddr *pAddr) {
  AddrKey k;
  memset(&k, 0, sizeof k);
  int iFamily = 0;
  uint8_t a[16];
  if (sockaddr_ip(pAddr, &iFamily, a)) {
    k.n = iFamily == AF_INET ? 4 : 8;
    memcpy(k.a, a, k.n);
  }
  return k;
}

/* The bucket of key k. */
static unsigned addr_bucket(const AddrKey *k) {
  unsigned h = 2166136261u;
  for (int i = 0; i < k->n; i++) {
    h = (h ^ k->a[i]) * 16777619u;
  }
  return h % ADDR_BUCKETS;
}

/* Connections open under key k; caller holds addrMutex. */
static AddrCount *addr_find(Server *s, const AddrKey *k) {
  for (AddrCount *p = s->apAddr[addr_bucket(k)]; p; p = p->pNext) {
    if (p->key.n == k->n && memcmp(p->key.a, k->a, k->n) == 0) {
      return p;
    }
  }
  return NULL;
}

/* Add iDelta (+1 or -1) to the connections open under key k. */
static void addr_count_add(Server *s, const AddrKey *k, int iDelta) {
  pthread_mutex_lock(&s->addrMutex);
  AddrCount *p = addr_find(s, k);
  if (p == NULL && iDelta > 0) {
    p = xcalloc(1, sizeof *p);
    p->key = *k;
    unsigned iB = addr_bucket(k);
    p->pNext = s->apAddr[iB];
    s->apAddr[iB] = p;
  }
  if (p != NULL) {
    p->n += iDelta;
    if (p->n <= 0) {
      AddrCount **pp = &s->apAddr[addr_bucket(k)];
      while (*pp != p) {
        pp = &(*pp)->pNext;
      }
      *pp = p->pNext;
      free(p);
    }
  }
  pthread_mutex_unlock(&s->addrMutex);
}

/* Add iDelta bytes to the spool held by the connections of address key k
** (an entry exists while they are open). Returns the new amount. */
static size_t addr_spool_add(Server *s, const AddrKey *k, long long iDelta) {
  pthread_mutex_lock(&s->addrMutex);
  AddrCount *p = addr_find(s, k);
  size_t n = 0;
  if (p != NULL) {
    p->nSpooled = (size_t)((long long)p->nSpooled + iDelta);
    n = p->nSpooled;
  }
  pthread_mutex_unlock(&s->addrMutex);
  return n;
}

/* Accept policy: refuse a connection when its address (IPv6: its /64)
** already has nMaxConnPerAddr open; trusted proxies are not limited. The
** count grows in on_connection(), so concurrent accepts on several pool
** threads may pass the limit by at most the number of workers. */
static enum MHD_Result on_accept(void *cls, const struct sockaddr *pAddr, socklen_t nAddr) {
  (void)nAddr;
  Server *s = cls;
  int iFamily = 0;
  uint8_t a[16];
  if (!sockaddr_ip(pAddr, &iFamily, a) || proxy_trusted(s, iFamily, a)) {
    return MHD_YES;
  }
  AddrKey k = addr_key(pAddr);
  pthread_mutex_lock(&s->addrMutex);
  AddrCount *p = addr_find(s, &k);
  bool bFull = p != NULL && p->n >= s->cfg.nMaxConnPerAddr;
  pthread_mutex_unlock(&s->addrMutex);
  if (bFull) {
    STAT_ADD(s, nRefused);
    return MHD_NO;
  }
  return MHD_YES;
}

/* Milliseconds a body has after the headers, before its rate counts:
** BODY_GRACE_FACTOR header timeouts (30 s by default). */
static long long body_grace_ms(const Server *s) {
  return BODY_GRACE_FACTOR * (long long)s->cfg.nHeaderTimeoutSec * 1000;
}

/* Set the deadline of connection c to iMs from now (0 = no deadline). */
static void conn_deadline(Conn *c, long long iMs) {
  if (c != NULL) {
    atomic_store(&c->iDeadline, iMs > 0 ? now_ms() + iMs : 0);
  }
}

static void request_free(Request *r);
static void access_log(Request *r);

/* Connection notification: on start create the Conn (socket context),
** count it under its address and give it the header deadline; on close
** free the request still attached (libmicrohttpd does not call the
** completion callback for a request it gives up before the handler ran),
** uncount it and free it. Both run on the connection's thread. The socket
** is closed by libmicrohttpd after this returns, so once the Conn is out of
** the list (under connMutex) the watchdog can no longer touch its fd. */
static void on_connection(void *cls, struct MHD_Connection *pConn, void **ppSock,
                          enum MHD_ConnectionNotificationCode toe) {
  Server *s = cls;
  if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
    Conn *c = xcalloc(1, sizeof *c);
    c->pServer = s;
    c->fd = -1;
    const union MHD_ConnectionInfo *pInfo =
        MHD_get_connection_info(pConn, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (pInfo != NULL) {
      c->fd = pInfo->connect_fd;
    }
    pInfo = MHD_get_connection_info(pConn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *pAddr = pInfo ? pInfo->client_addr : NULL;
    int iFamily = 0;
    uint8_t a[16];
    if (sockaddr_ip(pAddr, &iFamily, a) && !proxy_trusted(s, iFamily, a)) {
      c->key = addr_key(pAddr);
      c->bCounted = true;
      addr_count_add(s, &c->key, 1);
    }
    atomic_init(&c->iDeadline, now_ms() + (long long)s->cfg.nHeaderTimeoutSec * 1000);
    pthread_mutex_lock(&s->connMutex);
    c->pNext = s->pConnList;
    if (s->pConnList) {
      s->pConnList->pPrev = c;
    }
    s->pConnList = c;
    pthread_mutex_unlock(&s->connMutex);
    *ppSock = c;
    return;
  }
  Conn *c = *ppSock;
  if (c == NULL) {
    return;
  }
  if (c->pReq != NULL) {
    Request *r = c->pReq;
    STAT_ADD(s, nEarly);
    access_log(r);
    request_free(r);
  }
  pthread_mutex_lock(&s->connMutex);
  if (c->pPrev) {
    c->pPrev->pNext = c->pNext;
  } else {
    s->pConnList = c->pNext;
  }
  if (c->pNext) {
    c->pNext->pPrev = c->pPrev;
  }
  pthread_mutex_unlock(&s->connMutex);
  if (c->bCounted) {
    addr_count_add(s, &c->key, -1);
  }
  free(c);
  *ppSock = NULL;
}

/* The watchdog thread: every WATCHDOG_MS, shut down (never close: the fd
** stays libmicrohttpd's) the sockets of connections past their deadline, so
** that their thread sees the end and closes them. */
static void *watchdog_main(void *p) {
  Server *s = p;
  pthread_mutex_lock(&s->connMutex);
  while (!s->bWatchStop) {
    long long iNow = now_ms();
    for (Conn *c = s->pConnList; c; c = c->pNext) {
      long long iDeadline = atomic_load(&c->iDeadline);
      if (!c->bCut && c->fd >= 0 && iDeadline != 0 && iNow > iDeadline) {
        shutdown(c->fd, SHUT_RDWR);
        c->bCut = true;
        STAT_ADD(s, nCut);
      }
    }
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_nsec += WATCHDOG_MS * 1000000L;
    if (t.tv_nsec >= 1000000000L) {
      t.tv_sec++;
      t.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&s->connCond, &s->connMutex, &t);
  }
  pthread_mutex_unlock(&s->connMutex);
  return NULL;
}

/* Parse one element of a forwarding header into *piFamily/a: a Forwarded
** "for=" value (bForwarded: the element's pairs are searched for it;
** quoted, "[v6]", optional ":port") or an X-Forwarded-For address. False
** when it is malformed, obfuscated or "unknown". */
static bool forward_elem(const char *z, size_t n, bool bForwarded, int *piFamily, uint8_t a[16]) {
  if (bForwarded) {
    /* find the for= pair among ';'-separated pairs */
    const char *zFor = NULL;
    size_t nFor = 0;
    size_t i = 0;
    while (i < n) {
      const char *zSemi = memchr(z + i, ';', n - i);
      size_t iEnd = zSemi ? (size_t)(zSemi - z) : n;
      size_t j = i;
      while (j < iEnd && (z[j] == ' ' || z[j] == '\t')) {
        j++;
      }
      if (iEnd - j >= 4 && strncasecmp(z + j, "for=", 4) == 0) {
        zFor = z + j + 4;
        nFor = iEnd - j - 4;
      }
      i = iEnd + 1;
    }
    if (zFor == NULL) {
      return false;
    }
    z = zFor;
    n = nFor;
  }
  while (n > 0 && (z[0] == ' ' || z[0] == '\t')) {
    z++;
    n--;
  }
  while (n > 0 && (z[n - 1] == ' ' || z[n - 1] == '\t')) {
    n--;
  }
  if (n >= 2 && z[0] == '"' && z[n - 1] == '"') {
    z++;
    n -= 2;
  }
  if (n > 0 && z[0] == '[') {
    const char *zClose = memchr(z, ']', n);
    if (zClose == NULL) {
      return false;
    }
    size_t nIn = (size_t)(zClose - z) - 1;
    size_t nAfter = n - nIn - 2;
    if (nAfter > 0 && zClose[1] != ':') {
      return false;
    }
    return ip_parse(z + 1, nIn, piFamily, a) && *piFamily == AF_INET6;
  }
  const char *zColon = memchr(z, ':', n);
  if (zColon != NULL && memchr(zColon + 1, ':', n - (size_t)(zColon - z) - 1) == NULL) {
    /* IPv4 with a port */
    n = (size_t)(zColon - z);
  }
  return ip_parse(z, n, piFamily, a);
}

/* What forward_collect() gathers. */
typedef struct ForwardHeaders {
  Buf forwarded; /* every Forwarded line, joined with ',' */
  Buf xff;       /* every X-Forwarded-For line, joined with ',' */
} ForwardHeaders;

/* MHD_KeyValueIterator: gather the forwarding headers in order. */
static enum MHD_Result forward_collect(void *cls, enum MHD_ValueKind kind, const char *zKey,
                                       const char *zValue) {
  (void)kind;
  ForwardHeaders *p = cls;
  Buf *pOut = NULL;
  if (zKey != NULL && strcasecmp(zKey, "Forwarded") == 0) {
    pOut = &p->forwarded;
  } else if (zKey != NULL && strcasecmp(zKey, "X-Forwarded-For") == 0) {
    pOut = &p->xff;
  }
  if (pOut != NULL) {
    if (pOut->n > 0) {
      buf_putc(pOut, ',');
    }
    buf_puts(pOut, zValue ? zValue : "");
  }
  return MHD_YES;
}

/* When r's peer is a trusted proxy, set r->zAddr to the client address
** the forwarding headers give (see request_remote_addr()). */
static void client_addr_resolve(Request *r) {
  Server *s = r->pServer;
  int iFamily = 0;
  uint8_t a[16];
  if (s->nProxy == 0 || !ip_parse(r->zPeer, strlen(r->zPeer), &iFamily, a) ||
      !proxy_trusted(s, iFamily, a)) {
    return;
  }
  ForwardHeaders h = {BUF_INIT, BUF_INIT};
  MHD_get_connection_values(r->pConn, MHD_HEADER_KIND, forward_collect, &h);
  /* one header only, the one the proxy is configured to set: a client can
  ** send the other one itself, and the proxy passes it through */
  bool bForwarded = s->cfg.bProxyForwarded;
  const Buf *pList = bForwarded ? &h.forwarded : &h.xff;
  const char *z = buf_str((Buf *)pList);
  size_t n = pList->n;
  char zClient[INET6_ADDRSTRLEN] = "";
  /* from the right: skip the trusted proxies; the first other one is the
  ** client; any malformed element leaves the peer */
  while (n > 0) {
    const char *zComma = NULL;
    for (size_t i = n; i > 0; i--) {
      if (z[i - 1] == ',') {
        zComma = z + i - 1;
        break;
      }
    }
    size_t iStart = zComma ? (size_t)(zComma - z) + 1 : 0;
    if (!forward_elem(z + iStart, n - iStart, bForwarded, &iFamily, a)) {
      zClient[0] = 0;
      break;
    }
    ip_text(iFamily, a, zClient);
    if (!proxy_trusted(s, iFamily, a)) {
      break;
    }
    n = zComma ? (size_t)(zComma - z) : 0;
  }
  if (zClient[0] != 0) {
    free(r->zAddr);
    r->zAddr = xstrdup(zClient);
  }
  buf_reset(&h.forwarded);
  buf_reset(&h.xff);
}

/* ---- upload spooling -------------------------------------------------- */

/* Drop r's spool file and uncount its bytes. */
static void spool_drop(Request *r) {
  if (r->pMap != NULL) {
    munmap(r->pMap, r->nSpool + 1);
    r->pMap = NULL;
  }
  if (r->fdSpool >= 0) {
    close(r->fdSpool);
    r->fdSpool = -1;
  }
  if (r->nSpoolCounted > 0) {
    atomic_fetch_sub(&r->pServer->nSpooled, r->nSpoolCounted);
    if (r->pCtx != NULL && r->pCtx->bCounted) {
      addr_spool_add(r->pServer, &r->pCtx->key, -(long long)r->nSpoolCounted);
    }
    r->nSpoolCounted = 0;
  }
}

/* Log an operational failure of r on stderr: "participa: error: zWhat
** (METHOD PATH)", the path cleaned for a log line. */
static void fault_log(Request *r, const char *zWhat) {
  Buf line = BUF_INIT;
  buf_appendf(&line, "participa: error: %s (", zWhat);
  const char *zMethod = r->zMethod ? r->zMethod : "-";
  log_put_clean(&line, zMethod, strlen(zMethod));
  buf_putc(&line, ' ');
  const char *zQuery = strchr(r->zTarget, '?');
  log_put_clean(&line, r->zTarget, zQuery ? (size_t)(zQuery - r->zTarget) : strlen(r->zTarget));
  buf_puts(&line, ")\n");
  fputs(buf_str(&line), stderr);
  buf_reset(&line);
}

/* Append n body bytes at z to r's spool file (created, unlinked at once,
** on the first call). Past the server's spool total, or when the file
** cannot be written, the spool is dropped and r->bSpoolFull set (the
** request is answered 503 when its body ends). */
static void spool_write(Request *r, const char *z, size_t n) {
  Server *s = r->pServer;
  if (r->bSpoolFull) {
    return;
  }
  size_t nTotal = atomic_fetch_add(&s->nSpooled, n) + n;
  r->nSpoolCounted += n;
  /* one address (not a trusted proxy) holds at most a quarter of the total,
  ** so that a few clients cannot keep every upload out */
  size_t nAddr = r->pCtx != NULL && r->pCtx->bCounted ? addr_spool_add(s, &r->pCtx->key, (long long)n)
                                                      : 0;
  if (nTotal > s->cfg.nMaxSpool || nAddr > s->cfg.nMaxSpool / 4) {
    r->bSpoolFull = true;
    spool_drop(r);
    return;
  }
  if (r->fdSpool < 0) {
    const char *zDir = s->cfg.zSpoolDir;
    if (zDir == NULL) {
      zDir = getenv("TMPDIR");
    }
    if (zDir == NULL || zDir[0] == 0) {
      zDir = "/tmp";
    }
    char *zPath = xasprintf("%s/participa-subida-XXXXXX", zDir);
    r->fdSpool = mkstemp(zPath);
    if (r->fdSpool >= 0) {
      unlink(zPath);
      fcntl(r->fdSpool, F_SETFD, FD_CLOEXEC);
    } else {
      char *zWhy = xasprintf("no se pudo crear el archivo temporal de la subida en %s: %s", zDir,
                             os_error(errno));
      fault_log(r, zWhy);
      free(zWhy);
    }
    free(zPath);
  }
  while (r->fdSpool >= 0 && n > 0) {
    ssize_t k = write(r->fdSpool, z, n);
    if (k < 0 && errno == EINTR) {
      continue;
    }
    if (k <= 0) {
      char *zWhy = xasprintf("no se pudo escribir el archivo temporal de la subida: %s",
                             os_error(k < 0 ? errno : EIO));
      fault_log(r, zWhy);
      free(zWhy);
      break;
    }
    z += k;
    n -= (size_t)k;
    r->nSpool += (size_t)k;
  }
  if (r->fdSpool < 0 || n > 0) {
    r->bSpoolFull = true;
    spool_drop(r);
  }
}

/* Map r's complete spool file (with one NUL byte after the body, so the
** body is also a C string). False when it cannot (logged). */
static bool spool_map(Request *r) {
  if (r->fdSpool < 0 || r->nSpool == 0) {
    return true;
  }
  char c = 0;
  if (pwrite(r->fdSpool, &c, 1, (off_t)r->nSpool) != 1) {
    fault_log(r, "no se pudo completar el archivo temporal de la subida");
    return false;
  }
  void *p = mmap(NULL, r->nSpool + 1, PROT_READ, MAP_PRIVATE, r->fdSpool, 0);
  if (p == MAP_FAILED) {
    char *zWhy = xasprintf("no se pudo leer el archivo temporal de la subida: %s", os_error(errno));
    fault_log(r, zWhy);
    free(zWhy);
    return false;
  }
  r->pMap = p;
  return true;
}

/* ---- route table ------------------------------------------------------ */

/* Length of the pattern segment starting at z (up to '/' or the end). */
static size_t seg_len(const char *z) {
  const char *zSlash = strchr(z, '/');
  return zSlash ? (size_t)(zSlash - z) : strlen(z);
}

/* True when the pattern segment z (n bytes) is a "{name}" parameter. */
static bool seg_is_param(const char *z, size_t n) {
  return n >= 2 && z[0] == '{' && z[n - 1] == '}';
}

/* Does pRoute's pattern match the decoded segments aSeg[nSeg]? When
** aParam is not NULL, it receives (borrowed pointers to) the segment values
** of the parameters, by segment index. */
static bool route_match(const Route *pRoute, char **aSeg, int nSeg, char **aParam) {
  const char *z = pRoute->zPattern + 1;
  if (z[0] == 0) {
    return nSeg == 0;
  }
  int i = 0;
  for (;;) {
    size_t n = seg_len(z);
    if (i >= nSeg) {
      return false;
    }
    if (seg_is_param(z, n)) {
      if (aSeg[i][0] == 0) {
        return false;
      }
      if (aParam != NULL) {
        aParam[i] = aSeg[i];
      }
    } else if (strlen(aSeg[i]) != n || memcmp(aSeg[i], z, n) != 0) {
      return false;
    }
    i++;
    if (z[n] == 0) {
      break;
    }
    z += n + 1;
  }
  return i == nSeg;
}

/* True when z is a radicado "YYYY-PQRSD-NNNNNN" (letters in any case). */
static bool param_is_radicado(const char *z) {
  static const char zShape[] = "9999-PQRSD-999999";
  if (strlen(z) != sizeof zShape - 1) {
    return false;
  }
  for (size_t i = 0; zShape[i]; i++) {
    char c = z[i];
    if (zShape[i] == '9' ? !(c >= '0' && c <= '9')
                         : (c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c) != zShape[i]) {
      return false;
    }
  }
  return true;
}

/* True when z (a non-empty decoded segment) is a valid value of a
** parameter of kind e. Cannot fail. */
static bool param_valid(RouteParamKind e, const char *z) {
  int64_t n = 0;
  size_t nLen = strlen(z);
  switch (e) {
  case PARAM_TEXT:
    return true;
  case PARAM_ID:
    return text_parse_id(z, TEXT_ID_MAX, &n);
  case PARAM_ITEM:
    return text_parse_id(z, ROUTE_ITEM_MAX, &n);
  case PARAM_RADICADO:
    return param_is_radicado(z);
  case PARAM_NAME:
    if (nLen == 0 || nLen > 64 || z[0] == '.') {
      return false;
    }
    for (size_t i = 0; i < nLen; i++) {
      char c = z[i];
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '.' || c == '_' || c == '-')) {
        return false;
      }
    }
    return true;
  case PARAM_WORD:
    if (nLen == 0 || nLen > 32) {
      return false;
    }
    for (size_t i = 0; i < nLen; i++) {
      if (z[i] < 'a' || z[i] > 'z') {
        return false;
      }
    }
    return true;
  case PARAM_SHA256:
    if (nLen != 64) {
      return false;
    }
    for (size_t i = 0; i < nLen; i++) {
      if (!((z[i] >= '0' && z[i] <= '9') || (z[i] >= 'a' && z[i] <= 'f'))) {
        return false;
      }
    }
    return true;
  }
  return false;
}

/* What a parameter of kind e must be, in Spanish, for the 404 page. */
static const char *param_what(RouteParamKind e) {
  switch (e) {
  case PARAM_ID:
    return "un número de registro: solo dígitos, de 1 a 999999999999999";
  case PARAM_ITEM:
    return "un número de ítem del plan: solo dígitos, de 1 a 1000000000";
  case PARAM_RADICADO:
    return "un radicado de la forma AAAA-PQRSD-NNNNNN (por ejemplo 2021-PQRSD-000123)";
  case PARAM_NAME:
    return "un nombre de 1 a 64 letras sin tildes, dígitos, «.», «_» o «-»";
  case PARAM_WORD:
    return "una palabra en minúsculas sin tildes";
  case PARAM_SHA256:
    return "un resumen SHA-256 de 64 dígitos hexadecimales en minúscula";
  case PARAM_TEXT:
    break;
  }
  return "un valor no vacío";
}

/* The first declared parameter of pRoute that the decoded segments
** aSeg[nSeg] (which match its pattern) fail: returns its pattern segment
** ("{item}", *pnName bytes at the returned pointer hold the braces) and
** stores its kind and value in *peKind and *pzValue; NULL when every
** parameter is valid. */
static const char *route_params_bad(const Route *pRoute, char **aSeg, int nSeg, size_t *pnName,
                                    RouteParamKind *peKind, const char **pzValue) {
  const char *z = pRoute->zPattern + 1;
  int iParam = 0;
  for (int i = 0; z[0] != 0 && i < nSeg; i++) {
    size_t n = seg_len(z);
    if (seg_is_param(z, n) && ++iParam <= ROUTE_MAX_PARAM) {
      RouteParamKind e = pRoute->aeParam[iParam - 1];
      if (!param_valid(e, aSeg[i])) {
        *pnName = n;
        *peKind = e;
        *pzValue = aSeg[i];
        return z;
      }
    }
    if (z[n] == 0) {
      break;
    }
    z += n + 1;
  }
  return NULL;
}

/* True when the route answers zMethod (HEAD is answered by GET routes). */
static bool route_method_ok(const Route *pRoute, const char *zMethod) {
  return strcmp(pRoute->zMethod, zMethod) == 0 ||
         (strcmp(zMethod, "HEAD") == 0 && strcmp(pRoute->zMethod, "GET") == 0);
}

/* Check route i of the table; on a problem return false and set *pzErr. */
static bool route_check(const ServerConfig *p, int i, char **pzErr) {
  const Route *pRoute = &p->aRoute[i];
  const char *zMethod = pRoute->zMethod ? pRoute->zMethod : "";
  const char *zPattern = pRoute->zPattern ? pRoute->zPattern : "";
  const char *zWhy = NULL;
  if (strcmp(zMethod, "GET") != 0 && strcmp(zMethod, "POST") != 0) {
    zWhy = "el método debe ser GET o POST";
  } else if (zPattern[0] != '/') {
    zWhy = "el patrón debe empezar por «/»";
  } else if (pRoute->xHandler == NULL) {
    zWhy = "falta la función que la atiende";
  } else if (pRoute->flags & ~(unsigned)(ROUTE_CSRF | ROUTE_UPLOAD)) {
    zWhy = "tiene indicadores desconocidos";
  } else if ((pRoute->flags & ROUTE_CSRF) && strcmp(zMethod, "POST") != 0) {
    zWhy = "ROUTE_CSRF solo vale en rutas POST";
  } else if ((pRoute->flags & ROUTE_CSRF) && p->xCsrf == NULL) {
    zWhy = "pide ROUTE_CSRF pero no hay función que verifique el token";
  } else if (pRoute->zCapability != NULL && p->xAuthorize == NULL) {
    zWhy = "exige una capacidad pero no hay función de autorización";
  }
  /* Segments: literal text of path characters, or a whole {name}. */
  for (const char *z = zPattern + 1; zWhy == NULL && z[0] != 0;) {
    size_t n = seg_len(z);
    if (seg_is_param(z, n)) {
      for (size_t k = 1; k + 1 < n; k++) {
        char c = z[k];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
          zWhy = "el nombre de un parámetro solo admite a-z, 0-9 y «_»";
        }
      }
      if (n == 2) {
        zWhy = "un parámetro necesita nombre";
      }
    } else if (n == 0 || (n == 1 && z[0] == '.') || (n == 2 && z[0] == '.' && z[1] == '.')) {
      zWhy = "el patrón tiene un segmento vacío, «.» o «..»";
    } else {
      for (size_t k = 0; k < n; k++) {
        unsigned char c = (unsigned char)z[k];
        if (c <= 0x20 || c >= 0x7f || strchr("{}%?#", c) != NULL) {
          zWhy = "el patrón tiene caracteres no permitidos";
        }
      }
    }
    if (z[n] == 0) {
      break;
    }
    z += n + 1;
    if (z[0] == 0) {
      zWhy = "el patrón no debe terminar en «/»";
    }
  }
  /* Declared kinds: known, and only for parameters the pattern has. */
  int nParam = 0;
  for (const char *z = zPattern; *z; z++) {
    nParam += z[0] == '{';
  }
  for (int k = 1; zWhy == NULL && k <= ROUTE_MAX_PARAM; k++) {
    RouteParamKind e = pRoute->aeParam[k - 1];
    if (e > PARAM_SHA256) {
      zWhy = "declara un tipo de parámetro desconocido";
    } else if (e != PARAM_TEXT && k > nParam) {
      zWhy = "declara el tipo de un parámetro que el patrón no tiene";
    }
  }
  for (int j = 0; zWhy == NULL && j < i; j++) {
    if (str_eq(p->aRoute[j].zMethod, zMethod) && str_eq(p->aRoute[j].zPattern, zPattern)) {
      zWhy = "está repetida";
    }
  }
  if (zWhy != NULL) {
    *pzErr = xasprintf("ruta %d (%s %s): %s", i + 1, zMethod, zPattern, zWhy);
    return false;
  }
  return true;
}

/* ---- requests --------------------------------------------------------- */

/* A new Request for the raw target zTarget on pConn, counted in flight and
** attached to the connection's Conn (which frees it if the connection
** closes before the completion callback). */
static Request *request_new(Server *s, struct MHD_Connection *pConn, const char *zTarget) {
  Request *r = xcalloc(1, sizeof *r);
  r->pServer = s;
  r->pConn = pConn;
  r->fdSpool = -1;
  r->fdOut = -1;
  r->zTarget = xstrdup(zTarget ? zTarget : "");
  const union MHD_ConnectionInfo *pCtxInfo =
      MHD_get_connection_info(pConn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  if (pCtxInfo != NULL && pCtxInfo->socket_context != NULL) {
    Conn *c = pCtxInfo->socket_context;
    if (c->pReq != NULL) {
      /* a previous request on this connection that never completed */
      STAT_ADD(s, nEarly);
      access_log(c->pReq);
      request_free(c->pReq);
    }
    c->pReq = r;
    r->pCtx = c;
  }
  clock_gettime(CLOCK_MONOTONIC, &r->tStart);
  char zIp[INET6_ADDRSTRLEN] = "";
  const union MHD_ConnectionInfo *pInfo =
      MHD_get_connection_info(pConn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  if (pInfo != NULL && pInfo->client_addr != NULL) {
    const struct sockaddr *pAddr = pInfo->client_addr;
    if (pAddr->sa_family == AF_INET) {
      inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)pAddr)->sin_addr, zIp,
                sizeof zIp);
    } else if (pAddr->sa_family == AF_INET6) {
      inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)pAddr)->sin6_addr, zIp,
                sizeof zIp);
    }
  }
  r->zPeer = xstrdup(zIp[0] ? zIp : "-");
  r->zAddr = xstrdup(r->zPeer);
  pthread_mutex_lock(&s->flightMutex);
  s->nInFlight++;
  pthread_mutex_unlock(&s->flightMutex);
  return r;
}

/* Drop the response headers set so far. */
static void headers_reset(Request *r) {
  for (int i = 0; i < r->nHeader; i++) {
    free(r->aHeader[i].zName);
    free(r->aHeader[i].zValue);
  }
  free(r->aHeader);
  r->aHeader = NULL;
  r->nHeader = 0;
}

/* Free r and everything it owns (its spool file too), detach it from its
** connection and count it out of flight. */
static void request_free(Request *r) {
  Server *s = r->pServer;
  if (r->pCtx != NULL && r->pCtx->pReq == r) {
    r->pCtx->pReq = NULL;
  }
  if (r->xDataFree != NULL) {
    r->xDataFree(r->pData);
  }
  spool_drop(r);
  if (r->fdOut >= 0) {
    close(r->fdOut);
  }
  free(r->zTarget);
  free(r->zAddr);
  free(r->zPeer);
  free(r->zPath);
  for (int i = 0; i < r->nSeg; i++) {
    free(r->aSeg[i]);
  }
  free(r->aSeg);
  free(r->aParam);
  fields_reset(&r->query);
  fields_reset(&r->form);
  buf_reset(&r->bodyIn);
  free(r->zType);
  headers_reset(r);
  buf_reset(&r->out);
  free(r);
  pthread_mutex_lock(&s->flightMutex);
  s->nInFlight--;
  if (s->nInFlight == 0) {
    pthread_cond_broadcast(&s->flightCond);
  }
  pthread_mutex_unlock(&s->flightMutex);
}

/* Parse the raw target: it must start with '/' and hold no control
** characters, spaces or '#'; each path segment is percent-decoded and may
** not be "." or "..", nor hold '/' (from %2F), NUL or invalid UTF-8; the
** query string is decoded into r->query. False when it is malformed. */
static bool target_parse(Request *r) {
  const char *z = r->zTarget;
  if (z[0] != '/') {
    return false;
  }
  for (const char *p = z; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if (c <= 0x20 || c == 0x7f || c == '#') {
      return false;
    }
  }
  const char *zQuery = strchr(z, '?');
  size_t nPath = zQuery ? (size_t)(zQuery - z) : strlen(z);
  Buf path = BUF_INIT;
  /* every '/' starts a segment: "/" has none, "/a/" has "a" and "" */
  for (size_t i = 1; nPath > 1;) {
    const char *zSlash = memchr(z + i, '/', nPath - i);
    size_t iEnd = zSlash ? (size_t)(zSlash - z) : nPath;
    char *zSeg = decode_dup(z + i, iEnd - i, false);
    if (zSeg == NULL || strchr(zSeg, '/') != NULL || strcmp(zSeg, ".") == 0 ||
        strcmp(zSeg, "..") == 0) {
      free(zSeg);
      buf_reset(&path);
      return false;
    }
    r->aSeg = xrealloc(r->aSeg, (size_t)(r->nSeg + 1) * sizeof *r->aSeg);
    r->aSeg[r->nSeg++] = zSeg;
    buf_putc(&path, '/');
    buf_puts(&path, zSeg);
    if (iEnd == nPath) {
      break;
    }
    i = iEnd + 1;
  }
  if (path.n == 0) {
    buf_putc(&path, '/');
  }
  r->zPath = buf_take(&path);
  if (zQuery != NULL && !fields_parse(&r->query, zQuery + 1, strlen(zQuery + 1))) {
    return false;
  }
  return true;
}

/* Find the route for r's method and path. A route whose declared
** parameters the path fails does not match. Returns it, or NULL after
** building a 404 (naming the first failing parameter when a route had
** this shape), or a 405 with an Allow header naming the methods that
** have this path. */
static const Route *route_find(Request *r) {
  const ServerConfig *p = &r->pServer->cfg;
  bool bGet = false, bPost = false;
  const char *zBad = NULL;      /* the first failing parameter's pattern segment */
  size_t nBad = 0;              /* its length, braces included */
  RouteParamKind eBad = 0;      /* its kind */
  const char *zBadValue = NULL; /* the value it failed with */
  for (int i = 0; i < p->nRoute; i++) {
    const Route *pRoute = &p->aRoute[i];
    if (!route_match(pRoute, r->aSeg, r->nSeg, NULL)) {
      continue;
    }
    size_t n = 0;
    RouteParamKind e = 0;
    const char *zValue = NULL;
    const char *z = route_params_bad(pRoute, r->aSeg, r->nSeg, &n, &e, &zValue);
    if (z != NULL) {
      if (zBad == NULL) {
        zBad = z;
        nBad = n;
        eBad = e;
        zBadValue = zValue;
      }
      continue;
    }
    if (route_method_ok(pRoute, r->zMethod)) {
      return pRoute;
    }
    if (strcmp(pRoute->zMethod, "GET") == 0) {
      bGet = true;
    } else {
      bPost = true;
    }
  }
  if (!bGet && !bPost && zBad != NULL) {
    Buf msg = BUF_INIT;
    buf_appendf(&msg,
                "La dirección «%s» no existe: «%s» no vale como parámetro «%.*s», que debe "
                "ser %s.",
                r->zPath, zBadValue, (int)(nBad - 2), zBad + 1, param_what(eBad));
    response_error(r, 404, buf_str(&msg));
    buf_reset(&msg);
    return NULL;
  }
  if (!bGet && !bPost) {
    Buf msg = BUF_INIT;
    buf_appendf(&msg, "La dirección «%s» no existe.", r->zPath);
    response_error(r, 404, buf_str(&msg));
    buf_reset(&msg);
    return NULL;
  }
  response_error(r, 405, "Esta dirección no admite ese método.");
  response_header(r, "Allow", bGet && bPost ? "GET, HEAD, POST" : bGet ? "GET, HEAD" : "POST");
  return NULL;
}

/* The media type of a Content-Type value, compared with zType
** case-insensitively (parameters such as "; charset=utf-8" ignored). */
static bool content_type_is(const char *zValue, const char *zType) {
  size_t n = strlen(zType);
  if (strncasecmp(zValue, zType, n) != 0) {
    return false;
  }
  const char *z = zValue + n;
  while (*z == ' ' || *z == '\t') {
    z++;
  }
  return *z == 0 || *z == ';';
}

/* Parse a Content-Length value (decimal digits only) into *pn. */
static bool parse_length(const char *z, unsigned long long *pn) {
  if (z[0] == 0) {
    return false;
  }
  unsigned long long n = 0;
  for (; *z; z++) {
    if (*z < '0' || *z > '9' || n > (~0ULL - 9) / 10) {
      return false;
    }
    n = n * 10 + (unsigned long long)(*z - '0');
  }
  *pn = n;
  return true;
}

static Db *worker_db(Server *s);
static bool fault_check(Request *r);

/* The first checks, on the headers: target, route, declared size, body
** type and authorization. Returns true to go on receiving the body, false
** when the response is built. */
static bool dispatch_head(Request *r) {
  Server *s = r->pServer;
  if (!target_parse(r)) {
    response_error(r, 400, "La dirección de la solicitud no es válida.");
    return false;
  }
  const Route *pRoute = route_find(r);
  if (pRoute == NULL) {
    return false;
  }
  r->pRoute = pRoute;
  r->aParam = xcalloc((size_t)r->nSeg + 1, sizeof *r->aParam);
  route_match(pRoute, r->aSeg, r->nSeg, r->aParam);
  r->nMaxBody = pRoute->nMaxBody ? pRoute->nMaxBody : s->cfg.nMaxBody;
  const char *zLen = request_header(r, MHD_HTTP_HEADER_CONTENT_LENGTH);
  unsigned long long nLen = 0;
  if (zLen != NULL && !parse_length(zLen, &nLen)) {
    response_error(r, 400, "La longitud declarada del contenido no es válida.");
    return false;
  }
  if (nLen > r->nMaxBody) {
    response_error(r, 413, "El contenido enviado supera el límite permitido.");
    return false;
  }
  size_t nSpooled = atomic_load(&s->nSpooled);
  if ((pRoute->flags & ROUTE_UPLOAD) &&
      (nSpooled > s->cfg.nMaxSpool || nLen > s->cfg.nMaxSpool - nSpooled)) {
    response_error(r, 503,
                   "El servidor está recibiendo demasiados archivos en este momento. Intente de "
                   "nuevo en unos minutos.");
    return false;
  }
  if (nLen > 0 && !(pRoute->flags & ROUTE_UPLOAD)) {
    /* room for what is announced, up to 1 MiB: a client that announces a
    ** large body and sends nothing must not make us reserve it */
    buf_reserve(&r->bodyIn, nLen < ((size_t)1 << 20) ? (size_t)nLen : ((size_t)1 << 20));
  }
  const char *zType = request_header(r, MHD_HTTP_HEADER_CONTENT_TYPE);
  if (strcmp(r->zMethod, "POST") == 0 && !(pRoute->flags & ROUTE_UPLOAD) && zType != NULL &&
      !content_type_is(zType, FORM_TYPE)) {
    response_error(r, 415, "Esta dirección solo recibe formularios.");
    return false;
  }
  /* the hooks may need the database (sessions) */
  if (s->cfg.zDbPath != NULL) {
    r->pDb = worker_db(s);
    if (r->pDb == NULL) {
      response_error(r, 503, "La base de datos no está disponible en este momento.");
      return false;
    }
    if (db_fault(r->pDb) != NULL) {
      /* not expected: every request clears what it left */
      db_fault_clear(r->pDb);
    }
  }
  if (s->cfg.xAuthorize != NULL) {
    int iStatus = 403;
    bool bAllow = s->cfg.xAuthorize(r, pRoute, &iStatus);
    if (fault_check(r)) {
      return false;
    }
    if (!bAllow) {
      if (r->iStatus == 0) {
        if (iStatus < 400 || iStatus > 499) {
          iStatus = 403;
        }
        response_error(r, iStatus,
                       iStatus == 401 ? "Inicie sesión para continuar."
                                      : "Su usuario no tiene permiso para esta página.");
      }
      return false;
    }
  }
  return true;
}

/* Take n more body bytes at z: kept while the total stays within the
** limit, otherwise everything is dropped and the request marked too large
** (libmicrohttpd cannot answer before the body ends, so the rest is read
** and discarded to answer 413). Returns false when the discarded part
** passes the limit plus DISCARD_GRACE: the connection is then dropped
** rather than reading an endless upload. */
static bool body_receive(Request *r, const char *z, size_t n) {
  bool bSpool = (r->pRoute->flags & ROUTE_UPLOAD) != 0;
  size_t nHave = r->nReceived; /* every byte counts, also once a spool was dropped */
  r->nReceived += n;
  if (!r->bTooLarge && n > r->nMaxBody - nHave) {
    r->bTooLarge = true;
    r->nDiscarded = nHave;
    buf_reset(&r->bodyIn);
    spool_drop(r);
  }
  if (r->bTooLarge) {
    r->nDiscarded += n;
    return r->nDiscarded - r->nMaxBody <= r->nMaxBody + DISCARD_GRACE;
  }
  if (bSpool && (r->fdSpool >= 0 || r->bSpoolFull || r->bodyIn.n + n > SPOOL_FROM)) {
    /* past SPOOL_FROM the body goes to disk, what was kept in memory first:
    ** a small form (a PQRSD without attachment) never needs the spool */
    if (r->bodyIn.n > 0) {
      spool_write(r, r->bodyIn.z, r->bodyIn.n);
      buf_reset(&r->bodyIn);
    }
    spool_write(r, z, n);
  } else {
    buf_append(&r->bodyIn, z, n);
  }
  /* the body's pace: each window of body_grace_ms()/2 must bring
  ** BODY_WINDOW_MIN bytes (a client trickling a byte now and then is cut
  ** however much it sent before), and the whole body at most BODY_MAX_MS */
  long long iNow = now_ms();
  long long iWindow = body_grace_ms(r->pServer) / 2;
  if (iNow - r->iWindowMs >= iWindow) {
    if (r->nReceived - r->nWindowBytes < BODY_WINDOW_MIN) {
      STAT_ADD(r->pServer, nCut);
      return false;
    }
    r->iWindowMs = iNow;
    r->nWindowBytes = r->nReceived;
  }
  if (r->pCtx != NULL) {
    long long iStart = (long long)r->tBody.tv_sec * 1000 + r->tBody.tv_nsec / 1000000;
    long long iDeadline = r->iWindowMs + 2 * iWindow;
    atomic_store(&r->pCtx->iDeadline,
                 iDeadline < iStart + BODY_MAX_MS ? iDeadline : iStart + BODY_MAX_MS);
  }
  return true;
}

/* When the worker's database recorded an operational failure (busy past
** the timeout, disk full, read-only): log it, roll back and forget it, and
** replace r's response with a 503. True when there was one. */
static bool fault_check(Request *r) {
  if (r->pDb == NULL) {
    return false;
  }
  const char *zFault = db_fault(r->pDb);
  if (zFault == NULL) {
    return false;
  }
  fault_log(r, zFault);
  db_fault_clear(r->pDb);
  STAT_ADD(r->pServer, nFault);
  response_error(r, 503,
                 "El servidor no pudo completar la operación por una falla temporal. Intente de "
                 "nuevo en unos segundos.");
  return true;
}

/* This thread's database connection, opened on first use; NULL (logged)
** when it cannot be opened. */
static Db *worker_db(Server *s) {
  WorkerDb *w = pthread_getspecific(s->dbKey);
  if (w != NULL) {
    return w->pDb;
  }
  char *zErr = NULL;
  pthread_mutex_lock(&s->dbMutex);
  Db *pDb = db_open(s->cfg.zDbPath, 0, &zErr);
  pthread_mutex_unlock(&s->dbMutex);
  if (pDb == NULL) {
    fprintf(stderr, "participa: servidor: %s\n", zErr ? zErr : "no se pudo abrir la base de datos");
    free(zErr);
    return NULL;
  }
  db_set_soft_faults(pDb, true);
  db_set_busy_timeout(pDb, s->cfg.nBusyTimeoutMs);
  w = xmalloc(sizeof *w);
  w->pServer = s;
  w->pDb = pDb;
  if (pthread_setspecific(s->dbKey, w) != 0) {
    db_close(pDb);
    free(w);
    return NULL;
  }
  STAT_ADD(s, nDbOpen);
  return pDb;
}

/* Thread-specific destructor: close a worker's database as its thread ends. */
static void worker_db_free(void *p) {
  WorkerDb *w = p;
  db_close(w->pDb);
  STAT_ADD(w->pServer, nDbClose);
  free(w);
}

/* The checks once the body is in (size, form, CSRF, database), then the
** handler; always leaves a response built. */
static void dispatch_body(Request *r) {
  Server *s = r->pServer;
  const Route *pRoute = r->pRoute;
  conn_deadline(r->pCtx, 0);
  if (r->bTooLarge) {
    response_error(r, 413, "El contenido enviado supera el límite permitido.");
    return;
  }
  if (r->bSpoolFull || !spool_map(r)) {
    STAT_ADD(s, nFault);
    response_error(r, 503,
                   "El servidor no puede recibir el archivo en este momento. Intente de nuevo en "
                   "unos minutos.");
    return;
  }
  r->bBodyRead = true;
  buf_reserve(&r->bodyIn, 0);
  if (strcmp(r->zMethod, "POST") == 0 && !(pRoute->flags & ROUTE_UPLOAD)) {
    const char *zType = request_header(r, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (zType == NULL && r->bodyIn.n > 0) {
      response_error(r, 415, "Esta dirección solo recibe formularios.");
      return;
    }
    if (!fields_parse(&r->form, buf_str(&r->bodyIn), r->bodyIn.n)) {
      response_error(r, 400, "El formulario enviado no es válido.");
      return;
    }
  }
  if ((pRoute->flags & ROUTE_CSRF) && !s->cfg.xCsrf(r, pRoute)) {
    response_error(r, 403,
                   "El formulario venció o no proviene de este sitio. Vuelva a cargar la "
                   "página e intente de nuevo.");
    return;
  }
  pRoute->xHandler(r);
  if (fault_check(r)) {
    return;
  }
  if (r->iStatus == 0) {
    response_error(r, 500, "La página no produjo una respuesta.");
  }
}

/* Hand r's response to libmicrohttpd: the buffered body with
** Content-Type, the handler's headers and the security headers. Returns
** libmicrohttpd's verdict (MHD_NO drops the connection). */
static enum MHD_Result request_send(Request *r) {
  Server *s = r->pServer;
  r->eState = REQ_DONE;
  if (r->iStatus == 0) {
    response_error(r, 500, "La página no produjo una respuesta.");
  }
  size_t n = r->out.n;
  struct MHD_Response *pResp;
  if (r->fdOut >= 0) {
    int fd = r->fdOut;
    r->fdOut = -1;
    n = (size_t)r->nOut;
    pResp = MHD_create_response_from_fd64(r->nOut, fd);
    if (pResp == NULL) {
      close(fd);
    }
  } else if (n == 0) {
    pResp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
  } else {
    char *z = buf_take(&r->out);
    pResp = MHD_create_response_from_buffer(n, z, MHD_RESPMEM_MUST_FREE);
    if (pResp == NULL) {
      free(z);
    }
  }
  if (pResp == NULL) {
    return MHD_NO;
  }
  bool bOk = MHD_add_response_header(pResp, MHD_HTTP_HEADER_CONTENT_TYPE,
                                     r->zType ? r->zType : DEFAULT_TYPE) == MHD_YES;
  for (int i = 0; i < r->nHeader; i++) {
    bOk &= MHD_add_response_header(pResp, r->aHeader[i].zName, r->aHeader[i].zValue) == MHD_YES;
  }
  for (size_t i = 0; i < sizeof aSecurityHeader / sizeof aSecurityHeader[0]; i++) {
    bool bSet = false;
    for (int j = 0; j < r->nHeader; j++) {
      bSet |= strcasecmp(r->aHeader[j].zName, aSecurityHeader[i].zName) == 0;
    }
    if (!bSet) {
      bOk &= MHD_add_response_header(pResp, aSecurityHeader[i].zName, aSecurityHeader[i].zValue) ==
             MHD_YES;
    }
  }
  if (r->iStatus == 503) {
    bool bSet = false;
    for (int j = 0; j < r->nHeader; j++) {
      bSet |= strcasecmp(r->aHeader[j].zName, "Retry-After") == 0;
    }
    if (!bSet) {
      bOk &= MHD_add_response_header(pResp, "Retry-After", RETRY_AFTER) == MHD_YES;
    }
  }
  if (atomic_load(&s->bStopping)) {
    bOk &= MHD_add_response_header(pResp, MHD_HTTP_HEADER_CONNECTION, "close") == MHD_YES;
  }
  enum MHD_Result rc = MHD_NO;
  if (bOk) {
    rc = MHD_queue_response(r->pConn, (unsigned)r->iStatus, pResp);
  }
  MHD_destroy_response(pResp);
  if (rc == MHD_YES) {
    r->bQueued = true;
    r->iSentStatus = r->iStatus;
    r->nSent = strcmp(r->zMethod ? r->zMethod : "", "HEAD") == 0 ? 0 : n;
    STAT_ADD(s, nRequest);
  }
  return rc;
}

/* ---- libmicrohttpd callbacks ---------------------------------------- */

/* URI log callback: the request line has arrived; create its Request. */
static void *on_uri(void *cls, const char *zUri, struct MHD_Connection *pConn) {
  return request_new(cls, pConn, zUri);
}

/* Access handler: see the file comment. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *pConn, const char *zUrl,
                                  const char *zMethod, const char *zVersion, const char *zUpload,
                                  size_t *pnUpload, void **ppReq) {
  (void)zVersion;
  Request *r = *ppReq;
  if (r == NULL) {
    /* not expected: on_uri() runs for every request */
    r = request_new(cls, pConn, zUrl);
    *ppReq = r;
  }
  switch (r->eState) {
  case REQ_NEW:
    r->zMethod = zMethod;
    r->eState = REQ_BODY;
    clock_gettime(CLOCK_MONOTONIC, &r->tBody);
    r->iWindowMs = (long long)r->tBody.tv_sec * 1000 + r->tBody.tv_nsec / 1000000;
    conn_deadline(r->pCtx, body_grace_ms(r->pServer));
    client_addr_resolve(r);
    if (!dispatch_head(r)) {
      conn_deadline(r->pCtx, 0);
      return request_send(r);
    }
    return MHD_YES;
  case REQ_BODY:
    if (*pnUpload > 0) {
      bool bGoOn = body_receive(r, zUpload, *pnUpload);
      *pnUpload = 0;
      if (!bGoOn) {
        r->eState = REQ_DONE;
        return MHD_NO;
      }
      return MHD_YES;
    }
    dispatch_body(r);
    return request_send(r);
  case REQ_DONE:
    break;
  }
  return MHD_NO;
}

/* Write r's access-log line: time, address, method, path, status, body
** bytes, milliseconds ("-" for the status when no response was sent). */
static void access_log(Request *r) {
  FILE *pLog = r->pServer->cfg.pAccessLog;
  if (pLog == NULL) {
    return;
  }
  Buf line = BUF_INIT;
  clock_now_iso(&line);
  buf_putc(&line, ' ');
  buf_puts(&line, r->zAddr);
  buf_putc(&line, ' ');
  const char *zMethod = r->zMethod ? r->zMethod : "-";
  log_put_clean(&line, zMethod, strlen(zMethod));
  buf_putc(&line, ' ');
  const char *zQuery = strchr(r->zTarget, '?');
  log_put_clean(&line, r->zTarget, zQuery ? (size_t)(zQuery - r->zTarget) : strlen(r->zTarget));
  if (r->bQueued) {
    buf_appendf(&line, " %d %zu", r->iSentStatus, r->nSent);
  } else {
    buf_puts(&line, " - 0");
  }
  buf_appendf(&line, " %ld\n", elapsed_ms(&r->tStart));
  fwrite(line.z, 1, line.n, pLog);
  fflush(pLog);
  buf_reset(&line);
}

/* Request-completed callback: log and free the Request. */
static void on_completed(void *cls, struct MHD_Connection *pConn, void **ppReq,
                         enum MHD_RequestTerminationCode toe) {
  (void)cls;
  (void)pConn;
  (void)toe;
  Request *r = *ppReq;
  if (r == NULL) {
    return;
  }
  Conn *c = r->pCtx;
  Server *s = r->pServer;
  access_log(r);
  request_free(r);
  *ppReq = NULL;
  /* the next request on this connection has the header deadline */
  if (c != NULL) {
    conn_deadline(c, (long long)s->cfg.nHeaderTimeoutSec * 1000);
  }
}

/* ---- start and stop --------------------------------------------------- */

/* Parse "IP:PORT" or "[IPv6]:PORT" into *pAddr. */
static bool listen_parse(const char *zListen, struct sockaddr_storage *pAddr, socklen_t *pnAddr) {
  const char *zColon = strrchr(zListen, ':');
  if (zColon == NULL || zColon[1] == 0 || strlen(zColon + 1) > 5) {
    return false;
  }
  long iPort = 0;
  for (const char *z = zColon + 1; *z; z++) {
    if (*z < '0' || *z > '9') {
      return false;
    }
    iPort = iPort * 10 + (*z - '0');
  }
  if (iPort > 65535) {
    return false;
  }
  bool bV6 = zListen[0] == '[';
  const char *zHost = zListen + (bV6 ? 1 : 0);
  size_t nHost = (size_t)(zColon - zHost);
  if (bV6) {
    if (nHost < 2 || zColon[-1] != ']') {
      return false;
    }
    nHost--;
  }
  char *z = xstrndup(zHost, nHost);
  if (!bV6 && strcmp(z, "localhost") == 0) {
    free(z);
    z = xstrdup("127.0.0.1");
  }
  memset(pAddr, 0, sizeof *pAddr);
  bool bOk;
  if (bV6) {
    struct sockaddr_in6 *p6 = (struct sockaddr_in6 *)(void *)pAddr;
    p6->sin6_family = AF_INET6;
    p6->sin6_port = htons((uint16_t)iPort);
    bOk = inet_pton(AF_INET6, z, &p6->sin6_addr) == 1;
    *pnAddr = sizeof *p6;
  } else {
    struct sockaddr_in *p4 = (struct sockaddr_in *)(void *)pAddr;
    p4->sin_family = AF_INET;
    p4->sin_port = htons((uint16_t)iPort);
    bOk = inet_pton(AF_INET, z, &p4->sin_addr) == 1;
    *pnAddr = sizeof *p4;
  }
  free(z);
  return bOk;
}

/* Create, bind and listen on the socket for s->cfg.zListen; sets
** s->fdListen and s->iPort. False with *pzErr on failure. */
static bool listen_open(Server *s, char **pzErr) {
  struct sockaddr_storage addr;
  socklen_t nAddr = 0;
  const char *zListen = s->cfg.zListen ? s->cfg.zListen : "";
  if (!listen_parse(zListen, &addr, &nAddr)) {
    *pzErr = xasprintf("dirección de escucha no válida «%s»: use IP:PUERTO, por ejemplo "
                       "127.0.0.1:8080",
                       zListen);
    return false;
  }
  int fd = socket(addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) {
    *pzErr = xasprintf("no se puede crear el socket para «%s»: %s", zListen, os_error(errno));
    return false;
  }
  int iOn = 1;
  if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &iOn, sizeof iOn) != 0 ||
      bind(fd, (struct sockaddr *)&addr, nAddr) != 0 || listen(fd, SOMAXCONN) != 0) {
    int iErr = errno;
    close(fd);
    if (iErr == EADDRINUSE) {
      *pzErr =
          xasprintf("la dirección «%s» ya está en uso (¿hay otro servidor corriendo?)", zListen);
    } else {
      *pzErr = xasprintf("no se puede escuchar en «%s»: %s", zListen, os_error(iErr));
    }
    return false;
  }
  struct sockaddr_storage bound;
  socklen_t nBound = sizeof bound;
  if (getsockname(fd, (struct sockaddr *)&bound, &nBound) != 0) {
    *pzErr = xasprintf("no se puede escuchar en «%s»: %s", zListen, os_error(errno));
    close(fd);
    return false;
  }
  s->iPort = bound.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)(void *)&bound)->sin6_port)
                                         : ntohs(((struct sockaddr_in *)(void *)&bound)->sin_port);
  s->fdListen = fd;
  return true;
}

/* Free what server_start() set up before the daemon runs. */
static void server_free(Server *s) {
  pthread_key_delete(s->dbKey);
  pthread_mutex_destroy(&s->dbMutex);
  pthread_mutex_destroy(&s->flightMutex);
  pthread_cond_destroy(&s->flightCond);
  pthread_mutex_destroy(&s->connMutex);
  pthread_cond_destroy(&s->connCond);
  pthread_mutex_destroy(&s->addrMutex);
  for (int i = 0; i < ADDR_BUCKETS; i++) {
    while (s->apAddr[i] != NULL) {
      AddrCount *p = s->apAddr[i];
      s->apAddr[i] = p->pNext;
      free(p);
    }
  }
  free(s->aProxy);
  free(s);
}

Server *server_start(const ServerConfig *pConfig, char **pzErr) {
  *pzErr = NULL;
  if (pConfig->nRoute < 0 || (pConfig->nRoute > 0 && pConfig->aRoute == NULL) ||
      pConfig->nWorkers < 0) {
    *pzErr = xstrdup("configuración del servidor no válida");
    return NULL;
  }
  for (int i = 0; i < pConfig->nRoute; i++) {
    if (!route_check(pConfig, i, pzErr)) {
      return NULL;
    }
  }
  if (pConfig->zDbPath != NULL) {
    Db *pDb = db_open(pConfig->zDbPath, 0, pzErr);
    if (pDb == NULL) {
      return NULL;
    }
    db_close(pDb);
  }
  Server *s = xcalloc(1, sizeof *s);
  s->cfg = *pConfig;
  if (s->cfg.nWorkers == 0) {
    s->cfg.nWorkers = DEFAULT_WORKERS;
  }
  if (s->cfg.nMaxHeader == 0) {
    s->cfg.nMaxHeader = DEFAULT_MAX_HEADER;
  }
  if (s->cfg.nMaxBody == 0) {
    s->cfg.nMaxBody = DEFAULT_MAX_BODY;
  }
  if (s->cfg.nTimeoutSec == 0) {
    s->cfg.nTimeoutSec = DEFAULT_TIMEOUT_SEC;
  }
  if (s->cfg.nStopSec == 0) {
    s->cfg.nStopSec = DEFAULT_STOP_SEC;
  }
  if (s->cfg.nHeaderTimeoutSec == 0) {
    s->cfg.nHeaderTimeoutSec = DEFAULT_HEADER_SEC;
  }
  if (s->cfg.nMaxConn <= 0) {
    s->cfg.nMaxConn = DEFAULT_MAX_CONN;
  }
  if (s->cfg.nMaxConnPerAddr <= 0) {
    s->cfg.nMaxConnPerAddr = DEFAULT_PER_ADDR;
  }
  if (s->cfg.nBusyTimeoutMs <= 0) {
    s->cfg.nBusyTimeoutMs = DEFAULT_BUSY_MS;
  }
  if (s->cfg.nMaxSpool == 0) {
    s->cfg.nMaxSpool = DEFAULT_MAX_SPOOL;
  }
  /* every connection is a descriptor: take all the process may have, and
  ** keep the total limit under it with room for files and databases */
  struct rlimit lim;
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0) {
    if (lim.rlim_cur < lim.rlim_max) {
      lim.rlim_cur = lim.rlim_max;
      if (setrlimit(RLIMIT_NOFILE, &lim) != 0) {
        getrlimit(RLIMIT_NOFILE, &lim);
      }
    }
    rlim_t nRoom = (rlim_t)s->cfg.nWorkers * 4 + 64;
    if (lim.rlim_cur != RLIM_INFINITY && lim.rlim_cur > nRoom &&
        (rlim_t)s->cfg.nMaxConn > lim.rlim_cur - nRoom) {
      s->cfg.nMaxConn = (int)(lim.rlim_cur - nRoom);
    }
  }
  if (!proxies_parse(s, pConfig->zTrustedProxy, pzErr)) {
    free(s->aProxy);
    free(s);
    return NULL;
  }
  s->fdListen = -1;
  atomic_init(&s->bStopping, false);
  pthread_condattr_t condAttr;
  if (pthread_key_create(&s->dbKey, worker_db_free) != 0) {
    free(s->aProxy);
    free(s);
    *pzErr = xstrdup("no se pudo preparar el servidor: sin recursos para hilos");
    return NULL;
  }
  if (pthread_mutex_init(&s->dbMutex, NULL) != 0 ||
      pthread_mutex_init(&s->flightMutex, NULL) != 0 || pthread_condattr_init(&condAttr) != 0 ||
      pthread_condattr_setclock(&condAttr, CLOCK_MONOTONIC) != 0 ||
      pthread_cond_init(&s->flightCond, &condAttr) != 0 ||
      pthread_mutex_init(&s->connMutex, NULL) != 0 ||
      pthread_cond_init(&s->connCond, &condAttr) != 0 ||
      pthread_mutex_init(&s->addrMutex, NULL) != 0) {
    app_fatal("no se pudo preparar el servidor: sin recursos para hilos");
  }
  pthread_condattr_destroy(&condAttr);
  if (!listen_open(s, pzErr)) {
    server_free(s);
    return NULL;
  }
  /* poll, not epoll: in epoll mode each pool thread accepts up to ten
  ** connections in a row, so a burst of connections lands on a few threads;
  ** a PQRSD filing holds its thread until its batch commits, and filings
  ** bunched on few threads made few per commit (2,000-7,000/s from run to
  ** run at 64 connections; with poll 5,400-6,200/s, p99 27-34 ms). A pool
  ** thread here serves a few connections, where poll costs no more. */
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ITC;
  s->pDaemon = MHD_start_daemon(
      flags, 0, on_accept, s, on_request, s, MHD_OPTION_LISTEN_SOCKET, (MHD_socket)s->fdListen,
      MHD_OPTION_CONNECTION_LIMIT, (unsigned)s->cfg.nMaxConn, MHD_OPTION_NOTIFY_CONNECTION,
      on_connection, s, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)s->cfg.nWorkers,
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, s->cfg.nMaxHeader, MHD_OPTION_CONNECTION_TIMEOUT,
      s->cfg.nTimeoutSec, MHD_OPTION_URI_LOG_CALLBACK, on_uri, s, MHD_OPTION_NOTIFY_COMPLETED,
      on_completed, s, MHD_OPTION_STRICT_FOR_CLIENT, 1, MHD_OPTION_END);
  if (s->pDaemon == NULL) {
    *pzErr = xasprintf("no se pudo iniciar el servidor HTTP en «%s»", s->cfg.zListen);
    close(s->fdListen);
    server_free(s);
    return NULL;
  }
  if (pthread_create(&s->watchdog, NULL, watchdog_main, s) != 0) {
    app_fatal("no se pudo preparar el servidor: sin recursos para hilos");
  }
  s->bWatchRunning = true;
  return s;
}

int server_port(const Server *s) {
  return s->iPort;
}

int server_in_flight(Server *s) {
  pthread_mutex_lock(&s->flightMutex);
  int n = s->nInFlight;
  pthread_mutex_unlock(&s->flightMutex);
  return n;
}

void server_stop(Server *s) {
  if (s == NULL) {
    return;
  }
  atomic_store(&s->bStopping, true);
  MHD_socket fd = MHD_quiesce_daemon(s->pDaemon);
  if (fd != MHD_INVALID_SOCKET) {
    /* refuse new connections while draining (closing must wait for the
    ** daemon's threads, but shutdown() keeps the descriptor) */
    shutdown(fd, SHUT_RDWR);
  }
  struct timespec deadline;
  clock_gettime(CLOCK_MONOTONIC, &deadline);
  deadline.tv_sec += (time_t)s->cfg.nStopSec;
  pthread_mutex_lock(&s->flightMutex);
  while (s->nInFlight > 0) {
    if (pthread_cond_timedwait(&s->flightCond, &s->flightMutex, &deadline) == ETIMEDOUT) {
      break;
    }
  }
  pthread_mutex_unlock(&s->flightMutex);
  MHD_stop_daemon(s->pDaemon);
  if (fd != MHD_INVALID_SOCKET) {
    close(fd);
  }
  if (s->bWatchRunning) {
    pthread_mutex_lock(&s->connMutex);
    s->bWatchStop = true;
    pthread_cond_signal(&s->connCond);
    pthread_mutex_unlock(&s->connMutex);
    pthread_join(s->watchdog, NULL);
  }
  server_free(s);
}

/* ---- the request API ---------------------------------------------------- */

const char *request_method(const Request *r) {
  return r->zMethod;
}

const char *request_path(const Request *r) {
  return r->zPath;
}

const Route *request_route(const Request *r) {
  return r->pRoute;
}

const char *request_param(const Request *r, const char *zName) {
  if (r->pRoute == NULL || r->aParam == NULL) {
    return NULL;
  }
  size_t nName = strlen(zName);
  const char *z = r->pRoute->zPattern + 1;
  for (int i = 0; z[0] != 0 && i < r->nSeg; i++) {
    size_t n = seg_len(z);
    if (seg_is_param(z, n) && n - 2 == nName && memcmp(z + 1, zName, nName) == 0) {
      return r->aParam[i];
    }
    if (z[n] == 0) {
      break;
    }
    z += n + 1;
  }
  return NULL;
}

int64_t request_param_int(const Request *r, const char *zName) {
  if (r->pRoute == NULL || r->aParam == NULL) {
    return 0;
  }
  size_t nName = strlen(zName);
  const char *z = r->pRoute->zPattern + 1;
  int iParam = 0;
  for (int i = 0; z[0] != 0 && i < r->nSeg; i++) {
    size_t n = seg_len(z);
    if (seg_is_param(z, n)) {
      iParam++;
      if (n - 2 == nName && memcmp(z + 1, zName, nName) == 0) {
        RouteParamKind e = iParam <= ROUTE_MAX_PARAM ? r->pRoute->aeParam[iParam - 1] : PARAM_TEXT;
        int64_t v = 0;
        if (e == PARAM_ID || e == PARAM_ITEM) {
          text_parse_id(r->aParam[i], e == PARAM_ID ? TEXT_ID_MAX : ROUTE_ITEM_MAX, &v);
        }
        return v;
      }
    }
    if (z[n] == 0) {
      break;
    }
    z += n + 1;
  }
  return 0;
}

int request_fields(Request *r, const RouteField *a, int n, char **azValue,
                   void (*xError)(void *pCtx, const char *zField, const char *zMsg), void *pCtx) {
  bool bPost = strcmp(r->zMethod, "POST") == 0;
  int nErr = 0;
  for (int i = 0; i < n; i++) {
    const char *zRaw = bPost ? request_form(r, a[i].zName) : request_query(r, a[i].zName);
    azValue[i] = zRaw != NULL ? text_trim_dup(zRaw) : NULL;
    if (azValue[i] != NULL && (azValue[i][0] == 0 || str_is_blank(azValue[i]))) {
      free(azValue[i]);
      azValue[i] = NULL;
    }
    const char *zMsg = NULL;
    if (azValue[i] == NULL) {
      zMsg = a[i].bRequired ? a[i].zMissing : NULL;
    } else if ((a[i].nMax > 0 && strlen(azValue[i]) > a[i].nMax) ||
               !param_valid(a[i].eKind, azValue[i])) {
      zMsg = a[i].zBad;
    }
    if (zMsg != NULL) {
      xError(pCtx, a[i].zName, zMsg);
      nErr++;
    }
  }
  return nErr;
}

const char *request_query(const Request *r, const char *zName) {
  return fields_get(&r->query, zName);
}

const char *request_form(const Request *r, const char *zName) {
  return fields_get(&r->form, zName);
}

const char *request_body(const Request *r, size_t *pnBody) {
  if (!r->bBodyRead) {
    *pnBody = 0;
    return NULL;
  }
  if (r->pMap != NULL) {
    *pnBody = r->nSpool;
    return r->pMap;
  }
  *pnBody = r->bodyIn.n;
  return buf_str(&r->bodyIn);
}

const char *request_header(const Request *r, const char *zName) {
  return MHD_lookup_connection_value(r->pConn, MHD_HEADER_KIND, zName);
}

/* What cookie_find() looks for and finds. */
typedef struct CookieSearch {
  const char *zName;  /* the cookie name (case-sensitive) */
  const char *zValue; /* its value once found */
} CookieSearch;

/* MHD_KeyValueIterator: stop at the first cookie with the wanted name. */
static enum MHD_Result cookie_find(void *cls, enum MHD_ValueKind kind, const char *zKey,
                                   const char *zValue) {
  (void)kind;
  CookieSearch *p = cls;
  if (zKey != NULL && strcmp(zKey, p->zName) == 0) {
    p->zValue = zValue ? zValue : "";
    return MHD_NO;
  }
  return MHD_YES;
}

const char *request_cookie(const Request *r, const char *zName) {
  CookieSearch search = {zName, NULL};
  MHD_get_connection_values(r->pConn, MHD_COOKIE_KIND, cookie_find, &search);
  return search.zValue;
}

const char *request_remote_addr(const Request *r) {
  return r->zAddr;
}

const char *request_peer_addr(const Request *r) {
  return r->zPeer;
}

Db *request_db(const Request *r) {
  return r->pDb;
}

void *request_app(const Request *r) {
  return r->pServer->cfg.pApp;
}

void request_set_data(Request *r, void *pData, void (*xFree)(void *)) {
  if (r->xDataFree != NULL && r->pData != pData) {
    r->xDataFree(r->pData);
  }
  r->pData = pData;
  r->xDataFree = xFree;
}

void *request_data(const Request *r) {
  return r->pData;
}

Buf *request_body_out(Request *r) {
  return &r->out;
}

void response_status(Request *r, int iStatus) {
  ASSERT(iStatus >= 100 && iStatus <= 599);
  r->iStatus = iStatus;
}

int response_get_status(const Request *r) {
  return r->iStatus;
}

void response_type(Request *r, const char *zContentType) {
  check_header_value(zContentType);
  free(r->zType);
  r->zType = xstrdup(zContentType);
}

void response_header(Request *r, const char *zName, const char *zValue) {
  ASSERT(is_token(zName));
  ASSERT(strcasecmp(zName, "Content-Length") != 0 && strcasecmp(zName, "Connection") != 0);
  check_header_value(zValue);
  if (strcasecmp(zName, "Content-Type") == 0) {
    response_type(r, zValue);
    return;
  }
  r->aHeader = xrealloc(r->aHeader, (size_t)(r->nHeader + 1) * sizeof *r->aHeader);
  r->aHeader[r->nHeader].zName = xstrdup(zName);
  r->aHeader[r->nHeader].zValue = xstrdup(zValue);
  r->nHeader++;
}

void response_file(Request *r, int fd, uint64_t nSize) {
  if (r->fdOut >= 0) {
    close(r->fdOut);
  }
  r->fdOut = fd;
  r->nOut = nSize;
  buf_clear(&r->out);
}

/* Drop a file set with response_file(). */
static void response_file_drop(Request *r) {
  if (r->fdOut >= 0) {
    close(r->fdOut);
    r->fdOut = -1;
  }
}

void response_redirect(Request *r, const char *zLocation) {
  response_header(r, "Location", zLocation);
  response_file_drop(r);
  buf_clear(&r->out);
  r->iStatus = 303;
}

void response_error(Request *r, int iStatus, const char *zMessage) {
  ASSERT(iStatus >= 400 && iStatus <= 599);
  const char *zTitle = iStatus >= 500 ? "Error del servidor" : "Solicitud rechazada";
  for (size_t i = 0; i < sizeof aStatusTitle / sizeof aStatusTitle[0]; i++) {
    if (aStatusTitle[i].iStatus == iStatus) {
      zTitle = aStatusTitle[i].zTitle;
    }
  }
  headers_reset(r);
  response_file_drop(r);
  free(r->zType);
  r->zType = NULL;
  r->iStatus = iStatus;
  Buf *p = &r->out;
  buf_clear(p);
  buf_appendf(p,
              "<!DOCTYPE html>\n<html lang=\"es-CO\">\n<head><meta charset=\"utf-8\">"
              "<meta name=\"viewport\" content=\"width=device-width\">"
              "<title>%d %s</title></head>\n<body>\n<h1>%s</h1>\n",
              iStatus, zTitle, zTitle);
  if (zMessage != NULL) {
    buf_puts(p, "<p>");
    html_escape(p, zMessage);
    buf_puts(p, "</p>\n");
  }
  buf_puts(p, "</body>\n</html>\n");
}
