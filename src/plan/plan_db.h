/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Storage of the action plan: the named queries the plan area runs through
** src/db. Importing a draft (one transaction: the whole plan or nothing,
** adding the offices it names to the catalogue of src/office), periods,
** targets, progress reports with evidence, editing one activity, the
** settings page's save, and an activity's history from the audit log.
** Callers never see SQL.
*/
#ifndef PARTICIPA_PLAN_PLAN_DB_H
#define PARTICIPA_PLAN_PLAN_DB_H

#include <stdint.h>

#include "base/buf.h"
#include "db/db.h"
#include "plan/plan.h"

/* What an import changed. */
typedef struct ImportResult {
  int64_t iPlan;   /* the plan's id */
  bool bNewPlan;   /* the plan did not exist before */
  int nAdded;      /* activities added */
  int nChanged;    /* activities whose fields changed */
  int nSame;       /* activities unchanged */
  int nRemoved;    /* activities deleted (absent from the file, no progress) */
  int nKept;       /* activities absent from the file but kept: they have progress */
  int nSkipped;    /* rows not stored (no item number, repeated item) */
  int nReview;     /* activities stored "a revisar" */
  int nOfficeNew;  /* offices added to the catalogue */
  Buf changes;     /* one line per change, Spanish */
} ImportResult;

/* Store draft p (already validated; with errors only when bForce) as one
** transaction. Fills *pRes (caller resets pRes->changes). */
void plan_store(Db *db, const PlanDraft *p, const char *zActor, bool bForce, ImportResult *pRes);

/* Check that the draft's period target columns fit the plan they will be
** stored in (same scheme, no column beyond the plan's periods). Returns
** false with *pzErr (Spanish, caller frees) when they do not. */
bool plan_check_periods(Db *db, const PlanDraft *p, char **pzErr);

/* The plan commands act on: the one whose year is iYear, or the most
** recently imported when iYear is 0. Returns 0 when there is none. */
int64_t plan_current(Db *db, int iYear);

/* A period of a plan. */
typedef struct Period {
  int64_t id;     /* row id */
  int iPos;       /* 1-based order */
  char zCode[8];  /* "T1" */
  char *zName;    /* "Trimestre 1" (owned) */
  Day start;      /* first day */
  Day end;        /* cut-off date */
} Period;

/* Load the periods of plan iPlan in order. Returns the count; *paOut is
** malloc'd (free with plan_periods_free). */
int plan_periods(Db *db, int64_t iPlan, Period **paOut);
void plan_periods_free(int n, Period *a);
/* Set the cut-off (end) date of period zCode; the next period then starts
** the day after. Returns false with *pzErr when not possible. */
bool plan_period_set_end(Db *db, int64_t iPlan, const char *zCode, Day end, const char *zActor,
                         char **pzErr);
/* Replace the periods with the scheme zScheme ("trimestral", "cuatrimestral",
** "semestral", "anual"); refused when targets or progress use the old ones. */
bool plan_period_scheme(Db *db, int64_t iPlan, const char *zScheme, const char *zActor,
                        char **pzErr);

/* Activity id of item iItem in plan iPlan, or 0. */
int64_t plan_activity_id(Db *db, int64_t iPlan, long iItem);
/* Period id of code zCode in plan iPlan (case-insensitive), or 0. */
int64_t plan_period_id(Db *db, int64_t iPlan, const char *zCode);

/* Set the target of activity item iItem for period zCode. */
bool plan_target_set(Db *db, int64_t iPlan, long iItem, const char *zCode, double rValue,
                     const char *zActor, char **pzErr);
/* Set the roll-up weight of an activity. */
bool plan_weight_set(Db *db, int64_t iPlan, long iItem, double rWeight, const char *zActor,
                     char **pzErr);

/* Evidence for a progress report: a file (from a path, or bytes in memory
** with the name it had) and/or a link. */
typedef struct Evidence {
  const char *zFile; /* path of a file to store, or NULL */
  const char *zUrl;  /* a link, or NULL */
  const char *pData; /* or: the file's bytes (an upload), NULL when none */
  size_t nData;      /* their length */
  const char *zName; /* the uploaded file's name as shown (with pData) */
} Evidence;

/* Record a progress report; stores an evidence file (zFile or pData) under
** zDataDir/evidencias/ by its SHA-256, with the type libmagic detects, and
** a link as a second evidence row when both are given. Returns the new
** report id, or 0 with *pzErr. */
int64_t plan_progress_add(Db *db, const char *zDataDir, int64_t iPlan, long iItem,
                          const char *zPeriod, double rValue, const char *zNote,
                          const Evidence *pEv, const char *zAuthor, char **pzErr);
/* Verify (bVerify) or reject report iReport with a note. */
bool plan_progress_review(Db *db, int64_t iReport, bool bVerify, const char *zNote,
                          const char *zActor, char **pzErr);

/* ---- editing from the web: one activity, the settings page ---- */

/* The editable fields of one activity, as stored: azField by PlanField
** (PF_PHASE is "P", "H", "V" or "A"; PF_START and PF_END are ISO dates, ""
** when unknown; PF_COMPONENT is the component's name, "" for none; PF_ITEM
** and PF_RESULT are not edited and stay NULL), the numeric target, the
** weight, the period targets in period order, and the "a revisar" note.
** Strings are owned: free with plan_activity_edit_reset. */
typedef struct ActivityEdit {
  char *azField[PF_COUNT];          /* text per field (owned; NULL = not edited) */
  double rTarget;                   /* numeric target, > 0 */
  double rWeight;                   /* roll-up weight, >= 0 */
  int nPeriod;                      /* periods of the plan (entries used below) */
  double aPeriod[PLAN_MAX_PERIODS]; /* target of each period */
  bool abPeriod[PLAN_MAX_PERIODS];  /* the period has a target */
  char *zReview;                    /* "a revisar" note, NULL when none (owned) */
  bool bClearReview;                /* plan_activity_update: remove the note */
} ActivityEdit;

/* Load activity item iItem of plan iPlan into *pOut (which need not be
** initialised). Returns false when the plan has no such item (*pOut is then
** empty). */
bool plan_activity_load(Db *db, int64_t iPlan, long iItem, ActivityEdit *pOut);
void plan_activity_edit_reset(ActivityEdit *p);
/* Store the fields of pNew (validated by the caller: dates ISO, end >= start,
** phase P/H/V/A, target > 0, weight and period targets >= 0, activity text
** and at least one office in RESPONSABLE) into activity item iItem, as one
** transaction: each changed field is logged with its old and new value; a
** changed RESPONSABLE relinks the activity to its offices (new ones join
** the catalogue), a changed component name moves it to that component
** (created when new). Returns the number of changes (0 = nothing changed),
** or -1 with *pzErr (Spanish, caller frees) when the item does not exist
** or a value breaks the rules above (nothing stored). */
int plan_activity_update(Db *db, int64_t iPlan, long iItem, const ActivityEdit *pNew,
                         const char *zActor, char **pzErr);

/* What the settings page saves (settings are read with db/setting.h). */
typedef struct SettingsEdit {
  double rRedBelow;           /* semaforo.rojo_hasta: 0 <= red < yellow */
  double rYellowBelow;        /* semaforo.amarillo_hasta: yellow <= 100 */
  const char *zEntity;        /* entidad.nombre; "" removes it (the plan's entity shows) */
  const char *zLogoType;      /* entidad.logo_tipo; NULL leaves it, "" removes it */
  int nPeriod;                /* cut-offs given (the plan's periods, in order); 0 = none */
  Day aEnd[PLAN_MAX_PERIODS]; /* the cut-off of each period */
} SettingsEdit;

/* Save the settings (and the cut-offs of plan iPlan's periods, each next
** period starting the day after) as one transaction, logging each change.
** Returns the number of changes, or -1 with *pzErr (Spanish, caller frees)
** when a value breaks the rules (nothing stored): thresholds out of order,
** cut-offs not increasing or before their period's start. */
int plan_settings_save(Db *db, int64_t iPlan, const SettingsEdit *pEdit, const char *zActor,
                       char **pzErr);

/* The history of activity iAct: the change log entries about it and its
** progress reports, oldest first. A statement with columns at, actor,
** action, detail; the caller steps it and finalizes it. bPublic keeps what
** the public may read: the activity's own entries and the reporting and
** verification of reports that were verified (not pending or rejected
** reports, nor a rejection's note). */
Stmt *plan_history_query(Db *db, int64_t iAct, bool bPublic);

/* What plan_store would change, without writing anything: fills *pRes as
** plan_store does (caller resets pRes->changes). The draft must pass
** plan_check_periods. */
void plan_store_preview(Db *db, const PlanDraft *p, bool bForce, ImportResult *pRes);

#endif
