/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The personal data pages (privacy_web.c): /admin/datos-personales (the
** administrador's retention periods and purge) and /datos-personales (the
** titular's requests, for planeación and the administrador).
*/
#ifndef PARTICIPA_PRIVACY_PRIVACY_WEB_H
#define PARTICIPA_PRIVACY_PRIVACY_WEB_H

#include "web/server.h"

void page_privacy_admin(Request *r);   /* GET /admin/datos-personales */
void post_privacy_admin(Request *r);   /* POST /admin/datos-personales */
void page_privacy_titular(Request *r); /* GET /datos-personales */
void post_privacy_titular(Request *r); /* POST /datos-personales */

#endif
