/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Inline SVG bar charts for the public pages: one horizontal bar per row,
** the row's label above its bar, its value written after the bar, and
** optionally a marker line across the bar (the expected progress), so that
** nothing is told by colour alone. The chart is one <svg role="img"> whose
** accessible name is its <title> and whose <desc> lists every row in
** words; pages put a data table with the same figures beside it.
**
** Everything is written through the HTML writer with SVG presentation
** attributes (no inline style, which the Content-Security-Policy forbids),
** so a chart reads well without the stylesheet; the classes of
** assets/estilo.css (barra-fondo, barra-avance, grafico-texto) refine them.
** Text and marker use currentColor, so they follow the page's text colour;
** bars use one blue that keeps 3:1 contrast against both a light and a
** dark background (the stylesheet's own bar colour is darker still).
**
** This module does not compute figures, format numbers or write the data
** table: the caller gives the rows with their texts already formatted.
*/
#ifndef PARTICIPA_WEB_CHART_H
#define PARTICIPA_WEB_CHART_H

#include "web/html.h"

#define CHART_WIDTH       640 /* viewBox width, user units (CSS pixels at full size) */
#define CHART_LABEL_CHARS 76  /* a row label longer than this is cut with "…" */

/* One bar. */
typedef struct ChartRow {
  const char *zLabel;     /* what the bar is (borrowed) */
  double rValue;          /* bar length, 0..Chart.rMax (clamped) */
  const char *zValueText; /* the value as written after the bar ("45,3 %", "12") */
  double rMark;           /* marker position, 0..Chart.rMax; ignored without Chart.zMarkLabel */
  const char *zMarkText;  /* the marker's value in words for the description ("33,3 %") */
} ChartRow;

/* A chart. Strings are borrowed. */
typedef struct Chart {
  const char *zId;        /* unique on the page, [a-z0-9-]: the title is zId-titulo,
                             the description zId-desc */
  const char *zTitle;     /* accessible name, e.g. "Avance por fase PHVA" */
  const char *zSummary;   /* first sentence of the description, NULL for none */
  const char *zBarLabel;  /* what the bars measure ("Avance"), shown in the legend */
  const char *zMarkLabel; /* what the marker shows ("Esperado"), NULL for no marker */
  double rMax;            /* the value of a full-length bar (> 0; 1 for ratios) */
  int nRow;               /* rows */
  const ChartRow *aRow;   /* the rows, drawn top to bottom */
} Chart;

/* Write chart c as an inline <svg> element. Writes nothing when c has no
** rows. The ids zId-titulo and zId-desc must be unique on the page (the
** caller's to ensure). Cannot fail. */
void chart_bars(HtmlW *w, const Chart *c);

#endif
