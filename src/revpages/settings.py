"""The core's view of the configuration: one frozen value per build.

The plugin options are declared once, in ``revpages.site.config.RevpagesConfig`` (name,
type, default and doc line); ``settings_from_options`` turns their values into
``Settings`` and is the only place that does, so every option reaches the core the same
way (a test sets each option and sees ``Settings`` change). The defaults here serve
core callers that have no ``mkdocs.yml`` (tests, ``Engine()``); a test keeps them equal
to the config class's.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from revpages.contract import DEAL_STAGES, TABLES_BY_NAME
from revpages.derive.attribution_models import AttributionOptions
from revpages.derive.calendar import CalendarOptions
from revpages.errors import DataLoadError
from revpages.ingest.crm.catalog import FORMATS
from revpages.reports.audience import PrivacyOptions
from revpages.reports.limits import Limits
from revpages.reports.spec_values import Param


@dataclass(frozen=True)
class DataOptions:
    """How to read the data folder: the export ``format`` and the user's overrides."""

    format: str = "native"
    columns: tuple[tuple[str, str], ...] = ()  # ("deals.loss_reason", "Loss_Reason__c")
    stage_map: tuple[tuple[str, str], ...] = ()  # ("appointmentscheduled", "qualification")
    # The derived attribution tables are part of the loaded database, so their options are.
    attribution: AttributionOptions = field(default_factory=AttributionOptions)
    aliases: tuple[tuple[str, tuple[str, ...]], ...] = ()  # ("Globex", ("GBX", "Globex Intl"))
    # So is what a restricted audience's tables hold instead of personal data.
    privacy: PrivacyOptions = field(default_factory=PrivacyOptions)

    @classmethod
    def of(
        cls,
        format: str = "native",
        columns: Mapping[str, object] | None = None,
        stage_map: Mapping[str, object] | None = None,
        attribution: AttributionOptions | None = None,
        *,
        aliases: Mapping[str, object] | None = None,
        privacy: PrivacyOptions | None = None,
    ) -> DataOptions:
        """From the plugin options (mappings of any YAML scalars)."""
        return cls(
            str(format),
            tuple(sorted((str(k), str(v)) for k, v in (columns or {}).items())),
            tuple(sorted((str(k), str(v)) for k, v in (stage_map or {}).items())),
            attribution or AttributionOptions(),
            tuple(sorted((str(k), _names(v)) for k, v in (aliases or {}).items())),
            privacy or PrivacyOptions(),
        )

    @property
    def alias_pairs(self) -> tuple[tuple[str, str], ...]:
        """(spelling, the name it stands for), the name itself included."""
        return tuple(
            (spelling, name) for name, others in self.aliases for spelling in (name, *others)
        )

    def check(self) -> None:
        """Every problem names the option and the bad value."""
        if self.format not in FORMATS:
            raise DataLoadError(
                f"data_format: '{self.format}' is not a known export format.",
                code="RP103",
                hint=f"use one of {', '.join(FORMATS)}.",
            )
        for name, _export in self.columns:
            table, _, column = name.partition(".")
            contract = TABLES_BY_NAME.get(table)
            if contract is None or column not in contract.column_names:
                candidates = [
                    f"{t.name}.{c}" for t in TABLES_BY_NAME.values() for c in t.column_names
                ]
                near = difflib.get_close_matches(name, candidates, n=1)
                raise DataLoadError(
                    f"data_columns: '{name}' is not a contract column.",
                    code="RP105",
                    hint=f"Did you mean '{near[0]}'?"
                    if near
                    else "write <table>.<column>, e.g. deals.loss_reason (see the data contract).",
                )
        for name, others in self.aliases:
            if not name.strip() or any(not o.strip() for o in others):
                raise DataLoadError(
                    f"aliases: '{name}' has an empty name.",
                    code="RP108",
                    hint="write aliases as {Name: [other spelling, ...]}.",
                )
        for label, stage in self.stage_map:
            if stage not in DEAL_STAGES:
                raise DataLoadError(
                    f"data_stage_map: '{label}' maps to '{stage}', which is not a contract stage.",
                    code="RP107",
                    hint=f"use one of {', '.join(DEAL_STAGES)}.",
                )

    def as_dict(self) -> dict[str, object]:
        """For fingerprints: other options, another load (the defaults add nothing)."""
        if self == DataOptions():
            return {}
        found: dict[str, object] = {
            "format": self.format,
            "columns": dict(self.columns),
            "stage_map": dict(self.stage_map),
        }
        if self.aliases:
            found["aliases"] = {name: list(others) for name, others in self.aliases}
        if self.attribution != AttributionOptions():
            found["attribution"] = self.attribution.as_dict()
        if self.privacy.as_dict():
            found["privacy"] = self.privacy.as_dict()
        return found


@dataclass(frozen=True)
class EngineOptions:
    """How a build's DuckDB session runs: the ``duckdb_*`` options, ``query_timeout``,
    the cache folder and what the data folder holds."""

    memory_limit: str | None = None
    threads: int | None = None
    query_timeout: float = 300.0
    cache_dir: Path | None = None  # where loaded data and results are kept between builds
    data: DataOptions = field(default_factory=DataOptions)  # data_format, data_columns...
    limits: Limits = field(default_factory=Limits)  # limit_*: the engine checks all but pages
    calendar: CalendarOptions = field(default_factory=CalendarOptions)  # calendar_*


@dataclass(frozen=True)
class Settings:
    """Paths are absolute; ``root`` is the project folder that messages are relative to."""

    root: Path
    queries_dir: Path
    data_dir: Path
    table_rows: int = 50
    currency: str = "$"
    chart_max_points: int = 5000
    max_reject_share: float = 0.05
    audience: str = "internal"  # "wide": no record ids or notes, no internal_only reports
    docs_dir: Path | None = None  # the hand-written pages; the glossary page is one of them
    glossary_page: str = "glossary.md"  # docs-relative
    required_tables: tuple[str, ...] = ()  # contract tables whose absence fails the build
    params: tuple[Param, ...] = ()  # site-wide views (params: site)
    directory_urls: bool = True  # MkDocs' use_directory_urls: how page links are written
    engine: EngineOptions = field(default_factory=EngineOptions)

    @property
    def cache_dir(self) -> Path | None:
        return self.engine.cache_dir

    @property
    def data(self) -> DataOptions:
        return self.engine.data

    @property
    def limits(self) -> Limits:
        return self.engine.limits

    @property
    def calendar(self) -> CalendarOptions:
        return self.engine.calendar

    def display_path(self, path: Path) -> str:
        """``path`` as the user would type it: relative to the project when inside it."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)


def settings_from_options(
    options: Mapping[str, Any], *, root: Path, docs_dir: Path, directory_urls: bool = True
) -> Settings:
    """The plugin's validated option values (every option of ``RevpagesConfig``) as
    ``Settings``; folders are relative to ``root``, the folder of ``mkdocs.yml``."""
    cache_dir = options["cache_dir"]
    return Settings(
        root=root,
        queries_dir=root / options["queries_dir"],
        data_dir=root / options["data_dir"],
        table_rows=options["table_rows"],
        currency=options["currency"],
        chart_max_points=options["chart_max_points"],
        max_reject_share=options["max_reject_share"],
        audience=options["audience"],
        docs_dir=docs_dir,
        directory_urls=directory_urls,
        glossary_page=options["glossary_page"],
        engine=EngineOptions(
            memory_limit=options["duckdb_memory_limit"],
            threads=options["duckdb_threads"],
            query_timeout=float(options["query_timeout"]),
            cache_dir=root / cache_dir if cache_dir else None,
            limits=Limits(
                xlsx_mb=options["limit_xlsx_mb"],
                csv_rows=options["limit_csv_rows"],
                page_rows=options["limit_page_rows"],
                columns=options["limit_columns"],
                views=options["limit_views"],
            ),
            data=DataOptions.of(
                options["data_format"],
                options["data_columns"],
                options["data_stage_map"],
                AttributionOptions(
                    options["attribution_lookback_days"],
                    float(options["attribution_half_life_days"]),
                    options["attribution_u_preset"],
                ),
                aliases=options["aliases"],
                privacy=PrivacyOptions(
                    options["audience"], options["privacy_mode"], options["privacy_salt"] or ""
                ),
            ),
            calendar=CalendarOptions(
                fiscal_year_start=options["calendar_fiscal_year_start"],
                week_start=options["calendar_week_start"],
                timezone=options["calendar_timezone"],
                period=options["calendar_period"],
                as_of=options["calendar_as_of"],
            ),
        ),
        required_tables=tuple(str(table) for table in options["required_tables"]),
        params=tuple(options["params"]),
    )


def _names(value: object) -> tuple[str, ...]:
    """An alias entry's other spellings: one name or a list of names."""
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value)
    return () if value is None else (str(value),)
