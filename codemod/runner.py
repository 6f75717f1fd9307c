"""Running the engine over many files: reading, the worker pool, and stable ordering.

The parent reads every file and applies the byte pre-filter itself, so worker processes only
ever receive files that can contain Amplitude. Results come back in the order of the input
list whatever the number of workers, so `-j 1` and `-j N` print identical output.

Memory stays flat in the number of files: files are read one at a time as the results are
consumed, at most `IN_FLIGHT_PER_WORKER` candidates per worker wait in the pool, and a
result keeps its input bytes only when something (the diff, a report) still needs them.
A pool is started only once `POOL_THRESHOLD` candidates have been seen; a pre-commit run
over a few files never pays for one.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cachedir import Stamp, stamp_of
from .catalogue import Catalogue, load_catalogue
from .diff import unified_diff
from .discovery import PathNames, display_path, with_sep
from .engine import language_of, migrate_source
from .isolation import FileTimeout, time_limit
from .leftovers import has_todo
from .options import Options
from .prefilter import needs_migrator
from .projectfacts import file_facts
from .results import FileResult
from .sdks import load_registry

if TYPE_CHECKING:  # imported with the first pool: with multiprocessing and logging, ~9 ms
    from concurrent.futures import ProcessPoolExecutor

    from .cache import ResultCache
    from .clients import Client
    from .project.plan import Dry, Plan
    from .project.summary import Summarize

# Seconds one file may take. libcst needs about a second per 100 kB, so only a pathological
# input (or a transform that loops) gets near this with the default size limit.
FILE_TIMEOUT = 120.0
# Below this many candidate files a pool costs more than it saves (a forked worker is ready
# in ~10 ms, a spawned one re-imports the tool in ~0.3 s; one candidate costs 5-300 ms).
POOL_THRESHOLD = 8
# Candidates queued per worker before the parent waits: enough to keep workers busy, few
# enough that memory does not grow with the tree.
IN_FLIGHT_PER_WORKER = 16
# `AMP2MP_START_METHOD=spawn|fork|forkserver` overrides the pool's start method.
START_METHOD_ENV = "AMP2MP_START_METHOD"
MANIFESTS = ("requirements.txt", "pyproject.toml", "setup.cfg", "setup.py", "Pipfile")


@dataclass(frozen=True)
class Job:
    path: str
    display: str
    data: bytes | None
    options: Options
    reason: str = ""
    # Read, and the pre-filter found no Amplitude import in it: the manifests planning,
    # which asks which files still import Amplitude, need not read it again.
    clean: bool = False
    real: str = ""  # the resolved path: the result cache's key
    stamp: Stamp | None = None
    cached: FileResult | None = None  # answered by the result cache without reading the file


@cache
def _distributions() -> re.Pattern[str]:
    """The registry's Python distributions, spelled as a manifest may (`-`, `_` or `.`)."""
    names = load_registry().python_sniffed()
    alternation = "|".join(re.escape(n).replace(r"\-", "[-_.]")
                           for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?i)(?<![\w.-])({alternation})(?![\w.-]*\w)")


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
                     for m in _distributions().findall(text)}
            if names:
                # A look-alike that installs `amplitude` too makes every `import amplitude`
                # ambiguous, even next to the SDK: the migrator then reports, never rewrites.
                colliding = sorted(names & load_registry().python_colliding())
                sdk = load_registry().python_sdk.packages[0]
                if colliding:
                    return colliding[0]
                return sdk if sdk in names else min(names)
    if directory.parent == directory or (directory / ".git").exists():
        return None
    return python_distribution(directory.parent)


def _inside(real: str, real_roots: list[str]) -> bool:
    return any(real == root or real.startswith(with_sep(root)) for root in real_roots)


def prepare(
    paths: Iterable[str | Path], roots: list[Path], options: Options,
    cache: ResultCache | None = None, options_for: Callable[[str], Options] | None = None,
) -> Iterator[Job]:
    """Read each file once, refusing links that leave the roots or alias another file.

    Containment is checked on the resolved path, so a link anywhere on the way (the file or a
    directory above it) cannot lead a write outside the roots. When a link and its target are
    both listed, the target itself is the one migrated, whatever the sort order.

    Files are read lazily, one per step of the iterator, so a consumer that drops the bytes
    it no longer needs keeps memory flat. A file the result cache answers from its `stat`
    alone is not read at all.
    """
    names = PathNames()
    real_roots = [os.path.realpath(r) for r in roots]
    # (path, display, real, is_link, the lstat of a file that is not a link: its own stat)
    entries: list[tuple[str, str, str, bool, os.stat_result | None]] = []
    any_link = False
    for path in paths:
        spath = os.fspath(path)
        try:
            own: os.stat_result | None = os.lstat(spath)
            is_link = stat.S_ISLNK(own.st_mode)  # type: ignore[union-attr]
        except OSError:
            own, is_link = None, False
        any_link = any_link or is_link
        entries.append((spath, *names.of(spath, is_link), is_link, None if is_link else own))
    listed_directly = {e[2] for e in entries if not e[3]} if any_link else set()
    seen: set[str] = set()
    run_options = options
    for path, display, real, is_link, own in entries:
        # Each file's own options: a nested configuration applies to its subtree.
        options = options_for(path) if options_for is not None else run_options
        if language_of(path) == "javascript":  # where it runs and how it imports: JS only
            options = replace(options, facts=file_facts(real))
        if not _inside(real, real_roots):
            yield Job(path, display, None, options, "symlink-outside-roots")
            continue
        if real in seen or (is_link and real in listed_directly):
            yield Job(path, display, None, options, "duplicate-link-target")
            continue
        seen.add(real)
        try:
            info = own or os.stat(real)
            if not stat.S_ISREG(info.st_mode):  # opening a FIFO named x.py would hang the run
                yield Job(path, display, None, options, "not-a-regular-file")
                continue
            if info.st_nlink > 1:  # os.replace would give this name a new inode, the others not
                yield Job(path, display, None, options,
                          f"hard-linked: {info.st_nlink} names share this file; rewriting one "
                          "would split them")
                continue
            stamp = stamp_of(info)
            # A file with facts from the project plan is answered by its bytes and facts.
            if cache is not None and info.st_size <= options.max_bytes and not options.clients:
                hit = cache.clean(real, display, stamp)
                if hit is not None:
                    yield Job(path, display, None, options, clean=True, real=real, stamp=stamp,
                              cached=hit)
                    continue
            with open(real, "rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                if size > options.max_bytes:
                    yield Job(path, display, None, options,
                              f"too-large: {size} bytes > limit {options.max_bytes}")
                    continue
                data = handle.read()
        except OSError as exc:
            yield Job(path, display, None, options, f"unreadable: {exc.strerror or exc}")
            continue
        yield Job(path, display, data, options, real=real, stamp=stamp)


def _candidate(job: Job) -> Job:
    """The job a worker gets: with the manifest's Amplitude distribution for Python files."""
    if job.options.python_distribution is None and language_of(job.display) == "python":
        dist = python_distribution(Path(os.path.dirname(job.real or os.path.realpath(job.path))))
        if dist is not None:
            return replace(job, options=replace(job.options, python_distribution=dist))
    return job


def _work(job: Job, timeout: float = 0) -> FileResult:
    assert job.data is not None
    try:
        with time_limit(timeout):
            result = migrate_source(job.data, job.display, job.options)
        if result.status == "changed" and result.output is not None:
            result = replace(result, diff=unified_diff(job.display, job.data, result.output))
        return result
    except FileTimeout:
        return FileResult(job.display, language_of(job.display) or "unknown", "error",
                          reason=f"timeout: migrating took longer than {timeout:g} s")


def _skipped(job: Job) -> FileResult:
    return FileResult(job.display, language_of(job.display) or "unknown", "skipped",
                      reason=job.reason)


def _slim(job: Job, result: FileResult) -> Job:
    """Drop the input bytes unless the diff, the review or a report still needs them."""
    if job.data is None or result.status == "changed" or result.changes or result.findings:
        return job
    return replace(job, data=None)


def pool_context(method: str | None = None) -> Any:
    """The multiprocessing context for the worker pool.

    fork is the cheapest start (workers inherit the imported tool) and is used on Linux while
    the parent has no other thread (a progress bar's refresh thread could hold a lock the
    child inherits); otherwise forkserver or spawn. Workers only ever run `_work`, a
    module-level function of picklable arguments, so every method gives the same results.
    """
    import multiprocessing

    method = method or os.environ.get(START_METHOD_ENV) or None
    available = multiprocessing.get_all_start_methods()
    if method is None:
        if sys.platform.startswith("linux") and "fork" in available and threading.active_count() == 1:
            method = "fork"
        elif "forkserver" in available:
            method = "forkserver"
        else:
            method = "spawn"
    return multiprocessing.get_context(method)


def _alone(work: Callable[[Job], FileResult], job: Job, start_method: str | None) -> FileResult:
    """Retry one file in a worker of its own, after a worker died with it among others in flight.

    A native crash or an out-of-memory kill takes every file in flight down with the worker;
    run alone, only the file that causes it fails again, and it is reported as that file's
    error while the run goes on.
    """
    from concurrent.futures.process import BrokenProcessPool, ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=1, mp_context=pool_context(start_method)) as single:
        try:
            return single.submit(work, job).result()
        except BrokenProcessPool:
            return FileResult(job.display, language_of(job.display) or "unknown", "error",
                              reason="internal-error: the worker process died on this file "
                                     "(a native crash or out of memory)")


def _is_future(value: object) -> bool:
    """A pending entry holds a result, None (held back) or a pool's future."""
    return value is not None and not isinstance(value, FileResult)


def iter_run(
    files: Iterable[str | Path],
    roots: list[Path],
    options: Options,
    jobs: int = 0,
    timeout: float = FILE_TIMEOUT,
    start_method: str | None = None,
    catalogue: Callable[[], Catalogue] = load_catalogue,
    cache: ResultCache | None = None,
    options_for: Callable[[str], Options] | None = None,
    plan: Plan | None = None,
) -> Iterator[tuple[Job, FileResult]]:
    """Migrate every file, yielding `(job, result)` in input order as soon as it is known.

    `jobs=0` means one worker per core, `jobs=1` runs in-process. A job keeps its bytes only
    when its result changed or carries changes or findings. `catalogue` is called once, at
    the first file worth migrating, before any worker starts (they inherit it under fork),
    so a run without one never parses the rule files. With a `cache`, files it answers are
    neither migrated nor counted towards starting a pool, and every result that is a
    function of the file's bytes is recorded in it.
    """
    files = list(files)
    if plan is None:
        plan = project_plan(files, roots, options, options_for, catalogue, cache)
    options_for = plan.options_for(options_for or (lambda _: options))
    work = partial(_work, timeout=timeout)
    workers = jobs or os.cpu_count() or 1
    # entries in input order: [job, result-or-future-or-None, computed here]; None = candidate
    # held back until we know whether a pool is worth starting.
    pending: deque[list[Any]] = deque()
    held: list[list[Any]] = []
    in_flight = 0
    pool: ProcessPoolExecutor | None = None
    candidates_seen = 0

    def start_pool() -> ProcessPoolExecutor:
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(max_workers=workers, mp_context=pool_context(start_method))

    def submit(entry: list[Any]) -> None:
        from concurrent.futures.process import BrokenProcessPool

        nonlocal in_flight, pool
        assert pool is not None
        try:
            entry[1] = pool.submit(work, entry[0])
        except BrokenProcessPool:  # a worker died earlier: the files it had are retried alone
            pool.shutdown(wait=False, cancel_futures=True)
            pool = start_pool()
            entry[1] = pool.submit(work, entry[0])
        in_flight += 1

    def resolve(entry: list[Any]) -> FileResult:
        nonlocal in_flight
        value = entry[1]
        if _is_future(value):
            from concurrent.futures.process import BrokenProcessPool

            in_flight -= 1
            try:
                value = value.result()
            except BrokenProcessPool:  # a worker died: every file in flight failed with it
                value = _alone(work, entry[0], start_method)
            except Exception as exc:
                job = entry[0]
                value = FileResult(job.display, language_of(job.display) or "unknown", "error",
                                   reason=f"internal-error: worker process failed: "
                                          f"{type(exc).__name__}: {exc}")
        elif value is None:
            value = work(entry[0])
        return value

    def drain(final: bool) -> Iterator[tuple[Job, FileResult]]:
        while pending:
            head = pending[0]
            value = head[1]
            if value is None:
                return  # held back until we know whether a pool is worth starting
            if _is_future(value) and not value.done() and not (
                final or in_flight > workers * IN_FLIGHT_PER_WORKER
            ):
                return
            pending.popleft()
            result = resolve(head)
            job = head[0]
            if head[2] and cache is not None and job.stamp is not None:
                cache.remember(job.real, job.stamp, result, clean=False, data=job.data,
                               options=job.options)
            yield _slim(job, result), result

    completed = False
    if cache is not None:
        cache.preload([os.path.realpath(r) for r in roots], [os.path.isdir(r) for r in roots])
    try:
        for job in prepare(files, roots, options, cache, options_for):
            if job.cached is not None:
                if not pending:  # most of a warm run: nothing to wait for, nothing to slim
                    yield job, job.cached
                    continue
                pending.append([job, job.cached, False])
            elif job.data is None:
                pending.append([job, _skipped(job), False])  # no bytes were read
            elif (needs_migrator(job.data, language_of(job.display)) or has_todo(job.data)
                  or job.options.clients):
                candidate = _candidate(job)
                hit = None if cache is None or job.stamp is None else cache.candidate(
                    job.real, job.display, job.stamp, job.data, candidate.options)
                if hit is not None:
                    pending.append([_slim(candidate, hit), hit, False])
                    yield from drain(final=False)
                    continue
                if not candidates_seen:
                    catalogue()
                candidates_seen += 1
                entry: list[Any] = [candidate, None, True]
                pending.append(entry)
                if pool is not None:
                    submit(entry)
                elif workers > 1 and candidates_seen >= POOL_THRESHOLD:
                    pool = start_pool()
                    for waiting in [*held, entry]:
                        submit(waiting)
                    held.clear()
                elif workers > 1:
                    held.append(entry)
                else:
                    entry[1] = work(entry[0])
            else:
                result = migrate_source(job.data, job.display, job.options)
                if cache is not None and job.stamp is not None:
                    cache.remember(job.real, job.stamp, result, clean=True)
                pending.append([_slim(replace(job, clean=True), result), result, False])
            yield from drain(final=False)
        for entry in held:  # too few candidates for a pool: run them here
            entry[1] = work(entry[0])
        held.clear()
        yield from drain(final=True)
        completed = True
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        if cache is not None:
            cache.close(prune=completed)


def project_plan(
    files: list[str | Path], roots: list[Path], options: Options,
    options_for: Callable[[str], Options] | None, catalogue: Callable[[], Catalogue],
    cache: ResultCache | None = None,
) -> Plan:
    """The project phase (`codemod/project/`): the shared clients of the run's files, decided
    with the rest of the project in view when the run was given only some files. With a
    `cache`, an unchanged file's index summary is its cached one, and the file is not read."""
    from .project.index import read_limited
    from .project.plan import dry_run, plan_project
    from .project.summary import summarizer

    named = [os.fspath(f) for f in files]
    read = read_limited(options.max_bytes)
    tops = project_roots(roots)
    if cache is not None:
        cache.preload_summaries([*(os.path.realpath(r) for r in roots),
                                 *(os.path.realpath(t) for t in tops)])
    summarize = summarizer(read, cache)
    extra = outside_view(named, tops, summarize) if tops else []
    dry = dry_run(read, catalogue)
    if cache is not None:
        dry = _cached_dry(dry, cache)
    return plan_project(named, extra, read, options_for or (lambda _: options), catalogue,
                        display_path, summarize, dry)


def _cached_dry(dry: Dry, cache: ResultCache) -> Dry:
    """`dry` answered from the cache while a module's stat and facts are unchanged."""
    names = PathNames()

    def cached(path: str, options: Options) -> list[Client] | str | None:
        try:
            stamp = stamp_of(os.stat(path))
        except OSError:
            return dry(path, options)
        real = names.of(path)[1]
        found = cache.planned(real, stamp, options)
        if found is None:
            found = dry(path, options)
            if found is not None:
                cache.remember_plan(real, stamp, options, found)
        return found

    return cached


def outside_view(named: list[str], tops: list[str], summarize: Summarize) -> list[str]:
    """What a run over named files (pre-commit's staged ones) must index besides them.

    A named module that may create a shared client needs every module of its work trees,
    which may read it; otherwise only the modules the named files import, found on disk,
    which may create one (a client of a module outside the run is then held, and said so).
    """
    from .project.index import on_disk
    from .project.summary import JAVASCRIPT, PYTHON

    summaries = {path: summarize(path) for path in named}
    listed = {os.path.abspath(n) for n in named}
    if any(s is not None and s.creator for s in summaries.values()):
        from .discovery import discover

        # `.vue` pages too: they read a client a Nuxt plugin injects (`this.$amplitude`).
        found = [f for f in discover(tops)
                 if f.lower().endswith((*PYTHON, *JAVASCRIPT, ".vue"))]
    else:
        found = sorted({module for path, summary in summaries.items() if summary is not None
                        for module in on_disk(path, summary)})
    return [display_path(f) for f in found if os.path.abspath(f) not in listed]


def project_roots(roots: list[Path]) -> list[str]:
    """The work trees around the files a run over named files was given (what pre-commit
    leaves out): the repository holding each one."""
    tops: set[str] = set()
    for root in roots:
        if root.is_dir():
            continue
        folder = os.path.dirname(os.path.abspath(root))
        while not os.path.exists(os.path.join(folder, ".git")):
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
        else:
            tops.add(folder)
    return sorted(tops)


def run(
    files: list[str] | list[Path],
    roots: list[Path],
    options: Options,
    jobs: int = 0,
    on_result: Callable[[Job, FileResult], None] | None = None,
    timeout: float = FILE_TIMEOUT,
    start_method: str | None = None,
    catalogue: Callable[[], Catalogue] = load_catalogue,
    cache: ResultCache | None = None,
    options_for: Callable[[str], Options] | None = None,
) -> list[tuple[Job, FileResult]]:
    """Migrate every file; `jobs=0` means one worker per core, `jobs=1` runs in-process.

    A file whose migration runs past `timeout` seconds (0 = no limit) is reported as an error
    and the run goes on. See `iter_run` for the order and for which jobs keep their bytes.
    """
    from .project.checks import check

    plan = project_plan(list(files), roots, options, options_for, catalogue, cache)
    pairs = []
    for job, result in iter_run(files, roots, options, jobs, timeout, start_method, catalogue,
                                cache, options_for, plan):
        if on_result is not None:
            on_result(job, result)
        pairs.append((job, result))
    return check(plan, pairs)
