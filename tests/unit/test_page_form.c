/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Tests for the radio group form helper of app/page (page_radio_group): the
** exact markup of the PQRSD form's question (as GET /pqrsd has always
** written it), of a review decision with its error (one of several forms on
** a page), and the ids a hint and an error give aria-describedby.
*/
#include <criterion/criterion.h>
#include <string.h>

#include "app/page.h"
#include "base/buf.h"

/* The markup page_radio_group writes for g, a (n choices) and f. Caller
** frees. */
static char *group_dup(const Form *f, const RadioGroup *g, int n, const Choice *a) {
  Buf out = BUF_INIT;
  Page pg = {0};
  html_init(&pg.w, &out);
  page_radio_group(&pg, f, g, n, a);
  html_end(&pg.w);
  return buf_take(&out);
}

Test(page_form, radio_group_as_the_pqrsd_form_writes_it) {
  static const Choice aWho[] = {
      {"identificada", "Con mis datos", "la entidad puede responderle por el medio que elija"},
      {"anonima", "Anónima",
       "sin datos personales; la respuesta se consulta en línea con el radicado y el código"}};
  RadioGroup g = {.zName = "identificacion",
                  .zLegend = "¿Cómo la presenta?",
                  .bRequired = true,
                  .bMarkRequired = true};
  char *z = group_dup(NULL, &g, 2, aWho);
  cr_expect_str_eq(
      z, "<fieldset><legend>¿Cómo la presenta?<span class=\"obligatorio\"> (obligatorio)</span>"
         "</legend>\n"
         "<div class=\"campo-casilla\"><input type=\"radio\" id=\"f-identificacion\" "
         "name=\"identificacion\" value=\"identificada\" required><label "
         "for=\"f-identificacion\">Con mis datos<span class=\"tenue\"> · la entidad puede "
         "responderle por el medio que elija</span></label></div>\n"
         "<div class=\"campo-casilla\"><input type=\"radio\" id=\"f-identificacion-anonima\" "
         "name=\"identificacion\" value=\"anonima\" required><label "
         "for=\"f-identificacion-anonima\">Anónima<span class=\"tenue\"> · sin datos "
         "personales; la respuesta se consulta en línea con el radicado y el código</span>"
         "</label></div>\n"
         "</fieldset>\n");
  free(z);
}

Test(page_form, decision_with_its_error_and_choice_kept) {
  static const Choice aDecision[] = {{"verificar", "Verificar", NULL},
                                     {"rechazar", "Rechazar <ya>", NULL}};
  Form f = {0};
  form_error(&f, "decision-12", "elija si lo verifica o lo rechaza");
  RadioGroup g = {.zName = "decision",
                  .zKey = "decision-12",
                  .zLegend = "Decisión sobre el reporte 12",
                  .bRequired = true,
                  .zChecked = "rechazar"};
  char *z = group_dup(&f, &g, 2, aDecision);
  cr_expect_str_eq(
      z, "<fieldset class=\"campo-error\"><legend>Decisión sobre el reporte 12</legend>\n"
         "<p id=\"f-decision-12-error\" class=\"error\">elija si lo verifica o lo rechaza</p>\n"
         "<div class=\"campo-casilla\"><input type=\"radio\" id=\"f-decision-12\" "
         "name=\"decision\" value=\"verificar\" required "
         "aria-describedby=\"f-decision-12-error\"><label "
         "for=\"f-decision-12\">Verificar</label></div>\n"
         "<div class=\"campo-casilla\"><input type=\"radio\" id=\"f-decision-12-rechazar\" "
         "name=\"decision\" value=\"rechazar\" required checked "
         "aria-describedby=\"f-decision-12-error\"><label "
         "for=\"f-decision-12-rechazar\">Rechazar &lt;ya&gt;</label></div>\n"
         "</fieldset>\n");
  free(z);
  form_reset(&f);
}

Test(page_form, hint_and_error_both_describe_each_radio) {
  static const Choice aType[] = {{"peticion", "Petición", NULL}, {"queja", "Queja", NULL}};
  Form f = {0};
  form_error(&f, "tipo", "Elija el tipo de solicitud.");
  RadioGroup g = {.zName = "tipo", .zLegend = "Tipo", .zHint = "En días hábiles."};
  char *z = group_dup(&f, &g, 2, aType);
  cr_expect(strstr(z, "<p id=\"f-tipo-ayuda\" class=\"ayuda\">En días hábiles.</p>") != NULL, "%s",
            z);
  cr_expect(strstr(z, "id=\"f-tipo\" name=\"tipo\" value=\"peticion\" "
                      "aria-describedby=\"f-tipo-ayuda f-tipo-error\">") != NULL,
            "%s", z);
  cr_expect(strstr(z, "id=\"f-tipo-queja\"") != NULL, "%s", z);
  cr_expect(strstr(z, "required") == NULL, "not required unless asked: %s", z);
  free(z);
  form_reset(&f);
}
