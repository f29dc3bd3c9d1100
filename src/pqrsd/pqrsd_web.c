/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The PQRSD pages (routes in pqrsd_web.h): the public form, its receipt,
** the status check, the transparency report with its open data, the back
** office's inbox and detail with the action forms, and the response terms
** per type. Every handler calls the core (pqrsd.h) for the rules; this file
** reads forms, checks who may act, and writes pages.
**
** Filing and the receipt. POST /pqrsd answers 200 with the receipt page
** itself rather than redirecting to it: the receipt is the only place the
** consultation code is ever shown, and a redirect would have to carry the
** code (or a key to it) in a URL, which ends up in access logs, proxies and
** the browser's history. The page is marked Cache-Control: no-store. The
** submission goes through the group-commit writer (db/batch.h: many
** submissions share one durable commit): the receipt is written only after
** batch_run() has said the record is on disk, so a page that shows a
** radicado always shows a durable one. Reloading the receipt would post the
** form again (the browser asks first) and file a second PQRSD: the page
** says to print or note it instead.
**
** Abuse control without CAPTCHA: a per-address limit of filed PQRSD per
** hour (setting pqrsd.limite_hora, default 30, 0 = off) answered 429 with
** the form and Retry-After; a honeypot field (inside an element with the
** hidden attribute, so people and assistive technology never meet it)
** whose filling is answered 422 with a neutral message and nothing stored;
** the body limit of the route (the server's --max-upload) and the core's
** text and file limits. Status checks are throttled likewise: after
** LOOKUP_MAX_FAIL failed checks from one address in an hour, further
** checks wait. Both are the public forms' one rate limit (db/ratelimit.h:
** persisted, per IPv4 address or IPv6 /64, a sliding hour); a filing is
** counted in the transaction that files it. They slow down a flood, they do
** not prove anything.
**
** Back office: the route table gives CAP_PQRSD (act) or CAP_VERIFY
** (control interno: read only) access; here a responsable is further
** limited to the PQRSD of its own offices (403 otherwise, before anything
** is read from the body), and the action forms are shown and accepted only
** with CAP_PQRSD. Actions post to the detail page with a field "accion";
** a refusal of the core comes back as 422 with its sentence beside the
** field it concerns, nothing written; success answers 303 with a notice.
**
** Published answers: a sugerencia's answer reaches /pqrsd/informe only as
** the public version (asunto público, respuesta pública) the official
** writes in the answer form or later in the "publicar" action, which can
** also withdraw it ("retirar"); the citizen's subject and text never do.
**
** What it does not do: SQL (pqrsd.h, plan_db.h and setting.h do), send mail,
** or serve the citizen's attachment to the public (only staff see it).
*/
#include "pqrsd/pqrsd_web.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "base/date.h"
#include "base/text.h"
#include "base/util.h"
#include "db/ratelimit.h"
#include "db/setting.h"
#include "office/office.h"
#include "pqrsd/pqrsd.h"
#include "web/multipart.h"
#include "app/page.h"

#define LIMIT_HOUR_DEFAULT 30     /* filed PQRSD per address and hour (pqrsd.limite_hora) */
#define LIMIT_HOUR_MAX     100000 /* largest value the setting takes */
#define LOOKUP_MAX_FAIL    10     /* failed status checks per address and hour */
#define RATE_FILING        "pqrsd"          /* ratelimit form: PQRSD filed */
#define RATE_LOOKUP        "pqrsd-consulta" /* ratelimit form: failed status checks */
#define INBOX_PAGE         100    /* rows per inbox page */
#define DUE_WITHIN_MAX     100    /* largest "vencen en N días hábiles" */
#define DUE_SOON_PRESET    5      /* the preset link's N */
#define FILE_NAME_MAX      200    /* characters of an uploaded file's name kept */

/* ---- small helpers ----------------------------------------------------------------- */

/* The Spanish label of a state, capitalised for pages. */
static const char *status_label(PqrsdStatus e) {
  static const char *const az[PQS_COUNT] = {
      [PQS_RADICADA] = "Radicada",     [PQS_ASIGNADA] = "Asignada",
      [PQS_TRASLADADA] = "Trasladada", [PQS_ESPERA] = "En espera de información",
      [PQS_RESPONDIDA] = "Respondida", [PQS_CERRADA] = "Cerrada",
  };
  return (int)e >= 0 && e < PQS_COUNT ? az[e] : "";
}

/* Write a UTC timestamp as Bogotá local time: <time datetime=ISO>30 de
** junio de 2021, 7:00 a. m.</time>; "—" when empty. */
static void put_local(HtmlW *w, const char *zIso) {
  if (zIso == NULL || zIso[0] == 0) {
    html_text(w, "—");
    return;
  }
  Buf b = BUF_INIT;
  pqrsd_format_local(zIso, &b);
  html_open(w, HTML_TIME, HA_DATETIME, zIso);
  html_text(w, buf_str(&b));
  html_close(w, HTML_TIME);
  buf_reset(&b);
}

/* Write a dt/dd pair with text zValue. */
static void put_dd(HtmlW *w, const char *zTerm, const char *zValue) {
  html_elem_text(w, HTML_DT, zTerm);
  html_elem_text(w, HTML_DD, zValue);
}

/* Write a dt/dd pair whose value is a day. */
static void put_dd_day(HtmlW *w, const char *zTerm, Day day) {
  html_elem_text(w, HTML_DT, zTerm);
  html_open(w, HTML_DD);
  page_day(w, day);
  html_close(w, HTML_DD);
}

/* Write a cell holding integer n. */
static void td_int(HtmlW *w, int n) {
  Buf b = BUF_INIT;
  fmt_number(&b, (double)n);
  html_open(w, HTML_TD, HA_CLASS, "numero");
  html_text(w, buf_str(&b));
  html_close(w, HTML_TD);
  buf_reset(&b);
}

/* Write a cell holding a number of days with one decimal, "—" when r < 0. */
static void td_days(HtmlW *w, double r) {
  Buf b = BUF_INIT;
  if (r < 0) {
    buf_puts(&b, "—");
  } else {
    fmt_number(&b, (double)(long long)(r * 10 + 0.5) / 10);
  }
  html_open(w, HTML_TD, HA_CLASS, "numero");
  html_text(w, buf_str(&b));
  html_close(w, HTML_TD);
  buf_reset(&b);
}

/* Append a size in bytes as people read it: "830 bytes", "256 KB", "10 MB". */
static void put_size(Buf *pOut, size_t nBytes) {
  if (nBytes < 1024) {
    buf_appendf(pOut, "%zu bytes", nBytes);
  } else if (nBytes < 1024 * 1024) {
    fmt_number(pOut, (double)((nBytes + 512) / 1024));
    buf_puts(pOut, " KB");
  } else {
    fmt_number(pOut, (double)(long long)((double)nBytes / (1024 * 1024) * 10 + 0.5) / 10);
    buf_puts(pOut, " MB");
  }
}

/* The largest attachment the public form accepts: the core's limit, or the
** server's body limit when smaller. */
static size_t file_limit(Request *r) {
  size_t nMax = web_app(r)->nMaxUpload;
  return nMax > 0 && nMax < PQRSD_FILE_MAX ? nMax : PQRSD_FILE_MAX;
}

/* Answer with the stored file pFile as a download. 404 when there is none,
** 500 (logged) when the data directory lacks it. */
static void send_file(Request *r, const PqrsdFile *pFile) {
  if (pFile->zSha256[0] == 0) {
    response_error(r, 404, "Esta PQRSD no tiene ese archivo adjunto.");
    return;
  }
  Buf path = BUF_INIT;
  pqrsd_file_path(web_app(r)->zDataDir, pFile->zSha256, &path);
  /* always a download: a citizen's file is never rendered by our origin */
  if (!page_send_file(r, buf_str(&path), pFile->zMime, pFile->zName[0] ? pFile->zName : "adjunto",
                      false)) {
    fprintf(stderr, "participa: adjunto de PQRSD: no se puede leer «%s»: %s\n", buf_str(&path),
            os_error(errno));
    response_error(r, 500, "No se pudo leer el archivo adjunto.");
  } else {
    response_header(r, "Cache-Control", "private, no-store");
  }
  buf_reset(&path);
}

/* Load the entity's business-day calendar. Reset with calendar_reset. */
static void load_calendar(Request *r, Calendar *c) {
  calendar_init(c);
  calendar_load(c, request_db(r));
}

/* Set Retry-After to nSec seconds. */
static void retry_after(Request *r, int nSec) {
  char z[24];
  snprintf(z, sizeof z, "%d", nSec > 0 ? nSec : 1);
  response_header(r, "Retry-After", z);
}

/* Append "N minuto(s)" for a wait of nSec seconds (rounded up). */
static void put_wait(Buf *pOut, int nSec) {
  int nMin = (nSec + 59) / 60;
  buf_appendf(pOut, "%d minuto%s", nMin, nMin == 1 ? "" : "s");
}

/* ---- the hourly limits (db/ratelimit.h) ---------------------------------------------- */

/* The setting pqrsd.limite_hora (default LIMIT_HOUR_DEFAULT; 0 = off). */
static int limit_per_hour(Db *db) {
  char *z = setting_get_dup(db, SETTING_PQRSD_LIMIT);
  int n = LIMIT_HOUR_DEFAULT;
  if (z && z[0] && strspn(z, "0123456789") == strlen(z) && strlen(z) <= 6) {
    n = atoi(z);
  }
  free(z);
  return n;
}

/* ---- the public form: GET /pqrsd ------------------------------------------------------ */

/* The form field of each PqrsdField (the core's validation messages are
** shown beside these). */
static const char *const azFieldName[PQF_COUNT] = {
    [PQF_TYPE] = "tipo",
    [PQF_SUBJECT] = "asunto",
    [PQF_TEXT] = "texto",
    [PQF_ANONYMOUS] = "identificacion",
    [PQF_NAME] = "nombre",
    [PQF_IDTYPE] = "tipo_documento",
    [PQF_IDNUMBER] = "numero_documento",
    [PQF_EMAIL] = "correo",
    [PQF_PHONE] = "telefono",
    [PQF_ADDRESS] = "direccion",
    [PQF_CHANNEL] = "canal",
    [PQF_CONSENT] = "autorizo",
};

/* The honeypot: a field no person sees (see the file comment). */
#define HONEYPOT_FIELD "sitio_web"

/* One sentence on what each type is for, shown beside it. */
static const char *type_hint(const char *zCode) {
  static const struct {
    const char *zCode, *zHint;
  } a[] = {
      {"peticion", "pedir a la entidad una actuación, un trámite o un servicio"},
      {"documentos", "pedir copias, documentos o información pública"},
      {"consulta", "pedir el concepto de la entidad sobre un tema a su cargo"},
      {"queja", "manifestar inconformidad con la conducta de un servidor público"},
      {"reclamo", "exigir que se corrija un servicio mal prestado o no prestado"},
      {"sugerencia", "proponer una idea para mejorar un servicio o la gestión"},
      {"denuncia", "poner en conocimiento una conducta que puede ser irregular"},
      {"felicitacion", "reconocer un buen servicio o a un servidor público"},
  };
  for (size_t i = 0; i < sizeof a / sizeof a[0]; i++) {
    if (strcmp(a[i].zCode, zCode) == 0) {
      return a[i].zHint;
    }
  }
  return NULL;
}

/* What the public form shows in its controls: the values sent, or none. */
typedef struct PublicInput {
  const char *zType;     /* tipo */
  const char *zSubject;  /* asunto */
  const char *zText;     /* texto */
  const char *zWho;      /* identificacion: "anonima", "identificada" or NULL */
  const char *zName;     /* nombre */
  const char *zIdType;   /* tipo_documento */
  const char *zIdNumber; /* numero_documento */
  const char *zEmail;    /* correo */
  const char *zPhone;    /* telefono */
  const char *zAddress;  /* direccion */
  const char *zChannel;  /* canal */
  bool bConsent;         /* autorizo */
} PublicInput;

/* The type radio group: each type with its term. */
static void type_radios(Page *p, Db *db, const Form *f, const char *zSel) {
  PqrsdType *aType = NULL;
  int nType = pqrsd_types(db, &aType);
  Choice *aChoice = xcalloc((size_t)nType + 1, sizeof *aChoice);
  char **azLabel = xcalloc((size_t)nType + 1, sizeof *azLabel);
  for (int i = 0; i < nType; i++) {
    azLabel[i] =
        xasprintf("%s: respuesta en %d días hábiles", aType[i].zName, aType[i].nTermDays);
    aChoice[i] = (Choice){aType[i].zCode, azLabel[i], type_hint(aType[i].zCode)};
  }
  RadioGroup g = {.zName = "tipo",
                  .zLegend = "Tipo de solicitud",
                  .zHint = "El término de respuesta se cuenta en días hábiles (de lunes a "
                           "viernes, sin festivos) desde el día hábil siguiente a la radicación.",
                  .bRequired = true,
                  .bMarkRequired = true,
                  .zChecked = zSel};
  page_radio_group(p, f, &g, nType, aChoice);
  for (int i = 0; i < nType; i++) {
    free(azLabel[i]);
  }
  free(azLabel);
  free(aChoice);
  pqrsd_types_free(nType, aType);
}

/* A select of n codes with their names and a first empty option zNone. */
static void code_select(Page *p, const Form *f, const Field *pField, const char *zNone, int n,
                        const char *const *azCode, const char *const *azName) {
  const char **azValue = xcalloc((size_t)n + 1, sizeof *azValue);
  const char **azLabel = xcalloc((size_t)n + 1, sizeof *azLabel);
  azValue[0] = "";
  azLabel[0] = zNone;
  for (int i = 0; i < n; i++) {
    azValue[i + 1] = azCode[i];
    azLabel[i + 1] = azName[i];
  }
  page_select(p, f, pField, n + 1, azValue, azLabel);
  free(azValue);
  free(azLabel);
}

/* The data-processing notice (paragraphs separated by a blank line). */
static void notice_section(Page *p, Db *db) {
  HtmlW *w = &p->w;
  Buf b = BUF_INIT;
  pqrsd_notice_text(db, &b);
  html_open(w, HTML_SECTION, HA_ARIA_LABELLEDBY, "aviso-datos-titulo", HA_CLASS, "resumen");
  html_open(w, HTML_H2, HA_ID, "aviso-datos-titulo");
  html_text(w, "Tratamiento de sus datos personales");
  html_close(w, HTML_H2);
  const char *z = buf_str(&b);
  while (*z) {
    const char *zEnd = strstr(z, "\n\n");
    size_t n = zEnd ? (size_t)(zEnd - z) : strlen(z);
    char *zPara = xstrndup(z, n);
    if (zPara[0]) {
      html_elem_text(w, HTML_P, zPara);
    }
    free(zPara);
    z += n;
    while (*z == '\n') {
      z++;
    }
  }
  html_close(w, HTML_SECTION);
  buf_reset(&b);
}

/* Write the public form page with pIn's values (NULL = empty) and f's
** errors (NULL = none). */
static void public_form_page(Request *r, const PublicInput *pIn, const Form *f) {
  Db *db = request_db(r);
  static const PublicInput empty;
  if (pIn == NULL) {
    pIn = &empty;
  }
  Page pg;
  page_begin(&pg, r, "Radicar una PQRSD", NAV_PQRSD);
  HtmlW *w = &pg.w;
  html_elem_text(w, HTML_H1, "Peticiones, quejas, reclamos, sugerencias y denuncias (PQRSD)");
  page_form_errors(&pg, f);
  html_elem_text(w, HTML_P,
                 "Por este formulario puede presentar a la entidad una petición, una queja, un "
                 "reclamo, una sugerencia, una denuncia o una felicitación, con sus datos o de "
                 "forma anónima. Al enviarlo recibe un número de radicado y un código para "
                 "consultar el estado y la respuesta.");
  html_open(w, HTML_UL, HA_CLASS, "enlaces");
  page_link_item(w, "/pqrsd/consulta", "Consultar una solicitud ya radicada");
  page_link_item(w, "/pqrsd/informe", "Informe de PQRSD y tiempos de respuesta");
  html_close(w, HTML_UL);

  page_form_begin(&pg, "/pqrsd", true);
  type_radios(&pg, db, f, pIn->zType);
  Field fld = {.zName = "asunto",
               .zLabel = "Asunto",
               .zValue = pIn->zSubject,
               .zHint = "En pocas palabras, de qué se trata (hasta 200 caracteres).",
               .bRequired = true,
               .zMaxLength = "200"};
  page_field(&pg, f, &fld);
  fld = (Field){.zName = "texto",
                .zLabel = "Su solicitud",
                .zValue = pIn->zText,
                .zHint = "Cuente los hechos y lo que pide, con fechas y lugares si los tiene "
                         "(hasta 10.000 caracteres).",
                .bRequired = true,
                .zMaxLength = "10000"};
  page_textarea(&pg, f, &fld, 8);
  Buf hint = BUF_INIT;
  buf_puts(&hint, "Opcional: un documento, una foto o un PDF que apoye la solicitud, de hasta ");
  put_size(&hint, file_limit(r));
  buf_puts(&hint, ".");
  fld = (Field){
      .zName = "adjunto", .zLabel = "Archivo adjunto", .zHint = buf_str(&hint), .zType = "file"};
  page_field(&pg, f, &fld);

  static const Choice aWho[] = {
      {"identificada", "Con mis datos", "la entidad puede responderle por el medio que elija"},
      {"anonima", "Anónima",
       "sin datos personales; la respuesta se consulta en línea con el radicado y el código"}};
  RadioGroup who = {.zName = "identificacion",
                    .zLegend = "¿Cómo la presenta?",
                    .bRequired = true,
                    .bMarkRequired = true,
                    .zChecked = pIn->zWho};
  page_radio_group(&pg, f, &who, 2, aWho);

  html_open(w, HTML_FIELDSET);
  html_elem_text(w, HTML_LEGEND, "Sus datos (déjelos vacíos si la presenta de forma anónima)");
  fld = (Field){.zName = "nombre",
                .zLabel = "Nombre completo",
                .zValue = pIn->zName,
                .zAutocomplete = "name",
                .zMaxLength = "200"};
  page_field(&pg, f, &fld);
  fld = (Field){.zName = "tipo_documento",
                .zLabel = "Tipo de documento de identidad",
                .zValue = pIn->zIdType};
  code_select(&pg, f, &fld, "Elija el tipo de documento", PQRSD_N_IDTYPE, pqrsd_azIdType,
              pqrsd_azIdTypeName);
  fld = (Field){.zName = "numero_documento",
                .zLabel = "Número de documento",
                .zValue = pIn->zIdNumber,
                .zMaxLength = "30"};
  page_field(&pg, f, &fld);
  fld = (Field){.zName = "correo",
                .zLabel = "Correo electrónico",
                .zValue = pIn->zEmail,
                .zType = "email",
                .zAutocomplete = "email",
                .zMaxLength = "254"};
  page_field(&pg, f, &fld);
  fld = (Field){.zName = "telefono",
                .zLabel = "Teléfono",
                .zValue = pIn->zPhone,
                .zInputMode = "tel",
                .zAutocomplete = "tel",
                .zMaxLength = "40"};
  page_field(&pg, f, &fld);
  fld = (Field){.zName = "direccion",
                .zLabel = "Dirección",
                .zValue = pIn->zAddress,
                .zAutocomplete = "street-address",
                .zMaxLength = "300"};
  page_field(&pg, f, &fld);
  fld = (Field){.zName = "canal",
                .zLabel = "¿Cómo quiere recibir la respuesta?",
                .zValue = pIn->zChannel,
                .zHint = "Por correo, en su dirección o por teléfono necesitamos ese dato; "
                         "también puede consultarla en línea con el radicado y el código."};
  code_select(&pg, f, &fld, "Elija un medio", PQRSD_N_CHANNEL, pqrsd_azChannel,
              pqrsd_azChannelName);
  html_close(w, HTML_FIELDSET);

  notice_section(&pg, db);
  page_checkbox(&pg, f, "autorizo",
                "Autorizo el tratamiento de mis datos personales según el aviso anterior "
                "(obligatorio si presenta la solicitud con sus datos)",
                pIn->bConsent);

  /* the honeypot: never rendered, never in the accessibility tree */
  html_open(w, HTML_DIV, HA_HIDDEN, "");
  fld = (Field){.zName = HONEYPOT_FIELD, .zLabel = "Deje este campo vacío", .zAutocomplete = "off"};
  page_field(&pg, NULL, &fld);
  html_close(w, HTML_DIV);

  page_submit(&pg, "Radicar la solicitud");
  page_form_end(&pg);
  page_end(&pg);
  buf_reset(&hint);
}

void page_pqrsd_form(Request *r) {
  public_form_page(r, NULL, NULL);
}

/* ---- filing: POST /pqrsd -------------------------------------------------------------- */

/* The group-commit job: file one PQRSD inside the writer's transaction. */
typedef struct SubmitJob {
  const Calendar *pCal;        /* the entity's calendar (read only) */
  const PqrsdSubmission *pSub; /* what to file */
  PqrsdReceipt *pReceipt;      /* filled on success */
  const char *zRateAddr;       /* client address counted for the hourly limit, or NULL */
} SubmitJob;

static bool submit_job(Db *db, void *pArg, char **pzErr) {
  SubmitJob *j = pArg;
  if (!pqrsd_submit_in_tx(db, j->pCal, j->pSub, j->pReceipt, pzErr)) {
    return false;
  }
  if (j->zRateAddr) {
    ratelimit_count(db, RATE_FILING, j->zRateAddr); /* committed with the filing */
  }
  return true;
}

/* File pSub durably: through the group-commit writer when the server has
** one, else in a transaction of its own on the request's connection.
** BATCH_OK once the record is committed; otherwise BATCH_FAILED (refused,
** *pzErr says why) or BATCH_UNAVAILABLE (an operational failure: nothing
** was filed). A filing is counted for zRateAddr's hourly limit (unless
** NULL) in the writer's transaction, so the count costs no commit. */
static BatchOutcome submit_durably(Request *r, const Calendar *pCal, const PqrsdSubmission *pSub,
                                   const char *zRateAddr, PqrsdReceipt *pReceipt, char **pzErr) {
  Batch *pBatch = web_app(r)->pBatch;
  if (pBatch == NULL) {
    Db *db = request_db(r);
    if (pqrsd_submit(db, pCal, pSub, pReceipt, pzErr)) {
      if (zRateAddr) {
        ratelimit_count(db, RATE_FILING, zRateAddr);
      }
      return BATCH_OK;
    }
    return db_fault(db) != NULL ? BATCH_UNAVAILABLE : BATCH_FAILED;
  }
  SubmitJob job = {.pCal = pCal, .pSub = pSub, .pReceipt = pReceipt, .zRateAddr = zRateAddr};
  return batch_submit(pBatch, submit_job, &job, pzErr);
}

/* The receipt page (200), written once the record is durable. */
static void receipt_page(Request *r, const PqrsdReceipt *p, const char *zChannel) {
  Page pg;
  page_begin(&pg, r, "Solicitud radicada", NAV_PQRSD);
  HtmlW *w = &pg.w;
  Buf b = BUF_INIT;
  html_elem_text(w, HTML_H1, "Solicitud radicada");
  buf_appendf(&b, "Su solicitud quedó radicada con el número %s.", p->zRadicado);
  page_notice(&pg, buf_str(&b));
  html_open(w, HTML_DL, HA_CLASS, "campos");
  html_elem_text(w, HTML_DT, "Radicado");
  html_open(w, HTML_DD);
  html_open(w, HTML_STRONG, HA_ID, "radicado");
  html_text(w, p->zRadicado);
  html_close(w, HTML_STRONG);
  html_close(w, HTML_DD);
  html_elem_text(w, HTML_DT, "Fecha y hora de radicación");
  html_open(w, HTML_DD);
  put_local(w, p->zReceivedAt);
  html_text(w, " (hora de Colombia)");
  html_close(w, HTML_DD);
  put_dd(w, "Tipo", p->zTypeName);
  buf_clear(&b);
  buf_appendf(&b, "%d días hábiles, contados desde el día hábil siguiente a la radicación",
              p->nTermDays);
  put_dd(w, "Término de respuesta", buf_str(&b));
  put_dd_day(w, "Fecha de vencimiento", p->due);
  if (zChannel && zChannel[0]) {
    put_dd(w, "Medio de respuesta", pqrsd_channel_name(zChannel));
  }
  html_close(w, HTML_DL);

  page_section_begin(w, "codigo-titulo", "Código de consulta");
  html_open(w, HTML_P, HA_CLASS, "clave-generada", HA_ID, "codigo-consulta");
  html_text(w, p->zCode);
  html_close(w, HTML_P);
  html_open(w, HTML_P);
  html_text(w, "Guarde este código junto con el radicado: con los dos puede consultar el "
               "estado y la respuesta en ");
  html_open(w, HTML_A, HA_HREF, "/pqrsd/consulta");
  html_text(w, "Consultar una solicitud");
  html_close(w, HTML_A);
  html_text(w, ". Solo se muestra esta vez: la entidad no lo conoce y no lo puede recuperar.");
  html_close(w, HTML_P);
  html_close(w, HTML_SECTION);

  html_elem_text(w, HTML_P,
                 "Imprima esta constancia o guárdela (en el navegador: Imprimir, o Ctrl+P). "
                 "No recargue la página: el navegador enviaría el formulario otra vez y se "
                 "radicaría una segunda solicitud.");
  html_open(w, HTML_P);
  html_open(w, HTML_A, HA_HREF, "/pqrsd");
  html_text(w, "Radicar otra solicitud");
  html_close(w, HTML_A);
  html_close(w, HTML_P);
  page_end(&pg);
  response_header(r, "Cache-Control", "no-store");
  buf_reset(&b);
}

/* The value of multipart field zName, or NULL. */
static const char *mp(const Multipart *m, const char *zName) {
  return m ? multipart_value(m, zName) : NULL;
}

/* Read the public form's fields from m into *pIn (borrowed from m). */
static void public_input_read(const Multipart *m, PublicInput *pIn) {
  memset(pIn, 0, sizeof *pIn);
  pIn->zType = mp(m, "tipo");
  pIn->zSubject = mp(m, "asunto");
  pIn->zText = mp(m, "texto");
  pIn->zWho = mp(m, "identificacion");
  pIn->zName = mp(m, "nombre");
  pIn->zIdType = mp(m, "tipo_documento");
  pIn->zIdNumber = mp(m, "numero_documento");
  pIn->zEmail = mp(m, "correo");
  pIn->zPhone = mp(m, "telefono");
  pIn->zAddress = mp(m, "direccion");
  pIn->zChannel = mp(m, "canal");
  pIn->bConsent = mp(m, "autorizo") != NULL;
}

/* True when none of the identity fields of pIn holds anything. */
static bool identity_blank(const PublicInput *pIn) {
  return str_is_blank(pIn->zName) && str_is_blank(pIn->zIdType) && str_is_blank(pIn->zIdNumber) &&
         str_is_blank(pIn->zEmail) && str_is_blank(pIn->zPhone) && str_is_blank(pIn->zAddress);
}

/* Check the attachment part of m (if one was chosen) and store it; errors
** go to f under "adjunto". *pbFile tells whether pFile was filled (reset
** it with pqrsd_file_reset then). */
static void attachment_store(Request *r, const Multipart *m, const char *zField, Form *f,
                             PqrsdFile *pFile, bool *pbFile) {
  *pbFile = false;
  const MultipartPart *pPart = m ? multipart_part(m, zField) : NULL;
  if (pPart == NULL || (pPart->zFileName && pPart->zFileName[0] == 0 && pPart->nData == 0)) {
    return; /* no file chosen: browsers send an empty part */
  }
  if (pPart->zFileName == NULL) {
    form_error(f, zField, "El formulario no trae el archivo como archivo; vuelva a elegirlo.");
    return;
  }
  char *zName =
      text_ellipsize_dup(pPart->zFileName[0] ? pPart->zFileName : "adjunto", FILE_NAME_MAX);
  size_t nMax = file_limit(r);
  if (pPart->nData == 0) {
    form_error(f, zField, "El archivo «%s» está vacío; elija otro o no adjunte ninguno.", zName);
  } else if (pPart->nData > nMax) {
    Buf b = BUF_INIT;
    put_size(&b, nMax);
    form_error(f, zField, "El archivo «%s» pasa del límite de %s; adjunte uno más pequeño.", zName,
               buf_str(&b));
    buf_reset(&b);
  } else {
    char *zErr = NULL;
    if (pqrsd_file_store(web_app(r)->zDataDir, pPart->pData, pPart->nData, zName, pFile, &zErr)) {
      *pbFile = true;
    } else {
      form_error(f, zField, "%s.", zErr ? zErr : "No se pudo guardar el archivo");
    }
    free(zErr);
  }
  free(zName);
}

void post_pqrsd(Request *r) {
  Db *db = request_db(r);
  Multipart m;
  char *zErr = NULL;
  Form f = {0};
  PublicInput in;
  memset(&in, 0, sizeof in);
  bool bParsed = page_multipart(r, &m, &zErr);
  if (bParsed) {
    public_input_read(&m, &in);
  }
  int nLimit = limit_per_hour(db);
  int nWait = ratelimit_wait(db, RATE_FILING, request_remote_addr(r), nLimit);
  if (nWait > 0) {
    Buf b = BUF_INIT;
    put_wait(&b, nWait);
    form_error(&f, "",
               "Desde su conexión ya se radicaron en la última hora todas las solicitudes que "
               "se reciben por este medio. Podrá radicar otra dentro de %s; si es urgente, "
               "acuda a la ventanilla de atención de la entidad.",
               buf_str(&b));
    buf_reset(&b);
    public_form_page(r, &in, &f);
    retry_after(r, nWait);
    response_status(r, 429);
  } else if (!bParsed) {
    form_error(&f, "", "%s", zErr);
    public_form_page(r, &in, &f);
    response_status(r, 422);
  } else if (!str_is_blank(multipart_value(&m, HONEYPOT_FIELD))) {
    /* a robot filled the field no person sees: say nothing useful */
    form_error(&f, "", "No se pudo radicar la solicitud. Revise el formulario y envíelo de nuevo.");
    public_form_page(r, &in, &f);
    response_status(r, 422);
  } else {
    bool bAnonymous = str_eq(in.zWho, "anonima") || (in.zWho == NULL && identity_blank(&in));
    PqrsdSubmission sub = {.zType = in.zType,
                           .zSubject = in.zSubject,
                           .zText = in.zText,
                           .bAnonymous = bAnonymous,
                           .zName = in.zName,
                           .zIdType = in.zIdType,
                           .zIdNumber = in.zIdNumber,
                           .zEmail = in.zEmail,
                           .zPhone = in.zPhone,
                           .zAddress = in.zAddress,
                           .zChannel =
                               bAnonymous && str_is_blank(in.zChannel) ? "consulta" : in.zChannel,
                           .bConsent = in.bConsent,
                           .zActor = "ciudadano"};
    char *azErr[PQF_COUNT];
    if (pqrsd_validate(db, &sub, azErr) > 0) {
      for (int i = 0; i < PQF_COUNT; i++) {
        if (azErr[i]) {
          form_error(&f, azFieldName[i], "%s.", azErr[i]);
        }
      }
    }
    pqrsd_errors_reset(azErr);
    PqrsdFile file;
    memset(&file, 0, sizeof file);
    bool bFile = false;
    if (f.nErr == 0) {
      attachment_store(r, &m, "adjunto", &f, &file, &bFile);
    } else if (multipart_part(&m, "adjunto") && multipart_part(&m, "adjunto")->nData > 0) {
      form_error(&f, "adjunto",
                 "Por seguridad, el navegador no conserva el archivo elegido: vuelva a "
                 "elegirlo antes de enviar.");
    }
    if (f.nErr == 0) {
      sub.pFile = bFile ? &file : NULL;
      Calendar cal;
      load_calendar(r, &cal);
      PqrsdReceipt rec;
      memset(&rec, 0, sizeof rec);
      char *zSubErr = NULL;
      const char *zRateAddr = nLimit > 0 ? request_remote_addr(r) : NULL;
      BatchOutcome eOut = submit_durably(r, &cal, &sub, zRateAddr, &rec, &zSubErr);
      if (eOut == BATCH_OK) {
        receipt_page(r, &rec, bAnonymous ? NULL : sub.zChannel);
      } else {
        /* the form comes back with what the citizen wrote; an operational
        ** failure is a 503 (nothing was filed, it may be sent again) */
        form_error(&f, "", "No se pudo radicar la solicitud: %s. Inténtelo de nuevo.",
                   zSubErr ? zSubErr : "el servidor se está deteniendo");
        public_form_page(r, &in, &f);
        response_status(r, eOut == BATCH_UNAVAILABLE ? 503 : 422);
        if (eOut == BATCH_UNAVAILABLE) {
          response_header(r, "Retry-After", "30");
        }
      }
      free(zSubErr);
      calendar_reset(&cal);
    } else {
      public_form_page(r, &in, &f);
      response_status(r, 422);
    }
    if (bFile) {
      pqrsd_file_reset(&file);
    }
  }
  form_reset(&f);
  free(zErr);
  multipart_reset(&m);
}

/* ---- status check: /pqrsd/consulta ---------------------------------------------------- */

/* The neutral answer to an unknown radicado or a wrong code. */
static const char zLookupFailed[] =
    "No encontramos una solicitud con ese radicado y ese código. Revise los dos datos en la "
    "constancia de radicación (el código tiene 12 letras y números).";

/* Write z with its first letter in upper case (the history's kinds are
** stored in lower case and start with an ASCII letter). */
static void put_capitalised(HtmlW *w, const char *z) {
  if (z[0] >= 'a' && z[0] <= 'z') {
    html_textf(w, "%c%s", z[0] - 'a' + 'A', z + 1);
  } else {
    html_text(w, z);
  }
}

/* Append the words for the business days left of a running term: "Vence
** hoy", "1 día hábil", "5 días hábiles", "Vencida hace 3 días hábiles". */
static void put_days_left(Buf *pOut, int iDaysLeft) {
  if (iDaysLeft < 0) {
    buf_appendf(pOut, "Vencida hace %d día%s hábil%s", -iDaysLeft, iDaysLeft == -1 ? "" : "s",
                iDaysLeft == -1 ? "" : "es");
  } else if (iDaysLeft == 0) {
    buf_puts(pOut, "Vence hoy");
  } else {
    buf_appendf(pOut, "%d día%s hábil%s", iDaysLeft, iDaysLeft == 1 ? "" : "s",
                iDaysLeft == 1 ? "" : "es");
  }
}

/* The form asking for radicado and code; zRadicado is shown again. */
static void lookup_form(Page *pg, const Form *f, const char *zRadicado) {
  page_form_begin(pg, "/pqrsd/consulta", false);
  Field fld = {.zName = "radicado",
               .zLabel = "Número de radicado",
               .zValue = zRadicado,
               .zHint = "Como aparece en la constancia, por ejemplo 2021-PQRSD-000123.",
               .bRequired = true,
               .zAutocomplete = "off",
               .zMaxLength = "40"};
  page_field(pg, f, &fld);
  fld = (Field){.zName = "codigo",
                .zLabel = "Código de consulta",
                .zHint = "Las 12 letras y números de la constancia; no importan las "
                         "mayúsculas ni los guiones.",
                .bRequired = true,
                .zAutocomplete = "off",
                .zMaxLength = "40"};
  page_field(pg, f, &fld);
  page_submit(pg, "Consultar");
  page_form_end(pg);
}

/* The status check page with its form (and f's errors). */
static void lookup_page(Request *r, const Form *f, const char *zRadicado) {
  Page pg;
  page_begin(&pg, r, "Consultar una solicitud", NAV_PQRSD);
  HtmlW *w = &pg.w;
  html_elem_text(w, HTML_H1, "Consultar una solicitud");
  page_form_errors(&pg, f);
  html_elem_text(w, HTML_P,
                 "Escriba el número de radicado y el código de consulta que recibió al radicar "
                 "su petición, queja, reclamo, sugerencia o denuncia: verá en qué estado está, "
                 "sus fechas y la respuesta de la entidad.");
  lookup_form(&pg, f, zRadicado);
  html_open(w, HTML_P);
  html_open(w, HTML_A, HA_HREF, "/pqrsd");
  html_text(w, "Radicar una nueva solicitud");
  html_close(w, HTML_A);
  html_close(w, HTML_P);
  page_end(&pg);
  response_header(r, "Cache-Control", "no-store");
}

void page_pqrsd_status(Request *r) {
  lookup_page(r, NULL, NULL);
}

/* A small form on the status page that posts radicado and code again with
** accion=zAction (the code never goes into a URL). */
static void lookup_again_begin(Page *pg, const Pqrsd *p, const char *zCode, const char *zAction) {
  page_form_begin(pg, "/pqrsd/consulta", false);
  page_hidden(pg, "radicado", p->zRadicado);
  page_hidden(pg, "codigo", zCode);
  page_hidden(pg, "accion", zAction);
}

/* The last public event of kind zKind, or NULL. */
static const PqrsdEvent *last_event(const Pqrsd *p, const char *zKind) {
  for (int i = p->nEvent - 1; i >= 0; i--) {
    if (strcmp(p->aEvent[i].zKind, zKind) == 0) {
      return &p->aEvent[i];
    }
  }
  return NULL;
}

/* Write the history of p as a table; bStaff adds who and whether the
** petitioner sees it. */
static void history_table(HtmlW *w, const Pqrsd *p, bool bStaff) {
  html_open(w, HTML_DIV, HA_CLASS, "tabla-contenedor");
  /* the staff's columns come last: the petitioner's table is the first three */
  static const char *const azHead[] = {"Fecha", "Actuación", "Detalle", "Quién",
                                       "Visible al peticionario"};
  page_table_begin(w, NULL, bStaff ? "Historial completo" : "Historial de la solicitud",
                   bStaff ? 5 : 3, azHead, NULL);
  for (int i = 0; i < p->nEvent; i++) {
    const PqrsdEvent *e = &p->aEvent[i];
    html_open(w, HTML_TR);
    html_open(w, HTML_TH, HA_SCOPE, "row");
    put_local(w, e->zAt);
    html_close(w, HTML_TH);
    html_open(w, HTML_TD);
    put_capitalised(w, e->zKind);
    html_close(w, HTML_TD);
    html_elem_text(w, HTML_TD, e->zDetail);
    if (bStaff) {
      html_elem_text(w, HTML_TD, e->zActor);
      html_elem_text(w, HTML_TD, e->bPublic ? "Sí" : "No");
    }
    html_close(w, HTML_TR);
  }
  page_table_end(w);
  html_close(w, HTML_DIV);
}

/* Write the dd of the due date of p: the date and what is left, or why
** the term does not run. */
static void due_dd(HtmlW *w, const Pqrsd *p) {
  Buf b = BUF_INIT;
  html_open(w, HTML_DD);
  page_day(w, p->due);
  if (p->bRunning) {
    put_days_left(&b, p->iDaysLeft);
    html_open(w, HTML_SPAN, HA_CLASS, p->bOverdue ? "error" : NULL);
    html_textf(w, " (%s)", buf_str(&b));
    html_close(w, HTML_SPAN);
  } else if (p->bPaused) {
    html_text(w, " (término en pausa hasta que llegue la información pedida; plazo: ");
    page_day(w, p->pauseDeadline);
    html_text(w, ")");
  }
  html_close(w, HTML_DD);
  buf_reset(&b);
}

/* The petitioner's view of p: status, dates, the answer, what is asked,
** the public history. zCode is the code the petitioner typed (kept in the
** forms of this page); f holds an error of the completion form. */
static void status_page(Request *r, const Pqrsd *p, const char *zCode, const Form *f,
                        const char *zNotice, const char *zInfo) {
  Page pg;
  Buf title = BUF_INIT, b = BUF_INIT;
  buf_appendf(&title, "Solicitud %s", p->zRadicado);
  page_begin(&pg, r, buf_str(&title), NAV_PQRSD);
  HtmlW *w = &pg.w;
  html_elem_text(w, HTML_H1, buf_str(&title));
  page_form_errors(&pg, f);
  if (zNotice) {
    page_notice(&pg, zNotice);
  }
  html_open(w, HTML_DL, HA_CLASS, "campos");
  put_dd(w, "Tipo", p->zTypeName);
  put_dd(w, "Asunto", p->zSubject);
  html_elem_text(w, HTML_DT, "Radicada");
  html_open(w, HTML_DD);
  put_local(w, p->zReceivedAt);
  html_close(w, HTML_DD);
  html_elem_text(w, HTML_DT, "Estado");
  html_open(w, HTML_DD);
  html_open(w, HTML_STRONG, HA_ID, "estado");
  html_text(w, status_label(p->eStatus));
  html_close(w, HTML_STRONG);
  if (p->eStatus == PQS_TRASLADADA && p->zExternal[0]) {
    html_textf(w, ": la atiende %s, la entidad competente", p->zExternal);
  }
  html_close(w, HTML_DD);
  if (p->eStatus != PQS_RESPONDIDA && p->eStatus != PQS_CERRADA && !p->zExternal[0]) {
    html_elem_text(w, HTML_DT, "Fecha límite de respuesta");
    due_dd(w, p);
  }
  if (p->bExtended) {
    html_elem_text(w, HTML_DT, "Prórroga");
    html_open(w, HTML_DD);
    html_text(w, "El término se amplió; vencía el ");
    page_day(w, p->originalDue);
    if (p->zExtensionReason[0]) {
      html_textf(w, ". Motivo: %s", p->zExtensionReason);
    }
    html_close(w, HTML_DD);
  }
  html_close(w, HTML_DL);

  if (p->bPaused) {
    const PqrsdEvent *e = last_event(p, "solicitud de información");
    page_section_begin(w, "informacion-titulo", "La entidad necesita más información");
    if (e) {
      html_elem_text(w, HTML_P, e->zDetail);
    }
    html_open(w, HTML_P);
    html_text(w, "Tiene hasta el ");
    page_day(w, p->pauseDeadline);
    html_text(w, " para enviarla; si no llega, la solicitud se puede archivar (artículo 17 de "
                 "la Ley 1755 de 2015). Cuando llegue, el término de respuesta vuelve a "
                 "empezar.");
    html_close(w, HTML_P);
    lookup_again_begin(&pg, p, zCode, "completar");
    Field fld = {.zName = "informacion",
                 .zLabel = "La información que le pidieron",
                 .zValue = zInfo,
                 .bRequired = true,
                 .zMaxLength = "10000"};
    page_textarea(&pg, f, &fld, 6);
    page_submit(&pg, "Enviar la información");
    page_form_end(&pg);
    html_close(w, HTML_SECTION);
  }

  if (p->zAnswerAt[0]) {
    page_section_begin(w, "respuesta-titulo", "Respuesta de la entidad");
    html_open(w, HTML_DL, HA_CLASS, "campos");
    html_elem_text(w, HTML_DT, "Fecha");
    html_open(w, HTML_DD);
    put_local(w, p->zAnswerAt);
    html_close(w, HTML_DD);
    put_dd(w, "Respuesta", p->zAnswer);
    html_close(w, HTML_DL);
    if (p->answerFile.zSha256[0]) {
      lookup_again_begin(&pg, p, zCode, "adjunto");
      buf_clear(&b);
      buf_appendf(&b, "Descargar el archivo de la respuesta: %s (", p->answerFile.zName);
      put_size(&b, (size_t)p->answerFile.nSize);
      buf_puts(&b, ")");
      page_submit(&pg, buf_str(&b));
      page_form_end(&pg);
    }
    html_close(w, HTML_SECTION);
  }

  html_elem_text(w, HTML_H2, "Actuaciones");
  history_table(w, p, false);
  html_open(w, HTML_P);
  html_open(w, HTML_A, HA_HREF, "/pqrsd/consulta");
  html_text(w, "Consultar otra solicitud");
  html_close(w, HTML_A);
  html_close(w, HTML_P);
  page_end(&pg);
  response_header(r, "Cache-Control", "no-store");
  buf_reset(&title);
  buf_reset(&b);
}

/* The status check form: the radicado and the code of the constancia. The
** radicado is text up to the input's maxlength, not PARAM_RADICADO: one
** that is not of the form gets the same neutral answer (and counts as a
** failed check) as an unknown one. */
static const RouteField aLookupField[] = {
    {"radicado", PARAM_TEXT, true, 40, "Escriba el número de radicado que aparece en la constancia.",
     "El radicado tiene 17 caracteres, de la forma AAAA-PQRSD-NNNNNN, como aparece en la "
     "constancia (por ejemplo 2021-PQRSD-000123); revise lo que escribió."},
    {"codigo", PARAM_TEXT, true, 64, "Escriba el código de consulta que aparece en la constancia.",
     "El código de consulta tiene 14 caracteres, como aparece en la constancia; revise lo que "
     "escribió."},
};

/* request_fields() error callback: the message beside the field of Form pF. */
static void lookup_field_error(void *pF, const char *zField, const char *zMsg) {
  form_error(pF, zField, "%s", zMsg);
}

void post_pqrsd_status(Request *r) {
  Db *db = request_db(r);
  const char *zAddr = request_remote_addr(r);
  const char *zRadicado = request_form(r, "radicado"); /* as typed, to show it again */
  const char *zAction = request_form(r, "accion");
  Form f = {0};
  int nWait = ratelimit_wait(db, RATE_LOOKUP, zAddr, LOOKUP_MAX_FAIL);
  if (nWait > 0) {
    Buf b = BUF_INIT;
    put_wait(&b, nWait);
    form_error(&f, "",
               "Hubo demasiadas consultas fallidas desde su conexión. Podrá consultar de "
               "nuevo dentro de %s.",
               buf_str(&b));
    buf_reset(&b);
    lookup_page(r, &f, zRadicado);
    retry_after(r, nWait);
    response_status(r, 429);
    form_reset(&f);
    return;
  }
  char *azField[sizeof aLookupField / sizeof aLookupField[0]];
  if (request_fields(r, aLookupField, (int)(sizeof aLookupField / sizeof aLookupField[0]), azField,
                     lookup_field_error, &f) > 0) {
    lookup_page(r, &f, zRadicado);
    response_status(r, 422);
    free(azField[0]);
    free(azField[1]);
    form_reset(&f);
    return;
  }
  char *zRad = azField[0];
  const char *zCode = azField[1];
  Calendar cal;
  load_calendar(r, &cal);
  Pqrsd p;
  if (!pqrsd_lookup(db, &cal, zRad, zCode, &p)) {
    ratelimit_count(db, RATE_LOOKUP, zAddr);
    form_error(&f, "", "%s", zLookupFailed);
    lookup_page(r, &f, zRadicado);
    response_status(r, 422);
  } else if (str_eq(zAction, "adjunto")) {
    send_file(r, &p.answerFile);
    pqrsd_reset(&p);
  } else if (str_eq(zAction, "completar")) {
    const char *zInfo = request_form(r, "informacion");
    char *zErr = NULL;
    if (pqrsd_complete(db, &cal, p.id, zInfo ? zInfo : "", "ciudadano", &zErr)) {
      pqrsd_reset(&p);
      pqrsd_lookup(db, &cal, zRad, zCode, &p); /* the petitioner's view, as it is now */
      status_page(r, &p, zCode, NULL,
                  "Información recibida. El término de respuesta vuelve a empezar desde hoy.",
                  NULL);
    } else {
      form_error(&f, "informacion", "%s.", zErr);
      status_page(r, &p, zCode, &f, NULL, zInfo);
      response_status(r, 422);
    }
    free(zErr);
    pqrsd_reset(&p);
  } else {
    status_page(r, &p, zCode, NULL, NULL, NULL);
    pqrsd_reset(&p);
  }
  free(azField[0]);
  free(azField[1]);
  calendar_reset(&cal);
  form_reset(&f);
}

/* ---- transparency report and open data ---------------------------------------------- */

#define HTML_TYPE "text/html; charset=utf-8"

/* The year of query field anio (default: this year in Bogotá) into
** *piYear; false when it is not a year from CALENDAR_YEAR_MIN to this year. */
static bool report_year(Request *r, int *piYear) {
  int iThis, m, d;
  date_to_ymd(pqrsd_today(), &iThis, &m, &d);
  const char *z = request_query(r, "anio");
  if (z == NULL || z[0] == 0) {
    *piYear = iThis;
    return true;
  }
  if (strlen(z) != 4 || strspn(z, "0123456789") != 4) {
    return false;
  }
  *piYear = atoi(z);
  return *piYear >= CALENDAR_YEAR_MIN && *piYear <= iThis;
}

/* Answer 400 for a bad ?anio=. */
static void bad_year(Request *r) {
  int iThis, m, d;
  date_to_ymd(pqrsd_today(), &iThis, &m, &d);
  Buf b = BUF_INIT;
  buf_appendf(&b, "El año debe ser un número de cuatro cifras entre %d y %d.", CALENDAR_YEAR_MIN,
              iThis);
  response_error(r, 400, buf_str(&b));
  buf_reset(&b);
}

/* One row of a figures table: the group in a row header, then its counts. */
static void tally_row(HtmlW *w, const PqrsdTally *t) {
  html_open(w, HTML_TR);
  html_open(w, HTML_TH, HA_SCOPE, "row");
  html_text(w, t->zLabel);
  html_close(w, HTML_TH);
  td_int(w, t->nReceived);
  td_int(w, t->nOnTime);
  td_int(w, t->nLate);
  td_int(w, t->nPending);
  td_int(w, t->nPendingOverdue);
  td_int(w, t->nForwarded);
  td_int(w, t->nWithdrawn);
  td_days(w, t->rMeanDays);
  td_days(w, t->rMedianDays);
  html_close(w, HTML_TR);
}

/* A table of the figures of n groups, with the total in the footer. */
static void tally_table(HtmlW *w, const char *zCaption, const char *zGroup, int n,
                        const PqrsdTally *a, const PqrsdTally *pTotal) {
  page_wide_begin(w, zCaption);
  const char *const azHead[] = {zGroup,
                                "Recibidas",
                                "Respondidas a tiempo",
                                "Respondidas tarde",
                                "Pendientes",
                                "Pendientes vencidas",
                                "A otra entidad",
                                "Desistidas",
                                "Días hábiles (media)",
                                "Días hábiles (mediana)"};
  static const bool abNumber[] = {false, true, true, true, true, true, true, true, true, true};
  page_table_begin(w, NULL, zCaption, 10, azHead, abNumber);
  for (int i = 0; i < n; i++) {
    tally_row(w, &a[i]);
  }
  html_close(w, HTML_TBODY);
  if (pTotal) {
    html_open(w, HTML_TFOOT);
    tally_row(w, pTotal);
    html_close(w, HTML_TFOOT);
  }
  html_close(w, HTML_TABLE);
  html_close(w, HTML_DIV);
}

/* One figure of the summary list: the number, then what it counts. */
static void figure(HtmlW *w, const char *zValue, const char *zWhat) {
  html_open(w, HTML_LI);
  html_elem_text(w, HTML_STRONG, zValue);
  html_elem_text(w, HTML_SPAN, zWhat);
  html_close(w, HTML_LI);
}

/* The summary figures of the report. */
static void report_figures(HtmlW *w, const PqrsdTally *t) {
  Buf b = BUF_INIT;
  html_open(w, HTML_UL, HA_CLASS, "cifras");
  fmt_number(&b, t->nReceived);
  figure(w, buf_str(&b), "recibidas");
  buf_clear(&b);
  fmt_number(&b, t->nOnTime);
  figure(w, buf_str(&b), "respondidas a tiempo");
  buf_clear(&b);
  fmt_number(&b, t->nLate);
  figure(w, buf_str(&b), "respondidas fuera de término");
  buf_clear(&b);
  fmt_number(&b, t->nPending);
  buf_appendf(&b, " (%d vencida%s)", t->nPendingOverdue, t->nPendingOverdue == 1 ? "" : "s");
  figure(w, buf_str(&b), "pendientes de respuesta");
  buf_clear(&b);
  if (t->rMeanDays < 0) {
    buf_puts(&b, "—");
  } else {
    fmt_number(&b, (double)(long long)(t->rMeanDays * 10 + 0.5) / 10);
  }
  figure(w, buf_str(&b), "días hábiles en promedio para responder");
  buf_clear(&b);
  if (t->rMedianDays < 0) {
    buf_puts(&b, "—");
  } else {
    fmt_number(&b, (double)(long long)(t->rMedianDays * 10 + 0.5) / 10);
  }
  figure(w, buf_str(&b), "días hábiles de mediana para responder");
  html_close(w, HTML_UL);
  buf_reset(&b);
}

/* The suggestions whose answer was published. */
static void published_section(HtmlW *w, Db *db) {
  PqrsdPublished *a = NULL;
  int n = pqrsd_published(db, 20, &a);
  page_section_begin(w, "publicadas-titulo", "Respuestas publicadas a sugerencias");
  if (n == 0) {
    html_elem_text(w, HTML_P, "Todavía no hay respuestas publicadas.");
  }
  for (int i = 0; i < n; i++) {
    html_open(w, HTML_ARTICLE);
    html_open(w, HTML_H3);
    html_textf(w, "%s: %s", a[i].zRadicado, a[i].zSubject);
    html_close(w, HTML_H3);
    html_open(w, HTML_DL, HA_CLASS, "campos");
    put_dd_day(w, "Recibida", a[i].received);
    put_dd_day(w, "Respondida", a[i].answerDay);
    put_dd(w, "Respuesta", a[i].zAnswer);
    html_close(w, HTML_DL);
    html_close(w, HTML_ARTICLE);
  }
  html_close(w, HTML_SECTION);
  pqrsd_published_free(n, a);
}

/* The open data files and what their columns mean. */
static void open_data_section(HtmlW *w, int iYear) {
  Buf b = BUF_INIT;
  page_section_begin(w, "datos-abiertos", "Datos abiertos");
  html_elem_text(w, HTML_P,
                 "Las mismas cifras, sin datos personales (ni nombres, ni textos, ni "
                 "radicados: solo conteos), en dos archivos que se pueden usar sin "
                 "registrarse. Cambie el año en la dirección (anio=) para otro año.");
  html_open(w, HTML_UL);
  html_open(w, HTML_LI);
  buf_appendf(&b, "/datos/pqrsd.csv?anio=%d", iYear);
  html_open(w, HTML_A, HA_HREF, buf_str(&b));
  html_textf(w, "pqrsd-%d.csv", iYear);
  html_close(w, HTML_A);
  html_text(w, ": CSV (separador coma, UTF-8, primera fila con los nombres de las columnas), "
               "una fila por grupo.");
  html_close(w, HTML_LI);
  html_open(w, HTML_LI);
  buf_clear(&b);
  buf_appendf(&b, "/datos/pqrsd.json?anio=%d", iYear);
  html_open(w, HTML_A, HA_HREF, buf_str(&b));
  html_textf(w, "pqrsd-%d.json", iYear);
  html_close(w, HTML_A);
  html_text(w, ": JSON, un objeto con anio, fecha_corte (AAAA-MM-DD), total y las listas "
               "por_tipo, por_dependencia y por_mes, cada grupo con los campos de las columnas "
               "del CSV desde clave.");
  html_close(w, HTML_LI);
  html_close(w, HTML_UL);
  static const char *const azDoc[][2] = {
      {"anio", "Año de radicación que se informa."},
      {"dimension", "Qué agrupa la fila: «total», «tipo», «dependencia» o «mes»."},
      {"clave", "El código del grupo: el del tipo (peticion, queja...), el número de la "
                "dependencia (0 = sin asignar), el mes (01 a 12) o «total»."},
      {"nombre", "El nombre del grupo: el tipo, la dependencia, el mes o «Total»."},
      {"recibidas", "Solicitudes radicadas en el año en ese grupo."},
      {"respondidas_a_tiempo", "Respondidas a más tardar en la fecha de vencimiento (con la "
                               "prórroga, si la hubo)."},
      {"respondidas_tarde", "Respondidas después de esa fecha."},
      {"pendientes", "Sin respuesta todavía, con el término corriendo o en pausa porque se "
                     "pidió información al peticionario."},
      {"pendientes_vencidas", "De las pendientes, las que ya pasaron su fecha de "
                              "vencimiento."},
      {"trasladadas_a_otra_entidad", "Enviadas a la entidad competente (artículo 21 de la Ley "
                                     "1755 de 2015)."},
      {"desistidas", "Cerradas sin respuesta porque el peticionario no completó la "
                     "información en el mes que tenía (artículo 17)."},
      {"promedio_dias_habiles, mediana_dias_habiles",
       "Días hábiles desde la radicación hasta la respuesta (sin contar el día de "
       "radicación, sábados, domingos ni festivos), media y mediana de las respondidas, con "
       "punto decimal. Vacío (null en JSON) si no hay respondidas."},
  };
  html_elem_text(w, HTML_H3, "Columnas");
  html_open(w, HTML_DL, HA_CLASS, "campos");
  for (size_t i = 0; i < sizeof azDoc / sizeof azDoc[0]; i++) {
    put_dd(w, azDoc[i][0], azDoc[i][1]);
  }
  html_close(w, HTML_DL);
  html_close(w, HTML_SECTION);
  buf_reset(&b);
}

void page_pqrsd_report(Request *r) {
  int iYear;
  if (!report_year(r, &iYear)) {
    bad_year(r);
    return;
  }
  Buf key = BUF_INIT;
  buf_appendf(&key, "/pqrsd/informe?anio=%d", iYear);
  if (web_cache_reply(r, buf_str(&key), HTML_TYPE)) {
    buf_reset(&key);
    return;
  }
  Db *db = request_db(r);
  Calendar cal;
  load_calendar(r, &cal);
  PqrsdTransparency t;
  pqrsd_transparency(db, &cal, iYear, &t);
  Buf b = BUF_INIT;
  buf_appendf(&b, "Informe de PQRSD %d", iYear);
  Page pg;
  page_begin(&pg, r, buf_str(&b), NAV_PQRSD);
  HtmlW *w = &pg.w;
  html_elem_text(w, HTML_H1, buf_str(&b));
  html_open(w, HTML_P);
  html_textf(w,
             "Peticiones, quejas, reclamos, sugerencias y denuncias radicadas en %d y sus "
             "tiempos de respuesta, como pide el artículo 11, literal h, de la Ley 1712 de "
             "2014. Cifras al ",
             iYear);
  page_day(w, t.asOf);
  html_text(w, "; los términos se cuentan en días hábiles.");
  html_close(w, HTML_P);

  page_form_get_begin(&pg, "/pqrsd/informe");
  html_open(w, HTML_DIV, HA_CLASS, "filtros");
  char zYear[8], zMax[8], zMin[8];
  int iThis, m, d;
  date_to_ymd(pqrsd_today(), &iThis, &m, &d);
  snprintf(zYear, sizeof zYear, "%d", iYear);
  snprintf(zMax, sizeof zMax, "%d", iThis);
  snprintf(zMin, sizeof zMin, "%d", CALENDAR_YEAR_MIN);
  Field fld = {.zName = "anio",
               .zLabel = "Año",
               .zValue = zYear,
               .zType = "number",
               .zMin = zMin,
               .zMax = zMax,
               .zStep = "1",
               .zInputMode = "numeric"};
  page_field(&pg, NULL, &fld);
  page_submit(&pg, "Ver el informe");
  html_close(w, HTML_DIV);
  page_form_end(&pg);

  report_figures(w, &t.total);
  page_section_begin(w, "tipo-titulo", "Por tipo de solicitud");
  tally_table(w, "Solicitudes por tipo", "Tipo", t.nType, t.aType, &t.total);
  html_close(w, HTML_SECTION);
  page_section_begin(w, "dependencia-titulo", "Por dependencia");
  if (t.nOffice == 0) {
    html_elem_text(w, HTML_P, "No hay solicitudes radicadas en el año.");
  } else {
    tally_table(w, "Solicitudes por dependencia que las atiende", "Dependencia", t.nOffice,
                t.aOffice, &t.total);
  }
  html_close(w, HTML_SECTION);
  page_section_begin(w, "mes-titulo", "Por mes de radicación");
  tally_table(w, "Solicitudes por mes de radicación", "Mes", 12, t.aMonth, &t.total);
  html_close(w, HTML_SECTION);
  published_section(w, db);
  open_data_section(w, iYear);
  page_end(&pg);
  web_cache_keep(r, buf_str(&key), HTML_TYPE);
  pqrsd_transparency_reset(&t);
  calendar_reset(&cal);
  buf_reset(&b);
  buf_reset(&key);
}

/* The open data file of the year as zExt ("csv" or "json"). */
static void open_data(Request *r, const char *zExt) {
  int iYear;
  if (!report_year(r, &iYear)) {
    bad_year(r);
    return;
  }
  bool bCsv = strcmp(zExt, "csv") == 0;
  const char *zType = bCsv ? "text/csv; charset=utf-8" : "application/json; charset=utf-8";
  Buf key = BUF_INIT, b = BUF_INIT;
  buf_appendf(&key, "/datos/pqrsd.%s?anio=%d", zExt, iYear);
  if (!web_cache_reply(r, buf_str(&key), zType)) {
    Calendar cal;
    load_calendar(r, &cal);
    PqrsdTransparency t;
    pqrsd_transparency(request_db(r), &cal, iYear, &t);
    Buf *pOut = request_body_out(r);
    buf_clear(pOut);
    if (bCsv) {
      pqrsd_transparency_csv(&t, pOut);
    } else {
      pqrsd_transparency_json(&t, pOut);
    }
    response_status(r, 200);
    response_type(r, zType);
    web_cache_keep(r, buf_str(&key), zType);
    pqrsd_transparency_reset(&t);
    calendar_reset(&cal);
  }
  buf_appendf(&b, "%s; filename=\"pqrsd-%d.%s\"", bCsv ? "attachment" : "inline", iYear, zExt);
  response_header(r, "Content-Disposition", buf_str(&b));
  response_header(r, "Access-Control-Allow-Origin", "*");
  buf_reset(&b);
  buf_reset(&key);
}

void page_pqrsd_open_csv(Request *r) {
  open_data(r, "csv");
}

void page_pqrsd_open_json(Request *r) {
  open_data(r, "json");
}

/* ---- the back office: who is looking -------------------------------------------------- */

/* The signed-in staff member and what the PQRSD pages let it do. */
typedef struct Staff {
  const Session *pSess; /* the session (never NULL: the route table requires one) */
  bool bAct;            /* CAP_PQRSD: may act (control interno only reads) */
  bool bAll;            /* sees every PQRSD (not a responsable) */
} Staff;

static Staff staff_of(Request *r) {
  Staff s = {.pSess = web_session(r)};
  if (s.pSess) {
    s.bAct = auth_role_can(s.pSess->eRole, CAP_PQRSD);
    s.bAll = s.pSess->eRole != ROLE_RESPONSABLE;
  }
  return s;
}

/* True when the staff member may see a PQRSD handled by office iOffice. */
static bool staff_covers(const Staff *s, int64_t iOffice) {
  if (s->bAll) {
    return true;
  }
  for (int i = 0; s->pSess && i < s->pSess->nOffice; i++) {
    if (s->pSess->aiOffice[i] == iOffice && iOffice != 0) {
      return true;
    }
  }
  return false;
}

/* ---- the inbox: GET /pqrsd/bandeja ----------------------------------------------------- */

/* The inbox's query, as read from the URL. */
typedef struct InboxQuery {
  const char *zType;   /* tipo: a type code, NULL = all */
  const char *zStatus; /* estado: a state name, NULL = all */
  const char *zOffice; /* dependencia: an office id, "sin" (none), NULL = all */
  const char *zSearch; /* buscar */
  bool bOpen;          /* abiertas=1 */
  bool bOverdue;       /* vencidas=1 */
  int nDueWithin;      /* vencen=N, 0 = not asked */
  int iPage;           /* pagina, from 1 */
} InboxQuery;

/* True when z is a decimal number from 1 to nMax; its value in *pN. */
static bool small_number(const char *z, int nMax, int *pN) {
  if (z == NULL || z[0] == 0 || strlen(z) > 6 || strspn(z, "0123456789") != strlen(z)) {
    return false;
  }
  *pN = atoi(z);
  return *pN >= 1 && *pN <= nMax;
}

/* Read the query; a malformed value goes to f (shown beside its filter). */
static void inbox_query_read(Request *r, InboxQuery *q, Form *f) {
  memset(q, 0, sizeof *q);
  const char *z;
  q->zType = (z = request_query(r, "tipo")) && z[0] ? z : NULL;
  q->zStatus = (z = request_query(r, "estado")) && z[0] ? z : NULL;
  q->zOffice = (z = request_query(r, "dependencia")) && z[0] ? z : NULL;
  q->zSearch = (z = request_query(r, "buscar")) && !str_is_blank(z) ? z : NULL;
  q->bOpen = str_eq(request_query(r, "abiertas"), "1");
  q->bOverdue = str_eq(request_query(r, "vencidas"), "1");
  z = request_query(r, "vencen");
  if (z && z[0] && !small_number(z, DUE_WITHIN_MAX, &q->nDueWithin)) {
    form_error(f, "vencen", "Escriba un número entero de días hábiles entre 1 y %d.",
               DUE_WITHIN_MAX);
  }
  if (q->zStatus && pqrsd_status_parse(q->zStatus) < 0) {
    form_error(f, "estado", "Ese estado no existe; elija uno de la lista.");
    q->zStatus = NULL;
  }
  if (!small_number(request_query(r, "pagina"), 100000, &q->iPage)) {
    q->iPage = 1;
  }
}

/* Append the query of q (without pagina) to pOut, each field after "?" or "&". */
static void inbox_query_url(Buf *pOut, const InboxQuery *q, int iPage) {
  bool bFirst = true;
  const char *azKey[] = {"tipo", "estado", "dependencia", "buscar"};
  const char *azVal[] = {q->zType, q->zStatus, q->zOffice, q->zSearch};
  for (int i = 0; i < 4; i++) {
    if (azVal[i]) {
      html_url_query(pOut, azKey[i], azVal[i], bFirst);
      bFirst = false;
    }
  }
  if (q->bOpen) {
    html_url_query(pOut, "abiertas", "1", bFirst);
    bFirst = false;
  }
  if (q->bOverdue) {
    html_url_query(pOut, "vencidas", "1", bFirst);
    bFirst = false;
  }
  if (q->nDueWithin > 0) {
    char z[16];
    snprintf(z, sizeof z, "%d", q->nDueWithin);
    html_url_query(pOut, "vencen", z, bFirst);
    bFirst = false;
  }
  if (iPage > 1) {
    char z[16];
    snprintf(z, sizeof z, "%d", iPage);
    html_url_query(pOut, "pagina", z, bFirst);
  }
}

/* The filter presets: links to the usual views. */
static void inbox_presets(HtmlW *w, const Staff *s) {
  char zDue[64];
  snprintf(zDue, sizeof zDue, "/pqrsd/bandeja?vencen=%d", DUE_SOON_PRESET);
  char zDueText[64];
  snprintf(zDueText, sizeof zDueText, "Vencen en %d días hábiles", DUE_SOON_PRESET);
  const char *azHref[] = {"/pqrsd/bandeja", "/pqrsd/bandeja?abiertas=1",
                          "/pqrsd/bandeja?vencidas=1", zDue, "/pqrsd/bandeja?dependencia=sin"};
  const char *azText[] = {"Todas", "Abiertas", "Vencidas", zDueText, "Sin asignar"};
  html_open(w, HTML_NAV, HA_ARIA_LABEL, "Vistas de la bandeja", HA_CLASS, "subnav");
  html_open(w, HTML_UL);
  for (int i = 0; i < (s->bAll ? 5 : 4); i++) {
    page_link_item(w, azHref[i], azText[i]);
  }
  html_close(w, HTML_UL);
  html_close(w, HTML_NAV);
}

/* The offices a staff member may filter by: all of the catalogue, or a
** responsable's own. Fills parallel arrays of values (ids as text) and
** labels, the first entries "" (all) and, for those who see all, "sin"
** (none). Returns the count; free both arrays' strings with
** office_options_free. */
static int office_options(Db *db, const Staff *s, char ***pazValue, char ***pazLabel) {
  OfficeInfo *aOff = NULL;
  int nOff = s->bAll ? office_catalogue(db, &aOff) : 0;
  int nMax = 2 + (s->bAll ? nOff : s->pSess->nOffice);
  char **azValue = xcalloc((size_t)nMax, sizeof *azValue);
  char **azLabel = xcalloc((size_t)nMax, sizeof *azLabel);
  int n = 0;
  azValue[n] = xstrdup("");
  azLabel[n++] = xstrdup(s->bAll ? "Todas" : "Todas las mías");
  if (s->bAll) {
    azValue[n] = xstrdup("sin");
    azLabel[n++] = xstrdup("Sin asignar");
    for (int i = 0; i < nOff; i++) {
      azValue[n] = xasprintf("%lld", (long long)aOff[i].id);
      azLabel[n++] = xstrdup(aOff[i].zName);
    }
  } else {
    for (int i = 0; i < s->pSess->nOffice; i++) {
      azValue[n] = xasprintf("%lld", (long long)s->pSess->aiOffice[i]);
      azLabel[n++] = xstrdup(s->pSess->azOffice[i]);
    }
  }
  office_catalogue_free(nOff, aOff);
  *pazValue = azValue;
  *pazLabel = azLabel;
  return n;
}

static void office_options_free(int n, char **azValue, char **azLabel) {
  for (int i = 0; i < n; i++) {
    free(azValue[i]);
    free(azLabel[i]);
  }
  free(azValue);
  free(azLabel);
}

/* The filter form. */
static void inbox_filters(Page *pg, Db *db, const Staff *s, const InboxQuery *q, const Form *f) {
  HtmlW *w = &pg->w;
  page_form_get_begin(pg, "/pqrsd/bandeja");
  html_open(w, HTML_DIV, HA_CLASS, "filtros");
  PqrsdType *aType = NULL;
  int nType = pqrsd_types(db, &aType);
  const char **azCode = xcalloc((size_t)nType, sizeof *azCode);
  const char **azName = xcalloc((size_t)nType, sizeof *azName);
  for (int i = 0; i < nType; i++) {
    azCode[i] = aType[i].zCode;
    azName[i] = aType[i].zName;
  }
  Field fld = {.zName = "tipo", .zLabel = "Tipo", .zValue = q->zType};
  code_select(pg, f, &fld, "Todos", nType, azCode, azName);
  free(azCode);
  free(azName);
  pqrsd_types_free(nType, aType);

  const char *azStatus[PQS_COUNT], *azStatusLabel[PQS_COUNT];
  for (int i = 0; i < PQS_COUNT; i++) {
    azStatus[i] = pqrsd_status_name((PqrsdStatus)i);
    azStatusLabel[i] = status_label((PqrsdStatus)i);
  }
  fld = (Field){.zName = "estado", .zLabel = "Estado", .zValue = q->zStatus};
  code_select(pg, f, &fld, "Todos", PQS_COUNT, azStatus, azStatusLabel);

  char **azValue, **azLabel;
  int nOpt = office_options(db, s, &azValue, &azLabel);
  fld = (Field){.zName = "dependencia", .zLabel = "Dependencia", .zValue = q->zOffice};
  page_select(pg, f, &fld, nOpt, (const char *const *)azValue, (const char *const *)azLabel);
  office_options_free(nOpt, azValue, azLabel);

  char zDue[16] = "";
  if (q->nDueWithin > 0) {
    snprintf(zDue, sizeof zDue, "%d", q->nDueWithin);
  }
  fld = (Field){.zName = "vencen",
                .zLabel = "Vencen en (días hábiles)",
                .zValue = zDue[0] ? zDue : request_query(pg->r, "vencen"),
                .zType = "number",
                .zMin = "1",
                .zMax = "100",
                .zStep = "1",
                .zInputMode = "numeric"};
  page_field(pg, f, &fld);
  fld = (Field){.zName = "buscar",
                .zLabel = "Buscar en el asunto o por radicado",
                .zValue = q->zSearch,
                .zType = "search",
                .zMaxLength = "200"};
  page_field(pg, f, &fld);
  page_checkbox(pg, f, "abiertas", "Solo abiertas", q->bOpen);
  page_checkbox(pg, f, "vencidas", "Solo vencidas", q->bOverdue);
  page_submit(pg, "Filtrar");
  html_close(w, HTML_DIV);
  page_form_end(pg);
}

/* Write the cell of the business days left of row p. */
static void td_days_left(HtmlW *w, const PqrsdRow *p) {
  Buf b = BUF_INIT;
  if (p->bRunning) {
    put_days_left(&b, p->iDaysLeft);
    html_open(w, HTML_TD, HA_CLASS, p->bOverdue ? "error" : NULL);
    html_text(w, buf_str(&b));
    html_close(w, HTML_TD);
  } else if (p->bPaused) {
    html_open(w, HTML_TD);
    html_text(w, "En pausa, espera información hasta el ");
    page_day(w, p->pauseDeadline);
    html_close(w, HTML_TD);
  } else {
    html_elem_text(w, HTML_TD, "—");
  }
  buf_reset(&b);
}

/* The inbox table. */
static void inbox_table(HtmlW *w, int n, const PqrsdRow *a, const char *zCaption) {
  Buf b = BUF_INIT;
  static const char *const azHead[] = {"Radicado",    "Tipo",  "Asunto",
                                       "Radicada",    "Vence", "Días hábiles restantes",
                                       "Dependencia", "Estado"};
  page_wide_begin(w, zCaption);
  page_table_begin(w, NULL, zCaption, 8, azHead, NULL);
  for (int i = 0; i < n; i++) {
    const PqrsdRow *p = &a[i];
    html_open(w, HTML_TR);
    html_open(w, HTML_TH, HA_SCOPE, "row");
    buf_clear(&b);
    buf_puts(&b, "/pqrsd/bandeja/");
    html_url_path(&b, p->zRadicado);
    html_open(w, HTML_A, HA_HREF, buf_str(&b));
    html_text(w, p->zRadicado);
    html_close(w, HTML_A);
    html_close(w, HTML_TH);
    html_elem_text(w, HTML_TD, p->zTypeName);
    html_elem_text(w, HTML_TD, p->zSubject);
    html_open(w, HTML_TD);
    page_day(w, p->received);
    html_close(w, HTML_TD);
    html_open(w, HTML_TD);
    page_day(w, p->due);
    if (p->bExtended) {
      html_text(w, " (prorrogada)");
    }
    html_close(w, HTML_TD);
    td_days_left(w, p);
    html_open(w, HTML_TD);
    if (p->zExternal[0]) {
      html_textf(w, "Otra entidad: %s", p->zExternal);
    } else {
      html_text(w, p->zOffice[0] ? p->zOffice : "Sin asignar");
    }
    html_close(w, HTML_TD);
    html_elem_text(w, HTML_TD, status_label(p->eStatus));
    html_close(w, HTML_TR);
  }
  page_table_end(w);
  html_close(w, HTML_DIV);
  buf_reset(&b);
}

void page_pqrsd_inbox(Request *r) {
  Db *db = request_db(r);
  Staff s = staff_of(r);
  if (s.pSess == NULL) {
    response_error(r, 403, NULL); /* the route table requires a session: a bug otherwise */
    return;
  }
  Form f = {0};
  InboxQuery q;
  inbox_query_read(r, &q, &f);
  PqrsdFilter flt;
  pqrsd_filter_init(&flt);
  flt.zType = q.zType;
  flt.eStatus = q.zStatus ? pqrsd_status_parse(q.zStatus) : -1;
  flt.bOpen = q.bOpen;
  flt.bOverdue = q.bOverdue;
  flt.nDueWithin = q.nDueWithin;
  flt.zSearch = q.zSearch;
  flt.nLimit = INBOX_PAGE;
  flt.nOffset = (q.iPage - 1) * INBOX_PAGE;
  int64_t iPicked = 0;
  if (str_eq(q.zOffice, "sin") && s.bAll) {
    flt.bUnassigned = true;
  } else if (q.zOffice) {
    iPicked = strspn(q.zOffice, "0123456789") == strlen(q.zOffice) && strlen(q.zOffice) < 16
                  ? (int64_t)strtoll(q.zOffice, NULL, 10)
                  : 0;
    if (iPicked == 0 || !staff_covers(&s, iPicked)) {
      form_error(&f, "dependencia", "Elija una dependencia de la lista.");
      iPicked = 0;
    }
  }
  if (iPicked > 0) {
    flt.bOffices = true;
    flt.nOffice = 1;
    flt.aOffice = &iPicked;
  } else if (!s.bAll) {
    flt.bOffices = true;
    flt.nOffice = s.pSess->nOffice;
    flt.aOffice = s.pSess->aiOffice;
  }

  Calendar cal;
  load_calendar(r, &cal);
  PqrsdRow *aRow = NULL;
  int nTotal = 0;
  int nRow = pqrsd_inbox(db, &cal, &flt, &aRow, &nTotal);

  Page pg;
  page_begin(&pg, r, "Bandeja de PQRSD", NAV_PQRSD_INBOX);
  HtmlW *w = &pg.w;
  html_elem_text(w, HTML_H1, "Bandeja de PQRSD");
  page_form_errors(&pg, &f);
  Buf b = BUF_INIT;
  if (!s.bAll) {
    for (int i = 0; i < s.pSess->nOffice; i++) {
      buf_appendf(&b, "%s%s", i ? ", " : "", s.pSess->azOffice[i]);
    }
    html_open(w, HTML_P);
    html_textf(w, "Solicitudes asignadas o trasladadas a sus dependencias (%s).",
               s.pSess->nOffice ? buf_str(&b) : "no tiene ninguna asignada");
    html_close(w, HTML_P);
  } else if (!s.bAct) {
    html_elem_text(w, HTML_P,
                   "Control interno consulta todas las solicitudes y su historial, sin "
                   "modificarlas.");
  }
  if (s.pSess->eRole == ROLE_ADMIN) {
    html_open(w, HTML_P);
    html_open(w, HTML_A, HA_HREF, "/admin/pqrsd");
    html_text(w, "Términos de respuesta y límite de envíos");
    html_close(w, HTML_A);
    html_close(w, HTML_P);
  }
  if (auth_role_can(s.pSess->eRole, CAP_PLAN)) {
    html_open(w, HTML_P);
    html_open(w, HTML_A, HA_HREF, "/datos-personales");
    html_text(w, "Solicitudes de los titulares de datos personales (ver, corregir, suprimir)");
    html_close(w, HTML_A);
    html_close(w, HTML_P);
  }
  inbox_presets(w, &s);
  inbox_filters(&pg, db, &s, &q, &f);
  if (nTotal == 0) {
    html_elem_text(w, HTML_P, "Ninguna solicitud cumple los filtros.");
  } else {
    buf_clear(&b);
    if (nTotal <= nRow) {
      buf_appendf(&b, "%d solicitud%s: las abiertas primero, por fecha de vencimiento", nTotal,
                  nTotal == 1 ? "" : "es");
    } else {
      buf_appendf(&b, "Solicitudes %d a %d de %d: las abiertas primero, por fecha de vencimiento",
                  flt.nOffset + 1, flt.nOffset + nRow, nTotal);
    }
    inbox_table(w, nRow, aRow, buf_str(&b));
    if (nTotal > nRow) {
      html_open(w, HTML_NAV, HA_ARIA_LABEL, "Páginas de la bandeja");
      html_open(w, HTML_UL, HA_CLASS, "paginas");
      if (q.iPage > 1) {
        buf_clear(&b);
        buf_puts(&b, "/pqrsd/bandeja");
        inbox_query_url(&b, &q, q.iPage - 1);
        page_link_item(w, buf_str(&b), "Página anterior");
      }
      if (flt.nOffset + nRow < nTotal) {
        buf_clear(&b);
        buf_puts(&b, "/pqrsd/bandeja");
        inbox_query_url(&b, &q, q.iPage + 1);
        page_link_item(w, buf_str(&b), "Página siguiente");
      }
      html_close(w, HTML_UL);
      html_close(w, HTML_NAV);
    }
  }
  if (f.nErr > 0) {
    response_status(r, 400);
  }
  page_end(&pg);
  buf_reset(&b);
  pqrsd_rows_free(nRow, aRow);
  calendar_reset(&cal);
  form_reset(&f);
}

/* ---- one PQRSD: /pqrsd/bandeja/{radicado} ---------------------------------------------- */

/* Load the PQRSD named by the route's {radicado} into *p and check that the
** staff member may see it. Otherwise answer 404 or 403 and return false
** (*p then holds nothing to reset). */
static bool staff_load(Request *r, const Staff *s, const Calendar *c, Pqrsd *p) {
  Db *db = request_db(r);
  const char *zRad = request_param(r, "radicado");
  int64_t id = zRad != NULL ? pqrsd_id(db, zRad) : 0;
  if (id == 0 || !pqrsd_load(db, c, id, p)) {
    response_error(r, 404, "No existe una PQRSD con ese radicado.");
    return false;
  }
  if (!staff_covers(s, p->iOffice)) {
    pqrsd_reset(p);
    Buf msg = BUF_INIT;
    buf_puts(&msg, "Esta PQRSD no está asignada a sus dependencias: solo puede ver y atender "
                   "las de ");
    for (int i = 0; s->pSess && i < s->pSess->nOffice; i++) {
      buf_appendf(&msg, "%s%s", i ? ", " : "", s->pSess->azOffice[i]);
    }
    if (s->pSess == NULL || s->pSess->nOffice == 0) {
      buf_puts(&msg, "las dependencias que tenga asignadas (pídalas al administrador)");
    }
    buf_puts(&msg, ".");
    response_error(r, 403, buf_str(&msg));
    buf_reset(&msg);
    return false;
  }
  return true;
}

/* The address of the detail page of p, with an optional suffix. */
static void detail_url(Buf *pOut, const Pqrsd *p, const char *zSuffix) {
  buf_puts(pOut, "/pqrsd/bandeja/");
  html_url_path(pOut, p->zRadicado);
  buf_puts(pOut, zSuffix ? zSuffix : "");
}

/* What was sent with a refused action, shown again in its form. */
typedef struct ActionInput {
  const char *zAction;        /* accion */
  const char *zOffice;        /* dependencia (asignar) */
  const char *zTarget;        /* destino (trasladar) */
  const char *zEntity;        /* entidad (trasladar) */
  const char *zMissing;       /* falta (solicitar) */
  const char *zInfo;          /* informacion (completar) */
  const char *zNewDue;        /* nueva_fecha (prorrogar) */
  const char *zReason;        /* motivo (prorrogar) */
  const char *zAnswer;        /* respuesta (responder) */
  bool bPublic;               /* publicar (responder) */
  const char *zPublicSubject; /* asunto_publico (responder, publicar) */
  const char *zPublicAnswer;  /* respuesta_publica (responder, publicar) */
} ActionInput;

/* The two fields of the public version of an answer, pre-filled with
** zSubject and zAnswer. */
static void public_fields(Page *pg, const Form *f, const char *zSubject, const char *zAnswer) {
  Field fld = {.zName = "asunto_publico",
               .zLabel = "Asunto público",
               .zValue = zSubject,
               .zHint = "Lo que verá el público en el informe de PQRSD, escrito por usted: no "
                        "copie el asunto del peticionario ni ponga nombres, documentos, correos, "
                        "teléfonos o direcciones. De 3 a 200 caracteres.",
               .zMaxLength = "200"};
  page_field(pg, f, &fld);
  fld = (Field){.zName = "respuesta_publica",
                .zLabel = "Respuesta pública",
                .zValue = zAnswer,
                .zHint = "La respuesta como se publica, sin datos del peticionario.",
                .zMaxLength = "20000"};
  page_textarea(pg, f, &fld, 5);
}

/* The offices as select options, with a first option zNone. Free with
** office_options_free. */
static int office_select_options(Db *db, const char *zNone, char ***pazValue, char ***pazLabel) {
  OfficeInfo *aOff = NULL;
  int nOff = office_catalogue(db, &aOff);
  char **azValue = xcalloc((size_t)nOff + 1, sizeof *azValue);
  char **azLabel = xcalloc((size_t)nOff + 1, sizeof *azLabel);
  azValue[0] = xstrdup("");
  azLabel[0] = xstrdup(zNone);
  for (int i = 0; i < nOff; i++) {
    azValue[i + 1] = xasprintf("%lld", (long long)aOff[i].id);
    azLabel[i + 1] = xstrdup(aOff[i].zName);
  }
  office_catalogue_free(nOff, aOff);
  *pazValue = azValue;
  *pazLabel = azLabel;
  return nOff + 1;
}

/* Open the section and form of one action: an h3, what it does, the form
** posting accion=zAction to the detail page. */
static void action_begin(Page *pg, const Pqrsd *p, const char *zAction, const char *zTitle,
                         const char *zWhat) {
  HtmlW *w = &pg->w;
  Buf id = BUF_INIT, url = BUF_INIT;
  buf_appendf(&id, "accion-%s", zAction);
  html_open(w, HTML_SECTION, HA_ARIA_LABELLEDBY, buf_str(&id));
  html_open(w, HTML_H3, HA_ID, buf_str(&id));
  html_text(w, zTitle);
  html_close(w, HTML_H3);
  if (zWhat) {
    html_elem_text(w, HTML_P, zWhat);
  }
  detail_url(&url, p, NULL);
  page_form_begin(pg, buf_str(&url), true);
  page_hidden(pg, "accion", zAction);
  buf_reset(&id);
  buf_reset(&url);
}

static void action_end(Page *pg, const char *zButton) {
  page_submit(pg, zButton);
  page_form_end(pg);
  html_close(&pg->w, HTML_SECTION);
}

/* True when the term of p runs in an open state (the actions that need
** one: assign, forward, ask for information, extend, answer). */
static bool is_open(const Pqrsd *p) {
  return p->eStatus == PQS_RADICADA || p->eStatus == PQS_ASIGNADA ||
         (p->eStatus == PQS_TRASLADADA && p->zExternal[0] == 0);
}

/* The action forms that apply to p's state. */
static void action_forms(Page *pg, Db *db, const Calendar *c, const Pqrsd *p,
                         const ActionInput *pIn, const Form *f) {
  HtmlW *w = &pg->w;
  static const ActionInput none;
  if (pIn == NULL) {
    pIn = &none;
  }
  char **azValue, **azLabel;
  Buf b = BUF_INIT, iso = BUF_INIT, isoMin = BUF_INIT;
  if (is_open(p)) {
    int nOpt = office_select_options(db, "Elija la dependencia", &azValue, &azLabel);
    action_begin(pg, p, "asignar", "Asignar a una dependencia",
                 "Para que la atienda una dependencia de la entidad. El término no cambia.");
    Field fld = {
        .zName = "dependencia", .zLabel = "Dependencia", .zValue = pIn->zOffice, .bRequired = true};
    page_select(pg, f, &fld, nOpt, (const char *const *)azValue, (const char *const *)azLabel);
    action_end(pg, "Asignar");
    office_options_free(nOpt, azValue, azLabel);

    nOpt = office_select_options(db, "Ninguna: va a otra entidad", &azValue, &azLabel);
    action_begin(pg, p, "trasladar", "Trasladar",
                 "A la dependencia competente, o a otra entidad si no es de competencia de "
                 "esta (artículo 21 de la Ley 1755 de 2015: dentro de los 5 días hábiles "
                 "siguientes a la radicación). El término vuelve a empezar desde hoy.");
    fld =
        (Field){.zName = "destino", .zLabel = "Dependencia de la entidad", .zValue = pIn->zTarget};
    page_select(pg, f, &fld, nOpt, (const char *const *)azValue, (const char *const *)azLabel);
    fld = (Field){.zName = "entidad",
                  .zLabel = "Otra entidad",
                  .zValue = pIn->zEntity,
                  .zHint = "Solo si la competente es otra entidad; deje entonces la dependencia "
                           "en «Ninguna».",
                  .zMaxLength = "200"};
    page_field(pg, f, &fld);
    action_end(pg, "Trasladar");
    office_options_free(nOpt, azValue, azLabel);

    action_begin(pg, p, "solicitar", "Pedir información al peticionario",
                 "Si la solicitud está incompleta (artículo 17): el término queda en pausa y "
                 "el peticionario tiene un mes para completarla. Lo verá al consultar su "
                 "solicitud.");
    fld = (Field){.zName = "falta",
                  .zLabel = "Qué información falta",
                  .zValue = pIn->zMissing,
                  .bRequired = true,
                  .zMaxLength = "2000"};
    page_textarea(pg, f, &fld, 3);
    action_end(pg, "Pedir la información");

    if (!p->bExtended) {
      Day last = calendar_add(c, p->termStart, 2 * p->nTermDays);
      date_format_iso(last, &iso);
      date_format_iso(p->due + 1, &isoMin);
      buf_puts(&b, "Debe pedirse antes del vencimiento (");
      date_format_long(p->due, &b);
      buf_appendf(&b,
                  ") y la nueva fecha no puede pasar del doble del término de %d días "
                  "hábiles: a más tardar el ",
                  p->nTermDays);
      date_format_long(last, &b);
      buf_puts(&b, ".");
      action_begin(pg, p, "prorrogar", "Prorrogar el término",
                   "Cuando no se puede responder a tiempo (artículo 14, parágrafo): se informa "
                   "al peticionario el motivo y la nueva fecha. Solo una vez.");
      fld = (Field){.zName = "nueva_fecha",
                    .zLabel = "Nueva fecha de vencimiento",
                    .zValue = pIn->zNewDue,
                    .zHint = buf_str(&b),
                    .zType = "date",
                    .bRequired = true,
                    .zMin = buf_str(&isoMin),
                    .zMax = buf_str(&iso)};
      page_field(pg, f, &fld);
      fld = (Field){.zName = "motivo",
                    .zLabel = "Motivo",
                    .zValue = pIn->zReason,
                    .bRequired = true,
                    .zMaxLength = "2000"};
      page_textarea(pg, f, &fld, 3);
      action_end(pg, "Prorrogar");
    }

    action_begin(pg, p, "responder", "Responder", NULL);
    fld = (Field){.zName = "respuesta",
                  .zLabel = "Respuesta",
                  .zValue = pIn->zAnswer,
                  .bRequired = true,
                  .zMaxLength = "20000"};
    page_textarea(pg, f, &fld, 8);
    buf_clear(&b);
    buf_puts(&b, "Opcional: la respuesta firmada u otro documento, de hasta ");
    put_size(&b, file_limit(pg->r));
    buf_puts(&b, ".");
    fld = (Field){.zName = "adjunto",
                  .zLabel = "Archivo de la respuesta",
                  .zHint = buf_str(&b),
                  .zType = "file"};
    page_field(pg, f, &fld);
    if (strcmp(p->zType, "sugerencia") == 0) {
      page_checkbox(pg, f, "publicar",
                    "Publicar en el informe de PQRSD la versión pública que escribo abajo",
                    pIn->bPublic);
      public_fields(pg, f, pIn->zPublicSubject, pIn->zPublicAnswer);
    }
    action_end(pg, "Registrar la respuesta");
  }
  if (p->eStatus == PQS_ESPERA) {
    action_begin(pg, p, "completar", "Registrar la información recibida",
                 "Cuando el peticionario la entrega por otro medio. El término vuelve a "
                 "empezar desde hoy.");
    Field fld = {.zName = "informacion",
                 .zLabel = "Información recibida",
                 .zValue = pIn->zInfo,
                 .bRequired = true,
                 .zMaxLength = "10000"};
    page_textarea(pg, f, &fld, 4);
    action_end(pg, "Registrar la información");
  }
  if (p->eStatus == PQS_RESPONDIDA || p->eStatus == PQS_ESPERA ||
      (p->eStatus == PQS_TRASLADADA && p->zExternal[0])) {
    buf_clear(&b);
    if (p->eStatus == PQS_ESPERA) {
      buf_puts(&b, "Sin respuesta, cuando haya pasado el plazo del peticionario (");
      date_format_long(p->pauseDeadline, &b);
      buf_puts(&b, ") sin que llegue la información (desistimiento tácito).");
    } else {
      buf_puts(&b, "Termina el trámite; después no admite cambios.");
    }
    action_begin(pg, p, "cerrar", "Cerrar", buf_str(&b));
    const char *zErr = form_error_for(f, "cerrar");
    if (zErr) {
      html_open(w, HTML_P, HA_ID, "f-cerrar-error", HA_CLASS, "error");
      html_text(w, zErr);
      html_close(w, HTML_P);
    }
    html_open(w, HTML_BUTTON, HA_TYPE, "submit", HA_ID, "f-cerrar", HA_ARIA_DESCRIBEDBY,
              zErr ? "f-cerrar-error" : NULL);
    html_text(w, "Cerrar la PQRSD");
    html_close(w, HTML_BUTTON);
    page_form_end(pg);
    html_close(w, HTML_SECTION);
  }
  if (strcmp(p->zType, "sugerencia") == 0 && p->zAnswerAt[0] && !p->zAnonymisedAt[0]) {
    action_begin(pg, p, "publicar", "Versión pública de la respuesta",
                 p->bAnswerPublic && p->zPublicSubject[0]
                     ? "Se muestra en el informe de PQRSD. Puede corregirla o retirarla."
                     : "El informe de PQRSD muestra solo la versión que usted escriba, nunca el "
                       "asunto ni el texto del peticionario.");
    bool bAgain = str_eq(pIn->zAction, "publicar");
    public_fields(pg, f, bAgain ? pIn->zPublicSubject : p->zPublicSubject,
                  bAgain ? pIn->zPublicAnswer : p->zPublicAnswer);
    action_end(pg, "Publicar la versión pública");
    if (p->bAnswerPublic && p->zPublicSubject[0]) {
      action_begin(pg, p, "retirar", "Retirar la publicación", NULL);
      action_end(pg, "Retirar del informe");
    }
  }
  if (p->eStatus == PQS_CERRADA) {
    html_elem_text(w, HTML_P, "La PQRSD está cerrada: no admite más actuaciones.");
  }
  buf_reset(&b);
  buf_reset(&iso);
  buf_reset(&isoMin);
}

/* Write a link to a stored attachment of p (zWhich: "solicitud" or
** "respuesta"), with its name and size. */
static void file_link(HtmlW *w, const Pqrsd *p, const PqrsdFile *pFile, const char *zWhich) {
  Buf url = BUF_INIT, b = BUF_INIT;
  buf_appendf(&b, "/archivo/%s", zWhich);
  detail_url(&url, p, buf_str(&b));
  html_open(w, HTML_A, HA_HREF, buf_str(&url));
  html_text(w, pFile->zName[0] ? pFile->zName : "adjunto");
  html_close(w, HTML_A);
  buf_clear(&b);
  buf_puts(&b, " (");
  put_size(&b, (size_t)pFile->nSize);
  buf_appendf(&b, ", %s)", pFile->zMime);
  html_text(w, buf_str(&b));
  buf_reset(&url);
  buf_reset(&b);
}

/* The detail page of p for staff; pIn and f carry a refused action. */
static void detail_page(Request *r, const Staff *s, const Calendar *c, const Pqrsd *p,
                        const ActionInput *pIn, const Form *f) {
  Db *db = request_db(r);
  Page pg;
  Buf title = BUF_INIT, b = BUF_INIT;
  buf_appendf(&title, "PQRSD %s", p->zRadicado);
  page_begin(&pg, r, buf_str(&title), NAV_PQRSD_INBOX);
  HtmlW *w = &pg.w;
  html_elem_text(w, HTML_H1, buf_str(&title));
  page_form_errors(&pg, f);
  html_open(w, HTML_P);
  html_open(w, HTML_A, HA_HREF, "/pqrsd/bandeja");
  html_text(w, "Volver a la bandeja");
  html_close(w, HTML_A);
  html_close(w, HTML_P);

  html_open(w, HTML_DL, HA_CLASS, "campos");
  put_dd(w, "Tipo", p->zTypeName);
  put_dd(w, "Asunto", p->zSubject);
  html_elem_text(w, HTML_DT, "Estado");
  html_open(w, HTML_DD);
  html_open(w, HTML_STRONG, HA_ID, "estado");
  html_text(w, status_label(p->eStatus));
  html_close(w, HTML_STRONG);
  html_close(w, HTML_DD);
  html_elem_text(w, HTML_DT, "Radicada");
  html_open(w, HTML_DD);
  put_local(w, p->zReceivedAt);
  html_close(w, HTML_DD);
  buf_appendf(&b, "%d días hábiles", p->nTermDays);
  put_dd(w, "Término", buf_str(&b));
  put_dd_day(w, "El término corre desde", p->termStart);
  html_elem_text(w, HTML_DT, "Vence");
  due_dd(w, p);
  if (p->bExtended) {
    html_elem_text(w, HTML_DT, "Prórroga");
    html_open(w, HTML_DD);
    html_text(w, "Prorrogada; vencía el ");
    page_day(w, p->originalDue);
    html_textf(w, ". Motivo: %s", p->zExtensionReason);
    html_close(w, HTML_DD);
  }
  put_dd(w, "Dependencia", p->zOffice[0] ? p->zOffice : "Sin asignar");
  if (p->zExternal[0]) {
    put_dd(w, "Trasladada a otra entidad", p->zExternal);
  }
  html_close(w, HTML_DL);

  page_section_begin(w, "solicitud-titulo", "Solicitud");
  html_open(w, HTML_DL, HA_CLASS, "campos");
  put_dd(w, "Texto", p->zText);
  html_elem_text(w, HTML_DT, "Archivo adjunto");
  html_open(w, HTML_DD);
  if (p->file.zSha256[0]) {
    file_link(w, p, &p->file, "solicitud");
  } else {
    html_text(w, "Ninguno");
  }
  html_close(w, HTML_DD);
  html_close(w, HTML_DL);
  html_close(w, HTML_SECTION);

  page_section_begin(w, "peticionario-titulo", "Peticionario");
  if (p->bAnonymous) {
    html_elem_text(w, HTML_P,
                   "Anónima: sin datos personales. El peticionario consulta el estado y la "
                   "respuesta en línea con el radicado y su código.");
  } else {
    html_elem_text(w, HTML_P,
                   "Datos personales: solo para atender esta solicitud (Ley 1581 de 2012).");
    html_open(w, HTML_DL, HA_CLASS, "campos");
    put_dd(w, "Nombre", p->zName);
    if (p->zIdNumber[0]) {
      buf_clear(&b);
      buf_appendf(&b, "%s %s", pqrsd_idtype_name(p->zIdType), p->zIdNumber);
      put_dd(w, "Documento", buf_str(&b));
    }
    if (p->zEmail[0]) {
      put_dd(w, "Correo electrónico", p->zEmail);
    }
    if (p->zPhone[0]) {
      put_dd(w, "Teléfono", p->zPhone);
    }
    if (p->zAddress[0]) {
      put_dd(w, "Dirección", p->zAddress);
    }
    put_dd(w, "Medio de respuesta", pqrsd_channel_name(p->zChannel));
    html_elem_text(w, HTML_DT, "Autorización de datos");
    html_open(w, HTML_DD);
    if (p->zConsentAt[0]) {
      html_textf(w, "Aviso %s, aceptado el ", p->zConsentVersion);
      put_local(w, p->zConsentAt);
    } else {
      html_text(w, "No consta");
    }
    html_close(w, HTML_DD);
    html_close(w, HTML_DL);
  }
  html_close(w, HTML_SECTION);

  if (p->zAnswerAt[0]) {
    page_section_begin(w, "respuesta-titulo", "Respuesta");
    html_open(w, HTML_DL, HA_CLASS, "campos");
    html_elem_text(w, HTML_DT, "Fecha");
    html_open(w, HTML_DD);
    put_local(w, p->zAnswerAt);
    if (p->zAnsweredBy[0]) {
      html_textf(w, ", por %s", p->zAnsweredBy);
    }
    html_close(w, HTML_DD);
    put_dd(w, "Texto", p->zAnswer);
    if (p->answerFile.zSha256[0]) {
      html_elem_text(w, HTML_DT, "Archivo");
      html_open(w, HTML_DD);
      file_link(w, p, &p->answerFile, "respuesta");
      html_close(w, HTML_DD);
    }
    if (strcmp(p->zType, "sugerencia") == 0) {
      put_dd(w, "Publicada", p->bAnswerPublic ? "Sí, en el informe de PQRSD" : "No");
    }
    html_close(w, HTML_DL);
    html_close(w, HTML_SECTION);
  }

  page_section_begin(w, "acciones-titulo", "Actuaciones");
  if (s->bAct) {
    action_forms(&pg, db, c, p, pIn, f);
  } else {
    html_elem_text(w, HTML_P, "Control interno consulta la PQRSD sin modificarla.");
  }
  html_close(w, HTML_SECTION);

  page_section_begin(w, "historial-titulo", "Historial");
  history_table(w, p, true);
  html_close(w, HTML_SECTION);
  page_end(&pg);
  response_header(r, "Cache-Control", "private, no-store");
  buf_reset(&title);
  buf_reset(&b);
}

void page_pqrsd_detail(Request *r) {
  Staff s = staff_of(r);
  Calendar cal;
  load_calendar(r, &cal);
  Pqrsd p;
  if (staff_load(r, &s, &cal, &p)) {
    detail_page(r, &s, &cal, &p, NULL, NULL);
    pqrsd_reset(&p);
  }
  calendar_reset(&cal);
}

void page_pqrsd_file(Request *r) {
  Staff s = staff_of(r);
  Calendar cal;
  load_calendar(r, &cal);
  Pqrsd p;
  if (staff_load(r, &s, &cal, &p)) {
    const char *zWhich = request_param(r, "archivo");
    if (str_eq(zWhich, "solicitud")) {
      send_file(r, &p.file);
    } else if (str_eq(zWhich, "respuesta")) {
      send_file(r, &p.answerFile);
    } else {
      response_error(r, 404, "Esta PQRSD no tiene ese archivo adjunto.");
    }
    pqrsd_reset(&p);
  }
  calendar_reset(&cal);
}

/* ---- acting on one PQRSD: POST /pqrsd/bandeja/{radicado} ------------------------------ */

/* The office id in select value z, or 0. */
static int64_t office_value(const char *z) {
  int64_t n = 0;
  return text_parse_id(z, TEXT_ID_MAX, &n) ? n : 0;
}

/* True when z starts with zPrefix. */
static bool starts_with(const char *z, const char *zPrefix) {
  return z && strncmp(z, zPrefix, strlen(zPrefix)) == 0;
}

/* The field of the public version a refusal of the core is about, or NULL. */
static const char *public_error_field(const char *zErr) {
  if (starts_with(zErr, "Para publicar la respuesta escriba el asunto") ||
      starts_with(zErr, "La versión pública")) {
    return "asunto_publico";
  }
  if (starts_with(zErr, "Para publicar la respuesta escriba la respuesta")) {
    return "respuesta_publica";
  }
  return NULL;
}

void post_pqrsd_action(Request *r) {
  Db *db = request_db(r);
  Staff s = staff_of(r);
  if (!s.bAct) {
    response_error(r, 403, "Control interno consulta las PQRSD sin modificarlas.");
    return;
  }
  Calendar cal;
  load_calendar(r, &cal);
  Pqrsd p;
  if (!staff_load(r, &s, &cal, &p)) {
    calendar_reset(&cal);
    return; /* 404 or 403: nothing written */
  }
  Multipart m;
  char *zErr = NULL;
  if (!page_multipart(r, &m, &zErr)) {
    response_error(r, 400, zErr);
    free(zErr);
    pqrsd_reset(&p);
    calendar_reset(&cal);
    return;
  }
  ActionInput in = {.zAction = mp(&m, "accion"),
                    .zOffice = mp(&m, "dependencia"),
                    .zTarget = mp(&m, "destino"),
                    .zEntity = mp(&m, "entidad"),
                    .zMissing = mp(&m, "falta"),
                    .zInfo = mp(&m, "informacion"),
                    .zNewDue = mp(&m, "nueva_fecha"),
                    .zReason = mp(&m, "motivo"),
                    .zAnswer = mp(&m, "respuesta"),
                    .bPublic = mp(&m, "publicar") != NULL,
                    .zPublicSubject = mp(&m, "asunto_publico"),
                    .zPublicAnswer = mp(&m, "respuesta_publica")};
  const char *zActor = s.pSess->zLogin;
  const char *zField = "";    /* where a refusal of the core is shown */
  const char *zNotice = NULL; /* the notice code on success */
  bool bOk = false;
  Form f = {0};
  PqrsdFile file;
  memset(&file, 0, sizeof file);
  bool bFile = false;
  if (str_eq(in.zAction, "asignar")) {
    zField = "dependencia";
    int64_t iOffice = office_value(in.zOffice);
    if (iOffice == 0) {
      form_error(&f, zField, "Elija la dependencia que atenderá la solicitud.");
    } else {
      bOk = pqrsd_assign(db, &cal, p.id, iOffice, zActor, &zErr);
      zNotice = "pqrsd-asignada";
    }
  } else if (str_eq(in.zAction, "trasladar")) {
    zField = "destino";
    int64_t iOffice = office_value(in.zTarget);
    if (!str_is_blank(in.zTarget) && iOffice == 0) {
      form_error(&f, zField, "Elija una dependencia de la lista.");
    } else if (iOffice > 0 && !str_is_blank(in.zEntity)) {
      form_error(&f, zField,
                 "Elija una dependencia o escriba otra entidad, no las dos: la solicitud va "
                 "a un solo destino.");
    } else {
      bOk = pqrsd_forward(db, &cal, p.id, iOffice, iOffice ? NULL : in.zEntity, zActor, &zErr);
      if (starts_with(zErr, "Escriba el nombre de la entidad")) {
        zField = "entidad";
      }
      zNotice = "pqrsd-trasladada";
    }
  } else if (str_eq(in.zAction, "solicitar")) {
    zField = "falta";
    bOk = pqrsd_request_completion(db, &cal, p.id, in.zMissing ? in.zMissing : "", zActor, &zErr);
    zNotice = "pqrsd-informacion-pedida";
  } else if (str_eq(in.zAction, "completar")) {
    zField = "informacion";
    bOk = pqrsd_complete(db, &cal, p.id, in.zInfo ? in.zInfo : "", zActor, &zErr);
    zNotice = "pqrsd-informacion-recibida";
  } else if (str_eq(in.zAction, "prorrogar")) {
    zField = "nueva_fecha";
    Day newDue = 0;
    Buf dateErr = BUF_INIT;
    if (str_is_blank(in.zNewDue)) {
      form_error(&f, zField, "Escriba la nueva fecha de vencimiento.");
    } else if (!date_parse(in.zNewDue, &newDue, &dateErr)) {
      form_error(&f, zField, "«%s» no es una fecha; escríbala como AAAA-MM-DD (2021-08-19).",
                 in.zNewDue);
    }
    buf_reset(&dateErr);
    if (str_is_blank(in.zReason)) {
      form_error(&f, "motivo", "Escriba el motivo de la prórroga.");
    }
    if (f.nErr == 0) {
      bOk = pqrsd_extend(db, &cal, p.id, newDue, in.zReason, zActor, &zErr);
      if (starts_with(zErr, "Escriba el motivo")) {
        zField = "motivo";
      }
      zNotice = "pqrsd-prorrogada";
    }
  } else if (str_eq(in.zAction, "responder")) {
    zField = "respuesta";
    if (str_is_blank(in.zAnswer)) {
      form_error(&f, zField, "Escriba la respuesta.");
    } else {
      attachment_store(r, &m, "adjunto", &f, &file, &bFile);
    }
    if (f.nErr == 0) {
      PqrsdPublicText pub = {in.zPublicSubject, in.zPublicAnswer};
      bOk = pqrsd_answer_public(db, &cal, p.id, in.zAnswer, bFile ? &file : NULL,
                                in.bPublic ? &pub : NULL, zActor, &zErr);
      if (starts_with(zErr, "Solo la respuesta a una sugerencia")) {
        zField = "publicar";
      } else if (public_error_field(zErr)) {
        zField = public_error_field(zErr);
      }
      zNotice = "pqrsd-respondida";
    }
  } else if (str_eq(in.zAction, "publicar") || str_eq(in.zAction, "retirar")) {
    bool bPublish = str_eq(in.zAction, "publicar");
    PqrsdPublicText pub = {in.zPublicSubject, in.zPublicAnswer};
    bOk = pqrsd_publish(db, p.id, bPublish ? &pub : NULL, zActor, &zErr);
    zField = public_error_field(zErr) ? public_error_field(zErr) : "asunto_publico";
    zNotice = bPublish ? "pqrsd-publicada" : "pqrsd-publicacion-retirada";
  } else if (str_eq(in.zAction, "cerrar")) {
    zField = "cerrar";
    bOk = pqrsd_close(db, &cal, p.id, zActor, &zErr);
    zNotice = "pqrsd-cerrada";
  } else {
    form_error(&f, "", "Elija una de las actuaciones de la página.");
  }
  if (!bOk && f.nErr == 0) {
    form_error(&f, zField, "%s.", zErr ? zErr : "No se pudo registrar la actuación");
  }
  if (bOk) {
    Buf url = BUF_INIT;
    detail_url(&url, &p, "?aviso=");
    buf_puts(&url, zNotice);
    response_redirect(r, buf_str(&url));
    buf_reset(&url);
  } else {
    detail_page(r, &s, &cal, &p, &in, &f);
    response_status(r, 422);
  }
  if (bFile) {
    pqrsd_file_reset(&file);
  }
  free(zErr);
  form_reset(&f);
  multipart_reset(&m);
  pqrsd_reset(&p);
  calendar_reset(&cal);
}

/* ---- response terms and the submission limit: /admin/pqrsd ----------------------------- */

/* The terms form: one number per type (field "termino_CODE") and the
** hourly limit. azValue holds what was typed (NULL = the stored values),
** parallel to the types; zLimit likewise. */
static void terms_page(Request *r, int nType, const PqrsdType *aType, char **azName,
                       const char *const *azValue, const char *zLimit, const Form *f) {
  Page pg;
  page_begin(&pg, r, "Términos de las PQRSD", NAV_ADMIN);
  HtmlW *w = &pg.w;
  html_elem_text(w, HTML_H1, "Términos de respuesta de las PQRSD");
  page_admin_nav(&pg, "/admin/pqrsd");
  page_form_errors(&pg, f);
  html_elem_text(w, HTML_P,
                 "El término de cada tipo, en días hábiles, se aplica a las solicitudes que se "
                 "radiquen desde que se guarde; cada solicitud conserva el término con el que "
                 "se radicó. La Ley 1755 de 2015 (artículo 14) fija 15 días hábiles en general, "
                 "10 para documentos e información y 30 para consultas; cámbielos solo cuando "
                 "una norma lo disponga.");
  page_form_begin(&pg, "/admin/pqrsd", false);
  html_open(w, HTML_FIELDSET);
  html_elem_text(w, HTML_LEGEND, "Término por tipo (días hábiles)");
  Buf b = BUF_INIT;
  char zMax[16];
  snprintf(zMax, sizeof zMax, "%d", PQRSD_TERM_MAX);
  for (int i = 0; i < nType; i++) {
    buf_clear(&b);
    buf_appendf(&b, "%d", aType[i].nTermDays);
    Field fld = {.zName = azName[i],
                 .zLabel = aType[i].zName,
                 .zValue = azValue ? azValue[i] : buf_str(&b),
                 .zType = "number",
                 .bRequired = true,
                 .zMin = "1",
                 .zMax = zMax,
                 .zStep = "1",
                 .zInputMode = "numeric"};
    page_field(&pg, f, &fld);
  }
  html_close(w, HTML_FIELDSET);
  Field fld = {.zName = "limite_hora",
               .zLabel = "Solicitudes por hora desde una misma conexión",
               .zValue = zLimit,
               .zHint = "Frena los envíos masivos del formulario público sin cerrarle el paso "
                        "a nadie: quien llega al límite ve cuándo puede volver a radicar. 0 = "
                        "sin límite.",
               .zType = "number",
               .bRequired = true,
               .zMin = "0",
               .zStep = "1",
               .zInputMode = "numeric"};
  page_field(&pg, f, &fld);
  page_submit(&pg, "Guardar");
  page_form_end(&pg);
  page_end(&pg);
  buf_reset(&b);
}

/* The field names "termino_CODE" of the types (caller frees with
** term_names_free). */
static char **term_names_new(int nType, const PqrsdType *aType) {
  char **az = xcalloc((size_t)nType + 1, sizeof *az);
  for (int i = 0; i < nType; i++) {
    az[i] = xasprintf("termino_%s", aType[i].zCode);
  }
  return az;
}

static void term_names_free(int nType, char **az) {
  for (int i = 0; i < nType; i++) {
    free(az[i]);
  }
  free(az);
}

void page_pqrsd_terms(Request *r) {
  Db *db = request_db(r);
  PqrsdType *aType = NULL;
  int nType = pqrsd_types(db, &aType);
  char **azName = term_names_new(nType, aType);
  char zLimit[16];
  snprintf(zLimit, sizeof zLimit, "%d", limit_per_hour(db));
  terms_page(r, nType, aType, azName, NULL, zLimit, NULL);
  term_names_free(nType, azName);
  pqrsd_types_free(nType, aType);
}

void post_pqrsd_terms(Request *r) {
  Db *db = request_db(r);
  const Session *pSess = web_session(r);
  PqrsdType *aType = NULL;
  int nType = pqrsd_types(db, &aType);
  char **azName = term_names_new(nType, aType);
  const char **azValue = xcalloc((size_t)nType + 1, sizeof *azValue);
  int *anDays = xcalloc((size_t)nType + 1, sizeof *anDays);
  Form f = {0};
  for (int i = 0; i < nType; i++) {
    azValue[i] = request_form(r, azName[i]);
    char *zT = text_trim_dup(azValue[i] ? azValue[i] : "");
    if (!small_number(zT, PQRSD_TERM_MAX, &anDays[i])) {
      form_error(&f, azName[i], "%s: escriba un número entero de días hábiles entre 1 y %d.",
                 aType[i].zName, PQRSD_TERM_MAX);
    }
    free(zT);
  }
  const char *zLimit = request_form(r, "limite_hora");
  char *zLimitT = text_trim_dup(zLimit ? zLimit : "");
  int nLimit = 0;
  if (!str_eq(zLimitT, "0") && !small_number(zLimitT, LIMIT_HOUR_MAX, &nLimit)) {
    form_error(&f, "limite_hora",
               "Escriba un número entero de solicitudes por hora entre 0 (sin límite) y %d.",
               LIMIT_HOUR_MAX);
  }
  if (f.nErr > 0) {
    terms_page(r, nType, aType, azName, azValue, zLimit, &f);
    response_status(r, 422);
  } else {
    char *zErr = NULL;
    bool bOk = true;
    for (int i = 0; i < nType && bOk; i++) {
      if (anDays[i] != aType[i].nTermDays) {
        bOk = pqrsd_type_set_term(db, aType[i].zCode, anDays[i], pSess->zLogin, &zErr);
      }
    }
    int nOld = limit_per_hour(db);
    if (bOk && nOld != nLimit) {
      char zNew[16];
      snprintf(zNew, sizeof zNew, "%d", nLimit);
      db_begin(db);
      setting_set(db, SETTING_PQRSD_LIMIT, zNew);
      audit_logf(db, pSess->zLogin, "ajuste", "setting", 0,
                 "%s: %d → %d solicitudes por hora y conexión", SETTING_PQRSD_LIMIT, nOld, nLimit);
      db_commit(db);
    }
    if (bOk) {
      response_redirect(r, "/admin/pqrsd?aviso=terminos-guardados");
    } else {
      form_error(&f, "", "%s.", zErr);
      terms_page(r, nType, aType, azName, azValue, zLimit, &f);
      response_status(r, 422);
    }
    free(zErr);
  }
  free(zLimitT);
  form_reset(&f);
  free(anDays);
  free(azValue);
  term_names_free(nType, azName);
  pqrsd_types_free(nType, aType);
}
