"""The sample-data generator: determinism, contract shape and the realism reports rely on."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import duckdb
import pytest

from revpages.commands.sample_data import generate_sample_data
from revpages.contract import DEAL_STAGES, TABLES

N_LEADS = 2_000
EXPORT_END = "2026-10-31 23:59:59"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    out = tmp_path_factory.mktemp("sample")
    return out, generate_sample_data(out, leads=N_LEADS)


@pytest.fixture(scope="module")
def db(sample: tuple[Path, dict[str, int]]) -> duckdb.DuckDBPyConnection:
    """Every CSV loaded with the contract's types, so a type mismatch fails loudly."""
    out, _ = sample
    con = duckdb.connect()
    for table in TABLES:
        columns = {column.name: column.type for column in table.columns}
        path = str(out / f"{table.name}.csv")
        con.execute(
            f"create table {table.name} as "
            "select * from read_csv($path, header = true, columns = $columns, "
            "timestampformat = '%Y-%m-%d %H:%M:%S', dateformat = '%Y-%m-%d')",
            {"path": path, "columns": columns},
        )
    return con


def one(con: duckdb.DuckDBPyConnection, sql: str):
    return con.sql(sql).fetchone()[0]


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    first, second, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate_sample_data(first, leads=500, seed=3)
    generate_sample_data(second, leads=500, seed=3)
    generate_sample_data(other, leads=500, seed=4)
    for table in TABLES:
        name = f"{table.name}.csv"
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert (first / "leads.csv").read_bytes() != (other / "leads.csv").read_bytes()


def test_every_contract_table_is_written_with_the_contract_header(sample) -> None:
    out, rows = sample
    assert set(rows) == {table.name for table in TABLES}
    for table in TABLES:
        lines = (out / f"{table.name}.csv").read_text(encoding="utf-8").splitlines()
        assert lines[0] == ",".join(table.column_names)
        assert rows[table.name] > 0
    assert rows["leads"] == N_LEADS


def test_row_counts_match_the_files(sample, db) -> None:
    _, rows = sample
    for table in TABLES:
        assert one(db, f"select count(*) from {table.name}") == rows[table.name], table.name


def test_csv_formats(sample) -> None:
    out, _ = sample
    lead = (out / "leads.csv").read_text(encoding="utf-8").splitlines()[1].split(",")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", lead[1])
    deal = (out / "deals.csv").read_text(encoding="utf-8").splitlines()[1].split(",")
    assert deal[8] in {"true", "false"}
    assert re.fullmatch(r"\d+\.\d\d", deal[6])
    spend = (out / "spend.csv").read_text(encoding="utf-8").splitlines()[1].split(",")
    assert re.fullmatch(r"\d{4}-\d\d-01", spend[2])


def test_keys_are_unique_and_required_columns_filled(db) -> None:
    for table in TABLES:
        key = ", ".join(table.key)
        dupes = one(db, f"select count(*) - count(distinct ({key})) from {table.name}")
        assert dupes == 0, table.name
        for column in table.columns:
            if column.required:
                nulls = one(db, f'select count(*) from {table.name} where "{column.name}" is null')
                assert nulls == 0, f"{table.name}.{column.name}"


@pytest.mark.parametrize(
    ("child", "column", "parent", "key"),
    [
        ("touchpoints", "lead_id", "leads", "lead_id"),
        ("activities", "lead_id", "leads", "lead_id"),
        ("activities", "deal_id", "deals", "deal_id"),
        ("deals", "lead_id", "leads", "lead_id"),
        ("deals", "account_id", "accounts", "account_id"),
        ("leads", "account_id", "accounts", "account_id"),
        ("leads", "converted_deal_id", "deals", "deal_id"),
        ("leads", "campaign_id", "campaigns", "campaign_id"),
        ("touchpoints", "campaign_id", "campaigns", "campaign_id"),
        ("spend", "campaign_id", "campaigns", "campaign_id"),
        ("stage_history", "deal_id", "deals", "deal_id"),
        ("deal_competitors", "deal_id", "deals", "deal_id"),
    ],
)
def test_references_exist(db, child: str, column: str, parent: str, key: str) -> None:
    orphans = one(
        db,
        f"select count(*) from {child} c where c.{column} is not null "
        f"and not exists (select 1 from {parent} p where p.{key} = c.{column})",
    )
    assert orphans == 0
    assert one(db, f"select count({column}) from {child}") > 0


def test_lead_and_deal_point_at_each_other(db) -> None:
    assert one(db, "select count(*) from leads where converted_deal_id is not null") == one(
        db, "select count(*) from deals"
    )
    mismatched = one(
        db,
        "select count(*) from deals d join leads l on l.lead_id = d.lead_id "
        "where l.converted_deal_id is distinct from d.deal_id "
        "or l.account_id is distinct from d.account_id or l.source <> d.source "
        "or l.owner is distinct from d.owner or l.segment <> d.segment",
    )
    assert mismatched == 0


def test_campaign_channels_agree(db) -> None:
    for table, channel in [("leads", "source"), ("touchpoints", "channel"), ("spend", "channel")]:
        wrong = one(
            db,
            f"select count(*) from {table} t join campaigns c using (campaign_id) "
            f"where c.channel <> t.{channel}",
        )
        assert wrong == 0, table
    assert one(db, "select count(*) from spend where channel in ('organic', 'direct')") == 0
    outside = one(
        db,
        "select count(*) from spend s join campaigns c using (campaign_id) "
        "where s.month > c.end_date or s.month < date_trunc('month', c.start_date)",
    )
    assert outside == 0


def test_funnel_timestamps_are_ordered(db) -> None:
    bad = one(
        db,
        """
        select count(*) from leads l left join deals d on d.deal_id = l.converted_deal_id
        where mql_at < l.created_at or sal_at < coalesce(mql_at, l.created_at)
           or sql_at < coalesce(sal_at, mql_at, l.created_at)
           or d.created_at < coalesce(sql_at, l.created_at)
           or first_touch_at < coalesce(mql_at, l.created_at)
           or rejected_at < first_touch_at or sal_at < first_touch_at
           or (converted_deal_id is not null and sql_at is null)
        """,
    )
    assert bad == 0
    # The data never reaches past the export moment.
    latest = [
        ("leads", "created_at"),
        ("leads", "sql_at"),
        ("touchpoints", "touched_at"),
        ("activities", '"at"'),  # `at` is a reserved word in DuckDB
        ("stage_history", "entered_at"),
    ]
    for table, column in latest:
        assert str(one(db, f"select max({column}) from {table}")) <= EXPORT_END


def test_some_leads_skip_a_stage_as_real_crms_do(db) -> None:
    assert one(db, "select count(*) from leads where sql_at is not null and sal_at is null") > 0
    assert one(db, "select count(*) from leads where sql_at is not null and sal_at is not null") > 0


def test_status_matches_the_timestamps(db) -> None:
    wrong = one(
        db,
        """
        select count(*) from leads where status <> case
            when converted_deal_id is not null then 'converted'
            when rejected_at is not null then 'rejected'
            when sql_at is not null then 'qualified'
            when sal_at is not null or first_touch_at is not null then 'working'
            else 'open' end
            or (rejected_at is null) <> (reject_reason is null)
            or (rejected_at is not null and sal_at is not null)
        """,
    )
    assert wrong == 0
    assert one(db, "select count(distinct reject_reason) from leads") >= 4


def test_first_touch_is_the_first_sales_activity(db) -> None:
    wrong = one(
        db,
        """
        select count(*) from leads l
        left join (select lead_id, min("at") as first_at from activities group by lead_id) a
            using (lead_id)
        where l.first_touch_at is distinct from a.first_at
        """,
    )
    assert wrong == 0


def test_response_time_varies_strongly_by_owner(db) -> None:
    medians = db.sql(
        """
        select owner, median(epoch(first_touch_at - coalesce(mql_at, created_at))) / 60
        from leads where mql_at is not null group by owner
        """
    ).fetchall()
    minutes = sorted(m for _, m in medians)
    assert 8 <= len(minutes) <= 12
    assert minutes[0] < 15  # someone answers within minutes
    assert minutes[-1] > 24 * 60  # someone takes days
    never = one(
        db, "select count(*) from leads where mql_at is not null and first_touch_at is null"
    )
    assert never > 0


def test_stage_history_walks_the_stages_in_order(db) -> None:
    order = {stage: i for i, stage in enumerate(DEAL_STAGES)}
    rows = db.sql(
        "select deal_id, list(stage order by entered_at), list(entered_at order by entered_at) "
        "from stage_history group by deal_id"
    ).fetchall()
    assert len(rows) == one(db, "select count(*) from deals")
    for _, stages, times in rows:
        ranks = [order[s] for s in stages]
        assert ranks[:-1] == list(range(len(ranks) - 1)), stages
        assert ranks[-1] in (len(ranks) - 1, 4, 5)
        assert all(a < b for a, b in itertools.pairwise(times))
    wrong = one(
        db,
        """
        select count(*) from deals d
        join (select deal_id, min(entered_at) as first_at, arg_max(stage, entered_at) as last,
                     max(entered_at) as last_at
              from stage_history group by deal_id) h using (deal_id)
        where h.first_at <> d.created_at or h.last <> d.stage
           or (d.is_closed and h.last_at <> d.closed_at)
        """,
    )
    assert wrong == 0


def test_deal_outcomes_are_consistent(db) -> None:
    wrong = one(
        db,
        """
        select count(*) from deals
        where closed_at < created_at or (is_won and not is_closed)
           or (stage = 'closed_won') <> is_won
           or (stage = 'closed_lost') <> (is_closed and not is_won)
           or (loss_reason is not null) <> (is_closed and not is_won)
           or amount <= 0 or margin <= 0 or margin >= amount
        """,
    )
    assert wrong == 0
    assert one(db, "select count(*) from deals where not is_closed") > 0
    reasons = {r for (r,) in db.sql("select distinct loss_reason from deals").fetchall()}
    assert {"price", "features", "no_decision", "timing", "competitor"} <= reasons
    # Losses to a competitor only where a competitor was recorded.
    assert (
        one(
            db,
            "select count(*) from deals where loss_reason = 'competitor' and deal_id not in "
            "(select deal_id from deal_competitors)",
        )
        == 0
    )


def test_margin_differs_by_product(db) -> None:
    margins = dict(
        db.sql("select product, sum(margin) / sum(amount) from deals group by product").fetchall()
    )
    assert margins["core"] > margins["analytics"] > margins["enterprise_suite"]


def test_channel_quality_differs(db) -> None:
    rates = dict(
        db.sql(
            "select source, avg((converted_deal_id is not null)::int) from leads group by source"
        ).fetchall()
    )
    assert len(rates) == 8
    assert rates["events"] > 3 * rates["paid_social"]
    assert rates["partner"] > 3 * rates["paid_social"]
    mql = dict(
        db.sql("select source, avg((mql_at is not null)::int) from leads group by 1").fetchall()
    )
    assert max(mql.values()) > 2 * min(mql.values())


def test_touchpoints_tell_a_journey(db) -> None:
    per_lead = one(db, "select count(*) / count(distinct lead_id) from touchpoints")
    assert 6 <= per_lead <= 10
    assert one(db, "select count(distinct lead_id) from touchpoints") == N_LEADS
    kinds = {k for (k,) in db.sql("select distinct kind from touchpoints").fetchall()}
    assert kinds == {"ad_click", "form", "email_click", "event", "visit"}
    before, after = db.sql(
        """
        select count(*) filter (where t.touched_at <= d.created_at),
               count(*) filter (where t.touched_at > d.created_at)
        from touchpoints t join deals d using (lead_id)
        """
    ).fetchone()
    assert before > 4 * after > 0
    first_is_source = one(
        db,
        """
        select avg((t.channel = l.source)::int) from leads l
        join (select lead_id, arg_min(channel, (touched_at, kind, touchpoint_id)) as channel
              from touchpoints group by lead_id) t using (lead_id)
        """,
    )
    assert first_is_source > 0.5


def test_competitors_and_notes(db) -> None:
    assert one(db, "select count(distinct competitor) from deal_competitors") >= 5
    assert (
        one(db, "select max(n) from (select count(*) n from deal_competitors group by deal_id)")
        <= 3
    )
    notes = [n for (n,) in db.sql("select distinct notes from deal_competitors").fetchall() if n]
    assert any(n.startswith("=") for n in notes)
    assert any("<" in n and "&" in n for n in notes)
    assert any('"' in n for n in notes)
    assert any(not n.isascii() for n in notes)


def test_competitor_win_rates_differ(db) -> None:
    rates = [
        rate
        for (rate,) in db.sql(
            "select avg(is_won::int) from deal_competitors join deals using (deal_id) "
            "where is_closed group by competitor"
        ).fetchall()
    ]
    assert max(rates) - min(rates) > 0.1


def test_accounts_and_market(db) -> None:
    segments = {s for (s,) in db.sql("select distinct segment from accounts").fetchall()}
    assert segments == {"smb", "mid_market", "enterprise"}
    assert one(db, "select count(*) from accounts where not in_tam") > 0
    untouched = one(
        db,
        "select count(*) from accounts a where in_tam and not exists "
        "(select 1 from leads l where l.account_id = a.account_id)",
    )
    assert untouched > 0


def test_lead_volume_has_seasonality_and_growth(db) -> None:
    by_month = dict(
        db.sql("select strftime(created_at, '%Y-%m'), count(*) from leads group by 1").fetchall()
    )
    assert min(by_month) == "2024-05" and max(by_month) == "2026-10"
    assert by_month["2025-08"] < by_month["2025-07"] < by_month["2025-10"]
    first_year = sum(v for k, v in by_month.items() if "2024-11" <= k <= "2025-10")
    second_year = sum(v for k, v in by_month.items() if "2025-11" <= k <= "2026-10")
    assert second_year > 1.2 * first_year
    weekend = one(db, "select avg((dayofweek(created_at) in (0, 6))::int) from leads")
    assert weekend < 2 / 7


def bias_by_owner(db: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """Bias = sum(F - A) / sum(A) over complete quarters (METRICS.md)."""
    return dict(
        db.sql(
            """
            with actual as (
                select owner, strftime(closed_at, '%Y') || '-Q' || quarter(closed_at) as period,
                       sum(amount) as actual
                from deals where is_won group by all)
            select f.owner, sum(f.forecast_value - coalesce(a.actual, 0)) / sum(a.actual)
            from forecasts f left join actual a using (owner, period)
            where f.metric = 'bookings' and f.period < '2026-Q4'
            group by f.owner
            """
        ).fetchall()
    )


def test_forecast_bias_has_a_sandbagger_and_an_optimist(db) -> None:
    bias = bias_by_owner(db)
    assert len(bias) >= 8
    assert bias["Jordan Patel"] < -0.15  # forecasts ~25% under
    assert bias["Marcus Reid"] > 0.25  # forecasts ~40% over
    assert min(bias, key=bias.get) == "Jordan Patel"
    assert max(bias, key=bias.get) == "Marcus Reid"


def test_forecasts_are_submitted_at_the_start_of_each_quarter(db) -> None:
    rows = db.sql("select period, submitted_at, owner, metric from forecasts").fetchall()
    for period, submitted, _, _ in rows:
        assert re.fullmatch(r"\d{4}-Q[1-4]", period)
        assert f"{submitted.year}-Q{(submitted.month - 1) // 3 + 1}" == period
        assert submitted.month % 3 == 1 and submitted.day <= 3
    marketing = {(o, m) for _, _, o, m in rows if o == "Marketing"}
    assert marketing == {("Marketing", "leads")}


def quarter(column: str) -> str:
    return f"strftime({column}, '%Y') || '-Q' || quarter({column})"


def attainment_by_owner(db: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """Won amount closed in the complete quarters / the owner's quotas for them."""
    return dict(
        db.sql(
            f"""
            with won as (
                select owner, {quarter("closed_at")} as period, sum(amount) as won
                from deals where is_won group by all)
            select t.owner, sum(coalesce(w.won, 0)) / sum(t.value)
            from targets t left join won w using (owner, period)
            where t.metric = 'bookings' and t.period < '2026-Q4'
            group by t.owner
            """
        ).fetchall()
    )


def plan_ratio_by_channel(db: duckdb.DuckDBPyConnection, metric: str) -> dict[str, float]:
    """Leads (or MQLs) of the complete quarters / the plan for them, per channel and in
    total (key None)."""
    at = {"leads": "created_at", "mqls": "mql_at"}[metric]
    return dict(
        db.sql(
            f"""
            with actual as (
                select source as channel, {quarter(at)} as period, count(*) as n
                from leads where {at} is not null group by all)
            select t.channel, sum(coalesce(a.n, 0)) / sum(t.value)
            from targets t left join actual a using (channel, period)
            where t.metric = $metric and t.period < '2026-Q4'
            group by rollup (t.channel)
            """,
            params={"metric": metric},
        ).fetchall()
    )


def test_quotas_put_some_owners_ahead_and_some_behind(db) -> None:
    attainment = attainment_by_owner(db)
    assert len(attainment) == 10
    for owner in ("Avery Chen", "Jordan Patel", "Hannah Schulz"):
        assert attainment[owner] > 1.1, owner
    for owner in ("Marcus Reid", "Sofia Rossi"):
        assert attainment[owner] < 0.85, owner
    others = set(attainment) - {"Avery Chen", "Jordan Patel", "Hannah Schulz"}
    others -= {"Marcus Reid", "Sofia Rossi"}
    assert all(0.9 < attainment[owner] < 1.1 for owner in others), attainment
    # Quotas are whole thousands (a small owner's quarter may round to 0).
    odd = one(db, "select count(*) from targets where metric = 'bookings' and value % 1000 <> 0")
    assert odd == 0


def test_lead_plan_has_channels_ahead_and_behind(db) -> None:
    for metric in ("leads", "mqls"):
        ratio = plan_ratio_by_channel(db, metric)
        assert len(ratio) == 9, metric  # eight channels and the total
        assert ratio["organic"] > 1.1 and ratio["partner"] > 1.1, (metric, ratio)
        assert ratio["paid_social"] < 0.9 and ratio["events"] < 0.9, (metric, ratio)
        assert 0.9 <= ratio[None] <= 1.1, (metric, ratio)


def test_targets_cover_every_quarter_and_metric(db) -> None:
    periods = {p for (p,) in db.sql("select distinct period from forecasts").fetchall()}
    rows = db.sql(
        "select metric, period, owner, team, segment, channel, value from targets"
    ).fetchall()
    assert {row[1] for row in rows} == periods
    per_period = {(m, o, t, c) for m, _, o, t, _, c, _ in rows}
    assert len(rows) == len(per_period) * len(periods)  # the same targets every quarter
    assert {row[0] for row in rows} == {
        "bookings",
        "pipeline",
        "leads",
        "mqls",
        "mql_to_sql",
        "win_rate",
        "cac",
        "forecast_accuracy",
        "sla_hours",
        "sla_compliance",
    }
    assert all(segment is None and value >= 0 for _, _, _, _, segment, _, value in rows)
    for metric, owner, team, channel in per_period:
        if metric == "bookings":
            assert (team, channel) == ("sales", None) and owner, metric
        elif metric in ("leads", "mqls"):
            assert (team, owner) == ("marketing", None) and channel, metric
        else:  # company-level
            assert owner is None and channel is None, metric
            assert team == ("marketing" if metric in ("pipeline", "mql_to_sql", "cac") else "sales")
    company = dict(
        db.sql(
            "select metric, any_value(value) from targets where owner is null "
            "and channel is null group by metric having count(distinct value) = 1"
        ).fetchall()
    )
    assert company == {
        "mql_to_sql": 0.3,
        "win_rate": 0.3,
        "cac": company["cac"],
        "forecast_accuracy": 0.85,
        "sla_hours": 1.0,
        "sla_compliance": 0.8,
    }
    assert company["cac"] % 100 == 0


def test_pipeline_target_is_a_stretch_and_cac_a_ceiling_near_the_run_rate(db) -> None:
    pipeline = one(
        db,
        f"""
        select sum(d.amount) / (select sum(value) from targets
                                where metric = 'pipeline' and period < '2026-Q4')
        from deals d where {quarter("d.created_at")} between '2024-Q4' and '2026-Q3'
        """,
    )
    assert 0.85 < pipeline < 0.98
    cac = one(
        db,
        f"""
        select (select sum(amount) from spend where {quarter("month")} < '2026-Q4'
                and month >= '2024-10-01')
            / (select count(*) from deals where is_won and {quarter("closed_at")} < '2026-Q4'
               and closed_at >= '2024-10-01')
            / (select any_value(value) from targets where metric = 'cac')
        """,
    )
    assert 0.95 < cac < 1.05


def test_tiny_sizes_still_write_every_table(tmp_path: Path) -> None:
    rows = generate_sample_data(tmp_path, leads=1)
    assert rows["leads"] == 1
    for table in TABLES:
        assert (tmp_path / f"{table.name}.csv").exists()


def test_rejects_nonsense_size(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        generate_sample_data(tmp_path, leads=0)
