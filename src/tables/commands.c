/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The CLI command table, hand-written and sorted by name (the unit test
** tests/unit/test_commands.c checks order, uniqueness and that every entry
** has usage and help). Nested tables hold subcommands. Each usage string
** lives here only: main hands the entry's usage to its handler
** (App.zUsage), which prints it with its usage errors.
*/
#include "tables/commands.h"

#include <string.h>

#include "audit/audit_cmd.h"
#include "auth/user_cmd.h"
#include "calendar/calendar_cmd.h"
#include "ops/ops.h"
#include "plan/plan_cmd.h"
#include "pqrsd/pqrsd_cmd.h"
#include "privacy/privacy_cmd.h"
#include "web/serve.h"

static const Command aAudit[] = {
    {"head", audit_head_cmd, CMD_DB, NULL, 0, "audit head",
     "imprime la cabeza del registro de cambios para anotarla fuera del sistema",
     "Comprueba el registro como «audit verify» y, si está íntegro, imprime su cabeza como\n"
     "HUELLA:CONTEO: la huella SHA-256 de la última entrada y el número de entradas. Anote esa\n"
     "línea fuera del sistema (en un acta, en un correo a control interno): quien tenga la base\n"
     "puede reescribir el registro entero de forma coherente, pero no la marca anotada.\n"
     "Sale con 1 (sin imprimir la cabeza) si el registro no está íntegro."},
    {"verify", audit_verify_cmd, CMD_DB, NULL, 0, "audit verify [--expect HUELLA:CONTEO]",
     "comprueba que el registro de cambios no fue alterado",
     "Recalcula la huella SHA-256 encadenada de cada entrada del registro de cambios y\n"
     "reporta cada entrada cuyo contenido fue alterado, las entradas borradas (también las\n"
     "últimas), los enlaces rotos de la cadena, un registro vacío en una base con datos y los\n"
     "disparadores que protegen el registro si faltan, cambiaron o se agregaron otros.\n"
     "Con --expect HUELLA:CONTEO (una marca impresa antes por «participa audit head»)\n"
     "comprueba además que la entrada CONTEO sigue teniendo esa huella y que la cadena la\n"
     "continúa: así se descubre un registro reescrito, recalculado o borrado desde la marca.\n"
     "Sale con 0 si el registro está íntegro (y muestra la huella de la última entrada) y con\n"
     "1 si no."},
};

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
     "purga todo lo terminado antes de esa fecha, sea cual sea el plazo. Las cifras del\n"
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

static const Command aUser[] = {
    {"add", user_add_cmd, CMD_NEWDB, NULL, 0,
     "user add USUARIO --role ROL [--office DEPENDENCIA]... [--name \"NOMBRE COMPLETO\"] "
     "[--password-stdin]",
     "crea una cuenta de usuario",
     "ROL es administrador, planeacion, responsable o control-interno. Un responsable\n"
     "necesita al menos una dependencia (--office, repetible), escrita como en el catálogo o\n"
     "con uno de sus alias. Sin --password-stdin se genera una contraseña inicial que se\n"
     "muestra una sola vez y que el usuario debe cambiar al entrar; con --password-stdin se\n"
     "lee de la primera línea de la entrada estándar (al menos 10 caracteres). El nombre de\n"
     "usuario lleva de 2 a 40 letras sin tildes, dígitos, «.», «_» o «-»."},
    {"disable", user_disable_cmd, CMD_DB, NULL, 0, "user disable USUARIO [--enable]",
     "deshabilita (o habilita) una cuenta",
     "Una cuenta deshabilitada no puede entrar y sus sesiones abiertas terminan. No se puede\n"
     "deshabilitar al único administrador habilitado. Con --enable la cuenta vuelve a entrar."},
    {"list", user_list_cmd, CMD_DB, NULL, 0, "user list", "lista las cuentas de usuario",
     "Muestra cada cuenta con su nombre, rol, estado, último ingreso y dependencias."},
    {"passwd", user_passwd_cmd, CMD_DB, NULL, 0, "user passwd USUARIO [--password-stdin]",
     "restablece la contraseña de una cuenta",
     "Sin --password-stdin genera una contraseña nueva, la muestra una sola vez y pide al\n"
     "usuario cambiarla al entrar; con --password-stdin la lee de la primera línea de la\n"
     "entrada estándar. Las sesiones abiertas de la cuenta terminan."},
    {"role", user_role_cmd, CMD_DB, NULL, 0,
     "user role USUARIO --role ROL [--office DEPENDENCIA]...",
     "cambia el rol y las dependencias de una cuenta",
     "Reemplaza el rol y, para un responsable, sus dependencias (--office, repetible). El\n"
     "único administrador habilitado no puede dejar de serlo."},
    {"unlock", user_unlock_cmd, CMD_DB, NULL, 0, "user unlock USUARIO",
     "borra los intentos fallidos de ingreso de una cuenta",
     "Tras varios intentos fallidos, cada nuevo intento de una cuenta desde una dirección\n"
     "debe esperar (1 s, 2 s, 4 s… hasta 5 minutos). Este comando borra esos intentos para\n"
     "que la cuenta pueda intentarlo de nuevo sin esperar; queda en el registro de auditoría."},
};

#define SUB(a) a, (int)(sizeof a / sizeof a[0])

const Command aCommand[] = {
    {"audit", NULL, CMD_DB, SUB(aAudit), "audit head|verify …", "registro de auditoría",
     "Subcomandos: head, verify."},
    {"backup", backup_cmd, CMD_DB, NULL, 0, "backup ARCHIVO",
     "respalda la base de datos y los archivos en un solo archivo",
     "Escribe en ARCHIVO (tar; comprimido con gzip si el nombre termina en .gz o .tgz) una\n"
     "copia consistente de la base de datos, tomada aunque el servidor esté atendiendo, con\n"
     "cada archivo de evidencia y adjunto que esa copia nombra, el logo de la entidad y un\n"
     "MANIFIESTO con el tamaño y el SHA-256 de cada miembro. ARCHIVO se reemplaza solo cuando\n"
     "el respaldo nuevo está completo. Sale con 1 si falta o está dañado algún archivo de la\n"
     "carpeta de datos (el respaldo se escribe igual y el MANIFIESTO lo anota)."},
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
    {"check", check_cmd, 0, NULL, 0, "check ARCHIVO [--sheet HOJA] [--entity NOMBRE] [--year AÑO]",
     "revisa una matriz del plan sin guardar nada",
     "Lee el archivo (TSV, CSV con «,» o «;», XLSX o JSON exportado; UTF-8 o Windows-1252)\n"
     "y muestra en la salida de errores cada problema como ARCHIVO:LÍNEA: error: … o\n"
     "advertencia: … (en XLSX, la hoja y la celda), y una línea de resumen.\n"
     "Sale con 0 si no hay errores, 1 si los hay y 2 si el archivo no se puede leer."},
    {"datos-personales", NULL, CMD_DB, SUB(aPrivacy),
     "datos-personales corregir|purgar|retencion|suprimir|ver …",
     "datos personales: plazos de conservación y derechos del titular",
     "Subcomandos: corregir, purgar, retencion, suprimir, ver."},
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
    {"office", NULL, CMD_DB, SUB(aOffice), "office list|merge …",
     "catálogo de dependencias", "Subcomandos: list, merge."},
    {"period", NULL, CMD_DB, SUB(aPeriod), "period list|set|scheme …", "periodos de seguimiento",
     "Subcomandos: list, set, scheme."},
    {"plan", NULL, CMD_DB, SUB(aPlan), "plan show|weight …", "consulta el plan",
     "Subcomandos: show, weight."},
    {"pqrsd", NULL, CMD_DB, SUB(aPqrsd), "pqrsd add|answer|list|report|show|terms …",
     "peticiones, quejas, reclamos, sugerencias y denuncias",
     "Subcomandos: add, answer, list, report, show, terms."},
    {"progress", NULL, CMD_DB, SUB(aProgress), "progress add|verify|reject …",
     "avances y su verificación", "Subcomandos: add, verify, reject."},
    {"report", report_cmd, CMD_DB, NULL, 0,
     "report [--at FECHA] [--format text|csv|json] [--reported]",
     "dice dónde está el plan a una fecha",
     "Por actividad: meta, logro verificado, avance, avance esperado a la fecha (--at, por\n"
     "defecto hoy), cumplimiento, semáforo y estado; y consolidados por componente, fase\n"
     "PHVA, dependencia y plan, con la regla de consolidación y cuántas actividades no\n"
     "tienen datos. --reported cuenta también los avances aún no verificados."},
    {"restore", restore_cmd, 0, NULL, 0, "restore ARCHIVO [--sobrescribir]",
     "restaura un respaldo en una base de datos nueva",
     "Restaura el respaldo ARCHIVO en la base de datos de --db y la carpeta de --data-dir.\n"
     "Comprueba cada miembro contra el MANIFIESTO (tamaño y SHA-256) y rechaza el respaldo\n"
     "entero si un miembro cambió, falta o sobra, o si contiene rutas inseguras o enlaces: en\n"
     "ese caso no queda nada a medias. No reemplaza una base de datos existente salvo con\n"
     "--sobrescribir, y nunca mientras un «participa serve» la esté sirviendo. Al final\n"
     "verifica el registro de cambios restaurado."},
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
    {"target", NULL, CMD_DB, SUB(aTarget), "target set …", "metas por periodo",
     "Subcomandos: set."},
    {"test-table", test_table_cmd, CMD_HIDDEN, NULL, 0, "test-table ARCHIVO [--sheet HOJA]",
     "vuelca las filas que leen los lectores CSV/XLSX", "Para pruebas."},
    {"test-text", test_text_cmd, CMD_HIDDEN, NULL, 0,
     "test-text fold|date|target|offices|phase TEXTO...", "prueba los lectores de texto",
     "Para pruebas."},
    {"user", NULL, CMD_DB, SUB(aUser), "user add|disable|list|passwd|role|unlock …",
     "cuentas de usuario", "Subcomandos: add, disable, list, passwd, role, unlock."},
};
const int nCommand = (int)(sizeof aCommand / sizeof aCommand[0]);

const Command *command_find(const Command *a, int n, const char *zName, bool *pbAmbiguous) {
  const Command *pFound = NULL;
  int nMatch = 0;
  size_t nName = strlen(zName);
  *pbAmbiguous = false;
  for (int i = 0; i < n; i++) {
    if (strcmp(a[i].zName, zName) == 0) {
      return &a[i];
    }
    if (nName > 0 && strncmp(a[i].zName, zName, nName) == 0 && !(a[i].flags & CMD_HIDDEN)) {
      pFound = &a[i];
      nMatch++;
    }
  }
  if (nMatch > 1) {
    *pbAmbiguous = true;
    return NULL;
  }
  return pFound;
}
