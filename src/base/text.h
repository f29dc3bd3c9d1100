/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** UTF-8 text helpers: validation, Windows-1252 decoding, BOM detection, and
** the "fold" used for every case-, accent- and spacing-insensitive
** comparison in the product (office names, column titles, search). Folding
** uses utf8proc (NFKD, drop combining marks, case fold). Knows nothing of
** the domain.
*/
#ifndef PARTICIPA_BASE_TEXT_H
#define PARTICIPA_BASE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include <stdint.h>

#define TEXT_UTF8_BAD 0xFFFFFFFFu /* text_utf8_decode's code for an invalid sequence */

/* Decode the UTF-8 sequence starting at p[0] (n >= 1 bytes available) into
** *pCp and return its length. An invalid sequence stores TEXT_UTF8_BAD and
** returns the length of its maximal subpart (the lead byte and the
** continuation bytes that were still valid, at least 1), which is what one
** U+FFFD replaces (Unicode §3.9, as browsers decode). Cannot fail. */
size_t text_utf8_decode(const unsigned char *p, size_t n, uint32_t *pCp);

/* Value of the ASCII hex digit c, or -1 for any other byte. */
int text_hex_digit(char c);

/* True when the n bytes at z are valid UTF-8 (no overlongs, no surrogates). */
bool text_is_utf8(const char *z, size_t n);

/* Length of a UTF-8 byte-order mark at the start of z (3 or 0). */
size_t text_bom_len(const char *z, size_t n);

/* True when z looks like UTF-16 or UTF-32 (a BOM for them, or NUL bytes in
** the first kilobyte): text the product cannot read. */
bool text_is_wide_or_binary(const char *z, size_t n);

/* Decode n bytes of Windows-1252 into a new NUL-terminated UTF-8 string and
** store its length in *pnOut (when not NULL). Returns NULL when the input
** holds a byte Windows-1252 leaves undefined (0x81 0x8D 0x8F 0x90 0x9D) and
** stores that byte's offset in *piBad (when not NULL). Caller frees. */
char *text_cp1252_to_utf8_dup(const char *z, size_t n, size_t *pnOut, size_t *piBad);

/* Fold z for matching: Unicode NFKD, combining marks removed, case folded,
** runs of white space (including NBSP) collapsed to one space, leading and
** trailing space removed. "  Secretaría   de  PARTICIPACIÓN " folds to
** "secretaria de participacion". Invalid UTF-8 bytes are kept as they are.
** Never NULL; caller frees. */
char *text_fold_dup(const char *z);

/* Copy of z without leading and trailing white space (ASCII and NBSP).
** Caller frees. NULL gives NULL. */
char *text_trim_dup(const char *z);

/* Number of code points in the UTF-8 string z (invalid bytes count as one). */
size_t text_width(const char *z);

/* Copy of z cut to at most nMax code points, "…" replacing the tail when cut.
** Caller frees. */
char *text_ellipsize_dup(const char *z, size_t nMax);

#define TEXT_EMAIL_MAX 254 /* bytes of an e-mail address (RFC 5321 §4.5.3.1.3) */

/* True when z is an e-mail address as every public form accepts it: a
** practical subset of RFC 5321/5322 that real addresses pass
** ("atencion.ciudadano@cartagena.gov.co", "j.perez+pqrsd@gmail.com",
** "o'neil_2021@hotmail.es", "contacto@alcaldía.gov.co"):
**   - at most TEXT_EMAIL_MAX bytes, exactly one "@";
**   - a local part of 1..64 bytes without white space, control characters
**     (also DEL) or any of  " , < >  (no quoted local parts);
**   - a domain of at least two labels separated by dots, none empty, made of
**     ASCII letters, digits and hyphens, or non-ASCII bytes for
**     internationalised names (no "_", no "..", no leading or trailing dot).
** Cannot fail. */
bool text_is_email(const char *z);

#define TEXT_ID_MAX INT64_C(999999999999999) /* the largest route number: 15 digits */

/* Read z as a route number ("{item}", "{id}"): 1..15 decimal digits only
** (no sign, space or other character; leading zeros allowed, as before),
** a value from 1 to iMax. Stores it in *pN and returns true; false (and
** *pN untouched) otherwise. Cannot fail. */
bool text_parse_id(const char *z, int64_t iMax, int64_t *pN);

#endif
