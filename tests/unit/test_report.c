/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Unit tests for src/plan/report.c and the storage in src/plan/plan_db.c:
** a small hand-made plan is imported into a fresh database under a
** temporary directory, given period targets and progress reports, and the
** standing of every activity and roll-up is checked at chosen dates
** against figures computed by hand (the computation is written next to
** each expectation). Re-import semantics (update by item, keep progress,
** delete or keep-and-flag absent activities, counts, change lines, one
** transaction) are checked on the same plan. Last, the parallel reader of
** src/db/reader.c that report_build uses, and the report's one snapshot.
*/
#include <criterion/criterion.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"
#include "db/reader.h"
#include "io/csv.h"
#include "plan/plan.h"
#include "plan/plan_db.h"
#include "plan/report.h"
#include "testutil.h"

#define EPS 1e-9

/* The seed's two header rows (16 cells each), after one preamble line. */
#define PREAMBLE "ALCALDÍA DE PRUEBA\n"
#define HEADER                                                                                      \
  "ITEM\tDESCRIPCIÓN DE LOS CRITERIOS DIFERENCIALES QUE LE APLICAN\tCICLO DE PROCESO P: Planear "  \
  "H: Hacer V: Verificar A: Actuar\tACTIVIDAD\tPRODUCTO\tDESCRIPCIÓN DEL INDICADOR\tDESCRIPCIÓN " \
  "DE LA META\tFECHA INICIO\tFECHA FINAL\tRESPONSABLE\tMETA DEL INDICADOR\t2021\t\t\t\t\n"          \
  "\t\t\t\t\t\t\t\t\t\t\tMETA TRIMESTRE 1\tMETA TRIMESTRE 2\tMETA TRIMESTRE 3\tMETA TRIMESTRE "     \
  "4\tRESULTADO\n"
/* A data row of 16 cells. */
#define ROW(item, comp, phase, act, ind, start, end, resp)                                         \
  item "\t" comp "\t" phase "\t" act "\tProducto\t" ind "\tMeta\t" start "\t" end "\t" resp        \
       "\t\t\t\t\t\t\n"

/* The hand-made plan (lines 4 to 7):
**   item  component     phase  dates                    target  offices
**   1     Componente A  P      2021-01-01..2021-01-10    4      Secretaría General
**   2     (A)           H      2021-02-01..2021-11-30    2      Secretaría General, Oficina de
*Prensa
**   3     Componente B  V      2021-03-01..2021-03-31    1      Oficina de Prensa
**   4     (B)           A      2021-07-01..2021-12-31   10      Escuela de Gobierno
** Item 1 lasts 10 days; item 4 lasts 31+31+30+31+30+31 = 184 days. */
#define ROW1                                                                                       \
  ROW("1", "Componente A", "P:", "Talleres de diagnóstico", "Cuatro (4) talleres",                 \
      "01-enero-2021", "10-enero-2021", "Secretaría General")
#define ROW2                                                                                       \
  ROW("2", "", "H:", "Informes de avance", "Dos (2) informes", "01-febrero-2021",                  \
      "30-noviembre-2021", "Secretaría General - Oficina de Prensa")
#define ROW3                                                                                       \
  ROW("3", "Componente B", "V:", "Evaluar la estrategia", "Un (1) informe", "01-marzo-2021",       \
      "31-marzo-2021", "Oficina de Prensa")
#define ROW4                                                                                       \
  ROW("4", "", "A:", "Encuentros con veedurías", "Diez (10) encuentros", "01-julio-2021",          \
      "31-diciembre-2021", "Escuela de Gobierno")
#define PLAN PREAMBLE HEADER ROW1 ROW2 ROW3 ROW4

/* A test database holding the plan. */
typedef struct Fx {
  char zDir[64];      /* temporary directory */
  char *zDb;          /* database path in it (owned) */
  Db *db;             /* open database */
  int64_t iPlan;      /* the plan's id */
  int64_t aReport[8]; /* progress report ids of the standard scenario, 1-based */
} Fx;

/* Create the temporary directory and an empty database in it. */
static void fx_open(Fx *f) {
  memset(f, 0, sizeof *f);
  snprintf(f->zDir, sizeof f->zDir, "/tmp/participa-report-XXXXXX");
  cr_assert_not_null(mkdtemp(f->zDir));
  f->zDb = xasprintf("%s/plan.db", f->zDir);
  char *zErr = NULL;
  f->db = db_open(f->zDb, DB_CREATE, &zErr);
  cr_assert_not_null(f->db, "db_open: %s", zErr ? zErr : "");
}

/* Close the database and remove the directory. */
static void fx_close(Fx *f) {
  db_close(f->db);
  cr_assert_eq(test_remove_dir(f->zDir), 0);
  free(f->zDb);
}

/* Read zText (named zName) and store it; fills *pRes (caller resets its changes). */
static void fx_import(Fx *f, const char *zName, const char *zText, bool bForce,
                      ImportResult *pRes) {
  Table t;
  PlanDraft p;
  char *zErr = NULL;
  cr_assert_eq(csv_read_mem(zName, zText, strlen(zText), 0, &t, &zErr), TABLE_OK);
  plan_read_table(&t, "tsv", NULL, &p);
  if (!bForce) {
    cr_assert_eq(p.diags.nError, 0, "the test plan has no errors (%s)",
                 p.diags.n ? p.diags.a[0].zMsg : "");
  }
  plan_store(f->db, &p, "prueba", bForce, pRes);
  cr_assert_not(db_in_transaction(f->db), "plan_store closed its transaction");
  f->iPlan = pRes->iPlan;
  plan_draft_reset(&p);
  table_reset(&t);
}

/* Record a progress report; returns its id. */
static int64_t fx_progress(Fx *f, long iItem, const char *zPeriod, double rValue) {
  char *zErr = NULL;
  int64_t id = plan_progress_add(f->db, f->zDir, f->iPlan, iItem, zPeriod, rValue, "hecho", NULL,
                                 "enlace", &zErr);
  cr_assert_neq(id, 0, "plan_progress_add: %s", zErr ? zErr : "");
  return id;
}

/* Verify (bVerify) or reject report id. */
static void fx_review(Fx *f, int64_t id, bool bVerify) {
  char *zErr = NULL;
  bool bOk = plan_progress_review(f->db, id, bVerify, "revisado", "supervisor", &zErr);
  cr_assert(bOk, "plan_progress_review: %s", zErr ? zErr : "");
}

/* Set the target of item iItem for period zCode. */
static void fx_target(Fx *f, long iItem, const char *zCode, double rValue) {
  char *zErr = NULL;
  cr_assert(plan_target_set(f->db, f->iPlan, iItem, zCode, rValue, "prueba", &zErr), "%s",
            zErr ? zErr : "");
}

/* The standard scenario: the plan, targets for item 2 and five reports.
**   item 2 targets: T2 = 1, T4 = 1 (its expected progress follows them)
**   report 1: item 1, T1, 3, verified
**   report 2: item 1, T1, 1, rejected
**   report 3: item 2, T2, 1, verified
**   report 4: item 2, T3, 1, still "reportado"
**   report 5: item 3, T1, 2, verified (more than its target of 1)
** Periods are the default quarters: T1 starts 2021-01-01, T2 2021-04-01,
** T3 2021-07-01, T4 2021-10-01; cut-offs 03-31, 06-30, 09-30, 12-31. */
static void fx_standard(Fx *f) {
  fx_open(f);
  ImportResult res;
  fx_import(f, "plan.tsv", PLAN, false, &res);
  buf_reset(&res.changes);
  fx_target(f, 2, "T2", 1);
  fx_target(f, 2, "t4", 1);
  f->aReport[1] = fx_progress(f, 1, "T1", 3);
  f->aReport[2] = fx_progress(f, 1, "T1", 1);
  f->aReport[3] = fx_progress(f, 2, "T2", 1);
  f->aReport[4] = fx_progress(f, 2, "T3", 1);
  f->aReport[5] = fx_progress(f, 3, "T1", 2);
  fx_review(f, f->aReport[1], true);
  fx_review(f, f->aReport[2], false);
  fx_review(f, f->aReport[3], true);
  fx_review(f, f->aReport[5], true);
}

/* The day y-m-d. */
static Day ymd(int y, int m, int d) {
  Day day;
  cr_assert(date_from_ymd(y, m, d, &day));
  return day;
}

/* The activity of item iItem in r. */
static const ReportAct *act(const Report *r, long iItem) {
  for (int i = 0; i < r->nAct; i++) {
    if (r->aAct[i].iItem == iItem) {
      return &r->aAct[i];
    }
  }
  cr_assert_fail("no item %ld in the report", iItem);
  return NULL;
}

/* Assert the figures of activity a. */
static void expect_act(const ReportAct *a, double rAchieved, int nCounted, int nPending,
                       double rProgress, double rExpected, bool bCompliance, double rCompliance,
                       Light eLight, ActStatus eStatus) {
  cr_assert_float_eq(a->rAchieved, rAchieved, EPS, "item %ld achieved %g", a->iItem, a->rAchieved);
  cr_assert_eq(a->nCounted, nCounted, "item %ld counted", a->iItem);
  cr_assert_eq(a->nPending, nPending, "item %ld pending", a->iItem);
  cr_assert_float_eq(a->rProgress, rProgress, EPS, "item %ld progress %g", a->iItem, a->rProgress);
  cr_assert_float_eq(a->rExpected, rExpected, EPS, "item %ld expected %.12g", a->iItem,
                     a->rExpected);
  cr_assert_eq(a->bCompliance, bCompliance, "item %ld has compliance", a->iItem);
  cr_assert_float_eq(a->rCompliance, rCompliance, EPS, "item %ld compliance %.12g", a->iItem,
                     a->rCompliance);
  cr_assert_eq(a->eLight, eLight, "item %ld light %s", a->iItem, report_light_name(a->eLight));
  cr_assert_eq(a->eStatus, eStatus, "item %ld status %s", a->iItem, report_status_name(a->eStatus));
}

/* Assert the figures of roll-up g. */
static void expect_roll(const Rollup *g, int nAct, int nNoData, double rWeight, double rProgress,
                        double rExpected, bool bCompliance, double rCompliance, Light eLight) {
  cr_assert_eq(g->nAct, nAct, "%s activities", g->zName);
  cr_assert_eq(g->nNoData, nNoData, "%s without data", g->zName);
  cr_assert_float_eq(g->rWeight, rWeight, EPS, "%s weight", g->zName);
  cr_assert_float_eq(g->rProgress, rProgress, EPS, "%s progress %.12g", g->zName, g->rProgress);
  cr_assert_float_eq(g->rExpected, rExpected, EPS, "%s expected %.12g", g->zName, g->rExpected);
  cr_assert_eq(g->bCompliance, bCompliance, "%s has compliance", g->zName);
  cr_assert_float_eq(g->rCompliance, rCompliance, EPS, "%s compliance %.12g", g->zName,
                     g->rCompliance);
  cr_assert_eq(g->eLight, eLight, "%s light %s", g->zName, report_light_name(g->eLight));
}

/* ---- the plan as stored ------------------------------------------------------- */

Test(report, first_import, .description = "report-1.1 the first import adds everything") {
  Fx f;
  fx_open(&f);
  ImportResult res;
  fx_import(&f, "plan.tsv", PLAN, false, &res);
  cr_assert_gt(res.iPlan, 0);
  cr_assert(res.bNewPlan);
  cr_assert_eq(res.nAdded, 4);
  cr_assert_eq(res.nChanged, 0);
  cr_assert_eq(res.nSame, 0);
  cr_assert_eq(res.nRemoved, 0);
  cr_assert_eq(res.nKept, 0);
  cr_assert_eq(res.nSkipped, 0);
  cr_assert_eq(res.nReview, 0);
  cr_assert_eq(res.nOfficeNew, 3, "the shared offices are created once");
  cr_assert_str_eq(buf_str(&res.changes), "", "a new plan lists no changes");
  buf_reset(&res.changes);
  cr_assert_eq(plan_current(f.db, 0), res.iPlan);
  cr_assert_eq(plan_current(f.db, 2021), res.iPlan);
  cr_assert_eq(plan_current(f.db, 2022), 0);
  Period *aPeriod;
  int nPeriod = plan_periods(f.db, res.iPlan, &aPeriod);
  cr_assert_eq(nPeriod, 4);
  cr_assert_str_eq(aPeriod[2].zCode, "T3");
  cr_assert_str_eq(aPeriod[2].zName, "Trimestre 3");
  cr_assert_eq(aPeriod[2].start, ymd(2021, 7, 1));
  cr_assert_eq(aPeriod[2].end, ymd(2021, 9, 30));
  plan_periods_free(nPeriod, aPeriod);
  fx_close(&f);
}

Test(report, structure, .description = "report-1.2 components, offices and phases as stored") {
  Fx f;
  fx_standard(&f);
  Report r;
  report_build(f.db, f.iPlan, ymd(2021, 7, 15), false, &r);
  cr_assert_str_eq(r.zEntity, "ALCALDÍA DE PRUEBA");
  cr_assert_eq(r.iYear, 2021);
  cr_assert_eq(r.nAct, 4);
  cr_assert_eq(r.nComponent, 2);
  cr_assert_str_eq(r.azComponent[0], "Componente A");
  cr_assert_str_eq(r.azComponent[1], "Componente B");
  cr_assert_eq(act(&r, 2)->iComponent, 0, "item 2 continues component A");
  cr_assert_eq(act(&r, 4)->iComponent, 1, "item 4 continues component B");
  /* Offices in name order. */
  cr_assert_eq(r.nOffice, 3);
  cr_assert_str_eq(r.azOffice[0], "Escuela de Gobierno");
  cr_assert_str_eq(r.azOffice[1], "Oficina de Prensa");
  cr_assert_str_eq(r.azOffice[2], "Secretaría General");
  const ReportAct *a2 = act(&r, 2);
  cr_assert_eq(a2->nOffice, 2);
  cr_assert_eq(a2->aiOffice[0], 2, "Secretaría General first, as in the cell");
  cr_assert_eq(a2->aiOffice[1], 1);
  cr_assert_eq(act(&r, 1)->cPhase, 'P');
  cr_assert_eq(act(&r, 2)->cPhase, 'H');
  cr_assert_eq(act(&r, 3)->cPhase, 'V');
  cr_assert_eq(act(&r, 4)->cPhase, 'A');
  cr_assert_eq(act(&r, 4)->rTarget, 10);
  cr_assert_eq(act(&r, 4)->rWeight, 1);
  cr_assert_not(r.bWeighted);
  cr_assert_eq(r.rRedBelow, 60);
  cr_assert_eq(r.rYellowBelow, 80);
  cr_assert_str_eq(act(&r, 3)->zActivity, "Evaluar la estrategia");
  cr_assert_null(act(&r, 3)->zReview);
  report_free(&r);
  fx_close(&f);
}

/* ---- activities at chosen dates ----------------------------------------------- */

Test(report, activities_jan5, .description = "report-2.1 every activity on 2021-01-05") {
  Fx f;
  fx_standard(&f);
  Report r;
  report_build(f.db, f.iPlan, ymd(2021, 1, 5), false, &r);
  /* Item 1: achieved 3 (report 1; report 2 was rejected), progress 3/4 = 0.75;
  ** expected linear, both days included: (5 - 1 + 1) / (10 - 1 + 1) = 5/10 = 0.5;
  ** compliance 0.75 / 0.5 = 1.5, capped at 1: green; not ended: en curso. */
  expect_act(act(&r, 1), 3, 1, 0, 0.75, 0.5, true, 1, LIGHT_GREEN, STATUS_IN_PROGRESS);
  /* Item 2: its period targets (T2 1, T4 1) rule: no cut-off passed, expected 0/2 = 0;
  ** report 3 is for T2, which starts 2021-04-01 after the date: not counted, nor is
  ** report 4 (T3); nothing expected: no compliance, no light; nothing done: sin iniciar. */
  expect_act(act(&r, 2), 0, 0, 0, 0, 0, false, 0, LIGHT_NONE, STATUS_NOT_STARTED);
  cr_assert(act(&r, 2)->bPeriodTargets);
  cr_assert_not(act(&r, 1)->bPeriodTargets);
  /* Item 3: report 5 (T1, 2) counts: progress min(2/1, 1) = 1 (capped); the date is
  ** before its start: expected 0, no compliance; done: cumplida. */
  expect_act(act(&r, 3), 2, 1, 0, 1, 0, false, 0, LIGHT_NONE, STATUS_DONE);
  /* Item 4: nothing reported, not started: everything 0, sin iniciar. */
  expect_act(act(&r, 4), 0, 0, 0, 0, 0, false, 0, LIGHT_NONE, STATUS_NOT_STARTED);
  report_free(&r);
  fx_close(&f);
}

Test(report, activities_jul15, .description = "report-2.2 every activity on 2021-07-15") {
  Fx f;
  fx_standard(&f);
  Report r;
  report_build(f.db, f.iPlan, ymd(2021, 7, 15), false, &r);
  /* Item 1: ended 2021-01-10: expected 1; progress 0.75; compliance 0.75 (60 <= 75 < 80):
  ** yellow; end passed below 100 %: vencida. */
  expect_act(act(&r, 1), 3, 1, 0, 0.75, 1, true, 0.75, LIGHT_YELLOW, STATUS_OVERDUE);
  /* Item 2: T2's cut-off (06-30) passed: expected 1/2 = 0.5; report 3 (T2, verified)
  ** counts: progress 1/2 = 0.5; report 4 (T3, begun 07-01) is pending: not counted
  ** but listed; compliance 0.5/0.5 = 1: green, en curso. */
  expect_act(act(&r, 2), 1, 1, 1, 0.5, 0.5, true, 1, LIGHT_GREEN, STATUS_IN_PROGRESS);
  /* Item 3: ended 03-31: expected 1; progress 1: compliance 1, green, cumplida. */
  expect_act(act(&r, 3), 2, 1, 0, 1, 1, true, 1, LIGHT_GREEN, STATUS_DONE);
  /* Item 4: (07-15 - 07-01 + 1) / 184 = 15/184; progress 0: compliance 0: red: con
  ** retraso (not ended yet). */
  expect_act(act(&r, 4), 0, 0, 0, 0, 15.0 / 184, true, 0, LIGHT_RED, STATUS_LATE);
  report_free(&r);
  fx_close(&f);
}

Test(report, reported_counted, .description = "report-2.3 bReported counts pending, not rejected") {
  Fx f;
  fx_standard(&f);
  Report r;
  report_build(f.db, f.iPlan, ymd(2021, 7, 15), true, &r);
  cr_assert(r.bReported);
  /* Item 1: report 2 was rejected: still 3. */
  expect_act(act(&r, 1), 3, 1, 0, 0.75, 1, true, 0.75, LIGHT_YELLOW, STATUS_OVERDUE);
  /* Item 2: reports 3 and 4: 2 of 2: progress 1: cumplida; compliance min(1/0.5, 1) = 1;
  ** report 4 is still pending (counted only because asked). */
  expect_act(act(&r, 2), 2, 2, 1, 1, 0.5, true, 1, LIGHT_GREEN, STATUS_DONE);
  /* Total: (0.75 + 1 + 1 + 0) / 4 = 0.6875. */
  cr_assert_float_eq(r.total.rProgress, 0.6875, EPS);
  report_free(&r);
  fx_close(&f);
}

Test(report, period_not_begun, .description = "report-2.4 reports of a period not yet begun") {
  Fx f;
  fx_standard(&f);
  Report r;
  /* 03-31: report 3 (T2, starts 04-01) does not count yet. */
  report_build(f.db, f.iPlan, ymd(2021, 3, 31), false, &r);
  expect_act(act(&r, 2), 0, 0, 0, 0, 0, false, 0, LIGHT_NONE, STATUS_NOT_STARTED);
  report_free(&r);
  /* 04-01: it counts: progress 1/2; T2's cut-off (06-30) has not passed: expected 0, no
  ** compliance; something done: en curso. */
  report_build(f.db, f.iPlan, ymd(2021, 4, 1), false, &r);
  expect_act(act(&r, 2), 1, 1, 0, 0.5, 0, false, 0, LIGHT_NONE, STATUS_IN_PROGRESS);
  report_free(&r);
  /* 2020-12-31: before every period: report 1 (T1) does not count; item 1 not begun. */
  report_build(f.db, f.iPlan, ymd(2020, 12, 31), false, &r);
  expect_act(act(&r, 1), 0, 0, 0, 0, 0, false, 0, LIGHT_NONE, STATUS_NOT_STARTED);
  report_free(&r);
  fx_close(&f);
}

Test(report, linear_edges, .description = "report-2.5 linear expectation at its edges") {
  Fx f;
  fx_standard(&f);
  Report r;
  /* First day: 1/10; compliance min(0.75/0.1, 1) = 1. */
  report_build(f.db, f.iPlan, ymd(2021, 1, 1), false, &r);
  expect_act(act(&r, 1), 3, 1, 0, 0.75, 0.1, true, 1, LIGHT_GREEN, STATUS_IN_PROGRESS);
  report_free(&r);
  /* Day 9: 9/10; compliance 0.75/0.9 = 0.8333…: green. */
  report_build(f.db, f.iPlan, ymd(2021, 1, 9), false, &r);
  expect_act(act(&r, 1), 3, 1, 0, 0.75, 0.9, true, 0.75 / 0.9, LIGHT_GREEN, STATUS_IN_PROGRESS);
  report_free(&r);
  /* Last day: 10/10 = 1; compliance 0.75: yellow; the end has not passed: en curso. */
  report_build(f.db, f.iPlan, ymd(2021, 1, 10), false, &r);
  expect_act(act(&r, 1), 3, 1, 0, 0.75, 1, true, 0.75, LIGHT_YELLOW, STATUS_IN_PROGRESS);
  report_free(&r);
  /* The day after: vencida. */
  report_build(f.db, f.iPlan, ymd(2021, 1, 11), false, &r);
  expect_act(act(&r, 1), 3, 1, 0, 0.75, 1, true, 0.75, LIGHT_YELLOW, STATUS_OVERDUE);
  report_free(&r);
  fx_close(&f);
}

Test(report, period_targets_cumulative,
     .description = "report-2.6 expected sums the period targets whose cut-off passed") {
  Fx f;
  fx_standard(&f);
  Report r;
  /* 06-30 is T2's cut-off day itself: 1/2. */
  report_build(f.db, f.iPlan, ymd(2021, 6, 30), false, &r);
  cr_assert_float_eq(act(&r, 2)->rExpected, 0.5, EPS);
  report_free(&r);
  /* 06-29: no cut-off yet: 0. */
  report_build(f.db, f.iPlan, ymd(2021, 6, 29), false, &r);
  cr_assert_float_eq(act(&r, 2)->rExpected, 0, EPS);
  report_free(&r);
  /* 12-31: T2 + T4 = 2 of 2: 1; progress 1/2 (report 4 pending): compliance 0.5: red;
  ** end (11-30) passed: vencida. */
  report_build(f.db, f.iPlan, ymd(2021, 12, 31), false, &r);
  expect_act(act(&r, 2), 1, 1, 1, 0.5, 1, true, 0.5, LIGHT_RED, STATUS_OVERDUE);
  report_free(&r);
  fx_close(&f);
}

Test(report, light_boundaries, .description = "report-2.7 60 % is yellow, just below is red") {
  Fx f;
  fx_standard(&f);
  fx_review(&f, fx_progress(&f, 4, "T3", 3), true);
  Report r;
  /* Item 4 on 09-30: (09-30 - 07-01 + 1) = 92 days of 184: expected 0.5; progress 3/10 =
  ** 0.3; compliance 0.3/0.5 = 0.6 = 60 %: yellow (red is below 60); en curso. */
  report_build(f.db, f.iPlan, ymd(2021, 9, 30), false, &r);
  expect_act(act(&r, 4), 3, 1, 0, 0.3, 0.5, true, 0.6, LIGHT_YELLOW, STATUS_IN_PROGRESS);
  report_free(&r);
  /* 10-01: 93/184; compliance 0.3 × 184/93 = 0.5935…: red: con retraso. */
  report_build(f.db, f.iPlan, ymd(2021, 10, 1), false, &r);
  expect_act(act(&r, 4), 3, 1, 0, 0.3, 93.0 / 184, true, 0.3 * 184 / 93, LIGHT_RED, STATUS_LATE);
  report_free(&r);
  fx_close(&f);
}

Test(report, light_settings, .description = "report-2.8 the thresholds come from the settings") {
  Fx f;
  fx_standard(&f);
  fx_review(&f, fx_progress(&f, 4, "T3", 3), true);
  Stmt *s = db_prepare(f.db, "UPDATE setting SET value = :v WHERE key = :k");
  db_bind_text(s, ":v", "50");
  db_bind_text(s, ":k", "semaforo.rojo_hasta");
  db_run(s);
  db_bind_text(s, ":v", "59");
  db_bind_text(s, ":k", "semaforo.amarillo_hasta");
  db_run(s);
  db_finalize(s);
  Report r;
  /* Compliance 59.35 % (see report-2.7): green from 59 on. */
  report_build(f.db, f.iPlan, ymd(2021, 10, 1), false, &r);
  cr_assert_eq(r.rRedBelow, 50);
  cr_assert_eq(r.rYellowBelow, 59);
  cr_assert_eq(act(&r, 4)->eLight, LIGHT_GREEN, "59.35 % >= 59");
  cr_assert_eq(act(&r, 4)->eStatus, STATUS_IN_PROGRESS);
  /* Item 1 at 75 %: green now. */
  cr_assert_eq(act(&r, 1)->eLight, LIGHT_GREEN);
  report_free(&r);
  fx_close(&f);
}

/* ---- roll-ups ------------------------------------------------------------------ */

Test(report, rollups_jan5, .description = "report-3.1 the whole plan on 2021-01-05") {
  Fx f;
  fx_standard(&f);
  Report r;
  report_build(f.db, f.iPlan, ymd(2021, 1, 5), false, &r);
  /* Progress (0.75 + 0 + 1 + 0) / 4 = 0.4375; expected (0.5 + 0 + 0 + 0) / 4 = 0.125;
  ** compliance 0.4375 / 0.125 = 3.5, capped at 1: green. No data: items 2 and 4. */
  expect_roll(&r.total, 4, 2, 4, 0.4375, 0.125, true, 1, LIGHT_GREEN);
  cr_assert_eq(r.total.anStatus[STATUS_NOT_STARTED], 2);
  cr_assert_eq(r.total.anStatus[STATUS_IN_PROGRESS], 1);
  cr_assert_eq(r.total.anStatus[STATUS_LATE], 0);
  cr_assert_eq(r.total.anStatus[STATUS_OVERDUE], 0);
  cr_assert_eq(r.total.anStatus[STATUS_DONE], 1);
  /* Component B (items 3, 4): progress (1 + 0) / 2 = 0.5, nothing expected yet: no
  ** compliance, no light. */
  expect_roll(&r.aComponent[1], 2, 1, 2, 0.5, 0, false, 0, LIGHT_NONE);
  report_free(&r);
  fx_close(&f);
}

Test(report, rollups_jul15, .description = "report-3.2 roll-ups on 2021-07-15") {
  Fx f;
  fx_standard(&f);
  Report r;
  report_build(f.db, f.iPlan, ymd(2021, 7, 15), false, &r);
  const double e4 = 15.0 / 184; /* item 4's expected */
  /* Total: progress (0.75 + 0.5 + 1 + 0) / 4 = 0.5625; expected (1 + 0.5 + 1 + 15/184) / 4
  ** = 475/736 = 0.64538…; compliance 0.5625 × 736/475 = 414/475 = 0.87157…: green.
  ** No data: item 4 only (item 2 has a verified report). */
  expect_roll(&r.total, 4, 1, 4, 0.5625, 475.0 / 736, true, 414.0 / 475, LIGHT_GREEN);
  cr_assert_eq(r.total.anStatus[STATUS_DONE], 1);
  cr_assert_eq(r.total.anStatus[STATUS_IN_PROGRESS], 1);
  cr_assert_eq(r.total.anStatus[STATUS_LATE], 1);
  cr_assert_eq(r.total.anStatus[STATUS_OVERDUE], 1);
  cr_assert_eq(r.total.anStatus[STATUS_NOT_STARTED], 0);
  /* Component A (1, 2): progress (0.75 + 0.5) / 2 = 0.625; expected (1 + 0.5) / 2 = 0.75;
  ** compliance 0.625 / 0.75 = 0.8333…: green. */
  expect_roll(&r.aComponent[0], 2, 0, 2, 0.625, 0.75, true, 0.625 / 0.75, LIGHT_GREEN);
  /* Component B (3, 4): progress (1 + 0) / 2 = 0.5; expected (1 + 15/184) / 2 = 199/368;
  ** compliance 0.5 × 368/199 = 184/199 = 0.9246…: green. */
  expect_roll(&r.aComponent[1], 2, 1, 2, 0.5, 199.0 / 368, true, 184.0 / 199, LIGHT_GREEN);
  /* Phases: P = item 1 (0.75 / 1: yellow), H = item 2 (0.5 / 0.5: green),
  ** V = item 3 (1 / 1: green), A = item 4 (0 / 15/184: red). */
  expect_roll(&r.aPhase[0], 1, 0, 1, 0.75, 1, true, 0.75, LIGHT_YELLOW);
  expect_roll(&r.aPhase[1], 1, 0, 1, 0.5, 0.5, true, 1, LIGHT_GREEN);
  expect_roll(&r.aPhase[2], 1, 0, 1, 1, 1, true, 1, LIGHT_GREEN);
  expect_roll(&r.aPhase[3], 1, 1, 1, 0, e4, true, 0, LIGHT_RED);
  cr_assert_str_eq(r.aPhase[0].zName, "Planear");
  cr_assert_str_eq(r.aPhase[3].zName, "Actuar");
  cr_assert_eq(r.unphased.nAct, 0);
  /* Offices: Escuela de Gobierno = item 4 (red); Oficina de Prensa = items 2, 3:
  ** progress (0.5 + 1) / 2 = 0.75, expected (0.5 + 1) / 2 = 0.75: 1, green;
  ** Secretaría General = items 1, 2: as component A. The shared item 2 counts in both. */
  expect_roll(&r.aOffice[0], 1, 1, 1, 0, e4, true, 0, LIGHT_RED);
  expect_roll(&r.aOffice[1], 2, 0, 2, 0.75, 0.75, true, 1, LIGHT_GREEN);
  expect_roll(&r.aOffice[2], 2, 0, 2, 0.625, 0.75, true, 0.625 / 0.75, LIGHT_GREEN);
  cr_assert_str_eq(r.aOffice[2].zName, "Secretaría General");
  report_free(&r);
  fx_close(&f);
}

Test(report, rollups_weighted, .description = "report-3.3 roll-ups weighted by activity weight") {
  Fx f;
  fx_standard(&f);
  char *zErr = NULL;
  cr_assert(plan_weight_set(f.db, f.iPlan, 4, 5, "prueba", &zErr));
  Report r;
  report_build(f.db, f.iPlan, ymd(2021, 7, 15), false, &r);
  cr_assert(r.bWeighted);
  cr_assert_eq(act(&r, 4)->rWeight, 5);
  /* Weights 1, 1, 1, 5 (sum 8). Progress (0.75 + 0.5 + 1 + 5 × 0) / 8 = 0.28125;
  ** expected (1 + 0.5 + 1 + 5 × 15/184) / 8 = (460 + 75) / 184 / 8 = 535/1472;
  ** compliance 0.28125 × 1472/535 = 414/535 = 0.7738…: yellow (green unweighted). */
  expect_roll(&r.total, 4, 1, 8, 0.28125, 535.0 / 1472, true, 414.0 / 535, LIGHT_YELLOW);
  /* Component B (3: weight 1, 4: weight 5): progress 1/6; expected (1 + 5 × 15/184) / 6 =
  ** 259/1104; compliance (1/6) × 1104/259 = 184/259 = 0.7104…: yellow. */
  expect_roll(&r.aComponent[1], 2, 1, 6, 1.0 / 6, 259.0 / 1104, true, 184.0 / 259, LIGHT_YELLOW);
  /* Component A is unweighted: as before. */
  expect_roll(&r.aComponent[0], 2, 0, 2, 0.625, 0.75, true, 0.625 / 0.75, LIGHT_GREEN);
  report_free(&r);
  /* Weight 0 leaves item 4 out of the means, but it is still counted as an activity
  ** without data: progress 2.25 / 3 = 0.75, expected 2.5 / 3; compliance 0.9: green. */
  cr_assert(plan_weight_set(f.db, f.iPlan, 4, 0, "prueba", &zErr));
  report_build(f.db, f.iPlan, ymd(2021, 7, 15), false, &r);
  expect_roll(&r.total, 4, 1, 3, 0.75, 2.5 / 3, true, 0.9, LIGHT_GREEN);
  report_free(&r);
  fx_close(&f);
}

Test(report, names, .description = "report-3.4 light and status names") {
  cr_assert_str_eq(report_light_name(LIGHT_NONE), "sin dato");
  cr_assert_str_eq(report_light_name(LIGHT_RED), "rojo");
  cr_assert_str_eq(report_light_name(LIGHT_YELLOW), "amarillo");
  cr_assert_str_eq(report_light_name(LIGHT_GREEN), "verde");
  cr_assert_str_eq(report_status_name(STATUS_NOT_STARTED), "sin iniciar");
  cr_assert_str_eq(report_status_name(STATUS_IN_PROGRESS), "en curso");
  cr_assert_str_eq(report_status_name(STATUS_LATE), "con retraso");
  cr_assert_str_eq(report_status_name(STATUS_OVERDUE), "vencida");
  cr_assert_str_eq(report_status_name(STATUS_DONE), "cumplida");
}

/* ---- targets and progress: refusals ------------------------------------------------ */

Test(report, progress_refused, .description = "report-4.1 bad progress reports are refused") {
  Fx f;
  fx_standard(&f);
  char *zErr = NULL;
  cr_assert_eq(plan_progress_add(f.db, f.zDir, f.iPlan, 9, "T1", 1, "x", NULL, "a", &zErr), 0);
  cr_assert_str_eq(zErr, "el plan no tiene el ítem 9; vea «participa plan show»");
  free(zErr);
  zErr = NULL;
  cr_assert_eq(plan_progress_add(f.db, f.zDir, f.iPlan, 1, "T5", 1, "x", NULL, "a", &zErr), 0);
  cr_assert_str_eq(zErr, "el periodo «T5» no existe; los periodos del plan son: T1, T2, T3, T4");
  free(zErr);
  zErr = NULL;
  cr_assert_eq(plan_progress_add(f.db, f.zDir, f.iPlan, 1, "T1", -1, "x", NULL, "a", &zErr), 0);
  cr_assert_str_eq(zErr, "el valor del avance debe ser un número mayor o igual a cero");
  free(zErr);
  zErr = NULL;
  cr_assert_eq(plan_progress_add(f.db, f.zDir, f.iPlan, 1, "T1", 1, " ", NULL, "a", &zErr), 0);
  cr_assert_str_eq(zErr, "escriba en --note qué se hizo (la nota del avance no puede ir vacía)");
  free(zErr);
  zErr = NULL;
  cr_assert_not(plan_progress_review(f.db, f.aReport[1], false, "otra vez", "s", &zErr));
  char *zWant = xasprintf("el reporte %lld ya fue revisado (verificado)", (long long)f.aReport[1]);
  cr_assert_str_eq(zErr, zWant);
  free(zWant);
  free(zErr);
  zErr = NULL;
  cr_assert_not(plan_target_set(f.db, f.iPlan, 1, "T1", -2, "s", &zErr));
  cr_assert_str_eq(zErr, "la meta debe ser un número mayor o igual a cero");
  free(zErr);
  fx_close(&f);
}

/* ---- re-import ------------------------------------------------------------------- */

/* The changed plan: item 1's activity reworded, item 2 unchanged, items 3 (with a
** report) and 4 (without) gone, item 5 new with a new office and component. */
#define PLAN_CHANGED                                                                               \
  PREAMBLE HEADER ROW("1", "Componente A", "P:", "Talleres de diagnóstico barrial",                \
                      "Cuatro (4) talleres", "01-enero-2021", "10-enero-2021",                     \
                      "Secretaría General")                                                        \
      ROW2 ROW("5", "Componente C", "H:", "Rendición de cuentas", "Un (1) evento",                 \
               "01-octubre-2021", "30-noviembre-2021", "Oficina de Control Interno")

Test(report, reimport_changed, .description = "report-5.1 re-import updates by item") {
  Fx f;
  fx_standard(&f);
  int64_t iPlan = f.iPlan;
  int64_t id1 = plan_activity_id(f.db, iPlan, 1);
  int64_t id3 = plan_activity_id(f.db, iPlan, 3);
  ImportResult res;
  fx_import(&f, "plan2.tsv", PLAN_CHANGED, false, &res);
  cr_assert_eq(res.iPlan, iPlan, "same entity and year: same plan");
  cr_assert_not(res.bNewPlan);
  cr_assert_eq(res.nAdded, 1);
  cr_assert_eq(res.nChanged, 1);
  cr_assert_eq(res.nSame, 1);
  cr_assert_eq(res.nRemoved, 1);
  cr_assert_eq(res.nKept, 1);
  cr_assert_eq(res.nSkipped, 0);
  cr_assert_eq(res.nReview, 0);
  cr_assert_eq(res.nOfficeNew, 1);
  cr_assert_str_eq(buf_str(&res.changes),
                   "  ítem 1: ACTIVIDAD: «Talleres de diagnóstico» → «Talleres de diagnóstico "
                   "barrial»\n"
                   "  ítem 5: nuevo: Rendición de cuentas\n"
                   "  ítem 3: no está en el archivo; se conserva (tiene 1 reporte de avance) y "
                   "queda a revisar\n"
                   "  ítem 4: eliminado (no está en el archivo)\n");
  buf_reset(&res.changes);
  cr_assert_eq(plan_activity_id(f.db, iPlan, 1), id1, "updated in place");
  cr_assert_eq(plan_activity_id(f.db, iPlan, 3), id3, "kept");
  cr_assert_eq(plan_activity_id(f.db, iPlan, 4), 0, "deleted");
  cr_assert_neq(plan_activity_id(f.db, iPlan, 5), 0);
  Report r;
  report_build(f.db, iPlan, ymd(2021, 7, 15), false, &r);
  cr_assert_eq(r.nAct, 4);
  cr_assert_str_eq(act(&r, 1)->zActivity, "Talleres de diagnóstico barrial");
  /* Progress survives the import: item 1 still has report 1, item 3 report 5. */
  cr_assert_eq(act(&r, 1)->rAchieved, 3);
  cr_assert_eq(act(&r, 3)->rAchieved, 2);
  cr_assert_str_eq(act(&r, 3)->zReview,
                   "no aparece en el último archivo importado; se conserva porque tiene avances");
  cr_assert_null(act(&r, 1)->zReview);
  /* Item 2's period targets are kept too. */
  cr_assert(act(&r, 2)->bPeriodTargets);
  cr_assert_float_eq(act(&r, 2)->rExpected, 0.5, EPS);
  /* Component B stays for the kept item 3; C is new. */
  cr_assert_eq(r.nComponent, 3);
  cr_assert_str_eq(r.azComponent[2], "Componente C");
  cr_assert_eq(act(&r, 3)->iComponent, 1);
  /* The office catalogue keeps Escuela de Gobierno, which only served item 4: its
  ** group is now empty. */
  cr_assert_eq(r.nOffice, 4);
  cr_assert_str_eq(r.azOffice[0], "Escuela de Gobierno");
  cr_assert_eq(r.aOffice[0].nAct, 0);
  cr_assert_str_eq(r.azOffice[1], "Oficina de Control Interno");
  cr_assert_eq(r.aOffice[1].nAct, 1);
  report_free(&r);
  /* The import is in the change log. */
  Stmt *s = db_prepare(f.db, "SELECT detail FROM change_log WHERE action = 'importar' ORDER BY "
                             "id DESC LIMIT 1");
  cr_assert(db_step(s));
  cr_assert_str_eq(db_col_text(s, 0), "plan2.tsv: 1 nuevas, 1 modificadas, 1 sin cambios, 1 "
                                      "eliminadas, 1 conservadas, 0 a revisar");
  db_finalize(s);
  /* Importing the first plan again: item 3 is back (unchanged, its flag cleared), item 4
  ** is new again, item 5 is removed, item 1 changes back. */
  fx_import(&f, "plan.tsv", PLAN, false, &res);
  cr_assert_eq(res.nAdded, 1);
  cr_assert_eq(res.nChanged, 1);
  cr_assert_eq(res.nSame, 2);
  cr_assert_eq(res.nRemoved, 1);
  cr_assert_eq(res.nKept, 0);
  cr_assert_str_eq(buf_str(&res.changes),
                   "  ítem 1: ACTIVIDAD: «Talleres de diagnóstico barrial» → «Talleres de "
                   "diagnóstico»\n"
                   "  ítem 4: nuevo: Encuentros con veedurías\n"
                   "  ítem 5: eliminado (no está en el archivo)\n");
  buf_reset(&res.changes);
  report_build(f.db, iPlan, ymd(2021, 7, 15), false, &r);
  cr_assert_eq(r.nAct, 4);
  cr_assert_eq(act(&r, 3)->id, id3);
  cr_assert_null(act(&r, 3)->zReview, "back in the file: no longer under review");
  cr_assert_eq(act(&r, 3)->rAchieved, 2);
  cr_assert_eq(r.nComponent, 2, "component C went with item 5");
  report_free(&r);
  fx_close(&f);
}

Test(report, office_spellings,
     .description = "report-5.6 spellings of one office are one catalogue entry") {
  Fx f;
  fx_open(&f);
  ImportResult res;
  fx_import(&f, "plan.tsv",
            PREAMBLE HEADER ROW("1", "Componente A", "P:", "Uno", "Un (1) informe", "01-enero-2021",
                                "31-enero-2021", "Secretaría General")
                ROW("2", "", "P:", "Dos", "Un (1) informe", "01-enero-2021", "31-enero-2021",
                    "SECRETARIA  GENERAL. / la Secretaría general / Oficina de Prensa")
                    ROW("3", "", "P:", "Tres", "Un (1) informe", "01-enero-2021", "31-enero-2021",
                        "Oficina de prensa y Secretaria General"),
            false, &res);
  cr_assert_eq(res.nOfficeNew, 2);
  Report r;
  report_build(f.db, f.iPlan, ymd(2021, 1, 15), false, &r);
  cr_assert_eq(r.nOffice, 2);
  cr_assert_str_eq(r.azOffice[0], "Oficina de Prensa", "the first spelling names the office");
  cr_assert_str_eq(r.azOffice[1], "Secretaría General");
  cr_assert_eq(r.aOffice[0].nAct, 2);
  cr_assert_eq(r.aOffice[1].nAct, 3);
  cr_assert_eq(act(&r, 2)->nOffice, 2, "one link per office, not per spelling");
  report_free(&r);
  fx_close(&f);
}

Test(report, reimport_same,
     .description = "report-5.2 re-importing the same file changes nothing") {
  Fx f;
  fx_standard(&f);
  ImportResult res;
  fx_import(&f, "plan.tsv", PLAN, false, &res);
  cr_assert_not(res.bNewPlan);
  cr_assert_eq(res.nSame, 4);
  cr_assert_eq(res.nAdded + res.nChanged + res.nRemoved + res.nKept + res.nOfficeNew, 0);
  cr_assert_str_eq(buf_str(&res.changes), "");
  buf_reset(&res.changes);
  Report r;
  report_build(f.db, f.iPlan, ymd(2021, 7, 15), false, &r);
  cr_assert_eq(r.aOffice[2].nAct, 2, "office links unchanged");
  cr_assert_eq(act(&r, 2)->nOffice, 2);
  report_free(&r);
  fx_close(&f);
}

Test(report, reimport_offices, .description = "report-5.3 a changed RESPONSABLE relinks offices") {
  Fx f;
  fx_standard(&f);
  ImportResult res;
  fx_import(&f, "plan.tsv",
            PREAMBLE HEADER ROW1 ROW("2", "", "H:", "Informes de avance", "Dos (2) informes",
                                     "01-febrero-2021", "30-noviembre-2021", "Oficina de Prensa")
                ROW3 ROW4,
            false, &res);
  cr_assert_eq(res.nChanged, 1);
  cr_assert_eq(res.nSame, 3);
  cr_assert_str_eq(buf_str(&res.changes), "  ítem 2: RESPONSABLE: «Secretaría General - Oficina "
                                          "de Prensa» → «Oficina de Prensa»\n");
  buf_reset(&res.changes);
  Report r;
  report_build(f.db, f.iPlan, ymd(2021, 7, 15), false, &r);
  cr_assert_eq(act(&r, 2)->nOffice, 1);
  cr_assert_str_eq(r.azOffice[act(&r, 2)->aiOffice[0]], "Oficina de Prensa");
  cr_assert_str_eq(r.aOffice[2].zName, "Secretaría General");
  cr_assert_eq(r.aOffice[2].nAct, 1, "only item 1 now");
  report_free(&r);
  fx_close(&f);
}

Test(report, import_forced, .description = "report-5.4 a forced import stores rows with errors") {
  Fx f;
  fx_open(&f);
  ImportResult res;
  fx_import(&f, "plan.tsv",
            PREAMBLE HEADER ROW1 ROW("2", "", "X", "Informes", "Dos (2) informes",
                                     "01-febrero-2021", "30-noviembre-2021", "Oficina de Prensa")
                ROW("", "", "H:", "Sin número", "Un (1) informe", "01-febrero-2021",
                    "30-noviembre-2021", "Oficina de Prensa") ROW1,
            true, &res);
  cr_assert_eq(res.nAdded, 2);
  cr_assert_eq(res.nSkipped, 2);
  cr_assert_eq(res.nReview, 1);
  cr_assert_str_eq(buf_str(&res.changes),
                   "  plan.tsv:6: fila no guardada: no tiene número de ítem\n"
                   "  plan.tsv:7: fila no guardada: su número de ítem está repetido\n");
  buf_reset(&res.changes);
  Report r;
  report_build(f.db, f.iPlan, ymd(2021, 7, 15), false, &r);
  cr_assert_eq(r.nAct, 2);
  cr_assert_str_eq(act(&r, 2)->zReview, "fase PHVA desconocida «X»; use P (Planear), H (Hacer), "
                                        "V (Verificar) o A (Actuar)");
  cr_assert_eq(act(&r, 2)->cPhase, 0);
  /* Item 2 has no phase: it is rolled up apart. Expected (07-15 - 02-01 + 1) / (11-30 -
  ** 02-01 + 1) = 165/303. */
  expect_roll(&r.unphased, 1, 1, 1, 0, 165.0 / 303, true, 0, LIGHT_RED);
  cr_assert_eq(r.aPhase[1].nAct, 0);
  report_free(&r);
  fx_close(&f);
}

Test(report, import_one_transaction,
     .description = "report-5.5 an import that fails halfway leaves the database as it was") {
  Fx f;
  fx_standard(&f);
  int64_t iPlan = f.iPlan;
  db_close(f.db);
  f.db = NULL;
  fflush(NULL);
  pid_t pid = fork();
  cr_assert_neq(pid, -1);
  if (pid == 0) {
    /* The child re-imports the changed plan with its last activity broken so that
    ** the database refuses it (phase 'Z'): the process aborts after the first rows
    ** were written inside the transaction. */
    if (freopen("/dev/null", "w", stderr) == NULL) {
      _exit(3);
    }
    char *zErr = NULL;
    Db *db = db_open(f.zDb, 0, &zErr);
    if (db == NULL) {
      _exit(4);
    }
    Table t;
    PlanDraft p;
    const char *zText = PLAN_CHANGED;
    if (csv_read_mem("plan2.tsv", zText, strlen(zText), 0, &t, &zErr) != TABLE_OK) {
      _exit(5);
    }
    plan_read_table(&t, "tsv", NULL, &p);
    p.aAct[p.nAct - 1].cPhase = 'Z';
    ImportResult res;
    plan_store(db, &p, "prueba", false, &res);
    _exit(6); /* not reached */
  }
  int status = 0;
  cr_assert_eq(waitpid(pid, &status, 0), pid);
  cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT, "child status %d", status);
  char *zErr = NULL;
  f.db = db_open(f.zDb, 0, &zErr);
  cr_assert_not_null(f.db, "%s", zErr ? zErr : "");
  /* Nothing of the failed import is there: item 1 keeps its text, 3 and 4 are there, 5 is
  ** not, no new office, one import in the log. */
  Report r;
  report_build(f.db, iPlan, ymd(2021, 7, 15), false, &r);
  cr_assert_eq(r.nAct, 4);
  cr_assert_str_eq(act(&r, 1)->zActivity, "Talleres de diagnóstico");
  cr_assert_null(act(&r, 3)->zReview);
  cr_assert_eq(act(&r, 4)->iItem, 4);
  cr_assert_eq(r.nComponent, 2);
  report_free(&r);
  cr_assert_eq(plan_activity_id(f.db, iPlan, 5), 0);
  cr_assert_eq(db_int(f.db, "SELECT count(*) FROM office"), 3);
  cr_assert_eq(db_int(f.db, "SELECT count(*) FROM change_log WHERE action = 'importar'"), 1);
  Stmt *s = db_prepare(f.db, "PRAGMA integrity_check");
  cr_assert(db_step(s));
  cr_assert_str_eq(db_col_text(s, 0), "ok");
  db_finalize(s);
  fx_close(&f);
}

/* What a reader callback saw (test_reader_*). */
typedef struct ReadProbe {
  int64_t nAct;  /* activities counted on the reader's connection */
  bool bOwnConn; /* the reader's connection is not the caller's */
  Db *pCaller;   /* the caller's connection */
} ReadProbe;

/* A DbReadFunc: count the activities. */
static void probe_count(Db *db, void *pArg) {
  ReadProbe *p = pArg;
  p->bOwnConn = db != p->pCaller;
  p->nAct = db_int(db, "SELECT count(*) FROM activity");
}

/* A DbReadFunc: try to write (the reader's connection is query-only). */
static void probe_write(Db *db, void *pArg) {
  (void)pArg;
  Stmt *s = db_prepare(db, "INSERT INTO setting(key, value) VALUES (:key, :value)");
  db_bind_text(s, ":key", "prueba.lector");
  db_bind_text(s, ":value", "1");
  db_run(s);
  db_finalize(s);
}

Test(report, reader_reads, .description = "report-6.1 a parallel reader reads the same file") {
  Fx f;
  fx_standard(&f);
  ReadProbe probe = {.nAct = -1, .pCaller = f.db};
  DbReader reader;
  cr_assert(db_reader_start(&reader, f.db, probe_count, &probe));
  cr_assert(db_reader_join(&reader), "the reader ran to its end");
  cr_assert_eq(probe.nAct, 4);
  cr_assert(probe.bOwnConn);
  fx_close(&f);
}

Test(report, reader_query_only,
     .description = "report-6.2 a parallel reader cannot write; the failure ends only the reader") {
  Fx f;
  fx_standard(&f);
  DbReader reader;
  cr_assert(db_reader_start(&reader, f.db, probe_write, NULL));
  cr_assert_not(db_reader_join(&reader), "a refused write is a failed read");
  cr_assert_eq(db_int(f.db, "SELECT count(*) FROM setting WHERE key = 'prueba.lector'"), 0);
  fx_close(&f);
}

Test(report, reader_memory,
     .description = "report-6.3 no parallel reader on an in-memory database; the report still "
                    "reads everything") {
  char *zErr = NULL;
  Db *db = db_open(":memory:", DB_CREATE, &zErr);
  cr_assert_not_null(db, "%s", zErr ? zErr : "");
  ReadProbe probe = {.nAct = -1, .pCaller = db};
  DbReader reader;
  cr_assert_not(db_reader_start(&reader, db, probe_count, &probe));
  cr_assert_not(db_reader_join(&reader));
  cr_assert_eq(probe.nAct, -1, "the callback never ran");
  Table t;
  PlanDraft p;
  cr_assert_eq(csv_read_mem("plan.tsv", PLAN, strlen(PLAN), 0, &t, &zErr), TABLE_OK);
  plan_read_table(&t, "tsv", NULL, &p);
  ImportResult res;
  plan_store(db, &p, "prueba", false, &res);
  buf_reset(&res.changes);
  plan_draft_reset(&p);
  table_reset(&t);
  Report r;
  report_build(db, res.iPlan, ymd(2021, 7, 15), false, &r);
  cr_assert_eq(r.nAct, 4);
  cr_assert_str_eq(act(&r, 1)->zActivity, "Talleres de diagnóstico");
  cr_assert_str_eq(act(&r, 4)->zActivity, "Encuentros con veedurías");
  report_free(&r);
  db_close(db);
}

Test(report, one_snapshot,
     .description = "report-6.4 a change committed while the caller reads is not half-counted") {
  Fx f;
  fx_standard(&f);
  /* the caller's read transaction pins its snapshot at its first read */
  db_begin_read(f.db);
  cr_assert_eq(db_int(f.db, "SELECT count(*) FROM progress"), 5);
  /* another connection then records and verifies 5 on item 4 (T3, begun by 07-15) */
  char *zErr = NULL;
  Db *db2 = db_open(f.zDb, 0, &zErr);
  cr_assert_not_null(db2, "%s", zErr ? zErr : "");
  int64_t id = plan_progress_add(db2, f.zDir, f.iPlan, 4, "T3", 5, "hecho", NULL, "enlace", &zErr);
  cr_assert_neq(id, 0, "plan_progress_add: %s", zErr ? zErr : "");
  cr_assert(plan_progress_review(db2, id, true, "revisado", "supervisor", &zErr), "%s",
            zErr ? zErr : "");
  db_close(db2);
  /* the report inside the caller's transaction: the second connection saw the new
  ** report, the caller did not; item 4 shows the caller's picture, as in report-2.2 */
  Report r;
  report_build(f.db, f.iPlan, ymd(2021, 7, 15), false, &r);
  expect_act(act(&r, 4), 0, 0, 0, 0, 15.0 / 184, true, 0, LIGHT_RED, STATUS_LATE);
  report_free(&r);
  db_commit(f.db);
  /* after it: 5 of 10 achieved, progress 0.5 */
  report_build(f.db, f.iPlan, ymd(2021, 7, 15), false, &r);
  cr_assert_float_eq(act(&r, 4)->rAchieved, 5, EPS);
  cr_assert_eq(act(&r, 4)->nCounted, 1);
  cr_assert_float_eq(act(&r, 4)->rProgress, 0.5, EPS);
  report_free(&r);
  fx_close(&f);
}
