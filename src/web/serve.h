/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The `serve` command: the web application on the built-in server.
*/
#ifndef PARTICIPA_WEB_SERVE_H
#define PARTICIPA_WEB_SERVE_H

#include "app.h"

int serve_cmd(App *app, int argc, char **argv);

#endif
