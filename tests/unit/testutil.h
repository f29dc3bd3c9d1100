/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Helpers shared by the unit tests: temporary directories for test
** databases. Not part of the product.
*/
#ifndef PARTICIPA_TESTS_TESTUTIL_H
#define PARTICIPA_TESTS_TESTUTIL_H

/* Remove the flat directory zDir and the files in it; 0 on success. */
int test_remove_dir(const char *zDir);

#endif
