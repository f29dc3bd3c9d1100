/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** What a module declares about itself, and the tables the shell gathers
** from those declarations. Each module (src/plan, src/pqrsd, src/retos, ...)
** defines one `const Module <name>_module` in its own folder
** (src/<name>/<name>_module.c): its routes, its CLI commands (usage and help
** beside the handler's name), its menu entries, its panel entries, its
** notices (the "?aviso=" codes its handlers redirect with) and its
** administration pages. src/tables/modules.c lists the modules; at start
** (before main) the shell concatenates their entries into one route table,
** one command table sorted by name, one menu, one panel, one notice table
** sorted by code and one administration sub-navigation. docs/modulos.md
** walks through adding a module.
**
** What it does not do: check the declarations (tests/unit/test_modules.c
** checks uniqueness and order), or render anything (page.c does).
*/
#ifndef PARTICIPA_APP_MODULE_H
#define PARTICIPA_APP_MODULE_H

#include "base/buf.h"
#include "tables/commands.h"
#include "web/server.h"

/* One entry of the main menu. */
typedef struct ModuleNav {
  int iOrder;         /* place in the menu, smaller first (see docs/modulos.md) */
  const char *zHref;  /* where it goes; also the PageNav of the pages under it */
  const char *zText;  /* its label */
  const char *zCaps;  /* shown to a role with any of these capabilities (auth.h CAP_*),
                         NULL = everybody, signed in or not */
} ModuleNav;

/* One entry of the signed-in user's panel (/panel): a link and why to
** follow it. */
typedef struct ModulePanel {
  int iOrder;                          /* place in the panel, smaller first */
  const char *zHref;                   /* where it goes */
  const char *zText;                   /* its link text */
  const char *zWhy;                    /* the line after it */
  const char *zCaps;                   /* shown to a role with any of these capabilities,
                                          NULL = every signed-in user */
  void (*xWhy)(Request *r, Buf *pWhy); /* writes the line instead of zWhy (a count that
                                          changes), NULL = zWhy */
} ModulePanel;

/* One notice shown after a redirect with "?aviso=CODE". */
typedef struct ModuleNotice {
  const char *zCode; /* the code, unique across modules */
  const char *zText; /* its Spanish text */
} ModuleNotice;

/* One page of the administration sub-navigation (administrador only). */
typedef struct ModuleAdmin {
  int iOrder;        /* place in the sub-navigation, smaller first */
  const char *zHref; /* the page */
  const char *zText; /* its link text */
} ModuleAdmin;

/* Everything a module declares. Any array may be NULL with count 0. */
typedef struct Module {
  const char *zName;          /* the module's folder name ("pqrsd") */
  const Route *aRoute;        /* its routes, in match order among themselves */
  int nRoute;                 /* entries in aRoute */
  const Command *aCommand;    /* its top-level commands (any order) */
  int nCommand;               /* entries in aCommand */
  const ModuleNav *aNav;      /* its menu entries */
  int nNav;                   /* entries in aNav */
  const ModulePanel *aPanel;  /* its panel entries */
  int nPanel;                 /* entries in aPanel */
  const ModuleNotice *aNotice; /* its notices */
  int nNotice;                /* entries in aNotice */
  const ModuleAdmin *aAdmin;  /* its administration pages */
  int nAdmin;                 /* entries in aAdmin */
} Module;

/* An array and its length, for the pairs of a Module initializer:
** .aRoute = MODULE_ARRAY(aRoute) expands to both members' values in order,
** so it is written as `MODULE_ARRAY(aRoute)` in a positional initializer. */
#define MODULE_ARRAY(a) a, (int)(sizeof a / sizeof a[0])

/* The modules of the program (src/tables/modules.c), in the order their
** routes are tried when two patterns overlap equally. */
extern const Module *const aModule[];
extern const int nModule;

/* The gathered tables, built once before main (and before any test) from
** aModule; read-only afterwards. Each returns its array (owned by the
** shell, never freed) and stores its length in *pn; none fails (an
** allocation failure aborts). The menu, panel and administration entries are
** sorted by iOrder (ties keep module order); the notices by code. */
const ModuleNav *module_nav(int *pn);
const ModulePanel *module_panel(int *pn);
const ModuleAdmin *module_admin(int *pn);
const ModuleNotice *module_notices(int *pn);

#endif
