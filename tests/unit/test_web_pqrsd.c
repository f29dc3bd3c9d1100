/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** PQRSD through the web application (src/pqrsd/pqrsd_web.c) against a real
** server over the sample plan, the clock fixed at 2021-06-30T12:00:00Z
** (a Wednesday; 7:00 a. m. in Bogotá) and moved forward where a test says:
** a citizen files an anonymous suggestion and an identified petition and
** gets consecutive radicados, the receipt with the due date and a code;
** checks the status with the code (a wrong code and an unknown radicado get
** the same answer); an official assigns, forwards (the term restarts),
** extends and answers, with the exact dates; asks the petitioner for
** information (art. 17), which the citizen gives on the status page, and
** the term restarts; extensions beyond double the
** term or after the due date are refused with the exact sentence; a
** responsable of another office gets 403; no CSRF token, the honeypot, a
** bad form: nothing written; the hourly limit answers 429 with
** Retry-After; markup and SQL in the input come back inert; the inbox
** filters, the terms page, the transparency report and its open data.
*/
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/util.h"
#include "webtest.h"

#define N_PQRSD  "SELECT count(*) FROM pqrsd"
#define N_EVENTS "SELECT count(*) FROM pqrsd_event"

#define OWN_OFFICE   "Secretaría de Participación" /* "responsable"'s office */
#define OTHER_OFFICE "Secretaria general"          /* "otra"'s office */

/* A filed PQRSD as the receipt shows it. */
typedef struct Filed {
  char zRadicado[32]; /* "2021-PQRSD-000001" */
  char zCode[32];     /* the consultation code */
} Filed;

/* Require w to have status iStatus, showing the body otherwise. */
static void assert_status(const WebResp *w, int iStatus) {
  cr_assert_eq(w->iStatus, iStatus, "status %d, expected %d\n%s", w->iStatus, iStatus, w->zBody);
}

/* Require the body of w to contain z. */
static void assert_has(const WebResp *w, const char *z) {
  cr_assert(webtest_has(w, z), "the page lacks «%s»:\n%s", z, w->zBody);
}

/* Require the Location header of w to be zWant. */
static void assert_location(const WebResp *w, const char *zWant) {
  char *zLoc = webtest_header(w, "Location");
  cr_assert_not_null(zLoc, "no Location; status %d\n%s", w->iStatus, w->zBody);
  cr_assert_str_eq(zLoc, zWant);
  free(zLoc);
}

/* POST the public form with nField name/value pairs (and a file when
** zFileName is not NULL) as client c. */
static WebResp send_form(WebFixture *f, WebClient *c, int nField, const char *const *azField,
                         const char *zFileName, const char *pFile, size_t nFile) {
  size_t nBody;
  char zType[128];
  char *zBody =
      webtest_multipart(c, nField, azField, "adjunto", zFileName ? zFileName : "",
                        "application/octet-stream", pFile ? pFile : "", nFile, &nBody, zType);
  WebResp w = webtest_post_raw(f, c, "/pqrsd", zType, zBody, nBody);
  free(zBody);
  return w;
}

/* The text of the element with id zId in w's body (up to the next '<'). */
static void element_text(const WebResp *w, const char *zId, char *zOut, size_t nOut) {
  char zNeedle[64];
  snprintf(zNeedle, sizeof zNeedle, "id=\"%s\">", zId);
  const char *z = strstr(w->zBody, zNeedle);
  cr_assert_not_null(z, "no element #%s in\n%s", zId, w->zBody);
  z += strlen(zNeedle);
  size_t n = strcspn(z, "<");
  cr_assert_lt(n, nOut);
  memcpy(zOut, z, n);
  zOut[n] = 0;
}

/* Read the radicado and code of a receipt. */
static Filed receipt(const WebResp *w) {
  Filed r;
  assert_status(w, 200);
  element_text(w, "radicado", r.zRadicado, sizeof r.zRadicado);
  element_text(w, "codigo-consulta", r.zCode, sizeof r.zCode);
  cr_assert_eq(strlen(r.zCode), 14, "code «%s»", r.zCode);
  return r;
}

/* A new public client that has read the form (and got its CSRF token). */
static WebClient citizen(WebFixture *f) {
  WebClient c = {0};
  WebResp w = webtest_get(f, &c, "/pqrsd");
  assert_status(&w, 200);
  webtest_resp_free(&w);
  cr_assert_neq(c.zCsrf[0], 0);
  return c;
}

/* File an anonymous suggestion. */
static Filed file_suggestion(WebFixture *f, WebClient *c, const char *zSubject) {
  const char *az[] = {
      "tipo",           "sugerencia",
      "asunto",         zSubject,
      "texto",          "Que el formulario de participación tenga más tiempo para responder.",
      "identificacion", "anonima"};
  WebResp w = send_form(f, c, 4, az, NULL, NULL, 0);
  Filed r = receipt(&w);
  webtest_resp_free(&w);
  return r;
}

/* File an identified petition with consent. */
static Filed file_petition(WebFixture *f, WebClient *c) {
  const char *az[] = {"tipo",
                      "peticion",
                      "asunto",
                      "Copia del acta de la mesa de participación",
                      "texto",
                      "Solicito copia del acta de la mesa de participación del barrio.",
                      "identificacion",
                      "identificada",
                      "nombre",
                      "María Pérez Gómez",
                      "tipo_documento",
                      "CC",
                      "numero_documento",
                      "1047123456",
                      "correo",
                      "maria.perez@example.co",
                      "telefono",
                      "300 123 4567",
                      "direccion",
                      "Calle 30 # 17-25, Cartagena",
                      "canal",
                      "correo",
                      "autorizo",
                      "1"};
  WebResp w = send_form(f, c, 12, az, NULL, NULL, 0);
  Filed r = receipt(&w);
  webtest_resp_free(&w);
  return r;
}

/* POST the status check form as client c. */
static WebResp check_status(WebFixture *f, WebClient *c, const char *zRadicado, const char *zCode,
                            const char *zExtra) {
  char *zBody = xasprintf("radicado=%s&codigo=%s%s", zRadicado, zCode, zExtra ? zExtra : "");
  WebResp w = webtest_post(f, c, "/pqrsd/consulta", zBody);
  free(zBody);
  return w;
}

/* POST an action to /pqrsd/bandeja/RADICADO as c (multipart, with a file
** part "adjunto" when zFileName is set). */
static WebResp act(WebFixture *f, WebClient *c, const char *zRadicado, int nField,
                   const char *const *azField, const char *zFileName) {
  size_t nBody;
  char zType[128];
  static const char zFile[] = "Respuesta firmada.\n";
  char *zBody = webtest_multipart(c, nField, azField, zFileName ? "adjunto" : NULL, zFileName,
                                  "text/plain", zFile, sizeof zFile - 1, &nBody, zType);
  char zPath[80];
  snprintf(zPath, sizeof zPath, "/pqrsd/bandeja/%s", zRadicado);
  WebResp w = webtest_post_raw(f, c, zPath, zType, zBody, nBody);
  free(zBody);
  return w;
}

/* GET /pqrsd/bandeja/RADICADO as c. */
static WebResp detail(WebFixture *f, WebClient *c, const char *zRadicado) {
  char zPath[80];
  snprintf(zPath, sizeof zPath, "/pqrsd/bandeja/%s", zRadicado);
  return webtest_get(f, c, zPath);
}

/* The id of office zName in the fixture database, as text. */
static void office_id(WebFixture *f, const char *zName, char zOut[24]) {
  char *zSql = xasprintf("SELECT id FROM office WHERE name = '%s'", zName);
  long id = webtest_count(f, zSql);
  free(zSql);
  cr_assert_gt(id, 0, "no office %s", zName);
  snprintf(zOut, 24, "%ld", id);
}

/* The number of rows zSql counts about radicado zRad ("%s" in zSql). */
static long count_for(WebFixture *f, const char *zSql, const char *zRad) {
  char *z = xasprintf(zSql, zRad);
  long n = webtest_count(f, z);
  free(z);
  return n;
}

/* Move the server's clock (nothing is in flight between requests). */
static void set_now(const char *zIso) {
  cr_assert_eq(setenv("PARTICIPA_NOW", zIso, 1), 0);
}

/* Move the clock days ahead: sessions have ended meanwhile (SESSION_IDLE_SEC),
** so the n clients of azLogin sign in again. */
static void days_later(WebFixture *f, const char *zIso, int n, WebClient *aClient,
                       const char *const *azLogin) {
  set_now(zIso);
  for (int i = 0; i < n; i++) {
    memset(&aClient[i], 0, sizeof aClient[i]);
    webtest_login(f, &aClient[i], azLogin[i]);
  }
}

Test(web_pqrsd, citizen_files_and_checks_status) {
  WebFixture f;
  webtest_start(&f, true);
  WebClient c = citizen(&f);

  /* an anonymous suggestion */
  const char *azSug[] = {
      "tipo",           "sugerencia",
      "asunto",         "Horario de atención los sábados",
      "texto",          "Propongo abrir la oficina de atención los sábados en la mañana.",
      "identificacion", "anonima"};
  WebResp w = send_form(&f, &c, 4, azSug, NULL, NULL, 0);
  Filed sug = receipt(&w);
  cr_expect_str_eq(sug.zRadicado, "2021-PQRSD-000001");
  assert_has(&w, "30 de junio de 2021, 7:00 a. m.");
  assert_has(&w, "Sugerencia");
  assert_has(&w, "23 de julio de 2021"); /* 15 business days: 5 and 20 July are holidays */
  char *zCache = webtest_header(&w, "Cache-Control");
  cr_expect(zCache && strstr(zCache, "no-store"), "Cache-Control %s", zCache ? zCache : "");
  free(zCache);
  webtest_resp_free(&w);

  /* an identified petition, with consent to the notice */
  Filed pet = file_petition(&f, &c);
  cr_expect_str_eq(pet.zRadicado, "2021-PQRSD-000002");
  cr_expect_neq(strcmp(pet.zCode, sug.zCode), 0);
  cr_expect_eq(webtest_count(&f, N_PQRSD), 2);
  cr_expect_eq(webtest_count(&f, "SELECT count(*) FROM pqrsd WHERE radicado = "
                                 "'2021-PQRSD-000002' AND consent_notice_version = "
                                 "'pqrsd-aviso-1' AND name = 'María Pérez Gómez'"),
               1);
  cr_expect_eq(webtest_count(&f, "SELECT count(*) FROM pqrsd WHERE radicado = "
                                 "'2021-PQRSD-000001' AND anonymous = 1 AND name = ''"),
               1);

  /* the status with the code: status, dates, no personal data */
  w = check_status(&f, &c, pet.zRadicado, pet.zCode, NULL);
  assert_status(&w, 200);
  assert_has(&w, "<strong id=\"estado\">Radicada</strong>");
  assert_has(&w, "23 de julio de 2021");
  assert_has(&w, "Copia del acta de la mesa de participación");
  cr_expect(!webtest_has(&w, "María"), "the public view shows the name");
  cr_expect(!webtest_has(&w, "1047123456"));
  webtest_resp_free(&w);
  /* the code in lower case and without dashes works too */
  char zLoose[32];
  size_t n = 0;
  for (const char *z = sug.zCode; *z; z++) {
    if (*z != '-') {
      zLoose[n++] = (char)(*z >= 'A' && *z <= 'Z' ? *z - 'A' + 'a' : *z);
    }
  }
  zLoose[n] = 0;
  w = check_status(&f, &c, sug.zRadicado, zLoose, NULL);
  assert_status(&w, 200);
  assert_has(&w, "Horario de atención los sábados");
  webtest_resp_free(&w);

  /* a wrong code and an unknown radicado: the same neutral answer */
  static const char zNeutral[] = "No encontramos una solicitud con ese radicado y ese código.";
  w = check_status(&f, &c, pet.zRadicado, sug.zCode, NULL);
  assert_status(&w, 422);
  assert_has(&w, zNeutral);
  cr_expect(!webtest_has(&w, "Copia del acta"));
  webtest_resp_free(&w);
  w = check_status(&f, &c, "2021-PQRSD-000099", pet.zCode, NULL);
  assert_status(&w, 422);
  assert_has(&w, zNeutral);
  webtest_resp_free(&w);
  /* empty fields: said beside each */
  w = check_status(&f, &c, "", "", NULL);
  assert_status(&w, 422);
  assert_has(&w, "Escriba el número de radicado que aparece en la constancia.");
  assert_has(&w, "Escriba el código de consulta que aparece en la constancia.");
  webtest_resp_free(&w);

  /* staff see the citizen's data; the public does not see the inbox */
  WebClient staff = {0};
  webtest_login(&f, &staff, "planeacion");
  w = detail(&f, &staff, pet.zRadicado);
  assert_status(&w, 200);
  assert_has(&w, "María Pérez Gómez");
  assert_has(&w, "maria.perez@example.co");
  assert_has(&w, "Aviso pqrsd-aviso-1");
  webtest_resp_free(&w);
  w = detail(&f, &c, pet.zRadicado);
  cr_expect_eq(w.iStatus, 303);
  webtest_resp_free(&w);
  webtest_stop(&f);
}

Test(web_pqrsd, official_assigns_forwards_extends_and_answers) {
  WebFixture f;
  webtest_start(&f, true);
  WebClient c = citizen(&f);
  Filed pet = file_petition(&f, &c);
  Filed sug = file_suggestion(&f, &c, "Más bancas en el parque");
  char zOwn[24], zOther[24];
  office_id(&f, OWN_OFFICE, zOwn);
  office_id(&f, OTHER_OFFICE, zOther);
  static const char *const azLogin[] = {"planeacion", "responsable", "otra", "control"};
  WebClient aStaff[4] = {0};
  for (int i = 0; i < 4; i++) {
    webtest_login(&f, &aStaff[i], azLogin[i]);
  }
  WebClient *pPlan = &aStaff[0], *pResp = &aStaff[1], *pOtra = &aStaff[2], *pControl = &aStaff[3];

  /* unassigned: responsables do not see it */
  WebResp w = detail(&f, pResp, pet.zRadicado);
  assert_status(&w, 403);
  webtest_resp_free(&w);

  /* assign to the responsable's office: the term does not change */
  const char *azAssign[] = {"accion", "asignar", "dependencia", zOwn};
  w = act(&f, pPlan, pet.zRadicado, 2, azAssign, NULL);
  assert_status(&w, 303);
  assert_location(&w, "/pqrsd/bandeja/2021-PQRSD-000001?aviso=pqrsd-asignada");
  webtest_resp_free(&w);
  w = detail(&f, pResp, pet.zRadicado);
  assert_status(&w, 200);
  assert_has(&w, "<strong id=\"estado\">Asignada</strong>");
  assert_has(&w, "23 de julio de 2021");
  webtest_resp_free(&w);
  w = detail(&f, pOtra, pet.zRadicado);
  assert_status(&w, 403);
  assert_has(&w, "Esta PQRSD no está asignada a sus dependencias");
  webtest_resp_free(&w);
  long nEvents = webtest_count(&f, N_EVENTS);
  w = act(&f, pOtra, pet.zRadicado, 2, azAssign, NULL);
  assert_status(&w, 403);
  webtest_resp_free(&w);
  cr_expect_eq(webtest_count(&f, N_EVENTS), nEvents, "a refused action wrote");
  /* control interno reads, without action forms, and may not act */
  w = detail(&f, pControl, pet.zRadicado);
  assert_status(&w, 200);
  assert_has(&w, "Control interno consulta la PQRSD sin modificarla.");
  cr_expect(!webtest_has(&w, "name=\"accion\""));
  webtest_resp_free(&w);
  w = act(&f, pControl, pet.zRadicado, 2, azAssign, NULL);
  assert_status(&w, 403);
  webtest_resp_free(&w);

  /* six days later (Tuesday 6 July), the responsable forwards it to the
  ** competent office: the term restarts from that day */
  days_later(&f, "2021-07-06T15:00:00Z", 4, aStaff, azLogin);
  const char *azForward[] = {"accion", "trasladar", "destino", zOther, "entidad", ""};
  w = act(&f, pResp, pet.zRadicado, 3, azForward, NULL);
  assert_status(&w, 303);
  assert_location(&w, "/pqrsd/bandeja/2021-PQRSD-000001?aviso=pqrsd-trasladada");
  webtest_resp_free(&w);
  cr_expect_eq(count_for(&f,
                         "SELECT count(*) FROM pqrsd WHERE radicado = '%s' AND due_day = "
                         "'2021-07-28' AND term_start = '2021-07-06'",
                         pet.zRadicado),
               1);
  w = detail(&f, pResp, pet.zRadicado);
  assert_status(&w, 403); /* no longer its office's */
  webtest_resp_free(&w);
  w = detail(&f, pOtra, pet.zRadicado);
  assert_status(&w, 200);
  assert_has(&w, "<strong id=\"estado\">Trasladada</strong>");
  assert_has(&w, "28 de julio de 2021");
  assert_has(&w, "15 días hábiles");
  webtest_resp_free(&w);

  /* an extension beyond double the term (30 business days from 6 July:
  ** 19 August, with 20 July and 16 August holidays) is refused */
  nEvents = webtest_count(&f, N_EVENTS);
  const char *azTooLong[] = {"accion",      "prorrogar",
                             "nueva_fecha", "2021-08-20",
                             "motivo",      "Se necesita el concepto de la oficina jurídica."};
  w = act(&f, pOtra, pet.zRadicado, 3, azTooLong, NULL);
  assert_status(&w, 422);
  assert_has(&w, "La nueva fecha no puede pasar del doble del término (30 días hábiles): a "
                 "más tardar el 19 de agosto de 2021.");
  assert_has(&w, "id=\"f-nueva_fecha-error\"");
  assert_has(&w, "value=\"2021-08-20\""); /* what was typed stays */
  webtest_resp_free(&w);
  cr_expect_eq(webtest_count(&f, N_EVENTS), nEvents);
  /* without a reason */
  const char *azNoReason[] = {"accion", "prorrogar", "nueva_fecha", "2021-08-19", "motivo", " "};
  w = act(&f, pOtra, pet.zRadicado, 3, azNoReason, NULL);
  assert_status(&w, 422);
  assert_has(&w, "Escriba el motivo de la prórroga.");
  webtest_resp_free(&w);
  /* exactly double: granted */
  const char *azExtend[] = {"accion",      "prorrogar",
                            "nueva_fecha", "2021-08-19",
                            "motivo",      "Se necesita el concepto de la oficina jurídica."};
  w = act(&f, pOtra, pet.zRadicado, 3, azExtend, NULL);
  assert_status(&w, 303);
  assert_location(&w, "/pqrsd/bandeja/2021-PQRSD-000001?aviso=pqrsd-prorrogada");
  webtest_resp_free(&w);
  cr_expect_eq(count_for(&f,
                         "SELECT count(*) FROM pqrsd WHERE radicado = '%s' AND due_day = "
                         "'2021-08-19' AND original_due = '2021-07-28' AND extended = 1",
                         pet.zRadicado),
               1);
  w = detail(&f, pOtra, pet.zRadicado);
  assert_has(&w, "19 de agosto de 2021");
  assert_has(&w, "Prorrogada; vencía el ");
  cr_expect(!webtest_has(&w, "value=\"prorrogar\""), "a second extension is offered");
  webtest_resp_free(&w);
  /* the citizen sees the new date and the reason */
  w = check_status(&f, &c, pet.zRadicado, pet.zCode, NULL);
  assert_status(&w, 200);
  assert_has(&w, "19 de agosto de 2021");
  assert_has(&w, "Se necesita el concepto de la oficina jurídica.");
  webtest_resp_free(&w);

  /* an extension after the due date: the suggestion was due on 23 July */
  days_later(&f, "2021-07-26T15:00:00Z", 4, aStaff, azLogin);
  const char *azLate[] = {"accion",     "prorrogar", "nueva_fecha",
                          "2021-08-10", "motivo",    "Falta el concepto técnico."};
  w = act(&f, pPlan, sug.zRadicado, 3, azLate, NULL);
  assert_status(&w, 422);
  assert_has(&w, "La prórroga debe pedirse antes del vencimiento (23 de julio de 2021).");
  webtest_resp_free(&w);

  /* answer the petition: publishing is only for suggestions */
  const char *azPublish[] = {
      "accion", "responder", "respuesta", "Adjuntamos copia del acta solicitada.", "publicar", "1"};
  w = act(&f, pOtra, pet.zRadicado, 3, azPublish, NULL);
  assert_status(&w, 422);
  assert_has(&w, "Solo la respuesta a una sugerencia se puede publicar.");
  webtest_resp_free(&w);
  const char *azAnswer[] = {"accion", "responder", "respuesta",
                            "Adjuntamos copia del acta solicitada."};
  w = act(&f, pOtra, pet.zRadicado, 2, azAnswer, "acta.txt");
  assert_status(&w, 303);
  assert_location(&w, "/pqrsd/bandeja/2021-PQRSD-000001?aviso=pqrsd-respondida");
  webtest_resp_free(&w);
  w = detail(&f, pOtra, pet.zRadicado);
  assert_has(&w, "<strong id=\"estado\">Respondida</strong>");
  assert_has(&w, "/pqrsd/bandeja/2021-PQRSD-000001/archivo/respuesta");
  webtest_resp_free(&w);
  w = webtest_get(&f, pOtra, "/pqrsd/bandeja/2021-PQRSD-000001/archivo/respuesta");
  assert_status(&w, 200);
  cr_expect_str_eq(w.zBody, "Respuesta firmada.\n");
  char *zDisp = webtest_header(&w, "Content-Disposition");
  cr_expect(zDisp && strncmp(zDisp, "attachment;", 11) == 0, "%s", zDisp ? zDisp : "");
  free(zDisp);
  webtest_resp_free(&w);

  /* the citizen reads the answer and downloads its file with the code */
  w = check_status(&f, &c, pet.zRadicado, pet.zCode, NULL);
  assert_status(&w, 200);
  assert_has(&w, "<strong id=\"estado\">Respondida</strong>");
  assert_has(&w, "Adjuntamos copia del acta solicitada.");
  webtest_resp_free(&w);
  w = check_status(&f, &c, pet.zRadicado, pet.zCode, "&accion=adjunto");
  assert_status(&w, 200);
  cr_expect_str_eq(w.zBody, "Respuesta firmada.\n");
  webtest_resp_free(&w);
  w = check_status(&f, &c, pet.zRadicado, sug.zCode, "&accion=adjunto");
  assert_status(&w, 422);
  webtest_resp_free(&w);

  /* close it; then nothing more */
  const char *azClose[] = {"accion", "cerrar"};
  w = act(&f, pOtra, pet.zRadicado, 1, azClose, NULL);
  assert_status(&w, 303);
  webtest_resp_free(&w);
  w = act(&f, pOtra, pet.zRadicado, 2, azAnswer, NULL);
  assert_status(&w, 422);
  assert_has(&w, "La PQRSD está cerrada; no admite más cambios.");
  webtest_resp_free(&w);

  /* the suggestion is answered late and published: the report shows it */
  /* issue 8: publishing needs the official's public version, and the report
  ** shows only that, never the citizen's own subject */
  const char *azNoPublic[] = {
      "accion",    "responder",
      "respuesta", "Instalaremos diez bancas nuevas en el segundo semestre.",
      "publicar",  "1"};
  w = act(&f, pPlan, sug.zRadicado, 3, azNoPublic, NULL);
  assert_status(&w, 422);
  assert_has(&w, "Para publicar la respuesta escriba el asunto público (de 3 a 200 caracteres), "
                 "sin datos del peticionario.");
  webtest_resp_free(&w);
  const char *azSugAnswer[] = {"accion",
                               "responder",
                               "respuesta",
                               "Instalaremos diez bancas nuevas en el segundo semestre.",
                               "publicar",
                               "1",
                               "asunto_publico",
                               "Bancas para los parques",
                               "respuesta_publica",
                               "Se instalarán diez bancas nuevas en el segundo semestre."};
  w = act(&f, pPlan, sug.zRadicado, 5, azSugAnswer, NULL);
  assert_status(&w, 303);
  webtest_resp_free(&w);
  w = webtest_get(&f, NULL, "/pqrsd/informe?anio=2021");
  assert_status(&w, 200);
  assert_has(&w, "Se instalarán diez bancas nuevas en el segundo semestre.");
  assert_has(&w, "Bancas para los parques");
  cr_expect(!webtest_has(&w, "Más bancas en el parque"), "the citizen's subject is not public");
  cr_expect(!webtest_has(&w, "Instalaremos diez bancas"), "nor the answer sent to the citizen");
  cr_expect(!webtest_has(&w, "María"));
  webtest_resp_free(&w);
  /* every change is in the audit log */
  cr_expect_geq(webtest_count(&f, "SELECT count(*) FROM change_log WHERE detail LIKE "
                                  "'2021-PQRSD-000001%'"),
                5);
  webtest_stop(&f);
}

Test(web_pqrsd, refusals_write_nothing) {
  WebFixture f;
  webtest_start(&f, true);
  WebClient c = citizen(&f);
  const char *azSug[] = {"tipo",           "sugerencia", "asunto",
                         "Parque",         "texto",      "Más árboles en el parque del barrio.",
                         "identificacion", "anonima"};

  /* without the CSRF token */
  WebClient bare = c;
  bare.zCsrf[0] = 0;
  WebResp w = send_form(&f, &bare, 4, azSug, NULL, NULL, 0);
  assert_status(&w, 403);
  webtest_resp_free(&w);
  cr_expect_eq(webtest_count(&f, N_PQRSD), 0);

  /* the honeypot filled: a neutral 422 */
  const char *azBot[] = {"tipo",           "sugerencia",
                         "asunto",         "Parque",
                         "texto",          "Más árboles en el parque del barrio.",
                         "identificacion", "anonima",
                         "sitio_web",      "http://spam.example"};
  w = send_form(&f, &c, 5, azBot, NULL, NULL, 0);
  assert_status(&w, 422);
  assert_has(&w, "No se pudo radicar la solicitud. Revise el formulario y envíelo de nuevo.");
  cr_expect(!webtest_has(&w, "spam.example"), "the honeypot's value is shown again");
  webtest_resp_free(&w);
  cr_expect_eq(webtest_count(&f, N_PQRSD), 0);

  /* an empty form: every required field said, nothing stored */
  w = send_form(&f, &c, 0, NULL, NULL, NULL, 0);
  assert_status(&w, 422);
  assert_has(&w, "Elija el tipo de solicitud.");
  assert_has(&w, "Escriba el asunto.");
  assert_has(&w, "Escriba su solicitud.");
  assert_has(&w, "href=\"#f-tipo\"");
  webtest_resp_free(&w);
  /* identified without consent, and with a bad e-mail */
  const char *azNoConsent[] = {
      "tipo",           "queja",        "asunto",
      "Mala atención",  "texto",        "Me atendieron mal en la ventanilla del primer piso.",
      "identificacion", "identificada", "nombre",
      "Juan Ruiz",      "correo",       "juan@",
      "canal",          "correo"};
  w = send_form(&f, &c, 7, azNoConsent, NULL, NULL, 0);
  assert_status(&w, 422);
  assert_has(&w, "Para radicar con sus datos debe autorizar su tratamiento");
  assert_has(&w, "El correo «juan@» no parece válido");
  assert_has(&w, "value=\"Juan Ruiz\""); /* what was typed stays */
  webtest_resp_free(&w);
  /* an empty attachment */
  w = send_form(&f, &c, 4, azSug, "vacio.pdf", "", 0);
  assert_status(&w, 422);
  assert_has(&w, "El archivo «vacio.pdf» está vacío");
  webtest_resp_free(&w);
  /* a body over the upload limit */
  size_t nBig = f.app.nMaxUpload + 1;
  char *pBig = xmalloc(nBig);
  memset(pBig, 'x', nBig);
  w = send_form(&f, &c, 4, azSug, "grande.txt", pBig, nBig);
  assert_status(&w, 413);
  webtest_resp_free(&w);
  free(pBig);
  cr_expect_eq(webtest_count(&f, N_PQRSD), 0);

  /* an attachment within the limit is stored with the PQRSD */
  static const char zNote[] = "Lista de firmas de los vecinos.\n";
  w = send_form(&f, &c, 4, azSug, "firmas.txt", zNote, sizeof zNote - 1);
  Filed r = receipt(&w);
  cr_expect_str_eq(r.zRadicado, "2021-PQRSD-000001"); /* no number was lost to the refusals */
  webtest_resp_free(&w);
  WebClient staff = {0};
  webtest_login(&f, &staff, "admin");
  w = webtest_get(&f, &staff, "/pqrsd/bandeja/2021-PQRSD-000001/archivo/solicitud");
  assert_status(&w, 200);
  cr_expect_str_eq(w.zBody, zNote);
  webtest_resp_free(&w);
  /* unknown radicados and actions */
  w = detail(&f, &staff, "2021-PQRSD-000404");
  assert_status(&w, 404);
  webtest_resp_free(&w);
  const char *azBad[] = {"accion", "borrar"};
  w = act(&f, &staff, r.zRadicado, 1, azBad, NULL);
  assert_status(&w, 422);
  assert_has(&w, "Elija una de las actuaciones de la página.");
  webtest_resp_free(&w);
  webtest_stop(&f);
}

Test(web_pqrsd, hourly_limit_answers_429) {
  WebFixture f;
  webtest_start(&f, true);
  WebClient admin = {0};
  webtest_login(&f, &admin, "admin");
  WebResp w = webtest_get(&f, &admin, "/admin/pqrsd");
  assert_status(&w, 200);
  assert_has(&w, "value=\"30\""); /* the default limit */
  webtest_resp_free(&w);
  w = webtest_post(&f, &admin, "/admin/pqrsd",
                   "termino_peticion=15&termino_documentos=10&termino_consulta=30&termino_queja="
                   "15&termino_reclamo=15&termino_sugerencia=15&termino_denuncia=15&termino_"
                   "felicitacion=15&limite_hora=2");
  assert_status(&w, 303);
  assert_location(&w, "/admin/pqrsd?aviso=terminos-guardados");
  webtest_resp_free(&w);

  WebClient c = citizen(&f);
  file_suggestion(&f, &c, "Primera");
  file_suggestion(&f, &c, "Segunda");
  const char *azSug[] = {"tipo",           "sugerencia", "asunto",
                         "Tercera",        "texto",      "Una tercera sugerencia en la misma hora.",
                         "identificacion", "anonima"};
  w = send_form(&f, &c, 4, azSug, NULL, NULL, 0);
  assert_status(&w, 429);
  assert_has(&w, "Podrá radicar otra dentro de 60 minutos");
  assert_has(&w, "value=\"Tercera\""); /* the form comes back with what was typed */
  char *zRetry = webtest_header(&w, "Retry-After");
  cr_expect(zRetry && strcmp(zRetry, "3600") == 0, "Retry-After %s", zRetry ? zRetry : "");
  free(zRetry);
  webtest_resp_free(&w);
  cr_expect_eq(webtest_count(&f, N_PQRSD), 2);

  /* an hour later it is accepted again */
  set_now("2021-06-30T13:00:00Z");
  Filed r = file_suggestion(&f, &c, "Tercera");
  cr_expect_str_eq(r.zRadicado, "2021-PQRSD-000003");

  /* 0 turns the limit off */
  w = webtest_post(&f, &admin, "/admin/pqrsd",
                   "termino_peticion=15&termino_documentos=10&termino_consulta=30&termino_queja="
                   "15&termino_reclamo=15&termino_sugerencia=15&termino_denuncia=15&termino_"
                   "felicitacion=15&limite_hora=0");
  assert_status(&w, 303);
  webtest_resp_free(&w);
  file_suggestion(&f, &c, "Cuarta");
  file_suggestion(&f, &c, "Quinta");
  cr_expect_eq(webtest_count(&f, N_PQRSD), 5);
  webtest_stop(&f);
}

Test(web_pqrsd, status_checks_are_throttled) {
  WebFixture f;
  webtest_start(&f, true);
  WebClient c = citizen(&f);
  Filed r = file_suggestion(&f, &c, "Luminarias");
  for (int i = 0; i < 10; i++) {
    WebResp w = check_status(&f, &c, r.zRadicado, "AAAA-BBBB-CCCC", NULL);
    assert_status(&w, 422);
    webtest_resp_free(&w);
  }
  /* now even the right code waits */
  WebResp w = check_status(&f, &c, r.zRadicado, r.zCode, NULL);
  assert_status(&w, 429);
  assert_has(&w, "Hubo demasiadas consultas fallidas desde su conexión.");
  char *zRetry = webtest_header(&w, "Retry-After");
  cr_expect(zRetry && atoi(zRetry) > 0);
  free(zRetry);
  webtest_resp_free(&w);
  set_now("2021-06-30T13:00:01Z");
  w = check_status(&f, &c, r.zRadicado, r.zCode, NULL);
  assert_status(&w, 200);
  webtest_resp_free(&w);
  webtest_stop(&f);
}

Test(web_pqrsd, injection_comes_back_inert) {
  WebFixture f;
  webtest_start(&f, true);
  WebClient c = citizen(&f);
  const char *az[] = {"tipo",           "queja",
                      "asunto",         "<script>alert(1)</script>",
                      "texto",          "\"><img src=x onerror=alert(2)> '); DROP TABLE pqrsd;--",
                      "identificacion", "anonima"};
  WebResp w = send_form(&f, &c, 4, az, NULL, NULL, 0);
  Filed r = receipt(&w);
  webtest_resp_free(&w);
  cr_expect_eq(webtest_count(&f, N_PQRSD), 1);
  w = check_status(&f, &c, r.zRadicado, r.zCode, NULL);
  assert_status(&w, 200);
  assert_has(&w, "&lt;script&gt;alert(1)&lt;/script&gt;");
  cr_expect(!webtest_has(&w, "<script>"));
  webtest_resp_free(&w);
  WebClient staff = {0};
  webtest_login(&f, &staff, "admin");
  w = detail(&f, &staff, r.zRadicado);
  assert_status(&w, 200);
  assert_has(&w, "&quot;&gt;&lt;img src=x onerror=alert(2)&gt; &#39;); DROP TABLE pqrsd;--");
  cr_expect(!webtest_has(&w, "<img src=x"));
  webtest_resp_free(&w);
  w = webtest_get(&f, &staff, "/pqrsd/bandeja?buscar=%3Cscript%3E");
  assert_status(&w, 200);
  assert_has(&w, "value=\"&lt;script&gt;\"");
  cr_expect(!webtest_has(&w, "<script>"));
  webtest_resp_free(&w);
  /* SQL in the status check is only a wrong radicado */
  w = check_status(&f, &c, "%27%20OR%201%3D1--", "x", NULL);
  assert_status(&w, 422);
  assert_has(&w, "No encontramos una solicitud con ese radicado y ese código.");
  assert_has(&w, "value=\"&#39; OR 1=1--\"");
  webtest_resp_free(&w);
  cr_expect_eq(webtest_count(&f, N_PQRSD), 1);
  webtest_stop(&f);
}

Test(web_pqrsd, inbox_filters_and_views) {
  WebFixture f;
  webtest_start(&f, true);
  WebClient c = citizen(&f);
  Filed a = file_suggestion(&f, &c, "Andenes rotos"); /* due 23 July */
  Filed b = file_petition(&f, &c);                    /* due 23 July */
  char zOwn[24];
  office_id(&f, OWN_OFFICE, zOwn);
  static const char *const azLogin[] = {"planeacion"};
  WebClient plan = {0}, resp = {0}, otra = {0};
  webtest_login(&f, &plan, "planeacion");
  webtest_login(&f, &resp, "responsable");
  webtest_login(&f, &otra, "otra");
  const char *azAssign[] = {"accion", "asignar", "dependencia", zOwn};
  WebResp w = act(&f, &plan, b.zRadicado, 2, azAssign, NULL);
  assert_status(&w, 303);
  webtest_resp_free(&w);

  w = webtest_get(&f, &plan, "/pqrsd/bandeja");
  assert_status(&w, 200);
  assert_has(&w, a.zRadicado);
  assert_has(&w, b.zRadicado);
  assert_has(&w, "15 días hábiles"); /* from 30 June to 23 July */
  webtest_resp_free(&w);
  w = webtest_get(&f, &plan, "/pqrsd/bandeja?dependencia=sin");
  assert_has(&w, a.zRadicado);
  cr_expect(!webtest_has(&w, b.zRadicado));
  webtest_resp_free(&w);
  w = webtest_get(&f, &plan, "/pqrsd/bandeja?buscar=andenes");
  assert_has(&w, a.zRadicado);
  cr_expect(!webtest_has(&w, b.zRadicado));
  webtest_resp_free(&w);
  w = webtest_get(&f, &plan, "/pqrsd/bandeja?tipo=peticion");
  assert_has(&w, b.zRadicado);
  cr_expect(!webtest_has(&w, a.zRadicado));
  webtest_resp_free(&w);

  /* a responsable sees its office's only; another office's, nothing */
  w = webtest_get(&f, &resp, "/pqrsd/bandeja");
  assert_status(&w, 200);
  assert_has(&w, b.zRadicado);
  cr_expect(!webtest_has(&w, a.zRadicado));
  webtest_resp_free(&w);
  w = webtest_get(&f, &otra, "/pqrsd/bandeja");
  assert_status(&w, 200);
  assert_has(&w, "Ninguna solicitud cumple los filtros.");
  webtest_resp_free(&w);
  char zPath[64];
  snprintf(zPath, sizeof zPath, "/pqrsd/bandeja?dependencia=%s", zOwn);
  w = webtest_get(&f, &otra, zPath);
  assert_status(&w, 400);
  assert_has(&w, "Elija una dependencia de la lista.");
  cr_expect(!webtest_has(&w, b.zRadicado));
  webtest_resp_free(&w);

  /* the views: due within 5 business days, overdue */
  days_later(&f, "2021-07-19T15:00:00Z", 1, &plan,
             azLogin); /* Monday; 20 July a holiday: 23 July is 3 days off */
  w = webtest_get(&f, &plan, "/pqrsd/bandeja?vencen=5");
  assert_has(&w, a.zRadicado);
  assert_has(&w, "3 días hábiles");
  webtest_resp_free(&w);
  w = webtest_get(&f, &plan, "/pqrsd/bandeja?vencidas=1");
  assert_has(&w, "Ninguna solicitud cumple los filtros.");
  webtest_resp_free(&w);
  days_later(&f, "2021-07-27T15:00:00Z", 1, &plan, azLogin);
  w = webtest_get(&f, &plan, "/pqrsd/bandeja?vencidas=1");
  assert_has(&w, a.zRadicado);
  assert_has(&w, "Vencida hace 2 días hábiles"); /* said in words, not by colour alone */
  webtest_resp_free(&w);
  w = webtest_get(&f, &plan, "/pqrsd/bandeja?vencen=abc");
  assert_status(&w, 400);
  assert_has(&w, "Escriba un número entero de días hábiles entre 1 y 100.");
  webtest_resp_free(&w);
  webtest_stop(&f);
}

Test(web_pqrsd, terms_report_and_open_data) {
  WebFixture f;
  webtest_start(&f, true);
  WebClient admin = {0};
  webtest_login(&f, &admin, "admin");
  /* a bad term is refused beside its field */
  WebResp w = webtest_post(&f, &admin, "/admin/pqrsd",
                           "termino_peticion=0&termino_documentos=10&termino_consulta=30&"
                           "termino_queja=15&termino_reclamo=15&termino_sugerencia=15&"
                           "termino_denuncia=15&termino_felicitacion=15&limite_hora=30");
  assert_status(&w, 422);
  assert_has(&w, "Petición general: escriba un número entero de días hábiles entre 1 y 100.");
  webtest_resp_free(&w);
  /* suggestions get 10 business days from now on */
  w = webtest_post(&f, &admin, "/admin/pqrsd",
                   "termino_peticion=15&termino_documentos=10&termino_consulta=30&termino_queja="
                   "15&termino_reclamo=15&termino_sugerencia=10&termino_denuncia=15&termino_"
                   "felicitacion=15&limite_hora=30");
  assert_status(&w, 303);
  webtest_resp_free(&w);
  w = webtest_get(&f, NULL, "/pqrsd");
  assert_has(&w, "Sugerencia: respuesta en 10 días hábiles");
  webtest_resp_free(&w);
  WebClient c = citizen(&f);
  const char *azSug[] = {"tipo",           "sugerencia",
                         "asunto",         "Ciclovía",
                         "texto",          "Una ciclovía los domingos por la avenida.",
                         "identificacion", "anonima"};
  w = send_form(&f, &c, 4, azSug, NULL, NULL, 0);
  receipt(&w);
  assert_has(&w, "15 de julio de 2021");
  webtest_resp_free(&w);
  file_petition(&f, &c);

  /* the report and its open data: counts only */
  w = webtest_get(&f, NULL, "/pqrsd/informe");
  assert_status(&w, 200);
  assert_has(&w, "<h1>Informe de PQRSD 2021</h1>");
  assert_has(&w, "<caption>Solicitudes por tipo</caption>");
  cr_expect(!webtest_has(&w, "María"));
  webtest_resp_free(&w);
  w = webtest_get(&f, NULL, "/pqrsd/informe?anio=1900");
  assert_status(&w, 400);
  webtest_resp_free(&w);
  w = webtest_get(&f, NULL, "/datos/pqrsd.csv?anio=2021");
  assert_status(&w, 200);
  assert_has(&w, "2021,total,total,Total,2,0,0,2,0,0,0,,");
  cr_expect(!webtest_has(&w, "María") && !webtest_has(&w, "PQRSD-0"));
  char *zDisp = webtest_header(&w, "Content-Disposition");
  cr_expect(zDisp && strstr(zDisp, "pqrsd-2021.csv"), "%s", zDisp ? zDisp : "");
  free(zDisp);
  webtest_resp_free(&w);
  w = webtest_get(&f, NULL, "/datos/pqrsd.json");
  assert_status(&w, 200);
  json_error_t err;
  json_t *pRoot = json_loads(w.zBody, 0, &err);
  cr_assert_not_null(pRoot, "JSON: %s\n%s", err.text, w.zBody);
  json_t *pTotal = json_object_get(pRoot, "total");
  cr_expect_eq(json_integer_value(json_object_get(pTotal, "recibidas")), 2);
  cr_expect_eq(json_integer_value(json_object_get(pRoot, "anio")), 2021);
  json_decref(pRoot);
  webtest_resp_free(&w);
  /* the open data page points to it */
  w = webtest_get(&f, NULL, "/datos");
  assert_has(&w, "href=\"/pqrsd/informe#datos-abiertos\"");
  webtest_resp_free(&w);
  webtest_stop(&f);
}

Test(web_pqrsd, information_asked_and_given_by_the_citizen) {
  WebFixture f;
  webtest_start(&f, true);
  WebClient c = citizen(&f);
  Filed pet = file_petition(&f, &c);
  static const char *const azLogin[] = {"planeacion"};
  WebClient plan = {0};
  webtest_login(&f, &plan, "planeacion");

  /* art. 17: the term pauses; the citizen has one month */
  const char *azAsk[] = {"accion", "solicitar", "falta",
                         "Indique el nombre del barrio y la fecha de la mesa."};
  WebResp w = act(&f, &plan, pet.zRadicado, 2, azAsk, NULL);
  assert_status(&w, 303);
  assert_location(&w, "/pqrsd/bandeja/2021-PQRSD-000001?aviso=pqrsd-informacion-pedida");
  webtest_resp_free(&w);
  w = webtest_get(&f, &plan, "/pqrsd/bandeja/2021-PQRSD-000001?aviso=pqrsd-informacion-pedida");
  assert_has(&w, "<strong id=\"estado\">En espera de información</strong>");
  assert_has(&w, "Información pedida al peticionario.");
  webtest_resp_free(&w);
  /* it cannot be closed before the month ends */
  const char *azClose[] = {"accion", "cerrar"};
  w = act(&f, &plan, pet.zRadicado, 1, azClose, NULL);
  assert_status(&w, 422);
  assert_has(&w, "El peticionario tiene hasta el 30 de julio de 2021 para completar la "
                 "información; no se puede cerrar antes.");
  assert_has(&w, "id=\"f-cerrar-error\"");
  webtest_resp_free(&w);

  /* the citizen sees what is asked and answers on Friday 2 July */
  w = check_status(&f, &c, pet.zRadicado, pet.zCode, NULL);
  assert_status(&w, 200);
  assert_has(&w, "La entidad necesita más información");
  assert_has(&w, "Indique el nombre del barrio y la fecha de la mesa.");
  assert_has(&w, "30 de julio de 2021");
  webtest_resp_free(&w);
  days_later(&f, "2021-07-02T15:00:00Z", 1, &plan, azLogin);
  w = check_status(&f, &c, pet.zRadicado, pet.zCode, "&accion=completar&informacion=");
  assert_status(&w, 422);
  assert_has(&w, "Escriba la información recibida");
  webtest_resp_free(&w);
  w = check_status(&f, &c, pet.zRadicado, pet.zCode,
                   "&accion=completar&informacion=Barrio%20Olaya%2C%20mesa%20del%203%20de%20junio");
  assert_status(&w, 200);
  assert_has(&w, "Información recibida. El término de respuesta vuelve a empezar desde hoy.");
  assert_has(&w, "<strong id=\"estado\">Radicada</strong>");
  assert_has(&w, "27 de julio de 2021"); /* 15 business days from 2 July */
  webtest_resp_free(&w);
  cr_expect_eq(count_for(&f,
                         "SELECT count(*) FROM pqrsd WHERE radicado = '%s' AND due_day = "
                         "'2021-07-27' AND status = 'radicada'",
                         pet.zRadicado),
               1);
  /* a wrong code cannot complete it */
  w = check_status(&f, &c, pet.zRadicado, "AAAA-BBBB-CCCC", "&accion=completar&informacion=x");
  assert_status(&w, 422);
  webtest_resp_free(&w);
  webtest_stop(&f);
}

/* issue 8: a sugerencia answered without publishing shows nothing on the
** report; the official then writes the public version on the PQRSD's page
** (the citizen's subject never appears), and can withdraw it. */
Test(web_pqrsd, published_answer_shows_only_the_public_version) {
  WebFixture f;
  webtest_start(&f, true);
  WebClient c = citizen(&f);
  Filed sug = file_suggestion(&f, &c, "Sugerencia de Maria Perez CC 1234567890");
  WebClient plan = {0};
  webtest_login(&f, &plan, "planeacion");
  WebResp w = detail(&f, &plan, sug.zRadicado);
  assert_status(&w, 200);
  cr_expect(!webtest_has(&w, "Versión pública de la respuesta"), "not before the answer");
  webtest_resp_free(&w);
  const char *azAnswer[] = {"accion", "responder", "respuesta",
                            "Estimada Maria Perez: ampliaremos el plazo del formulario."};
  w = act(&f, &plan, sug.zRadicado, 2, azAnswer, NULL);
  assert_status(&w, 303);
  webtest_resp_free(&w);
  w = detail(&f, &plan, sug.zRadicado);
  assert_status(&w, 200);
  assert_has(&w, "<h3 id=\"accion-publicar\">Versión pública de la respuesta</h3>");
  assert_has(&w, "<label for=\"f-asunto_publico\"");
  assert_has(&w, "<label for=\"f-respuesta_publica\"");
  webtest_resp_free(&w);

  const char *azEmpty[] = {"accion", "publicar", "asunto_publico", "", "respuesta_publica", ""};
  w = act(&f, &plan, sug.zRadicado, 3, azEmpty, NULL);
  assert_status(&w, 422);
  assert_has(&w, "Para publicar la respuesta escriba el asunto público");
  webtest_resp_free(&w);
  const char *azPublish[] = {"accion",
                             "publicar",
                             "asunto_publico",
                             "Más tiempo para el formulario de participación",
                             "respuesta_publica",
                             "El formulario tendrá más tiempo desde agosto."};
  w = act(&f, &plan, sug.zRadicado, 3, azPublish, NULL);
  assert_status(&w, 303);
  webtest_resp_free(&w);
  w = webtest_get(&f, NULL, "/pqrsd/informe?anio=2021");
  assert_status(&w, 200);
  assert_has(&w, "Más tiempo para el formulario de participación");
  assert_has(&w, "El formulario tendrá más tiempo desde agosto.");
  cr_expect(!webtest_has(&w, "Maria Perez"));
  cr_expect(!webtest_has(&w, "1234567890"));
  webtest_resp_free(&w);
  cr_expect_eq(webtest_count(&f, "SELECT count(*) FROM change_log WHERE action = 'publicar' AND "
                                 "object = 'pqrsd' AND detail LIKE '%versión pública%'"),
               1);

  const char *azWithdraw[] = {"accion", "retirar"};
  w = act(&f, &plan, sug.zRadicado, 1, azWithdraw, NULL);
  assert_status(&w, 303);
  webtest_resp_free(&w);
  w = webtest_get(&f, NULL, "/pqrsd/informe?anio=2021");
  assert_status(&w, 200);
  cr_expect(!webtest_has(&w, "Más tiempo para el formulario de participación"));
  webtest_resp_free(&w);
  cr_expect_eq(webtest_count(&f, "SELECT count(*) FROM change_log WHERE detail LIKE '%Maria%'"), 0);
  webtest_stop(&f);
}
