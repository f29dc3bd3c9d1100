/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** libFuzzer target for the plan matrix reader: the input is read as a
** delimited text file (separator sniffed, encoding detected), then as an
** action plan with plan_read_table. Checks that every activity has its
** location and fields, that the error count matches the diagnostics, and
** that nothing leaks. Does not touch a database.
*/
#include <stdint.h>
#include <stdlib.h>

#include "io/csv.h"
#include "plan/plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Read data as a plan; abort on a broken invariant. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  Table t;
  char *zErr = NULL;
  if (csv_read_mem("fuzz.csv", (const char *)data, size, 0, &t, &zErr) != TABLE_OK) {
    free(zErr);
    table_reset(&t);
    return 0;
  }
  PlanDraft d;
  plan_read_table(&t, "csv", NULL, &d);
  plan_draft_adopt_table(&d, &t);
  int nError = 0;
  for (int i = 0; i < d.diags.n; i++) {
    nError += d.diags.a[i].eLevel == DIAG_ERROR;
  }
  if (nError != d.diags.nError) {
    abort();
  }
  for (int i = 0; i < d.nAct; i++) {
    const DraftActivity *a = &d.aAct[i];
    if (a->zLoc == NULL || a->rTarget <= 0) {
      abort();
    }
    for (int f = 0; f < PF_COUNT; f++) {
      if (a->azField[f] == NULL) {
        abort();
      }
    }
    if ((a->nError > 0) != (a->zReview != NULL)) {
      abort();
    }
  }
  plan_draft_reset(&d);
  return 0;
}
