/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Planeación's pages: editing one activity of the plan (every field of the
** matrix, the numeric target, the weight and the target of each period),
** and loading a plan file from the browser.
**
** Editing validates like the importer (the same date forms, end not before
** start, a positive target, es-CO numbers with a decimal comma) and shows
** each error beside its field with status 422, storing nothing; a valid form
** is stored in one transaction by plan_activity_update, which logs every
** changed field with its old and new value.
**
** Loading a plan is two steps. The upload keeps the file under
** <data-dir>/cargas/<sha256>.<ext> and runs the checks of `participa check`
** plus the period check of `participa import`, showing the diagnostics and
** what an import would change; it stores nothing in the database. The
** confirmation names the kept file by its hash, reads it again and imports
** it as `participa import` does (with "forzar" as --force).
**
** What it does not do: decide who may edit (the route table requires
** capability 'p'), parse multipart bodies (multipart.c), or read plan files
** itself (the plan readers do; this file only picks the reader by the file
** name, as plan_read_file does, so diagnostics name the file as uploaded).
*/
#include "plan/plan_web.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/date.h"
#include "base/hash.h"
#include "base/text.h"
#include "io/csv.h"
#include "io/file.h"
#include "io/filestore.h"
#include "io/xlsx.h"
#include "office/office.h"
#include "plan/plan.h"
#include "plan/plan_db.h"
#include "web/multipart.h"
#include "app/page.h"

/* ---- shared helpers ---------------------------------------------------------------- */

/* Append v as a form shows it: plain digits with a decimal comma ("2,5"). */
static void put_form_number(Buf *pOut, double v) {
  char z[64];
  snprintf(z, sizeof z, "%.12g", v);
  for (char *c = z; *c; c++) {
    if (*c == '.') {
      *c = ',';
    }
  }
  buf_puts(pOut, z);
}

/* A trimmed copy of form field zName with CRLF made LF ("" when absent).
** Caller frees. */
static char *form_text_dup(const Request *r, const char *zName) {
  const char *z = request_form(r, zName);
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

/* ---- editing an activity ----------------------------------------------------------- */

/* The form fields of the activity editor, by PlanField (NULL = not edited). */
static const char *const azEditName[PF_COUNT] = {
    [PF_COMPONENT] = "componente",
    [PF_PHASE] = "fase",
    [PF_ACTIVITY] = "actividad",
    [PF_PRODUCT] = "producto",
    [PF_INDICATOR] = "indicador",
    [PF_GOAL] = "meta",
    [PF_START] = "inicio",
    [PF_END] = "fin",
    [PF_RESPONSIBLE] = "responsable",
    [PF_INDICATOR_GOAL] = "meta_indicador",
};

/* The values the editor shows: as stored (GET) or as typed (a rejected POST). */
typedef struct EditText {
  char *azField[PF_COUNT];              /* by PlanField (owned; NULL = not edited) */
  char *zTarget;                        /* numeric target (owned) */
  char *zWeight;                        /* weight (owned) */
  char *azPeriod[PLAN_MAX_PERIODS];     /* target per period (owned) */
  char *azPeriodName[PLAN_MAX_PERIODS]; /* form field of each, which form errors name (owned) */
  bool bClearReview;                    /* "remove the a revisar mark" is checked */
} EditText;

static void edit_text_reset(EditText *t) {
  for (int f = 0; f < PF_COUNT; f++) {
    free(t->azField[f]);
  }
  free(t->zTarget);
  free(t->zWeight);
  for (int k = 0; k < PLAN_MAX_PERIODS; k++) {
    free(t->azPeriod[k]);
    free(t->azPeriodName[k]);
  }
  memset(t, 0, sizeof *t);
}

/* An ISO date as the plan writes it ("1-febrero-2021"); other text as is. */
static char *plan_date_dup(const char *zIso) {
  Day d;
  Buf b = BUF_INIT;
  if (zIso[0] && date_parse(zIso, &d, &b)) {
    buf_clear(&b);
    date_format_plan(d, &b);
    return buf_take(&b);
  }
  buf_reset(&b);
  return xstrdup(zIso);
}

/* The editor's text for activity e as stored. */
static void edit_text_from_stored(const ActivityEdit *e, EditText *t) {
  memset(t, 0, sizeof *t);
  for (int f = 0; f < PF_COUNT; f++) {
    if (azEditName[f] == NULL) {
      continue;
    }
    if (f == PF_START || f == PF_END) {
      t->azField[f] = plan_date_dup(e->azField[f]);
    } else {
      t->azField[f] = xstrdup(e->azField[f]);
    }
  }
  Buf b = BUF_INIT;
  put_form_number(&b, e->rTarget);
  t->zTarget = buf_take(&b);
  put_form_number(&b, e->rWeight);
  t->zWeight = buf_take(&b);
  for (int k = 0; k < e->nPeriod; k++) {
    if (e->abPeriod[k]) {
      put_form_number(&b, e->aPeriod[k]);
      t->azPeriod[k] = buf_take(&b);
    } else {
      t->azPeriod[k] = xstrdup("");
    }
  }
  buf_reset(&b);
}

/* The name of the form field of period aPeriod's target ("meta_T1"). Caller frees. */
static char *period_field_dup(const Period *pPeriod) {
  return xasprintf("meta_%s", pPeriod->zCode);
}

/* The year of the plan (from its first period), 0 when unknown. */
static int plan_year_of(const Period *aPeriod, int nPeriod) {
  if (nPeriod == 0) {
    return 0;
  }
  int y, m, d;
  date_to_ymd(aPeriod[0].start, &y, &m, &d);
  return y;
}

/* Read date field eField (text zText) into *pDay as the importer does; on a
** problem record the error for the field and return false. */
static bool read_date(Form *f, PlanField eField, const char *zText, int iYear, Day *pDay) {
  const char *zWhat = eField == PF_START ? "fecha de inicio" : "fecha final";
  const char *zName = azEditName[eField];
  int iExample = iYear ? iYear : 2021;
  if (zText[0] == 0) {
    form_error(f, zName, "falta la %s; escríbala como 01-febrero-%d", zWhat, iExample);
    return false;
  }
  /* as in a text file, a bare number is a typing error, not an Excel serial */
  if (strspn(zText, "0123456789.,") == strlen(zText)) {
    form_error(f, zName,
               "%s ilegible: «%s» es un número, no una fecha; escríbala como "
               "01-febrero-%d",
               zWhat, zText, iExample);
    return false;
  }
  Buf err = BUF_INIT;
  bool bOk = date_parse(zText, pDay, &err);
  if (!bOk) {
    form_error(f, zName, "%s ilegible: %s", zWhat, buf_str(&err));
  } else if (iYear) {
    int y, m, d;
    date_to_ymd(*pDay, &y, &m, &d);
    /* a neighbouring year happens (a December start, a January close) */
    if (y < iYear - 1 || y > iYear + 1) {
      buf_clear(&err);
      date_format_plan(*pDay, &err);
      form_error(f, zName, "la %s (%s) está fuera del año del plan (%d); corrija el año", zWhat,
                 buf_str(&err), iYear);
      bOk = false;
    }
  }
  buf_reset(&err);
  return bOk;
}

/* Read a number field: true with *pValue, or an error for zName. bPositive
** asks for > 0, else >= 0. */
static bool read_number(Form *f, const char *zName, const char *zWhat, const char *zText,
                        bool bPositive, double *pValue) {
  double v;
  if (!plan_parse_number(zText, &v)) {
    if (zText[0] == 0) {
      form_error(f, zName, "falta %s; escriba un número", zWhat);
    } else {
      form_error(f, zName,
                 "%s ilegible «%s»; escriba un número, con coma para los decimales "
                 "(2,5)",
                 zWhat, zText);
    }
    return false;
  }
  if (bPositive ? !(v > 0) : !(v >= 0)) {
    form_error(f, zName, "%s debe ser un número %s", zWhat,
               bPositive ? "mayor que cero" : "mayor o igual a cero");
    return false;
  }
  *pValue = v;
  return true;
}

/* Read the submitted editor into *pText (as typed) and *pEdit (as it would be
** stored); errors go to f. */
static void edit_read(const Request *r, const Period *aPeriod, int nPeriod, EditText *pText,
                      ActivityEdit *pEdit, Form *f) {
  memset(pText, 0, sizeof *pText);
  memset(pEdit, 0, sizeof *pEdit);
  int iYear = plan_year_of(aPeriod, nPeriod);
  for (int k = 0; k < PF_COUNT; k++) {
    if (azEditName[k]) {
      pText->azField[k] = form_text_dup(r, azEditName[k]);
    }
  }
  pText->zTarget = form_text_dup(r, "meta_numerica");
  pText->zWeight = form_text_dup(r, "peso");
  pText->bClearReview = request_form(r, "revisada") != NULL;
  pEdit->bClearReview = pText->bClearReview;
  for (int k = 0; k < PF_COUNT; k++) {
    if (azEditName[k] && k != PF_START && k != PF_END && k != PF_PHASE) {
      pEdit->azField[k] = xstrdup(pText->azField[k]);
    }
  }
  char cPhase = plan_parse_phase(pText->azField[PF_PHASE]);
  if (pText->azField[PF_PHASE][0] == 0) {
    form_error(f, "fase", "elija la fase del ciclo PHVA");
  } else if (cPhase == 0) {
    form_error(f, "fase",
               "fase PHVA desconocida «%s»; use P (Planear), H (Hacer), V "
               "(Verificar) o A (Actuar)",
               pText->azField[PF_PHASE]);
  }
  char zPhase[2] = {cPhase, 0};
  pEdit->azField[PF_PHASE] = xstrdup(zPhase);
  if (pText->azField[PF_ACTIVITY][0] == 0) {
    form_error(f, "actividad", "falta el texto de la actividad; describa qué se va a hacer");
  }
  Day start = 0, end = 0;
  bool bStart = read_date(f, PF_START, pText->azField[PF_START], iYear, &start);
  bool bEnd = read_date(f, PF_END, pText->azField[PF_END], iYear, &end);
  Buf b = BUF_INIT;
  if (bStart) {
    date_format_iso(start, &b);
  }
  pEdit->azField[PF_START] = buf_take(&b);
  if (bEnd) {
    date_format_iso(end, &b);
  }
  pEdit->azField[PF_END] = buf_take(&b);
  if (bStart && bEnd && end < start) {
    Buf b1 = BUF_INIT, b2 = BUF_INIT;
    date_format_plan(end, &b1);
    date_format_plan(start, &b2);
    form_error(f, "fin",
               "la fecha final (%s) es anterior a la fecha de inicio (%s); corrija "
               "una de las dos",
               buf_str(&b1), buf_str(&b2));
    buf_reset(&b1);
    buf_reset(&b2);
  }
  char **azOffice;
  int nOffice = office_split(pText->azField[PF_RESPONSIBLE], &azOffice);
  office_names_free(nOffice, azOffice);
  if (nOffice == 0) {
    form_error(f, "responsable", "no hay dependencia responsable; escriba al menos una");
  }
  read_number(f, "meta_numerica", "la meta numérica", pText->zTarget, true, &pEdit->rTarget);
  read_number(f, "peso", "el peso", pText->zWeight, false, &pEdit->rWeight);
  pEdit->nPeriod = nPeriod < PLAN_MAX_PERIODS ? nPeriod : PLAN_MAX_PERIODS;
  for (int k = 0; k < pEdit->nPeriod; k++) {
    /* the name outlives f, which keeps a pointer to it */
    char *zName = pText->azPeriodName[k] = period_field_dup(&aPeriod[k]);
    pText->azPeriod[k] = form_text_dup(r, zName);
    if (pText->azPeriod[k][0]) {
      char *zWhat = xasprintf("la meta de %s", aPeriod[k].zCode);
      pEdit->abPeriod[k] =
          read_number(f, zName, zWhat, pText->azPeriod[k], false, &pEdit->aPeriod[k]);
      free(zWhat);
    }
  }
}

/* Write the editor of activity iItem with the values of t and the errors of f. */
static void edit_page(Request *r, long iItem, const Period *aPeriod, int nPeriod, const EditText *t,
                      const char *zReview, const Form *f) {
  Page pg;
  char zTitle[64];
  snprintf(zTitle, sizeof zTitle, "Editar la actividad %ld", iItem);
  page_begin(&pg, r, zTitle, NAV_PLAN);
  HtmlW *w = &pg.w;
  html_elem_text(w, HTML_H1, zTitle);
  page_form_errors(&pg, f);
  Buf url = BUF_INIT;
  buf_appendf(&url, "/actividad/%ld", iItem);
  html_open(w, HTML_P);
  html_open(w, HTML_A, HA_HREF, buf_str(&url));
  html_textf(w, "Ver la actividad %ld publicada", iItem);
  html_close(w, HTML_A);
  html_close(w, HTML_P);
  buf_clear(&url);
  buf_appendf(&url, "/plan/actividad/%ld", iItem);
  page_form_begin(&pg, buf_str(&url), false);

  html_open(w, HTML_FIELDSET);
  html_elem_text(w, HTML_LEGEND, "Qué se va a hacer");
  Field fComp = {.zName = "componente",
                 .zLabel = "Componente (criterio diferencial)",
                 .zValue = t->azField[PF_COMPONENT],
                 .zHint = "El objetivo que agrupa actividades; vacío si no tiene."};
  page_textarea(&pg, f, &fComp, 2);
  static const char *const azPhase[] = {"", "P", "H", "V", "A"};
  static const char *const azPhaseLabel[] = {"Elija una fase", "P: Planear", "H: Hacer",
                                             "V: Verificar", "A: Actuar"};
  char cPhase = plan_parse_phase(t->azField[PF_PHASE]);
  char zPhase[2] = {cPhase, 0};
  Field fPhase = {
      .zName = "fase", .zLabel = "Ciclo de proceso (PHVA)", .zValue = zPhase, .bRequired = true};
  page_select(&pg, f, &fPhase, 5, azPhase, azPhaseLabel);
  Field fAct = {.zName = "actividad",
                .zLabel = "Actividad",
                .zValue = t->azField[PF_ACTIVITY],
                .bRequired = true};
  page_textarea(&pg, f, &fAct, 4);
  Field fProd = {.zName = "producto", .zLabel = "Producto", .zValue = t->azField[PF_PRODUCT]};
  page_textarea(&pg, f, &fProd, 3);
  Field fInd = {.zName = "indicador",
                .zLabel = "Descripción del indicador",
                .zValue = t->azField[PF_INDICATOR]};
  page_textarea(&pg, f, &fInd, 3);
  Field fGoal = {
      .zName = "meta", .zLabel = "Descripción de la meta", .zValue = t->azField[PF_GOAL]};
  page_textarea(&pg, f, &fGoal, 3);
  html_close(w, HTML_FIELDSET);

  html_open(w, HTML_FIELDSET);
  html_elem_text(w, HTML_LEGEND, "Fechas y responsables");
  const char *zDateHint = "Por ejemplo 01-febrero-2021, 1 de febrero de 2021, 01/02/2021 o "
                          "2021-02-01.";
  Field fStart = {.zName = "inicio",
                  .zLabel = "Fecha de inicio",
                  .zValue = t->azField[PF_START],
                  .zHint = zDateHint,
                  .bRequired = true};
  page_field(&pg, f, &fStart);
  Field fEnd = {.zName = "fin",
                .zLabel = "Fecha final",
                .zValue = t->azField[PF_END],
                .zHint = zDateHint,
                .bRequired = true};
  page_field(&pg, f, &fEnd);
  Field fResp = {.zName = "responsable",
                 .zLabel = "Dependencias responsables",
                 .zValue = t->azField[PF_RESPONSIBLE],
                 .bRequired = true,
                 .zHint = "Separe varias dependencias con « - » o con «/», como en la matriz."};
  page_textarea(&pg, f, &fResp, 2);
  html_close(w, HTML_FIELDSET);

  html_open(w, HTML_FIELDSET);
  html_elem_text(w, HTML_LEGEND, "Metas");
  Field fIGoal = {.zName = "meta_indicador",
                  .zLabel = "Meta del indicador (texto de la matriz)",
                  .zValue = t->azField[PF_INDICATOR_GOAL]};
  page_textarea(&pg, f, &fIGoal, 3);
  Field fTarget = {.zName = "meta_numerica",
                   .zLabel = "Meta numérica",
                   .zValue = t->zTarget,
                   .bRequired = true,
                   .zInputMode = "decimal",
                   .zHint = "El número con el que se mide el avance, mayor que cero; use coma "
                            "para los decimales (2,5)."};
  page_field(&pg, f, &fTarget);
  Field fWeight = {.zName = "peso",
                   .zLabel = "Peso en los consolidados",
                   .zValue = t->zWeight,
                   .bRequired = true,
                   .zInputMode = "decimal",
                   .zHint = "1 cuenta como las demás; 0 la deja fuera de los promedios."};
  page_field(&pg, f, &fWeight);
  for (int k = 0; k < nPeriod && k < PLAN_MAX_PERIODS; k++) {
    char *zName = period_field_dup(&aPeriod[k]);
    char *zLabel = xasprintf("Meta de %s (%s)", aPeriod[k].zName, aPeriod[k].zCode);
    Field fPeriod = {.zName = zName,
                     .zLabel = zLabel,
                     .zValue = t->azPeriod[k],
                     .zInputMode = "decimal",
                     .zHint = k == 0 ? "Lo que se espera lograr en el periodo (no acumulado); "
                                       "vacío si no tiene meta propia."
                                     : NULL};
    page_field(&pg, f, &fPeriod);
    free(zName);
    free(zLabel);
  }
  html_close(w, HTML_FIELDSET);

  if (zReview) {
    html_open(w, HTML_FIELDSET);
    html_elem_text(w, HTML_LEGEND, "Actividad a revisar");
    html_open(w, HTML_P);
    html_text(w, "Al importarla quedó marcada: ");
    html_elem_text(w, HTML_STRONG, zReview);
    html_close(w, HTML_P);
    page_checkbox(&pg, f, "revisada", "Ya está corregida: quitar la marca «a revisar»",
                  t->bClearReview);
    html_close(w, HTML_FIELDSET);
  }
  page_submit(&pg, "Guardar cambios");
  page_form_end(&pg);
  buf_reset(&url);
  page_end(&pg);
}

void page_edit_activity(Request *r) {
  int64_t iPlan = plan_web_current(r);
  long iItem = (long)request_param_int(r, "item");
  ActivityEdit e;
  if (iPlan == 0 || iItem == 0 || !plan_activity_load(request_db(r), iPlan, iItem, &e)) {
    response_error(r, 404, "El plan no tiene esa actividad.");
    return;
  }
  Period *aPeriod;
  int nPeriod = plan_periods(request_db(r), iPlan, &aPeriod);
  EditText t;
  edit_text_from_stored(&e, &t);
  edit_page(r, iItem, aPeriod, nPeriod, &t, e.zReview, NULL);
  edit_text_reset(&t);
  plan_activity_edit_reset(&e);
  plan_periods_free(nPeriod, aPeriod);
}

void post_edit_activity(Request *r) {
  Db *db = request_db(r);
  int64_t iPlan = plan_web_current(r);
  long iItem = (long)request_param_int(r, "item");
  ActivityEdit old;
  if (iPlan == 0 || iItem == 0 || !plan_activity_load(db, iPlan, iItem, &old)) {
    response_error(r, 404, "El plan no tiene esa actividad.");
    return;
  }
  Period *aPeriod;
  int nPeriod = plan_periods(db, iPlan, &aPeriod);
  EditText t;
  ActivityEdit e;
  Form f = {0};
  edit_read(r, aPeriod, nPeriod, &t, &e, &f);
  if (f.nErr == 0) {
    char *zErr = NULL;
    if (plan_activity_update(db, iPlan, iItem, &e, web_actor(r), &zErr) < 0) {
      form_error(&f, "", "%s", zErr);
      free(zErr);
    }
  }
  if (f.nErr > 0) {
    edit_page(r, iItem, aPeriod, nPeriod, &t, old.zReview, &f);
    response_status(r, 422);
  } else {
    Buf to = BUF_INIT;
    buf_appendf(&to, "/actividad/%ld?aviso=actividad-guardada", iItem);
    response_redirect(r, buf_str(&to));
    buf_reset(&to);
  }
  form_reset(&f);
  edit_text_reset(&t);
  plan_activity_edit_reset(&e);
  plan_activity_edit_reset(&old);
  plan_periods_free(nPeriod, aPeriod);
}

/* ---- loading a plan file ------------------------------------------------------------- */

/* Longest file name kept for messages (bytes). */
#define UPLOAD_NAME_MAX 200

/* The kind of a plan file by its name, which is also the extension it is kept
** under: "xlsx", "json", "csv", or "txt" for any other delimited text. */
static const char *upload_kind(const char *zName) {
  const char *zDot = strrchr(zName, '.');
  if (zDot && (strcasecmp(zDot, ".xlsx") == 0 || strcasecmp(zDot, ".xlsm") == 0)) {
    return "xlsx";
  }
  if (zDot && strcasecmp(zDot, ".json") == 0) {
    return "json";
  }
  if (zDot && strcasecmp(zDot, ".csv") == 0) {
    return "csv";
  }
  return "txt";
}

/* True when z is one of the kinds upload_kind gives. */
static bool kind_ok(const char *z) {
  return z && (strcmp(z, "xlsx") == 0 || strcmp(z, "json") == 0 || strcmp(z, "csv") == 0 ||
               strcmp(z, "txt") == 0);
}

/* True when z is 64 lower-case hex digits (a SHA-256 as we name kept files). */
static bool hash_ok(const char *z) {
  return z && strlen(z) == 64 && strspn(z, "0123456789abcdef") == 64;
}

/* True when z can be shown as the name of an uploaded file. */
static bool name_ok(const char *z) {
  return z && z[0] && strlen(z) <= UPLOAD_NAME_MAX && strchr(z, '/') == NULL &&
         text_is_utf8(z, strlen(z));
}

/* The path of a kept upload: <data-dir>/cargas/<hash>.<kind>. Caller frees. */
static char *upload_path_dup(const Request *r, const char *zHash, const char *zKind) {
  return xasprintf("%s/cargas/%s.%s", web_app(r)->zDataDir, zHash, zKind);
}

/* Remove the kept uploads of zDir older than a day (names "<hash>.<kind>";
** temporary files are left to their writers). Failures are ignored: the
** next upload tries again. */
static void remove_stale_uploads(const char *zDir) {
  DIR *d = opendir(zDir);
  if (d == NULL) {
    return;
  }
  time_t tLimit = time(NULL) - 24 * 3600;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.' || strlen(e->d_name) < 66) {
      continue;
    }
    char *zPath = xasprintf("%s/%s", zDir, e->d_name);
    struct stat st;
    if (stat(zPath, &st) == 0 && S_ISREG(st.st_mode) && st.st_mtime < tLimit) {
      unlink(zPath);
    }
    free(zPath);
  }
  closedir(d);
}

/* Keep the n bytes at p under <data-dir>/cargas/<sha256>.<kind>, writing
** a temporary file and renaming it, so a kept file is always whole. Fills
** zHash. Kept files older than a day are removed first: an upload waits
** for its confirmation minutes, not days. False with *pzErr (Spanish,
** caller frees) when it cannot be written. */
static bool keep_upload(const Request *r, const char *p, size_t n, const char *zKind,
                        char zHash[65], char **pzErr) {
  if (sodium_init() < 0) {
    *pzErr = xasprintf("no se pudo iniciar libsodium");
    return false;
  }
  hash_sha256_hex(p, n, zHash);
  char *zDir = xasprintf("%s/cargas", web_app(r)->zDataDir);
  remove_stale_uploads(zDir);
  char *zTmp = filestore_write_temp(zDir, p, n, pzErr);
  free(zDir);
  if (zTmp == NULL) {
    return false;
  }
  char *zDst = upload_path_dup(r, zHash, zKind);
  bool bOk = rename(zTmp, zDst) == 0;
  if (!bOk) {
    *pzErr = xasprintf("no se pudo guardar el archivo cargado: %s", os_error(errno));
    unlink(zTmp);
  }
  free(zTmp);
  free(zDst);
  return bOk;
}

/* Read a whole kept upload; NULL when it is not there (or unreadable).
** Caller frees. */
static char *slurp_upload(const char *zPath, size_t *pn) {
  Buf b = BUF_INIT;
  if (file_read_all(zPath, &b) != 0) {
    return NULL;
  }
  *pn = b.n;
  return buf_take(&b);
}

/* What checking an uploaded plan found. */
typedef struct PlanCheck {
  PlanDraft d;     /* the draft (valid when bRead) */
  bool bRead;      /* the file could be read as a table or JSON */
  Diags unread;    /* the one diagnostic when it could not */
  bool bPeriodsOk; /* plan_check_periods passed */
  bool bMetaError; /* no entity, no year or no activities: never importable */
} PlanCheck;

/* Read the n bytes at p as a plan file named zName of kind zKind (XLSX
** sheet zSheet, NULL = first) and check it as `participa check` and the
** period check of `participa import` do. Free with plan_check_reset. */
static void plan_check(Db *db, const char *zName, const char *zKind, const char *zSheet,
                       const char *p, size_t n, PlanCheck *pc) {
  memset(pc, 0, sizeof *pc);
  diags_init(&pc->unread);
  PlanReadOpts o;
  memset(&o, 0, sizeof o);
  o.zSheet = zSheet;
  char *zErr = NULL;
  if (strcmp(zKind, "json") == 0) {
    plan_read_json(zName, p, n, &o, &pc->d);
    pc->bRead = true;
  } else {
    Table t;
    TableRc rc = strcmp(zKind, "xlsx") == 0 ? xlsx_read_mem(zName, p, n, zSheet, &t, &zErr)
                                            : csv_read_mem(zName, p, n, 0, &t, &zErr);
    if (rc == TABLE_OK) {
      const char *zFormat = strcmp(zKind, "xlsx") == 0 ? "xlsx" : t.cSep == '\t' ? "tsv" : "csv";
      plan_read_table(&t, zFormat, &o, &pc->d);
      plan_draft_adopt_table(&pc->d, &t);
      pc->bRead = true;
    } else {
      table_reset(&t);
      diags_add(&pc->unread, DIAG_ERROR, -1, -1, zName, "%s", zErr ? zErr : "no se puede leer");
      free(zErr);
    }
  }
  if (!pc->bRead || pc->d.bUnreadable) {
    return;
  }
  pc->bMetaError = pc->d.meta.zEntity[0] == 0 || pc->d.meta.iYear == 0 || pc->d.nAct == 0;
  if (pc->bMetaError) {
    return;
  }
  pc->bPeriodsOk = plan_check_periods(db, &pc->d, &zErr);
  if (!pc->bPeriodsOk) {
    diags_add(&pc->d.diags, DIAG_ERROR, LONG_MAX, -1, pc->d.zSource, "%s", zErr);
    free(zErr);
  }
}

static void plan_check_reset(PlanCheck *pc) {
  if (pc->bRead) {
    plan_draft_reset(&pc->d);
  }
  diags_reset(&pc->unread);
}

/* True when the checked file can be imported (with bForce when it has errors). */
static bool check_importable(const PlanCheck *pc, bool bForce) {
  return pc->bRead && !pc->d.bUnreadable && !pc->bMetaError && pc->bPeriodsOk &&
         (pc->d.diags.nError == 0 || bForce);
}

/* The diagnostics table and the summary line of a check. */
static void write_diags(Page *pg, const PlanCheck *pc, const char *zName) {
  HtmlW *w = &pg->w;
  const Diags *pD = pc->bRead ? &pc->d.diags : &pc->unread;
  int nAct = pc->bRead ? pc->d.nAct : 0;
  html_open(w, HTML_P, HA_CLASS, "resumen");
  html_textf(w, "%s: %d actividad%s, %d error%s, %d advertencia%s", zName, nAct,
             nAct == 1 ? "" : "es", pD->nError, pD->nError == 1 ? "" : "es", pD->nWarning,
             pD->nWarning == 1 ? "" : "s");
  html_close(w, HTML_P);
  if (pD->n == 0) {
    html_elem_text(w, HTML_P, "El archivo no tiene errores ni advertencias.");
    return;
  }
  static const char *const azHead[] = {"Lugar", "Tipo", "Mensaje"};
  page_table_begin(w, "diagnosticos", "Errores y advertencias, en el orden del archivo", 3, azHead,
                   NULL);
  for (int i = 0; i < pD->n; i++) {
    const Diag *pDiag = &pD->a[i];
    bool bError = pDiag->eLevel == DIAG_ERROR;
    html_open(w, HTML_TR, HA_CLASS, bError ? "diag-error" : "diag-advertencia");
    html_elem_text(w, HTML_TD, pDiag->zLoc);
    html_elem_text(w, HTML_TD, bError ? "Error" : "Advertencia");
    html_elem_text(w, HTML_TD, pDiag->zMsg);
    html_close(w, HTML_TR);
  }
  page_table_end(w);
}

/* Append "N palabra(s)" with the Spanish plural of the given pair. */
static void put_count(Buf *p, int n, const char *zOne, const char *zMany) {
  buf_appendf(p, "%d %s", n, n == 1 ? zOne : zMany);
}

/* The summary of an import result (done or foreseen) as one sentence. */
static void import_summary(Buf *p, const PlanDraft *d, const ImportResult *pRes, bool bDone) {
  buf_appendf(p, "Plan %d de %s: ", d->meta.iYear, d->meta.zEntity);
  if (bDone) {
    buf_puts(p, pRes->bNewPlan ? "creado" : "actualizado");
  } else {
    buf_puts(p, pRes->bNewPlan ? "se crearía" : "se actualizaría");
  }
  buf_puts(p, ". Actividades: ");
  put_count(p, pRes->nAdded, "nueva", "nuevas");
  buf_puts(p, ", ");
  put_count(p, pRes->nChanged, "modificada", "modificadas");
  buf_appendf(p, ", %d sin cambios, ", pRes->nSame);
  put_count(p, pRes->nRemoved, "eliminada", "eliminadas");
  buf_puts(p, ", ");
  put_count(p, pRes->nKept, "conservada", "conservadas");
  if (bDone || pRes->nReview == 0) {
    buf_appendf(p, " (ausentes del archivo); %d a revisar; ", pRes->nReview);
  } else {
    buf_appendf(p, " (ausentes del archivo); %d a revisar si lo importa de todos modos; ",
                pRes->nReview);
  }
  put_count(p, pRes->nOfficeNew, "dependencia nueva", "dependencias nuevas");
  buf_puts(p, ".");
}

/* The change lines of an import result as a list (nothing when none). */
static void write_changes(HtmlW *w, const ImportResult *pRes) {
  const char *z = buf_str(&pRes->changes);
  if (z[0] == 0) {
    return;
  }
  html_open(w, HTML_UL, HA_CLASS, "cambios");
  while (*z) {
    const char *zEnd = strchr(z, '\n');
    size_t n = zEnd ? (size_t)(zEnd - z) : strlen(z);
    char *zLine = xstrndup(z, n);
    char *zTrim = text_trim_dup(zLine);
    if (zTrim[0]) {
      html_elem_text(w, HTML_LI, zTrim);
    }
    free(zTrim);
    free(zLine);
    z += n + (zEnd ? 1 : 0);
  }
  html_close(w, HTML_UL);
}

/* The upload form. */
static void upload_form(Page *pg, const Form *f) {
  html_elem_text(&pg->w, HTML_H2, "Cargar un archivo");
  page_form_begin(pg, "/plan/cargar", true);
  Field fFile = {.zName = "archivo",
                 .zLabel = "Archivo del plan",
                 .zType = "file",
                 .bRequired = true,
                 .zAccept = ".txt,.tsv,.csv,.xlsx,.xlsm,.json",
                 .zHint = "La matriz exportada de la hoja de cálculo: texto separado por "
                          "tabuladores o punto y coma (.txt, .tsv, .csv), Excel (.xlsx) o el "
                          "JSON que exporta participa."};
  page_field(pg, f, &fFile);
  Field fSheet = {.zName = "hoja",
                  .zLabel = "Hoja de Excel (opcional)",
                  .zMaxLength = "100",
                  .zHint = "Solo para .xlsx: vacío lee la primera hoja."};
  page_field(pg, f, &fSheet);
  page_submit(pg, "Revisar el archivo");
  page_form_end(pg);
}

/* The upload page: an optional check result, then the upload form. */
static void upload_page(Request *r, const Form *f, const PlanCheck *pc, const char *zName,
                        const char *zHash, const char *zKind, const char *zSheet) {
  Page pg;
  page_begin(&pg, r, "Cargar el plan", NAV_PLAN);
  HtmlW *w = &pg.w;
  html_elem_text(w, HTML_H1, "Cargar el plan");
  page_form_errors(&pg, f);
  if (pc == NULL) {
    html_elem_text(w, HTML_P,
                   "Suba la matriz del plan de acción. Primero se revisa y se muestra "
                   "qué cambiaría; nada se guarda hasta que usted confirme.");
  } else {
    html_open(w, HTML_SECTION, HA_ARIA_LABELLEDBY, "revision");
    html_open(w, HTML_H2, HA_ID, "revision");
    html_textf(w, "Revisión de «%s»", zName);
    html_close(w, HTML_H2);
    if (pc->bRead && !pc->d.bUnreadable) {
      html_open(w, HTML_P);
      html_textf(w, "Entidad: %s. Año: ", pc->d.meta.zEntity[0] ? pc->d.meta.zEntity : "(falta)");
      if (pc->d.meta.iYear) {
        html_textf(w, "%d.", pc->d.meta.iYear);
      } else {
        html_text(w, "(falta).");
      }
      html_close(w, HTML_P);
    }
    write_diags(&pg, pc, zName);
    bool bErrors = pc->bRead && pc->d.diags.nError > 0;
    if (check_importable(pc, true)) {
      ImportResult res;
      plan_store_preview(request_db(r), &pc->d, bErrors, &res);
      html_elem_text(w, HTML_H3, "Qué cambiaría al importarlo");
      Buf b = BUF_INIT;
      import_summary(&b, &pc->d, &res, false);
      html_elem_text(w, HTML_P, buf_str(&b));
      buf_reset(&b);
      write_changes(w, &res);
      buf_reset(&res.changes);
      html_elem_text(w, HTML_H3, "Confirmar");
      page_form_begin(&pg, "/plan/confirmar", false);
      page_hidden(&pg, "archivo", zHash);
      page_hidden(&pg, "formato", zKind);
      page_hidden(&pg, "nombre", zName);
      page_hidden(&pg, "hoja", zSheet ? zSheet : "");
      if (bErrors) {
        html_elem_text(w, HTML_P,
                       "El archivo tiene errores. Lo mejor es corregirlo y cargarlo "
                       "de nuevo; si lo importa de todos modos, las actividades con "
                       "errores quedan marcadas «a revisar».");
        page_checkbox(&pg, f, "forzar",
                      "Importar de todos modos (las actividades con errores "
                      "quedan «a revisar»)",
                      false);
      }
      page_submit(&pg, "Importar el plan");
      page_form_end(&pg);
    } else {
      html_elem_text(w, HTML_P,
                     "Este archivo no se puede importar: corrija lo que se indica "
                     "arriba y cárguelo de nuevo.");
    }
    html_close(w, HTML_SECTION);
  }
  upload_form(&pg, f);
  page_end(&pg);
}

void page_upload_plan(Request *r) {
  upload_page(r, NULL, NULL, NULL, NULL, NULL, NULL);
}

void post_upload_plan(Request *r) {
  Multipart m;
  char *zErr = NULL;
  Form f = {0};
  if (!page_multipart(r, &m, &zErr)) {
    form_error(&f, "archivo", "%s", zErr);
    free(zErr);
    upload_page(r, &f, NULL, NULL, NULL, NULL, NULL);
    response_status(r, 422);
    form_reset(&f);
    return;
  }
  const MultipartPart *pFile = multipart_part(&m, "archivo");
  const char *zSheet = multipart_value(&m, "hoja");
  char *zSheetT = text_trim_dup(zSheet ? zSheet : "");
  if (pFile == NULL || pFile->zFileName == NULL || pFile->zFileName[0] == 0) {
    form_error(&f, "archivo", "elija el archivo del plan");
  } else if (pFile->nData == 0) {
    form_error(&f, "archivo", "el archivo «%s» está vacío", pFile->zFileName);
  } else if (!name_ok(pFile->zFileName)) {
    form_error(&f, "archivo",
               "el nombre del archivo es demasiado largo o no es texto "
               "válido; cámbielo y cárguelo de nuevo");
  }
  char zHash[65] = "";
  const char *zKind = NULL;
  if (f.nErr == 0) {
    zKind = upload_kind(pFile->zFileName);
    if (!keep_upload(r, pFile->pData, pFile->nData, zKind, zHash, &zErr)) {
      form_error(&f, "archivo", "%s", zErr);
      free(zErr);
    }
  }
  if (f.nErr) {
    upload_page(r, &f, NULL, NULL, NULL, NULL, NULL);
    response_status(r, 422);
  } else {
    PlanCheck pc;
    plan_check(request_db(r), pFile->zFileName, zKind, zSheetT[0] ? zSheetT : NULL, pFile->pData,
               pFile->nData, &pc);
    upload_page(r, NULL, &pc, pFile->zFileName, zHash, zKind, zSheetT);
    plan_check_reset(&pc);
  }
  free(zSheetT);
  form_reset(&f);
  multipart_reset(&m);
}

/* The page after an import. */
static void imported_page(Request *r, const PlanDraft *d, const ImportResult *pRes) {
  Page pg;
  page_begin(&pg, r, "Plan importado", NAV_PLAN);
  HtmlW *w = &pg.w;
  html_elem_text(w, HTML_H1, "Plan importado");
  page_notice(&pg, page_notice_text("plan-importado"));
  Buf b = BUF_INIT;
  buf_appendf(&b, "%s: ", d->zSource);
  import_summary(&b, d, pRes, true);
  html_elem_text(w, HTML_P, buf_str(&b));
  buf_reset(&b);
  if (pRes->changes.n) {
    html_elem_text(w, HTML_H2, "Cambios");
    write_changes(w, pRes);
  }
  html_open(w, HTML_UL, HA_CLASS, "enlaces");
  page_link_item(w, "/actividades", "Ver las actividades");
  page_link_item(w, "/plan/cargar", "Cargar otro archivo");
  html_close(w, HTML_UL);
  page_end(&pg);
}

void post_confirm_plan(Request *r) {
  const char *zHash = request_form(r, "archivo");
  const char *zKind = request_form(r, "formato");
  const char *zName = request_form(r, "nombre");
  const char *zSheet = request_form(r, "hoja");
  bool bForce = request_form(r, "forzar") != NULL;
  if (!hash_ok(zHash) || !kind_ok(zKind) || !name_ok(zName)) {
    response_error(r, 400,
                   "La confirmación no nombra una carga válida; cargue el archivo de "
                   "nuevo.");
    return;
  }
  char *zPath = upload_path_dup(r, zHash, zKind);
  size_t n = 0;
  char *pData = slurp_upload(zPath, &n);
  Form f = {0};
  if (pData == NULL) {
    free(zPath);
    form_error(&f, "archivo", "la carga de «%s» ya no está disponible; cargue el archivo de nuevo",
               zName);
    upload_page(r, &f, NULL, NULL, NULL, NULL, NULL);
    response_status(r, 422);
    form_reset(&f);
    return;
  }
  PlanCheck pc;
  plan_check(request_db(r), zName, zKind, zSheet && zSheet[0] ? zSheet : NULL, pData, n, &pc);
  if (check_importable(&pc, bForce)) {
    ImportResult res;
    plan_store(request_db(r), &pc.d, web_actor(r), bForce, &res);
    imported_page(r, &pc.d, &res);
    buf_reset(&res.changes);
    unlink(zPath); /* imported: the kept upload has done its job */
  } else {
    if (check_importable(&pc, true)) {
      form_error(&f, "forzar",
                 "el archivo tiene errores: corríjalo y cárguelo de nuevo, o marque "
                 "«Importar de todos modos»");
    } else {
      form_error(&f, "",
                 "el archivo no se puede importar: corrija lo que se indica y cárguelo "
                 "de nuevo");
    }
    upload_page(r, &f, &pc, zName, zHash, zKind, zSheet);
    response_status(r, 422);
  }
  plan_check_reset(&pc);
  form_reset(&f);
  free(pData);
  free(zPath);
}

int64_t plan_web_current(Request *r) {
  Db *db = request_db(r);
  return db ? plan_current(db, 0) : 0;
}
