/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Inline SVG bar charts (see chart.h). The geometry, in user units of a
** CHART_WIDTH-wide viewBox:
**
**   legend (when there is one)                       LEGEND_H
**   per row:  label text                             ROW_H in all
**             [track ======bar=====|marker      ]  value text
**
** The track is the outline of a full (100 %) bar, so the length of a bar
** can be read against it; the marker is a thin dark rectangle taller than
** the bar. Numbers in attributes are written with a dot and one decimal.
*/
#include "web/chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/text.h"

#define LEGEND_H   32.0                  /* height of the legend line */
#define ROW_H      52.0                  /* height of one row: label, bar, gap */
#define LABEL_BASE 16.0                  /* baseline of the label, from the row's top */
#define BAR_TOP    22.0                  /* top of the bar, from the row's top */
#define BAR_H      18.0                  /* bar height */
#define TRACK_W    (CHART_WIDTH - 100.0) /* length of a full bar */
#define VALUE_X    (TRACK_W + 10.0)      /* where the value text starts */
#define MARK_W     4.0                   /* marker width */
#define MARK_OVER  5.0                   /* how far the marker passes the bar above and below */
#define CHAR_W     9.0                   /* average glyph width, to place legend entries */

/* Bar fill: 4.6:1 against white, 4.0:1 against #121212 (WCAG 1.4.11 asks 3:1). */
#define BAR_FILL "#3a75c4"
/* Track outline: 4.6:1 against white, 4.1:1 against #121212. */
#define TRACK_STROKE "#6b7785"

/* Four scratch buffers for the numbers of one element. */
typedef struct Nums {
  Buf a[4]; /* formatted numbers */
} Nums;

/* Format v into slot i of n (one decimal, dot) and return it. */
static const char *num(Nums *n, int i, double v) {
  buf_clear(&n->a[i]);
  buf_put_fixed(&n->a[i], v, 1);
  return buf_str(&n->a[i]);
}

/* Write a rectangle. zClass, zFill and zStroke may be NULL. */
static void rect(HtmlW *w, Nums *n, double x, double y, double rW, double rH, const char *zClass,
                 const char *zFill, const char *zStroke) {
  html_open(w, HTML_RECT, HA_X, num(n, 0, x), HA_Y, num(n, 1, y), HA_WIDTH, num(n, 2, rW),
            HA_HEIGHT, num(n, 3, rH), HA_CLASS, zClass, HA_FILL, zFill, HA_STROKE, zStroke,
            HA_STROKE_WIDTH, zStroke ? "1" : NULL);
  html_close(w, HTML_RECT);
}

/* Write a text element with its baseline at (x, y). */
static void text_at(HtmlW *w, Nums *n, double x, double y, const char *zAnchor, const char *z) {
  html_open(w, HTML_TEXT, HA_X, num(n, 0, x), HA_Y, num(n, 1, y), HA_CLASS, "grafico-texto",
            HA_FILL, "currentColor", HA_TEXT_ANCHOR, zAnchor);
  html_text(w, z);
  html_close(w, HTML_TEXT);
}

/* v / rMax clamped to 0..1; 0 for NaN or a bad scale. */
static double frac(double v, double rMax) {
  if (!(rMax > 0) || !isfinite(v)) {
    return 0;
  }
  double f = v / rMax;
  return f < 0 ? 0 : (f > 1 ? 1 : f);
}

/* The description: the summary, then one sentence per row. */
static void describe(const Chart *c, Buf *pOut) {
  if (c->zSummary && c->zSummary[0]) {
    buf_puts(pOut, c->zSummary);
    buf_putc(pOut, ' ');
  }
  for (int i = 0; i < c->nRow; i++) {
    const ChartRow *pRow = &c->aRow[i];
    buf_appendf(pOut, "%s: ", pRow->zLabel ? pRow->zLabel : "");
    if (c->zBarLabel) {
      buf_appendf(pOut, "%s ", c->zBarLabel);
    }
    buf_puts(pOut, pRow->zValueText);
    if (c->zMarkLabel && pRow->zMarkText) {
      buf_appendf(pOut, ", %s %s", c->zMarkLabel, pRow->zMarkText);
    }
    buf_puts(pOut, i + 1 < c->nRow ? ". " : ".");
  }
}

/* The legend line: a bar swatch with its label, the marker with its label. */
static void legend(HtmlW *w, Nums *n, const Chart *c) {
  html_open(w, HTML_G, HA_CLASS, "leyenda");
  rect(w, n, 0, 10, 18, 14, "barra-avance", BAR_FILL, NULL);
  text_at(w, n, 24, 22, NULL, c->zBarLabel);
  if (c->zMarkLabel) {
    double x = 24 + CHAR_W * (double)text_width(c->zBarLabel) + 28;
    rect(w, n, x, 6, MARK_W, 22, NULL, "currentColor", NULL);
    text_at(w, n, x + MARK_W + 6, 22, NULL, c->zMarkLabel);
  }
  html_close(w, HTML_G);
}

void chart_bars(HtmlW *w, const Chart *c) {
  if (c->nRow <= 0) {
    return;
  }
  Nums n = {{BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT}};
  bool bLegend = c->zBarLabel != NULL;
  double rTop = bLegend ? LEGEND_H : 0;
  double rHeight = rTop + ROW_H * c->nRow;
  Buf id = BUF_INIT, box = BUF_INIT, h = BUF_INIT, desc = BUF_INIT;
  buf_appendf(&id, "%s-titulo %s-desc", c->zId, c->zId);
  buf_appendf(&box, "0 0 %d ", CHART_WIDTH);
  buf_put_fixed(&box, rHeight, 0);
  buf_put_fixed(&h, rHeight, 0);
  char zWidth[16];
  snprintf(zWidth, sizeof zWidth, "%d", CHART_WIDTH);
  html_open(w, HTML_SVG, HA_VIEWBOX, buf_str(&box), HA_WIDTH, zWidth, HA_HEIGHT, buf_str(&h),
            HA_ROLE, "img", HA_ARIA_LABELLEDBY, buf_str(&id), HA_FOCUSABLE, "false");
  buf_clear(&id);
  buf_appendf(&id, "%s-titulo", c->zId);
  html_open(w, HTML_TITLE, HA_ID, buf_str(&id));
  html_text(w, c->zTitle);
  html_close(w, HTML_TITLE);
  buf_clear(&id);
  buf_appendf(&id, "%s-desc", c->zId);
  describe(c, &desc);
  html_open(w, HTML_DESC, HA_ID, buf_str(&id));
  html_text(w, buf_str(&desc));
  html_close(w, HTML_DESC);
  if (bLegend) {
    legend(w, &n, c);
  }
  for (int i = 0; i < c->nRow; i++) {
    const ChartRow *pRow = &c->aRow[i];
    double y = rTop + ROW_H * i;
    html_open(w, HTML_G, HA_CLASS, "barra");
    char *zLabel = text_ellipsize_dup(pRow->zLabel ? pRow->zLabel : "", CHART_LABEL_CHARS);
    text_at(w, &n, 0, y + LABEL_BASE, NULL, zLabel);
    free(zLabel);
    rect(w, &n, 0.5, y + BAR_TOP + 0.5, TRACK_W - 1, BAR_H - 1, "barra-fondo", "none",
         TRACK_STROKE);
    double rLen = TRACK_W * frac(pRow->rValue, c->rMax);
    if (rLen > 0) {
      rect(w, &n, 0, y + BAR_TOP, rLen, BAR_H, "barra-avance", BAR_FILL, NULL);
    }
    if (c->zMarkLabel) {
      double x = TRACK_W * frac(pRow->rMark, c->rMax) - MARK_W / 2;
      x = x < 0 ? 0 : (x > TRACK_W - MARK_W ? TRACK_W - MARK_W : x);
      rect(w, &n, x, y + BAR_TOP - MARK_OVER, MARK_W, BAR_H + 2 * MARK_OVER, NULL, "currentColor",
           NULL);
    }
    text_at(w, &n, VALUE_X, y + BAR_TOP + BAR_H - 4, NULL, pRow->zValueText);
    html_close(w, HTML_G);
  }
  html_close(w, HTML_SVG);
  for (int k = 0; k < 4; k++) {
    buf_reset(&n.a[k]);
  }
  buf_reset(&id);
  buf_reset(&box);
  buf_reset(&h);
  buf_reset(&desc);
}
