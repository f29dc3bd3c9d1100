/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Plan storage (see plan_db.h). Every SQL text of the plan area lives here
** as a literal; values are always bound.
*/
#include "plan/plan_db.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "base/strmap.h"
#include "base/text.h"
#include "db/setting.h"
#include "io/filestore.h"
#include "office/office.h"

int64_t plan_current(Db *db, int iYear) {
  Stmt *s = db_prepare(db, "SELECT id FROM plan WHERE :year = 0 OR year = :year "
                           "ORDER BY imported_at DESC, id DESC LIMIT 1");
  db_bind_int(s, ":year", iYear);
  int64_t id = db_step(s) ? db_col_int(s, 0) : 0;
  db_finalize(s);
  return id;
}

/* ---- periods ----------------------------------------------------------------- */

/* Insert the periods of scheme zScheme for plan iPlan of year iYear. */
static void create_periods(Db *db, int64_t iPlan, int iYear, const char *zScheme) {
  int nMonths = 3;
  const char *zPrefix = "T", *zName = "Trimestre";
  if (strcmp(zScheme, "cuatrimestral") == 0) {
    nMonths = 4, zPrefix = "C", zName = "Cuatrimestre";
  } else if (strcmp(zScheme, "semestral") == 0) {
    nMonths = 6, zPrefix = "S", zName = "Semestre";
  } else if (strcmp(zScheme, "anual") == 0) {
    nMonths = 12, zPrefix = "A", zName = "Año";
  }
  Stmt *s = db_prepare(db, "INSERT INTO period(plan_id, position, code, name, start_date, end_date)"
                           " VALUES (:plan, :pos, :code, :name, :start, :end)");
  for (int i = 0; i < 12 / nMonths; i++) {
    Day start, end;
    int mLast = (i + 1) * nMonths;
    ASSERT(date_from_ymd(iYear, i * nMonths + 1, 1, &start));
    ASSERT(date_from_ymd(iYear, mLast, date_days_in_month(iYear, mLast), &end));
    Buf code = BUF_INIT, name = BUF_INIT, b1 = BUF_INIT, b2 = BUF_INIT;
    buf_appendf(&code, "%s%d", zPrefix, i + 1);
    if (nMonths == 12) {
      buf_appendf(&name, "%s %d", zName, iYear);
    } else {
      buf_appendf(&name, "%s %d", zName, i + 1);
    }
    date_format_iso(start, &b1);
    date_format_iso(end, &b2);
    db_bind_int(s, ":plan", iPlan);
    db_bind_int(s, ":pos", i + 1);
    db_bind_text(s, ":code", buf_str(&code));
    db_bind_text(s, ":name", buf_str(&name));
    db_bind_text(s, ":start", buf_str(&b1));
    db_bind_text(s, ":end", buf_str(&b2));
    db_run(s);
    buf_reset(&code);
    buf_reset(&name);
    buf_reset(&b1);
    buf_reset(&b2);
  }
  db_finalize(s);
}

/* Parse an ISO date stored by this program (aborts on corruption). */
static Day iso_day(const char *z) {
  Day d = 0;
  if (!date_parse_iso(z, &d)) {
    app_fatal("fecha dañada en la base de datos: «%s»", z ? z : "");
  }
  return d;
}

int plan_periods(Db *db, int64_t iPlan, Period **paOut) {
  Stmt *s = db_prepare(db, "SELECT id, position, code, name, start_date, end_date FROM period "
                           "WHERE plan_id = :plan ORDER BY position");
  db_bind_int(s, ":plan", iPlan);
  int n = 0;
  Period *a = NULL;
  while (db_step(s)) {
    a = xrealloc(a, sizeof(Period) * (size_t)(n + 1));
    Period *p = &a[n++];
    p->id = db_col_int(s, 0);
    p->iPos = (int)db_col_int(s, 1);
    snprintf(p->zCode, sizeof p->zCode, "%s", db_col_text(s, 2));
    p->zName = xstrdup(db_col_text(s, 3));
    p->start = iso_day(db_col_text(s, 4));
    p->end = iso_day(db_col_text(s, 5));
  }
  db_finalize(s);
  *paOut = a;
  return n;
}

void plan_periods_free(int n, Period *a) {
  for (int i = 0; i < n; i++) {
    free(a[i].zName);
  }
  free(a);
}

int64_t plan_period_id(Db *db, int64_t iPlan, const char *zCode) {
  Stmt *s = db_prepare(db, "SELECT id FROM period WHERE plan_id = :plan AND upper(code) = "
                           "upper(:code)");
  db_bind_int(s, ":plan", iPlan);
  db_bind_text(s, ":code", zCode);
  int64_t id = db_step(s) ? db_col_int(s, 0) : 0;
  db_finalize(s);
  return id;
}

/* "T1, T2, T3, T4": the period codes of plan iPlan, for messages. Caller frees. */
static char *period_codes_dup(Db *db, int64_t iPlan) {
  Period *a;
  int n = plan_periods(db, iPlan, &a);
  Buf b = BUF_INIT;
  for (int i = 0; i < n; i++) {
    buf_appendf(&b, "%s%s", i ? ", " : "", a[i].zCode);
  }
  plan_periods_free(n, a);
  return buf_take(&b);
}

/* Set *pzErr to the "unknown period" message. */
static void unknown_period(Db *db, int64_t iPlan, const char *zCode, char **pzErr) {
  char *zCodes = period_codes_dup(db, iPlan);
  *pzErr = xasprintf("el periodo «%s» no existe; los periodos del plan son: %s", zCode, zCodes);
  free(zCodes);
}

bool plan_period_set_end(Db *db, int64_t iPlan, const char *zCode, Day end, const char *zActor,
                         char **pzErr) {
  Period *a;
  int n = plan_periods(db, iPlan, &a);
  int i;
  for (i = 0; i < n && strcasecmp(a[i].zCode, zCode) != 0; i++) {
  }
  bool bOk = false;
  if (i == n) {
    unknown_period(db, iPlan, zCode, pzErr);
  } else if (end < a[i].start) {
    Buf b = BUF_INIT;
    date_format_iso(a[i].start, &b);
    *pzErr = xasprintf("el corte de %s no puede ser antes de su inicio (%s)", a[i].zCode,
                       buf_str(&b));
    buf_reset(&b);
  } else if (i + 1 < n && end >= a[i + 1].end) {
    *pzErr = xasprintf("el corte de %s debe ser anterior al corte de %s", a[i].zCode,
                       a[i + 1].zCode);
  } else {
    db_begin(db);
    Buf bEnd = BUF_INIT, bNext = BUF_INIT;
    date_format_iso(end, &bEnd);
    date_format_iso(end + 1, &bNext);
    Stmt *s = db_prepare(db, "UPDATE period SET end_date = :end WHERE id = :id");
    db_bind_text(s, ":end", buf_str(&bEnd));
    db_bind_int(s, ":id", a[i].id);
    db_run(s);
    db_finalize(s);
    if (i + 1 < n) {
      s = db_prepare(db, "UPDATE period SET start_date = :start WHERE id = :id");
      db_bind_text(s, ":start", buf_str(&bNext));
      db_bind_int(s, ":id", a[i + 1].id);
      db_run(s);
      db_finalize(s);
    }
    audit_logf(db, zActor, "periodo", "period", a[i].id, "corte de %s: %s", a[i].zCode,
               buf_str(&bEnd));
    db_commit(db);
    buf_reset(&bEnd);
    buf_reset(&bNext);
    bOk = true;
  }
  plan_periods_free(n, a);
  return bOk;
}

bool plan_period_scheme(Db *db, int64_t iPlan, const char *zScheme, const char *zActor,
                        char **pzErr) {
  static const char *const az[] = {"trimestral", "cuatrimestral", "semestral", "anual"};
  bool bKnown = false;
  for (int i = 0; i < 4; i++) {
    bKnown |= strcmp(az[i], zScheme) == 0;
  }
  if (!bKnown) {
    *pzErr = xasprintf("esquema de periodos desconocido «%s»; use trimestral, cuatrimestral, "
                       "semestral o anual",
                       zScheme);
    return false;
  }
  Stmt *s = db_prepare(db, "SELECT (SELECT count(*) FROM target t JOIN period p ON p.id = "
                           "t.period_id WHERE p.plan_id = :plan) + (SELECT count(*) FROM progress"
                           " r JOIN period p ON p.id = r.period_id WHERE p.plan_id = :plan), "
                           "(SELECT year FROM plan WHERE id = :plan)");
  db_bind_int(s, ":plan", iPlan);
  db_step(s);
  int64_t nUsed = db_col_int(s, 0);
  int iYear = (int)db_col_int(s, 1);
  db_finalize(s);
  if (nUsed > 0) {
    *pzErr = xasprintf("no se puede cambiar el esquema: hay %lld metas o reportes por periodo "
                       "registrados con los periodos actuales",
                       (long long)nUsed);
    return false;
  }
  db_begin(db);
  s = db_prepare(db, "DELETE FROM period WHERE plan_id = :plan");
  db_bind_int(s, ":plan", iPlan);
  db_run(s);
  db_finalize(s);
  s = db_prepare(db, "UPDATE plan SET period_scheme = :scheme WHERE id = :plan");
  db_bind_text(s, ":scheme", zScheme);
  db_bind_int(s, ":plan", iPlan);
  db_run(s);
  db_finalize(s);
  create_periods(db, iPlan, iYear, zScheme);
  audit_log(db, zActor, "periodos", "plan", iPlan, zScheme);
  db_commit(db);
  return true;
}

/* ---- offices ------------------------------------------------------------------ */

/* Cache of office keys to ids during an import. */
typedef struct OfficeCache {
  StrMap map;       /* key -> office id */
  Stmt *pInsert;    /* INSERT INTO office */
  int nNew;         /* offices created */
} OfficeCache;

/* Load every office and alias key into the cache. */
static void office_cache_init(Db *db, OfficeCache *c) {
  memset(c, 0, sizeof *c);
  Stmt *s = db_prepare(db, "SELECT fold, id FROM office UNION ALL "
                           "SELECT fold, office_id FROM office_alias");
  while (db_step(s)) {
    strmap_set(&c->map, db_col_text(s, 0), db_col_int(s, 1));
  }
  db_finalize(s);
  c->pInsert = db_prepare(db, "INSERT INTO office(name, fold) VALUES (:name, :fold)");
}

/* Free the cache and its statement. */
static void office_cache_reset(OfficeCache *c) {
  db_finalize(c->pInsert);
  strmap_reset(&c->map);
}

/* The id of office zName (whose key is zKey), created when unknown. */
static int64_t office_id(Db *db, OfficeCache *c, const char *zName, const char *zKey) {
  int64_t id;
  if (!strmap_get(&c->map, zKey, &id)) {
    db_bind_text(c->pInsert, ":name", zName);
    db_bind_text(c->pInsert, ":fold", zKey);
    db_run(c->pInsert);
    id = db_last_insert_id(db);
    strmap_set(&c->map, zKey, id);
    c->nNew++;
  }
  return id;
}

/* ---- import -------------------------------------------------------------------- */

/* The stored form of an activity, for comparing with the file. */
typedef struct StoredAct {
  int64_t id;               /* activity id */
  long iItem;               /* item number */
  char *azField[PF_COUNT];  /* stored text per field (dates ISO), owned */
  double rTarget;           /* numeric target */
  double aPeriod[PLAN_MAX_PERIODS]; /* period targets by period position - 1 */
  bool abPeriod[PLAN_MAX_PERIODS];  /* which are set */
  bool bSeen;               /* present in the imported file */
} StoredAct;

/* Text of draft field f as stored (dates in ISO). Caller frees. */
static char *draft_field_stored_dup(const DraftActivity *a, int f) {
  if (f == PF_START || f == PF_END) {
    bool bOk = f == PF_START ? a->bStart : a->bEnd;
    if (!bOk) {
      return xstrdup("");
    }
    Buf b = BUF_INIT;
    date_format_iso(f == PF_START ? a->startDay : a->endDay, &b);
    return buf_take(&b);
  }
  if (f == PF_PHASE) {
    char z[2] = {a->cPhase, 0};
    return xstrdup(z);
  }
  return xstrdup(a->azField[f]);
}

/* An activity id and its index, for bsearch. */
typedef struct IdIx {
  int64_t id; /* activity id */
  int i;      /* index */
} IdIx;

/* qsort/bsearch comparator of IdIx by id. */
static int idix_cmp(const void *x, const void *y) {
  const IdIx *a = x, *b = y;
  return (a->id > b->id) - (a->id < b->id);
}

/* Load the stored activities of plan iPlan, sorted by item, with their
** period targets. */
static int load_stored(Db *db, int64_t iPlan, StoredAct **paOut) {
  Stmt *s = db_prepare(db, "SELECT a.id, a.item, coalesce(c.name, ''), coalesce(a.phase, ''), "
                           "a.activity, a.product, a.indicator, a.goal, coalesce(a.start_date, "
                           "''), coalesce(a.end_date, ''), a.responsible, a.indicator_goal, "
                           "a.result_text, a.target FROM activity a LEFT JOIN component c ON "
                           "c.id = a.component_id WHERE a.plan_id = :plan ORDER BY a.item");
  db_bind_int(s, ":plan", iPlan);
  int n = 0, nAlloc = 0;
  StoredAct *a = NULL;
  while (db_step(s)) {
    if (n == nAlloc) {
      nAlloc = nAlloc ? nAlloc * 2 : 64;
      a = xrealloc(a, sizeof(StoredAct) * (size_t)nAlloc);
    }
    StoredAct *p = &a[n++];
    memset(p, 0, sizeof *p);
    p->id = db_col_int(s, 0);
    p->iItem = (long)db_col_int(s, 1);
    p->azField[PF_ITEM] = xstrdup("");
    for (int f = PF_COMPONENT; f < PF_COUNT; f++) {
      p->azField[f] = xstrdup(db_col_text(s, f + 1));
    }
    p->rTarget = db_col_double(s, 13);
  }
  db_finalize(s);
  /* period targets, matched to activities by id through a sorted index */
  IdIx *aIx = xcalloc((size_t)n + 1, sizeof(IdIx));
  for (int i = 0; i < n; i++) {
    aIx[i].id = a[i].id;
    aIx[i].i = i;
  }
  qsort(aIx, (size_t)n, sizeof(IdIx), idix_cmp);
  s = db_prepare(db, "SELECT t.activity_id, p.position, t.value FROM target t JOIN period p ON "
                     "p.id = t.period_id WHERE p.plan_id = :plan");
  db_bind_int(s, ":plan", iPlan);
  while (db_step(s)) {
    IdIx key = {db_col_int(s, 0), 0};
    IdIx *pHit = bsearch(&key, aIx, (size_t)n, sizeof(IdIx), idix_cmp);
    int k = (int)db_col_int(s, 1) - 1;
    if (pHit && k >= 0 && k < PLAN_MAX_PERIODS) {
      a[pHit->i].aPeriod[k] = db_col_double(s, 2);
      a[pHit->i].abPeriod[k] = true;
    }
  }
  db_finalize(s);
  free(aIx);
  *paOut = a;
  return n;
}

/* The stored activity with item iItem (binary search), or NULL. */
static StoredAct *find_stored(StoredAct *a, int n, long iItem) {
  int lo = 0, hi = n - 1;
  while (lo <= hi) {
    int mid = (lo + hi) / 2;
    if (a[mid].iItem == iItem) {
      return &a[mid];
    }
    if (a[mid].iItem < iItem) {
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return NULL;
}

/* The plan of zEntity (compared folded: case, accents, spacing) and iYear,
** or 0. */
static int64_t find_plan(Db *db, const char *zEntity, int iYear) {
  Stmt *s = db_prepare(db, "SELECT id, entity FROM plan WHERE year = :year ORDER BY id");
  db_bind_int(s, ":year", iYear);
  char *zKey = text_fold_dup(zEntity);
  int64_t id = 0;
  while (id == 0 && db_step(s)) {
    char *zOther = text_fold_dup(db_col_text(s, 1));
    if (strcmp(zOther, zKey) == 0) {
      id = db_col_int(s, 0);
    }
    free(zOther);
  }
  free(zKey);
  db_finalize(s);
  return id;
}

/* The period scheme named by a period kind letter ('T', 'C', 'S', 'A'). */
static const char *scheme_of_kind(char cKind) {
  switch (cKind) {
  case 'C':
    return "cuatrimestral";
  case 'S':
    return "semestral";
  case 'A':
    return "anual";
  default:
    return "trimestral";
  }
}

/* Number of periods of a scheme. */
static int scheme_periods(const char *zScheme) {
  if (strcmp(zScheme, "cuatrimestral") == 0) {
    return 3;
  }
  if (strcmp(zScheme, "semestral") == 0) {
    return 2;
  }
  if (strcmp(zScheme, "anual") == 0) {
    return 1;
  }
  return 4;
}

bool plan_check_periods(Db *db, const PlanDraft *p, char **pzErr) {
  int64_t iPlan = find_plan(db, p->meta.zEntity, p->meta.iYear);
  const char *zScheme = scheme_of_kind(p->cPeriodKind);
  int nPeriod = scheme_periods(zScheme);
  if (iPlan) {
    Stmt *s = db_prepare(db, "SELECT period_scheme, (SELECT count(*) FROM period WHERE plan_id "
                             "= :plan) FROM plan WHERE id = :plan");
    db_bind_int(s, ":plan", iPlan);
    db_step(s);
    char *zStored = xstrdup(db_col_text(s, 0));
    nPeriod = (int)db_col_int(s, 1);
    db_finalize(s);
    bool bAnyTarget = false; /* empty period columns clash with nothing */
    for (int i = 0; i < p->nAct && !bAnyTarget; i++) {
      for (int k = 0; p->aAct[i].pPeriods && k < p->nPeriodCol; k++) {
        bAnyTarget |= p->aAct[i].pPeriods->abSet[k];
      }
    }
    bool bClash = bAnyTarget && p->cPeriodKind != 0 && strcmp(zStored, zScheme) != 0;
    if (bClash) {
      *pzErr = xasprintf("las metas del archivo son de esquema %s y el plan guardado usa el "
                         "esquema %s; cambie el esquema con «participa period scheme %s» o "
                         "corrija los títulos de las columnas",
                         zScheme, zStored, zScheme);
    }
    free(zStored);
    if (bClash) {
      return false;
    }
  }
  for (int i = 0; i < p->nAct; i++) {
    const DraftPeriods *d = p->aAct[i].pPeriods;
    for (int k = nPeriod; d && k < p->nPeriodCol; k++) {
      if (d->abSet[k]) {
        *pzErr = xasprintf("%s: la meta del periodo %d no tiene periodo en el plan, que tiene %d "
                           "periodos; corrija el archivo",
                           p->aAct[i].zLoc ? p->aAct[i].zLoc : p->zSource, k + 1, nPeriod);
        return false;
      }
    }
  }
  return true;
}

/* Insert or update the plan row; returns its id and sets *pbNew. */
static int64_t upsert_plan(Db *db, const PlanDraft *p, bool *pbNew) {
  int64_t id = find_plan(db, p->meta.zEntity, p->meta.iYear);
  Stmt *s;
  *pbNew = id == 0;
  Buf now = BUF_INIT;
  clock_now_iso(&now);
  if (id == 0) {
    const char *zScheme = scheme_of_kind(p->cPeriodKind);
    s = db_prepare(db, "INSERT INTO plan(entity, year, period_scheme) VALUES (:entity, :year, "
                       ":scheme)");
    db_bind_text(s, ":entity", p->meta.zEntity);
    db_bind_int(s, ":year", p->meta.iYear);
    db_bind_text(s, ":scheme", zScheme);
    db_run(s);
    db_finalize(s);
    id = db_last_insert_id(db);
    create_periods(db, id, p->meta.iYear, zScheme);
  }
  s = db_prepare(db, "UPDATE plan SET macroproceso = :macro, proceso = :proceso, subproceso = "
                     ":sub, strategy = :strategy, policy = :policy, objective = :objective, "
                     "source_name = :source, imported_at = :now WHERE id = :id");
  db_bind_text(s, ":macro", p->meta.zMacroproceso);
  db_bind_text(s, ":proceso", p->meta.zProceso);
  db_bind_text(s, ":sub", p->meta.zSubproceso);
  db_bind_text(s, ":strategy", p->meta.zStrategy);
  db_bind_text(s, ":policy", p->meta.zPolicy);
  db_bind_text(s, ":objective", p->meta.zObjective);
  db_bind_text(s, ":source", p->zSource);
  db_bind_text(s, ":now", buf_str(&now));
  db_bind_int(s, ":id", id);
  db_run(s);
  db_finalize(s);
  buf_reset(&now);
  return id;
}

/* Statements an import reuses for every row. */
typedef struct ImportStmts {
  Stmt *pInsAct;    /* insert activity */
  Stmt *pUpdAct;    /* update activity */
  Stmt *pDelLinks;  /* delete activity_office of an activity */
  Stmt *pInsLink;   /* insert activity_office */
  Stmt *pSetTarget; /* upsert period target */
  Stmt *pComponent; /* insert component */
  Stmt *pWeight;    /* set an activity's weight */
} ImportStmts;

#define ACT_COLUMNS                                                                                \
  "component_id = :comp, phase = :phase, activity = :activity, product = :product, indicator = "   \
  ":indicator, goal = :goal, start_date = :start, end_date = :end, responsible = :resp, "          \
  "indicator_goal = :igoal, target = :target, result_text = :result, review_note = :review, "      \
  "source_loc = :loc"

/* Bind the activity columns shared by insert and update. */
static void bind_activity(Stmt *s, const DraftActivity *a, int64_t iComponent, bool bForce) {
  if (iComponent == 0) {
    db_bind_null(s, ":comp");
  } else {
    db_bind_int(s, ":comp", iComponent);
  }
  char zPhase[2] = {a->cPhase, 0};
  db_bind_text(s, ":phase", a->cPhase ? zPhase : NULL);
  db_bind_text(s, ":activity", a->azField[PF_ACTIVITY]);
  db_bind_text(s, ":product", a->azField[PF_PRODUCT]);
  db_bind_text(s, ":indicator", a->azField[PF_INDICATOR]);
  db_bind_text(s, ":goal", a->azField[PF_GOAL]);
  char *zStart = draft_field_stored_dup(a, PF_START);
  char *zEnd = draft_field_stored_dup(a, PF_END);
  db_bind_text(s, ":start", zStart[0] ? zStart : NULL);
  db_bind_text(s, ":end", zEnd[0] ? zEnd : NULL);
  free(zStart);
  free(zEnd);
  db_bind_text(s, ":resp", a->azField[PF_RESPONSIBLE]);
  db_bind_text(s, ":igoal", a->azField[PF_INDICATOR_GOAL]);
  db_bind_double(s, ":target", a->rTarget > 0 ? a->rTarget : 1);
  db_bind_text(s, ":result", a->azField[PF_RESULT]);
  db_bind_text(s, ":review", bForce && a->zReview ? a->zReview : NULL);
  db_bind_text(s, ":loc", a->zLoc ? a->zLoc : "");
}

/* Id of component zName of plan iPlan (created when new); 0 for "". */
static int64_t component_id(Db *db, ImportStmts *st, StrMap *pMap, int64_t iPlan,
                            const char *zName) {
  if (zName[0] == 0) {
    return 0;
  }
  int64_t id;
  if (strmap_get(pMap, zName, &id)) {
    return id;
  }
  db_bind_int(st->pComponent, ":plan", iPlan);
  db_bind_int(st->pComponent, ":pos", (int64_t)pMap->nUsed + 1);
  db_bind_text(st->pComponent, ":name", zName);
  db_run(st->pComponent);
  id = db_last_insert_id(db);
  strmap_set(pMap, zName, id);
  return id;
}

/* Delete the components of plan iPlan that no activity uses any more. */
static void components_prune(Db *db, int64_t iPlan) {
  Stmt *s = db_prepare(db, "DELETE FROM component WHERE plan_id = :plan AND id NOT IN (SELECT "
                           "component_id FROM activity WHERE component_id IS NOT NULL)");
  db_bind_int(s, ":plan", iPlan);
  db_run(s);
  db_finalize(s);
}

/* Compare stored and draft fields; append differences to pOut. Returns the count. */
static int diff_activity(const StoredAct *s, const DraftActivity *a, Buf *pOut) {
  int n = 0;
  for (int f = PF_COMPONENT; f < PF_COUNT; f++) {
    char *z = draft_field_stored_dup(a, f);
    if (strcmp(z, s->azField[f]) != 0) {
      char *zOld = text_ellipsize_dup(s->azField[f], 40);
      char *zNew = text_ellipsize_dup(z, 40);
      buf_appendf(pOut, "  ítem %ld: %s: «%s» → «%s»\n", a->iItem, azPlanFieldTitle[f], zOld,
                  zNew);
      free(zOld);
      free(zNew);
      n++;
    }
    free(z);
  }
  if (fabs(s->rTarget - a->rTarget) > 1e-9) {
    buf_appendf(pOut, "  ítem %ld: meta numérica: %g → %g\n", a->iItem, s->rTarget, a->rTarget);
    n++;
  }
  /* period targets the file gives and that differ (an empty cell keeps the
  ** stored target: targets set after the import are not lost) */
  for (int k = 0; a->pPeriods && k < PLAN_MAX_PERIODS; k++) {
    if (a->pPeriods->abSet[k] &&
        (!s->abPeriod[k] || fabs(s->aPeriod[k] - a->pPeriods->aTarget[k]) > 1e-9)) {
      if (s->abPeriod[k]) {
        buf_appendf(pOut, "  ítem %ld: meta del periodo %d: %g → %g\n", a->iItem, k + 1,
                    s->aPeriod[k], a->pPeriods->aTarget[k]);
      } else {
        buf_appendf(pOut, "  ítem %ld: meta del periodo %d: (sin meta) → %g\n", a->iItem, k + 1,
                    a->pPeriods->aTarget[k]);
      }
      n++;
    }
  }
  return n;
}

void plan_store(Db *db, const PlanDraft *p, const char *zActor, bool bForce, ImportResult *pRes) {
  memset(pRes, 0, sizeof *pRes);
  /* A large plan touches many pages: a 24 MiB page cache keeps SQLite from
  ** re-reading them (the default is 2 MiB). */
  db_exec(db, "PRAGMA cache_size = -24576");
  db_begin(db);
  pRes->iPlan = upsert_plan(db, p, &pRes->bNewPlan);
  int64_t iPlan = pRes->iPlan;
  StoredAct *aStored = NULL;
  int nStored = load_stored(db, iPlan, &aStored);
  Period *aPeriod;
  int nPeriod = plan_periods(db, iPlan, &aPeriod);
  OfficeCache oc;
  office_cache_init(db, &oc);
  StrMap components = STRMAP_INIT;
  Stmt *s = db_prepare(db, "SELECT name, id FROM component WHERE plan_id = :plan");
  db_bind_int(s, ":plan", iPlan);
  while (db_step(s)) {
    strmap_set(&components, db_col_text(s, 0), db_col_int(s, 1));
  }
  db_finalize(s);
  ImportStmts st;
  st.pInsAct = db_prepare(db, "INSERT INTO activity(plan_id, item, component_id, phase, activity,"
                              " product, indicator, goal, start_date, end_date, responsible, "
                              "indicator_goal, target, result_text, review_note, source_loc) "
                              "VALUES (:plan, :item, :comp, :phase, :activity, :product, "
                              ":indicator, :goal, :start, :end, :resp, :igoal, :target, :result,"
                              " :review, :loc)");
  st.pUpdAct = db_prepare(db, "UPDATE activity SET " ACT_COLUMNS " WHERE id = :id");
  st.pDelLinks = db_prepare(db, "DELETE FROM activity_office WHERE activity_id = :id");
  st.pInsLink = db_prepare(db, "INSERT INTO activity_office(activity_id, office_id, position) "
                               "VALUES (:act, :office, :pos) ON CONFLICT DO NOTHING");
  st.pSetTarget = db_prepare(db, "INSERT INTO target(activity_id, period_id, value) VALUES "
                                 "(:act, :period, :value) ON CONFLICT(activity_id, period_id) DO "
                                 "UPDATE SET value = excluded.value");
  st.pComponent = db_prepare(db, "INSERT INTO component(plan_id, position, name) VALUES (:plan, "
                                 ":pos, :name)");
  st.pWeight = db_prepare(db, "UPDATE activity SET weight = :w WHERE id = :id");
  for (int i = 0; i < p->nAct; i++) {
    const DraftActivity *a = &p->aAct[i];
    if (a->iItem <= 0 || a->bRepeated) {
      buf_appendf(&pRes->changes, "  %s: fila no guardada: %s\n", a->zLoc ? a->zLoc : p->zSource,
                  a->iItem <= 0 ? "no tiene número de ítem" : "su número de ítem está repetido");
      pRes->nSkipped++;
      continue;
    }
    int64_t iComp = component_id(db, &st, &components, iPlan, a->azField[PF_COMPONENT]);
    StoredAct *pOld = find_stored(aStored, nStored, a->iItem);
    int64_t iAct;
    bool bLinks = true;
    if (pOld == NULL) {
      bind_activity(st.pInsAct, a, iComp, bForce);
      db_bind_int(st.pInsAct, ":plan", iPlan);
      db_bind_int(st.pInsAct, ":item", a->iItem);
      db_run(st.pInsAct);
      iAct = db_last_insert_id(db);
      pRes->nAdded++;
      if (!pRes->bNewPlan) {
        char *zShort = text_ellipsize_dup(a->azField[PF_ACTIVITY], 60);
        buf_appendf(&pRes->changes, "  ítem %ld: nuevo: %s\n", a->iItem, zShort);
        free(zShort);
      }
    } else {
      pOld->bSeen = true;
      iAct = pOld->id;
      int nDiff = diff_activity(pOld, a, &pRes->changes);
      bLinks = strcmp(pOld->azField[PF_RESPONSIBLE], a->azField[PF_RESPONSIBLE]) != 0;
      if (nDiff) {
        pRes->nChanged++;
      } else {
        pRes->nSame++;
      }
      bind_activity(st.pUpdAct, a, iComp, bForce);
      db_bind_int(st.pUpdAct, ":id", iAct);
      db_run(st.pUpdAct);
      if (bLinks) {
        db_bind_int(st.pDelLinks, ":id", iAct);
        db_run(st.pDelLinks);
      }
    }
    if (bForce && a->zReview) {
      pRes->nReview++;
    }
    if (a->bWeightGiven) {
      db_bind_double(st.pWeight, ":w", a->rWeight);
      db_bind_int(st.pWeight, ":id", iAct);
      db_run(st.pWeight);
    }
    if (bLinks) {
      for (int k = 0; k < a->nOffice; k++) {
        db_bind_int(st.pInsLink, ":act", iAct);
        db_bind_int(st.pInsLink, ":office", office_id(db, &oc, a->azOffice[k], a->azOfficeKey[k]));
        db_bind_int(st.pInsLink, ":pos", k + 1);
        db_run(st.pInsLink);
      }
    }
    for (int k = 0; k < p->nPeriodCol && k < nPeriod; k++) {
      if (a->pPeriods && a->pPeriods->abSet[k]) {
        db_bind_int(st.pSetTarget, ":act", iAct);
        db_bind_int(st.pSetTarget, ":period", aPeriod[k].id);
        db_bind_double(st.pSetTarget, ":value", a->pPeriods->aTarget[k]);
        db_run(st.pSetTarget);
      }
    }
  }
  /* Activities the file no longer has. */
  Stmt *pHasProgress = db_prepare(db, "SELECT count(*) FROM progress WHERE activity_id = :id");
  Stmt *pDelete = db_prepare(db, "DELETE FROM activity WHERE id = :id");
  Stmt *pFlag = db_prepare(db, "UPDATE activity SET review_note = :note WHERE id = :id");
  for (int i = 0; i < nStored; i++) {
    if (aStored[i].bSeen) {
      continue;
    }
    db_bind_int(pHasProgress, ":id", aStored[i].id);
    db_step(pHasProgress);
    int64_t nProgress = db_col_int(pHasProgress, 0);
    db_reset(pHasProgress);
    if (pRes->nSkipped == 0 && nProgress == 0) {
      db_bind_int(pDelete, ":id", aStored[i].id);
      db_run(pDelete);
      buf_appendf(&pRes->changes, "  ítem %ld: eliminado (no está en el archivo)\n",
                  aStored[i].iItem);
      pRes->nRemoved++;
      continue;
    }
    /* kept and marked: it has progress, or it may be one of the rows the
    ** file had without a valid item number */
    bool bSkipped = pRes->nSkipped > 0;
    db_bind_text(pFlag, ":note",
                 bSkipped ? "no aparece en el último archivo importado, que tenía filas sin "
                            "número de ítem válido; revise antes de borrarla"
                          : "no aparece en el último archivo importado; se conserva porque "
                            "tiene avances");
    db_bind_int(pFlag, ":id", aStored[i].id);
    db_run(pFlag);
    if (bSkipped) {
      buf_appendf(&pRes->changes,
                  "  ítem %ld: no está en el archivo; se conserva porque el archivo tiene filas "
                  "sin número válido, y queda a revisar\n",
                  aStored[i].iItem);
    } else {
      buf_appendf(&pRes->changes,
                  "  ítem %ld: no está en el archivo; se conserva (tiene %lld reporte%s de avance)"
                  " y queda a revisar\n",
                  aStored[i].iItem, (long long)nProgress, nProgress == 1 ? "" : "s");
    }
    pRes->nKept++;
  }
  db_finalize(pHasProgress);
  db_finalize(pDelete);
  db_finalize(pFlag);
  components_prune(db, iPlan);
  pRes->nOfficeNew = oc.nNew;
  audit_logf(db, zActor, "importar", "plan", iPlan,
             "%s: %d nuevas, %d modificadas, %d sin cambios, %d eliminadas, %d "
             "conservadas, %d a revisar",
             p->zSource, pRes->nAdded, pRes->nChanged, pRes->nSame, pRes->nRemoved, pRes->nKept,
             pRes->nReview);
  db_finalize(st.pInsAct);
  db_finalize(st.pUpdAct);
  db_finalize(st.pDelLinks);
  db_finalize(st.pInsLink);
  db_finalize(st.pSetTarget);
  db_finalize(st.pComponent);
  db_finalize(st.pWeight);
  office_cache_reset(&oc);
  strmap_reset(&components);
  db_commit(db);
  for (int i = 0; i < nStored; i++) {
    for (int f = 0; f < PF_COUNT; f++) {
      free(aStored[i].azField[f]);
    }
  }
  free(aStored);
  plan_periods_free(nPeriod, aPeriod);
}

/* ---- targets and progress -------------------------------------------------------- */

int64_t plan_activity_id(Db *db, int64_t iPlan, long iItem) {
  Stmt *s = db_prepare(db, "SELECT id FROM activity WHERE plan_id = :plan AND item = :item");
  db_bind_int(s, ":plan", iPlan);
  db_bind_int(s, ":item", iItem);
  int64_t id = db_step(s) ? db_col_int(s, 0) : 0;
  db_finalize(s);
  return id;
}

bool plan_target_set(Db *db, int64_t iPlan, long iItem, const char *zCode, double rValue,
                     const char *zActor, char **pzErr) {
  int64_t iAct = plan_activity_id(db, iPlan, iItem);
  if (iAct == 0) {
    *pzErr = xasprintf("el plan no tiene el ítem %ld; vea «participa plan show»", iItem);
    return false;
  }
  int64_t iPeriod = plan_period_id(db, iPlan, zCode);
  if (iPeriod == 0) {
    unknown_period(db, iPlan, zCode, pzErr);
    return false;
  }
  if (!(rValue >= 0) || !isfinite(rValue)) {
    *pzErr = xasprintf("la meta debe ser un número mayor o igual a cero");
    return false;
  }
  db_begin(db);
  Stmt *s = db_prepare(db, "INSERT INTO target(activity_id, period_id, value) VALUES (:act, "
                           ":period, :value) ON CONFLICT(activity_id, period_id) DO UPDATE SET "
                           "value = excluded.value");
  db_bind_int(s, ":act", iAct);
  db_bind_int(s, ":period", iPeriod);
  db_bind_double(s, ":value", rValue);
  db_run(s);
  db_finalize(s);
  audit_logf(db, zActor, "meta", "activity", iAct, "ítem %ld, %s: meta %g", iItem, zCode, rValue);
  db_commit(db);
  return true;
}

bool plan_weight_set(Db *db, int64_t iPlan, long iItem, double rWeight, const char *zActor,
                     char **pzErr) {
  int64_t iAct = plan_activity_id(db, iPlan, iItem);
  if (iAct == 0) {
    *pzErr = xasprintf("el plan no tiene el ítem %ld; vea «participa plan show»", iItem);
    return false;
  }
  if (!(rWeight >= 0) || !isfinite(rWeight)) {
    *pzErr = xasprintf("el peso debe ser un número mayor o igual a cero");
    return false;
  }
  db_begin(db);
  Stmt *s = db_prepare(db, "UPDATE activity SET weight = :w WHERE id = :id");
  db_bind_double(s, ":w", rWeight);
  db_bind_int(s, ":id", iAct);
  db_run(s);
  db_finalize(s);
  audit_logf(db, zActor, "peso", "activity", iAct, "ítem %ld: peso %g", iItem, rWeight);
  db_commit(db);
  return true;
}

/* Base name of a path (borrowed). */
static const char *base_name(const char *zPath) {
  const char *z = strrchr(zPath, '/');
  return z ? z + 1 : zPath;
}

int64_t plan_progress_add(Db *db, const char *zDataDir, int64_t iPlan, long iItem,
                          const char *zPeriod, double rValue, const char *zNote,
                          const Evidence *pEv, const char *zAuthor, char **pzErr) {
  int64_t iAct = plan_activity_id(db, iPlan, iItem);
  if (iAct == 0) {
    *pzErr = xasprintf("el plan no tiene el ítem %ld; vea «participa plan show»", iItem);
    return 0;
  }
  int64_t iPeriod = plan_period_id(db, iPlan, zPeriod);
  if (iPeriod == 0) {
    unknown_period(db, iPlan, zPeriod, pzErr);
    return 0;
  }
  if (!(rValue >= 0) || !isfinite(rValue)) {
    *pzErr = xasprintf("el valor del avance debe ser un número mayor o igual a cero");
    return 0;
  }
  if (str_is_blank(zNote)) {
    *pzErr = xasprintf("escriba en --note qué se hizo (la nota del avance no puede ir vacía)");
    return 0;
  }
  StoredFile stored = {.zSha256 = ""};
  bool bFile = pEv && (pEv->zFile || pEv->pData);
  if (bFile) {
    char *zDir = xasprintf("%s/evidencias", zDataDir);
    bool bStored = pEv->zFile ? filestore_put_file(zDir, pEv->zFile, &stored, pzErr)
                              : filestore_put_mem(zDir, pEv->pData, pEv->nData, &stored, pzErr);
    free(zDir);
    if (!bStored) {
      return 0;
    }
  }
  Buf now = BUF_INIT;
  clock_now_iso(&now);
  db_begin(db);
  Stmt *s = db_prepare(db, "INSERT INTO progress(activity_id, period_id, value, note, author, "
                           "created_at) VALUES (:act, :period, :value, :note, :author, :now)");
  db_bind_int(s, ":act", iAct);
  db_bind_int(s, ":period", iPeriod);
  db_bind_double(s, ":value", rValue);
  db_bind_text(s, ":note", zNote);
  db_bind_text(s, ":author", zAuthor);
  db_bind_text(s, ":now", buf_str(&now));
  db_run(s);
  db_finalize(s);
  int64_t iReport = db_last_insert_id(db);
  /* a file row, then a link row: an upload may bring both */
  for (int iRow = 0; iRow < 2; iRow++) {
    bool bFileRow = iRow == 0;
    if (bFileRow ? !bFile : !(pEv && pEv->zUrl)) {
      continue;
    }
    s = db_prepare(db, "INSERT INTO evidence(progress_id, kind, sha256, name, size, mime, "
                       "created_at) VALUES (:report, :kind, :sha, :name, :size, :mime, :now)");
    db_bind_int(s, ":report", iReport);
    db_bind_text(s, ":kind", bFileRow ? "archivo" : "enlace");
    db_bind_text(s, ":sha", bFileRow ? stored.zSha256 : NULL);
    db_bind_text(s, ":name", !bFileRow    ? pEv->zUrl
                             : pEv->zFile ? base_name(pEv->zFile)
                                          : (pEv->zName ? pEv->zName : ""));
    if (bFileRow) {
      db_bind_int(s, ":size", stored.nSize);
    } else {
      db_bind_null(s, ":size");
    }
    db_bind_text(s, ":mime", bFileRow ? stored.zMime : NULL);
    db_bind_text(s, ":now", buf_str(&now));
    db_run(s);
    db_finalize(s);
  }
  audit_logf(db, zAuthor, "reportar", "progress", iReport, "ítem %ld, %s: avance %g reportado",
             iItem, zPeriod, rValue);
  db_commit(db);
  buf_reset(&now);
  free(stored.zMime);
  return iReport;
}

bool plan_progress_review(Db *db, int64_t iReport, bool bVerify, const char *zNote,
                          const char *zActor, char **pzErr) {
  if (str_is_blank(zNote)) {
    *pzErr = xasprintf("escriba en --note el resultado de la revisión");
    return false;
  }
  Buf now = BUF_INIT;
  clock_now_iso(&now);
  /* the status is read inside the write transaction, so that two reviewers
  ** cannot both decide on the same report */
  db_begin(db);
  Stmt *s = db_prepare(db, "SELECT status FROM progress WHERE id = :id");
  db_bind_int(s, ":id", iReport);
  char *zStatus = db_step(s) ? db_col_text_dup(s, 0) : NULL;
  db_finalize(s);
  if (zStatus == NULL || strcmp(zStatus, "reportado") != 0) {
    db_rollback(db);
    if (zStatus == NULL) {
      *pzErr = xasprintf("no existe el reporte de avance %lld; vea «participa plan show ÍTEM»",
                         (long long)iReport);
    } else {
      *pzErr = xasprintf("el reporte %lld ya fue revisado (%s)", (long long)iReport, zStatus);
    }
    free(zStatus);
    buf_reset(&now);
    return false;
  }
  free(zStatus);
  s = db_prepare(db, "UPDATE progress SET status = :status, reviewer = :actor, reviewed_at = "
                     ":now, review_note = :note WHERE id = :id AND status = 'reportado'");
  db_bind_text(s, ":status", bVerify ? "verificado" : "rechazado");
  db_bind_text(s, ":actor", zActor);
  db_bind_text(s, ":now", buf_str(&now));
  db_bind_text(s, ":note", zNote);
  db_bind_int(s, ":id", iReport);
  db_run(s);
  db_finalize(s);
  audit_log(db, zActor, bVerify ? "verificar" : "rechazar", "progress", iReport, zNote);
  db_commit(db);
  buf_reset(&now);
  return true;
}

/* ---- editing one activity ------------------------------------------------------------ */

/* The fields plan_activity_update edits, in form order. */
static const PlanField aEditField[] = {PF_COMPONENT,   PF_PHASE,         PF_ACTIVITY, PF_PRODUCT,
                                       PF_INDICATOR,   PF_GOAL,          PF_START,    PF_END,
                                       PF_RESPONSIBLE, PF_INDICATOR_GOAL};
#define N_EDIT_FIELD ((int)(sizeof aEditField / sizeof aEditField[0]))

void plan_activity_edit_reset(ActivityEdit *p) {
  for (int f = 0; f < PF_COUNT; f++) {
    free(p->azField[f]);
  }
  free(p->zReview);
  memset(p, 0, sizeof *p);
}

/* plan_activity_load, also giving the activity id (0 when absent). */
static int64_t activity_load(Db *db, int64_t iPlan, long iItem, ActivityEdit *pOut) {
  memset(pOut, 0, sizeof *pOut);
  Stmt *s = db_prepare(db, "SELECT a.id, coalesce(c.name, ''), coalesce(a.phase, ''), a.activity,"
                           " a.product, a.indicator, a.goal, coalesce(a.start_date, ''), "
                           "coalesce(a.end_date, ''), a.responsible, a.indicator_goal, a.target, "
                           "a.weight, a.review_note FROM activity a LEFT JOIN component c ON c.id "
                           "= a.component_id WHERE a.plan_id = :plan AND a.item = :item");
  db_bind_int(s, ":plan", iPlan);
  db_bind_int(s, ":item", iItem);
  int64_t iAct = 0;
  if (db_step(s)) {
    iAct = db_col_int(s, 0);
    for (int i = 0; i < N_EDIT_FIELD; i++) {
      pOut->azField[aEditField[i]] = xstrdup(db_col_text(s, i + 1));
    }
    pOut->rTarget = db_col_double(s, 11);
    pOut->rWeight = db_col_double(s, 12);
    pOut->zReview = db_col_text_dup(s, 13);
  }
  db_finalize(s);
  if (iAct == 0) {
    return 0;
  }
  Period *aPeriod;
  int nPeriod = plan_periods(db, iPlan, &aPeriod);
  pOut->nPeriod = nPeriod < PLAN_MAX_PERIODS ? nPeriod : PLAN_MAX_PERIODS;
  plan_periods_free(nPeriod, aPeriod);
  s = db_prepare(db, "SELECT p.position, t.value FROM target t JOIN period p ON p.id = "
                     "t.period_id WHERE t.activity_id = :act");
  db_bind_int(s, ":act", iAct);
  while (db_step(s)) {
    int k = (int)db_col_int(s, 0) - 1;
    if (k >= 0 && k < pOut->nPeriod) {
      pOut->aPeriod[k] = db_col_double(s, 1);
      pOut->abPeriod[k] = true;
    }
  }
  db_finalize(s);
  return iAct;
}

bool plan_activity_load(Db *db, int64_t iPlan, long iItem, ActivityEdit *pOut) {
  return activity_load(db, iPlan, iItem, pOut) != 0;
}

/* Check the invariants plan_activity_update relies on; false with *pzErr. */
static bool activity_edit_ok(const ActivityEdit *p, int nPeriod, char **pzErr) {
  for (int i = 0; i < N_EDIT_FIELD; i++) {
    if (p->azField[aEditField[i]] == NULL) {
      *pzErr = xasprintf("falta el campo %s", azPlanFieldName[aEditField[i]]);
      return false;
    }
  }
  const char *zPhase = p->azField[PF_PHASE];
  Day start = 0, end = 0;
  Buf err = BUF_INIT;
  bool bStart = p->azField[PF_START][0] && date_parse(p->azField[PF_START], &start, &err);
  bool bEnd = p->azField[PF_END][0] && date_parse(p->azField[PF_END], &end, &err);
  buf_reset(&err);
  if (zPhase[0] == 0 || zPhase[1] != 0 || strchr("PHVA", zPhase[0]) == NULL) {
    *pzErr = xasprintf("fase PHVA desconocida «%s»; use P, H, V o A", zPhase);
  } else if (str_is_blank(p->azField[PF_ACTIVITY])) {
    *pzErr = xasprintf("falta el texto de la actividad");
  } else if (!bStart || !bEnd) {
    *pzErr = xasprintf("las fechas de inicio y final son obligatorias");
  } else if (end < start) {
    *pzErr = xasprintf("la fecha final es anterior a la fecha de inicio");
  } else if (!(p->rTarget > 0) || !isfinite(p->rTarget)) {
    *pzErr = xasprintf("la meta numérica debe ser un número mayor que cero");
  } else if (!(p->rWeight >= 0) || !isfinite(p->rWeight)) {
    *pzErr = xasprintf("el peso debe ser un número mayor o igual a cero");
  } else if (p->nPeriod != nPeriod) {
    *pzErr = xasprintf("el plan tiene %d periodos y llegaron metas para %d", nPeriod, p->nPeriod);
  } else {
    for (int k = 0; k < p->nPeriod; k++) {
      if (p->abPeriod[k] && (!(p->aPeriod[k] >= 0) || !isfinite(p->aPeriod[k]))) {
        *pzErr = xasprintf("la meta del periodo %d debe ser un número mayor o igual a cero", k + 1);
        return false;
      }
    }
    return true;
  }
  return false;
}

/* Log one change of activity iAct (item iItem): "ítem 3: FECHA FINAL: «a» → «b»". */
static void log_activity_change(Db *db, const char *zActor, int64_t iAct, long iItem,
                                const char *zWhat, const char *zOld, const char *zNew,
                                bool bQuote) {
  audit_logf(db, zActor, "editar", "activity", iAct,
             bQuote ? "ítem %ld: %s: «%s» → «%s»" : "ítem %ld: %s: %s → %s", iItem, zWhat, zOld,
             zNew);
}

/* Log number zWhat of activity iAct when it changes from rOld to rNew;
** returns 1 when it did, else 0. */
static int log_number_change(Db *db, const char *zActor, int64_t iAct, long iItem,
                             const char *zWhat, double rOld, double rNew) {
  if (fabs(rOld - rNew) <= 1e-9) {
    return 0;
  }
  char zOld[32], zNew[32];
  snprintf(zOld, sizeof zOld, "%g", rOld);
  snprintf(zNew, sizeof zNew, "%g", rNew);
  log_activity_change(db, zActor, iAct, iItem, zWhat, zOld, zNew, false);
  return 1;
}

/* "%g" of v, or "(sin meta)" when !bSet, into a static-free Buf. */
static void put_target(Buf *p, double v, bool bSet) {
  if (bSet) {
    buf_appendf(p, "%g", v);
  } else {
    buf_puts(p, "(sin meta)");
  }
}

/* Id of component zName of plan iPlan, created (last position) when new. */
static int64_t component_find_or_add(Db *db, int64_t iPlan, const char *zName) {
  Stmt *s = db_prepare(db, "SELECT id FROM component WHERE plan_id = :plan AND name = :name");
  db_bind_int(s, ":plan", iPlan);
  db_bind_text(s, ":name", zName);
  int64_t id = db_step(s) ? db_col_int(s, 0) : 0;
  db_finalize(s);
  if (id) {
    return id;
  }
  s = db_prepare(db, "INSERT INTO component(plan_id, position, name) VALUES (:plan, (SELECT "
                     "coalesce(max(position), 0) + 1 FROM component WHERE plan_id = :plan), "
                     ":name)");
  db_bind_int(s, ":plan", iPlan);
  db_bind_text(s, ":name", zName);
  db_run(s);
  db_finalize(s);
  return db_last_insert_id(db);
}

/* Link activity iAct to the offices named in zResponsible (after removing
** its links); offices not in the catalogue are added. */
static void relink_offices(Db *db, int64_t iAct, const char *zResponsible) {
  Stmt *s = db_prepare(db, "DELETE FROM activity_office WHERE activity_id = :id");
  db_bind_int(s, ":id", iAct);
  db_run(s);
  db_finalize(s);
  char **azName, **azKey;
  int n = office_split_keyed(zResponsible, &azName, &azKey);
  OfficeCache oc;
  office_cache_init(db, &oc);
  s = db_prepare(db, "INSERT INTO activity_office(activity_id, office_id, position) VALUES "
                     "(:act, :office, :pos) ON CONFLICT DO NOTHING");
  for (int k = 0; k < n; k++) {
    db_bind_int(s, ":act", iAct);
    db_bind_int(s, ":office", office_id(db, &oc, azName[k], azKey[k]));
    db_bind_int(s, ":pos", k + 1);
    db_run(s);
  }
  db_finalize(s);
  office_cache_reset(&oc);
  office_names_free(n, azName);
  office_names_free(n, azKey);
}

int plan_activity_update(Db *db, int64_t iPlan, long iItem, const ActivityEdit *pNew,
                         const char *zActor, char **pzErr) {
  Period *aPeriod;
  int nPeriodAll = plan_periods(db, iPlan, &aPeriod);
  int nPeriod = nPeriodAll < PLAN_MAX_PERIODS ? nPeriodAll : PLAN_MAX_PERIODS;
  if (!activity_edit_ok(pNew, nPeriod, pzErr)) {
    plan_periods_free(nPeriodAll, aPeriod);
    return -1;
  }
  char **azName;
  int nOffice = office_split(pNew->azField[PF_RESPONSIBLE], &azName);
  office_names_free(nOffice, azName);
  if (nOffice == 0) {
    *pzErr = xasprintf("no hay dependencia responsable; escriba al menos una en RESPONSABLE");
    plan_periods_free(nPeriodAll, aPeriod);
    return -1;
  }
  db_begin(db);
  ActivityEdit old;
  int64_t iAct = activity_load(db, iPlan, iItem, &old);
  if (iAct == 0) {
    db_rollback(db);
    plan_periods_free(nPeriodAll, aPeriod);
    *pzErr = xasprintf("el plan no tiene el ítem %ld", iItem);
    return -1;
  }
  int nChange = 0;
  for (int i = 0; i < N_EDIT_FIELD; i++) {
    PlanField f = aEditField[i];
    if (strcmp(old.azField[f], pNew->azField[f]) != 0) {
      log_activity_change(db, zActor, iAct, iItem, azPlanFieldName[f], old.azField[f],
                          pNew->azField[f], true);
      nChange++;
    }
  }
  nChange +=
      log_number_change(db, zActor, iAct, iItem, "meta numérica", old.rTarget, pNew->rTarget);
  nChange += log_number_change(db, zActor, iAct, iItem, "peso", old.rWeight, pNew->rWeight);
  Buf b1 = BUF_INIT, b2 = BUF_INIT;
  int64_t iOldComp = 0;
  Stmt *s = db_prepare(db, "SELECT coalesce(component_id, 0) FROM activity WHERE id = :id");
  db_bind_int(s, ":id", iAct);
  if (db_step(s)) {
    iOldComp = db_col_int(s, 0);
  }
  db_finalize(s);
  int64_t iComp = iOldComp;
  if (strcmp(old.azField[PF_COMPONENT], pNew->azField[PF_COMPONENT]) != 0) {
    iComp = pNew->azField[PF_COMPONENT][0]
                ? component_find_or_add(db, iPlan, pNew->azField[PF_COMPONENT])
                : 0;
  }
  s = db_prepare(db, "UPDATE activity SET component_id = :comp, phase = :phase, activity = "
                     ":activity, product = :product, indicator = :indicator, goal = :goal, "
                     "start_date = :start, end_date = :end, responsible = :resp, indicator_goal"
                     " = :igoal, target = :target, weight = :weight WHERE id = :id");
  if (iComp == 0) {
    db_bind_null(s, ":comp");
  } else {
    db_bind_int(s, ":comp", iComp);
  }
  db_bind_text(s, ":phase", pNew->azField[PF_PHASE]);
  db_bind_text(s, ":activity", pNew->azField[PF_ACTIVITY]);
  db_bind_text(s, ":product", pNew->azField[PF_PRODUCT]);
  db_bind_text(s, ":indicator", pNew->azField[PF_INDICATOR]);
  db_bind_text(s, ":goal", pNew->azField[PF_GOAL]);
  db_bind_text(s, ":start", pNew->azField[PF_START]);
  db_bind_text(s, ":end", pNew->azField[PF_END]);
  db_bind_text(s, ":resp", pNew->azField[PF_RESPONSIBLE]);
  db_bind_text(s, ":igoal", pNew->azField[PF_INDICATOR_GOAL]);
  db_bind_double(s, ":target", pNew->rTarget);
  db_bind_double(s, ":weight", pNew->rWeight);
  db_bind_int(s, ":id", iAct);
  db_run(s);
  db_finalize(s);
  if (iComp != iOldComp) {
    components_prune(db, iPlan);
  }
  if (strcmp(old.azField[PF_RESPONSIBLE], pNew->azField[PF_RESPONSIBLE]) != 0) {
    relink_offices(db, iAct, pNew->azField[PF_RESPONSIBLE]);
  }
  Stmt *pSet = db_prepare(db, "INSERT INTO target(activity_id, period_id, value) VALUES (:act, "
                              ":period, :value) ON CONFLICT(activity_id, period_id) DO UPDATE "
                              "SET value = excluded.value");
  Stmt *pDel = db_prepare(db, "DELETE FROM target WHERE activity_id = :act AND period_id = "
                              ":period");
  for (int k = 0; k < nPeriod; k++) {
    bool bOld = old.abPeriod[k], bNew = pNew->abPeriod[k];
    if (bOld == bNew && (!bNew || fabs(old.aPeriod[k] - pNew->aPeriod[k]) <= 1e-9)) {
      continue;
    }
    Stmt *pRun = bNew ? pSet : pDel;
    db_bind_int(pRun, ":act", iAct);
    db_bind_int(pRun, ":period", aPeriod[k].id);
    if (bNew) {
      db_bind_double(pRun, ":value", pNew->aPeriod[k]);
    }
    db_run(pRun);
    buf_clear(&b1);
    buf_clear(&b2);
    put_target(&b1, old.aPeriod[k], bOld);
    put_target(&b2, pNew->aPeriod[k], bNew);
    char *zWhat = xasprintf("meta de %s", aPeriod[k].zCode);
    log_activity_change(db, zActor, iAct, iItem, zWhat, buf_str(&b1), buf_str(&b2), false);
    free(zWhat);
    nChange++;
  }
  db_finalize(pSet);
  db_finalize(pDel);
  if (pNew->bClearReview && old.zReview) {
    s = db_prepare(db, "UPDATE activity SET review_note = NULL WHERE id = :id");
    db_bind_int(s, ":id", iAct);
    db_run(s);
    db_finalize(s);
    log_activity_change(db, zActor, iAct, iItem, "a revisar", old.zReview, "", true);
    nChange++;
  }
  db_commit(db);
  buf_reset(&b1);
  buf_reset(&b2);
  plan_activity_edit_reset(&old);
  plan_periods_free(nPeriodAll, aPeriod);
  return nChange;
}

/* ---- settings ------------------------------------------------------------------------------ */

/* Set (zValue not NULL and not "") or remove setting zKey inside the caller's
** transaction, logging the change; returns 1 when it changed, else 0. */
static int setting_put(Db *db, const char *zKey, const char *zValue, const char *zActor) {
  char *zOld = setting_get_dup(db, zKey);
  bool bRemove = zValue == NULL || zValue[0] == 0;
  int nChange = 0;
  if (bRemove ? zOld != NULL : (zOld == NULL || strcmp(zOld, zValue) != 0)) {
    setting_set(db, zKey, bRemove ? NULL : zValue);
    audit_logf(db, zActor, "ajuste", "setting", 0, "%s: «%s» → «%s»", zKey, zOld ? zOld : "",
               bRemove ? "" : zValue);
    nChange = 1;
  }
  free(zOld);
  return nChange;
}

int plan_settings_save(Db *db, int64_t iPlan, const SettingsEdit *pEdit, const char *zActor,
                       char **pzErr) {
  if (!(pEdit->rRedBelow >= 0) || !(pEdit->rRedBelow < pEdit->rYellowBelow) ||
      !(pEdit->rYellowBelow <= 100)) {
    *pzErr = xasprintf("los umbrales del semáforo deben cumplir 0 ≤ rojo < amarillo ≤ 100");
    return -1;
  }
  Period *aPeriod = NULL;
  int nPeriod = iPlan ? plan_periods(db, iPlan, &aPeriod) : 0;
  if (pEdit->nPeriod != 0 && pEdit->nPeriod != nPeriod) {
    *pzErr = xasprintf("el plan tiene %d periodos y llegaron %d cortes", nPeriod, pEdit->nPeriod);
    plan_periods_free(nPeriod, aPeriod);
    return -1;
  }
  for (int i = 0; i < pEdit->nPeriod; i++) {
    Day start = i == 0 ? aPeriod[0].start : pEdit->aEnd[i - 1] + 1;
    if (pEdit->aEnd[i] < start) {
      *pzErr = i == 0
                   ? xasprintf("el corte de %s no puede ser antes de su inicio", aPeriod[i].zCode)
                   : xasprintf("el corte de %s debe ser posterior al corte de %s", aPeriod[i].zCode,
                               aPeriod[i - 1].zCode);
      plan_periods_free(nPeriod, aPeriod);
      return -1;
    }
  }
  db_begin(db);
  int nChange = 0;
  char zNum[64];
  snprintf(zNum, sizeof zNum, "%g", pEdit->rRedBelow);
  nChange += setting_put(db, SETTING_RED_BELOW, zNum, zActor);
  snprintf(zNum, sizeof zNum, "%g", pEdit->rYellowBelow);
  nChange += setting_put(db, SETTING_YELLOW_BELOW, zNum, zActor);
  nChange += setting_put(db, SETTING_ENTITY_NAME, pEdit->zEntity, zActor);
  if (pEdit->zLogoType) {
    nChange += setting_put(db, SETTING_ENTITY_LOGO_TYPE, pEdit->zLogoType, zActor);
  }
  Stmt *s = db_prepare(db, "UPDATE period SET start_date = :start, end_date = :end WHERE id = "
                           ":id");
  for (int i = 0; i < pEdit->nPeriod; i++) {
    Day start = i == 0 ? aPeriod[0].start : pEdit->aEnd[i - 1] + 1;
    if (start == aPeriod[i].start && pEdit->aEnd[i] == aPeriod[i].end) {
      continue;
    }
    Buf bStart = BUF_INIT, bEnd = BUF_INIT, bOld = BUF_INIT;
    date_format_iso(start, &bStart);
    date_format_iso(pEdit->aEnd[i], &bEnd);
    date_format_iso(aPeriod[i].end, &bOld);
    db_bind_text(s, ":start", buf_str(&bStart));
    db_bind_text(s, ":end", buf_str(&bEnd));
    db_bind_int(s, ":id", aPeriod[i].id);
    db_run(s);
    if (pEdit->aEnd[i] != aPeriod[i].end) {
      audit_logf(db, zActor, "periodo", "period", aPeriod[i].id, "corte de %s: %s → %s",
                 aPeriod[i].zCode, buf_str(&bOld), buf_str(&bEnd));
      nChange++;
    }
    buf_reset(&bStart);
    buf_reset(&bEnd);
    buf_reset(&bOld);
  }
  db_finalize(s);
  db_commit(db);
  plan_periods_free(nPeriod, aPeriod);
  return nChange;
}

/* ---- the history of an activity --------------------------------------------------------- */

Stmt *plan_history_query(Db *db, int64_t iAct, bool bPublic) {
  Stmt *s = db_prepare(db, "SELECT at, actor, action, detail FROM change_log WHERE (object = "
                           "'activity' AND object_id = :act) OR (object = 'progress' AND "
                           "object_id IN (SELECT id FROM progress WHERE activity_id = :act AND "
                           "(:public = 0 OR status = 'verificado')) AND (:public = 0 OR action "
                           "IN ('reportar', 'verificar'))) ORDER BY id");
  db_bind_int(s, ":act", iAct);
  db_bind_int(s, ":public", bPublic ? 1 : 0);
  return s;
}

/* ---- what an import would change ------------------------------------------------------------ */

void plan_store_preview(Db *db, const PlanDraft *p, bool bForce, ImportResult *pRes) {
  memset(pRes, 0, sizeof *pRes);
  db_begin_read(db);
  int64_t iPlan = find_plan(db, p->meta.zEntity, p->meta.iYear);
  pRes->iPlan = iPlan;
  pRes->bNewPlan = iPlan == 0;
  StoredAct *aStored = NULL;
  int nStored = iPlan ? load_stored(db, iPlan, &aStored) : 0;
  StrMap keys = STRMAP_INIT; /* office keys known, and those the import would add */
  Stmt *s = db_prepare(db, "SELECT fold FROM office UNION ALL SELECT fold FROM office_alias");
  while (db_step(s)) {
    strmap_set(&keys, db_col_text(s, 0), 1);
  }
  db_finalize(s);
  for (int i = 0; i < p->nAct; i++) {
    const DraftActivity *a = &p->aAct[i];
    if (a->iItem <= 0 || a->bRepeated) {
      buf_appendf(&pRes->changes, "  %s: fila no guardada: %s\n", a->zLoc ? a->zLoc : p->zSource,
                  a->iItem <= 0 ? "no tiene número de ítem" : "su número de ítem está repetido");
      pRes->nSkipped++;
      continue;
    }
    StoredAct *pOld = find_stored(aStored, nStored, a->iItem);
    if (pOld == NULL) {
      pRes->nAdded++;
      if (!pRes->bNewPlan) {
        char *zShort = text_ellipsize_dup(a->azField[PF_ACTIVITY], 60);
        buf_appendf(&pRes->changes, "  ítem %ld: nuevo: %s\n", a->iItem, zShort);
        free(zShort);
      }
    } else {
      pOld->bSeen = true;
      if (diff_activity(pOld, a, &pRes->changes)) {
        pRes->nChanged++;
      } else {
        pRes->nSame++;
      }
    }
    if (bForce && a->zReview) {
      pRes->nReview++;
    }
    for (int k = 0; k < a->nOffice; k++) {
      int64_t v;
      if (!strmap_get(&keys, a->azOfficeKey[k], &v)) {
        strmap_set(&keys, a->azOfficeKey[k], 1);
        pRes->nOfficeNew++;
      }
    }
  }
  Stmt *pHasProgress = db_prepare(db, "SELECT count(*) FROM progress WHERE activity_id = :id");
  for (int i = 0; i < nStored; i++) {
    if (aStored[i].bSeen) {
      continue;
    }
    db_bind_int(pHasProgress, ":id", aStored[i].id);
    db_step(pHasProgress);
    int64_t nProgress = db_col_int(pHasProgress, 0);
    db_reset(pHasProgress);
    if (pRes->nSkipped == 0 && nProgress == 0) {
      buf_appendf(&pRes->changes, "  ítem %ld: eliminado (no está en el archivo)\n",
                  aStored[i].iItem);
      pRes->nRemoved++;
    } else {
      buf_appendf(&pRes->changes,
                  "  ítem %ld: no está en el archivo; se conserva y queda a "
                  "revisar\n",
                  aStored[i].iItem);
      pRes->nKept++;
    }
  }
  db_finalize(pHasProgress);
  db_commit(db);
  strmap_reset(&keys);
  for (int i = 0; i < nStored; i++) {
    for (int f = 0; f < PF_COUNT; f++) {
      free(aStored[i].azField[f]);
    }
  }
  free(aStored);
}
