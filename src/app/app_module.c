/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The shell's own declaration (app/module.h): the `serve` command, the
** compiled-in assets and the entity logo.
** Routes: method, path, handler, flags, capabilities (any one of the
** letters of auth.h CAP_*; NULL = public), body limit (0 = the server's),
** then the kind of each "{name}" parameter (web/server.h RouteParamKind).
*/
#include "app/module.h"
#include "app/serve.h"
#include "app/web.h"

static const Command aCmd[] = {
    {"serve", serve_cmd, CMD_DB, NULL, 0,
     "serve [--listen DIRECCIÓN:PUERTO] [--workers N] [--max-upload MB] [--max-body KB] "
     "[--max-header KB] [--timeout SEGUNDOS] [--header-timeout SEGUNDOS] [--max-conn N] "
     "[--max-conn-per-addr N] [--trusted-proxy IP[,IP]] "
     "[--proxy-header x-forwarded-for|forwarded] [--busy-timeout MS] [--max-spool MB] "
     "[--access-log ARCHIVO] [--secure-cookie]",
     "sirve la aplicación web",
     "Atiende la aplicación web: la ciudadanía consulta el avance del plan y los datos\n"
     "abiertos; los funcionarios entran con su usuario para reportar avances, verificarlos,\n"
     "editar el plan y administrar. Por defecto escucha en 127.0.0.1:8080; para publicarlo\n"
     "ponga delante un proxy con TLS y use --secure-cookie. Ctrl+C (SIGINT) o SIGTERM lo\n"
     "detienen después de terminar las solicitudes en curso. El registro de accesos va a la\n"
     "salida estándar salvo que --access-log indique un archivo. --max-upload limita las\n"
     "cargas (evidencias, planes, logo; 20 MB por defecto), --max-body los demás\n"
     "formularios (1024 KB) y --max-header la línea de solicitud y los encabezados (32 KB);\n"
     "--timeout cierra las conexiones inactivas (30 segundos).\n"
     "Límites contra clientes hostiles: --header-timeout (10 s para enviar los encabezados),\n"
     "--max-conn (2048 conexiones) y --max-conn-per-addr (64 por dirección), --max-spool\n"
     "(1024 MB de cargas en curso en disco). --busy-timeout es cuánto espera una escritura\n"
     "si la base está ocupada (5000 ms) antes de responder 503. Detrás de un proxy, pase su\n"
     "dirección con --trusted-proxy: la del cliente se toma de X-Forwarded-For (o de\n"
     "Forwarded con --proxy-header forwarded), solo cuando la conexión viene del proxy.\n"
     "SIGHUP reabre el registro de accesos. Un solo servidor por base de datos."},
};

static const Route aRoute[] = {
    {"GET", "/static/{file}", page_asset, 0, NULL, 0, {PARAM_NAME}},
    {"GET", "/logo", page_logo, 0, NULL, 0},
};

/* The declaration src/tables/modules.c lists. */
const Module app_module = {
    "app",
    MODULE_ARRAY(aRoute),
    MODULE_ARRAY(aCmd),
    NULL, 0,
    NULL, 0,
    NULL, 0,
    NULL, 0,
};
