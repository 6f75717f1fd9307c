"""A longer fuzz campaign than the default test suite can afford (issue 4).

    python scripts/fuzz.py --seconds 120 [--jobs 2] [--seed 1] [--save findings/]

Feeds the engine mutated fixture files, generated Amplitude programs (Python, and JS/TS when
the JS migrator is registered), lookalikes that must not change, random bytes and re-encoded
files (latin-1 cookie, BOM, CRLF/CR/mixed endings), and checks every result with the same
oracle as `tests/test_fuzz.py` (`tests/fuzzkit.py`). Prints the inputs tried, the crashes
(the engine raised or reported an internal error or a timeout), the corruptions (output that
does not re-parse, a second pass that is not a no-op, an Amplitude-free file changed, a lost
BOM or line-ending style) and the rewrites the engine's own gate refused, with wall time.
Exit status 1 when any crash, corruption or divergence (the sliced migration of a file
differs from the whole file's, see codemod/python/slicing.py) was found.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import random
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import fuzzkit  # noqa: E402  (needs the path above)

from codemod.isolation import FileTimeout, time_limit  # noqa: E402

PER_INPUT_SECONDS = 60.0


@dataclass
class Stats:
    tried: int = 0
    by_source: collections.Counter[str] = field(default_factory=collections.Counter)
    by_status: collections.Counter[str] = field(default_factory=collections.Counter)
    problems: collections.Counter[tuple[str, str]] = field(default_factory=collections.Counter)
    examples: dict[tuple[str, str], tuple[str, bytes]] = field(default_factory=dict)

    def merge(self, other: Stats) -> None:
        self.tried += other.tried
        self.by_source.update(other.by_source)
        self.by_status.update(other.by_status)
        self.problems.update(other.problems)
        for key, value in other.examples.items():
            self.examples.setdefault(key, value)

    def count(self, kind: str) -> int:
        return sum(n for (k, _), n in self.problems.items() if k == kind)


def _signature(what: str) -> str:
    """Group findings that differ only in positions or quoted values."""
    what = re.sub(r"\d+", "N", what)
    what = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", what)
    return what[:160]


def _next_input(rng: random.Random, py_seeds: list[Path], js_seeds: list[Path],
                js: bool) -> tuple[str, str, bytes, bool]:
    """(source label, path, bytes, amplitude_free) for one input."""
    roll = rng.random()
    if roll < 0.40:
        seed = rng.choice(py_seeds + js_seeds)
        return "mutated-fixture", seed.name, fuzzkit.mutate(rng, seed.read_bytes()), False
    if roll < 0.58:
        data = fuzzkit.python_program(rng)
        return "generated-python", "generated.py", fuzzkit.mutate(rng, data, rng.choice((0, 1))), False
    if roll < 0.73 and js:
        suffix = rng.choice([".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx"])
        data = fuzzkit.js_program(rng, jsx=suffix not in (".ts", ".cjs"))
        return "generated-js", "generated" + suffix, fuzzkit.mutate(rng, data, rng.choice((0, 1))), False
    if roll < 0.80:
        language = rng.choice(["python", "javascript"] if js else ["python"])
        suffix = ".py" if language == "python" else rng.choice([".js", ".ts"])
        return "lookalike", "lookalike" + suffix, fuzzkit.lookalike(rng, language), True
    if roll < 0.87:
        suffix = rng.choice([".py", ".js", ".ts"] if js else [".py"])
        return "random-bytes", "random" + suffix, rng.randbytes(rng.randrange(300)), False
    seed = rng.choice(py_seeds + js_seeds)
    variant, data = fuzzkit.encoding_variant(rng, seed)
    return f"encoding-{variant}", seed.name, data, False


def campaign(seed: int, seconds: float) -> Stats:
    """Run inputs for `seconds` of wall time; one call per worker process."""
    rng = random.Random(seed)
    seeds = fuzzkit.seeds()
    py_seeds = [p for p in seeds if p.suffix == ".py"]
    js = fuzzkit.js_ready()
    js_seeds = [p for p in seeds if p.suffix != ".py"] if js else []
    stats = Stats()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        source, path, data, amplitude_free = _next_input(rng, py_seeds, js_seeds, js)
        stats.tried += 1
        stats.by_source[source] += 1
        try:
            with time_limit(PER_INPUT_SECONDS):
                result, problems = fuzzkit.check(data, path, amplitude_free)
        except FileTimeout:
            result, problems = None, [fuzzkit.Problem("crash", f"hang: over {PER_INPUT_SECONDS:g} s")]
        stats.by_status[result.status if result else "crash"] += 1
        for problem in problems:
            key = (problem.kind, _signature(problem.what))
            stats.problems[key] += 1
            stats.examples.setdefault(key, (path, data))
    return stats


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--jobs", type=int, default=1, help="worker processes")
    parser.add_argument("--seed", type=int, default=None, help="default: from the clock")
    parser.add_argument("--save", type=Path, help="write one input per distinct problem here")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else int(time.time())
    started = time.monotonic()
    total = Stats()
    if args.jobs <= 1:
        total.merge(campaign(seed, args.seconds))
    else:
        with ProcessPoolExecutor(args.jobs) as pool:
            for stats in pool.map(campaign, [seed + i for i in range(args.jobs)],
                                  [args.seconds] * args.jobs):
                total.merge(stats)
    wall = time.monotonic() - started

    print(f"seed {seed}, {args.jobs} job(s), JS {'on' if fuzzkit.js_ready() else 'off'}")
    print(f"inputs tried: {total.tried}")
    print("  by source: " + ", ".join(f"{k} {v}" for k, v in sorted(total.by_source.items())))
    print("  by status: " + ", ".join(f"{k} {v}" for k, v in sorted(total.by_status.items())))
    print(f"crashes: {total.count('crash')}")
    print(f"corruptions: {total.count('corruption')}")
    print(f"refused by the engine's gate (not written; migrator bugs): {total.count('refused')}")
    print(f"divergences (the sliced migration differs from the whole file's): "
          f"{total.count('divergence')}")
    print(f"wall time: {wall:.1f} s")
    for (kind, what), n in sorted(total.problems.items(), key=lambda item: -item[1]):
        path, data = total.examples[(kind, what)]
        line = f"  [{kind}] x{n} {what}  (e.g. {path}, {len(data)} bytes"
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            name = f"{kind}-{hashlib.sha1(data).hexdigest()[:10]}{Path(path).suffix}"
            (args.save / name).write_bytes(data)
            line += f", saved as {args.save / name}"
        print(line + ")")
    return 1 if total.count("crash") or total.count("corruption") or total.count("divergence") else 0


if __name__ == "__main__":
    sys.exit(main())
