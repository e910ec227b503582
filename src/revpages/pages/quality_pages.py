"""The data-quality and data-contract pages as Markdown, from the facts loading gathered."""

from __future__ import annotations

from revpages.contract import REFERENCES, TABLES
from revpages.ingest.quality import FileQuality, Orphans, QualityReport
from revpages.pages.markdown import escape, front_matter


def quality_markdown(report: QualityReport) -> str:
    parts = [
        front_matter("Data quality"),
        "# Data quality\n",
        "Every row of every export is either loaded or refused with its reason. "
        "Lines are spreadsheet rows: the header is line 1.\n",
        _files_table(report),
    ]
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
    for table in TABLES:
        grain = escape(table.grain[:1].upper() + table.grain[1:])
        parts.append(f"## {table.name}\n\n{grain}; key: `{', '.join(table.key)}`.\n")
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


def _files_table(report: QualityReport) -> str:
    rows = [
        "| file | table | encoding | rows read | loaded | refused | data as of |",
        "|---|---|---|---:|---:|---:|---|",
    ]
    for q in report.files:
        fresh = q.table.freshness.strftime("%Y-%m-%d %H:%M UTC") if q.table.freshness else ""
        rows.append(
            f"| `{escape(q.table.path.name)}` | `{q.table.name}` | {q.table.encoding} | "
            f"{q.table.rows_read:,} | {q.table.rows:,} | {q.rejected:,} | {fresh} |"
        )
    return "\n".join(rows) + "\n"


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
