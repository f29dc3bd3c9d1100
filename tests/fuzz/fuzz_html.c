/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** libFuzzer target for the HTML writer (src/web/html.c). The input is cut
** at NUL bytes: the first piece is a program, the others are texts.
**
** Every text goes through every escaper, and each output is checked:
** text and attribute escapes are valid UTF-8 with no < > " ' or control
** characters left, every & starts one of the writer's references, and
** escaping is stable (unescaping and escaping again gives the same bytes);
** URL path and query encodings hold only unreserved characters and %XX and
** decode back to the exact input; a text used as href never reaches the
** browser as a javascript:, data: or vbscript: URL (checked by an oracle
** written independently of the writer's own check).
**
** The program then drives a writer through a random valid sequence of
** opens (random attributes and values), closes, texts, data- attributes and
** resets, and the page must be valid UTF-8 with exactly one < and one >
** per tag written, two " per valued attribute, no ' at all, no control
** characters, and tags that nest and close correctly. Any failure aborts.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/text.h"
#include "base/util.h"
#include "web/html.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_PIECES 16   /* texts taken from one input */
#define FUZZ_MAX_OPS    2000 /* program steps run from one input */

/* Boolean attributes: their value must be "" (or NULL). */
static bool attr_is_boolean(HtmlAttr e) {
  return e == HA_AUTOFOCUS || e == HA_CHECKED || e == HA_DISABLED || e == HA_HIDDEN ||
         e == HA_MULTIPLE || e == HA_NOVALIDATE || e == HA_OPEN || e == HA_READONLY ||
         e == HA_REQUIRED || e == HA_SELECTED;
}

/* True when tag zName (n bytes) is void. */
static bool name_is_void(const char *zName, size_t n) {
  static const char *const az[] = {"br", "col", "hr", "img", "input", "link", "meta"};
  for (size_t i = 0; i < sizeof az / sizeof az[0]; i++) {
    if (strlen(az[i]) == n && memcmp(az[i], zName, n) == 0) {
      return true;
    }
  }
  return false;
}

/* Abort when the n bytes at z hold a control character other than \t \n \r
** (C0, DEL, or C1 as UTF-8) or are not valid UTF-8. */
static void check_clean(const char *z, size_t n) {
  ASSERT(text_is_utf8(z, n));
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)z[i];
    ASSERT(c >= 0x20 || c == '\t' || c == '\n' || c == '\r');
    ASSERT(c != 0x7F);
    if (c == 0xC2 && i + 1 < n) {
      unsigned char d = (unsigned char)z[i + 1];
      ASSERT(d < 0x80 || d > 0x9F);
    }
  }
}

/* A character reference the writer may produce and what it stands for. */
typedef struct Ref {
  const char *zRef; /* the reference */
  char c;           /* the character */
  bool bAttrOnly;   /* only in attribute values */
} Ref;

static const Ref aRef[] = {
    {"&amp;", '&', false},  {"&lt;", '<', false}, {"&gt;", '>', false},  {"&quot;", '"', false},
    {"&#39;", '\'', false}, {"&#9;", '\t', true}, {"&#10;", '\n', true}, {"&#13;", '\r', true},
};

/* Check an escaped text (bAttr: attribute value) and return its unescaped
** form. Caller frees. */
static char *check_escaped_dup(const char *z, size_t n, bool bAttr) {
  check_clean(z, n);
  Buf out = BUF_INIT;
  for (size_t i = 0; i < n; i++) {
    char c = z[i];
    ASSERT(c != '<' && c != '>' && c != '"' && c != '\'');
    ASSERT(!bAttr || (c != '\t' && c != '\n' && c != '\r'));
    if (c != '&') {
      buf_putc(&out, c);
      continue;
    }
    const Ref *pRef = NULL;
    for (size_t k = 0; k < sizeof aRef / sizeof aRef[0] && pRef == NULL; k++) {
      size_t nRef = strlen(aRef[k].zRef);
      if ((bAttr || !aRef[k].bAttrOnly) && nRef <= n - i &&
          memcmp(z + i, aRef[k].zRef, nRef) == 0) {
        pRef = &aRef[k];
      }
    }
    ASSERT(pRef != NULL);
    buf_putc(&out, pRef->c);
    i += strlen(pRef->zRef) - 1;
  }
  return buf_take(&out);
}

/* Check that z[0..n) is a percent-encoding (unreserved and %XX only) and
** append what it decodes to to pOut. */
static void check_percent(const char *z, size_t n, Buf *pOut) {
  for (size_t i = 0; i < n; i++) {
    char c = z[i];
    if (c == '%') {
      ASSERT(i + 2 < n);
      int hi = text_hex_digit(z[i + 1]);
      int lo = text_hex_digit(z[i + 2]);
      ASSERT(hi >= 0 && lo >= 0);
      unsigned char b = (unsigned char)(hi * 16 + lo);
      /* unreserved bytes are never encoded */
      ASSERT(!((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') ||
               b == '-' || b == '.' || b == '_' || b == '~'));
      buf_putc(pOut, (char)b);
      i += 2;
      continue;
    }
    ASSERT((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~');
    buf_putc(pOut, c);
  }
}

/* The oracle for URL attributes: z is the value as the browser sees it
** (references decoded). Leading C0 controls and spaces are skipped, tabs
** and newlines removed, case folded; it must not start with a dangerous
** scheme. */
static void check_url_safe(const char *z) {
  Buf b = BUF_INIT;
  const unsigned char *p = (const unsigned char *)z;
  while (*p != 0 && *p <= 0x20) {
    p++;
  }
  for (; *p; p++) {
    if (*p == '\t' || *p == '\n' || *p == '\r') {
      continue;
    }
    buf_putc(&b, (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p));
  }
  const char *zLow = buf_str(&b);
  ASSERT(strncmp(zLow, "javascript:", 11) != 0);
  ASSERT(strncmp(zLow, "data:", 5) != 0);
  ASSERT(strncmp(zLow, "vbscript:", 9) != 0);
  buf_reset(&b);
}

/* Abort unless a and b hold the same ASCII tabs, newlines, carriage
** returns and printable characters in the same order: cleaning only drops
** other controls and changes non-ASCII bytes. */
static void check_same_ascii(const char *a, const char *b) {
  for (;;) {
    while (*a && !((*a >= 0x20 && *a < 0x7F) || *a == '\t' || *a == '\n' || *a == '\r')) {
      a++;
    }
    while (*b && !((*b >= 0x20 && *b < 0x7F) || *b == '\t' || *b == '\n' || *b == '\r')) {
      b++;
    }
    ASSERT(*a == *b);
    if (*a == 0) {
      return;
    }
    a++;
    b++;
  }
}

/* Run zText through every escaper and check each result. */
static void check_escapers(const char *zText) {
  Buf b = BUF_INIT;
  html_escape_text(&b, zText);
  char *zPlain = check_escaped_dup(b.z ? b.z : "", b.n, false);
  check_same_ascii(zPlain, zText);
  Buf again = BUF_INIT;
  html_escape_text(&again, zPlain);
  ASSERT(strcmp(buf_str(&again), buf_str(&b)) == 0);
  free(zPlain);
  buf_clear(&again);

  buf_clear(&b);
  html_escape_attr(&b, zText);
  zPlain = check_escaped_dup(b.z ? b.z : "", b.n, true);
  check_same_ascii(zPlain, zText);
  html_escape_attr(&again, zPlain);
  ASSERT(strcmp(buf_str(&again), buf_str(&b)) == 0);
  free(zPlain);
  buf_reset(&again);

  /* URL path segment: decodes to the exact input. */
  buf_clear(&b);
  html_url_path(&b, zText);
  Buf dec = BUF_INIT;
  check_percent(buf_str(&b), b.n, &dec);
  ASSERT(strcmp(buf_str(&dec), zText) == 0);
  buf_clear(&dec);

  /* Query: ?k=v&k=v, each side decodes to the input. */
  buf_clear(&b);
  html_url_query(&b, zText, zText, true);
  html_url_query(&b, "k", zText, false);
  const char *z = buf_str(&b);
  ASSERT(z[0] == '?');
  const char *zEq = strchr(z, '=');
  ASSERT(zEq != NULL);
  check_percent(z + 1, (size_t)(zEq - z - 1), &dec);
  ASSERT(strcmp(buf_str(&dec), zText) == 0);
  buf_clear(&dec);
  const char *zAmp = strchr(zEq, '&');
  ASSERT(zAmp != NULL && strncmp(zAmp, "&k=", 3) == 0);
  check_percent(zEq + 1, (size_t)(zAmp - zEq - 1), &dec);
  ASSERT(strcmp(buf_str(&dec), zText) == 0);
  buf_clear(&dec);
  check_percent(zAmp + 3, strlen(zAmp + 3), &dec);
  ASSERT(strcmp(buf_str(&dec), zText) == 0);
  buf_reset(&dec);

  /* URL attribute: never a dangerous scheme once the browser decodes it. */
  buf_clear(&b);
  HtmlW w;
  html_init(&w, &b);
  html_open(&w, HTML_A, HA_HREF, zText, HA_END);
  html_end(&w);
  z = buf_str(&b);
  ASSERT(strncmp(z, "<a href=\"", 9) == 0);
  const char *zEnd = strchr(z + 9, '"');
  ASSERT(zEnd != NULL && strcmp(zEnd, "\"></a>") == 0);
  zPlain = check_escaped_dup(z + 9, (size_t)(zEnd - z - 9), true);
  check_url_safe(zPlain);
  free(zPlain);
  buf_reset(&b);
}

/* Check the structure of a whole page: every < starts a known start or
** end tag, tags nest, void tags are never closed; returns the number of
** tags. Text between tags cannot hold < or > (checked by the counts). */
static size_t check_structure(const char *z) {
  Buf stack = BUF_INIT; /* open tag names, each followed by a space */
  size_t nTag = 0;
  for (const char *p = strchr(z, '<'); p != NULL; p = strchr(p + 1, '<')) {
    nTag++;
    bool bEnd = p[1] == '/';
    const char *zName = p + 1 + bEnd;
    size_t nName = strspn(zName, "abcdefghijklmnopqrstuvwxyz0123456789");
    ASSERT(nName > 0);
    ASSERT(zName[nName] == '>' || (!bEnd && zName[nName] == ' '));
    bool bKnown = false;
    for (int i = 0; i < HTML__COUNT && !bKnown; i++) {
      const char *zKnown = html_tag_name((HtmlTag)i);
      bKnown = strlen(zKnown) == nName && memcmp(zKnown, zName, nName) == 0;
    }
    ASSERT(bKnown);
    if (name_is_void(zName, nName)) {
      ASSERT(!bEnd);
      continue;
    }
    if (!bEnd) {
      buf_append(&stack, zName, nName);
      buf_putc(&stack, ' ');
      continue;
    }
    /* pop: the last name in the stack must be this one */
    ASSERT(stack.n >= nName + 1);
    ASSERT(memcmp(stack.z + stack.n - nName - 1, zName, nName) == 0);
    ASSERT(stack.n == nName + 1 || stack.z[stack.n - nName - 2] == ' ');
    stack.n -= nName + 1;
    stack.z[stack.n] = 0;
  }
  ASSERT(stack.n == 0);
  buf_reset(&stack);
  return nTag;
}

/* Counters for one page of the program. */
typedef struct Expect {
  size_t nTag;   /* tags written: each one < and one > */
  size_t nQuote; /* " written: two per valued attribute */
} Expect;

/* Check the page in pOut against what the program wrote. */
static void check_page(const Buf *pOut, const Expect *pExp) {
  const char *z = buf_str(pOut);
  check_clean(z, pOut->n);
  ASSERT(strlen(z) == pOut->n);
  size_t nLt = 0;
  size_t nGt = 0;
  size_t nQuote = 0;
  for (size_t i = 0; i < pOut->n; i++) {
    nLt += z[i] == '<';
    nGt += z[i] == '>';
    nQuote += z[i] == '"';
    ASSERT(z[i] != '\'');
  }
  ASSERT(nLt == pExp->nTag && nGt == pExp->nTag);
  ASSERT(nQuote == pExp->nQuote);
  ASSERT(check_structure(z) == pExp->nTag);
}

/* The program: bytes read one at a time, and the texts it picks from. */
typedef struct Prog {
  const unsigned char *p; /* program bytes */
  size_t n;               /* number of program bytes */
  size_t i;               /* next byte to read */
  char **azText;          /* the texts */
  int nText;              /* number of texts */
} Prog;

/* The next program byte, 0 past the end. */
static unsigned prog_next(Prog *pProg) {
  return pProg->i < pProg->n ? pProg->p[pProg->i++] : 0;
}

/* A text chosen by the next program byte. */
static const char *prog_text(Prog *pProg) {
  if (pProg->nText == 0) {
    return "<&>\"'";
  }
  return pProg->azText[prog_next(pProg) % (unsigned)pProg->nText];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* Cut the input at NULs: piece 0 is the program, the rest are texts. */
  char *azPiece[FUZZ_MAX_PIECES];
  int nPiece = 0;
  size_t iStart = 0;
  for (size_t i = 0; i <= size && nPiece < FUZZ_MAX_PIECES; i++) {
    if (i == size || data[i] == 0) {
      azPiece[nPiece++] = xstrndup((const char *)data + iStart, i - iStart);
      iStart = i + 1;
    }
  }
  for (int i = 0; i < nPiece; i++) {
    check_escapers(azPiece[i]);
  }
  Prog prog = {(const unsigned char *)azPiece[0], strlen(azPiece[0]), 0, azPiece + 1, nPiece - 1};
#define NEXT() prog_next(&prog)
#define TEXT() prog_text(&prog)

  Buf out = BUF_INIT;
  HtmlW w;
  html_init(&w, &out);
  Expect exp = {0, 0};
  bool bJustOpened = false;
  HtmlTag aStack[FUZZ_MAX_OPS]; /* the program's own view of the open elements */
  int nStack = 0;
  for (int nOp = 0; prog.i < prog.n && nOp < FUZZ_MAX_OPS; nOp++) {
    unsigned op = NEXT() % 8;
    bool bOpened = false;
    switch (op) {
    case 0:
    case 1: {
      HtmlTag eTag = (HtmlTag)(NEXT() % HTML__COUNT);
      /* up to three distinct attributes with texts, NULL or "" */
      HtmlAttr aAttr[3] = {HA_END, HA_END, HA_END};
      const char *azVal[3] = {NULL, NULL, NULL};
      int nAttr = NEXT() % 4;
      for (int i = 0; i < nAttr; i++) {
        HtmlAttr e = (HtmlAttr)(1 + NEXT() % (HA__COUNT - 1));
        for (int j = 0; j < i; j++) {
          if (aAttr[j] == e) {
            e = HA_END;
          }
        }
        aAttr[i] = e;
        if (e == HA_END) {
          continue;
        }
        unsigned v = NEXT() % 4;
        azVal[i] = attr_is_boolean(e) ? (v == 0 ? NULL : "") : (v == 0 ? NULL : TEXT());
        if (azVal[i] != NULL && !attr_is_boolean(e)) {
          exp.nQuote += 2;
        }
      }
      /* HA_END in a slot ends the list early, as in real calls */
      int nBefore = html_depth(&w);
      html_open(&w, eTag, aAttr[0], azVal[0], aAttr[1], azVal[1], aAttr[2], azVal[2]);
      exp.nTag++;
      if (html_depth(&w) > nBefore) {
        aStack[nStack++] = eTag;
      }
      /* attributes after an early HA_END were not written */
      for (int i = 0; i < 3; i++) {
        if (aAttr[i] == HA_END) {
          for (int j = i + 1; j < 3; j++) {
            if (aAttr[j] != HA_END && azVal[j] != NULL && !attr_is_boolean(aAttr[j])) {
              exp.nQuote -= 2;
            }
          }
          break;
        }
      }
      bOpened = true;
      break;
    }
    case 2:
      if (nStack > 0) {
        html_close(&w, aStack[--nStack]);
        exp.nTag++;
      }
      break;
    case 3:
      html_text(&w, TEXT());
      break;
    case 4: {
      const char *zText = TEXT();
      html_textf(&w, "%s|%d", zText, (int)NEXT() - 128);
    } break;
    case 5:
      if (bJustOpened) {
        char aSuffix[3] = {0, 0, 0};
        aSuffix[0] = (char)('a' + NEXT() % 26);
        aSuffix[1] = "a-9"[NEXT() % 3];
        const char *zVal = NEXT() % 4 == 0 ? NULL : TEXT();
        html_data_attr(&w, aSuffix, zVal);
        exp.nQuote += zVal ? 2 : 0;
        bOpened = true; /* still right after the open */
      }
      break;
    case 6: {
      HtmlTag eTag = (HtmlTag)(NEXT() % HTML__COUNT);
      if (eTag != HTML_BR && eTag != HTML_COL && eTag != HTML_HR && eTag != HTML_IMG &&
          eTag != HTML_INPUT && eTag != HTML_LINK && eTag != HTML_META) {
        html_elem_text(&w, eTag, TEXT());
        exp.nTag += 2;
      }
      break;
    }
    default:
      if (NEXT() % 8 == 0) {
        html_reset(&w);
        exp = (Expect){0, 0};
        nStack = 0;
      } else {
        html_text(&w, "");
      }
      break;
    }
    bJustOpened = bOpened;
  }
  exp.nTag += (size_t)nStack;
  ASSERT(html_depth(&w) == nStack);
  html_end(&w);
  check_page(&out, &exp);
  buf_reset(&out);
  for (int i = 0; i < nPiece; i++) {
    free(azPiece[i]);
  }
  return 0;
}
