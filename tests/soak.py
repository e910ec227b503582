"""The soak harness: many builds of one site with kills, concurrent starts, cache damage and
data edits in a random order, checking after every step that ``build/`` is a whole site
(the previous one or the new one, never a mix) whose numbers match the data on disk.

``tests/test_soak.py`` runs it at a small scale in every ``make test``; ``bench/soak.py``
runs 200 builds. Each build is a real ``revpages build`` process.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from tests.conftest import base_files, write_tree

REVPAGES = Path(sys.executable).parent / "revpages"
STAGES = ("closed_lost", "closed_won", "proposal", "negotiation")
REPORT = "sales/pipeline"


@dataclass
class SoakReport:
    builds: int = 0  # revpages build processes started
    killed: int = 0
    concurrent: int = 0  # steps that started several builds at once
    damaged: int = 0
    edits: int = 0
    steps: list[str] = field(default_factory=list)


def make_site(root: Path, seed: int) -> Path:
    write_tree(root, base_files())
    write_deals(root, random.Random(seed))
    return root


def write_deals(root: Path, rng: random.Random) -> None:
    """New random deals (amounts and stages), written whole or edited in place."""
    rows = ["deal_id,account_id,created_at,closed_at,stage,amount,is_closed,is_won,owner,source"]
    for number in range(rng.randint(4, 40)):
        stage = rng.choice(STAGES)
        closed = "true" if stage.startswith("closed") else "false"
        won = "true" if stage == "closed_won" else "false"
        rows.append(
            f"d{number},a{number % 5},2025-01-{1 + number % 28:02d} 10:00:00,2025-03-01,"
            f"{stage},{rng.randint(1, 9999)},{closed},{won},Rep {number % 3},paid_search"
        )
    text = "\n".join(rows) + "\n"
    path = root / "data/deals.csv"
    if path.exists() and rng.random() < 0.3 and len(text) == path.stat().st_size:
        before = path.stat()
        with path.open("r+") as handle:  # in place, then the old dates back
            handle.write(text)
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    else:
        path.write_text(text)


def expected(root: Path) -> list[str]:
    """The report's CSV as the data on disk makes it: amount by stage, under the columns'
    labels with their unit."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for row in csv.DictReader(io.StringIO((root / "data/deals.csv").read_text())):
        totals[row["stage"]] += Decimal(row["amount"])
    return ["Stage,Amount ($)", *(f"{s},{totals[s]:.2f}" for s in sorted(totals))]


def published(root: Path) -> tuple[list[str], frozenset[str]] | None:
    """The report's CSV lines and every file of build/, after checking the site is whole:
    its manifest, written last into the same staging folder, names this very CSV."""
    site = root / "build"
    if not site.exists():
        return None
    files = frozenset(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    for needed in ("index.html", f"{REPORT}/index.html", f"{REPORT}.csv", "revpages-manifest.json"):
        assert needed in files, f"build/ lacks {needed}: a partial site"
    data = (site / f"{REPORT}.csv").read_bytes()
    manifest = json.loads((site / "revpages-manifest.json").read_text())
    (entry,) = [r for r in manifest["reports"] if r["id"] == REPORT]
    assert entry["sha256"] == hashlib.sha256(data).hexdigest(), "a CSV of another build"
    return data.decode().splitlines(), files


def damage(root: Path, rng: random.Random) -> str:
    """Truncate, garble or delete one file of the cache; what was done."""
    cache = root / ".cache/revpages"
    files = sorted(p for p in cache.rglob("*") if p.is_file()) if cache.is_dir() else []
    if not files:
        return "no cache yet"
    path = rng.choice(files)
    how = rng.choice(("truncate", "garble", "delete"))
    data = path.read_bytes()
    if how == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif how == "garble" and data:
        at = rng.randrange(len(data))
        path.write_bytes(data[:at] + bytes([data[at] ^ 0x55]) + data[at + 1 :])
    else:
        path.unlink()
    return f"{how} {path.relative_to(root)}"


def start(root: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [REVPAGES, "build", "--strict", "--quiet"],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # killed with its process group
    )


def finish(process: subprocess.Popen, timeout: float = 300) -> None:
    _out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, f"a build failed ({process.returncode}): {err[-2000:]}"


def kill(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def soak(root: Path, *, builds: int, seconds: float, seed: int) -> SoakReport:
    """Up to ``builds`` builds of the site in ``root`` within about ``seconds``."""
    rng = random.Random(seed)
    report = SoakReport()
    deadline = time.monotonic() + seconds
    finish(start(root))
    report.builds += 1
    first = published(root)
    assert first is not None and first[0] == expected(root)
    files = first[1]
    while report.builds < builds and time.monotonic() < deadline:
        before = published(root)
        step = rng.choice(("edit", "build", "kill", "concurrent", "damage"))
        if step == "edit":
            write_deals(root, rng)
            report.edits += 1
        elif step == "damage":
            report.steps.append(damage(root, rng))
            report.damaged += 1
        if step in ("build", "damage"):
            finish(start(root))
            report.builds += 1
        elif step == "kill":
            process = start(root)
            time.sleep(rng.uniform(0.0, 3.0))
            kill(process)
            report.builds += 1
            report.killed += 1
        elif step == "concurrent":
            processes = []
            for _ in range(rng.randint(2, 3)):
                processes.append(start(root))
                time.sleep(rng.uniform(0.0, 0.5))
            victim = rng.choice(processes) if rng.random() < 0.5 else None
            if victim is not None:
                time.sleep(rng.uniform(0.0, 1.5))
                kill(victim)
                report.killed += 1
            for process in processes:
                if process is not victim:
                    finish(process)
            report.builds += len(processes)
            report.concurrent += 1
        report.steps.append(step)
        after = published(root)
        assert after is not None and after[1] == files, f"after {step}: files differ"
        now = expected(root)
        if step in ("build", "damage", "concurrent"):
            assert after[0] == now, f"after {step}: the numbers are not the data's"
        elif step == "kill":
            assert after[0] in (before[0], now), "after a kill: neither site"
        else:  # an edit alone publishes nothing
            assert after == before
    return report
