"""Two-character name search from a GIN index on a generated column (PostgreSQL).

Replaces the bigram table of 0006. Keeping a row per pair of characters by triggers made every
write of names pay for about eleven B-tree insertions a name: copying 100,000 employers into a
registry of 900,000 took 70 s instead of 1 s, and the benchmark's million employers 690 s. The
pairs now live in the employer's own row, ``name_bigrams`` (every pair of adjacent characters of
the name, upper-cased as icontains compares), computed by PostgreSQL on every insert and rename
(``GENERATED ALWAYS ... STORED``), and a GIN index on it, which takes new entries in a pending
list and merges them in bulk: the same copies take 6 s and 27 s. Nothing to keep in step by hand:
a delete, a truncate or a COPY of a roster cannot leave a pair behind. Django does not know the
column (it never reads or writes it); other databases keep icontains.
"""

from importlib import import_module

from django.db import migrations

CREATE = """
CREATE FUNCTION employer_name_bigram_array(name text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    u text := upper(name);
    pairs text[] := '{}';
BEGIN
    FOR i IN 1 .. char_length(u) - 1 LOOP
        pairs := pairs || substr(u, i, 2);
    END LOOP;
    RETURN pairs;
END $$;

ALTER TABLE employers_employer ADD COLUMN name_bigrams text[]
    GENERATED ALWAYS AS (employer_name_bigram_array(name)) STORED;
CREATE INDEX employer_name_bigrams ON employers_employer USING gin (name_bigrams);
ANALYZE employers_employer;
"""

DROP = """
DROP INDEX IF EXISTS employer_name_bigrams;
ALTER TABLE employers_employer DROP COLUMN IF EXISTS name_bigrams;
DROP FUNCTION IF EXISTS employer_name_bigram_array(text);
"""


# The bigram table, its triggers and functions: created and dropped by 0006's statements.
BIGRAM_TABLE = import_module("employers.migrations.0006_name_bigrams")


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BIGRAM_TABLE.DROP)
        schema_editor.execute(CREATE)


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)
        schema_editor.execute(BIGRAM_TABLE.CREATE)


class Migration(migrations.Migration):
    dependencies = [("employers", "0006_name_bigrams")]

    operations = [migrations.RunPython(create, drop)]
