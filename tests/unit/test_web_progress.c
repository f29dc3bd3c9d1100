/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Reporting and verifying progress through the web application
** (src/plan/progress_web.c) against a real server over the sample plan: a
** responsable reports with a PDF (row, evidence row and file stored by its
** SHA-256), is refused another office's activity (403), gets 422 with the
** message beside the field for bad input, 403 without the CSRF token and
** 413 for an upload over the limit, each time with nothing written; control
** interno verifies (the report then counts on the public overview) or
** rejects (a note is required; the responsable sees it); decisions on
** unknown or already reviewed reports; markup in a note or a file name comes
** back escaped.
*/
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/util.h"
#include "webtest.h"

/* A tiny valid PDF: one empty page, with a correct cross-reference table. */
static const char zPdf[] = "%PDF-1.4\n1 0 obj\n<</Type/Catalog/Pages 2 0 R>>\nendobj\n2 0 obj\n"
                           "<</Type/Pages/Kids[3 0 R]/Count 1>>\nendobj\n3 0 obj\n"
                           "<</Type/Page/Parent 2 0 R/MediaBox[0 0 72 72]>>\nendobj\nxref\n0 4\n"
                           "0000000000 65535 f \n0000000009 00000 n \n0000000054 00000 n \n"
                           "0000000105 00000 n \ntrailer\n<</Size 4/Root 1 0 R>>\nstartxref\n168\n"
                           "%%EOF\n";

/* Items of the sample plan: one of the responsable's offices (Secretaría de
** Participación) and one of another office only (Oficina de prensa y
** comunicaciones). */
#define OWN_ITEM   5
#define OTHER_ITEM 12

/* Rows that a report would write. */
#define N_PROGRESS "SELECT count(*) FROM progress"
#define N_EVIDENCE "SELECT count(*) FROM evidence"

/* A report sent as the browser sends the form. zFileName NULL sends the
** empty file input of a form where no file was chosen. */
typedef struct Sent {
  const char *zPeriod, *zValue, *zNote, *zLink; /* fields (NULL = not sent) */
  const char *zFileName, *zFileType;            /* the file part */
  const char *pFile;                            /* its bytes */
  size_t nFile;                                 /* their length */
} Sent;

/* POST the report s to /reportar/{iItem} as client c (with its CSRF token,
** if it has one). */
static WebResp send_report(WebFixture *f, const WebClient *c, long iItem, const Sent *s) {
  const char *azField[8];
  int n = 0;
  const char *azName[] = {"periodo", "valor", "nota", "enlace"};
  const char *azValue[] = {s->zPeriod, s->zValue, s->zNote, s->zLink};
  for (int i = 0; i < 4; i++) {
    if (azValue[i]) {
      azField[2 * n] = azName[i];
      azField[2 * n + 1] = azValue[i];
      n++;
    }
  }
  size_t nBody;
  char zType[128];
  char *zBody = webtest_multipart(c, n, azField, "evidencia", s->zFileName ? s->zFileName : "",
                                  s->zFileType ? s->zFileType : "application/octet-stream",
                                  s->pFile ? s->pFile : "", s->nFile, &nBody, zType);
  char zPath[64];
  snprintf(zPath, sizeof zPath, "/reportar/%ld", iItem);
  WebResp w = webtest_post_raw(f, (WebClient *)c, zPath, zType, zBody, nBody);
  free(zBody);
  return w;
}

/* A good report with the PDF as evidence. */
static Sent good_report(void) {
  Sent s = {.zPeriod = "T2",
            .zValue = "1,5",
            .zNote = "Se realizó la mesa de participación con 40 asistentes.",
            .zFileName = "acta mesa.pdf",
            .zFileType = "application/pdf",
            .pFile = zPdf,
            .nFile = sizeof zPdf - 1};
  return s;
}

/* The id of the newest progress report (0 when none). */
static long newest_report(WebFixture *f) {
  return webtest_count(f, "SELECT coalesce(max(id), 0) FROM progress");
}

/* Require the Location header of w to be zWant. */
static void assert_location(const WebResp *w, const char *zWant) {
  char *zLoc = webtest_header(w, "Location");
  cr_assert_not_null(zLoc, "no Location; status %d", w->iStatus);
  cr_assert_str_eq(zLoc, zWant);
  free(zLoc);
}

/* Require w to have status iStatus, showing the body otherwise. */
static void assert_status(const WebResp *w, int iStatus) {
  cr_assert_eq(w->iStatus, iStatus, "status %d, expected %d\n%s", w->iStatus, iStatus, w->zBody);
}

/* True when the file evidencias/xx/<sha256 of p> holds exactly the n bytes at p. */
static bool evidence_file_ok(WebFixture *f, const char *p, size_t n) {
  unsigned char aHash[crypto_hash_sha256_BYTES];
  char zHex[65];
  crypto_hash_sha256(aHash, (const unsigned char *)p, n);
  sodium_bin2hex(zHex, sizeof zHex, aHash, sizeof aHash);
  char *zPath = xasprintf("%s/evidencias/%.2s/%s", f->zDataDir, zHex, zHex);
  FILE *in = fopen(zPath, "rb");
  free(zPath);
  if (in == NULL) {
    return false;
  }
  char *pGot = xmalloc(n + 1);
  size_t nGot = fread(pGot, 1, n + 1, in);
  fclose(in);
  bool bOk = nGot == n && memcmp(pGot, p, n) == 0;
  free(pGot);
  return bOk;
}

/* Number of entries in the data directory's evidencias folder, at any depth
** (0 when it does not exist). */
static int evidence_files(WebFixture *f) {
  char *zCmd = xasprintf("find '%s/evidencias' -type f 2>/dev/null | wc -l", f->zDataDir);
  FILE *p = popen(zCmd, "r");
  int n = -1;
  cr_assert(p && fscanf(p, "%d", &n) == 1);
  pclose(p);
  free(zCmd);
  return n;
}

Test(web_progress, report_pdf, .description = "web-progress-1.1 a responsable reports with a PDF") {
  WebFixture f;
  webtest_start(&f, true);
  WebClient c = {0};
  webtest_login(&f, &c, "responsable");

  WebResp w = webtest_get(&f, &c, "/reportar");
  assert_status(&w, 200);
  cr_assert(webtest_has(&w, "href=\"/reportar/5\""), "item 5 listed");
  cr_assert_not(webtest_has(&w, "href=\"/reportar/12\""), "item 12 is not its office's");
  webtest_resp_free(&w);
  w = webtest_get(&f, &c, "/reportar/5");
  assert_status(&w, 200);
  cr_assert(webtest_has(&w, "enctype=\"multipart/form-data\""));
  cr_assert(webtest_has(&w, "<label for=\"f-valor\">"));
  cr_assert(webtest_has(&w, "<legend>Evidencia (opcional)</legend>"));
  cr_assert(webtest_has(&w, "<option value=\"T2\" selected>"), "the current period is chosen");
  webtest_resp_free(&w);

  Sent s = good_report();
  s.zLink = "https://www.cartagena.gov.co/acta";
  w = send_report(&f, &c, OWN_ITEM, &s);
  assert_status(&w, 303);
  assert_location(&w, "/reportar?aviso=avance-reportado");
  webtest_resp_free(&w);

  cr_assert_eq(webtest_count(&f, N_PROGRESS), 1);
  cr_assert_eq(webtest_count(&f, "SELECT count(*) FROM progress p JOIN activity a ON a.id = "
                                 "p.activity_id JOIN period pe ON pe.id = p.period_id WHERE "
                                 "a.item = 5 AND pe.code = 'T2' AND p.value = 1.5 AND p.author = "
                                 "'responsable' AND p.status = 'reportado' AND p.note LIKE "
                                 "'Se realizó la mesa%'"),
               1);
  char *zSql = xasprintf("SELECT count(*) FROM evidence WHERE kind = 'archivo' AND name = "
                         "'acta mesa.pdf' AND mime = 'application/pdf' AND size = %zu AND "
                         "length(sha256) = 64",
                         sizeof zPdf - 1);
  cr_assert_eq(webtest_count(&f, zSql), 1);
  free(zSql);
  cr_assert_eq(webtest_count(&f, "SELECT count(*) FROM evidence WHERE kind = 'enlace' AND name = "
                                 "'https://www.cartagena.gov.co/acta'"),
               1);
  cr_assert(evidence_file_ok(&f, zPdf, sizeof zPdf - 1), "the PDF is stored by its SHA-256");
  cr_assert_eq(webtest_count(&f, "SELECT count(*) FROM change_log WHERE action = 'reportar' AND "
                                 "actor = 'responsable'"),
               1);

  w = webtest_get(&f, &c, "/reportar?aviso=avance-reportado");
  assert_status(&w, 200);
  cr_assert(webtest_has(&w, "role=\"status\""));
  cr_assert(webtest_has(&w, "Pendiente de verificación"));
  cr_assert(webtest_has(&w, "acta mesa.pdf"));
  webtest_resp_free(&w);
  webtest_stop(&f);
}

Test(web_progress, no_file_decimal_forms,
     .description = "web-progress-1.2 no file chosen, es-CO numbers, CRLF in the note") {
  WebFixture f;
  webtest_start(&f, true);
  WebClient c = {0};
  webtest_login(&f, &c, "responsable");
  Sent s = {.zPeriod = "T1", .zValue = " 1.500 ", .zNote = "línea uno\r\nlínea dos"};
  WebResp w = send_report(&f, &c, OWN_ITEM, &s);
  assert_status(&w, 303);
  webtest_resp_free(&w);
  cr_assert_eq(webtest_count(&f, "SELECT count(*) FROM progress WHERE value = 1500 AND note = "
                                 "'línea uno' || char(10) || 'línea dos'"),
               1);
  cr_assert_eq(webtest_count(&f, N_EVIDENCE), 0, "an empty file input is no evidence");
  cr_assert_eq(evidence_files(&f), 0);
  webtest_stop(&f);
}

Test(web_progress, other_office, .description = "web-progress-2.1 another office's activity: 403") {
  WebFixture f;
  webtest_start(&f, true);
  WebClient c = {0};
  webtest_login(&f, &c, "responsable");
  WebResp w = webtest_get(&f, &c, "/reportar/12");
  assert_status(&w, 403);
  cr_assert(webtest_has(&w, "no está a cargo de su dependencia"), "%s", w.zBody);
  webtest_resp_free(&w);
  Sent s = good_report();
  w = send_report(&f, &c, OTHER_ITEM, &s);
  assert_status(&w, 403);
  cr_assert(webtest_has(&w, "Esta actividad no está a cargo de su dependencia: solo puede "
                            "reportar avances de las actividades de Secretaría de Participación."));
  webtest_resp_free(&w);
  cr_assert_eq(webtest_count(&f, N_PROGRESS), 0);
  cr_assert_eq(webtest_count(&f, N_EVIDENCE), 0);
  cr_assert_eq(evidence_files(&f), 0);
  /* unknown items are 404, for everybody */
  w = webtest_get(&f, &c, "/reportar/4");
  assert_status(&w, 404);
  webtest_resp_free(&w);
  w = webtest_get(&f, &c, "/reportar/abc");
  assert_status(&w, 404);
  webtest_resp_free(&w);
  webtest_stop(&f);
}

/* Send s and require 422 with zMessage beside field zField; nothing stored. */
static void assert_refused(WebFixture *f, WebClient *c, const Sent *s, const char *zField,
                           const char *zMessage) {
  WebResp w = send_report(f, c, OWN_ITEM, s);
  assert_status(&w, 422);
  char *zErrP = xasprintf("<p id=\"f-%s-error\" class=\"error\">%s</p>", zField, zMessage);
  cr_assert(webtest_has(&w, zErrP), "expected %s in\n%s", zErrP, w.zBody);
  free(zErrP);
  char *zLink = xasprintf("<a href=\"#f-%s\">%s</a>", zField, zMessage);
  cr_assert(webtest_has(&w, zLink), "summary links to the field: %s", zLink);
  free(zLink);
  cr_assert(webtest_has(&w, "aria-invalid=\"true\""));
  webtest_resp_free(&w);
  cr_assert_eq(webtest_count(f, N_PROGRESS), 0);
  cr_assert_eq(webtest_count(f, N_EVIDENCE), 0);
  cr_assert_eq(evidence_files(f), 0);
}

Test(web_progress, bad_input, .description = "web-progress-3.1 bad input: 422, message, nothing") {
  WebFixture f;
  webtest_start(&f, true);
  WebClient c = {0};
  webtest_login(&f, &c, "responsable");
  Sent s = good_report();
  s.zValue = "mucho";
  assert_refused(&f, &c, &s, "valor",
                 "«mucho» no es un número; escriba por ejemplo 2 o 0,5 (con coma para los "
                 "decimales)");
  s = good_report();
  s.zValue = "-2";
  assert_refused(&f, &c, &s, "valor",
                 "el valor no puede ser negativo; escriba 0 si no hubo avance");
  s = good_report();
  s.zValue = "";
  assert_refused(&f, &c, &s, "valor", "escriba el valor logrado: un número (0 si no hubo avance)");
  s = good_report();
  s.zNote = "  \r\n ";
  assert_refused(&f, &c, &s, "nota",
                 "escriba qué se hizo en el periodo: la nota no puede ir vacía");
  s = good_report();
  s.zPeriod = "T9";
  assert_refused(&f, &c, &s, "periodo", "elija el periodo en que se hizo lo que reporta");
  s = good_report();
  s.zLink = "javascript:alert(1)";
  assert_refused(&f, &c, &s, "enlace",
                 "el enlace debe ser una dirección completa que empiece por https:// o http://, "
                 "sin espacios (por ejemplo https://www.cartagena.gov.co/acta.pdf)");
  s = good_report();
  s.zFileName = "vacío.pdf";
  s.nFile = 0;
  assert_refused(&f, &c, &s, "evidencia",
                 "el archivo «vacío.pdf» está vacío; elija el archivo que tiene la evidencia");
  s = good_report();
  s.zFileName = "pagina.pdf";
  s.pFile = "<!DOCTYPE html><html><script>alert(1)</script></html>";
  s.nFile = strlen(s.pFile);
  assert_refused(&f, &c, &s, "evidencia",
                 "el archivo «pagina.pdf» es de un tipo que no se acepta como evidencia "
                 "(text/html); suba un PDF, una imagen, un documento de oficina o un texto");

  /* the re-rendered form keeps what was typed */
  s = good_report();
  s.zValue = "mucho";
  s.zNote = "nota que se conserva";
  WebResp w = send_report(&f, &c, OWN_ITEM, &s);
  assert_status(&w, 422);
  cr_assert(webtest_has(&w, "value=\"mucho\""));
  cr_assert(webtest_has(&w, "nota que se conserva</textarea>"));
  cr_assert(webtest_has(&w, "El navegador no conserva el archivo elegido: elíjalo de nuevo."));
  cr_assert(webtest_has(&w, "Hay 1 error en el formulario"));
  webtest_resp_free(&w);
  webtest_stop(&f);
}

Test(web_progress, no_csrf,
     .description = "web-progress-4.1 a report without the CSRF token: 403") {
  WebFixture f;
  webtest_start(&f, true);
  WebClient c = {0};
  webtest_login(&f, &c, "responsable");
  WebClient noToken = c;
  noToken.zCsrf[0] = 0;
  Sent s = good_report();
  WebResp w = send_report(&f, &noToken, OWN_ITEM, &s);
  assert_status(&w, 403);
  webtest_resp_free(&w);
  snprintf(noToken.zCsrf, sizeof noToken.zCsrf, "%s", "x-token-ajeno-de-otro-sitio-00000000000");
  w = send_report(&f, &noToken, OWN_ITEM, &s);
  assert_status(&w, 403);
  webtest_resp_free(&w);
  cr_assert_eq(webtest_count(&f, N_PROGRESS), 0);
  cr_assert_eq(webtest_count(&f, N_EVIDENCE), 0);
  cr_assert_eq(evidence_files(&f), 0);
  webtest_stop(&f);
}

Test(web_progress, oversize, .description = "web-progress-4.2 an upload over the limit: 413") {
  WebFixture f;
  webtest_start(&f, true);
  WebClient c = {0};
  webtest_login(&f, &c, "responsable");
  size_t nBig = f.app.nMaxUpload + 4096;
  char *pBig = xmalloc(nBig);
  memcpy(pBig, zPdf, sizeof zPdf - 1);
  memset(pBig + sizeof zPdf - 1, ' ', nBig - (sizeof zPdf - 1));
  Sent s = good_report();
  s.pFile = pBig;
  s.nFile = nBig;
  WebResp w = send_report(&f, &c, OWN_ITEM, &s);
  assert_status(&w, 413);
  webtest_resp_free(&w);
  free(pBig);
  cr_assert_eq(webtest_count(&f, N_PROGRESS), 0);
  cr_assert_eq(webtest_count(&f, N_EVIDENCE), 0);
  cr_assert_eq(evidence_files(&f), 0);
  webtest_stop(&f);
}

/* Report once as the responsable; returns the report id. */
static long report_one(WebFixture *f, const char *zNote) {
  WebClient c = {0};
  webtest_login(f, &c, "responsable");
  Sent s = good_report();
  s.zValue = "1"; /* item 5's whole target: the activity is then complete */
  if (zNote) {
    s.zNote = zNote;
  }
  WebResp w = send_report(f, &c, OWN_ITEM, &s);
  assert_status(&w, 303);
  webtest_resp_free(&w);
  return newest_report(f);
}

/* POST a review decision as client c. */
static WebResp review(WebFixture *f, WebClient *c, long iReport, const char *zBody) {
  char zPath[64];
  snprintf(zPath, sizeof zPath, "/verificacion/%ld", iReport);
  return webtest_post(f, c, zPath, zBody);
}

/* The overview's "Sin avance verificado" figure ("13 de 13") is matched as
** element text, whatever element holds it. */
Test(web_progress, verify, .description = "web-progress-5.1 control verifies: it counts in /") {
  WebFixture f;
  webtest_start(&f, true);
  WebResp w = webtest_get(&f, NULL, "/");
  assert_status(&w, 200);
  cr_assert(webtest_has(&w, ">13 de 13<"), "no activity has verified progress yet");
  webtest_resp_free(&w);

  long iReport = report_one(&f, NULL);
  w = webtest_get(&f, NULL, "/");
  cr_assert(webtest_has(&w, ">13 de 13<"), "a report waiting does not count");
  webtest_resp_free(&w);

  WebClient c = {0};
  webtest_login(&f, &c, "control");
  w = webtest_get(&f, &c, "/verificacion");
  assert_status(&w, 200);
  char *zH2 =
      xasprintf("<h2 id=\"reporte-%ld\">Reporte %ld: ítem 5, Trimestre 2</h2>", iReport, iReport);
  cr_assert(webtest_has(&w, zH2), "%s", zH2);
  free(zH2);
  cr_assert(webtest_has(&w, "acta mesa.pdf"));
  cr_assert(webtest_has(&w, "<legend>Decisión sobre el reporte"));
  cr_assert(webtest_has(&w, "type=\"radio\""));
  webtest_resp_free(&w);

  w = review(&f, &c, iReport, "decision=verificar&nota=");
  assert_status(&w, 303);
  assert_location(&w, "/verificacion?aviso=avance-verificado");
  webtest_resp_free(&w);
  cr_assert_eq(webtest_count(&f, "SELECT count(*) FROM progress WHERE status = 'verificado' AND "
                                 "reviewer = 'control'"),
               1);
  w = webtest_get(&f, &c, "/verificacion?aviso=avance-verificado");
  cr_assert(webtest_has(&w, "No hay reportes de avance pendientes de verificación."));
  webtest_resp_free(&w);

  w = webtest_get(&f, NULL, "/");
  assert_status(&w, 200);
  cr_assert(webtest_has(&w, ">12 de 13<"), "the verified report counts");
  webtest_resp_free(&w);

  /* deciding again: 409; unknown report: 404 */
  w = review(&f, &c, iReport, "decision=rechazar&nota=tarde");
  assert_status(&w, 409);
  cr_assert(webtest_has(&w, "ya fue verificado por control"));
  webtest_resp_free(&w);
  w = review(&f, &c, iReport + 100, "decision=verificar");
  assert_status(&w, 404);
  webtest_resp_free(&w);
  cr_assert_eq(webtest_count(&f, "SELECT count(*) FROM progress WHERE status = 'verificado'"), 1);
  webtest_stop(&f);
}

Test(web_progress, reject,
     .description = "web-progress-5.2 a rejection needs a note; it is shown") {
  WebFixture f;
  webtest_start(&f, true);
  long iReport = report_one(&f, NULL);
  WebClient c = {0};
  webtest_login(&f, &c, "control");
  WebResp w = review(&f, &c, iReport, "decision=rechazar&nota=+++");
  assert_status(&w, 422);
  char *zMsg = xasprintf("<p id=\"f-nota-%ld-error\" class=\"error\">reporte %ld: escriba en la "
                         "nota por qué lo rechaza; quien lo reportó la verá</p>",
                         iReport, iReport);
  cr_assert(webtest_has(&w, zMsg), "%s\n%s", zMsg, w.zBody);
  free(zMsg);
  char *zLink = xasprintf("href=\"#f-nota-%ld\"", iReport);
  cr_assert(webtest_has(&w, zLink));
  free(zLink);
  cr_assert(webtest_has(&w, "value=\"rechazar\" required checked"), "the choice is kept");
  webtest_resp_free(&w);
  w = review(&f, &c, iReport, "nota=sin+decidir");
  assert_status(&w, 422);
  cr_assert(webtest_has(&w, "elija si lo verifica o lo rechaza"));
  webtest_resp_free(&w);
  cr_assert_eq(webtest_count(&f, "SELECT count(*) FROM progress WHERE status = 'reportado'"), 1);

  w = review(&f, &c, iReport, "decision=rechazar&nota=Falta+la+lista+de+asistencia.");
  assert_status(&w, 303);
  assert_location(&w, "/verificacion?aviso=avance-rechazado");
  webtest_resp_free(&w);
  cr_assert_eq(webtest_count(&f, "SELECT count(*) FROM progress WHERE status = 'rechazado' AND "
                                 "review_note = 'Falta la lista de asistencia.'"),
               1);

  /* the responsable sees the rejection and its note */
  WebClient r = {0};
  webtest_login(&f, &r, "responsable");
  w = webtest_get(&f, &r, "/reportar");
  cr_assert(webtest_has(&w, "Rechazado"));
  cr_assert(webtest_has(&w, "Falta la lista de asistencia."));
  webtest_resp_free(&w);
  webtest_stop(&f);
}

Test(web_progress, public_history,
     .description = "web-progress-5.3 the public history shows verified reports only") {
  WebFixture f;
  webtest_start(&f, true);
  long iRejected = report_one(&f, "Primer intento");
  WebClient c = {0};
  webtest_login(&f, &c, "control");
  WebResp w = review(&f, &c, iRejected, "decision=rechazar&nota=NOTA-INTERNA-de-control");
  assert_status(&w, 303);
  webtest_resp_free(&w);
  long iPending = report_one(&f, "Segundo intento");
  (void)iPending;
  /* neither the rejected nor the pending report, nor the rejection's note */
  char zPath[32];
  snprintf(zPath, sizeof zPath, "/actividad/%ld", (long)OWN_ITEM);
  w = webtest_get(&f, NULL, zPath);
  assert_status(&w, 200);
  cr_expect(!webtest_has(&w, "NOTA-INTERNA-de-control"), "the rejection note is public");
  cr_expect(!webtest_has(&w, "avance 1 reportado"), "an unverified report is public");
  webtest_resp_free(&w);
  /* once verified, its report and verification appear */
  w = review(&f, &c, iPending, "decision=verificar&nota=Acta+revisada");
  assert_status(&w, 303);
  webtest_resp_free(&w);
  w = webtest_get(&f, NULL, zPath);
  cr_expect(webtest_has(&w, "avance 1 reportado"), "%s", w.zBody);
  cr_expect(webtest_has(&w, "Acta revisada"));
  cr_expect(!webtest_has(&w, "NOTA-INTERNA-de-control"));
  webtest_resp_free(&w);
  webtest_stop(&f);
}

Test(web_progress, escaped, .description = "web-progress-6.1 markup in a note comes back escaped") {
  WebFixture f;
  webtest_start(&f, true);
  WebClient c = {0};
  webtest_login(&f, &c, "responsable");
  Sent s = good_report();
  s.zNote = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>' AND 1=1 --";
  s.zFileName = "%22><svg onload=alert(3)>.pdf"; /* a browser sends '"' as %22 */
  WebResp w = send_report(&f, &c, OWN_ITEM, &s);
  assert_status(&w, 303);
  webtest_resp_free(&w);
  cr_assert_eq(webtest_count(&f, "SELECT count(*) FROM progress WHERE note LIKE '<script>%'"), 1,
               "stored as written");

  WebClient k = {0};
  webtest_login(&f, &k, "control");
  w = webtest_get(&f, &k, "/verificacion");
  assert_status(&w, 200);
  cr_assert(webtest_has(&w, "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x "
                            "onerror=alert(2)&gt;&#39; AND 1=1 --"),
            "%s", w.zBody);
  cr_assert(webtest_has(&w, "&quot;&gt;&lt;svg onload=alert(3)&gt;.pdf"));
  cr_assert_not(webtest_has(&w, "<script>"));
  cr_assert_not(webtest_has(&w, "<img src=x"));
  cr_assert_not(webtest_has(&w, "<svg onload"));
  webtest_resp_free(&w);
  w = webtest_get(&f, &c, "/reportar");
  cr_assert(webtest_has(&w, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  cr_assert_not(webtest_has(&w, "<script>"));
  webtest_resp_free(&w);
  webtest_stop(&f);
}

Test(web_progress, roles,
     .description = "web-progress-7.1 only responsables report, only control verifies") {
  WebFixture f;
  webtest_start(&f, true);
  long iReport = report_one(&f, NULL);
  WebClient c = {0};
  webtest_login(&f, &c, "responsable");
  char zPath[64];
  snprintf(zPath, sizeof zPath, "/verificacion/%ld", iReport);
  WebResp w = webtest_post(&f, &c, zPath, "decision=verificar");
  assert_status(&w, 403);
  webtest_resp_free(&w);
  WebClient k = {0};
  webtest_login(&f, &k, "control");
  Sent s = good_report();
  w = send_report(&f, &k, OWN_ITEM, &s);
  assert_status(&w, 403);
  webtest_resp_free(&w);
  cr_assert_eq(webtest_count(&f, N_PROGRESS), 1);
  cr_assert_eq(webtest_count(&f, "SELECT count(*) FROM progress WHERE status = 'reportado'"), 1);
  webtest_stop(&f);
}

Test(web_progress, panel_count,
     .description = "web-progress-9.1 the panel counts the reports waiting for verification") {
  WebFixture f;
  webtest_start(&f, true);
  WebClient ci = {0}, c = {0};
  webtest_login(&f, &ci, "control");
  WebResp w = webtest_get(&f, &ci, "/panel");
  assert_status(&w, 200);
  cr_assert(webtest_has(&w, "0 reportes esperando verificación"), "%s", w.zBody);
  webtest_resp_free(&w);
  webtest_login(&f, &c, "responsable");
  Sent s = good_report();
  w = send_report(&f, &c, OWN_ITEM, &s);
  assert_status(&w, 303);
  webtest_resp_free(&w);
  w = webtest_get(&f, &ci, "/panel");
  assert_status(&w, 200);
  cr_assert(webtest_has(&w, "1 reporte esperando verificación"), "%s", w.zBody);
  webtest_resp_free(&w);
  w = webtest_get(&f, &c, "/panel");
  cr_assert_not(webtest_has(&w, "esperando verificación"), "a responsable does not verify");
  webtest_resp_free(&w);
  webtest_stop(&f);
}
