/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** A small streaming JSON writer into a Buf, for large outputs (reports of
** 100,000 activities) where building a jansson tree would cost hundreds of
** megabytes. It writes; it does not check that the caller nests correctly
** beyond comma placement. Reading JSON uses jansson.
*/
#ifndef PARTICIPA_IO_JSONW_H
#define PARTICIPA_IO_JSONW_H

#include <stdbool.h>

#include "base/buf.h"

#define JSONW_MAX_DEPTH 16 /* nesting the writer tracks */

typedef struct JsonW {
  Buf *pOut;                       /* where the text goes (borrowed) */
  int iDepth;                      /* current nesting */
  bool abFirst[JSONW_MAX_DEPTH];   /* no member/element written yet at each depth */
  bool bAfterKey;                  /* a key was just written: no comma before the value */
  int nPrettyDepth;                /* deeper containers are written on one line */
} JsonW;

/* Start writing into pOut, every level on its own indented lines. */
void jsonw_init(JsonW *w, Buf *pOut);
/* Containers nested deeper than nDepth go on one line ({"a": 1, "b": 2}),
** which keeps a list of 100,000 records readable line by line and smaller. */
void jsonw_set_pretty_depth(JsonW *w, int nDepth);
void jsonw_object_begin(JsonW *w);
void jsonw_object_end(JsonW *w);
void jsonw_array_begin(JsonW *w);
void jsonw_array_end(JsonW *w);
/* A member name inside an object; the next call writes its value. */
void jsonw_key(JsonW *w, const char *zKey);
/* Values. jsonw_string(NULL) writes null. */
void jsonw_string(JsonW *w, const char *z);
void jsonw_int(JsonW *w, long long v);
/* A number with up to nDecimals decimals, trailing zeros kept (fixed form). */
void jsonw_fixed(JsonW *w, double v, int nDecimals);
/* A number in shortest round-trip-ish form (%.15g). */
void jsonw_number(JsonW *w, double v);
void jsonw_bool(JsonW *w, bool b);
void jsonw_null(JsonW *w);

/* Append z as a JSON string literal (quotes included) to pOut. */
void jsonw_escape(Buf *pOut, const char *z);

#endif
