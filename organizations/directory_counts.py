"""The PostgreSQL triggers that keep DirectoryCount in step with the registry.

Every statement that changes associations' status or municipality, or their categories, moves the
counts it touches, bulk changes included. The triggers run once per statement, on all the rows it
changed: a bulk insert of thousands of associations updates each count once, not once per row.
Elsewhere (SQLite) the directory counts on the spot.

The SQL is written from the model: which associations are counted is Association.Status.VERIFIED.
A test compares the functions in the database with functions_sql(); when the model changes what
they say, a migration runs functions_sql() again (the functions are created or replaced).
"""

from .models import Association

FUNCTIONS_SQL = """
-- Adds steps to counts: (municipality, category, step), a NULL category being the municipality's
-- total. Steps for the same count are summed first; a count that ends where it was is not written.
CREATE OR REPLACE FUNCTION organizations_directory_count_add(p_municipality bigint[], p_category bigint[], p_step integer[])
RETURNS void AS $$
BEGIN
    -- In (municipality, category) order, so that concurrent changes lock the counts in one order.
    INSERT INTO organizations_directorycount AS counted (municipality_id, category_id, verified)
    SELECT municipality_id, category_id, sum(step)
    FROM unnest(p_municipality, p_category, p_step) AS steps (municipality_id, category_id, step)
    WHERE category_id IS NULL GROUP BY municipality_id, category_id HAVING sum(step) > 0 ORDER BY municipality_id
    ON CONFLICT (municipality_id) WHERE category_id IS NULL
    DO UPDATE SET verified = counted.verified + excluded.verified;
    INSERT INTO organizations_directorycount AS counted (municipality_id, category_id, verified)
    SELECT municipality_id, category_id, sum(step)
    FROM unnest(p_municipality, p_category, p_step) AS steps (municipality_id, category_id, step)
    WHERE category_id IS NOT NULL GROUP BY municipality_id, category_id HAVING sum(step) > 0
    ORDER BY municipality_id, category_id
    ON CONFLICT (municipality_id, category_id) WHERE category_id IS NOT NULL
    DO UPDATE SET verified = counted.verified + excluded.verified;
    -- A count only goes down if it is there: a category's counts may be deleted before its links.
    UPDATE organizations_directorycount AS counted SET verified = counted.verified + down.step
    FROM (
        SELECT municipality_id, sum(step) AS step
        FROM unnest(p_municipality, p_category, p_step) AS steps (municipality_id, category_id, step)
        WHERE category_id IS NULL GROUP BY municipality_id HAVING sum(step) < 0
    ) AS down
    WHERE counted.municipality_id = down.municipality_id AND counted.category_id IS NULL;
    UPDATE organizations_directorycount AS counted SET verified = counted.verified + down.step
    FROM (
        SELECT municipality_id, category_id, sum(step) AS step
        FROM unnest(p_municipality, p_category, p_step) AS steps (municipality_id, category_id, step)
        WHERE category_id IS NOT NULL GROUP BY municipality_id, category_id HAVING sum(step) < 0
    ) AS down
    WHERE counted.municipality_id = down.municipality_id AND counted.category_id = down.category_id;
END
$$ LANGUAGE plpgsql;

-- Verified associations leaving (step -1) or joining (+1) the counts: their municipality's total
-- and, through their categories, the municipality's count per category.
CREATE OR REPLACE FUNCTION organizations_directory_count_move(p_association bigint[], p_municipality bigint[], p_step integer[])
RETURNS void AS $$
    SELECT organizations_directory_count_add(array_agg(municipality_id), array_agg(category_id), array_agg(step))
    FROM (
        SELECT moved.municipality_id, NULL::bigint AS category_id, moved.step
        FROM unnest(p_association, p_municipality, p_step) AS moved (association_id, municipality_id, step)
        UNION ALL
        SELECT moved.municipality_id, link.category_id, moved.step
        FROM unnest(p_association, p_municipality, p_step) AS moved (association_id, municipality_id, step)
        JOIN organizations_association_categories link ON link.association_id = moved.association_id
    ) AS steps;
$$ LANGUAGE sql;

-- An update moves every row it touched out of the counts and back in; a row whose status and
-- municipality stay as they were comes to nothing.
CREATE OR REPLACE FUNCTION organizations_directory_count_associations() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM organizations_directory_count_move(array_agg(id), array_agg(municipality_id), array_agg(1))
        FROM new_rows WHERE status = {verified};
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM organizations_directory_count_move(array_agg(id), array_agg(municipality_id), array_agg(-1))
        FROM old_rows WHERE status = {verified};
    ELSE
        PERFORM organizations_directory_count_move(array_agg(id), array_agg(municipality_id), array_agg(step))
        FROM (
            SELECT id, municipality_id, -1 AS step FROM old_rows WHERE status = {verified}
            UNION ALL
            SELECT id, municipality_id, 1 FROM new_rows WHERE status = {verified}
        ) AS moved;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

-- A category link added or removed moves the count of its category in the association's
-- municipality, if the association is verified.
CREATE OR REPLACE FUNCTION organizations_directory_count_link(p_association bigint[], p_category bigint[], p_step integer[])
RETURNS void AS $$
    SELECT organizations_directory_count_add(array_agg(association.municipality_id), array_agg(link.category_id), array_agg(link.step))
    FROM unnest(p_association, p_category, p_step) AS link (association_id, category_id, step)
    JOIN organizations_association association ON association.id = link.association_id
    WHERE association.status = {verified};
$$ LANGUAGE sql;

CREATE OR REPLACE FUNCTION organizations_directory_count_category_links() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM organizations_directory_count_link(array_agg(association_id), array_agg(category_id), array_agg(1))
        FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM organizations_directory_count_link(array_agg(association_id), array_agg(category_id), array_agg(-1))
        FROM old_rows;
    ELSE
        PERFORM organizations_directory_count_link(array_agg(association_id), array_agg(category_id), array_agg(step))
        FROM (
            SELECT association_id, category_id, -1 AS step FROM old_rows
            UNION ALL
            SELECT association_id, category_id, 1 FROM new_rows
        ) AS linked;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

"""

TRIGGERS_SQL = """CREATE OR REPLACE TRIGGER organizations_directory_count_insert AFTER INSERT ON organizations_association
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION organizations_directory_count_associations();
CREATE OR REPLACE TRIGGER organizations_directory_count_update AFTER UPDATE ON organizations_association
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION organizations_directory_count_associations();
CREATE OR REPLACE TRIGGER organizations_directory_count_delete AFTER DELETE ON organizations_association
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION organizations_directory_count_associations();
CREATE OR REPLACE TRIGGER organizations_directory_count_insert AFTER INSERT ON organizations_association_categories
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION organizations_directory_count_category_links();
CREATE OR REPLACE TRIGGER organizations_directory_count_update AFTER UPDATE ON organizations_association_categories
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION organizations_directory_count_category_links();
CREATE OR REPLACE TRIGGER organizations_directory_count_delete AFTER DELETE ON organizations_association_categories
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION organizations_directory_count_category_links();

"""

BACKFILL_SQL = """INSERT INTO organizations_directorycount (municipality_id, category_id, verified)
SELECT municipality_id, NULL, count(*) FROM organizations_association
WHERE status = {verified} GROUP BY municipality_id
UNION ALL
SELECT association.municipality_id, link.category_id, count(*)
FROM organizations_association association
JOIN organizations_association_categories link ON link.association_id = association.id
WHERE association.status = {verified} GROUP BY association.municipality_id, link.category_id;
"""

REMOVE_SQL = """
DROP TRIGGER IF EXISTS organizations_directory_count_insert ON organizations_association_categories;
DROP TRIGGER IF EXISTS organizations_directory_count_update ON organizations_association_categories;
DROP TRIGGER IF EXISTS organizations_directory_count_delete ON organizations_association_categories;
DROP TRIGGER IF EXISTS organizations_directory_count_insert ON organizations_association;
DROP TRIGGER IF EXISTS organizations_directory_count_update ON organizations_association;
DROP TRIGGER IF EXISTS organizations_directory_count_delete ON organizations_association;
DROP FUNCTION IF EXISTS organizations_directory_count_category_links();
DROP FUNCTION IF EXISTS organizations_directory_count_link(bigint[], bigint[], integer[]);
DROP FUNCTION IF EXISTS organizations_directory_count_associations();
DROP FUNCTION IF EXISTS organizations_directory_count_move(bigint[], bigint[], integer[]);
DROP FUNCTION IF EXISTS organizations_directory_count_add(bigint[], bigint[], integer[]);
"""


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def functions_sql() -> str:
    """The trigger functions, counting the associations of the counted status."""
    return FUNCTIONS_SQL.format(verified=_literal(Association.Status.VERIFIED))


def install_sql() -> str:
    """The functions, the triggers on associations and their category links, and the counts as they are."""
    return functions_sql() + TRIGGERS_SQL + BACKFILL_SQL.format(verified=_literal(Association.Status.VERIFIED))


def install(schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(install_sql())


def remove(schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REMOVE_SQL)
