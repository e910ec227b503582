"""The calendar of one build in DuckDB: the as-of moment from the loaded tables, the
``calendar`` table every report may join and the ``calendar_day`` macro.

Both are temporary: they depend on the ``calendar_*`` options as much as on the data, so
they are made after every load (from stored data too) and never stored with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import duckdb

from revpages.contract import CALENDAR, TABLES_BY_NAME
from revpages.derive.calendar import (
    GRAINS,
    WEEKDAYS,
    Calendar,
    CalendarOptions,
    add_months,
    as_of_after,
    configured_as_of,
    period_end,
    period_start,
)
from revpages.ingest.loaded import LoadedTable
from revpages.sql import literal, quote

CALENDAR_MACRO = "calendar_day"
# last_quarters(period_end, n): the first days of the n fiscal quarters up to the one that
# holds the period's last moment, for the small lines of KPI tiles.
QUARTERS_MACRO = "last_quarters"
MACROS = (CALENDAR_MACRO, QUARTERS_MACRO)
RESERVED_NAMES = frozenset((CALENDAR.name, *MACROS))
_LAST_QUARTERS = f"""
    SELECT DISTINCT quarter_start FROM {CALENDAR.name}
    WHERE day_start < period_end
      AND quarter_start > (SELECT max(quarter_start) FROM {CALENDAR.name}
                           WHERE day_start < period_end) - to_months(3 * n)
"""
_MAX_YEARS_BACK = 30  # a stray date of 1900 must not make a calendar of 45,000 days


@dataclass(frozen=True)
class DataRange:
    """What the loaded tables say about time: each table's first and latest event."""

    earliest: dict[str, datetime] = field(default_factory=dict)
    latest: dict[str, datetime] = field(default_factory=dict)
    setters: tuple[str, ...] = ()  # the tables whose latest events set the as-of moment

    def first(self, tables: Iterable[str] | None = None) -> datetime | None:
        """The first event in ``tables`` (every table when None)."""
        names = self.earliest if tables is None else set(tables) & self.earliest.keys()
        return min((self.earliest[name] for name in names), default=None)


def data_range(con: duckdb.DuckDBPyConnection, tables: Sequence[LoadedTable]) -> DataRange:
    """First and latest event of each loaded table; the tables whose latest event comes
    first set the as-of (``Table.sets_as_of``). A table's first event is its contract event
    column's first value, else the first of its dates (spend months, campaign starts)."""
    earliest: dict[str, datetime] = {}
    latest: dict[str, datetime] = {}
    for table in tables:
        contract = TABLES_BY_NAME.get(table.name)
        if table.freshness is not None:
            latest[table.name] = max(table.freshness, latest.get(table.name, table.freshness))
        if table.name in earliest or not table.columns:
            continue
        first = _first_date(con, table.name, contract.event_column if contract else None)
        if first is not None:
            earliest[table.name] = first
    pacing = {
        name: moment
        for name, moment in latest.items()
        if name in TABLES_BY_NAME and TABLES_BY_NAME[name].sets_as_of
    }
    setters: tuple[str, ...] = ()
    if pacing:
        first_latest = min(pacing.values())
        setters = tuple(sorted(n for n, moment in pacing.items() if moment == first_latest))
    return DataRange(earliest, latest, setters)


def _first_date(con: duckdb.DuckDBPyConnection, name: str, event: str | None) -> datetime | None:
    relation = con.table(name)
    if event in relation.columns:
        columns = [event]
    else:
        columns = [
            c
            for c, t in zip(relation.columns, relation.types, strict=True)
            if str(t) in ("DATE", "TIMESTAMP")
        ]
    if not columns:
        return None
    firsts = relation.aggregate(
        [duckdb.FunctionExpression("min", duckdb.ColumnExpression(quote(c))) for c in columns]
    ).fetchall()[0]
    found = [
        datetime.combine(v, datetime.min.time()) if not isinstance(v, datetime) else v
        for v in firsts
        if isinstance(v, date)
    ]
    return min(found).replace(tzinfo=None) if found else None


def build_calendar(options: CalendarOptions, found: DataRange, *, now: datetime) -> Calendar:
    """The build's calendar: a configured as-of, else the data's (the earliest latest event
    of the tables that set it), else ``now`` when no table has a timestamp."""
    if options.as_of is not None:
        return Calendar(options, configured_as_of(options.as_of, options.timezone), "configured")
    if found.setters:
        return Calendar(options, as_of_after(found.latest[found.setters[0]]), "data")
    return Calendar(options, as_of_after(now), "build time")


def create_calendar(
    con: duckdb.DuckDBPyConnection, calendar: Calendar, *, first_event: datetime | None
) -> None:
    """(Re)create the temporary ``calendar`` table and its macros on ``con``.

    The days are made by DuckDB (binding a Python list costs a second per thousand values);
    ``tests/test_calendar.py`` holds the table to the Python functions of ``calendar.py``.
    """
    options = calendar.options
    earliest = calendar.compared("last_year").window().first_day
    if first_event is not None:
        earliest = min(earliest, first_event.date())
    earliest = max(earliest, add_months(calendar.as_of_day, -12 * _MAX_YEARS_BACK))
    # Through the fiscal year after the as-of: open deals close in the months ahead.
    this_year = period_start(calendar.as_of_day, "year", options)
    params = {
        "first": period_start(earliest, "year", options),
        "last": period_end(period_end(this_year, "year"), "year"),
        "fiscal": options.fiscal_year_start,
        "week": WEEKDAYS.index(options.week_start),
        "zone": options.timezone,
        "as_of": calendar.as_of,
    }
    con.execute(f"CREATE OR REPLACE TEMP TABLE {CALENDAR.name} AS {_CALENDAR_SQL}", params)
    con.execute(f"CREATE OR REPLACE TEMP MACRO {CALENDAR_MACRO}(ts) AS {_local_day(options)}")
    con.execute(
        f"CREATE OR REPLACE TEMP MACRO {QUARTERS_MACRO}(period_end, n) AS TABLE {_LAST_QUARTERS}"
    )


def _local_day(options: CalendarOptions) -> str:
    """The macro's body: the day a UTC timestamp falls on in the calendar's time zone. The
    zone is a validated option (an IANA name), written as a literal."""
    if options.timezone == "UTC":
        return "CAST(ts AS DATE)"
    return f"CAST(timezone({literal(options.timezone)}, CAST(ts AS TIMESTAMPTZ)) AS DATE)"


def _calendar_sql() -> str:
    """One SELECT making every column of ``CALENDAR`` from our own constants; the options
    are bound ($first, $last, $fiscal, $week, $zone, $as_of)."""

    def moment(day: str) -> str:  # the UTC moment a local day starts
        return f"timezone($zone, ({day})::TIMESTAMP)::TIMESTAMP"

    def elapsed(start: str, end: str) -> str:
        span = f"epoch({moment(end)} - {moment(start)})"
        return f"greatest(0.0, least(1.0, epoch($as_of - {moment(start)}) / {span}))"

    ends = {
        "week": "(week_start + 7)::DATE",
        "month": "(month_start + INTERVAL 1 MONTH)::DATE",
        "quarter": "(quarter_start + INTERVAL 3 MONTH)::DATE",
        "year": "(year_start + INTERVAL 12 MONTH)::DATE",
    }
    labels = {
        "week": "'Week of ' || day(week_start) || strftime(week_start, ' %b %Y')",
        "month": "strftime(month_start, '%b %Y')",
        "quarter": "CASE WHEN $fiscal = 1 THEN 'Q' || fiscal_quarter || ' ' || fiscal_year "
        "ELSE 'FY' || fiscal_year || ' Q' || fiscal_quarter END",
        "year": "CASE WHEN $fiscal = 1 THEN fiscal_year::VARCHAR ELSE 'FY' || fiscal_year END",
    }
    grains = []
    for grain in GRAINS:
        start, end = f"{grain}_start", ends[grain]
        grains.append(
            f"{start}, {labels[grain]} AS {grain}_label, "
            f"{moment(end)} <= $as_of AS {grain}_is_complete, "
            f"{elapsed(start, end)} AS {grain}_elapsed"
        )
        if grain == "quarter":
            grains.append("fiscal_year || '-Q' || fiscal_quarter AS quarter_key, fiscal_quarter")
        if grain == "year":
            grains.append("fiscal_year")
    columns = ", ".join(
        [
            "day",
            f"{moment('day')} AS day_start",
            f"{moment('day + 1')} <= $as_of AS is_complete",
            f"{elapsed('day', 'day + 1')} AS fraction_elapsed",
            *grains,
        ]
    )
    into_year = "(month(day) - $fiscal + 12) % 12"
    return (
        f"SELECT {columns} FROM ("
        "SELECT day, (day - ((isodow(day) - 1 - $week + 7) % 7)::INTEGER)::DATE AS week_start, "
        "date_trunc('month', day)::DATE AS month_start, "
        f"(date_trunc('month', day) - to_months({into_year} % 3))::DATE AS quarter_start, "
        f"(date_trunc('month', day) - to_months({into_year}))::DATE AS year_start, "
        f"({into_year} // 3 + 1)::INTEGER AS fiscal_quarter, "
        "(CASE WHEN $fiscal = 1 THEN year(day) "
        "ELSE year(day) + (month(day) >= $fiscal)::INTEGER END)::INTEGER AS fiscal_year "
        "FROM (SELECT range::DATE AS day FROM range($first::DATE, $last::DATE, INTERVAL 1 DAY))"
        ") ORDER BY day"
    )


_CALENDAR_SQL = _calendar_sql()
