/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Writing a stored plan back out with its period targets and results filled
** in, in the layout it was read in (preamble, two-row header, one row per
** activity), so that export then import gives back the same plan. CSV is
** written with ";" and a UTF-8 BOM (what Excel in Colombia opens directly),
** XLSX with libxlsxwriter (real dates and numbers), JSON in the documented
** "participa-plan" format (docs/formato-json.md).
*/
#ifndef PARTICIPA_PLAN_EXPORT_H
#define PARTICIPA_PLAN_EXPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"

typedef enum ExportFormat { EXPORT_CSV, EXPORT_JSON, EXPORT_XLSX } ExportFormat;

/* Export plan iPlan as eFormat to zPath (NULL: standard output; XLSX needs a
** path). Returns false with *pzErr (caller frees) when writing fails. */
bool plan_export(Db *db, int64_t iPlan, ExportFormat eFormat, const char *zPath, char **pzErr);

#endif
