/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Unit tests for src/db/ratelimit, the public forms' one rate limit: the key
** (IPv4 address, IPv6 /64), the sliding hour and its exact waits, forms
** counted apart, no limit reading and writing nothing, the prune, and the
** view the proposals' old table became. Each test works on a new database
** with the clock fixed (PARTICIPA_NOW).
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/util.h"
#include "db/db.h"
#include "db/ratelimit.h"
#include "testutil.h"

/* A temporary directory with an open database in it. */
typedef TestDb Fx;

/* Make the directory and create the database, fix the clock at 12:00 UTC. */
static void fx_open(Fx *f) {
  test_db_open(f, "ratelimit");
  cr_assert_eq(setenv("PARTICIPA_NOW", "2021-06-30T12:00:00Z", 1), 0);
}

/* Close the database and remove the directory. */
static void fx_close(Fx *f) {
  test_db_close(f);
}

/* Set the fixed clock to zIso. */
static void at(const char *zIso) {
  cr_assert_eq(setenv("PARTICIPA_NOW", zIso, 1), 0);
}

/* The number of rows (client minutes) of rate_bucket. */
static long rows(Fx *f) {
  return (long)db_int(f->db, "SELECT count(*) FROM rate_bucket");
}

Test(ratelimit, key_is_the_ipv4_address_or_the_ipv6_64) {
  char z[RATELIMIT_KEY_MAX + 1];
  ratelimit_key("192.0.2.10", z);
  cr_expect_str_eq(z, "192.0.2.10");
  ratelimit_key("::ffff:192.0.2.10", z);
  cr_expect_str_eq(z, "192.0.2.10", "an IPv4-mapped address is its IPv4 address");
  ratelimit_key("2001:db8:1:2:a:b:c:d", z);
  cr_expect_str_eq(z, "2001:db8:1:2::/64");
  ratelimit_key("2001:DB8:1:2::ffff", z);
  cr_expect_str_eq(z, "2001:db8:1:2::/64", "one key for the whole /64, however written");
  ratelimit_key("2001:db8:1:3::1", z);
  cr_expect_str_eq(z, "2001:db8:1:3::/64");
  ratelimit_key("", z);
  cr_expect_str_eq(z, "");
  ratelimit_key(NULL, z);
  cr_expect_str_eq(z, "");
  ratelimit_key("no es una dirección", z);
  cr_expect_str_eq(z, "no es una dirección");
}

Test(ratelimit, sliding_hour_with_exact_waits) {
  Fx f;
  fx_open(&f);
  cr_expect_eq(ratelimit_wait(f.db, "pqrsd", "192.0.2.10", 2), 0);
  ratelimit_count(f.db, "pqrsd", "192.0.2.10"); /* 12:00 */
  at("2021-06-30T12:10:00Z");
  cr_expect_eq(ratelimit_wait(f.db, "pqrsd", "192.0.2.10", 2), 0);
  ratelimit_count(f.db, "pqrsd", "192.0.2.10"); /* 12:10 */
  cr_expect_eq(ratelimit_wait(f.db, "pqrsd", "192.0.2.10", 2), 3000, "until 12:00's leaves");
  cr_expect_eq(ratelimit_wait(f.db, "pqrsd", "192.0.2.10", 1), 3600, "until 12:10's leaves");
  cr_expect_eq(ratelimit_wait(f.db, "pqrsd", "192.0.2.10", 3), 0);
  cr_expect_eq(ratelimit_wait(f.db, "pqrsd", "192.0.2.11", 2), 0, "another address");
  cr_expect_eq(ratelimit_wait(f.db, "retos", "192.0.2.10", 2), 0, "another form");
  at("2021-06-30T12:59:59Z");
  cr_expect_eq(ratelimit_wait(f.db, "pqrsd", "192.0.2.10", 2), 1);
  at("2021-06-30T13:00:00Z");
  cr_expect_eq(ratelimit_wait(f.db, "pqrsd", "192.0.2.10", 2), 0, "12:00's is out: one fits");
  ratelimit_count(f.db, "pqrsd", "192.0.2.10"); /* 13:00; 12:00's minute is deleted */
  cr_expect_eq(rows(&f), 2);
  cr_expect_eq(ratelimit_wait(f.db, "pqrsd", "192.0.2.10", 2), 600, "until 12:10's leaves");
  fx_close(&f);
}

Test(ratelimit, ipv6_counts_per_64) {
  Fx f;
  fx_open(&f);
  ratelimit_count(f.db, "pqrsd", "2001:db8:1:2::1");
  ratelimit_count(f.db, "pqrsd", "2001:db8:1:2::2");
  cr_expect_eq(ratelimit_wait(f.db, "pqrsd", "2001:db8:1:2:ffff::9", 2), 3600);
  cr_expect_eq(ratelimit_wait(f.db, "pqrsd", "2001:db8:1:3::1", 2), 0, "the next /64");
  fx_close(&f);
}

Test(ratelimit, no_limit_reads_and_writes_nothing) {
  Fx f;
  fx_open(&f);
  for (int i = 0; i < 5; i++) {
    ratelimit_count(f.db, "pqrsd", "192.0.2.10");
  }
  cr_expect_eq(ratelimit_wait(f.db, "pqrsd", "192.0.2.10", 0), 0);
  cr_expect_eq(ratelimit_wait(f.db, "pqrsd", "192.0.2.10", -1), 0);
  cr_expect_eq(ratelimit_wait(f.db, "pqrsd", "192.0.2.10", 5), 3600);
  fx_close(&f);
}

Test(ratelimit, count_joins_the_callers_transaction) {
  Fx f;
  fx_open(&f);
  db_begin(f.db);
  ratelimit_count(f.db, "retos", "192.0.2.10");
  db_rollback(f.db);
  cr_expect_eq(rows(&f), 0, "rolled back with the caller's writes");
  ratelimit_count(f.db, "retos", "192.0.2.10");
  cr_expect_eq(rows(&f), 1, "on its own outside a transaction");
  fx_close(&f);
}

Test(ratelimit, prune_keeps_one_hour_and_the_old_view_reads_proposals) {
  Fx f;
  fx_open(&f);
  ratelimit_count(f.db, "retos", "192.0.2.10");
  ratelimit_count(f.db, "pqrsd", "192.0.2.10");
  cr_expect_eq(db_int(f.db, "SELECT count(*) FROM reto_attempt WHERE address = '192.0.2.10'"), 1);
  at("2021-06-30T12:59:59Z");
  cr_expect_eq(ratelimit_prune(f.db), 0);
  at("2021-06-30T13:00:00Z");
  cr_expect_eq(ratelimit_prune(f.db), 2, "an hour after, no address is kept");
  cr_expect_eq(rows(&f), 0);
  fx_close(&f);
}

Test(ratelimit, one_row_per_minute_and_never_too_early) {
  Fx f;
  fx_open(&f);
  at("2021-06-30T12:00:10Z");
  ratelimit_count(f.db, "pqrsd", "192.0.2.10");
  at("2021-06-30T12:00:50Z");
  for (int i = 0; i < 499; i++) {
    ratelimit_count(f.db, "pqrsd", "192.0.2.10");
  }
  cr_expect_eq(rows(&f), 1, "500 events of one minute are one row");
  cr_expect_eq(db_int(f.db, "SELECT n FROM rate_bucket"), 500);
  at("2021-06-30T12:01:00Z");
  cr_expect_eq(ratelimit_wait(f.db, "pqrsd", "192.0.2.10", 501), 0);
  cr_expect_eq(ratelimit_wait(f.db, "pqrsd", "192.0.2.10", 500), 3590,
               "until the minute's newest event, 12:00:50, is an hour old");
  cr_expect_eq(ratelimit_wait(f.db, "pqrsd", "192.0.2.10", 2), 3590,
               "12:00:10's alone would free one at 13:00:10; the minute frees at 13:00:50");
  at("2021-06-30T13:00:50Z");
  cr_expect_eq(ratelimit_wait(f.db, "pqrsd", "192.0.2.10", 2), 0);
  fx_close(&f);
}
