"""A build with nothing to do: the inputs are those of the last good build, the site untouched.

``revpages build`` records, after each build that published the site, a key of
everything the build read and the state of the published site. The next build
computes the key again first; when it is the same and the site is exactly as
that build left it, there is nothing to build. ``--force`` builds anyway.

The key covers every file of the folders the site reads (MkDocs' ``docs_dir``,
the queries, the data, a theme's ``custom_dir``, ``hooks`` and the ``watch`` list
of ``mkdocs.yml``, which is where extra inputs belong) by path and content
(``fingerprint.py``); the configuration files; the options of the command; the
versions of every installed Python package and revpages' own files; the
environment; and the day (the data's freshness and future-date checks depend
on it). Hidden files and folders are left out, as MkDocs leaves them out.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import platform
from collections.abc import Iterable, Iterator
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any

from revpages import __version__
from revpages.incremental.damage import sealed, unsealed
from revpages.incremental.fingerprint import file_digest
from revpages.incremental.lock import leftovers, scratch_name

RECORD = "last-build.json"


def inputs_key(
    folders: Iterable[Path], *, skip: Iterable[Path], options: dict[str, Any], today: date
) -> str:
    """The key of one build's inputs; any change to them changes it."""
    digest = hashlib.sha256()
    skipped = {_real(p) for p in skip}
    fixed = [
        __version__,
        platform.python_version(),
        sorted(os.environ.items()),
        _packages(),
        options,
        today.isoformat(),
    ]
    digest.update(json.dumps(fixed, sort_keys=True, default=str).encode("utf-8"))
    own = Path(__file__).resolve().parent
    for folder in sorted({_real(p) for p in [*folders, own]}):
        for entry in _files(folder, skipped):
            digest.update(entry.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def site_state(site_dir: Path) -> list[str]:
    """Every file of the published site, by path and content."""
    return sorted(_files(_real(site_dir), set()))


def unchanged(cache_dir: Path, key: str, site_dir: Path) -> dict[str, Any] | None:
    """The manifest of the last build when ``key`` is its key and the site is untouched."""
    try:
        record = unsealed((cache_dir / RECORD).read_text(encoding="utf-8"))
        if record["key"] != key or record["site"] != site_state(site_dir):
            return None
        return dict(record["manifest"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def remember(cache_dir: Path, key: str, site_dir: Path, manifest: dict[str, Any]) -> None:
    """Record a build that published ``site_dir`` from the inputs of ``key``."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    record = {"key": key, "site": site_state(site_dir), "manifest": manifest}
    partial = cache_dir / scratch_name(RECORD)
    partial.write_text(sealed(record), encoding="utf-8")
    partial.replace(cache_dir / RECORD)
    for leftover in leftovers(cache_dir, "*.json.partial-*"):  # records of killed builds
        leftover.unlink(missing_ok=True)


def nothing_run(manifest: dict[str, Any]) -> dict[str, Any]:
    """The last build's manifest as that of a build that ran and rendered nothing."""
    reports = [{**r, "seconds": 0.0, "cached": True} for r in manifest.get("reports", [])]
    return {
        **manifest,
        "reports": reports,
        "query_seconds": 0.0,
        "queries_run": 0,
        "queries_cached": len(reports),
        "step_seconds": {},
        "load_seconds": {},
        "up_to_date": True,
    }


@functools.cache
def _packages() -> tuple[tuple[str, str], ...]:
    """Name and version of every installed distribution, read once per process (parsing
    their metadata takes a good part of a second): a process runs the code it started with."""
    found = {((d.metadata.get_all("Name") or [""])[0], d.version) for d in metadata.distributions()}
    return tuple(sorted(found))


def _files(folder: Path, skipped: set[Path]) -> Iterator[str]:
    """'path size mtime' of every file below ``folder`` (or of ``folder``, a file)."""
    if folder.is_file():
        yield f"{folder}\0{file_digest(folder)}\n"
        return
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".") and d != "__pycache__" and _real(here / d) not in skipped
        )
        for name in sorted(files):
            if name.startswith("."):
                continue
            try:
                digest = file_digest(here / name)
            except OSError:
                continue  # a broken link, or gone since the listing
            yield f"{here / name}\0{digest}\n"


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))
