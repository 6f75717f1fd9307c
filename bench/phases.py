#!/usr/bin/env python3
"""Where one run's time goes, phase by phase, in one process and without a profiler.

    python bench/phases.py TREE        # e.g. /tmp/amp2mp-bench/trees/large

cProfile multiplies the cost of pure-Python code (libcst's visitors most of all) and so
misstates the shares; this runs the same steps as `amp2mp-codemod --diff -j 1 TREE` with a
clock around each: discovery, the project plan (index, dry runs of the modules that share a
client), reading and the byte pre-filter, the migration of the candidates by language (syntax
gates included), the manifests planning and the diff text.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import time
from collections import Counter
from pathlib import Path

from codemod.catalogue import load_catalogue
from codemod.diff import unified_diff
from codemod.discovery import discover
from codemod.engine import language_of, migrate_source
from codemod.manifests import plan
from codemod.options import Options
from codemod.prefilter import needs_migrator
from codemod.runner import prepare, project_plan


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("tree")
    a = ap.parse_args()
    os.chdir(a.tree)
    clock: Counter[str] = Counter()
    count: Counter[str] = Counter()
    start = time.perf_counter()
    catalogue = load_catalogue()
    options = Options()
    clock["catalogue"] = time.perf_counter() - start

    mark = time.perf_counter()
    files = discover(["."])
    clock["discovery"] = time.perf_counter() - mark

    mark = time.perf_counter()
    project = project_plan(list(files), [Path(".")], options, None, lambda: catalogue)
    options_for = project.options_for(lambda _: options)
    clock["project plan"] = time.perf_counter() - mark
    count["project plan"] = project.index.parsed

    final: dict[str, bytes] = {}
    clean: set[str] = set()
    diffs = []
    mark = time.perf_counter()
    for job in prepare(files, [Path(".")], options, options_for=options_for):
        if job.data is None:
            continue
        language = language_of(job.display)
        if not needs_migrator(job.data, language):
            clean.add(job.real)
            continue
        clock["reading + pre-filter"] += time.perf_counter() - mark
        mark = time.perf_counter()
        result = migrate_source(job.data, job.display, job.options, catalogue)
        key = f"{language} migration"
        clock[key] += time.perf_counter() - mark
        count[key] += 1
        if result.status == "changed" and result.output is not None:
            final[job.real] = result.output
            diffs.append((job.display, job.data, result.output))
        mark = time.perf_counter()
    clock["reading + pre-filter"] += time.perf_counter() - mark
    count["reading + pre-filter"] = len(files)

    mark = time.perf_counter()
    plan(files, final, clean)
    clock["manifests planning"] = time.perf_counter() - mark

    mark = time.perf_counter()
    for display, old, new in diffs:
        unified_diff(display, old, new)
    clock["diff text"] = time.perf_counter() - mark
    count["diff text"] = len(diffs)

    total = sum(clock.values())
    print(f"{'phase':24} {'s':>7} {'share':>6}  files")
    for phase, seconds in clock.most_common():
        files_text = str(count[phase]) if count[phase] else ""
        print(f"{phase:24} {seconds:7.2f} {seconds / total:6.0%}  {files_text}")
    print(f"{'total (one process)':24} {total:7.2f}")


if __name__ == "__main__":
    main()
