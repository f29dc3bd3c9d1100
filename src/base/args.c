/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Option parsing (see args.h).
*/
#include "base/args.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Remove argv[i..i+n-1] from argv. */
static void remove_args(int *pArgc, char **argv, int i, int n) {
  for (int j = i; j + n <= *pArgc; j++) {
    argv[j] = argv[j + n];
  }
  *pArgc -= n;
}

/* Index of the "--" separator in argv, or argc when there is none. */
static int end_of_options(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--") == 0) {
      return i;
    }
  }
  return argc;
}

_Noreturn void args_usage_error(const char *zUsage, const char *zFmt, ...) {
  va_list ap;
  va_start(ap, zFmt);
  fputs("participa: ", stderr);
  vfprintf(stderr, zFmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  if (zUsage) {
    fprintf(stderr, "uso: participa %s\n", zUsage);
  }
  exit(2);
}

const char *args_value(int *pArgc, char **argv, const char *zName) {
  size_t n = strlen(zName);
  int iEnd = end_of_options(*pArgc, argv);
  for (int i = 1; i < iEnd; i++) {
    const char *z = argv[i];
    if (z[0] != '-' || z[1] != '-' || strncmp(z + 2, zName, n) != 0) {
      continue;
    }
    if (z[2 + n] == '=') {
      remove_args(pArgc, argv, i, 1);
      return z + 3 + n;
    }
    if (z[2 + n] == 0) {
      if (i + 1 >= iEnd) {
        args_usage_error(NULL, "falta el valor de la opción --%s", zName);
      }
      const char *zVal = argv[i + 1];
      remove_args(pArgc, argv, i, 2);
      return zVal;
    }
  }
  return NULL;
}

bool args_flag(int *pArgc, char **argv, const char *zName) {
  int iEnd = end_of_options(*pArgc, argv);
  for (int i = 1; i < iEnd; i++) {
    if (argv[i][0] == '-' && argv[i][1] == '-' && strcmp(argv[i] + 2, zName) == 0) {
      remove_args(pArgc, argv, i, 1);
      return true;
    }
  }
  return false;
}

void args_verify(int *pArgc, char **argv, const char *zCmd) {
  int argc = *pArgc;
  int iEnd = end_of_options(argc, argv);
  for (int i = 1; i < iEnd; i++) {
    if (argv[i][0] == '-' && argv[i][1] != 0 && !(argv[i][1] >= '0' && argv[i][1] <= '9')) {
      args_usage_error(NULL, "opción desconocida para «%s»: %s (vea «participa help %s»)", zCmd,
                       argv[i], zCmd);
    }
  }
  if (iEnd < argc) {
    remove_args(pArgc, argv, iEnd, 1); /* "--" itself is not an argument */
  }
}

void args_count(int argc, int nMin, int nMax, const char *zUsage) {
  int n = argc - 1;
  if (n < nMin) {
    args_usage_error(zUsage, "faltan argumentos");
  }
  if (nMax >= 0 && n > nMax) {
    args_usage_error(zUsage, "sobran argumentos");
  }
}

long args_long(const char *z, long nMin, long nMax, const char *zWhat, const char *zUsage) {
  char *zEnd;
  errno = 0;
  long v = strtol(z, &zEnd, 10);
  if (z[0] == 0 || *zEnd != 0 || errno != 0 || v < nMin || v > nMax) {
    args_usage_error(zUsage, "%s «%s» no es válido; escriba un número entero de %ld a %ld", zWhat, z,
                     nMin, nMax);
  }
  return v;
}
