"""Starting points: a new query file (``revpages new``) and a new site (``revpages init``).

The query template is generated from ``spec.FRONT_MATTER_KEYS``: every key with its
doc line and an example, commented out except the required ones, so a new key shows
up in every new file without touching this module. The site template is a folder of
package data copied as it is (``dot-`` file names become dotfiles).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from string import Template

from revpages import __version__
from revpages.commands.install_source import Requirement, requirement
from revpages.contract import TABLES
from revpages.derive.calendar import PARAMETERS
from revpages.errors import ConfigError
from revpages.reports.queryfile import NAME_PATTERN
from revpages.reports.spec import FRONT_MATTER_KEYS, Key

TEMPLATE_PACKAGE = "revpages.templates"
PROJECT_TEMPLATE = "project"
_SUBSTITUTED = ("mkdocs.yml", "README.md", "requirements.txt", "site_src/index.md")
_STARTER_SQL = """select stage, count(*) as deals, sum(amount) as amount
from deals
group by stage
order by stage
"""


@dataclass(frozen=True)
class ReportName:
    section: str
    name: str

    @property
    def report_id(self) -> str:
        return f"{self.section}/{self.name}"


def parse_report_name(text: str) -> ReportName:
    """``sales/pipeline`` (or ``sales/pipeline.sql``, or ``queries/sales/pipeline.sql``)."""
    parts = [p for p in text.strip().replace("\\", "/").split("/") if p]
    if len(parts) == 3 and parts[0] == "queries":
        parts = parts[1:]
    if len(parts) != 2:
        raise ConfigError(
            f"'{text}' is not a report name.",
            code="RP801",
            hint="write section/report, e.g. 'revpages new sales/pipeline'.",
        )
    section, name = parts[0], parts[1].removesuffix(".sql")
    for label, value in (("section", section), ("report", name)):
        if not NAME_PATTERN.match(value) or value.startswith("_"):
            raise ConfigError(
                f"the {label} name '{value}' is not a valid page name.",
                code="RP802",
                hint="use lower-case letters, digits, '_' and '-' only, 100 at most, e.g. "
                "'sales/win_rate'.",
            )
    return ReportName(section, name)


def title_for(name: str) -> str:
    return name.replace("_", " ").replace("-", " ").strip().capitalize()


def query_template(name: ReportName, *, title: str | None = None) -> str:
    """A new query file: every front-matter key documented, the required ones filled in."""
    lines = [
        "/*",
        "# Front matter: YAML, one 'key: value' per line. Remove the '# ' before a key",
        "# to use it. Reference: the guide's 'Query files' page, or 'revpages check'.",
        "",
    ]
    for key in FRONT_MATTER_KEYS:
        lines += _key_lines(key, title or title_for(name.name))
    tables = ", ".join(t.name for t in TABLES)
    lines += [
        f"# {line}"
        for line in _wrap(f"Tables: {tables}, and one per other file in the data folder.", 88)
    ]
    lines += [
        f"# {line}"
        for line in _wrap(
            "The calendar: the calendar table (fiscal weeks, months, quarters, years), "
            "calendar_day(timestamp), and the parameters "
            + ", ".join(f"${p}" for p in PARAMETERS)
            + ". A report about a period filters by $period_start and $period_end "
            "(the guide's 'Calendar and periods' page).",
            88,
        )
    ]
    lines += ["*/", _STARTER_SQL]
    return "\n".join(lines)


def _key_lines(key: Key, title: str) -> list[str]:
    doc = key.help + (" Required." if key.required else "")
    if key.choices:
        doc += " One of: " + ", ".join(key.choices) + "."
    if key.default not in (None, "", (), {}):
        doc += f" Default: {key.default}."
    lines = [f"# {line}" for line in _wrap(f"{key.name}: {doc}", 88)]
    if key.name == "title":
        lines += [f"#   e.g. {key.example}", f"title: {_yaml_text(title)}"]
    elif key.required:
        lines.append(key.example)
    else:
        lines.append(f"# {key.example}")
    return [*lines, ""]


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines


def _yaml_text(text: str) -> str:
    plain = text and text[0].isalnum() and not any(c in text for c in ":#\"'{}[],&*!|>%@`")
    return text if plain else '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def create_query_file(
    queries_dir: Path,
    name: ReportName,
    *,
    title: str | None = None,
    shown: Callable[[Path], str] = str,
) -> Path:
    """Write ``queries/<section>/<name>.sql`` from the template; never overwrite a file."""
    path = queries_dir / name.section / f"{name.name}.sql"
    if path.exists():
        raise ConfigError(
            f"the report '{name.report_id}' already exists.",
            code="RP803",
            path=shown(path),
            hint="edit that file, or choose another name.",
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:
        handle.write(query_template(name, title=title))
    return path


def init_project(
    target: Path, *, site_name: str | None = None, install: Requirement | None = None
) -> list[Path]:
    """Copy the site template into ``target``; refuses if any of its files exists.
    ``install``: how its nightly build installs revpages (default: as this one was)."""
    template = resources.files(TEMPLATE_PACKAGE).joinpath(PROJECT_TEMPLATE)
    files = sorted(_template_files(template, ""), key=lambda item: item[0])
    clashes = [rel for rel, _ in files if (target / rel).exists()]
    if clashes:
        raise ConfigError(
            f"the folder already holds {', '.join(clashes[:3])}"
            + (f" and {len(clashes) - 3} more" if len(clashes) > 3 else "")
            + ".",
            code="RP804",
            path=target,
            hint="choose a new folder, e.g. 'revpages init reports'.",
        )
    name = site_name or title_for(target.resolve().name) or "Reports"
    install = install or requirement()
    values = {
        "site_name": name,
        "site_name_yaml": _yaml_text(name),
        "version": __version__,
        "requirement": install.line,
    }
    written = []
    if install.wheel is not None:
        (target / "wheels").mkdir(parents=True, exist_ok=True)
        written.append(Path(shutil.copy2(install.wheel, target / "wheels" / install.wheel.name)))
    for rel, source in files:
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        text = source.read_text(encoding="utf-8")
        if rel in _SUBSTITUTED:
            text = Template(text).safe_substitute(values)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _template_files(folder: Traversable, prefix: str) -> list[tuple[str, Traversable]]:
    found = []
    for entry in folder.iterdir():
        if entry.name in ("__pycache__", "__init__.py"):
            continue
        name = entry.name
        if name.startswith("dot-"):
            name = "." + name.removeprefix("dot-")
        rel = f"{prefix}{name}"
        if entry.is_dir():
            found += _template_files(entry, f"{rel}/")
        else:
            found.append((rel, entry))
    return found
