"""Per-file results kept between runs, so a run over an unchanged tree mostly stats its files.

black and ruff keep such a cache; this one is keyed like git's index. A file's row holds its
size, mtime, ctime and inode, and the display path it was shown under. A file the pre-filter
set aside (most of a tree) is answered from its row when its `stat` still matches, without
being read. A candidate's row also holds a digest of the bytes and of the options the file was
migrated with; candidates are read anyway (the diff and the report need their text), and a
row is used only when the bytes hash the same, so a rewrite is never applied to text it was
not computed from. The project plan's per-file index summaries and its dry runs of the
modules sharing a client are kept beside them, keyed on the same `stat` (a dry run also on
the facts it was planned with), so a warm run decides shared clients without parsing.

Rows belong to one build of the tool. The key covers the schema, the tool's version, the
Python version, the parsers' installed files and the `stat` of every module and rule file of
the tool, so an edit in a checkout empties the cache as surely as an upgrade does.

A file changed less than `RACY_SECONDS` before the run started is not recorded: a later edit
within the same timestamp tick would look unchanged (git's "racily clean" entries). Results
that are not a function of the bytes (a timeout, a worker that died) are never recorded.

The cache never fails a run. A database that is locked, corrupt or unwritable is left alone,
and the run goes on without it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sqlite3
import sys
import time
from dataclasses import astuple
from functools import cache
from importlib import util
from pathlib import Path
from typing import Any

from . import __version__
from .cachedir import Stamp, default_directory, stamp_of, stat_lines
from .options import Options
from .results import FileResult

SCHEMA = 2
RACY_SECONDS = 2  # FAT's timestamp granularity, the coarsest a tree is likely to sit on
DATABASE = "results.sqlite3"
# Parsers whose installed files decide results; a reinstall changes their stat.
PARSERS = ("libcst", "esprima", "tree_sitter", "tree_sitter_javascript", "tree_sitter_typescript")
# Reasons that depend on the machine or the moment, not on the bytes.
UNSTABLE_REASONS = ("timeout", "internal-error")


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


@cache
def options_digest(options: Options) -> bytes:
    """The options as stable bytes: a frozenset's order changes with the hash seed."""
    fields = tuple(tuple(sorted(v)) if isinstance(v, frozenset) else v for v in astuple(options))
    return digest(repr(fields).encode())


def tool_key() -> str:
    """What makes one build's results differ from another's (see the module docstring)."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{SCHEMA} {__version__} {sys.version} {sys.platform}".encode())
    package = Path(__file__).parent
    rules = util.find_spec("codemod.rules")
    locations = (rules.submodule_search_locations if rules else None) or ()
    # In a wheel, rules/ is inside the package and walked with it.
    folders = [package, *(Path(p) for p in locations if package not in Path(p).parents)]
    h.update("\n".join(stat_lines(folders, (".py", ".toml"))).encode())
    for name in PARSERS:
        spec = util.find_spec(name)
        origin = spec.origin if spec is not None else None
        h.update(f"{name} {stamp_of(os.stat(origin))[:2] if origin else None}\n".encode())
    return h.hexdigest()


def _connect(path: Path) -> sqlite3.Connection:
    """The database at `path`, created if need be, emptied if another build filled it."""
    db = sqlite3.connect(path, timeout=5, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
        db.execute(
            "CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER, "
            "mtime INTEGER, ctime INTEGER, ino INTEGER, display TEXT, clean INTEGER, "
            "options BLOB, digest BLOB, language TEXT, status TEXT, reason TEXT, "
            "payload BLOB)"
        )
        db.execute(
            "CREATE TABLE IF NOT EXISTS summaries (path TEXT PRIMARY KEY, size INTEGER, "
            "mtime INTEGER, ctime INTEGER, ino INTEGER, payload BLOB)"
        )
        db.execute(
            "CREATE TABLE IF NOT EXISTS plans (path TEXT PRIMARY KEY, size INTEGER, "
            "mtime INTEGER, ctime INTEGER, ino INTEGER, options BLOB, payload BLOB)"
        )
        key = tool_key()
        row = db.execute("SELECT value FROM meta WHERE name = 'key'").fetchone()
        if row is None or row[0] != key:
            db.execute("BEGIN IMMEDIATE")
            db.execute("DELETE FROM files")
            db.execute("DELETE FROM summaries")
            db.execute("DELETE FROM plans")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('key', ?)", (key,))
            db.execute("COMMIT")
    except BaseException:
        db.close()
        raise
    return db


class ResultCache:
    """The rows of one run: read under the run's roots at the start, written back at the end.

    Lookups happen in the parent process only; workers never see the cache.
    """

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db: sqlite3.Connection | None = connection
        self._rows: dict[str, tuple] = {}
        self._new: dict[str, tuple] = {}
        self._seen: set[str] = set()
        self._pruned_roots: list[str] = []
        self._racy_after = time.time_ns() - RACY_SECONDS * 1_000_000_000
        self.hits = 0
        # The project index's per-file summaries (`codemod/project/summary.py`), same keys.
        self._summaries: dict[str, tuple] = {}
        self._new_summaries: dict[str, tuple] = {}
        # The project plan's dry run of a module sharing a client (`codemod/project/plan.py`),
        # for the facts it was planned with: a warm run decides its clients without parsing.
        self._new_plans: dict[str, tuple] = {}

    @classmethod
    def open(cls, directory: Path | None = None) -> ResultCache | None:
        """The cache in `directory` (default: `default_directory()`), or None if unusable.

        A file that is not a database (damaged, truncated) is replaced by an empty one; a
        locked, read-only or unreachable one is left alone and the run goes without.
        """
        path = (directory or default_directory()) / DATABASE
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            return cls(_connect(path))
        except sqlite3.OperationalError:
            return None
        except sqlite3.DatabaseError:
            pass
        except OSError:
            return None
        try:
            for leftover in (path, path.with_name(path.name + "-wal"),
                             path.with_name(path.name + "-shm")):
                leftover.unlink(missing_ok=True)
            return cls(_connect(path))
        except (OSError, sqlite3.Error):
            return None

    def preload(self, real_roots: list[str], directories: list[bool]) -> None:
        """Read every row under the roots in one query each; prune those of directories later."""
        if self._db is None:
            return
        try:
            for root, is_dir in zip(real_roots, directories, strict=True):
                if is_dir:
                    prefix = root.rstrip(os.sep) + os.sep
                    # Every path under the prefix sorts between it and the next separator byte.
                    upper = prefix[:-1] + chr(ord(os.sep) + 1)
                    found = self._db.execute(
                        "SELECT * FROM files WHERE path >= ? AND path < ?", (prefix, upper))
                    self._pruned_roots.append(prefix)
                else:
                    found = self._db.execute("SELECT * FROM files WHERE path = ?", (root,))
                self._rows.update((row[0], row) for row in found)
        except sqlite3.Error:
            self._disable()

    def preload_summaries(self, real_roots: list[str]) -> None:
        """Read the index summaries under each folder (or of each file) in one query each."""
        if self._db is None:
            return
        try:
            for root in real_roots:
                prefix = root.rstrip(os.sep) + os.sep
                upper = prefix[:-1] + chr(ord(os.sep) + 1)
                found = self._db.execute(
                    "SELECT * FROM summaries WHERE path = ? OR (path >= ? AND path < ?)",
                    (root, prefix, upper))
                self._summaries.update((row[0], row) for row in found)
        except sqlite3.Error:
            self._disable()

    def summary(self, real: str, stamp: Stamp) -> Any:
        """A file's index summary, while its stat is the one it was computed for."""
        row = self._summaries.get(real)
        if row is None or row[1:5] != stamp:
            return None
        return pickle.loads(row[5])

    def remember_summary(self, real: str, stamp: Stamp, summary: object) -> None:
        if self._db is None or max(stamp[1], stamp[2]) >= self._racy_after:
            return
        row = (real, *stamp, pickle.dumps(summary, protocol=pickle.HIGHEST_PROTOCOL))
        self._summaries[real] = self._new_summaries[real] = row

    def planned(self, real: str, stamp: Stamp, options: Options) -> Any:
        """A module's dry run, while its stat and the options (its facts) are the same."""
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT * FROM plans WHERE path = ?", (real,)).fetchone()
        except sqlite3.Error:
            self._disable()
            return None
        if row is None or row[1:5] != stamp or row[5] != options_digest(options):
            return None
        return pickle.loads(row[6])

    def remember_plan(self, real: str, stamp: Stamp, options: Options, planned: object) -> None:
        if self._db is None or max(stamp[1], stamp[2]) >= self._racy_after:
            return
        self._new_plans[real] = (real, *stamp, options_digest(options),
                                 pickle.dumps(planned, protocol=pickle.HIGHEST_PROTOCOL))

    def _row(self, real: str, display: str, stamp: Stamp) -> tuple | None:
        self._seen.add(real)
        row = self._rows.get(real)
        if row is None or row[1:5] != stamp or row[5] != display:
            return None
        return row

    def clean(self, real: str, display: str, stamp: Stamp) -> FileResult | None:
        """A file the pre-filter set aside last time, if it has not changed since: no read."""
        row = self._row(real, display, stamp)
        if row is None or not row[6]:
            return None
        self.hits += 1
        return FileResult(display, row[9], row[10], reason=row[11])

    def candidate(self, real: str, display: str, stamp: Stamp, data: bytes,
                  options: Options) -> FileResult | None:
        """A candidate's result, when its bytes and options are the ones it was computed from."""
        row = self._row(real, display, stamp)
        if row is None or row[6] or row[7] != options_digest(options) or row[8] != digest(data):
            return None
        self.hits += 1
        output, changes, findings, diff = pickle.loads(row[12])
        return FileResult(display, row[9], row[10], output=output, reason=row[11],
                          changes=changes, findings=findings, diff=diff)

    def remember(self, real: str, stamp: Stamp, result: FileResult, clean: bool,
                 data: bytes | None = None, options: Options | None = None) -> None:
        """Record a result computed in this run (for a candidate: with its bytes and options)."""
        if self._db is None or max(stamp[1], stamp[2]) >= self._racy_after:
            return
        if result.reason.startswith(UNSTABLE_REASONS):
            return
        row: tuple  # a row of the table, as `_rows` holds them
        if clean:
            row = (real, *stamp, result.path, 1, None, None, result.language, result.status,
                   result.reason, None)
        else:
            assert data is not None and options is not None
            payload = pickle.dumps((result.output, result.changes, result.findings, result.diff),
                                   protocol=pickle.HIGHEST_PROTOCOL)
            row = (real, *stamp, result.path, 0, options_digest(options), digest(data),
                   result.language, result.status, result.reason, payload)
        if self._rows.get(real) != row:
            self._new[real] = row

    def close(self, prune: bool = True) -> None:
        """Write this run's new rows; with `prune` (a run that saw every file it was given),
        also drop the rows of files gone from the walked folders."""
        if self._db is None:
            return
        gone = [(path,) for path in self._rows if prune and path not in self._seen
                and any(path.startswith(prefix) for prefix in self._pruned_roots)]
        if not gone and not self._new and not self._new_summaries and not self._new_plans:
            # a warm run over an unchanged tree takes no lock
            self._disable()
            return
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany("DELETE FROM files WHERE path = ?", gone)
            self._db.executemany(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                list(self._new.values()))
            self._db.executemany("INSERT OR REPLACE INTO summaries VALUES (?, ?, ?, ?, ?, ?)",
                                 list(self._new_summaries.values()))
            self._db.executemany("INSERT OR REPLACE INTO plans VALUES (?, ?, ?, ?, ?, ?, ?)",
                                 list(self._new_plans.values()))
            self._db.execute("COMMIT")
        except sqlite3.Error:
            pass  # another run holds the lock or the file is damaged: the rows are only lost
        self._disable()

    def _disable(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db = None
