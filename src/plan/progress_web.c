/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Reporting and verifying progress on the web.
**
** A responsable sees, at /reportar, the activities of the current plan
** linked to its offices with what has been verified and what waits, and the
** newest reports of those offices with their review (a rejected report
** shows control interno's note). /reportar/{item} is the form: period,
** value (es-CO: "2", "0,5", "1.500"), what was done, and optional evidence,
** a file (its type read from its content with libmagic) and/or a link. The
** report is stored by plan_progress_add, as `participa progress add` does,
** in one transaction; the file under <data-dir>/evidencias/ by its SHA-256.
**
** Control interno sees, at /verificacion, every report of the current plan
** waiting for verification, oldest first, with its evidence, each with a
** small form to verify it or reject it with a note (a rejection needs one:
** the responsable reads it). plan_progress_review records the decision.
**
** Rules every handler here follows: ownership (a responsable reports only
** on its offices' activities, auth_owns_activity) is checked before the body
** is read, 403 with nothing written; wrong input re-renders the form with
** 422 and each error beside its field, nothing written; success answers 303
** with a notice code. The route table has already checked the capability,
** CSRF and the body limit (413), and the multipart parser refused anything
** ambiguous.
**
** What it does not do: serve evidence files (public_web.c, /evidencia),
** or write SQL (plan/progress_db.h reads, plan/plan_db.h writes).
*/
#include "plan/plan_web.h"

#include <magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/clock.h"
#include "base/date.h"
#include "base/text.h"
#include "plan/plan.h"
#include "plan/plan_db.h"
#include "plan/progress_db.h"
#include "web/multipart.h"
#include "app/page.h"

#define NOTE_MAX       4000 /* characters (code points) of a note */
#define URL_MAX        2000 /* bytes of an evidence link */
#define FILE_NAME_MAX  200  /* characters of an uploaded file's name kept */
#define RECENT_REPORTS 20   /* reports listed on /reportar */

/* ---- shared helpers ---------------------------------------------------------------- */

/* A trimmed copy of z with CRLF made LF ("" for NULL): what a textarea
** sends, as it is stored. Caller frees. */
static char *text_clean_dup(const char *z) {
  char *zT = text_trim_dup(z ? z : "");
  char *pOut = zT;
  for (const char *c = zT; *c; c++) {
    if (!(c[0] == '\r' && c[1] == '\n')) {
      *pOut++ = *c;
    }
  }
  *pOut = 0;
  return zT;
}

/* Write an ISO date or timestamp as <time datetime="...">30 de junio de 2021</time>. */
static void put_time(HtmlW *w, const char *zIso) {
  if (zIso == NULL || zIso[0] == 0) {
    html_text(w, "—");
    return;
  }
  Buf b = BUF_INIT;
  char zDay[11];
  snprintf(zDay, sizeof zDay, "%.10s", zIso);
  fmt_date_long(&b, zDay);
  html_open(w, HTML_TIME, HA_DATETIME, zIso);
  html_text(w, buf_str(&b));
  html_close(w, HTML_TIME);
  buf_reset(&b);
}

/* Write a table cell holding number v (es-CO), right-aligned. */
static void td_number(HtmlW *w, double v) {
  Buf b = BUF_INIT;
  fmt_number(&b, v);
  html_open(w, HTML_TD, HA_CLASS, "numero");
  html_text(w, buf_str(&b));
  html_close(w, HTML_TD);
  buf_reset(&b);
}

/* The words for a report status. */
static const char *status_label(const char *zStatus) {
  if (strcmp(zStatus, "verificado") == 0) {
    return "Verificado";
  }
  if (strcmp(zStatus, "rechazado") == 0) {
    return "Rechazado";
  }
  return "Pendiente de verificación";
}

/* Append a size in bytes as people read it: "830 bytes", "12 KB", "1,5 MB". */
static void put_size(Buf *pOut, double rBytes) {
  if (rBytes < 1024) {
    fmt_number(pOut, rBytes);
    buf_puts(pOut, " bytes");
  } else if (rBytes < 1024 * 1024) {
    fmt_number(pOut, (double)(long long)(rBytes / 1024 + 0.5));
    buf_puts(pOut, " KB");
  } else {
    fmt_number(pOut, (double)(long long)(rBytes / (1024 * 1024) * 10 + 0.5) / 10);
    buf_puts(pOut, " MB");
  }
}

/* Write the evidence of report p as a list: files link to /evidencia/{id}
** (name, size, type), links to their address. */
static void put_evidence(HtmlW *w, const ProgReport *p) {
  if (p->nEvidence == 0) {
    html_text(w, "Sin evidencia");
    return;
  }
  Buf b = BUF_INIT;
  html_open(w, HTML_UL);
  for (int k = 0; k < p->nEvidence; k++) {
    const ProgEvidence *e = &p->aEvidence[k];
    html_open(w, HTML_LI);
    buf_clear(&b);
    if (e->bFile) {
      buf_appendf(&b, "/evidencia/%lld", (long long)e->id);
      html_open(w, HTML_A, HA_HREF, buf_str(&b));
      html_text(w, e->zName[0] ? e->zName : "archivo sin nombre");
      html_close(w, HTML_A);
      buf_clear(&b);
      buf_puts(&b, " (");
      put_size(&b, (double)e->nSize);
      buf_appendf(&b, ", %s)", e->zMime);
      html_text(w, buf_str(&b));
    } else {
      html_open(w, HTML_A, HA_HREF, e->zName, HA_REL, "noopener noreferrer");
      html_text(w, e->zName);
      html_close(w, HTML_A);
    }
    html_close(w, HTML_LI);
  }
  html_close(w, HTML_UL);
  buf_reset(&b);
}

/* Write a dt/dd pair of a dl.campos with text zValue. */
static void put_dd(HtmlW *w, const char *zTerm, const char *zValue) {
  html_elem_text(w, HTML_DT, zTerm);
  html_elem_text(w, HTML_DD, zValue);
}

/* The offices of a session joined by ", " into pOut. */
static void put_offices(Buf *pOut, const Session *pSess) {
  for (int i = 0; i < pSess->nOffice; i++) {
    buf_appendf(pOut, "%s%s", i ? ", " : "", pSess->azOffice[i]);
  }
}

/* Answer 403: the activity is not one of the session's offices'. */
static void not_yours(Request *r, const Session *pSess) {
  Buf msg = BUF_INIT;
  buf_puts(&msg, "Esta actividad no está a cargo de su dependencia: solo puede reportar avances "
                 "de las actividades de ");
  if (pSess && pSess->nOffice > 0) {
    put_offices(&msg, pSess);
  } else {
    buf_puts(&msg, "las dependencias que tenga asignadas (pídalas al administrador)");
  }
  buf_puts(&msg, ".");
  response_error(r, 403, buf_str(&msg));
  buf_reset(&msg);
}

/* ---- the responsable's activities: /reportar --------------------------------------- */

/* The table of the responsable's activities. */
static void own_table(HtmlW *w, int n, const OwnActivity *a) {
  Buf b = BUF_INIT;
  html_open(w, HTML_DIV, HA_CLASS, "tabla-contenedor");
  static const char *const azHead[] = {"Ítem",       "Actividad", "Meta",
                                       "Verificado", "Avance",    "Pendientes de verificación"};
  static const bool abNumber[] = {false, false, true, true, true, true};
  page_table_begin(w, NULL, "Actividades de sus dependencias en el plan vigente", 6, azHead,
                   abNumber);
  for (int i = 0; i < n; i++) {
    const OwnActivity *p = &a[i];
    html_open(w, HTML_TR);
    html_open(w, HTML_TH, HA_SCOPE, "row");
    html_textf(w, "%ld", p->iItem);
    html_close(w, HTML_TH);
    html_open(w, HTML_TD);
    buf_clear(&b);
    buf_appendf(&b, "/reportar/%ld", p->iItem);
    html_open(w, HTML_A, HA_HREF, buf_str(&b));
    html_text(w, p->zActivity);
    html_close(w, HTML_A);
    html_close(w, HTML_TD);
    td_number(w, p->rTarget);
    td_number(w, p->rVerified);
    buf_clear(&b);
    double rProgress = p->rTarget > 0 ? p->rVerified / p->rTarget : 0;
    fmt_percent(&b, rProgress > 1 ? 1 : rProgress);
    html_open(w, HTML_TD, HA_CLASS, "numero");
    html_text(w, buf_str(&b));
    html_close(w, HTML_TD);
    td_number(w, p->nPending);
    html_close(w, HTML_TR);
  }
  page_table_end(w);
  html_close(w, HTML_DIV);
  buf_reset(&b);
}

/* A table of reports (newest first) with their review. bItem adds the
** activity's item column. */
static void reports_table(HtmlW *w, const char *zCaption, int n, const ProgReport *a, bool bItem) {
  html_open(w, HTML_DIV, HA_CLASS, "tabla-contenedor");
  html_open(w, HTML_TABLE);
  html_elem_text(w, HTML_CAPTION, zCaption);
  html_open(w, HTML_THEAD);
  html_open(w, HTML_TR);
  page_th_col(w, "Reportado", false);
  if (bItem) {
    page_th_col(w, "Ítem", false);
  }
  page_th_col(w, "Periodo", false);
  page_th_col(w, "Valor", true);
  page_th_col(w, "Qué se hizo", false);
  page_th_col(w, "Evidencia", false);
  page_th_col(w, "Estado", false);
  page_th_col(w, "Revisión", false);
  html_close(w, HTML_TR);
  html_close(w, HTML_THEAD);
  html_open(w, HTML_TBODY);
  for (int i = 0; i < n; i++) {
    const ProgReport *p = &a[i];
    html_open(w, HTML_TR);
    html_open(w, HTML_TH, HA_SCOPE, "row");
    put_time(w, p->zCreatedAt);
    html_textf(w, " por %s", p->zAuthor);
    html_close(w, HTML_TH);
    if (bItem) {
      html_open(w, HTML_TD);
      html_textf(w, "%ld", p->iItem);
      html_close(w, HTML_TD);
    }
    html_elem_text(w, HTML_TD, p->zPeriod);
    td_number(w, p->rValue);
    html_elem_text(w, HTML_TD, p->zNote);
    html_open(w, HTML_TD);
    put_evidence(w, p);
    html_close(w, HTML_TD);
    html_elem_text(w, HTML_TD, status_label(p->zStatus));
    html_open(w, HTML_TD);
    if (p->zReviewer[0]) {
      html_textf(w, "%s, ", p->zReviewer);
      put_time(w, p->zReviewedAt);
      html_textf(w, ": %s", p->zReviewNote);
    } else {
      html_text(w, "—");
    }
    html_close(w, HTML_TD);
    html_close(w, HTML_TR);
  }
  html_close(w, HTML_TBODY);
  html_close(w, HTML_TABLE);
  html_close(w, HTML_DIV);
}

/* GET /reportar */
static void own_list_page(Request *r) {
  Db *db = request_db(r);
  const Session *pSess = web_session(r);
  int64_t iPlan = plan_web_current(r);
  if (pSess == NULL) {
    response_error(r, 403, NULL); /* the route table requires a session: a bug otherwise */
    return;
  }
  Page pg;
  page_begin(&pg, r, "Reportar avance", NAV_REPORT);
  HtmlW *w = &pg.w;
  html_elem_text(w, HTML_H1, "Reportar avance");
  if (iPlan == 0) {
    html_elem_text(w, HTML_P, "Todavía no hay un plan cargado: no hay actividades para reportar.");
    page_end(&pg);
    return;
  }
  OwnActivity *aAct = NULL;
  int nAct = progress_own_activities(db, iPlan, pSess->iUser, &aAct);
  Buf b = BUF_INIT;
  put_offices(&b, pSess);
  if (nAct == 0) {
    html_open(w, HTML_P);
    html_textf(w,
               "Sus dependencias (%s) no tienen actividades en el plan vigente. Si esto no es "
               "correcto, pida al administrador que revise las dependencias de su usuario.",
               pSess->nOffice ? buf_str(&b) : "ninguna asignada");
    html_close(w, HTML_P);
  } else {
    html_open(w, HTML_P);
    html_textf(w,
               "Actividades de %s. Elija una para reportar lo que se hizo en un periodo; "
               "control interno verifica cada reporte antes de que cuente en el avance "
               "publicado.",
               buf_str(&b));
    html_close(w, HTML_P);
    own_table(w, nAct, aAct);
    ProgReport *aRep = NULL;
    int nRep = progress_office_reports(db, iPlan, pSess->iUser, RECENT_REPORTS, &aRep);
    html_elem_text(w, HTML_H2, "Reportes recientes");
    if (nRep == 0) {
      html_elem_text(w, HTML_P, "Todavía no hay reportes de avance de sus dependencias.");
    } else {
      buf_clear(&b);
      buf_appendf(&b, "Los %d reportes más recientes de sus dependencias, con su revisión", nRep);
      reports_table(w, nRep == 1 ? "El reporte de sus dependencias, con su revisión" : buf_str(&b),
                    nRep, aRep, true);
    }
    progress_reports_free(nRep, aRep);
  }
  buf_reset(&b);
  progress_own_activities_free(nAct, aAct);
  page_end(&pg);
}

/* ---- the report form: /reportar/{item} ---------------------------------------------- */

/* What the form shows in its controls: the values sent, or the defaults. */
typedef struct ReportInput {
  const char *zPeriod; /* period code */
  const char *zValue;  /* value as typed */
  const char *zNote;   /* note as typed */
  const char *zUrl;    /* link as typed */
  bool bHadFile;       /* a file was sent (the browser does not keep it) */
} ReportInput;

/* The code of the period that contains today, else the last one begun,
** else the first; "" when the plan has no periods. */
static const char *default_period(int nPeriod, const Period *aPeriod) {
  if (nPeriod == 0) {
    return "";
  }
  Day today = clock_today();
  const char *zCode = aPeriod[0].zCode;
  for (int i = 0; i < nPeriod; i++) {
    if (aPeriod[i].start <= today) {
      zCode = aPeriod[i].zCode;
    }
  }
  return zCode;
}

/* The facts of the activity above the form. */
static void activity_facts(HtmlW *w, const OwnActivity *pAct) {
  Buf b = BUF_INIT;
  html_open(w, HTML_DL, HA_CLASS, "campos");
  put_dd(w, "Actividad", pAct->zActivity);
  if (pAct->zGoal[0]) {
    put_dd(w, "Meta del indicador", pAct->zGoal);
  }
  fmt_number(&b, pAct->rTarget);
  put_dd(w, "Meta numérica", buf_str(&b));
  html_elem_text(w, HTML_DT, "Fechas");
  html_open(w, HTML_DD);
  put_time(w, pAct->zStart);
  html_text(w, " a ");
  put_time(w, pAct->zEnd);
  html_close(w, HTML_DD);
  buf_clear(&b);
  fmt_number(&b, pAct->rVerified);
  buf_puts(&b, pAct->nPending == 0   ? "; ningún reporte pendiente de verificación"
               : pAct->nPending == 1 ? "; 1 reporte pendiente de verificación"
                                     : "");
  if (pAct->nPending > 1) {
    buf_appendf(&b, "; %d reportes pendientes de verificación", pAct->nPending);
  }
  put_dd(w, "Verificado hasta hoy", buf_str(&b));
  html_close(w, HTML_DL);
  buf_reset(&b);
}

/* Write the report page of activity pAct: facts, the form (with pIn's
** values and f's errors), and the activity's reports. */
static void report_page(Request *r, const OwnActivity *pAct, int nPeriod, const Period *aPeriod,
                        const ReportInput *pIn, const Form *f) {
  Db *db = request_db(r);
  Buf title = BUF_INIT, b = BUF_INIT;
  buf_appendf(&title, "Reportar avance del ítem %ld", pAct->iItem);
  Page pg;
  page_begin(&pg, r, buf_str(&title), NAV_REPORT);
  HtmlW *w = &pg.w;
  html_elem_text(w, HTML_H1, buf_str(&title));
  page_form_errors(&pg, f);
  activity_facts(w, pAct);

  buf_appendf(&b, "/reportar/%ld", pAct->iItem);
  page_form_begin(&pg, buf_str(&b), true);
  const char **azCode = xcalloc((size_t)nPeriod + 1, sizeof *azCode);
  char **azLabel = xcalloc((size_t)nPeriod + 1, sizeof *azLabel);
  for (int i = 0; i < nPeriod; i++) {
    Buf label = BUF_INIT, end = BUF_INIT;
    date_format_long(aPeriod[i].end, &end);
    buf_appendf(&label, "%s: %s (cierra el %s)", aPeriod[i].zCode, aPeriod[i].zName, buf_str(&end));
    azCode[i] = aPeriod[i].zCode;
    azLabel[i] = buf_take(&label);
    buf_reset(&end);
  }
  Field period = {.zName = "periodo",
                  .zLabel = "Periodo",
                  .zValue = pIn->zPeriod,
                  .zHint = "El periodo de seguimiento en que se hizo lo que reporta.",
                  .bRequired = true};
  page_select(&pg, f, &period, nPeriod, azCode, (const char *const *)azLabel);
  for (int i = 0; i < nPeriod; i++) {
    free(azLabel[i]);
  }
  free(azLabel);
  free(azCode);

  buf_clear(&b);
  buf_puts(&b, "Cuánto se avanzó en el periodo, en la unidad de la meta (meta numérica: ");
  fmt_number(&b, pAct->rTarget);
  buf_puts(&b, "). Use coma para los decimales, por ejemplo 0,5; 0 si no hubo avance.");
  Field value = {.zName = "valor",
                 .zLabel = "Valor logrado",
                 .zValue = pIn->zValue,
                 .zHint = buf_str(&b),
                 .bRequired = true,
                 .zAutocomplete = "off",
                 .zInputMode = "decimal",
                 .zMaxLength = "20"};
  page_field(&pg, f, &value);
  Field note = {.zName = "nota",
                .zLabel = "Qué se hizo",
                .zValue = pIn->zNote,
                .zHint = "Describa lo realizado en el periodo. Control interno lo lee al verificar "
                         "y, una vez verificado, se publica.",
                .bRequired = true,
                .zMaxLength = "4000"};
  page_textarea(&pg, f, &note, 6);

  html_open(w, HTML_FIELDSET);
  html_elem_text(w, HTML_LEGEND, "Evidencia (opcional)");
  Buf hint = BUF_INIT;
  buf_puts(&hint, "PDF, imagen (JPG, PNG), documento de oficina, texto o ZIP, de hasta ");
  put_size(&hint, (double)web_app(r)->nMaxUpload);
  buf_puts(&hint, ".");
  if (pIn->bHadFile) {
    buf_puts(&hint, " El navegador no conserva el archivo elegido: elíjalo de nuevo.");
  }
  Field file = {.zName = "evidencia",
                .zLabel = "Archivo de evidencia",
                .zHint = buf_str(&hint),
                .zType = "file",
                .zAccept = ".pdf,.jpg,.jpeg,.png,.gif,.webp,.txt,.csv,.doc,.docx,.xls,.xlsx,"
                           ".ppt,.pptx,.odt,.ods,.odp,.zip"};
  page_field(&pg, f, &file);
  Field link = {.zName = "enlace",
                .zLabel = "Enlace a la evidencia",
                .zValue = pIn->zUrl,
                .zHint = "Una dirección que empiece por https:// (una publicación, una carpeta "
                         "compartida).",
                .zType = "url",
                .zAutocomplete = "off",
                .zInputMode = "url",
                .zMaxLength = "2000"};
  page_field(&pg, f, &link);
  html_close(w, HTML_FIELDSET);
  page_submit(&pg, "Enviar reporte");
  page_form_end(&pg);
  buf_reset(&hint);

  ProgReport *aRep = NULL;
  int nRep = progress_activity_reports(db, plan_web_current(r), pAct->iItem, &aRep);
  html_elem_text(w, HTML_H2, "Reportes de esta actividad");
  if (nRep == 0) {
    html_elem_text(w, HTML_P, "Esta actividad todavía no tiene reportes de avance.");
  } else {
    reports_table(w, "Reportes de avance de la actividad, el más reciente primero", nRep, aRep,
                  false);
  }
  progress_reports_free(nRep, aRep);
  page_end(&pg);
  buf_reset(&title);
  buf_reset(&b);
}

/* Load the activity of the "{item}" segment for the signed-in responsable.
** Answers 404 (no such item in the current plan) or 403 (not its offices')
** and returns false; true with *pAct filled otherwise (reset it). */
static bool own_activity(Request *r, OwnActivity *pAct) {
  Db *db = request_db(r);
  int64_t iPlan = plan_web_current(r);
  long iItem = (long)request_param_int(r, "item");
  if (iPlan == 0 || iItem == 0 || !progress_activity(db, iPlan, iItem, pAct)) {
    response_error(r, 404, "El plan vigente no tiene esa actividad.");
    return false;
  }
  const Session *pSess = web_session(r);
  if (pSess == NULL || !auth_owns_activity(db, pSess, pAct->id)) {
    progress_own_activity_reset(pAct);
    not_yours(r, pSess);
    return false;
  }
  return true;
}

void page_report_form(Request *r) {
  if (request_param(r, "item") == NULL) {
    own_list_page(r);
    return;
  }
  OwnActivity act;
  if (!own_activity(r, &act)) {
    return;
  }
  Period *aPeriod = NULL;
  int nPeriod = plan_periods(request_db(r), plan_web_current(r), &aPeriod);
  ReportInput in = {.zPeriod = default_period(nPeriod, aPeriod)};
  report_page(r, &act, nPeriod, aPeriod, &in, NULL);
  plan_periods_free(nPeriod, aPeriod);
  progress_own_activity_reset(&act);
}

/* ---- storing a report: POST /reportar/{item} ---------------------------------------- */

/* The type libmagic reads from the n bytes at p ("application/pdf"), or
** "application/octet-stream" when it cannot tell. Caller frees. */
static char *detect_type_dup(const char *p, size_t n) {
  magic_t m = magic_open(MAGIC_MIME_TYPE);
  const char *zType = NULL;
  if (m && magic_load(m, NULL) == 0) {
    zType = magic_buffer(m, p, n);
  }
  char *z = xstrdup(zType ? zType : "application/octet-stream");
  if (m) {
    magic_close(m);
  }
  return z;
}

/* True when an evidence file of type zType is accepted: documents, images
** (not SVG, which can carry script), text, archives, audio and video.
** Executables, web pages and unknown binaries are not evidence anyone can
** open safely. */
static bool evidence_type_ok(const char *zType) {
  static const char *const azExact[] = {
      "application/pdf", "application/zip", "application/msword", "application/x-ole-storage",
      "application/rtf", "text/plain",      "text/csv",           "text/rtf",
  };
  for (size_t i = 0; i < sizeof azExact / sizeof azExact[0]; i++) {
    if (strcasecmp(zType, azExact[i]) == 0) {
      return true;
    }
  }
  static const char *const azPrefix[] = {
      "application/vnd.openxmlformats-officedocument.",
      "application/vnd.oasis.opendocument.",
      "application/vnd.ms-",
      "application/cdfv2",
      "image/",
      "audio/",
      "video/",
  };
  for (size_t i = 0; i < sizeof azPrefix / sizeof azPrefix[0]; i++) {
    if (strncasecmp(zType, azPrefix[i], strlen(azPrefix[i])) == 0) {
      return strncasecmp(zType, "image/svg", 9) != 0;
    }
  }
  return false;
}

/* True when z is a link evidence may point to: http:// or https:// with a
** host, no blanks or control characters. */
static bool url_ok(const char *z) {
  size_t nScheme = strncasecmp(z, "https://", 8) == 0  ? 8
                   : strncasecmp(z, "http://", 7) == 0 ? 7
                                                       : 0;
  if (nScheme == 0 || z[nScheme] == 0 || z[nScheme] == '/' || strlen(z) > URL_MAX) {
    return false;
  }
  for (const unsigned char *c = (const unsigned char *)z; *c; c++) {
    if (*c <= 0x20 || *c == 0x7F) {
      return false;
    }
  }
  return true;
}

/* The submitted report, read and checked. */
typedef struct ReportForm {
  ReportInput in;             /* the values as sent, for a re-rendered form */
  char *zNote;                /* the note as stored (owned) */
  char *zUrl;                 /* the link, "" for none (owned) */
  double rValue;              /* the value */
  const MultipartPart *pFile; /* the evidence file, NULL for none */
  char *zFileName;            /* its name as shown (owned) */
} ReportForm;

/* Read and check the fields of m into *pOut; errors go to f. (The size
** of the file needs no check: the server refused a body over the limit.) */
static void report_read(const Multipart *m, int nPeriod, const Period *aPeriod, ReportForm *pOut,
                        Form *f) {
  memset(pOut, 0, sizeof *pOut);
  const char *zPeriod = multipart_value(m, "periodo");
  const char *zValue = multipart_value(m, "valor");
  pOut->in.zPeriod = zPeriod ? zPeriod : "";
  pOut->in.zValue = zValue ? zValue : "";
  pOut->in.zNote = multipart_value(m, "nota");
  pOut->in.zUrl = multipart_value(m, "enlace");
  pOut->zNote = text_clean_dup(pOut->in.zNote);
  pOut->zUrl = text_clean_dup(pOut->in.zUrl);

  bool bPeriod = false;
  for (int i = 0; i < nPeriod && !bPeriod; i++) {
    bPeriod = strcmp(aPeriod[i].zCode, pOut->in.zPeriod) == 0;
  }
  if (!bPeriod) {
    form_error(f, "periodo", "elija el periodo en que se hizo lo que reporta");
  }

  char *zTrim = text_trim_dup(pOut->in.zValue);
  if (zTrim[0] == 0) {
    form_error(f, "valor", "escriba el valor logrado: un número (0 si no hubo avance)");
  } else if (!plan_parse_number(zTrim, &pOut->rValue)) {
    form_error(f, "valor",
               "«%s» no es un número; escriba por ejemplo 2 o 0,5 (con coma para los "
               "decimales)",
               zTrim);
  } else if (pOut->rValue < 0) {
    form_error(f, "valor", "el valor no puede ser negativo; escriba 0 si no hubo avance");
  }
  free(zTrim);

  if (pOut->zNote[0] == 0) {
    form_error(f, "nota", "escriba qué se hizo en el periodo: la nota no puede ir vacía");
  } else if (text_width(pOut->zNote) > NOTE_MAX) {
    form_error(f, "nota", "la nota tiene %zu caracteres y el máximo es 4.000; resúmala",
               text_width(pOut->zNote));
  }

  if (pOut->zUrl[0] && !url_ok(pOut->zUrl)) {
    form_error(f, "enlace",
               "el enlace debe ser una dirección completa que empiece por https:// "
               "o http://, sin espacios (por ejemplo "
               "https://www.cartagena.gov.co/acta.pdf)");
  }

  const MultipartPart *pFile = multipart_part(m, "evidencia");
  if (pFile && pFile->zFileName == NULL) {
    form_error(f, "evidencia",
               "el formulario no trae el archivo como archivo; vuelva a "
               "elegirlo");
  } else if (pFile && (pFile->zFileName[0] || pFile->nData > 0)) {
    pOut->in.bHadFile = true;
    pOut->zFileName =
        text_ellipsize_dup(pFile->zFileName[0] ? pFile->zFileName : "evidencia", FILE_NAME_MAX);
    if (pFile->nData == 0) {
      form_error(f, "evidencia",
                 "el archivo «%s» está vacío; elija el archivo que tiene la "
                 "evidencia",
                 pOut->zFileName);
    } else {
      char *zType = detect_type_dup(pFile->pData, pFile->nData);
      if (!evidence_type_ok(zType)) {
        form_error(f, "evidencia",
                   "el archivo «%s» es de un tipo que no se acepta como evidencia "
                   "(%s); suba un PDF, una imagen, un documento de oficina o un "
                   "texto",
                   pOut->zFileName, zType);
      } else {
        pOut->pFile = pFile;
      }
      free(zType);
    }
  }
}

static void report_form_reset(ReportForm *p) {
  free(p->zNote);
  free(p->zUrl);
  free(p->zFileName);
  memset(p, 0, sizeof *p);
}

void post_report(Request *r) {
  OwnActivity act;
  if (!own_activity(r, &act)) {
    return; /* 404 or 403, before the body is even parsed: nothing written */
  }
  Db *db = request_db(r);
  int64_t iPlan = plan_web_current(r);
  Period *aPeriod = NULL;
  int nPeriod = plan_periods(db, iPlan, &aPeriod);
  Multipart m;
  char *zErr = NULL;
  Form f = {0};
  ReportForm rf;
  memset(&rf, 0, sizeof rf);
  if (!page_multipart(r, &m, &zErr)) {
    form_error(&f, "", "%s", zErr);
    free(zErr);
    rf.in.zPeriod = default_period(nPeriod, aPeriod);
  } else {
    report_read(&m, nPeriod, aPeriod, &rf, &f);
  }
  if (f.nErr == 0) {
    Evidence ev = {.zUrl = rf.zUrl[0] ? rf.zUrl : NULL};
    if (rf.pFile) {
      ev.pData = rf.pFile->pData;
      ev.nData = rf.pFile->nData;
      ev.zName = rf.zFileName;
    }
    const Session *pSess = web_session(r);
    int64_t iReport =
        plan_progress_add(db, web_app(r)->zDataDir, iPlan, act.iItem, rf.in.zPeriod, rf.rValue,
                          rf.zNote, (ev.zUrl || ev.pData) ? &ev : NULL, pSess->zLogin, &zErr);
    if (iReport == 0) {
      /* the input was checked: what is left is storage (the evidence folder) */
      fprintf(stderr, "participa: reporte de avance del ítem %ld: %s\n", act.iItem, zErr);
      free(zErr);
      /* an operational failure (disk full, unwritable folder): 503, the
      ** server's Retry-After tells when to try again */
      response_error(r, 503,
                     "No se pudo guardar el reporte. Inténtelo de nuevo en unos minutos; si "
                     "vuelve a fallar, avise al administrador.");
    } else {
      response_redirect(r, "/reportar?aviso=avance-reportado");
    }
  } else {
    report_page(r, &act, nPeriod, aPeriod, &rf.in, &f);
    response_status(r, 422);
  }
  form_reset(&f);
  report_form_reset(&rf);
  multipart_reset(&m);
  plan_periods_free(nPeriod, aPeriod);
  progress_own_activity_reset(&act);
}

/* ---- the verification queue: /verificacion ------------------------------------------ */

/* What was sent for one report, shown again when the decision is refused. */
typedef struct ReviewInput {
  int64_t iReport;            /* the report the form was for, 0 = none */
  const char *zDecision;      /* "verificar", "rechazar", or NULL */
  const char *zNote;          /* the note as typed */
  const char *zFieldDecision; /* the Form key of its decision ("decision-ID") */
} ReviewInput;

/* The review form of report p; pIn holds what was sent for it (or NULL). */
static void review_form(Page *pg, const ProgReport *p, const ReviewInput *pIn, const Form *f) {
  Buf action = BUF_INIT, id = BUF_INIT, legend = BUF_INIT;
  long long iId = (long long)p->id;

  buf_appendf(&action, "/verificacion/%lld", iId);
  page_form_begin(pg, buf_str(&action), false);

  /* one form per report on the page: the ids and errors carry its id */
  static const Choice aDecision[] = {
      {"verificar", "Verificar: el avance queda en firme y cuenta en el avance publicado", NULL},
      {"rechazar", "Rechazar: el avance no cuenta; quien lo reportó verá la nota", NULL}};
  buf_appendf(&id, "decision-%lld", iId);
  buf_appendf(&legend, "Decisión sobre el reporte %lld", iId);
  RadioGroup g = {.zName = "decision",
                  .zKey = buf_str(&id),
                  .zLegend = buf_str(&legend),
                  .bRequired = true,
                  .zChecked = pIn ? pIn->zDecision : NULL};
  page_radio_group(pg, pIn ? f : NULL, &g, 2, aDecision);

  buf_clear(&id);
  buf_appendf(&id, "nota-%lld", iId);
  Field note = {.zName = "nota",
                .zKey = buf_str(&id),
                .zLabel = "Nota de la revisión",
                .zHint = "Obligatoria para rechazar: diga qué falta o qué hay que corregir.",
                .zValue = pIn ? pIn->zNote : NULL,
                .zMaxLength = "4000"};
  page_textarea(pg, pIn ? f : NULL, &note, 3);
  page_submit(pg, "Registrar decisión");
  page_form_end(pg);
  buf_reset(&action);
  buf_reset(&id);
  buf_reset(&legend);
}

/* One report of the queue: what was reported, its evidence, the form. */
static void queue_item(Page *pg, const ProgReport *p, const ReviewInput *pIn, const Form *f) {
  HtmlW *w = &pg->w;
  Buf id = BUF_INIT, b = BUF_INIT;
  buf_appendf(&id, "reporte-%lld", (long long)p->id);
  html_open(w, HTML_ARTICLE, HA_ARIA_LABELLEDBY, buf_str(&id));
  html_open(w, HTML_H2, HA_ID, buf_str(&id));
  html_textf(w, "Reporte %lld: ítem %ld, %s", (long long)p->id, p->iItem, p->zPeriodName);
  html_close(w, HTML_H2);
  html_open(w, HTML_DL, HA_CLASS, "campos");
  put_dd(w, "Actividad", p->zActivity);
  fmt_number(&b, p->rValue);
  buf_puts(&b, " (meta numérica de la actividad: ");
  fmt_number(&b, p->rTarget);
  buf_puts(&b, ")");
  put_dd(w, "Valor reportado", buf_str(&b));
  put_dd(w, "Qué se hizo", p->zNote);
  html_elem_text(w, HTML_DT, "Reportado por");
  html_open(w, HTML_DD);
  html_textf(w, "%s, ", p->zAuthor);
  put_time(w, p->zCreatedAt);
  html_close(w, HTML_DD);
  html_elem_text(w, HTML_DT, "Evidencia");
  html_open(w, HTML_DD);
  put_evidence(w, p);
  html_close(w, HTML_DD);
  html_close(w, HTML_DL);
  review_form(pg, p, (pIn && pIn->iReport == p->id) ? pIn : NULL, f);
  html_close(w, HTML_ARTICLE);
  buf_reset(&id);
  buf_reset(&b);
}

/* Write the queue page; pIn and f carry a refused decision (or NULL). */
static void queue_page(Request *r, const ReviewInput *pIn, const Form *f) {
  Db *db = request_db(r);
  int64_t iPlan = plan_web_current(r);
  Page pg;
  page_begin(&pg, r, "Verificación de avances", NAV_QUEUE);
  HtmlW *w = &pg.w;
  html_elem_text(w, HTML_H1, "Verificación de avances");
  page_form_errors(&pg, f);
  ProgReport *aRep = NULL;
  int nRep = iPlan ? progress_queue(db, iPlan, &aRep) : 0;
  if (nRep == 0) {
    html_elem_text(w, HTML_P, "No hay reportes de avance pendientes de verificación.");
  } else {
    html_open(w, HTML_P);
    if (nRep == 1) {
      html_text(w, "1 reporte de avance espera verificación.");
    } else {
      html_textf(w,
                 "%d reportes de avance esperan verificación, del más antiguo al más "
                 "reciente.",
                 nRep);
    }
    html_text(w, " Un reporte verificado cuenta en el avance publicado del plan; uno rechazado "
                 "no cuenta, y quien lo reportó ve la nota de la revisión.");
    html_close(w, HTML_P);
    for (int i = 0; i < nRep; i++) {
      queue_item(&pg, &aRep[i], pIn, f);
    }
  }
  progress_reports_free(nRep, aRep);
  page_end(&pg);
}

void page_queue(Request *r) {
  queue_page(r, NULL, NULL);
}

/* ---- recording a decision: POST /verificacion/{id} ---------------------------------- */

void post_review(Request *r) {
  Db *db = request_db(r);
  int64_t iReport = request_param_int(r, "id");
  char *zStatus = NULL, *zReviewer = NULL;
  if (iReport == 0 || !progress_report_status(db, iReport, &zStatus, &zReviewer)) {
    response_error(r, 404, "No existe ese reporte de avance.");
    return;
  }
  if (strcmp(zStatus, "reportado") != 0) {
    Buf msg = BUF_INIT;
    buf_appendf(&msg,
                "El reporte %lld ya fue %s por %s. Vuelva a la cola de verificación para "
                "ver los pendientes.",
                (long long)iReport, zStatus, zReviewer[0] ? zReviewer : "otra persona");
    response_error(r, 409, buf_str(&msg));
    buf_reset(&msg);
    free(zStatus);
    free(zReviewer);
    return;
  }
  free(zStatus);
  free(zReviewer);

  const char *zDecision = request_form(r, "decision");
  char *zNote = text_clean_dup(request_form(r, "nota"));
  char zFieldNote[40], zFieldDecision[40];
  snprintf(zFieldNote, sizeof zFieldNote, "nota-%lld", (long long)iReport);
  snprintf(zFieldDecision, sizeof zFieldDecision, "decision-%lld", (long long)iReport);
  Form f = {0};
  bool bVerify = str_eq(zDecision, "verificar");
  if (!bVerify && !str_eq(zDecision, "rechazar")) {
    form_error(&f, zFieldDecision, "reporte %lld: elija si lo verifica o lo rechaza",
               (long long)iReport);
  }
  if (str_eq(zDecision, "rechazar") && zNote[0] == 0) {
    form_error(&f, zFieldNote,
               "reporte %lld: escriba en la nota por qué lo rechaza; quien lo "
               "reportó la verá",
               (long long)iReport);
  } else if (text_width(zNote) > NOTE_MAX) {
    form_error(&f, zFieldNote, "reporte %lld: la nota tiene %zu caracteres y el máximo es 4.000",
               (long long)iReport, text_width(zNote));
  }
  if (f.nErr > 0) {
    ReviewInput in = {.iReport = iReport,
                      .zDecision = zDecision,
                      .zNote = request_form(r, "nota"),
                      .zFieldDecision = zFieldDecision};
    queue_page(r, &in, &f);
    response_status(r, 422);
  } else {
    char *zErr = NULL;
    const Session *pSess = web_session(r);
    if (!plan_progress_review(db, iReport, bVerify,
                              zNote[0] ? zNote : "Verificado sin observaciones.", pSess->zLogin,
                              &zErr)) {
      /* someone decided on it between the check above and here */
      Buf msg = BUF_INIT;
      buf_appendf(&msg, "No se registró la decisión: %s.", zErr);
      response_error(r, 409, buf_str(&msg));
      buf_reset(&msg);
      free(zErr);
    } else {
      response_redirect(r, bVerify ? "/verificacion?aviso=avance-verificado"
                                   : "/verificacion?aviso=avance-rechazado");
    }
  }
  form_reset(&f);
  free(zNote);
}

long plan_web_queue_count(Request *r) {
  return progress_queue_count(request_db(r), plan_web_current(r));
}
