/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The administrador's pages: users, offices, settings and the audit log
** (admin_web.c), and the sub-navigation every administration page shares
** (also the calendar's and the PQRSD terms').
*/
#ifndef PARTICIPA_ADMIN_ADMIN_WEB_H
#define PARTICIPA_ADMIN_ADMIN_WEB_H

#include "web/web.h"

#include "web/page.h"

void page_users(Request *r);
void post_user_add(Request *r);
void post_user_update(Request *r);
void page_offices(Request *r);
void post_office_merge(Request *r);
void page_settings(Request *r);
void post_settings(Request *r);
void page_audit(Request *r);

/* The administration sub-navigation, with zCurrent (the path of this page)
** marked; written only for an administrador (control interno reads the
** audit log without it). */
void page_admin_nav(Page *p, const char *zCurrent);

#endif
