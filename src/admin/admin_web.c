/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The administrador's pages: users (add, change role and offices, disable
** or enable, reset a password), the office catalogue (aliases, activity
** counts, merge suggestions and merging), settings (traffic-light
** thresholds, period cut-offs, the entity's name and logo), and the audit
** log, which control interno reads too.
**
** A password generated for a new user or by a reset is shown once, on the
** page that answers the POST, and never stored in clear: there is no
** redirect that could show it again. Every other change answers 303 with a
** notice; wrong input is answered 422 with the form and its errors. Every
** change is logged by the functions that make it (auth.c, plan_db.c).
**
** The logo is kept as <data-dir>/logo with its type in the setting
** SETTING_ENTITY_LOGO_TYPE (image/png or image/jpeg, checked with libmagic, at
** most LOGO_MAX_BYTES); the entity's name as SETTING_ENTITY_NAME. page.c shows
** both in the header and assets.c serves /logo.
**
** What it does not do: check capabilities (the route table does), or hold
** SQL (auth.c and plan_db.c do).
*/
#include "admin/admin_web.h"

#include <errno.h>
#include <magic.h>
#include <sodium.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/audit.h"
#include "auth/auth_web.h"
#include "base/date.h"
#include "base/hash.h"
#include "base/text.h"
#include "db/setting.h"
#include "io/filestore.h"
#include "office/office.h"
#include "plan/plan.h"
#include "plan/plan_db.h"
#include "plan/plan_web.h"
#include "web/multipart.h"
#include "app/page.h"

#define LOGO_MAX_BYTES   ((size_t)512 * 1024) /* largest logo accepted */
#define ENTITY_MAX_CHARS 200                  /* longest entity name (code points) */
#define AUDIT_PAGE       200                  /* audit entries per page */

/* ---- shared helpers ------------------------------------------------------------------ */

/* "30 de junio de 2021, 7:00 a. m." (Colombian time) for
** "2021-06-30T12:00:00Z"; the text as is when it is not such a timestamp;
** zEmpty when it is "". */
static void put_timestamp(Buf *pOut, const char *zIso, const char *zEmpty) {
  if (zIso == NULL || zIso[0] == 0) {
    buf_puts(pOut, zEmpty);
    return;
  }
  date_format_bogota(zIso, pOut);
}


/* Show a password that will not be shown again, after zIntro. */
static void show_password_once(Page *p, const char *zIntro, const char *zLogin,
                               const char *zPassword) {
  HtmlW *w = &p->w;
  html_open(w, HTML_DIV, HA_CLASS, "aviso clave-generada", HA_ROLE, "status");
  html_elem_text(w, HTML_P, zIntro);
  html_open(w, HTML_P);
  html_textf(w, "Contraseña de «%s»: ", zLogin);
  html_open(w, HTML_CODE);
  html_text(w, zPassword);
  html_close(w, HTML_CODE);
  html_close(w, HTML_P);
  html_elem_text(w, HTML_P,
                 "Entréguela a la persona por un medio seguro: no se volverá a "
                 "mostrar. Deberá cambiarla la primera vez que entre.");
  html_close(w, HTML_DIV);
}

/* ---- users --------------------------------------------------------------------------- */

/* The roles a user can have, for the select. */
static const char *const azRoleValue[] = {"administrador", "planeacion", "responsable",
                                          "control-interno"};
static const char *const azRoleLabel[] = {"Administrador", "Planeación", "Responsable",
                                          "Control interno"};
#define N_ROLE 4

/* The form field of office o's checkbox ("dep_12"). */
static void office_field(Buf *pOut, const OfficeInfo *o) {
  buf_clear(pOut);
  buf_appendf(pOut, "dep_%lld", (long long)o->id);
}

/* True when office name zName is one of the "; "-joined names of zList. */
static bool office_listed(const char *zList, const char *zName) {
  size_t n = strlen(zName);
  for (const char *z = zList; z && *z;) {
    const char *zEnd = strstr(z, "; ");
    size_t k = zEnd ? (size_t)(zEnd - z) : strlen(z);
    if (k == n && memcmp(z, zName, n) == 0) {
      return true;
    }
    z += k + (zEnd ? 2 : 0);
  }
  return false;
}

/* What the user forms show: typed values after an error, else defaults. */
typedef struct UserFormValues {
  const char *zLogin;   /* login typed */
  const char *zName;    /* full name typed */
  const char *zRole;    /* role selected */
  const Request *pForm; /* offices: checked as in this request's form, when not NULL */
  const char *zOffices; /* offices: checked when named here ("; "-joined), when pForm is NULL */
} UserFormValues;

/* The office checkboxes of a user form. */
static void office_checkboxes(Page *p, const Form *f, int nOffice, const OfficeInfo *aOffice,
                              const UserFormValues *v) {
  HtmlW *w = &p->w;
  html_open(w, HTML_FIELDSET, HA_ID, "f-dependencias", HA_CLASS, "casillas");
  html_elem_text(w, HTML_LEGEND, "Dependencias (para quien reporta avances)");
  const char *zErr = form_error_for(f, "dependencias");
  if (zErr) {
    html_open(w, HTML_P, HA_CLASS, "error");
    html_text(w, zErr);
    html_close(w, HTML_P);
  }
  if (nOffice == 0) {
    html_elem_text(w, HTML_P, "El catálogo está vacío: las dependencias llegan con el plan.");
  }
  Buf name = BUF_INIT;
  for (int i = 0; i < nOffice; i++) {
    office_field(&name, &aOffice[i]);
    bool bChecked = v->pForm ? request_form(v->pForm, buf_str(&name)) != NULL
                             : office_listed(v->zOffices, aOffice[i].zName);
    page_checkbox(p, NULL, buf_str(&name), aOffice[i].zName, bChecked);
  }
  buf_reset(&name);
  html_close(w, HTML_FIELDSET);
}

/* The offices checked in the request's form: names borrowed from aOffice
** into a malloc'd array (caller frees the array only). Returns the count. */
static int offices_checked(const Request *r, int nOffice, const OfficeInfo *aOffice,
                           const char ***pazOut) {
  const char **az = xcalloc((size_t)nOffice + 1, sizeof(char *));
  int n = 0;
  Buf name = BUF_INIT;
  for (int i = 0; i < nOffice; i++) {
    office_field(&name, &aOffice[i]);
    if (request_form(r, buf_str(&name))) {
      az[n++] = aOffice[i].zName;
    }
  }
  buf_reset(&name);
  *pazOut = az;
  return n;
}

/* The users table. */
static void users_table(Page *p, int nUser, const UserInfo *aUser) {
  HtmlW *w = &p->w;
  static const char *const azHead[] = {"Usuario",      "Nombre", "Rol",
                                       "Dependencias", "Estado", "Último ingreso"};
  page_wide_begin(w, "Usuarios registrados");
  page_table_begin(w, NULL, "Usuarios registrados", 6, azHead, NULL);
  Buf b = BUF_INIT;
  for (int i = 0; i < nUser; i++) {
    const UserInfo *u = &aUser[i];
    html_open(w, HTML_TR);
    html_open(w, HTML_TH, HA_SCOPE, "row");
    buf_clear(&b);
    buf_puts(&b, "/admin/usuarios");
    html_url_query(&b, "usuario", u->zLogin, true);
    html_open(w, HTML_A, HA_HREF, buf_str(&b));
    html_text(w, u->zLogin);
    html_close(w, HTML_A);
    html_close(w, HTML_TH);
    html_elem_text(w, HTML_TD, u->zFullName);
    html_elem_text(w, HTML_TD, auth_role_label(u->eRole));
    html_elem_text(w, HTML_TD, u->zOffices[0] ? u->zOffices : "—");
    html_elem_text(w, HTML_TD, u->bDisabled ? "Desactivado" : "Activo");
    buf_clear(&b);
    put_timestamp(&b, u->zLastLogin, "Nunca");
    html_elem_text(w, HTML_TD, buf_str(&b));
    html_close(w, HTML_TR);
  }
  buf_reset(&b);
  page_table_end(w);
  page_wide_end(w);
}

/* The form that adds a user. */
static void user_add_form(Page *p, const Form *f, int nOffice, const OfficeInfo *aOffice,
                          const UserFormValues *v) {
  html_elem_text(&p->w, HTML_H2, "Agregar un usuario");
  page_form_begin(p, "/admin/usuarios", false);
  Field fLogin = {.zName = "usuario",
                  .zLabel = "Usuario",
                  .zValue = v->zLogin,
                  .bRequired = true,
                  .zMaxLength = "40",
                  .zAutocomplete = "off",
                  .zHint = "Minúsculas, números, punto, guion o guion bajo (2 a 40 caracteres)."};
  page_field(p, f, &fLogin);
  Field fName = {.zName = "nombre",
                 .zLabel = "Nombre completo",
                 .zValue = v->zName,
                 .zMaxLength = "200",
                 .zAutocomplete = "off"};
  page_field(p, f, &fName);
  Field fRole = {.zName = "rol", .zLabel = "Rol", .zValue = v->zRole, .bRequired = true};
  page_select(p, f, &fRole, N_ROLE, azRoleValue, azRoleLabel);
  office_checkboxes(p, f, nOffice, aOffice, v);
  Field fPass = {.zName = "clave",
                 .zLabel = "Contraseña (opcional)",
                 .zType = "password",
                 .zAutocomplete = "new-password",
                 .zMaxLength = "200",
                 .zHint = "Vacía: se genera una y se muestra una sola vez. La persona deberá "
                          "cambiarla al entrar."};
  page_field(p, f, &fPass);
  page_submit(p, "Agregar el usuario");
  page_form_end(p);
}

/* The forms that change user u. */
static void user_edit_forms(Page *p, const Form *f, const UserInfo *u, int nOffice,
                            const OfficeInfo *aOffice, const UserFormValues *v) {
  HtmlW *w = &p->w;
  html_open(w, HTML_H2);
  html_textf(w, "Modificar «%s»", u->zLogin);
  html_close(w, HTML_H2);
  Buf action = BUF_INIT;
  buf_puts(&action, "/admin/usuarios/");
  html_url_path(&action, u->zLogin);
  page_form_begin(p, buf_str(&action), false);
  page_hidden(p, "accion", "rol");
  Field fRole = {.zName = "rol", .zLabel = "Rol", .zValue = v->zRole, .bRequired = true};
  page_select(p, f, &fRole, N_ROLE, azRoleValue, azRoleLabel);
  office_checkboxes(p, f, nOffice, aOffice, v);
  page_submit(p, "Guardar rol y dependencias");
  page_form_end(p);

  html_elem_text(w, HTML_H3, "Acceso");
  html_open(w, HTML_P);
  html_text(w, u->bDisabled ? "La cuenta está desactivada: no puede entrar."
                            : "La cuenta está activa.");
  html_close(w, HTML_P);
  static const char *const azDisable[] = {"accion", "desactivar"};
  static const char *const azEnable[] = {"accion", "activar"};
  static const char *const azReset[] = {"accion", "clave"};
  page_button_form(p, buf_str(&action), u->bDisabled ? "Activar la cuenta" : "Desactivar la cuenta",
                   1, u->bDisabled ? azEnable : azDisable);
  page_button_form(p, buf_str(&action), "Generar una contraseña nueva", 1, azReset);
  auth_web_user_failures(p, u->zLogin, buf_str(&action));
  html_open(w, HTML_P);
  html_open(w, HTML_A, HA_HREF, "/admin/usuarios");
  html_text(w, "Volver a la lista de usuarios");
  html_close(w, HTML_A);
  html_close(w, HTML_P);
  buf_reset(&action);
}

/* The users page. zEdit names the user whose forms are shown (NULL: the add
** form instead); v the values of the form shown; zShowLogin/zPassword a
** password to show once. */
static void users_page(Request *r, const Form *f, const char *zEdit, const UserFormValues *v,
                       const char *zIntro, const char *zShowLogin, const char *zPassword) {
  Db *db = request_db(r);
  UserInfo *aUser;
  int nUser = auth_users(db, &aUser);
  OfficeInfo *aOffice;
  int nOffice = office_catalogue(db, &aOffice);
  const UserInfo *pEdit = NULL;
  for (int i = 0; zEdit && i < nUser; i++) {
    if (strcmp(aUser[i].zLogin, zEdit) == 0) {
      pEdit = &aUser[i];
    }
  }
  if (zEdit && pEdit == NULL) {
    response_error(r, 404, "No existe ese usuario.");
  } else {
    Page pg;
    page_begin(&pg, r, "Usuarios", NAV_ADMIN);
    html_elem_text(&pg.w, HTML_H1, "Usuarios");
    page_admin_nav(&pg, "/admin/usuarios");
    page_form_errors(&pg, f);
    if (zPassword) {
      show_password_once(&pg, zIntro, zShowLogin, zPassword);
    }
    users_table(&pg, nUser, aUser);
    UserFormValues dflt = {.zRole = "responsable"};
    if (pEdit) {
      UserFormValues cur = {.zRole = auth_role_name(pEdit->eRole), .zOffices = pEdit->zOffices};
      user_edit_forms(&pg, f, pEdit, nOffice, aOffice, v ? v : &cur);
    } else {
      user_add_form(&pg, f, nOffice, aOffice, v ? v : &dflt);
      auth_web_throttles(&pg);
    }
    page_end(&pg);
  }
  office_catalogue_free(nOffice, aOffice);
  auth_users_free(nUser, aUser);
}

void page_users(Request *r) {
  const char *zEdit = request_query(r, "usuario");
  users_page(r, NULL, zEdit && zEdit[0] ? zEdit : NULL, NULL, NULL, NULL, NULL);
}

void post_user_add(Request *r) {
  Db *db = request_db(r);
  const char *zLogin = request_form(r, "usuario");
  const char *zName = request_form(r, "nombre");
  const char *zRole = request_form(r, "rol");
  const char *zPass = request_form(r, "clave");
  char *zLoginT = text_trim_dup(zLogin ? zLogin : "");
  char *zNameT = text_trim_dup(zName ? zName : "");
  Form f = {0};
  Role eRole = ROLE_NONE;
  if (zLoginT[0] == 0) {
    form_error(&f, "usuario", "escriba el nombre de usuario");
  }
  if (zRole == NULL || !auth_role_parse(zRole, &eRole) || eRole == ROLE_NONE) {
    form_error(&f, "rol", "elija un rol");
  }
  OfficeInfo *aOffice;
  int nOffice = office_catalogue(db, &aOffice);
  const char **azChecked;
  int nChecked = offices_checked(r, nOffice, aOffice, &azChecked);
  if (eRole == ROLE_RESPONSABLE && nChecked == 0) {
    form_error(&f, "dependencias",
               "marque al menos una dependencia: un responsable reporta por "
               "sus dependencias");
  }
  char *zGenerated = NULL;
  if (f.nErr == 0) {
    char *zErr = NULL;
    /* offices only mean something for a responsable: boxes left checked
    ** while choosing another role are ignored */
    int nOffices = eRole == ROLE_RESPONSABLE ? nChecked : 0;
    int64_t id = auth_user_add(db, zLoginT, zNameT, eRole, nOffices, azChecked,
                               zPass && zPass[0] ? zPass : NULL, &zGenerated, web_actor(r), &zErr);
    if (id == 0) {
      form_error(&f, "", "%s", zErr);
      free(zErr);
    }
  }
  if (f.nErr) {
    UserFormValues v = {.zLogin = zLoginT, .zName = zNameT, .zRole = zRole, .pForm = r};
    users_page(r, &f, NULL, &v, NULL, NULL, NULL);
    response_status(r, 422);
  } else if (zGenerated) {
    users_page(r, NULL, NULL, NULL, page_notice_text("usuario-creado"), zLoginT, zGenerated);
  } else {
    response_redirect(r, "/admin/usuarios?aviso=usuario-creado");
  }
  hash_secret_free(zGenerated);
  free(azChecked);
  office_catalogue_free(nOffice, aOffice);
  form_reset(&f);
  free(zLoginT);
  free(zNameT);
}

void post_user_update(Request *r) {
  Db *db = request_db(r);
  const char *zLogin = request_param(r, "login");
  const char *zAction = request_form(r, "accion");
  if (zAction == NULL) {
    zAction = "";
  }
  UserInfo *aUser;
  int nUser = auth_users(db, &aUser);
  bool bKnown = false;
  for (int i = 0; i < nUser; i++) {
    bKnown |= strcmp(aUser[i].zLogin, zLogin) == 0;
  }
  auth_users_free(nUser, aUser);
  if (!bKnown) {
    response_error(r, 404, "No existe ese usuario.");
    return;
  }
  Form f = {0};
  char *zErr = NULL;
  char *zGenerated = NULL;
  const char *zRole = request_form(r, "rol");
  OfficeInfo *aOffice;
  int nOffice = office_catalogue(db, &aOffice);
  const char **azChecked;
  int nChecked = offices_checked(r, nOffice, aOffice, &azChecked);
  bool bOk = false;
  if (strcmp(zAction, "rol") == 0) {
    Role eRole = ROLE_NONE;
    if (zRole == NULL || !auth_role_parse(zRole, &eRole) || eRole == ROLE_NONE) {
      form_error(&f, "rol", "elija un rol");
    } else if (eRole == ROLE_RESPONSABLE && nChecked == 0) {
      form_error(&f, "dependencias",
                 "marque al menos una dependencia: un responsable reporta "
                 "por sus dependencias");
    } else {
      /* as when adding: offices only for a responsable */
      bOk = auth_user_set_role(db, zLogin, eRole, eRole == ROLE_RESPONSABLE ? nChecked : 0,
                               azChecked, web_actor(r), &zErr);
    }
  } else if (strcmp(zAction, "desactivar") == 0 || strcmp(zAction, "activar") == 0) {
    bOk = auth_user_disable(db, zLogin, zAction[0] == 'd', web_actor(r), &zErr);
  } else if (strcmp(zAction, "clave") == 0) {
    bOk = auth_user_passwd(db, zLogin, NULL, true, &zGenerated, web_actor(r), &zErr);
  } else if (strcmp(zAction, "desbloquear") == 0) {
    bOk = auth_user_unlock(db, zLogin, web_actor(r), NULL, &zErr);
  } else {
    response_error(r, 400, "Acción desconocida.");
    free(azChecked);
    office_catalogue_free(nOffice, aOffice);
    return;
  }
  if (!bOk && zErr) {
    form_error(&f, "", "%s", zErr);
  }
  free(zErr);
  if (f.nErr) {
    bool bRoleForm = strcmp(zAction, "rol") == 0;
    UserFormValues v = {.zRole = zRole, .pForm = r};
    users_page(r, &f, zLogin, bRoleForm ? &v : NULL, NULL, NULL, NULL);
    response_status(r, 422);
  } else if (zGenerated) {
    users_page(r, NULL, zLogin, NULL,
               "Contraseña nueva generada. Las sesiones abiertas de la "
               "cuenta se cerraron.",
               zLogin, zGenerated);
  } else {
    Buf to = BUF_INIT;
    buf_puts(&to, "/admin/usuarios");
    html_url_query(&to, "usuario", zLogin, true);
    html_url_query(&to, "aviso",
                   strcmp(zAction, "desbloquear") == 0 ? "intentos-borrados" : "usuario-actualizado",
                   false);
    response_redirect(r, buf_str(&to));
    buf_reset(&to);
  }
  hash_secret_free(zGenerated);
  free(azChecked);
  office_catalogue_free(nOffice, aOffice);
  form_reset(&f);
}

/* ---- offices -------------------------------------------------------------------------- */

/* Why two offices look alike, in words. */
static const char *similarity_text(int e) {
  switch (e) {
  case OFFICE_SAME:
    return "se escriben igual salvo mayúsculas, tildes o espacios";
  case OFFICE_TYPO:
    return "se escriben casi igual";
  default:
    return "una contiene a la otra";
  }
}

/* The offices page, with the values of the free merge form. */
static void offices_page(Request *r, const Form *f, const char *zMain, const char *zAlias) {
  Db *db = request_db(r);
  OfficeInfo *a;
  int n = office_catalogue(db, &a);
  OfficePair *aPair;
  int nPair = office_pairs(n, a, &aPair);
  Page pg;
  page_begin(&pg, r, "Dependencias", NAV_ADMIN);
  HtmlW *w = &pg.w;
  html_elem_text(w, HTML_H1, "Dependencias");
  page_admin_nav(&pg, "/admin/dependencias");
  page_form_errors(&pg, f);
  html_elem_text(w, HTML_P,
                 "El catálogo de dependencias se forma con la columna RESPONSABLE del "
                 "plan. Cuando una misma dependencia aparece escrita de varias formas, "
                 "fusiónelas: la segunda queda como otra escritura (alias) de la "
                 "primera, y sus actividades y responsables pasan a ella.");

  html_elem_text(w, HTML_H2, "Catálogo");
  static const char *const azHead[] = {"Dependencia", "Otras escrituras", "Actividades"};
  page_table_begin(w, NULL, "Dependencias del catálogo, con sus otras escrituras y actividades", 3,
                   azHead, NULL);
  for (int i = 0; i < n; i++) {
    html_open(w, HTML_TR);
    html_open(w, HTML_TH, HA_SCOPE, "row");
    html_text(w, a[i].zName);
    html_close(w, HTML_TH);
    html_elem_text(w, HTML_TD, a[i].zAliases[0] ? a[i].zAliases : "—");
    html_open(w, HTML_TD, HA_CLASS, "numero");
    html_textf(w, "%d", a[i].nActivity);
    html_close(w, HTML_TD);
    html_close(w, HTML_TR);
  }
  page_table_end(w);

  html_elem_text(w, HTML_H2, "Posibles duplicados");
  if (nPair == 0) {
    html_elem_text(w, HTML_P, "No se encontraron dependencias que parezcan la misma.");
  } else {
    static const char *const azPairHead[] = {"Dependencia", "Parecida a", "Por qué", "Fusionar"};
    page_table_begin(w, NULL, "Pares de dependencias que pueden ser la misma", 4, azPairHead, NULL);
    Buf label = BUF_INIT;
    for (int k = 0; k < nPair; k++) {
      /* the one with more activities stays as the main name */
      const OfficeInfo *pMain = &a[aPair[k].iA], *pAlias = &a[aPair[k].iB];
      if (pAlias->nActivity > pMain->nActivity) {
        const OfficeInfo *t = pMain;
        pMain = pAlias;
        pAlias = t;
      }
      html_open(w, HTML_TR);
      html_elem_text(w, HTML_TD, pMain->zName);
      html_elem_text(w, HTML_TD, pAlias->zName);
      html_elem_text(w, HTML_TD, similarity_text(aPair[k].eSimilarity));
      html_open(w, HTML_TD);
      buf_clear(&label);
      buf_appendf(&label, "Fusionar: «%s» queda como alias de «%s»", pAlias->zName, pMain->zName);
      const char *azPair[] = {"principal", pMain->zName, "alias", pAlias->zName};
      page_button_form(&pg, "/admin/dependencias", buf_str(&label), 2, azPair);
      html_close(w, HTML_TD);
      html_close(w, HTML_TR);
    }
    buf_reset(&label);
    page_table_end(w);
  }

  html_elem_text(w, HTML_H2, "Fusionar dos dependencias");
  if (n < 2) {
    html_elem_text(w, HTML_P, "Hacen falta al menos dos dependencias en el catálogo.");
  } else {
    const char **azName = xcalloc((size_t)n + 1, sizeof(char *));
    azName[0] = "";
    for (int i = 0; i < n; i++) {
      azName[i + 1] = a[i].zName;
    }
    const char **azLabel = xcalloc((size_t)n + 1, sizeof(char *));
    memcpy(azLabel, azName, sizeof(char *) * ((size_t)n + 1));
    azLabel[0] = "Elija una dependencia";
    page_form_begin(&pg, "/admin/dependencias", false);
    Field fMain = {.zName = "principal",
                   .zLabel = "Dependencia que se conserva",
                   .zValue = zMain,
                   .bRequired = true};
    page_select(&pg, f, &fMain, n + 1, azName, azLabel);
    Field fAlias = {.zName = "alias",
                    .zLabel = "Dependencia que pasa a ser alias",
                    .zValue = zAlias,
                    .bRequired = true,
                    .zHint = "Su nombre queda como otra escritura de la que se conserva."};
    page_select(&pg, f, &fAlias, n + 1, azName, azLabel);
    page_submit(&pg, "Fusionar");
    page_form_end(&pg);
    free(azName);
    free(azLabel);
  }
  page_end(&pg);
  free(aPair);
  office_catalogue_free(n, a);
}

void page_offices(Request *r) {
  offices_page(r, NULL, NULL, NULL);
}

void post_office_merge(Request *r) {
  const char *zMain = request_form(r, "principal");
  const char *zAlias = request_form(r, "alias");
  Form f = {0};
  if (zMain == NULL || zMain[0] == 0) {
    form_error(&f, "principal", "elija la dependencia que se conserva");
  }
  if (zAlias == NULL || zAlias[0] == 0) {
    form_error(&f, "alias", "elija la dependencia que pasa a ser alias");
  }
  if (f.nErr == 0 && strcmp(zMain, zAlias) == 0) {
    form_error(&f, "alias", "elija dos dependencias distintas");
  }
  if (f.nErr == 0) {
    char *zErr = NULL;
    if (!office_merge(request_db(r), zMain, zAlias, web_actor(r), &zErr)) {
      form_error(&f, "", "%s", zErr);
      free(zErr);
    }
  }
  if (f.nErr) {
    offices_page(r, &f, zMain, zAlias);
    response_status(r, 422);
  } else {
    response_redirect(r, "/admin/dependencias?aviso=dependencias-fusionadas");
  }
  form_reset(&f);
}

/* ---- settings --------------------------------------------------------------------------- */

/* What the settings form shows: stored values, or typed ones after an error. */
typedef struct SettingsText {
  char *zRed;                    /* red threshold (owned) */
  char *zYellow;                 /* yellow threshold (owned) */
  char *zEntity;                 /* entity name (owned) */
  char *azEnd[PLAN_MAX_PERIODS]; /* cut-off of each period (owned) */
  bool bRemoveLogo;              /* "remove the logo" checked */
} SettingsText;

static void settings_text_reset(SettingsText *t) {
  free(t->zRed);
  free(t->zYellow);
  free(t->zEntity);
  for (int i = 0; i < PLAN_MAX_PERIODS; i++) {
    free(t->azEnd[i]);
  }
  memset(t, 0, sizeof *t);
}

/* A stored number setting as a form shows it ("62,5"), or zDefault. Caller frees. */
static char *setting_form_dup(Db *db, const char *zKey, const char *zDefault) {
  char *z = setting_get_dup(db, zKey);
  if (z == NULL) {
    return xstrdup(zDefault);
  }
  for (char *c = z; *c; c++) {
    if (*c == '.') {
      *c = ',';
    }
  }
  return z;
}

/* The form field of period p's cut-off ("corte_T1"). */
static void cutoff_field(Buf *pOut, const Period *p) {
  buf_clear(pOut);
  buf_appendf(pOut, "corte_%s", p->zCode);
}

/* The settings page. */
static void settings_page(Request *r, const Form *f, const SettingsText *t) {
  Db *db = request_db(r);
  int64_t iPlan = plan_web_current(r);
  Period *aPeriod = NULL;
  int nPeriod = iPlan ? plan_periods(db, iPlan, &aPeriod) : 0;
  char *zLogoType = setting_get_dup(db, SETTING_ENTITY_LOGO_TYPE);
  Page pg;
  page_begin(&pg, r, "Ajustes", NAV_ADMIN);
  HtmlW *w = &pg.w;
  html_elem_text(w, HTML_H1, "Ajustes");
  page_admin_nav(&pg, "/admin/ajustes");
  page_form_errors(&pg, f);
  page_form_begin(&pg, "/admin/ajustes", true);

  html_open(w, HTML_FIELDSET);
  html_elem_text(w, HTML_LEGEND, "Semáforo del cumplimiento");
  html_elem_text(w, HTML_P,
                 "Porcentajes de cumplimiento: por debajo del primero, rojo; por "
                 "debajo del segundo, amarillo; desde el segundo, verde.");
  Field fRed = {.zName = "rojo",
                .zLabel = "Rojo por debajo de (%)",
                .zValue = t->zRed,
                .bRequired = true,
                .zInputMode = "decimal"};
  page_field(&pg, f, &fRed);
  Field fYellow = {.zName = "amarillo",
                   .zLabel = "Amarillo por debajo de (%)",
                   .zValue = t->zYellow,
                   .bRequired = true,
                   .zInputMode = "decimal",
                   .zHint = "Mayor que el del rojo y como mucho 100."};
  page_field(&pg, f, &fYellow);
  html_close(w, HTML_FIELDSET);

  html_open(w, HTML_FIELDSET);
  html_elem_text(w, HTML_LEGEND, "Fechas de corte de los periodos");
  if (nPeriod == 0) {
    html_elem_text(w, HTML_P, "Todavía no hay un plan: los periodos se crean al importarlo.");
  }
  Buf name = BUF_INIT, label = BUF_INIT, hint = BUF_INIT;
  for (int i = 0; i < nPeriod && i < PLAN_MAX_PERIODS; i++) {
    cutoff_field(&name, &aPeriod[i]);
    buf_clear(&label);
    buf_appendf(&label, "Corte de %s (%s)", aPeriod[i].zName, aPeriod[i].zCode);
    buf_clear(&hint);
    if (i == 0) {
      buf_puts(&hint, "Empieza el ");
      date_format_long(aPeriod[0].start, &hint);
      buf_puts(&hint, ". Cada periodo empieza el día siguiente al corte del anterior.");
    }
    Field fEnd = {.zName = buf_str(&name),
                  .zLabel = buf_str(&label),
                  .zValue = t->azEnd[i],
                  .bRequired = true,
                  .zHint = hint.n ? buf_str(&hint) : NULL};
    page_field(&pg, f, &fEnd);
  }
  buf_reset(&name);
  buf_reset(&label);
  buf_reset(&hint);
  html_close(w, HTML_FIELDSET);

  html_open(w, HTML_FIELDSET);
  html_elem_text(w, HTML_LEGEND, "Entidad");
  Field fEntity = {.zName = "entidad",
                   .zLabel = "Nombre de la entidad",
                   .zValue = t->zEntity,
                   .zMaxLength = "200",
                   .zHint =
                       "Se muestra en el encabezado de todas las páginas. Vacío: el del plan."};
  page_field(&pg, f, &fEntity);
  if (zLogoType && zLogoType[0]) {
    html_open(w, HTML_P);
    html_text(w, "Logo actual: ");
    html_open(w, HTML_IMG, HA_SRC, "/logo", HA_ALT, "Logo actual de la entidad", HA_HEIGHT, "48");
    html_close(w, HTML_P);
  }
  Field fLogo = {.zName = "logo",
                 .zLabel = "Logo nuevo (opcional)",
                 .zType = "file",
                 .zAccept = "image/png,image/jpeg",
                 .zHint = "Imagen PNG o JPEG de hasta 512 KiB."};
  page_field(&pg, f, &fLogo);
  if (zLogoType && zLogoType[0]) {
    page_checkbox(&pg, NULL, "quitar_logo", "Quitar el logo", t->bRemoveLogo);
  }
  html_close(w, HTML_FIELDSET);
  page_submit(&pg, "Guardar los ajustes");
  page_form_end(&pg);
  page_end(&pg);
  free(zLogoType);
  plan_periods_free(nPeriod, aPeriod);
}

void page_settings(Request *r) {
  Db *db = request_db(r);
  SettingsText t;
  memset(&t, 0, sizeof t);
  t.zRed = setting_form_dup(db, SETTING_RED_BELOW, "60");
  t.zYellow = setting_form_dup(db, SETTING_YELLOW_BELOW, "80");
  t.zEntity = setting_get_dup(db, SETTING_ENTITY_NAME);
  int64_t iPlan = plan_web_current(r);
  Period *aPeriod = NULL;
  int nPeriod = iPlan ? plan_periods(db, iPlan, &aPeriod) : 0;
  for (int i = 0; i < nPeriod && i < PLAN_MAX_PERIODS; i++) {
    Buf b = BUF_INIT;
    date_format_plan(aPeriod[i].end, &b);
    t.azEnd[i] = buf_take(&b);
  }
  plan_periods_free(nPeriod, aPeriod);
  settings_page(r, NULL, &t);
  settings_text_reset(&t);
}

/* A trimmed copy of multipart field zName ("" when absent). Caller frees. */
static char *part_text_dup(const Multipart *m, const char *zName) {
  const char *z = multipart_value(m, zName);
  return text_trim_dup(z ? z : "");
}

/* Read a threshold (0..100) of field zName; false with an error. */
static bool read_threshold(Form *f, const char *zName, const char *zWhat, const char *zText,
                           double *pValue) {
  double v;
  if (!plan_parse_number(zText, &v) || !(v >= 0) || !(v <= 100)) {
    form_error(f, zName, "el umbral del %s debe ser un número entre 0 y 100 (escribió «%s»)", zWhat,
               zText);
    return false;
  }
  *pValue = v;
  return true;
}

/* The type of a logo image by its content: "image/png" or "image/jpeg",
** else the detected type (or "desconocido") in *pzFound (static or libmagic's,
** copied into zFound). */
static const char *logo_type(const char *p, size_t n, char *zFound, size_t nFound) {
  const char *zType = NULL;
  magic_t m = magic_open(MAGIC_MIME_TYPE);
  snprintf(zFound, nFound, "desconocido");
  if (m && magic_load(m, NULL) == 0) {
    const char *z = magic_buffer(m, p, n);
    if (z) {
      snprintf(zFound, nFound, "%s", z);
      if (strcmp(z, "image/png") == 0) {
        zType = "image/png";
      } else if (strcmp(z, "image/jpeg") == 0) {
        zType = "image/jpeg";
      }
    }
  }
  if (m) {
    magic_close(m);
  }
  return zType;
}

/* Read the cut-off date of period zCode typed in field zName; false with an
** error for the field. */
static bool read_cutoff(Form *f, const char *zName, const char *zCode, const char *zText,
                        Day *pDay) {
  if (zText[0] == 0) {
    form_error(f, zName, "falta la fecha de corte de %s; escríbala como 31-marzo-2021", zCode);
    return false;
  }
  if (strspn(zText, "0123456789.,") == strlen(zText)) {
    form_error(f, zName,
               "fecha de corte de %s ilegible: «%s» es un número, no una fecha; "
               "escríbala como 31-marzo-2021",
               zCode, zText);
    return false;
  }
  Buf err = BUF_INIT;
  bool bOk = date_parse(zText, pDay, &err);
  if (!bOk) {
    form_error(f, zName, "fecha de corte de %s ilegible: %s", zCode, buf_str(&err));
  }
  buf_reset(&err);
  return bOk;
}

void post_settings(Request *r) {
  Db *db = request_db(r);
  Multipart m;
  char *zErr = NULL;
  if (!page_multipart(r, &m, &zErr)) {
    response_error(r, 400, zErr);
    free(zErr);
    return;
  }
  int64_t iPlan = plan_web_current(r);
  Period *aPeriod = NULL;
  int nPeriod = iPlan ? plan_periods(db, iPlan, &aPeriod) : 0;
  if (nPeriod > PLAN_MAX_PERIODS) {
    nPeriod = PLAN_MAX_PERIODS; /* never: a scheme has at most 4 periods */
  }
  Form f = {0};
  SettingsText t;
  memset(&t, 0, sizeof t);
  SettingsEdit e;
  memset(&e, 0, sizeof e);
  t.zRed = part_text_dup(&m, "rojo");
  t.zYellow = part_text_dup(&m, "amarillo");
  t.zEntity = part_text_dup(&m, "entidad");
  t.bRemoveLogo = multipart_value(&m, "quitar_logo") != NULL;
  bool bRed = read_threshold(&f, "rojo", "rojo", t.zRed, &e.rRedBelow);
  bool bYellow = read_threshold(&f, "amarillo", "amarillo", t.zYellow, &e.rYellowBelow);
  if (bRed && bYellow && !(e.rRedBelow < e.rYellowBelow)) {
    form_error(&f, "amarillo", "el umbral del amarillo (%s) debe ser mayor que el del rojo (%s)",
               t.zYellow, t.zRed);
  }
  if (text_width(t.zEntity) > ENTITY_MAX_CHARS || !text_is_utf8(t.zEntity, strlen(t.zEntity))) {
    form_error(&f, "entidad", "el nombre de la entidad puede tener hasta %d caracteres",
               ENTITY_MAX_CHARS);
  }
  e.zEntity = t.zEntity;
  /* field names live as long as the form that refers to them */
  char *azName[PLAN_MAX_PERIODS] = {0};
  bool bPrevOk = true;
  e.nPeriod = nPeriod;
  for (int i = 0; i < nPeriod; i++) {
    Buf name = BUF_INIT;
    cutoff_field(&name, &aPeriod[i]);
    azName[i] = buf_take(&name);
    t.azEnd[i] = part_text_dup(&m, azName[i]);
    bool bOk = read_cutoff(&f, azName[i], aPeriod[i].zCode, t.azEnd[i], &e.aEnd[i]);
    if (bOk && bPrevOk) {
      Day start = i == 0 ? aPeriod[0].start : e.aEnd[i - 1] + 1;
      if (e.aEnd[i] < start) {
        Buf b1 = BUF_INIT, b2 = BUF_INIT;
        date_format_plan(e.aEnd[i], &b1);
        date_format_plan(i == 0 ? start : e.aEnd[i - 1], &b2);
        if (i == 0) {
          form_error(&f, azName[i], "el corte de %s (%s) no puede ser antes de su inicio (%s)",
                     aPeriod[i].zCode, buf_str(&b1), buf_str(&b2));
        } else {
          form_error(&f, azName[i], "el corte de %s (%s) debe ser posterior al corte de %s (%s)",
                     aPeriod[i].zCode, buf_str(&b1), aPeriod[i - 1].zCode, buf_str(&b2));
        }
        buf_reset(&b1);
        buf_reset(&b2);
        bOk = false;
      }
    }
    bPrevOk = bOk;
  }
  /* the logo: checked here, written before the settings are stored and put
  ** in place once they are */
  const MultipartPart *pLogo = multipart_part(&m, "logo");
  bool bNewLogo = pLogo && pLogo->zFileName && pLogo->nData > 0;
  if (bNewLogo && pLogo->nData > LOGO_MAX_BYTES) {
    form_error(&f, "logo",
               "el logo pesa %zu KiB y el máximo es %zu KiB; use una imagen más "
               "pequeña",
               (pLogo->nData + 1023) / 1024, LOGO_MAX_BYTES / 1024);
  } else if (bNewLogo) {
    char zFound[128];
    e.zLogoType = logo_type(pLogo->pData, pLogo->nData, zFound, sizeof zFound);
    if (e.zLogoType == NULL) {
      form_error(&f, "logo", "el logo debe ser una imagen PNG o JPEG; «%s» es de tipo %s",
                 pLogo->zFileName, zFound);
    }
  } else if (t.bRemoveLogo) {
    e.zLogoType = "";
  }
  const char *zDataDir = web_app(r)->zDataDir;
  char *zTmp = NULL;
  if (f.nErr == 0 && bNewLogo) {
    char *zWhy = NULL;
    zTmp = filestore_write_temp(zDataDir, pLogo->pData, pLogo->nData, &zWhy);
    if (zTmp == NULL) {
      form_error(&f, "logo", "no se pudo guardar el logo: %s", zWhy);
      free(zWhy);
    }
  }
  if (f.nErr == 0 && plan_settings_save(db, iPlan, &e, web_actor(r), &zErr) < 0) {
    form_error(&f, "", "%s", zErr);
    free(zErr);
  }
  char *zLogo = xasprintf("%s/logo", zDataDir);
  if (f.nErr) {
    if (zTmp) {
      unlink(zTmp);
    }
    settings_page(r, &f, &t);
    response_status(r, 422);
  } else if (zTmp && rename(zTmp, zLogo) != 0) {
    unlink(zTmp);
    response_error(r, 500,
                   "Los ajustes se guardaron, pero no se pudo poner el logo en su "
                   "lugar; vuelva a cargarlo.");
  } else {
    if (e.zLogoType && e.zLogoType[0] == 0) {
      unlink(zLogo);
    }
    response_redirect(r, "/admin/ajustes?aviso=ajustes-guardados");
  }
  free(zLogo);
  free(zTmp);
  for (int i = 0; i < PLAN_MAX_PERIODS; i++) {
    free(azName[i]);
  }
  settings_text_reset(&t);
  form_reset(&f);
  plan_periods_free(nPeriod, aPeriod);
  multipart_reset(&m);
}

/* ---- the audit log ------------------------------------------------------------------------ */

/* The link to page iPage of the audit log. */
static void audit_link(HtmlW *w, int64_t iPage, const char *zText, const char *zRel) {
  Buf href = BUF_INIT;
  buf_appendf(&href, "/admin/auditoria?pagina=%lld", (long long)iPage);
  html_open(w, HTML_A, HA_HREF, buf_str(&href), HA_REL, zRel);
  html_text(w, zText);
  html_close(w, HTML_A);
  buf_reset(&href);
}

/* Whether the chain of the log is whole (audit_verify), with its problems. */
static void audit_check(Page *p) {
  HtmlW *w = &p->w;
  Buf problems = BUF_INIT, hash = BUF_INIT;
  Db *db = request_db(p->r);
  int nProblem = audit_verify(db, &problems);
  int64_t nEntry = audit_last(db, &hash);
  html_elem_text(w, HTML_H2, "Verificación de la cadena");
  if (nProblem == 0) {
    html_open(w, HTML_P, HA_CLASS, "verificacion-ok");
    html_textf(w, "El registro está completo: %lld entrada%s encadenada%s sin alteraciones.",
               (long long)nEntry, nEntry == 1 ? "" : "s", nEntry == 1 ? "" : "s");
    html_close(w, HTML_P);
    if (hash.n) {
      html_elem_text(w, HTML_H3, "Cabeza del registro");
      html_open(w, HTML_P);
      html_textf(w, "Huella de la última entrada y número de entradas (%lld):",
                 (long long)nEntry);
      html_close(w, HTML_P);
      html_open(w, HTML_P, HA_CLASS, "huella");
      html_open(w, HTML_CODE);
      html_textf(w, "%s:%lld", buf_str(&hash), (long long)nEntry);
      html_close(w, HTML_CODE);
      html_close(w, HTML_P);
      html_elem_text(w, HTML_P,
                     "Copie esta línea fuera del sistema (en un acta, en un correo a control "
                     "interno). Quien tenga el archivo de la base podría reescribir el registro "
                     "entero de forma coherente, pero no la copia: «participa audit verify "
                     "--expect» con esa línea comprueba después que ninguna de esas entradas "
                     "cambió.");
    }
  } else {
    html_open(w, HTML_DIV, HA_CLASS, "errores", HA_ROLE, "alert");
    html_open(w, HTML_P);
    html_textf(w, "El registro fue alterado: %d problema%s.", nProblem, nProblem == 1 ? "" : "s");
    html_close(w, HTML_P);
    html_open(w, HTML_UL);
    const char *z = buf_str(&problems);
    while (*z) {
      const char *zEnd = strchr(z, '\n');
      size_t n = zEnd ? (size_t)(zEnd - z) : strlen(z);
      char *zLine = xstrndup(z, n);
      if (zLine[0]) {
        html_elem_text(w, HTML_LI, zLine);
      }
      free(zLine);
      z += n + (zEnd ? 1 : 0);
    }
    html_close(w, HTML_UL);
    html_close(w, HTML_DIV);
  }
  buf_reset(&problems);
  buf_reset(&hash);
}

void page_audit(Request *r) {
  Db *db = request_db(r);
  const char *zPage = request_query(r, "pagina");
  int64_t iPage = 1;
  if (zPage && zPage[0]) {
    if (strlen(zPage) > 9 || strspn(zPage, "0123456789") != strlen(zPage) ||
        (iPage = strtol(zPage, NULL, 10)) < 1) {
      response_error(r, 400, "La página debe ser un número entero positivo.");
      return;
    }
  }
  int64_t nTotal = audit_count(db);
  int64_t nPages = nTotal == 0 ? 1 : (nTotal + AUDIT_PAGE - 1) / AUDIT_PAGE;
  if (iPage > nPages) {
    response_error(r, 404, "El registro de cambios no tiene esa página.");
    return;
  }
  AuditEntry *a;
  int n = audit_entries(db, AUDIT_PAGE, (iPage - 1) * AUDIT_PAGE, &a);
  const Session *pSess = web_session(r);
  bool bAdmin = pSess && auth_role_can(pSess->eRole, CAP_ADMIN);
  Page pg;
  page_begin(&pg, r, "Registro de cambios", bAdmin ? NAV_ADMIN : NAV_NONE);
  HtmlW *w = &pg.w;
  html_elem_text(w, HTML_H1, "Registro de cambios");
  page_admin_nav(&pg, "/admin/auditoria");
  html_elem_text(w, HTML_P,
                 "Cada cambio queda registrado con quién lo hizo y cuándo. Las "
                 "entradas están encadenadas: ninguna se puede cambiar ni borrar sin "
                 "que se note.");
  audit_check(&pg);
  html_elem_text(w, HTML_H2, "Entradas");
  if (n == 0) {
    html_elem_text(w, HTML_P, "El registro está vacío.");
  } else {
    static const char *const azHead[] = {"N.º",    "Fecha y hora", "Quién",
                                         "Acción", "Objeto",       "Detalle"};
    Buf caption = BUF_INIT, b = BUF_INIT;
    buf_appendf(&caption, "Entradas %lld a %lld de %lld, de la más reciente a la más antigua",
                (long long)((iPage - 1) * AUDIT_PAGE + 1),
                (long long)((iPage - 1) * AUDIT_PAGE + n), (long long)nTotal);
    page_wide_begin(w, "Entradas del registro de cambios");
    page_table_begin(w, NULL, buf_str(&caption), 6, azHead, NULL);
    for (int i = 0; i < n; i++) {
      html_open(w, HTML_TR);
      html_open(w, HTML_TH, HA_SCOPE, "row");
      html_textf(w, "%lld", (long long)a[i].id);
      html_close(w, HTML_TH);
      html_open(w, HTML_TD);
      html_open(w, HTML_TIME, HA_DATETIME, a[i].zAt);
      buf_clear(&b);
      put_timestamp(&b, a[i].zAt, "");
      html_text(w, buf_str(&b));
      html_close(w, HTML_TIME);
      html_close(w, HTML_TD);
      html_elem_text(w, HTML_TD, a[i].zActor);
      html_elem_text(w, HTML_TD, a[i].zAction);
      html_open(w, HTML_TD);
      if (a[i].iObject) {
        html_textf(w, "%s %lld", a[i].zObject, (long long)a[i].iObject);
      } else {
        html_text(w, a[i].zObject);
      }
      html_close(w, HTML_TD);
      html_elem_text(w, HTML_TD, a[i].zDetail);
      html_close(w, HTML_TR);
    }
    page_table_end(w);
    page_wide_end(w);
    buf_reset(&caption);
    buf_reset(&b);
  }
  if (nPages > 1) {
    html_open(w, HTML_NAV, HA_ARIA_LABEL, "Páginas del registro", HA_CLASS, "paginas");
    html_open(w, HTML_P);
    if (iPage > 1) {
      audit_link(w, iPage - 1, "Más recientes", "prev");
      html_text(w, " ");
    }
    html_textf(w, "Página %lld de %lld", (long long)iPage, (long long)nPages);
    if (iPage < nPages) {
      html_text(w, " ");
      audit_link(w, iPage + 1, "Más antiguas", "next");
    }
    html_close(w, HTML_P);
    html_close(w, HTML_NAV);
  }
  page_end(&pg);
  audit_entries_free(n, a);
}
