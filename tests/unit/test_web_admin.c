/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Planeación's and the administrador's pages against a real server
** (webtest.h): editing an activity (exact values stored, one log entry per
** changed field; a wrong date answered 422 with the message beside the field
** and nothing stored), loading the sample plan (its diagnostics, nothing
** stored until confirmed, a forced import), adding a user (the generated
** password shown once, and it signs in), settings (threshold validation,
** cut-offs, entity name, logo type), offices (merging), the audit log,
** markup typed into every text field coming back escaped, and failed logins
** (429 with Retry-After; the administrador clearing an account's or an
** address's failures, by role and CSRF, logged without the address).
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/util.h"
#include "db/db.h"
#include "plan/plan.h"
#include "plan/plan_db.h"
#include "web/html.h"
#include "webtest.h"

#define SEED         "data/estrategia-participacion-cartagena-2021.txt"
#define SEED_NAME    "estrategia-participacion-cartagena-2021.txt"
#define EVIL         "<script>alert(1)</script>\"'&"
#define EVIL_ESCAPED "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;"

/* The smallest valid PNG: one grey pixel. */
static const char aPng[] = "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00"
                           "\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00\x3a\x7e\x9b\x55\x00"
                           "\x00\x00\x0a\x49\x44\x41\x54\x78\x9c\x63\x60\x00\x00\x00\x02\x00\x01"
                           "\x48\xaf\xa4\x71\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82";

static WebFixture fx;

static void setup(void) {
  webtest_start(&fx, true);
}

static void teardown(void) {
  webtest_stop(&fx);
}

/* A connection of the test's own to the fixture database. */
static Db *open_db(void) {
  char *zErr = NULL;
  Db *db = db_open(fx.zDb, 0, &zErr);
  cr_assert_not_null(db, "%s", zErr ? zErr : "");
  return db;
}

/* Append "&key=value" (URL-encoded) to a form body. */
static void form_add(Buf *b, const char *zKey, const char *zValue) {
  html_url_query(b, zKey, zValue, false);
}

/* The body (without the leading "&") of Buf b. */
static const char *form_body(const Buf *b) {
  return b->n ? buf_str(b) + 1 : "";
}

/* A number as the form takes it: "2,5". */
static void num_text(char *z, size_t n, double v) {
  snprintf(z, n, "%g", v);
  for (char *c = z; *c; c++) {
    if (*c == '.') {
      *c = ',';
    }
  }
}

/* The whole editor form for activity e (period codes T1..T4). */
static void edit_form(Buf *b, const ActivityEdit *e) {
  static const struct {
    PlanField f;
    const char *zName;
  } a[] = {{PF_COMPONENT, "componente"},
           {PF_PHASE, "fase"},
           {PF_ACTIVITY, "actividad"},
           {PF_PRODUCT, "producto"},
           {PF_INDICATOR, "indicador"},
           {PF_GOAL, "meta"},
           {PF_START, "inicio"},
           {PF_END, "fin"},
           {PF_RESPONSIBLE, "responsable"},
           {PF_INDICATOR_GOAL, "meta_indicador"}};
  for (size_t i = 0; i < sizeof a / sizeof a[0]; i++) {
    form_add(b, a[i].zName, e->azField[a[i].f]);
  }
  char z[64];
  num_text(z, sizeof z, e->rTarget);
  form_add(b, "meta_numerica", z);
  num_text(z, sizeof z, e->rWeight);
  form_add(b, "peso", z);
  for (int k = 0; k < e->nPeriod; k++) {
    char zName[32];
    snprintf(zName, sizeof zName, "meta_T%d", k + 1);
    if (e->abPeriod[k]) {
      num_text(z, sizeof z, e->aPeriod[k]);
    } else {
      z[0] = 0;
    }
    form_add(b, zName, z);
  }
}

/* Load item iItem of the current plan. */
static void load_item(Db *db, long iItem, ActivityEdit *e) {
  int64_t iPlan = plan_current(db, 0);
  cr_assert(plan_activity_load(db, iPlan, iItem, e), "item %ld", iItem);
}

/* Replace field f of e. */
static void set_field(ActivityEdit *e, PlanField f, const char *z) {
  free(e->azField[f]);
  e->azField[f] = xstrdup(z);
}

/* POST the editor of item iItem with the values of e. */
static WebResp post_edit(WebClient *c, long iItem, const ActivityEdit *e) {
  Buf b = BUF_INIT;
  edit_form(&b, e);
  char zPath[64];
  snprintf(zPath, sizeof zPath, "/plan/actividad/%ld", iItem);
  WebResp w = webtest_post(&fx, c, zPath, form_body(&b));
  buf_reset(&b);
  return w;
}

/* Sign in as zLogin and open a page to get a form's CSRF token. */
static void signed_in(WebClient *c, const char *zLogin, const char *zPage) {
  memset(c, 0, sizeof *c);
  webtest_login(&fx, c, zLogin);
  WebResp w = webtest_get(&fx, c, zPage);
  cr_assert_eq(w.iStatus, 200, "GET %s: %d\n%s", zPage, w.iStatus, w.zBody);
  webtest_resp_free(&w);
}

TestSuite(web_admin, .init = setup, .fini = teardown, .timeout = 120);

/* ---- editing an activity ------------------------------------------------------------ */

Test(web_admin, edit_activity_stores_exact_fields_and_logs_each) {
  WebClient c;
  signed_in(&c, "planeacion", "/plan/actividad/3");
  Db *db = open_db();
  ActivityEdit e;
  load_item(db, 3, &e);
  set_field(&e, PF_ACTIVITY, "Definir las actividades de rendición de cuentas");
  set_field(&e, PF_START, "15-febrero-2021");
  set_field(&e, PF_END, "30/11/2021");
  set_field(&e, PF_RESPONSIBLE, "Secretaría general - Oficina de Control Ciudadano");
  e.rTarget = 2.5;
  e.rWeight = 2;
  e.abPeriod[0] = true;
  e.aPeriod[0] = 1;
  WebResp w = post_edit(&c, 3, &e);
  cr_assert_eq(w.iStatus, 303, "status %d\n%s", w.iStatus, w.zBody);
  char *zTo = webtest_header(&w, "Location");
  cr_assert_str_eq(zTo, "/actividad/3?aviso=actividad-guardada");
  free(zTo);
  webtest_resp_free(&w);
  cr_assert_eq(webtest_count(&fx, "SELECT count(*) FROM activity WHERE item = 3 AND activity = "
                                  "'Definir las actividades de rendición de cuentas' AND "
                                  "start_date = '2021-02-15' AND end_date = '2021-11-30' AND "
                                  "target = 2.5 AND weight = 2 AND phase = 'P' AND responsible = "
                                  "'Secretaría general - Oficina de Control Ciudadano'"),
               1);
  cr_assert_eq(webtest_count(&fx, "SELECT count(*) FROM target t JOIN period p ON p.id = "
                                  "t.period_id JOIN activity a ON a.id = t.activity_id WHERE "
                                  "a.item = 3 AND p.code = 'T1' AND t.value = 1"),
               1);
  cr_assert_eq(webtest_count(&fx, "SELECT count(*) FROM activity_office ao JOIN activity a ON "
                                  "a.id = ao.activity_id JOIN office o ON o.id = ao.office_id "
                                  "WHERE a.item = 3 AND o.name IN ('Secretaria general', "
                                  "'Oficina de Control Ciudadano')"),
               2);
  /* activity, start, end, responsible, target, weight, T1 */
  cr_assert_eq(webtest_count(&fx, "SELECT count(*) FROM change_log WHERE action = 'editar' AND "
                                  "actor = 'planeacion' AND object = 'activity'"),
               7);
  cr_assert_eq(webtest_count(&fx, "SELECT count(*) FROM change_log WHERE detail = 'ítem 3: "
                                  "FECHA FINAL: «2021-08-31» → «2021-11-30»'"),
               1);
  cr_assert_eq(webtest_count(&fx, "SELECT count(*) FROM change_log WHERE detail = 'ítem 3: "
                                  "meta numérica: 1 → 2.5'"),
               1);
  cr_assert_eq(webtest_count(&fx, "SELECT count(*) FROM change_log WHERE detail = 'ítem 3: "
                                  "meta de T1: (sin meta) → 1'"),
               1);
  plan_activity_edit_reset(&e);
  db_close(db);
}

Test(web_admin, edit_activity_unchanged_logs_nothing) {
  WebClient c;
  signed_in(&c, "planeacion", "/plan/actividad/5");
  Db *db = open_db();
  ActivityEdit e;
  load_item(db, 5, &e);
  WebResp w = post_edit(&c, 5, &e);
  cr_assert_eq(w.iStatus, 303, "status %d\n%s", w.iStatus, w.zBody);
  webtest_resp_free(&w);
  cr_assert_eq(webtest_count(&fx, "SELECT count(*) FROM change_log WHERE action = 'editar'"), 0);
  plan_activity_edit_reset(&e);
  db_close(db);
}

Test(web_admin, edit_activity_invalid_date_is_422_and_stores_nothing) {
  WebClient c;
  signed_in(&c, "planeacion", "/plan/actividad/3");
  Db *db = open_db();
  ActivityEdit e;
  load_item(db, 3, &e);
  set_field(&e, PF_ACTIVITY, "Texto que no debe guardarse");
  set_field(&e, PF_END, "31-febrero-2021");
  long nLog = webtest_count(&fx, "SELECT count(*) FROM change_log");
  WebResp w = post_edit(&c, 3, &e);
  cr_assert_eq(w.iStatus, 422, "status %d", w.iStatus);
  cr_assert(webtest_has(&w, "<p id=\"f-fin-error\" class=\"error\">fecha final ilegible: el 31 de "
                            "febrero de 2021 no existe</p>"),
            "%s", w.zBody);
  cr_assert(webtest_has(&w, "aria-invalid=\"true\""));
  /* what was typed comes back */
  cr_assert(webtest_has(&w, "Texto que no debe guardarse"));
  webtest_resp_free(&w);
  cr_assert_eq(webtest_count(&fx, "SELECT count(*) FROM change_log"), nLog);
  cr_assert_eq(webtest_count(&fx, "SELECT count(*) FROM activity WHERE item = 3 AND end_date = "
                                  "'2021-08-31' AND activity LIKE 'Definir actividades%'"),
               1);

  /* end before start, a zero target, a bad period target: each beside its field */
  set_field(&e, PF_END, "1-enero-2021");
  e.rTarget = 0;
  w = post_edit(&c, 3, &e);
  cr_assert_eq(w.iStatus, 422);
  cr_assert(webtest_has(&w, "la fecha final (1-enero-2021) es anterior a la fecha de inicio "
                            "(1-agosto-2021); corrija una de las dos"),
            "%s", w.zBody);
  cr_assert(webtest_has(&w, "la meta numérica debe ser un número mayor que cero"));
  webtest_resp_free(&w);
  cr_assert_eq(webtest_count(&fx, "SELECT count(*) FROM change_log"), nLog);
  plan_activity_edit_reset(&e);
  db_close(db);
}

Test(web_admin, edit_activity_unknown_item_is_404) {
  WebClient c;
  signed_in(&c, "planeacion", "/plan/cargar");
  WebResp w = webtest_get(&fx, &c, "/plan/actividad/99");
  cr_assert_eq(w.iStatus, 404);
  webtest_resp_free(&w);
  w = webtest_get(&fx, &c, "/plan/actividad/abc");
  cr_assert_eq(w.iStatus, 404);
  webtest_resp_free(&w);
}

Test(web_admin, edit_activity_clears_review_mark) {
  WebClient c;
  signed_in(&c, "planeacion", "/plan/actividad/7");
  Db *db = open_db();
  ActivityEdit e;
  load_item(db, 7, &e);
  cr_assert_not_null(e.zReview, "item 7 was imported with an error");
  set_field(&e, PF_END, "31-octubre-2021");
  Buf b = BUF_INIT;
  edit_form(&b, &e);
  form_add(&b, "revisada", "1");
  WebResp w = webtest_post(&fx, &c, "/plan/actividad/7", form_body(&b));
  buf_reset(&b);
  cr_assert_eq(w.iStatus, 303, "status %d\n%s", w.iStatus, w.zBody);
  webtest_resp_free(&w);
  cr_assert_eq(webtest_count(&fx, "SELECT count(*) FROM activity WHERE item = 7 AND end_date = "
                                  "'2021-10-31' AND review_note IS NULL"),
               1);
  plan_activity_edit_reset(&e);
  db_close(db);
}

/* ---- loading a plan ---------------------------------------------------------------- */

/* Read the seed file. */
static char *read_seed(size_t *pn) {
  FILE *in = fopen(SEED, "rb");
  cr_assert_not_null(in);
  Buf b = BUF_INIT;
  char a[4096];
  size_t n;
  while ((n = fread(a, 1, sizeof a, in)) > 0) {
    buf_append(&b, a, n);
  }
  fclose(in);
  *pn = b.n;
  return buf_take(&b);
}

/* Upload file p (n bytes) as zName to /plan/cargar. */
static WebResp upload(WebClient *c, const char *zName, const char *p, size_t n) {
  char zType[128];
  size_t nBody;
  char *zBody = webtest_multipart(c, 0, NULL, "archivo", zName, "text/plain", p, n, &nBody, zType);
  WebResp w = webtest_post_raw(&fx, c, "/plan/cargar", zType, zBody, nBody);
  free(zBody);
  return w;
}

/* The value of hidden field zName in the body (caller frees), or NULL. */
static char *hidden_value(const WebResp *w, const char *zName) {
  char *zNeedle = xasprintf("name=\"%s\" value=\"", zName);
  const char *z = strstr(w->zBody, zNeedle);
  char *zOut = NULL;
  if (z) {
    z += strlen(zNeedle);
    zOut = xstrndup(z, strcspn(z, "\""));
  }
  free(zNeedle);
  return zOut;
}

Test(web_admin, upload_seed_shows_diagnostics_and_stores_nothing) {
  WebClient c;
  signed_in(&c, "planeacion", "/plan/cargar");
  size_t n;
  char *zSeed = read_seed(&n);
  long nLog = webtest_count(&fx, "SELECT count(*) FROM change_log");
  /* an upload left unconfirmed for two days is removed by the next upload */
  char *zStale = xasprintf("%s/cargas/%064d.txt", fx.zDataDir, 0);
  char *zCmd = xasprintf("mkdir -p '%s/cargas' && touch -d '2 days ago' '%s'", fx.zDataDir,
                         zStale);
  cr_assert_eq(system(zCmd), 0);
  free(zCmd);
  WebResp w = upload(&c, SEED_NAME, zSeed, n);
  cr_assert_eq(w.iStatus, 200, "status %d\n%s", w.iStatus, w.zBody);
  cr_expect_neq(access(zStale, F_OK), 0, "a stale upload was kept");
  free(zStale);
  cr_assert(webtest_has(&w, "<td>" SEED_NAME ":22</td><td>Error</td><td>la fecha final "
                            "(30-septiembre-2021) es anterior a la fecha de inicio "
                            "(1-octubre-2021); corrija una de las dos</td>"),
            "%s", w.zBody);
  cr_assert(webtest_has(&w, SEED_NAME ": 13 actividades, 1 error, 3 advertencias"));
  cr_assert(webtest_has(&w, "falta el ítem 4: la numeración salta de 3 a 5"));
  /* the sample is already imported: nothing would change */
  cr_assert(webtest_has(&w, "13 sin cambios"), "%s", w.zBody);
  cr_assert(webtest_has(&w, "name=\"forzar\""));
  char *zHash = hidden_value(&w, "archivo");
  cr_assert_not_null(zHash);
  cr_assert_eq(strlen(zHash), 64);
  webtest_resp_free(&w);
  cr_assert_eq(webtest_count(&fx, "SELECT count(*) FROM change_log"), nLog);
  char *zKept = xasprintf("%s/cargas/%s.txt", fx.zDataDir, zHash);
  FILE *pKept = fopen(zKept, "rb");
  cr_assert_not_null(pKept, "%s", zKept);
  fclose(pKept);
  free(zKept);
  free(zHash);
  free(zSeed);
}

Test(web_admin, confirm_needs_force_then_imports) {
  WebClient c;
  signed_in(&c, "planeacion", "/plan/cargar");
  size_t n;
  char *zSeed = read_seed(&n);
  /* a changed copy: item 2's activity text differs */
  char *zAt = strstr(zSeed, "Establecer las condiciones");
  cr_assert_not_null(zAt);
  memcpy(zAt, "ESTABLECER", 10);
  WebResp w = upload(&c, SEED_NAME, zSeed, n);
  cr_assert_eq(w.iStatus, 200);
  cr_assert(webtest_has(&w, "1 modificada"), "%s", w.zBody);
  char *zHash = hidden_value(&w, "archivo");
  webtest_resp_free(&w);
  Buf b = BUF_INIT;
  form_add(&b, "archivo", zHash);
  form_add(&b, "formato", "txt");
  form_add(&b, "nombre", SEED_NAME);
  form_add(&b, "hoja", "");
  w = webtest_post(&fx, &c, "/plan/confirmar", form_body(&b));
  cr_assert_eq(w.iStatus, 422, "status %d", w.iStatus);
  cr_assert(webtest_has(&w, "marque «Importar de todos modos»"));
  webtest_resp_free(&w);
  cr_assert_eq(webtest_count(&fx, "SELECT count(*) FROM change_log WHERE action = 'importar' AND "
                                  "actor = 'planeacion'"),
               0);
  form_add(&b, "forzar", "1");
  w = webtest_post(&fx, &c, "/plan/confirmar", form_body(&b));
  cr_assert_eq(w.iStatus, 200, "status %d\n%s", w.iStatus, w.zBody);
  cr_assert(webtest_has(&w, "Plan importado"));
  cr_assert(webtest_has(&w, "1 modificada"), "%s", w.zBody);
  webtest_resp_free(&w);
  cr_assert_eq(webtest_count(&fx, "SELECT count(*) FROM change_log WHERE action = 'importar' AND "
                                  "actor = 'planeacion'"),
               1);
  cr_assert_eq(webtest_count(&fx, "SELECT count(*) FROM activity WHERE item = 2 AND activity "
                                  "LIKE 'ESTABLECER las%'"),
               1);
  /* the kept upload is removed once imported: confirming again finds nothing */
  w = webtest_post(&fx, &c, "/plan/confirmar", form_body(&b));
  cr_assert_eq(w.iStatus, 422, "status %d", w.iStatus);
  cr_assert(webtest_has(&w, "ya no está disponible; cargue el archivo de nuevo"), "%s", w.zBody);
  webtest_resp_free(&w);
  /* a forged name is refused */
  buf_reset(&b);
  form_add(&b, "archivo", "../../etc/passwd");
  form_add(&b, "formato", "txt");
  form_add(&b, "nombre", SEED_NAME);
  w = webtest_post(&fx, &c, "/plan/confirmar", form_body(&b));
  cr_assert_eq(w.iStatus, 400);
  webtest_resp_free(&w);
  buf_reset(&b);
  free(zHash);
  free(zSeed);
}

Test(web_admin, upload_unreadable_and_missing_file) {
  WebClient c;
  signed_in(&c, "planeacion", "/plan/cargar");
  WebResp w = upload(&c, "plan.xlsx", "esto no es un zip", 17);
  cr_assert_eq(w.iStatus, 200);
  cr_assert(webtest_has(&w, "Este archivo no se puede importar"), "%s", w.zBody);
  cr_assert(!webtest_has(&w, "/plan/confirmar"));
  webtest_resp_free(&w);
  char zType[128];
  size_t nBody;
  char *zBody = webtest_multipart(&c, 0, NULL, "archivo", "", "application/octet-stream", "", 0,
                                  &nBody, zType);
  w = webtest_post_raw(&fx, &c, "/plan/cargar", zType, zBody, nBody);
  free(zBody);
  cr_assert_eq(w.iStatus, 422);
  cr_assert(webtest_has(&w, "elija el archivo del plan"));
  webtest_resp_free(&w);
}

/* ---- users ----------------------------------------------------------------------------- */

/* The generated password shown in the body (caller frees). */
static char *shown_password(const WebResp *w) {
  const char *z = strstr(w->zBody, "<code>");
  cr_assert_not_null(z, "%s", w->zBody);
  z += 6;
  return xstrndup(z, strcspn(z, "<"));
}

Test(web_admin, add_user_shows_password_once_and_it_signs_in) {
  WebClient c;
  signed_in(&c, "admin", "/admin/usuarios");
  Buf b = BUF_INIT;
  form_add(&b, "usuario", "auditora");
  form_add(&b, "nombre", "Ana Auditora");
  form_add(&b, "rol", "control-interno");
  form_add(&b, "clave", "");
  WebResp w = webtest_post(&fx, &c, "/admin/usuarios", form_body(&b));
  buf_reset(&b);
  cr_assert_eq(w.iStatus, 200, "status %d\n%s", w.iStatus, w.zBody);
  cr_assert(webtest_has(&w, "Contraseña de «auditora»"));
  char *zPass = shown_password(&w);
  cr_assert_eq(strlen(zPass), 16);
  webtest_resp_free(&w);
  w = webtest_get(&fx, &c, "/admin/usuarios");
  cr_assert(webtest_has(&w, "Ana Auditora"));
  cr_assert(!webtest_has(&w, zPass), "the password is shown again");
  webtest_resp_free(&w);

  WebClient other;
  memset(&other, 0, sizeof other);
  w = webtest_get(&fx, &other, "/entrar");
  webtest_resp_free(&w);
  form_add(&b, "usuario", "auditora");
  form_add(&b, "clave", zPass);
  w = webtest_post(&fx, &other, "/entrar", form_body(&b));
  buf_reset(&b);
  cr_assert_eq(w.iStatus, 303, "login: %d\n%s", w.iStatus, w.zBody);
  cr_assert_neq(other.zSession[0], 0);
  webtest_resp_free(&w);
  /* a generated password must be changed first */
  w = webtest_get(&fx, &other, "/panel");
  cr_assert_eq(w.iStatus, 303);
  webtest_resp_free(&w);

  /* a responsable needs an office; an unknown role is refused */
  form_add(&b, "usuario", "nuevo");
  form_add(&b, "rol", "responsable");
  w = webtest_post(&fx, &c, "/admin/usuarios", form_body(&b));
  buf_reset(&b);
  cr_assert_eq(w.iStatus, 422);
  cr_assert(webtest_has(&w, "marque al menos una dependencia"));
  webtest_resp_free(&w);
  form_add(&b, "usuario", "auditora");
  form_add(&b, "rol", "control-interno");
  form_add(&b, "clave", "una-clave-larga-1");
  w = webtest_post(&fx, &c, "/admin/usuarios", form_body(&b));
  buf_reset(&b);
  cr_assert_eq(w.iStatus, 422, "login taken: %d", w.iStatus);
  webtest_resp_free(&w);
  free(zPass);
}

Test(web_admin, update_user_role_offices_disable_and_reset) {
  WebClient c;
  signed_in(&c, "admin", "/admin/usuarios?usuario=control");
  long iOffice = webtest_count(&fx, "SELECT id FROM office WHERE name = 'Secretaria general'");
  cr_assert_gt(iOffice, 0);
  char zField[32];
  snprintf(zField, sizeof zField, "dep_%ld", iOffice);
  Buf b = BUF_INIT;
  form_add(&b, "accion", "rol");
  form_add(&b, "rol", "responsable");
  form_add(&b, zField, "1");
  WebResp w = webtest_post(&fx, &c, "/admin/usuarios/control", form_body(&b));
  buf_reset(&b);
  cr_assert_eq(w.iStatus, 303, "status %d\n%s", w.iStatus, w.zBody);
  webtest_resp_free(&w);
  cr_assert_eq(webtest_count(&fx, "SELECT count(*) FROM app_user u JOIN user_office uo ON "
                                  "uo.user_id = u.id WHERE u.login = 'control' AND u.role = "
                                  "'responsable'"),
               1);
  form_add(&b, "accion", "desactivar");
  w = webtest_post(&fx, &c, "/admin/usuarios/control", form_body(&b));
  buf_reset(&b);
  cr_assert_eq(w.iStatus, 303);
  webtest_resp_free(&w);
  cr_assert_eq(webtest_count(&fx, "SELECT disabled FROM app_user WHERE login = 'control'"), 1);
  form_add(&b, "accion", "clave");
  w = webtest_post(&fx, &c, "/admin/usuarios/control", form_body(&b));
  buf_reset(&b);
  cr_assert_eq(w.iStatus, 200);
  char *zPass = shown_password(&w);
  cr_assert_eq(strlen(zPass), 16);
  free(zPass);
  webtest_resp_free(&w);
  /* the last administrador cannot disable itself */
  form_add(&b, "accion", "desactivar");
  w = webtest_post(&fx, &c, "/admin/usuarios/admin", form_body(&b));
  buf_reset(&b);
  cr_assert_eq(w.iStatus, 422, "status %d", w.iStatus);
  webtest_resp_free(&w);
  w = webtest_post(&fx, &c, "/admin/usuarios/nadie", "accion=activar");
  cr_assert_eq(w.iStatus, 404);
  webtest_resp_free(&w);
}

/* ---- offices ----------------------------------------------------------------------------- */

Test(web_admin, offices_page_and_merge) {
  WebClient c;
  signed_in(&c, "admin", "/admin/dependencias");
  WebResp w = webtest_get(&fx, &c, "/admin/dependencias");
  cr_assert(webtest_has(&w, "Fusionar: «Secretaría de Participación» queda como alias de "
                            "«Secretaria de Participación y Desarrollo Social»"),
            "%s", w.zBody);
  webtest_resp_free(&w);
  Buf b = BUF_INIT;
  form_add(&b, "principal", "Oficina asesora de prensa y comunicaciones");
  form_add(&b, "alias", "Oficina de comunicaciones");
  w = webtest_post(&fx, &c, "/admin/dependencias", form_body(&b));
  buf_reset(&b);
  cr_assert_eq(w.iStatus, 303, "status %d\n%s", w.iStatus, w.zBody);
  webtest_resp_free(&w);
  cr_assert_eq(webtest_count(&fx, "SELECT count(*) FROM office_alias WHERE name = 'Oficina de "
                                  "comunicaciones'"),
               1);
  form_add(&b, "principal", "Oficina de informática");
  form_add(&b, "alias", "Oficina de informática");
  w = webtest_post(&fx, &c, "/admin/dependencias", form_body(&b));
  buf_reset(&b);
  cr_assert_eq(w.iStatus, 422);
  cr_assert(webtest_has(&w, "elija dos dependencias distintas"));
  webtest_resp_free(&w);
}

/* ---- settings ---------------------------------------------------------------------------- */

/* POST the settings form with the given fields and an optional logo. */
static WebResp settings_post(WebClient *c, int nField, const char *const *azField,
                             const char *zLogoName, const char *pLogo, size_t nLogo) {
  char zType[128];
  size_t nBody;
  char *zBody = webtest_multipart(c, nField, azField, zLogoName ? "logo" : NULL, zLogoName,
                                  "application/octet-stream", pLogo, nLogo, &nBody, zType);
  WebResp w = webtest_post_raw(&fx, c, "/admin/ajustes", zType, zBody, nBody);
  free(zBody);
  return w;
}

Test(web_admin, settings_thresholds_validation) {
  WebClient c;
  signed_in(&c, "admin", "/admin/ajustes");
  long nLog = webtest_count(&fx, "SELECT count(*) FROM change_log");
  const char *azBad[] = {"rojo",     "80",
                         "amarillo", "60",
                         "entidad",  "",
                         "corte_T1", "31-marzo-2021",
                         "corte_T2", "30-junio-2021",
                         "corte_T3", "30-septiembre-2021",
                         "corte_T4", "31-diciembre-2021"};
  WebResp w = settings_post(&c, 7, azBad, NULL, NULL, 0);
  cr_assert_eq(w.iStatus, 422, "status %d\n%s", w.iStatus, w.zBody);
  cr_assert(webtest_has(&w, "el umbral del amarillo (60) debe ser mayor que el del rojo (80)"),
            "%s", w.zBody);
  webtest_resp_free(&w);
  const char *azRange[] = {"rojo",     "-5",
                           "amarillo", "101",
                           "entidad",  "",
                           "corte_T1", "31-marzo-2021",
                           "corte_T2", "30-junio-2021",
                           "corte_T3", "30-septiembre-2021",
                           "corte_T4", "31-diciembre-2021"};
  w = settings_post(&c, 7, azRange, NULL, NULL, 0);
  cr_assert_eq(w.iStatus, 422);
  cr_assert(webtest_has(&w, "el umbral del rojo debe ser un número entre 0 y 100 (escribió «-5»)"));
  cr_assert(webtest_has(&w, "el umbral del amarillo debe ser un número entre 0 y 100"));
  webtest_resp_free(&w);
  const char *azCut[] = {"rojo",     "50",
                         "amarillo", "75",
                         "entidad",  "",
                         "corte_T1", "31-julio-2021",
                         "corte_T2", "30-junio-2021",
                         "corte_T3", "30-septiembre-2021",
                         "corte_T4", "31-diciembre-2021"};
  w = settings_post(&c, 7, azCut, NULL, NULL, 0);
  cr_assert_eq(w.iStatus, 422);
  cr_assert(webtest_has(&w, "el corte de T2 (30-junio-2021) debe ser posterior al corte de T1 "
                            "(31-julio-2021)"),
            "%s", w.zBody);
  webtest_resp_free(&w);
  cr_assert_eq(webtest_count(&fx, "SELECT count(*) FROM change_log"), nLog);
  cr_assert_eq(webtest_count(&fx, "SELECT count(*) FROM setting WHERE key = "
                                  "'semaforo.rojo_hasta' AND value = '60'"),
               1);

  const char *azGood[] = {"rojo",     "50",
                          "amarillo", "72,5",
                          "entidad",  "Alcaldía de Prueba",
                          "corte_T1", "15-abril-2021",
                          "corte_T2", "30-junio-2021",
                          "corte_T3", "30-septiembre-2021",
                          "corte_T4", "31-diciembre-2021"};
  w = settings_post(&c, 7, azGood, "logo.png", aPng, sizeof aPng - 1);
  cr_assert_eq(w.iStatus, 303, "status %d\n%s", w.iStatus, w.zBody);
  webtest_resp_free(&w);
  cr_assert_eq(webtest_count(&fx, "SELECT count(*) FROM setting WHERE (key = "
                                  "'semaforo.rojo_hasta' AND value = '50') OR (key = "
                                  "'semaforo.amarillo_hasta' AND value = '72.5') OR (key = "
                                  "'entidad.nombre' AND value = 'Alcaldía de Prueba') OR (key = "
                                  "'entidad.logo_tipo' AND value = 'image/png')"),
               4);
  cr_assert_eq(webtest_count(&fx, "SELECT count(*) FROM period WHERE (code = 'T1' AND end_date = "
                                  "'2021-04-15') OR (code = 'T2' AND start_date = '2021-04-16')"),
               2);
  /* four settings and one cut-off */
  cr_assert_eq(webtest_count(&fx, "SELECT count(*) FROM change_log") - nLog, 5);
  char *zLogo = xasprintf("%s/logo", fx.zDataDir);
  FILE *pLogo = fopen(zLogo, "rb");
  cr_assert_not_null(pLogo);
  fclose(pLogo);
  free(zLogo);
  w = webtest_get(&fx, &c, "/admin/ajustes");
  cr_assert(webtest_has(&w, "value=\"72,5\""), "%s", w.zBody);
  cr_assert(webtest_has(&w, "Alcaldía de Prueba"));
  webtest_resp_free(&w);

  /* a logo that is not an image */
  w = settings_post(&c, 7, azGood, "logo.png", "no soy una imagen", 17);
  cr_assert_eq(w.iStatus, 422);
  cr_assert(webtest_has(&w, "el logo debe ser una imagen PNG o JPEG; «logo.png» es de tipo "
                            "text/plain"),
            "%s", w.zBody);
  webtest_resp_free(&w);
}

/* ---- audit log ------------------------------------------------------------------------ */

Test(web_admin, audit_page_lists_entries_and_verifies) {
  WebClient c;
  signed_in(&c, "control", "/admin/auditoria");
  WebResp w = webtest_get(&fx, &c, "/admin/auditoria");
  cr_assert_eq(w.iStatus, 200);
  cr_assert(webtest_has(&w, "El registro está completo"), "%s", w.zBody);
  cr_assert(webtest_has(&w, "<td>importar</td>"));
  webtest_resp_free(&w);
  w = webtest_get(&fx, &c, "/admin/auditoria?pagina=9");
  cr_assert_eq(w.iStatus, 404);
  webtest_resp_free(&w);
  w = webtest_get(&fx, &c, "/admin/auditoria?pagina=x");
  cr_assert_eq(w.iStatus, 400);
  webtest_resp_free(&w);
}

/* ---- markup in every text field comes back escaped ---------------------------------------- */

Test(web_admin, injection_is_escaped_everywhere) {
  WebClient c;
  signed_in(&c, "planeacion", "/plan/actividad/2");
  Db *db = open_db();
  ActivityEdit e;
  load_item(db, 2, &e);
  static const PlanField aText[] = {PF_COMPONENT, PF_ACTIVITY,    PF_PRODUCT,       PF_INDICATOR,
                                    PF_GOAL,      PF_RESPONSIBLE, PF_INDICATOR_GOAL};
  for (size_t i = 0; i < sizeof aText / sizeof aText[0]; i++) {
    set_field(&e, aText[i], EVIL);
  }
  /* rejected: every field comes back, escaped */
  set_field(&e, PF_START, EVIL);
  WebResp w = post_edit(&c, 2, &e);
  cr_assert_eq(w.iStatus, 422);
  cr_assert(!webtest_has(&w, "<script>"), "%s", w.zBody);
  cr_assert(webtest_has(&w, EVIL_ESCAPED));
  webtest_resp_free(&w);
  /* stored: the editor shows it escaped */
  set_field(&e, PF_START, "2021-02-01");
  w = post_edit(&c, 2, &e);
  cr_assert_eq(w.iStatus, 303, "status %d\n%s", w.iStatus, w.zBody);
  webtest_resp_free(&w);
  w = webtest_get(&fx, &c, "/plan/actividad/2");
  cr_assert(!webtest_has(&w, "<script>"));
  cr_assert(webtest_has(&w, EVIL_ESCAPED));
  webtest_resp_free(&w);
  plan_activity_edit_reset(&e);
  db_close(db);

  /* an uploaded file's name (no "/" or quote: multipart keeps it whole) */
  w = upload(&c, "<img src=x onerror=alert(1)>'&.txt", "a\tb\n", 4);
  cr_assert_eq(w.iStatus, 200, "status %d\n%s", w.iStatus, w.zBody);
  cr_assert(!webtest_has(&w, "<img src=x"));
  cr_assert(webtest_has(&w, "&lt;img src=x onerror=alert(1)&gt;&#39;&amp;.txt"), "%s", w.zBody);
  webtest_resp_free(&w);

  /* users, offices, settings as the administrador */
  WebClient a;
  signed_in(&a, "admin", "/admin/usuarios");
  Buf b = BUF_INIT;
  form_add(&b, "usuario", EVIL);
  form_add(&b, "nombre", EVIL);
  form_add(&b, "rol", EVIL);
  w = webtest_post(&fx, &a, "/admin/usuarios", form_body(&b));
  buf_reset(&b);
  cr_assert_eq(w.iStatus, 422);
  cr_assert(!webtest_has(&w, "<script>"));
  cr_assert(webtest_has(&w, EVIL_ESCAPED));
  webtest_resp_free(&w);
  form_add(&b, "usuario", "persona");
  form_add(&b, "nombre", EVIL);
  form_add(&b, "rol", "planeacion");
  form_add(&b, "clave", "una-clave-larga-1");
  w = webtest_post(&fx, &a, "/admin/usuarios", form_body(&b));
  buf_reset(&b);
  cr_assert_eq(w.iStatus, 303, "status %d\n%s", w.iStatus, w.zBody);
  webtest_resp_free(&w);
  w = webtest_get(&fx, &a, "/admin/usuarios");
  cr_assert(!webtest_has(&w, "<script>"));
  cr_assert(webtest_has(&w, EVIL_ESCAPED));
  webtest_resp_free(&w);
  /* the offices named by the activity above are in the catalogue */
  w = webtest_get(&fx, &a, "/admin/dependencias");
  cr_assert(!webtest_has(&w, "<script>"));
  cr_assert(webtest_has(&w, "&lt;script&gt;"));
  webtest_resp_free(&w);
  form_add(&b, "principal", "no existe " EVIL);
  form_add(&b, "alias", "Secretaria general");
  w = webtest_post(&fx, &a, "/admin/dependencias", form_body(&b));
  buf_reset(&b);
  cr_assert_eq(w.iStatus, 422);
  cr_assert(!webtest_has(&w, "<script>"));
  cr_assert(webtest_has(&w, EVIL_ESCAPED));
  webtest_resp_free(&w);
  const char *azSet[] = {"rojo",     EVIL,
                         "amarillo", "80",
                         "entidad",  EVIL,
                         "corte_T1", EVIL,
                         "corte_T2", "30-junio-2021",
                         "corte_T3", "30-septiembre-2021",
                         "corte_T4", "31-diciembre-2021"};
  w = settings_post(&a, 7, azSet, NULL, NULL, 0);
  cr_assert_eq(w.iStatus, 422);
  cr_assert(!webtest_has(&w, "<script>"));
  cr_assert(webtest_has(&w, EVIL_ESCAPED));
  webtest_resp_free(&w);
  azSet[1] = "60";
  azSet[7] = "31-marzo-2021";
  w = settings_post(&a, 7, azSet, NULL, NULL, 0);
  cr_assert_eq(w.iStatus, 303, "status %d\n%s", w.iStatus, w.zBody);
  webtest_resp_free(&w);
  w = webtest_get(&fx, &a, "/admin/auditoria");
  cr_assert(!webtest_has(&w, "<script>"));
  cr_assert(webtest_has(&w, EVIL_ESCAPED));
  webtest_resp_free(&w);
  w = webtest_get(&fx, NULL, "/");
  cr_assert(!webtest_has(&w, "<script>"));
  webtest_resp_free(&w);
}

/* ---- failed logins: waiting, and the administrador clearing them ------------------------ */

/* Fail n logins of zLogin on the login form from a fresh browser; each is 401. */
static void failed_logins(const char *zLogin, int n) {
  WebClient c = {0};
  WebResp w = webtest_get(&fx, &c, "/entrar");
  webtest_resp_free(&w);
  char *zBody = xasprintf("usuario=%s&clave=equivocada", zLogin);
  for (int i = 0; i < n; i++) {
    w = webtest_post(&fx, &c, "/entrar", zBody);
    cr_assert_eq(w.iStatus, 401, "failure %d of %s: %d", i + 1, zLogin, w.iStatus);
    webtest_resp_free(&w);
  }
  free(zBody);
}

Test(web_admin, login_waits_429_then_admin_clears_the_account) {
  failed_logins("planeacion", 5);
  WebClient c = {0};
  WebResp w = webtest_get(&fx, &c, "/entrar");
  webtest_resp_free(&w);
  w = webtest_post(&fx, &c, "/entrar", "usuario=planeacion&clave=" WEBTEST_PASSWORD);
  cr_assert_eq(w.iStatus, 429, "status %d", w.iStatus);
  char *zRetry = webtest_header(&w, "Retry-After");
  cr_assert_str_eq(zRetry ? zRetry : "", "1");
  free(zRetry);
  cr_assert(webtest_has(&w, "Demasiados intentos fallidos. Por seguridad, espere 1 segundo antes "
                            "de intentarlo de nuevo."),
            "%s", w.zBody);
  cr_assert(webtest_has(&w, "value=\"planeacion\""), "the login typed stays in the form");
  cr_assert_eq(c.zSession[0], 0);
  webtest_resp_free(&w);
  /* other accounts from the same address are not slowed */
  WebClient a;
  signed_in(&a, "admin", "/admin/usuarios?usuario=planeacion");
  w = webtest_get(&fx, &a, "/admin/usuarios?usuario=planeacion");
  cr_assert(webtest_has(&w, "5 intentos fallidos en los últimos 15 minutos; desde alguna "
                            "dirección debe esperar 1 segundo."),
            "%s", w.zBody);
  cr_assert(webtest_has(&w, "Borrar los intentos fallidos"));
  webtest_resp_free(&w);
  w = webtest_get(&fx, &a, "/admin/usuarios");
  cr_assert(webtest_has(&w, "<th scope=\"row\">127.0.0.1</th><td class=\"numero\">5</td>"
                            "<td class=\"numero\">1</td><td>1 segundo</td>"),
            "%s", w.zBody);
  webtest_resp_free(&w);
  /* planeación may not clear it; the administrador without the token may not either */
  WebClient p;
  signed_in(&p, "control", "/panel");
  w = webtest_post(&fx, &p, "/admin/usuarios/planeacion", "accion=desbloquear");
  cr_assert_eq(w.iStatus, 403);
  webtest_resp_free(&w);
  WebClient noToken = a;
  noToken.zCsrf[0] = 0;
  w = webtest_post(&fx, &noToken, "/admin/usuarios/planeacion", "accion=desbloquear");
  cr_assert_eq(w.iStatus, 403);
  webtest_resp_free(&w);
  cr_assert_eq(webtest_count(&fx, "SELECT count(*) FROM login_failure WHERE login = 'planeacion' "
                                  "AND refused = 0"),
               5);
  w = webtest_post(&fx, &a, "/admin/usuarios/planeacion", "accion=desbloquear");
  cr_assert_eq(w.iStatus, 303, "status %d\n%s", w.iStatus, w.zBody);
  webtest_resp_free(&w);
  cr_assert_eq(webtest_count(&fx, "SELECT count(*) FROM login_failure WHERE login = "
                                  "'planeacion'"),
               0);
  cr_assert_eq(webtest_count(&fx, "SELECT count(*) FROM change_log WHERE action = 'desbloquear' "
                                  "AND actor = 'admin' AND detail = 'intentos fallidos de ingreso "
                                  "a «planeacion» borrados: 5; puede intentarlo de nuevo sin "
                                  "esperar'"),
               1);
  WebClient again = {0};
  webtest_login(&fx, &again, "planeacion");
}

Test(web_admin, clear_an_address_roles_csrf_and_log) {
  failed_logins("nadie", 3);
  failed_logins("control", 1);
  WebClient p;
  signed_in(&p, "planeacion", "/panel");
  WebResp w = webtest_post(&fx, &p, "/admin/intentos", "direccion=127.0.0.1");
  cr_assert_eq(w.iStatus, 403, "planeación: %d", w.iStatus);
  webtest_resp_free(&w);
  WebClient a;
  signed_in(&a, "admin", "/admin/usuarios");
  WebClient noToken = a;
  noToken.zCsrf[0] = 0;
  w = webtest_post(&fx, &noToken, "/admin/intentos", "direccion=127.0.0.1");
  cr_assert_eq(w.iStatus, 403, "no token: %d", w.iStatus);
  webtest_resp_free(&w);
  cr_assert_eq(webtest_count(&fx, "SELECT count(*) FROM login_failure"), 4);
  w = webtest_post(&fx, &a, "/admin/intentos", "");
  cr_assert_eq(w.iStatus, 422);
  cr_assert(webtest_has(&w, "Falta la dirección cuyos intentos fallidos quiere borrar"));
  webtest_resp_free(&w);
  w = webtest_post(&fx, &a, "/admin/intentos", "direccion=127.0.0.1");
  cr_assert_eq(w.iStatus, 303, "status %d\n%s", w.iStatus, w.zBody);
  char *zLoc = webtest_header(&w, "Location");
  cr_assert_str_eq(zLoc ? zLoc : "", "/admin/usuarios?aviso=intentos-borrados");
  free(zLoc);
  webtest_resp_free(&w);
  cr_assert_eq(webtest_count(&fx, "SELECT count(*) FROM login_failure"), 0);
  cr_assert_eq(webtest_count(&fx, "SELECT count(*) FROM change_log WHERE action = 'desbloquear' "
                                  "AND actor = 'admin' AND detail = 'intentos fallidos de ingreso "
                                  "desde una dirección borrados: 4; cuentas: «control»; 3 a "
                                  "usuarios desconocidos'"),
               1);
  cr_assert_eq(webtest_count(&fx, "SELECT count(*) FROM change_log WHERE detail LIKE "
                                  "'%127.0.0%' OR detail LIKE '%nadie%'"),
               0);
  w = webtest_get(&fx, &a, "/admin/usuarios");
  cr_assert(webtest_has(&w, "No hay intentos fallidos recientes."));
  webtest_resp_free(&w);
}
