/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The multipart/form-data parser (see multipart.h). One pass over a body
** already in memory: find the first delimiter ("--BOUNDARY" at the start of
** the body or of a line; what comes before it is the preamble and is
** ignored), then for each part read its header lines up to the empty line
** and its content up to the next delimiter, until the close delimiter
** ("--BOUNDARY--"; what follows it is the epilogue and is ignored).
**
** Line ends: browsers and HTTP clients send CRLF everywhere. A body whose
** first delimiter line ends in a bare LF (a hand-made body) is read with LF
** line ends throughout; the choice is made once, so a CR or LF inside file
** content can never be mistaken for part of a delimiter of the other style.
** A delimiter is the line end, "--" and the boundary followed by optional
** blanks and a line end, or by "--": "\r\n--BOUNDARYx" inside content is
** content (RFC 2046 §5.1.1).
**
** Header parameters (Content-Type boundary, Content-Disposition name,
** filename, filename*) are tokens or quoted strings. Inside a quoted string
** a backslash escapes only '"' and '\'; any other backslash is kept as it is,
** because browsers never escape backslashes and an old browser on Windows
** sends "C:\Users\ana\acta.pdf" as the file name. Chromium and Firefox send a
** '"' in a file name as %22, which is decoded for display; filename*
** (RFC 5987, UTF-8 only) wins over filename when both are given and it
** decodes to valid UTF-8. Unknown headers (Content-Transfer-Encoding, ...)
** and unknown Content-Disposition parameters are ignored.
**
** What it does not do: decode transfer encodings, read nested multipart
** (multipart/mixed), or stream: the whole body is in memory.
*/
#define _GNU_SOURCE /* memmem (in POSIX.1-2024, still behind _GNU_SOURCE in glibc) */
#include "web/multipart.h"

#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/text.h"
#include "base/util.h"

#define MULTIPART_MAX_BOUNDARY 70   /* RFC 2046 §5.1.1 */
#define MULTIPART_MAX_HEADER   8192 /* bytes of one part's header block, blank line included */

/* The parse in progress. */
typedef struct Parser {
  const char *p;    /* the body */
  size_t n;         /* its length */
  const char *zEol; /* line end of this body: "\r\n" or "\n" */
  size_t nEol;      /* its length */
  Buf delim;        /* line end, "--", boundary */
  int iPart;        /* 1-based number of the part being read, for messages */
  char **pzErr;     /* where the message goes */
} Parser;

/* ---- header values ------------------------------------------------------- */

/* True when c may appear in a token (RFC 9110 tchar). */
static bool is_tchar(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         (c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* True for the optional white space of header values. */
static bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

/* Skip blanks at *pz. */
static void skip_blanks(const char **pz) {
  while (is_blank(**pz)) {
    (*pz)++;
  }
}

/* Read the next parameter of a header value at *pz ("; name=value", the
** value a token, any text up to ';' or a blank, or a quoted string) into
** pName (lower-cased) and pValue (unescaped). Returns 1 when one was read,
** 0 at the end of the value, -1 when the syntax is wrong. A lone ';' (a
** trailing or doubled one) is skipped. */
static int next_param(const char **pz, Buf *pName, Buf *pValue) {
  const char *z = *pz;
  buf_clear(pName);
  buf_clear(pValue);
  for (;;) {
    skip_blanks(&z);
    if (*z == 0) {
      *pz = z;
      return 0;
    }
    if (*z != ';') {
      return -1;
    }
    z++;
    skip_blanks(&z);
    if (*z != 0 && *z != ';') {
      break;
    }
  }
  while (is_tchar((unsigned char)*z)) {
    char c = *z++;
    buf_putc(pName, (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c);
  }
  skip_blanks(&z);
  if (pName->n == 0 || *z != '=') {
    return -1;
  }
  z++;
  skip_blanks(&z);
  if (*z == '"') {
    z++;
    while (*z != '"') {
      if (*z == 0) {
        return -1;
      }
      if (*z == '\\' && (z[1] == '"' || z[1] == '\\')) {
        z++;
      }
      buf_putc(pValue, *z++);
    }
    z++;
  } else {
    while (*z != 0 && *z != ';' && !is_blank(*z) && *z != '"') {
      buf_putc(pValue, *z++);
    }
    if (pValue->n == 0) {
      return -1;
    }
  }
  *pz = z;
  return 1;
}

/* If z starts with the media type or disposition type zWord
** (case-insensitive) followed by the end, a blank or ';', return what
** follows it; else NULL. */
static const char *skip_word(const char *z, const char *zWord) {
  size_t n = strlen(zWord);
  while (is_blank(*z)) {
    z++;
  }
  if (strncasecmp(z, zWord, n) != 0) {
    return NULL;
  }
  z += n;
  return (*z == 0 || *z == ';' || is_blank(*z)) ? z : NULL;
}

/* True when c may appear in a boundary (RFC 2046 bchars). */
static bool is_bchar(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         (c != 0 && strchr("'()+_,-./:=? ", c) != NULL);
}

/* Take the boundary out of the request's Content-Type into zOut. Returns
** false with *pzErr when the type is not multipart/form-data or the
** boundary is missing, repeated, too long or has characters RFC 2046 does
** not allow. */
static bool content_type_boundary(const char *zType, char zOut[MULTIPART_MAX_BOUNDARY + 1],
                                  char **pzErr) {
  const char *z = zType ? skip_word(zType, "multipart/form-data") : NULL;
  if (z == NULL) {
    *pzErr = xasprintf("el formulario no llegó como multipart/form-data");
    return false;
  }
  Buf name = BUF_INIT, value = BUF_INIT;
  bool bFound = false, bOk = true;
  int rc;
  while (bOk && (rc = next_param(&z, &name, &value)) != 0) {
    if (rc < 0) {
      *pzErr = xasprintf("el tipo de contenido multipart/form-data está mal formado");
      bOk = false;
    } else if (strcmp(buf_str(&name), "boundary") == 0) {
      if (bFound) {
        *pzErr = xasprintf("el tipo multipart/form-data trae dos parámetros boundary");
        bOk = false;
      } else if (value.n > MULTIPART_MAX_BOUNDARY) {
        *pzErr = xasprintf("el límite (boundary) del formulario pasa de %d caracteres",
                           MULTIPART_MAX_BOUNDARY);
        bOk = false;
      } else {
        bFound = true;
        memcpy(zOut, buf_str(&value), value.n + 1);
      }
    }
  }
  if (bOk && !bFound) {
    *pzErr = xasprintf("al tipo multipart/form-data le falta el parámetro boundary");
    bOk = false;
  }
  if (bOk) {
    size_t nB = strlen(zOut);
    for (size_t i = 0; i < nB && bOk; i++) {
      bOk = is_bchar((unsigned char)zOut[i]);
    }
    if (nB == 0 || zOut[nB - 1] == ' ' || !bOk) {
      *pzErr = xasprintf("el límite (boundary) del formulario está vacío o tiene caracteres "
                         "no permitidos");
      bOk = false;
    }
  }
  buf_reset(&name);
  buf_reset(&value);
  return bOk;
}

/* ---- names --------------------------------------------------------------- */

/* Decode an RFC 5987 ext-value ("UTF-8''acta%20final.pdf") into a new
** string; NULL when the charset is not UTF-8 or the value is malformed or
** not valid UTF-8. Caller frees. */
static char *ext_value_dup(const char *z) {
  if (strncasecmp(z, "utf-8'", 6) != 0) {
    return NULL;
  }
  const char *zLang = strchr(z + 6, '\'');
  if (zLang == NULL) {
    return NULL;
  }
  Buf b = BUF_INIT;
  for (const char *c = zLang + 1; *c; c++) {
    if (*c == '%') {
      int hi = text_hex_digit(c[1]);
      int lo = hi < 0 ? -1 : text_hex_digit(c[2]);
      if (lo < 0) {
        buf_reset(&b);
        return NULL;
      }
      buf_putc(&b, (char)(hi * 16 + lo));
      c += 2;
    } else {
      buf_putc(&b, *c);
    }
  }
  if (memchr(buf_str(&b), 0, b.n) != NULL || !text_is_utf8(buf_str(&b), b.n)) {
    buf_reset(&b);
    return NULL;
  }
  return buf_take(&b);
}

/* True when code point cp is a control character: C0 (U+0000-U+001F), DEL
** (U+007F) or C1 (U+0080-U+009F). The one rule for names and file names:
** a field name holding one is refused, a file name has it dropped. */
static bool cp_is_control(uint32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

/* The file name to keep from what the browser sent: "%22" decoded to '"'
** (bPercent22), the last component after any '/' or '\', control
** characters (cp_is_control) dropped and invalid UTF-8 replaced by U+FFFD.
** Never fails; caller frees. */
static char *file_name_dup(const char *zSent, bool bPercent22) {
  const char *zBase = zSent;
  for (const char *c = zSent; *c; c++) {
    if (*c == '/' || *c == '\\') {
      zBase = c + 1;
    }
  }
  Buf b = BUF_INIT;
  const unsigned char *u = (const unsigned char *)zBase;
  size_t n = strlen(zBase);
  for (size_t i = 0; i < n;) {
    if (bPercent22 && u[i] == '%' && i + 2 < n && u[i + 1] == '2' && u[i + 2] == '2') {
      buf_putc(&b, '"');
      i += 3;
      continue;
    }
    uint32_t cp;
    size_t nLen = text_utf8_decode(u + i, n - i, &cp);
    if (cp == TEXT_UTF8_BAD) {
      buf_puts(&b, "\xEF\xBF\xBD");
    } else if (!cp_is_control(cp)) {
      buf_append(&b, (const char *)u + i, nLen);
    }
    i += nLen;
  }
  return buf_take(&b);
}

/* True when a field name is usable: not empty, valid UTF-8, no control
** character (C0, DEL or C1: cp_is_control, the rule file_name_dup uses). */
static bool field_name_ok(const char *z) {
  const unsigned char *u = (const unsigned char *)z;
  size_t n = strlen(z);
  if (n == 0 || !text_is_utf8(z, n)) {
    return false;
  }
  for (size_t i = 0; i < n;) {
    uint32_t cp;
    size_t nLen = text_utf8_decode(u + i, n - i, &cp);
    if (cp == TEXT_UTF8_BAD || cp_is_control(cp)) {
      return false;
    }
    i += nLen;
  }
  return true;
}

/* ---- parts --------------------------------------------------------------- */

/* Fail the parse of part iPart with a message. Always returns false. */
static bool part_error(Parser *ps, const char *zWhat) {
  *ps->pzErr = xasprintf("parte %d del formulario: %s", ps->iPart, zWhat);
  return false;
}

/* Read Content-Disposition value zValue into pPart (zName, zFileName).
** False with the message when it is not form-data with a usable name, or
** repeats a parameter. */
static bool read_disposition(Parser *ps, const char *zValue, MultipartPart *pPart) {
  const char *z = skip_word(zValue, "form-data");
  if (z == NULL) {
    return part_error(ps, "Content-Disposition no es «form-data»");
  }
  Buf name = BUF_INIT, value = BUF_INIT;
  char *zName = NULL, *zFile = NULL, *zFileExt = NULL;
  bool bFileExt = false, bOk = true;
  int rc;
  while (bOk && (rc = next_param(&z, &name, &value)) != 0) {
    const char *zParam = buf_str(&name);
    char **pzSlot = NULL;
    if (rc < 0) {
      bOk = part_error(ps, "el encabezado Content-Disposition está mal formado");
      break;
    } else if (strcmp(zParam, "name") == 0) {
      pzSlot = &zName;
    } else if (strcmp(zParam, "filename") == 0) {
      pzSlot = &zFile;
    } else if (strcmp(zParam, "filename*") == 0) {
      if (bFileExt) {
        bOk = part_error(ps, "el parámetro «filename*» aparece dos veces");
      }
      bFileExt = true;
      free(zFileExt);
      zFileExt = ext_value_dup(buf_str(&value));
      continue;
    } else {
      continue;
    }
    if (*pzSlot != NULL) {
      char *zMsg = xasprintf("el parámetro «%s» aparece dos veces", zParam);
      bOk = part_error(ps, zMsg);
      free(zMsg);
    } else {
      *pzSlot = xstrdup(buf_str(&value));
    }
  }
  if (bOk && zName == NULL) {
    bOk = part_error(ps, "Content-Disposition no trae el nombre del campo (name)");
  }
  if (bOk && !field_name_ok(zName)) {
    bOk = part_error(ps, "el nombre del campo está vacío o no es texto válido");
  }
  if (bOk) {
    pPart->zName = zName;
    zName = NULL;
    if (zFileExt) {
      pPart->zFileName = file_name_dup(zFileExt, false);
    } else if (zFile || bFileExt) {
      pPart->zFileName = file_name_dup(zFile ? zFile : "", true);
    }
  }
  free(zName);
  free(zFile);
  free(zFileExt);
  buf_reset(&name);
  buf_reset(&value);
  return bOk;
}

/* Read the header lines of a part starting at *pi up to and including the
** empty line; leave *pi on the first content byte. False with the message
** when a line is not "Name: value", a header is repeated, or the block
** does not end within MULTIPART_MAX_HEADER bytes. */
static bool read_headers(Parser *ps, size_t *pi, MultipartPart *pPart) {
  size_t i = *pi;
  size_t nLimit = ps->n - i < MULTIPART_MAX_HEADER ? ps->n - i : MULTIPART_MAX_HEADER;
  const char *pEnd = ps->p + i + nLimit;
  bool bDisposition = false;
  char *zLine = NULL;
  bool bOk = true;
  for (;;) {
    const char *pLine = ps->p + i;
    const char *pEol = memmem(pLine, (size_t)(pEnd - pLine), ps->zEol, ps->nEol);
    if (pEol == NULL) {
      bOk = part_error(ps, ps->n - *pi > MULTIPART_MAX_HEADER
                               ? "los encabezados pasan de 8 KiB"
                               : "los encabezados no terminan en una línea vacía");
      break;
    }
    size_t nLine = (size_t)(pEol - pLine);
    i += nLine + ps->nEol;
    if (nLine == 0) {
      break;
    }
    free(zLine);
    zLine = xstrndup(pLine, nLine);
    const char *zColon = memchr(zLine, ':', nLine);
    size_t nName = zColon ? (size_t)(zColon - zLine) : 0;
    bool bShape = nName > 0 && strlen(zLine) == nLine && strpbrk(zLine, "\r\n") == NULL;
    for (size_t k = 0; bShape && k < nName; k++) {
      bShape = is_tchar((unsigned char)zLine[k]);
    }
    if (!bShape) {
      bOk = part_error(ps, "una línea de encabezado no tiene la forma «Nombre: valor»");
      break;
    }
    const char *zValue = zColon + 1;
    skip_blanks(&zValue);
    char *zTrim = xstrdup(zValue);
    size_t nTrim = strlen(zTrim);
    while (nTrim > 0 && is_blank(zTrim[nTrim - 1])) {
      zTrim[--nTrim] = 0;
    }
    if (nName == 19 && strncasecmp(zLine, "Content-Disposition", nName) == 0) {
      if (bDisposition) {
        bOk = part_error(ps, "el encabezado Content-Disposition aparece dos veces");
      } else {
        bDisposition = true;
        bOk = read_disposition(ps, zTrim, pPart);
      }
    } else if (nName == 12 && strncasecmp(zLine, "Content-Type", nName) == 0) {
      if (pPart->zType != NULL) {
        bOk = part_error(ps, "el encabezado Content-Type aparece dos veces");
      } else {
        pPart->zType = xstrdup(zTrim);
      }
    }
    free(zTrim);
    if (!bOk) {
      break;
    }
  }
  free(zLine);
  if (bOk && !bDisposition) {
    bOk = part_error(ps, "falta el encabezado Content-Disposition");
  }
  *pi = i;
  return bOk;
}

/* Classify what follows a "--BOUNDARY" that ends at offset j: 2 for "--"
** (the close delimiter), 1 for optional blanks and a line end (another part
** follows at *piNext), 0 for anything else (then it is not a delimiter). */
static int after_boundary(const Parser *ps, size_t j, size_t *piNext) {
  if (j + 2 <= ps->n && ps->p[j] == '-' && ps->p[j + 1] == '-') {
    return 2;
  }
  while (j < ps->n && is_blank(ps->p[j])) {
    j++;
  }
  if (j + ps->nEol <= ps->n && memcmp(ps->p + j, ps->zEol, ps->nEol) == 0) {
    *piNext = j + ps->nEol;
    return 1;
  }
  return 0;
}

/* Find the first delimiter: "--BOUNDARY" at offset 0 or right after a LF,
** followed by blanks and a line end or by "--". Chooses the line-end style
** of the body. Returns 1 (a part follows at *piNext), 2 (the close
** delimiter: no parts) or 0 (none found). */
static int first_delimiter(Parser *ps, const char *zBoundary, size_t *piNext) {
  size_t nB = strlen(zBoundary);
  char zDash[MULTIPART_MAX_BOUNDARY + 3];
  zDash[0] = zDash[1] = '-';
  memcpy(zDash + 2, zBoundary, nB + 1);
  size_t i = 0;
  while (i < ps->n) {
    const char *pHit = memmem(ps->p + i, ps->n - i, zDash, nB + 2);
    if (pHit == NULL) {
      return 0;
    }
    size_t k = (size_t)(pHit - ps->p);
    if (k == 0 || ps->p[k - 1] == '\n') {
      /* the line end after the boundary decides the style: CRLF unless LF alone */
      size_t j = k + nB + 2;
      while (j < ps->n && is_blank(ps->p[j])) {
        j++;
      }
      bool bLf = j < ps->n && ps->p[j] == '\n';
      ps->zEol = bLf ? "\n" : "\r\n";
      ps->nEol = bLf ? 1 : 2;
      int rc = after_boundary(ps, k + nB + 2, piNext);
      if (rc != 0) {
        return rc;
      }
    }
    i = k + 1;
  }
  return 0;
}

/* Find the delimiter that ends content starting at i: the offset of its
** line end in *piEnd and what follows it as after_boundary returns (1 or 2),
** or 0 when the body has no further delimiter. */
static int next_delimiter(const Parser *ps, size_t i, size_t *piEnd, size_t *piNext) {
  while (i <= ps->n) {
    const char *pHit = memmem(ps->p + i, ps->n - i, ps->delim.z, ps->delim.n);
    if (pHit == NULL) {
      return 0;
    }
    size_t k = (size_t)(pHit - ps->p);
    int rc = after_boundary(ps, k + ps->delim.n, piNext);
    if (rc != 0) {
      *piEnd = k;
      return rc;
    }
    i = k + 1;
  }
  return 0;
}

/* Free the owned strings of one part and zero it. */
static void part_reset(MultipartPart *pPart) {
  free(pPart->zName);
  free(pPart->zFileName);
  free(pPart->zType);
  free(pPart->zValue);
  memset(pPart, 0, sizeof *pPart);
}

/* Check a part that has been read completely and finish it: its name is not
** a repeat, and a plain field's value is text without NUL. */
static bool part_finish(Parser *ps, Multipart *m, MultipartPart *pPart) {
  for (int k = 0; k < m->nPart; k++) {
    if (strcmp(m->aPart[k].zName, pPart->zName) == 0) {
      *ps->pzErr = xasprintf("el campo «%s» aparece más de una vez en el formulario", pPart->zName);
      return false;
    }
  }
  if (pPart->zFileName == NULL) {
    if (memchr(pPart->pData, 0, pPart->nData) != NULL ||
        !text_is_utf8(pPart->pData, pPart->nData)) {
      *ps->pzErr = xasprintf("el campo «%s» no es texto UTF-8 válido", pPart->zName);
      return false;
    }
    pPart->zValue = xstrndup(pPart->pData, pPart->nData);
  }
  return true;
}

/* Read every part after the first delimiter (content starts at i). */
static bool read_parts(Parser *ps, Multipart *m, size_t i) {
  for (;;) {
    if (m->nPart == MULTIPART_MAX_PARTS) {
      *ps->pzErr = xasprintf("el formulario tiene más de %d partes", MULTIPART_MAX_PARTS);
      return false;
    }
    ps->iPart = m->nPart + 1;
    MultipartPart part;
    memset(&part, 0, sizeof part);
    if (!read_headers(ps, &i, &part)) {
      part_reset(&part);
      return false;
    }
    size_t iEnd = 0, iNext = 0;
    int rc = next_delimiter(ps, i, &iEnd, &iNext);
    if (rc == 0) {
      part_reset(&part);
      *ps->pzErr = xasprintf("el formulario llegó incompleto: a la parte %d le falta el límite "
                             "que la cierra; vuelva a enviarlo",
                             ps->iPart);
      return false;
    }
    part.pData = ps->p + i;
    part.nData = iEnd - i;
    if (!part_finish(ps, m, &part)) {
      part_reset(&part);
      return false;
    }
    m->aPart[m->nPart++] = part;
    if (rc == 2) {
      return true; /* the close delimiter; the epilogue is ignored */
    }
    i = iNext;
  }
}

bool multipart_parse(const char *zContentType, const char *p, size_t n, Multipart *pOut,
                     char **pzErr) {
  memset(pOut, 0, sizeof *pOut);
  *pzErr = NULL;
  char zBoundary[MULTIPART_MAX_BOUNDARY + 1];
  if (!content_type_boundary(zContentType, zBoundary, pzErr)) {
    return false;
  }
  Parser ps;
  memset(&ps, 0, sizeof ps);
  ps.p = p ? p : "";
  ps.n = p ? n : 0;
  ps.pzErr = pzErr;
  size_t iNext = 0;
  int rc = first_delimiter(&ps, zBoundary, &iNext);
  if (rc == 0) {
    *pzErr = xasprintf("el cuerpo del formulario no contiene su límite (boundary) inicial");
    return false;
  }
  if (rc == 2) {
    return true; /* a form without fields */
  }
  buf_puts(&ps.delim, ps.zEol);
  buf_appendf(&ps.delim, "--%s", zBoundary);
  bool bOk = read_parts(&ps, pOut, iNext);
  buf_reset(&ps.delim);
  if (!bOk) {
    multipart_reset(pOut);
  }
  return bOk;
}

void multipart_reset(Multipart *m) {
  for (int i = 0; i < m->nPart; i++) {
    part_reset(&m->aPart[i]);
  }
  m->nPart = 0;
}

const MultipartPart *multipart_part(const Multipart *m, const char *zName) {
  for (int i = 0; i < m->nPart; i++) {
    if (strcmp(m->aPart[i].zName, zName) == 0) {
      return &m->aPart[i];
    }
  }
  return NULL;
}

const char *multipart_value(const Multipart *m, const char *zName) {
  const MultipartPart *pPart = multipart_part(m, zName);
  return pPart ? pPart->zValue : NULL;
}
