/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Helpers shared by the unit tests: temporary directories for test
** databases. Not part of the product.
*/
#ifndef PARTICIPA_TESTS_TESTUTIL_H
#define PARTICIPA_TESTS_TESTUTIL_H

#include <sys/types.h>

#include "db/db.h"

/* A database created for one test in a temporary directory of its own. */
typedef struct TestDb {
  char zDir[64]; /* the directory, /tmp/participa-NAME-XXXXXX */
  char *zDb;     /* zDir/test.db (owned) */
  Db *db;        /* the open database (current schema) */
} TestDb;

/* Make the directory and create and open the database; fails the test
** when it cannot. zName names the directory ("setting"). */
void test_db_open(TestDb *t, const char *zName);
/* Close the database and remove the directory. */
void test_db_close(TestDb *t);

/* Remove the flat directory zDir and the files in it; 0 on success. */
int test_remove_dir(const char *zDir);

/* Read everything from fd (the read end of a child's pipe) until end of
** file, close it, wait for child pid and fail the test unless it exited 0.
** Returns what was read, NUL-terminated (caller frees). */
char *test_child_output_dup(int fd, pid_t pid);

#endif
