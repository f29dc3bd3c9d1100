/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Storage of the action plan: the named queries the plan area runs through
** src/db. Importing a draft (one transaction: the whole plan or nothing),
** the office catalogue, periods, targets, progress reports with evidence,
** and loading what the report and the export need. Callers never see SQL.
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

/* Evidence for a progress report. */
typedef struct Evidence {
  const char *zFile; /* path of a file to store, or NULL */
  const char *zUrl;  /* a link, or NULL */
} Evidence;

/* Record a progress report; stores evidence files under zDataDir. Returns
** the new report id, or 0 with *pzErr. */
int64_t plan_progress_add(Db *db, const char *zDataDir, int64_t iPlan, long iItem,
                          const char *zPeriod, double rValue, const char *zNote,
                          const Evidence *pEv, const char *zAuthor, char **pzErr);
/* Verify (bVerify) or reject report iReport with a note. */
bool plan_progress_review(Db *db, int64_t iReport, bool bVerify, const char *zNote,
                          const char *zActor, char **pzErr);

/* Append a change to the log. */
void plan_log(Db *db, const char *zActor, const char *zAction, const char *zObject,
              int64_t iObject, const char *zDetail);

/* Office catalogue listing: offices with aliases and suggestions. */
void plan_office_list(Db *db, Buf *pOut);
/* Make office zAlias an alias of office zMain (names or aliases). */
bool plan_office_merge(Db *db, const char *zMain, const char *zAlias, const char *zActor,
                       char **pzErr);

#endif
