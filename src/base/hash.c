/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** SHA-256 to hex and the wiping free (see hash.h).
*/
#include "base/hash.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

void hash_sha256_hex(const void *p, size_t n, char zHex[HASH_HEX_SIZE]) {
  unsigned char aHash[crypto_hash_sha256_BYTES];
  if (sodium_init() < 0) {
    app_panic("sodium_init failed");
  }
  crypto_hash_sha256(aHash, (const unsigned char *)p, (unsigned long long)n);
  sodium_bin2hex(zHex, HASH_HEX_SIZE, aHash, sizeof aHash);
}

void hash_sha256_final_hex(crypto_hash_sha256_state *pState, char zHex[HASH_HEX_SIZE]) {
  unsigned char aHash[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(pState, aHash);
  sodium_bin2hex(zHex, HASH_HEX_SIZE, aHash, sizeof aHash);
}

void hash_secret_free(char *z) {
  if (z) {
    sodium_memzero(z, strlen(z));
    free(z);
  }
}
