/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Unit tests for src/plan/plan_read.c and src/plan/plan_json.c: reading an
** action-plan matrix into a PlanDraft. Every diagnostic the reader emits is
** checked in its own test on a tiny in-memory plan (exact location, level
** and message); then the real seed file (13 activities and exactly its four
** diagnostics), column detection by title, a ';' CSV with CRLF, the JSON
** export format, and the two value parsers (phase and number).
**
** Tests run from the repository root (the seed is data/...). They do not
** test the CSV tokenizer or the date parser themselves (see test_csv.c and
** test_date.c).
*/
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "io/csv.h"
#include "plan/plan.h"

#define SEED "data/estrategia-participacion-cartagena-2021.txt"

/* The seed's two header rows (16 cells each): line 2 and 3 of every test
** plan, after the one preamble line with the entity. */
#define PREAMBLE "ALCALDÍA DE PRUEBA\n"
#define HEADER                                                                                      \
  "ITEM\tDESCRIPCIÓN DE LOS CRITERIOS DIFERENCIALES QUE LE APLICAN\tCICLO DE PROCESO P: Planear "  \
  "H: Hacer V: Verificar A: Actuar\tACTIVIDAD\tPRODUCTO\tDESCRIPCIÓN DEL INDICADOR\tDESCRIPCIÓN " \
  "DE LA META\tFECHA INICIO\tFECHA FINAL\tRESPONSABLE\tMETA DEL INDICADOR\t2021\t\t\t\t\n"          \
  "\t\t\t\t\t\t\t\t\t\t\tMETA TRIMESTRE 1\tMETA TRIMESTRE 2\tMETA TRIMESTRE 3\tMETA TRIMESTRE "     \
  "4\tRESULTADO\n"
/* The same header without the year cell. */
#define HEADER_NO_YEAR                                                                              \
  "ITEM\tDESCRIPCIÓN DE LOS CRITERIOS DIFERENCIALES QUE LE APLICAN\tCICLO DE PROCESO P: Planear "  \
  "H: Hacer V: Verificar A: Actuar\tACTIVIDAD\tPRODUCTO\tDESCRIPCIÓN DEL INDICADOR\tDESCRIPCIÓN " \
  "DE LA META\tFECHA INICIO\tFECHA FINAL\tRESPONSABLE\tMETA DEL INDICADOR\t\t\t\t\t\n"              \
  "\t\t\t\t\t\t\t\t\t\t\tMETA TRIMESTRE 1\tMETA TRIMESTRE 2\tMETA TRIMESTRE 3\tMETA TRIMESTRE "     \
  "4\tRESULTADO\n"

/* A data row of 16 cells, period targets empty. */
#define ROW(item, comp, phase, act, ind, start, end, resp)                                         \
  item "\t" comp "\t" phase "\t" act "\tProducto\t" ind "\tMeta\t" start "\t" end "\t" resp        \
       "\t\t\t\t\t\t\n"
/* A data row of 16 cells with the four period targets. */
#define ROWP(item, comp, phase, act, ind, start, end, resp, t1, t2, t3, t4)                        \
  item "\t" comp "\t" phase "\t" act "\tProducto\t" ind "\tMeta\t" start "\t" end "\t" resp        \
       "\t\t" t1 "\t" t2 "\t" t3 "\t" t4 "\t\n"
/* A row with nothing wrong, for item N. */
#define GOOD(n)                                                                                    \
  ROW(n, "Componente A", "P:", "Actividad " n, "Un (1) documento", "01-febrero-2021",              \
      "31-marzo-2021", "Secretaría General")

/* Read the in-memory text zText (named zName) as a plan into *p; t holds
** the table and must outlive p's use of it. */
static void read_text(const char *zName, const char *zText, Table *t, PlanDraft *p) {
  char *zErr = NULL;
  TableRc rc = csv_read_mem(zName, zText, strlen(zText), 0, t, &zErr);
  cr_assert_eq(rc, TABLE_OK, "csv_read_mem: %s", zErr ? zErr : "");
  plan_read_table(t, t->cSep == '\t' ? "tsv" : "csv", NULL, p);
}

/* Free what read_text made. */
static void done(Table *t, PlanDraft *p) {
  plan_draft_reset(p);
  table_reset(t);
}

/* Assert diagnostic i of p is exactly (eLevel, zLoc, zMsg). */
static void expect_diag(const PlanDraft *p, int i, DiagLevel eLevel, const char *zLoc,
                        const char *zMsg) {
  cr_assert_lt(i, p->diags.n, "diagnostic %d missing (only %d)", i, p->diags.n);
  const Diag *d = &p->diags.a[i];
  cr_assert_str_eq(d->zLoc, zLoc, "diagnostic %d location: «%s»", i, d->zLoc);
  cr_assert_str_eq(d->zMsg, zMsg, "diagnostic %d message: «%s»", i, d->zMsg);
  cr_assert_eq(d->eLevel, eLevel, "diagnostic %d level (%s)", i, d->zMsg);
}

/* Assert p holds exactly nError errors and nWarning warnings. */
static void expect_counts(const PlanDraft *p, int nError, int nWarning) {
  Buf b = BUF_INIT;
  for (int i = 0; i < p->diags.n; i++) {
    buf_appendf(&b, "\n  %s: %s", p->diags.a[i].zLoc, p->diags.a[i].zMsg);
  }
  cr_assert_eq(p->diags.n, nError + nWarning, "diagnostics:%s", buf_str(&b));
  cr_assert_eq(p->diags.nError, nError, "errors:%s", buf_str(&b));
  cr_assert_eq(p->diags.nWarning, nWarning, "warnings:%s", buf_str(&b));
  buf_reset(&b);
}

/* Read a plan made of the standard preamble and header plus zRows, and
** assert it gives exactly one diagnostic (eLevel, zLoc, zMsg). */
static void expect_only(const char *zRows, DiagLevel eLevel, const char *zLoc, const char *zMsg) {
  Table t;
  PlanDraft p;
  char *zText = xasprintf("%s%s%s", PREAMBLE, HEADER, zRows);
  read_text("plan.tsv", zText, &t, &p);
  expect_counts(&p, eLevel == DIAG_ERROR, eLevel == DIAG_WARNING);
  expect_diag(&p, 0, eLevel, zLoc, zMsg);
  done(&t, &p);
  free(zText);
}

/* ---- a clean plan ------------------------------------------------------------ */

Test(plan_read, clean_plan, .description = "plan-1.1 a correct plan reads with no diagnostics") {
  Table t;
  PlanDraft p;
  read_text("plan.tsv", PREAMBLE HEADER GOOD("1") GOOD("2"), &t, &p);
  expect_counts(&p, 0, 0);
  cr_assert_eq(p.nAct, 2);
  cr_assert_eq(p.meta.iYear, 2021);
  cr_assert_str_eq(p.meta.zEntity, "ALCALDÍA DE PRUEBA");
  cr_assert_eq(p.iHeaderRow, 1);
  cr_assert_eq(p.nPeriodCol, 4);
  cr_assert_str_eq(p.zFormat, "tsv");
  const DraftActivity *a = &p.aAct[1];
  cr_assert_eq(a->iItem, 2);
  cr_assert_eq(a->iRow, 4);
  cr_assert_str_eq(a->zLoc, "plan.tsv:5");
  cr_assert_str_eq(a->azField[PF_ACTIVITY], "Actividad 2");
  cr_assert_eq(a->cPhase, 'P');
  cr_assert(a->bStart && a->bEnd);
  Buf b = BUF_INIT;
  date_format_iso(a->startDay, &b);
  buf_putc(&b, ' ');
  date_format_iso(a->endDay, &b);
  cr_assert_str_eq(buf_str(&b), "2021-02-01 2021-03-31");
  buf_reset(&b);
  cr_assert_eq(a->rTarget, 1);
  cr_assert_eq(a->nOffice, 1);
  cr_assert_str_eq(a->azOffice[0], "Secretaría General");
  cr_assert_null(a->zReview);
  cr_assert_eq(a->nError, 0);
  done(&t, &p);
}

/* ---- dates ----------------------------------------------------------------- */

Test(plan_read, end_before_start, .description = "plan-2.1 end date before start date") {
  Table t;
  PlanDraft p;
  read_text("plan.tsv",
            PREAMBLE HEADER GOOD("1")
                ROW("2", "", "H:", "Publicar", "Una (1) publicación", "1-octubre-2021",
                    "30-septiembre-2021", "Oficina de Prensa"),
            &t, &p);
  expect_counts(&p, 1, 0);
  expect_diag(&p, 0, DIAG_ERROR, "plan.tsv:5",
              "la fecha final (30-septiembre-2021) es anterior a la fecha de inicio "
              "(1-octubre-2021); corrija una de las dos");
  cr_assert_eq(p.aAct[1].nError, 1);
  cr_assert_str_eq(p.aAct[1].zReview, "la fecha final (30-septiembre-2021) es anterior a la "
                                      "fecha de inicio (1-octubre-2021); corrija una de las dos");
  cr_assert_eq(p.aAct[0].nError, 0);
  done(&t, &p);
}

Test(plan_read, unreadable_date, .description = "plan-2.2 unreadable start and end dates") {
  Table t;
  PlanDraft p;
  read_text("plan.tsv",
            PREAMBLE HEADER ROW("1", "Componente A", "P:", "Diagnóstico", "Un (1) documento",
                                "01-febro-2021", "31-febrero-2021", "Secretaría General"),
            &t, &p);
  expect_counts(&p, 2, 0);
  expect_diag(&p, 0, DIAG_ERROR, "plan.tsv:4", "fecha de inicio ilegible: mes desconocido «febro»");
  expect_diag(&p, 1, DIAG_ERROR, "plan.tsv:4",
              "fecha final ilegible: el 31 de febrero de 2021 no existe");
  cr_assert_not(p.aAct[0].bStart);
  cr_assert_not(p.aAct[0].bEnd);
  cr_assert_str_eq(p.aAct[0].zReview, "fecha de inicio ilegible: mes desconocido «febro»; fecha "
                                      "final ilegible: el 31 de febrero de 2021 no existe");
  done(&t, &p);
}

Test(plan_read, missing_date, .description = "plan-2.3 missing end date") {
  expect_only(ROW("1", "Componente A", "P:", "Diagnóstico", "Un (1) documento", "01-febrero-2021",
                  "", "Secretaría General"),
              DIAG_ERROR, "plan.tsv:4", "falta la fecha final; escríbala como 01-febrero-2021");
}

Test(plan_read, missing_start_date, .description = "plan-2.4 missing start date") {
  expect_only(ROW("1", "Componente A", "P:", "Diagnóstico", "Un (1) documento", "  ",
                  "31-marzo-2021", "Secretaría General"),
              DIAG_ERROR, "plan.tsv:4", "falta la fecha de inicio; escríbala como 01-febrero-2021");
}

Test(plan_read, date_outside_year, .description = "plan-2.5 dates outside the plan year warn") {
  Table t;
  PlanDraft p;
  read_text("plan.tsv",
            PREAMBLE HEADER ROW("1", "Componente A", "P:", "Diagnóstico", "Un (1) documento",
                                "1-diciembre-2020", "15-enero-2022", "Secretaría General"),
            &t, &p);
  expect_counts(&p, 0, 2);
  expect_diag(&p, 0, DIAG_WARNING, "plan.tsv:4",
              "la fecha de inicio (1-diciembre-2020) está fuera del año del plan (2021)");
  expect_diag(&p, 1, DIAG_WARNING, "plan.tsv:4",
              "la fecha final (15-enero-2022) está fuera del año del plan (2021)");
  cr_assert_null(p.aAct[0].zReview, "warnings do not put the activity under review");
  done(&t, &p);
}

/* ---- item numbers --------------------------------------------------------------- */

Test(plan_read, missing_item, .description = "plan-3.1 missing item number") {
  Table t;
  PlanDraft p;
  read_text("plan.tsv",
            PREAMBLE HEADER GOOD("1") ROW("", "", "H:", "Sin número", "Un (1) documento",
                                          "01-febrero-2021", "31-marzo-2021", "Secretaría General"),
            &t, &p);
  expect_counts(&p, 1, 0);
  expect_diag(&p, 0, DIAG_ERROR, "plan.tsv:5", "falta el número de ítem; numere la actividad");
  cr_assert_eq(p.nAct, 2);
  cr_assert_eq(p.aAct[1].iItem, 0);
  done(&t, &p);
}

Test(plan_read, non_numeric_item, .description = "plan-3.2 item that is not a positive integer") {
  const char *azItem[] = {"A1", "2.5", "0", "-3"};
  const char *azWant[] = {"número de ítem no válido «A1»; use un número entero positivo",
                          "número de ítem no válido «2.5»; use un número entero positivo",
                          "número de ítem no válido «0»; use un número entero positivo",
                          "número de ítem no válido «-3»; use un número entero positivo"};
  for (int i = 0; i < 4; i++) {
    Table t;
    PlanDraft p;
    char *zText =
        xasprintf("%s%s%s\tComponente A\tP:\tDiagnóstico\tProducto\tUn (1) documento\t"
                  "Meta\t01-febrero-2021\t31-marzo-2021\tSecretaría General\t\t\t\t\t\t\n",
                  PREAMBLE, HEADER, azItem[i]);
    read_text("plan.tsv", zText, &t, &p);
    expect_counts(&p, 1, 0);
    expect_diag(&p, 0, DIAG_ERROR, "plan.tsv:4", azWant[i]);
    cr_assert_eq(p.aAct[0].iItem, 0);
    done(&t, &p);
    free(zText);
  }
}

Test(plan_read, duplicate_item, .description = "plan-3.3 repeated item names the first one") {
  Table t;
  PlanDraft p;
  read_text("plan.tsv", PREAMBLE HEADER GOOD("1") GOOD("2") GOOD("2"), &t, &p);
  expect_counts(&p, 1, 0);
  expect_diag(&p, 0, DIAG_ERROR, "plan.tsv:6",
              "el ítem 2 está repetido (ya aparece en plan.tsv:5); cada actividad necesita su "
              "propio número");
  cr_assert_eq(p.aAct[2].nError, 1);
  cr_assert_eq(p.aAct[1].nError, 0);
  done(&t, &p);
}

Test(plan_read, duplicate_item_out_of_order,
     .description = "plan-3.4 a repeated item found earlier in the file is the original") {
  Table t;
  PlanDraft p;
  read_text("plan.tsv", PREAMBLE HEADER GOOD("2") GOOD("1") GOOD("2"), &t, &p);
  expect_counts(&p, 1, 0);
  expect_diag(&p, 0, DIAG_ERROR, "plan.tsv:6",
              "el ítem 2 está repetido (ya aparece en plan.tsv:4); cada actividad necesita su "
              "propio número");
  done(&t, &p);
}

Test(plan_read, gap_one_item, .description = "plan-3.5 one missing item is a warning") {
  expect_only(GOOD("1") GOOD("3"), DIAG_WARNING, "plan.tsv:5",
              "falta el ítem 2: la numeración salta de 1 a 3");
}

Test(plan_read, gap_several_items, .description = "plan-3.6 several missing items") {
  expect_only(GOOD("1") GOOD("5"), DIAG_WARNING, "plan.tsv:5",
              "faltan los ítems 2 a 4: la numeración salta de 1 a 5");
}

/* ---- other fields ----------------------------------------------------------- */

Test(plan_read, missing_activity, .description = "plan-4.1 missing activity text") {
  expect_only(ROW("1", "Componente A", "P:", "", "Un (1) documento", "01-febrero-2021",
                  "31-marzo-2021", "Secretaría General"),
              DIAG_ERROR, "plan.tsv:4",
              "falta el texto de la actividad; describa qué se va a hacer");
}

Test(plan_read, no_office, .description = "plan-4.2 RESPONSABLE empty or only separators") {
  expect_only(ROW("1", "Componente A", "P:", "Diagnóstico", "Un (1) documento", "01-febrero-2021",
                  "31-marzo-2021", " - / ; "),
              DIAG_ERROR, "plan.tsv:4",
              "no hay dependencia responsable; escriba al menos una en RESPONSABLE");
}

Test(plan_read, unknown_phase, .description = "plan-4.3 unknown PHVA phase") {
  expect_only(ROW("1", "Componente A", "Planeación", "Diagnóstico", "Un (1) documento",
                  "01-febrero-2021", "31-marzo-2021", "Secretaría General"),
              DIAG_ERROR, "plan.tsv:4",
              "fase PHVA desconocida «Planeación»; use P (Planear), H (Hacer), V (Verificar) o A "
              "(Actuar)");
}

Test(plan_read, missing_phase, .description = "plan-4.4 missing PHVA phase") {
  expect_only(ROW("1", "Componente A", "", "Diagnóstico", "Un (1) documento", "01-febrero-2021",
                  "31-marzo-2021", "Secretaría General"),
              DIAG_ERROR, "plan.tsv:4", "falta la fase del ciclo PHVA; escriba P, H, V o A");
}

Test(plan_read, no_phase_column,
     .description = "plan-4.5 without a phase column no phase is asked") {
  Table t;
  PlanDraft p;
  read_text("plan.tsv",
            "Alcaldía de Prueba\nITEM\tACTIVIDAD\tFECHA INICIO\tFECHA FINAL\tRESPONSABLE\n"
            "1\tDiagnóstico\t01-febrero-2021\t31-marzo-2021\tSecretaría General\n",
            &t, &p);
  /* The indicator column is absent too: its text is "" and the target is 1. */
  expect_counts(&p, 0, 1);
  expect_diag(&p, 0, DIAG_WARNING, "plan.tsv:3",
              "el indicador está vacío; se usa la meta 1 (hecho / no hecho)");
  cr_assert_eq(p.aAct[0].cPhase, 0);
  cr_assert_eq(p.aCol[PF_PHASE], -1);
  done(&t, &p);
}

Test(plan_read, first_without_component,
     .description = "plan-4.6 first activity without component warns") {
  expect_only(ROW("1", "", "P:", "Diagnóstico", "Un (1) documento", "01-febrero-2021",
                  "31-marzo-2021", "Secretaría General"),
              DIAG_WARNING, "plan.tsv:4",
              "la primera actividad no tiene componente; las siguientes sin componente quedan sin "
              "agrupar");
}

Test(plan_read, row_without_item_or_activity,
     .description = "plan-4.7 a row with data but no item nor activity is ignored") {
  Table t;
  PlanDraft p;
  read_text("plan.tsv",
            PREAMBLE HEADER GOOD("1") "\tComponente\tP:\t\t\t\t\t\t\t\t\t\t\t\t\t\n" GOOD("2"), &t,
            &p);
  expect_counts(&p, 0, 1);
  expect_diag(&p, 0, DIAG_WARNING, "plan.tsv:5", "fila sin ítem ni actividad; se ignora");
  cr_assert_eq(p.nAct, 2);
  cr_assert_eq(p.aAct[1].iItem, 2);
  done(&t, &p);
}

/* ---- row shape ---------------------------------------------------------------------- */

Test(plan_read, too_many_columns, .description = "plan-5.1 data beyond the header's width") {
  Table t;
  PlanDraft p;
  read_text("plan.tsv",
            PREAMBLE HEADER "1\tComponente A\tP:\tDiagnóstico\tProducto\tUn (1) documento\tMeta\t"
                            "01-febrero-2021\t31-marzo-2021\tSecretaría General\t\t\t\t\t\t\t\t"
                            "desplazado\n",
            &t, &p);
  expect_counts(&p, 1, 0);
  expect_diag(&p, 0, DIAG_ERROR, "plan.tsv:4",
              "la fila tiene 18 columnas con datos y el encabezado 16; revise separadores o celdas "
              "desplazadas");
  cr_assert_not(p.aAct[0].bShort);
  done(&t, &p);
}

Test(plan_read, trailing_empty_cells_ok,
     .description = "plan-5.2 empty cells beyond the header (a trailing tab) are fine") {
  Table t;
  PlanDraft p;
  read_text("plan.tsv",
            PREAMBLE HEADER "1\tComponente A\tP:\tDiagnóstico\tProducto\tUn (1) documento\tMeta\t"
                            "01-febrero-2021\t31-marzo-2021\tSecretaría General\t\t\t\t\t\t\t \t\n",
            &t, &p);
  expect_counts(&p, 0, 0);
  done(&t, &p);
}

Test(plan_read, too_few_columns, .description = "plan-5.3 a row cut short is not checked further") {
  Table t;
  PlanDraft p;
  read_text("plan.tsv",
            PREAMBLE HEADER GOOD("1") "2\tComponente A\tH:\tUna actividad partida\tProducto\n"
                                      "\tcontinuación\n",
            &t, &p);
  /* Line 6 holds a component cell but no item nor activity: ignored with a warning. */
  expect_counts(&p, 1, 1);
  expect_diag(&p, 0, DIAG_ERROR, "plan.tsv:5",
              "la fila tiene 5 columnas y el encabezado 16; faltan celdas (¿un salto de línea "
              "dentro de una celda sin comillas?)");
  expect_diag(&p, 1, DIAG_WARNING, "plan.tsv:6", "fila sin ítem ni actividad; se ignora");
  cr_assert(p.aAct[1].bShort);
  cr_assert_eq(p.aAct[1].iItem, 2);
  cr_assert_eq(p.aAct[1].rTarget, 1);
  cr_assert_eq(p.aAct[1].nOffice, 0);
  done(&t, &p);
}

/* U+00A0 NO-BREAK SPACE in UTF-8. */
#define NBSP "\xc2\xa0"

Test(plan_read, nbsp_blank, .description = "plan-5.4 cells holding only NBSP are blank") {
  Table t;
  PlanDraft p;
  read_text("plan.tsv",
            PREAMBLE HEADER GOOD("1")
            /* line 5: a row of NBSP (as copied from a web page): a blank row */
            NBSP "\t" NBSP " \t\t" NBSP "\n"
            /* line 6: NBSP in ITEM and ACTIVIDAD, a component: ignored with a warning */
            NBSP "\tComponente B\t\t" NBSP "\n"
            /* line 7: NBSP around fields, and alone beyond the header's width */
            NBSP "2" NBSP "\tComponente A\tP:\t" NBSP "Actividad 2\tProducto\tUn (1) documento\t"
                 "Meta\t01-febrero-2021\t31-marzo-2021\tSecretaría General" NBSP
                 "\t\t\t\t\t\t\t" NBSP "\n",
            &t, &p);
  expect_counts(&p, 0, 1);
  expect_diag(&p, 0, DIAG_WARNING, "plan.tsv:6", "fila sin ítem ni actividad; se ignora");
  cr_assert_eq(p.nAct, 2);
  cr_assert_eq(p.aAct[1].iItem, 2);
  cr_assert_str_eq(p.aAct[1].azField[PF_ACTIVITY], "Actividad 2");
  cr_assert_str_eq(p.aAct[1].azOffice[0], "Secretaría General");
  done(&t, &p);
}

/* ---- header and metadata ------------------------------------------------------------ */

Test(plan_read, no_header, .description = "plan-6.1 no header row in the first 100 rows") {
  Table t;
  PlanDraft p;
  read_text("plan.tsv", "Alcaldía de Prueba\nnombre\tvalor\nITEM\tcosa\n1\tx\n", &t, &p);
  expect_counts(&p, 1, 0);
  expect_diag(&p, 0, DIAG_ERROR, "plan.tsv",
              "no se encontró la fila de encabezado (con ITEM, ACTIVIDAD, FECHA INICIO, …) en las "
              "primeras 100 filas; revise que el archivo sea la matriz del plan");
  cr_assert_eq(p.nAct, 0);
  cr_assert_not(p.bUnreadable);
  done(&t, &p);
}

Test(plan_read, header_after_row_100, .description = "plan-6.2 a header on row 101 is not found") {
  Buf b = BUF_INIT;
  for (int i = 0; i < 100; i++) {
    buf_puts(&b, "preámbulo\n");
  }
  buf_puts(&b, HEADER GOOD("1"));
  Table t;
  PlanDraft p;
  read_text("plan.tsv", buf_str(&b), &t, &p);
  expect_counts(&p, 1, 0);
  cr_assert(strncmp(p.diags.a[0].zMsg, "no se encontró la fila de encabezado", 36) == 0);
  done(&t, &p);
  buf_reset(&b);
}

Test(plan_read, missing_column, .description = "plan-6.3 each missing required column is named") {
  Table t;
  PlanDraft p;
  read_text("plan.tsv",
            "Alcaldía de Prueba\n\nITEM\tACTIVIDAD\tFECHA INICIO\tPRODUCTO\n"
            "1\tDiagnóstico\t01-febrero-2021\tDocumento\n",
            &t, &p);
  expect_counts(&p, 2, 0);
  expect_diag(&p, 0, DIAG_ERROR, "plan.tsv:3", "falta la columna FECHA FINAL en el encabezado");
  expect_diag(&p, 1, DIAG_ERROR, "plan.tsv:3", "falta la columna RESPONSABLE en el encabezado");
  cr_assert_eq(p.nAct, 0, "nothing is read under an incomplete header");
  done(&t, &p);
}

Test(plan_read, missing_entity, .description = "plan-6.4 no entity before the header") {
  Table t;
  PlanDraft p;
  read_text("plan.tsv", HEADER GOOD("1"), &t, &p);
  expect_counts(&p, 1, 0);
  expect_diag(&p, 0, DIAG_ERROR, "plan.tsv",
              "no se encontró el nombre de la entidad en las líneas antes del encabezado; "
              "escríbalo en la primera línea o use --entity NOMBRE");
  done(&t, &p);
}

Test(plan_read, entity_option, .description = "plan-6.5 --entity supplies the entity") {
  Table t;
  PlanDraft p;
  const char *zText = HEADER GOOD("1");
  char *zErr = NULL;
  cr_assert_eq(csv_read_mem("plan.tsv", zText, strlen(zText), 0, &t, &zErr), TABLE_OK);
  PlanReadOpts o = {NULL, "Alcaldía de Otra Parte", 0, NULL, NULL};
  plan_read_table(&t, "tsv", &o, &p);
  expect_counts(&p, 0, 0);
  cr_assert_str_eq(p.meta.zEntity, "Alcaldía de Otra Parte");
  done(&t, &p);
}

Test(plan_read, unknown_year, .description = "plan-6.6 no year in the header nor the dates") {
  Table t;
  PlanDraft p;
  read_text("plan.tsv",
            PREAMBLE HEADER_NO_YEAR ROW("1", "Componente A", "P:", "Diagnóstico",
                                        "Un (1) documento", "", "31-marzo-2021",
                                        "Secretaría General"),
            &t, &p);
  expect_counts(&p, 2, 0);
  expect_diag(&p, 0, DIAG_ERROR, "plan.tsv",
              "no se pudo saber el año del plan (ni en el encabezado ni en las fechas); use --year "
              "AÑO");
  expect_diag(&p, 1, DIAG_ERROR, "plan.tsv:4",
              "falta la fecha de inicio; escríbala como 01-febrero-2021");
  cr_assert_eq(p.meta.iYear, 0);
  done(&t, &p);
}

Test(plan_read, year_from_dates, .description = "plan-6.7 the year is guessed from start dates") {
  Table t;
  PlanDraft p;
  read_text("plan.tsv",
            PREAMBLE HEADER_NO_YEAR ROW("1", "Componente A", "P:", "Uno", "Un (1) documento",
                                        "01-febrero-2022", "31-marzo-2022", "Secretaría General")
                ROW("2", "", "P:", "Dos", "Un (1) documento", "01-febrero-2022", "31-marzo-2022",
                    "Secretaría General")
                    ROW("3", "", "P:", "Tres", "Un (1) documento", "01-diciembre-2021",
                        "31-diciembre-2021", "Secretaría General"),
            &t, &p);
  cr_assert_eq(p.meta.iYear, 2022);
  expect_counts(&p, 0, 2);
  expect_diag(&p, 0, DIAG_WARNING, "plan.tsv:6",
              "la fecha de inicio (1-diciembre-2021) está fuera del año del plan (2022)");
  expect_diag(&p, 1, DIAG_WARNING, "plan.tsv:6",
              "la fecha final (31-diciembre-2021) está fuera del año del plan (2022)");
  done(&t, &p);
}

Test(plan_read, year_option, .description = "plan-6.8 --year contradicting the header is an error") {
  Table t;
  PlanDraft p;
  const char *zText = PREAMBLE HEADER GOOD("1");
  char *zErr = NULL;
  cr_assert_eq(csv_read_mem("plan.tsv", zText, strlen(zText), 0, &t, &zErr), TABLE_OK);
  PlanReadOpts o = {NULL, NULL, 2022, NULL, NULL};
  plan_read_table(&t, "tsv", &o, &p);
  cr_assert_eq(p.meta.iYear, 2022);
  expect_counts(&p, 1, 2);
  expect_diag(&p, 0, DIAG_ERROR, "plan.tsv:2",
              "el encabezado dice que el plan es del año 2021 y --year dice 2022; quite --year o "
              "corrija el encabezado");
  expect_diag(&p, 1, DIAG_WARNING, "plan.tsv:4",
              "la fecha de inicio (1-febrero-2021) está fuera del año del plan (2022)");
  done(&t, &p);
}

Test(plan_read, year_option_agrees, .description = "plan-6.8b --year equal to the header") {
  Table t;
  PlanDraft p;
  const char *zText = PREAMBLE HEADER GOOD("1");
  char *zErr = NULL;
  cr_assert_eq(csv_read_mem("plan.tsv", zText, strlen(zText), 0, &t, &zErr), TABLE_OK);
  PlanReadOpts o = {NULL, NULL, 2021, NULL, NULL};
  plan_read_table(&t, "tsv", &o, &p);
  cr_assert_eq(p.meta.iYear, 2021);
  expect_counts(&p, 0, 0);
  done(&t, &p);
}

Test(plan_read, no_activities, .description = "plan-6.9 a header with nothing under it") {
  Table t;
  PlanDraft p;
  read_text("plan.tsv", PREAMBLE HEADER "\n\t\t\n", &t, &p);
  expect_counts(&p, 1, 0);
  expect_diag(&p, 0, DIAG_ERROR, "plan.tsv:2", "el encabezado no tiene actividades debajo");
  cr_assert_eq(p.nAct, 0);
  done(&t, &p);
}

/* ---- targets ------------------------------------------------------------------------ */

Test(plan_read, period_target_unreadable, .description = "plan-7.1 unreadable period target") {
  Table t;
  PlanDraft p;
  read_text("plan.tsv",
            PREAMBLE HEADER ROWP("1", "Componente A", "P:", "Diagnóstico", "Dos (2) documentos",
                                 "01-febrero-2021", "31-marzo-2021", "Secretaría General", "1",
                                 "mucho", "", "1"),
            &t, &p);
  expect_counts(&p, 1, 0);
  expect_diag(&p, 0, DIAG_ERROR, "plan.tsv:4",
              "meta del periodo 2 ilegible «mucho»; escriba un número");
  const DraftActivity *a = &p.aAct[0];
  cr_assert_eq(a->nError, 1);
  cr_assert_str_eq(a->zReview, "meta del periodo 2 ilegible «mucho»; escriba un número",
                   "an error on the row puts it under review like any other");
  cr_assert(a->pPeriods->abSet[0] && !a->pPeriods->abSet[1] && !a->pPeriods->abSet[2] && a->pPeriods->abSet[3]);
  cr_assert_eq(a->pPeriods->aTarget[0], 1);
  cr_assert_eq(a->pPeriods->aTarget[3], 1);
  cr_assert_str_eq(a->pPeriods->azCell[1], "mucho");
  done(&t, &p);
}

Test(plan_read, period_targets_read,
     .description = "plan-7.2 period targets as numbers and words") {
  Table t;
  PlanDraft p;
  read_text("plan.tsv",
            PREAMBLE HEADER ROWP("1", "Componente A", "P:", "Talleres", "Diez (10) talleres",
                                 "01-febrero-2021", "31-diciembre-2021", "Secretaría General",
                                 "2,5", "Tres", "", "4.5"),
            &t, &p);
  expect_counts(&p, 0, 0);
  const DraftActivity *a = &p.aAct[0];
  cr_assert_eq(a->rTarget, 10);
  cr_assert_eq(a->pPeriods->aTarget[0], 2.5);
  cr_assert_eq(a->pPeriods->aTarget[1], 3);
  cr_assert_not(a->pPeriods->abSet[2]);
  cr_assert_eq(a->pPeriods->aTarget[3], 4.5);
  done(&t, &p);
}

Test(plan_read, period_targets_above_target,
     .description = "plan-7.3 period targets summing above the target warn") {
  expect_only(ROWP("1", "Componente A", "P:", "Diagnóstico", "Dos (2) documentos",
                   "01-febrero-2021", "31-marzo-2021", "Secretaría General", "1", "1", "0,5", ""),
              DIAG_WARNING, "plan.tsv:4",
              "las metas por periodo suman 2.5 y la meta del indicador es 2");
}

Test(plan_read, period_targets_equal_target,
     .description = "plan-7.4 period targets summing to the target are fine") {
  Table t;
  PlanDraft p;
  read_text("plan.tsv",
            PREAMBLE HEADER ROWP("1", "Componente A", "P:", "Diagnóstico", "Dos (2) documentos",
                                 "01-febrero-2021", "31-marzo-2021", "Secretaría General", "1", "",
                                 "", "1"),
            &t, &p);
  expect_counts(&p, 0, 0);
  done(&t, &p);
}

Test(plan_read, no_numeric_target, .description = "plan-7.5 no number in the indicator: target 1") {
  Table t;
  PlanDraft p;
  read_text("plan.tsv",
            PREAMBLE HEADER ROW("1", "Componente A", "P:", "Diagnóstico",
                                "Estrategia de comunicación adaptada en los canales",
                                "01-febrero-2021", "31-marzo-2021", "Secretaría General"),
            &t, &p);
  expect_counts(&p, 0, 1);
  expect_diag(&p, 0, DIAG_WARNING, "plan.tsv:4",
              "no se encontró una meta numérica en el indicador «Estrategia de comunicación "
              "adaptada en…»; se usa 1 (hecho / no hecho): escriba por ejemplo «Dos (2) …»");
  cr_assert_eq(p.aAct[0].rTarget, 1);
  cr_assert_not(p.aAct[0].bTargetGiven);
  done(&t, &p);
}

Test(plan_read, empty_indicator, .description = "plan-7.6 empty indicator: target 1") {
  expect_only(ROW("1", "Componente A", "P:", "Diagnóstico", "", "01-febrero-2021", "31-marzo-2021",
                  "Secretaría General"),
              DIAG_WARNING, "plan.tsv:4",
              "el indicador está vacío; se usa la meta 1 (hecho / no hecho)");
}

Test(plan_read, target_mismatch, .description = "plan-7.7 words and digits disagree") {
  Table t;
  PlanDraft p;
  read_text("plan.tsv",
            PREAMBLE HEADER ROW("1", "Componente A", "P:", "Talleres", "Dos (3) talleres",
                                "01-febrero-2021", "31-marzo-2021", "Secretaría General"),
            &t, &p);
  expect_counts(&p, 0, 1);
  expect_diag(&p, 0, DIAG_WARNING, "plan.tsv:4",
              "el número en palabras y el número entre paréntesis no coinciden; se usa 3");
  cr_assert_eq(p.aAct[0].rTarget, 3);
  done(&t, &p);
}

Test(plan_read, target_from_goal_column,
     .description = "plan-7.8 META DEL INDICADOR first, then the indicator, then the goal") {
  Table t;
  PlanDraft p;
  read_text("plan.tsv",
            PREAMBLE HEADER
            /* META DEL INDICADOR "7" wins over the indicator's (2) */
            "1\tC\tP:\tA\tProducto\tDos (2) talleres\tMeta\t01-febrero-2021\t31-marzo-2021\t"
            "Secretaría General\t7\t\t\t\t\t\n"
            /* no number in the indicator: DESCRIPCIÓN DE LA META "Cinco talleres" */
            "2\tC\tP:\tA\tProducto\tTalleres realizados\tCinco talleres\t01-febrero-2021\t"
            "31-marzo-2021\tSecretaría General\t\t\t\t\t\t\n",
            &t, &p);
  expect_counts(&p, 0, 0);
  cr_assert_eq(p.aAct[0].rTarget, 7);
  cr_assert_eq(p.aAct[1].rTarget, 5);
  done(&t, &p);
}

/* ---- diagnostic order ------------------------------------------------------------- */

Test(plan_read, diagnostics_sorted,
     .description = "plan-8.1 file diagnostics first, then by row, in insertion order per row") {
  Table t;
  PlanDraft p;
  read_text(
      "plan.tsv",
      HEADER ROW("1", "Componente A", "", "Uno", "Un (1) documento", "01-febrero-2021",
                 "31-marzo-2021", "Secretaría General")
          ROW("3", "", "X", "Tres", "Un (1) documento", "1-octubre-2021", "30-septiembre-2021", ""),
      &t, &p);
  expect_counts(&p, 5, 1);
  expect_diag(&p, 0, DIAG_ERROR, "plan.tsv",
              "no se encontró el nombre de la entidad en las líneas antes del encabezado; "
              "escríbalo en la primera línea o use --entity NOMBRE");
  expect_diag(&p, 1, DIAG_ERROR, "plan.tsv:3", "falta la fase del ciclo PHVA; escriba P, H, V o A");
  expect_diag(&p, 2, DIAG_ERROR, "plan.tsv:4",
              "fase PHVA desconocida «X»; use P (Planear), H (Hacer), V (Verificar) o A (Actuar)");
  expect_diag(&p, 3, DIAG_ERROR, "plan.tsv:4",
              "la fecha final (30-septiembre-2021) es anterior a la fecha de inicio "
              "(1-octubre-2021); corrija una de las dos");
  expect_diag(&p, 4, DIAG_ERROR, "plan.tsv:4",
              "no hay dependencia responsable; escriba al menos una en RESPONSABLE");
  expect_diag(&p, 5, DIAG_WARNING, "plan.tsv:4", "falta el ítem 2: la numeración salta de 1 a 3");
  cr_assert_eq(p.aAct[1].nError, 3);
  done(&t, &p);
}

Test(plan_read, draft_report, .description = "plan-8.2 printed diagnostics and summary line") {
  Table t;
  PlanDraft p;
  read_text("plan.tsv", PREAMBLE HEADER GOOD("1") GOOD("3"), &t, &p);
  char *z = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&z, &n);
  cr_assert_not_null(f);
  plan_draft_report(&p, f);
  fclose(f);
  cr_assert_str_eq(z, "plan.tsv:5: advertencia: falta el ítem 2: la numeración salta de 1 a 3\n"
                      "plan.tsv: 2 actividades, 0 errores, 1 advertencia\n");
  free(z);
  done(&t, &p);
}

/* ---- the seed ---------------------------------------------------------------------- */

Test(plan_read, seed_activities, .description = "plan-9.1 seed: 13 activities with their items") {
  PlanDraft p;
  plan_read_file(SEED, NULL, &p);
  cr_assert_not(p.bUnreadable, "run the tests from the repository root");
  cr_assert_eq(p.nAct, 13);
  static const long aItem[] = {1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15};
  static const char acPhase[] = "PPPHHHHHHHHVA";
  for (int i = 0; i < 13; i++) {
    cr_assert_eq(p.aAct[i].iItem, aItem[i], "activity %d", i);
    cr_assert_eq(p.aAct[i].cPhase, acPhase[i], "phase of item %ld", aItem[i]);
    cr_assert_eq(p.aAct[i].rTarget, aItem[i] == 8 ? 2 : 1, "target of item %ld", aItem[i]);
  }
  cr_assert_str_eq(p.zFormat, "tsv");
  cr_assert(p.bOwnsTable, "the draft keeps the table its fields point into");
  cr_assert_eq(p.pTable, &p.table);
  plan_draft_reset(&p);
}

Test(plan_read, seed_diagnostics, .description = "plan-9.2 seed: exactly its four diagnostics") {
  PlanDraft p;
  plan_read_file(SEED, NULL, &p);
  expect_counts(&p, 1, 3);
  expect_diag(&p, 0, DIAG_WARNING, SEED ":20", "falta el ítem 4: la numeración salta de 3 a 5");
  expect_diag(&p, 1, DIAG_ERROR, SEED ":22",
              "la fecha final (30-septiembre-2021) es anterior a la fecha de inicio "
              "(1-octubre-2021); corrija una de las dos");
  expect_diag(&p, 2, DIAG_WARNING, SEED ":26",
              "no se encontró una meta numérica en el indicador «Estrategia de comunicación "
              "adaptada en…»; se usa 1 (hecho / no hecho): escriba por ejemplo «Dos (2) …»");
  expect_diag(&p, 3, DIAG_WARNING, SEED ":29", "falta el ítem 13: la numeración salta de 12 a 14");
  cr_assert_eq(p.aAct[5].iItem, 7);
  cr_assert_eq(p.aAct[5].nError, 1);
  cr_assert_str_eq(p.aAct[5].zLoc, SEED ":22");
  plan_draft_reset(&p);
}

Test(plan_read, seed_metadata, .description = "plan-9.3 seed: the preamble's metadata") {
  PlanDraft p;
  plan_read_file(SEED, NULL, &p);
  cr_assert_str_eq(p.meta.zEntity, "ALCALDÍA DISTRITAL DE CARTAGENA DE INDIAS");
  cr_assert_str_eq(p.meta.zMacroproceso, "GESTIÓN ADMINISTRATIVA");
  cr_assert_str_eq(p.meta.zProceso, "CALIDAD");
  cr_assert_str_eq(p.meta.zSubproceso, "IMPLEMENTACIÓN DE MODELOS DE GESTIÓN");
  cr_assert_str_eq(p.meta.zStrategy,
                   "ESTRATEGIA DE PARTICIPACIÓN CIUDADANA EN EL DESEMPEÑO INSTITUCIONAL");
  cr_assert_str_eq(p.meta.zPolicy, "Política de Participación en el desempeño institucional");
  cr_assert_str_eq(p.meta.zObjective,
                   "Conocer y registrar los avances en la implementación de la Política de "
                   "Gestión y Desempeño de su competencia, en el marco del Modelo Integrado de "
                   "Planeación y Gestión -MIPG.");
  cr_assert_eq(p.meta.iYear, 2021);
  cr_assert_eq(p.nPeriodCol, 4);
  plan_draft_reset(&p);
}

Test(plan_read, seed_components, .description = "plan-9.4 seed: empty component continues above") {
  PlanDraft p;
  plan_read_file(SEED, NULL, &p);
  const char *zComp2 = "Construir la estrategias de Participación articulada con el "
                       "direccionamiento estratégico y planeación institucional";
  cr_assert_str_eq(p.aAct[1].azField[PF_COMPONENT], zComp2);
  cr_assert_str_eq(p.aAct[2].azField[PF_COMPONENT], zComp2, "item 3 continues item 2's");
  cr_assert_str_eq(p.aAct[5].azField[PF_COMPONENT], "Construir la estrategias de Participación "
                                                    "articulada con el direccionamiento "
                                                    "estratégico y planeación institucional");
  cr_assert_str_eq(p.aAct[6].azField[PF_COMPONENT],
                   "Construir las estrategias de Rendición de Cuentas en el PAAC", "item 8");
  cr_assert_str_eq(p.aAct[10].azField[PF_COMPONENT],
                   "Construir las estrategias de Rendición de Cuentas en el PAAC", "item 12");
  cr_assert(strncmp(p.aAct[11].azField[PF_COMPONENT], "Evaluar los resultados", 22) == 0);
  plan_draft_reset(&p);
}

Test(plan_read, seed_offices, .description = "plan-9.5 seed: offices of items 2 and 7") {
  PlanDraft p;
  plan_read_file(SEED, NULL, &p);
  const DraftActivity *a2 = &p.aAct[1], *a7 = &p.aAct[5];
  cr_assert_eq(a2->iItem, 2);
  cr_assert_eq(a2->nOffice, 5);
  cr_assert_str_eq(a2->azOffice[0], "Secretaria general");
  cr_assert_str_eq(a2->azOffice[1], "Oficina de informática");
  cr_assert_str_eq(a2->azOffice[2], "Oficina asesora de prensa y comunicaciones");
  cr_assert_str_eq(a2->azOffice[3], "Secretaria de Planeación");
  cr_assert_str_eq(a2->azOffice[4], "Secretaria de Participación y Desarrollo Social");
  cr_assert_eq(a7->iItem, 7);
  cr_assert_eq(a7->nOffice, 4);
  cr_assert_str_eq(a7->azOffice[0], "Secretaría de Participación");
  cr_assert_str_eq(a7->azOffice[1], "Oficina de comunicaciones");
  cr_assert_str_eq(a7->azOffice[2], "oficina asesora de informática");
  cr_assert_str_eq(a7->azOffice[3], "Escuela de Gobierno");
  plan_draft_reset(&p);
}

Test(plan_read, seed_dates, .description = "plan-9.6 seed: dates of items 1 and 15") {
  PlanDraft p;
  plan_read_file(SEED, NULL, &p);
  Buf b = BUF_INIT;
  date_format_iso(p.aAct[0].startDay, &b);
  buf_putc(&b, ' ');
  date_format_iso(p.aAct[0].endDay, &b);
  buf_putc(&b, ' ');
  date_format_iso(p.aAct[12].startDay, &b);
  buf_putc(&b, ' ');
  date_format_iso(p.aAct[12].endDay, &b);
  cr_assert_str_eq(buf_str(&b), "2021-02-01 2021-03-31 2021-12-20 2021-12-31");
  buf_reset(&b);
  plan_draft_reset(&p);
}

Test(plan_read, missing_file, .description = "plan-9.7 a file that cannot be read") {
  /* The message is the CSV reader's (see test_csv.c), passed on unchanged. */
  Table t;
  char *zWant = NULL;
  cr_assert_eq(csv_read_file("tests/data/no-existe.txt", 0, &t, &zWant), TABLE_ECANTREAD);
  table_reset(&t);
  const char *zPrefix = "no se puede leer «tests/data/no-existe.txt»: ";
  cr_assert(strncmp(zWant, zPrefix, strlen(zPrefix)) == 0, "%s", zWant);
  PlanDraft p;
  plan_read_file("tests/data/no-existe.txt", NULL, &p);
  cr_assert(p.bUnreadable);
  expect_counts(&p, 1, 0);
  expect_diag(&p, 0, DIAG_ERROR, "tests/data/no-existe.txt", zWant);
  cr_assert_eq(p.nAct, 0);
  plan_draft_reset(&p);
  free(zWant);
}

Test(plan_read, missing_json_file, .description = "plan-9.8 a .json file that cannot be read") {
  PlanDraft p;
  plan_read_file("tests/data/no-existe.json", NULL, &p);
  cr_assert(p.bUnreadable);
  cr_assert_str_eq(p.zFormat, "json");
  expect_counts(&p, 1, 0);
  char *zWant = xasprintf("no se puede leer «tests/data/no-existe.json»: %s", os_error(ENOENT));
  expect_diag(&p, 0, DIAG_ERROR, "tests/data/no-existe.json", zWant);
  free(zWant);
  plan_draft_reset(&p);
}

/* ---- column detection --------------------------------------------------------------- */

Test(plan_read, titles_variants,
     .description = "plan-10.1 long, accented, differently-cased and spaced titles") {
  Table t;
  PlanDraft p;
  read_text("plan.tsv",
            "Alcaldía de Prueba\n"
            "N°\tDescripción de los Criterios Diferenciales que le Aplican (componente)\t"
            "Ciclo PHVA\t  actividad  \tProductos\tNombre del Indicador\tMeta\t"
            "Fecha de Inicio:\tFECHA   DE   TERMINACIÓN\tDependencia  Responsable\t"
            "Meta del indicador\tResultados\tVigencia 2021\n"
            "1\tComponente A\tHacer\tTalleres\tListas\tTres (3) talleres\tFormar\t"
            "01/02/2021\t2021-03-31\tSecretaría General\t\tHecho\n",
            &t, &p);
  expect_counts(&p, 0, 0);
  for (int f = 0; f < PF_COUNT; f++) {
    cr_assert_eq(p.aCol[f], f, "column of %s", azPlanFieldName[f]);
  }
  cr_assert_eq(p.meta.iYear, 2021);
  const DraftActivity *a = &p.aAct[0];
  cr_assert_eq(a->cPhase, 'H');
  cr_assert_str_eq(a->azField[PF_PRODUCT], "Listas");
  cr_assert_str_eq(a->azField[PF_GOAL], "Formar");
  cr_assert_str_eq(a->azField[PF_RESULT], "Hecho");
  cr_assert_eq(a->rTarget, 3);
  done(&t, &p);
}

Test(plan_read, columns_other_order, .description = "plan-10.2 columns in another order") {
  Table t;
  PlanDraft p;
  read_text("plan.tsv",
            "Alcaldía de Prueba\n"
            "RESPONSABLE\tFECHA FINAL\tACTIVIDAD\tÍtem\tFECHA INICIO\tFase\tIndicador\tComponente\n"
            "Oficina de Prensa\t31-marzo-2021\tPublicar\t2\t01-marzo-2021\tV\tDos (2) boletines\t"
            "Comunicar\n"
            "Escuela de Gobierno / Secretaría General\t30-abril-2021\tFormar\t1\t01-abril-2021\t"
            "A - Actuar\tUn (1) curso\t\n",
            &t, &p);
  expect_counts(&p, 0, 0);
  cr_assert_eq(p.aCol[PF_RESPONSIBLE], 0);
  cr_assert_eq(p.aCol[PF_END], 1);
  cr_assert_eq(p.aCol[PF_ACTIVITY], 2);
  cr_assert_eq(p.aCol[PF_ITEM], 3);
  cr_assert_eq(p.aCol[PF_START], 4);
  cr_assert_eq(p.aCol[PF_PHASE], 5);
  cr_assert_eq(p.aCol[PF_INDICATOR], 6);
  cr_assert_eq(p.aCol[PF_COMPONENT], 7);
  cr_assert_eq(p.aCol[PF_PRODUCT], -1);
  cr_assert_eq(p.aCol[PF_GOAL], -1);
  cr_assert_eq(p.aAct[0].iItem, 2);
  cr_assert_eq(p.aAct[0].cPhase, 'V');
  cr_assert_eq(p.aAct[0].rTarget, 2);
  cr_assert_str_eq(p.aAct[0].azField[PF_ACTIVITY], "Publicar");
  cr_assert_str_eq(p.aAct[0].azField[PF_PRODUCT], "");
  cr_assert_eq(p.aAct[1].iItem, 1);
  cr_assert_eq(p.aAct[1].cPhase, 'A');
  cr_assert_str_eq(p.aAct[1].azField[PF_COMPONENT], "Comunicar", "continued from the row above");
  cr_assert_eq(p.aAct[1].nOffice, 2);
  cr_assert_str_eq(p.aAct[1].azOffice[1], "Secretaría General");
  cr_assert_eq(p.meta.iYear, 2021, "guessed from the start dates");
  done(&t, &p);
}

Test(plan_read, semicolon_crlf, .description = "plan-10.3 a ';' CSV with CRLF line ends") {
  Table t;
  PlanDraft p;
  read_text("plan.csv",
            "\xef\xbb\xbf"
            "Alcaldía de Prueba;;;;;\r\n"
            "\r\n"
            "ITEM;ACTIVIDAD;CICLO DE PROCESO;FECHA INICIO;FECHA FINAL;RESPONSABLE;DESCRIPCIÓN DEL "
            "INDICADOR\r\n"
            "1;\"Hacer; con separador\";H:;01/02/2021;2021-03-31;Secretaría General;Tres (3) "
            "talleres\r\n"
            "2;Evaluar;V;1-abril-2021;30-abril-2021;Oficina de Control Interno;Un (1) "
            "informe\r\n",
            &t, &p);
  cr_assert_eq(t.cSep, ';');
  cr_assert_str_eq(p.zFormat, "csv");
  expect_counts(&p, 0, 0);
  cr_assert_eq(p.nAct, 2);
  cr_assert_str_eq(p.meta.zEntity, "Alcaldía de Prueba");
  cr_assert_eq(p.meta.iYear, 2021);
  cr_assert_str_eq(p.aAct[0].azField[PF_ACTIVITY], "Hacer; con separador");
  cr_assert_str_eq(p.aAct[0].azField[PF_INDICATOR], "Tres (3) talleres", "no CR left");
  cr_assert_eq(p.aAct[0].rTarget, 3);
  cr_assert_str_eq(p.aAct[1].zLoc, "plan.csv:5");
  cr_assert_str_eq(p.aAct[1].azOffice[0], "Oficina de Control Interno");
  done(&t, &p);
}

Test(plan_read, semicolon_crlf_diag, .description = "plan-10.4 CSV diagnostics name the line") {
  Table t;
  PlanDraft p;
  read_text("plan.csv",
            "Alcaldía de Prueba\r\nITEM;ACTIVIDAD;FECHA INICIO;FECHA FINAL;RESPONSABLE;"
            "INDICADOR\r\n1;A;01/02/2021;2021-03-31;Secretaría General;Un (1) informe\r\n"
            "3;B;01/04/2021;2021-03-31;Secretaría General;Un (1) informe\r\n",
            &t, &p);
  expect_counts(&p, 1, 1);
  expect_diag(&p, 0, DIAG_ERROR, "plan.csv:4",
              "la fecha final (31-marzo-2021) es anterior a la fecha de inicio (1-abril-2021); "
              "corrija una de las dos");
  expect_diag(&p, 1, DIAG_WARNING, "plan.csv:4", "falta el ítem 2: la numeración salta de 1 a 3");
  done(&t, &p);
}

Test(plan_read, xlsx_cells, .description = "plan-10.5 spreadsheet diagnostics name the cell") {
  /* A table as the XLSX reader gives it: sheet rows keep their row numbers. */
  Table t;
  table_init(&t, "plan.xlsx");
  t.zSheet = xstrdup("Hoja1");
  const char *azPre[] = {"Alcaldía de Prueba"};
  table_add_row(&t, 1, 1, azPre);
  const char *azHead[] = {"ITEM",
                          "DESCRIPCIÓN DE LOS CRITERIOS DIFERENCIALES QUE LE APLICAN",
                          "CICLO DE PROCESO",
                          "ACTIVIDAD",
                          "PRODUCTO",
                          "DESCRIPCIÓN DEL INDICADOR",
                          "DESCRIPCIÓN DE LA META",
                          "FECHA INICIO",
                          "FECHA FINAL",
                          "RESPONSABLE",
                          "META DEL INDICADOR",
                          "2021"};
  table_add_row(&t, 3, 12, azHead);
  const char *azSub[] = {
      "",         "", "", "", "", "", "", "", "", "", "", "META TRIMESTRE 1", "META TRIMESTRE 2",
      "RESULTADO"};
  table_add_row(&t, 4, 14, azSub);
  const char *azRow1[] = {"1",          "Componente A",       "P",    "",
                          "Producto",   "Dos (2) informes",   "Meta", "44228",
                          "2021-01-31", "Secretaría General", "",     "mucho",
                          "3"};
  table_add_row(&t, 5, 13, azRow1);
  /* Row 7 (row 6 is absent from the sheet): data far to the right is not an error in a
  ** spreadsheet. */
  const char *azRow2[] = {"3",     "",
                          "H",     "Publicar",
                          "",      "Un (1) boletín",
                          "",      "44287",
                          "44316", "Oficina de Prensa",
                          "",      "",
                          "",      "",
                          "",      "",
                          "",      "",
                          "",      "nota al margen"};
  table_add_row(&t, 7, 20, azRow2);
  PlanDraft p;
  plan_read_table(&t, "xlsx", NULL, &p);
  expect_counts(&p, 3, 2);
  expect_diag(&p, 0, DIAG_ERROR, "plan.xlsx:Hoja1!D5",
              "falta el texto de la actividad; describa qué se va a hacer");
  expect_diag(&p, 1, DIAG_ERROR, "plan.xlsx:Hoja1!I5",
              "la fecha final (31-enero-2021) es anterior a la fecha de inicio (1-febrero-2021); "
              "corrija una de las dos");
  expect_diag(&p, 2, DIAG_ERROR, "plan.xlsx:Hoja1!L5",
              "meta del periodo 1 ilegible «mucho»; escriba un número");
  expect_diag(&p, 3, DIAG_WARNING, "plan.xlsx:Hoja1!A5",
              "las metas por periodo suman 3 y la meta del indicador es 2");
  expect_diag(&p, 4, DIAG_WARNING, "plan.xlsx:Hoja1!A7",
              "falta el ítem 2: la numeración salta de 1 a 3");
  cr_assert_str_eq(p.aAct[1].zLoc, "plan.xlsx:Hoja1!A7");
  cr_assert_str_eq(p.aAct[0].zReview,
                   "falta el texto de la actividad; describa qué se va a hacer; la fecha final "
                   "(31-enero-2021) es anterior a la fecha de inicio (1-febrero-2021); corrija "
                   "una de las dos; meta del periodo 1 ilegible «mucho»; escriba un número");
  cr_assert_eq(p.aAct[0].nError, 3);
  cr_assert_eq(p.aAct[1].cPhase, 'H');
  done(&t, &p);
}

/* ---- JSON --------------------------------------------------------------------------- */

/* A minimal document in the export format of src/plan/export.c. */
static const char zJsonPlan[] =
    "{\n"
    "  \"formato\": \"participa-plan\",\n"
    "  \"version\": 1,\n"
    "  \"entidad\": \"Alcaldía de Prueba\",\n"
    "  \"año\": 2021,\n"
    "  \"macroproceso\": \"GESTIÓN ADMINISTRATIVA\",\n"
    "  \"proceso\": \"CALIDAD\",\n"
    "  \"subproceso\": \"MODELOS\",\n"
    "  \"estrategia\": \"ESTRATEGIA DE PARTICIPACIÓN\",\n"
    "  \"politica\": \"Política de Participación\",\n"
    "  \"objetivo\": \"Conocer los avances\",\n"
    "  \"esquema_periodos\": \"trimestral\",\n"
    "  \"periodos\": [\n"
    "    {\"codigo\": \"T1\", \"nombre\": \"Trimestre 1\", \"inicio\": \"2021-01-01\", "
    "\"corte\": \"2021-03-31\"},\n"
    "    {\"codigo\": \"T2\", \"nombre\": \"Trimestre 2\", \"inicio\": \"2021-04-01\", "
    "\"corte\": \"2021-06-30\"}\n"
    "  ],\n"
    "  \"actividades\": [\n"
    "    {\"item\": 1, \"componente\": \"Diagnóstico\", \"fase\": \"P\", \"actividad\": "
    "\"Aplicar el autodiagnóstico\", \"producto\": \"Documento\", \"indicador\": \"Dos (2) "
    "documentos\", \"meta\": \"\", \"fecha_inicio\": \"2021-02-01\", \"fecha_final\": "
    "\"2021-03-31\", \"responsable\": \"Secretaría General - Oficina de Prensa\", "
    "\"meta_indicador\": \"\", \"resultado\": \"\", \"dependencias\": [\"Secretaría General\", "
    "\"Oficina de Prensa\"], \"meta_numerica\": 3.0, \"peso\": 1.0, \"metas_periodo\": "
    "{\"T1\": 1.0, \"T2\": 2.0}, \"logro_verificado\": 0.0, \"a_revisar\": null},\n"
    "    {\"item\": 2, \"componente\": \"\", \"fase\": \"H\", \"actividad\": \"Publicar\", "
    "\"producto\": \"\", \"indicador\": \"Una (1) publicación\", \"meta\": \"\", "
    "\"fecha_inicio\": \"2021-10-01\", \"fecha_final\": \"2021-09-30\", \"responsable\": "
    "\"Oficina de Prensa\", \"meta_indicador\": \"\", \"resultado\": \"\", \"dependencias\": "
    "[\"Oficina de Prensa\"], \"meta_numerica\": 1.0, \"peso\": 1.0, \"metas_periodo\": {}, "
    "\"logro_verificado\": 0.0, \"a_revisar\": null}\n"
    "  ]\n"
    "}\n";

Test(plan_read, json_plan, .description = "plan-11.1 a JSON export reads like the matrix") {
  PlanDraft p;
  plan_read_json("plan.json", zJsonPlan, strlen(zJsonPlan), NULL, &p);
  cr_assert_not(p.bUnreadable);
  cr_assert_str_eq(p.zFormat, "json");
  cr_assert(p.bOwnsTable);
  cr_assert_eq(p.nAct, 2);
  cr_assert_str_eq(p.meta.zEntity, "Alcaldía de Prueba");
  cr_assert_str_eq(p.meta.zMacroproceso, "GESTIÓN ADMINISTRATIVA");
  cr_assert_str_eq(p.meta.zProceso, "CALIDAD");
  cr_assert_str_eq(p.meta.zSubproceso, "MODELOS");
  cr_assert_str_eq(p.meta.zStrategy, "ESTRATEGIA DE PARTICIPACIÓN");
  cr_assert_str_eq(p.meta.zPolicy, "Política de Participación");
  cr_assert_str_eq(p.meta.zObjective, "Conocer los avances");
  cr_assert_eq(p.meta.iYear, 2021);
  cr_assert_eq(p.nPeriodCol, 2);
  const DraftActivity *a = &p.aAct[0];
  cr_assert_eq(a->iItem, 1);
  cr_assert_eq(a->cPhase, 'P');
  cr_assert_eq(a->rTarget, 3, "meta_numerica wins over the indicator's (2)");
  cr_assert(a->bTargetGiven);
  cr_assert(a->pPeriods->abSet[0] && a->pPeriods->abSet[1]);
  cr_assert_eq(a->pPeriods->aTarget[0], 1);
  cr_assert_eq(a->pPeriods->aTarget[1], 2);
  cr_assert_eq(a->nOffice, 2);
  cr_assert_str_eq(a->azOffice[1], "Oficina de Prensa");
  cr_assert_str_eq(a->zLoc, "plan.json: actividad 1");
  cr_assert_str_eq(p.aAct[1].azField[PF_COMPONENT], "Diagnóstico");
  cr_assert_eq(p.aAct[1].cPhase, 'H');
  /* The one problem: item 2 ends before it starts. */
  expect_counts(&p, 1, 0);
  expect_diag(&p, 0, DIAG_ERROR, "plan.json: actividad 2",
              "la fecha final (30-septiembre-2021) es anterior a la fecha de inicio "
              "(1-octubre-2021); corrija una de las dos");
  plan_draft_reset(&p);
}

Test(plan_read, json_malformed, .description = "plan-11.2 malformed JSON is unreadable") {
  const char *z = "{\n  \"formato\": \"participa-plan\",\n  \"version\": }\n";
  PlanDraft p;
  plan_read_json("plan.json", z, strlen(z), NULL, &p);
  cr_assert(p.bUnreadable);
  expect_counts(&p, 1, 0);
  expect_diag(&p, 0, DIAG_ERROR, "plan.json",
              "plan.json:3:14: JSON mal formado: unexpected token near '}'");
  cr_assert_eq(p.nAct, 0);
  plan_draft_reset(&p);
}

Test(plan_read, json_not_plan, .description = "plan-11.3 JSON that is not a participa plan") {
  const char *z = "{\"formato\": \"otro\", \"version\": 1, \"actividades\": []}";
  PlanDraft p;
  plan_read_json("datos.json", z, strlen(z), NULL, &p);
  cr_assert(p.bUnreadable);
  expect_counts(&p, 1, 0);
  expect_diag(&p, 0, DIAG_ERROR, "datos.json",
              "«datos.json» no es un plan exportado por participa (falta \"formato\": "
              "\"participa-plan\"); importe la matriz en CSV o XLSX");
  plan_draft_reset(&p);
}

Test(plan_read, json_version, .description = "plan-11.4 JSON of another format version") {
  const char *z = "{\"formato\": \"participa-plan\", \"version\": 2, \"actividades\": []}";
  PlanDraft p;
  plan_read_json("plan.json", z, strlen(z), NULL, &p);
  cr_assert(p.bUnreadable);
  expect_counts(&p, 1, 0);
  expect_diag(&p, 0, DIAG_ERROR, "plan.json",
              "«plan.json»: versión de formato no soportada; se esperaba 1");
  plan_draft_reset(&p);
}

Test(plan_read, json_no_activities, .description = "plan-11.5 JSON without the activity list") {
  const char *z = "{\"formato\": \"participa-plan\", \"version\": 1}";
  PlanDraft p;
  plan_read_json("plan.json", z, strlen(z), NULL, &p);
  cr_assert(p.bUnreadable);
  expect_counts(&p, 1, 0);
  expect_diag(&p, 0, DIAG_ERROR, "plan.json", "«plan.json»: falta la lista \"actividades\"");
  plan_draft_reset(&p);
}

/* ---- value parsers ------------------------------------------------------------------ */

Test(plan_read, parse_phase, .description = "plan-12.1 PHVA phase cells") {
  static const struct {
    const char *z; /* cell */
    char c;        /* phase wanted */
  } aCase[] = {
      {"P", 'P'},
      {"P:", 'P'},
      {"p", 'P'},
      {"P - Planear", 'P'},
      {"P: Planear", 'P'},
      {"Planear", 'P'},
      {"PLANEAR.", 'P'},
      {"H:", 'H'},
      {"Hacer", 'H'},
      {"  h  ", 'H'},
      {"V - Verificar", 'V'},
      {"verificar", 'V'},
      {"A: Actuar", 'A'},
      {"Actuar", 'A'},
      {"a", 'A'},
      {"", 0},
      {"X", 0},
      {"PHVA", 0},
      {"P: Hacer", 0},
      {"Planeación", 0},
      {"Hacerlo", 0},
      {"Pla", 0},
      {"Verificación", 0},
      {"B:", 0},
  };
  for (size_t i = 0; i < sizeof aCase / sizeof aCase[0]; i++) {
    char c = plan_parse_phase(aCase[i].z);
    cr_expect_eq(c, aCase[i].c, "plan_parse_phase(\"%s\") = %d, expected %d", aCase[i].z, c,
                 aCase[i].c);
  }
}

Test(plan_read, parse_number, .description = "plan-12.2 plain numbers") {
  static const struct {
    const char *z; /* text */
    double v;      /* value wanted */
  } aOk[] = {
      {"2", 2},
      {" 3 ", 3},
      {"2,5", 2.5},
      {"2.5", 2.5},
      {"1.500", 1500},
      {"1.500,75", 1500.75},
      {"12.345.678", 12345678},
      {"1.5000", 1.5},
      {"-4", -4},
      {"0", 0},
      {"007", 7},
      {"0,25", 0.25},
  };
  for (size_t i = 0; i < sizeof aOk / sizeof aOk[0]; i++) {
    double v = -999;
    cr_expect(plan_parse_number(aOk[i].z, &v), "plan_parse_number(\"%s\") failed", aOk[i].z);
    cr_expect_eq(v, aOk[i].v, "plan_parse_number(\"%s\") = %g, expected %g", aOk[i].z, v, aOk[i].v);
  }
  static const char *const azBad[] = {"",    "  ", "abc", "1,2,3", "2 (dos)", "--1",  "1-2",
                                      "1e5", ".",  "Dos", "3%",    "1 000",   "2,5,", "+2"};
  for (size_t i = 0; i < sizeof azBad / sizeof azBad[0]; i++) {
    double v = -999;
    cr_expect_not(plan_parse_number(azBad[i], &v), "plan_parse_number(\"%s\") accepted (%g)",
                  azBad[i], v);
    cr_expect_eq(v, -999, "value untouched for \"%s\"", azBad[i]);
  }
}
