/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Accounts, roles, sessions and login throttling (see auth.h), with their
** SQL: the tables of migrations 0003 (app_user, user_office, session,
** login_failure) and 0009 (auth_key, login_trust). Cryptography is
** libsodium's: argon2id password hashes, SHA-256 of session tokens, keyed
** BLAKE2b of trusted addresses, random bytes and constant-time comparison.
**
** Does not speak HTTP (cookies, forms and pages are the web layer's) and
** does not decide which route needs which capability (the route table does).
*/
#include "auth/auth.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "base/hash.h"
#include "base/text.h"
#include "base/util.h"
#include "office/office.h"

/* argon2id cost: t=2 passes over m=19 MiB (auth.h explains the choice). */
#define AUTH_OPSLIMIT     2
#define AUTH_MEMLIMIT     ((size_t)19 * 1024 * 1024)
#define AUTH_MAX_PASSWORD 1024      /* bytes: longer input is refused before hashing */
#define AUTH_MAX_NAME     200       /* code points of a full name */
#define AUTH_MAX_LOGIN    40        /* characters of a login name */
#define AUTH_GEN_CHARS    16        /* characters of a generated password */
#define AUTH_TOUCH_SEC    60        /* last_seen_at is written at most this often */
#define AUTH_SYSTEM       "sistema" /* actor of entries nobody signed in caused */

/* A hash with the parameters above of a random password nobody knows: an
** unknown login is checked against it so that it costs what a known one
** costs. */
static const char zDummyHash[] = "$argon2id$v=19$m=19456,t=2,p=1$W3OeLoAEJZXaS1W69jsGEQ$"
                                 "J4wFFCGm0yKwmVByvqlPXDkq9o0df4DQ5j2s0pH6OJc";

/* Generated passwords avoid characters that look alike (0 O o, 1 l I). */
static const char zPwAlphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/* ---- roles ---------------------------------------------------------------------- */

static const struct RoleDef {
  const char *zName;  /* stored and typed name */
  const char *zLabel; /* Spanish label for pages */
  const char *zCaps;  /* capability letters */
} aRole[ROLE__COUNT] = {
    [ROLE_NONE] = {"", "Ciudadano", ""},
    [ROLE_ADMIN] = {"administrador", "Administrador", "uapq"},
    [ROLE_PLANEACION] = {"planeacion", "Planeación", "upq"},
    [ROLE_RESPONSABLE] = {"responsable", "Responsable", "urq"},
    [ROLE_CONTROL] = {"control-interno", "Control interno", "uv"},
};

/* e clamped to a valid role (an out-of-range value is a bug, read as none). */
static Role role_ok(Role e) {
  return (int)e >= 0 && e < ROLE__COUNT ? e : ROLE_NONE;
}

const char *auth_role_name(Role e) {
  return aRole[role_ok(e)].zName;
}

const char *auth_role_label(Role e) {
  return aRole[role_ok(e)].zLabel;
}

const char *auth_role_caps(Role e) {
  return aRole[role_ok(e)].zCaps;
}

bool auth_role_can(Role e, char c) {
  return c != 0 && strchr(auth_role_caps(e), c) != NULL;
}

bool auth_role_parse(const char *z, Role *pOut) {
  if (z == NULL) {
    return false;
  }
  /* folding takes care of case and accents ("Planeación"); a space stands
  ** for the hyphen of "control-interno" */
  char *zKey = text_fold_dup(z);
  for (char *p = zKey; *p; p++) {
    if (*p == ' ') {
      *p = '-';
    }
  }
  bool bFound = false;
  for (int i = ROLE_NONE + 1; i < ROLE__COUNT; i++) {
    if (strcmp(zKey, aRole[i].zName) == 0) {
      *pOut = (Role)i;
      bFound = true;
    }
  }
  free(zKey);
  return bFound;
}

/* The role stored as zName (ROLE_NONE for anything else, which the CHECK
** constraint makes impossible). */
static Role role_from_db(const char *zName) {
  for (int i = ROLE_NONE + 1; i < ROLE__COUNT; i++) {
    if (strcmp(zName, aRole[i].zName) == 0) {
      return (Role)i;
    }
  }
  return ROLE_NONE;
}

/* ---- cryptography ----------------------------------------------------------------- */

static pthread_once_t sodiumOnce = PTHREAD_ONCE_INIT; /* sodium_init() runs once */

/* Initialise libsodium (pthread_once callback); failure is a broken
** installation, not bad input. */
static void sodium_start(void) {
  if (sodium_init() < 0) {
    app_panic("sodium_init failed");
  }
}

/* Make libsodium ready; cheap after the first call, safe from any thread. */
static void auth_init(void) {
  pthread_once(&sodiumOnce, sodium_start);
}

void auth_random_token(char *z) {
  auth_init();
  unsigned char aByte[32];
  randombytes_buf(aByte, sizeof aByte);
  sodium_bin2base64(z, AUTH_TOKEN_CHARS + 1, aByte, sizeof aByte,
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(aByte, sizeof aByte);
}

/* True when z looks like a token from auth_random_token (43 base64url
** characters): anything else is refused without a query. */
static bool token_well_formed(const char *z) {
  if (z == NULL) {
    return false;
  }
  size_t n = 0;
  for (; z[n]; n++) {
    char c = z[n];
    bool bOk = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_';
    if (!bOk || n >= AUTH_TOKEN_CHARS) {
      return false;
    }
  }
  return n == AUTH_TOKEN_CHARS;
}

/* The hex SHA-256 of token zToken, as stored in session.token_hash. */
static void token_hash(const char *zToken, char zHex[HASH_HEX_SIZE]) {
  hash_sha256_hex(zToken, strlen(zToken), zHex);
}

/* The argon2id hash string of zPassword. Caller frees. Ends the program
** when the memory the hash needs cannot be had (an operational failure). */
static char *password_hash_dup(const char *zPassword) {
  auth_init();
  char *zHash = xmalloc(crypto_pwhash_STRBYTES);
  if (crypto_pwhash_str(zHash, zPassword, strlen(zPassword), AUTH_OPSLIMIT, AUTH_MEMLIMIT) != 0) {
    app_fatal("no hay memoria suficiente para calcular el hash de una contraseña");
  }
  return zHash;
}

/* True when zPassword matches hash zHash (any libsodium hash string). */
static bool password_verify(const char *zHash, const char *zPassword) {
  auth_init();
  /* the API takes a crypto_pwhash_STRBYTES array: give it one */
  char zStr[crypto_pwhash_STRBYTES] = {0};
  size_t n = strlen(zHash);
  if (n >= sizeof zStr) {
    return false;
  }
  memcpy(zStr, zHash, n);
  return crypto_pwhash_str_verify(zStr, zPassword, strlen(zPassword)) == 0;
}

/* A new random password of AUTH_GEN_CHARS characters from zPwAlphabet.
** Caller frees. */
static char *password_generate_dup(void) {
  auth_init();
  char *z = xmalloc(AUTH_GEN_CHARS + 1);
  for (int i = 0; i < AUTH_GEN_CHARS; i++) {
    z[i] = zPwAlphabet[randombytes_uniform((uint32_t)(sizeof zPwAlphabet - 1))];
  }
  z[AUTH_GEN_CHARS] = 0;
  return z;
}

/* Check that zPassword may be set: long enough, not absurdly long. False
** with *pzErr otherwise. */
static bool password_acceptable(const char *zPassword, char **pzErr) {
  if (text_width(zPassword) < AUTH_MIN_PASSWORD) {
    *pzErr = xasprintf("la contraseña es muy corta: debe tener al menos %d caracteres",
                       AUTH_MIN_PASSWORD);
    return false;
  }
  if (strlen(zPassword) > AUTH_MAX_PASSWORD) {
    *pzErr = xasprintf("la contraseña es muy larga: debe tener a lo sumo %d caracteres",
                       AUTH_MAX_PASSWORD);
    return false;
  }
  return true;
}

/* The password to store: a copy of zPassword, or a generated one that is
** also copied to *pzGenerated (when pzGenerated is not NULL). Caller frees.
** NULL with *pzErr when zPassword is not acceptable. */
static char *password_choose_dup(const char *zPassword, char **pzGenerated, char **pzErr) {
  if (pzGenerated) {
    *pzGenerated = NULL;
  }
  if (zPassword == NULL) {
    char *z = password_generate_dup();
    if (pzGenerated) {
      *pzGenerated = xstrdup(z);
    }
    return z;
  }
  return password_acceptable(zPassword, pzErr) ? xstrdup(zPassword) : NULL;
}


/* ---- text helpers ----------------------------------------------------------------- */

/* A copy of untrusted text fit for the change log: control characters
** become '?', and it is cut to nMax code points. Caller frees. */
static char *clean_dup(const char *z, size_t nMax) {
  char *zCopy = xstrdup(z ? z : "");
  for (char *p = zCopy; *p; p++) {
    if ((unsigned char)*p < 0x20 || *p == 0x7f) {
      *p = '?';
    }
  }
  char *zOut = text_ellipsize_dup(zCopy, nMax);
  free(zCopy);
  return zOut;
}

/* The key failed logins are counted by: the login as typed, folded (case,
** accents, spacing) and cut short. Caller frees. */
static char *login_key_dup(const char *zLogin) {
  char *zFold = text_fold_dup(zLogin ? zLogin : "");
  char *zKey = clean_dup(zFold, 64);
  free(zFold);
  return zKey;
}

/* The login name zLogin lower-cased when it is [a-z0-9._-]{2,40} after
** that (ASCII letters only); NULL otherwise. Caller frees. */
static char *login_normal_dup(const char *zLogin) {
  size_t n = zLogin ? strlen(zLogin) : 0;
  if (n < 2 || n > AUTH_MAX_LOGIN) {
    return NULL;
  }
  char *z = xstrdup(zLogin);
  for (size_t i = 0; i < n; i++) {
    char c = z[i];
    if (c >= 'A' && c <= 'Z') {
      z[i] = (char)(c - 'A' + 'a');
    } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                 c == '-')) {
      free(z);
      return NULL;
    }
  }
  return z;
}

/* The error for a login name login_normal_dup refuses. Caller frees. */
static char *login_invalid_msg(const char *zLogin) {
  char *zShown = clean_dup(zLogin, 60);
  char *z = xasprintf("el nombre de usuario «%s» no es válido: use de 2 a %d letras sin tildes, "
                      "dígitos, «.», «_» o «-»",
                      zShown, AUTH_MAX_LOGIN);
  free(zShown);
  return z;
}

/* The current UTC time as ISO text. Caller frees. */
static char *now_iso_dup(void) {
  Buf b = BUF_INIT;
  clock_now_iso(&b);
  return buf_take(&b);
}

/* ---- users ------------------------------------------------------------------------ */

/* A user row as needed to act on it. */
typedef struct UserRow {
  int64_t id;     /* 0 when not found */
  Role eRole;     /* its role */
  bool bDisabled; /* disabled */
} UserRow;

/* Find user zLogin (already lower case). r->id is 0 when there is none. */
static void user_find(Db *db, const char *zLogin, UserRow *r) {
  memset(r, 0, sizeof *r);
  Stmt *s = db_prepare(db, "SELECT id, role, disabled FROM app_user WHERE login = :login");
  db_bind_text(s, ":login", zLogin);
  if (db_step(s)) {
    r->id = db_col_int(s, 0);
    r->eRole = role_from_db(db_col_text(s, 1));
    r->bDisabled = db_col_int(s, 2) != 0;
  }
  db_finalize(s);
}

/* Find user zLogin as typed (any case). False with *pzErr when there is
** no such user. */
static bool user_need(Db *db, const char *zLogin, UserRow *r, char **pzErr) {
  char *zNorm = login_normal_dup(zLogin);
  memset(r, 0, sizeof *r);
  if (zNorm) {
    user_find(db, zNorm, r);
  }
  free(zNorm);
  if (r->id == 0) {
    char *zShown = clean_dup(zLogin, 60);
    *pzErr = xasprintf("no existe el usuario «%s»", zShown);
    free(zShown);
    return false;
  }
  return true;
}

int auth_user_count(Db *db, Role e) {
  Stmt *s = db_prepare(db, "SELECT count(*) FROM app_user WHERE disabled = 0 AND "
                           "(:role = '' OR role = :role)");
  db_bind_text(s, ":role", auth_role_name(e));
  int n = db_step(s) ? (int)db_col_int(s, 0) : 0;
  db_finalize(s);
  return n;
}

/* The ids of the offices named in azOffice[0..nOffice), matched as the
** importer matches them (catalogue names and aliases by their key), without
** repeats, into *paiOffice (caller frees) with their count in *pnId. False
** with *pzErr naming the first unknown office. */
static bool offices_resolve(Db *db, int nOffice, const char *const *azOffice, int64_t **paiOffice,
                            int *pnId, char **pzErr) {
  *paiOffice = xcalloc((size_t)(nOffice > 0 ? nOffice : 1), sizeof(int64_t));
  *pnId = 0;
  bool bOk = true;
  for (int i = 0; bOk && i < nOffice; i++) {
    int64_t id = office_find(db, azOffice[i]);
    if (id == 0) {
      char *zShown = clean_dup(azOffice[i], 120);
      *pzErr = xasprintf("no existe la dependencia «%s» en el catálogo de dependencias", zShown);
      free(zShown);
      bOk = false;
      break;
    }
    bool bSeen = false;
    for (int j = 0; j < *pnId; j++) {
      bSeen = bSeen || (*paiOffice)[j] == id;
    }
    if (!bSeen) {
      (*paiOffice)[(*pnId)++] = id;
    }
  }
  if (!bOk) {
    free(*paiOffice);
    *paiOffice = NULL;
    *pnId = 0;
  }
  return bOk;
}

/* Check the offices for role eRole (a responsable needs some, the others
** none) and resolve them as offices_resolve does. */
static bool offices_for_role(Db *db, Role eRole, int nOffice, const char *const *azOffice,
                             int64_t **paiOffice, int *pnId, char **pzErr) {
  *paiOffice = NULL;
  *pnId = 0;
  if (eRole == ROLE_RESPONSABLE && nOffice == 0) {
    *pzErr = xstrdup("un responsable necesita al menos una dependencia: las actividades que "
                     "reporta son las de sus dependencias");
    return false;
  }
  if (eRole != ROLE_RESPONSABLE && nOffice > 0) {
    *pzErr = xasprintf("solo el rol responsable tiene dependencias; el rol %s no las lleva",
                       auth_role_label(eRole));
    return false;
  }
  return offices_resolve(db, nOffice, azOffice, paiOffice, pnId, pzErr);
}

/* Replace the offices of user iUser with aiOffice[0..n). */
static void offices_store(Db *db, int64_t iUser, int n, const int64_t *aiOffice) {
  Stmt *s = db_prepare(db, "DELETE FROM user_office WHERE user_id = :u");
  db_bind_int(s, ":u", iUser);
  db_run(s);
  db_finalize(s);
  s = db_prepare(db, "INSERT INTO user_office(user_id, office_id) VALUES (:u, :o)");
  for (int i = 0; i < n; i++) {
    db_bind_int(s, ":u", iUser);
    db_bind_int(s, ":o", aiOffice[i]);
    db_run(s);
  }
  db_finalize(s);
}

/* The names of a user's offices (:u), by name. */
#define SQL_USER_OFFICE_NAMES                                                                      \
  "SELECT o.name FROM user_office uo JOIN office o ON o.id = uo.office_id WHERE uo.user_id = :u "  \
  "ORDER BY o.fold"

/* Append the names of the offices of user iUser, zFirst before the first
** and "; " between them; pNames is a SQL_USER_OFFICE_NAMES statement. */
static void offices_put(Stmt *pNames, int64_t iUser, const char *zFirst, Buf *pOut) {
  db_bind_int(pNames, ":u", iUser);
  for (int i = 0; db_step(pNames); i++) {
    buf_puts(pOut, i == 0 ? zFirst : "; ");
    buf_puts(pOut, db_col_text(pNames, 0));
  }
  db_reset(pNames);
}

/* Append "; dependencias: A; B" naming the offices of user iUser. */
static void offices_describe(Db *db, int64_t iUser, Buf *pOut) {
  Stmt *s = db_prepare(db, SQL_USER_OFFICE_NAMES);
  offices_put(s, iUser, "; dependencias: ", pOut);
  db_finalize(s);
}

/* End the sessions of user iUser except session iKeep (0: all of them). */
static void sessions_end(Db *db, int64_t iUser, int64_t iKeep) {
  Stmt *s = db_prepare(db, "DELETE FROM session WHERE user_id = :u AND id <> :keep");
  db_bind_int(s, ":u", iUser);
  db_bind_int(s, ":keep", iKeep);
  db_run(s);
  db_finalize(s);
}

int64_t auth_user_add(Db *db, const char *zLogin, const char *zFullName, Role eRole, int nOffice,
                      const char *const *azOffice, const char *zPassword, char **pzGenerated,
                      const char *zActor, char **pzErr) {
  if (pzGenerated) {
    *pzGenerated = NULL;
  }
  char *zNorm = login_normal_dup(zLogin);
  if (zNorm == NULL) {
    *pzErr = login_invalid_msg(zLogin);
    return 0;
  }
  if (role_ok(eRole) == ROLE_NONE) {
    *pzErr = xstrdup("falta el rol: administrador, planeacion, responsable o control-interno");
    free(zNorm);
    return 0;
  }
  /* a line break or tab in a name would break listings and the log */
  char *zRaw = xstrdup(zFullName ? zFullName : "");
  for (char *p = zRaw; *p; p++) {
    if ((unsigned char)*p < 0x20 || *p == 0x7f) {
      *p = ' ';
    }
  }
  char *zName = text_trim_dup(zRaw);
  free(zRaw);
  if (text_width(zName) > AUTH_MAX_NAME) {
    *pzErr = xasprintf("el nombre completo es muy largo: a lo sumo %d caracteres", AUTH_MAX_NAME);
    free(zName);
    free(zNorm);
    return 0;
  }
  int64_t *aiOffice = NULL;
  int nId = 0;
  int64_t iUser = 0;
  char *zPw = NULL;
  db_begin(db);
  UserRow r;
  user_find(db, zNorm, &r);
  if (r.id != 0) {
    *pzErr = xasprintf("ya existe el usuario «%s»", zNorm);
  } else if (offices_for_role(db, eRole, nOffice, azOffice, &aiOffice, &nId, pzErr) &&
             (zPw = password_choose_dup(zPassword, pzGenerated, pzErr)) != NULL) {
    char *zHash = password_hash_dup(zPw);
    char *zNow = now_iso_dup();
    Stmt *s = db_prepare(db, "INSERT INTO app_user(login, full_name, role, password_hash, "
                             "must_change, created_at) VALUES (:login, :name, :role, :hash, "
                             ":must, :now)");
    db_bind_text(s, ":login", zNorm);
    db_bind_text(s, ":name", zName);
    db_bind_text(s, ":role", auth_role_name(eRole));
    db_bind_text(s, ":hash", zHash);
    db_bind_int(s, ":must", zPassword == NULL);
    db_bind_text(s, ":now", zNow);
    db_run(s);
    db_finalize(s);
    iUser = db_last_insert_id(db);
    offices_store(db, iUser, nId, aiOffice);
    Buf detail = BUF_INIT;
    buf_appendf(&detail, "usuario «%s» creado con el rol %s", zNorm, auth_role_label(eRole));
    offices_describe(db, iUser, &detail);
    if (zPassword == NULL) {
      buf_puts(&detail, "; contraseña generada, debe cambiarla al entrar");
    }
    audit_log(db, zActor, "crear", "usuario", iUser, buf_str(&detail));
    buf_reset(&detail);
    free(zNow);
    free(zHash);
  }
  if (iUser != 0) {
    db_commit(db);
  } else {
    db_rollback(db);
  }
  hash_secret_free(zPw);
  free(aiOffice);
  free(zName);
  free(zNorm);
  return iUser;
}

bool auth_user_passwd(Db *db, const char *zLogin, const char *zPassword, bool bMustChange,
                      char **pzGenerated, const char *zActor, char **pzErr) {
  if (pzGenerated) {
    *pzGenerated = NULL;
  }
  UserRow r;
  if (!user_need(db, zLogin, &r, pzErr)) {
    return false;
  }
  char *zPw = password_choose_dup(zPassword, pzGenerated, pzErr);
  if (zPw == NULL) {
    return false;
  }
  char *zHash = password_hash_dup(zPw);
  hash_secret_free(zPw);
  db_begin(db);
  Stmt *s = db_prepare(db, "UPDATE app_user SET password_hash = :hash, must_change = :must "
                           "WHERE id = :id");
  db_bind_text(s, ":hash", zHash);
  db_bind_int(s, ":must", bMustChange);
  db_bind_int(s, ":id", r.id);
  db_run(s);
  db_finalize(s);
  sessions_end(db, r.id, 0);
  audit_log(db, zActor, "contraseña", "usuario", r.id,
            bMustChange ? "contraseña restablecida; debe cambiarla al entrar"
                        : "contraseña restablecida");
  db_commit(db);
  free(zHash);
  return true;
}

bool auth_user_disable(Db *db, const char *zLogin, bool bDisable, const char *zActor,
                       char **pzErr) {
  db_begin(db);
  UserRow r;
  bool bOk = user_need(db, zLogin, &r, pzErr);
  if (bOk && bDisable && !r.bDisabled && r.eRole == ROLE_ADMIN &&
      auth_user_count(db, ROLE_ADMIN) <= 1) {
    *pzErr = xasprintf("no se puede deshabilitar «%s»: es el único administrador habilitado; "
                       "habilite o cree otro primero",
                       zLogin);
    bOk = false;
  }
  if (bOk && r.bDisabled != bDisable) {
    Stmt *s = db_prepare(db, "UPDATE app_user SET disabled = :d WHERE id = :id");
    db_bind_int(s, ":d", bDisable);
    db_bind_int(s, ":id", r.id);
    db_run(s);
    db_finalize(s);
    if (bDisable) {
      sessions_end(db, r.id, 0);
    }
    audit_log(db, zActor, bDisable ? "deshabilitar" : "habilitar", "usuario", r.id,
              bDisable ? "usuario deshabilitado; sus sesiones terminaron" : "usuario habilitado");
  }
  if (bOk) {
    db_commit(db);
  } else {
    db_rollback(db);
  }
  return bOk;
}

bool auth_user_set_role(Db *db, const char *zLogin, Role eRole, int nOffice,
                        const char *const *azOffice, const char *zActor, char **pzErr) {
  if (role_ok(eRole) == ROLE_NONE) {
    *pzErr = xstrdup("falta el rol: administrador, planeacion, responsable o control-interno");
    return false;
  }
  int64_t *aiOffice = NULL;
  int nId = 0;
  db_begin(db);
  UserRow r;
  bool bOk = user_need(db, zLogin, &r, pzErr);
  if (bOk && r.eRole == ROLE_ADMIN && eRole != ROLE_ADMIN && !r.bDisabled &&
      auth_user_count(db, ROLE_ADMIN) <= 1) {
    *pzErr = xasprintf("«%s» es el único administrador habilitado y no puede dejar de serlo; "
                       "habilite o cree otro primero",
                       zLogin);
    bOk = false;
  }
  bOk = bOk && offices_for_role(db, eRole, nOffice, azOffice, &aiOffice, &nId, pzErr);
  if (bOk) {
    Stmt *s = db_prepare(db, "UPDATE app_user SET role = :role WHERE id = :id");
    db_bind_text(s, ":role", auth_role_name(eRole));
    db_bind_int(s, ":id", r.id);
    db_run(s);
    db_finalize(s);
    offices_store(db, r.id, nId, aiOffice);
    Buf detail = BUF_INIT;
    buf_appendf(&detail, "rol %s", auth_role_label(eRole));
    offices_describe(db, r.id, &detail);
    audit_log(db, zActor, "rol", "usuario", r.id, buf_str(&detail));
    buf_reset(&detail);
    db_commit(db);
  } else {
    db_rollback(db);
  }
  free(aiOffice);
  return bOk;
}

int auth_users(Db *db, UserInfo **paOut) {
  int n = 0, nAlloc = 8;
  UserInfo *a = xmalloc(sizeof *a * (size_t)nAlloc);
  Stmt *s = db_prepare(db, "SELECT id, login, full_name, role, disabled, last_login_at "
                           "FROM app_user ORDER BY login");
  Stmt *pOff = db_prepare(db, SQL_USER_OFFICE_NAMES);
  while (db_step(s)) {
    if (n == nAlloc) {
      nAlloc *= 2;
      a = xrealloc(a, sizeof *a * (size_t)nAlloc);
    }
    UserInfo *u = &a[n++];
    u->id = db_col_int(s, 0);
    u->zLogin = xstrdup(db_col_text(s, 1));
    u->zFullName = xstrdup(db_col_text(s, 2));
    u->eRole = role_from_db(db_col_text(s, 3));
    u->bDisabled = db_col_int(s, 4) != 0;
    u->zLastLogin = xstrdup(db_col_text(s, 5));
    Buf off = BUF_INIT;
    offices_put(pOff, u->id, "", &off);
    u->zOffices = off.n ? buf_take(&off) : xstrdup("");
    buf_reset(&off);
  }
  db_finalize(pOff);
  db_finalize(s);
  *paOut = a;
  return n;
}

void auth_users_free(int n, UserInfo *a) {
  for (int i = 0; i < n; i++) {
    free(a[i].zLogin);
    free(a[i].zFullName);
    free(a[i].zOffices);
    free(a[i].zLastLogin);
  }
  free(a);
}

/* Append z and pad it with spaces to nWidth code points. */
static void put_padded(Buf *pOut, const char *z, size_t nWidth) {
  buf_puts(pOut, z);
  for (size_t i = text_width(z); i < nWidth; i++) {
    buf_putc(pOut, ' ');
  }
}

void auth_user_list_text(Db *db, Buf *pOut) {
  UserInfo *a;
  int n = auth_users(db, &a);
  if (n == 0) {
    buf_puts(pOut, "No hay usuarios. Cree el primero con «participa user add USUARIO --role "
                   "administrador».\n");
    auth_users_free(n, a);
    return;
  }
  enum { C_LOGIN, C_NAME, C_ROLE, C_STATE, C_LAST, C_OFFICES, N_COL };
  static const char *const azHead[N_COL] = {"Usuario", "Nombre",         "Rol",
                                            "Estado",  "Último ingreso", "Dependencias"};
  const char **azCell = xmalloc(sizeof *azCell * (size_t)(n * N_COL));
  size_t aWidth[N_COL];
  for (int j = 0; j < N_COL; j++) {
    aWidth[j] = text_width(azHead[j]);
  }
  for (int i = 0; i < n; i++) {
    const char **az = &azCell[i * N_COL];
    az[C_LOGIN] = a[i].zLogin;
    az[C_NAME] = a[i].zFullName[0] ? a[i].zFullName : "-";
    az[C_ROLE] = auth_role_label(a[i].eRole);
    az[C_STATE] = a[i].bDisabled ? "deshabilitado" : "habilitado";
    az[C_LAST] = a[i].zLastLogin[0] ? a[i].zLastLogin : "nunca";
    az[C_OFFICES] = a[i].zOffices[0] ? a[i].zOffices : "-";
    for (int j = 0; j < N_COL; j++) {
      size_t w = text_width(az[j]);
      aWidth[j] = w > aWidth[j] ? w : aWidth[j];
    }
  }
  for (int i = -1; i < n; i++) {
    const char *const *az = i < 0 ? azHead : &azCell[i * N_COL];
    for (int j = 0; j < N_COL - 1; j++) {
      put_padded(pOut, az[j], aWidth[j] + 2);
    }
    buf_puts(pOut, az[N_COL - 1]);
    buf_putc(pOut, '\n');
  }
  buf_appendf(pOut, "%d usuario%s, %d habilitado%s\n", n, n == 1 ? "" : "s",
              auth_user_count(db, ROLE_NONE), auth_user_count(db, ROLE_NONE) == 1 ? "" : "s");
  free(azCell);
  auth_users_free(n, a);
}

/* ---- login and throttling ------------------------------------------------------------ */

/* The three limits of auth.h, in the order they are checked. */
typedef enum Scope {
  SCOPE_PAIR = 0, /* one account (as typed) from one address */
  SCOPE_ADDR,     /* one address, any account */
  SCOPE_ACCOUNT,  /* one account, any address */
  SCOPE__COUNT
} Scope;

/* Each limit: its name in login_failure.scope, its free failures and cap,
** and the statements that count its failures and find a refusal already
** logged (each binds only the keys it names). */
static const struct ScopeDef {
  const char *zName;   /* login_failure.scope */
  int nFree;           /* failures before the first delay */
  int nCap;            /* longest delay, seconds */
  const char *zCount;  /* count(*), max(at) of the failures in the window */
  const char *zLogged; /* a refused row of this scope in the window */
  const char *zWhy;    /* the change log's words for the failures counted */
} aScope[SCOPE__COUNT] = {
    [SCOPE_PAIR] = {"par", AUTH_PAIR_FREE, AUTH_PAIR_CAP_SEC,
                    "SELECT count(*), max(at) FROM login_failure WHERE login = :login AND "
                    "address = :addr AND refused = 0 AND at > :cut",
                    "SELECT 1 FROM login_failure WHERE login = :login AND address = :addr AND "
                    "refused = 1 AND scope = 'par' AND at > :cut",
                    "a esa cuenta desde esa dirección"},
    [SCOPE_ADDR] = {"direccion", AUTH_ADDR_FREE, AUTH_VALVE_CAP_SEC,
                    "SELECT count(*), max(at) FROM login_failure WHERE address = :addr AND "
                    "refused = 0 AND at > :cut",
                    "SELECT 1 FROM login_failure WHERE address = :addr AND refused = 1 AND "
                    "scope = 'direccion' AND at > :cut",
                    "desde esa dirección a cualquier cuenta"},
    [SCOPE_ACCOUNT] = {"cuenta", AUTH_ACCOUNT_FREE, AUTH_VALVE_CAP_SEC,
                       "SELECT count(*), max(at) FROM login_failure WHERE login = :login AND "
                       "refused = 0 AND at > :cut",
                       "SELECT 1 FROM login_failure WHERE login = :login AND refused = 1 AND "
                       "scope = 'cuenta' AND at > :cut",
                       "a esa cuenta desde cualquier dirección"},
};

int auth_throttle_delay(int nFail, int nFree, int nCap) {
  if (nFail < nFree) {
    return 0;
  }
  int nShift = nFail - nFree;
  if (nShift >= 30) {
    return nCap;
  }
  int nDelay = 1 << nShift;
  return nDelay < nCap ? nDelay : nCap;
}

/* Run the one-statement delete zSql with :cut bound to iCut; returns the
** rows deleted. */
static int delete_before(Db *db, const char *zSql, int64_t iCut) {
  Stmt *s = db_prepare(db, zSql);
  db_bind_int(s, ":cut", iCut);
  db_run(s);
  db_finalize(s);
  return db_changes(db);
}

/* Delete failures older than the window, trust older than AUTH_TRUST_SEC
** and sessions past their limits, as of now. Returns the rows deleted. */
static int prune_at(Db *db, int64_t now) {
  int n = delete_before(db, "DELETE FROM login_failure WHERE at <= :cut", now - AUTH_WINDOW_SEC);
  n += delete_before(db, "DELETE FROM login_trust WHERE at <= :cut", now - AUTH_TRUST_SEC);
  n += delete_before(db, "DELETE FROM session WHERE last_seen_at <= :cut", now - SESSION_IDLE_SEC);
  n += delete_before(db, "DELETE FROM session WHERE created_at <= :cut", now - SESSION_MAX_SEC);
  return n;
}

int auth_prune(Db *db) {
  db_begin(db);
  int n = prune_at(db, clock_now_unix());
  db_commit(db);
  return n;
}

/* Bind the keys statement s names (:login, :addr) and the window's start. */
static void bind_keys(Stmt *s, const char *zSql, const char *zKey, const char *zAddr, int64_t now) {
  if (strstr(zSql, ":login")) {
    db_bind_text(s, ":login", zKey);
  }
  if (strstr(zSql, ":addr")) {
    db_bind_text(s, ":addr", zAddr);
  }
  db_bind_int(s, ":cut", now - AUTH_WINDOW_SEC);
}

/* Seconds login zKey from zAddr must still wait under limit e (0: none);
** *pnFail gets the failures that limit counts. */
static int scope_wait(Db *db, Scope e, const char *zKey, const char *zAddr, int64_t now,
                      int *pnFail) {
  Stmt *s = db_prepare(db, aScope[e].zCount);
  bind_keys(s, aScope[e].zCount, zKey, zAddr, now);
  int nFail = 0;
  int64_t iLast = 0;
  if (db_step(s)) {
    nFail = (int)db_col_int(s, 0);
    iLast = db_col_int(s, 1);
  }
  db_finalize(s);
  *pnFail = nFail;
  int nDelay = auth_throttle_delay(nFail, aScope[e].nFree, aScope[e].nCap);
  int64_t iWait = nDelay > 0 ? iLast + nDelay - now : 0;
  return iWait > 0 ? (int)iWait : 0;
}

/* The hex keyed hash (BLAKE2b, 16 bytes, key from auth_key) of address
** zAddr into zTag; "" when the database has no key. */
static void address_tag(Db *db, const char *zAddr, char zTag[33]) {
  zTag[0] = 0;
  Stmt *s = db_prepare(db, "SELECT hex(secret) FROM auth_key WHERE id = 1");
  unsigned char aKey[32];
  size_t nKey = 0;
  if (db_step(s)) {
    const char *zHex = db_col_text(s, 0);
    if (sodium_hex2bin(aKey, sizeof aKey, zHex, strlen(zHex), NULL, &nKey, NULL) != 0) {
      nKey = 0;
    }
  }
  db_finalize(s);
  if (nKey == sizeof aKey) {
    unsigned char aTag[16];
    crypto_generichash(aTag, sizeof aTag, (const unsigned char *)zAddr, strlen(zAddr), aKey,
                       sizeof aKey);
    sodium_bin2hex(zTag, 33, aTag, sizeof aTag);
  }
  sodium_memzero(aKey, sizeof aKey);
}

/* True when user iUser signed in from the address of tag zTag within
** AUTH_TRUST_SEC. */
static bool address_trusted(Db *db, int64_t iUser, const char *zTag, int64_t now) {
  if (iUser == 0 || zTag[0] == 0) {
    return false;
  }
  Stmt *s = db_prepare(db, "SELECT 1 FROM login_trust WHERE user_id = :u AND tag = :tag AND "
                           "at > :cut");
  db_bind_int(s, ":u", iUser);
  db_bind_text(s, ":tag", zTag);
  db_bind_int(s, ":cut", now - AUTH_TRUST_SEC);
  bool bFound = db_step(s);
  db_finalize(s);
  return bFound;
}

/* Remember that user iUser signed in from the address of tag zTag now. */
static void address_trust(Db *db, int64_t iUser, const char *zTag, int64_t now) {
  if (zTag[0] == 0) {
    return;
  }
  Stmt *s = db_prepare(db, "INSERT INTO login_trust(user_id, tag, at) VALUES (:u, :tag, :at) "
                           "ON CONFLICT(user_id, tag) DO UPDATE SET at = excluded.at");
  db_bind_int(s, ":u", iUser);
  db_bind_text(s, ":tag", zTag);
  db_bind_int(s, ":at", now);
  db_run(s);
  db_finalize(s);
}

char *auth_address_mask_dup(const char *zAddr) {
  unsigned char a[16];
  char zOut[INET6_ADDRSTRLEN + 8];
  if (zAddr == NULL) {
    return xstrdup("");
  }
  if (inet_pton(AF_INET, zAddr, a) == 1) {
    snprintf(zOut, sizeof zOut, "%u.%u.%u.0/24", a[0], a[1], a[2]);
    return xstrdup(zOut);
  }
  if (inet_pton(AF_INET6, zAddr, a) != 1) {
    return xstrdup("");
  }
  static const unsigned char aMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (memcmp(a, aMapped, sizeof aMapped) == 0) {
    snprintf(zOut, sizeof zOut, "%u.%u.%u.0/24", a[12], a[13], a[14]);
    return xstrdup(zOut);
  }
  memset(a + 6, 0, sizeof a - 6);
  char zNet[INET6_ADDRSTRLEN];
  if (inet_ntop(AF_INET6, a, zNet, sizeof zNet) == NULL) {
    return xstrdup("");
  }
  snprintf(zOut, sizeof zOut, "%s/48", zNet);
  return xstrdup(zOut);
}

/* Record a failed attempt, or with zScope (a limit's name) a refused one
** that was written to the change log. Returns its row id. */
static int64_t failure_insert(Db *db, const char *zKey, const char *zAddr, int64_t now,
                              const char *zScope) {
  Stmt *s = db_prepare(db, "INSERT INTO login_failure(login, address, at, refused, scope) "
                           "VALUES (:login, :addr, :at, :refused, :scope)");
  db_bind_text(s, ":login", zKey);
  db_bind_text(s, ":addr", zAddr);
  db_bind_int(s, ":at", now);
  db_bind_int(s, ":refused", zScope != NULL);
  db_bind_text(s, ":scope", zScope ? zScope : "");
  db_run(s);
  db_finalize(s);
  return db_last_insert_id(db);
}

/* User iUser as the change log names it: «login», or "usuario
** desconocido" when iUser is 0 (a mistyped name is not kept). Caller
** frees. */
static char *account_shown_dup(Db *db, int64_t iUser) {
  if (iUser != 0) {
    Stmt *s = db_prepare(db, "SELECT login FROM app_user WHERE id = :id");
    db_bind_int(s, ":id", iUser);
    char *z = db_step(s) ? xasprintf("«%s»", db_col_text(s, 0)) : NULL;
    db_finalize(s);
    if (z) {
      return z;
    }
  }
  return xstrdup("usuario desconocido");
}

/* Write an attempt refused by limit e to the change log, once per limit,
** key and window: the account (or "usuario desconocido"), the address cut
** to its network, the failures counted and the wait. */
static void refusal_log(Db *db, Scope e, const char *zKey, const char *zAddr, int64_t iUser,
                        int nFail, int nWait, int64_t now) {
  Stmt *s = db_prepare(db, aScope[e].zLogged);
  bind_keys(s, aScope[e].zLogged, zKey, zAddr, now);
  bool bLogged = db_step(s);
  db_finalize(s);
  if (bLogged) {
    return;
  }
  failure_insert(db, zKey, zAddr, now, aScope[e].zName);
  char *zWho = account_shown_dup(db, iUser);
  char *zNet = auth_address_mask_dup(zAddr);
  audit_logf(db, AUTH_SYSTEM, "frenar", "usuario", iUser,
             "ingreso a %s desde %s frenado %d s: %d intentos fallidos %s en %d "
             "minutos",
             zWho, zNet[0] ? zNet : "dirección desconocida", nWait, nFail, aScope[e].zWhy,
             AUTH_WINDOW_SEC / 60);
  free(zNet);
  free(zWho);
}

/* Create a session for user iUser; returns its token (caller frees). */
static char *session_create(Db *db, int64_t iUser, const char *zAddr, int64_t now) {
  char *zToken = xmalloc(AUTH_TOKEN_CHARS + 1);
  char zCsrf[AUTH_TOKEN_CHARS + 1];
  char zHash[2 * crypto_hash_sha256_BYTES + 1];
  auth_random_token(zToken);
  auth_random_token(zCsrf);
  token_hash(zToken, zHash);
  Stmt *s = db_prepare(db, "INSERT INTO session(token_hash, user_id, csrf, created_at, "
                           "last_seen_at, address) VALUES (:hash, :u, :csrf, :now, :now, :addr)");
  db_bind_text(s, ":hash", zHash);
  db_bind_int(s, ":u", iUser);
  db_bind_text(s, ":csrf", zCsrf);
  db_bind_int(s, ":now", now);
  db_bind_text(s, ":addr", zAddr);
  db_run(s);
  db_finalize(s);
  return zToken;
}

/* After a successful login of user iUser (typed as zKey) from zAddr:
** forget the failures of that pair, record the login time, trust the
** address, bring an old-cost hash zHash to today's costs. */
static void login_succeeded(Db *db, int64_t iUser, const char *zKey, const char *zAddr,
                            const char *zTag, const char *zHash, const char *zPassword,
                            int64_t now) {
  Stmt *s = db_prepare(db, "DELETE FROM login_failure WHERE login = :login AND address = :addr "
                           "AND refused = 0");
  db_bind_text(s, ":login", zKey);
  db_bind_text(s, ":addr", zAddr);
  db_run(s);
  db_finalize(s);
  char *zNow = now_iso_dup();
  s = db_prepare(db, "UPDATE app_user SET last_login_at = :now WHERE id = :id");
  db_bind_text(s, ":now", zNow);
  db_bind_int(s, ":id", iUser);
  db_run(s);
  db_finalize(s);
  free(zNow);
  address_trust(db, iUser, zTag, now);
  if (crypto_pwhash_str_needs_rehash(zHash, AUTH_OPSLIMIT, AUTH_MEMLIMIT) != 0) {
    /* hashed with other costs (an older version): bring it to today's */
    char *zNew = password_hash_dup(zPassword);
    s = db_prepare(db, "UPDATE app_user SET password_hash = :hash WHERE id = :id");
    db_bind_text(s, ":hash", zNew);
    db_bind_int(s, ":id", iUser);
    db_run(s);
    db_finalize(s);
    free(zNew);
  }
}

LoginResult auth_login(Db *db, const char *zLogin, const char *zPassword, const char *zAddr,
                       char **pzToken, int *pnWaitSec) {
  auth_init();
  *pzToken = NULL;
  if (pnWaitSec) {
    *pnWaitSec = 0;
  }
  if (zPassword == NULL) {
    zPassword = "";
  }
  int64_t now = clock_now_unix();
  char *zKey = login_key_dup(zLogin);
  char *zAddrC = clean_dup(zAddr, 64);
  char *zNorm = login_normal_dup(zLogin);
  char zTag[33];

  /* First transaction: refuse an attempt that must wait, or count this one
  ** as a failure before checking it, so that parallel attempts cannot pass
  ** a limit while their passwords are being checked. */
  db_begin(db);
  prune_at(db, now);
  int64_t iUser = 0;
  bool bDisabled = false;
  char *zHash = NULL;
  if (zNorm) {
    Stmt *s = db_prepare(db, "SELECT id, password_hash, disabled FROM app_user "
                             "WHERE login = :login");
    db_bind_text(s, ":login", zNorm);
    if (db_step(s)) {
      iUser = db_col_int(s, 0);
      zHash = db_col_text_dup(s, 1);
      bDisabled = db_col_int(s, 2) != 0;
    }
    db_finalize(s);
  }
  address_tag(db, zAddrC, zTag);
  /* an address the account signed in from lately answers only for its own
  ** pair's failures */
  bool bTrusted = address_trusted(db, iUser, zTag, now);
  Scope eWorst = SCOPE_PAIR;
  int nWait = 0, nFailWorst = 0;
  for (int e = 0; e < SCOPE__COUNT; e++) {
    if (bTrusted && e != SCOPE_PAIR) {
      continue;
    }
    int nFail = 0;
    int n = scope_wait(db, (Scope)e, zKey, zAddrC, now, &nFail);
    if (n > nWait) {
      nWait = n;
      eWorst = (Scope)e;
      nFailWorst = nFail;
    }
  }
  LoginResult rc = LOGIN_BAD;
  if (nWait > 0) {
    refusal_log(db, eWorst, zKey, zAddrC, iUser, nFailWorst, nWait, now);
    db_commit(db);
    if (pnWaitSec) {
      *pnWaitSec = nWait;
    }
    rc = LOGIN_THROTTLED;
  } else {
    int64_t iFailure = failure_insert(db, zKey, zAddrC, now, NULL);
    db_commit(db);

    /* The password check, outside any transaction: it takes tens of
    ** milliseconds. Unknown logins are checked against the dummy hash. */
    bool bMatch = password_verify(zHash ? zHash : zDummyHash, zPassword);
    if (bMatch && iUser != 0 && !bDisabled) {
      db_begin(db);
      Stmt *s = db_prepare(db, "DELETE FROM login_failure WHERE id = :id");
      db_bind_int(s, ":id", iFailure);
      db_run(s);
      db_finalize(s);
      login_succeeded(db, iUser, zKey, zAddrC, zTag, zHash, zPassword, now);
      *pzToken = session_create(db, iUser, zAddrC, now);
      db_commit(db);
      rc = LOGIN_OK;
    }
  }
  free(zHash);
  free(zNorm);
  free(zKey);
  free(zAddrC);
  return rc;
}

/* The throttling key of account zLogin when it exists (user id in *piUser),
** else NULL with *pzErr. Caller frees. */
static char *account_key_dup(Db *db, const char *zLogin, int64_t *piUser, char **pzErr) {
  UserRow r;
  if (!user_need(db, zLogin, &r, pzErr)) {
    return NULL;
  }
  *piUser = r.id;
  Stmt *s = db_prepare(db, "SELECT login FROM app_user WHERE id = :id");
  db_bind_int(s, ":id", r.id);
  char *zKey = db_step(s) ? login_key_dup(db_col_text(s, 0)) : NULL;
  db_finalize(s);
  return zKey;
}

bool auth_user_unlock(Db *db, const char *zLogin, const char *zActor, int *pnCleared,
                      char **pzErr) {
  if (pnCleared) {
    *pnCleared = 0;
  }
  db_begin(db);
  int64_t iUser = 0;
  char *zKey = account_key_dup(db, zLogin, &iUser, pzErr);
  if (zKey == NULL) {
    db_rollback(db);
    return false;
  }
  Stmt *s = db_prepare(db, "SELECT count(*) FROM login_failure WHERE login = :login AND "
                           "refused = 0");
  db_bind_text(s, ":login", zKey);
  int nFail = db_step(s) ? (int)db_col_int(s, 0) : 0;
  db_finalize(s);
  s = db_prepare(db, "DELETE FROM login_failure WHERE login = :login");
  db_bind_text(s, ":login", zKey);
  db_run(s);
  db_finalize(s);
  if (nFail > 0) {
    audit_logf(db, zActor, "desbloquear", "usuario", iUser,
               "intentos fallidos de ingreso a «%s» borrados: %d; puede "
               "intentarlo de nuevo sin esperar",
               zKey, nFail);
  }
  db_commit(db);
  if (pnCleared) {
    *pnCleared = nFail;
  }
  free(zKey);
  return true;
}

int auth_address_unlock(Db *db, const char *zAddr, const char *zActor) {
  char *zAddrC = clean_dup(zAddr, 64);
  db_begin(db);
  /* the accounts it touched, for the log; mistyped names only as a count */
  Stmt *s = db_prepare(db, "SELECT u.login, count(f.id) FROM login_failure f LEFT JOIN "
                           "app_user u ON u.login = f.login WHERE f.address = :addr AND "
                           "f.refused = 0 GROUP BY u.login ORDER BY u.login");
  db_bind_text(s, ":addr", zAddrC);
  Buf who = BUF_INIT;
  int nFail = 0, nUnknown = 0;
  while (db_step(s)) {
    int n = (int)db_col_int(s, 1);
    nFail += n;
    if (db_col_is_null(s, 0)) {
      nUnknown += n;
    } else {
      buf_appendf(&who, "%s«%s»", who.n ? ", " : "", db_col_text(s, 0));
    }
  }
  db_finalize(s);
  s = db_prepare(db, "DELETE FROM login_failure WHERE address = :addr");
  db_bind_text(s, ":addr", zAddrC);
  db_run(s);
  db_finalize(s);
  if (nFail > 0) {
    Buf detail = BUF_INIT;
    buf_appendf(&detail, "intentos fallidos de ingreso desde una dirección borrados: %d", nFail);
    if (who.n) {
      buf_appendf(&detail, "; cuentas: %s", buf_str(&who));
    }
    if (nUnknown) {
      buf_appendf(&detail, "; %d a usuarios desconocidos", nUnknown);
    }
    audit_log(db, zActor, "desbloquear", "usuario", 0, buf_str(&detail));
    buf_reset(&detail);
  }
  db_commit(db);
  buf_reset(&who);
  free(zAddrC);
  return nFail;
}

int auth_user_failures(Db *db, const char *zLogin, int *pnWaitSec) {
  *pnWaitSec = 0;
  char *zErr = NULL;
  int64_t iUser = 0;
  char *zKey = account_key_dup(db, zLogin, &iUser, &zErr);
  free(zErr);
  if (zKey == NULL) {
    return 0;
  }
  int64_t now = clock_now_unix();
  Stmt *s = db_prepare(db, "SELECT address, count(*), max(at) FROM login_failure WHERE login = "
                           ":login AND refused = 0 AND at > :cut GROUP BY address");
  db_bind_text(s, ":login", zKey);
  db_bind_int(s, ":cut", now - AUTH_WINDOW_SEC);
  int nFail = 0;
  while (db_step(s)) {
    int n = (int)db_col_int(s, 1);
    nFail += n;
    int nDelay = auth_throttle_delay(n, AUTH_PAIR_FREE, AUTH_PAIR_CAP_SEC);
    int64_t iWait = nDelay ? db_col_int(s, 2) + nDelay - now : 0;
    *pnWaitSec = iWait > *pnWaitSec ? (int)iWait : *pnWaitSec;
  }
  db_finalize(s);
  int nAll = 0;
  int nWait = scope_wait(db, SCOPE_ACCOUNT, zKey, "", now, &nAll);
  *pnWaitSec = nWait > *pnWaitSec ? nWait : *pnWaitSec;
  free(zKey);
  return nFail;
}

int auth_throttles(Db *db, ThrottleInfo **paOut) {
  int64_t now = clock_now_unix();
  int n = 0, nAlloc = 4;
  ThrottleInfo *a = xmalloc(sizeof *a * (size_t)nAlloc);
  Stmt *s = db_prepare(db, "SELECT address, count(*), count(DISTINCT login) FROM login_failure "
                           "WHERE refused = 0 AND at > :cut GROUP BY address "
                           "ORDER BY count(*) DESC, address");
  db_bind_int(s, ":cut", now - AUTH_WINDOW_SEC);
  Stmt *pPair = db_prepare(db, "SELECT count(*), max(at) FROM login_failure WHERE address = "
                               ":addr AND refused = 0 AND at > :cut GROUP BY login");
  while (db_step(s)) {
    if (n == nAlloc) {
      nAlloc *= 2;
      a = xrealloc(a, sizeof *a * (size_t)nAlloc);
    }
    ThrottleInfo *t = &a[n++];
    t->zAddr = xstrdup(db_col_text(s, 0));
    t->nFail = (int)db_col_int(s, 1);
    t->nAccount = (int)db_col_int(s, 2);
    int nAll = 0;
    t->nWaitSec = scope_wait(db, SCOPE_ADDR, "", t->zAddr, now, &nAll);
    db_bind_text(pPair, ":addr", t->zAddr);
    db_bind_int(pPair, ":cut", now - AUTH_WINDOW_SEC);
    while (db_step(pPair)) {
      int nDelay =
          auth_throttle_delay((int)db_col_int(pPair, 0), AUTH_PAIR_FREE, AUTH_PAIR_CAP_SEC);
      int64_t iWait = nDelay ? db_col_int(pPair, 1) + nDelay - now : 0;
      t->nWaitSec = iWait > t->nWaitSec ? (int)iWait : t->nWaitSec;
    }
    db_reset(pPair);
  }
  db_finalize(pPair);
  db_finalize(s);
  *paOut = a;
  return n;
}

void auth_throttles_free(int n, ThrottleInfo *a) {
  for (int i = 0; i < n; i++) {
    free(a[i].zAddr);
  }
  free(a);
}

/* ---- sessions ---------------------------------------------------------------------- */

/* Delete session iSession. */
static void session_delete(Db *db, int64_t iSession) {
  Stmt *s = db_prepare(db, "DELETE FROM session WHERE id = :id");
  db_bind_int(s, ":id", iSession);
  db_run(s);
  db_finalize(s);
}

/* Load the offices of user iUser into p (ordered by name). */
static void session_offices(Db *db, int64_t iUser, Session *p) {
  Stmt *s = db_prepare(db, "SELECT o.id, o.name FROM user_office uo JOIN office o ON o.id = "
                           "uo.office_id WHERE uo.user_id = :u ORDER BY o.fold");
  db_bind_int(s, ":u", iUser);
  int nAlloc = 0;
  while (db_step(s)) {
    if (p->nOffice == nAlloc) {
      nAlloc = nAlloc ? 2 * nAlloc : 4;
      p->aiOffice = xrealloc(p->aiOffice, sizeof *p->aiOffice * (size_t)nAlloc);
      p->azOffice = xrealloc(p->azOffice, sizeof *p->azOffice * (size_t)nAlloc);
    }
    p->aiOffice[p->nOffice] = db_col_int(s, 0);
    p->azOffice[p->nOffice] = xstrdup(db_col_text(s, 1));
    p->nOffice++;
  }
  db_finalize(s);
}

bool auth_session_load(Db *db, const char *zToken, Session *pOut) {
  memset(pOut, 0, sizeof *pOut);
  if (!token_well_formed(zToken)) {
    return false;
  }
  auth_init();
  char zHash[2 * crypto_hash_sha256_BYTES + 1];
  token_hash(zToken, zHash);
  int64_t now = clock_now_unix();
  Stmt *s = db_prepare(db, "SELECT s.id, s.user_id, s.csrf, s.created_at, s.last_seen_at, "
                           "u.login, u.full_name, u.role, u.must_change, u.disabled "
                           "FROM session s JOIN app_user u ON u.id = s.user_id "
                           "WHERE s.token_hash = :hash");
  db_bind_text(s, ":hash", zHash);
  if (!db_step(s)) {
    db_finalize(s);
    return false;
  }
  int64_t iSession = db_col_int(s, 0);
  int64_t iCreated = db_col_int(s, 3);
  int64_t iSeen = db_col_int(s, 4);
  bool bExpired = now - iSeen >= SESSION_IDLE_SEC || now - iCreated >= SESSION_MAX_SEC;
  if (bExpired || db_col_int(s, 9) != 0 || strlen(db_col_text(s, 2)) != AUTH_TOKEN_CHARS) {
    db_finalize(s);
    session_delete(db, iSession);
    return false;
  }
  pOut->iSession = iSession;
  pOut->iUser = db_col_int(s, 1);
  memcpy(pOut->zCsrf, db_col_text(s, 2), AUTH_TOKEN_CHARS + 1);
  pOut->zLogin = xstrdup(db_col_text(s, 5));
  pOut->zFullName = xstrdup(db_col_text(s, 6));
  pOut->eRole = role_from_db(db_col_text(s, 7));
  pOut->bMustChange = db_col_int(s, 8) != 0;
  db_finalize(s);
  if (pOut->eRole == ROLE_RESPONSABLE) {
    session_offices(db, pOut->iUser, pOut);
  }
  if (now - iSeen >= AUTH_TOUCH_SEC) {
    s = db_prepare(db, "UPDATE session SET last_seen_at = :now WHERE id = :id");
    db_bind_int(s, ":now", now);
    db_bind_int(s, ":id", iSession);
    db_run(s);
    db_finalize(s);
  }
  return true;
}

void auth_session_free(Session *p) {
  if (p == NULL) {
    return;
  }
  free(p->zLogin);
  free(p->zFullName);
  for (int i = 0; i < p->nOffice; i++) {
    free(p->azOffice[i]);
  }
  free(p->azOffice);
  free(p->aiOffice);
  sodium_memzero(p->zCsrf, sizeof p->zCsrf);
  memset(p, 0, sizeof *p);
}

void auth_logout(Db *db, const char *zToken) {
  if (!token_well_formed(zToken)) {
    return;
  }
  auth_init();
  char zHash[2 * crypto_hash_sha256_BYTES + 1];
  token_hash(zToken, zHash);
  Stmt *s = db_prepare(db, "DELETE FROM session WHERE token_hash = :hash");
  db_bind_text(s, ":hash", zHash);
  db_run(s);
  db_finalize(s);
}

bool auth_csrf_ok(const Session *p, const char *zToken) {
  if (p == NULL || zToken == NULL || p->zCsrf[0] == 0 || strlen(zToken) != AUTH_TOKEN_CHARS) {
    return false;
  }
  auth_init();
  return sodium_memcmp(p->zCsrf, zToken, AUTH_TOKEN_CHARS) == 0;
}

bool auth_password_change(Db *db, Session *p, const char *zOld, const char *zNew, char **pzErr) {
  if (zOld == NULL) {
    zOld = "";
  }
  if (zNew == NULL) {
    zNew = "";
  }
  Stmt *s = db_prepare(db, "SELECT password_hash FROM app_user WHERE id = :id");
  db_bind_int(s, ":id", p->iUser);
  char *zHash = db_step(s) ? db_col_text_dup(s, 0) : NULL;
  db_finalize(s);
  bool bOk = password_verify(zHash ? zHash : zDummyHash, zOld) && zHash != NULL;
  free(zHash);
  if (!bOk) {
    *pzErr = xstrdup("la contraseña actual no es correcta");
    return false;
  }
  if (!password_acceptable(zNew, pzErr)) {
    return false;
  }
  if (strcmp(zOld, zNew) == 0) {
    *pzErr = xstrdup("la contraseña nueva debe ser distinta de la actual");
    return false;
  }
  char *zNewHash = password_hash_dup(zNew);
  db_begin(db);
  s = db_prepare(db, "UPDATE app_user SET password_hash = :hash, must_change = 0 WHERE id = :id");
  db_bind_text(s, ":hash", zNewHash);
  db_bind_int(s, ":id", p->iUser);
  db_run(s);
  db_finalize(s);
  sessions_end(db, p->iUser, p->iSession);
  audit_log(db, p->zLogin, "contraseña", "usuario", p->iUser,
            "el usuario cambió su contraseña; sus otras sesiones terminaron");
  db_commit(db);
  free(zNewHash);
  p->bMustChange = false;
  return true;
}

bool auth_owns_activity(Db *db, const Session *p, int64_t iActivity) {
  if (p == NULL || p->eRole != ROLE_RESPONSABLE) {
    return false;
  }
  Stmt *s = db_prepare(db, "SELECT 1 FROM activity_office ao JOIN user_office uo ON "
                           "uo.office_id = ao.office_id WHERE ao.activity_id = :a AND "
                           "uo.user_id = :u");
  db_bind_int(s, ":a", iActivity);
  db_bind_int(s, ":u", p->iUser);
  bool bOwns = db_step(s);
  db_finalize(s);
  return bOwns;
}
