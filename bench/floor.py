"""The floor: raw DuckDB loading the same export files and running the same report SQL.

Nothing else: each CSV/Parquet file into a table named after it (``read_csv`` with
DuckDB's own type detection, plus the empty ``flags`` column every contract table has and
reports read: clean exports flag nothing), the shared models of ``queries/_models`` as views, then
every ``queries/<section>/<report>.sql`` file run as it is (its front matter is an SQL
comment) and fetched in full, with the calendar a hand-written script would make: a
``calendar`` table of calendar quarters in UTC, the ``calendar_day`` macro and the
parameters of the last complete quarter, bound by name. A report or model that reads a
table only revpages derives (the attribution credits) cannot run on raw DuckDB: it is
skipped and named. Prints one JSON line: seconds spent loading and querying, and the
reports skipped. It imports nothing of revpages.

    python bench/floor.py DATA_DIR QUERIES_DIR [--memory-limit 1GB] [--threads N]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import duckdb
import yaml


def connect(memory_limit: str | None, threads: int | None) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    # A table that does not exist is a CatalogException, not a Python variable of that name.
    con.execute("SET python_enable_replacements = false")
    if memory_limit:
        con.execute("SET memory_limit = $1", [memory_limit])
    if threads:
        con.execute("SET threads = $1", [threads])
    return con


def load(con: duckdb.DuckDBPyConnection, data: Path) -> None:
    for path in sorted(data.iterdir()):
        reader = {".csv": con.read_csv, ".parquet": con.read_parquet}.get(path.suffix)
        if reader is not None:
            # Report SQL leaves out flagged values (``flags``); clean sample data has none.
            reader(str(path)).select("*, []::VARCHAR[] AS flags").create(path.stem)


def create_models(con: duckdb.DuckDBPyConnection, queries: Path) -> list[str]:
    """queries/_models/<name>.sql as views, each once the views it reads exist; returns
    the models that read tables only revpages derives (not created)."""
    waiting = {p.stem: p.read_text(encoding="utf-8") for p in queries.glob("_models/*.sql")}
    while waiting:
        created = []
        for name, sql in waiting.items():
            try:
                con.execute(f'CREATE VIEW "{name}" AS {sql}')
            except duckdb.CatalogException:
                continue  # reads a model not created yet, or a derived table
            created.append(name)
        if not created:
            break
        for name in created:
            del waiting[name]
    return sorted(waiting)


CALENDAR = """
CREATE TABLE calendar AS
SELECT day, day::TIMESTAMP AS day_start,
    (day + 1)::TIMESTAMP <= $as_of AS is_complete,
    date_trunc('week', day)::DATE AS week_start,
    date_trunc('month', day)::DATE AS month_start,
    strftime(day, '%b %Y') AS month_label,
    (date_trunc('month', day) + INTERVAL 1 MONTH) <= $as_of AS month_is_complete,
    least(1, greatest(0, epoch($as_of - date_trunc('month', day)) / epoch(
        date_trunc('month', day) + INTERVAL 1 MONTH - date_trunc('month', day)))) AS month_elapsed,
    date_trunc('quarter', day)::DATE AS quarter_start,
    'Q' || quarter(day) || ' ' || year(day) AS quarter_label,
    year(day) || '-Q' || quarter(day) AS quarter_key,
    (date_trunc('quarter', day) + INTERVAL 3 MONTH) <= $as_of AS quarter_is_complete,
    least(1, greatest(0, epoch($as_of - date_trunc('quarter', day)) / epoch(
        date_trunc('quarter', day) + INTERVAL 3 MONTH - date_trunc('quarter', day))))
        AS quarter_elapsed,
    date_trunc('year', day)::DATE AS year_start
FROM (SELECT range::DATE AS day FROM range(DATE '2000-01-01', DATE '2040-01-01', INTERVAL 1 DAY))
"""


def calendar(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """The calendar table, the macro and the values of every parameter."""
    as_of = con.execute(
        "SELECT date_trunc('second', max(created_at)) + INTERVAL 1 SECOND FROM deals"
    ).fetchone()[0]
    con.execute(CALENDAR, {"as_of": as_of})
    con.execute("CREATE MACRO calendar_day(ts) AS CAST(ts AS DATE)")
    (quarter,) = con.execute("SELECT date_trunc('quarter', $1::TIMESTAMP)", [as_of]).fetchone()
    moments = con.execute(
        "SELECT $q - INTERVAL 3 MONTH, $q - INTERVAL 6 MONTH, $q - INTERVAL 15 MONTH, "
        "$q - INTERVAL 12 MONTH",
        {"q": quarter},
    ).fetchone()
    return {
        "as_of": as_of,
        "period_start": moments[0],
        "period_end": quarter,
        "prior_start": moments[1],
        "prior_end": moments[0],
        "last_year_start": moments[2],
        "last_year_end": moments[3],
    }


def used(con: duckdb.DuckDBPyConnection, sql: str, values: dict[str, object]) -> dict:
    """The parameters ``sql`` names: DuckDB refuses values a statement does not use."""
    tree = json.loads(con.execute("SELECT json_serialize_sql($1)", [sql]).fetchone()[0])
    names = {e["key"] for s in tree.get("statements", []) for e in s.get("named_param_map", [])}
    return {name: values[name] for name in names if name in values}


def site_params(queries: Path) -> dict[str, Any]:
    """The site-wide ``params`` of the mkdocs.yml beside ``queries`` (``params: site``)."""
    config = yaml.safe_load((queries.parent / "mkdocs.yml").read_text(encoding="utf-8"))
    for plugin in config.get("plugins", []):
        if isinstance(plugin, dict) and "revpages" in plugin:
            return dict((plugin["revpages"] or {}).get("params") or {})
    return {}


def per_values(
    con: duckdb.DuckDBPyConnection, sql: str, site: dict[str, Any] | None = None
) -> list[dict[str, object]]:
    """The bindings of a report's runs: one per value of its ``per:`` column, one per
    combination of its ``params:`` values (All as NULL; ``site``: the site-wide ones),
    else one."""
    front = yaml.safe_load(sql.split("*/", 1)[0].removeprefix("/*")) if sql.startswith("/*") else {}
    if isinstance(front, dict) and front.get("per"):
        table, column = str(front["per"]).split(".")
        return [{column: value} for value in distinct(con, table, column)]
    runs: list[dict[str, object]] = [{}]
    declared = front.get("params") if isinstance(front, dict) else None
    declared = (site or {}) if declared == "site" else declared or {}
    for name, values in declared.items():
        if name == "period":  # a preset moves the period: the same work over another window
            runs = [run for run in runs for _ in values]
            continue
        listed = distinct(con, *values.split(".")) if isinstance(values, str) else values
        runs = [run | {name: value} for run in runs for value in [None, *listed]]
    return runs


def distinct(con: duckdb.DuckDBPyConnection, table: str, column: str) -> list[str]:
    rows = con.table(table).select(duckdb.ColumnExpression(column)).distinct().fetchall()
    return [str(value) for (value,) in rows if value is not None]


def reports(queries: Path) -> list[Path]:
    return [p for p in sorted(queries.glob("*/*.sql")) if not p.parent.name.startswith("_")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("queries", type=Path)
    parser.add_argument("--memory-limit")
    parser.add_argument("--threads", type=int)
    args = parser.parse_args()
    started = time.perf_counter()
    con = connect(args.memory_limit, args.threads)
    load(con, args.data)
    loaded = time.perf_counter()
    values = calendar(con)
    models = create_models(con, args.queries)
    rows, skipped = 0, []
    site = site_params(args.queries)
    for path in reports(args.queries):
        sql = path.read_text(encoding="utf-8")
        try:
            for bound in per_values(con, sql, site):  # once per value, or per view
                rows += len(con.execute(sql, used(con, sql, values | bound) or None).fetchall())
        except duckdb.CatalogException:  # a table only revpages derives
            skipped.append(f"{path.parent.name}/{path.stem}")
    done = time.perf_counter()
    print(
        json.dumps(
            {
                "load_seconds": loaded - started,
                "query_seconds": done - loaded,
                "rows": rows,
                "skipped": skipped,
                "skipped_models": models,
            }
        )
    )


if __name__ == "__main__":
    main()
