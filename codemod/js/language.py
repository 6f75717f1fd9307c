"""Registers JavaScript and TypeScript with the engine.

Every dialect parses with tree-sitter; plain JavaScript it rejects gets esprima's second
opinion (see `parse.py`). `.vue` and
`.html` files are migrated one `<script>` block at a time and every byte outside those
blocks is kept. A block that is Amplitude's CDN snippet loader is reported, not rewritten.
"""

from __future__ import annotations

import os
import re

from ..catalogue import Catalogue
from ..engine import Language, Migration, ParseFailure
from ..options import Options
from ..results import Finding
from .edits import Edit, apply_edits
from .migrate import Lines, Migrator, Result
from .parse import ParseError, extract_script_blocks, parse_js, syntax_error

_MARKUP = (".vue", ".html")
# The loader snippets (amplitude-js `_iq`, 2.x `cdn.amplitude.com/script/`) are minified
# vendor code: a human swaps them for Mixpanel's snippet.
_LOADER = re.compile(r"cdn\.amplitude\.com|\b_iq\s*:\s*\{\}")


def _newline(text: str) -> str:
    match = re.search(r"\r\n|\r|\n", text)
    return match.group(0) if match else "\n"


def _chunks(text: str, path: str) -> list[tuple[int, int, str]]:
    """(start, end, suffix) of each piece of code in the file."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix in _MARKUP:
        return [(b.start, b.end, b.suffix) for b in extract_script_blocks(text)]
    return [(0, len(text), suffix)]


def _syntax_error(text: str, path: str) -> str | None:
    for start, end, suffix in _chunks(text, path):
        result = syntax_error(text[start:end], suffix)
        if result is not None:
            if start:
                base = text.count("\n", 0, start)
                return f"line {result.line + base}:{result.column}: {result.message}"
            return f"line {result.line}:{result.column}: {result.message}"
    return None


def migrate_js(
    text: str, path: str, catalogue: Catalogue, options: Options, *, sliced: bool = True
) -> Migration:
    """One file's migration; `sliced=False` lowers every statement (the tests compare)."""
    lines = Lines(text)
    newline = _newline(text)
    total = Result()
    markup = os.path.splitext(path)[1].lower() in _MARKUP
    for start, end, suffix in _chunks(text, path):
        chunk = text[start:end]
        if "amplitude" not in chunk.lower():
            continue
        parsed = parse_js(chunk, suffix, sliced=sliced)
        if isinstance(parsed, ParseError):
            raise ParseFailure(f"line {parsed.line}:{parsed.column}: {parsed.message}")
        loaders = [s["range"] for s in parsed.program["body"]
                   if _LOADER.search(chunk[s["range"][0] : s["range"][1]])]
        for loader_start, _ in loaders:
            total.findings.append(Finding(
                lines.line(start + loader_start), "JS-SNIPPET", None, "manual",
                "Amplitude's snippet loader: replace it with the Mixpanel snippet"))
        result = Migrator(parsed.program, chunk, start, lines, newline, catalogue, options,
                          typed=parsed.dialect != "js", skip=loaders).run()
        total.edits += [Edit(e.start + start, e.end + start, e.replacement) for e in result.edits]
        total.changes += result.changes
        total.findings += result.findings
    if markup:
        _report_loader_tags(text, lines, total)
    return Migration(apply_edits(text, total.edits), total.changes, total.findings)


def _report_loader_tags(text: str, lines: Lines, total: Result) -> None:
    """`<script src="https://cdn.amplitude.com/...">` tags carry no code but must be swapped."""
    for match in re.finditer(r"<script[^>]*\bsrc\s*=\s*[\"'][^\"']*amplitude[^\"']*[\"']", text, re.I):
        total.findings.append(Finding(lines.line(match.start()), "JS-SNIPPET", None, "manual",
                                      "a <script> loads Amplitude from its CDN: load Mixpanel's "
                                      "snippet instead"))


LANGUAGE = Language(name="javascript", migrate=migrate_js, syntax_error=_syntax_error)
