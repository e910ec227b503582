"""Atomic publishing: a build writes into a staging folder that replaces the site only on success.

The swap uses Linux's ``renameat2(RENAME_EXCHANGE)``, one system call, so a
build killed at any moment leaves either the old site or the new one in
place, never a half-written mix. Elsewhere two renames are used. Each build stages
into a folder of its own (``scratch_name``), and only a build holding the build lock
(``revpages.incremental.lock``) clears what killed builds left (``clear_leftovers``).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from pathlib import Path

from revpages.incremental.lock import scratch_name

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def staging_dir(site_dir: Path) -> Path:
    """A staging folder beside ``site_dir`` that no other build uses."""
    return site_dir.parent / scratch_name(f".{site_dir.name}.staging")


def clear_leftovers(site_dir: Path) -> None:
    """Remove the staging folders of killed builds and finish a swap killed halfway.
    Only while holding the build lock: then no other build is staging."""
    for leftover in site_dir.parent.glob(f".{site_dir.name}.staging*"):
        discard(leftover)
    _recover_previous(site_dir)


def publish(staging: Path, site_dir: Path) -> None:
    """Make ``staging`` the site, atomically, and remove the previous site."""
    if not site_dir.exists():
        os.rename(staging, site_dir)
        return
    if _exchange(staging, site_dir):
        discard(staging)  # now holds the previous site
        return
    previous = _previous_dir(site_dir)
    os.rename(site_dir, previous)
    os.rename(staging, site_dir)
    discard(previous)


def discard(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def _previous_dir(site_dir: Path) -> Path:
    return site_dir.parent / f".{site_dir.name}.previous"


def _recover_previous(site_dir: Path) -> None:
    """Undo a two-rename swap that was killed between its renames."""
    previous = _previous_dir(site_dir)
    if previous.exists() and not site_dir.exists():
        os.rename(previous, site_dir)
    discard(previous)


def _exchange(a: Path, b: Path) -> bool:
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0
