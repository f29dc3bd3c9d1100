/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Calendar dates as a plan spreadsheet holds them: a day number with no time
** and no time zone, conversion to and from year/month/day, ISO and long
** Spanish formatting, weekday, today's local date, and a forgiving parser for
** the ways Colombian spreadsheets write dates (01-febrero-2021, 1 de julio de
** 2021, 01/02/2021, 2021-02-01, Excel serial numbers). Parse errors are short
** Spanish messages that tell the user how to fix the cell.
**
** Does not handle times of day, time zones, business days or holidays (see
** src/calendar/), nor month-first (US) numeric dates: 01/02/2021 is always
** 1 February.
*/
#ifndef PARTICIPA_BASE_DATE_H
#define PARTICIPA_BASE_DATE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"

/* Days since 1970-01-01 in the proleptic Gregorian calendar (negative
** before). Plain integer arithmetic works: day + 7 is a week later. */
typedef int32_t Day;

#define DATE_YEAR_MIN 1900 /* first year date_from_ymd and date_parse accept */
#define DATE_YEAR_MAX 9999 /* last year date_from_ymd and date_parse accept */

/* Store in *pDay the day of year y, month m (1..12), day d (1..31). Returns
** false, leaving *pDay untouched, when that is not a real date (30 February,
** 29 February of a common year, month 13) or y is outside
** DATE_YEAR_MIN..DATE_YEAR_MAX. */
bool date_from_ymd(int y, int m, int d, Day *pDay);

/* Split day into year, month (1..12) and day of month (1..31). Works for any
** Day value, also outside the years date_from_ymd accepts. Cannot fail. */
void date_to_ymd(Day day, int *pY, int *pM, int *pD);

/* Append day as ISO 8601 "YYYY-MM-DD" (2021-02-01) to pOut. */
void date_format_iso(Day day, Buf *pOut);

/* Append day in long Spanish form, "1 de febrero de 2021", to pOut. */
void date_format_long(Day day, Buf *pOut);

/* Append day the way Colombian plan spreadsheets write it, day-monthname-
** year without leading zero: "1-octubre-2021". date_parse reads it back. */
void date_format_plan(Day day, Buf *pOut);

/* Lower-case Spanish name of month m (1..12): "enero" .. "diciembre".
** Static string; panics on a month outside 1..12. */
const char *date_month_name(int m);

/* Day of the week of day: 0 = Monday .. 6 = Sunday. */
int date_weekday(Day day);

/* True when y is a leap year of the Gregorian calendar. */
bool date_is_leap_year(int y);

/* Number of days of month m (1..12) of year y. */
int date_days_in_month(int y, int m);

/* Today's date in the local time zone of the process. Cannot fail. */
Day date_today(void);

/* Parse the date in z into *pDay. Leading and trailing white space is
** ignored; letters are matched ignoring case and accents. Accepted forms:
**   - day, Spanish month name, year, separated by "-", "/", ".", spaces, or
**     the words "de"/"del": 01-febrero-2021, 1-julio-2021, 1 julio 2021,
**     1 de julio de 2021, 1 de julio del 2021, 1-feb.-21, 1 sept 2021.
**     Months: enero..diciembre and setiembre; abbreviations ene feb mar abr
**     may jun jul ago sep sept set oct nov dic, with or without a dot;
**   - day first numbers with one repeated separator "-", "/" or ".":
**     01/02/2021, 1-2-2021, 1.2.2021, 01/02/21;
**   - year first when the first number has four digits: 2021-02-01,
**     2021/2/1;
**   - the two numeric forms may be followed by a time "T00:00:00" or
**     " 00:00:00" (HH:MM, HH:MM:SS or HH:MM:SS.fff, as spreadsheets
**     export), which is checked and ignored;
**   - an Excel serial number (1900 date system), integer or decimal with
**     "." or "," (44228, 44228.0, 44228,5: the fraction is ignored), range
**     1..2958465; serial 60 (Excel's phantom 29 February 1900) is refused and
**     serials above 60 are shifted by one day as Excel does (44228 is
**     2021-02-01).
** A two-digit year means 20YY. Years must lie in 1900..9999.
** On success stores the day and returns true. On failure returns false,
** leaves *pDay untouched and appends one Spanish message to pErr (when not
** NULL), one of:
**   fecha vacía
**   mes desconocido «febro»
**   el 31 de septiembre de 2021 no existe
**   mes 13 no válido en «01/13/2021»; escriba el día primero (día/mes/año)
**   mes 0 no válido en «01/00/2021»      (no hint when swapping cannot help)
**   año 1850 fuera del rango 1900 a 9999
**   número de serie de Excel 0 fuera del rango 1 a 2958465
**   el número de serie de Excel 60 es el 29 de febrero de 1900, que no existe
**   formato de fecha no reconocido «2021/31/31»; use por ejemplo 01-febrero-2021 o 2021-02-01
** (a year-first date with a month above 12 gets the last message).
** Quoted input is trimmed, control characters and invalid UTF-8 show as "?"
** and it is cut to 40 characters with "…". */
bool date_parse(const char *z, Day *pDay, Buf *pErr);

/* ---- ISO dates as this program stores them ----
** Two meanings, both exact about digits (no sign, space or missing zero),
** both refusing a day that does not exist; date_parse above is the
** forgiving reader of what people type and files hold:
**   date_parse_iso        the whole of z is "YYYY-MM-DD" (a date column);
**   date_parse_iso_stamp  z begins with "YYYY-MM-DD" and anything may follow
**                         (the day written in an ISO timestamp such as
**                         "2021-06-30T12:00:00Z", or a date column).
** Each stores the day in *pDay and returns true, or returns false with
** *pDay untouched (also for NULL). Cannot fail. */
bool date_parse_iso(const char *z, Day *pDay);
bool date_parse_iso_stamp(const char *z, Day *pDay);

/* ---- Colombian time (UTC-5 all year, no daylight saving) ---- */

/* The Bogotá date of Unix time t. Cannot fail. */
Day date_of_unix_bogota(int64_t t);
/* Unix time of an ISO UTC timestamp "2021-06-30T12:00:00Z" (the seconds and
** the Z may be missing); false when z cannot be read. */
bool date_iso_to_unix(const char *z, int64_t *pT);
/* Append the UTC timestamp zIso as Bogotá local time in Spanish: "30 de
** junio de 2021, 7:00 a. m.". Appends zIso itself when it cannot be read.
** Every time a page or report shows goes through it. */
void date_format_bogota(const char *zIso, Buf *pOut);

#endif
