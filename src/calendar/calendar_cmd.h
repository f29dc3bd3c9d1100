/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Handler of the `participa calendar` command (see calendar_cmd.c and the
** command table in src/tables/commands.c for its usage and help).
*/
#ifndef PARTICIPA_CALENDAR_CALENDAR_CMD_H
#define PARTICIPA_CALENDAR_CALENDAR_CMD_H

#include "app.h"

/* `calendar [AÑO]`, `calendar add FECHA N` and `calendar dia add|remove|list`. */
int calendar_cmd(App *app, int argc, char **argv);

#endif
