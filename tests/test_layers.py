"""The core never imports MkDocs or click, so it can move to another site generator."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import revpages

PACKAGE = Path(revpages.__file__).parent
EDGE_MODULES = {"revpages.site.plugin", "revpages.site.config", "revpages.commands.cli"}
CORE_MODULES = sorted(
    ".".join(("revpages", *p.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(".__init__")
    for p in PACKAGE.rglob("*.py")
)

BLOCKER = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("mkdocs", "click", "material"):
            raise ImportError(f"core module imported {name}")
sys.meta_path.insert(0, Block())
import importlib
for name in sys.argv[1:]:
    importlib.import_module(name)
"""


def test_every_module_is_listed():
    assert "revpages.reports.engine" in CORE_MODULES and "revpages.site.plugin" in CORE_MODULES


@pytest.mark.parametrize("module", [m for m in CORE_MODULES if m not in EDGE_MODULES])
def test_core_module_imports_without_mkdocs_or_click(module: str):
    run = subprocess.run([sys.executable, "-c", BLOCKER, module], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_the_blocker_really_blocks():
    run = subprocess.run(
        [sys.executable, "-c", BLOCKER, "revpages.site.plugin"], capture_output=True, text=True
    )
    assert run.returncode != 0 and "core module imported mkdocs" in run.stderr
