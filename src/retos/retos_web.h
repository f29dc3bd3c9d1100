/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The web pages of open challenges (retos_web.c) and of the participation
** channels and the website button (participa_web.c). The route table
** (retos_module.c) names these handlers; it checks capabilities
** ('p' for planeación's pages), CSRF and body limits before they run.
**
**   GET  /participa               every participation channel, described
**   GET  /participa/boton         the HTML snippet for the entity's website
**   GET  /retos                   challenges: open, upcoming, closed (staff: drafts)
**   GET  /retos/nuevo             new challenge form (p)
**   POST /retos/nuevo             create it (p)
**   GET  /retos/moderacion        proposals waiting for moderation (p)
**   POST /retos/propuesta/{id}    publish, reject, or file as sugerencia (p)
**   POST /retos/limite            the proposals-per-hour limit (a)
**   GET  /retos/{reto}            the challenge, its published proposals, the form
**   POST /retos/{reto}            a citizen sends a proposal (public)
**   GET  /retos/{reto}/editar     edit form (p)
**   POST /retos/{reto}/editar     save it (p)
*/
#ifndef PARTICIPA_RETOS_RETOS_WEB_H
#define PARTICIPA_RETOS_RETOS_WEB_H

#include "web/server.h"

/* Largest body of the public proposal form: the text's 5,000 characters
** percent-encoded at worst (4-byte characters) plus the other fields. */
#define RETOS_FORM_MAX_BODY ((size_t)96 * 1024)

/* src/retos/retos_web.c */
void page_retos(Request *r);
void page_reto(Request *r);
void post_reto_proposal(Request *r);
void page_reto_new(Request *r);
void post_reto_new(Request *r);
void page_reto_edit(Request *r);
void post_reto_edit(Request *r);
void page_retos_moderation(Request *r);
void post_propuesta(Request *r);
void post_retos_limit(Request *r);

/* src/retos/participa_web.c */
void page_participa(Request *r);
void page_participa_button(Request *r);

/* The menu entry of participation and retos (retos_module.c). */
#define NAV_PARTICIPA "/participa"

#endif
