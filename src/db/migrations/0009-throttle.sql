-- participa schema 9: login throttling by account and address pair
-- (src/auth/auth.h). Failed logins keep their raw address and the login as
-- typed only for the throttling window; what outlives it is a keyed hash.

-- Which limit a refused row (login_failure.refused = 1) stands for: the
-- account and address pair, the address across accounts, or the account
-- across addresses. One change-log entry is written per limit, key and
-- window.
ALTER TABLE login_failure ADD COLUMN scope TEXT NOT NULL DEFAULT ''
  CHECK (scope IN ('', 'par', 'direccion', 'cuenta'));
CREATE INDEX login_failure_pair ON login_failure(login, address, refused, at);

-- A random key, made once per database, for the tags of login_trust: the
-- address of a successful login is kept only as a keyed hash.
CREATE TABLE auth_key(
  id     INTEGER PRIMARY KEY CHECK (id = 1),
  secret BLOB NOT NULL                      -- 32 random bytes
);
INSERT INTO auth_key(id, secret) VALUES (1, randomblob(32));

-- Addresses from which an account signed in recently (as tags, never the
-- address): failures of others on that account or from that address do not
-- slow it there. Rows older than the trust period are deleted.
CREATE TABLE login_trust(
  user_id INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  tag     TEXT NOT NULL,                    -- hex keyed BLAKE2b of the address
  at      INTEGER NOT NULL,                 -- Unix seconds of the last success
  PRIMARY KEY (user_id, tag)
);
CREATE INDEX login_trust_at ON login_trust(at);
