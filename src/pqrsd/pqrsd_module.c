/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The PQRSD's declaration for the shell (app/module.h): the `pqrsd`
** commands, the public form, status check and report, the open data, the
** back office (bandeja), the administrador's terms page, its menu and panel
** entries and its notices.
** Routes: method, path, handler, flags, capabilities (any one of the
** letters of auth.h CAP_*; NULL = public), body limit (0 = the server's),
** then the kind of each "{name}" parameter (web/server.h RouteParamKind).
*/
#include "app/module.h"
#include "pqrsd/pqrsd_cmd.h"
#include "pqrsd/pqrsd_web.h"

static const Command aPqrsd[] = {
    {"add", pqrsd_add_cmd, CMD_DB, NULL, 0,
     "pqrsd add --tipo TIPO --asunto TEXTO --texto TEXTO [--anonima] [--nombre N] "
     "[--tipo-documento T --documento N] [--correo C] [--telefono T] [--direccion D] "
     "[--canal C] [--autoriza]",
     "radica una PQRSD recibida en ventanilla, por teléfono o por escrito",
     "Nadie puede negarse a recibir y radicar una petición (art. 15 de la Ley 1755 de 2015).\n"
     "TIPO es peticion, documentos, consulta, queja, reclamo, sugerencia, denuncia o\n"
     "felicitacion. Sin --anonima se necesita el nombre, un canal de respuesta (--canal\n"
     "correo, direccion, telefono o consulta, con el dato que corresponda) y --autoriza: el\n"
     "peticionario autorizó el tratamiento de sus datos. Muestra el radicado, el\n"
     "vencimiento y el código de consulta, que no se vuelve a mostrar."},
    {"answer", pqrsd_answer_cmd, CMD_DB, NULL, 0,
     "pqrsd answer RADICADO --texto TEXTO [--publicar [--asunto-publico TEXTO "
     "--respuesta-publica TEXTO]]",
     "responde una PQRSD",
     "Registra la respuesta y deja la PQRSD «respondida». --publicar (solo sugerencias)\n"
     "publica la respuesta en el informe público con la versión que escribe el funcionario:\n"
     "--asunto-publico y --respuesta-publica, sin datos del peticionario (nunca se publica el\n"
     "texto del ciudadano). Sin ellas, la respuesta queda marcada para publicar y aparece\n"
     "cuando se escriba su versión pública en la página de la PQRSD."},
    {"list", pqrsd_list_cmd, CMD_DB, NULL, 0,
     "pqrsd list [--vencidas] [--vencen N] [--abiertas] [--tipo TIPO] [--estado ESTADO] "
     "[--buscar TEXTO] [--limit N]",
     "lista las PQRSD con su vencimiento",
     "Primero las abiertas, por fecha de vencimiento; después las demás, de la más reciente a\n"
     "la más antigua. DÍAS son los días hábiles que faltan para el vencimiento (negativo:\n"
     "vencida). --vencidas muestra las que pasaron su vencimiento sin respuesta, --vencen N\n"
     "las que vencen en los próximos N días hábiles, --buscar busca en el asunto sin\n"
     "importar tildes ni mayúsculas (o un radicado)."},
    {"report", pqrsd_report_cmd, CMD_DB, NULL, 0,
     "pqrsd report [--year AÑO] [--format text|csv|json]",
     "informe de PQRSD para transparencia (Ley 1712 de 2014, art. 11 h)",
     "Cuenta las PQRSD radicadas en el año por tipo, dependencia y mes: respondidas a tiempo\n"
     "y fuera de término, pendientes (y de ellas vencidas), trasladadas a otra entidad y\n"
     "desistidas, con el promedio y la mediana de días hábiles hasta la respuesta. No\n"
     "contiene datos personales ni textos: se puede publicar como datos abiertos."},
    {"show", pqrsd_show_cmd, CMD_DB, NULL, 0, "pqrsd show RADICADO",
     "muestra una PQRSD con su historia",
     "Todos los datos de la PQRSD: tipo, estado, fechas, vencimiento, peticionario,\n"
     "solicitud, respuesta y la historia de cada cambio."},
    {"terms", pqrsd_terms_cmd, CMD_DB, NULL, 0, "pqrsd terms [TIPO DÍAS]",
     "muestra o cambia los términos de respuesta",
     "Sin argumentos lista los tipos de PQRSD con su término en días hábiles. Con TIPO DÍAS\n"
     "cambia el término de ese tipo (de 1 a 100 días): vale para las PQRSD radicadas desde\n"
     "ese momento. El cambio queda en el registro de cambios."},
};

#define UP ((size_t)0) /* upload routes: the limit is the server's --max-upload */

static const Command aCmd[] = {
    {"pqrsd", NULL, CMD_DB, MODULE_ARRAY(aPqrsd), "pqrsd add|answer|list|report|show|terms …",
     "peticiones, quejas, reclamos, sugerencias y denuncias",
     "Subcomandos: add, answer, list, report, show, terms."},
};

static const Route aRoute[] = {
    {"GET", "/datos/pqrsd.csv", page_pqrsd_open_csv, 0, NULL, 0},
    {"GET", "/datos/pqrsd.json", page_pqrsd_open_json, 0, NULL, 0},
    {"GET", "/pqrsd", page_pqrsd_form, 0, NULL, 0},
    {"POST", "/pqrsd", post_pqrsd, ROUTE_CSRF | ROUTE_UPLOAD, NULL, UP},
    {"GET", "/pqrsd/consulta", page_pqrsd_status, 0, NULL, 0},
    {"POST", "/pqrsd/consulta", post_pqrsd_status, ROUTE_CSRF, NULL, 0},
    {"GET", "/pqrsd/informe", page_pqrsd_report, 0, NULL, 0},
    {"GET", "/pqrsd/bandeja", page_pqrsd_inbox, 0, "qv", 0},
    {"GET", "/pqrsd/bandeja/{radicado}", page_pqrsd_detail, 0, "qv", 0, {PARAM_RADICADO}},
    {"POST", "/pqrsd/bandeja/{radicado}", post_pqrsd_action, ROUTE_CSRF | ROUTE_UPLOAD, "q", UP,
     {PARAM_RADICADO}},
    {"GET", "/pqrsd/bandeja/{radicado}/archivo/{archivo}", page_pqrsd_file, 0, "qv", 0,
     {PARAM_RADICADO, PARAM_WORD}},
    {"GET", "/admin/pqrsd", page_pqrsd_terms, 0, "a", 0},
    {"POST", "/admin/pqrsd", post_pqrsd_terms, ROUTE_CSRF, "a", 0},
};

static const ModuleNav aNav[] = {
    {50, NAV_PQRSD, "PQRSD", NULL},
    /* who attends PQRSD, and control interno, which reads them (no role has both) */
    {90, NAV_PQRSD_INBOX, "Bandeja PQRSD", "qv"},
};

static const ModulePanel aPanel[] = {
    {25, "/pqrsd/bandeja", "Bandeja PQRSD", "peticiones por atender y su vencimiento", "qv",
     NULL},
    {74, "/admin/pqrsd", "Términos PQRSD", "términos de respuesta y límite de radicación", "a",
     NULL},
};

static const ModuleNotice aNotice[] = {
    {"pqrsd-asignada", "PQRSD asignada a la dependencia."},
    {"pqrsd-cerrada", "PQRSD cerrada."},
    {"pqrsd-informacion-pedida",
     "Información pedida al peticionario. El término queda en pausa hasta que la entregue."},
    {"pqrsd-informacion-recibida",
     "Información registrada. El término de respuesta vuelve a empezar desde hoy."},
    {"pqrsd-publicacion-retirada", "La respuesta se retiró del informe público."},
    {"pqrsd-publicada", "Versión pública de la respuesta publicada."},
    {"pqrsd-prorrogada", "Término prorrogado. El peticionario ve la nueva fecha y el motivo."},
    {"pqrsd-respondida", "Respuesta registrada. El peticionario la ve al consultar su solicitud."},
    {"pqrsd-trasladada", "PQRSD trasladada. El término vuelve a empezar desde hoy."},
    {"terminos-guardados", "Términos y límite de las PQRSD guardados."},
};

static const ModuleAdmin aAdmin[] = {
    {50, "/admin/pqrsd", "PQRSD"},
};

/* The declaration src/tables/modules.c lists. */
const Module pqrsd_module = {
    "pqrsd",
    MODULE_ARRAY(aRoute),
    MODULE_ARRAY(aCmd),
    MODULE_ARRAY(aNav),
    MODULE_ARRAY(aPanel),
    MODULE_ARRAY(aNotice),
    MODULE_ARRAY(aAdmin),
};
