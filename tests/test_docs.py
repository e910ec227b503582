"""The user guide documents everything a user can type: a new key, chart type, option or
command without its documentation fails here (as datasette's test_docs.py does)."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import click
import duckdb
import pytest
import yaml

from revpages.commands.check import create_empty_tables, plan_query
from revpages.commands.cli import cli
from revpages.commands.sample_data import TARGET_METRICS
from revpages.contract import TABLES_BY_NAME
from revpages.ingest.data_dir import load_data_dir
from revpages.pages.markdown import lines_outside_fences
from revpages.pages.narrative import check_pages
from revpages.reports.engine import Engine
from revpages.reports.queryfile import parse_model_file, parse_query_file
from revpages.reports.spec import CHART_TYPES, FRONT_MATTER_KEYS
from revpages.settings import Settings
from revpages.site.config import RevpagesConfig

REPO = Path(__file__).resolve().parents[1]
GUIDE = REPO / "site_src/guide"
TEMPLATE_WORKFLOW = REPO / "src/revpages/templates/project/dot-github/workflows/nightly.yml"


def section(page: str, heading: str) -> str:
    """The text under a heading, up to the next heading of the same or a higher level
    (lines inside fenced code blocks are never headings)."""
    lines = (GUIDE / page).read_text().splitlines(keepends=True)
    level = len(heading.split(" ")[0])
    start = lines.index(f"{heading}\n") + 1
    for number, line in lines_outside_fences(lines[start:]):
        if re.match(rf"#{{1,{level}}} ", line):
            return "".join(lines[start : start + number - 1])
    return "".join(lines[start:])


def blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)


def options() -> list[tuple[str, object]]:
    return [(name, option.default) for name, option in RevpagesConfig._schema]


def commands() -> dict[str, click.Command]:
    return dict(cli.commands)


@pytest.mark.parametrize("key", FRONT_MATTER_KEYS, ids=lambda k: k.name)
def test_every_front_matter_key_is_documented(key):
    keys = section("queries.md", "## Front-matter keys")
    assert f"\n### `{key.name}`\n" in keys, f"no '### `{key.name}`' in guide/queries.md"
    assert key.example in section("queries.md", f"### `{key.name}`")


@pytest.mark.parametrize("chart", CHART_TYPES)
def test_every_chart_type_is_documented_with_a_working_example(chart: str):
    assert f"\n### `{chart}`\n" in section("queries.md", "## Chart types")
    examples = blocks(section("queries.md", f"### `{chart}`"), "sql")
    assert examples, f"no SQL example for chart type '{chart}'"
    query = parse_query_file(examples[0], path=f"{chart}.sql", section="guide", name=chart)
    assert query.spec.chart == chart


def test_every_sql_example_of_the_guide_plans_against_the_contract(tmp_path: Path):
    settings = Settings(root=tmp_path, queries_dir=tmp_path, data_dir=tmp_path)
    examples = blocks((GUIDE / "queries.md").read_text(), "sql")
    # The calendar page's whole queries too (its other SQL blocks are fragments).
    examples += [b for b in blocks((GUIDE / "calendar.md").read_text(), "sql") if b[:2] == "/*"]
    # Model examples name their file in a first comment: "-- queries/_models/<name>.sql".
    models = [
        parse_model_file(text, path=found[1], name=found[2])
        for text in examples
        if (found := re.match(r"-- (queries/_models/(\w+)\.sql)\n", text))
    ]
    assert models, "no model example in guide/queries.md"
    engine = Engine()
    try:
        create_empty_tables(engine)
        assert engine.add_models(models) == []
        for number, text in enumerate(examples):
            if not text.startswith("-- queries/_models/"):
                query = parse_query_file(
                    text, path=f"example{number}.sql", section="guide", name=f"example{number}"
                )
                plan_query(engine, query, settings)
    finally:
        engine.close()


def test_the_targets_section_names_every_metric_and_its_example_loads(tmp_path: Path):
    text = section("exports.md", "## Targets")
    metric_rows = text.split("| metric |", 1)[1].split("\n\n", 1)[0].splitlines()[2:]
    named = [m for row in metric_rows for m in re.findall(r"`(\w+)`", row.split(" | ")[0])]
    assert sorted(named) == sorted(TARGET_METRICS)
    doc = TABLES_BY_NAME["targets"].columns_by_name["metric"].doc
    assert all(metric in doc for metric in TARGET_METRICS)
    (example,) = blocks(text, "csv")
    assert len(example.splitlines()) == 5
    (tmp_path / "targets.csv").write_text(example)
    con = duckdb.connect()
    try:
        load_data_dir(con, tmp_path, now=datetime(2026, 11, 1))
        for outcome in ("revpages_rejects", "revpages_flags", "revpages_missing_columns"):
            assert con.execute(f"SELECT count(*) FROM {outcome}").fetchone()[0] == 0, outcome
        assert con.execute("SELECT count(*) FROM targets WHERE owner IS NULL").fetchone() == (2,)
    finally:
        con.close()


@pytest.mark.parametrize("name, default", options(), ids=[n for n, _ in options()])
def test_every_plugin_option_is_documented_with_its_default(name: str, default: object):
    text = section("configuration.md", f"### `{name}`")
    # A bool, not 1 (equal to True as a key): YAML writes it true / false.
    shown = str(default).lower() if isinstance(default, bool) else default
    if isinstance(default, list):
        shown = json.dumps(default)
    expected = "Default: none" if default is None else f"Default: `{shown}`"
    assert text.strip().startswith(expected), f"'{name}' should start with '{expected}'"


def test_the_defaults_block_is_the_real_defaults():
    config = yaml.safe_load(blocks((GUIDE / "configuration.md").read_text(), "yaml")[0])
    documented = next(p for p in config["plugins"] if isinstance(p, dict))["revpages"]
    assert documented == dict(options())


@pytest.mark.parametrize("name", sorted(commands()))
def test_every_command_and_option_is_documented(name: str):
    text = section("cli.md", f"## `revpages {name}`")
    for param in commands()[name].params:
        if isinstance(param, click.Option):
            for flag in [*param.opts, *param.secondary_opts]:
                if flag.startswith("--"):
                    assert f"`{flag}`" in text, f"'revpages {name} {flag}' is undocumented"


def test_the_readme_lists_every_command():
    readme = (REPO / "README.md").read_text()
    assert readme.startswith("# revpages\n\n```sh\nmake site")
    table = readme[readme.index("## Commands") :]
    for name in commands():
        assert f"| `revpages {name}" in table, f"README's command table lacks '{name}'"


def test_the_guide_shows_the_workflow_init_writes():
    github = blocks(section("ci.md", "## GitHub Actions"), "yaml")
    assert github == [TEMPLATE_WORKFLOW.read_text()]


@pytest.mark.parametrize(
    "workflow",
    [TEMPLATE_WORKFLOW, REPO / ".github/workflows/nightly.yml"],
    ids=["template", "repository"],
)
def test_nightly_workflows_build_strict_and_publish(workflow: Path):
    spec = yaml.safe_load(workflow.read_text())
    triggers = spec[True]  # YAML 1.1 reads the key 'on' as true
    assert triggers["schedule"][0]["cron"] and "workflow_dispatch" in triggers
    steps = spec["jobs"]["build"]["steps"]
    runs = [step.get("run", "") for step in steps]
    assert "revpages build --strict --quiet --manifest build-manifest.json" in runs
    assert any("Fetch the CRM exports" in step.get("name", "") for step in steps)
    assert any(step.get("uses", "").startswith("actions/upload-pages-artifact") for step in steps)
    deploy = spec["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages")


def test_the_gitlab_recipe_builds_strict_and_publishes():
    gitlab = yaml.safe_load(blocks(section("ci.md", "## GitLab CI"), "yaml")[0])
    job = gitlab["pages"]
    assert "revpages build --strict --quiet --manifest build-manifest.json" in job["script"]
    assert job["script"][-1] == "mv build public" and "public" in job["artifacts"]["paths"]
    assert {r["if"] for r in job["rules"]} == {
        '$CI_PIPELINE_SOURCE == "schedule"',
        '$CI_PIPELINE_SOURCE == "web"',
    }


def test_guide_pages_have_no_live_markers():
    pages = [(p.name, p.read_text()) for p in GUIDE.glob("*.md")]
    assert check_pages(pages, {}) == []


def test_the_reliability_page_names_real_tests():
    text = (GUIDE / "reliability.md").read_text()
    named = re.findall(r"`(?:(test_\w+)\.py::)?(test_\w+)`", text)
    assert len(named) >= 20
    sources = {p.stem: p.read_text() for p in (REPO / "tests").glob("test_*.py")}
    for module, name in named:
        if module:
            assert module in sources, f"reliability.md names a missing tests/{module}.py"
            assert f"def {name}(" in sources[module], f"no {module}.py::{name}"
        else:
            assert any(f"def {name}(" in s for s in sources.values()), f"no test {name}"
    for page in ("index.md", "ci.md"):
        assert "(reliability.md)" in (GUIDE / page).read_text(), page
