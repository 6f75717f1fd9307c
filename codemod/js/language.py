"""Registers JavaScript and TypeScript with the engine.

Every dialect parses with tree-sitter; plain JavaScript it rejects gets esprima's second
opinion (see the `estree` package). `.vue` and `.html` files are migrated one `<script>`
block at a time (found by `extract_script_blocks`, below) and every byte outside those
blocks is kept, but for a `.vue` template's expressions reading a client another module
shares by a name (`@click="$amplitude.track(...)"`, `codemod/js/shared.py`), each migrated
as a script of its own. A block that is Amplitude's CDN snippet loader is reported, not
rewritten.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial

from ..catalogue import Catalogue
from ..clients import Client, Decision, Use, decide, with_project
from ..engine import Language, Migration, ParseFailure
from ..http.javascript import may_call_amplitude_http_js, migrate_http_js
from ..options import Options
from ..results import Finding
from .ampli import NotAWrapper, ampli_row, client_reaches, looks_generated, migrate_wrapper, reaches_client
from .context import runtime_context
from .edits import Edit, apply_edits
from .estree import Node, ParseError, parse_js, syntax_error
from .migrate import Lines, Migrator, Result
from .shared import spelled

_MARKUP = (".vue", ".html")
# The loader snippets (amplitude-js `_iq`, 2.x `cdn.amplitude.com/script/`) are minified
# vendor code: a human swaps them for Mixpanel's snippet.
_LOADER = re.compile(r"cdn\.amplitude\.com|\b_iq\s*:\s*\{\}")


def _newline(text: str) -> str:
    match = re.search(r"\r\n|\r|\n", text)
    return match.group(0) if match else "\n"


# --------------------------------------------------------------------------------------
# <script> blocks in .vue and .html files


@dataclass(frozen=True)
class ScriptBlock:
    """The code of one `<script>`: `text[start:end]`, in dialect `lang` ("js"/"jsx"/"ts"/"tsx").

    `attrs` maps lower-cased attribute names to values (None for bare attributes such as
    `setup`). `suffix` is what `parse_js` needs for the block.
    """

    start: int
    end: int
    lang: str
    attrs: dict[str, str | None] = field(default_factory=dict)

    @property
    def suffix(self) -> str:
        return "." + self.lang


_JS_TYPES = frozenset(
    {
        "",
        "module",
        "text/javascript",
        "application/javascript",
        "text/ecmascript",
        "application/ecmascript",
        "application/x-javascript",
        "text/jsx",
        "text/babel",
        "text/typescript",
        "application/typescript",
        "text/tsx",
    }
)
_LANGS = {
    "js": "js",
    "javascript": "js",
    "jsx": "jsx",
    "ts": "ts",
    "typescript": "ts",
    "tsx": "tsx",
}
_TYPE_LANGS = {
    "text/jsx": "jsx",
    "text/babel": "jsx",
    "text/typescript": "ts",
    "application/typescript": "ts",
    "text/tsx": "tsx",
}
_RAW_TEXT_TAGS = ("style", "textarea", "title")
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)")
_ATTRIBUTE = re.compile(
    r"""\s*([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?"""
)


def extract_script_blocks(text: str) -> list[ScriptBlock]:
    """The JavaScript/TypeScript inside each `<script>` of a Vue or HTML file, in order.

    A small scanner, not an HTML parser: it skips `<!-- -->` comments and the raw text of
    `<style>`, `<textarea>` and `<title>`, reads attributes in either quote style, and ends a
    script at the first `</script` (as browsers do). Data blocks (`type="application/json"`,
    templates), unknown `lang`s and `src=` scripts with an empty body are left out.
    """
    blocks: list[ScriptBlock] = []
    index = 0
    length = len(text)
    while index < length:
        lt = text.find("<", index)
        if lt < 0:
            break
        if text.startswith("<!--", lt):
            close = text.find("-->", lt + 4)
            index = length if close < 0 else close + 3
            continue
        match = _TAG_NAME.match(text, lt)
        if match is None:
            index = lt + 1
            continue
        name = match[2].lower()
        attrs, gt, self_closing = _read_attributes(text, match.end())
        if gt < 0:
            break
        index = gt + 1
        if match[1]:
            continue
        if name in _RAW_TEXT_TAGS and not self_closing:
            index = _find_close(text, name, index)[1]
        elif name == "script" and not self_closing:
            body_end, index = _find_close(text, "script", index)
            block = _script_block(gt + 1, body_end, attrs, text)
            if block is not None:
                blocks.append(block)
    return blocks


def _read_attributes(text: str, index: int) -> tuple[dict[str, str | None], int, bool]:
    """Attributes up to the tag's `>`: (attrs, index of `>` or -1, whether it ended `/>`)."""
    attrs: dict[str, str | None] = {}
    length = len(text)
    while index < length:
        char = text[index]
        if char == ">":
            return attrs, index, text[index - 1] == "/"
        if char.isspace() or char == "/":
            index += 1
            continue
        match = _ATTRIBUTE.match(text, index)
        if match is None or match.end() == index:
            index += 1
            continue
        value = match[2] if match[2] is not None else match[3] if match[3] is not None else match[4]
        attrs.setdefault(match[1].lower(), value)
        index = match.end()
    return attrs, -1, False


def _find_close(text: str, name: str, index: int) -> tuple[int, int]:
    """(start of `</name`, index after its `>`), or the end of the text when unclosed."""
    pattern = re.compile(rf"</{name}(?=[\s/>])", re.IGNORECASE)
    match = pattern.search(text, index)
    if match is None:
        return len(text), len(text)
    gt = text.find(">", match.end())
    return match.start(), len(text) if gt < 0 else gt + 1


def _script_block(
    start: int, end: int, attrs: dict[str, str | None], text: str
) -> ScriptBlock | None:
    script_type = (attrs.get("type") or "").strip().lower()
    if script_type not in _JS_TYPES:
        return None
    if "src" in attrs and not text[start:end].strip():
        return None
    lang_attr = (attrs.get("lang") or "").strip().lower()
    lang = _LANGS.get(lang_attr) if lang_attr else _TYPE_LANGS.get(script_type, "js")
    if lang is None:
        return None
    return ScriptBlock(start, end, lang, attrs)


# --------------------------------------------------------------------------------------
# Chunks, syntax and migration


def _chunks(text: str, path: str) -> list[tuple[int, int, str]]:
    """(start, end, suffix) of each piece of code in the file."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix in _MARKUP:
        return [(b.start, b.end, b.suffix) for b in extract_script_blocks(text)]
    return [(0, len(text), suffix)]


def _template_reads(text: str, lines: Lines, options: Options,
                    followed: list[tuple[int, int]]) -> list[Client]:
    """A markup file's reads of a client shared by a name outside the code it migrated (its
    scripts, the template expressions that parse): each holds the client in every module
    (its line is reported as a LEFTOVER)."""
    found: list[Client] = []
    for fact in options.clients:
        if not (fact.module and fact.injected):
            continue
        client = Client(("shared", fact.module, fact.name), fact.name, 0, fact=fact)
        for match in spelled(fact.injected).finditer(text):
            if not any(start <= match.start() < end for start, end in followed):
                client.uses.append(Use(lines.line(match.start()), (
                    f"{fact.name} is read outside a script where the tool cannot follow it (a "
                    "template expression it cannot parse, plain text); call a method of the "
                    "component there instead")))
        if client.uses:
            found.append(client)
    return found


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
    context = runtime_context(path, text, options.facts)
    page = os.path.splitext(path)[1].lower() == ".html"  # no bundler defines its variables
    shared = any(f.module for f in options.clients)  # reads another module's client
    clients: list[Client] = []
    for start, end, suffix in _chunks(text, path):
        chunk = text[start:end]
        if reaches_client(chunk):
            parsed = parse_js(chunk, suffix, sliced=False)
            if not isinstance(parsed, ParseError):
                first = lines.line(start) - 1
                total.findings += [replace(f, line=f.line + first)
                                   for f in client_reaches(parsed.program, chunk, catalogue)]
        if "amplitude" not in chunk.lower() and not shared:
            continue
        if looks_generated(chunk) and _migrate_wrapper(chunk, start, suffix, lines, newline,
                                                        catalogue, options, total):
            continue
        # The slicer's seeds are the module's own Amplitude names: a module reading another
        # module's client is lowered whole.
        parsed = parse_js(chunk, suffix, sliced=sliced and not shared)
        if isinstance(parsed, ParseError):
            raise ParseFailure(f"line {parsed.line}:{parsed.column}: {parsed.message}")
        loaders = [s["range"] for s in parsed.program["body"]
                   if _LOADER.search(chunk[s["range"][0] : s["range"][1]])]
        for loader_start, _ in loaders:
            total.findings.append(Finding(
                lines.line(start + loader_start), "JS-SNIPPET", None, "manual",
                "Amplitude's snippet loader: replace it with the Mixpanel snippet"))
        def migrator(decision: Decision | None, program: Node = parsed.program, code: str = chunk,
                     base: int = start, typed: bool = parsed.dialect != "js",
                     skip: list[list[int]] = loaders) -> Migrator:
            return Migrator(program, code, base, lines, newline, catalogue, options, typed=typed,
                            skip=skip, decision=decision, context=context, page=page)

        clients += _migrate_chunk(migrator, start, total)
        if may_call_amplitude_http_js(chunk):
            _migrate_http(chunk, start, suffix, lines, newline, catalogue, options, sliced, total)
    if markup:
        _report_loader_tags(text, lines, total)
        followed = [(start, end) for start, end, _ in _chunks(text, path)]
        for start, end, quote in _template_expressions(text, followed, options):
            parsed = parse_js(text[start:end], ".js", sliced=False)
            if isinstance(parsed, ParseError):
                continue  # a read in it holds its client (`_template_reads`)
            followed.append((start, end))
            clients += _migrate_chunk(partial(_template_migrator, parsed.program, text[start:end],
                                              start, lines, newline, catalogue, options, quote),
                                      start, total)
        clients += _template_reads(text, lines, options, followed)
    return Migration(apply_edits(text, total.edits), total.changes, total.findings, clients)


def _migrate_chunk(migrator: Callable[[Decision | None], Migrator], start: int,
                   total: Result) -> list[Client]:
    """One piece of code migrated into `total`; its clients (their uses as planned)."""
    first = migrator(None)
    result = first.run()
    # All or nothing per client (`codemod/clients.py`): plan again holding back each
    # client with a use that has no rewrite, or that the project plan holds.
    decision = with_project(decide(first.uses.values()), first.uses.values())
    if decision.held:
        result = migrator(decision).run()
        result.findings += decision.findings
    total.edits += [Edit(e.start + start, e.end + start, e.replacement) for e in result.edits]
    total.changes += result.changes
    total.findings += result.findings
    return list(first.uses.values())


def _template_migrator(program: Node, chunk: str, start: int, lines: Lines, newline: str,
                       catalogue: Catalogue, options: Options, quote: str,
                       decision: Decision | None) -> Migrator:
    """A migrator of one template expression: no line comment fits in an attribute, and a
    string it writes takes the quote the attribute does not."""
    migrator = Migrator(program, chunk, start, lines, newline, catalogue,
                        replace(options, todo_comments=False), decision=decision)
    migrator.src.quote = "'" if quote == '"' else '"'
    return migrator


# A Vue directive's value (`@click="..."`, `v-on:click`, `:title`, `v-if`) or an interpolation.
_DIRECTIVE = re.compile(r"""\s(?:v-[\w-]+(?::[^\s=>]+)?|[@:#][^\s=>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_MUSTACHE = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)


def _template_expressions(text: str, scripts: list[tuple[int, int]],
                          options: Options) -> list[tuple[int, int, str]]:
    """(start, end, the quote around it) of each template expression outside `scripts` that
    reads a client another module shares by a name (`$amplitude`); Vue evaluates it on the
    component, as `this.$amplitude` in a script."""
    keys = [spelled(f.injected) for f in options.clients if f.module and f.injected]
    found: list[tuple[int, int, str]] = []
    for pattern in (_DIRECTIVE, _MUSTACHE):
        for match in pattern.finditer(text):
            group = next(g for g in range(1, (pattern.groups or 0) + 1) if match[g] is not None)
            start, end = match.span(group)
            if any(s <= start < e for s, e in scripts) or not any(
                    key.search(text, start, end) for key in keys):
                continue
            quote = text[start - 1] if pattern is _DIRECTIVE else '"'
            found.append((start, end, quote))
    kept: list[tuple[int, int, str]] = []
    for expression in sorted(found):  # `{{ }}` inside an attribute's value is the attribute's
        if not kept or expression[0] >= kept[-1][1]:
            kept.append(expression)
    return kept


def _migrate_wrapper(chunk: str, start: int, suffix: str, lines: Lines, newline: str,
                     catalogue: Catalogue, options: Options, total: Result) -> bool:
    """An Ampli wrapper's plumbing, migrated whole (`codemod/js/ampli.py`); False when the
    file is not one of a known shape, which the normal rules then migrate (AX02 says why)."""
    parsed = parse_js(chunk, suffix, sliced=False)
    if isinstance(parsed, ParseError) or (
        ampli_row(catalogue, "ampli-wrapper") in options.disabled_rules
    ):
        return False
    try:
        wrapped = migrate_wrapper(parsed.program, chunk, lambda pos: lines.line(start + pos),
                                  catalogue, options, newline, parsed.dialect != "js")
    except NotAWrapper as exc:
        total.findings.append(Finding(lines.line(start), ampli_row(catalogue, "ampli-hand-edited"),
                                      None, "review", "an Ampli-generated file not migrated as a "
                                      f"wrapper: {exc}; the normal rules handle it"))
        return False
    total.edits += [Edit(e.start + start, e.end + start, e.replacement) for e in wrapped.edits]
    total.changes += wrapped.changes
    total.findings += wrapped.findings
    return True


def _migrate_http(chunk: str, start: int, suffix: str, lines: Lines, newline: str,
                  catalogue: Catalogue, options: Options, sliced: bool, total: Result) -> None:
    """Requests to Amplitude's HTTP APIs (`codemod/http/javascript.py`), on every statement."""
    parsed = parse_js(chunk, suffix, sliced=False) if sliced else parse_js(chunk, suffix)
    if isinstance(parsed, ParseError):
        raise ParseFailure(f"line {parsed.line}:{parsed.column}: {parsed.message}")
    http = migrate_http_js(parsed.program, chunk, lambda pos: lines.line(start + pos), catalogue,
                           options, parsed.dialect != "js", newline)
    total.edits += [Edit(e.start + start, e.end + start, e.replacement) for e in http.edits]
    total.changes += http.changes
    total.findings += http.findings


def _report_loader_tags(text: str, lines: Lines, total: Result) -> None:
    """`<script src="https://cdn.amplitude.com/...">` tags carry no code but must be swapped."""
    for match in re.finditer(r"<script[^>]*\bsrc\s*=\s*[\"'][^\"']*amplitude[^\"']*[\"']", text, re.I):
        total.findings.append(Finding(lines.line(match.start()), "JS-SNIPPET", None, "manual",
                                      "a <script> loads Amplitude from its CDN: load Mixpanel's "
                                      "snippet instead"))


LANGUAGE = Language(name="javascript", migrate=migrate_js, syntax_error=_syntax_error)
