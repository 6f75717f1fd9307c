#!/usr/bin/env python3
"""The least a cold run can cost with the parsers the tool is built on, against `rg -l`.

    python bench/floor.py TREE           # e.g. /tmp/amp2mp-bench/trees/large

Whatever the tool does after parsing, a run without its result cache must at least start
Python and import libcst and tree-sitter, list the tree, read every file and apply the byte
pre-filter, and parse each candidate: Python with CPython's `ast` (to slice) and libcst (the
sliced module), JavaScript and TypeScript with tree-sitter. This script does exactly that and
nothing more, in a process of its own, with the candidates parsed by a pool of one worker per
core while the parent reads on (the tool's own layout). Its median wall time, in rounds
interleaved with `rg -l -i amplitude TREE`, is the floor of the tool's cold ratio to `rg`:
what is left under a goal of N x `rg` is all the time the scope analysis, the planning, the
rewrite, the syntax gates and the diff may take. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Iterator

from run import summary, timed

ROUNDS = 7


def _parse(item: tuple[str, str]) -> None:
    import libcst

    from codemod.js.estree import dialect_of
    from codemod.js.estree.frontend import ts_tree
    from codemod.python.slicing import slice_module

    path, language = item
    with open(path, "rb") as handle:
        text = handle.read().decode("utf-8", "replace")
    if language == "python":
        sliced = slice_module(text)
        libcst.parse_module(text if sliced is None else sliced.text)
    else:
        ts_tree(text, dialect_of(os.path.splitext(path)[1]))


def _candidates(files: list[str]) -> Iterator[tuple[str, str]]:
    from codemod.engine import language_of
    from codemod.prefilter import needs_migrator

    for path in files:
        language = language_of(path)
        if language is None:
            continue
        with open(path, "rb") as handle:
            data = handle.read()
        if needs_migrator(data, language):
            yield path, language


def inner(tree: str) -> None:
    """The floor's work, in the process being timed."""
    import multiprocessing

    import libcst  # noqa: F401 - imported before the pool forks, as the tool does
    import tree_sitter  # noqa: F401

    from codemod.discovery import discover

    os.chdir(tree)
    files = discover(["."])
    with multiprocessing.get_context("fork").Pool(os.cpu_count()) as pool:
        count = sum(1 for _ in pool.imap_unordered(_parse, _candidates(files), chunksize=4))
    print(f"{len(files)} files, {count} candidates parsed")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("tree")
    ap.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--rounds", type=int, default=ROUNDS)
    a = ap.parse_args()
    if a.inner:
        inner(a.tree)
        return
    floor = [sys.executable, os.path.abspath(__file__), "--inner", a.tree]
    rg = ["rg", "-l", "-i", "amplitude", a.tree]
    # Untimed first: the page cache, the .pyc files, and what the floor covers.
    counted = subprocess.run(floor, check=True, capture_output=True, text=True).stdout.strip()
    samples: dict[str, list[dict]] = {"rg": [], "floor": []}
    started = time.strftime("%H:%M:%S")
    for _ in range(a.rounds):
        samples["rg"].append(timed(rg))
        samples["floor"].append(timed(floor))
    rg_s, floor_s = summary(samples["rg"]), summary(samples["floor"])
    for name, s in (("rg", rg_s), ("floor", floor_s)):
        if "error" in s:
            sys.exit(f"{name}: {s['error']}")
    ratio = floor_s["median"] / rg_s["median"]
    print(f"{a.tree} ({counted}), {a.rounds} interleaved rounds from {started}, "
          f"{os.cpu_count()} cores")
    print(f"rg -l             median {rg_s['median']:.3f} s")
    print(f"floor             median {floor_s['median']:.3f} s  (CPU {floor_s['cpu']:.2f} s)  "
          f"{ratio:.1f}x rg")
    for goal in (10, 20):
        left = goal * rg_s["median"] - floor_s["median"]
        verdict = f"{left:.3f} s of wall" if left > 0 else "none: the floor alone is over it"
        print(f"left under {goal}x rg for everything after parsing: {verdict}")


if __name__ == "__main__":
    main()
