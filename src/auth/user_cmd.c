/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** CLI commands of the accounts area: user add, passwd, disable, role and
** list. Each parses its options, reads a password from standard input when
** asked to, and calls src/auth/auth.h; no cryptography here. A generated
** password is printed once, on standard output, and nowhere else.
**
** Also who acts on the command line (app_actor_require and the ownership
** checks declared in app.h): the account named by --as is loaded into a
** Session as the web application loads a signed-in user, and judged by the
** same capability letters (auth_role_can) and ownership rules
** (auth_owns_activity, the offices of a responsable). Loading an account
** by its login is the one query here; it belongs beside
** auth_session_load in auth.c.
*/
#include "auth/user_cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "base/args.h"
#include "base/buf.h"
#include "base/hash.h"
#include "base/util.h"

#define ROLE_CHOICES "administrador, planeacion, responsable o control-interno"

/* Print the message zErr of a refused action (frees it); returns exit status 1. */
static int fail(char *zErr) {
  fprintf(stderr, "participa: %s\n", zErr);
  free(zErr);
  return 1;
}

/* Read one line from standard input as the password (without its line
** end). Exits 1 when nothing can be read. Caller frees. */
static char *password_read_dup(void) {
  char *zLine = NULL;
  size_t nAlloc = 0;
  ssize_t n = getline(&zLine, &nAlloc, stdin);
  if (n <= 0) {
    free(zLine);
    fprintf(stderr, "participa: no se leyó ninguna contraseña de la entrada estándar\n");
    exit(1);
  }
  while (n > 0 && (zLine[n - 1] == '\n' || zLine[n - 1] == '\r')) {
    zLine[--n] = 0;
  }
  return zLine;
}

/* Login zLogin as stored (ASCII letters lower-cased), for messages. Caller
** frees. */
static char *login_shown_dup(const char *zLogin) {
  char *z = xstrdup(zLogin);
  for (char *p = z; *p; p++) {
    if (*p >= 'A' && *p <= 'Z') {
      *p = (char)(*p - 'A' + 'a');
    }
  }
  return z;
}


/* The role of option --role, or exit 2 when it is missing or unknown. */
static Role role_option(const char *zRole, const char *zUsage) {
  Role e;
  if (zRole == NULL) {
    args_usage_error(zUsage, "falta --role (" ROLE_CHOICES ")");
  }
  if (!auth_role_parse(zRole, &e)) {
    args_usage_error(zUsage, "rol desconocido «%s»: use " ROLE_CHOICES, zRole);
  }
  return e;
}

/* Take every "--office NAME" out of argv into a new array (caller frees the
** array, not the names, which are borrowed from argv); count in *pn. */
static const char **offices_option(int *pArgc, char **argv, int *pn) {
  const char **az = xmalloc(sizeof *az * (size_t)(*pArgc + 1));
  const char *z;
  *pn = 0;
  while ((z = args_value(pArgc, argv, "office")) != NULL) {
    az[(*pn)++] = z;
  }
  return az;
}

int user_add_cmd(App *app, int argc, char **argv) {
  const char *zUsage = app->zUsage;
  const char *zRole = args_value(&argc, argv, "role");
  const char *zName = args_value(&argc, argv, "name");
  bool bStdin = args_flag(&argc, argv, "password-stdin");
  int nOffice;
  const char **azOffice = offices_option(&argc, argv, &nOffice);
  args_verify(&argc, argv, "user add");
  args_count(argc, 1, 1, zUsage);
  Role eRole = role_option(zRole, zUsage);
  app_open_db(app, true);
  app_actor_require(app, CAP_ADMIN, "user add");
  char *zPassword = bStdin ? password_read_dup() : NULL;
  char *zErr = NULL, *zGenerated = NULL;
  int64_t iUser =
      auth_user_add(app->db, argv[1], zName, eRole, nOffice, (const char *const *)azOffice,
                    zPassword, &zGenerated, app->zActor, &zErr);
  hash_secret_free(zPassword);
  free(azOffice);
  if (iUser == 0) {
    return fail(zErr);
  }
  char *zLogin = login_shown_dup(argv[1]);
  printf("usuario %s creado con el rol %s\n", zLogin, auth_role_label(eRole));
  if (zGenerated) {
    printf("Contraseña inicial de %s: %s (se pide cambiarla al entrar)\n", zLogin, zGenerated);
    hash_secret_free(zGenerated);
  }
  free(zLogin);
  return 0;
}

int user_passwd_cmd(App *app, int argc, char **argv) {
  const char *zUsage = app->zUsage;
  bool bStdin = args_flag(&argc, argv, "password-stdin");
  args_verify(&argc, argv, "user passwd");
  args_count(argc, 1, 1, zUsage);
  app_actor_require(app, CAP_ADMIN, "user passwd");
  char *zPassword = bStdin ? password_read_dup() : NULL;
  char *zErr = NULL, *zGenerated = NULL;
  bool bOk = auth_user_passwd(app->db, argv[1], zPassword, zPassword == NULL, &zGenerated,
                              app->zActor, &zErr);
  hash_secret_free(zPassword);
  if (!bOk) {
    return fail(zErr);
  }
  char *zLogin = login_shown_dup(argv[1]);
  if (zGenerated) {
    printf("Nueva contraseña de %s: %s (se pide cambiarla al entrar)\n", zLogin, zGenerated);
    hash_secret_free(zGenerated);
  } else {
    printf("contraseña de %s cambiada\n", zLogin);
  }
  printf("las sesiones abiertas de %s terminaron\n", zLogin);
  free(zLogin);
  return 0;
}

int user_disable_cmd(App *app, int argc, char **argv) {
  const char *zUsage = app->zUsage;
  bool bEnable = args_flag(&argc, argv, "enable");
  args_verify(&argc, argv, "user disable");
  args_count(argc, 1, 1, zUsage);
  app_actor_require(app, CAP_ADMIN, "user disable");
  char *zErr = NULL;
  if (!auth_user_disable(app->db, argv[1], !bEnable, app->zActor, &zErr)) {
    return fail(zErr);
  }
  char *zLogin = login_shown_dup(argv[1]);
  if (bEnable) {
    printf("usuario %s habilitado\n", zLogin);
  } else {
    printf("usuario %s deshabilitado; sus sesiones terminaron\n", zLogin);
  }
  free(zLogin);
  return 0;
}

int user_unlock_cmd(App *app, int argc, char **argv) {
  args_verify(&argc, argv, "user unlock");
  args_count(argc, 1, 1, app->zUsage);
  app_actor_require(app, CAP_ADMIN, "user unlock");
  char *zErr = NULL;
  int nCleared = 0;
  if (!auth_user_unlock(app->db, argv[1], app->zActor, &nCleared, &zErr)) {
    return fail(zErr);
  }
  char *zLogin = login_shown_dup(argv[1]);
  printf("intentos fallidos de %s borrados: %d\n", zLogin, nCleared);
  free(zLogin);
  return 0;
}

int user_role_cmd(App *app, int argc, char **argv) {
  const char *zUsage = app->zUsage;
  const char *zRole = args_value(&argc, argv, "role");
  int nOffice;
  const char **azOffice = offices_option(&argc, argv, &nOffice);
  args_verify(&argc, argv, "user role");
  args_count(argc, 1, 1, zUsage);
  Role eRole = role_option(zRole, zUsage);
  app_actor_require(app, CAP_ADMIN, "user role");
  char *zErr = NULL;
  bool bOk = auth_user_set_role(app->db, argv[1], eRole, nOffice, (const char *const *)azOffice,
                                app->zActor, &zErr);
  free(azOffice);
  if (!bOk) {
    return fail(zErr);
  }
  char *zLogin = login_shown_dup(argv[1]);
  printf("usuario %s: rol %s\n", zLogin, auth_role_label(eRole));
  free(zLogin);
  return 0;
}

int user_list_cmd(App *app, int argc, char **argv) {
  args_verify(&argc, argv, "user list");
  args_count(argc, 0, 0, app->zUsage);
  Buf out = BUF_INIT;
  auth_user_list_text(app->db, &out);
  fwrite(buf_str(&out), 1, out.n, stdout);
  buf_reset(&out);
  return 0;
}

/* ---- who acts on the command line (app.h) ------------------------------------------ */

/* Print "participa: " and the refusal in pMsg (which ends saying that
** nothing was saved; frees it), free the actor, close the database and
** exit 1. Callers free their own memory first: nothing is left behind. */
static _Noreturn void refuse(App *app, Buf *pMsg) {
  fprintf(stderr, "participa: %s\n", buf_str(pMsg));
  buf_reset(pMsg);
  app_actor_reset(app);
  db_close(app->db);
  app->db = NULL;
  free(app->zDataDir);
  app->zDataDir = NULL;
  exit(1);
}

/* z with control characters shown as "?" (a name typed by someone else
** must not drive the terminal). Caller frees. */
static char *shown_dup(const char *z) {
  char *zOut = xstrdup(z);
  for (char *p = zOut; *p; p++) {
    if ((unsigned char)*p < 0x20 || *p == 0x7f) {
      *p = '?';
    }
  }
  return zOut;
}

/* Load the account zLogin (case-insensitive) into *p as a session without
** token (iSession 0); *pbDisabled tells whether it is disabled. False when
** there is no such account. Free *p with auth_session_free. */
static bool actor_load(Db *db, const char *zLogin, Session *p, bool *pbDisabled) {
  memset(p, 0, sizeof *p);
  Stmt *s = db_prepare(db, "SELECT id, login, full_name, role, disabled FROM app_user "
                           "WHERE login = lower(:login)");
  db_bind_text(s, ":login", zLogin);
  bool bFound = db_step(s);
  if (bFound) {
    p->iUser = db_col_int(s, 0);
    p->zLogin = db_col_text_dup(s, 1);
    p->zFullName = db_col_text_dup(s, 2);
    if (!auth_role_parse(db_col_text(s, 3), &p->eRole)) {
      p->eRole = ROLE_NONE; /* the CHECK constraint makes this a bug: no capability */
    }
    *pbDisabled = db_col_int(s, 4) != 0;
  }
  db_finalize(s);
  if (!bFound) {
    return false;
  }
  s = db_prepare(db, "SELECT uo.office_id, o.name FROM user_office uo JOIN office o ON "
                     "o.id = uo.office_id WHERE uo.user_id = :u ORDER BY o.fold");
  db_bind_int(s, ":u", p->iUser);
  while (db_step(s)) {
    p->aiOffice = xrealloc(p->aiOffice, sizeof *p->aiOffice * (size_t)(p->nOffice + 1));
    p->azOffice = xrealloc(p->azOffice, sizeof *p->azOffice * (size_t)(p->nOffice + 1));
    p->aiOffice[p->nOffice] = db_col_int(s, 0);
    p->azOffice[p->nOffice] = db_col_text_dup(s, 1);
    p->nOffice++;
  }
  db_finalize(s);
  return true;
}

/* Append the labels of the roles with capability cCap ("Planeación o
** Administrador"). */
static void roles_with(Buf *p, char cCap) {
  const Role aOrder[] = {ROLE_RESPONSABLE, ROLE_CONTROL, ROLE_PLANEACION, ROLE_ADMIN};
  int n = 0, nAll = 0;
  for (size_t i = 0; i < sizeof aOrder / sizeof aOrder[0]; i++) {
    nAll += auth_role_can(aOrder[i], cCap);
  }
  for (size_t i = 0; i < sizeof aOrder / sizeof aOrder[0]; i++) {
    if (auth_role_can(aOrder[i], cCap)) {
      n++;
      buf_puts(p, n == 1 ? "" : n == nAll ? " o " : ", ");
      buf_puts(p, auth_role_label(aOrder[i]));
    }
  }
}

/* Append the offices of account p joined by "; " ("ninguna" when none). */
static void offices_of(Buf *pOut, const Session *p) {
  for (int i = 0; i < p->nOffice; i++) {
    buf_puts(pOut, i ? "; " : "");
    buf_puts(pOut, p->azOffice[i]);
  }
  if (p->nOffice == 0) {
    buf_puts(pOut, "ninguna");
  }
}

void app_actor_require(App *app, char cCap, const char *zCmd) {
  ASSERT(app->db != NULL);
  if (app->zActor) {
    return; /* decided already */
  }
  if (app->bSystem) {
    app->zActor = APP_SYSTEM_ACTOR;
    return;
  }
  int64_t nAccount = db_int(app->db, "SELECT count(*) FROM app_user");
  const char *zFrom = app->bAsFromEnv ? "$PARTICIPA_USER" : "--as";
  if (app->zAs == NULL) {
    if (nAccount == 0) {
      app->zActor = APP_SYSTEM_ACTOR; /* setting the database up: nobody to name yet */
      return;
    }
    Buf msg = BUF_INIT;
    buf_appendf(&msg,
                "«%s» necesita saber quién hace el cambio: indique su usuario con --as USUARIO "
                "(vea «participa user list») o use --sistema para una tarea automática; no se "
                "guardó nada",
                zCmd);
    refuse(app, &msg);
  }
  char *zShown = shown_dup(app->zAs);
  Session *p = xmalloc(sizeof *p);
  bool bDisabled = false;
  bool bFound = actor_load(app->db, app->zAs, p, &bDisabled);
  app->pActor = p;
  Buf msg = BUF_INIT;
  if (!bFound) {
    buf_appendf(&msg, "no hay ningún usuario «%s» (%s): ", zShown, zFrom);
    buf_puts(&msg, nAccount == 0 ? "la base todavía no tiene cuentas; sin --as el cambio "
                                   "queda a nombre de «sistema»; no se guardó nada"
                                 : "indique su usuario de participa (vea «participa user "
                                   "list») o use --sistema para una tarea automática; no se "
                                   "guardó nada");
  } else if (bDisabled) {
    buf_appendf(&msg,
                "la cuenta «%s» está deshabilitada y no puede hacer cambios: un administrador "
                "puede habilitarla con «participa user disable %s --enable»; no se guardó nada",
                p->zLogin, p->zLogin);
  } else if (!auth_role_can(p->eRole, cCap)) {
    Buf roles = BUF_INIT;
    roles_with(&roles, cCap);
    buf_appendf(&msg,
                "«%s» lo hace un usuario con el rol %s, y «%s» es %s: indique con --as un "
                "usuario con ese rol; no se guardó nada",
                zCmd, buf_str(&roles), p->zLogin, auth_role_label(p->eRole));
    buf_reset(&roles);
  }
  free(zShown);
  if (msg.n > 0) {
    refuse(app, &msg);
  }
  app->zActor = p->zLogin;
}

void app_actor_require_activity(App *app, int64_t iActivity, long iItem, const char *zCmd) {
  ASSERT(app->zActor != NULL);
  Session *p = app->pActor;
  if (p == NULL || p->eRole != ROLE_RESPONSABLE || auth_owns_activity(app->db, p, iActivity)) {
    return;
  }
  Buf offices = BUF_INIT, msg = BUF_INIT;
  offices_of(&offices, p);
  buf_appendf(&msg,
              "«%s» no es responsable del ítem %ld: sus dependencias son %s; «%s» en ese ítem lo "
              "hace un responsable de una de sus dependencias (vea «participa plan show %ld»); "
              "no se guardó nada",
              p->zLogin, iItem, buf_str(&offices), zCmd, iItem);
  buf_reset(&offices);
  refuse(app, &msg);
}

void app_actor_require_office(App *app, int64_t iOffice, const char *zOffice,
                              const char *zRadicado, const char *zCmd) {
  ASSERT(app->zActor != NULL);
  Session *p = app->pActor;
  if (p == NULL || p->eRole != ROLE_RESPONSABLE) {
    return;
  }
  for (int i = 0; i < p->nOffice; i++) {
    if (iOffice != 0 && p->aiOffice[i] == iOffice) {
      return;
    }
  }
  Buf offices = BUF_INIT;
  offices_of(&offices, p);
  Buf where = BUF_INIT;
  if (iOffice == 0) {
    buf_puts(&where, "no está asignada a ninguna dependencia");
  } else {
    buf_appendf(&where, "está asignada a %s", zOffice);
  }
  Buf msg = BUF_INIT;
  buf_appendf(&msg,
              "«%s» no atiende la PQRSD %s: %s y las dependencias de «%s» son %s; «%s» lo hace "
              "un responsable de la dependencia asignada, Planeación o Administrador; no se "
              "guardó nada",
              p->zLogin, zRadicado, buf_str(&where), p->zLogin, buf_str(&offices), zCmd);
  buf_reset(&where);
  buf_reset(&offices);
  refuse(app, &msg);
}

void app_actor_reset(App *app) {
  if (app->pActor) {
    auth_session_free(app->pActor);
    free(app->pActor);
    app->pActor = NULL;
  }
}
