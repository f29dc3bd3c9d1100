/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The content-addressed file store (see filestore.h).
*/
#include "io/filestore.h"

#include <errno.h>
#include <magic.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/hash.h"
#include "base/util.h"

bool filestore_make_dirs(const char *zDir) {
  char *z = xstrdup(zDir);
  bool bOk = true;
  for (char *c = z + 1; *c && bOk; c++) {
    if (*c == '/') {
      *c = 0;
      bOk = mkdir(z, 0750) == 0 || errno == EEXIST;
      *c = '/';
    }
  }
  bOk = bOk && (mkdir(z, 0750) == 0 || errno == EEXIST);
  free(z);
  return bOk;
}

bool filestore_is_name(const char *z) {
  size_t n = 0;
  for (; z[n]; n++) {
    if (!((z[n] >= '0' && z[n] <= '9') || (z[n] >= 'a' && z[n] <= 'f'))) {
      return false;
    }
  }
  return n == 64;
}

void filestore_path(const char *zDir, const char *zSha256, Buf *pOut) {
  buf_appendf(pOut, "%s/%.2s/%s", zDir, zSha256, zSha256);
}

/* A file being stored: the temporary file and the running hash. */
typedef struct Upload {
  Buf tmpName;                   /* the temporary file's path */
  int fd;                        /* open on it, -1 when closed */
  crypto_hash_sha256_state hash; /* over everything written */
  int64_t nSize;                 /* bytes written */
} Upload;

/* Open the temporary file in zDir. */
static bool upload_open(Upload *u, const char *zDir, char **pzErr) {
  memset(u, 0, sizeof *u);
  u->fd = -1;
  if (sodium_init() < 0) {
    app_fatal("no se pudo iniciar libsodium");
  }
  if (!filestore_make_dirs(zDir)) {
    *pzErr = xasprintf("no se puede crear la carpeta «%s»: %s", zDir, os_error(errno));
    return false;
  }
  buf_appendf(&u->tmpName, "%s/.subida-XXXXXX", zDir);
  u->fd = mkstemp(u->tmpName.z);
  if (u->fd < 0) {
    *pzErr = xasprintf("no se puede escribir en «%s»: %s", zDir, os_error(errno));
    buf_reset(&u->tmpName);
    return false;
  }
  crypto_hash_sha256_init(&u->hash);
  return true;
}

/* Write n bytes; false (errno set) on failure. */
static bool upload_write(Upload *u, const void *p, size_t n) {
  crypto_hash_sha256_update(&u->hash, p, n);
  u->nSize += (int64_t)n;
  for (size_t nDone = 0; nDone < n;) {
    ssize_t nw = write(u->fd, (const char *)p + nDone, n - nDone);
    if (nw < 0 && errno == EINTR) {
      continue;
    }
    if (nw <= 0) {
      return false;
    }
    nDone += (size_t)nw;
  }
  return true;
}

/* Sync and close the temporary file, rename it to its hash and detect its
** type; bOk false (a failed write) or any failure removes it. */
static bool upload_finish(Upload *u, bool bOk, const char *zDir, StoredFile *pOut,
                          char **pzErr) {
  bOk = bOk && fsync(u->fd) == 0;
  bOk = (close(u->fd) == 0) && bOk;
  u->fd = -1;
  Buf dst = BUF_INIT;
  if (bOk) {
    hash_sha256_final_hex(&u->hash, pOut->zSha256);
    buf_appendf(&dst, "%s/%.2s", zDir, pOut->zSha256);
    bOk = filestore_make_dirs(buf_str(&dst));
    buf_appendf(&dst, "/%s", pOut->zSha256);
    bOk = bOk && rename(buf_str(&u->tmpName), buf_str(&dst)) == 0;
  }
  if (!bOk) {
    *pzErr = xasprintf("no se pudo guardar el archivo en «%s»: %s", zDir, os_error(errno));
    unlink(buf_str(&u->tmpName));
  } else {
    pOut->nSize = u->nSize;
    magic_t m = magic_open(MAGIC_MIME_TYPE);
    const char *zMime = (m && magic_load(m, NULL) == 0) ? magic_file(m, buf_str(&dst)) : NULL;
    pOut->zMime = xstrdup(zMime ? zMime : "application/octet-stream");
    if (m) {
      magic_close(m);
    }
  }
  buf_reset(&u->tmpName);
  buf_reset(&dst);
  return bOk;
}

bool filestore_put_mem(const char *zDir, const void *p, size_t n, StoredFile *pOut,
                       char **pzErr) {
  Upload u;
  memset(pOut, 0, sizeof *pOut);
  if (!upload_open(&u, zDir, pzErr)) {
    return false;
  }
  return upload_finish(&u, upload_write(&u, p, n), zDir, pOut, pzErr);
}

bool filestore_put_file(const char *zDir, const char *zPath, StoredFile *pOut, char **pzErr) {
  memset(pOut, 0, sizeof *pOut);
  FILE *in = fopen(zPath, "rb");
  if (in == NULL) {
    *pzErr = xasprintf("no se puede leer «%s»: %s", zPath, os_error(errno));
    return false;
  }
  Upload u;
  if (!upload_open(&u, zDir, pzErr)) {
    fclose(in);
    return false;
  }
  unsigned char aBuf[65536];
  size_t n;
  bool bOk = true;
  while (bOk && (n = fread(aBuf, 1, sizeof aBuf, in)) > 0) {
    bOk = upload_write(&u, aBuf, n);
  }
  if (ferror(in)) {
    fclose(in);
    upload_finish(&u, false, zDir, pOut, pzErr);
    free(*pzErr);
    *pzErr = xasprintf("no se pudo leer «%s»", zPath);
    return false;
  }
  fclose(in);
  return upload_finish(&u, bOk, zDir, pOut, pzErr);
}

char *filestore_write_temp(const char *zDir, const void *p, size_t n, char **pzErr) {
  Upload u;
  if (!upload_open(&u, zDir, pzErr)) {
    return NULL;
  }
  bool bOk = upload_write(&u, p, n) && fsync(u.fd) == 0;
  bOk = (close(u.fd) == 0) && bOk;
  if (!bOk) {
    *pzErr = xasprintf("no se pudo guardar el archivo en «%s»: %s", zDir, os_error(errno));
    unlink(buf_str(&u.tmpName));
    buf_reset(&u.tmpName);
    return NULL;
  }
  return buf_take(&u.tmpName);
}
