"""Static files every revpages site ships: one local plotly.js, the chart script, the styles."""

from __future__ import annotations

import json
from importlib import resources, util
from pathlib import Path

from revpages.pages.generated import GeneratedFile
from revpages.pages.palette import CHANGE_COLORS, COLORWAY

ASSET_DIR = "assets/revpages"
PLOTLY_JS = f"{ASSET_DIR}/plotly.min.js"
SCRIPTS = (PLOTLY_JS, f"{ASSET_DIR}/revpages.js")
STYLES = (f"{ASSET_DIR}/revpages.css",)
SHARED_MARK = "REVPAGES_SHARED"  # in revpages.js: replaced by the values it shares


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
    """``revpages.js`` with what it shares with the build written in: the palette and the
    colours of changes against other periods."""
    shared = json.dumps({"colorway": list(COLORWAY), "changeColors": CHANGE_COLORS})
    if SHARED_MARK not in source:
        raise RuntimeError(f"revpages.js lost its {SHARED_MARK} placeholder")
    return source.replace(SHARED_MARK, shared)
