/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Memory allocation that never returns NULL, fatal-error and assertion
** helpers. Knows nothing about the domain. Allocation failure prints the
** requested size and aborts: callers never check for NULL.
*/
#ifndef PARTICIPA_BASE_UTIL_H
#define PARTICIPA_BASE_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))

/* Allocate n bytes; aborts on failure, never returns NULL. Free with free(). */
void *xmalloc(size_t n);
/* Allocate n*size zeroed bytes; aborts on failure or overflow. */
void *xcalloc(size_t n, size_t size);
/* Resize p to n bytes; aborts on failure. */
void *xrealloc(void *p, size_t n);
/* Copy of the NUL-terminated z (NULL gives NULL). Caller frees. */
char *xstrdup(const char *z);
/* Copy of the first n bytes of z plus a NUL. Caller frees. */
char *xstrndup(const char *z, size_t n);
/* printf into a new string. Caller frees. */
char *xasprintf(const char *zFmt, ...) PRINTF_LIKE(1, 2);
/* vprintf into a new string. Caller frees. */
char *xvasprintf(const char *zFmt, va_list ap);

/* Print "participa: error: MSG" to stderr and exit(1). For operational
** failures in CLI context (disk full, database unreadable). */
_Noreturn void app_fatal(const char *zFmt, ...) PRINTF_LIKE(1, 2);

/* Report an internal bug with its source position and abort. */
_Noreturn void app_panic_at(const char *zFile, int iLine, const char *zMsg);
#define app_panic(msg) app_panic_at(__FILE__, __LINE__, (msg))
/* Assert that always runs, in every build. */
#define ASSERT(x)                                                                                  \
  do {                                                                                             \
    if (!(x)) {                                                                                    \
      app_panic_at(__FILE__, __LINE__, #x);                                                        \
    }                                                                                              \
  } while (0)

/* Test-only hook: when > 0, the Nth allocation from now fails (aborts as
** an out-of-memory failure would). 0 disables. */
extern long g_nAllocFail;

/* The Spanish description of an errno value (ENOENT: "el archivo no
** existe", EACCES: "permiso denegado", ...); strerror's text for the rare
** ones. Static string. */
const char *os_error(int iErrno);

/* Return true when z is NULL or holds only ASCII whitespace. */
bool str_is_blank(const char *z);
/* Case-sensitive equality that treats NULL as "". */
bool str_eq(const char *a, const char *b);

#endif
