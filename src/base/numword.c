/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Numbers hidden in Spanish text (see numword.h). Input is folded with
** text_fold_dup() (lower case, no accents, single spaces) and split into
** words; number words are looked up in one table and combined by a small
** recursive-descent grammar: [units-of-thousands] "mil" [below-thousand],
** where below-thousand is [hundreds] [tens ["y" unit] | teen | unit].
** Numbers in digits are read by hand with Colombian separators ("." for
** thousands, "," for decimals), never with strtod (which follows the locale).
**
** Does not read ordinals, fractions in words or numbers of a million and more
** in words, and does not decide what a missing target means: callers do.
*/
#include "base/numword.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "base/util.h"

#define NW_MAX_WORDS  12 /* words considered; the longest number below a million has 10 */
#define NW_MAX_DIGITS 15 /* integer digits read in a number in digits (exact in a double) */
#define NW_MAX_FRAC   9  /* decimal digits that count toward the value */

/* What role a number word plays in the grammar. */
typedef enum WordKind {
  WK_NONE,    /* not a number word */
  WK_ZERO,    /* cero: only on its own */
  WK_UNIT,    /* 1..9 */
  WK_TEEN,    /* 10..29 written as one word (diez .. veintinueve) */
  WK_TENS,    /* 30..90, may take "y" and a unit */
  WK_CIEN,    /* cien: 100 with nothing after (but "cien mil") */
  WK_CIENTO,  /* ciento: 100 that must be followed by tens or units */
  WK_HUNDRED, /* doscientos .. novecientos (and -as), may stand alone */
  WK_MIL,     /* mil */
  WK_Y,       /* the conjunction "y" between tens and units */
} WordKind;

/* The number words, folded (no accents), with their value and kind. */
static const struct {
  const char *zWord; /* folded spelling */
  int iValue;        /* value of the word */
  WordKind eKind;    /* grammatical role */
} aNumWord[] = {
    {"cero", 0, WK_ZERO},
    {"un", 1, WK_UNIT},
    {"uno", 1, WK_UNIT},
    {"una", 1, WK_UNIT},
    {"dos", 2, WK_UNIT},
    {"tres", 3, WK_UNIT},
    {"cuatro", 4, WK_UNIT},
    {"cinco", 5, WK_UNIT},
    {"seis", 6, WK_UNIT},
    {"siete", 7, WK_UNIT},
    {"ocho", 8, WK_UNIT},
    {"nueve", 9, WK_UNIT},
    {"diez", 10, WK_TEEN},
    {"once", 11, WK_TEEN},
    {"doce", 12, WK_TEEN},
    {"trece", 13, WK_TEEN},
    {"catorce", 14, WK_TEEN},
    {"quince", 15, WK_TEEN},
    {"dieciseis", 16, WK_TEEN},
    {"diecisiete", 17, WK_TEEN},
    {"dieciocho", 18, WK_TEEN},
    {"diecinueve", 19, WK_TEEN},
    {"veinte", 20, WK_TEEN},
    {"veintiun", 21, WK_TEEN},
    {"veintiuno", 21, WK_TEEN},
    {"veintiuna", 21, WK_TEEN},
    {"veintidos", 22, WK_TEEN},
    {"veintitres", 23, WK_TEEN},
    {"veinticuatro", 24, WK_TEEN},
    {"veinticinco", 25, WK_TEEN},
    {"veintiseis", 26, WK_TEEN},
    {"veintisiete", 27, WK_TEEN},
    {"veintiocho", 28, WK_TEEN},
    {"veintinueve", 29, WK_TEEN},
    {"treinta", 30, WK_TENS},
    {"cuarenta", 40, WK_TENS},
    {"cincuenta", 50, WK_TENS},
    {"sesenta", 60, WK_TENS},
    {"setenta", 70, WK_TENS},
    {"ochenta", 80, WK_TENS},
    {"noventa", 90, WK_TENS},
    {"cien", 100, WK_CIEN},
    {"ciento", 100, WK_CIENTO},
    {"doscientos", 200, WK_HUNDRED},
    {"doscientas", 200, WK_HUNDRED},
    {"trescientos", 300, WK_HUNDRED},
    {"trescientas", 300, WK_HUNDRED},
    {"cuatrocientos", 400, WK_HUNDRED},
    {"cuatrocientas", 400, WK_HUNDRED},
    {"quinientos", 500, WK_HUNDRED},
    {"quinientas", 500, WK_HUNDRED},
    {"seiscientos", 600, WK_HUNDRED},
    {"seiscientas", 600, WK_HUNDRED},
    {"setecientos", 700, WK_HUNDRED},
    {"setecientas", 700, WK_HUNDRED},
    {"ochocientos", 800, WK_HUNDRED},
    {"ochocientas", 800, WK_HUNDRED},
    {"novecientos", 900, WK_HUNDRED},
    {"novecientas", 900, WK_HUNDRED},
    {"mil", 1000, WK_MIL},
    {"y", 0, WK_Y},
};

/* One word of the folded text: a slice, not NUL-terminated. */
typedef struct Word {
  const char *z; /* first byte of the word */
  size_t n;      /* length in bytes */
} Word;

/* Kind of word w, with its value stored in *piValue (0 for WK_NONE). */
static WordKind word_kind(Word w, int *piValue) {
  for (size_t k = 0; k < sizeof aNumWord / sizeof aNumWord[0]; k++) {
    if (strlen(aNumWord[k].zWord) == w.n && memcmp(aNumWord[k].zWord, w.z, w.n) == 0) {
      *piValue = aNumWord[k].iValue;
      return aNumWord[k].eKind;
    }
  }
  *piValue = 0;
  return WK_NONE;
}

/* Kind of aWord[i], or WK_NONE when i is past the n words. */
static WordKind kind_at(const Word *aWord, size_t n, size_t i, int *piValue) {
  if (i >= n) {
    *piValue = 0;
    return WK_NONE;
  }
  return word_kind(aWord[i], piValue);
}

/* Read "unit | teen | tens [y unit]" at *pi; adds the value to *pv and
** returns true when something was read, false (nothing consumed) otherwise. */
static bool parse_tens(const Word *aWord, size_t n, size_t *pi, long *pv) {
  int iValue;
  WordKind eKind = kind_at(aWord, n, *pi, &iValue);
  if (eKind == WK_UNIT || eKind == WK_TEEN) {
    *pv += iValue;
    (*pi)++;
    return true;
  }
  if (eKind != WK_TENS) {
    return false;
  }
  *pv += iValue;
  (*pi)++;
  int iUnit;
  if (kind_at(aWord, n, *pi, &iUnit) == WK_Y && kind_at(aWord, n, *pi + 1, &iUnit) == WK_UNIT) {
    *pv += iUnit;
    *pi += 2;
  }
  return true;
}

/* Read a number below a thousand at *pi into *pv. Returns 1 when one was
** read, 0 when the word at *pi does not start one (nothing consumed), -1
** when the words are not a valid number ("ciento" alone). */
static int parse_below_thousand(const Word *aWord, size_t n, size_t *pi, long *pv) {
  int iValue;
  WordKind eKind = kind_at(aWord, n, *pi, &iValue);
  *pv = 0;
  if (eKind == WK_CIEN) {
    *pv = 100;
    (*pi)++;
    return 1;
  }
  if (eKind == WK_CIENTO || eKind == WK_HUNDRED) {
    *pv = iValue;
    (*pi)++;
    if (!parse_tens(aWord, n, pi, pv) && eKind == WK_CIENTO) {
      return -1;
    }
    return 1;
  }
  return parse_tens(aWord, n, pi, pv) ? 1 : 0;
}

/* True when the n words at aWord are, all of them, one number; stores it in *pN. */
static bool parse_words(const Word *aWord, size_t n, long *pN) {
  int iValue;
  if (n == 1 && word_kind(aWord[0], &iValue) == WK_ZERO) {
    *pN = 0;
    return true;
  }
  size_t i = 0;
  long nHigh = 0;
  int rc = parse_below_thousand(aWord, n, &i, &nHigh);
  if (rc < 0) {
    return false;
  }
  long nTotal = nHigh;
  if (kind_at(aWord, n, i, &iValue) == WK_MIL) {
    i++;
    long nLow = 0;
    if (parse_below_thousand(aWord, n, &i, &nLow) < 0) {
      return false;
    }
    nTotal = (rc == 1 ? nHigh : 1) * 1000 + nLow;
  } else if (rc == 0) {
    return false;
  }
  if (i != n) {
    return false;
  }
  *pN = nTotal;
  return true;
}

/* True for a byte that may be part of a word: ASCII letter or digit, or
** any byte of a non-ASCII character. */
static bool is_word_byte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         (unsigned char)c >= 0x80;
}

bool numword_parse(const char *z, long *pN) {
  if (z == NULL) {
    return false;
  }
  char *zF = text_fold_dup(z);
  Word aWord[NW_MAX_WORDS];
  size_t nWord = 0;
  bool bOk = true;
  const char *p = zF;
  while (*p && bOk) {
    const char *zEnd = strchr(p, ' ');
    size_t n = zEnd ? (size_t)(zEnd - p) : strlen(p);
    if (nWord == NW_MAX_WORDS) {
      bOk = false;
    } else {
      aWord[nWord].z = p;
      aWord[nWord].n = n;
      nWord++;
    }
    p += n;
    if (*p == ' ') {
      p++;
    }
  }
  long nValue = 0;
  bOk = bOk && nWord > 0 && parse_words(aWord, nWord, &nValue);
  free(zF);
  if (bOk) {
    *pN = nValue;
  }
  return bOk;
}

/* Read a number in digits at z: groups of three digits after "." or " "
** when the first group has at most three digits, then an optional ","
** and decimals. Returns the bytes read (0 when z does not start with a
** digit or has more than NW_MAX_DIGITS integer digits) and the value in *pValue. */
static size_t scan_number(const char *z, double *pValue) {
  size_t i = 0;
  int64_t nInt = 0;
  size_t nDigit = 0;
  while (z[i] >= '0' && z[i] <= '9') {
    if (++nDigit > NW_MAX_DIGITS) {
      return 0;
    }
    nInt = nInt * 10 + (z[i] - '0');
    i++;
  }
  if (nDigit == 0) {
    return 0;
  }
  char cSep = z[i];
  if (nDigit <= 3 && (cSep == '.' || cSep == ' ')) {
    while (z[i] == cSep && z[i + 1] >= '0' && z[i + 1] <= '9' && z[i + 2] >= '0' &&
           z[i + 2] <= '9' && z[i + 3] >= '0' && z[i + 3] <= '9' &&
           !(z[i + 4] >= '0' && z[i + 4] <= '9')) {
      nDigit += 3;
      if (nDigit > NW_MAX_DIGITS) {
        return 0;
      }
      nInt = nInt * 1000 + (z[i + 1] - '0') * 100 + (z[i + 2] - '0') * 10 + (z[i + 3] - '0');
      i += 4;
    }
  }
  double value = (double)nInt;
  if (z[i] == ',' && z[i + 1] >= '0' && z[i + 1] <= '9') {
    i++;
    int64_t nFrac = 0;
    int64_t nScale = 1;
    for (size_t k = 0; z[i] >= '0' && z[i] <= '9'; k++, i++) {
      if (k < NW_MAX_FRAC) {
        nFrac = nFrac * 10 + (z[i] - '0');
        nScale *= 10;
      }
    }
    value += (double)nFrac / (double)nScale;
  }
  *pValue = value;
  return i;
}

/* Find the first "(N)" in the folded zF; stores N in *pValue and the
** offsets of "(" and just past ")" in *piOpen and *piClose. */
static bool find_paren_number(const char *zF, double *pValue, size_t *piOpen, size_t *piClose) {
  for (const char *p = strchr(zF, '('); p; p = strchr(p + 1, '(')) {
    size_t i = 1;
    while (p[i] == ' ') {
      i++;
    }
    double value;
    size_t n = scan_number(p + i, &value);
    if (n == 0) {
      continue;
    }
    i += n;
    while (p[i] == ' ') {
      i++;
    }
    if (p[i] == ')') {
      *pValue = value;
      *piOpen = (size_t)(p - zF);
      *piClose = *piOpen + i + 1;
      return true;
    }
  }
  return false;
}

/* Offset in zF past the spaces and one optional leading bullet ("-", "*",
** "•", "–") with its spaces. */
static size_t skip_bullet(const char *zF) {
  size_t i = 0;
  while (zF[i] == ' ') {
    i++;
  }
  if (zF[i] == '-' || zF[i] == '*') {
    i++;
  } else if (strncmp(zF + i, "\xE2\x80\xA2", 3) == 0 || strncmp(zF + i, "\xE2\x80\x93", 3) == 0) {
    i += 3;
  }
  while (zF[i] == ' ') {
    i++;
  }
  return i;
}

/* The number that z (folded) starts with: digits (rule b) or the longest
** run of number words (rule c). True and *pValue when there is one. */
static bool leading_number(const char *z, double *pValue) {
  double value;
  size_t n = scan_number(z, &value);
  if (n > 0) {
    if (z[n] >= 'a' && z[n] <= 'z') {
      return false;
    }
    *pValue = value;
    return true;
  }
  Word aWord[NW_MAX_WORDS];
  size_t nWord = 0;
  size_t i = 0;
  while (nWord < NW_MAX_WORDS && is_word_byte(z[i])) {
    size_t iStart = i;
    while (is_word_byte(z[i])) {
      i++;
    }
    aWord[nWord].z = z + iStart;
    aWord[nWord].n = i - iStart;
    nWord++;
    if (z[i] != ' ') {
      break;
    }
    i++;
  }
  for (size_t k = nWord; k > 0; k--) {
    long nValue;
    if (parse_words(aWord, k, &nValue)) {
      *pValue = (double)nValue;
      return true;
    }
  }
  return false;
}

bool numword_target(const char *z, double *pValue, bool *pbMismatch) {
  if (pbMismatch) {
    *pbMismatch = false;
  }
  if (z == NULL) {
    return false;
  }
  char *zF = text_fold_dup(z);
  size_t iStart = skip_bullet(zF);
  double value;
  size_t iOpen;
  size_t iClose;
  bool bOk = false;
  if (find_paren_number(zF, &value, &iOpen, &iClose)) {
    bOk = true;
    size_t iLead = iStart;
    if (iOpen == iStart) {
      iLead = iClose;
      while (zF[iLead] == ' ') {
        iLead++;
      }
    }
    double lead;
    if (pbMismatch && leading_number(zF + iLead, &lead) && lead != value) {
      *pbMismatch = true;
    }
  } else {
    bOk = leading_number(zF + iStart, &value);
  }
  free(zF);
  if (bOk) {
    *pValue = value;
  }
  return bOk;
}
