"""Two-character name search from an index (PostgreSQL).

pg_trgm serves a substring search of three characters or more; Chinese names are searched by
two characters as often (物流, 超市). employers_name_bigram holds every distinct pair of adjacent
characters of each name (upper-cased, as icontains compares), kept by statement-level triggers
on the employer table (insert, update of the name, delete, truncate): a COPY or bulk insert of
a roster adds its pairs in one statement. A search for two characters reads the employers of
one key of its primary key (and still checks icontains on those rows). No foreign key: Django's
flush truncates the tables it knows without CASCADE. Other databases keep icontains.
"""

from django.db import migrations

CREATE = """
CREATE TABLE IF NOT EXISTS employers_name_bigram (
    bigram varchar(2) NOT NULL,
    employer_id integer NOT NULL,
    PRIMARY KEY (bigram, employer_id)
);
CREATE INDEX IF NOT EXISTS employers_name_bigram_employer
    ON employers_name_bigram (employer_id);

CREATE OR REPLACE FUNCTION employer_name_bigrams(name text) RETURNS SETOF text
LANGUAGE sql IMMUTABLE AS $$
    SELECT DISTINCT substr(upper(name), i, 2)
    FROM generate_series(1, char_length(name) - 1) AS i
$$;

CREATE OR REPLACE FUNCTION employer_name_bigrams_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO employers_name_bigram (bigram, employer_id)
    SELECT b, n.id FROM new_rows n, LATERAL employer_name_bigrams(n.name) AS b
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION employer_name_bigrams_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- only the employers whose name changed
    DELETE FROM employers_name_bigram g USING old_rows o, new_rows n
    WHERE o.id = n.id AND o.name IS DISTINCT FROM n.name AND g.employer_id = o.id;
    INSERT INTO employers_name_bigram (bigram, employer_id)
    SELECT b, n.id FROM old_rows o JOIN new_rows n ON n.id = o.id,
           LATERAL employer_name_bigrams(n.name) AS b
    WHERE o.name IS DISTINCT FROM n.name
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION employer_name_bigrams_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM employers_name_bigram g USING old_rows o WHERE g.employer_id = o.id;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION employer_name_bigrams_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE employers_name_bigram;
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS employer_name_bigrams_delete ON employers_employer;
CREATE TRIGGER employer_name_bigrams_delete AFTER DELETE ON employers_employer
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION employer_name_bigrams_deleted();
DROP TRIGGER IF EXISTS employer_name_bigrams_truncate ON employers_employer;
CREATE TRIGGER employer_name_bigrams_truncate AFTER TRUNCATE ON employers_employer
    FOR EACH STATEMENT EXECUTE FUNCTION employer_name_bigrams_truncated();
DROP TRIGGER IF EXISTS employer_name_bigrams_insert ON employers_employer;
CREATE TRIGGER employer_name_bigrams_insert AFTER INSERT ON employers_employer
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION employer_name_bigrams_inserted();
DROP TRIGGER IF EXISTS employer_name_bigrams_update ON employers_employer;
CREATE TRIGGER employer_name_bigrams_update AFTER UPDATE ON employers_employer
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION employer_name_bigrams_updated();

INSERT INTO employers_name_bigram (bigram, employer_id)
SELECT b, e.id FROM employers_employer e, LATERAL employer_name_bigrams(e.name) AS b
ON CONFLICT DO NOTHING;
ANALYZE employers_name_bigram;
"""

DROP = """
DROP TRIGGER IF EXISTS employer_name_bigrams_insert ON employers_employer;
DROP TRIGGER IF EXISTS employer_name_bigrams_update ON employers_employer;
DROP TRIGGER IF EXISTS employer_name_bigrams_delete ON employers_employer;
DROP TRIGGER IF EXISTS employer_name_bigrams_truncate ON employers_employer;
DROP FUNCTION IF EXISTS employer_name_bigrams_inserted();
DROP FUNCTION IF EXISTS employer_name_bigrams_updated();
DROP FUNCTION IF EXISTS employer_name_bigrams_deleted();
DROP FUNCTION IF EXISTS employer_name_bigrams_truncated();
DROP TABLE IF EXISTS employers_name_bigram;
DROP FUNCTION IF EXISTS employer_name_bigrams(text);
"""


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("employers", "0005_importbatch_moved_to_imports")]

    operations = [migrations.RunPython(create, drop)]
