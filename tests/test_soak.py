"""Soak: builds killed at any moment, started at the same time, over a damaged cache and
edited data; ``build/`` is always a whole site whose numbers match the data on disk. A small
run here; ``bench/soak.py`` runs 200 builds."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.soak import make_site, soak


@pytest.mark.slow
def test_kills_concurrent_builds_damage_and_edits_never_leave_a_wrong_site(tmp_path: Path):
    site = make_site(tmp_path / "site", seed=11)
    report = soak(site, builds=10, seconds=35, seed=11)
    assert report.builds >= 4, report
