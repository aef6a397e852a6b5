-- Candidate indexes measured with bench/try_fixes.py on a scratch copy of the 1M database.
-- They belong in migrations of the apps that own the tables (see docs/performance.md).

-- employer list filtered by unit, ordered by name: an ordered index scan stops after one page
-- instead of sorting every employer of the unit
CREATE INDEX IF NOT EXISTS employer_unit_name_id ON employers_employer (unit_id, name, id);

-- employer list of the whole district (supervisors' first page), ordered by name
CREATE INDEX IF NOT EXISTS employer_name_id ON employers_employer (name, id);

-- name search (icontains): trigram index on the expression Django's icontains produces
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS employer_name_upper_trgm ON employers_employer USING gin ((UPPER(name::text)) gin_trgm_ops);

ANALYZE employers_employer;
