/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Business days (días hábiles) for legal terms (DOMAIN.md §4): Monday to
** Friday, except the Colombian national holidays of Ley 51 de 1983 and the
** non-working days the entity adds (a local holiday, a closed office).
**
** National holidays, 18 a year, for any year from CALENDAR_YEAR_MIN to
** CALENDAR_YEAR_MAX:
**   - fixed: 1 Jan, 1 May, 20 Jul, 7 Aug, 8 Dec, 25 Dec, and Jueves and
**     Viernes Santo (Easter − 3, − 2);
**   - moved to the next Monday unless on a Monday (Ley 51 de 1983): 6 Jan,
**     19 Mar, 29 Jun, 15 Aug, 12 Oct, 1 Nov, 11 Nov;
**   - Easter-based, then moved to Monday: Ascensión (+43), Corpus Christi
**     (+64), Sagrado Corazón (+71).
** Easter is the Gregorian computus (anonymous algorithm). Two holidays may
** fall on one date (30 June 2025): both are listed; the date counts once.
**
** The national part is pure computation (no database). The entity's days
** live in table non_working_day; calendar_load reads them into a Calendar,
** which the counting functions then use without touching the database.
*/
#ifndef PARTICIPA_CALENDAR_CALENDAR_H
#define PARTICIPA_CALENDAR_CALENDAR_H

#include <stdbool.h>

#include "base/buf.h"
#include "base/date.h"
#include "db/db.h"

#define CALENDAR_YEAR_MIN 1984
#define CALENDAR_YEAR_MAX 2100
#define CALENDAR_HOLIDAYS 18 /* national holidays every year */
#define CALENDAR_WHY_MAX 200 /* longest description of an entity day (characters) */

/* One national holiday. */
typedef struct Holiday {
  Day day;           /* the date it is observed */
  const char *zName; /* Spanish name ("Día de la Independencia"), static */
} Holiday;

/* Easter Sunday of iYear (Gregorian). iYear within the supported range. */
Day calendar_easter(int iYear);
/* The CALENDAR_HOLIDAYS national holidays of iYear into a (room for
** CALENDAR_HOLIDAYS), sorted by date (ties in a fixed order). Returns false
** when iYear is outside CALENDAR_YEAR_MIN..CALENDAR_YEAR_MAX. */
bool calendar_holidays(int iYear, Holiday *a);
/* True when day is a national holiday (any supported year; false outside). */
bool calendar_is_holiday(Day day);
/* Append day as "lunes 5 de julio de 2021" (weekday and long Spanish date). */
void calendar_format_long(Day day, Buf *pOut);

/* The business-day calendar of an entity: national holidays plus its own
** non-working days. */
typedef struct Calendar {
  int nExtra;      /* entity non-working days */
  Day *aExtra;     /* sorted, unique (owned) */
  char **azExtra;  /* their descriptions, parallel to aExtra (owned) */
} Calendar;

/* An empty calendar: national holidays only. */
void calendar_init(Calendar *c);
/* Load the entity's non-working days from the database into c (replacing
** what c held). */
void calendar_load(Calendar *c, Db *db);
void calendar_reset(Calendar *c);

/* True when day is a business day: Monday to Friday, not a national holiday,
** not an entity non-working day. */
bool calendar_is_business_day(const Calendar *c, Day day);
/* The date n business days after day (n >= 0; n = 0 gives day itself when
** it is a business day, else the next business day). Terms in Ley 1755 run
** from the next business day after filing, so the due date of a petition
** filed on `day` with a term of 15 is calendar_add(c, day, 15). */
Day calendar_add(const Calendar *c, Day day, int n);
/* Business days in (from, to]: the days after `from` up to and including
** `to` that are business days; negative when to < from. */
int calendar_between(const Calendar *c, Day from, Day to);

/* Entity non-working days (table non_working_day; each change goes to the
** audit log with zActor). Adding a national holiday or a weekend day is
** refused with a Spanish message in *pzErr. */
bool calendar_extra_add(Db *db, Day day, const char *zWhy, const char *zActor, char **pzErr);
bool calendar_extra_remove(Db *db, Day day, const char *zActor, char **pzErr);

#endif
