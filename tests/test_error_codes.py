"""The error catalogue: every user error has a stable code, a location, a hint and an entry
on the guide's error page, and each code comes out of a real tiny project run through the
real CLI, printed as the catalogue's example says, with no traceback."""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pytest
from click.testing import CliRunner

from revpages import errors
from revpages.commands.cli import cli
from revpages.error_codes import CATALOGUE, CODES, FAMILIES, markdown
from revpages.ingest.crm.overrides import override_columns
from revpages.pipeline import build_reports
from revpages.settings import Settings
from tests.conftest import DEALS_CSV, MKDOCS_YML, PIPELINE_SQL, base_files, write_tree
from tests.test_limits import zip_bomb

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "src/revpages"
PAGE = REPO / "site_src/guide/errors.md"
HUBSPOT = REPO / "tests/fixtures/exports/hubspot"


def report(front: str, sql: str) -> str:
    return f"/*\n{front}\n*/\n{sql}\n"


def options(**revpages: Any) -> dict[str, Any]:
    return {"mkdocs.yml": {**MKDOCS_YML, "plugins": ["search", {"revpages": revpages}]}}


def query(sql: str, front: str = "title: Broken") -> dict[str, Any]:
    return {"queries": {"sales": {"broken.sql": report(front, sql)}}}


def page(text: str) -> dict[str, Any]:
    return {"site_src": {"story.md": f"# Story\n\n{text}\n"}}


def data(**files: str | bytes | None) -> dict[str, Any]:
    return {"data": dict(files)}


def section_yml(text: str) -> dict[str, Any]:
    return {"queries": {"sales": {"_section.yml": text}}}


def hubspot_exports() -> dict[str, Any]:
    exports: dict[str, bytes | None] = {p.name: p.read_bytes() for p in HUBSPOT.glob("*.csv")}
    return {"deal_competitors.csv": None, **exports}


def merged(base: dict[str, Any], *overrides: dict[str, Any]) -> dict[str, Any]:
    """``base`` with each override applied: a dict merges into a folder, None removes."""
    result = dict(base)
    for override in overrides:
        for name, value in override.items():
            if value is None:
                result.pop(name, None)
            elif isinstance(value, dict) and not name.endswith(".yml"):
                result[name] = merged(result.get(name, {}), value)
            else:
                result[name] = value
    return result


def without_excel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "duckdb_extension_excel", None)  # import fails


@dataclass(frozen=True)
class Case:
    """A project that makes one error, the command that shows it and its exit code."""

    files: list[dict[str, Any]] = field(default_factory=list)
    args: tuple[str, ...] = ("build",)
    exit_code: int = 1
    patch: Callable[[pytest.MonkeyPatch], None] | None = None
    numbers_vary: bool = False  # memory sizes, versions: compare with the digits masked


TABLE_REPORT = report("title: Deals\nchart: table", "select deal_id, amount from deals")
MODEL = "/*\ndescription: Shared by reports.\n*/\nselect 1 as n\n"
SLOW_SQL = "select count(*) as n from range(100000000) a, range(100000) b"

CASES: dict[str, Case] = {
    "RP101": Case([{"mkdocs.yml": None}]),
    "RP102": Case([{"mkdocs.yml": {**MKDOCS_YML, "plugins": ["search"]}}], ("check",)),
    "RP103": Case([options(table_rows="many")]),
    "RP104": Case([{"queries": None}]),
    "RP105": Case([options(data_format="hubspot", data_columns={"deals.lost_reason": "Why"})]),
    "RP106": Case(
        [
            options(data_format="hubspot", data_columns={"deals.loss_reason": "Why"}),
            {"data": hubspot_exports()},
        ]
    ),
    "RP107": Case([options(data_format="hubspot", data_stage_map={"demo": "meeting"})]),
    "RP108": Case([options(aliases={"Globex": ["GBX", " "]})]),
    "RP109": Case([options(required_tables=["spends"])]),
    "RP201": Case([{"queries": {"sales": {"Win Rate.sql": PIPELINE_SQL}}}]),
    "RP202": Case([{"queries": {"pipeline.sql": PIPELINE_SQL}}]),
    "RP203": Case([{"queries": {"sales": {"cafe.sql": b"/*\ntitle: Caf\xe9\n*/\nselect 1\n"}}}]),
    "RP204": Case([{"queries": {"sales": {"broken.sql": "select stage from deals\n"}}}]),
    "RP205": Case([{"queries": {"sales": {"broken.sql": "/*\ntitle: Open\nselect 1\n"}}}]),
    "RP206": Case([query("", "title: No SQL")]),
    "RP207": Case([query("select 1 as n", "title: [Pipeline")]),
    "RP208": Case([query("select 1 as n", "Pipeline by stage")]),
    "RP209": Case([query("select 1 as n", "title: Pipeline\ntitle: Deals")]),
    "RP210": Case([query("select 1 as n", "titel: Pipeline")]),
    "RP211": Case([query("select 1 as n", "title: Pipeline\nchart: pie")]),
    "RP212": Case([query("select 1 as n", "description: Deals by stage.")]),
    "RP213": Case([section_yml("title: [Sales\n")]),
    "RP214": Case([section_yml("title: Sales\nordr: 10\n")]),
    "RP215": Case([section_yml("title: Sales\norder: first\n")]),
    "RP216": Case([{"queries": {"_models": {"won-deals.sql": MODEL}}}]),
    "RP217": Case([{"queries": {"_models": {"deals.sql": MODEL}}}]),
    "RP301": Case(
        [
            query(
                "select stage, sum(amount) as total from deals group by stage",
                "title: Pipeline\nchart: bar\nx: stage\ny: amount",
            )
        ]
    ),
    "RP302": Case(
        [query("select stage from deals group by stage", "title: Stages\nchart: bar\nx: stage")]
    ),
    "RP303": Case([options(chart_max_points=2)]),
    "RP304": Case(
        [
            query(
                "select count(*) as deals, sum(amount) as amount from deals",
                "title: Totals\nchart: bar",
            )
        ]
    ),
    "RP305": Case(
        [
            query(
                "select stage, owner, sum(amount) as amount, count(*) as deals "
                "from deals group by all",
                "title: By owner\nchart: bar\nx: stage\ny: [amount, deals]\ncolor: owner",
            )
        ]
    ),
    "RP306": Case([query("select amount from deals", "title: Amount\nchart: kpi\ny: amount")]),
    "RP307": Case(
        [
            query(
                "select max(created_at) as latest from deals",
                "title: Latest deal\nchart: kpi\ny: latest",
            )
        ]
    ),
    "RP308": Case(
        [
            query(
                "select deal_id || '@example.com' as email, amount from deals",
                "title: Buyers\nchart: bar\nx: email\ny: amount",
            )
        ]
    ),
    "RP309": Case(
        [
            query(
                "select deal_id || '@example.com' as email, amount from deals",
                "title: Buyers\nchart: table",
            )
        ],
        ("build", "--strict"),
    ),
    "RP310": Case([options(limit_csv_rows=2), query("select stage from deals")]),
    "RP311": Case([options(table_rows=3, limit_page_rows=2), query("select stage from deals")]),
    "RP312": Case([options(limit_columns=2), query("select stage, amount, owner from deals")]),
    "RP313": Case([query("select count(*) as deals from deals", "title: Deals\ncompare: [prior]")]),
    "RP314": Case(
        [
            query(
                "select stage, sum(amount) as amount, stage as flag from deals group by stage",
                "title: Pipeline\nchart: bar\nx: stage\ny: amount\nhighlight: flag",
            )
        ]
    ),
    "RP315": Case(
        [
            query(
                "select stage, sum(amount) as amount from deals group by stage",
                "title: Pipeline\nchart: heatmap",
            )
        ]
    ),
    "RP316": Case(
        [
            query(
                "select 'all' as m, i::varchar as c, i as n from range(13) t(i)",
                "title: Pipeline\nchart: bar\nx: m\ny: n\nfacet: c",
            )
        ]
    ),
    "RP317": Case(
        [
            options(limit_views=2),
            query(
                "select count(*) as deals from deals where $stage is null or stage = $stage",
                "title: Deals\nparams: {stage: [open, won]}",
            ),
        ]
    ),
    "RP318": Case(
        [
            query(
                "select count(*) as deals from deals where $stage is null or stage = $stage",
                "title: Deals\nparams: site",
            ),
        ]
    ),
    "RP401": Case([query("selec stage from deals")]),
    "RP402": Case([query("select stage, sum(amout) as amount from deals group by stage")]),
    "RP403": Case([query("select stage from deels")]),
    "RP404": Case([query("select 'many'::integer as deals")]),
    "RP405": Case(
        [
            options(duckdb_memory_limit="64MB", duckdb_threads=1),
            query("select list(range) as l from range(100000000)"),
        ],
        numbers_vary=True,
    ),
    "RP406": Case([options(query_timeout=0.5), query(SLOW_SQL)]),
    "RP407": Case([query("select * from read_csv('/etc/passwd')")]),
    "RP408": Case([query("select 1 as n;\nselect 2 as n")]),
    "RP409": Case([query("delete from deals")]),
    "RP410": Case(
        [query("select stage from deals where false", "title: None\nchart: table")],
        ("build", "--strict"),
    ),
    "RP411": Case(
        [
            {
                "queries": {
                    "_models": {
                        "a.sql": MODEL.replace("1 as n", "* from b"),
                        "b.sql": MODEL.replace("1 as n", "* from a"),
                    }
                }
            }
        ]
    ),
    "RP412": Case(
        [
            {"queries": {"_models": {"won.sql": MODEL.replace("1 as n", "amout from deals")}}},
            query("select count(*) as deals from won"),
        ]
    ),
    "RP413": Case([query("select current_setting('temp_directory') as dir")]),
    "RP415": Case([query("select count(*) as n from deals where created_at < $period_begin")]),
    "RP416": Case(
        [
            {
                "queries": {
                    "_models": {
                        "recent.sql": MODEL.replace(
                            "1 as n", "* from deals\nwhere created_at < $as_of"
                        )
                    }
                }
            }
        ]
    ),
    "RP501": Case([data(**{"deals.csv": None, "deal_competitors.csv": None})]),
    "RP502": Case([data(**{"Deals.tsv": DEALS_CSV})]),
    "RP503": Case([data(**{"spend.parquet": b"not a parquet file"})]),
    "RP504": Case([data(**{"touchpoints.csv": "touchpoint_id,lead_id,channel\nt1,L1,email\n"})]),
    "RP505": Case(
        [data(**{"targets.xlsx": b"PK\x03\x04"})], patch=without_excel, numbers_vary=True
    ),
    "RP506": Case([options(data_format="hubspot")]),
    "RP507": Case(
        [
            options(data_format="hubspot"),
            data(**{"deals.csv": None, "deal_competitors.csv": None, "notes.csv": "note\nhello\n"}),
        ]
    ),
    "RP509": Case(
        [data(**{"deals.csv": DEALS_CSV.replace("\nd3,", "\n,")})], ("build", "--strict")
    ),
    "RP511": Case([data(**{"attribution_credits.csv": "model,channel\nlinear,email\n"})]),
    "RP512": Case([options(required_tables=["spend"])]),
    "RP513": Case([options(limit_xlsx_mb=1), data(**{"targets.xlsx": zip_bomb(2)})]),
    "RP601": Case([page("[[chrat sales/pipeline]]")]),
    "RP602": Case([page("[[table]]")]),
    "RP603": Case([page("[[chart sales/pipelin]]")]),
    "RP604": Case(
        [{"queries": {"sales": {"deals.sql": TABLE_REPORT}}}, page("[[chart sales/deals]]")]
    ),
    "RP605": Case([query("select 1 as n", "title: Pipeline\nglossary: [win-rate]")]),
    "RP606": Case(
        [
            query("select 1 as n", "title: Pipeline\nglossary: [win-rat]"),
            {"site_src": {"glossary.md": "# Glossary\n\n## Win rate\n"}},
        ]
    ),
    "RP701": Case([{"site_src": {"sales": {"pipeline.md": "# Mine\n"}}}]),
    "RP702": Case(args=("build", "--manifest", "/dev/full")),
    "RP703": Case(args=("build", "--manifest", "/sys/kernel/notes")),
    "RP704": Case(args=("build", "--manifest", "m" * 300 + ".json")),
    "RP705": Case(args=("build", "--manifest", "mkdocs.yml/manifest.json")),
    "RP801": Case(args=("new", "sales")),
    "RP802": Case(args=("new", "Sales/win_rate")),
    "RP803": Case(args=("new", "sales/pipeline")),
    "RP804": Case(args=("init", ".", "--no-sample-data")),
}
# Codes no `revpages` command can show from a project of its own: each has a test below.
ELSEWHERE = {
    "RP508": "test_a_mapping_that_does_not_parse",
    "RP510": "test_serve_says_why_a_report_did_not_run",
    "RP414": "test_serve.py::test_a_slow_query_never_freezes_the_preview",
    "RP706": "test_lock.py::test_no_wait_stops_at_once_while_another_build_runs",
    "RP707": "test_datastore.py::test_a_damaged_store_is_discarded_with_one_line_and_rebuilt",
    "RP805": "test_serve.py::test_a_port_in_use_is_a_coded_error",
}


def run_case(
    code: str, root: Path, monkeypatch: pytest.MonkeyPatch, *extra: str
) -> tuple[int, str]:
    """Exit code and output (paths as the user sees them) of the case of ``code``."""
    case = CASES[code]
    write_tree(root, merged(base_files(), *case.files))
    if case.patch:
        case.patch(monkeypatch)
    monkeypatch.chdir(root)
    result = CliRunner().invoke(cli, [*case.args, *extra])
    assert not isinstance(result.exception, Exception), result.exception  # SystemExit is fine
    return result.exit_code, result.output.replace(f"{root}{'/'}", "")


@pytest.mark.slow  # a whole build each; make test runs it
@pytest.mark.parametrize("code", sorted(CASES))
def test_each_code_comes_out_of_a_real_project(
    code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    exit_code, output = run_case(code, tmp_path, monkeypatch)
    assert exit_code == CASES[code].exit_code, output
    assert "Traceback" not in output
    masked = _masked if CASES[code].numbers_vary else str
    assert masked(CODES[code].example) in [masked(line) for line in problems(output)], output


def problems(output: str) -> list[str]:
    """Lines of the output without what the command puts in front of a problem."""
    return [re.sub(r"^(Error: |warning: revpages: )", "", line) for line in output.splitlines()]


def _masked(text: str) -> str:
    return re.sub(r"\d+(\.\d+)*", "N", text)


@pytest.mark.parametrize("code", sorted(c.code for c in CATALOGUE if c.warning))
def test_warnings_fail_only_strict_builds(
    code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    assert CASES[code].args == ("build", "--strict")
    monkeypatch.setitem(CASES, code, Case(CASES[code].files, ("build",), 0))
    exit_code, output = run_case(code, tmp_path, monkeypatch)
    assert exit_code == 0 and "Traceback" not in output
    assert f"warning: revpages: {CODES[code].example}" in output.splitlines()


def test_a_mkdocs_yml_that_is_not_yaml_is_located(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(CASES, "RP103", Case([{"mkdocs.yml": "site_name: [Reports\nplugins:\n"}]))
    exit_code, output = run_case("RP103", tmp_path, monkeypatch)
    assert exit_code == 1 and "Traceback" not in output
    assert output.startswith(
        "mkdocs.yml:2:8: RP103 MkDocs encountered an error parsing the "
        "configuration file: while parsing a flow sequence expected ',' or "
        "']', but got ':' Hint: fix it there;"
    )


def test_a_mapping_that_does_not_parse():
    con = duckdb.connect()
    with pytest.raises(errors.DataLoadError) as caught:
        override_columns(
            con,
            "select from from",
            {"stage": "Deal Stage"},
            table="deals",
            resolve=lambda *_: None,
            sources="deals.csv",
        )
    assert caught.value.message() == CODES["RP508"].example


def test_serve_says_why_a_report_did_not_run(tmp_path: Path):
    write_tree(tmp_path, merged(base_files(), data(**{"touchpoints.csv": "touchpoint_id\nt1\n"})))
    settings = Settings(root=tmp_path, queries_dir=tmp_path / "queries", data_dir=tmp_path / "data")
    output = build_reports(settings, preview=True)
    assert CODES["RP510"].example in [error.message() for error in output.errors]


def test_every_code_has_a_case():
    assert sorted([*CASES, *ELSEWHERE]) == sorted(CODES)


def test_every_example_is_located_and_ends_with_a_hint():
    for entry in CATALOGUE:
        prefix, _, rest = entry.example.partition(f"{entry.code} ")
        assert re.fullmatch(r"([^:]+(:\d+:\d+)?: )?", prefix), entry.example
        assert " Hint: " in rest and rest.index(" Hint: ") > 0, entry.example


def test_codes_are_grouped_by_family_and_in_order():
    assert [c.code for c in CATALOGUE] == sorted(CODES)
    assert {c.code[:3] for c in CATALOGUE} == set(FAMILIES)


def _error_classes() -> set[str]:
    found, todo = set(), [errors.RevpagesError]
    while todo:
        cls = todo.pop()
        found.add(cls.__name__)
        todo += cls.__subclasses__()
    return found - {"BuildErrors"}  # a list of coded errors, not an error of its own


def _error_calls() -> list[tuple[str, ast.Call]]:
    names = _error_classes()
    calls = []
    for path in sorted(SOURCE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            func = getattr(node, "func", None)
            name = getattr(func, "id", getattr(func, "attr", ""))
            if isinstance(node, ast.Call) and name in names:
                calls.append((f"{path.relative_to(REPO)}:{node.lineno}", node))
    return calls


def test_every_error_raised_passes_a_code():
    uncoded = [
        where for where, call in _error_calls() if not any(k.arg == "code" for k in call.keywords)
    ]
    assert not uncoded, (
        "these errors have no code=; give each a code from "
        f"revpages.error_codes (add one if none fits): {uncoded}"
    )


def test_every_code_used_is_catalogued_and_every_catalogued_code_is_used():
    used = {
        node.value
        for path in SOURCE.rglob("*.py")
        if path.name != "error_codes.py"
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and re.fullmatch(r"RP\d{3}", node.value)
    }
    assert used - set(CODES) == set(), "codes used in src/ but not in the catalogue"
    assert set(CODES) - used == set(), "catalogued codes that nothing raises"


def test_the_guide_page_is_the_catalogue():
    assert PAGE.read_text() == markdown(), (
        "site_src/guide/errors.md is out of date: "
        ".venv/bin/python -m revpages.error_codes > site_src/guide/errors.md"
    )


def test_a_code_follows_the_location_and_leads_when_there_is_none():
    located = errors.SQLError("bad.", code="RP404", path="q.sql", line=2, column=3, hint="fix.")
    assert located.message() == "q.sql:2:3: RP404 bad. Hint: fix."
    assert errors.ConfigError("bad.", code="RP104").message() == "RP104 bad."
    assert errors.RevpagesError("bad.", path="q.sql").message() == "q.sql: bad."
