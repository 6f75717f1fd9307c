"""Running the engine over many files: reading, the worker pool, and stable ordering.

The parent reads every file and applies the byte pre-filter itself, so worker processes only
ever receive files that can contain Amplitude. Results come back in the order of the input
list whatever the number of workers, so `-j 1` and `-j N` print identical output.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from .engine import language_of, migrate_source
from .options import Options
from .prefilter import may_use_amplitude
from .results import FileResult

# Below this many candidate files a pool costs more than it saves.
POOL_THRESHOLD = 8
MANIFESTS = ("requirements.txt", "pyproject.toml", "setup.cfg", "setup.py", "Pipfile")
_AMPLITUDE_DISTS = re.compile(
    r"(?i)\b(amplitude[-_.]analytics|django[-_.]amplitude|amplitude[-_.]python|"
    r"amplitude[-_.]sdk|amplitude[-_.]tracker)\b"
)


@dataclass(frozen=True)
class Job:
    path: Path
    display: str
    data: bytes | None
    options: Options
    reason: str = ""


@cache
def python_distribution(directory: Path) -> str | None:
    """The Amplitude distribution named by the nearest dependency manifest, if any.

    `import amplitude` is ambiguous on PyPI (amplitude-analytics and django-amplitude both
    install an `amplitude` package); the manifest is the project's own statement of which.
    """
    for manifest in MANIFESTS:
        candidate = directory / manifest
        if candidate.is_file():
            try:
                text = candidate.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            names = {m.lower().replace("_", "-").replace(".", "-")
                     for m in _AMPLITUDE_DISTS.findall(text)}
            if names:
                return "amplitude-analytics" if "amplitude-analytics" in names else min(names)
    if directory.parent == directory or (directory / ".git").exists():
        return None
    return python_distribution(directory.parent)


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def prepare(paths: Iterable[Path], roots: list[Path], options: Options) -> Iterator[Job]:
    """Read each file once, refusing links that leave the roots or alias another file.

    Containment is checked on the resolved path, so a link anywhere on the way (the file or a
    directory above it) cannot lead a write outside the roots. When a link and its target are
    both listed, the target itself is the one migrated, whatever the sort order.
    """
    paths = list(paths)
    real_roots = [Path(os.path.realpath(r)) for r in roots]
    listed_directly = {os.path.realpath(p) for p in paths if not p.is_symlink()}
    seen: set[str] = set()
    for path in paths:
        display = _display(path)
        real = os.path.realpath(path)
        if not any(Path(real) == r or r in Path(real).parents for r in real_roots):
            yield Job(path, display, None, options, "symlink-outside-roots")
            continue
        if real in seen or (path.is_symlink() and real in listed_directly):
            yield Job(path, display, None, options, "duplicate-link-target")
            continue
        seen.add(real)
        try:
            if os.path.getsize(real) > options.max_bytes:
                yield Job(path, display, None, options,
                          f"too-large: {os.path.getsize(real)} bytes > limit {options.max_bytes}")
                continue
            data = Path(real).read_bytes()
        except OSError as exc:
            yield Job(path, display, None, options, f"unreadable: {exc.strerror or exc}")
            continue
        job_options = options
        if language_of(display) == "python" and options.python_distribution is None:
            dist = python_distribution(Path(real).parent)
            if dist is not None:
                job_options = replace(options, python_distribution=dist)
        yield Job(path, display, data, job_options)


def _work(job: Job) -> FileResult:
    assert job.data is not None
    return migrate_source(job.data, job.display, job.options)


def _skipped(job: Job) -> FileResult:
    return FileResult(job.display, language_of(job.display) or "unknown", "skipped",
                      reason=job.reason)


def run(
    files: list[Path],
    roots: list[Path],
    options: Options,
    jobs: int = 0,
    on_result: Callable[[Job, FileResult], None] | None = None,
) -> list[tuple[Job, FileResult]]:
    """Migrate every file; `jobs=0` means one worker per core, `jobs=1` runs in-process."""
    prepared = list(prepare(files, roots, options))
    results: list[FileResult | None] = [None] * len(prepared)
    candidates: list[int] = []
    for index, job in enumerate(prepared):
        if job.data is None:
            results[index] = _skipped(job)
        elif may_use_amplitude(job.data):
            candidates.append(index)
        else:
            results[index] = migrate_source(job.data, job.display, job.options)
    workers = jobs or os.cpu_count() or 1
    if workers > 1 and len(candidates) >= POOL_THRESHOLD:
        with ProcessPoolExecutor(max_workers=min(workers, len(candidates))) as pool:
            done = pool.map(_work, [prepared[i] for i in candidates], chunksize=2)
            for index, result in zip(candidates, done, strict=True):
                results[index] = result
    else:
        for index in candidates:
            results[index] = _work(prepared[index])
    pairs = []
    for job, result in zip(prepared, results, strict=True):
        assert result is not None
        if on_result is not None:
            on_result(job, result)
        pairs.append((job, result))
    return pairs
