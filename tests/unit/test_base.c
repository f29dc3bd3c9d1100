/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Unit tests for the small base modules: src/base/strmap.c (string-keyed
** hash map), src/base/diag.c (diagnostic lists), src/base/buf.c (growable
** strings) and src/base/args.c (command-line options). One suite each.
** Usage errors of args.c end the process, so those run in a child whose
** exit status and stderr are checked.
*/
#include <criterion/criterion.h>
#include <sanitizer/lsan_interface.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/args.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/strmap.h"

/* ---- strmap ----------------------------------------------------------------- */

Test(strmap, empty, .description = "strmap-1.1 an empty map finds nothing") {
  StrMap m = STRMAP_INIT;
  int64_t v = 7;
  cr_assert_not(strmap_get(&m, "x", &v));
  cr_assert_not(strmap_get(&m, "", &v));
  cr_assert_eq(v, 7, "value untouched");
  strmap_reset(&m);
}

Test(strmap, set_get_replace, .description = "strmap-1.2 set, get and replace") {
  StrMap m = STRMAP_INIT;
  strmap_set(&m, "secretaria general", 1);
  strmap_set(&m, "oficina de prensa", 2);
  strmap_set(&m, "", 3);
  int64_t v = 0;
  cr_assert(strmap_get(&m, "secretaria general", &v));
  cr_assert_eq(v, 1);
  cr_assert(strmap_get(&m, "oficina de prensa", &v));
  cr_assert_eq(v, 2);
  cr_assert(strmap_get(&m, "", &v));
  cr_assert_eq(v, 3);
  cr_assert_not(strmap_get(&m, "oficina", &v));
  cr_assert_eq(m.nUsed, 3);
  strmap_set(&m, "oficina de prensa", -5);
  cr_assert(strmap_get(&m, "oficina de prensa", &v));
  cr_assert_eq(v, -5);
  cr_assert_eq(m.nUsed, 3, "replacing does not add");
  strmap_reset(&m);
  cr_assert_eq(m.nUsed, 0);
  cr_assert_eq(m.nSlot, 0);
  cr_assert_null(m.aSlot);
  cr_assert_not(strmap_get(&m, "", &v));
}

Test(strmap, keys_copied, .description = "strmap-1.3 keys are copied") {
  StrMap m = STRMAP_INIT;
  char zKey[] = "componente";
  strmap_set(&m, zKey, 9);
  zKey[0] = 'C';
  int64_t v = 0;
  cr_assert(strmap_get(&m, "componente", &v));
  cr_assert_eq(v, 9);
  cr_assert_not(strmap_get(&m, zKey, &v));
  strmap_reset(&m);
}

Test(strmap, grow, .description = "strmap-1.4 many keys survive the table growing") {
  StrMap m = STRMAP_INIT;
  char zKey[32];
  for (int i = 0; i < 5000; i++) {
    snprintf(zKey, sizeof zKey, "clave %d", i);
    strmap_set(&m, zKey, (int64_t)i * 3);
  }
  cr_assert_eq(m.nUsed, 5000);
  cr_assert_geq(m.nSlot, 10000, "at most half full");
  cr_assert_eq(m.nSlot & (m.nSlot - 1), 0, "a power of two");
  for (int i = 0; i < 5000; i++) {
    snprintf(zKey, sizeof zKey, "clave %d", i);
    int64_t v = -1;
    cr_assert(strmap_get(&m, zKey, &v), "%s", zKey);
    cr_assert_eq(v, (int64_t)i * 3);
  }
  cr_assert_not(strmap_get(&m, "clave 5000", &(int64_t){0}));
  strmap_reset(&m);
  /* Reusable after reset. */
  strmap_set(&m, "otra", 1);
  cr_assert_eq(m.nUsed, 1);
  strmap_reset(&m);
}

/* ---- diag ------------------------------------------------------------------ */

Test(diag, add_and_count, .description = "diag-1.1 diagnostics are counted by level") {
  Diags d;
  diags_init(&d);
  diags_add(&d, DIAG_ERROR, 5, 2, "plan.tsv:5", "ítem %d: %s", 3, "sin fecha");
  diags_add(&d, DIAG_WARNING, 4, -1, NULL, "aviso");
  diags_add(&d, DIAG_WARNING, 4, 0, "plan.tsv:4", "otro");
  cr_assert_eq(d.n, 3);
  cr_assert_eq(d.nError, 1);
  cr_assert_eq(d.nWarning, 2);
  cr_assert_str_eq(d.a[0].zMsg, "ítem 3: sin fecha");
  cr_assert_str_eq(d.a[0].zLoc, "plan.tsv:5");
  cr_assert_eq(d.a[0].iTag, 2);
  cr_assert_eq(d.a[0].iOrder, 5);
  cr_assert_str_eq(d.a[1].zLoc, "", "NULL location reads as empty");
  cr_assert_eq(d.a[2].iSeq, 2);
  diags_reset(&d);
  cr_assert_eq(d.n, 0);
  cr_assert_eq(d.nError, 0);
  cr_assert_eq(d.nWarning, 0);
  cr_assert_null(d.a);
}

Test(diag, sort_stable, .description = "diag-1.2 sorted by order, insertion order among equals") {
  Diags d;
  diags_init(&d);
  /* 40 diagnostics on 4 rows, added round-robin from the last row down. */
  for (int i = 0; i < 40; i++) {
    diags_add(&d, DIAG_WARNING, 3 - i % 4, -1, "x", "%d", i);
  }
  diags_add(&d, DIAG_ERROR, -1, -1, "archivo", "archivo");
  diags_sort(&d);
  cr_assert_str_eq(d.a[0].zMsg, "archivo");
  int k = 1;
  for (int iOrder = 0; iOrder < 4; iOrder++) {
    for (int j = 0; j < 10; j++, k++) {
      cr_assert_eq(d.a[k].iOrder, iOrder);
      char zWant[8];
      snprintf(zWant, sizeof zWant, "%d", (3 - iOrder) + 4 * j);
      cr_assert_str_eq(d.a[k].zMsg, zWant, "position %d", k);
    }
  }
  diags_reset(&d);
}

Test(diag, print, .description = "diag-1.3 printed as LOC: level: MSG") {
  Diags d;
  diags_init(&d);
  diags_add(&d, DIAG_WARNING, 1, -1, "plan.tsv:20", "falta el ítem 4");
  diags_add(&d, DIAG_ERROR, 2, -1, "plan.xlsx:Hoja1!I22", "fecha");
  char *z = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&z, &n);
  cr_assert_not_null(f);
  diags_print(&d, f);
  fclose(f);
  cr_assert_str_eq(z, "plan.tsv:20: advertencia: falta el ítem 4\n"
                      "plan.xlsx:Hoja1!I22: error: fecha\n");
  free(z);
  diags_reset(&d);
}

/* ---- buf ------------------------------------------------------------------- */

Test(buf, empty, .description = "buf-1.1 an empty Buf is a valid empty string") {
  Buf b = BUF_INIT;
  cr_assert_str_eq(buf_str(&b), "");
  cr_assert_eq(b.n, 0);
  buf_rtrim(&b);
  buf_clear(&b);
  buf_puts(&b, NULL);
  buf_append(&b, "x", 0);
  cr_assert_str_eq(buf_str(&b), "");
  cr_assert_eq(b.n, 0);
  char *z = buf_take(&b);
  cr_assert_str_eq(z, "");
  free(z);
  buf_reset(&b);
}

Test(buf, append, .description = "buf-1.2 puts, putc, append and appendf") {
  Buf b = BUF_INIT;
  buf_puts(&b, "Plan ");
  buf_putc(&b, '2');
  buf_append(&b, "021xyz", 3);
  buf_appendf(&b, ": %d actividades, %s", 13, "1 error");
  cr_assert_str_eq(buf_str(&b), "Plan 2021: 13 actividades, 1 error");
  cr_assert_eq(b.n, strlen("Plan 2021: 13 actividades, 1 error"));
  buf_append(&b, "a\0b", 3);
  cr_assert_eq(b.n, strlen("Plan 2021: 13 actividades, 1 error") + 3, "bytes with a NUL");
  cr_assert_eq(b.z[b.n], 0);
  buf_reset(&b);
  cr_assert_null(b.z);
  cr_assert_eq(b.n, 0);
}

Test(buf, appendf_long, .description = "buf-1.3 appendf beyond its small scratch buffer") {
  Buf b = BUF_INIT;
  buf_puts(&b, "<");
  char zLong[1001];
  memset(zLong, 'x', 1000);
  zLong[1000] = 0;
  buf_appendf(&b, "%s|%d", zLong, 42);
  cr_assert_eq(b.n, 1 + 1000 + 3);
  cr_assert_eq(strncmp(b.z, "<xxx", 4), 0);
  cr_assert_str_eq(b.z + 1001, "|42");
  /* exactly 255 and 256 bytes of output */
  buf_clear(&b);
  buf_appendf(&b, "%.255s", zLong);
  cr_assert_eq(b.n, 255);
  buf_appendf(&b, "%.256s", zLong);
  cr_assert_eq(b.n, 511);
  cr_assert_eq(strlen(buf_str(&b)), 511);
  buf_reset(&b);
}

Test(buf, take_clear_rtrim, .description = "buf-1.4 take, clear and rtrim") {
  Buf b = BUF_INIT;
  buf_puts(&b, "línea  \t\r\n\n");
  buf_rtrim(&b);
  cr_assert_str_eq(buf_str(&b), "línea");
  cr_assert_eq(b.n, strlen("línea"));
  size_t nAlloc = b.nAlloc;
  buf_clear(&b);
  cr_assert_str_eq(buf_str(&b), "");
  cr_assert_eq(b.nAlloc, nAlloc, "clear keeps the memory");
  buf_puts(&b, "otra");
  char *z = buf_take(&b);
  cr_assert_str_eq(z, "otra");
  cr_assert_null(b.z, "take leaves the Buf empty");
  cr_assert_eq(b.n, 0);
  cr_assert_eq(b.nAlloc, 0);
  free(z);
}

Test(buf, grow, .description = "buf-1.5 large content grows and stays NUL-terminated") {
  Buf b = BUF_INIT;
  for (int i = 0; i < 10000; i++) {
    buf_putc(&b, (char)('a' + i % 26));
  }
  cr_assert_eq(b.n, 10000);
  cr_assert_gt(b.nAlloc, 10000);
  cr_assert_eq(b.z[10000], 0);
  cr_assert_eq(b.z[9999], 'a' + 9999 % 26);
  buf_reserve(&b, 100000);
  cr_assert_geq(b.nAlloc, 110001);
  cr_assert_eq(b.n, 10000);
  buf_reset(&b);
}

/* ---- args ------------------------------------------------------------------ */

/* What a child run of a function ended with. */
typedef struct Child {
  int iExit;      /* exit status, -1 when killed by a signal */
  char zErr[512]; /* what it wrote on stderr (cut) */
} Child;

/* True in a child made by run_child. Its exit() must not run LeakSanitizer, which
** would find the records of the parent's threads (absent from the child) and warn
** on stderr. */
static volatile int bInChild = 0;

/* LeakSanitizer's hook (sanitizer/lsan_interface.h): off in such children only. */
int __lsan_is_turned_off(void) {
  return bInChild;
}

/* Run xFn(pArg) in a child process, collecting its exit status and stderr. */
static void run_child(void (*xFn)(void *), void *pArg, Child *c) {
  int aFd[2];
  cr_assert_eq(pipe(aFd), 0);
  fflush(NULL);
  pid_t pid = fork();
  cr_assert_neq(pid, -1);
  if (pid == 0) {
    bInChild = 1;
    close(aFd[0]);
    dup2(aFd[1], 2);
    xFn(pArg);
    _exit(0);
  }
  close(aFd[1]);
  size_t n = 0;
  ssize_t k;
  while ((k = read(aFd[0], c->zErr + n, sizeof c->zErr - 1 - n)) > 0) {
    n += (size_t)k;
  }
  c->zErr[n] = 0;
  close(aFd[0]);
  int status = 0;
  cr_assert_eq(waitpid(pid, &status, 0), pid);
  c->iExit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

Test(args, value_separate, .description = "args-1.1 \"--name value\" is taken out of argv") {
  char *argv[] = {"import", "--db", "plan.db", "archivo.csv", NULL};
  int argc = 4;
  const char *z = args_value(&argc, argv, "db");
  cr_assert_str_eq(z, "plan.db");
  cr_assert_eq(argc, 2);
  cr_assert_str_eq(argv[0], "import");
  cr_assert_str_eq(argv[1], "archivo.csv");
  cr_assert_null(argv[2]);
  cr_assert_null(args_value(&argc, argv, "db"), "gone once taken");
}

Test(args, value_equals, .description = "args-1.2 \"--name=value\", and prefixes do not match") {
  char *argv[] = {"report", "--dbx=1", "--year=2021", "--at=", "--d", NULL};
  int argc = 5;
  cr_assert_null(args_value(&argc, argv, "db"), "--dbx is another option");
  cr_assert_str_eq(args_value(&argc, argv, "year"), "2021");
  cr_assert_str_eq(args_value(&argc, argv, "at"), "", "empty value");
  cr_assert_eq(argc, 3);
  cr_assert_str_eq(argv[1], "--dbx=1");
  cr_assert_str_eq(argv[2], "--d");
}

Test(args, after_double_dash, .description = "args-1.3 nothing after \"--\" is an option") {
  char *argv[] = {"import", "--", "--force", "--db", "x", NULL};
  int argc = 5;
  cr_assert_null(args_value(&argc, argv, "db"));
  cr_assert_not(args_flag(&argc, argv, "force"));
  cr_assert_eq(argc, 5);
}

Test(args, flag, .description = "args-1.4 flags") {
  char *argv[] = {"import", "--force", "archivo.csv", "--forced", NULL};
  int argc = 4;
  cr_assert(args_flag(&argc, argv, "force"));
  cr_assert_eq(argc, 3);
  cr_assert_str_eq(argv[1], "archivo.csv");
  cr_assert_str_eq(argv[2], "--forced");
  cr_assert_not(args_flag(&argc, argv, "force"));
  cr_assert_eq(argc, 3);
}

/* args_value with a missing value (child). */
static void value_missing(void *pArg) {
  (void)pArg;
  char *argv[] = {"import", "--db", NULL};
  int argc = 2;
  args_value(&argc, argv, "db");
}

/* args_value whose value would be past "--" (child). */
static void value_before_dashes(void *pArg) {
  (void)pArg;
  char *argv[] = {"import", "--db", "--", "x", NULL};
  int argc = 4;
  args_value(&argc, argv, "db");
}

Test(args, value_missing, .description = "args-1.5 an option without its value exits 2") {
  Child c;
  run_child(value_missing, NULL, &c);
  cr_assert_eq(c.iExit, 2);
  cr_assert_str_eq(c.zErr, "participa: falta el valor de la opción --db\n");
  run_child(value_before_dashes, NULL, &c);
  cr_assert_eq(c.iExit, 2);
  cr_assert_str_eq(c.zErr, "participa: falta el valor de la opción --db\n");
}

/* args_verify on the NULL-terminated argv in pArg (child). */
static void verify(void *pArg) {
  char **argv = pArg;
  int argc = 0;
  while (argv[argc]) {
    argc++;
  }
  args_verify(&argc, argv, "import");
}

Test(args, verify, .description = "args-1.6 an option left over is an error; numbers are not") {
  Child c;
  char *azOk[] = {"import", "archivo.csv", "-5", "-", "--", "--force", NULL};
  run_child(verify, azOk, &c);
  cr_assert_eq(c.iExit, 0);
  cr_assert_str_eq(c.zErr, "");
  char *azBad[] = {"import", "archivo.csv", "--forse", NULL};
  run_child(verify, azBad, &c);
  cr_assert_eq(c.iExit, 2);
  cr_assert_str_eq(c.zErr, "participa: opción desconocida para «import»: --forse (vea «participa "
                           "help import»)\n");
  char *azShort[] = {"import", "-f", NULL};
  run_child(verify, azShort, &c);
  cr_assert_eq(c.iExit, 2);
  cr_assert_str_eq(c.zErr, "participa: opción desconocida para «import»: -f (vea «participa "
                           "help import»)\n");
}

/* args_count(argc, nMin, nMax) with argc, nMin, nMax in pArg (child). */
static void count(void *pArg) {
  int *a = pArg;
  args_count(a[0], a[1], a[2], "plan show [ÍTEM]");
}

Test(args, count, .description = "args-1.7 positional argument counts") {
  Child c;
  int aOk[] = {2, 0, 1};
  run_child(count, aOk, &c);
  cr_assert_eq(c.iExit, 0);
  int aUnlimited[] = {40, 1, -1};
  run_child(count, aUnlimited, &c);
  cr_assert_eq(c.iExit, 0);
  int aFew[] = {1, 1, 2};
  run_child(count, aFew, &c);
  cr_assert_eq(c.iExit, 2);
  cr_assert_str_eq(c.zErr, "participa: faltan argumentos\nuso: participa plan show [ÍTEM]\n");
  int aMany[] = {3, 0, 1};
  run_child(count, aMany, &c);
  cr_assert_eq(c.iExit, 2);
  cr_assert_str_eq(c.zErr, "participa: sobran argumentos\nuso: participa plan show [ÍTEM]\n");
}

Test(args, verify_removes_separator, .description = "args-1.7 \"--\" is not an argument") {
  char *argv[] = {"check", "--", "-raro.csv", NULL};
  int argc = 3;
  args_verify(&argc, argv, "check");
  cr_assert_eq(argc, 2);
  cr_assert_str_eq(argv[1], "-raro.csv");
}
