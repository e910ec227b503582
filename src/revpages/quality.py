"""The data-quality and data-contract pages: what was read, loaded, refused and why."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import duckdb

from revpages.conform import REJECTS_TABLE, quote
from revpages.contract import REFERENCES, TABLES
from revpages.errors import DataLoadError, RevpagesError
from revpages.load import LoadedTable
from revpages.render import escape, front_matter

SAMPLES_PER_REASON = 3


@dataclass(frozen=True)
class RejectReason:
    reason: str
    count: int
    samples: tuple[tuple[int, str], ...]  # (line, value)


@dataclass(frozen=True)
class FileQuality:
    table: LoadedTable
    reasons: tuple[RejectReason, ...] = ()

    @property
    def rejected(self) -> int:
        return sum(r.count for r in self.reasons)

    @property
    def reject_share(self) -> float:
        return self.rejected / self.table.rows_read if self.table.rows_read else 0.0


@dataclass(frozen=True)
class Orphans:
    table: str
    column: str
    parent: str
    count: int


@dataclass
class QualityReport:
    files: list[FileQuality] = field(default_factory=list)
    orphans: list[Orphans] = field(default_factory=list)


def collect_quality(con: duckdb.DuckDBPyConnection, tables: Sequence[LoadedTable]) -> QualityReport:
    report = QualityReport()
    for table in tables:
        rows = con.execute(
            f"SELECT reason, count(*), list([line::VARCHAR, coalesce(value, '')] ORDER BY line)"
            f"[1:{SAMPLES_PER_REASON}] FROM {REJECTS_TABLE} WHERE file = $1 "
            "GROUP BY reason ORDER BY count(*) DESC, reason",
            [table.path.name],
        ).fetchall()
        reasons = tuple(
            RejectReason(reason, count, tuple((int(line), value) for line, value in samples))
            for reason, count, samples in rows
        )
        report.files.append(FileQuality(table, reasons))
    report.orphans = _orphans(con, {t.name for t in tables})
    return report


def reject_share_problems(report: QualityReport, max_share: float) -> list[RevpagesError]:
    """One error per file whose refused share passes ``max_share``, naming its top reason."""
    problems: list[RevpagesError] = []
    for quality in report.files:
        if quality.rejected and quality.reject_share > max_share:
            top = quality.reasons[0]
            problems.append(DataLoadError(
                f"{quality.reject_share:.1%} of its {quality.table.rows_read:,} rows were "
                f"refused, more than max_reject_share ({max_share:.1%}); most often "
                f"'{top.reason}' ({top.count:,} rows, first at line {top.samples[0][0]}).",
                code="RP509",
                path=f"{quality.table.path.parent.name}/{quality.table.path.name}",
                hint="fix the export (see the data-quality page), or raise max_reject_share.",
            ))
    return problems


def quality_markdown(report: QualityReport) -> str:
    parts = [front_matter("Data quality"), "# Data quality\n",
             "Every row of every export is either loaded or refused with its reason. "
             "Lines are spreadsheet rows: the header is line 1.\n",
             _files_table(report)]
    for quality in report.files:
        if quality.reasons:
            parts.append(_reasons_block(quality))
    parts.append(_orphans_block(report.orphans))
    return "\n".join(parts)


def contract_markdown() -> str:
    parts = [front_matter("Data contract"), "# Data contract\n",
             "The tables every report may rely on. An export file named after a table "
             "(`data/deals.csv` for `deals`) is checked against it; all times are UTC.\n"]
    for table in TABLES:
        grain = escape(table.grain[:1].upper() + table.grain[1:])
        parts.append(f"## {table.name}\n\n{grain}; key: `{', '.join(table.key)}`.\n")
        rows = ["| column | type | required | meaning |", "|---|---|---|---|"]
        for column in table.columns:
            parent = REFERENCES.get((table.name, column.name))
            meaning = escape(column.doc) + (f" References `{parent[0]}.{parent[1]}`."
                                            if parent else "")
            if column.choices:
                meaning += " One of " + ", ".join(f"`{c}`" for c in column.choices) + "."
            rows.append(f"| `{column.name}` | {column.type} | "
                        f"{'yes' if column.required else ''} | {meaning} |")
        parts.append("\n".join(rows) + "\n")
    return "\n".join(parts)


def _files_table(report: QualityReport) -> str:
    rows = ["| file | table | encoding | rows read | loaded | refused | data as of |",
            "|---|---|---|---:|---:|---:|---|"]
    for q in report.files:
        fresh = q.table.freshness.strftime("%Y-%m-%d %H:%M UTC") if q.table.freshness else ""
        rows.append(f"| `{escape(q.table.path.name)}` | `{q.table.name}` | {q.table.encoding} | "
                    f"{q.table.rows_read:,} | {q.table.rows:,} | {q.rejected:,} | {fresh} |")
    return "\n".join(rows) + "\n"


def _reasons_block(quality: FileQuality) -> str:
    lines = [f"## Refused rows of {escape(quality.table.path.name)}\n",
             "| reason | rows | examples (line: value) |", "|---|---:|---|"]
    for reason in quality.reasons:
        examples = "<br>".join(f"{line}: <code>{escape(value)}</code>"
                               for line, value in reason.samples)
        lines.append(f"| {escape(reason.reason)} | {reason.count:,} | {examples} |")
    return "\n".join(lines) + "\n"


def _orphans_block(orphans: list[Orphans]) -> str:
    if not orphans:
        return "## Orphans\n\nEvery reference points at a loaded row.\n"
    rows = ["## Orphans\n", "Rows kept, but pointing at a parent that is not in the exports.\n",
            "| rows of | column | missing in | rows |", "|---|---|---|---:|"]
    rows += [f"| `{o.table}` | `{o.column}` | `{o.parent}` | {o.count:,} |" for o in orphans]
    return "\n".join(rows) + "\n"


def _orphans(con: duckdb.DuckDBPyConnection, loaded: set[str]) -> list[Orphans]:
    found = []
    for (table, column), (parent, parent_column) in REFERENCES.items():
        if table not in loaded or parent not in loaded:
            continue
        if column not in con.table(table).columns:
            continue
        count = con.execute(
            f"SELECT count(*) FROM {quote(table)} AS child WHERE child.{quote(column)} IS NOT NULL "
            f"AND NOT EXISTS (SELECT 1 FROM {quote(parent)} AS p "
            f"WHERE p.{quote(parent_column)} = child.{quote(column)})"
        ).fetchone()[0]
        if count:
            found.append(Orphans(table, column, f"{parent}.{parent_column}", count))
    return found
