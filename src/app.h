/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The state every command gets: global options and the open database.
** Commands are declared with the CmdFunc signature and listed in
** src/tables/commands.c.
*/
#ifndef PARTICIPA_APP_H
#define PARTICIPA_APP_H

#include "db/db.h"

typedef struct App {
  const char *zDbPath;  /* --db, $PARTICIPA_DB, or "participa.db" */
  char *zDataDir;       /* --data-dir, or the database name with "-datos" (owned) */
  int iYear;            /* --year of the plan to act on, 0 for the latest */
  const char *zActor;   /* who acts: --as, $PARTICIPA_USER, $USER, or "cli" */
  Db *db;               /* open database (commands with CMD_DB) */
} App;

/* A command handler: argv[0] is the command name; options not yet removed.
** Returns the process exit status. */
typedef int (*CmdFunc)(App *app, int argc, char **argv);

/* Open app->db (creating it when bCreate) or exit 1 with a message. */
void app_open_db(App *app, bool bCreate);

#endif
