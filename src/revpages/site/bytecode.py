"""The theme's compiled templates, kept in the cache folder between builds.

Jinja's own file cache checks that a file was compiled from the same template source, but
not that its bytes are still those it wrote: a truncated file stops the build with an
exception, and a changed byte inside the compiled code runs as broken code. Each file here
starts with the sha256 of the compiled code that follows; a file whose code does not match
is discarded with one RP707 notice and the template is compiled again. Files are written
whole (a file of this process's own, then a rename), so builds at the same time never read
half a file.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

from revpages.incremental.damage import discard
from revpages.incremental.lock import scratch_name

MAGIC = b"revpages-template-1\n"


class TemplateCache(jinja2.BytecodeCache):
    """Compiled templates in ``folder``, each checked against its own digest."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.reported = False  # one line per build, however many files are damaged

    def _path(self, bucket: Bucket) -> Path:
        return self.folder / f"{bucket.key}.cache"

    def load_bytecode(self, bucket: Bucket) -> None:
        path = self._path(bucket)
        try:
            data = path.read_bytes()
        except OSError:
            return  # not compiled yet
        head, digest, code = data[: len(MAGIC)], data[len(MAGIC) : len(MAGIC) + 32], b""
        code = data[len(MAGIC) + 32 :]
        if head != MAGIC or hashlib.sha256(code).digest() != digest:
            self._damaged(path, "its bytes are not those that were written")
            return
        try:
            bucket.bytecode_from_string(code)
        except Exception as error:
            bucket.reset()
            self._damaged(path, f"{type(error).__name__}: {error}")

    def dump_bytecode(self, bucket: Bucket) -> None:
        code = bucket.bytecode_to_string()
        path = self._path(bucket)
        partial = path.with_name(scratch_name(path.name))
        try:
            partial.write_bytes(MAGIC + hashlib.sha256(code).digest() + code)
            os.replace(partial, path)
        except OSError:
            partial.unlink(missing_ok=True)  # a cache: the next build compiles it again

    def _damaged(self, path: Path, reason: str) -> None:
        if self.reported:
            path.unlink(missing_ok=True)
            return
        self.reported = True
        discard(path, "a compiled template", reason, instead="compiles the template again")
