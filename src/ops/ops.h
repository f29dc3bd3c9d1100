/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Operator tools: what the entity's system administrator needs to run
** participa as a service.
**
**   - Backup (backup.c): one tar archive (gzip-compressed when the name ends
**     in .gz or .tgz) holding a consistent snapshot of the database taken
**     with VACUUM INTO while the server may be writing, every file the
**     snapshot references under the data directory (evidence, PQRSD
**     attachments, the entity logo) and, last, a manifest (MANIFIESTO) that
**     lists every other member with its size and SHA-256. The files are
**     copied after the snapshot: they are content-addressed, written before
**     the row that names them commits and never rewritten, so every file the
**     snapshot names is already on disk. A file removed between the
**     snapshot and its copy (a personal-data purge) makes the backup take a
**     new snapshot once; a file still missing is reported and listed in the
**     manifest as missing, and the command exits 1.
**   - Restore (backup.c): into a database path that does not exist (or, told
**     so explicitly, over one no server is using), every member checked
**     against the manifest (changed, missing or extra members, unsafe names,
**     links and other non-regular entries refused), staged beside the
**     targets and moved into place only when all of it checked out.
**   - Health (health.c, health_web.c): GET /salud for monitors.
**   - The single-instance lock of `participa serve` (lock.c).
**
** Knows the data directory's layout (io/filestore.h: DIR/ab/abcd…), and which
** columns name stored files (the list in backup.c: a new column that names a
** stored file must be added there). Does not schedule backups (cron or a
** systemd timer does; docs/operacion.md).
*/
#ifndef PARTICIPA_OPS_OPS_H
#define PARTICIPA_OPS_OPS_H

#include <stdbool.h>
#include <stdint.h>

#include "app.h"
#include "base/buf.h"
#include "db/db.h"
#include "web/server.h"

/* ---- backup and restore ------------------------------------------------------------------- */

#define OPS_MANIFEST "MANIFIESTO"     /* the manifest's member name, the archive's last member */
#define OPS_DB_MEMBER "participa.db"  /* the database snapshot's member name */
#define OPS_DATA_PREFIX "datos/"      /* members under the data directory start with this */

/* What a backup wrote. */
typedef struct OpsBackupResult {
  int nFiles;        /* data files archived */
  int64_t nBytes;    /* bytes of all members but the manifest */
  int nMissing;      /* referenced files that were not found (listed in the manifest) */
  int64_t nAudit;    /* change log entries in the snapshot */
  Buf auditHash;     /* the newest entry's hash ("" when the log is empty) */
  Buf problems;      /* one Spanish line per missing or damaged file */
} OpsBackupResult;

/* Write the backup of database db (open; its file is db_filename(db)) and
** of data directory zDataDir to zFile, through a temporary file in the same
** directory renamed over zFile at the end, so zFile is either the previous
** file or a whole archive. Returns false with a Spanish message in *pzErr
** (caller frees) when nothing was written: the snapshot failed (busy,
** disk full), zFile's directory cannot be written, a file cannot be read.
** Missing or damaged data files do not stop the backup: they are counted in
** pRes->nMissing with a line in pRes->problems. pRes is initialised here;
** free it with ops_backup_result_reset(). */
bool ops_backup(Db *db, const char *zDataDir, const char *zFile, OpsBackupResult *pRes,
                char **pzErr);
void ops_backup_result_reset(OpsBackupResult *pRes);

/* Restore the archive zFile to database zDbPath and data directory
** zDataDir. Refuses (false, Spanish message in *pzErr naming the member or
** the path, caller frees; nothing left behind) when: zDbPath exists and not
** bOverwrite; a server holds zDbPath's lock; the archive cannot be read; a
** member is not a regular file, has an unsafe name (absolute, "..", empty
** or dot segments, characters outside [A-Za-z0-9._-]), appears twice, is not
** in the manifest, differs from it in size or SHA-256, or a manifest entry
** has no member; a data file's content does not match its name; the
** database is not a participa database or is newer than this program. On
** success the database and data files are in place (existing data files of
** the same name are replaced; others are kept) and pRes describes the
** archive (its manifest's audit head). */
bool ops_restore(const char *zFile, const char *zDbPath, const char *zDataDir, bool bOverwrite,
                 OpsBackupResult *pRes, char **pzErr);

/* `participa backup ARCHIVO` and `participa restore ARCHIVO [--sobrescribir]`. */
int backup_cmd(App *app, int argc, char **argv);
int restore_cmd(App *app, int argc, char **argv);

/* ---- single-instance lock ------------------------------------------------------------------ */

/* Take the serve lock of database zDbPath: an exclusive flock() on the file
** "<zDbPath>-servidor.lock" (created beside the database, holding the
** process id), kept until the process exits. Returns false with a Spanish
** message in *pzErr (caller frees) when another process holds it (another
** `participa serve` on the same database) or the file cannot be created.
** CLI commands never take it: they work beside the server. */
bool ops_serve_lock(const char *zDbPath, char **pzErr);
/* True when some process holds zDbPath's serve lock (a server is running). */
bool ops_serve_locked(const char *zDbPath);

/* ---- health -------------------------------------------------------------------------------- */

#define OPS_DISK_MIN_DEFAULT 500 /* default of setting SETTING_DISK_MIN_MB, in MB */

/* The state GET /salud reports. */
typedef struct OpsHealth {
  bool bOk;             /* everything below is healthy */
  bool bDbWritable;     /* BEGIN IMMEDIATE + a rolled-back write succeeded */
  int iSchema;          /* PRAGMA user_version, -1 when unreadable */
  int64_t nAudit;       /* change log entries, -1 when unreadable */
  char zAuditHash[65];  /* newest entry's hash, "" when none or unreadable */
  int64_t nDbFreeMb;    /* free MB on the database's filesystem, -1 unknown */
  int64_t nDataFreeMb;  /* free MB on the data directory's filesystem, -1 unknown */
  int nMinFreeMb;       /* the threshold used */
  int64_t nUptimeSec;   /* seconds since the process started, -1 unknown */
  Buf problems;         /* one Spanish reason per line, "" when healthy */
} OpsHealth;

/* Check the database of db (a connection the caller owns, outside a
** transaction; it is left outside one) and the filesystems of zDbPath and
** zDataDir (which need not exist yet: the nearest existing parent is
** measured). nMinFreeMb < 0 reads the threshold from the setting
** SETTING_DISK_MIN_MB. Never ends the program: every failure becomes a reason
** in pOut->problems. Free pOut with ops_health_reset(). */
void ops_health_check(Db *db, const char *zDbPath, const char *zDataDir, int nMinFreeMb,
                      OpsHealth *pOut);
void ops_health_reset(OpsHealth *p);
/* Append the JSON body of GET /salud for h to pOut (no personal data, no
** paths). */
void ops_health_json(const OpsHealth *h, Buf *pOut);

/* GET /salud: public, JSON, "Cache-Control: no-store"; 200 when healthy,
** 503 with the reasons when not. Opens its own short-lived connection
** (busy timeout 1 s) so that a locked database answers quickly. */
void health_page(Request *r);

#endif
