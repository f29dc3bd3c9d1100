-- participa schema 2: per activity and period totals of progress reports,
-- kept by triggers, so that a report over 100,000 activities reads one
-- narrow row per activity and period instead of every report.

CREATE TABLE progress_total(
  activity_id INTEGER NOT NULL,
  period_id   INTEGER NOT NULL,
  verified    REAL NOT NULL DEFAULT 0,    -- sum of verified values
  n_verified  INTEGER NOT NULL DEFAULT 0, -- verified reports
  reported    REAL NOT NULL DEFAULT 0,    -- sum of values waiting for verification
  n_reported  INTEGER NOT NULL DEFAULT 0, -- reports waiting for verification
  PRIMARY KEY (activity_id, period_id)
) WITHOUT ROWID;

INSERT INTO progress_total(activity_id, period_id, verified, n_verified, reported, n_reported)
SELECT activity_id, period_id,
       sum(CASE WHEN status = 'verificado' THEN value ELSE 0 END),
       sum(CASE WHEN status = 'verificado' THEN 1 ELSE 0 END),
       sum(CASE WHEN status = 'reportado' THEN value ELSE 0 END),
       sum(CASE WHEN status = 'reportado' THEN 1 ELSE 0 END)
FROM progress GROUP BY activity_id, period_id;

CREATE TRIGGER progress_total_insert AFTER INSERT ON progress
BEGIN
  INSERT INTO progress_total(activity_id, period_id) VALUES (new.activity_id, new.period_id)
    ON CONFLICT(activity_id, period_id) DO NOTHING;
  UPDATE progress_total SET
    verified = verified + CASE WHEN new.status = 'verificado' THEN new.value ELSE 0 END,
    n_verified = n_verified + (new.status = 'verificado'),
    reported = reported + CASE WHEN new.status = 'reportado' THEN new.value ELSE 0 END,
    n_reported = n_reported + (new.status = 'reportado')
  WHERE activity_id = new.activity_id AND period_id = new.period_id;
END;

CREATE TRIGGER progress_total_delete AFTER DELETE ON progress
BEGIN
  -- a sum whose count reaches zero is set to zero, not left with a rounding residue
  UPDATE progress_total SET
    verified = CASE WHEN n_verified - (old.status = 'verificado') = 0 THEN 0
               ELSE verified - CASE WHEN old.status = 'verificado' THEN old.value ELSE 0 END END,
    n_verified = n_verified - (old.status = 'verificado'),
    reported = CASE WHEN n_reported - (old.status = 'reportado') = 0 THEN 0
               ELSE reported - CASE WHEN old.status = 'reportado' THEN old.value ELSE 0 END END,
    n_reported = n_reported - (old.status = 'reportado')
  WHERE activity_id = old.activity_id AND period_id = old.period_id;
END;

CREATE TRIGGER progress_total_update AFTER UPDATE OF activity_id, period_id, value, status
  ON progress
BEGIN
  -- a sum whose count reaches zero is set to zero, not left with a rounding residue
  UPDATE progress_total SET
    verified = CASE WHEN n_verified - (old.status = 'verificado') = 0 THEN 0
               ELSE verified - CASE WHEN old.status = 'verificado' THEN old.value ELSE 0 END END,
    n_verified = n_verified - (old.status = 'verificado'),
    reported = CASE WHEN n_reported - (old.status = 'reportado') = 0 THEN 0
               ELSE reported - CASE WHEN old.status = 'reportado' THEN old.value ELSE 0 END END,
    n_reported = n_reported - (old.status = 'reportado')
  WHERE activity_id = old.activity_id AND period_id = old.period_id;
  INSERT INTO progress_total(activity_id, period_id) VALUES (new.activity_id, new.period_id)
    ON CONFLICT(activity_id, period_id) DO NOTHING;
  UPDATE progress_total SET
    verified = verified + CASE WHEN new.status = 'verificado' THEN new.value ELSE 0 END,
    n_verified = n_verified + (new.status = 'verificado'),
    reported = reported + CASE WHEN new.status = 'reportado' THEN new.value ELSE 0 END,
    n_reported = n_reported + (new.status = 'reportado')
  WHERE activity_id = new.activity_id AND period_id = new.period_id;
END;

-- The report reads these columns of every activity: a covering index spares
-- it the wide rows.
CREATE INDEX activity_report ON activity(plan_id, item, id, component_id, phase, start_date,
                                         end_date, target, weight);
