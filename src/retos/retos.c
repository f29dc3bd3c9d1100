/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Open challenges and their proposals: the rules and the storage (see
** retos.h). Every SQL text of the area lives here as a literal; values are
** always bound. Each writing function is one transaction that also writes
** the audit log entry, so a change and its record go together or not at
** all.
*/
#include "retos/retos.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/hash.h"
#include "base/text.h"
#include "base/util.h"
#include "calendar/calendar.h"
#include "db/ratelimit.h"
#include "db/setting.h"
#include "office/office.h"
#include "pqrsd/pqrsd.h"

#define RATE_PROPOSAL "retos" /* ratelimit form: proposals sent */

/* ---- errors ----------------------------------------------------------------------- */

/* Record the error of zField unless it has one (or the list is full). */
static void err_add(RetoErrors *e, const char *zField, const char *zFmt, ...) PRINTF_LIKE(3, 4);
static void err_add(RetoErrors *e, const char *zField, const char *zFmt, ...) {
  if (retos_error_for(e, zField) != NULL || e->n == RETOS_MAX_ERR) {
    return;
  }
  va_list ap;
  va_start(ap, zFmt);
  e->a[e->n].zField = zField;
  e->a[e->n].zMsg = xvasprintf(zFmt, ap);
  va_end(ap);
  e->n++;
}

const char *retos_error_for(const RetoErrors *e, const char *zField) {
  for (int i = 0; e && i < e->n; i++) {
    if (strcmp(e->a[i].zField, zField) == 0) {
      return e->a[i].zMsg;
    }
  }
  return NULL;
}

void retos_errors_reset(RetoErrors *e) {
  for (int i = 0; i < e->n; i++) {
    free(e->a[i].zMsg);
  }
  e->n = 0;
}

/* ---- small helpers ---------------------------------------------------------------- */

/* A trimmed copy of z ("" for NULL) with CRLF and lone CR made LF: text as
** a textarea sends it, as it is stored. Caller frees. */
static char *clean_dup(const char *z) {
  char *zT = text_trim_dup(z ? z : "");
  char *pOut = zT;
  for (const char *c = zT; *c; c++) {
    if (c[0] == '\r') {
      *pOut++ = '\n';
      if (c[1] == '\n') {
        c++;
      }
    } else {
      *pOut++ = *c;
    }
  }
  *pOut = 0;
  return zT;
}

/* The day of ISO date z ("YYYY-MM-DD", or a timestamp's day), 0 when it is
** not one (never the case for stored dates). */
static Day iso_day(const char *z) {
  Day day = 0;
  date_parse_iso_stamp(z, &day);
  return day;
}

/* Append day as ISO and return the string (borrowed from pOut). */
static const char *iso(Buf *pOut, Day day) {
  buf_clear(pOut);
  date_format_iso(day, pOut);
  return buf_str(pOut);
}

/* Append day in long Spanish ("1 de julio de 2021"). */
static void put_long(Buf *pOut, Day day) {
  date_format_long(day, pOut);
}

/* ---- challenges ------------------------------------------------------------------- */

RetoStatus reto_status(const Reto *p, Day today) {
  if (!p->bPublished) {
    return RETO_BORRADOR;
  }
  if (today < p->opens) {
    return RETO_PROXIMO;
  }
  return today <= p->closes ? RETO_ABIERTO : RETO_CERRADO;
}

const char *reto_status_label(RetoStatus e) {
  switch (e) {
  case RETO_PROXIMO:
    return "Próximo";
  case RETO_ABIERTO:
    return "Abierto";
  case RETO_CERRADO:
    return "Cerrado";
  default:
    return "Borrador";
  }
}

/* The columns every challenge query selects, in the order row_reto reads. */
#define RETO_COLUMNS                                                                               \
  "r.id, r.title, r.description, r.opens_on, r.closes_on, r.office_id, o.name, r.published, "      \
  "r.created_by, r.created_at, r.updated_at, "                                                     \
  "(SELECT count(*) FROM reto_proposal p WHERE p.reto_id = r.id AND p.status = 'publicada'), "     \
  "(SELECT count(*) FROM reto_proposal p WHERE p.reto_id = r.id AND p.status = 'pendiente'), "     \
  "(SELECT count(*) FROM reto_proposal p WHERE p.reto_id = r.id AND p.status = 'rechazada') "      \
  "FROM reto r JOIN office o ON o.id = r.office_id "

/* Read the current row of a RETO_COLUMNS query into *p. */
static void row_reto(Stmt *s, Reto *p) {
  p->id = db_col_int(s, 0);
  p->zTitle = xstrdup(db_col_text(s, 1));
  p->zDescription = xstrdup(db_col_text(s, 2));
  p->opens = iso_day(db_col_text(s, 3));
  p->closes = iso_day(db_col_text(s, 4));
  p->iOffice = db_col_int(s, 5);
  p->zOffice = xstrdup(db_col_text(s, 6));
  p->bPublished = db_col_int(s, 7) != 0;
  p->zCreatedBy = xstrdup(db_col_text(s, 8));
  p->zCreatedAt = xstrdup(db_col_text(s, 9));
  p->zUpdatedAt = xstrdup(db_col_text(s, 10));
  p->nPublished = (int)db_col_int(s, 11);
  p->nPending = (int)db_col_int(s, 12);
  p->nRejected = (int)db_col_int(s, 13);
}

bool reto_load(Db *db, int64_t iReto, Reto *p) {
  memset(p, 0, sizeof *p);
  Stmt *s = db_prepare(db, "SELECT " RETO_COLUMNS "WHERE r.id = :id");
  db_bind_int(s, ":id", iReto);
  bool bFound = db_step(s);
  if (bFound) {
    row_reto(s, p);
  }
  db_finalize(s);
  return bFound;
}

void reto_reset(Reto *p) {
  free(p->zTitle);
  free(p->zDescription);
  free(p->zOffice);
  free(p->zCreatedBy);
  free(p->zCreatedAt);
  free(p->zUpdatedAt);
  memset(p, 0, sizeof *p);
}

int reto_list(Db *db, bool bDrafts, Reto **paOut) {
  Stmt *s = db_prepare(db, "SELECT " RETO_COLUMNS "WHERE r.published = 1 OR :drafts = 1 "
                           "ORDER BY r.opens_on DESC, r.id DESC");
  db_bind_int(s, ":drafts", bDrafts ? 1 : 0);
  int n = 0, nAlloc = 0;
  Reto *a = NULL;
  while (db_step(s)) {
    if (n == nAlloc) {
      nAlloc = nAlloc ? 2 * nAlloc : 8;
      a = xrealloc(a, sizeof(Reto) * (size_t)nAlloc);
    }
    row_reto(s, &a[n++]);
  }
  db_finalize(s);
  *paOut = a;
  return n;
}

void reto_list_free(int n, Reto *a) {
  for (int i = 0; i < n; i++) {
    reto_reset(&a[i]);
  }
  free(a);
}

/* A challenge's input, cleaned. */
typedef struct RetoClean {
  char *zTitle;       /* trimmed (owned) */
  char *zDescription; /* trimmed, LF line ends (owned) */
  char *zOffice;      /* the office's name, NULL when unknown (owned) */
} RetoClean;

static void reto_clean_reset(RetoClean *c) {
  free(c->zTitle);
  free(c->zDescription);
  free(c->zOffice);
}

/* Check pIn by the rules (bNew: creating; pOld: the stored challenge when
** editing) inside the caller's transaction; fills *pC; errors go to pErr. */
static void reto_check(Db *db, const RetoInput *pIn, bool bNew, const Reto *pOld, RetoClean *pC,
                       RetoErrors *pErr) {
  pC->zTitle = clean_dup(pIn->zTitle);
  pC->zDescription = clean_dup(pIn->zDescription);
  pC->zOffice = pIn->iOffice > 0 ? office_name_dup(db, pIn->iOffice) : NULL;
  if (pC->zTitle[0] == 0) {
    err_add(pErr, "titulo", "escriba el título del reto: una frase que nombre el problema");
  } else if (strchr(pC->zTitle, '\n') != NULL) {
    err_add(pErr, "titulo", "el título va en una sola línea");
  } else if (text_width(pC->zTitle) > RETOS_TITLE_MAX) {
    err_add(pErr, "titulo", "el título tiene %zu caracteres y el máximo es %d; acórtelo",
            text_width(pC->zTitle), RETOS_TITLE_MAX);
  }
  if (pC->zDescription[0] == 0) {
    err_add(pErr, "descripcion",
            "escriba el planteamiento del problema: qué pasa, a quién afecta y qué se espera "
            "de las propuestas");
  } else if (text_width(pC->zDescription) > RETOS_DESC_MAX) {
    err_add(pErr, "descripcion",
            "el planteamiento tiene %zu caracteres y el máximo es 10.000; resúmalo",
            text_width(pC->zDescription));
  }
  if (!pIn->bOpens) {
    err_add(pErr, "abre", "escriba la fecha desde la que se reciben propuestas");
  }
  if (!pIn->bCloses) {
    err_add(pErr, "cierra", "escriba la fecha hasta la que se reciben propuestas");
  }
  if (pIn->bOpens && pIn->bCloses) {
    Buf b = BUF_INIT;
    if (pIn->closes < pIn->opens) {
      buf_puts(&b, "la fecha de cierre (");
      put_long(&b, pIn->closes);
      buf_puts(&b, ") es anterior a la de apertura (");
      put_long(&b, pIn->opens);
      buf_puts(&b, "); corrija una de las dos");
      err_add(pErr, "cierra", "%s", buf_str(&b));
    } else if (bNew && pIn->closes < clock_today()) {
      buf_puts(&b, "la fecha de cierre (");
      put_long(&b, pIn->closes);
      buf_puts(&b, ") ya pasó: un reto nuevo debe cerrar hoy o después");
      err_add(pErr, "cierra", "%s", buf_str(&b));
    }
    buf_reset(&b);
  }
  if (pIn->iOffice <= 0) {
    err_add(pErr, "dependencia", "elija la dependencia responsable del reto");
  } else if (pC->zOffice == NULL) {
    err_add(pErr, "dependencia",
            "la dependencia elegida ya no está en el catálogo (quizá se fusionó con otra); "
            "elíjala de nuevo");
  }
  if (pOld && pOld->bPublished && !pIn->bPublished) {
    int n = pOld->nPublished + pOld->nPending + pOld->nRejected;
    if (n > 0) {
      err_add(pErr, "publicado",
              "el reto ya recibió %d propuesta%s: no puede volver a borrador, porque dejarían "
              "de verse; para no recibir más, adelante la fecha de cierre",
              n, n == 1 ? "" : "s");
    }
  }
}

/* A short description of a challenge for the log. */
static void reto_summary(Buf *pOut, const char *zTitle, Day opens, Day closes, const char *zOffice,
                         bool bPublished) {
  Buf d = BUF_INIT;
  buf_appendf(pOut, "«%s», del %s", zTitle, iso(&d, opens));
  buf_appendf(pOut, " al %s, %s, %s", iso(&d, closes), zOffice,
              bPublished ? "publicado" : "borrador");
  buf_reset(&d);
}

/* Bind a challenge's fields (:title, :desc, :opens, :closes, :office,
** :pub and :now, the current time) to s; then run s and finalize it. */
static void reto_write(Stmt *s, const RetoClean *c, const RetoInput *pIn) {
  Buf now = BUF_INIT, d1 = BUF_INIT, d2 = BUF_INIT;
  clock_now_iso(&now);
  db_bind_text(s, ":title", c->zTitle);
  db_bind_text(s, ":desc", c->zDescription);
  db_bind_text(s, ":opens", iso(&d1, pIn->opens));
  db_bind_text(s, ":closes", iso(&d2, pIn->closes));
  db_bind_int(s, ":office", pIn->iOffice);
  db_bind_int(s, ":pub", pIn->bPublished ? 1 : 0);
  db_bind_text(s, ":now", buf_str(&now));
  db_run(s);
  db_finalize(s);
  buf_reset(&now);
  buf_reset(&d1);
  buf_reset(&d2);
}

int64_t reto_create(Db *db, const RetoInput *pIn, const char *zActor, RetoErrors *pErr) {
  db_begin(db);
  RetoClean c = {0};
  reto_check(db, pIn, true, NULL, &c, pErr);
  if (pErr->n > 0) {
    db_rollback(db);
    reto_clean_reset(&c);
    return 0;
  }
  Stmt *s = db_prepare(db, "INSERT INTO reto(title, description, opens_on, closes_on, office_id, "
                           "published, created_by, created_at, updated_at) VALUES (:title, :desc, "
                           ":opens, :closes, :office, :pub, :actor, :now, :now)");
  db_bind_text(s, ":actor", zActor);
  reto_write(s, &c, pIn);
  int64_t id = db_last_insert_id(db);
  Buf detail = BUF_INIT;
  buf_puts(&detail, "reto creado: ");
  reto_summary(&detail, c.zTitle, pIn->opens, pIn->closes, c.zOffice, pIn->bPublished);
  audit_log(db, zActor, "crear", "reto", id, buf_str(&detail));
  db_commit(db);
  buf_reset(&detail);
  reto_clean_reset(&c);
  return id;
}

/* Append "; " between changes. */
static void change_sep(Buf *p) {
  if (p->n > 0) {
    buf_puts(p, "; ");
  }
}

/* Append "zWhat: OLD → NEW" when day old changed to day new. */
static void change_day(Buf *pCh, const char *zWhat, Day old, Day new) {
  if (old == new) {
    return;
  }
  Buf d = BUF_INIT;
  change_sep(pCh);
  buf_appendf(pCh, "%s: %s", zWhat, iso(&d, old));
  buf_appendf(pCh, " → %s", iso(&d, new));
  buf_reset(&d);
}

int reto_update(Db *db, int64_t iReto, const RetoInput *pIn, const char *zActor, RetoErrors *pErr) {
  db_begin(db);
  Reto old;
  if (!reto_load(db, iReto, &old)) {
    db_rollback(db);
    return -2;
  }
  RetoClean c = {0};
  reto_check(db, pIn, false, &old, &c, pErr);
  if (pErr->n > 0) {
    db_rollback(db);
    reto_clean_reset(&c);
    reto_reset(&old);
    return -1;
  }
  Buf ch = BUF_INIT;
  if (strcmp(old.zTitle, c.zTitle) != 0) {
    change_sep(&ch);
    buf_appendf(&ch, "título: «%s» → «%s»", old.zTitle, c.zTitle);
  }
  if (strcmp(old.zDescription, c.zDescription) != 0) {
    change_sep(&ch);
    buf_appendf(&ch, "planteamiento: «%s» → «%s»", old.zDescription, c.zDescription);
  }
  change_day(&ch, "apertura", old.opens, pIn->opens);
  change_day(&ch, "cierre", old.closes, pIn->closes);
  if (old.iOffice != pIn->iOffice) {
    change_sep(&ch);
    buf_appendf(&ch, "dependencia: %s → %s", old.zOffice, c.zOffice);
  }
  if (old.bPublished != pIn->bPublished) {
    change_sep(&ch);
    buf_puts(&ch, pIn->bPublished ? "publicado" : "vuelve a borrador");
  }
  int rc = 0;
  if (ch.n > 0) {
    Stmt *s = db_prepare(db, "UPDATE reto SET title = :title, description = :desc, opens_on = "
                             ":opens, closes_on = :closes, office_id = :office, published = :pub, "
                             "updated_at = :now WHERE id = :id");
    db_bind_int(s, ":id", iReto);
    reto_write(s, &c, pIn);
    audit_log(db, zActor, "editar", "reto", iReto, buf_str(&ch));
    rc = 1;
  }
  db_commit(db);
  buf_reset(&ch);
  reto_clean_reset(&c);
  reto_reset(&old);
  return rc;
}

/* ---- proposals -------------------------------------------------------------------- */

char *retos_notice_text_dup(const char *zEntity) {
  const char *zWho = zEntity && zEntity[0] ? zEntity : "La entidad";
  return xasprintf(
      "Autorización de tratamiento de datos personales. %s trata su nombre y su correo "
      "electrónico para recibir su propuesta, responderle y, si la propuesta se publica, mostrar "
      "su nombre junto a ella; el correo nunca se publica. Si la entidad radica su propuesta "
      "como sugerencia, esos datos pasan a la sugerencia para darle respuesta. Darlos es "
      "voluntario: puede enviar la propuesta sin nombre ni correo. Usted tiene derecho a "
      "conocer, actualizar, rectificar y suprimir sus datos y a revocar esta autorización, por "
      "medio del formulario de PQRSD de la entidad (Ley 1581 de 2012 y Decreto 1377 de 2013).",
      zWho);
}

int retos_limit(Db *db) {
  return setting_get_int(db, SETTING_RETOS_LIMIT, 0, RETOS_LIMIT_MAX, RETOS_LIMIT_DEFAULT);
}

bool retos_limit_set(Db *db, int n, const char *zActor, char **pzErr) {
  if (n < 0 || n > RETOS_LIMIT_MAX) {
    *pzErr =
        xasprintf("el límite debe ser un número entero entre 0 (sin límite) y %d", RETOS_LIMIT_MAX);
    return false;
  }
  db_begin(db);
  int nOld = retos_limit(db);
  if (nOld != n) {
    char zValue[16];
    snprintf(zValue, sizeof zValue, "%d", n);
    setting_set(db, SETTING_RETOS_LIMIT, zValue);
    audit_logf(db, zActor, "ajuste", "setting", 0, "%s: %d → %d", SETTING_RETOS_LIMIT, nOld, n);
  }
  db_commit(db);
  return true;
}

/* A proposal's input, cleaned. */
typedef struct PropClean {
  char *zName;  /* trimmed (owned) */
  char *zEmail; /* trimmed (owned) */
  char *zBody;  /* trimmed, LF line ends (owned) */
} PropClean;

static void prop_clean_reset(PropClean *c) {
  free(c->zName);
  free(c->zEmail);
  free(c->zBody);
}

/* Check a proposal's fields into *pC; errors go to pErr. */
static void prop_check(const PropuestaInput *pIn, PropClean *pC, RetoErrors *pErr) {
  pC->zName = clean_dup(pIn->zName);
  pC->zEmail = clean_dup(pIn->zEmail);
  pC->zBody = clean_dup(pIn->zBody);
  if (pC->zBody[0] == 0) {
    err_add(pErr, "texto", "escriba su propuesta: el texto no puede ir vacío");
  } else if (text_width(pC->zBody) > RETOS_BODY_MAX) {
    err_add(pErr, "texto", "la propuesta tiene %zu caracteres y el máximo es 5.000; resúmala",
            text_width(pC->zBody));
  }
  if (strchr(pC->zName, '\n') != NULL) {
    err_add(pErr, "nombre", "el nombre va en una sola línea");
  } else if (text_width(pC->zName) > RETOS_NAME_MAX) {
    err_add(pErr, "nombre", "el nombre tiene %zu caracteres y el máximo es %d",
            text_width(pC->zName), RETOS_NAME_MAX);
  }
  if (pC->zEmail[0] && !text_is_email(pC->zEmail)) {
    err_add(pErr, "correo",
            "el correo electrónico no parece válido; escríbalo completo, por ejemplo "
            "nombre@dominio.com, o déjelo vacío");
  }
  if ((pC->zName[0] || pC->zEmail[0]) && !pIn->bConsent) {
    err_add(pErr, "consentimiento",
            "para enviar la propuesta con su nombre o su correo, marque la autorización de "
            "tratamiento de datos; si prefiere no darla, borre el nombre y el correo y envíela "
            "de forma anónima");
  }
}

/* Whether challenge iReto is receiving proposals today. */
static bool reto_is_open(Db *db, int64_t iReto) {
  Reto r;
  bool bOpen = reto_load(db, iReto, &r) && reto_status(&r, clock_today()) == RETO_ABIERTO;
  reto_reset(&r);
  return bOpen;
}

/* Store the notice text zText once; its hash into zHex. */
static void notice_store(Db *db, const char *zText, char zHex[HASH_HEX_SIZE]) {
  hash_sha256_hex(zText, strlen(zText), zHex);
  Stmt *s = db_prepare(db, "INSERT INTO reto_notice(hash, text) VALUES (:hash, :text) "
                           "ON CONFLICT (hash) DO NOTHING");
  db_bind_text(s, ":hash", zHex);
  db_bind_text(s, ":text", zText);
  db_run(s);
  db_finalize(s);
}

ProposeResult reto_propose(Db *db, int64_t iReto, const PropuestaInput *pIn, const char *zEntity,
                           int64_t *piOut, int *pnWaitSec, RetoErrors *pErr) {
  *piOut = 0;
  *pnWaitSec = 0;
  PropClean c = {0};
  prop_check(pIn, &c, pErr);
  if (pErr->n > 0) {
    prop_clean_reset(&c);
    return PROPOSE_INVALID;
  }
  db_begin(db);
  if (!reto_is_open(db, iReto)) {
    db_rollback(db);
    prop_clean_reset(&c);
    return PROPOSE_NOT_OPEN;
  }
  int nLimit = retos_limit(db);
  const char *zAddr = pIn->zAddress ? pIn->zAddress : "";
  *pnWaitSec = ratelimit_wait(db, RATE_PROPOSAL, zAddr, nLimit);
  if (*pnWaitSec > 0) {
    db_rollback(db);
    prop_clean_reset(&c);
    return PROPOSE_THROTTLED;
  }
  bool bIdentified = c.zName[0] || c.zEmail[0];
  char zHash[2 * crypto_hash_sha256_BYTES + 1] = "";
  if (bIdentified) {
    char *zNotice = retos_notice_text_dup(zEntity);
    notice_store(db, zNotice, zHash);
    free(zNotice);
  }
  Buf now = BUF_INIT;
  clock_now_iso(&now);
  Stmt *s = db_prepare(db, "INSERT INTO reto_proposal(reto_id, author_name, email, body, "
                           "received_at, consent_at, consent_hash) VALUES (:reto, :name, :email, "
                           ":body, :now, :consent_at, :hash)");
  db_bind_int(s, ":reto", iReto);
  db_bind_text(s, ":name", c.zName);
  db_bind_text(s, ":email", c.zEmail);
  db_bind_text(s, ":body", c.zBody);
  db_bind_text(s, ":now", buf_str(&now));
  db_bind_text(s, ":consent_at", bIdentified ? buf_str(&now) : NULL);
  db_bind_text(s, ":hash", bIdentified ? zHash : NULL);
  db_run(s);
  db_finalize(s);
  int64_t id = db_last_insert_id(db);
  if (nLimit > 0) {
    ratelimit_count(db, RATE_PROPOSAL, zAddr);
  }
  audit_logf(db, RETOS_ACTOR_PUBLIC, "proponer", "propuesta", id,
             "propuesta %s al reto %lld, pendiente de moderación",
             bIdentified ? "identificada (con autorización de datos)" : "anónima",
             (long long)iReto);
  db_commit(db);
  buf_reset(&now);
  prop_clean_reset(&c);
  *piOut = id;
  return PROPOSE_OK;
}

/* The columns every proposal query selects, in the order row_prop reads. */
#define PROP_COLUMNS                                                                               \
  "p.id, p.reto_id, r.title, p.author_name, p.email, p.body, p.received_at, "                      \
  "p.consent_hash IS NOT NULL, p.status, coalesce(p.moderator, ''), "                              \
  "coalesce(p.moderated_at, ''), coalesce(p.reject_reason, ''), coalesce(p.radicado, ''), "        \
  "p.public_body, coalesce(p.anonymised_at, ''), coalesce(p.anonymised_why, '') "                  \
  "FROM reto_proposal p JOIN reto r ON r.id = p.reto_id "

static PropStatus prop_status_parse(const char *z) {
  if (strcmp(z, "publicada") == 0) {
    return PROP_PUBLICADA;
  }
  return strcmp(z, "rechazada") == 0 ? PROP_RECHAZADA : PROP_PENDIENTE;
}

static void row_prop(Stmt *s, Propuesta *p) {
  p->id = db_col_int(s, 0);
  p->iReto = db_col_int(s, 1);
  p->zRetoTitle = xstrdup(db_col_text(s, 2));
  p->zName = xstrdup(db_col_text(s, 3));
  p->zEmail = xstrdup(db_col_text(s, 4));
  p->zBody = xstrdup(db_col_text(s, 5));
  p->zReceivedAt = xstrdup(db_col_text(s, 6));
  p->bConsent = db_col_int(s, 7) != 0;
  p->eStatus = prop_status_parse(db_col_text(s, 8));
  p->zModerator = xstrdup(db_col_text(s, 9));
  p->zModeratedAt = xstrdup(db_col_text(s, 10));
  p->zReason = xstrdup(db_col_text(s, 11));
  p->zRadicado = xstrdup(db_col_text(s, 12));
  p->zPublicBody = xstrdup(db_col_text(s, 13));
  p->zAnonymisedAt = xstrdup(db_col_text(s, 14));
  p->bWithdrawn = strcmp(db_col_text(s, 15), "titular") == 0;
}

bool propuesta_load(Db *db, int64_t iProp, Propuesta *p) {
  memset(p, 0, sizeof *p);
  Stmt *s = db_prepare(db, "SELECT " PROP_COLUMNS "WHERE p.id = :id");
  db_bind_int(s, ":id", iProp);
  bool bFound = db_step(s);
  if (bFound) {
    row_prop(s, p);
  }
  db_finalize(s);
  return bFound;
}

void propuesta_reset(Propuesta *p) {
  free(p->zRetoTitle);
  free(p->zName);
  free(p->zEmail);
  free(p->zBody);
  free(p->zReceivedAt);
  free(p->zModerator);
  free(p->zModeratedAt);
  free(p->zReason);
  free(p->zRadicado);
  free(p->zPublicBody);
  free(p->zAnonymisedAt);
  memset(p, 0, sizeof *p);
}

/* Every row of s as proposals. */
static int prop_rows(Stmt *s, Propuesta **paOut) {
  int n = 0, nAlloc = 0;
  Propuesta *a = NULL;
  while (db_step(s)) {
    if (n == nAlloc) {
      nAlloc = nAlloc ? 2 * nAlloc : 8;
      a = xrealloc(a, sizeof(Propuesta) * (size_t)nAlloc);
    }
    row_prop(s, &a[n++]);
  }
  db_finalize(s);
  *paOut = a;
  return n;
}

int reto_proposals(Db *db, int64_t iReto, bool bAll, Propuesta **paOut) {
  Stmt *s = db_prepare(db, "SELECT " PROP_COLUMNS "WHERE p.reto_id = :reto AND (:all = 1 OR "
                           "p.status = 'publicada') ORDER BY p.id");
  db_bind_int(s, ":reto", iReto);
  db_bind_int(s, ":all", bAll ? 1 : 0);
  return prop_rows(s, paOut);
}

int retos_pending(Db *db, Propuesta **paOut) {
  Stmt *s = db_prepare(db, "SELECT " PROP_COLUMNS "WHERE p.status = 'pendiente' ORDER BY p.id");
  return prop_rows(s, paOut);
}

void propuesta_list_free(int n, Propuesta *a) {
  for (int i = 0; i < n; i++) {
    propuesta_reset(&a[i]);
  }
  free(a);
}

/* The word for a moderated status ("publicada", "rechazada"). */
static const char *prop_status_word(PropStatus e) {
  return e == PROP_PUBLICADA ? "publicada" : e == PROP_RECHAZADA ? "rechazada" : "pendiente";
}

bool propuesta_moderate(Db *db, int64_t iProp, bool bApprove, const char *zPublicBody,
                        const char *zReason, const char *zActor, bool *pbMissing, char **pzErr) {
  if (pbMissing) {
    *pbMissing = false;
  }
  char *zWhy = clean_dup(zReason);
  char *zPublic = clean_dup(zPublicBody);
  db_begin(db);
  Propuesta p;
  bool bOk = false;
  if (!propuesta_load(db, iProp, &p)) {
    if (pbMissing) {
      *pbMissing = true;
    }
    *pzErr = xasprintf("no existe la propuesta %lld", (long long)iProp);
  } else if (p.eStatus != PROP_PENDIENTE) {
    *pzErr =
        xasprintf("la propuesta %lld ya fue %s por %s", (long long)iProp,
                  prop_status_word(p.eStatus), p.zModerator[0] ? p.zModerator : "otra persona");
  } else if (bApprove && zPublic[0] == 0) {
    *pzErr = xasprintf("escriba el texto público de la propuesta %lld: es lo único que se publica",
                       (long long)iProp);
  } else if (bApprove && text_width(zPublic) > RETOS_BODY_MAX) {
    *pzErr = xasprintf("el texto público tiene %zu caracteres y el máximo es %d",
                       text_width(zPublic), RETOS_BODY_MAX);
  } else if (bApprove && p.zEmail[0] && strstr(zPublic, p.zEmail) != NULL) {
    *pzErr = xasprintf("el texto público de la propuesta %lld contiene el correo de su autor; "
                       "quítelo: el correo nunca se publica",
                       (long long)iProp);
  } else if (!bApprove && zWhy[0] == 0) {
    *pzErr = xasprintf("escriba el motivo del rechazo de la propuesta %lld: queda guardado con "
                       "ella",
                       (long long)iProp);
  } else if (!bApprove && text_width(zWhy) > RETOS_REASON_MAX) {
    *pzErr = xasprintf("el motivo tiene %zu caracteres y el máximo es 2.000", text_width(zWhy));
  } else {
    Buf now = BUF_INIT;
    clock_now_iso(&now);
    Stmt *s = db_prepare(db, "UPDATE reto_proposal SET status = :status, moderator = :actor, "
                             "moderated_at = :now, reject_reason = :why, public_body = :public "
                             "WHERE id = :id AND status = 'pendiente'");
    db_bind_text(s, ":public", bApprove ? zPublic : "");
    db_bind_text(s, ":status", bApprove ? "publicada" : "rechazada");
    db_bind_text(s, ":actor", zActor);
    db_bind_text(s, ":now", buf_str(&now));
    db_bind_text(s, ":why", bApprove ? NULL : zWhy);
    db_bind_int(s, ":id", iProp);
    db_run(s);
    db_finalize(s);
    /* a rejection's reason stays with the proposal: it may quote the author */
    audit_logf(db, zActor, bApprove ? "publicar" : "rechazar", "propuesta", iProp,
               "propuesta al reto %lld %s", (long long)p.iReto,
               bApprove ? "publicada" : "rechazada");
    buf_reset(&now);
    bOk = true;
  }
  if (bOk) {
    db_commit(db);
  } else {
    db_rollback(db);
  }
  propuesta_reset(&p);
  free(zWhy);
  free(zPublic);
  return bOk;
}

/* Fill *pSub (and the owned strings in azOwn[0..1]) with proposal p as a
** sugerencia: the subject names the challenge; the text says where the
** proposal came from, then gives it as written. An author who gave a name
** files it identified (the e-mail, when given, as the reply channel,
** else the on-line check), with the consent given on the proposal (whose
** notice says that the data go with the sugerencia); otherwise it is
** filed anonymously, and an e-mail given without a name stays with the
** proposal only (a PQRSD needs a name to be identified). */
static void sugerencia_of(const Propuesta *p, const char *zActor, PqrsdSubmission *pSub,
                          char *azOwn[2]) {
  memset(pSub, 0, sizeof *pSub);
  char *zTitle = xasprintf("Propuesta al reto «%s»", p->zRetoTitle);
  azOwn[0] = text_ellipsize_dup(zTitle, PQRSD_SUBJECT_MAX);
  free(zTitle);
  Buf text = BUF_INIT;
  buf_appendf(&text, "Propuesta %lld al reto %lld «%s», recibida el ", (long long)p->id,
              (long long)p->iReto, p->zRetoTitle);
  date_format_long(iso_day(p->zReceivedAt), &text);
  buf_appendf(&text, " y radicada como sugerencia por %s:\n\n%s", zActor, p->zBody);
  azOwn[1] = buf_take(&text);
  pSub->zType = "sugerencia";
  pSub->zSubject = azOwn[0];
  pSub->zText = azOwn[1];
  pSub->zActor = zActor;
  if (p->zName[0] && p->bConsent) {
    pSub->zName = p->zName;
    pSub->zEmail = p->zEmail[0] ? p->zEmail : NULL;
    pSub->zChannel = p->zEmail[0] ? "correo" : "consulta";
    pSub->bConsent = true;
  } else {
    pSub->bAnonymous = true;
    pSub->zChannel = "consulta";
  }
}

char *propuesta_to_sugerencia_dup(Db *db, int64_t iProp, const char *zActor, bool *pbMissing,
                                  char **pzErr) {
  if (pbMissing) {
    *pbMissing = false;
  }
  Calendar cal;
  calendar_init(&cal);
  calendar_load(&cal, db);
  int iSync = db_durable_begin(db);
  db_begin(db);
  Propuesta p;
  char *zRadicado = NULL;
  int64_t iPqrsd = 0;
  if (!propuesta_load(db, iProp, &p)) {
    if (pbMissing) {
      *pbMissing = true;
    }
    *pzErr = xasprintf("no existe la propuesta %lld", (long long)iProp);
  } else if (p.zRadicado[0]) {
    *pzErr = xasprintf("la propuesta %lld ya fue radicada como sugerencia con el número %s",
                       (long long)iProp, p.zRadicado);
  } else {
    PqrsdSubmission sub;
    char *azOwn[2] = {NULL, NULL};
    sugerencia_of(&p, zActor, &sub, azOwn);
    /* an address this module took that the PQRSD rules refuse is left
    ** out (it stays with the proposal) rather than refusing the filing */
    char *azErr[PQF_COUNT];
    if (pqrsd_validate(db, &sub, azErr) > 0 && azErr[PQF_EMAIL] != NULL) {
      sub.zEmail = NULL;
      sub.zChannel = "consulta";
    }
    pqrsd_errors_reset(azErr);
    PqrsdReceipt rcpt;
    char *zErr = NULL;
    if (!pqrsd_submit_in_tx(db, &cal, &sub, &rcpt, &zErr)) {
      *pzErr = xasprintf("la PQRSD no se pudo radicar (%s)", zErr ? zErr : "sin detalle");
      free(zErr);
    } else {
      Stmt *s = db_prepare(db, "UPDATE reto_proposal SET radicado = :rad WHERE id = :id AND "
                               "radicado IS NULL");
      db_bind_text(s, ":rad", rcpt.zRadicado);
      db_bind_int(s, ":id", iProp);
      db_run(s);
      db_finalize(s);
      /* checked above, under the write lock (unless the database failed) */
      ASSERT(db_fault(db) != NULL || db_changes(db) == 1);
      audit_logf(db, zActor, "radicar", "propuesta", iProp,
                 "propuesta al reto %lld radicada como sugerencia %s", (long long)p.iReto,
                 rcpt.zRadicado);
      zRadicado = xstrdup(rcpt.zRadicado);
      iPqrsd = rcpt.id;
    }
    free(azOwn[0]);
    free(azOwn[1]);
  }
  if (zRadicado) {
    db_commit(db);
  } else {
    db_rollback(db);
  }
  if (iPqrsd) {
    /* the challenge's office answers it; a refusal (the office merged away
    ** meanwhile) leaves it unassigned in the PQRSD inbox, filed all the same */
    Reto r;
    if (reto_load(db, p.iReto, &r)) {
      char *zErr = NULL;
      pqrsd_assign(db, &cal, iPqrsd, r.iOffice, zActor, &zErr);
      free(zErr);
    }
    reto_reset(&r);
  }
  db_durable_end(db, iSync);
  propuesta_reset(&p);
  calendar_reset(&cal);
  return zRadicado;
}

/* ---- personal data ------------------------------------------------------------------------- */

bool propuesta_correct(Db *db, int64_t iProp, const char *zName, const char *zEmail,
                       const char *zActor, int *pnChanged, char **pzErr) {
  if (pnChanged) {
    *pnChanged = 0;
  }
  db_begin(db);
  Propuesta p;
  if (!propuesta_load(db, iProp, &p)) {
    db_rollback(db);
    *pzErr = xasprintf("no existe la propuesta %lld", (long long)iProp);
    return false;
  }
  char *zNewName = clean_dup(zName ? zName : p.zName);
  char *zNewEmail = clean_dup(zEmail ? zEmail : p.zEmail);
  char *zMsg = NULL;
  if (p.zAnonymisedAt[0]) {
    zMsg = xasprintf("los datos personales de la propuesta %lld ya fueron suprimidos",
                     (long long)iProp);
  } else if (!p.bConsent) {
    zMsg = xasprintf("la propuesta %lld es anónima: no guarda datos personales que corregir",
                     (long long)iProp);
  } else if (text_width(zNewName) > RETOS_NAME_MAX) {
    zMsg = xasprintf("el nombre no puede pasar de %d caracteres", RETOS_NAME_MAX);
  } else if (strlen(zNewEmail) > RETOS_EMAIL_MAX ||
             (zNewEmail[0] && (strchr(zNewEmail, '@') == NULL || strchr(zNewEmail, ' ')))) {
    zMsg =
        xasprintf("el correo «%s» no parece válido; escríbalo como nombre@dominio.co", zNewEmail);
  }
  if (zMsg) {
    db_rollback(db);
    free(zNewName);
    free(zNewEmail);
    propuesta_reset(&p);
    *pzErr = zMsg;
    return false;
  }
  int nChanged = (strcmp(zNewName, p.zName) != 0) + (strcmp(zNewEmail, p.zEmail) != 0);
  if (nChanged > 0) {
    Stmt *s = db_prepare(db, "UPDATE reto_proposal SET author_name = :name, email = :email "
                             "WHERE id = :id");
    db_bind_text(s, ":name", zNewName);
    db_bind_text(s, ":email", zNewEmail);
    db_bind_int(s, ":id", iProp);
    db_run(s);
    db_finalize(s);
    audit_logf(db, zActor, "corregir datos", "propuesta", iProp,
               "propuesta %lld: solicitud del titular; se corrigió: %s%s%s", (long long)iProp,
               strcmp(zNewName, p.zName) ? "nombre" : "", nChanged == 2 ? ", " : "",
               strcmp(zNewEmail, p.zEmail) ? "correo" : "");
    db_commit(db);
  } else {
    db_rollback(db);
  }
  free(zNewName);
  free(zNewEmail);
  propuesta_reset(&p);
  if (pnChanged) {
    *pnChanged = nChanged;
  }
  return true;
}

bool propuesta_anonymise_in_tx(Db *db, int64_t iProp, bool bTitular) {
  Stmt *s = db_prepare(db, "SELECT anonymised_why FROM reto_proposal WHERE id = :id");
  db_bind_int(s, ":id", iProp);
  bool bFound = db_step(s);
  bool bDone = bFound && !db_col_is_null(s, 0);
  bool bWithdrawn = bDone && strcmp(db_col_text(s, 0), "titular") == 0;
  db_finalize(s);
  if (!bFound || (bDone && (bWithdrawn || !bTitular))) {
    return false;
  }
  Buf now = BUF_INIT;
  clock_now_iso(&now);
  s = db_prepare(db, "UPDATE reto_proposal SET author_name = '', email = '', body = :gone, "
                     "public_body = CASE WHEN :titular = 1 THEN :withdrawn ELSE public_body END, "
                     "reject_reason = CASE WHEN reject_reason IS NULL THEN NULL ELSE :gone END, "
                     "anonymised_at = :now, anonymised_why = :why WHERE id = :id");
  db_bind_text(s, ":gone", RETOS_SUPPRESSED);
  db_bind_text(s, ":withdrawn", RETOS_WITHDRAWN);
  db_bind_int(s, ":titular", bTitular);
  db_bind_text(s, ":now", buf_str(&now));
  db_bind_text(s, ":why", bTitular ? "titular" : "plazo");
  db_bind_int(s, ":id", iProp);
  db_run(s);
  db_finalize(s);
  buf_reset(&now);
  return true;
}

int retos_retention_due(Db *db, const char *zBefore, int64_t **paId) {
  Stmt *s = db_prepare(db, "SELECT p.id FROM reto_proposal p JOIN reto r ON r.id = p.reto_id "
                           "WHERE r.closes_on < :before AND p.anonymised_at IS NULL ORDER BY p.id");
  db_bind_text(s, ":before", zBefore);
  int n = db_ids(s, paId);
  db_finalize(s);
  return n;
}

int64_t retos_proposal_of_radicado(Db *db, const char *zRadicado) {
  Stmt *s = db_prepare(db, "SELECT id FROM reto_proposal WHERE radicado = :rad");
  db_bind_text(s, ":rad", zRadicado);
  int64_t id = db_step(s) ? db_col_int(s, 0) : 0;
  db_finalize(s);
  return id;
}
