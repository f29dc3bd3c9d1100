/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The web application's glue to the server core: the authorization and CSRF
** hooks, the session of each request, the CSRF token forms carry, and a
** small cache of public pages.
**
** Authorization: the session cookie (if any) is loaded for every request,
** so public pages can show who is signed in. A route naming capabilities
** needs a session whose role has one of them: without a session a GET is
** redirected to the login page (which returns there afterwards) and a POST
** gets 403; with the wrong role, 403. A user whose password was set by
** someone else is sent to the password page first.
**
** CSRF: every POST route carries ROUTE_CSRF. The request must not come from
** another site (Sec-Fetch-Site, Origin) and its "csrf" field must equal the
** session's token, or, for the public (the login form), the value of the
** participa_csrf cookie (double submit). Multipart forms carry the field as
** a part.
**
** The page cache: pages that are the same for every anonymous visitor
** (overview, open data) are kept per URL and served again while the
** database has not changed (the audit log's last id, which every change
** writes) and the day is the same. Entries are few and bounded; a mutex
** guards them.
*/
#include "app/web.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "web/html.h"
#include "web/multipart.h"

/* What the web layer keeps per request (request_set_data). */
typedef struct WebReq {
  bool bSession;                       /* sess is loaded */
  bool bCacheToken;                    /* iCacheToken was read by web_cache_reply */
  int64_t iCacheToken;                 /* the token the page being built is valid for */
  Session sess;                        /* the signed-in user */
  char zCsrfNew[AUTH_TOKEN_CHARS + 1]; /* double-submit token created for this response */
} WebReq;

static void webreq_free(void *p) {
  WebReq *q = p;
  if (q->bSession) {
    auth_session_free(&q->sess);
  }
  free(q);
}

/* The request's WebReq, created on first use. */
static WebReq *webreq(Request *r) {
  WebReq *q = request_data(r);
  if (q == NULL) {
    q = xcalloc(1, sizeof *q);
    request_set_data(r, q, webreq_free);
  }
  return q;
}

const Session *web_session(const Request *r) {
  const WebReq *q = request_data(r);
  return (q && q->bSession) ? &q->sess : NULL;
}

const char *web_actor(const Request *r) {
  const Session *pSess = web_session(r);
  return pSess ? pSess->zLogin : "web";
}

const WebApp *web_app(const Request *r) {
  return request_app(r);
}


/* True when z looks like one of our tokens (base64url, exact length). */
static bool token_shape(const char *z) {
  if (z == NULL || strlen(z) != AUTH_TOKEN_CHARS) {
    return false;
  }
  for (const char *p = z; *p; p++) {
    char c = *p;
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
          c == '-' || c == '_')) {
      return false;
    }
  }
  return true;
}

/* Cookie attributes every cookie of ours carries. */
static void cookie_attrs(Request *r, Buf *pOut) {
  buf_puts(pOut, "; Path=/; HttpOnly; SameSite=Lax");
  if (web_app(r)->bSecureCookie) {
    buf_puts(pOut, "; Secure");
  }
}

const char *web_csrf_token(Request *r) {
  const Session *pSess = web_session(r);
  if (pSess) {
    return pSess->zCsrf;
  }
  const char *zCookie = request_cookie(r, WEB_CSRF_COOKIE);
  if (token_shape(zCookie)) {
    return zCookie;
  }
  WebReq *q = webreq(r);
  if (q->zCsrfNew[0] == 0) {
    auth_random_token(q->zCsrfNew);
  }
  /* set (again) on this response: error pages drop headers set before */
  Buf cookie = BUF_INIT;
  buf_appendf(&cookie, "%s=%s", WEB_CSRF_COOKIE, q->zCsrfNew);
  cookie_attrs(r, &cookie);
  response_header(r, "Set-Cookie", buf_str(&cookie));
  buf_reset(&cookie);
  return q->zCsrfNew;
}

void web_set_session_cookie(Request *r, const char *zToken) {
  Buf cookie = BUF_INIT;
  if (zToken) {
    buf_appendf(&cookie, "%s=%s", WEB_SESSION_COOKIE, zToken);
    cookie_attrs(r, &cookie);
    buf_appendf(&cookie, "; Max-Age=%d", SESSION_MAX_SEC);
  } else {
    buf_appendf(&cookie, "%s=", WEB_SESSION_COOKIE);
    cookie_attrs(r, &cookie);
    buf_puts(&cookie, "; Max-Age=0");
  }
  response_header(r, "Set-Cookie", buf_str(&cookie));
  buf_reset(&cookie);
}

/* Load the session named by the cookie, if any and valid. */
static void load_session(Request *r) {
  const char *zToken = request_cookie(r, WEB_SESSION_COOKIE);
  Db *db = request_db(r);
  if (!token_shape(zToken) || db == NULL) {
    return;
  }
  Session sess;
  if (auth_session_load(db, zToken, &sess)) {
    WebReq *q = webreq(r);
    q->sess = sess;
    q->bSession = true;
  }
}

/* True when the route's capability letters include one of the role's. */
static bool role_allows(Role e, const char *zCaps) {
  for (const char *p = zCaps; *p; p++) {
    if (auth_role_can(e, *p)) {
      return true;
    }
  }
  return false;
}

bool web_authorize(Request *r, const Route *pRoute, int *piStatus) {
  load_session(r);
  if (pRoute->zCapability == NULL) {
    return true;
  }
  const Session *pSess = web_session(r);
  bool bGet = strcmp(pRoute->zMethod, "GET") == 0;
  if (pSess == NULL) {
    if (!bGet) {
      *piStatus = 403;
      return false;
    }
    Buf to = BUF_INIT;
    buf_puts(&to, "/entrar");
    html_url_query(&to, "volver", request_path(r), true);
    response_redirect(r, buf_str(&to));
    buf_reset(&to);
    return false;
  }
  if (pSess->bMustChange && strcmp(pRoute->zPattern, "/cuenta/clave") != 0 &&
      strcmp(pRoute->zPattern, "/salir") != 0) {
    if (!bGet) {
      *piStatus = 403;
      return false;
    }
    response_redirect(r, "/cuenta/clave");
    return false;
  }
  if (!role_allows(pSess->eRole, pRoute->zCapability)) {
    *piStatus = 403;
    return false;
  }
  return true;
}

/* True when the request says it comes from another site. Browsers send
** Sec-Fetch-Site (and Origin on POST); tools and old browsers may send
** neither, and are then judged by the token alone. */
static bool cross_site(Request *r) {
  const char *zSite = request_header(r, "Sec-Fetch-Site");
  if (zSite && strcmp(zSite, "same-origin") != 0 && strcmp(zSite, "none") != 0) {
    return true;
  }
  const char *zOrigin = request_header(r, "Origin");
  const char *zHost = request_header(r, "Host");
  if (zOrigin == NULL || strcmp(zOrigin, "null") == 0) {
    return zOrigin != NULL;
  }
  const char *zRest = strstr(zOrigin, "://");
  return zHost == NULL || zRest == NULL || strcmp(zRest + 3, zHost) != 0;
}

/* The csrf field of the request: a form field, or a part of a multipart body. */
static char *csrf_field_dup(Request *r) {
  const char *z = request_form(r, WEB_CSRF_FIELD);
  if (z) {
    return xstrdup(z);
  }
  size_t nBody = 0;
  const char *pBody = request_body(r, &nBody);
  const char *zType = request_header(r, "Content-Type");
  if (pBody == NULL || zType == NULL) {
    return NULL;
  }
  if (strncasecmp(zType, "application/x-www-form-urlencoded", 33) == 0) {
    /* an upload route sent a plain form: tokens need no decoding, so the
    ** raw field is compared as it is */
    for (size_t i = 0; i + 5 <= nBody; i++) {
      if ((i == 0 || pBody[i - 1] == '&') && memcmp(pBody + i, WEB_CSRF_FIELD "=", 5) == 0) {
        size_t n = 0;
        while (i + 5 + n < nBody && pBody[i + 5 + n] != '&') {
          n++;
        }
        return xstrndup(pBody + i + 5, n);
      }
    }
    return NULL;
  }
  Multipart m;
  char *zErr = NULL;
  char *zOut = NULL;
  if (multipart_parse(zType, pBody, nBody, &m, &zErr)) {
    const char *zVal = multipart_value(&m, WEB_CSRF_FIELD);
    zOut = zVal ? xstrdup(zVal) : NULL;
    multipart_reset(&m);
  }
  free(zErr);
  return zOut;
}

bool web_csrf(Request *r, const Route *pRoute) {
  (void)pRoute;
  if (cross_site(r)) {
    return false;
  }
  char *zGiven = csrf_field_dup(r);
  bool bOk = false;
  const Session *pSess = web_session(r);
  if (zGiven == NULL) {
    bOk = false;
  } else if (pSess) {
    bOk = auth_csrf_ok(pSess, zGiven);
  } else {
    const char *zCookie = request_cookie(r, WEB_CSRF_COOKIE);
    if (token_shape(zCookie)) {
      Session fake;
      memset(&fake, 0, sizeof fake);
      memcpy(fake.zCsrf, zCookie, AUTH_TOKEN_CHARS + 1);
      bOk = auth_csrf_ok(&fake, zGiven);
    }
  }
  free(zGiven);
  return bOk;
}

Route *web_routes_dup(size_t nMaxUpload) {
  Route *a = xmalloc(sizeof(Route) * (size_t)nWebRoute);
  memcpy(a, aWebRoute, sizeof(Route) * (size_t)nWebRoute);
  for (int i = 0; i < nWebRoute; i++) {
    if (a[i].flags & ROUTE_UPLOAD) {
      a[i].nMaxBody = nMaxUpload;
    }
  }
  return a;
}

/* ---- the page cache ---------------------------------------------------------------- */

#define WEB_CACHE_SLOTS 32

typedef struct CacheEntry {
  char *zKey;     /* path and query (owned), NULL when the slot is free */
  int64_t iToken; /* the audit log's last id when it was built */
  Day day;        /* the day it was built */
  char *zType;    /* Content-Type (owned) */
  char *pBody;    /* the body (owned) */
  size_t nBody;   /* its length */
} CacheEntry;

struct WebCache {
  pthread_mutex_t mutex;             /* guards everything below */
  CacheEntry aEntry[WEB_CACHE_SLOTS]; /* the entries */
  int iNext;                         /* slot replaced next when none is free */
  long nHit, nMiss;                  /* counters */
};

WebCache *web_cache_new(void) {
  WebCache *c = xcalloc(1, sizeof *c);
  pthread_mutex_init(&c->mutex, NULL);
  return c;
}

static void entry_clear(CacheEntry *e) {
  free(e->zKey);
  free(e->zType);
  free(e->pBody);
  memset(e, 0, sizeof *e);
}

void web_cache_free(WebCache *c) {
  if (c == NULL) {
    return;
  }
  for (int i = 0; i < WEB_CACHE_SLOTS; i++) {
    entry_clear(&c->aEntry[i]);
  }
  pthread_mutex_destroy(&c->mutex);
  free(c);
}

/* The token a cached page is valid for: the audit log's newest entry, which
** every committed change adds to. */
static int64_t cache_token(Request *r) {
  Db *db = request_db(r);
  return db ? audit_last_id(db) : 0;
}

/* True when this request's page may come from or go to the cache: a
** visitor without a session, no notice (page_begin shows "?aviso=",
** which the page's own key does not name), and no database failure met. */
static bool cacheable(Request *r) {
  Db *db = request_db(r);
  /* a page built after a database failure is incomplete: never kept */
  return web_app(r)->pCache != NULL && web_session(r) == NULL &&
         request_query(r, "aviso") == NULL && (db == NULL || db_fault(db) == NULL);
}

bool web_cache_reply(Request *r, const char *zKey, const char *zType) {
  WebCache *c = web_app(r)->pCache;
  if (!cacheable(r)) {
    return false;
  }
  int64_t iToken = cache_token(r);
  /* a page built now reflects at least this token: web_cache_keep stores it
  ** under this one, so a change committed meanwhile only makes a miss */
  WebReq *q = webreq(r);
  q->iCacheToken = iToken;
  q->bCacheToken = true;
  Day today = clock_today();
  bool bHit = false;
  pthread_mutex_lock(&c->mutex);
  for (int i = 0; i < WEB_CACHE_SLOTS; i++) {
    CacheEntry *e = &c->aEntry[i];
    if (e->zKey && strcmp(e->zKey, zKey) == 0 && e->iToken == iToken && e->day == today &&
        strcmp(e->zType, zType) == 0) {
      Buf *pOut = request_body_out(r);
      buf_clear(pOut);
      buf_append(pOut, e->pBody, e->nBody);
      bHit = true;
      break;
    }
  }
  if (bHit) {
    c->nHit++;
  } else {
    c->nMiss++;
  }
  pthread_mutex_unlock(&c->mutex);
  if (bHit) {
    response_type(r, zType);
    response_status(r, 200);
  }
  return bHit;
}

void web_cache_keep(Request *r, const char *zKey, const char *zType) {
  WebCache *c = web_app(r)->pCache;
  if (!cacheable(r) || response_get_status(r) != 200) {
    return;
  }
  const WebReq *q = request_data(r);
  int64_t iToken = (q && q->bCacheToken) ? q->iCacheToken : cache_token(r);
  Day today = clock_today();
  const Buf *pOut = request_body_out(r);
  pthread_mutex_lock(&c->mutex);
  CacheEntry *pSlot = NULL;
  for (int i = 0; i < WEB_CACHE_SLOTS && pSlot == NULL; i++) {
    if (c->aEntry[i].zKey && strcmp(c->aEntry[i].zKey, zKey) == 0) {
      pSlot = &c->aEntry[i];
    }
  }
  for (int i = 0; i < WEB_CACHE_SLOTS && pSlot == NULL; i++) {
    if (c->aEntry[i].zKey == NULL) {
      pSlot = &c->aEntry[i];
    }
  }
  if (pSlot == NULL) {
    pSlot = &c->aEntry[c->iNext];
    c->iNext = (c->iNext + 1) % WEB_CACHE_SLOTS;
  }
  entry_clear(pSlot);
  pSlot->zKey = xstrdup(zKey);
  pSlot->zType = xstrdup(zType);
  pSlot->iToken = iToken;
  pSlot->day = today;
  pSlot->nBody = pOut->n;
  pSlot->pBody = xmalloc(pOut->n + 1);
  memcpy(pSlot->pBody, buf_str(pOut), pOut->n + 1);
  pthread_mutex_unlock(&c->mutex);
}
