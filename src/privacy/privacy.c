/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Personal data duties: retention settings, the purge, and the titular's
** requests (privacy.h). The SQL lives with the tables' owners (pqrsd.c,
** retos.c, setting.c); this file decides what is due, holds the
** transaction, writes the log entries and removes the freed files.
*/
#include "privacy/privacy.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "base/date.h"
#include "base/util.h"
#include "calendar/calendar.h"
#include "db/ratelimit.h"
#include "db/setting.h"
#include "retos/retos.h"

/* ---- retention ------------------------------------------------------------------------------ */

static const char *const azKey[PRIV_N_KIND] = {
    SETTING_RETENTION_PQRSD, SETTING_RETENTION_ATTACHMENTS,
    SETTING_RETENTION_PROPOSALS}; /* setting keys, by PrivacyKind */
static const char *const azLabel[PRIV_N_KIND] = {
    "Datos del peticionario y textos de una PQRSD", "Archivos adjuntos de una PQRSD",
    "Datos del autor y texto de una propuesta a un reto"}; /* Spanish names */
static const char *const azStart[PRIV_N_KIND] = {
    "desde la respuesta (o el cierre sin respuesta)",
    "desde la respuesta (o el cierre sin respuesta)",
    "desde el cierre del reto"};                       /* what each period counts from */
static const int aDefault[PRIV_N_KIND] = {60, 60, 24}; /* months (docs/datos-personales.md) */

const char *privacy_setting_key(PrivacyKind e) {
  return azKey[e];
}

const char *privacy_kind_label(PrivacyKind e) {
  return azLabel[e];
}

const char *privacy_kind_start(PrivacyKind e) {
  return azStart[e];
}

int privacy_retention_default(PrivacyKind e) {
  return aDefault[e];
}

int privacy_retention(Db *db, PrivacyKind e) {
  return setting_get_int(db, azKey[e], 0, PRIVACY_MONTHS_MAX, aDefault[e]);
}

bool privacy_retention_set(Db *db, PrivacyKind e, int nMonths, const char *zActor, char **pzErr) {
  if (nMonths < 0 || nMonths > PRIVACY_MONTHS_MAX) {
    *pzErr = xasprintf("%s: el plazo debe ser un número entero de meses entre 0 (conservar hasta "
                       "purgar por fecha) y %d",
                       azLabel[e], PRIVACY_MONTHS_MAX);
    return false;
  }
  db_begin(db);
  int nOld = privacy_retention(db, e);
  if (nOld != nMonths) {
    char zValue[16];
    snprintf(zValue, sizeof zValue, "%d", nMonths);
    setting_set(db, azKey[e], zValue);
    audit_logf(db, zActor, "ajuste", "setting", 0, "%s: %d → %d meses", azKey[e], nOld, nMonths);
    db_commit(db);
  } else {
    db_rollback(db);
  }
  return true;
}

/* ---- purge ---------------------------------------------------------------------------------- */

/* The ISO date nMonths months before day (the day of the month kept, or
** the month's last day when it has fewer), into z (11 bytes). */
static void months_before(Day day, int nMonths, char *z) {
  int y, m, d;
  date_to_ymd(day, &y, &m, &d);
  int iMonth = y * 12 + (m - 1) - nMonths;
  y = iMonth / 12;
  m = iMonth % 12 + 1;
  int nDays = date_days_in_month(y, m);
  snprintf(z, 11, "%04d-%02d-%02d", y, m, d > nDays ? nDays : d);
}

/* Turn SQLite's secure_delete on for db; returns the value it had. */
static int secure_delete_on(Db *db) {
  int iOld = (int)db_int(db, "PRAGMA secure_delete");
  db_int(db, "PRAGMA secure_delete=1");
  return iOld;
}

/* Put secure_delete back to iOld. */
static void secure_delete_restore(Db *db, int iOld) {
  if (iOld == 0) {
    db_int(db, "PRAGMA secure_delete=0");
  }
}

/* Remove the files listed in zFreed (one hex SHA-256 a line) from the
** PQRSD attachments of zDataDir, each only if no PQRSD references it now
** (a filing with the same content may have come since the commit).
** Returns how many were removed (a file already missing is not counted;
** other failures are reported on stderr, and the purge goes on). */
static int files_remove(Db *db, const char *zDataDir, const char *zFreed) {
  int n = 0;
  const char *z = zFreed;
  while (z && *z) {
    const char *zEnd = strchr(z, '\n');
    size_t nLine = zEnd ? (size_t)(zEnd - z) : strlen(z);
    if (nLine == 64) {
      char zSha[65];
      memcpy(zSha, z, 64);
      zSha[64] = 0;
      bool bUsed = pqrsd_file_in_use(db, zSha);
      Buf path = BUF_INIT;
      pqrsd_file_path(zDataDir, zSha, &path);
      if (bUsed) {
        /* referenced again: kept */
      } else if (unlink(buf_str(&path)) == 0) {
        n++;
      } else if (errno != ENOENT) {
        fprintf(stderr, "participa: no se pudo borrar %s: %s\n", buf_str(&path), strerror(errno));
      }
      buf_reset(&path);
    }
    z = zEnd ? zEnd + 1 : NULL;
  }
  return n;
}

/* Checkpoint the WAL into the database file and truncate it, so that no
** page with old values stays in the log (skipped by SQLite while a
** reader holds it). */
static void wal_truncate(Db *db) {
  db_int(db, "PRAGMA wal_checkpoint(TRUNCATE)");
}

/* The radicado of PQRSD iId into z (PQRSD_RADICADO_LEN + 1 bytes). */
static void radicado_of(Db *db, int64_t iId, char *z) {
  Calendar cal;
  calendar_init(&cal);
  Pqrsd p;
  if (pqrsd_load(db, &cal, iId, &p)) {
    snprintf(z, PQRSD_RADICADO_LEN + 1, "%s", p.zRadicado);
    pqrsd_reset(&p);
  } else {
    z[0] = 0;
  }
  calendar_reset(&cal);
}

bool privacy_purge(Db *db, const char *zDataDir, const char *zUntil, const char *zActor,
                   PrivacyPurge *pRes, char **pzErr) {
  memset(pRes, 0, sizeof *pRes);
  Day today = clock_today();
  int aMonths[PRIV_N_KIND];
  for (int e = 0; e < PRIV_N_KIND; e++) {
    aMonths[e] = privacy_retention(db, (PrivacyKind)e);
  }
  if (zUntil) {
    Day until;
    Buf err = BUF_INIT;
    if (!date_parse(zUntil, &until, &err)) {
      *pzErr = xasprintf("--hasta: %s", buf_str(&err));
      buf_reset(&err);
      return false;
    }
    buf_reset(&err);
    if (until > today) {
      *pzErr = xasprintf("--hasta: la fecha «%s» es posterior a hoy; solo se purga lo ya "
                         "ocurrido",
                         zUntil);
      return false;
    }
    Buf iso = BUF_INIT;
    date_format_iso(until, &iso);
    for (int e = 0; e < PRIV_N_KIND; e++) {
      snprintf(pRes->zCutoff[e], sizeof pRes->zCutoff[e], "%s", buf_str(&iso));
    }
    buf_reset(&iso);
  } else {
    for (int e = 0; e < PRIV_N_KIND; e++) {
      if (aMonths[e] > 0) {
        months_before(today, aMonths[e], pRes->zCutoff[e]);
      }
    }
  }
  int iSecure = secure_delete_on(db);
  Buf freed = BUF_INIT;
  db_begin(db);
  int64_t *aId = NULL;
  int n = 0;
  char zRad[PQRSD_RADICADO_LEN + 1];
  if (pRes->zCutoff[PRIV_PQRSD][0]) {
    n = pqrsd_retention_due(db, pRes->zCutoff[PRIV_PQRSD], false, &aId);
    for (int i = 0; i < n; i++) {
      if (pqrsd_anonymise_in_tx(db, aId[i], false, "plazo", &freed)) {
        radicado_of(db, aId[i], zRad);
        audit_logf(db, zActor, "anonimizar", "pqrsd", aId[i],
                   "%s: datos personales, textos y adjuntos anonimizados al "
                   "terminar el plazo de conservación (antes del %s)",
                   zRad, pRes->zCutoff[PRIV_PQRSD]);
        pRes->nPqrsd++;
      }
    }
    free(aId);
  }
  if (pRes->zCutoff[PRIV_FILES][0]) {
    n = pqrsd_retention_due(db, pRes->zCutoff[PRIV_FILES], true, &aId);
    for (int i = 0; i < n; i++) {
      if (pqrsd_anonymise_in_tx(db, aId[i], true, "plazo", &freed)) {
        radicado_of(db, aId[i], zRad);
        audit_logf(db, zActor, "anonimizar", "pqrsd", aId[i],
                   "%s: adjuntos eliminados al terminar su plazo de conservación "
                   "(antes del %s)",
                   zRad, pRes->zCutoff[PRIV_FILES]);
        pRes->nPqrsdFiles++;
      }
    }
    free(aId);
  }
  if (pRes->zCutoff[PRIV_PROPOSALS][0]) {
    n = retos_retention_due(db, pRes->zCutoff[PRIV_PROPOSALS], &aId);
    for (int i = 0; i < n; i++) {
      if (propuesta_anonymise_in_tx(db, aId[i], false)) {
        audit_logf(db, zActor, "anonimizar", "propuesta", aId[i],
                   "propuesta %lld: datos del autor y texto anonimizados al "
                   "terminar el plazo de conservación (reto cerrado antes del %s)",
                   (long long)aId[i], pRes->zCutoff[PRIV_PROPOSALS]);
        pRes->nProposals++;
      }
    }
    free(aId);
  }
  pRes->nAddresses = ratelimit_prune(db);
  db_commit(db);
  if (db_fault(db) != NULL) {
    /* nothing was anonymised (rolled back): every file stays */
    buf_reset(&freed);
    *pzErr = xasprintf("no se pudo purgar: %s", db_fault(db));
    return false;
  }
  secure_delete_restore(db, iSecure);
  pRes->nFilesRemoved = files_remove(db, zDataDir, buf_str(&freed));
  buf_reset(&freed);
  wal_truncate(db);
  return true;
}

int privacy_purge_due(Db *db, const char *zDataDir, char **pzErr) {
  PrivacyPurge res;
  if (!privacy_purge(db, zDataDir, NULL, "sistema", &res, pzErr)) {
    return -1;
  }
  return res.nPqrsd + res.nPqrsdFiles + res.nProposals;
}

/* ---- the titular's requests ----------------------------------------------------------------- */

void privacy_data_reset(PrivacyData *p) {
  free(p->zTitle);
  for (int i = 0; i < p->n; i++) {
    free(p->a[i].zValue);
  }
  memset(p, 0, sizeof *p);
}

/* Add one labelled value (z NULL or "" is shown as "—"). */
static void data_add(PrivacyData *p, const char *zLabel, const char *z) {
  if (p->n == PRIVACY_MAX_ITEMS) {
    return;
  }
  p->a[p->n].zLabel = zLabel;
  p->a[p->n].zValue = xstrdup(z && z[0] ? z : "—");
  p->n++;
}

/* Resolve pRef: the PQRSD id (*piPqrsd) or the proposal (*piProp), one of
** them nonzero. False with *pzErr when the record does not exist. */
static bool ref_find(Db *db, const PrivacyRef *pRef, int64_t *piPqrsd, int64_t *piProp,
                     char **pzErr) {
  *piPqrsd = 0;
  *piProp = 0;
  if (pRef->zRadicado) {
    *piPqrsd = pqrsd_id(db, pRef->zRadicado);
    if (*piPqrsd == 0) {
      *pzErr = xasprintf("no existe la PQRSD con radicado «%s»; revise el número (por ejemplo "
                         "2021-PQRSD-000123)",
                         pRef->zRadicado);
      return false;
    }
    return true;
  }
  Propuesta p;
  if (pRef->iProposal <= 0 || !propuesta_load(db, pRef->iProposal, &p)) {
    *pzErr = xasprintf("no existe la propuesta número %lld; vea la moderación de retos",
                       (long long)pRef->iProposal);
    return false;
  }
  propuesta_reset(&p);
  *piProp = pRef->iProposal;
  return true;
}

/* Write the titular's request to the log: zAction on the record. */
static void request_log(Db *db, const char *zActor, const char *zAction, int64_t iPqrsd,
                        int64_t iProp, const char *zWhat) {
  char zRad[PQRSD_RADICADO_LEN + 1];
  if (iPqrsd) {
    radicado_of(db, iPqrsd, zRad);
    audit_logf(db, zActor, zAction, "pqrsd", iPqrsd, "%s: solicitud del titular; %s", zRad, zWhat);
  } else {
    audit_logf(db, zActor, zAction, "propuesta", iProp, "propuesta %lld: solicitud del titular; %s",
               (long long)iProp, zWhat);
  }
}

bool privacy_data_load(Db *db, const PrivacyRef *pRef, PrivacyData *pData, char **pzErr) {
  memset(pData, 0, sizeof *pData);
  int64_t iPqrsd, iProp;
  if (!ref_find(db, pRef, &iPqrsd, &iProp, pzErr)) {
    return false;
  }
  if (iPqrsd) {
    Calendar cal;
    calendar_init(&cal);
    Pqrsd p;
    pqrsd_load(db, &cal, iPqrsd, &p);
    calendar_reset(&cal);
    pData->zTitle = xasprintf("PQRSD %s", p.zRadicado);
    pData->bAnonymised = p.zAnonymisedAt[0] != 0;
    pData->bAnonymous = p.bAnonymous;
    data_add(pData, "Tipo", p.zTypeName);
    data_add(pData, "Radicada", p.zReceivedAt);
    data_add(pData, "Anónima", p.bAnonymous ? "sí" : "no");
    data_add(pData, "Nombre", p.zName);
    data_add(pData, "Tipo de documento", pqrsd_idtype_name(p.zIdType));
    data_add(pData, "Documento", p.zIdNumber);
    data_add(pData, "Correo", p.zEmail);
    data_add(pData, "Teléfono", p.zPhone);
    data_add(pData, "Dirección", p.zAddress);
    data_add(pData, "Canal de respuesta", pqrsd_channel_name(p.zChannel));
    data_add(pData, "Autorización (aviso)", p.zConsentVersion);
    data_add(pData, "Autorización (fecha)", p.zConsentAt);
    data_add(pData, "Asunto", p.zSubject);
    data_add(pData, "Solicitud", p.zText);
    data_add(pData, "Adjunto", p.file.zSha256[0] ? p.file.zName : "");
    data_add(pData, "Respuesta", p.zAnswer);
    data_add(pData, "Adjunto de la respuesta", p.answerFile.zSha256[0] ? p.answerFile.zName : "");
    data_add(pData, "Versión pública", p.bAnswerPublic ? p.zPublicAnswer : "");
    data_add(pData, "Anonimizada", p.zAnonymisedAt);
    pqrsd_reset(&p);
  } else {
    Propuesta p;
    propuesta_load(db, iProp, &p);
    pData->zTitle = xasprintf("Propuesta %lld", (long long)iProp);
    pData->bAnonymised = p.zAnonymisedAt[0] != 0;
    pData->bAnonymous = !p.bConsent;
    data_add(pData, "Reto", p.zRetoTitle);
    data_add(pData, "Recibida", p.zReceivedAt);
    data_add(pData, "Nombre", p.zName);
    data_add(pData, "Correo", p.zEmail);
    data_add(pData, "Autorización", p.bConsent ? "sí, con el aviso guardado" : "no (anónima)");
    data_add(pData, "Propuesta", p.zBody);
    data_add(pData, "Texto publicado", p.zPublicBody);
    data_add(pData, "Radicada como sugerencia", p.zRadicado);
    data_add(pData, "Anonimizada", p.zAnonymisedAt);
    propuesta_reset(&p);
  }
  return true;
}

bool privacy_view(Db *db, const PrivacyRef *pRef, const char *zActor, PrivacyData *pData,
                  char **pzErr) {
  if (!privacy_data_load(db, pRef, pData, pzErr)) {
    return false;
  }
  int64_t iPqrsd, iProp;
  ref_find(db, pRef, &iPqrsd, &iProp, pzErr);
  db_begin(db);
  request_log(db, zActor, "titular: ver", iPqrsd, iProp, "consulta de sus datos personales");
  db_commit(db);
  return true;
}

bool privacy_correct(Db *db, const PrivacyRef *pRef, const PqrsdIdentity *pNew, const char *zActor,
                     int *pnChanged, char **pzErr) {
  int64_t iPqrsd, iProp;
  if (!ref_find(db, pRef, &iPqrsd, &iProp, pzErr)) {
    return false;
  }
  if (iPqrsd) {
    return pqrsd_correct(db, iPqrsd, pNew, zActor, pnChanged, pzErr);
  }
  if (pNew->zIdType || pNew->zIdNumber || pNew->zPhone || pNew->zAddress) {
    *pzErr = xstrdup("una propuesta solo guarda nombre y correo: corrija solo esos datos");
    return false;
  }
  return propuesta_correct(db, iProp, pNew->zName, pNew->zEmail, zActor, pnChanged, pzErr);
}

bool privacy_suppress(Db *db, const char *zDataDir, const PrivacyRef *pRef, const char *zActor,
                      int *pnRecords, char **pzErr) {
  if (pnRecords) {
    *pnRecords = 0;
  }
  int64_t iPqrsd, iProp;
  if (!ref_find(db, pRef, &iPqrsd, &iProp, pzErr)) {
    return false;
  }
  /* the linked record: the proposal a PQRSD came from, or the PQRSD a
  ** proposal was filed as */
  if (iPqrsd) {
    char zRad[PQRSD_RADICADO_LEN + 1];
    radicado_of(db, iPqrsd, zRad);
    iProp = retos_proposal_of_radicado(db, zRad);
  } else {
    Propuesta p;
    propuesta_load(db, iProp, &p);
    iPqrsd = p.zRadicado[0] ? pqrsd_id(db, p.zRadicado) : 0;
    propuesta_reset(&p);
  }
  int iSecure = secure_delete_on(db);
  Buf freed = BUF_INIT;
  db_begin(db);
  int n = 0;
  if (iPqrsd && pqrsd_anonymise_in_tx(db, iPqrsd, false, "titular", &freed)) {
    request_log(db, zActor, "titular: suprimir", iPqrsd, 0,
                "datos personales, textos y adjuntos suprimidos");
    n++;
  }
  if (iProp && propuesta_anonymise_in_tx(db, iProp, true)) {
    request_log(db, zActor, "titular: suprimir", 0, iProp,
                "datos del autor y texto suprimidos; la propuesta queda retirada");
    n++;
  }
  if (n == 0) {
    db_rollback(db);
    secure_delete_restore(db, iSecure);
    buf_reset(&freed);
    *pzErr = db_fault(db) != NULL
                 ? xasprintf("no se pudo suprimir: %s", db_fault(db))
                 : xstrdup("los datos personales de ese registro ya fueron suprimidos");
    return false;
  }
  db_commit(db);
  if (db_fault(db) != NULL) {
    /* nothing was suppressed (rolled back): every file stays */
    buf_reset(&freed);
    *pzErr = xasprintf("no se pudo suprimir: %s", db_fault(db));
    return false;
  }
  secure_delete_restore(db, iSecure);
  files_remove(db, zDataDir, buf_str(&freed));
  buf_reset(&freed);
  wal_truncate(db);
  if (pnRecords) {
    *pnRecords = n;
  }
  return true;
}
