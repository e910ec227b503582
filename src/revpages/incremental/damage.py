"""A damaged cache is discarded and rebuilt, and says so in one line.

Caches are only ever a faster way to the same site: a truncated or altered stored table,
an index that does not parse, a half-written template bytecode file... is removed, the
build makes it again from the inputs, and one line (RP707) tells what was found. The
line is a notice, not a warning: the site is right, so it never fails a ``--strict``
build. It goes to the ``revpages`` logger, which ``revpages build`` prints. The small JSON
records a cache keeps are ``sealed``: a byte changed in one, even one that leaves valid
JSON, makes it unreadable rather than wrong.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from pathlib import Path
from typing import Any

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


def sealed(value: object) -> str:
    """``value`` as JSON with the sha256 of its own canonical text, for ``unsealed``."""
    body = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return json.dumps({"sha256": hashlib.sha256(body.encode()).hexdigest(), "body": value})


def unsealed(text: str) -> Any:
    """What ``sealed`` wrote; ValueError when the text is not exactly that (a changed
    byte that still parses as JSON included)."""
    found = json.loads(text)
    if not isinstance(found, dict) or set(found) != {"sha256", "body"}:
        raise ValueError("not a sealed record")
    body = json.dumps(found["body"], sort_keys=True, separators=(",", ":"), default=str)
    if hashlib.sha256(body.encode()).hexdigest() != found["sha256"]:
        raise ValueError("the record does not match its digest")
    return found["body"]
