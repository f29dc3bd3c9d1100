/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** CLI commands of the plan area: init, check, import, plan show/weight,
** target set, progress add/verify/reject, period list/set/scheme, office
** list/merge, report, export, log, and the hidden test- commands that expose
** the readers to scripts. Each parses its options and calls the plan core;
** no SQL and no computation lives here.
*/
#include "plan/plan_cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "base/args.h"
#include "base/clock.h"
#include "base/numword.h"
#include "base/text.h"
#include "io/csv.h"
#include "io/xlsx.h"
#include "office/office.h"
#include "plan/export.h"
#include "plan/plan.h"
#include "plan/plan_db.h"
#include "plan/report.h"
#include "plan/show.h"

/* Exit statuses of check/import. */
#define EXIT_CLEAN 0      /* no errors */
#define EXIT_ERRORS 1     /* errors found (nothing imported without --force) */
#define EXIT_UNREADABLE 2 /* the file cannot be read */

/* The plan to act on, or exit 1 with a message when the database has none. */
static int64_t need_plan(App *app) {
  int64_t iPlan = plan_current(app->db, app->iYear);
  if (iPlan == 0) {
    if (app->iYear) {
      app_fatal("no hay un plan del año %d en «%s»; vea «participa plan show»", app->iYear,
                app->zDbPath);
    }
    app_fatal("«%s» no tiene ningún plan; impórtelo con «participa import ARCHIVO»",
              app->zDbPath);
  }
  return iPlan;
}

/* Print the message zErr of a refused action (frees it); returns exit status 1. */
static int fail(char *zErr) {
  fprintf(stderr, "participa: %s\n", zErr);
  free(zErr);
  return 1;
}

/* Parse a whole number argument or exit 2 naming what it is. */
static long parse_item(const char *z, const char *zUsage) {
  char *zEnd;
  errno = 0;
  long v = strtol(z, &zEnd, 10);
  if (*z == 0 || *zEnd != 0 || errno || v < 1) {
    args_usage_error(zUsage, "«%s» no es un número de ítem (entero positivo)", z);
  }
  return v;
}

/* Parse a number argument ("2", "2,5") or exit 2. */
static double parse_value(const char *z, const char *zWhat, const char *zUsage) {
  double v;
  if (!plan_parse_number(z, &v)) {
    args_usage_error(zUsage, "%s «%s» no es un número", zWhat, z);
  }
  return v;
}

/* Parse a date argument or exit 2. */
static Day parse_day(const char *z, const char *zUsage) {
  Day d;
  Buf err = BUF_INIT;
  if (!date_parse(z, &d, &err)) {
    args_usage_error(zUsage, "fecha no válida: %s", buf_str(&err));
  }
  buf_reset(&err);
  return d;
}

/* Print the Buf to stdout and free it. */
static void emit(Buf *p) {
  fwrite(buf_str(p), 1, p->n, stdout);
  buf_reset(p);
}

/* Options shared by check and import. */
static void read_opts(App *app, int *pArgc, char **argv, PlanReadOpts *o) {
  memset(o, 0, sizeof *o);
  o->zSheet = args_value(pArgc, argv, "sheet");
  o->zEntity = args_value(pArgc, argv, "entity");
  o->iYear = app->iYear;
}

int init_cmd(App *app, int argc, char **argv) {
  args_verify(&argc, argv, "init");
  args_count(argc, 0, 0, app->zUsage);
  app_open_db(app, true);
  printf("base de datos lista: %s (esquema %d)\n", app->zDbPath, db_user_version(app->db));
  return 0;
}

int check_cmd(App *app, int argc, char **argv) {
  PlanReadOpts o;
  read_opts(app, &argc, argv, &o);
  args_verify(&argc, argv, "check");
  args_count(argc, 1, 1, app->zUsage);
  if (access(app->zDbPath, F_OK) == 0) {
    /* refuse an actor before reading the file; a new database has no accounts */
    app_open_db(app, false);
    app_actor_require(app, CAP_PLAN, "import");
  }
  PlanDraft d;
  plan_read_file(argv[1], &o, &d);
  plan_draft_report(&d, stderr);
  int rc = d.bUnreadable ? EXIT_UNREADABLE : d.diags.nError ? EXIT_ERRORS : EXIT_CLEAN;
  plan_draft_reset(&d);
  return rc;
}

int import_cmd(App *app, int argc, char **argv) {
  PlanReadOpts o;
  read_opts(app, &argc, argv, &o);
  bool bForce = args_flag(&argc, argv, "force");
  args_verify(&argc, argv, "import");
  args_count(argc, 1, 1, app->zUsage);
  if (access(app->zDbPath, F_OK) == 0) {
    /* refuse an actor before reading the file; a new database has no accounts */
    app_open_db(app, false);
    app_actor_require(app, CAP_PLAN, "import");
  }
  PlanDraft d;
  plan_read_file(argv[1], &o, &d);
  plan_draft_report(&d, stderr);
  if (d.bUnreadable) {
    plan_draft_reset(&d);
    return EXIT_UNREADABLE;
  }
  bool bMetaError = d.meta.zEntity[0] == 0 || d.meta.iYear == 0 || d.nAct == 0;
  if (d.diags.nError > 0 && (!bForce || bMetaError)) {
    fprintf(stderr, "%s: no se importó nada: %s\n", d.zSource,
            bMetaError ? "corrija los errores del archivo (sin entidad, año o actividades no "
                         "se puede guardar el plan)"
                       : "corrija los errores o use --force para guardar las actividades "
                         "marcadas «a revisar»");
    plan_draft_reset(&d);
    return EXIT_ERRORS;
  }
  app_open_db(app, true);
  if (app->zActor == NULL && app->zAs != NULL) {
    plan_draft_reset(&d); /* a new database: the account named cannot exist, which exits */
  }
  app_actor_require(app, CAP_PLAN, "import");
  char *zErr = NULL;
  if (!plan_check_periods(app->db, &d, &zErr)) {
    fprintf(stderr, "%s: no se importó nada: %s\n", d.zSource, zErr);
    free(zErr);
    plan_draft_reset(&d);
    return EXIT_ERRORS;
  }
  ImportResult res;
  plan_store(app->db, &d, app->zActor, bForce, &res);
  printf("%s: plan %d de %s %s: %d actividad%s nueva%s, %d modificada%s, %d sin cambios, %d "
         "eliminada%s, %d conservada%s (ausentes del archivo); %d a revisar; %d dependencia%s nueva%s\n",
         d.zSource, d.meta.iYear, d.meta.zEntity, res.bNewPlan ? "creado" : "actualizado",
         res.nAdded, res.nAdded == 1 ? "" : "es", res.nAdded == 1 ? "" : "s", res.nChanged,
         res.nChanged == 1 ? "" : "s", res.nSame, res.nRemoved, res.nRemoved == 1 ? "" : "s",
         res.nKept, res.nKept == 1 ? "" : "s", res.nReview, res.nOfficeNew,
         res.nOfficeNew == 1 ? "" : "s", res.nOfficeNew == 1 ? "" : "s");
  emit(&res.changes);
  plan_draft_reset(&d);
  return EXIT_CLEAN;
}

int plan_show_cmd(App *app, int argc, char **argv) {
  args_verify(&argc, argv, "plan show");
  args_count(argc, 0, 1, app->zUsage);
  int64_t iPlan = need_plan(app);
  Buf out = BUF_INIT;
  bool bOk = true;
  if (argc == 2) {
    long iItem = parse_item(argv[1], "plan show [ÍTEM]");
    bOk = plan_show_activity(app->db, iPlan, iItem, &out);
    if (!bOk) {
      fprintf(stderr, "participa: el plan no tiene el ítem %ld\n", iItem);
    }
  } else {
    plan_show_plan(app->db, iPlan, &out);
  }
  emit(&out);
  return bOk ? 0 : 1;
}

int plan_weight_cmd(App *app, int argc, char **argv) {
  args_verify(&argc, argv, "plan weight");
  const char *zUsage = app->zUsage;
  args_count(argc, 2, 2, zUsage);
  int64_t iPlan = need_plan(app);
  app_actor_require(app, CAP_PLAN, "plan weight");
  char *zErr = NULL;
  if (!plan_weight_set(app->db, iPlan, parse_item(argv[1], zUsage),
                       parse_value(argv[2], "el peso", zUsage), app->zActor, &zErr)) {
    return fail(zErr);
  }
  printf("ítem %s: peso %s\n", argv[1], argv[2]);
  return 0;
}

int target_set_cmd(App *app, int argc, char **argv) {
  args_verify(&argc, argv, "target set");
  const char *zUsage = app->zUsage;
  args_count(argc, 3, 3, zUsage);
  long iItem = parse_item(argv[1], zUsage);
  double v = parse_value(argv[3], "la meta", zUsage);
  int64_t iPlan = need_plan(app);
  app_actor_require(app, CAP_PLAN, "target set");
  char *zErr = NULL;
  if (!plan_target_set(app->db, iPlan, iItem, argv[2], v, app->zActor, &zErr)) {
    return fail(zErr);
  }
  printf("ítem %ld, %s: meta %s\n", iItem, argv[2], argv[3]);
  return 0;
}

int progress_add_cmd(App *app, int argc, char **argv) {
  const char *zUsage = app->zUsage;
  const char *zPeriod = args_value(&argc, argv, "period");
  const char *zValue = args_value(&argc, argv, "value");
  const char *zNote = args_value(&argc, argv, "note");
  const char *zEvidence = args_value(&argc, argv, "evidence");
  args_verify(&argc, argv, "progress add");
  args_count(argc, 1, 1, zUsage);
  if (zPeriod == NULL || zValue == NULL || zNote == NULL) {
    args_usage_error(zUsage, "faltan opciones: --period, --value y --note son obligatorias");
  }
  long iItem = parse_item(argv[1], zUsage);
  double v = parse_value(zValue, "el valor", zUsage);
  int64_t iPlan = need_plan(app);
  app_actor_require(app, CAP_REPORT, "progress add");
  int64_t iActivity = plan_activity_id(app->db, iPlan, iItem);
  if (iActivity != 0) {
    /* an unknown item is reported by plan_progress_add, as for everyone */
    app_actor_require_activity(app, iActivity, iItem, "progress add");
  }
  Evidence ev = {0};
  if (zEvidence) {
    if (strncmp(zEvidence, "http://", 7) == 0 || strncmp(zEvidence, "https://", 8) == 0) {
      ev.zUrl = zEvidence;
    } else {
      ev.zFile = zEvidence;
    }
  }
  char *zErr = NULL;
  int64_t id = plan_progress_add(app->db, app->zDataDir, iPlan, iItem, zPeriod, v, zNote,
                                 zEvidence ? &ev : NULL, app->zActor, &zErr);
  if (id == 0) {
    return fail(zErr);
  }
  printf("reporte %lld: ítem %ld, %s, valor %s, reportado por %s (pendiente de verificación)\n",
         (long long)id, iItem, zPeriod, zValue, app->zActor);
  return 0;
}

/* progress verify / progress reject. */
static int review_cmd(App *app, int argc, char **argv, bool bVerify) {
  const char *zUsage = app->zUsage;
  const char *zNote = args_value(&argc, argv, "note");
  args_verify(&argc, argv, bVerify ? "progress verify" : "progress reject");
  args_count(argc, 1, 1, zUsage);
  if (zNote == NULL) {
    args_usage_error(zUsage, "falta --note con el resultado de la revisión");
  }
  long id = args_long(argv[1], 1, 2147483647L, "el número de reporte", zUsage);
  app_actor_require(app, CAP_VERIFY, bVerify ? "progress verify" : "progress reject");
  char *zErr = NULL;
  if (!plan_progress_review(app->db, id, bVerify, zNote, app->zActor, &zErr)) {
    return fail(zErr);
  }
  printf("reporte %ld %s por %s\n", id, bVerify ? "verificado" : "rechazado", app->zActor);
  return 0;
}

int progress_verify_cmd(App *app, int argc, char **argv) {
  return review_cmd(app, argc, argv, true);
}

int progress_reject_cmd(App *app, int argc, char **argv) {
  return review_cmd(app, argc, argv, false);
}

int period_list_cmd(App *app, int argc, char **argv) {
  args_verify(&argc, argv, "period list");
  args_count(argc, 0, 0, app->zUsage);
  int64_t iPlan = need_plan(app);
  Period *a;
  int n = plan_periods(app->db, iPlan, &a);
  for (int i = 0; i < n; i++) {
    Buf b1 = BUF_INIT, b2 = BUF_INIT;
    date_format_iso(a[i].start, &b1);
    date_format_iso(a[i].end, &b2);
    printf("%-3s %-16s %s a %s (corte)\n", a[i].zCode, a[i].zName, buf_str(&b1), buf_str(&b2));
    buf_reset(&b1);
    buf_reset(&b2);
  }
  plan_periods_free(n, a);
  return 0;
}

int period_set_cmd(App *app, int argc, char **argv) {
  const char *zUsage = app->zUsage;
  args_verify(&argc, argv, "period set");
  args_count(argc, 2, 2, zUsage);
  Day end = parse_day(argv[2], zUsage);
  int64_t iPlan = need_plan(app);
  app_actor_require(app, CAP_ADMIN, "period set");
  char *zErr = NULL;
  if (!plan_period_set_end(app->db, iPlan, argv[1], end, app->zActor, &zErr)) {
    return fail(zErr);
  }
  return period_list_cmd(app, 1, argv);
}

int period_scheme_cmd(App *app, int argc, char **argv) {
  const char *zUsage = app->zUsage;
  args_verify(&argc, argv, "period scheme");
  args_count(argc, 1, 1, zUsage);
  int64_t iPlan = need_plan(app);
  app_actor_require(app, CAP_ADMIN, "period scheme");
  char *zErr = NULL;
  if (!plan_period_scheme(app->db, iPlan, argv[1], app->zActor, &zErr)) {
    return fail(zErr);
  }
  return period_list_cmd(app, 1, argv);
}

int office_list_cmd(App *app, int argc, char **argv) {
  args_verify(&argc, argv, "office list");
  args_count(argc, 0, 0, app->zUsage);
  Buf out = BUF_INIT;
  office_list(app->db, &out);
  emit(&out);
  return 0;
}

int office_merge_cmd(App *app, int argc, char **argv) {
  args_verify(&argc, argv, "office merge");
  args_count(argc, 2, 2, app->zUsage);
  app_actor_require(app, CAP_ADMIN, "office merge");
  char *zErr = NULL;
  if (!office_merge(app->db, argv[1], argv[2], app->zActor, &zErr)) {
    return fail(zErr);
  }
  printf("«%s» es ahora un alias de «%s»\n", argv[2], argv[1]);
  return 0;
}

int report_cmd(App *app, int argc, char **argv) {
  const char *zUsage = app->zUsage;
  const char *zAt = args_value(&argc, argv, "at");
  const char *zFormat = args_value(&argc, argv, "format");
  bool bReported = args_flag(&argc, argv, "reported");
  args_verify(&argc, argv, "report");
  args_count(argc, 0, 0, zUsage);
  if (zFormat == NULL) {
    zFormat = "text";
  }
  if (strcmp(zFormat, "text") != 0 && strcmp(zFormat, "csv") != 0 &&
      strcmp(zFormat, "json") != 0) {
    args_usage_error(zUsage, "formato desconocido «%s»", zFormat);
  }
  Day at = zAt ? parse_day(zAt, zUsage) : clock_today();
  int64_t iPlan = need_plan(app);
  Report r;
  report_build(app->db, iPlan, at, bReported, &r);
  Buf out = BUF_INIT;
  if (zFormat[0] == 't') {
    report_text(&r, &out);
  } else if (zFormat[0] == 'c') {
    report_csv(&r, &out);
  } else {
    report_json(&r, &out);
  }
  emit(&out);
  report_free(&r);
  return 0;
}

int export_cmd(App *app, int argc, char **argv) {
  const char *zUsage = app->zUsage;
  const char *zFormat = args_value(&argc, argv, "format");
  const char *zOut = args_value(&argc, argv, "output");
  args_verify(&argc, argv, "export");
  args_count(argc, 0, 0, zUsage);
  if (zFormat == NULL) {
    args_usage_error(zUsage, "falta --format");
  }
  ExportFormat e;
  if (strcmp(zFormat, "csv") == 0) {
    e = EXPORT_CSV;
  } else if (strcmp(zFormat, "json") == 0) {
    e = EXPORT_JSON;
  } else if (strcmp(zFormat, "xlsx") == 0) {
    e = EXPORT_XLSX;
  } else {
    args_usage_error(zUsage, "formato desconocido «%s»", zFormat);
  }
  if (e == EXPORT_XLSX && zOut == NULL) {
    args_usage_error(zUsage, "un XLSX necesita --output ARCHIVO.xlsx");
  }
  int64_t iPlan = need_plan(app);
  char *zErr = NULL;
  if (!plan_export(app->db, iPlan, e, zOut, &zErr)) {
    return fail(zErr);
  }
  if (zOut) {
    fprintf(stderr, "plan exportado a %s\n", zOut);
  }
  return 0;
}

int log_cmd(App *app, int argc, char **argv) {
  const char *zLimit = args_value(&argc, argv, "limit");
  args_verify(&argc, argv, "log");
  args_count(argc, 0, 0, app->zUsage);
  Buf out = BUF_INIT;
  audit_list(app->db, zLimit ? (int)args_long(zLimit, 1, 1000000, "el límite", app->zUsage) : 50,
             &out);
  emit(&out);
  return 0;
}

/* ---- hidden test commands ------------------------------------------------------------ */

int test_table_cmd(App *app, int argc, char **argv) {
  const char *zSheet = args_value(&argc, argv, "sheet");
  args_verify(&argc, argv, "test-table");
  args_count(argc, 1, 1, app->zUsage);
  Table t;
  char *zErr = NULL;
  size_t n = strlen(argv[1]);
  TableRc rc = n > 5 && strcasecmp(argv[1] + n - 5, ".xlsx") == 0
                   ? xlsx_read_file(argv[1], zSheet, &t, &zErr)
                   : csv_read_file(argv[1], 0, &t, &zErr);
  if (rc != TABLE_OK) {
    fprintf(stderr, "%s\n", zErr);
    free(zErr);
    table_reset(&t);
    return 2;
  }
  for (int i = 0; i < t.nRow; i++) {
    Buf loc = BUF_INIT;
    table_loc(&t, i, -1, &loc);
    printf("%s: %d", buf_str(&loc), t.aRow[i].nCell);
    for (int j = 0; j < t.aRow[i].nCell; j++) {
      printf(" [%s]", t.aRow[i].azCell[j]);
    }
    printf("\n");
    buf_reset(&loc);
  }
  table_reset(&t);
  return 0;
}

int test_text_cmd(App *app, int argc, char **argv) {
  args_verify(&argc, argv, "test-text");
  args_count(argc, 2, -1, app->zUsage);
  for (int i = 2; i < argc; i++) {
    const char *z = argv[i];
    if (strcmp(argv[1], "fold") == 0) {
      char *zF = text_fold_dup(z);
      printf("%s\n", zF);
      free(zF);
    } else if (strcmp(argv[1], "date") == 0) {
      Day d;
      Buf b = BUF_INIT;
      if (date_parse(z, &d, &b)) {
        date_format_iso(d, &b);
      }
      printf("%s\n", buf_str(&b));
      buf_reset(&b);
    } else if (strcmp(argv[1], "target") == 0) {
      double v;
      bool bMismatch = false;
      if (numword_target(z, &v, &bMismatch)) {
        printf("%g%s\n", v, bMismatch ? " (no coincide)" : "");
      } else {
        printf("-\n");
      }
    } else if (strcmp(argv[1], "offices") == 0) {
      char **az;
      int n = office_split(z, &az);
      for (int k = 0; k < n; k++) {
        printf("%s%s", k ? " | " : "", az[k]);
      }
      printf("\n");
      office_names_free(n, az);
    } else if (strcmp(argv[1], "phase") == 0) {
      char c = plan_parse_phase(z);
      printf("%c\n", c ? c : '-');
    } else {
      args_usage_error(app->zUsage, "modo desconocido");
    }
  }
  return 0;
}
