-- participa schema 5: the entity's own non-working days (src/calendar/).
-- National holidays are computed, never stored; this table holds only the
-- days the entity closes besides them (a local holiday, a closed office).
-- Business-day terms (PQRSD) skip both.

CREATE TABLE non_working_day(
  day         TEXT PRIMARY KEY CHECK (length(day) = 10), -- ISO date YYYY-MM-DD
  description TEXT NOT NULL,                             -- why the entity does not work
  created_at  TEXT NOT NULL,                             -- ISO UTC timestamp
  created_by  TEXT NOT NULL                              -- who added it
);
