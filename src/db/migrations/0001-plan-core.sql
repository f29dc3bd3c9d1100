-- participa schema 1: the action plan core.
-- Dates are ISO text (YYYY-MM-DD), timestamps ISO text in UTC (YYYY-MM-DDTHH:MM:SSZ).
-- Kept to what SQLite and PostgreSQL share.

-- Key/value settings (traffic-light thresholds, ...). Values are text.
CREATE TABLE setting(
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT INTO setting(key, value) VALUES ('semaforo.rojo_hasta', '60'), ('semaforo.amarillo_hasta', '80');

-- One action plan: an entity's strategy for one year.
CREATE TABLE plan(
  id            INTEGER PRIMARY KEY,
  entity        TEXT NOT NULL,           -- entidad, first preamble line
  year          INTEGER NOT NULL,        -- the plan's year
  macroproceso  TEXT NOT NULL DEFAULT '',
  proceso       TEXT NOT NULL DEFAULT '',
  subproceso    TEXT NOT NULL DEFAULT '',
  strategy      TEXT NOT NULL DEFAULT '', -- ESTRATEGIA ... line
  policy        TEXT NOT NULL DEFAULT '', -- NOMBRE DE LA POLÍTICA
  objective     TEXT NOT NULL DEFAULT '', -- Objetivo
  period_scheme TEXT NOT NULL DEFAULT 'trimestral'
                CHECK (period_scheme IN ('trimestral', 'cuatrimestral', 'semestral', 'anual')),
  source_name   TEXT NOT NULL DEFAULT '', -- file last imported
  imported_at   TEXT NOT NULL DEFAULT '',
  UNIQUE (entity, year)
);

-- Components: the grouping objective of activities (DESCRIPCIÓN DE LOS CRITERIOS ...).
CREATE TABLE component(
  id       INTEGER PRIMARY KEY,
  plan_id  INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  name     TEXT NOT NULL,
  UNIQUE (plan_id, name)
);

-- Activities: one row of the matrix, every column kept as written.
CREATE TABLE activity(
  id             INTEGER PRIMARY KEY,
  plan_id        INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,
  item           INTEGER NOT NULL,          -- ITEM, as numbered by the entity
  component_id   INTEGER REFERENCES component(id),
  phase          TEXT CHECK (phase IN ('P', 'H', 'V', 'A')), -- CICLO DE PROCESO
  activity       TEXT NOT NULL,             -- ACTIVIDAD
  product        TEXT NOT NULL DEFAULT '',  -- PRODUCTO
  indicator      TEXT NOT NULL DEFAULT '',  -- DESCRIPCIÓN DEL INDICADOR
  goal           TEXT NOT NULL DEFAULT '',  -- DESCRIPCIÓN DE LA META
  start_date     TEXT,                      -- FECHA INICIO (ISO)
  end_date       TEXT,                      -- FECHA FINAL (ISO)
  responsible    TEXT NOT NULL DEFAULT '',  -- RESPONSABLE, the cell as written
  indicator_goal TEXT NOT NULL DEFAULT '',  -- META DEL INDICADOR
  target         REAL NOT NULL DEFAULT 1 CHECK (target > 0), -- numeric target
  weight         REAL NOT NULL DEFAULT 1 CHECK (weight >= 0), -- roll-up weight
  result_text    TEXT NOT NULL DEFAULT '',  -- RESULTADO as imported
  review_note    TEXT,                      -- why it is "a revisar"; NULL when clean
  source_loc     TEXT NOT NULL DEFAULT '',  -- file:line or file:Sheet!A17 it was read from
  UNIQUE (plan_id, item)
);

-- Offices (dependencias) and the other spellings that mean the same office.
CREATE TABLE office(
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  fold TEXT NOT NULL UNIQUE                 -- name folded: case, accents, spacing
);
CREATE TABLE office_alias(
  id        INTEGER PRIMARY KEY,
  office_id INTEGER NOT NULL REFERENCES office(id) ON DELETE CASCADE,
  name      TEXT NOT NULL,
  fold      TEXT NOT NULL UNIQUE
);
CREATE TABLE activity_office(
  activity_id INTEGER NOT NULL REFERENCES activity(id) ON DELETE CASCADE,
  office_id   INTEGER NOT NULL REFERENCES office(id),
  position    INTEGER NOT NULL,             -- order in the RESPONSABLE cell
  PRIMARY KEY (activity_id, office_id)
) WITHOUT ROWID;
CREATE INDEX activity_office_office ON activity_office(office_id);

-- Follow-up periods with their cut-off dates.
CREATE TABLE period(
  id         INTEGER PRIMARY KEY,
  plan_id    INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,
  position   INTEGER NOT NULL,              -- 1..n
  code       TEXT NOT NULL,                 -- T1, C2, S1, A1
  name       TEXT NOT NULL,                 -- Trimestre 1
  start_date TEXT NOT NULL,
  end_date   TEXT NOT NULL,                 -- cut-off date
  UNIQUE (plan_id, code),
  UNIQUE (plan_id, position)
);

-- Targets per activity and period (per period, not cumulative).
CREATE TABLE target(
  activity_id INTEGER NOT NULL REFERENCES activity(id) ON DELETE CASCADE,
  period_id   INTEGER NOT NULL REFERENCES period(id) ON DELETE CASCADE,
  value       REAL NOT NULL CHECK (value >= 0),
  PRIMARY KEY (activity_id, period_id)
);

-- Progress reports: what was achieved in a period, with its review.
CREATE TABLE progress(
  id          INTEGER PRIMARY KEY,
  activity_id INTEGER NOT NULL REFERENCES activity(id),
  period_id   INTEGER NOT NULL REFERENCES period(id),
  value       REAL NOT NULL CHECK (value >= 0),
  note        TEXT NOT NULL,
  author      TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  status      TEXT NOT NULL DEFAULT 'reportado'
              CHECK (status IN ('reportado', 'verificado', 'rechazado')),
  reviewer    TEXT,
  reviewed_at TEXT,
  review_note TEXT
);
CREATE INDEX progress_activity ON progress(activity_id, status, period_id, value);

-- Evidence attached to a progress report: a stored file (by SHA-256) or a link.
CREATE TABLE evidence(
  id          INTEGER PRIMARY KEY,
  progress_id INTEGER NOT NULL REFERENCES progress(id),
  kind        TEXT NOT NULL CHECK (kind IN ('archivo', 'enlace')),
  sha256      TEXT,                         -- file content hash (archivo)
  name        TEXT NOT NULL,                -- original file name, or the URL
  size        INTEGER,                      -- bytes (archivo)
  mime        TEXT,                         -- detected type (archivo)
  created_at  TEXT NOT NULL
);
CREATE INDEX evidence_progress ON evidence(progress_id);

-- Append-only record of every change.
CREATE TABLE change_log(
  id        INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,                  -- import, target, progress, verify, ...
  object    TEXT NOT NULL,                  -- plan, activity, progress, office, ...
  object_id INTEGER,
  detail    TEXT NOT NULL DEFAULT ''
);
CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log
BEGIN
  SELECT RAISE(ABORT, 'el registro de cambios no se puede modificar');
END;
CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log
BEGIN
  SELECT RAISE(ABORT, 'el registro de cambios no se puede borrar');
END;
