/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The `participa pqrsd` subcommands (src/pqrsd/pqrsd_cmd.c): file a PQRSD
** received in person, list the inbox, show one PQRSD with its history,
** answer it, print the transparency report, and see or change the terms.
*/
#ifndef PARTICIPA_PQRSD_PQRSD_CMD_H
#define PARTICIPA_PQRSD_PQRSD_CMD_H

#include "app.h"

int pqrsd_add_cmd(App *app, int argc, char **argv);
int pqrsd_answer_cmd(App *app, int argc, char **argv);
int pqrsd_list_cmd(App *app, int argc, char **argv);
int pqrsd_report_cmd(App *app, int argc, char **argv);
int pqrsd_show_cmd(App *app, int argc, char **argv);
int pqrsd_terms_cmd(App *app, int argc, char **argv);

#endif
