/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Business days (see calendar.h): Easter, the 18 national holidays of each
** year from their rules, and counting business days over a Calendar that
** also holds the entity's own non-working days.
**
** Speed: the counting functions run on every petition the server files and
** on every due date a report recomputes, from several threads at once. The
** first call builds, once (pthread_once), a bitmap of the days from
** CALENDAR_YEAR_MIN to CALENDAR_YEAR_MAX that are closed nationally (a
** weekend or a national holiday: about 5 KiB); afterwards it is only read,
** so no lock is needed. A day is then one bit test plus, for the entity's
** days, a binary search once per call and a moving index after that.
**
** Outside the supported years no holiday is known: only weekends and the
** entity's days are closed there. The table non_working_day is read and
** written here; the rest of the program never sees its SQL.
*/
#include "calendar/calendar.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "base/util.h"

/* ---- national holidays -------------------------------------------------------------------- */

/* How a holiday's date follows from its year. */
typedef enum HolidayRule {
  RULE_FIXED,        /* on its date, whatever the weekday */
  RULE_MONDAY,       /* moved to the next Monday unless on a Monday (Ley 51 de 1983) */
  RULE_EASTER,       /* Easter + offset, not moved */
  RULE_EASTER_MONDAY /* Easter + offset, then moved to Monday like RULE_MONDAY */
} HolidayRule;

/* The holidays in calendar order; this is also the order of two holidays
** on the same date. */
static const struct {
  HolidayRule eRule; /* how the date is found */
  int iMonth;        /* month (fixed and Monday rules), 0 for Easter rules */
  int iDay;          /* day of month, or the offset in days from Easter */
  const char *zName; /* Spanish name */
} aRule[CALENDAR_HOLIDAYS] = {
    {RULE_FIXED, 1, 1, "Año Nuevo"},
    {RULE_MONDAY, 1, 6, "Día de los Reyes Magos"},
    {RULE_MONDAY, 3, 19, "Día de San José"},
    {RULE_EASTER, 0, -3, "Jueves Santo"},
    {RULE_EASTER, 0, -2, "Viernes Santo"},
    {RULE_FIXED, 5, 1, "Día del Trabajo"},
    {RULE_EASTER_MONDAY, 0, 43, "Ascensión del Señor"},
    {RULE_EASTER_MONDAY, 0, 64, "Corpus Christi"},
    {RULE_EASTER_MONDAY, 0, 71, "Sagrado Corazón de Jesús"},
    {RULE_MONDAY, 6, 29, "San Pedro y San Pablo"},
    {RULE_FIXED, 7, 20, "Día de la Independencia"},
    {RULE_FIXED, 8, 7, "Batalla de Boyacá"},
    {RULE_MONDAY, 8, 15, "La Asunción de la Virgen"},
    {RULE_MONDAY, 10, 12, "Día de la Raza"},
    {RULE_MONDAY, 11, 1, "Día de Todos los Santos"},
    {RULE_MONDAY, 11, 11, "Independencia de Cartagena"},
    {RULE_FIXED, 12, 8, "Inmaculada Concepción"},
    {RULE_FIXED, 12, 25, "Navidad"},
};

/* The day itself when it is a Monday, else the Monday after it. */
static Day next_monday(Day day) {
  int iWd = date_weekday(day); /* 0 = Monday */
  return iWd == 0 ? day : day + (7 - iWd);
}

/* The day of y-m-d, for dates known to exist. */
static Day ymd(int y, int m, int d) {
  Day day = 0;
  ASSERT(date_from_ymd(y, m, d, &day));
  return day;
}

Day calendar_easter(int iYear) {
  /* The anonymous Gregorian algorithm (Meeus/Jones/Butcher): a is the
  ** place in the 19-year Metonic cycle, b..g the century corrections of
  ** the Gregorian reform, h the epact-like age of the paschal moon, l the
  ** days from it to Sunday. */
  int a = iYear % 19;
  int b = iYear / 100, c = iYear % 100;
  int d = b / 4, e = b % 4;
  int f = (b + 8) / 25;
  int g = (b - f + 1) / 3;
  int h = (19 * a + b - d - g + 15) % 30;
  int i = c / 4, k = c % 4;
  int l = (32 + 2 * e + 2 * i - h - k) % 7;
  int m = (a + 11 * h + 22 * l) / 451;
  int iMonth = (h + l - 7 * m + 114) / 31;
  int iDay = (h + l - 7 * m + 114) % 31 + 1;
  return ymd(iYear, iMonth, iDay);
}

bool calendar_holidays(int iYear, Holiday *a) {
  if (iYear < CALENDAR_YEAR_MIN || iYear > CALENDAR_YEAR_MAX) {
    return false;
  }
  Day easter = calendar_easter(iYear);
  for (int i = 0; i < CALENDAR_HOLIDAYS; i++) {
    Day day;
    switch (aRule[i].eRule) {
    case RULE_FIXED:
      day = ymd(iYear, aRule[i].iMonth, aRule[i].iDay);
      break;
    case RULE_MONDAY:
      day = next_monday(ymd(iYear, aRule[i].iMonth, aRule[i].iDay));
      break;
    case RULE_EASTER:
      day = easter + aRule[i].iDay;
      break;
    default:
      day = next_monday(easter + aRule[i].iDay);
      break;
    }
    /* insertion by date; equal dates keep the table's order */
    int j = i;
    while (j > 0 && a[j - 1].day > day) {
      a[j] = a[j - 1];
      j--;
    }
    a[j].day = day;
    a[j].zName = aRule[i].zName;
  }
  return true;
}

/* ---- the bitmap of nationally closed days ------------------------------------------------ */

#define CLOSED_DAYS  42734 /* days from 1984-01-01 to 2100-12-31 */
#define CLOSED_WORDS ((CLOSED_DAYS + 63) / 64)

static pthread_once_t closedOnce = PTHREAD_ONCE_INIT; /* guards the build below */
static Day closedFirst;                               /* 1 January of CALENDAR_YEAR_MIN */
static uint64_t aClosed[CLOSED_WORDS];                /* bit set: weekend or national holiday */
static uint64_t aHoliday[CLOSED_WORDS];               /* bit set: national holiday */

/* Fill the bitmaps (run once, by pthread_once). */
static void closed_build(void) {
  closedFirst = ymd(CALENDAR_YEAR_MIN, 1, 1);
  ASSERT(ymd(CALENDAR_YEAR_MAX, 12, 31) - closedFirst + 1 == CLOSED_DAYS);
  for (int i = 0; i < CLOSED_DAYS; i++) {
    if (date_weekday(closedFirst + i) >= 5) {
      aClosed[i / 64] |= (uint64_t)1 << (i % 64);
    }
  }
  for (int y = CALENDAR_YEAR_MIN; y <= CALENDAR_YEAR_MAX; y++) {
    Holiday a[CALENDAR_HOLIDAYS];
    calendar_holidays(y, a);
    for (int k = 0; k < CALENDAR_HOLIDAYS; k++) {
      int i = a[k].day - closedFirst;
      aClosed[i / 64] |= (uint64_t)1 << (i % 64);
      aHoliday[i / 64] |= (uint64_t)1 << (i % 64);
    }
  }
}

/* Make sure the bitmaps are built. */
static void closed_ready(void) {
  ASSERT(pthread_once(&closedOnce, closed_build) == 0);
}

/* True when day is a weekend or a national holiday (bitmaps ready). */
static bool closed_nationally(Day day) {
  int64_t i = (int64_t)day - closedFirst;
  if (i < 0 || i >= CLOSED_DAYS) {
    return date_weekday(day) >= 5;
  }
  return (aClosed[i / 64] >> (i % 64)) & 1;
}

bool calendar_is_holiday(Day day) {
  closed_ready();
  int64_t i = (int64_t)day - closedFirst;
  if (i < 0 || i >= CLOSED_DAYS) {
    return false;
  }
  return (aHoliday[i / 64] >> (i % 64)) & 1;
}

void calendar_format_long(Day day, Buf *pOut) {
  static const char *const azWeekday[] = {"lunes",   "martes", "miércoles", "jueves",
                                          "viernes", "sábado", "domingo"};
  buf_puts(pOut, azWeekday[date_weekday(day)]);
  buf_putc(pOut, ' ');
  date_format_long(day, pOut);
}

/* ---- a calendar with the entity's days -------------------------------------------------- */

void calendar_init(Calendar *c) {
  memset(c, 0, sizeof *c);
}

void calendar_reset(Calendar *c) {
  for (int i = 0; i < c->nExtra; i++) {
    free(c->azExtra[i]);
  }
  free(c->aExtra);
  free(c->azExtra);
  memset(c, 0, sizeof *c);
}

void calendar_load(Calendar *c, Db *db) {
  calendar_reset(c);
  int nAlloc = 0;
  Stmt *s = db_prepare(db, "SELECT day, description FROM non_working_day ORDER BY day");
  while (db_step(s)) {
    Day day;
    if (!date_parse_iso(db_col_text(s, 0), &day)) {
      continue; /* only calendar_extra_add writes the table; it stores ISO dates */
    }
    if (c->nExtra == nAlloc) {
      nAlloc = nAlloc ? 2 * nAlloc : 16;
      c->aExtra = xrealloc(c->aExtra, sizeof *c->aExtra * (size_t)nAlloc);
      c->azExtra = xrealloc(c->azExtra, sizeof *c->azExtra * (size_t)nAlloc);
    }
    c->aExtra[c->nExtra] = day;
    c->azExtra[c->nExtra] = db_col_text_dup(s, 1);
    c->nExtra++;
  }
  db_finalize(s);
}

/* Index of the first entity day on or after day (nExtra when none). */
static int extra_lower_bound(const Calendar *c, Day day) {
  int lo = 0, hi = c ? c->nExtra : 0;
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (c->aExtra[mid] < day) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

bool calendar_is_business_day(const Calendar *c, Day day) {
  closed_ready();
  if (closed_nationally(day)) {
    return false;
  }
  int i = extra_lower_bound(c, day);
  return !(c && i < c->nExtra && c->aExtra[i] == day);
}

Day calendar_add(const Calendar *c, Day day, int n) {
  ASSERT(n >= 0);
  closed_ready();
  /* With n = 0 the day itself is the first candidate; otherwise the day
  ** after it. The entity's days are walked forward alongside. */
  Day d = n == 0 ? day : day + 1;
  int nLeft = n == 0 ? 1 : n;
  int iExtra = extra_lower_bound(c, d);
  int nExtra = c ? c->nExtra : 0;
  for (;; d++) {
    while (iExtra < nExtra && c->aExtra[iExtra] < d) {
      iExtra++;
    }
    bool bClosed = closed_nationally(d) || (iExtra < nExtra && c->aExtra[iExtra] == d);
    if (!bClosed && --nLeft == 0) {
      return d;
    }
  }
}

int calendar_between(const Calendar *c, Day from, Day to) {
  if (to < from) {
    return -calendar_between(c, to, from);
  }
  closed_ready();
  int n = 0;
  int iExtra = extra_lower_bound(c, from + 1);
  int nExtra = c ? c->nExtra : 0;
  for (Day d = from + 1; d <= to; d++) {
    while (iExtra < nExtra && c->aExtra[iExtra] < d) {
      iExtra++;
    }
    if (!closed_nationally(d) && !(iExtra < nExtra && c->aExtra[iExtra] == d)) {
      n++;
    }
  }
  return n;
}

/* ---- storage of the entity's days ------------------------------------------------------- */

/* The national holiday names of day joined by "; ", into pOut; false
** when day is not a national holiday. */
static bool holiday_names(Day day, Buf *pOut) {
  int y, m, d;
  date_to_ymd(day, &y, &m, &d);
  Holiday a[CALENDAR_HOLIDAYS];
  if (!calendar_holidays(y, a)) {
    return false;
  }
  bool bFound = false;
  for (int i = 0; i < CALENDAR_HOLIDAYS; i++) {
    if (a[i].day == day) {
      buf_puts(pOut, bFound ? "; " : "");
      buf_puts(pOut, a[i].zName);
      bFound = true;
    }
  }
  return bFound;
}

/* Why day cannot be an entity day (Spanish, caller frees), or NULL when it
** can: outside the supported years, a weekend or a national holiday. */
static char *day_refusal_dup(Day day) {
  int y, m, d;
  date_to_ymd(day, &y, &m, &d);
  if (y < CALENDAR_YEAR_MIN || y > CALENDAR_YEAR_MAX) {
    return xasprintf("el año %d está fuera del calendario (%d a %d)", y, CALENDAR_YEAR_MIN,
                     CALENDAR_YEAR_MAX);
  }
  Buf b = BUF_INIT;
  Buf names = BUF_INIT;
  if (date_weekday(day) >= 5) {
    buf_puts(&b, "el ");
    calendar_format_long(day, &b);
    buf_puts(&b, " ya es fin de semana: no hace falta agregarlo");
  } else if (holiday_names(day, &names)) {
    buf_puts(&b, "el ");
    calendar_format_long(day, &b);
    buf_appendf(&b, " ya es festivo nacional (%s): no hace falta agregarlo", buf_str(&names));
  }
  buf_reset(&names);
  return b.n ? buf_take(&b) : NULL;
}

/* The number of characters (code points) of the UTF-8 text z. */
static size_t utf8_chars(const char *z) {
  size_t n = 0;
  for (; *z; z++) {
    n += ((unsigned char)*z & 0xC0) != 0x80;
  }
  return n;
}

/* zWhy trimmed, with control characters as spaces (caller frees). */
static char *why_clean_dup(const char *zWhy) {
  while (*zWhy == ' ' || (*zWhy > 0 && *zWhy < 0x20)) {
    zWhy++;
  }
  char *z = xstrdup(zWhy);
  for (char *p = z; *p; p++) {
    if ((*p > 0 && *p < 0x20) || *p == 0x7F) {
      *p = ' ';
    }
  }
  size_t n = strlen(z);
  while (n > 0 && z[n - 1] == ' ') {
    z[--n] = 0;
  }
  return z;
}

/* The audit log's object id of day: the number YYYYMMDD. */
static int64_t day_log_id(Day day) {
  int y, m, d;
  date_to_ymd(day, &y, &m, &d);
  return (int64_t)y * 10000 + m * 100 + d;
}

bool calendar_extra_add(Db *db, Day day, const char *zWhy, const char *zActor, char **pzErr) {
  *pzErr = day_refusal_dup(day);
  if (*pzErr) {
    return false;
  }
  char *zClean = why_clean_dup(zWhy ? zWhy : "");
  if (zClean[0] == 0) {
    free(zClean);
    *pzErr = xstrdup("falta el motivo del día no hábil (por ejemplo «Cierre por inventario»)");
    return false;
  }
  size_t nChars = utf8_chars(zClean);
  if (nChars > CALENDAR_WHY_MAX) {
    free(zClean);
    *pzErr = xasprintf("el motivo tiene %zu caracteres; el máximo es %d", nChars, CALENDAR_WHY_MAX);
    return false;
  }
  Buf iso = BUF_INIT;
  date_format_iso(day, &iso);
  db_begin(db);
  Stmt *s = db_prepare(db, "SELECT description FROM non_working_day WHERE day = :day");
  db_bind_text(s, ":day", buf_str(&iso));
  if (db_step(s)) {
    Buf b = BUF_INIT;
    buf_puts(&b, "el ");
    calendar_format_long(day, &b);
    buf_appendf(&b, " ya es día no hábil de la entidad («%s»)", db_col_text(s, 0));
    *pzErr = buf_take(&b);
  }
  db_finalize(s);
  if (*pzErr == NULL) {
    Buf now = BUF_INIT;
    clock_now_iso(&now);
    s = db_prepare(db, "INSERT INTO non_working_day(day, description, created_at, created_by) "
                       "VALUES (:day, :why, :at, :by)");
    db_bind_text(s, ":day", buf_str(&iso));
    db_bind_text(s, ":why", zClean);
    db_bind_text(s, ":at", buf_str(&now));
    db_bind_text(s, ":by", zActor);
    db_run(s);
    db_finalize(s);
    buf_reset(&now);
    audit_logf(db, zActor, "agregar", "non_working_day", day_log_id(day), "%s: %s", buf_str(&iso),
               zClean);
    db_commit(db);
  } else {
    db_rollback(db);
  }
  buf_reset(&iso);
  free(zClean);
  return *pzErr == NULL;
}

bool calendar_extra_remove(Db *db, Day day, const char *zActor, char **pzErr) {
  *pzErr = NULL;
  Buf iso = BUF_INIT;
  date_format_iso(day, &iso);
  db_begin(db);
  Stmt *s = db_prepare(db, "SELECT description FROM non_working_day WHERE day = :day");
  db_bind_text(s, ":day", buf_str(&iso));
  char *zWhy = db_step(s) ? db_col_text_dup(s, 0) : NULL;
  db_finalize(s);
  if (zWhy == NULL) {
    db_rollback(db);
    Buf b = BUF_INIT;
    buf_puts(&b, "el ");
    calendar_format_long(day, &b);
    buf_puts(&b, " no es día no hábil de la entidad: no hay nada que quitar");
    *pzErr = buf_take(&b);
    buf_reset(&iso);
    return false;
  }
  s = db_prepare(db, "DELETE FROM non_working_day WHERE day = :day");
  db_bind_text(s, ":day", buf_str(&iso));
  db_run(s);
  db_finalize(s);
  audit_logf(db, zActor, "quitar", "non_working_day", day_log_id(day), "%s: %s", buf_str(&iso),
             zWhy);
  db_commit(db);
  free(zWhy);
  buf_reset(&iso);
  return true;
}
