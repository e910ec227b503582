"""The derive step: every attribution model's weights on tiny journeys computed by hand,
Markov removal effects and Shapley values solved by hand, reconciliation, and the pages."""

from __future__ import annotations

import shutil
import time
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from revpages.commands.check import create_empty_tables, plan_query
from revpages.contract import DERIVED_TABLES, TABLES, TABLES_BY_NAME
from revpages.derive.attribution import derive_tables
from revpages.derive.attribution_models import AttributionOptions
from revpages.derive.calendar import Calendar, CalendarOptions
from revpages.derive.calendar_table import create_calendar
from revpages.derive.markov import removal_effects
from revpages.errors import ConfigError
from revpages.ingest.data_dir import create_empty_table
from revpages.reports.engine import Engine
from revpages.reports.queryfile import parse_query_file
from revpages.settings import DataOptions, EngineOptions, Settings
from tests.conftest import write_tree

REPO = Path(__file__).resolve().parents[1]
START = datetime(2025, 1, 1)
NEW_REPORTS = (
    "all_models",
    "reconciliation",
    "markov_removal_effects",
    "markov_transitions",
    "shapley_values",
)


class Data:
    """Contract tables in an in-memory DuckDB, filled by day offsets from START."""

    def __init__(self) -> None:
        self.con = duckdb.connect()
        self.con.execute("SET TimeZone = 'UTC'")
        for name in ("leads", "touchpoints", "deals"):
            create_empty_table(self.con, TABLES_BY_NAME[name])
        self.touches = 0

    def lead(self, lead: str, day: float) -> Data:
        self.con.execute("INSERT INTO leads (lead_id, created_at) VALUES ($1, $2)", [lead, at(day)])
        return self

    def deal(
        self, deal: str, lead: str | None, day: float, *, amount: str = "1000", won: bool = False
    ) -> Data:
        self.con.execute(
            "INSERT INTO deals (deal_id, lead_id, created_at, amount, is_closed, "
            "is_won) VALUES ($1, $2, $3, $4, $5, $5)",
            [deal, lead, at(day), Decimal(amount), won],
        )
        return self

    def touch(
        self, lead: str, day: float, channel: str, kind: str = "visit", touch_id: str | None = None
    ) -> Data:
        self.touches += 1
        self.con.execute(
            "INSERT INTO touchpoints (touchpoint_id, lead_id, touched_at, "
            "channel, kind) VALUES ($1, $2, $3, $4, $5)",
            [touch_id or f"T{self.touches:03d}", lead, at(day), channel, kind],
        )
        return self

    def journey(
        self, *channels: str, lead_day: float = 0, won: bool = False, amount: str = "1000"
    ) -> Data:
        """Lead L1 touched once a day from day 0, one opportunity D1 the day after."""
        self.lead("L1", lead_day)
        for day, channel in enumerate(channels):
            self.touch("L1", day, channel)
        return self.deal("D1", "L1", len(channels), amount=amount, won=won)

    def derive(self, **options: object) -> Data:
        derive_tables(self.con, AttributionOptions(**options))  # type: ignore[arg-type]
        return self

    def weights(self, model: str, deal: str = "D1") -> list[float]:
        """Weights by position (0 where the model gives a touch nothing)."""
        rows = self.con.execute(
            "SELECT position, weight FROM attribution_credits WHERE model = $1 AND deal_id = $2",
            [model, deal],
        ).fetchall()
        found = dict(rows)
        touches = self.con.execute(
            "SELECT max(touches) FROM attribution_credits WHERE deal_id = $1", [deal]
        ).fetchone()[0]
        return [round(found.get(p, 0.0), 12) for p in range(1, touches + 1)]

    def rows(self, sql: str, params: list[object] | None = None) -> list[tuple]:
        return self.con.execute(sql, params).fetchall()


def at(day: float) -> datetime:
    return START + timedelta(days=day)


def approx(*values: float) -> list[float]:
    return [pytest.approx(v, abs=1e-12) for v in values]


RULE_MODELS = (
    "first_touch",
    "last_touch",
    "last_non_direct",
    "linear",
    "u_shaped",
    "w_shaped",
    "full_path",
    "time_decay",
    "j_shaped",
    "inverse_j",
)


# --- one, two, three and five touches ------------------------------------------------------


@pytest.mark.parametrize("model", RULE_MODELS)
def test_one_touch_gets_everything_under_every_model(model: str):
    data = Data().journey("paid_search").derive()
    assert data.weights(model) == [1.0]


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("first_touch", (1, 0)),
        ("last_touch", (0, 1)),
        ("linear", (0.5, 0.5)),
        ("u_shaped", (0.5, 0.5)),  # no middle: 40/40 renormalised
        ("j_shaped", (0.25, 0.75)),
        ("inverse_j", (0.75, 0.25)),
        # the lead was created at the first touch: first + lead creation add up there (60 %),
        # the opportunity-creation touch has 30 %, and the rest share goes 2:1 to them
        ("w_shaped", (2 / 3, 1 / 3)),
        # not won: the closed-won milestone passes its 22.5 % in proportion too
        ("full_path", (2 / 3, 1 / 3)),
        ("time_decay", (1 / 3, 2 / 3)),  # one half-life (7 days) apart
    ],
)
def test_two_touches_are_renormalised(model: str, expected: tuple[float, float]):
    data = Data()
    data.lead("L1", 0).touch("L1", 0, "paid_search").touch("L1", 7, "email")
    data.deal("D1", "L1", 8).derive()
    assert data.weights(model) == approx(*expected)


def test_two_touches_full_path_of_a_won_deal():
    # first + lead creation on t1 (45 %), opportunity creation + closed won on t2 (45 %)
    data = Data().journey("paid_search", "email", won=True).derive()
    assert data.weights("full_path") == approx(0.5, 0.5)


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("linear", (1 / 3, 1 / 3, 1 / 3)),
        ("u_shaped", (0.4, 0.2, 0.4)),
        ("j_shaped", (0.2, 0.2, 0.6)),
        ("inverse_j", (0.6, 0.2, 0.2)),
        # lead created at t2: three milestones on three touches, no rest touch, so the 10 %
        # rest share goes to them in proportion
        ("w_shaped", (1 / 3, 1 / 3, 1 / 3)),
    ],
)
def test_three_touches(model: str, expected: tuple[float, ...]):
    data = Data().journey("paid_search", "organic", "email", lead_day=1).derive()
    assert data.weights(model) == approx(*expected)


FIVE = ("paid_search", "organic", "email", "direct", "direct")


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("first_touch", (1, 0, 0, 0, 0)),
        ("last_touch", (0, 0, 0, 0, 1)),
        ("last_non_direct", (0, 0, 1, 0, 0)),
        ("linear", (0.2,) * 5),
        ("u_shaped", (0.4, 0.2 / 3, 0.2 / 3, 0.2 / 3, 0.4)),
        ("w_shaped", (0.3, 0.3, 0.05, 0.05, 0.3)),
        ("full_path", (0.3, 0.3, 0.05, 0.05, 0.3)),  # not won: 22.5 % spread in proportion
        ("j_shaped", (0.2, 0.2 / 3, 0.2 / 3, 0.2 / 3, 0.6)),
        ("inverse_j", (0.6, 0.2 / 3, 0.2 / 3, 0.2 / 3, 0.2)),
    ],
)
def test_five_touches(model: str, expected: tuple[float, ...]):
    data = Data().journey(*FIVE, lead_day=1).derive()
    assert data.weights(model) == approx(*expected)


def test_five_touches_full_path_of_a_won_deal_adds_two_milestones_on_the_last_touch():
    data = Data().journey(*FIVE, lead_day=1, won=True).derive()
    assert data.weights("full_path") == approx(0.225, 0.225, 0.05, 0.05, 0.45)


def test_time_decay_halves_per_half_life_and_takes_the_configured_one():
    data = Data()
    data.lead("L1", 0).touch("L1", 0, "a").touch("L1", 7, "b").touch("L1", 14, "c")
    data.deal("D1", "L1", 14).derive()
    assert data.weights("time_decay") == approx(1 / 7, 2 / 7, 4 / 7)
    data.derive(half_life_days=14)
    weights = [1, 2**0.5, 2]
    assert data.weights("time_decay") == approx(*(w / sum(weights) for w in weights))
    label = data.rows("SELECT label FROM attribution_models WHERE model = 'time_decay'")
    assert label == [("Time decay (half-life 14 days)",)]


def test_a_short_half_life_still_gives_the_whole_credit():
    data = Data()
    data.lead("L1", 0).touch("L1", 0, "a").touch("L1", 300, "b")
    data.deal("D1", "L1", 364).derive(half_life_days=0.01)
    assert data.weights("time_decay") == [0.0, 1.0]
    assert data.rows(
        "SELECT sum(conversions) FROM attribution_credits WHERE model = 'time_decay'"
    ) == [(Decimal(1),)]


# --- milestones: missing, shared, lead creation -----------------------------------------------


def test_a_missing_lead_creation_milestone_passes_its_share_in_proportion():
    # the lead was created before every touch: W has first and opportunity creation only,
    # 30 % each scaled to the 90 % of milestones: 45 %, and 10 % over the three others
    data = Data().journey(*FIVE, lead_day=-1).derive()
    rest = 0.1 / 3
    assert data.weights("w_shaped") == approx(0.45, rest, rest, rest, 0.45)


def test_milestones_on_the_same_touch_add_up():
    # lead created at the last touch: lead creation and opportunity creation share t3
    data = Data().journey("a", "b", "c", lead_day=2).derive()
    assert data.weights("w_shaped") == approx(0.3, 0.1, 0.6)
    data = Data().journey("a", "b", "c", lead_day=2, won=True).derive()
    assert data.weights("full_path") == approx(0.225, 0.1, 0.675)


@pytest.mark.parametrize(
    ("preset", "lead_day", "expected"),
    [
        ("google", 2, (0.4, 0.2 / 3, 0.2 / 3, 0.2 / 3, 0.4)),
        ("hubspot", 2, (0.4, 0.2 / 3, 0.4, 0.2 / 3, 0.2 / 3)),
        ("hubspot", 0, (0.8, 0.05, 0.05, 0.05, 0.05)),  # first touch created the lead
        ("marketo", 2, (0.5, 0, 0.5, 0, 0)),
        ("marketo", -1, (1, 0, 0, 0, 0)),  # no lead-creation touch: all to the first
    ],
)
def test_u_shaped_presets(preset: str, lead_day: float, expected: tuple[float, ...]):
    data = Data().journey(*FIVE, lead_day=lead_day).derive(u_preset=preset)
    assert data.weights("u_shaped") == approx(*expected)
    label = data.rows("SELECT label FROM attribution_models WHERE model = 'u_shaped'")
    assert label == [(f"U-shaped ({preset})",)]


def test_last_non_direct_falls_back_to_the_last_touch_when_all_are_direct():
    data = Data().journey("direct", "Direct", "direct").derive()
    assert data.weights("last_non_direct") == [0, 0, 1.0]


# --- which touches, in which order ---------------------------------------------------------


def test_touches_after_the_conversion_and_before_the_lookback_are_left_out():
    data = Data().lead("L1", 0)
    data.touch("L1", 0, "too_early").touch("L1", 1, "boundary").touch("L1", 2, "first")
    data.touch("L1", 366, "at_conversion").touch("L1", 367, "after")
    data.deal("D1", "L1", 366).derive()
    # exactly 365 days before the conversion is outside the window; at the moment is inside
    channels = data.rows(
        "SELECT channel FROM attribution_credits WHERE model = 'linear' ORDER BY position"
    )
    assert channels == [("first",), ("at_conversion",)]
    data.derive(lookback_days=1)
    assert data.rows("SELECT channel FROM attribution_credits WHERE model = 'linear'") == [
        ("at_conversion",)
    ]


def test_equal_timestamps_are_ordered_by_kind_then_channel_then_touch_id():
    data = Data().lead("L1", 0)
    # inserted in the reverse of the journey order, so row order cannot decide
    data.touch("L1", 1, "c", kind=None, touch_id="T0")  # type: ignore[arg-type]
    data.touch("L1", 1, "a", kind="visit", touch_id="T1")
    data.touch("L1", 1, "b", kind="form", touch_id="T2")
    data.touch("L1", 1, "a", kind="form", touch_id="T4")
    data.touch("L1", 1, "a", kind="form", touch_id="T3")
    data.deal("D1", "L1", 2).derive()
    order = data.rows(
        "SELECT touchpoint_id FROM attribution_credits WHERE model = 'linear' ORDER BY position"
    )
    assert order == [("T3",), ("T4",), ("T2",), ("T1",), ("T0",)]
    assert data.rows(
        "SELECT touchpoint_id FROM attribution_credits WHERE model = 'first_touch'"
    ) == [("T3",)]


def test_repeated_channels_keep_their_positions_and_add_up_per_channel():
    data = Data().journey("email", "paid_search", "email").derive()
    assert data.weights("u_shaped") == approx(0.4, 0.2, 0.4)
    by_channel = data.rows(
        "SELECT channel, sum(conversions) FROM attribution_credits "
        "WHERE model = 'u_shaped' GROUP BY channel ORDER BY channel"
    )
    assert by_channel == [("email", Decimal("0.8")), ("paid_search", Decimal("0.2"))]


# --- conversions, values and reconciliation ------------------------------------------------


def test_every_model_credits_exactly_one_conversion_and_its_whole_amount():
    data = Data().journey("a", "b", "c", amount="100.00").derive()
    sums = data.rows(
        "SELECT model, sum(conversions), sum(value) FROM attribution_credits GROUP BY model"
    )
    assert {row[1:] for row in sums} == {(Decimal(1), Decimal("100.00"))}
    assert len(sums) == len(RULE_MODELS)
    thirds = data.rows(
        "SELECT conversions, value FROM attribution_credits "
        "WHERE model = 'linear' ORDER BY position"
    )
    assert sorted(v for _, v in thirds) == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
    assert sum(c for c, _ in thirds) == 1


def test_conversions_without_touches_are_unattributed_under_every_model():
    data = Data().journey("a", "b").deal("D2", None, 3, amount="250")
    data.lead("L3", 0).touch("L3", 5, "after").deal("D3", "L3", 4, amount="70").derive()
    rows = data.rows(
        "SELECT DISTINCT deal_id, channel, weight, conversions, value "
        "FROM attribution_credits WHERE touchpoint_id IS NULL ORDER BY deal_id"
    )
    assert rows == [
        ("D2", "(unattributed)", 1.0, Decimal(1), Decimal("250.00")),
        ("D3", "(unattributed)", 1.0, Decimal(1), Decimal("70.00")),
    ]
    counts = data.rows(
        "SELECT count(DISTINCT model) FROM attribution_credits WHERE channel = '(unattributed)'"
    )
    assert counts == [(len(RULE_MODELS),)]


def test_attributed_value_reconciles_with_booked_value_per_model_and_quarter():
    data = Data()
    for number, amount in enumerate(("100.00", "33.33", "0.01", "999.99", "12.34")):
        lead = f"L{number}"
        data.lead(lead, 0)
        for day in range(number + 1):
            data.touch(lead, day * 40, ("a", "b", "direct")[day % 3])
        data.deal(f"D{number}", lead, 40 * number + 1 + 30 * number, amount=amount)
    data.deal("D9", None, 100, amount="5.00").derive()
    sql = (REPO / "queries/attribution/reconciliation.sql").read_text(encoding="utf-8")
    query = parse_query_file(
        sql, path="reconciliation.sql", section="attribution", name="reconciliation"
    )
    calendar = Calendar(CalendarOptions(), datetime(2026, 1, 1))
    create_calendar(data.con, calendar, first_event=datetime(2025, 1, 1))
    found = data.con.execute(query.sql)
    columns = [d[0] for d in found.description]
    rows = [dict(zip(columns, row, strict=True)) for row in found.fetchall()]
    assert len(rows) == 4 * len(RULE_MODELS)  # Q1 to Q4 2025
    assert {row["difference"] for row in rows} == {Decimal(0)}
    assert sum(row["booked"] for row in rows) == len(RULE_MODELS) * Decimal("1150.67")


def test_same_data_derives_the_same_rows():
    def derived() -> list[list[tuple]]:
        data = Data()
        for lead in range(30):
            data.lead(f"L{lead:02d}", 0)
            for touch in range(lead % 7 + 1):
                data.touch(f"L{lead:02d}", touch * 1.37, ("a", "b", "c", "direct")[touch % 4])
            if lead % 3:
                data.deal(f"D{lead:02d}", f"L{lead:02d}", 20, amount=f"{lead * 10.01:.2f}")
        data.derive()
        return [data.rows(f"SELECT * FROM {table.name} ORDER BY ALL") for table in DERIVED_TABLES]

    assert derived() == derived()


# --- Markov and Shapley ---------------------------------------------------------------------


def markov_example() -> Data:
    """Converting A -> B (100) and A (300); B alone without conversion."""
    data = Data()
    data.lead("L1", 0).touch("L1", 0, "A").touch("L1", 1, "B").deal("D1", "L1", 2, amount="100")
    data.lead("L2", 0).touch("L2", 0, "A").deal("D2", "L2", 2, amount="300")
    data.lead("L3", 0).touch("L3", 0, "B")
    return data.derive()


def test_markov_transitions_are_counted_from_every_journey():
    rows = markov_example().rows("SELECT * FROM markov_transitions ORDER BY ALL")
    assert rows == [
        ("(start)", "A", 2, pytest.approx(2 / 3)),
        ("(start)", "B", 1, pytest.approx(1 / 3)),
        ("A", "(conversion)", 1, 0.5),
        ("A", "B", 1, 0.5),
        ("B", "(conversion)", 1, 0.5),
        ("B", "(null)", 1, 0.5),
    ]


def test_markov_removal_effects_solved_by_hand():
    # P(conv): from B 1/2; from A 1/2 + 1/2 * 1/2 = 3/4; from start 2/3*3/4 + 1/3*1/2 = 2/3.
    # Without A: 1/3 * 1/2 = 1/6, RE = 1 - (1/6)/(2/3) = 3/4. Without B: 2/3 * 1/2 = 1/3,
    # RE = 1/2. Two conversions (400) shared 3/4 : 1/2.
    rows = markov_example().rows("SELECT * FROM markov_removal_effects ORDER BY channel")
    assert rows == [
        (
            "A",
            pytest.approx(2 / 3),
            pytest.approx(1 / 6),
            pytest.approx(0.75),
            pytest.approx(0.6),
            pytest.approx(1.2),
            pytest.approx(240.0),
        ),
        (
            "B",
            pytest.approx(2 / 3),
            pytest.approx(1 / 3),
            pytest.approx(0.5),
            pytest.approx(0.4),
            pytest.approx(0.8),
            pytest.approx(160.0),
        ),
    ]


def test_markov_self_loops_and_unattributed_conversions():
    data = Data().journey("A", "A", "B").deal("D2", None, 1, amount="50").derive()
    effects = dict((row[0], row[3:]) for row in data.rows("SELECT * FROM markov_removal_effects"))
    # every journey needs both channels: removing either loses every conversion
    assert effects["A"] == (1.0, 0.5, 0.5, 500.0)
    assert effects["B"] == (1.0, 0.5, 0.5, 500.0)
    assert effects["(unattributed)"] == (None, None, 1.0, 50.0)
    assert ("A", "A", 1, 0.5) in data.rows("SELECT * FROM markov_transitions")


def test_removal_effects_without_any_conversion_are_unknown():
    rows = removal_effects([("(start)", "A", 2), ("A", "(null)", 2)], conversions=0, value=0)
    assert rows == [("A", 0.0, 0.0, None, None, 0.0, 0.0)]
    assert removal_effects([], conversions=0, value=0.0) == []


def test_shapley_values_share_each_channel_set_equally():
    data = Data()
    for number, (channels, amount) in enumerate(
        [(("A", "B"), "100"), (("B", "A"), "100"), (("A",), "50"), (("B", "C", "B"), "30")]
    ):
        lead = f"L{number}"
        data.lead(lead, 0)
        for day, channel in enumerate(channels):
            data.touch(lead, day, channel)
        data.deal(f"D{number}", lead, 5, amount=amount)
    data.deal("D9", None, 5, amount="7").derive()
    # {A,B}: 2 conversions, 200; {A}: 1, 50; {B,C}: 1, 30 (order and repeats ignored)
    assert data.rows("SELECT * FROM shapley_values ORDER BY channel") == [
        ("(unattributed)", 1.0, 7.0, 0),
        ("A", 2.0, 150.0, 2),
        ("B", 1.5, 115.0, 2),
        ("C", 0.5, 15.0, 1),
    ]


# --- options, empty data, the loaded database ------------------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"lookback_days": 0}, "attribution_lookback_days: '0'"),
        ({"half_life_days": 0.0}, "attribution_half_life_days: '0'"),
        ({"u_preset": "linkedin"}, "attribution_u_preset: 'linkedin'"),
    ],
)
def test_bad_options_name_the_option_and_value(options: dict, message: str):
    with pytest.raises(ConfigError) as raised:
        Data().derive(**options)
    assert message in raised.value.message() and "RP103" in raised.value.message()


def test_derive_on_empty_or_missing_tables_is_fast_and_creates_every_table():
    con = duckdb.connect()
    for table in TABLES:
        create_empty_table(con, table)
    started = time.perf_counter()
    derive_tables(con, AttributionOptions())
    assert time.perf_counter() - started < 2
    for table in DERIVED_TABLES:
        columns = [row[0] for row in con.execute(f"DESCRIBE {table.name}").fetchall()]
        assert columns == list(table.column_names)
    only_deals = Data()
    only_deals.con.execute("DROP TABLE touchpoints")
    only_deals.con.execute("DROP TABLE leads")
    only_deals.deal("D1", None, 1).derive()
    assert only_deals.rows("SELECT DISTINCT channel FROM attribution_credits") == [
        ("(unattributed)",)
    ]
    leftovers = only_deals.rows(
        "SELECT table_name FROM duckdb_tables() WHERE temporary "
        "UNION ALL SELECT view_name FROM duckdb_views() "
        "WHERE temporary AND view_name LIKE '\\_rp\\_%' ESCAPE '\\'"
    )
    assert leftovers == []


def test_options_are_part_of_the_loaded_database_key(tmp_path: Path):
    write_tree(
        tmp_path / "data",
        {
            "leads.csv": "lead_id,created_at\nL1,2025-01-01 00:00:00\n",
            "touchpoints.csv": "touchpoint_id,lead_id,touched_at,channel,kind\n"
            "T1,L1,2025-01-01 00:00:00,email,form\n"
            "T2,L1,2025-01-03 00:00:00,paid_search,ad_click\n",
            "deals.csv": "deal_id,lead_id,created_at,amount,is_closed,is_won\n"
            "D1,L1,2025-01-04 00:00:00,100,false,false\n",
        },
    )
    now = datetime(2025, 6, 1)

    def load(options: AttributionOptions) -> tuple[bool, list[tuple]]:
        engine = Engine(
            EngineOptions(cache_dir=tmp_path / "cache", data=DataOptions(attribution=options))
        )
        try:
            engine.load(tmp_path / "data", now=now)
            return engine.parsed, engine.con.execute(
                "SELECT position, weight FROM attribution_credits WHERE model = 'u_shaped' "
                "ORDER BY position"
            ).fetchall()
        finally:
            engine.close()

    assert load(AttributionOptions()) == (True, [(1, 0.5), (2, 0.5)])
    assert load(AttributionOptions()) == (False, [(1, 0.5), (2, 0.5)])  # reused, not derived
    assert load(AttributionOptions(u_preset="marketo")) == (True, [(1, 1.0)])


def test_check_plans_the_attribution_reports_against_derived_tables(tmp_path: Path):
    settings = Settings(root=tmp_path, queries_dir=tmp_path, data_dir=tmp_path)
    engine = Engine()
    try:
        create_empty_tables(engine)
        for name in NEW_REPORTS:
            path = REPO / "queries/attribution" / f"{name}.sql"
            query = parse_query_file(
                path.read_text(encoding="utf-8"), path=str(path), section="attribution", name=name
            )
            assert plan_query(engine, query, settings).rows == []
    finally:
        engine.close()


@pytest.mark.parametrize("table", DERIVED_TABLES, ids=lambda t: t.name)
def test_every_derived_table_and_column_is_documented(table):
    guide = (REPO / "site_src/guide/attribution.md").read_text(encoding="utf-8")
    section = guide.split(f"\n### `{table.name}`\n")[1].split("\n#")[0]
    for column in table.column_names:
        assert f"`{column}`" in section, f"{table.name}.{column}"


# --- a tiny site, built for real ------------------------------------------------------------

SITE_DATA = {
    "leads.csv": "lead_id,created_at\nL1,2025-01-02 00:00:00\nL2,2025-02-01 00:00:00\n"
    "L3,2025-02-01 00:00:00\n",
    "touchpoints.csv": "touchpoint_id,lead_id,touched_at,channel,kind\n"
    "T1,L1,2025-01-01 00:00:00,paid_search,ad_click\n"
    "T2,L1,2025-01-02 00:00:00,organic,form\n"
    "T3,L1,2025-01-05 00:00:00,email,email_click\n"
    "T4,L2,2025-02-01 00:00:00,events,event\n"
    "T5,L3,2025-02-01 00:00:00,organic,visit\n",
    "deals.csv": "deal_id,lead_id,created_at,amount,is_closed,is_won\n"
    "D1,L1,2025-01-06 00:00:00,900,true,true\n"
    "D2,L2,2025-04-02 00:00:00,300,false,false\n"
    "D3,,2025-04-03 00:00:00,50,false,false\n",
}


def test_the_attribution_pages_are_built(site: Path, build):
    shutil.rmtree(site / "data")
    write_tree(site / "data", SITE_DATA)
    shutil.rmtree(site / "queries/sales")
    shutil.copy(REPO / "site_src/glossary.md", site / "site_src/glossary.md")  # the terms
    (site / "queries/attribution").mkdir()
    for name in (*NEW_REPORTS, "_section"):
        suffix = ".yml" if name == "_section" else ".sql"
        shutil.copy(REPO / "queries/attribution" / f"{name}{suffix}", site / "queries/attribution")
    result = build(site, "--strict")
    assert result.exit_code == 0, result.output
    out = site / "build/attribution"
    for name in NEW_REPORTS:
        page = (out / name / "index.html").read_text(encoding="utf-8")
        # The leads and touches end on 1 Feb: the earliest latest event sets the as-of.
        assert "data as of 1 Feb 2025, 00:00 UTC" in page, name
    all_models = (out / "all_models/index.html").read_text("utf-8")
    assert "opportunity is created" in all_models and "glossary/#attribution-model" in all_models
    reconciliation = (out / "reconciliation.csv").read_text(encoding="utf-8").splitlines()
    assert reconciliation[0] == (
        "Quarter,Model,Difference ($),Booked ($),Attributed ($),Unattributed ($),Opportunities"
    )
    assert len(reconciliation) == 1 + 2 * len(RULE_MODELS)
    assert all(line.split(",")[2] == "0.00" for line in reconciliation[1:])
    assert "Q2 2025,Linear,0.00,350.00,300.00,50.00,2" in reconciliation
    models = (out / "all_models.csv").read_text(encoding="utf-8")
    # D1: paid_search, organic (lead creation), email; D2: events; D3: no lead
    assert "U-shaped (google),organic,0.2,180.0,0.0666666666667" in models
    assert "W-shaped,paid_search,0.333333333,300.0,0.111111111" in models
    assert "Shapley value (simplified),(unattributed),1.0,50.0," in models
