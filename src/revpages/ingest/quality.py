"""The facts of the data-quality page, gathered once per load from the outcome tables.

Per file: rows read, loaded, loaded with flags, merged, excluded and refused, with the
reasons and sample lines of each; the columns it did not export and the empty-like
values it held. For the whole load: unmapped stages, competitor names that were joined
and those that look alike, orphans, business gaps and the tables no export filled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import duckdb

from revpages.contract import REFERENCES
from revpages.errors import DataLoadError, RevpagesError
from revpages.ingest.loaded import LoadedTable
from revpages.ingest.names import NAMES_TABLE, near_names
from revpages.ingest.rejects import (
    EMPTY_TABLE,
    FLAGS_TABLE,
    MERGED,
    MISSING_TABLE,
    REFUSED,
    REJECTS_TABLE,
)
from revpages.ingest.rules import STAGE_NOT_MAPPED
from revpages.sql import quote

SAMPLES_PER_REASON = 3
FLAGGED = "flagged"


@dataclass(frozen=True)
class RejectReason:
    """One reason of one outcome (refused, merged, excluded, flagged) in one file."""

    reason: str
    count: int
    samples: tuple[tuple[int, str], ...]  # (line, value)
    outcome: str = REFUSED
    column: str = ""  # the flagged column
    kept: tuple[str, ...] = ()  # merged: the row each sample merged into


@dataclass(frozen=True)
class FileQuality:
    table: LoadedTable
    reasons: tuple[RejectReason, ...] = ()
    flagged: int = 0  # loaded rows with at least one flag
    empty: tuple[tuple[str, str, int], ...] = ()  # (column, text read as empty, count)
    missing: tuple[tuple[str, str, int], ...] = ()  # (column, export column, rows)

    def of(self, outcome: str) -> tuple[RejectReason, ...]:
        return tuple(r for r in self.reasons if r.outcome == outcome)

    def count(self, outcome: str) -> int:
        return sum(r.count for r in self.of(outcome))

    @property
    def rejected(self) -> int:
        return self.count(REFUSED)

    @property
    def clean(self) -> int:
        """Loaded without a flag."""
        return self.table.rows - self.flagged

    @property
    def reject_share(self) -> float:
        return self.rejected / self.table.rows_read if self.table.rows_read else 0.0


@dataclass(frozen=True)
class Orphans:
    table: str
    column: str
    parent: str
    count: int


@dataclass(frozen=True)
class Gap:
    """A business gap: records the reports cannot place in one respect."""

    key: str
    title: str
    count: int
    total: int
    effect: str


@dataclass
class QualityReport:
    files: list[FileQuality] = field(default_factory=list)
    orphans: list[Orphans] = field(default_factory=list)
    unmapped: list[tuple[str, int]] = field(default_factory=list)  # (stage as exported, rows)
    names: list[tuple[str, str, str, int, bool]] = field(default_factory=list)
    near: list[tuple[str, str, float]] = field(default_factory=list)  # competitor look-alikes
    gaps: list[Gap] = field(default_factory=list)
    missing_tables: list[str] = field(default_factory=list)


def collect_quality(
    con: duckdb.DuckDBPyConnection, tables: Sequence[LoadedTable], missing: Sequence[str] = ()
) -> QualityReport:
    report = QualityReport(missing_tables=list(missing))
    reasons = _reasons(con)
    flagged = dict(
        con.execute(f"SELECT file, count(DISTINCT line) FROM {FLAGS_TABLE} GROUP BY ALL").fetchall()
    )
    empty = _by_file(con, f"SELECT file, column_name, token, count FROM {EMPTY_TABLE}")
    missing_columns = _by_file(con, f"SELECT file, column_name, source, rows FROM {MISSING_TABLE}")
    for table in tables:
        name = table.path.name
        report.files.append(
            FileQuality(
                table,
                tuple(reasons.get(name, ())),
                flagged.get(name, 0),
                tuple(empty.get(name, ())),
                tuple(missing_columns.get(name, ())),
            )
        )
    loaded = {t.name for t in tables if t.columns}
    report.orphans = _orphans(con, loaded)
    report.unmapped = con.execute(
        f"SELECT value, count(*) FROM {FLAGS_TABLE} WHERE reason = $1 GROUP BY value "
        "ORDER BY count(*) DESC, value",
        [STAGE_NOT_MAPPED],
    ).fetchall()
    if _exists(con, NAMES_TABLE):
        report.names = con.execute(
            f"SELECT column_name, name, spelling, rows, alias FROM {NAMES_TABLE} "
            "ORDER BY name, rows DESC, spelling"
        ).fetchall()
    if "deal_competitors" in loaded:
        report.near = near_names(con, "deal_competitors", "competitor")
    report.gaps = business_gaps(con, loaded)
    return report


def _reasons(con: duckdb.DuckDBPyConnection) -> dict[str, list[RejectReason]]:
    found: dict[str, list[RejectReason]] = {}
    rows = con.execute(
        "SELECT file, outcome, reason, '' AS column_name, count(*), "
        "list([line::VARCHAR, coalesce(value, ''), CASE WHEN kept_line IS NULL THEN '' "
        "WHEN kept_file = file THEN 'line ' || kept_line ELSE kept_file || ' line ' || "
        f"kept_line END] ORDER BY line)[1:{SAMPLES_PER_REASON}] FROM {REJECTS_TABLE} "
        "GROUP BY ALL UNION ALL "
        f"SELECT file, '{FLAGGED}', reason, column_name, count(*), list([line::VARCHAR, "
        f"coalesce(value, ''), ''] ORDER BY line)[1:{SAMPLES_PER_REASON}] FROM {FLAGS_TABLE} "
        "GROUP BY ALL ORDER BY 1, 5 DESC, 3"
    ).fetchall()
    for file, outcome, reason, column, count, samples in rows:
        found.setdefault(file, []).append(
            RejectReason(
                reason,
                count,
                tuple((int(line), value) for line, value, _ in samples),
                outcome,
                column,
                tuple(kept for _, _, kept in samples) if outcome == MERGED else (),
            )
        )
    return found


def _by_file(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, list[tuple]]:
    found: dict[str, list[tuple]] = {}
    for file, *rest in con.execute(sql + " ORDER BY ALL").fetchall():
        found.setdefault(file, []).append(tuple(rest))
    return found


def _exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = $1", [name]
        ).fetchone()[0]
    )


# (key, title, SQL counting the records with the gap, SQL counting the records it is
# about, the tables it needs, what the reports lose)
_GAPS = (
    (
        "mql_owner",
        "MQLs without an owner",
        "SELECT count(*) FROM leads WHERE mql_at IS NOT NULL AND owner IS NULL",
        "SELECT count(*) FROM leads WHERE mql_at IS NOT NULL",
        ("leads",),
        "Speed to lead and SLA compliance cannot hold anyone to them; they count as never "
        "worked in the per-owner reports.",
    ),
    (
        "loss_reason",
        "Lost deals without a loss reason",
        "SELECT count(*) FROM deals WHERE is_closed AND NOT is_won AND loss_reason IS NULL",
        "SELECT count(*) FROM deals WHERE is_closed AND NOT is_won",
        ("deals",),
        "Losses to no decision cannot be told from losses to a competitor.",
    ),
    (
        "competitor",
        "Closed deals without a competitor recorded",
        "SELECT count(*) FROM deals d WHERE d.is_closed AND NOT EXISTS "
        "(SELECT 1 FROM deal_competitors c WHERE c.deal_id = d.deal_id)",
        "SELECT count(*) FROM deals WHERE is_closed",
        ("deals", "deal_competitors"),
        "Competitive win rates leave them out (they are not 'uncontested').",
    ),
    (
        "account",
        "Deals without an account",
        "SELECT count(*) FROM deals WHERE account_id IS NULL",
        "SELECT count(*) FROM deals",
        ("deals",),
        "Market penetration, coverage and segment reports cannot place them.",
    ),
    (
        "lead_dates",
        "Leads without a create date",
        "SELECT count(*) FROM leads WHERE created_at IS NULL",
        "SELECT count(*) FROM leads",
        ("leads",),
        "Funnel cohorts, lead volume and cost per lead cannot place them in a period.",
    ),
    (
        "lead_no_date",
        "Leads without any date (created, MQL, SAL, SQL)",
        "SELECT count(*) FROM leads WHERE created_at IS NULL AND mql_at IS NULL "
        "AND sal_at IS NULL AND sql_at IS NULL",
        "SELECT count(*) FROM leads",
        ("leads",),
        "No funnel page can show them at all: export the create date (and the stage dates).",
    ),
)


def business_gaps(con: duckdb.DuckDBPyConnection, loaded: set[str]) -> list[Gap]:
    """The gaps whose tables were exported (the SQL is ours: no text from the data)."""
    gaps = []
    for key, title, count_sql, total_sql, needs, effect in _GAPS:
        if set(needs) <= loaded:
            count = con.execute(count_sql).fetchone()[0]
            total = con.execute(total_sql).fetchone()[0]
            gaps.append(Gap(key, title, count, total, effect))
    return gaps


def reject_share_problems(report: QualityReport, max_share: float) -> list[RevpagesError]:
    """One error per file whose refused share passes ``max_share``, naming its top reason."""
    problems: list[RevpagesError] = []
    for quality in report.files:
        if quality.rejected and quality.reject_share > max_share:
            top = quality.of(REFUSED)[0]
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
        count = con.execute(
            f"SELECT count(*) FROM {quote(table)} AS child WHERE child.{quote(column)} IS NOT NULL "
            f"AND NOT EXISTS (SELECT 1 FROM {quote(parent)} AS p "
            f"WHERE p.{quote(parent_column)} = child.{quote(column)})"
        ).fetchone()[0]
        if count:
            found.append(Orphans(table, column, f"{parent}.{parent_column}", count))
    return found
