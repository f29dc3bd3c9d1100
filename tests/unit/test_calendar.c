/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Unit tests for src/calendar/calendar.c: Easter by the Gregorian rules,
** the 2021 holiday vector of DOMAIN.md §4, the holidays derived from
** Easter in several years, the year where two holidays share a date,
** properties of every supported year, adding and counting business days
** across long weekends and Holy Week (dates worked out by hand on a printed
** calendar), the entity's own days (stored, logged, refused when they are
** already closed) and the limits of the supported range.
*/
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/util.h"
#include "calendar/calendar.h"
#include "db/db.h"
#include "testutil.h"

/* The day of an ISO date, asserting it is one. */
static Day iso(const char *z) {
  Day day = 0;
  Buf err = BUF_INIT;
  cr_assert(date_parse(z, &day, &err), "%s: %s", z, buf_str(&err));
  buf_reset(&err);
  return day;
}

/* day as ISO text into z (room for 11). */
static const char *iso_text(Day day, char z[16]) {
  Buf b = BUF_INIT;
  date_format_iso(day, &b);
  snprintf(z, 16, "%s", buf_str(&b));
  buf_reset(&b);
  return z;
}

/* Assert that the holiday named zName of year iYear falls on zWant. */
static void expect_holiday(int iYear, const char *zName, const char *zWant) {
  Holiday a[CALENDAR_HOLIDAYS];
  cr_assert(calendar_holidays(iYear, a));
  char z[16];
  for (int i = 0; i < CALENDAR_HOLIDAYS; i++) {
    if (strcmp(a[i].zName, zName) == 0) {
      cr_expect_str_eq(iso_text(a[i].day, z), zWant, "%s %d", zName, iYear);
      return;
    }
  }
  cr_assert_fail("no holiday named %s", zName);
}

/* Assert calendar_add(c, zFrom, n) is zWant. */
static void expect_add(const Calendar *c, const char *zFrom, int n, const char *zWant) {
  char z[16];
  cr_expect_str_eq(iso_text(calendar_add(c, iso(zFrom), n), z), zWant, "%s + %d", zFrom, n);
}

Test(calendar, vector_2021) {
  static const char *const azWant[CALENDAR_HOLIDAYS] = {
      "2021-01-01", "2021-01-11", "2021-03-22", "2021-04-01", "2021-04-02", "2021-05-01",
      "2021-05-17", "2021-06-07", "2021-06-14", "2021-07-05", "2021-07-20", "2021-08-07",
      "2021-08-16", "2021-10-18", "2021-11-01", "2021-11-15", "2021-12-08", "2021-12-25"};
  static const char *const azName[CALENDAR_HOLIDAYS] = {"Año Nuevo",
                                                        "Día de los Reyes Magos",
                                                        "Día de San José",
                                                        "Jueves Santo",
                                                        "Viernes Santo",
                                                        "Día del Trabajo",
                                                        "Ascensión del Señor",
                                                        "Corpus Christi",
                                                        "Sagrado Corazón de Jesús",
                                                        "San Pedro y San Pablo",
                                                        "Día de la Independencia",
                                                        "Batalla de Boyacá",
                                                        "La Asunción de la Virgen",
                                                        "Día de la Raza",
                                                        "Día de Todos los Santos",
                                                        "Independencia de Cartagena",
                                                        "Inmaculada Concepción",
                                                        "Navidad"};
  Holiday a[CALENDAR_HOLIDAYS];
  cr_assert(calendar_holidays(2021, a));
  char z[16];
  for (int i = 0; i < CALENDAR_HOLIDAYS; i++) {
    cr_expect_str_eq(iso_text(a[i].day, z), azWant[i], "holiday %d", i);
    cr_expect_str_eq(a[i].zName, azName[i], "holiday %d", i);
    cr_expect(calendar_is_holiday(a[i].day), "%s", azWant[i]);
  }
  /* every other day of 2021 is not a holiday */
  int nHoliday = 0;
  for (Day d = iso("2021-01-01"); d <= iso("2021-12-31"); d++) {
    nHoliday += calendar_is_holiday(d);
  }
  cr_expect_eq(nHoliday, CALENDAR_HOLIDAYS);
}

Test(calendar, easter) {
  static const char *const az[] = {"1984-04-22", "1985-04-07", "2000-04-23", "2008-03-23",
                                   "2011-04-24", "2016-03-27", "2018-04-01", "2019-04-21",
                                   "2020-04-12", "2021-04-04", "2022-04-17", "2023-04-09",
                                   "2024-03-31", "2025-04-20", "2038-04-25", "2100-03-28"};
  char z[16];
  for (size_t i = 0; i < sizeof az / sizeof az[0]; i++) {
    int iYear = atoi(az[i]);
    cr_expect_str_eq(iso_text(calendar_easter(iYear), z), az[i], "Easter %d", iYear);
  }
}

Test(calendar, holidays_from_easter) {
  /* Easter − 3, − 2, + 43, + 64, + 71 */
  static const struct {
    int iYear;
    const char *azDay[5];
  } a[] = {
      {1984, {"1984-04-19", "1984-04-20", "1984-06-04", "1984-06-25", "1984-07-02"}},
      {2000, {"2000-04-20", "2000-04-21", "2000-06-05", "2000-06-26", "2000-07-03"}},
      {2019, {"2019-04-18", "2019-04-19", "2019-06-03", "2019-06-24", "2019-07-01"}},
      {2025, {"2025-04-17", "2025-04-18", "2025-06-02", "2025-06-23", "2025-06-30"}},
      {2038, {"2038-04-22", "2038-04-23", "2038-06-07", "2038-06-28", "2038-07-05"}},
      {2100, {"2100-03-25", "2100-03-26", "2100-05-10", "2100-05-31", "2100-06-07"}},
  };
  static const char *const azName[5] = {"Jueves Santo", "Viernes Santo", "Ascensión del Señor",
                                        "Corpus Christi", "Sagrado Corazón de Jesús"};
  for (size_t i = 0; i < sizeof a / sizeof a[0]; i++) {
    for (int k = 0; k < 5; k++) {
      expect_holiday(a[i].iYear, azName[k], a[i].azDay[k]);
    }
  }
}

Test(calendar, moved_to_monday) {
  /* 2025: 6 January is a Monday and stays; 19 March (Wednesday) moves to
  ** the 24th; 12 October is a Sunday and moves to the 13th; 1 November is a
  ** Saturday (3rd); 11 November a Tuesday (17th); 15 August a Friday (18th) */
  expect_holiday(2025, "Día de los Reyes Magos", "2025-01-06");
  expect_holiday(2025, "Día de San José", "2025-03-24");
  expect_holiday(2025, "Día de la Raza", "2025-10-13");
  expect_holiday(2025, "Día de Todos los Santos", "2025-11-03");
  expect_holiday(2025, "Independencia de Cartagena", "2025-11-17");
  expect_holiday(2025, "La Asunción de la Virgen", "2025-08-18");
  /* fixed ones do not move: 7 August 2021 is a Saturday */
  expect_holiday(2021, "Batalla de Boyacá", "2021-08-07");
  expect_holiday(2021, "Día del Trabajo", "2021-05-01");
}

Test(calendar, two_holidays_one_date_2025) {
  Holiday a[CALENDAR_HOLIDAYS];
  cr_assert(calendar_holidays(2025, a));
  char z[16];
  int nOn = 0;
  for (int i = 0; i < CALENDAR_HOLIDAYS; i++) {
    if (strcmp(iso_text(a[i].day, z), "2025-06-30") == 0) {
      cr_expect_str_eq(a[i].zName, nOn == 0 ? "Sagrado Corazón de Jesús" : "San Pedro y San Pablo");
      nOn++;
    }
  }
  cr_expect_eq(nOn, 2, "both listed");
  /* counted once: 17 dates, and one business day less, not two */
  int nDates = 0;
  for (Day d = iso("2025-01-01"); d <= iso("2025-12-31"); d++) {
    nDates += calendar_is_holiday(d);
  }
  cr_expect_eq(nDates, 17);
  Calendar c;
  calendar_init(&c);
  cr_expect_eq(calendar_between(&c, iso("2025-06-27"), iso("2025-07-01")), 1); /* only 1 July */
  expect_add(&c, "2025-06-27", 1, "2025-07-01");
  calendar_reset(&c);
}

Test(calendar, every_supported_year) {
  for (int y = CALENDAR_YEAR_MIN; y <= CALENDAR_YEAR_MAX; y++) {
    Day easter = calendar_easter(y);
    int ey, em, ed;
    date_to_ymd(easter, &ey, &em, &ed);
    cr_assert_eq(date_weekday(easter), 6, "Easter %d on a Sunday", y);
    cr_assert(ey == y && ((em == 3 && ed >= 22) || (em == 4 && ed <= 25)), "Easter %d", y);
    Holiday a[CALENDAR_HOLIDAYS];
    cr_assert(calendar_holidays(y, a));
    int nShared = 0;
    for (int i = 0; i < CALENDAR_HOLIDAYS; i++) {
      int hy, hm, hd;
      date_to_ymd(a[i].day, &hy, &hm, &hd);
      cr_assert_eq(hy, y, "%s %d in its year", a[i].zName, y);
      cr_assert(calendar_is_holiday(a[i].day));
      if (i > 0) {
        cr_assert_geq(a[i].day, a[i - 1].day, "sorted in %d", y);
        if (a[i].day == a[i - 1].day) {
          /* the only possible pair */
          cr_assert_str_eq(a[i - 1].zName, "Sagrado Corazón de Jesús", "%d", y);
          cr_assert_str_eq(a[i].zName, "San Pedro y San Pablo", "%d", y);
          nShared++;
        }
      }
      bool bFixed = strcmp(a[i].zName, "Año Nuevo") == 0 ||
                    strcmp(a[i].zName, "Día del Trabajo") == 0 ||
                    strcmp(a[i].zName, "Día de la Independencia") == 0 ||
                    strcmp(a[i].zName, "Batalla de Boyacá") == 0 ||
                    strcmp(a[i].zName, "Inmaculada Concepción") == 0 ||
                    strcmp(a[i].zName, "Navidad") == 0 || strstr(a[i].zName, "Santo") != NULL;
      if (!bFixed) {
        cr_assert_eq(date_weekday(a[i].day), 0, "%s %d on a Monday", a[i].zName, y);
      }
    }
    cr_assert_leq(nShared, 1);
  }
}

Test(calendar, add_business_days) {
  Calendar c;
  calendar_init(&c);
  /* filed Friday before the Monday holiday of 5 July */
  expect_add(&c, "2021-07-02", 1, "2021-07-06");
  /* filed Wednesday before Jueves and Viernes Santo */
  expect_add(&c, "2021-03-31", 1, "2021-04-05");
  expect_add(&c, "2021-03-31", 5, "2021-04-09");
  /* 15 business days (petitions), worked out by hand */
  expect_add(&c, "2021-06-30", 15, "2021-07-23"); /* skips 5 and 20 July */
  expect_add(&c, "2021-03-26", 15, "2021-04-20"); /* Holy Week */
  expect_add(&c, "2021-12-17", 15, "2022-01-07"); /* year end; Reyes 2022 moves to the 10th */
  expect_add(&c, "2021-07-03", 15, "2021-07-27"); /* filed on a Saturday */
  expect_add(&c, "2021-11-10", 10, "2021-11-25"); /* 11 Nov is a working Thursday in 2021 */
  expect_add(&c, "2021-06-30", 30, "2021-08-13"); /* a consultation */
  /* n = 0: the day itself when open, else the next business day */
  expect_add(&c, "2021-07-07", 0, "2021-07-07");
  expect_add(&c, "2021-07-03", 0, "2021-07-06");
  expect_add(&c, "2021-04-01", 0, "2021-04-05");
  cr_expect(calendar_is_business_day(&c, iso("2021-07-06")));
  cr_expect_not(calendar_is_business_day(&c, iso("2021-07-05")));
  cr_expect_not(calendar_is_business_day(&c, iso("2021-07-03")));
  calendar_reset(&c);
}

Test(calendar, between) {
  Calendar c;
  calendar_init(&c);
  cr_expect_eq(calendar_between(&c, iso("2021-06-30"), iso("2021-07-23")), 15);
  cr_expect_eq(calendar_between(&c, iso("2021-07-23"), iso("2021-06-30")), -15);
  cr_expect_eq(calendar_between(&c, iso("2021-07-02"), iso("2021-07-02")), 0);
  cr_expect_eq(calendar_between(&c, iso("2021-07-02"), iso("2021-07-05")), 0); /* Sat, Sun, hol */
  cr_expect_eq(calendar_between(&c, iso("2021-07-01"), iso("2021-07-02")), 1); /* (from, to] */
  /* 2021: 261 weekdays, 15 of the holidays on a weekday */
  cr_expect_eq(calendar_between(&c, iso("2020-12-31"), iso("2021-12-31")), 246);
  /* between undoes add, from every day of 2021 for terms up to 40 */
  for (Day d = iso("2021-01-01"); d <= iso("2021-12-31"); d++) {
    for (int n = 1; n <= 40; n++) {
      Day due = calendar_add(&c, d, n);
      cr_assert_eq(calendar_between(&c, d, due), n);
      cr_assert(calendar_is_business_day(&c, due));
      cr_assert_eq(calendar_between(&c, d, due - 1), n - 1);
    }
  }
  calendar_reset(&c);
}

Test(calendar, range_limits) {
  Holiday a[CALENDAR_HOLIDAYS];
  cr_expect_not(calendar_holidays(CALENDAR_YEAR_MIN - 1, a));
  cr_expect_not(calendar_holidays(CALENDAR_YEAR_MAX + 1, a));
  cr_expect(calendar_holidays(CALENDAR_YEAR_MIN, a));
  cr_expect(calendar_holidays(CALENDAR_YEAR_MAX, a));
  cr_expect(calendar_is_holiday(iso("1984-01-01")));
  cr_expect(calendar_is_holiday(iso("2100-12-25")));
  cr_expect_not(calendar_is_holiday(iso("1983-12-25")));
  cr_expect_not(calendar_is_holiday(iso("2101-01-01")));
  Calendar c;
  calendar_init(&c);
  /* past the last year only weekends close: 2100-12-31 is a Friday */
  expect_add(&c, "2100-12-30", 1, "2100-12-31");
  expect_add(&c, "2100-12-31", 1, "2101-01-03");
  expect_add(&c, "1983-12-30", 1, "1984-01-02");
  calendar_reset(&c);
}

/* ---- the entity's days, stored in a database ---------------------------------------------- */

typedef struct Fx {
  char zDir[64]; /* temporary directory */
  char *zDb;     /* database path (owned) */
  Db *db;        /* open database */
} Fx;

static void fx_open(Fx *f) {
  memset(f, 0, sizeof *f);
  cr_assert_eq(setenv("PARTICIPA_NOW", "2021-06-30T12:00:00Z", 1), 0);
  snprintf(f->zDir, sizeof f->zDir, "/tmp/participa-calendar-XXXXXX");
  cr_assert_not_null(mkdtemp(f->zDir));
  f->zDb = xasprintf("%s/plan.db", f->zDir);
  char *zErr = NULL;
  f->db = db_open(f->zDb, DB_CREATE, &zErr);
  cr_assert_not_null(f->db, "db_open: %s", zErr ? zErr : "");
}

static void fx_close(Fx *f) {
  db_close(f->db);
  cr_assert_eq(test_remove_dir(f->zDir), 0);
  free(f->zDb);
}

/* Assert calendar_extra_add refuses day zDay with a message containing zWant. */
static void expect_refused(Db *db, const char *zDay, const char *zWhy, const char *zWant) {
  char *zErr = NULL;
  cr_expect_not(calendar_extra_add(db, iso(zDay), zWhy, "prueba", &zErr), "%s accepted", zDay);
  cr_expect(zErr && strstr(zErr, zWant), "%s: «%s», expected «%s»", zDay, zErr ? zErr : "", zWant);
  free(zErr);
}

Test(calendar, entity_days) {
  Fx f;
  fx_open(&f);
  int64_t nLog = db_int(f.db, "SELECT count(*) FROM change_log");
  char *zErr = NULL;
  cr_assert(calendar_extra_add(f.db, iso("2021-07-06"), "  Cierre por inventario ", "ana", &zErr),
            "%s", zErr ? zErr : "");
  cr_assert(calendar_extra_add(f.db, iso("2021-11-11"), "Fiesta local", "ana", &zErr));
  cr_expect_eq(db_int(f.db, "SELECT count(*) FROM change_log"), nLog + 2);
  Calendar c;
  calendar_init(&c);
  calendar_load(&c, f.db);
  cr_assert_eq(c.nExtra, 2);
  cr_expect_eq(c.aExtra[0], iso("2021-07-06"));
  cr_expect_str_eq(c.azExtra[0], "Cierre por inventario"); /* trimmed */
  cr_expect_str_eq(c.azExtra[1], "Fiesta local");
  /* the entity's days shift the results */
  expect_add(&c, "2021-07-02", 1, "2021-07-07");
  expect_add(&c, "2021-06-30", 15, "2021-07-26");
  expect_add(&c, "2021-11-10", 10, "2021-11-26");
  expect_add(&c, "2021-07-06", 0, "2021-07-07");
  cr_expect_not(calendar_is_business_day(&c, iso("2021-07-06")));
  cr_expect_not(calendar_is_holiday(iso("2021-07-06"))); /* not a national holiday */
  cr_expect_eq(calendar_between(&c, iso("2021-06-30"), iso("2021-07-23")), 14);

  /* refusals: already closed, outside the range, no reason, repeated */
  expect_refused(f.db, "2021-07-03", "x", "el sábado 3 de julio de 2021 ya es fin de semana");
  expect_refused(f.db, "2021-07-05", "x",
                 "el lunes 5 de julio de 2021 ya es festivo nacional (San Pedro y San Pablo)");
  expect_refused(f.db, "2025-06-30", "x", "(Sagrado Corazón de Jesús; San Pedro y San Pablo)");
  expect_refused(f.db, "1983-12-30", "x", "el año 1983 está fuera del calendario (1984 a 2100)");
  expect_refused(f.db, "2101-01-03", "x", "el año 2101 está fuera del calendario");
  expect_refused(f.db, "2021-07-07", " \t ", "falta el motivo");
  char zLong[CALENDAR_WHY_MAX + 2];
  memset(zLong, 'a', sizeof zLong - 1);
  zLong[sizeof zLong - 1] = 0;
  expect_refused(f.db, "2021-07-07", zLong, "el motivo tiene 201 caracteres; el máximo es 200");
  expect_refused(f.db, "2021-07-06", "otra vez",
                 "el martes 6 de julio de 2021 ya es día no hábil de la entidad "
                 "(«Cierre por inventario»)");
  cr_expect_eq(db_int(f.db, "SELECT count(*) FROM non_working_day"), 2);
  cr_expect_eq(db_int(f.db, "SELECT count(*) FROM change_log"), nLog + 2, "refusals not logged");

  /* removing */
  cr_assert(calendar_extra_remove(f.db, iso("2021-07-06"), "ana", &zErr));
  cr_expect_not(calendar_extra_remove(f.db, iso("2021-07-06"), "ana", &zErr));
  cr_expect(zErr && strstr(zErr, "no es día no hábil de la entidad"), "%s", zErr ? zErr : "");
  free(zErr);
  cr_expect_eq(db_int(f.db, "SELECT count(*) FROM change_log"), nLog + 3);
  cr_expect_eq(db_int(f.db, "SELECT count(*) FROM change_log WHERE action = 'quitar' AND "
                            "object = 'non_working_day' AND object_id = 20210706 AND actor = "
                            "'ana' AND detail = '2021-07-06: Cierre por inventario'"),
               1);
  calendar_load(&c, f.db);
  cr_expect_eq(c.nExtra, 1);
  expect_add(&c, "2021-07-02", 1, "2021-07-06");
  calendar_reset(&c);
  fx_close(&f);
}

/* ---- speed and threads ----------------------------------------------------------------- */

Test(calendar, add_is_fast) {
  Calendar c;
  calendar_init(&c);
  Day aExtra[] = {iso("2021-07-06"), iso("2021-11-11")};
  c.aExtra = aExtra;
  c.nExtra = 2;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  Day start = iso("2021-01-01");
  long nSum = 0;
  for (int i = 0; i < 100000; i++) {
    nSum += calendar_add(&c, start + i % 365, 30);
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double rSec = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  cr_expect_gt(nSum, 0);
  /* a 30-day term takes well under a microsecond optimised; allow sanitizers */
  cr_expect_lt(rSec / 100000, 20e-6, "%.3f µs per call", rSec / 100000 * 1e6);
}

/* One thread's work: the first call of a fresh process may build the
** tables while others read them. */
static void *thread_main(void *p) {
  long *pnBad = p;
  Calendar c;
  calendar_init(&c);
  Day d = iso("2021-06-30");
  for (int i = 0; i < 2000; i++) {
    if (calendar_add(&c, d, 15) != iso("2021-07-23") || !calendar_is_holiday(iso("2021-07-05"))) {
      (*pnBad)++;
    }
  }
  return NULL;
}

Test(calendar, threads) {
  pthread_t a[4];
  long anBad[4] = {0};
  for (int i = 0; i < 4; i++) {
    cr_assert_eq(pthread_create(&a[i], NULL, thread_main, &anBad[i]), 0);
  }
  for (int i = 0; i < 4; i++) {
    pthread_join(a[i], NULL);
    cr_expect_eq(anBad[i], 0);
  }
}

Test(calendar, format_long) {
  Buf b = BUF_INIT;
  calendar_format_long(iso("2021-07-05"), &b);
  cr_expect_str_eq(buf_str(&b), "lunes 5 de julio de 2021");
  buf_clear(&b);
  calendar_format_long(iso("2021-07-03"), &b);
  cr_expect_str_eq(buf_str(&b), "sábado 3 de julio de 2021");
  buf_clear(&b);
  calendar_format_long(iso("2021-03-31"), &b);
  cr_expect_str_eq(buf_str(&b), "miércoles 31 de marzo de 2021");
  buf_reset(&b);
}
