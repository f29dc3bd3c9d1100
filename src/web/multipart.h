/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** A multipart/form-data parser (RFC 7578) for uploads: evidence files, plan
** files, the entity logo. It parses a whole body already in memory (the
** server buffers bodies up to the route's limit) without copying file
** contents: parts point into the body. It accepts what browsers send and
** refuses, with a Spanish message, anything it cannot read unambiguously:
** a missing or over-long boundary, a part without a closing boundary,
** headers that are not "Name: value" lines, a part without a
** Content-Disposition form-data name, more than MULTIPART_MAX_PARTS parts, a
** repeated field name. File names are reduced to their last path component
** (browsers on Windows may send "C:\...\acta.pdf") and cleaned of control
** characters; they are only ever shown, never used as paths.
*/
#ifndef PARTICIPA_WEB_MULTIPART_H
#define PARTICIPA_WEB_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>

#define MULTIPART_MAX_PARTS 64

typedef struct MultipartPart {
  char *zName;          /* form field name (owned) */
  char *zFileName;      /* file name as given, last component, NULL for a plain field (owned) */
  char *zType;          /* the part's Content-Type as sent, NULL when absent (owned) */
  const char *pData;    /* content (points into the body; not NUL-terminated for files) */
  size_t nData;         /* content bytes */
  char *zValue;         /* plain fields: the content as a NUL-terminated copy (owned);
                           NULL for file parts */
} MultipartPart;

typedef struct Multipart {
  int nPart;
  MultipartPart aPart[MULTIPART_MAX_PARTS];
} Multipart;

/* Parse body p (n bytes) sent with Content-Type zContentType. Returns true
** and fills *pOut (free with multipart_reset) on success; false with a
** Spanish message in *pzErr (caller frees) otherwise, *pOut left empty. */
bool multipart_parse(const char *zContentType, const char *p, size_t n, Multipart *pOut,
                     char **pzErr);
void multipart_reset(Multipart *m);

/* The value of plain field zName, or NULL. */
const char *multipart_value(const Multipart *m, const char *zName);
/* The part named zName (plain or file), or NULL. */
const MultipartPart *multipart_part(const Multipart *m, const char *zName);

#endif
