/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The HTML writer (see html.h): element and attribute tables, the one
** cleaning escaper behind every text and attribute context, the URL scheme
** check, percent-encoding, and the stack of open elements. Bugs in the use
** of the writer (a mismatched close, an unknown code, a repeated attribute,
** a bad data- suffix) panic with the caller's file:line in every build.
**
** It does not decide what a page looks like, and it does not validate
** content models beyond matching closes.
*/
#include "web/html.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"

/* ---- element and attribute tables --------------------------------------- */

#define TF_VOID     0x01 /* void element: never closed, never pushed */
#define TF_NL_OPEN  0x02 /* newline after the start tag (pure containers) */
#define TF_NL_CLOSE 0x04 /* newline after the end tag (or a void start tag) */
#define TF_LEAD_NL  0x08 /* newline after the start tag, which the parser drops */

/* What the writer knows about an element. */
typedef struct TagInfo {
  const char *zName; /* the tag name as written */
  unsigned mFlags;   /* TF_* */
} TagInfo;

static const TagInfo aTagInfo[HTML__COUNT] = {
    [HTML_A] = {"a", 0},
    [HTML_ABBR] = {"abbr", 0},
    [HTML_ARTICLE] = {"article", TF_NL_CLOSE},
    [HTML_ASIDE] = {"aside", TF_NL_CLOSE},
    [HTML_BODY] = {"body", TF_NL_OPEN | TF_NL_CLOSE},
    [HTML_BR] = {"br", TF_VOID},
    [HTML_BUTTON] = {"button", 0},
    [HTML_CAPTION] = {"caption", TF_NL_CLOSE},
    [HTML_CIRCLE] = {"circle", 0},
    [HTML_CODE] = {"code", 0},
    [HTML_COL] = {"col", TF_VOID | TF_NL_CLOSE},
    [HTML_COLGROUP] = {"colgroup", TF_NL_OPEN | TF_NL_CLOSE},
    [HTML_DD] = {"dd", TF_NL_CLOSE},
    [HTML_DESC] = {"desc", 0},
    [HTML_DETAILS] = {"details", TF_NL_CLOSE},
    [HTML_DIV] = {"div", TF_NL_CLOSE},
    [HTML_DL] = {"dl", TF_NL_OPEN | TF_NL_CLOSE},
    [HTML_DT] = {"dt", TF_NL_CLOSE},
    [HTML_EM] = {"em", 0},
    [HTML_FIELDSET] = {"fieldset", TF_NL_CLOSE},
    [HTML_FIGCAPTION] = {"figcaption", TF_NL_CLOSE},
    [HTML_FIGURE] = {"figure", TF_NL_CLOSE},
    [HTML_FOOTER] = {"footer", TF_NL_CLOSE},
    [HTML_FORM] = {"form", TF_NL_CLOSE},
    [HTML_G] = {"g", 0},
    [HTML_H1] = {"h1", TF_NL_CLOSE},
    [HTML_H2] = {"h2", TF_NL_CLOSE},
    [HTML_H3] = {"h3", TF_NL_CLOSE},
    [HTML_H4] = {"h4", TF_NL_CLOSE},
    [HTML_HEAD] = {"head", TF_NL_OPEN | TF_NL_CLOSE},
    [HTML_HEADER] = {"header", TF_NL_CLOSE},
    [HTML_HR] = {"hr", TF_VOID | TF_NL_CLOSE},
    [HTML_HTML] = {"html", TF_NL_OPEN | TF_NL_CLOSE},
    [HTML_IMG] = {"img", TF_VOID},
    [HTML_INPUT] = {"input", TF_VOID},
    [HTML_LABEL] = {"label", 0},
    [HTML_LEGEND] = {"legend", TF_NL_CLOSE},
    [HTML_LI] = {"li", TF_NL_CLOSE},
    [HTML_LINE] = {"line", 0},
    [HTML_LINK] = {"link", TF_VOID | TF_NL_CLOSE},
    [HTML_MAIN] = {"main", TF_NL_CLOSE},
    [HTML_MARK] = {"mark", 0},
    [HTML_META] = {"meta", TF_VOID | TF_NL_CLOSE},
    [HTML_METER] = {"meter", 0},
    [HTML_NAV] = {"nav", TF_NL_CLOSE},
    [HTML_OL] = {"ol", TF_NL_OPEN | TF_NL_CLOSE},
    [HTML_OPTGROUP] = {"optgroup", TF_NL_OPEN | TF_NL_CLOSE},
    [HTML_OPTION] = {"option", TF_NL_CLOSE},
    [HTML_P] = {"p", TF_NL_CLOSE},
    [HTML_PATH] = {"path", 0},
    [HTML_POLYLINE] = {"polyline", 0},
    [HTML_PRE] = {"pre", TF_LEAD_NL | TF_NL_CLOSE},
    [HTML_PROGRESS] = {"progress", 0},
    [HTML_RECT] = {"rect", 0},
    [HTML_SECTION] = {"section", TF_NL_CLOSE},
    [HTML_SELECT] = {"select", TF_NL_OPEN | TF_NL_CLOSE},
    [HTML_SMALL] = {"small", 0},
    [HTML_SPAN] = {"span", 0},
    [HTML_STRONG] = {"strong", 0},
    [HTML_SUMMARY] = {"summary", TF_NL_CLOSE},
    [HTML_SVG] = {"svg", 0},
    [HTML_TABLE] = {"table", TF_NL_OPEN | TF_NL_CLOSE},
    [HTML_TBODY] = {"tbody", TF_NL_OPEN | TF_NL_CLOSE},
    [HTML_TD] = {"td", 0},
    [HTML_TEXT] = {"text", 0},
    [HTML_TEXTAREA] = {"textarea", TF_LEAD_NL},
    [HTML_TFOOT] = {"tfoot", TF_NL_OPEN | TF_NL_CLOSE},
    [HTML_TH] = {"th", 0},
    [HTML_THEAD] = {"thead", TF_NL_OPEN | TF_NL_CLOSE},
    [HTML_TIME] = {"time", 0},
    [HTML_TITLE] = {"title", TF_NL_CLOSE},
    [HTML_TR] = {"tr", TF_NL_CLOSE},
    [HTML_TSPAN] = {"tspan", 0},
    [HTML_UL] = {"ul", TF_NL_OPEN | TF_NL_CLOSE},
};

/* How an attribute's value is written. */
typedef enum AttrKind {
  AK_TEXT, /* any text, escaped */
  AK_URL,  /* a URL: escaped, and refused ("#") unless relative or an allowed scheme */
  AK_BOOL  /* boolean: value must be "", written bare */
} AttrKind;

/* What the writer knows about an attribute. */
typedef struct AttrInfo {
  const char *zName; /* the attribute name as written */
  AttrKind eKind;    /* how its value is written */
} AttrInfo;

static const AttrInfo aAttrInfo[HA__COUNT] = {
    [HA_END] = {NULL, AK_TEXT},
    [HA_ACCEPT] = {"accept", AK_TEXT},
    [HA_ACTION] = {"action", AK_URL},
    [HA_ALT] = {"alt", AK_TEXT},
    [HA_ARIA_CONTROLS] = {"aria-controls", AK_TEXT},
    [HA_ARIA_CURRENT] = {"aria-current", AK_TEXT},
    [HA_ARIA_DESCRIBEDBY] = {"aria-describedby", AK_TEXT},
    [HA_ARIA_EXPANDED] = {"aria-expanded", AK_TEXT},
    [HA_ARIA_HIDDEN] = {"aria-hidden", AK_TEXT},
    [HA_ARIA_INVALID] = {"aria-invalid", AK_TEXT},
    [HA_ARIA_LABEL] = {"aria-label", AK_TEXT},
    [HA_ARIA_LABELLEDBY] = {"aria-labelledby", AK_TEXT},
    [HA_ARIA_LIVE] = {"aria-live", AK_TEXT},
    [HA_ARIA_REQUIRED] = {"aria-required", AK_TEXT},
    [HA_ARIA_SORT] = {"aria-sort", AK_TEXT},
    [HA_AUTOCOMPLETE] = {"autocomplete", AK_TEXT},
    [HA_AUTOFOCUS] = {"autofocus", AK_BOOL},
    [HA_CHARSET] = {"charset", AK_TEXT},
    [HA_CHECKED] = {"checked", AK_BOOL},
    [HA_CLASS] = {"class", AK_TEXT},
    [HA_COLS] = {"cols", AK_TEXT},
    [HA_COLSPAN] = {"colspan", AK_TEXT},
    [HA_CONTENT] = {"content", AK_TEXT},
    [HA_CX] = {"cx", AK_TEXT},
    [HA_CY] = {"cy", AK_TEXT},
    [HA_D] = {"d", AK_TEXT},
    [HA_DATETIME] = {"datetime", AK_TEXT},
    [HA_DISABLED] = {"disabled", AK_BOOL},
    [HA_ENCTYPE] = {"enctype", AK_TEXT},
    [HA_FILL] = {"fill", AK_TEXT},
    [HA_FOCUSABLE] = {"focusable", AK_TEXT},
    [HA_FOR] = {"for", AK_TEXT},
    [HA_FORMACTION] = {"formaction", AK_URL},
    [HA_HEADERS] = {"headers", AK_TEXT},
    [HA_HEIGHT] = {"height", AK_TEXT},
    [HA_HIDDEN] = {"hidden", AK_BOOL},
    [HA_HIGH] = {"high", AK_TEXT},
    [HA_HREF] = {"href", AK_URL},
    [HA_ID] = {"id", AK_TEXT},
    [HA_INPUTMODE] = {"inputmode", AK_TEXT},
    [HA_LABEL] = {"label", AK_TEXT},
    [HA_LANG] = {"lang", AK_TEXT},
    [HA_LOW] = {"low", AK_TEXT},
    [HA_MAX] = {"max", AK_TEXT},
    [HA_MAXLENGTH] = {"maxlength", AK_TEXT},
    [HA_METHOD] = {"method", AK_TEXT},
    [HA_MIN] = {"min", AK_TEXT},
    [HA_MINLENGTH] = {"minlength", AK_TEXT},
    [HA_MULTIPLE] = {"multiple", AK_BOOL},
    [HA_NAME] = {"name", AK_TEXT},
    [HA_NOVALIDATE] = {"novalidate", AK_BOOL},
    [HA_OPEN] = {"open", AK_BOOL},
    [HA_OPTIMUM] = {"optimum", AK_TEXT},
    [HA_PATTERN] = {"pattern", AK_TEXT},
    [HA_PLACEHOLDER] = {"placeholder", AK_TEXT},
    [HA_POINTS] = {"points", AK_TEXT},
    [HA_R] = {"r", AK_TEXT},
    [HA_READONLY] = {"readonly", AK_BOOL},
    [HA_REL] = {"rel", AK_TEXT},
    [HA_REQUIRED] = {"required", AK_BOOL},
    [HA_ROLE] = {"role", AK_TEXT},
    [HA_ROWS] = {"rows", AK_TEXT},
    [HA_ROWSPAN] = {"rowspan", AK_TEXT},
    [HA_SCOPE] = {"scope", AK_TEXT},
    [HA_SELECTED] = {"selected", AK_BOOL},
    [HA_SIZE] = {"size", AK_TEXT},
    [HA_SPAN] = {"span", AK_TEXT},
    [HA_SRC] = {"src", AK_URL},
    [HA_STEP] = {"step", AK_TEXT},
    [HA_STROKE] = {"stroke", AK_TEXT},
    [HA_STROKE_WIDTH] = {"stroke-width", AK_TEXT},
    [HA_TABINDEX] = {"tabindex", AK_TEXT},
    [HA_TEXT_ANCHOR] = {"text-anchor", AK_TEXT},
    [HA_TITLE] = {"title", AK_TEXT},
    [HA_TRANSFORM] = {"transform", AK_TEXT},
    [HA_TYPE] = {"type", AK_TEXT},
    [HA_VALUE] = {"value", AK_TEXT},
    [HA_VIEWBOX] = {"viewBox", AK_TEXT},
    [HA_WIDTH] = {"width", AK_TEXT},
    [HA_X] = {"x", AK_TEXT},
    [HA_X1] = {"x1", AK_TEXT},
    [HA_X2] = {"x2", AK_TEXT},
    [HA_Y] = {"y", AK_TEXT},
    [HA_Y1] = {"y1", AK_TEXT},
    [HA_Y2] = {"y2", AK_TEXT},
};

const char *html_tag_name(HtmlTag eTag) {
  ASSERT((unsigned)eTag < HTML__COUNT && aTagInfo[eTag].zName != NULL);
  return aTagInfo[eTag].zName;
}

const char *html_attr_name(HtmlAttr eAttr) {
  ASSERT((unsigned)eAttr < HA__COUNT && aAttrInfo[eAttr].zName != NULL);
  return aAttrInfo[eAttr].zName;
}

/* ---- cleaning and escaping ------------------------------------------------ */

/* Contexts of put_clean. */
typedef enum EscMode {
  ESC_NONE, /* clean only (no escaping) */
  ESC_TEXT, /* clean, escape for element text */
  ESC_ATTR  /* clean, escape for a double-quoted attribute value */
} EscMode;

/* Append the n bytes at z to pOut cleaned (controls other than \t \n \r
** dropped, invalid UTF-8 replaced by U+FFFD) and escaped for eMode. Copies
** runs of plain bytes at once. Cannot fail. */
static void put_clean(Buf *pOut, const char *z, size_t n, EscMode eMode) {
  const unsigned char *p = (const unsigned char *)z;
  size_t i = 0;
  size_t iRun = 0; /* start of the bytes not yet copied */
  while (i < n) {
    unsigned c = p[i];
    const char *zRep; /* what replaces the nSkip bytes at i */
    size_t nSkip = 1;
    if (c >= 0x80) {
      uint32_t cp;
      nSkip = text_utf8_decode(p + i, n - i, &cp);
      if (cp == TEXT_UTF8_BAD) {
        zRep = "\xEF\xBF\xBD";
      } else if (cp <= 0x9F) {
        zRep = ""; /* C1 control */
      } else {
        i += nSkip;
        continue;
      }
    } else if (c == '\t' || c == '\n' || c == '\r') {
      if (eMode != ESC_ATTR) {
        i++;
        continue;
      }
      zRep = c == '\t' ? "&#9;" : c == '\n' ? "&#10;" : "&#13;";
    } else if (c < 0x20 || c == 0x7F) {
      zRep = ""; /* C0 control or DEL */
    } else if (eMode == ESC_NONE) {
      i++;
      continue;
    } else if (c == '&') {
      zRep = "&amp;";
    } else if (c == '<') {
      zRep = "&lt;";
    } else if (c == '>') {
      zRep = "&gt;";
    } else if (c == '"') {
      zRep = "&quot;";
    } else if (c == '\'') {
      zRep = "&#39;";
    } else {
      i++;
      continue;
    }
    if (i > iRun) {
      buf_append(pOut, z + iRun, i - iRun);
    }
    buf_puts(pOut, zRep);
    i += nSkip;
    iRun = i;
  }
  if (i > iRun) {
    buf_append(pOut, z + iRun, i - iRun);
  }
}

void html_escape_text(Buf *pOut, const char *z) {
  if (z != NULL) {
    put_clean(pOut, z, strlen(z), ESC_TEXT);
  }
}

void html_escape_attr(Buf *pOut, const char *z) {
  if (z != NULL) {
    put_clean(pOut, z, strlen(z), ESC_ATTR);
  }
}

/* Append z percent-encoded: every byte but the RFC 3986 unreserved ones
** (A-Z a-z 0-9 - . _ ~) becomes %XX in upper-case hex. Cannot fail. */
static void put_percent(Buf *pOut, const char *z) {
  static const char zHex[] = "0123456789ABCDEF";
  const unsigned char *p = (const unsigned char *)z;
  size_t iRun = 0;
  size_t i = 0;
  for (; p[i] != 0; i++) {
    unsigned c = p[i];
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      continue;
    }
    if (i > iRun) {
      buf_append(pOut, z + iRun, i - iRun);
    }
    char aEnc[3] = {'%', zHex[c >> 4], zHex[c & 15]};
    buf_append(pOut, aEnc, 3);
    iRun = i + 1;
  }
  if (i > iRun) {
    buf_append(pOut, z + iRun, i - iRun);
  }
}

void html_url_path(Buf *pOut, const char *zSegment) {
  if (zSegment != NULL) {
    put_percent(pOut, zSegment);
  }
}

void html_url_query(Buf *pOut, const char *zKey, const char *zValue, bool bFirst) {
  buf_putc(pOut, bFirst ? '?' : '&');
  put_percent(pOut, zKey ? zKey : "");
  buf_putc(pOut, '=');
  put_percent(pOut, zValue ? zValue : "");
}

/* True when the cleaned URL z may go in a URL attribute: a relative URL
** (no scheme), or one whose scheme is http, https, mailto or tel. The
** scheme is found as browsers find it (WHATWG URL): leading spaces and
** controls skipped, tabs and newlines anywhere ignored, letters compared
** without case; "javascript:", " JaVa\tScRiPt:", "data:" and "vbscript:"
** are refused, "/x?a=javascript:" and "&#106;avascript:" are relative.
** Cannot fail. */
static bool url_is_allowed(const char *z) {
  static const char *const azAllowed[] = {"http", "https", "mailto", "tel"};
  const unsigned char *p = (const unsigned char *)z;
  while (*p != 0 && *p <= 0x20) {
    p++;
  }
  char aScheme[8];    /* the scheme in lower case, when short enough to be allowed */
  size_t nScheme = 0; /* scheme characters seen, including those not kept */
  for (; *p != 0; p++) {
    unsigned c = *p;
    if (c == '\t' || c == '\n' || c == '\r') {
      continue;
    }
    if (c == ':') {
      if (nScheme == 0) {
        return true; /* ":x" has no scheme: relative */
      }
      for (size_t i = 0; i < sizeof azAllowed / sizeof azAllowed[0]; i++) {
        if (nScheme == strlen(azAllowed[i]) && memcmp(aScheme, azAllowed[i], nScheme) == 0) {
          return true;
        }
      }
      return false;
    }
    bool bAlpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    bool bOther = (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
    if (!bAlpha && !(nScheme > 0 && bOther)) {
      return true; /* not a scheme character before any ':': relative */
    }
    if (nScheme < sizeof aScheme) {
      aScheme[nScheme] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    }
    nScheme++;
  }
  return true; /* no ':' at all: relative */
}

/* ---- the writer ------------------------------------------------------------- */

/* Report a misuse of the writer at the caller's position and abort. */
static _Noreturn void html_bug(const char *zFile, int iLine, const char *zFmt, ...)
    PRINTF_LIKE(3, 4);
static _Noreturn void html_bug(const char *zFile, int iLine, const char *zFmt, ...) {
  va_list ap;
  va_start(ap, zFmt);
  char *zMsg = xvasprintf(zFmt, ap);
  va_end(ap);
  app_panic_at(zFile, iLine, zMsg);
}

/* A copy of z (NULL gives "(NULL)") with controls and invalid UTF-8
** cleaned, for a panic message. Caller frees. */
static char *clean_dup(const char *z) {
  Buf b = BUF_INIT;
  put_clean(&b, z ? z : "(NULL)", strlen(z ? z : "(NULL)"), ESC_NONE);
  return buf_take(&b);
}

void html_init(HtmlW *w, Buf *pOut) {
  memset(w, 0, sizeof *w);
  w->pOut = pOut;
}

/* Release the writer's own memory and forget the stack and pending tag. */
static void release(HtmlW *w) {
  free(w->aOpen);
  w->aOpen = NULL;
  w->nOpen = 0;
  w->nOpenAlloc = 0;
  w->bPending = false;
  buf_reset(&w->scratch);
}

void html_reset(HtmlW *w) {
  buf_clear(w->pOut);
  release(w);
}

/* Finish a pending start tag: its '>' and the newline its element wants. */
static void flush_pending(HtmlW *w) {
  if (!w->bPending) {
    return;
  }
  unsigned mFlags = aTagInfo[w->ePending].mFlags;
  buf_putc(w->pOut, '>');
  if ((mFlags & (TF_LEAD_NL | TF_NL_OPEN)) != 0 ||
      (mFlags & (TF_VOID | TF_NL_CLOSE)) == (TF_VOID | TF_NL_CLOSE)) {
    buf_putc(w->pOut, '\n');
  }
  w->bPending = false;
}

/* Write the end tag of the innermost open element and pop it. */
static void close_top(HtmlW *w) {
  HtmlTag eTag = w->aOpen[--w->nOpen].eTag;
  buf_append(w->pOut, "</", 2);
  buf_puts(w->pOut, aTagInfo[eTag].zName);
  buf_putc(w->pOut, '>');
  if (aTagInfo[eTag].mFlags & TF_NL_CLOSE) {
    buf_putc(w->pOut, '\n');
  }
}

void html_end(HtmlW *w) {
  flush_pending(w);
  while (w->nOpen > 0) {
    close_top(w);
  }
  release(w);
}

void html_doctype(HtmlW *w) {
  flush_pending(w);
  ASSERT(w->nOpen == 0);
  buf_puts(w->pOut, "<!DOCTYPE html>\n");
}

/* Write one attribute of the pending start tag (see html_open). */
static void write_attr(HtmlW *w, const char *zFile, int iLine, HtmlAttr eAttr, const char *zValue) {
  uint64_t mBit = (uint64_t)1 << (eAttr % 64);
  if (w->aAttrSeen[eAttr / 64] & mBit) {
    html_bug(zFile, iLine, "atributo %s repetido en <%s>", aAttrInfo[eAttr].zName,
             aTagInfo[w->ePending].zName);
  }
  w->aAttrSeen[eAttr / 64] |= mBit;
  if (zValue == NULL) {
    return;
  }
  const AttrInfo *pInfo = &aAttrInfo[eAttr];
  buf_putc(w->pOut, ' ');
  buf_puts(w->pOut, pInfo->zName);
  if (pInfo->eKind == AK_BOOL) {
    if (zValue[0] != 0) {
      html_bug(zFile, iLine, "el atributo booleano %s recibe \"\" o NULL, no \"%s\"", pInfo->zName,
               clean_dup(zValue));
    }
    return;
  }
  buf_append(w->pOut, "=\"", 2);
  if (pInfo->eKind == AK_URL) {
    buf_clear(&w->scratch);
    put_clean(&w->scratch, zValue, strlen(zValue), ESC_NONE);
    if (url_is_allowed(buf_str(&w->scratch))) {
      put_clean(w->pOut, buf_str(&w->scratch), w->scratch.n, ESC_ATTR);
    } else {
      buf_putc(w->pOut, '#');
    }
  } else {
    put_clean(w->pOut, zValue, strlen(zValue), ESC_ATTR);
  }
  buf_putc(w->pOut, '"');
}

void html_open_at(HtmlW *w, const char *zFile, int iLine, HtmlTag eTag, ...) {
  if ((unsigned)eTag >= HTML__COUNT) {
    html_bug(zFile, iLine, "html_open: código de elemento desconocido %d", (int)eTag);
  }
  flush_pending(w);
  buf_putc(w->pOut, '<');
  buf_puts(w->pOut, aTagInfo[eTag].zName);
  w->bPending = true;
  w->ePending = eTag;
  memset(w->aAttrSeen, 0, sizeof w->aAttrSeen);
  va_list ap;
  va_start(ap, eTag);
  for (;;) {
    int iAttr = va_arg(ap, int);
    if (iAttr == HA_END) {
      break;
    }
    if (iAttr < 0 || iAttr >= HA__COUNT) {
      va_end(ap);
      html_bug(zFile, iLine,
               "html_open(<%s>): código de atributo desconocido %d (¿falta un valor?)",
               aTagInfo[eTag].zName, iAttr);
    }
    const char *zValue = va_arg(ap, const char *);
    write_attr(w, zFile, iLine, (HtmlAttr)iAttr, zValue);
  }
  va_end(ap);
  if (aTagInfo[eTag].mFlags & TF_VOID) {
    return;
  }
  if (w->nOpen == w->nOpenAlloc) {
    w->nOpenAlloc = w->nOpenAlloc ? w->nOpenAlloc * 2 : 16;
    w->aOpen = xrealloc(w->aOpen, (size_t)w->nOpenAlloc * sizeof w->aOpen[0]);
  }
  w->aOpen[w->nOpen++] = (HtmlOpen){eTag, zFile, iLine};
}

/* True when z is a valid data- attribute suffix: [a-z][a-z0-9-]*. */
static bool data_suffix_ok(const char *z) {
  if (z == NULL || !(z[0] >= 'a' && z[0] <= 'z')) {
    return false;
  }
  for (const char *p = z; *p; p++) {
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-')) {
      return false;
    }
  }
  return true;
}

void html_data_attr_at(HtmlW *w, const char *zFile, int iLine, const char *zSuffix,
                       const char *zValue) {
  if (!w->bPending) {
    html_bug(zFile, iLine, "html_data_attr: no sigue a un html_open");
  }
  if (!data_suffix_ok(zSuffix)) {
    html_bug(zFile, iLine, "html_data_attr: sufijo \"%s\" no válido (se espera [a-z][a-z0-9-]*)",
             clean_dup(zSuffix));
  }
  if (zValue == NULL) {
    return;
  }
  buf_append(w->pOut, " data-", 6);
  buf_puts(w->pOut, zSuffix);
  buf_append(w->pOut, "=\"", 2);
  put_clean(w->pOut, zValue, strlen(zValue), ESC_ATTR);
  buf_putc(w->pOut, '"');
}

void html_close_at(HtmlW *w, HtmlTag eTag, const char *zFile, int iLine) {
  if ((unsigned)eTag >= HTML__COUNT) {
    html_bug(zFile, iLine, "html_close: código de elemento desconocido %d", (int)eTag);
  }
  const char *zName = aTagInfo[eTag].zName;
  if (aTagInfo[eTag].mFlags & TF_VOID) {
    html_bug(zFile, iLine, "html_close(</%s>): <%s> es un elemento vacío y no se cierra", zName,
             zName);
  }
  if (w->nOpen == 0) {
    html_bug(zFile, iLine, "html_close(</%s>): no hay ningún elemento abierto", zName);
  }
  const HtmlOpen *pTop = &w->aOpen[w->nOpen - 1];
  if (pTop->eTag != eTag) {
    html_bug(zFile, iLine, "html_close(</%s>): el elemento abierto es <%s>, abierto en %s:%d",
             zName, aTagInfo[pTop->eTag].zName, pTop->zFile, pTop->iLine);
  }
  flush_pending(w);
  close_top(w);
}

void html_text(HtmlW *w, const char *z) {
  flush_pending(w);
  html_escape_text(w->pOut, z);
}

void html_textf(HtmlW *w, const char *zFmt, ...) {
  flush_pending(w);
  buf_clear(&w->scratch);
  va_list ap;
  va_start(ap, zFmt);
  buf_vappendf(&w->scratch, zFmt, ap);
  va_end(ap);
  put_clean(w->pOut, buf_str(&w->scratch), w->scratch.n, ESC_TEXT);
}

void html_elem_text_at(HtmlW *w, HtmlTag eTag, const char *z, const char *zFile, int iLine) {
  if ((unsigned)eTag < HTML__COUNT && (aTagInfo[eTag].mFlags & TF_VOID)) {
    html_bug(zFile, iLine, "html_elem_text(<%s>): un elemento vacío no lleva texto",
             aTagInfo[eTag].zName);
  }
  html_open_at(w, zFile, iLine, eTag, HA_END);
  html_text(w, z);
  html_close_at(w, eTag, zFile, iLine);
}

void html_raw_trusted_markup(HtmlW *w, const char *z) {
  flush_pending(w);
  buf_puts(w->pOut, z);
}

int html_depth(const HtmlW *w) {
  return w->nOpen;
}
