"""The real-code parse corpus: a fixed, seeded sample of sources that popular npm packages ship.

`corpus/package-lock.json` pins the packages (UI component libraries shipping TSX sources,
app templates, `@types/*` declarations, Vue libraries shipping SFCs, TypeScript and JSX
sources); `npmkit.npm_ci` installs them, with their dependencies, whose files are sampled too.
Every sampled file is judged by the TypeScript compiler's parser (and Babel for JavaScript,
`judgekit`), then read by the tool's own parser as the migration would read it (`parse_js`,
or each `<script>` block of a `.vue`/`.html`). A file both judges accept must lower, or be
refused for a cause `JUSTIFIED` names.

`python tests/corpuskit.py` prints the measurement: sample size by extension, what the judge
accepts, what the tool refuses or crashes on, by cause, with one example each; with `--all`,
over every file of the corpus instead of the sample (63,000+ files, a few minutes).
"""

from __future__ import annotations

import os
import random
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from estreekit import parsers_disagree
from judgekit import Verdict, judge_files
from npmkit import npm_ci

from codemod.js.estree import ParseError, parse_js
from codemod.js.language import extract_script_blocks

CORPUS = Path(__file__).resolve().parent / "corpus"
SEED = 13
# Files per extension in the sample (fewer where the corpus has fewer); 5,000+ in all, over
# 1,000 of them TSX/JSX. Files over MAX_BYTES are minified bundles or generated tables: they
# cost the most and say the least about how people write code.
QUOTAS = {".tsx": 1100, ".jsx": 100, ".ts": 800, ".mts": 50, ".cts": 50, ".d.ts": 700,
          ".js": 1200, ".mjs": 450, ".cjs": 350, ".vue": 450}
MAX_BYTES = 100_000
# Plain JavaScript files whose esprima and tree-sitter trees are compared (esprima is pure
# Python and the slowest part of a run, so a seeded part of the sample).
AGREEMENT_SAMPLE = 300

# Refusals with a known, legitimate cause: (where, regex, why). `where` is "path" (the file's
# path), "reason" (the parser's message) or "line" (the source line the error is reported on).
# Each is a grammar limitation upstream, in tree-sitter-typescript 0.23.2 or
# tree-sitter-javascript 0.25.0, that TypeScript accepts; the tool refuses such a file whole
# (never misreads it), and a grammar release or a workaround in the lowering is what fixes it.
JUSTIFIED: list[tuple[str, str, str]] = [
    ("line", r"\bimport\(\s*[\"'][^\"']*[\"']\s*\)(?:\.[\w$]+)*\s*<",
     "type arguments on an import type, `import('m').T<A>`: tree-sitter-typescript#322"),
    ("line", r"(?:^|[<,])\s*(?:const\s+)?(?:in\s+out|in|out)\s+[\w$]+\s*(?:[,>=]|extends\b|$)",
     "variance annotations on type parameters, `interface I<out T>` (TypeScript 4.7): "
     "tree-sitter-typescript#370"),
    ("line", r"\bexport\s+type\s+\*",
     "`export type * from 'm'` (TypeScript 5.0): tree-sitter-typescript#348"),
    ("line", r"^\s*export\s+default\s+(?:async\s+)?function\s*(?:<[^>]*>\s*)?\(",
     "an anonymous bodiless `export default function (): T;` (declaration files): the grammar's "
     "`function_signature` requires a name; no upstream issue yet"),
    ("line", r"\s(?:class|for|if|in|typeof|default)=",
     "a JSX attribute named with a reserved word (`<div class=...>` inside a fragment) in "
     "tree-sitter-javascript's grammar (.js/.jsx; the tsx grammar reads it): "
     "tree-sitter-javascript#387"),
]


def extension(path: str) -> str:
    """The sample's class of a path: `.d.ts` for any declaration file, else its suffix."""
    name = path.lower()
    if re.search(r"\.d\.[mc]?ts$", name):
        return ".d.ts"
    return os.path.splitext(name)[1]


def tool_suffix(path: str) -> str:
    """The suffix `parse_js` reads a path as (`.d.mts` is `.mts`)."""
    return os.path.splitext(path.lower())[1]


def install() -> Path:
    return npm_ci(CORPUS)


def candidates(root: Path) -> dict[str, list[str]]:
    """Every source path under `root` (relative, sorted) by class, within MAX_BYTES."""
    found: dict[str, list[str]] = defaultdict(list)
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != ".bin")
        for name in sorted(names):
            kind = extension(name)
            if kind not in QUOTAS:
                continue
            path = os.path.join(folder, name)
            if os.path.getsize(path) <= MAX_BYTES:
                found[kind].append(os.path.relpath(path, root))
    return found


def sample(root: Path, seed: int = SEED, every: bool = False) -> list[str]:
    """The fixed sample: per class, `QUOTAS` paths drawn with one seeded generator (or all)."""
    rng = random.Random(seed)
    found = candidates(root)
    chosen: list[str] = []
    for kind in sorted(QUOTAS):
        paths = found.get(kind, [])
        chosen.extend(paths if every else sorted(rng.sample(paths, min(QUOTAS[kind], len(paths)))))
    return chosen


@dataclass(frozen=True)
class Outcome:
    """What the tool's parser did with one file: "lowered", "refused" or "crashed".

    `line` is the source line a refusal's error is reported on.
    """

    status: str
    reason: str = ""
    line: str = ""


def read_with_tool(path: str, text: str) -> Outcome:
    """Parse as the migration would: the whole file, or each `<script>` block of a .vue."""
    if tool_suffix(path) in (".vue", ".html"):
        chunks = [(text[b.start : b.end], b.suffix) for b in extract_script_blocks(text)]
    else:
        chunks = [(text, tool_suffix(path))]
    for chunk, suffix in chunks:
        try:
            result = parse_js(chunk, suffix)
        except Exception as exc:  # parse_js promises never to raise: that is what is measured
            return Outcome("crashed", f"{type(exc).__name__}: {exc}")
        if isinstance(result, ParseError):
            lines = chunk.splitlines() or [""]
            return Outcome("refused", result.message, lines[min(result.line, len(lines)) - 1])
    return Outcome("lowered")


_POSITION = re.compile(r"\b\d+:\d+\b")
_ADDRESS = re.compile(r" at 0x[0-9a-f]+")


def cause(reason: str) -> str:
    """A refusal's reason without its position, so refusals group by what went wrong."""
    return _ADDRESS.sub("", _POSITION.sub("L:C", reason))[:160]


def justification(path: str, outcome: Outcome) -> str | None:
    """Why a refusal is legitimate, from the first `JUSTIFIED` entry that matches it."""
    if outcome.status != "refused":
        return None
    for where, pattern, why in JUSTIFIED:
        subject = {"path": path, "reason": outcome.reason, "line": outcome.line}[where]
        if re.search(pattern, subject):
            return why
    return None


@dataclass(repr=False)
class Run:
    """Everything one pass over the sample found."""

    paths: list[str]
    verdicts: dict[str, Verdict]
    outcomes: dict[str, Outcome]
    disagreements: dict[str, str]
    compared: int
    seconds: dict[str, float]

    def accepted(self) -> list[str]:
        return [p for p in self.paths if self.verdicts[p].accepted]

    def failures(self) -> list[tuple[str, Outcome]]:
        """Judge-accepted files the tool crashed on or refused for no justified cause."""
        return [(p, o) for p in self.accepted() if (o := self.outcomes[p]).status != "lowered"
                and justification(p, o) is None]


def run(root: Path | None = None, seed: int = SEED, every: bool = False) -> Run:
    root = root or install()
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    paths = sample(root, seed, every)
    texts: dict[str, str] = {}
    for path in paths:
        texts[path] = (root / path).read_bytes().decode("utf-8", "surrogateescape")
    seconds["sample"] = time.perf_counter() - start

    start = time.perf_counter()
    verdicts = dict(zip(paths, judge_files([(p, texts[p]) for p in paths]), strict=True))
    seconds["judge"] = time.perf_counter() - start

    start = time.perf_counter()
    outcomes = {p: read_with_tool(p, texts[p]) for p in paths}
    seconds["tool"] = time.perf_counter() - start

    start = time.perf_counter()
    plain = [p for p in paths if extension(p) in (".js", ".cjs", ".mjs", ".jsx")
             and verdicts[p].accepted and outcomes[p].status == "lowered"]
    chosen = sorted(random.Random(seed).sample(plain, min(AGREEMENT_SAMPLE, len(plain))))
    disagreements = {}
    for path in chosen:
        found = parsers_disagree(texts[path], tool_suffix(path))
        if found:
            disagreements[path] = found
    seconds["esprima"] = time.perf_counter() - start
    return Run(paths, verdicts, outcomes, disagreements, len(chosen), seconds)


def report(result: Run) -> list[str]:
    """The measurement, as lines of text."""
    lines = []
    by_kind = Counter(extension(p) for p in result.paths)
    accepted = result.accepted()
    accepted_by_kind = Counter(extension(p) for p in accepted)
    lines.append(f"{len(result.paths)} files (seed {SEED}, files up to {MAX_BYTES} bytes)")
    lines.append("extension  sampled  judge-accepts  tool-lowers  tool-refuses  tool-crashes")
    for kind in sorted(by_kind):
        mine = [p for p in accepted if extension(p) == kind]
        status = Counter(result.outcomes[p].status for p in mine)
        lines.append(f"{kind:9}  {by_kind[kind]:7}  {accepted_by_kind[kind]:13}  "
                     f"{status['lowered']:11}  {status['refused']:12}  {status['crashed']:12}")
    status = Counter(result.outcomes[p].status for p in accepted)
    lines.append(f"{'all':9}  {len(result.paths):7}  {len(accepted):13}  {status['lowered']:11}  "
                 f"{status['refused']:12}  {status['crashed']:12}")
    rejected = [p for p in result.paths if not result.verdicts[p].accepted]
    lines.append(f"judge rejects {len(rejected)}; of those the tool lowers "
                 f"{sum(result.outcomes[p].status == 'lowered' for p in rejected)}")
    for path in rejected:
        lines.append(f"  judge rejects {path}: {result.verdicts[path].why()[:160]}"
                     f" | tool: {result.outcomes[path].status}")
    groups: dict[str, list[str]] = defaultdict(list)
    for path in accepted:
        outcome = result.outcomes[path]
        if outcome.status != "lowered":
            why = justification(path, outcome)
            key = f"justified: {why}" if why else f"{outcome.status}: {cause(outcome.reason)}"
            groups[key].append(path)
    failing = len(result.failures())
    lines.append(f"judge-accepted files the tool refuses or crashes on: "
                 f"{sum(map(len, groups.values()))}, {failing} of them for no justified cause")
    for key, paths in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        example = result.outcomes[paths[0]]
        lines.append(f"  {len(paths):4}  {key}")
        lines.append(f"        e.g. {paths[0]}: {example.reason[:100]}")
    lines.append(f"esprima/tree-sitter trees compared on {result.compared} plain JS files: "
                 f"{len(result.disagreements)} differ")
    for path, where in sorted(result.disagreements.items()):
        lines.append(f"  {path}: {where[:200]}")
    lines.append("seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in result.seconds.items()))
    return lines


if __name__ == "__main__":
    sys.stdout.write("\n".join(report(run(every="--all" in sys.argv[1:]))) + "\n")
