"""The hand-written baseline: the site as an analyst would script it without revpages.

DuckDB loads the exports (``read_csv`` into tables) and creates the shared models as
views, as ``floor.py`` does (and skips the same reports, those reading tables only
revpages derives); each ``queries/<section>/<report>.sql`` runs, Plotly draws it and
``Figure.to_html()`` (its defaults: plotly.js inlined, so the page works offline) goes
into one Markdown page per report with a table of the first 50 rows and a CSV
download. It writes ``OUT/mkdocs.yml`` and ``OUT/docs/`` (the hand-written pages of
``site_src`` too); ``mkdocs build`` in ``OUT`` is the second half, run and timed by
``bench/run.py``.

    python bench/baseline.py DATA_DIR QUERIES_DIR SITE_SRC OUT [--memory-limit 1GB]
"""

from __future__ import annotations

import argparse
import csv
import re
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import plotly.graph_objects as go
import yaml
from floor import calendar, connect, create_models, load, per_values, reports, site_params, used

MKDOCS_YML = """site_name: Revenue reports (hand-written)
docs_dir: docs
site_dir: site
theme:
  name: material
  features: [navigation.instant, navigation.sections]
markdown_extensions: [attr_list, md_in_html, tables]
plugins: [search]
"""


def front_matter(text: str) -> dict:
    match = re.match(r"\s*/\*(.*?)\*/", text, re.DOTALL)
    return yaml.safe_load(match.group(1)) if match else {}


def plain(value):
    return float(value) if isinstance(value, Decimal) else value


def figure(spec: dict, columns: list[str], rows: list[tuple]) -> go.Figure | None:
    chart = spec.get("chart", "table")
    if chart == "table" or not rows:
        return None
    data = {c: [plain(r[i]) for r in rows] for i, c in enumerate(columns)}
    ys = spec.get("y") or [c for c in columns if isinstance(data[c][0], int | float)]
    ys = [ys] if isinstance(ys, str) else ys
    if chart == "kpi":
        fig = go.Figure(
            [
                go.Indicator(
                    mode="number",
                    value=data[y][0],
                    title={"text": y},
                    domain={"row": 0, "column": i},
                )
                for i, y in enumerate(ys)
            ]
        )
        return fig.update_layout(grid={"rows": 1, "columns": len(ys)})
    x = spec.get("x") or next(c for c in columns if c not in ys)
    if chart == "funnel":
        return go.Figure(go.Funnel(y=data[x], x=data[ys[0]]))
    traces = []
    if spec.get("color"):
        groups: dict[str, tuple[list, list]] = {}
        for xv, yv, cv in zip(data[x], data[ys[0]], data[spec["color"]], strict=True):
            groups.setdefault(str(cv), ([], []))[0].append(xv)
            groups[str(cv)][1].append(yv)
        series = [(name, xs, values) for name, (xs, values) in groups.items()]
    else:
        series = [(y, data[x], data[y]) for y in ys]
    for name, xs, values in series:
        if chart in ("bar", "stacked_bar"):
            traces.append(go.Bar(x=xs, y=values, name=name))
        else:
            traces.append(
                go.Scatter(
                    x=xs,
                    y=values,
                    name=name,
                    mode="lines",
                    stackgroup="one" if chart == "area" else None,
                )
            )
    return go.Figure(traces).update_layout(barmode="stack" if chart == "stacked_bar" else "group")


def table(columns: list[str], rows: list[tuple], limit: int = 50) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += [
        "| " + " | ".join("" if v is None else str(v) for v in row) + " |" for row in rows[:limit]
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("data", "queries", "site_src", "out"):
        parser.add_argument(name, type=Path)
    parser.add_argument("--memory-limit")
    parser.add_argument("--threads", type=int)
    args = parser.parse_args()
    con = connect(args.memory_limit, args.threads)
    load(con, args.data)
    values = calendar(con)
    create_models(con, args.queries)
    site = site_params(args.queries)
    docs = args.out / "docs"
    shutil.rmtree(args.out, ignore_errors=True)
    shutil.copytree(args.site_src, docs)
    (args.out / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    for path in reports(args.queries):
        text = path.read_text(encoding="utf-8")
        spec = front_matter(text)
        # One page per run: per value of a per: report, per view of a params: one.
        for number, bound in enumerate(per_values(con, text, site)):
            try:
                cursor = con.execute(text, used(con, text, values | bound) or None)
            except duckdb.CatalogException:  # a table only revpages derives
                break
            name = path.stem if number == 0 else f"{path.stem}-{number}"
            write_page(docs / path.parent.name / f"{name}.md", spec, text, cursor)


def write_page(page: Path, spec: dict, text: str, cursor: duckdb.DuckDBPyConnection) -> None:
    """The page of one run: the chart as plotly's HTML, the table, the CSV beside it."""
    columns = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    page.parent.mkdir(parents=True, exist_ok=True)
    with (page.parent / f"{page.stem}.csv").open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([columns, *rows])
    fig = figure(spec, columns, rows)
    chart = fig.to_html(full_html=False) if fig else ""
    page.write_text(
        f"# {spec['title']}\n\n{spec.get('description', '')}\n\n{chart}\n\n"
        f"{table(columns, rows)}\n\n[Download CSV]({page.stem}.csv)\n\n"
        f"```sql\n{text}\n```\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
