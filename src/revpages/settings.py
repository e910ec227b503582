"""The core's view of the configuration: a frozen value built by the plugin or CLI."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from revpages.exports import DataOptions


@dataclass(frozen=True)
class Settings:
    """Paths are absolute; ``root`` is the project folder that messages are relative to."""

    root: Path
    queries_dir: Path
    data_dir: Path
    table_rows: int = 50
    currency: str = "$"
    chart_max_points: int = 5000
    memory_limit: str | None = None
    threads: int | None = None
    max_reject_share: float = 0.05
    query_timeout: float = 300.0
    audience: str = "internal"  # "wide": no record ids or notes, no internal_only reports
    docs_dir: Path | None = None  # the hand-written pages; the glossary page is one of them
    glossary_page: str = "glossary.md"  # docs-relative
    cache_dir: Path | None = None  # where loaded data and results are kept between builds
    data: DataOptions = field(default_factory=DataOptions)  # data_format, data_columns...

    def display_path(self, path: Path) -> str:
        """``path`` as the user would type it: relative to the project when inside it."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)
