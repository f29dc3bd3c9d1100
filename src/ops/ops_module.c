/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Operations' declaration for the shell (app/module.h): the `backup` and
** `restore` commands and the monitors' /salud.
** Routes: method, path, handler, flags, capabilities (any one of the
** letters of auth.h CAP_*; NULL = public), body limit (0 = the server's).
*/
#include "app/module.h"
#include "ops/ops.h"

static const Command aCmd[] = {
    {"backup", backup_cmd, CMD_DB, NULL, 0, "backup ARCHIVO",
     "respalda la base de datos y los archivos en un solo archivo",
     "Escribe en ARCHIVO (tar; comprimido con gzip si el nombre termina en .gz o .tgz) una\n"
     "copia consistente de la base de datos, tomada aunque el servidor esté atendiendo, con\n"
     "cada archivo de evidencia y adjunto que esa copia nombra, el logo de la entidad y un\n"
     "MANIFIESTO con el tamaño y el SHA-256 de cada miembro. ARCHIVO se reemplaza solo cuando\n"
     "el respaldo nuevo está completo. Sale con 1 si falta o está dañado algún archivo de la\n"
     "carpeta de datos (el respaldo se escribe igual y el MANIFIESTO lo anota)."},
    {"restore", restore_cmd, 0, NULL, 0, "restore ARCHIVO [--sobrescribir]",
     "restaura un respaldo en una base de datos nueva",
     "Restaura el respaldo ARCHIVO en la base de datos de --db y la carpeta de --data-dir.\n"
     "Comprueba cada miembro contra el MANIFIESTO (tamaño y SHA-256) y rechaza el respaldo\n"
     "entero si un miembro cambió, falta o sobra, o si contiene rutas inseguras o enlaces: en\n"
     "ese caso no queda nada a medias. No reemplaza una base de datos existente salvo con\n"
     "--sobrescribir, y nunca mientras un «participa serve» la esté sirviendo. Al final\n"
     "verifica el registro de cambios restaurado."},
};

static const Route aRoute[] = {
    {"GET", "/salud", health_page, 0, NULL, 0},
};

/* The declaration src/tables/modules.c lists. */
const Module ops_module = {
    "ops",
    MODULE_ARRAY(aRoute),
    MODULE_ARRAY(aCmd),
    NULL, 0,
    NULL, 0,
    NULL, 0,
    NULL, 0,
};
