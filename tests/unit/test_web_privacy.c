/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** HTTP tests of the personal data pages (src/privacy/privacy_web.c; issue
** 8, item 7): who may open them (administrador for the periods and the
** purge, planeación and administrador for the titular's requests, 403 for
** the others), CSRF, the retention form with its refusals, and a titular's
** request handled end to end: see (logged, not cached), correct (a bad
** e-mail refused beside its field), suppress (needs the confirmation).
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/util.h"
#include "calendar/calendar.h"
#include "db/db.h"
#include "pqrsd/pqrsd.h"
#include "web/html.h"
#include "webtest.h"

/* The url-encoded body of the n name/value pairs in az. Caller frees. */
static char *form(int n, const char *const *az) {
  Buf b = BUF_INIT;
  for (int i = 0; i < n; i++) {
    html_url_query(&b, az[2 * i], az[2 * i + 1], false);
  }
  char *z = xstrdup(b.n ? b.z + 1 : "");
  buf_reset(&b);
  return z;
}

static void assert_status(const WebResp *w, int iStatus) {
  cr_assert_eq(w->iStatus, iStatus, "status %d, expected %d\n%s", w->iStatus, iStatus, w->zBody);
}

/* File an identified PQRSD for María through a connection of the test. */
static void file_maria(WebFixture *f) {
  char *zErr = NULL;
  Db *db = db_open(f->zDb, 0, &zErr);
  cr_assert_not_null(db, "%s", zErr ? zErr : "");
  Calendar cal;
  calendar_init(&cal);
  calendar_load(&cal, db);
  PqrsdSubmission s = {.zType = "peticion",
                       .zSubject = "Certificado de residencia",
                       .zText = "Solicito un certificado de residencia, por favor.",
                       .zName = "Maria Perez",
                       .zIdType = "CC",
                       .zIdNumber = "1234567890",
                       .zEmail = "maria.perez@example.com",
                       .zChannel = "correo",
                       .bConsent = true};
  PqrsdReceipt rec;
  cr_assert(pqrsd_submit(db, &cal, &s, &rec, &zErr), "%s", zErr);
  cr_assert_str_eq(rec.zRadicado, "2021-PQRSD-000001");
  calendar_reset(&cal);
  db_close(db);
}

/* POST the pairs az to zPath as c, after reading zPath for the token. */
static WebResp post_form(WebFixture *f, WebClient *c, const char *zPath, int n,
                         const char *const *az) {
  WebResp w = webtest_get(f, c, zPath);
  assert_status(&w, 200);
  webtest_resp_free(&w);
  char *zBody = form(n, az);
  w = webtest_post(f, c, zPath, zBody);
  free(zBody);
  return w;
}

Test(web_privacy, only_their_roles_come_in) {
  WebFixture f;
  webtest_start(&f, true);
  const char *azLogin[] = {"admin", "planeacion", "responsable", "control"};
  const int aAdmin[] = {200, 403, 403, 403};
  const int aTitular[] = {200, 200, 403, 403};
  for (int i = 0; i < 4; i++) {
    WebClient c = {0};
    webtest_login(&f, &c, azLogin[i]);
    WebResp w = webtest_get(&f, &c, "/admin/datos-personales");
    cr_expect_eq(w.iStatus, aAdmin[i], "%s /admin/datos-personales: %d", azLogin[i], w.iStatus);
    webtest_resp_free(&w);
    w = webtest_get(&f, &c, "/datos-personales");
    cr_expect_eq(w.iStatus, aTitular[i], "%s /datos-personales: %d", azLogin[i], w.iStatus);
    webtest_resp_free(&w);
  }
  WebResp w = webtest_get(&f, NULL, "/datos-personales");
  cr_expect_neq(w.iStatus, 200, "the public never sees it");
  webtest_resp_free(&w);
  w = webtest_post(&f, NULL, "/datos-personales", "accion=ver&radicado=2021-PQRSD-000001");
  cr_expect_eq(w.iStatus, 403);
  webtest_resp_free(&w);
  webtest_stop(&f);
}

Test(web_privacy, retention_form) {
  WebFixture f;
  webtest_start(&f, true);
  WebClient a = {0};
  webtest_login(&f, &a, "admin");
  WebResp w = webtest_get(&f, &a, "/admin/datos-personales");
  assert_status(&w, 200);
  cr_expect(webtest_has(&w, "<h1>Datos personales: plazos de conservación</h1>"));
  cr_expect(webtest_has(&w, "<label for=\"f-plazo_pqrsd\""));
  cr_expect(webtest_has(&w, "value=\"60\""));
  cr_expect(webtest_has(&w, "value=\"24\""));
  cr_expect(webtest_has(&w, "<label for=\"f-hasta\""));
  webtest_resp_free(&w);
  /* without the token */
  char *zBody = xstrdup("accion=plazos&plazo_pqrsd=120&plazo_adjuntos=60&plazo_propuestas=24");
  WebClient bare = a;
  bare.zCsrf[0] = 0;
  w = webtest_post(&f, &bare, "/admin/datos-personales", zBody);
  assert_status(&w, 403);
  webtest_resp_free(&w);
  free(zBody);
  cr_expect_eq(webtest_count(&f, "SELECT count(*) FROM setting WHERE key LIKE 'datos.%'"), 0);

  const char *azBad[] = {"accion",         "plazos", "plazo_pqrsd",      "diez",
                         "plazo_adjuntos", "60",     "plazo_propuestas", "1201"};
  w = post_form(&f, &a, "/admin/datos-personales", 4, azBad);
  assert_status(&w, 422);
  cr_expect(webtest_has(&w, "Datos del peticionario y textos de una PQRSD: escriba el plazo como "
                            "un número entero de meses, de 0 a 1200"));
  cr_expect(webtest_has(&w, "Datos del autor y texto de una propuesta a un reto: escriba el plazo "
                            "como un número entero de meses, de 0 a 1200"));
  webtest_resp_free(&w);
  cr_expect_eq(webtest_count(&f, "SELECT count(*) FROM setting WHERE key LIKE 'datos.%'"), 0);

  const char *azGood[] = {"accion",         "plazos", "plazo_pqrsd",      "120",
                          "plazo_adjuntos", "36",     "plazo_propuestas", "24"};
  w = post_form(&f, &a, "/admin/datos-personales", 4, azGood);
  assert_status(&w, 200);
  cr_expect(webtest_has(&w, "Plazos guardados."));
  webtest_resp_free(&w);
  cr_expect_eq(webtest_count(&f, "SELECT value FROM setting WHERE key = "
                                 "'datos.retencion_pqrsd_meses'"),
               120);
  cr_expect_eq(webtest_count(&f, "SELECT count(*) FROM change_log WHERE action = 'ajuste' AND "
                                 "detail LIKE 'datos.retencion_%'"),
               2, "the two that changed");

  const char *azFuture[] = {"accion", "purgar", "hasta", "2030-01-01"};
  w = post_form(&f, &a, "/admin/datos-personales", 2, azFuture);
  assert_status(&w, 422);
  cr_expect(webtest_has(&w, "la fecha «2030-01-01» es posterior a hoy"));
  webtest_resp_free(&w);
  const char *azPurge[] = {"accion", "purgar", "hasta", ""};
  w = post_form(&f, &a, "/admin/datos-personales", 2, azPurge);
  assert_status(&w, 200);
  cr_expect(webtest_has(&w, "Purga hecha: 0 PQRSD anonimizadas"));
  webtest_resp_free(&w);
  webtest_stop(&f);
}

Test(web_privacy, titular_request_see_correct_suppress) {
  WebFixture f;
  webtest_start(&f, true);
  file_maria(&f);
  WebClient p = {0};
  webtest_login(&f, &p, "planeacion");
  WebResp w = webtest_get(&f, &p, "/datos-personales");
  assert_status(&w, 200);
  cr_expect(webtest_has(&w, "<h1>Solicitudes de los titulares de datos personales</h1>"));
  cr_expect(webtest_has(&w, "<label for=\"f-radicado\""));
  cr_expect(webtest_has(&w, "<label for=\"f-propuesta\""));
  webtest_resp_free(&w);

  const char *azNone[] = {"accion", "ver", "radicado", "", "propuesta", ""};
  w = post_form(&f, &p, "/datos-personales", 3, azNone);
  assert_status(&w, 422);
  cr_expect(webtest_has(&w, "escriba el radicado de la PQRSD o el número de la propuesta (uno de "
                            "los dos)"));
  webtest_resp_free(&w);

  const char *azSee[] = {"accion", "ver", "radicado", "2021-pqrsd-000001", "propuesta", ""};
  w = post_form(&f, &p, "/datos-personales", 3, azSee);
  assert_status(&w, 200);
  cr_expect(webtest_has(&w, "Maria Perez"));
  cr_expect(webtest_has(&w, "maria.perez@example.com"));
  cr_expect(webtest_has(&w, "<h2 id=\"corregir\">Corregir los datos</h2>"));
  char *zCache = webtest_header(&w, "Cache-Control");
  cr_expect(zCache && strstr(zCache, "no-store"), "%s", zCache ? zCache : "(none)");
  free(zCache);
  webtest_resp_free(&w);
  cr_expect_eq(webtest_count(&f, "SELECT count(*) FROM change_log WHERE action = 'titular: ver' "
                                 "AND actor = 'planeacion' AND object = 'pqrsd'"),
               1);

  const char *azBad[] = {"accion",    "corregir", "radicado", "2021-PQRSD-000001",
                         "propuesta", "",         "correo",   "no-es-correo"};
  w = post_form(&f, &p, "/datos-personales", 4, azBad);
  assert_status(&w, 422);
  cr_expect(webtest_has(&w, "El correo «no-es-correo» no parece válido"));
  webtest_resp_free(&w);
  const char *azFix[] = {"accion",    "corregir", "radicado", "2021-PQRSD-000001",
                         "propuesta", "",         "correo",   "maria@example.org"};
  w = post_form(&f, &p, "/datos-personales", 4, azFix);
  assert_status(&w, 200);
  cr_expect(webtest_has(&w, "Datos corregidos: 1 campo."));
  webtest_resp_free(&w);
  cr_expect_eq(webtest_count(&f, "SELECT count(*) FROM pqrsd WHERE email = 'maria@example.org'"),
               1);

  const char *azNoConfirm[] = {"accion",    "suprimir", "radicado", "2021-PQRSD-000001",
                               "propuesta", ""};
  w = post_form(&f, &p, "/datos-personales", 3, azNoConfirm);
  assert_status(&w, 422);
  cr_expect(webtest_has(&w, "marque la casilla para confirmar que el titular pidió suprimir sus "
                            "datos"));
  webtest_resp_free(&w);
  cr_expect_eq(webtest_count(&f, "SELECT count(*) FROM pqrsd WHERE anonymised_at IS NULL"), 1);
  const char *azGo[] = {"accion",    "suprimir", "radicado", "2021-PQRSD-000001",
                        "propuesta", "",         "confirmo", "1"};
  w = post_form(&f, &p, "/datos-personales", 4, azGo);
  assert_status(&w, 200);
  cr_expect(webtest_has(&w, "Datos personales suprimidos en 1 registro."));
  webtest_resp_free(&w);
  cr_expect_eq(webtest_count(&f, "SELECT count(*) FROM pqrsd WHERE name = '' AND email = '' AND "
                                 "id_number = '' AND anonymised_why = 'titular'"),
               1);
  cr_expect_eq(webtest_count(&f, "SELECT count(*) FROM change_log WHERE detail LIKE '%Maria%' OR "
                                 "detail LIKE '%1234567890%' OR detail LIKE '%example%'"),
               0);
  webtest_stop(&f);
}
