"""One exception family for every user-facing problem.

Each error knows where it happened (path, line, column, all 1-based), its stable
code from the catalogue in ``error_codes`` and how to fix it, and renders itself as
``path:line:col: RP210 message Hint: fix``: editors and CI logs turn the location
into a link, and the code finds the error's page in the guide.
"""

from __future__ import annotations

import difflib
import errno
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypedDict


class Line(TypedDict, total=False):
    """The file and line of an error, to pass on as ``RevpagesError(..., **where)``."""

    path: str | Path | None
    line: int | None


class Location(Line, total=False):
    """The file, line and column of an error, to pass on as ``RevpagesError(..., **where)``."""

    column: int | None


class RevpagesError(Exception):
    """A problem the user can fix; printed without a traceback."""

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        path: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.text = message
        self.code = code
        self.path = str(path) if path is not None else None
        self.line = line
        self.column = column
        self.hint = hint

    @property
    def location(self) -> str:
        if self.path is None:
            return ""
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            parts.append(str(self.column or 1))
        return ":".join(parts)

    def message(self) -> str:
        text = f"{self.code} {self.text}" if self.code else self.text
        text = f"{self.location}: {text}" if self.location else text
        if self.hint:
            text = f"{text} Hint: {self.hint}"
        return text

    def __str__(self) -> str:
        return self.message()


class ConfigError(RevpagesError):
    """An invalid plugin or command-line option."""


class QueryFileError(RevpagesError):
    """A query file that cannot be read or has no SQL."""


class FrontMatterError(QueryFileError):
    """A bad key or value in a query file's front matter."""


class ChartSpecError(QueryFileError):
    """Front matter that does not fit the query's result (missing column, too many points)."""


class SQLError(QueryFileError):
    """DuckDB rejected or failed to run a query."""


class DataLoadError(RevpagesError):
    """An export file that cannot be loaded."""


class BuildErrors(RevpagesError):
    """Several errors collected during one build, reported together."""

    def __init__(self, errors: list[RevpagesError]) -> None:
        self.errors = errors
        count = len(errors)
        summary = f"{count} error{'s' if count != 1 else ''}; the site was not built."
        super().__init__(summary)

    def message(self) -> str:
        return "\n".join([*(error.message() for error in self.errors), self.text])


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A "Did you mean 'x'?" hint for the closest choice, if any is close."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"Did you mean '{matches[0]}'?" if matches else None


def position_to_line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset in ``text``."""
    offset = max(0, min(offset, len(text)))
    before = text[:offset]
    line = before.count("\n") + 1
    column = offset - (before.rfind("\n") + 1) + 1
    return line, column


# errno -> (code, hint) of the operating-system errors a build can meet (``os_error``)
_OS_ERRORS: dict[int, tuple[str, str]] = {
    errno.ENOSPC: (
        "RP702",
        "free space on that disk, or point site_dir or cache_dir in mkdocs.yml at another one.",
    ),
    errno.EDQUOT: (
        "RP702",
        "free space on that disk, or point site_dir or cache_dir in mkdocs.yml at another one.",
    ),
    errno.EROFS: (
        "RP703",
        "make the folder writable, or point site_dir or cache_dir in mkdocs.yml elsewhere.",
    ),
    errno.EACCES: (
        "RP703",
        "make the folder writable, or point site_dir or cache_dir in mkdocs.yml elsewhere.",
    ),
    errno.EPERM: (
        "RP703",
        "make the folder writable, or point site_dir or cache_dir in mkdocs.yml elsewhere.",
    ),
    errno.ENAMETOOLONG: (
        "RP704",
        "use shorter names for the folders, sections and reports (100 characters at most).",
    ),
}


def os_error(error: OSError, *, shown: Callable[[str], str] | None = None) -> RevpagesError:
    """An operating-system error (full disk, read-only folder, name too long...) as a
    coded error naming the file; ``shown`` turns an absolute path into what the user types."""
    code, hint = _OS_ERRORS.get(
        error.errno or 0, ("RP705", "check that file and its disk, then run the command again.")
    )
    reason = (error.strerror or str(error)).rstrip(".").lower()
    path = error.filename if isinstance(error.filename, str) else None
    if path is not None:
        path = _shortened(shown(path) if shown else relative_to_cwd(path))
    return RevpagesError(
        f"the operating system refused: {reason}.", code=code, path=path, hint=hint
    )


_IO_REASONS = {
    "no space left": errno.ENOSPC,
    "disk quota": errno.EDQUOT,
    "read-only file system": errno.EROFS,
    "permission denied": errno.EACCES,
    "file name too long": errno.ENAMETOOLONG,
}


def io_error(error: Exception, path: Path) -> RevpagesError:
    """A failed write reported by a library as text (DuckDB's IOException), as ``os_error``
    would give it for ``path``."""
    text = str(error)
    number = next((n for words, n in _IO_REASONS.items() if words in text.lower()), errno.EIO)
    reason = os.strerror(number) if number != errno.EIO else text.splitlines()[0]
    return os_error(OSError(number, reason, str(path)))


def _shortened(path: str) -> str:
    """Names too long to read (or to be a name) cut down to their start and end."""
    return "/".join(p if len(p) <= 60 else f"{p[:20]}…{p[-10:]}" for p in path.split("/"))


def relative_to_cwd(path: str) -> str:
    """``path`` as the user types it: relative to the current folder when inside it."""
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return path
