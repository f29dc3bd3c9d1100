/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Numbers hidden in Spanish text: a phrase of number words ("treinta y dos",
** "veintiún", "mil doscientos cuarenta") and the numeric target of a plan
** indicator or goal text ("Un (1) Documento de …", "12 talleres", "Tres
** informes"). Matching ignores case and accents and works on whole words
** only, so "Unidad" or "Oncenas" are not numbers.
**
** Does not read ordinals (primero, 1er), fractions in words (medio), roman
** numerals or numbers of a million and more in words.
*/
#ifndef PARTICIPA_BASE_NUMWORD_H
#define PARTICIPA_BASE_NUMWORD_H

#include <stdbool.h>

/* Largest number numword_parse reads. */
#define NUMWORD_MAX 999999L

/* Parse the whole phrase z of Spanish number words, 0..999999: "cero", "uno",
** "una", "un", "veintiún", "veintidós", "treinta y dos", "ciento cinco",
** "cien", "quinientas", "mil", "dos mil doscientos cuarenta". Case, accents
** and runs of white space do not matter; every word of z must belong to
** the number. Returns true and stores the value in *pN on success; false
** (and *pN untouched) otherwise, including for NULL or blank z. */
bool numword_parse(const char *z, long *pN);

/* The numeric target of an indicator or goal text. Rules, in order:
**   (a) the first parenthesised number "(N)" anywhere ("Un (1) Documento",
**       "(1)Una herramienta"), spaces allowed inside the parentheses;
**   (b) a number in digits at the start, after spaces or one leading bullet
**       "-", "•", "*" or "–" ("12 talleres", "- 3 mesas");
**   (c) the longest run of whole number words at the start, after the same
**       spaces and bullet ("Tres informes",
**       "Veintiún talleres" → 21, "Treinta y dos mesas" → 32).
** Numbers in digits (rules a and b) take "." or " " as thousands separator
** (groups of exactly three digits: 1.500, 12 300) and "," as decimal comma
** (2,5; 1.500,75), at most 15 integer digits; in rule (b) the number must
** not run straight into a letter ("1er" is not a target).
** Returns true and stores the value in *pValue, or false when no rule
** applies (*pValue untouched). When rule (a) applies and the text also
** starts with a number, in words or digits (after any bullet, or right
** after the parenthesis when the text starts with it), whose value differs
** ("Dos (3) talleres"), sets *pbMismatch to true and still returns the
** parenthesised value; otherwise sets it to false. pbMismatch may be NULL. */
bool numword_target(const char *z, double *pValue, bool *pbMismatch);

#endif
