"""Moving inline scripts into files, so pages run under ``script-src 'self'``."""

from __future__ import annotations

import hashlib

import pytest

import revpages.site.inline_scripts
from revpages.site.inline_scripts import (
    INLINE_DIR,
    ScriptCache,
    externalize_scripts,
    is_executable,
    relative_to_page,
    script_path,
    write_scripts,
)


def page(*parts: str) -> str:
    return "<!doctype html><html><head>" + "".join(parts) + "</head><body>x</body></html>"


def test_an_inline_script_becomes_a_file_in_its_place() -> None:
    html, files = externalize_scripts(page("<meta a><script>var a = 1;</script><link b>"), "")
    digest = hashlib.sha256(b"var a = 1;").hexdigest()[:16]
    path = f"{INLINE_DIR}/{digest}.js"
    assert files == {path: "var a = 1;"}
    assert html == page(f'<meta a><script src="{path}"></script><link b>')


@pytest.mark.parametrize(
    "kind",
    [
        "",
        ' type=""',
        ' type="text/javascript"',
        " type=module",
        ' type="application/javascript"',
        ' TYPE="TEXT/JAVASCRIPT"',
        ' language="javascript"',
    ],
)
def test_executable_scripts_move(kind: str) -> None:
    html, files = externalize_scripts(page(f"<script{kind}>run()</script>"), "")
    assert list(files.values()) == ["run()"]
    assert "run()" not in html


@pytest.mark.parametrize(
    "kind",
    [
        'type="application/json" id="__config"',
        'type="application/ld+json"',
        'type="importmap"',
        'type="text/template"',
        'type="text/javascript; charset=utf-8"',
        'language="vbscript"',
    ],
)
def test_data_blocks_stay_inline(kind: str) -> None:
    original = page(f'<script {kind}>{{"a": "</b>"}}</script>')
    html, files = externalize_scripts(original, "a/b/")
    assert files == {}
    assert html == original


def test_scripts_with_src_and_empty_scripts_stay() -> None:
    original = page('<script src="x.js"></script><script></script>')
    assert externalize_scripts(original, "") == (original, {})


def test_attributes_and_order_are_kept() -> None:
    html, files = externalize_scripts(
        page(
            '<script id="one" nonce="n&amp;1" data-x>first()</script>',
            '<script type="module" async>second()</script>',
            "<script defer>third()</script>",
        ),
        "",
    )
    first, second, third = (script_path(t) for t in ("first()", "second()", "third()"))
    assert list(files) == [first, second, third]
    assert html == page(
        f'<script src="{first}" id="one" nonce="n&amp;1" data-x></script>',
        f'<script src="{second}" type="module" async></script>',
        # inline, defer did nothing; in a file it would delay the script past later ones
        f'<script src="{third}"></script>',
    )


def test_equal_scripts_share_one_file() -> None:
    html, files = externalize_scripts(
        page("<script>same()</script><script>other()</script><script>same()</script>"), ""
    )
    assert len(files) == 2
    assert html.count(f'src="{script_path("same()")}"') == 2


@pytest.mark.parametrize(
    ("url", "prefix"),
    [
        ("", ""),
        ("index.html", ""),
        ("funnel/", "../"),
        ("funnel/overview/", "../../"),
        ("funnel/overview.html", "../"),
        ("/funnel/", "../"),
        ("a/b/c/", "../../../"),
    ],
)
def test_paths_are_relative_to_the_page(url: str, prefix: str) -> None:
    html, files = externalize_scripts(page("<script>x()</script>"), url)
    (path,) = files
    assert f'src="{prefix}{path}"' in html
    assert relative_to_page(path, url) == prefix + path


def test_closing_tags_inside_strings_do_not_end_the_script() -> None:
    code = 'var s = "</div>" + "<" + "/script>"; if (a </b) { f("<p>") }'
    html, files = externalize_scripts(page(f"<script>{code}</script><p>after</p>"), "")
    assert list(files.values()) == [code]
    assert html.endswith("</script><p>after</p></head><body>x</body></html>")


def test_scripts_in_comments_and_text_are_left_alone() -> None:
    original = (
        "<html><body><!-- <script>old()</script> --><pre>&lt;script&gt;x()&lt;/script&gt;"
        "</pre><textarea><script>y()</script></textarea></body></html>"
    )
    assert externalize_scripts(original, "") == (original, {})


def test_unicode_and_line_positions() -> None:
    code = "\n  t('€');\n  "
    text = f"<html>\n<head>\n  <title>Müller ✓</title>\n  <script>{code}</script>\n</head>"
    html, files = externalize_scripts(text, "x/")
    assert list(files.values()) == [code]
    assert html == (
        "<html>\n<head>\n  <title>Müller ✓</title>\n  "
        f'<script src="../{script_path(code)}"></script>\n</head>'
    )


def test_uppercase_tags() -> None:
    html, files = externalize_scripts("<HTML><SCRIPT>go()</SCRIPT></HTML>", "")
    assert html == f'<HTML><script src="{script_path("go()")}"></script></HTML>'
    assert list(files.values()) == ["go()"]


def test_is_executable() -> None:
    assert is_executable({})
    assert is_executable({"type": " text/javascript "})
    assert not is_executable({"src": "a.js"})
    assert not is_executable({"type": "application/json"})


def test_write_scripts(tmp_path) -> None:
    files = {f"{INLINE_DIR}/a.js": "a()", f"{INLINE_DIR}/b.js": "b('é')"}
    write_scripts(tmp_path, files)
    assert (tmp_path / INLINE_DIR / "b.js").read_text(encoding="utf-8") == "b('é')"
    stamp = (tmp_path / INLINE_DIR / "a.js").stat().st_mtime_ns
    write_scripts(tmp_path, files)  # unchanged files are not rewritten
    assert (tmp_path / INLINE_DIR / "a.js").stat().st_mtime_ns == stamp


def test_the_cache_gives_the_same_result_without_parsing_again(tmp_path, monkeypatch) -> None:
    pages = [
        (page("<script>a()</script><textarea><script>no()</script></textarea>"), "a/"),
        (page('<script type="module">b("é")</script>'), ""),
    ]
    expected = [externalize_scripts(*p) for p in pages]
    assert [ScriptCache(tmp_path / "pages").externalize(*p) for p in pages] == expected

    def no_parsing(*args: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(revpages.site.inline_scripts, "_edits", no_parsing)
    again = ScriptCache(tmp_path / "pages")
    assert again.externalize(*pages[0]) == expected[0]
    again.prune()  # only the first page was asked for this time
    assert len(list((tmp_path / "pages").glob("*.json"))) == 1
