/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Unit tests for src/web/server.c: a real server on 127.0.0.1 (port 0) with
** a small route table defined here and a temporary database, spoken to
** over plain sockets. Checks exact status lines, headers (the security
** headers on every kind of response), bodies, route parameters, decoded
** query and form values, 400/404/405/413/415, the authorize and CSRF
** hooks, concurrency, graceful stop with a slow request in flight, one
** database per worker, and the access log.
*/
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/util.h"
#include "db/db.h"
#include "app/serve.h"
#include "web/server.h"
#include "httpc.h"
#include "testutil.h"

#define CSP                                                                                        \
  "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "                \
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

/* ---- handlers of the test route table ---------------------------------- */

/* Set once the slow handler has started (graceful-stop test). */
static atomic_bool g_bSlowStarted;

/* GET / */
static void home_page(Request *r) {
  response_status(r, 200);
  buf_puts(request_body_out(r), "inicio");
}

/* GET /actividades?q=... : echoes the decoded query field q. */
static void list_page(Request *r) {
  const char *zQ = request_query(r, "q");
  response_status(r, 200);
  buf_appendf(request_body_out(r), "q=[%s]", zQ ? zQ : "(nulo)");
}

/* GET /actividad/nueva */
static void new_page(Request *r) {
  response_status(r, 200);
  buf_puts(request_body_out(r), "nueva");
}

/* GET /actividad/{item}: echoes the parameter. */
static void item_page(Request *r) {
  response_status(r, 200);
  buf_appendf(request_body_out(r), "item=[%s] otro=[%s]", request_param(r, "item"),
              request_param(r, "otro") ? "?" : "(nulo)");
}

/* POST /actividad/{item}: echoes form fields. */
static void item_post(Request *r) {
  const char *zName = request_form(r, "nombre");
  const char *zFlag = request_form(r, "marca");
  response_status(r, 200);
  buf_appendf(request_body_out(r), "%s nombre=[%s] marca=[%s]", request_param(r, "item"),
              zName ? zName : "(nulo)", zFlag ? zFlag : "(nulo)");
}

/* POST /subir (ROUTE_UPLOAD): echoes the raw body's length and content. */
static void upload_post(Request *r) {
  size_t n = 0;
  const char *z = request_body(r, &n);
  response_status(r, 200);
  buf_appendf(request_body_out(r), "%zu:%s", n, z);
}

/* GET /privado (capability "a"): shows what the authorize hook attached. */
static void private_page(Request *r) {
  response_status(r, 200);
  buf_appendf(request_body_out(r), "hola %s", (const char *)request_data(r));
}

/* POST /cambiar (ROUTE_CSRF) */
static void change_post(Request *r) {
  response_redirect(r, "/actividades?ok=1");
}

/* GET /nada: forgets to set a status. */
static void nothing_page(Request *r) {
  buf_puts(request_body_out(r), "a medias");
}

/* GET /lento: takes 300 ms. */
static void slow_page(Request *r) {
  atomic_store(&g_bSlowStarted, true);
  struct timespec t = {0, 300 * 1000 * 1000};
  nanosleep(&t, NULL);
  response_status(r, 200);
  buf_puts(request_body_out(r), "lento");
}

/* GET /db: a query on this worker's connection. */
static void db_page(Request *r) {
  Db *pDb = request_db(r);
  response_status(r, 200);
  buf_appendf(request_body_out(r), "%lld", (long long)db_int(pDb, "SELECT 40 + 2"));
}

/* GET /error: builds a page, then fails with a message to escape. */
static void error_page(Request *r) {
  response_status(r, 200);
  response_header(r, "X-Antes", "1");
  buf_puts(request_body_out(r), "contenido parcial");
  response_error(r, 422, "<b>dato</b> & 'comilla' \"doble\"");
}

/* GET /cabecera: a custom header, a custom type and a replaced security header. */
static void header_page(Request *r) {
  response_status(r, 200);
  response_type(r, "text/plain; charset=utf-8");
  response_header(r, "X-Prueba", "sí");
  response_header(r, "Referrer-Policy", "no-referrer");
  buf_puts(request_body_out(r), "texto");
}

/* GET /inyeccion: a header value with CR/LF (a bug: aborts). */
static void inject_page(Request *r) {
  response_status(r, 200);
  response_header(r, "X-Prueba", "a\r\nSet-Cookie: robada=1");
}

/* The test route table (sorted, as the real one is). */
static const Route aTestRoute[] = {
    {"GET", "/", home_page, 0, NULL, 0},
    {"GET", "/actividad/nueva", new_page, 0, NULL, 0},
    {"GET", "/actividad/{item}", item_page, 0, NULL, 0},
    {"POST", "/actividad/{item}", item_post, 0, NULL, 64},
    {"GET", "/actividades", list_page, 0, NULL, 0},
    {"GET", "/cabecera", header_page, 0, NULL, 0},
    {"POST", "/cambiar", change_post, ROUTE_CSRF, NULL, 0},
    {"GET", "/db", db_page, 0, NULL, 0},
    {"GET", "/error", error_page, 0, NULL, 0},
    {"GET", "/inyeccion", inject_page, 0, NULL, 0},
    {"GET", "/lento", slow_page, 0, NULL, 0},
    {"GET", "/nada", nothing_page, 0, NULL, 0},
    {"GET", "/privado", private_page, 0, "a", 0},
    {"POST", "/subir", upload_post, ROUTE_UPLOAD, NULL, 100},
};

/* Authorize hook: routes with a capability need the cookie sesion=ok
** (401 without a session, 403 with another one). */
static bool test_authorize(Request *r, const Route *pRoute, int *piStatus) {
  if (pRoute->zCapability == NULL) {
    return true;
  }
  const char *zSession = request_cookie(r, "sesion");
  if (zSession == NULL) {
    *piStatus = 401;
    return false;
  }
  if (strcmp(zSession, "ir") == 0) {
    response_redirect(r, "/entrar?volver=/privado");
    return false;
  }
  if (strcmp(zSession, "ok") != 0) {
    *piStatus = 403;
    return false;
  }
  request_set_data(r, xstrdup("ana"), free);
  return true;
}

/* CSRF hook: the form must carry csrf=t0k3n. */
static bool test_csrf(Request *r, const Route *pRoute) {
  (void)pRoute;
  return str_eq(request_form(r, "csrf"), "t0k3n");
}

/* ---- fixture: temporary database and server ---------------------------- */

/* One test's server and its files. */
typedef struct Fixture {
  char zDir[64];     /* temporary directory */
  char *zDb;         /* zDir/test.db (owned) */
  ServerConfig cfg;  /* the configuration used */
  ServerStats stats; /* the server's counters */
  Server *s;         /* the running server, NULL once stopped */
  int iPort;         /* its port */
  char *zLog;        /* access log text (open_memstream) */
  size_t nLog;       /* its length */
  FILE *pLog;        /* access log stream */
} Fixture;

/* Create the database and the configuration (not yet started). */
static void fixture_init(Fixture *f) {
  memset(f, 0, sizeof *f);
  snprintf(f->zDir, sizeof f->zDir, "/tmp/participa-server-XXXXXX");
  cr_assert_not_null(mkdtemp(f->zDir));
  f->zDb = xasprintf("%s/test.db", f->zDir);
  char *zErr = NULL;
  Db *pDb = db_open(f->zDb, DB_CREATE, &zErr);
  cr_assert_not_null(pDb, "db_open: %s", zErr ? zErr : "");
  db_close(pDb);
  f->pLog = open_memstream(&f->zLog, &f->nLog);
  cr_assert_not_null(f->pLog);
  f->cfg.zListen = "127.0.0.1:0";
  f->cfg.zDbPath = f->zDb;
  f->cfg.nWorkers = 4;
  f->cfg.pAccessLog = f->pLog;
  f->cfg.aRoute = aTestRoute;
  f->cfg.nRoute = (int)(sizeof aTestRoute / sizeof aTestRoute[0]);
  f->cfg.pStats = &f->stats;
  f->cfg.xAuthorize = test_authorize;
  f->cfg.xCsrf = test_csrf;
}

/* Start the server of f. */
static void fixture_start(Fixture *f) {
  char *zErr = NULL;
  f->s = server_start(&f->cfg, &zErr);
  cr_assert_not_null(f->s, "server_start: %s", zErr ? zErr : "");
  cr_assert_null(zErr);
  f->iPort = server_port(f->s);
  cr_assert_gt(f->iPort, 0);
}

/* Initialise and start with the default configuration. */
static void fixture_open(Fixture *f) {
  fixture_init(f);
  fixture_start(f);
}

/* Stop the server (if running) and remove the files. */
static void fixture_close(Fixture *f) {
  server_stop(f->s);
  f->s = NULL;
  fclose(f->pLog);
  free(f->zLog);
  cr_assert_eq(test_remove_dir(f->zDir), 0);
  free(f->zDb);
}

/* Assert header zName of p is exactly zWant. */
static void assert_header(const Resp *p, const char *zName, const char *zWant) {
  char *z = resp_header(p, zName);
  cr_assert_not_null(z, "missing header %s in [%s]", zName, p->zHead);
  cr_assert_str_eq(z, zWant, "header %s", zName);
  free(z);
}

/* Assert the four security headers and a Content-Length matching the body. */
static void assert_secure(const Resp *p) {
  assert_header(p, "Content-Security-Policy", CSP);
  assert_header(p, "X-Content-Type-Options", "nosniff");
  assert_header(p, "Referrer-Policy", "same-origin");
  assert_header(p, "X-Frame-Options", "DENY");
  char *zLen = xasprintf("%zu", p->nBody);
  assert_header(p, "Content-Length", zLen);
  free(zLen);
}

/* Assert the body of p is exactly zWant. */
static void assert_body(const Resp *p, const char *zWant) {
  cr_assert_eq(p->nBody, strlen(zWant), "body [%s]", p->zBody);
  cr_assert_str_eq(p->zBody, zWant);
}

/* The error page the server renders for iStatus / zTitle / zEscapedMsg. */
static char *error_page_text(int iStatus, const char *zTitle, const char *zEscapedMsg) {
  return xasprintf("<!DOCTYPE html>\n<html lang=\"es-CO\">\n<head><meta charset=\"utf-8\">"
                   "<meta name=\"viewport\" content=\"width=device-width\">"
                   "<title>%d %s</title></head>\n<body>\n<h1>%s</h1>\n<p>%s</p>\n</body>\n"
                   "</html>\n",
                   iStatus, zTitle, zTitle, zEscapedMsg);
}

/* Assert p is the error page for iStatus with the given title and message. */
static void assert_error_page(const Resp *p, int iStatus, const char *zTitle, const char *zMsg) {
  cr_assert_eq(p->iStatus, iStatus, "status line [%s]", p->zStatus);
  assert_header(p, "Content-Type", "text/html; charset=utf-8");
  char *zWant = error_page_text(iStatus, zTitle, zMsg);
  assert_body(p, zWant);
  free(zWant);
  assert_secure(p);
}

/* ---- tests ----------------------------------------------------------------- */

Test(server, ok_page, .description = "server-1.1 200 with exact status, type, length, body") {
  Fixture f;
  fixture_open(&f);
  Resp p = http_get(f.iPort, "/");
  cr_assert_str_eq(p.zStatus, "HTTP/1.1 200 OK");
  assert_header(&p, "Content-Type", "text/html; charset=utf-8");
  assert_body(&p, "inicio");
  assert_secure(&p);
  resp_free(&p);
  fixture_close(&f);
}

Test(server, not_found, .description = "server-1.2 404 page names the path, escaped") {
  Fixture f;
  fixture_open(&f);
  Resp p = http_get(f.iPort, "/no<existe>");
  cr_assert_str_eq(p.zStatus, "HTTP/1.1 404 Not Found");
  assert_error_page(&p, 404, "Página no encontrada", "La dirección «/no&lt;existe&gt;» no existe.");
  resp_free(&p);
  /* a trailing slash is another path */
  p = http_get(f.iPort, "/actividades/");
  cr_assert_eq(p.iStatus, 404);
  resp_free(&p);
  p = http_get(f.iPort, "/actividad/");
  cr_assert_eq(p.iStatus, 404, "an empty parameter does not match");
  resp_free(&p);
  fixture_close(&f);
}

Test(server, method_not_allowed, .description = "server-1.3 405 with the Allow header") {
  Fixture f;
  fixture_open(&f);
  Resp p = http_post(f.iPort, "/", "a=1");
  cr_assert_str_eq(p.zStatus, "HTTP/1.1 405 Method Not Allowed");
  assert_header(&p, "Allow", "GET, HEAD");
  assert_error_page(&p, 405, "Método no permitido", "Esta dirección no admite ese método.");
  resp_free(&p);
  p = http_get(f.iPort, "/cambiar");
  cr_assert_eq(p.iStatus, 405);
  assert_header(&p, "Allow", "POST");
  assert_secure(&p);
  resp_free(&p);
  p = http(f.iPort, "PUT", "/actividad/3", "", "x=1");
  cr_assert_eq(p.iStatus, 405);
  assert_header(&p, "Allow", "GET, HEAD, POST");
  resp_free(&p);
  p = http(f.iPort, "DELETE", "/no-existe", "", NULL);
  cr_assert_eq(p.iStatus, 404, "an unknown path is 404 whatever the method");
  resp_free(&p);
  fixture_close(&f);
}

Test(server, head, .description = "server-1.4 HEAD on a GET route: headers, no body") {
  Fixture f;
  fixture_open(&f);
  Resp p = http(f.iPort, "HEAD", "/", "", NULL);
  cr_assert_str_eq(p.zStatus, "HTTP/1.1 200 OK");
  assert_header(&p, "Content-Length", "6");
  assert_header(&p, "X-Frame-Options", "DENY");
  cr_assert_eq(p.nBody, 0);
  resp_free(&p);
  fixture_close(&f);
}

Test(server, route_params, .description = "server-2.1 {item} decoded; literals win in order") {
  Fixture f;
  fixture_open(&f);
  Resp p = http_get(f.iPort, "/actividad/3.1");
  assert_body(&p, "item=[3.1] otro=[(nulo)]");
  resp_free(&p);
  p = http_get(f.iPort, "/actividad/nueva");
  assert_body(&p, "nueva");
  resp_free(&p);
  p = http_get(f.iPort, "/actividad/Pe%C3%B1ol%20Viejo+2");
  assert_body(&p, "item=[Peñol Viejo+2] otro=[(nulo)]");
  resp_free(&p);
  fixture_close(&f);
}

Test(server, query_values, .description = "server-2.2 query values: accents, + and %20") {
  Fixture f;
  fixture_open(&f);
  Resp p = http_get(f.iPort, "/actividades?x=1&q=Participaci%C3%B3n+ciudadana%202024&q=otra");
  cr_assert_eq(p.iStatus, 200);
  assert_body(&p, "q=[Participación ciudadana 2024]");
  resp_free(&p);
  p = http_get(f.iPort, "/actividades?q");
  assert_body(&p, "q=[]");
  resp_free(&p);
  p = http_get(f.iPort, "/actividades?&&q=a%26b%3Dc&");
  assert_body(&p, "q=[a&b=c]");
  resp_free(&p);
  p = http_get(f.iPort, "/actividades");
  assert_body(&p, "q=[(nulo)]");
  resp_free(&p);
  fixture_close(&f);
}

Test(server, form_values, .description = "server-2.3 form fields decoded; charset accepted") {
  Fixture f;
  fixture_open(&f);
  Resp p = http_post(f.iPort, "/actividad/7", "nombre=Jos%C3%A9+P%C3%A9rez%20G%C3%B3mez&marca");
  cr_assert_str_eq(p.zStatus, "HTTP/1.1 200 OK");
  assert_body(&p, "7 nombre=[José Pérez Gómez] marca=[]");
  resp_free(&p);
  p = http(f.iPort, "POST", "/actividad/8",
           "Content-Type: application/x-www-form-urlencoded; charset=UTF-8\r\n", "nombre=a+b");
  assert_body(&p, "8 nombre=[a b] marca=[(nulo)]");
  resp_free(&p);
  p = http(f.iPort, "POST", "/actividad/9", "", NULL);
  assert_body(&p, "9 nombre=[(nulo)] marca=[(nulo)]");
  resp_free(&p);
  fixture_close(&f);
}

Test(server, bad_requests, .description = "server-3.1 malformed targets and forms are 400") {
  Fixture f;
  fixture_open(&f);
  const char *azBad[] = {
      "/actividad/%zz",     "/actividad/%C3",   "/actividad/%00x",
      "/actividad/a%2Fb",   "/actividad/..",    "/actividad/%2e",
      "/actividades?q=%G1", "/actividades?q=%", "/actividades?q=%C3%28",
  };
  for (size_t i = 0; i < sizeof azBad / sizeof azBad[0]; i++) {
    Resp p = http_get(f.iPort, azBad[i]);
    cr_assert_eq(p.iStatus, 400, "%s gave [%s]", azBad[i], p.zStatus);
    assert_error_page(&p, 400, "Solicitud no válida", "La dirección de la solicitud no es válida.");
    resp_free(&p);
  }
  Resp p = http_post(f.iPort, "/actividad/7", "nombre=%E1");
  assert_error_page(&p, 400, "Solicitud no válida", "El formulario enviado no es válido.");
  resp_free(&p);
  fixture_close(&f);
}

Test(server, unsupported_type, .description = "server-3.2 a non-form POST body is 415") {
  Fixture f;
  fixture_open(&f);
  Resp p = http(f.iPort, "POST", "/actividad/7", "Content-Type: application/json\r\n", "{}");
  cr_assert_str_eq(p.zStatus, "HTTP/1.1 415 Unsupported Media Type");
  assert_error_page(&p, 415, "Tipo de contenido no admitido",
                    "Esta dirección solo recibe formularios.");
  resp_free(&p);
  p = http(f.iPort, "POST", "/actividad/7", "", "nombre=x");
  cr_assert_eq(p.iStatus, 415, "a body without Content-Type");
  resp_free(&p);
  /* an upload route takes any type */
  p = http(f.iPort, "POST", "/subir", "Content-Type: application/octet-stream\r\n", "a\x01z");
  cr_assert_eq(p.iStatus, 200);
  assert_body(&p, "3:a\x01z");
  resp_free(&p);
  fixture_close(&f);
}

Test(server, too_large_declared, .description = "server-4.1 413 on Content-Length, body unsent") {
  Fixture f;
  fixture_open(&f);
  const char *zReq = "POST /actividad/7 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                     "Content-Type: application/x-www-form-urlencoded\r\n"
                     "Content-Length: 1000000000\r\n\r\n";
  Resp p = http_raw(f.iPort, zReq, strlen(zReq));
  cr_assert_str_eq(p.zStatus, "HTTP/1.1 413 Content Too Large");
  assert_error_page(&p, 413, "Contenido demasiado grande",
                    "El contenido enviado supera el límite permitido.");
  resp_free(&p);
  /* exactly the limit (64) is accepted, one more byte is not */
  char *zBody = xasprintf("nombre=%057d", 0);
  cr_assert_eq(strlen(zBody), 64);
  p = http_post(f.iPort, "/actividad/7", zBody);
  cr_assert_eq(p.iStatus, 200);
  resp_free(&p);
  free(zBody);
  zBody = xasprintf("nombre=%058d", 0);
  p = http_post(f.iPort, "/actividad/7", zBody);
  cr_assert_eq(p.iStatus, 413);
  resp_free(&p);
  free(zBody);
  /* the server default (1 MiB) on a route without its own limit */
  zReq = "POST /cambiar HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
         "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1048577\r\n\r\n";
  p = http_raw(f.iPort, zReq, strlen(zReq));
  cr_assert_eq(p.iStatus, 413);
  resp_free(&p);
  fixture_close(&f);
}

Test(server, too_large_chunked,
     .description = "server-4.2 413 when a chunked body passes the limit") {
  Fixture f;
  fixture_open(&f);
  const char *zHead =
      "POST /subir HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
      "Content-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
  /* within the limit (100): 2 chunks of 50 */
  Buf b = BUF_INIT;
  buf_puts(&b, zHead);
  for (int i = 0; i < 2; i++) {
    buf_appendf(&b, "32\r\n%050d\r\n", i);
  }
  buf_puts(&b, "0\r\n\r\n");
  Resp p = http_raw(f.iPort, b.z, b.n);
  cr_assert_eq(p.iStatus, 200, "[%s]", p.zStatus);
  cr_assert_eq(strncmp(p.zBody, "100:", 4), 0);
  resp_free(&p);
  /* over it: 3 chunks of 50 */
  buf_clear(&b);
  buf_puts(&b, zHead);
  for (int i = 0; i < 3; i++) {
    buf_appendf(&b, "32\r\n%050d\r\n", i);
  }
  buf_puts(&b, "0\r\n\r\n");
  p = http_raw(f.iPort, b.z, b.n);
  assert_error_page(&p, 413, "Contenido demasiado grande",
                    "El contenido enviado supera el límite permitido.");
  resp_free(&p);
  /* an endless upload (here 1 MiB) is cut off: the connection is dropped */
  buf_clear(&b);
  buf_puts(&b, zHead);
  for (int i = 0; i < 1024; i++) {
    buf_appendf(&b, "400\r\n%01024d\r\n", i);
  }
  buf_puts(&b, "0\r\n\r\n");
  int fd = connect_to(f.iPort);
  send_all(fd, b.z, b.n);
  char aChunk[256];
  cr_assert_leq(recv(fd, aChunk, sizeof aChunk, 0), 0, "no response, the connection is closed");
  close(fd);
  buf_reset(&b);
  fixture_close(&f);
}

Test(server, authorize_hook, .description = "server-5.1 the authorize hook gives 401/403/200") {
  Fixture f;
  fixture_open(&f);
  Resp p = http_get(f.iPort, "/privado");
  cr_assert_str_eq(p.zStatus, "HTTP/1.1 401 Unauthorized");
  assert_error_page(&p, 401, "Debe iniciar sesión", "Inicie sesión para continuar.");
  resp_free(&p);
  p = http(f.iPort, "GET", "/privado", "Cookie: otra=ok; sesion=mala\r\n", NULL);
  cr_assert_str_eq(p.zStatus, "HTTP/1.1 403 Forbidden");
  assert_error_page(&p, 403, "Acceso denegado", "Su usuario no tiene permiso para esta página.");
  resp_free(&p);
  p = http(f.iPort, "GET", "/privado", "Cookie: sesion=ir\r\n", NULL);
  cr_assert_str_eq(p.zStatus, "HTTP/1.1 303 See Other", "the hook's own response is sent");
  assert_header(&p, "Location", "/entrar?volver=/privado");
  assert_secure(&p);
  resp_free(&p);
  p = http(f.iPort, "GET", "/privado", "Cookie: sesion=ok\r\n", NULL);
  cr_assert_eq(p.iStatus, 200);
  assert_body(&p, "hola ana");
  resp_free(&p);
  fixture_close(&f);
}

Test(server, csrf_hook, .description = "server-5.2 ROUTE_CSRF: 403 without the token") {
  Fixture f;
  fixture_open(&f);
  Resp p = http_post(f.iPort, "/cambiar", "x=1");
  assert_error_page(&p, 403, "Acceso denegado",
                    "El formulario venció o no proviene de este sitio. Vuelva a cargar la página "
                    "e intente de nuevo.");
  resp_free(&p);
  p = http_post(f.iPort, "/cambiar", "x=1&csrf=t0k3n");
  cr_assert_str_eq(p.zStatus, "HTTP/1.1 303 See Other");
  assert_header(&p, "Location", "/actividades?ok=1");
  assert_secure(&p);
  cr_assert_eq(p.nBody, 0);
  resp_free(&p);
  fixture_close(&f);
}

Test(server, no_status, .description = "server-6.1 a handler that sets no status gives 500") {
  Fixture f;
  fixture_open(&f);
  Resp p = http_get(f.iPort, "/nada");
  cr_assert_str_eq(p.zStatus, "HTTP/1.1 500 Internal Server Error");
  assert_error_page(&p, 500, "Error interno del servidor", "La página no produjo una respuesta.");
  resp_free(&p);
  fixture_close(&f);
}

Test(server, error_replaces, .description = "server-6.2 response_error replaces body and headers") {
  Fixture f;
  fixture_open(&f);
  Resp p = http_get(f.iPort, "/error");
  cr_assert_str_eq(p.zStatus, "HTTP/1.1 422 Unprocessable Content");
  assert_error_page(&p, 422, "Solicitud rechazada",
                    "&lt;b&gt;dato&lt;/b&gt; &amp; &#39;comilla&#39; &quot;doble&quot;");
  char *z = resp_header(&p, "X-Antes");
  cr_assert_null(z);
  resp_free(&p);
  fixture_close(&f);
}

Test(server, custom_headers,
     .description = "server-6.3 handler headers; a security header replaced") {
  Fixture f;
  fixture_open(&f);
  Resp p = http_get(f.iPort, "/cabecera");
  cr_assert_eq(p.iStatus, 200);
  assert_header(&p, "Content-Type", "text/plain; charset=utf-8");
  assert_header(&p, "X-Prueba", "sí");
  assert_header(&p, "Referrer-Policy", "no-referrer");
  assert_header(&p, "X-Frame-Options", "DENY");
  assert_header(&p, "Content-Security-Policy", CSP);
  cr_assert_null(strstr(p.zHead, "same-origin"));
  assert_body(&p, "texto");
  resp_free(&p);
  fixture_close(&f);
}

/* The directory of the test that is meant to abort, removed by the signal
** handler below (abort runs no cleanup). */
static char azAbortFile[4][96];

/* SIGABRT handler: remove the test's files with async-signal-safe calls,
** then die of the signal as expected. */
static void on_abort(int iSig) {
  for (int i = 1; i < 4; i++) {
    unlink(azAbortFile[i]);
  }
  rmdir(azAbortFile[0]);
  signal(iSig, SIG_DFL);
  raise(iSig);
}

Test(server, header_injection, .signal = SIGABRT,
     .description = "server-6.4 CR/LF in a header value is a bug and aborts") {
  Fixture f;
  fixture_open(&f);
  snprintf(azAbortFile[0], sizeof azAbortFile[0], "%s", f.zDir);
  snprintf(azAbortFile[1], sizeof azAbortFile[1], "%s", f.zDb);
  snprintf(azAbortFile[2], sizeof azAbortFile[2], "%s-wal", f.zDb);
  snprintf(azAbortFile[3], sizeof azAbortFile[3], "%s-shm", f.zDb);
  signal(SIGABRT, on_abort);
  Resp p = http_get(f.iPort, "/inyeccion");
  resp_free(&p);
}

/* A client thread's work: nRequest GETs of /actividad/<thread>-<i>. */
typedef struct Client {
  int iPort; /* server port */
  int iId;   /* thread number */
  int nOk;   /* responses with the expected body */
} Client;

/* Thread body for the concurrency test. */
static void *client_main(void *p) {
  Client *c = p;
  for (int i = 0; i < 50; i++) {
    char *zTarget = xasprintf(i % 5 == 0 ? "/db?t=%d-%d" : "/actividad/%d-%d", c->iId, i);
    char *zWant = xasprintf(i % 5 == 0 ? "42" : "item=[%d-%d] otro=[(nulo)]", c->iId, i);
    Resp r = http_get(c->iPort, zTarget);
    c->nOk += r.iStatus == 200 && r.nBody == strlen(zWant) && strcmp(r.zBody, zWant) == 0;
    resp_free(&r);
    free(zTarget);
    free(zWant);
  }
  return NULL;
}

Test(server, concurrency, .description = "server-7.1 8 threads x 50 requests, one Db per worker") {
  Fixture f;
  fixture_open(&f);
  pthread_t aThread[8];
  Client aClient[8];
  for (int i = 0; i < 8; i++) {
    aClient[i] = (Client){f.iPort, i, 0};
    cr_assert_eq(pthread_create(&aThread[i], NULL, client_main, &aClient[i]), 0);
  }
  int nOk = 0;
  for (int i = 0; i < 8; i++) {
    pthread_join(aThread[i], NULL);
    nOk += aClient[i].nOk;
  }
  cr_assert_eq(nOk, 400);
  server_stop(f.s);
  f.s = NULL;
  long nOpen = atomic_load(&f.stats.nDbOpen);
  cr_assert_geq(nOpen, 1);
  cr_assert_leq(nOpen, 4, "each of the 4 workers opens at most one Db, got %ld", nOpen);
  cr_assert_eq(atomic_load(&f.stats.nDbClose), nOpen, "every worker Db closed at stop");
  cr_assert_eq(atomic_load(&f.stats.nRequest), 400);
  fixture_close(&f);
}

/* Thread body: GET /lento, keeping the response. */
static void *slow_client(void *p) {
  Client *c = p;
  Resp r = http_get(c->iPort, "/lento");
  c->nOk = r.iStatus == 200 && strcmp(r.zBody, "lento") == 0;
  resp_free(&r);
  return NULL;
}

/* Thread body: server_stop(p). */
static void *stop_main(void *p) {
  server_stop(p);
  return NULL;
}

Test(server, graceful_stop, .description = "server-7.2 stop lets an in-flight request finish") {
  Fixture f;
  fixture_open(&f);
  atomic_store(&g_bSlowStarted, false);
  Client c = {f.iPort, 0, 0};
  pthread_t t;
  cr_assert_eq(pthread_create(&t, NULL, slow_client, &c), 0);
  while (!atomic_load(&g_bSlowStarted)) {
    struct timespec d = {0, 1000 * 1000};
    nanosleep(&d, NULL);
  }
  pthread_t tStop;
  cr_assert_eq(pthread_create(&tStop, NULL, stop_main, f.s), 0);
  /* while the slow request drains, new connections are refused */
  struct timespec d = {0, 100 * 1000 * 1000};
  nanosleep(&d, NULL);
  cr_assert(atomic_load(&g_bSlowStarted));
  int fdNew = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in aNew;
  memset(&aNew, 0, sizeof aNew);
  aNew.sin_family = AF_INET;
  aNew.sin_port = htons((uint16_t)f.iPort);
  aNew.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  cr_assert_neq(connect(fdNew, (struct sockaddr *)&aNew, sizeof aNew), 0);
  close(fdNew);
  pthread_join(tStop, NULL);
  f.s = NULL;
  pthread_join(t, NULL);
  cr_assert_eq(c.nOk, 1, "the slow request completed with 200");
  cr_assert_eq(atomic_load(&f.stats.nDbOpen), atomic_load(&f.stats.nDbClose));
  /* no longer accepting */
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)f.iPort);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  cr_assert_neq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
  close(fd);
  fixture_close(&f);
}

Test(server, access_log, .description = "server-8.1 one access-log line per request") {
  setenv("PARTICIPA_NOW", "2021-06-30T12:00:00Z", 1);
  Fixture f;
  fixture_open(&f);
  Resp p = http_get(f.iPort, "/actividades?q=secreto");
  resp_free(&p);
  p = http_get(f.iPort, "/caf\xC3\xA9");
  cr_assert_eq(p.iStatus, 404);
  resp_free(&p);
  server_stop(f.s);
  f.s = NULL;
  fflush(f.pLog);
  /* the milliseconds vary: mask them */
  Buf masked = BUF_INIT;
  for (const char *z = f.zLog; *z;) {
    const char *zEol = strchr(z, '\n');
    cr_assert_not_null(zEol);
    const char *zSp = zEol;
    while (zSp > z && zSp[-1] != ' ') {
      zSp--;
    }
    cr_assert(zSp < zEol && strspn(zSp, "0123456789") == (size_t)(zEol - zSp));
    buf_append(&masked, z, (size_t)(zSp - z));
    buf_puts(&masked, "MS\n");
    z = zEol + 1;
  }
  char *zPage = error_page_text(404, "Página no encontrada", "La dirección «/café» no existe.");
  char *zWant = xasprintf("2021-06-30T12:00:00Z 127.0.0.1 GET /actividades 200 11 MS\n"
                          "2021-06-30T12:00:00Z 127.0.0.1 GET /caf%%C3%%A9 404 %zu MS\n",
                          strlen(zPage));
  cr_assert_str_eq(buf_str(&masked), zWant);
  free(zWant);
  free(zPage);
  buf_reset(&masked);
  fixture_close(&f);
}

Test(server, start_errors, .description = "server-9.1 server_start refuses with a message") {
  Fixture f;
  fixture_open(&f);
  char *zErr = NULL;
  /* port in use */
  ServerConfig cfg = f.cfg;
  char *zListen = xasprintf("127.0.0.1:%d", f.iPort);
  cfg.zListen = zListen;
  cr_assert_null(server_start(&cfg, &zErr));
  char *zWant =
      xasprintf("la dirección «%s» ya está en uso (¿hay otro servidor corriendo?)", zListen);
  cr_assert_str_eq(zErr, zWant);
  free(zWant);
  free(zErr);
  free(zListen);
  /* bad address */
  cfg = f.cfg;
  cfg.zListen = "127.0.0.1";
  cr_assert_null(server_start(&cfg, &zErr));
  cr_assert_str_eq(zErr, "dirección de escucha no válida «127.0.0.1»: use IP:PUERTO, por "
                         "ejemplo 127.0.0.1:8080");
  free(zErr);
  cfg.zListen = "300.0.0.1:80";
  cr_assert_null(server_start(&cfg, &zErr));
  free(zErr);
  /* CSRF on a GET route; capability without a hook; duplicates */
  static const Route aBad1[] = {{"GET", "/x", home_page, ROUTE_CSRF, NULL, 0}};
  cfg = f.cfg;
  cfg.aRoute = aBad1;
  cfg.nRoute = 1;
  cr_assert_null(server_start(&cfg, &zErr));
  cr_assert_str_eq(zErr, "ruta 1 (GET /x): ROUTE_CSRF solo vale en rutas POST");
  free(zErr);
  cfg.aRoute = aTestRoute;
  cfg.nRoute = f.cfg.nRoute;
  cfg.xAuthorize = NULL;
  cr_assert_null(server_start(&cfg, &zErr));
  cr_assert_str_eq(zErr, "ruta 13 (GET /privado): exige una capacidad pero no hay función de "
                         "autorización");
  free(zErr);
  static const Route aBad2[] = {{"GET", "/a/{id}", home_page, 0, NULL, 0},
                                {"GET", "/a/{id}", home_page, 0, NULL, 0}};
  cfg = f.cfg;
  cfg.aRoute = aBad2;
  cfg.nRoute = 2;
  cr_assert_null(server_start(&cfg, &zErr));
  cr_assert_str_eq(zErr, "ruta 2 (GET /a/{id}): está repetida");
  free(zErr);
  static const Route aBad3[] = {{"GET", "/a/{Id}", home_page, 0, NULL, 0}};
  cfg.aRoute = aBad3;
  cfg.nRoute = 1;
  cr_assert_null(server_start(&cfg, &zErr));
  cr_assert_str_eq(zErr, "ruta 1 (GET /a/{Id}): el nombre de un parámetro solo admite a-z, 0-9 "
                         "y «_»");
  free(zErr);
  /* a missing database */
  cfg = f.cfg;
  char *zMissing = xasprintf("%s/no.db", f.zDir);
  cfg.zDbPath = zMissing;
  cr_assert_null(server_start(&cfg, &zErr));
  cr_assert_not_null(strstr(zErr, "no existe la base de datos"));
  free(zErr);
  free(zMissing);
  fixture_close(&f);
}

Test(server, header_too_large,
     .description = "server-3.3 headers past nMaxHeader: refused, logged") {
  Fixture f;
  fixture_init(&f);
  f.cfg.nMaxHeader = 8192;
  fixture_start(&f);
  Buf b = BUF_INIT;
  buf_puts(&b, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: c=");
  for (int i = 0; i < 20000; i++) {
    buf_putc(&b, 'a');
  }
  buf_puts(&b, "\r\n\r\n");
  Resp p = http_raw(f.iPort, b.z, b.n);
  /* libmicrohttpd answers this itself (without our headers: see server.h) */
  cr_assert_str_eq(p.zStatus, "HTTP/1.1 431 Request Header Fields Too Large");
  resp_free(&p);
  buf_reset(&b);
  server_stop(f.s);
  f.s = NULL;
  fflush(f.pLog);
  cr_assert_not_null(strstr(f.zLog, " 127.0.0.1 - / - 0 "), "log: [%s]", f.zLog);
  fixture_close(&f);
}

Test(server, absolute_target, .description = "server-3.4 a target not starting with / is 400") {
  Fixture f;
  fixture_open(&f);
  const char *zReq = "GET http://127.0.0.1/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  Resp p = http_raw(f.iPort, zReq, strlen(zReq));
  assert_error_page(&p, 400, "Solicitud no válida", "La dirección de la solicitud no es válida.");
  resp_free(&p);
  fixture_close(&f);
}

/* Read exactly one response (headers, then Content-Length bytes) from fd,
** which stays open. Returns the raw text; caller frees. */
static char *read_one(int fd) {
  Buf b = BUF_INIT;
  const char *zEnd = NULL;
  size_t nWant = 0;
  for (;;) {
    if (zEnd == NULL && (zEnd = strstr(buf_str(&b), "\r\n\r\n")) != NULL) {
      const char *zLen = strstr(buf_str(&b), "\r\nContent-Length: ");
      cr_assert(zLen != NULL && zLen < zEnd);
      nWant = (size_t)(zEnd - b.z) + 4 + (size_t)atol(zLen + 18);
    }
    if (zEnd != NULL && b.n >= nWant) {
      break;
    }
    char c;
    ssize_t k = recv(fd, &c, 1, 0);
    cr_assert_eq(k, 1, "connection closed early: [%s]", buf_str(&b));
    buf_putc(&b, c);
  }
  return buf_take(&b);
}

Test(server, keep_alive,
     .description = "server-7.3 keep-alive and pipelining; idle ones do not delay stop") {
  Fixture f;
  fixture_open(&f);
  int fd = connect_to(f.iPort);
  const char *zTwo = "GET /actividad/1 HTTP/1.1\r\nHost: x\r\n\r\n"
                     "GET /actividad/2 HTTP/1.1\r\nHost: x\r\n\r\n";
  send_all(fd, zTwo, strlen(zTwo));
  char *z = read_one(fd);
  cr_assert_not_null(strstr(z, "\r\n\r\nitem=[1] otro=[(nulo)]"), "[%s]", z);
  free(z);
  z = read_one(fd);
  cr_assert_not_null(strstr(z, "\r\n\r\nitem=[2] otro=[(nulo)]"), "[%s]", z);
  free(z);
  /* the connection stays open and idle: stop must not wait for it */
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  server_stop(f.s);
  f.s = NULL;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double dSec = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  cr_assert_lt(dSec, 1.0, "stop took %.2f s", dSec);
  char c;
  cr_assert_leq(recv(fd, &c, 1, 0), 0, "the idle connection is closed at stop");
  close(fd);
  fixture_close(&f);
}

Test(server, one_worker, .description = "server-7.4 a pool of one worker opens one Db") {
  Fixture f;
  fixture_init(&f);
  f.cfg.nWorkers = 1;
  fixture_start(&f);
  for (int i = 0; i < 10; i++) {
    Resp p = http_get(f.iPort, "/db");
    assert_body(&p, "42");
    resp_free(&p);
  }
  server_stop(f.s);
  f.s = NULL;
  cr_assert_eq(atomic_load(&f.stats.nDbOpen), 1);
  cr_assert_eq(atomic_load(&f.stats.nDbClose), 1);
  cr_assert_eq(atomic_load(&f.stats.nRequest), 10);
  fixture_close(&f);
}

/* ---- issue 8: faults, early close, deadlines, limits, proxies, files ---- */

/* GET /escribir: one insert in a transaction on this worker's database. */
static void write_page(Request *r) {
  Db *pDb = request_db(r);
  db_begin(pDb);
  Stmt *s = db_prepare(pDb, "INSERT INTO prueba_srv(v) VALUES (:v)");
  db_bind_text(s, ":v", "x");
  db_run(s);
  db_finalize(s);
  db_commit(pDb);
  response_status(r, 200);
  buf_puts(request_body_out(r), "escrito");
}

/* GET /ip: the client and peer addresses. */
static void ip_page(Request *r) {
  response_status(r, 200);
  buf_appendf(request_body_out(r), "%s|%s", request_remote_addr(r), request_peer_addr(r));
}

/* The file /archivo sends (set by the test). */
static char g_zFile[128];

/* GET /archivo: g_zFile from disk. */
static void file_page(Request *r) {
  int fd = open(g_zFile, O_RDONLY);
  struct stat st;
  cr_assert(fd >= 0 && fstat(fd, &st) == 0);
  response_status(r, 200);
  response_type(r, "application/octet-stream");
  response_file(r, fd, (uint64_t)st.st_size);
}

/* GET /archivo-error: a file response replaced by an error page. */
static void file_error_page(Request *r) {
  int fd = open(g_zFile, O_RDONLY);
  cr_assert(fd >= 0);
  response_status(r, 200);
  response_file(r, fd, 10);
  response_error(r, 404, "No está.");
}

/* FNV-1a of n bytes. */
static unsigned fnv(const char *z, size_t n) {
  unsigned h = 2166136261u;
  for (size_t i = 0; i < n; i++) {
    h = (h ^ (unsigned char)z[i]) * 16777619u;
  }
  return h;
}

/* Spool files this process holds open (their names start so). */
static int open_spool_files(void) {
  DIR *d = opendir("/proc/self/fd");
  cr_assert_not_null(d);
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    char zLink[300], zTo[512];
    snprintf(zLink, sizeof zLink, "/proc/self/fd/%s", e->d_name);
    ssize_t k = readlink(zLink, zTo, sizeof zTo - 1);
    if (k > 0) {
      zTo[k] = 0;
      n += strstr(zTo, "participa-subida-") != NULL;
    }
  }
  closedir(d);
  return n;
}

/* Spool files open while the big upload handler ran. */
static int g_nSpoolDuring;

/* POST /subir-grande (ROUTE_UPLOAD, 4 MiB): length, hash, NUL after it. */
static void big_upload_post(Request *r) {
  size_t n = 0;
  const char *z = request_body(r, &n);
  g_nSpoolDuring = open_spool_files();
  response_status(r, 200);
  buf_appendf(request_body_out(r), "%zu:%08x:%d", n, fnv(z, n), z[n] == 0);
}

/* Routes of the issue 8 tests. */
static const Route aHardRoute[] = {
    {"GET", "/", home_page, 0, NULL, 0},
    {"GET", "/archivo", file_page, 0, NULL, 0},
    {"GET", "/archivo-error", file_error_page, 0, NULL, 0},
    {"GET", "/escribir", write_page, 0, NULL, 0},
    {"GET", "/ip", ip_page, 0, NULL, 0},
    {"POST", "/subir", upload_post, ROUTE_UPLOAD, NULL, 100},
    {"POST", "/subir-grande", big_upload_post, ROUTE_UPLOAD, NULL, 4u << 20},
};

/* fixture_init() with the issue 8 routes. */
static void hard_init(Fixture *f) {
  fixture_init(f);
  f->cfg.aRoute = aHardRoute;
  f->cfg.nRoute = (int)(sizeof aHardRoute / sizeof aHardRoute[0]);
}

/* Seconds since *p. */
static double since(const struct timespec *p) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)(t.tv_sec - p->tv_sec) + (double)(t.tv_nsec - p->tv_nsec) / 1e9;
}

/* Sleep n milliseconds. */
static void sleep_ms(long n) {
  struct timespec t = {n / 1000, (n % 1000) * 1000000L};
  nanosleep(&t, NULL);
}

/* True when the server has closed fd (EOF or reset), without blocking. */
static bool peer_closed(int fd) {
  char c;
  ssize_t k = recv(fd, &c, 1, MSG_DONTWAIT);
  return k == 0 || (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

/* Connect from source address zFrom to 127.0.0.1:iPort. */
static int connect_from(const char *zFrom, int iPort) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  cr_assert(fd >= 0);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  inet_pton(AF_INET, zFrom, &a.sin_addr);
  cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
  a.sin_port = htons((uint16_t)iPort);
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  cr_assert_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
  struct timeval tv = {5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

Test(server, db_fault_503,
     .description = "server-10.1 issue 8.1: a locked database gives 503 + Retry-After, the "
                    "worker goes on") {
  Fixture f;
  hard_init(&f);
  f.cfg.nWorkers = 1;
  f.cfg.nBusyTimeoutMs = 100;
  char *zErr = NULL;
  Db *pLock = db_open(f.zDb, 0, &zErr);
  cr_assert_not_null(pLock);
  db_exec(pLock, "CREATE TABLE prueba_srv(v TEXT)");
  fixture_start(&f);
  /* another connection holds the write lock */
  db_begin(pLock);
  Stmt *s = db_prepare(pLock, "INSERT INTO prueba_srv(v) VALUES (:v)");
  db_bind_text(s, ":v", "bloqueo");
  db_run(s);
  db_finalize(s);
  Resp p = http_get(f.iPort, "/escribir");
  cr_assert_eq(p.iStatus, 503, "[%s]", p.zStatus);
  assert_header(&p, "Retry-After", "5");
  assert_error_page(&p, 503, "Servicio no disponible",
                    "El servidor no pudo completar la operación por una falla temporal. Intente "
                    "de nuevo en unos segundos.");
  resp_free(&p);
  cr_assert_eq(atomic_load(&f.stats.nFault), 1);
  db_commit(pLock);
  /* the same worker serves the next request and writes */
  p = http_get(f.iPort, "/escribir");
  cr_assert_eq(p.iStatus, 200);
  assert_body(&p, "escrito");
  resp_free(&p);
  cr_assert_eq(db_int(pLock, "SELECT count(*) FROM prueba_srv"), 2);
  db_close(pLock);
  server_stop(f.s);
  f.s = NULL;
  cr_assert_eq(atomic_load(&f.stats.nDbOpen), 1, "one worker, one connection: it survived");
  fixture_close(&f);
}

Test(server, early_close_freed,
     .description = "server-10.2 issue 8.2: a request libmicrohttpd drops early is freed") {
  Fixture f;
  hard_init(&f);
  f.cfg.nWorkers = 1;
  fixture_start(&f);
  Buf req = BUF_INIT;
  buf_puts(&req, "GET /?");
  for (int i = 0; i < 4000; i++) {
    buf_puts(&req, "a=1&");
  }
  buf_puts(&req, "a=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  for (int k = 0; k < 20; k++) {
    /* libmicrohttpd answers or just closes: either way nothing is left */
    int fd = connect_to(f.iPort);
    send(fd, req.z, req.n, MSG_NOSIGNAL);
    char a[4096];
    while (recv(fd, a, sizeof a, 0) > 0) {
    }
    close(fd);
  }
  buf_reset(&req);
  for (int i = 0; i < 100 && server_in_flight(f.s) != 0; i++) {
    sleep_ms(10);
  }
  cr_assert_eq(server_in_flight(f.s), 0, "every request freed");
  cr_assert_eq(atomic_load(&f.stats.nEarly), 20, "freed at close, not by the completion callback");
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  server_stop(f.s);
  f.s = NULL;
  cr_assert_lt(since(&t0), 1.0, "graceful stop does not wait for them");
  fixture_close(&f);
}

Test(server, header_deadline,
     .description = "server-10.3 issue 8.3: headers trickled one line at a time are cut") {
  Fixture f;
  hard_init(&f);
  f.cfg.nHeaderTimeoutSec = 1;
  fixture_start(&f);
  int fd = connect_to(f.iPort);
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  const char *zLine = "GET / HTTP/1.1\r\n";
  send(fd, zLine, strlen(zLine), MSG_NOSIGNAL);
  bool bCut = false;
  while (!bCut && since(&t0) < 5.0) {
    sleep_ms(200);
    send(fd, "X-a: 1\r\n", 8, MSG_NOSIGNAL);
    bCut = peer_closed(fd);
  }
  double dCut = since(&t0);
  close(fd);
  cr_assert(bCut, "the trickling client was never cut");
  cr_assert_geq(dCut, 0.9, "cut after %.2f s, before the deadline", dCut);
  cr_assert_leq(dCut, 2.0, "cut after %.2f s", dCut);
  cr_assert_eq(atomic_load(&f.stats.nCut), 1);
  /* a prompt client is served */
  Resp p = http_get(f.iPort, "/");
  assert_body(&p, "inicio");
  resp_free(&p);
  for (int i = 0; i < 100 && server_in_flight(f.s) != 0; i++) {
    sleep_ms(10);
  }
  cr_assert_eq(server_in_flight(f.s), 0);
  fixture_close(&f);
}

Test(server, body_deadline,
     .description = "server-10.9 issue 8.3: a body trickled byte by byte is cut") {
  Fixture f;
  hard_init(&f);
  f.cfg.nHeaderTimeoutSec = 1; /* body: 16 KiB in every 1.5 s window */
  fixture_start(&f);
  int fd = connect_to(f.iPort);
  const char *zHead = "POST /subir-grande HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                      "Content-Length: 1000000\r\n\r\n";
  send(fd, zHead, strlen(zHead), MSG_NOSIGNAL);
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  /* a large part at once earns nothing: the trickle after it is cut at the
  ** end of the window where too little came */
  char *zPart = xmalloc(300000);
  memset(zPart, 'x', 300000);
  send_all(fd, zPart, 300000);
  free(zPart);
  bool bCut = false;
  while (!bCut && since(&t0) < 8.0) {
    sleep_ms(200);
    send(fd, "x", 1, MSG_NOSIGNAL);
    bCut = peer_closed(fd);
  }
  double dCut = since(&t0);
  close(fd);
  cr_assert(bCut, "the trickled body was never cut");
  cr_assert_geq(dCut, 1.4, "cut after %.2f s, before the window ended", dCut);
  cr_assert_leq(dCut, 3.5, "cut after %.2f s", dCut);
  cr_assert_eq(atomic_load(&f.stats.nCut), 1);
  for (int i = 0; i < 100 && server_in_flight(f.s) != 0; i++) {
    sleep_ms(10);
  }
  cr_assert_eq(server_in_flight(f.s), 0);
  cr_assert_eq(open_spool_files(), 0, "its spool file is gone");
  fixture_close(&f);
}

Test(server, spool_failure,
     .description = "server-10.10 issue 8.1: an upload that cannot be written gives 503") {
  Fixture f;
  hard_init(&f);
  char *zSpool = xasprintf("%s/no-existe", f.zDir);
  f.cfg.zSpoolDir = zSpool;
  fixture_start(&f);
  /* past 64 KiB, so that the body goes to the (impossible) spool */
  char *zBody = xmalloc(100001);
  memset(zBody, 'h', 100000);
  zBody[100000] = 0;
  Resp p = http(f.iPort, "POST", "/subir-grande", "Content-Type: text/plain\r\n", zBody);
  free(zBody);
  cr_assert_eq(p.iStatus, 503, "[%s]", p.zStatus);
  assert_header(&p, "Retry-After", "5");
  assert_error_page(&p, 503, "Servicio no disponible",
                    "El servidor no puede recibir el archivo en este momento. Intente de nuevo "
                    "en unos minutos.");
  resp_free(&p);
  cr_assert_eq(atomic_load(&f.stats.nFault), 1);
  /* the server goes on */
  p = http_get(f.iPort, "/");
  assert_body(&p, "inicio");
  resp_free(&p);
  free(zSpool);
  fixture_close(&f);
}

Test(server, per_addr_limit,
     .description = "server-10.4 issue 8.3: connections past the per-address limit are refused") {
  Fixture f;
  hard_init(&f);
  f.cfg.nWorkers = 1;
  f.cfg.nMaxConnPerAddr = 3;
  fixture_start(&f);
  int aFd[6];
  for (int i = 0; i < 6; i++) {
    aFd[i] = connect_from("127.0.0.1", f.iPort);
    sleep_ms(20);
  }
  sleep_ms(200);
  int nClosed = 0;
  for (int i = 0; i < 6; i++) {
    nClosed += peer_closed(aFd[i]);
  }
  cr_assert_eq(nClosed, 3, "%d of 6 refused", nClosed);
  cr_assert_eq(atomic_load(&f.stats.nRefused), 3);
  /* another address is served meanwhile */
  int fd = connect_from("127.0.0.2", f.iPort);
  const char *zReq = "GET /ip HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  send_all(fd, zReq, strlen(zReq));
  Resp p = read_resp(fd);
  assert_body(&p, "127.0.0.2|127.0.0.2");
  resp_free(&p);
  for (int i = 0; i < 6; i++) {
    close(aFd[i]);
  }
  /* once closed, 127.0.0.1 is served again */
  sleep_ms(200);
  p = http_get(f.iPort, "/");
  assert_body(&p, "inicio");
  resp_free(&p);
  fixture_close(&f);
}

/* One case of the trusted-proxy table. */
typedef struct ProxyCase {
  const char *zHeaders; /* extra header lines */
  const char *zWant;    /* client|peer */
} ProxyCase;

Test(server, trusted_proxy,
     .description = "server-10.5 issue 8.5: the client address behind a trusted proxy") {
  static const ProxyCase aCase[] = {
      {"", "127.0.0.1|127.0.0.1"},
      {"X-Forwarded-For: 203.0.113.7\r\n", "203.0.113.7|127.0.0.1"},
      {"X-Forwarded-For: 198.51.100.1, 203.0.113.7\r\n", "203.0.113.7|127.0.0.1"},
      {"X-Forwarded-For: 203.0.113.7, 10.1.2.3\r\n", "203.0.113.7|127.0.0.1"},
      {"X-Forwarded-For: 198.51.100.1\r\nX-Forwarded-For: 203.0.113.7, 127.0.0.1\r\n",
       "203.0.113.7|127.0.0.1"},
      {"X-Forwarded-For: 203.0.113.7, basura\r\n", "127.0.0.1|127.0.0.1"},
      {"X-Forwarded-For: 192.0.2.1:8080\r\n", "192.0.2.1|127.0.0.1"},
      {"X-Forwarded-For: 2001:db9::5\r\n", "2001:db9::5|127.0.0.1"},
      {"X-Forwarded-For: 10.0.0.1, 10.0.0.2\r\n", "10.0.0.1|127.0.0.1"},
      /* the proxy sets X-Forwarded-For: a Forwarded header is the client's own */
      {"Forwarded: for=192.0.2.60\r\n", "127.0.0.1|127.0.0.1"},
      {"Forwarded: for=192.0.2.60\r\nX-Forwarded-For: 203.0.113.7\r\n", "203.0.113.7|127.0.0.1"},
  };
  /* a proxy configured to set Forwarded (RFC 7239) instead */
  static const ProxyCase aForwarded[] = {
      {"Forwarded: for=192.0.2.60;proto=http;by=203.0.113.43\r\n", "192.0.2.60|127.0.0.1"},
      {"Forwarded: for=\"[2001:db9::17]:4711\"\r\n", "2001:db9::17|127.0.0.1"},
      {"Forwarded: for=192.0.2.60, for=10.0.0.5\r\n", "192.0.2.60|127.0.0.1"},
      {"Forwarded: for=\"[2001:db8::1]\", FOR=198.51.100.9\r\n", "198.51.100.9|127.0.0.1"},
      {"Forwarded: for=unknown\r\n", "127.0.0.1|127.0.0.1"},
      {"Forwarded: proto=https\r\n", "127.0.0.1|127.0.0.1"},
      {"Forwarded: for=192.0.2.60\r\nX-Forwarded-For: 203.0.113.7\r\n", "192.0.2.60|127.0.0.1"},
      {"X-Forwarded-For: 203.0.113.7\r\n", "127.0.0.1|127.0.0.1"},
  };
  Fixture f;
  for (int iRound = 0; iRound < 2; iRound++) {
    const ProxyCase *a = iRound ? aForwarded : aCase;
    size_t n = iRound ? sizeof aForwarded / sizeof aForwarded[0] : sizeof aCase / sizeof aCase[0];
    hard_init(&f);
    f.cfg.zTrustedProxy = "127.0.0.1, 10.0.0.0/8,2001:db8::/32";
    f.cfg.bProxyForwarded = iRound == 1;
    fixture_start(&f);
    for (size_t i = 0; i < n; i++) {
      Resp p = http(f.iPort, "GET", "/ip", a[i].zHeaders, NULL);
      cr_assert_eq(p.iStatus, 200);
      cr_assert_str_eq(p.zBody, a[i].zWant, "round %d case %zu: %s", iRound, i, a[i].zHeaders);
      resp_free(&p);
    }
    fixture_close(&f);
  }
  /* not trusted: the headers are ignored */
  hard_init(&f);
  f.cfg.zTrustedProxy = "10.0.0.1";
  fixture_start(&f);
  Resp p = http(f.iPort, "GET", "/ip", "X-Forwarded-For: 203.0.113.7\r\n", NULL);
  assert_body(&p, "127.0.0.1|127.0.0.1");
  resp_free(&p);
  fixture_close(&f);
  /* a bad list is refused at start */
  hard_init(&f);
  f.cfg.zTrustedProxy = "127.0.0.1,10.0.0.0/33";
  char *zErr = NULL;
  cr_assert_null(server_start(&f.cfg, &zErr));
  cr_assert_str_eq(zErr, "proxy de confianza no válido «10.0.0.0/33»: use direcciones IP "
                         "separadas por comas, por ejemplo 127.0.0.1,10.0.0.0/8");
  free(zErr);
  fixture_close(&f);
}

Test(server, file_response,
     .description = "server-10.6 issue 8.4: response_file sends a file from disk") {
  Fixture f;
  hard_init(&f);
  fixture_start(&f);
  snprintf(g_zFile, sizeof g_zFile, "%s/archivo.bin", f.zDir);
  size_t n = 3u << 20;
  char *z = xmalloc(n);
  for (size_t i = 0; i < n; i++) {
    z[i] = (char)(i * 7 + i / 4096);
  }
  FILE *out = fopen(g_zFile, "wb");
  cr_assert_eq(fwrite(z, 1, n, out), n);
  fclose(out);
  Resp p = http_get(f.iPort, "/archivo");
  cr_assert_eq(p.iStatus, 200);
  cr_assert_eq(p.nBody, n);
  cr_assert_eq(memcmp(p.zBody, z, n), 0);
  assert_header(&p, "Content-Type", "application/octet-stream");
  assert_secure(&p);
  resp_free(&p);
  p = http(f.iPort, "HEAD", "/archivo", "", NULL);
  assert_header(&p, "Content-Length", "3145728");
  cr_assert_eq(p.nBody, 0);
  resp_free(&p);
  p = http_get(f.iPort, "/archivo-error");
  assert_error_page(&p, 404, "Página no encontrada", "No está.");
  resp_free(&p);
  free(z);
  fixture_close(&f);
}

Test(server, spooled_upload,
     .description = "server-10.7 issue 8.4: uploads go to an unlinked file, read back whole") {
  Fixture f;
  hard_init(&f);
  char *zSpool = xasprintf("%s/spool", f.zDir);
  cr_assert_eq(mkdir(zSpool, 0700), 0);
  f.cfg.zSpoolDir = zSpool;
  f.cfg.nMaxSpool = (7u << 20) / 2;
  fixture_start(&f);
  /* under a quarter of the spool total: what one address may hold */
  size_t n = (3u << 20) / 4 + 17;
  char *z = xmalloc(n);
  for (size_t i = 0; i < n; i++) {
    z[i] = (char)(i % 251);
  }
  char zExtra[128];
  snprintf(zExtra, sizeof zExtra,
           "Content-Type: application/octet-stream\r\n"
           "Content-Length: %zu\r\n",
           n);
  Buf req = BUF_INIT;
  buf_appendf(&req, "POST /subir-grande HTTP/1.1\r\nHost: x\r\nConnection: close\r\n%s\r\n",
              zExtra);
  buf_append(&req, z, n);
  g_nSpoolDuring = -1;
  Resp p = http_raw(f.iPort, req.z, req.n);
  char *zWant = xasprintf("%zu:%08x:1", n, fnv(z, n));
  assert_body(&p, zWant);
  free(zWant);
  resp_free(&p);
  cr_assert_eq(g_nSpoolDuring, 1, "the body was in one spool file");
  for (int i = 0; i < 100 && server_in_flight(f.s) != 0; i++) {
    sleep_ms(10);
  }
  cr_assert_eq(open_spool_files(), 0, "the spool file is gone");
  DIR *d = opendir(zSpool);
  int nEntry = 0;
  for (struct dirent *e; (e = readdir(d)) != NULL;) {
    nEntry += e->d_name[0] != '.';
  }
  closedir(d);
  cr_assert_eq(nEntry, 0, "nothing left in the spool directory");
  /* small uploads keep their contract (in memory: under 64 KiB) */
  p = http(f.iPort, "POST", "/subir", "Content-Type: text/plain\r\n", "hola");
  assert_body(&p, "4:hola");
  resp_free(&p);
  p = http(f.iPort, "POST", "/subir-grande", "Content-Type: text/plain\r\n", "hola");
  char *zHola = xasprintf("4:%08x:1", fnv("hola", 4));
  assert_body(&p, zHola);
  free(zHola);
  resp_free(&p);
  cr_assert_eq(g_nSpoolDuring, 0, "a small body is not spooled");
  /* more than a quarter of the spool total from one address: 503 */
  size_t nBig = (1u << 20) + 5;
  char *zBig = xmalloc(nBig);
  memset(zBig, 'a', nBig);
  buf_clear(&req);
  buf_appendf(&req, "POST /subir-grande HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    "Content-Type: application/octet-stream\r\nContent-Length: %zu\r\n\r\n",
              nBig);
  buf_append(&req, zBig, nBig);
  free(zBig);
  p = http_raw(f.iPort, req.z, req.n);
  cr_assert_eq(p.iStatus, 503, "[%s]", p.zStatus);
  cr_assert_not_null(strstr(p.zBody, "no puede recibir el archivo"));
  resp_free(&p);
  /* past the spool total: 503 at once */
  buf_clear(&req);
  buf_puts(&req, "POST /subir-grande HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                 "Content-Type: application/octet-stream\r\nContent-Length: 4000000\r\n\r\n");
  int fd = connect_to(f.iPort);
  send_all(fd, req.z, req.n);
  p = read_resp(fd);
  cr_assert_eq(p.iStatus, 503, "[%s]", p.zStatus);
  assert_header(&p, "Retry-After", "5");
  cr_assert_not_null(strstr(p.zBody, "demasiados archivos"));
  resp_free(&p);
  buf_reset(&req);
  free(z);
  cr_assert_eq(rmdir(zSpool), 0);
  free(zSpool);
  fixture_close(&f);
}

/* The whole file zPath as a string (caller frees). */
static char *read_text(const char *zPath) {
  FILE *in = fopen(zPath, "rb");
  cr_assert_not_null(in, "%s", zPath);
  Buf b = BUF_INIT;
  char a[4096];
  size_t n;
  while ((n = fread(a, 1, sizeof a, in)) > 0) {
    buf_append(&b, a, n);
  }
  fclose(in);
  return buf_take(&b);
}

Test(server, log_reopen, .description = "server-10.8 issue 8.10: the access log is reopened") {
  char zDir[] = "/tmp/participa-log-XXXXXX";
  cr_assert_not_null(mkdtemp(zDir));
  char *zLog = xasprintf("%s/acceso.log", zDir);
  char *zOld = xasprintf("%s/acceso.log.1", zDir);
  FILE *pLog = fopen(zLog, "a");
  cr_assert_not_null(pLog);
  fputs("antes\n", pLog);
  cr_assert_eq(rename(zLog, zOld), 0);
  fputs("durante\n", pLog);
  char *zErr = NULL;
  cr_assert(serve_reopen_log(pLog, zLog, &zErr));
  fputs("despues\n", pLog);
  fflush(pLog);
  char *zA = read_text(zOld);
  char *zB = read_text(zLog);
  cr_assert_str_eq(zA, "antes\ndurante\n");
  cr_assert_str_eq(zB, "despues\n");
  free(zA);
  free(zB);
  char *zBad = xasprintf("%s/no/existe.log", zDir);
  cr_assert_not(serve_reopen_log(pLog, zBad, &zErr));
  cr_assert_not_null(strstr(zErr, "no se puede reabrir el registro de accesos"));
  free(zErr);
  fputs("sigue\n", pLog);
  fclose(pLog);
  zB = read_text(zLog);
  cr_assert_str_eq(zB, "despues\nsigue\n", "a failed reopen keeps the old file");
  free(zB);
  free(zBad);
  unlink(zLog);
  unlink(zOld);
  rmdir(zDir);
  free(zLog);
  free(zOld);
}
