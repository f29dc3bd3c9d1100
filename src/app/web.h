/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The web application on top of the server core: its context, the session
** of the request, the route table (gathered by src/app/module.c) and the hooks.
** Each domain area keeps its own pages beside its model and CLI
** (src/plan/plan_web.c, src/auth/auth_web.c, src/pqrsd/pqrsd_web.c, ...): they
** build pages with page.h, read and write with the same functions the CLI
** uses, and decide ownership (a responsable acts only on its offices'
** activities) on top of the capability the route table already checked.
**
** Conventions every handler follows:
**   - GET pages never write; POST handlers write in one transaction, then
**     answer 303 to a GET page (post/redirect/get) with a notice code in the
**     query ("?aviso=avance-reportado"), or re-render the form with 422 and
**     the errors beside each field when the input is wrong (nothing stored);
**   - a missing object is 404 (response_error), never an empty page;
**   - every text comes from the request or the database and goes through
**     the HTML writer: no handler writes markup by hand.
*/
#ifndef PARTICIPA_APP_WEB_H
#define PARTICIPA_APP_WEB_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/auth.h"
#include "db/batch.h"
#include "web/server.h"

typedef struct WebCache WebCache; /* public pages kept between requests (web.c) */

/* What every handler may read (ServerConfig.pApp). Read-only while the
** server runs. */
typedef struct WebApp {
  const char *zDbPath;   /* the database */
  const char *zDataDir;  /* evidence files, the entity logo */
  bool bSecureCookie;    /* add Secure to cookies (served over TLS / behind one) */
  size_t nMaxUpload;     /* upload limit in bytes (evidence, plan files, logo) */
  WebCache *pCache;      /* the page cache (guarded inside), NULL = none */
  Batch *pBatch;         /* group-commit writer for durable submissions (db/batch.h), NULL = none */
} WebApp;

/* Cookie names. */
#define WEB_SESSION_COOKIE "participa_sesion"
#define WEB_CSRF_COOKIE "participa_csrf" /* double-submit token before login */
/* The form field every POST form carries. */
#define WEB_CSRF_FIELD "csrf"

/* The route table, gathered from the modules' declarations
** (src/<name>/<name>_module.c) by src/app/module.c before main runs, sorted
** so that literal segments come before parameters where both could match. */
extern const Route *aWebRoute;
extern int nWebRoute;

/* A copy of the route table for server_start() with the upload limit
** nMaxUpload on every ROUTE_UPLOAD route (caller frees). */
Route *web_routes_dup(size_t nMaxUpload);

/* The server hooks (web.c). */
bool web_authorize(Request *r, const Route *pRoute, int *piStatus);
bool web_csrf(Request *r, const Route *pRoute);

/* The session of this request, or NULL for the public. */
const Session *web_session(const Request *r);
/* The login that acts on this request, as the change log names it: the
** signed-in user's (the route table guarantees one on every route that
** writes), or "web" without a session. Borrowed for the request. */
const char *web_actor(const Request *r);
/* The CSRF token forms on this page must carry: the session's, or for the
** public the double-submit token (set as a cookie on the response when the
** request had none). */
const char *web_csrf_token(Request *r);
/* The WebApp. */
const WebApp *web_app(const Request *r);
/* Set (zToken) or clear (NULL) the session cookie on the response. */
void web_set_session_cookie(Request *r, const char *zToken);

/* The page cache, for pages that are the same for every anonymous visitor.
** A handler starts with
**     if (web_cache_reply(r, zKey, zType)) return;
** and ends, once its response is built, with web_cache_keep(r, zKey, zType).
** zKey names the page with everything it depends on (path and the query
** fields it reads). A kept page is served until the database changes (any
** audit log entry) or the day changes; signed-in users are never served from
** or stored in the cache, nor pages showing a notice ("?aviso="), and only
** 200 responses are kept. */
WebCache *web_cache_new(void);
void web_cache_free(WebCache *c);
bool web_cache_reply(Request *r, const char *zKey, const char *zType);
void web_cache_keep(Request *r, const char *zKey, const char *zType);

/* src/app/assets.c: compiled-in CSS and icons; the entity logo. The pages
** of each area are declared in that area's *_web.h (src/auth/auth_web.h,
** src/plan/plan_web.h, src/admin/admin_web.h, src/calendar/calendar_web.h,
** src/pqrsd/pqrsd_web.h, src/retos/retos_web.h). */
void page_asset(Request *r);
void page_logo(Request *r);

#endif
