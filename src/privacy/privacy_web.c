/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The personal data pages. /admin/datos-personales (administrador): the
** three retention periods (privacy.h) and a purge now, with an optional
** date. /datos-personales (planeación and administrador): an official
** handles a titular's request on a PQRSD (radicado) or a proposal
** (number): see what is held, correct it, or suppress it. Seeing is a
** request too, written to the audit log, so it is a POST; its answer
** carries personal data and is marked Cache-Control: no-store. A refusal
** comes back as 422 with its sentence beside the field; success shows a
** status notice.
**
** What it does not do: SQL or rules (privacy.h); decide who may come in
** (the route table does).
*/
#include "privacy/privacy_web.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "privacy/privacy.h"
#include "app/page.h"

static const char *const azField[PRIV_N_KIND] = {"plazo_pqrsd", "plazo_adjuntos",
                                                 "plazo_propuestas"}; /* form fields by kind */

/* ---- /admin/datos-personales ---------------------------------------------------------------- */

/* Write the administrador's page; azValue (or NULL) are the periods as
** typed in a refused form, zUntil the purge date as typed, zNotice a
** status line (or NULL). */
static void admin_page(Request *r, const char *const *azValue, const char *zUntil, const Form *f,
                       const char *zNotice) {
  Db *db = request_db(r);
  Page pg;
  page_begin(&pg, r, "Datos personales", NAV_ADMIN);
  HtmlW *w = &pg.w;
  html_elem_text(w, HTML_H1, "Datos personales: plazos de conservación");
  page_admin_nav(&pg, "/admin/datos-personales");
  page_form_errors(&pg, f);
  if (zNotice) {
    page_notice(&pg, zNotice);
  }
  html_elem_text(w, HTML_P,
                 "Los datos personales se guardan solo mientras sirven a su finalidad (Ley 1581 "
                 "de 2012 y Decreto 1377 de 2013). Al terminar cada plazo se anonimizan: se "
                 "borran nombre, documento, correo, teléfono, dirección, los textos y los "
                 "adjuntos, y se conservan el radicado, el tipo, la dependencia, las fechas y el "
                 "estado, de modo que el informe de PQRSD no cambia. La purga corre cada día en "
                 "el servidor. Ajuste los plazos a la Tabla de Retención Documental de la "
                 "entidad.");
  page_section_begin(w, "plazos", "Plazos de conservación");
  page_form_begin(&pg, "/admin/datos-personales", false);
  page_hidden(&pg, "accion", "plazos");
  for (int e = 0; e < PRIV_N_KIND; e++) {
    char zNow[16], zHint[200];
    snprintf(zNow, sizeof zNow, "%d", privacy_retention(db, (PrivacyKind)e));
    snprintf(zHint, sizeof zHint,
             "Meses %s. 0 = conservar hasta purgar por fecha. Por "
             "defecto: %d.",
             privacy_kind_start((PrivacyKind)e), privacy_retention_default((PrivacyKind)e));
    Field fld = {.zName = azField[e],
                 .zLabel = privacy_kind_label((PrivacyKind)e),
                 .zValue = azValue && azValue[e] ? azValue[e] : zNow,
                 .zHint = zHint,
                 .zType = "number",
                 .bRequired = true,
                 .zMin = "0",
                 .zMax = "1200",
                 .zStep = "1",
                 .zInputMode = "numeric"};
    page_field(&pg, f, &fld);
  }
  page_submit(&pg, "Guardar los plazos");
  page_form_end(&pg);
  html_close(w, HTML_SECTION);

  page_section_begin(w, "purgar", "Purgar ahora");
  html_elem_text(w, HTML_P,
                 "Sin fecha, anonimiza lo que ya cumplió su plazo. Con fecha, anonimiza cuanto "
                 "terminó antes de ella, sea cual sea el plazo (por ejemplo, después de una "
                 "eliminación documental aprobada). Cada registro anonimizado queda en el "
                 "registro de cambios.");
  page_form_begin(&pg, "/admin/datos-personales", false);
  page_hidden(&pg, "accion", "purgar");
  Field fld = {.zName = "hasta",
               .zLabel = "Purgar lo terminado antes de (opcional)",
               .zValue = zUntil,
               .zHint = "Una fecha no posterior a hoy, por ejemplo 2021-12-31.",
               .zType = "date"};
  page_field(&pg, f, &fld);
  page_submit(&pg, "Purgar");
  page_form_end(&pg);
  html_close(w, HTML_SECTION);

  page_section_begin(w, "titulares", "Solicitudes de los titulares");
  html_open(w, HTML_P);
  html_text(w, "Para mostrar, corregir o suprimir los datos de una persona que lo pide, vaya a ");
  html_open(w, HTML_A, HA_HREF, "/datos-personales");
  html_text(w, "solicitudes de los titulares");
  html_close(w, HTML_A);
  html_text(w, ".");
  html_close(w, HTML_P);
  html_close(w, HTML_SECTION);
  page_end(&pg);
}

void page_privacy_admin(Request *r) {
  admin_page(r, NULL, NULL, NULL, NULL);
}

/* True when z is a whole number of at most 4 digits; its value in *pN. */
static bool months_value(const char *z, int *pN) {
  if (z == NULL || z[0] == 0 || strlen(z) > 4 || strspn(z, "0123456789") != strlen(z)) {
    return false;
  }
  *pN = atoi(z);
  return true;
}

void post_privacy_admin(Request *r) {
  Db *db = request_db(r);
  const char *zAction = request_form(r, "accion");
  Form f = {0};
  if (str_eq(zAction, "purgar")) {
    const char *zUntil = request_form(r, "hasta");
    PrivacyPurge res;
    char *zErr = NULL;
    const WebApp *pApp = web_app(r);
    if (privacy_purge(db, pApp->zDataDir, str_is_blank(zUntil) ? NULL : zUntil, web_actor(r), &res,
                      &zErr)) {
      char *zNotice = xasprintf("Purga hecha: %d PQRSD anonimizadas, %d PQRSD sin sus adjuntos, "
                                "%d propuestas anonimizadas, %d archivos borrados.",
                                res.nPqrsd, res.nPqrsdFiles, res.nProposals, res.nFilesRemoved);
      admin_page(r, NULL, NULL, NULL, zNotice);
      free(zNotice);
    } else {
      form_error(&f, "hasta", "%s", zErr);
      free(zErr);
      admin_page(r, NULL, zUntil, &f, NULL);
      response_status(r, 422);
    }
    form_reset(&f);
    return;
  }
  const char *azValue[PRIV_N_KIND];
  int aMonths[PRIV_N_KIND];
  for (int e = 0; e < PRIV_N_KIND; e++) {
    azValue[e] = request_form(r, azField[e]);
    if (!months_value(azValue[e], &aMonths[e]) || aMonths[e] > PRIVACY_MONTHS_MAX) {
      form_error(&f, azField[e], "%s: escriba el plazo como un número entero de meses, de 0 a %d",
                 privacy_kind_label((PrivacyKind)e), PRIVACY_MONTHS_MAX);
    }
  }
  if (f.nErr == 0) {
    for (int e = 0; e < PRIV_N_KIND; e++) {
      char *zErr = NULL;
      if (!privacy_retention_set(db, (PrivacyKind)e, aMonths[e], web_actor(r), &zErr)) {
        form_error(&f, azField[e], "%s", zErr);
        free(zErr);
      }
    }
  }
  if (f.nErr > 0) {
    admin_page(r, azValue, NULL, &f, NULL);
    response_status(r, 422);
  } else {
    admin_page(r, NULL, NULL, NULL, "Plazos guardados.");
  }
  form_reset(&f);
}

/* ---- /datos-personales ---------------------------------------------------------------------- */

/* What an official typed on the titular page. */
typedef struct TitularInput {
  const char *zRadicado; /* radicado */
  const char *zProposal; /* propuesta */
} TitularInput;

/* The record named by pIn into *pRef; false with an error in f when
** neither or both are given or the number is not one. */
static bool ref_from_input(const TitularInput *pIn, PrivacyRef *pRef, Form *f) {
  memset(pRef, 0, sizeof *pRef);
  bool bRad = !str_is_blank(pIn->zRadicado);
  bool bProp = !str_is_blank(pIn->zProposal);
  if (bRad == bProp) {
    form_error(f, "radicado",
               "escriba el radicado de la PQRSD o el número de la propuesta (uno de los dos)");
    return false;
  }
  if (bRad) {
    pRef->zRadicado = pIn->zRadicado;
    return true;
  }
  const char *z = pIn->zProposal;
  if (strlen(z) > 12 || strspn(z, "0123456789") != strlen(z) || atoll(z) <= 0) {
    form_error(f, "propuesta", "el número de la propuesta es un entero positivo, como 12");
    return false;
  }
  pRef->iProposal = atoll(z);
  return true;
}

/* The hidden fields that name the record in the forms after a lookup. */
static void ref_hidden(Page *pg, const TitularInput *pIn) {
  page_hidden(pg, "radicado", pIn->zRadicado ? pIn->zRadicado : "");
  page_hidden(pg, "propuesta", pIn->zProposal ? pIn->zProposal : "");
}

/* The correction form of the record pIn names (bProposal: name and e-mail only). */
static void correct_section(Page *pg, const TitularInput *pIn, const Form *f, bool bProposal) {
  HtmlW *w = &pg->w;
  page_section_begin(w, "corregir", "Corregir los datos");
  html_elem_text(w, HTML_P,
                 "Escriba solo los datos que cambian; los vacíos quedan como están. El registro "
                 "de cambios anota qué campos cambiaron, no sus valores.");
  page_form_begin(pg, "/datos-personales", false);
  page_hidden(pg, "accion", "corregir");
  ref_hidden(pg, pIn);
  static const char *const azName[] = {"nombre", "tipo_documento", "documento",
                                       "correo", "telefono",       "direccion"};
  static const char *const azLabel[] = {"Nombre",    "Tipo de documento (CC, CE, TI, PA, PPT, NIT)",
                                        "Documento", "Correo",
                                        "Teléfono",  "Dirección"};
  int n = bProposal ? 2 : 6;
  for (int i = 0; i < n; i++) {
    int iField = bProposal && i == 1 ? 3 : i; /* a proposal: nombre, correo */
    Field fld = {.zName = azName[iField],
                 .zLabel = azLabel[iField],
                 .zValue = request_form(pg->r, azName[iField]),
                 .zType = iField == 3 ? "email" : "text",
                 .zAutocomplete = "off"};
    page_field(pg, f, &fld);
  }
  page_submit(pg, "Corregir");
  page_form_end(pg);
  html_close(w, HTML_SECTION);
}

/* The suppression form. */
static void suppress_section(Page *pg, const TitularInput *pIn, const Form *f) {
  HtmlW *w = &pg->w;
  page_section_begin(w, "suprimir", "Suprimir los datos");
  html_elem_text(w, HTML_P,
                 "Anonimiza el registro y borra sus adjuntos (también la PQRSD radicada desde una "
                 "propuesta, o la propuesta de la que vino). No se puede deshacer. Las cifras de "
                 "transparencia y el registro de cambios se conservan.");
  page_form_begin(pg, "/datos-personales", false);
  page_hidden(pg, "accion", "suprimir");
  ref_hidden(pg, pIn);
  page_checkbox(pg, f, "confirmo", "El titular pidió suprimir sus datos y lo verifiqué", false);
  page_submit(pg, "Suprimir los datos");
  page_form_end(pg);
  html_close(w, HTML_SECTION);
}

/* Write the titular page: the lookup form, and when pD is not NULL the
** data of the record with the correction and suppression forms. */
static void titular_page(Request *r, const TitularInput *pIn, const PrivacyData *pD, const Form *f,
                         const char *zNotice) {
  Page pg;
  page_begin(&pg, r, "Solicitudes de los titulares", NAV_ADMIN);
  HtmlW *w = &pg.w;
  html_elem_text(w, HTML_H1, "Solicitudes de los titulares de datos personales");
  page_form_errors(&pg, f);
  if (zNotice) {
    page_notice(&pg, zNotice);
  }
  html_elem_text(w, HTML_P,
                 "Quien dio sus datos en una PQRSD o en una propuesta a un reto puede conocerlos, "
                 "corregirlos o pedir que se supriman (Ley 1581 de 2012, art. 8). Verifique su "
                 "identidad, busque el registro por su radicado o por el número de la propuesta "
                 "y atienda la solicitud. Cada consulta, corrección o supresión queda en el "
                 "registro de cambios con su nombre de usuario.");
  page_section_begin(w, "buscar", "Buscar el registro");
  page_form_begin(&pg, "/datos-personales", false);
  page_hidden(&pg, "accion", "ver");
  Field fld = {.zName = "radicado",
               .zLabel = "Radicado de la PQRSD",
               .zValue = pIn ? pIn->zRadicado : NULL,
               .zHint = "Por ejemplo 2021-PQRSD-000123.",
               .zAutocomplete = "off"};
  page_field(&pg, f, &fld);
  fld = (Field){.zName = "propuesta",
                .zLabel = "O el número de la propuesta",
                .zValue = pIn ? pIn->zProposal : NULL,
                .zType = "number",
                .zMin = "1",
                .zStep = "1",
                .zInputMode = "numeric"};
  page_field(&pg, f, &fld);
  page_submit(&pg, "Ver los datos");
  page_form_end(&pg);
  html_close(w, HTML_SECTION);
  if (pD) {
    page_section_begin(w, "datos", pD->zTitle);
    if (pD->bAnonymised) {
      html_elem_text(w, HTML_P, "Sus datos personales ya fueron anonimizados.");
    }
    html_open(w, HTML_DL, HA_CLASS, "campos");
    for (int i = 0; i < pD->n; i++) {
      html_elem_text(w, HTML_DT, pD->a[i].zLabel);
      html_elem_text(w, HTML_DD, pD->a[i].zValue);
    }
    html_close(w, HTML_DL);
    html_close(w, HTML_SECTION);
    if (!pD->bAnonymised) {
      if (!pD->bAnonymous) {
        correct_section(&pg, pIn, f, pIn->zProposal && pIn->zProposal[0]);
      }
      suppress_section(&pg, pIn, f);
    }
    response_header(r, "Cache-Control", "no-store");
  }
  page_end(&pg);
}

void page_privacy_titular(Request *r) {
  titular_page(r, NULL, NULL, NULL, NULL);
}

/* Show the record of pIn again (after a refused correction or suppression),
** answering 422: viewing it is not logged again, it was when it was looked
** up, and the refused request was written nowhere. */
static void refused_page(Request *r, const TitularInput *pIn, const PrivacyRef *pRef, Form *f) {
  PrivacyData d;
  char *zErr = NULL;
  if (privacy_data_load(request_db(r), pRef, &d, &zErr)) {
    titular_page(r, pIn, &d, f, NULL);
    privacy_data_reset(&d);
  } else {
    free(zErr);
    titular_page(r, pIn, NULL, f, NULL);
  }
  response_status(r, 422);
}

void post_privacy_titular(Request *r) {
  Db *db = request_db(r);
  TitularInput in = {.zRadicado = request_form(r, "radicado"),
                     .zProposal = request_form(r, "propuesta")};
  const char *zAction = request_form(r, "accion");
  Form f = {0};
  PrivacyRef ref;
  if (!ref_from_input(&in, &ref, &f)) {
    titular_page(r, &in, NULL, &f, NULL);
    response_status(r, 422);
    form_reset(&f);
    return;
  }
  char *zErr = NULL;
  if (str_eq(zAction, "corregir")) {
    PqrsdIdentity id = {0};
    const char *azIn[6];
    static const char *const azName[] = {"nombre", "tipo_documento", "documento",
                                         "correo", "telefono",       "direccion"};
    for (int i = 0; i < 6; i++) {
      const char *z = request_form(r, azName[i]);
      azIn[i] = str_is_blank(z) ? NULL : z;
    }
    id.zName = azIn[0];
    id.zIdType = azIn[1];
    id.zIdNumber = azIn[2];
    id.zEmail = azIn[3];
    id.zPhone = azIn[4];
    id.zAddress = azIn[5];
    int nChanged = 0;
    if (privacy_correct(db, &ref, &id, web_actor(r), &nChanged, &zErr)) {
      char *zNotice = xasprintf("Datos corregidos: %d campo%s. La solicitud quedó en el "
                                "registro de cambios.",
                                nChanged, nChanged == 1 ? "" : "s");
      titular_page(r, NULL, NULL, NULL, zNotice);
      free(zNotice);
    } else {
      form_error(&f, "nombre", "%s", zErr);
      free(zErr);
      refused_page(r, &in, &ref, &f);
    }
  } else if (str_eq(zAction, "suprimir")) {
    int n = 0;
    if (request_form(r, "confirmo") == NULL) {
      form_error(&f, "confirmo",
                 "marque la casilla para confirmar que el titular pidió "
                 "suprimir sus datos");
      refused_page(r, &in, &ref, &f);
    } else if (privacy_suppress(db, web_app(r)->zDataDir, &ref, web_actor(r), &n, &zErr)) {
      char *zNotice =
          xasprintf("Datos personales suprimidos en %d registro%s.", n, n == 1 ? "" : "s");
      titular_page(r, NULL, NULL, NULL, zNotice);
      free(zNotice);
    } else {
      form_error(&f, "confirmo", "%s", zErr);
      free(zErr);
      refused_page(r, &in, &ref, &f);
    }
  } else {
    PrivacyData d;
    if (privacy_view(db, &ref, web_actor(r), &d, &zErr)) {
      titular_page(r, &in, &d, NULL, NULL);
      privacy_data_reset(&d);
    } else {
      form_error(&f, ref.zRadicado ? "radicado" : "propuesta", "%s", zErr);
      free(zErr);
      titular_page(r, &in, NULL, &f, NULL);
      response_status(r, 422);
    }
  }
  form_reset(&f);
}
