"""Registers Python with the engine: libcst for rewriting, CPython's compiler for the gate."""

from __future__ import annotations

import ast
import os

import libcst as cst

from ..catalogue import Catalogue
from ..engine import Language, Migration, ParseFailure, Skip, Unrewritable
from ..http.python import may_call_amplitude_http, with_http
from ..options import Options
from ..prefilter import may_import_amplitude_py_text
from ..results import Finding
from ..sdks import Registry
from .ampli import application_findings
from .migrate import NotLossless, SkipFile, migrate_python

# A module can only hold Amplitude calls the tool rewrites if it imports the package; files
# that merely mention it (comments, strings, look-alikes) skip libcst's metadata entirely.
# The pre-filter's test also sees `try: from amplitude import ...` and continuation lines.
_IMPORTS_AMPLITUDE = may_import_amplitude_py_text


def reported_imports(text: str, registry: Registry) -> list[Finding]:
    """Imports of Python packages the tool does not migrate, each listed with why and what
    Mixpanel offers instead (`amplitude_tracker`, `amplitude_experiment`)."""
    modules = registry.python_reported()
    if not any(module in text for module in modules):
        return []
    found = []
    for node in ast.walk(ast.parse(text)):  # the gate already compiled the text
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            report = modules.get(name.split(".")[0])
            if report is not None:
                found.append(Finding(node.lineno, "PY-PACKAGE", None, "manual",
                                     f"{report.package} is imported here: {report.reason}. "
                                     f"Mixpanel: {report.alternative}"))
    return found


def _migrate(text: str, path: str, catalogue: Catalogue, options: Options) -> Migration:
    package = os.path.basename(path) == "__init__.py"
    if may_call_amplitude_http(text):
        try:
            return with_http(text, catalogue, options,
                             lambda t, c, o: _migrate_sdk(t, c, o, package))
        except cst.ParserSyntaxError as exc:
            raise ParseFailure(f"line {exc.raw_line}:{exc.raw_column}: {exc.message}") from exc
        except NotLossless as exc:
            raise Unrewritable(f"not-lossless: {exc}; the file is left as it is") from exc
    return _migrate_sdk(text, catalogue, options, package)


def _migrate_sdk(text: str, catalogue: Catalogue, options: Options,
                 package: bool = False) -> Migration:
    reported = reported_imports(text, catalogue.sdks)
    reaches = application_findings(text, catalogue)
    if not _IMPORTS_AMPLITUDE(text) and not options.clients:
        return Migration(text, [], [*reported, *reaches])
    try:
        result = migrate_python(text, catalogue, options, package)
    except SkipFile as exc:
        raise Skip(str(exc)) from exc
    except cst.ParserSyntaxError as exc:
        raise ParseFailure(f"line {exc.raw_line}:{exc.raw_column}: {exc.message}") from exc
    except NotLossless as exc:
        raise Unrewritable(f"not-lossless: {exc} (a form feed in an indentation is one such "
                           "case); the file is left as it is") from exc
    said = {f.line for f in result.findings if f.severity == "manual"}
    reaches = [f for f in reaches if f.line not in said]
    return Migration(result.code, result.changes, [*result.findings, *reported, *reaches],
                     result.clients)


def _syntax_error(text: str, path: str) -> str | None:
    """CPython's compiler decides (it is the reference, and 15x cheaper than a libcst parse);
    libcst's own parse happens once, in `_migrate`, and reports through `ParseFailure`."""
    try:
        compile(text, path, "exec", dont_inherit=True)
    except SyntaxError as exc:
        return f"line {exc.lineno}:{exc.offset}: {exc.msg}"
    except ValueError as exc:
        return str(exc)
    return None


LANGUAGE = Language(name="python", migrate=_migrate, syntax_error=_syntax_error)
