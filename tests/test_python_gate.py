"""The Python syntax gate parses once (shared with the slicing) yet judges like `compile`."""

from __future__ import annotations

import pytest

from codemod.python.language import _syntax_error

CASES = [
    "x = 1\n",
    "return 1\n",
    "def f(:\n",
    "from __future__ import annotations\nx = 1\n",
    "x = 1\nfrom __future__ import annotations\n",
    "nonlocal x\n",
    "a\0b\n",
    "async def f():\n    [x async for x in y]\n",
    "await x\n",
    "f(**x, *y)\n",
    "break\n",
    "x = (yield)\n",
    "class A:\n    return 1\n",
]


def _reference(text: str) -> str | None:
    try:
        compile(text, "m.py", "exec", dont_inherit=True)
    except SyntaxError as exc:
        return f"line {exc.lineno}:{exc.offset}: {exc.msg}"
    except ValueError as exc:
        return str(exc)
    return None


@pytest.mark.parametrize("text", CASES)
def test_the_gate_rejects_exactly_what_compile_rejects(text: str) -> None:
    assert _syntax_error(text, "m.py") == _reference(text)
