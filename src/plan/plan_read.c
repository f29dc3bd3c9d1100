/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Reading an action-plan matrix from a Table: finding the header by its
** titles (never by position), reading the preamble into metadata, the data
** rows into DraftActivity records, and validating each field. Diagnostics
** name the file and line (or sheet and cell) and say what to do. Nothing
** here touches the database: `check` and `import` share this code.
*/
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/numword.h"
#include "base/text.h"
#include "io/csv.h"
#include "io/file.h"
#include "io/xlsx.h"
#include "office/office.h"
#include "plan/plan.h"

const char *const azPlanFieldTitle[PF_COUNT] = {
    "ITEM",
    "DESCRIPCIÓN DE LOS CRITERIOS DIFERENCIALES QUE LE APLICAN",
    "CICLO DE PROCESO P: Planear H: Hacer V: Verificar A: Actuar",
    "ACTIVIDAD",
    "PRODUCTO",
    "DESCRIPCIÓN DEL INDICADOR",
    "DESCRIPCIÓN DE LA META",
    "FECHA INICIO",
    "FECHA FINAL",
    "RESPONSABLE",
    "META DEL INDICADOR",
    "RESULTADO",
};

/* Short Spanish names of the fields, for messages. */
const char *const azPlanFieldName[PF_COUNT] = {
    "ITEM",         "componente",  "CICLO DE PROCESO", "ACTIVIDAD",
    "PRODUCTO",     "DESCRIPCIÓN DEL INDICADOR", "DESCRIPCIÓN DE LA META", "FECHA INICIO",
    "FECHA FINAL",  "RESPONSABLE", "META DEL INDICADOR", "RESULTADO",
};

/* How a folded column title is recognised: exact, or as a prefix ending at a
** word boundary. The longest matching rule wins. */
static const struct {
  PlanField eField;    /* field recognised */
  const char *zTitle;  /* folded title or prefix */
  bool bExact;         /* whole title must match */
} aTitleRule[] = {
    {PF_ITEM, "item", true},
    {PF_ITEM, "no", true},
    {PF_ITEM, "no.", true},
    {PF_ITEM, "n°", true},
    {PF_ITEM, "numero", true},
    {PF_ITEM, "#", true},
    {PF_COMPONENT, "descripcion de los criterios", false},
    {PF_COMPONENT, "criterios diferenciales", false},
    {PF_COMPONENT, "componente", false},
    {PF_COMPONENT, "objetivo", false},
    {PF_COMPONENT, "eje", true},
    {PF_PHASE, "ciclo", false},
    {PF_PHASE, "phva", false},
    {PF_PHASE, "fase", false},
    {PF_ACTIVITY, "actividad", false},
    {PF_ACTIVITY, "actividades", false},
    {PF_PRODUCT, "producto", false},
    {PF_PRODUCT, "productos", false},
    {PF_INDICATOR, "descripcion del indicador", false},
    {PF_INDICATOR, "nombre del indicador", false},
    {PF_INDICATOR, "indicador", true},
    {PF_GOAL, "descripcion de la meta", false},
    {PF_GOAL, "meta", true},
    {PF_START, "fecha inicio", false},
    {PF_START, "fecha de inicio", false},
    {PF_START, "fecha inicial", false},
    {PF_START, "inicio", true},
    {PF_END, "fecha final", false},
    {PF_END, "fecha fin", false},
    {PF_END, "fecha de fin", false},
    {PF_END, "fecha de finalizacion", false},
    {PF_END, "fecha de terminacion", false},
    {PF_END, "fin", true},
    {PF_RESPONSIBLE, "responsable", false},
    {PF_RESPONSIBLE, "responsables", false},
    {PF_RESPONSIBLE, "dependencia responsable", false},
    {PF_INDICATOR_GOAL, "meta del indicador", false},
    {PF_RESULT, "resultado", false},
    {PF_RESULT, "resultados", false},
};

/* Fold a title and drop trailing ':' '.' and spaces. Caller frees. */
static char *fold_title_dup(const char *z) {
  char *zF = text_fold_dup(z);
  size_t n = strlen(zF);
  while (n > 0 && (zF[n - 1] == ':' || zF[n - 1] == '.' || zF[n - 1] == ' ')) {
    zF[--n] = 0;
  }
  return zF;
}

/* True when zFolded starts with zPrefix at a word boundary. */
static bool starts_with_word(const char *zFolded, const char *zPrefix) {
  size_t n = strlen(zPrefix);
  if (strncmp(zFolded, zPrefix, n) != 0) {
    return false;
  }
  char c = zFolded[n];
  return c == 0 || c == ' ' || c == ':' || c == '.' || c == '(' || c == '/' || c == '-';
}

/* The field a header cell names, or -1. */
static int match_title(const char *zCell) {
  char *zF = fold_title_dup(zCell);
  int eBest = -1;
  size_t nBest = 0;
  for (size_t i = 0; i < sizeof aTitleRule / sizeof aTitleRule[0]; i++) {
    const char *zT = aTitleRule[i].zTitle;
    bool bHit = aTitleRule[i].bExact ? strcmp(zF, zT) == 0 : starts_with_word(zF, zT);
    if (bHit && strlen(zT) > nBest) {
      nBest = strlen(zT);
      eBest = (int)aTitleRule[i].eField;
    }
  }
  free(zF);
  return eBest;
}

/* The period number (1-based) a sub-header cell names ("META TRIMESTRE 1",
** "Meta periodo 2", "T3"), or 0; *pcKind gets the kind of period: 'T'
** trimestre, 'C' cuatrimestre, 'S' semestre, 'A' año, or 0 when the title
** does not say ("periodo", "P2"). */
static int match_period_title(const char *zCell, char *pcKind) {
  char *zF = fold_title_dup(zCell);
  const char *z = zF;
  if (strncmp(z, "meta ", 5) == 0) {
    z += 5;
  }
  static const struct {
    const char *zWord; /* folded word before the number */
    char cKind;        /* kind of period it names */
  } aWord[] = {{"trimestre", 'T'}, {"cuatrimestre", 'C'}, {"semestre", 'S'}, {"periodo", 0},
               {"ano", 'A'},       {"t", 'T'},            {"c", 'C'},         {"s", 'S'},
               {"p", 0}};
  int iPeriod = 0;
  for (size_t i = 0; i < sizeof aWord / sizeof aWord[0]; i++) {
    size_t n = strlen(aWord[i].zWord);
    if (strncmp(z, aWord[i].zWord, n) == 0) {
      const char *zNum = z + n;
      while (*zNum == ' ') {
        zNum++;
      }
      if (isdigit((unsigned char)zNum[0])) {
        char *zEnd;
        long v = strtol(zNum, &zEnd, 10);
        if (*zEnd == 0 && v >= 1 && v <= PLAN_MAX_PERIODS) {
          iPeriod = (int)v;
          *pcKind = aWord[i].cKind;
          break;
        }
      }
    }
  }
  free(zF);
  return iPeriod;
}

/* A year written alone in a header cell ("2021", "Vigencia 2021"), or 0. */
static int match_year(const char *zCell) {
  char *zF = fold_title_dup(zCell);
  const char *z = zF;
  if (strncmp(z, "vigencia ", 9) == 0) {
    z += 9;
  } else if (strncmp(z, "ano ", 4) == 0) {
    z += 4;
  }
  int iYear = 0;
  if (strlen(z) == 4 && isdigit((unsigned char)z[0]) && isdigit((unsigned char)z[1]) &&
      isdigit((unsigned char)z[2]) && isdigit((unsigned char)z[3])) {
    iYear = atoi(z);
    if (iYear < 1990 || iYear > 2100) {
      iYear = 0;
    }
  }
  free(zF);
  return iYear;
}

/* Append the location of row iRow, field column iCol, to pOut. */
static void draft_loc(const PlanDraft *p, int iRow, int iCol, Buf *pOut) {
  if (p->pTable) {
    table_loc(p->pTable, iRow, iCol, pOut);
  } else {
    buf_appendf(pOut, "%s", p->zSource);
  }
}

/* Add a diagnostic about activity iAct (index in p->aAct) at column iCol of
** the table (-1: the row), naming zField in JSON locations (NULL: the
** activity). Errors are also collected into the activity's review note. */
static void act_diag_v(PlanDraft *p, int iAct, int iCol, const char *zField, DiagLevel eLevel,
                       const char *zFmt, va_list ap) {
  DraftActivity *a = &p->aAct[iAct];
  Buf loc = BUF_INIT;
  if (p->pTable) {
    draft_loc(p, a->iRow, iCol, &loc);
  } else if (zField) {
    buf_appendf(&loc, "%s: actividad %d, campo %s", p->zSource, a->iRow + 1, zField);
  } else {
    buf_appendf(&loc, "%s: actividad %d", p->zSource, a->iRow + 1);
  }
  char *zMsg = xvasprintf(zFmt, ap);
  diags_add(&p->diags, eLevel, a->iRow, iAct, buf_str(&loc), "%s", zMsg);
  if (eLevel == DIAG_ERROR) {
    a->nError++;
    char *zOld = a->zReview;
    a->zReview = zOld ? xasprintf("%s; %s", zOld, zMsg) : xstrdup(zMsg);
    free(zOld);
  }
  free(zMsg);
  buf_reset(&loc);
}

/* act_diag_v for field eField (PF_COUNT for the whole row). */
static void act_diag(PlanDraft *p, int iAct, int eField, DiagLevel eLevel, const char *zFmt, ...)
    PRINTF_LIKE(5, 6);
static void act_diag(PlanDraft *p, int iAct, int eField, DiagLevel eLevel, const char *zFmt, ...) {
  va_list ap;
  va_start(ap, zFmt);
  act_diag_v(p, iAct, eField < PF_COUNT ? p->aCol[eField] : -1,
             eField < PF_COUNT ? azPlanFieldName[eField] : NULL, eLevel, zFmt, ap);
  va_end(ap);
}

/* act_diag_v for period target column iPeriod (0-based). */
static void period_diag(PlanDraft *p, int iAct, int iPeriod, DiagLevel eLevel, const char *zFmt,
                        ...) PRINTF_LIKE(5, 6);
static void period_diag(PlanDraft *p, int iAct, int iPeriod, DiagLevel eLevel, const char *zFmt,
                        ...) {
  va_list ap;
  va_start(ap, zFmt);
  act_diag_v(p, iAct, p->aPeriodCol[iPeriod], "META DEL PERIODO", eLevel, zFmt, ap);
  va_end(ap);
}

/* Add a diagnostic about the file as a whole (or row iRow when >= 0). */
static void file_diag(PlanDraft *p, int iRow, DiagLevel eLevel, const char *zFmt, ...)
    PRINTF_LIKE(4, 5);
static void file_diag(PlanDraft *p, int iRow, DiagLevel eLevel, const char *zFmt, ...) {
  Buf loc = BUF_INIT;
  if (iRow >= 0 && p->pTable) {
    draft_loc(p, iRow, -1, &loc);
  } else {
    buf_puts(&loc, p->zSource);
  }
  va_list ap;
  va_start(ap, zFmt);
  char *zMsg = xvasprintf(zFmt, ap);
  va_end(ap);
  diags_add(&p->diags, eLevel, iRow, -1, buf_str(&loc), "%s", zMsg);
  free(zMsg);
  buf_reset(&loc);
}

/* Make *p empty for reading zSource. */
static void draft_init(PlanDraft *p, const char *zSource, const char *zFormat) {
  memset(p, 0, sizeof *p);
  diags_init(&p->diags);
  p->zSource = xstrdup(zSource);
  p->zFormat = xstrdup(zFormat);
  p->meta.zEntity = xstrdup("");
  p->meta.zMacroproceso = xstrdup("");
  p->meta.zProceso = xstrdup("");
  p->meta.zSubproceso = xstrdup("");
  p->meta.zStrategy = xstrdup("");
  p->meta.zPolicy = xstrdup("");
  p->meta.zObjective = xstrdup("");
  for (int i = 0; i < PF_COUNT; i++) {
    p->aCol[i] = -1;
  }
  for (int i = 0; i < PLAN_MAX_PERIODS; i++) {
    p->aPeriodCol[i] = -1;
  }
}

/* Replace *pz (owned) with zNew (copied). */
static void set_str(char **pz, const char *zNew) {
  free(*pz);
  *pz = xstrdup(zNew ? zNew : "");
}

void plan_draft_reset(PlanDraft *p) {
  for (int i = 0; i < p->nAct; i++) {
    DraftActivity *a = &p->aAct[i];
    office_names_free(a->nOffice, a->azOffice);
    office_names_free(a->nOffice, a->azOfficeKey);
    free(a->pPeriods);
    free(a->zReview);
    free(a->zLoc);
  }
  free(p->aAct);
  free(p->meta.zEntity);
  free(p->meta.zMacroproceso);
  free(p->meta.zProceso);
  free(p->meta.zSubproceso);
  free(p->meta.zStrategy);
  free(p->meta.zPolicy);
  free(p->meta.zObjective);
  diags_reset(&p->diags);
  free(p->zSource);
  free(p->zFormat);
  if (p->bOwnsTable) {
    table_reset(&p->table);
  }
  memset(p, 0, sizeof *p);
}

/* Trim cell z in place (it lives in a table row block) and return it. */
static const char *trim_cell(char *z) {
  while (*z == ' ' || (*z >= '\t' && *z <= '\r') ||
         ((unsigned char)z[0] == 0xc2 && (unsigned char)z[1] == 0xa0)) {
    z += *z == ' ' || (*z >= '\t' && *z <= '\r') ? 1 : 2;
  }
  size_t n = strlen(z);
  while (n > 0) {
    if (z[n - 1] == ' ' || (z[n - 1] >= '\t' && z[n - 1] <= '\r')) {
      n--;
    } else if (n >= 2 && (unsigned char)z[n - 2] == 0xc2 && (unsigned char)z[n - 1] == 0xa0) {
      n -= 2;
    } else {
      break;
    }
  }
  z[n] = 0;
  return z;
}

/* True when z holds only what trim_cell removes (white space and NBSP). */
static bool cell_is_blank(const char *z) {
  while (*z == ' ' || (*z >= '\t' && *z <= '\r') ||
         ((unsigned char)z[0] == 0xc2 && (unsigned char)z[1] == 0xa0)) {
    z += (unsigned char)z[0] == 0xc2 ? 2 : 1;
  }
  return *z == 0;
}

/* True when every cell of row iRow of t is blank in the sense of cell_is_blank. */
static bool row_is_blank(const Table *t, int iRow) {
  const TableRow *r = &t->aRow[iRow];
  for (int i = 0; i < r->nCell; i++) {
    if (!cell_is_blank(r->azCell[i])) {
      return false;
    }
  }
  return true;
}

/* The cell of row iRow, column iCol of t, trimmed in place; "" when absent. */
static const char *take_cell(Table *t, int iRow, int iCol) {
  if (iRow < 0 || iRow >= t->nRow || iCol < 0 || iCol >= t->aRow[iRow].nCell) {
    return "";
  }
  return trim_cell(t->aRow[iRow].azCell[iCol]);
}

void plan_draft_adopt_table(PlanDraft *p, Table *t) {
  p->table = *t;
  memset(t, 0, sizeof *t);
  p->pTable = &p->table;
  p->bOwnsTable = true;
}

/* Append a new zeroed activity for source row iRow; returns its index. */
static int draft_add_activity(PlanDraft *p, int iRow) {
  if (p->nAct == p->nActAlloc) {
    p->nActAlloc = p->nActAlloc ? p->nActAlloc * 2 : 32;
    p->aAct = xrealloc(p->aAct, sizeof(DraftActivity) * (size_t)p->nActAlloc);
  }
  DraftActivity *a = &p->aAct[p->nAct];
  memset(a, 0, sizeof *a);
  a->iRow = iRow;
  for (int j = 0; j < PF_COUNT; j++) {
    a->azField[j] = "";
  }
  return p->nAct++;
}

/* ---- preamble ------------------------------------------------------------ */

/* The text of row iRow: its non-blank cells joined by a space. Caller frees. */
static char *row_text_dup(const Table *t, int iRow) {
  Buf b = BUF_INIT;
  const TableRow *r = &t->aRow[iRow];
  for (int i = 0; i < r->nCell; i++) {
    if (str_is_blank(r->azCell[i])) {
      continue;
    }
    char *z = text_trim_dup(r->azCell[i]);
    if (b.n) {
      buf_putc(&b, ' ');
    }
    buf_puts(&b, z);
    free(z);
  }
  return buf_take(&b);
}

/* z after its first nWord words and any ':' or spaces that follow. */
static const char *skip_words(const char *z, int nWord) {
  for (int i = 0; i < nWord; i++) {
    while (*z == ' ') {
      z++;
    }
    while (*z && *z != ' ' && *z != ':') {
      z++;
    }
  }
  while (*z == ' ' || *z == ':') {
    z++;
  }
  return z;
}

/* Read "MACROPROCESO : X /PROCESO:Y / SUBPROCESO: Z" into the metadata. */
static void read_process_line(PlanMeta *m, const char *zLine) {
  char *zCopy = xstrdup(zLine);
  char *zSave = NULL;
  for (char *zPart = strtok_r(zCopy, "/", &zSave); zPart; zPart = strtok_r(NULL, "/", &zSave)) {
    char *zColon = strchr(zPart, ':');
    if (zColon == NULL) {
      continue;
    }
    *zColon = 0;
    char *zLabel = fold_title_dup(zPart);
    char *zValue = text_trim_dup(zColon + 1);
    if (strcmp(zLabel, "macroproceso") == 0) {
      set_str(&m->zMacroproceso, zValue);
    } else if (strcmp(zLabel, "proceso") == 0) {
      set_str(&m->zProceso, zValue);
    } else if (strcmp(zLabel, "subproceso") == 0) {
      set_str(&m->zSubproceso, zValue);
    }
    free(zLabel);
    free(zValue);
  }
  free(zCopy);
}

/* Read the preamble rows [0, iHeader) into p->meta. */
static void read_preamble(PlanDraft *p, const Table *t, int iHeader) {
  for (int i = 0; i < iHeader; i++) {
    char *zLine = row_text_dup(t, i);
    if (zLine[0] == 0) {
      free(zLine);
      continue;
    }
    char *zF = text_fold_dup(zLine);
    PlanMeta *m = &p->meta;
    if (starts_with_word(zF, "macroproceso")) {
      read_process_line(m, zLine);
    } else if (starts_with_word(zF, "nombre de la politica")) {
      set_str(&m->zPolicy, skip_words(zLine, 4));
    } else if (starts_with_word(zF, "politica") && m->zPolicy[0] == 0 && strchr(zF, ':')) {
      set_str(&m->zPolicy, skip_words(zLine, 1));
    } else if (starts_with_word(zF, "objetivo")) {
      set_str(&m->zObjective, skip_words(zLine, 1));
    } else if (starts_with_word(zF, "entidad")) {
      set_str(&m->zEntity, skip_words(zLine, 1));
    } else if (starts_with_word(zF, "estrategia") || starts_with_word(zF, "plan")) {
      if (m->zStrategy[0] == 0) {
        set_str(&m->zStrategy, zLine);
      }
    } else if (m->zEntity[0] == 0) {
      set_str(&m->zEntity, zLine);
    }
    free(zF);
    free(zLine);
  }
}

/* ---- header -------------------------------------------------------------- */

/* Recognise row iRow as a header: fill p->aCol, return the count of fields found. */
static int try_header(PlanDraft *p, const Table *t, int iRow) {
  int aCol[PF_COUNT];
  int nFound = 0;
  for (int i = 0; i < PF_COUNT; i++) {
    aCol[i] = -1;
  }
  const TableRow *r = &t->aRow[iRow];
  for (int i = 0; i < r->nCell; i++) {
    if (str_is_blank(r->azCell[i])) {
      continue;
    }
    int e = match_title(r->azCell[i]);
    if (e >= 0 && aCol[e] < 0) {
      aCol[e] = i;
      nFound++;
    }
  }
  if (nFound >= 3 && (aCol[PF_ITEM] >= 0 || aCol[PF_ACTIVITY] >= 0)) {
    memcpy(p->aCol, aCol, sizeof aCol);
    return nFound;
  }
  return 0;
}

/* Scan row iRow for period titles, RESULTADO and the year; true when the row
** is a header continuation (it holds at least one of them). */
static bool read_period_titles(PlanDraft *p, const Table *t, int iRow, int *piYear) {
  bool bAny = false;
  const TableRow *r = &t->aRow[iRow];
  for (int i = 0; i < r->nCell; i++) {
    const char *z = r->azCell[i];
    if (str_is_blank(z)) {
      continue;
    }
    char cKind = 0;
    int iPeriod = match_period_title(z, &cKind);
    if (iPeriod > 0 && p->aPeriodCol[iPeriod - 1] < 0) {
      if (cKind) {
        p->cPeriodKind = cKind;
      }
      p->aPeriodCol[iPeriod - 1] = i;
      if (iPeriod > p->nPeriodCol) {
        p->nPeriodCol = iPeriod;
      }
      bAny = true;
      continue;
    }
    int iYear = match_year(z);
    if (iYear && *piYear == 0) {
      *piYear = iYear;
      bAny = true;
      continue;
    }
    if (match_title(z) == PF_RESULT && p->aCol[PF_RESULT] < 0) {
      p->aCol[PF_RESULT] = i;
      bAny = true;
    }
  }
  return bAny;
}

/* ---- values ---------------------------------------------------------------- */

char plan_parse_phase(const char *z) {
  char *zF = fold_title_dup(z);
  char c = 0;
  static const char *const azWord[] = {"planear", "hacer", "verificar", "actuar"};
  static const char acLetter[] = {'P', 'H', 'V', 'A'};
  /* "P", "P:", "P - Planear", "Planear", "P: Planear" */
  for (int i = 0; i < 4; i++) {
    char cLow = (char)tolower((unsigned char)acLetter[i]);
    if ((zF[0] == cLow && (zF[1] == 0 || zF[1] == ' ' || zF[1] == ':' || zF[1] == '-')) ||
        strncmp(zF, azWord[i], strlen(azWord[i])) == 0) {
      const char *zRest = zF[1] == 0 || zF[1] == ' ' || zF[1] == ':' || zF[1] == '-'
                              ? zF + 1
                              : zF + strlen(azWord[i]);
      while (*zRest == ' ' || *zRest == ':' || *zRest == '-') {
        zRest++;
      }
      if (*zRest == 0 || strcmp(zRest, azWord[i]) == 0) {
        c = acLetter[i];
      }
      break;
    }
  }
  free(zF);
  return c;
}

bool plan_parse_number(const char *z, double *pValue) {
  char *zT = text_trim_dup(z);
  Buf b = BUF_INIT;
  bool bOk = zT[0] != 0;
  int nComma = 0;
  for (const char *c = zT; *c && bOk; c++) {
    if (isdigit((unsigned char)*c)) {
      buf_putc(&b, *c);
    } else if (*c == ',') {
      nComma++;
      buf_putc(&b, '.');
    } else if (*c == '.') {
      /* "1.500" is a thousands separator; "2.5" a decimal point */
      size_t nAfter = strspn(c + 1, "0123456789");
      if (nAfter == 3 && nComma == 0 && (c[4] == 0 || c[4] == '.' || c[4] == ',')) {
        continue;
      }
      buf_putc(&b, '.');
    } else if (*c == '-' && c == zT) {
      buf_putc(&b, '-');
    } else {
      bOk = false;
    }
  }
  if (bOk && nComma <= 1 && b.n > 0) {
    char *zEnd;
    errno = 0;
    double v = strtod(buf_str(&b), &zEnd);
    bOk = *zEnd == 0 && errno == 0 && isfinite(v);
    if (bOk) {
      *pValue = v;
    }
  } else {
    bOk = false;
  }
  buf_reset(&b);
  free(zT);
  return bOk;
}

/* Read the item number of activity iAct. */
static void check_item(PlanDraft *p, int iAct) {
  DraftActivity *a = &p->aAct[iAct];
  const char *z = a->azField[PF_ITEM];
  double v;
  if (z[0] == 0) {
    act_diag(p, iAct, PF_ITEM, DIAG_ERROR, "falta el número de ítem; numere la actividad");
  } else if (!plan_parse_number(z, &v) || v < 1 || v != floor(v) || v > 1e9) {
    act_diag(p, iAct, PF_ITEM, DIAG_ERROR,
             "número de ítem no válido «%s»; use un número entero positivo", z);
  } else {
    a->iItem = (long)v;
  }
}

/* Read the PHVA phase of activity iAct. */
static void check_phase(PlanDraft *p, int iAct) {
  DraftActivity *a = &p->aAct[iAct];
  const char *z = a->azField[PF_PHASE];
  if (p->aCol[PF_PHASE] < 0 && p->pTable) {
    return;
  }
  if (z[0] == 0) {
    act_diag(p, iAct, PF_PHASE, DIAG_ERROR,
             "falta la fase del ciclo PHVA; escriba P, H, V o A");
    return;
  }
  a->cPhase = plan_parse_phase(z);
  if (a->cPhase == 0) {
    act_diag(p, iAct, PF_PHASE, DIAG_ERROR,
             "fase PHVA desconocida «%s»; use P (Planear), H (Hacer), V (Verificar) o A (Actuar)",
             z);
  }
}

/* Read one date field of activity iAct into *pDay; false when unreadable. */
static bool check_date(PlanDraft *p, int iAct, PlanField eField, Day *pDay) {
  DraftActivity *a = &p->aAct[iAct];
  const char *z = a->azField[eField];
  if (z[0] == 0) {
    act_diag(p, iAct, eField, DIAG_ERROR, "falta la %s; escríbala como 01-febrero-%d",
             eField == PF_START ? "fecha de inicio" : "fecha final",
             p->meta.iYear ? p->meta.iYear : 2021);
    return false;
  }
  /* A bare number is an Excel serial only in a spreadsheet's numeric cell;
  ** in a text file it is a typing error ("3", "2021"). */
  if (p->pTable && p->pTable->zSheet == NULL && strspn(z, "0123456789.,") == strlen(z)) {
    act_diag(p, iAct, eField, DIAG_ERROR,
             "%s ilegible: «%s» es un número, no una fecha; escríbala como 01-febrero-%d",
             eField == PF_START ? "fecha de inicio" : "fecha final", z,
             p->meta.iYear ? p->meta.iYear : 2021);
    return false;
  }
  Buf err = BUF_INIT;
  bool bOk = date_parse(z, pDay, &err);
  if (!bOk) {
    act_diag(p, iAct, eField, DIAG_ERROR, "%s ilegible: %s",
             eField == PF_START ? "fecha de inicio" : "fecha final", buf_str(&err));
  }
  buf_reset(&err);
  return bOk;
}

/* Validate the dates of activity iAct against each other and the plan year. */
static void check_dates(PlanDraft *p, int iAct) {
  DraftActivity *a = &p->aAct[iAct];
  a->bStart = check_date(p, iAct, PF_START, &a->startDay);
  a->bEnd = check_date(p, iAct, PF_END, &a->endDay);
  if (a->bStart && a->bEnd && a->endDay < a->startDay) {
    Buf b1 = BUF_INIT, b2 = BUF_INIT;
    date_format_plan(a->endDay, &b1);
    date_format_plan(a->startDay, &b2);
    act_diag(p, iAct, PF_END, DIAG_ERROR,
             "la fecha final (%s) es anterior a la fecha de inicio (%s); corrija una de las dos",
             buf_str(&b1), buf_str(&b2));
    buf_reset(&b1);
    buf_reset(&b2);
  }
  if (p->meta.iYear == 0) {
    return;
  }
  for (int k = 0; k < 2; k++) {
    bool bOk = k == 0 ? a->bStart : a->bEnd;
    Day d = k == 0 ? a->startDay : a->endDay;
    int y, m, dd;
    if (!bOk) {
      continue;
    }
    date_to_ymd(d, &y, &m, &dd);
    if (y != p->meta.iYear) {
      /* a neighbouring year happens (a December start, a January close);
      ** further off it is a typing error */
      bool bFar = y < p->meta.iYear - 1 || y > p->meta.iYear + 1;
      Buf b = BUF_INIT;
      date_format_plan(d, &b);
      act_diag(p, iAct, k == 0 ? PF_START : PF_END, bFar ? DIAG_ERROR : DIAG_WARNING,
               "la %s (%s) está fuera del año del plan (%d)%s",
               k == 0 ? "fecha de inicio" : "fecha final", buf_str(&b), p->meta.iYear,
               bFar ? "; corrija el año" : "");
      buf_reset(&b);
    }
  }
}

/* Read the offices named in RESPONSABLE. */
static void check_offices(PlanDraft *p, int iAct) {
  DraftActivity *a = &p->aAct[iAct];
  a->nOffice = office_split_keyed(a->azField[PF_RESPONSIBLE], &a->azOffice, &a->azOfficeKey);
  if (a->nOffice == 0) {
    act_diag(p, iAct, PF_RESPONSIBLE, DIAG_ERROR,
             "no hay dependencia responsable; escriba al menos una en RESPONSABLE");
  }
}

/* Work out the numeric target of activity iAct. */
static void check_target(PlanDraft *p, int iAct) {
  DraftActivity *a = &p->aAct[iAct];
  if (a->bTargetGiven) {
    return;
  }
  double v;
  bool bMismatch = false;
  if (plan_parse_number(a->azField[PF_INDICATOR_GOAL], &v) && v > 0) {
    a->rTarget = v;
  } else if (numword_target(a->azField[PF_INDICATOR], &v, &bMismatch) && v > 0) {
    a->rTarget = v;
    if (bMismatch) {
      act_diag(p, iAct, PF_INDICATOR, DIAG_WARNING,
               "el número en palabras y el número entre paréntesis no coinciden; se usa %g", v);
    }
  } else if (numword_target(a->azField[PF_GOAL], &v, &bMismatch) && v > 0) {
    a->rTarget = v;
  } else if (a->azField[PF_INDICATOR][0] == 0) {
    a->rTarget = 1;
    act_diag(p, iAct, PF_INDICATOR, DIAG_WARNING,
             "el indicador está vacío; se usa la meta 1 (hecho / no hecho)");
  } else {
    a->rTarget = 1;
    char *zShort = text_ellipsize_dup(a->azField[PF_INDICATOR], 40);
    act_diag(p, iAct, PF_INDICATOR, DIAG_WARNING,
             "no se encontró una meta numérica en el indicador «%s»; se usa 1 (hecho / no "
             "hecho): escriba por ejemplo «Dos (2) …»",
             zShort);
    free(zShort);
  }
}

/* Read the period target cells of activity iAct. */
static void check_period_targets(PlanDraft *p, int iAct) {
  DraftActivity *a = &p->aAct[iAct];
  double rSum = 0;
  for (int i = 0; i < p->nPeriodCol; i++) {
    const char *z = a->pPeriods ? a->pPeriods->azCell[i] : "";
    if (z == NULL || str_is_blank(z)) {
      continue;
    }
    double v;
    bool bMismatch;
    if ((plan_parse_number(z, &v) || numword_target(z, &v, &bMismatch)) && v >= 0) {
      a->pPeriods->aTarget[i] = v;
      a->pPeriods->abSet[i] = true;
      rSum += v;
    } else {
      period_diag(p, iAct, i, DIAG_ERROR, "meta del periodo %d ilegible «%s»; escriba un número",
                  i + 1, z);
    }
  }
  if (rSum > a->rTarget + 1e-9) {
    act_diag(p, iAct, PF_COUNT, DIAG_WARNING,
             "las metas por periodo suman %g y la meta del indicador es %g", rSum, a->rTarget);
  }
}

/* An item number and the index of its activity. */
typedef struct Pair {
  long iItem; /* item number */
  long iAct;  /* activity index */
} Pair;

/* qsort comparator: by item, then by position in the file. */
static int pair_cmp(const void *x, const void *y) {
  const Pair *a = x, *b = y;
  if (a->iItem != b->iItem) {
    return a->iItem < b->iItem ? -1 : 1;
  }
  return (a->iAct > b->iAct) - (a->iAct < b->iAct);
}

/* Validate every activity, then the numbering across the plan. */
static void validate(PlanDraft *p) {
  for (int i = 0; i < p->nAct; i++) {
    DraftActivity *a = &p->aAct[i];
    check_item(p, i);
    if (a->bShort) {
      a->rTarget = 1;
      continue;
    }
    check_phase(p, i);
    if (a->azField[PF_ACTIVITY][0] == 0) {
      act_diag(p, i, PF_ACTIVITY, DIAG_ERROR,
               "falta el texto de la actividad; describa qué se va a hacer");
    }
    check_dates(p, i);
    check_offices(p, i);
    check_target(p, i);
    check_period_targets(p, i);
  }
  /* Duplicates and gaps, over items sorted with their activity index. */
  Pair *a = xcalloc((size_t)p->nAct + 1, sizeof(Pair));
  int n = 0;
  for (int i = 0; i < p->nAct; i++) {
    if (p->aAct[i].iItem > 0) {
      a[n].iItem = p->aAct[i].iItem;
      a[n].iAct = i;
      n++;
    }
  }
  qsort(a, (size_t)n, sizeof(Pair), pair_cmp);
  for (int i = 1; i < n; i++) {
    if (a[i].iItem == a[i - 1].iItem) {
      p->aAct[a[i].iAct].bRepeated = true;
      act_diag(p, (int)a[i].iAct, PF_ITEM, DIAG_ERROR,
               "el ítem %ld está repetido (ya aparece en %s); cada actividad necesita su "
               "propio número",
               a[i].iItem, p->aAct[a[i - 1].iAct].zLoc);
    } else if (a[i].iItem > a[i - 1].iItem + 1) {
      long iFrom = a[i - 1].iItem + 1, iTo = a[i].iItem - 1;
      if (iFrom == iTo) {
        act_diag(p, (int)a[i].iAct, PF_ITEM, DIAG_WARNING,
                 "falta el ítem %ld: la numeración salta de %ld a %ld", iFrom, a[i - 1].iItem,
                 a[i].iItem);
      } else {
        act_diag(p, (int)a[i].iAct, PF_ITEM, DIAG_WARNING,
                 "faltan los ítems %ld a %ld: la numeración salta de %ld a %ld", iFrom, iTo,
                 a[i - 1].iItem, a[i].iItem);
      }
    }
  }
  free(a);
  diags_sort(&p->diags);
}

/* Most common year among the readable start dates, or 0. */
static int guess_year(PlanDraft *p) {
  int aYear[8] = {0}, aCount[8] = {0}, nYear = 0;
  for (int i = 0; i < p->nAct; i++) {
    Day d;
    Buf err = BUF_INIT;
    if (date_parse(p->aAct[i].azField[PF_START], &d, &err)) {
      int y, m, dd, j;
      date_to_ymd(d, &y, &m, &dd);
      for (j = 0; j < nYear && aYear[j] != y; j++) {
      }
      if (j == nYear && nYear < 8) {
        aYear[nYear++] = y;
      }
      if (j < nYear) {
        aCount[j]++;
      }
    }
    buf_reset(&err);
  }
  int iBest = -1;
  for (int j = 0; j < nYear; j++) {
    if (iBest < 0 || aCount[j] > aCount[iBest]) {
      iBest = j;
    }
  }
  if (iBest < 0 || aYear[iBest] < 1990 || aYear[iBest] > 2100) {
    return 0;
  }
  return aYear[iBest];
}

/* Apply the caller's overrides and check the metadata. */
static void finish_meta(PlanDraft *p, const PlanReadOpts *pOpts, int iHeaderYear) {
  if (pOpts && pOpts->zEntity) {
    set_str(&p->meta.zEntity, pOpts->zEntity);
  }
  if (pOpts && pOpts->iYear && iHeaderYear && pOpts->iYear != iHeaderYear) {
    file_diag(p, p->iHeaderRow, DIAG_ERROR,
              "el encabezado dice que el plan es del año %d y --year dice %d; quite --year o "
              "corrija el encabezado",
              iHeaderYear, pOpts->iYear);
  }
  if (pOpts && pOpts->iYear) {
    p->meta.iYear = pOpts->iYear;
  } else if (iHeaderYear) {
    p->meta.iYear = iHeaderYear;
  } else if (p->meta.iYear == 0) {
    p->meta.iYear = guess_year(p);
  }
  if (p->meta.zEntity[0] == 0) {
    file_diag(p, -1, DIAG_ERROR,
              "no se encontró el nombre de la entidad en las líneas antes del encabezado; "
              "escríbalo en la primera línea o use --entity NOMBRE");
  }
  if (p->meta.iYear == 0) {
    file_diag(p, -1, DIAG_ERROR,
              "no se pudo saber el año del plan (ni en el encabezado ni en las fechas); use "
              "--year AÑO");
  }
}

void plan_read_table(Table *t, const char *zFormat, const PlanReadOpts *pOpts,
                     PlanDraft *p) {
  draft_init(p, t->zSource, zFormat);
  p->pTable = t;
  int iHeader = -1;
  for (int i = 0; i < t->nRow && i < 100 && iHeader < 0; i++) {
    if (try_header(p, t, i) > 0) {
      iHeader = i;
    }
  }
  if (iHeader < 0) {
    file_diag(p, -1, DIAG_ERROR,
              "no se encontró la fila de encabezado (con ITEM, ACTIVIDAD, FECHA INICIO, …) en "
              "las primeras 100 filas; revise que el archivo sea la matriz del plan");
    return;
  }
  p->iHeaderRow = iHeader;
  read_preamble(p, t, iHeader);
  int iHeaderYear = 0;
  read_period_titles(p, t, iHeader, &iHeaderYear);
  int iFirst = iHeader + 1;
  if (iFirst < t->nRow && str_is_blank(table_cell(t, iFirst, p->aCol[PF_ITEM])) &&
      str_is_blank(table_cell(t, iFirst, p->aCol[PF_ACTIVITY])) &&
      read_period_titles(p, t, iFirst, &iHeaderYear)) {
    iFirst++;
  }
  static const PlanField aRequired[] = {PF_ITEM, PF_ACTIVITY, PF_START, PF_END, PF_RESPONSIBLE};
  bool bMissing = false;
  for (size_t k = 0; k < sizeof aRequired / sizeof aRequired[0]; k++) {
    if (p->aCol[aRequired[k]] < 0) {
      file_diag(p, iHeader, DIAG_ERROR, "falta la columna %s en el encabezado",
                azPlanFieldTitle[aRequired[k]]);
      bMissing = true;
    }
  }
  if (bMissing) {
    return;
  }
  /* Width of the header: columns a data row may fill. */
  int nWidth = 0;
  for (int r = iHeader; r < iFirst; r++) {
    for (int i = 0; i < t->aRow[r].nCell; i++) {
      if (!str_is_blank(t->aRow[r].azCell[i]) && i + 1 > nWidth) {
        nWidth = i + 1;
      }
    }
  }
  int nNeed = 0;
  for (int f = 0; f < PF_COUNT; f++) {
    if (p->aCol[f] + 1 > nNeed && f != PF_RESULT && f != PF_INDICATOR_GOAL) {
      nNeed = p->aCol[f] + 1;
    }
  }
  const char *zComponent = "";
  for (int r = iFirst; r < t->nRow; r++) {
    if (row_is_blank(t, r)) {
      continue;
    }
    const TableRow *row = &t->aRow[r];
    if (cell_is_blank(table_cell(t, r, p->aCol[PF_ITEM])) &&
        cell_is_blank(table_cell(t, r, p->aCol[PF_ACTIVITY]))) {
      file_diag(p, r, DIAG_WARNING, "fila sin ítem ni actividad; se ignora");
      continue;
    }
    int iAct = draft_add_activity(p, r);
    DraftActivity *a = &p->aAct[iAct];
    Buf loc = BUF_INIT;
    draft_loc(p, r, p->aCol[PF_ITEM] >= 0 ? p->aCol[PF_ITEM] : 0, &loc);
    a->zLoc = buf_take(&loc);
    for (int f = 0; f < PF_COUNT; f++) {
      if (p->aCol[f] >= 0) {
        a->azField[f] = take_cell(t, r, p->aCol[f]);
      }
    }
    for (int i = 0; i < p->nPeriodCol; i++) {
      const char *z = p->aPeriodCol[i] >= 0 ? take_cell(t, r, p->aPeriodCol[i]) : "";
      if (z[0] && a->pPeriods == NULL) {
        a->pPeriods = xcalloc(1, sizeof(DraftPeriods));
        for (int k = 0; k < PLAN_MAX_PERIODS; k++) {
          a->pPeriods->azCell[k] = "";
        }
      }
      if (a->pPeriods) {
        a->pPeriods->azCell[i] = z;
      }
    }
    if (a->azField[PF_COMPONENT][0] == 0) {
      a->azField[PF_COMPONENT] = zComponent;
    } else {
      zComponent = a->azField[PF_COMPONENT];
    }
    if (t->zSheet == NULL && t->zRowWord == NULL) {
      int nExtra = 0;
      for (int i = nWidth; i < row->nCell; i++) {
        if (!cell_is_blank(row->azCell[i])) {
          nExtra = i + 1;
        }
      }
      if (nExtra > 0) {
        act_diag(p, iAct, PF_COUNT, DIAG_ERROR,
                 "la fila tiene %d columnas con datos y el encabezado %d; revise separadores "
                 "o celdas desplazadas",
                 nExtra, nWidth);
      } else if (row->nCell < nNeed) {
        a->bShort = true;
        act_diag(p, iAct, PF_COUNT, DIAG_ERROR,
                 "la fila tiene %d columnas y el encabezado %d; faltan celdas (¿un salto de "
                 "línea dentro de una celda sin comillas?)",
                 row->nCell, nWidth);
      }
    }
  }
  if (p->aAct && p->nAct > 0 && p->aAct[0].azField[PF_COMPONENT][0] == 0 &&
      p->aCol[PF_COMPONENT] >= 0) {
    act_diag(p, 0, PF_COMPONENT, DIAG_WARNING,
             "la primera actividad no tiene componente; las siguientes sin componente quedan "
             "sin agrupar");
  }
  finish_meta(p, pOpts, iHeaderYear);
  if (p->nAct == 0) {
    file_diag(p, iHeader, DIAG_ERROR, "el encabezado no tiene actividades debajo");
  }
  if (pOpts && pOpts->xBeforeValidate) {
    pOpts->xBeforeValidate(p, pOpts->pArg);
  }
  validate(p);
}

/* Does zPath end with zExt (case-insensitive)? */
static bool has_ext(const char *zPath, const char *zExt) {
  size_t n = strlen(zPath), m = strlen(zExt);
  return n >= m && strcasecmp(zPath + n - m, zExt) == 0;
}

/* Read the whole file zPath; NULL with *pzErr on failure. Caller frees. */
static char *slurp(const char *zPath, size_t *pn, char **pzErr) {
  Buf b = BUF_INIT;
  int rc = file_read_all(zPath, &b);
  if (rc != 0) {
    *pzErr = rc == FILE_READ_ERROR
                 ? xasprintf("no se puede leer «%s»: error de lectura", zPath)
                 : xasprintf("no se puede leer «%s»: %s", zPath, os_error(rc));
    return NULL;
  }
  *pn = b.n;
  return buf_take(&b);
}

/* Mark the draft unreadable with message zErr (freed). */
static void draft_unreadable(PlanDraft *p, char *zErr) {
  p->bUnreadable = true;
  diags_add(&p->diags, DIAG_ERROR, -1, -1, p->zSource, "%s", zErr);
  free(zErr);
}

void plan_read_file(const char *zPath, const PlanReadOpts *pOpts, PlanDraft *p) {
  char *zErr = NULL;
  if (has_ext(zPath, ".json")) {
    size_t n = 0;
    char *z = slurp(zPath, &n, &zErr);
    if (z == NULL) {
      draft_init(p, zPath, "json");
      draft_unreadable(p, zErr);
      return;
    }
    plan_read_json(zPath, z, n, pOpts, p);
    free(z);
    return;
  }
  Table t;
  TableRc rc;
  const char *zFormat;
  if (has_ext(zPath, ".xlsx") || has_ext(zPath, ".xlsm")) {
    rc = xlsx_read_file(zPath, pOpts ? pOpts->zSheet : NULL, &t, &zErr);
    zFormat = "xlsx";
  } else {
    rc = csv_read_file(zPath, 0, &t, &zErr);
    zFormat = t.cSep == '\t' ? "tsv" : "csv";
  }
  if (rc != TABLE_OK) {
    draft_init(p, zPath, zFormat);
    draft_unreadable(p, zErr);
    table_reset(&t);
    return;
  }
  plan_read_table(&t, zFormat, pOpts, p);
  plan_draft_adopt_table(p, &t);
}

void plan_draft_report(const PlanDraft *p, FILE *out) {
  diags_print(&p->diags, out);
  fprintf(out, "%s: %d actividad%s, %d error%s, %d advertencia%s\n", p->zSource, p->nAct,
          p->nAct == 1 ? "" : "es", p->diags.nError, p->diags.nError == 1 ? "" : "es",
          p->diags.nWarning, p->diags.nWarning == 1 ? "" : "s");
}
