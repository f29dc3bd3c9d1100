-- participa schema 6: PQRSD (peticiones, quejas, reclamos, sugerencias y
-- denuncias; Ley 1755 de 2015), src/pqrsd/pqrsd.h.
-- Timestamps are ISO text in UTC; *_day columns are ISO dates in Bogotá
-- (UTC-5), the dates legal terms count on. Statuses are stored by their
-- Spanish names; the state machine lives in src/pqrsd/pqrsd.c.

-- The types and their response terms in business days (art. 14),
-- editable by the administrador (terms changed in 2020 and back in 2022).
CREATE TABLE pqrsd_type(
  code      TEXT PRIMARY KEY,
  name      TEXT NOT NULL,
  term_days INTEGER NOT NULL CHECK (term_days BETWEEN 1 AND 100),
  position  INTEGER NOT NULL UNIQUE         -- display order
);
INSERT INTO pqrsd_type(code, name, term_days, position) VALUES
  ('peticion', 'Petición general', 15, 1),
  ('documentos', 'Petición de documentos o información', 10, 2),
  ('consulta', 'Consulta', 30, 3),
  ('queja', 'Queja', 15, 4),
  ('reclamo', 'Reclamo', 15, 5),
  ('sugerencia', 'Sugerencia', 15, 6),
  ('denuncia', 'Denuncia', 15, 7),
  ('felicitacion', 'Felicitación', 15, 8);

-- The last number given each year. Taken and advanced inside the write
-- transaction that stores the PQRSD, so numbers have no gap and no
-- duplicate: a rolled-back filing gives its number back.
CREATE TABLE pqrsd_counter(
  year INTEGER PRIMARY KEY,
  last INTEGER NOT NULL CHECK (last >= 0)
);

CREATE TABLE pqrsd(
  id                INTEGER PRIMARY KEY,
  radicado          TEXT NOT NULL UNIQUE,   -- "2021-PQRSD-000123"
  year              INTEGER NOT NULL,
  seq               INTEGER NOT NULL CHECK (seq >= 1),
  type              TEXT NOT NULL REFERENCES pqrsd_type(code),
  subject           TEXT NOT NULL,
  subject_fold      TEXT NOT NULL,          -- subject folded for accent-insensitive search
  body              TEXT NOT NULL,
  anonymous         INTEGER NOT NULL CHECK (anonymous IN (0, 1)),
  name              TEXT NOT NULL DEFAULT '',
  id_type           TEXT NOT NULL DEFAULT '',
  id_number         TEXT NOT NULL DEFAULT '',
  email             TEXT NOT NULL DEFAULT '',
  phone             TEXT NOT NULL DEFAULT '',
  address           TEXT NOT NULL DEFAULT '',
  reply_channel     TEXT NOT NULL
                    CHECK (reply_channel IN ('correo', 'direccion', 'telefono', 'consulta')),
  consent_notice_version TEXT,              -- the notice consented to; NULL when anonymous
  consent_at        TEXT,                   -- when (UTC)
  code_hash         TEXT NOT NULL,          -- hex SHA-256 of the consultation code
  received_at       TEXT NOT NULL,          -- UTC
  received_day      TEXT NOT NULL,          -- Bogotá date of receipt
  term_start        TEXT NOT NULL,          -- the day the current term runs from
  term_days         INTEGER NOT NULL,       -- the term it was filed with
  due_day           TEXT NOT NULL,          -- current due date (after any extension)
  office_id         INTEGER REFERENCES office(id) ON DELETE SET NULL,
  external_entity   TEXT NOT NULL DEFAULT '', -- entity it was forwarded to
  status            TEXT NOT NULL DEFAULT 'radicada'
                    CHECK (status IN ('radicada', 'asignada', 'trasladada',
                                      'en espera de información', 'respondida', 'cerrada')),
  paused_since      TEXT,                   -- day completion was asked (art. 17)
  pause_deadline    TEXT,                   -- last day the petitioner may complete
  extended          INTEGER NOT NULL DEFAULT 0 CHECK (extended IN (0, 1)),
  extension_reason  TEXT NOT NULL DEFAULT '',
  original_due      TEXT,                   -- due date before the extension
  answer_text       TEXT NOT NULL DEFAULT '',
  answer_at         TEXT,                   -- UTC
  answer_day        TEXT,                   -- Bogotá date of the answer
  answer_public     INTEGER NOT NULL DEFAULT 0 CHECK (answer_public IN (0, 1)),
  answered_by       TEXT NOT NULL DEFAULT '',
  closed_at         TEXT,                   -- UTC
  file_sha256       TEXT,                   -- the citizen's attachment (<data-dir>/pqrsd)
  file_name         TEXT,
  file_mime         TEXT,
  file_size         INTEGER,
  answer_file_sha256 TEXT,                  -- the answer's attachment
  answer_file_name  TEXT,
  answer_file_mime  TEXT,
  answer_file_size  INTEGER,
  UNIQUE (year, seq)
);
-- Inbox filters and the report.
CREATE INDEX pqrsd_status_due ON pqrsd(status, due_day);
CREATE INDEX pqrsd_office_due ON pqrsd(office_id, due_day);
CREATE INDEX pqrsd_due ON pqrsd(due_day);
CREATE INDEX pqrsd_type_year ON pqrsd(type, year);
CREATE INDEX pqrsd_answer_public ON pqrsd(answer_public, answer_day) WHERE answer_public = 1;

-- Merging two offices deletes the one that became an alias: its PQRSD move
-- to the office it was merged into (as user_office_merge does), instead of
-- losing their office through ON DELETE SET NULL.
CREATE TRIGGER pqrsd_office_merge BEFORE DELETE ON office
BEGIN
  UPDATE pqrsd SET office_id =
    (SELECT a.office_id FROM office_alias a WHERE a.fold = old.fold AND a.office_id <> old.id)
  WHERE office_id = old.id
    AND EXISTS (SELECT 1 FROM office_alias a WHERE a.fold = old.fold AND a.office_id <> old.id);
END;

-- The history of each PQRSD, for staff and (public = 1) for the petitioner.
CREATE TABLE pqrsd_event(
  id       INTEGER PRIMARY KEY,
  pqrsd_id INTEGER NOT NULL REFERENCES pqrsd(id) ON DELETE CASCADE,
  at       TEXT NOT NULL,                   -- UTC
  actor    TEXT NOT NULL,
  kind     TEXT NOT NULL,
  detail   TEXT NOT NULL DEFAULT '',
  public   INTEGER NOT NULL CHECK (public IN (0, 1))
);
CREATE INDEX pqrsd_event_pqrsd ON pqrsd_event(pqrsd_id);
