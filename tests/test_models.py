"""Shared models: queries/_models/*.sql become views every report (and model) can read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from revpages.errors import FrontMatterError, QueryFileError
from revpages.pipeline import build_reports
from revpages.reports.queryfile import parse_model_file
from revpages.reports.session import CachedEngine
from revpages.settings import Settings
from tests.conftest import write_tree

CLOSED_DEALS = """/*
description: One row per closed deal.
*/
select deal_id, source, amount, is_won from deals where is_closed
"""

# Named to sort before the model it reads: creation order comes from the SQL, not names.
A_WON_BY_SOURCE = """/*
description: Won amount per source.
*/
select source, sum(amount) as won from closed_deals where is_won group by source
"""

WON_REPORT = """/*
title: Won by source
*/
select source, won from a_won_by_source order by source
"""

COUNT_REPORT = """/*
title: Closed deals
*/
select count(*) as closed from closed_deals
"""


def with_models(site: Path, **models: str) -> None:
    write_tree(site / "queries/_models", {f"{name}.sql": sql for name, sql in models.items()})


def settings_for(root: Path) -> Settings:
    return Settings(root=root, queries_dir=root / "queries", data_dir=root / "data")


def test_a_report_selects_from_models_that_read_models(site: Path, build):
    with_models(site, closed_deals=CLOSED_DEALS, a_won_by_source=A_WON_BY_SOURCE)
    write_tree(site / "queries/sales", {"won.sql": WON_REPORT})
    result = build(site)
    assert result.exit_code == 0, result.output
    assert (site / "build/sales/won.csv").read_text().splitlines() == [
        "Source,Won",
        "paid_search,5000.00",
    ]
    # Its window starts at the first event of the tables behind the models: deals.
    page = (site / "build/sales/won/index.html").read_text()
    assert "3 Jan – 20 Mar 2025 · all data to the as-of moment" in page


def test_models_make_no_pages_and_no_section(site: Path, build):
    with_models(site, closed_deals=CLOSED_DEALS)
    write_tree(site / "queries/sales", {"closed.sql": COUNT_REPORT})
    assert build(site).exit_code == 0
    assert (site / "build/sales/closed.csv").read_text() == "Closed\n3\n"
    assert not list((site / "build").rglob("*models*"))
    home = (site / "build/index.html").read_text()
    assert "closed_deals" not in home and "Models" not in home
    manifest = json.loads((site / "build/revpages-manifest.json").read_text())
    assert [r["id"] for r in manifest["reports"]] == ["sales/closed", "sales/pipeline"]


def test_a_cte_named_like_a_model_is_not_a_read_of_it(site: Path, build):
    shadowing = CLOSED_DEALS.replace("from deals", "from a_won_by_source").replace(
        "select deal_id", "with a_won_by_source as (select * from deals)\nselect deal_id"
    )
    with_models(site, closed_deals=shadowing, a_won_by_source=A_WON_BY_SOURCE)
    write_tree(site / "queries/sales", {"won.sql": WON_REPORT})
    result = build(site)
    assert result.exit_code == 0, result.output
    assert (site / "build/sales/won.csv").read_text().splitlines()[1] == "paid_search,5000.00"


def test_a_cycle_is_an_error_at_the_read_that_closes_it(site: Path, build):
    with_models(
        site,
        a=A_WON_BY_SOURCE.replace("closed_deals", "b"),
        b=CLOSED_DEALS.replace("from deals", "from a"),
        c="/*\ndescription: Reads a model in the cycle.\n*/\nselect * from b\n",
    )
    result = build(site)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert (
        "queries/_models/a.sql:4:40: RP411 the models read each other in a cycle: a -> b "
        "-> a, so none of them can be created. Hint: a model may read tables and other models, "
        "but never itself through them; move the shared part into one model that both "
        "read."
    ) in lines
    assert (
        "queries/_models/c.sql:4:15: RP412 the model 'b' could not be created, so this "
        "query cannot read it. Hint: fix queries/_models/b.sql first; its own error is "
        "shown too."
    ) in lines
    assert "2 errors; the site was not built." in lines


def test_a_model_that_reads_itself_is_a_cycle(site: Path, build):
    with_models(site, closed_deals=CLOSED_DEALS.replace("from deals", "from closed_deals"))
    result = build(site)
    assert result.exit_code == 1
    assert (
        "queries/_models/closed_deals.sql:4:45: RP411 the models read each other in a "
        "cycle: "
        "closed_deals -> closed_deals"
    ) in result.output


def test_model_errors_point_into_the_model_file(site: Path, build):
    # DuckDB counts bytes; the position is still right after non-ASCII text.
    broken = "/*\ndescription: Naïve — a typo.\n*/\n-- café\nselect\n  amout from deals\n"
    with_models(
        site,
        closed_deals=broken,
        deals="/*\ndescription: A clash.\n*/\nselect 1\n",
        dropped="/*\ndescription: Not a SELECT.\n*/\ndrop table deals\n",
    )
    write_tree(site / "queries/sales", {"closed.sql": COUNT_REPORT})
    result = build(site)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(
        line.startswith("queries/_models/closed_deals.sql:6:3: ")
        and 'Referenced column "amout" not found' in line
        for line in lines
    ), lines
    assert any(
        line.startswith("queries/_models/dropped.sql:4:1: ")
        and "only SELECT or WITH queries" in line
        for line in lines
    ), lines
    assert (
        "queries/_models/deals.sql: RP217 the model 'deals' has the name of a data table, "
        "so a query could not tell them apart. Hint: rename the file, e.g. to deals_model.sql."
    ) in lines
    assert (
        "queries/sales/closed.sql:4:32: RP412 the model 'closed_deals' could not be "
        "created, so this query cannot read it. Hint: fix queries/_models/closed_deals.sql "
        "first; its own error is shown too."
    ) in lines


def test_model_front_matter_holds_a_description_only():
    model = parse_model_file(CLOSED_DEALS, path="m.sql", name="closed_deals")
    assert model.spec.title == "closed_deals"
    assert model.spec.description == "One row per closed deal."
    assert model.sql.startswith("select deal_id")
    with pytest.raises(FrontMatterError, match="unknown front-matter key 'chart'") as caught:
        parse_model_file("/*\ndescription: x\nchart: bar\n*/\nselect 1", path="m.sql", name="m")
    assert (caught.value.line, caught.value.hint) == (3, "valid keys are description.")
    with pytest.raises(FrontMatterError, match="the front matter has no 'description'"):
        parse_model_file("/*\n{}\n*/\nselect 1", path="m.sql", name="m")
    with pytest.raises(QueryFileError, match="the model name 'won-deals' is not a valid view"):
        parse_model_file(CLOSED_DEALS, path="won-deals.sql", name="won-deals")


@pytest.mark.slow  # whole builds; make test runs it
def test_editing_a_model_runs_again_only_the_reports_that_read_it(site: Path, build):
    with_models(site, closed_deals=CLOSED_DEALS, a_won_by_source=A_WON_BY_SOURCE)
    write_tree(site / "queries/sales", {"won.sql": WON_REPORT, "closed.sql": COUNT_REPORT})

    def ran() -> list[str]:
        target = site / "manifest.json"
        result = build(site, "--quiet", "--manifest", str(target))
        assert result.exit_code == 0, result.output
        return sorted(r["id"] for r in json.loads(target.read_text())["reports"] if not r["cached"])

    assert ran() == ["sales/closed", "sales/pipeline", "sales/won"]
    assert ran() == []
    model = site / "queries/_models/closed_deals.sql"
    model.write_text(CLOSED_DEALS.replace("where is_closed", "where is_closed and amount > 1500"))
    # sales/won reads closed_deals through a_won_by_source; pipeline reads no model.
    assert ran() == ["sales/closed", "sales/won"]
    assert (site / "build/sales/closed.csv").read_text() == "Closed\n2\n"
    model.write_text(model.read_text().replace("description: One", "description: Just one"))
    assert ran() == []  # the description is not part of the result


def test_a_preview_runs_again_the_reports_of_an_edited_model(site: Path):
    with_models(site, closed_deals=CLOSED_DEALS)
    write_tree(site / "queries/sales", {"closed.sql": COUNT_REPORT})
    engine = CachedEngine()
    try:
        build_reports(settings_for(site), engine=engine, preview=True)
        assert (engine.stats.runs, engine.stats.hits) == (2, 0)
        build_reports(settings_for(site), engine=engine, preview=True)
        assert (engine.stats.runs, engine.stats.hits) == (0, 2)
        (site / "queries/_models/closed_deals.sql").write_text(
            CLOSED_DEALS.replace("where is_closed", "where not is_closed")
        )
        output = build_reports(settings_for(site), engine=engine, preview=True)
        assert (engine.stats.runs, engine.stats.hits) == (1, 1)
        csv = next(f.content for f in output.files if f.path == "sales/closed.csv")
        assert csv == "Closed\n1\n"
        (site / "queries/_models/closed_deals.sql").unlink()  # its view goes with it
        output = build_reports(settings_for(site), engine=engine, preview=True)
        assert [e.path for e in output.errors] == ["queries/sales/closed.sql"]
    finally:
        engine.shutdown()


def test_check_plans_the_models(site: Path, monkeypatch):
    from revpages.commands.cli import cli

    monkeypatch.chdir(site)
    with_models(site, closed_deals=CLOSED_DEALS, a_won_by_source=A_WON_BY_SOURCE)
    write_tree(site / "queries/sales", {"won.sql": WON_REPORT})
    result = CliRunner().invoke(cli, ["check"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    with_models(site, closed_deals=CLOSED_DEALS.replace("amount,", "amout,"))
    result = CliRunner().invoke(cli, ["check"], catch_exceptions=False)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(
        line.startswith("queries/_models/closed_deals.sql:4:25: ")
        and 'Referenced column "amout" not found' in line
        for line in lines
    ), lines
    assert any(
        line.startswith(
            "queries/_models/a_won_by_source.sql:4:40: RP412 the model "
            "'closed_deals' could not be created"
        )
        for line in lines
    ), lines
