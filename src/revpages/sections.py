"""Sections: each folder of ``queries/`` is one, described by an optional ``_section.yml``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from revpages.errors import FrontMatterError, RevpagesError, did_you_mean
from revpages.queryfile import NAME_PATTERN
from revpages.settings import Settings

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
        errors.append(RevpagesError(
            f"the queries folder '{settings.display_path(settings.queries_dir)}' does not exist.",
            hint="create it, or set 'queries_dir' of the revpages plugin in mkdocs.yml.",
        ))
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
            path=shown, hint="use lower-case letters, digits, '_' and '-' only.",
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
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
        meta = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        raise FrontMatterError(
            f"not valid YAML: {error.problem}.", path=shown,
            line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None,
            hint="write 'title: ...', 'order: 10' and 'description: ...' lines.",
        ) from None
    if not isinstance(meta, dict):
        raise FrontMatterError("expected 'key: value' lines.", path=shown, line=1, column=1,
                               hint="write 'title: ...', 'order: 10', 'description: ...'.")
    for key_node, value_node in node.value if node else []:
        mark = key_node.start_mark
        where = {"path": shown, "line": mark.line + 1, "column": mark.column + 1}
        if key_node.value not in SECTION_KEYS:
            hint = did_you_mean(key_node.value, SECTION_KEYS) or "valid keys: " + ", ".join(
                SECTION_KEYS) + "."
            raise FrontMatterError(f"unknown section key '{key_node.value}'.", hint=hint, **where)
        if key_node.value == "order" and not isinstance(meta["order"], int):
            raise FrontMatterError(f"'order' must be a whole number, not {value_node.value!r}.",
                                   hint="for example 'order: 10'.", **where)
    return meta
