/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Tests for base/hash: SHA-256 to hex in one call and streamed, against the
** FIPS 180-2 vectors, and the wiping free.
*/
#include <criterion/criterion.h>
#include <string.h>

#include "base/hash.h"
#include "base/util.h"

#define HEX_ABC "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define HEX_EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

Test(hash, sha256_hex_known_vectors) {
  char z[HASH_HEX_SIZE];
  hash_sha256_hex("abc", 3, z);
  cr_expect_str_eq(z, HEX_ABC);
  hash_sha256_hex("", 0, z);
  cr_expect_str_eq(z, HEX_EMPTY);
  hash_sha256_hex("abc\0def", 7, z);
  cr_expect_str_neq(z, HEX_ABC, "the n bytes count, not the C string");
  cr_expect_eq(strlen(z), 64);
}

Test(hash, sha256_final_hex_matches_one_call) {
  cr_assert(sodium_init() >= 0);
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  crypto_hash_sha256_update(&st, (const unsigned char *)"a", 1);
  crypto_hash_sha256_update(&st, (const unsigned char *)"bc", 2);
  char z[HASH_HEX_SIZE];
  hash_sha256_final_hex(&st, z);
  cr_expect_str_eq(z, HEX_ABC);
}

Test(hash, secret_free_takes_null_and_frees) {
  hash_secret_free(NULL);
  char *z = xstrdup("contraseña de prueba");
  hash_secret_free(z); /* LeakSanitizer would report it if it were not freed */
}
