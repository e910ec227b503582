"""Deterministic, realistic sample CRM exports: one CSV per contract table.

Everything is drawn from one seeded numpy generator and anchored to a fixed export moment
(never the wall clock), so the same seed and size give byte-identical files. Numpy simulates
whole arrays at once; DuckDB formats ids, labels and timestamps and writes the CSV files.

Inside the simulation times are float seconds since the Unix epoch (UTC); a stage that was
never reached is `inf`, and anything later than the export moment is cut to "not yet".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

from revpages.contract import DEAL_STAGES, TABLES_BY_NAME

DAY = 86_400.0
HOUR = 3_600.0
NAT = np.iinfo(np.int64).min  # as datetime64 this is NaT, which DuckDB reads as NULL


def _epoch(day: str) -> int:
    return int(np.datetime64(day, "s").astype(np.int64))


def _words(text: str) -> list[str]:
    return [word.strip() for word in text.split(",")]


START = _epoch("2024-05-01")  # first lead
END = _epoch("2026-11-01") - 1  # the export moment: last second of 2026-10-31
FIRST_MONTH = np.datetime64("2024-05", "M")
N_MONTHS = 30  # 2024-05 .. 2026-10
QUARTERS = [f"{y}-Q{q}" for y in (2024, 2025, 2026) for q in (1, 2, 3, 4)][3:]  # forecasts
PLAN_END = _epoch("2027-01-01") - 1  # the targets cover the current quarter to its end

# --- channels: volume, trend and very different lead quality ---------------------------------
CHANNELS = _words("paid_search, paid_social, organic, email, events, partner, direct, content")
CHANNEL_SHARE = np.array([0.22, 0.17, 0.17, 0.09, 0.05, 0.05, 0.10, 0.15])
CHANNEL_TREND = np.array([0.0, 0.35, 0.05, 0.0, -0.08, 0.05, 0.0, 0.15])  # log-growth per year
MQL_RATE = np.array([0.42, 0.20, 0.36, 0.30, 0.68, 0.62, 0.46, 0.24])
SAL_RATE = np.array([0.74, 0.50, 0.80, 0.68, 0.86, 0.88, 0.82, 0.58])  # of touched MQLs
SQL_RATE = np.array([0.38, 0.20, 0.42, 0.32, 0.50, 0.58, 0.46, 0.27])  # of SALs
WIN_ODDS = np.array([0.36, 0.18, 0.45, 0.30, 0.52, 0.70, 0.50, 0.27])
COST_PER_LEAD = np.array([180.0, 120.0, 0.0, 14.0, 450.0, 260.0, 0.0, 70.0])  # 0: no spend
# Lead plan per channel: the plan for leads and MQLs over the channel's run rate. Organic
# and partner beat their plan (~118 %), paid_social and events fall short (~80 %); weighted
# by volume the company lands near its plan (~96 %).
CHANNEL_PLAN = np.array([1.0, 1.25, 0.85, 1.0, 1.25, 0.85, 0.97, 1.02])

SEGMENTS = _words("smb, mid_market, enterprise")
SEGMENT_BY_CHANNEL = np.array(
    [
        [0.65, 0.27, 0.08],
        [0.76, 0.20, 0.04],
        [0.60, 0.30, 0.10],
        [0.55, 0.33, 0.12],
        [0.30, 0.40, 0.30],
        [0.35, 0.40, 0.25],
        [0.50, 0.30, 0.20],
        [0.60, 0.30, 0.10],
    ]
)
SEG_MQL = np.array([0.9, 1.1, 1.25])
SEG_SQL = np.array([1.0, 1.05, 1.1])
SEG_WIN_ODDS = np.array([1.15, 1.0, 0.75])
SQL_DELAY_DAYS = np.array([4.0, 7.0, 12.0])
STAGE_DAYS = np.array(  # median days in qualification, discovery, proposal, negotiation
    [[5.0, 7.0, 6.0, 5.0], [8.0, 12.0, 10.0, 8.0], [15.0, 25.0, 20.0, 15.0]]
)
LOST_AT = np.array([0.35, 0.30, 0.20, 0.15])  # open stage a lost deal drops out of

REGIONS = _words("NA, EMEA, APAC, LATAM")
REGION_SHARE = np.array([0.45, 0.30, 0.15, 0.10])
REGION_HOUR_UTC = np.array([17.0, 11.0, 4.0, 16.0])  # middle of the local business day
INDUSTRIES = _words(
    "software, financial_services, healthcare, manufacturing, retail, education, "
    "public_sector, media"
)
INDUSTRY_SHARE = np.array([0.22, 0.16, 0.13, 0.14, 0.11, 0.08, 0.07, 0.09])
NAME_FIRST = _words(
    "Northwind, Bluepeak, Ironclad, Silverline, Brightwater, Redwood, Clearpath, Stonebridge, "
    "Lumen, Harbor, Summit, Evergreen, Pioneer, Cobalt, Granite, Meridian, Oakridge, Polaris, "
    "Quantum, Riverbend, Sterling, Tidewater, Vantage, Westfield, Müller, Nordlicht, "
    "São Paulo, Smith & Sons, O'Brien, Zenith, Aurora, Beacon, Crescent, Falcon, Keystone"
)
NAME_SECOND = _words(
    "Logistics, Systems, Health, Analytics, Foods, Capital, Labs, Retail, Maschinenbau, "
    "Energy, Media, Robotics, Insurance, Learning, Works, Bank"
)
NAME_SUFFIX = _words("Inc., LLC, GmbH, Ltd, S.A., Group, Co., AG, Pty Ltd, SAS")

PRODUCTS = _words("core, analytics, enterprise_suite")
PRODUCT_BY_SEGMENT = np.array([[0.75, 0.25, 0.0], [0.45, 0.35, 0.20], [0.15, 0.25, 0.60]])
PRODUCT_PRICE = np.array([1.0, 1.25, 1.6])
PRODUCT_MARGIN = np.array([0.84, 0.76, 0.63])  # the suite carries services: lower margin
SEGMENT_MARGIN = np.array([0.02, 0.0, -0.05])  # enterprise discounts
AMOUNT_MEDIAN = np.array([9_000.0, 42_000.0, 160_000.0])
AMOUNT_SIGMA = np.array([0.55, 0.6, 0.7])
LOSS_REASONS = _words("price, features, no_decision, timing, competitor")
LOSS_MIX = np.array([[0.28, 0.22, 0.32, 0.18, 0.0], [0.22, 0.18, 0.15, 0.10, 0.35]])

# Sales owners: region, response median (hours), its spread, share of MQLs never touched,
# forecast bias factor and forecast noise. Jordan sandbags; Marcus is the optimist.
OWNERS = [
    ("Avery Chen", 0, 0.07, 1.0, 0.02, 1.00, 0.12),
    ("Jordan Patel", 0, 0.4, 1.1, 0.04, 0.75, 0.06),
    ("Marcus Reid", 0, 20.0, 1.2, 0.15, 1.40, 0.08),
    ("Emily Johnson", 0, 2.0, 1.3, 0.05, 1.03, 0.18),
    ("Hannah Schulz", 1, 0.15, 1.0, 0.03, 0.97, 0.15),
    ("Liam Novak", 1, 3.0, 1.3, 0.06, 1.05, 0.20),
    ("Sofia Rossi", 1, 40.0, 1.1, 0.22, 0.98, 0.22),
    ("Noah Kim", 2, 0.75, 1.2, 0.04, 1.02, 0.16),
    ("Priya Raman", 2, 6.0, 1.4, 0.08, 0.96, 0.18),
    ("Diego Alvarez", 3, 1.5, 1.3, 0.10, 1.04, 0.20),
]
OWNER_NAMES = [owner[0] for owner in OWNERS]
# Quota stretch per sales owner: the bookings quota over the owner's run rate. Below 1 the
# owner beats the quota over the complete quarters (Avery, Jordan and Hannah reach 118-125 %),
# above 1 they miss it (Marcus and Sofia about 78 %); the others land near 100 %.
OWNER_QUOTA_STRETCH = np.array([0.80, 0.82, 1.30, 1.00, 0.85, 1.03, 1.28, 0.98, 1.05, 1.02])
OWNER_REGION, OWNER_RESPONSE_H, OWNER_RESPONSE_SIGMA, OWNER_NEVER, OWNER_BIAS, OWNER_NOISE = (
    np.array(column) for column in list(zip(*OWNERS, strict=True))[1:]
)
MARKETING = "Marketing"
TARGET_METRICS = _words(
    "bookings, pipeline, leads, mqls, mql_to_sql, win_rate, cac, forecast_accuracy, "
    "sla_hours, sla_compliance"
)
TEAMS = _words("marketing, sales")
PIPELINE_STRETCH = 1.08  # the pipeline target over the run rate of deals created
# Company targets, the same every quarter: metric, team, value.
RATE_TARGETS = [
    ("mql_to_sql", "marketing", 0.30),
    ("win_rate", "sales", 0.30),
    ("forecast_accuracy", "sales", 0.85),
    ("sla_hours", "sales", 1.0),
    ("sla_compliance", "sales", 0.80),
]

LEAD_STATUSES = _words("open, working, qualified, rejected, converted")
REJECT_REASONS = _words(
    "not_a_fit, no_budget, bad_contact_data, student_or_job_seeker, duplicate, existing_customer"
)
REJECT_MIX = np.array(
    [
        [0.30, 0.20, 0.15, 0.15, 0.10, 0.10],
        [0.25, 0.15, 0.30, 0.20, 0.05, 0.05],
        [0.30, 0.20, 0.10, 0.20, 0.10, 0.10],
        [0.25, 0.20, 0.10, 0.05, 0.20, 0.20],
        [0.35, 0.30, 0.10, 0.05, 0.10, 0.10],
        [0.40, 0.30, 0.05, 0.02, 0.13, 0.10],
        [0.30, 0.20, 0.10, 0.10, 0.10, 0.20],
        [0.30, 0.15, 0.15, 0.25, 0.10, 0.05],
    ]
)

COMPETITORS = _words(
    "Acme Revenue Cloud, Pipewise, FunnelForge, Quotient CRM, Brightlane, Stackmetric"
)
# Per competitor: relative presence and the factor on our win odds when it is present,
# by segment (smb, mid_market, enterprise).
COMPETITOR_PRESENCE = np.array(
    [
        [0.8, 1.2, 1.6],  # Acme Revenue Cloud: the enterprise incumbent
        [1.6, 0.9, 0.3],  # Pipewise: cheap, everywhere in smb
        [1.0, 1.0, 0.8],
        [0.5, 1.0, 1.3],
        [0.7, 0.6, 0.4],
        [0.4, 0.7, 1.0],
    ]
)
COMPETITOR_WIN_ODDS = np.array(
    [
        [0.9, 0.7, 0.45],
        [0.5, 0.9, 1.2],
        [1.0, 1.0, 1.0],
        [1.3, 0.6, 0.8],
        [1.5, 1.4, 1.3],  # Brightlane: we usually beat them
        [0.8, 0.8, 0.5],
    ]
)
N_COMPETITORS_BY_SEGMENT = np.array(
    [[0.45, 0.38, 0.13, 0.04], [0.30, 0.42, 0.20, 0.08], [0.18, 0.40, 0.28, 0.14]]
)
NOTES = [  # field notes; some exercise HTML escaping and spreadsheet formula neutralising
    "They undercut us on price by about 30%.",
    "Champion liked our dashboards; CFO wanted a cheaper option.",
    'Their rep promised "unlimited seats" for year one.',
    "Price was <50% of ours & they bundled onboarding.",
    "=SUM(A1:A3) pasted from their pricing sheet",
    "+1 from procurement for their security review",
    "Herr Müller (IT) prefers on-prem; EU data residency is a must.",
    "Lost on SSO/SCIM, they're 'enterprise ready' per the buyer.",
    "Incumbent tool, renewal in Q1; switching cost is the real blocker.",
    "Strong demo from them on forecasting; ours was better on attribution.",
    "Buyer compared feature grids line by line.",
    "They offered a 3-month free pilot.",
    "Our integration with the data warehouse won the technical evaluation.",
    "Legal review of their DPA took weeks; ours passed in 2 days.",
    "Reference call with a peer customer made the difference.",
    "Decision moved to next fiscal year.",
    "@channel their new AI assistant came up in every call",
    "-20% multi-year discount on their side",
    "Came up late in the deal, only in the final negotiation.",
    "José from RevOps said their reporting is 'good enough'.",
]

# --- marketing touches and campaigns -----------------------------------------------------------
KINDS = _words("ad_click, email_click, event, form, visit")
KIND_BY_CHANNEL = np.array(
    [
        [0.85, 0.0, 0.0, 0.0, 0.15],
        [0.90, 0.0, 0.0, 0.0, 0.10],
        [0.0, 0.0, 0.0, 0.20, 0.80],
        [0.0, 0.90, 0.0, 0.10, 0.0],
        [0.0, 0.0, 0.85, 0.15, 0.0],
        [0.0, 0.0, 0.0, 0.50, 0.50],
        [0.0, 0.0, 0.0, 0.15, 0.85],
        [0.0, 0.0, 0.0, 0.40, 0.60],
    ]
)
TOUCH_MIX = np.array([0.16, 0.14, 0.13, 0.26, 0.03, 0.03, 0.12, 0.13])  # nurture channels
POST_TOUCHES = np.array([5.4, 7.5, 9.0])  # mean touches after creation: lead, MQL, deal
ACTIVITY_KINDS = _words("call, email, meeting")

# Campaign streams: (channel, name, months per campaign, share of the channel's leads).
STREAMS = [
    (0, "Search - Brand", 6, 0.30),
    (0, "Search - Generic", 6, 0.50),
    (0, "Search - Competitor", 6, 0.20),
    (1, "LinkedIn", 3, 0.60),
    (1, "Meta", 3, 0.40),
    (3, "Newsletter", 1, 0.40),
    (3, "Nurture", 3, 0.60),
    (4, "Trade show", 2, 0.60),
    (4, "Roadshow", 1, 0.40),
    (5, "Reseller program", 6, 0.55),
    (5, "Integration partners", 6, 0.45),
    (7, "Webinar", 1, 0.45),
    (7, "Ebook", 3, 0.55),
]
ROADSHOW_CITIES = _words("Chicago, München, São Paulo, Sydney, London, Toronto")


# --- small helpers -----------------------------------------------------------------------------
def _pick(rng: np.random.Generator, probs: np.ndarray, size: int) -> np.ndarray:
    """Categorical draws from one probability vector."""
    cum = np.cumsum(probs) / np.sum(probs)
    return np.minimum(np.searchsorted(cum, rng.random(size), side="right"), len(probs) - 1)


def _pick_rows(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One categorical draw per row of a probability matrix."""
    cum = np.cumsum(probs, axis=1)
    u = rng.random(len(probs)) * cum[:, -1]
    return np.minimum((u[:, None] >= cum).sum(axis=1), probs.shape[1] - 1)


def _lognormal(
    rng: np.random.Generator,
    median: np.ndarray | float,
    sigma: np.ndarray | float,
    size: int | tuple[int, int],
) -> np.ndarray:
    return median * np.exp(sigma * rng.standard_normal(size))


def _cut(t: np.ndarray) -> np.ndarray:
    """Times after the export moment have not happened yet."""
    return np.where(t <= END, t, np.inf)


def _ts(t: np.ndarray) -> np.ndarray:
    """Simulation seconds (inf = never) to datetime64[s], NaT for NULL."""
    out = np.full(len(t), NAT, dtype=np.int64)
    ok = np.isfinite(t)
    out[ok] = np.floor(t[ok]).astype(np.int64)
    return out.view("datetime64[s]")


def _months(t: np.ndarray) -> np.ndarray:
    """Months since 1970-01 of epoch seconds."""
    return np.floor(t).astype(np.int64).view("datetime64[s]").astype("datetime64[M]").astype(int)


def _quarter_index(t: np.ndarray) -> np.ndarray:
    """Index into QUARTERS (out of range before or after)."""
    return _months(t) // 3 - ((2024 - 1970) * 4 + 3)


def _starts(group: np.ndarray) -> np.ndarray:
    """True on the first row of each run of equal values (rows sorted by group)."""
    return np.diff(group, prepend=-1) != 0


def _unset() -> np.ndarray:
    return np.empty(0)


# --- simulation --------------------------------------------------------------------------------
@dataclass
class Accounts:
    segment: np.ndarray
    region: np.ndarray
    industry: np.ndarray
    employees: np.ndarray
    in_tam: np.ndarray
    name: np.ndarray  # (n, 3) codes into NAME_FIRST, NAME_SECOND, NAME_SUFFIX


@dataclass
class Campaigns:
    name: list[str]
    channel: np.ndarray
    start: np.ndarray  # epoch seconds of the first day
    end: np.ndarray  # epoch seconds of the last second
    stream: np.ndarray


@dataclass
class Leads:
    created: np.ndarray
    channel: np.ndarray
    segment: np.ndarray
    region: np.ndarray
    account: np.ndarray  # -1: no company
    campaign: np.ndarray  # -1: none
    # Filled by _funnel and _deals.
    score: np.ndarray = field(default_factory=_unset)
    owner: np.ndarray = field(default_factory=_unset)  # -1: not routed to sales
    mql: np.ndarray = field(default_factory=_unset)
    sal: np.ndarray = field(default_factory=_unset)
    sql: np.ndarray = field(default_factory=_unset)
    rejected: np.ndarray = field(default_factory=_unset)
    reason: np.ndarray = field(default_factory=_unset)
    first_touch: np.ndarray = field(default_factory=_unset)
    # Opportunity created: the conversion of the lead.
    deal_at: np.ndarray = field(default_factory=_unset)
    deal: np.ndarray = field(default_factory=_unset)  # -1: none


@dataclass
class Deals:
    lead: np.ndarray
    created: np.ndarray
    product: np.ndarray
    amount: np.ndarray
    margin: np.ndarray
    competitors: np.ndarray  # (n, 3) competitor codes, -1 = empty slot
    won: np.ndarray  # fate, also for deals still open
    # Filled by _settle_deals at the export moment.
    # Close date; the expected close date while open.
    closed: np.ndarray = field(default_factory=_unset)
    stage: np.ndarray = field(default_factory=_unset)  # index into DEAL_STAGES
    is_closed: np.ndarray = field(default_factory=_unset)
    loss_reason: np.ndarray = field(default_factory=_unset)
    enter: np.ndarray = field(
        default_factory=_unset
    )  # (n, 5) entry into 4 open stages and the close; inf = not


def _accounts(rng: np.random.Generator, n: int) -> Accounts:
    segment = _pick(rng, np.array([0.62, 0.28, 0.10]), n)
    employees = _lognormal(rng, np.array([40.0, 600.0, 8_000.0])[segment], 0.8, n)
    bounds = np.array([[5, 199], [200, 1_999], [2_000, 250_000]])[segment]
    employees = np.clip(np.round(employees), bounds[:, 0], bounds[:, 1]).astype(np.int32)
    sizes = [len(NAME_FIRST), len(NAME_SECOND), len(NAME_SUFFIX)]
    return Accounts(
        segment=segment,
        region=_pick(rng, REGION_SHARE, n),
        industry=_pick(rng, INDUSTRY_SHARE, n),
        employees=employees,
        in_tam=rng.random(n) < np.array([0.80, 0.88, 0.95])[segment],
        name=np.stack([rng.integers(0, size, n) for size in sizes], axis=1),
    )


def _campaigns() -> Campaigns:
    """Consecutive calendar-aligned campaigns per stream, from the first lead month until
    past the export (the current campaigns end in the future)."""
    names: list[str] = []
    channel, start, end, stream = [], [], [], []
    last = np.datetime64("2026-12", "M")
    for s, (ch, title, months, _share) in enumerate(STREAMS):
        month = FIRST_MONTH
        while month <= last:
            nxt = month + (months - month.astype(np.int64) % months)
            names.append(_campaign_name(title, month, months, len(names)))
            channel.append(ch)
            start.append(int(month.astype("datetime64[s]").astype(np.int64)))
            end.append(int(nxt.astype("datetime64[s]").astype(np.int64)) - 1)
            stream.append(s)
            month = nxt
    return Campaigns(names, np.array(channel), np.array(start), np.array(end), np.array(stream))


def _campaign_name(title: str, month: np.datetime64, months: int, i: int) -> str:
    year, moy = str(month)[:4], int(str(month)[5:])
    label = str(month)
    if months == 6:
        label = f"{year} H{1 + (moy - 1) // 6}"
    elif months == 3:
        label = f"{year} Q{1 + (moy - 1) // 3}"
    if title == "Roadshow":
        return f"Roadshow {ROADSHOW_CITIES[i % len(ROADSHOW_CITIES)]} {label}"
    if title == "Trade show" and i % 4 == 0:
        return f"Trade show <RevOps & Growth> {label}"
    return f"{title} {label}"


def _campaign_at(
    rng: np.random.Generator, camps: Campaigns, channel: np.ndarray, t: np.ndarray
) -> np.ndarray:
    """A campaign of the channel active at time t (stream drawn by share); -1 if none."""
    out = np.full(len(t), -1, dtype=np.int64)
    stream_u = rng.random(len(t))
    for ch in range(len(CHANNELS)):
        streams = [s for s, row in enumerate(STREAMS) if row[0] == ch]
        if not streams:
            continue
        shares = np.cumsum([STREAMS[s][3] for s in streams])
        rows = np.flatnonzero(channel == ch)
        which = np.searchsorted(shares / shares[-1], stream_u[rows], side="right")
        for k, s in enumerate(streams):
            sel = rows[which == k]
            members = np.flatnonzero(camps.stream == s)
            pos = np.searchsorted(camps.start[members], t[sel], side="right") - 1
            ok = (pos >= 0) & (t[sel] <= camps.end[members[np.maximum(pos, 0)]])
            out[sel[ok]] = members[pos[ok]]
    return out


def _lead_days(rng: np.random.Generator, n: int) -> np.ndarray:
    """Creation days (epoch seconds): growth, Q4 peak, August dip, quiet weekends."""
    days = np.arange(START, END + 1, DAY)
    return days[_pick(rng, _day_weight(days), n)]


def _day_weight(days: np.ndarray) -> np.ndarray:
    """Relative lead volume of each day (epoch seconds of its start)."""
    d64 = days.astype(np.int64).view("datetime64[s]").astype("datetime64[D]")
    month = d64.astype("datetime64[M]").astype(np.int64) % 12
    day_of_month = (d64 - d64.astype("datetime64[M]")).astype(np.int64)
    weekday = (d64.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday; 0 = Monday
    season = np.array([0.95, 1.0, 1.08, 1.0, 1.0, 0.95, 0.85, 0.66, 1.05, 1.22, 1.28, 1.02])
    week = np.array([1.12, 1.15, 1.12, 1.05, 0.92, 0.42, 0.45])
    holiday = ((month == 11) & (day_of_month >= 22)) | ((month == 0) & (day_of_month < 2))
    growth = np.exp(0.42 * (days - START) / (365 * DAY))
    return growth * season[month] * week[weekday] * np.where(holiday, 0.35, 1.0)


def _channel_mix(day: np.ndarray) -> np.ndarray:
    """Relative weight of each channel (columns) on each day (rows)."""
    years = ((day - START) / (365 * DAY))[:, None]
    return CHANNEL_SHARE * np.exp(CHANNEL_TREND * years)


def _leads(rng: np.random.Generator, n: int, accounts: Accounts, camps: Campaigns) -> Leads:
    day = _lead_days(rng, n)
    channel = _pick_rows(rng, _channel_mix(day))
    segment = _pick_rows(rng, SEGMENT_BY_CHANNEL[channel])
    account = _assign_accounts(rng, segment, accounts)
    region = accounts.region[account]
    hour = (REGION_HOUR_UTC[region] + 2.6 * rng.standard_normal(n)) % 24
    created = np.minimum(day + np.floor(hour * HOUR), END)
    order = np.argsort(created, kind="stable")  # lead ids grow with time, as in a CRM
    created, channel, segment, account, region = (
        column[order] for column in (created, channel, segment, account, region)
    )
    campaign = _campaign_at(rng, camps, channel, created)
    return Leads(created, channel, segment, region, account, campaign)


def _assign_accounts(rng: np.random.Generator, segment: np.ndarray, acc: Accounts) -> np.ndarray:
    """Leads land on ~70% of accounts (the rest of the market is never touched), skewed
    so that some accounts bring many contacts, enterprise accounts the most."""
    account = np.zeros(len(segment), dtype=np.int64)
    active = rng.random(len(acc.segment)) < 0.7
    for s in range(len(SEGMENTS)):
        pool = np.flatnonzero(active & (acc.segment == s))
        if len(pool) == 0:
            pool = np.flatnonzero(acc.segment == s)
        if len(pool) == 0:
            pool = np.arange(len(acc.segment))
        rows = np.flatnonzero(segment == s)
        skew = 1.3 + 0.35 * s
        account[rows] = pool[(len(pool) * rng.random(len(rows)) ** skew).astype(np.int64)]
    return account


def _funnel(rng: np.random.Generator, lead: Leads) -> None:
    """MQL -> first sales touch -> accepted (SAL) or rejected -> SQL -> opportunity."""
    n, ch, seg = len(lead.created), lead.channel, lead.segment
    is_mql = rng.random(n) < MQL_RATE[ch] * SEG_MQL[seg]
    instant = rng.random(n) < 0.35  # demo requests qualify on the spot
    wait = np.minimum(_lognormal(rng, 3 * DAY, 1.2, n), 180 * DAY)
    mql = np.where(is_mql, lead.created + np.where(instant, rng.uniform(0, 600, n), wait), np.inf)
    owner = _assign_owners(rng, lead.region)
    touched = rng.random(n) >= OWNER_NEVER[owner]
    response = _lognormal(rng, OWNER_RESPONSE_H[owner] * HOUR, OWNER_RESPONSE_SIGMA[owner], n)
    first_touch = np.where(touched, mql + np.maximum(response, 20.0), np.inf)
    # Fast answers qualify more often (the lead-response studies in METRICS.md).
    speed = np.select([response < 300, response < HOUR, response < DAY], [1.25, 1.12, 1.0], 0.75)
    u = rng.random(n)
    p_accept = np.minimum(SAL_RATE[ch] * speed, 0.97)
    accepted = np.isfinite(first_touch) & (u < p_accept)
    rejected = np.isfinite(first_touch) & ~accepted & (u < p_accept + (1 - p_accept) * 0.7)
    sal = np.where(accepted, first_touch + _lognormal(rng, DAY, 1.0, n), np.inf)
    rej = np.where(rejected, first_touch + _lognormal(rng, 2 * DAY, 1.0, n), np.inf)
    is_sql = rng.random(n) < np.minimum(SQL_RATE[ch] * SEG_SQL[seg] * speed, 0.95)
    sql = np.where(is_sql, sal + _lognormal(rng, SQL_DELAY_DAYS[seg] * DAY, 0.9, n), np.inf)
    deal_at = np.where(rng.random(n) < 0.92, sql + rng.uniform(0, 3 * DAY, n), np.inf)
    mql, first_touch, sal, rej, sql, deal_at = map(_cut, (mql, first_touch, sal, rej, sql, deal_at))
    # Real CRMs skip stages: some SQLs have no SAL date, some SALs no MQL date.
    sal = np.where(np.isfinite(sql) & (rng.random(n) < 0.04), np.inf, sal)
    mql = np.where(np.isfinite(sal) & (rng.random(n) < 0.03), np.inf, mql)
    lead.mql, lead.sal, lead.sql, lead.rejected, lead.deal_at = mql, sal, sql, rej, deal_at
    lead.first_touch = first_touch
    lead.owner = np.where(is_mql, owner, -1)
    lead.reason = np.where(np.isfinite(rej), _pick_rows(rng, REJECT_MIX[ch]), -1)
    quality = 10 * np.log(MQL_RATE[ch] / MQL_RATE.mean())
    score = 22 + quality + 30 * is_mql + 18 * np.isfinite(sql) + 9 * rng.standard_normal(n)
    lead.score = np.clip(np.round(score), 0, 100).astype(np.int32)


def _assign_owners(rng: np.random.Generator, region: np.ndarray) -> np.ndarray:
    """Round-robin-like routing inside each region's team."""
    owner = np.zeros(len(region), dtype=np.int64)
    for r in range(len(REGIONS)):
        rows = np.flatnonzero(region == r)
        team = np.flatnonzero(r == OWNER_REGION)
        owner[rows] = team[rng.integers(0, len(team), len(rows))]
    return owner


def _lead_status(lead: Leads) -> np.ndarray:
    """Index into LEAD_STATUSES."""
    return np.select(
        [
            lead.deal >= 0,
            np.isfinite(lead.rejected),
            np.isfinite(lead.sql),
            np.isfinite(lead.sal) | np.isfinite(lead.first_touch),
        ],
        [4, 3, 2, 1],
        0,
    )


def _deals(rng: np.random.Generator, lead: Leads) -> Deals:
    """One opportunity per converted SQL, numbered in creation order."""
    rows = np.flatnonzero(np.isfinite(lead.deal_at))
    rows = rows[np.argsort(lead.deal_at[rows], kind="stable")]
    n, seg, ch = len(rows), lead.segment[rows], lead.channel[rows]
    lead.deal = np.full(len(lead.created), -1, dtype=np.int64)
    lead.deal[rows] = np.arange(n)
    product = _pick_rows(rng, PRODUCT_BY_SEGMENT[seg])
    amount = _lognormal(rng, AMOUNT_MEDIAN[seg] * PRODUCT_PRICE[product], AMOUNT_SIGMA[seg], n)
    amount = np.maximum(np.round(amount / 50) * 50, 500.0)
    margin_pct = PRODUCT_MARGIN[product] + SEGMENT_MARGIN[seg] + 0.03 * rng.standard_normal(n)
    competitors = _deal_competitors(rng, seg)
    odds = WIN_ODDS[ch] * SEG_WIN_ODDS[seg]
    for slot in competitors.T:
        odds = odds * np.where(slot >= 0, COMPETITOR_WIN_ODDS[np.maximum(slot, 0), seg], 1.0)
    deals = Deals(
        lead=rows,
        created=lead.deal_at[rows],
        product=product,
        amount=amount,
        margin=np.round(amount * np.clip(margin_pct, 0.3, 0.95), 2),
        competitors=competitors,
        won=rng.random(n) < odds / (1 + odds),
    )
    _settle_deals(rng, deals, seg)
    return deals


def _deal_competitors(rng: np.random.Generator, seg: np.ndarray) -> np.ndarray:
    """0-3 distinct competitors per deal (Gumbel top-k on segment presence weights)."""
    count = _pick_rows(rng, N_COMPETITORS_BY_SEGMENT[seg])
    keys = np.log(COMPETITOR_PRESENCE[:, seg].T) + rng.gumbel(size=(len(seg), len(COMPETITORS)))
    top = np.argsort(-keys, axis=1, kind="stable")[:, :3]
    return np.where(np.arange(3)[None, :] < count[:, None], top, -1)


def _settle_deals(rng: np.random.Generator, deals: Deals, seg: np.ndarray) -> None:
    """Walk each deal through the stages, then apply the export moment: deals not closed
    by then are open, and a few stalled ones stopped moving with a past close date."""
    n = len(deals.lead)
    days = _lognormal(rng, STAGE_DAYS[seg], 0.6, (n, 4)) * DAY + 3 * HOUR
    enter = deals.created[:, None] + np.cumsum(days, axis=1) - days  # entry into stage k
    lost_at = _pick(rng, LOST_AT, n)
    lost_time = enter[np.arange(n), lost_at] + days[np.arange(n), lost_at] * rng.uniform(
        0.3, 1.0, n
    )
    closed = np.where(deals.won, enter[:, 3] + days[:, 3], lost_time)
    last = np.where(deals.won, 3, lost_at)
    stalled = (rng.random(n) < 0.05) & (deals.created < END - 90 * DAY)
    last = np.where(stalled, np.minimum(last, rng.integers(0, 4, n)), last)
    deals.is_closed = (closed <= END) & ~stalled
    reached = _cut(np.where(np.arange(4)[None, :] <= last[:, None], enter, np.inf))
    current = np.isfinite(reached).sum(axis=1) - 1
    deals.stage = np.where(deals.is_closed, np.where(deals.won, 4, 5), current)
    close_col = np.where(deals.is_closed, closed, np.inf)[:, None]
    deals.enter = np.concatenate([reached, close_col], axis=1)
    # Open deals expect to close in the future, except stalled ones (past due). An expected
    # close is a date (Salesforce's CloseDate has no time): midnight UTC.
    expected = np.where(stalled, closed, np.maximum(closed, END + DAY))
    deals.closed = np.where(deals.is_closed, closed, np.floor(expected / DAY) * DAY)
    has_competitor = (deals.competitors >= 0).any(axis=1).astype(int)
    lost = deals.is_closed & ~deals.won
    deals.loss_reason = np.where(lost, _pick_rows(rng, LOSS_MIX[has_competitor]), -1)


def _touchpoints(rng: np.random.Generator, lead: Leads, camps: Campaigns) -> dict[str, Any]:
    """Anonymous touches before creation, the creation touch (the lead's source), and
    nurture touches after it: for converting leads mostly before the opportunity."""
    n = len(lead.created)
    journey = np.where(lead.deal >= 0, 2, np.where(np.isfinite(lead.mql), 1, 0))
    n_pre = np.where(rng.random(n) < 0.45, 0, 1 + rng.poisson(1.2, n))
    pre = np.repeat(np.arange(n), n_pre)
    pre_t = lead.created[pre] - np.minimum(rng.exponential(12 * DAY, len(pre)), 120 * DAY)
    tie = np.flatnonzero(_starts(pre))
    tie = tie[rng.random(len(tie)) < 0.05]
    pre_t[tie] = lead.created[pre[tie]]  # ad click and form fill in the same second
    post = np.repeat(np.arange(n), rng.poisson(POST_TOUCHES[journey]))
    post_t = _post_touch_times(rng, lead, post)
    lead_ix = np.concatenate([pre, np.arange(n), post])
    t = np.floor(np.concatenate([pre_t, lead.created, post_t]))
    role = np.repeat(np.array([0, 1, 2], dtype=np.int8), [len(pre), n, len(post)])
    keep = np.flatnonzero(t <= END)
    order = keep[np.lexsort((role[keep], t[keep], lead_ix[keep]))]
    lead_ix, t, role = lead_ix[order], t[order], role[order]
    source = lead.channel[lead_ix]
    p_source = np.where(_starts(lead_ix), 0.6, 0.3)  # first touch: often the source
    channel = np.where(rng.random(len(t)) < p_source, source, _pick(rng, TOUCH_MIX, len(t)))
    channel = np.where(role == 1, source, channel)
    kind = _pick_rows(rng, KIND_BY_CHANNEL[channel])
    kind = np.where(role == 1, np.where(channel == 4, 2, 3), kind)  # creation: event or form
    campaign = np.where(role == 1, lead.campaign[lead_ix], _campaign_at(rng, camps, channel, t))
    return {"lead": lead_ix, "t": _ts(t), "channel": channel, "kind": kind, "campaign": campaign}


def _post_touch_times(rng: np.random.Generator, lead: Leads, post: np.ndarray) -> np.ndarray:
    m = len(post)
    created, conv = lead.created[post], lead.deal_at[post]
    converting = np.isfinite(conv)
    before = created + rng.random(m) * np.where(converting, conv - created, 0)
    after = np.where(converting, conv, created) + rng.exponential(1.0, m) * np.where(
        converting, 20 * DAY, 45 * DAY
    )
    return np.where(converting & (rng.random(m) < 0.88), before, after)


def _activities(rng: np.random.Generator, lead: Leads, deals: Deals) -> dict[str, Any]:
    """Each worked lead's first sales touch and follow-ups, and work on deals."""
    touched = np.flatnonzero(np.isfinite(lead.first_touch))
    first_t = lead.first_touch[touched]
    follow = np.repeat(touched, rng.poisson(np.where(np.isfinite(lead.sal[touched]), 2.5, 1.2)))
    follow_t = lead.first_touch[follow] + np.maximum(rng.exponential(4 * DAY, len(follow)), 60.0)
    per_deal = rng.poisson(np.array([4.0, 6.0, 9.0])[lead.segment[deals.lead]])
    on_deal = np.repeat(np.arange(len(deals.lead)), per_deal)
    until = np.where(deals.is_closed, deals.closed, END)[on_deal]
    deal_t = deals.created[on_deal] + rng.random(len(on_deal)) * (until - deals.created[on_deal])
    t = np.floor(np.concatenate([first_t, follow_t, deal_t]))
    lead_ix = np.concatenate([touched, follow, np.full(len(on_deal), -1)])
    deal_ix = np.concatenate([np.full(len(touched) + len(follow), -1), on_deal])
    owner = lead.owner[np.concatenate([touched, follow, deals.lead[on_deal]])]
    first_kind = (rng.random(len(touched)) >= 0.55).astype(np.int64)  # call or email
    later_kind = _pick(rng, np.array([0.35, 0.45, 0.20]), len(follow) + len(on_deal))
    kind = np.concatenate([first_kind, later_kind])
    keep = np.flatnonzero(t <= END)
    order = keep[np.lexsort((deal_ix[keep], lead_ix[keep], t[keep]))]
    return {
        "t": _ts(t[order]),
        "lead": lead_ix[order],
        "deal": deal_ix[order],
        "kind": kind[order],
        "owner": owner[order],
    }


def _spend(rng: np.random.Generator, lead: Leads, camps: Campaigns) -> dict[str, Any]:
    """Monthly spend per paid campaign: about cost-per-lead times the leads it brought,
    with a floor, since budgets are committed before the leads arrive."""
    n_camp = len(camps.name)
    has = lead.campaign >= 0
    key = lead.campaign[has] * N_MONTHS + _months(lead.created[has]) - _months(np.array([START]))
    counts = np.bincount(key, minlength=n_camp * N_MONTHS).reshape(n_camp, N_MONTHS)
    bounds = (FIRST_MONTH + np.arange(N_MONTHS + 1)).astype("datetime64[s]").astype(np.int64)
    active = (camps.start[:, None] < bounds[None, 1:]) & (camps.end[:, None] >= bounds[None, :-1])
    camp, month = np.nonzero(active & (COST_PER_LEAD[camps.channel] > 0)[:, None])
    channel = camps.channel[camp]
    leads = counts[camp, month].astype(float)
    totals = np.bincount(channel, weights=leads, minlength=len(CHANNELS))
    typical = totals / np.maximum(np.bincount(channel, minlength=len(CHANNELS)), 1)
    amount = COST_PER_LEAD[channel] * np.maximum(leads, 0.5 * typical[channel])
    amount = np.maximum(amount * _lognormal(rng, 1.0, 0.2, len(camp)), 50.0)
    return {
        "campaign": camp,
        "channel": channel,
        "month": bounds[month].view("datetime64[s]"),
        "amount": np.round(amount, 2),
    }


def _forecasts(rng: np.random.Generator, lead: Leads, deals: Deals) -> dict[str, Any]:
    """Start-of-quarter forecasts: bookings per sales owner, leads for marketing."""
    nq = len(QUARTERS)
    won = np.flatnonzero(deals.is_closed & deals.won)
    q = _quarter_index(deals.closed[won])
    ok = (q >= 0) & (q < nq)
    actual = np.zeros((len(OWNERS), nq))
    np.add.at(actual, (lead.owner[deals.lead[won]][ok], q[ok]), deals.amount[won][ok])
    # Forecasts follow the actuals loosely around the owner's run rate; over complete
    # quarters `level` sums to the actuals, so each owner's bias is their bias factor.
    # The current quarter, one month old at export, gets the recent run rate.
    run_rate = actual[:, :-1].mean(axis=1, keepdims=True)
    level = 0.6 * actual + 0.4 * run_rate
    level[:, -1] = actual[:, -5:-1].mean(axis=1)
    noise = np.exp(OWNER_NOISE[:, None] * rng.standard_normal(actual.shape))
    # Lumpy quarters would let noise masquerade as bias: mostly centre it on the owner's
    # total, so each owner's bias stays near their factor.
    weight = level[:, :-1].sum(axis=1)
    spread = (level[:, :-1] * noise[:, :-1]).sum(axis=1) / np.where(weight > 0, weight, 1.0)
    noise[:, :-1] /= np.where(weight > 0, spread, 1.0)[:, None] ** 0.8
    bookings = np.round(OWNER_BIAS[:, None] * level * noise, -2)
    lq = _quarter_index(lead.created)
    lead_actual = np.bincount(lq[(lq >= 0) & (lq < nq)], minlength=nq).astype(float)
    lead_actual[-1] *= 92 / 31
    lead_fc = np.round(1.05 * lead_actual * np.exp(0.08 * rng.standard_normal(nq)))
    n_owners = len(OWNERS) + 1  # + marketing
    q_start = np.array([_epoch(f"{p[:4]}-{3 * int(p[-1]) - 2:02d}-01") for p in QUARTERS])
    submitted = q_start[None, :] + rng.integers(0, 3, (n_owners, nq)) * int(DAY)
    submitted = submitted + rng.integers(8 * int(HOUR), 18 * int(HOUR), submitted.shape)
    return {
        "period": np.tile(np.arange(nq), n_owners),
        "owner": np.repeat(np.arange(n_owners), nq),
        "value": np.concatenate([bookings.ravel(), lead_fc]),
        "t": submitted.ravel().view("datetime64[s]"),
    }


def _targets(lead: Leads, deals: Deals, spend: dict[str, Any]) -> dict[str, Any]:
    """Targets per quarter near the run rate of the complete quarters. No draws, so every
    other table stays as it is. A plan follows the expected volume of its quarters (growth,
    seasons, the channel mix) and is, over the complete quarters, a fixed factor times the
    actuals: who is ahead of plan and who behind does not depend on the size of the sample."""
    nq = len(QUARTERS)
    days = np.arange(_epoch("2024-10-01"), PLAN_END, DAY)  # QUARTERS, day by day
    mix = _channel_mix(days)
    volume = _day_weight(days)[:, None] * mix / mix.sum(axis=1, keepdims=True)
    expected = np.stack(  # expected leads per channel and quarter
        [np.bincount(_quarter_index(days), volume[:, c], nq) for c in range(len(CHANNELS))]
    )
    rows: list[tuple[int, int, int, int, int, float]] = []

    def add(metric: str, team: str, values: np.ndarray, owner: int = -1, channel: int = -1) -> None:
        code, team_code = TARGET_METRICS.index(metric), TEAMS.index(team)
        rows.extend((code, q, owner, team_code, channel, float(v)) for q, v in enumerate(values))

    def actual(t: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        """Per quarter: how many of the times ``t`` (or the sum of their weights)."""
        ok = np.isfinite(t)
        q = _quarter_index(t[ok])
        inside = (q >= 0) & (q < nq)
        w = None if weights is None else weights[ok][inside]
        return np.bincount(q[inside], w, nq).astype(float)

    def plan(per_quarter: np.ndarray, shape: np.ndarray, factor: float, unit: float) -> np.ndarray:
        """``factor`` times the complete quarters' total, spread over every quarter like
        ``shape``, rounded to ``unit`` so that the running total stays within half a unit
        of the exact one (a small plan's quarter may round to 0, its total does not)."""
        spread = factor * per_quarter[:-1].sum() * shape / shape[:-1].sum()
        return np.diff(np.round(np.cumsum(spread) / unit) * unit, prepend=0.0)

    def worth(t: np.ndarray, amount: np.ndarray) -> np.ndarray:
        """Expected amount per quarter: each channel's expected leads times the amount
        per lead it brought in the complete quarters (a growing channel may bring less)."""
        channel = lead.channel[deals.lead]
        per_channel = [actual(t[channel == c], amount[channel == c]) for c in range(len(CHANNELS))]
        per_lead = np.stack(per_channel)[:, :-1].sum(axis=1) / expected[:, :-1].sum(axis=1)
        shape = per_lead @ expected
        return shape if shape[:-1].sum() > 0 else expected.sum(axis=0)

    won = deals.is_closed & deals.won
    bookings = worth(np.where(won, deals.closed, np.inf), deals.amount)
    for o, stretch in enumerate(OWNER_QUOTA_STRETCH):
        mine = won & (lead.owner[deals.lead] == o)
        quota = plan(actual(deals.closed[mine], deals.amount[mine]), bookings, stretch, 1_000)
        add("bookings", "sales", quota, owner=o)
    for c in range(len(CHANNELS)):
        in_channel = lead.channel == c
        for metric, at in (("leads", lead.created), ("mqls", lead.mql)):
            per_quarter = actual(at[in_channel])
            if per_quarter[:-1].sum() > 0:  # no leads (or MQLs), no plan
                target = plan(per_quarter, expected[c], CHANNEL_PLAN[c], 1)
                add(metric, "marketing", target, channel=c)
    created = actual(deals.created, deals.amount)
    pipeline = plan(created, worth(deals.created, deals.amount), PIPELINE_STRETCH, 1_000)
    add("pipeline", "marketing", pipeline)
    # CAC: marketing spend per new customer (deal won) over the complete quarters.
    spent = actual(spend["month"].astype(np.int64).astype(float), spend["amount"])[:-1].sum()
    customers = max(actual(deals.closed[won])[:-1].sum(), 1.0)
    add("cac", "marketing", np.full(nq, max(np.round(spent / customers, -2), 100.0)))
    for metric, team, value in RATE_TARGETS:
        add(metric, team, np.full(nq, value))
    columns = ("metric_ix", "period_ix", "owner_ix", "team_ix", "channel_ix", "value")
    by_column = zip(*rows, strict=True)
    return {name: np.array(column) for name, column in zip(columns, by_column, strict=True)}


# --- writing -----------------------------------------------------------------------------------
# One static SELECT per table: codes become labels through list parameters, ids get their
# prefix and zero padding (width as a parameter), NaT becomes NULL.
SQL = {
    "leads": """
        select 'L' || lpad(id::varchar, $w, '0') as lead_id, created::timestamp as created_at,
            $channels[channel + 1] as source,
            case when campaign >= 0 then 'CMP' || lpad((campaign + 1)::varchar, 4, '0') end
                as campaign_id,
            $segments[segment + 1] as segment, $regions[region + 1] as region,
            score::integer as score, $statuses[status + 1] as status,
            mql::timestamp as mql_at, sal::timestamp as sal_at, sql::timestamp as sql_at,
            rejected::timestamp as rejected_at, $reasons[reason + 1] as reject_reason,
            first_touch::timestamp as first_touch_at, $owners[owner + 1] as owner,
            case when deal >= 0 then 'D' || lpad((deal + 1)::varchar, $dw, '0') end
                as converted_deal_id,
            case when account >= 0 then 'AC' || lpad((account + 1)::varchar, $aw, '0') end
                as account_id
        from leads order by id""",
    "touchpoints": """
        select 'T' || lpad(id::varchar, $w, '0') as touchpoint_id,
            'L' || lpad((lead + 1)::varchar, $lw, '0') as lead_id, t::timestamp as touched_at,
            $channels[channel + 1] as channel,
            case when campaign >= 0 then 'CMP' || lpad((campaign + 1)::varchar, 4, '0') end
                as campaign_id,
            $kinds[kind + 1] as kind
        from touchpoints order by id""",
    "activities": """
        select 'A' || lpad(id::varchar, $w, '0') as activity_id,
            case when lead >= 0 then 'L' || lpad((lead + 1)::varchar, $lw, '0') end as lead_id,
            case when deal >= 0 then 'D' || lpad((deal + 1)::varchar, $dw, '0') end as deal_id,
            t::timestamp as at, $kinds[kind + 1] as kind, $owners[owner + 1] as owner
        from activities order by id""",
    "deals": """
        select 'D' || lpad(id::varchar, $w, '0') as deal_id,
            'AC' || lpad((account + 1)::varchar, $aw, '0') as account_id,
            'L' || lpad((lead + 1)::varchar, $lw, '0') as lead_id,
            created::timestamp as created_at, closed::timestamp as closed_at,
            $stages[stage + 1] as stage, amount::decimal(18, 2) as amount,
            margin::decimal(18, 2) as margin, is_closed, is_won, $owners[owner + 1] as owner,
            $segments[segment + 1] as segment, $channels[channel + 1] as source,
            $products[product + 1] as product, $reasons[loss + 1] as loss_reason
        from deals order by id""",
    "stage_history": """
        select 'D' || lpad((deal + 1)::varchar, $dw, '0') as deal_id,
            $stages[stage + 1] as stage, t::timestamp as entered_at
        from stage_history order by deal, t, stage""",
    "deal_competitors": """
        select 'D' || lpad((deal + 1)::varchar, $dw, '0') as deal_id,
            $competitors[competitor + 1] as competitor, $notes[note + 1] as notes
        from deal_competitors order by deal, competitor""",
    "campaigns": """
        select 'CMP' || lpad(id::varchar, 4, '0') as campaign_id, $names[id] as name,
            $channels[channel + 1] as channel, start_day::date as start_date,
            end_day::date as end_date
        from campaigns order by id""",
    "spend": """
        select 'CMP' || lpad((campaign + 1)::varchar, 4, '0') as campaign_id,
            $channels[channel + 1] as channel, month::date as month,
            amount::decimal(18, 2) as amount
        from spend order by campaign, month""",
    "forecasts": """
        select $periods[period + 1] as period, $owners[owner + 1] as owner,
            case when owner < $n_sales then 'sales' else 'marketing' end as team,
            case when owner < $n_sales then 'bookings' else 'leads' end as metric,
            value::double as forecast_value, t::timestamp as submitted_at
        from forecasts order by period, owner""",
    "targets": """
        select $metrics[metric_ix + 1] as metric, $periods[period_ix + 1] as period,
            $owners[owner_ix + 1] as owner, $teams[team_ix + 1] as team,
            null::varchar as segment, $channels[channel_ix + 1] as channel,
            value::double as value
        from targets order by period, team, metric, owner, channel""",
    "accounts": """
        select 'AC' || lpad(id::varchar, $w, '0') as account_id,
            $first[n1 + 1] || ' ' || $second[n2 + 1] || ' ' || $suffix[n3 + 1] as name,
            $segments[segment + 1] as segment, $industries[industry + 1] as industry,
            $regions[region + 1] as region, employees::integer as employees, in_tam
        from accounts order by id""",
}


def _simulate(rng: np.random.Generator, n_leads: int) -> dict[str, dict[str, np.ndarray]]:
    """All tables as numpy columns (codes and epoch seconds), in contract order."""
    accounts = _accounts(rng, max(60, n_leads // 3))
    camps = _campaigns()
    lead = _leads(rng, n_leads, accounts, camps)
    _funnel(rng, lead)
    deals = _deals(rng, lead)
    # A few never-converted leads signed up without a company.
    no_company = (lead.deal < 0) & (rng.random(n_leads) < 0.02)
    lead.account = np.where(no_company, -1, lead.account)
    frames = {
        "leads": _lead_frame(lead),
        "touchpoints": numbered(_touchpoints(rng, lead, camps)),
        "activities": numbered(_activities(rng, lead, deals)),
        "deals": _deal_frame(lead, deals),
        "stage_history": _stage_history_frame(deals),
        "deal_competitors": _competitor_frame(rng, deals),
        "campaigns": _campaign_frame(camps),
        "spend": _spend(rng, lead, camps),
        "forecasts": _forecasts(rng, lead, deals),
    }
    # In contract order; the targets (no draws) read the spend above.
    frames["targets"] = _targets(lead, deals, frames["spend"])
    frames["accounts"] = _account_frame(accounts)
    return frames


def numbered(frame: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {"id": np.arange(1, len(next(iter(frame.values()))) + 1)} | frame


def _lead_frame(lead: Leads) -> dict[str, np.ndarray]:
    return {
        "id": np.arange(1, len(lead.created) + 1),
        "created": _ts(lead.created),
        "channel": lead.channel,
        "campaign": lead.campaign,
        "segment": lead.segment,
        "region": lead.region,
        "score": lead.score,
        "status": _lead_status(lead),
        "mql": _ts(lead.mql),
        "sal": _ts(lead.sal),
        "sql": _ts(lead.sql),
        "rejected": _ts(lead.rejected),
        "reason": lead.reason,
        "first_touch": _ts(lead.first_touch),
        "owner": lead.owner,
        "deal": lead.deal,
        "account": lead.account,
    }


def _deal_frame(lead: Leads, deals: Deals) -> dict[str, np.ndarray]:
    rows = deals.lead
    return {
        "id": np.arange(1, len(rows) + 1),
        "account": lead.account[rows],
        "lead": rows,
        "created": _ts(deals.created),
        "closed": _ts(deals.closed),
        "stage": deals.stage,
        "amount": deals.amount,
        "margin": deals.margin,
        "is_closed": deals.is_closed,
        "is_won": deals.is_closed & deals.won,
        "owner": lead.owner[rows],
        "segment": lead.segment[rows],
        "channel": lead.channel[rows],
        "product": deals.product,
        "loss": deals.loss_reason,
    }


def _stage_history_frame(deals: Deals) -> dict[str, np.ndarray]:
    deal, col = np.nonzero(np.isfinite(deals.enter))
    # The last column is the close: closed_won or closed_lost by outcome.
    stage = np.where(col == 4, np.where(deals.won[deal], 4, 5), col)
    return {"deal": deal, "stage": stage, "t": _ts(deals.enter[deal, col])}


def _competitor_frame(rng: np.random.Generator, deals: Deals) -> dict[str, np.ndarray]:
    deal, slot = np.nonzero(deals.competitors >= 0)
    note = np.where(rng.random(len(deal)) < 0.3, -1, rng.integers(0, len(NOTES), len(deal)))
    return {"deal": deal, "competitor": deals.competitors[deal, slot], "note": note}


def _campaign_frame(camps: Campaigns) -> dict[str, np.ndarray]:
    return {
        "id": np.arange(1, len(camps.name) + 1),
        "channel": camps.channel,
        "start_day": camps.start.view("datetime64[s]"),
        "end_day": camps.end.view("datetime64[s]"),
    }


def _account_frame(accounts: Accounts) -> dict[str, np.ndarray]:
    return {
        "id": np.arange(1, len(accounts.segment) + 1),
        "n1": accounts.name[:, 0],
        "n2": accounts.name[:, 1],
        "n3": accounts.name[:, 2],
        "segment": accounts.segment,
        "industry": accounts.industry,
        "region": accounts.region,
        "employees": accounts.employees,
        "in_tam": accounts.in_tam,
    }


def _width(n: int) -> int:
    return max(6, len(str(n)))


def _params(rows: dict[str, int], campaign_names: list[str]) -> dict[str, dict[str, Any]]:
    """SQL parameters per table: label lists and id widths."""
    lw, dw, aw = _width(rows["leads"]), _width(rows["deals"]), _width(rows["accounts"])
    owners = [*OWNER_NAMES, MARKETING]
    return {
        "leads": {
            "w": lw,
            "dw": dw,
            "aw": aw,
            "channels": CHANNELS,
            "segments": SEGMENTS,
            "regions": REGIONS,
            "statuses": LEAD_STATUSES,
            "reasons": REJECT_REASONS,
            "owners": OWNER_NAMES,
        },
        "touchpoints": {
            "w": _width(rows["touchpoints"]),
            "lw": lw,
            "channels": CHANNELS,
            "kinds": KINDS,
        },
        "activities": {
            "w": _width(rows["activities"]),
            "lw": lw,
            "dw": dw,
            "kinds": ACTIVITY_KINDS,
            "owners": OWNER_NAMES,
        },
        "deals": {
            "w": dw,
            "lw": lw,
            "aw": aw,
            "stages": list(DEAL_STAGES),
            "owners": OWNER_NAMES,
            "segments": SEGMENTS,
            "channels": CHANNELS,
            "products": PRODUCTS,
            "reasons": LOSS_REASONS,
        },
        "stage_history": {"dw": dw, "stages": list(DEAL_STAGES)},
        "deal_competitors": {"dw": dw, "competitors": COMPETITORS, "notes": NOTES},
        "campaigns": {"names": campaign_names, "channels": CHANNELS},
        "spend": {"channels": CHANNELS},
        "forecasts": {"periods": QUARTERS, "owners": owners, "n_sales": len(OWNER_NAMES)},
        "targets": {
            "metrics": TARGET_METRICS,
            "periods": QUARTERS,
            "owners": OWNER_NAMES,
            "teams": TEAMS,
            "channels": CHANNELS,
        },
        "accounts": {
            "w": aw,
            "first": NAME_FIRST,
            "second": NAME_SECOND,
            "suffix": NAME_SUFFIX,
            "segments": SEGMENTS,
            "industries": INDUSTRIES,
            "regions": REGIONS,
        },
    }


SAMPLE_FORMATS = ("native", "hubspot", "salesforce")


def generate_sample_data(
    out_dir: Path, *, leads: int = 20_000, seed: int = 7, format: str = "native"
) -> dict[str, int]:
    """Write the sample exports into `out_dir`; return rows per table (native) or per file.

    `native` writes `<table>.csv` for every contract table; `hubspot` and `salesforce`
    write the same rows as that CRM's export files (see `sample_exports`), plus native
    `spend.csv`, `forecasts.csv` and `targets.csv`. The same `leads` and `seed` give
    byte-identical files: the data is anchored to a fixed export moment (2026-10-31), not
    to today.
    """
    if leads < 1:
        raise ValueError(f"leads must be at least 1, got {leads}")
    if format not in SAMPLE_FORMATS:
        raise ValueError(f"format must be one of {', '.join(SAMPLE_FORMATS)}, got {format!r}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    frames = _simulate(np.random.default_rng(seed), leads)
    rows = {name: len(next(iter(frame.values()))) for name, frame in frames.items()}
    params = _params(rows, _campaigns().name)
    con = duckdb.connect()
    try:
        con.execute("set enable_progress_bar = false")  # a library: stay quiet
        for name in list(frames):
            con.register(name, frames.pop(name))  # popped: memory goes with the table
            relation = con.sql(SQL[name], params=params[name])
            if tuple(relation.columns) != TABLES_BY_NAME[name].column_names:
                raise RuntimeError(f"sample {name} columns differ from the contract")
            if format == "native":
                relation.write_csv(str(out_dir / f"{name}.csv"), header=True)
            else:
                relation.create(f"{name}_contract")
            con.unregister(name)
        if format != "native":
            from revpages.commands.sample_exports import write_exports

            for name in rows:
                con.execute(f"ALTER TABLE {name}_contract RENAME TO {name}")
            return write_exports(con, out_dir, format)
    finally:
        con.close()
    return rows
