/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Unit tests for src/base/text.c: UTF-8 validation, BOM and wide-encoding
** detection, Windows-1252 decoding, folding, trimming, width and ellipsis.
*/
#include <criterion/criterion.h>
#include <string.h>

#include "base/text.h"

/* Assert that folding zIn gives exactly zWant. */
static void check_fold(const char *zIn, const char *zWant) {
  char *z = text_fold_dup(zIn);
  cr_assert_str_eq(z, zWant, "fold(\"%s\")", zIn);
  free(z);
}

/* Assert that decoding the n Windows-1252 bytes at zIn gives exactly zWant. */
static void check_cp1252(const char *zIn, size_t n, const char *zWant) {
  size_t nOut = 999;
  size_t iBad = 999;
  char *z = text_cp1252_to_utf8_dup(zIn, n, &nOut, &iBad);
  cr_assert_not_null(z);
  cr_assert_str_eq(z, zWant);
  cr_assert_eq(nOut, strlen(zWant));
  cr_assert_eq(iBad, 999, "iBad must not be written on success");
  free(z);
}

Test(text, utf8_valid) {
  cr_assert(text_is_utf8("", 0));
  cr_assert(text_is_utf8("abc", 3));
  cr_assert(text_is_utf8("Participación", strlen("Participación")));
  cr_assert(text_is_utf8("\xE2\x82\xAC", 3));     /* € */
  cr_assert(text_is_utf8("\xF0\x9F\x98\x80", 4)); /* emoji */
  cr_assert(text_is_utf8("\xF4\x8F\xBF\xBF", 4)); /* U+10FFFF */
  cr_assert(text_is_utf8("\xED\x9F\xBF", 3));     /* U+D7FF */
  cr_assert(text_is_utf8("a\0b", 3), "NUL is a valid code point");
}

Test(text, utf8_invalid) {
  cr_assert_not(text_is_utf8("\x80", 1), "stray continuation");
  cr_assert_not(text_is_utf8("Participaci\xF3n", 13), "Latin-1 byte");
  cr_assert_not(text_is_utf8("\xC3", 1), "truncated 2-byte");
  cr_assert_not(text_is_utf8("\xE2\x82", 2), "truncated 3-byte");
  cr_assert_not(text_is_utf8("\xC0\xAF", 2), "overlong /");
  cr_assert_not(text_is_utf8("\xC1\xBF", 2), "overlong 2-byte");
  cr_assert_not(text_is_utf8("\xE0\x80\xAF", 3), "overlong 3-byte");
  cr_assert_not(text_is_utf8("\xF0\x80\x80\xAF", 4), "overlong 4-byte");
  cr_assert_not(text_is_utf8("\xED\xA0\x80", 3), "surrogate D800");
  cr_assert_not(text_is_utf8("\xED\xBF\xBF", 3), "surrogate DFFF");
  cr_assert_not(text_is_utf8("\xF4\x90\x80\x80", 4), "above U+10FFFF");
  cr_assert_not(text_is_utf8("\xF5\x80\x80\x80", 4), "F5 lead");
  cr_assert_not(text_is_utf8("\xFF", 1), "FF byte");
  cr_assert_not(text_is_utf8("\xC3\xA9\xC3", 3), "valid then truncated");
}

Test(text, utf8_respects_length) {
  /* Only the first n bytes are examined. */
  cr_assert(text_is_utf8("ab\xFF", 2));
}

Test(text, bom_len) {
  cr_assert_eq(text_bom_len("\xEF\xBB\xBFITEM", 7), 3);
  cr_assert_eq(text_bom_len("ITEM", 4), 0);
  cr_assert_eq(text_bom_len("\xEF\xBB", 2), 0);
  cr_assert_eq(text_bom_len("", 0), 0);
}

Test(text, wide_or_binary) {
  cr_assert(text_is_wide_or_binary("\xFF\xFEI\0", 4), "UTF-16 LE BOM");
  cr_assert(text_is_wide_or_binary("\xFE\xFF\0I", 4), "UTF-16 BE BOM");
  cr_assert(text_is_wide_or_binary("\xFF\xFE\0\0", 4), "UTF-32 LE BOM");
  cr_assert(text_is_wide_or_binary("\0\0\xFE\xFF", 4), "UTF-32 BE BOM");
  cr_assert(text_is_wide_or_binary("I\0T\0", 4), "NUL bytes");
  cr_assert_not(text_is_wide_or_binary("\xEF\xBB\xBFITEM;A", 9), "UTF-8 BOM is fine");
  cr_assert_not(text_is_wide_or_binary("ITEM;A\r\n", 8));
  cr_assert_not(text_is_wide_or_binary("", 0));
}

Test(text, wide_nul_only_in_first_kilobyte) {
  char a[1100];
  memset(a, 'x', sizeof a);
  a[1050] = 0;
  cr_assert_not(text_is_wide_or_binary(a, sizeof a));
  a[1023] = 0;
  cr_assert(text_is_wide_or_binary(a, sizeof a));
}

Test(text, cp1252_ascii_and_latin1) {
  check_cp1252("abc", 3, "abc");
  check_cp1252("", 0, "");
  check_cp1252("Participaci\xF3n", 13, "Participación");
  check_cp1252("\xD1\xF1\xE1\xE9\xED\xF3\xFA\xFC", 8, "Ññáéíóúü");
  check_cp1252("\xA0", 1, "\xC2\xA0");
  check_cp1252("\xFF", 1, "ÿ");
  check_cp1252("\xBF", 1, "¿");
}

Test(text, cp1252_high_table_complete) {
  /* Every defined byte 0x80..0x9F, in order. */
  const char aIn[] = "\x80\x82\x83\x84\x85\x86\x87\x88\x89\x8A\x8B\x8C\x8E"
                     "\x91\x92\x93\x94\x95\x96\x97\x98\x99\x9A\x9B\x9C\x9E\x9F";
  check_cp1252(aIn, sizeof aIn - 1, "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");
}

Test(text, cp1252_examples) {
  check_cp1252("\x80", 1, "\xE2\x82\xAC");
  check_cp1252("\x93"
               "cita\x94",
               6,
               "\xE2\x80\x9C"
               "cita\xE2\x80\x9D");
  check_cp1252("2020\x96"
               "2021",
               9,
               "2020\xE2\x80\x93"
               "2021");
}

Test(text, cp1252_undefined_bytes) {
  const unsigned char aBad[] = {0x81, 0x8D, 0x8F, 0x90, 0x9D};
  for (size_t k = 0; k < sizeof aBad; k++) {
    char aIn[4] = {'a', 'b', (char)aBad[k], 'c'};
    size_t iBad = 999;
    size_t nOut = 999;
    char *z = text_cp1252_to_utf8_dup(aIn, 4, &nOut, &iBad);
    cr_assert_null(z, "byte 0x%02X", aBad[k]);
    cr_assert_eq(iBad, 2);
    cr_assert_eq(nOut, 999, "nOut untouched on failure");
  }
}

Test(text, cp1252_null_out_pointers) {
  char *z = text_cp1252_to_utf8_dup("\xE9", 1, NULL, NULL);
  cr_assert_str_eq(z, "é");
  free(z);
  cr_assert_null(text_cp1252_to_utf8_dup("\x81", 1, NULL, NULL));
}

Test(text, fold_header_example) {
  check_fold("  Secretaría   de  PARTICIPACIÓN ", "secretaria de participacion");
}

Test(text, fold_accents_and_case) {
  check_fold("Informática", "informatica");
  check_fold("INFORMATICA", "informatica");
  check_fold("Ñandú", "nandu");
  check_fold("PINGÜINO", "pinguino");
  check_fold("ÁÉÍÓÚáéíóú", "aeiouaeiou");
  check_fold("Straße", "strasse");
}

Test(text, fold_decomposed_input) {
  /* "e" + COMBINING ACUTE ACCENT folds like the precomposed "é". */
  check_fold("Secretari\x61\xCC\x81", "secretaria");
  check_fold("Cafe\xCC\x81 Cafe\xCC\x81", "cafe cafe");
}

Test(text, fold_white_space) {
  check_fold("a\tb", "a b");
  check_fold("a\r\nb", "a b");
  check_fold("a\n\n\nb", "a b");
  check_fold("a\xC2\xA0"
             "b",
             "a b");                            /* NBSP */
  check_fold("\xC2\xA0\xC2\xA0x\xC2\xA0", "x"); /* NBSP at both ends */
  check_fold("a\xE2\x80\xAF"
             "b",
             "a b"); /* narrow NBSP */
  check_fold("a\xE2\x80\x83"
             "b",
             "a b"); /* em space */
  check_fold("a\xE2\x80\xA8"
             "b",
             "a b"); /* line separator */
  check_fold("a \t\xC2\xA0\n b", "a b");
  check_fold("   ", "");
  check_fold("", "");
}

Test(text, fold_compat_and_ignorables) {
  check_fold("ﬁnanzas", "finanzas"); /* ligature */
  check_fold("m²", "m2");
  check_fold("par\xC2\xAD"
             "ticipación",
             "participacion"); /* soft hyphen */
  check_fold("a\xE2\x80\x8B"
             "b",
             "ab"); /* zero-width space */
}

Test(text, fold_keeps_punctuation_and_digits) {
  check_fold("Oficina Asesora - Informática/TIC (2021)",
             "oficina asesora - informatica/tic (2021)");
}

Test(text, fold_invalid_bytes_kept) {
  check_fold("Participaci\xF3n", "participaci\xF3n");
  check_fold("\xFF\xC3\x89XITO\xFE", "\xFF"
                                     "exito\xFE");
  check_fold("A \x80 B", "a \x80 b");
  check_fold("\xC3", "\xC3");
}

Test(text, fold_null) {
  check_fold(NULL, "");
}

Test(text, fold_idempotent) {
  const char *aIn[] = {"Secretaría de Participación", "ÑANDÚ  x", "a\377B", "ﬁ Ǆ"};
  for (size_t k = 0; k < sizeof aIn / sizeof aIn[0]; k++) {
    char *z1 = text_fold_dup(aIn[k]);
    char *z2 = text_fold_dup(z1);
    cr_assert_str_eq(z1, z2);
    free(z1);
    free(z2);
  }
}

Test(text, trim) {
  char *z = text_trim_dup("  \t hola mundo \r\n");
  cr_assert_str_eq(z, "hola mundo");
  free(z);
  z = text_trim_dup("\xC2\xA0"
                    "Cartagena\xC2\xA0 ");
  cr_assert_str_eq(z, "Cartagena");
  free(z);
  z = text_trim_dup("a  b");
  cr_assert_str_eq(z, "a  b");
  free(z);
  z = text_trim_dup(" \xC2\xA0 ");
  cr_assert_str_eq(z, "");
  free(z);
  z = text_trim_dup("");
  cr_assert_str_eq(z, "");
  free(z);
  cr_assert_null(text_trim_dup(NULL));
}

Test(text, trim_keeps_lone_c2) {
  /* A 0xC2 not followed by 0xA0 is not NBSP. */
  char *z = text_trim_dup("x\xC2");
  cr_assert_str_eq(z, "x\xC2");
  free(z);
}

Test(text, width) {
  cr_assert_eq(text_width(""), 0);
  cr_assert_eq(text_width("abc"), 3);
  cr_assert_eq(text_width("Participación"), 13);
  cr_assert_eq(text_width("€😀"), 2);
  cr_assert_eq(text_width("a\xFF"
                          "b"),
               3);
  cr_assert_eq(text_width("\xE2\x82"), 2, "truncated sequence counts byte by byte");
}

Test(text, ellipsize) {
  char *z = text_ellipsize_dup("Participación", 20);
  cr_assert_str_eq(z, "Participación");
  free(z);
  z = text_ellipsize_dup("Participación", 13);
  cr_assert_str_eq(z, "Participación");
  free(z);
  z = text_ellipsize_dup("Participación", 12);
  cr_assert_str_eq(z, "Participaci…");
  free(z);
  z = text_ellipsize_dup("Participación", 11);
  cr_assert_str_eq(z, "Participac…");
  free(z);
  z = text_ellipsize_dup("ñññññ", 3);
  cr_assert_str_eq(z, "ññ…");
  free(z);
  z = text_ellipsize_dup("abc", 1);
  cr_assert_str_eq(z, "…");
  free(z);
  z = text_ellipsize_dup("abc", 0);
  cr_assert_str_eq(z, "");
  free(z);
}

Test(text, ellipsize_drops_space_before_ellipsis) {
  char *z = text_ellipsize_dup("Plan de medios", 9);
  cr_assert_str_eq(z, "Plan de…");
  free(z);
}

Test(text, ellipsize_result_width) {
  const char *zIn = "Estrategia de participación ciudadana en el desempeño institucional";
  for (size_t nMax = 0; nMax < 80; nMax++) {
    char *z = text_ellipsize_dup(zIn, nMax);
    cr_assert_leq(text_width(z), nMax);
    cr_assert(text_is_utf8(z, strlen(z)));
    free(z);
  }
}

/* The one e-mail rule of the public forms (text.h): the cases it documents. */
Test(text, email_accepts_real_addresses) {
  const char *az[] = {"atencion.ciudadano@cartagena.gov.co", "j.perez+pqrsd@gmail.com",
                      "o'neil_2021@hotmail.es", "contacto@alcaldía.gov.co", "ANA@UNAL.EDU.CO",
                      "a@b.co", "info@secretaria-participacion.cartagena.gov.co"};
  for (size_t i = 0; i < sizeof az / sizeof az[0]; i++) {
    cr_expect(text_is_email(az[i]), "%s", az[i]);
  }
}

Test(text, email_refuses_malformed_addresses) {
  const char *az[] = {"",          "ana",           "ana@",           "@correo.co",
                      "ana@correo", "ana@@correo.co", "ana@b@correo.co", "ana @correo.co",
                      "ana\t@correo.co", "ana\x7f@correo.co", "\"ana\"@correo.co",
                      "ana,b@correo.co", "<ana@correo.co>", "ana@.correo.co",
                      "ana@correo.co.", "ana@correo..co", "ana@mi_dominio.co",
                      "ana@correo.co/x", "ana@correo .co"};
  for (size_t i = 0; i < sizeof az / sizeof az[0]; i++) {
    cr_expect_not(text_is_email(az[i]), "%s", az[i]);
  }
}

Test(text, email_length_limits) {
  char z[300];
  memset(z, 'a', 64);
  strcpy(z + 64, "@correo.co");
  cr_expect(text_is_email(z), "a local part of 64 bytes");
  memset(z, 'a', 65);
  strcpy(z + 65, "@correo.co");
  cr_expect_not(text_is_email(z), "a local part of 65 bytes");
  /* 254 bytes in all: "a@" + 248 + ".co" + 1 */
  memcpy(z, "a@", 2);
  memset(z + 2, 'b', 249);
  strcpy(z + 251, ".co");
  cr_expect_eq(strlen(z), 254);
  cr_expect(text_is_email(z), "254 bytes");
  memset(z + 2, 'b', 250);
  strcpy(z + 252, ".co");
  cr_expect_not(text_is_email(z), "255 bytes");
}

Test(text, parse_id_strict) {
  int64_t n = -1;
  cr_expect(text_parse_id("7", TEXT_ID_MAX, &n));
  cr_expect_eq(n, 7);
  cr_expect(text_parse_id("007", TEXT_ID_MAX, &n), "leading zeros are read, as before");
  cr_expect_eq(n, 7);
  cr_expect(text_parse_id("999999999999999", TEXT_ID_MAX, &n));
  cr_expect_eq(n, INT64_C(999999999999999));
  n = -1;
  const char *azBad[] = {NULL, "", "0", "000", "-1", "+1", " 1", "1 ", "1a", "0x10", "1.5",
                         "1000000000000000", "99999999999999999999999"};
  for (size_t i = 0; i < sizeof azBad / sizeof azBad[0]; i++) {
    cr_expect_not(text_parse_id(azBad[i], TEXT_ID_MAX, &n), "%s", azBad[i] ? azBad[i] : "NULL");
  }
  cr_expect_eq(n, -1, "untouched when refused");
  cr_expect(text_parse_id("2000000000", 2000000000, &n));
  cr_expect_not(text_parse_id("2000000001", 2000000000, &n), "above iMax");
  cr_expect_not(text_parse_id("1000000000", 999999999, &n), "above iMax");
}
