"""The soak test at full size: 200 `revpages build` processes by default, in a random order
of kills, concurrent starts, cache damage and data edits (tests/soak.py, which make test
runs at a small scale). Stops at the first wrong site, with the steps that led to it.

    python bench/soak.py                       # 200 builds, 30 minutes at most
    python bench/soak.py --builds 50 --seed 3
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.soak import make_site, soak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--builds", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=1800)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="revpages-soak-") as folder:
        site = make_site(Path(folder) / "site", seed=args.seed)
        report = soak(site, builds=args.builds, seconds=args.seconds, seed=args.seed)
    print(
        f"{report.builds} builds in {time.monotonic() - started:.0f} s, seed {args.seed}: "
        f"{report.killed} killed, {report.concurrent} steps with concurrent builds, "
        f"{report.damaged} cache damages, {report.edits} data edits; after every step "
        "build/ was a whole site whose numbers matched the data."
    )


if __name__ == "__main__":
    main()
