"""The ``revpages`` command: thin wrappers that load the config and call one function."""

from __future__ import annotations

import errno
import logging
import os
import re
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from revpages import __version__
from revpages.incremental.lock import BuildLock
from revpages.incremental.manifest import summary_lines

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

CONFIG_HELP = "The site's MkDocs configuration file."
STRICT_HELP = "Fail on any warning (empty results, data problems), as CI should."
QUIET_HELP = "Print errors only: no progress bar, no summary (for CI logs)."
VERBOSE_HELP = "Print MkDocs' progress and full tracebacks."
FORCE_HELP = (
    "Build even when nothing changed since the last build (by default such a "
    "build stops at once: the site is up to date)."
)
NO_WAIT_HELP = (
    "When another build of the site is running, stop at once (exit code 1) instead of "
    "waiting for it to finish."
)
MANIFEST_HELP = (
    "Also write the build manifest, with seconds per query, to this file "
    "(the site's own copy, revpages-manifest.json, has no timings)."
)
TITLE_HELP = "Title of the report (default: from its name)."
NAME_HELP = "Name of the site (default: from the folder name)."
SAMPLE_HELP = "Write sample exports into data/, so the site builds right away."
LEADS_HELP = "Number of sample leads; the other tables scale with it."
SEED_HELP = "Random seed: the same seed gives byte-identical files."

config_option = click.option(
    "-f",
    "--config-file",
    type=click.Path(dir_okay=False),
    default="mkdocs.yml",
    show_default=True,
    envvar="REVPAGES_CONFIG",
    help=CONFIG_HELP,
)


class _ConsoleHandler(logging.Handler):
    """MkDocs log records as plain lines; errors keep their 'file:line:col:' start."""

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.levelno >= logging.ERROR:
            click.echo(message, err=True)
        elif record.levelno >= logging.WARNING:
            click.echo(f"warning: {message}", err=True)
        else:
            click.echo(message, err=True)


def _setup_logging(quiet: bool, verbose: bool, *, strict: bool = False) -> None:
    """Warnings always reach the loggers (strict mode counts them); ``quiet`` only stops
    them being printed, and not under ``strict``, where each one fails the build."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    console = _ConsoleHandler()
    console.setLevel(logging.ERROR if quiet and not strict else logging.NOTSET)
    for name in ("mkdocs", "revpages"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [console]
        logger.propagate = False
        logger.setLevel(logging.DEBUG if verbose else logging.WARNING)


class _Commands(click.Group):
    """Every command: an operating-system error (a full disk, a read-only folder...) is
    printed as a coded error naming the file, never as a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        from revpages.errors import os_error

        try:
            return super().invoke(ctx)
        except OSError as error:
            raise click.ClickException(os_error(error).message()) from None


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="revpages")
def cli() -> None:
    """Build the shared revenue reporting site from CRM exports and SQL query files."""


@cli.command()
@config_option
@click.option("--strict", is_flag=True, help=STRICT_HELP)
@click.option("-q", "--quiet", is_flag=True, help=QUIET_HELP)
@click.option("-v", "--verbose", is_flag=True, help=VERBOSE_HELP)
@click.option(
    "--manifest", "manifest_path", type=click.Path(dir_okay=False), default=None, help=MANIFEST_HELP
)
@click.option("--force", is_flag=True, help=FORCE_HELP)
@click.option("--no-wait", is_flag=True, help=NO_WAIT_HELP)
def build(
    config_file: str,
    strict: bool,
    quiet: bool,
    verbose: bool,
    manifest_path: str | None,
    force: bool,
    no_wait: bool,
) -> None:
    """Run every query and build the site (the same as 'mkdocs build').

    One build of a site runs at a time: a second one waits for the first to finish.
    """
    from mkdocs.exceptions import Abort, ConfigurationError

    from revpages.errors import RevpagesError

    _setup_logging(quiet, verbose, strict=strict)
    started = time.perf_counter()
    try:
        config = _load_config(config_file, strict=strict or None)
        if config.strict and not strict:  # strict: true in mkdocs.yml
            _setup_logging(quiet, verbose, strict=True)
        lock = BuildLock(Path(config.site_dir), shown=_shown(config.site_dir))
        with lock.held(wait=not no_wait, on_wait=lambda text: click.echo(text, err=True)):
            output = _build_site(config, manifest_path, force=force, quiet=quiet)
    except (Abort, ConfigurationError) as error:
        if verbose:
            raise
        message = str(error.message if hasattr(error, "message") else error)
        if "BuildError" not in message:  # a BuildError was already printed by MkDocs
            click.echo(message, err=True)
        click.echo("Build failed; fix the problems above and build again.", err=True)
        sys.exit(1)
    except RevpagesError as error:
        if verbose:
            raise
        click.echo(error.message(), err=True)
        sys.exit(1)
    if output is False:
        return  # nothing to build: the site is up to date
    if not quiet:
        for line in summary_lines(output) if output is not None else []:
            click.echo(line, err=True)
        click.echo(
            f"Site built in {_shown(config.site_dir)}/ in {time.perf_counter() - started:.1f} s.",
            err=True,
        )


def _build_site(config: Any, manifest_path: str | None, *, force: bool, quiet: bool) -> Any:
    """One build under the build lock: the site's output (None without the plugin), or
    False when nothing changed since the last build."""
    from mkdocs.commands.build import build as mkdocs_build

    from revpages.incremental import fingerprint, uptodate
    from revpages.incremental.manifest import manifest, manifest_json
    from revpages.progress import StepTimes

    plugin = config.plugins.get("revpages")
    steps = StepTimes()  # seconds per build step, for --manifest
    if force:
        fingerprint.forget()  # every file read again, whatever its dates say
    known = _build_key(config, plugin, manifest_path, recall=not force)
    last = None if force or known is None else uptodate.unchanged(*known, Path(config.site_dir))
    if last is not None:
        _nothing_to_build(last, manifest_path, quiet, config.site_dir)
        return False
    if plugin is not None:
        plugin.progress = steps = StepTimes(_progress(quiet))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()
    output = getattr(plugin, "output", None)
    if output is not None and manifest_path:
        _write_text(manifest_path, manifest_json(output, timings=True, steps=steps.seconds))
    if output is not None and known is not None:
        uptodate.remember(
            *known, Path(config.site_dir), manifest(output, timings=True, steps=steps.seconds)
        )
        fingerprint.remember(known[0])
    return output


def _write_text(path: str, text: str) -> None:
    """Write a file the user named; an error of the write itself names it too."""
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as error:
        error.filename = error.filename or path
        raise


def _build_key(
    config: Any, plugin: Any, manifest_path: str | None, *, recall: bool = True
) -> tuple[Path, str] | None:
    """The cache folder and the key of everything this build would read (see ``uptodate``),
    or None when the site keeps no cache. ``recall``: trust the file digests of earlier
    builds for files whose identity did not change (see ``fingerprint``)."""
    from revpages.incremental import fingerprint, uptodate
    from revpages.reports.engine import reference_time

    if plugin is None or not plugin.config.enabled:
        return None
    settings = plugin.settings(config)
    if settings.cache_dir is None:
        return None
    if recall:
        fingerprint.recall(settings.cache_dir)
    config_file = Path(config.config_file_path)
    hooks = config.hooks.keys() if isinstance(config.hooks, dict) else config.hooks or []
    folders = [
        *config_file.parent.glob("*.y*ml"),
        Path(config.docs_dir),
        settings.queries_dir,
        settings.data_dir,
        *map(Path, [*hooks, *config.watch]),
        *([Path(config.theme.custom_dir)] if config.theme.custom_dir else []),
    ]
    skip = [
        Path(config.site_dir),
        settings.cache_dir,
        *([Path(manifest_path)] if manifest_path else []),
    ]
    key = uptodate.inputs_key(
        folders, skip=skip, options={"strict": config.strict}, today=reference_time().date()
    )
    return settings.cache_dir, key


def _nothing_to_build(
    last: dict[str, Any], manifest_path: str | None, quiet: bool, site_dir: str
) -> None:
    import json

    from revpages.incremental import uptodate

    if manifest_path:
        _write_text(
            manifest_path, json.dumps(uptodate.nothing_run(last), indent=2, sort_keys=True) + "\n"
        )
    if not quiet:
        click.echo(
            f"Nothing changed since the last build: {_shown(site_dir)}/ is up to date "
            "(--force builds it again).",
            err=True,
        )


@cli.command()
@config_option
@click.option(
    "-a",
    "--dev-addr",
    default="127.0.0.1:8000",
    show_default=True,
    help="Address and port to serve on.",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the site in a browser.")
def serve(config_file: str, dev_addr: str, open_browser: bool) -> None:
    """Preview the site, rebuilding when a query, data or docs file changes.

    A saved query re-runs that query only. A broken report shows its error on its page
    and in the terminal, and the server keeps going.
    """
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import Abort, ConfigurationError

    _setup_logging(quiet=False, verbose=False)
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    if not Path(config_file).is_file():
        raise click.ClickException(_missing_config(config_file))
    # SIGTERM stops the server as Ctrl-C does, so its temporary folders are removed.
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        mkdocs_serve(config_file=config_file, dev_addr=dev_addr, open_in_browser=open_browser)
    except (Abort, ConfigurationError) as error:
        raise click.ClickException(str(error)) from None
    except OSError as error:
        if error.errno not in (errno.EADDRINUSE, errno.EADDRNOTAVAIL):
            raise
        raise click.ClickException(_unusable_address(dev_addr, error)) from None
    finally:
        signal.signal(signal.SIGTERM, previous)


def _stop(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _unusable_address(dev_addr: str, error: OSError) -> str:
    from revpages.errors import ConfigError

    return ConfigError(
        f"cannot serve on {dev_addr}: {(error.strerror or str(error)).lower()}.",
        code="RP805",
        hint="stop the program using that port, or choose another one, e.g. "
        "'revpages serve -a 127.0.0.1:8001'.",
    ).message()


@cli.command("sample-data")
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False),
    default="data",
    show_default=True,
    help="Folder to write the CSV files to.",
)
@click.option(
    "--leads",
    type=click.IntRange(min=100),
    default=20_000,
    show_default=True,
    help="Number of leads; the other tables scale with it.",
)
@click.option(
    "--seed",
    type=int,
    default=7,
    show_default=True,
    help="Random seed: the same seed gives byte-identical files.",
)
@click.option(
    "--format",
    "data_format",
    type=click.Choice(["native", "hubspot", "salesforce"]),
    default="native",
    show_default=True,
    help="Write the contract's native files, or the same data as HubSpot or "
    "Salesforce exports (set data_format in mkdocs.yml to match).",
)
def sample_data(output: str, leads: int, seed: int, data_format: str) -> None:
    """Write realistic, seeded sample exports (native, HubSpot or Salesforce files)."""
    from revpages.commands.sample_data import generate_sample_data

    counts = generate_sample_data(Path(output), leads=leads, seed=seed, format=data_format)
    for table, rows in counts.items():
        click.echo(f"{table:>26}: {rows:>10,} rows", err=True)
    click.echo(f"Sample data written to {output}/", err=True)


@cli.command()
@config_option
@click.argument("report")
@click.option("--title", default=None, help=TITLE_HELP)
def new(config_file: str, report: str, title: str | None) -> None:
    """Start a new report file, with every front-matter key explained.

    REPORT is SECTION/NAME, e.g. sales/win_rate: the file is queries/SECTION/NAME.sql.
    An existing file is never overwritten.
    """
    from revpages.commands.scaffold import create_query_file, parse_report_name
    from revpages.errors import RevpagesError

    settings = _settings(_load_config(config_file, strict=None))
    try:
        name = parse_report_name(report)
        new_section = not (settings.queries_dir / name.section).is_dir()
        path = create_query_file(
            settings.queries_dir, name, title=title, shown=settings.display_path
        )
    except RevpagesError as error:
        raise click.ClickException(error.message()) from None
    shown = settings.display_path(path)
    click.echo(
        f"Created {shown}" + (f" in a new section '{name.section}'." if new_section else ".")
    )
    click.echo("Next:")
    click.echo(f"  1. Write its SQL and front matter: {shown}")
    click.echo(f"  2. Preview it:  revpages serve   (then open /{name.report_id}/)")
    click.echo("  3. Check it:    revpages check   (every query, against the data contract)")
    if new_section:
        click.echo(
            f"Name the section in {settings.display_path(path.parent)}/_section.yml "
            "(title, order, description)."
        )


@cli.command()
@config_option
def check(config_file: str) -> None:
    """Check every query against the data contract, in a second, without the data.

    Front matter, SQL and the columns the front matter names are checked by planning
    each query over empty contract tables; embeds in site_src pages are checked too.
    Prints each problem as file:line:col: message and exits with code 1 if there is one.
    """
    from revpages.commands.check import check_project

    config = _load_config(config_file, strict=None)
    settings = _settings(config)
    docs = Path(config.docs_dir)
    pages = [
        (settings.display_path(page), page.read_text(encoding="utf-8"))
        for page in sorted(docs.rglob("*.md"))
    ]
    result = check_project(settings, pages=pages)
    for error in result.errors:
        click.echo(error.message())
    count = len(result.errors)
    summary = (
        f"{len(result.queries)} query files and {result.pages} pages checked in "
        f"{result.seconds:.2f} s: "
    )
    if count:
        click.echo(summary + f"{count} problem{'s' if count != 1 else ''}.", err=True)
        sys.exit(1)
    click.echo(summary + "no problems.", err=True)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--name", "site_name", default=None, help=NAME_HELP)
@click.option("--sample-data/--no-sample-data", default=True, show_default=True, help=SAMPLE_HELP)
@click.option(
    "--leads", type=click.IntRange(min=100), default=5_000, show_default=True, help=LEADS_HELP
)
@click.option("--seed", type=int, default=7, show_default=True, help=SEED_HELP)
def init(directory: str, site_name: str | None, sample_data: bool, leads: int, seed: int) -> None:
    """Create a new site in DIRECTORY that builds right away.

    It holds mkdocs.yml, starter reports in queries/, a home page in site_src/, a
    .gitignore, a nightly GitHub Actions workflow and (by default) sample exports.
    """
    from revpages.commands.install_source import requirement
    from revpages.commands.scaffold import init_project
    from revpages.errors import RevpagesError

    target = Path(directory)
    install = requirement()
    try:
        written = init_project(target, site_name=site_name, install=install)
    except RevpagesError as error:
        raise click.ClickException(error.message()) from None
    click.echo(f"Created a revpages site in {directory}/ ({len(written)} files).")
    click.echo(
        f"Its nightly build installs revpages as: {install.line} (requirements.txt).", err=True
    )
    if install.note:
        click.echo(f"Before the first nightly build: {install.note}", err=True)
    if sample_data:
        from revpages.commands.sample_data import generate_sample_data

        counts = generate_sample_data(target / "data", leads=leads, seed=seed)
        click.echo(
            f"Wrote sample exports to {directory}/data/ ({len(counts)} tables, {leads:,} leads)."
        )
    click.echo("Next:")
    click.echo(f"  cd {directory}")
    if not sample_data:
        click.echo("  revpages sample-data            # or copy your exports into data/")
    click.echo("  revpages serve                  # preview on http://127.0.0.1:8000/")
    click.echo("  revpages new sales/my_report    # add a report")
    click.echo("  revpages build --strict         # the site in build/, as CI builds it")


def _shown(path: str) -> str:
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path


def _progress(quiet: bool) -> Any:
    from revpages.progress import NullProgress

    if quiet or not sys.stderr.isatty():
        return NullProgress()
    from revpages.commands.console import RichProgress

    return RichProgress()


def _settings(config: Any) -> Any:
    from revpages.errors import ConfigError

    plugin = config.plugins.get("revpages")
    if plugin is None:
        raise click.ClickException(
            ConfigError(
                "the revpages plugin is not enabled.",
                code="RP102",
                path=_shown(config.config_file_path),
                hint="add '- revpages' under 'plugins:'.",
            ).message()
        )
    return plugin.settings(config)


def _load_config(config_file: str, *, strict: bool | None) -> MkDocsConfig:
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    if not Path(config_file).is_file():
        raise click.ClickException(_missing_config(config_file))
    coded = _CodedConfigErrors(config_file)
    logger = logging.getLogger("mkdocs.config")
    logger.addFilter(coded)
    try:
        return load_config(config_file=config_file, strict=strict)
    except ConfigurationError as error:  # mkdocs.yml is not YAML, or names a missing file
        raise ConfigurationError(_config_error(config_file, str(error))) from None
    finally:
        logger.removeFilter(coded)


class _CodedConfigErrors(logging.Filter):
    """MkDocs logs each invalid option of mkdocs.yml: give it a location, a code and a hint."""

    def __init__(self, config_file: str) -> None:
        super().__init__()
        self.config_file = config_file

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR:
            record.msg, record.args = _config_error(self.config_file, record.getMessage()), ()
        return True


def _config_error(config_file: str, message: str) -> str:
    """MkDocs' message about ``config_file`` as 'file:line:col: RP103 message Hint: fix'."""
    from revpages.errors import ConfigError

    # A YAML error spans lines, each problem followed by 'in "<file>", line 2, column 8'.
    marks = re.findall(r"line (\d+), column (\d+)", message)
    text = " ".join(
        part.strip() for part in message.splitlines() if not part.strip().startswith('in "')
    )
    position = _option_position(config_file, text)
    if position is None and marks:
        position = int(marks[-1][0]), int(marks[-1][1])
    line, column = position or (None, None)
    return ConfigError(
        text.rstrip("."),
        code="RP103",
        path=config_file,
        line=line,
        column=column,
        hint="fix it there; the guide's Configuration page lists every revpages option.",
    ).message()


def _option_position(config_file: str, message: str) -> tuple[int, int] | None:
    """Where mkdocs.yml sets the option a message names ("... option 'table_rows': ...")."""
    from revpages.errors import position_to_line_col

    names = re.findall(r"(?:Config value|option) '([^']+)'", message)
    text = Path(config_file).read_text(encoding="utf-8", errors="replace")
    found = re.search(rf"^[ \t-]*({re.escape(names[-1])})[ \t]*:", text, re.M) if names else None
    return position_to_line_col(text, found.start(1)) if found else None


def _missing_config(config_file: str) -> str:
    from revpages.errors import ConfigError

    return ConfigError(
        "no such file.",
        code="RP101",
        path=config_file,
        hint="run revpages in the site's folder, or pass --config-file.",
    ).message()


def main() -> None:
    cli()
