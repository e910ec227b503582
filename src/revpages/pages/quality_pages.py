"""The data-quality and data-contract pages as Markdown, from the facts loading gathered.

Everything that came from the data (values, stage names, file names, competitor names)
is untrusted: tables are HTML blocks whose every cell is escaped as text (a ``|`` or a
line break in a value cannot break them, ``[x](javascript:...)`` is not a link), and
the few Markdown lines escape their text with ``markdown_text``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from revpages.contract import (
    CALENDAR,
    DEAL_STAGES,
    FLAGS,
    REFERENCES,
    TABLES,
    TABLES_BY_NAME,
    UNMAPPED_STAGE,
)
from revpages.derive.calendar import Calendar, day_text
from revpages.derive.calendar_table import DataRange
from revpages.ingest.loaded import LoadedTable
from revpages.ingest.quality import FLAGGED, FileQuality, QualityReport, RejectReason
from revpages.ingest.rejects import EXCLUDED, MERGED, REFUSED
from revpages.pages.markdown import escape, front_matter, markdown_text

# (contract table, column) -> (report title, docs-relative page) of each report reading it
ColumnUses = Mapping[tuple[str, str], Sequence[tuple[str, str]]]

_OUTCOMES = (
    (REFUSED, "Refused rows", "They cannot be placed at all, so no report counts them."),
    (
        FLAGGED,
        "Flagged values",
        "The rows are loaded; each flagged column is listed in the row's `flags`, and the "
        "reports that need that column leave the row out.",
    ),
    (MERGED, "Merged rows", "Each is the same record as the row it merged into."),
    (EXCLUDED, "Excluded rows", "The CRM marks them deleted."),
)


def quality_markdown(
    report: QualityReport,
    uses: ColumnUses | None = None,
    calendar: Calendar | None = None,
    found: DataRange | None = None,
) -> str:
    parts = [
        front_matter("Data quality"),
        "# Data quality\n",
        "Every record of every export ends in exactly one of: **loaded**; **loaded with "
        "flags** (kept, with its doubtful values marked); **merged** (a duplicate or "
        "superseded row, merged into the row named); **excluded** (deleted in the CRM); "
        "**refused** (it cannot be placed at all). The counts of each file add up to its rows "
        "read. Lines are spreadsheet rows: the header is line 1.\n",
    ]
    if calendar is not None:
        parts.append(_as_of_block(calendar, found or DataRange()))
    parts += [
        _files_table(report, calendar),
        _missing_tables(report.missing_tables),
        _reading_notes(report.files),
        _missing_columns(report.files, uses or {}),
        _unmapped_stages(report.unmapped),
        _gaps_block(report),
        _names_block(report),
        _empty_block(report.files),
    ]
    for quality in report.files:
        for outcome, title, meaning in _OUTCOMES:
            reasons = quality.of(outcome)
            if reasons:
                parts.append(_reasons_block(quality.table, title, meaning, reasons))
    parts.append(_orphans_block(report.orphans))
    return "\n".join(p for p in parts if p)


def load_notes(report: QualityReport) -> list[str]:
    """For the build summary: encodings that had to be guessed and files that were mended."""
    notes = []
    for quality in report.files:
        table = quality.table
        if table.guessed:
            notes.append(
                f"{table.path.name}: not UTF-8, read as {table.encoding_label} (a guess; check "
                "its accented letters on the data-quality page)."
            )
        notes += [f"{table.path.name}: {repair}." for repair in table.repairs]
    return list(dict.fromkeys(notes))


def contract_markdown() -> str:
    parts = [
        front_matter("Data contract"),
        "# Data contract\n",
        "The tables every report may rely on. An export file named after a table "
        "(`data/deals.csv` for `deals`) is checked against it; all times are UTC. A row "
        "without a *required* column cannot be placed and is refused; any other doubtful "
        "value is flagged and the row kept: every table ends with the column `flags`, the "
        "names of the row's flagged columns (see the data-quality page).\n",
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
        for column in table.loaded_columns:
            parent = REFERENCES.get((table.name, column.name))
            meaning = escape(column.doc) + (
                f" References `{parent[0]}.{parent[1]}`." if parent else ""
            )
            if column.choices:
                meaning += (
                    " One of "
                    + ", ".join(f"`{c}`" for c in column.choices)
                    + f"; a stage no mapping knows is `{UNMAPPED_STAGE}` (flagged)."
                )
            required = "yes" if column.required else ("expected" if column.expected else "")
            if column is FLAGS:
                required = "computed"
            rows.append(f"| `{column.name}` | {column.type} | {required} | {meaning} |")
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


def _text(value: object) -> str:
    """Escaped text that stays on one line of an HTML block."""
    return escape(value).replace("\r", "&#13;").replace("\n", "&#10;")


def _table(head: Sequence[str], rows: Iterable[Sequence[object]], numeric: set[int]) -> str:
    """An HTML table; every cell is escaped text unless it is ``_Raw``."""
    align = ' style="text-align: right;"'

    def cell(tag: str, i: int, value: object, attrs: str = "") -> str:
        shown = value.html if isinstance(value, _Raw) else _text(value)
        return f"<{tag}{attrs}{align if i in numeric else ''}>{shown}</{tag}>"

    header = "".join(cell("th", i, h, ' scope="col"') for i, h in enumerate(head))
    body = "\n".join(
        "<tr>" + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>" for row in rows
    )
    # A focusable region that scrolls when the table is wide (the class keeps the theme from
    # wrapping the table in a scroll box of its own, which a keyboard could not reach).
    label = escape("Data table: " + ", ".join(head))
    return (
        f'<div class="revpages-scroll" role="region" tabindex="0" aria-label="{label}">\n'
        f'<table class="revpages-data">\n<thead><tr>{header}</tr></thead>\n<tbody>\n{body}\n'
        "</tbody>\n</table>\n</div>\n"
    )


class _Raw:
    """Markup we built from escaped parts."""

    def __init__(self, html: str) -> None:
        self.html = html


def _code(value: object) -> _Raw:
    return _Raw(f"<code>{_text(value)}</code>")


def _files_table(report: QualityReport, calendar: Calendar | None = None) -> str:
    rows = []
    for q in report.files:
        fresh = _moment(q.table.freshness) if q.table.freshness else ""
        if not fresh and calendar is not None and q.table.columns:
            fresh = "no timestamps: the site's as-of"
        encoding = q.table.encoding_label + (" (guessed)" if q.table.guessed else "")
        rows.append(
            (
                _code(q.table.path.name),
                _code(q.table.name),
                encoding,
                f"{q.table.rows_read:,}",
                f"{q.clean:,}",
                f"{q.flagged:,}",
                f"{q.count(MERGED):,}",
                f"{q.count(EXCLUDED):,}",
                f"{q.rejected:,}",
                fresh,
            )
        )
    head = (
        "file",
        "table",
        "encoding",
        "rows read",
        "loaded",
        "loaded with flags",
        "merged",
        "excluded",
        "refused",
        "data as of",
    )
    return _table(head, rows, set(range(3, 9)))


def _moment(moment: datetime) -> str:
    """'31 Oct 2026, 23:47 UTC', as the site's as-of moment reads."""
    return f"{day_text(moment.date())}, {moment:%H:%M} UTC"


def _missing_tables(missing: Sequence[str]) -> str:
    if not missing:
        return ""
    names = ", ".join(f"`{t}`" for t in missing)
    return (
        "## Tables that were not exported\n\n"
        f"No export filled {names}. The reports that need them wait for data (their pages "
        "say which export fills them); the others are built.\n"
    )


def _reading_notes(files: Sequence[FileQuality]) -> str:
    rows = []
    for q in files:
        if q.table.guessed:
            rows.append(
                (
                    _code(q.table.path.name),
                    f"Not UTF-8: read as {q.table.encoding_label}, a guess. If accented "
                    "letters look wrong, export the file as UTF-8.",
                )
            )
        rows += [(_code(q.table.path.name), repair) for repair in q.table.repairs]
    if not rows:
        return ""
    unique = list(dict.fromkeys((r[0].html, r[1]) for r in rows))
    return "## How files were read\n\n" + _table(
        ("file", "note"), [(_Raw(f), note) for f, note in unique], set()
    )


def _missing_columns(files: Sequence[FileQuality], uses: ColumnUses) -> str:
    lines = []
    for q in files:
        for column, source, rows in q.missing:
            reports = uses.get((q.table.name, column), ())
            lose = (
                "reports that lose it: "
                + ", ".join(f"[{markdown_text(title)}]({page})" for title, page in reports)
                if reports
                else "no report reads it"
            )
            lines.append(
                f"- {markdown_text(q.table.path.name)}: no {markdown_text(source)}, so "
                f"`{q.table.name}.{column}` is empty on its {rows:,} rows; {lose}."
            )
    if not lines:
        return ""
    return (
        "## Columns missing from the exports\n\n"
        "An expected column the export did not include: every row of the file lacks it. "
        "Export it (internal name or display label), or point the contract column at another "
        "export column with `data_columns`.\n\n" + "\n".join(lines) + "\n"
    )


def _unmapped_stages(unmapped: Sequence[tuple[str, int]]) -> str:
    if not unmapped:
        return ""
    rows = [(_code(stage), f"{count:,}") for stage, count in unmapped]
    config = "\n".join(
        f"        {json.dumps(stage, ensure_ascii=False)}: {_guess_stage(stage)}"
        for stage, _ in unmapped
    )
    return (
        "## Deal stages that are not mapped\n\n"
        f"These stages map to no contract stage: the rows are kept with stage `{UNMAPPED_STAGE}` "
        "(flagged) and left out of stage-based metrics. Map each one in `mkdocs.yml`, "
        f"choosing among {', '.join(f'`{s}`' for s in DEAL_STAGES)}:\n\n"
        + _table(("stage as exported", "rows"), rows, {1})
        + "\n<pre><code>plugins:\n  - revpages:\n      data_stage_map:\n"
        + _text(config).replace("&#10;", "\n")
        + "\n</code></pre>\n"
    )


def _guess_stage(stage: str) -> str:
    """A starting point for the config line; the page says to check it."""
    words = stage.lower()
    for hint, contract in (
        ("won", "closed_won"),
        ("lost", "closed_lost"),
        ("negotiat", "negotiation"),
        ("contract", "negotiation"),
        ("verbal", "negotiation"),
        ("commit", "negotiation"),
        ("propos", "proposal"),
        ("quote", "proposal"),
        ("discover", "discovery"),
    ):
        if hint in words:
            return contract
    return "qualification"


def _gaps_block(report: QualityReport) -> str:
    if not report.gaps:
        return ""
    rows = [
        (
            g.title,
            f"{g.count:,}",
            f"{g.total:,}",
            f"{g.count / g.total:.0%}" if g.total else "",
            g.effect,
        )
        for g in report.gaps
    ]
    return "## Business gaps\n\n" + _table(
        ("gap", "records", "of", "share", "what the reports lose"), rows, {1, 2, 3}
    )


def _names_block(report: QualityReport) -> str:
    parts = []
    groups: dict[str, list[tuple[str, int, bool]]] = {}
    for _column, name, spelling, rows, alias in report.names:
        groups.setdefault(name, []).append((spelling, rows, alias))
    if groups:
        rows = [
            (
                name,
                "; ".join(
                    f"{spelling} ({count:,}){' by alias' if alias else ''}"
                    for spelling, count, alias in spellings
                ),
            )
            for name, spellings in groups.items()
        ]
        parts.append(
            "Spellings joined into one competitor (case, spacing, punctuation and legal "
            "suffixes such as Inc. or GmbH do not count; `aliases` joins the rest):\n\n"
            + _table(("competitor", "spellings joined (rows)"), rows, set())
        )
    if report.near:
        rows = [(a, b, f"{score:.2f}") for a, b, score in report.near]
        parts.append(
            "Names that look alike but were not joined; if they are one competitor, join them "
            "with `aliases` in `mkdocs.yml` (`aliases: {Name: [other spelling]}`):\n\n"
            + _table(("competitor", "looks like", "similarity"), rows, {2})
        )
    if not parts:
        return ""
    return "## Competitor names\n\n" + "\n".join(parts)


def _empty_block(files: Sequence[FileQuality]) -> str:
    rows = [
        (_code(q.table.path.name), _code(column), _code(token or "(spaces)"), f"{count:,}")
        for q in files
        for column, token, count in q.empty
    ]
    if not rows:
        return ""
    return (
        "## Values read as empty\n\n"
        "Text such as `N/A`, `-` or `null` stands for no value: it is read as empty.\n\n"
        + _table(("file", "column", "text", "values"), rows, {3})
    )


def _reasons_block(
    table: LoadedTable, title: str, meaning: str, reasons: Sequence[RejectReason]
) -> str:
    rows = []
    for reason in reasons:
        kept = reason.kept or ("",) * len(reason.samples)
        examples = "<br>".join(
            f"{line}: <code>{_text(value)}</code>" + (f" → {_text(into)}" if into else "")
            for (line, value), into in zip(reason.samples, kept, strict=False)
        )
        label = f"{reason.column}: {reason.reason}" if reason.column else reason.reason
        rows.append((label, f"{reason.count:,}", _Raw(examples)))
    return f"## {title} of {markdown_text(table.path.name)}\n\n{meaning}\n\n" + _table(
        ("reason", "rows", "examples (line: value)"), rows, {1}
    )


def _orphans_block(orphans: Sequence) -> str:
    if not orphans:
        return "## Orphans\n\nEvery reference points at a loaded row.\n"
    rows = [(_code(o.table), _code(o.column), _code(o.parent), f"{o.count:,}") for o in orphans]
    return (
        "## Orphans\n\nRows kept, but pointing at a parent that is not in the exports.\n\n"
        + _table(("rows of", "column", "missing in", "rows"), rows, {3})
    )


def data_attention(report: QualityReport, gap_share: float = 0.10) -> list[str]:
    """The data's problems worth a line on the home page's Attention list: refused, flagged
    and orphaned rows, unmapped stages, and gaps affecting at least ``gap_share`` of the
    records they concern."""
    refused = sum(f.rejected for f in report.files)
    flagged = sum(f.flagged for f in report.files)
    orphans = sum(o.count for o in report.orphans)
    unmapped = sum(rows for _stage, rows in report.unmapped)
    items = []
    if refused:
        items.append(f"{refused:,} exported rows were refused: they are in no report.")
    if flagged:
        items.append(
            f"{flagged:,} loaded rows have a doubtful value, left out of the metrics that need it."
        )
    if orphans:
        items.append(f"{orphans:,} rows point to a record the exports do not hold.")
    if unmapped:
        items.append(f"{unmapped:,} deals have a stage the stage map does not know.")
    for gap in report.gaps:
        if gap.total and gap.count / gap.total >= gap_share:
            items.append(
                f"{gap.title}: {gap.count:,} of {gap.total:,} ({gap.count / gap.total:.0%})."
            )
    return items
