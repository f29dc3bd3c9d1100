/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** StrMap: a hash map from strings (copied) to 64-bit integers, for lookups
** by name during bulk work (office keys, component names). Open
** addressing, FNV-1a hash. Not thread-safe; no deletion.
*/
#ifndef PARTICIPA_BASE_STRMAP_H
#define PARTICIPA_BASE_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct StrMapEntry {
  char *zKey;     /* owned key, NULL for an empty slot */
  int64_t iValue; /* the value */
} StrMapEntry;

typedef struct StrMap {
  size_t nUsed;       /* entries held */
  size_t nSlot;       /* slots allocated (a power of two, or 0) */
  StrMapEntry *aSlot; /* the slots */
} StrMap;

#define STRMAP_INIT {0, 0, NULL}

/* Set zKey (copied) to iValue, replacing any previous value. */
void strmap_set(StrMap *p, const char *zKey, int64_t iValue);
/* Look zKey up: true and *piValue when present. */
bool strmap_get(const StrMap *p, const char *zKey, int64_t *piValue);
/* Free everything; p is left empty. */
void strmap_reset(StrMap *p);

#endif
