/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The calendar's declaration for the shell (app/module.h): the `calendar`
** command, the administrador's page of the entity's non-working days, its
** panel entry, notices and administration page.
** Routes: method, path, handler, flags, capabilities (any one of the
** letters of auth.h CAP_*; NULL = public), body limit (0 = the server's).
*/
#include "app/module.h"
#include "calendar/calendar_cmd.h"
#include "calendar/calendar_web.h"

static const Command aCmd[] = {
    {"calendar", calendar_cmd, 0, NULL, 0,
     "calendar [AÑO] | calendar add FECHA N | calendar dia add|remove|list …",
     "festivos, días hábiles y días no hábiles de la entidad",
     "Los plazos legales (PQRSD) se cuentan en días hábiles: de lunes a viernes, sin los\n"
     "festivos nacionales (Ley 51 de 1983) ni los días no hábiles que la entidad agregue.\n"
     "\n"
     "  calendar [AÑO]\n"
     "    Lista los 18 festivos nacionales del año (por defecto el actual) con su día de la\n"
     "    semana y su nombre, los días no hábiles de la entidad si existe la base de datos,\n"
     "    y cuántos días hábiles tiene el año. Años de 1984 a 2100.\n"
     "  calendar add FECHA N\n"
     "    Muestra la fecha que cae N días hábiles después de FECHA (el vencimiento de un\n"
     "    plazo de N días radicado ese día), los días calendario que pasan y los festivos\n"
     "    del camino. FECHA se escribe como 31-marzo-2021, 31/03/2021 o 2021-03-31.\n"
     "  calendar dia add FECHA --motivo TEXTO\n"
     "    Agrega un día no hábil de la entidad (un festivo local, una oficina cerrada).\n"
     "    No se aceptan sábados, domingos ni festivos nacionales: ya son no hábiles.\n"
     "  calendar dia remove FECHA\n"
     "    Quita un día no hábil de la entidad.\n"
     "  calendar dia list [AÑO]\n"
     "    Lista los días no hábiles de la entidad (de un año, o todos).\n"
     "Los cambios quedan en el registro de cambios."},
};

static const Route aRoute[] = {
    {"GET", "/admin/calendario", page_calendar, 0, "a", 0},
    {"POST", "/admin/calendario", post_calendar, ROUTE_CSRF, "a", 0},
};

static const ModulePanel aPanel[] = {
    {72, "/admin/calendario", "Calendario", "días no hábiles de la entidad", "a", NULL},
};

static const ModuleNotice aNotice[] = {
    {"dia-no-habil-agregado", "Día no hábil agregado."},
    {"dia-no-habil-quitado", "Día no hábil quitado."},
};

static const ModuleAdmin aAdmin[] = {
    {40, "/admin/calendario", "Calendario"},
};

/* The declaration src/tables/modules.c lists. */
const Module calendar_module = {
    "calendar",
    MODULE_ARRAY(aRoute),
    MODULE_ARRAY(aCmd),
    NULL, 0,
    MODULE_ARRAY(aPanel),
    MODULE_ARRAY(aNotice),
    MODULE_ARRAY(aAdmin),
};
