"""The HubSpot and Salesforce export catalogs: objects, file names, columns, stages.

Declared as data in ``ingest/crm/<format>/``: ``_objects.yml`` (which files
hold which object, the contract tables it feeds, its columns and their header
aliases), ``_stages.yml`` (deal stages to contract stages), ``_macros.sql`` (shared
clean-up functions) and one ``<contract_table>.sql`` SELECT per mapped table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from revpages.contract import DEAL_STAGES, TABLES_BY_NAME

FORMATS = ("native", "hubspot", "salesforce")
MAPPED_FORMATS = FORMATS[1:]


def key(text: str) -> str:
    """Labels and internal values to one key: 'Closed Won' and 'closedwon' -> 'closedwon'."""
    return re.sub(r"[^A-Za-z0-9]+", "", text).lower()


def snake(text: str) -> str:
    """A header to a column name: 'Lead Tier' -> 'lead_tier'."""
    return re.sub(r"[^A-Za-z0-9]+", "_", text.strip()).strip("_").lower() or "column"


@dataclass(frozen=True)
class ExportObject:
    """One CRM object (e.g. HubSpot deals, Salesforce Opportunity) and its files."""

    name: str
    files: tuple[str, ...]
    tables: tuple[str, ...]  # contract tables it feeds; each row is counted in the first
    labels: dict[str, tuple[str, ...]]  # column -> the display labels accepted for it
    required: tuple[str, ...] = ()
    id: str | None = None
    modified: tuple[str, ...] = ()
    patterns: tuple[tuple[re.Pattern[str], str], ...] = ()
    keep_case: bool = False  # Salesforce API names keep their case; HubSpot's are snake_case
    deleted: tuple[str, ...] = ()  # columns the CRM sets on soft-deleted records
    natural_keys: tuple[tuple[str, ...], ...] = ()  # the same record under another id

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.labels)

    @cached_property
    def aliases(self) -> dict[str, str]:
        found = {key(label): column for column, labels in self.labels.items() for label in labels}
        found.update({key(column): column for column in self.labels})
        return found

    def column_for(self, header: str) -> str:
        """The object's column name for an export header (internal name or display label)."""
        text = header.strip().lstrip("\ufeff")
        found = self.aliases.get(key(text))
        if found:
            return found
        for pattern, template in self.patterns:
            match = pattern.match(text)
            if match:
                return template.replace("{key}", key(match.group(1)))
        return text if self.keep_case else snake(text)

    def describe(self, column: str) -> str:
        """'createdate' (or 'Create Date'), for messages."""
        labels = self.labels.get(column, ())
        return f"'{column}'" + (f" (or '{labels[0]}')" if labels else "")


@dataclass(frozen=True)
class ExportFormat:
    name: str
    objects: dict[str, ExportObject]
    stages: dict[str, str]  # key(stage label or id) -> contract stage
    macros: str
    mappings: dict[str, str]  # contract table -> its SELECT

    def object_for(self, stem: str) -> ExportObject | None:
        """The object a file holds, by its (normalised) name: ``deals.csv``, ``deals-2.csv`` and
        ``hubspot-crm-exports-all-deals-2025-01-31.csv`` all hold deals."""
        best: tuple[int, ExportObject] | None = None
        for obj in self.objects.values():
            for name in obj.files:
                found = re.search(rf"(^|_){re.escape(name)}(_|$)", stem)
                if found and (best is None or len(name) > best[0]):
                    best = (len(name), obj)
        return best[1] if best else None

    def sources_of(self, table: str) -> list[ExportObject]:
        return [obj for obj in self.objects.values() if table in obj.tables]


def mapping_folder(name: str) -> Path:
    return Path(str(resources.files("revpages.ingest.crm") / name))


@cache
def export_format(name: str) -> ExportFormat:
    folder = mapping_folder(name)
    spec = yaml.safe_load((folder / "_objects.yml").read_text(encoding="utf-8"))
    objects = {
        obj_name: _object(obj_name, body, keep_case=name == "salesforce")
        for obj_name, body in spec.items()
    }
    stages = {
        key(label): stage
        for label, stage in yaml.safe_load(
            (folder / "_stages.yml").read_text(encoding="utf-8")
        ).items()
    }
    stages.update({key(stage): stage for stage in DEAL_STAGES})
    mappings = {
        path.stem: path.read_text(encoding="utf-8")
        for path in sorted(folder.glob("*.sql"))
        if path.stem in TABLES_BY_NAME
    }
    return ExportFormat(
        name, objects, stages, (folder / "_macros.sql").read_text("utf-8"), mappings
    )


def _object(name: str, body: dict[str, Any], *, keep_case: bool) -> ExportObject:
    return ExportObject(
        name=name,
        files=tuple(snake(f) for f in body["files"]),
        tables=tuple(body.get("tables", ())),
        labels={
            str(column): tuple(str(a) for a in labels or ())
            for column, labels in body["columns"].items()
        },
        required=tuple(body.get("required", ())),
        id=body.get("id"),
        modified=tuple(body.get("modified", ())),
        patterns=tuple(
            (re.compile(p["match"], re.IGNORECASE), p["name"]) for p in body.get("patterns", ())
        ),
        keep_case=keep_case,
        deleted=tuple(body.get("deleted", ())),
        natural_keys=tuple(tuple(k) for k in body.get("natural_keys", ())),
    )


def exports_filling(table: str, format_name: str) -> list[str]:
    """The export files that fill contract ``table`` in a data folder of ``format_name``."""
    if format_name in MAPPED_FORMATS:
        objects = export_format(format_name).sources_of(table)
        if objects:
            return [f"{obj.name}.csv" for obj in objects]
    return [f"{table}.csv"]
