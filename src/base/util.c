/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Allocation wrappers and fatal/panic reporting (see util.h).
*/
#include "base/util.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

long g_nAllocFail = 0; /* test hook: fail the Nth allocation from now; 0 = never */

/* Abort after an allocation of n bytes failed. */
static _Noreturn void oom(size_t n) {
  fprintf(stderr, "participa: sin memoria: no se pudieron reservar %zu bytes\n", n);
  abort();
}

/* Count down the failure-injection hook; true when this allocation must fail. */
static bool alloc_should_fail(void) {
  if (g_nAllocFail > 0 && --g_nAllocFail == 0) {
    return true;
  }
  return false;
}

void *xmalloc(size_t n) {
  void *p = alloc_should_fail() ? NULL : malloc(n ? n : 1);
  if (p == NULL) {
    oom(n);
  }
  return p;
}

void *xcalloc(size_t n, size_t size) {
  if (size != 0 && n > SIZE_MAX / size) {
    oom(SIZE_MAX);
  }
  void *p = alloc_should_fail() ? NULL : calloc(n ? n : 1, size ? size : 1);
  if (p == NULL) {
    oom(n * size);
  }
  return p;
}

void *xrealloc(void *p, size_t n) {
  void *q = alloc_should_fail() ? NULL : realloc(p, n ? n : 1);
  if (q == NULL) {
    oom(n);
  }
  return q;
}

char *xstrdup(const char *z) {
  if (z == NULL) {
    return NULL;
  }
  return xstrndup(z, strlen(z));
}

char *xstrndup(const char *z, size_t n) {
  char *p = xmalloc(n + 1);
  memcpy(p, z, n);
  p[n] = 0;
  return p;
}

char *xvasprintf(const char *zFmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  char c;
  int n = vsnprintf(&c, 1, zFmt, ap2);
  va_end(ap2);
  if (n < 0) {
    app_panic("vsnprintf failed");
  }
  char *z = xmalloc((size_t)n + 1);
  vsnprintf(z, (size_t)n + 1, zFmt, ap);
  return z;
}

char *xasprintf(const char *zFmt, ...) {
  va_list ap;
  va_start(ap, zFmt);
  char *z = xvasprintf(zFmt, ap);
  va_end(ap);
  return z;
}

_Noreturn void app_fatal(const char *zFmt, ...) {
  va_list ap;
  va_start(ap, zFmt);
  fputs("participa: error: ", stderr);
  vfprintf(stderr, zFmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(1);
}

_Noreturn void app_panic_at(const char *zFile, int iLine, const char *zMsg) {
  fprintf(stderr, "%s:%d: error interno: %s\n", zFile, iLine, zMsg);
  abort();
}

bool str_is_blank(const char *z) {
  if (z == NULL) {
    return true;
  }
  for (; *z; z++) {
    if (*z != ' ' && *z != '\t' && *z != '\r' && *z != '\n' && *z != '\f' && *z != '\v') {
      return false;
    }
  }
  return true;
}

bool str_eq(const char *a, const char *b) {
  return strcmp(a ? a : "", b ? b : "") == 0;
}

const char *os_error(int iErrno) {
  switch (iErrno) {
  case ENOENT:
    return "el archivo o la carpeta no existe";
  case EACCES:
  case EPERM:
    return "permiso denegado";
  case EISDIR:
    return "es una carpeta, no un archivo";
  case ENOTDIR:
    return "una parte de la ruta no es una carpeta";
  case ENOSPC:
    return "no queda espacio en el disco";
  case EROFS:
    return "el sistema de archivos es de solo lectura";
  case EMFILE:
  case ENFILE:
    return "demasiados archivos abiertos";
  case ENAMETOOLONG:
    return "el nombre es demasiado largo";
  case EIO:
    return "error de entrada/salida del disco";
  case EEXIST:
    return "ya existe";
  default:
    return strerror(iErrno);
  }
}
