/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Personal data duties (Ley 1581 de 2012, Decreto 1377 de 2013 — now in
** Decreto 1074 de 2015; docs/datos-personales.md): how long the personal
** data of PQRSD and proposals are kept, their anonymisation when that time
** is over, and the titular's requests to see, correct or delete them.
**
** Retention. Three periods in months, settings with legal defaults: the
** petitioner's data of a PQRSD (counted from its answer, or its closing
** when it was closed without answer; a PQRSD in process is never touched),
** the attachments of a PQRSD (same start; may be shorter than the record's),
** and the author's data of a proposal (counted from the challenge's closing
** date). 0 keeps the data until an official purges them with a date.
** privacy_purge anonymises what is due (pqrsd_anonymise_in_tx,
** propuesta_anonymise_in_tx) in one transaction, removes the files no
** record references any more, and drops the rate limit's addresses older
** than their hour. The server calls privacy_purge_due once a day.
**
** Titular's requests, made to an official who names the record (a PQRSD's
** radicado, a proposal's number): see what is held (privacy_view), correct
** it (privacy_correct), or suppress it (privacy_suppress: the record and
** its files are anonymised; a PQRSD filed from a proposal goes with it and
** the other way round). Every request and every anonymisation is written
** to the audit log naming the record and the kind of request, never a
** personal value. What the transparency report counts (type, office,
** dates, status) stays, and so does the audit chain.
**
** No old bytes are left behind: the anonymising connection runs with
** PRAGMA secure_delete=ON (SQLite zeroes the space the old values held,
** also in pages it frees), and after the commit the write-ahead log is
** checkpointed and truncated when no reader holds it (best effort; the
** next checkpoint does it otherwise).
**
** Does not: decide who may act (the route table and the CLI's actor do),
** render pages (privacy_web.c) or parse options (privacy_cmd.c).
*/
#ifndef PARTICIPA_PRIVACY_PRIVACY_H
#define PARTICIPA_PRIVACY_PRIVACY_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "db/db.h"
#include "pqrsd/pqrsd.h"

/* ---- retention ---- */

typedef enum PrivacyKind {
  PRIV_PQRSD = 0, /* the petitioner's data and texts of a PQRSD */
  PRIV_FILES,     /* the attachments of a PQRSD */
  PRIV_PROPOSALS, /* the author's data and text of a proposal */
  PRIV_N_KIND
} PrivacyKind;

#define PRIVACY_MONTHS_MAX 1200 /* longest period the settings take (100 years) */

/* The setting key of kind e ("datos.retencion_pqrsd_meses", ...). Static. */
const char *privacy_setting_key(PrivacyKind e);
/* The Spanish name of kind e ("Datos del peticionario de una PQRSD"). Static. */
const char *privacy_kind_label(PrivacyKind e);
/* What the period of kind e counts from, in Spanish. Static. */
const char *privacy_kind_start(PrivacyKind e);
/* The default period of kind e in months (60, 60, 24). */
int privacy_retention_default(PrivacyKind e);
/* The period of kind e in force, in months (0 = kept until purged by date). */
int privacy_retention(Db *db, PrivacyKind e);
/* Set the period of kind e to nMonths (0..PRIVACY_MONTHS_MAX) as one
** transaction with its log entry; true also when unchanged (nothing
** logged). False with *pzErr (Spanish, caller frees) out of range. */
bool privacy_retention_set(Db *db, PrivacyKind e, int nMonths, const char *zActor, char **pzErr);

/* ---- purge ---- */

/* What a purge did. */
typedef struct PrivacyPurge {
  char zCutoff[PRIV_N_KIND][11]; /* ISO date before which each kind was purged, "" = kept */
  int nPqrsd;                    /* PQRSD anonymised */
  int nPqrsdFiles;               /* PQRSD that only lost their attachments */
  int nProposals;                /* proposals anonymised */
  int nFilesRemoved;             /* attachment files removed from the data directory */
  int nAddresses;                /* rate-limit addresses dropped */
} PrivacyPurge;

/* Anonymise the records whose retention is over as of today (clock_today()):
** with zUntil (an ISO date, not after today) every kind is instead purged
** up to that date (records whose period starts before it), whatever the
** settings. One transaction under secure_delete, then the files no record
** references are removed from zDataDir/PQRSD_FILE_DIR and the WAL is
** checkpointed. Each record anonymised gets one log entry as zActor
** ("anonimizar", the record's radicado or number and why). Fills *pRes.
** False with *pzErr (Spanish, caller frees) when zUntil is unreadable or in
** the future; a database failure ends the program as elsewhere. */
bool privacy_purge(Db *db, const char *zDataDir, const char *zUntil, const char *zActor,
                   PrivacyPurge *pRes, char **pzErr);
/* The daily purge the server runs: privacy_purge as "sistema" with the
** settings. Returns the number of records anonymised (PQRSD, attachments
** and proposals), or -1 with *pzErr (caller frees). */
int privacy_purge_due(Db *db, const char *zDataDir, char **pzErr);

/* ---- the titular's requests ---- */

/* The record a request is about: a PQRSD by radicado, or a proposal. */
typedef struct PrivacyRef {
  const char *zRadicado; /* "2021-PQRSD-000123", or NULL for a proposal */
  int64_t iProposal;     /* the proposal's number when zRadicado is NULL */
} PrivacyRef;

#define PRIVACY_MAX_ITEMS 24

/* What is held about the titular in one record, as labelled values. */
typedef struct PrivacyData {
  char *zTitle;     /* "PQRSD 2021-PQRSD-000001" or "Propuesta 3" (owned) */
  bool bAnonymised; /* the personal data were already anonymised */
  bool bAnonymous;  /* filed without identity */
  int n;            /* items */
  struct {
    const char *zLabel; /* Spanish label (a literal) */
    char *zValue;       /* value (owned) */
  } a[PRIVACY_MAX_ITEMS];
} PrivacyData;
void privacy_data_reset(PrivacyData *p);

/* What is held in the record pRef, into *pData, without logging anything:
** to show the record again in the request that already logged its view.
** False with *pzErr (Spanish, caller frees) when there is no such record. */
bool privacy_data_load(Db *db, const PrivacyRef *pRef, PrivacyData *pData, char **pzErr);
/* The titular asks to see their data: fill *pData and log the request
** ("titular: ver") as zActor, naming the record. False with *pzErr
** (Spanish, caller frees) when there is no such record. */
bool privacy_view(Db *db, const PrivacyRef *pRef, const char *zActor, PrivacyData *pData,
                  char **pzErr);
/* The titular asks to correct their data: for a PQRSD every field of
** pNew, for a proposal only zName and zEmail (the others must be NULL).
** Logged by pqrsd_correct / propuesta_correct (fields, never values). */
bool privacy_correct(Db *db, const PrivacyRef *pRef, const PqrsdIdentity *pNew, const char *zActor,
                     int *pnChanged, char **pzErr);
/* The titular asks to suppress their data: anonymise the record (and the
** PQRSD or proposal it is linked to) with its files, under secure_delete,
** log "titular: suprimir" for each record, remove the freed files from
** zDataDir and checkpoint. *pnRecords (may be NULL) counts the records
** anonymised. False with *pzErr when there is no such record or it was
** already suppressed. */
bool privacy_suppress(Db *db, const char *zDataDir, const PrivacyRef *pRef, const char *zActor,
                      int *pnRecords, char **pzErr);

#endif
