/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The action plan: reading an entity's matrix (from a Table or a JSON
** export) into a PlanDraft, validating it with compiler-style diagnostics,
** and storing it. The draft keeps every field as written plus the values
** read from it (dates, phase, numeric target, offices), so that the same
** checks serve `participa check`, `participa import` and, later, the upload
** page. Storage lives in plan_db.c; computations in report.c.
*/
#ifndef PARTICIPA_PLAN_PLAN_H
#define PARTICIPA_PLAN_PLAN_H

#include <stdbool.h>

#include "base/date.h"
#include "base/diag.h"
#include "io/table.h"

/* The columns of the matrix, in the seed's order. */
typedef enum PlanField {
  PF_ITEM,           /* ITEM */
  PF_COMPONENT,      /* DESCRIPCIÓN DE LOS CRITERIOS DIFERENCIALES QUE LE APLICAN */
  PF_PHASE,          /* CICLO DE PROCESO (PHVA) */
  PF_ACTIVITY,       /* ACTIVIDAD */
  PF_PRODUCT,        /* PRODUCTO */
  PF_INDICATOR,      /* DESCRIPCIÓN DEL INDICADOR */
  PF_GOAL,           /* DESCRIPCIÓN DE LA META */
  PF_START,          /* FECHA INICIO */
  PF_END,            /* FECHA FINAL */
  PF_RESPONSIBLE,    /* RESPONSABLE */
  PF_INDICATOR_GOAL, /* META DEL INDICADOR */
  PF_RESULT,         /* RESULTADO */
  PF_COUNT
} PlanField;

#define PLAN_MAX_PERIODS 12 /* period target columns the matrix may carry */

/* The title of each field as the seed writes it (for messages and export). */
extern const char *const azPlanFieldTitle[PF_COUNT];
/* Short names of the fields, for messages and listings ("FECHA FINAL"). */
extern const char *const azPlanFieldName[PF_COUNT];

/* Plan metadata from the preamble. Strings are owned (malloc'd), never NULL. */
typedef struct PlanMeta {
  char *zEntity;       /* entity name */
  char *zMacroproceso; /* MACROPROCESO */
  char *zProceso;      /* PROCESO */
  char *zSubproceso;   /* SUBPROCESO */
  char *zStrategy;     /* strategy name line */
  char *zPolicy;       /* NOMBRE DE LA POLÍTICA */
  char *zObjective;    /* Objetivo */
  int iYear;           /* plan year, 0 when unknown */
} PlanMeta;

/* The period target cells of one activity (allocated only for rows that
** fill at least one: most plans leave them empty). */
typedef struct DraftPeriods {
  const char *azCell[PLAN_MAX_PERIODS]; /* cells as written (borrowed), "" when empty */
  double aTarget[PLAN_MAX_PERIODS];     /* targets read */
  bool abSet[PLAN_MAX_PERIODS];         /* aTarget[i] was given */
} DraftPeriods;

/* One activity as read and as understood. */
typedef struct DraftActivity {
  int iRow;                             /* source row index in the Table (or JSON index) */
  const char *azField[PF_COUNT];        /* trimmed text as written, "" when empty or absent;
                                           borrowed from the draft's table */
  DraftPeriods *pPeriods;               /* period target cells, NULL when all are empty */
  long iItem;                           /* item number, 0 when missing or unreadable */
  char cPhase;                          /* 'P' 'H' 'V' 'A', or 0 when unknown */
  Day startDay;                         /* FECHA INICIO read */
  Day endDay;                           /* FECHA FINAL read */
  bool bStart;                          /* startDay is valid */
  bool bEnd;                            /* endDay is valid */
  double rTarget;                       /* numeric target (> 0) */
  bool bTargetGiven;                    /* rTarget came from the file (JSON meta_numerica) */
  double rWeight;                       /* roll-up weight given by the file (JSON peso) */
  bool bWeightGiven;                    /* rWeight is set */
  int nOffice;                          /* offices named in RESPONSABLE */
  char **azOffice;                      /* their names, as written, trimmed (owned) */
  char **azOfficeKey;                   /* their keys (office_key_dup), owned */
  int nError;                           /* errors found on this activity */
  bool bShort;                          /* the row lacks cells: fields are not checked */
  bool bRepeated;                       /* an earlier row has the same item: not stored */
  char *zReview;                        /* error messages joined by "; ", NULL when none */
  char *zLoc;                           /* where the row is: "file:17" or "file:Hoja1!A17" */
} DraftActivity;

/* A whole plan as read from one file. */
typedef struct PlanDraft {
  PlanMeta meta;              /* preamble */
  int nAct;                   /* activities read */
  int nActAlloc;              /* slots in aAct */
  DraftActivity *aAct;        /* activities in file order */
  int nPeriodCol;             /* period target columns found */
  char cPeriodKind;           /* what the period columns are: 'T' trimestre, 'C' cuatrimestre,
                                 'S' semestre, 'A' año; 0 when the titles do not say */
  Diags diags;                /* everything found wrong, in file order */
  const Table *pTable;        /* source grid: &table, or the caller's for plan_read_table */
  Table table;                /* the grid read from the file (plan_read_file, JSON); fields
                                 of the activities point into it */
  bool bOwnsTable;            /* table must be freed with the draft */
  int aCol[PF_COUNT];         /* column of each field in pTable, -1 when absent */
  int aPeriodCol[PLAN_MAX_PERIODS]; /* column of each period target */
  int iHeaderRow;             /* row index of the header in pTable */
  char *zSource;              /* file name for messages */
  char *zFormat;              /* "tsv", "csv", "xlsx" or "json" */
  bool bUnreadable;           /* the file could not be read at all (exit 2) */
} PlanDraft;

/* Options for reading a plan file. */
typedef struct PlanReadOpts {
  const char *zSheet;  /* XLSX sheet name, NULL for the first */
  const char *zEntity; /* entity name overriding (or supplying) the preamble's */
  int iYear;           /* plan year overriding the header's, 0 for none */
  void (*xBeforeValidate)(PlanDraft *p, void *pArg); /* called after reading, before checks */
  void *pArg;          /* argument of xBeforeValidate */
} PlanReadOpts;

/* Read and validate the plan file zPath (format chosen by its content and
** extension: .xlsx, .json, otherwise delimited text). Always fills *p (call
** plan_draft_reset afterwards); problems go to p->diags, and a file that
** cannot be read at all sets p->bUnreadable with one diagnostic. */
void plan_read_file(const char *zPath, const PlanReadOpts *pOpts, PlanDraft *p);
/* Read and validate a plan from a Table already read. Cells are trimmed in
** place and the draft's fields point into t, which must outlive the draft. */
void plan_read_table(Table *t, const char *zFormat, const PlanReadOpts *pOpts, PlanDraft *p);
/* Read a plan from the JSON export format held in z (n bytes). */
void plan_read_json(const char *zName, const char *z, size_t n, const PlanReadOpts *pOpts,
                    PlanDraft *p);
/* Move table t (read by plan_read_table into p) into p, which then owns
** it; t is left empty. */
void plan_draft_adopt_table(PlanDraft *p, Table *t);
/* Free what p holds. */
void plan_draft_reset(PlanDraft *p);
/* Print diagnostics and the summary line ("FILE: 13 actividades, 1 error, 3
** advertencias") to out. */
void plan_draft_report(const PlanDraft *p, FILE *out);

/* Read a PHVA phase cell ("P:", "Hacer", "V - Verificar"): 'P','H','V','A' or 0. */
char plan_parse_phase(const char *z);
/* Read a plain number ("2", "2,5", "1.500") into *pValue; false when the
** text is not just a number. */
bool plan_parse_number(const char *z, double *pValue);

#endif
