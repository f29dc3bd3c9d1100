/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The web pages of PQRSD (peticiones, quejas, reclamos, sugerencias y
** denuncias; Ley 1755 de 2015), in src/pqrsd/pqrsd_web.c. The route table
** (pqrsd_module.c) names these handlers; the model, storage, terms and
** state machine are in pqrsd.h, which every handler calls.
**
** Public, no login:
**   GET  /pqrsd                     the form (the stable address to link to)
**   POST /pqrsd                     files it: 200 with the receipt, or 422/429
**   GET  /pqrsd/consulta            the status check form
**   POST /pqrsd/consulta            radicado + code: status, dates, answer; with
**                                   accion=adjunto the answer's attachment, with
**                                   accion=completar the information asked (art. 17)
**   GET  /pqrsd/informe             the transparency report (Ley 1712 art. 11 h)
**   GET  /datos/pqrsd.csv, .json    its figures as open data (no personal data)
** Back office (CAP_PQRSD acts; control interno reads through CAP_VERIFY):
**   GET  /pqrsd/bandeja             the inbox with filters
**   GET  /pqrsd/bandeja/{radicado}  one PQRSD: citizen, history, action forms
**   POST /pqrsd/bandeja/{radicado}  an action (field "accion")
**   GET  /pqrsd/bandeja/{radicado}/archivo/{archivo}
**                                   an attachment ("solicitud" or "respuesta")
**   GET, POST /admin/pqrsd          response terms per type and the hourly limit of
**                                   the public form (administrador)
*/
#ifndef PARTICIPA_PQRSD_PQRSD_WEB_H
#define PARTICIPA_PQRSD_PQRSD_WEB_H

#include "app/web.h"

/* ---- public ---- */
void page_pqrsd_form(Request *r);
void post_pqrsd(Request *r);
void page_pqrsd_status(Request *r);
void post_pqrsd_status(Request *r);
void page_pqrsd_report(Request *r);
void page_pqrsd_open_csv(Request *r);
void page_pqrsd_open_json(Request *r);

/* ---- back office ---- */
void page_pqrsd_inbox(Request *r);
void page_pqrsd_detail(Request *r);
void post_pqrsd_action(Request *r);
void page_pqrsd_file(Request *r);
void page_pqrsd_terms(Request *r);
void post_pqrsd_terms(Request *r);

/* The PQRSD's menu entries (pqrsd_module.c), the PageNav of its pages. */
#define NAV_PQRSD       "/pqrsd"
#define NAV_PQRSD_INBOX "/pqrsd/bandeja"

#endif
