"""Inline ``<script>`` blocks moved into files, so a site runs under ``script-src 'self'``.

MkDocs Material writes a few small inline scripts into every page (``__md_scope``,
the palette and tab set-up). A Content-Security-Policy without ``'unsafe-inline'``
blocks them. ``externalize_scripts`` is a pure function from one page's HTML to the
same HTML with each executable inline script replaced, in place, by
``<script src="...">`` pointing at ``assets/revpages/inline/<sha256 prefix>.js``
(relative to the page, so any depth and any site sub-path works), plus the files to
write. Equal scripts share one file. Data blocks (``type="application/json"`` such as
Material's ``#__config``, ``importmap``, templates) stay inline: they never execute.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

from revpages.incremental.damage import sealed, unsealed
from revpages.incremental.lock import scratch_name

INLINE_DIR = "assets/revpages/inline"
HASH_CHARS = 16

# The HTML standard's "JavaScript MIME type essence match" strings (no parameters allowed).
_JAVASCRIPT_TYPES = frozenset(
    (
        "application/ecmascript",
        "application/javascript",
        "application/x-ecmascript",
        "application/x-javascript",
        "text/ecmascript",
        "text/javascript",
        "text/javascript1.0",
        "text/javascript1.1",
        "text/javascript1.2",
        "text/javascript1.3",
        "text/javascript1.4",
        "text/javascript1.5",
        "text/jscript",
        "text/livescript",
        "text/x-ecmascript",
        "text/x-javascript",
    )
)
# Elements whose content a browser reads as text, never as tags (besides script and style,
# which HTMLParser already treats so): a "<script>" inside them is no script.
_TEXT_ELEMENTS = frozenset(
    {"textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext"}
)
# Inline classic scripts ignore async/defer; as files they would run later, out of order.
_CLASSIC_ONLY_INLINE = ("async", "defer")


@dataclass(frozen=True)
class _Script:
    start: int  # offset of "<script"
    content_start: int  # offset just after the start tag
    content_end: int  # offset of "</script"
    end: int  # offset just after the end tag
    attrs: tuple[tuple[str, str | None], ...]


class _ScriptFinder(HTMLParser):
    """Finds every <script> element with exact offsets, as a browser's tokenizer would."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.text = text
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.scripts: list[_Script] = []
        self._open: tuple[int, int, tuple[tuple[str, str | None], ...]] | None = None

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _TEXT_ELEMENTS:
            self.set_cdata_mode(tag)  # HTMLParser's own switch for <script>/<style> content
            return
        if tag != "script":
            return
        start = self._offset()
        raw = self.get_starttag_text() or ""
        self._open = (start, start + len(raw), tuple(attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # "<script/>" is not self-closing in HTML: the element runs to "</script>".
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag != "script" or self._open is None:
            return
        start, content_start, attrs = self._open
        self._open = None
        content_end = self._offset()
        close = self.text.find(">", content_end)
        end = len(self.text) if close < 0 else close + 1
        self.scripts.append(_Script(start, content_start, content_end, end, attrs))


def is_executable(attrs: dict[str, str | None]) -> bool:
    """Whether an inline script with these attributes runs (and so needs 'unsafe-inline')."""
    if "src" in attrs:
        return False
    kind = (attrs.get("type") or "").strip().lower()
    if not kind:
        language = (attrs.get("language") or "").strip().lower()
        return not language or f"text/{language}" in _JAVASCRIPT_TYPES
    return kind == "module" or kind in _JAVASCRIPT_TYPES


def script_path(text: str) -> str:
    """The site-relative path of the file holding ``text``."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:HASH_CHARS]
    return f"{INLINE_DIR}/{digest}.js"


def relative_to_page(target: str, page_url: str) -> str:
    """A site-relative ``target`` as a link from the page at site-relative ``page_url``.

    ``page_url`` is MkDocs' ``page.url``: ``""``, ``"a/"``, ``"a/b/"`` or ``"a/b.html"``.
    """
    folder = (
        PurePosixPath(page_url.lstrip("/"))
        if page_url.endswith("/")
        else (PurePosixPath(page_url.lstrip("/")).parent)
    )
    depth = len([part for part in folder.parts if part not in ("", ".")])
    return "../" * depth + target


def _start_tag(attrs: tuple[tuple[str, str | None], ...], src: str, module: bool) -> str:
    parts = ["<script", f'src="{html.escape(src, quote=True)}"']
    for name, value in attrs:
        if not module and name in _CLASSIC_ONLY_INLINE:
            continue
        parts.append(name if value is None else f'{name}="{html.escape(value, quote=True)}"')
    return " ".join(parts) + ">"


def externalize_scripts(page_html: str, page_url: str) -> tuple[str, dict[str, str]]:
    """Move every executable inline script of a page into a file.

    Returns the new HTML and ``{site-relative path: script text}`` for the files to write.
    Scripts keep their place, order and attributes (``async``/``defer`` are dropped from
    classic scripts: inline they were ignored, as files they would change the order).
    Empty scripts never run and stay as they are.
    """
    edits, files = _edits(page_html, page_url)
    return _apply(page_html, edits), files


Edit = tuple[int, int, str]  # replace page_html[start:end] with the text


def _edits(page_html: str, page_url: str) -> tuple[list[Edit], dict[str, str]]:
    finder = _ScriptFinder(page_html)
    finder.feed(page_html)
    finder.close()
    files: dict[str, str] = {}
    edits: list[Edit] = []
    for script in finder.scripts:
        attrs = dict(script.attrs)
        text = page_html[script.content_start : script.content_end]
        if not is_executable(attrs) or not text:
            continue
        path = script_path(text)
        files[path] = text
        module = (attrs.get("type") or "").strip().lower() == "module"
        src = relative_to_page(path, page_url)
        edits.append(
            (script.start, script.end, _start_tag(script.attrs, src, module) + "</script>")
        )
    return edits, files


def _apply(page_html: str, edits: list[Edit]) -> str:
    pieces: list[str] = []
    done = 0
    for start, end, text in edits:
        pieces += [page_html[done:start], text]
        done = end
    pieces.append(page_html[done:])
    return "".join(pieces)


class ScriptCache:
    """``externalize_scripts`` remembered on disk, by a digest of the page and its URL.

    Parsing every page is most of what the move costs; a rebuild reads the result for
    each unchanged page instead. ``prune`` forgets the pages no build asked for since
    the cache was made. Without a folder nothing is kept.
    """

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.used: set[str] = set()

    def externalize(self, page_html: str, page_url: str) -> tuple[str, dict[str, str]]:
        if self.folder is None:
            return externalize_scripts(page_html, page_url)
        key = hashlib.sha256(f"{page_url}\0{page_html}".encode()).hexdigest()[:32]
        self.used.add(key)
        entry = self.folder / f"{key}.json"
        try:
            known = unsealed(entry.read_text(encoding="utf-8"))
            edits = [(start, end, text) for start, end, text in known["edits"]]
            return _apply(page_html, edits), known["files"]
        except (OSError, ValueError, KeyError, TypeError):
            pass
        edits, files = _edits(page_html, page_url)
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = entry.with_name(scratch_name(entry.name))
        partial.write_text(sealed({"edits": edits, "files": files}), encoding="utf-8")
        partial.replace(entry)
        return _apply(page_html, edits), files

    def prune(self) -> None:
        """Delete the entries of pages this cache was not asked for."""
        if self.folder is not None and self.folder.is_dir():
            for entry in self.folder.glob("*.json"):
                if entry.stem not in self.used:
                    entry.unlink(missing_ok=True)


def write_scripts(site_dir: Path, files: dict[str, str]) -> None:
    """Write the script files under ``site_dir``, leaving identical ones untouched."""
    for path, text in files.items():
        target = site_dir / path
        data = text.encode("utf-8")
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
