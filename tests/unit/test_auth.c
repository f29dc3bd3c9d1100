/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Unit tests for src/auth/auth.c: roles and capabilities, password hashing,
** logins (right, wrong, unknown, disabled), throttling (the delay schedule;
** the account and address pair, the address, the account's valve, trusted
** addresses; unlocking; pruning; what the log keeps) with the clock fixed
** through PARTICIPA_NOW and moved forward,
** session expiry (idle and absolute), logout, CSRF tokens, password rules,
** the rules on administradores and responsables, office matching, and the
** change-log entries every change writes. Each test gets a fresh database
** under a temporary directory holding a three-activity plan, so that the
** office catalogue has names and an alias to match.
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "base/util.h"
#include "io/csv.h"
#include "office/office.h"
#include "plan/plan.h"
#include "plan/plan_db.h"
#include "testutil.h"

#define T0  1625054400 /* 2021-06-30T12:00:00Z */
#define PW  "correcta-caballo-1"
#define PW2 "bateria-grapa-22"

/* A small plan: offices "Secretaría de Participación", "Oficina de Prensa"
** and "Oficina asesora de prensa" (made an alias of the second). */
#define HEADER                                                                                      \
  "ITEM\tDESCRIPCIÓN DE LOS CRITERIOS DIFERENCIALES QUE LE APLICAN\tCICLO DE PROCESO\tACTIVIDAD\t" \
  "PRODUCTO\tDESCRIPCIÓN DEL INDICADOR\tDESCRIPCIÓN DE LA META\tFECHA INICIO\tFECHA FINAL\t"      \
  "RESPONSABLE\tMETA DEL INDICADOR\t2021\t\t\t\t\n"                                                 \
  "\t\t\t\t\t\t\t\t\t\t\tMETA TRIMESTRE 1\tMETA TRIMESTRE 2\tMETA TRIMESTRE 3\tMETA TRIMESTRE "     \
  "4\tRESULTADO\n"
#define ROW(item, act, resp)                                                                       \
  item "\tComponente\tP:\t" act "\tProducto\tUn (1) informe\tMeta\t01-enero-2021\t"                \
       "31-diciembre-2021\t" resp "\t\t\t\t\t\t\n"
#define PLAN                                                                                       \
  "ALCALDÍA DE PRUEBA\n" HEADER ROW("1", "Talleres", "Secretaría de Participación")                \
      ROW("2", "Boletines", "Oficina de Prensa")                                                   \
          ROW("3", "Ruedas de prensa", "Oficina asesora de prensa")

/* A test database. */
typedef struct Fx {
  char zDir[64]; /* temporary directory */
  char *zDb;     /* database path (owned) */
  Db *db;        /* open database */
} Fx;

/* Fix the clock at Unix time t. */
static void set_now(int64_t t) {
  time_t tt = (time_t)t;
  struct tm tm;
  char z[32];
  gmtime_r(&tt, &tm);
  strftime(z, sizeof z, "%Y-%m-%dT%H:%M:%SZ", &tm);
  setenv("PARTICIPA_NOW", z, 1);
}

/* Create the database with the plan, and fix the clock at T0. */
static void fx_open(Fx *f) {
  memset(f, 0, sizeof *f);
  set_now(T0);
  snprintf(f->zDir, sizeof f->zDir, "/tmp/participa-auth-XXXXXX");
  cr_assert_not_null(mkdtemp(f->zDir));
  f->zDb = xasprintf("%s/auth.db", f->zDir);
  char *zErr = NULL;
  f->db = db_open(f->zDb, DB_CREATE, &zErr);
  cr_assert_not_null(f->db, "db_open: %s", zErr ? zErr : "");
  Table t;
  PlanDraft p;
  ImportResult res;
  cr_assert_eq(csv_read_mem("plan.tsv", PLAN, strlen(PLAN), 0, &t, &zErr), TABLE_OK);
  plan_read_table(&t, "tsv", NULL, &p);
  cr_assert_eq(p.diags.nError, 0, "plan: %s", p.diags.n ? p.diags.a[0].zMsg : "");
  plan_store(f->db, &p, "prueba", false, &res);
  buf_reset(&res.changes);
  plan_draft_reset(&p);
  table_reset(&t);
  cr_assert(office_merge(f->db, "Oficina de Prensa", "Oficina asesora de prensa", "prueba", &zErr),
            "merge: %s", zErr ? zErr : "");
}

/* Close the database and remove the directory. */
static void fx_close(Fx *f) {
  cr_assert_not(db_in_transaction(f->db), "no transaction left open");
  db_close(f->db);
  cr_assert_eq(test_remove_dir(f->zDir), 0);
  free(f->zDb);
}

/* Add user zLogin with role eRole, password PW and the offices given;
** returns its id. */
static int64_t fx_user(Fx *f, const char *zLogin, Role eRole, int nOffice,
                       const char *const *azOffice) {
  char *zErr = NULL;
  int64_t id =
      auth_user_add(f->db, zLogin, "Nombre", eRole, nOffice, azOffice, PW, NULL, "admin", &zErr);
  cr_assert_neq(id, 0, "auth_user_add %s: %s", zLogin, zErr ? zErr : "");
  return id;
}

/* Log zLogin in with zPassword from zAddr; returns the result and frees
** the token unless pzToken takes it. */
static LoginResult fx_login(Fx *f, const char *zLogin, const char *zPassword, const char *zAddr,
                            char **pzToken, int *pnWait) {
  char *zToken = NULL;
  int nWait = -1;
  LoginResult rc = auth_login(f->db, zLogin, zPassword, zAddr, &zToken, &nWait);
  cr_assert_not(db_in_transaction(f->db));
  if (rc == LOGIN_OK) {
    cr_assert_not_null(zToken);
    cr_assert_eq(strlen(zToken), AUTH_TOKEN_CHARS);
  } else {
    cr_assert_null(zToken);
  }
  if (pnWait) {
    *pnWait = nWait;
  }
  if (pzToken) {
    *pzToken = zToken;
  } else {
    free(zToken);
  }
  return rc;
}

/* True when session zToken is valid now. */
static bool fx_valid(Fx *f, const char *zToken) {
  Session s;
  bool bOk = auth_session_load(f->db, zToken, &s);
  auth_session_free(&s);
  return bOk;
}

/* Number of change-log entries with action zAction on users. */
static int fx_log_count(Fx *f, const char *zAction) {
  Stmt *s = db_prepare(f->db, "SELECT count(*) FROM change_log WHERE object = 'usuario' AND "
                              "action = :a");
  db_bind_text(s, ":a", zAction);
  int n = db_step(s) ? (int)db_col_int(s, 0) : 0;
  db_finalize(s);
  return n;
}

/* The detail of the last change-log entry with action zAction (caller frees). */
static char *fx_log_last(Fx *f, const char *zAction, char **pzActor) {
  Stmt *s = db_prepare(f->db, "SELECT detail, actor FROM change_log WHERE object = 'usuario' "
                              "AND action = :a ORDER BY id DESC LIMIT 1");
  db_bind_text(s, ":a", zAction);
  char *z = NULL;
  if (db_step(s)) {
    z = db_col_text_dup(s, 0);
    if (pzActor) {
      *pzActor = db_col_text_dup(s, 1);
    }
  }
  db_finalize(s);
  return z;
}

/* Seconds a call to auth_login takes (the best of three). */
static double fx_login_time(Fx *f, const char *zLogin, const char *zAddr) {
  double rBest = 1e9;
  for (int i = 0; i < 3; i++) {
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    cr_assert_eq(fx_login(f, zLogin, "no-es-la-clave", zAddr, NULL, NULL), LOGIN_BAD);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double r = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    rBest = r < rBest ? r : rBest;
  }
  return rBest;
}

/* ---- roles ------------------------------------------------------------------------ */

Test(auth, roles, .description = "auth-1.1 role names, labels, parsing and capabilities") {
  cr_assert_str_eq(auth_role_name(ROLE_ADMIN), "administrador");
  cr_assert_str_eq(auth_role_name(ROLE_CONTROL), "control-interno");
  cr_assert_str_eq(auth_role_name(ROLE_NONE), "");
  cr_assert_str_eq(auth_role_label(ROLE_PLANEACION), "Planeación");
  cr_assert_str_eq(auth_role_label(ROLE_NONE), "Ciudadano");
  Role e = ROLE_NONE;
  cr_assert(auth_role_parse("Planeación", &e));
  cr_assert_eq(e, ROLE_PLANEACION);
  cr_assert(auth_role_parse("control interno", &e));
  cr_assert_eq(e, ROLE_CONTROL);
  cr_assert(auth_role_parse("CONTROL-INTERNO", &e));
  cr_assert_eq(e, ROLE_CONTROL);
  cr_assert(auth_role_parse("responsable", &e));
  cr_assert_eq(e, ROLE_RESPONSABLE);
  cr_assert_not(auth_role_parse("jefe", &e));
  cr_assert_not(auth_role_parse("", &e));
  cr_assert_str_eq(auth_role_caps(ROLE_ADMIN), "uapq");
  cr_assert(auth_role_can(ROLE_PLANEACION, CAP_PQRSD));
  cr_assert(auth_role_can(ROLE_RESPONSABLE, CAP_PQRSD));
  cr_assert_not(auth_role_can(ROLE_CONTROL, CAP_PQRSD));
  cr_assert(auth_role_can(ROLE_RESPONSABLE, CAP_REPORT));
  cr_assert_not(auth_role_can(ROLE_RESPONSABLE, CAP_VERIFY));
  cr_assert(auth_role_can(ROLE_CONTROL, CAP_VERIFY));
  cr_assert(auth_role_can(ROLE_PLANEACION, CAP_PLAN));
  cr_assert_not(auth_role_can(ROLE_PLANEACION, CAP_ADMIN));
  cr_assert_not(auth_role_can(ROLE_NONE, CAP_USER));
  cr_assert_not(auth_role_can(ROLE_ADMIN, 0));
}

Test(auth, random_token, .description = "auth-1.2 tokens are 43 base64url characters, all new") {
  char a[AUTH_TOKEN_CHARS + 1], b[AUTH_TOKEN_CHARS + 1];
  auth_random_token(a);
  auth_random_token(b);
  cr_assert_eq(strlen(a), AUTH_TOKEN_CHARS);
  cr_assert_eq(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
               AUTH_TOKEN_CHARS);
  cr_assert_str_neq(a, b);
}

/* ---- accounts and logins ------------------------------------------------------------ */

Test(auth, round_trip, .description = "auth-2.1 a user logs in and its session loads") {
  Fx f;
  fx_open(&f);
  const char *azOffice[] = {"secretaria de participacion"};
  int64_t id = fx_user(&f, "Ana.Maria", ROLE_RESPONSABLE, 1, azOffice);
  char *zToken = NULL;
  set_now(T0 + 10);
  cr_assert_eq(fx_login(&f, "ana.maria", PW, "10.0.0.1", &zToken, NULL), LOGIN_OK);
  Session s;
  cr_assert(auth_session_load(f.db, zToken, &s));
  cr_assert_eq(s.iUser, id);
  cr_assert_str_eq(s.zLogin, "ana.maria", "logins are kept in lower case");
  cr_assert_str_eq(s.zFullName, "Nombre");
  cr_assert_eq(s.eRole, ROLE_RESPONSABLE);
  cr_assert_eq(s.nOffice, 1);
  cr_assert_str_eq(s.azOffice[0], "Secretaría de Participación");
  cr_assert_not(s.bMustChange);
  cr_assert_eq(strlen(s.zCsrf), AUTH_TOKEN_CHARS);
  cr_assert_str_neq(s.zCsrf, zToken);
  auth_session_free(&s);
  /* the login as typed in another case works too, and is recorded */
  cr_assert_eq(fx_login(&f, "ANA.MARIA", PW, "10.0.0.1", NULL, NULL), LOGIN_OK);
  UserInfo *a;
  int n = auth_users(f.db, &a);
  cr_assert_eq(n, 1);
  cr_assert_str_eq(a[0].zLastLogin, "2021-06-30T12:00:10Z");
  cr_assert_str_eq(a[0].zOffices, "Secretaría de Participación");
  auth_users_free(n, a);
  free(zToken);
  fx_close(&f);
}

Test(auth, wrong_password,
     .description = "auth-2.2 a wrong password, an unknown or a disabled "
                    "user get the same answer") {
  Fx f;
  fx_open(&f);
  fx_user(&f, "admin", ROLE_ADMIN, 0, NULL);
  fx_user(&f, "pedro", ROLE_CONTROL, 0, NULL);
  cr_assert_eq(fx_login(&f, "pedro", "otra-clave-larga", "10.0.0.1", NULL, NULL), LOGIN_BAD);
  cr_assert_eq(fx_login(&f, "nadie", PW, "10.0.0.1", NULL, NULL), LOGIN_BAD);
  cr_assert_eq(fx_login(&f, "", "", "10.0.0.1", NULL, NULL), LOGIN_BAD);
  cr_assert_eq(fx_login(&f, "pedro", "", NULL, NULL, NULL), LOGIN_BAD);
  char *zErr = NULL;
  cr_assert(auth_user_disable(f.db, "pedro", true, "admin", &zErr));
  cr_assert_eq(fx_login(&f, "pedro", PW, "10.0.0.2", NULL, NULL), LOGIN_BAD);
  cr_assert(auth_user_disable(f.db, "pedro", false, "admin", &zErr));
  cr_assert_eq(fx_login(&f, "pedro", PW, "10.0.0.2", NULL, NULL), LOGIN_OK);
  fx_close(&f);
}

Test(auth, unknown_same_time,
     .description = "auth-2.3 an unknown user costs what a known one "
                    "costs") {
  Fx f;
  fx_open(&f);
  fx_user(&f, "pedro", ROLE_CONTROL, 0, NULL);
  double rKnown = fx_login_time(&f, "pedro", "10.0.0.1");
  double rUnknown = fx_login_time(&f, "nadie", "10.0.0.2");
  cr_assert_gt(rUnknown, rKnown / 3, "unknown %.4f s, known %.4f s", rUnknown, rKnown);
  cr_assert_gt(rKnown, rUnknown / 3, "unknown %.4f s, known %.4f s", rUnknown, rKnown);
  fx_close(&f);
}

Test(auth, login_names, .description = "auth-2.4 login names are checked and unique") {
  Fx f;
  fx_open(&f);
  char *zErr = NULL;
  cr_assert_eq(auth_user_add(f.db, "a", "", ROLE_ADMIN, 0, NULL, PW, NULL, "x", &zErr), 0);
  cr_assert_str_eq(zErr, "el nombre de usuario «a» no es válido: use de 2 a 40 letras sin "
                         "tildes, dígitos, «.», «_» o «-»");
  free(zErr);
  zErr = NULL;
  cr_assert_eq(auth_user_add(f.db, "josé", "", ROLE_ADMIN, 0, NULL, PW, NULL, "x", &zErr), 0);
  free(zErr);
  zErr = NULL;
  cr_assert_eq(auth_user_add(f.db, "ana maria", "", ROLE_ADMIN, 0, NULL, PW, NULL, "x", &zErr), 0);
  free(zErr);
  zErr = NULL;
  fx_user(&f, "ana_m-1.x", ROLE_ADMIN, 0, NULL);
  cr_assert_eq(auth_user_add(f.db, "ANA_M-1.X", "", ROLE_ADMIN, 0, NULL, PW, NULL, "x", &zErr), 0);
  cr_assert_str_eq(zErr, "ya existe el usuario «ana_m-1.x»");
  free(zErr);
  zErr = NULL;
  cr_assert_eq(auth_user_add(f.db, "corto", "", ROLE_ADMIN, 0, NULL, "123456789", NULL, "x", &zErr),
               0);
  cr_assert_str_eq(zErr, "la contraseña es muy corta: debe tener al menos 10 caracteres");
  free(zErr);
  zErr = NULL;
  /* ten code points, twelve bytes: long enough */
  fx_user(&f, "tildes", ROLE_ADMIN, 0, NULL);
  cr_assert_neq(
      auth_user_add(f.db, "enes", "", ROLE_ADMIN, 0, NULL, "ññabcdefgh", NULL, "x", &zErr), 0);
  cr_assert_eq(auth_user_count(f.db, ROLE_NONE), 3);
  fx_close(&f);
}

Test(auth, generated_password, .description = "auth-2.5 a generated password must be changed") {
  Fx f;
  fx_open(&f);
  char *zErr = NULL, *zGen = NULL;
  int64_t id = auth_user_add(f.db, "nuevo", "Nuevo Usuario", ROLE_PLANEACION, 0, NULL, NULL, &zGen,
                             "admin", &zErr);
  cr_assert_neq(id, 0, "%s", zErr ? zErr : "");
  cr_assert_not_null(zGen);
  cr_assert_eq(strlen(zGen), 16);
  cr_assert_eq(strcspn(zGen, "0O1lIo"), 16, "no look-alike characters in %s", zGen);
  char *zToken = NULL;
  cr_assert_eq(fx_login(&f, "nuevo", zGen, "10.0.0.1", &zToken, NULL), LOGIN_OK);
  Session s;
  cr_assert(auth_session_load(f.db, zToken, &s));
  cr_assert(s.bMustChange);
  cr_assert(auth_password_change(f.db, &s, zGen, PW2, &zErr), "%s", zErr ? zErr : "");
  cr_assert_not(s.bMustChange);
  auth_session_free(&s);
  cr_assert(auth_session_load(f.db, zToken, &s), "the session that changed it stays");
  cr_assert_not(s.bMustChange);
  auth_session_free(&s);
  free(zToken);
  free(zGen);
  fx_close(&f);
}

Test(auth, password_change, .description = "auth-2.6 password change rules") {
  Fx f;
  fx_open(&f);
  fx_user(&f, "pedro", ROLE_CONTROL, 0, NULL);
  char *zA = NULL, *zB = NULL, *zErr = NULL;
  cr_assert_eq(fx_login(&f, "pedro", PW, "10.0.0.1", &zA, NULL), LOGIN_OK);
  cr_assert_eq(fx_login(&f, "pedro", PW, "10.0.0.2", &zB, NULL), LOGIN_OK);
  Session s;
  cr_assert(auth_session_load(f.db, zA, &s));
  cr_assert_not(auth_password_change(f.db, &s, "no-es-esta", PW2, &zErr));
  cr_assert_str_eq(zErr, "la contraseña actual no es correcta");
  free(zErr);
  cr_assert_not(auth_password_change(f.db, &s, PW, "corta", &zErr));
  cr_assert_str_eq(zErr, "la contraseña es muy corta: debe tener al menos 10 caracteres");
  free(zErr);
  cr_assert_not(auth_password_change(f.db, &s, PW, PW, &zErr));
  cr_assert_str_eq(zErr, "la contraseña nueva debe ser distinta de la actual");
  free(zErr);
  cr_assert(fx_valid(&f, zB), "refused changes end nothing");
  cr_assert(auth_password_change(f.db, &s, PW, PW2, &zErr));
  auth_session_free(&s);
  cr_assert(fx_valid(&f, zA));
  cr_assert_not(fx_valid(&f, zB), "the other sessions ended");
  cr_assert_eq(fx_login(&f, "pedro", PW, "10.0.0.1", NULL, NULL), LOGIN_BAD);
  cr_assert_eq(fx_login(&f, "pedro", PW2, "10.0.0.1", NULL, NULL), LOGIN_OK);
  char *zActor = NULL;
  char *zDetail = fx_log_last(&f, "contraseña", &zActor);
  cr_assert_not_null(zDetail);
  cr_assert_str_eq(zActor, "pedro");
  free(zDetail);
  free(zActor);
  free(zA);
  free(zB);
  fx_close(&f);
}

Test(auth, admin_passwd, .description = "auth-2.7 an administrador resets a password") {
  Fx f;
  fx_open(&f);
  fx_user(&f, "pedro", ROLE_CONTROL, 0, NULL);
  char *zA = NULL, *zErr = NULL, *zGen = NULL;
  cr_assert_eq(fx_login(&f, "pedro", PW, "10.0.0.1", &zA, NULL), LOGIN_OK);
  cr_assert(auth_user_passwd(f.db, "Pedro", NULL, true, &zGen, "admin", &zErr));
  cr_assert_eq(strlen(zGen), 16);
  cr_assert_not(fx_valid(&f, zA), "the user's sessions ended");
  char *zB = NULL;
  cr_assert_eq(fx_login(&f, "pedro", zGen, "10.0.0.1", &zB, NULL), LOGIN_OK);
  Session s;
  cr_assert(auth_session_load(f.db, zB, &s));
  cr_assert(s.bMustChange);
  auth_session_free(&s);
  cr_assert_not(auth_user_passwd(f.db, "pedro", "corta", false, NULL, "admin", &zErr));
  free(zErr);
  cr_assert_not(auth_user_passwd(f.db, "nadie", PW, false, NULL, "admin", &zErr));
  cr_assert_str_eq(zErr, "no existe el usuario «nadie»");
  free(zErr);
  cr_assert(auth_user_passwd(f.db, "pedro", PW2, false, NULL, "admin", &zErr));
  cr_assert_eq(fx_login(&f, "pedro", PW2, "10.0.0.1", NULL, NULL), LOGIN_OK);
  free(zA);
  free(zB);
  free(zGen);
  fx_close(&f);
}

/* ---- throttling ---------------------------------------------------------------------- */

/* Fail n logins of zLogin from zAddr, one second apart from Unix time t;
** each must be refused as a bad password, not throttled. */
static void fx_fail(Fx *f, const char *zLogin, const char *zAddr, int n, int64_t t) {
  for (int i = 0; i < n; i++) {
    set_now(t + i);
    int nWait = -1;
    cr_assert_eq(fx_login(f, zLogin, "mala-clave-123", zAddr, NULL, &nWait), LOGIN_BAD,
                 "failure %d of %s from %s", i + 1, zLogin, zAddr);
    cr_assert_eq(nWait, 0);
  }
}

/* Fail n logins of zLogin from zAddr from time t on, each as soon as the
** limit (nFree, nCap, with nPrior failures counted already) allows; each
** must be refused as a bad password. Returns the time of the last one. */
static int64_t fx_fail_paced(Fx *f, const char *zLogin, const char *zAddr, int n, int64_t t,
                             int nPrior, int nFree, int nCap) {
  int64_t tLast = t;
  for (int i = 0; i < n; i++) {
    fx_fail(f, zLogin, zAddr, 1, t);
    tLast = t;
    t += auth_throttle_delay(nPrior + i + 1, nFree, nCap);
  }
  return tLast;
}

/* The single number zSql gives. */
static long fx_count(Fx *f, const char *zSql) {
  return (long)db_int(f->db, zSql);
}

Test(auth, throttle_schedule,
     .description = "auth-3.1 the delays: free failures, then 1, 2, 4 s ... to the cap") {
  cr_assert_eq(auth_throttle_delay(0, AUTH_PAIR_FREE, AUTH_PAIR_CAP_SEC), 0);
  cr_assert_eq(auth_throttle_delay(4, 5, 300), 0);
  cr_assert_eq(auth_throttle_delay(5, 5, 300), 1);
  cr_assert_eq(auth_throttle_delay(6, 5, 300), 2);
  cr_assert_eq(auth_throttle_delay(7, 5, 300), 4);
  cr_assert_eq(auth_throttle_delay(13, 5, 300), 256);
  cr_assert_eq(auth_throttle_delay(14, 5, 300), 300);
  cr_assert_eq(auth_throttle_delay(5000, 5, 300), 300);
  cr_assert_eq(auth_throttle_delay(29, 30, 60), 0);
  cr_assert_eq(auth_throttle_delay(30, 30, 60), 1);
  cr_assert_eq(auth_throttle_delay(35, 30, 60), 32);
  cr_assert_eq(auth_throttle_delay(36, 30, 60), 60);
  /* the figures the README documents */
  cr_assert_eq(AUTH_PAIR_FREE, 5);
  cr_assert_eq(AUTH_ADDR_FREE, 30);
  cr_assert_eq(AUTH_ACCOUNT_FREE, 10);
  cr_assert_eq(AUTH_PAIR_CAP_SEC, 300);
  cr_assert_eq(AUTH_VALVE_CAP_SEC, 60);
  cr_assert_eq(AUTH_WINDOW_SEC, 900);
  cr_assert_eq(AUTH_TRUST_SEC, 30 * 86400);
}

Test(auth, throttle_pair,
     .description = "auth-3.2 a pair waits 1, 2, 4 s from its newest failure; waiting attempts "
                    "do not count") {
  Fx f;
  fx_open(&f);
  fx_user(&f, "pedro", ROLE_CONTROL, 0, NULL);
  fx_fail(&f, "pedro", "10.0.0.1", AUTH_PAIR_FREE, T0); /* T0 .. T0+4 */
  int nWait = -1;
  set_now(T0 + 4);
  cr_assert_eq(fx_login(&f, "pedro", PW, "10.0.0.1", NULL, &nWait), LOGIN_THROTTLED,
               "the right password waits too: it is not checked");
  cr_assert_eq(nWait, 1);
  for (int i = 0; i < 10; i++) {
    cr_assert_eq(fx_login(&f, "Pedro", "otra-mala-1", "10.0.0.1", NULL, &nWait), LOGIN_THROTTLED);
  }
  cr_assert_eq(nWait, 1, "refused attempts do not lengthen the wait");
  cr_assert_eq(fx_count(&f, "SELECT count(*) FROM login_failure WHERE refused = 0"), 5);
  set_now(T0 + 5);
  cr_assert_eq(fx_login(&f, "pedro", "mala-clave-123", "10.0.0.1", NULL, &nWait), LOGIN_BAD);
  cr_assert_eq(fx_login(&f, "pedro", PW, "10.0.0.1", NULL, &nWait), LOGIN_THROTTLED);
  cr_assert_eq(nWait, 2);
  set_now(T0 + 7);
  cr_assert_eq(fx_login(&f, "pedro", "mala-clave-123", "10.0.0.1", NULL, &nWait), LOGIN_BAD);
  set_now(T0 + 10);
  cr_assert_eq(fx_login(&f, "pedro", PW, "10.0.0.1", NULL, &nWait), LOGIN_THROTTLED);
  cr_assert_eq(nWait, 1, "7 failures: 4 s from T0+7");
  set_now(T0 + 11);
  cr_assert_eq(fx_login(&f, "pedro", PW, "10.0.0.1", NULL, &nWait), LOGIN_OK);
  /* a success forgets the pair's failures: four more pass without waiting */
  cr_assert_eq(fx_count(&f, "SELECT count(*) FROM login_failure WHERE refused = 0"), 0);
  fx_fail(&f, "pedro", "10.0.0.1", AUTH_PAIR_FREE - 1, T0 + 11);
  fx_close(&f);
}

Test(auth, throttle_pair_cap, .description = "auth-3.3 a pair's wait stops growing at the cap") {
  Fx f;
  fx_open(&f);
  fx_user(&f, "pedro", ROLE_CONTROL, 0, NULL);
  int64_t tLast =
      fx_fail_paced(&f, "pedro", "10.0.0.1", 14, T0, 0, AUTH_PAIR_FREE, AUTH_PAIR_CAP_SEC);
  /* five at T0, then T0+1, 3, 7, 15, 31, 63, 127, 255, 511: all in the window */
  cr_assert_eq(tLast, T0 + 511);
  int nWait = 0;
  set_now(tLast);
  cr_assert_eq(fx_login(&f, "pedro", PW, "10.0.0.1", NULL, &nWait), LOGIN_THROTTLED);
  cr_assert_eq(nWait, AUTH_PAIR_CAP_SEC);
  set_now(tLast + AUTH_PAIR_CAP_SEC - 1);
  cr_assert_eq(fx_login(&f, "pedro", PW, "10.0.0.1", NULL, &nWait), LOGIN_THROTTLED);
  cr_assert_eq(nWait, 1);
  set_now(tLast + AUTH_PAIR_CAP_SEC);
  cr_assert_eq(fx_login(&f, "pedro", PW, "10.0.0.1", NULL, &nWait), LOGIN_OK);
  fx_close(&f);
}

Test(auth, throttle_no_account_lock,
     .description = "auth-3.4 five failures on admin from one address do not lock admin from "
                    "another") {
  Fx f;
  fx_open(&f);
  fx_user(&f, "admin", ROLE_ADMIN, 0, NULL);
  fx_fail(&f, "admin", "203.0.113.66", AUTH_PAIR_FREE, T0);
  int nWait = -1;
  set_now(T0 + 4);
  cr_assert_eq(fx_login(&f, "admin", PW, "198.51.100.20", NULL, &nWait), LOGIN_OK);
  cr_assert_eq(nWait, 0);
  cr_assert_eq(fx_login(&f, "admin", PW, "203.0.113.66", NULL, &nWait), LOGIN_THROTTLED);
  cr_assert_eq(nWait, 1);
  fx_close(&f);
}

Test(auth, throttle_shared_address,
     .description = "auth-3.5 failures of others from a shared proxy address do not stop an "
                    "official") {
  Fx f;
  fx_open(&f);
  fx_user(&f, "pedro", ROLE_CONTROL, 0, NULL);
  fx_user(&f, "ana", ROLE_PLANEACION, 0, NULL);
  /* pedro signed in from the proxy yesterday */
  set_now(T0 - 86400);
  cr_assert_eq(fx_login(&f, "pedro", PW, "192.0.2.1", NULL, NULL), LOGIN_OK);
  char zLogin[32];
  for (int i = 0; i < 20; i++) {
    snprintf(zLogin, sizeof zLogin, "vecino%d", i);
    fx_fail(&f, zLogin, "192.0.2.1", 1, T0 + i);
  }
  int nWait = -1;
  set_now(T0 + 20);
  cr_assert_eq(fx_login(&f, "ana", PW, "192.0.2.1", NULL, &nWait), LOGIN_OK,
               "20 failures of others from the same address do not stop her");
  cr_assert_eq(fx_login(&f, "pedro", PW, "192.0.2.1", NULL, &nWait), LOGIN_OK);
  /* 20 more, as fast as the address is let: now it waits, except for the
  ** accounts that signed in from there */
  int64_t t = T0 + 21;
  int64_t tLast = t;
  for (int i = 20; i < 40; i++) {
    snprintf(zLogin, sizeof zLogin, "vecino%d", i);
    tLast = fx_fail_paced(&f, zLogin, "192.0.2.1", 1, t, i, AUTH_ADDR_FREE, AUTH_VALVE_CAP_SEC);
    t = tLast + auth_throttle_delay(i + 1, AUTH_ADDR_FREE, AUTH_VALVE_CAP_SEC);
  }
  cr_assert_eq(tLast, T0 + 21 + 1 + 2 + 4 + 8 + 16 + 32 + 60 + 60 + 60 + 60);
  set_now(tLast);
  cr_assert_eq(fx_login(&f, "nueva", PW, "192.0.2.1", NULL, &nWait), LOGIN_THROTTLED);
  cr_assert_eq(nWait, AUTH_VALVE_CAP_SEC, "40 failures from the address");
  cr_assert_eq(fx_login(&f, "pedro", PW, "192.0.2.1", NULL, &nWait), LOGIN_OK,
               "pedro signed in from there before");
  cr_assert_eq(fx_login(&f, "ana", PW, "192.0.2.1", NULL, &nWait), LOGIN_OK,
               "ana signed in from there at T0+20");
  cr_assert_eq(fx_login(&f, "nueva", PW, "198.51.100.20", NULL, &nWait), LOGIN_BAD,
               "another address is not slowed");
  cr_assert_eq(nWait, 0);
  fx_close(&f);
}

Test(auth, throttle_distributed,
     .description = "auth-3.6 guessing one account from many addresses slows it, never where it "
                    "signed in before") {
  Fx f;
  fx_open(&f);
  fx_user(&f, "pedro", ROLE_CONTROL, 0, NULL);
  set_now(T0 - 7 * 86400);
  cr_assert_eq(fx_login(&f, "pedro", PW, "10.0.0.1", NULL, NULL), LOGIN_OK);
  char zAddr[32];
  int64_t t = T0;
  int64_t tLast = t;
  for (int i = 0; i < 20; i++) {
    snprintf(zAddr, sizeof zAddr, "10.1.0.%d", i + 1);
    tLast = fx_fail_paced(&f, "pedro", zAddr, 1, t, i, AUTH_ACCOUNT_FREE, AUTH_VALVE_CAP_SEC);
    t = tLast + auth_throttle_delay(i + 1, AUTH_ACCOUNT_FREE, AUTH_VALVE_CAP_SEC);
  }
  cr_assert_eq(tLast, T0 + 1 + 2 + 4 + 8 + 16 + 32 + 60 + 60 + 60 + 60);
  int nWait = -1;
  set_now(tLast);
  cr_assert_eq(fx_login(&f, "pedro", PW, "203.0.113.9", NULL, &nWait), LOGIN_THROTTLED,
               "a new address waits");
  cr_assert_eq(nWait, AUTH_VALVE_CAP_SEC);
  cr_assert_eq(fx_login(&f, "pedro", PW, "10.0.0.1", NULL, &nWait), LOGIN_OK,
               "the address it used a week ago is not affected");
  set_now(tLast + AUTH_VALVE_CAP_SEC);
  cr_assert_eq(fx_login(&f, "pedro", PW, "203.0.113.9", NULL, &nWait), LOGIN_OK,
               "slowed, never locked");
  fx_close(&f);
}

Test(auth, throttle_pair_of_trusted,
     .description = "auth-3.7 failures on the pair an official uses slow that pair; elsewhere "
                    "only the account's valve") {
  Fx f;
  fx_open(&f);
  fx_user(&f, "pedro", ROLE_CONTROL, 0, NULL);
  cr_assert_eq(fx_login(&f, "pedro", PW, "192.0.2.1", NULL, NULL), LOGIN_OK);
  int64_t tLast =
      fx_fail_paced(&f, "pedro", "192.0.2.1", 10, T0 + 1, 0, AUTH_PAIR_FREE, AUTH_PAIR_CAP_SEC);
  cr_assert_eq(tLast, T0 + 32);
  int nWait = -1;
  set_now(tLast);
  cr_assert_eq(fx_login(&f, "pedro", PW, "192.0.2.1", NULL, &nWait), LOGIN_THROTTLED);
  cr_assert_eq(nWait, 32);
  cr_assert_eq(fx_login(&f, "pedro", PW, "198.51.100.20", NULL, &nWait), LOGIN_THROTTLED,
               "10 failures on the account: the valve's first second");
  cr_assert_eq(nWait, 1);
  set_now(tLast + 1);
  cr_assert_eq(fx_login(&f, "pedro", PW, "198.51.100.20", NULL, &nWait), LOGIN_OK);
  fx_close(&f);
}

Test(auth, throttle_log,
     .description = "auth-3.8 an unknown account waits like a known one; the log keeps neither "
                    "its name nor the whole address") {
  Fx f;
  fx_open(&f);
  fx_user(&f, "pedro", ROLE_CONTROL, 0, NULL);
  long nBefore = fx_count(&f, "SELECT count(*) FROM change_log");
  fx_fail(&f, "Nadie.Secreto", "10.20.30.40", AUTH_PAIR_FREE, T0);
  int nWait = 0;
  set_now(T0 + 4);
  cr_assert_eq(fx_login(&f, "nadie.secreto", "x", "10.20.30.40", NULL, &nWait), LOGIN_THROTTLED);
  cr_assert_eq(nWait, 1);
  cr_assert_eq(fx_login(&f, "nadie.secreto", "x", "10.20.30.40", NULL, &nWait), LOGIN_THROTTLED);
  fx_fail(&f, "pedro", "2001:db8:abcd:12::7", AUTH_PAIR_FREE, T0 + 10);
  set_now(T0 + 14);
  cr_assert_eq(fx_login(&f, "pedro", PW, "2001:db8:abcd:12::7", NULL, &nWait), LOGIN_THROTTLED);
  cr_assert_eq(fx_login(&f, "pedro", PW, "2001:db8:abcd:12::7", NULL, &nWait), LOGIN_THROTTLED);
  /* one entry per limit, key and window; failures themselves write none */
  cr_assert_eq(fx_count(&f, "SELECT count(*) FROM change_log"), nBefore + 2);
  cr_assert_eq(fx_log_count(&f, "frenar"), 2);
  Stmt *s = db_prepare(f.db, "SELECT actor, coalesce(object_id, 0), detail FROM change_log "
                             "WHERE action = 'frenar' ORDER BY id");
  cr_assert(db_step(s));
  cr_assert_str_eq(db_col_text(s, 0), "sistema");
  cr_assert_eq(db_col_int(s, 1), 0);
  cr_assert_str_eq(db_col_text(s, 2), "ingreso a usuario desconocido desde 10.20.30.0/24 frenado "
                                      "1 s: 5 intentos fallidos a esa cuenta desde esa dirección "
                                      "en 15 minutos");
  cr_assert(db_step(s));
  cr_assert_str_eq(db_col_text(s, 2), "ingreso a «pedro» desde 2001:db8:abcd::/48 frenado 1 s: 5 "
                                      "intentos fallidos a esa cuenta desde esa dirección en 15 "
                                      "minutos");
  db_finalize(s);
  cr_assert_eq(fx_count(&f, "SELECT count(*) FROM change_log WHERE detail LIKE '%secreto%' OR "
                            "detail LIKE '%10.20.30.40%' OR detail LIKE '%12::7%'"),
               0);
  /* a new window, a new entry */
  fx_fail(&f, "Nadie.Secreto", "10.20.30.40", AUTH_PAIR_FREE, T0 + AUTH_WINDOW_SEC + 10);
  set_now(T0 + AUTH_WINDOW_SEC + 14);
  cr_assert_eq(fx_login(&f, "nadie.secreto", "x", "10.20.30.40", NULL, &nWait), LOGIN_THROTTLED);
  cr_assert_eq(fx_log_count(&f, "frenar"), 3);
  /* the chain stays whole */
  Buf out = BUF_INIT;
  cr_assert_eq(audit_verify(f.db, &out), 0, "%s", buf_str(&out));
  buf_reset(&out);
  fx_close(&f);
}

Test(auth, address_mask, .description = "auth-3.9 addresses in the log are cut to their network") {
  static const char *const a[][2] = {
      {"203.0.113.45", "203.0.113.0/24"},
      {"10.0.0.1", "10.0.0.0/24"},
      {"::ffff:198.51.100.7", "198.51.100.0/24"},
      {"2001:db8:abcd:12:1:2:3:4", "2001:db8:abcd::/48"},
      {"::1", "::/48"},
      {"", ""},
      {"no-es-una-direccion", ""},
      {"10.0.0.1:8080", ""},
  };
  for (size_t i = 0; i < sizeof a / sizeof a[0]; i++) {
    char *z = auth_address_mask_dup(a[i][0]);
    cr_assert_str_eq(z, a[i][1], "%s", a[i][0]);
    free(z);
  }
  char *z = auth_address_mask_dup(NULL);
  cr_assert_str_eq(z, "");
  free(z);
}

Test(auth, unlock_account,
     .description = "auth-3.10 the administrador clears an account's failures") {
  Fx f;
  fx_open(&f);
  fx_user(&f, "pedro", ROLE_CONTROL, 0, NULL);
  int64_t tLast =
      fx_fail_paced(&f, "pedro", "10.0.0.1", 7, T0, 0, AUTH_PAIR_FREE, AUTH_PAIR_CAP_SEC);
  cr_assert_eq(tLast, T0 + 3);
  fx_fail(&f, "PEDRO", "10.0.0.2", 2, T0 + 3);
  fx_fail(&f, "otro", "10.0.0.1", 1, T0 + 3);
  int nWait = 0;
  set_now(T0 + 4);
  cr_assert_eq(auth_user_failures(f.db, "pedro", &nWait), 9);
  cr_assert_eq(nWait, 3, "7 failures: 4 s from T0+3");
  cr_assert_eq(fx_login(&f, "pedro", PW, "10.0.0.1", NULL, &nWait), LOGIN_THROTTLED);
  int nCleared = -1;
  char *zErr = NULL;
  cr_assert(auth_user_unlock(f.db, "Pedro", "admin", &nCleared, &zErr));
  cr_assert_eq(nCleared, 9);
  cr_assert_eq(auth_user_failures(f.db, "pedro", &nWait), 0);
  cr_assert_eq(nWait, 0);
  cr_assert_eq(fx_count(&f, "SELECT count(*) FROM login_failure"), 1, "otro's stays");
  cr_assert_eq(fx_login(&f, "pedro", PW, "10.0.0.1", NULL, &nWait), LOGIN_OK);
  char *zActor = NULL;
  char *zDetail = fx_log_last(&f, "desbloquear", &zActor);
  cr_assert_str_eq(zDetail, "intentos fallidos de ingreso a «pedro» borrados: 9; puede "
                            "intentarlo de nuevo sin esperar");
  cr_assert_str_eq(zActor, "admin");
  free(zDetail);
  free(zActor);
  /* nothing to clear: nothing logged */
  cr_assert(auth_user_unlock(f.db, "pedro", "admin", &nCleared, &zErr));
  cr_assert_eq(nCleared, 0);
  cr_assert_eq(fx_log_count(&f, "desbloquear"), 1);
  cr_assert_not(auth_user_unlock(f.db, "nadie", "admin", &nCleared, &zErr));
  cr_assert_str_eq(zErr, "no existe el usuario «nadie»");
  free(zErr);
  fx_close(&f);
}

Test(auth, unlock_address,
     .description = "auth-3.11 the administrador clears an address's failures; the log names "
                    "accounts, never the address") {
  Fx f;
  fx_open(&f);
  fx_user(&f, "pedro", ROLE_CONTROL, 0, NULL);
  fx_fail(&f, "pedro", "192.0.2.1", 2, T0);
  char zLogin[32];
  for (int i = 0; i < 10; i++) {
    snprintf(zLogin, sizeof zLogin, "x%d", i);
    fx_fail(&f, zLogin, "192.0.2.1", 1, T0 + 2 + i);
  }
  fx_fail(&f, "pedro", "10.0.0.5", AUTH_PAIR_FREE, T0 + 10);
  set_now(T0 + 14);
  ThrottleInfo *a;
  int n = auth_throttles(f.db, &a);
  cr_assert_eq(n, 2);
  cr_assert_str_eq(a[0].zAddr, "192.0.2.1");
  cr_assert_eq(a[0].nFail, 12);
  cr_assert_eq(a[0].nAccount, 11);
  cr_assert_eq(a[0].nWaitSec, 0);
  cr_assert_str_eq(a[1].zAddr, "10.0.0.5");
  cr_assert_eq(a[1].nFail, 5);
  cr_assert_eq(a[1].nAccount, 1);
  cr_assert_eq(a[1].nWaitSec, 1);
  auth_throttles_free(n, a);
  cr_assert_eq(auth_address_unlock(f.db, "192.0.2.1", "admin"), 12);
  cr_assert_eq(fx_count(&f, "SELECT count(*) FROM login_failure"), 5);
  char *zActor = NULL;
  char *zDetail = fx_log_last(&f, "desbloquear", &zActor);
  cr_assert_str_eq(zDetail, "intentos fallidos de ingreso desde una dirección borrados: 12; "
                            "cuentas: «pedro»; 10 a usuarios desconocidos");
  cr_assert_str_eq(zActor, "admin");
  free(zDetail);
  free(zActor);
  cr_assert_eq(fx_count(&f, "SELECT count(*) FROM change_log WHERE detail LIKE '%192.0.2%' OR "
                            "detail LIKE '%x1%'"),
               0);
  cr_assert_eq(auth_address_unlock(f.db, "192.0.2.1", "admin"), 0);
  cr_assert_eq(fx_log_count(&f, "desbloquear"), 1);
  fx_close(&f);
}

Test(auth, prune,
     .description = "auth-3.12 throttling data leaves with its window; trust keeps "
                    "no address") {
  Fx f;
  fx_open(&f);
  fx_user(&f, "pedro", ROLE_CONTROL, 0, NULL);
  cr_assert_eq(fx_login(&f, "pedro", PW, "10.0.0.1", NULL, NULL), LOGIN_OK);
  fx_fail(&f, "mal.escrito", "10.0.0.2", 2, T0); /* T0, T0+1 */
  cr_assert_eq(fx_count(&f, "SELECT count(*) FROM login_trust"), 1);
  cr_assert_eq(fx_count(&f, "SELECT count(*) FROM login_trust WHERE length(tag) = 32 AND tag "
                            "NOT LIKE '%10.0.0%'"),
               1);
  set_now(T0 + AUTH_WINDOW_SEC - 1);
  cr_assert_eq(auth_prune(f.db), 0);
  set_now(T0 + AUTH_WINDOW_SEC);
  cr_assert_eq(auth_prune(f.db), 1);
  set_now(T0 + AUTH_WINDOW_SEC + 1);
  cr_assert_eq(auth_prune(f.db), 1);
  cr_assert_eq(fx_count(&f, "SELECT count(*) FROM login_failure"), 0);
  set_now(T0 + SESSION_IDLE_SEC);
  cr_assert_eq(auth_prune(f.db), 1, "the session, idle");
  set_now(T0 + AUTH_TRUST_SEC - 1);
  cr_assert_eq(auth_prune(f.db), 0);
  set_now(T0 + AUTH_TRUST_SEC);
  cr_assert_eq(auth_prune(f.db), 1, "the trust");
  cr_assert_eq(fx_count(&f, "SELECT count(*) FROM login_trust"), 0);
  /* every login prunes too */
  fx_fail(&f, "mal.escrito", "10.0.0.2", 1, T0 + AUTH_TRUST_SEC);
  set_now(T0 + AUTH_TRUST_SEC + AUTH_WINDOW_SEC);
  cr_assert_eq(fx_login(&f, "pedro", PW, "10.0.0.1", NULL, NULL), LOGIN_OK);
  cr_assert_eq(fx_count(&f, "SELECT count(*) FROM login_failure WHERE login = 'mal.escrito'"), 0);
  fx_close(&f);
}

/* ---- sessions ---------------------------------------------------------------------- */

Test(auth, session_idle, .description = "auth-4.1 a session unused for the idle time ends") {
  Fx f;
  fx_open(&f);
  fx_user(&f, "pedro", ROLE_CONTROL, 0, NULL);
  char *zToken = NULL;
  cr_assert_eq(fx_login(&f, "pedro", PW, "10.0.0.1", &zToken, NULL), LOGIN_OK);
  /* a use within the first minute does not move the last-use time */
  set_now(T0 + 30);
  cr_assert(fx_valid(&f, zToken));
  set_now(T0 + SESSION_IDLE_SEC - 1);
  cr_assert(fx_valid(&f, zToken), "used just in time");
  set_now(T0 + 2 * SESSION_IDLE_SEC - 2);
  cr_assert(fx_valid(&f, zToken), "the last use counts from then");
  set_now(T0 + 3 * SESSION_IDLE_SEC - 2);
  cr_assert_not(fx_valid(&f, zToken), "idle for the whole time");
  set_now(T0 + 3 * SESSION_IDLE_SEC - 100);
  cr_assert_not(fx_valid(&f, zToken), "an expired session is gone");
  free(zToken);

  set_now(T0);
  cr_assert_eq(fx_login(&f, "pedro", PW, "10.0.0.1", &zToken, NULL), LOGIN_OK);
  set_now(T0 + 30);
  cr_assert(fx_valid(&f, zToken));
  set_now(T0 + SESSION_IDLE_SEC);
  cr_assert_not(fx_valid(&f, zToken), "a use in the first minute was not recorded");
  free(zToken);
  fx_close(&f);
}

Test(auth, session_absolute, .description = "auth-4.2 no session lasts past the maximum") {
  Fx f;
  fx_open(&f);
  fx_user(&f, "pedro", ROLE_CONTROL, 0, NULL);
  char *zToken = NULL;
  cr_assert_eq(fx_login(&f, "pedro", PW, "10.0.0.1", &zToken, NULL), LOGIN_OK);
  for (int64_t t = 3600; t < SESSION_MAX_SEC; t += 3600) {
    set_now(T0 + t);
    cr_assert(fx_valid(&f, zToken), "used every hour: valid at %lld s", (long long)t);
  }
  set_now(T0 + SESSION_MAX_SEC);
  cr_assert_not(fx_valid(&f, zToken));
  free(zToken);
  fx_close(&f);
}

Test(auth, logout, .description = "auth-4.3 logout ends the session; bad tokens are refused") {
  Fx f;
  fx_open(&f);
  fx_user(&f, "pedro", ROLE_CONTROL, 0, NULL);
  char *zA = NULL, *zB = NULL;
  cr_assert_eq(fx_login(&f, "pedro", PW, "10.0.0.1", &zA, NULL), LOGIN_OK);
  cr_assert_eq(fx_login(&f, "pedro", PW, "10.0.0.1", &zB, NULL), LOGIN_OK);
  cr_assert_str_neq(zA, zB);
  auth_logout(f.db, zA);
  cr_assert_not(fx_valid(&f, zA));
  cr_assert(fx_valid(&f, zB), "only that session ends");
  auth_logout(f.db, zA);
  auth_logout(f.db, "no-es-un-token");
  auth_logout(f.db, NULL);
  cr_assert_not(fx_valid(&f, NULL));
  cr_assert_not(fx_valid(&f, ""));
  cr_assert_not(fx_valid(&f, "abc"));
  char zBad[AUTH_TOKEN_CHARS + 1];
  memcpy(zBad, zB, sizeof zBad);
  zBad[5] = '!';
  cr_assert_not(fx_valid(&f, zBad));
  char zLong[AUTH_TOKEN_CHARS + 2];
  snprintf(zLong, sizeof zLong, "%sA", zB);
  cr_assert_not(fx_valid(&f, zLong));
  char zOther[AUTH_TOKEN_CHARS + 1];
  auth_random_token(zOther);
  cr_assert_not(fx_valid(&f, zOther));
  Session s;
  memset(&s, 0x55, sizeof s);
  cr_assert_not(auth_session_load(f.db, zOther, &s));
  auth_session_free(&s); /* a refused load leaves nothing to free */
  free(zA);
  free(zB);
  fx_close(&f);
}

Test(auth, disabled_sessions, .description = "auth-4.4 disabling a user ends its sessions") {
  Fx f;
  fx_open(&f);
  fx_user(&f, "admin", ROLE_ADMIN, 0, NULL);
  fx_user(&f, "pedro", ROLE_CONTROL, 0, NULL);
  char *zA = NULL, *zErr = NULL;
  cr_assert_eq(fx_login(&f, "pedro", PW, "10.0.0.1", &zA, NULL), LOGIN_OK);
  cr_assert(auth_user_disable(f.db, "pedro", true, "admin", &zErr));
  cr_assert_not(fx_valid(&f, zA));
  cr_assert_eq(auth_user_count(f.db, ROLE_CONTROL), 0);
  cr_assert(auth_user_disable(f.db, "pedro", false, "admin", &zErr));
  cr_assert_not(fx_valid(&f, zA), "enabling it again does not bring sessions back");
  cr_assert_eq(auth_user_count(f.db, ROLE_CONTROL), 1);
  cr_assert_not(auth_user_disable(f.db, "nadie", true, "admin", &zErr));
  cr_assert_str_eq(zErr, "no existe el usuario «nadie»");
  free(zErr);
  free(zA);
  fx_close(&f);
}

Test(auth, csrf, .description = "auth-4.5 the CSRF check") {
  Fx f;
  fx_open(&f);
  fx_user(&f, "pedro", ROLE_CONTROL, 0, NULL);
  char *zA = NULL, *zB = NULL;
  cr_assert_eq(fx_login(&f, "pedro", PW, "10.0.0.1", &zA, NULL), LOGIN_OK);
  cr_assert_eq(fx_login(&f, "pedro", PW, "10.0.0.1", &zB, NULL), LOGIN_OK);
  Session a, b;
  cr_assert(auth_session_load(f.db, zA, &a));
  cr_assert(auth_session_load(f.db, zB, &b));
  char zCopy[AUTH_TOKEN_CHARS + 1];
  memcpy(zCopy, a.zCsrf, sizeof zCopy);
  cr_assert(auth_csrf_ok(&a, zCopy));
  cr_assert_not(auth_csrf_ok(&a, b.zCsrf), "another session's token");
  cr_assert_not(auth_csrf_ok(&a, zA), "the session token is not the CSRF token");
  cr_assert_not(auth_csrf_ok(&a, NULL));
  cr_assert_not(auth_csrf_ok(&a, ""));
  zCopy[AUTH_TOKEN_CHARS - 1] = 0;
  cr_assert_not(auth_csrf_ok(&a, zCopy), "a prefix");
  cr_assert_not(auth_csrf_ok(NULL, b.zCsrf));
  Session none;
  memset(&none, 0, sizeof none);
  cr_assert_not(auth_csrf_ok(&none, ""));
  auth_session_free(&a);
  auth_session_free(&b);
  free(zA);
  free(zB);
  fx_close(&f);
}

/* ---- roles and offices ---------------------------------------------------------------- */

Test(auth, last_admin, .description = "auth-5.1 the last administrador stays") {
  Fx f;
  fx_open(&f);
  fx_user(&f, "admin", ROLE_ADMIN, 0, NULL);
  char *zErr = NULL;
  cr_assert_not(auth_user_disable(f.db, "admin", true, "admin", &zErr));
  cr_assert_str_eq(zErr, "no se puede deshabilitar «admin»: es el único administrador "
                         "habilitado; habilite o cree otro primero");
  free(zErr);
  cr_assert_not(auth_user_set_role(f.db, "admin", ROLE_PLANEACION, 0, NULL, "admin", &zErr));
  free(zErr);
  fx_user(&f, "admin2", ROLE_ADMIN, 0, NULL);
  cr_assert(auth_user_disable(f.db, "admin", true, "admin2", &zErr));
  cr_assert_not(auth_user_disable(f.db, "admin2", true, "admin2", &zErr));
  free(zErr);
  cr_assert(auth_user_disable(f.db, "admin", false, "admin2", &zErr));
  cr_assert(auth_user_set_role(f.db, "admin2", ROLE_PLANEACION, 0, NULL, "admin", &zErr));
  cr_assert_eq(auth_user_count(f.db, ROLE_ADMIN), 1);
  cr_assert_eq(auth_user_count(f.db, ROLE_PLANEACION), 1);
  cr_assert_eq(auth_user_count(f.db, ROLE_NONE), 2);
  fx_close(&f);
}

Test(auth, responsable_offices, .description = "auth-5.2 a responsable needs known offices") {
  Fx f;
  fx_open(&f);
  char *zErr = NULL;
  cr_assert_eq(auth_user_add(f.db, "resp", "", ROLE_RESPONSABLE, 0, NULL, PW, NULL, "admin", &zErr),
               0);
  cr_assert_str_eq(zErr, "un responsable necesita al menos una dependencia: las actividades "
                         "que reporta son las de sus dependencias");
  free(zErr);
  const char *azBad[] = {"Secretaría de Participación", "Oficina Inexistente"};
  cr_assert_eq(
      auth_user_add(f.db, "resp", "", ROLE_RESPONSABLE, 2, azBad, PW, NULL, "admin", &zErr), 0);
  cr_assert_str_eq(zErr,
                   "no existe la dependencia «Oficina Inexistente» en el catálogo de dependencias");
  free(zErr);
  cr_assert_eq(auth_user_add(f.db, "plan", "", ROLE_PLANEACION, 1, azBad, PW, NULL, "admin", &zErr),
               0);
  cr_assert_str_eq(zErr, "solo el rol responsable tiene dependencias; el rol Planeación no las "
                         "lleva");
  free(zErr);
  cr_assert_eq(auth_user_count(f.db, ROLE_NONE), 0, "nothing was written");
  cr_assert_eq(fx_log_count(&f, "crear"), 0);
  /* names and aliases match ignoring case, accents and spacing; repeats count once */
  const char *azOk[] = {"  SECRETARIA de participación ", "oficina asesora de prensa",
                        "Oficina de Prensa"};
  int64_t id = fx_user(&f, "resp", ROLE_RESPONSABLE, 3, azOk);
  char *zToken = NULL;
  cr_assert_eq(fx_login(&f, "resp", PW, "10.0.0.1", &zToken, NULL), LOGIN_OK);
  Session s;
  cr_assert(auth_session_load(f.db, zToken, &s));
  cr_assert_eq(s.iUser, id);
  cr_assert_eq(s.nOffice, 2);
  cr_assert_str_eq(s.azOffice[0], "Oficina de Prensa");
  cr_assert_str_eq(s.azOffice[1], "Secretaría de Participación");
  auth_session_free(&s);
  free(zToken);
  fx_close(&f);
}

Test(auth, owns_activity, .description = "auth-5.3 a responsable owns its offices' activities") {
  Fx f;
  fx_open(&f);
  const char *azOffice[] = {"Oficina de Prensa"};
  fx_user(&f, "resp", ROLE_RESPONSABLE, 1, azOffice);
  fx_user(&f, "plan", ROLE_PLANEACION, 0, NULL);
  int64_t aiAct[4] = {0};
  Stmt *st = db_prepare(f.db, "SELECT item, id FROM activity");
  while (db_step(st)) {
    aiAct[db_col_int(st, 0)] = db_col_int(st, 1);
  }
  db_finalize(st);
  char *zToken = NULL;
  Session s;
  cr_assert_eq(fx_login(&f, "resp", PW, "10.0.0.1", &zToken, NULL), LOGIN_OK);
  cr_assert(auth_session_load(f.db, zToken, &s));
  cr_assert_not(auth_owns_activity(f.db, &s, aiAct[1]));
  cr_assert(auth_owns_activity(f.db, &s, aiAct[2]));
  cr_assert(auth_owns_activity(f.db, &s, aiAct[3]), "item 3's office was merged into it");
  cr_assert_not(auth_owns_activity(f.db, &s, 999999));
  auth_session_free(&s);
  free(zToken);
  cr_assert_eq(fx_login(&f, "plan", PW, "10.0.0.1", &zToken, NULL), LOGIN_OK);
  cr_assert(auth_session_load(f.db, zToken, &s));
  cr_assert_not(auth_owns_activity(f.db, &s, aiAct[2]), "only a responsable owns activities");
  auth_session_free(&s);
  free(zToken);
  fx_close(&f);
}

Test(auth, set_role, .description = "auth-5.4 role changes apply to open sessions") {
  Fx f;
  fx_open(&f);
  fx_user(&f, "admin", ROLE_ADMIN, 0, NULL);
  fx_user(&f, "pedro", ROLE_CONTROL, 0, NULL);
  char *zToken = NULL, *zErr = NULL;
  cr_assert_eq(fx_login(&f, "pedro", PW, "10.0.0.1", &zToken, NULL), LOGIN_OK);
  cr_assert_not(auth_user_set_role(f.db, "pedro", ROLE_RESPONSABLE, 0, NULL, "admin", &zErr));
  free(zErr);
  const char *azOffice[] = {"Oficina de Prensa"};
  cr_assert(auth_user_set_role(f.db, "pedro", ROLE_RESPONSABLE, 1, azOffice, "admin", &zErr));
  Session s;
  cr_assert(auth_session_load(f.db, zToken, &s));
  cr_assert_eq(s.eRole, ROLE_RESPONSABLE);
  cr_assert_eq(s.nOffice, 1);
  auth_session_free(&s);
  cr_assert(auth_user_set_role(f.db, "pedro", ROLE_CONTROL, 0, NULL, "admin", &zErr));
  cr_assert(auth_session_load(f.db, zToken, &s));
  cr_assert_eq(s.eRole, ROLE_CONTROL);
  cr_assert_eq(s.nOffice, 0, "offices go with the responsable role");
  auth_session_free(&s);
  free(zToken);
  fx_close(&f);
}

Test(auth, office_merge, .description = "auth-5.5 merging offices keeps a responsable's office") {
  Fx f;
  fx_open(&f);
  const char *azOffice[] = {"Secretaría de Participación"};
  int64_t id = fx_user(&f, "resp", ROLE_RESPONSABLE, 1, azOffice);
  char *zErr = NULL;
  cr_assert(
      office_merge(f.db, "Oficina de Prensa", "Secretaría de Participación", "prueba", &zErr));
  UserInfo *a;
  int n = auth_users(f.db, &a);
  cr_assert_eq(n, 1);
  cr_assert_eq(a[0].id, id);
  cr_assert_str_eq(a[0].zOffices, "Oficina de Prensa");
  auth_users_free(n, a);
  fx_close(&f);
}

/* ---- listing and change log ------------------------------------------------------------ */

Test(auth, audit, .description = "auth-6.1 every change goes to the change log") {
  Fx f;
  fx_open(&f);
  char *zErr = NULL;
  const char *azOffice[] = {"Oficina de Prensa"};
  fx_user(&f, "admin", ROLE_ADMIN, 0, NULL);
  int64_t id = fx_user(&f, "resp", ROLE_RESPONSABLE, 1, azOffice);
  char *zActor = NULL;
  char *zDetail = fx_log_last(&f, "crear", &zActor);
  cr_assert_str_eq(zDetail, "usuario «resp» creado con el rol Responsable; dependencias: "
                            "Oficina de Prensa");
  cr_assert_str_eq(zActor, "admin");
  free(zDetail);
  free(zActor);
  cr_assert(auth_user_passwd(f.db, "resp", PW2, true, NULL, "admin", &zErr));
  cr_assert(auth_user_disable(f.db, "resp", true, "admin", &zErr));
  cr_assert(auth_user_disable(f.db, "resp", true, "admin", &zErr), "disabling twice is fine");
  cr_assert(auth_user_disable(f.db, "resp", false, "admin", &zErr));
  cr_assert(auth_user_set_role(f.db, "resp", ROLE_CONTROL, 0, NULL, "admin", &zErr));
  cr_assert_eq(fx_log_count(&f, "crear"), 2);
  cr_assert_eq(fx_log_count(&f, "contraseña"), 1);
  cr_assert_eq(fx_log_count(&f, "deshabilitar"), 1, "a change that changes nothing is not logged");
  cr_assert_eq(fx_log_count(&f, "habilitar"), 1);
  cr_assert_eq(fx_log_count(&f, "rol"), 1);
  Stmt *s = db_prepare(f.db, "SELECT count(*) FROM change_log WHERE object = 'usuario' AND "
                             "object_id = :id");
  db_bind_int(s, ":id", id);
  cr_assert(db_step(s));
  cr_assert_eq(db_col_int(s, 0), 5);
  db_finalize(s);
  /* no password ever reaches the log */
  s = db_prepare(f.db, "SELECT count(*) FROM change_log WHERE detail LIKE :a OR detail LIKE :b");
  db_bind_text(s, ":a", "%" PW "%");
  db_bind_text(s, ":b", "%" PW2 "%");
  cr_assert(db_step(s));
  cr_assert_eq(db_col_int(s, 0), 0);
  db_finalize(s);
  fx_close(&f);
}

Test(auth, list_text, .description = "auth-6.2 the user listing") {
  Fx f;
  fx_open(&f);
  Buf out = BUF_INIT;
  auth_user_list_text(f.db, &out);
  cr_assert_str_eq(buf_str(&out), "No hay usuarios. Cree el primero con «participa user add "
                                  "USUARIO --role administrador».\n");
  buf_clear(&out);
  const char *azOffice[] = {"Oficina de Prensa", "Secretaría de Participación"};
  fx_user(&f, "admin", ROLE_ADMIN, 0, NULL);
  fx_user(&f, "resp", ROLE_RESPONSABLE, 2, azOffice);
  char *zErr = NULL;
  cr_assert(auth_user_disable(f.db, "resp", true, "admin", &zErr));
  set_now(T0 + 61);
  cr_assert_eq(fx_login(&f, "admin", PW, "10.0.0.1", NULL, NULL), LOGIN_OK);
  auth_user_list_text(f.db, &out);
  cr_assert_str_eq(buf_str(&out),
                   "Usuario  Nombre  Rol            Estado         Último ingreso        "
                   "Dependencias\n"
                   "admin    Nombre  Administrador  habilitado     2021-06-30T12:01:01Z  -\n"
                   "resp     Nombre  Responsable    deshabilitado  nunca                 "
                   "Oficina de Prensa; Secretaría de Participación\n"
                   "2 usuarios, 1 habilitado\n");
  buf_reset(&out);
  fx_close(&f);
}
