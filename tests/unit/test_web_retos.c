/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Open challenges and the participation pages through the web application
** (src/retos/retos_web.c, participa_web.c) against a real server over the
** sample plan: planeación publishes a challenge; the public sends proposals
** (anonymous and identified, with consent); nothing shows until it is
** moderated; a published proposal is visible, a rejected one is not (and a
** rejection needs its reason); a proposal filed as a sugerencia gets a
** radicado, shown on its page, once; drafts are 404 for the public; the
** other roles get 403, a missing token 403, with nothing written; the
** honeypot, the body limit (413), the hourly limit set by the
** administrador (429 with Retry-After) and wrong fields (422 with the text
** kept); markup in a title or a proposal comes back inert;
** /participa lists every channel and /participa/boton shows the snippet
** escaped, with this server's address or an example for a strange Host.
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/util.h"
#include "httpc.h"
#include "web/html.h"
#include "webtest.h"

#define N_PROPOSALS "SELECT count(*) FROM reto_proposal"

/* An x-www-form-urlencoded body from n name/value pairs (caller frees). */
static char *form(int n, const char *const *az) {
  Buf b = BUF_INIT;
  for (int i = 0; i < n; i++) {
    html_url_query(&b, az[2 * i], az[2 * i + 1], false);
  }
  char *z = xstrdup(b.n ? b.z + 1 : ""); /* without the first "&" */
  buf_reset(&b);
  return z;
}

static void assert_status(const WebResp *w, int iStatus) {
  cr_assert_eq(w->iStatus, iStatus, "status %d, expected %d\n%s", w->iStatus, iStatus, w->zBody);
}

static void assert_location(const WebResp *w, const char *zWant) {
  char *zLoc = webtest_header(w, "Location");
  cr_assert_not_null(zLoc, "no Location; status %d", w->iStatus);
  cr_assert_str_eq(zLoc, zWant);
  free(zLoc);
}

/* planeación (signed in as c) creates a challenge open from 2021-06-01 to
** 2021-07-31 with title zTitle; returns its id. */
static long create_reto(WebFixture *f, WebClient *c, const char *zTitle, bool bPublish) {
  WebResp w = webtest_get(f, c, "/retos/nuevo");
  assert_status(&w, 200);
  webtest_resp_free(&w);
  char zOffice[24];
  snprintf(zOffice, sizeof zOffice, "%ld",
           webtest_count(f, "SELECT id FROM office WHERE name = 'Secretaría de Participación'"));
  const char *az[] = {"titulo",      zTitle,
                      "descripcion", "Las calles del barrio se inundan con cada aguacero.",
                      "abre",        "2021-06-01",
                      "cierra",      "2021-07-31",
                      "dependencia", zOffice,
                      "publicado",   bPublish ? "1" : "0"};
  char *zBody = form(6, az);
  w = webtest_post(f, c, "/retos/nuevo", zBody);
  free(zBody);
  assert_status(&w, 303);
  long id = webtest_count(f, "SELECT max(id) FROM reto");
  char zWant[64];
  snprintf(zWant, sizeof zWant, "/retos/%ld?aviso=reto-creado", id);
  assert_location(&w, zWant);
  webtest_resp_free(&w);
  return id;
}

/* The public (client c, which reads the page first for its token) sends a
** proposal to challenge iReto; the response. */
static WebResp send_proposal(WebFixture *f, WebClient *c, long iReto, const char *zName,
                             const char *zEmail, const char *zText, bool bConsent) {
  char zPath[64];
  snprintf(zPath, sizeof zPath, "/retos/%ld", iReto);
  WebResp w = webtest_get(f, c, zPath);
  assert_status(&w, 200);
  webtest_resp_free(&w);
  const char *az[] = {"texto",          zText,
                      "nombre",         zName,
                      "correo",         zEmail,
                      "sitio_web",      "",
                      "consentimiento", bConsent ? "1" : ""};
  char *zBody = form(bConsent ? 5 : 4, az);
  w = webtest_post(f, c, zPath, zBody);
  free(zBody);
  return w;
}

/* The public version planeación writes when it publishes a proposal. */
#define PUBLIC_TEXT "Propuesta revisada por planeación: obras de drenaje en el barrio."

/* planeación decides on proposal iProp: zAction "publicar", "rechazar" or
** "sugerencia", with zReason (and PUBLIC_TEXT as the public version). */
static WebResp decide(WebFixture *f, WebClient *c, long iProp, const char *zAction,
                      const char *zReason, const char *zBack) {
  char zPath[64];
  snprintf(zPath, sizeof zPath, "/retos/propuesta/%ld", iProp);
  const char *az[] = {"accion", zAction, "motivo",        zReason ? zReason : "",
                      "volver", zBack,   "texto_publico", PUBLIC_TEXT};
  char *zBody = form(4, az);
  WebResp w = webtest_post(f, c, zPath, zBody);
  free(zBody);
  return w;
}

/* GET zPath as c and require 200. */
static WebResp get_ok(WebFixture *f, WebClient *c, const char *zPath) {
  WebResp w = webtest_get(f, c, zPath);
  assert_status(&w, 200);
  return w;
}

Test(web_retos, publish_propose_moderate_and_see_it) {
  WebFixture f;
  webtest_start(&f, true);
  WebClient plan = {0}, pub = {0};
  webtest_login(&f, &plan, "planeacion");
  long id = create_reto(&f, &plan, "Calles que se inundan", true);
  char zPath[64];
  snprintf(zPath, sizeof zPath, "/retos/%ld", id);

  WebResp w = get_ok(&f, &pub, "/retos");
  cr_expect(webtest_has(&w, "Retos abiertos"));
  cr_expect(webtest_has(&w, "Calles que se inundan"));
  webtest_resp_free(&w);
  w = get_ok(&f, &pub, zPath);
  cr_expect(webtest_has(&w, "Envíe su propuesta"));
  cr_expect(webtest_has(&w, "Secretaría de Participación"));
  cr_expect(webtest_has(&w, "name=\"sitio_web\""), "the honeypot is there");
  webtest_resp_free(&w);

  w = send_proposal(&f, &pub, id, "", "", "Abrir zanjas de infiltración en el parque.", false);
  assert_status(&w, 303);
  char zWant[96];
  snprintf(zWant, sizeof zWant, "/retos/%ld?aviso=propuesta-recibida", id);
  assert_location(&w, zWant);
  webtest_resp_free(&w);
  w = get_ok(&f, &pub, zWant);
  cr_expect(webtest_has(&w, "Propuesta recibida."));
  cr_expect_not(webtest_has(&w, "zanjas de infiltración"), "not public before moderation");
  webtest_resp_free(&w);

  w = get_ok(&f, &plan, "/retos/moderacion");
  cr_expect(webtest_has(&w, "zanjas de infiltración"));
  cr_expect(webtest_has(&w, "1 propuesta espera moderación."));
  webtest_resp_free(&w);
  long iProp = webtest_count(&f, "SELECT max(id) FROM reto_proposal");
  /* issue 8: publishing needs the moderator's public version */
  char zProp[64];
  snprintf(zProp, sizeof zProp, "/retos/propuesta/%ld", iProp);
  const char *azNoText[] = {"accion", "publicar", "volver", "moderacion", "texto_publico", " "};
  char *zNoText = form(3, azNoText);
  w = webtest_post(&f, &plan, zProp, zNoText);
  free(zNoText);
  assert_status(&w, 422);
  cr_expect(webtest_has(&w, "escriba el texto que se publica; es lo único que verá el público"));
  webtest_resp_free(&w);
  cr_expect_eq(webtest_count(&f, "SELECT count(*) FROM reto_proposal WHERE status = 'pendiente'"),
               1);
  w = decide(&f, &plan, iProp, "publicar", NULL, "moderacion");
  assert_status(&w, 303);
  assert_location(&w, "/retos/moderacion?aviso=propuesta-publicada");
  webtest_resp_free(&w);

  w = get_ok(&f, &pub, zPath);
  /* issue 8: the public sees the moderator's version, never the citizen's own text */
  cr_expect(webtest_has(&w, PUBLIC_TEXT));
  cr_expect_not(webtest_has(&w, "zanjas de infiltración"));
  cr_expect(webtest_has(&w, "Propuesta anónima"));
  cr_expect(webtest_has(&w, "Propuestas publicadas (1)"));
  webtest_resp_free(&w);
  cr_expect_eq(webtest_count(&f, "SELECT count(*) FROM change_log WHERE object IN ('reto', "
                                 "'propuesta')"),
               3);
  webtest_stop(&f);
}

Test(web_retos, identified_proposal_needs_consent_and_shows_the_name) {
  WebFixture f;
  webtest_start(&f, true);
  WebClient plan = {0}, pub = {0};
  webtest_login(&f, &plan, "planeacion");
  long id = create_reto(&f, &plan, "Parques", true);
  WebResp w = send_proposal(&f, &pub, id, "Ana Pérez", "ana@example.org",
                            "Un parque de bolsillo en cada manzana.", false);
  assert_status(&w, 422);
  cr_expect(webtest_has(&w, "marque la autorización de tratamiento de datos"));
  cr_expect(webtest_has(&w, "Un parque de bolsillo en cada manzana."), "the text is kept");
  cr_expect(webtest_has(&w, "value=\"Ana Pérez\""));
  webtest_resp_free(&w);
  cr_expect_eq(webtest_count(&f, N_PROPOSALS), 0);
  w = send_proposal(&f, &pub, id, "Ana Pérez", "ana@example.org",
                    "Un parque de bolsillo en cada manzana.", true);
  assert_status(&w, 303);
  webtest_resp_free(&w);
  long iProp = webtest_count(&f, "SELECT max(id) FROM reto_proposal");
  w = get_ok(&f, &plan, "/retos/moderacion");
  cr_expect(webtest_has(&w, "ana@example.org"), "staff see the e-mail");
  webtest_resp_free(&w);
  w = decide(&f, &plan, iProp, "publicar", NULL, "moderacion");
  assert_status(&w, 303);
  webtest_resp_free(&w);
  char zPath[64];
  snprintf(zPath, sizeof zPath, "/retos/%ld", id);
  w = get_ok(&f, &pub, zPath);
  cr_expect(webtest_has(&w, "Propuesta de Ana Pérez"));
  cr_expect_not(webtest_has(&w, "ana@example.org"), "the e-mail is never public");
  webtest_resp_free(&w);
  webtest_stop(&f);
}

Test(web_retos, rejected_proposal_is_not_visible_and_needs_a_reason) {
  WebFixture f;
  webtest_start(&f, true);
  WebClient plan = {0}, pub = {0};
  webtest_login(&f, &plan, "planeacion");
  long id = create_reto(&f, &plan, "Basuras", true);
  WebResp w = send_proposal(&f, &pub, id, "", "", "Texto fuera de tema.", false);
  assert_status(&w, 303);
  webtest_resp_free(&w);
  long iProp = webtest_count(&f, "SELECT max(id) FROM reto_proposal");
  WebResp q = get_ok(&f, &plan, "/retos/moderacion");
  webtest_resp_free(&q);
  w = decide(&f, &plan, iProp, "rechazar", "", "moderacion");
  assert_status(&w, 422);
  cr_expect(webtest_has(&w, "escriba el motivo del rechazo"));
  webtest_resp_free(&w);
  w = decide(&f, &plan, iProp, "", "", "moderacion");
  assert_status(&w, 422);
  cr_expect(webtest_has(&w, "elija si la publica o la rechaza"));
  webtest_resp_free(&w);
  cr_expect_eq(webtest_count(&f, "SELECT count(*) FROM reto_proposal WHERE status = "
                                 "'pendiente'"),
               1);
  w = decide(&f, &plan, iProp, "rechazar", "No trata del reto.", "moderacion");
  assert_status(&w, 303);
  assert_location(&w, "/retos/moderacion?aviso=propuesta-rechazada");
  webtest_resp_free(&w);
  w = decide(&f, &plan, iProp, "publicar", NULL, "moderacion");
  assert_status(&w, 409);
  cr_expect(webtest_has(&w, "ya fue rechazada por planeacion"));
  webtest_resp_free(&w);
  char zPath[64];
  snprintf(zPath, sizeof zPath, "/retos/%ld", id);
  w = get_ok(&f, &pub, zPath);
  cr_expect_not(webtest_has(&w, "Texto fuera de tema."));
  cr_expect(webtest_has(&w, "Todavía no hay propuestas publicadas."));
  webtest_resp_free(&w);
  w = get_ok(&f, &plan, zPath);
  cr_expect(webtest_has(&w, "Propuestas rechazadas (1; solo las ve planeación)"));
  cr_expect(webtest_has(&w, "No trata del reto."));
  webtest_resp_free(&w);
  webtest_stop(&f);
}

Test(web_retos, a_proposal_filed_as_sugerencia_shows_its_radicado) {
  WebFixture f;
  webtest_start(&f, true);
  WebClient plan = {0}, pub = {0};
  webtest_login(&f, &plan, "planeacion");
  long id = create_reto(&f, &plan, "Alumbrado", true);
  WebResp w = send_proposal(&f, &pub, id, "", "", "Luminarias solares en los senderos.", false);
  assert_status(&w, 303);
  webtest_resp_free(&w);
  long iProp = webtest_count(&f, "SELECT max(id) FROM reto_proposal");
  w = decide(&f, &plan, iProp, "publicar", NULL, "moderacion");
  assert_status(&w, 303);
  webtest_resp_free(&w);
  char zPath[64];
  snprintf(zPath, sizeof zPath, "/retos/%ld", id);
  w = get_ok(&f, &plan, zPath);
  cr_expect(webtest_has(&w, "Radicar la propuesta"));
  webtest_resp_free(&w);
  w = decide(&f, &plan, iProp, "sugerencia", NULL, "reto");
  assert_status(&w, 303);
  char zWant[96];
  snprintf(zWant, sizeof zWant, "/retos/%ld?aviso=propuesta-radicada#propuesta-%ld", id, iProp);
  assert_location(&w, zWant);
  webtest_resp_free(&w);
  cr_expect_eq(webtest_count(&f, "SELECT count(*) FROM pqrsd WHERE type = 'sugerencia' AND "
                                 "radicado = '2021-PQRSD-000001'"),
               1);
  cr_expect_eq(webtest_count(&f, "SELECT count(*) FROM reto_proposal WHERE radicado = "
                                 "'2021-PQRSD-000001'"),
               1);
  w = get_ok(&f, &pub, zPath);
  cr_expect(webtest_has(&w, "Radicada como sugerencia con el número "
                            "<strong>2021-PQRSD-000001</strong>"));
  cr_expect_not(webtest_has(&w, "Radicar la propuesta"), "the public has no button");
  webtest_resp_free(&w);
  w = decide(&f, &plan, iProp, "sugerencia", NULL, "reto");
  assert_status(&w, 409);
  cr_expect(webtest_has(&w, "ya fue radicada como sugerencia con el número 2021-PQRSD-000001"));
  webtest_resp_free(&w);
  cr_expect_eq(webtest_count(&f, "SELECT count(*) FROM pqrsd"), 1);
  w = decide(&f, &plan, 999, "sugerencia", NULL, "reto");
  assert_status(&w, 404);
  webtest_resp_free(&w);
  webtest_stop(&f);
}

Test(web_retos, drafts_are_for_planeacion_only) {
  WebFixture f;
  webtest_start(&f, true);
  WebClient plan = {0}, pub = {0}, ctl = {0};
  webtest_login(&f, &plan, "planeacion");
  webtest_login(&f, &ctl, "control");
  long id = create_reto(&f, &plan, "Borrador secreto", false);
  char zPath[64];
  snprintf(zPath, sizeof zPath, "/retos/%ld", id);
  WebResp w = webtest_get(&f, &pub, zPath);
  assert_status(&w, 404);
  webtest_resp_free(&w);
  w = webtest_get(&f, &ctl, zPath);
  assert_status(&w, 404);
  webtest_resp_free(&w);
  w = get_ok(&f, &pub, "/retos");
  cr_expect_not(webtest_has(&w, "Borrador secreto"));
  cr_expect(webtest_has(&w, "Todavía no hay retos publicados."));
  webtest_resp_free(&w);
  w = get_ok(&f, &plan, zPath);
  cr_expect(webtest_has(&w, "Este reto es un borrador"));
  cr_expect_not(webtest_has(&w, "Envíe su propuesta"));
  webtest_resp_free(&w);
  w = get_ok(&f, &plan, "/retos");
  cr_expect(webtest_has(&w, "Borrador secreto"));
  webtest_resp_free(&w);
  /* a proposal to a draft is refused like one to nothing */
  const char *az[] = {"texto", "Hola."};
  char *zBody = form(1, az);
  WebResp g = webtest_get(&f, &pub, "/entrar"); /* a page with a form: the public's token */
  webtest_resp_free(&g);
  w = webtest_post(&f, &pub, zPath, zBody);
  free(zBody);
  assert_status(&w, 404);
  webtest_resp_free(&w);
  cr_expect_eq(webtest_count(&f, N_PROPOSALS), 0);
  /* planeación publishes it by editing */
  w = get_ok(&f, &plan, "/retos/1/editar");
  cr_expect(webtest_has(&w, "value=\"Borrador secreto\""));
  webtest_resp_free(&w);
  char zOffice[24];
  snprintf(zOffice, sizeof zOffice, "%ld",
           webtest_count(&f, "SELECT office_id FROM reto WHERE id = 1"));
  const char *azEdit[] = {
      "titulo", "Ya no es secreto", "descripcion", "El problema.", "abre",      "2021-06-01",
      "cierra", "2021-07-31",       "dependencia", zOffice,        "publicado", "1"};
  zBody = form(6, azEdit);
  w = webtest_post(&f, &plan, "/retos/1/editar", zBody);
  free(zBody);
  assert_status(&w, 303);
  assert_location(&w, "/retos/1?aviso=reto-guardado");
  webtest_resp_free(&w);
  w = get_ok(&f, &pub, zPath);
  cr_expect(webtest_has(&w, "Ya no es secreto"));
  webtest_resp_free(&w);
  webtest_stop(&f);
}

Test(web_retos, bad_challenge_form_is_422_with_each_error) {
  WebFixture f;
  webtest_start(&f, true);
  WebClient plan = {0};
  webtest_login(&f, &plan, "planeacion");
  WebResp w = get_ok(&f, &plan, "/retos/nuevo");
  webtest_resp_free(&w);
  const char *az[] = {"titulo", "Sin fechas", "descripcion", "", "abre", "31-02-2021",
                      "cierra", "",           "dependencia", ""};
  char *zBody = form(5, az);
  w = webtest_post(&f, &plan, "/retos/nuevo", zBody);
  free(zBody);
  assert_status(&w, 422);
  cr_expect(webtest_has(&w, "fecha de apertura: el 31 de febrero de 2021 no existe"), "%s",
            w.zBody);
  cr_expect(webtest_has(&w, "escriba la fecha hasta la que se reciben propuestas"));
  cr_expect(webtest_has(&w, "escriba el planteamiento del problema"));
  cr_expect(webtest_has(&w, "elija la dependencia responsable del reto"));
  cr_expect(webtest_has(&w, "value=\"Sin fechas\""));
  webtest_resp_free(&w);
  cr_expect_eq(webtest_count(&f, "SELECT count(*) FROM reto"), 0);
  webtest_stop(&f);
}

Test(web_retos, other_roles_get_403_and_a_missing_token_writes_nothing) {
  WebFixture f;
  webtest_start(&f, true);
  WebClient plan = {0}, pub = {0}, ctl = {0}, resp = {0};
  webtest_login(&f, &plan, "planeacion");
  webtest_login(&f, &ctl, "control");
  webtest_login(&f, &resp, "responsable");
  long id = create_reto(&f, &plan, "Ruido", true);
  WebResp w = send_proposal(&f, &pub, id, "", "", "Horarios de silencio.", false);
  assert_status(&w, 303);
  webtest_resp_free(&w);
  const char *azPage[] = {"/retos/nuevo", "/retos/moderacion", "/retos/1/editar"};
  for (int i = 0; i < 3; i++) {
    w = webtest_get(&f, &ctl, azPage[i]);
    cr_expect_eq(w.iStatus, 403, "control GET %s: %d", azPage[i], w.iStatus);
    webtest_resp_free(&w);
    w = webtest_get(&f, &resp, azPage[i]);
    cr_expect_eq(w.iStatus, 403, "responsable GET %s: %d", azPage[i], w.iStatus);
    webtest_resp_free(&w);
  }
  long nLog = webtest_count(&f, "SELECT count(*) FROM change_log");
  w = decide(&f, &ctl, 1, "publicar", NULL, "moderacion");
  assert_status(&w, 403);
  webtest_resp_free(&w);
  w = decide(&f, &pub, 1, "sugerencia", NULL, "moderacion");
  assert_status(&w, 403);
  webtest_resp_free(&w);
  /* planeación without its token */
  char zSaved[64];
  snprintf(zSaved, sizeof zSaved, "%s", plan.zCsrf);
  plan.zCsrf[0] = 0;
  w = decide(&f, &plan, 1, "publicar", NULL, "moderacion");
  assert_status(&w, 403);
  webtest_resp_free(&w);
  snprintf(plan.zCsrf, sizeof plan.zCsrf, "%s", zSaved);
  /* the public without its token */
  pub.zCsrf[0] = 0;
  w = webtest_post(&f, &pub, "/retos/1", "texto=Otra%20idea.");
  assert_status(&w, 403);
  webtest_resp_free(&w);
  cr_expect_eq(webtest_count(&f, "SELECT count(*) FROM change_log"), nLog);
  cr_expect_eq(webtest_count(&f, N_PROPOSALS), 1);
  cr_expect_eq(webtest_count(&f, "SELECT count(*) FROM reto_proposal WHERE status = "
                                 "'pendiente'"),
               1);
  webtest_stop(&f);
}

Test(web_retos, honeypot_and_hourly_limit) {
  WebFixture f;
  webtest_start(&f, true);
  WebClient plan = {0}, pub = {0};
  webtest_login(&f, &plan, "planeacion");
  long id = create_reto(&f, &plan, "Árboles", true);
  /* a program fills every field */
  WebResp w = webtest_get(&f, &pub, "/retos/1");
  webtest_resp_free(&w);
  w = webtest_post(&f, &pub, "/retos/1", "texto=Compre%20ya&sitio_web=http%3A%2F%2Fspam.example");
  assert_status(&w, 422);
  cr_expect(webtest_has(&w, "solo llenan los programas automáticos"));
  webtest_resp_free(&w);
  cr_expect_eq(webtest_count(&f, N_PROPOSALS), 0);
  /* a body over the route's limit is refused before the handler */
  size_t nBig = 100 * 1024;
  char *zBig = xmalloc(nBig + 7);
  memcpy(zBig, "texto=", 6);
  memset(zBig + 6, 'x', nBig);
  zBig[nBig + 6] = 0;
  w = webtest_post(&f, &pub, "/retos/1", zBig);
  free(zBig);
  assert_status(&w, 413);
  webtest_resp_free(&w);
  cr_expect_eq(webtest_count(&f, N_PROPOSALS), 0);
  /* the administrador sets a limit of 2 an hour; planeación may not */
  WebClient adm = {0};
  webtest_login(&f, &adm, "admin");
  w = get_ok(&f, &adm, "/retos/moderacion");
  cr_expect(webtest_has(&w, "name=\"limite_hora\" value=\"10\""), "the default shows");
  webtest_resp_free(&w);
  w = webtest_post(&f, &plan, "/retos/limite", "limite_hora=0");
  assert_status(&w, 403);
  webtest_resp_free(&w);
  w = webtest_post(&f, &adm, "/retos/limite", "limite_hora=muchas");
  assert_status(&w, 422);
  cr_expect(webtest_has(&w, "escriba el límite como un número entero"));
  webtest_resp_free(&w);
  w = webtest_post(&f, &adm, "/retos/limite", "limite_hora=2");
  assert_status(&w, 303);
  assert_location(&w, "/retos/moderacion?aviso=retos-limite-guardado");
  webtest_resp_free(&w);
  cr_expect_eq(webtest_count(&f, "SELECT count(*) FROM setting WHERE key = 'retos.limite_hora' "
                                 "AND value = '2'"),
               1);
  cr_expect_eq(webtest_count(&f, "SELECT count(*) FROM change_log WHERE detail = "
                                 "'retos.limite_hora: 10 → 2'"),
               1);
  for (int i = 0; i < 2; i++) {
    w = send_proposal(&f, &pub, id, "", "", "Una idea más.", false);
    assert_status(&w, 303);
    webtest_resp_free(&w);
  }
  w = send_proposal(&f, &pub, id, "", "", "La tercera idea.", false);
  assert_status(&w, 429);
  cr_expect(webtest_has(&w, "se enviaron ya 2 propuestas en la última hora"), "%s", w.zBody);
  cr_expect(webtest_has(&w, "La tercera idea."), "the text is kept");
  char *zRetry = webtest_header(&w, "Retry-After");
  cr_expect(zRetry && atoi(zRetry) == 3600, "%s", zRetry ? zRetry : "(none)");
  free(zRetry);
  webtest_resp_free(&w);
  cr_expect_eq(webtest_count(&f, N_PROPOSALS), 2);
  webtest_stop(&f);
}

Test(web_retos, markup_comes_back_inert) {
  WebFixture f;
  webtest_start(&f, true);
  WebClient plan = {0}, pub = {0};
  webtest_login(&f, &plan, "planeacion");
  long id = create_reto(&f, &plan, "<script>alert(1)</script>", true);
  WebResp w = send_proposal(&f, &pub, id, "<b>Eve</b>", "",
                            "<img src=x onerror=alert(2)> ' OR 1=1--", true);
  assert_status(&w, 303);
  webtest_resp_free(&w);
  long iProp = webtest_count(&f, "SELECT max(id) FROM reto_proposal");
  w = get_ok(&f, &plan, "/retos/moderacion");
  cr_expect_not(webtest_has(&w, "<img"));
  cr_expect(webtest_has(&w, "&lt;img src=x onerror=alert(2)&gt; &#39; OR 1=1--"));
  webtest_resp_free(&w);
  const char *azDecide[] = {"accion",        "publicar",
                            "volver",        "moderacion",
                            "texto_publico", "<img src=x onerror=alert(2)> ' OR 1=1--"};
  char *zBody = form(3, azDecide);
  char zPath[64];
  snprintf(zPath, sizeof zPath, "/retos/propuesta/%ld", iProp);
  w = webtest_post(&f, &plan, zPath, zBody);
  free(zBody);
  assert_status(&w, 303);
  webtest_resp_free(&w);
  const char *azPage[] = {"/retos", "/retos/1"};
  for (int i = 0; i < 2; i++) {
    w = get_ok(&f, &pub, azPage[i]);
    cr_expect_not(webtest_has(&w, "<script>"), "%s", azPage[i]);
    cr_expect_not(webtest_has(&w, "<img"), "%s", azPage[i]);
    cr_expect(webtest_has(&w, "&lt;script&gt;alert(1)&lt;/script&gt;"), "%s", azPage[i]);
    webtest_resp_free(&w);
  }
  w = get_ok(&f, &pub, "/retos/1");
  cr_expect(webtest_has(&w, "&lt;img src=x onerror=alert(2)&gt; &#39; OR 1=1--"));
  cr_expect(webtest_has(&w, "Propuesta de &lt;b&gt;Eve&lt;/b&gt;"));
  webtest_resp_free(&w);
  cr_expect_eq(webtest_count(&f, "SELECT count(*) FROM reto"), 1, "the SQL text was data");
  webtest_stop(&f);
}

Test(web_retos, participa_lists_every_channel) {
  WebFixture f;
  webtest_start(&f, true);
  WebResp w = get_ok(&f, NULL, "/participa");
  const char *azHref[] = {
      "href=\"/pqrsd\"", "href=\"/pqrsd/consulta\"", "href=\"/retos\"",          "href=\"/\"",
      "href=\"/datos\"", "href=\"/pqrsd/informe\"",  "href=\"/participa/boton\""};
  for (size_t i = 0; i < sizeof azHref / sizeof azHref[0]; i++) {
    cr_expect(webtest_has(&w, azHref[i]), "no %s", azHref[i]);
  }
  cr_expect(webtest_has(&w, "Ahora no hay retos abiertos."));
  cr_expect(webtest_has(&w, "<a href=\"/participa\" aria-current=\"page\">Participa</a>"),
            "the navigation has Participa");
  webtest_resp_free(&w);
  webtest_stop(&f);
}

Test(web_retos, the_button_snippet_is_escaped_code_with_this_address) {
  WebFixture f;
  webtest_start(&f, true);
  WebResp w = get_ok(&f, NULL, "/participa/boton");
  char zWant[160];
  snprintf(zWant, sizeof zWant, "&lt;a href=&quot;http://127.0.0.1:%d/pqrsd&quot;&gt;Peticiones",
           f.iPort);
  cr_expect(webtest_has(&w, zWant), "%s", w.zBody);
  cr_expect(webtest_has(&w, "\n<code>&lt;!-- Participación ciudadana"), "%s", w.zBody);
  snprintf(zWant, sizeof zWant, "<a href=\"http://127.0.0.1:%d/participa\">", f.iPort);
  cr_expect(webtest_has(&w, zWant), "the preview is a real link");
  webtest_resp_free(&w);
  /* a Host header that is not a plain host name is never echoed */
  const char *zReq = "GET /participa/boton HTTP/1.1\r\nHost: \"><x y=\r\nConnection: close\r\n\r\n";
  Resp raw = http_raw(f.iPort, zReq, strlen(zReq));
  cr_expect_eq(raw.iStatus, 200);
  cr_expect(strstr(raw.zBody, "http://participa.ejemplo.gov.co/pqrsd") != NULL);
  cr_expect(strstr(raw.zBody, "&gt;&lt;x") == NULL && strstr(raw.zBody, "\"><x") == NULL);
  resp_free(&raw);
  webtest_stop(&f);
}
