"""The core never imports MkDocs or click, so it can move to another site generator."""

from __future__ import annotations

import json
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
CORE = [module for module in CORE_MODULES if module not in EDGE_MODULES]

BLOCKER = """
import importlib, json, sys, traceback
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("mkdocs", "click", "material"):
            raise ImportError(f"core module imported {name}")
sys.meta_path.insert(0, Block())
failed = {}
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
    except Exception:
        failed[name] = traceback.format_exc()
        print(failed[name], file=sys.stderr)
print(json.dumps(failed))
sys.exit(1 if failed else 0)
"""


def import_blocked(*modules: str) -> subprocess.CompletedProcess[str]:
    """Import ``modules`` one after the other in a fresh Python that cannot import MkDocs,
    Material or click; stdout is {module: traceback} of those that failed."""
    return subprocess.run([sys.executable, "-c", BLOCKER, *modules], capture_output=True, text=True)


@pytest.fixture(scope="module")
def failed_imports() -> dict[str, str]:
    """One interpreter for every core module: a module that needs a blocked package fails
    wherever it comes in the order, as does every module importing it."""
    return json.loads(import_blocked(*CORE).stdout)


def test_every_module_is_listed():
    assert "revpages.reports.engine" in CORE_MODULES and "revpages.site.plugin" in CORE_MODULES


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_without_mkdocs_or_click(module: str, failed_imports: dict[str, str]):
    assert module not in failed_imports, failed_imports[module]


def test_the_blocker_really_blocks():
    run = import_blocked("revpages.reports.engine", "revpages.site.plugin")
    assert run.returncode != 0 and "core module imported mkdocs" in run.stderr
    assert list(json.loads(run.stdout)) == ["revpages.site.plugin"]
