/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Diagnostics: compiler-style messages about input ("FILE:LINE: error: ...")
** collected while reading, sorted by position, printed with a summary. A
** Diag names where (a location string built by the reader) and what. It
** does not decide what is an error: the caller does.
*/
#ifndef PARTICIPA_BASE_DIAG_H
#define PARTICIPA_BASE_DIAG_H

#include <stdio.h>

#include "base/util.h"

typedef enum DiagLevel {
  DIAG_WARNING = 1, /* suspicious; the input can still be used */
  DIAG_ERROR = 2    /* wrong; the input must be fixed (or forced) */
} DiagLevel;

typedef struct Diag {
  DiagLevel eLevel; /* error or warning */
  long iOrder;      /* sort key: the source row (or line) it refers to */
  int iTag;         /* caller's tag, e.g. the activity index it concerns; -1 for none */
  int iSeq;         /* insertion order, the tie-break when sorting */
  char *zLoc;       /* "file:17" or "file:Hoja1!H22" */
  char *zMsg;       /* the message, Spanish, no trailing period */
} Diag;

typedef struct Diags {
  int n;      /* diagnostics held */
  int nAlloc; /* slots allocated */
  Diag *a;    /* the diagnostics */
  int nError; /* how many are errors */
  int nWarning; /* how many are warnings */
} Diags;

/* Make p empty. */
void diags_init(Diags *p);
/* Free everything p holds. */
void diags_reset(Diags *p);
/* Add a diagnostic at zLoc (copied) with a printf-style message. */
void diags_add(Diags *p, DiagLevel eLevel, long iOrder, int iTag, const char *zLoc,
               const char *zFmt, ...) PRINTF_LIKE(6, 7);
/* Sort by iOrder, keeping insertion order among equals. */
void diags_sort(Diags *p);
/* Print every diagnostic as "LOC: error: MSG" / "LOC: advertencia: MSG". */
void diags_print(const Diags *p, FILE *out);

#endif
