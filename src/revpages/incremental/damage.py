"""A damaged cache is discarded and rebuilt, and says so in one line.

Caches are only ever a faster way to the same site: a truncated or altered stored table,
an index that does not parse, a half-written template bytecode file... is removed, the
build makes it again from the inputs, and one line (RP707) tells what was found. The
line is a notice, not a warning: the site is right, so it never fails a ``--strict``
build. It goes to the ``revpages`` logger, which ``revpages build`` prints.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from revpages.errors import RevpagesError, relative_to_cwd

log = logging.getLogger("revpages.cache")


def damaged(path: Path, what: str, reason: str, *, instead: str) -> RevpagesError:
    """The notice for the damaged cache entry ``path``: ``what`` it is, ``reason`` it
    cannot be used, and what this build does ``instead``."""
    return RevpagesError(
        f"{what} was damaged ({reason.rstrip('.')}) and was discarded; this build {instead}.",
        code="RP707",
        path=relative_to_cwd(str(path)),
        hint="nothing to do; if it happens again, check the disk the cache is on.",
    )


def discard(path: Path, what: str, reason: str, *, instead: str) -> None:
    """Remove the damaged ``path`` (a file or a folder) and say so once."""
    log.warning(damaged(path, what, reason, instead=instead).message())
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
