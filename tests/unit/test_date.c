/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Unit tests for src/base/date.c: civil conversion, formatting, weekday,
** today, and every form and every error message of date_parse.
*/
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/date.h"

/* Assert that date_parse accepts zIn as the ISO date zWant, with no message. */
static void check_ok(const char *zIn, const char *zWant) {
  Day day = -999999;
  Buf err = BUF_INIT;
  Buf iso = BUF_INIT;
  bool bOk = date_parse(zIn, &day, &err);
  cr_assert(bOk, "date_parse(\"%s\") failed: %s", zIn, buf_str(&err));
  cr_assert_str_eq(buf_str(&err), "", "no message on success for \"%s\"", zIn);
  date_format_iso(day, &iso);
  cr_assert_str_eq(buf_str(&iso), zWant, "date_parse(\"%s\")", zIn);
  buf_reset(&iso);
  buf_reset(&err);
}

/* Assert that date_parse refuses zIn with exactly the message zWant and
** leaves the day untouched. */
static void check_err(const char *zIn, const char *zWant) {
  Day day = 12345;
  Buf err = BUF_INIT;
  bool bOk = date_parse(zIn, &day, &err);
  cr_assert_not(bOk, "date_parse(\"%s\") accepted", zIn);
  cr_assert_eq(day, 12345, "day untouched on failure");
  cr_assert_str_eq(buf_str(&err), zWant, "message for \"%s\"", zIn);
  buf_reset(&err);
}

/* Day of y-m-d, asserting it is valid. */
static Day ymd(int y, int m, int d) {
  Day day = 0;
  cr_assert(date_from_ymd(y, m, d, &day), "%d-%d-%d", y, m, d);
  return day;
}

Test(date, known_day_numbers) {
  cr_assert_eq(ymd(1970, 1, 1), 0);
  cr_assert_eq(ymd(2021, 2, 1), 18659);
  cr_assert_eq(ymd(2000, 3, 1), 11017);
  cr_assert_eq(ymd(1900, 1, 1), -25567);
  cr_assert_eq(ymd(1900, 3, 1), -25508);
  cr_assert_eq(ymd(2024, 2, 29), 19782);
  cr_assert_eq(ymd(9999, 12, 31), 2932896);
}

Test(date, from_ymd_rejects) {
  Day day = 77;
  cr_assert_not(date_from_ymd(2021, 2, 29, &day));
  cr_assert_not(date_from_ymd(1900, 2, 29, &day), "1900 is not leap");
  cr_assert_not(date_from_ymd(2100, 2, 29, &day), "2100 is not leap");
  cr_assert_not(date_from_ymd(2021, 4, 31, &day));
  cr_assert_not(date_from_ymd(2021, 9, 31, &day));
  cr_assert_not(date_from_ymd(2021, 0, 1, &day));
  cr_assert_not(date_from_ymd(2021, 13, 1, &day));
  cr_assert_not(date_from_ymd(2021, 1, 0, &day));
  cr_assert_not(date_from_ymd(2021, 1, 32, &day));
  cr_assert_not(date_from_ymd(1899, 12, 31, &day));
  cr_assert_not(date_from_ymd(10000, 1, 1, &day));
  cr_assert_not(date_from_ymd(-5, 1, 1, &day));
  cr_assert_eq(day, 77, "untouched on failure");
}

Test(date, leap_years) {
  cr_assert(date_is_leap_year(2000));
  cr_assert(date_is_leap_year(2024));
  cr_assert(date_is_leap_year(1904));
  cr_assert_not(date_is_leap_year(1900));
  cr_assert_not(date_is_leap_year(2100));
  cr_assert_not(date_is_leap_year(2021));
  cr_assert_eq(date_days_in_month(2024, 2), 29);
  cr_assert_eq(date_days_in_month(2021, 2), 28);
  cr_assert_eq(date_days_in_month(2000, 2), 29);
  cr_assert_eq(date_days_in_month(1900, 2), 28);
  cr_assert_eq(date_days_in_month(2021, 9), 30);
  cr_assert_eq(date_days_in_month(2021, 12), 31);
  Day day = 0;
  cr_assert(date_from_ymd(2000, 2, 29, &day));
  cr_assert(date_from_ymd(2024, 2, 29, &day));
}

Test(date, round_trip_every_day_1900_9999) {
  Day first = ymd(1900, 1, 1);
  Day last = ymd(9999, 12, 31);
  int yPrev = 1899, mPrev = 12, dPrev = 31;
  for (Day day = first; day <= last; day++) {
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    /* The next calendar day after the previous one. */
    int yWant = yPrev, mWant = mPrev, dWant = dPrev + 1;
    if (dWant > (yPrev == 1899 ? 31 : date_days_in_month(yPrev, mPrev))) {
      dWant = 1;
      if (++mWant > 12) {
        mWant = 1;
        yWant++;
      }
    }
    if (y != yWant || m != mWant || d != dWant) {
      cr_assert_fail("day %d gave %d-%d-%d, expected %d-%d-%d", day, y, m, d, yWant, mWant, dWant);
    }
    Day back = -1;
    if (!date_from_ymd(y, m, d, &back) || back != day) {
      cr_assert_fail("round trip of %d failed", day);
    }
    yPrev = y;
    mPrev = m;
    dPrev = d;
  }
  cr_assert_eq(yPrev, 9999);
}

Test(date, to_ymd_outside_range) {
  int y, m, d;
  date_to_ymd(-1, &y, &m, &d);
  cr_assert(y == 1969 && m == 12 && d == 31);
  date_to_ymd(-719468, &y, &m, &d); /* 0000-03-01 */
  cr_assert(y == 0 && m == 3 && d == 1);
  date_to_ymd(INT32_MIN, &y, &m, &d);
  cr_assert(m >= 1 && m <= 12 && d >= 1 && d <= 31);
  date_to_ymd(INT32_MAX, &y, &m, &d);
  cr_assert(m >= 1 && m <= 12 && d >= 1 && d <= 31);
}

Test(date, weekday) {
  cr_assert_eq(date_weekday(ymd(2021, 2, 1)), 0, "Monday");
  cr_assert_eq(date_weekday(ymd(2021, 2, 7)), 6, "Sunday");
  cr_assert_eq(date_weekday(ymd(1970, 1, 1)), 3, "Thursday");
  cr_assert_eq(date_weekday(ymd(1900, 1, 1)), 0, "Monday");
  cr_assert_eq(date_weekday(ymd(9999, 12, 31)), 4, "Friday");
  cr_assert_eq(date_weekday(-1), 2, "1969-12-31 Wednesday");
  cr_assert_eq(date_weekday(-7), 3);
  cr_assert_eq(date_weekday(INT32_MIN), ((INT32_MIN % 7) + 7 + 3) % 7);
}

Test(date, format_iso) {
  Buf b = BUF_INIT;
  buf_puts(&b, "x=");
  date_format_iso(ymd(2021, 2, 1), &b);
  cr_assert_str_eq(buf_str(&b), "x=2021-02-01", "appends");
  buf_clear(&b);
  date_format_iso(ymd(1900, 1, 1), &b);
  cr_assert_str_eq(buf_str(&b), "1900-01-01");
  buf_clear(&b);
  date_format_iso(ymd(9999, 12, 31), &b);
  cr_assert_str_eq(buf_str(&b), "9999-12-31");
  buf_reset(&b);
}

Test(date, format_long) {
  Buf b = BUF_INIT;
  date_format_long(ymd(2021, 2, 1), &b);
  cr_assert_str_eq(buf_str(&b), "1 de febrero de 2021");
  buf_clear(&b);
  date_format_long(ymd(2021, 9, 30), &b);
  cr_assert_str_eq(buf_str(&b), "30 de septiembre de 2021");
  buf_clear(&b);
  date_format_long(ymd(2021, 12, 31), &b);
  cr_assert_str_eq(buf_str(&b), "31 de diciembre de 2021");
  buf_reset(&b);
}

Test(date, month_names) {
  const char *azWant[] = {"enero", "febrero", "marzo",      "abril",   "mayo",      "junio",
                          "julio", "agosto",  "septiembre", "octubre", "noviembre", "diciembre"};
  for (int m = 1; m <= 12; m++) {
    cr_assert_str_eq(date_month_name(m), azWant[m - 1]);
  }
}

Test(date, today) {
  time_t t = time(NULL);
  Day utc = (Day)(t / 86400);
  Day today = date_today();
  cr_assert(today >= utc - 1 && today <= utc + 1, "today %d vs UTC day %d", today, utc);
}

/* ---- accepted forms ------------------------------------------------------ */

Test(date, parse_seed_forms) {
  check_ok("01-febrero-2021", "2021-02-01");
  check_ok("1-julio-2021", "2021-07-01");
  check_ok("31-marzo-2021", "2021-03-31");
  check_ok("30-septiembre-2021", "2021-09-30");
  check_ok("17-diciembre-2021", "2021-12-17");
}

Test(date, parse_month_name_separators) {
  check_ok("1 julio 2021", "2021-07-01");
  check_ok("1/julio/2021", "2021-07-01");
  check_ok("1.julio.2021", "2021-07-01");
  check_ok("1 - julio - 2021", "2021-07-01");
  check_ok("1 de julio de 2021", "2021-07-01");
  check_ok("1 de julio del 2021", "2021-07-01");
  check_ok("1 de julio 2021", "2021-07-01");
  check_ok("1 julio de 2021", "2021-07-01");
  check_ok("01-feb-21", "2021-02-01");
}

Test(date, parse_every_month_name) {
  const char *azName[] = {"enero", "febrero", "marzo",      "abril",   "mayo",      "junio",
                          "julio", "agosto",  "septiembre", "octubre", "noviembre", "diciembre"};
  for (int m = 1; m <= 12; m++) {
    char *zIn = xasprintf("15-%s-2021", azName[m - 1]);
    char *zWant = xasprintf("2021-%02d-15", m);
    check_ok(zIn, zWant);
    free(zIn);
    free(zWant);
  }
  check_ok("15-setiembre-2021", "2021-09-15");
}

Test(date, parse_abbreviations) {
  const struct {
    const char *zAbbr;
    int m;
  } a[] = {{"ene", 1}, {"feb", 2}, {"mar", 3},  {"abr", 4}, {"may", 5},  {"jun", 6},  {"jul", 7},
           {"ago", 8}, {"sep", 9}, {"sept", 9}, {"set", 9}, {"oct", 10}, {"nov", 11}, {"dic", 12}};
  for (size_t k = 0; k < sizeof a / sizeof a[0]; k++) {
    char *zWant = xasprintf("2021-%02d-05", a[k].m);
    char *zIn = xasprintf("5-%s-2021", a[k].zAbbr);
    check_ok(zIn, zWant);
    free(zIn);
    zIn = xasprintf("5 %s. 2021", a[k].zAbbr);
    check_ok(zIn, zWant);
    free(zIn);
    zIn = xasprintf("05-%s.-2021", a[k].zAbbr);
    check_ok(zIn, zWant);
    free(zIn);
    free(zWant);
  }
}

Test(date, parse_case_accents_spaces) {
  check_ok("  01-FEBRERO-2021  ", "2021-02-01");
  check_ok("1 De Julio De 2021", "2021-07-01");
  check_ok("\t1-Julio-2021\r\n", "2021-07-01");
  check_ok("1\xC2\xA0"
           "de\xC2\xA0julio\xC2\xA0"
           "de\xC2\xA0"
           "2021",
           "2021-07-01");
  check_ok("1  de   julio  de 2021", "2021-07-01");
  check_ok("1-SEPTIÉMBRE-2021", "2021-09-01");
  check_ok("1-Díc-2021", "2021-12-01");
}

Test(date, parse_numeric_day_first) {
  check_ok("01/02/2021", "2021-02-01");
  check_ok("1-2-2021", "2021-02-01");
  check_ok("1.2.2021", "2021-02-01");
  check_ok("01/02/21", "2021-02-01");
  check_ok("31/12/99", "2099-12-31");
  check_ok("1 / 2 / 2021", "2021-02-01");
  check_ok("01/02/2021 00:00:00", "2021-02-01");
}

Test(date, parse_iso) {
  check_ok("2021-02-01", "2021-02-01");
  check_ok("2021-2-1", "2021-02-01");
  check_ok("2021/02/01", "2021-02-01");
  check_ok("2021.02.01", "2021-02-01");
  check_ok("2021-02-01T00:00:00", "2021-02-01");
  check_ok("2021-02-01 00:00:00", "2021-02-01");
  check_ok("2021-02-01 23:59", "2021-02-01");
  check_ok("2021-02-01T12:30:45.123", "2021-02-01");
  check_ok("2021-02-01t00:00:00", "2021-02-01");
  check_ok(" 2021-02-01 ", "2021-02-01");
  check_ok("1900-01-01", "1900-01-01");
  check_ok("9999-12-31", "9999-12-31");
}

Test(date, parse_leap_days) {
  check_ok("29-febrero-2024", "2024-02-29");
  check_ok("29/02/2000", "2000-02-29");
  check_err("29-febrero-2021", "el 29 de febrero de 2021 no existe");
  check_err("29/02/1900", "el 29 de febrero de 1900 no existe");
  check_err("2100-02-29", "el 29 de febrero de 2100 no existe");
}

Test(date, parse_serial) {
  check_ok("44228", "2021-02-01");
  check_ok("44228.0", "2021-02-01");
  check_ok("44228.5", "2021-02-01");
  check_ok("44228.99999", "2021-02-01");
  check_ok("44228,5", "2021-02-01");
  check_ok(" 44228 ", "2021-02-01");
  check_ok("000044228", "2021-02-01");
  check_ok("25569", "1970-01-01");
  check_ok("1", "1900-01-01");
  check_ok("59", "1900-02-28");
  check_ok("61", "1900-03-01");
  check_ok("2958465", "9999-12-31");
}

Test(date, parse_serial_errors) {
  check_err("60", "el número de serie de Excel 60 es el 29 de febrero de 1900, que no existe");
  check_err("60.5", "el número de serie de Excel 60 es el 29 de febrero de 1900, que no existe");
  check_err("0", "número de serie de Excel 0 fuera del rango 1 a 2958465");
  check_err("0.5", "número de serie de Excel 0 fuera del rango 1 a 2958465");
  check_err("2958466", "número de serie de Excel 2958466 fuera del rango 1 a 2958465");
  check_err("99999999999999999999",
            "número de serie de Excel 99999999999999999999 fuera del rango 1 a 2958465");
}

/* ---- error messages ------------------------------------------------------ */

Test(date, parse_empty) {
  check_err("", "fecha vacía");
  check_err("   ", "fecha vacía");
  check_err("\t\xC2\xA0\n", "fecha vacía");
  check_err(NULL, "fecha vacía");
}

Test(date, parse_unknown_month) {
  check_err("01-febro-2021", "mes desconocido «febro»");
  check_err("1 de Febro de 2021", "mes desconocido «febro»");
  check_err("1-jan-2021", "mes desconocido «jan»");
  check_err("1-fe-2021", "mes desconocido «fe»");
  check_err("1-febrer-2021", "mes desconocido «febrer»");
  check_err("1-febreroo-2021", "mes desconocido «febreroo»");
  check_err("1-semana-2021", "mes desconocido «semana»");
}

Test(date, parse_day_does_not_exist) {
  check_err("31-septiembre-2021", "el 31 de septiembre de 2021 no existe");
  check_err("31 de septiembre de 2021", "el 31 de septiembre de 2021 no existe");
  check_err("31/09/2021", "el 31 de septiembre de 2021 no existe");
  check_err("2021-09-31", "el 31 de septiembre de 2021 no existe");
  check_err("32-enero-2021", "el 32 de enero de 2021 no existe");
  check_err("0-enero-2021", "el 0 de enero de 2021 no existe");
  check_err("2021-04-00", "el 0 de abril de 2021 no existe");
}

Test(date, parse_month_number) {
  check_err("01/13/2021", "mes 13 no válido en «01/13/2021»; escriba el día primero (día/mes/año)");
  check_err("13/13/2021", "mes 13 no válido en «13/13/2021»");
  check_err("01/00/2021", "mes 0 no válido en «01/00/2021»");
}

Test(date, parse_year_range) {
  check_err("01-febrero-1850", "año 1850 fuera del rango 1900 a 9999");
  check_err("01/02/0000", "año 0 fuera del rango 1900 a 9999");
  check_err("1899-12-31", "año 1899 fuera del rango 1900 a 9999");
}

#define HINT "; use por ejemplo 01-febrero-2021 o 2021-02-01"

Test(date, parse_format_not_recognised) {
  check_err("2021/31/31", "formato de fecha no reconocido «2021/31/31»" HINT);
  check_err("2021-13-01", "formato de fecha no reconocido «2021-13-01»" HINT);
  check_err("febrero 1 2021", "formato de fecha no reconocido «febrero 1 2021»" HINT);
  check_err("01-febrero", "formato de fecha no reconocido «01-febrero»" HINT);
  check_err("01/02", "formato de fecha no reconocido «01/02»" HINT);
  check_err("01/02-2021", "formato de fecha no reconocido «01/02-2021»" HINT);
  check_err("01 02 2021", "formato de fecha no reconocido «01 02 2021»" HINT);
  check_err("01/02/202", "formato de fecha no reconocido «01/02/202»" HINT);
  check_err("001/02/2021", "formato de fecha no reconocido «001/02/2021»" HINT);
  check_err("1-feb-202", "formato de fecha no reconocido «1-feb-202»" HINT);
  check_err("123-feb-2021", "formato de fecha no reconocido «123-feb-2021»" HINT);
  check_err("01febrero2021", "formato de fecha no reconocido «01febrero2021»" HINT);
  check_err("1--2021", "formato de fecha no reconocido «1--2021»" HINT);
  check_err("-5", "formato de fecha no reconocido «-5»" HINT);
  check_err("44228.", "formato de fecha no reconocido «44228.»" HINT);
  check_err("1 de julio de 2021 x", "formato de fecha no reconocido «1 de julio de 2021 x»" HINT);
  check_err("1, julio 2021", "formato de fecha no reconocido «1, julio 2021»" HINT);
  check_err("hoy", "formato de fecha no reconocido «hoy»" HINT);
  check_err("Fecha Inicio", "formato de fecha no reconocido «Fecha Inicio»" HINT);
}

Test(date, parse_bad_times) {
  check_err("2021-02-01T24:00:00", "formato de fecha no reconocido «2021-02-01T24:00:00»" HINT);
  check_err("2021-02-01 10:60", "formato de fecha no reconocido «2021-02-01 10:60»" HINT);
  check_err("2021-02-01 10", "formato de fecha no reconocido «2021-02-01 10»" HINT);
  check_err("2021-02-01T", "formato de fecha no reconocido «2021-02-01T»" HINT);
  check_err("2021-02-01 00:00 x", "formato de fecha no reconocido «2021-02-01 00:00 x»" HINT);
  check_ok("2021-02-01  00:00", "2021-02-01"); /* spaces collapse */
}

Test(date, parse_message_quotes_safely) {
  check_err("ab\x01"
            "c",
            "formato de fecha no reconocido «ab?c»" HINT);
  check_err("fecha\xFF", "formato de fecha no reconocido «fecha?»" HINT);
  check_err("x\xC2\x85y", "formato de fecha no reconocido «x?y»" HINT);
  check_err("esta celda contiene un texto larguísimo que no es una fecha",
            "formato de fecha no reconocido «esta celda contiene un texto larguísimo…»" HINT);
}

Test(date, parse_appends_to_err) {
  Buf err = BUF_INIT;
  buf_puts(&err, "plan.csv:17: ");
  Day day = 0;
  cr_assert_not(date_parse("31-septiembre-2021", &day, &err));
  cr_assert_str_eq(buf_str(&err), "plan.csv:17: el 31 de septiembre de 2021 no existe");
  buf_reset(&err);
}

Test(date, parse_null_err) {
  Day day = 5;
  cr_assert_not(date_parse("febro", &day, NULL));
  cr_assert_not(date_parse("", &day, NULL));
  cr_assert_not(date_parse("60", &day, NULL));
  cr_assert_not(date_parse("1-x-2021", &day, NULL));
  cr_assert_not(date_parse("01/13/2021", &day, NULL));
  cr_assert_eq(day, 5);
  cr_assert(date_parse("1-julio-2021", &day, NULL));
  cr_assert_eq(day, ymd(2021, 7, 1));
}

Test(date, parse_item7_end_before_start) {
  /* The seed's item 7: both parse; the importer reports the order. */
  Day start = 0;
  Day end = 0;
  cr_assert(date_parse("1-octubre-2021", &start, NULL));
  cr_assert(date_parse("30-septiembre-2021", &end, NULL));
  cr_assert_lt(end, start);
}

/* The two stored-ISO meanings (date.h): a whole date, and a timestamp's day. */
Test(date, parse_iso_exact_date) {
  Day d = 0, want = 0;
  cr_assert(date_from_ymd(2021, 6, 30, &want));
  cr_expect(date_parse_iso("2021-06-30", &d));
  cr_expect_eq(d, want);
  cr_assert(date_from_ymd(2024, 2, 29, &want));
  cr_expect(date_parse_iso("2024-02-29", &d));
  cr_expect_eq(d, want);
  d = 7;
  const char *azBad[] = {NULL,          "",           "2021-6-30",   "2021-06-3",
                         "2021-+6-30",  "2021- 6-30", "2021-06-31",  "2023-02-29",
                         "2021-13-01",  "2021/06/30", "30-06-2021",  "2021-06-30T12:00:00Z",
                         "2021-06-30 ", " 2021-06-30", "-021-06-30", "20210630"};
  for (size_t i = 0; i < sizeof azBad / sizeof azBad[0]; i++) {
    cr_expect_not(date_parse_iso(azBad[i], &d), "%s", azBad[i] ? azBad[i] : "NULL");
  }
  cr_expect_eq(d, 7, "untouched when refused");
}

Test(date, parse_iso_stamp_day) {
  Day d = 0, want = 0;
  cr_assert(date_from_ymd(2021, 6, 30, &want));
  const char *azOk[] = {"2021-06-30", "2021-06-30T12:00:00Z", "2021-06-30 07:00:00",
                        "2021-06-30T23:59"};
  for (size_t i = 0; i < sizeof azOk / sizeof azOk[0]; i++) {
    d = 0;
    cr_expect(date_parse_iso_stamp(azOk[i], &d), "%s", azOk[i]);
    cr_expect_eq(d, want, "%s", azOk[i]);
  }
  const char *azBad[] = {NULL, "", "2021-06", "2021-6-30T12:00:00Z", "2021-06-31T00:00:00Z",
                         "x2021-06-30"};
  for (size_t i = 0; i < sizeof azBad / sizeof azBad[0]; i++) {
    cr_expect_not(date_parse_iso_stamp(azBad[i], &d), "%s", azBad[i] ? azBad[i] : "NULL");
  }
}
