/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Open challenges on the web (routes in retos_web.h; rules in retos.h).
**
** The public reads /retos (open, upcoming and closed challenges with their
** published proposals counted) and /retos/{reto}: the problem, the dates,
** the responsible office, the published proposals and, while the challenge
** is open, the proposal form. The form asks for the text and, optionally,
** a name and an e-mail; giving either shows why it needs the consent box
** (the personal-data notice is printed right above it). Abuse control shuts
** nobody out: a honeypot field hidden from people (and from screen readers:
** the hidden attribute), the per-address limit of retos.h, and the size
** limits; no CAPTCHA.
**
** Planeación (capability 'p', also the administrador) sees drafts too,
** creates and edits challenges (/retos/nuevo, /retos/{reto}/editar), and
** moderates at /retos/moderacion: each pending proposal with a form to
** publish it or reject it with a reason, and a button that files it as a
** PQRSD sugerencia (POST /retos/propuesta/{id}), whose radicado is then
** shown with the proposal.
**
** Conventions of web.h: GET pages never write; a POST writes in one
** transaction (retos.c) and answers 303 with a notice, or re-renders its
** form with 422 and each error beside its field (nothing stored); a missing
** challenge or proposal is 404, a draft is 404 for the public.
**
** What it does not do: SQL (retos.c), capability checks (the route table).
*/
#include "retos/retos_web.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/date.h"
#include "base/text.h"
#include "db/setting.h"
#include "office/office.h"
#include "retos/retos.h"
#include "app/page.h"

#define HONEYPOT_FIELD "sitio_web" /* the field people never see or fill */

/* ---- shared helpers ----------------------------------------------------------------- */

/* True when the signed-in user manages challenges (capability 'p'). */
static bool is_staff(Request *r) {
  const Session *pSess = web_session(r);
  return pSess != NULL && auth_role_can(pSess->eRole, CAP_PLAN);
}

/* Write the date of an ISO timestamp as page_day does. */
static void put_stamp(HtmlW *w, const char *zIso) {
  Buf b = BUF_INIT;
  char zDay[11];
  snprintf(zDay, sizeof zDay, "%.10s", zIso ? zIso : "");
  fmt_date_long(&b, zDay);
  html_open(w, HTML_TIME, HA_DATETIME, zIso);
  html_text(w, buf_str(&b));
  html_close(w, HTML_TIME);
  buf_reset(&b);
}

/* Write text z as paragraphs: a blank line separates paragraphs, a single
** line feed becomes <br>. */
static void put_paragraphs(HtmlW *w, const char *z) {
  Buf line = BUF_INIT;
  const char *c = z;
  while (*c) {
    while (*c == '\n') {
      c++;
    }
    if (*c == 0) {
      break;
    }
    html_open(w, HTML_P);
    bool bFirst = true;
    while (*c && !(c[0] == '\n' && c[1] == '\n')) {
      const char *zEnd = strchr(c, '\n');
      size_t n = zEnd ? (size_t)(zEnd - c) : strlen(c);
      if (!bFirst) {
        html_open(w, HTML_BR);
      }
      buf_clear(&line);
      buf_append(&line, c, n);
      html_text(w, buf_str(&line));
      bFirst = false;
      c += n;
      if (*c == '\n' && c[1] != '\n') {
        c++;
      }
    }
    html_close(w, HTML_P);
  }
  buf_reset(&line);
}

/* Write a dt/dd pair with text. */
static void put_dd(HtmlW *w, const char *zTerm, const char *zValue) {
  html_elem_text(w, HTML_DT, zTerm);
  html_elem_text(w, HTML_DD, zValue);
}

/* Copy the errors of e into f. */
static void errors_to_form(const RetoErrors *e, Form *f) {
  for (int i = 0; i < e->n; i++) {
    form_error(f, e->a[i].zField, "%s", e->a[i].zMsg);
  }
}

/* Write "del 1 de julio de 2021 al 31 de julio de 2021". */
static void put_span(HtmlW *w, const Reto *p) {
  html_text(w, "del ");
  page_day(w, p->opens);
  html_text(w, " al ");
  page_day(w, p->closes);
}

/* "/retos/ID" (+ zTail) into pOut. */
static const char *reto_href(Buf *pOut, int64_t id, const char *zTail) {
  buf_clear(pOut);
  buf_appendf(pOut, "/retos/%lld%s", (long long)id, zTail ? zTail : "");
  return buf_str(pOut);
}

/* A labelled checkbox (value "1") with optional hint and error. */
static void checkbox(Page *p, const Form *f, const char *zName, const char *zLabel,
                     const char *zDescribedBy, bool bChecked) {
  HtmlW *w = &p->w;
  const char *zErr = form_error_for(f, zName);
  Buf id = BUF_INIT, err = BUF_INIT, desc = BUF_INIT;
  buf_appendf(&id, "f-%s", zName);
  buf_appendf(&err, "f-%s-error", zName);
  if (zDescribedBy) {
    buf_puts(&desc, zDescribedBy);
  }
  if (zErr) {
    buf_appendf(&desc, "%s%s", desc.n ? " " : "", buf_str(&err));
  }
  html_open(w, HTML_DIV, HA_CLASS, zErr ? "campo campo-error" : "campo");
  if (zErr) {
    html_open(w, HTML_P, HA_ID, buf_str(&err), HA_CLASS, "error");
    html_text(w, zErr);
    html_close(w, HTML_P);
  }
  html_open(w, HTML_DIV, HA_CLASS, "campo-casilla");
  html_open(w, HTML_INPUT, HA_TYPE, "checkbox", HA_ID, buf_str(&id), HA_NAME, zName, HA_VALUE, "1",
            HA_CHECKED, bChecked ? "" : NULL, HA_ARIA_INVALID, zErr ? "true" : NULL,
            HA_ARIA_DESCRIBEDBY, desc.n ? buf_str(&desc) : NULL);
  html_open(w, HTML_LABEL, HA_FOR, buf_str(&id));
  html_text(w, zLabel);
  html_close(w, HTML_LABEL);
  html_close(w, HTML_DIV);
  html_close(w, HTML_DIV);
  buf_reset(&id);
  buf_reset(&err);
  buf_reset(&desc);
}

/* ---- the list: /retos --------------------------------------------------------------- */

/* One table of the challenges of status e; nothing when there are none. */
static void list_section(HtmlW *w, int n, const Reto *a, RetoStatus e, Day today,
                         const char *zHeading, bool bStaff) {
  int nShown = 0;
  for (int i = 0; i < n; i++) {
    nShown += reto_status(&a[i], today) == e;
  }
  if (nShown == 0) {
    return;
  }
  static const char *const azHead[] = {"Reto", "Dependencia responsable", "Recibe propuestas",
                                       "Propuestas publicadas", "Por moderar"};
  static const bool abNumber[] = {false, false, false, true, true};
  html_elem_text(w, HTML_H2, zHeading);
  html_open(w, HTML_DIV, HA_CLASS, "tabla-contenedor");
  page_table_begin(w, NULL, zHeading, bStaff ? 5 : 4, azHead, abNumber);
  Buf b = BUF_INIT;
  for (int i = 0; i < n; i++) {
    const Reto *p = &a[i];
    if (reto_status(p, today) != e) {
      continue;
    }
    html_open(w, HTML_TR);
    html_open(w, HTML_TH, HA_SCOPE, "row");
    html_open(w, HTML_A, HA_HREF, reto_href(&b, p->id, NULL));
    html_text(w, p->zTitle);
    html_close(w, HTML_A);
    html_close(w, HTML_TH);
    html_elem_text(w, HTML_TD, p->zOffice);
    html_open(w, HTML_TD);
    put_span(w, p);
    html_close(w, HTML_TD);
    buf_clear(&b);
    fmt_number(&b, p->nPublished);
    html_open(w, HTML_TD, HA_CLASS, "numero");
    html_text(w, buf_str(&b));
    html_close(w, HTML_TD);
    if (bStaff) {
      buf_clear(&b);
      fmt_number(&b, p->nPending);
      html_open(w, HTML_TD, HA_CLASS, "numero");
      html_text(w, buf_str(&b));
      html_close(w, HTML_TD);
    }
    html_close(w, HTML_TR);
  }
  page_table_end(w);
  html_close(w, HTML_DIV);
  buf_reset(&b);
}

void page_retos(Request *r) {
  Db *db = request_db(r);
  bool bStaff = is_staff(r);
  Reto *a = NULL;
  int n = reto_list(db, bStaff, &a);
  Day today = clock_today();
  Page pg;
  page_begin(&pg, r, "Retos", NAV_PARTICIPA);
  HtmlW *w = &pg.w;
  html_elem_text(w, HTML_H1, "Retos");
  html_elem_text(w, HTML_P,
                 "En cada reto la administración plantea un problema que se propone resolver e "
                 "invita a la ciudadanía a proponer soluciones. Las propuestas se publican en la "
                 "página del reto después de que la entidad las revisa.");
  if (bStaff) {
    int nPending = 0;
    for (int i = 0; i < n; i++) {
      nPending += a[i].nPending;
    }
    html_open(w, HTML_UL, HA_CLASS, "enlaces");
    page_link_item(w, "/retos/nuevo", "Crear un reto");
    html_open(w, HTML_LI);
    html_open(w, HTML_A, HA_HREF, "/retos/moderacion");
    if (nPending == 1) {
      html_text(w, "Moderar propuestas (1 pendiente)");
    } else {
      html_textf(w, "Moderar propuestas (%d pendientes)", nPending);
    }
    html_close(w, HTML_A);
    html_close(w, HTML_LI);
    html_close(w, HTML_UL);
  }
  int nPublic = 0;
  for (int i = 0; i < n; i++) {
    nPublic += a[i].bPublished;
  }
  if (nPublic == 0) {
    html_elem_text(w, HTML_P, "Todavía no hay retos publicados.");
  }
  list_section(w, n, a, RETO_ABIERTO, today, "Retos abiertos", bStaff);
  list_section(w, n, a, RETO_PROXIMO, today, "Próximos retos", bStaff);
  list_section(w, n, a, RETO_CERRADO, today, "Retos cerrados", bStaff);
  if (bStaff) {
    list_section(w, n, a, RETO_BORRADOR, today, "Borradores (solo los ve planeación)", bStaff);
  }
  reto_list_free(n, a);
  page_end(&pg);
}

/* ---- one challenge: /retos/{reto} ---------------------------------------------------- */

/* What the proposal form shows: the values sent, or empty. */
typedef struct PropForm {
  const char *zName;  /* name as typed */
  const char *zEmail; /* e-mail as typed */
  const char *zBody;  /* proposal as typed */
  bool bConsent;      /* the box was ticked */
} PropForm;

/* The proposal form of challenge p. */
static void proposal_form(Page *pg, const Reto *p, const PropForm *pIn, const Form *f) {
  HtmlW *w = &pg->w;
  Buf b = BUF_INIT;
  page_section_begin(w, "proponer", "Envíe su propuesta");
  html_open(w, HTML_P);
  html_text(w, "Se reciben propuestas hasta el ");
  page_day(w, p->closes);
  html_text(w, ". La entidad revisa cada propuesta antes de publicarla en esta página.");
  html_close(w, HTML_P);
  page_form_errors(pg, f);
  page_form_begin(pg, reto_href(&b, p->id, NULL), false);
  Field fBody = {.zName = "texto",
                 .zLabel = "Su propuesta",
                 .zValue = pIn ? pIn->zBody : NULL,
                 .zHint = "Qué propone y cómo ayudaría a resolver el problema. Hasta 5.000 "
                          "caracteres.",
                 .bRequired = true,
                 .zMaxLength = "5000"};
  page_textarea(pg, f, &fBody, 8);

  html_open(w, HTML_FIELDSET);
  html_elem_text(w, HTML_LEGEND, "Sus datos (opcionales)");
  html_elem_text(w, HTML_P,
                 "Si no escribe nombre ni correo, la propuesta se envía de forma anónima. Si "
                 "escribe su nombre, se publica junto a la propuesta; el correo nunca se "
                 "publica.");
  Field fName = {.zName = "nombre",
                 .zLabel = "Nombre",
                 .zValue = pIn ? pIn->zName : NULL,
                 .zAutocomplete = "name",
                 .zMaxLength = "120"};
  page_field(pg, f, &fName);
  Field fEmail = {.zName = "correo",
                  .zLabel = "Correo electrónico",
                  .zValue = pIn ? pIn->zEmail : NULL,
                  .zType = "email",
                  .zHint = "Para que la entidad pueda responderle.",
                  .zAutocomplete = "email",
                  .zMaxLength = "254"};
  page_field(pg, f, &fEmail);
  char *zEntity = setting_entity_name_dup(request_db(pg->r));
  char *zNotice = retos_notice_text_dup(zEntity);
  html_open(w, HTML_P, HA_ID, "aviso-datos", HA_CLASS, "ayuda");
  html_text(w, zNotice);
  html_close(w, HTML_P);
  free(zNotice);
  free(zEntity);
  checkbox(pg, f, "consentimiento",
           "Autorizo el tratamiento de mis datos personales según el aviso anterior (solo si "
           "escribe su nombre o su correo)",
           "aviso-datos", pIn && pIn->bConsent);
  html_close(w, HTML_FIELDSET);

  /* the honeypot: hidden from people and assistive technology alike, so
  ** only a program that fills every field it finds fills it */
  html_open(w, HTML_DIV, HA_HIDDEN, "");
  html_open(w, HTML_LABEL, HA_FOR, "f-" HONEYPOT_FIELD);
  html_text(w, "No escriba nada en este campo");
  html_close(w, HTML_LABEL);
  html_open(w, HTML_INPUT, HA_TYPE, "text", HA_ID, "f-" HONEYPOT_FIELD, HA_NAME, HONEYPOT_FIELD,
            HA_AUTOCOMPLETE, "off", HA_TABINDEX, "-1");
  html_close(w, HTML_DIV);

  page_submit(pg, "Enviar propuesta");
  page_form_end(pg);
  html_close(w, HTML_SECTION);
  buf_reset(&b);
}

/* Why challenge p takes no proposals now. */
static void closed_note(HtmlW *w, const Reto *p, RetoStatus e) {
  html_open(w, HTML_P);
  if (e == RETO_PROXIMO) {
    html_text(w, "Este reto recibirá propuestas desde el ");
    page_day(w, p->opens);
    html_text(w, " hasta el ");
    page_day(w, p->closes);
    html_text(w, ".");
  } else if (e == RETO_CERRADO) {
    html_text(w, "Este reto ya no recibe propuestas: cerró el ");
    page_day(w, p->closes);
    html_text(w, ". Puede enviar sus ideas a la entidad como sugerencia por el ");
    html_open(w, HTML_A, HA_HREF, "/pqrsd");
    html_text(w, "formulario de PQRSD");
    html_close(w, HTML_A);
    html_text(w, ".");
  } else {
    html_text(w, "Este reto es un borrador: no se ve en las páginas públicas ni recibe "
                 "propuestas hasta que se publique.");
  }
  html_close(w, HTML_P);
}

/* The heading of proposal p: "Propuesta de NAME" or "Propuesta anónima". */
static void proposal_heading(HtmlW *w, HtmlTag eTag, const char *zId, const Propuesta *p) {
  html_open(w, eTag, HA_ID, zId);
  if (p->zName[0]) {
    html_textf(w, "Propuesta de %s", p->zName);
  } else {
    html_text(w, "Propuesta anónima");
  }
  html_close(w, eTag);
}

/* The radicado line of a proposal filed as sugerencia (nothing otherwise). */
static void radicado_line(HtmlW *w, const Propuesta *p) {
  if (p->zRadicado[0] == 0) {
    return;
  }
  html_open(w, HTML_P);
  html_text(w, "Radicada como sugerencia con el número ");
  html_elem_text(w, HTML_STRONG, p->zRadicado);
  html_text(w, ".");
  html_close(w, HTML_P);
}

/* The button that files proposal p as a sugerencia; zBack is "reto" or
** "moderacion" (where to return). */
static void sugerencia_button(Page *pg, const Propuesta *p, const char *zBack) {
  if (p->zRadicado[0]) {
    return;
  }
  Buf action = BUF_INIT, label = BUF_INIT;
  buf_appendf(&action, "/retos/propuesta/%lld", (long long)p->id);
  buf_appendf(&label, "Radicar la propuesta %lld como sugerencia", (long long)p->id);
  const char *const azPair[] = {"accion", "sugerencia", "volver", zBack};
  page_button_form(pg, buf_str(&action), buf_str(&label), 2, azPair);
  buf_reset(&action);
  buf_reset(&label);
}

/* The published proposals (and for staff, the rejected ones). */
static void proposals_section(Page *pg, const Reto *p, bool bStaff) {
  HtmlW *w = &pg->w;
  Db *db = request_db(pg->r);
  Propuesta *a = NULL;
  int n = reto_proposals(db, p->id, bStaff, &a);
  Buf id = BUF_INIT;
  html_open(w, HTML_SECTION, HA_ARIA_LABELLEDBY, "propuestas");
  html_open(w, HTML_H2, HA_ID, "propuestas");
  html_textf(w, "Propuestas publicadas (%d)", p->nPublished);
  html_close(w, HTML_H2);
  if (p->nPublished == 0) {
    html_elem_text(w, HTML_P, "Todavía no hay propuestas publicadas.");
  }
  for (int i = 0; i < n; i++) {
    const Propuesta *q = &a[i];
    if (q->eStatus != PROP_PUBLICADA) {
      continue;
    }
    buf_clear(&id);
    buf_appendf(&id, "propuesta-%lld", (long long)q->id);
    html_open(w, HTML_ARTICLE, HA_ARIA_LABELLEDBY, buf_str(&id));
    proposal_heading(w, HTML_H3, buf_str(&id), q);
    html_open(w, HTML_P, HA_CLASS, "tenue");
    html_text(w, "Recibida el ");
    put_stamp(w, q->zReceivedAt);
    html_text(w, ".");
    html_close(w, HTML_P);
    /* the moderator's public version, never the citizen's own text */
    put_paragraphs(w, q->zPublicBody);
    radicado_line(w, q);
    if (bStaff) {
      sugerencia_button(pg, q, "reto");
    }
    html_close(w, HTML_ARTICLE);
  }
  html_close(w, HTML_SECTION);
  if (bStaff && p->nRejected > 0) {
    html_open(w, HTML_SECTION, HA_ARIA_LABELLEDBY, "rechazadas");
    html_open(w, HTML_H2, HA_ID, "rechazadas");
    html_textf(w, "Propuestas rechazadas (%d; solo las ve planeación)", p->nRejected);
    html_close(w, HTML_H2);
    for (int i = 0; i < n; i++) {
      const Propuesta *q = &a[i];
      if (q->eStatus != PROP_RECHAZADA) {
        continue;
      }
      buf_clear(&id);
      buf_appendf(&id, "propuesta-%lld", (long long)q->id);
      html_open(w, HTML_ARTICLE, HA_ARIA_LABELLEDBY, buf_str(&id));
      proposal_heading(w, HTML_H3, buf_str(&id), q);
      html_open(w, HTML_P, HA_CLASS, "tenue");
      html_textf(w, "Rechazada por %s: %s", q->zModerator, q->zReason);
      html_close(w, HTML_P);
      put_paragraphs(w, q->zBody);
      radicado_line(w, q);
      sugerencia_button(pg, q, "reto");
      html_close(w, HTML_ARTICLE);
    }
    html_close(w, HTML_SECTION);
  }
  buf_reset(&id);
  propuesta_list_free(n, a);
}

/* Write the page of challenge p; pIn and f carry a refused proposal. */
static void reto_page(Request *r, const Reto *p, const PropForm *pIn, const Form *f) {
  bool bStaff = is_staff(r);
  RetoStatus e = reto_status(p, clock_today());
  Buf b = BUF_INIT;
  Page pg;
  page_begin(&pg, r, p->zTitle, NAV_PARTICIPA);
  HtmlW *w = &pg.w;
  html_open(w, HTML_P);
  html_open(w, HTML_A, HA_HREF, "/retos");
  html_text(w, "Todos los retos");
  html_close(w, HTML_A);
  html_close(w, HTML_P);
  html_elem_text(w, HTML_H1, p->zTitle);
  html_open(w, HTML_DL, HA_CLASS, "campos");
  put_dd(w, "Estado", reto_status_label(e));
  put_dd(w, "Dependencia responsable", p->zOffice);
  html_elem_text(w, HTML_DT, "Recibe propuestas");
  html_open(w, HTML_DD);
  put_span(w, p);
  html_close(w, HTML_DD);
  html_close(w, HTML_DL);
  if (bStaff) {
    html_open(w, HTML_UL, HA_CLASS, "enlaces");
    page_link_item(w, reto_href(&b, p->id, "/editar"), "Editar este reto");
    html_open(w, HTML_LI);
    html_open(w, HTML_A, HA_HREF, "/retos/moderacion");
    html_textf(w, "Moderar propuestas (%d pendiente%s de este reto)", p->nPending,
               p->nPending == 1 ? "" : "s");
    html_close(w, HTML_A);
    html_close(w, HTML_LI);
    html_close(w, HTML_UL);
  }
  html_elem_text(w, HTML_H2, "El problema");
  put_paragraphs(w, p->zDescription);
  if (e == RETO_ABIERTO) {
    proposal_form(&pg, p, pIn, f);
  } else {
    closed_note(w, p, e);
  }
  proposals_section(&pg, p, bStaff);
  page_end(&pg);
  buf_reset(&b);
}

/* Load the challenge of route parameter {reto} into *p, answering 404
** when there is none or when it is a draft and the user is not staff. */
static bool reto_of_request(Request *r, Reto *p) {
  int64_t id = request_param_int(r, "reto");
  if (id == 0 || !reto_load(request_db(r), id, p) || (!p->bPublished && !is_staff(r))) {
    reto_reset(p);
    response_error(r, 404, "No existe ese reto. Vea la lista de retos en /retos.");
    return false;
  }
  return true;
}

void page_reto(Request *r) {
  Reto reto;
  if (!reto_of_request(r, &reto)) {
    return;
  }
  reto_page(r, &reto, NULL, NULL);
  reto_reset(&reto);
}

void post_reto_proposal(Request *r) {
  Reto reto;
  if (!reto_of_request(r, &reto)) {
    return;
  }
  Db *db = request_db(r);
  const char *zTrap = request_form(r, HONEYPOT_FIELD);
  if (zTrap && zTrap[0]) {
    response_error(r, 422,
                   "No se recibió la propuesta: llegó lleno un campo oculto que las personas no "
                   "ven y que solo llenan los programas automáticos. Si usted es una persona, "
                   "vuelva a cargar la página del reto y envíe de nuevo su propuesta.");
    reto_reset(&reto);
    return;
  }
  PropForm in = {.zName = request_form(r, "nombre"),
                 .zEmail = request_form(r, "correo"),
                 .zBody = request_form(r, "texto"),
                 .bConsent = str_eq(request_form(r, "consentimiento"), "1")};
  PropuestaInput pi = {.zName = in.zName,
                       .zEmail = in.zEmail,
                       .zBody = in.zBody,
                       .bConsent = in.bConsent,
                       .zAddress = request_remote_addr(r)};
  RetoErrors e = {0};
  Form f = {0};
  int64_t iProp = 0;
  int nWait = 0;
  char *zEntity = setting_entity_name_dup(db);
  ProposeResult rc = reto_propose(db, reto.id, &pi, zEntity, &iProp, &nWait, &e);
  free(zEntity);
  Buf b = BUF_INIT;
  switch (rc) {
  case PROPOSE_OK:
    reto_href(&b, reto.id, "?aviso=propuesta-recibida");
    response_redirect(r, buf_str(&b));
    break;
  case PROPOSE_INVALID:
    errors_to_form(&e, &f);
    reto_page(r, &reto, &in, &f);
    response_status(r, 422);
    break;
  case PROPOSE_THROTTLED: {
    int nMin = (nWait + 59) / 60;
    form_error(&f, "",
               "Desde su conexión se enviaron ya %d propuestas en la última hora, el límite que "
               "evita abusos. Su texto sigue abajo: vuelva a enviarlo en %d minuto%s.",
               retos_limit(db), nMin, nMin == 1 ? "" : "s");
    reto_page(r, &reto, &in, &f);
    response_status(r, 429);
    char zRetry[16];
    snprintf(zRetry, sizeof zRetry, "%d", nWait);
    response_header(r, "Retry-After", zRetry);
    break;
  }
  case PROPOSE_NOT_OPEN:
    /* closed (or moved back) between the page and the submission */
    buf_appendf(&b,
                "El reto «%s» no está recibiendo propuestas en este momento. Puede enviar su "
                "idea a la entidad como sugerencia por el formulario de PQRSD (/pqrsd).",
                reto.zTitle);
    response_error(r, 409, buf_str(&b));
    break;
  }
  buf_reset(&b);
  form_reset(&f);
  retos_errors_reset(&e);
  reto_reset(&reto);
}

/* ---- creating and editing: /retos/nuevo, /retos/{reto}/editar ---------------------- */

/* What the challenge form shows. */
typedef struct RetoForm {
  const char *zTitle;  /* title */
  const char *zDesc;   /* problem statement */
  const char *zOpens;  /* opening date as typed (ISO from the date input) */
  const char *zCloses; /* closing date */
  const char *zOffice; /* office id */
  bool bPublished;     /* publish box */
} RetoForm;

/* Write the create (pOld NULL) or edit form page. */
static void reto_form_page(Request *r, const Reto *pOld, const RetoForm *pIn, const Form *f) {
  Db *db = request_db(r);
  Buf title = BUF_INIT, b = BUF_INIT;
  if (pOld) {
    buf_appendf(&title, "Editar el reto «%s»", pOld->zTitle);
  } else {
    buf_puts(&title, "Nuevo reto");
  }
  Page pg;
  page_begin(&pg, r, buf_str(&title), NAV_PARTICIPA);
  HtmlW *w = &pg.w;
  html_elem_text(w, HTML_H1, buf_str(&title));
  page_form_errors(&pg, f);
  html_elem_text(w, HTML_P,
                 "Un reto plantea a la ciudadanía un problema que la administración se propone "
                 "resolver. Mientras esté abierto, cualquiera puede enviar propuestas; cada una "
                 "se publica después de moderarla.");
  OfficeInfo *aOffice = NULL;
  int nOffice = office_catalogue(db, &aOffice);
  page_form_begin(&pg, pOld ? reto_href(&b, pOld->id, "/editar") : "/retos/nuevo", false);
  Field fTitle = {.zName = "titulo",
                  .zLabel = "Título",
                  .zValue = pIn->zTitle,
                  .zHint = "Una frase que nombre el problema. Hasta 200 caracteres.",
                  .bRequired = true,
                  .zMaxLength = "200"};
  page_field(&pg, f, &fTitle);
  Field fDesc = {.zName = "descripcion",
                 .zLabel = "Planteamiento del problema",
                 .zValue = pIn->zDesc,
                 .zHint = "Qué pasa, a quién afecta y qué se espera de las propuestas. Deje una "
                          "línea en blanco entre párrafos. Hasta 10.000 caracteres.",
                 .bRequired = true,
                 .zMaxLength = "10000"};
  page_textarea(&pg, f, &fDesc, 10);
  Field fOpens = {.zName = "abre",
                  .zLabel = "Recibe propuestas desde",
                  .zValue = pIn->zOpens,
                  .zType = "date",
                  .bRequired = true};
  page_field(&pg, f, &fOpens);
  Field fCloses = {.zName = "cierra",
                   .zLabel = "Recibe propuestas hasta (incluido)",
                   .zValue = pIn->zCloses,
                   .zType = "date",
                   .bRequired = true};
  page_field(&pg, f, &fCloses);
  const char **azValue = xcalloc((size_t)nOffice + 1, sizeof *azValue);
  const char **azLabel = xcalloc((size_t)nOffice + 1, sizeof *azLabel);
  char **azId = xcalloc((size_t)nOffice + 1, sizeof *azId);
  azValue[0] = "";
  azLabel[0] = "Elija la dependencia";
  for (int i = 0; i < nOffice; i++) {
    azId[i] = xasprintf("%lld", (long long)aOffice[i].id);
    azValue[i + 1] = azId[i];
    azLabel[i + 1] = aOffice[i].zName;
  }
  Field fOffice = {.zName = "dependencia",
                   .zLabel = "Dependencia responsable",
                   .zValue = pIn->zOffice,
                   .zHint = nOffice == 0 ? "El catálogo de dependencias está vacío: las "
                                           "dependencias llegan con el plan."
                                         : NULL,
                   .bRequired = true};
  page_select(&pg, f, &fOffice, nOffice + 1, azValue, azLabel);
  for (int i = 0; i < nOffice; i++) {
    free(azId[i]);
  }
  free(azId);
  free(azValue);
  free(azLabel);
  office_catalogue_free(nOffice, aOffice);
  html_open(w, HTML_P, HA_ID, "publicar-ayuda", HA_CLASS, "ayuda");
  html_text(w, "Sin publicar, el reto es un borrador que solo ve planeación. Publicado, se ve "
               "en /retos y recibe propuestas entre las dos fechas.");
  html_close(w, HTML_P);
  checkbox(&pg, f, "publicado", "Publicar el reto", "publicar-ayuda", pIn->bPublished);
  page_submit(&pg, "Guardar el reto");
  page_form_end(&pg);
  page_end(&pg);
  buf_reset(&title);
  buf_reset(&b);
}

/* Read the challenge form of the request into *pIn and *pOut; date and
** office errors go to f. */
static void reto_form_read(Request *r, RetoForm *pIn, RetoInput *pOut, Form *f) {
  pIn->zTitle = request_form(r, "titulo");
  pIn->zDesc = request_form(r, "descripcion");
  pIn->zOpens = request_form(r, "abre");
  pIn->zCloses = request_form(r, "cierra");
  pIn->zOffice = request_form(r, "dependencia");
  pIn->bPublished = str_eq(request_form(r, "publicado"), "1");
  memset(pOut, 0, sizeof *pOut);
  pOut->zTitle = pIn->zTitle;
  pOut->zDescription = pIn->zDesc;
  pOut->bPublished = pIn->bPublished;
  Buf err = BUF_INIT;
  if (!str_is_blank(pIn->zOpens)) {
    pOut->bOpens = date_parse(pIn->zOpens, &pOut->opens, &err);
    if (!pOut->bOpens) {
      form_error(f, "abre", "fecha de apertura: %s", buf_str(&err));
    }
  }
  buf_clear(&err);
  if (!str_is_blank(pIn->zCloses)) {
    pOut->bCloses = date_parse(pIn->zCloses, &pOut->closes, &err);
    if (!pOut->bCloses) {
      form_error(f, "cierra", "fecha de cierre: %s", buf_str(&err));
    }
  }
  buf_reset(&err);
  const char *z = pIn->zOffice ? pIn->zOffice : "";
  if (z[0] && strlen(z) <= 15 && strspn(z, "0123456789") == strlen(z)) {
    pOut->iOffice = (int64_t)strtoll(z, NULL, 10);
  }
}

void page_reto_new(Request *r) {
  RetoForm in = {0};
  reto_form_page(r, NULL, &in, NULL);
}

void post_reto_new(Request *r) {
  RetoForm in;
  RetoInput ri;
  Form f = {0};
  reto_form_read(r, &in, &ri, &f);
  RetoErrors e = {0};
  /* a date that did not parse reaches the rules as missing: refused */
  int64_t id = reto_create(request_db(r), &ri, web_actor(r), &e);
  if (id > 0) {
    Buf b = BUF_INIT;
    response_redirect(r, reto_href(&b, id, "?aviso=reto-creado"));
    buf_reset(&b);
  } else {
    errors_to_form(&e, &f);
    reto_form_page(r, NULL, &in, &f);
    response_status(r, 422);
  }
  retos_errors_reset(&e);
  form_reset(&f);
}

/* Load the challenge of {reto} for editing (404 when there is none). */
static bool reto_for_edit(Request *r, Reto *p) {
  int64_t id = request_param_int(r, "reto");
  if (id == 0 || !reto_load(request_db(r), id, p)) {
    reto_reset(p);
    response_error(r, 404, "No existe ese reto.");
    return false;
  }
  return true;
}

void page_reto_edit(Request *r) {
  Reto reto;
  if (!reto_for_edit(r, &reto)) {
    return;
  }
  Buf opens = BUF_INIT, closes = BUF_INIT;
  date_format_iso(reto.opens, &opens);
  date_format_iso(reto.closes, &closes);
  char zOffice[24];
  snprintf(zOffice, sizeof zOffice, "%lld", (long long)reto.iOffice);
  RetoForm in = {.zTitle = reto.zTitle,
                 .zDesc = reto.zDescription,
                 .zOpens = buf_str(&opens),
                 .zCloses = buf_str(&closes),
                 .zOffice = zOffice,
                 .bPublished = reto.bPublished};
  reto_form_page(r, &reto, &in, NULL);
  buf_reset(&opens);
  buf_reset(&closes);
  reto_reset(&reto);
}

void post_reto_edit(Request *r) {
  Reto reto;
  if (!reto_for_edit(r, &reto)) {
    return;
  }
  RetoForm in;
  RetoInput ri;
  Form f = {0};
  reto_form_read(r, &in, &ri, &f);
  RetoErrors e = {0};
  /* a date that did not parse reaches the rules as missing, so the update
  ** is refused whenever f has an error already */
  int rc = reto_update(request_db(r), reto.id, &ri, web_actor(r), &e);
  if (rc >= 0) {
    Buf b = BUF_INIT;
    response_redirect(
        r, reto_href(&b, reto.id, rc ? "?aviso=reto-guardado" : "?aviso=reto-sin-cambios"));
    buf_reset(&b);
  } else if (rc == -2) {
    response_error(r, 404, "No existe ese reto.");
  } else {
    errors_to_form(&e, &f);
    reto_form_page(r, &reto, &in, &f);
    response_status(r, 422);
  }
  retos_errors_reset(&e);
  form_reset(&f);
  reto_reset(&reto);
}

/* ---- moderation: /retos/moderacion, POST /retos/propuesta/{id} ---------------------- */

/* What was sent for one proposal, shown again when the decision is refused. */
typedef struct ModInput {
  int64_t iProp;            /* the proposal the form was for */
  const char *zAction;      /* "publicar", "rechazar", or NULL */
  const char *zReason;      /* the reason as typed */
  const char *zPublic;      /* the public text as typed */
  const char *zFieldAction; /* Form key of its decision ("accion-ID") */
} ModInput;

/* The decision form of proposal p. */
static void moderation_form(Page *pg, const Propuesta *p, const ModInput *pIn, const Form *f) {
  long long iId = (long long)p->id;
  Buf action = BUF_INIT, id = BUF_INIT, legend = BUF_INIT;
  buf_appendf(&action, "/retos/propuesta/%lld", iId);
  page_form_begin(pg, buf_str(&action), false);
  page_hidden(pg, "volver", "moderacion");
  static const Choice aAction[] = {
      {"publicar", "Publicar: se verá en la página del reto", NULL},
      {"rechazar", "Rechazar: no se publicará; diga por qué", NULL}};
  buf_appendf(&id, "accion-%lld", iId);
  buf_appendf(&legend, "Decisión sobre la propuesta %lld", iId);
  RadioGroup g = {.zName = "accion",
                  .zKey = buf_str(&id),
                  .zLegend = buf_str(&legend),
                  .bRequired = true,
                  .zChecked = pIn ? pIn->zAction : NULL};
  page_radio_group(pg, pIn ? f : NULL, &g, 2, aAction);

  /* one form per proposal on the page: the fields' ids and errors carry its id */
  buf_clear(&id);
  buf_appendf(&id, "publico-%lld", iId);
  Field pub = {.zName = "texto_publico",
               .zKey = buf_str(&id),
               .zLabel = "Texto que se publica",
               .zHint = "Obligatorio para publicar: solo este texto se muestra en la página del "
                        "reto. Viene con el texto del ciudadano; revíselo y quite los datos "
                        "personales (teléfonos, direcciones, documentos, datos de terceros).",
               .zValue = pIn && pIn->zPublic ? pIn->zPublic : p->zBody,
               .zMaxLength = "5000"};
  page_textarea(pg, pIn ? f : NULL, &pub, 6);
  buf_clear(&id);
  buf_appendf(&id, "motivo-%lld", iId);
  Field reason = {.zName = "motivo",
                  .zKey = buf_str(&id),
                  .zLabel = "Motivo del rechazo",
                  .zHint = "Obligatorio para rechazar (por ejemplo: lenguaje ofensivo, datos "
                           "personales de terceros, no trata del reto). Se guarda con la "
                           "propuesta; no se publica.",
                  .zValue = pIn ? pIn->zReason : NULL,
                  .zMaxLength = "2000"};
  page_textarea(pg, pIn ? f : NULL, &reason, 3);
  page_submit(pg, "Registrar decisión");
  page_form_end(pg);
  buf_reset(&action);
  buf_reset(&id);
  buf_reset(&legend);
}

/* One pending proposal of the queue. */
static void queue_item(Page *pg, const Propuesta *p, const ModInput *pIn, const Form *f) {
  HtmlW *w = &pg->w;
  Buf id = BUF_INIT, b = BUF_INIT;
  buf_appendf(&id, "propuesta-%lld", (long long)p->id);
  html_open(w, HTML_ARTICLE, HA_ARIA_LABELLEDBY, buf_str(&id));
  html_open(w, HTML_H2, HA_ID, buf_str(&id));
  html_textf(w, "Propuesta %lld al reto «%s»", (long long)p->id, p->zRetoTitle);
  html_close(w, HTML_H2);
  html_open(w, HTML_DL, HA_CLASS, "campos");
  html_elem_text(w, HTML_DT, "Reto");
  html_open(w, HTML_DD);
  html_open(w, HTML_A, HA_HREF, reto_href(&b, p->iReto, NULL));
  html_text(w, p->zRetoTitle);
  html_close(w, HTML_A);
  html_close(w, HTML_DD);
  html_elem_text(w, HTML_DT, "Recibida");
  html_open(w, HTML_DD);
  put_stamp(w, p->zReceivedAt);
  html_close(w, HTML_DD);
  put_dd(w, "Autor", p->zName[0] ? p->zName : "Anónima");
  if (p->zEmail[0]) {
    put_dd(w, "Correo (no se publica)", p->zEmail);
  }
  if (p->zRadicado[0]) {
    put_dd(w, "Radicada como sugerencia", p->zRadicado);
  }
  put_dd(w, "Propuesta", p->zBody);
  html_close(w, HTML_DL);
  moderation_form(pg, p, (pIn && pIn->iProp == p->id) ? pIn : NULL, f);
  sugerencia_button(pg, p, "moderacion");
  html_close(w, HTML_ARTICLE);
  buf_reset(&id);
  buf_reset(&b);
}

/* The administrador's form for the hourly limit (zValue as typed, or NULL
** for the setting in force). */
static void limit_form(Page *pg, const char *zValue, const Form *f) {
  HtmlW *w = &pg->w;
  char zNow[16];
  snprintf(zNow, sizeof zNow, "%d", retos_limit(request_db(pg->r)));
  page_section_begin(w, "limite", "Límite de propuestas por hora");
  page_form_begin(pg, "/retos/limite", false);
  Field fld = {.zName = "limite_hora",
               .zLabel = "Propuestas por hora desde una misma conexión",
               .zValue = zValue ? zValue : zNow,
               .zHint = "Frena los envíos masivos sin cerrarle el paso a nadie: quien llega al "
                        "límite ve cuándo puede volver a enviar. 0 = sin límite. Detrás de un "
                        "proxy todas las conexiones cuentan como una.",
               .zType = "number",
               .bRequired = true,
               .zMin = "0",
               .zMax = "10000",
               .zStep = "1",
               .zInputMode = "numeric"};
  page_field(pg, f, &fld);
  page_submit(pg, "Guardar el límite");
  page_form_end(pg);
  html_close(w, HTML_SECTION);
}

/* Write the moderation queue; pIn and f carry a refused decision (or
** NULL); zLimit is the limit as typed when that form was refused. */
static void moderation_page_full(Request *r, const ModInput *pIn, const Form *f,
                                 const char *zLimit) {
  Propuesta *a = NULL;
  int n = retos_pending(request_db(r), &a);
  Page pg;
  page_begin(&pg, r, "Moderación de propuestas", NAV_PARTICIPA);
  HtmlW *w = &pg.w;
  html_elem_text(w, HTML_H1, "Moderación de propuestas");
  page_form_errors(&pg, f);
  if (n == 0) {
    html_elem_text(w, HTML_P, "No hay propuestas pendientes de moderación.");
  } else {
    html_open(w, HTML_P);
    if (n == 1) {
      html_text(w, "1 propuesta espera moderación.");
    } else {
      html_textf(w, "%d propuestas esperan moderación, de la más antigua a la más reciente.", n);
    }
    html_text(w, " Una propuesta publicada se ve en la página de su reto con el nombre de quien "
                 "la envió (si lo dio); una rechazada no se publica. Cualquier propuesta puede "
                 "radicarse como sugerencia: recibe un radicado y un término legal de respuesta.");
    html_close(w, HTML_P);
    for (int i = 0; i < n; i++) {
      queue_item(&pg, &a[i], pIn, f);
    }
  }
  const Session *pSess = web_session(r);
  if (pSess && auth_role_can(pSess->eRole, CAP_ADMIN)) {
    limit_form(&pg, zLimit, f);
  }
  html_open(w, HTML_P);
  html_open(w, HTML_A, HA_HREF, "/retos");
  html_text(w, "Volver a los retos");
  html_close(w, HTML_A);
  html_close(w, HTML_P);
  page_end(&pg);
  propuesta_list_free(n, a);
}

static void moderation_page(Request *r, const ModInput *pIn, const Form *f) {
  moderation_page_full(r, pIn, f, NULL);
}

void post_retos_limit(Request *r) {
  const char *zValue = request_form(r, "limite_hora");
  const char *z = zValue ? zValue : "";
  char *zErr = NULL;
  bool bNumber = z[0] && strlen(z) <= 6 && strspn(z, "0123456789") == strlen(z);
  if (bNumber && retos_limit_set(request_db(r), atoi(z), web_actor(r), &zErr)) {
    response_redirect(r, "/retos/moderacion?aviso=retos-limite-guardado");
    return;
  }
  Form f = {0};
  form_error(&f, "limite_hora", "%s",
             zErr ? zErr : "escriba el límite como un número entero: 0 (sin límite) o más");
  free(zErr);
  moderation_page_full(r, NULL, &f, zValue);
  response_status(r, 422);
  form_reset(&f);
}

void page_retos_moderation(Request *r) {
  moderation_page(r, NULL, NULL);
}

/* Redirect after a decision on proposal p: to its challenge when the form
** came from there, else to the queue; with notice zNotice. */
static void redirect_back(Request *r, const Propuesta *p, const char *zNotice) {
  Buf b = BUF_INIT;
  if (str_eq(request_form(r, "volver"), "reto")) {
    buf_appendf(&b, "/retos/%lld?aviso=%s#propuesta-%lld", (long long)p->iReto, zNotice,
                (long long)p->id);
  } else {
    buf_appendf(&b, "/retos/moderacion?aviso=%s", zNotice);
  }
  response_redirect(r, buf_str(&b));
  buf_reset(&b);
}

/* File proposal p as a sugerencia. */
static void file_as_sugerencia(Request *r, const Propuesta *p) {
  bool bMissing = false;
  char *zErr = NULL;
  char *zRadicado =
      propuesta_to_sugerencia_dup(request_db(r), p->id, web_actor(r), &bMissing, &zErr);
  if (zRadicado) {
    redirect_back(r, p, "propuesta-radicada");
    free(zRadicado);
    return;
  }
  Buf msg = BUF_INIT;
  buf_appendf(&msg, "No se radicó la propuesta: %s.", zErr);
  response_error(r, bMissing ? 404 : 409, buf_str(&msg));
  buf_reset(&msg);
  free(zErr);
}

void post_propuesta(Request *r) {
  Db *db = request_db(r);
  int64_t iProp = request_param_int(r, "id");
  Propuesta p;
  if (iProp == 0 || !propuesta_load(db, iProp, &p)) {
    response_error(r, 404, "No existe esa propuesta.");
    return;
  }
  const char *zAction = request_form(r, "accion");
  if (str_eq(zAction, "sugerencia")) {
    file_as_sugerencia(r, &p);
    propuesta_reset(&p);
    return;
  }
  if (p.eStatus != PROP_PENDIENTE) {
    Buf msg = BUF_INIT;
    buf_appendf(&msg,
                "La propuesta %lld ya fue %s por %s. Vuelva a la moderación para ver las "
                "pendientes.",
                (long long)iProp, p.eStatus == PROP_PUBLICADA ? "publicada" : "rechazada",
                p.zModerator[0] ? p.zModerator : "otra persona");
    response_error(r, 409, buf_str(&msg));
    buf_reset(&msg);
    propuesta_reset(&p);
    return;
  }
  char zFieldAction[40], zFieldReason[40], zFieldPublic[40];
  snprintf(zFieldAction, sizeof zFieldAction, "accion-%lld", (long long)iProp);
  snprintf(zFieldReason, sizeof zFieldReason, "motivo-%lld", (long long)iProp);
  snprintf(zFieldPublic, sizeof zFieldPublic, "publico-%lld", (long long)iProp);
  Form f = {0};
  bool bApprove = str_eq(zAction, "publicar");
  const char *zReason = request_form(r, "motivo");
  const char *zPublic = request_form(r, "texto_publico");
  if (!bApprove && !str_eq(zAction, "rechazar")) {
    form_error(&f, zFieldAction, "propuesta %lld: elija si la publica o la rechaza",
               (long long)iProp);
  } else if (bApprove && str_is_blank(zPublic)) {
    form_error(&f, zFieldPublic,
               "propuesta %lld: escriba el texto que se publica; es lo único que verá el público",
               (long long)iProp);
  } else if (bApprove && text_width(zPublic) > RETOS_BODY_MAX) {
    form_error(&f, zFieldPublic,
               "propuesta %lld: el texto que se publica tiene %zu caracteres y el máximo es 5.000",
               (long long)iProp, text_width(zPublic));
  } else if (!bApprove && str_is_blank(zReason)) {
    form_error(&f, zFieldReason,
               "propuesta %lld: escriba el motivo del rechazo; se guarda con la propuesta",
               (long long)iProp);
  } else if (!bApprove && text_width(zReason) > RETOS_REASON_MAX) {
    form_error(&f, zFieldReason,
               "propuesta %lld: el motivo tiene %zu caracteres y el máximo es 2.000",
               (long long)iProp, text_width(zReason));
  }
  if (f.nErr > 0) {
    ModInput in = {.iProp = iProp,
                   .zAction = zAction,
                   .zReason = zReason,
                   .zPublic = zPublic,
                   .zFieldAction = zFieldAction};
    moderation_page(r, &in, &f);
    response_status(r, 422);
  } else {
    char *zErr = NULL;
    bool bMissing = false;
    if (propuesta_moderate(db, iProp, bApprove, zPublic, zReason, web_actor(r), &bMissing, &zErr)) {
      redirect_back(r, &p, bApprove ? "propuesta-publicada" : "propuesta-rechazada");
    } else {
      Buf msg = BUF_INIT;
      buf_appendf(&msg, "No se registró la decisión: %s.", zErr);
      response_error(r, bMissing ? 404 : 409, buf_str(&msg));
      buf_reset(&msg);
      free(zErr);
    }
  }
  form_reset(&f);
  propuesta_reset(&p);
}
