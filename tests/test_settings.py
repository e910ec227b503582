"""Every plugin option reaches the core, through one function, with the same defaults."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from revpages.settings import Settings, settings_from_options
from revpages.site.config import RevpagesConfig

ROOT = Path("/project")
DOCS = ROOT / "site_src"

# A valid value other than the default, for every option.
OTHER_VALUES: dict[str, Any] = {
    "queries_dir": "reports",
    "data_dir": "exports",
    "table_rows": 20,
    "currency": "€",
    "chart_max_points": 100,
    "duckdb_memory_limit": "1GB",
    "duckdb_threads": 1,
    "max_reject_share": 0.5,
    "audience": "wide",
    "query_timeout": 30,
    "glossary_page": "terms.md",
    "cache_dir": "",
    "data_format": "hubspot",
    "data_columns": {"deals.loss_reason": "Loss_Reason__c"},
    "data_stage_map": {"appointmentscheduled": "qualification"},
    "required_tables": ["spend"],
    "aliases": {"Globex": ["GBX"]},
    "attribution_lookback_days": 90,
    "attribution_half_life_days": 3,
    "attribution_u_preset": "marketo",
    "privacy_mode": "remove",
    "privacy_salt": "s3cret",
    "limit_xlsx_mb": 64,
    "limit_csv_rows": 10_000,
    "limit_page_rows": 200,
    "limit_columns": 50,
    "limit_views": 20,
    "params": {"segment": ["smb", "enterprise"]},
    "calendar_fiscal_year_start": 2,
    "calendar_week_start": "sunday",
    "calendar_timezone": "Europe/Berlin",
    "calendar_period": "quarter_to_date",
    "calendar_as_of": "2026-09-30",
}
# Read by the plugin itself: off, the core never runs; the navigation is the site layer's.
NOT_FOR_THE_CORE = {"enabled", "nav_last"}


def options(**changed: Any) -> dict[str, Any]:
    """Validated option values, as MkDocs hands them to the plugin."""
    config = RevpagesConfig()
    config.load_dict(changed)
    failed, warnings = config.validate()
    assert not failed and not warnings, (failed, warnings)
    return dict(config)


def test_every_option_has_another_value_here():
    declared = {name for name, _option in RevpagesConfig._schema}
    assert declared - NOT_FOR_THE_CORE == set(OTHER_VALUES)


@pytest.mark.parametrize("name", sorted(OTHER_VALUES))
def test_each_option_reaches_the_settings(name: str):
    default = settings_from_options(options(), root=ROOT, docs_dir=DOCS)
    changed = settings_from_options(options(**{name: OTHER_VALUES[name]}), root=ROOT, docs_dir=DOCS)
    assert changed != default, f"option '{name}' does not reach the core's settings"


def test_the_core_defaults_are_the_options_defaults():
    from_options = settings_from_options(options(), root=ROOT, docs_dir=DOCS)
    core = Settings(root=ROOT, queries_dir=ROOT / "queries", data_dir=ROOT / "data", docs_dir=DOCS)
    assert from_options.engine.cache_dir == ROOT / ".cache/revpages"
    assert from_options == Settings(**{**vars(core), "engine": from_options.engine})
    assert vars(from_options.engine) == {**vars(core.engine), "cache_dir": ROOT / ".cache/revpages"}
