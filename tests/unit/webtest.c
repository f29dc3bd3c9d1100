/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The web application test harness (see webtest.h).
*/
#include "webtest.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/util.h"
#include "db/db.h"
#include "httpc.h"
#include "plan/plan.h"
#include "plan/plan_db.h"

#define SAMPLE_PLAN "data/estrategia-participacion-cartagena-2021.txt"

/* The fixture users: login, role, office. */
static const struct {
  const char *zLogin;
  Role eRole;
  const char *zOffice;
} aUser[] = {
    {"admin", ROLE_ADMIN, NULL},
    {"planeacion", ROLE_PLANEACION, NULL},
    {"responsable", ROLE_RESPONSABLE, "Secretaría de Participación"},
    {"otra", ROLE_RESPONSABLE, "Secretaria general"},
    {"control", ROLE_CONTROL, NULL},
};

/* Import the sample plan into db (forced: item 7 has a real error). */
static void import_sample(Db *db) {
  PlanDraft d;
  plan_read_file(SAMPLE_PLAN, NULL, &d);
  cr_assert(!d.bUnreadable, "cannot read %s", SAMPLE_PLAN);
  ImportResult res;
  memset(&res, 0, sizeof res);
  plan_store(db, &d, "prueba", true, &res);
  cr_assert_gt(res.iPlan, 0);
  buf_reset(&res.changes);
  plan_draft_reset(&d);
}

void webtest_start(WebFixture *f, bool bSample) {
  memset(f, 0, sizeof *f);
  if (getenv("PARTICIPA_NOW") == NULL) {
    setenv("PARTICIPA_NOW", "2021-06-30T12:00:00Z", 1);
  }
  snprintf(f->zDir, sizeof f->zDir, "/tmp/participa-web-XXXXXX");
  cr_assert_not_null(mkdtemp(f->zDir));
  f->zDb = xasprintf("%s/web.db", f->zDir);
  f->zDataDir = xasprintf("%s/web.db-datos", f->zDir);
  char *zErr = NULL;
  Db *db = db_open(f->zDb, DB_CREATE, &zErr);
  cr_assert_not_null(db, "db_open: %s", zErr ? zErr : "");
  if (bSample) {
    import_sample(db);
  }
  for (size_t i = 0; i < sizeof aUser / sizeof aUser[0]; i++) {
    const char *azOffice[1] = {aUser[i].zOffice};
    int64_t id = auth_user_add(db, aUser[i].zLogin, "", aUser[i].eRole,
                               aUser[i].zOffice && bSample ? 1 : 0, azOffice, WEBTEST_PASSWORD,
                               NULL, "prueba", &zErr);
    if (aUser[i].eRole == ROLE_RESPONSABLE && !bSample) {
      /* without a plan there are no offices: no responsables */
      free(zErr);
      zErr = NULL;
      continue;
    }
    cr_assert_gt(id, 0, "user %s: %s", aUser[i].zLogin, zErr ? zErr : "");
  }
  db_close(db);
  f->app.zDbPath = f->zDb;
  f->app.zDataDir = f->zDataDir;
  f->app.nMaxUpload = 256 * 1024;
  f->app.pCache = web_cache_new();
  f->app.pBatch = batch_start(f->zDb, 0, &zErr);
  cr_assert_not_null(f->app.pBatch, "batch_start: %s", zErr ? zErr : "");
  Route *aRoute = web_routes_dup(f->app.nMaxUpload);
  ServerConfig cfg = {.zListen = "127.0.0.1:0",
                      .zDbPath = f->zDb,
                      .nWorkers = 2,
                      .aRoute = aRoute,
                      .nRoute = nWebRoute,
                      .pApp = &f->app,
                      .xAuthorize = web_authorize,
                      .xCsrf = web_csrf};
  f->pServer = server_start(&cfg, &zErr);
  cr_assert_not_null(f->pServer, "server_start: %s", zErr ? zErr : "");
  f->aRoute = aRoute;
  f->iPort = server_port(f->pServer);
}

/* Remove directory zDir and everything under it (two levels: the data
** directory holds evidencias/ and cargas/). */
static void remove_tree(const char *zDir) {
  char *zCmd = xasprintf("rm -rf '%s'", zDir);
  cr_assert_eq(system(zCmd), 0);
  free(zCmd);
}

void webtest_stop(WebFixture *f) {
  server_stop(f->pServer);
  f->pServer = NULL;
  batch_stop(f->app.pBatch);
  f->app.pBatch = NULL;
  free(f->aRoute);
  web_cache_free(f->app.pCache);
  remove_tree(f->zDir);
  free(f->zDb);
  free(f->zDataDir);
}

/* Remember the cookies a response sets and the csrf field of its body. */
static void absorb(WebClient *c, const Resp *p) {
  if (c == NULL) {
    return;
  }
  for (const char *z = p->zHead; (z = strstr(z, "\r\n")) != NULL;) {
    z += 2;
    if (strncasecmp(z, "Set-Cookie:", 11) != 0) {
      continue;
    }
    const char *zVal = z + 11;
    while (*zVal == ' ') {
      zVal++;
    }
    size_t nName = strcspn(zVal, "=");
    const char *zEq = zVal + nName;
    if (*zEq != '=') {
      continue;
    }
    size_t nValue = strcspn(zEq + 1, ";\r");
    char *pDest = NULL;
    size_t nDest = 0;
    if (nName == strlen(WEB_SESSION_COOKIE) && strncmp(zVal, WEB_SESSION_COOKIE, nName) == 0) {
      pDest = c->zSession, nDest = sizeof c->zSession;
    } else if (nName == strlen(WEB_CSRF_COOKIE) && strncmp(zVal, WEB_CSRF_COOKIE, nName) == 0) {
      pDest = c->zCsrfCookie, nDest = sizeof c->zCsrfCookie;
    }
    if (pDest) {
      cr_assert_lt(nValue, nDest);
      memcpy(pDest, zEq + 1, nValue);
      pDest[nValue] = 0;
    }
  }
  const char *zField = "name=\"csrf\" value=\"";
  const char *zAt = p->zBody ? strstr(p->zBody, zField) : NULL;
  if (zAt) {
    zAt += strlen(zField);
    size_t n = strcspn(zAt, "\"");
    if (n < sizeof c->zCsrf) {
      memcpy(c->zCsrf, zAt, n);
      c->zCsrf[n] = 0;
    }
  }
}

/* The Cookie header line for c ("" when it has none; caller frees). */
static char *cookie_line(const WebClient *c) {
  Buf b = BUF_INIT;
  if (c && (c->zSession[0] || c->zCsrfCookie[0])) {
    buf_puts(&b, "Cookie: ");
    if (c->zSession[0]) {
      buf_appendf(&b, "%s=%s", WEB_SESSION_COOKIE, c->zSession);
    }
    if (c->zCsrfCookie[0]) {
      buf_appendf(&b, "%s%s=%s", c->zSession[0] ? "; " : "", WEB_CSRF_COOKIE, c->zCsrfCookie);
    }
    buf_puts(&b, "\r\n");
  }
  return b.z ? buf_take(&b) : xstrdup("");
}

/* Turn a client Resp into a WebResp (taking its memory). */
static WebResp to_web(Resp *p) {
  WebResp w;
  w.iStatus = p->iStatus;
  w.zHead = xasprintf("%s%s", p->zStatus, p->zHead);
  w.nBody = p->nBody;
  w.zBody = xmalloc(p->nBody + 1);
  memcpy(w.zBody, p->zBody, p->nBody);
  w.zBody[p->nBody] = 0;
  resp_free(p);
  return w;
}

/* Send one request with c's cookies; absorb what it sets. */
static WebResp request(WebFixture *f, WebClient *c, const char *zMethod, const char *zPath,
                       const char *zType, const char *zBody, size_t nBody) {
  char *zCookie = cookie_line(c);
  Buf b = BUF_INIT;
  buf_appendf(&b, "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n%s", zMethod,
              zPath, f->iPort, zCookie);
  if (zBody) {
    buf_appendf(&b, "Content-Type: %s\r\nContent-Length: %zu\r\n", zType, nBody);
  }
  buf_puts(&b, "\r\n");
  if (zBody) {
    buf_append(&b, zBody, nBody);
  }
  Resp p = http_raw(f->iPort, b.z, b.n);
  buf_reset(&b);
  free(zCookie);
  absorb(c, &p);
  return to_web(&p);
}

WebResp webtest_get(WebFixture *f, WebClient *c, const char *zPath) {
  return request(f, c, "GET", zPath, NULL, NULL, 0);
}

WebResp webtest_post(WebFixture *f, WebClient *c, const char *zPath, const char *zBody) {
  Buf b = BUF_INIT;
  if (c && c->zCsrf[0]) {
    buf_appendf(&b, "csrf=%s%s", c->zCsrf, zBody && zBody[0] ? "&" : "");
  }
  buf_puts(&b, zBody ? zBody : "");
  WebResp w = request(f, c, "POST", zPath, "application/x-www-form-urlencoded",
                      b.z ? b.z : "", b.n);
  buf_reset(&b);
  return w;
}

WebResp webtest_post_raw(WebFixture *f, WebClient *c, const char *zPath,
                         const char *zContentType, const char *zBody, size_t nBody) {
  return request(f, c, "POST", zPath, zContentType, zBody, nBody);
}

char *webtest_multipart(const WebClient *c, int nField, const char *const *azField,
                        const char *zFileField, const char *zFileName, const char *zFileType,
                        const char *pFile, size_t nFile, size_t *pnBody, char zType[128]) {
  const char *zBoundary = "----participaPrueba7MA4YWxkTrZu0gW";
  snprintf(zType, 128, "multipart/form-data; boundary=%s", zBoundary);
  Buf b = BUF_INIT;
  if (c && c->zCsrf[0]) {
    buf_appendf(&b, "--%s\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n",
                zBoundary, c->zCsrf);
  }
  for (int i = 0; i < nField; i++) {
    buf_appendf(&b, "--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n",
                zBoundary, azField[2 * i], azField[2 * i + 1]);
  }
  if (zFileField) {
    buf_appendf(&b,
                "--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                "Content-Type: %s\r\n\r\n",
                zBoundary, zFileField, zFileName, zFileType);
    buf_append(&b, pFile, nFile);
    buf_puts(&b, "\r\n");
  }
  buf_appendf(&b, "--%s--\r\n", zBoundary);
  *pnBody = b.n;
  return buf_take(&b);
}

void webtest_login(WebFixture *f, WebClient *c, const char *zLogin) {
  WebResp w = webtest_get(f, c, "/entrar");
  cr_assert_eq(w.iStatus, 200, "GET /entrar: %d", w.iStatus);
  webtest_resp_free(&w);
  char *zBody = xasprintf("usuario=%s&clave=%s&volver=%%2Fpanel", zLogin, WEBTEST_PASSWORD);
  w = webtest_post(f, c, "/entrar", zBody);
  free(zBody);
  cr_assert_eq(w.iStatus, 303, "login %s: status %d\n%s", zLogin, w.iStatus, w.zBody);
  cr_assert_neq(c->zSession[0], 0, "login %s: no session cookie", zLogin);
  webtest_resp_free(&w);
  /* the session's own CSRF token replaces the pre-login one */
  w = webtest_get(f, c, "/panel");
  cr_assert_eq(w.iStatus, 200, "GET /panel as %s: %d", zLogin, w.iStatus);
  webtest_resp_free(&w);
}

char *webtest_header(const WebResp *p, const char *zName) {
  Resp r = {.zHead = strstr(p->zHead, "\r\n")};
  return r.zHead ? resp_header(&r, zName) : NULL;
}

bool webtest_has(const WebResp *p, const char *z) {
  return p->zBody && strstr(p->zBody, z) != NULL;
}

void webtest_resp_free(WebResp *p) {
  free(p->zHead);
  free(p->zBody);
  memset(p, 0, sizeof *p);
}

long webtest_count(WebFixture *f, const char *zSql) {
  char *zErr = NULL;
  Db *db = db_open(f->zDb, 0, &zErr);
  cr_assert_not_null(db, "%s", zErr ? zErr : "");
  long n = (long)db_int(db, zSql);
  db_close(db);
  return n;
}
