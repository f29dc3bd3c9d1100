/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Handlers of the plan area's CLI commands (see plan_cmd.c and the command
** table in src/tables/commands.c for their usage and help).
*/
#ifndef PARTICIPA_PLAN_PLAN_CMD_H
#define PARTICIPA_PLAN_PLAN_CMD_H

#include "app.h"

int init_cmd(App *app, int argc, char **argv);
int check_cmd(App *app, int argc, char **argv);
int import_cmd(App *app, int argc, char **argv);
int plan_show_cmd(App *app, int argc, char **argv);
int plan_weight_cmd(App *app, int argc, char **argv);
int target_set_cmd(App *app, int argc, char **argv);
int progress_add_cmd(App *app, int argc, char **argv);
int progress_verify_cmd(App *app, int argc, char **argv);
int progress_reject_cmd(App *app, int argc, char **argv);
int period_list_cmd(App *app, int argc, char **argv);
int period_set_cmd(App *app, int argc, char **argv);
int period_scheme_cmd(App *app, int argc, char **argv);
int office_list_cmd(App *app, int argc, char **argv);
int office_merge_cmd(App *app, int argc, char **argv);
int report_cmd(App *app, int argc, char **argv);
int export_cmd(App *app, int argc, char **argv);
int log_cmd(App *app, int argc, char **argv);
int test_table_cmd(App *app, int argc, char **argv);
int test_text_cmd(App *app, int argc, char **argv);

#endif
