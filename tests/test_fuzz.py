"""Property-based fuzzing: hostile input gives a result or a located RevpagesError, never a crash.

Every property here says the same thing about one entry point: whatever the
input, the function returns, or raises a ``RevpagesError`` whose location (when
it has one) points inside the file; no other exception, no traceback printed.
Runs are derandomized so CI sees the same examples every time; crashes found
while writing these tests stay pinned as explicit ``@example`` cases.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import json
import math
import re
import tempfile
from collections.abc import Callable, Iterator
from datetime import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, currently_in_test_context, example, given, settings
from hypothesis import event as hypothesis_event
from hypothesis import strategies as st

from revpages.contract import DEALS
from revpages.errors import ChartSpecError, DataLoadError, RevpagesError
from revpages.pages.charts import build_figure, check_columns
from revpages.pages.csv_download import FORMULA_PREFIXES, result_csv
from revpages.pages.markdown import PageLinks, report_markdown
from revpages.pages.palette import ColorMap
from revpages.pages.tables import table_html
from revpages.reports.engine import Engine
from revpages.reports.privacy import publishable
from revpages.reports.queryfile import parse_query_file
from revpages.reports.result import QueryResult
from revpages.reports.sections import read_sections
from revpages.reports.spec import CHART_TYPES, FRONT_MATTER_KEYS, NUMBER_FORMATS
from revpages.settings import Settings

FUZZ = settings(
    max_examples=80,
    deadline=None,
    derandomize=True,  # the same examples on every run and machine
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)
SLOW_FUZZ = settings(FUZZ, max_examples=40)

PATH = "queries/sales/report.sql"


# --- the shared property: a result or a located user error, nothing else -------------------


@contextlib.contextmanager
def no_traceback() -> Iterator[None]:
    """Fail if anything printed a traceback while the block ran."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        yield
    printed = out.getvalue() + err.getvalue()
    assert "Traceback" not in printed, printed


def check_location(error: RevpagesError, text: str | None) -> None:
    """The message renders, and line/column (when set) point inside ``text``."""
    assert isinstance(error.message(), str) and error.text
    if error.line is None:
        return
    assert error.path, error.message()
    assert error.column is not None and error.column >= 1, error.message()
    if text is None:
        assert error.line >= 1, error.message()
        return
    lines = text.split("\n")
    assert 1 <= error.line <= len(lines), error.message()
    assert error.column <= len(lines[error.line - 1]) + 1, error.message()


def attempt(
    call: Callable[[], Any], text: str | None, *allowed: type[RevpagesError], label: bool = True
) -> Any:
    """``call()``, or None when it raised an allowed, well-located RevpagesError."""
    with no_traceback():
        try:
            value = call()
        except RevpagesError as error:
            assert isinstance(error, allowed or (RevpagesError,)), repr(error)
            check_location(error, text)
            if label:
                event(f"{type(error).__name__}: {_gist(error.text)}")
            return None
    if label:
        event("worked")
    return value


def event(label: str) -> None:
    """Count an outcome for --hypothesis-show-statistics (a no-op outside Hypothesis)."""
    if currently_in_test_context():
        hypothesis_event(label)


def _gist(message: str) -> str:
    """An error message without its specifics, to count outcomes by kind."""
    return re.sub(r"'[^']*'|\d[\d,]*|U\+[0-9A-F]+|: .*", "…", message)[:70]


# --- 1. query files: front matter and SQL ---------------------------------------------------


def parse(text: str):
    return parse_query_file(text, path=PATH, section="sales", name="report")


def check_parsed(text: str) -> None:
    query = attempt(lambda: parse(text), text)
    if query is None:
        return
    assert isinstance(query.spec.title, str) and query.spec.title.strip()
    assert query.sql and query.sql == query.sql.strip()
    assert query.spec.chart in CHART_TYPES
    for line, column in [query.sql_position(0), *query.key_positions.values()]:
        assert 1 <= line <= text.count("\n") + 1 and column >= 1
    query.text.encode("utf-8")  # pages are written as UTF-8
    for value in (query.spec.title, query.spec.description, *query.spec.y, *query.spec.format):
        value.encode("utf-8")


REAL_KEYS = [key.name for key in FRONT_MATTER_KEYS]
PRINTABLE = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=30)
SPECIAL_KEYS = [
    "null",
    "~",
    "true",
    "False",
    "yes",
    "on",
    "0x1",
    "0o7",
    "1",
    "1.5",
    ".nan",
    "2025-01-01",
    "<<",
    "'title'",
    '"chart"',
    "? [a, b]\n",
    "? {a: 1}\n",
    "&anchor title",
    "*anchor",
    "!!str title",
    "!!int 1",
    "[a]",
    "{a: 1}",
    "-",
    "'*/'",
    "a\x00b",
    "ti\u200btle",
    "tіtle",
    "",
    " ",
    "x" * 300,
]


@st.composite
def near_miss(draw: st.DrawFn) -> str:
    """A real key, often slightly wrong: typos, case, homoglyphs, invisible characters."""
    key = draw(st.sampled_from(REAL_KEYS))
    how = draw(st.integers(0, 9))
    i = draw(st.integers(0, len(key) - 1))
    if how == 0:
        return key
    if how == 1:
        return key.upper() if draw(st.booleans()) else key.capitalize()
    if how == 2:
        return key[:i] + key[i + 1 :] or key
    if how == 3:
        return key[:i] + key[i] + key[i:]
    if how == 4 and len(key) > 1:
        j = min(i + 1, len(key) - 1)
        return key[:i] + key[j] + key[i] + key[j + 1 :]
    if how == 5:
        return key + draw(st.sampled_from(["s", "_", " ", "\t", ":", "-x"]))
    if how == 6:
        return key.replace("e", "е").replace("o", "о")  # Cyrillic look-alikes
    if how == 7:
        return key[:i] + draw(st.sampled_from(["\u200b", "\ufeff", "\x00", "\x85"])) + key[i:]
    return draw(st.sampled_from(SPECIAL_KEYS))


KEYS = st.one_of(st.sampled_from(REAL_KEYS), near_miss(), st.sampled_from(SPECIAL_KEYS), PRINTABLE)
VALID_VALUES = {
    "title": ["Win rate", "'<script>alert(1)</script>'", '"Müller & Söhne \U0001f600"'],
    "description": ["Closed deals only, won / (won + lost).", "|\n  two\n  lines"],
    "chart": list(CHART_TYPES),
    "x": ["stage", "month"],
    "y": ["amount", "[won, lost]"],
    "color": ["channel"],
    "format": ["{win_rate: percent, amount: currency}", "{}"],
    "sort": ["-win_rate", "stage"],
    "order": ["10", "-1", "0"],
    "personal_data": ["true", "false"],
    "internal_only": ["true", "no"],
}

YAML_SNIPPETS = [
    "",
    "~",
    "null",
    "true",
    "no",
    "on",
    "0x1F",
    "0o17",
    "1_000",
    "-0",
    "1e400",
    ".nan",
    "-.inf",
    "99999999999999999999999999999",
    "2025-01-01",
    "2025-01-01 10:00:00",
    "12:30:00",
    "!!binary aGVsbG8=",
    "!!set {a, b}",
    "!!omap [a: 1, b: 2]",
    "!!timestamp 2025-13-45",
    "!!python/object/apply:os.system ['echo pwned']",
    "!!python/name:os.system",
    "!!str 1",
    "!!int x",
    "!!float abc",
    "!custom x",
    "&a value",
    "*a",
    "*undefined",
    "<<: *a",
    "|\n  block\n  text",
    ">-\n  folded\n  text",
    "'single ''quoted'''",
    '"escapes \\x00 \\t \\u00e9 \\U0001F600"',
    '"lone \\uD800 surrogate"',
    '"nul \\0 byte"',
    '"bell \\a \\e"',
    '"*/ inside a string"',
    "'*/'",
    "a */ b",
    "[a, b",
    "{a: 1",
    "a: b: c",
    "\n  - a\n  - b",
    "\n  k: v\n  k: w",
    "@reserved",
    "`backtick",
    "%percent",
    "? complex",
    "bar # a comment",
    "\ttab",
    "kpi",
    "table",
    "bar",
    "pie",
    "-win_rate",
    "-",
    "--",
    "- x",
    "[win_rate, deals]",
    "[]",
    "{}",
    "[[a]]",
    "[null]",
    "['', ' ']",
    "{win_rate: percent, deals: integer}",
    "{x: percentage}",
    "{x: [percent]}",
    "{null: percent}",
    "{1: integer}",
    "{[a]: percent}",
    "<script>alert(1)</script>",
    '=HYPERLINK("http://evil")',
    "\U0001f600 emoji",
    "Müller & Söhne",
    "\u202eevil",
    "x" * 5000,
    "'" + "y" * 5000 + "'",
    "a\x00b",
    "\x07",
    "\x1b[31mred",
    "\x85",
    "\u2028",
]


def yaml_data() -> st.SearchStrategy[Any]:
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(max_size=20),
        st.dates(),
        st.sampled_from(["percent", "currency", "integer", "bar", "kpi", "*/"]),
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=10,
    )


@st.composite
def yaml_value(draw: st.DrawFn) -> str:
    """The YAML text of a value: raw snippets, random text, or dumped data (flow or block)."""
    kind = draw(st.integers(0, 4))
    if kind == 0:
        return draw(st.sampled_from(YAML_SNIPPETS))
    if kind == 1:
        return draw(PRINTABLE)
    data = draw(yaml_data())
    if kind == 2:
        return json.dumps(data, default=str)
    if kind == 3:
        dumped = yaml.safe_dump(data, default_flow_style=True, allow_unicode=True, width=10**6)
        return dumped.removesuffix("\n...\n").strip()
    dumped = yaml.safe_dump(data, default_flow_style=False, allow_unicode=draw(st.booleans()))
    return "\n" + "\n".join("  " + line for line in dumped.removesuffix("\n...\n").splitlines())


def _alias_bomb(levels: int = 8) -> str:
    """YAML of size O(levels) that expands to 10**levels items ("billion laughs")."""
    parts = ["&l0 [x, x, x, x, x, x, x, x, x, x]"]
    parts += [f"&l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, levels)]
    return "[" + ", ".join(parts) + "]"


ALIAS_BOMB = _alias_bomb()


@st.composite
def front_matter_file(draw: st.DrawFn) -> str:
    """A query file from the front-matter grammar, with every trap in the book."""
    valid = st.sampled_from(sorted(VALID_VALUES)).flatmap(
        lambda key: st.tuples(st.just(key), st.sampled_from(VALID_VALUES[key]))
    )
    entries = draw(
        st.lists(
            st.one_of(valid, valid, st.tuples(KEYS, yaml_value())),
            max_size=8,
            unique_by=lambda entry: entry[0],
        )
    )
    if draw(st.integers(0, 3)) and "title" not in dict(entries):  # usually a valid title
        entries.insert(draw(st.integers(0, len(entries))), ("title", "Win rate"))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r", "\n\n"]))
    odd = draw(st.integers(0, 5)) == 0  # one file in six is mangled around the comment
    indent = draw(st.sampled_from(["", "", " "] + (["\t"] if odd else [])))
    body = newline.join(f"{indent}{key}: {value}" for key, value in entries)
    if draw(st.booleans()):
        body = body.replace("\n", newline)
    prefix = draw(
        st.sampled_from(
            ["", "", "", "\ufeff", "-- owner: revops\n", "  \n", "-- a\r\n-- b\r\n"]
            + (["\x00", "select 1;\n"] if odd else [])
        )
    )
    opening = draw(st.sampled_from(["/*", "/*\n", "/* "] + (["/ *", "/**"] if odd else [])))
    closing = draw(st.sampled_from(["*/", "\n*/", "*/*/"] + (["", "* /"] if odd else [])))
    sql = draw(
        st.one_of(
            st.sampled_from(
                [
                    "select 1",
                    "\nselect 1;\n",
                    "",
                    ";;",
                    "  \n",
                    "with a as (select 1) select * from a",
                    "select '*/'",
                    "select 1; select 2",
                    "/* c */",
                    "select '\x00'",
                    "select 1 -- trailing",
                ]
            ),
            st.text(max_size=40),
        )
    )
    return f"{prefix}{opening}{newline}{body}{newline}{closing}{newline}{sql}"


@FUZZ
@given(
    st.one_of(
        st.text(),
        st.builds("/*{}*/{}".format, st.text(), st.text()),
        st.builds("/*\ntitle: T\n{}\n*/\n{}".format, st.text(), st.text()),
    )
)
@example("/*\ntitle: T\nnull: 1\n*/ select 1")  # KeyError: key node 'null' read as None
@example("/*\ntitle: \x00\n*/ select 1")  # yaml.ReaderError escaped
def test_any_text_parses_or_fails_with_a_location(text: str):
    check_parsed(text)


@pytest.mark.slow
@FUZZ
@given(front_matter_file())
@example("/*\ntitle: T\ntrue: 1\n*/ select 1")  # KeyError 'True'
@example("/*\ntitle: T\n0x1: 1\n*/ select 1")  # KeyError '1'
@example("/*\ntitle: T\n<<: {chart: bar}\n*/ select 1")  # KeyError 'chart' (merge key)
@example("/*\ntitle: T\ndescription: \x07\n*/ select 1")  # yaml.ReaderError escaped
@example('/*\ntitle: "\\uD800"\n*/ select 1')  # lone surrogate: pages cannot be written
@example("/*\ntitle: T\rchart: pie\r*/\rselect 1")  # CR-only lines: pointed at the wrong key
@example("\ufeff/*\ntitle: T\n*/\nselect 1")  # UTF-8 BOM: was "does not start with /*"
@example(f"/*\ntitle: {ALIAS_BOMB}\n*/ select 1")  # 10**8 items: the message repr'd them all
def test_front_matter_grammar_parses_or_fails_with_a_location(text: str):
    check_parsed(text)


@pytest.mark.parametrize(
    ("text", "where", "says"),
    [
        ("/*\ntitle: T\nnull: 1\n*/ select 1", (3, 1), "unknown front-matter key 'null'"),
        ("/*\ntitle: T\n<<: {chart: bar}\n*/ select 1", (3, 1), "unknown front-matter key '<<'"),
        ("/*\ntitle: \x00\n*/ select 1", (2, 8), "the character U+0000"),
        ("/*\ntitle: T\rchart: pie\r*/\rselect 1", (2, 10), "'chart' is invalid"),
        ("/*\r\ntitle: T\r\nchart: pie\r\n*/\r\nselect 1", (3, 1), "'chart' is invalid"),
        ('/*\ntitle: "\\uD800"\n*/ select 1', (2, 1), "lone surrogate"),
        ("/*\ntitle: T\n? [a]\n: 1\n*/ select 1", (3, 3), "must be a plain name"),
    ],
)
def test_front_matter_errors_point_at_the_key(text: str, where: tuple[int, int], says: str):
    with pytest.raises(RevpagesError) as caught:
        parse(text)
    assert (caught.value.line, caught.value.column) == where
    assert says in caught.value.text


def test_a_bom_before_the_front_matter_is_ignored():
    assert parse("\ufeff/*\ntitle: T\n*/\nselect 1").spec.title == "T"


# --- 2. sections: _section.yml --------------------------------------------------------------

SECTION_KEYS = ["title", "order", "description"]


SECTION_VALUES = {
    "title": ["Sales", "'<b>Sales</b> & Co'", '"\\U0001F600"', "2025"],
    "order": ["10", "-3", "0x10", "99999999999999999999"],
    "description": ["Pipeline and win rates.", "|\n  two\n  lines", "~"],
}


@st.composite
def section_yaml(draw: st.DrawFn) -> bytes:
    kind = draw(st.integers(0, 5))
    if kind == 0:
        return draw(st.binary(max_size=60))
    if kind == 1:
        return draw(st.text(max_size=60)).encode("utf-8", "surrogatepass")
    valid = st.sampled_from(SECTION_KEYS).flatmap(
        lambda key: st.tuples(st.just(key), st.sampled_from(SECTION_VALUES[key]))
    )
    keys = st.one_of(st.sampled_from(SECTION_KEYS), near_miss(), st.sampled_from(SPECIAL_KEYS))
    entries = draw(
        st.lists(
            st.one_of(valid, valid, st.tuples(keys, yaml_value())),
            max_size=5,
            unique_by=lambda entry: entry[0],
        )
    )
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = newline.join(f"{key}: {value}" for key, value in entries)
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    return text.encode(encoding, "replace")


def fuzz_settings(root: Path) -> Settings:
    return Settings(root=root, queries_dir=root / "queries", data_dir=root / "data")


@pytest.mark.slow
@FUZZ
@given(
    st.integers(0, 9).map(lambda i: ["Sales Team", "-x", "ünï"][i] if i < 3 else "sales"),
    section_yaml(),
)
@example("sales", b"title: \x00")  # yaml.ReaderError escaped
@example("sales", b"title: \xff\xfe")  # UnicodeDecodeError escaped
@example("sales", b"title: [a]\norder: true")  # was published as "['a']", order 1
@example("sales", b'title: "\\uD800"')  # lone surrogate: the nav could not be written
def test_section_files_read_or_fail_with_a_location(folder: str, content: bytes):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "queries" / folder).mkdir(parents=True)
        (root / "queries" / folder / "_section.yml").write_bytes(content)
        errors: list[RevpagesError] = []
        sections = attempt(lambda: read_sections(fuzz_settings(root), errors), None, label=False)
    assert sections is not None  # problems are collected, never raised
    try:
        text: str | None = content.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    for error in errors:
        assert isinstance(error, RevpagesError)
        check_location(error, text)
        event(f"{type(error).__name__}: {_gist(error.text)}")
    if not errors:
        event("read")
    for section in sections:
        assert isinstance(section.title, str) and section.title
        assert isinstance(section.order, int) and not isinstance(section.order, bool)
        assert isinstance(section.description, str)
        (section.title + section.description).encode("utf-8")


# --- 3. chart specs over hostile results ----------------------------------------------------

HOSTILE_TEXT = st.one_of(
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            "<SCRIPT src=//evil>",
            "<img src=x onerror=alert(1)>",
            "</td></tr></table>",
            "=cmd|' /C calc'!A0",
            "+1+1",
            "-2",
            "@SUM(A1)",
            "\tTab",
            "\rCR",
            "a&amp;b",
            '"quoted"',
            "'single'",
            "Müller & Söhne",
            "\U0001f600",
            "\u202eevil",
            "\x00nul",
            "%{x}",
            "<br>",
            "<extra>x</extra>",
            "",
            " ",
            "a" * 300,
            "jane.doe@example.com",
            "+1 415 555 0100",
        ]
    ),
    st.text(max_size=12),
)
COLUMN_NAMES = st.one_of(
    st.sampled_from(
        [
            "stage",
            "amount",
            "win_rate",
            "<b>x</b>",
            "<script>",
            "a&b",
            'q"uote',
            "",
            " ",
            "email",
            "owner_id",
            "notes",
            "%{y}",
            "é",
            "x" * 80,
        ]
    ),
    st.text(min_size=1, max_size=10),
)


def _column(type_: str) -> st.SearchStrategy[Any]:
    values = {
        "VARCHAR": HOSTILE_TEXT,
        "BIGINT": st.integers(-(2**63), 2**63 - 1),
        "HUGEINT": st.integers(-(2**127), 2**127 - 1),
        "INTEGER": st.integers(-(2**31), 2**31 - 1),
        "DOUBLE": st.floats(allow_nan=True, allow_infinity=True),
        "DECIMAL(18,2)": st.decimals(
            min_value=-(10**16), max_value=10**16, places=2, allow_nan=False, allow_infinity=False
        ),
        "DATE": st.dates(),
        "TIMESTAMP": st.datetimes(),
        "TIME": st.times(),
        "BOOLEAN": st.booleans(),
    }[type_]
    return st.one_of(st.none(), values)


TYPES = [
    "VARCHAR",
    "BIGINT",
    "HUGEINT",
    "INTEGER",
    "DOUBLE",
    "DECIMAL(18,2)",
    "DATE",
    "TIMESTAMP",
    "TIME",
    "BOOLEAN",
]


@st.composite
def query_results(draw: st.DrawFn) -> QueryResult:
    columns = draw(st.lists(COLUMN_NAMES, min_size=1, max_size=4))
    types = [draw(st.sampled_from(TYPES)) for _ in columns]
    if len(columns) > 1 and draw(st.booleans()):  # a label column and a number column
        types[0], types[-1] = "VARCHAR", draw(st.sampled_from(TYPES[1:6]))
    rows = draw(st.lists(st.tuples(*(_column(t) for t in types)), max_size=6))
    return QueryResult(tuple(columns), tuple(types), rows, 0.0)


@st.composite
def chart_cases(draw: st.DrawFn) -> tuple[str, QueryResult]:
    """Front matter whose x/y/color/format/sort mostly name the result's columns."""
    result = draw(query_results())
    real = st.sampled_from(result.columns)
    name = st.one_of(*[real] * 7, COLUMN_NAMES)
    meta: dict[str, Any] = {
        "title": draw(st.one_of(*[st.just("Win rate")] * 3, HOSTILE_TEXT)),
        "chart": draw(st.sampled_from(CHART_TYPES)),
    }
    if draw(st.booleans()):
        meta["description"] = draw(HOSTILE_TEXT)
    if draw(st.booleans()):
        meta["x"] = draw(name)
    if draw(st.booleans()):
        meta["y"] = draw(st.one_of(name, st.lists(name, min_size=1, max_size=3)))
    if draw(st.booleans()):
        meta["color"] = draw(name)
    if draw(st.booleans()):
        meta["format"] = draw(st.dictionaries(name, st.sampled_from(NUMBER_FORMATS), max_size=3))
    if draw(st.booleans()):
        meta["sort"] = draw(st.sampled_from(["", "-"])) + draw(name)
    if draw(st.booleans()):
        meta["personal_data"] = True
    front = yaml.safe_dump(meta, allow_unicode=True, width=10**6)
    return f"/*\n{front}*/\nselect 1\n", result


ALLOWED_TABLE_TAGS = re.compile(
    r"</?(div|table|caption|thead|tbody|tr|th|td|p)(\s[^<>]*)?>", re.IGNORECASE
)
ALLOWED_FIGURE_TAGS = re.compile(r"<br>|</?extra>|</?b>")  # <b>: a small multiple's title


def strings_in(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from strings_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings_in(item)


def check_page_outputs(query, result: QueryResult, figure: dict[str, Any] | None) -> None:
    if figure is not None:
        text = json.dumps(figure, allow_nan=False)  # NaN is not JSON: the browser refuses it
        json.loads(text)
        for string in strings_in(figure):
            assert "<" not in ALLOWED_FIGURE_TAGS.sub("", string), string
    table = table_html(result, query.spec.format, limit=50, caption=query.spec.title)
    assert "<script" not in table.lower()
    assert "<" not in ALLOWED_TABLE_TAGS.sub("", table), table
    links = PageLinks(
        figure="sales/report.json" if figure else None,
        csv="report.csv",
        section_title="<Sales>",
        section_index="index.md",
    )
    page = report_markdown(query, result, links, window="<window>", table_rows=3)
    page.encode("utf-8")
    assert "<script" not in page.lower()
    downloaded = result_csv(result)
    downloaded.encode("utf-8")
    for row in csv.reader(io.StringIO(downloaded)):
        for cell in row:
            assert not cell.startswith(FORMULA_PREFIXES) or _is_number(cell), cell


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


@FUZZ
@given(chart_cases())
@example(
    (  # a kpi of a text column: plotly ValueError (plotly.js cannot draw it either)
        "/*\ntitle: T\nchart: kpi\ny: v\n*/\nselect 1\n",
        QueryResult(("v",), ("VARCHAR",), [("<b>x",)], 0.0),
    )
)
@example(
    (  # unescaped '<' in bar values of a text column split by color
        "/*\ntitle: T\nchart: bar\nx: x\ny: v\ncolor: c\n*/\nselect 1\n",
        QueryResult(
            ("x", "v", "c"), ("VARCHAR", "VARCHAR", "VARCHAR"), [("a", "<script>", "s")], 0.0
        ),
    )
)
@example(
    (
        "/*\ntitle: T\nchart: funnel\nx: x\ny: v\n*/\nselect 1\n",
        QueryResult(("x", "v"), ("VARCHAR", "DOUBLE"), [("<i>", math.nan), ("b", math.inf)], 0.0),
    )
)
@example(
    (
        "/*\ntitle: T\nchart: line\nformat: {v: percent}\n*/\nselect 1\n",
        QueryResult(("d", "v"), ("TIME", "DECIMAL(18,2)"), [(time(1, 2), Decimal("1.5"))], 0.0),
    )
)
@example(
    (  # two columns of one name: the format of the first, whose values a name reads
        "/*\ntitle: T\nchart: line\nx: s\n*/\nselect 1\n",
        QueryResult(("s", "s", "n"), ("VARCHAR", "BIGINT", "BIGINT"), [("<script>", 1, 2)], 0.0),
    )
)
@example(
    (  # a kpi tile named by y that the result lacks (a page shown after RP301)
        "/*\ntitle: T\nchart: kpi\ny: s\n*/\nselect 1\n",
        QueryResult(("n",), ("VARCHAR",), [(None,)], 0.0),
    )
)
@example(
    (  # a number too large for 28 digits with its decimals
        "/*\ntitle: T\nchart: kpi\n*/\nselect 1\n",
        QueryResult(("n",), ("DOUBLE",), [(9.999999999995001e25,)], 0.0),
    )
)
@example(
    (  # a text with a carriage return: its CSV row is quoted
        "/*\ntitle: T\nchart: kpi\n*/\nselect 1\n",
        QueryResult(("s", "t"), ("VARCHAR", "VARCHAR"), [(None, "\rCR")], 0.0),
    )
)
def test_chart_specs_draw_or_fail_with_a_location(case: tuple[str, QueryResult]):
    text, result = case
    query = attempt(lambda: parse(text), text, label=False)
    if query is None:
        event("FrontMatterError")
        return
    with no_traceback():
        try:
            shown, _ = publishable(query, result, audience="wide")
            check_columns(query, shown)
            figure = build_figure(query, shown, colors=ColorMap(["a", "<b>"]), max_points=20)
        except ChartSpecError as error:
            check_location(error, text)
            event(f"ChartSpecError: {_gist(error.text)}")
            shown, figure = result, None
        else:
            event("figure" if figure else "no figure (table or no rows)")
        check_page_outputs(query, shown, figure)


# --- 4. loaders: hostile export files (read-only use of load.py/conform.py) -----------------

DEAL_VALUES = st.one_of(
    st.sampled_from(
        [
            "d1",
            "d2",
            "2025-01-03 10:00:00",
            "03/01/2025",
            "2025-02-30",
            "1000",
            "$1,200.50",
            "1.200,50",
            "-5",
            "true",
            "false",
            "yes",
            "N/A",
            "",
            "null",
            "closed_won",
            "9999-12-31",
            "1e308",
            '"',
            '""',
            "a,b",
            "a\nb",
            "\x00",
            "=cmd",
            "<script>",
            "Müller",
            "\U0001f600",
            "\r",
        ]
    ),
    st.text(max_size=8),
)


@st.composite
def export_file(draw: st.DrawFn, *, contract: bool) -> bytes:
    if draw(st.integers(0, 5)) == 0:
        return draw(st.binary(max_size=200))
    names = [c.name for c in DEALS.columns]
    header = draw(
        st.lists(
            st.one_of(st.sampled_from(names), st.text(max_size=6)),
            min_size=1,
            max_size=6,
            unique=True,
        )
    )
    if contract and draw(st.integers(0, 4)):  # mostly a header the contract accepts
        required = [c.name for c in DEALS.columns if c.required]
        header = list(dict.fromkeys(draw(st.permutations(required)) + header))
    rows = draw(st.lists(st.lists(DEAL_VALUES, min_size=0, max_size=len(header) + 1), max_size=6))
    delimiter = draw(st.sampled_from([",", ",", ";", "\t", "|"]))
    quoting = draw(st.sampled_from(["minimal", "all", "none", "broken"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))

    def cell(value: str) -> str:
        needs = any(ch in value for ch in (delimiter, '"', "\n", "\r"))
        if quoting == "all" or (quoting == "minimal" and needs):
            return '"' + value.replace('"', '""') + '"'
        if quoting == "broken" and needs:
            return '"' + value  # an opening quote that is never closed
        return value

    text = "".join(delimiter.join(cell(v) for v in row) + newline for row in [header, *rows])
    encoding = draw(
        st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "latin-1"])
    )
    data = text.encode(encoding, "replace")
    if draw(st.integers(0, 3)) == 0:  # a truncated download
        data = data[: draw(st.integers(0, len(data)))]
    if draw(st.integers(0, 5)) == 0:
        data = codecs.BOM_UTF8 + data
    return data


def check_load(name: str, content: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        data_dir.mkdir()
        (data_dir / name).write_bytes(content)
        engine = Engine()
        try:
            tables = attempt(lambda: engine.load(data_dir), None, DataLoadError)
            if tables is None:
                return
            for table in tables:
                refused = engine.con.execute(
                    "SELECT count(*) FROM revpages_rejects WHERE file = $1", [table.path.name]
                ).fetchone()[0]
                assert table.rows_read == table.rows + refused, (table, refused)
        finally:
            engine.close()


@pytest.mark.slow
@SLOW_FUZZ
@given(export_file(contract=True))
def test_contract_exports_load_or_fail_with_a_location(content: bytes):
    check_load("deals.csv", content)


@pytest.mark.slow
@SLOW_FUZZ
@given(export_file(contract=False))
def test_other_exports_load_or_fail_with_a_location(content: bytes):
    check_load("other.csv", content)


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"a\n", b"\x00\x00"])
def test_degenerate_exports(content: bytes):
    check_load("deals.csv", content)
    check_load("other.csv", content)
