"""The floor: raw DuckDB loading the same export files and running the same report SQL.

Nothing else: each CSV/Parquet file into a table named after it (``read_csv`` with
DuckDB's own type detection, plus the empty ``flags`` column every contract table has and
reports read: clean exports flag nothing), the shared models of ``queries/_models`` as views, then
every ``queries/<section>/<report>.sql`` file run as it is (its front matter is an SQL
comment) and fetched in full. A report or model that reads a table only revpages
derives (the attribution credits) cannot run on raw DuckDB: it is skipped and named. Prints one
JSON line: seconds spent loading and querying, and the reports skipped. It imports
nothing of revpages.

    python bench/floor.py DATA_DIR QUERIES_DIR [--memory-limit 1GB] [--threads N]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import duckdb


def connect(memory_limit: str | None, threads: int | None) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
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
    models = create_models(con, args.queries)
    rows, skipped = 0, []
    for path in reports(args.queries):
        try:
            rows += len(con.execute(path.read_text(encoding="utf-8")).fetchall())
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
