/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** PQRSD (peticiones, quejas, reclamos, sugerencias y denuncias; Ley 1755 de
** 2015): the model, its storage, numbering, legal terms, state machine and
** the transparency figures. The CLI (pqrsd_cmd.c) and the web pages
** (pqrsd_web.c) are thin layers over these functions; none of them sees SQL.
**
** Filing. A submission is validated (pqrsd_validate), then stored in the
** caller's write transaction (pqrsd_submit_in_tx), which takes the next
** number of the year from a counter row in that same transaction: the
** radicado "YYYY-PQRSD-NNNNNN" is consecutive per year with no gap and no
** duplicate, whatever the concurrency, and a rolled-back transaction gives
** its number back. The group-commit writer (db/batch.h) calls it for many
** submissions in one transaction; pqrsd_submit wraps it in its own
** transaction for the CLI and tests. Times: received_at is UTC; the day the
** terms count from is the date in Bogotá (UTC−5, no daylight saving) of
** that instant, and every "today" of this module is the Bogotá date of
** clock_now_unix() (so PARTICIPA_NOW fixes it in tests).
**
** Terms. Each type has a term in business days (pqrsd_type, editable). The
** term runs from the next business day after its start (art. 14): due =
** calendar_add(cal, start, term), where start is the filing day, or the day
** of a forward (art. 21: the term restarts), or the day the petitioner
** completed the petition (art. 17). An extension (art. 14 parágrafo) is
** asked before the due date, once, with a reason, and may not go beyond
** calendar_add(cal, start, 2 × term).
**
** States (stored by their Spanish names) and the moves between them, where
** "open" means radicada, asignada, or trasladada to an office of the entity:
**
**   action               from                          to
**   assign               open                          asignada (term kept)
**   forward to office    open                          trasladada (term restarts)
**   forward to entity    open                          trasladada, external
**   request_completion   open                          en espera de información
**   complete             en espera de información      asignada (radicada when no
**                                                      office); term restarts
**   extend               open                          (same state, bExtended)
**   answer               open                          respondida
**   close                respondida; trasladada to an  cerrada
**                        entity; en espera de
**                        información after its month
**
**   - "open" states are radicada, asignada and trasladada to an office: the
**     term runs; answer, forward, request_completion and extend act on them.
**   - en espera de información: the term is paused; the petitioner has one
**     calendar month (pause_deadline) to complete; only complete, or close
**     once that month has passed (desistimiento tácito, art. 17), act on it.
**   - trasladada to another entity: the entity is no longer competent; only
**     close acts on it. It counts as forwarded, not pending, in reports.
**   - respondida: only close. cerrada: nothing.
**   - An extension is a flag (bExtended), not a state: the state stays.
** Every illegal move is refused with a Spanish sentence saying why (they
** are listed beside each function). Every change is one transaction that
** also writes the audit log (audit_log) and the PQRSD's own history
** (pqrsd_event; public events are the ones the petitioner sees).
**
** The consultation code is random (libsodium), 12 characters from an
** alphabet without look-alikes, shown once as "XXXX-XXXX-XXXX"; only its
** SHA-256 is stored. A lookup with a wrong code and one with an unknown
** radicado take the same path and give the same answer.
**
** Personal data (Ley 1581 de 2012; src/privacy/privacy.h, docs/datos-
** personales.md). The audit log names a PQRSD by its radicado and never
** holds the petitioner's identity or texts. A published answer shows only
** the public version an official writes (public_subject, public_answer),
** never the citizen's subject or text. pqrsd_correct and
** pqrsd_anonymise_in_tx serve the titular's requests and the retention
** purge; anonymising keeps every column the transparency figures read.
**
** Does not: render HTML, throttle addresses, keep the honeypot, send mail,
** or check who may act on which PQRSD (the web handler checks a
** responsable's offices against Pqrsd.iOffice, as progress_web.c does).
*/
#ifndef PARTICIPA_PQRSD_PQRSD_H
#define PARTICIPA_PQRSD_PQRSD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/date.h"
#include "calendar/calendar.h"
#include "db/db.h"

/* ---- limits (checked by pqrsd_validate and the actions) ---- */

#define PQRSD_SUBJECT_MIN    3 /* characters (code points) */
#define PQRSD_SUBJECT_MAX    200
#define PQRSD_TEXT_MIN       10
#define PQRSD_TEXT_MAX       10000
#define PQRSD_NAME_MAX       200
#define PQRSD_ID_MAX         30 /* document number */
#define PQRSD_EMAIL_MAX      254
#define PQRSD_PHONE_MAX      40
#define PQRSD_ADDRESS_MAX    300
#define PQRSD_ANSWER_MAX     20000                      /* answer text */
#define PQRSD_REASON_MAX     2000                       /* extension reason, completion request */
#define PQRSD_ENTITY_MAX     200                        /* external entity name of a forward */
#define PQRSD_FILE_MAX       ((size_t)10 * 1024 * 1024) /* an attachment, bytes */
#define PQRSD_TERM_MAX       100             /* longest configurable term, business days */
#define PQRSD_RADICADO_LEN   17              /* "2021-PQRSD-000123" */
#define PQRSD_CODE_LEN       14              /* "ABCD-EFGH-JKLM" */
#define PQRSD_FILE_DIR       "pqrsd"         /* attachments: <data-dir>/pqrsd */
#define PQRSD_NOTICE_VERSION "pqrsd-aviso-1" /* the data notice pqrsd_notice_text writes */

/* ---- states ---- */

typedef enum PqrsdStatus {
  PQS_RADICADA = 0, /* "radicada": filed, no office yet */
  PQS_ASIGNADA,     /* "asignada": an office handles it */
  PQS_TRASLADADA,   /* "trasladada": forwarded to another office or entity */
  PQS_ESPERA,       /* "en espera de información": paused (art. 17) */
  PQS_RESPONDIDA,   /* "respondida": answered */
  PQS_CERRADA,      /* "cerrada": closed */
  PQS_COUNT
} PqrsdStatus;

/* The stored Spanish name of e ("en espera de información"). Static. */
const char *pqrsd_status_name(PqrsdStatus e);
/* The state whose name is z (exact), or -1 when none. */
int pqrsd_status_parse(const char *z);

/* ---- types and their terms ---- */

/* A PQRSD type. Owned strings. */
typedef struct PqrsdType {
  char *zCode;   /* "peticion", "documentos", "consulta", "queja", "reclamo",
                 ** "sugerencia", "denuncia", "felicitacion" */
  char *zName;   /* "Petición general", "Petición de documentos o información", ... */
  int nTermDays; /* response term in business days */
} PqrsdType;

/* The types in display order. Returns the count; free with pqrsd_types_free. */
int pqrsd_types(Db *db, PqrsdType **paOut);
void pqrsd_types_free(int n, PqrsdType *a);
/* Set the term of type zCode to nDays business days (1..PQRSD_TERM_MAX), as
** one transaction with audit_log. Applies to PQRSD filed from now on (each
** PQRSD keeps the term it was filed with). Refusals in *pzErr (caller
** frees): "No existe el tipo de PQRSD «x»", "El término debe ser un número
** entero de días hábiles entre 1 y 100". Returns true also when unchanged. */
bool pqrsd_type_set_term(Db *db, const char *zCode, int nDays, const char *zActor, char **pzErr);

/* ---- reply channels and identity documents ---- */

/* Reply channel codes: "correo" (needs e-mail), "direccion" (needs
** address), "telefono" (needs phone), "consulta" (the petitioner checks
** on line with the code; the only one for anonymous PQRSD). */
#define PQRSD_N_CHANNEL 4
extern const char *const pqrsd_azChannel[PQRSD_N_CHANNEL];     /* codes, in form order */
extern const char *const pqrsd_azChannelName[PQRSD_N_CHANNEL]; /* "Correo electrónico", ... */
/* Identity document codes: CC CE TI PA PPT NIT, and their names. */
#define PQRSD_N_IDTYPE 6
extern const char *const pqrsd_azIdType[PQRSD_N_IDTYPE];     /* "CC", ... */
extern const char *const pqrsd_azIdTypeName[PQRSD_N_IDTYPE]; /* "Cédula de ciudadanía", ... */
/* Spanish name of a channel or document code; z itself when unknown. */
const char *pqrsd_channel_name(const char *z);
const char *pqrsd_idtype_name(const char *z);

/* Append the personal-data notice (Ley 1581 de 2012; DOMAIN.md §4) the
** identified form shows, version PQRSD_NOTICE_VERSION: purpose, rights,
** the entity (setting entidad.nombre, else the plan's entity, else "la
** entidad") and how to reach it. Paragraphs are separated by one blank
** line ("\n\n"); no markup. */
void pqrsd_notice_text(Db *db, Buf *pOut);

/* ---- attachments ---- */

/* A stored attachment. Owned strings; zSha256 "" when there is none. */
typedef struct PqrsdFile {
  char zSha256[65]; /* hex SHA-256: the file is <data-dir>/pqrsd/ab/ab… */
  char *zName;      /* name as uploaded (directory part removed) */
  char *zMime;      /* type detected from the content */
  int64_t nSize;    /* bytes */
} PqrsdFile;

/* Store the n bytes at p (1..PQRSD_FILE_MAX), uploaded as zName, under
** zDataDir/PQRSD_FILE_DIR (io/filestore.h), and describe them in *pOut.
** Call it before the transaction that files or answers (the file write and
** its fsync stay out of the write lock). Refusals in *pzErr: "El archivo
** está vacío", "El archivo pasa del límite de 10 MB", or the store's
** message. Free *pOut with pqrsd_file_reset. */
bool pqrsd_file_store(const char *zDataDir, const void *p, size_t n, const char *zName,
                      PqrsdFile *pOut, char **pzErr);
void pqrsd_file_reset(PqrsdFile *p);
/* Append the path of the file of hash zSha256 to pOut. */
void pqrsd_file_path(const char *zDataDir, const char *zSha256, Buf *pOut);
/* True when a PQRSD references the stored file zSha256 (attachment or
** answer file), and also after a database failure (so that nothing is
** removed then). */
bool pqrsd_file_in_use(Db *db, const char *zSha256);

/* ---- filing ---- */

/* What a citizen sends. Strings are borrowed; NULL or "" for an empty field.
** Leading and trailing white space is ignored everywhere. */
typedef struct PqrsdSubmission {
  const char *zType;      /* type code */
  const char *zSubject;   /* asunto, 3..200 characters */
  const char *zText;      /* the petition, 10..10000 characters */
  bool bAnonymous;        /* no identity: every identity field must be empty */
  const char *zName;      /* full name (required when identified) */
  const char *zIdType;    /* document type code (required with a number) */
  const char *zIdNumber;  /* document number */
  const char *zEmail;     /* e-mail, checked for a sensible form */
  const char *zPhone;     /* phone: digits, spaces, + ( ) - */
  const char *zAddress;   /* postal address */
  const char *zChannel;   /* reply channel code (required when identified) */
  bool bConsent;          /* accepted the data notice (required when identified) */
  const PqrsdFile *pFile; /* attachment already stored (pqrsd_file_store), or NULL */
  const char *zActor;     /* who files it for the audit log: "ciudadano" (web),
                          ** the CLI user, "retos" ...; NULL = "ciudadano" */
} PqrsdSubmission;

/* Form fields a validation message belongs to. */
typedef enum PqrsdField {
  PQF_TYPE = 0,  /* tipo */
  PQF_SUBJECT,   /* asunto */
  PQF_TEXT,      /* texto */
  PQF_ANONYMOUS, /* anónima: identity given on an anonymous petition */
  PQF_NAME,      /* nombre */
  PQF_IDTYPE,    /* tipo de documento */
  PQF_IDNUMBER,  /* número de documento */
  PQF_EMAIL,     /* correo */
  PQF_PHONE,     /* teléfono */
  PQF_ADDRESS,   /* dirección */
  PQF_CHANNEL,   /* canal de respuesta */
  PQF_CONSENT,   /* autorización de datos */
  PQF_COUNT
} PqrsdField;

/* Check p against the rules and store one Spanish message per faulty field
** in azErr[field] (malloc'd; NULL for a good field; the caller frees each,
** e.g. with pqrsd_errors_reset). azErr need not be initialised. Returns the
** number of faulty fields (0 = valid). The messages:
**   tipo:   "Elija el tipo de solicitud" / "Tipo de solicitud desconocido «x»"
**   asunto: "Escriba el asunto" / "El asunto debe tener al menos 3
**           caracteres" / "El asunto no puede pasar de 200 caracteres"
**   texto:  "Escriba su solicitud" / "La solicitud debe tener al menos 10
**           caracteres" / "La solicitud no puede pasar de 10000 caracteres"
**   anónima: "Una solicitud anónima no lleva datos personales: borre
**           nombre, documento, correo, teléfono y dirección, o desmarque
**           «anónima»"
**   nombre: "Escriba su nombre, o marque la solicitud como anónima" / "El
**           nombre no puede pasar de 200 caracteres"
**   documento: "Elija el tipo de documento" (number without type) /
**           "Tipo de documento desconocido «x»" / "Escriba el número de
**           documento" (type without number) / "El número de documento
**           solo lleva letras, dígitos, puntos y guiones (hasta 30)"
**   correo: "El correo «x» no parece válido; escríbalo como
**           nombre@dominio.co"
**   teléfono: "El teléfono solo lleva dígitos, espacios y + ( ) - (de 7 a
**           40 caracteres)"
**   dirección: "La dirección no puede pasar de 300 caracteres"
**   canal:  "Elija cómo quiere recibir la respuesta" / "Canal de respuesta
**           desconocido «x»" / "Para responder por correo electrónico
**           escriba su correo" / "Para responder por correspondencia
**           escriba su dirección" / "Para responder por teléfono escriba su
**           número" / (anonymous with another channel than "consulta")
**           "Una solicitud anónima se responde solo por consulta en línea
**           con el radicado y el código"
**   autorización: "Para radicar con sus datos debe autorizar su tratamiento
**           (o marque la solicitud como anónima)"
** Reads the type table (db). Cannot fail otherwise. */
int pqrsd_validate(Db *db, const PqrsdSubmission *p, char *azErr[PQF_COUNT]);
/* Free the messages of azErr and set them to NULL. */
void pqrsd_errors_reset(char *azErr[PQF_COUNT]);

/* What the citizen is given back. */
typedef struct PqrsdReceipt {
  int64_t id;                             /* row id */
  char zRadicado[PQRSD_RADICADO_LEN + 1]; /* "2021-PQRSD-000123" */
  char zCode[PQRSD_CODE_LEN + 1];         /* "ABCD-EFGH-JKLM": shown once, never stored */
  char zReceivedAt[21];                   /* UTC "2021-06-30T12:00:00Z" */
  Day received;                           /* Bogotá date of receipt */
  Day due;                                /* legal due date */
  int nTermDays;                          /* the term applied, business days */
  char zTypeName[64];                     /* "Petición general" */
} PqrsdReceipt;

/* File p inside the write transaction the CALLER has open (no begin or
** commit here; the batch writer's savepoint, or pqrsd_submit's own
** transaction): validate (as pqrsd_validate; on failure *pzErr is the
** first message and nothing is written), take the next number of the
** year, insert the PQRSD with its due date, the SHA-256 of a fresh code,
** the "radicada" history event and the audit log entry, and fill *pOut.
** The record is durable only once the caller commits: show the radicado
** after that. Thread-safe for distinct connections (c is only read). */
bool pqrsd_submit_in_tx(Db *db, const Calendar *c, const PqrsdSubmission *p, PqrsdReceipt *pOut,
                        char **pzErr);
/* pqrsd_submit_in_tx in a transaction of its own, committed with
** synchronous=FULL (db_durable_begin): the CLI prints the radicado. */
bool pqrsd_submit(Db *db, const Calendar *c, const PqrsdSubmission *p, PqrsdReceipt *pOut,
                  char **pzErr);

/* ---- one PQRSD ---- */

/* An entry of a PQRSD's history. Owned strings. */
typedef struct PqrsdEvent {
  char *zAt;     /* UTC ISO timestamp */
  char *zActor;  /* login, "ciudadano", ... ("" in the public view) */
  char *zKind;   /* "radicada", "asignada", "trasladada", "solicitud de información",
                 ** "información completada", "prórroga", "respuesta", "cierre" */
  char *zDetail; /* Spanish sentence ("Trasladada a Secretaría de Salud; el término
                 ** vuelve a empezar: vence el 21 de julio de 2021") */
  bool bPublic;  /* shown to the petitioner */
} PqrsdEvent;

/* A PQRSD with everything staff see. Owned strings ("" when empty, never
** NULL); Day fields are meaningful only where said. Free with pqrsd_reset. */
typedef struct Pqrsd {
  int64_t id;                             /* row id */
  char zRadicado[PQRSD_RADICADO_LEN + 1]; /* "2021-PQRSD-000123" */
  int iYear;                              /* year of the number */
  int iSeq;                               /* number within the year */
  char *zType;                            /* type code */
  char *zTypeName;                        /* its Spanish name */
  char *zSubject;                         /* asunto */
  char *zText;                            /* the petition */
  bool bAnonymous;                        /* filed without identity */
  char *zName;                            /* identity ("" when anonymous, and in the
                                          ** public view of pqrsd_lookup) */
  char *zIdType;                          /* document type code */
  char *zIdNumber;                        /* document number */
  char *zEmail;                           /* e-mail */
  char *zPhone;                           /* phone */
  char *zAddress;                         /* address */
  char *zChannel;                         /* reply channel code */
  char *zConsentVersion;                  /* notice version consented to, "" when none */
  char *zConsentAt;                       /* when (UTC ISO), "" when none */
  PqrsdFile file;                         /* the citizen's attachment */
  char *zReceivedAt;                      /* UTC ISO timestamp of receipt */
  Day received;                           /* Bogotá date of receipt */
  Day termStart;                          /* the day the current term runs from */
  int nTermDays;                          /* the term, business days */
  Day due;                                /* current due date (after any extension) */
  PqrsdStatus eStatus;                    /* state */
  int64_t iOffice;                        /* office handling it, 0 when none */
  char *zOffice;                          /* its name, "" when none */
  char *zExternal;                        /* entity it was forwarded to, "" when none */
  bool bPaused;                           /* en espera de información */
  Day pausedSince;                        /* with bPaused: when completion was asked */
  Day pauseDeadline;                      /* with bPaused: last day to complete */
  bool bExtended;                         /* an extension was granted */
  char *zExtensionReason;                 /* its reason */
  Day originalDue;                        /* with bExtended: the due date before it */
  char *zAnswer;                          /* answer text, "" until answered */
  char *zAnswerAt;                        /* UTC ISO, "" until answered */
  Day answerDay;                          /* Bogotá date of the answer (when answered) */
  bool bAnswerPublic;                     /* published (sugerencias only) */
  char *zAnsweredBy;                      /* login ("" in the public view) */
  PqrsdFile answerFile;                   /* the answer's attachment */
  char *zClosedAt;                        /* UTC ISO, "" while not closed */
  char *zPublicSubject;                   /* published version: the official's subject */
  char *zPublicAnswer;                    /* published version: the official's answer */
  char *zAnonymisedAt;                    /* UTC ISO when the personal data were
                                          ** anonymised, "" while they are kept */
  int iDaysLeft;                          /* business days from today to due
                                          ** (calendar_between; < 0 = overdue); 0
                                          ** unless bRunning */
  bool bRunning;                          /* the term runs: open state, not paused */
  bool bOverdue;                          /* bRunning and due < today */
  int nEvent;                             /* history entries */
  PqrsdEvent *aEvent;                     /* oldest first (public ones only in the
                                          ** public view) */
} Pqrsd;

/* The id of radicado zRadicado (exact, case-insensitive), or 0. */
int64_t pqrsd_id(Db *db, const char *zRadicado);
/* Load PQRSD iId with its whole history into *p (which need not be
** initialised); days left are counted with c from today. False (and *p
** empty) when there is none. */
bool pqrsd_load(Db *db, const Calendar *c, int64_t iId, Pqrsd *p);
void pqrsd_reset(Pqrsd *p);

/* The petitioner's view: when radicado zRadicado exists and zCode is its
** code (case, spaces and dashes ignored), load it into *p as pqrsd_load
** does but without identity fields, internal events, office-internal
** actors or zAnsweredBy, and return true. Otherwise return false with *p
** empty. The code is checked in constant time, and an unknown radicado
** goes through the same hash and comparison as a wrong code, so the
** answer (and its timing) does not tell whether a radicado exists. */
bool pqrsd_lookup(Db *db, const Calendar *c, const char *zRadicado, const char *zCode, Pqrsd *p);

/* ---- back-office actions ----
** Each is one transaction with audit_log and a pqrsd_event, acting as zActor
** (a login), dated today (Bogotá). On refusal: false, nothing written, and
** a Spanish sentence in *pzErr (caller frees). Common refusals:
**   "No existe la PQRSD" (unknown id),
**   "La PQRSD está cerrada; no admite más cambios",
**   "La PQRSD ya fue respondida; solo se puede cerrar",
**   "La PQRSD fue trasladada a otra entidad (X); solo se puede cerrar",
**   "La PQRSD está en espera de información del peticionario (hasta el 30
**    de julio de 2021); registre primero la información completada".
** Dates in messages are long Spanish ("30 de julio de 2021"). */

/* Assign to office iOffice (radicada, asignada or trasladada to an office
** → asignada). Re-routing inside the entity does not restart the term.
** Refusals: "No existe la dependencia", "La PQRSD ya está asignada a X". */
bool pqrsd_assign(Db *db, const Calendar *c, int64_t iId, int64_t iOffice, const char *zActor,
                  char **pzErr);
/* Forward to office iOffice (when > 0) or to the external entity zEntity
** (when iOffice is 0; 2..PQRSD_ENTITY_MAX characters), from an open state
** → trasladada. To an office, the term restarts (art. 21): start = today,
** due = calendar_add(c, today, term), and an extension granted before is
** dropped (the new term may be extended once). To another entity, the
** term is that entity's: the due date stays as it was, the office stays
** (the one that forwarded it), and only close acts on it afterwards.
** Refusals: "Indique la dependencia o la
** entidad a la que se traslada", "No existe la dependencia", "La PQRSD ya
** está en X", "Escriba el nombre de la entidad (hasta 200 caracteres)". */
bool pqrsd_forward(Db *db, const Calendar *c, int64_t iId, int64_t iOffice, const char *zEntity,
                   const char *zActor, char **pzErr);
/* Ask the petitioner to complete the petition (art. 17), saying what is
** missing in zWhat (required, public): from an open state → en espera de
** información, paused_since = today, pause_deadline = today plus one
** calendar month (31 January → 28/29 February). An anonymous PQRSD may be
** paused too: the petitioner sees the request on the status page.
** Refusals: "Escriba qué información falta (hasta 2000 caracteres)". */
bool pqrsd_request_completion(Db *db, const Calendar *c, int64_t iId, const char *zWhat,
                              const char *zActor, char **pzErr);
/* Record the information the petitioner brought (zText, required): en
** espera de información → asignada (radicada when no office). The term
** restarts from today: start = today, due = calendar_add(c, today, term),
** and an earlier extension is dropped. The text goes into the public
** history. Refusals: "La PQRSD no está en espera de información", "Escriba
** la información recibida (hasta 10000 caracteres)". Completing after the
** month is accepted while the PQRSD is not closed. zActor is the login, or
** "ciudadano" when the petitioner completes it through the status page. */
bool pqrsd_complete(Db *db, const Calendar *c, int64_t iId, const char *zText, const char *zActor,
                    char **pzErr);
/* Extend the term to newDue with reason zReason (art. 14 parágrafo), from
** an open state. Refusals, in this order:
**   "Escriba el motivo de la prórroga (hasta 2000 caracteres)"
**   "La PQRSD ya fue prorrogada una vez (hasta el D de MES de AAAA)"
**   "La prórroga debe pedirse antes del vencimiento (D de MES de AAAA)"
**      (today > due)
**   "La nueva fecha debe ser posterior al vencimiento actual (D de MES de AAAA)"
**   "La nueva fecha debe ser un día hábil"
**   "La nueva fecha no puede pasar del doble del término (N días hábiles):
**    a más tardar el D de MES de AAAA"  (newDue > calendar_add(start, 2N))
** The status stays; bExtended is set and the old due kept as originalDue. */
bool pqrsd_extend(Db *db, const Calendar *c, int64_t iId, Day newDue, const char *zReason,
                  const char *zActor, char **pzErr);
/* Answer with zText (required, up to PQRSD_ANSWER_MAX) and an optional
** stored attachment pFile (NULL for none), from an open state →
** respondida. bPublic asks for the answer to be published (sugerencias
** only): nothing is shown on the report until an official writes its public
** version (pqrsd_publish, or pqrsd_answer_public at once). Refusals:
** "Escriba la respuesta", "La respuesta no puede pasar de 20000
** caracteres", "Solo la respuesta a una sugerencia se puede publicar". */
bool pqrsd_answer(Db *db, const Calendar *c, int64_t iId, const char *zText, const PqrsdFile *pFile,
                  bool bPublic, const char *zActor, char **pzErr);

/* The version of an answer the public sees, written by the official (never
** copied from the citizen's subject or text). Borrowed strings. */
typedef struct PqrsdPublicText {
  const char *zSubject; /* asunto público, PQRSD_SUBJECT_MIN..PQRSD_SUBJECT_MAX characters */
  const char *zAnswer;  /* respuesta pública, 1..PQRSD_ANSWER_MAX characters */
} PqrsdPublicText;

/* pqrsd_answer, publishing the answer when pPublic is not NULL: the
** /pqrsd/informe page then shows pPublic's subject and answer and nothing
** of the citizen's. Further refusals:
**   "Para publicar la respuesta escriba el asunto público (de 3 a 200
**    caracteres), sin datos del peticionario",
**   "Para publicar la respuesta escriba la respuesta pública (hasta 20000
**    caracteres), sin datos del peticionario",
**   "La versión pública contiene datos del peticionario (su nombre); quítelos
**    antes de publicar" (also documento, correo, teléfono, dirección). */
bool pqrsd_answer_public(Db *db, const Calendar *c, int64_t iId, const char *zText,
                         const PqrsdFile *pFile, const PqrsdPublicText *pPublic, const char *zActor,
                         char **pzErr);
/* Publish (pPublic not NULL) or withdraw (NULL) the public version of the
** answer to sugerencia iId, already answered (respondida or cerrada), as
** one transaction with audit_log (naming the radicado only). Refusals: those
** of pqrsd_answer_public, "No existe la PQRSD", "Solo la respuesta a una
** sugerencia se puede publicar", "La sugerencia todavía no tiene respuesta". */
bool pqrsd_publish(Db *db, int64_t iId, const PqrsdPublicText *pPublic, const char *zActor,
                   char **pzErr);

/* ---- personal data (Ley 1581 de 2012; src/privacy/privacy.h) ---- */

/* What an anonymised record holds in place of each text. */
#define PQRSD_SUPPRESSED "Datos suprimidos (Ley 1581 de 2012)"

/* New identity values of a titular's correction; NULL = unchanged. "" is
** accepted only where the field is optional (pqrsd_validate's rules apply
** to the corrected whole). Borrowed. */
typedef struct PqrsdIdentity {
  const char *zName;     /* nombre */
  const char *zIdType;   /* tipo de documento */
  const char *zIdNumber; /* documento */
  const char *zEmail;    /* correo */
  const char *zPhone;    /* teléfono */
  const char *zAddress;  /* dirección */
} PqrsdIdentity;

/* Correct the identity of PQRSD iId (a titular's request), checked with
** pqrsd_validate's rules on the corrected record, as one transaction whose
** audit_log entry ("corregir datos") names the radicado and the fields
** changed, never their values. Sets *pnChanged (may be NULL) to how many
** fields changed (0: nothing written). Refusals in *pzErr (caller frees):
** "No existe la PQRSD", "La PQRSD es anónima: no guarda datos personales
** que corregir", "Los datos personales de la PQRSD ya fueron suprimidos",
** or the first message of pqrsd_validate for an identity field. */
bool pqrsd_correct(Db *db, int64_t iId, const PqrsdIdentity *pNew, const char *zActor,
                   int *pnChanged, char **pzErr);

/* Inside the caller's write transaction, anonymise PQRSD iId: identity
** fields become "", subject, text, answer and the texts the petitioner
** brought in its history become PQRSD_SUPPRESSED, both attachments are
** dropped (bFilesOnly drops only the attachments), anonymised_at is set
** with zWhy ("plazo" or "titular"). Everything the transparency report and
** the open data read stays (type, office, dates, status, term), and so do
** the radicado and the official's public version. Appends to pFreed, one
** per line, the hex SHA-256 of each attachment no other PQRSD references:
** the caller removes those files (pqrsd_file_path) after committing.
** Returns false when there is no such PQRSD or it had nothing left to
** drop (nothing written). Writes no log entry: the caller does. */
bool pqrsd_anonymise_in_tx(Db *db, int64_t iId, bool bFilesOnly, const char *zWhy, Buf *pFreed);

/* The ids of the PQRSD whose procedure ended (answered, or closed) before
** zBefore (ISO date or timestamp, compared as UTC text), oldest first:
** with bFiles those still holding an attachment, else those not yet
** anonymised. Returns the count; the caller frees *paId. */
int pqrsd_retention_due(Db *db, const char *zBefore, bool bFiles, int64_t **paId);
/* Close: respondida, trasladada to an entity, or en espera de información
** once pause_deadline has passed (desistimiento tácito) → cerrada.
** Refusals: "Responda la PQRSD antes de cerrarla", "El peticionario tiene
** hasta el D de MES de AAAA para completar la información; no se puede
** cerrar antes". */
bool pqrsd_close(Db *db, const Calendar *c, int64_t iId, const char *zActor, char **pzErr);

/* ---- inbox ---- */

/* Inbox filters: start from pqrsd_filter_init (everything), then restrict. */
typedef struct PqrsdFilter {
  const char *zType;      /* type code, or NULL for all */
  int eStatus;            /* PqrsdStatus, or -1 for all (a zeroed struct means
                          ** PQS_RADICADA: set -1 explicitly, or use pqrsd_filter_init) */
  bool bOpen;             /* only those whose term runs or is paused (not answered,
                          ** closed or forwarded out) */
  bool bOffices;          /* restrict to the offices in aOffice (an empty list
                          ** matches nothing): a responsable's own, or one picked */
  int nOffice;            /* entries in aOffice */
  const int64_t *aOffice; /* office ids (borrowed) */
  bool bUnassigned;       /* only those with no office */
  bool bOverdue;          /* only those whose term runs and whose due < today */
  int nDueWithin;         /* > 0: only running terms due from today to
                          ** calendar_add(today, n) (overdue ones excluded) */
  const char *zSearch;    /* words to find in the subject (accent- and case-
                          ** insensitive, folded like text_fold_dup), or a radicado */
  int nLimit;             /* rows to return, 0 = 200 */
  int nOffset;            /* rows to skip */
} PqrsdFilter;

/* Set every field of f to "all" (eStatus -1, nothing else restricted). */
void pqrsd_filter_init(PqrsdFilter *f);

/* One inbox line. Owned strings. */
typedef struct PqrsdRow {
  int64_t id;                             /* row id */
  char zRadicado[PQRSD_RADICADO_LEN + 1]; /* radicado */
  char *zType;                            /* type code */
  char *zTypeName;                        /* its name */
  char *zSubject;                         /* asunto */
  PqrsdStatus eStatus;                    /* state */
  int64_t iOffice;                        /* office, 0 when none */
  char *zOffice;                          /* its name, "" */
  char *zExternal;                        /* external entity, "" */
  char *zReceivedAt;                      /* UTC ISO */
  Day received;                           /* Bogotá date */
  Day due;                                /* due date */
  bool bRunning;                          /* the term runs */
  bool bPaused;                           /* en espera de información */
  Day pauseDeadline;                      /* with bPaused */
  int iDaysLeft;                          /* with bRunning: business days to due, < 0 overdue */
  bool bOverdue;                          /* bRunning and due < today */
  bool bExtended;                         /* extended */
  bool bAnonymous;                        /* filed anonymously */
} PqrsdRow;

/* The PQRSD matching f, open ones first by due date (soonest first), then
** the others newest first. Returns the count of rows in *paOut (at most
** nLimit) and stores in *pnTotal (when not NULL) how many match in all.
** Free with pqrsd_rows_free. */
int pqrsd_inbox(Db *db, const Calendar *c, const PqrsdFilter *f, PqrsdRow **paOut, int *pnTotal);
void pqrsd_rows_free(int n, PqrsdRow *a);

/* ---- published answers to suggestions ---- */

/* A published suggestion and its answer: the official's public version
** only, never the citizen's subject or text. Owned. */
typedef struct PqrsdPublished {
  char zRadicado[PQRSD_RADICADO_LEN + 1]; /* radicado */
  char *zSubject;                         /* asunto público */
  Day received;                           /* date filed */
  char *zAnswer;                          /* respuesta pública */
  Day answerDay;                          /* date answered */
} PqrsdPublished;

/* Sugerencias whose answer was published with a public version, newest answer first (at most
** nLimit, 0 = all). Returns the count; free with pqrsd_published_free. */
int pqrsd_published(Db *db, int nLimit, PqrsdPublished **paOut);
void pqrsd_published_free(int n, PqrsdPublished *a);

/* ---- transparency report (Ley 1712 de 2014 art. 11 h) ---- */

/* Figures of one group of PQRSD (filed in the report's year). */
typedef struct PqrsdTally {
  char *zKey;          /* type code, office id as text ("0" = sin asignar), "01".."12",
                       ** or "total" (owned) */
  char *zLabel;        /* Spanish label: type name, office name, month name, "Total" */
  int nReceived;       /* filed */
  int nOnTime;         /* answered on or before their due date */
  int nLate;           /* answered after it */
  int nPending;        /* not answered, term running or paused */
  int nPendingOverdue; /* of nPending: term running and past due */
  int nForwarded;      /* forwarded to another entity */
  int nWithdrawn;      /* closed without answer (desistimiento) */
  double rMeanDays;    /* mean business days from filing to answer; -1 when none */
  double rMedianDays;  /* median, likewise (mean of the two middle values when even) */
} PqrsdTally;

typedef struct PqrsdTransparency {
  int iYear;        /* year reported (by date of filing) */
  Day asOf;         /* the day pending and overdue were judged */
  PqrsdTally total; /* all of them */
  int nType;        /* every type, also those with no PQRSD, display order */
  PqrsdTally *aType;
  int nOffice; /* offices with at least one PQRSD, by name; "Sin asignar" last */
  PqrsdTally *aOffice;
  PqrsdTally aMonth[12]; /* by month of filing, January first */
} PqrsdTransparency;

/* Compute the report of iYear (0 = this year) as of today. Counts are
** exact; business days are counted with c (calendar_between(received,
** answerDay)). Free with pqrsd_transparency_reset. */
void pqrsd_transparency(Db *db, const Calendar *c, int iYear, PqrsdTransparency *p);
void pqrsd_transparency_reset(PqrsdTransparency *p);
/* Renderers: no names, no texts, no radicados — counts only.
** CSV (',' separator, header row, one row per group: dimension "total",
** "tipo", "dependencia", "mes"; decimals with "."), JSON (an object with
** year, as_of, total, por_tipo, por_dependencia, por_mes; null for a mean
** or median with no answers), and an aligned text table for the CLI. */
void pqrsd_transparency_csv(const PqrsdTransparency *p, Buf *pOut);
void pqrsd_transparency_json(const PqrsdTransparency *p, Buf *pOut);
void pqrsd_transparency_text(const PqrsdTransparency *p, Buf *pOut);

/* ---- time ---- */

/* Today in Bogotá (UTC−5) by clock_now_unix(). */
Day pqrsd_today(void);
/* Append the UTC timestamp zIso ("2021-06-30T12:00:00Z") as Bogotá local
** time in Spanish: "30 de junio de 2021, 7:00 a. m.". Appends zIso itself
** when it cannot be read. */
void pqrsd_format_local(const char *zIso, Buf *pOut);

#endif
