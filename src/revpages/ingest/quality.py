"""The data-quality and data-contract pages: what was read, loaded, refused and why."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import duckdb

from revpages.contract import REFERENCES
from revpages.errors import DataLoadError, RevpagesError
from revpages.ingest.loaded import LoadedTable
from revpages.ingest.rejects import REJECTS_TABLE
from revpages.sql import quote, scalar

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
            problems.append(
                DataLoadError(
                    f"{quality.reject_share:.1%} of its {quality.table.rows_read:,} rows were "
                    f"refused, more than max_reject_share ({max_share:.1%}); most often "
                    f"'{top.reason}' ({top.count:,} rows, first at line {top.samples[0][0]}).",
                    code="RP509",
                    path=f"{quality.table.path.parent.name}/{quality.table.path.name}",
                    hint="fix the export (see the data-quality page), or raise max_reject_share.",
                )
            )
    return problems


def _orphans(con: duckdb.DuckDBPyConnection, loaded: set[str]) -> list[Orphans]:
    found = []
    for (table, column), (parent, parent_column) in REFERENCES.items():
        if table not in loaded or parent not in loaded:
            continue
        if column not in con.table(table).columns:
            continue
        count = scalar(
            con,
            f"SELECT count(*) FROM {quote(table)} AS child WHERE child.{quote(column)} IS NOT NULL "
            f"AND NOT EXISTS (SELECT 1 FROM {quote(parent)} AS p "
            f"WHERE p.{quote(parent_column)} = child.{quote(column)})",
        )
        if count:
            found.append(Orphans(table, column, f"{parent}.{parent_column}", count))
    return found
