/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Streaming JSON writer (see jsonw.h).
*/
#include "io/jsonw.h"

#include <math.h>
#include <string.h>

void jsonw_init(JsonW *w, Buf *pOut) {
  memset(w, 0, sizeof *w);
  w->pOut = pOut;
  w->abFirst[0] = true;
  w->nPrettyDepth = JSONW_MAX_DEPTH;
}

void jsonw_set_pretty_depth(JsonW *w, int nDepth) {
  w->nPrettyDepth = nDepth;
}

/* Write the comma (and newline indentation) before a value or key. */
static void before_item(JsonW *w) {
  if (w->bAfterKey) {
    w->bAfterKey = false;
    return;
  }
  bool bFirst = w->abFirst[w->iDepth];
  if (!bFirst) {
    buf_putc(w->pOut, ',');
  }
  w->abFirst[w->iDepth] = false;
  if (w->iDepth > w->nPrettyDepth) {
    if (!bFirst) {
      buf_putc(w->pOut, ' ');
    }
  } else if (w->iDepth > 0) {
    buf_putc(w->pOut, '\n');
    for (int i = 0; i < w->iDepth; i++) {
      buf_append(w->pOut, "  ", 2);
    }
  }
}

/* Open a container with character c. */
static void open_container(JsonW *w, char c) {
  before_item(w);
  buf_putc(w->pOut, c);
  ASSERT(w->iDepth + 1 < JSONW_MAX_DEPTH);
  w->iDepth++;
  w->abFirst[w->iDepth] = true;
}

/* Close a container with character c. */
static void close_container(JsonW *w, char c) {
  bool bEmpty = w->abFirst[w->iDepth];
  bool bPretty = w->iDepth <= w->nPrettyDepth;
  ASSERT(w->iDepth > 0);
  w->iDepth--;
  if (!bEmpty && bPretty) {
    buf_putc(w->pOut, '\n');
    for (int i = 0; i < w->iDepth; i++) {
      buf_append(w->pOut, "  ", 2);
    }
  }
  buf_putc(w->pOut, c);
}

void jsonw_object_begin(JsonW *w) {
  open_container(w, '{');
}

void jsonw_object_end(JsonW *w) {
  close_container(w, '}');
}

void jsonw_array_begin(JsonW *w) {
  open_container(w, '[');
}

void jsonw_array_end(JsonW *w) {
  close_container(w, ']');
}

void jsonw_key(JsonW *w, const char *zKey) {
  before_item(w);
  jsonw_escape(w->pOut, zKey);
  buf_append(w->pOut, ": ", 2);
  w->bAfterKey = true;
}

void jsonw_escape(Buf *p, const char *z) {
  static const char aHex[] = "0123456789abcdef";
  buf_putc(p, '"');
  const char *zRun = z;
  for (; *z; z++) {
    unsigned char c = (unsigned char)*z;
    if (c >= 0x20 && c != '"' && c != '\\') {
      continue;
    }
    buf_append(p, zRun, (size_t)(z - zRun));
    zRun = z + 1;
    switch (c) {
    case '"':
      buf_append(p, "\\\"", 2);
      break;
    case '\\':
      buf_append(p, "\\\\", 2);
      break;
    case '\n':
      buf_append(p, "\\n", 2);
      break;
    case '\r':
      buf_append(p, "\\r", 2);
      break;
    case '\t':
      buf_append(p, "\\t", 2);
      break;
    default: {
      char a[6] = {'\\', 'u', '0', '0', aHex[c >> 4], aHex[c & 15]};
      buf_append(p, a, 6);
    }
    }
  }
  buf_append(p, zRun, (size_t)(z - zRun));
  buf_putc(p, '"');
}

void jsonw_string(JsonW *w, const char *z) {
  before_item(w);
  if (z == NULL) {
    buf_append(w->pOut, "null", 4);
  } else {
    jsonw_escape(w->pOut, z);
  }
}

void jsonw_int(JsonW *w, long long v) {
  before_item(w);
  buf_put_int(w->pOut, v);
}

void jsonw_fixed(JsonW *w, double v, int nDecimals) {
  before_item(w);
  if (!isfinite(v)) {
    buf_append(w->pOut, "null", 4);
  } else {
    buf_put_fixed(w->pOut, v, nDecimals);
  }
}

void jsonw_number(JsonW *w, double v) {
  before_item(w);
  if (!isfinite(v)) {
    buf_append(w->pOut, "null", 4);
  } else if (fabs(v - floor(v)) < 1e-12 && fabs(v) < 1e15) {
    buf_put_int(w->pOut, (long long)v);
  } else {
    buf_appendf(w->pOut, "%.15g", v);
  }
}

void jsonw_bool(JsonW *w, bool b) {
  before_item(w);
  buf_puts(w->pOut, b ? "true" : "false");
}

void jsonw_null(JsonW *w) {
  before_item(w);
  buf_append(w->pOut, "null", 4);
}
