-- participa schema 3: accounts, the offices a responsable reports for,
-- sessions and failed logins (src/auth/auth.h).
-- Session and failure times are Unix seconds (INTEGER), compared on every
-- signed-in request; account timestamps are ISO text in UTC like the rest.

-- People who sign in. Logins are lower case [a-z0-9._-]; the hash is
-- libsodium's argon2id string (algorithm, parameters and salt included).
CREATE TABLE app_user(
  id            INTEGER PRIMARY KEY,
  login         TEXT NOT NULL UNIQUE,
  full_name     TEXT NOT NULL DEFAULT '',
  role          TEXT NOT NULL
                CHECK (role IN ('administrador', 'planeacion', 'responsable', 'control-interno')),
  password_hash TEXT NOT NULL,
  must_change   INTEGER NOT NULL DEFAULT 0 CHECK (must_change IN (0, 1)),
  disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at    TEXT NOT NULL,
  last_login_at TEXT                        -- NULL until the first login
);

-- The offices a responsable reports for.
CREATE TABLE user_office(
  user_id   INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  office_id INTEGER NOT NULL REFERENCES office(id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, office_id)
);
CREATE INDEX user_office_office ON user_office(office_id);

-- Merging two offices deletes the one that became an alias after adding its
-- name to the aliases of the main one: its responsables move along instead
-- of losing the office through the cascade.
CREATE TRIGGER user_office_merge BEFORE DELETE ON office
BEGIN
  INSERT INTO user_office(user_id, office_id)
    SELECT uo.user_id, a.office_id FROM user_office uo, office_alias a
    WHERE uo.office_id = old.id AND a.fold = old.fold AND a.office_id <> old.id
    ON CONFLICT DO NOTHING;
END;

-- Signed-in browsers. The token itself is never stored, only its SHA-256.
CREATE TABLE session(
  id           INTEGER PRIMARY KEY,
  token_hash   TEXT NOT NULL UNIQUE,        -- hex SHA-256 of the cookie token
  user_id      INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  csrf         TEXT NOT NULL,               -- the session's CSRF token
  created_at   INTEGER NOT NULL,            -- Unix seconds
  last_seen_at INTEGER NOT NULL,            -- Unix seconds, updated at most once a minute
  address      TEXT NOT NULL DEFAULT ''     -- client address at login
);
CREATE INDEX session_user ON session(user_id);

-- Failed logins within the throttling window (older rows are purged).
-- A refused row records that a throttled attempt was written to the change
-- log, so that an attacker hammering a locked account adds one entry per
-- window, not one per attempt; refused rows do not count as failures.
CREATE TABLE login_failure(
  id      INTEGER PRIMARY KEY,
  login   TEXT NOT NULL,                    -- the login as typed, folded
  address TEXT NOT NULL,
  at      INTEGER NOT NULL,                 -- Unix seconds
  refused INTEGER NOT NULL DEFAULT 0 CHECK (refused IN (0, 1))
);
CREATE INDEX login_failure_login ON login_failure(login, refused, at);
CREATE INDEX login_failure_address ON login_failure(address, refused, at);
CREATE INDEX login_failure_at ON login_failure(at);
