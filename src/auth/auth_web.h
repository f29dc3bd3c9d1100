/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The pages of signing in and out, the password change, and the
** signed-in user's start page (auth_web.c).
*/
#ifndef PARTICIPA_AUTH_AUTH_WEB_H
#define PARTICIPA_AUTH_AUTH_WEB_H

#include "web/web.h"

void page_login(Request *r);
void post_login(Request *r);
void post_logout(Request *r);
void page_password(Request *r);
void post_password(Request *r);
void page_panel(Request *r);

#endif
