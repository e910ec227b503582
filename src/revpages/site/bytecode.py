"""The theme's compiled templates, kept in the cache folder between builds.

Jinja's own file cache writes each file whole (a temporary file, then a rename), but
reads a damaged one (truncated, or written by something else) with an exception that
stops every later build. This one discards such a file with one RP707 notice and
compiles the template again.
"""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

from revpages.incremental.damage import discard


class TemplateCache(jinja2.FileSystemBytecodeCache):
    """``FileSystemBytecodeCache`` in ``folder`` that survives damaged files."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        super().__init__(os.fspath(folder))
        self.reported = False  # one line per build, however many files are damaged

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception as error:
            bucket.reset()
            path = Path(self._get_cache_filename(bucket))
            if self.reported:
                path.unlink(missing_ok=True)
                return
            self.reported = True
            reason = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
            discard(path, "a compiled template", reason, instead="compiles the template again")
