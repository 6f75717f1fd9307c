"""Inline event handlers of an HTML page (`codemod/js/handlers.py`): migrated with the page's
scripts, all or nothing, and written back as HTML a browser reads as the migrated code.

A second reader checks what the tool wrote: Python's `html.parser` reads every tag back
(decoding attribute values as a browser does), and esprima, not the tree-sitter reader the
tool tries first, parses each handler as the body of a function. The fixtures
(`fixtures/js/html-*`, `fixtures/projects/html-onclick*`) hold the cases; here every page
they produce is read back, and generated pages (quotes, ampersands and `<` in event names,
each quoting of the attribute, handlers with and without a rewrite) must keep the page's
structure, parse, and move together or not at all.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import esprima
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codemod.engine import migrate_source
from codemod.js.handlers import Attribute, write_back

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
_HANDLER = re.compile(r"on[a-z]+")
_SNIPPET_CALL = "amplitude.getInstance()"


class _Tags(HTMLParser):
    """Every start tag as (name, [(attribute, decoded value)]), and each script's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def _read(page: str) -> _Tags:
    reader = _Tags()
    reader.feed(page)
    reader.close()
    return reader


def _handlers(reader: _Tags) -> list[str]:
    return [value or "" for _, attrs in reader.tags for name, value in attrs
            if _HANDLER.fullmatch(name)]


def _parses_as_handler(code: str) -> bool:
    try:
        esprima.parseScript(f"function onhandler(event) {{{code}\n}}")
    except esprima.Error:
        return False
    return True


def _assert_reads_back(before: str, after: str) -> None:
    """The same tags and attributes, only handler values changed, each one a function body."""
    old, new = _read(before), _read(after)
    assert [(tag, [name for name, _ in attrs]) for tag, attrs in old.tags] == [
        (tag, [name for name, _ in attrs]) for tag, attrs in new.tags]
    for (_, old_attrs), (_, new_attrs) in zip(old.tags, new.tags, strict=True):
        for (name, old_value), (_, new_value) in zip(old_attrs, new_attrs, strict=True):
            if not _HANDLER.fullmatch(name):
                assert old_value == new_value, name
            elif old_value != new_value:
                assert new_value is not None and _parses_as_handler(new_value), new_value


def _pages() -> list[tuple[Path, Path]]:
    cases = [*sorted((FIXTURES / "js").glob("html-*")), FIXTURES / "js" / "leftover-html-onclick"]
    pairs = [(case / "input.html", case / "expected.html") for case in cases]
    for case in sorted((FIXTURES / "projects").glob("html-*")):
        pairs += [(page, case / "expected" / page.relative_to(case / "input"))
                  for page in sorted((case / "input").rglob("*.html"))]
    return [(before, after if after.exists() else before) for before, after in pairs]


PAGES = _pages()


def test_there_are_pages_with_migrated_handlers() -> None:
    changed = [after for before, after in PAGES
               if _handlers(_read(before.read_text())) != _handlers(_read(after.read_text()))]
    assert len(changed) >= 3


@pytest.mark.parametrize("pair", PAGES, ids=[str(b.relative_to(FIXTURES)) for b, _ in PAGES])
def test_each_fixture_page_reads_back_with_a_second_parser(pair: tuple[Path, Path]) -> None:
    before, after = (path.read_text() for path in pair)
    _assert_reads_back(before, after)
    reader = _read(after)
    code = [*reader.scripts, *_handlers(reader)]
    # All or nothing per page: its snippet client is on Mixpanel or on Amplitude, not both.
    assert not (any(_SNIPPET_CALL in c for c in code) and any("mixpanel" in c for c in code))


def test_write_back_keeps_the_attribute_quoting() -> None:
    double, single, bare = (Attribute("onclick", 0, 1, q) for q in ('"', "'", ""))
    assert write_back(double, "track('a \"b\"')") == "track('a &quot;b&quot;')"
    assert write_back(single, "track('it')") == "track(&#39;it&#39;)"
    assert write_back(double, "a && b &amp c") == "a && b &amp;amp c"
    assert write_back(bare, "track(x)") == "track(x)"
    assert write_back(bare, "track('x')") is None
    assert write_back(bare, "a; b") is None


# -- generated pages -----------------------------------------------------------------------

_NAMES = st.one_of(st.text(alphabet="aZ09 <>/=é", max_size=8),  # a page that moves
                   st.text(alphabet=st.sampled_from(list("aZ09 '\"&<>;#\\/=`é")), max_size=8))
# method -> (arguments around an event name, whether a rule rewrites it, whether its rewrite
# fits an unquoted value: Mixpanel's revenue event is a quoted name and an object literal)
_CALLS = {
    "logEvent": ("{0}", True, True),
    "logRevenue": ("1.5, 2, {0}", True, False),
    "setUserId": ("{0}", True, True),
    "setDeviceId": ("{0}", False, False),
}


def _literal(name: str, quote: str) -> str:
    text = json.dumps(name, ensure_ascii=False)[1:-1]
    if quote == "'":
        text = text.replace('\\"', '"').replace("'", "\\'")
    return f"{quote}{text}{quote}"


def _attribute(code: str, quote: str) -> str | None:
    """`code` as a handler's value in `quote` (None when it cannot be written unquoted)."""
    raw = code.replace("&", "&amp;")
    if not quote:
        return raw if re.fullmatch(r"[^\s\"'=<>`]+", raw) else None
    return raw.replace(quote, {'"': "&quot;", "'": "&#39;"}[quote])


_HANDLERS = st.lists(st.tuples(st.sampled_from(sorted(_CALLS)), _NAMES,
                               st.sampled_from(['"', "'", ""]), st.sampled_from(["'", '"'])),
                     min_size=1, max_size=3)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_HANDLERS)
def test_generated_pages_read_back_and_move_all_or_nothing(
        handlers: list[tuple[str, str, str, str]]) -> None:
    lines = ["<!doctype html>", "<script>", '  amplitude.getInstance().init("KEY");', "</script>"]
    rewritable = True
    codes = []
    for method, name, quote, js_quote in handlers:
        arguments, has_rule, unquoted = _CALLS[method]
        code = f"{_SNIPPET_CALL}.{method}({arguments.format(_literal(name, js_quote))})"
        value = _attribute(code, quote)
        if value is None:  # no unquoted value holds a string: the variable instead
            code = f"{_SNIPPET_CALL}.{method}({arguments.format('label').replace(' ', '')})"
            value = code
        codes.append(code)
        # A character reference, or a rewrite no unquoted value can hold, holds the page.
        rewritable = rewritable and has_rule and value == code and (unquoted or bool(quote))
        lines.append(f"<button onclick={quote}{value}{quote}>b</button>")
    page = "\n".join(lines) + "\n"
    assert _handlers(_read(page)) == codes  # the generator wrote what it meant to
    result = migrate_source(page.encode(), "page.html")
    assert result.status in ("changed", "unchanged"), result.reason
    after = result.output.decode() if result.output is not None else page
    _assert_reads_back(page, after)
    migrated = _handlers(_read(after))
    if rewritable:
        assert after != page
        assert not any(_SNIPPET_CALL in c for c in [*_read(after).scripts, *migrated])
        for before, now in zip(codes, migrated, strict=True):
            if ".logEvent(" in before:  # the event name reaches Mixpanel as it was written
                assert now == before.replace(f"{_SNIPPET_CALL}.logEvent(", "mixpanel.track(")
    else:
        assert after == page
        lines_said = {f.line for f in result.findings if f.severity == "manual"}
        assert set(range(5, 5 + len(handlers))) <= lines_said
