/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** A content-addressed file store: files kept once under their SHA-256,
** as DIR/ab/abcdef… (the first two hex digits make a subdirectory, so no
** directory grows past a few thousand entries). Used for progress evidence
** (<data-dir>/evidencias), PQRSD attachments and anything else uploaded.
**
** A file is written to a temporary file of a unique name in DIR (mkstemp:
** several server threads store at once), synced, then renamed to its hash,
** so a reader never sees a partial file and a crash leaves at most a
** temporary ".subida-*" file behind. Storing bytes already present is
** harmless (the rename replaces identical content). The type is detected
** from the content with libmagic, never from the name.
*/
#ifndef PARTICIPA_IO_FILESTORE_H
#define PARTICIPA_IO_FILESTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

/* What was stored. */
typedef struct StoredFile {
  char zSha256[65]; /* lowercase hex of the content's SHA-256 */
  int64_t nSize;    /* bytes */
  char *zMime;      /* detected type, "application/pdf" (owned; free with free()) */
} StoredFile;

/* Store the n bytes at p under zDir. Returns false with a Spanish message
** in *pzErr (caller frees) when a directory or file cannot be written. */
bool filestore_put_mem(const char *zDir, const void *p, size_t n, StoredFile *pOut,
                       char **pzErr);
/* Store a copy of the file zPath under zDir (read in chunks; any size). */
bool filestore_put_file(const char *zDir, const char *zPath, StoredFile *pOut, char **pzErr);
/* True when z is a stored file's name: 64 lowercase hex digits (what
** StoredFile.zSha256 holds). Anything else must never become a path. */
bool filestore_is_name(const char *z);
/* Append to pOut the path of the file of hash zSha256 under zDir. */
void filestore_path(const char *zDir, const char *zSha256, Buf *pOut);
/* Write the n bytes at p to a new temporary file (".subida-XXXXXX") in zDir,
** created with its parents when missing, and sync it to disk: for a file
** that gets its final name later (after a transaction commits). Returns the
** path (caller frees; the caller renames or unlinks the file), or NULL with
** a Spanish message in *pzErr (caller frees). */
char *filestore_write_temp(const char *zDir, const void *p, size_t n, char **pzErr);
/* Create directory zDir and its missing parents (mode 0750); false with
** errno set when one cannot be made. */
bool filestore_make_dirs(const char *zDir);

#endif
