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
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
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
  char *zAddr;                  /* peer IP address as text (owned) */
  const char *zMethod;          /* method as sent (libmicrohttpd's, valid for the request) */
  char *zPath;                  /* decoded path (owned), NULL until parsed */
  char **aSeg;                  /* decoded path segments (owned) */
  int nSeg;                     /* segments in aSeg ("/" has none) */
  const Route *pRoute;          /* the matched route, NULL before matching */
  char **aParam;                /* values of the pattern's {name} segments, by segment */
  FieldList query;              /* decoded query fields */
  FieldList form;               /* decoded form fields */
  Buf bodyIn;                   /* the request body received so far */
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
};

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

/* A new Request for the raw target zTarget on pConn, counted in flight. */
static Request *request_new(Server *s, struct MHD_Connection *pConn, const char *zTarget) {
  Request *r = xcalloc(1, sizeof *r);
  r->pServer = s;
  r->pConn = pConn;
  r->zTarget = xstrdup(zTarget ? zTarget : "");
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
  r->zAddr = xstrdup(zIp[0] ? zIp : "-");
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

/* Free r and everything it owns, and count it out of flight. */
static void request_free(Request *r) {
  Server *s = r->pServer;
  if (r->xDataFree != NULL) {
    r->xDataFree(r->pData);
  }
  free(r->zTarget);
  free(r->zAddr);
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

/* Find the route for r's method and path. Returns it, or NULL after
** building a 404, or a 405 with an Allow header naming the methods that
** have this path. */
static const Route *route_find(Request *r) {
  const ServerConfig *p = &r->pServer->cfg;
  bool bGet = false, bPost = false;
  for (int i = 0; i < p->nRoute; i++) {
    const Route *pRoute = &p->aRoute[i];
    if (!route_match(pRoute, r->aSeg, r->nSeg, NULL)) {
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
  if (nLen > 0) {
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
  }
  if (s->cfg.xAuthorize != NULL) {
    int iStatus = 403;
    if (!s->cfg.xAuthorize(r, pRoute, &iStatus)) {
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
  if (!r->bTooLarge && n > r->nMaxBody - r->bodyIn.n) {
    r->bTooLarge = true;
    r->nDiscarded = r->bodyIn.n;
    buf_reset(&r->bodyIn);
  }
  if (r->bTooLarge) {
    r->nDiscarded += n;
    return r->nDiscarded - r->nMaxBody <= r->nMaxBody + DISCARD_GRACE;
  }
  buf_append(&r->bodyIn, z, n);
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
  if (r->bTooLarge) {
    response_error(r, 413, "El contenido enviado supera el límite permitido.");
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
  if (n == 0) {
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
    if (!dispatch_head(r)) {
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
  access_log(r);
  request_free(r);
  *ppReq = NULL;
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
  s->fdListen = -1;
  atomic_init(&s->bStopping, false);
  pthread_condattr_t condAttr;
  if (pthread_key_create(&s->dbKey, worker_db_free) != 0) {
    free(s);
    *pzErr = xstrdup("no se pudo preparar el servidor: sin recursos para hilos");
    return NULL;
  }
  if (pthread_mutex_init(&s->dbMutex, NULL) != 0 ||
      pthread_mutex_init(&s->flightMutex, NULL) != 0 || pthread_condattr_init(&condAttr) != 0 ||
      pthread_condattr_setclock(&condAttr, CLOCK_MONOTONIC) != 0 ||
      pthread_cond_init(&s->flightCond, &condAttr) != 0) {
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
      flags, 0, NULL, NULL, on_request, s, MHD_OPTION_LISTEN_SOCKET, (MHD_socket)s->fdListen,
      MHD_OPTION_THREAD_POOL_SIZE, (unsigned)s->cfg.nWorkers, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
      s->cfg.nMaxHeader, MHD_OPTION_CONNECTION_TIMEOUT, s->cfg.nTimeoutSec,
      MHD_OPTION_URI_LOG_CALLBACK, on_uri, s, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
      MHD_OPTION_STRICT_FOR_CLIENT, 1, MHD_OPTION_END);
  if (s->pDaemon == NULL) {
    *pzErr = xasprintf("no se pudo iniciar el servidor HTTP en «%s»", s->cfg.zListen);
    close(s->fdListen);
    server_free(s);
    return NULL;
  }
  return s;
}

int server_port(const Server *s) {
  return s->iPort;
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

void response_redirect(Request *r, const char *zLocation) {
  response_header(r, "Location", zLocation);
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
