/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Unit tests for the module declarations and the tables the shell gathers
** from them (src/app/module.c, src/tables/modules.c): every module's routes
** and commands are in the gathered tables exactly once; a literal segment
** is tried before a parameter in the same place; notices are sorted and
** unique with a text each; menu, panel and administration entries are in
** iOrder and unique; every page of the menu or of the administration
** sub-navigation that needs a capability is on the panel of the roles that
** may open it; and, through a real server, /panel shows each role the pages
** the old hand-written panel left out (/pqrsd/bandeja, /retos/moderacion,
** /admin/calendario, /admin/pqrsd).
*/
#include <criterion/criterion.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/module.h"
#include "app/page.h"
#include "app/web.h"
#include "auth/auth.h"
#include "webtest.h"

/* The number of times method zMethod and pattern zPattern are in aWebRoute. */
static int route_count(const char *zMethod, const char *zPattern) {
  int n = 0;
  for (int i = 0; i < nWebRoute; i++) {
    n += strcmp(aWebRoute[i].zMethod, zMethod) == 0 && strcmp(aWebRoute[i].zPattern, zPattern) == 0;
  }
  return n;
}

Test(modules, every_route_gathered_once, .description = "modules-1.1") {
  int nSum = 0;
  for (int i = 0; i < nModule; i++) {
    const Module *m = aModule[i];
    for (int j = 0; j < m->nRoute; j++) {
      cr_expect_eq(route_count(m->aRoute[j].zMethod, m->aRoute[j].zPattern), 1, "%s: %s %s",
                   m->zName, m->aRoute[j].zMethod, m->aRoute[j].zPattern);
    }
    nSum += m->nRoute;
  }
  cr_assert_eq(nWebRoute, nSum);
  cr_assert_eq(nWebRoute, 66); /* the routes of the program today */
}

Test(modules, every_command_gathered_once, .description = "modules-1.2") {
  int nSum = 0;
  for (int i = 0; i < nModule; i++) {
    const Module *m = aModule[i];
    for (int j = 0; j < m->nCommand; j++) {
      int n = 0;
      for (int k = 0; k < nCommand; k++) {
        n += strcmp(aCommand[k].zName, m->aCommand[j].zName) == 0;
      }
      cr_expect_eq(n, 1, "%s: command %s", m->zName, m->aCommand[j].zName);
    }
    nSum += m->nCommand;
  }
  cr_assert_eq(nCommand, nSum);
  cr_assert_eq(nCommand, 21); /* the top-level commands of the program today */
}

/* The first segment where zA and zB differ, as the byte offset of its start
** (-1 when the patterns have different numbers of segments or are equal). */
static int first_diff_segment(const char *zA, const char *zB) {
  int nA = 0;
  int nB = 0;
  for (const char *p = zA; *p; p++) {
    nA += *p == '/';
  }
  for (const char *p = zB; *p; p++) {
    nB += *p == '/';
  }
  if (nA != nB || strcmp(zA, zB) == 0) {
    return -1;
  }
  int iSeg = 0;
  for (int i = 0; zA[i] && zA[i] == zB[i]; i++) {
    if (zA[i] == '/') {
      iSeg = i + 1;
    }
  }
  return iSeg;
}

Test(modules, literal_segment_before_parameter, .description = "modules-1.3") {
  int nPairs = 0;
  for (int i = 0; i < nWebRoute; i++) {
    for (int j = i + 1; j < nWebRoute; j++) {
      const Route *a = &aWebRoute[i];
      const Route *b = &aWebRoute[j];
      if (strcmp(a->zMethod, b->zMethod) != 0) {
        continue;
      }
      int iSeg = first_diff_segment(a->zPattern, b->zPattern);
      if (iSeg < 0) {
        continue;
      }
      bool bParamFirst = a->zPattern[iSeg] == '{' && b->zPattern[iSeg] != '{';
      cr_expect(!bParamFirst, "%s %s is tried before %s", a->zMethod, a->zPattern, b->zPattern);
      nPairs += a->zPattern[iSeg] != '{' && b->zPattern[iSeg] == '{';
    }
  }
  cr_assert_gt(nPairs, 0); /* /retos/moderacion before /retos/{reto}, at least */
}

Test(modules, notices_sorted_unique_with_text, .description = "modules-1.4") {
  int n = 0;
  const ModuleNotice *a = module_notices(&n);
  cr_assert_eq(n, 32); /* every "?aviso=" code of the program today */
  for (int i = 0; i < n; i++) {
    cr_expect(a[i].zText && a[i].zText[0], "notice %s without text", a[i].zCode);
    if (i > 0) {
      cr_expect_lt(strcmp(a[i - 1].zCode, a[i].zCode), 0, "%s before %s", a[i - 1].zCode,
                   a[i].zCode);
    }
  }
  cr_assert_str_eq(page_notice_text("dia-no-habil-agregado"), "Día no hábil agregado.");
  cr_assert_str_eq(page_notice_text("actividad-guardada"), "Actividad guardada.");
  cr_assert_str_eq(page_notice_text("usuario-creado"), "Usuario creado.");
  cr_assert_null(page_notice_text("no-existe"));
  cr_assert_null(page_notice_text(NULL));
}

/* Assert n entries of size nSize (iOrder first, then zHref) in iOrder
** without a repeated href. */
static void expect_ordered_unique(const void *pArray, int n, size_t nSize, size_t iHref,
                                  const char *zWhat) {
  const char *a = pArray;
  cr_assert_gt(n, 0, "%s is empty", zWhat);
  for (int i = 0; i < n; i++) {
    const char *zHref = *(const char *const *)(a + nSize * (size_t)i + iHref);
    for (int j = 0; j < i; j++) {
      const char *zOther = *(const char *const *)(a + nSize * (size_t)j + iHref);
      cr_expect_str_neq(zHref, zOther, "%s: %s twice", zWhat, zHref);
    }
    if (i > 0) {
      cr_expect_leq(*(const int *)(a + nSize * (size_t)(i - 1)), *(const int *)(a + nSize * (size_t)i),
                   "%s: %s out of order", zWhat, zHref);
    }
  }
}

Test(modules, menu_panel_admin_ordered_unique, .description = "modules-1.5") {
  int n = 0;
  const ModuleNav *aNav = module_nav(&n);
  cr_assert_eq(n, 11);
  expect_ordered_unique(aNav, n, sizeof *aNav, offsetof(ModuleNav, zHref), "menu");
  cr_assert_str_eq(aNav[0].zHref, "/");
  cr_assert_str_eq(aNav[n - 1].zHref, "/admin/usuarios");
  const ModulePanel *aPanel = module_panel(&n);
  expect_ordered_unique(aPanel, n, sizeof *aPanel, offsetof(ModulePanel, zHref), "panel");
  const ModuleAdmin *aAdmin = module_admin(&n);
  cr_assert_eq(n, 7);
  expect_ordered_unique(aAdmin, n, sizeof *aAdmin, offsetof(ModuleAdmin, zHref), "admin");
  cr_assert_str_eq(aAdmin[0].zHref, "/admin/usuarios");
  cr_assert_str_eq(aAdmin[n - 1].zHref, "/admin/auditoria");
}

/* The capabilities of the GET route for zHref ("" when public). */
static const char *get_caps(const char *zHref) {
  for (int i = 0; i < nWebRoute; i++) {
    if (strcmp(aWebRoute[i].zMethod, "GET") == 0 && strcmp(aWebRoute[i].zPattern, zHref) == 0) {
      return aWebRoute[i].zCapability ? aWebRoute[i].zCapability : "";
    }
  }
  cr_assert_fail("no GET route for %s", zHref);
  return "";
}

/* Assert the panel lists zHref with the capabilities of its GET route. */
static void expect_on_panel(const char *zHref) {
  int n = 0;
  const ModulePanel *a = module_panel(&n);
  for (int i = 0; i < n; i++) {
    if (strcmp(a[i].zHref, zHref) == 0) {
      cr_expect_str_eq(a[i].zCaps ? a[i].zCaps : "", get_caps(zHref), "panel entry %s", zHref);
      return;
    }
  }
  cr_expect_fail("%s is not on the panel", zHref);
}

Test(modules, every_restricted_page_on_the_panel, .description = "modules-1.6") {
  int n = 0;
  const ModuleNav *aNav = module_nav(&n);
  for (int i = 0; i < n; i++) {
    if (aNav[i].zCaps && strcmp(aNav[i].zHref, "/panel") != 0) {
      expect_on_panel(aNav[i].zHref);
    }
  }
  const ModuleAdmin *aAdmin = module_admin(&n);
  for (int i = 0; i < n; i++) {
    expect_on_panel(aAdmin[i].zHref);
  }
  expect_on_panel("/retos/moderacion");
}

/* GET /panel as zLogin; assert each of azYes is linked and none of azNo. */
static void expect_panel(WebFixture *f, const char *zLogin, const char *const *azYes,
                         const char *const *azNo) {
  WebClient c = {0};
  webtest_login(f, &c, zLogin);
  WebResp w = webtest_get(f, &c, "/panel");
  cr_assert_eq(w.iStatus, 200, "panel of %s: %d", zLogin, w.iStatus);
  char zLink[128];
  for (int i = 0; azYes[i]; i++) {
    snprintf(zLink, sizeof zLink, "<li><a href=\"%s\">", azYes[i]);
    cr_expect(webtest_has(&w, zLink), "panel of %s without %s", zLogin, azYes[i]);
  }
  for (int i = 0; azNo[i]; i++) {
    snprintf(zLink, sizeof zLink, "<li><a href=\"%s\">", azNo[i]);
    cr_expect(!webtest_has(&w, zLink), "panel of %s with %s", zLogin, azNo[i]);
  }
  webtest_resp_free(&w);
}

Test(modules, panel_shows_every_module_page, .timeout = 60, .description = "modules-1.7") {
  WebFixture f;
  webtest_start(&f, true);
  static const char *const azAdminYes[] = {"/admin/calendario", "/admin/pqrsd",
                                           "/pqrsd/bandeja", "/retos/moderacion",
                                           "/admin/datos-personales", "/admin/usuarios",
                                           "/admin/auditoria", "/", NULL};
  static const char *const azAdminNo[] = {"/reportar", "/verificacion", NULL};
  expect_panel(&f, "admin", azAdminYes, azAdminNo);
  static const char *const azPlanYes[] = {"/pqrsd/bandeja", "/retos/moderacion", "/plan/cargar",
                                          NULL};
  static const char *const azPlanNo[] = {"/admin/calendario", "/admin/pqrsd", "/admin/usuarios",
                                         NULL};
  expect_panel(&f, "planeacion", azPlanYes, azPlanNo);
  static const char *const azControlYes[] = {"/pqrsd/bandeja", "/verificacion",
                                             "/admin/auditoria", NULL};
  static const char *const azControlNo[] = {"/retos/moderacion", "/admin/calendario",
                                            "/plan/cargar", NULL};
  expect_panel(&f, "control", azControlYes, azControlNo);
  static const char *const azRespYes[] = {"/reportar", "/pqrsd/bandeja", "/", NULL};
  static const char *const azRespNo[] = {"/retos/moderacion", "/admin/auditoria",
                                         "/verificacion", NULL};
  expect_panel(&f, "responsable", azRespYes, azRespNo);
  webtest_stop(&f);
}
