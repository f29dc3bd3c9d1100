/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The pages of the action plan: the public plan (public_web.c), progress
** reports and their verification (progress_web.c), and planeación's
** editing and plan upload (plan_web.c).
*/
#ifndef PARTICIPA_PLAN_PLAN_WEB_H
#define PARTICIPA_PLAN_PLAN_WEB_H

#include "app/web.h"

/* public_web.c: the public plan and its open data. */
void page_overview(Request *r);
void page_activities(Request *r);
void page_activity(Request *r);
void page_evidence(Request *r);
void page_open_data_csv(Request *r);
void page_open_data_json(Request *r);
void page_open_data_doc(Request *r);

/* progress_web.c: a responsable reports, control interno verifies. */
void page_report_form(Request *r);
void post_report(Request *r);
void page_queue(Request *r);
void post_review(Request *r);

/* plan_web.c: planeación edits the plan and uploads plan files. */
void page_edit_activity(Request *r);
void post_edit_activity(Request *r);
void page_upload_plan(Request *r);
void post_upload_plan(Request *r);
void post_confirm_plan(Request *r);

/* The plan the pages show: the most recently imported, 0 when none. */
int64_t plan_web_current(Request *r);

/* The number of progress reports of the plan the pages show that wait for
** verification (0 without a plan), for the panel (its entry in
** plan_module.c). Database errors end the request. */
long plan_web_queue_count(Request *r);

/* The plan's menu entries (plan_module.c), the PageNav of its pages. */
#define NAV_OVERVIEW   "/"
#define NAV_ACTIVITIES "/actividades"
#define NAV_DATA       "/datos"
#define NAV_REPORT     "/reportar"
#define NAV_QUEUE      "/verificacion"
#define NAV_PLAN       "/plan/cargar"

#endif
