/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** String-keyed hash map (see strmap.h).
*/
#include "base/strmap.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* FNV-1a hash of z. */
static uint64_t hash_str(const char *z) {
  uint64_t h = 1469598103934665603ULL;
  for (; *z; z++) {
    h ^= (unsigned char)*z;
    h *= 1099511628211ULL;
  }
  return h;
}

/* The slot holding zKey, or the empty slot where it would go. */
static StrMapEntry *find_slot(StrMapEntry *aSlot, size_t nSlot, const char *zKey) {
  size_t i = (size_t)hash_str(zKey) & (nSlot - 1);
  while (aSlot[i].zKey && strcmp(aSlot[i].zKey, zKey) != 0) {
    i = (i + 1) & (nSlot - 1);
  }
  return &aSlot[i];
}

/* Double the table (or create it). */
static void grow(StrMap *p) {
  size_t nNew = p->nSlot ? p->nSlot * 2 : 64;
  StrMapEntry *aNew = xcalloc(nNew, sizeof(StrMapEntry));
  for (size_t i = 0; i < p->nSlot; i++) {
    if (p->aSlot[i].zKey) {
      *find_slot(aNew, nNew, p->aSlot[i].zKey) = p->aSlot[i];
    }
  }
  free(p->aSlot);
  p->aSlot = aNew;
  p->nSlot = nNew;
}

void strmap_set(StrMap *p, const char *zKey, int64_t iValue) {
  if ((p->nUsed + 1) * 2 > p->nSlot) {
    grow(p);
  }
  StrMapEntry *e = find_slot(p->aSlot, p->nSlot, zKey);
  if (e->zKey == NULL) {
    e->zKey = xstrdup(zKey);
    p->nUsed++;
  }
  e->iValue = iValue;
}

bool strmap_get(const StrMap *p, const char *zKey, int64_t *piValue) {
  if (p->nSlot == 0) {
    return false;
  }
  StrMapEntry *e = find_slot(p->aSlot, p->nSlot, zKey);
  if (e->zKey == NULL) {
    return false;
  }
  *piValue = e->iValue;
  return true;
}

void strmap_reset(StrMap *p) {
  for (size_t i = 0; i < p->nSlot; i++) {
    free(p->aSlot[i].zKey);
  }
  free(p->aSlot);
  memset(p, 0, sizeof *p);
}
