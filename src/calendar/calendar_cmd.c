/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The `participa calendar` command: the national holidays of a year with
** their names and weekdays, a due date N business days after a date, and
** the entity's own non-working days (add, remove, list).
**
** Listing and adding need no database: the national calendar is pure
** computation. When the database file exists its entity days are used too
** (the command is declared without CMD_DB and opens it only then); the
** `dia` subcommands need it. The forms are dispatched here rather than by
** the command table because `calendar AÑO` takes a year where a subcommand
** name would go. No SQL here: everything goes through calendar.h.
*/
#include "calendar/calendar_cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/auth.h"
#include "base/args.h"
#include "base/buf.h"
#include "base/clock.h"
#include "calendar/calendar.h"

#define USAGE_YEAR       "calendar [AÑO]"
#define USAGE_ADD        "calendar add FECHA N"
#define USAGE_DIA_ADD    "calendar dia add FECHA --motivo TEXTO"
#define USAGE_DIA_REMOVE "calendar dia remove FECHA"
#define USAGE_DIA_LIST   "calendar dia list [AÑO]"
#define MAX_TERM         1000 /* largest N of `calendar add` */

/* The year of day. */
static int year_of(Day day) {
  int y, m, d;
  date_to_ymd(day, &y, &m, &d);
  return y;
}

/* Parse the date z for zUsage or exit 2 with a message saying how to write
** it. A date must lie in the calendar's years. */
static Day date_arg(const char *z, const char *zUsage) {
  if (z[0] && strspn(z, "0123456789.,") == strlen(z)) {
    args_usage_error(zUsage,
                     "«%s» es un número, no una fecha; escríbala como 31-marzo-2021 o "
                     "2021-03-31",
                     z);
  }
  Day day;
  Buf err = BUF_INIT;
  if (!date_parse(z, &day, &err)) {
    args_usage_error(zUsage, "fecha ilegible: %s", buf_str(&err));
  }
  buf_reset(&err);
  int y = year_of(day);
  if (y < CALENDAR_YEAR_MIN || y > CALENDAR_YEAR_MAX) {
    args_usage_error(zUsage, "la fecha «%s» está fuera del calendario (años %d a %d)", z,
                     CALENDAR_YEAR_MIN, CALENDAR_YEAR_MAX);
  }
  return day;
}

/* The year of argument z, or this year when z is NULL; exits 2 when out of range. */
static int year_arg(const char *z, const char *zUsage) {
  if (z == NULL) {
    return year_of(clock_today());
  }
  return (int)args_long(z, CALENDAR_YEAR_MIN, CALENDAR_YEAR_MAX, "el año", zUsage);
}

/* Load the entity's days into c when the database file exists (it is never
** created here). Returns whether there is one. */
static bool load_if_any(App *app, Calendar *c) {
  if (app->db == NULL && access(app->zDbPath, F_OK) != 0) {
    return false;
  }
  app_open_db(app, false);
  calendar_load(c, app->db);
  return true;
}

/* Print "  lunes 5 de julio de 2021  NAME". */
static void print_day(Day day, const char *zName) {
  Buf b = BUF_INIT;
  calendar_format_long(day, &b);
  printf("  %s  %s\n", buf_str(&b), zName);
  buf_reset(&b);
}

/* Print the entity's days of c in year iYear (every year when 0); returns
** how many. */
static int print_extra(const Calendar *c, int iYear) {
  int n = 0;
  for (int i = 0; i < c->nExtra; i++) {
    if (iYear == 0 || year_of(c->aExtra[i]) == iYear) {
      print_day(c->aExtra[i], c->azExtra[i]);
      n++;
    }
  }
  return n;
}

/* `calendar [AÑO]`. */
static int year_cmd(App *app, int argc, char **argv) {
  args_count(argc, 0, 1, USAGE_YEAR);
  int iYear = year_arg(argc > 1 ? argv[1] : NULL, USAGE_YEAR);
  Calendar c;
  calendar_init(&c);
  bool bDb = load_if_any(app, &c);
  Holiday a[CALENDAR_HOLIDAYS];
  calendar_holidays(iYear, a);
  printf("Festivos nacionales de %d (Ley 51 de 1983):\n", iYear);
  int nDates = 0;
  for (int i = 0; i < CALENDAR_HOLIDAYS; i++) {
    print_day(a[i].day, a[i].zName);
    nDates += i == 0 || a[i].day != a[i - 1].day;
  }
  if (nDates < CALENDAR_HOLIDAYS) {
    printf("%d festivos en %d fechas: los que coinciden cuentan una vez.\n", CALENDAR_HOLIDAYS,
           nDates);
  }
  if (bDb) {
    printf("\nDías no hábiles de la entidad en %d:\n", iYear);
    if (print_extra(&c, iYear) == 0) {
      printf("  ninguno\n");
    }
  }
  Day first, last;
  date_from_ymd(iYear, 1, 1, &first);
  date_from_ymd(iYear, 12, 31, &last);
  printf("\n%d tiene %d días hábiles (de lunes a viernes, sin festivos%s).\n", iYear,
         calendar_between(&c, first - 1, last), bDb ? " ni días no hábiles de la entidad" : "");
  calendar_reset(&c);
  return 0;
}

/* `calendar add FECHA N`. */
static int add_cmd(App *app, int argc, char **argv) {
  args_count(argc, 2, 2, USAGE_ADD);
  Day from = date_arg(argv[1], USAGE_ADD);
  int n = (int)args_long(argv[2], 0, MAX_TERM, "el número de días hábiles", USAGE_ADD);
  Calendar c;
  calendar_init(&c);
  load_if_any(app, &c);
  Day due = calendar_add(&c, from, n);
  if (year_of(due) > CALENDAR_YEAR_MAX) {
    fprintf(stderr, "participa: el resultado pasa del año %d, el último del calendario\n",
            CALENDAR_YEAR_MAX);
    calendar_reset(&c);
    return 1;
  }
  Buf b = BUF_INIT;
  calendar_format_long(due, &b);
  buf_puts(&b, " (");
  date_format_iso(due, &b);
  printf("%s)\n", buf_str(&b));
  buf_clear(&b);
  calendar_format_long(from, &b);
  int nCal = due - from;
  printf("%d %s después del %s: %d %s calendario.\n", n, n == 1 ? "día hábil" : "días hábiles",
         buf_str(&b), nCal, nCal == 1 ? "día" : "días");
  buf_reset(&b);
  /* the weekdays skipped on the way, and why */
  bool bTitle = false;
  for (Day d = from + 1; d < due; d++) {
    if (date_weekday(d) >= 5 || calendar_is_business_day(&c, d)) {
      continue;
    }
    if (!bTitle) {
      printf("Días no hábiles entre semana en el camino:\n");
      bTitle = true;
    }
    Holiday a[CALENDAR_HOLIDAYS];
    calendar_holidays(year_of(d), a);
    bool bNational = false;
    for (int i = 0; i < CALENDAR_HOLIDAYS; i++) {
      if (a[i].day == d) {
        print_day(d, a[i].zName);
        bNational = true;
      }
    }
    for (int i = 0; !bNational && i < c.nExtra; i++) {
      if (c.aExtra[i] == d) {
        Buf why = BUF_INIT;
        buf_appendf(&why, "%s (día no hábil de la entidad)", c.azExtra[i]);
        print_day(d, buf_str(&why));
        buf_reset(&why);
      }
    }
  }
  calendar_reset(&c);
  return 0;
}

/* Print "participa: MSG" (frees zErr); returns exit status 1. */
static int fail(char *zErr) {
  fprintf(stderr, "participa: %s\n", zErr);
  free(zErr);
  return 1;
}

/* `calendar dia add FECHA --motivo TEXTO`. */
static int dia_add_cmd(App *app, int argc, char **argv) {
  const char *zWhy = args_value(&argc, argv, "motivo");
  args_verify(&argc, argv, "calendar dia add");
  args_count(argc, 1, 1, USAGE_DIA_ADD);
  Day day = date_arg(argv[1], USAGE_DIA_ADD);
  if (zWhy == NULL) {
    args_usage_error(USAGE_DIA_ADD, "falta --motivo (por ejemplo --motivo \"Cierre por "
                                    "inventario\")");
  }
  app_open_db(app, false);
  app_actor_require(app, CAP_ADMIN, "calendar dia add");
  char *zErr = NULL;
  if (!calendar_extra_add(app->db, day, zWhy, app->zActor, &zErr)) {
    return fail(zErr);
  }
  Buf b = BUF_INIT;
  calendar_format_long(day, &b);
  printf("día no hábil de la entidad agregado: %s\n", buf_str(&b));
  buf_reset(&b);
  return 0;
}

/* `calendar dia remove FECHA`. */
static int dia_remove_cmd(App *app, int argc, char **argv) {
  args_verify(&argc, argv, "calendar dia remove");
  args_count(argc, 1, 1, USAGE_DIA_REMOVE);
  Day day = date_arg(argv[1], USAGE_DIA_REMOVE);
  app_open_db(app, false);
  app_actor_require(app, CAP_ADMIN, "calendar dia remove");
  char *zErr = NULL;
  if (!calendar_extra_remove(app->db, day, app->zActor, &zErr)) {
    return fail(zErr);
  }
  Buf b = BUF_INIT;
  calendar_format_long(day, &b);
  printf("día no hábil de la entidad quitado: %s\n", buf_str(&b));
  buf_reset(&b);
  return 0;
}

/* `calendar dia list [AÑO]`. */
static int dia_list_cmd(App *app, int argc, char **argv) {
  args_verify(&argc, argv, "calendar dia list");
  args_count(argc, 0, 1, USAGE_DIA_LIST);
  int iYear = argc > 1 ? year_arg(argv[1], USAGE_DIA_LIST) : 0;
  app_open_db(app, false);
  Calendar c;
  calendar_init(&c);
  calendar_load(&c, app->db);
  if (iYear) {
    printf("Días no hábiles de la entidad en %d:\n", iYear);
  } else {
    printf("Días no hábiles de la entidad:\n");
  }
  if (print_extra(&c, iYear) == 0) {
    printf("  ninguno\n");
  }
  calendar_reset(&c);
  return 0;
}

/* `calendar dia …`: argv[0] is "dia". */
static int dia_cmd(App *app, int argc, char **argv) {
  const char *zUsage = "calendar dia add|remove|list …";
  if (argc < 2) {
    args_usage_error(zUsage, "falta el subcomando (add, remove o list)");
  }
  if (strcmp(argv[1], "add") == 0) {
    return dia_add_cmd(app, argc - 1, argv + 1);
  }
  if (strcmp(argv[1], "remove") == 0) {
    return dia_remove_cmd(app, argc - 1, argv + 1);
  }
  if (strcmp(argv[1], "list") == 0) {
    return dia_list_cmd(app, argc - 1, argv + 1);
  }
  args_usage_error(zUsage, "subcomando desconocido «calendar dia %s»", argv[1]);
}

int calendar_cmd(App *app, int argc, char **argv) {
  if (argc >= 2 && strcmp(argv[1], "add") == 0) {
    args_verify(&argc, argv, "calendar add");
    return add_cmd(app, argc - 1, argv + 1);
  }
  if (argc >= 2 && (strcmp(argv[1], "dia") == 0 || strcmp(argv[1], "día") == 0)) {
    return dia_cmd(app, argc - 1, argv + 1);
  }
  args_verify(&argc, argv, "calendar");
  return year_cmd(app, argc, argv);
}
