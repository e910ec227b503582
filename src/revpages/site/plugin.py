"""The MkDocs adapter: translates MkDocs events into core calls, nothing more.

``on_files`` runs the reports and adds their pages and files; ``on_nav`` is
not needed because the nav is set before MkDocs builds it. ``on_page_markdown``
expands report embeds in hand-written pages. Under ``serve`` (``on_startup``) the
plugin object lives across rebuilds: it keeps one cached engine, and problems
become error pages instead of stopping the server.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler, get_relative_url, nest_paths
from mkdocs.utils.templates import TemplateContext

from revpages.errors import BuildErrors, RevpagesError
from revpages.incremental.lock import BuildLock
from revpages.pages.narrative import chart_flags, check_pages, error_box, expand_markers
from revpages.pages.site_output import SiteOutput
from revpages.pipeline import build_reports
from revpages.progress import NullProgress, Progress
from revpages.reports.session import CachedEngine
from revpages.settings import Settings, settings_from_options
from revpages.site.assets import SCRIPTS, STYLES
from revpages.site.bytecode import TemplateCache
from revpages.site.config import RevpagesConfig
from revpages.site.inline_scripts import ScriptCache, write_scripts
from revpages.site.publish import clear_leftovers, discard, publish, staging_dir

THEME_DIR = Path(__file__).parent / "theme"
log = get_plugin_logger("revpages")
problems_log = logging.getLogger("mkdocs.plugins.revpages")  # no prefix: lines start file:line


class RevpagesPlugin(BasePlugin[RevpagesConfig]):
    def __init__(self) -> None:
        self.output: SiteOutput | None = None
        self.site_dir: Path | None = None
        self.staging: Path | None = None
        self.warnings = CountHandler()
        self.progress: Progress = NullProgress()  # the CLI sets a progress bar here
        self.serving = False
        self.engine: CachedEngine | None = None
        self.generated: set[str] = set()
        self.scripts = ScriptCache(None)  # the inline scripts moved out of each page
        self.current: Settings | None = None  # this build's settings, made in on_config
        self.lock: BuildLock | None = None  # held from on_config to the end of a build
        self.trigger: Path | None = None  # serve: the folder _rebuild_soon writes to

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Also makes MkDocs keep this object across the rebuilds of one ``serve``."""
        self.on_shutdown()
        self.serving = command == "serve"
        if self.serving:  # touched when a background query ends: the server rebuilds
            self.trigger = Path(tempfile.mkdtemp(prefix="revpages-serve-"))

    def on_shutdown(self) -> None:
        if self.engine is not None:
            self.engine.shutdown()
            self.engine = None
        self._end_build()
        if self.trigger is not None:
            shutil.rmtree(self.trigger, ignore_errors=True)
            self.trigger = None

    def _rebuild_soon(self) -> None:
        """A query left running by a preview build ended: ask the server for a rebuild."""
        trigger = self.trigger
        if trigger is not None:
            with contextlib.suppress(OSError):
                (trigger / "done").write_text(str(time.time_ns()), encoding="utf-8")

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        self.current = self.settings(config)
        self._stage(config)
        for script in SCRIPTS:
            if script not in config.extra_javascript:
                config.extra_javascript.append(script)
        for style in STYLES:
            if style not in config.extra_css:
                config.extra_css.append(style)
        # Our main.html (the as-of banner) comes after the user's custom_dir, before the theme.
        if str(THEME_DIR) not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_DIR))
        if "attr_list" not in config.markdown_extensions:
            config.markdown_extensions.append("attr_list")  # download buttons and link classes
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return files
        settings = self._settings(config)
        if self.engine is not None and self.engine.options != settings.engine:
            self.engine.shutdown()  # mkdocs.yml changed a DuckDB, data or limit option
            self.engine = None
        if self.serving and self.engine is None:
            self.engine = CachedEngine(settings.engine, background=True, on_done=self._rebuild_soon)
        try:
            self.output = build_reports(
                settings, progress=self.progress, engine=self.engine, preview=self.serving
            )
        except RevpagesError as error:
            raise PluginError(error.message()) from None
        pages = [
            (settings.display_path(Path(f.abs_src_path)), f.content_string)
            for f in files.documentation_pages()
            if f.abs_src_path
        ]
        problems = check_pages(pages, chart_flags(self.output.embeds))
        if problems and not self.serving:
            raise PluginError(BuildErrors(problems).message())
        for warning in self.output.warnings:
            log.warning(warning.message())
        for problem in [*self.output.errors, *problems]:
            problems_log.error(problem.message())
        if self.engine is not None:
            log.info(self.engine.stats.describe())
        user_pages = [f.src_uri for f in files.documentation_pages()]
        self.generated = {generated.path for generated in self.output.files}
        for generated in self.output.files:
            if files.get_file_from_path(generated.path) is not None:
                clash = RevpagesError(
                    "this file clashes with a generated report file.",
                    code="RP701",
                    path=settings.display_path(Path(config.docs_dir) / generated.path),
                    hint="rename it or the query file.",
                )
                raise PluginError(clash.message())
            files.append(File.generated(config, generated.path, content=generated.content))
        config.nav = _nav_with_reports(
            config.nav, user_pages, self.output.nav, self.config.nav_last
        )
        self.progress.step("Writing pages", len(files.documentation_pages()))
        return files

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        """Expand ``[[chart ...]]``/``[[table ...]]`` in hand-written pages."""
        self.progress.item(page.file.src_uri)
        if not self.config.enabled or self.output is None:
            return markdown
        if page.file.src_uri == self.config.glossary_page:
            markdown = self.output.glossary_markdown(markdown)
        if page.file.src_uri not in self.generated:
            shown = self._settings(config).display_path(Path(page.file.abs_src_path or "."))
            markdown, problems = expand_markers(
                markdown,
                path=shown,
                page_uri=page.file.src_uri,
                embeds=self.output.embeds,
                source=page.file.content_string if page.file.abs_src_path else None,
                link=lambda target: _url(files, target, page),
                data_problems=self.output.data_problems,
            )
            if problems and not self.serving:
                raise PluginError(BuildErrors(problems).message())
        if self.serving and self.output.site_errors:
            boxes = "".join(
                error_box("revpages: problem", p.message()) for p in self.output.site_errors
            )
            markdown = f"{boxes}\n{markdown}"
        return markdown

    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Any
    ) -> TemplateContext | None:
        """The site's as-of moment and period, for the banner of ``theme/main.html``."""
        if self.config.enabled and self.output is not None:
            context["revpages_banner"] = self.output.banner  # type: ignore[typeddict-unknown-key]
        return context

    def on_env(
        self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment | None:
        """Keep the theme's compiled templates in the cache folder: rebuilds skip compiling;
        and where each page's inline scripts are: rebuilds skip parsing unchanged pages."""
        cache_dir = self._settings(config).cache_dir if self.config.enabled else None
        self.scripts = ScriptCache(cache_dir / "pages" if cache_dir else None)
        if cache_dir is not None and env.bytecode_cache is None:
            env.bytecode_cache = TemplateCache(cache_dir / "templates")
        return env

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        """Move the theme's inline scripts into files: the site runs under script-src 'self'."""
        if not self.config.enabled:
            return output
        output, scripts = self.scripts.externalize(output, page.url)
        write_scripts(Path(config.site_dir), scripts)
        return output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Publish the staged site, unless strict mode is about to fail the build."""
        self.progress.finish()
        if self.staging is None or self.site_dir is None:
            return
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        if config.strict and (failed := self._strict_failures()):
            # Counted here, not only through logging: a quieter log level hides nothing.
            raise PluginError(
                f"{failed} warning{'s' if failed != 1 else ''} in strict mode; "
                "the site was not published."
            )
        publish(self.staging, self.site_dir)
        config.site_dir = str(self.site_dir)
        self.staging = None
        self.scripts.prune()
        self._end_build()

    def _strict_failures(self) -> int:
        """This build's warnings: revpages' own, counted as values, and MkDocs' logged ones."""
        own = len(self.output.warnings) if self.output is not None else 0
        logged = sum(count for _level, count in self.warnings.get_counts())
        return max(own, logged)

    def on_build_error(self, *, error: Exception) -> None:
        self.progress.finish()
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        self._end_build()

    def _end_build(self) -> None:
        """Remove this build's staging folder, if still there, and give back the lock."""
        if self.staging is not None:
            discard(self.staging)
            self.staging = None
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def _stage(self, config: MkDocsConfig) -> None:
        """Build into a staging folder so a failed build never replaces the last good site;
        one build at a time publishes (a preview publishes into its own temporary folder)."""
        self._end_build()
        self.site_dir = Path(config.site_dir)
        if not self.serving:
            self.lock = BuildLock(self.site_dir)
            self.lock.acquire(on_wait=log.info)  # `revpages build` took it already
            clear_leftovers(self.site_dir)
        self.staging = staging_dir(self.site_dir)
        config.site_dir = str(self.staging)
        self.warnings = CountHandler()  # this object may live across builds (on_startup)
        self.warnings.setLevel(logging.WARNING)
        logging.getLogger("mkdocs").addHandler(self.warnings)

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        if self.trigger is not None:
            server.watch(str(self.trigger))
        if self.config.enabled:
            settings = self._settings(config)
            for folder in (settings.queries_dir, settings.data_dir):
                if folder.is_dir():
                    server.watch(str(folder))
        return server

    def _settings(self, config: MkDocsConfig) -> Settings:
        """This build's settings: made once, in ``on_config``."""
        if self.current is None:
            self.current = self.settings(config)
        return self.current

    def settings(self, config: MkDocsConfig) -> Settings:
        """The core's settings from this plugin's options and the MkDocs config."""
        root = Path(config.config_file_path or ".").resolve().parent
        return settings_from_options(
            dict(self.config),
            root=root,
            docs_dir=Path(config.docs_dir),
            directory_urls=config.use_directory_urls,
        )


def _url(files: Files, target: str, page: Page) -> str:
    """The URL of the docs-relative page ``target`` from ``page``, as MkDocs writes it."""
    found = files.get_file_from_path(target)
    return get_relative_url(found.url, page.url) if found else target


def _nav_with_reports(
    nav: list[Any] | None,
    user_pages: list[str],
    sections: list[tuple[str, list[str]]],
    last: list[str] | None = None,
) -> list[Any]:
    """The user's nav followed by the report sections not in it; without a nav: the home
    page and the other hand-written pages (scorecards, reviews), the report sections and
    the data pages, then the ``last`` pages and folders (the glossary, the guide)."""
    if nav is not None:
        base = list(nav)
        mentioned = _paths_in(base)
        return base + [{title: pages} for title, pages in sections if pages[0] not in mentioned]
    ending = [[p for p in user_pages if _under(p, name)] for name in last or []]
    placed = {p for group in ending for p in group}
    first = [p for p in user_pages if p not in placed]
    tail = [entry for group in ending for entry in nest_paths(sorted(group, key=_page_order))]
    return [
        *nest_paths(sorted(first, key=_page_order)),
        *({title: pages} for title, pages in sections),
        *tail,
    ]


def _under(page: str, name: str) -> bool:
    """Whether ``page`` is ``name`` or in the folder ``name``."""
    name = name.strip("/")
    return page == name or page.startswith(name + "/")


def _page_order(path: str) -> tuple[tuple[int, str], ...]:
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
