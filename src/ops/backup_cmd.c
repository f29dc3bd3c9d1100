/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** `participa backup ARCHIVO` and `participa restore ARCHIVO [--sobrescribir]`:
** thin CLI layers over ops_backup() and ops_restore() (backup.c). The
** restore ends by checking the restored change log (audit_verify), so its
** output says whether the log came back whole.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "base/args.h"
#include "ops/ops.h"

/* Print the change log head of pRes ("registro de cambios: N entradas, …"). */
static void print_audit_head(const OpsBackupResult *pRes) {
  if (pRes->nAudit == 0) {
    printf("Registro de cambios: 0 entradas.\n");
  } else {
    printf("Registro de cambios: %lld %s, última huella %s\n", (long long)pRes->nAudit,
           pRes->nAudit == 1 ? "entrada" : "entradas", buf_str(&pRes->auditHash));
  }
}

int backup_cmd(App *app, int argc, char **argv) {
  const char *zUsage = app->zUsage;
  args_verify(&argc, argv, "backup");
  args_count(argc, 1, 1, zUsage);
  const char *zFile = argv[1];
  OpsBackupResult res;
  char *zErr = NULL;
  if (!ops_backup(app->db, app->zDataDir, zFile, &res, &zErr)) {
    fprintf(stderr, "participa: %s; no se escribió el respaldo\n", zErr);
    free(zErr);
    ops_backup_result_reset(&res);
    return 1;
  }
  printf("Respaldo escrito en %s: la base de datos y %d %s de datos (%lld bytes en total).\n",
         zFile, res.nFiles, res.nFiles == 1 ? "archivo" : "archivos", (long long)res.nBytes);
  print_audit_head(&res);
  int rc = 0;
  if (res.nMissing > 0) {
    fputs(buf_str(&res.problems), stderr);
    fprintf(stderr,
            "participa: el respaldo se escribió, pero %d %s de datos %s (ver arriba); revise la "
            "carpeta de datos %s\n",
            res.nMissing, res.nMissing == 1 ? "archivo" : "archivos",
            res.nMissing == 1 ? "falta o está dañado" : "faltan o están dañados", app->zDataDir);
    rc = 1;
  }
  ops_backup_result_reset(&res);
  return rc;
}

int restore_cmd(App *app, int argc, char **argv) {
  const char *zUsage = app->zUsage;
  bool bOverwrite = args_flag(&argc, argv, "sobrescribir");
  args_verify(&argc, argv, "restore");
  args_count(argc, 1, 1, zUsage);
  const char *zFile = argv[1];
  OpsBackupResult res;
  char *zErr = NULL;
  if (!ops_restore(zFile, app->zDbPath, app->zDataDir, bOverwrite, &res, &zErr)) {
    fprintf(stderr, "participa: %s; no se restauró nada\n", zErr);
    free(zErr);
    ops_backup_result_reset(&res);
    return 1;
  }
  printf("Restaurado %s en %s (datos en %s): la base de datos y %d %s de datos, cada uno "
         "verificado con el manifiesto.\n",
         zFile, app->zDbPath, app->zDataDir, res.nFiles, res.nFiles == 1 ? "archivo" : "archivos");
  print_audit_head(&res);
  if (res.nMissing > 0) {
    fputs(buf_str(&res.problems), stderr);
  }
  /* the restored log, checked as `participa audit verify` does */
  app_open_db(app, false);
  Buf out = BUF_INIT, last = BUF_INIT;
  db_begin_read(app->db);
  int nProblems = audit_verify(app->db, &out);
  int64_t nEntries = audit_last(app->db, &last);
  db_commit(app->db);
  int rc = 0;
  if (nProblems > 0) {
    fwrite(buf_str(&out), 1, out.n, stdout);
    fprintf(stderr, "participa: el registro de cambios restaurado no está íntegro: %d %s\n",
            nProblems, nProblems == 1 ? "problema" : "problemas");
    rc = 1;
  } else if (nEntries != res.nAudit || strcmp(buf_str(&last), buf_str(&res.auditHash)) != 0) {
    fprintf(stderr, "participa: el registro de cambios restaurado no coincide con el del "
                    "manifiesto\n");
    rc = 1;
  } else {
    printf("Registro de cambios verificado: íntegro.\n");
  }
  buf_reset(&out);
  buf_reset(&last);
  ops_backup_result_reset(&res);
  return rc;
}
