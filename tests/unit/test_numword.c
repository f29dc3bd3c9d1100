/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Unit tests for src/base/numword.c: Spanish number words and the numeric
** target of indicator texts, including the 13 indicators of the seed plan.
*/
#include <criterion/criterion.h>
#include <stdlib.h>

#include "base/numword.h"

/* Assert that numword_parse reads zIn as nWant. */
static void check_parse(const char *zIn, long nWant) {
  long n = -12345;
  cr_assert(numword_parse(zIn, &n), "numword_parse(\"%s\") failed", zIn);
  cr_assert_eq(n, nWant, "numword_parse(\"%s\") = %ld, expected %ld", zIn, n, nWant);
}

/* Assert that numword_parse refuses zIn and leaves the output untouched. */
static void check_no_parse(const char *zIn) {
  long n = -12345;
  cr_assert_not(numword_parse(zIn, &n), "numword_parse(\"%s\") accepted (%ld)", zIn, n);
  cr_assert_eq(n, -12345);
}

/* Assert that numword_target reads zIn as want, with the given mismatch flag. */
static void check_target(const char *zIn, double want, bool bMismatchWant) {
  double value = -1;
  bool bMismatch = !bMismatchWant;
  cr_assert(numword_target(zIn, &value, &bMismatch), "numword_target(\"%s\") failed", zIn);
  cr_assert_eq(value, want, "numword_target(\"%s\") = %g, expected %g", zIn, value, want);
  cr_assert_eq(bMismatch, bMismatchWant, "mismatch flag for \"%s\"", zIn);
}

/* Assert that numword_target finds no number in zIn and clears the flag. */
static void check_no_target(const char *zIn) {
  double value = -1;
  bool bMismatch = true;
  cr_assert_not(numword_target(zIn, &value, &bMismatch), "numword_target(\"%s\") = %g", zIn, value);
  cr_assert_eq(value, -1, "value untouched");
  cr_assert_not(bMismatch, "flag cleared");
}

Test(numword, zero_to_thirty) {
  const char *az[] = {"cero",        "uno",        "dos",         "tres",       "cuatro",
                      "cinco",       "seis",       "siete",       "ocho",       "nueve",
                      "diez",        "once",       "doce",        "trece",      "catorce",
                      "quince",      "dieciséis",  "diecisiete",  "dieciocho",  "diecinueve",
                      "veinte",      "veintiuno",  "veintidós",   "veintitrés", "veinticuatro",
                      "veinticinco", "veintiséis", "veintisiete", "veintiocho", "veintinueve",
                      "treinta"};
  for (long n = 0; n <= 30; n++) {
    check_parse(az[n], n);
  }
}

Test(numword, one_forms) {
  check_parse("un", 1);
  check_parse("una", 1);
  check_parse("veintiún", 21);
  check_parse("veintiun", 21);
  check_parse("veintiuna", 21);
  check_parse("treinta y un", 31);
  check_parse("treinta y una", 31);
  check_parse("ciento un", 101);
}

Test(numword, without_accents) {
  check_parse("dieciseis", 16);
  check_parse("veintidos", 22);
  check_parse("veintitres", 23);
  check_parse("veintiseis", 26);
}

Test(numword, case_and_spaces) {
  check_parse("TREINTA Y DOS", 32);
  check_parse("  Treinta   y\tdos ", 32);
  check_parse("VEINTIÚN", 21);
}

Test(numword, tens) {
  check_parse("treinta", 30);
  check_parse("cuarenta", 40);
  check_parse("cincuenta", 50);
  check_parse("sesenta", 60);
  check_parse("setenta", 70);
  check_parse("ochenta", 80);
  check_parse("noventa", 90);
  check_parse("treinta y dos", 32);
  check_parse("cuarenta y cinco", 45);
  check_parse("noventa y nueve", 99);
}

Test(numword, hundreds) {
  check_parse("cien", 100);
  check_parse("ciento uno", 101);
  check_parse("ciento cinco", 105);
  check_parse("ciento diez", 110);
  check_parse("ciento veintidós", 122);
  check_parse("ciento noventa y nueve", 199);
  check_parse("doscientos", 200);
  check_parse("doscientas", 200);
  check_parse("trescientos", 300);
  check_parse("cuatrocientas", 400);
  check_parse("quinientos", 500);
  check_parse("quinientas cincuenta", 550);
  check_parse("seiscientos", 600);
  check_parse("setecientos", 700);
  check_parse("setecientos treinta y tres", 733);
  check_parse("ochocientos", 800);
  check_parse("novecientos", 900);
  check_parse("novecientos noventa y nueve", 999);
}

Test(numword, thousands) {
  check_parse("mil", 1000);
  check_parse("un mil", 1000);
  check_parse("mil uno", 1001);
  check_parse("mil doscientos cuarenta", 1240);
  check_parse("dos mil", 2000);
  check_parse("dos mil veintiuno", 2021);
  check_parse("veintiún mil", 21000);
  check_parse("cien mil", 100000);
  check_parse("ciento un mil", 101000);
  check_parse("quinientos mil quinientos", 500500);
  check_parse("novecientos noventa y nueve mil novecientos noventa y nueve", 999999);
}

Test(numword, parse_rejects) {
  check_no_parse(NULL);
  check_no_parse("");
  check_no_parse("   ");
  check_no_parse("y");
  check_no_parse("ciento");
  check_no_parse("ciento mil");
  check_no_parse("cien uno");
  check_no_parse("mil mil");
  check_no_parse("dos tres");
  check_no_parse("treinta y");
  check_no_parse("treinta y diez");
  check_no_parse("veinte y dos");
  check_no_parse("uno cero");
  check_no_parse("cero cero");
  check_no_parse("dos cientos");
  check_no_parse("unidad");
  check_no_parse("oncenas");
  check_no_parse("tres informes");
  check_no_parse("12");
  check_no_parse("un millón");
  check_no_parse("cuatro-cientos");
  check_no_parse("uno uno uno uno uno uno uno uno uno uno uno uno uno uno");
}

Test(numword, target_brief_examples) {
  check_target("Un (1) Documento de ...", 1, false);
  check_target("Dos (2) espacios", 2, false);
  check_target("(1)Una herramienta", 1, false);
  check_target("Una (1) publicación semestral", 1, false);
  check_target("12 talleres", 12, false);
  check_target("Tres informes", 3, false);
  check_target("Veinte visitas", 20, false);
  check_target("- 3 mesas", 3, false);
  check_target("Veintiún talleres", 21, false);
  check_target("Treinta y dos mesas", 32, false);
}

Test(numword, target_seed_plan) {
  /* Column 6 (DESCRIPCIÓN DEL INDICADOR) of the 13 items of
  ** data/estrategia-participacion-cartagena-2021.txt, as written. */
  const struct {
    const char *zText;
    double value; /* -1: no number */
  } a[] = {
      {"Un (1) Documento de autodiagnostico sobre participación ciudadana y rendición de cuentas "
       "realizado.",
       1},
      {"Una (1) estrategia de participación ciudadana diseñada y articulada con el "
       "direccionamiento estratégico y la planeación institucional",
       1},
      {"Una (1) estrategia rendición de cuentas formulada que incluya acciones de que garanticen "
       "el dialogo con grupos de interés, grupos de valor y ciudadanos.",
       1},
      {"(1)Una herramienta de caracterización de grupos de valor diseñada y enviada a las "
       "distintas dependencias de la Alcaldía de Cartagena",
       1},
      {"Una (1) Matriz de caracterización de las instancias de participación implementadas por "
       "la dependencia.",
       1},
      {"Una (1) publicación de los espacios e instancias de participación en los diferentes "
       "canales de información de la entidad para conocimiento de la ciudadanía",
       1},
      {"Dos (2) espacios de formación con veedurías ciudadanas", 2},
      {"Una (1) publicación semestral sobre los espacios de participación dispuestos por la "
       "entidad para el ejercicio de veedurías y control social",
       1},
      {"Estrategia de comunicación adaptada en los distintos canales de la administración para "
       "comunicarse con las personas sordo señantes en eventos virtuales y/o sordociegos en los "
       "casos que establece la ley 982 de 2005 (art 19 y 20)",
       -1},
      {"Un (1) boton de sugerencias en la página de la alcaldía que permita recibir los aportes "
       "de los ciudadanos en la solución de los problemas que asume la administración",
       1},
      {"Un (1) Plan medios para orientar los procesos de Divulgación de información en el "
       "proceso de rendición de cuentas de la entidad.",
       1},
      {"Un (1) evaluación de resultados de la estrategia de participación ciudadana y rendición "
       "de cuentas.",
       1},
      {"Un (1) Plan de mejoramiento formulado.", 1},
  };
  cr_assert_eq(sizeof a / sizeof a[0], 13);
  for (size_t k = 0; k < sizeof a / sizeof a[0]; k++) {
    if (a[k].value < 0) {
      check_no_target(a[k].zText);
    } else {
      check_target(a[k].zText, a[k].value, false);
    }
  }
}

Test(numword, target_mismatch) {
  check_target("Dos (3) talleres", 3, true);
  check_target("3 (2) mesas", 2, true);
  check_target("(1)Dos herramientas", 1, true);
  check_target("( 4 ) Cuatro mesas", 4, false);
  check_target("Talleres: dos (3)", 3, false);
}

Test(numword, target_mismatch_null_flag) {
  double value = 0;
  cr_assert(numword_target("Dos (3) talleres", &value, NULL));
  cr_assert_eq(value, 3);
}

Test(numword, target_first_paren_anywhere) {
  check_target("Realizar talleres (12) en barrios", 12, false);
  check_target("Mesas (ver anexo) y talleres (5)", 5, false);
  check_target("Informe (2) y acta (3)", 2, false);
  check_target("Un ( 1 ) documento", 1, false);
}

Test(numword, target_digits_separators) {
  check_target("1.500 personas", 1500, false);
  check_target("1 500 personas", 1500, false);
  check_target("12 300 personas", 12300, false);
  check_target("2,5 jornadas", 2.5, false);
  check_target("1.500,75 horas", 1500.75, false);
  check_target("(1.500) personas", 1500, false);
  check_target("(2,5) jornadas", 2.5, false);
  check_target("1.5 jornadas", 1, false);
  check_target("1500.300 x", 1500, false);
  check_target("2, 3 y 4", 2, false);
  check_no_target("12talleres"); /* digits running into a letter, like "1er" */
}

Test(numword, target_bullets) {
  check_target("- 3 mesas", 3, false);
  check_target("-3 mesas", 3, false);
  check_target("• 4 foros", 4, false);
  check_target("* 5 foros", 5, false);
  check_target("– 6 foros", 6, false);
  check_target("  - Tres informes", 3, false);
  check_target("\xC2\xA0"
               "7 foros",
               7, false);
}

Test(numword, target_whole_words_only) {
  check_no_target("Unidad de atención");
  check_no_target("Oncenas");
  check_target("Once mesas", 11, false);
  check_no_target("Unos talleres");
  check_no_target("Docena de talleres");
  check_target("UN taller", 1, false);
}

Test(numword, target_longest_word_run) {
  check_target("Treinta y dos mesas", 32, false);
  check_target("Treinta y mesas", 30, false);
  check_target("Ciento cinco actas", 105, false);
  check_target("Mil doscientos cuarenta volantes", 1240, false);
  check_target("Dos mil veintiún volantes", 2021, false);
  check_target("Dos, tres", 2, false);
  check_no_target("Ciento actas");
}

Test(numword, target_none) {
  check_no_target(NULL);
  check_no_target("");
  check_no_target("Estrategia de comunicación");
  check_no_target("Ley 982 de 2005 (art 19 y 20)");
  check_no_target("1er informe");
  check_no_target("(uno) informe");
  check_no_target("()");
  check_no_target("(1");
  check_no_target("- - 3 mesas");
  check_no_target("(1234567890123456) personas");
}

Test(numword, target_long_digits) {
  check_target("(123456789012345) personas", 123456789012345.0, false);
}
