"""Receiver resolution follows JavaScript scopes (spec §3.0)."""

from __future__ import annotations

from codemod.js.bindings import Bindings
from codemod.js.estree import Parsed, iter_nodes, parse_js


def _function_calls(source: str) -> list[tuple[str, str | None]]:
    """(call text, SDK family or None) for every call of a plain identifier."""
    parsed = parse_js(source, ".js")
    assert isinstance(parsed, Parsed)
    bindings = Bindings(parsed.program)
    out = []
    for node in iter_nodes(parsed.program):
        if node["type"] == "CallExpression" and node["callee"]["type"] == "Identifier":
            found = bindings.binding(node["callee"])
            family = found.family if found and found.role == "function" else None
            out.append((source[node["range"][0] : node["range"][1]], family))
    return out


def test_named_imports_aliases_and_shadowing() -> None:
    calls = _function_calls(
        "import { track as t, init } from '@amplitude/analytics-browser';\n"
        "init('k');\n"
        "t('a');\n"
        "function f(t) { t('param'); }\n"
        "{ const init = () => 1; init(); }\n"
        "const { track } = require('@amplitude/analytics-node');\n"
        "track('server');\n"
    )
    assert calls == [
        ("init('k')", "browser"),
        ("t('a')", "browser"),
        ("t('param')", None),
        ("init()", None),
        ("require('@amplitude/analytics-node')", None),
        ("track('server')", "node"),
    ]


def test_each_call_resolves_through_its_own_scope() -> None:
    source = (
        "const amplitude = require('amplitude-js');\n"
        "const a = amplitude.getInstance('Other');\n"
        "a.logEvent('x');\n"
        "function g(amplitude) { amplitude.logEvent('param'); }\n"
        "var logger = { logEvent() {} }; logger.logEvent('y');\n"
        "analytics.track('segment');\n"
    )
    parsed = parse_js(source, ".js")
    assert isinstance(parsed, Parsed)
    bindings = Bindings(parsed.program)
    families = []
    for node in iter_nodes(parsed.program):
        if node["type"] == "CallExpression" and node["callee"]["type"] == "MemberExpression":
            client = bindings.client_of(node["callee"]["object"])
            families.append((source[node["range"][0] : node["range"][1]],
                             client.family if client else None,
                             client.instance if client else None))
    assert ("a.logEvent('x')", "amplitude-js", "other") in families
    assert ("amplitude.logEvent('param')", None, None) in families
    assert ("logger.logEvent('y')", None, None) in families
    assert ("analytics.track('segment')", None, None) in families


def test_typescript_namespace_and_create_instance() -> None:
    source = (
        "import * as amp from '@amplitude/analytics-react-native';\n"
        "const second = amp.createInstance();\n"
        "second.track('x' as string);\n"
    )
    parsed = parse_js(source, ".ts")
    assert isinstance(parsed, Parsed)
    bindings = Bindings(parsed.program)
    found = [bindings.client_of(n["callee"]["object"]) for n in iter_nodes(parsed.program)
             if n["type"] == "CallExpression" and n["callee"]["type"] == "MemberExpression"]
    assert [(f.family, f.role, f.member) for f in found if f] == [
        ("react-native", "module", ""), ("react-native", "client", "createInstance")]
