/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The `serve` command: the web application on the built-in server, and
** the access log's reopening on SIGHUP.
*/
#ifndef PARTICIPA_APP_SERVE_H
#define PARTICIPA_APP_SERVE_H

#include <stdbool.h>
#include <stdio.h>

#include "app.h"

/* Run the web application until SIGINT or SIGTERM (see serve.c). */
int serve_cmd(App *app, int argc, char **argv);

/* Point the stream pLog at the file zPath again (opened for appending,
** created when missing), e.g. after logrotate renamed it: lines already
** written stay in the old file, later ones go to the new one, and nothing
** is lost between them. Safe while other threads write to pLog. False with
** *pzErr (Spanish, caller frees) when zPath cannot be opened; pLog is then
** unchanged. */
bool serve_reopen_log(FILE *pLog, const char *zPath, char **pzErr);

#endif
