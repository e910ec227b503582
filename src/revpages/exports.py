"""The HubSpot and Salesforce export catalogs: objects, file names, columns, stages.

Declared as data in ``contract/mappings/<format>/``: ``_objects.yml`` (which files
hold which object, the contract tables it feeds, its columns and their header
aliases), ``_stages.yml`` (deal stages to contract stages), ``_macros.sql`` (shared
clean-up functions) and one ``<contract_table>.sql`` SELECT per mapped table.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from pathlib import Path

import yaml

from revpages.contract import DEAL_STAGES, TABLES_BY_NAME
from revpages.derive.options import AttributionOptions
from revpages.errors import DataLoadError

FORMATS = ("native", "hubspot", "salesforce")
MAPPED_FORMATS = FORMATS[1:]


def key(text: str) -> str:
    """Labels and internal values to one key: 'Closed Won' and 'closedwon' -> 'closedwon'."""
    return re.sub(r"[^A-Za-z0-9]+", "", text).lower()


def snake(text: str) -> str:
    """A header to a column name: 'Lead Tier' -> 'lead_tier'."""
    return re.sub(r"[^A-Za-z0-9]+", "_", text.strip()).strip("_").lower() or "column"


@dataclass(frozen=True)
class DataOptions:
    """How to read the data folder: the export ``format`` and the user's overrides."""

    format: str = "native"
    columns: tuple[tuple[str, str], ...] = ()  # ("deals.loss_reason", "Loss_Reason__c")
    stage_map: tuple[tuple[str, str], ...] = ()  # ("appointmentscheduled", "qualification")
    # The derived attribution tables are part of the loaded database, so their options are.
    attribution: AttributionOptions = field(default_factory=AttributionOptions)

    @classmethod
    def of(cls, format: str = "native", columns: Mapping[str, object] | None = None,
           stage_map: Mapping[str, object] | None = None,
           attribution: AttributionOptions | None = None) -> DataOptions:
        """From the plugin options (mappings of any YAML scalars)."""
        return cls(str(format),
                   tuple(sorted((str(k), str(v)) for k, v in (columns or {}).items())),
                   tuple(sorted((str(k), str(v)) for k, v in (stage_map or {}).items())),
                   attribution or AttributionOptions())

    def check(self) -> None:
        """Every problem names the option and the bad value."""
        if self.format not in FORMATS:
            raise DataLoadError(f"data_format: '{self.format}' is not a known export format.",
                                code="RP103",
                                hint=f"use one of {', '.join(FORMATS)}.")
        for name, _export in self.columns:
            table, _, column = name.partition(".")
            contract = TABLES_BY_NAME.get(table)
            if contract is None or column not in contract.column_names:
                candidates = [f"{t.name}.{c}" for t in TABLES_BY_NAME.values()
                              for c in t.column_names]
                near = difflib.get_close_matches(name, candidates, n=1)
                raise DataLoadError(
                    f"data_columns: '{name}' is not a contract column.", code="RP105",
                    hint=f"Did you mean '{near[0]}'?" if near else
                    "write <table>.<column>, e.g. deals.loss_reason (see the data contract).")
        for label, stage in self.stage_map:
            if stage not in DEAL_STAGES:
                raise DataLoadError(
                    f"data_stage_map: '{label}' maps to '{stage}', which is not a contract "
                    "stage.", code="RP107", hint=f"use one of {', '.join(DEAL_STAGES)}.")

    def as_dict(self) -> dict[str, object]:
        """For fingerprints: other options, another load (the defaults add nothing)."""
        if self == DataOptions():
            return {}
        found = {"format": self.format, "columns": dict(self.columns),
                 "stage_map": dict(self.stage_map)}
        if self.attribution != AttributionOptions():
            found["attribution"] = self.attribution.as_dict()
        return found


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

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.labels)

    @cached_property
    def aliases(self) -> dict[str, str]:
        found = {key(label): column for column, labels in self.labels.items()
                 for label in labels}
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
    return Path(str(resources.files("revpages.contract") / "mappings" / name))


@cache
def export_format(name: str) -> ExportFormat:
    folder = mapping_folder(name)
    spec = yaml.safe_load((folder / "_objects.yml").read_text(encoding="utf-8"))
    objects = {obj_name: _object(obj_name, body, keep_case=name == "salesforce")
               for obj_name, body in spec.items()}
    stages = {key(label): stage for label, stage in
              yaml.safe_load((folder / "_stages.yml").read_text(encoding="utf-8")).items()}
    stages.update({key(stage): stage for stage in DEAL_STAGES})
    mappings = {path.stem: path.read_text(encoding="utf-8")
                for path in sorted(folder.glob("*.sql")) if path.stem in TABLES_BY_NAME}
    return ExportFormat(name, objects, stages, (folder / "_macros.sql").read_text("utf-8"),
                        mappings)


def _object(name: str, body: dict, *, keep_case: bool) -> ExportObject:
    return ExportObject(
        name=name,
        files=tuple(snake(f) for f in body["files"]),
        tables=tuple(body.get("tables", ())),
        labels={str(column): tuple(str(a) for a in labels or ())
                for column, labels in body["columns"].items()},
        required=tuple(body.get("required", ())),
        id=body.get("id"),
        modified=tuple(body.get("modified", ())),
        patterns=tuple((re.compile(p["match"], re.IGNORECASE), p["name"])
                       for p in body.get("patterns", ())),
        keep_case=keep_case,
    )
