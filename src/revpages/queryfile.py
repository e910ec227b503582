"""Parsing a query file: YAML front matter in the first block comment, then SQL.

``parse_query_file`` is a pure function from text to a frozen ``QueryFile``;
every error it raises points at ``path:line:col`` in the original file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from revpages.errors import FrontMatterError, QueryFileError, did_you_mean, position_to_line_col
from revpages.spec import FRONT_MATTER_KEYS, KEYS_BY_NAME, ReportSpec, SpecValueError

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_LEADING_LINE_COMMENTS = re.compile(r"\A(?:\s*--[^\n]*\n)*\s*")


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

    @property
    def report_id(self) -> str:
        return f"{self.section}/{self.name}"

    def sql_position(self, offset: int) -> tuple[int, int]:
        """File line and column of a character offset into ``sql``."""
        return position_to_line_col(self.text, self.sql_offset + offset)

    def key_position(self, key: str) -> tuple[int, int]:
        """File line and column of a front-matter key (the comment start if absent)."""
        return self.key_positions.get(key) or self.key_positions.get("", (1, 1))


def parse_query_file(text: str, *, path: str, section: str, name: str) -> QueryFile:
    """Split ``text`` into validated front matter and SQL."""
    for label, value in (("section folder", section), ("file name", name)):
        if not NAME_PATTERN.match(value):
            raise QueryFileError(
                f"the {label} '{value}' is not a valid page name.",
                path=path,
                hint="use lower-case letters, digits, '_' and '-' only.",
            )
    start = _LEADING_LINE_COMMENTS.match(text).end()
    if not text.startswith("/*", start):
        line, column = position_to_line_col(text, start)
        raise FrontMatterError(
            "the file does not start with a front-matter block comment.",
            path=path, line=line, column=column,
            hint="begin the file with /* title: My report */ before the SQL.",
        )
    end = text.find("*/", start + 2)
    if end < 0:
        line, column = position_to_line_col(text, start)
        raise FrontMatterError(
            "the front-matter comment '/*' is never closed.", path=path, line=line,
            column=column, hint="close it with '*/' before the SQL.",
        )
    yaml_offset = start + 2
    values, positions = _read_front_matter(text, yaml_offset, text[yaml_offset:end], path)
    positions[""] = position_to_line_col(text, start)
    spec = _build_spec(values, positions, path)
    sql, sql_offset = _extract_sql(text, end + 2)
    if not sql:
        line, column = position_to_line_col(text, end + 2)
        raise QueryFileError(
            "the file has front matter but no SQL.", path=path, line=line, column=column,
            hint="write a SELECT statement after the closing '*/'.",
        )
    return QueryFile(
        path=path, section=section, name=name, spec=spec, sql=sql, text=text,
        sql_offset=sql_offset, key_positions=positions,
    )


def _read_front_matter(
    text: str, offset: int, source: str, path: str
) -> tuple[dict[str, Any], dict[str, tuple[int, int]]]:
    def at(mark: yaml.Mark) -> tuple[int, int]:
        # Marks are relative to the comment body; shift them into the file.
        line_offset = offset + sum(len(line) + 1 for line in source.split("\n")[: mark.line])
        return position_to_line_col(text, line_offset + mark.column)

    try:
        node = yaml.compose(source, Loader=yaml.SafeLoader)
        values = yaml.safe_load(source)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = at(mark) if mark else position_to_line_col(text, offset)
        raise FrontMatterError(
            f"the front matter is not valid YAML: {error.problem or error}.",
            path=path, line=line, column=column,
            hint="write one 'key: value' per line, e.g. 'title: Pipeline by stage'.",
        ) from None
    if node is None or not isinstance(node, yaml.MappingNode) or not isinstance(values, dict):
        line, column = position_to_line_col(text, offset)
        raise FrontMatterError(
            "the front matter must be a YAML mapping of keys to values.",
            path=path, line=line, column=column, hint="start with 'title: My report'.",
        )
    positions: dict[str, tuple[int, int]] = {}
    for key_node, _ in node.value:
        key = str(key_node.value)
        if key in positions:
            line, column = at(key_node.start_mark)
            raise FrontMatterError(
                f"the key '{key}' appears twice.", path=path, line=line, column=column,
                hint="keep one of them.",
            )
        positions[key] = at(key_node.start_mark)
    return {str(key): value for key, value in values.items()}, positions


def _build_spec(
    values: dict[str, Any], positions: dict[str, tuple[int, int]], path: str
) -> ReportSpec:
    checked: dict[str, Any] = {}
    for key, value in values.items():
        line, column = positions[key]
        if key not in KEYS_BY_NAME:
            hint = did_you_mean(key, KEYS_BY_NAME) or "valid keys are " + ", ".join(
                k.name for k in FRONT_MATTER_KEYS
            ) + "."
            raise FrontMatterError(
                f"unknown front-matter key '{key}'.", path=path, line=line, column=column,
                hint=hint,
            )
        try:
            checked[key] = KEYS_BY_NAME[key].check(value)
        except SpecValueError as error:
            raise FrontMatterError(
                f"the value {value!r} of '{key}' is invalid: {error}.",
                path=path, line=line, column=column,
                hint=f"for example '{KEYS_BY_NAME[key].example}'.",
            ) from None
    for key in FRONT_MATTER_KEYS:
        if key.required and key.name not in checked:
            line, column = positions[""]
            raise FrontMatterError(
                f"the front matter has no '{key.name}'.", path=path, line=line, column=column,
                hint=f"add '{key.example}'.",
            )
    return ReportSpec(**checked)


def _extract_sql(text: str, offset: int) -> tuple[str, int]:
    body = text[offset:]
    stripped = body.lstrip()
    start = offset + len(body) - len(stripped)
    sql = stripped.rstrip()
    while sql.endswith(";"):
        sql = sql[:-1].rstrip()
    return sql, start
