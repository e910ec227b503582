"""The options of the ``revpages`` plugin in ``mkdocs.yml``, each declared once, here.

One option per line with its default and a doc line (the configuration guide must name
every one, a test checks), grouped by what they set, as Material groups its options by
prefix. ``revpages.settings.settings_from_options`` turns the values into the core's
``Settings``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any
from zoneinfo import available_timezones

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from revpages.derive.attribution_models import U_PRESETS
from revpages.derive.calendar import PERIODS, WEEKDAYS
from revpages.ingest.crm.catalog import FORMATS
from revpages.reports.audience import PRIVACY_MODES
from revpages.reports.spec_values import Param, SpecValueError, params


class Month(c.BaseConfigOption[int]):
    """A month number, 1 (January) to 12 (December)."""

    def __init__(self, default: int) -> None:
        super().__init__()
        self.default = default

    def run_validation(self, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 12:
            raise c.ValidationError(
                f"{value!r} is not a month: write its number, 1 (January) to 12 (December)."
            )
        return value


class TimeZone(c.BaseConfigOption[str]):
    """An IANA time zone name, e.g. UTC or Europe/Berlin."""

    def __init__(self, default: str) -> None:
        super().__init__()
        self.default = default

    def run_validation(self, value: object) -> str:
        if value == "UTC" or (isinstance(value, str) and value in available_timezones()):
            return value
        raise c.ValidationError(
            f"{value!r} is not a time zone: write an IANA name such as UTC, Europe/Berlin or "
            "America/New_York."
        )


class AsOf(c.BaseConfigOption[date | datetime | None]):
    """A fixed as-of: a date (the end of that day) or a date and time."""

    def run_validation(self, value: Any) -> date | datetime | None:
        if value is None or isinstance(value, date | datetime):
            return value
        if isinstance(value, str):
            try:
                text = value.strip().replace(" ", "T", 1)
                return datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)
            except ValueError:
                pass
        raise c.ValidationError(
            f"{value!r} is not a date: write 2026-09-30 (the end of that day) or "
            "2026-09-30 18:00, or leave it out to use the data's freshness."
        )


class SiteParams(c.BaseConfigOption[tuple[Param, ...]]):
    """Site-wide views: parameters written as a report's ``params:``, shared by every report
    whose front matter says ``params: site``."""

    def __init__(self) -> None:
        super().__init__()
        self.default = None

    def run_validation(self, value: object) -> tuple[Param, ...]:
        if not value:
            return ()
        try:
            found = params(value)
        except SpecValueError as error:
            hint = f" {error.hint}" if error.hint else ""
            raise c.ValidationError(f"{error}.{hint}") from None
        return tuple(replace(p, site=True) for p in found)


class RevpagesConfig(Config):
    """Options of the ``revpages`` plugin in ``mkdocs.yml``."""

    enabled = c.Type(bool, default=True)
    """Turn the plugin off without removing it (e.g. for a docs-only preview)."""

    # Where the site's inputs are, relative to mkdocs.yml.
    queries_dir = c.Type(str, default="queries")
    """Folder of query files, one sub-folder per section, relative to mkdocs.yml."""
    data_dir = c.Type(str, default="data")
    """Folder of export files (CSV, Parquet), relative to mkdocs.yml."""
    glossary_page = c.Type(str, default="glossary.md")
    """The glossary page in docs_dir: its headings are the terms reports link to."""
    nav_last = c.Type(list, default=["glossary.md", "guide"])
    """Pages and folders of docs_dir that close the automatic navigation, after the report
    sections and the data pages: reference material such as the glossary and the guide."""
    cache_dir = c.Type(str, default=".cache/revpages")
    """Folder (relative to mkdocs.yml) keeping loaded data and query results between builds;
    '' turns it off."""

    # What the data folder holds.
    data_format = c.Choice(FORMATS, default="native")
    """What the data folder holds: native contract files, or hubspot / salesforce exports."""
    data_columns = c.Optional(c.Type(dict))
    """Contract column -> export column, e.g. {deals.loss_reason: Loss_Reason__c}."""
    data_stage_map = c.Optional(c.Type(dict))
    """Export deal stage -> contract stage, e.g. {appointmentscheduled: qualification}."""
    required_tables = c.Type(list, default=[])
    """Contract tables the build fails without, e.g. [spend]; other missing tables only
    make the reports that need them wait for data."""
    aliases = c.Optional(c.Type(dict))
    """Competitor name -> other spellings of it, e.g. {Globex: [GBX, Globex Intl]}."""
    max_reject_share = c.Type(float, default=0.05)
    """Share of refused rows per export file (0-1) above which a --strict build fails."""

    # Attribution models (the derived tables).
    attribution_lookback_days = c.Type(int, default=365)
    """Touches more than this many days before a conversion get no attribution credit."""
    attribution_half_life_days = c.Type((int, float), default=7)
    """Half-life of the time-decay attribution model, in days."""
    attribution_u_preset = c.Choice(U_PRESETS, default="google")
    """U-shaped model: google (first/last), hubspot or marketo (first/lead creation)."""

    # Report pages.
    audience = c.Choice(("internal", "wide"), default="internal")
    """Who reads the site: 'wide' replaces personal data in the tables themselves (ids, names,
    notes, e-mails, phones) and leaves out internal_only reports."""
    privacy_mode = c.Choice(PRIVACY_MODES, default="pseudonymise")
    """For audience 'wide': pseudonymise record ids and people's names, or remove them."""
    privacy_salt = c.Optional(c.Type(str))
    """For audience 'wide': the secret key of the pseudonyms, e.g. !ENV REVPAGES_PRIVACY_SALT."""
    table_rows = c.Type(int, default=50)
    """Rows shown in a report's table; the CSV download always holds all rows."""
    currency = c.Type(str, default="$")
    """Currency symbol put before money values."""
    chart_max_points = c.Type(int, default=5000)
    """Charts with more points fail the build instead of making a slow, unreadable page."""

    # Limits: a build that passes one fails with a coded error naming it.
    limit_xlsx_mb = c.Type(int, default=512)
    """Megabytes an .xlsx export may unpack to (a zip bomb is refused before it is read)."""
    limit_csv_rows = c.Type(int, default=1_000_000)
    """Rows one report's result (and so its CSV download) may hold."""
    limit_page_rows = c.Type(int, default=1_000)
    """Rows one report page may show in its table (see table_rows)."""
    limit_columns = c.Type(int, default=200)
    """Columns one report's result may have."""
    params = SiteParams()
    """Site-wide views, e.g. {segment: deals.segment, period: [last_complete_quarter,
    quarter_to_date]}: a selector on every report whose front matter says 'params: site', the
    choice kept from page to page."""
    limit_views = c.Type(int, default=200)
    """Views one report page may have: every combination of its params: values."""

    # The reporting calendar: every report's window, and the as-of moment.
    calendar_fiscal_year_start = Month(default=1)
    """Month the fiscal year starts in (1-12); the fiscal year is named by the year it ends in."""
    calendar_week_start = c.Choice(WEEKDAYS, default="monday")
    """Day the calendar's weeks start on."""
    calendar_timezone = TimeZone(default="UTC")
    """Time zone in which timestamps fall on days, weeks, months and quarters."""
    calendar_period = c.Choice(tuple(PERIODS), default="last_complete_quarter")
    """The site's period: the window of every report that reports on one."""
    calendar_as_of = AsOf()
    """Fixed as-of date or moment for reproducible builds; by default the data's freshness."""

    # DuckDB, the engine every query runs on.
    query_timeout = c.Type((int, float), default=300)
    """Seconds one report query may run before it is stopped and the build fails."""
    duckdb_memory_limit = c.Optional(c.Type(str))
    """DuckDB memory limit, e.g. '2GB' (DuckDB's default: 80% of RAM)."""
    duckdb_threads = c.Optional(c.Type(int))
    """DuckDB worker threads (DuckDB's default: one per core)."""
