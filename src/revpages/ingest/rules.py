"""The checks of one contract table: which rows are refused, which values are flagged.

The policy (the guide's exports page): a row is refused only when it cannot be placed at
all (a required value is missing or unreadable, or the mapping says it is not a record
of this table). Any other doubtful value is flagged with a reason and the row is kept:
an unreadable value becomes empty, a negative amount or a close date before the create
date keeps its value, an unmapped stage becomes ``unmapped``, a contradiction keeps the
value the stage implies. Reports leave a row out only of the metrics that need a
flagged column (the ``flags`` column of every contract table).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from revpages.contract import DEAL_STAGES, OPEN_STAGES, UNMAPPED_STAGE, Column, Table
from revpages.ingest.readers import HOW, base_type
from revpages.sql import literal, quote

STAGE_NOT_MAPPED = "stage is not mapped to a contract stage"


@dataclass(frozen=True)
class Rule:
    """Rows where ``condition`` holds are refused (``column`` None) or have ``column``
    flagged, with ``reason``; ``value`` is SQL for the offending text."""

    condition: str
    reason: str
    value: str
    column: str | None = None


def given(column: str) -> str:
    """The value as read, before the fixes (e.g. is_won before the stage wins)."""
    return quote(f"__given_{column}")


def text(column: str) -> str:
    """The cleaned export text of a column (NULL when empty)."""
    return quote(f"__src_{column}")


def fixed_sql(table: Table, column: Column, sources: dict[str, str]) -> str:
    """The loaded value of ``column`` from the values as read: the stage wins over the
    closed and won flags (and a won deal is closed)."""
    if table.name == "deals" and column.name in ("is_closed", "is_won") and "stage" in sources:
        closed = ", ".join(literal(s) for s in DEAL_STAGES[4:])
        open_ = ", ".join(literal(s) for s in OPEN_STAGES)
        stage = given("stage")
        if column.name == "is_closed":
            return (
                f"CASE WHEN list_contains([{closed}], {stage}) THEN true "
                f"WHEN list_contains([{open_}], {stage}) THEN false "
                f"WHEN {given('is_won')} THEN true ELSE {given('is_closed')} END"
            )
        return (
            f"CASE WHEN {stage} = {literal(DEAL_STAGES[4])} THEN true "
            f"WHEN list_contains([{open_}, {literal(DEAL_STAGES[5])}], {stage}) THEN false "
            f"ELSE {given('is_won')} END"
        )
    if table.name == "deals" and column.name == "is_closed" and "is_won" in sources:
        return f"CASE WHEN {given('is_won')} THEN true ELSE {given('is_closed')} END"
    return given(column.name)


def refusals(table: Table, sources: dict[str, str]) -> list[Rule]:
    rules = []
    for column in table.columns:
        if not column.required or column.name not in sources:
            continue
        rules.append(Rule(f"{text(column.name)} IS NULL", f"missing {column.name}", "''"))
        how = HOW.get(base_type(column))
        if how:
            rules.append(
                Rule(
                    f"{given(column.name)} IS NULL AND {text(column.name)} IS NOT NULL",
                    f"{column.name} is not {how}",
                    text(column.name),
                )
            )
    return rules


def flags(
    table: Table, sources: dict[str, str], now: datetime, *, lost: bool, as_of: bool
) -> list[Rule]:
    """Every flag of ``table``. ``lost``: the raw rows carry ``__lost``, the columns their
    file did not export (those are named on the data-quality page, not flagged per row);
    ``as_of``: they carry ``__as_of``, the moment each record was last modified."""
    rules: list[Rule] = []
    for column in table.columns:
        name = column.name
        if name not in sources:
            continue
        if column.expected and not column.required:
            exported = (
                f" AND NOT coalesce(list_contains(__lost, {literal(name)}), false)" if lost else ""
            )
            rules.append(
                Rule(
                    f"{text(name)} IS NULL AND {quote(name)} IS NULL{exported}",
                    f"missing {name}",
                    "''",
                    name,
                )
            )
        how = HOW.get(base_type(column))
        if how and not column.required:  # a required value that is unreadable is refused
            rules.append(
                Rule(
                    f"{given(name)} IS NULL AND {text(name)} IS NOT NULL",
                    f"{name} is not {how}",
                    text(name),
                    name,
                )
            )
        if column.choices:
            rules.append(
                Rule(
                    f"{quote(name)} = {literal(UNMAPPED_STAGE)}", STAGE_NOT_MAPPED, text(name), name
                )
            )
        if column.type.startswith("DECIMAL"):
            rules.append(Rule(f"{quote(name)} < 0", f"negative {name}", text(name), name))
    rules += _after_as_of(table, sources, now, as_of=as_of)
    rules += _contradictions(table, sources)
    return rules


def _after_as_of(
    table: Table, sources: dict[str, str], now: datetime, *, as_of: bool
) -> list[Rule]:
    """Times after the as-of moment: the build's "now", or (by more than a day, for clocks
    that disagree) the record's last change. An open deal's close date is a plan, so it
    may lie ahead."""
    stamp = f"TIMESTAMP '{now.strftime('%Y-%m-%d %H:%M:%S')}'"
    rules = []
    for column in table.columns:
        if column.type != "TIMESTAMP" or column.name not in sources:
            continue
        name = quote(column.name)
        planned = (
            " AND is_closed IS NOT false"
            if (table.name, column.name)
            == (
                "deals",
                "closed_at",
            )
            else ""
        )
        rules.append(
            Rule(
                f"{name} > {stamp}{planned}",
                f"{column.name} is after the as-of date {now:%Y-%m-%d} (in the future)",
                text(column.name),
                column.name,
            )
        )
        if as_of:
            rules.append(
                Rule(
                    f"{name} > __as_of + INTERVAL 1 DAY{planned}",
                    f"{column.name} is after the record was last modified (its as-of date)",
                    f"{text(column.name)} || ' > ' || strftime(__as_of, '%Y-%m-%d %H:%M')",
                    column.name,
                )
            )
    return rules


def _contradictions(table: Table, sources: dict[str, str]) -> list[Rule]:
    rules = []
    present = sources.keys()
    if table.name == "deals":
        if {"created_at", "closed_at"} <= present:
            rules.append(
                Rule(
                    "closed_at < created_at",
                    "closed before created",
                    text("closed_at"),
                    "closed_at",
                )
            )
        for flag in ("is_closed", "is_won"):
            if flag not in present:
                continue
            why = (
                "is_won contradicts the stage (the stage wins)"
                if flag == "is_won"
                else "is_closed contradicts the stage or is_won (a won deal is closed)"
            )
            shown = (
                f"{text(flag)} || coalesce(' with stage ' || {text('stage')}, '')"
                if ("stage" in present)
                else text(flag)
            )
            rules.append(
                Rule(
                    f"{given(flag)} IS NOT NULL AND {given(flag)} IS DISTINCT FROM {quote(flag)}",
                    why,
                    shown,
                    flag,
                )
            )
    if table.name == "campaigns" and {"start_date", "end_date"} <= present:
        rules.append(
            Rule("end_date < start_date", "ends before it starts", text("end_date"), "end_date")
        )
    return rules
