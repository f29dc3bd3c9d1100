/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The administrador's calendar page, /admin/calendario: the national
** holidays of a year (chosen with ?anio=, this year by default) with their
** weekdays, how many business days the year has, the entity's own
** non-working days of that year with a button to remove each, and a form to
** add one. Legal terms (PQRSD) skip all of them.
**
** POST adds (accion=agregar, fecha, motivo) or removes (accion=quitar,
** fecha) a day through calendar_extra_add/remove, which refuse weekends,
** national holidays and repeated days and write the audit log; the answer
** is 303 to the year of the day with a notice, or 422 with the page, the
** typed values and the error beside its field. Capability and CSRF are
** checked by the route table; there is no SQL here.
*/
#include "calendar/calendar_web.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/util.h"
#include "calendar/calendar.h"
#include "app/page.h"

#define CALENDAR_PATH "/admin/calendario"

/* What the page shows after a refused POST: the typed values. */
typedef struct CalendarForm {
  const char *zDay; /* fecha as typed (borrowed from the request), or NULL */
  const char *zWhy; /* motivo as typed (borrowed), or NULL */
} CalendarForm;

/* The year of day. */
static int year_of(Day day) {
  int y, m, d;
  date_to_ymd(day, &y, &m, &d);
  return y;
}

/* This year, within the calendar's years. */
static int this_year(void) {
  int y = year_of(clock_today());
  return y < CALENDAR_YEAR_MIN ? CALENDAR_YEAR_MIN : y > CALENDAR_YEAR_MAX ? CALENDAR_YEAR_MAX : y;
}

/* A date cell: <time datetime="2021-07-05">lunes 5 de julio de 2021</time>
** inside eCell (a th of the row or a td). */
static void day_cell(HtmlW *w, HtmlTag eCell, Day day) {
  Buf iso = BUF_INIT, text = BUF_INIT;
  date_format_iso(day, &iso);
  calendar_format_long(day, &text);
  if (eCell == HTML_TH) {
    html_open(w, HTML_TH, HA_SCOPE, "row");
  } else {
    html_open(w, eCell);
  }
  html_open(w, HTML_TIME, HA_DATETIME, buf_str(&iso));
  html_text(w, buf_str(&text));
  html_close(w, HTML_TIME);
  html_close(w, eCell);
  buf_reset(&iso);
  buf_reset(&text);
}

/* The national holidays of iYear and the count of business days. */
static void holidays_section(Page *p, const Calendar *c, int iYear) {
  HtmlW *w = &p->w;
  Buf b = BUF_INIT;
  buf_appendf(&b, "Festivos nacionales de %d", iYear);
  html_elem_text(w, HTML_H2, buf_str(&b));
  buf_puts(&b, " (Ley 51 de 1983)");
  static const char *const azHead[] = {"Fecha", "Festivo"};
  page_table_begin(w, NULL, buf_str(&b), 2, azHead, NULL);
  Holiday a[CALENDAR_HOLIDAYS];
  calendar_holidays(iYear, a);
  int nDates = 0;
  for (int i = 0; i < CALENDAR_HOLIDAYS; i++) {
    html_open(w, HTML_TR);
    day_cell(w, HTML_TH, a[i].day);
    html_elem_text(w, HTML_TD, a[i].zName);
    html_close(w, HTML_TR);
    nDates += i == 0 || a[i].day != a[i - 1].day;
  }
  page_table_end(w);
  Day first, last;
  date_from_ymd(iYear, 1, 1, &first);
  date_from_ymd(iYear, 12, 31, &last);
  buf_clear(&b);
  if (nDates < CALENDAR_HOLIDAYS) {
    buf_appendf(&b, "%d festivos en %d fechas: los que coinciden cuentan una vez. ",
                CALENDAR_HOLIDAYS, nDates);
  }
  buf_appendf(&b,
              "%d tiene %d días hábiles: de lunes a viernes, sin los festivos ni los días "
              "no hábiles de la entidad.",
              iYear, calendar_between(c, first - 1, last));
  html_elem_text(w, HTML_P, buf_str(&b));
  buf_reset(&b);
}

/* Links to the other years that have entity days. */
static void other_years(Page *p, const Calendar *c, int iYear) {
  HtmlW *w = &p->w;
  bool bAny = false;
  Buf href = BUF_INIT;
  for (int i = 0; i < c->nExtra;) {
    int y = year_of(c->aExtra[i]);
    int n = 0;
    while (i < c->nExtra && year_of(c->aExtra[i]) == y) {
      n++;
      i++;
    }
    if (y == iYear) {
      continue;
    }
    if (!bAny) {
      html_open(w, HTML_P);
      html_text(w, "Otros años con días no hábiles de la entidad: ");
      bAny = true;
    } else {
      html_text(w, ", ");
    }
    buf_clear(&href);
    buf_appendf(&href, CALENDAR_PATH "?anio=%d", y);
    html_open(w, HTML_A, HA_HREF, buf_str(&href));
    html_textf(w, "%d", y);
    html_close(w, HTML_A);
    html_textf(w, " (%d)", n);
  }
  if (bAny) {
    html_text(w, ".");
    html_close(w, HTML_P);
  }
  buf_reset(&href);
}

/* The entity's days of iYear, each with its remove button. */
static void extra_section(Page *p, const Calendar *c, int iYear) {
  HtmlW *w = &p->w;
  Buf b = BUF_INIT;
  buf_appendf(&b, "Días no hábiles de la entidad en %d", iYear);
  html_elem_text(w, HTML_H2, buf_str(&b));
  int n = 0;
  for (int i = 0; i < c->nExtra; i++) {
    n += year_of(c->aExtra[i]) == iYear;
  }
  if (n == 0) {
    buf_clear(&b);
    buf_appendf(&b, "La entidad no tiene días no hábiles propios en %d.", iYear);
    html_elem_text(w, HTML_P, buf_str(&b));
  } else {
    static const char *const azHead[] = {"Fecha", "Motivo", "Quitar"};
    page_table_begin(w, NULL, buf_str(&b), 3, azHead, NULL);
    Buf iso = BUF_INIT, label = BUF_INIT;
    for (int i = 0; i < c->nExtra; i++) {
      if (year_of(c->aExtra[i]) != iYear) {
        continue;
      }
      html_open(w, HTML_TR);
      day_cell(w, HTML_TH, c->aExtra[i]);
      html_elem_text(w, HTML_TD, c->azExtra[i]);
      html_open(w, HTML_TD);
      buf_clear(&iso);
      date_format_iso(c->aExtra[i], &iso);
      buf_clear(&label);
      buf_puts(&label, "Quitar el ");
      date_format_long(c->aExtra[i], &label);
      const char *azPair[] = {"accion", "quitar", "fecha", buf_str(&iso)};
      page_button_form(p, CALENDAR_PATH, buf_str(&label), 2, azPair);
      html_close(w, HTML_TD);
      html_close(w, HTML_TR);
    }
    page_table_end(w);
    buf_reset(&iso);
    buf_reset(&label);
  }
  other_years(p, c, iYear);
  buf_reset(&b);
}

/* The whole page for iYear; f holds errors (may be NULL), v the typed values. */
static void calendar_page(Request *r, int iYear, const Form *f, const CalendarForm *v) {
  Calendar c;
  calendar_init(&c);
  calendar_load(&c, request_db(r));
  Page pg;
  page_begin(&pg, r, "Calendario de días hábiles", NAV_ADMIN);
  HtmlW *w = &pg.w;
  html_elem_text(w, HTML_H1, "Calendario de días hábiles");
  page_admin_nav(&pg, CALENDAR_PATH);
  page_form_errors(&pg, f);
  html_elem_text(w, HTML_P,
                 "Los plazos de las PQRSD se cuentan en días hábiles: de lunes a viernes, "
                 "sin los festivos nacionales (Ley 51 de 1983) ni los días no hábiles que la "
                 "entidad agregue aquí, como un festivo local o un cierre de la oficina.");

  page_form_get_begin(&pg, CALENDAR_PATH);
  char zYear[16], zMin[16], zMax[16];
  snprintf(zYear, sizeof zYear, "%d", iYear);
  snprintf(zMin, sizeof zMin, "%d", CALENDAR_YEAR_MIN);
  snprintf(zMax, sizeof zMax, "%d", CALENDAR_YEAR_MAX);
  const char *zTyped = request_query(r, "anio");
  Field fYear = {.zName = "anio",
                 .zLabel = "Año",
                 .zValue = form_error_for(f, "anio") && zTyped ? zTyped : zYear,
                 .zType = "number",
                 .zInputMode = "numeric",
                 .zMin = zMin,
                 .zMax = zMax,
                 .bRequired = true};
  page_field(&pg, f, &fYear);
  page_submit(&pg, "Ver el año");
  page_form_end(&pg);

  holidays_section(&pg, &c, iYear);
  extra_section(&pg, &c, iYear);

  html_elem_text(w, HTML_H2, "Agregar un día no hábil de la entidad");
  page_form_begin(&pg, CALENDAR_PATH, false);
  page_hidden(&pg, "accion", "agregar");
  Field fDay = {.zName = "fecha",
                .zLabel = "Fecha",
                .zValue = v ? v->zDay : NULL,
                .bRequired = true,
                .zMaxLength = "40",
                .zHint = "Por ejemplo 11-noviembre-2021 o 2021-11-11. Los sábados, domingos y "
                         "festivos nacionales ya son no hábiles."};
  page_field(&pg, f, &fDay);
  char zWhyMax[16];
  snprintf(zWhyMax, sizeof zWhyMax, "%d", CALENDAR_WHY_MAX);
  Field fWhy = {.zName = "motivo",
                .zLabel = "Motivo",
                .zValue = v ? v->zWhy : NULL,
                .bRequired = true,
                .zMaxLength = zWhyMax,
                .zHint = "Por ejemplo: Cierre por inventario."};
  page_field(&pg, f, &fWhy);
  page_submit(&pg, "Agregar el día");
  page_form_end(&pg);
  page_end(&pg);
  calendar_reset(&c);
}

/* The year of "?anio=": this year when absent; false with an error in f
** when it is not a year of the calendar. */
static bool year_query(Request *r, Form *f, int *piYear) {
  *piYear = this_year();
  const char *z = request_query(r, "anio");
  if (z == NULL || z[0] == 0) {
    return true;
  }
  char *zEnd;
  long n = strtol(z, &zEnd, 10);
  if (zEnd == z || *zEnd != 0 || n < CALENDAR_YEAR_MIN || n > CALENDAR_YEAR_MAX) {
    form_error(f, "anio", "el año debe ser un número de %d a %d", CALENDAR_YEAR_MIN,
               CALENDAR_YEAR_MAX);
    return false;
  }
  *piYear = (int)n;
  return true;
}

void page_calendar(Request *r) {
  Form f = {0};
  int iYear;
  bool bOk = year_query(r, &f, &iYear);
  calendar_page(r, iYear, &f, NULL);
  if (!bOk) {
    response_status(r, 400);
  }
  form_reset(&f);
}

/* The date typed in field fecha into *pDay; false with an error for the field. */
static bool read_day(Form *f, const char *zText, Day *pDay) {
  if (zText == NULL || str_is_blank(zText)) {
    form_error(f, "fecha", "falta la fecha; escríbala como 11-noviembre-2021");
    return false;
  }
  if (strspn(zText, "0123456789.,") == strlen(zText)) {
    form_error(f, "fecha", "«%s» es un número, no una fecha; escríbala como 11-noviembre-2021",
               zText);
    return false;
  }
  Buf err = BUF_INIT;
  bool bOk = date_parse(zText, pDay, &err);
  if (!bOk) {
    form_error(f, "fecha", "fecha ilegible: %s", buf_str(&err));
  }
  buf_reset(&err);
  return bOk;
}

/* The number of characters (code points) of the UTF-8 text z. */
static size_t utf8_chars(const char *z) {
  size_t n = 0;
  for (; *z; z++) {
    n += ((unsigned char)*z & 0xC0) != 0x80;
  }
  return n;
}

void post_calendar(Request *r) {
  const char *zAction = request_form(r, "accion");
  CalendarForm v = {request_form(r, "fecha"), request_form(r, "motivo")};
  bool bRemove = zAction && strcmp(zAction, "quitar") == 0;
  Form f = {0};
  Day day = 0;
  bool bDay = false;
  if (zAction && zAction[0] && !bRemove && strcmp(zAction, "agregar") != 0) {
    form_error(&f, "", "acción desconocida «%s»: use el formulario de esta página", zAction);
  } else {
    bDay = read_day(&f, v.zDay, &day);
    /* the reason is checked even when the date is wrong: both errors show at once */
    if (!bRemove && (v.zWhy == NULL || str_is_blank(v.zWhy))) {
      form_error(&f, "motivo", "falta el motivo; por ejemplo «Cierre por inventario»");
    } else if (!bRemove && utf8_chars(v.zWhy) > CALENDAR_WHY_MAX) {
      form_error(&f, "motivo", "el motivo tiene %zu caracteres; el máximo es %d",
                 utf8_chars(v.zWhy), CALENDAR_WHY_MAX);
    }
  }
  if (f.nErr == 0) {
    char *zErr = NULL;
    bool bOk = bRemove ? calendar_extra_remove(request_db(r), day, web_actor(r), &zErr)
                       : calendar_extra_add(request_db(r), day, v.zWhy, web_actor(r), &zErr);
    if (!bOk) {
      form_error(&f, bRemove ? "" : "fecha", "%s", zErr);
      free(zErr);
    }
  }
  int iYear = this_year();
  if (bDay && year_of(day) >= CALENDAR_YEAR_MIN && year_of(day) <= CALENDAR_YEAR_MAX) {
    iYear = year_of(day);
  }
  if (f.nErr) {
    calendar_page(r, iYear, &f, bRemove ? NULL : &v);
    response_status(r, 422);
  } else {
    Buf loc = BUF_INIT;
    buf_appendf(&loc, CALENDAR_PATH "?anio=%d&aviso=%s", iYear,
                bRemove ? "dia-no-habil-quitado" : "dia-no-habil-agregado");
    response_redirect(r, buf_str(&loc));
    buf_reset(&loc);
  }
  form_reset(&f);
}
