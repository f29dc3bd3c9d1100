/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The command table: every CLI command with its handler, flags, usage and
** help. Each module declares its own commands (src/<name>/<name>_module.c,
** app/module.h); the shell gathers them into aCommand, sorted by name, before
** main runs. `participa help` and `--help` are generated from it.
*/
#ifndef PARTICIPA_TABLES_COMMANDS_H
#define PARTICIPA_TABLES_COMMANDS_H

#include "app.h"

#define CMD_HIDDEN 0x01 /* not listed by `help` (test- commands) */
#define CMD_DB 0x02     /* needs an existing database */
#define CMD_NEWDB 0x04  /* creates the database when missing */

typedef struct Command {
  const char *zName;            /* command name, sorted */
  CmdFunc xFunc;                /* handler, NULL when aSub dispatches */
  unsigned flags;               /* CMD_* */
  const struct Command *aSub;   /* subcommands (same shape), or NULL */
  int nSub;                     /* entries in aSub */
  const char *zUsage;           /* "import ARCHIVO [--force] ...": the only copy; main
                                   hands it to the handler as App.zUsage */
  const char *zSummary;         /* one line */
  const char *zHelp;            /* full help, may be multi-line */
} Command;

extern const Command *aCommand; /* the top-level table, sorted by name (src/app/module.c) */
extern int nCommand;            /* entries in aCommand */

/* Find zName in a[0..n): exact match, else a unique prefix. NULL when none;
** *pbAmbiguous set when several match. */
const Command *command_find(const Command *a, int n, const char *zName, bool *pbAmbiguous);

#endif
