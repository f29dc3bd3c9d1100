/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Where the plan stands (DOMAIN.md §3): per activity the achieved value,
** progress, expected progress at a date, compliance, traffic light and
** status; roll-ups by component, PHVA phase, office and the whole plan; and
** their text, CSV and JSON renderings. The rules, stated in every output:
**   - achieved = sum of verified progress reports of periods begun by the
**     date (also "reportado" ones when asked);
**   - progress = achieved / target, capped at 100 %;
**   - expected = cumulative period targets whose cut-off has passed / target
**     when period targets exist, else linear between FECHA INICIO and FECHA
**     FINAL (both days included);
**   - compliance = progress / expected (none while nothing is expected);
**   - roll-ups = mean of activity progress weighted by activity weight (1 by
**     default); an activity with no data counts as 0 %.
*/
#ifndef PARTICIPA_PLAN_REPORT_H
#define PARTICIPA_PLAN_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/date.h"
#include "db/db.h"

typedef enum Light { LIGHT_NONE = 0, LIGHT_RED, LIGHT_YELLOW, LIGHT_GREEN } Light;
typedef enum ActStatus {
  STATUS_NOT_STARTED = 0, /* sin iniciar */
  STATUS_IN_PROGRESS,     /* en curso */
  STATUS_LATE,            /* con retraso: compliance in red */
  STATUS_OVERDUE,         /* vencida: end date passed, progress < 100 % */
  STATUS_DONE             /* cumplida */
} ActStatus;

/* One activity's standing. */
typedef struct ReportAct {
  int64_t id;          /* activity id */
  long iItem;          /* ITEM */
  int iComponent;      /* index in Report.azComponent, -1 for none */
  char cPhase;         /* P H V A, or 0 */
  bool bStart, bEnd;   /* dates known */
  Day start, end;      /* FECHA INICIO, FECHA FINAL */
  double rTarget;      /* numeric target */
  double rWeight;      /* roll-up weight */
  double rAchieved;    /* sum of counted reports */
  int nCounted;        /* reports counted in rAchieved */
  int nPending;        /* reports waiting for verification */
  bool bPeriodTargets; /* expected comes from period targets */
  double rExpected;    /* 0..1 */
  double rProgress;    /* 0..1 */
  bool bCompliance;    /* rCompliance is defined */
  double rCompliance;  /* progress / expected, capped at 1 */
  Light eLight;        /* on compliance */
  ActStatus eStatus;   /* status */
  char *zActivity;     /* ACTIVIDAD (owned) */
  char *zReview;       /* "a revisar" note or NULL (owned) */
  int nOffice;         /* offices responsible */
  int *aiOffice;       /* their indices in Report.azOffice (in Report.aOfficePool) */
} ReportAct;

/* A roll-up of several activities. */
typedef struct Rollup {
  const char *zName;  /* group name (borrowed from the Report) */
  int nAct;           /* activities in the group */
  int nNoData;        /* of which with no counted report */
  double rWeight;     /* sum of weights */
  double rProgress;   /* weighted mean progress, 0..1 */
  double rExpected;   /* weighted mean expected, 0..1 */
  bool bCompliance;   /* rCompliance defined */
  double rCompliance; /* progress / expected, capped at 1 */
  Light eLight;       /* on compliance */
  int anStatus[5];    /* activities per ActStatus */
} Rollup;

typedef struct Report {
  char *zEntity;        /* plan entity */
  int iYear;            /* plan year */
  char *zStrategy;      /* strategy name */
  Day at;               /* date of the report */
  bool bReported;       /* reports not yet verified were counted too */
  double rRedBelow;     /* compliance below this (percent) is red */
  double rYellowBelow;  /* below this yellow, else green */
  bool bWeighted;       /* some weight differs from 1 */
  int nAct;             /* activities */
  ReportAct *aAct;      /* by item */
  int nComponent;       /* components */
  char **azComponent;   /* their names */
  Rollup *aComponent;   /* per component */
  Rollup aPhase[4];     /* P H V A */
  int nOffice;          /* offices */
  char **azOffice;      /* their names */
  Rollup *aOffice;      /* per office */
  int *aOfficePool;     /* storage of every ReportAct.aiOffice */
  Rollup total;         /* whole plan */
  Rollup unphased;      /* activities with no phase (forced imports) */
  Rollup nocomponent;   /* activities with no component */
} Report;

/* Compute the standing of plan iPlan at date `at`. bReported counts reports
** still waiting for verification. Fills *r (free with report_free, also
** when the plan does not exist: r then holds no activity). Never fails on
** bad input; operational failures are db's (db.h: exit, or a fault
** recorded on a soft-fault connection, which leaves r short).
**
** Threads and connections: when db is a file, every call reads the
** activities' texts and the progress totals on a second connection, in a
** thread of its own, while db reads the numbers, offices and targets
** (db/reader.h). The thread and the connection are gone when report_build
** returns; nothing is kept between calls. A temporary or in-memory db, or a
** second connection that cannot open or fails, is read on db alone (the
** same result, slower).
**
** Snapshot: the result is one consistent picture of the database. db reads
** in one read transaction (its own, or the one the caller holds); the two
** connections each read the last change-log id, which every write of the
** plan, its progress and its offices advances, and when a change was
** committed between the two snapshots the second connection's part is
** thrown away and read again on db. */
void report_build(Db *db, int64_t iPlan, Day at, bool bReported, Report *r);
/* Free what report_build put in *r (r itself is the caller's). */
void report_free(Report *r);

/* Renderings. The text fits 100 columns. */
void report_text(const Report *r, Buf *pOut);
void report_csv(const Report *r, Buf *pOut);
void report_json(const Report *r, Buf *pOut);

const char *report_light_name(Light e);
const char *report_status_name(ActStatus e);

#endif
