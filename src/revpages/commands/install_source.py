"""Where a new site's nightly build installs revpages from: where this revpages came from.

``revpages init`` writes the site's ``requirements.txt``, which the nightly workflow
installs. The line is taken from how the running revpages was installed, as pip records
it (PEP 610, ``direct_url.json``), so the first nightly installs what ``init`` ran:

- from a package index (no record): ``revpages==VERSION``;
- from a VCS URL: ``revpages @ git+URL@COMMIT``;
- from a wheel file (``make dist`` makes one): the wheel is copied into the site's
  ``wheels/`` folder and installed from there, so CI needs no index that serves revpages;
- from a source folder (a checkout, ``pip install -e .``): the folder's git remote and
  commit when it has a remote CI can reach, else there is nothing CI could install and
  ``note`` says what to do.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlparse

from revpages import __version__


@dataclass(frozen=True)
class Requirement:
    line: str  # for requirements.txt
    wheel: Path | None = None  # a wheel to copy into the site's wheels/ folder
    note: str = ""  # what the user must still do; empty when nothing


def requirement() -> Requirement:
    """The requirements.txt line that installs the revpages running now."""
    try:
        record = metadata.distribution("revpages").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        record = None
    if not record:
        return Requirement(f"revpages=={__version__}")
    info = json.loads(record)
    url = str(info.get("url", ""))
    vcs = info.get("vcs_info")
    if vcs:
        return Requirement(f"revpages @ {vcs.get('vcs', 'git')}+{url}@{vcs.get('commit_id')}")
    local = Path(unquote(urlparse(url).path)) if url.startswith("file:") else None
    if local is not None and local.suffix == ".whl" and local.is_file():
        return Requirement(f"./wheels/{local.name}", wheel=local)
    if local is not None and local.is_dir():
        return _from_checkout(local)
    return _unknown(url)


def _from_checkout(folder: Path) -> Requirement:
    remote = _git(folder, "remote", "get-url", "origin")
    commit = _git(folder, "rev-parse", "HEAD")
    if remote and commit and remote.startswith(("https://", "ssh://", "git@")):
        if remote.startswith("git@"):  # git@host:org/repo.git
            host, _, path = remote.removeprefix("git@").partition(":")
            remote = f"ssh://git@{host}/{path}"
        return Requirement(f"revpages @ git+{remote}@{commit}")
    return _unknown(folder.as_uri())


def _unknown(source: str) -> Requirement:
    return Requirement(
        f"revpages=={__version__}",
        note=f"revpages was installed from {source}, which CI cannot reach: in "
        "requirements.txt, name a wheel committed to this repository (make dist in "
        "revpages' own repository makes one) or a VCS URL before the first nightly build.",
    )


def _git(folder: Path, *args: str) -> str:
    try:
        run = subprocess.run(
            ["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return run.stdout.strip() if run.returncode == 0 else ""
