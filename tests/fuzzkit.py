"""What the fuzz tests and `scripts/fuzz.py` share: input generators and the safety oracle.

Every generator takes a `random.Random`, so hypothesis drives them in the default suite (with
shrinking, through `st.randoms()`) and the standalone campaign drives them with a plain seeded
generator for as long as it is given.

The oracle (`check`) states issue 4's guarantees independently of the engine's own gate:
the engine never raises; a rewrite re-parses (CPython compiles the *bytes*, so the cookie and
BOM are honoured as the interpreter would); a second pass changes nothing; a file without
Amplitude comes back byte-identical; BOM and line-ending style survive a rewrite. A rewrite the
engine's own gate refused is not a corruption (nothing would be written) but still a bug in a
migrator, so it is reported apart as "refused".

The engine's gate re-parses a JS/TS rewrite with tree-sitter, the parser that produced it, so
inside `collecting_js_rewrites()` every JS/TS rewrite is also kept, and `second_parser_breaks`
judges them all in one batch with the TypeScript compiler's parser (`judgekit`).
"""

from __future__ import annotations

import codecs
import random
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from codemod.engine import _load, language_of, migrate_source
from codemod.results import FileResult
from codemod.source import DecodeError, decode

ROOT = Path(__file__).resolve().parent.parent
BOM = codecs.BOM_UTF8


def js_ready() -> bool:
    """JS/TS properties run for real only once the engine routes `.js` to a migrator."""
    return language_of("x.js") == "javascript"


def seeds() -> list[Path]:
    """Real inputs to mutate: every fixture and the demo project, for the languages available."""
    found = sorted(ROOT.glob("fixtures/*/*/input.*")) + sorted(ROOT.glob("fixtures/demo/**/*.py"))
    return [p for p in found if language_of(p.name) is not None]


# ------------------------------------------------------------------------------------ oracle
@dataclass(frozen=True)
class Problem:
    # "crash", "corruption", "divergence" (the sliced migration differs from the whole
    # file's) or "refused" (a bad rewrite the engine's gate stopped)
    kind: str
    what: str


def _endings(data: bytes) -> set[bytes]:
    return set(re.findall(rb"\r\n|\r|\n", data))


def _reparses(output: bytes, path: str) -> str | None:
    language = language_of(path)
    assert language is not None
    try:
        decoded = decode(output, language)
    except DecodeError as exc:
        return f"output does not decode: {exc.reason}"
    error = _load(path).syntax_error(decoded.text, path)
    if error is not None:
        return error
    if language == "python":
        try:
            compile(output, path, "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as exc:
            return f"CPython: {exc}"
    return None


def _outcome(run: Callable[[], object]) -> object:
    try:
        result = run()
    except Exception as exc:
        return type(exc).__name__, str(exc)
    return (result.code, sorted(map(repr, result.changes)),  # type: ignore[attr-defined]
            sorted(map(repr, result.findings)))  # type: ignore[attr-defined]


def _sliced_differs(data: bytes, path: str) -> str | None:
    """The slicers' promise: migrating the slice equals migrating the whole file."""
    from codemod.catalogue import load_catalogue
    from codemod.js.language import migrate_js
    from codemod.options import Options
    from codemod.prefilter import may_import_amplitude_py_text
    from codemod.python import migrate as py
    from codemod.python.slicing import slice_module

    language = language_of(path)
    try:
        text = decode(data, language or "unknown").text
    except DecodeError:
        return None
    catalogue, options = load_catalogue(), Options()
    if language == "python" and may_import_amplitude_py_text(text):
        if slice_module(text) is None:
            return None
        # The engine's path, fall-backs to the whole module included, against the whole.
        sliced = _outcome(lambda: py.migrate_python(text, catalogue, options))
        whole = _outcome(lambda: py._migrate(text, catalogue, options, None))
    elif language == "javascript" and "amplitude" in text.lower():
        sliced = _outcome(lambda: migrate_js(text, path, catalogue, options, sliced=True))
        whole = _outcome(lambda: migrate_js(text, path, catalogue, options, sliced=False))
    else:
        return None
    return None if sliced == whole else "the sliced migration differs from the whole file's"


def check(data: bytes, path: str, amplitude_free: bool = False) -> tuple[FileResult | None, list[Problem]]:
    """Run the engine on `data` and list every broken guarantee.

    `amplitude_free` marks an input known not to use the SDK even though it may say
    "amplitude" (a lookalike): it must come back byte-identical, like any file that never
    mentions the word.
    """
    try:
        result = migrate_source(data, path)
    except BaseException as exc:  # the property under test: nothing escapes the engine
        return None, [Problem("crash", f"migrate_source raised {type(exc).__name__}: {exc}")]
    problems: list[Problem] = []
    if result.status == "error" and result.reason.startswith(("internal-error", "timeout")):
        problems.append(Problem("crash", result.reason))
    if result.status == "error" and result.reason.startswith(("rewrite-does-not-parse",
                                                              "rewrite-not-stable")):
        problems.append(Problem("refused", result.reason))
    # In any case: a settings name such as `AMPLITUDE_ENDPOINT` is a request to Amplitude.
    if (amplitude_free or b"amplitude" not in data.lower()) and (
        result.output is not None or result.status == "changed"
    ):
        problems.append(Problem("corruption", "a file without Amplitude was changed"))
    divergence = _sliced_differs(data, path)
    if divergence is not None:
        problems.append(Problem("divergence", divergence))
    if result.status != "changed":
        if result.output is not None:
            problems.append(Problem("corruption", f"{result.status} result carries output"))
        return result, problems
    output = result.output
    if output is None or output == data:
        problems.append(Problem("corruption", "changed without new bytes"))
        return result, problems
    if _REWRITES and language_of(path) == "javascript":
        _REWRITES[-1].append((path, data, output))
    error = _reparses(output, path)
    if error is not None:
        problems.append(Problem("corruption", f"output does not re-parse: {error}"))
    again = migrate_source(output, path)
    if again.status != "unchanged" or again.output is not None:
        problems.append(Problem(
            "corruption", f"second pass not a no-op: {again.status} {again.reason}".rstrip()))
    if data.startswith(BOM) != output.startswith(BOM):
        problems.append(Problem("corruption", "BOM added or lost"))
    before, after = _endings(data), _endings(output)
    if before and not after <= before:
        problems.append(Problem("corruption", f"line endings {sorted(after - before)} introduced"))
    return result, problems


# A stack of open `collecting_js_rewrites()` lists of (path, input, output).
_REWRITES: list[list[tuple[str, bytes, bytes]]] = []


@contextmanager
def collecting_js_rewrites() -> Iterator[list[tuple[str, bytes, bytes]]]:
    """Keep every JS/TS rewrite `check` sees while open, for one second-parser batch."""
    kept: list[tuple[str, bytes, bytes]] = []
    _REWRITES.append(kept)
    try:
        yield kept
    finally:
        _REWRITES.remove(kept)


def second_parser_breaks(rewrites: list[tuple[str, bytes, bytes]]) -> list[str]:
    """The rewrites TypeScript's parser rejects although it accepted their input, one batch."""
    from judgekit import broken_rewrites

    texts = [(path, decode(data, "javascript").text, decode(output, "javascript").text)
             for path, data, output in rewrites]
    return [f"{rewrites[i][0]}: {verdict.why()}\n--- input\n{rewrites[i][1]!r}\n"
            f"--- output\n{rewrites[i][2]!r}" for i, verdict in broken_rewrites(texts).items()]


# -------------------------------------------------------------------------------- mutations
TOKENS = [
    "(", ")", "[", "]", "{", "}", ":", ",", ".", "=", "==", "=>", ";", "\\", "#", "//", "/*", "*/",
    "'", '"', '"""', "`", "${", "\n", "\r\n", "\r", "\t", "    ", " ", "\f", "\x0b", "\u2028",
    "é", "€", "\U0001f600", "\ufeff", "lambda", "def ", "class ", "async ", "await ", "yield",
    "return", "if ", "else:", "with ", "try:", "except:", "import ", "from ", "export ", "const ",
    "function ", "new ", "this.", "self.", "None", "null", "undefined", "...", "**", "*",
    "amplitude", "Amplitude", "client", "BaseEvent(", "EventOptions(", "Identify()", ".set(",
    "track(", ".track(", "identify(", "logEvent(", "getInstance()", "user_id=", "device_id=",
    "event_properties={", "'@amplitude/analytics-browser'", "from amplitude import Amplitude\n",
    "import * as amplitude from '@amplitude/analytics-node';\n", "mixpanel", "Mixpanel(",
    "# TODO(amp2mp): ", "# -*- coding: latin-1 -*-\n", "<div>", "</div>", "<T>", " as any",
]
_TOKEN = re.compile(rb"\w+|\s+|.", re.S)


def _span(rng: random.Random, data: bytes) -> tuple[int, int]:
    start = rng.randrange(len(data) + 1)
    return start, min(len(data), start + rng.choice((1, 1, 2, 5, 20, 80)))


def _delete(rng: random.Random, data: bytes) -> bytes:
    start, end = _span(rng, data)
    return data[:start] + data[end:]


def _insert_token(rng: random.Random, data: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.choice(TOKENS).encode() + data[at:]


def _insert_bytes(rng: random.Random, data: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.randbytes(rng.choice((1, 2, 4, 16))) + data[at:]


def _swap_tokens(rng: random.Random, data: bytes) -> bytes:
    tokens = _TOKEN.findall(data)
    if len(tokens) < 2:
        return data
    i, j = rng.randrange(len(tokens)), rng.randrange(len(tokens))
    tokens[i], tokens[j] = tokens[j], tokens[i]
    return b"".join(tokens)


def _duplicate_line(rng: random.Random, data: bytes) -> bytes:
    lines = data.splitlines(keepends=True)
    if not lines:
        return data
    i = rng.randrange(len(lines))
    return b"".join([*lines[: i + 1], lines[i], *lines[i + 1 :]])


def _move_line(rng: random.Random, data: bytes) -> bytes:
    lines = data.splitlines(keepends=True)
    if len(lines) < 2:
        return data
    line = lines.pop(rng.randrange(len(lines)))
    lines.insert(rng.randrange(len(lines) + 1), line)
    return b"".join(lines)


def _reindent(rng: random.Random, data: bytes) -> bytes:
    lines = data.splitlines(keepends=True)
    if not lines:
        return data
    i = rng.randrange(len(lines))
    lines[i] = rng.choice((b"    ", b"\t", b"")) + lines[i].lstrip(b" \t")
    return b"".join(lines)


def encoding_variant(rng: random.Random, seed: Path) -> tuple[str, bytes]:
    """A seed file re-encoded: latin-1 under a cookie (Python), a BOM, or reflowed endings."""
    data = seed.read_bytes()
    variant = rng.choice(("latin-1", "bom", "endings") if seed.suffix == ".py" else ("bom", "endings"))
    if variant == "latin-1":
        return variant, latin1_variant(rng, data) or data
    if variant == "bom":
        return variant, BOM + data
    return variant, reflow_endings(rng, data)


def reflow_endings(rng: random.Random, data: bytes) -> bytes:
    lines = re.split(rb"\r\n|\r|\n", data)
    style = rng.choice((b"\r\n", b"\r", b"\n", None))
    return b"".join(
        line + ((style or rng.choice((b"\r\n", b"\n", b"\r"))) if i < len(lines) - 1 else b"")
        for i, line in enumerate(lines)
    )


def _add_bom(rng: random.Random, data: bytes) -> bytes:
    return data if data.startswith(BOM) else BOM + data


MUTATIONS: list[Callable[[random.Random, bytes], bytes]] = [
    _delete, _insert_token, _insert_bytes, _swap_tokens, _duplicate_line, _move_line,
    _reindent, reflow_endings, _add_bom,
]
# Structure-keeping mutations first in the weighting: most inputs should still parse, so the
# rewriting path (not only the syntax-error path) is what gets exercised.
WEIGHTS = [2, 3, 1, 2, 3, 2, 2, 2, 1]


def mutate(rng: random.Random, data: bytes, rounds: int | None = None) -> bytes:
    for _ in range(rounds if rounds is not None else rng.choice((1, 1, 1, 2, 3))):
        data = rng.choices(MUTATIONS, WEIGHTS)[0](rng, data)
    return data


def latin1_variant(rng: random.Random, data: bytes) -> bytes | None:
    """A Python source re-encoded as latin-1 under a cookie, with accented string contents."""
    try:
        text = data.removeprefix(BOM).decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "coding" in text.split("\n", 2)[0]:
        return None
    text = re.sub(r'"([A-Za-z ]+)"', lambda m: '"' + m.group(1) + rng.choice("éàüñç") + '"', text)
    try:
        body = text.encode("latin-1")
    except UnicodeEncodeError:
        return None
    return b"# -*- coding: latin-1 -*-\n" + body


# ------------------------------------------------------------------------ generated sources
_PY_IMPORTS = [
    "from amplitude import Amplitude, BaseEvent, EventOptions, Identify, Revenue, Config",
    "from amplitude import Amplitude, BaseEvent as Event, Identify, EventOptions, Revenue, Config",
    "import amplitude",
]
_PY_VALUES = ['"u-1"', "user.id", "uid", "None", "f'{org}-{uid}'", "get_id()", "ids[0]"]
_PY_PROPS = ['{"plan": "pro"}', "props", "{**base, \"k\": 1}", "dict(a=1)", "{}"]


def _py_call(rng: random.Random, client: str, qual: str, event: str) -> str:
    kwargs = [f"{k}={rng.choice(_PY_VALUES)}"
              for k in rng.sample(["user_id", "device_id"], rng.randint(0, 2))]
    if rng.random() < 0.5:
        kwargs.append(f"event_properties={rng.choice(_PY_PROPS)}")
    if rng.random() < 0.2:
        kwargs.append(f"user_properties={rng.choice(_PY_PROPS)}")
    if rng.random() < 0.2:
        kwargs.append('groups={"org": "acme"}')
    args = ", ".join(kwargs)
    name = rng.choice(['"Signed Up"', "'Viewed'", "EVENT", 'f"{kind} done"'])
    ident = qual + "Identify()" + "".join(
        rng.choice(['.set("a", 1)', '.set_once("b", 2)', '.add("n", 1)', '.append("t", "x")',
                    '.unset("z")', '.remove("r", 1)']) for _ in range(rng.randint(0, 3)))
    options = f"{qual}EventOptions(user_id={rng.choice(_PY_VALUES)})"
    return rng.choice([
        f"{client}.track({event}({name}, {args}))",
        f"{client}.track({event}(event_type={name}, {args}))",
        f"{client}.identify({ident}, {options})",
        f'{client}.set_group("org", "acme", {options})',
        f"{client}.flush()",
        f"{client}.shutdown()",
        f"{client}.revenue({qual}Revenue(price=9.99, quantity=2, product_id='sku'), {options})",
        f"{client}.configuration.opt_out = True",
        f"event = {event}({name}, {args})\n{client}.track(event)",
        f"helpers.send({client})",
    ])


def python_program(rng: random.Random) -> bytes:
    """A small module using amplitude-analytics in the shapes the rules (and users) write.

    `Amplitude(KEY, settings.X)` is a client the tool leaves for a human; its calls must then
    stay as they are (the first bug this generator found).
    """
    header = rng.choice(_PY_IMPORTS)
    qual = "amplitude." if header == "import amplitude" else ""
    event = "Event" if "as Event" in header else qual + "BaseEvent"
    client = rng.choice(["client", "amp", "self.client", "_analytics"])
    config = rng.choice(["", f", {qual}Config(server_zone='EU')",
                         f", {qual}Config(flush_queue_size=10)", ", settings.AMPLITUDE_CONFIG"])
    create = f'{client} = {qual}Amplitude("KEY"{config})'

    def calls(indent: str, count: int) -> list[str]:
        return [indent + _py_call(rng, client, qual, event).replace("\n", "\n" + indent)
                for _ in range(count)]

    lines = [header, "import os" if rng.random() < 0.3 else "", ""]
    if client.startswith("self."):
        lines += ["class Tracker:", "    def __init__(self):", f"        {create}", "",
                  "    def go(self, uid, user, props, base, ids, org, kind):"]
        lines += calls("        ", rng.randint(1, 4))
    else:
        lines += [create, "", "", "def handler(uid, user, props, base, ids, org, kind):",
                  "    # a comment that must survive"]
        lines += calls("    ", rng.randint(1, 4))
        if rng.random() < 0.3:
            lines += ["    if uid:", *calls("        ", 1)]
    return ("\n".join(lines) + "\n").encode()


_JS_IMPORTS = [
    ("import * as amplitude from '@amplitude/analytics-browser';", "amplitude"),
    ("import * as amplitude from '@amplitude/analytics-node';", "amplitude"),
    ("import { track, identify, init, Identify } from '@amplitude/analytics-browser';", ""),
    ("const amplitude = require('@amplitude/analytics-node');", "amplitude"),
    ("import amplitude from 'amplitude-js';", "amplitude.getInstance()"),
]


# Pieces of JavaScript string and template bodies: plain text, every escape form (a line
# continuation included), and characters that only look like escapes or delimiters.
_JS_TEXT = ["Signed Up", "a", " ", "é", "\U0001f600", "$", "{", "}", "&", "&amp;", "/", "#"]
_JS_ESCAPES = [
    "\\n", "\\t", "\\r", "\\b", "\\f", "\\v", "\\0", "\\\\", "\\x41", "\\xe9", "\\u0041",
    "\\u00e9", "\\u{1F600}", "\\u{41}", "\\ud83d\\ude00", "\\\n", "\\\r\n", "\\q", "\\$",
]


def js_string(rng: random.Random) -> str:
    """A JavaScript string literal, in either quote, whose body mixes text and escapes."""
    quote = rng.choice("'\"")
    parts = rng.choices(_JS_TEXT + _JS_ESCAPES + [f"\\{quote}"], k=rng.randint(1, 6))
    return quote + "".join(parts) + quote


def js_template(rng: random.Random, names: tuple[str, ...] = ("name", "user.id")) -> str:
    """A template literal: text, escapes (`\\``, `\\${` too) and substitutions."""
    pieces = [p for p in _JS_TEXT if p not in ("$", "{", "}")] + _JS_ESCAPES + ["\\`", "\\${"]
    body = [
        "${" + rng.choice(names) + "}" if rng.random() < 0.3 else rng.choice(pieces)
        for _ in range(rng.randint(1, 5))
    ]
    return "`" + "".join(body) + "`"


# JSX text: bare `&`s (which tree-sitter's grammars have no token for), text that only looks
# like an entity, and real entities, named and numeric.
_JSX_TEXT = [
    "Plans", " & ", "Pricing", "AT&T", "R&D", "&", "&&", "&amp;", "&#169;", "&#x41;", "&nbsp;",
    "&nbsp", "&foo;", "& more", "Terms &", "'", '"', "!", "?", "(", ")", ":", "\n  ", " ", "é",
]


def jsx_text(rng: random.Random) -> str:
    """Text between JSX tags: valid JSX (no `<`, `>`, `{` or `}`), often with an `&`."""
    return "".join(rng.choices(_JSX_TEXT, k=rng.randint(1, 6)))


def js_program(rng: random.Random, jsx: bool = False) -> bytes:
    """A small ES module or CommonJS file using one of the Amplitude JS SDKs.

    Event names and properties are strings and templates with escapes; with `jsx`, a
    component whose JSX text and attribute strings hold `&`s and entities calls the SDK too.
    """
    header, receiver = rng.choice(_JS_IMPORTS)
    dot = receiver + "." if receiver else ""
    legacy = "amplitude-js" in header
    calls = []
    for _ in range(rng.randint(1, 4)):
        name, value = js_string(rng), rng.choice([js_string(rng), js_template(rng)])
        if legacy:
            calls.append(rng.choice([
                f"{dot}logEvent('Viewed', {{ page: 1 }});",
                f"{dot}logEvent({name}, {{ label: {value} }});",
                f"{dot}setUserId(user.id);",
                f"{dot}setUserProperties({{ plan: user.plan }});",
                f"{dot}logEvent(name);",
            ]))
        else:
            ident = "Identify" if not receiver else f"{receiver}.Identify"
            calls.append(rng.choice([
                f"{dot}track('Signed Up', {{ plan: user.plan }}, {{ user_id: user.id }});",
                f"{dot}track({name}, {{ label: {value}, [{js_string(rng)}]: 1 }});",
                f"{dot}track({js_template(rng)});",
                f"{dot}track('Viewed');",
                f"{dot}track({{ event_type: 'X', user_id: user.id, event_properties: props }});",
                f"{dot}identify(new {ident}().set({name}, {value}).add('n', 2), {{ user_id: user.id }});",
                f"await {dot}track('Paid', {{ total: 3 }}).promise;",
                f"{dot}flush();",
            ]))
    init = f"{dot}init(process.env.AMPLITUDE_KEY);" if not legacy else f"{dot}init('KEY');"
    lines = [header, "", init, "", "export async function handler(user, props, name) {",
             "  // keep me"] + [f"  {c}" for c in calls] + ["}", ""]
    if jsx:
        event = rng.choice([js_string(rng), js_template(rng, ("label",))])
        title = rng.choice(["Terms & Privacy", "a=1&b=2", "&amp; &#169;", "R&D"])
        lines += [
            "export function Banner({ label }) {",
            "  return (",
            f'    <p title="{title}" onClick={{() => {dot}{"logEvent" if legacy else "track"}({event})}}>',
            f"      {jsx_text(rng)}<b>{jsx_text(rng)}</b>{jsx_text(rng)}",
            "    </p>",
            "  );",
            "}",
            "",
        ]
    return "\n".join(lines).encode()


_PY_LOOKALIKES = [
    "amplitude = 0.5 * peak",
    "wave.amplitude = compute(x)",
    "from physics import amplitude_of as amplitude",
    'label = "amplitude"',
    "# amplitude.track(BaseEvent('E')) is what we used to do",
    "def amplitude(signal):\n    return max(signal) - min(signal)",
    "class Amplitude:\n    def track(self, event):\n        return event",
    "import amplitude_tools\namplitude_tools.track(1)",
    "result = signal.amplitude.track(BaseEvent)",
]
_JS_LOOKALIKES = [
    "const amplitudeValue = 0.5 * peak;",
    "wave.amplitude = compute(x);",
    "import { amplitude } from './physics';\nexport const a = amplitude(signal);",
    "const label = 'amplitude';",
    "// amplitude.track('E') is what we used to do",
    "function amplitudeOf(signal) { return Math.max(...signal); }",
    "const result = signal.amplitude.track(event);",
]


def lookalike(rng: random.Random, language: str) -> bytes:
    """Code that says "amplitude" without using any Amplitude SDK: must not change."""
    pool = _PY_LOOKALIKES if language == "python" else _JS_LOOKALIKES
    parts = rng.sample(pool, rng.randint(1, 4))
    newline = rng.choice(["\n", "\r\n"])
    return newline.join(p.replace("\n", newline) for p in parts).encode() + newline.encode()
