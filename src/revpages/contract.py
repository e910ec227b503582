"""The normalized data contract: the tables every report may rely on.

Declared once here; the sample-data generator, the loaders, `revpages check`
and the generated "Data contract" page all read these definitions.
All timestamps are UTC; money is in the site's one currency.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # DuckDB type name
    doc: str
    # required: a row without it cannot be placed at all, so it is refused (and a native
    # file must have the column). expected: reports rely on it, so a row that lacks it is
    # kept but flagged. Any other doubtful value is flagged too, never the whole row.
    required: bool = False
    choices: tuple[str, ...] = ()  # the values reports know (others become UNMAPPED)
    expected: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    grain: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    event_column: str | None = None  # when a row happened; drives data freshness
    # Events arrive continuously, so the latest says how far the export reaches: the site's
    # as-of moment is the earliest such latest event. Periodic rows (a forecast submitted
    # at the start of each quarter) say nothing about it.
    sets_as_of: bool = True

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @property
    def loaded_columns(self) -> tuple[Column, ...]:
        """The columns of the loaded table: the contract's, then ``flags``."""
        return (*self.columns, FLAGS)

    @property
    def columns_by_name(self) -> dict[str, Column]:
        return {column.name: column for column in self.columns}


def _c(
    name: str,
    type_: str,
    doc: str,
    required: bool = False,
    choices: tuple[str, ...] = (),
    *,
    expected: bool = False,
) -> Column:
    return Column(name, type_, doc, required, choices, expected)


# Every loaded contract table ends with this column (computed, never read from a file).
FLAGS = Column(
    "flags",
    "VARCHAR[]",
    "The columns of this row whose value is doubtful, e.g. ['closed_at'] for a deal closed "
    "before it was created (empty when none). The row is kept; a metric that needs a "
    "flagged column leaves the row out. The data-quality page lists each flag's reason.",
)


DEAL_STAGES: tuple[str, ...] = (
    "qualification",
    "discovery",
    "proposal",
    "negotiation",
    "closed_won",
    "closed_lost",
)
# The stage of a deal whose exported stage maps to no contract stage: kept and flagged,
# left out of stage-based metrics (data_stage_map maps it).
UNMAPPED_STAGE = "unmapped"
OPEN_STAGES = DEAL_STAGES[:4]


LEADS = Table(
    "leads",
    "one row per lead or contact",
    ("lead_id",),
    (
        _c("lead_id", "VARCHAR", "Unique id of the lead or contact.", True),
        _c("created_at", "TIMESTAMP", "When the lead was created (inquiry).", expected=True),
        _c("source", "VARCHAR", "Original source channel, e.g. paid_search, organic, events."),
        _c("campaign_id", "VARCHAR", "Campaign that created the lead, if any."),
        _c("segment", "VARCHAR", "Market segment: smb, mid_market or enterprise."),
        _c("region", "VARCHAR", "Sales region."),
        _c("score", "INTEGER", "Lead score at export time."),
        _c("status", "VARCHAR", "Lead status: open, working, qualified, rejected, converted."),
        _c("mql_at", "TIMESTAMP", "Became a marketing qualified lead."),
        _c("sal_at", "TIMESTAMP", "Accepted by sales (sales accepted lead)."),
        _c("sql_at", "TIMESTAMP", "Became a sales qualified lead."),
        _c("rejected_at", "TIMESTAMP", "Rejected by sales."),
        _c("reject_reason", "VARCHAR", "Why sales rejected the lead."),
        _c("first_touch_at", "TIMESTAMP", "First sales activity on the lead."),
        _c("owner", "VARCHAR", "Sales owner of the lead."),
        _c("converted_deal_id", "VARCHAR", "Deal the lead converted into, if any."),
        _c("account_id", "VARCHAR", "Account (company) of the lead."),
    ),
    event_column="created_at",
)

TOUCHPOINTS = Table(
    "touchpoints",
    "one row per marketing touch",
    ("touchpoint_id",),
    (
        _c("touchpoint_id", "VARCHAR", "Unique id of the touch.", True),
        _c("lead_id", "VARCHAR", "Lead that was touched.", True),
        _c("touched_at", "TIMESTAMP", "When the touch happened.", True),
        _c("channel", "VARCHAR", "Marketing channel of the touch.", expected=True),
        _c("campaign_id", "VARCHAR", "Campaign of the touch, if any."),
        _c("kind", "VARCHAR", "Kind of touch: ad_click, form, email_click, event, visit."),
    ),
    event_column="touched_at",
)

ACTIVITIES = Table(
    "activities",
    "one row per sales activity",
    ("activity_id",),
    (
        _c("activity_id", "VARCHAR", "Unique id of the activity.", True),
        _c("lead_id", "VARCHAR", "Lead the activity was about, if any."),
        _c("deal_id", "VARCHAR", "Deal the activity was about, if any."),
        _c("at", "TIMESTAMP", "When the activity happened.", True),
        _c("kind", "VARCHAR", "call, email or meeting.", expected=True),
        _c("owner", "VARCHAR", "Who did it."),
    ),
    event_column="at",
)

DEALS = Table(
    "deals",
    "one row per opportunity",
    ("deal_id",),
    (
        _c("deal_id", "VARCHAR", "Unique id of the deal.", True),
        _c("account_id", "VARCHAR", "Account the deal is with."),
        _c("lead_id", "VARCHAR", "Lead the deal was converted from, if any."),
        _c("created_at", "TIMESTAMP", "When the opportunity was created.", expected=True),
        _c("closed_at", "TIMESTAMP", "Close date (expected close date while open)."),
        _c("stage", "VARCHAR", "Current stage.", choices=DEAL_STAGES, expected=True),
        _c("amount", "DECIMAL(18,2)", "Deal amount (annual contract value)."),
        _c("margin", "DECIMAL(18,2)", "Gross margin of the deal amount."),
        _c(
            "is_closed",
            "BOOLEAN",
            "The deal is closed (won or lost); follows the stage.",
            expected=True,
        ),
        _c("is_won", "BOOLEAN", "The deal is closed won; follows the stage.", expected=True),
        _c("owner", "VARCHAR", "Sales owner."),
        _c("segment", "VARCHAR", "Market segment."),
        _c("source", "VARCHAR", "Source channel of the deal."),
        _c("product", "VARCHAR", "Main product sold."),
        _c("loss_reason", "VARCHAR", "Why the deal was lost (no_decision for no decision)."),
    ),
    event_column="created_at",
)

STAGE_HISTORY = Table(
    "stage_history",
    "one row per entry of a deal into a stage (a re-entry is a row of its own)",
    ("deal_id", "stage", "entered_at"),
    (
        _c("deal_id", "VARCHAR", "Deal that changed stage.", True),
        _c("stage", "VARCHAR", "Stage entered.", True, DEAL_STAGES),
        _c("entered_at", "TIMESTAMP", "When the stage was entered.", True),
    ),
    event_column="entered_at",
)

DEAL_COMPETITORS = Table(
    "deal_competitors",
    "one row per competitor present on a deal",
    ("deal_id", "competitor"),
    (
        _c("deal_id", "VARCHAR", "Deal the competitor was present on.", True),
        _c("competitor", "VARCHAR", "Competitor name.", True),
        _c("notes", "VARCHAR", "Field notes from the rep."),
    ),
)

CAMPAIGNS = Table(
    "campaigns",
    "one row per campaign",
    ("campaign_id",),
    (
        _c("campaign_id", "VARCHAR", "Unique id of the campaign.", True),
        _c("name", "VARCHAR", "Campaign name."),
        _c("channel", "VARCHAR", "Marketing channel of the campaign.", expected=True),
        _c("start_date", "DATE", "First day of the campaign."),
        _c("end_date", "DATE", "Last day of the campaign."),
    ),
)

SPEND = Table(
    "spend",
    "one row per campaign (or channel) and month",
    ("campaign_id", "channel", "month"),
    (
        _c("campaign_id", "VARCHAR", "Campaign the money was spent on, if known."),
        _c("channel", "VARCHAR", "Channel the money was spent on.", True),
        _c("month", "DATE", "First day of the month.", True),
        _c("amount", "DECIMAL(18,2)", "Money spent.", expected=True),
    ),
)

FORECASTS = Table(
    "forecasts",
    "one row per forecast submitted",
    ("period", "owner", "metric", "submitted_at"),
    (
        _c(
            "period",
            "VARCHAR",
            "Fiscal quarter of the site's calendar, e.g. 2025-Q3 (fiscal year, quarter).",
            True,
        ),
        _c("owner", "VARCHAR", "Owner or team that submitted the forecast.", True),
        _c("team", "VARCHAR", "marketing or sales."),
        _c("metric", "VARCHAR", "leads, pipeline or bookings.", True),
        _c("forecast_value", "DOUBLE", "The forecast number.", expected=True),
        _c("submitted_at", "TIMESTAMP", "When the forecast was submitted.", True),
    ),
    event_column="submitted_at",
    sets_as_of=False,
)

TARGETS = Table(
    "targets",
    "one row per target",
    ("metric", "period", "owner", "team", "segment", "channel"),
    (
        _c(
            "metric",
            "VARCHAR",
            "What the target is for: bookings (won amount; per owner, the quota), pipeline "
            "(amount of the deals created), leads and mqls (counts; per channel, the lead "
            "plan), mql_to_sql and win_rate (shares), cac (money per new customer; lower is "
            "better), forecast_accuracy (share, 1 - WAPE), sla_hours (hours to the first "
            "touch of an MQL) or sla_compliance (share of MQLs touched within sla_hours).",
            True,
        ),
        _c(
            "period",
            "VARCHAR",
            "Fiscal quarter of the site's calendar, e.g. 2026-Q3 (as forecasts.period).",
            True,
        ),
        _c("owner", "VARCHAR", "Owner the target is for, as deals name them; empty: for all."),
        _c("team", "VARCHAR", "marketing or sales; empty: for all."),
        _c("segment", "VARCHAR", "Market segment the target is for; empty: for all."),
        _c("channel", "VARCHAR", "Channel the target is for, as leads.source; empty: for all."),
        _c("value", "DOUBLE", "The target number.", expected=True),
    ),
    sets_as_of=False,
)

ACCOUNTS = Table(
    "accounts",
    "one row per account (company)",
    ("account_id",),
    (
        _c("account_id", "VARCHAR", "Unique id of the account.", True),
        _c("name", "VARCHAR", "Company name."),
        _c("segment", "VARCHAR", "Market segment."),
        _c("industry", "VARCHAR", "Industry."),
        _c("region", "VARCHAR", "Region."),
        _c("employees", "INTEGER", "Number of employees."),
        _c("in_tam", "BOOLEAN", "The account is in the total addressable market."),
    ),
)

TABLES: tuple[Table, ...] = (
    LEADS,
    TOUCHPOINTS,
    ACTIVITIES,
    DEALS,
    STAGE_HISTORY,
    DEAL_COMPETITORS,
    CAMPAIGNS,
    SPEND,
    FORECASTS,
    TARGETS,
    ACCOUNTS,
)

TABLES_BY_NAME: dict[str, Table] = {table.name: table for table in TABLES}

# Foreign keys: (table, column) -> (parent table, parent column). Rows whose value is
# set but has no parent are orphans: kept, counted and shown on the data-quality page.
REFERENCES: dict[tuple[str, str], tuple[str, str]] = {
    ("leads", "account_id"): ("accounts", "account_id"),
    ("leads", "campaign_id"): ("campaigns", "campaign_id"),
    ("leads", "converted_deal_id"): ("deals", "deal_id"),
    ("touchpoints", "lead_id"): ("leads", "lead_id"),
    ("touchpoints", "campaign_id"): ("campaigns", "campaign_id"),
    ("activities", "lead_id"): ("leads", "lead_id"),
    ("activities", "deal_id"): ("deals", "deal_id"),
    ("deals", "account_id"): ("accounts", "account_id"),
    ("deals", "lead_id"): ("leads", "lead_id"),
    ("stage_history", "deal_id"): ("deals", "deal_id"),
    ("deal_competitors", "deal_id"): ("deals", "deal_id"),
    ("spend", "campaign_id"): ("campaigns", "campaign_id"),
}


DERIVED_TABLES: tuple[Table, ...] = (
    Table(
        "attribution_models",
        "one row per rule-based attribution model",
        ("model",),
        (
            _c("model", "VARCHAR", "Model id, e.g. linear or u_shaped."),
            _c("model_order", "INTEGER", "Position of the model in reports."),
            _c("label", "VARCHAR", "Model name with its preset or half-life."),
            _c("weights", "VARCHAR", "The model's weights, in words."),
        ),
    ),
    Table(
        "attribution_credits",
        "one row per model, conversion and credited touch",
        ("model", "deal_id", "position"),
        (
            _c("model", "VARCHAR", "Model id (see attribution_models)."),
            _c("deal_id", "VARCHAR", "The conversion: the opportunity created."),
            _c("converted_at", "TIMESTAMP", "When the opportunity was created."),
            _c("touchpoint_id", "VARCHAR", "The credited touch (NULL when unattributed)."),
            _c("position", "INTEGER", "Position of the touch in the journey, from 1."),
            _c("touches", "INTEGER", "Touches in the journey (0 when unattributed)."),
            _c("channel", "VARCHAR", "Channel of the touch, or (unattributed)."),
            _c("weight", "DOUBLE", "The touch's weight; a conversion's weights sum to 1."),
            _c("conversions", "DECIMAL(18,9)", "Credit in conversions; sums to 1 per conversion."),
            _c("value", "DECIMAL(18,2)", "Credit of the amount; sums to the deal amount."),
        ),
    ),
    Table(
        "markov_transitions",
        "one row per observed transition between states",
        ("from_state", "to_state"),
        (
            _c("from_state", "VARCHAR", "(start) or a channel."),
            _c("to_state", "VARCHAR", "A channel, (conversion) or (null)."),
            _c("transitions", "BIGINT", "Journeys' steps from from_state to to_state."),
            _c("probability", "DOUBLE", "Share of the steps out of from_state."),
        ),
    ),
    Table(
        "markov_removal_effects",
        "one row per channel (and unattributed)",
        ("channel",),
        (
            _c("channel", "VARCHAR", "Channel, or (unattributed)."),
            _c("conversion_probability", "DOUBLE", "P(conversion) from start."),
            _c(
                "conversion_probability_without",
                "DOUBLE",
                "P(conversion) with the channel removed.",
            ),
            _c("removal_effect", "DOUBLE", "1 - P(without) / P(conversion)."),
            _c("effect_share", "DOUBLE", "Removal effect / the sum of all removal effects."),
            _c("conversions", "DOUBLE", "Attributed conversions."),
            _c("value", "DOUBLE", "Attributed amount."),
        ),
    ),
    Table(
        "shapley_values",
        "one row per channel (and unattributed)",
        ("channel",),
        (
            _c("channel", "VARCHAR", "Channel, or (unattributed)."),
            _c("conversions", "DOUBLE", "Shapley value in conversions."),
            _c("value", "DOUBLE", "Shapley value of the amount."),
            _c("channel_sets", "BIGINT", "Distinct channel sets of converting journeys with it."),
        ),
    ),
)


def _grain(grain: str, example: str) -> tuple[Column, ...]:
    """The columns of one grain of the calendar: start, label, complete, fraction elapsed."""
    return (
        _c(f"{grain}_start", "DATE", f"First day of the fiscal {grain} holding the day."),
        _c(f"{grain}_label", "VARCHAR", f"Name of that {grain}, e.g. {example}."),
        _c(f"{grain}_is_complete", "BOOLEAN", f"The {grain} ended at or before the as-of moment."),
        _c(
            f"{grain}_elapsed",
            "DOUBLE",
            f"Share of the {grain} before the as-of moment: 0 not started, 1 complete.",
        ),
    )


# The calendar every report may join (one row per day over the data's range and the fiscal
# year after the as-of moment), built after each load from the calendar_* options.
CALENDAR = Table(
    "calendar",
    "one row per day of the reporting calendar",
    ("day",),
    (
        _c("day", "DATE", "The day, in the calendar's time zone."),
        _c("day_start", "TIMESTAMP", "The UTC moment the day starts."),
        _c("is_complete", "BOOLEAN", "The day ended at or before the as-of moment."),
        _c("fraction_elapsed", "DOUBLE", "Share of the day before the as-of moment."),
        *_grain("week", "'Week of 26 Oct 2026'"),
        *_grain("month", "'Oct 2026'"),
        *_grain("quarter", "'Q4 2026' or 'FY2027 Q3'"),
        _c("quarter_key", "VARCHAR", "The quarter as forecasts and targets name it, e.g. 2026-Q4."),
        _c("fiscal_quarter", "INTEGER", "Quarter of the fiscal year, 1-4."),
        *_grain("year", "'2026' or 'FY2027'"),
        _c("fiscal_year", "INTEGER", "Fiscal year, named by the calendar year it ends in."),
    ),
)
