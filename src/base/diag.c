/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Diagnostic lists (see diag.h).
*/
#include "base/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void diags_init(Diags *p) {
  memset(p, 0, sizeof *p);
}

void diags_reset(Diags *p) {
  for (int i = 0; i < p->n; i++) {
    free(p->a[i].zLoc);
    free(p->a[i].zMsg);
  }
  free(p->a);
  diags_init(p);
}

void diags_add(Diags *p, DiagLevel eLevel, long iOrder, int iTag, const char *zLoc,
               const char *zFmt, ...) {
  if (p->n == p->nAlloc) {
    p->nAlloc = p->nAlloc ? p->nAlloc * 2 : 16;
    p->a = xrealloc(p->a, sizeof(Diag) * (size_t)p->nAlloc);
  }
  va_list ap;
  va_start(ap, zFmt);
  Diag *d = &p->a[p->n++];
  d->eLevel = eLevel;
  d->iOrder = iOrder;
  d->iTag = iTag;
  d->iSeq = p->n - 1;
  d->zLoc = xstrdup(zLoc ? zLoc : "");
  d->zMsg = xvasprintf(zFmt, ap);
  va_end(ap);
  if (eLevel == DIAG_ERROR) {
    p->nError++;
  } else {
    p->nWarning++;
  }
}

/* qsort comparator: by iOrder, then by position of insertion (iSeq). */
static int diag_cmp(const void *a, const void *b) {
  const Diag *x = a;
  const Diag *y = b;
  if (x->iOrder != y->iOrder) {
    return x->iOrder < y->iOrder ? -1 : 1;
  }
  return (x->iSeq > y->iSeq) - (x->iSeq < y->iSeq);
}

void diags_sort(Diags *p) {
  if (p->n > 1) {
    qsort(p->a, (size_t)p->n, sizeof(Diag), diag_cmp);
  }
}

void diags_print(const Diags *p, FILE *out) {
  for (int i = 0; i < p->n; i++) {
    const Diag *d = &p->a[i];
    fprintf(out, "%s: %s: %s\n", d->zLoc, d->eLevel == DIAG_ERROR ? "error" : "advertencia",
            d->zMsg);
  }
}
