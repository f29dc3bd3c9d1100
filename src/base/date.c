/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Calendar dates (see date.h). Day numbers convert to and from the civil
** calendar with the usual era-based arithmetic (400-year cycles of 146097
** days), valid for any 32-bit day. The parser folds its input with
** text_fold_dup() (case, accents, spacing) and then scans it by hand with a
** small cursor: a serial number, a day-month name-year form, or a numeric
** form; anything else is reported as an unrecognised format quoting the
** user's own text.
**
** Does not know about times of day, time zones, holidays or business days.
*/
#include "base/date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/text.h"
#include "base/util.h"

#define DATE_SERIAL_MAX  2958465L /* Excel serial of 9999-12-31 */
#define DATE_SERIAL_BAD  60L      /* Excel's phantom 29 February 1900 */
#define DATE_QUOTE_MAX   40       /* code points of user text quoted in messages */
#define DATE_FORMAT_HINT "use por ejemplo 01-febrero-2021 o 2021-02-01"

static const char *const azMonth[12] = {
    "enero", "febrero", "marzo",      "abril",   "mayo",      "junio",
    "julio", "agosto",  "septiembre", "octubre", "noviembre", "diciembre",
};

/* Month names and abbreviations the parser accepts, folded, with their month. */
static const struct {
  const char *zName; /* folded spelling */
  int iMonth;        /* 1..12 */
} aMonthWord[] = {
    {"enero", 1},      {"ene", 1},        {"febrero", 2},   {"feb", 2},        {"marzo", 3},
    {"mar", 3},        {"abril", 4},      {"abr", 4},       {"mayo", 5},       {"may", 5},
    {"junio", 6},      {"jun", 6},        {"julio", 7},     {"jul", 7},        {"agosto", 8},
    {"ago", 8},        {"septiembre", 9}, {"setiembre", 9}, {"sep", 9},        {"sept", 9},
    {"set", 9},        {"octubre", 10},   {"oct", 10},      {"noviembre", 11}, {"nov", 11},
    {"diciembre", 12}, {"dic", 12},
};

/* Days from 1970-01-01 to y-m-d of the proleptic Gregorian calendar, for
** any y-m-d (m 1..12, d 1..31 need not be checked here). */
static int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;                                  /* 0..399 */
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1; /* 0..365 */
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;          /* 0..146096 */
  return era * 146097 + doe - 719468;
}

bool date_is_leap_year(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int date_days_in_month(int y, int m) {
  static const int aDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  ASSERT(m >= 1 && m <= 12);
  return m == 2 && date_is_leap_year(y) ? 29 : aDays[m - 1];
}

bool date_from_ymd(int y, int m, int d, Day *pDay) {
  if (y < DATE_YEAR_MIN || y > DATE_YEAR_MAX || m < 1 || m > 12 || d < 1 ||
      d > date_days_in_month(y, m)) {
    return false;
  }
  *pDay = (Day)days_from_civil(y, m, d);
  return true;
}

void date_to_ymd(Day day, int *pY, int *pM, int *pD) {
  int64_t z = (int64_t)day + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;                                      /* 0..146096 */
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* 0..399 */
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* 0..365 */
  int64_t mp = (5 * doy + 2) / 153;                                    /* 0..11, from March */
  int d = (int)(doy - (153 * mp + 2) / 5 + 1);
  int m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *pY = (int)(yoe + era * 400 + (m <= 2));
  *pM = m;
  *pD = d;
}

const char *date_month_name(int m) {
  ASSERT(m >= 1 && m <= 12);
  return azMonth[m - 1];
}

void date_format_iso(Day day, Buf *pOut) {
  int y, m, d;
  date_to_ymd(day, &y, &m, &d);
  buf_appendf(pOut, "%04d-%02d-%02d", y, m, d);
}

void date_format_long(Day day, Buf *pOut) {
  int y, m, d;
  date_to_ymd(day, &y, &m, &d);
  buf_appendf(pOut, "%d de %s de %d", d, azMonth[m - 1], y);
}

int date_weekday(Day day) {
  /* 1970-01-01 was a Thursday (3). */
  int64_t w = ((int64_t)day + 3) % 7;
  return (int)(w < 0 ? w + 7 : w);
}

Day date_today(void) {
  time_t t = time(NULL);
  struct tm tmNow;
  if (t == (time_t)-1 || localtime_r(&t, &tmNow) == NULL) {
    app_panic("no se pudo leer la fecha del sistema");
  }
  return (Day)days_from_civil((int64_t)tmNow.tm_year + 1900, tmNow.tm_mon + 1, tmNow.tm_mday);
}

/* ---- parsing ------------------------------------------------------------ */

/* Length of the UTF-8 sequence announced by lead byte c (1..4), 0 when c
** cannot start one. */
static size_t utf8_lead_len(unsigned char c) {
  if (c < 0x80) {
    return 1;
  }
  if (c >= 0xC2 && c <= 0xDF) {
    return 2;
  }
  if (c >= 0xE0 && c <= 0xEF) {
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    return 4;
  }
  return 0;
}

/* Append z to pErr as safe user text: control characters (C0, DEL, C1) and
** invalid UTF-8 bytes become "?", and the result is cut to DATE_QUOTE_MAX
** code points with "…". */
static void put_user_text(Buf *pErr, const char *z) {
  Buf clean = BUF_INIT;
  size_t n = strlen(z);
  size_t i = 0;
  while (i < n) {
    unsigned char c = (unsigned char)z[i];
    size_t nSeq = utf8_lead_len(c);
    if (nSeq == 0 || nSeq > n - i || !text_is_utf8(z + i, nSeq)) {
      buf_putc(&clean, '?');
      i++;
      continue;
    }
    bool bControl = c < 0x20 || c == 0x7F || (c == 0xC2 && (unsigned char)z[i + 1] < 0xA0);
    if (bControl) {
      buf_putc(&clean, '?');
    } else {
      buf_append(&clean, z + i, nSeq);
    }
    i += nSeq;
  }
  char *zCut = text_ellipsize_dup(buf_str(&clean), DATE_QUOTE_MAX);
  buf_puts(pErr, zCut);
  free(zCut);
  buf_reset(&clean);
}

/* Append the "format not recognised" message quoting the trimmed input zIn. */
static void err_format(Buf *pErr, const char *zIn) {
  if (pErr == NULL) {
    return;
  }
  buf_puts(pErr, "formato de fecha no reconocido «");
  put_user_text(pErr, zIn);
  buf_puts(pErr, "»; " DATE_FORMAT_HINT);
}

/* A cursor over the folded input. */
typedef struct Scan {
  const char *z; /* folded, NUL-terminated input */
  size_t i;      /* current byte offset */
} Scan;

/* A run of separators between two parts of a date. */
typedef struct SepRun {
  size_t n;      /* bytes in the run (spaces included) */
  size_t nMark;  /* number of non-space separators ("-", "/", ".") in the run */
  char aMark[2]; /* the first two non-space separators, in order */
} SepRun;

/* Read a run of ASCII digits; store its start in *pz and return its length. */
static size_t scan_digits(Scan *p, const char **pz) {
  size_t iStart = p->i;
  while (p->z[p->i] >= '0' && p->z[p->i] <= '9') {
    p->i++;
  }
  *pz = p->z + iStart;
  return p->i - iStart;
}

/* Read a run of ASCII lower-case letters; store its start in *pz and return its length. */
static size_t scan_letters(Scan *p, const char **pz) {
  size_t iStart = p->i;
  while (p->z[p->i] >= 'a' && p->z[p->i] <= 'z') {
    p->i++;
  }
  *pz = p->z + iStart;
  return p->i - iStart;
}

/* Read a run of separators (space, "-", "/", ".") into *pSep. */
static void scan_seps(Scan *p, SepRun *pSep) {
  memset(pSep, 0, sizeof *pSep);
  for (;;) {
    char c = p->z[p->i];
    if (c == ' ') {
      pSep->n++;
    } else if (c == '-' || c == '/' || c == '.') {
      if (pSep->nMark < 2) {
        pSep->aMark[pSep->nMark] = c;
      }
      pSep->nMark++;
      pSep->n++;
    } else {
      return;
    }
    p->i++;
  }
}

/* True when the next word at the cursor is exactly zWord (followed by a
** non-letter); consumes it and the separators after it, which must exist. */
static bool scan_word_is(Scan *p, const char *zWord) {
  size_t iSave = p->i;
  const char *zW;
  size_t nW = scan_letters(p, &zW);
  SepRun sep;
  if (nW == strlen(zWord) && memcmp(zW, zWord, nW) == 0) {
    scan_seps(p, &sep);
    if (sep.n > 0 && sep.nMark <= 1) {
      return true;
    }
  }
  p->i = iSave;
  return false;
}

/* Value of the n (at most 9) ASCII digits at z. */
static int digits_value(const char *z, size_t n) {
  int v = 0;
  for (size_t k = 0; k < n; k++) {
    v = v * 10 + (z[k] - '0');
  }
  return v;
}

/* Month (1..12) of the folded word z of n bytes, 0 when it is none. */
static int month_of_word(const char *z, size_t n) {
  for (size_t k = 0; k < sizeof aMonthWord / sizeof aMonthWord[0]; k++) {
    if (strlen(aMonthWord[k].zName) == n && memcmp(aMonthWord[k].zName, z, n) == 0) {
      return aMonthWord[k].iMonth;
    }
  }
  return 0;
}

/* Year from a run of 2 or 4 digits (2 digits mean 20YY). */
static int year_of_digits(const char *z, size_t n) {
  int y = digits_value(z, n);
  return n == 2 ? 2000 + y : y;
}

/* Check year y, month m (1..12) and day d and store the day in *pDay; on
** failure append the year-range or "does not exist" message to pErr. */
static bool finish_ymd(int y, int m, int d, Day *pDay, Buf *pErr) {
  if (y < DATE_YEAR_MIN || y > DATE_YEAR_MAX) {
    if (pErr) {
      buf_appendf(pErr, "año %d fuera del rango %d a %d", y, DATE_YEAR_MIN, DATE_YEAR_MAX);
    }
    return false;
  }
  if (!date_from_ymd(y, m, d, pDay)) {
    if (pErr) {
      buf_appendf(pErr, "el %d de %s de %d no existe", d, azMonth[m - 1], y);
    }
    return false;
  }
  return true;
}

/* True when the folded zF is an Excel serial: digits, optionally "." or ","
** and more digits. Stores the integer part's length in *pnInt. */
static bool is_serial_shape(const char *zF, size_t *pnInt) {
  size_t i = 0;
  while (zF[i] >= '0' && zF[i] <= '9') {
    i++;
  }
  if (i == 0) {
    return false;
  }
  *pnInt = i;
  if (zF[i] == 0) {
    return true;
  }
  if (zF[i] != '.' && zF[i] != ',') {
    return false;
  }
  size_t iFrac = ++i;
  while (zF[i] >= '0' && zF[i] <= '9') {
    i++;
  }
  return i > iFrac && zF[i] == 0;
}

/* Convert the serial whose integer part is the nInt digits at zF. */
static bool parse_serial(const char *zF, size_t nInt, Day *pDay, Buf *pErr) {
  size_t iFirst = 0;
  while (iFirst + 1 < nInt && zF[iFirst] == '0') {
    iFirst++;
  }
  long nSerial = -1; /* -1: too many digits to be in range */
  if (nInt - iFirst <= 9) {
    nSerial = digits_value(zF + iFirst, nInt - iFirst);
  }
  if (nSerial < 1 || nSerial > DATE_SERIAL_MAX) {
    if (pErr) {
      char *zInt = xstrndup(zF, nInt);
      buf_puts(pErr, "número de serie de Excel ");
      put_user_text(pErr, zInt);
      buf_appendf(pErr, " fuera del rango 1 a %ld", DATE_SERIAL_MAX);
      free(zInt);
    }
    return false;
  }
  if (nSerial == DATE_SERIAL_BAD) {
    if (pErr) {
      buf_puts(pErr, "el número de serie de Excel 60 es el 29 de febrero de 1900, que no existe");
    }
    return false;
  }
  /* Serial 1 is 1900-01-01; Excel counts a 29 February 1900 that never was. */
  int64_t nBase = days_from_civil(1899, 12, nSerial < DATE_SERIAL_BAD ? 31 : 30);
  *pDay = (Day)(nBase + nSerial);
  return true;
}

/* Read an optional time "T12:30", " 12:30:00" or " 12:30:00.000" that
** ends the input; true when the input ends here or with a valid time. */
static bool scan_time_suffix(Scan *p) {
  const char *z;
  if (p->z[p->i] == 0) {
    return true;
  }
  if (p->z[p->i] != 't' && p->z[p->i] != ' ') {
    return false;
  }
  p->i++;
  size_t n = scan_digits(p, &z);
  if (n < 1 || n > 2 || digits_value(z, n) > 23 || p->z[p->i] != ':') {
    return false;
  }
  p->i++;
  n = scan_digits(p, &z);
  if (n != 2 || digits_value(z, n) > 59) {
    return false;
  }
  if (p->z[p->i] == ':') {
    p->i++;
    n = scan_digits(p, &z);
    if (n != 2 || digits_value(z, n) > 59) {
      return false;
    }
    if (p->z[p->i] == '.') {
      p->i++;
      if (scan_digits(p, &z) == 0) {
        return false;
      }
    }
  }
  return p->z[p->i] == 0;
}

/* Parse "D sep MONTH sep Y" (with optional "de"/"del") at the cursor, which
** is just after the day digits zDay/nDay. zIn is the trimmed input for
** messages. */
static bool parse_month_form(Scan *p, const char *zDay, size_t nDay, const char *zIn, Day *pDay,
                             Buf *pErr) {
  const char *zWord;
  const char *zYear;
  SepRun sep;
  (void)scan_word_is(p, "de");
  size_t nWord = scan_letters(p, &zWord);
  scan_seps(p, &sep);
  bool bSepOk = sep.n > 0 && (sep.nMark <= 1 || (sep.nMark == 2 && sep.aMark[0] == '.'));
  if (nWord == 0 || !bSepOk) {
    err_format(pErr, zIn);
    return false;
  }
  if (!scan_word_is(p, "de")) {
    (void)scan_word_is(p, "del");
  }
  size_t nYear = scan_digits(p, &zYear);
  if (p->z[p->i] != 0 || nDay > 2 || (nYear != 2 && nYear != 4)) {
    err_format(pErr, zIn);
    return false;
  }
  int m = month_of_word(zWord, nWord);
  if (m == 0) {
    if (pErr) {
      char *zBad = xstrndup(zWord, nWord);
      buf_puts(pErr, "mes desconocido «");
      put_user_text(pErr, zBad);
      buf_puts(pErr, "»");
      free(zBad);
    }
    return false;
  }
  return finish_ymd(year_of_digits(zYear, nYear), m, digits_value(zDay, nDay), pDay, pErr);
}

/* Parse "D/M/Y" or "Y-M-D[ time]" at the cursor, which is just after the
** separators that follow the first number zA/nA (described by *pSep1). */
static bool parse_numeric_form(Scan *p, const char *zA, size_t nA, const SepRun *pSep1,
                               const char *zIn, Day *pDay, Buf *pErr) {
  const char *zB;
  const char *zC;
  SepRun sep2;
  size_t nB = scan_digits(p, &zB);
  scan_seps(p, &sep2);
  size_t nC = scan_digits(p, &zC);
  bool bShape = pSep1->nMark == 1 && sep2.nMark == 1 && pSep1->aMark[0] == sep2.aMark[0] &&
                nB >= 1 && nB <= 2 && nC >= 1;
  if (bShape && nA == 4 && nC <= 2 && scan_time_suffix(p)) {
    int m = digits_value(zB, nB);
    if (m < 1 || m > 12) {
      err_format(pErr, zIn);
      return false;
    }
    return finish_ymd(digits_value(zA, nA), m, digits_value(zC, nC), pDay, pErr);
  }
  if (!bShape || nA > 2 || (nC != 2 && nC != 4) || !scan_time_suffix(p)) {
    err_format(pErr, zIn);
    return false;
  }
  int d = digits_value(zA, nA);
  int m = digits_value(zB, nB);
  if (m < 1 || m > 12) {
    if (pErr) {
      buf_appendf(pErr, "mes %d no válido en «", m);
      put_user_text(pErr, zIn);
      buf_puts(pErr, "»");
      if (m > 12 && d >= 1 && d <= 12) {
        buf_puts(pErr, "; escriba el día primero (día/mes/año)");
      }
    }
    return false;
  }
  return finish_ymd(year_of_digits(zC, nC), m, d, pDay, pErr);
}

bool date_parse(const char *z, Day *pDay, Buf *pErr) {
  char *zIn = text_trim_dup(z ? z : "");
  char *zF = text_fold_dup(zIn);
  bool bOk = false;
  size_t nInt = 0;
  if (zF[0] == 0) {
    if (pErr) {
      buf_puts(pErr, "fecha vacía");
    }
  } else if (is_serial_shape(zF, &nInt)) {
    bOk = parse_serial(zF, nInt, pDay, pErr);
  } else {
    Scan scan = {zF, 0};
    const char *zA;
    SepRun sep1;
    size_t nA = scan_digits(&scan, &zA);
    scan_seps(&scan, &sep1);
    if (nA == 0 || sep1.n == 0 || sep1.nMark > 1) {
      err_format(pErr, zIn);
    } else if (zF[scan.i] >= 'a' && zF[scan.i] <= 'z') {
      bOk = parse_month_form(&scan, zA, nA, zIn, pDay, pErr);
    } else {
      bOk = parse_numeric_form(&scan, zA, nA, &sep1, zIn, pDay, pErr);
    }
  }
  free(zF);
  free(zIn);
  return bOk;
}

void date_format_plan(Day day, Buf *pOut) {
  int y, m, d;
  date_to_ymd(day, &y, &m, &d);
  buf_appendf(pOut, "%d-%s-%d", d, date_month_name(m), y);
}

/* ---- Colombian time ------------------------------------------------------------ */

#define BOGOTA_OFFSET (-5 * 3600) /* Colombia: UTC-5 all year, no daylight saving */

Day date_of_unix_bogota(int64_t t) {
  int64_t s = t + BOGOTA_OFFSET;
  int64_t d = s / 86400;
  if (s % 86400 < 0) {
    d--;
  }
  return (Day)d;
}

/* The day of "YYYY-MM-DD" at the start of z into *pDay (see date.h). */
static bool iso_prefix_day(const char *z, Day *pDay) {
  if (z == NULL) {
    return false;
  }
  int a[8];
  static const int aPos[8] = {0, 1, 2, 3, 5, 6, 8, 9};
  for (int k = 0; k < 10; k++) {
    if (z[k] == 0) {
      return false;
    }
  }
  if (z[4] != '-' || z[7] != '-') {
    return false;
  }
  for (int k = 0; k < 8; k++) {
    char c = z[aPos[k]];
    if (c < '0' || c > '9') {
      return false;
    }
    a[k] = c - '0';
  }
  return date_from_ymd(a[0] * 1000 + a[1] * 100 + a[2] * 10 + a[3], a[4] * 10 + a[5],
                       a[6] * 10 + a[7], pDay);
}

bool date_parse_iso(const char *z, Day *pDay) {
  return z != NULL && strlen(z) == 10 && iso_prefix_day(z, pDay);
}

bool date_parse_iso_stamp(const char *z, Day *pDay) {
  return iso_prefix_day(z, pDay);
}

bool date_iso_to_unix(const char *z, int64_t *pT) {
  int y, mo, d, h, mi, sec = 0;
  if (z == NULL || sscanf(z, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &sec) < 5) {
    return false;
  }
  struct tm tm = {.tm_year = y - 1900,
                  .tm_mon = mo - 1,
                  .tm_mday = d,
                  .tm_hour = h,
                  .tm_min = mi,
                  .tm_sec = sec};
  *pT = (int64_t)timegm(&tm);
  return true;
}

void date_format_bogota(const char *zIso, Buf *pOut) {
  int64_t t;
  if (!date_iso_to_unix(zIso, &t)) {
    buf_puts(pOut, zIso ? zIso : "");
    return;
  }
  int64_t s = t + BOGOTA_OFFSET;
  date_format_long(date_of_unix_bogota(t), pOut);
  int iSec = (int)(((s % 86400) + 86400) % 86400);
  int h = iSec / 3600, mi = iSec / 60 % 60;
  buf_appendf(pOut, ", %d:%02d %s", h % 12 == 0 ? 12 : h % 12, mi, h < 12 ? "a. m." : "p. m.");
}
