/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Personal data's declaration for the shell (app/module.h): the
** `datos-personales` commands, the titular's and the administrador's
** pages.
** Routes: method, path, handler, flags, capabilities (any one of the
** letters of auth.h CAP_*; NULL = public), body limit (0 = the server's).
*/
#include "app/module.h"
#include "privacy/privacy_cmd.h"
#include "privacy/privacy_web.h"

static const Command aPrivacy[] = {
    {"corregir", privacy_correct_cmd, CMD_DB, NULL, 0,
     "datos-personales corregir RADICADO | --propuesta N [--nombre N] [--tipo-documento T] "
     "[--documento N] [--correo C] [--telefono T] [--direccion D]",
     "corrige los datos personales de una PQRSD o una propuesta a pedido del titular",
     "Cambia los datos indicados con las mismas reglas del formulario (correo, teléfono,\n"
     "documento y canal de respuesta). En una propuesta solo hay nombre y correo. El registro\n"
     "de cambios anota quién, cuándo, la PQRSD o la propuesta y qué campos cambiaron, nunca\n"
     "los valores."},
    {"purgar", privacy_purge_cmd, CMD_DB, NULL, 0, "datos-personales purgar [--hasta FECHA]",
     "anonimiza los datos personales cuyo plazo de conservación terminó",
     "Sin --hasta aplica los plazos de «datos-personales retencion»: anonimiza las PQRSD\n"
     "respondidas o cerradas antes del plazo (nombre, documento, correo, teléfono, dirección,\n"
     "asunto, solicitud, respuesta y adjuntos), borra los adjuntos vencidos y anonimiza las\n"
     "propuestas de retos cerrados antes del plazo. Con --hasta FECHA (no posterior a hoy)\n"
     "purga cuanto terminó antes de esa fecha, sea cual sea el plazo. Las cifras del\n"
     "informe de PQRSD no cambian; cada registro anonimizado queda en el registro de cambios."},
    {"retencion", privacy_retention_cmd, CMD_DB, NULL, 0,
     "datos-personales retencion [pqrsd|adjuntos|propuestas MESES]",
     "muestra o cambia los plazos de conservación de datos personales",
     "Sin argumentos muestra los tres plazos en meses. Con TIPO MESES cambia uno: pqrsd (datos\n"
     "del peticionario, desde la respuesta), adjuntos (archivos de la PQRSD) o propuestas\n"
     "(datos del autor, desde el cierre del reto). 0 conserva los datos hasta purgarlos con\n"
     "--hasta. Ajústelos a la Tabla de Retención Documental de la entidad."},
    {"suprimir", privacy_suppress_cmd, CMD_DB, NULL, 0,
     "datos-personales suprimir RADICADO | --propuesta N",
     "suprime los datos personales de una PQRSD o una propuesta a pedido del titular",
     "Anonimiza el registro y borra sus adjuntos (y también la PQRSD radicada desde la\n"
     "propuesta, o la propuesta de la que vino la PQRSD). Las cifras de transparencia y el\n"
     "registro de cambios se conservan; la solicitud queda anotada sin datos personales."},
    {"ver", privacy_view_cmd, CMD_DB, NULL, 0, "datos-personales ver RADICADO | --propuesta N",
     "muestra los datos personales que se guardan de una PQRSD o una propuesta",
     "Para responder al titular que pide conocer sus datos (Ley 1581 de 2012). La consulta\n"
     "queda en el registro de cambios con quién la hizo y sobre qué registro."},
};

static const Command aCmd[] = {
    {"datos-personales", NULL, CMD_DB, MODULE_ARRAY(aPrivacy),
     "datos-personales corregir|purgar|retencion|suprimir|ver …",
     "datos personales: plazos de conservación y derechos del titular",
     "Subcomandos: corregir, purgar, retencion, suprimir, ver."},
};

static const Route aRoute[] = {
    {"GET", "/admin/datos-personales", page_privacy_admin, 0, "a", 0},
    {"POST", "/admin/datos-personales", post_privacy_admin, ROUTE_CSRF, "a", 0},
    {"GET", "/datos-personales", page_privacy_titular, 0, "p", 0},
    {"POST", "/datos-personales", post_privacy_titular, ROUTE_CSRF, "p", 0},
};

static const ModulePanel aPanel[] = {
    {76, "/admin/datos-personales", "Datos personales",
     "plazos de conservación y solicitudes de los titulares", "a", NULL},
};

static const ModuleAdmin aAdmin[] = {
    {60, "/admin/datos-personales", "Datos personales"},
};

/* The declaration src/tables/modules.c lists. */
const Module privacy_module = {
    "privacy",
    MODULE_ARRAY(aRoute),
    MODULE_ARRAY(aCmd),
    NULL, 0,
    MODULE_ARRAY(aPanel),
    NULL, 0,
    MODULE_ARRAY(aAdmin),
};
