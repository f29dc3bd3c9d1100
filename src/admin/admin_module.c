/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The administration area's declaration for the shell (app/module.h):
** users, offices, settings and the audit log pages, the menu entry, panel
** entries, notices and the first pages of the administration
** sub-navigation.
** Routes: method, path, handler, flags, capabilities (any one of the
** letters of auth.h CAP_*; NULL = public), body limit (0 = the server's),
** then the kind of each "{name}" parameter (web/server.h RouteParamKind).
*/
#include "app/module.h"
#include "admin/admin_web.h"

#define UP ((size_t)0) /* upload routes: the limit is the server's --max-upload */

static const Route aRoute[] = {
    {"GET", "/admin/usuarios", page_users, 0, "a", 0},
    {"POST", "/admin/usuarios", post_user_add, ROUTE_CSRF, "a", 0},
    {"POST", "/admin/usuarios/{login}", post_user_update, ROUTE_CSRF, "a", 0, {PARAM_NAME}},
    {"GET", "/admin/dependencias", page_offices, 0, "a", 0},
    {"POST", "/admin/dependencias", post_office_merge, ROUTE_CSRF, "a", 0},
    {"GET", "/admin/ajustes", page_settings, 0, "a", 0},
    {"POST", "/admin/ajustes", post_settings, ROUTE_CSRF | ROUTE_UPLOAD, "a", UP},
    {"GET", "/admin/auditoria", page_audit, 0, "av", 0},
};

static const ModuleNav aNav[] = {
    {110, NAV_ADMIN, "Administración", "a"},
};

static const ModulePanel aPanel[] = {
    {50, "/admin/usuarios", "Usuarios", "cuentas, roles y contraseñas", "a", NULL},
    {60, "/admin/dependencias", "Dependencias", "catálogo, alias y fusiones", "a", NULL},
    {70, "/admin/ajustes", "Ajustes", "semáforo, cortes de periodo, entidad y logo", "a", NULL},
    {80, "/admin/auditoria", "Registro de auditoría", "cada cambio, encadenado y verificable", "av",
     NULL},
};

static const ModuleNotice aNotice[] = {
    {"ajustes-guardados", "Ajustes guardados."},
    {"dependencias-fusionadas", "Dependencias fusionadas."},
    {"usuario-actualizado", "Usuario actualizado."},
    {"usuario-creado", "Usuario creado."},
};

static const ModuleAdmin aAdmin[] = {
    {10, "/admin/usuarios", "Usuarios"},
    {20, "/admin/dependencias", "Dependencias"},
    {30, "/admin/ajustes", "Ajustes"},
    {70, "/admin/auditoria", "Registro de cambios"},
};

/* The declaration src/tables/modules.c lists. */
const Module admin_module = {
    "admin",
    MODULE_ARRAY(aRoute),
    NULL, 0,
    MODULE_ARRAY(aNav),
    MODULE_ARRAY(aPanel),
    MODULE_ARRAY(aNotice),
    MODULE_ARRAY(aAdmin),
};
