"""`revpages new` and `revpages init`: starting points that build right away."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from revpages.commands.cli import cli
from revpages.commands.scaffold import (
    ReportName,
    create_query_file,
    init_project,
    parse_report_name,
    query_template,
)
from revpages.errors import ConfigError
from revpages.reports.queryfile import parse_query_file
from revpages.reports.spec import CHART_TYPES, FRONT_MATTER_KEYS, ReportSpec
from tests.conftest import write_tree


def invoke(folder: Path, monkeypatch: pytest.MonkeyPatch, *args: str):
    monkeypatch.chdir(folder)
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_template_documents_every_front_matter_key_and_parses():
    text = query_template(ReportName("sales", "win_rate"))
    for key in FRONT_MATTER_KEYS:
        assert f"# {key.name}: {key.help.split()[0]}" in text, key.name
        assert key.example in text, key.name
    flat = " ".join(line.removeprefix("# ") for line in text.splitlines())
    assert "One of: " + ", ".join(CHART_TYPES) + "." in flat
    query = parse_query_file(text, path="x.sql", section="sales", name="win_rate")
    assert query.spec == ReportSpec(title="Win rate")
    assert query.sql.startswith("select stage")


def test_template_uncommented_examples_are_all_valid_front_matter():
    text = query_template(ReportName("sales", "x"), title="Odd: title # with marks")
    lines = [
        line.removeprefix("# ")
        if any(line == f"# {k.example}" for k in FRONT_MATTER_KEYS)
        else line
        for line in text.splitlines()
    ]
    query = parse_query_file("\n".join(lines), path="x.sql", section="sales", name="x")
    assert query.spec.title == "Odd: title # with marks"
    assert query.spec.chart == "bar" and query.spec.y == ("won", "lost")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("sales/pipeline", ("sales", "pipeline")),
        ("sales/pipeline.sql", ("sales", "pipeline")),
        ("queries/sales/pipeline.sql", ("sales", "pipeline")),
    ],
)
def test_report_names(text: str, expected: tuple[str, str]):
    name = parse_report_name(text)
    assert (name.section, name.name) == expected


@pytest.mark.parametrize(
    "text", ["pipeline", "Sales/pipeline", "sales/pipe line", "a/b/c", "_models/x"]
)
def test_bad_report_names_say_what_to_write(text: str):
    with pytest.raises(ConfigError) as error:
        parse_report_name(text)
    assert "Hint:" in error.value.message()


def test_create_refuses_to_overwrite(tmp_path: Path):
    path = create_query_file(tmp_path, ReportName("sales", "x"))
    path.write_text("mine")
    with pytest.raises(ConfigError, match="already exists"):
        create_query_file(tmp_path, ReportName("sales", "x"))
    assert path.read_text() == "mine"


def test_new_command_writes_a_report_that_builds(site: Path, build, monkeypatch):
    result = invoke(site, monkeypatch, "new", "marketing/lead_count", "--title", "Lead count")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "Created queries/marketing/lead_count.sql in a new section 'marketing'."
    )
    assert "revpages serve" in result.output and "revpages check" in result.output
    assert "title: Lead count" in (site / "queries/marketing/lead_count.sql").read_text()
    built = build(site, "--strict")
    assert built.exit_code == 0, built.output
    assert "Lead count" in (site / "build/marketing/lead_count/index.html").read_text()


def test_new_command_never_overwrites(site: Path, monkeypatch):
    before = (site / "queries/sales/pipeline.sql").read_text()
    result = invoke(site, monkeypatch, "new", "sales/pipeline")
    assert result.exit_code == 1
    assert result.output == (
        "Error: queries/sales/pipeline.sql: RP803 the report "
        "'sales/pipeline' already exists. Hint: edit that file, or choose "
        "another name.\n"
    )
    assert (site / "queries/sales/pipeline.sql").read_text() == before


def test_new_command_outside_a_site(tmp_path: Path, monkeypatch):
    result = invoke(tmp_path, monkeypatch, "new", "sales/x")
    assert result.exit_code == 1
    assert "mkdocs.yml: RP101 no such file" in result.output


def test_init_writes_a_complete_project(tmp_path: Path):
    written = init_project(tmp_path / "acme", site_name="Acme: revenue")
    names = {p.relative_to(tmp_path / "acme").as_posix() for p in written}
    assert {
        "mkdocs.yml",
        ".gitignore",
        ".github/workflows/nightly.yml",
        "site_src/index.md",
        "README.md",
        "requirements.txt",
    } <= names
    assert any(n.startswith("queries/") and n.endswith(".sql") for n in names)
    config = yaml.safe_load((tmp_path / "acme/mkdocs.yml").read_text())
    assert config["site_name"] == "Acme: revenue"
    assert config["docs_dir"] == "site_src" and config["site_dir"] == "build"
    assert any(isinstance(p, dict) and "revpages" in p for p in config["plugins"])
    assert "/data/" in (tmp_path / "acme/.gitignore").read_text()
    assert "# Acme: revenue" in (tmp_path / "acme/site_src/index.md").read_text()


def test_init_refuses_to_overwrite(tmp_path: Path):
    write_tree(tmp_path, {"mkdocs.yml": "site_name: Mine\n"})
    with pytest.raises(ConfigError, match=r"already holds mkdocs\.yml"):
        init_project(tmp_path)
    assert (tmp_path / "mkdocs.yml").read_text() == "site_name: Mine\n"
    assert not (tmp_path / "queries").exists()


def test_init_in_an_empty_existing_folder(tmp_path: Path, monkeypatch):
    result = invoke(tmp_path, monkeypatch, "init", ".", "--no-sample-data")
    assert result.exit_code == 0, result.output
    assert "revpages sample-data" in result.output
    assert (tmp_path / "mkdocs.yml").is_file()


def test_a_report_name_too_long_for_the_file_system_is_a_coded_error(site: Path, monkeypatch):
    monkeypatch.chdir(site)
    result = CliRunner().invoke(cli, ["new", "sales/" + "w" * 300])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "RP802 the report name 'www" in result.output
    assert not list((site / "queries/sales").glob("w*"))
