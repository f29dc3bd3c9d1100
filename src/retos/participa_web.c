/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The participation button (item 11 of the plan) on the web:
**
**   /participa        every channel through which a citizen takes part, each
**                     with a short description: PQRSD (file, check status,
**                     the transparency report), the open challenges, the
**                     plan's progress and its open data;
**   /participa/boton  for the web administrators of the entity: the HTML
**                     snippet the city's website pastes to link to the PQRSD
**                     form (and to /participa), shown as code to copy, with
**                     a preview and instructions (docs/boton.md says the
**                     same at length).
**
** The snippet is plain HTML: a link with descriptive text, no image, no
** script, no style, so it takes the look of the site it is pasted into and
** works with a keyboard and a screen reader. Its address is this server's,
** taken from the request's Host header for display only (a Host that is not
** a plain host name and port is replaced by an example): the page says to
** replace it with the public address when they differ (behind a proxy).
**
** What it does not do: write anything (both pages are GET), or know the
** channels' pages beyond their addresses.
*/
#include "retos/retos_web.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "retos/retos.h"
#include "app/page.h"

/* A participation channel. */
typedef struct Channel {
  const char *zHref;  /* its page */
  const char *zTitle; /* its name */
  const char *zText;  /* what a citizen does there */
} Channel;

static const Channel aChannel[] = {
    {"/pqrsd", "Peticiones, quejas, reclamos, sugerencias y denuncias (PQRSD)",
     "Escriba a la entidad, con su nombre o de forma anónima. Recibe un número de radicado y la "
     "fecha límite en que la entidad debe responderle, según la Ley 1755 de 2015."},
    {"/pqrsd/consulta", "Consultar una PQRSD",
     "Con el número de radicado y el código secreto del comprobante, vea en qué va su solicitud "
     "y lea la respuesta."},
    {"/retos", "Retos",
     "La administración plantea problemas que se propone resolver; proponga soluciones y lea "
     "las propuestas de otras personas."},
    {"/", "Avance del plan de participación",
     "Qué tanto ha avanzado el plan de acción de participación ciudadana, actividad por "
     "actividad y por dependencia, con su evidencia."},
    {"/datos", "Datos abiertos",
     "El plan y su avance en archivos CSV y JSON, para reutilizarlos (Ley 1712 de 2014)."},
    {"/pqrsd/informe", "Informe de PQRSD",
     "Cuántas solicitudes recibe la entidad, de qué tipo, y si las responde a tiempo (Ley 1712 "
     "de 2014, artículo 11)."},
};

void page_participa(Request *r) {
  Db *db = request_db(r);
  Reto *a = NULL;
  int n = reto_list(db, false, &a);
  Day today = clock_today();
  int nOpen = 0;
  for (int i = 0; i < n; i++) {
    nOpen += reto_status(&a[i], today) == RETO_ABIERTO;
  }
  reto_list_free(n, a);

  Page pg;
  page_begin(&pg, r, "Participa", NAV_PARTICIPA);
  HtmlW *w = &pg.w;
  html_elem_text(w, HTML_H1, "Participa");
  html_elem_text(w, HTML_P,
                 "Estos son los canales por los que puede hablar con la entidad, proponer y "
                 "hacer seguimiento a lo que hace. Ninguno pide crear una cuenta.");
  for (size_t i = 0; i < sizeof aChannel / sizeof aChannel[0]; i++) {
    const Channel *c = &aChannel[i];
    html_open(w, HTML_SECTION);
    html_open(w, HTML_H2);
    html_open(w, HTML_A, HA_HREF, c->zHref);
    html_text(w, c->zTitle);
    html_close(w, HTML_A);
    html_close(w, HTML_H2);
    html_open(w, HTML_P);
    html_text(w, c->zText);
    if (strcmp(c->zHref, "/retos") == 0) {
      if (nOpen == 0) {
        html_text(w, " Ahora no hay retos abiertos.");
      } else if (nOpen == 1) {
        html_text(w, " Ahora hay 1 reto abierto.");
      } else {
        html_textf(w, " Ahora hay %d retos abiertos.", nOpen);
      }
    }
    html_close(w, HTML_P);
    html_close(w, HTML_SECTION);
  }
  html_elem_text(w, HTML_H2, "Para el sitio web de la entidad");
  html_open(w, HTML_P);
  html_text(w, "Quien administra el sitio web de la entidad encuentra en ");
  html_open(w, HTML_A, HA_HREF, "/participa/boton");
  html_text(w, "el botón de participación");
  html_close(w, HTML_A);
  html_text(w, " el código para enlazar estos canales desde el sitio.");
  html_close(w, HTML_P);
  page_end(&pg);
}

/* ---- the button ----------------------------------------------------------------------- */

#define EXAMPLE_HOST "participa.ejemplo.gov.co" /* shown when the Host header is unusable */

/* True when z is a plain host[:port] ("participa.cartagena.gov.co",
** "127.0.0.1:8080", "[::1]:8080"): letters, digits, "-", ".", ":" and
** brackets only, at most 255 bytes. Anything else (spaces, quotes, "/",
** "@") is not shown. */
static bool host_ok(const char *z) {
  size_t n = z ? strlen(z) : 0;
  if (n == 0 || n > 255) {
    return false;
  }
  for (size_t i = 0; i < n; i++) {
    char c = z[i];
    bool bOk = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '.' || c == ':' || c == '[' || c == ']';
    if (!bOk) {
      return false;
    }
  }
  return true;
}

/* The address of this server as the request names it: "http(s)://HOST". */
static void base_url(Request *r, Buf *pOut) {
  const char *zHost = request_header(r, "Host");
  buf_puts(pOut, web_app(r)->bSecureCookie ? "https://" : "http://");
  buf_puts(pOut, host_ok(zHost) ? zHost : EXAMPLE_HOST);
}

/* The link texts of the snippet. */
#define BUTTON_TEXT   "Peticiones, quejas, reclamos, sugerencias y denuncias (PQRSD)"
#define CHANNELS_TEXT "Participa: canales de participación ciudadana"

/* The snippet for links to zBase: plain HTML, one link per line. */
static void snippet(Buf *pOut, const char *zBase) {
  buf_appendf(pOut,
              "<!-- Participación ciudadana: enlaces a participa.\n"
              "     Si la dirección de abajo no es la dirección pública\n"
              "     de participa, cámbiela por esa en los dos enlaces. -->\n"
              "<p>\n"
              "  <a href=\"%s/pqrsd\">%s</a>\n"
              "</p>\n"
              "<p>\n"
              "  <a href=\"%s/participa\">%s</a>\n"
              "</p>\n",
              zBase, BUTTON_TEXT, zBase, CHANNELS_TEXT);
}

/* A link to zHref with text zText inside a paragraph. */
static void link_p(HtmlW *w, const char *zHref, const char *zText) {
  html_open(w, HTML_P);
  html_open(w, HTML_A, HA_HREF, zHref);
  html_text(w, zText);
  html_close(w, HTML_A);
  html_close(w, HTML_P);
}

void page_participa_button(Request *r) {
  Buf base = BUF_INIT, code = BUF_INIT, href = BUF_INIT;
  base_url(r, &base);
  snippet(&code, buf_str(&base));
  Page pg;
  page_begin(&pg, r, "El botón de participación", NAV_PARTICIPA);
  HtmlW *w = &pg.w;
  html_elem_text(w, HTML_H1, "El botón de participación");
  html_elem_text(w, HTML_P,
                 "Para quien administra el sitio web de la entidad: copie el código de abajo y "
                 "péguelo en la plantilla del sitio, donde la ciudadanía lo encuentre (la "
                 "cabecera, el pie o la sección «Participa»). Lleva al formulario de PQRSD y a "
                 "la lista de canales de participación.");

  html_elem_text(w, HTML_H2, "El código");
  html_open(w, HTML_P);
  html_text(w, "La dirección del código es la de este servidor tal como la pidió su navegador (");
  html_elem_text(w, HTML_CODE, buf_str(&base));
  html_text(w, "). Si la ciudadanía llega a participa por otra dirección pública, reemplácela "
               "por esa en los dos enlaces antes de pegarlo.");
  html_close(w, HTML_P);
  /* a named region the keyboard can reach, so that a narrow screen can
  ** scroll the long lines without a pointer */
  html_open(w, HTML_PRE, HA_ROLE, "region", HA_ARIA_LABEL, "Código del botón", HA_TABINDEX, "0");
  html_open(w, HTML_CODE);
  html_text(w, buf_str(&code));
  html_close(w, HTML_CODE);
  html_close(w, HTML_PRE);

  html_elem_text(w, HTML_H2, "Así se ve");
  html_elem_text(w, HTML_P,
                 "Con el estilo de esta página; en el sitio de la entidad toma el estilo de sus "
                 "enlaces:");
  html_open(w, HTML_DIV, HA_CLASS, "resumen");
  buf_appendf(&href, "%s/pqrsd", buf_str(&base));
  link_p(w, buf_str(&href), BUTTON_TEXT);
  buf_clear(&href);
  buf_appendf(&href, "%s/participa", buf_str(&base));
  link_p(w, buf_str(&href), CHANNELS_TEXT);
  html_close(w, HTML_DIV);

  html_elem_text(w, HTML_H2, "Recomendaciones");
  html_open(w, HTML_UL);
  static const char *const azTip[] = {
      "Deje el texto del enlace como está, o cámbielo por otro que diga adónde lleva: «clic "
      "aquí» no le dice nada a quien usa un lector de pantalla.",
      "Si prefiere una imagen o un ícono, póngale un texto alternativo que diga lo mismo que el "
      "enlace, y cuide que el contraste con el fondo sea de al menos 4,5 a 1.",
      "No lo abra en una ventana nueva: quien navega con teclado o lector de pantalla pierde el "
      "camino de regreso.",
      "Compruebe que se puede llegar al enlace con la tecla Tab y abrirlo con Enter.",
      "El formulario no pide crear una cuenta ni resolver un CAPTCHA: cualquier persona puede "
      "usarlo.",
  };
  for (size_t i = 0; i < sizeof azTip / sizeof azTip[0]; i++) {
    html_elem_text(w, HTML_LI, azTip[i]);
  }
  html_close(w, HTML_UL);
  page_end(&pg);
  buf_reset(&base);
  buf_reset(&code);
  buf_reset(&href);
}
