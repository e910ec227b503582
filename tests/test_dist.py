"""Distribution: a site made with `revpages init` installs revpages the way it was installed,
its workflows pass GitHub's schema with every action pinned by commit, and the built wheel
installs into a fresh environment and builds a new site, all offline."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml

from revpages import __version__
from revpages.commands import install_source
from revpages.commands.install_source import Requirement, requirement
from revpages.commands.scaffold import init_project

REPO = Path(__file__).resolve().parents[1]
WORKFLOWS = [
    REPO / "src/revpages/templates/project/dot-github/workflows/nightly.yml",
    REPO / ".github/workflows/nightly.yml",
]
PINNED = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40}$")


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=["template", "repository"])
def test_workflows_pass_the_github_workflow_schema(workflow: Path):
    run = subprocess.run(
        [
            Path(sys.executable).parent / "check-jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            str(workflow),
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=["template", "repository"])
def test_every_action_is_pinned_by_commit_with_its_version_beside_it(workflow: Path):
    text = workflow.read_text()
    uses = [
        step["uses"]
        for job in yaml.safe_load(text)["jobs"].values()
        for step in job["steps"]
        if "uses" in step
    ]
    assert uses
    for action in uses:
        assert PINNED.match(action), f"{action} is not pinned by a full commit"
        assert re.search(rf"{re.escape(action)}  # v\d+\.\d+\.\d+$", text, re.M), action


class FakeDistribution:
    def __init__(self, record: dict | None) -> None:
        self.record = record

    def read_text(self, name: str) -> str | None:
        return json.dumps(self.record) if self.record is not None else None


@pytest.mark.parametrize(
    "record, expected",
    [
        (None, f"revpages=={__version__}"),
        (
            {
                "url": "https://github.com/acme/revpages",
                "vcs_info": {"vcs": "git", "commit_id": "abc123"},
            },
            "revpages @ git+https://github.com/acme/revpages@abc123",
        ),
    ],
    ids=["index", "vcs"],
)
def test_the_requirement_follows_how_revpages_was_installed(monkeypatch, record, expected):
    monkeypatch.setattr(install_source.metadata, "distribution", lambda _: FakeDistribution(record))
    assert requirement() == Requirement(expected)


def test_a_wheel_install_is_copied_into_the_new_site(monkeypatch, tmp_path: Path):
    wheel = tmp_path / f"revpages-{__version__}-py3-none-any.whl"
    wheel.write_bytes(b"PK wheel")
    record = {"url": wheel.as_uri(), "archive_info": {}}
    monkeypatch.setattr(install_source.metadata, "distribution", lambda _: FakeDistribution(record))
    init_project(tmp_path / "site", install=requirement())
    assert (tmp_path / "site/wheels" / wheel.name).read_bytes() == b"PK wheel"
    lines = (tmp_path / "site/requirements.txt").read_text().splitlines()
    assert lines[-1] == f"./wheels/{wheel.name}"


def test_a_checkout_without_a_reachable_remote_says_what_to_do(monkeypatch, tmp_path: Path):
    record = {"url": tmp_path.as_uri(), "dir_info": {"editable": True}}
    monkeypatch.setattr(install_source.metadata, "distribution", lambda _: FakeDistribution(record))
    found = requirement()
    assert found.line == f"revpages=={__version__}" and "which CI cannot reach" in found.note


@pytest.mark.slow
def test_the_built_wheel_installs_offline_and_builds_a_new_site(tmp_path: Path):
    """make dist's wheel, in a fresh environment with no index: init, then a strict build."""
    source = tmp_path / "source"
    shutil.copytree(
        REPO / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
    )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    offline = {**os.environ, "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    offline.pop("PYTHONPATH", None)  # the fresh environment sees only what it installed
    dist = tmp_path / "dist"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(dist),
            str(source),
        ],
        capture_output=True,
        text=True,
        env=offline,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    (wheel,) = dist.glob("revpages-*.whl")

    fresh = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(fresh)], check=True)
    python = fresh / "bin/python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # The dependencies (mkdocs, duckdb...) come from this environment's site-packages, read
    # after the fresh one's own: revpages itself is only the wheel's.
    (Path(purelib) / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-index", str(wheel)],
        capture_output=True,
        text=True,
        env=offline,
    )
    assert install.returncode == 0, install.stdout[-2000:] + install.stderr[-2000:]
    where = subprocess.run(
        [python, "-c", "import revpages; print(revpages.__file__)"],
        capture_output=True,
        text=True,
        env=offline,
        check=True,
    ).stdout
    assert where.startswith(purelib), where

    revpages = fresh / "bin/revpages"
    made = subprocess.run(
        [revpages, "init", "reports", "--leads", "300"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=offline,
    )
    assert made.returncode == 0, made.stdout + made.stderr
    site = tmp_path / "reports"
    assert (site / "wheels" / wheel.name).read_bytes() == wheel.read_bytes()
    assert (site / "requirements.txt").read_text().splitlines()[-1] == f"./wheels/{wheel.name}"
    # What the nightly workflow runs, offline: requirements.txt installs, the site builds.
    again = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-index",
            "-r",
            "requirements.txt",
        ],
        cwd=site,
        capture_output=True,
        text=True,
        env=offline,
    )
    assert again.returncode == 0, again.stdout[-2000:] + again.stderr[-2000:]
    built = subprocess.run(
        [revpages, "build", "--strict", "--quiet"],
        cwd=site,
        capture_output=True,
        text=True,
        env=offline,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    assert (site / "build/index.html").is_file()
