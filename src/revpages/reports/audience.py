"""The tables a restricted audience's reports run on: personal data replaced where it enters.

For ``audience: wide`` every table of the loaded database (the exports, the derived
attribution tables, the loader's refused rows) is rewritten before any model or report
runs, so no alias, expression or join in a query can reach what it held:

- record ids (columns ``id`` and ``*_id``) and people's names (``owner``, ``*_owner``,
  ``rep``, ``*_rep``) are pseudonymised, or removed with ``privacy_mode: remove``;
- field notes and comments, e-mail addresses, phone numbers, people's full names and
  postal addresses, and any text column whose values look like e-mail addresses or phone
  numbers, are removed.

Columns are chosen by the table's own column names, never by a report's. A pseudonym is
a keyed hash, ``privacy_salt`` being the key: the same value gives the same pseudonym in
every table and every build (joins on ids still work, sites stay byte-identical), and
without the salt nobody can tell which id or name is behind it. "Removed" leaves the
column in place, empty (NULL), so every report still runs. The data-quality page's
sample values are withheld as well. ``audience: internal`` (the default) changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import duckdb

from revpages.ingest.quality import QualityReport
from revpages.ingest.rejects import FLAGS_TABLE, REJECTS_TABLE
from revpages.reports.privacy import (
    DETAIL_NAME,
    EMAIL_VALUE,
    PERSONAL_NAME,
    VALUES_SAMPLED,
    is_phone,
)
from revpages.sql import literal, quote

PRIVACY_MODES = ("pseudonymise", "remove")
ID_NAME = re.compile(r"(^|_)id$")
PERSON_NAME = re.compile(r"(^|_)(owner|rep)$")
WITHHELD = "(withheld)"  # a data-quality sample value in a restricted build


@dataclass(frozen=True)
class PrivacyOptions:
    """``audience``, ``privacy_mode`` and ``privacy_salt``: what the loaded tables hold."""

    audience: str = "internal"
    mode: str = "pseudonymise"
    salt: str = ""

    @property
    def restricted(self) -> bool:
        return self.audience != "internal"

    def as_dict(self) -> dict[str, str]:
        """For the loaded data's fingerprint: an internal site's tables are the exports."""
        if not self.restricted:
            return {}
        return {"audience": self.audience, "mode": self.mode, "salt": self.salt}


@dataclass(frozen=True)
class Replaced:
    table: str
    column: str
    kind: str  # "id", "person" (pseudonymised unless mode is remove), "personal", "note"


def restrict(con: duckdb.DuckDBPyConnection, options: PrivacyOptions) -> list[Replaced]:
    """Rewrite every table of ``con``'s main schema for ``options``; what was replaced."""
    if not options.restricted:
        return []
    done: list[Replaced] = []
    for table in _tables(con):
        found = [
            Replaced(table, column, kind)
            for column, type_ in _columns(con, table)
            if (kind := _kind(con, table, column, type_))
        ]
        if found:
            _rewrite(con, table, found, options)
            done += found
    return done


def withhold_samples(report: QualityReport) -> QualityReport:
    """The data-quality findings without the refused values themselves (line numbers stay)."""
    files = [
        replace(
            quality,
            reasons=tuple(
                replace(r, samples=tuple((line, WITHHELD) for line, _value in r.samples))
                for r in quality.reasons
            ),
        )
        for quality in report.files
    ]
    return replace(report, files=files)


def _kind(con: duckdb.DuckDBPyConnection, table: str, column: str, type_: str) -> str:
    name = column.lower()
    if table in (REJECTS_TABLE, FLAGS_TABLE) and name == "value":
        return "personal"  # a refused or flagged field's raw value: anything
    if ID_NAME.search(name):
        return "id"
    if PERSON_NAME.search(name):
        return "person"
    if PERSONAL_NAME.search(name):
        return "personal"
    if DETAIL_NAME.search(name):
        return "note"
    if type_ == "VARCHAR" and _values_look_personal(con, table, column):
        return "personal"
    return ""


def _values_look_personal(con: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    values = con.execute(
        f"SELECT {quote(column)} FROM {quote(table)} WHERE {quote(column)} IS NOT NULL "
        f"LIMIT {VALUES_SAMPLED}"
    ).fetchall()
    return any(EMAIL_VALUE.match(v.strip()) or is_phone(v.strip()) for (v,) in values)


def _rewrite(
    con: duckdb.DuckDBPyConnection, table: str, found: list[Replaced], options: PrivacyOptions
) -> None:
    """One pass over ``table``: each column of ``found`` replaced in place (same position).
    The SQL is our own: quoted identifiers, our prefixes, and the salt bound as a parameter."""
    parts = []
    salted = False
    for item in found:
        column = quote(item.column)
        if item.kind in ("id", "person") and options.mode == "pseudonymise":
            salted = True
            prefix = literal("ref-" if item.kind == "id" else "Rep ")
            digits = 16 if item.kind == "id" else 8
            parts.append(
                f"CASE WHEN {column} IS NULL THEN NULL ELSE {prefix} || "
                f"left(sha256($1 || chr(31) || {column}::VARCHAR), {digits}) END AS {column}"
            )
        else:
            parts.append(f"CAST(NULL AS {_type_of(con, table, item.column)}) AS {column}")
    con.execute(
        f"CREATE OR REPLACE TABLE {quote(table)} AS SELECT * REPLACE ({', '.join(parts)}) "
        f"FROM {quote(table)}",
        [options.salt] if salted else [],
    )


def _tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        row[0]
        for row in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE NOT temporary "
            "AND database_name = current_database() AND schema_name = 'main' ORDER BY table_name"
        ).fetchall()
    ]


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    return [
        (name, str(type_))
        for name, type_ in con.execute(
            "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = $1 "
            "AND schema_name = 'main' AND database_name = current_database() "
            "ORDER BY column_index",
            [table],
        ).fetchall()
    ]


def _type_of(con: duckdb.DuckDBPyConnection, table: str, column: str) -> str:
    return dict(_columns(con, table))[column]
