/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The office catalogue in the database (see office.h): tables office and
** office_alias, whose fold column holds office_key_dup of the name. Every
** SQL text is a literal with bound values. Offices are created by the plan
** import (src/plan/plan_db.c), which keeps its own cache of keys.
*/
#include "office/office.h"

#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"

int64_t office_find(Db *db, const char *zName) {
  char *zKey = office_key_dup(zName);
  Stmt *s = db_prepare(db, "SELECT id FROM office WHERE fold = :k UNION ALL "
                           "SELECT office_id FROM office_alias WHERE fold = :k");
  db_bind_text(s, ":k", zKey);
  int64_t id = db_step(s) ? db_col_int(s, 0) : 0;
  db_finalize(s);
  free(zKey);
  return id;
}

bool office_merge(Db *db, const char *zMain, const char *zAlias, const char *zActor, char **pzErr) {
  int64_t iMain = office_find(db, zMain);
  int64_t iAlias = office_find(db, zAlias);
  if (iMain == 0 || iAlias == 0) {
    *pzErr = xasprintf("no existe la dependencia «%s»; vea «participa office list»",
                       iMain == 0 ? zMain : zAlias);
    return false;
  }
  if (iMain == iAlias) {
    *pzErr = xasprintf("«%s» y «%s» ya son la misma dependencia", zMain, zAlias);
    return false;
  }
  db_begin(db);
  static const char *const azSql[] = {
      /* links that would become duplicates are dropped first */
      "DELETE FROM activity_office WHERE office_id = :alias AND activity_id IN "
      "(SELECT activity_id FROM activity_office WHERE office_id = :main)",
      "UPDATE activity_office SET office_id = :main WHERE office_id = :alias",
      "UPDATE office_alias SET office_id = :main WHERE office_id = :alias",
      "INSERT INTO office_alias(office_id, name, fold) SELECT :main, name, fold FROM office "
      "WHERE id = :alias",
      "DELETE FROM office WHERE id = :alias",
  };
  for (size_t i = 0; i < sizeof azSql / sizeof azSql[0]; i++) {
    Stmt *s = db_prepare(db, azSql[i]);
    if (strstr(azSql[i], ":main")) {
      db_bind_int(s, ":main", iMain);
    }
    db_bind_int(s, ":alias", iAlias);
    db_run(s);
    db_finalize(s);
  }
  audit_logf(db, zActor, "fusionar", "office", iMain, "«%s» ahora es alias de «%s»", zAlias, zMain);
  db_commit(db);
  return true;
}

char *office_name_dup(Db *db, int64_t iOffice) {
  Stmt *s = db_prepare(db, "SELECT name FROM office WHERE id = :id");
  db_bind_int(s, ":id", iOffice);
  char *z = db_step(s) ? db_col_text_dup(s, 0) : NULL;
  db_finalize(s);
  return z;
}

void office_list(Db *db, Buf *pOut) {
  Stmt *s = db_prepare(db, "SELECT o.id, o.name, o.fold, (SELECT count(*) FROM activity_office "
                           "ao WHERE ao.office_id = o.id) FROM office o ORDER BY o.fold");
  Stmt *pAlias = db_prepare(db, "SELECT name FROM office_alias WHERE office_id = :id ORDER BY "
                                "fold");
  int n = 0;
  int64_t *aId = NULL;
  char **azName = NULL, **azKey = NULL;
  while (db_step(s)) {
    aId = xrealloc(aId, sizeof(int64_t) * (size_t)(n + 1));
    azName = xrealloc(azName, sizeof(char *) * (size_t)(n + 1));
    azKey = xrealloc(azKey, sizeof(char *) * (size_t)(n + 1));
    aId[n] = db_col_int(s, 0);
    azName[n] = xstrdup(db_col_text(s, 1));
    azKey[n] = xstrdup(db_col_text(s, 2));
    n++;
    int64_t nAct = db_col_int(s, 3);
    buf_appendf(pOut, "%s  (%lld actividad%s, en todos los planes)\n", db_col_text(s, 1),
                (long long)nAct, nAct == 1 ? "" : "es");
    db_bind_int(pAlias, ":id", aId[n - 1]);
    while (db_step(pAlias)) {
      buf_appendf(pOut, "    alias: %s\n", db_col_text(pAlias, 0));
    }
    db_reset(pAlias);
  }
  db_finalize(pAlias);
  db_finalize(s);
  int nSuggest = 0;
  for (int i = 0; i < n; i++) {
    for (int j = i + 1; j < n; j++) {
      OfficeSimilarity e = office_similarity(azKey[i], azKey[j]);
      if (e == OFFICE_DIFFERENT) {
        continue;
      }
      if (nSuggest++ == 0) {
        buf_puts(pOut, "\nPosibles duplicados (revise y fusione con «participa office merge "
                       "PRINCIPAL ALIAS»):\n");
      }
      buf_appendf(pOut, "  «%s» ~ «%s» (%s)\n", azName[i], azName[j],
                  e == OFFICE_TYPO ? "se escriben casi igual" : "una contiene a la otra");
    }
  }
  buf_appendf(pOut, "\n%d dependencia%s, %d posible%s duplicado%s\n", n, n == 1 ? "" : "s",
              nSuggest, nSuggest == 1 ? "" : "s", nSuggest == 1 ? "" : "s");
  for (int i = 0; i < n; i++) {
    free(azName[i]);
    free(azKey[i]);
  }
  free(azName);
  free(azKey);
  free(aId);
}

int office_catalogue(Db *db, OfficeInfo **paOut) {
  Stmt *s = db_prepare(db, "SELECT o.id, o.name, o.fold, (SELECT count(*) FROM activity_office "
                           "ao WHERE ao.office_id = o.id) FROM office o ORDER BY o.fold");
  Stmt *pAlias = db_prepare(db, "SELECT name FROM office_alias WHERE office_id = :id ORDER BY "
                                "fold");
  int n = 0;
  OfficeInfo *a = NULL;
  while (db_step(s)) {
    a = xrealloc(a, sizeof(OfficeInfo) * (size_t)(n + 1));
    OfficeInfo *p = &a[n++];
    p->id = db_col_int(s, 0);
    p->zName = xstrdup(db_col_text(s, 1));
    p->zKey = xstrdup(db_col_text(s, 2));
    p->nActivity = (int)db_col_int(s, 3);
    Buf aliases = BUF_INIT;
    db_bind_int(pAlias, ":id", p->id);
    while (db_step(pAlias)) {
      buf_appendf(&aliases, "%s%s", aliases.n ? "; " : "", db_col_text(pAlias, 0));
    }
    db_reset(pAlias);
    p->zAliases = aliases.n ? buf_take(&aliases) : xstrdup("");
    buf_reset(&aliases);
  }
  db_finalize(pAlias);
  db_finalize(s);
  *paOut = a;
  return n;
}

void office_catalogue_free(int n, OfficeInfo *a) {
  for (int i = 0; i < n; i++) {
    free(a[i].zName);
    free(a[i].zKey);
    free(a[i].zAliases);
  }
  free(a);
}

int office_pairs(int n, const OfficeInfo *a, OfficePair **paOut) {
  int nPair = 0;
  OfficePair *aPair = NULL;
  for (int i = 0; i < n; i++) {
    for (int j = i + 1; j < n; j++) {
      OfficeSimilarity e = office_similarity(a[i].zKey, a[j].zKey);
      if (e == OFFICE_DIFFERENT) {
        continue;
      }
      aPair = xrealloc(aPair, sizeof(OfficePair) * (size_t)(nPair + 1));
      aPair[nPair].iA = i;
      aPair[nPair].iB = j;
      aPair[nPair].eSimilarity = (int)e;
      nPair++;
    }
  }
  *paOut = aPair;
  return nPair;
}
