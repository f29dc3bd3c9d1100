/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Page layout, accessible form controls and es-CO formatting (see page.h).
** The layout is: a skip link, a header with the entity's name (and logo when
** one is set), the navigation of the signed-in role, <main id="contenido">,
** and a footer. The menu, the notices, the panel's links and the
** administration sub-navigation are the modules' declarations, gathered by
** module.c. Everything goes through the HTML writer. Also tables,
** sections, multipart forms and file downloads shared by the areas' pages.
*/
#include "app/page.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/module.h"
#include "auth/auth.h"
#include "base/date.h"
#include "db/setting.h"

/* ---- notices shown after a redirect ---------------------------------------- */

/* bsearch comparison: a code against a ModuleNotice. */
static int notice_find_cmp(const void *pKey, const void *pEntry) {
  return strcmp(pKey, ((const ModuleNotice *)pEntry)->zCode);
}

const char *page_notice_text(const char *zCode) {
  if (zCode == NULL) {
    return NULL;
  }
  int n = 0;
  const ModuleNotice *a = module_notices(&n);
  const ModuleNotice *pFound = n > 0 ? bsearch(zCode, a, (size_t)n, sizeof *a, notice_find_cmp)
                                     : NULL;
  return pFound ? pFound->zText : NULL;
}

void page_notice(Page *p, const char *zText) {
  html_open(&p->w, HTML_DIV, HA_CLASS, "aviso", HA_ROLE, "status");
  html_elem_text(&p->w, HTML_P, zText);
  html_close(&p->w, HTML_DIV);
}

void page_link_item(HtmlW *w, const char *zHref, const char *zText) {
  html_open(w, HTML_LI);
  html_open(w, HTML_A, HA_HREF, zHref);
  html_text(w, zText);
  html_close(w, HTML_A);
  html_close(w, HTML_LI);
}

void page_section_begin(HtmlW *w, const char *zId, const char *zHeading) {
  html_open(w, HTML_SECTION, HA_ARIA_LABELLEDBY, zId);
  html_open(w, HTML_H2, HA_ID, zId);
  html_text(w, zHeading);
  html_close(w, HTML_H2);
}

/* ---- layout --------------------------------------------------------------------- */

/* True when the signed-in pSess has one of the capabilities of zCaps;
** NULL zCaps is everybody (also the public), "" nobody. */
static bool caps_allow(const Session *pSess, const char *zCaps) {
  if (zCaps == NULL) {
    return true;
  }
  for (const char *p = zCaps; pSess && *p; p++) {
    if (auth_role_can(pSess->eRole, *p)) {
      return true;
    }
  }
  return false;
}

void page_admin_nav(Page *p, const char *zCurrent) {
  const Session *pSess = web_session(p->r);
  if (pSess == NULL || !auth_role_can(pSess->eRole, CAP_ADMIN)) {
    return;
  }
  int nItem = 0;
  const ModuleAdmin *aItem = module_admin(&nItem);
  HtmlW *w = &p->w;
  html_open(w, HTML_NAV, HA_ARIA_LABEL, "Administración", HA_CLASS, "subnav");
  html_open(w, HTML_UL);
  for (int i = 0; i < nItem; i++) {
    html_open(w, HTML_LI);
    html_open(w, HTML_A, HA_HREF, aItem[i].zHref, HA_ARIA_CURRENT,
              strcmp(aItem[i].zHref, zCurrent) == 0 ? "page" : NULL);
    html_text(w, aItem[i].zText);
    html_close(w, HTML_A);
    html_close(w, HTML_LI);
  }
  html_close(w, HTML_UL);
  html_close(w, HTML_NAV);
}

void page_panel_links(Page *p) {
  const Session *pSess = web_session(p->r);
  if (pSess == NULL) {
    return;
  }
  int nItem = 0;
  const ModulePanel *aItem = module_panel(&nItem);
  HtmlW *w = &p->w;
  Buf why = BUF_INIT;
  for (int i = 0; i < nItem; i++) {
    if (!caps_allow(pSess, aItem[i].zCaps)) {
      continue;
    }
    buf_clear(&why);
    if (aItem[i].xWhy) {
      aItem[i].xWhy(p->r, &why);
    } else {
      buf_puts(&why, aItem[i].zWhy);
    }
    html_open(w, HTML_LI);
    html_open(w, HTML_A, HA_HREF, aItem[i].zHref);
    html_text(w, aItem[i].zText);
    html_close(w, HTML_A);
    html_text(w, ": ");
    html_text(w, buf_str(&why));
    html_close(w, HTML_LI);
  }
  buf_reset(&why);
}

/* The entity name to show (setting entidad.nombre, else the latest plan's
** entity) into pName, and whether a logo is set. */
static void load_entity(Db *db, Buf *pName, bool *pbLogo) {
  *pbLogo = false;
  if (db == NULL) {
    return;
  }
  char *zName = setting_entity_name_dup(db);
  buf_puts(pName, zName);
  free(zName);
  *pbLogo = setting_entity_has_logo(db);
}

void page_begin(Page *p, Request *r, const char *zTitle, PageNav eNav) {
  p->r = r;
  Buf *pOut = request_body_out(r);
  buf_clear(pOut);
  html_init(&p->w, pOut);
  HtmlW *w = &p->w;
  const Session *pSess = web_session(r);
  Buf entity = BUF_INIT;
  bool bLogo = false;
  load_entity(request_db(r), &entity, &bLogo);

  html_doctype(w);
  html_open(w, HTML_HTML, HA_LANG, "es-CO");
  html_open(w, HTML_HEAD);
  html_open(w, HTML_META, HA_CHARSET, "utf-8");
  html_open(w, HTML_META, HA_NAME, "viewport", HA_CONTENT, "width=device-width, initial-scale=1");
  html_open(w, HTML_TITLE);
  if (entity.n > 0) {
    html_textf(w, "%s · participa · %s", zTitle, buf_str(&entity));
  } else {
    html_textf(w, "%s · participa", zTitle);
  }
  html_close(w, HTML_TITLE);
  html_open(w, HTML_LINK, HA_REL, "stylesheet", HA_HREF, "/static/estilo.css");
  html_open(w, HTML_LINK, HA_REL, "icon", HA_HREF, "/static/icono.svg", HA_TYPE, "image/svg+xml");
  html_close(w, HTML_HEAD);
  html_open(w, HTML_BODY);
  html_open(w, HTML_A, HA_CLASS, "saltar", HA_HREF, "#contenido");
  html_text(w, "Saltar al contenido");
  html_close(w, HTML_A);

  html_open(w, HTML_HEADER, HA_CLASS, "cabecera");
  html_open(w, HTML_DIV, HA_CLASS, "marca");
  html_open(w, HTML_A, HA_HREF, "/", HA_CLASS, "marca-enlace");
  if (bLogo) {
    html_open(w, HTML_IMG, HA_SRC, "/logo", HA_ALT, "", HA_CLASS, "logo", HA_HEIGHT, "48");
  }
  html_open(w, HTML_SPAN, HA_CLASS, "entidad");
  html_text(w, entity.n > 0 ? buf_str(&entity) : "participa");
  html_close(w, HTML_SPAN);
  html_close(w, HTML_A);
  html_elem_text(w, HTML_SPAN, "Estrategia de participación ciudadana");
  html_close(w, HTML_DIV);

  html_open(w, HTML_NAV, HA_ARIA_LABEL, "Principal");
  html_open(w, HTML_UL);
  int nNav = 0;
  const ModuleNav *aNav = module_nav(&nNav);
  for (int i = 0; i < nNav; i++) {
    const ModuleNav *pItem = &aNav[i];
    if (!caps_allow(pSess, pItem->zCaps)) {
      continue;
    }
    html_open(w, HTML_LI);
    html_open(w, HTML_A, HA_HREF, pItem->zHref, HA_ARIA_CURRENT,
              eNav && strcmp(pItem->zHref, eNav) == 0 ? "page" : NULL);
    html_text(w, pItem->zText);
    html_close(w, HTML_A);
    html_close(w, HTML_LI);
  }
  html_close(w, HTML_UL);
  html_close(w, HTML_NAV);

  html_open(w, HTML_DIV, HA_CLASS, "cuenta");
  if (pSess) {
    html_open(w, HTML_SPAN);
    html_textf(w, "%s (%s)", pSess->zFullName[0] ? pSess->zFullName : pSess->zLogin,
               auth_role_label(pSess->eRole));
    html_close(w, HTML_SPAN);
    html_open(w, HTML_A, HA_HREF, "/cuenta/clave", HA_ARIA_CURRENT,
              eNav && strcmp(eNav, NAV_ACCOUNT) == 0 ? "page" : NULL);
    html_text(w, "Cambiar contraseña");
    html_close(w, HTML_A);
    page_button_form(p, "/salir", "Cerrar sesión", 0, NULL);
  } else {
    html_open(w, HTML_A, HA_HREF, "/entrar");
    html_text(w, "Entrar (funcionarios)");
    html_close(w, HTML_A);
  }
  html_close(w, HTML_DIV);
  html_close(w, HTML_HEADER);

  html_open(w, HTML_MAIN, HA_ID, "contenido", HA_TABINDEX, "-1");
  const char *zNotice = page_notice_text(request_query(r, "aviso"));
  if (zNotice) {
    page_notice(p, zNotice);
  }
  buf_reset(&entity);
}

void page_end(Page *p) {
  HtmlW *w = &p->w;
  ASSERT(html_depth(w) == 3); /* html, body, main: the page closed what it opened */
  html_close(w, HTML_MAIN);
  html_open(w, HTML_FOOTER, HA_CLASS, "pie");
  html_open(w, HTML_P);
  html_text(w, "Información pública según la Ley 1712 de 2014. ");
  html_open(w, HTML_A, HA_HREF, "/datos");
  html_text(w, "Datos abiertos del plan");
  html_close(w, HTML_A);
  html_text(w, ".");
  html_close(w, HTML_P);
  html_close(w, HTML_FOOTER);
  html_end(w);
  if (response_get_status(p->r) == 0) {
    response_status(p->r, 200);
  }
}

/* ---- forms ------------------------------------------------------------------------ */

void form_error(Form *f, const char *zField, const char *zFmt, ...) {
  if (form_error_for(f, zField) != NULL || f->nErr == FORM_MAX_ERRORS) {
    return;
  }
  va_list ap;
  va_start(ap, zFmt);
  f->aErr[f->nErr].zField = zField;
  f->aErr[f->nErr].zMsg = xvasprintf(zFmt, ap);
  va_end(ap);
  f->nErr++;
}

const char *form_error_for(const Form *f, const char *zField) {
  if (f == NULL) {
    return NULL;
  }
  for (int i = 0; i < f->nErr; i++) {
    if (strcmp(f->aErr[i].zField, zField) == 0) {
      return f->aErr[i].zMsg;
    }
  }
  return NULL;
}

void form_reset(Form *f) {
  for (int i = 0; i < f->nErr; i++) {
    free(f->aErr[i].zMsg);
  }
  f->nErr = 0;
}

void page_form_errors(Page *p, const Form *f) {
  if (f == NULL || f->nErr == 0) {
    return;
  }
  HtmlW *w = &p->w;
  html_open(w, HTML_DIV, HA_CLASS, "errores", HA_ROLE, "alert", HA_ARIA_LABELLEDBY,
            "errores-titulo");
  html_open(w, HTML_H2, HA_ID, "errores-titulo");
  if (f->nErr == 1) {
    html_text(w, "Hay 1 error en el formulario");
  } else {
    html_textf(w, "Hay %d errores en el formulario", f->nErr);
  }
  html_close(w, HTML_H2);
  html_open(w, HTML_UL);
  Buf href = BUF_INIT;
  for (int i = 0; i < f->nErr; i++) {
    html_open(w, HTML_LI);
    if (f->aErr[i].zField[0]) {
      buf_clear(&href);
      buf_appendf(&href, "#f-%s", f->aErr[i].zField);
      html_open(w, HTML_A, HA_HREF, buf_str(&href));
      html_text(w, f->aErr[i].zMsg);
      html_close(w, HTML_A);
    } else {
      html_text(w, f->aErr[i].zMsg);
    }
    html_close(w, HTML_LI);
  }
  buf_reset(&href);
  html_close(w, HTML_UL);
  html_close(w, HTML_DIV);
}

void page_hidden(Page *p, const char *zName, const char *zValue) {
  html_open(&p->w, HTML_INPUT, HA_TYPE, "hidden", HA_NAME, zName, HA_VALUE, zValue);
}

void page_form_begin(Page *p, const char *zAction, bool bMultipart) {
  html_open(&p->w, HTML_FORM, HA_METHOD, "post", HA_ACTION, zAction, HA_ENCTYPE,
            bMultipart ? "multipart/form-data" : NULL);
  page_hidden(p, WEB_CSRF_FIELD, web_csrf_token(p->r));
}

void page_form_get_begin(Page *p, const char *zAction) {
  html_open(&p->w, HTML_FORM, HA_METHOD, "get", HA_ACTION, zAction);
}

void page_form_end(Page *p) {
  html_close(&p->w, HTML_FORM);
}

/* The ids of a field's control, hint and error, and its aria-describedby. */
typedef struct FieldIds {
  Buf id, hint, err, described;
} FieldIds;

/* The Form key of a field, which names its ids too. */
static const char *field_key(const Field *pField) {
  return pField->zKey ? pField->zKey : pField->zName;
}

static void field_ids(FieldIds *ids, const Field *pField, const char *zErr) {
  const char *zKey = field_key(pField);
  memset(ids, 0, sizeof *ids);
  buf_appendf(&ids->id, "f-%s", zKey);
  buf_appendf(&ids->hint, "f-%s-ayuda", zKey);
  buf_appendf(&ids->err, "f-%s-error", zKey);
  if (pField->zHint) {
    buf_puts(&ids->described, buf_str(&ids->hint));
  }
  if (zErr) {
    if (ids->described.n) {
      buf_putc(&ids->described, ' ');
    }
    buf_puts(&ids->described, buf_str(&ids->err));
  }
}

static void field_ids_reset(FieldIds *ids) {
  buf_reset(&ids->id);
  buf_reset(&ids->hint);
  buf_reset(&ids->err);
  buf_reset(&ids->described);
}

/* The " (obligatorio)" mark of a label or legend. */
static void put_required_mark(HtmlW *w) {
  html_open(w, HTML_SPAN, HA_CLASS, "obligatorio");
  html_text(w, " (obligatorio)");
  html_close(w, HTML_SPAN);
}

/* The hint zHint (may be NULL) and the error zErr (may be NULL) of a field
** or radio group, with the ids of ids. */
static void field_notes(HtmlW *w, const char *zHint, const FieldIds *ids, const char *zErr) {
  if (zHint) {
    html_open(w, HTML_P, HA_ID, buf_str(&ids->hint), HA_CLASS, "ayuda");
    html_text(w, zHint);
    html_close(w, HTML_P);
  }
  if (zErr) {
    html_open(w, HTML_P, HA_ID, buf_str(&ids->err), HA_CLASS, "error");
    html_text(w, zErr);
    html_close(w, HTML_P);
  }
}

/* The label, hint and error of a field; opens the wrapping div. */
static void field_head(Page *p, const Field *pField, const FieldIds *ids, const char *zErr) {
  HtmlW *w = &p->w;
  html_open(w, HTML_DIV, HA_CLASS, zErr ? "campo campo-error" : "campo");
  html_open(w, HTML_LABEL, HA_FOR, buf_str(&ids->id));
  html_text(w, pField->zLabel);
  if (pField->bRequired) {
    put_required_mark(w);
  }
  html_close(w, HTML_LABEL);
  field_notes(w, pField->zHint, ids, zErr);
}

void page_field(Page *p, const Form *f, const Field *pField) {
  const char *zErr = form_error_for(f, field_key(pField));
  FieldIds ids;
  field_ids(&ids, pField, zErr);
  field_head(p, pField, &ids, zErr);
  const char *zType = pField->zType ? pField->zType : "text";
  bool bFile = strcmp(zType, "file") == 0, bPassword = strcmp(zType, "password") == 0;
  html_open(&p->w, HTML_INPUT, HA_TYPE, zType, HA_ID, buf_str(&ids.id), HA_NAME, pField->zName,
            HA_VALUE, (bFile || bPassword) ? NULL : pField->zValue, HA_REQUIRED,
            pField->bRequired ? "" : NULL, HA_AUTOCOMPLETE, pField->zAutocomplete,
            HA_INPUTMODE, pField->zInputMode, HA_STEP, pField->zStep, HA_MIN, pField->zMin,
            HA_MAX, pField->zMax, HA_ACCEPT, pField->zAccept, HA_MAXLENGTH,
            pField->zMaxLength, HA_ARIA_INVALID, zErr ? "true" : NULL, HA_ARIA_DESCRIBEDBY,
            ids.described.n ? buf_str(&ids.described) : NULL);
  html_close(&p->w, HTML_DIV);
  field_ids_reset(&ids);
}

void page_textarea(Page *p, const Form *f, const Field *pField, int nRows) {
  const char *zErr = form_error_for(f, field_key(pField));
  FieldIds ids;
  field_ids(&ids, pField, zErr);
  field_head(p, pField, &ids, zErr);
  char zRows[16];
  snprintf(zRows, sizeof zRows, "%d", nRows > 0 ? nRows : 4);
  html_open(&p->w, HTML_TEXTAREA, HA_ID, buf_str(&ids.id), HA_NAME, pField->zName, HA_ROWS,
            zRows, HA_REQUIRED, pField->bRequired ? "" : NULL, HA_MAXLENGTH, pField->zMaxLength,
            HA_ARIA_INVALID, zErr ? "true" : NULL, HA_ARIA_DESCRIBEDBY,
            ids.described.n ? buf_str(&ids.described) : NULL);
  html_text(&p->w, pField->zValue);
  html_close(&p->w, HTML_TEXTAREA);
  html_close(&p->w, HTML_DIV);
  field_ids_reset(&ids);
}

void page_select(Page *p, const Form *f, const Field *pField, int n, const char *const *azValue,
                 const char *const *azLabel) {
  const char *zErr = form_error_for(f, field_key(pField));
  FieldIds ids;
  field_ids(&ids, pField, zErr);
  field_head(p, pField, &ids, zErr);
  html_open(&p->w, HTML_SELECT, HA_ID, buf_str(&ids.id), HA_NAME, pField->zName, HA_REQUIRED,
            pField->bRequired ? "" : NULL, HA_ARIA_INVALID, zErr ? "true" : NULL,
            HA_ARIA_DESCRIBEDBY, ids.described.n ? buf_str(&ids.described) : NULL);
  for (int i = 0; i < n; i++) {
    bool bSel = pField->zValue != NULL && strcmp(pField->zValue, azValue[i]) == 0;
    html_open(&p->w, HTML_OPTION, HA_VALUE, azValue[i], HA_SELECTED, bSel ? "" : NULL);
    html_text(&p->w, azLabel ? azLabel[i] : azValue[i]);
    html_close(&p->w, HTML_OPTION);
  }
  html_close(&p->w, HTML_SELECT);
  html_close(&p->w, HTML_DIV);
  field_ids_reset(&ids);
}

void page_checkbox(Page *p, const Form *f, const char *zName, const char *zLabel, bool bChecked) {
  HtmlW *w = &p->w;
  const char *zErr = form_error_for(f, zName);
  Buf id = BUF_INIT, err = BUF_INIT;
  buf_appendf(&id, "f-%s", zName);
  buf_appendf(&err, "f-%s-error", zName);
  html_open(w, HTML_DIV, HA_CLASS,
            zErr ? "campo campo-casilla campo-error" : "campo campo-casilla");
  if (zErr) {
    html_open(w, HTML_P, HA_ID, buf_str(&err), HA_CLASS, "error");
    html_text(w, zErr);
    html_close(w, HTML_P);
  }
  html_open(w, HTML_INPUT, HA_TYPE, "checkbox", HA_ID, buf_str(&id), HA_NAME, zName, HA_VALUE, "1",
            HA_CHECKED, bChecked ? "" : NULL, HA_ARIA_INVALID, zErr ? "true" : NULL,
            HA_ARIA_DESCRIBEDBY, zErr ? buf_str(&err) : NULL);
  html_open(w, HTML_LABEL, HA_FOR, buf_str(&id));
  html_text(w, zLabel);
  html_close(w, HTML_LABEL);
  html_close(w, HTML_DIV);
  buf_reset(&id);
  buf_reset(&err);
}

void page_radio_group(Page *p, const Form *f, const RadioGroup *g, int n, const Choice *a) {
  HtmlW *w = &p->w;
  Field fld = {.zName = g->zName, .zKey = g->zKey, .zHint = g->zHint};
  const char *zErr = form_error_for(f, field_key(&fld));
  FieldIds ids;
  field_ids(&ids, &fld, zErr);
  html_open(w, HTML_FIELDSET, HA_CLASS, zErr ? "campo-error" : NULL);
  html_open(w, HTML_LEGEND);
  html_text(w, g->zLegend);
  if (g->bMarkRequired) {
    put_required_mark(w);
  }
  html_close(w, HTML_LEGEND);
  field_notes(w, g->zHint, &ids, zErr);
  Buf id = BUF_INIT;
  for (int i = 0; i < n; i++) {
    buf_clear(&id);
    buf_puts(&id, buf_str(&ids.id));
    if (i > 0) {
      buf_appendf(&id, "-%s", a[i].zValue);
    }
    html_open(w, HTML_DIV, HA_CLASS, "campo-casilla");
    html_open(w, HTML_INPUT, HA_TYPE, "radio", HA_ID, buf_str(&id), HA_NAME, g->zName, HA_VALUE,
              a[i].zValue, HA_REQUIRED, g->bRequired ? "" : NULL, HA_CHECKED,
              str_eq(g->zChecked, a[i].zValue) ? "" : NULL, HA_ARIA_DESCRIBEDBY,
              ids.described.n ? buf_str(&ids.described) : NULL);
    html_open(w, HTML_LABEL, HA_FOR, buf_str(&id));
    html_text(w, a[i].zLabel);
    if (a[i].zHint) {
      html_open(w, HTML_SPAN, HA_CLASS, "tenue");
      html_textf(w, " · %s", a[i].zHint);
      html_close(w, HTML_SPAN);
    }
    html_close(w, HTML_LABEL);
    html_close(w, HTML_DIV);
  }
  html_close(w, HTML_FIELDSET);
  buf_reset(&id);
  field_ids_reset(&ids);
}

void page_submit(Page *p, const char *zLabel) {
  html_open(&p->w, HTML_BUTTON, HA_TYPE, "submit");
  html_text(&p->w, zLabel);
  html_close(&p->w, HTML_BUTTON);
}

void page_button_form(Page *p, const char *zAction, const char *zLabel, int nPair,
                      const char *const *azPair) {
  html_open(&p->w, HTML_FORM, HA_METHOD, "post", HA_ACTION, zAction, HA_CLASS, "en-linea");
  page_hidden(p, WEB_CSRF_FIELD, web_csrf_token(p->r));
  for (int i = 0; i < nPair; i++) {
    page_hidden(p, azPair[2 * i], azPair[2 * i + 1]);
  }
  page_submit(p, zLabel);
  html_close(&p->w, HTML_FORM);
}

bool page_multipart(Request *r, Multipart *pM, char **pzErr) {
  size_t nBody = 0;
  const char *pBody = request_body(r, &nBody);
  char *zWhy = NULL;
  if (multipart_parse(request_header(r, "Content-Type"), pBody, nBody, pM, &zWhy)) {
    *pzErr = NULL;
    return true;
  }
  *pzErr = xasprintf("No se pudo leer el formulario (%s). Vuelva a cargar la página y envíelo "
                     "de nuevo.",
                     zWhy);
  free(zWhy);
  return false;
}

/* ---- files ------------------------------------------------------------------------- */

/* True when z is a plain media type ("application/pdf"). */
static bool is_media_type(const char *z) {
  int nSlash = 0;
  size_t n = 0;
  for (; z[n]; n++) {
    char c = z[n];
    if (c == '/') {
      nSlash++;
    } else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 strchr("!#$&^_.+-", c))) {
      return false;
    }
  }
  return nSlash == 1 && n > 2 && n < 128 && z[0] != '/' && z[n - 1] != '/';
}

/* Content-Disposition for a file named zName: "inline" or "attachment",
** an ASCII fallback filename (anything but letters, digits, ". _ -"
** becomes "_") and the exact name as RFC 5987 UTF-8 percent-encoding. */
static void disposition(Buf *pOut, bool bInline, const char *zName) {
  buf_puts(pOut, bInline ? "inline" : "attachment");
  buf_puts(pOut, "; filename=\"");
  for (const char *p = zName; *p; p++) {
    char c = *p;
    bool bOk = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '_' || c == '-';
    buf_putc(pOut, bOk ? c : '_');
  }
  buf_puts(pOut, "\"; filename*=UTF-8''");
  html_url_path(pOut, zName);
}

/* Make the regular file zPath the response body, sent from disk as the
** client reads it (never held in memory). False with errno set when it
** cannot be opened or is not a regular file. */
static bool body_from_file(Request *r, const char *zPath) {
  int fd = open(zPath, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return false;
  }
  struct stat st;
  int iErr = 0;
  if (fstat(fd, &st) != 0) {
    iErr = errno;
  } else if (!S_ISREG(st.st_mode)) {
    iErr = EINVAL;
  }
  if (iErr != 0) {
    close(fd);
    errno = iErr;
    return false;
  }
  response_file(r, fd, (uint64_t)st.st_size);
  return true;
}

bool page_send_file(Request *r, const char *zPath, const char *zMime, const char *zName,
                    bool bInline) {
  if (!body_from_file(r, zPath)) {
    return false;
  }
  response_status(r, 200);
  response_type(r, is_media_type(zMime) ? zMime : "application/octet-stream");
  Buf b = BUF_INIT;
  disposition(&b, bInline, zName);
  response_header(r, "Content-Disposition", buf_str(&b));
  buf_reset(&b);
  return true;
}

/* ---- tables ------------------------------------------------------------------------ */

void page_th_col(HtmlW *w, const char *zText, bool bNumber) {
  html_open(w, HTML_TH, HA_SCOPE, "col", HA_CLASS, bNumber ? "numero" : NULL);
  html_text(w, zText);
  html_close(w, HTML_TH);
}

void page_wide_begin(HtmlW *w, const char *zLabel) {
  html_open(w, HTML_DIV, HA_CLASS, "tabla-contenedor", HA_TABINDEX, "0", HA_ROLE, "region",
            HA_ARIA_LABEL, zLabel);
}

void page_wide_end(HtmlW *w) {
  html_close(w, HTML_DIV);
}

void page_table_begin(HtmlW *w, const char *zClass, const char *zCaption, int nHead,
                      const char *const *azHead, const bool *abNumber) {
  html_open(w, HTML_TABLE, HA_CLASS, zClass);
  html_elem_text(w, HTML_CAPTION, zCaption);
  html_open(w, HTML_THEAD);
  html_open(w, HTML_TR);
  for (int i = 0; i < nHead; i++) {
    page_th_col(w, azHead[i], abNumber && abNumber[i]);
  }
  html_close(w, HTML_TR);
  html_close(w, HTML_THEAD);
  html_open(w, HTML_TBODY);
}

void page_table_end(HtmlW *w) {
  html_close(w, HTML_TBODY);
  html_close(w, HTML_TABLE);
}

/* ---- formatting ---------------------------------------------------------------------- */

/* Append the integer part of v >= 0 with "." every three digits. */
static void put_grouped(Buf *pOut, unsigned long long v) {
  char z[32];
  int n = snprintf(z, sizeof z, "%llu", v);
  for (int i = 0; i < n; i++) {
    if (i > 0 && (n - i) % 3 == 0) {
      buf_putc(pOut, '.');
    }
    buf_putc(pOut, z[i]);
  }
}

/* Append v with nDec decimals, es-CO: "1.234,5". */
static void put_decimal(Buf *pOut, double v, int nDec) {
  if (!isfinite(v)) {
    buf_puts(pOut, "—");
    return;
  }
  double rScale = nDec == 0 ? 1 : (nDec == 1 ? 10 : 100);
  double rRounded = round(fabs(v) * rScale);
  if (v < 0 && rRounded > 0) {
    buf_putc(pOut, '-');
  }
  unsigned long long iAll = (unsigned long long)rRounded;
  unsigned long long iScale = (unsigned long long)rScale;
  put_grouped(pOut, iAll / iScale);
  if (nDec > 0) {
    buf_appendf(pOut, ",%0*llu", nDec, iAll % iScale);
  }
}

void fmt_percent(Buf *pOut, double r) {
  put_decimal(pOut, r * 100.0, 1);
  buf_puts(pOut, " %");
}

void fmt_number(Buf *pOut, double r) {
  double rInt;
  if (isfinite(r) && modf(r, &rInt) == 0.0) {
    put_decimal(pOut, r, 0);
  } else if (isfinite(r) && fabs(r * 10 - round(r * 10)) < 1e-9) {
    put_decimal(pOut, r, 1);
  } else {
    put_decimal(pOut, r, 2);
  }
}

void fmt_date_long(Buf *pOut, const char *zIso) {
  Day day;
  if (date_parse_iso_stamp(zIso, &day)) {
    date_format_long(day, pOut);
  } else if (zIso) {
    buf_puts(pOut, zIso);
  }
}

void page_day(HtmlW *w, Day day) {
  Buf iso = BUF_INIT, txt = BUF_INIT;
  date_format_iso(day, &iso);
  date_format_long(day, &txt);
  html_open(w, HTML_TIME, HA_DATETIME, buf_str(&iso));
  html_text(w, buf_str(&txt));
  html_close(w, HTML_TIME);
  buf_reset(&iso);
  buf_reset(&txt);
}
