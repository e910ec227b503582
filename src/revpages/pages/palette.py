"""Chart colours, declared once: the palette, and one colour per entity across the site.

The browser script draws with the same palette: ``revpages.js`` is shipped with
``COLORWAY`` written into it (``site/assets``), never with a copy of its own."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

# Okabe-Ito, colour-blind safe, then Paul Tol's muted set for more entities.
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#999999",
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#DDCC77",
    "#CC6677",
    "#AA4499",
    "#882255",
)
# Plotly's default series colours in the browser (Okabe-Ito); entities drawn by name get
# their colour from ``ColorMap`` instead.
COLORWAY: tuple[str, ...] = PALETTE[:8]
# A change against another period (compare:): good, bad, neutral, and the shade of each
# that reads at 4.5:1 on the light and the dark theme, as small text must: the stylesheet
# colours changes in tables and on KPI tiles with these shades.
CHANGE_COLORS: dict[str, tuple[str, str]] = {
    "#009E73": ("#00704f", "#4fd1a5"),
    "#D55E00": ("#b44a00", "#ff9a5c"),
    "#8C8C8C": ("#616161", "#b0b0b0"),
}
# Rows a report flags (``highlight:``): Okabe-Ito's vermillion, apart from the blue most
# single-series charts are drawn in.
EMPHASIS = "#D55E00"


class ColorMap:
    """One colour per entity for the whole site.

    Entities drawn in the same chart get different colours; entities that never meet may
    share one, so most sites stay within Okabe-Ito's eight colours. (A colour per name in
    sorted order wrapped past the palette on a site with many entities, and gave two series
    of one chart the same colour.) ``names`` are drawn together; ``charts`` lists the names
    of each chart of the site.
    """

    def __init__(self, names: Iterable[str] = (), *, charts: Iterable[Iterable[str]] = ()) -> None:
        groups = [set(names), *(set(chart) for chart in charts)]
        self._colors = {name: PALETTE[i % len(PALETTE)] for name, i in _coloring(groups).items()}

    def __call__(self, name: str) -> str:
        return self._colors.get(name, PALETTE[0])


def _coloring(groups: list[set[str]]) -> dict[str, int]:
    """Greedy graph colouring in name order: each name takes the first palette index that
    no name sharing a chart with it has taken."""
    neighbours: dict[str, set[str]] = {}
    for group in groups:
        for name in group:
            neighbours.setdefault(name, set()).update(group - {name})
    indexes: dict[str, int] = {}
    for name in sorted(neighbours):
        taken = {indexes[other] for other in neighbours[name] if other in indexes}
        indexes[name] = next(i for i in itertools.count() if i not in taken)
    return indexes
