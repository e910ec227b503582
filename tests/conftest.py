"""Shared fixtures: tiny real sites written into temporary folders and built for real."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from revpages.commands.cli import cli

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

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


@pytest.fixture
def build(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run `revpages build` in a site folder, in-process."""

    def run(site_dir: Path, *args: str) -> Result:
        monkeypatch.chdir(site_dir)
        return CliRunner().invoke(cli, ["build", *args], catch_exceptions=False)

    return run
