/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The `participa audit` commands (defined in audit.c beside the checks they
** print): kept apart from audit.h so that the modules writing to the log
** need not know the CLI's App.
*/
#ifndef PARTICIPA_AUDIT_AUDIT_CMD_H
#define PARTICIPA_AUDIT_AUDIT_CMD_H

#include "app.h"

/* `participa audit head`: when the log is whole, prints "HASH:COUNT" and
** an explanation (exit 0); else the problems (exit 1). */
int audit_head_cmd(App *app, int argc, char **argv);

/* `participa audit verify [--expect HASH:COUNT]`: prints that the log is
** whole with its entry count and head (exit 0), or each problem (exit 1);
** with --expect, also each difference from that anchor. */
int audit_verify_cmd(App *app, int argc, char **argv);

#endif
