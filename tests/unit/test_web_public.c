/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The public pages against a real server (webtest.h), on the sample plan
** at 2021-06-30: the overview's exact figures (worked out by hand from
** `participa report --at 2021-06-30`: 13 activities, only item 1 expected
** by then, so 1/13 = 7,7 % expected overall and 1/3 = 33,3 % for Planear),
** its accessible charts and tables; the activity list's filters, the
** accent-insensitive search, pagination (on a generated 120-activity plan)
** and escaping; one activity's page; evidence visibility (verified: public;
** waiting: signed-in users only; links and unknown ids: 404); the open data
** files (exact CSV header, JSON keys) and their documentation page; and a
** database without a plan.
*/
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/util.h"
#include "db/db.h"
#include "plan/plan.h"
#include "plan/plan_db.h"
#include "webtest.h"

/* The CSV header of the sample plan (quarterly periods). */
#define CSV_HEADER                                                                                 \
  "item,componente,fase,actividad,producto,indicador,meta_descripcion,fecha_inicio,fecha_final,"   \
  "dependencias,meta,avance_verificado,avance_porcentaje,esperado_porcentaje,"                     \
  "cumplimiento_porcentaje,semaforo,estado,meta_T1,meta_T2,meta_T3,meta_T4,logrado_T1,"            \
  "logrado_T2,logrado_T3,logrado_T4\r\n"

/* A minimal PDF (libmagic calls it application/pdf). */
static const char zPdf[] = "%PDF-1.4\n%prueba\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
/* An HTML file given as evidence. */
static const char zHtml[] = "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>\n";

static WebFixture fx;

static void setup(void) {
  webtest_start(&fx, true);
}

static void teardown(void) {
  webtest_stop(&fx);
}

/* A connection of the test's own to the fixture database. */
static Db *open_db(void) {
  char *zErr = NULL;
  Db *db = db_open(fx.zDb, 0, &zErr);
  cr_assert_not_null(db, "%s", zErr ? zErr : "");
  return db;
}

/* Report progress on item iItem (with a file when pData) and verify it
** when bVerify. Returns the evidence id of the file (0 without one). */
static int64_t add_progress(long iItem, const char *zPeriod, double rValue, const char *zNote,
                            const char *pData, size_t nData, const char *zName, bool bVerify) {
  Db *db = open_db();
  int64_t iPlan = plan_current(db, 0);
  Evidence ev = {.pData = pData, .nData = nData, .zName = zName};
  char *zErr = NULL;
  int64_t iReport = plan_progress_add(db, fx.zDataDir, iPlan, iItem, zPeriod, rValue, zNote,
                                      pData ? &ev : NULL, "responsable", &zErr);
  cr_assert_gt(iReport, 0, "progress add: %s", zErr ? zErr : "");
  if (bVerify) {
    cr_assert(plan_progress_review(db, iReport, true, "revisado", "control", &zErr), "%s",
              zErr ? zErr : "");
  }
  int64_t iEvidence = pData ? db_int(db, "SELECT max(id) FROM evidence") : 0;
  db_close(db);
  return iEvidence;
}

/* Add a link as evidence of a verified report on item iItem; its id. */
static int64_t add_link(long iItem, const char *zUrl) {
  Db *db = open_db();
  Evidence ev = {.zUrl = zUrl};
  char *zErr = NULL;
  int64_t iReport = plan_progress_add(db, fx.zDataDir, plan_current(db, 0), iItem, "T2", 0,
                                      "enlace", &ev, "responsable", &zErr);
  cr_assert_gt(iReport, 0, "%s", zErr ? zErr : "");
  cr_assert(plan_progress_review(db, iReport, true, "revisado", "control", &zErr));
  int64_t iEvidence = db_int(db, "SELECT max(id) FROM evidence");
  db_close(db);
  return iEvidence;
}

/* GET zPath as the public and check the status. */
static WebResp get_ok(const char *zPath, int iStatus) {
  WebResp w = webtest_get(&fx, NULL, zPath);
  cr_assert_eq(w.iStatus, iStatus, "GET %s: %d, expected %d\n%.2000s", zPath, w.iStatus, iStatus,
               w.zBody ? w.zBody : "");
  return w;
}

/* Assert that the body of w contains z. */
static void has(const WebResp *w, const char *z) {
  cr_assert(webtest_has(w, z), "missing «%s» in:\n%.6000s", z, w->zBody);
}

/* Assert that the body of w does not contain z. */
static void lacks(const WebResp *w, const char *z) {
  cr_assert(!webtest_has(w, z), "unexpected «%s» in:\n%.6000s", z, w->zBody);
}

/* Times z occurs in the body of w. */
static int count(const WebResp *w, const char *z) {
  int n = 0;
  for (const char *p = w->zBody; (p = strstr(p, z)) != NULL; p += strlen(z)) {
    n++;
  }
  return n;
}

/* The body of GET zPath (expected 200) contains zWant. */
static void page_has(const char *zPath, const char *zWant) {
  WebResp w = get_ok(zPath, 200);
  has(&w, zWant);
  webtest_resp_free(&w);
}

TestSuite(web_public, .init = setup, .fini = teardown, .timeout = 60);

/* ---- overview ---- */

Test(web_public, overview_total_figures) {
  WebResp w = get_ok("/", 200);
  has(&w, "<h1>Avance del plan 2021</h1>");
  has(&w, "<dd>ALCALDÍA DISTRITAL DE CARTAGENA DE INDIAS</dd>");
  has(&w, "<time datetime=\"2021-06-30\">30 de junio de 2021</time>");
  has(&w, "<li><span>Avance verificado</span> <strong>0,0 %</strong></li>");
  has(&w, "<li><span>Avance esperado a la fecha</span> <strong>7,7 %</strong></li>");
  has(&w, "<li><span>Cumplimiento</span> <strong>0,0 %</strong></li>");
  has(&w, "<li><span>Semáforo</span> <strong><span class=\"semaforo semaforo-rojo\">Rojo</span>"
          "</strong></li>");
  has(&w, "<li><span>Sin avance verificado</span> <strong>13 de 13</strong></li>");
  webtest_resp_free(&w);
}

Test(web_public, overview_status_counts) {
  WebResp w = get_ok("/", 200);
  has(&w, "<a href=\"/actividades?estado=sin-iniciar\">Sin iniciar</a></th>"
          "<td class=\"numero\">12</td>");
  has(&w, "<a href=\"/actividades?estado=vencida\">Vencida</a></th><td class=\"numero\">1</td>");
  has(&w, "<a href=\"/actividades?estado=cumplida\">Cumplida</a></th><td class=\"numero\">0</td>");
  webtest_resp_free(&w);
}

Test(web_public, overview_phase_rollup) {
  page_has("/", "<a href=\"/actividades?fase=P\">Planear</a></th><td class=\"numero\">3</td>"
                "<td class=\"numero\">3</td><td class=\"numero\">0,0 %</td>"
                "<td class=\"numero\">33,3 %</td><td class=\"numero\">0,0 %</td>"
                "<td><span class=\"semaforo semaforo-rojo\">Rojo</span></td>");
}

Test(web_public, overview_phase_without_expected) {
  page_has("/", "<a href=\"/actividades?fase=H\">Hacer</a></th><td class=\"numero\">8</td>"
                "<td class=\"numero\">8</td><td class=\"numero\">0,0 %</td>"
                "<td class=\"numero\">0,0 %</td><td class=\"numero\">No aplica</td>"
                "<td><span class=\"semaforo semaforo-ninguno\">Sin dato</span></td>");
}

Test(web_public, overview_office_rollup) {
  page_has("/", "Secretaria de Participación y Desarrollo Social</a></th>"
                "<td class=\"numero\">5</td><td class=\"numero\">5</td>"
                "<td class=\"numero\">0,0 %</td><td class=\"numero\">20,0 %</td>");
}

Test(web_public, overview_charts_accessible) {
  WebResp w = get_ok("/", 200);
  const char *azId[] = {"general", "estados", "fases", "componentes", "dependencias"};
  for (size_t i = 0; i < sizeof azId / sizeof azId[0]; i++) {
    char *z = xasprintf("role=\"img\" aria-labelledby=\"grafico-%s-titulo grafico-%s-desc\"",
                        azId[i], azId[i]);
    has(&w, z);
    free(z);
    z = xasprintf("<title id=\"grafico-%s-titulo\">", azId[i]);
    has(&w, z);
    free(z);
    z = xasprintf("<desc id=\"grafico-%s-desc\">", azId[i]);
    has(&w, z);
    free(z);
  }
  has(&w, "<caption>Avance por fase PHVA</caption>");
  has(&w, "<th scope=\"col\">Cumplimiento</th>");
  has(&w, "Planear: Avance 0,0 %, Esperado 33,3 %.");
  lacks(&w, "style=");
  webtest_resp_free(&w);
}

Test(web_public, overview_after_verified_progress) {
  add_progress(1, "T1", 1, "Autodiagnóstico aplicado", NULL, 0, NULL, true);
  WebResp w = get_ok("/", 200);
  /* item 1 reaches 100 %: 1/13 achieved against 1/13 expected */
  has(&w, "<li><span>Avance verificado</span> <strong>7,7 %</strong></li>");
  has(&w, "<li><span>Cumplimiento</span> <strong>100,0 %</strong></li>");
  has(&w, "<strong><span class=\"semaforo semaforo-verde\">Verde</span></strong>");
  has(&w, "<a href=\"/actividades?estado=cumplida\">Cumplida</a></th><td class=\"numero\">1</td>");
  has(&w, "<li><span>Sin avance verificado</span> <strong>12 de 13</strong></li>");
  webtest_resp_free(&w);
}

Test(web_public, overview_ignores_unverified) {
  add_progress(1, "T1", 1, "Esperando", NULL, 0, NULL, false);
  page_has("/", "<li><span>Avance verificado</span> <strong>0,0 %</strong></li>");
}

/* ---- the activity list ---- */

/* GET zPath and check the result line says "zCount". */
static void list_count(const char *zPath, const char *zCount) {
  WebResp w = get_ok(zPath, 200);
  char *z = xasprintf("<p id=\"resultado\" class=\"resultado\">%s", zCount);
  has(&w, z);
  free(z);
  webtest_resp_free(&w);
}

Test(web_public, list_all) {
  WebResp w = get_ok("/actividades", 200);
  has(&w, "<p id=\"resultado\" class=\"resultado\">13 de 13 actividades.");
  cr_assert_eq(count(&w, "<a href=\"/actividad/"), 13);
  has(&w, "<caption>Actividades</caption>");
  has(&w, "<th scope=\"col\">Semáforo</th>");
  lacks(&w, "Páginas de resultados");
  webtest_resp_free(&w);
}

Test(web_public, list_row_item_1) {
  page_has(
      "/actividades",
      "<tr><td class=\"numero\">1</td><th scope=\"row\"><a href=\"/actividad/1\">Aplicar el "
      "autodiagnóstico MIPG sobre participación ciudadana y rendición de cuentas</a></th>"
      "<td>Secretaria de Participación y Desarrollo Social</td>"
      "<td><time datetime=\"2021-02-01\">1 de febrero de 2021</time></td>"
      "<td><time datetime=\"2021-03-31\">31 de marzo de 2021</time></td>"
      "<td class=\"numero\">0,0 %</td><td><span class=\"semaforo semaforo-rojo\">Rojo</span></td>"
      "<td>Vencida</td></tr>");
}

Test(web_public, list_search_accent_insensitive) {
  /* items 1 2 3 6 7 8 9 10 14 15 say "participación" in one of the four texts */
  list_count("/actividades?q=participacion", "10 de 13 actividades.");
  list_count("/actividades?q=PARTICIPACI%C3%93N", "10 de 13 actividades.");
  list_count("/actividades?q=%20%20rendicion%20%20de%20cuentas%20", "6 de 13 actividades.");
}

Test(web_public, list_search_one_hit) {
  WebResp w = get_ok("/actividades?q=autodiagnostico", 200);
  has(&w, "1 de 13 actividades.");
  has(&w, "<a href=\"/actividad/1\">");
  cr_assert_eq(count(&w, "<a href=\"/actividad/"), 1);
  webtest_resp_free(&w);
}

/* The hits of a search on the list, as links to item iItem. */
static int search_hits(const char *zPath, long iItem) {
  WebResp w = get_ok(zPath, 200);
  char *z = xasprintf("<a href=\"/actividad/%ld\">", iItem);
  int n = count(&w, z);
  free(z);
  webtest_resp_free(&w);
  return n;
}

Test(web_public, list_search_follows_edits) {
  Db *db = open_db();
  int64_t iPlan = plan_current(db, 0);
  ActivityEdit e;
  cr_assert(plan_activity_load(db, iPlan, 1, &e));
  free(e.azField[PF_ACTIVITY]);
  e.azField[PF_ACTIVITY] = xstrdup("Hacer el sondeo de percepción en Usaquén");
  free(e.azField[PF_PRODUCT]);
  e.azField[PF_PRODUCT] = xstrdup("Informe del sondeo");
  free(e.azField[PF_INDICATOR]);
  e.azField[PF_INDICATOR] = xstrdup("Encuestas aplicadas");
  free(e.azField[PF_GOAL]);
  e.azField[PF_GOAL] = xstrdup("Ñandutí\ncuarenta   encuestas");
  char *zErr = NULL;
  cr_assert_gt(plan_activity_update(db, iPlan, 1, &e, "planeacion", &zErr), 0, "%s",
               zErr ? zErr : "");
  plan_activity_edit_reset(&e);
  db_close(db);
  /* found by the new texts, folded, not by the old one */
  cr_assert_eq(search_hits("/actividades?q=PERCEPCION%20en%20usaquen", 1), 1);
  cr_assert_eq(search_hits("/actividades?q=nanduti%20cuarenta%20encuestas", 1), 1);
  cr_assert_eq(search_hits("/actividades?q=autodiagnostico", 1), 0);
  /* never across two fields: the end of ACTIVIDAD and the start of PRODUCTO */
  cr_assert_eq(search_hits("/actividades?q=usaquen%20informe", 1), 0);
  cr_assert_eq(search_hits("/actividades?q=informe%20del%20sondeo", 1), 1);
}

Test(web_public, list_filter_phase) {
  list_count("/actividades?fase=P", "3 de 13 actividades.");
  list_count("/actividades?fase=h", "8 de 13 actividades.");
  WebResp w = get_ok("/actividades?fase=V", 200);
  has(&w, "1 de 13 actividades.");
  has(&w, "<a href=\"/actividad/14\">");
  webtest_resp_free(&w);
}

Test(web_public, list_filter_status) {
  list_count("/actividades?estado=vencida", "1 de 13 actividades.");
  list_count("/actividades?estado=sin-iniciar", "12 de 13 actividades.");
  list_count("/actividades?estado=sin%20iniciar", "12 de 13 actividades.");
  list_count("/actividades?estado=cumplida", "0 de 13 actividades.");
}

Test(web_public, list_filter_office) {
  /* items 5 6 7 9 name "Secretaría de Participación" (with the accent) */
  list_count("/actividades?dependencia=Secretar%C3%ADa%20de%20Participaci%C3%B3n",
             "4 de 13 actividades.");
  list_count("/actividades?dependencia=secretaria%20de%20participacion", "4 de 13 actividades.");
}

Test(web_public, list_filter_period) {
  /* T1 (January to March): only item 1; T3: the nine starting in July or
  ** August; item 7 (ends before it starts) meets no period */
  list_count("/actividades?periodo=T1", "1 de 13 actividades.");
  list_count("/actividades?periodo=T2", "0 de 13 actividades.");
  list_count("/actividades?periodo=t3", "9 de 13 actividades.");
  list_count("/actividades?periodo=T4", "7 de 13 actividades.");
}

Test(web_public, list_filters_combine) {
  /* H: items 5 to 12; T4: 8 to 12, 14, 15; "participación": 8, 9 and 10 of those */
  list_count("/actividades?fase=H&periodo=T4&q=participacion", "3 de 13 actividades.");
}

Test(web_public, list_keeps_filter_values) {
  WebResp w = get_ok("/actividades?fase=H&estado=sin-iniciar&periodo=T3&q=espacios"
                     "&dependencia=Escuela%20de%20Gobierno",
                     200);
  has(&w, "<form method=\"get\" action=\"/actividades\">");
  has(&w, "<option value=\"H\" selected>H: Hacer</option>");
  has(&w, "<option value=\"sin-iniciar\" selected>Sin iniciar</option>");
  has(&w, "<option value=\"T3\" selected>");
  has(&w, "<option value=\"Escuela de Gobierno\" selected>Escuela de Gobierno (2)</option>");
  has(&w, "name=\"q\" value=\"espacios\"");
  has(&w, "<label for=\"f-q\">Buscar</label>");
  has(&w, "<button type=\"submit\">Filtrar</button>");
  webtest_resp_free(&w);
}

Test(web_public, list_bad_filters_400) {
  WebResp w = get_ok("/actividades?fase=X&estado=perdida&periodo=T9", 400);
  has(&w, "Fase: «X» no es una fase PHVA");
  has(&w, "Estado: «perdida» no es un estado conocido");
  has(&w, "Periodo: «T9» no es un periodo de este plan");
  has(&w, "<select id=\"f-fase\" name=\"fase\" aria-invalid=\"true\"");
  /* the wrong filters are not applied */
  has(&w, "13 de 13 actividades.");
  webtest_resp_free(&w);
}

Test(web_public, list_search_too_long_400) {
  Buf b = BUF_INIT;
  buf_puts(&b, "/actividades?q=");
  for (int i = 0; i < 201; i++) {
    buf_putc(&b, 'a');
  }
  WebResp w = get_ok(buf_str(&b), 400);
  has(&w, "Buscar: escriba como máximo 200 caracteres.");
  webtest_resp_free(&w);
  buf_reset(&b);
}

Test(web_public, list_injection_escaped) {
  WebResp w =
      get_ok("/actividades?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E%27%20OR%201%3D1%3B--", 200);
  has(&w, "value=\"&lt;script&gt;alert(1)&lt;/script&gt;&#39; OR 1=1;--\"");
  lacks(&w, "<script>");
  has(&w, "0 de 13 actividades.");
  webtest_resp_free(&w);
  w = get_ok("/actividades?dependencia=%22%3E%3Cimg%20src%3Dx%3E", 400);
  lacks(&w, "<img src=x>");
  has(&w, "«&quot;&gt;&lt;img src=x&gt;» no tiene actividades");
  webtest_resp_free(&w);
}

/* Write a plan of n activities in the seed's layout to zPath. */
static void write_big_plan(const char *zPath, int n) {
  FILE *out = fopen(zPath, "w");
  cr_assert_not_null(out);
  fputs("ENTIDAD DE PRUEBA\n\nESTRATEGIA DE PRUEBA\n\n", out);
  fputs("ITEM\tDESCRIPCIÓN DE LOS CRITERIOS DIFERENCIALES QUE LE APLICAN\tCICLO DE PROCESO\t"
        "ACTIVIDAD\tPRODUCTO\tDESCRIPCIÓN DEL INDICADOR\tDESCRIPCIÓN DE LA META\tFECHA INICIO\t"
        "FECHA FINAL\tRESPONSABLE\tMETA DEL INDICADOR\t2021\t\t\t\t\n",
        out);
  fputs("\t\t\t\t\t\t\t\t\t\t\tMETA TRIMESTRE 1\tMETA TRIMESTRE 2\tMETA TRIMESTRE 3\t"
        "META TRIMESTRE 4\tRESULTADO\n",
        out);
  for (int i = 1; i <= n; i++) {
    fprintf(out,
            "%d\tComponente único\tH:\tActividad número %d\tProducto %d\tUn (1) informe\t"
            "Meta %d\t1-febrero-2021\t30-noviembre-2021\tOficina de pruebas\tUn (1) informe"
            "\t\t\t\t\t\n",
            i, i, i, i);
  }
  fclose(out);
}

/* Replace the sample plan's database content view with a 120-activity plan
** of another entity (it becomes the most recently imported). */
static void import_big_plan(void) {
  char *zPath = xasprintf("%s/grande.txt", fx.zDir);
  write_big_plan(zPath, 120);
  PlanDraft d;
  plan_read_file(zPath, NULL, &d);
  cr_assert(!d.bUnreadable);
  Db *db = open_db();
  ImportResult res;
  memset(&res, 0, sizeof res);
  plan_store(db, &d, "prueba", true, &res);
  cr_assert_gt(res.iPlan, 0);
  buf_reset(&res.changes);
  plan_draft_reset(&d);
  db_close(db);
  remove(zPath);
  free(zPath);
}

Test(web_public, list_pagination) {
  import_big_plan();
  WebResp w = get_ok("/actividades", 200);
  has(&w, "120 de 120 actividades; página 1 de 3.");
  cr_assert_eq(count(&w, "<a href=\"/actividad/"), 50);
  has(&w, "<a href=\"/actividad/1\">");
  has(&w, "<a href=\"/actividad/50\">");
  lacks(&w, "<a href=\"/actividad/51\">");
  has(&w, "<nav aria-label=\"Páginas de resultados\"><ul class=\"paginas\">");
  has(&w, "<a href=\"/actividades?pagina=2\" aria-label=\"Página siguiente\">Siguiente</a>");
  has(&w, "<a href=\"/actividades\" aria-current=\"page\">1</a>");
  webtest_resp_free(&w);
  w = get_ok("/actividades?pagina=3", 200);
  has(&w, "120 de 120 actividades; página 3 de 3.");
  cr_assert_eq(count(&w, "<a href=\"/actividad/"), 20);
  has(&w, "<a href=\"/actividad/120\">");
  has(&w, "<a href=\"/actividades?pagina=2\" aria-label=\"Página anterior\">Anterior</a>");
  webtest_resp_free(&w);
}

Test(web_public, list_pagination_keeps_filters_and_clamps) {
  import_big_plan();
  WebResp w = get_ok("/actividades?q=actividad%20n%C3%BAmero&pagina=2", 200);
  has(&w, "<a href=\"/actividades?q=actividad%20n%C3%BAmero&amp;pagina=3\" "
          "aria-label=\"Página siguiente\">");
  has(&w, "<a href=\"/actividad/51\">");
  webtest_resp_free(&w);
  list_count("/actividades?pagina=99", "120 de 120 actividades; página 3 de 3.");
  list_count("/actividades?pagina=abc", "120 de 120 actividades; página 1 de 3.");
  /* "número 12" is in items 12 and 120 */
  list_count("/actividades?q=numero%2012", "2 de 120 actividades.");
}

/* ---- one activity ---- */

Test(web_public, activity_fields) {
  WebResp w = get_ok("/actividad/7", 200);
  has(&w, "<h1>Actividad 7</h1>");
  has(&w, "<dt>CICLO DE PROCESO</dt>\n<dd>H: Hacer</dd>");
  has(&w, "<dt>DESCRIPCIÓN DEL INDICADOR</dt>\n<dd>Una (1) publicación de los espacios");
  has(&w, "<dt>FECHA INICIO</dt>\n<dd><time datetime=\"2021-10-01\">1 de octubre de 2021</time>");
  has(&w, "<dt>RESPONSABLE</dt>\n<dd>Secretaría de Participación/Oficina de comunicaciones/");
  has(&w, "<li><a href=\"/actividades?dependencia=Escuela%20de%20Gobierno\">Escuela de "
          "Gobierno</a></li>");
  has(&w, "<tr><th scope=\"row\">T2: Trimestre 2</th><td><time datetime=\"2021-06-30\">30 de "
          "junio de 2021</time></td><td class=\"numero\">Sin meta</td>"
          "<td class=\"numero\">0</td></tr>");
  has(&w, "Todavía no hay avances verificados de esta actividad.");
  webtest_resp_free(&w);
}

Test(web_public, activity_standing) {
  page_has("/actividad/1", "<li><span>Estado</span> <strong>Vencida</strong></li>\n"
                           "<li><span>Logro verificado</span> <strong>0 de 1</strong></li>\n"
                           "<li><span>Avance verificado</span> <strong>0,0 %</strong></li>\n"
                           "<li><span>Avance esperado a la fecha</span> <strong>100,0 %</strong>"
                           "</li>");
}

Test(web_public, activity_404) {
  const char *az[] = {"/actividad/4",
                      "/actividad/13",
                      "/actividad/abc",
                      "/actividad/0",
                      "/actividad/-1",
                      "/actividad/1.5",
                      "/actividad/99999999999999999999",
                      "/actividad/%2B1"};
  for (size_t i = 0; i < sizeof az / sizeof az[0]; i++) {
    WebResp w = get_ok(az[i], 404);
    webtest_resp_free(&w);
  }
}

Test(web_public, activity_verified_progress_with_evidence) {
  int64_t iEv =
      add_progress(1, "T1", 1, "Documento publicado", zPdf, sizeof zPdf - 1, "acta.pdf", true);
  WebResp w = get_ok("/actividad/1", 200);
  char *z = xasprintf("<li><a href=\"/evidencia/%lld\">acta.pdf</a> (%zu bytes, "
                      "application/pdf)</li>",
                      (long long)iEv, sizeof zPdf - 1);
  has(&w, z);
  free(z);
  has(&w, "<tr><th scope=\"row\">T1</th><td class=\"numero\">1</td><td>Documento publicado</td>");
  has(&w, "<td>control</td>");
  has(&w, "<li><span>Estado</span> <strong>Cumplida</strong></li>");
  /* the history: the report and its verification */
  has(&w, "<td>reportar</td><td>ítem 1, T1: avance 1 reportado</td>");
  has(&w, "<td>verificar</td>");
  webtest_resp_free(&w);
}

Test(web_public, activity_unverified_not_shown) {
  add_progress(1, "T1", 1, "Nota sin verificar", zPdf, sizeof zPdf - 1, "acta.pdf", false);
  WebResp w = get_ok("/actividad/1", 200);
  lacks(&w, "Nota sin verificar");
  lacks(&w, "/evidencia/");
  has(&w, "Hay 1 reporte de avance esperando verificación");
  webtest_resp_free(&w);
}

Test(web_public, activity_link_evidence) {
  add_link(1, "https://example.org/acta?a=1&b=2");
  page_has("/actividad/1", "<a href=\"https://example.org/acta?a=1&amp;b=2\" "
                           "rel=\"nofollow noopener noreferrer\">");
}

/* ---- evidence files ---- */

Test(web_public, evidence_verified_is_public) {
  int64_t iEv =
      add_progress(1, "T1", 1, "acta", zPdf, sizeof zPdf - 1, "Acta de reunión.pdf", true);
  char *zPath = xasprintf("/evidencia/%lld", (long long)iEv);
  WebResp w = get_ok(zPath, 200);
  cr_assert_eq(w.nBody, sizeof zPdf - 1);
  cr_assert_eq(memcmp(w.zBody, zPdf, w.nBody), 0);
  char *zType = webtest_header(&w, "Content-Type");
  cr_assert_str_eq(zType, "application/pdf");
  char *zDisp = webtest_header(&w, "Content-Disposition");
  cr_assert_str_eq(zDisp, "inline; filename=\"Acta_de_reuni__n.pdf\"; "
                          "filename*=UTF-8''Acta%20de%20reuni%C3%B3n.pdf");
  free(zType);
  free(zDisp);
  webtest_resp_free(&w);
  free(zPath);
}

Test(web_public, evidence_unverified_only_signed_in) {
  int64_t iEv = add_progress(1, "T1", 1, "acta", zPdf, sizeof zPdf - 1, "acta.pdf", false);
  char *zPath = xasprintf("/evidencia/%lld", (long long)iEv);
  WebResp w = get_ok(zPath, 404);
  webtest_resp_free(&w);
  WebClient c;
  memset(&c, 0, sizeof c);
  webtest_login(&fx, &c, "control");
  w = webtest_get(&fx, &c, zPath);
  cr_assert_eq(w.iStatus, 200);
  cr_assert_eq(w.nBody, sizeof zPdf - 1);
  char *zCache = webtest_header(&w, "Cache-Control");
  cr_assert_str_eq(zCache, "private, no-store");
  free(zCache);
  webtest_resp_free(&w);
  free(zPath);
}

Test(web_public, evidence_other_types_download) {
  int64_t iEv = add_progress(1, "T1", 1, "página", zHtml, sizeof zHtml - 1, "pagina.html", true);
  char *zPath = xasprintf("/evidencia/%lld", (long long)iEv);
  WebResp w = get_ok(zPath, 200);
  char *zDisp = webtest_header(&w, "Content-Disposition");
  cr_assert_not_null(zDisp);
  cr_assert_eq(strncmp(zDisp, "attachment; ", 12), 0, "%s", zDisp);
  char *zNosniff = webtest_header(&w, "X-Content-Type-Options");
  cr_assert_str_eq(zNosniff, "nosniff");
  free(zDisp);
  free(zNosniff);
  webtest_resp_free(&w);
  free(zPath);
}

Test(web_public, evidence_link_and_unknown_404) {
  int64_t iLink = add_link(1, "https://example.org/acta");
  char *zPath = xasprintf("/evidencia/%lld", (long long)iLink);
  WebResp w = get_ok(zPath, 404);
  webtest_resp_free(&w);
  free(zPath);
  const char *az[] = {"/evidencia/999", "/evidencia/abc", "/evidencia/0", "/evidencia/1e3"};
  for (size_t i = 0; i < sizeof az / sizeof az[0]; i++) {
    w = get_ok(az[i], 404);
    webtest_resp_free(&w);
  }
}

/* ---- open data ---- */

Test(web_public, csv_header_exact) {
  WebResp w = get_ok("/datos/plan.csv", 200);
  cr_assert_eq(strncmp(w.zBody, CSV_HEADER, strlen(CSV_HEADER)), 0, "%.400s", w.zBody);
  cr_assert_eq(count(&w, "\r\n"), 14);
  char *zType = webtest_header(&w, "Content-Type");
  cr_assert_str_eq(zType, "text/csv; charset=utf-8");
  char *zDisp = webtest_header(&w, "Content-Disposition");
  cr_assert_str_eq(zDisp, "attachment; filename=\"plan-2021.csv\"");
  free(zType);
  free(zDisp);
  webtest_resp_free(&w);
}

Test(web_public, csv_rows) {
  add_progress(1, "T1", 1, "hecho", NULL, 0, NULL, true);
  WebResp w = get_ok("/datos/plan.csv", 200);
  has(&w, "\r\n1,Elaborar el diagnóstico del estado actual de la participación ciudadana en la "
          "entidad,P,Aplicar el autodiagnóstico MIPG");
  has(&w, ",2021-02-01,2021-03-31,Secretaria de Participación y Desarrollo Social,1,1,100.00,"
          "100.00,100.00,verde,cumplida,,,,,1,0,0,0\r\n");
  /* several offices are joined by "; " and the cell is not quoted */
  has(&w, "2021-10-01,2021-09-30,Secretaría de Participación; Oficina de comunicaciones; "
          "oficina asesora de informática; Escuela de Gobierno,1,0,0.00,0.00,,sin dato,"
          "sin iniciar,");
  webtest_resp_free(&w);
}

Test(web_public, json_documented_keys) {
  WebResp w = get_ok("/datos/plan.json", 200);
  json_error_t err;
  json_t *pRoot = json_loads(w.zBody, 0, &err);
  cr_assert_not_null(pRoot, "JSON: %s at line %d", err.text, err.line);
  const char *azTop[] = {"formato", "version",     "documentacion", "entidad",    "estrategia",
                         "anio",    "fecha_corte", "periodos",      "actividades"};
  cr_assert_eq(json_object_size(pRoot), sizeof azTop / sizeof azTop[0]);
  for (size_t i = 0; i < sizeof azTop / sizeof azTop[0]; i++) {
    cr_assert_not_null(json_object_get(pRoot, azTop[i]), "no %s", azTop[i]);
  }
  cr_assert_str_eq(json_string_value(json_object_get(pRoot, "fecha_corte")), "2021-06-30");
  cr_assert_eq(json_integer_value(json_object_get(pRoot, "anio")), 2021);
  json_t *pActs = json_object_get(pRoot, "actividades");
  cr_assert_eq(json_array_size(pActs), 13);
  /* every activity has exactly the CSV's columns */
  char *zHeader = xstrndup(CSV_HEADER, strlen(CSV_HEADER) - 2);
  int nCol = 1;
  for (char *p = zHeader; *p; p++) {
    nCol += *p == ',';
  }
  for (size_t i = 0; i < json_array_size(pActs); i++) {
    json_t *pAct = json_array_get(pActs, i);
    cr_assert_eq((int)json_object_size(pAct), nCol);
    char *zSave = NULL;
    char *zCopy = xstrdup(zHeader);
    for (char *zKey = strtok_r(zCopy, ",", &zSave); zKey; zKey = strtok_r(NULL, ",", &zSave)) {
      cr_assert_not_null(json_object_get(pAct, zKey), "activity %zu lacks %s", i, zKey);
    }
    free(zCopy);
  }
  free(zHeader);
  json_t *p14 = json_array_get(pActs, 11);
  cr_assert_eq(json_integer_value(json_object_get(p14, "item")), 14);
  cr_assert_str_eq(json_string_value(json_object_get(p14, "fase")), "V");
  cr_assert_str_eq(json_string_value(json_object_get(p14, "estado")), "sin iniciar");
  cr_assert(json_is_null(json_object_get(p14, "cumplimiento_porcentaje")));
  cr_assert(json_is_null(json_object_get(p14, "meta_T4")));
  cr_assert(json_is_array(json_object_get(p14, "dependencias")));
  cr_assert_eq(json_real_value(json_object_get(p14, "esperado_porcentaje")), 0.0);
  json_decref(pRoot);
  webtest_resp_free(&w);
}

Test(web_public, json_no_personal_data) {
  add_progress(1, "T1", 1, "Nota privada de quien reporta", NULL, 0, NULL, true);
  WebResp w = get_ok("/datos/plan.json", 200);
  lacks(&w, "Nota privada");
  lacks(&w, "\"responsable\"");
  lacks(&w, "revisado");
  webtest_resp_free(&w);
  w = get_ok("/datos/plan.csv", 200);
  lacks(&w, "Nota privada");
  webtest_resp_free(&w);
}

Test(web_public, open_data_doc) {
  WebResp w = get_ok("/datos", 200);
  has(&w, "<h1>Datos abiertos del plan</h1>");
  has(&w, "<a href=\"/datos/plan.csv\">plan.csv</a>");
  has(&w, "<a href=\"/datos/plan.json\">plan.json</a>");
  char *zHeader = xstrndup(CSV_HEADER, strlen(CSV_HEADER) - 2);
  char *zSave = NULL;
  for (char *zKey = strtok_r(zHeader, ",", &zSave); zKey; zKey = strtok_r(NULL, ",", &zSave)) {
    char *z = xasprintf("<th scope=\"row\"><code>%s</code></th>", zKey);
    has(&w, z);
    free(z);
  }
  free(zHeader);
  has(&w, "UTF-8 sin BOM");
  webtest_resp_free(&w);
}

/* ---- no plan ---- */

Test(web_public, no_plan) {
  /* the suite's fixture holds the sample: start again on an empty database */
  webtest_stop(&fx);
  webtest_start(&fx, false);
  page_has("/", "Todavía no se ha publicado ningún plan.");
  page_has("/actividades", "Todavía no se ha publicado ningún plan.");
  WebResp w = get_ok("/actividad/1", 404);
  webtest_resp_free(&w);
  w = get_ok("/datos/plan.csv", 200);
  cr_assert_str_eq(w.zBody, "item,componente,fase,actividad,producto,indicador,meta_descripcion,"
                            "fecha_inicio,fecha_final,dependencias,meta,avance_verificado,"
                            "avance_porcentaje,esperado_porcentaje,cumplimiento_porcentaje,"
                            "semaforo,estado\r\n");
  webtest_resp_free(&w);
  w = get_ok("/datos/plan.json", 200);
  json_t *pRoot = json_loads(w.zBody, 0, NULL);
  cr_assert_not_null(pRoot);
  cr_assert_eq(json_array_size(json_object_get(pRoot, "actividades")), 0);
  cr_assert(json_is_null(json_object_get(pRoot, "entidad")));
  json_decref(pRoot);
  webtest_resp_free(&w);
  page_has("/datos", "<code>meta_&lt;periodo&gt;</code>");
}
