/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Command-line option parsing in the Fossil manner: a command pulls out the
** options it knows (removing them from argv), then args_verify() fails on
** anything that still looks like an option. Accepts "--name value" and
** "--name=value". Usage errors print a Spanish message and exit with 2.
*/
#ifndef PARTICIPA_BASE_ARGS_H
#define PARTICIPA_BASE_ARGS_H

#include <stdbool.h>

/* Remove "--zName VALUE" (or "--zName=VALUE") from argv and return VALUE
** (borrowed from argv), or NULL when absent. A missing value exits 2. */
const char *args_value(int *pArgc, char **argv, const char *zName);
/* Remove the flag "--zName" from argv; true when it was present. */
bool args_flag(int *pArgc, char **argv, const char *zName);
/* Exit 2 with a message naming zCmd when an unknown option is left in argv
** (after "--" everything is an argument; the "--" itself is removed). */
void args_verify(int *pArgc, char **argv, const char *zCmd);
/* z as a whole number in [nMin, nMax], or exit 2 naming zWhat. */
long args_long(const char *z, long nMin, long nMax, const char *zWhat, const char *zUsage);
/* Exit 2 unless argc is within [nMin, nMax] positional arguments (argv[0]
** is the command itself and not counted); zUsage is printed on failure. */
void args_count(int argc, int nMin, int nMax, const char *zUsage);
/* Print "participa: MSG" and "uso: USAGE" to stderr and exit 2. */
_Noreturn void args_usage_error(const char *zUsage, const char *zFmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
