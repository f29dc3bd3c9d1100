/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The office catalogue every module refers to: the entity's offices
** (dependencias), each with the names it is also written as (aliases).
** office.c does the text work: splitting a cell that names several offices
** ("Secretaría General - Oficina de Prensa"), the key two spellings of one
** office share (case, accents, spacing, a leading article), and how alike
** two keys are, to suggest merges. office_db.c reads the catalogue (for the
** CLI listing and the pages of admin, PQRSD and retos), names one office,
** finds one by name or alias, and merges two offices. Offices are added by
** the plan import as RESPONSABLE cells name them; the links from
** activities, users, PQRSD and challenges to an office belong to those
** modules (office_merge moves the activity links itself).
*/
#ifndef PARTICIPA_OFFICE_OFFICE_H
#define PARTICIPA_OFFICE_OFFICE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "db/db.h"

/* ---- names (office.c): pure text, never fails ---- */

/* How alike two office names are. */
typedef enum OfficeSimilarity {
  OFFICE_DIFFERENT = 0, /* nothing in common worth a suggestion */
  OFFICE_SAME,          /* identical keys (case, accents, spacing) */
  OFFICE_TYPO,          /* a few letters apart ("Secretaria" / "Secretarìa") */
  OFFICE_CONTAINS       /* one's significant words are all in the other's */
} OfficeSimilarity;

/* Compare two office keys (from office_key_dup). */
OfficeSimilarity office_similarity(const char *zKeyA, const char *zKeyB);

/* The key two office names are compared by: folded, without a trailing
** period and without a leading article. Caller frees. */
char *office_key_dup(const char *zName);

/* Split a cell naming offices into office names (" - ", "/", ";", ",", and
** " y " where it joins two office names). Returns the count; *pazOut is a
** malloc'd array of malloc'd trimmed names (caller frees both via
** office_names_free). Trailing periods are dropped; a name repeated (same
** key) is kept once. */
int office_split(const char *zCell, char ***pazOut);
/* office_split, also returning each name's key (office_key_dup) in *pazKey
** (freed like the names). */
int office_split_keyed(const char *zCell, char ***pazName, char ***pazKey);
/* Free n strings of az and the array az (from office_split). */
void office_names_free(int n, char **az);

/* ---- the catalogue (office_db.c): database errors end the program ---- */

/* The id of the office named zName or having it as an alias (compared by
** key), or 0 when there is none. */
int64_t office_find(Db *db, const char *zName);

/* The name of office iOffice (caller frees), or NULL when there is none. */
char *office_name_dup(Db *db, int64_t iOffice);

/* The catalogue as text for `participa office list`: each office with its
** activities in every plan and its aliases, then the suggested merges and
** a count line, appended to pOut (Spanish). */
void office_list(Db *db, Buf *pOut);

/* Make office zAlias (a name or alias) an alias of office zMain, moving its
** activity links and aliases to zMain, as one transaction logged to the
** audit log as zActor. False with *pzErr (Spanish, caller frees) when one
** is unknown or both are the same office; nothing is then written. */
bool office_merge(Db *db, const char *zMain, const char *zAlias, const char *zActor, char **pzErr);

/* One office of the catalogue, for pages. Owned strings. */
typedef struct OfficeInfo {
  int64_t id;     /* office id */
  char *zName;    /* name */
  char *zKey;     /* comparison key (office_key_dup) */
  char *zAliases; /* alias names joined by "; ", "" when none */
  int nActivity;  /* activities linked, in every plan */
} OfficeInfo;

/* A pair of offices that may be the same (a merge suggestion): indices into
** the array office_catalogue returned. */
typedef struct OfficePair {
  int iA, iB;      /* the two offices (iA < iB) */
  int eSimilarity; /* OfficeSimilarity: OFFICE_SAME, _TYPO or _CONTAINS */
} OfficePair;

/* The office catalogue ordered by key. Returns the count; *paOut is
** malloc'd (NULL when empty), free it with office_catalogue_free. */
int office_catalogue(Db *db, OfficeInfo **paOut);
/* Free n offices from office_catalogue and the array. */
void office_catalogue_free(int n, OfficeInfo *a);
/* Merge suggestions over a catalogue from office_catalogue (the same rule
** as office_list). Returns the count; *paOut is malloc'd (caller frees). */
int office_pairs(int n, const OfficeInfo *a, OfficePair **paOut);

#endif
