"""Tolerant value readers: export text -> typed values, as DuckDB macros.

Every reader takes text ``rp_text`` already cleaned (trimmed; ``N/A``, ``null``, ``-``
and other empty-like tokens as NULL) and returns NULL for text it cannot read, so
the conformer can tell "empty" (NULL text) from "unreadable" (text, but NULL value).
Money is read only in the documented shapes: a currency sign or code before or after,
``,``/``.``/space/apostrophe grouping, a decimal point or comma, and a leading minus or
parentheses for negatives. ``1.2M``, ``$5k``, ``Q3 2024`` or ``12 seats x 40`` are not
money: they are unreadable, never digits picked out of the text.
"""

from __future__ import annotations

import duckdb

from revpages.contract import Column

# Text read as empty. Not "NA": it is the North America region as often as "not available".
NULL_TOKENS = ("", "n/a", "null", "none", "nan", "#n/a", "-", "--")
DATE_FORMATS = (
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d",
    "%d-%b-%Y",
    "%b %d, %Y",
    "%B %d, %Y",
)

# Money: (sign) (currency) (sign) number (currency) (sign); checked piece by piece below.
_CODES = "USD EUR GBP CHF JPY CNY CAD AUD NZD SEK NOK DKK PLN CZK INR BRL MXN ZAR SGD HKD"
_CURRENCY = rf"(?:[A-Z]{{0,2}}[$€£¥₹₩₪₽]|{_CODES.replace(' ', '|')})"
_GROUP = "[ '\u00a0\u2009\u202f]"
_MONEY_SHAPE = (
    rf"^(\()?\s*(-)?\s*({_CURRENCY})?\s*(-)?\s*([0-9][0-9,.{_GROUP[1:-1]}]*[0-9]|[0-9]|\.[0-9]+)"
    rf"\s*({_CURRENCY})?\s*(\))?$"
)
_NUMBER = (
    r"[0-9]+(\.[0-9]+)?|\.[0-9]+"  # 1200 or 1200.50
    r"|[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?"  # 1,200.50
    r"|[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?"  # 1.200,50
    r"|[0-9]+,[0-9]{1,2}"  # 1200,50
    rf"|[0-9]{{1,3}}({_GROUP}[0-9]{{3}})+([.,][0-9]+)?"  # 1 200,50 and 1'200.50
)
# After removing grouping spaces and apostrophes: a comma is the decimal mark here.
_DECIMAL_COMMA = r"[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?|[0-9]+,[0-9]{1,2}"
LEGAL_SUFFIXES = (
    "inc incorporated corp corporation co company llc ltd limited gmbh ag sa plc bv nv "
    "srl sarl sas spa oy ab as pty lp llp kg kk se"
)


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


_MACROS = (
    # Most values are plain ASCII with nothing to trim and longer than any null token: they
    # pass as they are; only the rest pay for trim (which removes Unicode spaces) and lower.
    "CREATE OR REPLACE MACRO rp_text(s) AS CASE WHEN strlen(s) > 4 AND strlen(s) = length(s) "
    "AND NOT starts_with(s, ' ') AND NOT ends_with(s, ' ') THEN s "
    "WHEN list_contains([{nulls}], lower(trim(s))) THEN NULL ELSE trim(s) END",
    # Text of 19 characters or fewer has no room for a zone: the fast TIMESTAMP cast is exact.
    "CREATE OR REPLACE MACRO rp_ts_text(t) AS coalesce(CASE WHEN length(t) <= 19 "
    "THEN try_cast(t AS TIMESTAMP) ELSE try_cast(t AS TIMESTAMPTZ)::TIMESTAMP END, "
    "try_strptime(t, [{formats}]))",
    "CREATE OR REPLACE MACRO rp_ts(s) AS rp_ts_text(rp_text(s))",
    "CREATE OR REPLACE MACRO rp_money_number(n) AS try_cast(CASE "
    f"WHEN regexp_full_match(n, {_sql_text(_DECIMAL_COMMA)}) "
    "THEN replace(replace(n, '.', ''), ',', '.') ELSE replace(n, ',', '') END "
    "AS DECIMAL(18,2))",
    "CREATE OR REPLACE MACRO rp_money_parts(p) AS CASE "
    "WHEN p.num <> '' AND (p.open = '') = (p.close = '') AND (p.m1 = '' OR p.m2 = '') "
    "AND (p.c1 = '' OR p.c2 = '') AND (p.open = '' OR (p.m1 = '' AND p.m2 = '')) "
    f"AND regexp_full_match(p.num, {_sql_text(_NUMBER)}) "
    "THEN CASE WHEN p.open <> '' OR p.m1 <> '' OR p.m2 <> '' THEN -1 ELSE 1 END "
    f"* rp_money_number(regexp_replace(p.num, {_sql_text(_GROUP)}, '', 'g')) END",
    "CREATE OR REPLACE MACRO rp_money_text(t) AS rp_money_parts(regexp_extract(t, "
    f"{_sql_text(_MONEY_SHAPE)}, ['open', 'm1', 'c1', 'm2', 'num', 'c2', 'close']))",
    "CREATE OR REPLACE MACRO rp_money(s) AS rp_money_text(rp_text(s))",
    "CREATE OR REPLACE MACRO rp_int_text(t) AS try_cast(replace(t, ',', '') AS BIGINT)",
    "CREATE OR REPLACE MACRO rp_int(s) AS rp_int_text(rp_text(s))",
    "CREATE OR REPLACE MACRO rp_double_text(t) AS try_cast(replace(t, ',', '') AS DOUBLE)",
    "CREATE OR REPLACE MACRO rp_double(s) AS rp_double_text(rp_text(s))",
    # list_contains, not IN: DuckDB turns IN lists into joins, which lose the row order.
    "CREATE OR REPLACE MACRO rp_bool_text(t) AS CASE "
    "WHEN list_contains(['true', 't', 'yes', 'y', '1'], lower(t)) THEN true "
    "WHEN list_contains(['false', 'f', 'no', 'n', '0'], lower(t)) THEN false END",
    "CREATE OR REPLACE MACRO rp_bool(s) AS rp_bool_text(rp_text(s))",
    # Labels and internal values to one key: 'Closed Won' and 'closedwon' -> 'closedwon'.
    "CREATE OR REPLACE MACRO rp_key(s) AS lower(regexp_replace(trim(s), '[^A-Za-z0-9]+', '', 'g'))",
    # A company name to its grouping key: case, accents, spacing, punctuation and common
    # legal suffixes do not count ('ACME Corp', 'Acme Inc.' and ' acme ' -> 'acme').
    "CREATE OR REPLACE MACRO rp_entity_words(s) AS trim(regexp_replace(regexp_replace("
    "replace(lower(strip_accents(s)), '.', ''), '[^a-z0-9]+', ' ', 'g'), "
    "'( (" + LEGAL_SUFFIXES.replace(" ", "|") + "))+$', '', 'g'))",
    "CREATE OR REPLACE MACRO rp_entity_key(s) AS coalesce(nullif(replace("
    "rp_entity_words(' ' || trim(s)), ' ', ''), ''), rp_key(s))",
)
# Readers of cleaned text, by contract type (DECIMAL is money); VARCHAR needs none.
_READERS = {
    "TIMESTAMP": "rp_ts_text",
    "DATE": "rp_ts_text",
    "INTEGER": "rp_int_text",
    "DOUBLE": "rp_double_text",
    "BOOLEAN": "rp_bool_text",
    "DECIMAL": "rp_money_text",
}
HOW = {
    "TIMESTAMP": "a date and time",
    "DATE": "a date",
    "INTEGER": "a whole number",
    "DOUBLE": "a number",
    "BOOLEAN": "true or false",
    "DECIMAL": "money",
}


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Create the readers (and the key functions) on ``con``."""
    nulls = ", ".join(f"'{token}'" for token in NULL_TOKENS)
    formats = ", ".join(f"'{fmt}'" for fmt in DATE_FORMATS)
    for macro in _MACROS:
        con.execute(macro.replace("{nulls}", nulls).replace("{formats}", formats))


def base_type(column: Column) -> str:
    return column.type.split("(")[0]


def reader_sql(column: Column, text: str) -> str:
    """SQL reading ``column`` from ``text``, already cleaned by ``rp_text``."""
    base = base_type(column)
    if base not in _READERS:
        return text
    expression = f"{_READERS[base]}({text})"
    return f"{expression}::DATE" if base == "DATE" else expression
