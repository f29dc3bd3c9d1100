/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The action plan's declaration for the shell (app/module.h): the plan's
** commands (check, import, export, report, plan, progress, target, period,
** office, log, init and the hidden test- readers), its public pages and open
** data, progress reporting and verification, planeación's pages, its menu
** and panel entries and its notices.
** Routes: method, path, handler, flags, capabilities (any one of the
** letters of auth.h CAP_*; NULL = public), body limit (0 = the server's),
** then the kind of each "{name}" parameter (web/server.h RouteParamKind).
*/
#include "app/module.h"
#include "plan/plan_cmd.h"
#include "plan/plan_web.h"

static const Command aOffice[] = {
    {"list", office_list_cmd, CMD_DB, NULL, 0, "office list",
     "lista las dependencias, sus alias y posibles duplicados",
     "Muestra cada dependencia del catálogo con el número de actividades a su cargo y los\n"
     "otros nombres (alias) con que aparece. Al final sugiere pares que podrían ser la misma\n"
     "dependencia escrita de dos formas, para fusionarlos con «participa office merge»."},
    {"merge", office_merge_cmd, CMD_DB, NULL, 0, "office merge PRINCIPAL ALIAS",
     "convierte ALIAS en otro nombre de PRINCIPAL",
     "Las actividades de ALIAS pasan a PRINCIPAL y el nombre ALIAS (y sus alias) queda como\n"
     "alias de PRINCIPAL: en adelante, importar un archivo que diga ALIAS asigna PRINCIPAL.\n"
     "Los nombres se comparan sin importar mayúsculas, tildes ni espacios."},
};

static const Command aPeriod[] = {
    {"list", period_list_cmd, CMD_DB, NULL, 0, "period list", "lista los periodos y sus cortes",
     "Muestra los periodos de seguimiento del plan con su fecha de inicio y de corte."},
    {"scheme", period_scheme_cmd, CMD_DB, NULL, 0,
     "period scheme trimestral|cuatrimestral|semestral|anual", "cambia el esquema de periodos",
     "Reemplaza los periodos del plan por los del esquema dado (trimestres T1-T4,\n"
     "cuatrimestres C1-C3, semestres S1-S2 o el año A1). Solo es posible mientras no haya\n"
     "metas ni reportes registrados por periodo."},
    {"set", period_set_cmd, CMD_DB, NULL, 0, "period set PERIODO FECHA",
     "cambia la fecha de corte de un periodo",
     "Fija la fecha de corte de PERIODO (por ejemplo T2 30-junio-2021); el periodo siguiente\n"
     "empieza el día después."},
};

static const Command aPlan[] = {
    {"show", plan_show_cmd, CMD_DB, NULL, 0, "plan show [ÍTEM]",
     "muestra el plan o una actividad con cada detalle",
     "Sin ÍTEM: los datos del plan y una línea por actividad.\n"
     "Con ÍTEM: cada campo de la matriz, dependencias, metas por periodo, reportes de avance\n"
     "con su evidencia y revisión, y la historia de cambios de la actividad."},
    {"weight", plan_weight_cmd, CMD_DB, NULL, 0, "plan weight ÍTEM PESO",
     "fija el peso de una actividad en los consolidados",
     "Por defecto todas las actividades pesan 1 y los consolidados son promedios simples.\n"
     "Con pesos distintos, los consolidados son promedios ponderados."},
};

static const Command aProgress[] = {
    {"add", progress_add_cmd, CMD_DB, NULL, 0,
     "progress add ÍTEM --period T1 --value N --note TEXTO [--evidence ARCHIVO|URL] "
     "[--as USUARIO]",
     "reporta un avance con su evidencia",
     "Registra lo logrado en el periodo (no acumulado) con una nota. La evidencia puede ser\n"
     "un archivo, que se guarda una sola vez con su SHA-256 en la carpeta de datos, o un\n"
     "enlace http(s). El reporte queda «reportado» hasta que control interno lo verifique."},
    {"reject", progress_reject_cmd, CMD_DB, NULL, 0, "progress reject ID --note TEXTO",
     "rechaza un reporte de avance",
     "Marca el reporte como rechazado con la nota de control interno; no cuenta en el avance."},
    {"verify", progress_verify_cmd, CMD_DB, NULL, 0, "progress verify ID --note TEXTO",
     "verifica un reporte de avance",
     "Marca el reporte como verificado con la nota de control interno; desde ese momento\n"
     "cuenta en el avance de la actividad."},
};

static const Command aTarget[] = {
    {"set", target_set_cmd, CMD_DB, NULL, 0, "target set ÍTEM PERIODO VALOR",
     "fija la meta de una actividad en un periodo",
     "Las metas son por periodo (no acumuladas). Con metas por periodo, el avance esperado a\n"
     "una fecha es la suma de las metas de los periodos ya cortados sobre la meta total."},
};

#define UP ((size_t)0) /* upload routes: the limit is the server's --max-upload */

/* ModulePanel.xWhy: how many reports wait for verification. */
static void panel_queue_why(Request *r, Buf *pWhy) {
  long nWait = plan_web_queue_count(r);
  buf_appendf(pWhy, "%ld reporte%s esperando verificación", nWait, nWait == 1 ? "" : "s");
}

static const Command aCmd[] = {
    {"check", check_cmd, 0, NULL, 0, "check ARCHIVO [--sheet HOJA] [--entity NOMBRE] [--year AÑO]",
     "revisa una matriz del plan sin guardar nada",
     "Lee el archivo (TSV, CSV con «,» o «;», XLSX o JSON exportado; UTF-8 o Windows-1252)\n"
     "y muestra en la salida de errores cada problema como ARCHIVO:LÍNEA: error: … o\n"
     "advertencia: … (en XLSX, la hoja y la celda), y una línea de resumen.\n"
     "Sale con 0 si no hay errores, 1 si los hay y 2 si el archivo no se puede leer."},
    {"export", export_cmd, CMD_DB, NULL, 0, "export --format csv|json|xlsx [--output ARCHIVO]",
     "escribe el plan con sus metas y resultados",
     "Escribe el plan en el mismo formato de columnas de la matriz original, con las metas\n"
     "por periodo y el RESULTADO (logro verificado) llenos. Importar el archivo exportado da\n"
     "el mismo plan. CSV: separado por «;», UTF-8 con BOM."},
    {"import", import_cmd, CMD_NEWDB, NULL, 0,
     "import ARCHIVO [--force] [--sheet HOJA] [--entity NOMBRE] [--year AÑO]",
     "importa (o actualiza) el plan desde su matriz",
     "Revisa el archivo como «check» y, si no hay errores, guarda el plan completo en una sola\n"
     "transacción. Con --force guarda también las filas con errores y las marca «a revisar»\n"
     "con su mensaje. Importar de nuevo el plan de la misma entidad y año actualiza las\n"
     "actividades por número de ítem, conserva los avances registrados y lista los cambios."},
    {"init", init_cmd, CMD_NEWDB, NULL, 0, "init", "crea una base de datos vacía",
     "Crea la base de datos (o actualiza su esquema) en la ruta de --db."},
    {"log", log_cmd, CMD_DB, NULL, 0, "log [--limit N]", "muestra el registro de cambios",
     "Muestra las últimas entradas del registro de cambios, que no se puede modificar."},
    {"office", NULL, CMD_DB, MODULE_ARRAY(aOffice), "office list|merge …",
     "catálogo de dependencias", "Subcomandos: list, merge."},
    {"period", NULL, CMD_DB, MODULE_ARRAY(aPeriod), "period list|set|scheme …", "periodos de seguimiento",
     "Subcomandos: list, set, scheme."},
    {"plan", NULL, CMD_DB, MODULE_ARRAY(aPlan), "plan show|weight …", "consulta el plan",
     "Subcomandos: show, weight."},
    {"progress", NULL, CMD_DB, MODULE_ARRAY(aProgress), "progress add|verify|reject …",
     "avances y su verificación", "Subcomandos: add, verify, reject."},
    {"report", report_cmd, CMD_DB, NULL, 0,
     "report [--at FECHA] [--format text|csv|json] [--reported]",
     "dice dónde está el plan a una fecha",
     "Por actividad: meta, logro verificado, avance, avance esperado a la fecha (--at, por\n"
     "defecto hoy), cumplimiento, semáforo y estado; y consolidados por componente, fase\n"
     "PHVA, dependencia y plan, con la regla de consolidación y cuántas actividades no\n"
     "tienen datos. --reported cuenta también los avances aún no verificados."},
    {"target", NULL, CMD_DB, MODULE_ARRAY(aTarget), "target set …", "metas por periodo",
     "Subcomandos: set."},
    {"test-table", test_table_cmd, CMD_HIDDEN, NULL, 0, "test-table ARCHIVO [--sheet HOJA]",
     "vuelca las filas que leen los lectores CSV/XLSX", "Para pruebas."},
    {"test-text", test_text_cmd, CMD_HIDDEN, NULL, 0,
     "test-text fold|date|target|offices|phase TEXTO...", "prueba los lectores de texto",
     "Para pruebas."},
};

static const Route aRoute[] = {
    {"GET", "/", page_overview, 0, NULL, 0},
    {"GET", "/actividades", page_activities, 0, NULL, 0},
    {"GET", "/actividad/{item}", page_activity, 0, NULL, 0, {PARAM_ITEM}},
    {"GET", "/evidencia/{id}", page_evidence, 0, NULL, 0, {PARAM_ID}},
    {"GET", "/datos", page_open_data_doc, 0, NULL, 0},
    {"GET", "/datos/plan.csv", page_open_data_csv, 0, NULL, 0},
    {"GET", "/datos/plan.json", page_open_data_json, 0, NULL, 0},
    {"GET", "/reportar", page_report_form, 0, "r", 0},
    {"GET", "/reportar/{item}", page_report_form, 0, "r", 0, {PARAM_ITEM}},
    {"POST", "/reportar/{item}", post_report, ROUTE_CSRF | ROUTE_UPLOAD, "r", UP, {PARAM_ITEM}},
    {"GET", "/verificacion", page_queue, 0, "v", 0},
    {"POST", "/verificacion/{id}", post_review, ROUTE_CSRF, "v", 0, {PARAM_ID}},
    {"GET", "/plan/actividad/{item}", page_edit_activity, 0, "p", 0, {PARAM_ITEM}},
    {"POST", "/plan/actividad/{item}", post_edit_activity, ROUTE_CSRF, "p", 0, {PARAM_ITEM}},
    {"GET", "/plan/cargar", page_upload_plan, 0, "p", 0},
    {"POST", "/plan/cargar", post_upload_plan, ROUTE_CSRF | ROUTE_UPLOAD, "p", UP},
    {"POST", "/plan/confirmar", post_confirm_plan, ROUTE_CSRF, "p", 0},
};

static const ModuleNav aNav[] = {
    {10, NAV_OVERVIEW, "Avance del plan", NULL},
    {20, NAV_ACTIVITIES, "Actividades", NULL},
    {30, NAV_DATA, "Datos abiertos", NULL},
    {70, NAV_REPORT, "Reportar avance", "r"},
    {80, NAV_QUEUE, "Verificación", "v"},
    {100, NAV_PLAN, "Cargar plan", "p"},
};

static const ModulePanel aPanel[] = {
    {10, "/reportar", "Reportar avance", "las actividades de sus dependencias, con su evidencia",
     "r", NULL},
    {20, "/verificacion", "Verificación", NULL, "v", panel_queue_why},
    {30, "/plan/cargar", "Cargar plan", "revise un archivo del plan y confirme la importación",
     "p", NULL},
    {40, "/actividades", "Actividades", "abra una actividad para editarla", "p", NULL},
    {1000, "/", "Avance del plan", "lo que ve la ciudadanía", NULL, NULL},
};

static const ModuleNotice aNotice[] = {
    {"actividad-guardada", "Actividad guardada."},
    {"avance-rechazado", "Reporte rechazado. Quien lo reportó verá la nota."},
    {"avance-reportado", "Avance reportado. Queda pendiente de verificación por control interno."},
    {"avance-verificado", "Reporte verificado. Ya cuenta en el avance publicado."},
    {"plan-importado", "Plan importado."},
};

/* The declaration src/tables/modules.c lists. */
const Module plan_module = {
    "plan",
    MODULE_ARRAY(aRoute),
    MODULE_ARRAY(aCmd),
    MODULE_ARRAY(aNav),
    MODULE_ARRAY(aPanel),
    MODULE_ARRAY(aNotice),
    NULL, 0,
};
