/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Unit tests for the CLI command table (src/tables/commands.c): the
** top-level table and every nested one sorted by name and unique; every
** entry with a one-line summary, help and a usage that starts with the
** command's own words; a parent's help naming each of its subcommands;
** hidden entries exactly the test- ones, out of prefix lookup; and
** command_find's exact, prefix, ambiguous and unknown answers. Last, each
** handler's usage errors print its usage from the table (App.zUsage), run
** in a child process because a usage error exits.
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/util.h"
#include "tables/commands.h"

/* Call x(c, zPath, pArg) for every entry: top-level ones with zParent NULL,
** subcommands with their parent. */
typedef void (*EntryFunc)(const Command *c, const Command *pParent, void *pArg);
static void each_entry(EntryFunc x, void *pArg) {
  for (int i = 0; i < nCommand; i++) {
    x(&aCommand[i], NULL, pArg);
    for (int j = 0; j < aCommand[i].nSub; j++) {
      x(&aCommand[i].aSub[j], &aCommand[i], pArg);
    }
  }
}

/* "parent name" or "name": the words that run entry c (caller frees). */
static char *entry_path_dup(const Command *c, const Command *pParent) {
  return pParent ? xasprintf("%s %s", pParent->zName, c->zName) : xstrdup(c->zName);
}

/* Assert a[0..n) strictly increasing by name (sorted, no duplicate). */
static void expect_sorted(const Command *a, int n, const char *zTable) {
  cr_assert_gt(n, 0, "table %s is empty", zTable);
  for (int i = 1; i < n; i++) {
    cr_assert_lt(strcmp(a[i - 1].zName, a[i].zName), 0, "table %s: «%s» before «%s»", zTable,
                 a[i - 1].zName, a[i].zName);
  }
}

Test(commands, sorted_unique, .description = "commands-1.1 every table is sorted and unique") {
  expect_sorted(aCommand, nCommand, "aCommand");
  for (int i = 0; i < nCommand; i++) {
    if (aCommand[i].aSub) {
      expect_sorted(aCommand[i].aSub, aCommand[i].nSub, aCommand[i].zName);
    }
  }
}

/* EntryFunc: the entry's texts are there and its usage starts with its words. */
static void check_texts(const Command *c, const Command *pParent, void *pArg) {
  int *pn = pArg;
  char *zPath = entry_path_dup(c, pParent);
  cr_assert(c->zName && c->zName[0], "an entry of %s has no name", pParent ? pParent->zName : "");
  cr_assert(c->zSummary && c->zSummary[0], "«%s» has no summary", zPath);
  cr_assert_null(strchr(c->zSummary, '\n'), "the summary of «%s» is one line", zPath);
  cr_assert(c->zHelp && c->zHelp[0], "«%s» has no help", zPath);
  cr_assert(c->zUsage && c->zUsage[0], "«%s» has no usage", zPath);
  cr_assert_null(strchr(c->zUsage, '\n'), "the usage of «%s» is one line", zPath);
  size_t n = strlen(zPath);
  cr_assert(strncmp(c->zUsage, zPath, n) == 0 && (c->zUsage[n] == 0 || c->zUsage[n] == ' '),
            "the usage of «%s» starts with its name: «%s»", zPath, c->zUsage);
  free(zPath);
  (*pn)++;
}

Test(commands, texts, .description = "commands-1.2 every entry has summary, help and usage") {
  int n = 0;
  each_entry(check_texts, &n);
  cr_assert_geq(n, 50, "%d entries checked", n);
}

/* EntryFunc: a parent dispatches to its table, a leaf has a handler. */
static void check_shape(const Command *c, const Command *pParent, void *pArg) {
  (void)pArg;
  char *zPath = entry_path_dup(c, pParent);
  if (c->aSub) {
    cr_assert_null(c->xFunc, "«%s» has subcommands and no handler", zPath);
    cr_assert_gt(c->nSub, 0, "«%s»", zPath);
    cr_assert_null(pParent, "«%s»: subcommands are one level deep", zPath);
    for (int j = 0; j < c->nSub; j++) {
      /* the parent's help lists each subcommand by name */
      Buf want = BUF_INIT;
      buf_appendf(&want, " %s", c->aSub[j].zName);
      cr_assert_not_null(strstr(c->zHelp, buf_str(&want)), "the help of «%s» names «%s»: %s", zPath,
                         c->aSub[j].zName, c->zHelp);
      buf_reset(&want);
    }
  } else {
    cr_assert_not_null(c->xFunc, "«%s» has a handler", zPath);
    cr_assert_eq(c->nSub, 0, "«%s»", zPath);
  }
  free(zPath);
}

Test(commands, shape, .description = "commands-1.3 parents dispatch, leaves have handlers") {
  each_entry(check_shape, NULL);
}

/* EntryFunc: hidden exactly when a test- command; counts them in *pArg. */
static void check_hidden(const Command *c, const Command *pParent, void *pArg) {
  int *pn = pArg;
  char *zPath = entry_path_dup(c, pParent);
  bool bTest = strncmp(c->zName, "test-", 5) == 0;
  cr_assert_eq((c->flags & CMD_HIDDEN) != 0, bTest, "«%s»: hidden exactly when a test- command",
               zPath);
  if (bTest) {
    cr_assert_null(pParent, "«%s»: test- commands are top-level", zPath);
    cr_assert_eq(c->flags & (CMD_DB | CMD_NEWDB), 0, "«%s» works without a database", zPath);
    (*pn)++;
  }
  free(zPath);
}

Test(commands, hidden, .description = "commands-1.4 hidden entries are the test- commands") {
  int n = 0;
  each_entry(check_hidden, &n);
  cr_assert_eq(n, 2, "test-table and test-text");
}

Test(commands, find, .description = "commands-2.1 exact name, unique prefix, ambiguity") {
  bool bAmbiguous = true;
  const Command *c = command_find(aCommand, nCommand, "report", &bAmbiguous);
  cr_assert_not_null(c);
  cr_assert_str_eq(c->zName, "report");
  cr_assert_not(bAmbiguous);
  /* "rep" is report only; "re" is report and restore */
  c = command_find(aCommand, nCommand, "rep", &bAmbiguous);
  cr_assert_not_null(c);
  cr_assert_str_eq(c->zName, "report");
  c = command_find(aCommand, nCommand, "re", &bAmbiguous);
  cr_assert_null(c);
  cr_assert(bAmbiguous);
  c = command_find(aCommand, nCommand, "nada", &bAmbiguous);
  cr_assert_null(c);
  cr_assert_not(bAmbiguous);
  c = command_find(aCommand, nCommand, "", &bAmbiguous);
  cr_assert_null(c, "an empty name is no prefix");
  /* a subcommand in its parent's table */
  const Command *pUser = command_find(aCommand, nCommand, "user", &bAmbiguous);
  cr_assert_not_null(pUser);
  c = command_find(pUser->aSub, pUser->nSub, "un", &bAmbiguous);
  cr_assert_not_null(c);
  cr_assert_str_eq(c->zName, "unlock");
}

Test(commands, find_hidden, .description = "commands-2.2 hidden commands only by full name") {
  bool bAmbiguous = true;
  /* "test" prefixes only the two hidden commands: no match, not ambiguous */
  cr_assert_null(command_find(aCommand, nCommand, "test", &bAmbiguous));
  cr_assert_not(bAmbiguous);
  cr_assert_null(command_find(aCommand, nCommand, "test-te", &bAmbiguous));
  const Command *c = command_find(aCommand, nCommand, "test-text", &bAmbiguous);
  cr_assert_not_null(c);
  cr_assert_str_eq(c->zName, "test-text");
}

/* The entry at zPath ("period set"), or fail. */
static const Command *entry(const char *zCmd, const char *zSub) {
  bool bAmbiguous;
  const Command *c = command_find(aCommand, nCommand, zCmd, &bAmbiguous);
  cr_assert_not_null(c, "%s", zCmd);
  if (zSub) {
    c = command_find(c->aSub, c->nSub, zSub, &bAmbiguous);
    cr_assert_not_null(c, "%s %s", zCmd, zSub);
  }
  return c;
}

/* on_exit handler of the child: end at once with the status exit() was
** given, before the leak checker's own exit handler (a usage error exits
** with what main and the handler hold, by design). */
static void child_exit_now(int status, void *pArg) {
  (void)pArg;
  _exit(status);
}

/* Run c's handler in a child as main would (App.zUsage from the table, no
** database) with argv azArg[0..nArg); return what it wrote to stderr
** (caller frees) and its exit status in *pStatus. */
static char *run_stderr_dup(const Command *c, int nArg, const char **azArg, int *pStatus) {
  int fd[2];
  cr_assert_eq(pipe(fd), 0);
  fflush(NULL);
  pid_t pid = fork();
  cr_assert_neq(pid, -1);
  if (pid == 0) {
    close(fd[0]);
    if (on_exit(child_exit_now, NULL) != 0 || dup2(fd[1], 2) < 0) {
      _exit(99);
    }
    App app;
    memset(&app, 0, sizeof app);
    app.zDbPath = "/nonexistent/participa.db";
    app.zUsage = c->zUsage;
    char *azArgv[16];
    for (int i = 0; i < nArg && i < 15; i++) {
      azArgv[i] = (char *)azArg[i];
    }
    azArgv[nArg] = NULL;
    _exit(c->xFunc(&app, nArg, azArgv) == 0 ? 98 : 97); /* not reached: usage errors exit 2 */
  }
  close(fd[1]);
  Buf out = BUF_INIT;
  char a[512];
  ssize_t n;
  while ((n = read(fd[0], a, sizeof a)) > 0) {
    buf_append(&out, a, (size_t)n);
  }
  close(fd[0]);
  cr_assert_eq(waitpid(pid, pStatus, 0), pid);
  buf_putc(&out, 0);
  return buf_take(&out);
}

Test(commands, usage_import,
     .description = "commands-3.1 import's usage error prints the table's usage, --year included") {
  const char *azArg[] = {"import"};
  int status = 0;
  char *zErr = run_stderr_dup(entry("import", NULL), 1, azArg, &status);
  cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 2, "status %d", status);
  cr_assert_str_eq(zErr, "participa: faltan argumentos\n"
                         "uso: participa import ARCHIVO [--force] [--sheet HOJA] [--entity NOMBRE] "
                         "[--year AÑO]\n");
  free(zErr);
}

Test(commands, usage_period_set,
     .description = "commands-3.2 period set's usage error prints the table's usage") {
  const char *azArg[] = {"set", "T2"};
  int status = 0;
  char *zErr = run_stderr_dup(entry("period", "set"), 2, azArg, &status);
  cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 2, "status %d", status);
  cr_assert_str_eq(zErr, "participa: faltan argumentos\nuso: participa period set PERIODO FECHA\n");
  free(zErr);
}

/* EntryFunc: with nine surplus arguments every leaf handler but the few
** that take any number refuses "sobran argumentos" with its table usage. */
static void check_usage(const Command *c, const Command *pParent, void *pArg) {
  int *pn = pArg;
  /* calendar prints the usage of the form used (calendar_cmd.c); the test-
  ** commands take any number of words */
  if (c->aSub || strcmp(c->zName, "calendar") == 0 || strcmp(c->zName, "test-text") == 0) {
    return;
  }
  const char *azArg[] = {c->zName, "1", "2", "3", "4", "5", "6", "7", "8", "9"};
  int status = 0;
  char *zErr = run_stderr_dup(c, 10, azArg, &status);
  char *zPath = entry_path_dup(c, pParent);
  char *zWant = xasprintf("participa: sobran argumentos\nuso: participa %s\n", c->zUsage);
  cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 2, "«%s»: status %d", zPath, status);
  cr_assert_str_eq(zErr, zWant, "«%s»", zPath);
  free(zWant);
  free(zPath);
  free(zErr);
  (*pn)++;
}

Test(commands, usage_every,
     .description = "commands-3.3 every handler's usage errors print its usage from the table") {
  int n = 0;
  each_entry(check_usage, &n);
  cr_assert_geq(n, 40, "%d handlers checked", n);
}
