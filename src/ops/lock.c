/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The single-instance lock of `participa serve` (see ops.h). One server per
** database: two would each run their own group-commit writer, page cache
** and daily jobs, and a restore must know that nobody is serving the
** database it replaces. The lock is a BSD flock() on a file beside the
** database, not a lock on the database file itself (SQLite owns the POSIX
** locks on that file, and closing any other descriptor of it would drop
** them). flock() locks go away with the process, so a killed server never
** leaves a stale lock behind.
*/
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "base/util.h"
#include "ops/ops.h"

/* The lock file of zDbPath. Caller frees. */
static char *lock_path_dup(const char *zDbPath) {
  return xasprintf("%s-servidor.lock", zDbPath);
}

/* The process id written in the lock file fd, 0 when unreadable. */
static long lock_owner(int fd) {
  char aBuf[32];
  ssize_t n = pread(fd, aBuf, sizeof aBuf - 1, 0);
  if (n <= 0) {
    return 0;
  }
  aBuf[n] = 0;
  return strtol(aBuf, NULL, 10);
}

bool ops_serve_lock(const char *zDbPath, char **pzErr) {
  char *zLock = lock_path_dup(zDbPath);
  int fd = open(zLock, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0) {
    *pzErr = xasprintf("no se puede crear el archivo de bloqueo «%s»: %s; la carpeta de la base "
                       "de datos debe permitir escribir",
                       zLock, os_error(errno));
    free(zLock);
    return false;
  }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    long iPid = lock_owner(fd);
    if (iPid > 0) {
      *pzErr = xasprintf("otro «participa serve» (proceso %ld) ya sirve «%s»; deténgalo antes de "
                         "iniciar otro, o use otra base de datos",
                         iPid, zDbPath);
    } else {
      *pzErr = xasprintf("otro «participa serve» ya sirve «%s»; deténgalo antes de iniciar otro, "
                         "o use otra base de datos",
                         zDbPath);
    }
    close(fd);
    free(zLock);
    return false;
  }
  char aPid[32];
  int n = snprintf(aPid, sizeof aPid, "%ld\n", (long)getpid());
  if (ftruncate(fd, 0) != 0 || pwrite(fd, aPid, (size_t)n, 0) != n) {
    /* the lock holds without the pid; only the message names it */
  }
  free(zLock);
  /* fd stays open (and locked) until the process exits */
  return true;
}

bool ops_serve_locked(const char *zDbPath) {
  char *zLock = lock_path_dup(zDbPath);
  int fd = open(zLock, O_RDONLY | O_CLOEXEC);
  free(zLock);
  if (fd < 0) {
    return false;
  }
  bool bHeld = flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  close(fd);
  return bHeld;
}
