/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** How alike two office names are, for suggesting merges in the office
** catalogue. Splitting and keys are declared in plan.h.
*/
#ifndef PARTICIPA_PLAN_OFFICE_H
#define PARTICIPA_PLAN_OFFICE_H

typedef enum OfficeSimilarity {
  OFFICE_DIFFERENT = 0, /* nothing in common worth a suggestion */
  OFFICE_SAME,          /* identical keys (case, accents, spacing) */
  OFFICE_TYPO,          /* a few letters apart ("Secretaria" / "Secretarìa") */
  OFFICE_CONTAINS       /* one's significant words are all in the other's */
} OfficeSimilarity;

/* Compare two office keys (from plan_office_key_dup). */
OfficeSimilarity office_similarity(const char *zKeyA, const char *zKeyB);

#endif
