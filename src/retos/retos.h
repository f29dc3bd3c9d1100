/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Open challenges (retos, item 11 of the plan): planeación publishes a
** problem the administration takes on (title, problem statement, opening
** and closing dates, the responsible office of the catalogue); citizens
** send proposals while it is open; every proposal is moderated before the
** public sees it; a proposal can be filed as a PQRSD sugerencia, which gives
** it a radicado and a legal term for the answer.
**
** The rules, all checked here so that every caller (web, tests) gets them:
**   - a challenge's status is derived from its publish flag and its dates
**     against today's date: a draft (borrador) until published; then
**     próximo before opens_on, abierto from opens_on to closes_on (both
**     included), cerrado after;
**   - title 1..RETOS_TITLE_MAX characters, problem statement
**     1..RETOS_DESC_MAX, both dates, closes_on >= opens_on, an office of
**     the catalogue; a new challenge cannot close before today; a
**     published challenge that has received proposals cannot go back to
**     draft (its proposals would disappear from the public pages: close it
**     by moving the closing date instead);
**   - proposals are received only while the challenge is abierto; the text
**     is required (RETOS_BODY_MAX characters at most); a name
**     (RETOS_NAME_MAX) and an e-mail (RETOS_EMAIL_MAX) are optional, and
**     giving either needs consent to the personal-data notice
**     (retos_notice_text; Ley 1581 de 2012): its exact words are stored
**     with the proposal; anonymous proposals are welcome;
**   - at most retos.limite_hora proposals per client address per hour
**     (setting, default RETOS_LIMIT_DEFAULT; 0 = no limit), the public
**     forms' one rate limit (db/ratelimit.h: per IPv4 address or IPv6 /64);
**   - moderation goes from pendiente to publicada or rechazada, once; a
**     rejection needs a reason;
**   - a proposal is filed as a sugerencia once (any status): the PQRSD is
**     created in the same transaction that stores its radicado on the
**     proposal.
**
** Every change goes to the audit log (audit_log) in the same transaction.
** Personal data (name, e-mail) never goes to the log, which cannot be
** edited: the log names the proposal by its id.
**
** What it does not do: pages (retos_web.c), HTTP or HTML; deciding who may
** act (the route table's capability 'p' does); sending e-mail.
*/
#ifndef PARTICIPA_RETOS_RETOS_H
#define PARTICIPA_RETOS_RETOS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/date.h"
#include "db/db.h"

#define RETOS_TITLE_MAX     200   /* characters of a challenge's title */
#define RETOS_DESC_MAX      10000 /* characters of its problem statement */
#define RETOS_BODY_MAX      5000  /* characters of a proposal */
#define RETOS_NAME_MAX      120   /* characters of a proposer's name */
#define RETOS_EMAIL_MAX     254   /* bytes of an e-mail address */
#define RETOS_REASON_MAX    2000  /* characters of a rejection reason */
#define RETOS_LIMIT_DEFAULT 10    /* proposals per address per hour when the setting is unset */
#define RETOS_LIMIT_MAX     10000 /* highest limit the setting takes */
#define RETOS_ACTOR_PUBLIC  "ciudadano" /* the audit log's actor for a citizen */

/* A challenge's status (derived, see above). */
typedef enum RetoStatus {
  RETO_BORRADOR = 0, /* not published */
  RETO_PROXIMO,      /* published, opens later */
  RETO_ABIERTO,      /* receiving proposals */
  RETO_CERRADO       /* past its closing date */
} RetoStatus;

/* A challenge as stored, with its proposal counts. Owned strings. */
typedef struct Reto {
  int64_t id;         /* row id */
  char *zTitle;       /* title */
  char *zDescription; /* the problem statement */
  Day opens;          /* first day proposals are received */
  Day closes;         /* last day */
  int64_t iOffice;    /* the responsible office */
  char *zOffice;      /* its name */
  bool bPublished;    /* published (not a draft) */
  char *zCreatedBy;   /* who created it */
  char *zCreatedAt;   /* when (ISO UTC) */
  char *zUpdatedAt;   /* last change (ISO UTC) */
  int nPublished;     /* proposals published */
  int nPending;       /* proposals waiting for moderation */
  int nRejected;      /* proposals rejected */
} Reto;

/* What a challenge is created or edited with (the caller parsed the dates). */
typedef struct RetoInput {
  const char *zTitle;       /* title (trimmed here) */
  const char *zDescription; /* problem statement (trimmed here; CRLF made LF) */
  Day opens, closes;        /* dates */
  bool bOpens, bCloses;     /* the dates were given */
  int64_t iOffice;          /* office id, 0 = none chosen */
  bool bPublished;          /* publish it */
} RetoInput;

/* Errors found in an input, at most one per field. zField names the form
** field ("titulo", "descripcion", "abre", "cierra", "dependencia",
** "publicado", "texto", "nombre", "correo", "consentimiento", "motivo"; ""
** for the whole form); zMsg is Spanish, starts in lower case and says what
** to do (owned). */
#define RETOS_MAX_ERR 12
typedef struct RetoErrors {
  int n;
  struct {
    const char *zField; /* a literal */
    char *zMsg;         /* owned */
  } a[RETOS_MAX_ERR];
} RetoErrors;

/* The message for zField, or NULL. */
const char *retos_error_for(const RetoErrors *e, const char *zField);
/* Free the messages and empty e. */
void retos_errors_reset(RetoErrors *e);

/* The status of p on day today. */
RetoStatus reto_status(const Reto *p, Day today);
/* "Borrador", "Próximo", "Abierto", "Cerrado". Static. */
const char *reto_status_label(RetoStatus e);

/* Create a challenge from pIn (checked by the rules above, today being
** clock_today()). Returns its id, or 0 with the reasons in *pErr (nothing
** stored). One transaction, logged as zActor. */
int64_t reto_create(Db *db, const RetoInput *pIn, const char *zActor, RetoErrors *pErr);
/* Change challenge iReto to pIn. Returns 1 when changed, 0 when nothing
** differed, -1 with *pErr when refused (nothing stored) and -2 when there is
** no such challenge. Each changed field is logged with old and new value. */
int reto_update(Db *db, int64_t iReto, const RetoInput *pIn, const char *zActor, RetoErrors *pErr);

/* Load challenge iReto into *p. False when there is none (*p is then
** zeroed). Free with reto_reset. */
bool reto_load(Db *db, int64_t iReto, Reto *p);
void reto_reset(Reto *p);
/* The challenges, newest opening first; bDrafts includes unpublished ones.
** Returns the count; free with reto_list_free. */
int reto_list(Db *db, bool bDrafts, Reto **paOut);
void reto_list_free(int n, Reto *a);

/* ---- proposals ---- */

typedef enum PropStatus {
  PROP_PENDIENTE = 0, /* waiting for moderation */
  PROP_PUBLICADA,     /* shown on the challenge's page */
  PROP_RECHAZADA      /* not shown; the reason is kept */
} PropStatus;

/* A proposal as stored. Owned strings ("" when absent). */
typedef struct Propuesta {
  int64_t id;          /* row id */
  int64_t iReto;       /* its challenge */
  char *zRetoTitle;    /* the challenge's title */
  char *zName;         /* the author's name, "" = anonymous */
  char *zEmail;        /* e-mail, "" = none (never shown publicly) */
  char *zBody;         /* the proposal */
  char *zReceivedAt;   /* ISO UTC */
  bool bConsent;       /* identified, with consent recorded */
  PropStatus eStatus;  /* moderation */
  char *zModerator;    /* who moderated it */
  char *zModeratedAt;  /* when */
  char *zReason;       /* why it was rejected */
  char *zRadicado;     /* the sugerencia it was filed as */
  char *zPublicBody;   /* the text the public sees, written or confirmed by the moderator
                       ** ("" until published) */
  char *zAnonymisedAt; /* when its personal data were anonymised (ISO UTC), "" = kept */
  bool bWithdrawn;     /* anonymised at its author's request: nothing of it is shown */
} Propuesta;

/* What a citizen sends. */
typedef struct PropuestaInput {
  const char *zName;    /* "" or NULL = anonymous */
  const char *zEmail;   /* "" or NULL = none */
  const char *zBody;    /* the proposal */
  bool bConsent;        /* the consent box was ticked */
  const char *zAddress; /* client address, for the rate limit */
} PropuestaInput;

typedef enum ProposeResult {
  PROPOSE_OK = 0,   /* stored, pending moderation; *piOut has its id */
  PROPOSE_INVALID,  /* *pErr says what to correct */
  PROPOSE_NOT_OPEN, /* the challenge is not receiving proposals (or does not exist) */
  PROPOSE_THROTTLED /* too many from this address: *pnWaitSec says how long to wait */
} ProposeResult;

/* The personal-data notice an identified proposal consents to, for entity
** zEntity ("" = the entity's name unknown). Caller frees. */
char *retos_notice_text_dup(const char *zEntity);

/* The proposals-per-hour limit now in force (setting, else the default). */
int retos_limit(Db *db);
/* Set the limit to n (0 = no limit, at most RETOS_LIMIT_MAX) as one
** transaction with its log entry. False with *pzErr (Spanish, caller
** frees) when n is out of range. True also when unchanged (nothing logged). */
bool retos_limit_set(Db *db, int n, const char *zActor, char **pzErr);

/* Receive a proposal to challenge iReto, as one transaction: checks the
** rules above (input first, then that the challenge is open, then the rate
** limit) and stores it pending moderation with its consent (the text of
** retos_notice_text_dup(zEntity)). */
ProposeResult reto_propose(Db *db, int64_t iReto, const PropuestaInput *pIn, const char *zEntity,
                           int64_t *piOut, int *pnWaitSec, RetoErrors *pErr);

/* Load proposal iProp. False when there is none. Free with propuesta_reset. */
bool propuesta_load(Db *db, int64_t iProp, Propuesta *p);
void propuesta_reset(Propuesta *p);
/* Proposals of challenge iReto oldest first: only the published ones, or
** all with bAll. Returns the count; free with propuesta_list_free. */
int reto_proposals(Db *db, int64_t iReto, bool bAll, Propuesta **paOut);
/* Proposals waiting for moderation, of every challenge, oldest first. */
int retos_pending(Db *db, Propuesta **paOut);
void propuesta_list_free(int n, Propuesta *a);

/* Publish (bApprove) or reject proposal iProp. Publishing needs
** zPublicBody, the text the public will see (1..RETOS_BODY_MAX
** characters, without the author's e-mail): the moderator's own version,
** which the form offers pre-filled with the citizen's text to edit, so that
** nothing the citizen wrote is shown without an official's explicit edit.
** Rejecting needs zReason, kept with the proposal and not in the change
** log (it may quote the author). Returns false with *pzErr (Spanish,
** caller frees) when there is no such proposal, it was already moderated,
** or a text is missing or too long; *pbMissing tells "no such proposal"
** apart (may be NULL). */
bool propuesta_moderate(Db *db, int64_t iProp, bool bApprove, const char *zPublicBody,
                        const char *zReason, const char *zActor, bool *pbMissing, char **pzErr);

/* File proposal iProp as a PQRSD sugerencia (pqrsd.h) in one transaction
** and store its radicado on the proposal. Returns the radicado (caller
** frees), or NULL with *pzErr (Spanish, caller frees) when there is no
** such proposal (*pbMissing, may be NULL), it was already filed, or the
** PQRSD could not be created. */
char *propuesta_to_sugerencia_dup(Db *db, int64_t iProp, const char *zActor, bool *pbMissing,
                                  char **pzErr);

/* ---- personal data (Ley 1581 de 2012; src/privacy/privacy.h) ---- */

#define RETOS_SUPPRESSED "Datos suprimidos (Ley 1581 de 2012)"        /* replaces the texts */
#define RETOS_WITHDRAWN  "Propuesta retirada a solicitud de su autor" /* public text then */

/* Correct the author's name (zName) and e-mail (zEmail) of proposal iProp,
** NULL leaving one unchanged, "" removing it: a titular's request. One
** transaction whose log entry ("corregir datos") names the proposal and
** the fields changed, never their values. *pnChanged (may be NULL) counts
** the fields changed. Refusals in *pzErr (caller frees): no such
** proposal, anonymous proposal, already suppressed, name too long, e-mail
** not valid. */
bool propuesta_correct(Db *db, int64_t iProp, const char *zName, const char *zEmail,
                       const char *zActor, int *pnChanged, char **pzErr);
/* Inside the caller's write transaction, anonymise proposal iProp: name and
** e-mail become "", its text and any rejection reason RETOS_SUPPRESSED. At
** the titular's request (bTitular) its public text becomes RETOS_WITHDRAWN;
** at the end of the retention period the moderator's public version stays.
** False (nothing written) when there is no such proposal or it was already
** anonymised that way. Writes no log entry: the caller does. */
bool propuesta_anonymise_in_tx(Db *db, int64_t iProp, bool bTitular);
/* The ids of the proposals not yet anonymised whose challenge closed before
** zBefore (ISO date), oldest first. Returns the count; caller frees *paId. */
int retos_retention_due(Db *db, const char *zBefore, int64_t **paId);
/* The proposal filed as the sugerencia zRadicado, or 0. */
int64_t retos_proposal_of_radicado(Db *db, const char *zRadicado);

#endif
