"""The cost of content fingerprints: hashing the data folder, cold and with remembered digests.

Every cache key that depends on files is a sha256 of their bytes (``fingerprint.py``).
Each measure is its own process, as a build is:

  cold:   no remembered digests: every export file is read and hashed
  warm:   the digests the cold run remembered, recalled from the cache folder: a file
          whose identity (path, size, dates, inode) is unchanged is not read again

    python bench/hashing.py DATA_DIR CACHE_DIR            # prints one JSON object
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from revpages.incremental import fingerprint
from revpages.incremental.results import data_fingerprint
from revpages.ingest.files import data_files


def one(data: Path, cache: Path) -> dict[str, float]:
    """Fingerprint ``data`` once in this process, recalling and remembering in ``cache``."""
    started = time.perf_counter()
    fingerprint.recall(cache)
    digest = data_fingerprint(data)
    fingerprint.remember(cache)
    return {"seconds": time.perf_counter() - started, "digest": digest}


def measure(data: Path, cache: Path) -> dict[str, float]:
    """Cold and warm seconds, each in a fresh process, and the bytes and files hashed."""
    shutil.rmtree(cache, ignore_errors=True)
    runs = {}
    for name in ("cold", "warm"):
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(data), str(cache)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        runs[name] = json.loads(out)
    assert runs["cold"]["digest"] == runs["warm"]["digest"]
    files = [path for path, _reader in data_files(data)]
    return {
        "cold": runs["cold"]["seconds"],
        "warm": runs["warm"]["seconds"],
        "bytes": sum(p.stat().st_size for p in files),
        "files": len(files),
    }


if __name__ == "__main__":
    if sys.argv[1] == "--one":
        print(json.dumps(one(Path(sys.argv[2]), Path(sys.argv[3]))))
    else:
        print(json.dumps(measure(Path(sys.argv[1]), Path(sys.argv[2]))))
