/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Unit tests for src/base/termsafe.c: every kind of control made visible
** and everything else unchanged, UTF-8 sequences cut between writes, the
** machine-format test on argv, and the installed filters in a child
** process writing to a pipe (filtered, and raw for a machine format).
*/
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/termsafe.h"
#include "testutil.h"

/* A string literal as the (pointer, length) pair, NUL bytes included. */
#define S(s) (s), (sizeof(s) - 1)

/* termsafe_escape of the whole of z (bFinal), as a new string. */
static char *esc_dup(const char *z, size_t n) {
  Buf b = BUF_INIT;
  size_t nUsed = termsafe_escape(&b, z, n, true);
  cr_assert_eq(nUsed, n);
  buf_putc(&b, 0);
  b.n--;
  return buf_take(&b);
}

Test(termsafe, escapes, .description = "termsafe-1.1 C0, DEL, C1 and bad UTF-8 made visible") {
  static const struct {
    const char *z;
    size_t n;
    const char *zWant;
  } aCase[] = {
      {S("\x1b]0;titulo\x07\x1b[2J"), "\\x1b]0;titulo\\x07\\x1b[2J"},
      {S("a\rb\x00"
         "c"),
       "a\\x0db\\x00c"},
      {S("borrar\x7f"), "borrar\\x7f"},
      {S("\xc2\x9e\xc2\x80\xc2\x9b"
         "2J"),
       "\\u009e\\u0080\\u009b2J"},
      {S("mal\xff\xc0\x80"), "mal\\xff\\xc0\\x80"},
      {S("l\xc3\xadnea 1\n\tcolumna \xc2\xa0\xe2\x82\xac \xf0\x9f\x99\x82"),
       "l\xc3\xadnea 1\n\tcolumna \xc2\xa0\xe2\x82\xac \xf0\x9f\x99\x82"},
      {S("\xed\xa0\x80"), "\\xed\\xa0\\x80"},
      /* right-to-left override and isolate: they reorder what is shown */
      {S("pago\xe2\x80\xaetxt.exe\xe2\x81\xa6"), "pago\\u202etxt.exe\\u2066"},
      {S("\xe2\x80\xa9"), "\xe2\x80\xa9"},
  };
  for (size_t i = 0; i < sizeof aCase / sizeof aCase[0]; i++) {
    char *z = esc_dup(aCase[i].z, aCase[i].n);
    cr_assert_str_eq(z, aCase[i].zWant, "case %zu", i);
    free(z);
  }
}

Test(termsafe, cut_sequence, .description = "termsafe-1.2 a sequence cut between two writes") {
  Buf b = BUF_INIT;
  cr_assert_eq(termsafe_escape(&b, "a\xe2\x82", 3, false), 1);
  cr_assert_eq(b.n, 1);
  cr_assert_eq(termsafe_escape(&b, "\xe2\x82\xac\xc2", 4, false), 3);
  cr_assert_eq(termsafe_escape(&b, "\xc2\x9e", 2, false), 2);
  cr_assert_str_eq(buf_str(&b), "a\xe2\x82\xac\\u009e");
  buf_clear(&b);
  /* At the end a cut sequence is written as bytes; a bad lead is never held. */
  cr_assert_eq(termsafe_escape(&b, "x\xe2\x82", 3, true), 3);
  cr_assert_eq(termsafe_escape(&b, "\xff", 1, false), 1);
  cr_assert_str_eq(buf_str(&b), "x\\xe2\\x82\\xff");
  buf_reset(&b);
}

Test(termsafe, machine_output, .description = "termsafe-1.3 which argv asks for a machine format") {
  char *a1[] = {"participa", "export", "--format", "csv", NULL};
  char *a2[] = {"participa", "report", "--format=json", NULL};
  char *a3[] = {"participa", "report", "--format", "text", NULL};
  char *a4[] = {"participa", "pqrsd", "list", "--format", NULL};
  char *a5[] = {"participa", "export", "--format", "xlsx", "--output", "a.xlsx", NULL};
  cr_assert(termsafe_machine_output(4, a1));
  cr_assert(termsafe_machine_output(3, a2));
  cr_assert_not(termsafe_machine_output(4, a3));
  cr_assert_not(termsafe_machine_output(4, a4));
  cr_assert(termsafe_machine_output(6, a5));
}

/* Run termsafe_install(bRaw) in a child whose stdout and stderr are one
** pipe, print zOut on stdout in two flushed halves (cutting a UTF-8
** sequence) and zErr on stderr; return what came out of the pipe. */
static char *child_output_dup(bool bRaw, const char *zOut, size_t nCut, const char *zErr) {
  int aFd[2];
  cr_assert_eq(pipe(aFd), 0);
  pid_t pid = fork();
  cr_assert_neq(pid, -1);
  if (pid == 0) {
    close(aFd[0]);
    dup2(aFd[1], 1);
    dup2(aFd[1], 2);
    close(aFd[1]);
    termsafe_install(bRaw);
    fwrite(zOut, 1, nCut, stdout);
    fflush(stdout);
    fputs(zOut + nCut, stdout);
    fflush(stdout);
    fputs(zErr, stderr);
    /* From here fd 2 is /dev/null: the sanitizer's own exit notes stay out
    ** of the pipe; exit() still flushes stdout's filter into it. */
    int fdNull = open("/dev/null", O_WRONLY);
    dup2(fdNull, 2);
    exit(0);
  }
  close(aFd[1]);
  return test_child_output_dup(aFd[0], pid);
}

Test(termsafe, installed, .description = "termsafe-2.1 stdout and stderr filtered; raw for a "
                                           "machine format on a pipe, stderr still filtered") {
  static const char zOut[] = "Asunto: \x1b]0;x\x07 Peti\xc3\xb3n\n";
  size_t nCut = strlen("Asunto: \x1b]0;x\x07 Peti\xc3"); /* inside "ó" */
  char *z = child_output_dup(false, zOut, nCut, "error: \x1b[2J\n");
  cr_assert_str_eq(z, "Asunto: \\x1b]0;x\\x07 Peti\xc3\xb3n\nerror: \\x1b[2J\n");
  free(z);
  z = child_output_dup(true, zOut, nCut, "error: \x1b[2J\n");
  cr_assert_str_eq(z, "Asunto: \x1b]0;x\x07 Peti\xc3\xb3n\nerror: \\x1b[2J\n");
  free(z);
  /* A cut sequence left at exit is written as escaped bytes. */
  z = child_output_dup(false, "fin\xc3", 4, "");
  cr_assert_str_eq(z, "fin\\xc3");
  free(z);
}
