/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The modules of the program: the one list a new module is added to. Each
** module declares its routes, commands, menu, panel, notices and
** administration pages in src/<name>/<name>_module.c (app/module.h); the
** shell gathers them at start (src/app/module.c). The order here is the
** order in which routes of the same shape are tried and menu entries with
** the same iOrder are shown; nothing else depends on it.
*/
#include "app/module.h"

extern const Module app_module;
extern const Module plan_module;
extern const Module pqrsd_module;
extern const Module retos_module;
extern const Module auth_module;
extern const Module admin_module;
extern const Module calendar_module;
extern const Module privacy_module;
extern const Module audit_module;
extern const Module ops_module;

const Module *const aModule[] = {
    &app_module,   &plan_module,     &pqrsd_module,   &retos_module, &auth_module,
    &admin_module, &calendar_module, &privacy_module, &audit_module, &ops_module,
};
const int nModule = (int)(sizeof aModule / sizeof aModule[0]);
