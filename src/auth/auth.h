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
** Throttling never locks an account: it slows guessing with growing
** delays, counted over the failures of the last AUTH_WINDOW_SEC, and each
** delay runs from the newest failure it counts:
**   - the pair (account as typed, address): after AUTH_PAIR_FREE failures
**     it waits 1 s, then 2, 4, 8 ... up to AUTH_PAIR_CAP_SEC;
**   - one address across accounts: after AUTH_ADDR_FREE failures, 1 s, 2,
**     4 ... up to AUTH_VALVE_CAP_SEC;
**   - one account across addresses (a safety valve against distributed
**     guessing): after AUTH_ACCOUNT_FREE failures, 1 s, 2, 4 ... up to
**     AUTH_VALVE_CAP_SEC.
** An address from which the account signed in within AUTH_TRUST_SEC is not
** slowed by the last two (only by its own pair's failures), so others'
** failures, behind a shared proxy or spread over many addresses, never keep
** an official out of a place it already used. Attempts refused while
** waiting are not counted and do not check the password. A failed attempt
** for an unknown account costs the same time as one for a known account and
** gives the same answer. The administrador can clear the failures of an
** account or of an address (auth_user_unlock, auth_address_unlock).
**
** What is kept: failures hold the address and the login as typed for the
** window only (auth_prune deletes them, on every login and when the server
** calls it); a successful login keeps only a keyed hash of its address, for
** AUTH_TRUST_SEC. The change log gets one entry per limit, key and window
** when an attempt is refused, naming the account (or "usuario
** desconocido" when the typed name is no account) and the address cut to
** its network (IPv4 /24, IPv6 /48), never the login as typed nor the full
** address.
**
** Every change (user added, password changed, disabled, login refused
** because of throttling) goes to the audit log through audit_log(). Time comes
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
#define AUTH_WINDOW_SEC (15 * 60)      /* failures older than this are forgotten and deleted */
#define AUTH_PAIR_FREE 5               /* failures of one account from one address before
                                          the first delay */
#define AUTH_ADDR_FREE 30              /* failures from one address, any account */
#define AUTH_ACCOUNT_FREE 10           /* failures of one account, any address */
#define AUTH_PAIR_CAP_SEC 300          /* longest delay of a pair */
#define AUTH_VALVE_CAP_SEC 60          /* longest delay by address or by account */
#define AUTH_TRUST_SEC (30 * 24 * 3600) /* a successful login's address is trusted this long */
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
/* The delay after nFail failures of one kind in the window, for a limit
** that lets nFree pass and grows to nCap: 0 below nFree, else 2^(nFail -
** nFree) seconds, at most nCap. Cannot fail. */
int auth_throttle_delay(int nFail, int nFree, int nCap);
/* Delete what throttling no longer needs: failures older than the window,
** trust older than AUTH_TRUST_SEC, and sessions past their limits. Runs on
** every login; a server calls it daily too. Returns the rows deleted. */
int auth_prune(Db *db);
/* The network of address zAddr for the change log: "203.0.113.0/24" for an
** IPv4 address (also IPv4-mapped IPv6), "2001:db8:1::/48" for IPv6; "" when
** zAddr is not an address. Caller frees. */
char *auth_address_mask_dup(const char *zAddr);
/* Clear the failures of account zLogin (any address), so that it can try
** again without waiting; logged naming the account. *pnCleared gets the
** failures cleared (may be NULL). False with *pzErr (Spanish, caller frees)
** when there is no such account. */
bool auth_user_unlock(Db *db, const char *zLogin, const char *zActor, int *pnCleared,
                      char **pzErr);
/* Clear the failures from address zAddr (any account); logged without the
** address. Returns the failures cleared (0: nothing to clear, nothing
** logged). */
int auth_address_unlock(Db *db, const char *zAddr, const char *zActor);
/* Failures of account zLogin in the window and, in *pnWaitSec, the longest
** wait one of its pairs has now (0: none). Unknown accounts: 0. */
int auth_user_failures(Db *db, const char *zLogin, int *pnWaitSec);

/* An address with failures in the window, for the administrador. */
typedef struct ThrottleInfo {
  char *zAddr;   /* the address as received (owned) */
  int nFail;     /* its failures in the window */
  int nAccount;  /* distinct logins tried from it */
  int nWaitSec;  /* the longest wait it has now: its own or one of its pairs' */
} ThrottleInfo;

/* The addresses with failures in the window, most failures first. Returns
** the count; free with auth_throttles_free. */
int auth_throttles(Db *db, ThrottleInfo **paOut);
void auth_throttles_free(int n, ThrottleInfo *a);
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
