"""Parsing a query file: YAML front matter in the first block comment, then SQL.

``parse_query_file`` is a pure function from text to a frozen ``QueryFile``;
every error it raises points at ``path:line:col`` in the original file. A shared
model (``parse_model_file``) has the same format, with a front matter of its own.
"""

from __future__ import annotations

import re
import reprlib
from dataclasses import dataclass, field, replace
from typing import Any

from revpages.errors import FrontMatterError, QueryFileError, did_you_mean, position_to_line_col
from revpages.reports.spec import FRONT_MATTER_KEYS, MODEL_KEYS, Key, ReportSpec, SpecValueError
from revpages.reports.yaml_mapping import YamlProblem, read_mapping

# Page names: short enough for every file system once made into paths (\Z: no "name\n").
NAME_PATTERN = re.compile(r"\A[a-z0-9][a-z0-9_-]{0,99}\Z")
MODEL_NAME_PATTERN = re.compile(r"\A[a-z_][a-z0-9_]{0,99}\Z")  # a view name needing no quotes
MODELS_SECTION = "_models"  # the folder of queries/ that holds the shared models
_LEADING_LINE_COMMENTS = re.compile(r"\A\ufeff?(?:\s*--[^\n]*\n)*\s*")  # after a BOM
_SHOWN = reprlib.Repr()  # keyword arguments need Python 3.12
_SHOWN.maxlevel, _SHOWN.maxstring, _SHOWN.maxother = 3, 80, 80
_SHOWN.maxlist = _SHOWN.maxdict = _SHOWN.maxset = 6


@dataclass(frozen=True)
class QueryFile:
    """One report's source: where it lives, what it draws and the SQL that feeds it."""

    path: str
    section: str
    name: str
    spec: ReportSpec
    sql: str
    text: str = field(repr=False)
    sql_offset: int = 0
    key_positions: dict[str, tuple[int, int]] = field(default_factory=dict, repr=False)
    # The values of its own parameters (``per:``, ``params:``): a page's entity or a view's
    # values, bound like the calendar's (None for a view of every value).
    bindings: tuple[tuple[str, str | None], ...] = ()
    period: str | None = None  # a view's period preset, in place of the site's

    @property
    def report_id(self) -> str:
        return f"{self.section}/{self.name}"

    def sql_position(self, offset: int) -> tuple[int, int]:
        """File line and column of a character offset into ``sql``."""
        return position_to_line_col(self.text, self.sql_offset + offset)

    def problem(self, message: str, *, code: str, hint: str) -> QueryFileError:
        """A problem of the query as a whole, located at the start of its SQL."""
        line, column = self.sql_position(0)
        return QueryFileError(
            message, code=code, path=self.path, line=line, column=column, hint=hint
        )

    def key_position(self, key: str) -> tuple[int, int]:
        """File line and column of a front-matter key (the comment start if absent)."""
        return self.key_positions.get(key) or self.key_positions.get("", (1, 1))


def parse_model_file(text: str, *, path: str, name: str) -> QueryFile:
    """A shared model: a query file whose front matter holds its ``description`` only (it
    has no page); ``name`` is the name of its view and the title of its spec."""
    if not MODEL_NAME_PATTERN.match(name):
        raise QueryFileError(
            f"the model name '{name}' is not a valid view name.",
            code="RP216",
            path=path,
            hint="use lower-case letters, digits and '_', starting with a letter or '_'.",
        )
    # Parsed as if in a section "models" (section names must be page names), then moved.
    query = parse_query_file(text, path=path, section="models", name=name, keys=MODEL_KEYS)
    return replace(query, section=MODELS_SECTION)


def parse_query_file(
    text: str,
    *,
    path: str,
    section: str,
    name: str,
    keys: tuple[Key, ...] = FRONT_MATTER_KEYS,
) -> QueryFile:
    """Split ``text`` into front matter, validated against ``keys``, and SQL."""
    for label, value in (("section folder", section), ("file name", name)):
        if not NAME_PATTERN.match(value):
            raise QueryFileError(
                f"the {label} '{value}' is not a valid page name.",
                code="RP201",
                path=path,
                hint="use lower-case letters, digits, '_' and '-' only, 100 at most.",
            )
    comments = _LEADING_LINE_COMMENTS.match(text)  # always matches, perhaps nothing
    start = comments.end() if comments else 0
    if not text.startswith("/*", start):
        line, column = position_to_line_col(text, start)
        raise FrontMatterError(
            "the file does not start with a front-matter block comment.",
            code="RP204",
            path=path,
            line=line,
            column=column,
            hint=f"begin the file with /* {keys[0].example} */ before the SQL.",
        )
    end = text.find("*/", start + 2)
    if end < 0:
        line, column = position_to_line_col(text, start)
        raise FrontMatterError(
            "the front-matter comment '/*' is never closed.",
            code="RP205",
            path=path,
            line=line,
            column=column,
            hint="close it with '*/' before the SQL.",
        )
    yaml_offset = start + 2
    values, positions = _read_front_matter(text, yaml_offset, text[yaml_offset:end], path)
    positions[""] = position_to_line_col(text, start)
    spec = _build_spec(values, positions, path, keys, name)
    sql, sql_offset = _extract_sql(text, end + 2)
    if not sql:
        line, column = position_to_line_col(text, end + 2)
        raise QueryFileError(
            "the file has front matter but no SQL.",
            code="RP206",
            path=path,
            line=line,
            column=column,
            hint="write a SELECT statement after the closing '*/'.",
        )
    return QueryFile(
        path=path,
        section=section,
        name=name,
        spec=spec,
        sql=sql,
        text=text,
        sql_offset=sql_offset,
        key_positions=positions,
    )


def _read_front_matter(
    text: str, offset: int, source: str, path: str
) -> tuple[dict[str, Any], dict[str, tuple[int, int]]]:
    try:
        found = read_mapping(source)
    except YamlProblem as problem:
        # YAML counts '\r' and U+2028 as line breaks too; a character index does not care.
        line, column = position_to_line_col(text, offset + problem.index)
        code, message, hint = _FRONT_MATTER_PROBLEMS[problem.kind]
        raise FrontMatterError(
            message.format(problem.detail),
            code=code,
            path=path,
            line=line,
            column=column,
            hint=hint,
        ) from None
    positions = {k: position_to_line_col(text, offset + i) for k, i in found.positions.items()}
    return found.values, positions


_ONE_PER_LINE = "write one 'key: value' per line, e.g. 'title: Pipeline by stage'."
_FRONT_MATTER_PROBLEMS = {
    "character": (
        "RP207",
        "the front matter holds the character {}, which YAML does not allow.",
        "remove it, or write it as an escape in a double-quoted string.",
    ),
    "syntax": ("RP207", "the front matter is not valid YAML: {}.", _ONE_PER_LINE),
    "not_mapping": (
        "RP208",
        "the front matter must be a YAML mapping of keys to values.",
        "start with 'title: My report'.",
    ),
    "key": (
        "RP207",
        "a front-matter key must be a plain name.",
        "write one 'key: value' per line, e.g. 'title: Pipeline'.",
    ),
    "duplicate": ("RP209", "the key '{}' appears twice.", "keep one of them."),
}


def _build_spec(
    values: dict[str, Any],
    positions: dict[str, tuple[int, int]],
    path: str,
    keys: tuple[Key, ...],
    name: str,
) -> ReportSpec:
    by_name = {key.name: key for key in keys}
    checked: dict[str, Any] = {}
    for key, value in values.items():
        line, column = positions[key]
        if key not in by_name:
            hint = (
                did_you_mean(key, by_name)
                or "valid keys are " + ", ".join(k.name for k in keys) + "."
            )
            raise FrontMatterError(
                f"unknown front-matter key '{key}'.",
                code="RP210",
                path=path,
                line=line,
                column=column,
                hint=hint,
            )
        try:
            checked[key] = by_name[key].check(value)
        except SpecValueError as error:
            raise FrontMatterError(
                f"the value {_shown(value)} of '{key}' is invalid: {error}.",
                code="RP211",
                path=path,
                line=line,
                column=column,
                hint=error.hint or f"for example '{by_name[key].example}'.",
            ) from None
    for needed in keys:
        if needed.required and needed.name not in checked:
            line, column = positions[""]
            raise FrontMatterError(
                f"the front matter has no '{needed.name}'.",
                code="RP212",
                path=path,
                line=line,
                column=column,
                hint=f"add '{needed.example}'.",
            )
    return ReportSpec(**{"title": name, **checked})  # reports require a title; models have none


def _shown(value: Any) -> str:
    """A value for a message: short, even for a long text or a YAML alias bomb."""
    return _SHOWN.repr(value)


def _extract_sql(text: str, offset: int) -> tuple[str, int]:
    body = text[offset:]
    stripped = body.lstrip()
    start = offset + len(body) - len(stripped)
    sql = stripped.rstrip()
    while sql.endswith(";"):
        sql = sql[:-1].rstrip()
    return sql, start
