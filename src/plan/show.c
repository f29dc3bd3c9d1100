/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** CLI views of the plan (see show.h).
*/
#include "plan/show.h"

#include <string.h>

#include "base/text.h"
#include "plan/plan.h"
#include "plan/plan_db.h"

void plan_show_plan(Db *db, int64_t iPlan, Buf *p) {
  Stmt *s = db_prepare(db, "SELECT entity, year, macroproceso, proceso, subproceso, strategy, "
                           "policy, objective, period_scheme, source_name, imported_at FROM plan "
                           "WHERE id = :plan");
  db_bind_int(s, ":plan", iPlan);
  if (db_step(s)) {
    buf_appendf(p, "Entidad:      %s\nAño:          %lld\n", db_col_text(s, 0),
                (long long)db_col_int(s, 1));
    static const char *const azLabel[] = {"Macroproceso: ", "Proceso:      ", "Subproceso:   ",
                                          "Estrategia:   ", "Política:     ", "Objetivo:     ",
                                          "Periodos:     ", "Importado de: "};
    for (int i = 0; i < 8; i++) {
      if (db_col_text(s, i + 2)[0]) {
        buf_appendf(p, "%s%s\n", azLabel[i], db_col_text(s, i + 2));
      }
    }
    buf_appendf(p, "Importado el: %s\n\n", db_col_text(s, 10));
  }
  db_finalize(s);
  s = db_prepare(db, "SELECT a.item, coalesce(a.phase, '-'), a.start_date, a.end_date, a.target,"
                     " a.activity, a.review_note IS NOT NULL FROM activity a WHERE a.plan_id = "
                     ":plan ORDER BY a.item");
  db_bind_int(s, ":plan", iPlan);
  buf_puts(p, "Ítem Fase Inicio     Final      Meta Actividad\n");
  int n = 0, nReview = 0;
  while (db_step(s)) {
    char *zAct = text_ellipsize_dup(db_col_text(s, 5), 52);
    buf_appendf(p, "%4lld %-4s %-10s %-10s %4g %s%s\n", (long long)db_col_int(s, 0),
                db_col_text(s, 1), db_col_text(s, 2), db_col_text(s, 3), db_col_double(s, 4),
                zAct, db_col_int(s, 6) ? " [a revisar]" : "");
    free(zAct);
    n++;
    nReview += (int)db_col_int(s, 6);
  }
  db_finalize(s);
  buf_appendf(p, "\n%d actividad%s, %d a revisar\n", n, n == 1 ? "" : "es", nReview);
}

bool plan_show_activity(Db *db, int64_t iPlan, long iItem, Buf *p) {
  Stmt *s = db_prepare(db, "SELECT a.id, a.item, coalesce(c.name, ''), coalesce(a.phase, ''), "
                           "a.activity, a.product, a.indicator, a.goal, coalesce(a.start_date, "
                           "''), coalesce(a.end_date, ''), a.responsible, a.indicator_goal, "
                           "a.result_text, a.target, a.weight, a.review_note, a.source_loc FROM "
                           "activity a LEFT JOIN component c ON c.id = a.component_id WHERE "
                           "a.plan_id = :plan AND a.item = :item");
  db_bind_int(s, ":plan", iPlan);
  db_bind_int(s, ":item", iItem);
  if (!db_step(s)) {
    db_finalize(s);
    return false;
  }
  int64_t iAct = db_col_int(s, 0);
  for (int f = 0; f < PF_COUNT; f++) {
    const char *z = f == PF_ITEM ? NULL : db_col_text(s, f + 1);
    if (f == PF_ITEM) {
      buf_appendf(p, "%s: %lld\n", azPlanFieldName[f], (long long)db_col_int(s, 1));
    } else {
      buf_appendf(p, "%s: %s\n", azPlanFieldName[f], z);
    }
  }
  buf_appendf(p, "Meta numérica: %g\nPeso: %g\nLeída de: %s\n", db_col_double(s, 13),
              db_col_double(s, 14), db_col_text(s, 16));
  if (!db_col_is_null(s, 15)) {
    buf_appendf(p, "A REVISAR: %s\n", db_col_text(s, 15));
  }
  db_finalize(s);
  s = db_prepare(db, "SELECT o.name FROM activity_office ao JOIN office o ON o.id = ao.office_id "
                     "WHERE ao.activity_id = :act ORDER BY ao.position");
  db_bind_int(s, ":act", iAct);
  buf_puts(p, "\nDependencias:\n");
  while (db_step(s)) {
    buf_appendf(p, "  - %s\n", db_col_text(s, 0));
  }
  db_finalize(s);
  s = db_prepare(db, "SELECT p.code, p.end_date, t.value, (SELECT sum(r.value) FROM progress r "
                     "WHERE r.activity_id = :act AND r.period_id = p.id AND r.status = "
                     "'verificado') FROM period p LEFT JOIN target t ON t.period_id = p.id AND "
                     "t.activity_id = :act WHERE p.plan_id = :plan ORDER BY p.position");
  db_bind_int(s, ":act", iAct);
  db_bind_int(s, ":plan", iPlan);
  buf_puts(p, "\nPeriodo Corte       Meta  Logro verificado\n");
  while (db_step(s)) {
    buf_appendf(p, "%-7s %-10s ", db_col_text(s, 0), db_col_text(s, 1));
    if (db_col_is_null(s, 2)) {
      buf_appendf(p, "%5s  ", "-");
    } else {
      buf_appendf(p, "%5g  ", db_col_double(s, 2));
    }
    if (db_col_is_null(s, 3)) {
      buf_puts(p, "-\n");
    } else {
      buf_appendf(p, "%g\n", db_col_double(s, 3));
    }
  }
  db_finalize(s);
  s = db_prepare(db, "SELECT r.id, p.code, r.value, r.status, r.author, r.created_at, r.note, "
                     "coalesce(r.reviewer, ''), coalesce(r.reviewed_at, ''), "
                     "coalesce(r.review_note, '') FROM progress r JOIN period p ON p.id = "
                     "r.period_id WHERE r.activity_id = :act ORDER BY r.id");
  Stmt *pEv = db_prepare(db, "SELECT kind, name, coalesce(sha256, ''), coalesce(size, 0), "
                             "coalesce(mime, '') FROM evidence WHERE progress_id = :id ORDER BY "
                             "id");
  db_bind_int(s, ":act", iAct);
  buf_puts(p, "\nReportes de avance:\n");
  int n = 0;
  while (db_step(s)) {
    n++;
    buf_appendf(p, "  #%lld %s valor %g — %s — %s, %s\n    %s\n", (long long)db_col_int(s, 0),
                db_col_text(s, 1), db_col_double(s, 2), db_col_text(s, 3), db_col_text(s, 4),
                db_col_text(s, 5), db_col_text(s, 6));
    if (db_col_text(s, 7)[0]) {
      buf_appendf(p, "    revisión: %s, %s: %s\n", db_col_text(s, 7), db_col_text(s, 8),
                  db_col_text(s, 9));
    }
    db_bind_int(pEv, ":id", db_col_int(s, 0));
    while (db_step(pEv)) {
      if (strcmp(db_col_text(pEv, 0), "archivo") == 0) {
        buf_appendf(p, "    evidencia: %s (%lld bytes, %s, sha256 %s)\n", db_col_text(pEv, 1),
                    (long long)db_col_int(pEv, 3), db_col_text(pEv, 4), db_col_text(pEv, 2));
      } else {
        buf_appendf(p, "    evidencia: %s\n", db_col_text(pEv, 1));
      }
    }
    db_reset(pEv);
  }
  if (n == 0) {
    buf_puts(p, "  (ninguno)\n");
  }
  db_finalize(pEv);
  db_finalize(s);
  s = plan_history_query(db, iAct, false);
  buf_puts(p, "\nHistoria:\n");
  n = 0;
  while (db_step(s)) {
    n++;
    buf_appendf(p, "  %s %s %s: %s\n", db_col_text(s, 0), db_col_text(s, 1), db_col_text(s, 2),
                db_col_text(s, 3));
  }
  if (n == 0) {
    buf_puts(p, "  (sin cambios desde la importación)\n");
  }
  db_finalize(s);
  return true;
}
