"""Registers JavaScript and TypeScript with the engine.

Every dialect parses with tree-sitter; plain JavaScript it rejects gets esprima's second
opinion (see the `estree` package). `.vue` and `.html` files are migrated one `<script>`
block at a time (found by `scan_markup`, below), with an `.html` page's inline event handlers
(`handlers.py`) and a `.vue` template's expressions reading a client another module shares
by a name (`@click="$amplitude.track(...)"`, `codemod/js/shared.py`); every byte outside
those is kept. Each client is decided once for the whole file, all its pieces together. A
block that is Amplitude's CDN snippet loader is reported, not rewritten.
"""

from __future__ import annotations

import os
import re
from collections.abc import Hashable
from dataclasses import dataclass, field, replace

from ..catalogue import Catalogue
from ..clients import Client, Decision, Use, decide, with_project
from ..engine import Language, Migration, ParseFailure, Unrewritable
from ..http.javascript import may_call_amplitude_http_js, migrate_http_js
from ..options import Options
from ..results import Finding
from .ampli import NotAWrapper, ampli_row, client_reaches, looks_generated, migrate_wrapper, reaches_client
from .context import runtime_context
from .edits import Edit, apply_edits
from .estree import Parsed, ParseError, parse_js, syntax_error
from .handlers import (
    PREFIX,
    SUFFIX,
    Attribute,
    is_handler,
    names_amplitude,
    string_quote,
    unreadable,
    written,
)
from .migrate import Lines, Migrator, Result
from .shared import spelled

_MARKUP = (".vue", ".html")
# The loader snippets (amplitude-js `_iq`, 2.x `cdn.amplitude.com/script/`) are minified
# vendor code: a human swaps them for Mixpanel's snippet.
_LOADER = re.compile(r"cdn\.amplitude\.com|\b_iq\s*:\s*\{\}")
_INIT = re.compile(r"\.init\s*\(")
_JAVASCRIPT_URL = re.compile(r"\s*javascript:", re.IGNORECASE)
# A `<script src>` of the site itself (not an absolute or protocol-relative URL).
_LOCAL_SCRIPT = re.compile(r"""<script\b[^>]*?\bsrc\s*=\s*["']?(?![a-z][a-z0-9+.-]*:|//)([^"'\s>]+)""",
                           re.IGNORECASE)


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
    """The JavaScript/TypeScript inside each `<script>` of a Vue or HTML file, in order."""
    return scan_markup(text)[0]


def scan_markup(text: str) -> tuple[list[ScriptBlock], list[Attribute]]:
    """Each `<script>` block of a Vue or HTML file, and every attribute of every start tag
    (an HTML page's `onclick` handlers are code too: `codemod/js/handlers.py`).

    A small scanner, not an HTML parser: it skips `<!-- -->` comments and the raw text of
    `<style>`, `<textarea>` and `<title>`, reads attributes in either quote style, and ends a
    script at the first `</script` (as browsers do). Data blocks (`type="application/json"`,
    templates), unknown `lang`s and `src=` scripts with an empty body are left out. Of an
    attribute named twice in one tag only the first counts, as in browsers.
    """
    blocks: list[ScriptBlock] = []
    attributes: list[Attribute] = []
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
        found, gt, self_closing = _read_attributes(text, match.end())
        if gt < 0:
            break
        index = gt + 1
        if match[1]:
            continue
        attributes += found
        attrs = {a.name: text[a.start : a.end] if a.start < a.end or a.quote else None
                 for a in found}
        if name in _RAW_TEXT_TAGS and not self_closing:
            index = _find_close(text, name, index)[1]
        elif name == "script" and not self_closing:
            body_end, index = _find_close(text, "script", index)
            block = _script_block(gt + 1, body_end, attrs, text)
            if block is not None:
                blocks.append(block)
    return blocks, attributes


def _read_attributes(text: str, index: int) -> tuple[list[Attribute], int, bool]:
    """Attributes up to the tag's `>` (the first of each name): (attributes, index of `>`
    or -1, whether it ended `/>`)."""
    found: dict[str, Attribute] = {}
    length = len(text)
    while index < length:
        char = text[index]
        if char == ">":
            return list(found.values()), index, text[index - 1] == "/"
        if char.isspace() or char == "/":
            index += 1
            continue
        match = _ATTRIBUTE.match(text, index)
        if match is None or match.end() == index:
            index += 1
            continue
        group = next((g for g in (2, 3, 4) if match[g] is not None), None)
        if group is None:
            start = end = match.end()
        else:
            start, end = match.span(group)
        quote = {2: '"', 3: "'"}.get(group or 0, "")
        found.setdefault(match[1].lower(), Attribute(match[1].lower(), start, end, quote))
        index = match.end()
    return list(found.values()), -1, False


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


@dataclass
class _Piece:
    """One piece of a file's code as first planned: a `<script>` block (or the whole file),
    an HTML handler's body or a Vue template's expression, whose text `chunk` starts at
    `base` in the file (before it, for a handler: `handlers.PREFIX` is not in the file). Code
    in an attribute gets no TODO comment (no line comment fits there), and the strings it
    writes take `quote`, which does not end the attribute."""

    chunk: str
    base: int
    parsed: Parsed
    loaders: list[list[int]]
    handler: Attribute | None = None
    quote: str | None = None
    in_attribute: bool = False
    migrator: Migrator = field(init=False)  # the first plan's, which finds the uses
    result: Result = field(default_factory=Result)


def migrate_js(
    text: str, path: str, catalogue: Catalogue, options: Options, *, sliced: bool = True
) -> Migration:
    """One file's migration; `sliced=False` lowers every statement (the tests compare).

    Every piece of the file is planned first; then each client is decided once for the whole
    file (an HTML page: its scripts and its handlers, `codemod/js/handlers.py`), and the
    pieces using a client that is held are planned again holding it back.
    """
    lines = Lines(text)
    newline = _newline(text)
    total = Result()
    markup = os.path.splitext(path)[1].lower() in _MARKUP
    context = runtime_context(path, text, options.facts)
    page = os.path.splitext(path)[1].lower() == ".html"  # no bundler defines its variables
    shared = any(f.module for f in options.clients)  # reads another module's client

    def migrator(piece: _Piece, decision: Decision | None = None) -> Migrator:
        return Migrator(piece.parsed.program, piece.chunk, piece.base, lines, newline, catalogue,
                        replace(options, todo_comments=False) if piece.in_attribute else options,
                        typed=piece.parsed.dialect != "js", skip=piece.loaders, decision=decision,
                        context=context, page=page, page_text=text if page else None,
                        quote=piece.quote)

    pieces: list[_Piece] = []
    chunks = _chunks(text, path)
    for start, end, suffix in chunks:
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
        piece = _Piece(chunk, start, parsed, loaders)
        piece.migrator = migrator(piece)
        piece.result = piece.migrator.run()
        pieces.append(piece)
        if may_call_amplitude_http_js(chunk):
            _migrate_http(chunk, start, suffix, lines, newline, catalogue, options, sliced, total)
    blocked: list[tuple[int, frozenset[Hashable] | None, str]] = []
    if page:
        for piece in _plan_handlers(text, lines, blocked, total):
            piece.migrator = migrator(piece)
            piece.result = piece.migrator.run()
            blocker = _handler_blocker(text, piece)
            if blocker is not None:
                assert piece.handler is not None
                line = lines.line(piece.handler.start)
                blocked.append((line, *blocker))
                total.findings.append(Finding(line, "JS-UNRESOLVED", None, "manual", blocker[1]))
            pieces.append(piece)
    # What the rules read: the scripts and the handlers; then the template's expressions.
    followed = [(start, end) for start, end, _ in chunks] + [
        (p.handler.start, p.handler.end) for p in pieces if p.handler is not None]
    if markup:
        for start, end, quote in _template_expressions(text, followed, options):
            parsed = parse_js(text[start:end], ".js", sliced=False)
            if isinstance(parsed, ParseError):
                continue  # a read in it holds its client (`_template_reads`)
            followed.append((start, end))
            piece = _Piece(text[start:end], start, parsed, [], quote=_OTHER[quote],
                           in_attribute=True)
            piece.migrator = migrator(piece)
            piece.result = piece.migrator.run()
            pieces.append(piece)
    # All or nothing per client (`codemod/clients.py`): plan again holding back each
    # client with a use that has no rewrite, or that the project plan holds.
    merged = _merged(pieces, blocked)
    decision = with_project(decide(merged), merged)
    for piece in pieces:
        result = piece.result
        own = piece.migrator.uses
        if decision.held & own.keys():
            result = migrator(piece, _view(decision, own)).run()
        if piece.handler is not None:
            edits = written(text, piece.handler, piece.chunk, result.edits)
            if edits is None:  # planned writable above, and a held plan only drops edits
                raise Unrewritable(f"line {lines.line(piece.handler.start)}: a migrated "
                                   f"{piece.handler.name} attribute could not be written back")
            total.edits += edits
            result.findings = _page_snippet(result.findings, total.findings, lines, piece)
        else:
            total.edits += [Edit(e.start + piece.base, e.end + piece.base, e.replacement)
                            for e in result.edits]
        total.changes += result.changes
        total.findings += result.findings
    total.findings += decision.findings
    if page:
        _report_shared_window(text, pieces, lines, total)
    clients: list[Client] = list(merged)
    if markup:
        _report_loader_tags(text, lines, total)
        clients += _template_reads(text, lines, options, followed)
    return Migration(apply_edits(text, total.edits), total.changes, total.findings, clients)


_OTHER = {'"': "'", "'": '"'}  # the quote a string inside an attribute's value takes
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


def _plan_handlers(text: str, lines: Lines,
                   blocked: list[tuple[int, frozenset[Hashable] | None, str]],
                   total: Result) -> list[_Piece]:
    """The page's handlers that name Amplitude, parsed as function bodies; one that cannot be
    read blocks every client of the page (which it calls cannot be known), and so does a
    `javascript:` URL naming Amplitude (`href="javascript:amplitude..."`), which no rule
    rewrites."""
    found: list[_Piece] = []
    for attribute in scan_markup(text)[1]:
        value = text[attribute.start : attribute.end]
        if "amplitude" not in value.lower():
            continue
        url = _JAVASCRIPT_URL.match(value) is not None
        if not (url or is_handler(attribute)):
            continue
        line = lines.line(attribute.start)
        why = "is a javascript: URL, which the tool does not rewrite" if url else unreadable(value)
        parsed = parse_js(PREFIX + value + SUFFIX, ".js", sliced=False) if why is None else None
        if isinstance(parsed, ParseError):
            why = "does not parse as the body of a JavaScript function"
        if why is not None or not isinstance(parsed, Parsed):
            message = (f"this {attribute.name} attribute calls Amplitude but {why}: the page's "
                       "Amplitude client stays with it; migrate it by hand")
            blocked.append((line, None, message))
            total.findings.append(Finding(line, "JS-UNRESOLVED", None, "manual", message))
            continue
        found.append(_Piece(PREFIX + value + SUFFIX, attribute.start - len(PREFIX), parsed, [],
                            attribute, string_quote(attribute), in_attribute=True))
    return found


def _handler_blocker(text: str, piece: _Piece) -> tuple[frozenset[Hashable] | None, str] | None:
    """Why a planned handler holds clients of the page (which ones: None for all of them), or
    None when its plan can be written as it is."""
    handler = piece.handler
    assert handler is not None
    if written(text, handler, piece.chunk, piece.result.edits) is None:
        return frozenset(piece.migrator.uses), (
            f"this {handler.name} attribute's rewrite cannot be written in its "
            f"{'unquoted value' if not handler.quote else 'quotes'} so that the browser reads "
            "it back exactly: the page's Amplitude client stays with it; migrate it by hand")
    if not any(f.severity == "manual" for f in piece.result.findings) and names_amplitude(
            piece.chunk, piece.result.edits):
        return None, (f"this {handler.name} attribute names Amplitude where no rule follows it "
                      "(the global tested, passed on or stored): the page's Amplitude client "
                      "stays with it; migrate it by hand")
    return None


def _merged(pieces: list[_Piece],
            blocked: list[tuple[int, frozenset[Hashable] | None, str]]) -> list[Client]:
    """The file's clients, each with its uses in every piece (a script's creation or init
    names it first), and each blocking handler a use with no rewrite of the clients it
    reaches (all of them when it could not be read)."""
    clients: dict[Hashable, Client] = {}
    for piece in sorted(pieces, key=lambda p: p.handler is not None):
        for key, client in piece.migrator.uses.items():
            found = clients.setdefault(key, Client(key, client.name, client.line, fact=client.fact))
            found.uses += client.uses
            found.fact = found.fact or client.fact
    for line, keys, why in blocked:
        for key, client in clients.items():
            if keys is None or key in keys:
                client.uses.append(Use(line, why))
    return list(clients.values())


def _view(decision: Decision, uses: dict[Hashable, Client]) -> Decision:
    """The file's decision as one piece plans with it: every held client, with the uses of
    that piece (its blockers are reported where they are; the client's own finding once)."""
    return Decision(decision.held, (), {
        key: Client(key, held.name, held.line, list(uses[key].uses), held.fact)
        for key, held in decision.clients.items() if key in uses})


def _page_snippet(findings: list[Finding], said: list[Finding], lines: Lines,
                  piece: _Piece) -> list[Finding]:
    """A handler's note that the page loads Amplitude's snippet, on the handler's line, and
    only when nothing of the page said so already."""
    assert piece.handler is not None
    kept: list[Finding] = []
    for finding in findings:
        if finding.rule == "JS-SNIPPET" and finding.severity == "review":
            if any(f.rule == "JS-SNIPPET" for f in [*said, *kept]):
                continue
            finding = replace(finding, line=lines.line(piece.handler.start))
        kept.append(finding)
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


def _report_shared_window(text: str, pieces: list[_Piece], lines: Lines, total: Result) -> None:
    """A page calling the snippet global without initialising it, that loads scripts of its
    own: one of them initialises it, and is migrated on its own (`handlers.py`). A global the
    project plan follows to the module setting it (`window.amplitude = amplitude`) is decided
    with that module, and needs no such review."""
    snippet = any(client.fact is None for p in pieces for client in p.migrator.uses.values())
    if not snippet or any(_INIT.search(p.chunk) for p in pieces):
        return
    for match in _LOCAL_SCRIPT.finditer(text):
        if "amplitude" in match[1].lower():
            continue  # Amplitude's own bundle: `_report_loader_tags`
        total.findings.append(Finding(
            lines.line(match.start()), "JS-SNIPPET", None, "review",
            "this page calls Amplitude's snippet global without initialising it, and loads "
            f"{match[1]}, which shares its window and is migrated on its own: check that the "
            "init there and the calls here end on the same SDK"))


def _report_loader_tags(text: str, lines: Lines, total: Result) -> None:
    """`<script src="https://cdn.amplitude.com/...">` tags carry no code but must be swapped."""
    for match in re.finditer(r"<script[^>]*\bsrc\s*=\s*[\"'][^\"']*amplitude[^\"']*[\"']", text, re.I):
        total.findings.append(Finding(lines.line(match.start()), "JS-SNIPPET", None, "manual",
                                      "a <script> loads Amplitude from its CDN: load Mixpanel's "
                                      "snippet instead"))


LANGUAGE = Language(name="javascript", migrate=migrate_js, syntax_error=_syntax_error)
