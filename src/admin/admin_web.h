/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The administrador's pages: users, offices, settings and the audit log
** (admin_web.c). Their routes, menu and panel entries, notices and places in
** the administration sub-navigation (page_admin_nav, page.h) are declared in
** admin_module.c.
*/
#ifndef PARTICIPA_ADMIN_ADMIN_WEB_H
#define PARTICIPA_ADMIN_ADMIN_WEB_H

#include "app/web.h"

#include "app/page.h"

void page_users(Request *r);
void post_user_add(Request *r);
void post_user_update(Request *r);
void page_offices(Request *r);
void post_office_merge(Request *r);
void page_settings(Request *r);
void post_settings(Request *r);
void page_audit(Request *r);

#endif
