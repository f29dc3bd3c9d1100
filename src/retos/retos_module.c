/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The participation channels' and open challenges' declaration for the
** shell (app/module.h): their pages, menu and panel entries and notices.
** Routes: method, path, handler, flags, capabilities (any one of the
** letters of auth.h CAP_*; NULL = public), body limit (0 = the server's),
** then the kind of each "{name}" parameter (web/server.h RouteParamKind).
*/
#include "app/module.h"
#include "retos/retos_web.h"

static const Route aRoute[] = {
    {"GET", "/participa", page_participa, 0, NULL, 0},
    {"GET", "/participa/boton", page_participa_button, 0, NULL, 0},
    {"GET", "/retos", page_retos, 0, NULL, 0},
    {"GET", "/retos/nuevo", page_reto_new, 0, "p", 0},
    {"POST", "/retos/nuevo", post_reto_new, ROUTE_CSRF, "p", 0},
    {"GET", "/retos/moderacion", page_retos_moderation, 0, "p", 0},
    {"POST", "/retos/propuesta/{id}", post_propuesta, ROUTE_CSRF, "p", 0, {PARAM_ID}},
    {"POST", "/retos/limite", post_retos_limit, ROUTE_CSRF, "a", 0},
    {"GET", "/retos/{reto}", page_reto, 0, NULL, 0, {PARAM_ID}},
    {"POST", "/retos/{reto}", post_reto_proposal, ROUTE_CSRF, NULL, RETOS_FORM_MAX_BODY,
     {PARAM_ID}},
    {"GET", "/retos/{reto}/editar", page_reto_edit, 0, "p", 0, {PARAM_ID}},
    {"POST", "/retos/{reto}/editar", post_reto_edit, ROUTE_CSRF, "p", 0, {PARAM_ID}},
};

static const ModuleNav aNav[] = {
    {40, NAV_PARTICIPA, "Participa", NULL},
};

static const ModulePanel aPanel[] = {
    {45, "/retos/moderacion", "Moderación de retos", "propuestas que esperan revisión", "p", NULL},
};

static const ModuleNotice aNotice[] = {
    {"propuesta-publicada", "Propuesta publicada. Ya se ve en la página del reto."},
    {"propuesta-radicada", "Propuesta radicada como sugerencia: ya tiene número de radicado y "
                           "término de respuesta."},
    {"propuesta-rechazada", "Propuesta rechazada. No se publicará; el motivo queda en el "
                            "registro de cambios."},
    {"propuesta-recibida", "Propuesta recibida. La entidad la revisará antes de publicarla en "
                           "esta página."},
    {"reto-creado", "Reto creado."},
    {"reto-guardado", "Reto guardado."},
    {"reto-sin-cambios", "No había cambios que guardar en el reto."},
    {"retos-limite-guardado", "Límite de propuestas por hora guardado."},
};

/* The declaration src/tables/modules.c lists. */
const Module retos_module = {
    "retos",
    MODULE_ARRAY(aRoute),
    NULL, 0,
    MODULE_ARRAY(aNav),
    MODULE_ARRAY(aPanel),
    MODULE_ARRAY(aNotice),
    NULL, 0,
};
