/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Accounts, roles, sessions and login throttling (DOMAIN.md §1).
**
** Users have a login name, a full name, one role and, for a responsable, the
** offices it reports for. Passwords are hashed with argon2id (libsodium
** crypto_pwhash_str, t=2, m=19 MiB: the OWASP minimum, so that a handful of
** concurrent logins fit in a small server). A login creates a session: a
** random 32-byte token given to the browser (base64url, 43 characters) and
** stored only as its SHA-256; each session also has its own random CSRF
** token. Sessions expire after SESSION_IDLE_SEC without use and after
** SESSION_MAX_SEC in any case; logout and disabling the user end them.
**
** Throttling: after AUTH_MAX_FAIL_USER failed logins for one account, or
** AUTH_MAX_FAIL_ADDR from one address, within AUTH_WINDOW_SEC, further
** attempts are refused without checking the password until the window has
** passed; the caller is told how long to wait. A failed attempt for an
** unknown account costs the same time as one for a known account and gives
** the same answer.
**
** Every change (user added, password changed, disabled, login refused
** because of throttling) goes to the audit log through plan_log(). Time comes
** from clock_now_unix() so that tests can fix it.
*/
#ifndef PARTICIPA_AUTH_AUTH_H
#define PARTICIPA_AUTH_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "db/db.h"

typedef enum Role {
  ROLE_NONE = 0,     /* nobody signed in: the public */
  ROLE_ADMIN,        /* administrador */
  ROLE_PLANEACION,   /* planeacion */
  ROLE_RESPONSABLE,  /* responsable */
  ROLE_CONTROL,      /* control-interno */
  ROLE__COUNT
} Role;

/* Capability letters a route may require (Route.zCapability): */
#define CAP_USER 'u'     /* any signed-in user */
#define CAP_REPORT 'r'   /* report progress (responsable) */
#define CAP_VERIFY 'v'   /* verify or reject progress (control interno) */
#define CAP_PLAN 'p'     /* edit the plan, targets, upload a plan (planeación, administrador) */
#define CAP_ADMIN 'a'    /* users, offices, settings (administrador) */
#define CAP_PQRSD 'q'    /* attend PQRSD: inbox and actions (administrador and planeación on
                            all; a responsable on its offices'); control interno reads
                            them through CAP_VERIFY, without actions */

#define SESSION_IDLE_SEC (8 * 3600)    /* a session unused this long ends */
#define SESSION_MAX_SEC (24 * 3600)    /* and none lasts longer than this */
#define AUTH_WINDOW_SEC (15 * 60)      /* throttling window */
#define AUTH_MAX_FAIL_USER 5           /* failures per account in the window */
#define AUTH_MAX_FAIL_ADDR 20          /* failures per address in the window */
#define AUTH_MIN_PASSWORD 10           /* characters (code points) a password needs */
#define AUTH_TOKEN_CHARS 43            /* session and CSRF tokens, base64url of 32 bytes */

/* "administrador", "planeacion", "responsable", "control-interno"; "" for
** ROLE_NONE. */
const char *auth_role_name(Role e);
/* The Spanish label for pages: "Administrador", "Planeación", "Responsable",
** "Control interno"; "Ciudadano" for ROLE_NONE. */
const char *auth_role_label(Role e);
/* Parse a role name (as auth_role_name gives, case-insensitive; also
** "planeación" and "control interno"). False when unknown. */
bool auth_role_parse(const char *z, Role *pOut);
/* The capability letters of a role ("uapq" for the administrador). */
const char *auth_role_caps(Role e);
/* True when role e has capability letter c. */
bool auth_role_can(Role e, char c);

/* A signed-in user, as loaded for one request. Owned strings. */
typedef struct Session {
  int64_t iSession;                  /* session row id */
  int64_t iUser;                     /* user id */
  char *zLogin;                      /* login name, the actor in the audit log */
  char *zFullName;                   /* full name ("" when none) */
  Role eRole;                        /* role */
  int nOffice;                       /* offices of a responsable */
  int64_t *aiOffice;                 /* their ids */
  char **azOffice;                   /* their names */
  bool bMustChange;                  /* the password was set by someone else: change it */
  char zCsrf[AUTH_TOKEN_CHARS + 1];  /* this session's CSRF token */
} Session;

/* A user as listed. */
typedef struct UserInfo {
  int64_t id;
  char *zLogin;
  char *zFullName;
  Role eRole;
  bool bDisabled;
  char *zOffices;   /* office names joined by "; " ("" when none) */
  char *zLastLogin; /* ISO UTC timestamp, "" when never */
} UserInfo;

/* Add a user. zPassword NULL generates a random one (16 characters from an
** alphabet without look-alikes) returned in *pzGenerated (caller frees);
** the user must then change it at first login. A responsable needs at
** least one office; offices are matched as the importer matches them
** (catalogue names and aliases, accent-insensitive) and an unknown office is
** an error naming it. Returns the user id, or 0 with *pzErr (Spanish, caller
** frees): login name taken or not [a-z0-9._-]{2,40}, password too short,
** unknown office. zActor is recorded in the audit log. */
int64_t auth_user_add(Db *db, const char *zLogin, const char *zFullName, Role eRole,
                      int nOffice, const char *const *azOffice, const char *zPassword,
                      char **pzGenerated, const char *zActor, char **pzErr);
/* Set a user's password (zPassword NULL generates one as above). bMustChange
** marks it to be changed at next login (an administrador resetting it).
** Ends the user's other sessions. */
bool auth_user_passwd(Db *db, const char *zLogin, const char *zPassword, bool bMustChange,
                      char **pzGenerated, const char *zActor, char **pzErr);
/* Disable (bDisable) or enable a user; disabling ends its sessions. The last
** enabled administrador cannot be disabled. */
bool auth_user_disable(Db *db, const char *zLogin, bool bDisable, const char *zActor,
                       char **pzErr);
/* Change role and offices of a user. */
bool auth_user_set_role(Db *db, const char *zLogin, Role eRole, int nOffice,
                        const char *const *azOffice, const char *zActor, char **pzErr);
/* All users ordered by login. Returns the count; free with auth_users_free. */
int auth_users(Db *db, UserInfo **paOut);
void auth_users_free(int n, UserInfo *a);
/* The listing of `participa user list` (Spanish, aligned columns). */
void auth_user_list_text(Db *db, Buf *pOut);
/* Number of enabled users with role e (ROLE_NONE: all enabled users). */
int auth_user_count(Db *db, Role e);

typedef enum LoginResult {
  LOGIN_OK = 0,    /* *pzToken holds the new session token */
  LOGIN_BAD,       /* unknown user, wrong password, or disabled: one answer */
  LOGIN_THROTTLED  /* too many failures: *pnWaitSec says how long to wait */
} LoginResult;

/* Check a login and create a session. zAddr is the client address (for
** throttling and the session record). On LOGIN_OK *pzToken gets the session
** token (caller frees). */
LoginResult auth_login(Db *db, const char *zLogin, const char *zPassword, const char *zAddr,
                       char **pzToken, int *pnWaitSec);
/* Load the session of token zToken if it is valid now (also touches its
** last-use time at most once a minute). Returns false when the token is
** unknown, expired, or its user disabled. Free with auth_session_free. */
bool auth_session_load(Db *db, const char *zToken, Session *pOut);
void auth_session_free(Session *p);
/* End the session of token zToken (unknown tokens are ignored). */
void auth_logout(Db *db, const char *zToken);
/* True when zToken equals the session's CSRF token (constant-time). */
bool auth_csrf_ok(const Session *p, const char *zToken);
/* A signed-in user changes its own password: zOld must match; zNew must be
** long enough and differ from zOld. Clears bMustChange, ends the user's other
** sessions. False with *pzErr (Spanish) naming what is wrong. */
bool auth_password_change(Db *db, Session *p, const char *zOld, const char *zNew, char **pzErr);
/* A random token of AUTH_TOKEN_CHARS base64url characters into z (which has
** room for AUTH_TOKEN_CHARS + 1). */
void auth_random_token(char *z);
/* True when a responsable session covers activity iActivity (one of its
** offices is linked to the activity). Other roles: false. */
bool auth_owns_activity(Db *db, const Session *p, int64_t iActivity);

#endif
