-- participa schema 8: personal data duties (Ley 1581 de 2012, Decreto 1377
-- de 2013; docs/datos-personales.md, src/privacy/privacy.h).
-- A PQRSD or a proposal whose personal data were anonymised (retention
-- period over, or the titular asked for suppression) keeps every column the
-- transparency figures read (type, office, dates, status) and loses its
-- identity, texts and files; anonymised_at says when and why.
-- What is published is the official's own version, never the citizen's
-- text: a published sugerencia shows public_subject and public_answer; a
-- published proposal shows public_body, written or confirmed by the
-- moderator.

ALTER TABLE pqrsd ADD COLUMN public_subject TEXT NOT NULL DEFAULT ''; -- asunto público
ALTER TABLE pqrsd ADD COLUMN public_answer TEXT NOT NULL DEFAULT '';  -- respuesta pública
ALTER TABLE pqrsd ADD COLUMN anonymised_at TEXT;                     -- UTC; NULL = not
ALTER TABLE pqrsd ADD COLUMN anonymised_why TEXT;                    -- 'plazo' or 'titular'

ALTER TABLE reto_proposal ADD COLUMN public_body TEXT NOT NULL DEFAULT ''; -- the text shown
ALTER TABLE reto_proposal ADD COLUMN anonymised_at TEXT;                  -- UTC; NULL = not
ALTER TABLE reto_proposal ADD COLUMN anonymised_why TEXT;                 -- 'plazo' or 'titular'

-- Proposals already published were shown as the moderator approved them:
-- that text becomes their public version. Published answers to
-- sugerencias are not carried over: they showed the citizen's own subject,
-- and stay off the report until an official writes their public version.
UPDATE reto_proposal SET public_body = body WHERE status = 'publicada';

-- The purge looks for records by the end of their procedure.
CREATE INDEX pqrsd_anonymised ON pqrsd(anonymised_at, answer_at, closed_at);
