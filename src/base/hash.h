/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** SHA-256 as lower-case hex (the form every stored hash takes: evidence
** file names, session tokens, notices, the backup manifest, the audit
** chain) and the wiping free for secrets held in memory (passwords typed
** or generated). libsodium underneath; knows nothing of the domain.
*/
#ifndef PARTICIPA_BASE_HASH_H
#define PARTICIPA_BASE_HASH_H

#include <stddef.h>

#include <sodium.h>

#define HASH_HEX_SIZE (2 * crypto_hash_sha256_BYTES + 1) /* 64 hex digits and the NUL */

/* The SHA-256 of the n bytes at p, as 64 lower-case hex digits and a NUL
** into zHex. Aborts (app_panic) only if libsodium cannot start. */
void hash_sha256_hex(const void *p, size_t n, char zHex[HASH_HEX_SIZE]);

/* Finish the streaming hash pState and write it as hash_sha256_hex does.
** pState must not be used afterwards. Cannot fail. */
void hash_sha256_final_hex(crypto_hash_sha256_state *pState, char zHex[HASH_HEX_SIZE]);

/* Overwrite the NUL-terminated secret z with zeros (sodium_memzero, which
** the compiler may not drop) and free it. NULL is ignored. Frees z. */
void hash_secret_free(char *z);

#endif
