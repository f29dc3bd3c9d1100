/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Gathers what the modules declare (module.h) into the program's tables:
** the route table (aWebRoute, app/web.h), the command table (aCommand,
** tables/commands.h), the menu, the panel, the notices and the
** administration sub-navigation. They are built once, before main runs (a
** constructor, so the unit tests and every other program linked with these
** objects see them too), and are read-only afterwards: no lock is needed.
**
** Routes are ordered so that the first match is the most literal one: by
** pattern, compared byte by byte with a "{parameter}" segment after any
** literal text, then GET before POST; routes that compare equal keep module
** order. Commands are sorted by name, notices by code; menu, panel and
** administration entries by their iOrder (ties keep module order).
**
** What it does not do: check for duplicates (tests/unit/test_modules.c
** does), or render anything (page.c).
*/
#include "app/module.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "app/web.h"
#include "base/util.h"

const Route *aWebRoute;  /* the gathered route table (see the ordering above) */
int nWebRoute;           /* entries in aWebRoute */
const Command *aCommand; /* the gathered command table, sorted by name */
int nCommand;            /* entries in aCommand */

static ModuleNav *aNav;       /* the menu, by iOrder */
static int nNav;              /* entries in aNav */
static ModulePanel *aPanel;   /* the panel, by iOrder */
static int nPanel;            /* entries in aPanel */
static ModuleAdmin *aAdmin;   /* the administration sub-navigation, by iOrder */
static int nAdmin;            /* entries in aAdmin */
static ModuleNotice *aNotice; /* the notices, by code */
static int nNotice;           /* entries in aNotice */

/* Append n elements of size nSize from pSrc to the growing array *ppDst of
** *pnDst elements (realloc'd; aborts on allocation failure). */
static void append(void **ppDst, int *pnDst, const void *pSrc, int n, size_t nSize) {
  if (n <= 0) {
    return;
  }
  *ppDst = xrealloc(*ppDst, nSize * (size_t)(*pnDst + n));
  memcpy((char *)*ppDst + nSize * (size_t)*pnDst, pSrc, nSize * (size_t)n);
  *pnDst += n;
}

/* A route with its position in module order, for a stable sort. */
typedef struct RouteAt {
  Route route; /* the route */
  int iAt;     /* its position in module order */
} RouteAt;

/* Byte rank in a pattern: '{' (a parameter) after every literal byte. */
static int pattern_rank(unsigned char c) {
  return c == '{' ? 256 : c;
}

/* qsort comparison of RouteAt: pattern (parameters last), method, module order. */
static int route_cmp(const void *pA, const void *pB) {
  const RouteAt *a = pA;
  const RouteAt *b = pB;
  const unsigned char *x = (const unsigned char *)a->route.zPattern;
  const unsigned char *y = (const unsigned char *)b->route.zPattern;
  while (*x && *x == *y) {
    x++;
    y++;
  }
  int rc = pattern_rank(*x) - pattern_rank(*y);
  if (rc == 0) {
    rc = strcmp(a->route.zMethod, b->route.zMethod);
  }
  return rc != 0 ? rc : a->iAt - b->iAt;
}

/* qsort comparison of Command by name. */
static int command_cmp(const void *pA, const void *pB) {
  return strcmp(((const Command *)pA)->zName, ((const Command *)pB)->zName);
}

/* qsort comparison of ModuleNotice by code. */
static int notice_cmp(const void *pA, const void *pB) {
  return strcmp(((const ModuleNotice *)pA)->zCode, ((const ModuleNotice *)pB)->zCode);
}

_Static_assert(offsetof(ModuleNav, iOrder) == 0, "sort_by_order reads iOrder first");
_Static_assert(offsetof(ModulePanel, iOrder) == 0, "sort_by_order reads iOrder first");
_Static_assert(offsetof(ModuleAdmin, iOrder) == 0, "sort_by_order reads iOrder first");

/* Stable sort of n elements of size nSize by the int at offset 0 (iOrder):
** insertion sort, the lists are short. */
static void sort_by_order(void *pArray, int n, size_t nSize) {
  char *a = pArray;
  char *pTmp = xmalloc(nSize);
  for (int i = 1; i < n; i++) {
    memcpy(pTmp, a + nSize * (size_t)i, nSize);
    int iKey = *(const int *)pTmp;
    int j = i;
    while (j > 0 && *(const int *)(a + nSize * (size_t)(j - 1)) > iKey) {
      memcpy(a + nSize * (size_t)j, a + nSize * (size_t)(j - 1), nSize);
      j--;
    }
    memcpy(a + nSize * (size_t)j, pTmp, nSize);
  }
  free(pTmp);
}

/* Build every gathered table from aModule. Runs once, before main; aborts
** only when memory runs out. The tables are never freed (they live as long
** as the program). */
__attribute__((constructor)) static void modules_gather(void) {
  RouteAt *aAt = NULL;
  int nAt = 0;
  Command *aCmd = NULL;
  int nCmd = 0;
  for (int i = 0; i < nModule; i++) {
    const Module *m = aModule[i];
    for (int j = 0; j < m->nRoute; j++) {
      RouteAt at = {m->aRoute[j], nAt};
      append((void **)&aAt, &nAt, &at, 1, sizeof at);
    }
    append((void **)&aCmd, &nCmd, m->aCommand, m->nCommand, sizeof(Command));
    append((void **)&aNav, &nNav, m->aNav, m->nNav, sizeof(ModuleNav));
    append((void **)&aPanel, &nPanel, m->aPanel, m->nPanel, sizeof(ModulePanel));
    append((void **)&aAdmin, &nAdmin, m->aAdmin, m->nAdmin, sizeof(ModuleAdmin));
    append((void **)&aNotice, &nNotice, m->aNotice, m->nNotice, sizeof(ModuleNotice));
  }
  qsort(aAt, (size_t)nAt, sizeof *aAt, route_cmp);
  Route *aRoute = xmalloc(sizeof(Route) * (size_t)(nAt > 0 ? nAt : 1));
  for (int i = 0; i < nAt; i++) {
    aRoute[i] = aAt[i].route;
  }
  free(aAt);
  aWebRoute = aRoute;
  nWebRoute = nAt;
  if (nCmd > 0) {
    qsort(aCmd, (size_t)nCmd, sizeof *aCmd, command_cmp);
  }
  aCommand = aCmd;
  nCommand = nCmd;
  if (nNotice > 0) {
    qsort(aNotice, (size_t)nNotice, sizeof *aNotice, notice_cmp);
  }
  sort_by_order(aNav, nNav, sizeof *aNav);
  sort_by_order(aPanel, nPanel, sizeof *aPanel);
  sort_by_order(aAdmin, nAdmin, sizeof *aAdmin);
}

const ModuleNav *module_nav(int *pn) {
  *pn = nNav;
  return aNav;
}

const ModulePanel *module_panel(int *pn) {
  *pn = nPanel;
  return aPanel;
}

const ModuleAdmin *module_admin(int *pn) {
  *pn = nAdmin;
  return aAdmin;
}

const ModuleNotice *module_notices(int *pn) {
  *pn = nNotice;
  return aNotice;
}
