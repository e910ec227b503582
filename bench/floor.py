"""The floor: raw DuckDB loading the same export files and running the same report SQL.

Nothing else: each CSV/Parquet file into a table named after it (``read_csv`` with
DuckDB's own type detection), then every ``queries/<section>/<report>.sql`` file run
as it is (its front matter is an SQL comment) and fetched in full. Prints one JSON
line: seconds spent loading and querying. It imports nothing of revpages.

    python bench/floor.py DATA_DIR QUERIES_DIR [--memory-limit 1GB] [--threads N]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import duckdb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("queries", type=Path)
    parser.add_argument("--memory-limit")
    parser.add_argument("--threads", type=int)
    args = parser.parse_args()
    started = time.perf_counter()
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    if args.memory_limit:
        con.execute("SET memory_limit = $1", [args.memory_limit])
    if args.threads:
        con.execute("SET threads = $1", [args.threads])
    for path in sorted(args.data.iterdir()):
        reader = {".csv": con.read_csv, ".parquet": con.read_parquet}.get(path.suffix)
        if reader is not None:
            reader(str(path)).create(path.stem)
    loaded = time.perf_counter()
    rows = 0
    for path in sorted(args.queries.glob("*/*.sql")):
        rows += len(con.execute(path.read_text(encoding="utf-8")).fetchall())
    done = time.perf_counter()
    print(json.dumps({"load_seconds": loaded - started, "query_seconds": done - loaded,
                      "rows": rows}))


if __name__ == "__main__":
    main()
