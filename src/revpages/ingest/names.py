"""Entity names normalised for grouping: one spelling per competitor.

Spellings whose key is the same (``rp_entity_key``: case, accents, spacing, punctuation
and common legal suffixes do not count) are one name, shown in its most frequent
spelling; ``aliases`` in the configuration join the rest and choose the spelling shown.
``revpages_names`` records every name that joined more than one spelling, for the
data-quality page; names that look alike but were not joined are found there too.
"""

from __future__ import annotations

import duckdb

from revpages.sql import quote

NAMES_TABLE = "revpages_names"
NEAR_SIMILARITY = 0.9  # Jaro-Winkler similarity of two keys that look like one name
NEAR_MAX_NAMES = 2000  # names compared pairwise at most (their square is the cost)


def normalise_names(
    con: duckdb.DuckDBPyConnection,
    staged: str,
    table: str,
    column: str,
    aliases: tuple[tuple[str, str], ...],
) -> None:
    """Rewrite ``column`` of the rows of ``staged`` still loaded to one spelling per name."""
    con.execute(
        f"CREATE TABLE IF NOT EXISTS {NAMES_TABLE} (table_name VARCHAR, column_name VARCHAR, "
        "name VARCHAR, spelling VARCHAR, rows BIGINT, alias BOOLEAN)"
    )
    con.execute("CREATE OR REPLACE TEMP TABLE __aliases (k VARCHAR, name VARCHAR)")
    if aliases:
        con.executemany(
            "INSERT INTO __aliases SELECT rp_entity_key($1), $2", [list(a) for a in aliases]
        )
    col = quote(column)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE __spellings AS SELECT s.spelling, s.rows, "
        "a.name AS alias, coalesce(rp_entity_key(a.name), s.k) AS k FROM ("
        f"SELECT trim({col}) AS spelling, rp_entity_key({col}) AS k, count(*) AS rows "
        f"FROM {staged} WHERE __reason IS NULL AND {col} IS NOT NULL GROUP BY ALL) AS s "
        "LEFT JOIN (SELECT k, min(name) AS name FROM __aliases GROUP BY k) AS a USING (k)"
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE __named AS SELECT s.*, n.name FROM __spellings AS s "
        "JOIN (SELECT k, coalesce(min(alias), first(spelling ORDER BY rows DESC, "
        "length(spelling), spelling)) AS name FROM __spellings GROUP BY k) AS n USING (k)"
    )
    con.execute(
        f"UPDATE {staged} SET {col} = n.name FROM __named AS n "
        f"WHERE trim({staged}.{col}) = n.spelling AND {staged}.{col} IS DISTINCT FROM n.name"
    )
    con.execute(
        f"INSERT INTO {NAMES_TABLE} SELECT $1, $2, name, spelling, rows, alias IS NOT NULL "
        "FROM __named WHERE k IN (SELECT k FROM __named GROUP BY k "
        "HAVING count(*) > 1 OR bool_or(spelling <> name)) ORDER BY name, spelling",
        [table, column],
    )
    for scratch in ("__aliases", "__spellings", "__named"):
        con.execute(f"DROP TABLE {scratch}")


def near_names(
    con: duckdb.DuckDBPyConnection, table: str, column: str
) -> list[tuple[str, str, float]]:
    """Pairs of distinct names of ``table.column`` that look alike (not joined)."""
    col = quote(column)
    count = con.execute(f"SELECT count(DISTINCT {col}) FROM {quote(table)}").fetchone()[0]
    if count > NEAR_MAX_NAMES:
        return []
    return [
        (a, b, round(score, 3))
        for a, b, score in con.execute(
            f"WITH n AS (SELECT DISTINCT {col} AS name, rp_entity_key({col}) AS k "
            f"FROM {quote(table)} WHERE {col} IS NOT NULL) "
            "SELECT a.name, b.name, jaro_winkler_similarity(a.k, b.k) AS score "
            "FROM n AS a JOIN n AS b ON a.name < b.name AND a.k <> b.k "
            "WHERE jaro_winkler_similarity(a.k, b.k) >= $1 ORDER BY score DESC, a.name, b.name",
            [NEAR_SIMILARITY],
        ).fetchall()
    ]
