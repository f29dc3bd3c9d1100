/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The key/value settings of the entity (table setting): every key the
** program reads or writes is named below, so that a key is spelled once
** and its meaning is found in one place. Values are text; the defaults and
** the rules for each value belong to the module that uses it. Callers log
** a change themselves (audit_log) in the same transaction. Also the
** entity's name as every page and notice shows it.
*/
#ifndef PARTICIPA_DB_SETTING_H
#define PARTICIPA_DB_SETTING_H

#include <stdbool.h>

#include "db/db.h"

/* ---- the keys ---- */

/* The entity's name; unset or "": the latest plan's entity (src/admin). */
#define SETTING_ENTITY_NAME "entidad.nombre"
/* The logo's type, image/png or image/jpeg; unset: no logo (src/admin). */
#define SETTING_ENTITY_LOGO_TYPE "entidad.logo_tipo"
/* Compliance (%) below which the traffic light is red; default 60 (src/plan). */
#define SETTING_RED_BELOW "semaforo.rojo_hasta"
/* Compliance (%) below which the traffic light is yellow; default 80 (src/plan). */
#define SETTING_YELLOW_BELOW "semaforo.amarillo_hasta"
/* PQRSD filed per client address and hour, 0 for no limit (src/pqrsd). */
#define SETTING_PQRSD_LIMIT "pqrsd.limite_hora"
/* Proposals sent per client address and hour, 0 for no limit (src/retos). */
#define SETTING_RETOS_LIMIT "retos.limite_hora"
/* Months a PQRSD's personal data and texts are kept (src/privacy). */
#define SETTING_RETENTION_PQRSD "datos.retencion_pqrsd_meses"
/* Months a PQRSD's attachments are kept (src/privacy). */
#define SETTING_RETENTION_ATTACHMENTS "datos.retencion_adjuntos_meses"
/* Months a proposal's author data and text are kept (src/privacy). */
#define SETTING_RETENTION_PROPOSALS "datos.retencion_propuestas_meses"
/* Free disk (MB) below which GET /salud reports a fault (src/ops). */
#define SETTING_DISK_MIN_MB "salud.disco_minimo_mb"
/* Written by GET /salud's write check and rolled back: never kept (src/ops). */
#define SETTING_HEALTH_PROBE "salud.prueba"

/* ---- reading and writing ---- */

/* The value of zKey (caller frees), or NULL when it is not set. */
char *setting_get_dup(Db *db, const char *zKey);
/* The value of zKey as a whole number from nMin to nMax, or nDefault when
** it is not set or is not such a number. */
int setting_get_int(Db *db, const char *zKey, int nMin, int nMax, int nDefault);
/* Set zKey to zValue (NULL deletes it). */
void setting_set(Db *db, const char *zKey, const char *zValue);

/* ---- the entity ---- */

/* The entity's name as pages and notices show it (caller frees): setting
** SETTING_ENTITY_NAME when set and not empty, else the entity of the most
** recently imported plan, else "". It lives here, and reads the plan table
** in the same statement, so that the page layout, the PQRSD notice and the
** retos notice need no plan header: the fallback is one column of a table
** whose schema src/db owns. Database errors end the program. */
char *setting_entity_name_dup(Db *db);
/* True when the entity has a logo (SETTING_ENTITY_LOGO_TYPE set, not ""). */
bool setting_entity_has_logo(Db *db);

#endif
