/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Unit tests for src/privacy/privacy.c (issue 8, item 7): a PQRSD and a
** proposal filed with distinctive personal values ("Maria Perez",
** "1234567890", her e-mail, phone and address, in the fields, the texts and
** an attachment) are suppressed at the titular's request, or purged when
** their retention is over; then the WAL is checkpointed and the raw
** database files and the attachments directory are searched for each
** value: none may be found. The transparency figures (CSV and JSON) are
** byte for byte the same before and after, and the audit log verifies. Also
** the retention settings, the view and correction requests (logged by
** record and field, never by value), and the public version of answers.
*/
#define _GNU_SOURCE /* memmem */
#include <criterion/criterion.h>
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "audit/audit.h"
#include "base/buf.h"
#include "base/date.h"
#include "base/util.h"
#include "calendar/calendar.h"
#include "db/db.h"
#include "plan/plan.h"
#include "plan/plan_db.h"
#include "pqrsd/pqrsd.h"
#include "privacy/privacy.h"
#include "retos/retos.h"

#define SAMPLE_PLAN "data/estrategia-participacion-cartagena-2021.txt"

/* The personal values that must disappear. */
static const char *const azSecret[] = {"Maria Perez", "1234567890", "maria.perez@example.com",
                                       "3001234567", "Calle 10 # 5-20"};
#define N_SECRET ((int)(sizeof azSecret / sizeof azSecret[0]))

typedef struct Fx {
  char zDir[64];                       /* temporary directory */
  char *zDb;                           /* database path (owned) */
  char *zData;                         /* data directory (owned) */
  Db *db;                              /* open database */
  Calendar cal;                        /* national holidays */
  int64_t iMaria;                      /* her PQRSD */
  int64_t iJose;                       /* another PQRSD sharing the answer's attachment */
  int64_t iProp;                       /* her proposal */
  int64_t iFromProp;                   /* the sugerencia the proposal was filed as */
  char zMaria[PQRSD_RADICADO_LEN + 1]; /* her radicado */
} Fx;

static void at(const char *zNow) {
  cr_assert_eq(setenv("PARTICIPA_NOW", zNow, 1), 0);
}

/* Store n bytes at p as an attachment; fails the test when refused. */
static void store(Fx *f, const char *p, const char *zName, PqrsdFile *pOut) {
  char *zErr = NULL;
  cr_assert(pqrsd_file_store(f->zData, p, strlen(p), zName, pOut, &zErr), "%s", zErr);
}

/* Answer PQRSD iId with zText and pFile; fails the test when refused. */
static void answer(Fx *f, int64_t iId, const char *zText, const PqrsdFile *pFile) {
  char *zErr = NULL;
  cr_assert(pqrsd_answer(f->db, &f->cal, iId, zText, pFile, false, "plan", &zErr), "%s", zErr);
}

/* The database with the sample plan, and the records of the scenario. */
static void fx_open(Fx *f) {
  memset(f, 0, sizeof *f);
  at("2021-06-30T12:00:00Z");
  snprintf(f->zDir, sizeof f->zDir, "/tmp/participa-privacy-XXXXXX");
  cr_assert_not_null(mkdtemp(f->zDir));
  f->zDb = xasprintf("%s/plan.db", f->zDir);
  f->zData = xasprintf("%s/datos", f->zDir);
  char *zErr = NULL;
  f->db = db_open(f->zDb, DB_CREATE, &zErr);
  cr_assert_not_null(f->db, "db_open: %s", zErr ? zErr : "");
  PlanDraft d;
  plan_read_file(SAMPLE_PLAN, NULL, &d);
  ImportResult res;
  memset(&res, 0, sizeof res);
  plan_store(f->db, &d, "prueba", true, &res);
  buf_reset(&res.changes);
  plan_draft_reset(&d);
  calendar_init(&f->cal);
  calendar_load(&f->cal, f->db);

  /* her PQRSD, with her attachment; its answer carries an act shared with José's */
  PqrsdFile mine, acta;
  store(f, "Carta de Maria Perez, CC 1234567890, tel 3001234567", "carta-maria.txt", &mine);
  store(f, "Acta del comite de parques", "acta.txt", &acta);
  PqrsdSubmission s = {.zType = "sugerencia",
                       .zSubject = "Sugerencia de Maria Perez CC 1234567890",
                       .zText = "Soy Maria Perez (maria.perez@example.com, 3001234567), vivo en "
                                "Calle 10 # 5-20: pongan bancas en el parque.",
                       .zName = "Maria Perez",
                       .zIdType = "CC",
                       .zIdNumber = "1234567890",
                       .zEmail = "maria.perez@example.com",
                       .zPhone = "3001234567",
                       .zAddress = "Calle 10 # 5-20",
                       .zChannel = "correo",
                       .bConsent = true,
                       .pFile = &mine,
                       .zActor = "ciudadano"};
  PqrsdReceipt rec;
  cr_assert(pqrsd_submit(f->db, &f->cal, &s, &rec, &zErr), "%s", zErr);
  f->iMaria = rec.id;
  snprintf(f->zMaria, sizeof f->zMaria, "%s", rec.zRadicado);
  PqrsdSubmission j = {.zType = "queja",
                       .zSubject = "Ruido en el parque",
                       .zText = "Hay ruido todas las noches en el parque.",
                       .bAnonymous = true,
                       .zChannel = "consulta",
                       .zActor = "ciudadano"};
  cr_assert(pqrsd_submit(f->db, &f->cal, &j, &rec, &zErr), "%s", zErr);
  f->iJose = rec.id;
  at("2021-07-06T15:00:00Z");
  answer(f, f->iMaria, "Señora Maria Perez: instalaremos bancas en agosto.", &acta);
  answer(f, f->iJose, "Se hará control de ruido.", &acta);
  PqrsdPublicText pub = {"Bancas en los parques", "Se instalarán bancas en agosto."};
  cr_assert(pqrsd_publish(f->db, f->iMaria, &pub, "plan", &zErr), "%s", zErr);
  pqrsd_file_reset(&mine);
  pqrsd_file_reset(&acta);

  /* her proposal to a challenge, published and filed as a sugerencia */
  at("2021-06-30T12:00:00Z");
  RetoInput in = {.zTitle = "Parques del barrio",
                  .zDescription = "Qué hacer con los parques.",
                  .bOpens = true,
                  .bCloses = true,
                  .iOffice = db_int(f->db, "SELECT min(id) FROM office"),
                  .bPublished = true};
  cr_assert(date_from_ymd(2021, 6, 1, &in.opens) && date_from_ymd(2021, 7, 31, &in.closes));
  RetoErrors e = {0};
  int64_t iReto = reto_create(f->db, &in, "plan", &e);
  cr_assert_gt(iReto, 0);
  PropuestaInput pi = {.zName = "Maria Perez",
                       .zEmail = "maria.perez@example.com",
                       .zBody = "Maria Perez propone huertas; llamar al 3001234567.",
                       .bConsent = true,
                       .zAddress = "192.0.2.7"};
  int nWait = 0;
  cr_assert_eq(reto_propose(f->db, iReto, &pi, "Alcaldía", &f->iProp, &nWait, &e), PROPOSE_OK);
  cr_assert(propuesta_moderate(f->db, f->iProp, true, "Huertas comunitarias en el parque.", NULL,
                               "plan", NULL, &zErr),
            "%s", zErr);
  char *zRad = propuesta_to_sugerencia_dup(f->db, f->iProp, "plan", NULL, &zErr);
  cr_assert_not_null(zRad, "%s", zErr);
  f->iFromProp = pqrsd_id(f->db, zRad);
  free(zRad);
  at("2021-07-06T15:00:00Z");
  answer(f, f->iFromProp, "Gracias por la propuesta de huertas.", NULL);
}

static void fx_close(Fx *f) {
  calendar_reset(&f->cal);
  db_close(f->db);
  char *zCmd = xasprintf("rm -rf '%s'", f->zDir);
  cr_assert_eq(system(zCmd), 0);
  free(zCmd);
  free(f->zDb);
  free(f->zData);
}

/* The transparency figures of 2021 as CSV and JSON, one string. Caller frees. */
static char *figures_dup(Fx *f) {
  PqrsdTransparency t;
  pqrsd_transparency(f->db, &f->cal, 2021, &t);
  Buf b = BUF_INIT;
  pqrsd_transparency_csv(&t, &b);
  pqrsd_transparency_json(&t, &b);
  pqrsd_transparency_reset(&t);
  char *z = xstrdup(buf_str(&b));
  buf_reset(&b);
  return z;
}

/* Append the whole file zPath, lower-cased, to pOut (nothing when missing). */
static void slurp_lower(const char *zPath, Buf *pOut) {
  FILE *fp = fopen(zPath, "rb");
  if (fp == NULL) {
    return;
  }
  char a[8192];
  size_t n;
  while ((n = fread(a, 1, sizeof a, fp)) > 0) {
    for (size_t i = 0; i < n; i++) {
      a[i] = (char)tolower((unsigned char)a[i]);
    }
    buf_append(pOut, a, n);
  }
  fclose(fp);
}

/* Append every file under zDir (recursively), lower-cased, to pOut;
** returns how many files there were. */
static int slurp_dir(const char *zDir, Buf *pOut) {
  DIR *d = opendir(zDir);
  if (d == NULL) {
    return 0;
  }
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
      continue;
    }
    char *zPath = xasprintf("%s/%s", zDir, e->d_name);
    struct stat st;
    if (stat(zPath, &st) == 0 && S_ISDIR(st.st_mode)) {
      n += slurp_dir(zPath, pOut);
    } else {
      slurp_lower(zPath, pOut);
      n++;
    }
    free(zPath);
  }
  closedir(d);
  return n;
}

/* How many of the secret values are in the raw database files (after a
** checkpoint) and in the data directory, ignoring case; each one found is
** reported. *pnFiles gets the number of attachment files left. */
static int secrets_found(Fx *f, int *pnFiles) {
  db_int(f->db, "PRAGMA wal_checkpoint(TRUNCATE)");
  Buf raw = BUF_INIT;
  slurp_lower(f->zDb, &raw);
  char *zWal = xasprintf("%s-wal", f->zDb);
  slurp_lower(zWal, &raw);
  free(zWal);
  int nFiles = slurp_dir(f->zData, &raw);
  if (pnFiles) {
    *pnFiles = nFiles;
  }
  int nFound = 0;
  for (int i = 0; i < N_SECRET; i++) {
    char *zLow = xstrdup(azSecret[i]);
    for (char *c = zLow; *c; c++) {
      *c = (char)tolower((unsigned char)*c);
    }
    if (memmem(raw.z, raw.n, zLow, strlen(zLow)) != NULL) {
      cr_log_info("found «%s»", azSecret[i]);
      nFound++;
    }
    free(zLow);
  }
  buf_reset(&raw);
  return nFound;
}

/* The audit log verifies. */
static void expect_audit_ok(Fx *f) {
  Buf out = BUF_INIT;
  cr_expect_eq(audit_verify(f->db, &out), 0, "%s", buf_str(&out));
  buf_reset(&out);
}

/* privacy-1: the values are there to begin with (the search can fail). */
Test(privacy, scenario_holds_the_values) {
  Fx f;
  fx_open(&f);
  int nFiles = 0;
  cr_expect_eq(secrets_found(&f, &nFiles), N_SECRET);
  cr_expect_eq(nFiles, 2, "her letter and the shared act");
  fx_close(&f);
}

/* privacy-2: a titular's suppression leaves none of her values anywhere,
** the figures unchanged and the chain whole (issue 8). */
Test(privacy, titular_suppression_leaves_no_value) {
  Fx f;
  fx_open(&f);
  at("2021-07-15T15:00:00Z");
  char *zBefore = figures_dup(&f);
  char *zErr = NULL;
  int n = 0;
  PrivacyRef ref = {.zRadicado = f.zMaria};
  cr_assert(privacy_suppress(f.db, f.zData, &ref, "plan", &n, &zErr), "%s", zErr);
  cr_expect_eq(n, 1);
  PrivacyRef prop = {.iProposal = f.iProp};
  cr_assert(privacy_suppress(f.db, f.zData, &prop, "plan", &n, &zErr), "%s", zErr);
  cr_expect_eq(n, 2, "the proposal and the sugerencia filed from it");
  cr_expect_not(privacy_suppress(f.db, f.zData, &ref, "plan", &n, &zErr));
  cr_expect_str_eq(zErr, "los datos personales de ese registro ya fueron suprimidos");
  free(zErr);

  int nFiles = -1;
  cr_expect_eq(secrets_found(&f, &nFiles), 0);
  cr_expect_eq(nFiles, 1, "her letter is gone; the act José's answer uses stays");
  char *zAfter = figures_dup(&f);
  cr_expect_str_eq(zAfter, zBefore);
  expect_audit_ok(&f);
  cr_expect_eq(db_int(f.db, "SELECT count(*) FROM change_log WHERE action = 'titular: suprimir'"),
               3);
  /* what stays: the radicado, type, dates, status and the official's public version */
  Pqrsd p;
  cr_assert(pqrsd_load(f.db, &f.cal, f.iMaria, &p));
  cr_expect_str_eq(p.zSubject, PQRSD_SUPPRESSED);
  cr_expect_str_eq(p.zName, "");
  cr_expect_eq(p.eStatus, PQS_RESPONDIDA);
  cr_expect_str_eq(p.zPublicSubject, "Bancas en los parques");
  cr_expect_str_eq(p.file.zSha256, "");
  pqrsd_reset(&p);
  Propuesta q;
  cr_assert(propuesta_load(f.db, f.iProp, &q));
  cr_expect_str_eq(q.zPublicBody, RETOS_WITHDRAWN);
  cr_expect(q.bWithdrawn);
  propuesta_reset(&q);
  free(zBefore);
  free(zAfter);
  fx_close(&f);
}

/* privacy-3: the purge at the end of the retention periods, likewise. */
Test(privacy, retention_purge_leaves_no_value) {
  Fx f;
  fx_open(&f);
  at("2026-07-01T15:00:00Z"); /* 60 months after the answers are not over yet */
  char *zBefore = figures_dup(&f);
  PrivacyPurge res;
  char *zErr = NULL;
  cr_assert(privacy_purge(f.db, f.zData, NULL, "sistema", &res, &zErr), "%s", zErr);
  cr_expect_str_eq(res.zCutoff[PRIV_PQRSD], "2021-07-01");
  cr_expect_eq(res.nPqrsd, 0);
  cr_expect_eq(res.nProposals, 1, "the challenge closed 2021-07-31, 24 months is over");
  cr_expect_eq(res.nAddresses, 1, "the rate limit's address of 2021");
  at("2026-07-07T15:00:00Z");
  cr_expect_eq(privacy_purge_due(f.db, f.zData, &zErr), 3, "the three PQRSD answered 2021-07-06");
  int nFiles = -1;
  cr_expect_eq(secrets_found(&f, &nFiles), 0);
  cr_expect_eq(nFiles, 0, "no record references either file any more");
  at("2026-07-01T15:00:00Z");
  char *zAfter = figures_dup(&f);
  cr_expect_str_eq(zAfter, zBefore);
  expect_audit_ok(&f);
  cr_expect_eq(db_int(f.db, "SELECT count(*) FROM change_log WHERE action = 'anonimizar'"), 4);
  cr_expect_eq(privacy_purge_due(f.db, f.zData, &zErr), 0, "nothing twice");
  free(zBefore);
  free(zAfter);
  fx_close(&f);
}

/* privacy-4: the attachments may go before the record. */
Test(privacy, attachments_purged_alone) {
  Fx f;
  fx_open(&f);
  char *zErr = NULL;
  cr_assert(privacy_retention_set(f.db, PRIV_FILES, 12, "admin", &zErr));
  at("2022-07-07T15:00:00Z");
  PrivacyPurge res;
  cr_assert(privacy_purge(f.db, f.zData, NULL, "sistema", &res, &zErr), "%s", zErr);
  cr_expect_eq(res.nPqrsd, 0);
  cr_expect_eq(res.nPqrsdFiles, 2);
  cr_expect_eq(res.nFilesRemoved, 2);
  Pqrsd p;
  cr_assert(pqrsd_load(f.db, &f.cal, f.iMaria, &p));
  cr_expect_str_eq(p.zName, "Maria Perez", "the record itself is kept");
  cr_expect_str_eq(p.answerFile.zSha256, "");
  pqrsd_reset(&p);
  fx_close(&f);
}

/* privacy-5: --hasta purges up to a date, never a future one. */
Test(privacy, purge_until_date) {
  Fx f;
  fx_open(&f);
  at("2021-07-15T15:00:00Z");
  PrivacyPurge res;
  char *zErr = NULL;
  cr_expect_not(privacy_purge(f.db, f.zData, "2021-07-16", "admin", &res, &zErr));
  cr_expect_str_eq(zErr, "--hasta: la fecha «2021-07-16» es posterior a hoy; solo se purga lo "
                         "ya ocurrido");
  free(zErr);
  zErr = NULL;
  cr_assert(privacy_purge(f.db, f.zData, "2021-07-06", "admin", &res, &zErr), "%s", zErr);
  cr_expect_eq(res.nPqrsd, 0, "answered on the 6th, not before");
  cr_assert(privacy_purge(f.db, f.zData, "2021-07-07", "admin", &res, &zErr), "%s", zErr);
  cr_expect_eq(res.nPqrsd, 3);
  cr_expect_eq(res.nProposals, 0, "the challenge is still open");
  fx_close(&f);
}

/* privacy-6: retention settings: defaults, range, log. */
Test(privacy, retention_settings) {
  Fx f;
  fx_open(&f);
  cr_expect_eq(privacy_retention(f.db, PRIV_PQRSD), 60);
  cr_expect_eq(privacy_retention(f.db, PRIV_FILES), 60);
  cr_expect_eq(privacy_retention(f.db, PRIV_PROPOSALS), 24);
  char *zErr = NULL;
  cr_expect_not(privacy_retention_set(f.db, PRIV_PQRSD, 1201, "admin", &zErr));
  cr_expect_str_eq(zErr, "Datos del peticionario y textos de una PQRSD: el plazo debe ser un "
                         "número entero de meses entre 0 (conservar hasta purgar por fecha) y "
                         "1200");
  free(zErr);
  long nLog = (long)db_int(f.db, "SELECT count(*) FROM change_log");
  cr_assert(privacy_retention_set(f.db, PRIV_PQRSD, 0, "admin", &zErr));
  cr_expect_eq(privacy_retention(f.db, PRIV_PQRSD), 0);
  cr_expect_eq(db_int(f.db, "SELECT count(*) FROM change_log"), nLog + 1);
  at("2040-01-01T00:00:00Z");
  PrivacyPurge res;
  cr_assert(privacy_purge(f.db, f.zData, NULL, "sistema", &res, &zErr));
  cr_expect_eq(res.nPqrsd, 0, "0 keeps the records");
  cr_expect_str_eq(res.zCutoff[PRIV_PQRSD], "");
  fx_close(&f);
}

/* privacy-7: seeing and correcting are logged by record and field, never by value. */
Test(privacy, view_and_correct_are_logged_without_values) {
  Fx f;
  fx_open(&f);
  char *zErr = NULL;
  PrivacyRef ref = {.zRadicado = f.zMaria};
  PrivacyData d;
  cr_assert(privacy_view(f.db, &ref, "plan", &d, &zErr), "%s", zErr);
  cr_expect_str_eq(d.zTitle, "PQRSD 2021-PQRSD-000001");
  bool bName = false;
  for (int i = 0; i < d.n; i++) {
    bName |= strcmp(d.a[i].zLabel, "Nombre") == 0 && strcmp(d.a[i].zValue, "Maria Perez") == 0;
  }
  cr_expect(bName);
  privacy_data_reset(&d);
  PqrsdIdentity id = {.zEmail = "maria@example.org", .zPhone = "300 765 4321"};
  int n = 0;
  cr_assert(privacy_correct(f.db, &ref, &id, "plan", &n, &zErr), "%s", zErr);
  cr_expect_eq(n, 2);
  PqrsdIdentity bad = {.zEmail = "no-es-correo"};
  cr_expect_not(privacy_correct(f.db, &ref, &bad, "plan", &n, &zErr));
  cr_expect_str_eq(zErr, "El correo «no-es-correo» no parece válido; escríbalo como "
                         "nombre@dominio.co");
  free(zErr);
  zErr = NULL;
  PqrsdIdentity none = {.zEmail = ""};
  cr_expect_not(privacy_correct(f.db, &ref, &none, "plan", &n, &zErr),
                "the reply channel needs the e-mail");
  cr_expect_str_eq(zErr, "Para responder por correo electrónico escriba su correo");
  free(zErr);
  zErr = NULL;
  PrivacyRef prop = {.iProposal = f.iProp};
  PqrsdIdentity nm = {.zName = "María Pérez Gómez"};
  cr_assert(privacy_correct(f.db, &prop, &nm, "plan", &n, &zErr), "%s", zErr);
  cr_expect_eq(n, 1);
  PrivacyRef missing = {.zRadicado = "2021-PQRSD-009999"};
  cr_expect_not(privacy_view(f.db, &missing, "plan", &d, &zErr));
  cr_expect_str_eq(zErr, "no existe la PQRSD con radicado «2021-PQRSD-009999»; revise el número "
                         "(por ejemplo 2021-PQRSD-000123)");
  free(zErr);
  cr_expect_eq(db_int(f.db, "SELECT count(*) FROM change_log WHERE action = 'titular: ver' AND "
                            "detail = '2021-PQRSD-000001: solicitud del titular; consulta de sus "
                            "datos personales'"),
               1);
  cr_expect_eq(db_int(f.db, "SELECT count(*) FROM change_log WHERE action = 'corregir datos' AND "
                            "detail = '2021-PQRSD-000001: solicitud del titular; se corrigió: "
                            "correo, teléfono'"),
               1);
  cr_expect_eq(db_int(f.db, "SELECT count(*) FROM change_log WHERE detail LIKE '%maria%' OR "
                            "detail LIKE '%300 765%' OR detail LIKE '%Gómez%'"),
               0);
  expect_audit_ok(&f);
  fx_close(&f);
}

/* privacy-8: no audit_log entry of PQRSD or retos carries a personal value
** (issue 8, item 3): every entry the scenario wrote is free of them. */
Test(privacy, log_names_records_only) {
  Fx f;
  fx_open(&f);
  for (int i = 0; i < N_SECRET; i++) {
    Stmt *s = db_prepare(f.db, "SELECT count(*) FROM change_log WHERE instr(lower(detail), "
                               "lower(:v)) > 0 OR instr(lower(actor), lower(:v)) > 0");
    db_bind_text(s, ":v", azSecret[i]);
    cr_assert(db_step(s));
    cr_expect_eq(db_col_int(s, 0), 0, "%s in the log", azSecret[i]);
    db_finalize(s);
  }
  fx_close(&f);
}

/* privacy-9: the public version of an answer refuses the petitioner's values. */
Test(privacy, public_version_refuses_personal_values) {
  Fx f;
  fx_open(&f);
  char *zErr = NULL;
  PqrsdPublicText pub = {"Sugerencia de Maria Perez", "Se instalarán bancas."};
  cr_expect_not(pqrsd_publish(f.db, f.iMaria, &pub, "plan", &zErr));
  cr_expect_str_eq(zErr, "La versión pública contiene datos del peticionario (su nombre); "
                         "quítelos antes de publicar");
  free(zErr);
  zErr = NULL;
  pub = (PqrsdPublicText){"Bancas", "Llamaremos al 300 123 4567."};
  cr_expect_not(pqrsd_publish(f.db, f.iMaria, &pub, "plan", &zErr));
  cr_expect_str_eq(zErr, "La versión pública contiene datos del peticionario (su teléfono); "
                         "quítelos antes de publicar");
  free(zErr);
  zErr = NULL;
  pub = (PqrsdPublicText){"", "Algo."};
  cr_expect_not(pqrsd_publish(f.db, f.iMaria, &pub, "plan", &zErr));
  cr_expect_str_eq(zErr, "Para publicar la respuesta escriba el asunto público (de 3 a 200 "
                         "caracteres), sin datos del peticionario");
  free(zErr);
  zErr = NULL;
  cr_expect_not(pqrsd_publish(f.db, f.iJose, NULL, "plan", &zErr));
  cr_expect_str_eq(zErr, "Solo la respuesta a una sugerencia se puede publicar");
  free(zErr);
  zErr = NULL;
  cr_assert(pqrsd_publish(f.db, f.iMaria, NULL, "plan", &zErr), "%s", zErr);
  PqrsdPublished *a;
  int n = pqrsd_published(f.db, 0, &a);
  cr_expect_eq(n, 0, "withdrawn");
  pqrsd_published_free(n, a);
  fx_close(&f);
}

Test(privacy, failed_suppression_keeps_files,
     .description = "privacy-9.1 a suppression that meets a database failure on a server "
                    "connection (soft fault) keeps every file and every value; once the "
                    "database is free it goes through") {
  Fx f;
  fx_open(&f);
  Buf files = BUF_INIT;
  int nBefore = slurp_dir(f.zData, &files);
  buf_reset(&files);
  cr_assert_gt(nBefore, 0);
  db_set_soft_faults(f.db, true);
  db_set_busy_timeout(f.db, 30);
  char *zErr = NULL;
  Db *pHolder = db_open(f.zDb, 0, &zErr);
  cr_assert_not_null(pHolder);
  db_begin(pHolder); /* another writer holds the lock past the busy timeout */
  PrivacyRef ref = {.zRadicado = f.zMaria};
  int n = 0;
  cr_assert_not(privacy_suppress(f.db, f.zData, &ref, "plan", &n, &zErr));
  cr_assert_not_null(db_fault(f.db));
  cr_assert(strstr(zErr, "no se pudo suprimir") != NULL, "%s", zErr);
  free(zErr);
  zErr = NULL;
  db_fault_clear(f.db);
  db_rollback(pHolder);
  db_close(pHolder);
  cr_assert_eq(slurp_dir(f.zData, &files), nBefore, "no file was removed");
  buf_reset(&files);
  Stmt *pQ = db_prepare(f.db, "SELECT name || '|' || coalesce(anonymised_at, '-') FROM pqrsd "
                              "WHERE radicado = :r");
  db_bind_text(pQ, ":r", f.zMaria);
  cr_assert(db_step(pQ));
  cr_assert_str_eq(db_col_text(pQ, 0), "Maria Perez|-", "her record is as it was");
  db_finalize(pQ);
  cr_assert(privacy_suppress(f.db, f.zData, &ref, "plan", &n, &zErr), "%s", zErr);
  cr_assert_lt(slurp_dir(f.zData, &files), nBefore, "now her letter is gone");
  buf_reset(&files);
  fx_close(&f);
}
