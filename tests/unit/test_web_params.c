/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Route parameters declared with a validator (web/server.h RouteParamKind):
** every "{name}" of every route of the gathered table declares its kind,
** and the same name has the same kind everywhere; against a real server, a
** path whose parameter is not of its kind ("0", "-1", "1e3", twenty nines,
** a space, letters) is answered 404 naming the parameter, for the public as
** for a signed-in user, on GET and POST routes alike, and writes nothing;
** a valid parameter reaches the handler. Form fields declared with a
** validator (RouteField, request_fields()): the public status check
** /pqrsd/consulta answers 422 with the message beside the field that is
** wrong, writes nothing and does not count as a failed check.
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "webtest.h"

/* The kind each parameter name must have wherever it is used. */
static RouteParamKind kind_of_name(const char *zName, size_t n) {
  static const struct {
    const char *zName;    /* the parameter */
    RouteParamKind eKind; /* its kind */
  } a[] = {
      {"archivo", PARAM_WORD}, {"file", PARAM_NAME},  {"id", PARAM_ID},
      {"item", PARAM_ITEM},    {"login", PARAM_NAME}, {"radicado", PARAM_RADICADO},
      {"reto", PARAM_ID},
  };
  for (size_t i = 0; i < sizeof a / sizeof a[0]; i++) {
    if (strlen(a[i].zName) == n && strncmp(a[i].zName, zName, n) == 0) {
      return a[i].eKind;
    }
  }
  return PARAM_TEXT;
}

Test(web_params, every_parameter_declared, .description = "params-1.1") {
  int nParam = 0;
  for (int i = 0; i < nWebRoute; i++) {
    const Route *p = &aWebRoute[i];
    int k = 0;
    for (const char *z = strchr(p->zPattern, '{'); z != NULL; z = strchr(z + 1, '{')) {
      const char *zEnd = strchr(z, '}');
      cr_assert_not_null(zEnd);
      size_t n = (size_t)(zEnd - z - 1);
      cr_assert_lt(k, ROUTE_MAX_PARAM, "%s %s: more parameters than ROUTE_MAX_PARAM", p->zMethod,
                   p->zPattern);
      cr_expect_neq(p->aeParam[k], PARAM_TEXT, "%s %s: parameter {%.*s} without a validator",
                    p->zMethod, p->zPattern, (int)n, z + 1);
      cr_expect_eq(p->aeParam[k], kind_of_name(z + 1, n), "%s %s: {%.*s} is of kind %d", p->zMethod,
                   p->zPattern, (int)n, z + 1, (int)p->aeParam[k]);
      k++;
      nParam++;
    }
    for (; k < ROUTE_MAX_PARAM; k++) {
      cr_expect_eq(p->aeParam[k], PARAM_TEXT, "%s %s: a kind for a parameter it lacks", p->zMethod,
                   p->zPattern);
    }
  }
  cr_assert_eq(nParam, 18); /* the parameters of the program's 17 routes that have any */
}

/* A number that changes with any write the web application can make. */
static long writes(WebFixture *f) {
  return webtest_count(f, "SELECT (SELECT count(*) FROM change_log) + (SELECT count(*) FROM "
                          "progress) + (SELECT count(*) FROM app_user) + (SELECT count(*) FROM "
                          "session) + (SELECT count(*) FROM setting) + (SELECT count(*) FROM "
                          "login_failure) + (SELECT count(*) FROM pqrsd)");
}

/* Request zMethod zPrefix+zValue+zSuffix as c and expect 404 naming
** parameter zName. */
static void expect_refused(WebFixture *f, WebClient *c, const char *zMethod, const char *zPrefix,
                           const char *zValue, const char *zSuffix, const char *zName) {
  char zPath[256];
  snprintf(zPath, sizeof zPath, "%s%s%s", zPrefix, zValue, zSuffix);
  WebResp w = strcmp(zMethod, "GET") == 0 ? webtest_get(f, c, zPath)
                                          : webtest_post(f, c, zPath, "accion=aprobar");
  char zWant[64];
  snprintf(zWant, sizeof zWant, "no vale como parámetro «%s»", zName);
  cr_expect_eq(w.iStatus, 404, "%s %s: %d, expected 404", zMethod, zPath, w.iStatus);
  cr_expect(webtest_has(&w, zWant), "%s %s does not name {%s}:\n%s", zMethod, zPath, zName,
            w.zBody);
  webtest_resp_free(&w);
}

Test(web_params, bad_parameters_answer_404_and_write_nothing, .description = "params-1.2",
     .timeout = 60) {
  static const char *const azBadNumber[] = {"0",   "-1",  "1e3", "99999999999999999999",
                                            "%20", "abc", "1.5", "1000000000000000"};
  static const struct {
    const char *zMethod; /* GET or POST */
    const char *zPrefix; /* the path before the parameter */
    const char *zSuffix; /* the path after it */
    const char *zName;   /* the parameter */
  } aRoute[] = {
      {"GET", "/actividad/", "", "item"},      {"GET", "/evidencia/", "", "id"},
      {"GET", "/retos/", "", "reto"},          {"GET", "/retos/", "/editar", "reto"},
      {"GET", "/plan/actividad/", "", "item"}, {"POST", "/verificacion/", "", "id"},
      {"POST", "/retos/propuesta/", "", "id"}, {"POST", "/plan/actividad/", "", "item"},
  };
  WebFixture f;
  webtest_start(&f, true);
  WebClient admin = {0};
  webtest_login(&f, &admin, "admin");
  WebClient pub = {0};
  WebResp w = webtest_get(&f, &pub, "/entrar"); /* the public's double-submit token */
  webtest_resp_free(&w);
  long nBefore = writes(&f);
  long nLogBefore = webtest_count(&f, "SELECT count(*) FROM change_log");
  for (int iWho = 0; iWho < 2; iWho++) {
    WebClient *c = iWho == 0 ? &pub : &admin;
    for (size_t i = 0; i < sizeof aRoute / sizeof aRoute[0]; i++) {
      for (size_t j = 0; j < sizeof azBadNumber / sizeof azBadNumber[0]; j++) {
        expect_refused(&f, c, aRoute[i].zMethod, aRoute[i].zPrefix, azBadNumber[j],
                       aRoute[i].zSuffix, aRoute[i].zName);
      }
    }
    /* an item past the largest the import accepts */
    expect_refused(&f, c, "GET", "/actividad/", "1000000001", "", "item");
    /* radicados: short, long, wrong word, a space, a number */
    static const char *const azBadRad[] = {"2021-PQRSD-00001", "2021-PQRSD-0000001",
                                           "2021-PQRS-000001", "%202021-PQRSD-000001", "0"};
    for (size_t j = 0; j < sizeof azBadRad / sizeof azBadRad[0]; j++) {
      expect_refused(&f, c, "GET", "/pqrsd/bandeja/", azBadRad[j], "", "radicado");
      expect_refused(&f, c, "POST", "/pqrsd/bandeja/", azBadRad[j], "", "radicado");
    }
    expect_refused(&f, c, "GET", "/pqrsd/bandeja/2021-PQRSD-000001/archivo/", "Solicitud", "",
                   "archivo");
    expect_refused(&f, c, "GET", "/static/", ".estilo.css", "", "file");
    expect_refused(&f, c, "GET", "/static/", "estilo%20.css", "", "file");
    expect_refused(&f, c, "POST", "/admin/usuarios/", "con%20espacio", "", "login");
  }
  cr_expect_eq(webtest_count(&f, "SELECT count(*) FROM change_log"), nLogBefore);
  cr_expect_eq(writes(&f), nBefore);

  /* the 404 says what the parameter must be */
  w = webtest_get(&f, &pub, "/actividad/abc");
  cr_expect(webtest_has(&w, "un número de ítem del plan: solo dígitos, de 1 a 1000000000"), "%s",
            w.zBody);
  webtest_resp_free(&w);
  w = webtest_get(&f, &admin, "/pqrsd/bandeja/2021-PQRSD-1");
  cr_expect(webtest_has(&w, "AAAA-PQRSD-NNNNNN"), "%s", w.zBody);
  webtest_resp_free(&w);

  /* valid parameters reach the handler (and its own answers) */
  w = webtest_get(&f, &pub, "/actividad/5");
  cr_expect_eq(w.iStatus, 200);
  webtest_resp_free(&w);
  w = webtest_get(&f, &pub, "/actividad/0005"); /* leading zeros, as before */
  cr_expect_eq(w.iStatus, 200);
  webtest_resp_free(&w);
  w = webtest_get(&f, &pub, "/actividad/999");
  cr_expect_eq(w.iStatus, 404);
  cr_expect(webtest_has(&w, "No existe esa actividad en el plan."), "%s", w.zBody);
  cr_expect(!webtest_has(&w, "no vale como parámetro"), "%s", w.zBody);
  webtest_resp_free(&w);
  w = webtest_get(&f, &pub, "/pqrsd/bandeja/2021-pqrsd-000001"); /* any case: to the login */
  cr_expect_eq(w.iStatus, 303);
  webtest_resp_free(&w);
  w = webtest_get(&f, &admin, "/pqrsd/bandeja/2021-pqrsd-999999");
  cr_expect_eq(w.iStatus, 404);
  cr_expect(webtest_has(&w, "No existe una PQRSD con ese radicado."), "%s", w.zBody);
  webtest_resp_free(&w);
  w = webtest_get(&f, &pub, "/static/estilo.css");
  cr_expect_eq(w.iStatus, 200);
  webtest_resp_free(&w);
  /* a literal route of the same shape still wins over the parameter */
  w = webtest_get(&f, &admin, "/retos/nuevo");
  cr_expect_neq(w.iStatus, 404);
  webtest_resp_free(&w);
  webtest_stop(&f);
}

/* POST the status check form with body zBody as c. */
static WebResp check_status(WebFixture *f, WebClient *c, const char *zBody) {
  return webtest_post(f, c, "/pqrsd/consulta", zBody);
}

Test(web_params, status_check_fields_validated, .description = "params-1.3", .timeout = 60) {
  WebFixture f;
  webtest_start(&f, true);
  WebClient c = {0};
  WebResp w = webtest_get(&f, &c, "/pqrsd/consulta"); /* the public's double-submit token */
  webtest_resp_free(&w);
  static const char zRows[] = "SELECT (SELECT coalesce(sum(n), 0) FROM rate_bucket) + (SELECT "
                              "count(*) FROM change_log) + (SELECT count(*) FROM pqrsd_event)";
  long nBefore = webtest_count(&f, zRows);
  /* a radicado longer than any radicado (and the input's maxlength): 422
  ** beside the field, and eleven of them (more than the 10 failed checks
  ** allowed) are not counted */
  for (int i = 0; i < 11; i++) {
    char zBody[128];
    snprintf(zBody, sizeof zBody, "radicado=2021-PQRSD-%030d&codigo=AAAA-BBBB-CCCC", i);
    w = check_status(&f, &c, zBody);
    cr_expect_eq(w.iStatus, 422, "%s: %d", zBody, w.iStatus);
    cr_expect(webtest_has(&w, "id=\"f-radicado-error\""), "%s:\n%s", zBody, w.zBody);
    cr_expect(webtest_has(&w, "El radicado tiene 17 caracteres, de la forma AAAA-PQRSD-NNNNNN"),
              "%s", w.zBody);
    cr_expect(!webtest_has(&w, "id=\"f-codigo-error\""), "%s", w.zBody);
    webtest_resp_free(&w);
  }
  /* a code longer than any code: beside the code field */
  w = check_status(&f, &c,
                   "radicado=2021-PQRSD-000001&codigo=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                   "AAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  cr_expect_eq(w.iStatus, 422);
  cr_expect(webtest_has(&w, "id=\"f-codigo-error\""), "%s", w.zBody);
  cr_expect(webtest_has(&w, "El código de consulta tiene 14 caracteres"), "%s", w.zBody);
  cr_expect(!webtest_has(&w, "id=\"f-radicado-error\""), "%s", w.zBody);
  webtest_resp_free(&w);
  cr_expect_eq(webtest_count(&f, zRows), nBefore);
  /* a radicado of up to 40 characters (spaces around trimmed) reaches the
  ** lookup, which counts the failure: the neutral answer, as before */
  w = check_status(&f, &c, "radicado=+2021-pqrsd-000099+&codigo=AAAA-BBBB-CCCC");
  cr_expect_eq(w.iStatus, 422);
  cr_expect(webtest_has(&w, "No encontramos una solicitud con ese radicado y ese código."), "%s",
            w.zBody);
  cr_expect(!webtest_has(&w, "id=\"f-radicado-error\""), "%s", w.zBody);
  webtest_resp_free(&w);
  cr_expect_eq(webtest_count(&f, "SELECT coalesce(sum(n), 0) FROM rate_bucket"), 1);
  webtest_stop(&f);
}
