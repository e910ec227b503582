"""Content fingerprints: what files hold, never when they were written.

Every cache key that depends on files is made here: the loaded data's store, the results
kept by ``serve``, the up-to-date check of a whole build. A file's digest is the sha256
of its bytes. Reading a large export again for every build costs about a second per
gigabyte, so digests are remembered under the file's identity: path, size, modification
time, change time and inode. An edit in place always moves the change time (which, unlike
the modification time, no program can set back), so a remembered digest is never stale;
``forget`` drops them all for ``--force``. ``recall`` and ``remember`` keep them in the
cache folder between builds; a damaged record is ignored.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterable
from pathlib import Path

from revpages.incremental.damage import sealed, unsealed
from revpages.incremental.lock import scratch_name

RECORD = "digests.json"  # sealed (``damage.sealed``): a changed byte is no wrong digest

# path -> (identity, digest) of every file digested in this process
_known: dict[str, tuple[list[int], str]] = {}
_trusting = [True]  # False after ``forget``: this process reads every file itself
_unsaved = [False]  # a digest was computed since the record was last read or written
# Engines of one process (serve's background queries, builds in threads) share the digests.
_lock = threading.Lock()


def identity(path: Path) -> list[int]:
    """What changes whenever the file's bytes may have changed."""
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]


def file_digest(path: Path) -> str:
    """sha256 of the file's bytes, read again only when its identity changed."""
    key = os.fspath(path)
    now = identity(path)
    known = _known.get(key)
    if known is not None and known[0] == now:
        return known[1]
    with path.open("rb") as handle:
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    with _lock:
        _known[key] = (now, digest)
        _unsaved[0] = True
    return digest


def adopt(path: Path, digest: str) -> None:
    """Take ``digest`` as that of ``path`` as it is now (a file this process just wrote
    and digested under another name), so it is not read again."""
    found = (identity(path), digest)
    with _lock:
        _known[os.fspath(path)] = found


def files_fingerprint(paths: Iterable[Path], *, relative_to: Path | None = None) -> str:
    """One digest of the names and contents of ``paths``: any change to either changes it."""
    total = hashlib.sha256()
    for path in sorted(paths):
        name = path.relative_to(relative_to) if relative_to else path
        total.update(f"{name.as_posix()}\0{file_digest(path)}\n".encode("utf-8", "surrogateescape"))
    return total.hexdigest()


def recall(cache_dir: Path) -> None:
    """Take the digests remembered in ``cache_dir`` (those of earlier builds)."""
    if not _trusting[0]:
        return
    try:
        record = unsealed((cache_dir / RECORD).read_text(encoding="utf-8"))
        found = {str(k): (list(v[0]), str(v[1])) for k, v in record.items()}
    except (OSError, ValueError, TypeError, IndexError, KeyError, AttributeError):
        return  # none yet, or damaged: every file is read again
    with _lock:
        for key, value in found.items():
            _known.setdefault(key, value)


def remember(cache_dir: Path) -> None:
    """Keep this process's digests in ``cache_dir`` for the next build (written whole);
    nothing is written when no file was read since the record was."""
    if not _unsaved[0] and (cache_dir / RECORD).is_file():
        return
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = cache_dir / scratch_name(RECORD)
    with _lock:
        known = list(_known.items())
    live = {k: v for k, v in known if Path(k).exists()}
    partial.write_text(sealed(live), encoding="utf-8")
    partial.replace(cache_dir / RECORD)
    _unsaved[0] = False


def forget() -> None:
    """Read every file again (``--force``), and recall no digest in this process."""
    with _lock:
        _known.clear()
        _trusting[0] = False
