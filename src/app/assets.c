/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The files pages load besides themselves: the stylesheet and icons compiled
** into the binary from assets/ (so the product works on an intranet with no
** internet, and nothing is fetched from elsewhere), and the entity's logo,
** which an administrador uploads (stored as <data-dir>/logo, its type in the
** setting entidad.logo_tipo).
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "db/setting.h"
#include "io/file.h"
#include "app/web.h"

/* Content types of the asset kinds served; anything else is not an asset
** (the built-in table also holds the SQL migrations). */
static const struct {
  const char *zExt;  /* file name ending */
  const char *zType; /* Content-Type */
} aAssetType[] = {
    {".css", "text/css; charset=utf-8"},
    {".png", "image/png"},
    {".svg", "image/svg+xml"},
};

/* The Content-Type of asset zName, or NULL when it is not a servable kind. */
static const char *asset_type(const char *zName) {
  size_t n = strlen(zName);
  for (size_t i = 0; i < sizeof aAssetType / sizeof aAssetType[0]; i++) {
    size_t nExt = strlen(aAssetType[i].zExt);
    if (n > nExt && strcmp(zName + n - nExt, aAssetType[i].zExt) == 0) {
      return aAssetType[i].zType;
    }
  }
  return NULL;
}

void page_asset(Request *r) {
  const char *zName = request_param(r, "file");
  const char *zType = asset_type(zName);
  for (int i = 0; zType != NULL && i < nBuiltin; i++) {
    if (strcmp(aBuiltin[i].zName, zName) == 0) {
      response_type(r, zType);
      response_header(r, "Cache-Control", "public, max-age=3600");
      buf_append(request_body_out(r), (const char *)aBuiltin[i].pData, aBuiltin[i].nData);
      response_status(r, 200);
      return;
    }
  }
  response_error(r, 404, "No existe ese archivo.");
}

void page_logo(Request *r) {
  char *zType = setting_get_dup(request_db(r), SETTING_ENTITY_LOGO_TYPE);
  if (zType == NULL || (strcmp(zType, "image/png") != 0 && strcmp(zType, "image/jpeg") != 0)) {
    free(zType);
    response_error(r, 404, "La entidad no ha cargado un logo.");
    return;
  }
  char *zPath = xasprintf("%s/logo", web_app(r)->zDataDir);
  int rc = file_read_all(zPath, request_body_out(r));
  free(zPath);
  if (rc != 0 && rc != FILE_READ_ERROR) {
    free(zType);
    response_error(r, 404, "La entidad no ha cargado un logo.");
    return;
  }
  if (rc == FILE_READ_ERROR) {
    free(zType);
    response_error(r, 500, "No se pudo leer el logo.");
    return;
  }
  response_type(r, zType);
  response_header(r, "Cache-Control", "public, max-age=300");
  response_status(r, 200);
  free(zType);
}
