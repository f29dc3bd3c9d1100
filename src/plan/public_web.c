/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The public plan: pages anyone can read without signing in.
**
**   /                    where the plan stands today: overall progress
**                        against what is expected, activities per status,
**                        and the roll-ups by PHVA phase, component and
**                        office, each as an SVG bar chart with a data table
**                        beside it;
**   /actividades         the activity list with filters (office, phase,
**                        status, period, accent-insensitive text search),
**                        50 per page, all through a plain GET form;
**   /actividad/{item}    one activity: every matrix field, offices, period
**                        targets, verified progress with public evidence,
**                        and its history;
**   /evidencia/{id}      an evidence file of a verified report (any report
**                        for a signed-in user);
**   /datos, /datos/plan.csv, /datos/plan.json
**                        the open data files and their documentation
**                        (docs/datos-abiertos.md says the same for data
**                        users).
**
** Every figure comes from report_build() (src/plan/report.h), so the pages,
** the CLI report and the open data agree; only verified progress counts.
** Pages that are the same for every anonymous visitor go through the page
** cache (web_cache_reply/web_cache_keep), keyed by path and the query fields
** they read. report_build() reads the whole plan (about 200 ms for 100,000
** activities): the list, the overview, the activity page and the open data
** all pay it on a cache miss. The text search also folds, on each request,
** the four texts of every activity that passed the other filters (about
** half a second more for 100,000 activities): a folded copy stored with
** each activity would make it a plain scan.
**
** This file does not write SQL (src/plan/public_db.c holds the queries),
** does not change anything (every route here is GET) and knows nothing of
** sessions beyond web_session() deciding who may see unverified evidence.
*/
#include "plan/plan_web.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "base/clock.h"
#include "base/text.h"
#include "io/csv.h"
#include "io/filestore.h"
#include "io/jsonw.h"
#include "plan/plan.h"
#include "plan/plan_db.h"
#include "plan/public_db.h"
#include "plan/report.h"
#include "web/chart.h"
#include "app/page.h"
#include "app/web.h"

/* The CSS class of a traffic light ("semaforo-rojo", ..., "semaforo-ninguno"). */
static const char *light_class(Light e) {
  switch (e) {
  case LIGHT_RED:
    return "semaforo-rojo";
  case LIGHT_YELLOW:
    return "semaforo-amarillo";
  case LIGHT_GREEN:
    return "semaforo-verde";
  default:
    return "semaforo-ninguno";
  }
}

/* The Spanish word of a traffic light ("Rojo", ..., "Sin dato"). */
static const char *light_label(Light e) {
  switch (e) {
  case LIGHT_RED:
    return "Rojo";
  case LIGHT_YELLOW:
    return "Amarillo";
  case LIGHT_GREEN:
    return "Verde";
  default:
    return "Sin dato";
  }
}

#define HTML_TYPE       "text/html; charset=utf-8" /* what pages are served as */
#define LIST_PAGE_SIZE  50                         /* activities per page of /actividades */
#define QUERY_MAX_CHARS 200                        /* longest search text accepted */
#define CHART_MAX_ROWS  30                         /* groups beyond this get only the table */
#define LIST_TEXT_CHARS 200                        /* activity text shown in the list */
/* Open data files larger than this are built for each download instead of
** kept in the page cache: a 100,000-activity plan makes a 60 MB CSV and a
** 100 MB JSON, which the cache would hold on top of the response. */
#define OPEN_DATA_CACHE_MAX ((size_t)8 * 1024 * 1024)

/* PHVA phases, in the order of Report.aPhase. */
static const char cPhaseLetter[] = "PHVA";
static const char *const azPhaseName[4] = {"Planear", "Hacer", "Verificar", "Actuar"};

/* Statuses in ActStatus order: the value in URLs and its label. */
static const char *const azStatusSlug[5] = {"sin-iniciar", "en-curso", "con-retraso", "vencida",
                                            "cumplida"};
static const char *const azStatusLabel[5] = {"Sin iniciar", "En curso", "Con retraso", "Vencida",
                                             "Cumplida"};

/* ---- small helpers ----------------------------------------------------------------- */

/* r as an es-CO percentage in b (cleared first); returns b's text. */
static const char *pct(Buf *b, double r) {
  buf_clear(b);
  fmt_percent(b, r);
  return buf_str(b);
}

/* Write a traffic light: its colour class and its word, never colour alone. */
static void light_span(HtmlW *w, Light e) {
  Buf cls = BUF_INIT;
  buf_appendf(&cls, "semaforo %s", light_class(e));
  html_open(w, HTML_SPAN, HA_CLASS, buf_str(&cls));
  html_text(w, light_label(e));
  html_close(w, HTML_SPAN);
  buf_reset(&cls);
}

/* Open the container of a table that may scroll sideways on a narrow
** screen: a named region reachable with the keyboard (WCAG 2.1.1), since a
** scrolling box must be. Close with table_box_end. */
static void table_box_begin(HtmlW *w, const char *zLabel) {
  html_open(w, HTML_DIV, HA_CLASS, "tabla-contenedor", HA_ROLE, "region", HA_ARIA_LABEL, zLabel,
            HA_TABINDEX, "0");
}

static void table_box_end(HtmlW *w) {
  html_close(w, HTML_DIV);
}

/* One headline figure of a <ul class="cifras">: its label, then the value
** in <strong>. */
static void figure_item(HtmlW *w, const char *zLabel, const char *zValue) {
  html_open(w, HTML_LI);
  html_elem_text(w, HTML_SPAN, zLabel);
  html_text(w, " ");
  html_elem_text(w, HTML_STRONG, zValue);
  html_close(w, HTML_LI);
}

/* The traffic light as a headline figure. */
static void figure_light(HtmlW *w, Light e) {
  html_open(w, HTML_LI);
  html_elem_text(w, HTML_SPAN, "Semáforo");
  html_text(w, " ");
  html_open(w, HTML_STRONG);
  light_span(w, e);
  html_close(w, HTML_STRONG);
  html_close(w, HTML_LI);
}

/* Write an ISO date ("2021-06-30", or the date part of a timestamp) as
** <time> with the long Spanish form; zNone when empty. */
static void iso_time(HtmlW *w, const char *zIso, const char *zNone) {
  if (zIso == NULL || strlen(zIso) < 10) {
    html_text(w, zNone);
    return;
  }
  char zDay[11];
  memcpy(zDay, zIso, 10);
  zDay[10] = 0;
  Buf b = BUF_INIT;
  fmt_date_long(&b, zDay);
  html_open(w, HTML_TIME, HA_DATETIME, zDay);
  html_text(w, buf_str(&b));
  html_close(w, HTML_TIME);
  buf_reset(&b);
}

/* Write an ISO UTC timestamp ("2021-06-30T12:00:00Z") as <time> with the
** long Spanish date and the hour ("30 de junio de 2021, 12:00"); anything
** else as it is. */
static void stamp_time(HtmlW *w, const char *zStamp) {
  if (strlen(zStamp) < 16 || zStamp[10] != 'T') {
    html_text(w, zStamp);
    return;
  }
  char zDay[11];
  memcpy(zDay, zStamp, 10);
  zDay[10] = 0;
  Buf b = BUF_INIT;
  fmt_date_long(&b, zDay);
  buf_appendf(&b, ", %.5s", zStamp + 11);
  html_open(w, HTML_TIME, HA_DATETIME, zStamp);
  html_text(w, buf_str(&b));
  html_close(w, HTML_TIME);
  buf_reset(&b);
}

/* Write a Day as iso_time does; zNone when not known. */
static void day_time(HtmlW *w, bool bKnown, Day d, const char *zNone) {
  if (!bKnown) {
    html_text(w, zNone);
    return;
  }
  Buf b = BUF_INIT;
  date_format_iso(d, &b);
  iso_time(w, buf_str(&b), zNone);
  buf_reset(&b);
}

/* The cache key of a page: its path and the query fields it reads (the
** notice "aviso" that page_begin shows included), in a fixed order. */
static void cache_key(Buf *pKey, Request *r, const char *zPath, int nField,
                      const char *const *azField) {
  buf_puts(pKey, zPath);
  bool bFirst = true;
  for (int i = -1; i < nField; i++) {
    const char *zName = i < 0 ? "aviso" : azField[i];
    const char *zValue = request_query(r, zName);
    if (zValue != NULL) {
      html_url_query(pKey, zName, zValue, bFirst);
      bFirst = false;
    }
  }
}

/* The office names of activity a joined with "; ". */
static void join_offices(const Report *rep, const ReportAct *a, Buf *pOut) {
  for (int k = 0; k < a->nOffice; k++) {
    if (k > 0) {
      buf_puts(pOut, "; ");
    }
    buf_puts(pOut, rep->azOffice[a->aiOffice[k]]);
  }
}

/* The page for a database that holds no plan yet. */
static void no_plan_page(Request *r, const char *zTitle, PageNav eNav) {
  Page pg;
  page_begin(&pg, r, zTitle, eNav);
  html_elem_text(&pg.w, HTML_H1, zTitle);
  html_elem_text(&pg.w, HTML_P, "Todavía no se ha publicado ningún plan.");
  page_end(&pg);
}

/* Start a cached page keyed by *pKey that shows the current plan: its id,
** or 0 when the page is answered already (from the cache, or as the page
** for a database that holds no plan yet, kept in the cache) and *pKey is
** freed. */
static int64_t plan_page_start(Request *r, Buf *pKey, const char *zTitle, PageNav eNav) {
  if (web_cache_reply(r, buf_str(pKey), HTML_TYPE)) {
    buf_reset(pKey);
    return 0;
  }
  int64_t iPlan = plan_web_current(r);
  if (iPlan == 0) {
    no_plan_page(r, zTitle, eNav);
    web_cache_keep(r, buf_str(pKey), HTML_TYPE);
    buf_reset(pKey);
  }
  return iPlan;
}

/* ---- the overview ------------------------------------------------------------------ */

/* One group of a roll-up section: the roll-up and where its name links to. */
typedef struct Group {
  const Rollup *g; /* the roll-up */
  char *zHref;     /* the filtered activity list, or NULL (owned) */
} Group;

/* Write one roll-up row: its name (a link when zHref) and its figures. */
static void rollup_row(HtmlW *w, const Rollup *g, const char *zHref, Buf *pScratch) {
  html_open(w, HTML_TR);
  html_open(w, HTML_TH, HA_SCOPE, "row");
  if (zHref) {
    html_open(w, HTML_A, HA_HREF, zHref);
    html_text(w, g->zName);
    html_close(w, HTML_A);
  } else {
    html_text(w, g->zName);
  }
  html_close(w, HTML_TH);
  html_open(w, HTML_TD, HA_CLASS, "numero");
  html_textf(w, "%d", g->nAct);
  html_close(w, HTML_TD);
  html_open(w, HTML_TD, HA_CLASS, "numero");
  html_textf(w, "%d", g->nNoData);
  html_close(w, HTML_TD);
  html_open(w, HTML_TD, HA_CLASS, "numero");
  html_text(w, pct(pScratch, g->rProgress));
  html_close(w, HTML_TD);
  html_open(w, HTML_TD, HA_CLASS, "numero");
  html_text(w, pct(pScratch, g->rExpected));
  html_close(w, HTML_TD);
  html_open(w, HTML_TD, HA_CLASS, "numero");
  html_text(w, g->bCompliance ? pct(pScratch, g->rCompliance) : "No aplica");
  html_close(w, HTML_TD);
  html_open(w, HTML_TD);
  light_span(w, g->eLight);
  html_close(w, HTML_TD);
  html_close(w, HTML_TR);
}

/* A section of roll-ups: heading, bar chart of progress with the expected
** progress as marker (up to CHART_MAX_ROWS groups), and the data table. */
static void rollup_section(HtmlW *w, const char *zId, const char *zHeading, const char *zColumn,
                           int nGroup, const Group *aGroup) {
  Buf scratch = BUF_INIT, id = BUF_INIT;
  buf_appendf(&id, "%s-titulo", zId);
  page_section_begin(w, buf_str(&id), zHeading);
  if (nGroup == 0) {
    html_elem_text(w, HTML_P, "No hay actividades en este plan.");
    html_close(w, HTML_SECTION);
    buf_reset(&id);
    return;
  }
  html_open(w, HTML_DIV, HA_CLASS, "grafico");
  if (nGroup <= CHART_MAX_ROWS) {
    ChartRow *aRow = xcalloc((size_t)nGroup, sizeof(ChartRow));
    char **azText = xcalloc((size_t)nGroup * 2, sizeof(char *));
    for (int i = 0; i < nGroup; i++) {
      const Rollup *g = aGroup[i].g;
      azText[2 * i] = xstrdup(pct(&scratch, g->rProgress));
      azText[2 * i + 1] = xstrdup(pct(&scratch, g->rExpected));
      aRow[i].zLabel = g->zName;
      aRow[i].rValue = g->rProgress;
      aRow[i].zValueText = azText[2 * i];
      aRow[i].rMark = g->rExpected;
      aRow[i].zMarkText = azText[2 * i + 1];
    }
    buf_clear(&id);
    buf_appendf(&id, "grafico-%s", zId);
    buf_clear(&scratch);
    buf_appendf(&scratch,
                "%s: avance verificado (barra) frente al avance esperado a la fecha "
                "(línea vertical).",
                zHeading);
    Chart c = {buf_str(&id), zHeading, buf_str(&scratch), "Avance", "Esperado", 1.0, nGroup, aRow};
    chart_bars(w, &c);
    for (int i = 0; i < 2 * nGroup; i++) {
      free(azText[i]);
    }
    free(azText);
    free(aRow);
  } else {
    html_open(w, HTML_P);
    html_textf(w, "Son %d grupos: se omite el gráfico; la tabla tiene todas las cifras.", nGroup);
    html_close(w, HTML_P);
  }
  table_box_begin(w, zHeading);
  const char *const azHead[] = {zColumn,    "Actividades",  "Sin datos", "Avance",
                                "Esperado", "Cumplimiento", "Semáforo"};
  page_table_begin(w, NULL, zHeading, 7, azHead, NULL);
  for (int i = 0; i < nGroup; i++) {
    rollup_row(w, aGroup[i].g, aGroup[i].zHref, &scratch);
  }
  page_table_end(w);
  table_box_end(w);
  html_close(w, HTML_DIV);
  html_close(w, HTML_SECTION);
  buf_reset(&scratch);
  buf_reset(&id);
}

/* Free the links of n groups. */
static void groups_free(int n, Group *a) {
  for (int i = 0; i < n; i++) {
    free(a[i].zHref);
  }
  free(a);
}

/* The link to the activity list filtered by one field. */
static char *filter_href_dup(const char *zField, const char *zValue) {
  Buf b = BUF_INIT;
  buf_puts(&b, "/actividades");
  html_url_query(&b, zField, zValue, true);
  return buf_take(&b);
}

/* "Avance general": the plan's figures in words, a one-bar chart, and the
** rule the figures follow. */
static void overview_total(HtmlW *w, const Report *rep) {
  const Rollup *t = &rep->total;
  Buf a = BUF_INIT, b = BUF_INIT;
  page_section_begin(w, "general-titulo", "Avance general");
  html_open(w, HTML_UL, HA_CLASS, "cifras");
  figure_item(w, "Avance verificado", pct(&a, t->rProgress));
  figure_item(w, "Avance esperado a la fecha", pct(&a, t->rExpected));
  figure_item(w, "Cumplimiento", t->bCompliance ? pct(&a, t->rCompliance) : "No aplica");
  figure_light(w, t->eLight);
  buf_clear(&a);
  buf_appendf(&a, "%d", t->nAct);
  figure_item(w, "Actividades", buf_str(&a));
  buf_clear(&a);
  buf_appendf(&a, "%d de %d", t->nNoData, t->nAct);
  figure_item(w, "Sin avance verificado", buf_str(&a));
  html_close(w, HTML_UL);
  char *zProgress = xstrdup(pct(&a, t->rProgress));
  ChartRow row = {"Total del plan", t->rProgress, zProgress, t->rExpected, pct(&b, t->rExpected)};
  Chart c = {"grafico-general",
             "Avance general del plan",
             "Avance verificado del plan (barra) frente al avance esperado a la fecha (línea "
             "vertical).",
             "Avance",
             "Esperado",
             1.0,
             1,
             &row};
  html_open(w, HTML_DIV, HA_CLASS, "grafico");
  chart_bars(w, &c);
  free(zProgress);
  html_open(w, HTML_P, HA_CLASS, "nota");
  html_textf(w,
             "Cómo se calcula: el avance de una actividad es su logro verificado por control "
             "interno dividido por su meta (máximo 100 %%); el del plan es el %s del avance de "
             "sus actividades, y una actividad sin avance verificado cuenta como 0 %%. El avance "
             "esperado suma las metas de los periodos ya cortados o, sin metas por periodo, "
             "crece en línea recta entre la fecha de inicio y la final. Cumplimiento = avance / "
             "esperado. Semáforo: rojo por debajo de %g %%, amarillo por debajo de %g %%, verde "
             "desde %g %%.",
             rep->bWeighted ? "promedio ponderado por el peso de cada actividad"
                            : "promedio simple",
             rep->rRedBelow, rep->rYellowBelow, rep->rYellowBelow);
  html_close(w, HTML_P);
  html_close(w, HTML_DIV);
  html_close(w, HTML_SECTION);
  buf_reset(&a);
  buf_reset(&b);
}

/* "Actividades por estado": a chart of counts and a table linking each
** status to the filtered list. */
static void overview_status(HtmlW *w, const Report *rep) {
  const Rollup *t = &rep->total;
  page_section_begin(w, "estados-titulo", "Actividades por estado");
  html_open(w, HTML_DIV, HA_CLASS, "grafico");
  ChartRow aRow[5];
  char azCount[5][16];
  for (int k = 0; k < 5; k++) {
    snprintf(azCount[k], sizeof azCount[k], "%d", t->anStatus[k]);
    aRow[k] = (ChartRow){azStatusLabel[k], t->anStatus[k], azCount[k], 0, NULL};
  }
  Chart c = {"grafico-estados",
             "Actividades por estado",
             "Número de actividades en cada estado; la barra completa son todas las "
             "actividades del plan.",
             NULL,
             NULL,
             t->nAct > 0 ? t->nAct : 1,
             5,
             aRow};
  chart_bars(w, &c);
  table_box_begin(w, "Actividades por estado");
  static const char *const azHead[] = {"Estado", "Actividades"};
  page_table_begin(w, NULL, "Actividades por estado", 2, azHead, NULL);
  for (int k = 0; k < 5; k++) {
    char *zHref = filter_href_dup("estado", azStatusSlug[k]);
    html_open(w, HTML_TR);
    html_open(w, HTML_TH, HA_SCOPE, "row");
    html_open(w, HTML_A, HA_HREF, zHref);
    html_text(w, azStatusLabel[k]);
    html_close(w, HTML_A);
    html_close(w, HTML_TH);
    html_open(w, HTML_TD, HA_CLASS, "numero");
    html_textf(w, "%d", t->anStatus[k]);
    html_close(w, HTML_TD);
    html_close(w, HTML_TR);
    free(zHref);
  }
  page_table_end(w);
  table_box_end(w);
  html_close(w, HTML_DIV);
  html_elem_text(w, HTML_P,
                 "Sin iniciar: aún no se espera avance y no hay avance verificado. Con retraso: "
                 "el cumplimiento está en rojo. Vencida: pasó la fecha final sin llegar al "
                 "100 %. Cumplida: llegó al 100 % de su meta.");
  html_close(w, HTML_SECTION);
}

/* An office of the report, for listing offices by name. */
typedef struct OfficeOpt {
  char *zFold; /* folded name, the sort key (owned) */
  int iOffice; /* index in Report.azOffice */
} OfficeOpt;

/* qsort comparator: by folded name. */
static int office_opt_cmp(const void *a, const void *b) {
  const OfficeOpt *x = a, *y = b;
  return strcmp(x->zFold, y->zFold);
}

/* The offices of rep that have activities, ordered by name ignoring case
** and accents (a plain sort would put "oficina" after "Secretaría"). Returns
** the count; free with office_opts_free. */
static int office_opts_new(const Report *rep, OfficeOpt **paOut) {
  OfficeOpt *a = xcalloc((size_t)rep->nOffice + 1, sizeof(OfficeOpt));
  int n = 0;
  for (int k = 0; k < rep->nOffice; k++) {
    if (rep->aOffice[k].nAct > 0) {
      a[n].zFold = text_fold_dup(rep->azOffice[k]);
      a[n++].iOffice = k;
    }
  }
  qsort(a, (size_t)n, sizeof(OfficeOpt), office_opt_cmp);
  *paOut = a;
  return n;
}

static void office_opts_free(int n, OfficeOpt *a) {
  for (int i = 0; i < n; i++) {
    free(a[i].zFold);
  }
  free(a);
}

/* The roll-up sections: by PHVA phase, by component, by office. */
static void overview_groups(HtmlW *w, const Report *rep) {
  /* phases */
  Group *a = xcalloc(5, sizeof(Group));
  int n = 0;
  for (int k = 0; k < 4; k++) {
    if (rep->aPhase[k].nAct > 0) {
      char zPhase[2] = {cPhaseLetter[k], 0};
      a[n].g = &rep->aPhase[k];
      a[n++].zHref = filter_href_dup("fase", zPhase);
    }
  }
  if (rep->unphased.nAct > 0) {
    a[n++].g = &rep->unphased;
  }
  rollup_section(w, "fases", "Avance por fase PHVA", "Fase", n, a);
  groups_free(n, a);
  /* components, in the plan's order */
  a = xcalloc((size_t)rep->nComponent + 1, sizeof(Group));
  n = 0;
  for (int k = 0; k < rep->nComponent; k++) {
    if (rep->aComponent[k].nAct > 0) {
      a[n++].g = &rep->aComponent[k];
    }
  }
  if (rep->nocomponent.nAct > 0) {
    a[n++].g = &rep->nocomponent;
  }
  rollup_section(w, "componentes", "Avance por componente", "Componente", n, a);
  groups_free(n, a);
  /* offices, by name ignoring case and accents */
  OfficeOpt *aOpt;
  n = office_opts_new(rep, &aOpt);
  a = xcalloc((size_t)n + 1, sizeof(Group));
  for (int i = 0; i < n; i++) {
    a[i].g = &rep->aOffice[aOpt[i].iOffice];
    a[i].zHref = filter_href_dup("dependencia", a[i].g->zName);
  }
  office_opts_free(n, aOpt);
  rollup_section(w, "dependencias", "Avance por dependencia", "Dependencia", n, a);
  groups_free(n, a);
}

void page_overview(Request *r) {
  Buf key = BUF_INIT;
  cache_key(&key, r, "/", 0, NULL);
  int64_t iPlan = plan_page_start(r, &key, "Avance del plan", NAV_OVERVIEW);
  if (iPlan == 0) {
    return;
  }
  Db *db = request_db(r);
  Report rep;
  report_build(db, iPlan, clock_today(), false, &rep);
  Page pg;
  HtmlW *w = &pg.w;
  Buf b = BUF_INIT;
  buf_appendf(&b, "Avance del plan %d", rep.iYear);
  page_begin(&pg, r, buf_str(&b), NAV_OVERVIEW);
  html_elem_text(w, HTML_H1, buf_str(&b));
  html_open(w, HTML_DL, HA_CLASS, "campos");
  html_elem_text(w, HTML_DT, "Entidad");
  html_elem_text(w, HTML_DD, rep.zEntity);
  if (rep.zStrategy && rep.zStrategy[0]) {
    html_elem_text(w, HTML_DT, "Estrategia");
    html_elem_text(w, HTML_DD, rep.zStrategy);
  }
  html_elem_text(w, HTML_DT, "Año");
  html_open(w, HTML_DD);
  html_textf(w, "%d", rep.iYear);
  html_close(w, HTML_DD);
  html_elem_text(w, HTML_DT, "Cifras al");
  html_open(w, HTML_DD);
  day_time(w, true, rep.at, "");
  html_close(w, HTML_DD);
  html_close(w, HTML_DL);
  html_open(w, HTML_P);
  html_text(w, "Solo cuentan los avances verificados por control interno. ");
  html_open(w, HTML_A, HA_HREF, "/actividades");
  html_text(w, "Vea cada actividad");
  html_close(w, HTML_A);
  html_text(w, " o descargue los ");
  html_open(w, HTML_A, HA_HREF, "/datos");
  html_text(w, "datos abiertos");
  html_close(w, HTML_A);
  html_text(w, ".");
  html_close(w, HTML_P);
  overview_total(w, &rep);
  overview_status(w, &rep);
  overview_groups(w, &rep);
  page_end(&pg);
  report_free(&rep);
  web_cache_keep(r, buf_str(&key), HTML_TYPE);
  buf_reset(&b);
  buf_reset(&key);
}

/* ---- the activity list ------------------------------------------------------------- */

/* The filters of /actividades as read from the query. */
typedef struct Filter {
  const char *zOffice; /* "dependencia" as given, NULL when absent or empty */
  int iOffice;         /* its index in Report.azOffice, -1 for no filter */
  const char *zPhase;  /* "fase" as given */
  char cPhase;         /* 'P' 'H' 'V' 'A', 0 for no filter */
  const char *zStatus; /* "estado" as given */
  int iStatus;         /* ActStatus, -1 for no filter */
  const char *zPeriod; /* "periodo" as given */
  int iPeriod;         /* index in aPeriod, -1 for no filter */
  char *zQuery;        /* "q" trimmed (owned), "" when absent */
  char *zFold;         /* zQuery folded (owned), NULL for no search */
  long iPage;          /* "pagina", 1-based; clamped to the pages there are */
} Filter;

/* The query fields /actividades reads, in cache key order. */
static const char *const azListField[] = {"dependencia", "fase", "estado",
                                          "periodo",     "q",    "pagina"};

/* A query field, NULL when absent or empty. */
static const char *query_nonempty(Request *r, const char *zName) {
  const char *z = request_query(r, zName);
  return (z && z[0]) ? z : NULL;
}

/* Read and check the filters; errors go to f (the filter is then not
** applied). Offices are matched by name, then ignoring case and accents. */
static void filter_read(Request *r, const Report *rep, int nPeriod, const Period *aPeriod,
                        Filter *pF, Form *f) {
  memset(pF, 0, sizeof *pF);
  pF->iOffice = pF->iStatus = pF->iPeriod = -1;
  pF->iPage = 1;
  pF->zOffice = query_nonempty(r, "dependencia");
  if (pF->zOffice) {
    char *zKey = text_fold_dup(pF->zOffice);
    for (int k = 0; k < rep->nOffice && pF->iOffice < 0; k++) {
      if (rep->aOffice[k].nAct > 0 && strcmp(rep->azOffice[k], pF->zOffice) == 0) {
        pF->iOffice = k;
      }
    }
    for (int k = 0; k < rep->nOffice && pF->iOffice < 0; k++) {
      char *zName = text_fold_dup(rep->azOffice[k]);
      if (rep->aOffice[k].nAct > 0 && strcmp(zName, zKey) == 0) {
        pF->iOffice = k;
      }
      free(zName);
    }
    free(zKey);
    if (pF->iOffice < 0) {
      form_error(f, "dependencia",
                 "Dependencia: «%s» no tiene actividades en este plan; elija una de la lista.",
                 pF->zOffice);
    }
  }
  pF->zPhase = query_nonempty(r, "fase");
  if (pF->zPhase) {
    const char *p = strlen(pF->zPhase) == 1 ? strchr(cPhaseLetter, pF->zPhase[0] & ~0x20) : NULL;
    if (p && *p) {
      pF->cPhase = *p;
    } else {
      form_error(f, "fase", "Fase: «%s» no es una fase PHVA; elija P, H, V o A en la lista.",
                 pF->zPhase);
    }
  }
  pF->zStatus = query_nonempty(r, "estado");
  if (pF->zStatus) {
    for (int k = 0; k < 5 && pF->iStatus < 0; k++) {
      if (strcmp(pF->zStatus, azStatusSlug[k]) == 0 ||
          strcmp(pF->zStatus, report_status_name((ActStatus)k)) == 0) {
        pF->iStatus = k;
      }
    }
    if (pF->iStatus < 0) {
      form_error(f, "estado", "Estado: «%s» no es un estado conocido; elija uno de la lista.",
                 pF->zStatus);
    }
  }
  pF->zPeriod = query_nonempty(r, "periodo");
  if (pF->zPeriod) {
    for (int k = 0; k < nPeriod && pF->iPeriod < 0; k++) {
      if (strcasecmp(pF->zPeriod, aPeriod[k].zCode) == 0) {
        pF->iPeriod = k;
      }
    }
    if (pF->iPeriod < 0) {
      form_error(f, "periodo",
                 "Periodo: «%s» no es un periodo de este plan; elija uno de la lista.",
                 pF->zPeriod);
    }
  }
  const char *zQ = request_query(r, "q");
  pF->zQuery = text_trim_dup(zQ ? zQ : "");
  if (text_width(pF->zQuery) > QUERY_MAX_CHARS) {
    form_error(f, "q", "Buscar: escriba como máximo %d caracteres.", QUERY_MAX_CHARS);
  } else if (pF->zQuery[0]) {
    pF->zFold = text_fold_dup(pF->zQuery);
    if (pF->zFold[0] == 0) {
      free(pF->zFold);
      pF->zFold = NULL;
    }
  }
  const char *zPage = request_query(r, "pagina");
  int64_t iPage;
  if (zPage && text_parse_id(zPage, TEXT_ID_MAX, &iPage)) {
    pF->iPage = iPage > 1000000000 ? 1000000000 : (long)iPage;
  }
}

static void filter_reset(Filter *pF) {
  free(pF->zQuery);
  free(pF->zFold);
}

/* True when activity a's dates meet period p (either date unknown: no). */
static bool meets_period(const ReportAct *a, const Period *p) {
  if (!a->bStart && !a->bEnd) {
    return false;
  }
  Day start = a->bStart ? a->start : a->end;
  Day end = a->bEnd ? a->end : a->start;
  return start <= p->end && end >= p->start;
}

/* True when the folded z contains the folded query. */
static bool text_has(const char *z, const char *zFold) {
  char *zF = text_fold_dup(z);
  bool b = strstr(zF, zFold) != NULL;
  free(zF);
  return b;
}

/* The indices (in rep->aAct) of the activities that pass the filters, in
** item order. Cheap tests first; the text search folds only the texts of
** the activities that passed them. Returns the count; *paOut is malloc'd. */
static int filter_apply(Db *db, int64_t iPlan, const Report *rep, const Period *aPeriod,
                        const Filter *pF, int **paOut) {
  int *aHit = xmalloc(sizeof(int) * (size_t)(rep->nAct > 0 ? rep->nAct : 1));
  int nHit = 0;
  for (int i = 0; i < rep->nAct; i++) {
    const ReportAct *a = &rep->aAct[i];
    if ((pF->cPhase && a->cPhase != pF->cPhase) ||
        (pF->iStatus >= 0 && (int)a->eStatus != pF->iStatus) ||
        (pF->iPeriod >= 0 && !meets_period(a, &aPeriod[pF->iPeriod]))) {
      continue;
    }
    if (pF->iOffice >= 0) {
      bool bIn = false;
      for (int k = 0; k < a->nOffice && !bIn; k++) {
        bIn = a->aiOffice[k] == pF->iOffice;
      }
      if (!bIn) {
        continue;
      }
    }
    aHit[nHit++] = i;
  }
  if (pF->zFold && nHit > 0) {
    int64_t *aId = xmalloc(sizeof(int64_t) * (size_t)nHit);
    for (int j = 0; j < nHit; j++) {
      aId[j] = rep->aAct[aHit[j]].id;
    }
    PubTexts t;
    public_texts_load(db, iPlan, nHit, aId, &t);
    int nKeep = 0;
    for (int j = 0; j < nHit; j++) {
      const ReportAct *a = &rep->aAct[aHit[j]];
      if (text_has(a->zActivity, pF->zFold) || text_has(t.azProduct[j], pF->zFold) ||
          text_has(t.azIndicator[j], pF->zFold) || text_has(t.azGoal[j], pF->zFold)) {
        aHit[nKeep++] = aHit[j];
      }
    }
    nHit = nKeep;
    public_texts_free(&t);
    free(aId);
  }
  *paOut = aHit;
  return nHit;
}

/* The list URL with the filters of pF and page iPage (1: no "pagina"). */
static void list_href(Buf *pOut, const Filter *pF, long iPage) {
  buf_puts(pOut, "/actividades");
  bool bFirst = true;
  const char *azValue[] = {pF->iOffice >= 0 ? pF->zOffice : NULL, pF->cPhase ? pF->zPhase : NULL,
                           pF->iStatus >= 0 ? pF->zStatus : NULL,
                           pF->iPeriod >= 0 ? pF->zPeriod : NULL,
                           pF->zQuery[0] ? pF->zQuery : NULL};
  for (int k = 0; k < 5; k++) {
    if (azValue[k]) {
      html_url_query(pOut, azListField[k], azValue[k], bFirst);
      bFirst = false;
    }
  }
  if (iPage > 1) {
    char zPage[24];
    snprintf(zPage, sizeof zPage, "%ld", iPage);
    html_url_query(pOut, "pagina", zPage, bFirst);
  }
}

/* The filter form: one labelled select per filter, the search box, the
** submit button and a link that clears everything. Values stay selected. */
static void filter_form(Page *pg, const Report *rep, int nPeriod, const Period *aPeriod,
                        const Filter *pF, const Form *f) {
  HtmlW *w = &pg->w;
  page_section_begin(w, "filtros-titulo", "Filtrar y buscar");
  page_form_get_begin(pg, "/actividades");
  html_open(w, HTML_DIV, HA_CLASS, "filtros");
  /* offices with activities, by name ignoring case and accents */
  OfficeOpt *aOpt;
  int nOpt = office_opts_new(rep, &aOpt);
  const char **azValue = xcalloc((size_t)nOpt + 1, sizeof(char *));
  char **azLabel = xcalloc((size_t)nOpt + 1, sizeof(char *));
  azValue[0] = "";
  azLabel[0] = xstrdup("Todas las dependencias");
  for (int k = 0; k < nOpt; k++) {
    int iOffice = aOpt[k].iOffice;
    azValue[k + 1] = rep->azOffice[iOffice];
    azLabel[k + 1] = xasprintf("%s (%d)", rep->azOffice[iOffice], rep->aOffice[iOffice].nAct);
  }
  Field fld = {.zName = "dependencia",
               .zLabel = "Dependencia",
               .zValue = pF->iOffice >= 0 ? rep->azOffice[pF->iOffice] : ""};
  page_select(pg, f, &fld, nOpt + 1, azValue, (const char *const *)azLabel);
  for (int k = 0; k <= nOpt; k++) {
    free(azLabel[k]);
  }
  office_opts_free(nOpt, aOpt);
  free(azValue);
  free(azLabel);
  /* phases */
  static const char *const azPhaseValue[] = {"", "P", "H", "V", "A"};
  static const char *const azPhaseLabel[] = {"Todas las fases", "P: Planear", "H: Hacer",
                                             "V: Verificar", "A: Actuar"};
  char zPhase[2] = {pF->cPhase, 0};
  fld = (Field){.zName = "fase", .zLabel = "Fase PHVA", .zValue = zPhase};
  page_select(pg, f, &fld, 5, azPhaseValue, azPhaseLabel);
  /* statuses */
  const char *azSValue[6] = {""}, *azSLabel[6] = {"Todos los estados"};
  for (int k = 0; k < 5; k++) {
    azSValue[k + 1] = azStatusSlug[k];
    azSLabel[k + 1] = azStatusLabel[k];
  }
  fld = (Field){.zName = "estado",
                .zLabel = "Estado",
                .zValue = pF->iStatus >= 0 ? azStatusSlug[pF->iStatus] : ""};
  page_select(pg, f, &fld, 6, azSValue, azSLabel);
  /* periods */
  const char **azPValue = xcalloc((size_t)nPeriod + 1, sizeof(char *));
  char **azPLabel = xcalloc((size_t)nPeriod + 1, sizeof(char *));
  azPValue[0] = "";
  azPLabel[0] = xstrdup("Todos los periodos");
  for (int k = 0; k < nPeriod; k++) {
    Buf b = BUF_INIT;
    buf_appendf(&b, "%s: %s (", aPeriod[k].zCode, aPeriod[k].zName);
    date_format_long(aPeriod[k].start, &b);
    buf_puts(&b, " a ");
    date_format_long(aPeriod[k].end, &b);
    buf_puts(&b, ")");
    azPValue[k + 1] = aPeriod[k].zCode;
    azPLabel[k + 1] = buf_take(&b);
  }
  fld = (Field){.zName = "periodo",
                .zLabel = "Periodo",
                .zHint = "Actividades cuyas fechas se cruzan con el periodo.",
                .zValue = pF->iPeriod >= 0 ? aPeriod[pF->iPeriod].zCode : ""};
  page_select(pg, f, &fld, nPeriod + 1, azPValue, (const char *const *)azPLabel);
  for (int k = 0; k <= nPeriod; k++) {
    free(azPLabel[k]);
  }
  free(azPValue);
  free(azPLabel);
  /* search */
  char zMax[16];
  snprintf(zMax, sizeof zMax, "%d", QUERY_MAX_CHARS);
  fld = (Field){.zName = "q",
                .zLabel = "Buscar",
                .zType = "search",
                .zValue = pF->zQuery,
                .zHint = "En la actividad, el producto, el indicador y la meta, sin importar "
                         "tildes ni mayúsculas.",
                .zMaxLength = zMax};
  page_field(pg, f, &fld);
  html_open(w, HTML_DIV, HA_CLASS, "acciones");
  page_submit(pg, "Filtrar");
  html_open(w, HTML_A, HA_HREF, "/actividades");
  html_text(w, "Quitar filtros");
  html_close(w, HTML_A);
  html_close(w, HTML_DIV);
  html_close(w, HTML_DIV);
  page_form_end(pg);
  html_close(w, HTML_SECTION);
}

/* The table of one page of activities. */
static void list_table(HtmlW *w, const Report *rep, const int *aHit, int iFrom, int iTo, long iPage,
                       long nPage) {
  static const char *const azHead[] = {"Ítem",  "Actividad", "Dependencias", "Inicio",
                                       "Final", "Avance",    "Semáforo",     "Estado"};
  Buf b = BUF_INIT;
  table_box_begin(w, "Actividades");
  if (nPage > 1) {
    buf_appendf(&b, "Actividades, página %ld de %ld", iPage, nPage);
  } else {
    buf_puts(&b, "Actividades");
  }
  page_table_begin(w, "actividades", buf_str(&b), (int)(sizeof azHead / sizeof azHead[0]), azHead,
                   NULL);
  for (int j = iFrom; j < iTo; j++) {
    const ReportAct *a = &rep->aAct[aHit[j]];
    html_open(w, HTML_TR);
    html_open(w, HTML_TD, HA_CLASS, "numero");
    html_textf(w, "%ld", a->iItem);
    html_close(w, HTML_TD);
    html_open(w, HTML_TH, HA_SCOPE, "row");
    buf_clear(&b);
    buf_appendf(&b, "/actividad/%ld", a->iItem);
    html_open(w, HTML_A, HA_HREF, buf_str(&b));
    char *zText = text_ellipsize_dup(a->zActivity, LIST_TEXT_CHARS);
    html_text(w, zText);
    free(zText);
    html_close(w, HTML_A);
    html_close(w, HTML_TH);
    buf_clear(&b);
    join_offices(rep, a, &b);
    html_elem_text(w, HTML_TD, buf_str(&b));
    html_open(w, HTML_TD);
    day_time(w, a->bStart, a->start, "Sin fecha");
    html_close(w, HTML_TD);
    html_open(w, HTML_TD);
    day_time(w, a->bEnd, a->end, "Sin fecha");
    html_close(w, HTML_TD);
    html_open(w, HTML_TD, HA_CLASS, "numero");
    html_text(w, pct(&b, a->rProgress));
    html_close(w, HTML_TD);
    html_open(w, HTML_TD);
    light_span(w, a->eLight);
    html_close(w, HTML_TD);
    html_elem_text(w, HTML_TD, azStatusLabel[a->eStatus]);
    html_close(w, HTML_TR);
  }
  page_table_end(w);
  table_box_end(w);
  buf_reset(&b);
}

/* Write one pagination link (or the current page, marked). */
static void page_link(HtmlW *w, const Filter *pF, long iPage, long iCurrent, const char *zText,
                      const char *zLabel) {
  Buf href = BUF_INIT;
  list_href(&href, pF, iPage);
  html_open(w, HTML_LI);
  html_open(w, HTML_A, HA_HREF, buf_str(&href), HA_ARIA_CURRENT,
            iPage == iCurrent && zLabel == NULL ? "page" : NULL, HA_ARIA_LABEL, zLabel);
  html_text(w, zText);
  html_close(w, HTML_A);
  html_close(w, HTML_LI);
  buf_reset(&href);
}

/* The pagination: previous, the first page, a window of two pages each side
** of the current one, the last page, next. */
static void pagination(HtmlW *w, const Filter *pF, long iPage, long nPage) {
  if (nPage <= 1) {
    return;
  }
  char z[32];
  html_open(w, HTML_NAV, HA_ARIA_LABEL, "Páginas de resultados");
  html_open(w, HTML_UL, HA_CLASS, "paginas");
  if (iPage > 1) {
    page_link(w, pF, iPage - 1, iPage, "Anterior", "Página anterior");
  }
  long iLo = iPage - 2 > 1 ? iPage - 2 : 1, iHi = iPage + 2 < nPage ? iPage + 2 : nPage;
  if (iLo > 1) {
    page_link(w, pF, 1, iPage, "1", NULL);
    if (iLo > 2) {
      html_elem_text(w, HTML_LI, "…");
    }
  }
  for (long k = iLo; k <= iHi; k++) {
    snprintf(z, sizeof z, "%ld", k);
    page_link(w, pF, k, iPage, z, NULL);
  }
  if (iHi < nPage) {
    if (iHi < nPage - 1) {
      html_elem_text(w, HTML_LI, "…");
    }
    snprintf(z, sizeof z, "%ld", nPage);
    page_link(w, pF, nPage, iPage, z, NULL);
  }
  if (iPage < nPage) {
    page_link(w, pF, iPage + 1, iPage, "Siguiente", "Página siguiente");
  }
  html_close(w, HTML_UL);
  html_close(w, HTML_NAV);
}

void page_activities(Request *r) {
  Buf key = BUF_INIT;
  cache_key(&key, r, "/actividades", (int)(sizeof azListField / sizeof azListField[0]),
            azListField);
  int64_t iPlan = plan_page_start(r, &key, "Actividades", NAV_ACTIVITIES);
  if (iPlan == 0) {
    return;
  }
  Db *db = request_db(r);
  db_begin_read(db);
  Report rep;
  report_build(db, iPlan, clock_today(), false, &rep);
  Period *aPeriod = NULL;
  int nPeriod = plan_periods(db, iPlan, &aPeriod);
  Form f = {0};
  Filter flt;
  filter_read(r, &rep, nPeriod, aPeriod, &flt, &f);
  int *aHit = NULL;
  int nHit = filter_apply(db, iPlan, &rep, aPeriod, &flt, &aHit);
  db_commit(db);
  long nPage = nHit > 0 ? (nHit + LIST_PAGE_SIZE - 1) / LIST_PAGE_SIZE : 1;
  long iPage = flt.iPage > nPage ? nPage : flt.iPage;

  Page pg;
  HtmlW *w = &pg.w;
  page_begin(&pg, r, f.nErr ? "Actividades (error en los filtros)" : "Actividades", NAV_ACTIVITIES);
  html_open(w, HTML_H1);
  html_textf(w, "Actividades del plan %d", rep.iYear);
  html_close(w, HTML_H1);
  page_form_errors(&pg, &f);
  filter_form(&pg, &rep, nPeriod, aPeriod, &flt, &f);
  page_section_begin(w, "resultado-titulo", "Resultado");
  html_open(w, HTML_P, HA_ID, "resultado", HA_CLASS, "resultado");
  html_textf(w, "%d de %d actividad%s", nHit, rep.nAct, rep.nAct == 1 ? "" : "es");
  if (nPage > 1) {
    html_textf(w, "; página %ld de %ld", iPage, nPage);
  }
  html_text(w, ". Cifras al ");
  day_time(w, true, rep.at, "");
  html_text(w, ".");
  html_close(w, HTML_P);
  if (nHit == 0) {
    html_elem_text(w, HTML_P, "Ninguna actividad cumple los filtros. Pruebe con menos filtros.");
  } else {
    int iFrom = (int)((iPage - 1) * LIST_PAGE_SIZE);
    int iTo = iFrom + LIST_PAGE_SIZE < nHit ? iFrom + LIST_PAGE_SIZE : nHit;
    list_table(w, &rep, aHit, iFrom, iTo, iPage, nPage);
    pagination(w, &flt, iPage, nPage);
  }
  html_close(w, HTML_SECTION);
  if (f.nErr) {
    response_status(r, 400);
  }
  page_end(&pg);
  web_cache_keep(r, buf_str(&key), HTML_TYPE);
  free(aHit);
  filter_reset(&flt);
  form_reset(&f);
  plan_periods_free(nPeriod, aPeriod);
  report_free(&rep);
  buf_reset(&key);
}

/* ---- one activity ------------------------------------------------------------------ */

/* "Estado al ...": where the activity stands, from the report. */
static void activity_standing(HtmlW *w, const Report *rep, const ReportAct *a,
                              const PubActivity *pAct) {
  Buf b = BUF_INIT;
  html_open(w, HTML_SECTION, HA_ARIA_LABELLEDBY, "estado-titulo");
  html_open(w, HTML_H2, HA_ID, "estado-titulo");
  html_text(w, "Estado al ");
  day_time(w, true, rep->at, "");
  html_close(w, HTML_H2);
  html_open(w, HTML_UL, HA_CLASS, "cifras");
  figure_item(w, "Estado", azStatusLabel[a->eStatus]);
  buf_clear(&b);
  fmt_number(&b, a->rAchieved);
  buf_puts(&b, " de ");
  fmt_number(&b, a->rTarget);
  figure_item(w, "Logro verificado", buf_str(&b));
  figure_item(w, "Avance verificado", pct(&b, a->rProgress));
  figure_item(w, "Avance esperado a la fecha", pct(&b, a->rExpected));
  figure_item(w, "Cumplimiento", a->bCompliance ? pct(&b, a->rCompliance) : "No aplica");
  figure_light(w, a->eLight);
  html_close(w, HTML_UL);
  if (pAct->nPending > 0) {
    html_open(w, HTML_P);
    if (pAct->nPending == 1) {
      html_text(w, "Hay 1 reporte de avance esperando verificación; no cuenta hasta que control "
                   "interno lo verifique.");
    } else {
      html_textf(w,
                 "Hay %d reportes de avance esperando verificación; no cuentan hasta que "
                 "control interno los verifique.",
                 pAct->nPending);
    }
    html_close(w, HTML_P);
  }
  html_close(w, HTML_SECTION);
  buf_reset(&b);
}

/* "Datos de la matriz": every field with its title in the plan matrix. */
static void activity_fields(HtmlW *w, const PubActivity *pAct) {
  Buf b = BUF_INIT;
  page_section_begin(w, "matriz-titulo", "Datos de la matriz del plan");
  html_open(w, HTML_DL, HA_CLASS, "campos");
  for (int f = 0; f < PF_COUNT; f++) {
    const char *z = pAct->azField[f];
    /* the short name of the component is lower case in azPlanFieldName */
    html_elem_text(w, HTML_DT, f == PF_COMPONENT ? "COMPONENTE" : azPlanFieldName[f]);
    html_open(w, HTML_DD);
    if (f == PF_PHASE && z[0]) {
      const char *p = strchr(cPhaseLetter, z[0]);
      html_textf(w, "%s: %s", z, p ? azPhaseName[p - cPhaseLetter] : "");
    } else if (f == PF_START || f == PF_END) {
      iso_time(w, z, "Sin fecha");
    } else {
      html_text(w, z[0] ? z : "Sin dato");
    }
    html_close(w, HTML_DD);
  }
  html_elem_text(w, HTML_DT, "Meta numérica");
  buf_clear(&b);
  fmt_number(&b, pAct->rTarget);
  html_elem_text(w, HTML_DD, buf_str(&b));
  html_close(w, HTML_DL);
  html_close(w, HTML_SECTION);
  page_section_begin(w, "dependencias-titulo", "Dependencias responsables");
  if (pAct->nOffice == 0) {
    html_elem_text(w, HTML_P, "La matriz no nombra dependencias para esta actividad.");
  } else {
    html_open(w, HTML_UL);
    for (int i = 0; i < pAct->nOffice; i++) {
      html_open(w, HTML_LI);
      char *zHref = filter_href_dup("dependencia", pAct->azOffice[i]);
      html_open(w, HTML_A, HA_HREF, zHref);
      html_text(w, pAct->azOffice[i]);
      html_close(w, HTML_A);
      free(zHref);
      html_close(w, HTML_LI);
    }
    html_close(w, HTML_UL);
  }
  html_close(w, HTML_SECTION);
  buf_reset(&b);
}

/* "Metas y logros por periodo". */
static void activity_periods(HtmlW *w, const PubActivity *pAct) {
  Buf b = BUF_INIT;
  page_section_begin(w, "periodos-titulo", "Metas y logros por periodo");
  table_box_begin(w, "Metas y logros por periodo");
  static const char *const azHead[] = {"Periodo", "Fecha de corte", "Meta del periodo",
                                       "Logro verificado"};
  page_table_begin(w, NULL, "Meta de cada periodo (no acumulada) y logro verificado", 4, azHead,
                   NULL);
  for (int i = 0; i < pAct->nPeriod; i++) {
    const PubPeriod *p = &pAct->aPeriod[i];
    html_open(w, HTML_TR);
    html_open(w, HTML_TH, HA_SCOPE, "row");
    html_textf(w, "%s: %s", p->zCode, p->zName);
    html_close(w, HTML_TH);
    html_open(w, HTML_TD);
    iso_time(w, p->zEnd, "");
    html_close(w, HTML_TD);
    buf_clear(&b);
    if (p->bTarget) {
      fmt_number(&b, p->rTarget);
    } else {
      buf_puts(&b, "Sin meta");
    }
    html_open(w, HTML_TD, HA_CLASS, "numero");
    html_text(w, buf_str(&b));
    html_close(w, HTML_TD);
    buf_clear(&b);
    fmt_number(&b, p->rVerified);
    html_open(w, HTML_TD, HA_CLASS, "numero");
    html_text(w, buf_str(&b));
    html_close(w, HTML_TD);
    html_close(w, HTML_TR);
  }
  page_table_end(w);
  table_box_end(w);
  html_close(w, HTML_SECTION);
  buf_reset(&b);
}

/* The evidence of one report: files link to /evidencia/{id}, links to
** their address. */
static void report_evidence(HtmlW *w, const PubReport *pRep) {
  if (pRep->nEvidence == 0) {
    html_text(w, "Sin evidencia");
    return;
  }
  Buf b = BUF_INIT;
  html_open(w, HTML_UL, HA_CLASS, "evidencias");
  for (int k = 0; k < pRep->nEvidence; k++) {
    const PubEvidence *e = &pRep->aEvidence[k];
    html_open(w, HTML_LI);
    buf_clear(&b);
    if (e->bFile) {
      buf_appendf(&b, "/evidencia/%lld", (long long)e->id);
      html_open(w, HTML_A, HA_HREF, buf_str(&b));
      html_text(w, e->zName);
      html_close(w, HTML_A);
      buf_clear(&b);
      buf_puts(&b, " (");
      fmt_number(&b, e->nSize >= 1024 ? round((double)e->nSize / 1024.0) : (double)e->nSize);
      buf_appendf(&b, " %s, %s)", e->nSize >= 1024 ? "KB" : "bytes", e->zMime);
      html_text(w, buf_str(&b));
    } else {
      html_open(w, HTML_A, HA_HREF, e->zName, HA_REL, "nofollow noopener noreferrer");
      html_text(w, e->zName);
      html_close(w, HTML_A);
      html_text(w, " (enlace externo)");
    }
    html_close(w, HTML_LI);
  }
  html_close(w, HTML_UL);
  buf_reset(&b);
}

/* "Avances verificados": value, period, note, verification date and
** reviewer, and the evidence. */
static void activity_reports(HtmlW *w, const PubActivity *pAct) {
  Buf b = BUF_INIT;
  page_section_begin(w, "avances-titulo", "Avances verificados");
  if (pAct->nReport == 0) {
    html_elem_text(w, HTML_P, "Todavía no hay avances verificados de esta actividad.");
  } else {
    table_box_begin(w, "Avances verificados");
    static const char *const azHead[] = {"Periodo",       "Valor",          "Nota de quien reportó",
                                         "Verificado el", "Verificado por", "Evidencia"};
    page_table_begin(w, NULL, "Avances verificados por control interno", 6, azHead, NULL);
    for (int i = 0; i < pAct->nReport; i++) {
      const PubReport *pRep = &pAct->aReport[i];
      html_open(w, HTML_TR);
      html_open(w, HTML_TH, HA_SCOPE, "row");
      html_text(w, pRep->zPeriod);
      html_close(w, HTML_TH);
      buf_clear(&b);
      fmt_number(&b, pRep->rValue);
      html_open(w, HTML_TD, HA_CLASS, "numero");
      html_text(w, buf_str(&b));
      html_close(w, HTML_TD);
      html_elem_text(w, HTML_TD, pRep->zNote);
      html_open(w, HTML_TD);
      iso_time(w, pRep->zReviewedAt, "");
      html_close(w, HTML_TD);
      html_elem_text(w, HTML_TD, pRep->zReviewer);
      html_open(w, HTML_TD);
      report_evidence(w, pRep);
      html_close(w, HTML_TD);
      html_close(w, HTML_TR);
    }
    page_table_end(w);
    table_box_end(w);
  }
  html_close(w, HTML_SECTION);
  buf_reset(&b);
}

/* "Historia": the change log entries about the activity and its reports. */
static void activity_history(HtmlW *w, const PubActivity *pAct) {
  page_section_begin(w, "historia-titulo", "Historia de la actividad");
  if (pAct->nChange == 0) {
    html_elem_text(w, HTML_P, "Sin cambios desde que se cargó el plan.");
  } else {
    table_box_begin(w, "Historia de la actividad");
    static const char *const azHead[] = {"Fecha (UTC)", "Usuario", "Acción", "Detalle"};
    page_table_begin(w, NULL, "Cambios registrados, del más antiguo al más reciente", 4, azHead,
                     NULL);
    for (int i = 0; i < pAct->nChange; i++) {
      const PubChange *c = &pAct->aChange[i];
      html_open(w, HTML_TR);
      html_open(w, HTML_TD);
      stamp_time(w, c->zAt);
      html_close(w, HTML_TD);
      html_elem_text(w, HTML_TD, c->zActor);
      html_elem_text(w, HTML_TD, c->zAction);
      html_elem_text(w, HTML_TD, c->zDetail);
      html_close(w, HTML_TR);
    }
    page_table_end(w);
    table_box_end(w);
  }
  html_close(w, HTML_SECTION);
}

void page_activity(Request *r) {
  Db *db = request_db(r);
  int64_t iPlan = plan_web_current(r);
  int64_t iItem = request_param_int(r, "item");
  if (iPlan == 0 || iItem == 0) {
    response_error(r, 404, "No existe esa actividad en el plan.");
    return;
  }
  Buf key = BUF_INIT;
  cache_key(&key, r, request_path(r), 0, NULL);
  if (web_cache_reply(r, buf_str(&key), HTML_TYPE)) {
    buf_reset(&key);
    return;
  }
  db_begin_read(db);
  PubActivity act;
  if (!public_activity_load(db, iPlan, (long)iItem, &act)) {
    db_commit(db);
    response_error(r, 404, "No existe esa actividad en el plan.");
    buf_reset(&key);
    return;
  }
  Report rep;
  report_build(db, iPlan, clock_today(), false, &rep);
  db_commit(db);
  const ReportAct *a = NULL;
  for (int i = 0; i < rep.nAct && a == NULL; i++) {
    if (rep.aAct[i].id == act.id) {
      a = &rep.aAct[i];
    }
  }
  ASSERT(a != NULL); /* one snapshot: the report has every activity */
  Page pg;
  HtmlW *w = &pg.w;
  Buf title = BUF_INIT;
  buf_appendf(&title, "Actividad %ld", act.iItem);
  page_begin(&pg, r, buf_str(&title), NAV_ACTIVITIES);
  html_elem_text(w, HTML_H1, buf_str(&title));
  html_elem_text(w, HTML_P, act.azField[PF_ACTIVITY]);
  activity_standing(w, &rep, a, &act);
  activity_fields(w, &act);
  activity_periods(w, &act);
  activity_reports(w, &act);
  activity_history(w, &act);
  html_open(w, HTML_P);
  html_open(w, HTML_A, HA_HREF, "/actividades");
  html_text(w, "Volver a la lista de actividades");
  html_close(w, HTML_A);
  html_close(w, HTML_P);
  page_end(&pg);
  web_cache_keep(r, buf_str(&key), HTML_TYPE);
  report_free(&rep);
  public_activity_free(&act);
  buf_reset(&title);
  buf_reset(&key);
}

/* ---- evidence files ---------------------------------------------------------------- */

void page_evidence(Request *r) {
  static const char zMissing[] = "No existe esa evidencia o todavía no es pública.";
  int64_t iEvidence = request_param_int(r, "id");
  PubEvidenceFile ev;
  if (!public_evidence_find(request_db(r), iEvidence, &ev)) {
    response_error(r, 404, zMissing);
    return;
  }
  bool bSignedIn = web_session(r) != NULL;
  if (!ev.bFile || (!ev.bVerified && !bSignedIn) || !filestore_is_name(ev.zSha256)) {
    public_evidence_file_free(&ev);
    response_error(r, 404, zMissing);
    return;
  }
  Buf path = BUF_INIT;
  buf_appendf(&path, "%s/evidencias/%.2s/%s", web_app(r)->zDataDir, ev.zSha256, ev.zSha256);
  /* what a browser shows safely by itself opens in place; the rest downloads */
  bool bInline = strcmp(ev.zMime, "application/pdf") == 0 || strcmp(ev.zMime, "image/png") == 0 ||
                 strcmp(ev.zMime, "image/jpeg") == 0;
  if (!page_send_file(r, buf_str(&path), ev.zMime, ev.zName, bInline)) {
    /* the database names a file the data directory lacks: an operational
    ** problem for the log, not something to describe to the public */
    fprintf(stderr, "participa: evidencia %lld: no se puede leer «%s»: %s\n", (long long)iEvidence,
            buf_str(&path), os_error(errno));
    response_error(r, 500, "No se pudo leer el archivo de la evidencia.");
  } else if (!ev.bVerified) {
    response_header(r, "Cache-Control", "private, no-store");
  }
  buf_reset(&path);
  public_evidence_file_free(&ev);
}

/* ---- open data ---------------------------------------------------------------------- */

/* The columns of plan.csv (and the keys of each activity in plan.json), in
** order. The per-period columns follow: meta_<code> for every period, then
** logrado_<code> for every period, with the plan's period codes (T1..T4
** for quarters). The /datos page and docs/datos-abiertos.md document these;
** the names are stable: add columns at the end, never rename. */
static const struct {
  const char *zName; /* column name */
  const char *zType; /* its type, in words */
  const char *zDesc; /* what it holds */
} aOpenCol[] = {
    {"item", "entero",
     "Número de la actividad en la matriz del plan (ITEM), como lo numeró la "
     "entidad; puede tener saltos."},
    {"componente", "texto",
     "Componente: el objetivo que agrupa actividades (DESCRIPCIÓN DE LOS "
     "CRITERIOS DIFERENCIALES QUE LE APLICAN). Vacío si no tiene."},
    {"fase", "texto",
     "Fase del ciclo PHVA (CICLO DE PROCESO): P (Planear), H (Hacer), V "
     "(Verificar) o A (Actuar). Vacío si no se indicó."},
    {"actividad", "texto", "ACTIVIDAD, como la escribió la entidad."},
    {"producto", "texto", "PRODUCTO esperado."},
    {"indicador", "texto", "DESCRIPCIÓN DEL INDICADOR."},
    {"meta_descripcion", "texto", "DESCRIPCIÓN DE LA META."},
    {"fecha_inicio", "fecha", "FECHA INICIO, AAAA-MM-DD. Vacía si no se conoce."},
    {"fecha_final", "fecha", "FECHA FINAL, AAAA-MM-DD. Vacía si no se conoce."},
    {"dependencias", "texto (lista)",
     "Dependencias responsables, con el nombre del catálogo de "
     "la entidad. En CSV separadas por «; »; en JSON, una lista."},
    {"meta", "número",
     "Meta numérica de la actividad, leída de META DEL INDICADOR (1 cuando la "
     "meta es hecho / no hecho)."},
    {"avance_verificado", "número",
     "Suma de los avances verificados por control interno en los "
     "periodos ya iniciados a la fecha de corte."},
    {"avance_porcentaje", "número",
     "avance_verificado / meta × 100, máximo 100, con dos "
     "decimales."},
    {"esperado_porcentaje", "número",
     "Avance esperado a la fecha de corte × 100, con dos "
     "decimales: la suma de las metas de los periodos ya "
     "cortados / meta o, sin metas por periodo, lineal entre "
     "fecha_inicio y fecha_final."},
    {"cumplimiento_porcentaje", "número",
     "avance / esperado × 100, máximo 100, con dos "
     "decimales. Vacío (null en JSON) mientras no se espera "
     "avance."},
    {"semaforo", "texto",
     "Semáforo del cumplimiento: rojo, amarillo o verde según los umbrales "
     "de la entidad; «sin dato» mientras no se espera avance."},
    {"estado", "texto",
     "sin iniciar, en curso, con retraso (cumplimiento en rojo), vencida "
     "(pasó la fecha final sin llegar al 100 %) o cumplida."},
};
#define N_OPEN_COL ((int)(sizeof aOpenCol / sizeof aOpenCol[0]))

/* Everything the open data files hold, read in one snapshot. */
typedef struct OpenData {
  bool bPlan;           /* a plan exists (else everything below is empty) */
  Report rep;           /* the standing today */
  PubTexts texts;       /* product, indicator, goal per activity (in rep.aAct order) */
  PubPeriodValues vals; /* targets and verified values per period */
  int nPeriod;          /* periods */
  Period *aPeriod;      /* with their names and dates */
} OpenData;

static void open_data_load(Request *r, OpenData *od) {
  memset(od, 0, sizeof *od);
  Db *db = request_db(r);
  int64_t iPlan = plan_web_current(r);
  if (iPlan == 0) {
    return;
  }
  od->bPlan = true;
  db_begin_read(db);
  report_build(db, iPlan, clock_today(), false, &od->rep);
  int64_t *aId = xmalloc(sizeof(int64_t) * (size_t)(od->rep.nAct > 0 ? od->rep.nAct : 1));
  for (int i = 0; i < od->rep.nAct; i++) {
    aId[i] = od->rep.aAct[i].id;
  }
  public_texts_load(db, iPlan, od->rep.nAct, aId, &od->texts);
  public_period_values_load(db, iPlan, od->rep.nAct, aId, &od->vals);
  od->nPeriod = plan_periods(db, iPlan, &od->aPeriod);
  db_commit(db);
  free(aId);
}

static void open_data_free(OpenData *od) {
  if (od->bPlan) {
    report_free(&od->rep);
    public_texts_free(&od->texts);
    public_period_values_free(&od->vals);
    plan_periods_free(od->nPeriod, od->aPeriod);
  }
  memset(od, 0, sizeof *od);
}

/* The per-period column names: meta_<code>... then logrado_<code>...
** (2 * vals.nPeriod strings, caller frees with free_names). */
static char **period_columns_dup(const PubPeriodValues *v) {
  char **az = xcalloc((size_t)(2 * v->nPeriod) + 1, sizeof(char *));
  for (int k = 0; k < v->nPeriod; k++) {
    az[k] = xasprintf("meta_%s", v->azCode[k]);
    az[v->nPeriod + k] = xasprintf("logrado_%s", v->azCode[k]);
  }
  return az;
}

static void free_names(int n, char **az) {
  for (int i = 0; i < n; i++) {
    free(az[i]);
  }
  free(az);
}

/* A number as the open data write it: shortest form, "." as decimal point. */
static char *num_dup(double v) {
  return xasprintf("%.15g", v);
}

/* A ratio as a percentage with two decimals. */
static char *pct_dup(double r) {
  Buf b = BUF_INIT;
  buf_put_fixed(&b, r * 100.0, 2);
  return buf_take(&b);
}

/* The CSV cells of activity i (N_OPEN_COL + 2 * nPeriod strings, owned). */
static char **open_row_dup(const OpenData *od, int i) {
  const Report *rep = &od->rep;
  const ReportAct *a = &rep->aAct[i];
  int nPeriod = od->vals.nPeriod;
  char **az = xcalloc((size_t)(N_OPEN_COL + 2 * nPeriod), sizeof(char *));
  Buf b = BUF_INIT;
  az[0] = xasprintf("%ld", a->iItem);
  az[1] = xstrdup(a->iComponent >= 0 ? rep->azComponent[a->iComponent] : "");
  char zPhase[2] = {a->cPhase, 0};
  az[2] = xstrdup(zPhase);
  az[3] = xstrdup(a->zActivity);
  az[4] = xstrdup(od->texts.azProduct[i]);
  az[5] = xstrdup(od->texts.azIndicator[i]);
  az[6] = xstrdup(od->texts.azGoal[i]);
  if (a->bStart) {
    date_format_iso(a->start, &b);
  }
  az[7] = buf_take(&b);
  if (a->bEnd) {
    date_format_iso(a->end, &b);
  }
  az[8] = buf_take(&b);
  join_offices(rep, a, &b);
  az[9] = buf_take(&b);
  az[10] = num_dup(a->rTarget);
  az[11] = num_dup(a->rAchieved);
  az[12] = pct_dup(a->rProgress);
  az[13] = pct_dup(a->rExpected);
  az[14] = a->bCompliance ? pct_dup(a->rCompliance) : xstrdup("");
  az[15] = xstrdup(report_light_name(a->eLight));
  az[16] = xstrdup(report_status_name(a->eStatus));
  for (int k = 0; k < nPeriod; k++) {
    size_t iCell = (size_t)i * (size_t)nPeriod + (size_t)k;
    az[N_OPEN_COL + k] = od->vals.abTarget[iCell] ? num_dup(od->vals.aTarget[iCell]) : xstrdup("");
    az[N_OPEN_COL + nPeriod + k] = num_dup(od->vals.aVerified[iCell]);
  }
  return az;
}

/* The headers of an open data file: named "plan-2021.csv" (the plan's
** year) and offered for download (bAttachment) or shown; readable from any origin (the data are
** public and no cookie is ever needed). */
static void open_data_headers(Request *r, const char *zExt, bool bAttachment) {
  Db *db = request_db(r);
  int64_t iPlan = plan_web_current(r);
  int iYear = iPlan ? public_plan_year(db, iPlan) : 0;
  Buf b = BUF_INIT;
  if (iYear > 0) {
    buf_appendf(&b, "%s; filename=\"plan-%d.%s\"", bAttachment ? "attachment" : "inline", iYear,
                zExt);
  } else {
    buf_appendf(&b, "%s; filename=\"plan.%s\"", bAttachment ? "attachment" : "inline", zExt);
  }
  response_header(r, "Content-Disposition", buf_str(&b));
  response_header(r, "Access-Control-Allow-Origin", "*");
  buf_reset(&b);
}

void page_open_data_csv(Request *r) {
  static const char zType[] = "text/csv; charset=utf-8";
  if (!web_cache_reply(r, "/datos/plan.csv", zType)) {
    OpenData od;
    open_data_load(r, &od);
    int nPeriod = od.vals.nPeriod;
    int nCol = N_OPEN_COL + 2 * nPeriod;
    Buf *pOut = request_body_out(r);
    buf_clear(pOut);
    const char **azHead = xcalloc((size_t)nCol, sizeof(char *));
    char **azPeriodCol = period_columns_dup(&od.vals);
    for (int c = 0; c < nCol; c++) {
      azHead[c] = c < N_OPEN_COL ? aOpenCol[c].zName : azPeriodCol[c - N_OPEN_COL];
    }
    csv_write_row(pOut, nCol, azHead, ',');
    free(azHead);
    free_names(2 * nPeriod, azPeriodCol);
    for (int i = 0; i < od.rep.nAct; i++) {
      char **az = open_row_dup(&od, i);
      csv_write_row(pOut, nCol, (const char *const *)az, ',');
      free_names(nCol, az);
    }
    response_status(r, 200);
    response_type(r, zType);
    if (pOut->n <= OPEN_DATA_CACHE_MAX) {
      web_cache_keep(r, "/datos/plan.csv", zType);
    }
    open_data_free(&od);
  }
  open_data_headers(r, "csv", true);
}

/* A JSON value for a CSV cell: null when empty, else a string. */
static void json_text_or_null(JsonW *j, const char *z) {
  if (z[0]) {
    jsonw_string(j, z);
  } else {
    jsonw_null(j);
  }
}

/* Activity i as a JSON object with the CSV's column names as keys
** (azPeriodCol: the per-period ones): numbers as numbers, empty cells as
** null, dependencias as a list. */
static void json_activity(JsonW *j, const OpenData *od, char *const *azPeriodCol, int i) {
  const ReportAct *a = &od->rep.aAct[i];
  int nPeriod = od->vals.nPeriod;
  jsonw_object_begin(j);
  jsonw_key(j, "item");
  jsonw_int(j, a->iItem);
  jsonw_key(j, "componente");
  json_text_or_null(j, a->iComponent >= 0 ? od->rep.azComponent[a->iComponent] : "");
  char zPhase[2] = {a->cPhase, 0};
  jsonw_key(j, "fase");
  json_text_or_null(j, zPhase);
  jsonw_key(j, "actividad");
  jsonw_string(j, a->zActivity);
  jsonw_key(j, "producto");
  jsonw_string(j, od->texts.azProduct[i]);
  jsonw_key(j, "indicador");
  jsonw_string(j, od->texts.azIndicator[i]);
  jsonw_key(j, "meta_descripcion");
  jsonw_string(j, od->texts.azGoal[i]);
  Buf b = BUF_INIT;
  jsonw_key(j, "fecha_inicio");
  if (a->bStart) {
    date_format_iso(a->start, &b);
  }
  json_text_or_null(j, buf_str(&b));
  buf_clear(&b);
  jsonw_key(j, "fecha_final");
  if (a->bEnd) {
    date_format_iso(a->end, &b);
  }
  json_text_or_null(j, buf_str(&b));
  buf_reset(&b);
  jsonw_key(j, "dependencias");
  jsonw_array_begin(j);
  for (int k = 0; k < a->nOffice; k++) {
    jsonw_string(j, od->rep.azOffice[a->aiOffice[k]]);
  }
  jsonw_array_end(j);
  jsonw_key(j, "meta");
  jsonw_number(j, a->rTarget);
  jsonw_key(j, "avance_verificado");
  jsonw_number(j, a->rAchieved);
  jsonw_key(j, "avance_porcentaje");
  jsonw_fixed(j, a->rProgress * 100.0, 2);
  jsonw_key(j, "esperado_porcentaje");
  jsonw_fixed(j, a->rExpected * 100.0, 2);
  jsonw_key(j, "cumplimiento_porcentaje");
  if (a->bCompliance) {
    jsonw_fixed(j, a->rCompliance * 100.0, 2);
  } else {
    jsonw_null(j);
  }
  jsonw_key(j, "semaforo");
  jsonw_string(j, report_light_name(a->eLight));
  jsonw_key(j, "estado");
  jsonw_string(j, report_status_name(a->eStatus));
  for (int k = 0; k < nPeriod; k++) {
    size_t iCell = (size_t)i * (size_t)nPeriod + (size_t)k;
    jsonw_key(j, azPeriodCol[k]);
    if (od->vals.abTarget[iCell]) {
      jsonw_number(j, od->vals.aTarget[iCell]);
    } else {
      jsonw_null(j);
    }
  }
  for (int k = 0; k < nPeriod; k++) {
    jsonw_key(j, azPeriodCol[nPeriod + k]);
    jsonw_number(j, od->vals.aVerified[(size_t)i * (size_t)nPeriod + (size_t)k]);
  }
  jsonw_object_end(j);
}

void page_open_data_json(Request *r) {
  static const char zType[] = "application/json; charset=utf-8";
  if (!web_cache_reply(r, "/datos/plan.json", zType)) {
    OpenData od;
    open_data_load(r, &od);
    Buf *pOut = request_body_out(r);
    buf_clear(pOut);
    JsonW j;
    jsonw_init(&j, pOut);
    jsonw_set_pretty_depth(&j, 2);
    jsonw_object_begin(&j);
    jsonw_key(&j, "formato");
    jsonw_string(&j, "participa-datos-abiertos");
    jsonw_key(&j, "version");
    jsonw_int(&j, 1);
    jsonw_key(&j, "documentacion");
    jsonw_string(&j, "/datos");
    jsonw_key(&j, "entidad");
    jsonw_string(&j, od.bPlan ? od.rep.zEntity : NULL);
    jsonw_key(&j, "estrategia");
    jsonw_string(&j, od.bPlan ? od.rep.zStrategy : NULL);
    jsonw_key(&j, "anio");
    if (od.bPlan) {
      jsonw_int(&j, od.rep.iYear);
    } else {
      jsonw_null(&j);
    }
    Buf b = BUF_INIT;
    date_format_iso(od.bPlan ? od.rep.at : clock_today(), &b);
    jsonw_key(&j, "fecha_corte");
    jsonw_string(&j, buf_str(&b));
    buf_reset(&b);
    jsonw_key(&j, "periodos");
    jsonw_array_begin(&j);
    for (int k = 0; k < od.nPeriod; k++) {
      jsonw_object_begin(&j);
      jsonw_key(&j, "codigo");
      jsonw_string(&j, od.aPeriod[k].zCode);
      jsonw_key(&j, "nombre");
      jsonw_string(&j, od.aPeriod[k].zName);
      date_format_iso(od.aPeriod[k].start, &b);
      jsonw_key(&j, "inicio");
      jsonw_string(&j, buf_str(&b));
      buf_clear(&b);
      date_format_iso(od.aPeriod[k].end, &b);
      jsonw_key(&j, "corte");
      jsonw_string(&j, buf_str(&b));
      buf_reset(&b);
      jsonw_object_end(&j);
    }
    jsonw_array_end(&j);
    jsonw_key(&j, "actividades");
    jsonw_array_begin(&j);
    char **azPeriodCol = period_columns_dup(&od.vals);
    for (int i = 0; i < od.rep.nAct; i++) {
      json_activity(&j, &od, azPeriodCol, i);
    }
    free_names(2 * od.vals.nPeriod, azPeriodCol);
    jsonw_array_end(&j);
    jsonw_object_end(&j);
    buf_putc(pOut, '\n');
    response_status(r, 200);
    response_type(r, zType);
    if (pOut->n <= OPEN_DATA_CACHE_MAX) {
      web_cache_keep(r, "/datos/plan.json", zType);
    }
    open_data_free(&od);
  }
  open_data_headers(r, "json", false);
}

/* Write one row of a documentation table: name (as code), type, description. */
static void doc_row(HtmlW *w, const char *zName, const char *zType, const char *zDesc) {
  html_open(w, HTML_TR);
  html_open(w, HTML_TH, HA_SCOPE, "row");
  html_elem_text(w, HTML_CODE, zName);
  html_close(w, HTML_TH);
  html_elem_text(w, HTML_TD, zType);
  html_elem_text(w, HTML_TD, zDesc);
  html_close(w, HTML_TR);
}

/* Open a documentation table with its caption and header row. */
static void doc_table_begin(HtmlW *w, const char *zCaption, const char *zFirst) {
  table_box_begin(w, zCaption);
  const char *const azHead[] = {zFirst, "Tipo", "Descripción"};
  page_table_begin(w, "documentacion", zCaption, 3, azHead, NULL);
}

static void doc_table_end(HtmlW *w) {
  page_table_end(w);
  table_box_end(w);
}

/* A list item: a link to a file, then a text. */
static void doc_file(HtmlW *w, const char *zHref, const char *zName, const char *zText) {
  html_open(w, HTML_LI);
  html_open(w, HTML_A, HA_HREF, zHref);
  html_text(w, zName);
  html_close(w, HTML_A);
  html_text(w, zText);
  html_close(w, HTML_LI);
}

/* The columns: the fixed ones, then those of each period of the plan (or
** their pattern when there is no plan). */
static void doc_columns(HtmlW *w, int nPeriod, const Period *aPeriod) {
  doc_table_begin(w, "Columnas de plan.csv y campos de cada actividad en plan.json", "Columna");
  for (int c = 0; c < N_OPEN_COL; c++) {
    doc_row(w, aOpenCol[c].zName, aOpenCol[c].zType, aOpenCol[c].zDesc);
  }
  Buf name = BUF_INIT, desc = BUF_INIT;
  for (int k = 0; k < nPeriod; k++) {
    buf_clear(&name);
    buf_clear(&desc);
    buf_appendf(&name, "meta_%s", aPeriod[k].zCode);
    buf_appendf(&desc, "Meta del periodo %s (%s, corte el ", aPeriod[k].zCode, aPeriod[k].zName);
    date_format_long(aPeriod[k].end, &desc);
    buf_puts(&desc, "), no acumulada. Vacía (null) si no se fijó.");
    doc_row(w, buf_str(&name), "número", buf_str(&desc));
  }
  for (int k = 0; k < nPeriod; k++) {
    buf_clear(&name);
    buf_clear(&desc);
    buf_appendf(&name, "logrado_%s", aPeriod[k].zCode);
    buf_appendf(&desc, "Suma de los avances verificados del periodo %s (0 si no hay).",
                aPeriod[k].zCode);
    doc_row(w, buf_str(&name), "número", buf_str(&desc));
  }
  if (nPeriod == 0) {
    doc_row(w, "meta_<periodo>", "número",
            "Meta de cada periodo de seguimiento, no acumulada, con el código del periodo: "
            "T1 a T4 (trimestres), C1 a C3 (cuatrimestres), S1 y S2 (semestres) o A1 (año). "
            "Vacía (null) si no se fijó.");
    doc_row(w, "logrado_<periodo>", "número",
            "Suma de los avances verificados de cada periodo (0 si no hay).");
  }
  doc_table_end(w);
  buf_reset(&name);
  buf_reset(&desc);
}

void page_open_data_doc(Request *r) {
  Buf key = BUF_INIT;
  cache_key(&key, r, "/datos", 0, NULL);
  if (web_cache_reply(r, buf_str(&key), HTML_TYPE)) {
    buf_reset(&key);
    return;
  }
  Db *db = request_db(r);
  int64_t iPlan = plan_web_current(r);
  Period *aPeriod = NULL;
  int nPeriod = iPlan ? plan_periods(db, iPlan, &aPeriod) : 0;
  Page pg;
  HtmlW *w = &pg.w;
  page_begin(&pg, r, "Datos abiertos", NAV_DATA);
  html_elem_text(w, HTML_H1, "Datos abiertos del plan");
  html_elem_text(w, HTML_P,
                 "El plan de acción y su avance se publican como datos abiertos (Ley 1712 de "
                 "2014), en dos archivos con las mismas cifras que muestran estas páginas, "
                 "calculadas el día de la descarga. Se pueden usar sin registrarse.");
  html_open(w, HTML_UL);
  doc_file(w, "/datos/plan.csv", "plan.csv", ": CSV, una fila por actividad.");
  doc_file(w, "/datos/plan.json", "plan.json",
           ": JSON, los datos del plan y la lista de actividades con los mismos campos.");
  html_close(w, HTML_UL);

  page_section_begin(w, "formato-titulo", "Formato");
  html_open(w, HTML_UL);
  static const char *const azFormat[] = {
      "CSV según RFC 4180: separador coma; un texto con comas, comillas o saltos de línea va "
      "entre comillas dobles, con las comillas internas duplicadas; fin de línea CRLF; la "
      "primera fila trae los nombres de las columnas.",
      "Codificación UTF-8 sin BOM (marca de orden de bytes). Para abrirlo en Excel use Datos, "
      "Desde texto/CSV, y elija el origen UTF-8 (65001).",
      "Números con punto decimal y sin separador de miles (1234.5); porcentajes de 0 a 100 con "
      "dos decimales.",
      "Fechas en formato AAAA-MM-DD (ISO 8601).",
      "Una celda vacía significa que el dato no existe o no aplica; en JSON es null.",
      "Un texto que empieza por =, +, - o @ lleva un apóstrofo delante, para que una hoja de "
      "cálculo no lo tome como fórmula.",
      "Los nombres de las columnas son estables: si se agregan columnas, será al final; ninguna "
      "cambia de nombre.",
      "JSON en UTF-8: un objeto con los datos del plan y la lista «actividades»; cada actividad "
      "tiene las columnas del CSV como campos, con números como números, null para lo vacío y "
      "«dependencias» como lista de textos.",
  };
  for (size_t k = 0; k < sizeof azFormat / sizeof azFormat[0]; k++) {
    html_elem_text(w, HTML_LI, azFormat[k]);
  }
  html_close(w, HTML_UL);
  html_close(w, HTML_SECTION);

  page_section_begin(w, "columnas-titulo", "Columnas");
  doc_columns(w, nPeriod, aPeriod);
  html_close(w, HTML_SECTION);

  page_section_begin(w, "json-titulo", "Campos generales de plan.json");
  doc_table_begin(w, "Campos del objeto principal de plan.json", "Campo");
  doc_row(w, "formato", "texto", "Siempre «participa-datos-abiertos».");
  doc_row(w, "version", "entero",
          "Versión del formato: 1. Cambia solo si un campo cambia de "
          "sentido.");
  doc_row(w, "documentacion", "texto", "Dirección de esta página.");
  doc_row(w, "entidad", "texto", "Entidad dueña del plan (null si no hay plan).");
  doc_row(w, "estrategia", "texto", "Nombre de la estrategia.");
  doc_row(w, "anio", "entero", "Año del plan.");
  doc_row(w, "fecha_corte", "fecha", "Día al que se calcularon las cifras (el de la descarga).");
  doc_row(w, "periodos", "lista",
          "Periodos de seguimiento en orden, cada uno con codigo (T1), nombre (Trimestre 1), "
          "inicio y corte (fechas AAAA-MM-DD).");
  doc_row(w, "actividades", "lista",
          "Una entrada por actividad, ordenadas por item, con los "
          "campos de la tabla de columnas.");
  doc_table_end(w);
  html_close(w, HTML_SECTION);

  page_section_begin(w, "pqrsd-titulo", "PQRSD");
  html_open(w, HTML_P);
  html_text(w, "Las cifras de peticiones, quejas, reclamos, sugerencias y denuncias (PQRSD) y "
               "sus tiempos de respuesta (Ley 1712 de 2014, artículo 11, literal h) se publican "
               "aparte, también en CSV y JSON y sin datos personales, con sus columnas "
               "explicadas en el ");
  html_open(w, HTML_A, HA_HREF, "/pqrsd/informe#datos-abiertos");
  html_text(w, "informe de PQRSD");
  html_close(w, HTML_A);
  html_text(w, ".");
  html_close(w, HTML_P);
  html_close(w, HTML_SECTION);

  page_section_begin(w, "privacidad-titulo", "Qué no se publica");
  html_elem_text(w, HTML_P,
                 "Solo se publican los datos del plan y los avances que control interno "
                 "verificó; los avances pendientes de verificación o rechazados no cuentan. Los "
                 "archivos no traen datos personales: ni quién reportó o verificó cada avance, "
                 "ni las notas de los reportes y de su revisión, ni los archivos de evidencia. "
                 "La página de cada actividad muestra sus avances verificados con la evidencia "
                 "pública.");
  html_close(w, HTML_SECTION);

  page_section_begin(w, "calculo-titulo", "Cómo se calculan las cifras");
  html_elem_text(w, HTML_P,
                 "El avance de una actividad es la suma de sus avances verificados (de los "
                 "periodos ya iniciados) dividida por su meta, con un máximo de 100 %. El "
                 "avance esperado a la fecha es la suma de las metas de los periodos ya "
                 "cortados dividida por la meta; si la actividad no tiene metas por periodo, "
                 "crece en línea recta entre la fecha de inicio y la final (ambos días "
                 "incluidos). El cumplimiento es el avance dividido por el esperado, con un "
                 "máximo de 100 %, y no existe mientras no se espera avance. El semáforo "
                 "clasifica el cumplimiento con los umbrales de la entidad (por defecto rojo "
                 "por debajo de 60 %, amarillo por debajo de 80 % y verde desde 80 %).");
  html_close(w, HTML_SECTION);
  page_end(&pg);
  web_cache_keep(r, buf_str(&key), HTML_TYPE);
  plan_periods_free(nPeriod, aPeriod);
  buf_reset(&key);
}
