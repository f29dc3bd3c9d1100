/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Whole-file reads: a plan file, a kept upload, the entity's logo. Knows
** nothing of the domain; messages are the caller's.
*/
#ifndef PARTICIPA_IO_FILE_H
#define PARTICIPA_IO_FILE_H

#include "base/buf.h"

#define FILE_READ_ERROR (-1) /* file_read_all: opened, but a read failed */

/* Append the whole content of the file at zPath to pOut. Returns 0, or the
** errno of the failed open (ENOENT, EACCES …; see os_error), or
** FILE_READ_ERROR when a read failed; on failure pOut is as it was. */
int file_read_all(const char *zPath, Buf *pOut);

#endif
