/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Unit tests for src/ops (issue 8, operator tools): backup and restore of
** the database with the files it names (round trip byte for byte; a
** missing file reported and listed), every refusal of a restore (tampered,
** missing and extra members, unsafe names, links, an existing database, a
** running server) leaving nothing behind, the single-instance lock, and
** the health check (healthy, read-only database, disk threshold).
*/
#include <archive.h>
#include <archive_entry.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"
#include "db/db.h"
#include "db/setting.h"
#include "io/filestore.h"
#include "ops/ops.h"

/* A fixture: a database with two evidence files and a PQRSD attachment. */
typedef struct Fix {
  char zDir[64];      /* temporary directory */
  char *zDb;          /* its database */
  char *zDataDir;     /* its data directory */
  Db *db;             /* open connection */
  char zShaA[65];     /* first evidence file */
  char zShaB[65];     /* second evidence file */
  char zShaP[65];     /* the PQRSD attachment */
} Fix;

#define CONTENT_A "contenido de la primera evidencia\n"
#define CONTENT_B "segunda evidencia, otra\n"
#define CONTENT_P "adjunto de la peticion\n"

/* Store n bytes at p in zDataDir/zSub and copy the hash to zSha. */
static void put(const char *zDataDir, const char *zSub, const char *p, char zSha[65]) {
  char *zDir = xasprintf("%s/%s", zDataDir, zSub);
  StoredFile f;
  char *zErr = NULL;
  cr_assert(filestore_put_mem(zDir, p, strlen(p), &f, &zErr), "%s", zErr ? zErr : "");
  memcpy(zSha, f.zSha256, 65);
  free(f.zMime);
  free(zDir);
}

/* Insert an evidence row naming zSha (foreign keys are off on this
** connection: the test needs no plan). */
static void add_evidence(Db *db, int64_t id, const char *zSha) {
  Stmt *s = db_prepare(db, "INSERT INTO evidence(id, progress_id, kind, sha256, name, size, mime, "
                           "created_at) VALUES (:id, 1, 'archivo', :sha, 'acta.pdf', 1, "
                           "'text/plain', '2021-07-15T15:00:00Z')");
  db_bind_int(s, ":id", id);
  db_bind_text(s, ":sha", zSha);
  db_run(s);
  db_finalize(s);
}

static void fix_start(Fix *f) {
  memset(f, 0, sizeof *f);
  setenv("PARTICIPA_NOW", "2021-07-15T15:00:00Z", 1);
  snprintf(f->zDir, sizeof f->zDir, "/tmp/participa-ops-XXXXXX");
  cr_assert_not_null(mkdtemp(f->zDir));
  f->zDb = xasprintf("%s/p.db", f->zDir);
  f->zDataDir = xasprintf("%s/p-datos", f->zDir);
  char *zErr = NULL;
  f->db = db_open(f->zDb, DB_CREATE, &zErr);
  cr_assert_not_null(f->db, "%s", zErr ? zErr : "");
  db_exec(f->db, "PRAGMA foreign_keys=OFF");
  put(f->zDataDir, "evidencias", CONTENT_A, f->zShaA);
  put(f->zDataDir, "evidencias", CONTENT_B, f->zShaB);
  put(f->zDataDir, "pqrsd", CONTENT_P, f->zShaP);
  add_evidence(f->db, 1, f->zShaA);
  add_evidence(f->db, 2, f->zShaB);
  add_evidence(f->db, 3, f->zShaA); /* the same file twice: archived once */
  /* the PQRSD attachment, named by a row the snapshot must keep */
  db_exec(f->db, "CREATE TABLE IF NOT EXISTS ops_probe(x)");
  Stmt *s = db_prepare(
      f->db, "INSERT INTO pqrsd(radicado, year, seq, type, subject, subject_fold, body, anonymous, "
             "reply_channel, code_hash, received_at, received_day, term_start, term_days, "
             "due_day, file_sha256) VALUES ('2021-PQRSD-000001', 2021, 1, 'queja', 'Ruido', "
             "'ruido', 'Ruido en la calle.', 1, 'consulta', 'x', '2021-07-15T15:00:00Z', "
             "'2021-07-15', '2021-07-16', 15, '2021-08-05', :sha)");
  db_bind_text(s, ":sha", f->zShaP);
  db_run(s);
  db_finalize(s);
}

static void fix_stop(Fix *f) {
  db_close(f->db);
  char *zCmd = xasprintf("rm -rf '%s'", f->zDir);
  cr_assert_eq(system(zCmd), 0);
  free(zCmd);
  free(f->zDb);
  free(f->zDataDir);
}

/* The whole content of zPath (caller frees), NULL when unreadable. */
static char *slurp(const char *zPath) {
  FILE *p = fopen(zPath, "rb");
  if (p == NULL) {
    return NULL;
  }
  Buf b = BUF_INIT;
  char a[4096];
  size_t n;
  while ((n = fread(a, 1, sizeof a, p)) > 0) {
    buf_append(&b, a, n);
  }
  fclose(p);
  return buf_take(&b);
}

/* True when zPath exists. */
static bool exists(const char *zPath) {
  return access(zPath, F_OK) == 0;
}

/* Copy archive zIn to zOut, passing every member through: xEdit may change
** the entry and the data (a Buf holding it) or return false to drop the
** member; zAddName/zAddData (when not NULL) add one member at the end,
** zAddLink makes it a symbolic link to that target instead. */
typedef bool (*EditFn)(struct archive_entry *e, Buf *pData);
static void rewrite(const char *zIn, const char *zOut, EditFn xEdit, const char *zAddName,
                    const char *zAddData, const char *zAddLink) {
  struct archive *r = archive_read_new();
  archive_read_support_format_tar(r);
  cr_assert_eq(archive_read_open_filename(r, zIn, 65536), ARCHIVE_OK);
  struct archive *w = archive_write_new();
  archive_write_set_format_pax_restricted(w);
  cr_assert_eq(archive_write_open_filename(w, zOut), ARCHIVE_OK);
  struct archive_entry *e;
  while (archive_read_next_header(r, &e) == ARCHIVE_OK) {
    Buf data = BUF_INIT;
    char a[65536];
    la_ssize_t n;
    while ((n = archive_read_data(r, a, sizeof a)) > 0) {
      buf_append(&data, a, (size_t)n);
    }
    struct archive_entry *pCopy = archive_entry_clone(e);
    if (xEdit == NULL || xEdit(pCopy, &data)) {
      archive_entry_set_size(pCopy, (la_int64_t)data.n);
      cr_assert_eq(archive_write_header(w, pCopy), ARCHIVE_OK);
      archive_write_data(w, buf_str(&data), data.n);
    }
    archive_entry_free(pCopy);
    buf_reset(&data);
  }
  if (zAddName) {
    struct archive_entry *pNew = archive_entry_new();
    archive_entry_set_pathname(pNew, zAddName);
    if (zAddLink) {
      archive_entry_set_filetype(pNew, AE_IFLNK);
      archive_entry_set_symlink(pNew, zAddLink);
      archive_entry_set_size(pNew, 0);
    } else {
      archive_entry_set_filetype(pNew, AE_IFREG);
      archive_entry_set_size(pNew, (la_int64_t)strlen(zAddData));
    }
    archive_entry_set_perm(pNew, 0640);
    cr_assert_eq(archive_write_header(w, pNew), ARCHIVE_OK);
    if (!zAddLink) {
      archive_write_data(w, zAddData, strlen(zAddData));
    }
    archive_entry_free(pNew);
  }
  archive_read_free(r);
  archive_write_close(w);
  archive_write_free(w);
}

/* Restore zArchive into a fresh subfolder of f and expect a refusal whose
** message contains zWant, with nothing left behind. */
static void expect_refused(Fix *f, const char *zArchive, const char *zWant) {
  char *zDb = xasprintf("%s/r/nueva.db", f->zDir);
  char *zData = xasprintf("%s/r/nueva-datos", f->zDir);
  char *zSub = xasprintf("%s/r", f->zDir);
  mkdir(zSub, 0750);
  OpsBackupResult res;
  char *zErr = NULL;
  cr_assert(!ops_restore(zArchive, zDb, zData, false, &res, &zErr), "restored %s", zArchive);
  cr_expect(zErr && strstr(zErr, zWant), "message «%s», expected «%s»", zErr ? zErr : "", zWant);
  cr_expect(!exists(zDb), "a database was left behind");
  cr_expect(!exists(zData), "a data directory was left behind");
  /* nothing at all in the target folder */
  char *zCmd = xasprintf("test -z \"$(ls -A '%s')\"", zSub);
  cr_expect_eq(system(zCmd), 0, "files left in %s", zSub);
  free(zCmd);
  ops_backup_result_reset(&res);
  free(zErr);
  free(zDb);
  free(zData);
  free(zSub);
}

/* Make the backup of f into zDir/r.tar; returns its path (caller frees). */
static char *make_backup(Fix *f, OpsBackupResult *pRes) {
  char *zArchive = xasprintf("%s/r.tar", f->zDir);
  char *zErr = NULL;
  cr_assert(ops_backup(f->db, f->zDataDir, zArchive, pRes, &zErr), "%s", zErr ? zErr : "");
  return zArchive;
}

Test(ops, backup_restore_round_trip) {
  Fix f;
  fix_start(&f);
  OpsBackupResult res;
  char *zArchive = make_backup(&f, &res);
  cr_expect_eq(res.nFiles, 3); /* A, B, the attachment: A once */
  cr_expect_eq(res.nMissing, 0);
  cr_expect_str_eq(buf_str(&res.problems), "");
  ops_backup_result_reset(&res);
  /* nothing temporary is left beside the archive */
  char *zCmd = xasprintf("test \"$(ls -A '%s' | tr '\\n' ' ')\" = 'p-datos p.db p.db-shm p.db-wal "
                         "r.tar '",
                         f.zDir);
  cr_expect_eq(system(zCmd), 0, "temporary files left beside the archive");
  free(zCmd);

  char *zDb = xasprintf("%s/otra/r.db", f.zDir);
  char *zData = xasprintf("%s/otra/datos", f.zDir);
  char *zSub = xasprintf("%s/otra", f.zDir);
  mkdir(zSub, 0750);
  char *zErr = NULL;
  cr_assert(ops_restore(zArchive, zDb, zData, false, &res, &zErr), "%s", zErr ? zErr : "");
  cr_expect_eq(res.nFiles, 3);
  ops_backup_result_reset(&res);
  const struct {
    const char *zSub;
    const char *zSha;
    const char *zContent;
  } aWant[] = {{"evidencias", f.zShaA, CONTENT_A},
               {"evidencias", f.zShaB, CONTENT_B},
               {"pqrsd", f.zShaP, CONTENT_P}};
  for (size_t i = 0; i < 3; i++) {
    char *zPath = xasprintf("%s/%s/%.2s/%s", zData, aWant[i].zSub, aWant[i].zSha, aWant[i].zSha);
    char *z = slurp(zPath);
    cr_expect(z && strcmp(z, aWant[i].zContent) == 0, "%s differs", zPath);
    free(z);
    free(zPath);
  }
  /* the same rows */
  Db *db = db_open(zDb, 0, &zErr);
  cr_assert_not_null(db);
  cr_expect_eq(db_int(db, "SELECT count(*) FROM evidence"), 3);
  cr_expect_eq(db_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'ops_probe'"), 1);
  db_close(db);
  /* no staging directory is left */
  zCmd = xasprintf("test \"$(ls -A '%s' | tr '\\n' ' ')\" = 'datos r.db '", zSub);
  cr_expect_eq(system(zCmd), 0, "staging left in %s", zSub);
  free(zCmd);
  zCmd = xasprintf("test \"$(ls -A '%s' | tr '\\n' ' ')\" = 'evidencias pqrsd '", zData);
  cr_expect_eq(system(zCmd), 0, "staging left in %s", zData);
  free(zCmd);
  /* a second restore onto it is refused; --sobrescribir replaces it */
  cr_expect(!ops_restore(zArchive, zDb, zData, false, &res, &zErr));
  cr_expect(zErr && strstr(zErr, "ya existe la base de datos"), "%s", zErr ? zErr : "");
  ops_backup_result_reset(&res);
  free(zErr);
  zErr = NULL;
  cr_expect(ops_restore(zArchive, zDb, zData, true, &res, &zErr), "%s", zErr ? zErr : "");
  ops_backup_result_reset(&res);
  free(zDb);
  free(zData);
  free(zSub);
  free(zArchive);
  fix_stop(&f);
}

Test(ops, backup_reports_a_missing_file) {
  Fix f;
  fix_start(&f);
  char *zPath = xasprintf("%s/evidencias/%.2s/%s", f.zDataDir, f.zShaB, f.zShaB);
  cr_assert_eq(unlink(zPath), 0);
  OpsBackupResult res;
  char *zArchive = make_backup(&f, &res);
  cr_expect_eq(res.nFiles, 2);
  cr_expect_eq(res.nMissing, 1);
  char *zWant = xasprintf("falta el archivo evidencias/%.2s/%s, que la base de datos nombra\n",
                          f.zShaB, f.zShaB);
  cr_expect_str_eq(buf_str(&res.problems), zWant);
  ops_backup_result_reset(&res);
  /* the restore says so too, and restores the rest */
  char *zDb = xasprintf("%s/r.db", f.zDir);
  char *zData = xasprintf("%s/r-datos", f.zDir);
  char *zErr = NULL;
  cr_assert(ops_restore(zArchive, zDb, zData, false, &res, &zErr), "%s", zErr ? zErr : "");
  cr_expect_eq(res.nMissing, 1);
  cr_expect(strstr(buf_str(&res.problems), "faltaba cuando se hizo"));
  ops_backup_result_reset(&res);
  free(zWant);
  free(zDb);
  free(zData);
  free(zArchive);
  free(zPath);
  fix_stop(&f);
}

/* Edits for rewrite(). */
static bool flip_a_byte(struct archive_entry *e, Buf *pData) {
  if (strncmp(archive_entry_pathname(e), "datos/evidencias/", 17) == 0 && pData->n > 0) {
    pData->z[0] ^= 1;
  }
  return true;
}
static bool drop_pqrsd(struct archive_entry *e, Buf *pData) {
  (void)pData;
  return strncmp(archive_entry_pathname(e), "datos/pqrsd/", 12) != 0;
}
static bool drop_manifest(struct archive_entry *e, Buf *pData) {
  (void)pData;
  return strcmp(archive_entry_pathname(e), "MANIFIESTO") != 0;
}
static bool rename_to_dotdot(struct archive_entry *e, Buf *pData) {
  (void)pData;
  if (strcmp(archive_entry_pathname(e), "participa.db") == 0) {
    archive_entry_set_pathname(e, "datos/../../participa.db");
  }
  return true;
}
static bool rename_to_absolute(struct archive_entry *e, Buf *pData) {
  (void)pData;
  if (strncmp(archive_entry_pathname(e), "datos/pqrsd/", 12) == 0) {
    archive_entry_set_pathname(e, "/tmp/participa-ops-absoluto");
  }
  return true;
}

Test(ops, restore_refuses_bad_archives) {
  Fix f;
  fix_start(&f);
  OpsBackupResult res;
  char *zArchive = make_backup(&f, &res);
  ops_backup_result_reset(&res);
  char *zBad = xasprintf("%s/malo.tar", f.zDir);
  char *zWant;

  rewrite(zArchive, zBad, flip_a_byte, NULL, NULL, NULL);
  expect_refused(&f, zBad, "no coincide con el MANIFIESTO (SHA-256 distinto)");
  const char *zFirst = strcmp(f.zShaA, f.zShaB) < 0 ? f.zShaA : f.zShaB;
  zWant = xasprintf("«datos/evidencias/%.2s/%s»", zFirst, zFirst);
  expect_refused(&f, zBad, zWant);
  free(zWant);

  rewrite(zArchive, zBad, drop_pqrsd, NULL, NULL, NULL);
  zWant = xasprintf("falta «datos/pqrsd/%.2s/%s» en el respaldo", f.zShaP, f.zShaP);
  expect_refused(&f, zBad, zWant);
  free(zWant);

  rewrite(zArchive, zBad, NULL, "datos/otro.txt", "sobra\n", NULL);
  expect_refused(&f, zBad, "el respaldo contiene «datos/otro.txt», que el MANIFIESTO no lista");

  rewrite(zArchive, zBad, drop_manifest, NULL, NULL, NULL);
  expect_refused(&f, zBad, "el respaldo no tiene MANIFIESTO");

  rewrite(zArchive, zBad, rename_to_dotdot, NULL, NULL, NULL);
  expect_refused(&f, zBad, "ruta insegura o desconocida: «datos/../../participa.db»");

  rewrite(zArchive, zBad, rename_to_absolute, NULL, NULL, NULL);
  expect_refused(&f, zBad, "ruta insegura o desconocida: «/tmp/participa-ops-absoluto»");
  cr_expect(!exists("/tmp/participa-ops-absoluto"));

  rewrite(zArchive, zBad, NULL, "datos/enlace", NULL, "/etc/passwd");
  expect_refused(&f, zBad, "«datos/enlace», que no es un archivo regular");

  char *zText = xasprintf("%s/texto.tar", f.zDir);
  FILE *p = fopen(zText, "w");
  fputs("esto no es un tar\n", p);
  fclose(p);
  expect_refused(&f, zText, "no es un respaldo de participa (un archivo tar) o está dañado");
  free(zText);

  free(zBad);
  free(zArchive);
  fix_stop(&f);
}

Test(ops, serve_lock_is_single_instance) {
  Fix f;
  fix_start(&f);
  char *zErr = NULL;
  cr_expect(!ops_serve_locked(f.zDb));
  cr_assert(ops_serve_lock(f.zDb, &zErr), "%s", zErr ? zErr : "");
  cr_expect(ops_serve_locked(f.zDb));
  cr_expect(!ops_serve_lock(f.zDb, &zErr));
  char *zWant = xasprintf("otro «participa serve» (proceso %ld) ya sirve «%s»", (long)getpid(),
                          f.zDb);
  cr_expect(zErr && strstr(zErr, zWant), "%s", zErr ? zErr : "");
  free(zWant);
  free(zErr);
  zErr = NULL;
  /* a restore onto the served database is refused even when told to overwrite */
  OpsBackupResult res;
  char *zArchive = make_backup(&f, &res);
  ops_backup_result_reset(&res);
  cr_expect(!ops_restore(zArchive, f.zDb, f.zDataDir, true, &res, &zErr));
  cr_expect(zErr && strstr(zErr, "deténgalo antes de restaurar"), "%s", zErr ? zErr : "");
  ops_backup_result_reset(&res);
  free(zErr);
  free(zArchive);
  fix_stop(&f);
}

Test(ops, health_of_a_healthy_database) {
  Fix f;
  fix_start(&f);
  OpsHealth h;
  ops_health_check(f.db, f.zDb, f.zDataDir, 1, &h);
  cr_expect(h.bOk, "%s", buf_str(&h.problems));
  cr_expect(h.bDbWritable);
  cr_expect_eq(h.iSchema, db_schema_version());
  cr_expect_eq(h.nAudit, db_int(f.db, "SELECT count(*) FROM change_log"));
  cr_expect_gt(h.nDbFreeMb, 1);
  cr_expect_gt(h.nDataFreeMb, 1);
  cr_expect_eq(h.nMinFreeMb, 1);
  cr_expect_geq(h.nUptimeSec, 0);
  /* the rolled-back probe left nothing */
  cr_expect_eq(db_int(f.db, "SELECT count(*) FROM setting WHERE key = 'salud.prueba'"), 0);
  Buf json = BUF_INIT;
  ops_health_json(&h, &json);
  cr_expect(strstr(buf_str(&json), "\"estado\": \"ok\""), "%s", buf_str(&json));
  cr_expect(strstr(buf_str(&json), "\"escritura\": true"), "%s", buf_str(&json));
  cr_expect(strstr(buf_str(&json), f.zDir) == NULL, "a path in %s", buf_str(&json));
  buf_reset(&json);
  ops_health_reset(&h);
  fix_stop(&f);
}

Test(ops, health_of_a_read_only_database) {
  Fix f;
  fix_start(&f);
  db_exec(f.db, "PRAGMA query_only=ON");
  OpsHealth h;
  ops_health_check(f.db, f.zDb, f.zDataDir, 1, &h);
  cr_expect(!h.bOk);
  cr_expect(!h.bDbWritable);
  cr_expect(strncmp(buf_str(&h.problems), "la base de datos no acepta escrituras: ", 39) == 0, "%s",
            buf_str(&h.problems));
  Buf json = BUF_INIT;
  ops_health_json(&h, &json);
  cr_expect(strstr(buf_str(&json), "\"estado\": \"falla\""), "%s", buf_str(&json));
  buf_reset(&json);
  ops_health_reset(&h);
  db_exec(f.db, "PRAGMA query_only=OFF");
  fix_stop(&f);
}

Test(ops, health_below_the_disk_threshold) {
  Fix f;
  fix_start(&f);
  Stmt *s = db_prepare(f.db, "INSERT INTO setting(key, value) VALUES (:k, '100000000')");
  db_bind_text(s, ":k", SETTING_DISK_MIN_MB);
  db_run(s);
  db_finalize(s);
  OpsHealth h;
  ops_health_check(f.db, f.zDb, f.zDataDir, -1, &h);
  cr_expect(!h.bOk);
  cr_expect(h.bDbWritable);
  cr_expect_eq(h.nMinFreeMb, 100000000);
  char *zWant = xasprintf("queda poco disco para la base de datos: %lld MB libres, mínimo "
                          "100000000 MB\nqueda poco disco para la carpeta de datos: %lld MB "
                          "libres, mínimo 100000000 MB\n",
                          (long long)h.nDbFreeMb, (long long)h.nDataFreeMb);
  cr_expect_str_eq(buf_str(&h.problems), zWant);
  free(zWant);
  ops_health_reset(&h);
  fix_stop(&f);
}
