-- participa schema 10: one rate limit for every public form (src/db/ratelimit.h).
-- The events counted (a PQRSD filed, a failed PQRSD status check, a
-- proposal sent) are kept per form, client network (an IPv4 address, or the
-- /64 of an IPv6 address) and minute: at most 61 rows per client in the
-- window, however high the limit, so a check reads little. A row counts
-- until its newest event is an hour old; rows past that are deleted by the
-- next counted event and by the daily upkeep, so an address is kept no
-- longer than the limit needs.
CREATE TABLE rate_bucket(
  form    TEXT NOT NULL,                    -- which limit: 'pqrsd', 'pqrsd-consulta', 'retos'
  key     TEXT NOT NULL,                    -- IPv4 address or IPv6 /64 ("2001:db8:1:2::/64")
  minute  INTEGER NOT NULL,                 -- Unix minute (seconds / 60) of the events
  n       INTEGER NOT NULL,                 -- events in that minute
  last_at INTEGER NOT NULL,                 -- Unix seconds of the newest of them
  PRIMARY KEY (form, key, minute)
);
CREATE INDEX rate_bucket_last ON rate_bucket(last_at);

-- The proposals' attempts of the last hour move over (an IPv4 address is
-- its own key; an IPv6 one counts apart from its /64 until the hour ends).
INSERT INTO rate_bucket(form, key, minute, n, last_at)
  SELECT 'retos', address, at / 60, count(*), max(at) FROM reto_attempt
  GROUP BY address, at / 60;
DROP TABLE reto_attempt;
-- Read-only, for queries written against schema 7: one row per minute.
CREATE VIEW reto_attempt AS SELECT key AS address, last_at AS at FROM rate_bucket
  WHERE form = 'retos';
