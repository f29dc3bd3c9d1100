/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** The HTML writer: every byte of HTML the product serves goes through it.
** It appends to a Buf the caller owns (the whole response is buffered, so a
** page that fails halfway can be thrown away with html_reset and replaced by
** an error page). Element and attribute names come from the HtmlTag and
** HtmlAttr enums, never from strings. Every value and every piece of text
** is escaped for its context: element text and attribute values escape
** & < > " ' and are cleaned (control characters other than tab, newline and
** carriage return are dropped, invalid UTF-8 becomes U+FFFD), so the output
** is always well-formed UTF-8; URL attributes (href, src, action,
** formaction) only accept relative URLs and the http, https, mailto and tel
** schemes, anything else (javascript:, data:, vbscript:, ...) is written as
** "#"; URL path segments and query values are percent-encoded (RFC 3986).
**
** The writer keeps a stack of open elements: html_close must name the
** element on top (anything else is a bug and panics with the caller's
** file:line in every build) and html_end closes whatever is still open.
** Void elements (br, col, hr, img, input, link, meta) are never pushed and
** never get a closing tag. Data for scripts goes in data- attributes
** (html_data_attr); there is no way to write inline script, inline style or
** event-handler attributes (the pages run under a Content-Security-Policy
** that forbids them anyway). Raw markup needs html_raw_trusted_literal (a
** string literal only) or html_raw_trusted_markup (markup compiled into the
** binary): reviewers grep for "html_raw_trusted".
**
** Formatting: a newline follows the closing tag of block-level elements and
** the start tag of pure containers (html, head, body, table sections,
** lists, select) so page sources read and diff well; inline elements and
** table cells are written without added white space. A start tag of
** textarea or pre is followed by one newline, which the HTML parser drops,
** so content that itself starts with a newline keeps it.
**
** This module does not write page layout (page_begin/page_end), headers,
** CSS or anything about routes; it does not check content models (a div
** inside a p is the caller's bug).
*/
#ifndef PARTICIPA_WEB_HTML_H
#define PARTICIPA_WEB_HTML_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/util.h"

/* Elements the writer knows, sorted by name. SVG elements are marked. There
** is deliberately no script, style, iframe, object, embed or base. */
typedef enum HtmlTag {
  HTML_A,
  HTML_ABBR,
  HTML_ARTICLE,
  HTML_ASIDE,
  HTML_BODY,
  HTML_BR, /* void */
  HTML_BUTTON,
  HTML_CAPTION,
  HTML_CIRCLE, /* SVG */
  HTML_CODE,
  HTML_COL, /* void */
  HTML_COLGROUP,
  HTML_DD,
  HTML_DESC, /* SVG */
  HTML_DETAILS,
  HTML_DIV,
  HTML_DL,
  HTML_DT,
  HTML_EM,
  HTML_FIELDSET,
  HTML_FIGCAPTION,
  HTML_FIGURE,
  HTML_FOOTER,
  HTML_FORM,
  HTML_G, /* SVG */
  HTML_H1,
  HTML_H2,
  HTML_H3,
  HTML_H4,
  HTML_HEAD,
  HTML_HEADER,
  HTML_HR, /* void */
  HTML_HTML,
  HTML_IMG,   /* void */
  HTML_INPUT, /* void */
  HTML_LABEL,
  HTML_LEGEND,
  HTML_LI,
  HTML_LINE, /* SVG */
  HTML_LINK, /* void */
  HTML_MAIN,
  HTML_MARK,
  HTML_META, /* void */
  HTML_METER,
  HTML_NAV,
  HTML_OL,
  HTML_OPTGROUP,
  HTML_OPTION,
  HTML_P,
  HTML_PATH,     /* SVG */
  HTML_POLYLINE, /* SVG */
  HTML_PRE,
  HTML_PROGRESS,
  HTML_RECT, /* SVG */
  HTML_SECTION,
  HTML_SELECT,
  HTML_SMALL,
  HTML_SPAN,
  HTML_STRONG,
  HTML_SUMMARY,
  HTML_SVG, /* SVG root, inline in the page */
  HTML_TABLE,
  HTML_TBODY,
  HTML_TD,
  HTML_TEXT, /* SVG <text> */
  HTML_TEXTAREA,
  HTML_TFOOT,
  HTML_TH,
  HTML_THEAD,
  HTML_TIME,
  HTML_TITLE, /* the document title, and SVG <title> */
  HTML_TR,
  HTML_TSPAN, /* SVG */
  HTML_UL,
  HTML__COUNT /* number of elements; not an element */
} HtmlTag;

/* Attributes the writer knows, sorted by name after the HA_END sentinel.
** Boolean attributes (marked) take "" and are written bare; URL attributes
** (marked) go through the scheme check. There are deliberately no on*
** event handlers, no style and no srcset; data- attributes go through
** html_data_attr. */
typedef enum HtmlAttr {
  HA_END = 0, /* ends an attribute list; not an attribute */
  HA_ACCEPT,
  HA_ACTION, /* URL */
  HA_ALT,
  HA_ARIA_CONTROLS,
  HA_ARIA_CURRENT,
  HA_ARIA_DESCRIBEDBY,
  HA_ARIA_EXPANDED,
  HA_ARIA_HIDDEN,
  HA_ARIA_INVALID,
  HA_ARIA_LABEL,
  HA_ARIA_LABELLEDBY,
  HA_ARIA_LIVE,
  HA_ARIA_REQUIRED,
  HA_ARIA_SORT,
  HA_AUTOCOMPLETE,
  HA_AUTOFOCUS, /* boolean */
  HA_CHARSET,
  HA_CHECKED, /* boolean */
  HA_CLASS,
  HA_COLS,
  HA_COLSPAN,
  HA_CONTENT,
  HA_CX,
  HA_CY,
  HA_D,
  HA_DATETIME,
  HA_DISABLED, /* boolean */
  HA_ENCTYPE,
  HA_FILL,
  HA_FOCUSABLE,
  HA_FOR,
  HA_FORMACTION, /* URL */
  HA_HEADERS,
  HA_HEIGHT,
  HA_HIDDEN, /* boolean */
  HA_HIGH,
  HA_HREF, /* URL */
  HA_ID,
  HA_INPUTMODE,
  HA_LABEL,
  HA_LANG,
  HA_LOW,
  HA_MAX,
  HA_MAXLENGTH,
  HA_METHOD,
  HA_MIN,
  HA_MINLENGTH,
  HA_MULTIPLE, /* boolean */
  HA_NAME,
  HA_NOVALIDATE, /* boolean */
  HA_OPEN,       /* boolean */
  HA_OPTIMUM,
  HA_PATTERN,
  HA_PLACEHOLDER,
  HA_POINTS,
  HA_R,
  HA_READONLY, /* boolean */
  HA_REL,
  HA_REQUIRED, /* boolean */
  HA_ROLE,
  HA_ROWS,
  HA_ROWSPAN,
  HA_SCOPE,
  HA_SELECTED, /* boolean */
  HA_SIZE,
  HA_SPAN,
  HA_SRC, /* URL */
  HA_STEP,
  HA_STROKE,
  HA_STROKE_WIDTH,
  HA_TABINDEX,
  HA_TEXT_ANCHOR,
  HA_TITLE,
  HA_TRANSFORM,
  HA_TYPE,
  HA_VALUE,
  HA_VIEWBOX,
  HA_WIDTH,
  HA_X,
  HA_X1,
  HA_X2,
  HA_Y,
  HA_Y1,
  HA_Y2,
  HA__COUNT /* number of attribute codes; not an attribute */
} HtmlAttr;

/* One open element on the writer's stack. */
typedef struct HtmlOpen {
  HtmlTag eTag;      /* the element */
  const char *zFile; /* source file of the html_open call (a literal: __FILE__) */
  int iLine;         /* source line of the html_open call */
} HtmlOpen;

#define HTML_ATTR_WORDS ((HA__COUNT + 63) / 64) /* 64-bit words in an attribute set */

/* The writer. Initialise with html_init; it owns only its stack and
** scratch space, which html_end and html_reset release, so every use ends
** with one of them. One writer per response; not shared between threads. */
typedef struct HtmlW {
  Buf *pOut;                           /* where the markup goes (borrowed; caller owns) */
  HtmlOpen *aOpen;                     /* open elements, outermost first */
  int nOpen;                           /* elements in aOpen */
  int nOpenAlloc;                      /* slots allocated in aOpen */
  bool bPending;                       /* a start tag is written up to its attributes */
  HtmlTag ePending;                    /* that start tag's element, when bPending */
  uint64_t aAttrSeen[HTML_ATTR_WORDS]; /* attributes already on the pending start tag */
  Buf scratch;                         /* reusable space for formatting and cleaning */
} HtmlW;

/* Start writing into pOut (appending to what it holds). Cannot fail. */
void html_init(HtmlW *w, Buf *pOut);

/* Throw away everything written: empty the output Buf (keeping its memory),
** the stack and any pending start tag, and release the writer's own
** memory. The writer stays usable on the same Buf (to write an error page
** instead). Cannot fail. */
void html_reset(HtmlW *w);

/* Finish the start tag being written, close every open element innermost
** first, and release the writer's own memory. The writer stays usable.
** Cannot fail. */
void html_end(HtmlW *w);

/* Write "<!DOCTYPE html>" and a newline. Panics unless nothing is open. */
void html_doctype(HtmlW *w);

/* Write the start tag of eTag with the attributes given as (HtmlAttr, const
** char *value) pairs, optionally ended by HA_END (the macro adds one):
**   html_open(w, HTML_A, HA_HREF, zUrl, HA_CLASS, "boton");
** A NULL value omits the attribute; a boolean attribute takes "" and is
** written bare (any other value is a bug); every value is cleaned and
** escaped, and URL attributes are checked (see above). The element is
** pushed on the stack unless it is void. The start tag is left open until
** the next call, so html_data_attr can add data- attributes to it. A code
** outside HtmlAttr, a repeated attribute or a tag outside HtmlTag is a bug
** and panics with the caller's file:line. */
#define html_open(w, ...) html_open_at((w), __FILE__, __LINE__, __VA_ARGS__, HA_END)
void html_open_at(HtmlW *w, const char *zFile, int iLine, HtmlTag eTag, ...);

/* Add data-<zSuffix>="<zValue>" to the start tag html_open just wrote (no
** other call in between; anything else is a bug). zSuffix must match
** [a-z][a-z0-9-]* (anything else is a bug and panics): it is a name chosen
** by our code, never by input. A NULL value omits the attribute; the value
** is cleaned and escaped like any attribute value. */
#define html_data_attr(w, zSuffix, zValue)                                                         \
  html_data_attr_at((w), __FILE__, __LINE__, zSuffix, zValue)
void html_data_attr_at(HtmlW *w, const char *zFile, int iLine, const char *zSuffix,
                       const char *zValue);

/* Close eTag, which must be the innermost open element; anything else
** (another element, a void element, nothing open) is a bug and panics with
** the caller's file:line and where the open element was opened. */
#define html_close(w, eTag) html_close_at((w), (eTag), __FILE__, __LINE__)
void html_close_at(HtmlW *w, HtmlTag eTag, const char *zFile, int iLine);

/* Write z (NULL writes nothing) as element text, cleaned and escaped. */
void html_text(HtmlW *w, const char *z);

/* Format like printf and write the result as element text, cleaned and
** escaped (the whole result, format text included). */
void html_textf(HtmlW *w, const char *zFmt, ...) PRINTF_LIKE(2, 3);

/* Open eTag without attributes, write z as its text, close it:
** html_elem_text(w, HTML_TD, zName). eTag must not be void (a bug). */
#define html_elem_text(w, eTag, z) html_elem_text_at((w), (eTag), (z), __FILE__, __LINE__)
void html_elem_text_at(HtmlW *w, HtmlTag eTag, const char *z, const char *zFile, int iLine);

/* Write a string literal as markup, unescaped. The macro only accepts a
** string literal ("" z "" does not compile otherwise). For our own fixed
** markup only (an entity, a comment), never anything built from data. */
#define html_raw_trusted_literal(w, zLiteral) html_raw_trusted_markup((w), "" zLiteral "")

/* Write z as markup, unescaped. For markup compiled into the binary (an
** inline SVG icon from the built-in assets) only: never anything that
** came from a request, the database or a file. The caller keeps the
** element stack right (z must leave nothing open). */
void html_raw_trusted_markup(HtmlW *w, const char *z);

/* Number of elements open (not counting a pending void element). */
int html_depth(const HtmlW *w);

/* The name of a tag or attribute ("a", "aria-label", "viewBox"); the
** codes must be valid (a bug otherwise). Static strings. */
const char *html_tag_name(HtmlTag eTag);
const char *html_attr_name(HtmlAttr eAttr);

/* ---- escapers on a Buf, one per context --------------------------------- */

/* Append z (NULL appends nothing) cleaned and escaped for element text:
** & < > " ' become &amp; &lt; &gt; &quot; &#39;, control characters other
** than tab, newline and carriage return (U+0000..U+001F, U+007F..U+009F)
** are dropped, and each invalid UTF-8 sequence becomes U+FFFD. */
void html_escape_text(Buf *pOut, const char *z);

/* Append z (NULL appends nothing) cleaned and escaped for a double-quoted
** attribute value: as html_escape_text, and tab, newline and carriage
** return become &#9; &#10; &#13; (so a value round-trips through a form
** exactly). Does not check URL schemes: html_open does. */
void html_escape_attr(Buf *pOut, const char *z);

/* Append z (NULL appends nothing) percent-encoded as one URL path segment
** (RFC 3986): every byte except A-Z a-z 0-9 - . _ ~ becomes %XX (upper
** case hex), "/" included. "Secretaría de Participación" becomes
** "Secretar%C3%ADa%20de%20Participaci%C3%B3n". Bytes are encoded as they
** are (no UTF-8 cleaning), so the server decodes exactly what was given.
** A segment of "", "." or ".." is the caller's to avoid. */
void html_url_path(Buf *pOut, const char *zSegment);

/* Append "?" (bFirst) or "&", then zKey "=" zValue, both percent-encoded as
** html_url_path does (so space is %20 and & = # + / ? are encoded). A NULL
** value is written as empty. */
void html_url_query(Buf *pOut, const char *zKey, const char *zValue, bool bFirst);

#endif
