/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The health check behind GET /salud (see ops.h): is the database
** writable (BEGIN IMMEDIATE and an insert, rolled back), how much disk is
** free where the database and the data files live (against the setting
** salud.disco_minimo_mb), the change log's head, the schema version and the
** process uptime. Every database call here uses db_step_rc(), never the
** failing wrappers, so that a broken database becomes a reason in the
** answer instead of ending the server. Reports no personal data and no
** paths.
*/
#include <errno.h>
#include <sqlite3.h> /* result codes of db_step_rc() */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/util.h"
#include "db/setting.h"
#include "io/jsonw.h"
#include "ops/ops.h"

/* Free megabytes on the filesystem of zPath or, when it does not exist, of
** its nearest existing parent; -1 when none can be measured. */
static int64_t free_mb(const char *zPath) {
  char *z = xstrdup(zPath[0] ? zPath : ".");
  int64_t n = -1;
  for (;;) {
    struct statvfs sv;
    if (statvfs(z, &sv) == 0) {
      n = (int64_t)((unsigned long long)sv.f_bavail * sv.f_frsize / (1024 * 1024));
      break;
    }
    if (errno != ENOENT) {
      break;
    }
    char *zSlash = strrchr(z, '/');
    if (zSlash == NULL) {
      if (strcmp(z, ".") == 0) {
        break;
      }
      free(z);
      z = xstrdup("."); /* a relative name: the working directory */
    } else if (zSlash == z) {
      if (z[1] == 0) {
        break;
      }
      z[1] = 0; /* "/" */
    } else {
      *zSlash = 0;
    }
  }
  free(z);
  return n;
}

/* Seconds since this process started (Linux /proc), -1 when unknown. */
static int64_t process_uptime(void) {
  FILE *p = fopen("/proc/uptime", "r");
  double rUp = -1;
  if (p == NULL || fscanf(p, "%lf", &rUp) != 1) {
    if (p) {
      fclose(p);
    }
    return -1;
  }
  fclose(p);
  p = fopen("/proc/self/stat", "r");
  if (p == NULL) {
    return -1;
  }
  char aBuf[1024];
  size_t n = fread(aBuf, 1, sizeof aBuf - 1, p);
  fclose(p);
  aBuf[n] = 0;
  /* field 22 (starttime, in clock ticks since boot) counts from after the
  ** command name, which is in parentheses and may hold spaces */
  char *z = strrchr(aBuf, ')');
  if (z == NULL) {
    return -1;
  }
  z++;
  for (int iField = 2; iField < 22 && z; iField++) {
    z = strchr(z + 1, ' ');
  }
  long nTick = sysconf(_SC_CLK_TCK);
  if (z == NULL || nTick <= 0) {
    return -1;
  }
  double rStart = strtod(z, NULL) / (double)nTick;
  return rUp >= rStart ? (int64_t)(rUp - rStart) : 0;
}

/* Run zSql (no parameters, no rows expected); the SQLite result code. */
static int run_rc(Db *db, const char *zSql) {
  Stmt *s = db_prepare(db, zSql);
  int rc = db_step_rc(s);
  db_finalize(s);
  return rc;
}

/* The write check: BEGIN IMMEDIATE, an insert into setting, ROLLBACK. */
static void check_write(Db *db, OpsHealth *p) {
  if (run_rc(db, "BEGIN IMMEDIATE") != SQLITE_DONE) {
    buf_appendf(&p->problems, "la base de datos no acepta escrituras: %s\n", db_errmsg(db));
    return;
  }
  Stmt *s = db_prepare(db, "INSERT OR REPLACE INTO setting(key, value) VALUES (:key, :value)");
  db_bind_text(s, ":key", SETTING_HEALTH_PROBE);
  db_bind_text(s, ":value", "1");
  int rc = db_step_rc(s);
  if (rc != SQLITE_DONE) {
    buf_appendf(&p->problems, "la base de datos no acepta escrituras: %s\n", db_errmsg(db));
  } else {
    p->bDbWritable = true;
  }
  db_finalize(s);
  run_rc(db, "ROLLBACK");
}

/* The reads: schema version, change log head, the disk threshold setting. */
static void check_reads(Db *db, int *pnMinFreeMb, OpsHealth *p) {
  Stmt *s = db_prepare(db, "PRAGMA user_version");
  if (db_step_rc(s) == SQLITE_ROW) {
    p->iSchema = (int)db_col_int(s, 0);
  }
  db_finalize(s);
  s = db_prepare(db, "SELECT count, last_hash FROM audit_head WHERE id = 1");
  if (db_step_rc(s) == SQLITE_ROW) {
    p->nAudit = db_col_int(s, 0);
    snprintf(p->zAuditHash, sizeof p->zAuditHash, "%s", p->nAudit > 0 ? db_col_text(s, 1) : "");
  } else {
    buf_appendf(&p->problems, "no se puede leer el registro de cambios: %s\n", db_errmsg(db));
  }
  db_finalize(s);
  if (*pnMinFreeMb < 0) {
    *pnMinFreeMb = OPS_DISK_MIN_DEFAULT;
    s = db_prepare(db, "SELECT value FROM setting WHERE key = :key");
    db_bind_text(s, ":key", SETTING_DISK_MIN_MB);
    if (db_step_rc(s) == SQLITE_ROW) {
      char *zEnd = NULL;
      long n = strtol(db_col_text(s, 0), &zEnd, 10);
      if (zEnd && *zEnd == 0 && n >= 0 && n <= 1000000000) {
        *pnMinFreeMb = (int)n;
      }
    }
    db_finalize(s);
  }
}

void ops_health_check(Db *db, const char *zDbPath, const char *zDataDir, int nMinFreeMb,
                      OpsHealth *pOut) {
  memset(pOut, 0, sizeof *pOut);
  pOut->iSchema = -1;
  pOut->nAudit = -1;
  if (db == NULL) {
    buf_puts(&pOut->problems, "la base de datos no se puede abrir\n");
    if (nMinFreeMb < 0) {
      nMinFreeMb = OPS_DISK_MIN_DEFAULT;
    }
  } else {
    check_write(db, pOut);
    check_reads(db, &nMinFreeMb, pOut);
    if (pOut->iSchema >= 0 && pOut->iSchema != db_schema_version()) {
      buf_appendf(&pOut->problems, "la base de datos tiene el esquema %d y este programa el %d\n",
                  pOut->iSchema, db_schema_version());
    }
  }
  pOut->nMinFreeMb = nMinFreeMb;
  char *zDbDir = NULL;
  const char *zSlash = strrchr(zDbPath, '/');
  zDbDir = zSlash ? xstrndup(zDbPath, zSlash == zDbPath ? 1 : (size_t)(zSlash - zDbPath))
                  : xstrdup(".");
  pOut->nDbFreeMb = free_mb(zDbDir);
  free(zDbDir);
  pOut->nDataFreeMb = free_mb(zDataDir);
  if (pOut->nDbFreeMb < 0) {
    buf_puts(&pOut->problems, "no se puede medir el espacio libre de la base de datos\n");
  } else if (pOut->nDbFreeMb < nMinFreeMb) {
    buf_appendf(&pOut->problems,
                "queda poco disco para la base de datos: %lld MB libres, mínimo %d MB\n",
                (long long)pOut->nDbFreeMb, nMinFreeMb);
  }
  if (pOut->nDataFreeMb < 0) {
    buf_puts(&pOut->problems, "no se puede medir el espacio libre de la carpeta de datos\n");
  } else if (pOut->nDataFreeMb < nMinFreeMb) {
    buf_appendf(&pOut->problems,
                "queda poco disco para la carpeta de datos: %lld MB libres, mínimo %d MB\n",
                (long long)pOut->nDataFreeMb, nMinFreeMb);
  }
  pOut->nUptimeSec = process_uptime();
  pOut->bOk = pOut->problems.n == 0;
}

void ops_health_reset(OpsHealth *p) {
  buf_reset(&p->problems);
  memset(p, 0, sizeof *p);
}

/* Write v, or null when negative (unknown). */
static void json_count(JsonW *w, int64_t v) {
  if (v < 0) {
    jsonw_null(w);
  } else {
    jsonw_int(w, (long long)v);
  }
}

void ops_health_json(const OpsHealth *h, Buf *pOut) {
  JsonW w;
  jsonw_init(&w, pOut);
  jsonw_object_begin(&w);
  jsonw_key(&w, "estado");
  jsonw_string(&w, h->bOk ? "ok" : "falla");
  jsonw_key(&w, "problemas");
  jsonw_array_begin(&w);
  const char *z = buf_str(&h->problems);
  while (*z) {
    const char *zEnd = strchr(z, '\n');
    size_t n = zEnd ? (size_t)(zEnd - z) : strlen(z);
    char *zLine = xstrndup(z, n);
    jsonw_string(&w, zLine);
    free(zLine);
    z += n + (zEnd ? 1 : 0);
  }
  jsonw_array_end(&w);
  jsonw_key(&w, "base_de_datos");
  jsonw_object_begin(&w);
  jsonw_key(&w, "escritura");
  jsonw_bool(&w, h->bDbWritable);
  jsonw_key(&w, "esquema");
  json_count(&w, h->iSchema);
  jsonw_key(&w, "esquema_programa");
  jsonw_int(&w, db_schema_version());
  jsonw_object_end(&w);
  jsonw_key(&w, "registro_de_cambios");
  jsonw_object_begin(&w);
  jsonw_key(&w, "entradas");
  json_count(&w, h->nAudit);
  jsonw_key(&w, "huella");
  jsonw_string(&w, h->nAudit >= 0 ? h->zAuditHash : NULL);
  jsonw_object_end(&w);
  jsonw_key(&w, "disco");
  jsonw_object_begin(&w);
  jsonw_key(&w, "minimo_mb");
  jsonw_int(&w, h->nMinFreeMb);
  jsonw_key(&w, "base_de_datos_libre_mb");
  json_count(&w, h->nDbFreeMb);
  jsonw_key(&w, "datos_libre_mb");
  json_count(&w, h->nDataFreeMb);
  jsonw_object_end(&w);
  jsonw_key(&w, "tiempo_activo_s");
  json_count(&w, h->nUptimeSec);
  jsonw_key(&w, "hora");
  Buf now = BUF_INIT;
  clock_now_iso(&now);
  jsonw_string(&w, buf_str(&now));
  buf_reset(&now);
  jsonw_object_end(&w);
  buf_putc(pOut, '\n');
}
