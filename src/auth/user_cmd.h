/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Handlers of the `participa user` commands (see user_cmd.c and the command
** table in src/tables/commands.c for their usage and help).
*/
#ifndef PARTICIPA_AUTH_USER_CMD_H
#define PARTICIPA_AUTH_USER_CMD_H

#include "app.h"

int user_add_cmd(App *app, int argc, char **argv);
int user_disable_cmd(App *app, int argc, char **argv);
int user_list_cmd(App *app, int argc, char **argv);
int user_passwd_cmd(App *app, int argc, char **argv);
int user_role_cmd(App *app, int argc, char **argv);
int user_unlock_cmd(App *app, int argc, char **argv);

#endif
