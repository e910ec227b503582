"""Rows that are the same record: merged into the row that is kept, never loaded twice.

- A repeated natural key (every column of the table's key, e.g. ``deal_id, competitor``
  or ``campaign_id, channel, month``): the latest row (last in the export) is kept.
- Stage history: a row that repeats the stage the deal was already in (a history row
  written for an amount or date change, or two export stages that are one contract
  stage) belongs to the stay that row began; a later re-entry is a stay of its own.

Merged rows get ``__outcome`` 'merged', a reason, the key as ``__value`` and the row
they merged into (``__kept_file``, ``__kept_line``): columns added to the staged table
only when some row merges.
"""

from __future__ import annotations

import duckdb

from revpages.contract import UNMAPPED_STAGE, Table
from revpages.ingest.rejects import MERGED
from revpages.sql import literal, quote


def mark_merged(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    staged: str,
    *,
    order: tuple[str, ...],
    file: str,
    line: str,
) -> None:
    """``order`` identifies a row of ``staged`` and orders it within its export; ``file``
    and ``line`` are SQL for the file label and line of a row."""
    # Most exports repeat nothing: a grouping says so faster than the windows below.
    group = ("deal_id", "stage") if table.name == "stage_history" else table.key
    repeated = con.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM {staged} WHERE __reason IS NULL GROUP BY "
        f"{', '.join(quote(k) for k in group)} HAVING count(*) > 1 LIMIT 1)"
    ).fetchone()[0]
    if not repeated:
        return
    ids = ", ".join(f"{r} AS __id{i}" for i, r in enumerate(order))
    by = ", ".join(f"__id{i}" for i in range(len(order)))
    if table.name == "stage_history":
        found, why, value = _stays(staged, ids, by, file, line), _STAY, "stage"
    else:
        keys = ", ".join(quote(k) for k in table.key)
        latest = ", ".join(f"__id{i} DESC" for i in range(len(order)))
        found = (
            f"SELECT {by}, first_value(f) OVER w AS kept_file, first_value(l) OVER w AS "
            f"kept_line, concat_ws(' / ', {keys}) AS value FROM (SELECT {ids}, {file} AS f, "
            f"{line} AS l, {keys} FROM {staged} WHERE __reason IS NULL) "
            f"WINDOW w AS (PARTITION BY {keys} ORDER BY {latest}) "
            "QUALIFY row_number() OVER w > 1"
        )
        why, value = f"duplicate {', '.join(table.key)} (merged into the later row)", "value"
    con.execute(f"CREATE OR REPLACE TEMP TABLE __merged AS {found}")
    if con.table("__merged").shape[0]:
        present = set(con.table(staged).columns)
        for helper, kind in (("__outcome", "VARCHAR"), ("__kept_file", "VARCHAR")):
            if helper not in present:
                con.execute(f"ALTER TABLE {staged} ADD COLUMN {helper} {kind}")
        if "__kept_line" not in present:
            con.execute(f"ALTER TABLE {staged} ADD COLUMN __kept_line BIGINT")
        same = " AND ".join(f"{staged}.{r} = m.__id{i}" for i, r in enumerate(order))
        con.execute(
            f"UPDATE {staged} SET __outcome = {literal(MERGED)}, __reason = $1, "
            f"__value = m.{value}, __kept_file = m.kept_file, __kept_line = m.kept_line "
            f"FROM __merged AS m WHERE {same}",
            [why],
        )
    con.execute("DROP TABLE __merged")


_STAY = "repeats the stage the deal was already in (merged into the row that began the stay)"


def _stays(staged: str, ids: str, by: str, file: str, line: str) -> str:
    unmapped = literal(UNMAPPED_STAGE)
    order = f"entered_at, {by}"
    return (
        f"SELECT {by}, first_value(f) OVER r AS kept_file, first_value(l) OVER r AS kept_line, "
        f"stage FROM (SELECT *, sum(starts) OVER (PARTITION BY deal_id ORDER BY {order} "
        "ROWS UNBOUNDED PRECEDING) AS run FROM (SELECT *, CASE WHEN stage = lag(stage) OVER "
        f"(PARTITION BY deal_id ORDER BY {order}) AND stage <> {unmapped} THEN 0 ELSE 1 END "
        f"AS starts FROM (SELECT {ids}, {file} AS f, {line} AS l, deal_id, stage, entered_at "
        f"FROM {staged} WHERE __reason IS NULL))) "
        f"WINDOW r AS (PARTITION BY deal_id, run ORDER BY {order}) "
        "QUALIFY row_number() OVER r > 1"
    )
