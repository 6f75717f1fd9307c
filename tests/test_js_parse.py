"""The JS/TS parsing layer: both parsers give the same ESTree dicts, with `str` ranges.

Real parsers only. The central check is agreement: a snippet esprima can read is parsed
through both (esprima forced first with `prefer="esprima"`) and the two trees must be
equal, because rules are written once against these shapes and must not care which parser
ran. tree-sitter goes first by default; esprima reads what tree-sitter misreads.
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from estreekit import parsers_disagree, shape

from codemod.js.estree import (
    Parsed,
    ParseError,
    iter_nodes,
    node_text,
    parent_map,
    parse_js,
    syntax_error,
    walk,
)
from codemod.js.language import extract_script_blocks


def parsed(text: str, suffix: str = ".js", **kwargs: str) -> Parsed:
    result = parse_js(text, suffix, **kwargs)
    assert isinstance(result, Parsed), result
    return result


def nodes_of(result: Parsed, kind: str) -> list[dict]:
    return [n for n in iter_nodes(result.program) if n["type"] == kind]


def call_texts(text: str, result: Parsed) -> list[str]:
    """Every call's source text, in source order, sliced by its `range`."""
    calls = sorted(nodes_of(result, "CallExpression"), key=lambda n: n["range"])
    return [node_text(text, n) for n in calls]


ES2017_JSX = """\
'use strict';
import amplitude, { Identify as Id } from 'amplitude-js';
import * as analytics from "@amplitude/analytics-browser";
const { track: t = noop, ...others } = analytics, [first, , third] = list;
export async function send(name, props = {}, ...rest) {
  const client = amplitude.getInstance();
  await client.logEvent(name, { ...props, source: 'web', n: 1.5e3, ok: true, none: null });
  for (const key of Object.keys(props)) { others[key] = `value: ${props[key]}!`; }
  for (let i = 0, n = rest.length; i < n; i++) track(rest[i])
  if (name === "x") analytics.track(name, /re+/gi.test(name) ? 1 : 0) // trailing note
  else { new Id().set('a', -1); }
  try { (0, analytics.flush)(); } catch (err) { console.error(err); } finally { done(); }
  switch (typeof name) { case 'string': t(name); break; default: t(String(name)); }
  return { name, shorthand, [computed]: void 0, method() { return this; }, get g() { return 1 } };
}
export default class Tracker extends Base {
  constructor(opts) { super(opts); this.q = []; }
  static create() { return new Tracker({}); }
  async [flushKey]() { await Promise.all(this.q.map(e => amplitude.track(e))); }
}
const el = <div className="a" onClick={() => amplitude.track('Clicked', { id })} {...rest}>
  {/* empty */} text <Foo.Bar a:b="c &amp; d" /> {items.map(i => <I key={i} />)}
</div>;
label: while (x) { do { x-- } while (x > 5); continue label }
"""


# -- tree-sitter first, esprima for what tree-sitter misreads --------------------------------


def test_classic_es2017_with_jsx_parses_through_either_parser() -> None:
    for prefer, parser in (("tree-sitter", "tree-sitter"), ("esprima", "esprima")):
        result = parsed(ES2017_JSX, ".jsx", prefer=prefer)
        assert (result.parser, result.dialect) == (parser, "js")
        texts = call_texts(ES2017_JSX, result)
        assert "amplitude.getInstance()" in texts
        assert "amplitude.track('Clicked', { id })" in texts
        assert "(0, analytics.flush)()" in texts
        first = result.program["body"][0]
        assert first["directive"] == "use strict"


@pytest.mark.parametrize("suffix", [".js", ".jsx", ".mjs", ".cjs"])
def test_every_js_suffix_uses_tree_sitter_first(suffix: str) -> None:
    assert parsed("amplitude.track('a');", suffix).parser == "tree-sitter"


def test_what_tree_sitter_misreads_goes_to_esprima() -> None:
    """ASI ends the arrow's statement; tree-sitter calls the arrow with `(g)` instead."""
    text = "const f = () => {}\n(g)\n"
    result = parsed(text)
    assert result.parser == "esprima"
    assert [s["type"] for s in result.program["body"]] == ["VariableDeclaration",
                                                           "ExpressionStatement"]
    assert syntax_error(text, ".js") is None
    assert isinstance(parse_js(text, ".ts"), ParseError)  # no esprima for TypeScript
    assert syntax_error(text, ".ts") is not None


def test_commonjs_script_falls_back_from_module_to_script_goal() -> None:
    text = "with (obj) { track(017); }"
    result = parsed(text, prefer="esprima")
    assert result.parser == "esprima"
    assert result.program["sourceType"] == "script"
    assert call_texts(text, result) == ["track(017)"]


SYNTAX = [
    ("ok", "amplitude.track('a');\n"),
    ("modern", "a?.b.track('x'); class A { #q = 1 }\n"),
    ("missing paren", "amplitude.track('a';\n"),
    ("stray brace", "function f() { }}\n"),
    ("arrow called", "const f = () => {}\n(g)\n"),
    ("arrow indexed", "const f = () => 1\n;(() => 2)[0]\n"),
    ("unterminated string", "track('a)\n"),
    ("jsx", "const x = <div>{a}</div>;\n"),
    ("ts in js", "let a: number = 1;\n"),
]


@pytest.mark.parametrize("suffix", [".js", ".ts", ".tsx"])
@pytest.mark.parametrize(("name", "text"), SYNTAX, ids=[n for n, _ in SYNTAX])
def test_syntax_error_agrees_with_parse_js(name: str, text: str, suffix: str) -> None:
    """The cheap check (no lowering) accepts exactly what the full parse accepts."""
    full = parse_js(text, suffix)
    quick = syntax_error(text, suffix)
    assert (quick is None) == isinstance(full, Parsed), (full, quick)
    if quick is not None:
        assert quick == full


# -- the agreement the rules rely on ------------------------------------------------------


def test_esprima_and_tree_sitter_trees_are_identical() -> None:
    via_esprima = parsed(ES2017_JSX, ".jsx", prefer="esprima")
    via_tree_sitter = parsed(ES2017_JSX, ".jsx", prefer="tree-sitter")
    assert via_esprima.parser == "esprima"
    assert via_tree_sitter.parser == "tree-sitter"
    assert via_tree_sitter.program == via_esprima.program
    assert parsers_disagree(ES2017_JSX, ".jsx") is None


def test_an_empty_file_is_the_same_tree_from_either_parser() -> None:
    """esprima's scanner numbers the only line of an empty text 0 (found on a real empty
    module, @popperjs/core's lib/types.js)."""
    via_esprima = parsed("", prefer="esprima")
    assert via_esprima.parser == "esprima"
    assert via_esprima.program["loc"] == {"start": {"line": 1, "column": 0},
                                          "end": {"line": 1, "column": 0}}
    assert via_esprima.program == parsed("").program


KINDS = {"CallExpression", "MemberExpression", "ImportDeclaration", "ObjectExpression",
         "Literal", "Property", "ImportSpecifier", "ImportDefaultSpecifier", "Identifier"}


def test_shapes_agree_for_every_call_import_object_literal_and_property() -> None:
    text = ES2017_JSX
    a = parsed(text, ".jsx", prefer="esprima")
    b = parsed(text, ".jsx", prefer="tree-sitter")
    for kind in sorted(KINDS):
        left = sorted((shape(n) for n in nodes_of(a, kind)), key=lambda n: n["range"])
        right = sorted((shape(n) for n in nodes_of(b, kind)), key=lambda n: n["range"])
        assert left, kind
        assert left == right, kind
    for call in nodes_of(b, "CallExpression"):
        assert text[slice(*call["range"])].endswith(")")


def test_typescript_grammar_lowers_plain_javascript_to_the_same_tree() -> None:
    text = ES2017_JSX.split("const el =")[0]
    assert parsed(text, ".ts").program == parsed(text, ".js").program


# -- tree-sitter fallback for what esprima 4 rejects ---------------------------------------

MODERN = [
    ("optional chaining", "a?.b.track('x');\n", ["a?.b.track('x')"]),
    ("optional call", "maybe?.('x');\n", ["maybe?.('x')"]),
    ("nullish", "const v = opts.flag ?? track('d');\n", ["track('d')"]),
    ("class field", "class A { handler = () => track('f'); }\n", ["track('f')"]),
    ("private field", "class A { #q = []; go() { this.#q.push(track('p')); } }\n",
     ["this.#q.push(track('p'))", "track('p')"]),
    ("static prop", "class A { static i = init('s'); }\n", ["init('s')"]),
    ("fragment", "const x = <>\n  <b onClick={() => track('j')} />\n</>;\n", ["track('j')"]),
    ("import.meta", "load(import.meta.url);\n", ["load(import.meta.url)"]),
    ("numeric separator", "track('n', 1_000_000);\n", ["track('n', 1_000_000)"]),
    ("optional catch binding", "try { a(); } catch { b(); }\n", ["a()", "b()"]),
    ("object rest in async arrow", "const f = async ({ a, ...r }) => await g?.(r);\n",
     ["g?.(r)"]),
    ("logical assignment", "x ||= track('l');\n", ["track('l')"]),
    ("hashbang", "#!/usr/bin/env node\ntrack('h');\n", ["track('h')"]),
]


@pytest.mark.parametrize(("name", "text", "calls"), MODERN, ids=[m[0] for m in MODERN])
def test_modern_syntax_falls_back_to_tree_sitter(name: str, text: str, calls: list[str]) -> None:
    result = parsed(text, ".jsx")
    assert result.parser == "tree-sitter", name
    assert call_texts(text, result) == calls


def test_optional_chains_are_flags_not_wrappers() -> None:
    text = "a?.b.c(); f?.(x); o?.[k];"
    result = parsed(text)
    calls = {node_text(text, n): n["optional"] for n in nodes_of(result, "CallExpression")}
    assert calls == {"a?.b.c()": False, "f?.(x)": True}
    members = {node_text(text, n): n["optional"] for n in nodes_of(result, "MemberExpression")}
    assert members == {"a?.b.c": False, "a?.b": True, "o?.[k]": True}
    assert not nodes_of(result, "ChainExpression")


def test_class_fields_private_names_and_static_blocks() -> None:
    text = "class A { static #n = 1; x; static { boot(); } }"
    body = parsed(text).program["body"][0]["body"]["body"]
    assert [m["type"] for m in body] == ["PropertyDefinition", "PropertyDefinition", "StaticBlock"]
    assert body[0]["key"] == {**body[0]["key"], "type": "PrivateIdentifier", "name": "n"}
    assert body[0]["static"] is True and body[1]["value"] is None


def test_bigint_and_separated_numbers_have_values() -> None:
    text = "x = [1_000, 0x1F, 0b101, 0o17, 10n, .5, 1e3];"
    elements = parsed(text).program["body"][0]["expression"]["right"]["elements"]
    assert [e["value"] for e in elements] == [1000, 31, 5, 15, 10, 0.5, 1000]
    assert elements[4]["bigint"] == "10"


def test_await_before_a_parenthesised_callee_is_an_await() -> None:
    """tree-sitter-javascript reads `await (0, f)(x)` as a call of `await`; it is repaired."""
    text = "async function g() { await (0, lib.track)('e').then(done); }\n"
    result = parsed(text, ".mjs", prefer="tree-sitter")
    statement = result.program["body"][0]["body"]["body"][0]
    awaited = statement["expression"]
    assert awaited["type"] == "AwaitExpression"
    assert node_text(text, awaited["argument"]) == "(0, lib.track)('e').then(done)"
    assert call_texts(text, result) == ["(0, lib.track)('e')", "(0, lib.track)('e').then(done)"]
    assert parsed(text).program == result.program


def test_line_break_after_arrow_function_is_refused_not_misread() -> None:
    """tree-sitter would index the arrow function with the next line's `[...]`."""
    text = "const f = () => {\n  return 1\n}\n[1, 2].forEach(g)\nclass A { x = 1 }\n"
    result = parse_js(text, ".js")
    assert isinstance(result, ParseError)
    assert result.line == 3


# -- TypeScript and TSX -------------------------------------------------------------------

TS = """\
import type { Options } from './types';
import { type Client, init } from '@amplitude/analytics-node';
import legacy = require('amplitude');
interface Props<T> extends Base { items: T[]; on?: (x: T) => void }
type Kind = 'a' | 'b';
export enum Level { Low = 1, High = compute('h'), Off }
const enum Fast { A }
const names = ['a', 'b'] as const;
const cast = <Options>raw;
const sure = maybe!.client?.track('n');
const ok = cfg satisfies Options;
declare const ambient: number;
namespace Inner { export const v = init('ns'); }
@Component({ selector: 'app' })
export class Svc<T> implements Props<T> {
  @Input() label: string = 'x';
  private readonly store?: Map<string, T>;
  constructor(private client: Client, public level = Level.Low) { super(); }
  @HostListener('click', ['$event']) onClick(e?: Event): void { this.client.track<string>('c'); }
  abstract run(): void;
}
export function generic<T extends object>(value: T, ...rest: T[]): T { return value; }
"""


def test_typescript_constructs_are_lowered() -> None:
    result = parsed(TS, ".ts")
    assert (result.parser, result.dialect) == ("tree-sitter", "ts")
    body = result.program["body"]
    assert body[0]["importKind"] == "type"
    assert [s["importKind"] for s in body[1]["specifiers"]] == ["type", "value"]
    assert body[2]["type"] == "TSImportEqualsDeclaration"
    assert body[2]["moduleReference"]["expression"]["value"] == "amplitude"
    assert [n["type"] for n in body[3:5]] == ["TSInterfaceDeclaration", "TSTypeAliasDeclaration"]
    enum = body[5]["declaration"]
    assert enum["type"] == "TSEnumDeclaration"
    assert [m["id"]["name"] for m in enum["members"]] == ["Low", "High", "Off"]
    assert body[6]["const"] is True
    kinds = {n["type"] for n in iter_nodes(result.program)}
    for kind in ("TSAsExpression", "TSConstKeyword", "TSTypeAssertion", "TSNonNullExpression",
                 "TSSatisfiesExpression", "TSModuleDeclaration", "Decorator",
                 "TSParameterProperty", "TSTypeAnnotation"):
        assert kind in kinds, kind


def test_typescript_calls_are_found_in_initialisers_decorators_and_namespaces() -> None:
    result = parsed(TS, ".ts")
    assert call_texts(TS, result) == [
        "compute('h')",
        "maybe!.client?.track('n')",
        "init('ns')",
        "Component({ selector: 'app' })",
        "Input()",
        "super()",
        "HostListener('click', ['$event'])",
        "this.client.track<string>('c')",
    ]
    optional = [n for n in nodes_of(result, "MemberExpression") if n["optional"]]
    assert [node_text(TS, n) for n in optional] == ["maybe!.client?.track"]


def test_class_decorators_and_typed_parameters() -> None:
    result = parsed(TS, ".ts")
    cls = next(n for n in nodes_of(result, "ClassDeclaration"))
    assert [node_text(TS, d) for d in cls["decorators"]] == ["@Component({ selector: 'app' })"]
    method = next(m for m in cls["body"]["body"] if m["type"] == "MethodDefinition"
                  and m["kind"] == "method")
    assert [node_text(TS, d) for d in method["decorators"]] == [
        "@HostListener('click', ['$event'])"
    ]
    ctor = next(m for m in cls["body"]["body"] if m.get("kind") == "constructor")
    params = ctor["value"]["params"]
    assert [p["type"] for p in params] == ["TSParameterProperty", "TSParameterProperty"]
    assert params[0]["accessibility"] == "private"
    assert params[1]["parameter"]["type"] == "AssignmentPattern"


TSX = """\
import * as amplitude from '@amplitude/analytics-browser';
export const List = <T,>({ items, onPick }: { items: T[]; onPick?: (x: T) => void }) => (
  <>
    <ul onClick={() => amplitude.track('Clicked', { n: items.length } as const)}>
      {items.map((i) => <li key={String(i)} onClick={() => onPick?.(i)} />)}
    </ul>
  </>
);
"""


def test_tsx_parses_jsx_with_types() -> None:
    result = parsed(TSX, ".tsx")
    assert (result.parser, result.dialect) == ("tree-sitter", "tsx")
    assert nodes_of(result, "JSXFragment")
    assert call_texts(TSX, result) == [
        "amplitude.track('Clicked', { n: items.length } as const)",
        "items.map((i) => <li key={String(i)} onClick={() => onPick?.(i)} />)",
        "String(i)",
        "onPick?.(i)",
    ]


def test_angle_bracket_cast_is_typescript_in_ts_and_jsx_in_tsx() -> None:
    text = "const v = <any>track('x');\n"
    cast = parsed(text, ".ts").program["body"][0]["declarations"][0]["init"]
    assert cast["type"] == "TSTypeAssertion"
    assert node_text(text, cast["expression"]) == "track('x')"
    as_tsx = parse_js(text, ".tsx")
    assert isinstance(as_tsx, ParseError)  # `<any>` opens a JSX element that never closes
    assert as_tsx.line == 1


@pytest.mark.parametrize("suffix", [".ts", ".mts", ".cts"])
def test_every_ts_suffix_is_typescript(suffix: str) -> None:
    result = parsed("let x: number = f<string>(1);", suffix)
    assert result.dialect == "ts"


# -- errors -------------------------------------------------------------------------------

ERRORS = [
    (".js", "const a = 1;\nconst b = ;\n", 2),
    (".jsx", "const el = <div>\n  <span>\n</div>;\n", 3),
    (".mjs", "import { a from 'b';\n", 1),
    (".ts", "let ok = 1;\ninterface A { x: }\n", 2),
    (".tsx", "function f() {\n  return <b>x</b>\n", 2),
    (".cts", "class A {\n  m( { }\n}\n", 2),
]


@pytest.mark.parametrize(("suffix", "text", "line"), ERRORS, ids=[e[0] for e in ERRORS])
def test_syntax_errors_are_parse_errors_with_a_line(suffix: str, text: str, line: int) -> None:
    result = parse_js(text, suffix)
    assert isinstance(result, ParseError), result
    assert result.line == line
    assert f"{result.line}:{result.column}" in result.message


def test_missing_nodes_count_as_errors() -> None:
    result = parse_js("const a = {\n  b: [1, 2\n};\n", ".ts")
    assert isinstance(result, ParseError)
    assert result.message.startswith("missing ']'")
    assert (result.line, result.column) == (2, 11)


@pytest.mark.parametrize(
    "text",
    ["", "\x00\x01\x02", "a\ud800b", "}{", "`${", "<<<<", "/*", "'\\u{110000}'", "#!", "\ufeff"],
)
def test_no_input_string_raises(text: str) -> None:
    for suffix in (".js", ".ts", ".tsx"):
        result = parse_js(text, suffix)
        assert isinstance(result, Parsed | ParseError)


def test_unknown_suffix_is_a_caller_error() -> None:
    with pytest.raises(ValueError):
        parse_js("x", ".py")


def test_deep_nesting_does_not_exhaust_the_recursion_limit() -> None:
    text = "x = " + "[" * 3000 + "f()" + "]" * 3000 + ";"
    result = parsed(text)
    assert result.parser == "tree-sitter"  # esprima itself recurses too deep
    assert call_texts(text, result) == ["f()"]


# -- positions: str indices, ECMAScript lines ----------------------------------------------

UNICODE = (
    "\ufeff// 日本語 😀 𝒳\r\nconst s = '😀𝒳中'; /* \u2028 */ amplitude.track('事件', {名: '值 😀'});\r\n"
    "let t = `😀${a}中`;\rfoo('é'); x = <p title=\"😀\">中 {y()}</p>;\n"
)


@pytest.mark.parametrize("prefer", ["esprima", "tree-sitter"])
def test_ranges_are_code_point_indices_after_emoji_and_cjk(prefer: str) -> None:
    result = parsed(UNICODE, ".jsx", prefer=prefer)
    assert result.parser == prefer
    calls = sorted(nodes_of(result, "CallExpression"), key=lambda n: n["range"])
    assert [node_text(UNICODE, n) for n in calls] == [
        "amplitude.track('事件', {名: '值 😀'})",
        "foo('é')",
        "y()",
    ]
    # CRLF, a U+2028 inside a comment and a lone CR each end a line, as ECMAScript counts.
    assert [n["loc"]["start"] for n in calls] == [
        {"line": 3, "column": 4},
        {"line": 5, "column": 0},
        {"line": 5, "column": 30},
    ]
    literal = calls[0]["arguments"][0]
    assert literal["value"] == "事件"


def test_unicode_trees_agree_between_parsers() -> None:
    via_esprima = parsed(UNICODE, ".jsx", prefer="esprima")
    assert via_esprima.program == parsed(UNICODE, ".jsx", prefer="tree-sitter").program


def test_trailing_comment_after_automatic_semicolon_is_not_in_the_range() -> None:
    text = "if (a) track('x') // note\nf()"
    for prefer in ("esprima", "tree-sitter"):
        statement = parsed(text, prefer=prefer).program["body"][0]
        assert node_text(text, statement) == "if (a) track('x')"


def test_statement_before_closing_brace_ends_at_its_last_token() -> None:
    """esprima 4.0.1 would end `return x ` at the `}`; the parser here does not."""
    text = "function f() { return x }"
    for prefer in ("esprima", "tree-sitter"):
        result = parsed(text, prefer=prefer)
        returned = nodes_of(result, "ReturnStatement")[0]
        assert node_text(text, returned) == "return x"


# -- walking ------------------------------------------------------------------------------


def test_walk_yields_each_node_once_with_its_parent() -> None:
    text = "import { a } from 'm'; const o = { a, b: a() };"
    for prefer in ("esprima", "tree-sitter"):
        result = parsed(text, prefer=prefer)
        pairs = list(walk(result.program))
        assert len({id(n) for n, _ in pairs}) == len(pairs)
        assert pairs[0] == (result.program, None)
        parents = parent_map(result.program)
        shorthand = next(n for n in nodes_of(result, "Property") if n["shorthand"])
        assert shorthand["key"] is shorthand["value"]
        assert parents[id(shorthand["key"])] is shorthand
        call = nodes_of(result, "CallExpression")[0]
        assert parents[id(call)]["type"] == "Property"
        spec = nodes_of(result, "ImportSpecifier")[0]
        assert spec["local"] == spec["imported"]


def test_kinds_without_an_estree_shape_stay_walkable() -> None:
    text = "namespace A.B { export const v = track('n'); }\n"
    result = parsed(text, ".ts")
    module = result.program["body"][0]["expression"]
    assert module["type"] == "TSModuleDeclaration"
    assert module["id"]["type"] == "nested_identifier"
    assert [c["name"] for c in module["id"]["children"]] == ["A", "B"]
    assert call_texts(text, result) == ["track('n')"]


def test_explicit_resource_management_is_a_variable_declaration() -> None:
    text = "using res = open(track('u'));\nawait using other = g();\n"
    result = parsed(text, ".mjs")
    assert [s["kind"] for s in result.program["body"]] == ["using", "await using"]
    assert call_texts(text, result) == ["open(track('u'))", "track('u')", "g()"]


def test_importing_the_module_loads_no_parser() -> None:
    code = (
        "import sys, codemod.js.estree, codemod.js.language\n"
        "assert 'esprima' not in sys.modules and 'tree_sitter' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# -- <script> blocks ------------------------------------------------------------------------

VUE = """\
<template>
  <button @click="track('x')">{{ a < b }}</button>
  <!-- <script>commented()</script> -->
</template>
<script lang="ts">
import { defineComponent } from 'vue'
export default defineComponent({ name: 'A' })
</script>
<SCRIPT setup lang='tsx'>
const x = <div>{amplitude.track('y')}</div>
</SCRIPT >
<style>.a::before { content: "<script>"; }</style>
"""

HTML = """\
<!doctype html>
<html><head>
<script type="application/json">{"a": 1}</script>
<script src="vendor.js"></script>
<script type="text/template"><div>{{x}}</div></script>
<script>amplitude.getInstance().logEvent('Loaded');</script>
<script type="module" defer>import a from "b"; a?.track('m');</script>
<script lang="coffee">x = 1</script>
</head></html>
"""


def test_vue_script_blocks_honour_lang_and_setup() -> None:
    blocks = extract_script_blocks(VUE)
    assert [(b.lang, b.suffix) for b in blocks] == [("ts", ".ts"), ("tsx", ".tsx")]
    assert "setup" in blocks[1].attrs and blocks[1].attrs["setup"] is None
    first, second = (VUE[b.start : b.end] for b in blocks)
    assert first.strip().startswith("import { defineComponent }")
    assert second.strip() == "const x = <div>{amplitude.track('y')}</div>"
    result = parsed(second, blocks[1].suffix)
    assert call_texts(second, result) == ["amplitude.track('y')"]


def test_html_skips_data_templates_external_and_unknown_scripts() -> None:
    blocks = extract_script_blocks(HTML)
    codes = [HTML[b.start : b.end] for b in blocks]
    assert codes == [
        "amplitude.getInstance().logEvent('Loaded');",
        "import a from \"b\"; a?.track('m');",
    ]
    assert blocks[1].attrs == {"type": "module", "defer": None}
    for block, code in zip(blocks, codes, strict=True):
        assert isinstance(parse_js(code, block.suffix), Parsed)


def test_script_with_src_and_a_body_is_kept_and_unclosed_script_runs_to_the_end() -> None:
    text = "<script src=a.js>\n  inline()\n</script><script>tail("
    blocks = extract_script_blocks(text)
    assert [text[b.start : b.end] for b in blocks] == ["\n  inline()\n", "tail("]


@pytest.mark.parametrize("suffix", [".js", ".ts", ".tsx"])
def test_tree_sitter_cooks_string_and_template_escapes(suffix: str) -> None:
    """Escapes are decoded by the JavaScript rules, in every dialect tree-sitter reads."""
    text = "f(a?.b, 'Signed\\tUp', \"\\x41\\u{1F600}\\ud83d\\ude00\", 'a\\\nb', `x\\n${y}\\u0031`);\n"
    result = parsed(text, suffix)
    assert result.parser == "tree-sitter"
    values = [n["value"] for n in nodes_of(result, "Literal")]
    assert values == ["Signed\tUp", "A\U0001f600\U0001f600", "ab"]
    cooked = [q["value"]["cooked"] for q in nodes_of(result, "TemplateElement")]
    assert cooked == ["x\n", "1"]


# -- valid code the grammars refuse, read through same-length masks --------------------------

AMPERSANDS = """\
const a = <p>Plans & Pricing</p>;
const b = <p className="x">AT&T, R&D &amp; Q&A &#169; &nbsp <b>Terms & Privacy</b> & more</p>;
const c = <a href="/search?q=1&page=2" title='A&B'>{x && y} & {z}</a>;
const d = <>Sales &&& Marketing &</>;
const e = f(a & b, c && d, "s & t", `u & ${v}`); // w & x
"""


@pytest.mark.parametrize("suffix", [".jsx", ".tsx"])
def test_a_bare_ampersand_in_jsx_text_or_attribute_parses_with_its_text_kept(suffix: str) -> None:
    result = parsed(AMPERSANDS, suffix)
    assert result.parser == "tree-sitter"
    texts = [n["value"] for n in nodes_of(result, "JSXText")]
    assert texts == [
        "Plans & Pricing", "AT&T, R&D &amp; Q&A &#169; &nbsp ", "Terms & Privacy", " & more",
        " & ", "Sales &&& Marketing &",
    ]
    attributes = [n["value"]["value"] for n in nodes_of(result, "JSXAttribute")]
    assert attributes == ["x", "/search?q=1&page=2", "A&B"]
    operators = [n["operator"] for n in nodes_of(result, "BinaryExpression")]
    assert operators == ["&"] and "&&" in [n["operator"] for n in nodes_of(result, "LogicalExpression")]
    assert syntax_error(AMPERSANDS, suffix) is None


def test_the_ampersand_mask_agrees_with_esprima() -> None:
    text = AMPERSANDS.replace("<>", "<div>").replace("</>", "</div>")
    assert parsed(text, ".jsx").program == parsed(text, ".jsx", prefer="esprima").program


@pytest.mark.parametrize(
    "text",
    [
        "x = a & ;\n",
        "x = <a/> & ;\n",
        "x = <p>a</p> & & b;\n",
        "x = <p>{a & }</p>;\n",
        "x = <p>a & b</p>} ;\n",
        "x = <p a=\"&\" & b/>;\n",
        "let x = <p>a & b</p\n",
    ],
)
@pytest.mark.parametrize("suffix", [".jsx", ".tsx"])
def test_an_ampersand_in_invalid_code_is_still_refused(text: str, suffix: str) -> None:
    assert isinstance(parse_js(text, suffix), ParseError)
    assert syntax_error(text, suffix) is not None


@pytest.mark.parametrize("suffix", [".ts", ".tsx", ".d.ts"])
def test_a_function_type_parameter_named_like_a_predefined_type_parses(suffix: str) -> None:
    text = (
        "interface Options { extend: (any) => any; map?: (string, number?) => void }\n"
        "type F = (unknown: T, never) => object;\n"
        "declare function g(cb: (boolean) => symbol, u: unique symbol): (object) => bigint;\n"
        "let h: Array<( undefined ) => void> = [];\n"
        "track('x');\n"
    )
    result = parsed(text, suffix.replace(".d", ""))
    assert result.parser == "tree-sitter"
    assert call_texts(text, result) == ["track('x')"]


@pytest.mark.parametrize(
    "text",
    ["type F = (void) => void;\n", "type F = (null) => void;\n", "type F = (any) => ;\n"],
)
def test_a_reserved_word_as_a_function_type_parameter_is_still_refused(text: str) -> None:
    assert isinstance(parse_js(text, ".ts"), ParseError)


@pytest.mark.parametrize(
    "text",
    [
        'export\nmixpanel.init("token");\n',
        "import\nfoo();\n",
        "x = default;\n",
        "const o = { return };\n",
        "let { if } = o;\n",
        "while (x) { break: 1; }\n",
        "f(typeof, 1);\n",
    ],
)
@pytest.mark.parametrize("suffix", [".js", ".ts", ".tsx"])
def test_a_reserved_word_read_as_a_name_is_refused_by_the_parser_and_the_gate(
    text: str, suffix: str
) -> None:
    assert isinstance(parse_js(text, suffix), ParseError)
    assert syntax_error(text, suffix) is not None


def test_contextual_keywords_and_export_names_are_names() -> None:
    text = (
        "import { default as x } from 'y';\n"
        "export { x as default, z as delete };\n"
        "export * as default from 'w';\n"
        "let async = 1, of = 2, get = 3, set = 4, type = 5, from = 6, as = 7, target = 8;\n"
        "const o = { static: 1, new: 2, default: 3 }; o.class = o.return;\n"
        "label: for (const of of [of]) break label;\n"
    )
    for suffix in (".ts", ".tsx"):
        result = parsed(text, suffix)
        assert result.parser == "tree-sitter"
        assert syntax_error(text, suffix) is None
    plain = "".join(text.splitlines(keepends=True)[3:])  # esprima 4 predates `export * as`
    assert parsed(plain, ".js").program == parsed(plain, ".js", prefer="esprima").program


class _CountingParser:
    def __init__(self, parser: Any) -> None:
        self.parser = parser
        self.calls = 0

    def parse(self, data: bytes) -> Any:
        self.calls += 1
        return self.parser.parse(data)


def test_many_bare_ampersands_cost_a_few_parses_not_one_each() -> None:
    from codemod.js.estree import grammars, masks

    rows = "".join(f"    <p className='c{i}'>Terms & Privacy {i}</p>\n" for i in range(300))
    valid = f"export const P = () => (\n  <div>\n{rows}  </div>\n);\n".encode()
    invalid = valid.replace(b");\n", b");}\n")
    for data, clean in ((valid, True), (invalid, False)):
        parser = _CountingParser(grammars.ts_parser("tsx"))
        tree = masks.masked_tree(parser, parser.parser.parse(data), data, "tsx")
        assert (tree is not None) == clean
        assert parser.calls <= (2 if clean else 2 * masks._ROUNDS)

@pytest.mark.parametrize("suffix", [".jsx", ".tsx"])
def test_a_bare_ampersand_in_a_jsx_attribute_string_is_valid(suffix: str) -> None:
    """Both grammars put an ERROR inside `"...&utm_source=x"` (tree-sitter-javascript#304);
    it is valid JSX, as every TypeScript and Babel parser reads it."""
    text = "const a = <a href=\"/t?x=1&utm_source=next&b\" title='a & b' alt='c &amp; d'>t</a>;\n"
    attributes = nodes_of(parsed(text, suffix), "JSXAttribute")
    assert [(a["value"]["value"], a["value"]["raw"]) for a in attributes] == [
        ("/t?x=1&utm_source=next&b", '"/t?x=1&utm_source=next&b"'),
        ("a & b", "'a & b'"),
        ("c & d", "'c &amp; d'"),
    ]
    assert syntax_error(text, suffix) is None
    if suffix == ".jsx":
        assert parsed(text, suffix, prefer="esprima").program == parsed(text, suffix).program


@pytest.mark.parametrize("text", [
    'const a = <a href="/t?x=1&utm_source>t</a>;\n',  # the string is never closed
    "const a = 1 &;\n",
])
def test_other_ampersand_errors_stay_errors(text: str) -> None:
    assert isinstance(parse_js(text, ".tsx"), ParseError)
    assert syntax_error(text, ".tsx") is not None


@pytest.mark.parametrize("prefer", ["esprima", "tree-sitter"])
def test_export_default_from_is_a_proposal_not_javascript(prefer: str) -> None:
    """esprima 4.0.1 accepted `export Name from 'm'` (semantic-ui-react's src/index.js has 163
    of them); TypeScript, Node and Babel without a plugin reject it."""
    text = "import a from 'a';\nexport Confirm from './addons/Confirm'\n"
    result = parse_js(text, ".js", prefer=prefer)
    assert isinstance(result, ParseError), result
    assert (result.line, result.column) == (2, 8)
    assert "proposal" in result.message
    assert syntax_error(text, ".js") == parse_js(text, ".js")
    assert isinstance(parse_js("export { a } from './a';\nexport {} from './b';\n", ".js",
                               prefer=prefer), Parsed)
