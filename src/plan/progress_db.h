/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The named queries behind reporting and verifying progress on the web:
** the activities of a responsable's offices with what has been verified and
** what waits, the progress reports of an activity or of those offices with
** their review and evidence, the verification queue of control interno,
** and the status of one report. Reading only: reports are written by
** plan_progress_add and reviewed by plan_progress_review (plan_db.h).
**
** Unlike public_db.h, everything is loaded here (reports waiting or
** rejected, authors, review notes): the callers are signed-in pages whose
** routes require the reporting or verifying capability.
*/
#ifndef PARTICIPA_PLAN_PROGRESS_DB_H
#define PARTICIPA_PLAN_PROGRESS_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"

/* An activity a responsable reports on, with its standing. Owned strings. */
typedef struct OwnActivity {
  int64_t id;       /* activity id */
  long iItem;       /* ITEM */
  char *zActivity;  /* ACTIVIDAD */
  char *zGoal;      /* META DEL INDICADOR as written */
  char *zStart;     /* FECHA INICIO, ISO, "" when unknown */
  char *zEnd;       /* FECHA FINAL, ISO, "" when unknown */
  double rTarget;   /* numeric target */
  double rVerified; /* sum of verified reports */
  int nPending;     /* reports waiting for verification */
} OwnActivity;

/* The activities of plan iPlan linked to an office of user iUser
** (user_office), by item. Returns the count; free with
** progress_own_activities_free. */
int progress_own_activities(Db *db, int64_t iPlan, int64_t iUser, OwnActivity **paOut);
void progress_own_activities_free(int n, OwnActivity *a);
/* One activity of plan iPlan by item, with the same figures. False (and *p
** empty) when there is no such item. Free with progress_own_activity_reset. */
bool progress_activity(Db *db, int64_t iPlan, long iItem, OwnActivity *p);
void progress_own_activity_reset(OwnActivity *p);

/* An evidence item of a report. Owned strings. */
typedef struct ProgEvidence {
  int64_t id;    /* evidence id (/evidencia/{id}) */
  bool bFile;    /* a stored file, else a link */
  char *zName;   /* file name as uploaded, or the link's URL */
  char *zMime;   /* detected type of a file, "" for a link */
  int64_t nSize; /* bytes of a file, 0 for a link */
} ProgEvidence;

/* A progress report with its activity, review and evidence. Owned strings;
** those of a review are "" while there is none. */
typedef struct ProgReport {
  int64_t id;              /* report id */
  long iItem;              /* its activity's ITEM */
  char *zActivity;         /* ACTIVIDAD */
  double rTarget;          /* the activity's numeric target */
  char *zPeriod;           /* period code, "T2" */
  char *zPeriodName;       /* "Trimestre 2" */
  double rValue;           /* value reported */
  char *zNote;             /* the responsable's note */
  char *zAuthor;           /* login of who reported it */
  char *zCreatedAt;        /* when, ISO UTC */
  char *zStatus;           /* "reportado", "verificado", "rechazado" */
  char *zReviewer;         /* login of who reviewed it */
  char *zReviewedAt;       /* when, ISO UTC */
  char *zReviewNote;       /* the reviewer's note */
  int nEvidence;           /* evidence items */
  ProgEvidence *aEvidence; /* in the order they were attached */
} ProgReport;

/* Reports of plan iPlan waiting for verification, oldest first. Returns
** the count; free with progress_reports_free. */
int progress_queue(Db *db, int64_t iPlan, ProgReport **paOut);
/* Reports of activity item iItem of plan iPlan, newest first. */
int progress_activity_reports(Db *db, int64_t iPlan, long iItem, ProgReport **paOut);
/* The nLimit newest reports on activities of plan iPlan linked to an office
** of user iUser. */
int progress_office_reports(Db *db, int64_t iPlan, int64_t iUser, int nLimit, ProgReport **paOut);
void progress_reports_free(int n, ProgReport *a);
/* How many reports of plan iPlan wait for verification. */
int progress_queue_count(Db *db, int64_t iPlan);

/* The status of report iReport ("reportado", "verificado", "rechazado")
** and its reviewer ("" when none) into *pzStatus and *pzReviewer (caller
** frees both). False when there is no such report. */
bool progress_report_status(Db *db, int64_t iReport, char **pzStatus, char **pzReviewer);

#endif
