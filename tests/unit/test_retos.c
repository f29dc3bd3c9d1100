/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Open challenges (src/retos/retos.c) against a temporary database holding
** the sample plan (for its office catalogue): the status a challenge takes
** from its publish flag and dates; every rule of a challenge and of a
** proposal refused with its field named and nothing stored; changes logged
** field by field, with no personal data in the log; consent stored with the
** exact notice text; the per-address hourly limit and its setting;
** moderation going once from pendiente to publicada or rechazada; a
** proposal filed as a sugerencia getting a radicado once. The clock is
** fixed with PARTICIPA_NOW.
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "base/buf.h"
#include "base/date.h"
#include "base/util.h"
#include "db/db.h"
#include "db/setting.h"
#include "office/office.h"
#include "plan/plan.h"
#include "plan/plan_db.h"
#include "retos/retos.h"
#include "testutil.h"

#define NOW         "2021-06-30T12:00:00Z"
#define SAMPLE_PLAN "data/estrategia-participacion-cartagena-2021.txt"
#define ADDR        "192.0.2.10"

/* A temporary database with the sample plan. */
typedef struct Fx {
  char zDir[64];   /* temporary directory */
  char *zDb;       /* database path (owned) */
  Db *db;          /* open database */
  int64_t iOffice; /* an office of the catalogue */
} Fx;

static void fx_init(Fx *f) {
  memset(f, 0, sizeof *f);
  cr_assert_eq(setenv("PARTICIPA_NOW", NOW, 1), 0);
  snprintf(f->zDir, sizeof f->zDir, "/tmp/participa-retos-XXXXXX");
  cr_assert_not_null(mkdtemp(f->zDir));
  f->zDb = xasprintf("%s/plan.db", f->zDir);
  char *zErr = NULL;
  f->db = db_open(f->zDb, DB_CREATE, &zErr);
  cr_assert_not_null(f->db, "db_open: %s", zErr ? zErr : "");
  PlanDraft d;
  plan_read_file(SAMPLE_PLAN, NULL, &d);
  cr_assert(!d.bUnreadable);
  ImportResult res;
  memset(&res, 0, sizeof res);
  plan_store(f->db, &d, "prueba", true, &res);
  buf_reset(&res.changes);
  plan_draft_reset(&d);
  f->iOffice = db_int(f->db, "SELECT min(id) FROM office");
  cr_assert_gt(f->iOffice, 0);
}

static void fx_close(Fx *f) {
  db_close(f->db);
  cr_assert_eq(test_remove_dir(f->zDir), 0);
  free(f->zDb);
}

/* Day of an ISO date. */
static Day day(const char *zIso) {
  int y, m, d;
  Day out = 0;
  cr_assert_eq(sscanf(zIso, "%d-%d-%d", &y, &m, &d), 3);
  cr_assert(date_from_ymd(y, m, d, &out));
  return out;
}

/* A valid input: open from 2021-06-01 to 2021-07-31 (today is 2021-06-30). */
static RetoInput good_input(const Fx *f) {
  RetoInput in = {.zTitle = "Movilidad en el barrio",
                  .zDescription = "Las calles se inundan.\r\n\r\nQué hacer.",
                  .opens = day("2021-06-01"),
                  .closes = day("2021-07-31"),
                  .bOpens = true,
                  .bCloses = true,
                  .iOffice = f->iOffice,
                  .bPublished = true};
  return in;
}

/* Create a challenge from in; fails the test when refused. */
static int64_t create(Fx *f, const RetoInput *in) {
  RetoErrors e = {0};
  int64_t id = reto_create(f->db, in, "planeacion", &e);
  cr_assert_gt(id, 0, "refused: %s", e.n ? e.a[0].zMsg : "");
  retos_errors_reset(&e);
  return id;
}

/* Send a proposal; returns the result and the id in *piOut. */
static ProposeResult propose(Fx *f, int64_t iReto, const char *zName, const char *zEmail,
                             const char *zBody, bool bConsent, const char *zAddr, int64_t *piOut,
                             RetoErrors *e) {
  PropuestaInput in = {
      .zName = zName, .zEmail = zEmail, .zBody = zBody, .bConsent = bConsent, .zAddress = zAddr};
  int nWait = 0;
  return reto_propose(f->db, iReto, &in, "Alcaldía de Prueba", piOut, &nWait, e);
}

/* A count from the database. */
static long count(Fx *f, const char *zSql) {
  return (long)db_int(f->db, zSql);
}

Test(retos, status_follows_publish_flag_and_dates) {
  Reto r = {.opens = day("2021-07-01"), .closes = day("2021-07-31"), .bPublished = false};
  cr_expect_eq(reto_status(&r, day("2021-07-15")), RETO_BORRADOR);
  r.bPublished = true;
  cr_expect_eq(reto_status(&r, day("2021-06-30")), RETO_PROXIMO);
  cr_expect_eq(reto_status(&r, day("2021-07-01")), RETO_ABIERTO, "the opening day is open");
  cr_expect_eq(reto_status(&r, day("2021-07-31")), RETO_ABIERTO, "the closing day is open");
  cr_expect_eq(reto_status(&r, day("2021-08-01")), RETO_CERRADO);
  cr_expect_str_eq(reto_status_label(RETO_BORRADOR), "Borrador");
  cr_expect_str_eq(reto_status_label(RETO_PROXIMO), "Próximo");
  cr_expect_str_eq(reto_status_label(RETO_ABIERTO), "Abierto");
  cr_expect_str_eq(reto_status_label(RETO_CERRADO), "Cerrado");
}

Test(retos, empty_challenge_names_every_missing_field) {
  Fx f;
  fx_init(&f);
  long nLog = count(&f, "SELECT count(*) FROM change_log");
  RetoInput in = {0};
  RetoErrors e = {0};
  cr_expect_eq(reto_create(f.db, &in, "planeacion", &e), 0);
  const char *azField[] = {"titulo", "descripcion", "abre", "cierra", "dependencia"};
  for (size_t i = 0; i < 5; i++) {
    cr_expect_not_null(retos_error_for(&e, azField[i]), "no error for %s", azField[i]);
  }
  cr_expect_eq(e.n, 5);
  retos_errors_reset(&e);
  cr_expect_eq(count(&f, "SELECT count(*) FROM reto"), 0);
  cr_expect_eq(count(&f, "SELECT count(*) FROM change_log"), nLog);
  fx_close(&f);
}

Test(retos, dates_out_of_order_or_past_are_refused) {
  Fx f;
  fx_init(&f);
  RetoInput in = good_input(&f);
  in.closes = day("2021-05-31"); /* before it opens */
  RetoErrors e = {0};
  cr_expect_eq(reto_create(f.db, &in, "planeacion", &e), 0);
  cr_expect(strstr(retos_error_for(&e, "cierra"), "anterior a la de apertura") != NULL, "%s",
            retos_error_for(&e, "cierra"));
  retos_errors_reset(&e);
  in.opens = day("2021-06-01");
  in.closes = day("2021-06-29"); /* yesterday: a new challenge already closed */
  cr_expect_eq(reto_create(f.db, &in, "planeacion", &e), 0);
  cr_expect(strstr(retos_error_for(&e, "cierra"), "ya pasó") != NULL);
  retos_errors_reset(&e);
  in.closes = day("2021-06-30"); /* today is fine */
  cr_expect_gt(create(&f, &in), 0);
  fx_close(&f);
}

Test(retos, long_title_multiline_title_and_unknown_office_are_refused) {
  Fx f;
  fx_init(&f);
  RetoInput in = good_input(&f);
  char zLong[RETOS_TITLE_MAX + 2];
  memset(zLong, 'a', sizeof zLong - 1);
  zLong[sizeof zLong - 1] = 0;
  in.zTitle = zLong;
  in.iOffice = 999999;
  RetoErrors e = {0};
  cr_expect_eq(reto_create(f.db, &in, "planeacion", &e), 0);
  cr_expect(strstr(retos_error_for(&e, "titulo"), "201 caracteres") != NULL);
  cr_expect(strstr(retos_error_for(&e, "dependencia"), "catálogo") != NULL);
  retos_errors_reset(&e);
  in = good_input(&f);
  in.zTitle = "dos\nlíneas";
  cr_expect_eq(reto_create(f.db, &in, "planeacion", &e), 0);
  cr_expect_not_null(retos_error_for(&e, "titulo"));
  retos_errors_reset(&e);
  cr_expect_eq(count(&f, "SELECT count(*) FROM reto"), 0);
  fx_close(&f);
}

Test(retos, create_and_edit_are_logged_field_by_field) {
  Fx f;
  fx_init(&f);
  RetoInput in = good_input(&f);
  int64_t id = create(&f, &in);
  Reto r;
  cr_assert(reto_load(f.db, id, &r));
  cr_expect_str_eq(r.zTitle, "Movilidad en el barrio");
  cr_expect_str_eq(r.zDescription, "Las calles se inundan.\n\nQué hacer.", "CRLF made LF");
  cr_expect_eq(r.opens, day("2021-06-01"));
  cr_expect_eq(r.closes, day("2021-07-31"));
  cr_expect(r.bPublished);
  cr_expect_str_eq(r.zCreatedBy, "planeacion");
  reto_reset(&r);
  cr_expect_eq(count(&f, "SELECT count(*) FROM change_log WHERE action = 'crear' AND object = "
                         "'reto'"),
               1);

  in.zTitle = "Movilidad y lluvias";
  in.closes = day("2021-08-15");
  RetoErrors e = {0};
  cr_expect_eq(reto_update(f.db, id, &in, "planeacion", &e), 1);
  AuditEntry *aLog = NULL;
  int nLog = audit_entries(f.db, 1, 0, &aLog);
  cr_assert_eq(nLog, 1);
  cr_expect_str_eq(aLog[0].zAction, "editar");
  cr_expect_str_eq(aLog[0].zObject, "reto");
  cr_expect_eq(aLog[0].iObject, id);
  cr_expect(strstr(aLog[0].zDetail, "título: «Movilidad en el barrio» → «Movilidad y lluvias»"));
  cr_expect(strstr(aLog[0].zDetail, "cierre: 2021-07-31 → 2021-08-15"), "%s", aLog[0].zDetail);
  audit_entries_free(nLog, aLog);
  /* the same values again: nothing to change, nothing logged */
  long nBefore = count(&f, "SELECT count(*) FROM change_log");
  cr_expect_eq(reto_update(f.db, id, &in, "planeacion", &e), 0);
  cr_expect_eq(count(&f, "SELECT count(*) FROM change_log"), nBefore);
  cr_expect_eq(reto_update(f.db, id + 100, &in, "planeacion", &e), -2);
  cr_expect_eq(e.n, 0);
  fx_close(&f);
}

Test(retos, a_challenge_with_proposals_cannot_go_back_to_draft) {
  Fx f;
  fx_init(&f);
  RetoInput in = good_input(&f);
  int64_t id = create(&f, &in);
  RetoErrors e = {0};
  in.bPublished = false;
  cr_expect_eq(reto_update(f.db, id, &in, "planeacion", &e), 1, "no proposals yet: allowed");
  in.bPublished = true;
  cr_expect_eq(reto_update(f.db, id, &in, "planeacion", &e), 1);
  int64_t iProp = 0;
  cr_assert_eq(propose(&f, id, "", "", "Canales de desagüe.", false, ADDR, &iProp, &e), PROPOSE_OK);
  in.bPublished = false;
  cr_expect_eq(reto_update(f.db, id, &in, "planeacion", &e), -1);
  cr_expect(strstr(retos_error_for(&e, "publicado"), "1 propuesta") != NULL);
  retos_errors_reset(&e);
  Reto r;
  cr_assert(reto_load(f.db, id, &r));
  cr_expect(r.bPublished);
  reto_reset(&r);
  fx_close(&f);
}

Test(retos, proposals_only_while_open) {
  Fx f;
  fx_init(&f);
  RetoInput in = good_input(&f);
  in.bPublished = false;
  int64_t iDraft = create(&f, &in);
  in.bPublished = true;
  in.opens = day("2021-07-01");
  int64_t iSoon = create(&f, &in);
  RetoErrors e = {0};
  int64_t iProp = 0;
  cr_expect_eq(propose(&f, iDraft, "", "", "Una idea.", false, ADDR, &iProp, &e), PROPOSE_NOT_OPEN);
  cr_expect_eq(propose(&f, iSoon, "", "", "Una idea.", false, ADDR, &iProp, &e), PROPOSE_NOT_OPEN);
  cr_expect_eq(propose(&f, 999, "", "", "Una idea.", false, ADDR, &iProp, &e), PROPOSE_NOT_OPEN);
  /* the last day is still open; the day after is not */
  in.opens = day("2021-06-01");
  in.closes = day("2021-06-30");
  int64_t iLast = create(&f, &in);
  cr_expect_eq(propose(&f, iLast, "", "", "Una idea.", false, ADDR, &iProp, &e), PROPOSE_OK);
  cr_assert_eq(setenv("PARTICIPA_NOW", "2021-07-01T12:00:00Z", 1), 0);
  cr_expect_eq(propose(&f, iLast, "", "", "Otra idea.", false, ADDR, &iProp, &e), PROPOSE_NOT_OPEN);
  cr_expect_eq(count(&f, "SELECT count(*) FROM reto_proposal"), 1);
  fx_close(&f);
}

Test(retos, proposal_fields_are_checked) {
  Fx f;
  fx_init(&f);
  RetoInput in = good_input(&f);
  int64_t id = create(&f, &in);
  RetoErrors e = {0};
  int64_t iProp = 0;
  cr_expect_eq(propose(&f, id, "", "", "   ", false, ADDR, &iProp, &e), PROPOSE_INVALID);
  cr_expect_not_null(retos_error_for(&e, "texto"));
  retos_errors_reset(&e);
  cr_expect_eq(propose(&f, id, "Ana Pérez", "", "Una idea.", false, ADDR, &iProp, &e),
               PROPOSE_INVALID);
  cr_expect_not_null(retos_error_for(&e, "consentimiento"), "a name needs consent");
  retos_errors_reset(&e);
  cr_expect_eq(propose(&f, id, "", "ana@", "Una idea.", true, ADDR, &iProp, &e), PROPOSE_INVALID);
  cr_expect_not_null(retos_error_for(&e, "correo"));
  retos_errors_reset(&e);
  char *zLong = xmalloc(RETOS_BODY_MAX + 2);
  memset(zLong, 'x', RETOS_BODY_MAX + 1);
  zLong[RETOS_BODY_MAX + 1] = 0;
  cr_expect_eq(propose(&f, id, "", "", zLong, false, ADDR, &iProp, &e), PROPOSE_INVALID);
  cr_expect(strstr(retos_error_for(&e, "texto"), "5001") != NULL);
  retos_errors_reset(&e);
  free(zLong);
  cr_expect_eq(count(&f, "SELECT count(*) FROM reto_proposal"), 0);
  cr_expect_eq(count(&f, "SELECT count(*) FROM change_log WHERE object = 'propuesta'"), 0);
  fx_close(&f);
}

Test(retos, consent_is_stored_with_its_words_and_the_log_has_no_personal_data) {
  Fx f;
  fx_init(&f);
  RetoInput in = good_input(&f);
  int64_t id = create(&f, &in);
  RetoErrors e = {0};
  int64_t iAnon = 0, iNamed = 0;
  cr_assert_eq(propose(&f, id, "", "", "Anónima.", false, ADDR, &iAnon, &e), PROPOSE_OK);
  cr_assert_eq(
      propose(&f, id, "  Ana Pérez ", "ana@example.org", "Con nombre.", true, ADDR, &iNamed, &e),
      PROPOSE_OK);
  Propuesta p;
  cr_assert(propuesta_load(f.db, iNamed, &p));
  cr_expect_str_eq(p.zName, "Ana Pérez", "trimmed");
  cr_expect_str_eq(p.zEmail, "ana@example.org");
  cr_expect(p.bConsent);
  cr_expect_eq(p.eStatus, PROP_PENDIENTE);
  propuesta_reset(&p);
  cr_assert(propuesta_load(f.db, iAnon, &p));
  cr_expect_not(p.bConsent);
  propuesta_reset(&p);
  /* the notice consented to is stored once, word for word */
  char *zNotice = retos_notice_text_dup("Alcaldía de Prueba");
  Stmt *s = db_prepare(f.db, "SELECT n.text, p.consent_at FROM reto_proposal p JOIN "
                             "reto_notice n ON n.hash = p.consent_hash WHERE p.id = :id");
  db_bind_int(s, ":id", iNamed);
  cr_assert(db_step(s));
  cr_expect_str_eq(db_col_text(s, 0), zNotice);
  cr_expect_str_eq(db_col_text(s, 1), NOW);
  db_finalize(s);
  cr_expect(strstr(zNotice, "Alcaldía de Prueba") != NULL);
  cr_expect(strstr(zNotice, "Ley 1581 de 2012") != NULL);
  free(zNotice);
  cr_expect_eq(count(&f, "SELECT count(*) FROM change_log WHERE detail LIKE '%Ana%' OR detail "
                         "LIKE '%example.org%'"),
               0);
  cr_expect_eq(count(&f, "SELECT count(*) FROM change_log WHERE action = 'proponer' AND actor = "
                         "'ciudadano'"),
               2);
  fx_close(&f);
}

Test(retos, hourly_limit_per_address) {
  Fx f;
  fx_init(&f);
  RetoInput in = good_input(&f);
  int64_t id = create(&f, &in);
  cr_expect_eq(retos_limit(f.db), RETOS_LIMIT_DEFAULT, "unset: the default");
  setting_set(f.db, SETTING_RETOS_LIMIT, "2");
  cr_expect_eq(retos_limit(f.db), 2);
  RetoErrors e = {0};
  int64_t iProp = 0;
  cr_expect_eq(propose(&f, id, "", "", "Uno.", false, ADDR, &iProp, &e), PROPOSE_OK);
  cr_assert_eq(setenv("PARTICIPA_NOW", "2021-06-30T12:10:00Z", 1), 0);
  cr_expect_eq(propose(&f, id, "", "", "Dos.", false, ADDR, &iProp, &e), PROPOSE_OK);
  PropuestaInput pi = {.zBody = "Tres.", .zAddress = ADDR};
  int nWait = 0;
  cr_expect_eq(reto_propose(f.db, id, &pi, "", &iProp, &nWait, &e), PROPOSE_THROTTLED);
  cr_expect_eq(nWait, 3000, "the first one leaves the window at 13:00: %d s", nWait);
  cr_expect_eq(propose(&f, id, "", "", "De otra dirección.", false, "192.0.2.11", &iProp, &e),
               PROPOSE_OK);
  /* an hour after the first, one more fits */
  cr_assert_eq(setenv("PARTICIPA_NOW", "2021-06-30T13:00:00Z", 1), 0);
  cr_expect_eq(propose(&f, id, "", "", "Tres.", false, ADDR, &iProp, &e), PROPOSE_OK);
  cr_expect_eq(propose(&f, id, "", "", "Cuatro.", false, ADDR, &iProp, &e), PROPOSE_THROTTLED);
  /* 0 turns the limit off, and then no address is kept */
  setting_set(f.db, SETTING_RETOS_LIMIT, "0");
  long nKept = count(&f, "SELECT count(*) FROM reto_attempt");
  cr_expect_eq(propose(&f, id, "", "", "Cuatro.", false, ADDR, &iProp, &e), PROPOSE_OK);
  cr_expect_eq(count(&f, "SELECT count(*) FROM reto_attempt"), nKept);
  /* a value that is not a number falls back to the default */
  setting_set(f.db, SETTING_RETOS_LIMIT, "muchas");
  cr_expect_eq(retos_limit(f.db), RETOS_LIMIT_DEFAULT);
  cr_expect_eq(count(&f, "SELECT count(*) FROM reto_proposal"), 5);
  fx_close(&f);
}

Test(retos, moderation_publishes_or_rejects_once) {
  Fx f;
  fx_init(&f);
  RetoInput in = good_input(&f);
  int64_t id = create(&f, &in);
  RetoErrors e = {0};
  int64_t iA = 0, iB = 0;
  cr_assert_eq(propose(&f, id, "", "", "Buena idea.", false, ADDR, &iA, &e), PROPOSE_OK);
  cr_assert_eq(propose(&f, id, "", "", "Fuera de tema.", false, ADDR, &iB, &e), PROPOSE_OK);
  Propuesta *a = NULL;
  int n = retos_pending(f.db, &a);
  cr_expect_eq(n, 2);
  cr_expect_eq(a[0].id, iA, "oldest first");
  cr_expect_str_eq(a[0].zRetoTitle, "Movilidad en el barrio");
  propuesta_list_free(n, a);
  n = reto_proposals(f.db, id, false, &a);
  cr_expect_eq(n, 0, "nothing public before moderation");
  propuesta_list_free(n, a);

  char *zErr = NULL;
  bool bMissing = true;
  cr_expect_not(propuesta_moderate(f.db, iA, true, "  ", NULL, "planeacion", &bMissing, &zErr),
                "publishing needs the public version");
  cr_expect(strstr(zErr, "escriba el texto público de la propuesta") != NULL, "%s", zErr);
  free(zErr);
  zErr = NULL;
  cr_expect(propuesta_moderate(f.db, iA, true, " Versión pública. ", NULL, "planeacion", &bMissing,
                               &zErr));
  cr_expect_not(bMissing);
  cr_expect_not(propuesta_moderate(f.db, iB, false, NULL, "  ", "planeacion", &bMissing, &zErr),
                "a rejection needs a reason");
  cr_expect(strstr(zErr, "motivo") != NULL);
  free(zErr);
  zErr = NULL;
  cr_expect(
      propuesta_moderate(f.db, iB, false, NULL, "No trata del reto.", "planeacion", NULL, &zErr));
  cr_expect_not(propuesta_moderate(f.db, iA, false, NULL, "Otra vez.", "planeacion", NULL, &zErr));
  cr_expect(strstr(zErr, "ya fue publicada por planeacion") != NULL, "%s", zErr);
  free(zErr);
  zErr = NULL;
  cr_expect_not(propuesta_moderate(f.db, 999, true, "Texto", NULL, "planeacion", &bMissing, &zErr));
  cr_expect(bMissing);
  free(zErr);

  n = reto_proposals(f.db, id, false, &a);
  cr_assert_eq(n, 1);
  cr_expect_eq(a[0].id, iA);
  cr_expect_eq(a[0].eStatus, PROP_PUBLICADA);
  cr_expect_str_eq(a[0].zPublicBody, "Versión pública.");
  propuesta_list_free(n, a);
  n = reto_proposals(f.db, id, true, &a);
  cr_assert_eq(n, 2);
  cr_expect_eq(a[1].eStatus, PROP_RECHAZADA);
  cr_expect_str_eq(a[1].zReason, "No trata del reto.");
  cr_expect_str_eq(a[1].zModerator, "planeacion");
  propuesta_list_free(n, a);
  Reto r;
  cr_assert(reto_load(f.db, id, &r));
  cr_expect_eq(r.nPublished, 1);
  cr_expect_eq(r.nRejected, 1);
  cr_expect_eq(r.nPending, 0);
  reto_reset(&r);
  cr_expect_eq(count(&f, "SELECT count(*) FROM change_log WHERE object = 'propuesta' AND action "
                         "IN ('publicar', 'rechazar')"),
               2);
  fx_close(&f);
}

Test(retos, a_proposal_becomes_a_sugerencia_with_a_radicado_once) {
  Fx f;
  fx_init(&f);
  RetoInput in = good_input(&f);
  int64_t id = create(&f, &in);
  RetoErrors e = {0};
  int64_t iAnon = 0, iNamed = 0, iShort = 0;
  cr_assert_eq(propose(&f, id, "", "", "Sembrar árboles en los canales.", false, ADDR, &iAnon, &e),
               PROPOSE_OK);
  cr_assert_eq(propose(&f, id, "Ana Pérez", "ana@example.org", "Limpiar los desagües.", true, ADDR,
                       &iNamed, &e),
               PROPOSE_OK);
  cr_assert_eq(propose(&f, id, "", "", "Sí.", false, ADDR, &iShort, &e), PROPOSE_OK);
  char *zErr = NULL;
  char *zRad = propuesta_to_sugerencia_dup(f.db, iAnon, "planeacion", NULL, &zErr);
  cr_assert_not_null(zRad, "%s", zErr ? zErr : "");
  cr_expect_str_eq(zRad, "2021-PQRSD-000001");
  char *zRad2 = propuesta_to_sugerencia_dup(f.db, iNamed, "planeacion", NULL, &zErr);
  cr_assert_not_null(zRad2, "%s", zErr ? zErr : "");
  cr_expect_str_eq(zRad2, "2021-PQRSD-000002");
  /* a proposal too short for a PQRSD on its own goes with its origin */
  char *zRad3 = propuesta_to_sugerencia_dup(f.db, iShort, "planeacion", NULL, &zErr);
  cr_expect_not_null(zRad3, "%s", zErr ? zErr : "");
  free(zRad3);

  Propuesta p;
  cr_assert(propuesta_load(f.db, iAnon, &p));
  cr_expect_str_eq(p.zRadicado, zRad);
  cr_expect_eq(p.eStatus, PROP_PENDIENTE, "filing does not moderate");
  propuesta_reset(&p);
  cr_expect_eq(count(&f, "SELECT count(*) FROM pqrsd WHERE type = 'sugerencia'"), 3);
  cr_expect_eq(count(&f, "SELECT count(*) FROM pqrsd WHERE radicado = '2021-PQRSD-000002' AND "
                         "name = 'Ana Pérez' AND email = 'ana@example.org'"),
               1);
  cr_expect_eq(count(&f, "SELECT count(*) FROM change_log WHERE action = 'radicar' AND object = "
                         "'propuesta'"),
               3);
  /* the challenge's office gets them */
  char *zSql = xasprintf("SELECT count(*) FROM pqrsd WHERE office_id = %lld AND status = "
                         "'asignada'",
                         (long long)f.iOffice);
  cr_expect_eq(count(&f, zSql), 3);
  free(zSql);
  /* once only */
  cr_expect_null(propuesta_to_sugerencia_dup(f.db, iAnon, "planeacion", NULL, &zErr));
  cr_expect(strstr(zErr, "ya fue radicada") && strstr(zErr, zRad), "%s", zErr);
  free(zErr);
  zErr = NULL;
  bool bMissing = false;
  cr_expect_null(propuesta_to_sugerencia_dup(f.db, 999, "planeacion", &bMissing, &zErr));
  cr_expect(bMissing);
  free(zErr);
  cr_expect_eq(count(&f, "SELECT count(*) FROM pqrsd"), 3);
  free(zRad);
  free(zRad2);
  fx_close(&f);
}

Test(retos, merging_offices_moves_the_challenge_to_the_main_office) {
  Fx f;
  fx_init(&f);
  int64_t iMain = db_int(f.db, "SELECT id FROM office WHERE name = 'Secretaría de Participación'");
  int64_t iAlias = db_int(f.db, "SELECT id FROM office WHERE name = 'Secretaria de Participación "
                                "y Desarrollo Social'");
  cr_assert_gt(iMain, 0);
  cr_assert_gt(iAlias, 0);
  RetoInput in = good_input(&f);
  in.iOffice = iAlias;
  int64_t id = create(&f, &in);
  char *zErr = NULL;
  cr_assert(office_merge(f.db, "Secretaría de Participación",
                         "Secretaria de Participación y Desarrollo Social", "admin", &zErr),
            "%s", zErr ? zErr : "");
  Reto r;
  cr_assert(reto_load(f.db, id, &r));
  cr_expect_eq(r.iOffice, iMain);
  cr_expect_str_eq(r.zOffice, "Secretaría de Participación");
  reto_reset(&r);
  fx_close(&f);
}

/* A proposal's e-mail follows the PQRSD form's rule (test_pqrsd.c,
** same_email_rule_as_proposals, runs the same lists): "ana@correo..co" and
** a domain with "_" used to be taken here and refused there. */
Test(retos, same_email_rule_as_pqrsd) {
  Fx f;
  fx_init(&f);
  RetoInput in = good_input(&f);
  int64_t id = create(&f, &in);
  RetoErrors e = {0};
  int64_t iProp = 0;
  const char *azBad[] = {"ana@correo..co", "ana@mi_dominio.co", "ana@correo.co/x",
                         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                         "a@correo.co"}; /* a local part of 65 bytes */
  for (size_t i = 0; i < sizeof azBad / sizeof azBad[0]; i++) {
    cr_expect_eq(propose(&f, id, "", azBad[i], "Una idea.", true, ADDR, &iProp, &e),
                 PROPOSE_INVALID, "%s", azBad[i]);
    cr_expect_str_eq(retos_error_for(&e, "correo") ? retos_error_for(&e, "correo") : "(none)",
                     "el correo electrónico no parece válido; escríbalo completo, por ejemplo "
                     "nombre@dominio.com, o déjelo vacío");
    retos_errors_reset(&e);
  }
  cr_expect_eq(count(&f, "SELECT count(*) FROM reto_proposal"), 0);
  const char *azGood[] = {"atencion.ciudadano@cartagena.gov.co", "j.perez+pqrsd@gmail.com",
                          "o'neil_2021@hotmail.es", "contacto@alcaldía.gov.co"};
  for (size_t i = 0; i < sizeof azGood / sizeof azGood[0]; i++) {
    cr_expect_eq(propose(&f, id, "", azGood[i], "Una idea.", true, ADDR, &iProp, &e),
                 PROPOSE_OK, "%s", azGood[i]);
    retos_errors_reset(&e);
  }
  cr_expect_eq(count(&f, "SELECT count(*) FROM reto_proposal"), 4);
  fx_close(&f);
}
