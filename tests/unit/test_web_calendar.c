/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The administrador's calendar page against a real server (webtest.h): the
** holidays of this year and of a chosen one (2025, two holidays on one
** date), a wrong year, adding an entity day (stored, logged, shown with its
** remove button and the notice), refusals answered 422 beside the field with
** nothing stored (a national holiday, a weekend, a date that does not exist,
** a missing reason, a repeated day), removing, and a reason with markup
** coming back escaped. The fixture's clock is 2021-06-30.
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "web/html.h"
#include "webtest.h"

#define PAGE         "/admin/calendario"
#define EVIL         "<script>alert(1)</script>\"'&"
#define EVIL_ESCAPED "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;"

static WebFixture fx;

static void setup(void) {
  webtest_start(&fx, true);
}

static void teardown(void) {
  webtest_stop(&fx);
}

TestSuite(web_calendar, .init = setup, .fini = teardown, .timeout = 120);

/* Sign in as the administrador and open the page (for its CSRF token). */
static void signed_in(WebClient *c) {
  memset(c, 0, sizeof *c);
  webtest_login(&fx, c, "admin");
  WebResp w = webtest_get(&fx, c, PAGE);
  cr_assert_eq(w.iStatus, 200, "GET %s: %d\n%s", PAGE, w.iStatus, w.zBody);
  webtest_resp_free(&w);
}

/* POST the form with accion zAction, fecha zDay and (when not NULL) motivo zWhy. */
static WebResp post_day(WebClient *c, const char *zAction, const char *zDay, const char *zWhy) {
  Buf b = BUF_INIT;
  html_url_query(&b, "accion", zAction, false);
  html_url_query(&b, "fecha", zDay, false);
  if (zWhy) {
    html_url_query(&b, "motivo", zWhy, false);
  }
  WebResp w = webtest_post(&fx, c, PAGE, buf_str(&b) + 1);
  buf_reset(&b);
  return w;
}

/* Assert w is a 303 to zWant. */
static void expect_redirect(WebResp *w, const char *zWant) {
  cr_assert_eq(w->iStatus, 303, "status %d\n%s", w->iStatus, w->zBody);
  char *zTo = webtest_header(w, "Location");
  cr_expect_str_eq(zTo ? zTo : "", zWant);
  free(zTo);
}

static long n_days(void) {
  return webtest_count(&fx, "SELECT count(*) FROM non_working_day");
}

Test(web_calendar, this_year) {
  WebClient c;
  signed_in(&c);
  WebResp w = webtest_get(&fx, &c, PAGE);
  cr_assert_eq(w.iStatus, 200);
  cr_expect(webtest_has(&w, "<h2>Festivos nacionales de 2021</h2>"));
  cr_expect(webtest_has(&w, "<caption>Festivos nacionales de 2021 (Ley 51 de 1983)</caption>"));
  cr_expect(webtest_has(&w, "<th scope=\"row\"><time datetime=\"2021-07-05\">lunes 5 de julio "
                            "de 2021</time></th><td>San Pedro y San Pablo</td>"));
  cr_expect(webtest_has(&w, "<td>Independencia de Cartagena</td>"));
  cr_expect(webtest_has(&w, "2021 tiene 246 días hábiles"));
  cr_expect(webtest_has(&w, "La entidad no tiene días no hábiles propios en 2021."));
  cr_expect(webtest_has(&w, "href=\"/admin/calendario\" aria-current=\"page\">Calendario</a>"),
            "in the admin sub-navigation");
  cr_expect(webtest_has(&w, "value=\"2021\""), "the year field");
  webtest_resp_free(&w);
  /* the other admin pages link to it */
  w = webtest_get(&fx, &c, "/admin/usuarios");
  cr_expect(webtest_has(&w, "href=\"/admin/calendario\">Calendario</a>"));
  webtest_resp_free(&w);
}

Test(web_calendar, chosen_year_with_shared_date) {
  WebClient c;
  signed_in(&c);
  WebResp w = webtest_get(&fx, &c, PAGE "?anio=2025");
  cr_assert_eq(w.iStatus, 200);
  cr_expect(webtest_has(&w, "<h2>Festivos nacionales de 2025</h2>"));
  cr_expect(webtest_has(&w, "lunes 30 de junio de 2025</time></th><td>Sagrado Corazón de "
                            "Jesús</td>"));
  cr_expect(webtest_has(&w, "lunes 30 de junio de 2025</time></th><td>San Pedro y San "
                            "Pablo</td>"));
  cr_expect(webtest_has(&w, "18 festivos en 17 fechas"));
  cr_expect(webtest_has(&w, "2025 tiene 245 días hábiles"));
  webtest_resp_free(&w);
}

Test(web_calendar, wrong_year) {
  WebClient c;
  signed_in(&c);
  static const char *const az[] = {PAGE "?anio=1983", PAGE "?anio=dos", PAGE "?anio=2021x"};
  for (size_t i = 0; i < sizeof az / sizeof az[0]; i++) {
    WebResp w = webtest_get(&fx, &c, az[i]);
    cr_expect_eq(w.iStatus, 400, "%s: %d", az[i], w.iStatus);
    cr_expect(webtest_has(&w, "el año debe ser un número de 1984 a 2100"), "%s", az[i]);
    cr_expect(webtest_has(&w, "aria-invalid=\"true\""), "%s", az[i]);
    cr_expect(webtest_has(&w, "Festivos nacionales de 2021"), "this year instead");
    webtest_resp_free(&w);
  }
}

Test(web_calendar, add_then_remove) {
  WebClient c;
  signed_in(&c);
  WebResp w = post_day(&c, "agregar", "11-noviembre-2021", "  Fiesta local ");
  expect_redirect(&w, PAGE "?anio=2021&aviso=dia-no-habil-agregado");
  webtest_resp_free(&w);
  cr_expect_eq(webtest_count(&fx, "SELECT count(*) FROM non_working_day WHERE day = "
                                  "'2021-11-11' AND description = 'Fiesta local' AND "
                                  "created_by = 'admin'"),
               1);
  cr_expect_eq(webtest_count(&fx, "SELECT count(*) FROM change_log WHERE actor = 'admin' AND "
                                  "action = 'agregar' AND object = 'non_working_day' AND "
                                  "object_id = 20211111"),
               1);
  w = webtest_get(&fx, &c, PAGE "?anio=2021&aviso=dia-no-habil-agregado");
  cr_assert_eq(w.iStatus, 200);
  cr_expect(webtest_has(&w, "Día no hábil agregado."));
  cr_expect(webtest_has(&w, "<caption>Días no hábiles de la entidad en 2021</caption>"));
  cr_expect(webtest_has(&w, "jueves 11 de noviembre de 2021</time></th><td>Fiesta local</td>"));
  cr_expect(webtest_has(&w, "Quitar el 11 de noviembre de 2021"));
  cr_expect(webtest_has(&w, "2021 tiene 245 días hábiles"));
  webtest_resp_free(&w);
  /* a day of another year: the answer goes to that year, this year links to it */
  w = post_day(&c, "agregar", "2022-03-04", "Cierre por inventario");
  expect_redirect(&w, PAGE "?anio=2022&aviso=dia-no-habil-agregado");
  webtest_resp_free(&w);
  w = webtest_get(&fx, &c, PAGE);
  cr_expect(webtest_has(&w, "Otros años con días no hábiles de la entidad: "
                            "<a href=\"/admin/calendario?anio=2022\">2022</a> (1)."));
  webtest_resp_free(&w);

  w = post_day(&c, "quitar", "2021-11-11", NULL);
  expect_redirect(&w, PAGE "?anio=2021&aviso=dia-no-habil-quitado");
  webtest_resp_free(&w);
  cr_expect_eq(n_days(), 1);
  cr_expect_eq(webtest_count(&fx, "SELECT count(*) FROM change_log WHERE action = 'quitar' AND "
                                  "object = 'non_working_day' AND detail = '2021-11-11: Fiesta "
                                  "local'"),
               1);
  w = post_day(&c, "quitar", "2021-11-11", NULL);
  cr_expect_eq(w.iStatus, 422);
  cr_expect(webtest_has(&w, "el jueves 11 de noviembre de 2021 no es día no hábil de la "
                            "entidad"));
  webtest_resp_free(&w);
}

/* Assert that adding zDay/zWhy is answered 422 with zMsg beside field zField
** and stores nothing. */
static void expect_refused(WebClient *c, const char *zDay, const char *zWhy, const char *zField,
                           const char *zMsg) {
  long nBefore = n_days();
  WebResp w = post_day(c, "agregar", zDay, zWhy);
  cr_expect_eq(w.iStatus, 422, "%s: %d", zDay, w.iStatus);
  char zId[64];
  snprintf(zId, sizeof zId, "id=\"f-%s-error\"", zField);
  cr_expect(webtest_has(&w, zId), "%s: error beside %s", zDay, zField);
  cr_expect(webtest_has(&w, zMsg), "%s: «%s» in\n%s", zDay, zMsg, w.zBody);
  cr_expect(webtest_has(&w, "role=\"alert\""), "error summary");
  webtest_resp_free(&w);
  cr_expect_eq(n_days(), nBefore, "%s: nothing stored", zDay);
}

Test(web_calendar, refusals) {
  WebClient c;
  signed_in(&c);
  expect_refused(&c, "2021-07-05", "Otro cierre", "fecha",
                 "el lunes 5 de julio de 2021 ya es festivo nacional (San Pedro y San Pablo)");
  expect_refused(&c, "3 de julio de 2021", "Otro cierre", "fecha",
                 "el sábado 3 de julio de 2021 ya es fin de semana");
  expect_refused(&c, "31-febrero-2021", "Otro cierre", "fecha",
                 "fecha ilegible: el 31 de febrero de 2021 no existe");
  expect_refused(&c, "44228", "Otro cierre", "fecha", "«44228» es un número, no una fecha");
  expect_refused(&c, "", "Otro cierre", "fecha", "falta la fecha");
  expect_refused(&c, "2021-07-06", "   ", "motivo", "falta el motivo");
  expect_refused(&c, "1983-12-30", "Otro cierre", "fecha", "el año 1983 está fuera del calendario");
  char zLong[260];
  memset(zLong, 'x', 201);
  zLong[201] = 0;
  expect_refused(&c, "2021-07-06", zLong, "motivo", "el motivo tiene 201 caracteres");
  /* both errors at once; the typed values come back */
  WebResp w = post_day(&c, "agregar", "31-febrero-2021", "");
  cr_expect_eq(w.iStatus, 422);
  cr_expect(webtest_has(&w, "id=\"f-fecha-error\"") && webtest_has(&w, "id=\"f-motivo-error\""));
  cr_expect(webtest_has(&w, "value=\"31-febrero-2021\""));
  webtest_resp_free(&w);
  /* repeated */
  w = post_day(&c, "agregar", "2021-07-06", "Cierre por inventario");
  cr_expect_eq(w.iStatus, 303);
  webtest_resp_free(&w);
  expect_refused(&c, "06/07/2021", "Otra vez", "fecha",
                 "el martes 6 de julio de 2021 ya es día no hábil de la entidad");
  /* an unknown action and an empty form */
  w = post_day(&c, "borrar", "2021-07-07", "x");
  cr_expect_eq(w.iStatus, 422);
  cr_expect(webtest_has(&w, "acción desconocida «borrar»"));
  webtest_resp_free(&w);
  w = webtest_post(&fx, &c, PAGE, "");
  cr_expect_eq(w.iStatus, 422);
  webtest_resp_free(&w);
  cr_expect_eq(n_days(), 1);
}

Test(web_calendar, markup_escaped) {
  WebClient c;
  signed_in(&c);
  WebResp w = post_day(&c, "agregar", "2021-07-07", EVIL);
  cr_assert_eq(w.iStatus, 303, "%d\n%s", w.iStatus, w.zBody);
  webtest_resp_free(&w);
  w = webtest_get(&fx, &c, PAGE);
  cr_expect(webtest_has(&w, EVIL_ESCAPED));
  cr_expect_not(webtest_has(&w, EVIL));
  webtest_resp_free(&w);
  w = post_day(&c, "agregar", "2021-07-05", EVIL);
  cr_expect_eq(w.iStatus, 422);
  cr_expect(webtest_has(&w, EVIL_ESCAPED));
  cr_expect_not(webtest_has(&w, EVIL));
  webtest_resp_free(&w);
}

Test(web_calendar, only_the_administrador) {
  static const char *const az[] = {"planeacion", "responsable", "control"};
  for (size_t i = 0; i < sizeof az / sizeof az[0]; i++) {
    WebClient c = {0};
    webtest_login(&fx, &c, az[i]);
    WebResp w = webtest_get(&fx, &c, PAGE);
    cr_expect_eq(w.iStatus, 403, "%s", az[i]);
    webtest_resp_free(&w);
    w = post_day(&c, "agregar", "2021-07-07", "x");
    cr_expect_eq(w.iStatus, 403, "%s", az[i]);
    webtest_resp_free(&w);
  }
  cr_expect_eq(n_days(), 0);
}
