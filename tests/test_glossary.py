"""The glossary: reports link to the definitions they name, definitions list their reports."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from revpages.commands.cli import cli
from revpages.pages.glossary import read_glossary
from tests.conftest import PIPELINE_SQL

GLOSSARY = """# Glossary

Intro text.

## Win rate {#win-rate}

Won / (won + lost).

## Pipeline coverage

Open pipeline / target.

```md
## Not a term {#in-code}
```
"""


def with_terms(terms: str) -> str:
    return PIPELINE_SQL.replace("*/", f"glossary: {terms}\n*/", 1)


def test_headings_are_terms_with_explicit_or_generated_anchors():
    glossary = read_glossary(GLOSSARY, uri="glossary.md", path="site_src/glossary.md")
    assert {a: (t.title, t.line) for a, t in glossary.terms.items()} == {
        "win-rate": ("Win rate", 5),
        "pipeline-coverage": ("Pipeline coverage", 9),
    }
    assert glossary.link("win-rate", "sales/deep/pipeline.md") == "../../glossary.md#win-rate"


def test_report_and_glossary_link_to_each_other(site: Path, build):
    (site / "site_src" / "glossary.md").write_text(GLOSSARY)
    (site / "queries" / "sales" / "pipeline.sql").write_text(
        with_terms("[win-rate, pipeline-coverage]")
    )
    result = build(site)
    assert result.exit_code == 0, result.output
    report = (site / "build" / "sales" / "pipeline" / "index.html").read_text()
    assert 'href="../../glossary/#win-rate">Win rate</a>' in report
    assert 'href="../../glossary/#pipeline-coverage">Pipeline coverage</a>' in report
    glossary = (site / "build" / "glossary" / "index.html").read_text()
    shown = glossary.split('id="win-rate"')[1].split("<h2")[0]
    assert 'Shown on:</span> <a href="../sales/pipeline/">Pipeline by stage</a>' in shown
    assert glossary.count("Shown on:") == 2


@pytest.mark.parametrize(
    ("terms", "glossary", "message"),
    [
        (
            "[win-rat]",
            GLOSSARY,
            "queries/sales/pipeline.sql:8:1: RP606 glossary term 'win-rat' is not a heading of "
            "site_src/glossary.md. Did you mean 'win-rate'?",
        ),
        (
            "[win-rate]",
            None,
            "queries/sales/pipeline.sql:8:1: RP605 glossary term 'win-rate': there is no glossary "
            "page site_src/glossary.md.",
        ),
        ("[Win Rate!]", GLOSSARY, "queries/sales/pipeline.sql:8:1: RP211 the value"),
    ],
)
def test_a_missing_term_fails_build_and_check(
    site: Path, build, monkeypatch, terms: str, glossary: str | None, message: str
):
    if glossary:
        (site / "site_src" / "glossary.md").write_text(glossary)
    (site / "queries" / "sales" / "pipeline.sql").write_text(with_terms(terms))
    built = build(site)
    assert built.exit_code == 1 and message in built.output, built.output
    assert not (site / "build").exists()
    monkeypatch.chdir(site)
    checked = CliRunner().invoke(cli, ["check"])
    assert checked.exit_code == 1 and message in checked.output, checked.output
    assert "Traceback" not in built.output + checked.output


def test_every_starter_report_term_is_defined():
    """The repository's own reports name terms of its glossary (the build checks it too)."""
    repo = Path(__file__).resolve().parent.parent
    glossary = read_glossary(
        (repo / "site_src" / "glossary.md").read_text(),
        uri="glossary.md",
        path="site_src/glossary.md",
    )
    named = set()
    for path in (repo / "queries").glob("*/*.sql"):
        text = path.read_text()
        line = next((ln for ln in text.splitlines() if ln.startswith("glossary:")), None)
        if line:
            named |= {t.strip() for t in line.split(":", 1)[1].strip(" []").split(",")}
    assert named and named <= set(glossary.terms)


# Terms the site shows outside any report: the banner of every page says the data's as-of
# moment and the reporting period; the data-quality page counts the rejected rows.
SHOWN_BY_THE_SITE = {"freshness", "reporting-period", "rejected-row"}


def test_every_defined_term_is_shown_on_some_page():
    """A definition no page shows is noise: each term of the site's glossary (a heading
    with its own anchor) is named by a report's glossary key, or shown by the site itself."""
    from revpages.reports.queryfile import parse_query_file

    root = Path(__file__).parent.parent
    text = (root / "site_src" / "glossary.md").read_text(encoding="utf-8")
    glossary = read_glossary(text, uri="glossary.md", path="site_src/glossary.md")
    defined = {anchor for anchor in glossary.terms if "{#" + anchor + "}" in text}
    shown = set(SHOWN_BY_THE_SITE)
    for path in sorted((root / "queries").glob("[!_]*/*.sql")):
        query = parse_query_file(
            path.read_text(encoding="utf-8"),
            path=str(path),
            section=path.parent.name,
            name=path.stem,
        )
        shown |= set(query.spec.glossary)
    assert defined, "no term found: the glossary's headings changed shape"
    assert sorted(defined - shown) == []
