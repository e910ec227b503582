"""A file a build publishes, before any site generator sees it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GeneratedFile:
    """A file to publish, at a POSIX path relative to the docs folder."""

    path: str
    content: str | bytes
