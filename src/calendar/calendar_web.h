/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The administrador's calendar page (calendar_web.c), declared in
** calendar_module.c.
*/
#ifndef PARTICIPA_CALENDAR_CALENDAR_WEB_H
#define PARTICIPA_CALENDAR_CALENDAR_WEB_H

#include "web/server.h"

/* GET /admin/calendario[?anio=AÑO]: national holidays of the year, the
** entity's non-working days with a remove button each, the add form. */
void page_calendar(Request *r);
/* POST /admin/calendario: accion=agregar (fecha, motivo) or accion=quitar
** (fecha). 303 with a notice, or 422 with the page and its errors. */
void post_calendar(Request *r);

#endif
