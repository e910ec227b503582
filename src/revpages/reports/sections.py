"""Sections: each folder of ``queries/`` is one, described by an optional ``_section.yml``."""

from __future__ import annotations

import re
import reprlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from revpages.errors import FrontMatterError, RevpagesError, did_you_mean, position_to_line_col
from revpages.reports.queryfile import NAME_PATTERN
from revpages.reports.yaml_mapping import YamlProblem, read_mapping
from revpages.settings import Settings

_SURROGATE = re.compile("[\ud800-\udfff]")  # YAML's "\\uD800" escape: not writable as UTF-8
SECTION_KEYS = {
    "title": "Name of the section in the navigation (default: the folder name, capitalised).",
    "order": "Position of the section in the navigation (smaller first, default 100).",
    "description": "One or two sentences on the section page.",
}


@dataclass(frozen=True)
class Section:
    name: str
    folder: Path
    title: str
    order: int = 100
    description: str = ""


def read_sections(settings: Settings, errors: list[RevpagesError]) -> list[Section]:
    """Every section folder, in navigation order; problems are appended to ``errors``."""
    if not settings.queries_dir.is_dir():
        errors.append(
            RevpagesError(
                f"the queries folder '{settings.display_path(settings.queries_dir)}' "
                "does not exist.",
                code="RP104",
                hint="create it, or set 'queries_dir' of the revpages plugin in mkdocs.yml.",
            )
        )
        return []
    sections = []
    for folder in sorted(p for p in settings.queries_dir.iterdir() if p.is_dir()):
        if folder.name.startswith(("_", ".")):
            continue
        try:
            sections.append(_read_section(settings, folder))
        except RevpagesError as error:
            errors.append(error)
    return sorted(sections, key=lambda s: (s.order, s.title.lower(), s.name))


def _read_section(settings: Settings, folder: Path) -> Section:
    shown = settings.display_path(folder)
    if not NAME_PATTERN.match(folder.name):
        raise RevpagesError(
            f"the section folder name '{folder.name}' is not a valid page name.",
            code="RP201",
            path=shown,
            hint="use lower-case letters, digits, '_' and '-' only, 100 at most.",
        )
    default_title = folder.name.replace("_", " ").replace("-", " ").capitalize()
    meta_path = folder / "_section.yml"
    if not meta_path.exists():
        return Section(folder.name, folder, default_title)
    meta = _load_yaml(meta_path, settings.display_path(meta_path))
    return Section(
        name=folder.name,
        folder=folder,
        title=str(meta.get("title") or default_title),
        order=int(meta.get("order", 100)),
        description=str(meta.get("description") or ""),
    )


def _load_yaml(path: Path, shown: str) -> dict[str, Any]:
    hint = "write 'title: ...', 'order: 10' and 'description: ...' lines."
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FrontMatterError(
            f"the file is not UTF-8 text ({error.reason} at byte {error.start}).",
            code="RP203",
            path=shown,
            line=raw.count(b"\n", 0, error.start) + 1,
            column=error.start - raw.rfind(b"\n", 0, error.start),
            hint="save the file as UTF-8.",
        ) from None
    try:
        found = read_mapping(text, empty_ok=True)
    except YamlProblem as problem:
        line, column = position_to_line_col(text, problem.index)
        where = {"path": shown, "line": line, "column": column}
        if problem.kind == "key":
            raise FrontMatterError(
                "unknown section key '?'.", code="RP214", hint=_valid_keys(), **where
            ) from None
        if problem.kind == "duplicate":
            raise FrontMatterError(
                f"the key '{problem.detail}' appears twice.",
                code="RP209",
                hint="keep one of them.",
                **where,
            ) from None
        message = {
            "character": f"not valid YAML: the character {problem.detail} is not allowed.",
            "not_mapping": "expected 'key: value' lines.",
        }.get(problem.kind, f"not valid YAML: {problem.detail}.")
        raise FrontMatterError(message, code="RP213", hint=hint, **where) from None
    meta = found.values
    for key, index in found.positions.items():
        line, column = position_to_line_col(text, index)
        where = {"path": shown, "line": line, "column": column}
        if key not in SECTION_KEYS:
            hint = did_you_mean(key, SECTION_KEYS) or _valid_keys()
            raise FrontMatterError(
                f"unknown section key '{key}'.", code="RP214", hint=hint, **where
            )
        value = meta[key]
        if key == "order" and (not isinstance(value, int) or isinstance(value, bool)):
            shown_value = found.written.get(key, reprlib.repr(value))
            raise FrontMatterError(
                f"'order' must be a whole number, not {shown_value!r}.",
                code="RP215",
                hint="for example 'order: 10'.",
                **where,
            )
        if key != "order" and (
            isinstance(value, list | dict | set | bytes)
            or (isinstance(value, str) and _SURROGATE.search(value))
        ):
            raise FrontMatterError(
                f"'{key}' must be text.",
                code="RP215",
                **where,
                hint=f"for example '{key}: Pipeline'.",
            )
    return meta


def _valid_keys() -> str:
    return "valid keys: " + ", ".join(SECTION_KEYS) + "."
