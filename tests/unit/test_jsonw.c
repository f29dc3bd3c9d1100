/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Tests for the streaming JSON writer (src/io/jsonw.c): escaping, nesting,
** commas, the one-line depth, numbers.
*/
#include <criterion/criterion.h>

#include "io/jsonw.h"

Test(jsonw, escape) {
  Buf b = BUF_INIT;
  jsonw_escape(&b, "a\"b\\c\nd\te\x01 ñ");
  cr_assert_str_eq(buf_str(&b), "\"a\\\"b\\\\c\\nd\\te\\u0001 ñ\"");
  buf_reset(&b);
}

Test(jsonw, nested_pretty) {
  Buf b = BUF_INIT;
  JsonW w;
  jsonw_init(&w, &b);
  jsonw_object_begin(&w);
  jsonw_key(&w, "a");
  jsonw_int(&w, -12);
  jsonw_key(&w, "l");
  jsonw_array_begin(&w);
  jsonw_string(&w, "x");
  jsonw_null(&w);
  jsonw_array_end(&w);
  jsonw_key(&w, "e");
  jsonw_array_begin(&w);
  jsonw_array_end(&w);
  jsonw_object_end(&w);
  cr_assert_str_eq(buf_str(&b), "{\n  \"a\": -12,\n  \"l\": [\n    \"x\",\n    null\n  ],\n"
                                "  \"e\": []\n}");
  buf_reset(&b);
}

Test(jsonw, one_line_below_depth) {
  Buf b = BUF_INIT;
  JsonW w;
  jsonw_init(&w, &b);
  jsonw_set_pretty_depth(&w, 1);
  jsonw_array_begin(&w);
  jsonw_object_begin(&w);
  jsonw_key(&w, "n");
  jsonw_fixed(&w, 0.39869, 4);
  jsonw_key(&w, "t");
  jsonw_array_begin(&w);
  jsonw_bool(&w, true);
  jsonw_number(&w, 2.5);
  jsonw_array_end(&w);
  jsonw_object_end(&w);
  jsonw_object_begin(&w);
  jsonw_object_end(&w);
  jsonw_array_end(&w);
  cr_assert_str_eq(buf_str(&b), "[\n  {\"n\": 0.3987, \"t\": [true, 2.5]},\n  {}\n]");
  buf_reset(&b);
}

Test(jsonw, numbers) {
  Buf b = BUF_INIT;
  buf_put_fixed(&b, 1.0, 4);
  buf_putc(&b, ' ');
  buf_put_fixed(&b, -0.00004, 4);
  buf_putc(&b, ' ');
  buf_put_fixed(&b, 2.99995, 4);
  buf_putc(&b, ' ');
  buf_put_int(&b, -9223372036854775807LL - 1);
  cr_assert_str_eq(buf_str(&b), "1.0000 0.0000 3.0000 -9223372036854775808");
  buf_reset(&b);
}
