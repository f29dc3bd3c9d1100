-- participa schema 4: the change log becomes a hash-chained audit log
-- (docs/auditoria.md). Each entry stores the hash of the entry before it
-- and its own hash over that and its fields:
--   hash = participa_sha256(prev_hash, id, at, actor, action, object, object_id, detail)
-- where participa_sha256 (registered by src/db/db.c on every connection)
-- is the hex SHA-256 of its arguments as text, NULL as empty, "\" written
-- "\\" and a line feed "\n", joined by line feeds. The first entry's
-- prev_hash is 64 zeros. audit_head remembers the newest entry, so that
-- deleting the newest entries shows too. PostgreSQL would build the same
-- function over pgcrypto's digest().

ALTER TABLE change_log ADD COLUMN prev_hash TEXT; -- hash of the previous entry
ALTER TABLE change_log ADD COLUMN hash TEXT;      -- this entry's hash

-- Chain the entries already there, oldest first. The log refuses updates,
-- so the guard is lifted for this one statement and put back unchanged.
DROP TRIGGER change_log_no_update;
WITH RECURSIVE chain(id, prev_hash, hash) AS (
  SELECT c.id, '0000000000000000000000000000000000000000000000000000000000000000',
         participa_sha256('0000000000000000000000000000000000000000000000000000000000000000',
                          c.id, c.at, c.actor, c.action, c.object, c.object_id, c.detail)
  FROM change_log c WHERE c.id = (SELECT min(id) FROM change_log)
  UNION ALL
  SELECT c.id, chain.hash,
         participa_sha256(chain.hash, c.id, c.at, c.actor, c.action, c.object, c.object_id,
                          c.detail)
  FROM chain JOIN change_log c ON c.id = (SELECT min(id) FROM change_log WHERE id > chain.id)
)
UPDATE change_log SET prev_hash = chain.prev_hash, hash = chain.hash
FROM chain WHERE chain.id = change_log.id;
CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log
BEGIN
  SELECT RAISE(ABORT, 'el registro de cambios no se puede modificar');
END;

-- The newest entry: one row, moved forward by the insert trigger below.
CREATE TABLE audit_head(
  id        INTEGER PRIMARY KEY CHECK (id = 1),
  last_id   INTEGER NOT NULL, -- id of the newest entry, 0 when there is none
  last_hash TEXT NOT NULL,    -- its hash, 64 zeros when there is none
  count     INTEGER NOT NULL  -- entries written
);
INSERT INTO audit_head(id, last_id, last_hash, count)
SELECT 1, coalesce(max(id), 0),
       coalesce((SELECT hash FROM change_log ORDER BY id DESC LIMIT 1),
                '0000000000000000000000000000000000000000000000000000000000000000'),
       count(*)
FROM change_log;

-- A new entry must continue the chain: carry a hash, link to the newest
-- entry and take an id after it (ids of deleted entries are never reused).
CREATE TRIGGER change_log_chained BEFORE INSERT ON change_log
WHEN new.hash IS NULL OR new.prev_hash IS NOT (SELECT last_hash FROM audit_head WHERE id = 1)
     OR new.id <= (SELECT last_id FROM audit_head WHERE id = 1)
BEGIN
  SELECT RAISE(ABORT, 'la entrada no continúa la cadena del registro de cambios');
END;

CREATE TRIGGER audit_head_advance AFTER INSERT ON change_log
BEGIN
  UPDATE audit_head SET last_id = new.id, last_hash = new.hash, count = count + 1 WHERE id = 1;
END;

-- The head only moves one entry forward, to the newest entry, and stays.
CREATE TRIGGER audit_head_forward BEFORE UPDATE ON audit_head
WHEN new.id IS NOT old.id OR new.count IS NOT old.count + 1
     OR new.last_id IS NOT (SELECT max(id) FROM change_log)
     OR new.last_hash IS NOT (SELECT hash FROM change_log WHERE id = new.last_id)
BEGIN
  SELECT RAISE(ABORT, 'la cabeza del registro de cambios no se puede modificar');
END;
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
BEGIN
  SELECT RAISE(ABORT, 'la cabeza del registro de cambios no se puede borrar');
END;

-- Each activity's history (the activity page, `plan show ÍTEM`) reads the
-- log by object.
CREATE INDEX change_log_object ON change_log(object, object_id);
