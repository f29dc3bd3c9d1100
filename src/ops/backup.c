/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Backup and restore (see ops.h for what they guarantee). The archive is a
** POSIX (pax) tar written and read with libarchive:
**
**   participa.db                     the snapshot (VACUUM INTO)
**   datos/evidencias/ab/abcd…        progress evidence
**   datos/pqrsd/ab/abcd…             PQRSD attachments and answers' files
**   datos/logo                       the entity logo, when there is one
**   MANIFIESTO                       "# " header lines, then "SHA256 SIZE NAME"
**
** The manifest's header says what was saved: "# participa respaldo 1",
** "# creado ISO-TIME", "# esquema N", "# registro N HASH" (the change log's
** head in the snapshot) and one "# falta NAME" per referenced file that was
** not found. The members are checked with `sha256sum`-like tools too
** (docs/operacion.md).
*/
#define _XOPEN_SOURCE 700 /* nftw() */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sodium.h>
#include <sqlite3.h> /* result codes of db_step_rc() */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "base/hash.h"
#include "base/util.h"
#include "io/filestore.h"
#include "ops/ops.h"

#define CHUNK ((size_t)64 * 1024)              /* read/write unit */
#define MANIFEST_MAX ((int64_t)64 * 1024 * 1024) /* a larger manifest is refused */

/* The columns that name stored files, with the data directory subfolder the
** files live in (content-addressed, io/filestore.h). Each query returns
** distinct hashes in order. A new column naming a stored file goes here. */
static const struct {
  const char *zSql; /* SELECT of the hashes */
  const char *zDir; /* subfolder of the data directory */
} aFileRef[] = {
    {"SELECT DISTINCT sha256 FROM evidence WHERE kind = 'archivo' AND sha256 IS NOT NULL "
     "ORDER BY 1",
     "evidencias"},
    {"SELECT file_sha256 FROM pqrsd WHERE file_sha256 IS NOT NULL UNION "
     "SELECT answer_file_sha256 FROM pqrsd WHERE answer_file_sha256 IS NOT NULL ORDER BY 1",
     "pqrsd"},
};

/* Files the entity keeps under fixed names in the data directory. */
static const char *const azFixedFile[] = {"logo"};

/* One data file to archive. */
typedef struct DataFile {
  char *zMember; /* "datos/evidencias/ab/abcd…" (owned) */
  char *zPath;   /* where it is on disk (owned) */
  char zSha[65]; /* the hash its name promises, "" for fixed names */
} DataFile;

/* A list of data files. */
typedef struct DataList {
  DataFile *a; /* entries (owned) */
  int n;       /* used */
  int nAlloc;  /* allocated */
} DataList;

/* Free the entries of p and empty it. */
static void data_list_reset(DataList *p) {
  for (int i = 0; i < p->n; i++) {
    free(p->a[i].zMember);
    free(p->a[i].zPath);
  }
  free(p->a);
  memset(p, 0, sizeof *p);
}

/* Append a file (the strings are copied). */
static void data_list_add(DataList *p, const char *zMember, const char *zPath, const char *zSha) {
  if (p->n == p->nAlloc) {
    p->nAlloc = p->nAlloc ? 2 * p->nAlloc : 64;
    p->a = xrealloc(p->a, (size_t)p->nAlloc * sizeof p->a[0]);
  }
  DataFile *f = &p->a[p->n++];
  f->zMember = xstrdup(zMember);
  f->zPath = xstrdup(zPath);
  snprintf(f->zSha, sizeof f->zSha, "%s", zSha ? zSha : "");
}

void ops_backup_result_reset(OpsBackupResult *pRes) {
  buf_reset(&pRes->auditHash);
  buf_reset(&pRes->problems);
  memset(pRes, 0, sizeof *pRes);
}

/* nftw callback removing each entry (depth first). */
static int remove_entry(const char *zPath, const struct stat *pSt, int iFlag, struct FTW *pFtw) {
  (void)pSt;
  (void)pFtw;
  return iFlag == FTW_DP ? rmdir(zPath) : unlink(zPath);
}

/* Remove directory zDir and everything in it (links are removed, never
** followed). Missing zDir is fine. */
static void remove_tree(const char *zDir) {
  nftw(zDir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* The directory part of zPath ("." when none). Caller frees. */
static char *dir_of_dup(const char *zPath) {
  const char *zSlash = strrchr(zPath, '/');
  if (zSlash == NULL) {
    return xstrdup(".");
  }
  if (zSlash == zPath) {
    return xstrdup("/");
  }
  return xstrndup(zPath, (size_t)(zSlash - zPath));
}

/* Sync directory zDir so that a rename in it is durable (best effort). */
static void sync_dir(const char *zDir) {
  int fd = open(zDir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    fsync(fd);
    close(fd);
  }
}

/* ---- backup -------------------------------------------------------------------------------- */

/* Take the snapshot of db into zDest (which must not exist). False with a
** message in *pzErr (caller frees). */
static bool snapshot(Db *db, const char *zDest, char **pzErr) {
  Stmt *s = db_prepare(db, "VACUUM INTO :dest");
  db_bind_text(s, ":dest", zDest);
  int rc = db_step_rc(s);
  bool bOk = rc == SQLITE_DONE;
  if (!bOk) {
    *pzErr = xasprintf("no se pudo tomar la copia de la base de datos: %s", db_errmsg(db));
  }
  db_finalize(s);
  return bOk;
}

/* Read from the snapshot zSnap the data files it references (into pList),
** its schema version and its change log head (into pRes). False with a
** message when the snapshot cannot be opened. */
static bool snapshot_files(const char *zSnap, const char *zDataDir, DataList *pList, int *piSchema,
                           OpsBackupResult *pRes, char **pzErr) {
  Db *db = db_open(zSnap, 0, pzErr);
  if (db == NULL) {
    return false;
  }
  *piSchema = db_user_version(db);
  db_begin_read(db);
  for (size_t i = 0; i < sizeof aFileRef / sizeof aFileRef[0]; i++) {
    Stmt *s = db_prepare(db, aFileRef[i].zSql);
    while (db_step(s)) {
      const char *zSha = db_col_text(s, 0);
      if (!filestore_is_name(zSha)) {
        buf_appendf(&pRes->problems, "la base de datos nombra un archivo con una huella inválida "
                                     "en %s: «%.80s»\n",
                    aFileRef[i].zDir, zSha);
        continue;
      }
      char *zMember = xasprintf("%s%s/%.2s/%s", OPS_DATA_PREFIX, aFileRef[i].zDir, zSha, zSha);
      char *zPath = xasprintf("%s/%s/%.2s/%s", zDataDir, aFileRef[i].zDir, zSha, zSha);
      data_list_add(pList, zMember, zPath, zSha);
      free(zMember);
      free(zPath);
    }
    db_finalize(s);
  }
  buf_clear(&pRes->auditHash);
  pRes->nAudit = audit_last(db, &pRes->auditHash);
  db_commit(db);
  db_close(db);
  for (size_t i = 0; i < sizeof azFixedFile / sizeof azFixedFile[0]; i++) {
    char *zPath = xasprintf("%s/%s", zDataDir, azFixedFile[i]);
    if (access(zPath, F_OK) == 0) {
      char *zMember = xasprintf("%s%s", OPS_DATA_PREFIX, azFixedFile[i]);
      data_list_add(pList, zMember, zPath, NULL);
      free(zMember);
    }
    free(zPath);
  }
  return true;
}

/* Write one member zName to a from the open file fd of nSize bytes,
** hashing what is written into zSha. False with a message in *pzErr. */
static bool write_member_fd(struct archive *a, const char *zName, int fd, int64_t nSize,
                            char zSha[65], char **pzErr) {
  struct archive_entry *e = archive_entry_new();
  archive_entry_set_pathname(e, zName);
  archive_entry_set_size(e, nSize);
  archive_entry_set_filetype(e, AE_IFREG);
  archive_entry_set_perm(e, 0640);
  archive_entry_set_mtime(e, (time_t)clock_now_unix(), 0);
  bool bOk = archive_write_header(a, e) == ARCHIVE_OK;
  archive_entry_free(e);
  if (!bOk) {
    *pzErr = xasprintf("no se pudo escribir el respaldo: %s", archive_error_string(a));
    return false;
  }
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  char *pBuf = xmalloc(CHUNK);
  int64_t nDone = 0;
  while (nDone < nSize) {
    ssize_t n = read(fd, pBuf, CHUNK);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      *pzErr = xasprintf("no se pudo leer «%s» para el respaldo: %s", zName,
                         n < 0 ? os_error(errno) : "el archivo se acortó mientras se copiaba");
      free(pBuf);
      return false;
    }
    if (nDone + n > nSize) {
      n = (ssize_t)(nSize - nDone); /* grew while copied: the stat size is what the header says */
    }
    crypto_hash_sha256_update(&st, (const unsigned char *)pBuf, (unsigned long long)n);
    if (archive_write_data(a, pBuf, (size_t)n) != n) {
      *pzErr = xasprintf("no se pudo escribir el respaldo: %s", archive_error_string(a));
      free(pBuf);
      return false;
    }
    nDone += n;
  }
  free(pBuf);
  hash_sha256_final_hex(&st, zSha);
  return true;
}

/* Archive the file zPath as member zName and add its manifest line to
** pManifest. Returns 1 when written, 0 when zPath does not exist, -1 with a
** message in *pzErr on any other failure. */
static int write_member_file(struct archive *a, const char *zName, const char *zPath,
                             Buf *pManifest, char zSha[65], int64_t *pnSize, char **pzErr) {
  int fd = open(zPath, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno == ENOENT) {
      return 0;
    }
    *pzErr = xasprintf("no se pudo leer «%s» para el respaldo: %s", zPath, os_error(errno));
    return -1;
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    *pzErr = xasprintf("«%s» no es un archivo regular; no se puede respaldar", zPath);
    close(fd);
    return -1;
  }
  bool bOk = write_member_fd(a, zName, fd, (int64_t)st.st_size, zSha, pzErr);
  close(fd);
  if (!bOk) {
    return -1;
  }
  buf_appendf(pManifest, "%s %lld %s\n", zSha, (long long)st.st_size, zName);
  *pnSize = (int64_t)st.st_size;
  return 1;
}

/* True when zFile's name asks for gzip compression (".gz", ".tgz"). */
static bool wants_gzip(const char *zFile) {
  size_t n = strlen(zFile);
  return (n > 3 && strcmp(zFile + n - 3, ".gz") == 0) ||
         (n > 4 && strcmp(zFile + n - 4, ".tgz") == 0);
}

/* Count the data files of pList that are missing on disk. */
static int count_missing(const DataList *pList) {
  int n = 0;
  for (int i = 0; i < pList->n; i++) {
    if (access(pList->a[i].zPath, F_OK) != 0) {
      n++;
    }
  }
  return n;
}

bool ops_backup(Db *db, const char *zDataDir, const char *zFile, OpsBackupResult *pRes,
                char **pzErr) {
  memset(pRes, 0, sizeof *pRes);
  *pzErr = NULL;
  char *zOutDir = dir_of_dup(zFile);
  char *zWork = xasprintf("%s/.participa-respaldo-XXXXXX", zOutDir);
  if (mkdtemp(zWork) == NULL) {
    *pzErr = xasprintf("no se puede escribir en la carpeta «%s»: %s", zOutDir, os_error(errno));
    free(zWork);
    free(zOutDir);
    return false;
  }
  char *zSnap = xasprintf("%s/%s", zWork, OPS_DB_MEMBER);
  char *zTmp = xasprintf("%s/.participa-respaldo-XXXXXX", zOutDir);
  int fdOut = -1;
  struct archive *a = NULL;
  DataList list = {0};
  Buf manifest = BUF_INIT, body = BUF_INIT;
  int iSchema = 0;
  bool bOk = false;

  /* the snapshot, and the files it names; a file removed since (a purge)
  ** gets a second, newer snapshot */
  for (int iTry = 0; iTry < 2; iTry++) {
    data_list_reset(&list);
    buf_clear(&pRes->problems);
    unlink(zSnap);
    if (!snapshot(db, zSnap, pzErr) ||
        !snapshot_files(zSnap, zDataDir, &list, &iSchema, pRes, pzErr)) {
      goto done;
    }
    if (count_missing(&list) == 0) {
      break;
    }
  }

  fdOut = mkstemp(zTmp);
  if (fdOut < 0) {
    *pzErr = xasprintf("no se puede escribir en la carpeta «%s»: %s", zOutDir, os_error(errno));
    goto done;
  }
  fchmod(fdOut, 0640);
  a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  if (wants_gzip(zFile)) {
    archive_write_add_filter_gzip(a);
  }
  archive_write_set_bytes_in_last_block(a, 1);
  if (archive_write_open_fd(a, fdOut) != ARCHIVE_OK) {
    *pzErr = xasprintf("no se pudo escribir el respaldo: %s", archive_error_string(a));
    goto done;
  }
  char zSha[65];
  int64_t nSize = 0;
  int rc = write_member_file(a, OPS_DB_MEMBER, zSnap, &body, zSha, &nSize, pzErr);
  if (rc <= 0) {
    if (rc == 0) {
      *pzErr = xstrdup("la copia de la base de datos desapareció antes de archivarla");
    }
    goto done;
  }
  pRes->nBytes += nSize;
  for (int i = 0; i < list.n; i++) {
    const DataFile *f = &list.a[i];
    rc = write_member_file(a, f->zMember, f->zPath, &body, zSha, &nSize, pzErr);
    if (rc < 0) {
      goto done;
    }
    if (rc == 0) {
      pRes->nMissing++;
      buf_appendf(&pRes->problems, "falta el archivo %s, que la base de datos nombra\n",
                  f->zMember + strlen(OPS_DATA_PREFIX));
      buf_appendf(&manifest, "# falta %s\n", f->zMember);
      continue;
    }
    if (f->zSha[0] && strcmp(f->zSha, zSha) != 0) {
      pRes->nMissing++;
      buf_appendf(&pRes->problems,
                  "el archivo %s está dañado: su contenido no coincide con su nombre\n",
                  f->zMember + strlen(OPS_DATA_PREFIX));
    }
    pRes->nFiles++;
    pRes->nBytes += nSize;
  }

  /* the manifest: the header, then every member */
  Buf head = BUF_INIT;
  buf_puts(&head, "# participa respaldo 1\n# creado ");
  clock_now_iso(&head);
  buf_appendf(&head, "\n# esquema %d\n# registro %lld %s\n", iSchema, (long long)pRes->nAudit,
              pRes->nAudit > 0 ? buf_str(&pRes->auditHash) : "-");
  buf_append(&head, buf_str(&manifest), manifest.n);
  buf_append(&head, buf_str(&body), body.n);
  struct archive_entry *e = archive_entry_new();
  archive_entry_set_pathname(e, OPS_MANIFEST);
  archive_entry_set_size(e, (la_int64_t)head.n);
  archive_entry_set_filetype(e, AE_IFREG);
  archive_entry_set_perm(e, 0640);
  archive_entry_set_mtime(e, (time_t)clock_now_unix(), 0);
  bool bHead = archive_write_header(a, e) == ARCHIVE_OK &&
               archive_write_data(a, buf_str(&head), head.n) == (la_ssize_t)head.n;
  archive_entry_free(e);
  buf_reset(&head);
  if (!bHead || archive_write_close(a) != ARCHIVE_OK) {
    *pzErr = xasprintf("no se pudo escribir el respaldo: %s", archive_error_string(a));
    goto done;
  }
  if (fsync(fdOut) != 0 || close(fdOut) != 0) {
    fdOut = -1;
    *pzErr = xasprintf("no se pudo escribir el respaldo en «%s»: %s", zFile, os_error(errno));
    goto done;
  }
  fdOut = -1;
  if (rename(zTmp, zFile) != 0) {
    *pzErr = xasprintf("no se pudo escribir el respaldo en «%s»: %s", zFile, os_error(errno));
    goto done;
  }
  sync_dir(zOutDir);
  bOk = true;

done:
  if (a) {
    archive_write_free(a);
  }
  if (fdOut >= 0) {
    close(fdOut);
  }
  if (!bOk) {
    unlink(zTmp);
  }
  remove_tree(zWork);
  data_list_reset(&list);
  buf_reset(&manifest);
  buf_reset(&body);
  free(zSnap);
  free(zTmp);
  free(zWork);
  free(zOutDir);
  return bOk;
}

/* ---- restore ------------------------------------------------------------------------------- */

/* One member read from the archive. */
typedef struct Member {
  char *zName;    /* member name (owned) */
  int64_t nSize;  /* bytes */
  char zSha[65];  /* SHA-256 of its content */
  bool bListed;   /* found in the manifest */
} Member;

/* What a restore has staged so far. */
typedef struct Stage {
  Member *a;        /* members read (owned) */
  int n;            /* used */
  int nAlloc;       /* allocated */
  char *zDbStage;   /* staging directory beside the database (owned), NULL when none */
  char *zDataStage; /* staging directory inside the data directory (owned), NULL when none */
  bool bMadeData;   /* the data directory was created by this restore */
  Buf manifest;     /* the manifest's text */
  bool bManifest;   /* the manifest was seen */
} Stage;

/* True when zName is a member name a restore may write: the manifest, the
** database, or "datos/" followed by segments of [A-Za-z0-9._-] that are
** not empty and do not start with a dot (so no "..", no hidden staging
** names); at most 400 bytes. */
static bool member_name_ok(const char *zName) {
  if (strcmp(zName, OPS_MANIFEST) == 0 || strcmp(zName, OPS_DB_MEMBER) == 0) {
    return true;
  }
  size_t nPrefix = strlen(OPS_DATA_PREFIX);
  if (strncmp(zName, OPS_DATA_PREFIX, nPrefix) != 0 || strlen(zName) > 400) {
    return false;
  }
  const char *z = zName + nPrefix;
  bool bSegStart = true;
  for (; *z; z++) {
    char c = *z;
    if (c == '/') {
      if (bSegStart) {
        return false; /* empty segment */
      }
      bSegStart = true;
      continue;
    }
    if (bSegStart && c == '.') {
      return false;
    }
    bSegStart = false;
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
          c == '.' || c == '_' || c == '-')) {
      return false;
    }
  }
  return !bSegStart;
}

/* The staged path of member zName. Caller frees. */
static char *staged_path_dup(const Stage *st, const char *zName) {
  if (strcmp(zName, OPS_DB_MEMBER) == 0) {
    return xasprintf("%s/%s", st->zDbStage, OPS_DB_MEMBER);
  }
  return xasprintf("%s/%s", st->zDataStage, zName + strlen(OPS_DATA_PREFIX));
}

/* Create the parent directories of zPath. */
static bool make_parents(const char *zPath) {
  char *zDir = dir_of_dup(zPath);
  bool bOk = filestore_make_dirs(zDir);
  free(zDir);
  return bOk;
}

/* Read the current member's data from a into the new file zPath (or, for
** the manifest, into st->manifest), hashing it into pM. False with a
** message in *pzErr. */
static bool read_member(struct archive *a, Stage *st, Member *pM, const char *zPath,
                        char **pzErr) {
  int fd = -1;
  if (zPath) {
    if (!make_parents(zPath) ||
        (fd = open(zPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0640)) < 0) {
      *pzErr = xasprintf("no se pudo escribir «%s»: %s", zPath, os_error(errno));
      return false;
    }
  }
  crypto_hash_sha256_state hs;
  crypto_hash_sha256_init(&hs);
  char *pBuf = xmalloc(CHUNK);
  bool bOk = true;
  for (;;) {
    la_ssize_t n = archive_read_data(a, pBuf, CHUNK);
    if (n == 0) {
      break;
    }
    if (n < 0) {
      *pzErr = xasprintf("el respaldo está dañado en «%s»: %s", pM->zName,
                         archive_error_string(a));
      bOk = false;
      break;
    }
    crypto_hash_sha256_update(&hs, (const unsigned char *)pBuf, (unsigned long long)n);
    pM->nSize += n;
    if (fd >= 0) {
      for (la_ssize_t nDone = 0; nDone < n;) {
        ssize_t w = write(fd, pBuf + nDone, (size_t)(n - nDone));
        if (w < 0 && errno == EINTR) {
          continue;
        }
        if (w <= 0) {
          *pzErr = xasprintf("no se pudo escribir «%s»: %s", zPath, os_error(errno));
          bOk = false;
          break;
        }
        nDone += w;
      }
      if (!bOk) {
        break;
      }
    } else if (pM->nSize > MANIFEST_MAX) {
      *pzErr = xasprintf("el %s del respaldo es demasiado grande", OPS_MANIFEST);
      bOk = false;
      break;
    } else {
      buf_append(&st->manifest, pBuf, (size_t)n);
    }
  }
  free(pBuf);
  if (fd >= 0) {
    if (bOk && fsync(fd) != 0) {
      *pzErr = xasprintf("no se pudo escribir «%s»: %s", zPath, os_error(errno));
      bOk = false;
    }
    close(fd);
  }
  hash_sha256_final_hex(&hs, pM->zSha);
  return bOk;
}

/* Read every member of archive zFile into the staging directories. */
static bool read_archive(const char *zFile, Stage *st, char **pzErr) {
  struct archive *a = archive_read_new();
  archive_read_support_format_tar(a);
  archive_read_support_filter_gzip(a);
  if (archive_read_open_filename(a, zFile, CHUNK) != ARCHIVE_OK) {
    *pzErr = xasprintf("«%s» no es un respaldo de participa (un archivo tar) o está dañado",
                       zFile);
    archive_read_free(a);
    return false;
  }
  bool bOk = true;
  struct archive_entry *e;
  for (;;) {
    int rc = archive_read_next_header(a, &e);
    if (rc == ARCHIVE_EOF) {
      break;
    }
    if (rc != ARCHIVE_OK) {
      *pzErr = xasprintf("«%s» no es un respaldo de participa o está dañado después del "
                         "miembro %d",
                         zFile, st->n);
      bOk = false;
      break;
    }
    const char *zName = archive_entry_pathname(e);
    if (zName == NULL) {
      zName = "";
    }
    if (archive_entry_filetype(e) != AE_IFREG || archive_entry_hardlink(e) != NULL ||
        archive_entry_symlink(e) != NULL) {
      *pzErr = xasprintf("el respaldo contiene «%.200s», que no es un archivo regular (un enlace "
                         "o una carpeta); no se restaura un respaldo así",
                         zName);
      bOk = false;
      break;
    }
    if (!member_name_ok(zName)) {
      *pzErr = xasprintf("el respaldo contiene una ruta insegura o desconocida: «%.200s»; no se "
                         "restaura un respaldo así",
                         zName);
      bOk = false;
      break;
    }
    for (int i = 0; i < st->n; i++) {
      if (strcmp(st->a[i].zName, zName) == 0) {
        *pzErr = xasprintf("el respaldo contiene «%s» dos veces", zName);
        bOk = false;
        break;
      }
    }
    if (!bOk) {
      break;
    }
    bool bManifest = strcmp(zName, OPS_MANIFEST) == 0;
    Member m = {.zName = xstrdup(zName)};
    char *zPath = bManifest ? NULL : staged_path_dup(st, zName);
    bOk = read_member(a, st, &m, zPath, pzErr);
    free(zPath);
    if (st->n == st->nAlloc) {
      st->nAlloc = st->nAlloc ? 2 * st->nAlloc : 64;
      st->a = xrealloc(st->a, (size_t)st->nAlloc * sizeof st->a[0]);
    }
    st->a[st->n++] = m;
    if (!bOk) {
      break;
    }
    if (bManifest) {
      st->bManifest = true;
    }
  }
  archive_read_free(a);
  return bOk;
}

/* The member named zName (length n), or NULL. */
static Member *member_find(Stage *st, const char *zName, size_t n) {
  for (int i = 0; i < st->n; i++) {
    if (strlen(st->a[i].zName) == n && memcmp(st->a[i].zName, zName, n) == 0) {
      return &st->a[i];
    }
  }
  return NULL;
}

/* Check every member against the manifest and read its header into pRes.
** False with a message naming the first member that differs. */
static bool check_manifest(Stage *st, OpsBackupResult *pRes, char **pzErr) {
  if (!st->bManifest) {
    *pzErr = xasprintf("el respaldo no tiene %s: no es un respaldo de participa o está incompleto",
                       OPS_MANIFEST);
    return false;
  }
  const char *z = buf_str(&st->manifest);
  if (strncmp(z, "# participa respaldo 1\n", 23) != 0) {
    *pzErr = xasprintf("el %s no es de un respaldo de participa que esta versión conozca",
                       OPS_MANIFEST);
    return false;
  }
  int iLine = 0;
  while (*z) {
    iLine++;
    const char *zEnd = strchr(z, '\n');
    size_t nLine = zEnd ? (size_t)(zEnd - z) : strlen(z);
    char *zLine = xstrndup(z, nLine);
    z += nLine + (zEnd ? 1 : 0);
    if (zLine[0] == '#') {
      long long nAudit = 0;
      char zHash[65] = "";
      if (sscanf(zLine, "# registro %lld %64s", &nAudit, zHash) == 2) {
        pRes->nAudit = nAudit;
        buf_clear(&pRes->auditHash);
        buf_puts(&pRes->auditHash, strcmp(zHash, "-") == 0 ? "" : zHash);
      } else if (strncmp(zLine, "# falta ", 8) == 0) {
        pRes->nMissing++;
        buf_appendf(&pRes->problems, "el respaldo no tiene %s: faltaba cuando se hizo\n",
                    zLine + 8);
      }
      free(zLine);
      continue;
    }
    char zSha[65];
    long long nSize = -1;
    int nName = 0;
    if (sscanf(zLine, "%64s %lld %n", zSha, &nSize, &nName) != 2 || nName == 0 ||
        !filestore_is_name(zSha) || nSize < 0) {
      *pzErr = xasprintf("el %s del respaldo está dañado en su línea %d", OPS_MANIFEST, iLine);
      free(zLine);
      return false;
    }
    const char *zName = zLine + nName;
    Member *m = member_find(st, zName, strlen(zName));
    if (m == NULL) {
      *pzErr = xasprintf("falta «%.200s» en el respaldo, aunque el %s lo lista", zName,
                         OPS_MANIFEST);
      free(zLine);
      return false;
    }
    if (m->bListed) {
      *pzErr = xasprintf("el %s lista «%.200s» dos veces", OPS_MANIFEST, zName);
      free(zLine);
      return false;
    }
    if (m->nSize != nSize || strcmp(m->zSha, zSha) != 0) {
      *pzErr = xasprintf("«%.200s» no coincide con el %s (%s distinto): el respaldo fue alterado "
                         "o está dañado",
                         zName, OPS_MANIFEST, m->nSize != nSize ? "tamaño" : "SHA-256");
      free(zLine);
      return false;
    }
    m->bListed = true;
    free(zLine);
  }
  for (int i = 0; i < st->n; i++) {
    Member *m = &st->a[i];
    if (!m->bListed && strcmp(m->zName, OPS_MANIFEST) != 0) {
      *pzErr = xasprintf("el respaldo contiene «%.200s», que el %s no lista: el respaldo fue "
                         "alterado",
                         m->zName, OPS_MANIFEST);
      return false;
    }
    /* a content-addressed file must hold the content its name says */
    const char *zBase = strrchr(m->zName, '/');
    if (zBase && filestore_is_name(zBase + 1) && strcmp(zBase + 1, m->zSha) != 0) {
      *pzErr = xasprintf("el contenido de «%.200s» no coincide con su nombre: el respaldo fue "
                         "alterado",
                         m->zName);
      return false;
    }
  }
  if (member_find(st, OPS_DB_MEMBER, strlen(OPS_DB_MEMBER)) == NULL) {
    *pzErr = xasprintf("el respaldo no contiene la base de datos (%s)", OPS_DB_MEMBER);
    return false;
  }
  return true;
}

/* Open the staged database: it must be a participa database this program
** can read (migrated when older) that passes PRAGMA integrity_check. */
static bool check_database(const Stage *st, char **pzErr) {
  char *zPath = staged_path_dup(st, OPS_DB_MEMBER);
  char *zWhy = NULL;
  Db *db = db_open(zPath, 0, &zWhy);
  free(zPath);
  if (db == NULL) {
    *pzErr = xasprintf("la base de datos del respaldo no se puede abrir: %s", zWhy);
    free(zWhy);
    return false;
  }
  Stmt *s = db_prepare(db, "PRAGMA integrity_check");
  bool bOk = db_step_rc(s) == SQLITE_ROW && strcmp(db_col_text(s, 0), "ok") == 0;
  if (!bOk) {
    *pzErr = xasprintf("la base de datos del respaldo está dañada: %s", db_col_text(s, 0));
  }
  db_finalize(s);
  db_close(db);
  return bOk;
}

/* Move every staged data file to zDataDir, then the database to zDbPath
** (the last step: until it, the old state is whole). */
static bool move_into_place(Stage *st, const char *zDbPath, const char *zDataDir, char **pzErr) {
  for (int i = 0; i < st->n; i++) {
    const char *zName = st->a[i].zName;
    if (strncmp(zName, OPS_DATA_PREFIX, strlen(OPS_DATA_PREFIX)) != 0) {
      continue;
    }
    char *zFrom = staged_path_dup(st, zName);
    char *zTo = xasprintf("%s/%s", zDataDir, zName + strlen(OPS_DATA_PREFIX));
    bool bOk = make_parents(zTo) && rename(zFrom, zTo) == 0;
    if (!bOk) {
      *pzErr = xasprintf("no se pudo poner «%s» en su lugar: %s", zTo, os_error(errno));
    } else {
      char *zDir = dir_of_dup(zTo);
      sync_dir(zDir);
      free(zDir);
    }
    free(zFrom);
    free(zTo);
    if (!bOk) {
      return false;
    }
  }
  /* a replaced database's write-ahead log belongs to the old one */
  char *zWal = xasprintf("%s-wal", zDbPath);
  char *zShm = xasprintf("%s-shm", zDbPath);
  unlink(zWal);
  unlink(zShm);
  free(zWal);
  free(zShm);
  char *zFrom = staged_path_dup(st, OPS_DB_MEMBER);
  bool bOk = rename(zFrom, zDbPath) == 0;
  if (!bOk) {
    *pzErr = xasprintf("no se pudo poner la base de datos en «%s»: %s", zDbPath, os_error(errno));
  } else {
    char *zDir = dir_of_dup(zDbPath);
    sync_dir(zDir);
    free(zDir);
  }
  free(zFrom);
  return bOk;
}

bool ops_restore(const char *zFile, const char *zDbPath, const char *zDataDir, bool bOverwrite,
                 OpsBackupResult *pRes, char **pzErr) {
  memset(pRes, 0, sizeof *pRes);
  *pzErr = NULL;
  if (access(zFile, R_OK) != 0) {
    *pzErr = xasprintf("no se puede leer el respaldo «%s»: %s", zFile, os_error(errno));
    return false;
  }
  if (ops_serve_locked(zDbPath)) {
    *pzErr = xasprintf("un «participa serve» está sirviendo «%s»; deténgalo antes de "
                       "restaurar",
                       zDbPath);
    return false;
  }
  if (!bOverwrite && access(zDbPath, F_OK) == 0) {
    *pzErr = xasprintf("ya existe la base de datos «%s»; restaure en otra ruta (--db) o, para "
                       "reemplazarla, agregue --sobrescribir",
                       zDbPath);
    return false;
  }
  Stage st = {0};
  bool bOk = false;
  char *zDbDir = dir_of_dup(zDbPath);
  struct stat sb;
  if (stat(zDataDir, &sb) != 0) {
    if (!filestore_make_dirs(zDataDir)) {
      *pzErr = xasprintf("no se puede crear la carpeta de datos «%s»: %s", zDataDir,
                         os_error(errno));
      goto done;
    }
    st.bMadeData = true;
  }
  st.zDbStage = xasprintf("%s/.participa-restaurar-XXXXXX", zDbDir);
  if (mkdtemp(st.zDbStage) == NULL) {
    *pzErr = xasprintf("no se puede escribir en la carpeta «%s»: %s", zDbDir, os_error(errno));
    free(st.zDbStage);
    st.zDbStage = NULL;
    goto done;
  }
  st.zDataStage = xasprintf("%s/.participa-restaurar-XXXXXX", zDataDir);
  if (mkdtemp(st.zDataStage) == NULL) {
    *pzErr = xasprintf("no se puede escribir en la carpeta «%s»: %s", zDataDir, os_error(errno));
    free(st.zDataStage);
    st.zDataStage = NULL;
    goto done;
  }
  bOk = read_archive(zFile, &st, pzErr) && check_manifest(&st, pRes, pzErr) &&
        check_database(&st, pzErr);
  if (bOk) {
    for (int i = 0; i < st.n; i++) {
      if (strncmp(st.a[i].zName, OPS_DATA_PREFIX, strlen(OPS_DATA_PREFIX)) == 0) {
        pRes->nFiles++;
      }
      if (strcmp(st.a[i].zName, OPS_MANIFEST) != 0) {
        pRes->nBytes += st.a[i].nSize;
      }
    }
    bOk = move_into_place(&st, zDbPath, zDataDir, pzErr);
  }

done:
  if (st.zDbStage) {
    remove_tree(st.zDbStage);
  }
  if (st.zDataStage) {
    remove_tree(st.zDataStage);
  }
  if (!bOk && st.bMadeData) {
    remove_tree(zDataDir);
  }
  for (int i = 0; i < st.n; i++) {
    free(st.a[i].zName);
  }
  free(st.a);
  free(st.zDbStage);
  free(st.zDataStage);
  buf_reset(&st.manifest);
  free(zDbDir);
  return bOk;
}
