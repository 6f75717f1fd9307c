"""Registers Python with the engine: libcst for rewriting, CPython's compiler for the gate."""

from __future__ import annotations

import libcst as cst

from ..catalogue import Catalogue
from ..engine import Language, Migration, Skip
from ..options import Options
from .migrate import NotTheSdk, migrate_python


def _migrate(text: str, path: str, catalogue: Catalogue, options: Options) -> Migration:
    try:
        result = migrate_python(text, catalogue, options)
    except NotTheSdk as exc:
        raise Skip(str(exc)) from exc
    return Migration(result.code, result.changes, result.findings)


def _syntax_error(text: str, path: str) -> str | None:
    """libcst must parse it (to rewrite it) and CPython must compile it (to run it)."""
    try:
        cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        return f"line {exc.raw_line}:{exc.raw_column}: {exc.message}"
    try:
        compile(text, path, "exec", dont_inherit=True)
    except SyntaxError as exc:
        return f"line {exc.lineno}:{exc.offset}: {exc.msg}"
    except ValueError as exc:
        return str(exc)
    return None


LANGUAGE = Language(name="python", migrate=_migrate, syntax_error=_syntax_error)
