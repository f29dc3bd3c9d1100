/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The HTTP server core: a libmicrohttpd daemon (internal thread pool, poll)
** that answers requests through one route table and one dispatcher. The
** dispatcher makes every common check before a handler runs, in this order:
**
**   1. 400 when the request target is malformed (not origin-form, control
**      characters, bad percent-encoding, NUL, invalid UTF-8, a "." or ".."
**      segment, an encoded "/" inside a segment);
**   2. 404 when no route has this path (a route whose declared parameters,
**      Route.aeParam, the path fails does not have it: the 404 then names
**      the parameter), 405 with an Allow header when routes have it for other
**      methods only (HEAD is answered by GET routes);
**   3. 413 when Content-Length exceeds the route's body limit;
**   4. 415 when a POST body on a route without ROUTE_UPLOAD is not
**      application/x-www-form-urlencoded;
**   5. 503 when this worker's database cannot be opened;
**   6. the xAuthorize hook (login, capability): may refuse with 401/403 or
**      with a response of its own (a redirect to the login page);
**   7. the body is received and counted (chunked uploads too); once it
**      passes the limit it is no longer kept (never more than the limit is
**      buffered) and the request is answered 413 when the body ends, or the
**      connection is dropped if the body goes on past twice the limit plus
**      64 KiB (libmicrohttpd cannot answer in the middle of a body);
**   8. 400 when the form body is malformed;
**   9. the xCsrf hook on ROUTE_CSRF routes (403 when it refuses);
**  10. the handler, which builds its response in memory.
**
** Resources are bounded per client and in total. A connection must finish
** its request line and headers within nHeaderTimeoutSec (default 10 s) of
** opening or of the end of its previous request. Its body must bring 16 KiB
** in every window of one and a half times that (15 s), whatever it sent
** before, and end within 15 minutes in all; a watchdog thread shuts down the
** socket of one past its deadline, however it trickles. Each
** client address (IPv6: each /64; trusted proxies exempt) may hold
** nMaxConnPerAddr connections (more are refused at accept; concurrent
** accepts may pass it by the number of workers), nMaxConn in all; the
** descriptor limit is raised to its maximum at start. A request is freed
** when the connection closes even if libmicrohttpd never completes it.
** ROUTE_UPLOAD bodies past 64 KiB go to an unlinked temporary file in
** zSpoolDir as they arrive (mapped when complete, so request_body() is
** unchanged); more than nMaxSpool bytes spooled at once in all, or a
** quarter of it from one address, gives 503. Form bodies and small uploads
** (a PQRSD without attachment) stay in memory. response_file() sends a file from disk.
**
** Operational failures end the request, never the process: each worker's
** database is in soft-fault mode with a busy timeout (nBusyTimeoutMs);
** after the authorize hook and after the handler a recorded failure is
** logged ("participa: error: ... (METHOD PATH)" on stderr), rolled back and
** answered 503. Every 503 carries Retry-After.
**
** Every response but response_file()'s is buffered whole and sent with
** Content-Length, and carries
** the security headers (Content-Security-Policy, X-Content-Type-Options,
** Referrer-Policy, X-Frame-Options). Each worker thread opens its own SQLite
** connection on its first request (kept in a thread-specific key, closed when
** the thread ends); server_stop() stops accepting, lets in-flight requests
** finish (bounded wait), then stops the threads, which closes every
** connection. One access-log line per request.
**
** Request state lives in the Request: no mutable globals. The configuration
** and route table are read-only while the server runs.
**
** What it does not do: pages, HTML beyond the minimal error page, sessions,
** CSRF tokens and capabilities (the hooks are the seams), multipart parsing
** (ROUTE_UPLOAD gives the raw body), TLS (run behind a reverse proxy). It
** trusts X-Forwarded-For (or Forwarded) only from the zTrustedProxy peers. It
** knows nothing of the domain.
**
** Responses that libmicrohttpd produces itself, before the dispatcher sees
** the request (a request line or header block it cannot parse, headers larger
** than nMaxHeader), do not carry the security headers: the library has no
** hook for them.
*/
#ifndef PARTICIPA_WEB_SERVER_H
#define PARTICIPA_WEB_SERVER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/buf.h"
#include "db/db.h"

typedef struct Server Server;   /* a running server */
typedef struct Request Request; /* one request; opaque, used through the functions below */
typedef struct Route Route;

/* A route handler: reads the request, builds the response with the
** response_* functions and request_body_out(); returns nothing. Leaving
** the status unset (0) is a bug answered with 500. */
typedef void (*RouteHandler)(Request *r);

/* Route flags. */
#define ROUTE_CSRF   0x01 /* POST only: the xCsrf hook must accept the request */
#define ROUTE_UPLOAD 0x02 /* any body type is accepted raw (request_body()) up to the limit */

/* What a "{name}" parameter of a route pattern must be. A route declares
** the kind of each of its parameters, in pattern order, in aeParam. The
** dispatcher checks every declared parameter before the authorize hook and
** the handler: a path whose parameter fails names nothing, so it is
** answered 404 with a Spanish page naming the parameter and what it must
** be (when no other route matches it). PARAM_TEXT (undeclared) takes any
** non-empty segment as it is. */
typedef enum RouteParamKind {
  PARAM_TEXT = 0,     /* undeclared: any non-empty segment */
  PARAM_ID = 1,       /* a record number: 1..15 digits only, 1..TEXT_ID_MAX */
  PARAM_ITEM = 2,     /* a plan item number ("8"): digits only, 1..ROUTE_ITEM_MAX */
  PARAM_RADICADO = 3, /* a PQRSD radicado "YYYY-PQRSD-NNNNNN", letters in any case */
  PARAM_NAME = 4,     /* a file or login name: 1..64 of A-Z a-z 0-9 . _ -, not "." first */
  PARAM_WORD = 5,     /* a fixed word chosen by the handler: 1..32 of a-z */
  PARAM_SHA256 = 6,   /* a stored file's SHA-256: 64 lowercase hexadecimal digits */
} RouteParamKind;

/* One field of a form declared with its validator (the same kinds as
** route parameters); a handler lists its form's fields and reads them all
** with request_fields(). */
typedef struct RouteField {
  const char *zName;    /* the field's name */
  RouteParamKind eKind; /* what it must be; PARAM_TEXT = any text */
  bool bRequired;       /* blank (absent, empty or only white space) is an error */
  size_t nMax;          /* most bytes accepted once trimmed, 0 = the body limit only */
  const char *zMissing; /* Spanish message when required and blank */
  const char *zBad;     /* Spanish message when not of its kind or longer than nMax */
} RouteField;

#define ROUTE_MAX_PARAM 2          /* parameters a pattern may declare */
#define ROUTE_ITEM_MAX  1000000000 /* the largest plan item number (as the import accepts) */

/* One entry of the route table. Patterns are "/" or slash-separated
** segments, each either literal text or a whole "{name}" parameter
** ([a-z0-9_]+), e.g. "/actividad/{item}". The first matching entry in table
** order wins, so a sorted table tries "/a/nueva" before "/a/{item}".
** Tables are written positionally and a route without parameters leaves
** aeParam out (all PARAM_TEXT): the Makefile builds with
** -Wno-missing-field-initializers, since members left out are zero in C. */
struct Route {
  const char *zMethod;     /* "GET" or "POST" */
  const char *zPattern;    /* "/", "/actividades", "/actividad/{item}", "/static/{file}" */
  RouteHandler xHandler;   /* the handler */
  unsigned flags;          /* ROUTE_CSRF, ROUTE_UPLOAD */
  const char *zCapability; /* required capability letter(s) for xAuthorize, NULL = public */
  size_t nMaxBody;         /* body limit in bytes, 0 = the server default */
  RouteParamKind aeParam[ROUTE_MAX_PARAM]; /* kind of each "{name}", in pattern order */
};

/* Counters the server updates while it runs (atomically, from any worker).
** Owned by the caller; may be read at any time, also after server_stop(). */
typedef struct ServerStats {
  atomic_long nRequest; /* responses queued by the dispatcher */
  atomic_long nDbOpen;  /* worker database connections opened */
  atomic_long nDbClose; /* worker database connections closed */
  atomic_long nFault;   /* requests answered 503 after a database or file failure */
  atomic_long nCut;     /* connections cut for missing their header or body deadline */
  atomic_long nRefused; /* connections refused by the per-address limit */
  atomic_long nEarly;   /* requests freed when the connection closed before completion */
} ServerStats;

/* What server_start() needs. Zero values take the documented defaults.
** Strings and the route table are borrowed: they must outlive the server. */
typedef struct ServerConfig {
  const char *zListen;  /* "IP:PORT" ("127.0.0.1:8080", "[::1]:8080"); port 0 = any free port */
  const char *zDbPath;  /* database each worker opens; NULL = none (request_db() gives NULL) */
  int nWorkers;         /* thread pool size, default 4 */
  size_t nMaxHeader;    /* per-connection memory for request line and headers, default 32 KiB */
  size_t nMaxBody;      /* default body limit, default 1 MiB */
  unsigned nTimeoutSec; /* idle connection timeout, default 30 s */
  unsigned nStopSec;    /* server_stop() waits at most this for in-flight requests, default 10 */
  unsigned nHeaderTimeoutSec; /* to finish request line and headers, default 10 s (see above) */
  int nMaxConn;               /* connections open at once in all, default 2048 */
  int nMaxConnPerAddr;        /* per client address (IPv6: per /64), default 64 */
  const char *zTrustedProxy;  /* "ADDR[,ADDR]" (IPv4/IPv6, CIDR allowed), NULL = none */
  bool bProxyForwarded;       /* the trusted proxies set Forwarded (RFC 7239) instead of
                                 X-Forwarded-For; the other header is ignored */
  int nBusyTimeoutMs;         /* how long a worker's write waits on a busy database, default 5000 */
  const char *zSpoolDir;      /* directory for upload spool files, NULL = $TMPDIR or /tmp */
  size_t nMaxSpool;           /* bytes of uploads spooled at once in all, default 1 GiB */
  /* One line per request, NULL = none: UTC time, peer address, method, raw
  ** path without the query (controls and spaces dropped, bytes above 0x7e as
  ** %XX), status ("-" when none was sent), body bytes, milliseconds:
  ** "2021-06-30T12:00:00Z 127.0.0.1 GET /actividades 200 1234 3" */
  FILE *pAccessLog;    /* the access log, NULL = none */
  const Route *aRoute; /* the route table */
  int nRoute;          /* entries in aRoute */
  void *pApp;          /* application context for handlers and hooks (request_app()) */
  ServerStats *pStats; /* counters to update, NULL = none */
  /* Hook called for every routed request after the method/size checks and
  ** before the body is read. Returns true to let the request through.
  ** Returning false refuses it: with the response the hook built itself
  ** (e.g. response_redirect() to the login page), else with
  ** response_error(*piStatus) (401 or 403; 403 when left outside 400-499).
  ** NULL = allow everything, which server_start() refuses when a route
  ** names a capability. */
  bool (*xAuthorize)(Request *r, const Route *pRoute, int *piStatus);
  /* Hook called on ROUTE_CSRF routes once the form is parsed: true when the
  ** request carries a valid token (and is same-origin). False gives 403.
  ** server_start() refuses a table with ROUTE_CSRF routes and no hook. */
  bool (*xCsrf)(Request *r, const Route *pRoute);
} ServerConfig;

/* Check the configuration and route table, bind the listening socket and
** start the worker threads. The database is opened once (which applies any
** pending migration) and closed again, so a bad path fails here. Returns
** NULL and sets *pzErr to a Spanish message (caller frees) on failure: bad
** address, port in use, bad route table, database that cannot be opened.
** Stop and free the server with server_stop(). */
Server *server_start(const ServerConfig *pConfig, char **pzErr);

/* The port the server listens on (the chosen one when the config said 0). */
int server_port(const Server *s);

/* Requests begun and not yet freed (for monitoring and tests). */
int server_in_flight(Server *s);

/* Stop gracefully: stop accepting connections, let requests in flight
** finish (waiting at most nStopSec; responses then say "Connection: close"),
** stop the worker threads, which closes each worker's database, and free s.
** NULL is ignored. */
void server_stop(Server *s);

/* ---- For handlers and hooks. Strings returned are borrowed: valid until
** the request ends. Lookups return NULL when the item is absent; with
** repeated names, the first one wins. ---- */

/* The request method as sent ("GET", "HEAD", "POST"). */
const char *request_method(const Request *r);
/* The decoded path, e.g. "/actividad/3.1" (no query string). */
const char *request_path(const Request *r);
/* The route that matched. */
const Route *request_route(const Request *r);
/* The decoded value of the "{zName}" segment of the route pattern (already
** checked against its declared kind, Route.aeParam). */
const char *request_param(const Request *r, const char *zName);
/* The value of the "{zName}" segment declared PARAM_ID or PARAM_ITEM,
** which the dispatcher has already checked (so never 0 for a declared one);
** 0 when the route has no such parameter or it is of another kind. Cannot
** fail. */
int64_t request_param_int(const Request *r, const char *zName);
/* Read the declared fields a[n] of the form (the body of a POST, the
** query of a GET), each trimmed of surrounding white space, into azValue[n]
** (caller frees each; NULL when blank), and check each against its
** declaration: for every field that fails, in order, calls
** xError(pCtx, zName, zMissing or zBad) so the handler can show the
** message beside the field (and answer 422). Returns the number of fields
** that failed. Cannot fail otherwise. */
int request_fields(Request *r, const RouteField *a, int n, char **azValue,
                   void (*xError)(void *pCtx, const char *zField, const char *zMsg), void *pCtx);
/* The decoded value of query field zName ('+' is a space); "" for "?a". */
const char *request_query(const Request *r, const char *zName);
/* The decoded value of a field of an application/x-www-form-urlencoded
** POST body. NULL before the body is read (in xAuthorize). */
const char *request_form(const Request *r, const char *zName);
/* The raw request body (what ROUTE_UPLOAD routes read); *pnBody gets its
** length. An empty body is "". NULL (and 0) before the body is read. */
const char *request_body(const Request *r, size_t *pnBody);
/* Request header zName (case-insensitive), as sent. */
const char *request_header(const Request *r, const char *zName);
/* Cookie zName, as sent (no decoding). */
const char *request_cookie(const Request *r, const char *zName);
/* The client's IP address as text ("127.0.0.1", "::1"). Never NULL. It is
** the peer's address, unless the peer is a trusted proxy (zTrustedProxy):
** then the rightmost address of X-Forwarded-For (or, with bProxyForwarded,
** of Forwarded "for=") that is not itself a trusted proxy; the peer's when
** the header is absent or any element of it is malformed. Only the one
** configured header is read: the proxy replaces it, while it passes the
** other through as the client sent it. */
const char *request_remote_addr(const Request *r);
/* The IP address of the socket's peer as text (the proxy behind one). */
const char *request_peer_addr(const Request *r);
/* This worker thread's database connection; NULL only when the server has
** no zDbPath. Do not close it; finalize every statement before returning. */
Db *request_db(const Request *r);
/* ServerConfig.pApp. */
void *request_app(const Request *r);
/* Attach per-request data (e.g. the session the authorize hook loaded);
** xFree (may be NULL) is called on it when the request ends or when it is
** replaced. */
void request_set_data(Request *r, void *pData, void (*xFree)(void *));
/* The data attached with request_set_data(), or NULL. */
void *request_data(const Request *r);

/* The response body being built (initially empty). */
Buf *request_body_out(Request *r);
/* Set the response status (100-599; anything else is a bug). */
void response_status(Request *r, int iStatus);
/* The status set so far (0 = none yet). */
int response_get_status(const Request *r);
/* Set the Content-Type (default "text/html; charset=utf-8"). */
void response_type(Request *r, const char *zContentType);
/* Add a response header. A CR, LF or NUL in the value, or a name that is not
** an HTTP token, is a bug and aborts. Setting one of the security headers
** replaces the default value; Content-Type is response_type(); Content-Length
** and Connection are the server's own (a bug to set). */
void response_header(Request *r, const char *zName, const char *zValue);
/* Send nSize bytes of the open file fd (from offset 0) as the response body
** instead of request_body_out(), read from disk as the client takes them.
** Takes over fd (closed when the response is done or replaced, also on
** failure). Set the status, type and headers as usual. Does not fail. */
void response_file(Request *r, int fd, uint64_t nSize);
/* Redirect with 303 See Other to zLocation (a path or URL); empties the body. */
void response_redirect(Request *r, const char *zLocation);
/* Replace the response with a small Spanish error page for iStatus
** (400-599) showing zMessage escaped (NULL = only the title). Drops the body
** and headers set so far; set further headers after calling it. */
void response_error(Request *r, int iStatus, const char *zMessage);

#endif
