/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Tests for the SVG bar charts (src/web/chart.c): the accessible wrapper
** (role, labelled by title and description), the geometry of bars and
** markers (clamped to the track), the description in words, labels cut
** and escaped, no inline style, and nothing written for an empty chart.
*/
#include <criterion/criterion.h>
#include <string.h>

#include "web/chart.h"

/* The markup of chart c. Caller frees. */
static char *chart_dup(const Chart *c) {
  Buf b = BUF_INIT;
  HtmlW w;
  html_init(&w, &b);
  chart_bars(&w, c);
  html_end(&w);
  return buf_take(&b);
}

/* Assert that z contains zWant. */
static void has(const char *z, const char *zWant) {
  cr_assert(strstr(z, zWant) != NULL, "missing «%s» in:\n%s", zWant, z);
}

static const ChartRow aTwo[] = {
    {"Planear", 0.5, "50,0 %", 0.25, "25,0 %"},
    {"Hacer", 2.0, "200,0 %", -1.0, "—"},
};

Test(chart, wrapper_accessible) {
  Chart c = {"grafico-x", "Avance por fase", "Resumen.", "Avance", "Esperado", 1.0, 2, aTwo};
  char *z = chart_dup(&c);
  cr_assert_eq(
      strncmp(z,
              "<svg viewBox=\"0 0 640 136\" width=\"640\" height=\"136\" role=\"img\" "
              "aria-labelledby=\"grafico-x-titulo grafico-x-desc\" "
              "focusable=\"false\">",
              strlen("<svg viewBox=\"0 0 640 136\" width=\"640\" height=\"136\" role=\"img\" "
                     "aria-labelledby=\"grafico-x-titulo grafico-x-desc\" "
                     "focusable=\"false\">")),
      0, "%s", z);
  has(z, "<title id=\"grafico-x-titulo\">Avance por fase</title>");
  has(z, "</svg>");
  free(z);
}

Test(chart, description_lists_rows) {
  Chart c = {"g", "T", "Resumen.", "Avance", "Esperado", 1.0, 2, aTwo};
  char *z = chart_dup(&c);
  has(z, "<desc id=\"g-desc\">Resumen. Planear: Avance 50,0 %, Esperado 25,0 %. Hacer: Avance "
         "200,0 %, Esperado —.</desc>");
  free(z);
}

Test(chart, bar_geometry) {
  Chart c = {"g", "T", NULL, "Avance", "Esperado", 1.0, 2, aTwo};
  char *z = chart_dup(&c);
  /* half of the 540-unit track; the second bar is clamped to the full track */
  has(z, "<rect x=\"0.0\" y=\"54.0\" width=\"270.0\" height=\"18.0\" class=\"barra-avance\" "
         "fill=\"#3a75c4\"></rect>");
  has(z, "<rect x=\"0.0\" y=\"106.0\" width=\"540.0\" height=\"18.0\" class=\"barra-avance\" "
         "fill=\"#3a75c4\"></rect>");
  /* the marker is centred on 25 % (135) and clamped to the start for a negative value */
  has(z, "<rect x=\"133.0\" y=\"49.0\" width=\"4.0\" height=\"28.0\" fill=\"currentColor\">");
  has(z, "<rect x=\"0.0\" y=\"101.0\" width=\"4.0\" height=\"28.0\" fill=\"currentColor\">");
  has(z,
      "<text x=\"550.0\" y=\"68.0\" class=\"grafico-texto\" fill=\"currentColor\">50,0 %</text>");
  free(z);
}

Test(chart, no_marker_no_legend) {
  ChartRow a[] = {{"Cumplida", 0, "0", 0, NULL}, {"Vencida", 3, "3", 0, NULL}};
  Chart c = {"g", "Estados", NULL, NULL, NULL, 12, 2, a};
  char *z = chart_dup(&c);
  cr_assert_null(strstr(z, "leyenda"));
  cr_assert_null(strstr(z, "fill=\"currentColor\"></rect>"));
  /* a zero bar draws no bar, only its track */
  const char *p = strstr(z, "fill=\"#3a75c4\"");
  cr_assert_not_null(p);
  cr_assert_null(strstr(p + 1, "fill=\"#3a75c4\""));
  has(z, "width=\"135.0\" height=\"18.0\" class=\"barra-avance\" fill=\"#3a75c4\"");
  has(z, "<desc id=\"g-desc\">Cumplida: 0. Vencida: 3.</desc>");
  free(z);
}

Test(chart, labels_cut_and_escaped) {
  char zLong[200];
  memset(zLong, 'a', sizeof zLong - 1);
  zLong[sizeof zLong - 1] = 0;
  ChartRow a[] = {{"<script>x</script> & \"y\"", 0.1, "10 %", 0, NULL}, {zLong, 0, "0 %", 0, NULL}};
  Chart c = {"g", "<b>", NULL, NULL, NULL, 1, 2, a};
  char *z = chart_dup(&c);
  cr_assert_null(strstr(z, "<script>"));
  cr_assert_null(strstr(z, "<b>"));
  has(z, "&lt;script&gt;x&lt;/script&gt; &amp; &quot;y&quot;");
  char zCut[CHART_LABEL_CHARS + 16];
  memset(zCut, 'a', CHART_LABEL_CHARS - 1);
  strcpy(zCut + CHART_LABEL_CHARS - 1, "…</text>");
  has(z, zCut);
  cr_assert_null(strstr(z, "style"));
  free(z);
}

Test(chart, empty_writes_nothing) {
  Chart c = {"g", "T", NULL, "Avance", NULL, 1, 0, NULL};
  char *z = chart_dup(&c);
  cr_assert_str_eq(z, "");
  free(z);
}
