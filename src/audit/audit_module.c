/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The change log's declaration for the shell (app/module.h): the
** `audit head` and `audit verify` commands. Its page (/admin/auditoria) is
** the administration area's (src/admin/admin_module.c).
*/
#include "app/module.h"
#include "audit/audit_cmd.h"

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

static const Command aCmd[] = {
    {"audit", NULL, CMD_DB, MODULE_ARRAY(aAudit), "audit head|verify …", "registro de auditoría",
     "Subcomandos: head, verify."},
};

/* The declaration src/tables/modules.c lists. */
const Module audit_module = {
    "audit",
    NULL, 0,
    MODULE_ARRAY(aCmd),
    NULL, 0,
    NULL, 0,
    NULL, 0,
    NULL, 0,
};
