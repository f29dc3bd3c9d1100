/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** PQRSD: filing with consecutive numbering, the consultation code, terms in
** business days, the back-office state machine, the inbox query, published
** suggestions and the transparency figures (see pqrsd.h for the rules).
** Every SQL statement of the area is here; pqrsd_cmd.c and pqrsd_web.c call
** these functions. Does not render HTML nor decide who may act.
*/
#include "pqrsd/pqrsd.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "base/hash.h"
#include "base/text.h"
#include "base/util.h"
#include "db/setting.h"
#include "io/csv.h"
#include "io/filestore.h"
#include "io/jsonw.h"
#include "office/office.h"

/* ---- states, channels, documents ------------------------------------------------------------ */

static const char *const azStatus[PQS_COUNT] = {
    "radicada", "asignada", "trasladada", "en espera de información", "respondida", "cerrada",
};

const char *pqrsd_status_name(PqrsdStatus e) {
  ASSERT(e >= 0 && e < PQS_COUNT);
  return azStatus[e];
}

int pqrsd_status_parse(const char *z) {
  for (int i = 0; z && i < PQS_COUNT; i++) {
    if (strcmp(z, azStatus[i]) == 0) {
      return i;
    }
  }
  return -1;
}

const char *const pqrsd_azChannel[PQRSD_N_CHANNEL] = {"correo", "direccion", "telefono",
                                                      "consulta"};
const char *const pqrsd_azChannelName[PQRSD_N_CHANNEL] = {
    "Correo electrónico", "Correspondencia a la dirección", "Llamada telefónica",
    "Consulta en línea con el código"};
const char *const pqrsd_azIdType[PQRSD_N_IDTYPE] = {"CC", "CE", "TI", "PA", "PPT", "NIT"};
const char *const pqrsd_azIdTypeName[PQRSD_N_IDTYPE] = {"Cédula de ciudadanía",
                                                        "Cédula de extranjería",
                                                        "Tarjeta de identidad",
                                                        "Pasaporte",
                                                        "Permiso por protección temporal",
                                                        "NIT"};

/* Index of z in the n codes of az, or -1. */
static int code_index(const char *const *az, int n, const char *z) {
  for (int i = 0; z && i < n; i++) {
    if (strcmp(az[i], z) == 0) {
      return i;
    }
  }
  return -1;
}

const char *pqrsd_channel_name(const char *z) {
  int i = code_index(pqrsd_azChannel, PQRSD_N_CHANNEL, z);
  return i < 0 ? z : pqrsd_azChannelName[i];
}

const char *pqrsd_idtype_name(const char *z) {
  int i = code_index(pqrsd_azIdType, PQRSD_N_IDTYPE, z);
  return i < 0 ? z : pqrsd_azIdTypeName[i];
}

/* ---- time ------------------------------------------------------------------------------------ */

Day pqrsd_today(void) {
  return date_of_unix_bogota(clock_now_unix());
}

/* Append Unix time t as "YYYY-MM-DDTHH:MM:SSZ". */
static void put_iso_time(Buf *pOut, int64_t t) {
  time_t tt = (time_t)t;
  struct tm tm;
  gmtime_r(&tt, &tm);
  buf_appendf(pOut, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
              tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* An ISO date for binding: "2021-06-30" in a caller-provided buffer. */
typedef struct IsoDay {
  char z[48]; /* the text (room for any int fields, so no truncation) */
} IsoDay;

static IsoDay iso_day(Day day) {
  IsoDay r;
  int y, m, d;
  date_to_ymd(day, &y, &m, &d);
  snprintf(r.z, sizeof r.z, "%04d-%02d-%02d", y % 10000, m, d);
  return r;
}

/* The Day of an ISO date column (or the day of a timestamp); 0 when empty or
** unreadable. */
static Day day_from_iso(const char *z) {
  Day day = 0;
  date_parse_iso_stamp(z, &day);
  return day;
}

/* day in long Spanish form, "30 de julio de 2021". Caller frees. */
static char *long_day_dup(Day day) {
  Buf b = BUF_INIT;
  date_format_long(day, &b);
  return buf_take(&b);
}

void pqrsd_format_local(const char *zIso, Buf *pOut) {
  date_format_bogota(zIso, pOut);
}

/* The same day one calendar month later; the month's last day when it has
** no such day (31 January → 28 or 29 February). */
static Day add_one_month(Day day) {
  int y, m, d;
  date_to_ymd(day, &y, &m, &d);
  if (++m > 12) {
    m = 1, y++;
  }
  int nLast = date_days_in_month(y, m);
  Day r = day;
  ASSERT(date_from_ymd(y, m, d > nLast ? nLast : d, &r));
  return r;
}

/* ---- types ----------------------------------------------------------------------------------- */

int pqrsd_types(Db *db, PqrsdType **paOut) {
  Stmt *s = db_prepare(db, "SELECT code, name, term_days FROM pqrsd_type ORDER BY position");
  int n = 0;
  PqrsdType *a = NULL;
  while (db_step(s)) {
    a = xrealloc(a, sizeof *a * (size_t)(n + 1));
    a[n].zCode = xstrdup(db_col_text(s, 0));
    a[n].zName = xstrdup(db_col_text(s, 1));
    a[n].nTermDays = (int)db_col_int(s, 2);
    n++;
  }
  db_finalize(s);
  *paOut = a;
  return n;
}

void pqrsd_types_free(int n, PqrsdType *a) {
  for (int i = 0; i < n; i++) {
    free(a[i].zCode);
    free(a[i].zName);
  }
  free(a);
}

/* The term and name of type zCode into *pnTerm and pName (when not NULL).
** False when there is no such type. */
static bool type_get(Db *db, const char *zCode, int *pnTerm, Buf *pName) {
  Stmt *s = db_prepare(db, "SELECT term_days, name FROM pqrsd_type WHERE code = :code");
  db_bind_text(s, ":code", zCode);
  bool bFound = db_step(s);
  if (bFound) {
    if (pnTerm) {
      *pnTerm = (int)db_col_int(s, 0);
    }
    if (pName) {
      buf_puts(pName, db_col_text(s, 1));
    }
  }
  db_finalize(s);
  return bFound;
}

bool pqrsd_type_set_term(Db *db, const char *zCode, int nDays, const char *zActor, char **pzErr) {
  int nOld = 0;
  Buf name = BUF_INIT;
  if (zCode == NULL || !type_get(db, zCode, &nOld, &name)) {
    *pzErr = xasprintf("No existe el tipo de PQRSD «%s»", zCode ? zCode : "");
    buf_reset(&name);
    return false;
  }
  if (nDays < 1 || nDays > PQRSD_TERM_MAX) {
    *pzErr = xasprintf("El término debe ser un número entero de días hábiles entre 1 y %d",
                       PQRSD_TERM_MAX);
    buf_reset(&name);
    return false;
  }
  if (nDays != nOld) {
    db_begin(db);
    Stmt *s = db_prepare(db, "UPDATE pqrsd_type SET term_days = :days WHERE code = :code");
    db_bind_int(s, ":days", nDays);
    db_bind_text(s, ":code", zCode);
    db_run(s);
    db_finalize(s);
    audit_logf(db, zActor, "término", "pqrsd_type", 0, "%s: término de %d a %d días hábiles",
               buf_str(&name), nOld, nDays);
    db_commit(db);
  }
  buf_reset(&name);
  return true;
}

/* ---- the data notice ------------------------------------------------------------------------- */

void pqrsd_notice_text(Db *db, Buf *pOut) {
  char *zEntity = setting_entity_name_dup(db);
  const char *zWho = zEntity[0] ? zEntity : "la entidad";
  buf_appendf(pOut,
              "Responsable del tratamiento: %s, ante quien puede ejercer sus derechos por este "
              "mismo canal de PQRSD o en sus oficinas de atención a la ciudadanía.\n\n",
              zWho);
  buf_puts(pOut,
           "Finalidad: usaremos su nombre, documento y datos de contacto solo para tramitar "
           "esta solicitud, responderle por el canal que elija y, si corresponde, trasladarla "
           "a la dependencia o entidad competente (Ley 1755 de 2015). No los publicaremos: "
           "los informes de PQRSD son solo cifras.\n\n"
           "Sus derechos (Ley 1581 de 2012): conocer, actualizar y rectificar sus datos, "
           "pedir prueba de esta autorización, saber cómo se usan, revocar la autorización o "
           "pedir que se supriman cuando no haya un deber legal de conservarlos, y presentar "
           "quejas ante la Superintendencia de Industria y Comercio.\n\n"
           "No le pedimos datos sensibles y no tiene que darlos. Si prefiere no dar ningún "
           "dato, puede presentar la solicitud en forma anónima y consultar la respuesta con "
           "el radicado y el código de consulta.");
  free(zEntity);
}

/* ---- attachments ----------------------------------------------------------------------------- */

/* The directory attachments live in. Caller frees. */
static char *file_dir_dup(const char *zDataDir) {
  return xasprintf("%s/%s", zDataDir, PQRSD_FILE_DIR);
}

bool pqrsd_file_store(const char *zDataDir, const void *p, size_t n, const char *zName,
                      PqrsdFile *pOut, char **pzErr) {
  memset(pOut, 0, sizeof *pOut);
  if (n == 0) {
    *pzErr = xstrdup("El archivo está vacío");
    return false;
  }
  if (n > PQRSD_FILE_MAX) {
    *pzErr = xasprintf("El archivo pasa del límite de %zu MB", PQRSD_FILE_MAX / (1024 * 1024));
    return false;
  }
  char *zDir = file_dir_dup(zDataDir);
  StoredFile sf;
  bool bOk = filestore_put_mem(zDir, p, n, &sf, pzErr);
  free(zDir);
  if (!bOk) {
    return false;
  }
  memcpy(pOut->zSha256, sf.zSha256, sizeof pOut->zSha256);
  pOut->nSize = sf.nSize;
  pOut->zMime = sf.zMime;
  const char *zBase = zName ? zName : "";
  for (const char *z = zBase; *z; z++) {
    if (*z == '/' || *z == '\\') {
      zBase = z + 1;
    }
  }
  pOut->zName = xstrdup(zBase[0] ? zBase : "adjunto");
  return true;
}

void pqrsd_file_reset(PqrsdFile *p) {
  free(p->zName);
  free(p->zMime);
  memset(p, 0, sizeof *p);
}

void pqrsd_file_path(const char *zDataDir, const char *zSha256, Buf *pOut) {
  char *zDir = file_dir_dup(zDataDir);
  filestore_path(zDir, zSha256, pOut);
  free(zDir);
}

/* ---- validation ------------------------------------------------------------------------------ */

/* Trimmed copy of z ("" for NULL). Caller frees. */
static char *trim_dup(const char *z) {
  return text_trim_dup(z ? z : "");
}

/* True when every byte of z is in zAllowed or an ASCII letter/digit (when
** bAlnum). */
static bool only_chars(const char *z, const char *zAllowed, bool bAlnum) {
  for (const char *c = z; *c; c++) {
    unsigned char u = (unsigned char)*c;
    bool bAl = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z');
    bool bDigit = u >= '0' && u <= '9';
    if (!(bDigit || (bAlnum && bAl) || strchr(zAllowed, *c))) {
      return false;
    }
  }
  return true;
}

/* A submission's fields, trimmed (owned). */
typedef struct Clean {
  char *azField[PQF_COUNT]; /* by PqrsdField; PQF_ANONYMOUS and PQF_CONSENT unused */
} Clean;

static void clean_init(Clean *p, const PqrsdSubmission *s) {
  memset(p, 0, sizeof *p);
  p->azField[PQF_TYPE] = trim_dup(s->zType);
  p->azField[PQF_SUBJECT] = trim_dup(s->zSubject);
  p->azField[PQF_TEXT] = trim_dup(s->zText);
  p->azField[PQF_NAME] = trim_dup(s->zName);
  p->azField[PQF_IDTYPE] = trim_dup(s->zIdType);
  p->azField[PQF_IDNUMBER] = trim_dup(s->zIdNumber);
  p->azField[PQF_EMAIL] = trim_dup(s->zEmail);
  p->azField[PQF_PHONE] = trim_dup(s->zPhone);
  p->azField[PQF_ADDRESS] = trim_dup(s->zAddress);
  p->azField[PQF_CHANNEL] = trim_dup(s->zChannel);
}

static void clean_reset(Clean *p) {
  for (int i = 0; i < PQF_COUNT; i++) {
    free(p->azField[i]);
  }
}

/* The checks of pqrsd_validate on the trimmed fields. The type's term and
** name go to *pnTerm and pTypeName (when not NULL) as the type is read, so
** that filing reads the type table once. */
static int validate_clean(Db *db, const PqrsdSubmission *p, const Clean *k, char *azErr[PQF_COUNT],
                          int *pnTerm, Buf *pTypeName) {
  for (int i = 0; i < PQF_COUNT; i++) {
    azErr[i] = NULL;
  }
  const char *const *az = (const char *const *)k->azField;
  if (az[PQF_TYPE][0] == 0) {
    azErr[PQF_TYPE] = xstrdup("Elija el tipo de solicitud");
  } else if (!type_get(db, az[PQF_TYPE], pnTerm, pTypeName)) {
    char *zShow = text_ellipsize_dup(az[PQF_TYPE], 40);
    azErr[PQF_TYPE] = xasprintf("Tipo de solicitud desconocido «%s»", zShow);
    free(zShow);
  }
  size_t nSubject = text_width(az[PQF_SUBJECT]);
  if (nSubject == 0) {
    azErr[PQF_SUBJECT] = xstrdup("Escriba el asunto");
  } else if (nSubject < PQRSD_SUBJECT_MIN) {
    azErr[PQF_SUBJECT] =
        xasprintf("El asunto debe tener al menos %d caracteres", PQRSD_SUBJECT_MIN);
  } else if (nSubject > PQRSD_SUBJECT_MAX) {
    azErr[PQF_SUBJECT] = xasprintf("El asunto no puede pasar de %d caracteres", PQRSD_SUBJECT_MAX);
  }
  size_t nText = text_width(az[PQF_TEXT]);
  if (nText == 0) {
    azErr[PQF_TEXT] = xstrdup("Escriba su solicitud");
  } else if (nText < PQRSD_TEXT_MIN) {
    azErr[PQF_TEXT] = xasprintf("La solicitud debe tener al menos %d caracteres", PQRSD_TEXT_MIN);
  } else if (nText > PQRSD_TEXT_MAX) {
    azErr[PQF_TEXT] = xasprintf("La solicitud no puede pasar de %d caracteres", PQRSD_TEXT_MAX);
  }
  bool bIdentity = az[PQF_NAME][0] || az[PQF_IDTYPE][0] || az[PQF_IDNUMBER][0] ||
                   az[PQF_EMAIL][0] || az[PQF_PHONE][0] || az[PQF_ADDRESS][0];
  if (p->bAnonymous) {
    if (bIdentity) {
      azErr[PQF_ANONYMOUS] =
          xstrdup("Una solicitud anónima no lleva datos personales: borre nombre, documento, "
                  "correo, teléfono y dirección, o desmarque «anónima»");
    }
    if (az[PQF_CHANNEL][0] && strcmp(az[PQF_CHANNEL], "consulta") != 0 &&
        code_index(pqrsd_azChannel, PQRSD_N_CHANNEL, az[PQF_CHANNEL]) >= 0 && !bIdentity) {
      azErr[PQF_CHANNEL] = xstrdup("Una solicitud anónima se responde solo por consulta en "
                                   "línea con el radicado y el código");
    }
  } else {
    if (az[PQF_NAME][0] == 0) {
      azErr[PQF_NAME] = xstrdup("Escriba su nombre, o marque la solicitud como anónima");
    } else if (text_width(az[PQF_NAME]) > PQRSD_NAME_MAX) {
      azErr[PQF_NAME] = xasprintf("El nombre no puede pasar de %d caracteres", PQRSD_NAME_MAX);
    }
    if (az[PQF_IDNUMBER][0] && az[PQF_IDTYPE][0] == 0) {
      azErr[PQF_IDTYPE] = xstrdup("Elija el tipo de documento");
    } else if (az[PQF_IDTYPE][0] &&
               code_index(pqrsd_azIdType, PQRSD_N_IDTYPE, az[PQF_IDTYPE]) < 0) {
      char *zShow = text_ellipsize_dup(az[PQF_IDTYPE], 40);
      azErr[PQF_IDTYPE] = xasprintf("Tipo de documento desconocido «%s»", zShow);
      free(zShow);
    }
    if (az[PQF_IDTYPE][0] && az[PQF_IDNUMBER][0] == 0) {
      azErr[PQF_IDNUMBER] = xstrdup("Escriba el número de documento");
    } else if (az[PQF_IDNUMBER][0] && (strlen(az[PQF_IDNUMBER]) > PQRSD_ID_MAX ||
                                       !only_chars(az[PQF_IDNUMBER], ".-", true))) {
      azErr[PQF_IDNUMBER] = xasprintf("El número de documento solo lleva letras, dígitos, "
                                      "puntos y guiones (hasta %d)",
                                      PQRSD_ID_MAX);
    }
    if (az[PQF_EMAIL][0] && !text_is_email(az[PQF_EMAIL])) {
      char *zShow = text_ellipsize_dup(az[PQF_EMAIL], 60);
      azErr[PQF_EMAIL] = xasprintf("El correo «%s» no parece válido; escríbalo como "
                                   "nombre@dominio.co",
                                   zShow);
      free(zShow);
    }
    size_t nPhone = strlen(az[PQF_PHONE]);
    if (nPhone &&
        (nPhone < 7 || nPhone > PQRSD_PHONE_MAX || !only_chars(az[PQF_PHONE], " +()-", false))) {
      azErr[PQF_PHONE] = xasprintf("El teléfono solo lleva dígitos, espacios y + ( ) - (de 7 a "
                                   "%d caracteres)",
                                   PQRSD_PHONE_MAX);
    }
    if (text_width(az[PQF_ADDRESS]) > PQRSD_ADDRESS_MAX) {
      azErr[PQF_ADDRESS] =
          xasprintf("La dirección no puede pasar de %d caracteres", PQRSD_ADDRESS_MAX);
    }
    int iChannel = code_index(pqrsd_azChannel, PQRSD_N_CHANNEL, az[PQF_CHANNEL]);
    if (az[PQF_CHANNEL][0] == 0) {
      azErr[PQF_CHANNEL] = xstrdup("Elija cómo quiere recibir la respuesta");
    } else if (iChannel < 0) {
      char *zShow = text_ellipsize_dup(az[PQF_CHANNEL], 40);
      azErr[PQF_CHANNEL] = xasprintf("Canal de respuesta desconocido «%s»", zShow);
      free(zShow);
    } else if (iChannel == 0 && az[PQF_EMAIL][0] == 0) {
      azErr[PQF_CHANNEL] = xstrdup("Para responder por correo electrónico escriba su correo");
    } else if (iChannel == 1 && az[PQF_ADDRESS][0] == 0) {
      azErr[PQF_CHANNEL] = xstrdup("Para responder por correspondencia escriba su dirección");
    } else if (iChannel == 2 && az[PQF_PHONE][0] == 0) {
      azErr[PQF_CHANNEL] = xstrdup("Para responder por teléfono escriba su número");
    }
    if (!p->bConsent) {
      azErr[PQF_CONSENT] = xstrdup("Para radicar con sus datos debe autorizar su tratamiento "
                                   "(o marque la solicitud como anónima)");
    }
  }
  int nErr = 0;
  for (int i = 0; i < PQF_COUNT; i++) {
    nErr += azErr[i] != NULL;
  }
  return nErr;
}

int pqrsd_validate(Db *db, const PqrsdSubmission *p, char *azErr[PQF_COUNT]) {
  Clean k;
  clean_init(&k, p);
  int nErr = validate_clean(db, p, &k, azErr, NULL, NULL);
  clean_reset(&k);
  return nErr;
}

void pqrsd_errors_reset(char *azErr[PQF_COUNT]) {
  for (int i = 0; i < PQF_COUNT; i++) {
    free(azErr[i]);
    azErr[i] = NULL;
  }
}

/* ---- the consultation code ------------------------------------------------------------------- */

/* 32 symbols without look-alikes (no 0 O 1 I): 5 bits each, 60 bits a code. */
static const char zCodeAlphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
#define CODE_SYMBOLS 12

/* A fresh code "XXXX-XXXX-XXXX" into z (room for PQRSD_CODE_LEN + 1). */
static void code_new(char *z) {
  int j = 0;
  for (int i = 0; i < CODE_SYMBOLS; i++) {
    if (i > 0 && i % 4 == 0) {
      z[j++] = '-';
    }
    z[j++] = zCodeAlphabet[randombytes_uniform(sizeof zCodeAlphabet - 1)];
  }
  z[j] = 0;
}

/* The code as typed, reduced to its symbols (upper case, separators and
** spaces dropped) into z (room for CODE_SYMBOLS + 1); at most CODE_SYMBOLS
** kept. False when it does not have exactly CODE_SYMBOLS symbols. */
static bool code_normalize(const char *zIn, char *z) {
  int n = 0;
  bool bOk = true;
  for (const char *c = zIn ? zIn : ""; *c; c++) {
    char ch = *c;
    if (ch == '-' || ch == ' ' || ch == '\t') {
      continue;
    }
    if (ch >= 'a' && ch <= 'z') {
      ch = (char)(ch - 'a' + 'A');
    }
    if (n < CODE_SYMBOLS) {
      z[n++] = ch;
    } else {
      bOk = false;
    }
  }
  z[n] = 0;
  return bOk && n == CODE_SYMBOLS;
}

/* Hex SHA-256 of radicado and code (normalized), bound together so that a
** table of hashes of all codes is of no use across records. */
static void code_hash(const char *zRadicado, const char *zSymbols, char zHex[65]) {
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  crypto_hash_sha256_update(&st, (const unsigned char *)zRadicado, strlen(zRadicado));
  crypto_hash_sha256_update(&st, (const unsigned char *)"\n", 1);
  crypto_hash_sha256_update(&st, (const unsigned char *)zSymbols, strlen(zSymbols));
  hash_sha256_final_hex(&st, zHex);
}

/* ---- history --------------------------------------------------------------------------------- */

/* Add an event to the history of iId. */
static void event_add(Db *db, int64_t iId, const char *zAt, const char *zActor, const char *zKind,
                      const char *zDetail, bool bPublic) {
  Stmt *s = db_prepare(db, "INSERT INTO pqrsd_event(pqrsd_id, at, actor, kind, detail, public) "
                           "VALUES (:id, :at, :actor, :kind, :detail, :public)");
  db_bind_int(s, ":id", iId);
  db_bind_text(s, ":at", zAt);
  db_bind_text(s, ":actor", zActor);
  db_bind_text(s, ":kind", zKind);
  db_bind_text(s, ":detail", zDetail);
  db_bind_int(s, ":public", bPublic);
  db_run(s);
  db_finalize(s);
}

/* ---- filing ---------------------------------------------------------------------------------- */

bool pqrsd_submit_in_tx(Db *db, const Calendar *c, const PqrsdSubmission *p, PqrsdReceipt *pOut,
                        char **pzErr) {
  ASSERT(db_in_transaction(db));
  memset(pOut, 0, sizeof *pOut);
  Clean k;
  clean_init(&k, p);
  char *azErr[PQF_COUNT];
  int nTerm = 0;
  Buf typeName = BUF_INIT;
  if (validate_clean(db, p, &k, azErr, &nTerm, &typeName) > 0) {
    for (int i = 0; i < PQF_COUNT && *pzErr == NULL; i++) {
      if (azErr[i]) {
        *pzErr = azErr[i];
        azErr[i] = NULL;
      }
    }
    pqrsd_errors_reset(azErr);
    clean_reset(&k);
    buf_reset(&typeName);
    return false;
  }
  if (sodium_init() < 0) {
    app_fatal("no se pudo iniciar libsodium");
  }
  const char *const *az = (const char *const *)k.azField;
  int64_t tNow = clock_now_unix();
  Day today = date_of_unix_bogota(tNow);
  int y, m, d;
  date_to_ymd(today, &y, &m, &d);
  Buf now = BUF_INIT;
  put_iso_time(&now, tNow);
  Day due = calendar_add(c, today, nTerm);

  /* the next number of the year, in the caller's transaction */
  Stmt *s = db_prepare(db, "INSERT INTO pqrsd_counter(year, last) VALUES (:year, 1) "
                           "ON CONFLICT (year) DO UPDATE SET last = last + 1 RETURNING last");
  db_bind_int(s, ":year", y);
  if (!db_step(s)) {
    /* only after a database failure (soft fault): nothing is filed */
    ASSERT(db_fault(db) != NULL);
    db_finalize(s);
    buf_reset(&now);
    clean_reset(&k);
    buf_reset(&typeName);
    *pzErr = xstrdup("la base de datos no está disponible en este momento");
    return false;
  }
  int64_t iSeq = db_col_int(s, 0);
  db_finalize(s);
  ASSERT(iSeq <= 999999 && y >= 1000 && y <= 9999);
  char zRad[48];
  snprintf(zRad, sizeof zRad, "%04d-PQRSD-%06d", y, (int)iSeq);
  ASSERT(strlen(zRad) == PQRSD_RADICADO_LEN);
  memcpy(pOut->zRadicado, zRad, sizeof pOut->zRadicado);

  code_new(pOut->zCode);
  char zSymbols[CODE_SYMBOLS + 1], zHash[65];
  ASSERT(code_normalize(pOut->zCode, zSymbols));
  code_hash(pOut->zRadicado, zSymbols, zHash);

  const char *zChannel = p->bAnonymous || az[PQF_CHANNEL][0] == 0 ? "consulta" : az[PQF_CHANNEL];
  char *zFold = text_fold_dup(az[PQF_SUBJECT]);
  IsoDay isoToday = iso_day(today), isoDue = iso_day(due);
  s = db_prepare(
      db, "INSERT INTO pqrsd(radicado, year, seq, type, subject, subject_fold, body, anonymous, "
          "name, id_type, id_number, email, phone, address, reply_channel, "
          "consent_notice_version, consent_at, code_hash, received_at, received_day, term_start, "
          "term_days, due_day, file_sha256, file_name, file_mime, file_size) VALUES (:rad, :year, "
          ":seq, :type, :subject, :fold, :body, :anon, :name, :idtype, :idnum, :email, :phone, "
          ":address, :channel, :notice, :consent_at, :hash, :at, :day, :day, :term, :due, :sha, "
          ":fname, :fmime, :fsize)");
  db_bind_text(s, ":rad", pOut->zRadicado);
  db_bind_int(s, ":year", y);
  db_bind_int(s, ":seq", iSeq);
  db_bind_text(s, ":type", az[PQF_TYPE]);
  db_bind_text(s, ":subject", az[PQF_SUBJECT]);
  db_bind_text(s, ":fold", zFold);
  db_bind_text(s, ":body", az[PQF_TEXT]);
  db_bind_int(s, ":anon", p->bAnonymous);
  static const PqrsdField aId[] = {PQF_NAME,  PQF_IDTYPE, PQF_IDNUMBER,
                                   PQF_EMAIL, PQF_PHONE,  PQF_ADDRESS};
  static const char *const azParam[] = {":name",  ":idtype", ":idnum",
                                        ":email", ":phone",  ":address"};
  for (size_t i = 0; i < sizeof aId / sizeof aId[0]; i++) {
    db_bind_text(s, azParam[i], p->bAnonymous ? "" : az[aId[i]]);
  }
  db_bind_text(s, ":channel", zChannel);
  db_bind_text(s, ":notice", p->bAnonymous ? NULL : PQRSD_NOTICE_VERSION);
  db_bind_text(s, ":consent_at", p->bAnonymous ? NULL : buf_str(&now));
  db_bind_text(s, ":hash", zHash);
  db_bind_text(s, ":at", buf_str(&now));
  db_bind_text(s, ":day", isoToday.z);
  db_bind_int(s, ":term", nTerm);
  db_bind_text(s, ":due", isoDue.z);
  bool bFile = p->pFile && p->pFile->zSha256[0];
  db_bind_text(s, ":sha", bFile ? p->pFile->zSha256 : NULL);
  db_bind_text(s, ":fname", bFile ? p->pFile->zName : NULL);
  db_bind_text(s, ":fmime", bFile ? p->pFile->zMime : NULL);
  if (bFile) {
    db_bind_int(s, ":fsize", p->pFile->nSize);
  } else {
    db_bind_null(s, ":fsize");
  }
  db_run(s);
  db_finalize(s);
  free(zFold);
  pOut->id = db_last_insert_id(db);

  const char *zActor = p->zActor && p->zActor[0] ? p->zActor : "ciudadano";
  char *zDue = long_day_dup(due);
  char *zDetail = xasprintf("Radicada como %s; el término es de %d días hábiles y vence el %s",
                            buf_str(&typeName), nTerm, zDue);
  event_add(db, pOut->id, buf_str(&now), zActor, "radicada", zDetail, true);
  free(zDetail);
  audit_logf(db, zActor, "radicar", "pqrsd", pOut->id, "%s: %s%s%s", pOut->zRadicado,
             buf_str(&typeName), p->bAnonymous ? ", anónima" : "", bFile ? ", con adjunto" : "");
  free(zDue);

  memcpy(pOut->zReceivedAt, buf_str(&now), sizeof pOut->zReceivedAt - 1);
  pOut->received = today;
  pOut->due = due;
  pOut->nTermDays = nTerm;
  snprintf(pOut->zTypeName, sizeof pOut->zTypeName, "%s", buf_str(&typeName));
  buf_reset(&now);
  buf_reset(&typeName);
  clean_reset(&k);
  return true;
}

bool pqrsd_submit(Db *db, const Calendar *c, const PqrsdSubmission *p, PqrsdReceipt *pOut,
                  char **pzErr) {
  int iSync = db_durable_begin(db); /* the radicado is printed as filed */
  db_begin(db);
  bool bOk = pqrsd_submit_in_tx(db, c, p, pOut, pzErr);
  if (bOk) {
    db_commit(db);
  } else {
    db_rollback(db);
  }
  db_durable_end(db, iSync);
  return bOk;
}

/* ---- loading --------------------------------------------------------------------------------- */

/* The running and open conditions, in SQL and in C (they must agree). */
#define SQL_RUNNING                                                                                \
  "(p.status IN ('radicada', 'asignada') OR (p.status = 'trasladada' AND p.external_entity = "     \
  "''))"
#define SQL_OPEN "(" SQL_RUNNING " OR p.status = 'en espera de información')"

static bool is_running(PqrsdStatus e, const char *zExternal) {
  return e == PQS_RADICADA || e == PQS_ASIGNADA || (e == PQS_TRASLADADA && zExternal[0] == 0);
}

#define PQRSD_SELECT                                                                               \
  "SELECT p.id, p.radicado, p.year, p.seq, p.type, t.name, p.subject, p.body, p.anonymous, "       \
  "p.name, p.id_type, p.id_number, p.email, p.phone, p.address, p.reply_channel, "                 \
  "p.consent_notice_version, p.consent_at, p.file_sha256, p.file_name, p.file_mime, "              \
  "p.file_size, p.received_at, p.received_day, p.term_start, p.term_days, p.due_day, p.status, "   \
  "p.office_id, o.name, p.external_entity, p.paused_since, p.pause_deadline, p.extended, "         \
  "p.extension_reason, p.original_due, p.answer_text, p.answer_at, p.answer_day, "                 \
  "p.answer_public, p.answered_by, p.answer_file_sha256, p.answer_file_name, "                     \
  "p.answer_file_mime, p.answer_file_size, p.closed_at, p.public_subject, p.public_answer, "       \
  "p.anonymised_at "                                                                               \
  "FROM pqrsd p JOIN pqrsd_type t ON t.code = p.type LEFT JOIN office o ON o.id = p.office_id "

/* Read a file's four columns starting at iCol. */
static void file_from_row(Stmt *s, int iCol, PqrsdFile *f) {
  memset(f, 0, sizeof *f);
  snprintf(f->zSha256, sizeof f->zSha256, "%s", db_col_text(s, iCol));
  f->zName = xstrdup(db_col_text(s, iCol + 1));
  f->zMime = xstrdup(db_col_text(s, iCol + 2));
  f->nSize = db_col_int(s, iCol + 3);
}

/* Fill *p from a row of PQRSD_SELECT, with the derived fields as of today. */
static void pqrsd_from_row(Stmt *s, const Calendar *c, Day today, Pqrsd *p) {
  memset(p, 0, sizeof *p);
  int i = 0;
  p->id = db_col_int(s, i++);
  snprintf(p->zRadicado, sizeof p->zRadicado, "%s", db_col_text(s, i++));
  p->iYear = (int)db_col_int(s, i++);
  p->iSeq = (int)db_col_int(s, i++);
  p->zType = xstrdup(db_col_text(s, i++));
  p->zTypeName = xstrdup(db_col_text(s, i++));
  p->zSubject = xstrdup(db_col_text(s, i++));
  p->zText = xstrdup(db_col_text(s, i++));
  p->bAnonymous = db_col_int(s, i++) != 0;
  char **apId[] = {&p->zName,    &p->zIdType,  &p->zIdNumber,       &p->zEmail,    &p->zPhone,
                   &p->zAddress, &p->zChannel, &p->zConsentVersion, &p->zConsentAt};
  for (size_t j = 0; j < sizeof apId / sizeof apId[0]; j++) {
    *apId[j] = xstrdup(db_col_text(s, i++));
  }
  file_from_row(s, i, &p->file);
  i += 4;
  p->zReceivedAt = xstrdup(db_col_text(s, i++));
  p->received = day_from_iso(db_col_text(s, i++));
  p->termStart = day_from_iso(db_col_text(s, i++));
  p->nTermDays = (int)db_col_int(s, i++);
  p->due = day_from_iso(db_col_text(s, i++));
  int e = pqrsd_status_parse(db_col_text(s, i++));
  ASSERT(e >= 0);
  p->eStatus = (PqrsdStatus)e;
  p->iOffice = db_col_int(s, i++);
  p->zOffice = xstrdup(db_col_text(s, i++));
  p->zExternal = xstrdup(db_col_text(s, i++));
  p->pausedSince = day_from_iso(db_col_text(s, i++));
  p->pauseDeadline = day_from_iso(db_col_text(s, i++));
  p->bPaused = p->eStatus == PQS_ESPERA;
  p->bExtended = db_col_int(s, i++) != 0;
  p->zExtensionReason = xstrdup(db_col_text(s, i++));
  p->originalDue = day_from_iso(db_col_text(s, i++));
  p->zAnswer = xstrdup(db_col_text(s, i++));
  p->zAnswerAt = xstrdup(db_col_text(s, i++));
  p->answerDay = day_from_iso(db_col_text(s, i++));
  p->bAnswerPublic = db_col_int(s, i++) != 0;
  p->zAnsweredBy = xstrdup(db_col_text(s, i++));
  file_from_row(s, i, &p->answerFile);
  i += 4;
  p->zClosedAt = xstrdup(db_col_text(s, i++));
  p->zPublicSubject = xstrdup(db_col_text(s, i++));
  p->zPublicAnswer = xstrdup(db_col_text(s, i++));
  p->zAnonymisedAt = xstrdup(db_col_text(s, i++));
  p->bRunning = is_running(p->eStatus, p->zExternal);
  if (p->bRunning) {
    p->iDaysLeft = calendar_between(c, today, p->due);
    p->bOverdue = p->due < today;
  }
}

/* Load the history of p (public events only when bPublicOnly). */
static void events_load(Db *db, Pqrsd *p, bool bPublicOnly) {
  Stmt *s = db_prepare(db, "SELECT at, actor, kind, detail, public FROM pqrsd_event "
                           "WHERE pqrsd_id = :id AND (:all = 1 OR public = 1) ORDER BY id");
  db_bind_int(s, ":id", p->id);
  db_bind_int(s, ":all", !bPublicOnly);
  while (db_step(s)) {
    p->aEvent = xrealloc(p->aEvent, sizeof *p->aEvent * (size_t)(p->nEvent + 1));
    PqrsdEvent *e = &p->aEvent[p->nEvent++];
    e->zAt = xstrdup(db_col_text(s, 0));
    e->zActor = xstrdup(bPublicOnly ? "" : db_col_text(s, 1));
    e->zKind = xstrdup(db_col_text(s, 2));
    e->zDetail = xstrdup(db_col_text(s, 3));
    e->bPublic = db_col_int(s, 4) != 0;
  }
  db_finalize(s);
}

/* Load PQRSD iId without history; false when there is none (*p zeroed). */
static bool load_row(Db *db, const Calendar *c, int64_t iId, Pqrsd *p) {
  Stmt *s = db_prepare(db, PQRSD_SELECT "WHERE p.id = :id");
  db_bind_int(s, ":id", iId);
  bool bFound = db_step(s);
  if (bFound) {
    pqrsd_from_row(s, c, pqrsd_today(), p);
  } else {
    memset(p, 0, sizeof *p);
  }
  db_finalize(s);
  return bFound;
}

/* The radicado as typed, trimmed and upper case. Caller frees. */
static char *radicado_normalize_dup(const char *z) {
  char *zOut = trim_dup(z);
  for (char *c = zOut; *c; c++) {
    if (*c >= 'a' && *c <= 'z') {
      *c = (char)(*c - 'a' + 'A');
    }
  }
  return zOut;
}

int64_t pqrsd_id(Db *db, const char *zRadicado) {
  char *zRad = radicado_normalize_dup(zRadicado);
  Stmt *s = db_prepare(db, "SELECT id FROM pqrsd WHERE radicado = :rad");
  db_bind_text(s, ":rad", zRad);
  int64_t id = db_step(s) ? db_col_int(s, 0) : 0;
  db_finalize(s);
  free(zRad);
  return id;
}

bool pqrsd_load(Db *db, const Calendar *c, int64_t iId, Pqrsd *p) {
  if (!load_row(db, c, iId, p)) {
    return false;
  }
  events_load(db, p, false);
  return true;
}

void pqrsd_reset(Pqrsd *p) {
  char *az[] = {
      p->zType,     p->zTypeName,        p->zSubject,      p->zText,        p->zName,
      p->zIdType,   p->zIdNumber,        p->zEmail,        p->zPhone,       p->zAddress,
      p->zChannel,  p->zConsentVersion,  p->zConsentAt,    p->zReceivedAt,  p->zOffice,
      p->zExternal, p->zExtensionReason, p->zAnswer,       p->zAnswerAt,    p->zAnsweredBy,
      p->zClosedAt, p->zPublicSubject,   p->zPublicAnswer, p->zAnonymisedAt};
  for (size_t i = 0; i < sizeof az / sizeof az[0]; i++) {
    free(az[i]);
  }
  pqrsd_file_reset(&p->file);
  pqrsd_file_reset(&p->answerFile);
  for (int i = 0; i < p->nEvent; i++) {
    free(p->aEvent[i].zAt);
    free(p->aEvent[i].zActor);
    free(p->aEvent[i].zKind);
    free(p->aEvent[i].zDetail);
  }
  free(p->aEvent);
  memset(p, 0, sizeof *p);
}

/* Replace *pz by "" (freeing it). */
static void blank(char **pz) {
  free(*pz);
  *pz = xstrdup("");
}

bool pqrsd_lookup(Db *db, const Calendar *c, const char *zRadicado, const char *zCode, Pqrsd *p) {
  memset(p, 0, sizeof *p);
  if (sodium_init() < 0) {
    app_fatal("no se pudo iniciar libsodium");
  }
  char *zRad = radicado_normalize_dup(zRadicado);
  Stmt *s = db_prepare(db, "SELECT id, code_hash FROM pqrsd WHERE radicado = :rad");
  db_bind_text(s, ":rad", zRad);
  /* an unknown radicado is compared against a hash no code has */
  char zStored[65] = "----------------------------------------------------------------";
  int64_t iId = 0;
  if (db_step(s)) {
    iId = db_col_int(s, 0);
    snprintf(zStored, sizeof zStored, "%s", db_col_text(s, 1));
  }
  db_finalize(s);
  char zSymbols[CODE_SYMBOLS + 1], zHash[65];
  bool bWellFormed = code_normalize(zCode, zSymbols);
  code_hash(zRad, zSymbols, zHash);
  free(zRad);
  bool bMatch = sodium_memcmp(zHash, zStored, 64) == 0;
  if (!(bMatch && bWellFormed && iId != 0)) {
    return false;
  }
  if (!load_row(db, c, iId, p)) {
    return false;
  }
  char **apHide[] = {&p->zName,    &p->zIdType,         &p->zIdNumber,  &p->zEmail,     &p->zPhone,
                     &p->zAddress, &p->zConsentVersion, &p->zConsentAt, &p->zAnsweredBy};
  for (size_t i = 0; i < sizeof apHide / sizeof apHide[0]; i++) {
    blank(apHide[i]);
  }
  events_load(db, p, true);
  return true;
}

/* ---- back-office actions --------------------------------------------------------------------- */

/* Start an action: open the write transaction and load iId into *p. False
** (transaction rolled back, *pzErr set) when there is no such PQRSD. */
static bool action_begin(Db *db, const Calendar *c, int64_t iId, Pqrsd *p, char **pzErr) {
  db_begin(db);
  if (!load_row(db, c, iId, p)) {
    db_rollback(db);
    *pzErr = xstrdup("No existe la PQRSD");
    return false;
  }
  return true;
}

/* Refuse an action: roll back, free p, hand zMsg (owned) to *pzErr. */
static bool refuse(Db *db, Pqrsd *p, char *zMsg, char **pzErr) {
  db_rollback(db);
  pqrsd_reset(p);
  *pzErr = zMsg;
  return false;
}

/* The current UTC time as ISO text. Caller resets. */
static void now_iso(Buf *pOut) {
  put_iso_time(pOut, clock_now_unix());
}

/* Finish an action: its history event (at zNow, or now when NULL) and
** audit entry, then commit. The log detail is "RADICADO: zLog". */
static bool action_end(Db *db, Pqrsd *p, const char *zActor, const char *zAction, const char *zKind,
                       const char *zEvent, bool bPublic, const char *zLog, const char *zNow) {
  Buf now = BUF_INIT;
  if (zNow == NULL) {
    now_iso(&now);
    zNow = buf_str(&now);
  }
  event_add(db, p->id, zNow, zActor, zKind, zEvent, bPublic);
  buf_reset(&now);
  audit_logf(db, zActor, zAction, "pqrsd", p->id, "%s: %s", p->zRadicado, zLog);
  db_commit(db);
  pqrsd_reset(p);
  return true;
}

/* The refusal for a PQRSD not in an open state, or NULL when it is open.
** Caller frees. */
static char *not_open_dup(const Pqrsd *p) {
  switch (p->eStatus) {
  case PQS_CERRADA:
    return xstrdup("La PQRSD está cerrada; no admite más cambios");
  case PQS_RESPONDIDA:
    return xstrdup("La PQRSD ya fue respondida; solo se puede cerrar");
  case PQS_ESPERA: {
    char *zDay = long_day_dup(p->pauseDeadline);
    char *z = xasprintf("La PQRSD está en espera de información del peticionario (hasta el "
                        "%s); registre primero la información completada",
                        zDay);
    free(zDay);
    return z;
  }
  case PQS_TRASLADADA:
    if (p->zExternal[0]) {
      return xasprintf("La PQRSD fue trasladada a otra entidad (%s); solo se puede cerrar",
                       p->zExternal);
    }
    return NULL;
  default:
    return NULL;
  }
}

/* action_begin for an action that needs the PQRSD open: false (refused,
** *pzErr set) when it is closed, answered or waiting for the petitioner. */
static bool open_action_begin(Db *db, const Calendar *c, int64_t iId, Pqrsd *p, char **pzErr) {
  if (!action_begin(db, c, iId, p, pzErr)) {
    return false;
  }
  char *zMsg = not_open_dup(p);
  return zMsg ? refuse(db, p, zMsg, pzErr) : true;
}

/* Bind :id of the action's UPDATE s to iId, run it and finalize it. */
static void update_run(Stmt *s, int64_t iId) {
  db_bind_int(s, ":id", iId);
  db_run(s);
  db_finalize(s);
}

/* The name of office iOffice into pName; false when there is none. */
static bool office_name(Db *db, int64_t iOffice, Buf *pName) {
  char *z = office_name_dup(db, iOffice);
  if (z == NULL) {
    return false;
  }
  buf_puts(pName, z);
  free(z);
  return true;
}

bool pqrsd_assign(Db *db, const Calendar *c, int64_t iId, int64_t iOffice, const char *zActor,
                  char **pzErr) {
  Pqrsd p;
  if (!open_action_begin(db, c, iId, &p, pzErr)) {
    return false;
  }
  Buf name = BUF_INIT;
  if (iOffice <= 0 || !office_name(db, iOffice, &name)) {
    buf_reset(&name);
    return refuse(db, &p, xstrdup("No existe la dependencia"), pzErr);
  }
  if (iOffice == p.iOffice) {
    char *zMsg = xasprintf("La PQRSD ya está asignada a %s", buf_str(&name));
    buf_reset(&name);
    return refuse(db, &p, zMsg, pzErr);
  }
  Stmt *s = db_prepare(db, "UPDATE pqrsd SET office_id = :office, status = 'asignada' "
                           "WHERE id = :id");
  db_bind_int(s, ":office", iOffice);
  update_run(s, iId);
  char *zEvent = xasprintf("Asignada a %s", buf_str(&name));
  action_end(db, &p, zActor, "asignar", "asignada", zEvent, false, zEvent, NULL);
  free(zEvent);
  buf_reset(&name);
  return true;
}

bool pqrsd_forward(Db *db, const Calendar *c, int64_t iId, int64_t iOffice, const char *zEntity,
                   const char *zActor, char **pzErr) {
  Pqrsd p;
  if (!open_action_begin(db, c, iId, &p, pzErr)) {
    return false;
  }
  char *zEnt = trim_dup(zEntity);
  Buf name = BUF_INIT;
  char *zMsg = NULL;
  if (iOffice <= 0 && zEnt[0] == 0) {
    zMsg = xstrdup("Indique la dependencia o la entidad a la que se traslada");
  } else if (iOffice > 0 && !office_name(db, iOffice, &name)) {
    zMsg = xstrdup("No existe la dependencia");
  } else if (iOffice > 0 && iOffice == p.iOffice) {
    zMsg = xasprintf("La PQRSD ya está en %s", buf_str(&name));
  } else if (iOffice <= 0 && (text_width(zEnt) < 2 || text_width(zEnt) > PQRSD_ENTITY_MAX)) {
    zMsg = xasprintf("Escriba el nombre de la entidad (hasta %d caracteres)", PQRSD_ENTITY_MAX);
  }
  if (zMsg) {
    free(zEnt);
    buf_reset(&name);
    return refuse(db, &p, zMsg, pzErr);
  }
  Day today = pqrsd_today();
  char *zEvent, *zLog;
  Stmt *s;
  if (iOffice > 0) {
    /* art. 21: the term restarts when the competent office receives it */
    Day due = calendar_add(c, today, p.nTermDays);
    IsoDay isoToday = iso_day(today), isoDue = iso_day(due);
    s = db_prepare(db, "UPDATE pqrsd SET office_id = :office, status = 'trasladada', "
                       "term_start = :today, due_day = :due, extended = 0, "
                       "extension_reason = '', original_due = NULL WHERE id = :id");
    db_bind_int(s, ":office", iOffice);
    db_bind_text(s, ":today", isoToday.z);
    db_bind_text(s, ":due", isoDue.z);
    char *zDue = long_day_dup(due);
    zEvent = xasprintf("Trasladada a %s (art. 21 de la Ley 1755 de 2015); el término vuelve a "
                       "empezar: %d días hábiles, vence el %s",
                       buf_str(&name), p.nTermDays, zDue);
    zLog = xasprintf("trasladada a %s; vence el %s", buf_str(&name), zDue);
    free(zDue);
  } else {
    s = db_prepare(db, "UPDATE pqrsd SET status = 'trasladada', external_entity = :entity "
                       "WHERE id = :id");
    db_bind_text(s, ":entity", zEnt);
    zEvent = xasprintf("Trasladada por competencia a %s (art. 21 de la Ley 1755 de 2015), que "
                       "la responderá",
                       zEnt);
    zLog = xasprintf("trasladada a la entidad %s", zEnt);
  }
  update_run(s, iId);
  action_end(db, &p, zActor, "trasladar", "trasladada", zEvent, true, zLog, NULL);
  free(zEvent);
  free(zLog);
  free(zEnt);
  buf_reset(&name);
  return true;
}

bool pqrsd_request_completion(Db *db, const Calendar *c, int64_t iId, const char *zWhat,
                              const char *zActor, char **pzErr) {
  Pqrsd p;
  if (!open_action_begin(db, c, iId, &p, pzErr)) {
    return false;
  }
  char *zText = trim_dup(zWhat);
  if (zText[0] == 0 || text_width(zText) > PQRSD_REASON_MAX) {
    free(zText);
    return refuse(
        db, &p, xasprintf("Escriba qué información falta (hasta %d caracteres)", PQRSD_REASON_MAX),
        pzErr);
  }
  Day today = pqrsd_today();
  Day deadline = add_one_month(today);
  IsoDay isoToday = iso_day(today), isoDeadline = iso_day(deadline);
  Stmt *s = db_prepare(db, "UPDATE pqrsd SET status = 'en espera de información', "
                           "paused_since = :today, pause_deadline = :deadline WHERE id = :id");
  db_bind_text(s, ":today", isoToday.z);
  db_bind_text(s, ":deadline", isoDeadline.z);
  update_run(s, iId);
  char *zDeadline = long_day_dup(deadline);
  char *zEvent = xasprintf("Se pidió completar la solicitud (art. 17 de la Ley 1755 de 2015): "
                           "%s. El término queda suspendido; hay plazo para completarla hasta "
                           "el %s",
                           zText, zDeadline);
  char *zLog = xasprintf("se pidió completar; plazo hasta el %s", zDeadline);
  action_end(db, &p, zActor, "solicitar información", "solicitud de información", zEvent, true,
             zLog, NULL);
  free(zEvent);
  free(zLog);
  free(zDeadline);
  free(zText);
  return true;
}

bool pqrsd_complete(Db *db, const Calendar *c, int64_t iId, const char *zText, const char *zActor,
                    char **pzErr) {
  Pqrsd p;
  if (!action_begin(db, c, iId, &p, pzErr)) {
    return false;
  }
  if (p.eStatus != PQS_ESPERA) {
    return refuse(db, &p, xstrdup("La PQRSD no está en espera de información"), pzErr);
  }
  char *zInfo = trim_dup(zText);
  if (zInfo[0] == 0 || text_width(zInfo) > PQRSD_TEXT_MAX) {
    free(zInfo);
    return refuse(
        db, &p, xasprintf("Escriba la información recibida (hasta %d caracteres)", PQRSD_TEXT_MAX),
        pzErr);
  }
  /* art. 17: the term starts again from the day the petition is complete */
  Day today = pqrsd_today();
  Day due = calendar_add(c, today, p.nTermDays);
  IsoDay isoToday = iso_day(today), isoDue = iso_day(due);
  Stmt *s = db_prepare(db, "UPDATE pqrsd SET status = CASE WHEN office_id IS NULL THEN "
                           "'radicada' ELSE 'asignada' END, paused_since = NULL, "
                           "pause_deadline = NULL, term_start = :today, due_day = :due, "
                           "extended = 0, extension_reason = '', original_due = NULL "
                           "WHERE id = :id");
  db_bind_text(s, ":today", isoToday.z);
  db_bind_text(s, ":due", isoDue.z);
  update_run(s, iId);
  char *zDue = long_day_dup(due);
  char *zEvent = xasprintf("Información completada: %s. El término vuelve a empezar: %d días "
                           "hábiles, vence el %s",
                           zInfo, p.nTermDays, zDue);
  char *zLog = xasprintf("información completada; vence el %s", zDue);
  action_end(db, &p, zActor, "completar", "información completada", zEvent, true, zLog, NULL);
  free(zEvent);
  free(zLog);
  free(zDue);
  free(zInfo);
  return true;
}

bool pqrsd_extend(Db *db, const Calendar *c, int64_t iId, Day newDue, const char *zReason,
                  const char *zActor, char **pzErr) {
  Pqrsd p;
  if (!open_action_begin(db, c, iId, &p, pzErr)) {
    return false;
  }
  char *zWhy = trim_dup(zReason);
  char *zMsg = NULL;
  Day today = pqrsd_today();
  Day maxDue = calendar_add(c, p.termStart, 2 * p.nTermDays);
  char *zDue = long_day_dup(p.due);
  if (zWhy[0] == 0 || text_width(zWhy) > PQRSD_REASON_MAX) {
    zMsg = xasprintf("Escriba el motivo de la prórroga (hasta %d caracteres)", PQRSD_REASON_MAX);
  } else if (p.bExtended) {
    zMsg = xasprintf("La PQRSD ya fue prorrogada una vez (hasta el %s)", zDue);
  } else if (today > p.due) {
    zMsg = xasprintf("La prórroga debe pedirse antes del vencimiento (%s)", zDue);
  } else if (newDue <= p.due) {
    zMsg = xasprintf("La nueva fecha debe ser posterior al vencimiento actual (%s)", zDue);
  } else if (!calendar_is_business_day(c, newDue)) {
    zMsg = xstrdup("La nueva fecha debe ser un día hábil");
  } else if (newDue > maxDue) {
    char *zMax = long_day_dup(maxDue);
    zMsg = xasprintf("La nueva fecha no puede pasar del doble del término (%d días hábiles): a "
                     "más tardar el %s",
                     2 * p.nTermDays, zMax);
    free(zMax);
  }
  if (zMsg) {
    free(zWhy);
    free(zDue);
    return refuse(db, &p, zMsg, pzErr);
  }
  IsoDay isoNew = iso_day(newDue), isoOld = iso_day(p.due);
  Stmt *s = db_prepare(db, "UPDATE pqrsd SET extended = 1, extension_reason = :reason, "
                           "original_due = :old, due_day = :new WHERE id = :id");
  db_bind_text(s, ":reason", zWhy);
  db_bind_text(s, ":old", isoOld.z);
  db_bind_text(s, ":new", isoNew.z);
  update_run(s, iId);
  char *zNew = long_day_dup(newDue);
  char *zEvent = xasprintf("Prórroga (art. 14 de la Ley 1755 de 2015): la respuesta se dará a "
                           "más tardar el %s, en lugar del %s. Motivo: %s",
                           zNew, zDue, zWhy);
  char *zLog = xasprintf("prorrogada del %s al %s", zDue, zNew);
  action_end(db, &p, zActor, "prorrogar", "prórroga", zEvent, true, zLog, NULL);
  free(zEvent);
  free(zLog);
  free(zNew);
  free(zDue);
  free(zWhy);
  return true;
}

/* Fold z for a containment check: folded, with every character that is
** not a letter or digit dropped ("300 123-4567" → "3001234567"). Caller
** frees. */
static char *fold_compact_dup(const char *z) {
  char *zFold = text_fold_dup(z ? z : "");
  size_t j = 0;
  for (size_t i = 0; zFold[i]; i++) {
    unsigned char ch = (unsigned char)zFold[i];
    if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch >= 0x80) {
      zFold[j++] = zFold[i];
    }
  }
  zFold[j] = 0;
  return zFold;
}

/* The refusal of a public version of the answer to p (subject and answer as
** typed), or NULL when it may be published. Refuses empty or long texts and
** a text holding one of the petitioner's values (name, document, e-mail,
** phone, address; compared folded, letters and digits only, values of at
** least 5 of them). Caller frees. */
static char *public_check_dup(const Pqrsd *p, const PqrsdPublicText *pPub) {
  char *zSubj = trim_dup(pPub->zSubject ? pPub->zSubject : "");
  char *zAns = trim_dup(pPub->zAnswer ? pPub->zAnswer : "");
  char *zMsg = NULL;
  size_t nSubj = text_width(zSubj);
  if (nSubj < PQRSD_SUBJECT_MIN || nSubj > PQRSD_SUBJECT_MAX) {
    zMsg = xasprintf("Para publicar la respuesta escriba el asunto público (de %d a %d "
                     "caracteres), sin datos del peticionario",
                     PQRSD_SUBJECT_MIN, PQRSD_SUBJECT_MAX);
  } else if (zAns[0] == 0 || text_width(zAns) > PQRSD_ANSWER_MAX) {
    zMsg = xasprintf("Para publicar la respuesta escriba la respuesta pública (hasta %d "
                     "caracteres), sin datos del peticionario",
                     PQRSD_ANSWER_MAX);
  } else {
    char *zAll = xasprintf("%s %s", zSubj, zAns);
    char *zHay = fold_compact_dup(zAll);
    const char *azValue[] = {p->zName, p->zIdNumber, p->zEmail, p->zPhone, p->zAddress};
    const char *azWhat[] = {"su nombre", "su documento", "su correo", "su teléfono",
                            "su dirección"};
    for (size_t i = 0; i < sizeof azValue / sizeof azValue[0] && zMsg == NULL; i++) {
      char *zNeedle = fold_compact_dup(azValue[i]);
      if (strlen(zNeedle) >= 5 && strstr(zHay, zNeedle) != NULL) {
        zMsg = xasprintf("La versión pública contiene datos del peticionario (%s); quítelos "
                         "antes de publicar",
                         azWhat[i]);
      }
      free(zNeedle);
    }
    free(zHay);
    free(zAll);
  }
  free(zSubj);
  free(zAns);
  return zMsg;
}

/* Store the public version pPub of PQRSD iId (NULL: withdraw it). */
static void public_store(Db *db, int64_t iId, const PqrsdPublicText *pPub) {
  Stmt *s = db_prepare(db, "UPDATE pqrsd SET answer_public = :public, public_subject = :subj, "
                           "public_answer = :ans WHERE id = :id");
  char *zSubj = trim_dup(pPub && pPub->zSubject ? pPub->zSubject : "");
  char *zAns = trim_dup(pPub && pPub->zAnswer ? pPub->zAnswer : "");
  db_bind_int(s, ":public", pPub != NULL);
  db_bind_text(s, ":subj", zSubj);
  db_bind_text(s, ":ans", zAns);
  update_run(s, iId);
  free(zSubj);
  free(zAns);
}

/* Answer PQRSD iId (pqrsd_answer_public). bPublic marks the answer to be
** published; pPublic, when not NULL, is its public version (checked and
** stored). bPublic without pPublic leaves the public version empty: the
** report shows nothing of it until an official writes one (pqrsd_publish). */
static bool answer_impl(Db *db, const Calendar *c, int64_t iId, const char *zText,
                        const PqrsdFile *pFile, bool bPublic, const PqrsdPublicText *pPublic,
                        const char *zActor, char **pzErr) {
  Pqrsd p;
  if (!open_action_begin(db, c, iId, &p, pzErr)) {
    return false;
  }
  char *zAnswer = trim_dup(zText);
  char *zMsg = NULL;
  if (zAnswer[0] == 0) {
    zMsg = xstrdup("Escriba la respuesta");
  } else if (text_width(zAnswer) > PQRSD_ANSWER_MAX) {
    zMsg = xasprintf("La respuesta no puede pasar de %d caracteres", PQRSD_ANSWER_MAX);
  } else if (bPublic && strcmp(p.zType, "sugerencia") != 0) {
    zMsg = xstrdup("Solo la respuesta a una sugerencia se puede publicar");
  } else if (pPublic) {
    zMsg = public_check_dup(&p, pPublic);
  }
  if (zMsg) {
    free(zAnswer);
    return refuse(db, &p, zMsg, pzErr);
  }
  Day today = pqrsd_today();
  IsoDay isoToday = iso_day(today);
  Buf now = BUF_INIT;
  now_iso(&now);
  bool bFile = pFile && pFile->zSha256[0];
  Stmt *s = db_prepare(db, "UPDATE pqrsd SET status = 'respondida', answer_text = :text, "
                           "answer_at = :now, answer_day = :today, answer_public = :public, "
                           "answered_by = :actor, answer_file_sha256 = :sha, "
                           "answer_file_name = :fname, answer_file_mime = :fmime, "
                           "answer_file_size = :fsize WHERE id = :id");
  db_bind_text(s, ":text", zAnswer);
  db_bind_text(s, ":now", buf_str(&now));
  db_bind_text(s, ":today", isoToday.z);
  db_bind_int(s, ":public", bPublic);
  db_bind_text(s, ":actor", zActor);
  db_bind_text(s, ":sha", bFile ? pFile->zSha256 : NULL);
  db_bind_text(s, ":fname", bFile ? pFile->zName : NULL);
  db_bind_text(s, ":fmime", bFile ? pFile->zMime : NULL);
  if (bFile) {
    db_bind_int(s, ":fsize", pFile->nSize);
  } else {
    db_bind_null(s, ":fsize");
  }
  update_run(s, iId);
  if (pPublic) {
    public_store(db, iId, pPublic);
  }
  bool bLate = today > p.due;
  char *zDue = long_day_dup(p.due);
  char *zEvent =
      xasprintf("Respondida %s (vencía el %s)%s%s", bLate ? "fuera de término" : "a tiempo", zDue,
                bFile ? ", con adjunto" : "", bPublic ? "; la respuesta se publica" : "");
  action_end(db, &p, zActor, "responder", "respuesta", zEvent, true, zEvent, buf_str(&now));
  free(zEvent);
  free(zDue);
  free(zAnswer);
  buf_reset(&now);
  return true;
}

bool pqrsd_answer(Db *db, const Calendar *c, int64_t iId, const char *zText, const PqrsdFile *pFile,
                  bool bPublic, const char *zActor, char **pzErr) {
  return answer_impl(db, c, iId, zText, pFile, bPublic, NULL, zActor, pzErr);
}

bool pqrsd_answer_public(Db *db, const Calendar *c, int64_t iId, const char *zText,
                         const PqrsdFile *pFile, const PqrsdPublicText *pPublic, const char *zActor,
                         char **pzErr) {
  return answer_impl(db, c, iId, zText, pFile, pPublic != NULL, pPublic, zActor, pzErr);
}

bool pqrsd_close(Db *db, const Calendar *c, int64_t iId, const char *zActor, char **pzErr) {
  Pqrsd p;
  if (!action_begin(db, c, iId, &p, pzErr)) {
    return false;
  }
  Day today = pqrsd_today();
  const char *zEvent = NULL;
  char *zMsg = NULL;
  switch (p.eStatus) {
  case PQS_CERRADA:
    zMsg = not_open_dup(&p);
    break;
  case PQS_RESPONDIDA:
    zEvent = "Cerrada";
    break;
  case PQS_ESPERA:
    if (today > p.pauseDeadline) {
      zEvent = "Cerrada por desistimiento tácito: la información no se completó en el plazo "
               "(art. 17 de la Ley 1755 de 2015)";
    } else {
      char *zDay = long_day_dup(p.pauseDeadline);
      zMsg = xasprintf("El peticionario tiene hasta el %s para completar la información; no se "
                       "puede cerrar antes",
                       zDay);
      free(zDay);
    }
    break;
  default:
    /* forwarded to another entity: closed here; anything else open is
    ** still ours to answer */
    if (p.eStatus == PQS_TRASLADADA && p.zExternal[0]) {
      zEvent = "Cerrada: trasladada a la entidad competente";
    } else {
      zMsg = xstrdup("Responda la PQRSD antes de cerrarla");
    }
    break;
  }
  if (zMsg) {
    return refuse(db, &p, zMsg, pzErr);
  }
  Buf now = BUF_INIT;
  now_iso(&now);
  Stmt *s = db_prepare(db, "UPDATE pqrsd SET status = 'cerrada', closed_at = :now "
                           "WHERE id = :id");
  db_bind_text(s, ":now", buf_str(&now));
  update_run(s, iId);
  action_end(db, &p, zActor, "cerrar", "cierre", zEvent, true, zEvent, buf_str(&now));
  buf_reset(&now);
  return true;
}

bool pqrsd_publish(Db *db, int64_t iId, const PqrsdPublicText *pPublic, const char *zActor,
                   char **pzErr) {
  Calendar cal;
  calendar_init(&cal);
  Pqrsd p;
  bool bOk = action_begin(db, &cal, iId, &p, pzErr);
  calendar_reset(&cal);
  if (!bOk) {
    return false;
  }
  char *zMsg = NULL;
  if (strcmp(p.zType, "sugerencia") != 0) {
    zMsg = xstrdup("Solo la respuesta a una sugerencia se puede publicar");
  } else if (p.zAnswerAt[0] == 0) {
    zMsg = xstrdup("La sugerencia todavía no tiene respuesta");
  } else if (pPublic) {
    zMsg = public_check_dup(&p, pPublic);
  }
  if (zMsg) {
    return refuse(db, &p, zMsg, pzErr);
  }
  public_store(db, iId, pPublic);
  audit_logf(db, zActor, pPublic ? "publicar" : "retirar publicación", "pqrsd", p.id, "%s: %s",
             p.zRadicado,
             pPublic ? "versión pública de la respuesta publicada"
                     : "respuesta retirada del informe público");
  db_commit(db);
  pqrsd_reset(&p);
  return true;
}

/* ---- personal data -----------------------------------------------------------------------------
 */

bool pqrsd_correct(Db *db, int64_t iId, const PqrsdIdentity *pNew, const char *zActor,
                   int *pnChanged, char **pzErr) {
  if (pnChanged) {
    *pnChanged = 0;
  }
  Calendar cal;
  calendar_init(&cal);
  Pqrsd p;
  bool bOk = action_begin(db, &cal, iId, &p, pzErr);
  calendar_reset(&cal);
  if (!bOk) {
    return false;
  }
  if (p.zAnonymisedAt[0]) {
    return refuse(db, &p, xstrdup("Los datos personales de la PQRSD ya fueron suprimidos"), pzErr);
  }
  if (p.bAnonymous) {
    return refuse(db, &p, xstrdup("La PQRSD es anónima: no guarda datos personales que corregir"),
                  pzErr);
  }
  const char *azOld[] = {p.zName, p.zIdType, p.zIdNumber, p.zEmail, p.zPhone, p.zAddress};
  const char *azIn[] = {pNew->zName,  pNew->zIdType, pNew->zIdNumber,
                        pNew->zEmail, pNew->zPhone,  pNew->zAddress};
  static const char *const azColumn[] = {"name",  "id_type", "id_number",
                                         "email", "phone",   "address"};
  static const char *const azLabel[] = {"nombre", "tipo de documento", "documento",
                                        "correo", "teléfono",          "dirección"};
  static const PqrsdField aField[] = {PQF_NAME,  PQF_IDTYPE, PQF_IDNUMBER,
                                      PQF_EMAIL, PQF_PHONE,  PQF_ADDRESS};
  char *azNew[6];
  for (int i = 0; i < 6; i++) {
    azNew[i] = trim_dup(azIn[i] ? azIn[i] : azOld[i]);
  }
  PqrsdSubmission sub = {.zType = p.zType,
                         .zSubject = "Corrección",
                         .zText = "Corrección de datos personales",
                         .zName = azNew[0],
                         .zIdType = azNew[1],
                         .zIdNumber = azNew[2],
                         .zEmail = azNew[3],
                         .zPhone = azNew[4],
                         .zAddress = azNew[5],
                         .zChannel = p.zChannel,
                         .bConsent = true};
  char *azErr[PQF_COUNT];
  pqrsd_validate(db, &sub, azErr);
  char *zMsg = NULL;
  for (int i = 0; i < 6 && zMsg == NULL; i++) {
    if (azErr[aField[i]]) {
      zMsg = xstrdup(azErr[aField[i]]);
    }
  }
  if (zMsg == NULL && azErr[PQF_CHANNEL]) {
    zMsg = xstrdup(azErr[PQF_CHANNEL]);
  }
  pqrsd_errors_reset(azErr);
  if (zMsg) {
    for (int i = 0; i < 6; i++) {
      free(azNew[i]);
    }
    return refuse(db, &p, zMsg, pzErr);
  }
  Buf fields = BUF_INIT;
  int nChanged = 0;
  for (int i = 0; i < 6; i++) {
    if (strcmp(azNew[i], azOld[i]) == 0) {
      continue;
    }
    /* the column name is one of six literals above, never input */
    char *zSql = xasprintf("UPDATE pqrsd SET %s = :value WHERE id = :id", azColumn[i]);
    Stmt *s = db_prepare(db, zSql);
    free(zSql);
    db_bind_text(s, ":value", azNew[i]);
    update_run(s, iId);
    buf_appendf(&fields, "%s%s", nChanged ? ", " : "", azLabel[i]);
    nChanged++;
  }
  for (int i = 0; i < 6; i++) {
    free(azNew[i]);
  }
  if (nChanged > 0) {
    audit_logf(db, zActor, "corregir datos", "pqrsd", p.id,
               "%s: solicitud del titular; se corrigió: %s", p.zRadicado, buf_str(&fields));
    db_commit(db);
  } else {
    db_rollback(db);
  }
  buf_reset(&fields);
  pqrsd_reset(&p);
  if (pnChanged) {
    *pnChanged = nChanged;
  }
  return true;
}

bool pqrsd_file_in_use(Db *db, const char *zSha256) {
  Stmt *s = db_prepare(db, "SELECT count(*) FROM pqrsd WHERE file_sha256 = :sha OR "
                           "answer_file_sha256 = :sha");
  db_bind_text(s, ":sha", zSha256);
  /* no row only after a database failure: then the file counts as used,
  ** and nothing is removed */
  bool bUsed = !db_step(s) || db_col_int(s, 0) > 0;
  db_finalize(s);
  return bUsed;
}

/* Append zSha256 to pFreed when no PQRSD references it any more. */
static void file_release(Db *db, const char *zSha256, Buf *pFreed) {
  if (zSha256 != NULL && zSha256[0] != 0 && !pqrsd_file_in_use(db, zSha256)) {
    buf_appendf(pFreed, "%s\n", zSha256);
  }
}

bool pqrsd_anonymise_in_tx(Db *db, int64_t iId, bool bFilesOnly, const char *zWhy, Buf *pFreed) {
  Stmt *s = db_prepare(db, "SELECT coalesce(file_sha256, ''), coalesce(answer_file_sha256, ''), "
                           "anonymised_at IS NOT NULL FROM pqrsd WHERE id = :id");
  db_bind_int(s, ":id", iId);
  if (!db_step(s)) {
    db_finalize(s);
    return false;
  }
  char zFile[65], zAnswerFile[65];
  snprintf(zFile, sizeof zFile, "%s", db_col_text(s, 0));
  snprintf(zAnswerFile, sizeof zAnswerFile, "%s", db_col_text(s, 1));
  bool bDone = db_col_int(s, 2) != 0;
  db_finalize(s);
  bool bFiles = zFile[0] || zAnswerFile[0];
  if ((bFilesOnly || bDone) && !bFiles) {
    return false;
  }
  s = db_prepare(db, "UPDATE pqrsd SET file_sha256 = NULL, file_name = NULL, file_mime = NULL, "
                     "file_size = NULL, answer_file_sha256 = NULL, answer_file_name = NULL, "
                     "answer_file_mime = NULL, answer_file_size = NULL WHERE id = :id");
  update_run(s, iId);
  if (!bFilesOnly && !bDone) {
    Buf now = BUF_INIT;
    now_iso(&now);
    char *zFold = text_fold_dup(PQRSD_SUPPRESSED);
    s = db_prepare(db, "UPDATE pqrsd SET subject = :gone, subject_fold = :fold, body = :gone, "
                       "name = '', id_type = '', id_number = '', email = '', phone = '', "
                       "address = '', answer_text = CASE WHEN answer_text = '' THEN '' ELSE "
                       ":gone END, anonymised_at = :now, anonymised_why = :why WHERE id = :id");
    db_bind_text(s, ":gone", PQRSD_SUPPRESSED);
    db_bind_text(s, ":fold", zFold);
    db_bind_text(s, ":now", buf_str(&now));
    db_bind_text(s, ":why", zWhy);
    update_run(s, iId);
    /* the texts the petitioner brought, and what was asked of them */
    s = db_prepare(db, "UPDATE pqrsd_event SET detail = :gone WHERE pqrsd_id = :id AND kind IN "
                       "('información completada', 'solicitud de información')");
    db_bind_text(s, ":gone", PQRSD_SUPPRESSED);
    update_run(s, iId);
    free(zFold);
    buf_reset(&now);
  }
  file_release(db, zFile, pFreed);
  if (strcmp(zAnswerFile, zFile) != 0) {
    file_release(db, zAnswerFile, pFreed);
  }
  return true;
}

int pqrsd_retention_due(Db *db, const char *zBefore, bool bFiles, int64_t **paId) {
  Stmt *s = db_prepare(db, "SELECT id FROM pqrsd WHERE coalesce(answer_at, closed_at) < :before "
                           "AND (CASE WHEN :files = 1 THEN file_sha256 IS NOT NULL OR "
                           "answer_file_sha256 IS NOT NULL ELSE anonymised_at IS NULL END) "
                           "ORDER BY coalesce(answer_at, closed_at), id");
  db_bind_text(s, ":before", zBefore);
  db_bind_int(s, ":files", bFiles);
  int n = db_ids(s, paId);
  db_finalize(s);
  return n;
}

/* ---- inbox ----------------------------------------------------------------------------------- */

void pqrsd_filter_init(PqrsdFilter *f) {
  memset(f, 0, sizeof *f);
  f->eStatus = -1;
}

#define INBOX_FROM                                                                                 \
  " FROM pqrsd p JOIN pqrsd_type t ON t.code = p.type LEFT JOIN office o ON o.id = p.office_id "   \
  "WHERE (:type IS NULL OR p.type = :type) AND (:status IS NULL OR p.status = :status) "           \
  "AND (:open = 0 OR " SQL_OPEN ") "                                                               \
  "AND (:offices IS NULL OR p.office_id IN (SELECT value FROM json_each(:offices))) "              \
  "AND (:unassigned = 0 OR p.office_id IS NULL) "                                                  \
  "AND (:overdue = 0 OR (" SQL_RUNNING " AND p.due_day < :today)) "                                \
  "AND (:within IS NULL OR (" SQL_RUNNING " AND p.due_day >= :today AND p.due_day <= :within)) "   \
  "AND (:q IS NULL OR instr(p.subject_fold, :q) > 0 OR p.radicado = :rad) "

/* Bind the filter's parameters to s (a statement built on INBOX_FROM). */
static void inbox_bind(Stmt *s, const Calendar *c, const PqrsdFilter *f, Day today) {
  db_bind_text(s, ":type", f->zType && f->zType[0] ? f->zType : NULL);
  db_bind_text(s, ":status",
               f->eStatus >= 0 && f->eStatus < PQS_COUNT
                   ? pqrsd_status_name((PqrsdStatus)f->eStatus)
                   : NULL);
  db_bind_int(s, ":open", f->bOpen);
  if (f->bOffices) {
    Buf json = BUF_INIT;
    buf_putc(&json, '[');
    for (int i = 0; i < f->nOffice; i++) {
      buf_appendf(&json, "%s%lld", i ? "," : "", (long long)f->aOffice[i]);
    }
    buf_putc(&json, ']');
    db_bind_text(s, ":offices", buf_str(&json));
    buf_reset(&json);
  } else {
    db_bind_null(s, ":offices");
  }
  db_bind_int(s, ":unassigned", f->bUnassigned);
  db_bind_int(s, ":overdue", f->bOverdue);
  IsoDay isoToday = iso_day(today);
  db_bind_text(s, ":today", isoToday.z);
  if (f->nDueWithin > 0) {
    IsoDay isoLimit = iso_day(calendar_add(c, today, f->nDueWithin));
    db_bind_text(s, ":within", isoLimit.z);
  } else {
    db_bind_null(s, ":within");
  }
  char *zFold = f->zSearch ? text_fold_dup(f->zSearch) : NULL;
  char *zRad = radicado_normalize_dup(f->zSearch);
  db_bind_text(s, ":q", zFold && zFold[0] ? zFold : NULL);
  db_bind_text(s, ":rad", zRad);
  free(zFold);
  free(zRad);
}

int pqrsd_inbox(Db *db, const Calendar *c, const PqrsdFilter *f, PqrsdRow **paOut, int *pnTotal) {
  Day today = pqrsd_today();
  if (pnTotal) {
    Stmt *s = db_prepare(db, "SELECT count(*)" INBOX_FROM);
    inbox_bind(s, c, f, today);
    *pnTotal = db_step(s) ? (int)db_col_int(s, 0) : 0;
    db_finalize(s);
  }
  Stmt *s = db_prepare(
      db, "SELECT p.id, p.radicado, p.type, t.name, p.subject, p.status, p.office_id, o.name, "
          "p.external_entity, p.received_at, p.received_day, p.due_day, p.pause_deadline, "
          "p.extended, p.anonymous" INBOX_FROM "ORDER BY CASE WHEN " SQL_OPEN
          " THEN 0 ELSE 1 END, CASE WHEN " SQL_OPEN
          " THEN p.due_day END, p.received_at DESC, p.id DESC LIMIT :limit OFFSET :offset");
  inbox_bind(s, c, f, today);
  db_bind_int(s, ":limit", f->nLimit > 0 ? f->nLimit : 200);
  db_bind_int(s, ":offset", f->nOffset > 0 ? f->nOffset : 0);
  int n = 0;
  PqrsdRow *a = NULL;
  while (db_step(s)) {
    a = xrealloc(a, sizeof *a * (size_t)(n + 1));
    PqrsdRow *r = &a[n++];
    memset(r, 0, sizeof *r);
    r->id = db_col_int(s, 0);
    snprintf(r->zRadicado, sizeof r->zRadicado, "%s", db_col_text(s, 1));
    r->zType = xstrdup(db_col_text(s, 2));
    r->zTypeName = xstrdup(db_col_text(s, 3));
    r->zSubject = xstrdup(db_col_text(s, 4));
    int e = pqrsd_status_parse(db_col_text(s, 5));
    ASSERT(e >= 0);
    r->eStatus = (PqrsdStatus)e;
    r->iOffice = db_col_int(s, 6);
    r->zOffice = xstrdup(db_col_text(s, 7));
    r->zExternal = xstrdup(db_col_text(s, 8));
    r->zReceivedAt = xstrdup(db_col_text(s, 9));
    r->received = day_from_iso(db_col_text(s, 10));
    r->due = day_from_iso(db_col_text(s, 11));
    r->bPaused = r->eStatus == PQS_ESPERA;
    r->pauseDeadline = day_from_iso(db_col_text(s, 12));
    r->bExtended = db_col_int(s, 13) != 0;
    r->bAnonymous = db_col_int(s, 14) != 0;
    r->bRunning = is_running(r->eStatus, r->zExternal);
    if (r->bRunning) {
      r->iDaysLeft = calendar_between(c, today, r->due);
      r->bOverdue = r->due < today;
    }
  }
  db_finalize(s);
  *paOut = a;
  return n;
}

void pqrsd_rows_free(int n, PqrsdRow *a) {
  for (int i = 0; i < n; i++) {
    free(a[i].zType);
    free(a[i].zTypeName);
    free(a[i].zSubject);
    free(a[i].zOffice);
    free(a[i].zExternal);
    free(a[i].zReceivedAt);
  }
  free(a);
}

/* ---- published suggestions ------------------------------------------------------------------- */

int pqrsd_published(Db *db, int nLimit, PqrsdPublished **paOut) {
  Stmt *s = db_prepare(db, "SELECT radicado, public_subject, received_day, public_answer, "
                           "answer_day FROM pqrsd WHERE answer_public = 1 AND "
                           "type = 'sugerencia' AND public_subject <> '' AND public_answer <> '' "
                           "AND answer_at IS NOT NULL ORDER BY answer_at DESC, id DESC "
                           "LIMIT :limit");
  db_bind_int(s, ":limit", nLimit > 0 ? nLimit : -1);
  int n = 0;
  PqrsdPublished *a = NULL;
  while (db_step(s)) {
    a = xrealloc(a, sizeof *a * (size_t)(n + 1));
    PqrsdPublished *r = &a[n++];
    snprintf(r->zRadicado, sizeof r->zRadicado, "%s", db_col_text(s, 0));
    r->zSubject = xstrdup(db_col_text(s, 1));
    r->received = day_from_iso(db_col_text(s, 2));
    r->zAnswer = xstrdup(db_col_text(s, 3));
    r->answerDay = day_from_iso(db_col_text(s, 4));
  }
  db_finalize(s);
  *paOut = a;
  return n;
}

void pqrsd_published_free(int n, PqrsdPublished *a) {
  for (int i = 0; i < n; i++) {
    free(a[i].zSubject);
    free(a[i].zAnswer);
  }
  free(a);
}

/* ---- transparency ---------------------------------------------------------------------------- */

/* A tally being built: its answer times, for the mean and the median. */
typedef struct Acc {
  int n;     /* answer times collected */
  int *aDay; /* business days to answer */
} Acc;

static void tally_init(PqrsdTally *t, const char *zKey, const char *zLabel) {
  memset(t, 0, sizeof *t);
  t->zKey = xstrdup(zKey);
  t->zLabel = xstrdup(zLabel);
  t->rMeanDays = -1;
  t->rMedianDays = -1;
}

static void tally_reset(PqrsdTally *t) {
  free(t->zKey);
  free(t->zLabel);
  memset(t, 0, sizeof *t);
}

/* The facts of one PQRSD the report counts. */
typedef struct Fact {
  bool bAnswered;  /* has an answer */
  bool bOnTime;    /* with bAnswered: answered on or before due */
  int nDays;       /* with bAnswered: business days from filing to answer */
  bool bForwarded; /* forwarded to another entity, unanswered */
  bool bWithdrawn; /* closed without an answer, not forwarded */
  bool bOverdue;   /* pending, running and past due */
} Fact;

static void tally_add(PqrsdTally *t, Acc *pAcc, const Fact *f) {
  t->nReceived++;
  if (f->bAnswered) {
    if (f->bOnTime) {
      t->nOnTime++;
    } else {
      t->nLate++;
    }
    pAcc->aDay = xrealloc(pAcc->aDay, sizeof(int) * (size_t)(pAcc->n + 1));
    pAcc->aDay[pAcc->n++] = f->nDays;
  } else if (f->bForwarded) {
    t->nForwarded++;
  } else if (f->bWithdrawn) {
    t->nWithdrawn++;
  } else {
    t->nPending++;
    t->nPendingOverdue += f->bOverdue;
  }
}

static int int_cmp(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

/* Compute the mean and median of t from pAcc, and free pAcc's times. */
static void tally_finish(PqrsdTally *t, Acc *pAcc) {
  if (pAcc->n > 0) {
    qsort(pAcc->aDay, (size_t)pAcc->n, sizeof(int), int_cmp);
    double rSum = 0;
    for (int i = 0; i < pAcc->n; i++) {
      rSum += pAcc->aDay[i];
    }
    t->rMeanDays = rSum / pAcc->n;
    int h = pAcc->n / 2;
    t->rMedianDays = pAcc->n % 2 ? pAcc->aDay[h] : (pAcc->aDay[h - 1] + pAcc->aDay[h]) / 2.0;
  }
  free(pAcc->aDay);
  pAcc->aDay = NULL;
  pAcc->n = 0;
}

void pqrsd_transparency(Db *db, const Calendar *c, int iYear, PqrsdTransparency *p) {
  memset(p, 0, sizeof *p);
  Day today = pqrsd_today();
  if (iYear <= 0) {
    int m, d;
    date_to_ymd(today, &iYear, &m, &d);
  }
  p->iYear = iYear;
  p->asOf = today;
  tally_init(&p->total, "total", "Total");
  PqrsdType *aType;
  p->nType = pqrsd_types(db, &aType);
  p->aType = xcalloc((size_t)(p->nType > 0 ? p->nType : 1), sizeof *p->aType);
  for (int i = 0; i < p->nType; i++) {
    tally_init(&p->aType[i], aType[i].zCode, aType[i].zName);
  }
  for (int i = 0; i < 12; i++) {
    char zKey[24];
    snprintf(zKey, sizeof zKey, "%02d", i + 1);
    char *zLabel = xstrdup(date_month_name(i + 1));
    zLabel[0] = (char)(zLabel[0] - 'a' + 'A');
    tally_init(&p->aMonth[i], zKey, zLabel);
    free(zLabel);
  }
  /* the offices with PQRSD of the year, by name, "Sin asignar" last */
  Stmt *s = db_prepare(db, "SELECT DISTINCT coalesce(p.office_id, 0), coalesce(o.name, ''), "
                           "o.fold FROM pqrsd p LEFT JOIN office o ON o.id = p.office_id "
                           "WHERE p.year = :year ORDER BY p.office_id IS NULL, o.fold");
  db_bind_int(s, ":year", iYear);
  int64_t *aOfficeId = NULL;
  while (db_step(s)) {
    p->aOffice = xrealloc(p->aOffice, sizeof *p->aOffice * (size_t)(p->nOffice + 1));
    aOfficeId = xrealloc(aOfficeId, sizeof *aOfficeId * (size_t)(p->nOffice + 1));
    int64_t iOffice = db_col_int(s, 0);
    char zKey[24];
    snprintf(zKey, sizeof zKey, "%lld", (long long)iOffice);
    tally_init(&p->aOffice[p->nOffice], zKey, iOffice ? db_col_text(s, 1) : "Sin asignar");
    aOfficeId[p->nOffice++] = iOffice;
  }
  db_finalize(s);

  Acc accTotal = {0, NULL};
  Acc *aAccType = xcalloc((size_t)p->nType + 1, sizeof(Acc));
  Acc *aAccOffice = xcalloc((size_t)p->nOffice + 1, sizeof(Acc));
  Acc aAccMonth[12];
  memset(aAccMonth, 0, sizeof aAccMonth);
  s = db_prepare(db, "SELECT type, coalesce(office_id, 0), received_day, due_day, status, "
                     "external_entity, answer_day FROM pqrsd WHERE year = :year");
  db_bind_int(s, ":year", iYear);
  while (db_step(s)) {
    const char *zType = db_col_text(s, 0);
    int64_t iOffice = db_col_int(s, 1);
    Day received = day_from_iso(db_col_text(s, 2));
    Day due = day_from_iso(db_col_text(s, 3));
    int e = pqrsd_status_parse(db_col_text(s, 4));
    bool bExternal = db_col_text(s, 5)[0] != 0;
    Fact f = {0};
    f.bAnswered = !db_col_is_null(s, 6);
    if (f.bAnswered) {
      Day answered = day_from_iso(db_col_text(s, 6));
      f.bOnTime = answered <= due;
      f.nDays = calendar_between(c, received, answered);
    }
    f.bForwarded = !f.bAnswered && bExternal;
    f.bWithdrawn = !f.bAnswered && !bExternal && e == PQS_CERRADA;
    f.bOverdue = e >= 0 && is_running((PqrsdStatus)e, bExternal ? "x" : "") && due < today;
    tally_add(&p->total, &accTotal, &f);
    for (int i = 0; i < p->nType; i++) {
      if (strcmp(p->aType[i].zKey, zType) == 0) {
        tally_add(&p->aType[i], &aAccType[i], &f);
      }
    }
    for (int i = 0; i < p->nOffice; i++) {
      if (aOfficeId[i] == iOffice) {
        tally_add(&p->aOffice[i], &aAccOffice[i], &f);
      }
    }
    int y, m, d;
    date_to_ymd(received, &y, &m, &d);
    tally_add(&p->aMonth[m - 1], &aAccMonth[m - 1], &f);
  }
  db_finalize(s);
  tally_finish(&p->total, &accTotal);
  for (int i = 0; i < p->nType; i++) {
    tally_finish(&p->aType[i], &aAccType[i]);
  }
  for (int i = 0; i < p->nOffice; i++) {
    tally_finish(&p->aOffice[i], &aAccOffice[i]);
  }
  for (int i = 0; i < 12; i++) {
    tally_finish(&p->aMonth[i], &aAccMonth[i]);
  }
  free(aAccType);
  free(aAccOffice);
  free(aOfficeId);
  pqrsd_types_free(p->nType, aType);
}

void pqrsd_transparency_reset(PqrsdTransparency *p) {
  tally_reset(&p->total);
  for (int i = 0; i < p->nType; i++) {
    tally_reset(&p->aType[i]);
  }
  free(p->aType);
  for (int i = 0; i < p->nOffice; i++) {
    tally_reset(&p->aOffice[i]);
  }
  free(p->aOffice);
  for (int i = 0; i < 12; i++) {
    tally_reset(&p->aMonth[i]);
  }
  memset(p, 0, sizeof *p);
}

/* Append a mean or median with one decimal, or zNone when there is none. */
static void put_days(Buf *pOut, double r, const char *zNone) {
  if (r < 0) {
    buf_puts(pOut, zNone);
  } else {
    buf_put_fixed(pOut, r, 1);
  }
}

static void csv_tally(Buf *pOut, const PqrsdTransparency *p, const char *zDim,
                      const PqrsdTally *t) {
  char azNum[9][32];
  int aN[7] = {t->nReceived,       t->nOnTime,    t->nLate,     t->nPending,
               t->nPendingOverdue, t->nForwarded, t->nWithdrawn};
  for (int i = 0; i < 7; i++) {
    snprintf(azNum[i], sizeof azNum[i], "%d", aN[i]);
  }
  Buf b = BUF_INIT;
  put_days(&b, t->rMeanDays, "");
  snprintf(azNum[7], sizeof azNum[7], "%s", buf_str(&b));
  buf_clear(&b);
  put_days(&b, t->rMedianDays, "");
  snprintf(azNum[8], sizeof azNum[8], "%s", buf_str(&b));
  buf_reset(&b);
  char zYear[16];
  snprintf(zYear, sizeof zYear, "%d", p->iYear);
  const char *az[] = {zYear,    zDim,     t->zKey,  t->zLabel, azNum[0], azNum[1], azNum[2],
                      azNum[3], azNum[4], azNum[5], azNum[6],  azNum[7], azNum[8]};
  csv_write_row(pOut, (int)(sizeof az / sizeof az[0]), az, ',');
}

void pqrsd_transparency_csv(const PqrsdTransparency *p, Buf *pOut) {
  static const char *const azHead[] = {"anio",
                                       "dimension",
                                       "clave",
                                       "nombre",
                                       "recibidas",
                                       "respondidas_a_tiempo",
                                       "respondidas_tarde",
                                       "pendientes",
                                       "pendientes_vencidas",
                                       "trasladadas_a_otra_entidad",
                                       "desistidas",
                                       "promedio_dias_habiles",
                                       "mediana_dias_habiles"};
  csv_write_row(pOut, (int)(sizeof azHead / sizeof azHead[0]), azHead, ',');
  csv_tally(pOut, p, "total", &p->total);
  for (int i = 0; i < p->nType; i++) {
    csv_tally(pOut, p, "tipo", &p->aType[i]);
  }
  for (int i = 0; i < p->nOffice; i++) {
    csv_tally(pOut, p, "dependencia", &p->aOffice[i]);
  }
  for (int i = 0; i < 12; i++) {
    csv_tally(pOut, p, "mes", &p->aMonth[i]);
  }
}

static void json_tally(JsonW *w, const PqrsdTally *t) {
  jsonw_object_begin(w);
  jsonw_key(w, "clave");
  jsonw_string(w, t->zKey);
  jsonw_key(w, "nombre");
  jsonw_string(w, t->zLabel);
  const char *azKey[] = {"recibidas",  "respondidas_a_tiempo", "respondidas_tarde",
                         "pendientes", "pendientes_vencidas",  "trasladadas_a_otra_entidad",
                         "desistidas"};
  int aN[] = {t->nReceived,       t->nOnTime,    t->nLate,     t->nPending,
              t->nPendingOverdue, t->nForwarded, t->nWithdrawn};
  for (size_t i = 0; i < sizeof aN / sizeof aN[0]; i++) {
    jsonw_key(w, azKey[i]);
    jsonw_int(w, aN[i]);
  }
  jsonw_key(w, "promedio_dias_habiles");
  if (t->rMeanDays < 0) {
    jsonw_null(w);
  } else {
    jsonw_fixed(w, t->rMeanDays, 1);
  }
  jsonw_key(w, "mediana_dias_habiles");
  if (t->rMedianDays < 0) {
    jsonw_null(w);
  } else {
    jsonw_fixed(w, t->rMedianDays, 1);
  }
  jsonw_object_end(w);
}

void pqrsd_transparency_json(const PqrsdTransparency *p, Buf *pOut) {
  JsonW w;
  jsonw_init(&w, pOut);
  jsonw_set_pretty_depth(&w, 2);
  jsonw_object_begin(&w);
  jsonw_key(&w, "anio");
  jsonw_int(&w, p->iYear);
  jsonw_key(&w, "fecha_corte");
  IsoDay isoAsOf = iso_day(p->asOf);
  jsonw_string(&w, isoAsOf.z);
  jsonw_key(&w, "total");
  json_tally(&w, &p->total);
  jsonw_key(&w, "por_tipo");
  jsonw_array_begin(&w);
  for (int i = 0; i < p->nType; i++) {
    json_tally(&w, &p->aType[i]);
  }
  jsonw_array_end(&w);
  jsonw_key(&w, "por_dependencia");
  jsonw_array_begin(&w);
  for (int i = 0; i < p->nOffice; i++) {
    json_tally(&w, &p->aOffice[i]);
  }
  jsonw_array_end(&w);
  jsonw_key(&w, "por_mes");
  jsonw_array_begin(&w);
  for (int i = 0; i < 12; i++) {
    json_tally(&w, &p->aMonth[i]);
  }
  jsonw_array_end(&w);
  jsonw_object_end(&w);
  buf_putc(pOut, '\n');
}

/* Append s padded with spaces to nWidth code points (left aligned). */
static void put_padded(Buf *pOut, const char *z, size_t nWidth) {
  char *zCut = text_ellipsize_dup(z, nWidth);
  buf_puts(pOut, zCut);
  for (size_t n = text_width(zCut); n < nWidth; n++) {
    buf_putc(pOut, ' ');
  }
  free(zCut);
}

static void text_tally(Buf *pOut, const PqrsdTally *t) {
  buf_puts(pOut, "  ");
  put_padded(pOut, t->zLabel, 36);
  buf_appendf(pOut, "%5d %5d %5d %5d %5d %5d %5d ", t->nReceived, t->nOnTime, t->nLate, t->nPending,
              t->nPendingOverdue, t->nForwarded, t->nWithdrawn);
  Buf b = BUF_INIT;
  put_days(&b, t->rMeanDays, "-");
  buf_appendf(pOut, "%6s ", buf_str(&b));
  buf_clear(&b);
  put_days(&b, t->rMedianDays, "-");
  buf_appendf(pOut, "%6s\n", buf_str(&b));
  buf_reset(&b);
}

static void text_head(Buf *pOut, const char *zTitle) {
  buf_appendf(pOut, "\n%s\n  ", zTitle);
  put_padded(pOut, "", 36);
  buf_puts(pOut, "Recib Tiemp Tarde Pend. Venc. Tras. Desis  Prom. Medi.\n");
}

void pqrsd_transparency_text(const PqrsdTransparency *p, Buf *pOut) {
  char *zAsOf = long_day_dup(p->asOf);
  buf_appendf(pOut, "Informe de PQRSD %d (Ley 1712 de 2014, art. 11 h), con corte al %s\n",
              p->iYear, zAsOf);
  free(zAsOf);
  buf_puts(pOut, "Recib: recibidas; Tiemp/Tarde: respondidas a tiempo / fuera de término; "
                 "Pend./Venc.: pendientes / de ellas vencidas;\n"
                 "Tras.: trasladadas a otra entidad; Desis: desistidas; Prom./Medi.: días "
                 "hábiles desde la radicación hasta la respuesta.\n");
  text_head(pOut, "Total");
  text_tally(pOut, &p->total);
  text_head(pOut, "Por tipo");
  for (int i = 0; i < p->nType; i++) {
    text_tally(pOut, &p->aType[i]);
  }
  text_head(pOut, "Por dependencia");
  for (int i = 0; i < p->nOffice; i++) {
    text_tally(pOut, &p->aOffice[i]);
  }
  if (p->nOffice == 0) {
    buf_puts(pOut, "  (ninguna)\n");
  }
  text_head(pOut, "Por mes de radicación");
  for (int i = 0; i < 12; i++) {
    text_tally(pOut, &p->aMonth[i]);
  }
}
