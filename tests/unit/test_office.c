/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Unit tests for src/office/office.c: splitting a RESPONSABLE cell into the
** offices it names, the key two spellings of one office share, and the
** similarity that suggests near-duplicates, with the spellings of the
** seed plan. Storage of the catalogue is tested through plan_store in
** test_report.c.
*/
#include <criterion/criterion.h>
#include <stdarg.h>
#include <string.h>

#include "base/buf.h"
#include "office/office.h"
#include "plan/plan.h"

/* Assert office_split(zCell) gives exactly the n names that follow. */
static void expect_split(const char *zCell, int n, ...) {
  char **az = (char **)1;
  int nGot = office_split(zCell, &az);
  Buf got = BUF_INIT;
  for (int i = 0; i < nGot; i++) {
    buf_appendf(&got, "[%s]", az[i]);
  }
  cr_assert_eq(nGot, n, "«%s» split into %d: %s", zCell ? zCell : "(NULL)", nGot, buf_str(&got));
  va_list ap;
  va_start(ap, n);
  for (int i = 0; i < n; i++) {
    const char *zWant = va_arg(ap, const char *);
    cr_assert_str_eq(az[i], zWant, "name %d of «%s»: %s", i, zCell, buf_str(&got));
  }
  va_end(ap);
  if (nGot == 0) {
    cr_assert_null(az, "no names: the array is NULL");
  }
  office_names_free(nGot, az);
  buf_reset(&got);
}

/* The similarity of two office names (through their keys). */
static OfficeSimilarity similarity(const char *zA, const char *zB) {
  char *zKeyA = office_key_dup(zA);
  char *zKeyB = office_key_dup(zB);
  OfficeSimilarity e = office_similarity(zKeyA, zKeyB);
  OfficeSimilarity eBack = office_similarity(zKeyB, zKeyA);
  cr_assert_eq(e, eBack, "similarity is symmetric for «%s» / «%s»", zA, zB);
  free(zKeyA);
  free(zKeyB);
  return e;
}

/* ---- splitting ------------------------------------------------------------------ */

Test(office, split_one, .description = "office-1.1 one office, trimmed") {
  expect_split("  Secretaría General  ", 1, "Secretaría General");
}

Test(office, split_dash, .description = "office-1.2 \" - \" separates") {
  expect_split("Secretaria general - Oficina de informática - Oficina asesora de prensa y "
               "comunicaciones - Secretaria de Planeación - Secretaria de Participación y "
               "Desarrollo Social.",
               5, "Secretaria general", "Oficina de informática",
               "Oficina asesora de prensa y comunicaciones", "Secretaria de Planeación",
               "Secretaria de Participación y Desarrollo Social");
}

Test(office, split_dash_inside_word, .description = "office-1.3 a hyphen inside a word does not") {
  expect_split("Oficina Jurídica-Contractual", 1, "Oficina Jurídica-Contractual");
}

Test(office, split_slash, .description = "office-1.4 \"/\" separates") {
  expect_split("Secretaría de Participación/Oficina de comunicaciones/oficina asesora de "
               "informática/Escuela de Gobierno",
               4, "Secretaría de Participación", "Oficina de comunicaciones",
               "oficina asesora de informática", "Escuela de Gobierno");
}

Test(office, split_semicolon_comma, .description = "office-1.5 \";\" and \",\" separate") {
  expect_split("Secretaría General; Oficina de Prensa, Escuela de Gobierno", 3,
               "Secretaría General", "Oficina de Prensa", "Escuela de Gobierno");
}

Test(office, split_newline, .description = "office-1.6 line breaks inside the cell separate") {
  expect_split("Secretaría General\r\nOficina de Prensa\nEscuela de Gobierno", 3,
               "Secretaría General", "Oficina de Prensa", "Escuela de Gobierno");
}

Test(office, split_y_two_offices, .description = "office-1.7 \" y \" between two office names") {
  expect_split("Secretaría General y Oficina de Prensa", 2, "Secretaría General",
               "Oficina de Prensa");
  expect_split("secretaría general Y oficina de prensa y escuela de gobierno", 3,
               "secretaría general", "oficina de prensa", "escuela de gobierno");
}

Test(office, split_y_inside_name, .description = "office-1.8 \" y \" inside one office name") {
  expect_split("Secretaría de Participación y Desarrollo Social", 1,
               "Secretaría de Participación y Desarrollo Social");
  expect_split("Oficina asesora de prensa y comunicaciones", 1,
               "Oficina asesora de prensa y comunicaciones");
  expect_split("Secretaría de Participación y Desarrollo Social y Oficina de Prensa", 2,
               "Secretaría de Participación y Desarrollo Social", "Oficina de Prensa");
}

Test(office, split_y_o, .description = "office-1.9 \"y/o\" does not separate") {
  expect_split("Secretaría General y/o Oficina de Prensa", 1,
               "Secretaría General y/o Oficina de Prensa");
  expect_split("Secretaría General Y/O Oficina de Prensa", 1,
               "Secretaría General Y/O Oficina de Prensa");
}

Test(office, split_en_dash, .description = "office-1.10 \" – \" (en dash) separates") {
  expect_split("Secretaría General – Oficina de Prensa", 2, "Secretaría General",
               "Oficina de Prensa");
}

Test(office, split_trailing_periods, .description = "office-1.11 trailing periods are dropped") {
  expect_split("Oficina de Prensa.", 1, "Oficina de Prensa");
  expect_split("Secretaría General... / Escuela de Gobierno .", 2, "Secretaría General",
               "Escuela de Gobierno");
  expect_split("- Secretaría General -", 1, "Secretaría General");
}

Test(office, split_duplicates, .description = "office-1.12 a repeated office is kept once") {
  expect_split("Secretaría General / secretaria general. - SECRETARÍA   GENERAL / Oficina de "
               "Prensa / Secretaría General",
               2, "Secretaría General", "Oficina de Prensa");
}

Test(office, split_empty, .description = "office-1.13 nothing to split") {
  expect_split("", 0);
  expect_split(NULL, 0);
  expect_split("   ", 0);
  expect_split(" - / ; , .", 0);
}

/* ---- keys ----------------------------------------------------------------------- */

/* Assert office_key_dup(zName) is zWant. */
static void expect_key(const char *zName, const char *zWant) {
  char *z = office_key_dup(zName);
  cr_assert_str_eq(z, zWant, "key of «%s»", zName);
  free(z);
}

Test(office, key_fold, .description = "office-2.1 keys ignore case, accents and spacing") {
  expect_key("Secretaría de Participación y Desarrollo Social",
             "secretaria de participacion y desarrollo social");
  expect_key("  SECRETARIA   DE  PARTICIPACIÓN  Y DESARROLLO SOCIAL. ",
             "secretaria de participacion y desarrollo social");
  expect_key("Oficina de informática", "oficina de informatica");
  expect_key("Oficina de informatica", "oficina de informatica");
  expect_key("Escuela de Gobierno;", "escuela de gobierno");
}

Test(office, key_article, .description = "office-2.2 keys drop a leading article") {
  expect_key("La Secretaría General", "secretaria general");
  expect_key("el Despacho del Alcalde", "despacho del alcalde");
  expect_key("LAS Oficinas de Atención", "oficinas de atencion");
  expect_key("Los Comités Locales", "comites locales");
  expect_key("Laboratorio de Innovación", "laboratorio de innovacion");
  expect_key("Elecciones", "elecciones");
  expect_key("La", "la");
}

/* ---- similarity ----------------------------------------------------------------- */

Test(office, similarity_same, .description = "office-3.1 the seed's spellings of one office") {
  cr_assert_eq(similarity("Secretaria de Participación y Desarrollo Social.",
                          "Secretaría de Participación y Desarrollo Social"),
               OFFICE_SAME);
  cr_assert_eq(similarity("Secretaria general", "Secretaría General"), OFFICE_SAME);
  cr_assert_eq(similarity("Oficina de informática", "Oficina de informatica"), OFFICE_SAME);
  cr_assert_eq(similarity("Escuela de gobierno", "Escuela de Gobierno"), OFFICE_SAME);
}

Test(office, similarity_typo, .description = "office-3.2 a few letters apart") {
  cr_assert_eq(similarity("Oficina de comunicaciones", "Oficina de comunicacones"), OFFICE_TYPO);
  cr_assert_eq(similarity("Secretaría de Participación", "Secretaria de Particiapcion"),
               OFFICE_TYPO);
  cr_assert_eq(similarity("Escuela de Gobierno", "Escuela del Gobierno"), OFFICE_TYPO);
}

Test(office, similarity_contains, .description = "office-3.3 one name's words within the other") {
  cr_assert_eq(similarity("Oficina asesora de informática", "Oficina de informática"),
               OFFICE_CONTAINS, "\"asesora\" says little");
  cr_assert_eq(similarity("Oficina asesora de prensa y comunicaciones",
                          "Oficina de prensa y comunicaciones"),
               OFFICE_CONTAINS);
  cr_assert_eq(
      similarity("Oficina de comunicaciones", "Oficina asesora de prensa y comunicaciones"),
      OFFICE_CONTAINS);
  cr_assert_eq(
      similarity("Secretaría de Participación", "Secretaria de Participación y Desarrollo Social"),
      OFFICE_CONTAINS);
}

Test(office, similarity_different, .description = "office-3.4 different offices of the seed") {
  cr_assert_eq(similarity("Secretaria de Planeación", "Secretaria de Participación"),
               OFFICE_DIFFERENT);
  cr_assert_eq(similarity("Escuela de Gobierno", "Secretaría General"), OFFICE_DIFFERENT);
  cr_assert_eq(similarity("Oficina de informática", "Oficina de comunicaciones"), OFFICE_DIFFERENT);
  cr_assert_eq(similarity("Secretaría General", "Secretaria de Planeación"), OFFICE_DIFFERENT);
  cr_assert_eq(similarity("Despacho", "Despacho del Alcalde"), OFFICE_DIFFERENT,
               "one significant word is not enough to suggest a merge");
}
