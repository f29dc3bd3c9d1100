/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Unit tests for src/pqrsd/pqrsd.c: numbering per year (consecutive, a new
** year starts at 1, the Bogotá date decides the year), every validation
** message, due dates by type from a Friday before a Monday holiday and
** across Holy Week (worked out by hand on the 2021 calendar of DOMAIN.md
** §4), the consultation code, every transition of the state machine and
** its refusals, the inbox filters, the terms per type, and the transparency
** figures on a hand-built set, whose CSV and JSON must hold no personal
** data. The clock is fixed with PARTICIPA_NOW for each step.
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/text.h"
#include "base/util.h"
#include "calendar/calendar.h"
#include "db/db.h"
#include "pqrsd/pqrsd.h"

/* ---- helpers ------------------------------------------------------------------------------- */

typedef struct Fx {
  char zDir[64]; /* temporary directory */
  char *zDb;     /* database path (owned) */
  Db *db;        /* open database */
  Calendar cal;  /* national holidays only */
} Fx;

/* Fix the clock at the UTC instant zNow. */
static void at(const char *zNow) {
  cr_assert_eq(setenv("PARTICIPA_NOW", zNow, 1), 0);
}

static void fx_open(Fx *f) {
  memset(f, 0, sizeof *f);
  at("2021-07-02T15:00:00Z"); /* Friday 2 July 2021, 10:00 in Bogotá */
  snprintf(f->zDir, sizeof f->zDir, "/tmp/participa-pqrsd-XXXXXX");
  cr_assert_not_null(mkdtemp(f->zDir));
  f->zDb = xasprintf("%s/plan.db", f->zDir);
  char *zErr = NULL;
  f->db = db_open(f->zDb, DB_CREATE, &zErr);
  cr_assert_not_null(f->db, "db_open: %s", zErr ? zErr : "");
  calendar_init(&f->cal);
  calendar_load(&f->cal, f->db);
}

static void fx_close(Fx *f) {
  calendar_reset(&f->cal);
  db_close(f->db);
  char *zCmd = xasprintf("rm -rf '%s'", f->zDir);
  cr_assert_eq(system(zCmd), 0);
  free(zCmd);
  free(f->zDb);
}

/* The day of an ISO date. */
static Day iso(const char *z) {
  int y, m, d;
  Day day = 0;
  cr_assert(sscanf(z, "%d-%d-%d", &y, &m, &d) == 3 && date_from_ymd(y, m, d, &day), "%s", z);
  return day;
}

/* day as ISO text (static buffer: one use per expression). */
static const char *iso_of(Day day) {
  static char z[16];
  int y, m, d;
  date_to_ymd(day, &y, &m, &d);
  snprintf(z, sizeof z, "%04d-%02d-%02d", y, m, d);
  return z;
}

/* File an anonymous PQRSD of type zType; returns its id. */
static int64_t file_anon(Fx *f, const char *zType, const char *zSubject, PqrsdReceipt *pRec) {
  PqrsdSubmission s = {0};
  s.zType = zType;
  s.zSubject = zSubject;
  s.zText = "Texto de la solicitud con detalles suficientes.";
  s.bAnonymous = true;
  PqrsdReceipt rec;
  char *zErr = NULL;
  cr_assert(pqrsd_submit(f->db, &f->cal, &s, pRec ? pRec : &rec, &zErr), "%s", zErr ? zErr : "");
  return (pRec ? pRec : &rec)->id;
}

/* A new office; returns its id. */
static int64_t office_new(Db *db, const char *zName, const char *zFold) {
  Stmt *s = db_prepare(db, "INSERT INTO office(name, fold) VALUES (:name, :fold)");
  db_bind_text(s, ":name", zName);
  db_bind_text(s, ":fold", zFold);
  db_run(s);
  db_finalize(s);
  return db_last_insert_id(db);
}

/* Assert that an action was refused with exactly zWant (frees zErr). */
#define expect_refused(bOk, zErr, zWant)                                                           \
  do {                                                                                             \
    cr_expect_not(bOk, "accepted, expected «%s»", zWant);                                          \
    cr_expect_str_eq((zErr) ? (zErr) : "(none)", zWant);                                           \
    free(zErr);                                                                                    \
    zErr = NULL;                                                                                   \
  } while (0)

/* Load PQRSD iId (asserting it exists). Caller resets. */
static void load(Fx *f, int64_t iId, Pqrsd *p) {
  cr_assert(pqrsd_load(f->db, &f->cal, iId, p));
}

/* The status of PQRSD iId. */
static PqrsdStatus status_of(Fx *f, int64_t iId) {
  Pqrsd p;
  load(f, iId, &p);
  PqrsdStatus e = p.eStatus;
  pqrsd_reset(&p);
  return e;
}

/* The due date of PQRSD iId, as ISO text (static). */
static const char *due_of(Fx *f, int64_t iId) {
  Pqrsd p;
  load(f, iId, &p);
  Day due = p.due;
  pqrsd_reset(&p);
  return iso_of(due);
}

/* ---- numbering --------------------------------------------------------------------------- */

Test(pqrsd, numbering_consecutive_per_year) {
  Fx f;
  fx_open(&f);
  PqrsdReceipt r;
  const char *azWant[] = {"2021-PQRSD-000001", "2021-PQRSD-000002", "2021-PQRSD-000003"};
  for (int i = 0; i < 3; i++) {
    file_anon(&f, "peticion", "Alumbrado", &r);
    cr_expect_str_eq(r.zRadicado, azWant[i]);
  }
  cr_expect_eq(strlen(r.zCode), PQRSD_CODE_LEN);
  cr_expect_str_eq(r.zReceivedAt, "2021-07-02T15:00:00Z");
  /* 31 December at 23:59 in Bogotá is already 1 January in UTC: still 2021 */
  at("2022-01-01T04:59:00Z");
  file_anon(&f, "queja", "Fin de año", &r);
  cr_expect_str_eq(r.zRadicado, "2021-PQRSD-000004");
  cr_expect_str_eq(iso_of(r.received), "2021-12-31");
  /* a new year starts at 1 */
  at("2022-01-01T05:00:00Z");
  file_anon(&f, "queja", "Año nuevo", &r);
  cr_expect_str_eq(r.zRadicado, "2022-PQRSD-000001");
  file_anon(&f, "queja", "Año nuevo", &r);
  cr_expect_str_eq(r.zRadicado, "2022-PQRSD-000002");
  /* each filing: one history event, one audit entry */
  cr_expect_eq(db_int(f.db, "SELECT count(*) FROM pqrsd_event WHERE kind = 'radicada'"), 6);
  cr_expect_eq(db_int(f.db, "SELECT count(*) FROM change_log WHERE action = 'radicar'"), 6);
  fx_close(&f);
}

Test(pqrsd, failed_filing_leaves_no_gap) {
  Fx f;
  fx_open(&f);
  PqrsdReceipt r;
  file_anon(&f, "peticion", "Primera", &r);
  /* a filing rolled back by its caller gives its number back */
  PqrsdSubmission s = {.zType = "peticion",
                       .zSubject = "Deshecha",
                       .zText = "Texto suficiente.",
                       .bAnonymous = true};
  char *zErr = NULL;
  db_begin(f.db);
  cr_assert(pqrsd_submit_in_tx(f.db, &f.cal, &s, &r, &zErr));
  cr_expect_str_eq(r.zRadicado, "2021-PQRSD-000002");
  db_rollback(f.db);
  /* an invalid one writes nothing */
  s.zText = "corto";
  cr_expect_not(pqrsd_submit(f.db, &f.cal, &s, &r, &zErr));
  cr_expect_str_eq(zErr, "La solicitud debe tener al menos 10 caracteres");
  free(zErr);
  file_anon(&f, "peticion", "Segunda", &r);
  cr_expect_str_eq(r.zRadicado, "2021-PQRSD-000002");
  cr_expect_eq(db_int(f.db, "SELECT count(*) FROM pqrsd"), 2);
  fx_close(&f);
}

/* ---- validation -------------------------------------------------------------------------- */

/* Validate s and expect exactly zWant for field e (and no other message
** when bOnly). */
static void expect_invalid(Db *db, const PqrsdSubmission *s, PqrsdField e, const char *zWant) {
  char *azErr[PQF_COUNT];
  int n = pqrsd_validate(db, s, azErr);
  cr_expect_geq(n, 1);
  cr_expect_str_eq(azErr[e] ? azErr[e] : "(none)", zWant);
  pqrsd_errors_reset(azErr);
}

/* A valid identified submission to start from. */
static PqrsdSubmission identified(void) {
  PqrsdSubmission s = {0};
  s.zType = "peticion";
  s.zSubject = "Arreglo de vía";
  s.zText = "La vía de la calle 10 tiene huecos desde hace meses.";
  s.zName = "Ana Zapateiro";
  s.zIdType = "CC";
  s.zIdNumber = "1.047.123-4";
  s.zEmail = "ana@correo.com.co";
  s.zPhone = "+57 (605) 660-1234";
  s.zAddress = "Calle 10 # 3-21, Cartagena";
  s.zChannel = "correo";
  s.bConsent = true;
  return s;
}

Test(pqrsd, validation_messages) {
  Fx f;
  fx_open(&f);
  char *azErr[PQF_COUNT];
  PqrsdSubmission ok = identified();
  cr_expect_eq(pqrsd_validate(f.db, &ok, azErr), 0);
  PqrsdSubmission s;

  s = ok, s.zType = "";
  expect_invalid(f.db, &s, PQF_TYPE, "Elija el tipo de solicitud");
  s = ok, s.zType = "tutela";
  expect_invalid(f.db, &s, PQF_TYPE, "Tipo de solicitud desconocido «tutela»");
  s = ok, s.zSubject = "   ";
  expect_invalid(f.db, &s, PQF_SUBJECT, "Escriba el asunto");
  s = ok, s.zSubject = "Ño";
  expect_invalid(f.db, &s, PQF_SUBJECT, "El asunto debe tener al menos 3 caracteres");
  char zLong[10100];
  memset(zLong, 'a', sizeof zLong - 1);
  zLong[sizeof zLong - 1] = 0;
  zLong[201] = 0;
  s = ok, s.zSubject = zLong;
  expect_invalid(f.db, &s, PQF_SUBJECT, "El asunto no puede pasar de 200 caracteres");
  zLong[201] = 'a';
  s = ok, s.zText = NULL;
  expect_invalid(f.db, &s, PQF_TEXT, "Escriba su solicitud");
  s = ok, s.zText = "Muy corto";
  expect_invalid(f.db, &s, PQF_TEXT, "La solicitud debe tener al menos 10 caracteres");
  s = ok, s.zText = zLong;
  expect_invalid(f.db, &s, PQF_TEXT, "La solicitud no puede pasar de 10000 caracteres");
  s = ok, s.bAnonymous = true;
  expect_invalid(f.db, &s, PQF_ANONYMOUS,
                 "Una solicitud anónima no lleva datos personales: borre nombre, documento, "
                 "correo, teléfono y dirección, o desmarque «anónima»");
  s = ok, s.zName = "";
  expect_invalid(f.db, &s, PQF_NAME, "Escriba su nombre, o marque la solicitud como anónima");
  zLong[201] = 0;
  s = ok, s.zName = zLong;
  expect_invalid(f.db, &s, PQF_NAME, "El nombre no puede pasar de 200 caracteres");
  zLong[201] = 'a';
  s = ok, s.zIdType = NULL;
  expect_invalid(f.db, &s, PQF_IDTYPE, "Elija el tipo de documento");
  s = ok, s.zIdType = "XX";
  expect_invalid(f.db, &s, PQF_IDTYPE, "Tipo de documento desconocido «XX»");
  s = ok, s.zIdNumber = " ";
  expect_invalid(f.db, &s, PQF_IDNUMBER, "Escriba el número de documento");
  s = ok, s.zIdNumber = "12 34";
  expect_invalid(f.db, &s, PQF_IDNUMBER,
                 "El número de documento solo lleva letras, dígitos, puntos y guiones (hasta 30)");
  const char *azBadMail[] = {"ana",
                             "ana@",
                             "@correo.co",
                             "ana@correo",
                             "ana@@correo.co",
                             "ana @correo.co",
                             "ana@correo..co",
                             "ana@correo.co."};
  for (size_t i = 0; i < sizeof azBadMail / sizeof azBadMail[0]; i++) {
    s = ok, s.zEmail = azBadMail[i];
    char *zWant = xasprintf("El correo «%s» no parece válido; escríbalo como nombre@dominio.co",
                            azBadMail[i]);
    expect_invalid(f.db, &s, PQF_EMAIL, zWant);
    free(zWant);
  }
  s = ok, s.zPhone = "123";
  expect_invalid(f.db, &s, PQF_PHONE,
                 "El teléfono solo lleva dígitos, espacios y + ( ) - (de 7 a 40 caracteres)");
  s = ok, s.zPhone = "300 123 4567 ext";
  expect_invalid(f.db, &s, PQF_PHONE,
                 "El teléfono solo lleva dígitos, espacios y + ( ) - (de 7 a 40 caracteres)");
  zLong[301] = 0;
  s = ok, s.zAddress = zLong;
  expect_invalid(f.db, &s, PQF_ADDRESS, "La dirección no puede pasar de 300 caracteres");
  zLong[301] = 'a';
  s = ok, s.zChannel = "";
  expect_invalid(f.db, &s, PQF_CHANNEL, "Elija cómo quiere recibir la respuesta");
  s = ok, s.zChannel = "fax";
  expect_invalid(f.db, &s, PQF_CHANNEL, "Canal de respuesta desconocido «fax»");
  s = ok, s.zChannel = "correo", s.zEmail = "";
  expect_invalid(f.db, &s, PQF_CHANNEL, "Para responder por correo electrónico escriba su correo");
  s = ok, s.zChannel = "direccion", s.zAddress = NULL;
  expect_invalid(f.db, &s, PQF_CHANNEL, "Para responder por correspondencia escriba su dirección");
  s = ok, s.zChannel = "telefono", s.zPhone = NULL;
  expect_invalid(f.db, &s, PQF_CHANNEL, "Para responder por teléfono escriba su número");
  s = ok, s.bConsent = false;
  expect_invalid(f.db, &s, PQF_CONSENT,
                 "Para radicar con sus datos debe autorizar su tratamiento (o marque la "
                 "solicitud como anónima)");
  /* anonymous: no identity, no consent needed, only on-line consultation */
  PqrsdSubmission anon = {
      .zType = "denuncia", .zSubject = "Obra", .zText = "Texto suficiente.", .bAnonymous = true};
  cr_expect_eq(pqrsd_validate(f.db, &anon, azErr), 0);
  anon.zChannel = "correo";
  expect_invalid(f.db, &anon, PQF_CHANNEL,
                 "Una solicitud anónima se responde solo por consulta en línea con el radicado y "
                 "el código");
  /* several faults at once: one message each */
  PqrsdSubmission bad = {0};
  cr_expect_eq(pqrsd_validate(f.db, &bad, azErr), 6); /* type subject text name channel consent */
  pqrsd_errors_reset(azErr);
  /* the identified filing keeps identity and consent */
  PqrsdReceipt r;
  char *zErr = NULL;
  cr_assert(pqrsd_submit(f.db, &f.cal, &ok, &r, &zErr));
  Pqrsd p;
  load(&f, r.id, &p);
  cr_expect_str_eq(p.zName, "Ana Zapateiro");
  cr_expect_str_eq(p.zIdNumber, "1.047.123-4");
  cr_expect_str_eq(p.zChannel, "correo");
  cr_expect_str_eq(p.zConsentVersion, PQRSD_NOTICE_VERSION);
  cr_expect_str_eq(p.zConsentAt, "2021-07-02T15:00:00Z");
  pqrsd_reset(&p);
  fx_close(&f);
}

/* ---- due dates ----------------------------------------------------------------------------- */

/* File a PQRSD of zType at zNow and expect its due date zWant. */
static void expect_due(Fx *f, const char *zNow, const char *zType, const char *zWant) {
  at(zNow);
  PqrsdReceipt r;
  file_anon(f, zType, "Plazo", &r);
  cr_expect_str_eq(iso_of(r.due), zWant, "%s filed %s", zType, zNow);
  cr_expect_str_eq(due_of(f, r.id), zWant);
}

Test(pqrsd, due_dates_by_type) {
  Fx f;
  fx_open(&f);
  /* Friday 2 July 2021, before Monday 5 July (San Pedro y San Pablo); 20 July
  ** (Independencia) and 16 August (Asunción) are on the way */
  expect_due(&f, "2021-07-02T15:00:00Z", "documentos", "2021-07-19");
  expect_due(&f, "2021-07-02T15:00:00Z", "peticion", "2021-07-27");
  expect_due(&f, "2021-07-02T15:00:00Z", "queja", "2021-07-27");
  expect_due(&f, "2021-07-02T15:00:00Z", "consulta", "2021-08-18");
  /* Friday 19 March, before Monday 22 March (San José), then Holy Week
  ** (Jueves and Viernes Santo, 1 and 2 April) */
  expect_due(&f, "2021-03-19T15:00:00Z", "documentos", "2021-04-07");
  expect_due(&f, "2021-03-19T15:00:00Z", "sugerencia", "2021-04-14");
  expect_due(&f, "2021-03-19T15:00:00Z", "consulta", "2021-05-05");
  /* Wednesday of Holy Week */
  expect_due(&f, "2021-03-31T15:00:00Z", "documentos", "2021-04-16");
  expect_due(&f, "2021-03-31T15:00:00Z", "reclamo", "2021-04-23");
  /* filed on Saturday 3 July at 22:00 in Bogotá (Sunday in UTC): the term
  ** counts from the next business day all the same */
  expect_due(&f, "2021-07-04T03:00:00Z", "documentos", "2021-07-19");
  /* filed on a holiday */
  expect_due(&f, "2021-07-05T15:00:00Z", "documentos", "2021-07-19");
  /* filed Tuesday 6 July at 23:30 Bogotá = Wednesday in UTC */
  expect_due(&f, "2021-07-07T04:30:00Z", "documentos", "2021-07-21");
  fx_close(&f);
}

Test(pqrsd, terms_per_type) {
  Fx f;
  fx_open(&f);
  PqrsdType *a;
  int n = pqrsd_types(f.db, &a);
  cr_assert_eq(n, 8);
  const char *azCode[] = {"peticion", "documentos", "consulta", "queja",
                          "reclamo",  "sugerencia", "denuncia", "felicitacion"};
  const int aTerm[] = {15, 10, 30, 15, 15, 15, 15, 15};
  for (int i = 0; i < n; i++) {
    cr_expect_str_eq(a[i].zCode, azCode[i]);
    cr_expect_eq(a[i].nTermDays, aTerm[i]);
  }
  cr_expect_str_eq(a[1].zName, "Petición de documentos o información");
  pqrsd_types_free(n, a);
  PqrsdReceipt r1, r2;
  file_anon(&f, "documentos", "Antes", &r1);
  char *zErr = NULL;
  cr_assert(pqrsd_type_set_term(f.db, "documentos", 20, "admin", &zErr));
  file_anon(&f, "documentos", "Después", &r2);
  cr_expect_str_eq(iso_of(r1.due), "2021-07-19");
  cr_expect_eq(r2.nTermDays, 20);
  cr_expect_str_eq(iso_of(r2.due), "2021-08-03");
  cr_expect_str_eq(due_of(&f, r1.id), "2021-07-19"); /* kept its term */
  bool bOk = pqrsd_type_set_term(f.db, "tutela", 10, "admin", &zErr);
  expect_refused(bOk, zErr, "No existe el tipo de PQRSD «tutela»");
  bOk = pqrsd_type_set_term(f.db, "queja", 0, "admin", &zErr);
  expect_refused(bOk, zErr, "El término debe ser un número entero de días hábiles entre 1 y 100");
  bOk = pqrsd_type_set_term(f.db, "queja", 101, "admin", &zErr);
  expect_refused(bOk, zErr, "El término debe ser un número entero de días hábiles entre 1 y 100");
  cr_expect_eq(db_int(f.db, "SELECT count(*) FROM change_log WHERE action = 'término'"), 1);
  fx_close(&f);
}

/* ---- the consultation code ---------------------------------------------------------------- */

Test(pqrsd, code_check) {
  Fx f;
  fx_open(&f);
  PqrsdSubmission s = identified();
  PqrsdReceipt r;
  char *zErr = NULL;
  cr_assert(pqrsd_submit(f.db, &f.cal, &s, &r, &zErr));
  int64_t iOffice =
      office_new(f.db, "Secretaría de Infraestructura", "secretaria de infraestructura");
  cr_assert(pqrsd_assign(f.db, &f.cal, r.id, iOffice, "planeacion", &zErr));
  /* the form of the code: XXXX-XXXX-XXXX from the unambiguous alphabet */
  cr_expect_eq(r.zCode[4], '-');
  cr_expect_eq(r.zCode[9], '-');
  cr_expect_eq(strspn(r.zCode, "23456789ABCDEFGHJKLMNPQRSTUVWXYZ-"), strlen(r.zCode));
  /* only a 64-digit hash is stored */
  cr_expect_eq(db_int(f.db, "SELECT count(*) FROM pqrsd WHERE length(code_hash) = 64 AND "
                            "code_hash NOT GLOB '*[^0-9a-f]*'"),
               1);
  Pqrsd p;
  cr_assert(pqrsd_lookup(f.db, &f.cal, r.zRadicado, r.zCode, &p));
  cr_expect_str_eq(p.zRadicado, r.zRadicado);
  cr_expect_eq(p.eStatus, PQS_ASIGNADA);
  cr_expect_str_eq(p.zName, ""); /* identity hidden */
  cr_expect_str_eq(p.zEmail, "");
  cr_expect_str_eq(p.zIdNumber, "");
  cr_expect_eq(p.nEvent, 1); /* the assignment is internal */
  cr_expect_str_eq(p.aEvent[0].zKind, "radicada");
  cr_expect_str_eq(p.aEvent[0].zActor, "");
  pqrsd_reset(&p);
  /* typed in lower case, without dashes, with spaces, radicado in lower case */
  char zTyped[32];
  snprintf(zTyped, sizeof zTyped, " %.4s %.4s%.4s ", r.zCode, r.zCode + 5, r.zCode + 10);
  for (char *c = zTyped; *c; c++) {
    if (*c >= 'A' && *c <= 'Z') {
      *c = (char)(*c - 'A' + 'a');
    }
  }
  cr_expect(pqrsd_lookup(f.db, &f.cal, "2021-pqrsd-000001", zTyped, &p));
  pqrsd_reset(&p);
  /* wrong code, truncated code, too long, unknown radicado, empty: all the same false */
  char zWrong[PQRSD_CODE_LEN + 1];
  memcpy(zWrong, r.zCode, sizeof zWrong);
  zWrong[0] = zWrong[0] == 'A' ? 'B' : 'A';
  cr_expect_not(pqrsd_lookup(f.db, &f.cal, r.zRadicado, zWrong, &p));
  cr_expect_eq(p.id, 0);
  char zShort[16];
  snprintf(zShort, sizeof zShort, "%.13s", r.zCode);
  cr_expect_not(pqrsd_lookup(f.db, &f.cal, r.zRadicado, zShort, &p));
  char *zLonger = xasprintf("%sA", r.zCode);
  cr_expect_not(pqrsd_lookup(f.db, &f.cal, r.zRadicado, zLonger, &p));
  free(zLonger);
  cr_expect_not(pqrsd_lookup(f.db, &f.cal, "2021-PQRSD-000002", r.zCode, &p));
  cr_expect_not(pqrsd_lookup(f.db, &f.cal, r.zRadicado, "", &p));
  cr_expect_not(pqrsd_lookup(f.db, &f.cal, r.zRadicado, NULL, &p));
  cr_expect_not(pqrsd_lookup(f.db, &f.cal, NULL, NULL, &p));
  /* a code is tied to its radicado */
  PqrsdReceipt r2;
  file_anon(&f, "queja", "Otra", &r2);
  cr_expect_not(pqrsd_lookup(f.db, &f.cal, r2.zRadicado, r.zCode, &p));
  cr_expect(pqrsd_lookup(f.db, &f.cal, r2.zRadicado, r2.zCode, &p));
  pqrsd_reset(&p);
  fx_close(&f);
}

/* ---- transitions --------------------------------------------------------------------------- */

Test(pqrsd, assign_and_forward) {
  Fx f;
  fx_open(&f);
  int64_t iA = office_new(f.db, "Secretaría de Salud", "secretaria de salud");
  int64_t iB = office_new(f.db, "Oficina Jurídica", "oficina juridica");
  int64_t id = file_anon(&f, "peticion", "Traslado", NULL);
  char *zErr = NULL;
  bool bOk = pqrsd_assign(f.db, &f.cal, id, 9999, "planeacion", &zErr);
  expect_refused(bOk, zErr, "No existe la dependencia");
  bOk = pqrsd_assign(f.db, &f.cal, 9999, iA, "planeacion", &zErr);
  expect_refused(bOk, zErr, "No existe la PQRSD");
  cr_assert(pqrsd_assign(f.db, &f.cal, id, iA, "planeacion", &zErr));
  cr_expect_eq(status_of(&f, id), PQS_ASIGNADA);
  bOk = pqrsd_assign(f.db, &f.cal, id, iA, "planeacion", &zErr);
  expect_refused(bOk, zErr, "La PQRSD ya está asignada a Secretaría de Salud");
  cr_expect_str_eq(due_of(&f, id), "2021-07-27"); /* assigning keeps the term */

  /* forward on Friday 9 July: 15 business days from then (art. 21) */
  at("2021-07-09T15:00:00Z");
  bOk = pqrsd_forward(f.db, &f.cal, id, 0, "  ", "resp", &zErr);
  expect_refused(bOk, zErr, "Indique la dependencia o la entidad a la que se traslada");
  bOk = pqrsd_forward(f.db, &f.cal, id, iA, NULL, "resp", &zErr);
  expect_refused(bOk, zErr, "La PQRSD ya está en Secretaría de Salud");
  bOk = pqrsd_forward(f.db, &f.cal, id, 4242, NULL, "resp", &zErr);
  expect_refused(bOk, zErr, "No existe la dependencia");
  bOk = pqrsd_forward(f.db, &f.cal, id, 0, "X", "resp", &zErr);
  expect_refused(bOk, zErr, "Escriba el nombre de la entidad (hasta 200 caracteres)");
  cr_assert(pqrsd_forward(f.db, &f.cal, id, iB, NULL, "resp", &zErr), "%s", zErr);
  Pqrsd p;
  load(&f, id, &p);
  cr_expect_eq(p.eStatus, PQS_TRASLADADA);
  cr_expect_eq(p.iOffice, iB);
  cr_expect_str_eq(p.zOffice, "Oficina Jurídica");
  cr_expect_str_eq(iso_of(p.termStart), "2021-07-09");
  cr_expect_str_eq(iso_of(p.due), "2021-08-02");
  cr_expect(p.bRunning);
  cr_expect_eq(p.iDaysLeft, 15);
  cr_expect_str_eq(p.aEvent[p.nEvent - 1].zKind, "trasladada");
  cr_expect_str_eq(p.aEvent[p.nEvent - 1].zDetail,
                   "Trasladada a Oficina Jurídica (art. 21 de la Ley 1755 de 2015); el término "
                   "vuelve a empezar: 15 días hábiles, vence el 2 de agosto de 2021");
  cr_expect(p.aEvent[p.nEvent - 1].bPublic);
  pqrsd_reset(&p);
  /* re-routing a forwarded one: asignada again, same term */
  cr_assert(pqrsd_assign(f.db, &f.cal, id, iA, "planeacion", &zErr));
  cr_expect_eq(status_of(&f, id), PQS_ASIGNADA);
  cr_expect_str_eq(due_of(&f, id), "2021-08-02");

  /* forward to another entity: only close remains */
  cr_assert(
      pqrsd_forward(f.db, &f.cal, id, 0, "Superintendencia de Servicios Públicos", "resp", &zErr));
  load(&f, id, &p);
  cr_expect_eq(p.eStatus, PQS_TRASLADADA);
  cr_expect_str_eq(p.zExternal, "Superintendencia de Servicios Públicos");
  cr_expect_not(p.bRunning);
  pqrsd_reset(&p);
  const char *zOut = "La PQRSD fue trasladada a otra entidad (Superintendencia de Servicios "
                     "Públicos); solo se puede cerrar";
  bOk = pqrsd_assign(f.db, &f.cal, id, iB, "planeacion", &zErr);
  expect_refused(bOk, zErr, zOut);
  bOk = pqrsd_answer(f.db, &f.cal, id, "Respuesta", NULL, false, "resp", &zErr);
  expect_refused(bOk, zErr, zOut);
  bOk = pqrsd_extend(f.db, &f.cal, id, iso("2021-08-10"), "Motivo", "resp", &zErr);
  expect_refused(bOk, zErr, zOut);
  bOk = pqrsd_request_completion(f.db, &f.cal, id, "Falta", "resp", &zErr);
  expect_refused(bOk, zErr, zOut);
  cr_assert(pqrsd_close(f.db, &f.cal, id, "resp", &zErr));
  cr_expect_eq(status_of(&f, id), PQS_CERRADA);
  /* every change in the audit log, each refusal left nothing */
  cr_expect_eq(db_int(f.db, "SELECT count(*) FROM change_log WHERE object = 'pqrsd'"), 6);
  cr_expect_eq(db_int(f.db, "SELECT count(*) FROM pqrsd_event"), 6);
  fx_close(&f);
}

Test(pqrsd, extension) {
  Fx f;
  fx_open(&f);
  /* filed Friday 2 July: due 27 July; double term (30) ends 18 August */
  int64_t id = file_anon(&f, "peticion", "Prórroga", NULL);
  int64_t id2 = file_anon(&f, "peticion", "Prórroga tarde", NULL);
  char *zErr = NULL;
  at("2021-07-20T15:00:00Z");
  bool bOk = pqrsd_extend(f.db, &f.cal, id, iso("2021-08-10"), "  ", "resp", &zErr);
  expect_refused(bOk, zErr, "Escriba el motivo de la prórroga (hasta 2000 caracteres)");
  bOk = pqrsd_extend(f.db, &f.cal, id, iso("2021-07-27"), "Motivo", "resp", &zErr);
  expect_refused(bOk, zErr,
                 "La nueva fecha debe ser posterior al vencimiento actual (27 de julio de 2021)");
  bOk = pqrsd_extend(f.db, &f.cal, id, iso("2021-08-16"), "Motivo", "resp", &zErr);
  expect_refused(bOk, zErr, "La nueva fecha debe ser un día hábil");
  bOk = pqrsd_extend(f.db, &f.cal, id, iso("2021-08-19"), "Motivo", "resp", &zErr);
  expect_refused(bOk, zErr,
                 "La nueva fecha no puede pasar del doble del término (30 días hábiles): a más "
                 "tardar el 18 de agosto de 2021");
  cr_assert(pqrsd_extend(f.db, &f.cal, id, iso("2021-08-18"),
                         "Se esperan datos de la "
                         "Secretaría de Hacienda",
                         "resp", &zErr),
            "%s", zErr);
  Pqrsd p;
  load(&f, id, &p);
  cr_expect(p.bExtended);
  cr_expect_str_eq(iso_of(p.due), "2021-08-18");
  cr_expect_str_eq(iso_of(p.originalDue), "2021-07-27");
  cr_expect_str_eq(p.zExtensionReason, "Se esperan datos de la Secretaría de Hacienda");
  cr_expect_eq(p.eStatus, PQS_RADICADA); /* the state stays */
  pqrsd_reset(&p);
  bOk = pqrsd_extend(f.db, &f.cal, id, iso("2021-08-17"), "Otra vez", "resp", &zErr);
  expect_refused(bOk, zErr, "La PQRSD ya fue prorrogada una vez (hasta el 18 de agosto de 2021)");
  /* on the due date itself it is still in time; the day after is too late */
  at("2021-07-27T22:00:00Z");
  cr_assert(pqrsd_extend(f.db, &f.cal, id2, iso("2021-08-03"), "Motivo", "resp", &zErr));
  int64_t id3 = 0;
  at("2021-07-02T15:00:00Z");
  id3 = file_anon(&f, "peticion", "Vencida", NULL);
  at("2021-07-28T15:00:00Z");
  bOk = pqrsd_extend(f.db, &f.cal, id3, iso("2021-08-10"), "Motivo", "resp", &zErr);
  expect_refused(bOk, zErr, "La prórroga debe pedirse antes del vencimiento (27 de julio de 2021)");
  /* after a forward the double term counts from the forward */
  at("2021-07-09T15:00:00Z");
  int64_t id4 = file_anon(&f, "peticion", "Trasladada y prorrogada", NULL);
  int64_t iB = office_new(f.db, "Oficina Jurídica", "oficina juridica");
  cr_assert(pqrsd_forward(f.db, &f.cal, id4, iB, NULL, "resp", &zErr));
  bOk = pqrsd_extend(f.db, &f.cal, id4, iso("2021-08-25"), "Motivo", "resp", &zErr);
  expect_refused(bOk, zErr,
                 "La nueva fecha no puede pasar del doble del término (30 días hábiles): a más "
                 "tardar el 24 de agosto de 2021");
  cr_expect(pqrsd_extend(f.db, &f.cal, id4, iso("2021-08-24"), "Motivo", "resp", &zErr));
  fx_close(&f);
}

Test(pqrsd, completion_pauses_and_resumes) {
  Fx f;
  fx_open(&f);
  int64_t id = file_anon(&f, "peticion", "Incompleta", NULL);
  char *zErr = NULL;
  at("2021-07-06T15:00:00Z");
  bool bOk = pqrsd_request_completion(f.db, &f.cal, id, " ", "resp", &zErr);
  expect_refused(bOk, zErr, "Escriba qué información falta (hasta 2000 caracteres)");
  bOk = pqrsd_complete(f.db, &f.cal, id, "Aquí está", "ciudadano", &zErr);
  expect_refused(bOk, zErr, "La PQRSD no está en espera de información");
  cr_assert(
      pqrsd_request_completion(f.db, &f.cal, id, "Falta la dirección del predio", "resp", &zErr));
  Pqrsd p;
  load(&f, id, &p);
  cr_expect_eq(p.eStatus, PQS_ESPERA);
  cr_expect(p.bPaused);
  cr_expect_not(p.bRunning);
  cr_expect_str_eq(iso_of(p.pausedSince), "2021-07-06");
  cr_expect_str_eq(iso_of(p.pauseDeadline), "2021-08-06");
  pqrsd_reset(&p);
  const char *zPaused = "La PQRSD está en espera de información del peticionario (hasta el 6 de "
                        "agosto de 2021); registre primero la información completada";
  bOk = pqrsd_answer(f.db, &f.cal, id, "Respuesta", NULL, false, "resp", &zErr);
  expect_refused(bOk, zErr, zPaused);
  bOk = pqrsd_extend(f.db, &f.cal, id, iso("2021-08-10"), "Motivo", "resp", &zErr);
  expect_refused(bOk, zErr, zPaused);
  bOk = pqrsd_request_completion(f.db, &f.cal, id, "Otra cosa", "resp", &zErr);
  expect_refused(bOk, zErr, zPaused);
  bOk = pqrsd_close(f.db, &f.cal, id, "resp", &zErr);
  expect_refused(bOk, zErr,
                 "El peticionario tiene hasta el 6 de agosto de 2021 para completar la "
                 "información; no se puede cerrar antes");
  /* completed on Monday 12 July: the term restarts from then (art. 17) */
  at("2021-07-12T15:00:00Z");
  bOk = pqrsd_complete(f.db, &f.cal, id, "", "ciudadano", &zErr);
  expect_refused(bOk, zErr, "Escriba la información recibida (hasta 10000 caracteres)");
  cr_assert(pqrsd_complete(f.db, &f.cal, id, "Carrera 5 # 10-20", "ciudadano", &zErr));
  load(&f, id, &p);
  cr_expect_eq(p.eStatus, PQS_RADICADA); /* no office yet */
  cr_expect_not(p.bPaused);
  cr_expect_str_eq(iso_of(p.termStart), "2021-07-12");
  cr_expect_str_eq(iso_of(p.due), "2021-08-03");
  cr_expect_str_eq(p.aEvent[p.nEvent - 1].zKind, "información completada");
  cr_expect_str_eq(p.aEvent[p.nEvent - 1].zDetail,
                   "Información completada: Carrera 5 # 10-20. El término vuelve a empezar: 15 "
                   "días hábiles, vence el 3 de agosto de 2021");
  pqrsd_reset(&p);
  /* with an office it goes back to asignada */
  int64_t iA = office_new(f.db, "Secretaría de Salud", "secretaria de salud");
  cr_assert(pqrsd_assign(f.db, &f.cal, id, iA, "planeacion", &zErr));
  cr_assert(pqrsd_request_completion(f.db, &f.cal, id, "Falta la firma", "resp", &zErr));
  cr_assert(pqrsd_complete(f.db, &f.cal, id, "Firmada", "resp", &zErr));
  cr_expect_eq(status_of(&f, id), PQS_ASIGNADA);
  /* asked on 31 March: one month is 30 April; not completed: withdrawn */
  at("2021-03-31T15:00:00Z");
  int64_t id2 = file_anon(&f, "peticion", "Desistida", NULL);
  cr_assert(
      pqrsd_request_completion(f.db, &f.cal, id2, "Falta el número del predio", "resp", &zErr));
  load(&f, id2, &p);
  cr_expect_str_eq(iso_of(p.pauseDeadline), "2021-04-30");
  pqrsd_reset(&p);
  at("2021-04-30T22:00:00Z");
  bOk = pqrsd_close(f.db, &f.cal, id2, "resp", &zErr);
  expect_refused(bOk, zErr,
                 "El peticionario tiene hasta el 30 de abril de 2021 para completar la "
                 "información; no se puede cerrar antes");
  at("2021-05-01T15:00:00Z");
  cr_assert(pqrsd_close(f.db, &f.cal, id2, "resp", &zErr));
  load(&f, id2, &p);
  cr_expect_eq(p.eStatus, PQS_CERRADA);
  cr_expect_str_eq(p.zClosedAt, "2021-05-01T15:00:00Z");
  cr_expect_str_eq(p.aEvent[p.nEvent - 1].zDetail,
                   "Cerrada por desistimiento tácito: la información no se completó en el plazo "
                   "(art. 17 de la Ley 1755 de 2015)");
  pqrsd_reset(&p);
  fx_close(&f);
}

Test(pqrsd, answer_and_close) {
  Fx f;
  fx_open(&f);
  int64_t id = file_anon(&f, "peticion", "Respuesta", NULL);
  int64_t idS = file_anon(&f, "sugerencia", "Más árboles en el parque", NULL);
  char *zErr = NULL;
  bool bOk = pqrsd_close(f.db, &f.cal, id, "resp", &zErr);
  expect_refused(bOk, zErr, "Responda la PQRSD antes de cerrarla");
  bOk = pqrsd_answer(f.db, &f.cal, id, "  ", NULL, false, "resp", &zErr);
  expect_refused(bOk, zErr, "Escriba la respuesta");
  char *zLong = xmalloc(PQRSD_ANSWER_MAX + 2);
  memset(zLong, 'x', PQRSD_ANSWER_MAX + 1);
  zLong[PQRSD_ANSWER_MAX + 1] = 0;
  bOk = pqrsd_answer(f.db, &f.cal, id, zLong, NULL, false, "resp", &zErr);
  expect_refused(bOk, zErr, "La respuesta no puede pasar de 20000 caracteres");
  free(zLong);
  bOk = pqrsd_answer(f.db, &f.cal, id, "Respuesta", NULL, true, "resp", &zErr);
  expect_refused(bOk, zErr, "Solo la respuesta a una sugerencia se puede publicar");
  /* answered late (due 27 July) with an attachment */
  at("2021-07-28T15:00:00Z");
  PqrsdFile file;
  cr_assert(pqrsd_file_store(f.zDir, "%PDF-1.4 respuesta", 18, "dir/oficio.pdf", &file, &zErr),
            "%s", zErr);
  cr_expect_str_eq(file.zName, "oficio.pdf");
  cr_assert(pqrsd_answer(f.db, &f.cal, id, " La vía se arregla en agosto. ", &file, false, "resp",
                         &zErr));
  Pqrsd p;
  load(&f, id, &p);
  cr_expect_eq(p.eStatus, PQS_RESPONDIDA);
  cr_expect_str_eq(p.zAnswer, "La vía se arregla en agosto.");
  cr_expect_str_eq(p.zAnswerAt, "2021-07-28T15:00:00Z");
  cr_expect_str_eq(iso_of(p.answerDay), "2021-07-28");
  cr_expect_str_eq(p.zAnsweredBy, "resp");
  cr_expect_str_eq(p.answerFile.zSha256, file.zSha256);
  cr_expect_str_eq(p.answerFile.zName, "oficio.pdf");
  cr_expect_eq(p.answerFile.nSize, 18);
  cr_expect_str_eq(p.aEvent[p.nEvent - 1].zDetail,
                   "Respondida fuera de término (vencía el 27 de julio de 2021), con adjunto");
  pqrsd_reset(&p);
  Buf path = BUF_INIT;
  pqrsd_file_path(f.zDir, file.zSha256, &path);
  cr_expect_eq(access(buf_str(&path), R_OK), 0);
  buf_reset(&path);
  pqrsd_file_reset(&file);
  bOk = pqrsd_file_store(f.zDir, "", 0, "vacio.txt", &file, &zErr);
  expect_refused(bOk, zErr, "El archivo está vacío");
  const char *zDone = "La PQRSD ya fue respondida; solo se puede cerrar";
  bOk = pqrsd_answer(f.db, &f.cal, id, "Otra", NULL, false, "resp", &zErr);
  expect_refused(bOk, zErr, zDone);
  bOk = pqrsd_forward(f.db, &f.cal, id, 0, "Otra entidad", "resp", &zErr);
  expect_refused(bOk, zErr, zDone);
  bOk = pqrsd_request_completion(f.db, &f.cal, id, "Falta", "resp", &zErr);
  expect_refused(bOk, zErr, zDone);
  bOk = pqrsd_complete(f.db, &f.cal, id, "Dato", "resp", &zErr);
  expect_refused(bOk, zErr, "La PQRSD no está en espera de información");
  cr_assert(pqrsd_close(f.db, &f.cal, id, "resp", &zErr));
  const char *zClosed = "La PQRSD está cerrada; no admite más cambios";
  bOk = pqrsd_close(f.db, &f.cal, id, "resp", &zErr);
  expect_refused(bOk, zErr, zClosed);
  bOk = pqrsd_assign(f.db, &f.cal, id, 1, "resp", &zErr);
  expect_refused(bOk, zErr, zClosed);
  bOk = pqrsd_extend(f.db, &f.cal, id, iso("2021-08-10"), "Motivo", "resp", &zErr);
  expect_refused(bOk, zErr, zClosed);
  /* a suggestion's answer may be published, but only in the official's own
  ** version (issue 8): marked public without one, nothing shows */
  cr_assert(pqrsd_answer(f.db, &f.cal, idS, "Sembraremos 40 árboles.", NULL, true, "resp", &zErr));
  PqrsdPublished *a;
  int n = pqrsd_published(f.db, 0, &a);
  cr_expect_eq(n, 0, "the citizen's subject is never published by itself");
  pqrsd_published_free(n, a);
  PqrsdPublicText pub = {"Arborización del parque", " Sembraremos 40 árboles. "};
  cr_assert(pqrsd_publish(f.db, idS, &pub, "resp", &zErr), "%s", zErr);
  n = pqrsd_published(f.db, 0, &a);
  cr_assert_eq(n, 1);
  cr_expect_str_eq(a[0].zRadicado, "2021-PQRSD-000002");
  cr_expect_str_eq(a[0].zSubject, "Arborización del parque");
  cr_expect_str_eq(a[0].zAnswer, "Sembraremos 40 árboles.");
  cr_expect_str_eq(iso_of(a[0].answerDay), "2021-07-28");
  pqrsd_published_free(n, a);
  fx_close(&f);
}

/* ---- the hand-built year: inbox and transparency -------------------------------------------- */

/* The set of the transparency test (see the comment in its body). */
typedef struct Year {
  int64_t iX, iY;                  /* offices: Secretaría de Salud, Oficina Jurídica */
  int64_t a, b, c, d, e, fF, g, h; /* the PQRSD */
} Year;

static int64_t file_identified(Fx *f, const char *zType, const char *zSubject) {
  PqrsdSubmission s = identified();
  s.zType = zType;
  s.zSubject = zSubject;
  PqrsdReceipt r;
  char *zErr = NULL;
  cr_assert(pqrsd_submit(f->db, &f->cal, &s, &r, &zErr), "%s", zErr ? zErr : "");
  return r.id;
}

/* Build the year. As of 2 August 2021:
**   G peticion 2020-12-31: another year.
**   E consulta 06-30, forwarded to another entity on 07-01.
**   F peticion 06-30, completion asked 07-01 (until 08-01), closed 08-02: withdrawn.
**   H reclamo 06-30, office Y, answered 07-02: 2 business days, on time.
**   A peticion 07-02, office X, answered 07-09: 4 days, on time.
**   B queja 07-02, office X, due 07-27, answered 07-28: 16 days, late.
**   C documentos 07-02, no office, due 07-19: pending, overdue (9 days).
**   D sugerencia 07-30, office Y, due 08-23: pending, 14 days left. */
static void build_year(Fx *f, Year *y) {
  char *zErr = NULL;
  y->iX = office_new(f->db, "Secretaría de Salud", "secretaria de salud");
  y->iY = office_new(f->db, "Oficina Jurídica", "oficina juridica");
  at("2020-12-31T15:00:00Z");
  y->g = file_identified(f, "peticion", "Año anterior");
  at("2021-06-30T15:00:00Z");
  y->e = file_anon(f, "consulta", "Competencia de otra entidad", NULL);
  y->fF = file_identified(f, "peticion", "Incompleta");
  y->h = file_anon(f, "reclamo", "Cobro doble", NULL);
  cr_assert(pqrsd_assign(f->db, &f->cal, y->h, y->iY, "planeacion", &zErr));
  at("2021-07-01T15:00:00Z");
  cr_assert(pqrsd_request_completion(f->db, &f->cal, y->fF, "Falta el predio", "resp", &zErr));
  cr_assert(pqrsd_forward(f->db, &f->cal, y->e, 0, "Ministerio de Salud", "resp", &zErr));
  at("2021-07-02T15:00:00Z");
  y->a = file_identified(f, "peticion", "Información sobre vacunación");
  y->b = file_anon(f, "queja", "Atención en la ventanilla", NULL);
  y->c = file_anon(f, "documentos", "Copia del contrato de VACUNACIÓN", NULL);
  cr_assert(pqrsd_assign(f->db, &f->cal, y->a, y->iX, "planeacion", &zErr));
  cr_assert(pqrsd_assign(f->db, &f->cal, y->b, y->iX, "planeacion", &zErr));
  cr_assert(
      pqrsd_answer(f->db, &f->cal, y->h, "Se devuelve el cobro.", NULL, false, "resp", &zErr));
  at("2021-07-09T15:00:00Z");
  cr_assert(pqrsd_answer(f->db, &f->cal, y->a, "Respuesta A.", NULL, false, "resp", &zErr));
  at("2021-07-28T15:00:00Z");
  cr_assert(pqrsd_answer(f->db, &f->cal, y->b, "Respuesta B.", NULL, false, "resp", &zErr));
  at("2021-07-30T15:00:00Z");
  y->d = file_anon(f, "sugerencia", "Parque", NULL);
  cr_assert(pqrsd_assign(f->db, &f->cal, y->d, y->iY, "planeacion", &zErr));
  at("2021-08-02T15:00:00Z");
  cr_assert(pqrsd_close(f->db, &f->cal, y->fF, "resp", &zErr), "%s", zErr ? zErr : "");
}

/* The ids of the inbox rows for filter pF, in order, as "id,id,..." (static). */
static const char *inbox_ids(Fx *f, const PqrsdFilter *pF, int *pnTotal) {
  static char z[256];
  PqrsdRow *a;
  int n = pqrsd_inbox(f->db, &f->cal, pF, &a, pnTotal);
  z[0] = 0;
  for (int i = 0; i < n; i++) {
    size_t nz = strlen(z);
    snprintf(z + nz, sizeof z - nz, "%s%lld", i ? "," : "", (long long)a[i].id);
  }
  pqrsd_rows_free(n, a);
  return z;
}

/* "id,id,..." of the given ids (static, second buffer). */
static const char *ids(int n, const int64_t *a) {
  static char z[256];
  z[0] = 0;
  for (int i = 0; i < n; i++) {
    size_t nz = strlen(z);
    snprintf(z + nz, sizeof z - nz, "%s%lld", i ? "," : "", (long long)a[i]);
  }
  return z;
}

Test(pqrsd, inbox_filters) {
  Fx f;
  fx_open(&f);
  Year y;
  build_year(&f, &y);
  PqrsdFilter q;
  int nTotal = 0;
  /* everything: open ones first by due date (G in January, C 07-19, D 08-23), then
  ** the others newest first */
  pqrsd_filter_init(&q);
  int64_t aAll[] = {y.g, y.c, y.d, y.b, y.a, y.h, y.fF, y.e};
  cr_expect_str_eq(inbox_ids(&f, &q, &nTotal), ids(8, aAll));
  cr_expect_eq(nTotal, 8);
  q.nLimit = 3;
  q.nOffset = 1;
  int64_t aPage[] = {y.c, y.d, y.b};
  cr_expect_str_eq(inbox_ids(&f, &q, &nTotal), ids(3, aPage));
  cr_expect_eq(nTotal, 8);
  /* overdue: G and C, this one 9 business days late */
  pqrsd_filter_init(&q);
  q.bOverdue = true;
  int64_t aLate[] = {y.g, y.c};
  cr_expect_str_eq(inbox_ids(&f, &q, NULL), ids(2, aLate));
  PqrsdRow *a;
  int n = pqrsd_inbox(f.db, &f.cal, &q, &a, NULL);
  cr_assert_eq(n, 2);
  cr_expect_eq(a[1].iDaysLeft, -9);
  cr_expect(a[1].bOverdue);
  pqrsd_rows_free(n, a);
  /* due within N business days: D (14 days left) is within 14, not 13 */
  pqrsd_filter_init(&q);
  q.nDueWithin = 14;
  cr_expect_str_eq(inbox_ids(&f, &q, NULL), ids(1, &y.d));
  q.nDueWithin = 13;
  cr_expect_str_eq(inbox_ids(&f, &q, &nTotal), "");
  cr_expect_eq(nTotal, 0);
  /* open */
  pqrsd_filter_init(&q);
  q.bOpen = true;
  int64_t aOpen[] = {y.g, y.c, y.d};
  cr_expect_str_eq(inbox_ids(&f, &q, NULL), ids(3, aOpen));
  /* type and status */
  pqrsd_filter_init(&q);
  q.zType = "peticion";
  int64_t aPet[] = {y.g, y.a, y.fF};
  cr_expect_str_eq(inbox_ids(&f, &q, NULL), ids(3, aPet));
  pqrsd_filter_init(&q);
  q.eStatus = PQS_RESPONDIDA;
  int64_t aAns[] = {y.b, y.a, y.h};
  cr_expect_str_eq(inbox_ids(&f, &q, NULL), ids(3, aAns));
  /* a responsable's offices; an empty list matches nothing; unassigned */
  pqrsd_filter_init(&q);
  q.bOffices = true;
  q.nOffice = 1;
  q.aOffice = &y.iX;
  int64_t aX[] = {y.b, y.a};
  cr_expect_str_eq(inbox_ids(&f, &q, NULL), ids(2, aX));
  int64_t aXY[] = {y.iX, y.iY};
  q.nOffice = 2;
  q.aOffice = aXY;
  int64_t aBoth[] = {y.d, y.b, y.a, y.h};
  cr_expect_str_eq(inbox_ids(&f, &q, NULL), ids(4, aBoth));
  q.nOffice = 0;
  cr_expect_str_eq(inbox_ids(&f, &q, NULL), "");
  pqrsd_filter_init(&q);
  q.bUnassigned = true;
  int64_t aNone[] = {y.g, y.c, y.fF, y.e};
  cr_expect_str_eq(inbox_ids(&f, &q, NULL), ids(4, aNone));
  /* search: accent- and case-insensitive, or a radicado */
  pqrsd_filter_init(&q);
  q.zSearch = "vacunacion";
  int64_t aVac[] = {y.c, y.a};
  cr_expect_str_eq(inbox_ids(&f, &q, NULL), ids(2, aVac));
  q.zSearch = "  2020-pqrsd-000001 ";
  cr_expect_str_eq(inbox_ids(&f, &q, NULL), ids(1, &y.g));
  q.zSearch = "inexistente";
  cr_expect_str_eq(inbox_ids(&f, &q, NULL), "");
  /* the rows carry what the inbox shows */
  pqrsd_filter_init(&q);
  q.zType = "sugerencia";
  n = pqrsd_inbox(f.db, &f.cal, &q, &a, NULL);
  cr_assert_eq(n, 1);
  cr_expect_str_eq(a[0].zRadicado, "2021-PQRSD-000007");
  cr_expect_str_eq(a[0].zTypeName, "Sugerencia");
  cr_expect_str_eq(a[0].zOffice, "Oficina Jurídica");
  cr_expect_str_eq(iso_of(a[0].due), "2021-08-23");
  cr_expect_eq(a[0].iDaysLeft, 14);
  cr_expect(a[0].bRunning);
  cr_expect(a[0].bAnonymous);
  pqrsd_rows_free(n, a);
  fx_close(&f);
}

/* Assert the counts of tally t. */
static void expect_tally(const PqrsdTally *t, int nReceived, int nOnTime, int nLate, int nPending,
                         int nOverdue, int nForwarded, int nWithdrawn, double rMean,
                         double rMedian) {
  cr_expect_eq(t->nReceived, nReceived, "%s recibidas", t->zLabel);
  cr_expect_eq(t->nOnTime, nOnTime, "%s a tiempo", t->zLabel);
  cr_expect_eq(t->nLate, nLate, "%s tarde", t->zLabel);
  cr_expect_eq(t->nPending, nPending, "%s pendientes", t->zLabel);
  cr_expect_eq(t->nPendingOverdue, nOverdue, "%s vencidas", t->zLabel);
  cr_expect_eq(t->nForwarded, nForwarded, "%s trasladadas", t->zLabel);
  cr_expect_eq(t->nWithdrawn, nWithdrawn, "%s desistidas", t->zLabel);
  cr_expect_float_eq(t->rMeanDays, rMean, 1e-9, "%s promedio", t->zLabel);
  cr_expect_float_eq(t->rMedianDays, rMedian, 1e-9, "%s mediana", t->zLabel);
}

Test(pqrsd, transparency_figures) {
  Fx f;
  fx_open(&f);
  Year y;
  build_year(&f, &y);
  PqrsdTransparency t;
  pqrsd_transparency(f.db, &f.cal, 2021, &t);
  cr_expect_eq(t.iYear, 2021);
  cr_expect_str_eq(iso_of(t.asOf), "2021-08-02");
  /* answered in 2, 4 and 16 business days: mean 22/3, median 4 */
  expect_tally(&t.total, 7, 2, 1, 2, 1, 1, 1, 22.0 / 3, 4);
  cr_assert_eq(t.nType, 8);
  expect_tally(&t.aType[0], 2, 1, 0, 0, 0, 0, 1, 4, 4);   /* peticion: A, F */
  expect_tally(&t.aType[1], 1, 0, 0, 1, 1, 0, 0, -1, -1); /* documentos: C */
  expect_tally(&t.aType[2], 1, 0, 0, 0, 0, 1, 0, -1, -1); /* consulta: E */
  expect_tally(&t.aType[3], 1, 0, 1, 0, 0, 0, 0, 16, 16); /* queja: B */
  expect_tally(&t.aType[4], 1, 1, 0, 0, 0, 0, 0, 2, 2);   /* reclamo: H */
  expect_tally(&t.aType[5], 1, 0, 0, 1, 0, 0, 0, -1, -1); /* sugerencia: D */
  expect_tally(&t.aType[6], 0, 0, 0, 0, 0, 0, 0, -1, -1); /* denuncia */
  expect_tally(&t.aType[7], 0, 0, 0, 0, 0, 0, 0, -1, -1); /* felicitacion */
  cr_assert_eq(t.nOffice, 3);
  cr_expect_str_eq(t.aOffice[0].zLabel, "Oficina Jurídica");
  expect_tally(&t.aOffice[0], 2, 1, 0, 1, 0, 0, 0, 2, 2); /* H, D */
  cr_expect_str_eq(t.aOffice[1].zLabel, "Secretaría de Salud");
  expect_tally(&t.aOffice[1], 2, 1, 1, 0, 0, 0, 0, 10, 10); /* A, B */
  cr_expect_str_eq(t.aOffice[2].zLabel, "Sin asignar");
  cr_expect_str_eq(t.aOffice[2].zKey, "0");
  expect_tally(&t.aOffice[2], 3, 0, 0, 1, 1, 1, 1, -1, -1); /* C, E, F */
  cr_expect_str_eq(t.aMonth[5].zLabel, "Junio");
  expect_tally(&t.aMonth[5], 3, 1, 0, 0, 0, 1, 1, 2, 2);   /* E, F, H */
  expect_tally(&t.aMonth[6], 4, 1, 1, 2, 1, 0, 0, 10, 10); /* A, B, C, D */
  expect_tally(&t.aMonth[0], 0, 0, 0, 0, 0, 0, 0, -1, -1);
  pqrsd_transparency_reset(&t);
  /* the year before holds G only, still pending and overdue */
  pqrsd_transparency(f.db, &f.cal, 2020, &t);
  expect_tally(&t.total, 1, 0, 0, 1, 1, 0, 0, -1, -1);
  cr_expect_eq(t.nOffice, 1);
  pqrsd_transparency_reset(&t);
  fx_close(&f);
}

Test(pqrsd, open_data_has_no_personal_data) {
  Fx f;
  fx_open(&f);
  Year y;
  build_year(&f, &y);
  PqrsdTransparency t;
  pqrsd_transparency(f.db, &f.cal, 2021, &t);
  Buf csv = BUF_INIT, json = BUF_INIT, text = BUF_INIT;
  pqrsd_transparency_csv(&t, &csv);
  pqrsd_transparency_json(&t, &json);
  pqrsd_transparency_text(&t, &text);
  const char *azSecret[] = {"Zapateiro",   "ana@correo",  "1.047.123",
                            "660-1234",    "Calle 10",    "vacunación",
                            "VACUNACIÓN",  "Cobro doble", "Texto de la solicitud",
                            "Respuesta A", "PQRSD-0",     "Ministerio de Salud"};
  for (size_t i = 0; i < sizeof azSecret / sizeof azSecret[0]; i++) {
    cr_expect_null(strstr(buf_str(&csv), azSecret[i]), "CSV has %s", azSecret[i]);
    cr_expect_null(strstr(buf_str(&json), azSecret[i]), "JSON has %s", azSecret[i]);
    cr_expect_null(strstr(buf_str(&text), azSecret[i]), "text has %s", azSecret[i]);
  }
  /* header, total, 8 types, 3 offices, 12 months */
  int nLine = 0;
  for (const char *c = buf_str(&csv); *c; c++) {
    nLine += *c == '\n';
  }
  cr_expect_eq(nLine, 1 + 1 + 8 + 3 + 12);
  cr_expect(strncmp(buf_str(&csv),
                    "anio,dimension,clave,nombre,recibidas,respondidas_a_tiempo,"
                    "respondidas_tarde,pendientes,pendientes_vencidas,"
                    "trasladadas_a_otra_entidad,desistidas,promedio_dias_habiles,"
                    "mediana_dias_habiles\r\n2021,total,total,Total,7,2,1,2,1,1,1,7.3,4.0\r\n",
                    236) == 0,
            "%s", buf_str(&csv));
  cr_expect_not_null(strstr(buf_str(&csv), "2021,tipo,denuncia,Denuncia,0,0,0,0,0,0,0,,\r\n"));
  cr_expect_not_null(strstr(buf_str(&json), "\"promedio_dias_habiles\": 7.3"));
  cr_expect_not_null(strstr(buf_str(&json), "\"mediana_dias_habiles\": null"));
  buf_reset(&csv);
  buf_reset(&json);
  buf_reset(&text);
  pqrsd_transparency_reset(&t);
  fx_close(&f);
}

Test(pqrsd, office_merge_keeps_pqrsd) {
  Fx f;
  fx_open(&f);
  int64_t iA = office_new(f.db, "Secretaría de Salud", "secretaria de salud");
  int64_t iB = office_new(f.db, "Sec. Salud", "sec. salud");
  int64_t id = file_anon(&f, "queja", "Fusión", NULL);
  char *zErr = NULL;
  cr_assert(pqrsd_assign(f.db, &f.cal, id, iB, "planeacion", &zErr));
  /* what office_merge does: the alias first, then the office goes */
  Stmt *s = db_prepare(f.db, "INSERT INTO office_alias(office_id, name, fold) "
                             "VALUES (:main, 'Sec. Salud', 'sec. salud')");
  db_bind_int(s, ":main", iA);
  db_run(s);
  db_finalize(s);
  s = db_prepare(f.db, "DELETE FROM office WHERE id = :alias");
  db_bind_int(s, ":alias", iB);
  db_run(s);
  db_finalize(s);
  Pqrsd p;
  load(&f, id, &p);
  cr_expect_eq(p.iOffice, iA);
  pqrsd_reset(&p);
  fx_close(&f);
}

Test(pqrsd, local_time_and_notice) {
  Buf b = BUF_INIT;
  pqrsd_format_local("2021-07-02T15:00:00Z", &b);
  cr_expect_str_eq(buf_str(&b), "2 de julio de 2021, 10:00 a. m.");
  buf_clear(&b);
  pqrsd_format_local("2021-07-03T04:05:00Z", &b);
  cr_expect_str_eq(buf_str(&b), "2 de julio de 2021, 11:05 p. m.");
  buf_clear(&b);
  pqrsd_format_local("2021-07-02T17:30:00Z", &b);
  cr_expect_str_eq(buf_str(&b), "2 de julio de 2021, 12:30 p. m.");
  buf_clear(&b);
  pqrsd_format_local("2021-07-02T05:10:00Z", &b);
  cr_expect_str_eq(buf_str(&b), "2 de julio de 2021, 12:10 a. m.");
  buf_clear(&b);
  pqrsd_format_local("ayer", &b);
  cr_expect_str_eq(buf_str(&b), "ayer");
  buf_reset(&b);
  cr_expect_str_eq(pqrsd_status_name(PQS_ESPERA), "en espera de información");
  cr_expect_eq(pqrsd_status_parse("cerrada"), PQS_CERRADA);
  cr_expect_eq(pqrsd_status_parse("abierta"), -1);
  cr_expect_str_eq(pqrsd_channel_name("direccion"), "Correspondencia a la dirección");
  cr_expect_str_eq(pqrsd_idtype_name("CE"), "Cédula de extranjería");
  Fx f;
  fx_open(&f);
  Buf notice = BUF_INIT;
  pqrsd_notice_text(f.db, &notice);
  cr_expect_not_null(strstr(buf_str(&notice), "Responsable del tratamiento: la entidad"));
  cr_expect_not_null(strstr(buf_str(&notice), "Ley 1581 de 2012"));
  buf_reset(&notice);
  fx_close(&f);
}

/* The addresses the public forms disagreed on before one check served both:
** a proposal took them, a PQRSD did not. Now both refuse them, and both take
** the real addresses (test_retos.c, same_email_rule_as_pqrsd, runs the
** proposal form on the same lists). */
Test(pqrsd, same_email_rule_as_proposals) {
  Fx f;
  fx_open(&f);
  char *azErr[PQF_COUNT];
  PqrsdSubmission s = identified();
  const char *azBad[] = {"ana@correo..co", "ana@mi_dominio.co", "ana@correo.co/x",
                         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                         "a@correo.co"}; /* a local part of 65 bytes */
  for (size_t i = 0; i < sizeof azBad / sizeof azBad[0]; i++) {
    s.zEmail = azBad[i];
    char *zShow = text_ellipsize_dup(azBad[i], 60);
    char *zWant =
        xasprintf("El correo «%s» no parece válido; escríbalo como nombre@dominio.co", zShow);
    expect_invalid(f.db, &s, PQF_EMAIL, zWant);
    free(zWant);
    free(zShow);
  }
  const char *azGood[] = {"atencion.ciudadano@cartagena.gov.co", "j.perez+pqrsd@gmail.com",
                          "o'neil_2021@hotmail.es", "contacto@alcaldía.gov.co"};
  for (size_t i = 0; i < sizeof azGood / sizeof azGood[0]; i++) {
    s.zEmail = azGood[i];
    cr_expect_eq(pqrsd_validate(f.db, &s, azErr), 0, "%s", azGood[i]);
    pqrsd_errors_reset(azErr);
  }
  fx_close(&f);
}
