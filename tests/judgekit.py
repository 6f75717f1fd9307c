"""A second parser for what the tool reads and writes: the TypeScript compiler's parser.

tree-sitter is lenient in places (a lone `export` reads as an identifier, no ERROR node), so
a tree-sitter re-parse alone can pass output that TypeScript, Node and Babel reject. The
pinned `typescript` and `@babel/parser` (`judge/package-lock.json`) judge a whole batch of
sources in one node process (`judge/judge.js`): `ts.createSourceFile(..., ScriptKind)` and
its `parseDiagnostics`, plus Babel (`jsx` plugin) for JavaScript. `.vue` and `.html` files are
judged by their `<script>` blocks, as the tool reads them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from npmkit import npm_ci

from codemod.js.language import extract_script_blocks

JUDGE = Path(__file__).resolve().parent / "judge"
MARKUP = (".vue", ".html")


@dataclass(frozen=True)
class Verdict:
    """The diagnostics of one source: TypeScript's, and Babel's (None: not JavaScript)."""

    typescript: tuple[str, ...]
    babel: tuple[str, ...] | None

    @property
    def accepted(self) -> bool:
        """Both parsers that judged it read it without a diagnostic."""
        return not self.typescript and not self.babel

    def why(self) -> str:
        return "; ".join([*self.typescript, *(f"babel {d}" for d in self.babel or ())])


def pieces(name: str, text: str) -> list[tuple[str, str]]:
    """(name, code) to judge for a file: itself, or each `<script>` block of a .vue/.html.

    A block's name ends with its dialect (`App.vue#2.ts`) so the judge picks the same one.
    """
    suffix = os.path.splitext(name)[1].lower()
    if suffix not in MARKUP:
        return [(name, text)]
    return [(f"{name}#{i}{b.suffix}", text[b.start : b.end])
            for i, b in enumerate(extract_script_blocks(text))]


def judge(sources: list[tuple[str, str]]) -> list[Verdict]:
    """One verdict per (name, code), from one node process for the whole batch."""
    if not sources:
        return []
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is not installed: the second parser needs Node.js on PATH")
    npm_ci(JUDGE)
    done = subprocess.run(
        [node, str(JUDGE / "judge.js")], input=json.dumps(sources), capture_output=True,
        text=True, encoding="utf-8", errors="surrogatepass", timeout=600, check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"judge.js failed:\n{done.stderr}")
    return [Verdict(tuple(v["ts"]), None if v["babel"] is None else tuple(v["babel"]))
            for v in json.loads(done.stdout)]


def judge_files(files: list[tuple[str, str]]) -> list[Verdict]:
    """One verdict per (name, text) file; a .vue/.html is accepted when all its blocks are."""
    split = [pieces(name, text) for name, text in files]
    flat = judge([piece for file in split for piece in file])
    verdicts: list[Verdict] = []
    index = 0
    for file in split:
        mine = flat[index : index + len(file)]
        index += len(file)
        verdicts.append(Verdict(
            tuple(d for v in mine for d in v.typescript),
            None if all(v.babel is None for v in mine)
            else tuple(d for v in mine for d in v.babel or ()),
        ))
    return verdicts


def broken_rewrites(rewrites: list[tuple[str, str, str]]) -> dict[int, Verdict]:
    """Of (name, input, output) rewrites, those whose output the judge rejects although it
    accepted the input: index -> the output's verdict. One node process for the batch."""
    verdicts = judge_files([(name, text) for name, *texts in rewrites for text in texts])
    return {
        index: verdicts[2 * index + 1]
        for index in range(len(rewrites))
        if verdicts[2 * index].accepted and not verdicts[2 * index + 1].accepted
    }
