"""The visual checks themselves, on made-up charts (no browser): they find what they claim
to find and nothing else."""

from __future__ import annotations

import math

from .chart_quality import (
    ColumnFormats,
    DrawnChart,
    overlapping_labels,
    unformatted_numbers,
    unformatted_tiles,
)


def box(x: float, y: float, width: float, height: float, degrees: float = 0) -> list:
    """The corners of a text box at (x, y), turned about that corner as Plotly rotates."""
    turn = math.radians(degrees)
    corners = [(0, 0), (width, 0), (width, height), (0, height)]
    return [
        [
            x + cx * math.cos(turn) - cy * math.sin(turn),
            y + cx * math.sin(turn) + cy * math.cos(turn),
        ]
        for cx, cy in corners
    ]


def chart(texts: list[tuple[str, list]], *, ticks: tuple[str, ...] = ()) -> DrawnChart:
    return DrawnChart(
        "report/",
        "section/report.json",
        [{"text": t, "kind": "label", "corners": c} for t, c in texts],
        [{"name": "Win rate", "type": "bar", "color": "#0072b2"}],
        "Competitor",
        "Win rate",
        [],
        list(ticks),
        [],
        "category",
        "linear",
    )


def test_overlapping_boxes_are_found_and_touching_ones_are_not() -> None:
    assert overlapping_labels(chart([("a", box(0, 0, 50, 14)), ("b", box(40, 5, 50, 14))]))
    assert not overlapping_labels(chart([("a", box(0, 0, 50, 14)), ("b", box(50, 0, 50, 14))]))


def test_rotated_labels_are_compared_as_drawn() -> None:
    """Long labels turned 30 degrees, 40px apart: their upright bounding boxes overlap, the
    labels do not. Closer, they do."""
    apart = [(f"label {i}", box(i * 40, 0, 120, 14, degrees=30)) for i in range(3)]
    assert not overlapping_labels(chart(apart))
    close = [(f"label {i}", box(i * 5, 0, 120, 14, degrees=30)) for i in range(2)]
    assert overlapping_labels(chart(close))


def test_numbers_must_read_as_their_format() -> None:
    formats = ColumnFormats({"section/report.json": (["win_rate"], {"win_rate": "percent"})})
    good = chart([], ticks=("0%", "20%", "1,200%"))
    assert not unformatted_numbers(good, formats)
    bad = chart([], ticks=("0.2", "12000", "500m"))
    assert len(unformatted_numbers(bad, formats)) == 3
    amounts = ColumnFormats({"section/report.json": (["amount"], {"amount": "currency"})})
    assert not unformatted_numbers(chart([], ticks=("$0", "$1.5M", "−$200k")), amounts)
    assert unformatted_numbers(chart([], ticks=("1.5M",)), amounts)
    units = ColumnFormats({"section/report.json": (["roi"], {"roi": "multiple"})})
    assert not unformatted_numbers(chart([], ticks=("0×", "52.6×", "0.1 h", "69 min")), units)
    tiles = [{"title": "Win rate", "number": "0.235"}]
    assert unformatted_tiles("report/", "section/report.json", tiles, formats) == [
        "report/: tile 'Win rate' '0.235': a percent without %"
    ]
