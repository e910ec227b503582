"""The data-quality and data-contract pages as Markdown, from the facts loading gathered."""

from __future__ import annotations

from datetime import datetime

from revpages.contract import CALENDAR, REFERENCES, TABLES, TABLES_BY_NAME
from revpages.derive.calendar import Calendar, day_text
from revpages.derive.calendar_table import DataRange
from revpages.ingest.quality import FileQuality, Orphans, QualityReport
from revpages.pages.markdown import escape, front_matter


def quality_markdown(
    report: QualityReport, calendar: Calendar | None = None, found: DataRange | None = None
) -> str:
    parts = [
        front_matter("Data quality"),
        "# Data quality\n",
        "Every row of every export is either loaded or refused with its reason. "
        "Lines are spreadsheet rows: the header is line 1.\n",
    ]
    if calendar is not None:
        parts.append(_as_of_block(calendar, found or DataRange()))
    parts.append(_files_table(report, calendar))
    for quality in report.files:
        if quality.reasons:
            parts.append(_reasons_block(quality))
    parts.append(_orphans_block(report.orphans))
    return "\n".join(parts)


def contract_markdown() -> str:
    parts = [
        front_matter("Data contract"),
        "# Data contract\n",
        "The tables every report may rely on. An export file named after a table "
        "(`data/deals.csv` for `deals`) is checked against it; all times are UTC.\n",
    ]
    for table in (*TABLES, CALENDAR):
        grain = escape(table.grain[:1].upper() + table.grain[1:])
        parts.append(f"## {table.name}\n\n{grain}; key: `{', '.join(table.key)}`.\n")
        if table is CALENDAR:
            parts.append(
                "revpages makes it on every build from the `calendar_*` options and the "
                "as-of moment (see the guide's Calendar page); every report may join it.\n"
            )
        rows = ["| column | type | required | meaning |", "|---|---|---|---|"]
        for column in table.columns:
            parent = REFERENCES.get((table.name, column.name))
            meaning = escape(column.doc) + (
                f" References `{parent[0]}.{parent[1]}`." if parent else ""
            )
            if column.choices:
                meaning += " One of " + ", ".join(f"`{c}`" for c in column.choices) + "."
            rows.append(
                f"| `{column.name}` | {column.type} | "
                f"{'yes' if column.required else ''} | {meaning} |"
            )
        parts.append("\n".join(rows) + "\n")
    return "\n".join(parts)


def _as_of_block(calendar: Calendar, found: DataRange) -> str:
    """Where the site's one as-of moment comes from, in words."""
    moment = escape(calendar.as_of_text())
    if calendar.source == "configured":
        how = "set by the `calendar_as_of` option, so the build reproduces"
    elif calendar.source == "data":
        names = [f"`{name}`" for name in found.setters]
        setters = " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
        tables = "tables" if len(names) > 1 else "table"
        others = sorted(
            name
            for name in found.latest
            if name in TABLES_BY_NAME and not TABLES_BY_NAME[name].sets_as_of
        )
        how = (
            f"the latest event of {setters}, the {tables} whose exports reach least far: "
            "every table with events is complete up to it"
        )
        if others:
            listed = ", ".join(f"`{name}`" for name in others)
            how += f" ({listed} hold periodic rows and do not set it)"
    else:
        how = "the time of the build, as no table has a timestamp"
    return (
        "## Data as of\n\n"
        f"Every page reports the data as of **{moment}**: {how}. Each table's latest event "
        "is below; a table without timestamps takes the site's as-of moment. Reports count "
        "what happened before it, and the running week, month, quarter and year are drawn "
        "as to date.\n"
    )


def _files_table(report: QualityReport, calendar: Calendar | None = None) -> str:
    rows = [
        "| file | table | encoding | rows read | loaded | refused | data as of |",
        "|---|---|---|---:|---:|---:|---|",
    ]
    for q in report.files:
        fresh = _moment(q.table.freshness) if q.table.freshness else ""
        if not fresh and calendar is not None and q.table.columns:
            fresh = "no timestamps: the site's as-of"
        rows.append(
            f"| `{escape(q.table.path.name)}` | `{q.table.name}` | {q.table.encoding} | "
            f"{q.table.rows_read:,} | {q.table.rows:,} | {q.rejected:,} | {fresh} |"
        )
    return "\n".join(rows) + "\n"


def _moment(moment: datetime) -> str:
    """'31 Oct 2026, 23:47 UTC', as the site's as-of moment reads."""
    return f"{day_text(moment.date())}, {moment:%H:%M} UTC"


def _reasons_block(quality: FileQuality) -> str:
    lines = [
        f"## Refused rows of {escape(quality.table.path.name)}\n",
        "| reason | rows | examples (line: value) |",
        "|---|---:|---|",
    ]
    for reason in quality.reasons:
        examples = "<br>".join(
            f"{line}: <code>{escape(value)}</code>" for line, value in reason.samples
        )
        lines.append(f"| {escape(reason.reason)} | {reason.count:,} | {examples} |")
    return "\n".join(lines) + "\n"


def _orphans_block(orphans: list[Orphans]) -> str:
    if not orphans:
        return "## Orphans\n\nEvery reference points at a loaded row.\n"
    rows = [
        "## Orphans\n",
        "Rows kept, but pointing at a parent that is not in the exports.\n",
        "| rows of | column | missing in | rows |",
        "|---|---|---|---:|",
    ]
    rows += [f"| `{o.table}` | `{o.column}` | `{o.parent}` | {o.count:,} |" for o in orphans]
    return "\n".join(rows) + "\n"
