/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The state every command gets: global options, the open database and who
** acts. Commands are declared with the CmdFunc signature and listed in
** src/tables/commands.c.
**
** Who acts: a command that changes something calls app_actor_require
** before writing anything. The actor is the account named by --as (or
** $PARTICIPA_USER), which must exist, be enabled and have the role the
** change needs, as in the web application (its module's routes); or
** "sistema" with --sistema; or "sistema" while the database has no
** account yet (setting it up: import, the first user add). Anything else is
** refused with a Spanish message and exit status 1, before any write.
** Commands that only read ignore --as.
*/
#ifndef PARTICIPA_APP_H
#define PARTICIPA_APP_H

#include <stdint.h>

#include "db/db.h"

struct Session;

#define APP_SYSTEM_ACTOR "sistema" /* the actor of --sistema and of a database without accounts */

typedef struct App {
  const char *zDbPath;    /* --db, $PARTICIPA_DB, or "participa.db" */
  char *zDataDir;         /* --data-dir, or the database name with "-datos" (owned) */
  int iYear;              /* --year of the plan to act on, 0 for the latest */
  const char *zAs;        /* --as USUARIO, else $PARTICIPA_USER; NULL when neither */
  bool bAsFromEnv;        /* zAs came from $PARTICIPA_USER (for messages) */
  bool bSystem;           /* --sistema: changes are recorded as made by "sistema" */
  const char *zActor;     /* the actor recorded in the log, set by app_actor_require:
                             the account's login or "sistema"; NULL before */
  struct Session *pActor; /* the acting account (owned), NULL for "sistema" */
  Db *db;                 /* open database (commands with CMD_DB) */
  const char *zUsage;     /* usage of the command being run, from its entry in
                             src/tables/commands.c (set by main) */
} App;

/* A command handler: argv[0] is the command name; options not yet removed.
** Returns the process exit status. */
typedef int (*CmdFunc)(App *app, int argc, char **argv);

/* Open app->db (creating it when bCreate) or exit 1 with a message. */
void app_open_db(App *app, bool bCreate);

/* The functions below are the command line's side of accounts and live in
** src/auth/user_cmd.c. Each refusal prints "participa: …" (Spanish: what
** is wrong and what to do) and exits 1; nothing has been written. */

/* Decide who makes the change of command zCmd ("progress verify") and
** check that it may: cCap is the capability letter of src/auth/auth.h the
** web route for the same change requires (CAP_USER for any account).
** Sets app->zActor (and app->pActor for an account). app->db must be open.
** Refuses: neither --as nor --sistema while accounts exist, an unknown or
** disabled account, a role without cCap. Returns only when allowed. */
void app_actor_require(App *app, char cCap, const char *zCmd);

/* After app_actor_require: a responsable acts only on the activities of its
** offices (activity iActivity, shown as item iItem). Other actors pass.
** Refuses with the account's offices named. */
void app_actor_require_activity(App *app, int64_t iActivity, long iItem, const char *zCmd);

/* After app_actor_require: a responsable acts only on a PQRSD handled by
** one of its offices (iOffice, 0 when none; zOffice its name, zRadicado the
** PQRSD). Other actors pass. */
void app_actor_require_office(App *app, int64_t iOffice, const char *zOffice,
                              const char *zRadicado, const char *zCmd);

/* Free app->pActor (nothing when none). */
void app_actor_reset(App *app);

#endif
