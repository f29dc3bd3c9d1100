/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The route table against a real server: every route of the gathered table
** (each module's src/<name>/<name>_module.c) requested as the public and
** as each role gives the expected status (the list comes from the table
** itself, so a new route is tested the day it is added); every POST
** without or with a wrong CSRF token gets 403 and writes nothing; the
** table keeps its invariants (every POST needs CSRF, GETs never take
** uploads); login, logout, throttling and session cookies.
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/util.h"
#include "httpc.h"
#include "webtest.h"

/* The people a route is tried as: NULL = the public. */
static const char *const azWho[] = {NULL, "admin", "planeacion", "responsable", "otra", "control"};
#define N_WHO ((int)(sizeof azWho / sizeof azWho[0]))

/* Role of each entry of azWho. */
static const Role aeWho[] = {ROLE_NONE,        ROLE_ADMIN,       ROLE_PLANEACION,
                             ROLE_RESPONSABLE, ROLE_RESPONSABLE, ROLE_CONTROL};

/* The value a route parameter takes in these tests; every parameter name
** the table uses must be here (checked). */
static const char *param_value(const char *zName, size_t n) {
  static const struct {
    const char *zName;
    const char *zValue;
  } a[] = {
      {"archivo", "solicitud"}, /* a PQRSD's attachment */
      {"file", "estilo.css"}, /* a built-in asset */
      {"id", "999"},          /* no such report or evidence: 404 once allowed */
      {"item", "5"},          /* item 5: Secretaría de Participación, not "otra"'s office */
      {"login", "control"},   /* an existing user */
      {"radicado", "2021-PQRSD-999999"}, /* no such PQRSD: 404 once allowed */
      {"reto", "999"},        /* no such challenge: 404 once allowed */
  };
  for (size_t i = 0; i < sizeof a / sizeof a[0]; i++) {
    if (strlen(a[i].zName) == n && strncmp(a[i].zName, zName, n) == 0) {
      return a[i].zValue;
    }
  }
  return NULL;
}

/* The path of route p with its parameters filled in (caller frees). */
static char *route_path(const Route *p) {
  Buf b = BUF_INIT;
  for (const char *z = p->zPattern; *z;) {
    if (*z == '{') {
      const char *zEnd = strchr(z, '}');
      const char *zVal = param_value(z + 1, (size_t)(zEnd - z - 1));
      cr_assert_not_null(zVal, "route %s: no test value for its parameter", p->zPattern);
      buf_puts(&b, zVal);
      z = zEnd + 1;
    } else {
      buf_putc(&b, *z++);
    }
  }
  return buf_take(&b);
}

/* True when role e may use route p by the table alone. */
static bool allowed(const Route *p, Role e) {
  if (p->zCapability == NULL) {
    return true;
  }
  for (const char *z = p->zCapability; *z; z++) {
    if (e != ROLE_NONE && auth_role_can(e, *z)) {
      return true;
    }
  }
  return false;
}

/* True when ownership refuses azWho[iWho] on route p although the table
** allows the role: item 5 is not of "otra"'s office. */
static bool owner_refuses(const Route *p, int iWho) {
  return strncmp(p->zPattern, "/reportar/", 10) == 0 && strcmp(azWho[iWho] ? azWho[iWho] : "",
                                                                "otra") == 0;
}

/* The status a GET of route p by azWho[iWho] must give. */
static int expected_get(const Route *p, int iWho) {
  Role e = aeWho[iWho];
  if (!allowed(p, e)) {
    return e == ROLE_NONE ? 303 : 403; /* the public is sent to the login page */
  }
  if (strcmp(p->zPattern, "/evidencia/{id}") == 0 || strcmp(p->zPattern, "/logo") == 0 ||
      strstr(p->zPattern, "{reto}") != NULL || strstr(p->zPattern, "{radicado}") != NULL) {
    /* no evidence 999, no logo, no challenge 999, no PQRSD 2021-PQRSD-999999 in the fixture */
    return 404;
  }
  if (strcmp(p->zPattern, "/entrar") == 0 && e != ROLE_NONE) {
    return 303; /* already signed in: on to the panel */
  }
  if (owner_refuses(p, iWho)) {
    return 403;
  }
  return 200;
}

/* A number that changes with any write the web application can make. */
static long writes(WebFixture *f) {
  return webtest_count(f, "SELECT (SELECT count(*) FROM change_log) + (SELECT count(*) FROM "
                          "progress) + (SELECT count(*) FROM app_user) + (SELECT count(*) FROM "
                          "session) + (SELECT count(*) FROM setting) + (SELECT count(*) FROM "
                          "login_failure)");
}

Test(web_routes, table_invariants) {
  cr_assert_gt(nWebRoute, 20);
  for (int i = 0; i < nWebRoute; i++) {
    const Route *p = &aWebRoute[i];
    if (strcmp(p->zMethod, "POST") == 0) {
      cr_assert(p->flags & ROUTE_CSRF, "POST %s without ROUTE_CSRF", p->zPattern);
    } else {
      cr_assert_str_eq(p->zMethod, "GET");
      cr_assert_eq(p->flags, 0u, "GET %s with flags", p->zPattern);
    }
    for (int j = 0; j < i; j++) {
      bool bSame = strcmp(aWebRoute[j].zMethod, p->zMethod) == 0 &&
                   strcmp(aWebRoute[j].zPattern, p->zPattern) == 0;
      cr_assert(!bSame, "route %s %s listed twice", p->zMethod, p->zPattern);
    }
    /* every parameter has a test value (route_path asserts it) */
    free(route_path(p));
  }
}

Test(web_routes, every_get_route_for_every_role, .timeout = 120) {
  WebFixture f;
  webtest_start(&f, true);
  for (int iWho = 0; iWho < N_WHO; iWho++) {
    WebClient c = {0};
    if (azWho[iWho]) {
      webtest_login(&f, &c, azWho[iWho]);
    }
    for (int i = 0; i < nWebRoute; i++) {
      const Route *p = &aWebRoute[i];
      if (strcmp(p->zMethod, "GET") != 0) {
        continue;
      }
      char *zPath = route_path(p);
      WebResp w = webtest_get(&f, &c, zPath);
      int iWant = expected_get(p, iWho);
      cr_expect_eq(w.iStatus, iWant, "GET %s as %s: %d, expected %d", zPath,
                   azWho[iWho] ? azWho[iWho] : "público", w.iStatus, iWant);
      if (w.iStatus == 303 && iWant == 303 && !allowed(p, aeWho[iWho])) {
        char *zLoc = webtest_header(&w, "Location");
        cr_expect(zLoc && strncmp(zLoc, "/entrar?volver=", 15) == 0, "GET %s: Location %s",
                  zPath, zLoc ? zLoc : "(none)");
        free(zLoc);
      }
      char *zCsp = webtest_header(&w, "Content-Security-Policy");
      cr_expect(zCsp && strstr(zCsp, "script-src 'self'") && !strstr(zCsp, "unsafe-inline"),
                "GET %s: CSP %s", zPath, zCsp ? zCsp : "(none)");
      free(zCsp);
      webtest_resp_free(&w);
      free(zPath);
    }
  }
  webtest_stop(&f);
}

Test(web_routes, every_post_route_for_every_role, .timeout = 120) {
  WebFixture f;
  webtest_start(&f, true);
  for (int iWho = 0; iWho < N_WHO; iWho++) {
    WebClient c = {0};
    if (azWho[iWho]) {
      webtest_login(&f, &c, azWho[iWho]);
    } else {
      WebResp w = webtest_get(&f, &c, "/entrar"); /* the public's double-submit token */
      webtest_resp_free(&w);
    }
    for (int i = 0; i < nWebRoute; i++) {
      const Route *p = &aWebRoute[i];
      if (strcmp(p->zMethod, "POST") != 0 || strcmp(p->zPattern, "/salir") == 0) {
        continue; /* signing out is tested on its own */
      }
      char *zPath = route_path(p);
      const char *zWho = azWho[iWho] ? azWho[iWho] : "público";
      WebResp w = webtest_post(&f, &c, zPath, "");
      if (!allowed(p, aeWho[iWho]) || owner_refuses(p, iWho)) {
        cr_expect_eq(w.iStatus, 403, "POST %s as %s: %d, expected 403", zPath, zWho, w.iStatus);
      } else {
        /* allowed: whatever the handler says of an empty form, never a
        ** refusal and never a server error */
        cr_expect(w.iStatus != 401 && w.iStatus != 403 && w.iStatus < 500,
                  "POST %s as %s: %d\n%s", zPath, zWho, w.iStatus, w.zBody);
      }
      webtest_resp_free(&w);
      free(zPath);
    }
  }
  webtest_stop(&f);
}

Test(web_routes, post_without_or_with_wrong_csrf_is_403_and_writes_nothing, .timeout = 120) {
  WebFixture f;
  webtest_start(&f, true);
  for (int iWho = 0; iWho < N_WHO; iWho++) {
    WebClient c = {0};
    if (azWho[iWho]) {
      webtest_login(&f, &c, azWho[iWho]);
    } else {
      WebResp w = webtest_get(&f, &c, "/entrar");
      webtest_resp_free(&w);
    }
    char zGood[64];
    snprintf(zGood, sizeof zGood, "%s", c.zCsrf);
    for (int i = 0; i < nWebRoute; i++) {
      const Route *p = &aWebRoute[i];
      if (strcmp(p->zMethod, "POST") != 0) {
        continue;
      }
      char *zPath = route_path(p);
      const char *zWho = azWho[iWho] ? azWho[iWho] : "público";
      /* a plausible form for each route, so only the token is wrong */
      const char *zForm = "usuario=admin&clave=" WEBTEST_PASSWORD
                          "&valor=1&nota=x&periodo=T1&decision=verificar&actual=x&nueva=y";
      for (int k = 0; k < 3; k++) {
        long nBefore = writes(&f);
        if (k == 0) {
          c.zCsrf[0] = 0; /* no token at all */
        } else if (k == 1) {
          snprintf(c.zCsrf, sizeof c.zCsrf, "%s", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        } else {
          snprintf(c.zCsrf, sizeof c.zCsrf, "%s", "otro");
        }
        WebResp w = webtest_post(&f, &c, zPath, zForm);
        cr_expect_eq(w.iStatus, 403, "POST %s as %s, bad token %d: %d", zPath, zWho, k,
                     w.iStatus);
        cr_expect_eq(writes(&f), nBefore, "POST %s as %s, bad token %d wrote something", zPath,
                     zWho, k);
        webtest_resp_free(&w);
      }
      snprintf(c.zCsrf, sizeof c.zCsrf, "%s", zGood);
      free(zPath);
    }
    /* the session still works: nothing above signed it out */
    if (azWho[iWho]) {
      WebResp w = webtest_get(&f, &c, "/panel");
      cr_expect_eq(w.iStatus, 200);
      webtest_resp_free(&w);
    }
  }
  webtest_stop(&f);
}

Test(web_routes, cross_site_post_is_refused_even_with_the_token) {
  WebFixture f;
  webtest_start(&f, true);
  WebClient c = {0};
  webtest_login(&f, &c, "admin");
  long nBefore = writes(&f);
  char *zBody = xasprintf("csrf=%s", c.zCsrf);
  char zCookie[200];
  snprintf(zCookie, sizeof zCookie, "%s=%s", WEB_SESSION_COOKIE, c.zSession);
  /* a raw request with an Origin of another site */
  Buf req = BUF_INIT;
  buf_appendf(&req,
              "POST /salir HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n"
              "Origin: https://atacante.example\r\nCookie: %s\r\n"
              "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %zu\r\n\r\n%s",
              f.iPort, zCookie, strlen(zBody), zBody);
  Resp raw = http_raw(f.iPort, req.z, req.n);
  cr_expect_eq(raw.iStatus, 403, "cross-site POST: %d", raw.iStatus);
  resp_free(&raw);
  buf_reset(&req);
  free(zBody);
  WebResp w = webtest_get(&f, &c, "/panel");
  cr_expect_eq(w.iStatus, 200);
  webtest_resp_free(&w);
  cr_expect_eq(writes(&f), nBefore);
  webtest_stop(&f);
}

Test(web_routes, login_wrong_password_throttling_and_logout) {
  WebFixture f;
  webtest_start(&f, true);
  WebClient c = {0};
  WebResp w = webtest_get(&f, &c, "/entrar");
  webtest_resp_free(&w);
  w = webtest_post(&f, &c, "/entrar", "usuario=admin&clave=equivocada");
  cr_expect_eq(w.iStatus, 401);
  cr_expect(webtest_has(&w, "Usuario o contraseña incorrectos."));
  cr_expect_eq(c.zSession[0], 0);
  webtest_resp_free(&w);
  /* the same answer for an account that does not exist */
  w = webtest_post(&f, &c, "/entrar", "usuario=nadie&clave=equivocada");
  cr_expect_eq(w.iStatus, 401);
  cr_expect(webtest_has(&w, "Usuario o contraseña incorrectos."));
  webtest_resp_free(&w);
  /* past AUTH_PAIR_FREE failures this (account, address) pair must wait,
  ** even with the right password: 429 with Retry-After (no lock) */
  for (int i = 1; i < AUTH_PAIR_FREE; i++) {
    w = webtest_post(&f, &c, "/entrar", "usuario=admin&clave=equivocada");
    cr_expect_eq(w.iStatus, 401);
    webtest_resp_free(&w);
  }
  w = webtest_post(&f, &c, "/entrar", "usuario=admin&clave=" WEBTEST_PASSWORD);
  cr_expect_eq(w.iStatus, 429, "%d", w.iStatus);
  cr_expect(webtest_has(&w, "Demasiados intentos fallidos."));
  char *zRetry = webtest_header(&w, "Retry-After");
  cr_expect(zRetry && atoi(zRetry) > 0);
  free(zRetry);
  webtest_resp_free(&w);
  /* another account signs in; its cookie is HttpOnly and SameSite */
  w = webtest_post(&f, &c, "/entrar", "usuario=control&clave=" WEBTEST_PASSWORD);
  cr_expect_eq(w.iStatus, 303);
  char *zCookie = webtest_header(&w, "Set-Cookie");
  cr_expect(zCookie && strstr(zCookie, "HttpOnly") && strstr(zCookie, "SameSite=Lax"), "%s",
            zCookie ? zCookie : "");
  cr_expect(zCookie && !strstr(zCookie, "Secure"));
  free(zCookie);
  webtest_resp_free(&w);
  w = webtest_get(&f, &c, "/panel");
  cr_expect_eq(w.iStatus, 200);
  webtest_resp_free(&w);
  /* logout ends the session on the server, not only in the browser */
  char zOld[128];
  snprintf(zOld, sizeof zOld, "%s", c.zSession);
  w = webtest_post(&f, &c, "/salir", "");
  cr_expect_eq(w.iStatus, 303);
  webtest_resp_free(&w);
  snprintf(c.zSession, sizeof c.zSession, "%s", zOld);
  w = webtest_get(&f, &c, "/panel");
  cr_expect_eq(w.iStatus, 303, "an ended session still works: %d", w.iStatus);
  webtest_resp_free(&w);
  webtest_stop(&f);
}

Test(web_routes, login_returns_only_to_local_paths) {
  WebFixture f;
  webtest_start(&f, true);
  WebClient c = {0};
  WebResp w = webtest_get(&f, &c, "/entrar?volver=%2F%2Fatacante.example%2F");
  webtest_resp_free(&w);
  w = webtest_post(&f, &c, "/entrar",
                   "usuario=control&clave=" WEBTEST_PASSWORD "&volver=%2F%2Fatacante.example");
  cr_expect_eq(w.iStatus, 303);
  char *zLoc = webtest_header(&w, "Location");
  cr_expect_str_eq(zLoc, "/panel");
  free(zLoc);
  webtest_resp_free(&w);
  /* signed in, GET /entrar sends on to "volver": never elsewhere, and a line
  ** break or a tab (which browsers drop) never reaches the Location header */
  const char *azBad[] = {"%2F%09%2Fatacante.example", "%2F%0D%0AX-Inyectado%3A%201",
                         "%2F%5Catacante.example", "https%3A%2F%2Fatacante.example",
                         "%2F%2F%2Fatacante.example"};
  for (size_t i = 0; i < sizeof azBad / sizeof azBad[0]; i++) {
    char *zPath = xasprintf("/entrar?volver=%s", azBad[i]);
    w = webtest_get(&f, &c, zPath);
    cr_expect_eq(w.iStatus, 303, "%s: %d", zPath, w.iStatus);
    zLoc = webtest_header(&w, "Location");
    cr_expect(zLoc && strcmp(zLoc, "/panel") == 0, "%s: Location %s", zPath, zLoc ? zLoc : "-");
    free(zLoc);
    webtest_resp_free(&w);
    free(zPath);
  }
  w = webtest_get(&f, &c, "/entrar?volver=%2Factividades%3Ffase%3DH");
  zLoc = webtest_header(&w, "Location");
  cr_expect_str_eq(zLoc, "/actividades?fase=H");
  free(zLoc);
  webtest_resp_free(&w);
  webtest_stop(&f);
}

Test(web_routes, a_notice_is_never_cached_for_others) {
  WebFixture f;
  webtest_start(&f, true);
  const char *azPage[] = {"/", "/actividades", "/pqrsd/informe", "/datos"};
  for (size_t i = 0; i < sizeof azPage / sizeof azPage[0]; i++) {
    char *zPath = xasprintf("%s?aviso=sesion-cerrada", azPage[i]);
    WebResp w = webtest_get(&f, NULL, zPath);
    cr_expect(webtest_has(&w, "Sesión cerrada."), "%s", zPath);
    webtest_resp_free(&w);
    w = webtest_get(&f, NULL, azPage[i]);
    cr_expect_eq(w.iStatus, 200);
    cr_expect(!webtest_has(&w, "Sesión cerrada."), "%s kept the notice of another visit",
              azPage[i]);
    webtest_resp_free(&w);
    free(zPath);
  }
  webtest_stop(&f);
}

Test(web_routes, injection_in_login_comes_back_inert) {
  WebFixture f;
  webtest_start(&f, true);
  WebClient c = {0};
  WebResp w = webtest_get(&f, &c, "/entrar");
  webtest_resp_free(&w);
  w = webtest_post(&f, &c, "/entrar",
                   "usuario=%3Cscript%3Ealert(1)%3C%2Fscript%3E%27%20OR%201%3D1--&clave=x");
  cr_expect_eq(w.iStatus, 401);
  cr_expect(!webtest_has(&w, "<script>"));
  cr_expect(webtest_has(&w, "value=\"&lt;script&gt;alert(1)&lt;/script&gt;&#39; OR 1=1--\""),
            "%s", w.zBody);
  webtest_resp_free(&w);
  webtest_stop(&f);
}
