"""Static files every revpages site ships: one local plotly.js, the chart script, the styles."""

from __future__ import annotations

import json
from importlib import resources, util
from pathlib import Path

from revpages.pages.formats import FORMAT_SPEC
from revpages.pages.generated import GeneratedFile
from revpages.pages.palette import COLORWAY

ASSET_DIR = "assets/revpages"
PLOTLY_JS = f"{ASSET_DIR}/plotly.min.js"
SCRIPTS = (PLOTLY_JS, f"{ASSET_DIR}/revpages.js")
STYLES = (f"{ASSET_DIR}/revpages.css",)
SHARED_MARK = "REVPAGES_SHARED"  # in revpages.js: replaced by the values it shares
# The width charts are laid out at for printing: A4 (210 mm) less the 15 mm margins of
# revpages.css's @page rule, in CSS pixels (96 per inch).
PRINT_WIDTH = round((210 - 2 * 15) / 25.4 * 96)


def plotly_js() -> bytes:
    """The plotly.js bundled in the plotly wheel, found without importing plotly (1-2 s)."""
    spec = util.find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("plotly, a dependency of revpages, is not installed")
    folder = Path(next(iter(spec.submodule_search_locations)))
    return (folder / "package_data" / "plotly.min.js").read_bytes()


def static_files() -> list[GeneratedFile]:
    own = resources.files("revpages.site.assets")
    return [
        GeneratedFile(PLOTLY_JS, plotly_js()),
        GeneratedFile(
            f"{ASSET_DIR}/revpages.js", chart_script(own.joinpath("revpages.js").read_text())
        ),
        GeneratedFile(f"{ASSET_DIR}/revpages.css", own.joinpath("revpages.css").read_text()),
    ]


def chart_script(source: str) -> str:
    """``revpages.js`` with what it shares with the build written in: the palette, the
    number formats and the printed page's width."""
    shared = json.dumps(
        {"colorway": list(COLORWAY), "formats": FORMAT_SPEC, "printWidth": PRINT_WIDTH},
        sort_keys=True,
    )
    if SHARED_MARK not in source:
        raise RuntimeError(f"revpages.js lost its {SHARED_MARK} placeholder")
    return source.replace(SHARED_MARK, shared)
