from __future__ import annotations

import csv
import io

from revpages.pages.csv_download import result_csv
from revpages.pages.markdown import (
    PageLinks,
    markdown_text,
    report_markdown,
    section_markdown,
)
from revpages.pages.tables import table_html
from revpages.reports.queryfile import parse_query_file
from revpages.reports.result import QueryResult

HOSTILE = QueryResult(
    ("competitor", "notes", "win_rate"),
    ("VARCHAR", "VARCHAR", "DOUBLE"),
    [
        ("<img src=x onerror=alert(1)>", '=HYPERLINK("http://evil")', 0.5),
        ("Müller & Söhne", "-2+3", None),
        ("@acme", "\ttabbed", 0.125),
    ],
    0.0,
    frozenset({"deal_competitors"}),
)


def query():
    return parse_query_file(
        "/*\ntitle: Win rate <vs> *them*\ndescription: Won / (won + lost) & more\n"
        "chart: bar\nx: competitor\ny: win_rate\nformat: {win_rate: percent}\n*/\nselect 1 < 2",
        path="queries/competitive/win.sql",
        section="competitive",
        name="win",
    )


def test_table_escapes_cells_and_formats_numbers():
    html = table_html(HOSTILE, {"win_rate": "percent"}, limit=50)
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "Müller &amp; Söhne" in html
    assert "50.0%" in html and "12.5%" in html
    assert "All 3 rows." in html


def test_table_shows_first_rows_and_the_total():
    html = table_html(HOSTILE, {}, limit=2)
    assert html.count("<tr>") == 3  # header + 2 rows
    assert "First 2 of 3 rows; the CSV has all of them." in html


def test_csv_has_all_rows_and_neutralises_formulas():
    lines = result_csv(HOSTILE).splitlines()
    assert lines[0] == "competitor,notes,win_rate"
    assert lines[1].startswith("<img src=x onerror=alert(1)>,\"'=HYPERLINK(")
    assert lines[2] == "Müller & Söhne,'-2+3,"
    assert lines[3] == "'@acme,'\ttabbed,0.125"


def test_report_page_has_every_part():
    links = PageLinks(
        figure="competitive/win.json",
        csv="win.csv",
        section_title="Competitive",
        section_index="index.md",
    )
    page = report_markdown(
        query(),
        HOSTILE,
        links,
        window="1 Jul – 30 Sep 2026 · Q3 2026 · data as of 31 Oct 2026, 18:05 UTC",
        table_rows=50,
    )
    # A report has no headings to list: its page hides the table of contents for width.
    assert page.startswith("---\nhide:\n- toc\ntitle: Win rate &lt;vs&gt; *them*\n---\n")
    assert "# Win rate &lt;vs&gt; \\*them\\*" in page
    assert "Won / (won + lost) &amp; more" in page
    assert 'data-figure="competitive/win.json"' in page
    assert "[Download CSV (3 rows)](win.csv)" in page
    assert (
        '<p class="revpages-window">1 Jul – 30 Sep 2026 · Q3 2026 · data as of 31 Oct 2026, '
        "18:05 UTC</p>" in page
    )
    assert "select 1 &lt; 2" in page
    assert "[← Competitive](index.md)" in page


def test_section_page_lists_reports_with_descriptions():
    page = section_markdown("Competitive", "Who we meet", [(query(), "win.md")])
    assert "- [Win rate &lt;vs&gt; \\*them\\*](win.md): Won / \\(won \\+ lost\\) &amp; more" in page


def test_markdown_text_neutralises_links_and_html():
    assert markdown_text("[x](javascript:alert(1)) <b>") == (
        "\\[x\\]\\(javascript:alert\\(1\\)\\) &lt;b&gt;"
    )


def test_csv_rounds_doubles_to_twelve_digits():
    # 0.1 + 0.2 summed in another order is 0.30000000000000004: the CSV must not care.
    data = QueryResult(("share",), ("DOUBLE",), [(0.1 + 0.2,), (2 / 3,)], 0.0)
    assert result_csv(data).splitlines() == ["share", "0.3", "0.666666666667"]


def test_column_labels_read_as_words_with_acronyms_in_capitals():
    from revpages.pages.formats import label

    assert [label(c) for c in ("win_rate", "margin_roi", "mql_rate", "deal_id", "leads")] == [
        "Win rate",
        "Margin ROI",
        "MQL rate",
        "Deal ID",
        "Leads",
    ]


def test_csv_writes_a_path_of_steps_as_text():
    data = QueryResult(
        ("journey", "n"), ("VARCHAR[]", "BIGINT"), [(["paid_search", "email"], 3)], 0.0
    )
    assert result_csv(data).splitlines()[1] == "paid_search → email,3"


def test_csv_quotes_a_row_whose_text_holds_a_carriage_return():
    data = QueryResult(("note", "n"), ("VARCHAR", "BIGINT"), [("a\rb", 1), ("c", 2)], 0.0)
    text = result_csv(data)
    assert text == 'note,n\n"a\rb","1"\nc,2\n'
    assert list(csv.reader(io.StringIO(text))) == [["note", "n"], ["a\rb", "1"], ["c", "2"]]
