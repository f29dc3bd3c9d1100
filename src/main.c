/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Entry point: global options (--db, --data-dir, --year, --as, --sistema),
** then the command from src/tables/commands.c, with help generated from
** that table. Who acts is decided by each command that changes something
** (app_actor_require, app.h); main only reads the options.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "base/args.h"
#include "base/buf.h"
#include "base/termsafe.h"
#include "tables/commands.h"

#define PARTICIPA_VERSION "0.1.0"

/* Print the list of commands (and subcommands). */
static void help_list(FILE *out) {
  fprintf(out, "participa %s — estrategia de participación ciudadana (MIPG)\n\n"
               "uso: participa [--db ARCHIVO] [--data-dir CARPETA] [--year AÑO] "
               "[--as USUARIO | --sistema] COMANDO …\n\nComandos:\n",
          PARTICIPA_VERSION);
  /* the name column is as wide as the longest "command subcommand" */
  int nWidth = 16;
  for (int i = 0; i < nCommand; i++) {
    const Command *c = &aCommand[i];
    int n = (int)strlen(c->zName);
    for (int j = 0; j < c->nSub; j++) {
      int nSub = n + 1 + (int)strlen(c->aSub[j].zName);
      nWidth = nSub > nWidth ? nSub : nWidth;
    }
    nWidth = n > nWidth ? n : nWidth;
  }
  for (int i = 0; i < nCommand; i++) {
    const Command *c = &aCommand[i];
    if (c->flags & CMD_HIDDEN) {
      continue;
    }
    if (c->aSub) {
      for (int j = 0; j < c->nSub; j++) {
        Buf name = BUF_INIT;
        buf_appendf(&name, "%s %s", c->zName, c->aSub[j].zName);
        fprintf(out, "  %-*s %s\n", nWidth, buf_str(&name), c->aSub[j].zSummary);
        buf_reset(&name);
      }
    } else {
      fprintf(out, "  %-*s %s\n", nWidth, c->zName, c->zSummary);
    }
  }
  fprintf(out, "\nOpciones globales:\n"
               "  --db ARCHIVO       base de datos (por defecto $PARTICIPA_DB o participa.db)\n"
               "  --data-dir CARPETA archivos de evidencia (por defecto junto a la base)\n"
               "  --year AÑO         plan sobre el que actuar (por defecto el último importado)\n"
               "  --as USUARIO       quién hace el cambio (por defecto $PARTICIPA_USER): una cuenta\n"
               "                     habilitada con el rol, y para un responsable las dependencias,\n"
               "                     que el cambio pide, como en la aplicación web\n"
               "  --sistema          el cambio queda a nombre de «sistema» (tareas automáticas,\n"
               "                     recuperar el acceso)\n"
               "\nLos comandos que cambian algo piden --as o --sistema y rechazan, sin guardar nada,\n"
               "una cuenta que no existe, está deshabilitada o no tiene el rol: reportar avances\n"
               "(responsable, solo en actividades de sus dependencias), verificarlos o rechazarlos\n"
               "(control interno), importar el plan, metas y pesos (planeación o administrador),\n"
               "responder PQRSD (responsable de la dependencia asignada, planeación o\n"
               "administrador), radicar una PQRSD (cualquier cuenta), usuarios, dependencias,\n"
               "periodos, términos y días no hábiles (administrador). Mientras la base no tenga\n"
               "ninguna cuenta (al crearla: import, el primer user add) los cambios quedan a nombre\n"
               "de «sistema» sin pedir nada. Los comandos que solo consultan no piden --as.\n"
               "\n«participa help COMANDO» explica cada comando.\n");
}

/* Print the full help of one command. */
static void help_command(const Command *c, FILE *out) {
  fprintf(out, "uso: participa %s\n\n%s\n", c->zUsage, c->zHelp);
  for (int j = 0; c->aSub && j < c->nSub; j++) {
    fprintf(out, "\n  participa %s\n    %s\n", c->aSub[j].zUsage, c->aSub[j].zSummary);
  }
}

/* Resolve argv[0] in table a[0..n) or exit 2. */
static const Command *resolve(const Command *a, int n, const char *zName, const char *zParent) {
  bool bAmbiguous;
  const Command *c = command_find(a, n, zName, &bAmbiguous);
  if (c == NULL) {
    fprintf(stderr, "participa: %s «%s%s%s»; vea «participa help»\n",
            bAmbiguous ? "comando ambiguo" : "comando desconocido", zParent ? zParent : "",
            zParent ? " " : "", zName);
    exit(2);
  }
  return c;
}

int main(int argc, char **argv) {
  /* Controls in citizen or file text are printed visibly (base/termsafe.h). */
  termsafe_install(termsafe_machine_output(argc, argv));
  App app;
  memset(&app, 0, sizeof app);
  app.zDbPath = args_value(&argc, argv, "db");
  const char *zDataDir = args_value(&argc, argv, "data-dir");
  const char *zYear = args_value(&argc, argv, "year");
  app.zAs = args_value(&argc, argv, "as");
  app.bSystem = args_flag(&argc, argv, "sistema");
  if (app.zDbPath == NULL) {
    app.zDbPath = getenv("PARTICIPA_DB");
  }
  if (app.zDbPath == NULL || app.zDbPath[0] == 0) {
    app.zDbPath = "participa.db";
  }
  if (zDataDir) {
    app.zDataDir = strdup(zDataDir);
  } else {
    size_t n = strlen(app.zDbPath);
    if (n > 3 && strcmp(app.zDbPath + n - 3, ".db") == 0) {
      n -= 3;
    }
    Buf b = BUF_INIT;
    buf_append(&b, app.zDbPath, n);
    buf_puts(&b, "-datos");
    app.zDataDir = buf_take(&b);
  }
  if (zYear) {
    app.iYear = (int)args_long(zYear, 1990, 2100, "el año", NULL);
  }
  if (app.zAs && app.bSystem) {
    fprintf(stderr, "participa: use --as USUARIO o --sistema, no ambos\n");
    free(app.zDataDir);
    return 2;
  }
  if (app.zAs == NULL && !app.bSystem) {
    /* the environment names an account for every command, checked like --as */
    app.zAs = getenv("PARTICIPA_USER");
    app.bAsFromEnv = app.zAs != NULL;
  }
  if (app.zAs && app.zAs[0] == 0) {
    app.zAs = NULL;
    app.bAsFromEnv = false;
  }
  int rc = 0;
  if (argc < 2 || strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
      strcmp(argv[1], "-h") == 0) {
    if (argc >= 3 && strcmp(argv[1], "help") == 0) {
      const Command *c = resolve(aCommand, nCommand, argv[2], NULL);
      if (argc >= 4 && c->aSub) {
        c = resolve(c->aSub, c->nSub, argv[3], c->zName);
      }
      help_command(c, stdout);
    } else {
      help_list(argc < 2 ? stderr : stdout);
      rc = argc < 2 ? 2 : 0;
    }
    free(app.zDataDir);
    return rc;
  }
  if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "--version") == 0) {
    printf("participa %s\n", PARTICIPA_VERSION);
    free(app.zDataDir);
    return 0;
  }
  const Command *c = resolve(aCommand, nCommand, argv[1], NULL);
  argc--;
  argv++;
  if (c->aSub) {
    if (argc < 2) {
      help_command(c, stderr);
      free(app.zDataDir);
      return 2;
    }
    const Command *pParent = c;
    c = resolve(c->aSub, c->nSub, argv[1], pParent->zName);
    argc--;
    argv++;
  }
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--help") == 0) {
      help_command(c, stdout);
      free(app.zDataDir);
      return 0;
    }
  }
  if (c->flags & CMD_DB) {
    app_open_db(&app, false);
  }
  app.zUsage = c->zUsage; /* the handler's usage lines come from the table */
  rc = c->xFunc(&app, argc, argv);
  app_actor_reset(&app);
  db_close(app.db);
  free(app.zDataDir);
  return rc;
}
