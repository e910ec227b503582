"""One build at a time per site, and scratch names no other build can share.

``BuildLock`` is an exclusive ``flock`` on a file beside the site folder
(``.build.lock`` for ``build/``): a second build of the same site waits for the first
(or, with ``--no-wait``, stops at once with RP706), so two builds never publish into one
folder. The kernel drops the lock when its process ends, however it ends, so a killed
build never leaves a stale lock. The lock is re-entrant within one process: the
``revpages build`` command takes it before its up-to-date check and the plugin takes it
again for ``mkdocs build``.

``scratch_name`` names a folder or file a build writes before renaming it into place:
the process id and a random part make it unique, so builds that run at the same time
(a build and a preview of one project, say) never write into each other's files, and
``leftovers`` finds those of processes that are gone.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from revpages.errors import RevpagesError

# lock file path -> [open file descriptor, depth], for the locks this process holds
_held: dict[str, list[int]] = {}


def lock_path(site_dir: Path) -> Path:
    return site_dir.parent / f".{site_dir.name}.lock"


class BuildLock:
    """The build lock of the site published in ``site_dir``."""

    def __init__(self, site_dir: Path, *, shown: str | None = None) -> None:
        self.path = lock_path(site_dir)
        self.shown = shown or site_dir.name
        self.taken = False

    def acquire(self, *, wait: bool = True, on_wait: Callable[[str], None] | None = None) -> None:
        """Take the lock; if another process has it, wait for it (saying so through
        ``on_wait`` once) or, without ``wait``, raise RP706."""
        key = os.fspath(self.path.resolve())
        if key in _held:
            _held[key][1] += 1
            self.taken = True
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if not _try_lock(fd):
                holder = _holder(fd)
                if not wait:
                    raise RevpagesError(
                        f"another build of this site is running ({holder}); this one did "
                        "not start.",
                        code="RP706",
                        path=self.shown,
                        hint="wait for it to finish, or leave out --no-wait to wait for it.",
                    )
                if on_wait is not None:
                    on_wait(
                        f"Another build of {self.shown}/ is running ({holder}); waiting for "
                        "it to finish (--no-wait stops at once instead)."
                    )
                fcntl.flock(fd, fcntl.LOCK_EX)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()} {time.strftime('%Y-%m-%d %H:%M:%S')}\n".encode(), 0)
        except BaseException:
            os.close(fd)
            raise
        _held[key] = [fd, 1]
        self.taken = True

    def release(self) -> None:
        """Give back what ``acquire`` took (the lock itself once every holder released it)."""
        if not self.taken:
            return
        self.taken = False
        key = os.fspath(self.path.resolve())
        held = _held.get(key)
        if held is None:
            return
        held[1] -= 1
        if held[1] == 0:
            del _held[key]
            os.close(held[0])  # closing the last descriptor releases the flock

    @contextlib.contextmanager
    def held(
        self, *, wait: bool = True, on_wait: Callable[[str], None] | None = None
    ) -> Iterator[None]:
        self.acquire(wait=wait, on_wait=on_wait)
        try:
            yield
        finally:
            self.release()


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _holder(fd: int) -> str:
    """'process 1234, since 2025-06-01 04:17:02', as the holder wrote it."""
    try:
        text = os.pread(fd, 200, 0).decode("utf-8", "replace").split()
    except OSError:
        text = []
    if len(text) >= 3 and text[0].isdigit():
        return f"process {text[0]}, since {text[1]} {text[2]}"
    return "another process"


def scratch_name(name: str) -> str:
    """``name`` made unique to this process and call: ``name.partial-<pid>-<random>``."""
    return f"{name}.partial-{os.getpid()}-{uuid.uuid4().hex[:12]}"


def leftovers(folder: Path, name_glob: str) -> list[Path]:
    """Scratch folders and files (``scratch_name``) matching ``name_glob`` in ``folder``
    whose process is gone: what killed builds left behind."""
    found = []
    for path in folder.glob(name_glob):
        _, _, tail = path.name.rpartition(".partial-")
        pid = tail.split("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            found.append(path)
    return found


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
