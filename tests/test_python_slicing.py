"""Slicing a module (codemod/python/slicing.py) must not change what the migration does.

The central check is equivalence: the migration of the reduced module, put back together,
equals the migration of the whole module: code, changes and findings, byte for byte and
line for line. It is checked on every Python fixture, on generated realistic modules, and
on modules hypothesis assembles from statements chosen to trip the closure (rebinding a
client elsewhere, `global`, events built in another statement, decoys).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from benchtree import generate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codemod.catalogue import load_catalogue
from codemod.options import Options
from codemod.python import migrate
from codemod.python.slicing import HOLE, slice_module
from codemod.source import DecodeError, decode

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = load_catalogue()
OPTIONS = Options()


def outcome(text: str, *, sliced: bool) -> object:
    """What the migration returns, or the exception it raises, in comparable form."""
    try:
        if sliced:
            piece = slice_module(text)
            assert piece is not None
            result = migrate._migrate(text, CATALOGUE, OPTIONS, piece)
            if result is None:
                return "fell back"
        else:
            result = migrate._migrate(text, CATALOGUE, OPTIONS, None)
            assert result is not None
    except Exception as exc:  # SkipFile and friends: the same reason either way
        return (type(exc).__name__, str(exc))
    return result.code, sorted(map(repr, result.changes)), sorted(map(repr, result.findings))


def assert_equivalent(text: str) -> bool:
    """True when the module was sliced (and both migrations agreed)."""
    if slice_module(text) is None:
        return False
    sliced = outcome(text, sliced=True)
    if sliced == "fell back":
        return False
    assert sliced == outcome(text, sliced=False)
    return True


def _text(path: Path) -> str | None:
    try:
        return decode(path.read_bytes(), "python").text
    except DecodeError:
        return None


def _fixture_inputs() -> list[Path]:
    return sorted(p for p in (ROOT / "fixtures").rglob("*.py") if "amplitude" in (_text(p) or ""))


@pytest.mark.parametrize("path", _fixture_inputs(), ids=lambda p: str(p.relative_to(ROOT)))
def test_fixture_modules_migrate_the_same_sliced_or_whole(path: Path) -> None:
    text = _text(path)
    assert text is not None
    assert_equivalent(text)


def test_generated_modules_migrate_the_same_sliced_or_whole(tmp_path: Path) -> None:
    """Realistic 200-line modules from the benchmark's generator, most of them unrelated code."""
    tree = generate(tmp_path, 24, "js=0,ts=0,py=1", 11)
    modules = [p.read_text("utf-8") for p in sorted(tree.rglob("*.py"))]
    users = [m for m in modules if "from amplitude import" in m or "import amplitude" in m]
    assert len(users) >= 8
    sliced = [assert_equivalent(m) for m in users]
    assert sum(sliced) >= len(users) - 1  # nearly every one is sliced, and agrees


def test_slice_keeps_what_the_planner_asks_about() -> None:
    text = (
        '"""Doc."""\n'
        "import os\n"
        "from amplitude import Amplitude, BaseEvent\n"
        "\n"
        "client = Amplitude(os.environ['KEY'])\n"
        "\n"
        "def unrelated(x):\n"
        "    return x * 2\n"
        "\n"
        "PROPS = {'plan': 'pro'}\n"
        "\n"
        "def signup(user):\n"
        "    client.track(BaseEvent('signup', user_id=user, event_properties=PROPS))\n"
        "\n"
        "class Other:\n"
        "    pass\n"
    )
    piece = slice_module(text)
    assert piece is not None
    assert "def unrelated" not in piece.text and "class Other" not in piece.text
    for kept in ("import os", "client = Amplitude", "PROPS = {", "def signup"):
        assert kept in piece.text
    assert piece.text.count("__amp2mp_hole_") == 3  # docstring, unrelated, Other
    assert piece.restore(piece.text) == text
    reduced_line = piece.text.splitlines().index("def signup(user):") + 1
    assert piece.original_line(reduced_line) == 12
    assert_equivalent(text)


def test_a_rebinding_elsewhere_keeps_that_statement() -> None:
    """`client` rebound in a function that never names Amplitude still counts."""
    text = (
        "from amplitude import Amplitude\n"
        "client = Amplitude('k')\n"
        "def reset():\n"
        "    global client\n"
        "    client = None\n"
        "def other():\n"
        "    return 1\n"
        "client.flush()\n"
    )
    piece = slice_module(text)
    assert piece is not None and "def reset" in piece.text and "def other" not in piece.text
    assert_equivalent(text)


def test_a_star_import_makes_every_sdk_name_a_seed() -> None:
    text = (
        "from amplitude import *\n"
        "def unrelated():\n"
        "    return 1\n"
        "client = Amplitude('k')\n"
        "client.track(BaseEvent('e', user_id='u'))\n"
    )
    piece = slice_module(text)
    assert piece is not None
    assert "client = Amplitude('k')" in piece.text and "def unrelated" not in piece.text
    assert_equivalent(text)


def test_blocks_inside_kept_functions_and_classes_are_sliced_too() -> None:
    text = (
        "from amplitude import Amplitude, BaseEvent\n"
        "client = Amplitude('k')\n"
        "def checkout(cart):\n"
        '    """Docstring."""\n'
        "    total = sum(i.price for i in cart)\n"
        "    for item in cart:\n"
        "        item.reserve()\n"
        "            # a comment deeper than the loop body\n"
        "    log(total)\n"
        "    client.track(BaseEvent('checkout', user_id=cart.owner))\n"
        "    return total\n"
        "class Service:\n"
        "    def __init__(self):\n"
        "        self.amp = Amplitude('k')\n"
        "    def swap(self, other):\n"
        "        self.amp = other\n"
        "    def unrelated(self):\n"
        "        return 1\n"
        "    def go(self, u):\n"
        "        self.amp.track(BaseEvent('go', user_id=u))\n"
    )
    piece = slice_module(text)
    assert piece is not None
    kept = piece.text
    assert "    client.track(BaseEvent('checkout'" in kept
    assert "item.reserve()" not in kept and "Docstring" not in kept and "return total" not in kept
    assert "    __amp2mp_hole_" in kept  # placeholders take the block's indentation
    assert "def swap" in kept  # reassigns self.amp: decides whether self.amp is a client
    assert "def unrelated" not in kept
    assert piece.restore(kept) == text
    line = kept.splitlines().index("    client.track(BaseEvent('checkout', user_id=cart.owner))") + 1
    assert piece.original_line(line) == 10
    assert_equivalent(text)


@pytest.mark.parametrize(
    ("why", "text"),
    [
        ("lone CR", "from amplitude import Amplitude\rx = 1\rdef f():\r    pass\r"),
        ("placeholder name used", f"import amplitude\n{HOLE.format(0)} = 1\ndef f():\n    pass\n"),
        ("one statement", "from amplitude import Amplitude\n"),
        ("syntax error", "from amplitude import Amplitude\ndef f(:\n"),
        ("everything relevant", "from amplitude import Amplitude\nc = Amplitude('k')\n"),
    ],
)
def test_slicing_is_refused_where_it_cannot_be_faithful(why: str, text: str) -> None:
    assert slice_module(text) is None, why


def test_an_indented_comment_between_statements_keeps_them_together() -> None:
    text = (
        "from amplitude import Amplitude\n"
        "def f():\n"
        "    return 1\n"
        "    # trailing comment libcst gives to f's block\n"
        "c = Amplitude('k')\n"
        "def g():\n"
        "    return 2\n"
    )
    piece = slice_module(text)
    assert piece is not None
    assert "def f" in piece.text and "def g" not in piece.text
    assert_equivalent(text)


def test_a_different_default_indent_falls_back_to_the_whole_module() -> None:
    """The first indented block (2 spaces) is irrelevant; the kept one uses 4."""
    text = (
        "from amplitude import Amplitude, BaseEvent\n"
        "def unrelated():\n"
        "  return 1\n"
        "def track(c: Amplitude):\n"
        "    c.track(BaseEvent('e', user_id='u'))\n"
    )
    piece = slice_module(text)
    assert piece is not None and piece.indent == "  "
    assert outcome(text, sliced=True) == "fell back"
    assert migrate.migrate_python(text, CATALOGUE, OPTIONS).code == migrate._migrate(
        text, CATALOGUE, OPTIONS, None).code  # type: ignore[union-attr]


# -- property: assembled modules --------------------------------------------------------------

HEADER = "from amplitude import Amplitude, BaseEvent, Identify\n"
STATEMENTS = [
    "client = Amplitude('key')\n",
    "other = Amplitude('key2')\n",
    "client = make_client()\n",
    "def reset():\n    global client\n    client = None\n",
    "def track_signup(user):\n    client.track(BaseEvent('signup', user_id=user))\n",
    "def track_props(user):\n    client.track(BaseEvent('p', user_id=user, event_properties=PROPS))\n",
    "PROPS = {'a': 1}\n",
    "PROPS = compute()\n",
    "event = BaseEvent('e', user_id='u')\n",
    "client.track(event)\n",
    "log(event)\n",
    "ident = Identify()\n",
    "ident.set('plan', 'pro')\n",
    "client.identify(ident, EventOptions(user_id='u'))\n",
    "def helper(x):\n    return x + 1\n",
    "class Service:\n    def __init__(self):\n        self.amp = Amplitude('k')\n\n"
    "    def go(self, u):\n        self.amp.track(BaseEvent('go', user_id=u))\n",
    "class Plain:\n    value = 1\n",
    "def passes():\n    register(client)\n",
    "# a comment between statements\n",
    "\n",
    "if DEBUG:\n    client = Amplitude('debug')\n",
    "for client in clients:\n    pass\n",
    "analytics.track('segment', {'x': 1})\n",
    "client.flush()\n",
    "import os\n",
    "from mixpanel import Mixpanel\n",
    "mp = Mixpanel('t')\n",
    "mp.alias('a', 'b')\n",
    "def mixed(u):\n    x = prepare(u)\n    if x:\n        return None\n"
    "    client.track(BaseEvent('m', user_id=u, event_properties={'x': x}))\n    return x\n",
    "def local_client():\n    c = Amplitude('k')\n    noise = 1\n    c.flush()\n    c = None\n",
    "class Swapper:\n    def __init__(self):\n        self.amp = Amplitude('k')\n"
    "    def replace(self):\n        self.amp = make()\n"
    "    def send(self, u):\n        self.amp.track(BaseEvent('s', user_id=u))\n",
    "def deep():\n    def inner():\n        client.flush()\n    other = 2\n    return inner\n",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(STATEMENTS), min_size=2, max_size=12))
def test_assembled_modules_migrate_the_same_sliced_or_whole(parts: list[str]) -> None:
    text = HEADER + "".join(parts)
    try:
        compile(text, "<m>", "exec")
    except SyntaxError:
        return
    assert_equivalent(text)
