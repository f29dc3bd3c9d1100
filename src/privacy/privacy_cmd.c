/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The `participa datos-personales` commands: purgar (anonymise what is due,
** or everything up to a date), retencion (show or set the periods), and
** the titular's requests ver, corregir and suprimir on a PQRSD (by
** radicado) or a proposal (--propuesta N). Each parses its options,
** checks the actor (app_actor_require: the administrador for the periods
** and the purge, planeación or the administrador for a titular's request;
** a request to see is logged too) and calls privacy.h.
*/
#include "privacy/privacy_cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "base/args.h"
#include "base/buf.h"
#include "base/text.h"
#include "privacy/privacy.h"

/* Print the message zErr of a refusal (frees it); returns exit status 1. */
static int fail(char *zErr) {
  fprintf(stderr, "participa: %s\n", zErr ? zErr : "no se pudo");
  free(zErr);
  return 1;
}

/* Read the record of a titular's request: RADICADO, or --propuesta N. */
static void ref_read(int *pArgc, char **argv, const char *zCmd, const char *zUsage,
                     PrivacyRef *pRef) {
  const char *zProp = args_value(pArgc, argv, "propuesta");
  args_verify(pArgc, argv, zCmd);
  memset(pRef, 0, sizeof *pRef);
  if (zProp) {
    args_count(*pArgc, 0, 0, zUsage);
    pRef->iProposal = args_long(zProp, 1, INT64_MAX / 2, "el número de la propuesta", zUsage);
  } else {
    args_count(*pArgc, 1, 1, zUsage);
    pRef->zRadicado = argv[1];
  }
}

int privacy_purge_cmd(App *app, int argc, char **argv) {
  const char *zUntil = args_value(&argc, argv, "hasta");
  args_verify(&argc, argv, "datos-personales purgar");
  args_count(argc, 0, 0, app->zUsage);
  app_actor_require(app, CAP_ADMIN, "datos-personales purgar");
  PrivacyPurge res;
  char *zErr = NULL;
  if (!privacy_purge(app->db, app->zDataDir, zUntil, app->zActor, &res, &zErr)) {
    return fail(zErr);
  }
  Buf out = BUF_INIT;
  for (int e = 0; e < PRIV_N_KIND; e++) {
    buf_appendf(&out, "%s: ", privacy_kind_label((PrivacyKind)e));
    if (res.zCutoff[e][0]) {
      buf_appendf(&out, "hasta antes del %s\n", res.zCutoff[e]);
    } else {
      buf_puts(&out, "se conservan (plazo 0: purgue con --hasta)\n");
    }
  }
  buf_appendf(&out,
              "PQRSD anonimizadas: %d\nPQRSD sin adjuntos por plazo: %d\nPropuestas "
              "anonimizadas: %d\nArchivos borrados: %d\nDirecciones de conexión borradas: %d\n",
              res.nPqrsd, res.nPqrsdFiles, res.nProposals, res.nFilesRemoved, res.nAddresses);
  fputs(buf_str(&out), stdout);
  buf_reset(&out);
  return 0;
}

int privacy_retention_cmd(App *app, int argc, char **argv) {
  const char *zUsage = app->zUsage;
  args_verify(&argc, argv, "datos-personales retencion");
  args_count(argc, 0, 2, zUsage);
  if (argc == 2) {
    args_usage_error(zUsage, "falta el número de meses de «%s»", argv[1]);
  }
  if (argc == 3) {
    static const char *const azName[PRIV_N_KIND] = {"pqrsd", "adjuntos", "propuestas"};
    int e = 0;
    while (e < PRIV_N_KIND && strcmp(argv[1], azName[e]) != 0) {
      e++;
    }
    if (e == PRIV_N_KIND) {
      args_usage_error(zUsage, "tipo de dato desconocido «%s»; use pqrsd, adjuntos o propuestas",
                       argv[1]);
    }
    int nMonths = (int)args_long(argv[2], 0, PRIVACY_MONTHS_MAX, "el número de meses", zUsage);
    app_actor_require(app, CAP_ADMIN, "datos-personales retencion");
    char *zErr = NULL;
    if (!privacy_retention_set(app->db, (PrivacyKind)e, nMonths, app->zActor, &zErr)) {
      return fail(zErr);
    }
  }
  Buf out = BUF_INIT;
  for (int e = 0; e < PRIV_N_KIND; e++) {
    int n = privacy_retention(app->db, (PrivacyKind)e);
    buf_appendf(&out, "%s: ", privacy_kind_label((PrivacyKind)e));
    if (n == 0) {
      buf_puts(&out, "se conservan hasta purgarlos por fecha\n");
    } else {
      buf_appendf(&out, "%d meses %s\n", n, privacy_kind_start((PrivacyKind)e));
    }
  }
  fputs(buf_str(&out), stdout);
  buf_reset(&out);
  return 0;
}

int privacy_view_cmd(App *app, int argc, char **argv) {
  PrivacyRef ref;
  ref_read(&argc, argv, "datos-personales ver", app->zUsage, &ref);
  app_actor_require(app, CAP_PLAN, "datos-personales ver");
  PrivacyData d;
  char *zErr = NULL;
  if (!privacy_view(app->db, &ref, app->zActor, &d, &zErr)) {
    return fail(zErr);
  }
  Buf out = BUF_INIT;
  buf_appendf(&out, "%s%s\n", d.zTitle, d.bAnonymised ? " (datos personales ya anonimizados)" : "");
  for (int i = 0; i < d.n; i++) {
    /* citizen text: control characters are made visible */
    char *zSafe = text_ellipsize_dup(d.a[i].zValue, 100000);
    for (char *c = zSafe; *c; c++) {
      if ((unsigned char)*c < 0x20 && *c != '\n') {
        *c = '?';
      }
    }
    buf_appendf(&out, "%s: %s\n", d.a[i].zLabel, zSafe);
    free(zSafe);
  }
  fputs(buf_str(&out), stdout);
  buf_reset(&out);
  privacy_data_reset(&d);
  return 0;
}

int privacy_correct_cmd(App *app, int argc, char **argv) {
  const char *zUsage = app->zUsage;
  PqrsdIdentity id = {0};
  id.zName = args_value(&argc, argv, "nombre");
  id.zIdType = args_value(&argc, argv, "tipo-documento");
  id.zIdNumber = args_value(&argc, argv, "documento");
  id.zEmail = args_value(&argc, argv, "correo");
  id.zPhone = args_value(&argc, argv, "telefono");
  id.zAddress = args_value(&argc, argv, "direccion");
  PrivacyRef ref;
  ref_read(&argc, argv, "datos-personales corregir", zUsage, &ref);
  if (!id.zName && !id.zIdType && !id.zIdNumber && !id.zEmail && !id.zPhone && !id.zAddress) {
    args_usage_error(zUsage, "indique al menos un dato que corregir");
  }
  app_actor_require(app, CAP_PLAN, "datos-personales corregir");
  int nChanged = 0;
  char *zErr = NULL;
  if (!privacy_correct(app->db, &ref, &id, app->zActor, &nChanged, &zErr)) {
    return fail(zErr);
  }
  if (nChanged == 0) {
    printf("Los datos ya eran esos: no se cambió nada.\n");
  } else {
    printf("Datos corregidos: %d campo%s. La solicitud queda en el registro de cambios.\n",
           nChanged, nChanged == 1 ? "" : "s");
  }
  return 0;
}

int privacy_suppress_cmd(App *app, int argc, char **argv) {
  const char *zUsage = app->zUsage;
  PrivacyRef ref;
  ref_read(&argc, argv, "datos-personales suprimir", zUsage, &ref);
  app_actor_require(app, CAP_PLAN, "datos-personales suprimir");
  int n = 0;
  char *zErr = NULL;
  if (!privacy_suppress(app->db, app->zDataDir, &ref, app->zActor, &n, &zErr)) {
    return fail(zErr);
  }
  printf("Datos personales suprimidos en %d registro%s; las cifras de transparencia y el registro "
         "de cambios se conservan.\n",
         n, n == 1 ? "" : "s");
  return 0;
}
