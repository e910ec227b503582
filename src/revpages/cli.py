"""The ``revpages`` command: thin wrappers that load the config and call one function."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import click

from revpages import __version__

CONFIG_HELP = "The site's MkDocs configuration file."
STRICT_HELP = "Fail on any warning (empty results, data problems), as CI should."
QUIET_HELP = "Print errors only."
VERBOSE_HELP = "Print MkDocs' progress and full tracebacks."

config_option = click.option(
    "-f", "--config-file", type=click.Path(dir_okay=False), default="mkdocs.yml",
    show_default=True, envvar="REVPAGES_CONFIG", help=CONFIG_HELP,
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


def _setup_logging(quiet: bool, verbose: bool) -> None:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logger = logging.getLogger("mkdocs")
    logger.handlers[:] = [_ConsoleHandler()]
    logger.propagate = False
    logger.setLevel(logging.ERROR if quiet else logging.DEBUG if verbose else logging.WARNING)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="revpages")
def cli() -> None:
    """Build the shared revenue reporting site from CRM exports and SQL query files."""


@cli.command()
@config_option
@click.option("--strict", is_flag=True, help=STRICT_HELP)
@click.option("-q", "--quiet", is_flag=True, help=QUIET_HELP)
@click.option("-v", "--verbose", is_flag=True, help=VERBOSE_HELP)
def build(config_file: str, strict: bool, quiet: bool, verbose: bool) -> None:
    """Run every query and build the site (the same as 'mkdocs build')."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.exceptions import Abort, ConfigurationError

    _setup_logging(quiet, verbose)
    try:
        config = _load_config(config_file, strict=strict or None)
        mkdocs_build(config)
    except (Abort, ConfigurationError) as error:
        if verbose:
            raise
        message = str(error.message if hasattr(error, "message") else error)
        if "BuildError" not in message:  # a BuildError was already printed by MkDocs
            click.echo(message, err=True)
        click.echo("Build failed; fix the problems above and build again.", err=True)
        sys.exit(1)
    if not quiet:
        click.echo(f"Site built in {config.site_dir}", err=True)


@cli.command()
@config_option
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True,
              help="Address and port to serve on.")
@click.option("--open", "open_browser", is_flag=True, help="Open the site in a browser.")
def serve(config_file: str, dev_addr: str, open_browser: bool) -> None:
    """Preview the site, rebuilding when a query, data or docs file changes."""
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import Abort, ConfigurationError

    _setup_logging(quiet=False, verbose=False)
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    if not Path(config_file).is_file():
        raise click.ClickException(_missing_config(config_file))
    try:
        mkdocs_serve(config_file=config_file, dev_addr=dev_addr, open_in_browser=open_browser)
    except (Abort, ConfigurationError) as error:
        raise click.ClickException(str(error)) from None


@cli.command("sample-data")
@click.option("-o", "--output", type=click.Path(file_okay=False), default="data",
              show_default=True, help="Folder to write the CSV files to.")
@click.option("--leads", type=click.IntRange(min=100), default=20_000, show_default=True,
              help="Number of leads; the other tables scale with it.")
@click.option("--seed", type=int, default=7, show_default=True,
              help="Random seed: the same seed gives byte-identical files.")
def sample_data(output: str, leads: int, seed: int) -> None:
    """Write realistic, seeded sample exports (in the contract's native format)."""
    from revpages.sample_data import generate_sample_data

    counts = generate_sample_data(Path(output), leads=leads, seed=seed)
    for table, rows in counts.items():
        click.echo(f"{table:>18}: {rows:>10,} rows", err=True)
    click.echo(f"Sample data written to {output}/", err=True)


def _load_config(config_file: str, *, strict: bool | None):
    from mkdocs.config import load_config

    if not Path(config_file).is_file():
        raise click.ClickException(_missing_config(config_file))
    return load_config(config_file=config_file, strict=strict)


def _missing_config(config_file: str) -> str:
    return (f"{config_file}: no such file. Run revpages in the site's folder, "
            "or pass --config-file.")


def main() -> None:
    cli()
