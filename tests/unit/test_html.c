/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Tests for the HTML writer (src/web/html.c): exact output of every escaper
** and context (element text, attribute value, URL attribute, URL path,
** URL query), cleaning of control characters and invalid UTF-8, nesting,
** void and boolean handling, data- attributes, and the bugs that must
** abort (mismatched close, bad data- suffix, repeated attribute, ...).
** The panic message of a mismatched close is checked in a child process.
*/
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "web/html.h"

/* Escape z for element text into a new string. Caller frees. */
static char *text_dup(const char *z) {
  Buf b = BUF_INIT;
  html_escape_text(&b, z);
  return buf_take(&b);
}

/* Escape z for an attribute value into a new string. Caller frees. */
static char *attr_dup(const char *z) {
  Buf b = BUF_INIT;
  html_escape_attr(&b, z);
  return buf_take(&b);
}

/* The markup of <a href="z"></a> as the writer writes it. Caller frees. */
static char *link_dup(const char *z) {
  Buf b = BUF_INIT;
  HtmlW w;
  html_init(&w, &b);
  html_open(&w, HTML_A, HA_HREF, z, HA_END);
  html_end(&w);
  return buf_take(&b);
}

/* Assert that escaping zIn for text gives zWant. */
static void check_text(const char *zIn, const char *zWant) {
  char *z = text_dup(zIn);
  cr_assert_str_eq(z, zWant);
  free(z);
}

/* Assert that escaping zIn for an attribute gives zWant. */
static void check_attr(const char *zIn, const char *zWant) {
  char *z = attr_dup(zIn);
  cr_assert_str_eq(z, zWant);
  free(z);
}

/* Assert that the link to zUrl is written as <a href="zWant"></a>. */
static void check_href(const char *zUrl, const char *zWant) {
  char *z = link_dup(zUrl);
  char *zExp = xasprintf("<a href=\"%s\"></a>", zWant);
  cr_assert_str_eq(z, zExp, "URL %s", zUrl);
  free(zExp);
  free(z);
}

/* ---- escapers --------------------------------------------------------------- */

Test(html, text_script, .description = "html-1.1 a script tag in text is inert") {
  check_text("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;");
}

Test(html, text_all_specials, .description = "html-1.2 & < > \" ' escaped in text") {
  check_text("a&b<c>d\"e'f", "a&amp;b&lt;c&gt;d&quot;e&#39;f");
  check_text("' OR 1=1 --", "&#39; OR 1=1 --");
  check_text("&amp;", "&amp;amp;");
}

Test(html, text_spanish_kept, .description = "html-1.3 Spanish text passes unchanged") {
  check_text("Participación ciudadana: año 2025 — 100 % ✓",
             "Participación ciudadana: año 2025 — 100 % ✓");
  check_text("", "");
  Buf b = BUF_INIT;
  html_escape_text(&b, NULL);
  html_escape_attr(&b, NULL);
  cr_assert_eq(b.n, 0);
  buf_reset(&b);
}

Test(html, attr_breakout, .description = "html-1.4 an attribute value cannot end the attribute") {
  check_attr("\"><img src=x onerror=alert(1)>", "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
  check_attr("' onmouseover='x", "&#39; onmouseover=&#39;x");
  Buf b = BUF_INIT;
  HtmlW w;
  html_init(&w, &b);
  html_open(&w, HTML_INPUT, HA_NAME, "q", HA_VALUE, "\"><img src=x onerror=alert(1)>", HA_END);
  html_end(&w);
  cr_assert_str_eq(buf_str(&b),
                   "<input name=\"q\" value=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\">");
  buf_reset(&b);
}

Test(html, controls_text, .description = "html-1.5 controls dropped from text, tab/LF/CR kept") {
  check_text("a\x01"
             "b\x7F"
             "c\x1B"
             "d\tE\nF\rG",
             "abcd\tE\nF\rG");
  check_text("x\xC2\x85y\xC2\x9F"
             "z",
             "xyz");                  /* C1 controls U+0085, U+009F */
  check_text("\xC2\xA0", "\xC2\xA0"); /* U+00A0 is not a control */
}

Test(html, controls_attr,
     .description = "html-1.6 controls dropped from attributes, tab/LF/CR as references") {
  check_attr("a\x01"
             "b\x7F"
             "c\x1B"
             "d\tE\nF\rG",
             "abcd&#9;E&#10;F&#13;G");
  check_attr("x\xC2\x80y", "xy");
}

Test(html, invalid_utf8, .description = "html-1.7 each invalid UTF-8 subpart becomes one U+FFFD") {
  check_text("a\xFF"
             "b",
             "a\xEF\xBF\xBD"
             "b");
  check_text("end\xC3", "end\xEF\xBF\xBD");                           /* truncated at the end */
  check_text("\xE2\x82x", "\xEF\xBF\xBDx");                           /* truncated 3-byte */
  check_text("\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD");                 /* overlong */
  check_text("\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); /* surrogate */
  check_text("\xF4\x90\x80\x80",
             "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); /* above U+10FFFF */
  check_text("\xF0\x9F\x98!", "\xEF\xBF\xBD!");
  check_text("\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80"); /* a valid emoji */
  check_text("\x80<", "\xEF\xBF\xBD&lt;");
  check_attr("\xE0\x80\x80\"", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD&quot;");
}

/* ---- URLs ------------------------------------------------------------------- */

Test(html, url_path_spanish, .description = "html-2.1 a path segment is percent-encoded") {
  Buf b = BUF_INIT;
  html_url_path(&b, "Secretaría de Participación");
  cr_assert_str_eq(buf_str(&b), "Secretar%C3%ADa%20de%20Participaci%C3%B3n");
  buf_clear(&b);
  html_url_path(&b, "a/b?c#d&e=f+g%h<i>\"'");
  cr_assert_str_eq(buf_str(&b), "a%2Fb%3Fc%23d%26e%3Df%2Bg%25h%3Ci%3E%22%27");
  buf_clear(&b);
  html_url_path(&b, "AZaz09-._~");
  html_url_path(&b, NULL);
  cr_assert_str_eq(buf_str(&b), "AZaz09-._~");
  buf_clear(&b);
  html_url_path(&b, "\x01\xFF");
  cr_assert_str_eq(buf_str(&b), "%01%FF", "bytes are encoded as they are");
  buf_reset(&b);
}

Test(html, url_query, .description = "html-2.2 query keys and values are percent-encoded") {
  Buf b = BUF_INIT;
  buf_puts(&b, "/plan");
  html_url_query(&b, "oficina", "Secretaría de Participación", true);
  html_url_query(&b, "q", "a&b=c#d+e f", false);
  html_url_query(&b, "vacío", NULL, false);
  cr_assert_str_eq(buf_str(&b), "/plan?oficina=Secretar%C3%ADa%20de%20Participaci%C3%B3n"
                                "&q=a%26b%3Dc%23d%2Be%20f&vac%C3%ADo=");
  buf_reset(&b);
}

Test(html, url_in_href_escaped, .description = "html-2.3 a built URL is escaped in href") {
  Buf u = BUF_INIT;
  buf_puts(&u, "/oficinas/");
  html_url_path(&u, "Secretaría");
  html_url_query(&u, "a", "1", true);
  html_url_query(&u, "b", "2", false);
  check_href(buf_str(&u), "/oficinas/Secretar%C3%ADa?a=1&amp;b=2");
  buf_reset(&u);
}

Test(html, href_javascript_refused,
     .description = "html-2.4 javascript: is refused however written") {
  check_href("javascript:alert(1)", "#");
  check_href("JaVaScRiPt:alert(1)", "#");
  check_href("JAVASCRIPT:alert(1)", "#");
  check_href("   javascript:alert(1)", "#");
  check_href("\t\n javascript:alert(1)", "#");
  check_href("java\tscript:alert(1)", "#");
  check_href("java\nscript:alert(1)", "#");
  check_href("java\rscript:alert(1)", "#");
  check_href("jav\x01"
             "ascript:alert(1)",
             "#"); /* the control is dropped from the output */
  check_href("\x01\x02javascript:alert(1)", "#");
  check_href("java\xC2\x80script:alert(1)", "#"); /* C1 control dropped */
  check_href("javascript\t:alert(1)", "#");
}

Test(html, href_other_schemes_refused,
     .description = "html-2.5 data:, vbscript: and unknown schemes refused") {
  check_href("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "#");
  check_href("DaTa:text/html,<script>alert(1)</script>", "#");
  check_href("vbscript:msgbox(1)", "#");
  check_href(" VBScript:msgbox(1)", "#");
  check_href("ftp://example.org/", "#");
  check_href("a:b", "#");
}

Test(html, href_entities_stay_text,
     .description = "html-2.6 character references in a URL stay escaped") {
  check_href("&#106;avascript:alert(1)", "&amp;#106;avascript:alert(1)");
  check_href("javascript&#58;alert(1)", "javascript&amp;#58;alert(1)");
  check_href("javascript&colon;alert(1)", "javascript&amp;colon;alert(1)");
}

Test(html, href_allowed, .description = "html-2.7 relative URLs and http(s), mailto, tel pass") {
  check_href("/plan/actividades?id=3&vista=tabla", "/plan/actividades?id=3&amp;vista=tabla");
  check_href("https://www.funcionpublica.gov.co/mipg", "https://www.funcionpublica.gov.co/mipg");
  check_href("HTTP://Example.org/", "HTTP://Example.org/");
  check_href("mailto:participacion@entidad.gov.co", "mailto:participacion@entidad.gov.co");
  check_href("tel:+57 601 123 4567", "tel:+57 601 123 4567");
  check_href("?q=javascript:alert(1)", "?q=javascript:alert(1)");
  check_href("#seccion-2", "#seccion-2");
  check_href("./a:b", "./a:b");
  check_href("1a:b", "1a:b"); /* a scheme starts with a letter: this is a path */
  check_href("", "");
  check_href("\"><script>", "&quot;&gt;&lt;script&gt;");
}

Test(html, url_attrs_all_checked,
     .description = "html-2.8 src, action and formaction are URL attributes") {
  Buf b = BUF_INIT;
  HtmlW w;
  html_init(&w, &b);
  html_open(&w, HTML_FORM, HA_ACTION, "javascript:x()", HA_METHOD, "post", HA_END);
  html_open(&w, HTML_BUTTON, HA_FORMACTION, " data:x", HA_TITLE, "javascript:x()", HA_END);
  html_close(&w, HTML_BUTTON);
  html_open(&w, HTML_IMG, HA_SRC, "vbscript:x", HA_ALT, "", HA_END);
  html_end(&w);
  cr_assert_str_eq(buf_str(&b), "<form action=\"#\" method=\"post\">"
                                "<button formaction=\"#\" title=\"javascript:x()\"></button>"
                                "<img src=\"#\" alt=\"\"></form>\n");
  buf_reset(&b);
}

/* ---- the writer ------------------------------------------------------------- */

Test(html, nesting_and_end, .description = "html-3.1 nested elements, html_end closes the rest") {
  Buf b = BUF_INIT;
  HtmlW w;
  html_init(&w, &b);
  html_open(&w, HTML_DIV, HA_CLASS, "lista", HA_END);
  html_open(&w, HTML_UL);
  html_elem_text(&w, HTML_LI, "Uno");
  html_open(&w, HTML_LI);
  html_open(&w, HTML_A, HA_HREF, "/dos", HA_ARIA_CURRENT, "page");
  html_text(&w, "Dos & tres");
  cr_assert_eq(html_depth(&w), 4);
  html_end(&w);
  cr_assert_eq(html_depth(&w), 0);
  cr_assert_str_eq(buf_str(&b),
                   "<div class=\"lista\"><ul>\n<li>Uno</li>\n"
                   "<li><a href=\"/dos\" aria-current=\"page\">Dos &amp; tres</a></li>\n"
                   "</ul>\n</div>\n");
  buf_reset(&b);
}

Test(html, void_elements, .description = "html-3.2 void elements are never closed or pushed") {
  Buf b = BUF_INIT;
  HtmlW w;
  html_init(&w, &b);
  html_open(&w, HTML_P);
  html_text(&w, "a");
  html_open(&w, HTML_BR);
  html_text(&w, "b");
  html_open(&w, HTML_IMG, HA_SRC, "/logo.svg", HA_ALT, "Logo");
  html_open(&w, HTML_INPUT, HA_TYPE, "text", HA_NAME, "q");
  cr_assert_eq(html_depth(&w), 1);
  html_close(&w, HTML_P);
  html_open(&w, HTML_HR);
  html_end(&w);
  cr_assert_str_eq(buf_str(&b), "<p>a<br>b<img src=\"/logo.svg\" alt=\"Logo\">"
                                "<input type=\"text\" name=\"q\"></p>\n<hr>\n");
  buf_reset(&b);
}

Test(html, void_set, .description = "html-3.3 exactly br col hr img input link meta are void") {
  for (int i = 0; i < HTML__COUNT; i++) {
    Buf b = BUF_INIT;
    HtmlW w;
    html_init(&w, &b);
    html_open(&w, (HtmlTag)i);
    bool bVoid = html_depth(&w) == 0;
    html_end(&w);
    const char *zName = html_tag_name((HtmlTag)i);
    bool bWant = i == HTML_BR || i == HTML_COL || i == HTML_HR || i == HTML_IMG ||
                 i == HTML_INPUT || i == HTML_LINK || i == HTML_META;
    cr_assert_eq(bVoid, bWant, "<%s>", zName);
    cr_assert(strstr(buf_str(&b), "</") == NULL || !bVoid, "<%s> closed", zName);
    buf_reset(&b);
  }
}

Test(html, boolean_attrs, .description = "html-3.4 boolean attributes are bare, NULL omits") {
  Buf b = BUF_INIT;
  HtmlW w;
  html_init(&w, &b);
  html_open(&w, HTML_INPUT, HA_TYPE, "checkbox", HA_CHECKED, "", HA_DISABLED, NULL, HA_REQUIRED, "",
            HA_END);
  html_open(&w, HTML_SELECT, HA_NAME, "o", HA_MULTIPLE, "");
  html_open(&w, HTML_OPTION, HA_VALUE, "", HA_SELECTED, "");
  html_text(&w, "Todas");
  html_end(&w);
  cr_assert_str_eq(buf_str(&b), "<input type=\"checkbox\" checked required>"
                                "<select name=\"o\" multiple>\n"
                                "<option value=\"\" selected>Todas</option>\n</select>\n");
  buf_reset(&b);
}

Test(html, boolean_with_value, .signal = SIGABRT,
     .description = "html-3.5 a boolean attribute with a value is a bug") {
  Buf b = BUF_INIT;
  HtmlW w;
  html_init(&w, &b);
  html_open(&w, HTML_INPUT, HA_REQUIRED, "false");
}

Test(html, null_attrs_omitted,
     .description = "html-3.6 NULL values omit attributes, \"\" is kept") {
  Buf b = BUF_INIT;
  HtmlW w;
  html_init(&w, &b);
  html_open(&w, HTML_A, HA_HREF, NULL, HA_CLASS, "x", HA_ID, NULL, HA_TITLE, "", HA_END);
  html_end(&w);
  cr_assert_str_eq(buf_str(&b), "<a class=\"x\" title=\"\"></a>");
  buf_reset(&b);
}

Test(html, data_attrs, .description = "html-3.7 data- attributes follow the start tag, escaped") {
  Buf b = BUF_INIT;
  HtmlW w;
  html_init(&w, &b);
  html_open(&w, HTML_DIV, HA_ID, "grafica", HA_END);
  html_data_attr(&w, "serie", "[1,2,\"x\"]");
  html_data_attr(&w, "omitida", NULL);
  html_data_attr(&w, "max-valor-2", "<3 & 'y'");
  html_text(&w, "t");
  html_open(&w, HTML_BR);
  html_data_attr(&w, "n", "1");
  html_end(&w);
  cr_assert_str_eq(buf_str(&b), "<div id=\"grafica\" data-serie=\"[1,2,&quot;x&quot;]\" "
                                "data-max-valor-2=\"&lt;3 &amp; &#39;y&#39;\">t<br data-n=\"1\">"
                                "</div>\n");
  buf_reset(&b);
}

/* Open a div and add data-<z>: a bug for every z the bad_suffix tests use. */
static void data_with_suffix(const char *z) {
  Buf b = BUF_INIT;
  HtmlW w;
  html_init(&w, &b);
  html_open(&w, HTML_DIV);
  html_data_attr(&w, z, "v");
}

Test(html, data_suffix_upper, .signal = SIGABRT,
     .description = "html-3.8 upper case in a data- suffix") {
  data_with_suffix("Serie");
}

Test(html, data_suffix_quote, .signal = SIGABRT,
     .description = "html-3.9 a quote in a data- suffix") {
  data_with_suffix("x\"onclick=\"alert(1)");
}

Test(html, data_suffix_space, .signal = SIGABRT,
     .description = "html-3.10 a space in a data- suffix") {
  data_with_suffix("a b");
}

Test(html, data_suffix_empty, .signal = SIGABRT, .description = "html-3.11 an empty data- suffix") {
  data_with_suffix("");
}

Test(html, data_suffix_digit, .signal = SIGABRT,
     .description = "html-3.12 a data- suffix starting with a digit") {
  data_with_suffix("1x");
}

Test(html, data_suffix_null, .signal = SIGABRT, .description = "html-3.13 a NULL data- suffix") {
  data_with_suffix(NULL);
}

Test(html, data_after_text, .signal = SIGABRT,
     .description = "html-3.14 html_data_attr after content is a bug") {
  Buf b = BUF_INIT;
  HtmlW w;
  html_init(&w, &b);
  html_open(&w, HTML_DIV);
  html_text(&w, "x");
  html_data_attr(&w, "a", "v");
}

Test(html, close_mismatch, .signal = SIGABRT,
     .description = "html-3.15 closing the wrong element aborts") {
  Buf b = BUF_INIT;
  HtmlW w;
  html_init(&w, &b);
  html_open(&w, HTML_DIV);
  html_open(&w, HTML_P);
  html_close(&w, HTML_DIV);
}

Test(html, close_nothing_open, .signal = SIGABRT,
     .description = "html-3.16 closing with nothing open aborts") {
  Buf b = BUF_INIT;
  HtmlW w;
  html_init(&w, &b);
  html_close(&w, HTML_DIV);
}

Test(html, close_void, .signal = SIGABRT,
     .description = "html-3.17 closing a void element aborts") {
  Buf b = BUF_INIT;
  HtmlW w;
  html_init(&w, &b);
  html_open(&w, HTML_P);
  html_open(&w, HTML_INPUT);
  html_close(&w, HTML_INPUT);
}

Test(html, close_after_end, .signal = SIGABRT,
     .description = "html-3.18 closing after html_end aborts") {
  Buf b = BUF_INIT;
  HtmlW w;
  html_init(&w, &b);
  html_open(&w, HTML_P);
  html_end(&w);
  html_close(&w, HTML_P);
}

Test(html, repeated_attr, .signal = SIGABRT,
     .description = "html-3.19 a repeated attribute aborts") {
  Buf b = BUF_INIT;
  HtmlW w;
  html_init(&w, &b);
  html_open(&w, HTML_P, HA_CLASS, NULL, HA_CLASS, "b");
}

Test(html, unknown_attr, .signal = SIGABRT,
     .description = "html-3.20 an attribute code out of range aborts") {
  Buf b = BUF_INIT;
  HtmlW w;
  html_init(&w, &b);
  html_open(&w, HTML_P, (HtmlAttr)HA__COUNT, "x");
}

Test(html, unknown_tag, .signal = SIGABRT,
     .description = "html-3.21 a tag code out of range aborts") {
  Buf b = BUF_INIT;
  HtmlW w;
  html_init(&w, &b);
  html_open(&w, (HtmlTag)HTML__COUNT);
}

Test(html, elem_text_void, .signal = SIGABRT,
     .description = "html-3.22 text in a void element aborts") {
  Buf b = BUF_INIT;
  HtmlW w;
  html_init(&w, &b);
  html_elem_text(&w, HTML_BR, "x");
}

Test(html, mismatch_message, .description = "html-3.23 a mismatch names both source positions") {
  int aFd[2];
  cr_assert_eq(pipe(aFd), 0);
  fflush(stderr);
  pid_t pid = fork();
  cr_assert_neq(pid, -1);
  if (pid == 0) {
    dup2(aFd[1], 2);
    close(aFd[0]);
    Buf b = BUF_INIT;
    HtmlW w;
    html_init(&w, &b);
    html_open_at(&w, "src/x/pagina.c", 12, HTML_SECTION, HA_END);
    html_open_at(&w, "src/x/pagina.c", 13, HTML_TABLE, HA_END);
    html_close_at(&w, HTML_SECTION, "src/x/pagina.c", 40);
    _exit(0);
  }
  close(aFd[1]);
  Buf err = BUF_INIT;
  char aChunk[512];
  ssize_t n;
  while ((n = read(aFd[0], aChunk, sizeof aChunk)) > 0) {
    buf_append(&err, aChunk, (size_t)n);
  }
  close(aFd[0]);
  int status = 0;
  cr_assert_eq(waitpid(pid, &status, 0), pid);
  cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT, "child status %d", status);
  cr_assert_str_eq(buf_str(&err), "src/x/pagina.c:40: error interno: html_close(</section>): el "
                                  "elemento abierto es <table>, abierto en src/x/pagina.c:13\n");
  buf_reset(&err);
}

Test(html, caller_position, .description = "html-3.37 the macros record the caller's file:line") {
  Buf b = BUF_INIT;
  HtmlW w;
  html_init(&w, &b);
  html_open(&w, HTML_NAV, HA_ARIA_LABEL, "Principal");
  int iLine = __LINE__ - 1;
  cr_assert_eq(html_depth(&w), 1);
  cr_assert_str_eq(w.aOpen[0].zFile, __FILE__);
  cr_assert_eq(w.aOpen[0].iLine, iLine);
  html_end(&w);
  cr_assert_str_eq(buf_str(&b), "<nav aria-label=\"Principal\"></nav>\n");
  buf_reset(&b);
}

Test(html, textf, .description = "html-3.24 html_textf escapes the formatted text") {
  Buf b = BUF_INIT;
  HtmlW w;
  html_init(&w, &b);
  html_open(&w, HTML_P);
  html_textf(&w, "%d actividades <%s> %.1f%%", 3, "x&y", 42.5);
  html_textf(&w, "%s", "");
  html_textf(&w, "%c", 0);
  html_end(&w);
  cr_assert_str_eq(buf_str(&b), "<p>3 actividades &lt;x&amp;y&gt; 42.5%</p>\n");
  buf_reset(&b);
}

Test(html, elem_text, .description = "html-3.25 html_elem_text opens, writes and closes") {
  Buf b = BUF_INIT;
  HtmlW w;
  html_init(&w, &b);
  html_open(&w, HTML_TR);
  html_elem_text(&w, HTML_TD, "a<b");
  html_elem_text(&w, HTML_TD, NULL);
  html_elem_text(&w, HTML_TH, "Meta 2025");
  html_close(&w, HTML_TR);
  html_end(&w);
  cr_assert_str_eq(buf_str(&b), "<tr><td>a&lt;b</td><td></td><th>Meta 2025</th></tr>\n");
  buf_reset(&b);
}

Test(html, reset, .description = "html-3.26 html_reset throws the page away, the writer goes on") {
  Buf b = BUF_INIT;
  buf_puts(&b, "previo");
  HtmlW w;
  html_init(&w, &b);
  html_open(&w, HTML_MAIN);
  html_open(&w, HTML_DIV, HA_CLASS, "x");
  html_text(&w, "a medias");
  html_reset(&w);
  cr_assert_str_eq(buf_str(&b), "");
  cr_assert_eq(html_depth(&w), 0);
  html_open(&w, HTML_P, HA_CLASS, "error");
  html_text(&w, "Error: <no encontrado>");
  html_end(&w);
  cr_assert_str_eq(buf_str(&b), "<p class=\"error\">Error: &lt;no encontrado&gt;</p>\n");
  buf_reset(&b);
}

Test(html, reset_pending, .description = "html-3.27 html_reset drops a pending start tag") {
  Buf b = BUF_INIT;
  HtmlW w;
  html_init(&w, &b);
  html_open(&w, HTML_INPUT, HA_NAME, "x");
  html_reset(&w);
  html_end(&w);
  cr_assert_str_eq(buf_str(&b), "");
  buf_reset(&b);
}

Test(html, textarea_newline, .description = "html-3.28 textarea and pre keep a leading newline") {
  Buf b = BUF_INIT;
  HtmlW w;
  html_init(&w, &b);
  html_open(&w, HTML_TEXTAREA, HA_NAME, "obs", HA_ROWS, "3");
  html_text(&w, "\nlínea 2 </textarea><script>");
  html_close(&w, HTML_TEXTAREA);
  html_open(&w, HTML_PRE);
  html_end(&w);
  cr_assert_str_eq(buf_str(&b), "<textarea name=\"obs\" rows=\"3\">\n\nlínea 2 &lt;/textarea&gt;"
                                "&lt;script&gt;</textarea><pre>\n</pre>\n");
  buf_reset(&b);
}

Test(html, raw_literal, .description = "html-3.29 raw markup is written as is") {
  Buf b = BUF_INIT;
  HtmlW w;
  html_init(&w, &b);
  html_open(&w, HTML_P);
  html_raw_trusted_literal(&w, "a&nbsp;b");
  html_end(&w);
  cr_assert_str_eq(buf_str(&b), "<p>a&nbsp;b</p>\n");
  buf_reset(&b);
}

Test(html, page, .description = "html-3.30 a small whole page") {
  Buf b = BUF_INIT;
  HtmlW w;
  html_init(&w, &b);
  html_doctype(&w);
  html_open(&w, HTML_HTML, HA_LANG, "es-CO");
  html_open(&w, HTML_HEAD);
  html_open(&w, HTML_META, HA_CHARSET, "utf-8");
  html_open(&w, HTML_LINK, HA_REL, "stylesheet", HA_HREF, "/static/participa.css");
  html_elem_text(&w, HTML_TITLE, "Plan de participación — 2025");
  html_close(&w, HTML_HEAD);
  html_open(&w, HTML_BODY);
  html_open(&w, HTML_MAIN, HA_ID, "contenido");
  html_elem_text(&w, HTML_H1, "Plan de participación");
  html_open(&w, HTML_P);
  html_text(&w, "Avance: ");
  html_open(&w, HTML_METER, HA_MIN, "0", HA_MAX, "100", HA_VALUE, "42");
  html_text(&w, "42 %");
  html_end(&w);
  cr_assert_str_eq(buf_str(&b),
                   "<!DOCTYPE html>\n"
                   "<html lang=\"es-CO\">\n"
                   "<head>\n"
                   "<meta charset=\"utf-8\">\n"
                   "<link rel=\"stylesheet\" href=\"/static/participa.css\">\n"
                   "<title>Plan de participación — 2025</title>\n"
                   "</head>\n"
                   "<body>\n"
                   "<main id=\"contenido\"><h1>Plan de participación</h1>\n"
                   "<p>Avance: <meter min=\"0\" max=\"100\" value=\"42\">42 %</meter></p>\n"
                   "</main>\n"
                   "</body>\n"
                   "</html>\n");
  buf_reset(&b);
}

Test(html, table, .description = "html-3.31 an accessible table") {
  Buf b = BUF_INIT;
  HtmlW w;
  html_init(&w, &b);
  html_open(&w, HTML_TABLE, HA_CLASS, "datos");
  html_elem_text(&w, HTML_CAPTION, "Actividades");
  html_open(&w, HTML_THEAD);
  html_open(&w, HTML_TR);
  html_open(&w, HTML_TH, HA_SCOPE, "col", HA_ARIA_SORT, "ascending");
  html_text(&w, "Nombre");
  html_close(&w, HTML_TH);
  html_close(&w, HTML_TR);
  html_close(&w, HTML_THEAD);
  html_open(&w, HTML_TBODY);
  html_open(&w, HTML_TR);
  html_open(&w, HTML_TD, HA_COLSPAN, "2");
  html_text(&w, "Rendición de cuentas");
  html_end(&w);
  cr_assert_str_eq(buf_str(&b), "<table class=\"datos\">\n<caption>Actividades</caption>\n"
                                "<thead>\n<tr><th scope=\"col\" aria-sort=\"ascending\">Nombre</th>"
                                "</tr>\n</thead>\n<tbody>\n<tr><td colspan=\"2\">Rendición de "
                                "cuentas</td></tr>\n</tbody>\n</table>\n");
  buf_reset(&b);
}

Test(html, svg, .description = "html-3.32 inline SVG with a title for screen readers") {
  Buf b = BUF_INIT;
  HtmlW w;
  html_init(&w, &b);
  html_open(&w, HTML_SVG, HA_VIEWBOX, "0 0 100 20", HA_ROLE, "img", HA_ARIA_LABELLEDBY, "t1",
            HA_FOCUSABLE, "false");
  html_open(&w, HTML_TITLE, HA_ID, "t1");
  html_text(&w, "Avance 40 % <meta>");
  html_close(&w, HTML_TITLE);
  html_open(&w, HTML_RECT, HA_X, "0", HA_Y, "0", HA_WIDTH, "40", HA_HEIGHT, "20", HA_FILL,
            "currentColor");
  html_close(&w, HTML_RECT);
  html_open(&w, HTML_TEXT, HA_X, "50", HA_Y, "15", HA_TEXT_ANCHOR, "middle");
  html_text(&w, "40 %");
  html_end(&w);
  cr_assert_str_eq(buf_str(&b), "<svg viewBox=\"0 0 100 20\" role=\"img\" aria-labelledby=\"t1\" "
                                "focusable=\"false\"><title id=\"t1\">Avance 40 % &lt;meta&gt;"
                                "</title>\n<rect x=\"0\" y=\"0\" width=\"40\" height=\"20\" "
                                "fill=\"currentColor\"></rect><text x=\"50\" y=\"15\" "
                                "text-anchor=\"middle\">40 %</text></svg>");
  buf_reset(&b);
}

Test(html, deep_nesting,
     .description = "html-3.33 the stack grows; html_end closes innermost first") {
  Buf b = BUF_INIT;
  Buf want = BUF_INIT;
  HtmlW w;
  html_init(&w, &b);
  for (int i = 0; i < 100; i++) {
    html_open(&w, i % 2 ? HTML_SPAN : HTML_EM);
    buf_puts(&want, i % 2 ? "<span>" : "<em>");
  }
  for (int i = 99; i >= 0; i--) {
    buf_puts(&want, i % 2 ? "</span>" : "</em>");
  }
  cr_assert_eq(html_depth(&w), 100);
  html_end(&w);
  cr_assert_str_eq(buf_str(&b), buf_str(&want));
  html_open(&w, HTML_P);
  html_end(&w);
  cr_assert(strcmp(buf_str(&b) + want.n, "<p></p>\n") == 0, "the writer goes on after html_end");
  buf_reset(&b);
  buf_reset(&want);
}

Test(html, pending_flushed_by_end,
     .description = "html-3.34 html_end finishes a pending start tag") {
  Buf b = BUF_INIT;
  HtmlW w;
  html_init(&w, &b);
  html_open(&w, HTML_INPUT, HA_TYPE, "hidden", HA_NAME, "csrf", HA_VALUE, "a'b");
  html_end(&w);
  cr_assert_str_eq(buf_str(&b), "<input type=\"hidden\" name=\"csrf\" value=\"a&#39;b\">");
  buf_reset(&b);
}

Test(html, names,
     .description = "html-3.35 every tag and attribute has a unique, well-formed name") {
  for (int i = 0; i < HTML__COUNT; i++) {
    const char *z = html_tag_name((HtmlTag)i);
    cr_assert(z != NULL && z[0] >= 'a' && z[0] <= 'z', "tag %d", i);
    cr_assert_eq(strspn(z, "abcdefghijklmnopqrstuvwxyz0123456789"), strlen(z), "tag %s", z);
    for (int j = 0; j < i; j++) {
      cr_assert_str_neq(z, html_tag_name((HtmlTag)j));
    }
    if (i > 0) {
      cr_assert_lt(strcmp(html_tag_name((HtmlTag)(i - 1)), z), 0, "tags sorted at %s", z);
    }
  }
  for (int i = 1; i < HA__COUNT; i++) {
    const char *z = html_attr_name((HtmlAttr)i);
    cr_assert(z != NULL && z[0] >= 'a' && z[0] <= 'z', "attribute %d", i);
    cr_assert_eq(strspn(z, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"),
                 strlen(z), "attribute %s", z);
    cr_assert(strncmp(z, "on", 2) != 0 && strcmp(z, "style") != 0 && strncmp(z, "data-", 5) != 0,
              "attribute %s must not exist", z);
    for (int j = 1; j < i; j++) {
      cr_assert_str_neq(z, html_attr_name((HtmlAttr)j));
    }
  }
  cr_assert_str_eq(html_attr_name(HA_VIEWBOX), "viewBox");
  cr_assert_str_eq(html_attr_name(HA_ARIA_LABEL), "aria-label");
  cr_assert_str_eq(html_tag_name(HTML_TEXTAREA), "textarea");
}

Test(html, doctype_inside, .signal = SIGABRT,
     .description = "html-3.36 a doctype inside an element aborts") {
  Buf b = BUF_INIT;
  HtmlW w;
  html_init(&w, &b);
  html_open(&w, HTML_HTML);
  html_doctype(&w);
}
