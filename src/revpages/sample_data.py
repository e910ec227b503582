"""Deterministic, realistic sample CRM exports: one CSV per contract table.

Everything is drawn from one seeded numpy generator and anchored to a fixed end date
(never the wall clock), so the same seed and size give byte-identical files. Numpy does
the simulation in whole arrays; DuckDB formats ids, labels and timestamps and writes CSV.

Times are int64/float64 seconds since the Unix epoch (UTC). Inside the simulation a stage
that was never reached is `inf`; anything later than the data end is cut to "not yet".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np

from revpages.contract import DEAL_STAGES, TABLES_BY_NAME

DAY = 86_400.0
HOUR = 3_600.0
NAT = np.iinfo(np.int64).min  # viewed as datetime64 this is NaT, written as an empty field


def _epoch(day: str) -> int:
    return int(np.datetime64(day, "s").astype(np.int64))


START = _epoch("2024-05-01")  # first lead
END = _epoch("2026-11-01") - 1  # last second of 2026-10-31: the export moment
FIRST_MONTH = np.datetime64("2024-05", "M")
N_MONTHS = 30  # 2024-05 .. 2026-10
FORECAST_QUARTERS = [f"{y}-Q{q}" for y in (2024, 2025, 2026) for q in (1, 2, 3, 4)][3:]

# --- dimensions -------------------------------------------------------------------------
CHANNELS = [
    "paid_search", "paid_social", "organic", "email", "events", "partner", "direct", "content",
]  # fmt: skip
CHANNEL_SHARE = np.array([0.22, 0.17, 0.17, 0.09, 0.05, 0.05, 0.10, 0.15])
CHANNEL_TREND = np.array([0.0, 0.35, 0.05, 0.0, -0.08, 0.05, 0.0, 0.15])  # log-growth / year
# Lead quality differs a lot by channel: events and partners convert, paid social doesn't.
MQL_RATE = np.array([0.42, 0.20, 0.36, 0.30, 0.68, 0.62, 0.46, 0.24])
SAL_RATE = np.array([0.74, 0.50, 0.80, 0.68, 0.86, 0.88, 0.82, 0.58])
SQL_RATE = np.array([0.46, 0.26, 0.50, 0.40, 0.58, 0.66, 0.56, 0.34])
WIN_ODDS = np.array([0.36, 0.18, 0.45, 0.30, 0.52, 0.70, 0.50, 0.27])

SEGMENTS = ["smb", "mid_market", "enterprise"]
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
LOST_AT = np.array([0.35, 0.30, 0.20, 0.15])  # stage a lost deal drops out of

REGIONS = ["NA", "EMEA", "APAC", "LATAM"]
REGION_SHARE = np.array([0.45, 0.30, 0.15, 0.10])
REGION_HOUR_UTC = np.array([17.0, 11.0, 4.0, 16.0])  # middle of the local business day
INDUSTRIES = [
    "software", "financial_services", "healthcare", "manufacturing",
    "retail", "education", "public_sector", "media",
]  # fmt: skip
NAME_FIRST = [
    "Northwind", "Bluepeak", "Ironclad", "Silverline", "Brightwater", "Redwood", "Clearpath",
    "Stonebridge", "Lumen", "Harbor", "Summit", "Evergreen", "Pioneer", "Cobalt", "Granite",
    "Meridian", "Oakridge", "Polaris", "Quantum", "Riverbend", "Sterling", "Tidewater",
    "Vantage", "Westfield", "Müller", "Nordlicht", "São Paulo", "Smith & Sons", "O'Brien",
    "Zenith", "Aurora", "Beacon", "Crescent", "Driftwood", "Falcon", "Keystone",
]
NAME_SECOND = [
    "Logistics", "Systems", "Health", "Analytics", "Foods", "Capital", "Labs", "Retail",
    "Maschinenbau", "Energy", "Media", "Robotics", "Insurance", "Learning", "Works", "Bank",
]
NAME_SUFFIX = ["Inc.", "LLC", "GmbH", "Ltd", "S.A.", "Group", "Co.", "AG", "Pty Ltd", "SAS"]

PRODUCTS = ["core", "analytics", "enterprise_suite"]
PRODUCT_BY_SEGMENT = np.array([[0.75, 0.25, 0.0], [0.45, 0.35, 0.20], [0.15, 0.25, 0.60]])
PRODUCT_PRICE = np.array([1.0, 1.25, 1.6])
PRODUCT_MARGIN = np.array([0.84, 0.76, 0.63])  # the suite carries services: lower margin
SEGMENT_MARGIN = np.array([0.02, 0.0, -0.05])  # enterprise discounts
AMOUNT_MEDIAN = np.array([9_000.0, 42_000.0, 160_000.0])
AMOUNT_SIGMA = np.array([0.55, 0.6, 0.7])
LOSS_REASONS = ["price", "features", "no_decision", "timing", "competitor"]
LOSS_MIX = np.array([[0.28, 0.22, 0.32, 0.18, 0.0], [0.22, 0.18, 0.15, 0.10, 0.35]])

# Sales owners: territory, response median (hours), spread, share of MQLs never touched,
# forecast bias factor and noise. Jordan sandbags, Marcus is the optimist.
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
OWNER_NAMES = [o[0] for o in OWNERS]
OWNER_REGION = np.array([o[1] for o in OWNERS])
OWNER_RESPONSE_H = np.array([o[2] for o in OWNERS])
OWNER_RESPONSE_SIGMA = np.array([o[3] for o in OWNERS])
OWNER_NEVER = np.array([o[4] for o in OWNERS])
OWNER_BIAS = np.array([o[5] for o in OWNERS])
OWNER_NOISE = np.array([o[6] for o in OWNERS])

REJECT_REASONS = [
    "not_a_fit", "no_budget", "bad_contact_data", "student_or_job_seeker", "duplicate",
    "existing_customer",
]  # fmt: skip
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

COMPETITORS = [
    "Acme Revenue Cloud", "Pipewise", "FunnelForge", "Quotient CRM", "Brightlane", "Stackmetric",
]  # fmt: skip
COMPETITOR_PRESENCE = np.array(  # relative presence by segment (smb, mid, enterprise)
    [[0.8, 1.2, 1.6], [1.6, 0.9, 0.3], [1.0, 1.0, 0.8], [0.5, 1.0, 1.3], [0.7, 0.6, 0.4],
     [0.4, 0.7, 1.0]]
)  # fmt: skip
COMPETITOR_WIN_ODDS = np.array(  # our win odds multiplier when present, by segment
    [[0.9, 0.7, 0.45], [0.5, 0.9, 1.2], [1.0, 1.0, 1.0], [1.3, 0.6, 0.8], [1.5, 1.4, 1.3],
     [0.8, 0.8, 0.5]]
)  # fmt: skip
N_COMPETITORS_BY_SEGMENT = np.array(
    [[0.45, 0.38, 0.13, 0.04], [0.30, 0.42, 0.20, 0.08], [0.18, 0.40, 0.28, 0.14]]
)
NOTES = [
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
    "Our integrations with the data warehouse won the technical eval.",
    "Legal review of their DPA took weeks; ours passed in 2 days.",
    "Reference call with a peer customer made the difference.",
    "Decision moved to next fiscal year.",
    "@channel their new AI assistant came up in every call",
    "-20% multi-year discount on their side",
    "Came up late in the deal, only in the final negotiation.",
    "José from RevOps said their reporting is 'good enough'.",
]

# Marketing touches: which kinds each channel produces, and the mix used for nurture touches.
KINDS = ["ad_click", "email_click", "event", "form", "visit"]
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
TOUCH_MIX = np.array([0.16, 0.14, 0.13, 0.26, 0.03, 0.03, 0.12, 0.13])
POST_TOUCHES = np.array([5.0, 7.0, 8.5])  # mean touches after creation: lead, MQL, deal

# Campaign streams: (channel, stream name, months per campaign, share of the channel's leads)
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
ROADSHOW_CITIES = ["Chicago", "München", "São Paulo", "Sydney", "London", "Toronto"]
COST_PER_LEAD = np.array([180.0, 120.0, 0.0, 14.0, 450.0, 260.0, 0.0, 70.0])


# --- small helpers ----------------------------------------------------------------------
def _pick(rng: np.random.Generator, probs: np.ndarray, size: int) -> np.ndarray:
    """Categorical draw from one probability vector."""
    cum = np.cumsum(probs) / np.sum(probs)
    return np.minimum(np.searchsorted(cum, rng.random(size), side="right"), len(probs) - 1)


def _pick_rows(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """Categorical draw per row of a probability matrix."""
    cum = np.cumsum(probs, axis=1)
    u = rng.random(len(probs)) * cum[:, -1]
    return np.minimum((u[:, None] >= cum).sum(axis=1), probs.shape[1] - 1)


def _lognormal(rng: np.random.Generator, median: np.ndarray | float, sigma, size: int):
    return median * np.exp(sigma * rng.standard_normal(size))


def _cut(t: np.ndarray) -> np.ndarray:
    """Times after the export moment have not happened yet."""
    return np.where(t <= END, t, np.inf)


def _ts(t: np.ndarray) -> np.ndarray:
    """Simulation seconds (inf = never) to datetime64[s] with NaT for NULL."""
    out = np.full(len(t), NAT, dtype=np.int64)
    ok = np.isfinite(t)
    out[ok] = np.floor(t[ok]).astype(np.int64)
    return out.view("datetime64[s]")


def _month_index(t: np.ndarray) -> np.ndarray:
    months = np.floor(t).astype(np.int64).view("datetime64[s]").astype("datetime64[M]")
    return (months - FIRST_MONTH).astype(np.int64)


def _quarter_index(t: np.ndarray) -> np.ndarray:
    """Index into FORECAST_QUARTERS (may be out of range)."""
    months = np.floor(t).astype(np.int64).view("datetime64[s]").astype("datetime64[M]")
    m = months.astype(np.int64)  # months since 1970-01
    return (m // 3) - (2024 - 1970) * 4 - 3


def _segments_of(rows: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Position of each row inside its group, for rows sorted by group with given starts."""
    return np.arange(len(rows)) - offsets[rows]


# --- simulation ---------------------------------------------------------------------------
@dataclass
class Accounts:
    segment: np.ndarray
    region: np.ndarray
    industry: np.ndarray
    employees: np.ndarray
    in_tam: np.ndarray
    name: np.ndarray  # three codes per account


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
    account: np.ndarray
    campaign: np.ndarray
    score: np.ndarray | None = None
    owner: np.ndarray | None = None
    mql: np.ndarray | None = None
    sal: np.ndarray | None = None
    sql: np.ndarray | None = None
    rejected: np.ndarray | None = None
    reason: np.ndarray | None = None
    first_touch: np.ndarray | None = None
    deal_at: np.ndarray | None = None
    deal: np.ndarray | None = None


@dataclass
class Deals:
    lead: np.ndarray
    created: np.ndarray
    closed: np.ndarray
    stage: np.ndarray  # index into DEAL_STAGES
    is_closed: np.ndarray
    is_won: np.ndarray
    product: np.ndarray
    amount: np.ndarray
    margin: np.ndarray
    loss_reason: np.ndarray
    enter: np.ndarray  # (n, 5) entry time per open stage + close; inf = not entered
    competitors: np.ndarray  # (n, 3) competitor codes, -1 = none


def _accounts(rng: np.random.Generator, n: int) -> Accounts:
    segment = _pick(rng, np.array([0.62, 0.28, 0.10]), n)
    employees = _lognormal(rng, np.array([40.0, 600.0, 8_000.0])[segment], 0.8, n)
    bounds = np.array([[5, 199], [200, 1_999], [2_000, 250_000]])[segment]
    employees = np.clip(np.round(employees), bounds[:, 0], bounds[:, 1]).astype(np.int32)
    in_tam = rng.random(n) < np.array([0.80, 0.88, 0.95])[segment]
    name = np.stack(
        [
            rng.integers(0, len(NAME_FIRST), n),
            rng.integers(0, len(NAME_SECOND), n),
            rng.integers(0, len(NAME_SUFFIX), n),
        ],
        axis=1,
    )
    return Accounts(
        segment=segment,
        region=_pick(rng, REGION_SHARE, n),
        industry=_pick(rng, np.array([0.22, 0.16, 0.13, 0.14, 0.11, 0.08, 0.07, 0.09]), n),
        employees=employees,
        in_tam=in_tam,
        name=name,
    )


def _campaigns() -> Campaigns:
    """Consecutive campaigns per stream from the first lead month to past the export."""
    names, channel, start, end, stream = [], [], [], [], []
    last = np.datetime64("2026-12", "M")
    for s, (ch, title, months, _share) in enumerate(STREAMS):
        month = FIRST_MONTH
        while month <= last:
            nxt = month + months
            names.append(_campaign_name(title, month, months, len(names)))
            channel.append(ch)
            start.append(int(month.astype("datetime64[s]").astype(np.int64)))
            end.append(int(nxt.astype("datetime64[s]").astype(np.int64)) - 1)
            stream.append(s)
            month = nxt
    return Campaigns(names, np.array(channel), np.array(start), np.array(end), np.array(stream))


def _campaign_name(title: str, month: np.datetime64, months: int, i: int) -> str:
    label = str(month)
    if months == 6:
        label = f"{label[:4]} H{1 + (int(label[5:]) - 1) // 6}"
    elif months == 3:
        label = f"{label[:4]} Q{1 + (int(label[5:]) - 1) // 3}"
    if title == "Roadshow":
        return f"Roadshow {ROADSHOW_CITIES[i % len(ROADSHOW_CITIES)]} {label}"
    if title == "Trade show" and i % 4 == 0:
        return f"Trade show <RevOps & Growth> {label}"
    return f"{title} {label}"


def _campaign_at(
    rng: np.random.Generator, camps: Campaigns, channel: np.ndarray, t: np.ndarray
) -> np.ndarray:
    """An active campaign of the channel at time t (stream drawn by share), -1 if none."""
    out = np.full(len(t), -1, dtype=np.int64)
    stream_u = rng.random(len(t))
    for ch in range(len(CHANNELS)):
        ids = [s for s, row in enumerate(STREAMS) if row[0] == ch]
        if not ids:
            continue
        shares = np.cumsum([STREAMS[s][3] for s in ids])
        rows = np.flatnonzero(channel == ch)
        which = np.searchsorted(shares / shares[-1], stream_u[rows], side="right")
        for k, s in enumerate(ids):
            sel = rows[which == k]
            members = np.flatnonzero(camps.stream == s)
            pos = np.searchsorted(camps.start[members], t[sel], side="right") - 1
            ok = (pos >= 0) & (t[sel] <= camps.end[members[np.maximum(pos, 0)]])
            out[sel[ok]] = members[pos[ok]]
    return out


def _lead_days(rng: np.random.Generator, n: int) -> np.ndarray:
    """Creation day (epoch seconds) with growth, seasonality and a weekly rhythm."""
    days = np.arange(START, END + 1, DAY)
    d64 = days.astype(np.int64).view("datetime64[s]").astype("datetime64[D]")
    month = (d64.astype("datetime64[M]").astype(np.int64) % 12).astype(int)
    weekday = (d64.astype(np.int64) + 3) % 7  # 0 = Monday
    season = np.array([0.95, 1.0, 1.08, 1.0, 1.0, 0.95, 0.85, 0.66, 1.05, 1.22, 1.28, 1.02])
    week = np.array([1.12, 1.15, 1.12, 1.05, 0.92, 0.42, 0.45])
    holiday = ((month == 11) & (d64 - d64.astype("datetime64[M]") >= 22)) | (
        (month == 0) & (d64 - d64.astype("datetime64[M]") < 2)
    )
    growth = np.exp(0.42 * (days - START) / (365 * DAY))
    weight = growth * season[month] * week[weekday] * np.where(holiday, 0.35, 1.0)
    return np.sort(days[_pick(rng, weight, n)])


def _leads(rng: np.random.Generator, n: int, accounts: Accounts, camps: Campaigns) -> Leads:
    day = _lead_days(rng, n)
    years = ((day - START) / (365 * DAY))[:, None]
    channel = _pick_rows(rng, CHANNEL_SHARE * np.exp(CHANNEL_TREND * years))
    segment = _pick_rows(rng, SEGMENT_BY_CHANNEL[channel])
    account = _assign_accounts(rng, segment, accounts)
    region = np.where(account >= 0, accounts.region[np.maximum(account, 0)], 0)
    hour = (REGION_HOUR_UTC[region] + 2.6 * rng.standard_normal(n)) % 24
    created = np.minimum(day + np.floor(hour * HOUR), END)
    order = np.argsort(created, kind="stable")
    created, channel, segment, account, region = (
        a[order] for a in (created, channel, segment, account, region)
    )
    campaign = _campaign_at(rng, camps, channel, created)
    return Leads(created, channel, segment, region, account, campaign)


def _assign_accounts(rng: np.random.Generator, segment: np.ndarray, acc: Accounts) -> np.ndarray:
    """Leads go to ~70% of accounts (the rest of the market is never touched), skewed so
    that some accounts bring many contacts; enterprise accounts bring the most."""
    account = np.full(len(segment), -1, dtype=np.int64)
    active = rng.random(len(acc.segment)) < 0.7
    for s in range(len(SEGMENTS)):
        pool = np.flatnonzero(active & (acc.segment == s))
        rows = np.flatnonzero(segment == s)
        if len(pool) == 0:
            pool = np.flatnonzero(acc.segment == s)
        skew = (1.0 + s) * 0.6 + 1.0
        account[rows] = pool[(len(pool) * rng.random(len(rows)) ** skew).astype(np.int64)]
    return account


def _funnel(rng: np.random.Generator, lead: Leads) -> None:
    """MQL -> first sales touch -> accepted or rejected -> SQL -> opportunity."""
    n, ch, seg = len(lead.created), lead.channel, lead.segment
    is_mql = rng.random(n) < MQL_RATE[ch] * SEG_MQL[seg]
    instant = rng.random(n) < 0.35  # demo requests qualify on the spot
    delay = np.where(
        instant, rng.uniform(0, 600, n), np.minimum(_lognormal(rng, 3 * DAY, 1.2, n), 180 * DAY)
    )
    mql = np.where(is_mql, lead.created + delay, np.inf)
    owner = _assign_owners(rng, lead.region)
    touched = rng.random(n) >= OWNER_NEVER[owner]
    response = _lognormal(rng, OWNER_RESPONSE_H[owner] * HOUR, OWNER_RESPONSE_SIGMA[owner], n)
    first_touch = np.where(touched, mql + np.maximum(response, 20.0), np.inf)
    # Fast answers qualify more often (the lead-response studies).
    speed = np.select([response < 300, response < HOUR, response < DAY], [1.25, 1.12, 1.0], 0.75)
    u = rng.random(n)
    p_acc = np.minimum(SAL_RATE[ch] * speed, 0.97)
    accepted = np.isfinite(first_touch) & (u < p_acc)
    rejected = np.isfinite(first_touch) & ~accepted & (u < p_acc + (1 - p_acc) * 0.7)
    sal = np.where(accepted, first_touch + _lognormal(rng, DAY, 1.0, n), np.inf)
    rej = np.where(rejected, first_touch + _lognormal(rng, 2 * DAY, 1.0, n), np.inf)
    is_sql = rng.random(n) < np.minimum(SQL_RATE[ch] * SEG_SQL[seg] * speed, 0.95)
    sql = np.where(is_sql, sal + _lognormal(rng, SQL_DELAY_DAYS[seg] * DAY, 0.9, n), np.inf)
    has_deal = rng.random(n) < 0.92
    deal_at = np.where(has_deal, sql + rng.uniform(0, 3 * DAY, n), np.inf)
    mql, first_touch, sal, rej, sql, deal_at = map(_cut, (mql, first_touch, sal, rej, sql, deal_at))
    # Real CRMs skip stages: some SQLs never got a SAL date, some SALs no MQL date.
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
    owner = np.zeros(len(region), dtype=np.int64)
    for r in range(len(REGIONS)):
        rows = np.flatnonzero(region == r)
        team = np.flatnonzero(OWNER_REGION == r)
        owner[rows] = team[rng.integers(0, len(team), len(rows))]
    return owner


def _lead_status(lead: Leads) -> np.ndarray:
    """0 open, 1 working, 2 qualified, 3 rejected, 4 converted."""
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
    rows = np.flatnonzero(np.isfinite(lead.deal_at))
    rows = rows[np.argsort(lead.deal_at[rows], kind="stable")]
    n, seg, ch = len(rows), lead.segment[rows], lead.channel[rows]
    created = lead.deal_at[rows]
    lead.deal = np.full(len(lead.created), -1, dtype=np.int64)
    lead.deal[rows] = np.arange(n)
    product = _pick_rows(rng, PRODUCT_BY_SEGMENT[seg])
    amount = _lognormal(rng, AMOUNT_MEDIAN[seg] * PRODUCT_PRICE[product], AMOUNT_SIGMA[seg], n)
    amount = np.maximum(np.round(amount / 50) * 50, 500.0)
    gm = PRODUCT_MARGIN[product] + SEGMENT_MARGIN[seg] + 0.03 * rng.standard_normal(n)
    margin = np.round(amount * np.clip(gm, 0.3, 0.95), 2)
    competitors = _deal_competitors(rng, seg)
    odds = WIN_ODDS[ch] * SEG_WIN_ODDS[seg]
    for k in range(competitors.shape[1]):
        present = competitors[:, k] >= 0
        factor = COMPETITOR_WIN_ODDS[np.maximum(competitors[:, k], 0), seg]
        odds = odds * np.where(present, factor, 1.0)
    won = rng.random(n) < odds / (1 + odds)
    enter, closed, last = _deal_path(rng, created, seg, won)
    return _settle_deals(rng, rows, created, product, amount, margin, competitors, won, enter,
                         closed, last)  # fmt: skip


def _deal_competitors(rng: np.random.Generator, seg: np.ndarray) -> np.ndarray:
    """0-3 distinct competitors per deal (Gumbel top-k on segment presence weights)."""
    n = len(seg)
    count = _pick_rows(rng, N_COMPETITORS_BY_SEGMENT[seg])
    keys = np.log(COMPETITOR_PRESENCE[:, seg].T) + rng.gumbel(size=(n, len(COMPETITORS)))
    top = np.argsort(-keys, axis=1, kind="stable")[:, :3]
    return np.where(np.arange(3)[None, :] < count[:, None], top, -1)


def _deal_path(rng: np.random.Generator, created: np.ndarray, seg: np.ndarray, won: np.ndarray):
    """Entry time of each open stage, close time and last open stage reached."""
    n = len(created)
    days = _lognormal(rng, STAGE_DAYS[seg], 0.6, (n, 4)) * DAY + 3 * HOUR
    enter = created[:, None] + np.concatenate([np.zeros((n, 1)), np.cumsum(days, 1)[:, :3]], 1)
    lost_at = _pick(rng, LOST_AT, n)
    lost_time = enter[np.arange(n), lost_at] + days[np.arange(n), lost_at] * rng.uniform(
        0.3, 1.0, n
    )
    closed = np.where(won, enter[:, 3] + days[:, 3], lost_time)
    last = np.where(won, 3, lost_at)
    return enter, closed, last


def _settle_deals(rng, rows, created, product, amount, margin, competitors, won, enter, closed,
                  last) -> Deals:  # fmt: skip
    """Apply the export moment: deals not closed yet are open; a few are stalled."""
    n = len(rows)
    stalled = (rng.random(n) < 0.05) & (created < END - 90 * DAY)
    last = np.where(stalled, np.minimum(last, rng.integers(0, 4, n)), last)
    is_closed = (closed <= END) & ~stalled
    reached = np.where(np.arange(4)[None, :] <= last[:, None], enter, np.inf)
    reached = _cut(reached.ravel()).reshape(n, 4)
    current = np.isfinite(reached).sum(1) - 1
    stage = np.where(is_closed, np.where(won, 4, 5), current)
    close_col = np.where(is_closed, closed, np.inf)[:, None]
    # Past-due expected close dates on stalled deals are the "stalled" signal reports use.
    closed_at = np.where(is_closed | stalled, closed, np.maximum(closed, END + DAY))
    has_comp = (competitors >= 0).any(1).astype(int)
    loss = np.where(is_closed & ~won, _pick_rows(rng, LOSS_MIX[has_comp]), -1)
    return Deals(
        lead=rows,
        created=created,
        closed=closed_at,
        stage=stage,
        is_closed=is_closed,
        is_won=is_closed & won,
        product=product,
        amount=amount,
        margin=margin,
        loss_reason=loss,
        enter=np.concatenate([reached, close_col], 1),
        competitors=competitors,
    )


def _touchpoints(rng: np.random.Generator, lead: Leads, camps: Campaigns) -> dict:
    """Anonymous touches before creation, the creation touch, nurture touches after it;
    for deals mostly before the opportunity (the conversion), some after."""
    n = len(lead.created)
    has_deal = lead.deal >= 0
    stage = np.where(has_deal, 2, np.where(np.isfinite(lead.mql), 1, 0))
    n_pre = np.where(rng.random(n) < 0.45, 0, 1 + rng.poisson(1.2, n))
    n_post = rng.poisson(POST_TOUCHES[stage])
    pre = np.repeat(np.arange(n), n_pre)
    pre_t = lead.created[pre] - np.minimum(rng.exponential(12 * DAY, len(pre)), 120 * DAY)
    tie = np.flatnonzero(np.diff(np.concatenate([[-1], pre])) != 0)  # first pre row per lead
    tie = tie[rng.random(len(tie)) < 0.05]
    pre_t[tie] = lead.created[pre[tie]]  # ad click and form in the same second
    post = np.repeat(np.arange(n), n_post)
    post_t = _post_touch_times(rng, lead, post)
    lead_ix = np.concatenate([pre, np.arange(n), post])
    t = np.concatenate([pre_t, lead.created, post_t])
    role = np.concatenate([np.zeros(len(pre)), np.ones(n), np.full(len(post), 2)]).astype(np.int8)
    keep = t <= END
    lead_ix, t, role = lead_ix[keep], np.floor(t[keep]), role[keep]
    order = np.lexsort((role, t, lead_ix))
    lead_ix, t, role = lead_ix[order], t[order], role[order]
    channel = _touch_channels(rng, lead, lead_ix, role)
    kind = _pick_rows(rng, KIND_BY_CHANNEL[channel])
    kind = np.where(role == 1, np.where(channel == 4, 2, 3), kind)  # creation: form or event
    campaign = _campaign_at(rng, camps, channel, t)
    campaign = np.where(role == 1, lead.campaign[lead_ix], campaign)
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


def _touch_channels(rng, lead: Leads, lead_ix: np.ndarray, role: np.ndarray) -> np.ndarray:
    """The creation touch is the lead's source; the first touch often is too."""
    source = lead.channel[lead_ix]
    first = np.diff(np.concatenate([[-1], lead_ix])) != 0
    p_source = np.where(first, 0.6, 0.3)
    mix = _pick(rng, TOUCH_MIX, len(lead_ix))
    channel = np.where(rng.random(len(lead_ix)) < p_source, source, mix)
    return np.where(role == 1, source, channel)


def _activities(rng: np.random.Generator, lead: Leads, deals: Deals) -> dict:
    """The first sales touch of each lead, follow-ups, and work on open and closed deals."""
    touched = np.flatnonzero(np.isfinite(lead.first_touch))
    first_t = lead.first_touch[touched]
    k = rng.poisson(np.where(np.isfinite(lead.sal[touched]), 2.5, 1.2))
    fu = np.repeat(np.arange(len(touched)), k)
    fu_t = first_t[fu] + np.maximum(rng.exponential(4 * DAY, len(fu)), 60.0)
    n_deal = rng.poisson(np.array([4.0, 6.0, 9.0])[lead.segment[deals.lead]])
    dl = np.repeat(np.arange(len(deals.lead)), n_deal)
    end = np.minimum(np.where(deals.is_closed, deals.closed, END), END)[dl]
    d_t = deals.created[dl] + rng.random(len(dl)) * (end - deals.created[dl])
    t = np.floor(np.concatenate([first_t, fu_t, d_t]))
    lead_ix = np.concatenate([touched, touched[fu], np.full(len(dl), -1)])
    deal_ix = np.concatenate([np.full(len(touched) + len(fu), -1), dl])
    owner = np.concatenate([lead.owner[touched], lead.owner[touched[fu]], lead.owner[deals.lead[dl]]])
    first_kind = np.where(rng.random(len(touched)) < 0.55, 0, 1)
    kind = np.concatenate([first_kind, _pick(rng, np.array([0.35, 0.45, 0.20]), len(fu) + len(dl))])
    keep = t <= END
    order = np.lexsort((deal_ix[keep], lead_ix[keep], t[keep]))
    cols = {"t": t, "lead": lead_ix, "deal": deal_ix, "owner": owner, "kind": kind}
    return {name: col[keep][order] for name, col in cols.items()} | {"t": _ts(t[keep][order])}


def _spend(rng: np.random.Generator, lead: Leads, camps: Campaigns) -> dict:
    """Monthly spend per paid campaign, roughly cost-per-lead times the leads it brought."""
    n_camp = len(camps.name)
    has = lead.campaign >= 0
    key = lead.campaign[has] * N_MONTHS + _month_index(lead.created[has])
    counts = np.bincount(key, minlength=n_camp * N_MONTHS).reshape(n_camp, N_MONTHS)
    month_start = np.array(
        [(FIRST_MONTH + m).astype("datetime64[s]").astype(np.int64) for m in range(N_MONTHS + 1)]
    )
    active = (camps.start[:, None] < month_start[None, 1:]) & (
        camps.end[:, None] >= month_start[None, :-1]
    )
    camp, month = np.nonzero(active & (COST_PER_LEAD[camps.channel] > 0)[:, None])
    cnt = counts[camp, month].astype(float)
    typical = np.array([cnt[camps.channel[camp] == c].mean() if (camps.channel[camp] == c).any()
                        else 0.0 for c in range(len(CHANNELS))])  # fmt: skip
    base = np.maximum(cnt, 0.5 * typical[camps.channel[camp]])
    amount = COST_PER_LEAD[camps.channel[camp]] * base * _lognormal(rng, 1.0, 0.2, len(camp))
    month_day = month_start[month].view("datetime64[s]").astype("datetime64[D]")
    return {"campaign": camp, "channel": camps.channel[camp], "month": month_day,
            "amount": np.round(np.maximum(amount, 50.0), 2)}  # fmt: skip


def _forecasts(rng: np.random.Generator, lead: Leads, deals: Deals) -> dict:
    """Start-of-quarter forecasts: bookings per sales owner and leads for marketing."""
    nq = len(FORECAST_QUARTERS)
    won = np.flatnonzero(deals.is_won)
    q = _quarter_index(deals.closed[won])
    owner = lead.owner[deals.lead[won]]
    ok = (q >= 0) & (q < nq)
    actual = np.zeros((len(OWNERS), nq))
    np.add.at(actual, (owner[ok], q[ok]), deals.amount[won][ok])
    lq = _quarter_index(lead.created)
    leads_actual = np.bincount(lq[(lq >= 0) & (lq < nq)], minlength=nq).astype(float)
    # The current quarter is partly observed: forecasts are for the whole quarter.
    elapsed = 31 / 92
    actual[:, -1] /= elapsed
    leads_actual[-1] /= elapsed
    level = 0.7 * actual + 0.3 * actual.mean(axis=1, keepdims=True)
    noise = np.exp(OWNER_NOISE[:, None] * rng.standard_normal(actual.shape))
    bookings = np.round(OWNER_BIAS[:, None] * level * noise, -2)
    leads_fc = np.round(1.05 * leads_actual * np.exp(0.08 * rng.standard_normal(nq)))
    q_start = np.array([np.datetime64(f"{p[:4]}-{3 * int(p[-1]) - 2:02d}-01", "s") for p in
                        FORECAST_QUARTERS]).astype(np.int64)  # fmt: skip
    sub = q_start[None, :] + rng.integers(0, 3, (len(OWNERS) + 1, nq)) * DAY
    sub = sub + rng.integers(8 * 3600, 18 * 3600, sub.shape)
    return {
        "period": np.tile(np.arange(nq), len(OWNERS) + 1),
        "owner": np.repeat(np.arange(len(OWNERS) + 1), nq),
        "value": np.concatenate([bookings.ravel(), leads_fc]),
        "t": _ts(sub.ravel().astype(float)),
    }


# --- writing -------------------------------------------------------------------------------
SQL = {
    "accounts": """
        select 'AC' || lpad(id::varchar, $w, '0') as account_id,
            $first[n1 + 1] || ' ' || $second[n2 + 1] || ' ' || $suffix[n3 + 1] as name,
            $segments[segment + 1] as segment, $industries[industry + 1] as industry,
            $regions[region + 1] as region, employees::integer as employees, in_tam
        from accounts order by id""",
    "campaigns": """
        select 'CMP' || lpad(id::varchar, 4, '0') as campaign_id, $names[id] as name,
            $channels[channel + 1] as channel, start_day as start_date, end_day as end_date
        from campaigns order by id""",
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
}


def _width(n: int) -> int:
    return max(6, len(str(max(n, 1))))


def _frames(rng: np.random.Generator, leads: int) -> tuple[dict[str, dict], dict[str, dict]]:
    """Simulate everything; returns numpy columns and SQL parameters per table."""
    acc = _accounts(rng, max(60, leads // 3))
    camps = _campaigns()
    lead = _leads(rng, leads, acc, camps)
    _funnel(rng, lead)
    deals = _deals(rng, lead)
    lead.account = np.where((lead.deal < 0) & (rng.random(leads) < 0.02), -1, lead.account)
    tp = _touchpoints(rng, lead, camps)
    act = _activities(rng, lead, deals)
    spend = _spend(rng, lead, camps)
    fc = _forecasts(rng, lead, deals)
    frames = {
        "accounts": _account_frame(acc),
        "campaigns": _campaign_frame(camps),
        "leads": _lead_frame(lead),
        "touchpoints": tp | {"id": np.arange(1, len(tp["lead"]) + 1)},
        "activities": act | {"id": np.arange(1, len(act["t"]) + 1)},
        "deals": _deal_frame(lead, deals),
        "stage_history": _stage_history_frame(deals),
        "deal_competitors": _competitor_frame(rng, deals),
        "spend": spend,
        "forecasts": fc,
    }
    return frames, _params(frames, camps)


def _account_frame(acc: Accounts) -> dict:
    return {
        "id": np.arange(1, len(acc.segment) + 1),
        "n1": acc.name[:, 0], "n2": acc.name[:, 1], "n3": acc.name[:, 2],
        "segment": acc.segment, "industry": acc.industry, "region": acc.region,
        "employees": acc.employees, "in_tam": acc.in_tam,
    }  # fmt: skip


def _campaign_frame(camps: Campaigns) -> dict:
    return {
        "id": np.arange(1, len(camps.name) + 1),
        "channel": camps.channel,
        "start_day": camps.start.view("datetime64[s]").astype("datetime64[D]"),
        "end_day": camps.end.view("datetime64[s]").astype("datetime64[D]"),
    }


def _lead_frame(lead: Leads) -> dict:
    return {
        "id": np.arange(1, len(lead.created) + 1),
        "created": _ts(lead.created),
        "channel": lead.channel, "campaign": lead.campaign, "segment": lead.segment,
        "region": lead.region, "score": lead.score, "status": _lead_status(lead),
        "mql": _ts(lead.mql), "sal": _ts(lead.sal), "sql": _ts(lead.sql),
        "rejected": _ts(lead.rejected), "reason": lead.reason,
        "first_touch": _ts(lead.first_touch), "owner": lead.owner,
        "deal": lead.deal, "account": lead.account,
    }  # fmt: skip


def _deal_frame(lead: Leads, deals: Deals) -> dict:
    li = deals.lead
    return {
        "id": np.arange(1, len(li) + 1),
        "account": lead.account[li], "lead": li,
        "created": _ts(deals.created), "closed": _ts(deals.closed), "stage": deals.stage,
        "amount": deals.amount, "margin": deals.margin,
        "is_closed": deals.is_closed, "is_won": deals.is_won,
        "owner": lead.owner[li], "segment": lead.segment[li], "channel": lead.channel[li],
        "product": deals.product, "loss": deals.loss_reason,
    }  # fmt: skip


def _stage_history_frame(deals: Deals) -> dict:
    enter = deals.enter.copy()
    won = deals.is_won
    # The close column means closed_won or closed_lost depending on the outcome.
    deal, col = np.nonzero(np.isfinite(enter))
    stage = np.where(col == 4, np.where(won[deal], 4, 5), col)
    return {"deal": deal, "stage": stage, "t": _ts(enter[deal, col])}


def _competitor_frame(rng: np.random.Generator, deals: Deals) -> dict:
    deal, slot = np.nonzero(deals.competitors >= 0)
    note = np.where(rng.random(len(deal)) < 0.3, -1, rng.integers(0, len(NOTES), len(deal)))
    return {"deal": deal, "competitor": deals.competitors[deal, slot], "note": note}


def _params(frames: dict[str, dict], camps: Campaigns) -> dict[str, dict]:
    n = {name: len(next(iter(cols.values()))) for name, cols in frames.items()}
    lw, dw, aw = _width(n["leads"]), _width(n["deals"]), _width(n["accounts"])
    shared = {"channels": CHANNELS, "segments": SEGMENTS, "owners": [*OWNER_NAMES, "Marketing"]}
    return {
        "accounts": {"w": aw, "first": NAME_FIRST, "second": NAME_SECOND, "suffix": NAME_SUFFIX,
                     "segments": SEGMENTS, "industries": INDUSTRIES, "regions": REGIONS},
        "campaigns": {"names": camps.name, "channels": CHANNELS},
        "leads": shared | {"w": lw, "dw": dw, "aw": aw, "regions": REGIONS,
                           "statuses": ["open", "working", "qualified", "rejected", "converted"],
                           "reasons": REJECT_REASONS},
        "touchpoints": {"w": _width(n["touchpoints"]), "lw": lw, "channels": CHANNELS,
                        "kinds": KINDS},
        "activities": {"w": _width(n["activities"]), "lw": lw, "dw": dw,
                       "kinds": ["call", "email", "meeting"], "owners": OWNER_NAMES},
        "deals": shared | {"w": dw, "lw": lw, "aw": aw, "stages": list(DEAL_STAGES),
                           "products": PRODUCTS, "reasons": LOSS_REASONS},
        "stage_history": {"dw": dw, "stages": list(DEAL_STAGES)},
        "deal_competitors": {"dw": dw, "competitors": COMPETITORS, "notes": NOTES},
        "spend": {"channels": CHANNELS},
        "forecasts": {"periods": FORECAST_QUARTERS, "owners": [*OWNER_NAMES, "Marketing"],
                      "n_sales": len(OWNER_NAMES)},
    }  # fmt: skip


def generate_sample_data(out_dir: Path, *, leads: int = 20_000, seed: int = 7) -> dict[str, int]:
    """Write one CSV per contract table into `out_dir`; return the rows written per table.

    Same `leads` and `seed` give byte-identical files.
    """
    if leads < 1:
        raise ValueError("leads must be at least 1")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    frames, params = _frames(np.random.default_rng(seed), leads)
    rows: dict[str, int] = {}
    con = duckdb.connect()
    try:
        for name, cols in frames.items():
            con.register(name, cols)
            rel = con.sql(SQL[name], params=params[name])
            if tuple(rel.columns) != TABLES_BY_NAME[name].column_names:
                raise RuntimeError(f"sample {name} columns drift from the contract")
            rel.write_csv(str(out_dir / f"{name}.csv"), header=True)
            rows[name] = len(next(iter(cols.values())))
    finally:
        con.close()
    return rows
