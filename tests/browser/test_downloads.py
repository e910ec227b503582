"""The CSV download behind each table holds the table's rows: same count, same values."""

from __future__ import annotations

import csv
import io
import math
import re
from html.parser import HTMLParser

import pytest
from playwright.sync_api import Error as PlaywrightError

from revpages.pages.formats import label, plain_text
from revpages.pages.periods import MARK_COLUMNS

from .browsing import Tab, shot_name
from .site import BuiltSite

pytestmark = pytest.mark.browser

TABLE = """() => {
  const region = document.querySelector(".revpages-table");
  const table = region.querySelector("table");
  return {
    pivot: region.classList.contains("revpages-table--pivot")
      ? [region.dataset.rows, region.dataset.columns, region.dataset.values] : null,
    head: [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim()),
    rows: [...table.querySelectorAll("tbody tr")].map(
      (tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)),
    caption: table.querySelector("caption").textContent,
    link: document.querySelector("a.revpages-download").textContent,
  };
}"""

_NUMBER = re.compile(r"^(-?)\D{0,3}?(-?[\d,]*\.?\d+)\s*(%|d|h|min|×)?$")


def _number(text: str) -> tuple[float, float] | None:
    """A formatted table number ('$1,200', '12.5%', '3.0 d', '1,234') and its precision."""
    match = _NUMBER.match(text.strip().replace("\u2212", "-"))
    if not match:
        return None
    sign, digits, unit = match.groups()
    value = float(digits.replace(",", "")) * (-1 if sign else 1)
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    step = 10.0**-decimals
    if unit == "%":
        return value / 100, step / 100
    return value, step


def cell_matches(shown: str, raw: str) -> bool:
    """Whether a table cell shows the CSV value (formatted, rounded, escaped for sheets)."""
    shown = shown.strip()
    if raw.startswith("'") and raw[1:2] in ("=", "+", "-", "@", "\t", "\r"):
        raw = raw[1:]  # the CSV neutralises formula prefixes; the page shows the text
    if shown == raw or shown.lower() == raw.lower():
        return True
    steps = " → ".join(plain_text(step) for step in raw.split(" → "))  # a path of steps
    if (shown, raw) in (("Yes", "True"), ("No", "False")) or shown in (plain_text(raw), steps):
        return True  # true/false as words, 'paid_social' as 'Paid social'
    if raw == "":
        return shown == ""
    if raw.startswith(shown) and re.fullmatch(r"(:00)+(\.0+)?", raw[len(shown) :]):
        return True  # 2025-01-01 10:00 vs 2025-01-01 10:00:00
    try:
        value = float(raw)
    except ValueError:
        return False
    parsed = _number(shown)
    if parsed is None or math.isnan(value):
        return False
    number, step = parsed
    return abs(number - value) <= step / 2 + 1e-9 * max(1.0, abs(value))


# A row of a running period or an immature cohort says so after its label.
_MARK_NOTE = re.compile(r" \((to date(, \d+ %)?|immature)\)$")
# A change against another period: its words, then the earlier value the CSV holds.
_CHANGE = re.compile(r"^[▲▼=] .*\(was (?P<was>[^()]*)\)( \((better|worse)\))?$")
_COMPARED = (" prior", " last year")
_UNIT = re.compile(r" \([^()]*\)$")


def header_matches(shown: str, header: str) -> bool:
    """A CSV header is the table's column label, with the unit of its raw values; an
    earlier value ('Win rate prior (fraction)') sits under its change's heading."""
    if header == shown or (header.startswith(f"{shown} (") and header.endswith(")")):
        return True
    name = _UNIT.sub("", header)
    base = next((name[: -len(s)] for s in _COMPARED if name.endswith(s)), None)
    return base is not None and shown.startswith(f"{base} vs ")


def shown_value(shown: str) -> str:
    """What a cell shows of its value: a change's earlier value, a label without its note."""
    change = _CHANGE.match(shown.strip())
    return change["was"] if change else _MARK_NOTE.sub("", shown)


def check_table_against_csv(where: str, table: dict, csv_text: str) -> None:
    records = list(csv.reader(io.StringIO(csv_text)))
    # The columns that mark running periods (is_complete...) are read, not shown.
    marks = [label(c) for c in MARK_COLUMNS]
    kept = [i for i, h in enumerate(records[0]) if not any(header_matches(m, h) for m in marks)]
    records = [[record[i] for i in kept] for record in records]
    header, rows = records[0], records[1:]
    total = int(re.search(r"\(([\d,]+) rows?\)", table["link"]).group(1).replace(",", ""))
    assert len(rows) == total, f"{where}: the link says {total} rows, the CSV has {len(rows)}"
    if table.get("pivot"):
        check_grid_against_csv(where, table, header, rows)
        return
    shown_rows = len(table["rows"])
    everything = "1 row." if total == 1 else f"All {total:,} rows"
    expected_caption = everything if shown_rows == total else f"First {shown_rows:,} of {total:,}"
    assert expected_caption in table["caption"], f"{where}: {table['caption']!r}"
    assert len(table["head"]) == len(header), f"{where}: columns differ"
    pairs = zip(table["head"], header, strict=True)
    differ = [(s, h) for s, h in pairs if not header_matches(s, h)]
    assert not differ, f"{where}: columns differ: {differ}"
    for number, (shown, raw) in enumerate(zip(table["rows"], rows, strict=False)):
        mismatched = [
            (s, r) for s, r in zip(shown, raw, strict=True) if not cell_matches(shown_value(s), r)
        ]
        assert not mismatched, f"{where} row {number + 1}: table vs CSV {mismatched}"


def check_grid_against_csv(where: str, table: dict, header: list[str], rows: list) -> None:
    """A pivoted table: every cell of the grid is the value of one CSV row (row, column)."""
    columns = [
        next(i for i, h in enumerate(header) if header_matches(name, h)) for name in table["pivot"]
    ]
    across = table["head"][1:]
    for line in table["rows"]:
        for name, shown in zip(across, line[1:], strict=True):
            if not shown:
                continue
            found = [
                raw
                for raw in rows
                if cell_matches(shown_value(line[0]), raw[columns[0]])
                and cell_matches(name, raw[columns[1]])
                and cell_matches(shown, raw[columns[2]])
            ]
            assert found, f"{where}: cell {line[0]} x {name} = {shown!r} is in no CSV row"


class _TableReader(HTMLParser):
    """The first .revpages-table of a built page, its caption and the download link text."""

    def __init__(self) -> None:
        super().__init__()
        self.table = {"head": [], "rows": [], "caption": "", "link": "", "pivot": None}
        self.href = ""
        self._in: str | None = None
        self._depth = 0  # inside the first .revpages-table
        self._done = False
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if "revpages-table" in classes and not self._done:
            self._depth = 1
            if "revpages-table--pivot" in classes:
                found = dict(attrs)
                names = ("data-rows", "data-columns", "data-values")
                self.table["pivot"] = [found[name] for name in names]
        elif self._depth:
            self._depth += tag not in ("br", "img")
        if tag == "a" and "revpages-download" in classes and not self.href:
            self.href, self._in, self._text = dict(attrs)["href"], "link", []
        if self._depth and tag in ("th", "td", "caption"):
            self._in, self._text = tag, []
        if self._depth and tag == "tr" and self.table["head"]:
            self.table["rows"].append([])

    def handle_endtag(self, tag: str) -> None:
        text = "".join(self._text)
        if self._in == "th" and tag == "th":
            self.table["head"].append(text.strip())
        elif self._in == "td" and tag == "td":
            self.table["rows"][-1].append(text)
        elif self._in == tag and tag in ("caption",):
            self.table["caption"] = text
        elif self._in == "link" and tag == "a":
            self.table["link"] = text
        if tag == self._in or (self._in == "link" and tag == "a"):
            self._in = None
        if self._depth:
            self._depth -= 1
            self._done = self._done or self._depth == 0

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text.append(data)


def test_every_csv_matches_its_table(site: BuiltSite) -> None:
    """All reports, from the built files: the table a page shows against the CSV it links."""
    assert site.reports()
    for page in site.reports():
        reader = _TableReader()
        reader.feed((site.root / page.path / "index.html").read_text(encoding="utf-8"))
        assert reader.href, f"{page.path}: no CSV download link"
        csv_path = (site.root / page.path / reader.href).resolve()
        assert csv_path.is_relative_to(site.root.resolve()) and csv_path.is_file(), csv_path
        check_table_against_csv(page.path, reader.table, csv_path.read_text(encoding="utf-8"))


def test_csv_downloads_in_the_browser(site: BuiltSite, tab: Tab) -> None:
    """Clicking the link downloads the CSV, after instant navigation too."""
    reports = site.reports()
    chosen = {
        reports[0].path,
        reports[-1].path,
        max(reports, key=lambda p: (site.root / p.path / "index.html").stat().st_size).path,
    }
    tab.goto("")
    for page in [p for p in reports if p.path in chosen]:
        tab.follow(page.path)
        tab.assert_charts_drawn(expected=len(page.figures))
        table = tab.page.evaluate(TABLE)
        try:
            with tab.page.expect_download() as download_info:
                tab.page.locator("a.revpages-download").click()
        except PlaywrightError:
            tab.screenshot(shot_name(page.path, "download-failed"), full_page=False)
            raise
        download = download_info.value
        assert download.failure() is None, f"{page.path}: download failed"
        assert download.suggested_filename.endswith(".csv")
        with open(download.path(), encoding="utf-8", newline="") as handle:
            check_table_against_csv(page.path, table, handle.read())
    tab.assert_clean()


@pytest.mark.parametrize(
    ("shown", "raw", "ok"),
    [
        ("$1,200", "1200.0", True),
        ("12.5%", "0.125", True),
        ("12.5%", "0.135", False),
        ("3.0 d", "3.04", True),
        ("1,234", "1234", True),
        ("true", "True", True),
        ("Yes", "True", True),
        ("Paid social", "paid_social", True),
        ("−$50", "-50.0", True),
        ("69 min", "68.58", True),
        ("52.6×", "52.61", True),
        ("Paid search", "paid_social", False),
        ("2025-01-01 10:00", "2025-01-01 10:00:00", True),
        ("=SUM(A1)", "'=SUM(A1)", True),
        ("-$50", "-50.0", True),
        ("Acme", "Acme ", False),
        ("", "", True),
        ("1", "", False),
    ],
)
def test_cell_matches(shown: str, raw: str, ok: bool) -> None:
    assert cell_matches(shown, raw) is ok
