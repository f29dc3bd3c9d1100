/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The pages of signing in and out, the password change, the signed-in
** user's start page, and the failed logins the administrador sees and
** clears (auth_web.c).
*/
#ifndef PARTICIPA_AUTH_AUTH_WEB_H
#define PARTICIPA_AUTH_AUTH_WEB_H

#include "app/page.h"
#include "app/web.h"

void page_login(Request *r);
void post_login(Request *r);
void post_logout(Request *r);
void page_password(Request *r);
void post_password(Request *r);
/* The panel lists every module's panel entries (page_panel_links, page.h). */
void page_panel(Request *r);

#define NAV_PANEL "/panel" /* the menu entry of the panel (auth_module.c) */
/* POST /admin/intentos: clear the failed logins from the address in field
** "direccion" (administrador), then back to the users page. */
void post_login_unlock(Request *r);
/* The users page's section on failed logins: the rules in words and each
** address with failures in the window, with a button to clear them. */
void auth_web_throttles(Page *p);
/* A user's forms' section on its failed logins: count, wait, and a button
** posting accion=desbloquear to zAction when there are some. */
void auth_web_user_failures(Page *p, const char *zLogin, const char *zAction);

#endif
