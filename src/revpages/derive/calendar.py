"""The reporting calendar as pure functions: fiscal periods, the as-of moment, the site's
period and the windows every report is bound to.

Moments are naive UTC datetimes, as in the data; days and period starts are local dates in
the calendar's time zone. A fiscal year is named by the calendar year in which it ends
(FY2027 starts in February 2026 when the fiscal year starts in February); with a January
start the labels are plain calendar ones ("Q3 2026"). Windows are half-open: ``[start,
end)``. The as-of moment is exclusive too: the data holds what happened before it.

A comparison period is the same calendar moved back: ``Calendar.shifted(months)`` moves the
as-of moment back by whole months, so every preset gives the prior (or last year's) period
as it stood at the same point, and a running quarter is compared with the same days of the
quarters before it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

WEEKDAYS: tuple[str, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
GRAINS: tuple[str, ...] = ("week", "month", "quarter", "year")
# preset -> (the grain it steps by, months it moves back for the prior period, to date)
PERIODS: dict[str, tuple[str, int, bool]] = {
    "last_complete_month": ("month", 1, False),
    "last_complete_quarter": ("quarter", 3, False),
    "last_complete_year": ("year", 12, False),
    "month_to_date": ("month", 1, True),
    "quarter_to_date": ("quarter", 3, True),
    "year_to_date": ("year", 12, True),
    "trailing_12_months": ("trailing", 12, True),
}
COMPARES: tuple[str, ...] = ("prior", "last_year")
COMPARE_NAMES = {"prior": "prior period", "last_year": "same period last year"}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class CalendarOptions:
    """The ``calendar_*`` options: how days become fiscal periods, the site's default
    period and, for reproducible builds, a fixed as-of moment."""

    fiscal_year_start: int = 1  # month, 1-12
    week_start: str = "monday"
    timezone: str = "UTC"
    period: str = "last_complete_quarter"
    as_of: date | datetime | None = None  # a date means the end of that day

    def as_dict(self) -> dict[str, object]:
        return {
            "fiscal_year_start": self.fiscal_year_start,
            "week_start": self.week_start,
            "timezone": self.timezone,
            "period": self.period,
            "as_of": self.as_of.isoformat() if self.as_of else None,
        }


# --- dates --------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, kept within the month (31 Jan + 1 month = 28 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, _month_days(year, month + 1)))


def _month_days(year: int, month: int) -> int:
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


def period_start(day: date, grain: str, options: CalendarOptions) -> date:
    """The first day of the fiscal week, month, quarter or year holding ``day``."""
    if grain == "week":
        return day - timedelta(days=(day.weekday() - WEEKDAYS.index(options.week_start)) % 7)
    first = day.replace(day=1)
    if grain == "month":
        return first
    into_year = (day.month - options.fiscal_year_start) % 12
    step = 3 if grain == "quarter" else 12
    return add_months(first, -(into_year % step))


def period_end(start: date, grain: str) -> date:
    """The day after the period that starts on ``start`` (its exclusive end)."""
    if grain == "week":
        return start + timedelta(days=7)
    return add_months(start, {"month": 1, "quarter": 3, "year": 12}[grain])


def fiscal_year(day: date, options: CalendarOptions) -> int:
    """The fiscal year holding ``day``, named by the calendar year in which it ends."""
    if options.fiscal_year_start == 1:
        return day.year
    return day.year + 1 if day.month >= options.fiscal_year_start else day.year


def fiscal_quarter(day: date, options: CalendarOptions) -> int:
    return (day.month - options.fiscal_year_start) % 12 // 3 + 1


def period_label(start: date, grain: str, options: CalendarOptions) -> str:
    """'Week of 5 Oct 2026', 'Oct 2026', 'Q3 2026' / 'FY2027 Q1', '2026' / 'FY2027'."""
    if grain == "week":
        return f"Week of {day_text(start)}"
    if grain == "month":
        return f"{_MONTHS[start.month - 1]} {start.year}"
    year = fiscal_year(start, options)
    fiscal = options.fiscal_year_start != 1
    if grain == "quarter":
        quarter = fiscal_quarter(start, options)
        return f"FY{year} Q{quarter}" if fiscal else f"Q{quarter} {year}"
    return f"FY{year}" if fiscal else str(year)


def quarter_key(start: date, options: CalendarOptions) -> str:
    """'2026-Q3': how the forecasts table names a fiscal quarter."""
    return f"{fiscal_year(start, options)}-Q{fiscal_quarter(start, options)}"


def day_text(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def days_text(first: date, last: date) -> str:
    """'1 Jul – 30 Sep 2026', '1 Nov 2025 – 31 Oct 2026', '31 Oct 2026'."""
    if first == last:
        return day_text(first)
    if first.year == last.year:
        return f"{first.day} {_MONTHS[first.month - 1]} – {day_text(last)}"
    return f"{day_text(first)} – {day_text(last)}"


def percent_text(fraction: float) -> str:
    """A share elapsed as a whole percent that never reads 0 % or 100 % when it is not."""
    shown = round(fraction * 100)
    if fraction < 1:
        shown = min(shown, 99)
    if fraction > 0:
        shown = max(shown, 1)
    return f"{shown} %"


# --- moments --------------------------------------------------------------------------------


def local(moment: datetime, zone: str) -> datetime:
    """A naive UTC moment as naive local time in ``zone``."""
    return moment.replace(tzinfo=UTC).astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def utc(moment: datetime, zone: str) -> datetime:
    """A naive local time in ``zone`` as a naive UTC moment."""
    return moment.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC).replace(tzinfo=None)


def midnight(day: date, zone: str) -> datetime:
    """The UTC moment at which ``day`` starts in ``zone``."""
    return utc(datetime(day.year, day.month, day.day), zone)


def configured_as_of(value: date | datetime, zone: str) -> datetime:
    """A configured as-of as a UTC moment: a date is the end of that day, a time without
    a zone is in the calendar's zone."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            return value.astimezone(UTC).replace(tzinfo=None)
        return utc(value, zone)
    return midnight(value + timedelta(days=1), zone)


def as_of_after(latest: datetime) -> datetime:
    """The exclusive as-of of data whose latest event is ``latest``: the next whole second."""
    return latest.replace(microsecond=0) + timedelta(seconds=1)


@dataclass(frozen=True)
class Window:
    """A period in dates: ``[start, end)`` in UTC, its label, and the end of the whole
    period when the window stops at the as-of moment (a running period)."""

    start: datetime
    end: datetime
    full_end: datetime
    label: str
    first_day: date  # local
    last_day: date  # local, inclusive

    @property
    def to_date(self) -> bool:
        return self.end < self.full_end

    @property
    def fraction(self) -> float:
        total = (self.full_end - self.start).total_seconds()
        return (self.end - self.start).total_seconds() / total if total > 0 else 1.0

    def text(self) -> str:
        """'1 Jul – 30 Sep 2026 · Q3 2026', or '… · Q4 2026 to date (33 %)'."""
        label = (
            f"{self.label} to date ({percent_text(self.fraction)})" if self.to_date else self.label
        )
        return f"{days_text(self.first_day, self.last_day)} · {label}"


@dataclass(frozen=True)
class RunningPeriod:
    """A week, month, quarter or year that holds the as-of moment: not complete yet."""

    grain: str
    start: date
    end: date  # exclusive
    label: str
    fraction: float


@dataclass(frozen=True)
class Calendar:
    """The options and the as-of moment of one build: every window and parameter follows."""

    options: CalendarOptions
    as_of: datetime  # naive UTC, exclusive
    source: str = "data"  # data | configured | build time

    @property
    def local_as_of(self) -> datetime:
        return local(self.as_of, self.options.timezone)

    @property
    def as_of_day(self) -> date:
        """The last day the data covers (the day of the moment just before the as-of)."""
        return local(self.as_of - timedelta(microseconds=1), self.options.timezone).date()

    def as_of_text(self) -> str:
        """'31 Oct 2026, 08:36 UTC' (the calendar's time zone, its abbreviation)."""
        moment = self.as_of.replace(tzinfo=UTC).astimezone(ZoneInfo(self.options.timezone))
        zone = moment.tzname() or self.options.timezone
        return f"{day_text(moment.date())}, {moment:%H:%M} {zone}"

    def window(self) -> Window:
        """The site's period at this as-of moment."""
        grain, months, to_date = PERIODS[self.options.period]
        zone = self.options.timezone
        # A complete period ends at or before the as-of moment; a running one holds the
        # last day the data covers.
        now = self.as_of_day if to_date else self.local_as_of.date()
        if grain == "trailing":  # a window of its own: it ends at the as-of moment
            first = add_months(self.as_of_day + timedelta(days=1), -months)
            start = midnight(first, zone)
            label = f"12 months to {day_text(self.as_of_day)}"
            return Window(start, self.as_of, self.as_of, label, first, self.as_of_day)
        else:
            first = period_start(now, grain, self.options)
            if not to_date:
                first = add_months(first, -months)
            full = period_end(first, grain)
            label = period_label(first, grain, self.options)
        start, full_end = midnight(first, zone), midnight(full, zone)
        end = min(self.as_of, full_end) if to_date else full_end
        last = local(end - timedelta(microseconds=1), zone).date()
        return Window(start, end, full_end, label, first, max(first, last))

    def shifted(self, months: int) -> Calendar:
        """The same calendar with its as-of moment ``months`` whole months earlier."""
        zone = self.options.timezone
        moment = self.local_as_of
        day = add_months(moment.date(), -months)
        return Calendar(self.options, utc(datetime.combine(day, moment.time()), zone), self.source)

    def with_period(self, period: str) -> Calendar:
        """The same calendar with another period preset (a report view's period)."""
        return Calendar(replace(self.options, period=period), self.as_of, self.source)

    def compared(self, which: str) -> Calendar:
        """The calendar of a comparison run: ``prior`` or ``last_year``."""
        months = PERIODS[self.options.period][1] if which == "prior" else 12
        return self.shifted(months)

    def parameters(self) -> dict[str, datetime]:
        """The values of every calendar parameter, by name (without the ``$``)."""
        current, prior, last_year = (
            self.window(),
            self.compared("prior").window(),
            self.compared("last_year").window(),
        )
        return {
            "as_of": self.as_of,
            "period_start": current.start,
            "period_end": current.end,
            "prior_start": prior.start,
            "prior_end": prior.end,
            "last_year_start": last_year.start,
            "last_year_end": last_year.end,
        }

    def running(self) -> tuple[RunningPeriod, ...]:
        """The week, month, quarter and year that hold the as-of moment."""
        zone = self.options.timezone
        found = []
        for grain in GRAINS:
            first = period_start(self.as_of_day, grain, self.options)
            after = period_end(first, grain)
            start, end = midnight(first, zone), midnight(after, zone)
            if self.as_of < end:
                fraction = (self.as_of - start).total_seconds() / (end - start).total_seconds()
                found.append(
                    RunningPeriod(
                        grain, first, after, period_label(first, grain, self.options), fraction
                    )
                )
        return tuple(found)

    def fingerprint(self) -> str:
        """What the calendar's table and parameters depend on, for result cache keys."""
        payload = json.dumps([self.options.as_dict(), self.as_of.isoformat()], sort_keys=True)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


PARAMETERS: dict[str, str] = {
    "as_of": "The as-of moment: the data holds what happened before it (exclusive).",
    "period_start": "First moment of the site's period (inclusive).",
    "period_end": "End of the site's period (exclusive); the as-of moment for a running one.",
    "prior_start": "Start of the prior period (the period before, to the same point).",
    "prior_end": "End of the prior period (exclusive).",
    "last_year_start": "Start of the same period a year earlier.",
    "last_year_end": "End of the same period a year earlier (exclusive).",
}
