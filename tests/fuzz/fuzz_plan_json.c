/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** libFuzzer target for the JSON plan reader (the "participa-plan" export
** format): the input is read with plan_read_json. Checks that an unreadable
** document has exactly one diagnostic and no activities, and that nothing
** leaks. Does not touch a database.
*/
#include <stdint.h>
#include <stdlib.h>

#include "plan/plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Read data as a JSON plan; abort on a broken invariant. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  PlanDraft d;
  plan_read_json("fuzz.json", (const char *)data, size, NULL, &d);
  if (d.bUnreadable && (d.diags.n != 1 || d.nAct != 0)) {
    abort();
  }
  for (int i = 0; i < d.nAct; i++) {
    if (d.aAct[i].rTarget <= 0 || d.aAct[i].zLoc == NULL) {
      abort();
    }
  }
  plan_draft_reset(&d);
  return 0;
}
