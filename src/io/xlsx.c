/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** XLSX reader (see xlsx.h). The workbook is opened with libzip from a file
** or a memory buffer, and each XML part is streamed through an expat
** parser in 64 KiB chunks straight from zip_fread. The order of work:
**   1. _rels/.rels names the workbook part (normally xl/workbook.xml);
**   2. the workbook lists the sheets (name + r:id) in tab order, and its
**      relationships part maps each r:id to a worksheet part and names the
**      shared-strings part; no part name is ever assumed (sheet1.xml...);
**   3. the shared strings are loaded into one pool with an offset array;
**   4. the chosen sheet is streamed row by row into the Table;
**   5. vertically merged ranges are applied last, because <mergeCells>
**      comes after <sheetData> in the file.
** Expat runs in namespace mode: element names arrive as "uri|local" and are
** matched by local name within the SpreadsheetML namespaces (transitional
** and strict), so prefixed files (<x:row>) read like plain ones. A DOCTYPE
** stops the parse, so no entity can be declared, expanded or loaded.
** Errors: the first one wins; it is kept in the Reader and stops the parser.
*/
#include "io/xlsx.h"

#include <errno.h>
#include <expat.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zip.h>

#include "base/buf.h"
#include "base/text.h"
#include "base/util.h"

#define XLSX_CHUNK    65536 /* bytes handed to expat per zip_fread */
#define NS_SEP        '|'   /* expat namespace separator: "uri|local" */
#define REDO          "guárdelo de nuevo desde Excel o LibreOffice"
#define XLSX_LIST_MAX 20 /* sheet names listed in a message, at most */

/* ---------------------------------------------------------------------------
** Reader: the open archive and the first error.
*/

typedef struct Reader {
  const char *zName;  /* file name as given, for messages (borrowed) */
  zip_t *pZip;        /* the open archive; NULL until opened */
  char *zErr;         /* first error message (malloc'd); NULL while none */
  XML_Parser pParser; /* parser of the part being streamed; NULL between parts */
  const char *zPart;  /* name of the part being streamed (borrowed); NULL between parts */
  size_t nFile;       /* size of the XLSX file in bytes (compressed) */
  unsigned long long nInflated; /* bytes decompressed so far, all parts together */
  unsigned long long nInflateMax; /* limit of nInflated: xlsx_inflate_budget(nFile) */
  size_t nHeld;       /* bytes the shared strings and the table hold */
  size_t nHeldMax;    /* limit of nHeld: xlsx_table_budget(nFile) */
  const char *zSheet; /* name of the sheet being read, for messages; NULL before */
} Reader;

/* Decompressed bytes allowed for a file of nFile bytes (see xlsx.h). */
static unsigned long long xlsx_inflate_budget(size_t nFile) {
  unsigned long long n = (unsigned long long)nFile * XLSX_INFLATE_RATIO;
  return n < XLSX_INFLATE_FLOOR ? XLSX_INFLATE_FLOOR : n;
}

/* Bytes the text and the table may hold for a file of nFile bytes. */
static size_t xlsx_table_budget(size_t nFile) {
  size_t n = nFile > XLSX_MAX_TABLE_BYTES / XLSX_TABLE_RATIO ? XLSX_MAX_TABLE_BYTES
                                                             : nFile * XLSX_TABLE_RATIO;
  return n < XLSX_TABLE_FLOOR ? XLSX_TABLE_FLOOR : n;
}

/* Set the budgets of pR for a file of nFile bytes. */
static void reader_budget(Reader *pR, size_t nFile) {
  pR->nFile = nFile;
  pR->nInflateMax = xlsx_inflate_budget(nFile);
  pR->nHeldMax = xlsx_table_budget(nFile);
}

/* Record a message (first one only; "«file»: " in front when bPrefix),
** with control characters replaced by '?', and stop the running parser. */
static void reader_vfail(Reader *pR, bool bPrefix, const char *zFmt, va_list ap) {
  if (pR->zErr) {
    return;
  }
  Buf b = BUF_INIT;
  if (bPrefix) {
    buf_appendf(&b, "«%s»: ", pR->zName);
  }
  buf_vappendf(&b, zFmt, ap);
  for (size_t i = 0; i < b.n; i++) {
    unsigned char c = (unsigned char)b.z[i];
    if (c < 0x20 || c == 0x7f) {
      b.z[i] = '?';
    }
  }
  pR->zErr = buf_take(&b);
  if (pR->pParser) {
    XML_StopParser(pR->pParser, XML_FALSE);
  }
}

/* Record an error message that starts "«file»: " (see reader_vfail). */
static void PRINTF_LIKE(2, 3) reader_fail(Reader *pR, const char *zFmt, ...) {
  va_list ap;
  va_start(ap, zFmt);
  reader_vfail(pR, true, zFmt, ap);
  va_end(ap);
}

/* Record an error message whose text names the file itself. */
static void PRINTF_LIKE(2, 3) reader_fail_raw(Reader *pR, const char *zFmt, ...) {
  va_list ap;
  va_start(ap, zFmt);
  reader_vfail(pR, false, zFmt, ap);
  va_end(ap);
}

/* Charge nByte held in memory (shared strings, cell text, rows) to the
** budget; false (message recorded) when it is passed. */
static bool reader_charge(Reader *pR, size_t nByte) {
  pR->nHeld += nByte;
  if (pR->nHeld > pR->nHeldMax) {
    reader_fail(pR,
                "la hoja «%s» ocupa más de %zu MiB en memoria, demasiado para un archivo de %zu "
                "KiB; divida el plan en libros más pequeños o " REDO,
                pR->zSheet ? pR->zSheet : "?", pR->nHeldMax >> 20, (pR->nFile + 1023) / 1024);
    return false;
  }
  return true;
}

/* Spanish words for the libzip errors a damaged part can produce. */
static const char *zip_err_es(int iZipErr) {
  switch (iZipErr) {
  case ZIP_ER_CRC:
    return "la suma de verificación CRC no coincide";
  case ZIP_ER_ZLIB:
    return "los datos comprimidos son inválidos";
  case ZIP_ER_COMPNOTSUPP:
    return "usa un método de compresión no soportado";
  case ZIP_ER_ENCRNOTSUPP:
  case ZIP_ER_NOPASSWD:
  case ZIP_ER_WRONGPASSWD:
    return "está cifrado con contraseña";
  case ZIP_ER_INCONS:
    return "el índice del ZIP no es coherente";
  case ZIP_ER_EOF:
  case ZIP_ER_READ:
  case ZIP_ER_SEEK:
    return "los datos están truncados o no se pueden leer";
  default:
    return NULL;
  }
}

/* Record that part zPart cannot be read, from the libzip error pZe. */
static void fail_part_zip(Reader *pR, const char *zPart, zip_error_t *pZe) {
  const char *zWhy = zip_err_es(zip_error_code_zip(pZe));
  reader_fail(pR, "%s está dañado (%s); " REDO, zPart, zWhy ? zWhy : zip_error_strerror(pZe));
}

/* Record why the archive could not be opened: iZipErr/iSysErr from libzip,
** aHead the first nHead bytes of the file. */
static void fail_open(Reader *pR, int iZipErr, int iSysErr, const unsigned char *aHead,
                      size_t nHead) {
  bool bPk = nHead >= 4 && memcmp(aHead, "PK\x03\x04", 4) == 0;
  switch (iZipErr) {
  case ZIP_ER_NOZIP:
    if (bPk) {
      reader_fail_raw(pR,
                      "«%s» está incompleto (el ZIP está truncado); vuelva a copiarlo o "
                      "descargarlo completo, o " REDO,
                      pR->zName);
    } else {
      reader_fail_raw(pR,
                      "«%s» no es un archivo XLSX válido (no es un ZIP); guárdelo desde Excel o "
                      "LibreOffice como .xlsx",
                      pR->zName);
    }
    break;
  case ZIP_ER_OPEN:
  case ZIP_ER_READ:
  case ZIP_ER_SEEK:
    reader_fail_raw(pR, "no se puede leer «%s»: %s", pR->zName, os_error(iSysErr ? iSysErr : EIO));
    break;
  case ZIP_ER_MEMORY:
    reader_fail_raw(pR, "no hay memoria suficiente para abrir «%s»", pR->zName);
    break;
  default: {
    zip_error_t ze;
    zip_error_init_with_code(&ze, iZipErr);
    const char *zWhy = zip_err_es(iZipErr);
    reader_fail_raw(pR, "«%s» está dañado (%s); vuelva a copiarlo o " REDO, pR->zName,
                    zWhy ? zWhy : zip_error_strerror(&ze));
    zip_error_fini(&ze);
    break;
  }
  }
}

/* Refuse what is recognisably not an XLSX before trying libzip: an empty
** file and an OLE2 compound file (.xls, or a password-protected .xlsx).
** Returns false (with the message recorded) when refused. */
static bool check_head(Reader *pR, const unsigned char *aHead, size_t nHead, size_t nSize) {
  static const unsigned char aCfb[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
  if (nSize == 0) {
    reader_fail_raw(pR, "«%s» está vacío (0 bytes); guárdelo desde Excel o LibreOffice como .xlsx",
                    pR->zName);
    return false;
  }
  if (nHead >= sizeof aCfb && memcmp(aHead, aCfb, sizeof aCfb) == 0) {
    reader_fail_raw(
        pR,
        "«%s» es un libro de Excel 97-2003 (.xls) o un libro protegido con "
        "contraseña; ábralo en Excel o LibreOffice y guárdelo como .xlsx sin contraseña",
        pR->zName);
    return false;
  }
  return true;
}

/* Open the archive from pSrc (which this function takes over and frees on
** failure). Returns false with the message recorded on failure. */
static bool reader_open_source(Reader *pR, zip_source_t *pSrc, const unsigned char *aHead,
                               size_t nHead) {
  zip_error_t ze;
  zip_error_init(&ze);
  pR->pZip = zip_open_from_source(pSrc, ZIP_RDONLY, &ze);
  if (pR->pZip == NULL) {
    zip_source_free(pSrc);
    fail_open(pR, zip_error_code_zip(&ze), zip_error_code_system(&ze), aHead, nHead);
    zip_error_fini(&ze);
    return false;
  }
  zip_error_fini(&ze);
  return true;
}

/* Open the nData bytes at pData (borrowed; must outlive the reader). */
static bool reader_open_mem(Reader *pR, const void *pData, size_t nData) {
  const unsigned char *aHead = pData;
  reader_budget(pR, nData);
  size_t nHead = nData < 8 ? nData : 8;
  if (!check_head(pR, aHead, nHead, nData)) {
    return false;
  }
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *pSrc = zip_source_buffer_create(pData, nData, 0, &ze);
  if (pSrc == NULL) {
    fail_open(pR, zip_error_code_zip(&ze), zip_error_code_system(&ze), aHead, nHead);
    zip_error_fini(&ze);
    return false;
  }
  zip_error_fini(&ze);
  return reader_open_source(pR, pSrc, aHead, nHead);
}

/* Open the file at pR->zName. */
static bool reader_open_file(Reader *pR) {
  FILE *pFile = fopen(pR->zName, "rb");
  if (pFile == NULL) {
    int e = errno;
    if (e == ENOENT) {
      reader_fail_raw(pR, "no existe el archivo «%s»; revise el nombre y la carpeta", pR->zName);
    } else if (e == EACCES) {
      reader_fail_raw(pR, "no hay permiso para leer «%s»; pida acceso o copie el archivo",
                      pR->zName);
    } else {
      reader_fail_raw(pR, "no se puede abrir «%s»: %s", pR->zName, os_error(e));
    }
    return false;
  }
  struct stat st;
  if (fstat(fileno(pFile), &st) != 0) {
    int e = errno;
    fclose(pFile);
    reader_fail_raw(pR, "no se puede leer «%s»: %s", pR->zName, os_error(e));
    return false;
  }
  if (S_ISDIR(st.st_mode)) {
    fclose(pFile);
    reader_fail_raw(pR, "«%s» es una carpeta, no un archivo .xlsx", pR->zName);
    return false;
  }
  if (!S_ISREG(st.st_mode)) {
    fclose(pFile);
    reader_fail_raw(pR, "«%s» no es un archivo normal; guarde el libro en un archivo .xlsx",
                    pR->zName);
    return false;
  }
  unsigned char aHead[8];
  size_t nHead = fread(aHead, 1, sizeof aHead, pFile);
  if (ferror(pFile)) {
    int e = errno;
    fclose(pFile);
    reader_fail_raw(pR, "no se puede leer «%s»: %s", pR->zName, os_error(e ? e : EIO));
    return false;
  }
  if (!check_head(pR, aHead, nHead, (size_t)st.st_size)) {
    fclose(pFile);
    return false;
  }
  reader_budget(pR, (size_t)st.st_size);
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *pSrc = zip_source_filep_create(pFile, 0, -1, &ze);
  if (pSrc == NULL) {
    fclose(pFile);
    fail_open(pR, zip_error_code_zip(&ze), zip_error_code_system(&ze), aHead, nHead);
    zip_error_fini(&ze);
    return false;
  }
  zip_error_fini(&ze);
  return reader_open_source(pR, pSrc, aHead, nHead);
}

/* Close the archive (read-only: nothing is written) and free the message. */
static void reader_close(Reader *pR) {
  if (pR->pZip) {
    zip_discard(pR->pZip);
    pR->pZip = NULL;
  }
  free(pR->zErr);
  pR->zErr = NULL;
}

/* ---------------------------------------------------------------------------
** Parts: names, lookup and streaming through expat.
*/

/* Index of part zPart in the archive (exact name first, then ignoring
** case, as OPC part names are case-insensitive), or -1 when absent. */
static zip_int64_t part_locate(Reader *pR, const char *zPart) {
  zip_int64_t i = zip_name_locate(pR->pZip, zPart, 0);
  if (i < 0) {
    i = zip_name_locate(pR->pZip, zPart, ZIP_FL_NOCASE);
  }
  return i;
}

/* True when part zPart exists. */
static bool part_exists(Reader *pR, const char *zPart) {
  return part_locate(pR, zPart) >= 0;
}

/* The part name a relationship target points to: zTarget resolved against
** the folder zBaseDir ("xl", or "" for the package root). An absolute
** target ("/xl/worksheets/sheet1.xml") starts at the root; "." and ".."
** segments are resolved (".." never climbs above the root), "%XX" escapes
** decoded and '\' taken as '/'. Never fails; caller frees. */
static char *part_resolve(const char *zBaseDir, const char *zTarget) {
  Buf b = BUF_INIT;
  const char *z = zTarget;
  if (*z == '/' || *z == '\\') {
    z++;
  } else {
    buf_puts(&b, zBaseDir);
  }
  while (*z) {
    size_t n = strcspn(z, "/\\");
    if ((n == 1 && z[0] == '.') || n == 0) {
      /* skip */
    } else if (n == 2 && z[0] == '.' && z[1] == '.') {
      char *zSlash = b.n ? strrchr(b.z, '/') : NULL;
      b.n = zSlash ? (size_t)(zSlash - b.z) : 0;
      if (b.z) {
        b.z[b.n] = 0;
      }
    } else {
      if (b.n) {
        buf_putc(&b, '/');
      }
      for (size_t i = 0; i < n; i++) {
        int h1, h2;
        if (z[i] == '%' && i + 2 < n && (h1 = text_hex_digit(z[i + 1])) >= 0 &&
            (h2 = text_hex_digit(z[i + 2])) >= 0) {
          buf_putc(&b, (char)(h1 * 16 + h2));
          i += 2;
        } else {
          buf_putc(&b, z[i]);
        }
      }
    }
    z += n;
    if (*z) {
      z++;
    }
  }
  return buf_take(&b);
}

/* The folder of part zPart ("xl" for "xl/workbook.xml", "" at the root).
** Caller frees. */
static char *part_dir_dup(const char *zPart) {
  const char *zSlash = strrchr(zPart, '/');
  return zSlash ? xstrndup(zPart, (size_t)(zSlash - zPart)) : xstrdup("");
}

/* The relationships part of zPart ("xl/_rels/workbook.xml.rels"). Caller frees. */
static char *part_rels_dup(const char *zPart) {
  const char *zSlash = strrchr(zPart, '/');
  if (zSlash == NULL) {
    return xasprintf("_rels/%s.rels", zPart);
  }
  return xasprintf("%.*s/_rels/%s.rels", (int)(zSlash - zPart), zPart, zSlash + 1);
}

/* Local part of an expat namespace-mode name ("uri|row" gives "row"). */
static const char *local_name(const XML_Char *zName) {
  const char *z = strrchr(zName, NS_SEP);
  return z ? z + 1 : zName;
}

/* Local name of element zName when it is in no namespace or in a
** SpreadsheetML main namespace (transitional or strict), else NULL
** (elements of other vocabularies, e.g. in <extLst>, are not ours). */
static const char *sml_local(const XML_Char *zName) {
  const char *zSep = strrchr(zName, NS_SEP);
  if (zSep == NULL) {
    return zName;
  }
  static const char zTrans[] = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
  static const char zStrict[] = "http://purl.oclc.org/ooxml/spreadsheetml/main";
  size_t n = (size_t)(zSep - zName);
  if ((n == sizeof zTrans - 1 && memcmp(zName, zTrans, n) == 0) ||
      (n == sizeof zStrict - 1 && memcmp(zName, zStrict, n) == 0)) {
    return zSep + 1;
  }
  return NULL;
}

/* Value of attribute zLocal of an element, or NULL. bNs: the attribute
** must carry a namespace prefix (r:id); otherwise it must not (name). */
static const char *attr_get(const XML_Char **azAttr, const char *zLocal, bool bNs) {
  for (int i = 0; azAttr[i]; i += 2) {
    const char *zSep = strrchr(azAttr[i], NS_SEP);
    if (bNs ? (zSep && strcmp(zSep + 1, zLocal) == 0)
            : (zSep == NULL && strcmp(azAttr[i], zLocal) == 0)) {
      return azAttr[i + 1];
    }
  }
  return NULL;
}

/* True when string z ends with zSuffix. */
static bool ends_with(const char *z, const char *zSuffix) {
  size_t n = strlen(z), m = strlen(zSuffix);
  return n >= m && memcmp(z + n - m, zSuffix, m) == 0;
}

/* Expat DOCTYPE handler: refuse it (XLSX parts never have one), so that
** no entity can be declared, expanded or loaded. Every user-data struct
** passed to part_parse starts with its Reader pointer. */
static void on_doctype(void *pUser, const XML_Char *zName, const XML_Char *zSys,
                       const XML_Char *zPub, int bInternal) {
  (void)zName;
  (void)zSys;
  (void)zPub;
  (void)bInternal;
  Reader *pR = *(Reader **)pUser;
  reader_fail(
      pR, "%s: el XML trae una declaración DOCTYPE (línea %llu), que un libro XLSX no usa; " REDO,
      pR->zPart, (unsigned long long)XML_GetCurrentLineNumber(pR->pParser));
}

/* Stream part zPart through a namespace-aware expat parser calling xStart,
** xEnd and xText with pUser (whose first member must be the Reader *).
** Fails (false, message recorded) when the part is missing, larger than
** XLSX_MAX_PART_BYTES uncompressed, damaged in the ZIP, malformed XML, or
** when a handler recorded an error. */
static bool part_parse(Reader *pR, const char *zPart, void *pUser, XML_StartElementHandler xStart,
                       XML_EndElementHandler xEnd, XML_CharacterDataHandler xText) {
  zip_int64_t iEntry = part_locate(pR, zPart);
  if (iEntry < 0) {
    reader_fail(pR, "falta la parte %s; el archivo está incompleto o dañado; " REDO, zPart);
    return false;
  }
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(pR->pZip, (zip_uint64_t)iEntry, 0, &st) != 0) {
    fail_part_zip(pR, zPart, zip_get_error(pR->pZip));
    return false;
  }
  if ((st.valid & ZIP_STAT_SIZE) && st.size > XLSX_MAX_PART_BYTES) {
    reader_fail(pR,
                "%s ocupa más de 200 MiB sin comprimir; el libro es demasiado grande o está "
                "dañado; divida el plan en libros más pequeños",
                zPart);
    return false;
  }
  zip_file_t *pFile = zip_fopen_index(pR->pZip, (zip_uint64_t)iEntry, 0);
  if (pFile == NULL) {
    fail_part_zip(pR, zPart, zip_get_error(pR->pZip));
    return false;
  }
  XML_Parser p = XML_ParserCreateNS(NULL, NS_SEP);
  if (p == NULL) {
    app_panic("XML_ParserCreateNS: sin memoria");
  }
  XML_SetUserData(p, pUser);
  XML_SetElementHandler(p, xStart, xEnd);
  XML_SetCharacterDataHandler(p, xText);
  XML_SetStartDoctypeDeclHandler(p, on_doctype);
  XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
  pR->pParser = p;
  pR->zPart = zPart;
  unsigned long long nTotal = 0;
  for (;;) {
    void *pChunk = XML_GetBuffer(p, XLSX_CHUNK);
    if (pChunk == NULL) {
      app_panic("XML_GetBuffer: sin memoria");
    }
    zip_int64_t n = zip_fread(pFile, pChunk, XLSX_CHUNK);
    if (n < 0) {
      fail_part_zip(pR, zPart, zip_file_get_error(pFile));
      break;
    }
    nTotal += (unsigned long long)n;
    pR->nInflated += (unsigned long long)n;
    if (pR->nInflated > pR->nInflateMax) {
      reader_fail(pR,
                  "el libro ocupa más de %llu MiB sin comprimir, más de %d veces su tamaño de %zu "
                  "KiB; está dañado o hecho para agotar la memoria; " REDO,
                  pR->nInflateMax >> 20, XLSX_INFLATE_RATIO, (pR->nFile + 1023) / 1024);
      break;
    }
    if (nTotal > XLSX_MAX_PART_BYTES) {
      reader_fail(pR,
                  "%s ocupa más de 200 MiB sin comprimir; el libro es demasiado grande o está "
                  "dañado; divida el plan en libros más pequeños",
                  zPart);
      break;
    }
    if (XML_ParseBuffer(p, (int)n, n == 0) != XML_STATUS_OK) {
      reader_fail(pR, "%s: XML mal formado en la línea %llu: %s; " REDO, zPart,
                  (unsigned long long)XML_GetCurrentLineNumber(p),
                  XML_ErrorString(XML_GetErrorCode(p)));
      break;
    }
    if (pR->zErr || n == 0) {
      break;
    }
  }
  pR->pParser = NULL;
  pR->zPart = NULL;
  XML_ParserFree(p);
  int rcClose = zip_fclose(pFile);
  if (rcClose != 0 && pR->zErr == NULL) {
    zip_error_t ze;
    zip_error_init_with_code(&ze, rcClose);
    fail_part_zip(pR, zPart, &ze);
    zip_error_fini(&ze);
  }
  return pR->zErr == NULL;
}

/* ---------------------------------------------------------------------------
** Relationships (the _rels parts) and the workbook.
*/

typedef struct Rel {
  char *zId;     /* Id attribute, e.g. "rId2" */
  char *zType;   /* Type URI; matched by its last segment ("/worksheet") */
  char *zTarget; /* resolved part name, e.g. "xl/worksheets/sheet1.xml" */
} Rel;

typedef struct RelsParse {
  Reader *pR;           /* must be first: see on_doctype */
  const char *zBaseDir; /* folder relative targets start from */
  Rel *aRel;            /* internal relationships found, in file order */
  int nRel;             /* entries used in aRel */
  int nRelAlloc;        /* entries allocated in aRel */
} RelsParse;

/* Expat start handler for a .rels part: keep each internal Relationship. */
static void rels_start(void *pUser, const XML_Char *zEl, const XML_Char **azAttr) {
  RelsParse *p = pUser;
  if (p->pR->zErr || strcmp(local_name(zEl), "Relationship") != 0) {
    return;
  }
  const char *zId = attr_get(azAttr, "Id", false);
  const char *zType = attr_get(azAttr, "Type", false);
  const char *zTarget = attr_get(azAttr, "Target", false);
  const char *zMode = attr_get(azAttr, "TargetMode", false);
  if (zId == NULL || zType == NULL || zTarget == NULL ||
      (zMode && strcmp(zMode, "External") == 0)) {
    return;
  }
  if (p->nRel == p->nRelAlloc) {
    p->nRelAlloc = p->nRelAlloc ? p->nRelAlloc * 2 : 8;
    p->aRel = xrealloc(p->aRel, sizeof(Rel) * (size_t)p->nRelAlloc);
  }
  Rel *pRel = &p->aRel[p->nRel++];
  pRel->zId = xstrdup(zId);
  pRel->zType = xstrdup(zType);
  pRel->zTarget = part_resolve(p->zBaseDir, zTarget);
}

/* Expat end handler for parts where only start tags matter. */
static void ignore_end(void *pUser, const XML_Char *zEl) {
  (void)pUser;
  (void)zEl;
}

/* Expat text handler for parts whose text does not matter. */
static void ignore_text(void *pUser, const XML_Char *z, int n) {
  (void)pUser;
  (void)z;
  (void)n;
}

/* Free the relationships of p. */
static void rels_free(RelsParse *p) {
  for (int i = 0; i < p->nRel; i++) {
    free(p->aRel[i].zId);
    free(p->aRel[i].zType);
    free(p->aRel[i].zTarget);
  }
  free(p->aRel);
  p->aRel = NULL;
  p->nRel = p->nRelAlloc = 0;
}

/* Read the relationships of part zSource (zSource "" = the package) into
** *p (initialised here; free with rels_free). A missing .rels part is an
** empty list. Returns false with the message recorded on failure. */
static bool rels_read(Reader *pR, const char *zSource, RelsParse *p) {
  memset(p, 0, sizeof *p);
  p->pR = pR;
  char *zRels = zSource[0] ? part_rels_dup(zSource) : xstrdup("_rels/.rels");
  char *zDir = part_dir_dup(zSource);
  p->zBaseDir = zDir;
  bool bOk = true;
  if (part_exists(pR, zRels)) {
    bOk = part_parse(pR, zRels, p, rels_start, ignore_end, ignore_text);
  }
  p->zBaseDir = NULL;
  free(zDir);
  free(zRels);
  return bOk;
}

/* The first relationship of p whose type ends with zTypeEnd, or NULL. */
static const Rel *rels_find_type(const RelsParse *p, const char *zTypeEnd) {
  for (int i = 0; i < p->nRel; i++) {
    if (ends_with(p->aRel[i].zType, zTypeEnd)) {
      return &p->aRel[i];
    }
  }
  return NULL;
}

typedef enum SheetKind {
  SHEET_DATA,  /* a worksheet: cells */
  SHEET_CHART, /* a chart sheet */
  SHEET_OTHER  /* dialog or macro sheet, or a sheet without a usable part */
} SheetKind;

typedef struct SheetInfo {
  char *zName;     /* sheet name as in the workbook */
  char *zRid;      /* r:id of the sheet; NULL when the element has none */
  char *zPart;     /* resolved part of the sheet; NULL when r:id has no relationship */
  SheetKind eKind; /* what the relationship says the sheet is */
} SheetInfo;

typedef struct Book {
  Reader *pR;        /* must be first: see on_doctype */
  char *zWorkbook;   /* workbook part, e.g. "xl/workbook.xml" */
  char *zSst;        /* shared-strings part, NULL when the workbook has none */
  SheetInfo *aSheet; /* sheets in workbook (tab) order */
  int nSheet;        /* entries used in aSheet */
  int nSheetAlloc;   /* entries allocated in aSheet */
} Book;

/* Expat start handler for the workbook part: collect <sheet> elements. */
static void workbook_start(void *pUser, const XML_Char *zEl, const XML_Char **azAttr) {
  Book *pB = pUser;
  if (pB->pR->zErr || !str_eq(sml_local(zEl), "sheet")) {
    return;
  }
  const char *zName = attr_get(azAttr, "name", false);
  const char *zRid = attr_get(azAttr, "id", true);
  if (zName == NULL) {
    return;
  }
  if (pB->nSheet == pB->nSheetAlloc) {
    pB->nSheetAlloc = pB->nSheetAlloc ? pB->nSheetAlloc * 2 : 4;
    pB->aSheet = xrealloc(pB->aSheet, sizeof(SheetInfo) * (size_t)pB->nSheetAlloc);
  }
  SheetInfo *pS = &pB->aSheet[pB->nSheet++];
  pS->zName = xstrdup(zName);
  pS->zRid = zRid ? xstrdup(zRid) : NULL;
  pS->zPart = NULL;
  pS->eKind = SHEET_OTHER;
}

/* Free everything pB holds. */
static void book_free(Book *pB) {
  for (int i = 0; i < pB->nSheet; i++) {
    free(pB->aSheet[i].zName);
    free(pB->aSheet[i].zRid);
    free(pB->aSheet[i].zPart);
  }
  free(pB->aSheet);
  free(pB->zWorkbook);
  free(pB->zSst);
  memset(pB, 0, sizeof *pB);
}

/* Record why an archive without a workbook part is not an XLSX. */
static void fail_no_workbook(Reader *pR) {
  if (part_exists(pR, "content.xml") && part_exists(pR, "mimetype")) {
    reader_fail_raw(pR,
                    "«%s» es una hoja de cálculo OpenDocument (.ods), no un libro XLSX; guárdela "
                    "desde LibreOffice como «Libro de Excel 2007-365 (.xlsx)»",
                    pR->zName);
  } else {
    reader_fail_raw(pR,
                    "«%s» es un ZIP pero no un libro XLSX (no contiene xl/workbook.xml); guárdelo "
                    "desde Excel o LibreOffice como .xlsx",
                    pR->zName);
  }
}

/* qsort/bsearch order of relationships: by Id. */
static int rel_cmp(const void *pA, const void *pB) {
  return strcmp(((const Rel *)pA)->zId, ((const Rel *)pB)->zId);
}

/* Find and read the workbook of the open archive into *pB (initialised
** here; free with book_free): its sheets in order, each sheet's part and
** kind, and the shared-strings part. Returns false with the message
** recorded on failure. */
static bool book_open(Reader *pR, Book *pB) {
  memset(pB, 0, sizeof *pB);
  pB->pR = pR;
  RelsParse pkg;
  if (!rels_read(pR, "", &pkg)) {
    rels_free(&pkg);
    return false;
  }
  const Rel *pDoc = rels_find_type(&pkg, "/officeDocument");
  if (pDoc && part_exists(pR, pDoc->zTarget)) {
    pB->zWorkbook = xstrdup(pDoc->zTarget);
  } else if (part_exists(pR, "xl/workbook.xml")) {
    pB->zWorkbook = xstrdup("xl/workbook.xml");
  }
  rels_free(&pkg);
  if (pB->zWorkbook == NULL) {
    fail_no_workbook(pR);
    return false;
  }
  if (!part_parse(pR, pB->zWorkbook, pB, workbook_start, ignore_end, ignore_text)) {
    return false;
  }
  RelsParse wb;
  if (!rels_read(pR, pB->zWorkbook, &wb)) {
    rels_free(&wb);
    return false;
  }
  const Rel *pSstRel = rels_find_type(&wb, "/sharedStrings");
  char *zSstTarget = pSstRel ? xstrdup(pSstRel->zTarget) : NULL;
  if (wb.nRel > 1) {
    qsort(wb.aRel, (size_t)wb.nRel, sizeof(Rel), rel_cmp);
  }
  for (int i = 0; i < pB->nSheet; i++) {
    SheetInfo *pS = &pB->aSheet[i];
    Rel key = {pS->zRid, NULL, NULL};
    const Rel *pRel =
        pS->zRid && wb.nRel ? bsearch(&key, wb.aRel, (size_t)wb.nRel, sizeof(Rel), rel_cmp) : NULL;
    if (pRel) {
      pS->zPart = xstrdup(pRel->zTarget);
      if (ends_with(pRel->zType, "/worksheet")) {
        pS->eKind = SHEET_DATA;
      } else if (ends_with(pRel->zType, "/chartsheet")) {
        pS->eKind = SHEET_CHART;
      }
    }
  }
  if (zSstTarget) {
    pB->zSst = zSstTarget;
  } else {
    char *zDir = part_dir_dup(pB->zWorkbook);
    char *zGuess = xasprintf("%s%ssharedStrings.xml", zDir, zDir[0] ? "/" : "");
    free(zDir);
    if (part_exists(pR, zGuess)) {
      pB->zSst = zGuess;
    } else {
      free(zGuess);
    }
  }
  rels_free(&wb);
  return true;
}

/* Append name zName as item nItem (0-based) of a list in a message, "a, b";
** after XLSX_LIST_MAX items only one ", …" is appended. */
static void list_put(Buf *pOut, int nItem, const char *zName) {
  if (nItem < XLSX_LIST_MAX) {
    buf_puts(pOut, nItem ? ", " : "");
    buf_puts(pOut, zName);
  } else if (nItem == XLSX_LIST_MAX) {
    buf_puts(pOut, ", …");
  }
}

/* Append the sheet names of pB to pOut (see list_put). */
static void book_names(const Book *pB, Buf *pOut) {
  for (int i = 0; i < pB->nSheet; i++) {
    list_put(pOut, i, pB->aSheet[i].zName);
  }
}

/* Index of the sheet to read: zSheet NULL gives the first worksheet;
** otherwise an exact name match, else the only folded match. Returns -1
** with the message recorded when there is no such readable sheet. */
static int book_pick(Reader *pR, const Book *pB, const char *zSheet) {
  int iFound = -1;
  if (zSheet == NULL) {
    for (int i = 0; i < pB->nSheet && iFound < 0; i++) {
      if (pB->aSheet[i].eKind == SHEET_DATA) {
        iFound = i;
      }
    }
    if (iFound < 0) {
      reader_fail(pR, "el libro no tiene hojas con datos (solo gráficos o ninguna hoja); " REDO);
      return -1;
    }
    return iFound;
  }
  for (int i = 0; i < pB->nSheet && iFound < 0; i++) {
    if (strcmp(pB->aSheet[i].zName, zSheet) == 0) {
      iFound = i;
    }
  }
  if (iFound < 0) {
    char *zWant = text_fold_dup(zSheet);
    Buf matches = BUF_INIT;
    int nMatch = 0;
    for (int i = 0; i < pB->nSheet; i++) {
      char *zHave = text_fold_dup(pB->aSheet[i].zName);
      if (strcmp(zHave, zWant) == 0) {
        list_put(&matches, nMatch, pB->aSheet[i].zName);
        iFound = i;
        nMatch++;
      }
      free(zHave);
    }
    free(zWant);
    if (nMatch > 1) {
      reader_fail(pR, "el nombre «%s» coincide con varias hojas: %s; escriba el nombre exacto",
                  zSheet, buf_str(&matches));
      iFound = -1;
    }
    buf_reset(&matches);
    if (nMatch == 0) {
      Buf names = BUF_INIT;
      book_names(pB, &names);
      reader_fail(pR, "la hoja «%s» no existe; hojas del libro: %s", zSheet, buf_str(&names));
      buf_reset(&names);
    }
    if (iFound < 0) {
      return -1;
    }
  }
  const SheetInfo *pS = &pB->aSheet[iFound];
  if (pS->eKind == SHEET_CHART) {
    reader_fail(pR, "la hoja «%s» es un gráfico, no una tabla de datos; elija otra hoja",
                pS->zName);
    return -1;
  }
  if (pS->zPart == NULL) {
    reader_fail(pR, "la hoja «%s» no tiene contenido en el archivo (falta su relación %s); " REDO,
                pS->zName, pS->zRid ? pS->zRid : "r:id");
    return -1;
  }
  if (pS->eKind != SHEET_DATA) {
    reader_fail(pR,
                "la hoja «%s» no es una hoja de datos (es de diálogo o de macros); elija otra hoja",
                pS->zName);
    return -1;
  }
  return iFound;
}

/* ---------------------------------------------------------------------------
** Shared strings.
*/

typedef struct Sst {
  Reader *pR;       /* must be first: see on_doctype */
  Buf pool;         /* the text pool: a NUL at offset 0 (every empty cell), then each
                       shared string and, while the sheet is read, each other cell's
                       text, NUL-terminated; < 4 GiB (held bytes are capped) */
  uint32_t *aOff;   /* offset in pool of shared string i */
  uint32_t *aChars; /* characters of shared string i; > XLSX_MAX_CELL_CHARS: too long,
                       and then only its first characters are in the pool */
  size_t nStr;      /* strings loaded */
  size_t nAlloc;    /* entries allocated in aOff and aChars */
  bool bInSi;     /* inside <si> */
  bool bInT;      /* inside a <t> of the current <si> (not in a phonetic run) */
  int nRPh;       /* depth of <rPh> (phonetic guide) elements */
} Sst;

/* Expat start handler for the shared strings part. */
static void sst_start(void *pUser, const XML_Char *zEl, const XML_Char **azAttr) {
  (void)azAttr;
  Sst *p = pUser;
  const char *zL = sml_local(zEl);
  if (p->pR->zErr || zL == NULL) {
    return;
  }
  if (str_eq(zL, "si")) {
    if (!p->bInSi) {
      p->bInSi = true;
      p->nRPh = 0;
      if (p->nStr == p->nAlloc) {
        p->nAlloc = p->nAlloc ? p->nAlloc * 2 : 256;
        p->aOff = xrealloc(p->aOff, sizeof(uint32_t) * p->nAlloc);
        p->aChars = xrealloc(p->aChars, sizeof(uint32_t) * p->nAlloc);
      }
      p->aOff[p->nStr] = (uint32_t)p->pool.n;
      p->aChars[p->nStr] = 0;
    }
  } else if (p->bInSi && str_eq(zL, "rPh")) {
    p->nRPh++;
  } else if (p->bInSi && p->nRPh == 0 && str_eq(zL, "t")) {
    p->bInT = true;
  }
}

/* Expat end handler for the shared strings part. */
static void sst_end(void *pUser, const XML_Char *zEl) {
  Sst *p = pUser;
  const char *zL = sml_local(zEl);
  if (p->pR->zErr || !p->bInSi || zL == NULL) {
    return;
  }
  if (str_eq(zL, "si")) {
    buf_putc(&p->pool, '\0');
    p->nStr++;
    (void)reader_charge(p->pR, 2 * sizeof(uint32_t) + 1);
    p->bInSi = false;
    p->bInT = false;
  } else if (str_eq(zL, "rPh")) {
    p->nRPh--;
  } else if (str_eq(zL, "t")) {
    p->bInT = false;
  }
}

/* Characters (UTF-8 lead and ASCII bytes) among the n bytes at z. */
static size_t utf8_chars(const char *z, size_t n) {
  size_t nChar = 0;
  for (size_t i = 0; i < n; i++) {
    nChar += ((unsigned char)z[i] & 0xC0) != 0x80;
  }
  return nChar;
}

/* Append to pPool the n bytes at z, text of a value that has *pnChars
** characters so far, counting them; once the value passes
** XLSX_MAX_CELL_CHARS nothing more is appended (the value is refused where
** a cell uses it) but the count goes on, saturating. Charges what is
** appended. */
static void text_collect(Reader *pR, Buf *pPool, uint32_t *pnChars, const char *z, size_t n) {
  size_t nChar = utf8_chars(z, n);
  if (*pnChars <= XLSX_MAX_CELL_CHARS) {
    if (*pnChars + nChar <= XLSX_MAX_CELL_CHARS) {
      buf_append(pPool, z, n);
      (void)reader_charge(pR, n);
    }
  }
  *pnChars = nChar > UINT32_MAX - *pnChars ? UINT32_MAX : *pnChars + (uint32_t)nChar;
}

/* Expat text handler for the shared strings part. */
static void sst_text(void *pUser, const XML_Char *z, int n) {
  Sst *p = pUser;
  if (p->bInT && p->nRPh == 0 && p->pR->zErr == NULL) {
    text_collect(p->pR, &p->pool, &p->aChars[p->nStr], z, (size_t)n);
  }
}

/* ---------------------------------------------------------------------------
** The sheet.
*/

typedef struct RowCell {
  int iCol;      /* 0-based column */
  uintptr_t iOff; /* offset of the cell's text in the text pool (Sst.pool) */
} RowCell;

typedef struct Merge {
  long iTop;    /* first row of the range (1-based) */
  long iBottom; /* last row of the range, > iTop */
  int iCol;     /* 0-based first column: the column filled */
  uintptr_t iValue; /* pool offset of the top-left value, set when the range is first used */
} Merge;

typedef struct SheetParse {
  Reader *pR;         /* must be first: see on_doctype */
  Sst *pSst;          /* shared strings, and the text pool every cell's text goes to */
  Table *t;           /* the table filled */
  const char *zSheet; /* sheet name, for messages */
  bool bInData;       /* inside <sheetData> */
  bool bInRow;        /* inside <row> */
  bool bInCell;       /* inside <c> */
  bool bInV;          /* inside <v> of the cell */
  bool bInIs;         /* inside <is> (inline string) of the cell */
  bool bInT;          /* inside <t> of the inline string, outside phonetic runs */
  int nRPh;           /* depth of <rPh> in the inline string */
  long iRow;          /* number of the current row (1-based) */
  long iLastRow;      /* number of the previous row; 0 before the first */
  int iCol;           /* 0-based column of the current cell */
  int iLastCol;       /* column of the previous cell of this row; -1 at row start */
  char cType;         /* current cell type: s n b e d t(str) i(inlineStr) ?(other) */
  Buf val;            /* text of the current cell, its first XLSX_MAX_CELL_CHARS characters */
  uint32_t nValChars; /* characters of the current cell's text (saturating) */
  RowCell *aCell;     /* non-empty cells of this row, by ascending column */
  int nCell;          /* entries used in aCell */
  int nCellAlloc;     /* entries allocated in aCell */
  Merge *aMerge;      /* vertical merged ranges */
  size_t nMerge;      /* entries used in aMerge */
  size_t nMergeAlloc; /* entries allocated in aMerge */
} SheetParse;

/* Append the column name and row (e.g. "H22") to pOut. */
static void put_ref(Buf *pOut, int iCol, long iRow) {
  table_col_name(iCol, pOut);
  buf_appendf(pOut, "%ld", iRow);
}

/* Parse a cell reference "H22" (letters then digits, nothing else) into
** *piCol (0-based) and *piRow (1-based). Returns 0 when valid, 1 when not a
** reference, 2 when the column is past XFD, 3 when the row is past
** XLSX_MAX_ROWS. */
static int parse_ref(const char *z, int *piCol, long *piRow) {
  long iCol = 0;
  int nLetter = 0;
  while ((*z >= 'A' && *z <= 'Z') || (*z >= 'a' && *z <= 'z')) {
    if (iCol <= XLSX_MAX_COLS) {
      iCol = iCol * 26 + ((*z >= 'a') ? *z - 'a' : *z - 'A') + 1;
    }
    nLetter++;
    z++;
  }
  if (*z == '0') {
    return 1;
  }
  long iRow = 0;
  int nDigit = 0;
  while (*z >= '0' && *z <= '9') {
    if (iRow <= XLSX_MAX_ROWS) {
      iRow = iRow * 10 + (*z - '0');
    }
    nDigit++;
    z++;
  }
  if (nLetter == 0 || nDigit == 0 || *z) {
    return 1;
  }
  if (iCol > XLSX_MAX_COLS) {
    return 2;
  }
  if (iRow > XLSX_MAX_ROWS) {
    return 3;
  }
  *piCol = (int)iCol - 1;
  *piRow = iRow;
  return 0;
}

/* Record an error for a reference that parse_ref refused with rc. */
static void fail_ref(SheetParse *ps, const char *zRef, int rc) {
  Reader *pR = ps->pR;
  if (rc == 2) {
    reader_fail(pR, "la hoja «%s» pasa del límite de 16384 columnas (XFD) en «%s»; " REDO,
                ps->zSheet, zRef);
  } else if (rc == 3) {
    reader_fail(pR, "la hoja «%s» pasa del límite de 1048576 filas en «%s»; " REDO, ps->zSheet,
                zRef);
  } else {
    reader_fail(pR, "%s, línea %llu: referencia de celda inválida «%s»; " REDO, pR->zPart,
                (unsigned long long)XML_GetCurrentLineNumber(pR->pParser), zRef);
  }
}

/* Pool offset i as the temporary content of a row slot (see read_sheet). */
static char *slot_of(uintptr_t i) {
  return (char *)i;
}

/* Pool offset held by a row slot. */
static uintptr_t slot_off(const char *z) {
  return (uintptr_t)z;
}

/* Append a row numbered iLine to ps->t taking over azSlot (nCell slots
** holding pool offsets, then a NULL). Charges the row. */
static void sheet_push_row(SheetParse *ps, long iLine, int nCell, char **azSlot) {
  Table *t = ps->t;
  if (t->nRow == t->nRowAlloc) {
    t->nRowAlloc = t->nRowAlloc ? t->nRowAlloc * 2 : 64;
    t->aRow = xrealloc(t->aRow, sizeof(TableRow) * (size_t)t->nRowAlloc);
  }
  TableRow *r = &t->aRow[t->nRow++];
  r->iLine = iLine;
  r->nCell = nCell;
  r->azCell = azSlot;
}

/* Start of <row>: its number from r, or the next one. */
static void row_start(SheetParse *ps, const XML_Char **azAttr) {
  Reader *pR = ps->pR;
  const char *zR = attr_get(azAttr, "r", false);
  long iRow = ps->iLastRow + 1;
  if (zR) {
    bool bNum = zR[0] >= '1' && zR[0] <= '9';
    iRow = 0;
    for (const char *z = zR; *z && bNum; z++) {
      if (*z < '0' || *z > '9') {
        bNum = false;
      } else if (iRow <= XLSX_MAX_ROWS) {
        iRow = iRow * 10 + (*z - '0');
      }
    }
    if (!bNum) {
      reader_fail(pR, "%s, línea %llu: número de fila inválido «%s»; " REDO, pR->zPart,
                  (unsigned long long)XML_GetCurrentLineNumber(pR->pParser), zR);
      return;
    }
  }
  if (iRow > XLSX_MAX_ROWS) {
    reader_fail(pR, "la hoja «%s» pasa del límite de 1048576 filas en la fila %s; " REDO,
                ps->zSheet, zR ? zR : "1048577");
    return;
  }
  if (iRow <= ps->iLastRow) {
    reader_fail(pR, "la fila %ld de la hoja «%s» aparece después de la fila %ld; " REDO, iRow,
                ps->zSheet, ps->iLastRow);
    return;
  }
  ps->iRow = iRow;
  ps->bInRow = true;
  ps->iLastCol = -1;
  ps->nCell = 0;
}

/* End of </row>: add the row to the table, its slots holding offsets. */
static void row_end(SheetParse *ps) {
  int nCol = ps->nCell ? ps->aCell[ps->nCell - 1].iCol + 1 : 0;
  if (!reader_charge(ps->pR, sizeof(TableRow) + sizeof(char *) * ((size_t)nCol + 1))) {
    return;
  }
  char **azSlot = xcalloc((size_t)nCol + 1, sizeof(char *));
  for (int i = 0; i < ps->nCell; i++) {
    azSlot[ps->aCell[i].iCol] = slot_of(ps->aCell[i].iOff);
  }
  sheet_push_row(ps, ps->iRow, nCol, azSlot);
  ps->iLastRow = ps->iRow;
  ps->bInRow = false;
}

/* Start of <c>: its column from r, or the next one, and its type. */
static void cell_start(SheetParse *ps, const XML_Char **azAttr) {
  Reader *pR = ps->pR;
  const char *zR = attr_get(azAttr, "r", false);
  int iCol = ps->iLastCol + 1;
  if (zR) {
    long iRow = 0;
    int rc = parse_ref(zR, &iCol, &iRow);
    if (rc) {
      fail_ref(ps, zR, rc);
      return;
    }
    if (iRow != ps->iRow) {
      Buf ref = BUF_INIT;
      put_ref(&ref, iCol, iRow);
      reader_fail(pR, "%s!%s aparece dentro de la fila %ld; " REDO, ps->zSheet, buf_str(&ref),
                  ps->iRow);
      buf_reset(&ref);
      return;
    }
  }
  if (iCol >= XLSX_MAX_COLS) {
    reader_fail(pR, "la hoja «%s» pasa del límite de 16384 columnas (XFD) en la fila %ld; " REDO,
                ps->zSheet, ps->iRow);
    return;
  }
  if (iCol <= ps->iLastCol) {
    Buf refs = BUF_INIT;
    buf_appendf(&refs, "%s!", ps->zSheet);
    put_ref(&refs, iCol, ps->iRow);
    buf_appendf(&refs, " aparece después de %s!", ps->zSheet);
    put_ref(&refs, ps->iLastCol, ps->iRow);
    reader_fail(pR, "%s; " REDO, buf_str(&refs));
    buf_reset(&refs);
    return;
  }
  const char *zT = attr_get(azAttr, "t", false);
  char cType = 'n';
  if (zT) {
    if (strcmp(zT, "s") == 0 || strcmp(zT, "n") == 0 || strcmp(zT, "b") == 0 ||
        strcmp(zT, "e") == 0 || strcmp(zT, "d") == 0) {
      cType = zT[0];
    } else if (strcmp(zT, "str") == 0) {
      cType = 't';
    } else if (strcmp(zT, "inlineStr") == 0) {
      cType = 'i';
    } else {
      cType = '?';
    }
  }
  ps->iCol = iCol;
  ps->iLastCol = iCol;
  ps->cType = cType;
  ps->bInCell = true;
  ps->bInV = ps->bInIs = ps->bInT = false;
  ps->nRPh = 0;
  ps->nValChars = 0;
  buf_clear(&ps->val);
}

/* Copy of z[0..n) without leading and trailing ASCII white space, as a
** view: *pn gets the new length; returns the new start. */
static const char *trim_view(const char *z, size_t n, size_t *pn) {
  while (n > 0 && (*z == ' ' || *z == '\t' || *z == '\n' || *z == '\r')) {
    z++;
    n--;
  }
  while (n > 0 && (z[n - 1] == ' ' || z[n - 1] == '\t' || z[n - 1] == '\n' || z[n - 1] == '\r')) {
    n--;
  }
  *pn = n;
  return z;
}

/* Record that the current cell holds nChars characters, more than a cell
** may (Excel's own limit). */
static void fail_too_long(SheetParse *ps, uint32_t nChars) {
  Buf ref = BUF_INIT;
  put_ref(&ref, ps->iCol, ps->iRow);
  reader_fail(ps->pR,
              "%s!%s tiene %s%lu caracteres y una celda admite a lo sumo %d (el límite de "
              "Excel); acorte el texto o " REDO,
              ps->zSheet, buf_str(&ref), nChars == UINT32_MAX ? "más de " : "",
              (unsigned long)nChars, XLSX_MAX_CELL_CHARS);
  buf_reset(&ref);
}

/* Record the non-empty cell of the current row whose text is at pool
** offset iOff. */
static void cell_keep(SheetParse *ps, uintptr_t iOff) {
  if (ps->nCell == ps->nCellAlloc) {
    ps->nCellAlloc = ps->nCellAlloc ? ps->nCellAlloc * 2 : 32;
    ps->aCell = xrealloc(ps->aCell, sizeof(RowCell) * (size_t)ps->nCellAlloc);
  }
  ps->aCell[ps->nCell].iCol = ps->iCol;
  ps->aCell[ps->nCell].iOff = iOff;
  ps->nCell++;
}

/* End of </c>: turn the collected value into the cell text and keep it
** when non-empty. A shared string is not copied: the cell refers to it in
** the pool. Any other text is appended to the pool. A value longer than
** XLSX_MAX_CELL_CHARS characters is refused, naming the cell. */
static void cell_end(SheetParse *ps) {
  ps->bInCell = false;
  const char *zText = buf_str(&ps->val);
  size_t nText = ps->val.n;
  if (ps->nValChars > XLSX_MAX_CELL_CHARS) {
    fail_too_long(ps, ps->nValChars);
    return;
  }
  if (ps->cType == 's') {
    size_t n;
    const char *z = trim_view(zText, nText, &n);
    if (n == 0) {
      return;
    }
    size_t iStr = 0;
    bool bNum = true;
    for (size_t i = 0; i < n && bNum; i++) {
      if (z[i] < '0' || z[i] > '9' || iStr > ((size_t)1 << 40)) {
        bNum = false;
      } else {
        iStr = iStr * 10 + (size_t)(z[i] - '0');
      }
    }
    if (!bNum || iStr >= ps->pSst->nStr) {
      Buf ref = BUF_INIT;
      put_ref(&ref, ps->iCol, ps->iRow);
      reader_fail(ps->pR,
                  "%s!%s usa la cadena compartida «%.*s», que no existe (el libro tiene %zu); "
                  "el archivo está dañado; " REDO,
                  ps->zSheet, buf_str(&ref), (int)(n > 20 ? 20 : n), z, ps->pSst->nStr);
      buf_reset(&ref);
      return;
    }
    if (ps->pSst->aChars[iStr] > XLSX_MAX_CELL_CHARS) {
      fail_too_long(ps, ps->pSst->aChars[iStr]);
    } else if (ps->pSst->aChars[iStr] > 0) {
      cell_keep(ps, ps->pSst->aOff[iStr]);
    }
    return;
  }
  if (ps->cType == 'b') {
    size_t n;
    const char *z = trim_view(zText, nText, &n);
    if (n == 0) {
      return;
    }
    if ((n == 1 && z[0] == '1') || (n == 4 && strncmp(z, "true", 4) == 0) ||
        (n == 4 && strncmp(z, "TRUE", 4) == 0)) {
      zText = "1";
    } else if ((n == 1 && z[0] == '0') || (n == 5 && strncmp(z, "false", 5) == 0) ||
               (n == 5 && strncmp(z, "FALSE", 5) == 0)) {
      zText = "0";
    }
    nText = strlen(zText);
  }
  if (nText == 0 || !reader_charge(ps->pR, nText + 1)) {
    return;
  }
  Buf *pPool = &ps->pSst->pool;
  uintptr_t iOff = pPool->n;
  buf_append(pPool, zText, nText);
  buf_putc(pPool, '\0');
  cell_keep(ps, iOff);
}

/* <mergeCell ref="A2:A4">: keep it when it spans several rows. */
static void merge_cell(SheetParse *ps, const XML_Char **azAttr) {
  const char *zRef = attr_get(azAttr, "ref", false);
  if (zRef == NULL) {
    return;
  }
  const char *zColon = strchr(zRef, ':');
  char *zFirst = zColon ? xstrndup(zRef, (size_t)(zColon - zRef)) : xstrdup(zRef);
  int iCol1 = 0, iCol2 = 0;
  long iRow1 = 0, iRow2 = 0;
  int rc = parse_ref(zFirst, &iCol1, &iRow1);
  if (rc == 0 && zColon) {
    rc = parse_ref(zColon + 1, &iCol2, &iRow2);
  } else {
    iCol2 = iCol1;
    iRow2 = iRow1;
  }
  free(zFirst);
  if (rc) {
    fail_ref(ps, zRef, rc);
    return;
  }
  long iTop = iRow1 < iRow2 ? iRow1 : iRow2;
  long iBottom = iRow1 < iRow2 ? iRow2 : iRow1;
  if (iBottom == iTop) {
    return;
  }
  if (ps->nMerge == ps->nMergeAlloc) {
    ps->nMergeAlloc = ps->nMergeAlloc ? ps->nMergeAlloc * 2 : 16;
    ps->aMerge = xrealloc(ps->aMerge, sizeof(Merge) * ps->nMergeAlloc);
  }
  Merge *pM = &ps->aMerge[ps->nMerge++];
  pM->iTop = iTop;
  pM->iBottom = iBottom;
  pM->iCol = iCol1 < iCol2 ? iCol1 : iCol2;
  pM->iValue = 0;
}

/* Expat start handler for the sheet part. */
static void sheet_start(void *pUser, const XML_Char *zEl, const XML_Char **azAttr) {
  SheetParse *ps = pUser;
  const char *zL = sml_local(zEl);
  if (ps->pR->zErr || zL == NULL) {
    return;
  }
  if (ps->bInCell) {
    if (str_eq(zL, "v")) {
      ps->bInV = true;
    } else if (str_eq(zL, "is")) {
      ps->bInIs = true;
      ps->cType = 'i';
    } else if (ps->bInIs && str_eq(zL, "rPh")) {
      ps->nRPh++;
    } else if (ps->bInIs && ps->nRPh == 0 && str_eq(zL, "t")) {
      ps->bInT = true;
    }
  } else if (ps->bInRow) {
    if (str_eq(zL, "c")) {
      cell_start(ps, azAttr);
    }
  } else if (ps->bInData) {
    if (str_eq(zL, "row")) {
      row_start(ps, azAttr);
    }
  } else if (str_eq(zL, "sheetData")) {
    ps->bInData = true;
  } else if (str_eq(zL, "mergeCell")) {
    merge_cell(ps, azAttr);
  }
}

/* Expat end handler for the sheet part. */
static void sheet_end(void *pUser, const XML_Char *zEl) {
  SheetParse *ps = pUser;
  const char *zL = sml_local(zEl);
  if (ps->pR->zErr || zL == NULL) {
    return;
  }
  if (ps->bInCell) {
    if (str_eq(zL, "c")) {
      cell_end(ps);
    } else if (str_eq(zL, "v")) {
      ps->bInV = false;
    } else if (str_eq(zL, "is")) {
      ps->bInIs = false;
    } else if (ps->bInIs && str_eq(zL, "rPh")) {
      ps->nRPh--;
    } else if (str_eq(zL, "t")) {
      ps->bInT = false;
    }
  } else if (ps->bInRow) {
    if (str_eq(zL, "row")) {
      row_end(ps);
    }
  } else if (ps->bInData && str_eq(zL, "sheetData")) {
    ps->bInData = false;
  }
}

/* Expat text handler for the sheet part: collect the value of the cell. */
static void sheet_text(void *pUser, const XML_Char *z, int n) {
  SheetParse *ps = pUser;
  if (!ps->bInCell || ps->pR->zErr) {
    return;
  }
  if ((ps->bInT && ps->nRPh == 0) || (ps->bInV && ps->cType != 'i')) {
    size_t nChar = utf8_chars(z, (size_t)n);
    if (ps->nValChars + nChar <= XLSX_MAX_CELL_CHARS) {
      buf_append(&ps->val, z, (size_t)n);
    }
    ps->nValChars = nChar > UINT32_MAX - ps->nValChars ? UINT32_MAX
                                                       : ps->nValChars + (uint32_t)nChar;
  }
}

/* qsort order of merges: by top row, then column. */
static int merge_cmp(const void *pA, const void *pB) {
  const Merge *a = pA, *b = pB;
  if (a->iTop != b->iTop) {
    return a->iTop < b->iTop ? -1 : 1;
  }
  return (a->iCol > b->iCol) - (a->iCol < b->iCol);
}

/* Index of the row numbered iLine among the first nRow rows of t (sorted
** by number), or -1. */
static int row_find(const Table *t, int nRow, long iLine) {
  int lo = 0, hi = nRow - 1;
  while (lo <= hi) {
    int mid = lo + (hi - lo) / 2;
    if (t->aRow[mid].iLine == iLine) {
      return mid;
    } else if (t->aRow[mid].iLine < iLine) {
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return -1;
}

/* Repeat the top-left value of each vertical merged range down its first
** column, into the rows of the range present in the table: the slot refers
** to the same pool text, nothing is copied. One sweep over the rows with
** the set of ranges covering the current row; a row that needs more
** columns gets a larger slot array. Returns false (message recorded) when
** the result would pass the budget. */
static bool sheet_apply_merges(SheetParse *ps) {
  Table *t = ps->t;
  if (ps->nMerge == 0 || t->nRow == 0) {
    return true;
  }
  qsort(ps->aMerge, ps->nMerge, sizeof(Merge), merge_cmp);
  Merge **apActive = xmalloc(sizeof(Merge *) * ps->nMerge);
  size_t nActive = 0, iNext = 0;
  bool bOk = true;
  for (int iRow = 0; iRow < t->nRow && bOk; iRow++) {
    long iLine = t->aRow[iRow].iLine;
    while (iNext < ps->nMerge && ps->aMerge[iNext].iTop < iLine) {
      Merge *pM = &ps->aMerge[iNext++];
      if (pM->iBottom >= iLine) {
        int iTopRow = row_find(t, iRow, pM->iTop);
        const TableRow *pTop = iTopRow >= 0 ? &t->aRow[iTopRow] : NULL;
        pM->iValue = pTop && pM->iCol < pTop->nCell ? slot_off(pTop->azCell[pM->iCol]) : 0;
        apActive[nActive++] = pM;
      }
    }
    size_t nKeep = 0;
    for (size_t i = 0; i < nActive; i++) {
      if (apActive[i]->iBottom >= iLine) {
        apActive[nKeep++] = apActive[i];
      }
    }
    nActive = nKeep;
    if (nActive == 0) {
      continue;
    }
    TableRow *pRow = &t->aRow[iRow];
    int nCol = pRow->nCell;
    for (size_t i = 0; i < nActive; i++) {
      if (apActive[i]->iCol + 1 > nCol) {
        nCol = apActive[i]->iCol + 1;
      }
    }
    if (nCol > pRow->nCell) {
      bOk = reader_charge(ps->pR, sizeof(char *) * (size_t)(nCol - pRow->nCell));
      if (!bOk) {
        break;
      }
      char **azSlot = xcalloc((size_t)nCol + 1, sizeof(char *));
      memcpy(azSlot, pRow->azCell, sizeof(char *) * (size_t)pRow->nCell);
      free(pRow->azCell);
      pRow->azCell = azSlot;
    }
    for (size_t i = 0; i < nActive; i++) {
      pRow->azCell[apActive[i]->iCol] = slot_of(apActive[i]->iValue);
    }
    while (nCol > 0 && slot_off(pRow->azCell[nCol - 1]) == 0) {
      nCol--;
    }
    pRow->azCell[nCol] = NULL;
    pRow->nCell = nCol;
  }
  free(apActive);
  return bOk;
}

/* Free everything ps holds (not the table, not the pool). */
static void sheet_parse_free(SheetParse *ps) {
  buf_reset(&ps->val);
  free(ps->aCell);
  free(ps->aMerge);
}

/* Turn the slots of every row of t (pool offsets) into pointers, giving
** the text pool (taken over here) to the table as its text block
** (Table.zText, freed by table_reset). Empty cells point to the pool's
** offset 0, a NUL. Never fails. */
static void table_adopt_pool(Table *t, Buf *pPool) {
  if (t->nRow == 0) {
    buf_reset(pPool);
    return;
  }
  char *zBase = buf_take(pPool);
  free(t->zText);
  t->zText = zBase;
  for (int iRow = 0; iRow < t->nRow; iRow++) {
    TableRow *pRow = &t->aRow[iRow];
    for (int i = 0; i < pRow->nCell; i++) {
      pRow->azCell[i] = zBase + slot_off(pRow->azCell[i]);
    }
    pRow->azCell[pRow->nCell] = NULL;
  }
}

/* Read the sheet zSheet (or the first worksheet) of the open archive into
** t, which table_init has prepared. Returns false with the message
** recorded on failure. */
static bool read_sheet(Reader *pR, const char *zSheet, Table *t) {
  Book book;
  bool bOk = book_open(pR, &book);
  int iSheet = bOk ? book_pick(pR, &book, zSheet) : -1;
  if (iSheet < 0) {
    book_free(&book);
    return false;
  }
  const SheetInfo *pS = &book.aSheet[iSheet];
  Sst sst;
  memset(&sst, 0, sizeof sst);
  sst.pR = pR;
  pR->zSheet = pS->zName;
  buf_putc(&sst.pool, '\0');
  if (book.zSst && part_exists(pR, book.zSst)) {
    bOk = part_parse(pR, book.zSst, &sst, sst_start, sst_end, sst_text);
  }
  if (bOk && !part_exists(pR, pS->zPart)) {
    reader_fail(pR, "falta la parte %s de la hoja «%s»; el archivo está incompleto o dañado; " REDO,
                pS->zPart, pS->zName);
    bOk = false;
  }
  if (bOk) {
    SheetParse ps;
    memset(&ps, 0, sizeof ps);
    ps.pR = pR;
    ps.pSst = &sst;
    ps.t = t;
    ps.zSheet = pS->zName;
    bOk = part_parse(pR, pS->zPart, &ps, sheet_start, sheet_end, sheet_text) &&
          sheet_apply_merges(&ps);
    sheet_parse_free(&ps);
  }
  if (bOk) {
    t->zSheet = xstrdup(pS->zName);
    table_adopt_pool(t, &sst.pool);
  }
  pR->zSheet = NULL;
  buf_reset(&sst.pool);
  free(sst.aOff);
  free(sst.aChars);
  book_free(&book);
  return bOk;
}

/* ---------------------------------------------------------------------------
** Public functions.
*/

/* Finish a read: on failure empty t again (keeping its source name) and
** hand the message over. */
static TableRc read_done(Reader *pR, bool bOk, const char *zName, Table *t, char **pzErr) {
  TableRc rc = TABLE_OK;
  *pzErr = NULL;
  if (!bOk) {
    table_reset(t);
    table_init(t, zName);
    *pzErr = pR->zErr ? pR->zErr : xstrdup("error desconocido al leer el libro");
    pR->zErr = NULL;
    rc = TABLE_ECANTREAD;
  }
  reader_close(pR);
  return rc;
}

TableRc xlsx_read_file(const char *zPath, const char *zSheet, Table *t, char **pzErr) {
  ASSERT(zPath != NULL && t != NULL && pzErr != NULL);
  table_init(t, zPath);
  Reader r = {0};
  r.zName = zPath;
  bool bOk = reader_open_file(&r) && read_sheet(&r, zSheet, t);
  return read_done(&r, bOk, zPath, t, pzErr);
}

TableRc xlsx_read_mem(const char *zName, const void *pData, size_t nData, const char *zSheet,
                      Table *t, char **pzErr) {
  ASSERT(t != NULL && pzErr != NULL && (pData != NULL || nData == 0));
  table_init(t, zName);
  Reader r = {0};
  r.zName = zName ? zName : "-";
  bool bOk = reader_open_mem(&r, pData, nData) && read_sheet(&r, zSheet, t);
  return read_done(&r, bOk, zName, t, pzErr);
}

/* List the sheets of the open archive (see xlsx_sheets_file). */
static TableRc list_sheets(Reader *pR, bool bOpen, char ***pazSheet, int *pnSheet, char **pzErr) {
  *pazSheet = NULL;
  *pnSheet = 0;
  *pzErr = NULL;
  Book book;
  memset(&book, 0, sizeof book);
  if (bOpen && book_open(pR, &book)) {
    char **az = xmalloc(sizeof(char *) * ((size_t)book.nSheet + 1));
    for (int i = 0; i < book.nSheet; i++) {
      az[i] = xstrdup(book.aSheet[i].zName);
    }
    az[book.nSheet] = NULL;
    *pazSheet = az;
    *pnSheet = book.nSheet;
  }
  book_free(&book);
  TableRc rc = TABLE_OK;
  if (pR->zErr) {
    *pzErr = pR->zErr;
    pR->zErr = NULL;
    rc = TABLE_ECANTREAD;
  }
  reader_close(pR);
  return rc;
}

TableRc xlsx_sheets_file(const char *zPath, char ***pazSheet, int *pnSheet, char **pzErr) {
  ASSERT(zPath != NULL && pazSheet != NULL && pnSheet != NULL && pzErr != NULL);
  Reader r = {0};
  r.zName = zPath;
  bool bOpen = reader_open_file(&r);
  return list_sheets(&r, bOpen, pazSheet, pnSheet, pzErr);
}

TableRc xlsx_sheets_mem(const char *zName, const void *pData, size_t nData, char ***pazSheet,
                        int *pnSheet, char **pzErr) {
  ASSERT(pazSheet != NULL && pnSheet != NULL && pzErr != NULL && (pData != NULL || nData == 0));
  Reader r = {0};
  r.zName = zName ? zName : "-";
  bool bOpen = reader_open_mem(&r, pData, nData);
  return list_sheets(&r, bOpen, pazSheet, pnSheet, pzErr);
}

void xlsx_sheets_free(char **azSheet, int nSheet) {
  for (int i = 0; azSheet && i < nSheet; i++) {
    free(azSheet[i]);
  }
  free(azSheet);
}
