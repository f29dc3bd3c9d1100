/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The `participa pqrsd` commands: add (file a PQRSD received at the desk,
** by phone or in writing: nobody may refuse to file one, art. 15), list
** (the inbox with filters), show (one PQRSD with its history), answer,
** report (the transparency report as text, CSV or JSON) and terms (see or
** change the term of a type). Each parses its options and calls pqrsd.h;
** no SQL and no computation lives here.
*/
#include "pqrsd/pqrsd_cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "base/args.h"
#include "base/buf.h"
#include "base/text.h"
#include "base/util.h"
#include "calendar/calendar.h"
#include "pqrsd/pqrsd.h"

/* Print the message zErr of a refused action (frees it); returns exit status 1. */
static int fail(char *zErr) {
  fprintf(stderr, "participa: %s\n", zErr ? zErr : "no se pudo");
  free(zErr);
  return 1;
}

/* Append z cut to nWidth - 1 columns and padded to nWidth. */
static void put_col(Buf *pOut, const char *z, size_t nWidth) {
  char *zCut = text_ellipsize_dup(z, nWidth - 1);
  buf_puts(pOut, zCut);
  for (size_t n = text_width(zCut); n < nWidth; n++) {
    buf_putc(pOut, ' ');
  }
  free(zCut);
}

/* Append day as ISO. */
static void put_iso(Buf *pOut, Day day) {
  int y, m, d;
  date_to_ymd(day, &y, &m, &d);
  buf_appendf(pOut, "%04d-%02d-%02d", y, m, d);
}

/* The PQRSD named by radicado z, or exit 1 saying there is none. */
static int64_t need_pqrsd(App *app, const char *z) {
  int64_t id = pqrsd_id(app->db, z);
  if (id == 0) {
    app_fatal("no existe la PQRSD «%s»; vea «participa pqrsd list»", z);
  }
  return id;
}

int pqrsd_add_cmd(App *app, int argc, char **argv) {
  const char *zUsage = app->zUsage;
  PqrsdSubmission sub = {0};
  sub.zType = args_value(&argc, argv, "tipo");
  sub.zSubject = args_value(&argc, argv, "asunto");
  sub.zText = args_value(&argc, argv, "texto");
  sub.bAnonymous = args_flag(&argc, argv, "anonima");
  sub.zName = args_value(&argc, argv, "nombre");
  sub.zIdType = args_value(&argc, argv, "tipo-documento");
  sub.zIdNumber = args_value(&argc, argv, "documento");
  sub.zEmail = args_value(&argc, argv, "correo");
  sub.zPhone = args_value(&argc, argv, "telefono");
  sub.zAddress = args_value(&argc, argv, "direccion");
  sub.zChannel = args_value(&argc, argv, "canal");
  sub.bConsent = args_flag(&argc, argv, "autoriza");
  args_verify(&argc, argv, "pqrsd add");
  args_count(argc, 0, 0, zUsage);
  /* nobody may refuse to file a petition (Ley 1755 art. 15): any account */
  app_actor_require(app, CAP_USER, "pqrsd add");
  sub.zActor = app->zActor;
  char *azErr[PQF_COUNT];
  if (pqrsd_validate(app->db, &sub, azErr) > 0) {
    for (int i = 0; i < PQF_COUNT; i++) {
      if (azErr[i]) {
        fprintf(stderr, "participa: %s\n", azErr[i]);
      }
    }
    pqrsd_errors_reset(azErr);
    return 1;
  }
  Calendar cal;
  calendar_init(&cal);
  calendar_load(&cal, app->db);
  PqrsdReceipt rec;
  char *zErr = NULL;
  bool bOk = pqrsd_submit(app->db, &cal, &sub, &rec, &zErr);
  calendar_reset(&cal);
  if (!bOk) {
    return fail(zErr);
  }
  Buf out = BUF_INIT;
  buf_appendf(&out, "radicado %s (%s), recibida el ", rec.zRadicado, rec.zTypeName);
  pqrsd_format_local(rec.zReceivedAt, &out);
  buf_puts(&out, "\nvence el ");
  date_format_long(rec.due, &out);
  buf_appendf(&out, " (%d días hábiles)\n", rec.nTermDays);
  buf_appendf(&out, "código de consulta: %s (entréguelo al peticionario: no se vuelve a mostrar)\n",
              rec.zCode);
  fputs(buf_str(&out), stdout);
  buf_reset(&out);
  return 0;
}

int pqrsd_answer_cmd(App *app, int argc, char **argv) {
  const char *zUsage = app->zUsage;
  const char *zText = args_value(&argc, argv, "texto");
  bool bPublic = args_flag(&argc, argv, "publicar");
  const char *zPubSubject = args_value(&argc, argv, "asunto-publico");
  const char *zPubAnswer = args_value(&argc, argv, "respuesta-publica");
  args_verify(&argc, argv, "pqrsd answer");
  args_count(argc, 1, 1, zUsage);
  if (zText == NULL) {
    args_usage_error(zUsage, "falta --texto con la respuesta");
  }
  bool bPublicText = zPubSubject != NULL || zPubAnswer != NULL;
  if (bPublicText && !bPublic) {
    args_usage_error(zUsage, "--asunto-publico y --respuesta-publica van con --publicar");
  }
  int64_t id = need_pqrsd(app, argv[1]);
  app_actor_require(app, CAP_PQRSD, "pqrsd answer");
  Calendar cal;
  calendar_init(&cal);
  calendar_load(&cal, app->db);
  Pqrsd p;
  ASSERT(pqrsd_load(app->db, &cal, id, &p));
  int64_t iOffice = p.iOffice;
  Buf office = BUF_INIT, radicado = BUF_INIT; /* copies: a refusal exits with nothing held */
  buf_puts(&office, p.zOffice);
  buf_puts(&radicado, p.zRadicado);
  pqrsd_reset(&p);
  calendar_reset(&cal);
  app_actor_require_office(app, iOffice, buf_str(&office), buf_str(&radicado), "pqrsd answer");
  buf_reset(&office);
  buf_reset(&radicado);
  calendar_init(&cal);
  calendar_load(&cal, app->db);
  char *zErr = NULL;
  /* the public version is the official's own text, never the citizen's */
  PqrsdPublicText pub = {.zSubject = zPubSubject, .zAnswer = zPubAnswer};
  bool bOk = bPublicText
                 ? pqrsd_answer_public(app->db, &cal, id, zText, NULL, &pub, app->zActor, &zErr)
                 : pqrsd_answer(app->db, &cal, id, zText, NULL, bPublic, app->zActor, &zErr);
  calendar_reset(&cal);
  if (!bOk) {
    return fail(zErr);
  }
  for (char *c = argv[1]; *c; c++) {
    if (*c >= 'a' && *c <= 'z') {
      *c = (char)(*c - 'a' + 'A');
    }
  }
  printf("%s respondida por %s%s\n", argv[1], app->zActor,
         bPublicText ? " (versión pública publicada)"
         : bPublic   ? " (se publicará cuando se escriba su versión pública)"
                     : "");
  return 0;
}

int pqrsd_list_cmd(App *app, int argc, char **argv) {
  const char *zUsage = app->zUsage;
  PqrsdFilter f;
  pqrsd_filter_init(&f);
  f.bOverdue = args_flag(&argc, argv, "vencidas");
  f.bOpen = args_flag(&argc, argv, "abiertas");
  f.zType = args_value(&argc, argv, "tipo");
  const char *zStatus = args_value(&argc, argv, "estado");
  const char *zWithin = args_value(&argc, argv, "vencen");
  f.zSearch = args_value(&argc, argv, "buscar");
  const char *zLimit = args_value(&argc, argv, "limit");
  args_verify(&argc, argv, "pqrsd list");
  args_count(argc, 0, 0, zUsage);
  if (zStatus) {
    f.eStatus = pqrsd_status_parse(zStatus);
    if (f.eStatus < 0) {
      args_usage_error(zUsage,
                       "estado desconocido «%s»; use radicada, asignada, trasladada, "
                       "«en espera de información», respondida o cerrada",
                       zStatus);
    }
  }
  if (zWithin) {
    f.nDueWithin = (int)args_long(zWithin, 1, 365, "--vencen (días hábiles)", zUsage);
  }
  f.nLimit = zLimit ? (int)args_long(zLimit, 1, 100000, "--limit", zUsage) : 200;
  if (f.zType) {
    PqrsdType *aType;
    int nType = pqrsd_types(app->db, &aType);
    bool bKnown = false;
    for (int i = 0; i < nType; i++) {
      bKnown = bKnown || strcmp(aType[i].zCode, f.zType) == 0;
    }
    pqrsd_types_free(nType, aType);
    if (!bKnown) {
      args_usage_error(zUsage, "tipo desconocido «%s»; vea «participa pqrsd terms»", f.zType);
    }
  }
  Calendar cal;
  calendar_init(&cal);
  calendar_load(&cal, app->db);
  PqrsdRow *a;
  int nTotal = 0;
  int n = pqrsd_inbox(app->db, &cal, &f, &a, &nTotal);
  calendar_reset(&cal);
  Buf out = BUF_INIT;
  if (n > 0) {
    put_col(&out, "RADICADO", 18);
    put_col(&out, "TIPO", 13);
    put_col(&out, "ESTADO", 25);
    put_col(&out, "VENCE", 11);
    put_col(&out, "DÍAS", 6);
    buf_puts(&out, "DEPENDENCIA\n");
  }
  for (int i = 0; i < n; i++) {
    const PqrsdRow *r = &a[i];
    put_col(&out, r->zRadicado, 18);
    put_col(&out, r->zType, 13);
    put_col(&out, pqrsd_status_name(r->eStatus), 25);
    put_iso(&out, r->due);
    buf_putc(&out, ' ');
    if (r->bRunning) {
      buf_appendf(&out, "%4d  ", r->iDaysLeft);
    } else {
      put_col(&out, r->bPaused ? "pausa" : "-", 6);
    }
    char *zOffice = text_ellipsize_dup(r->zExternal[0] ? r->zExternal
                                       : r->zOffice[0] ? r->zOffice
                                                       : "-",
                                       20);
    buf_puts(&out, zOffice);
    free(zOffice);
    buf_rtrim(&out);
    buf_puts(&out, "\n  ");
    char *zSubject = text_ellipsize_dup(r->zSubject, 90);
    buf_puts(&out, zSubject);
    free(zSubject);
    buf_appendf(&out, "%s%s\n", r->bOverdue ? "  [VENCIDA]" : "",
                r->bExtended ? "  [prorrogada]" : "");
  }
  if (n < nTotal) {
    buf_appendf(&out, "%d de %d PQRSD (use --limit para ver más)\n", n, nTotal);
  } else {
    buf_appendf(&out, "%d PQRSD\n", nTotal);
  }
  fputs(buf_str(&out), stdout);
  buf_reset(&out);
  pqrsd_rows_free(n, a);
  return 0;
}

/* Append "label: value\n" when value is not empty. */
static void put_field(Buf *pOut, const char *zLabel, const char *zValue) {
  if (zValue && zValue[0]) {
    buf_appendf(pOut, "%s: %s\n", zLabel, zValue);
  }
}

/* Append an attachment line. */
static void put_file(Buf *pOut, const char *zLabel, const PqrsdFile *f) {
  if (f->zSha256[0]) {
    buf_appendf(pOut, "%s: %s (%s, %lld bytes, sha256 %s)\n", zLabel, f->zName, f->zMime,
                (long long)f->nSize, f->zSha256);
  }
}

int pqrsd_show_cmd(App *app, int argc, char **argv) {
  const char *zUsage = app->zUsage;
  args_verify(&argc, argv, "pqrsd show");
  args_count(argc, 1, 1, zUsage);
  int64_t id = need_pqrsd(app, argv[1]);
  Calendar cal;
  calendar_init(&cal);
  calendar_load(&cal, app->db);
  Pqrsd p;
  ASSERT(pqrsd_load(app->db, &cal, id, &p));
  calendar_reset(&cal);
  Buf out = BUF_INIT;
  buf_appendf(&out, "Radicado: %s\n", p.zRadicado);
  buf_appendf(&out, "Tipo: %s (término: %d días hábiles)\n", p.zTypeName, p.nTermDays);
  buf_appendf(&out, "Estado: %s", pqrsd_status_name(p.eStatus));
  if (p.zExternal[0]) {
    buf_appendf(&out, " a %s", p.zExternal);
  }
  buf_puts(&out, "\nRecibida: ");
  pqrsd_format_local(p.zReceivedAt, &out);
  buf_appendf(&out, " (%s)\n", p.zReceivedAt);
  buf_puts(&out, "Vence: ");
  date_format_long(p.due, &out);
  if (p.bRunning && p.iDaysLeft >= 0) {
    buf_appendf(&out, " (faltan %d días hábiles)", p.iDaysLeft);
  } else if (p.bRunning) {
    buf_appendf(&out, " (vencida hace %d días hábiles)", -p.iDaysLeft);
  }
  buf_putc(&out, '\n');
  if (p.bExtended) {
    buf_puts(&out, "Prórroga: vencía el ");
    date_format_long(p.originalDue, &out);
    buf_appendf(&out, "; motivo: %s\n", p.zExtensionReason);
  }
  if (p.bPaused) {
    buf_puts(&out, "En espera de información desde el ");
    date_format_long(p.pausedSince, &out);
    buf_puts(&out, ", plazo hasta el ");
    date_format_long(p.pauseDeadline, &out);
    buf_putc(&out, '\n');
  }
  buf_appendf(&out, "Dependencia: %s\n", p.zOffice[0] ? p.zOffice : "sin asignar");
  buf_appendf(&out, "Asunto: %s\n", p.zSubject);
  buf_appendf(&out, "Solicitud:\n  %s\n", p.zText);
  put_file(&out, "Adjunto", &p.file);
  if (p.bAnonymous) {
    buf_puts(&out, "Peticionario: anónimo\n");
  } else {
    put_field(&out, "Peticionario", p.zName);
    if (p.zIdNumber[0]) {
      buf_appendf(&out, "Documento: %s %s\n", pqrsd_idtype_name(p.zIdType), p.zIdNumber);
    }
    put_field(&out, "Correo", p.zEmail);
    put_field(&out, "Teléfono", p.zPhone);
    put_field(&out, "Dirección", p.zAddress);
    buf_appendf(&out, "Autorización de datos: aviso %s, %s\n", p.zConsentVersion, p.zConsentAt);
  }
  buf_appendf(&out, "Responder por: %s\n", pqrsd_channel_name(p.zChannel));
  if (p.zAnswerAt[0]) {
    buf_appendf(&out, "Respuesta (%s, por %s%s):\n  %s\n", p.zAnswerAt, p.zAnsweredBy,
                p.bAnswerPublic ? ", publicada" : "", p.zAnswer);
    put_file(&out, "Adjunto de la respuesta", &p.answerFile);
  }
  put_field(&out, "Cerrada", p.zClosedAt);
  buf_puts(&out, "Historia:\n");
  for (int i = 0; i < p.nEvent; i++) {
    const PqrsdEvent *e = &p.aEvent[i];
    buf_appendf(&out, "  %s  %s  %s%s: %s\n", e->zAt, e->zActor, e->zKind,
                e->bPublic ? "" : " (interna)", e->zDetail);
  }
  fputs(buf_str(&out), stdout);
  buf_reset(&out);
  pqrsd_reset(&p);
  return 0;
}

int pqrsd_report_cmd(App *app, int argc, char **argv) {
  const char *zUsage = app->zUsage;
  const char *zYear = args_value(&argc, argv, "year");
  const char *zFormat = args_value(&argc, argv, "format");
  args_verify(&argc, argv, "pqrsd report");
  args_count(argc, 0, 0, zUsage);
  int iYear = zYear ? (int)args_long(zYear, 2000, 9999, "el año", zUsage) : app->iYear;
  if (zFormat && strcmp(zFormat, "text") && strcmp(zFormat, "csv") && strcmp(zFormat, "json")) {
    args_usage_error(zUsage, "formato desconocido «%s»; use text, csv o json", zFormat);
  }
  Calendar cal;
  calendar_init(&cal);
  calendar_load(&cal, app->db);
  PqrsdTransparency t;
  pqrsd_transparency(app->db, &cal, iYear, &t);
  calendar_reset(&cal);
  Buf out = BUF_INIT;
  if (zFormat && strcmp(zFormat, "csv") == 0) {
    pqrsd_transparency_csv(&t, &out);
  } else if (zFormat && strcmp(zFormat, "json") == 0) {
    pqrsd_transparency_json(&t, &out);
  } else {
    pqrsd_transparency_text(&t, &out);
  }
  fwrite(out.z ? out.z : "", 1, out.n, stdout);
  buf_reset(&out);
  pqrsd_transparency_reset(&t);
  return 0;
}

int pqrsd_terms_cmd(App *app, int argc, char **argv) {
  const char *zUsage = app->zUsage;
  args_verify(&argc, argv, "pqrsd terms");
  args_count(argc, 0, 2, zUsage);
  if (argc == 2) {
    args_usage_error(zUsage, "falta el número de días hábiles de «%s»", argv[1]);
  }
  if (argc == 3) {
    int nDays = (int)args_long(argv[2], 1, PQRSD_TERM_MAX, "el número de días hábiles", zUsage);
    app_actor_require(app, CAP_ADMIN, "pqrsd terms");
    char *zErr = NULL;
    if (!pqrsd_type_set_term(app->db, argv[1], nDays, app->zActor, &zErr)) {
      return fail(zErr);
    }
  }
  PqrsdType *a;
  int n = pqrsd_types(app->db, &a);
  Buf out = BUF_INIT;
  for (int i = 0; i < n; i++) {
    put_col(&out, a[i].zCode, 14);
    put_col(&out, a[i].zName, 38);
    buf_appendf(&out, "%3d días hábiles\n", a[i].nTermDays);
  }
  fputs(buf_str(&out), stdout);
  buf_reset(&out);
  pqrsd_types_free(n, a);
  return 0;
}
