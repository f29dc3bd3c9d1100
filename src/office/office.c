/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Office names: splitting a cell that names several offices into them, the
** key two spellings of one office share, and the similarity used to suggest
** near-duplicates to the administrator (see office.h). Pure text work: the
** catalogue itself (offices and aliases) is read and written by office_db.c.
*/
#include "office/office.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/text.h"

/* First words (folded) that begin an office name: " y " splits a cell only
** when the words after it start a new office. */
static const char *const azOfficeWord[] = {
    "alcaldia",     "area",         "asesoria",      "comite",       "concejo",  "consejo",
    "contraloria",  "coordinacion", "corporacion",   "departamento", "despacho", "direccion",
    "division",     "empresa",      "escuela",       "fondo",        "gerencia", "grupo",
    "instituto",    "jefatura",     "oficina",       "personeria",   "programa", "secretaria",
    "subdireccion", "subgerencia",  "subsecretaria", "unidad",       "veeduria",
};

/* True when the text z begins with one of the office words (only its first
** word is folded: cells can be long). */
static bool starts_office_word(const char *z) {
  while (*z == ' ' || *z == '-' || *z == '.') {
    z++;
  }
  size_t nWord = strcspn(z, " ");
  char *zWord = xstrndup(z, nWord > 40 ? 40 : nWord);
  char *zF = text_fold_dup(zWord);
  free(zWord);
  bool b = false;
  for (size_t i = 0; i < sizeof azOfficeWord / sizeof azOfficeWord[0] && !b; i++) {
    size_t n = strlen(azOfficeWord[i]);
    b = strncmp(zF, azOfficeWord[i], n) == 0 && (zF[n] == 0 || zF[n] == ' ');
  }
  free(zF);
  return b;
}

/* Trim spaces and trailing '.' ';' ':' from z into a new string. */
static char *clean_name_dup(const char *z, size_t n) {
  char *zT = xstrndup(z, n);
  char *zTrim = text_trim_dup(zT);
  free(zT);
  size_t m = strlen(zTrim);
  while (m > 0 && (zTrim[m - 1] == '.' || zTrim[m - 1] == ';' || zTrim[m - 1] == ':' ||
                   zTrim[m - 1] == ' ' || zTrim[m - 1] == '-')) {
    zTrim[--m] = 0;
  }
  size_t i = 0;
  while (zTrim[i] == '-' || zTrim[i] == ' ' || zTrim[i] == '.') {
    i++;
  }
  if (i > 0) {
    memmove(zTrim, zTrim + i, strlen(zTrim + i) + 1);
  }
  return zTrim;
}

/* Names found in a cell, with their keys for de-duplication. */
typedef struct NameList {
  int n;         /* names */
  char **azName; /* names (owned) */
  char **azKey;  /* their keys (owned) */
} NameList;

/* Add name z[0..n) to the list unless empty or already there (same key). */
static void add_name(const char *z, size_t n, NameList *p) {
  char *zName = clean_name_dup(z, n);
  if (zName[0] == 0) {
    free(zName);
    return;
  }
  char *zKey = office_key_dup(zName);
  for (int i = 0; i < p->n; i++) {
    if (strcmp(p->azKey[i], zKey) == 0) {
      free(zKey);
      free(zName);
      return;
    }
  }
  p->azName = xrealloc(p->azName, sizeof(char *) * (size_t)(p->n + 1));
  p->azKey = xrealloc(p->azKey, sizeof(char *) * (size_t)(p->n + 1));
  p->azName[p->n] = zName;
  p->azKey[p->n++] = zKey;
}

/* Split piece z[0..n) further on " y " where it joins two office names. */
static void split_on_y(const char *z, size_t n, NameList *pList) {
  size_t iStart = 0;
  for (size_t i = 0; i + 3 <= n; i++) {
    if (z[i] == ' ' && (z[i + 1] == 'y' || z[i + 1] == 'Y') && z[i + 2] == ' ') {
      char *zLeft = xstrndup(z + iStart, i - iStart);
      char *zRight = xstrndup(z + i + 3, n - i - 3);
      bool bSplit = starts_office_word(zLeft) && starts_office_word(zRight);
      free(zLeft);
      free(zRight);
      if (bSplit) {
        add_name(z + iStart, i - iStart, pList);
        iStart = i + 3;
      }
    }
  }
  add_name(z + iStart, n - iStart, pList);
}

int office_split_keyed(const char *zCell, char ***pazName, char ***pazKey) {
  NameList list = {0, NULL, NULL};
  const char *z = zCell ? zCell : "";
  size_t iStart = 0, i = 0;
  size_t nLen = strlen(z);
  while (i <= nLen) {
    size_t nSep = 0;
    if (i == nLen) {
      nSep = 1;
    } else if (z[i] == '/' && !(i >= 1 && (z[i - 1] == 'y' || z[i - 1] == 'Y') &&
                                (z[i + 1] == 'o' || z[i + 1] == 'O'))) {
      nSep = 1; /* "/" but not "y/o" */
    } else if (z[i] == ';' || z[i] == ',' || z[i] == '\n' || z[i] == '\r') {
      nSep = 1;
    } else if (z[i] == ' ' && z[i + 1] == '-' && z[i + 2] == ' ') {
      nSep = 3;
    } else if (z[i] == ' ' && strncmp(z + i + 1, "\xe2\x80\x93 ", 4) == 0) {
      nSep = 5; /* " – " en dash */
    }
    if (nSep) {
      split_on_y(z + iStart, i - iStart, &list);
      i += nSep;
      iStart = i;
    } else {
      i++;
    }
  }
  *pazName = list.azName;
  *pazKey = list.azKey;
  return list.n;
}

int office_split(const char *zCell, char ***pazOut) {
  char **azKey;
  int n = office_split_keyed(zCell, pazOut, &azKey);
  office_names_free(n, azKey);
  return n;
}

void office_names_free(int n, char **az) {
  for (int i = 0; i < n; i++) {
    free(az[i]);
  }
  free(az);
}

char *office_key_dup(const char *zName) {
  char *zF = text_fold_dup(zName);
  size_t n = strlen(zF);
  while (n > 0 && (zF[n - 1] == '.' || zF[n - 1] == ' ' || zF[n - 1] == ';')) {
    zF[--n] = 0;
  }
  /* a leading article ("La Secretaría ...") is not part of the name */
  static const char *const azArticle[] = {"el ", "la ", "los ", "las "};
  for (size_t i = 0; i < sizeof azArticle / sizeof azArticle[0]; i++) {
    size_t m = strlen(azArticle[i]);
    if (strncmp(zF, azArticle[i], m) == 0 && zF[m] != 0) {
      memmove(zF, zF + m, n - m + 1);
      break;
    }
  }
  return zF;
}

/* Words that say little about which office is meant. */
static bool is_stopword(const char *z, size_t n) {
  static const char *const az[] = {"de", "del", "la",   "las", "el",      "los",       "y",
                                   "e",  "a",   "para", "en",  "asesora", "distrital", "municipal"};
  for (size_t i = 0; i < sizeof az / sizeof az[0]; i++) {
    if (strlen(az[i]) == n && strncmp(az[i], z, n) == 0) {
      return true;
    }
  }
  return false;
}

/* Split folded key z into its significant words; returns count, *paz
** malloc'd array of malloc'd words. */
static int key_words(const char *z, char ***paz) {
  int n = 0;
  char **az = NULL;
  while (*z) {
    while (*z == ' ') {
      z++;
    }
    const char *zStart = z;
    while (*z && *z != ' ') {
      z++;
    }
    size_t nWord = (size_t)(z - zStart);
    if (nWord > 0 && !is_stopword(zStart, nWord)) {
      az = xrealloc(az, sizeof(char *) * (size_t)(n + 1));
      az[n++] = xstrndup(zStart, nWord);
    }
  }
  *paz = az;
  return n;
}

/* Levenshtein distance between a and b (bytes), capped at nCap+1. */
static int edit_distance(const char *a, const char *b, int nCap) {
  int na = (int)strlen(a), nb = (int)strlen(b);
  if (abs(na - nb) > nCap) {
    return nCap + 1;
  }
  int *aPrev = xcalloc((size_t)nb + 1, sizeof(int));
  int *aCur = xcalloc((size_t)nb + 1, sizeof(int));
  for (int j = 0; j <= nb; j++) {
    aPrev[j] = j;
  }
  for (int i = 1; i <= na; i++) {
    aCur[0] = i;
    for (int j = 1; j <= nb; j++) {
      int c = aPrev[j - 1] + (a[i - 1] != b[j - 1]);
      if (aPrev[j] + 1 < c) {
        c = aPrev[j] + 1;
      }
      if (aCur[j - 1] + 1 < c) {
        c = aCur[j - 1] + 1;
      }
      aCur[j] = c;
    }
    int *t = aPrev;
    aPrev = aCur;
    aCur = t;
  }
  int d = aPrev[nb];
  free(aPrev);
  free(aCur);
  return d;
}

/* True when every word of a[] appears in b[]. */
static bool words_subset(int na, char **a, int nb, char **b) {
  for (int i = 0; i < na; i++) {
    bool bFound = false;
    for (int j = 0; j < nb && !bFound; j++) {
      bFound = strcmp(a[i], b[j]) == 0;
    }
    if (!bFound) {
      return false;
    }
  }
  return true;
}

OfficeSimilarity office_similarity(const char *zKeyA, const char *zKeyB) {
  if (strcmp(zKeyA, zKeyB) == 0) {
    return OFFICE_SAME;
  }
  int nMax = (int)(strlen(zKeyA) > strlen(zKeyB) ? strlen(zKeyA) : strlen(zKeyB));
  int nCap = nMax / 10 + 1;
  if (edit_distance(zKeyA, zKeyB, nCap) <= nCap) {
    return OFFICE_TYPO;
  }
  char **aA, **aB;
  int nA = key_words(zKeyA, &aA);
  int nB = key_words(zKeyB, &aB);
  OfficeSimilarity e = OFFICE_DIFFERENT;
  if (nA >= 2 && nB >= 2 && (words_subset(nA, aA, nB, aB) || words_subset(nB, aB, nA, aA))) {
    e = OFFICE_CONTAINS;
  } else if (nA > 0 && nB > 0 && words_subset(nA, aA, nB, aB) && words_subset(nB, aB, nA, aA)) {
    e = OFFICE_CONTAINS;
  }
  office_names_free(nA, aA);
  office_names_free(nB, aB);
  return e;
}
