"""What a page may publish: no personal data unless a report opts in, less for a wide audience.

Exports carry people's e-mail addresses, phone numbers and names; a shared site
must not spread them by accident. Columns that look personal, by name or by
value, are left out of the table, the CSV and the chart unless the report says
``personal_data: true``. A site built for ``audience: wide`` also drops record
ids and free-text notes, so it shows no deal-level detail or field notes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from revpages.errors import ChartSpecError
from revpages.reports.queryfile import QueryFile
from revpages.reports.result import QueryResult
from revpages.reports.spec import named_columns

AUDIENCES = ("internal", "wide")
PERSONAL_NAME = re.compile(
    r"(^|_)(e_?mail|phone|mobile|cell|fax|first_?name|last_?name|full_?name|contact_?name|"
    r"person_?name|street|address|zip|postcode|birth_?date|date_of_birth|ssn|ip_address)($|_)"
)
DETAIL_NAME = re.compile(r"(^|_)(id|notes?|field_notes|comments?|strengths|weaknesses)$")
EMAIL_VALUE = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
PHONE_VALUE = re.compile(r"^\+?[\d\s().-]{10,}$")
VALUES_SAMPLED = 200


@dataclass(frozen=True)
class Withheld:
    column: str
    reason: str  # "personal data" or "detail"


def publishable(
    query: QueryFile, result: QueryResult, *, audience: str = "internal"
) -> tuple[QueryResult, list[Withheld]]:
    """The result without the columns this site may not show, and what was left out."""
    withheld = []
    for index, column in enumerate(result.columns):
        if not query.spec.personal_data and _looks_personal(column, result, index):
            withheld.append(Withheld(column, "personal data"))
        elif audience == "wide" and DETAIL_NAME.search(column.lower()):
            withheld.append(Withheld(column, "detail"))
    if not withheld:
        return result, []
    _refuse_if_drawn(query, withheld)
    dropped = {w.column for w in withheld}
    keep = [i for i, c in enumerate(result.columns) if c not in dropped]
    trimmed = QueryResult(
        columns=tuple(result.columns[i] for i in keep),
        types=tuple(result.types[i] for i in keep),
        rows=[tuple(row[i] for i in keep) for row in result.rows],
        seconds=result.seconds,
        tables=result.tables,
    )
    return trimmed, withheld


def _looks_personal(column: str, result: QueryResult, index: int) -> bool:
    if PERSONAL_NAME.search(column.lower()):
        return True
    if not result.types[index].startswith("VARCHAR"):
        return False
    values = [row[index] for row in result.rows[:VALUES_SAMPLED] if isinstance(row[index], str)]
    return any(EMAIL_VALUE.match(v.strip()) or is_phone(v.strip()) for v in values)


def is_phone(value: str) -> bool:
    """'+1 415 555 0100', '(415) 555-0100': ten digits or more with separators (a numeric
    id has none; a date has only eight digits)."""
    digits = sum(ch.isdigit() for ch in value)
    return (
        bool(PHONE_VALUE.match(value))
        and digits >= 10
        and any(ch in " ()+." or ch == "-" for ch in value)
    )


def _refuse_if_drawn(query: QueryFile, withheld: Sequence[Withheld]) -> None:
    drawn = [(key, column) for key, column in named_columns(query.spec) if key != "format"]
    for item in withheld:
        for key, name in drawn:
            if item.column == name:
                line, column = query.key_position(key)
                hint = (
                    "add 'personal_data: true' if this report may show it."
                    if item.reason == "personal data"
                    else "draw an aggregate instead, or build for audience: internal."
                )
                raise ChartSpecError(
                    f"'{key}' draws the column '{item.column}', which this site does not "
                    f"publish ({item.reason}).",
                    code="RP308",
                    path=query.path,
                    line=line,
                    column=column,
                    hint=hint,
                )
