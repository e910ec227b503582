"""The calendar parameters a query may use (``$as_of``, ``$period_start``...): which ones
its SQL mentions, their values for a run, and the errors of using them wrongly.

DuckDB binds them; their values never become SQL text. DuckDB refuses named parameters
a statement does not use, so each run binds exactly the ones the parse tree holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from revpages.derive.calendar import COMPARES, PARAMETERS, Calendar
from revpages.errors import FrontMatterError, SQLError, did_you_mean
from revpages.reports.queryfile import QueryFile
from revpages.sql import walk

PERIOD_PARAMETERS = frozenset(PARAMETERS) - {"as_of"}


def parameters_in(tree: dict[str, Any]) -> list[str]:
    """The names of the named parameters of a parsed statement (``sql.syntax_tree``), in
    the order DuckDB lists them."""
    names: list[str] = []
    for node in walk(tree.get("statements") or []):
        for entry in node.get("named_param_map") or []:
            name = str(entry.get("key", ""))
            if name not in names:
                names.append(name)
    return names


def bound(
    names: Iterable[str],
    calendar: Calendar,
    compare: str | None = None,
    bindings: Iterable[tuple[str, str | None]] = (),
) -> dict[str, Any]:
    """The values of ``names`` for a run over the site's period, or the ``compare`` one,
    with the query's own ``bindings`` (a ``per:`` page's value)."""
    values: dict[str, Any] = dict(
        (calendar.compared(compare) if compare else calendar).parameters()
    )
    values.update(bindings)
    return {name: values[name] for name in names if name in values}


def own_parameters(query: QueryFile) -> set[str]:
    """The parameters the query's front matter declares: ``per:``'s column and each of
    ``params:`` but the period (which moves the calendar's)."""
    own = {p.name for p in query.spec.params if not p.is_period}
    return own | ({query.spec.per.parameter} if query.spec.per else set())


def check_parameters(query: QueryFile, names: Iterable[str], *, model: bool = False) -> None:
    """Refuse a parameter revpages does not bind, and any parameter in a shared model."""
    for name in names:
        line, column = query.sql_position(_offset(query.sql, name))
        if model:
            raise SQLError(
                f"the model uses the parameter '${name}', but a model is a view, created once "
                "for every report: it cannot take parameters.",
                code="RP416",
                path=query.path,
                line=line,
                column=column,
                hint="join the calendar table in the model, and filter by the period in the "
                "reports that read it.",
            )
        if name not in PARAMETERS and name not in own_parameters(query):
            known = [f"${known}" for known in (*PARAMETERS, *sorted(own_parameters(query)))]
            raise SQLError(
                f"the query uses the parameter '${name}', which revpages does not bind.",
                code="RP415",
                path=query.path,
                line=line,
                column=column,
                hint=did_you_mean(f"${name}", known) or "use one of " + ", ".join(known) + ".",
            )


def check_compare(query: QueryFile, names: Iterable[str]) -> None:
    """``compare:`` runs the query again for other periods: its SQL must use one."""
    if query.spec.compare and not PERIOD_PARAMETERS & set(names):
        line, column = query.key_position("compare")
        raise FrontMatterError(
            "'compare' runs the query again for the prior period, but its SQL uses no period "
            "parameter, so every run would give the same numbers.",
            code="RP313",
            path=query.path,
            line=line,
            column=column,
            hint="filter by $period_start and $period_end, or remove 'compare'.",
        )


def _offset(sql: str, name: str) -> int:
    found = re.search(rf"\${re.escape(name)}(?![\w$])", sql)
    return found.start() if found else 0


__all__ = [
    "COMPARES",
    "PARAMETERS",
    "bound",
    "check_compare",
    "check_parameters",
    "own_parameters",
]
