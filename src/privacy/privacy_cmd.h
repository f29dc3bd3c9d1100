/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The `participa datos-personales` commands (privacy_cmd.c).
*/
#ifndef PARTICIPA_PRIVACY_PRIVACY_CMD_H
#define PARTICIPA_PRIVACY_PRIVACY_CMD_H

#include "app.h"

int privacy_purge_cmd(App *app, int argc, char **argv);     /* datos-personales purgar */
int privacy_retention_cmd(App *app, int argc, char **argv); /* datos-personales retencion */
int privacy_view_cmd(App *app, int argc, char **argv);      /* datos-personales ver */
int privacy_correct_cmd(App *app, int argc, char **argv);   /* datos-personales corregir */
int privacy_suppress_cmd(App *app, int argc, char **argv);  /* datos-personales suprimir */

#endif
