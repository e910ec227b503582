"""Proof that a change moved code without changing the product: the site built at another
commit and the site built from the working tree, byte for byte.

Both builds use the same seeded sample data (written by the working tree's generator
into one temporary folder and copied into each checkout) and the same SOURCE_DATE_EPOCH,
each in a fresh project copy with no cache. Prints the files that differ and exits 1
if any does.

    python bench/same_site.py HEAD~3              # the working tree against HEAD~3
    python bench/same_site.py main --leads 5000   # more data
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT_FILES = ("mkdocs.yml", "queries", "site_src")


def digest(site: Path) -> dict[str, str]:
    """Every file of a built site -> sha256 of its bytes."""
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def entry_points(source: Path, folder: Path) -> Path:
    """A dist-info with the entry points of ``source``'s pyproject.toml: put first on the
    path, it shadows the installed package's, so MkDocs finds that tree's plugin class."""
    meta = tomllib.loads((source / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    info = folder / f"revpages-{meta['version']}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: revpages\nVersion: {meta['version']}\n"
    )
    groups = {"console_scripts": meta.get("scripts", {}), **meta.get("entry-points", {})}
    (info / "entry_points.txt").write_text(
        "".join(
            f"[{group}]\n" + "".join(f"{k} = {v}\n" for k, v in points.items()) + "\n"
            for group, points in groups.items()
        )
    )
    return folder


def build_site(source: Path, work: Path, data: Path, python: Path) -> dict[str, str]:
    """Build the project at ``source`` with the package at ``source/src``; its digest."""
    project = work / "project"
    for name in PROJECT_FILES:
        if (source / name).is_dir():
            shutil.copytree(source / name, project / name)
        else:
            project.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / name, project / name)
    shutil.copytree(data, project / "data")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            (str(entry_points(source, work / "meta")), str(source / "src"))
        ),
        "SOURCE_DATE_EPOCH": "1767225600",
        "NO_MKDOCS_2_WARNING": "1",
    }
    command = [str(python), "-m", "mkdocs", "build", "-q", "-f", "mkdocs.yml"]
    subprocess.run(command, cwd=project, env=env, check=True)
    return digest(project / "build")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev", help="the commit to compare the working tree with")
    parser.add_argument("--leads", type=int, default=2000, help="sample leads (default 2000)")
    args = parser.parse_args()
    python = Path(sys.executable)
    with tempfile.TemporaryDirectory(prefix="revpages-same-site-") as tmp:
        tmp_path = Path(tmp)
        data = tmp_path / "data"
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        subprocess.run(
            [
                str(python),
                "-c",
                "from revpages.commands.cli import main; main()",
                "sample-data",
                "--leads",
                str(args.leads),
                "--output",
                str(data),
            ],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        old_tree = tmp_path / "old"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(old_tree), args.rev],
            check=True,
        )
        try:
            before = build_site(old_tree, tmp_path / "before", data, python)
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old_tree)], check=True
            )
        after = build_site(ROOT, tmp_path / "after", data, python)
    differing = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
    for path in differing:
        state = "only before" if path not in after else "only after" if path not in before else ""
        print(f"differs: {path} {state}".rstrip())
    print(f"{len(after)} files after, {len(before)} before, {len(differing)} differ")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
