"""Shared fixtures: tiny real sites written into temporary folders and built for real."""

from __future__ import annotations

import fnmatch
import functools
import importlib.util
import os
import sys
import sysconfig
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jinja2
import pytest
import yaml
from click.testing import CliRunner, Result
from mkdocs.structure import files as mkdocs_files
from mkdocs.theme import Theme

from revpages.commands.cli import cli

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

# DuckDB looks for pandas again and again while binding query parameters (dozens of times
# for one executemany), and where pandas is not installed each look searches sys.path anew.
# Remembering the miss (None in sys.modules: "no such module") makes it instant; the answer
# stays the same.
if importlib.util.find_spec("pandas") is None:
    sys.modules["pandas"] = None  # type: ignore[assignment]

DEALS_CSV = """deal_id,account_id,created_at,closed_at,stage,amount,is_closed,is_won,owner,source
d1,a1,2025-01-03 10:00:00,2025-02-01,closed_won,1000,true,true,Avery Chen,paid_search
d2,a2,2025-02-03 10:00:00,2025-03-01,closed_lost,2000,true,false,Avery Chen,organic
d3,a1,2025-02-13 10:00:00,2025-05-01,proposal,3000,false,false,Blake Diaz,events
d4,a3,2025-03-20 09:30:00,2025-04-02,closed_won,4000,true,true,Blake Diaz,paid_search
"""

COMPETITORS_CSV = """deal_id,competitor,notes
d1,Acme,"<script>alert(1)</script> said we were cheaper"
d2,Acme,=SUM(A1:A9) lost on price
d2,Globex,Müller & Söhne preferred Globex
d4,Globex,
"""

MKDOCS_YML: dict[str, Any] = {
    "site_name": "Test reports",
    "site_url": "http://127.0.0.1/",
    "docs_dir": "site_src",
    "site_dir": "build",
    "theme": {"name": "material", "font": False, "features": ["navigation.instant"]},
    "plugins": ["search", "revpages"],
}

PIPELINE_SQL = """/*
title: Pipeline by stage
description: Open and closed deal amounts by stage.
chart: bar
x: stage
y: amount
format: {amount: currency}
*/
select stage, sum(amount) as amount
from deals
group by stage
order by stage
"""


@pytest.fixture(scope="session", autouse=True)
def installed_theme_read_once() -> Iterator[None]:
    """MkDocs reads the installed Material theme afresh in every build: it lists and matches
    its thousands of files against static-file patterns (about half a second) and compiles
    its templates (as long again, twice: Material's search plugin compiles them for its own
    use). The installed theme does not change during a test session, so the builds that run
    in this process list each installed theme folder once, match each file name once, and
    compile each template of a theme's environment once. Everything else stays as it is:
    the folders of a test's own are listed every time, and revpages still reads and writes
    the compiled templates in each site's cache folder."""
    installed = (sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"])
    listings: dict[tuple[str, ...], list[str]] = {}
    compiled: dict[tuple[Any, ...], Any] = {}
    list_templates = jinja2.FileSystemLoader.list_templates
    compile_template = jinja2.Environment.compile
    theme_env = Theme.get_env

    def listed_once(loader: jinja2.FileSystemLoader) -> list[str]:
        folders = tuple(str(path) for path in loader.searchpath)
        if not all(folder.startswith(installed) for folder in folders):
            return list_templates(loader)
        if folders not in listings:
            listings[folders] = list_templates(loader)
        return list(listings[folders])

    def marked_env(theme: Theme) -> jinja2.Environment:
        env = theme_env(theme)
        env.revpages_tests_theme = True  # type: ignore[attr-defined]
        return env

    def compiled_once(env: jinja2.Environment, source: str, *args: Any, **kwargs: Any) -> Any:
        if not getattr(env, "revpages_tests_theme", False) or kwargs.get("raw"):
            return compile_template(env, source, *args, **kwargs)
        signature = (sorted(env.extensions), getattr(env, "newstyle_gettext", None))
        key = (source, args, tuple(sorted(kwargs.items())), repr(signature))
        if key not in compiled:
            compiled[key] = compile_template(env, source, *args, **kwargs)
        return compiled[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jinja2.FileSystemLoader, "list_templates", listed_once)
        patch.setattr(Theme, "get_env", marked_env)
        patch.setattr(jinja2.Environment, "compile", compiled_once)
        patch.setattr(mkdocs_files, "fnmatch", _MatchedOnce)
        yield


class _MatchedOnce:
    """``fnmatch`` for MkDocs' file lists, remembering each (name, pattern) answer."""

    fnmatch = staticmethod(functools.cache(fnmatch.fnmatch))


def base_files() -> dict[str, Any]:
    return {
        "mkdocs.yml": MKDOCS_YML,
        "site_src": {"index.md": "# Home\n\nWelcome.\n"},
        "data": {"deals.csv": DEALS_CSV, "deal_competitors.csv": COMPETITORS_CSV},
        "queries": {"sales": {"pipeline.sql": PIPELINE_SQL}},
    }


def write_tree(root: Path, files: dict[str, Any]) -> None:
    """Write a nested dict as files: a dict value is a folder, YAML files may be dicts."""
    root.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = root / name
        if name.endswith((".yml", ".yaml")) and isinstance(content, dict):
            path.write_text(yaml.safe_dump(content, sort_keys=False), encoding="utf-8")
        elif isinstance(content, dict):
            write_tree(path, content)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A tiny real site: one report over two small CSV files."""
    write_tree(tmp_path, base_files())
    return tmp_path


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny site of ``site``, built once per test session for the tests that only read
    what it publishes (they must not change it)."""
    root = tmp_path_factory.mktemp("built_site")
    write_tree(root, base_files())
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        result = CliRunner().invoke(cli, ["build"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def build(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run `revpages build` in a site folder, in-process."""

    def run(site_dir: Path, *args: str) -> Result:
        monkeypatch.chdir(site_dir)
        return CliRunner().invoke(cli, ["build", *args], catch_exceptions=False)

    return run


def repo_plugin_options() -> dict[str, Any]:
    """The revpages options of this repository's own mkdocs.yml, as written there."""
    config = yaml.safe_load((Path(__file__).resolve().parents[1] / "mkdocs.yml").read_text())
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "revpages" in plugin:
            return dict(plugin["revpages"] or {})
    return {}


def repo_params() -> tuple[Any, ...]:
    """The site-wide parameters of this repository's mkdocs.yml (its reports take them)."""
    from revpages.site.config import SiteParams

    return SiteParams().run_validation(repo_plugin_options().get("params"))
