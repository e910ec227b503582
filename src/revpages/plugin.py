"""The MkDocs adapter: translates MkDocs events into core calls, nothing more.

``on_files`` runs the reports and adds their pages and files; ``on_nav`` is
not needed because the nav is set before MkDocs builds it.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.utils import CountHandler, nest_paths

from revpages.assets import SCRIPTS, STYLES
from revpages.errors import RevpagesError
from revpages.project import SiteOutput, build_reports
from revpages.publish import discard, publish, staging_dir
from revpages.settings import Settings

log = get_plugin_logger("revpages")


class RevpagesConfig(Config):
    """Options of the ``revpages`` plugin in ``mkdocs.yml``."""

    enabled = c.Type(bool, default=True)
    """Turn the plugin off without removing it (e.g. for a docs-only preview)."""
    queries_dir = c.Type(str, default="queries")
    """Folder of query files, one sub-folder per section, relative to mkdocs.yml."""
    data_dir = c.Type(str, default="data")
    """Folder of export files (CSV, Parquet), relative to mkdocs.yml."""
    table_rows = c.Type(int, default=50)
    """Rows shown in a report's table; the CSV download always holds all rows."""
    currency = c.Type(str, default="$")
    """Currency symbol put before money values."""
    chart_max_points = c.Type(int, default=5000)
    """Charts with more points fail the build instead of making a slow, unreadable page."""
    duckdb_memory_limit = c.Optional(c.Type(str))
    """DuckDB memory limit, e.g. '2GB' (DuckDB's default: 80% of RAM)."""
    duckdb_threads = c.Optional(c.Type(int))
    """DuckDB worker threads (DuckDB's default: one per core)."""


class RevpagesPlugin(BasePlugin[RevpagesConfig]):
    def __init__(self) -> None:
        self.output: SiteOutput | None = None
        self.site_dir: Path | None = None
        self.staging: Path | None = None
        self.warnings = CountHandler()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        self._stage(config)
        for script in SCRIPTS:
            if script not in config.extra_javascript:
                config.extra_javascript.append(script)
        for style in STYLES:
            if style not in config.extra_css:
                config.extra_css.append(style)
        if "attr_list" not in config.markdown_extensions:
            config.markdown_extensions.append("attr_list")  # download buttons and link classes
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return files
        try:
            self.output = build_reports(self.settings(config))
        except RevpagesError as error:
            raise PluginError(error.message()) from None
        for warning in self.output.warnings:
            log.warning(warning.message())
        user_pages = [f.src_uri for f in files.documentation_pages()]
        for generated in self.output.files:
            if files.get_file_from_path(generated.path) is not None:
                raise PluginError(
                    f"{config.docs_dir}/{generated.path}: this file clashes with a generated "
                    "report file. Hint: rename it or the query file."
                )
            files.append(File.generated(config, generated.path, content=generated.content))
        config.nav = _nav_with_reports(config.nav, user_pages, self.output.nav)
        return files

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Publish the staged site, unless strict mode is about to fail the build."""
        if self.staging is None or self.site_dir is None:
            return
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        if config.strict and self.warnings.get_counts():
            return  # MkDocs raises next; on_build_error discards the staging folder
        publish(self.staging, self.site_dir)
        config.site_dir = str(self.site_dir)
        self.staging = None

    def on_build_error(self, *, error: Exception) -> None:
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        if self.staging is not None:
            discard(self.staging)
            self.staging = None

    def _stage(self, config: MkDocsConfig) -> None:
        """Build into a staging folder so a failed build never replaces the last good site."""
        self.site_dir = Path(config.site_dir)
        self.staging = staging_dir(self.site_dir)
        config.site_dir = str(self.staging)
        self.warnings.setLevel(logging.WARNING)
        logging.getLogger("mkdocs").addHandler(self.warnings)

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        if self.config.enabled:
            settings = self.settings(config)
            for folder in (settings.queries_dir, settings.data_dir):
                if folder.is_dir():
                    server.watch(str(folder))
        return server

    def settings(self, config: MkDocsConfig) -> Settings:
        root = Path(config.config_file_path or ".").resolve().parent
        return Settings(
            root=root,
            queries_dir=root / self.config.queries_dir,
            data_dir=root / self.config.data_dir,
            table_rows=self.config.table_rows,
            currency=self.config.currency,
            chart_max_points=self.config.chart_max_points,
            memory_limit=self.config.duckdb_memory_limit,
            threads=self.config.duckdb_threads,
        )


def _nav_with_reports(
    nav: list | None, user_pages: list[str], sections: list[tuple[str, list[str]]]
) -> list:
    """The user's nav (or MkDocs' automatic one) followed by one entry per report section."""
    base = list(nav) if nav is not None else nest_paths(sorted(user_pages, key=_page_order))
    mentioned = _paths_in(base)
    extra = [{title: pages} for title, pages in sections if pages[0] not in mentioned]
    return base + extra


def _page_order(path: str) -> tuple:
    parts = path.split("/")
    # index pages first in each folder, as MkDocs' own automatic nav does
    return tuple((0 if p in ("index.md", "README.md") else 1, p) for p in parts)


def _paths_in(nav: Any) -> set[str]:
    if isinstance(nav, str):
        return {nav}
    if isinstance(nav, list):
        return set().union(*(_paths_in(item) for item in nav)) if nav else set()
    if isinstance(nav, dict):
        return set().union(*(_paths_in(value) for value in nav.values())) if nav else set()
    return set()
