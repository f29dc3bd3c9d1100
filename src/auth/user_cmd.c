/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** CLI commands of the accounts area: user add, passwd, disable, role and
** list. Each parses its options, reads a password from standard input when
** asked to, and calls src/auth/auth.h; no SQL and no cryptography here.
** A generated password is printed once, on standard output, and nowhere
** else.
*/
#include "auth/user_cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "base/args.h"
#include "base/buf.h"
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

/* Wipe and free a password. */
static void password_free(char *z) {
  if (z) {
    memset(z, 0, strlen(z));
    free(z);
  }
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
  const char *zUsage = "user add USUARIO --role ROL [--office DEPENDENCIA]... "
                       "[--name \"NOMBRE COMPLETO\"] [--password-stdin]";
  const char *zRole = args_value(&argc, argv, "role");
  const char *zName = args_value(&argc, argv, "name");
  bool bStdin = args_flag(&argc, argv, "password-stdin");
  int nOffice;
  const char **azOffice = offices_option(&argc, argv, &nOffice);
  args_verify(&argc, argv, "user add");
  args_count(argc, 1, 1, zUsage);
  Role eRole = role_option(zRole, zUsage);
  char *zPassword = bStdin ? password_read_dup() : NULL;
  app_open_db(app, true);
  char *zErr = NULL, *zGenerated = NULL;
  int64_t iUser =
      auth_user_add(app->db, argv[1], zName, eRole, nOffice, (const char *const *)azOffice,
                    zPassword, &zGenerated, app->zActor, &zErr);
  password_free(zPassword);
  free(azOffice);
  if (iUser == 0) {
    return fail(zErr);
  }
  char *zLogin = login_shown_dup(argv[1]);
  printf("usuario %s creado con el rol %s\n", zLogin, auth_role_label(eRole));
  if (zGenerated) {
    printf("Contraseña inicial de %s: %s (se pide cambiarla al entrar)\n", zLogin, zGenerated);
    password_free(zGenerated);
  }
  free(zLogin);
  return 0;
}

int user_passwd_cmd(App *app, int argc, char **argv) {
  const char *zUsage = "user passwd USUARIO [--password-stdin]";
  bool bStdin = args_flag(&argc, argv, "password-stdin");
  args_verify(&argc, argv, "user passwd");
  args_count(argc, 1, 1, zUsage);
  char *zPassword = bStdin ? password_read_dup() : NULL;
  char *zErr = NULL, *zGenerated = NULL;
  bool bOk = auth_user_passwd(app->db, argv[1], zPassword, zPassword == NULL, &zGenerated,
                              app->zActor, &zErr);
  password_free(zPassword);
  if (!bOk) {
    return fail(zErr);
  }
  char *zLogin = login_shown_dup(argv[1]);
  if (zGenerated) {
    printf("Nueva contraseña de %s: %s (se pide cambiarla al entrar)\n", zLogin, zGenerated);
    password_free(zGenerated);
  } else {
    printf("contraseña de %s cambiada\n", zLogin);
  }
  printf("las sesiones abiertas de %s terminaron\n", zLogin);
  free(zLogin);
  return 0;
}

int user_disable_cmd(App *app, int argc, char **argv) {
  const char *zUsage = "user disable USUARIO [--enable]";
  bool bEnable = args_flag(&argc, argv, "enable");
  args_verify(&argc, argv, "user disable");
  args_count(argc, 1, 1, zUsage);
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

int user_role_cmd(App *app, int argc, char **argv) {
  const char *zUsage = "user role USUARIO --role ROL [--office DEPENDENCIA]...";
  const char *zRole = args_value(&argc, argv, "role");
  int nOffice;
  const char **azOffice = offices_option(&argc, argv, &nOffice);
  args_verify(&argc, argv, "user role");
  args_count(argc, 1, 1, zUsage);
  Role eRole = role_option(zRole, zUsage);
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
  args_count(argc, 0, 0, "user list");
  Buf out = BUF_INIT;
  auth_user_list_text(app->db, &out);
  fwrite(buf_str(&out), 1, out.n, stdout);
  buf_reset(&out);
  return 0;
}
