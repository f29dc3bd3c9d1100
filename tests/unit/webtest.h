/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** HTTP test harness for the web application: a real server on 127.0.0.1
** (any free port) over a temporary database holding the sample plan and one
** user per role, and a tiny HTTP/1.1 client with a cookie jar per simulated
** browser. Not part of the product.
**
** Fixture users (password WEBTEST_PASSWORD, no change required):
**   "admin"       administrador
**   "planeacion"  planeación
**   "responsable" responsable of "Secretaría de Participación" (items 5, 6, 7, 9)
**   "otra"        responsable of "Secretaria general" (items 2, 3, 10, 15)
**   "control"     control interno
** The clock is fixed with PARTICIPA_NOW=2021-06-30T12:00:00Z unless the
** test set it before webtest_start.
*/
#ifndef PARTICIPA_TESTS_WEBTEST_H
#define PARTICIPA_TESTS_WEBTEST_H

#include <stdbool.h>
#include <stddef.h>

#include "app/web.h"

#define WEBTEST_PASSWORD "clave-de-prueba-1"

typedef struct WebFixture {
  char zDir[64];   /* temporary directory (database, data dir) */
  char *zDb;       /* database path */
  char *zDataDir;  /* data directory */
  WebApp app;      /* what the handlers see */
  Route *aRoute;   /* the route table the server uses (web_routes_dup) */
  Server *pServer; /* the running server */
  int iPort;       /* its port */
} WebFixture;

/* A simulated browser: its cookies and the CSRF token of the last page read. */
typedef struct WebClient {
  char zSession[128]; /* participa_sesion cookie value, "" when none */
  char zCsrfCookie[64]; /* participa_csrf cookie value, "" when none */
  char zCsrf[64];     /* the csrf field of the last form seen, "" when none */
} WebClient;

typedef struct WebResp {
  int iStatus;  /* HTTP status, 0 when the connection failed */
  char *zHead;  /* status line and headers */
  char *zBody;  /* body, NUL-terminated */
  size_t nBody; /* body bytes */
} WebResp;

/* Create the temporary database (with the sample plan when bSample), the
** fixture users, and start the server. Fails the test on any error. */
void webtest_start(WebFixture *f, bool bSample);
/* Stop the server and remove the temporary directory. */
void webtest_stop(WebFixture *f);

/* Sign in as zLogin (WEBTEST_PASSWORD) through the login form; fails the
** test unless it succeeds. */
void webtest_login(WebFixture *f, WebClient *c, const char *zLogin);

/* GET zPath. c may be NULL (no cookies). Cookies set by the response are
** stored in c; a csrf field found in the body is remembered in c->zCsrf. */
WebResp webtest_get(WebFixture *f, WebClient *c, const char *zPath);
/* POST an application/x-www-form-urlencoded body (already encoded). When c
** has a CSRF token, "csrf=TOKEN&" is put in front of the body. */
WebResp webtest_post(WebFixture *f, WebClient *c, const char *zPath, const char *zBody);
/* POST a body of any type as given (no CSRF added). */
WebResp webtest_post_raw(WebFixture *f, WebClient *c, const char *zPath,
                         const char *zContentType, const char *zBody, size_t nBody);
/* Build a multipart/form-data body: nField text fields (name/value pairs in
** azField) plus, when zFileField is not NULL, one file part. The CSRF token of
** c (if any) is added as the first field. Returns the body (caller frees),
** its length in *pnBody and the Content-Type (with boundary) in zType. */
char *webtest_multipart(const WebClient *c, int nField, const char *const *azField,
                        const char *zFileField, const char *zFileName, const char *zFileType,
                        const char *pFile, size_t nFile, size_t *pnBody, char zType[128]);

/* The value of response header zName (case-insensitive; caller frees), or NULL. */
char *webtest_header(const WebResp *p, const char *zName);
/* True when the body contains z. */
bool webtest_has(const WebResp *p, const char *z);
void webtest_resp_free(WebResp *p);

/* Count rows of a query on the fixture database (its own connection). */
long webtest_count(WebFixture *f, const char *zSql);

#endif
