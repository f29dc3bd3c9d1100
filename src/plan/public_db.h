/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The named queries behind the public pages and the open data files: one
** activity with every published field, its period targets, its verified
** progress reports with their evidence, and its history; an evidence file's
** storage facts and whether its report is verified; and, for a list of
** activities, the texts the search looks in and the targets and verified
** values per period.
**
** What is public is decided here: only verified reports are loaded (never
** those waiting for verification or rejected), with the responsable's note
** and the reviewer's login, but not the author nor the review note; those
** waiting are only counted. The history is the change log as written: its
** entries about the activity and its reports (including a rejection and
** its note), with the login of who made each change. Callers that need one
** snapshot across these calls and report_build() wrap them in
** db_begin_read() / db_commit().
*/
#ifndef PARTICIPA_PLAN_PUBLIC_DB_H
#define PARTICIPA_PLAN_PUBLIC_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"
#include "plan/plan.h"

/* An evidence item of a verified report. Strings are owned. */
typedef struct PubEvidence {
  int64_t id;    /* evidence id: /evidencia/{id} serves a file */
  bool bFile;    /* a stored file (else a link) */
  char *zName;   /* original file name, or the URL of a link */
  char *zMime;   /* detected type of a file, "" for a link */
  int64_t nSize; /* bytes of a file, 0 for a link */
} PubEvidence;

/* A verified progress report. Strings are owned. */
typedef struct PubReport {
  int64_t id;             /* report id */
  char *zPeriod;          /* period code, "T2" */
  double rValue;          /* value achieved */
  char *zNote;            /* the responsable's note */
  char *zReviewer;        /* login of who verified it */
  char *zReviewedAt;      /* when (ISO UTC) */
  int nEvidence;          /* evidence items */
  PubEvidence *aEvidence; /* in the order they were attached */
} PubReport;

/* One period of the activity's plan, with the activity's figures. */
typedef struct PubPeriod {
  char *zCode;      /* "T1" (owned) */
  char *zName;      /* "Trimestre 1" (owned) */
  char *zEnd;       /* cut-off date, ISO (owned) */
  bool bTarget;     /* a target is set for the period */
  double rTarget;   /* that target (per period, not cumulative) */
  double rVerified; /* sum of verified reports of the period */
} PubPeriod;

/* One entry of the activity's history. Strings are owned. */
typedef struct PubChange {
  char *zAt;     /* ISO UTC timestamp */
  char *zActor;  /* login (or the CLI user) who made the change */
  char *zAction; /* importar, meta, peso, reportar, verificar, rechazar, ... */
  char *zDetail; /* the log's detail text */
} PubChange;

/* Everything the public activity page shows. */
typedef struct PubActivity {
  int64_t id;              /* activity id */
  long iItem;              /* ITEM */
  char *azField[PF_COUNT]; /* each matrix field as stored (owned, never NULL): PF_ITEM the
                              number, PF_COMPONENT the component's name, PF_PHASE the letter,
                              PF_START/PF_END ISO dates ("" when unknown) */
  double rTarget;          /* numeric target */
  int nOffice;             /* offices responsible */
  char **azOffice;         /* their catalogue names, in the RESPONSABLE cell's order */
  int nPeriod;             /* periods of the plan */
  PubPeriod *aPeriod;      /* in order */
  int nReport;             /* verified reports */
  PubReport *aReport;      /* oldest first */
  int nPending;            /* reports waiting for verification (only counted) */
  int nChange;             /* history entries */
  PubChange *aChange;      /* oldest first */
} PubActivity;

/* Load item iItem of plan iPlan into *p. Returns false (and leaves *p
** empty) when the plan has no such item. Free with public_activity_free. */
bool public_activity_load(Db *db, int64_t iPlan, long iItem, PubActivity *p);
void public_activity_free(PubActivity *p);

/* The year of plan iPlan, 0 when there is no such plan. */
int public_plan_year(Db *db, int64_t iPlan);

/* An evidence item as /evidencia/{id} needs it. Strings are owned. */
typedef struct PubEvidenceFile {
  bool bFile;     /* a stored file (a link has nothing to serve) */
  char *zSha256;  /* content hash, lower-case hex: the file is under evidencias/xx/ */
  char *zName;    /* original file name */
  char *zMime;    /* detected type */
  int64_t nSize;  /* bytes */
  bool bVerified; /* its report is verified (public) */
} PubEvidenceFile;

/* Look evidence iEvidence up. False when there is none. Free with
** public_evidence_file_free. */
bool public_evidence_find(Db *db, int64_t iEvidence, PubEvidenceFile *p);
void public_evidence_file_free(PubEvidenceFile *p);

/* The texts of activities beyond ACTIVIDAD (which the report holds), for
** search and the open data: az*[i] belongs to aId[i]. Owned strings, ""
** when empty; an id that is not an activity of the plan gets "". */
typedef struct PubTexts {
  int n;              /* activities */
  char **azProduct;   /* PRODUCTO */
  char **azIndicator; /* DESCRIPCIÓN DEL INDICADOR */
  char **azGoal;      /* DESCRIPCIÓN DE LA META */
} PubTexts;

/* Load the texts of the nAct activities aId of plan iPlan (one scan of the
** plan's activities). Free with public_texts_free. */
void public_texts_load(Db *db, int64_t iPlan, int nAct, const int64_t *aId, PubTexts *p);
void public_texts_free(PubTexts *p);

/* Targets and verified values per activity and period, activity-major:
** entry [i * nPeriod + k] is activity aId[i] in the k-th period. */
typedef struct PubPeriodValues {
  int nAct;          /* activities */
  int nPeriod;       /* periods */
  char **azCode;     /* period codes in order ("T1".., owned) */
  bool *abTarget;    /* a target is set */
  double *aTarget;   /* the target (0 when not set) */
  double *aVerified; /* sum of verified reports (0 when none) */
} PubPeriodValues;

/* Load the period values of the nAct activities aId of plan iPlan. Free
** with public_period_values_free. */
void public_period_values_load(Db *db, int64_t iPlan, int nAct, const int64_t *aId,
                               PubPeriodValues *p);
void public_period_values_free(PubPeriodValues *p);

#endif
