/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Signing in and out, the password change page, and the signed-in user's
** start page (/panel) with what is waiting for each role. The checks
** themselves (argon2id, throttling, sessions) are in src/auth.
*/
#include "auth/auth_web.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/page.h"

/* Where to go after signing in: the "volver" path when it is one of ours,
** else the panel. One of ours is "/" and then only visible ASCII (0x21 to
** 0x7e) without a backslash, not starting "//", at most 512 bytes:
** browsers drop tabs and line breaks inside a URL and read a backslash as
** "/", so "/<tab>/host" would lead to another site, and a line break would
** end the Location header. */
static const char *return_path(const char *z) {
  if (z == NULL || z[0] != '/' || z[1] == '/') {
    return "/panel";
  }
  size_t n = 0;
  for (; z[n]; n++) {
    unsigned char c = (unsigned char)z[n];
    if (c <= 0x20 || c >= 0x7f || c == '\\' || n >= 512) {
      return "/panel";
    }
  }
  return z;
}

/* The login form, with an optional error message and the login typed. */
static void login_form(Request *r, const char *zError, const char *zLogin) {
  Page pg;
  page_begin(&pg, r, "Entrar", NAV_NONE);
  HtmlW *w = &pg.w;
  html_elem_text(w, HTML_H1, "Entrar");
  html_elem_text(w, HTML_P, "Acceso para funcionarios de la entidad. La ciudadanía puede "
                            "consultar el avance del plan sin cuenta.");
  if (zError) {
    html_open(w, HTML_DIV, HA_CLASS, "errores", HA_ROLE, "alert");
    html_elem_text(w, HTML_P, zError);
    html_close(w, HTML_DIV);
  }
  page_form_begin(&pg, "/entrar", false);
  page_hidden(&pg, "volver", return_path(request_query(r, "volver") ? request_query(r, "volver")
                                                                       : request_form(r, "volver")));
  Field fLogin = {.zName = "usuario", .zLabel = "Usuario", .zValue = zLogin, .bRequired = true,
                  .zAutocomplete = "username", .zMaxLength = "40"};
  page_field(&pg, NULL, &fLogin);
  Field fPass = {.zName = "clave", .zLabel = "Contraseña", .zType = "password",
                 .bRequired = true, .zAutocomplete = "current-password", .zMaxLength = "200"};
  page_field(&pg, NULL, &fPass);
  page_submit(&pg, "Entrar");
  page_form_end(&pg);
  page_end(&pg);
}

void page_login(Request *r) {
  if (web_session(r)) {
    response_redirect(r, return_path(request_query(r, "volver")));
    return;
  }
  login_form(r, NULL, NULL);
}

/* Append how long nSec seconds is, in words: "1 segundo", "40 segundos",
** "1 minuto", "5 minutos" (minutes rounded up from 60 s on). */
static void wait_text(Buf *pOut, int nSec) {
  if (nSec < 60) {
    buf_appendf(pOut, "%d segundo%s", nSec, nSec == 1 ? "" : "s");
  } else {
    int nMin = (nSec + 59) / 60;
    buf_appendf(pOut, "%d minuto%s", nMin, nMin == 1 ? "" : "s");
  }
}

void post_login(Request *r) {
  const char *zLogin = request_form(r, "usuario");
  const char *zPass = request_form(r, "clave");
  if (zLogin == NULL || zPass == NULL || zLogin[0] == 0 || zPass[0] == 0) {
    login_form(r, "Escriba su usuario y su contraseña.", zLogin);
    response_status(r, 422);
    return;
  }
  char *zToken = NULL;
  int nWait = 0;
  LoginResult e = auth_login(request_db(r), zLogin, zPass, request_remote_addr(r), &zToken, &nWait);
  if (e == LOGIN_OK) {
    web_set_session_cookie(r, zToken);
    free(zToken);
    const char *zTo = return_path(request_form(r, "volver"));
    /* response_redirect keeps the headers set so far */
    response_redirect(r, zTo);
    return;
  }
  if (e == LOGIN_THROTTLED) {
    Buf msg = BUF_INIT;
    buf_puts(&msg, "Demasiados intentos fallidos. Por seguridad, espere ");
    wait_text(&msg, nWait);
    buf_puts(&msg, " antes de intentarlo de nuevo. Si no recuerda su contraseña, pida a un "
                   "administrador que la restablezca.");
    login_form(r, buf_str(&msg), zLogin);
    buf_reset(&msg);
    char zRetry[24];
    snprintf(zRetry, sizeof zRetry, "%d", nWait);
    response_header(r, "Retry-After", zRetry);
    response_status(r, 429);
    return;
  }
  login_form(r, "Usuario o contraseña incorrectos.", zLogin);
  response_status(r, 401);
}

void post_logout(Request *r) {
  const char *zToken = request_cookie(r, WEB_SESSION_COOKIE);
  if (zToken) {
    auth_logout(request_db(r), zToken);
  }
  web_set_session_cookie(r, NULL);
  response_redirect(r, "/?aviso=sesion-cerrada");
}

/* The password change form with the errors of f. */
static void password_form(Request *r, const Form *f) {
  const Session *pSess = web_session(r);
  Page pg;
  page_begin(&pg, r, "Cambiar contraseña", NAV_ACCOUNT);
  HtmlW *w = &pg.w;
  html_elem_text(w, HTML_H1, "Cambiar contraseña");
  if (pSess && pSess->bMustChange) {
    page_notice(&pg, "Su contraseña fue asignada por un administrador: cámbiela para continuar.");
  }
  page_form_errors(&pg, f);
  page_form_begin(&pg, "/cuenta/clave", false);
  Field fOld = {.zName = "actual", .zLabel = "Contraseña actual", .zType = "password",
                .bRequired = true, .zAutocomplete = "current-password"};
  page_field(&pg, f, &fOld);
  char zHint[120];
  snprintf(zHint, sizeof zHint,
           "Al menos %d caracteres. Una frase de varias palabras es fácil de recordar y difícil "
           "de adivinar.",
           AUTH_MIN_PASSWORD);
  Field fNew = {.zName = "nueva", .zLabel = "Contraseña nueva", .zType = "password",
                .bRequired = true, .zAutocomplete = "new-password", .zHint = zHint};
  page_field(&pg, f, &fNew);
  Field fRep = {.zName = "repetir", .zLabel = "Repita la contraseña nueva", .zType = "password",
                .bRequired = true, .zAutocomplete = "new-password"};
  page_field(&pg, f, &fRep);
  page_submit(&pg, "Cambiar contraseña");
  page_form_end(&pg);
  page_end(&pg);
}

void page_password(Request *r) {
  password_form(r, NULL);
}

void post_password(Request *r) {
  const char *zOld = request_form(r, "actual");
  const char *zNew = request_form(r, "nueva");
  const char *zRep = request_form(r, "repetir");
  Form f = {0};
  if (zOld == NULL || zOld[0] == 0) {
    form_error(&f, "actual", "Escriba su contraseña actual.");
  }
  if (zNew == NULL || zNew[0] == 0) {
    form_error(&f, "nueva", "Escriba la contraseña nueva.");
  } else if (zRep == NULL || strcmp(zNew, zRep) != 0) {
    form_error(&f, "repetir", "La repetición no coincide con la contraseña nueva.");
  }
  if (f.nErr == 0) {
    char *zErr = NULL;
    /* the session is the request's own copy: the change clears bMustChange */
    if (!auth_password_change(request_db(r), (Session *)web_session(r), zOld, zNew, &zErr)) {
      form_error(&f, strstr(zErr, "actual") ? "actual" : "nueva", "%s", zErr);
    }
    free(zErr);
  }
  if (f.nErr > 0) {
    password_form(r, &f);
    response_status(r, 422);
    form_reset(&f);
    return;
  }
  response_redirect(r, "/panel?aviso=clave-cambiada");
}

void page_panel(Request *r) {
  const Session *pSess = web_session(r);
  Page pg;
  page_begin(&pg, r, "Mi panel", NAV_PANEL);
  HtmlW *w = &pg.w;
  html_open(w, HTML_H1);
  html_textf(w, "Hola, %s", pSess->zFullName[0] ? pSess->zFullName : pSess->zLogin);
  html_close(w, HTML_H1);
  html_open(w, HTML_P);
  html_textf(w, "Rol: %s.", auth_role_label(pSess->eRole));
  if (pSess->nOffice > 0) {
    html_text(w, " Dependencias: ");
    for (int i = 0; i < pSess->nOffice; i++) {
      html_text(w, i ? "; " : "");
      html_text(w, pSess->azOffice[i]);
    }
    html_text(w, ".");
  }
  html_close(w, HTML_P);
  html_elem_text(w, HTML_H2, "Qué puede hacer");
  html_open(w, HTML_UL);
  page_panel_links(&pg); /* every module's panel entries this role may follow */
  html_close(w, HTML_UL);
  page_end(&pg);
}

/* ---- failed logins, for the administrador --------------------------------------------- */

/* Append nSec as a wait for a table cell: "—" when none. */
static void wait_cell(Buf *pOut, int nSec) {
  if (nSec <= 0) {
    buf_puts(pOut, "—");
  } else {
    wait_text(pOut, nSec);
  }
}

void auth_web_throttles(Page *p) {
  ThrottleInfo *a;
  int n = auth_throttles(request_db(p->r), &a);
  HtmlW *w = &p->w;
  html_elem_text(w, HTML_H2, "Intentos fallidos de ingreso");
  Buf b = BUF_INIT;
  buf_appendf(&b,
              "Los intentos fallidos se olvidan a los %d minutos. Después de %d fallos de una "
              "cuenta desde una dirección, esa pareja espera 1 segundo, luego 2, 4… hasta %d "
              "minutos; una dirección que prueba muchas cuentas y una cuenta probada desde "
              "muchas direcciones esperan hasta %d segundos, salvo desde donde la cuenta entró "
              "en los últimos %d días. Ninguna cuenta queda bloqueada.",
              AUTH_WINDOW_SEC / 60, AUTH_PAIR_FREE, AUTH_PAIR_CAP_SEC / 60, AUTH_VALVE_CAP_SEC,
              AUTH_TRUST_SEC / 86400);
  html_elem_text(w, HTML_P, buf_str(&b));
  if (n == 0) {
    html_elem_text(w, HTML_P, "No hay intentos fallidos recientes.");
  } else {
    static const char *const azHead[] = {"Dirección", "Intentos fallidos", "Cuentas probadas",
                                         "Espera", "Acción"};
    static const bool abNumber[] = {false, true, true, false, false};
    page_table_begin(w, NULL, "Direcciones con intentos fallidos recientes", 5, azHead, abNumber);
    for (int i = 0; i < n; i++) {
      html_open(w, HTML_TR);
      html_open(w, HTML_TH, HA_SCOPE, "row");
      html_text(w, a[i].zAddr[0] ? a[i].zAddr : "desconocida");
      html_close(w, HTML_TH);
      html_open(w, HTML_TD, HA_CLASS, "numero");
      html_textf(w, "%d", a[i].nFail);
      html_close(w, HTML_TD);
      html_open(w, HTML_TD, HA_CLASS, "numero");
      html_textf(w, "%d", a[i].nAccount);
      html_close(w, HTML_TD);
      buf_clear(&b);
      wait_cell(&b, a[i].nWaitSec);
      html_elem_text(w, HTML_TD, buf_str(&b));
      html_open(w, HTML_TD);
      const char *azPair[] = {"direccion", a[i].zAddr};
      page_button_form(p, "/admin/intentos", "Borrar sus intentos", 1, azPair);
      html_close(w, HTML_TD);
      html_close(w, HTML_TR);
    }
    page_table_end(w);
  }
  buf_reset(&b);
  auth_throttles_free(n, a);
}

void auth_web_user_failures(Page *p, const char *zLogin, const char *zAction) {
  int nWait = 0;
  int nFail = auth_user_failures(request_db(p->r), zLogin, &nWait);
  HtmlW *w = &p->w;
  html_elem_text(w, HTML_H3, "Intentos fallidos de ingreso");
  Buf b = BUF_INIT;
  if (nFail == 0) {
    buf_appendf(&b, "Ningún intento fallido en los últimos %d minutos.", AUTH_WINDOW_SEC / 60);
  } else {
    buf_appendf(&b, "%d intento%s fallido%s en los últimos %d minutos", nFail,
                nFail == 1 ? "" : "s", nFail == 1 ? "" : "s", AUTH_WINDOW_SEC / 60);
    if (nWait > 0) {
      buf_puts(&b, "; desde alguna dirección debe esperar ");
      wait_text(&b, nWait);
    }
    buf_puts(&b, ".");
  }
  html_elem_text(w, HTML_P, buf_str(&b));
  buf_reset(&b);
  if (nFail > 0) {
    static const char *const azPair[] = {"accion", "desbloquear"};
    page_button_form(p, zAction, "Borrar los intentos fallidos", 1, azPair);
  }
}

void post_login_unlock(Request *r) {
  const char *zAddr = request_form(r, "direccion");
  if (zAddr == NULL || zAddr[0] == 0) {
    response_error(r, 422,
                   "Falta la dirección cuyos intentos fallidos quiere borrar: use el "
                   "botón de la lista de direcciones en Usuarios.");
    return;
  }
  auth_address_unlock(request_db(r), zAddr, web_actor(r));
  response_redirect(r, "/admin/usuarios?aviso=intentos-borrados");
}
