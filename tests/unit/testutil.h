/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Helpers shared by the unit tests: temporary directories for test
** databases. Not part of the product.
*/
#ifndef PARTICIPA_TESTS_TESTUTIL_H
#define PARTICIPA_TESTS_TESTUTIL_H

#include <sys/types.h>

/* Remove the flat directory zDir and the files in it; 0 on success. */
int test_remove_dir(const char *zDir);

/* Read everything from fd (the read end of a child's pipe) until end of
** file, close it, wait for child pid and fail the test unless it exited 0.
** Returns what was read, NUL-terminated (caller frees). */
char *test_child_output_dup(int fd, pid_t pid);

#endif
