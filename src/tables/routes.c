/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The route table of the web application: every path the server answers,
** with its method, the capability it requires (auth.h CAP_*: any one of the
** letters given; NULL = public), CSRF and upload flags, and body limit. The
** server's dispatcher and web_authorize() decide everything from here;
** handlers only add ownership checks (a responsable's own activities). The
** HTTP tests walk this table, so a route added here is tested for every role.
**
** Order matters where patterns overlap: the first match wins, so literal
** segments come before a parameter in the same place.
*/
#include "admin/admin_web.h"
#include "auth/auth_web.h"
#include "calendar/calendar_web.h"
#include "ops/ops.h"
#include "plan/plan_web.h"
#include "pqrsd/pqrsd_web.h"
#include "privacy/privacy_web.h"
#include "retos/retos_web.h"
#include "web/web.h"

#define UP ((size_t)0) /* upload routes: the limit is the server's --max-upload */

/* the panel's count of reports to verify comes from the plan area */
long (*const auth_panel_verify_count)(Request *r) = plan_web_queue_count;

const Route aWebRoute[] = {
    /* ---- public ---- */
    {"GET", "/", page_overview, 0, NULL, 0},
    {"GET", "/actividades", page_activities, 0, NULL, 0},
    {"GET", "/actividad/{item}", page_activity, 0, NULL, 0},
    {"GET", "/evidencia/{id}", page_evidence, 0, NULL, 0},
    {"GET", "/datos", page_open_data_doc, 0, NULL, 0},
    {"GET", "/datos/plan.csv", page_open_data_csv, 0, NULL, 0},
    {"GET", "/datos/plan.json", page_open_data_json, 0, NULL, 0},
    {"GET", "/datos/pqrsd.csv", page_pqrsd_open_csv, 0, NULL, 0},
    {"GET", "/datos/pqrsd.json", page_pqrsd_open_json, 0, NULL, 0},
    {"GET", "/pqrsd", page_pqrsd_form, 0, NULL, 0},
    {"POST", "/pqrsd", post_pqrsd, ROUTE_CSRF | ROUTE_UPLOAD, NULL, UP},
    {"GET", "/pqrsd/consulta", page_pqrsd_status, 0, NULL, 0},
    {"POST", "/pqrsd/consulta", post_pqrsd_status, ROUTE_CSRF, NULL, 0},
    {"GET", "/pqrsd/informe", page_pqrsd_report, 0, NULL, 0},
    {"GET", "/salud", health_page, 0, NULL, 0},
    {"GET", "/static/{file}", page_asset, 0, NULL, 0},
    {"GET", "/logo", page_logo, 0, NULL, 0},

    /* ---- participation channels and open challenges (retos) ---- */
    {"GET", "/participa", page_participa, 0, NULL, 0},
    {"GET", "/participa/boton", page_participa_button, 0, NULL, 0},
    {"GET", "/retos", page_retos, 0, NULL, 0},
    {"GET", "/retos/nuevo", page_reto_new, 0, "p", 0},
    {"POST", "/retos/nuevo", post_reto_new, ROUTE_CSRF, "p", 0},
    {"GET", "/retos/moderacion", page_retos_moderation, 0, "p", 0},
    {"POST", "/retos/propuesta/{id}", post_propuesta, ROUTE_CSRF, "p", 0},
    {"POST", "/retos/limite", post_retos_limit, ROUTE_CSRF, "a", 0},
    {"GET", "/retos/{reto}", page_reto, 0, NULL, 0},
    {"POST", "/retos/{reto}", post_reto_proposal, ROUTE_CSRF, NULL, RETOS_FORM_MAX_BODY},
    {"GET", "/retos/{reto}/editar", page_reto_edit, 0, "p", 0},
    {"POST", "/retos/{reto}/editar", post_reto_edit, ROUTE_CSRF, "p", 0},

    /* ---- signing in ---- */
    {"GET", "/entrar", page_login, 0, NULL, 0},
    {"POST", "/entrar", post_login, ROUTE_CSRF, NULL, 0},
    {"POST", "/salir", post_logout, ROUTE_CSRF, "u", 0},
    {"GET", "/cuenta/clave", page_password, 0, "u", 0},
    {"POST", "/cuenta/clave", post_password, ROUTE_CSRF, "u", 0},
    {"GET", "/panel", page_panel, 0, "u", 0},

    /* ---- a responsable reports progress; control interno verifies ---- */
    {"GET", "/reportar", page_report_form, 0, "r", 0},
    {"GET", "/reportar/{item}", page_report_form, 0, "r", 0},
    {"POST", "/reportar/{item}", post_report, ROUTE_CSRF | ROUTE_UPLOAD, "r", UP},
    {"GET", "/verificacion", page_queue, 0, "v", 0},
    {"POST", "/verificacion/{id}", post_review, ROUTE_CSRF, "v", 0},

    /* ---- PQRSD back office (control interno reads through 'v', without acting) ---- */
    {"GET", "/pqrsd/bandeja", page_pqrsd_inbox, 0, "qv", 0},
    {"GET", "/pqrsd/bandeja/{radicado}", page_pqrsd_detail, 0, "qv", 0},
    {"POST", "/pqrsd/bandeja/{radicado}", post_pqrsd_action, ROUTE_CSRF | ROUTE_UPLOAD, "q", UP},
    {"GET", "/pqrsd/bandeja/{radicado}/archivo/{archivo}", page_pqrsd_file, 0, "qv", 0},

    /* ---- planeación ---- */
    {"GET", "/plan/actividad/{item}", page_edit_activity, 0, "p", 0},
    {"POST", "/plan/actividad/{item}", post_edit_activity, ROUTE_CSRF, "p", 0},
    {"GET", "/plan/cargar", page_upload_plan, 0, "p", 0},
    {"POST", "/plan/cargar", post_upload_plan, ROUTE_CSRF | ROUTE_UPLOAD, "p", UP},
    {"POST", "/plan/confirmar", post_confirm_plan, ROUTE_CSRF, "p", 0},

    /* ---- administrador (control interno reads the audit log too) ---- */
    {"GET", "/admin/usuarios", page_users, 0, "a", 0},
    {"POST", "/admin/usuarios", post_user_add, ROUTE_CSRF, "a", 0},
    {"POST", "/admin/usuarios/{login}", post_user_update, ROUTE_CSRF, "a", 0},
    {"POST", "/admin/intentos", post_login_unlock, ROUTE_CSRF, "a", 0},
    {"GET", "/admin/dependencias", page_offices, 0, "a", 0},
    {"POST", "/admin/dependencias", post_office_merge, ROUTE_CSRF, "a", 0},
    {"GET", "/admin/ajustes", page_settings, 0, "a", 0},
    {"POST", "/admin/ajustes", post_settings, ROUTE_CSRF | ROUTE_UPLOAD, "a", UP},
    {"GET", "/admin/calendario", page_calendar, 0, "a", 0},
    {"POST", "/admin/calendario", post_calendar, ROUTE_CSRF, "a", 0},
    {"GET", "/admin/auditoria", page_audit, 0, "av", 0},
    {"GET", "/admin/pqrsd", page_pqrsd_terms, 0, "a", 0},
    {"POST", "/admin/pqrsd", post_pqrsd_terms, ROUTE_CSRF, "a", 0},
    {"GET", "/admin/datos-personales", page_privacy_admin, 0, "a", 0},
    {"POST", "/admin/datos-personales", post_privacy_admin, ROUTE_CSRF, "a", 0},
    {"GET", "/datos-personales", page_privacy_titular, 0, "p", 0},
    {"POST", "/datos-personales", post_privacy_titular, ROUTE_CSRF, "p", 0},
};

const int nWebRoute = (int)(sizeof aWebRoute / sizeof aWebRoute[0]);
