/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Page layout and form building blocks shared by every page, so that each
** page has the same skeleton (skip link, header with the entity, navigation
** for the signed-in role, one main landmark, footer) and every form the same
** accessible shape (a label for every control, the error beside its field
** and in a summary at the top, aria-invalid and aria-describedby wired, the
** CSRF token in every POST form). Also the pieces several areas' pages
** repeat: tables with a caption and column headers, sections with their
** heading, reading a multipart form, and answering with a stored file. The
** pages use no JavaScript: everything works with plain HTML forms and links.
**
** Use:
**   Page pg;
**   page_begin(&pg, r, "Actividades", NAV_ACTIVITIES);
**   html_elem_text(&pg.w, HTML_H1, "Actividades");
**   ...
**   page_end(&pg);
*/
#ifndef PARTICIPA_APP_PAGE_H
#define PARTICIPA_APP_PAGE_H

#include <stdbool.h>

#include "base/buf.h"
#include "base/date.h"
#include "web/html.h"
#include "web/multipart.h"
#include "app/web.h"

/* The menu entry a page belongs to (marked aria-current): the href of an
** entry a module declares (module.h ModuleNav), NULL for none. Each module
** names its own in its *_web.h (NAV_PQRSD in pqrsd_web.h, ...); the shell's
** are here. */
typedef const char *PageNav;
#define NAV_NONE    NULL              /* no menu entry */
#define NAV_ACCOUNT "/cuenta/clave"   /* the account link in the header */
#define NAV_ADMIN   "/admin/usuarios" /* the administration area, whichever module's page */

typedef struct Page {
  Request *r;  /* the request */
  HtmlW w;     /* the writer, on request_body_out(r) */
} Page;

/* Start a page: doctype, head (title "zTitle · participa · ENTITY",
** stylesheet), body, skip link, header, navigation, and the opening of
** <main id="contenido">. A notice named by the query field "aviso" (see
** page_notice_text) is shown first. */
void page_begin(Page *p, Request *r, const char *zTitle, PageNav eNav);
/* Close main, write the footer, close everything; status 200 unless the
** handler set another one. */
void page_end(Page *p);

/* The Spanish text of a notice code used after a redirect ("avance-reportado"
** → "Avance reportado. Queda pendiente de verificación."), or NULL for an
** unknown code (then nothing is shown). Each module declares its codes
** (module.h ModuleNotice); the shell gathers them. */
const char *page_notice_text(const char *zCode);
/* The administration sub-navigation, gathered from the modules' ModuleAdmin
** entries, with zCurrent (the path of this page) marked; written only for an
** administrador (control interno reads the audit log without it). */
void page_admin_nav(Page *p, const char *zCurrent);
/* The links of the signed-in user's panel: every ModulePanel entry the role
** may follow, each with the line that explains it, as <li> items of an open
** list. Writes nothing for the public. */
void page_panel_links(Page *p);
/* Write a status box (role="status") with zText. */
void page_notice(Page *p, const char *zText);
/* Write <li><a href=zHref>zText</a></li>, one entry of a list of links. */
void page_link_item(HtmlW *w, const char *zHref, const char *zText);
/* Open <section aria-labelledby=zId> with its <h2 id=zId>zHeading</h2>;
** close it with html_close(w, HTML_SECTION). */
void page_section_begin(HtmlW *w, const char *zId, const char *zHeading);

/* ---- forms ---- */

#define FORM_MAX_ERRORS 32

/* Errors found in a submitted form: one per field at most (the first). */
typedef struct Form {
  int nErr;
  struct {
    const char *zField; /* the field's name (a literal) */
    char *zMsg;         /* Spanish message (owned) */
  } aErr[FORM_MAX_ERRORS];
} Form;

/* Record an error for field zField (a literal; "" for the whole form). */
void form_error(Form *f, const char *zField, const char *zFmt, ...) PRINTF_LIKE(3, 4);
/* The error of zField, or NULL. */
const char *form_error_for(const Form *f, const char *zField);
/* Free the messages. */
void form_reset(Form *f);

/* One form control. Unset members are omitted. The control's id is
** "f-" + zName; its hint is "f-" + zName + "-ayuda" and its error
** "f-" + zName + "-error" (both referenced by aria-describedby). */
typedef struct Field {
  const char *zName;         /* form field name */
  const char *zLabel;        /* visible label */
  const char *zValue;        /* current value (for a select: the selected option) */
  const char *zHint;         /* help text under the label */
  const char *zType;         /* input type: "text" (default), "number", "date", "password",
                                "email", "file", "search" */
  bool bRequired;            /* required (marked in the label too) */
  const char *zAutocomplete; /* autocomplete token */
  const char *zInputMode;    /* inputmode */
  const char *zStep;         /* number step */
  const char *zMin;          /* number/date minimum */
  const char *zMax;          /* number/date maximum */
  const char *zAccept;       /* file types */
  const char *zMaxLength;    /* maximum length */
  const char *zKey;          /* the Form key and id suffix when not zName: "nota-12" for
                                the note of one of several forms on a page */
} Field;

/* Write the error summary (role="alert", a link to each field) when f has
** errors; nothing otherwise. Call right after the page heading. */
void page_form_errors(Page *p, const Form *f);
/* Open <form method="post" action=zAction> (multipart when bMultipart) with
** the hidden CSRF field. */
void page_form_begin(Page *p, const char *zAction, bool bMultipart);
/* Open a GET form (filters, search): no CSRF field. */
void page_form_get_begin(Page *p, const char *zAction);
void page_form_end(Page *p);
/* A labelled input (f may be NULL). */
void page_field(Page *p, const Form *f, const Field *pField);
/* A labelled textarea of nRows rows. */
void page_textarea(Page *p, const Form *f, const Field *pField, int nRows);
/* A labelled select of n options; pField->zValue names the selected one.
** azLabel NULL uses the values as labels. */
void page_select(Page *p, const Form *f, const Field *pField, int n, const char *const *azValue,
                 const char *const *azLabel);
/* A checkbox (value "1") with its label after it, and the error of f for
** it before it (f may be NULL). */
void page_checkbox(Page *p, const Form *f, const char *zName, const char *zLabel, bool bChecked);
/* One choice of a radio group (page_radio_group). */
typedef struct Choice {
  const char *zValue; /* the value sent */
  const char *zLabel; /* visible label */
  const char *zHint;  /* dimmed text after the label (" · hint"), or NULL */
} Choice;

/* A radio group: one value of field zName, asked in a fieldset. The first
** radio's id is "f-" + key (the error summary links there), the others'
** "f-" + key + "-" + value; the hint is "f-" + key + "-ayuda" and the
** error "f-" + key + "-error", both referenced by every radio's
** aria-describedby. The key is zKey, or zName when zKey is NULL. */
typedef struct RadioGroup {
  const char *zName;    /* form field name */
  const char *zKey;     /* the Form key and id stem when not zName: "decision-12" for the
                           decision of one of several forms on a page */
  const char *zLegend;  /* the question */
  const char *zHint;    /* help under the legend, or NULL */
  bool bRequired;       /* each radio is required */
  bool bMarkRequired;   /* the legend says "(obligatorio)" */
  const char *zChecked; /* the value of the checked choice, or NULL */
} RadioGroup;

/* The radio group g of the n choices a, with f's error for it (f may be
** NULL): the decision of a review (verify or reject a progress report,
** publish or reject a proposal) and every other one-of-n question. */
void page_radio_group(Page *p, const Form *f, const RadioGroup *g, int n, const Choice *a);
/* A hidden input. */
void page_hidden(Page *p, const char *zName, const char *zValue);
/* A submit button. */
void page_submit(Page *p, const char *zLabel);
/* A small POST form with only a button (logout, verify): the CSRF field,
** hidden fields given as name/value pairs (nPair pairs), and the button. */
void page_button_form(Page *p, const char *zAction, const char *zLabel, int nPair,
                      const char *const *azPair);

/* Parse the request's multipart/form-data body into *pM (free with
** multipart_reset). False when it cannot be read; then *pzErr (caller frees)
** is the Spanish sentence to show: what was wrong and what to do. */
bool page_multipart(Request *r, Multipart *pM, char **pzErr);

/* ---- files ---- */

/* Answer 200 with the file zPath as the body: type zMime (or
** application/octet-stream when it is not a plain media type, which a
** header could not carry safely), and a Content-Disposition naming it zName,
** inline when bInline, else as a download. False with errno set when the
** file cannot be read: nothing is answered then (the caller logs it). */
bool page_send_file(Request *r, const char *zPath, const char *zMime, const char *zName,
                    bool bInline);

/* ---- tables ---- */

/* Open the container of a table that may be wider than the screen: it
** scrolls sideways, so it is focusable (keyboard users scroll it with the
** arrow keys) and named zLabel for screen readers. Close with
** page_wide_end(). */
void page_wide_begin(HtmlW *w, const char *zLabel);
/* Close what page_wide_begin() opened. */
void page_wide_end(HtmlW *w);

/* Open <table class=zClass> (zClass may be NULL) with its caption, the
** column headers azHead[0..nHead-1] in <thead>, and <tbody>. abNumber (may
** be NULL) marks the numeric columns, whose headers get class "numero". */
void page_table_begin(HtmlW *w, const char *zClass, const char *zCaption, int nHead,
                      const char *const *azHead, const bool *abNumber);
/* Close what page_table_begin opened. */
void page_table_end(HtmlW *w);
/* One column header cell, <th scope="col">; bNumber adds class "numero". */
void page_th_col(HtmlW *w, const char *zText, bool bNumber);

/* ---- formatting, es-CO ---- */

/* "45,3 %" for 0.453 (one decimal, comma). */
void fmt_percent(Buf *pOut, double r);
/* A number as es-CO writes it: "1.234,5"; integers without decimals. */
void fmt_number(Buf *pOut, double r);
/* "30 de junio de 2021" for an ISO date "2021-06-30"; the input when not a date. */
void fmt_date_long(Buf *pOut, const char *zIso);
/* Write day as <time datetime="2021-06-30">30 de junio de 2021</time>. */
void page_day(HtmlW *w, Day day);

#endif
