-- participa schema 7: open challenges (retos, item 11 of the plan).
-- planeación publishes a problem; citizens send proposals, which are
-- moderated before they are shown; a proposal can be filed as a PQRSD
-- sugerencia (its radicado is kept here). src/retos/retos.h has the rules.
-- Dates are ISO text (YYYY-MM-DD), timestamps ISO text in UTC.

-- A challenge. Its status is derived, never stored: a draft until
-- published, then open from opens_on to closes_on (both included), closed
-- after.
CREATE TABLE reto(
  id          INTEGER PRIMARY KEY,
  title       TEXT NOT NULL,
  description TEXT NOT NULL,                 -- the problem statement
  opens_on    TEXT NOT NULL,                 -- first day proposals are received
  closes_on   TEXT NOT NULL,                 -- last day proposals are received
  office_id   INTEGER NOT NULL REFERENCES office(id), -- the responsible office
  published   INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),
  created_by  TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  CHECK (closes_on >= opens_on)
);

-- The exact texts of the personal-data notices proposals consented to,
-- once each, so that every consent can be proven later with its words.
CREATE TABLE reto_notice(
  hash TEXT PRIMARY KEY,                     -- hex SHA-256 of text
  text TEXT NOT NULL
);

-- A citizen's proposal. Name and e-mail are personal data: they never go
-- to the change log (which cannot be edited), only here, where they can be
-- corrected or deleted. An identified proposal carries its consent.
CREATE TABLE reto_proposal(
  id            INTEGER PRIMARY KEY,
  reto_id       INTEGER NOT NULL REFERENCES reto(id),
  author_name   TEXT NOT NULL DEFAULT '',    -- '' = anonymous
  email         TEXT NOT NULL DEFAULT '',    -- '' = none; never shown publicly
  body          TEXT NOT NULL,
  received_at   TEXT NOT NULL,
  consent_at    TEXT,                        -- when an identified author consented
  consent_hash  TEXT REFERENCES reto_notice(hash), -- to which notice
  status        TEXT NOT NULL DEFAULT 'pendiente'
                CHECK (status IN ('pendiente', 'publicada', 'rechazada')),
  moderator     TEXT,
  moderated_at  TEXT,
  reject_reason TEXT,                        -- why it was not published
  radicado      TEXT,                        -- the sugerencia it was filed as
  CHECK ((author_name = '' AND email = '') OR consent_hash IS NOT NULL)
);
CREATE INDEX reto_proposal_reto ON reto_proposal(reto_id, status);
CREATE INDEX reto_proposal_status ON reto_proposal(status, id);

-- Proposals received per client address in the last hour (the rate limit,
-- setting retos.limite_hora). Rows older than an hour are deleted by the
-- next submission: the address is kept no longer than the limit needs.
CREATE TABLE reto_attempt(
  id      INTEGER PRIMARY KEY,
  address TEXT NOT NULL,
  at      INTEGER NOT NULL                   -- Unix seconds
);
CREATE INDEX reto_attempt_address ON reto_attempt(address, at);
CREATE INDEX reto_attempt_at ON reto_attempt(at);

-- Merging two offices deletes the one that became an alias (see
-- user_office_merge in migration 3): its challenges move to the main one.
CREATE TRIGGER reto_office_merge BEFORE DELETE ON office
BEGIN
  UPDATE reto SET office_id = (SELECT a.office_id FROM office_alias a
                               WHERE a.fold = old.fold AND a.office_id <> old.id)
    WHERE office_id = old.id
      AND EXISTS (SELECT 1 FROM office_alias a WHERE a.fold = old.fold AND a.office_id <> old.id);
END;
