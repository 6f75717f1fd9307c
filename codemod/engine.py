"""The pure entry point: bytes of one file in, a typed `FileResult` out.

No I/O, no printing, and no exception escapes for any input. Every rewrite passes black's
paranoid gate before it is returned: the output must parse strictly with the same parser, and
running the rules again on it must change nothing. Otherwise the file is reported as an
error and its bytes are left as they were.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache

from .catalogue import Catalogue, load_catalogue
from .clients import Client
from .isolation import describe_failure
from .leftovers import disabled_notes, has_todo, may_refer, never_silent, todo_findings
from .options import Options
from .prefilter import needs_migrator
from .results import Change, FileResult, Finding, in_order
from .source import DecodeError, decode


@dataclass
class Migration:
    """What a language migrator produced for one decoded text."""

    code: str
    changes: list[Change]
    findings: list[Finding]
    # Every client of the file and each use of it, as planned before any was held back:
    # what the project plan (`codemod/project/`) decides shared clients from.
    clients: list[Client] = field(default_factory=list)


class Skip(Exception):
    """A migrator decided by design not to touch a file; the message is the reason."""


class ParseFailure(Exception):
    """The migrator's own parser rejected text that `syntax_error` accepted."""


class Unrewritable(Exception):
    """The migrator's parser reads the file but could not write it back byte for byte; the
    message is the reason. The file is an error (exit 123), left exactly as it was."""


def disabled_finding(line: int, rule: str) -> Finding:
    """What a migrator reports where a disabled rule would have rewritten a site."""
    return Finding(line, rule, None, "review",
                   f"not rewritten: rule {rule} is disabled, so this file is left as it is")


def hold_disabled(migration: Migration, text: str, options: Options) -> Migration:
    """The disabled-rule policy, the same for every language.

    A file where a disabled rule would have rewritten a site is left exactly as it is:
    rewriting its other sites would call Amplitude methods on a Mixpanel client, or the
    reverse. Every finding is kept, so the file's other sites are still listed.
    """
    if any(f.rule in options.disabled_rules for f in migration.findings):
        return Migration(text, [], migration.findings)
    return migration


@dataclass(frozen=True)
class Language:
    """A language the engine can migrate; registered by suffix in `LANGUAGES`."""

    name: str
    migrate: Callable[[str, str, Catalogue, Options], Migration]
    syntax_error: Callable[[str, str], str | None]


def _python() -> Language:
    from .python import language

    return language.LANGUAGE


def _javascript() -> Language:
    from .js import language

    return language.LANGUAGE


# Suffix -> loader. Loaders import lazily so a Python-only run never pays for JS parsers.
LANGUAGES: dict[str, Callable[[], Language]] = {
    ".py": _python,
    ".pyi": _python,
}
JS_SUFFIXES = (".js", ".jsx", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".tsx", ".vue", ".html")


def language_of(path: str) -> str | None:
    """The language name for a path, or None when the tool does not handle that suffix."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix in LANGUAGES:
        return "python"
    if suffix in JS_SUFFIXES and _js_available():
        return "javascript"
    return None


@cache
def _js_available() -> bool:
    try:
        from .js import language  # noqa: F401
    except ImportError:
        return False
    return True


def _load(path: str) -> Language:
    suffix = os.path.splitext(path)[1].lower()
    if suffix in LANGUAGES:
        return LANGUAGES[suffix]()
    return _javascript()


def migrate_source(
    data: bytes,
    path: str,
    options: Options | None = None,
    catalogue: Catalogue | None = None,
) -> FileResult:
    """Migrate one file's bytes. Never raises; see `FileResult` for what each status means."""
    options = options or Options()
    language = language_of(path) or "unknown"
    try:
        return _migrate(data, path, language, options, catalogue)
    except Exception as exc:  # the engine's promise: one file's failure is data, not a crash
        try:  # to name the rule at fault; the failure may be loading the rules themselves
            known = catalogue or load_catalogue()
        except Exception:
            known = None
        return FileResult(path, language, "error", reason=describe_failure(exc, known))


def _migrate(
    data: bytes, path: str, language: str, options: Options, catalogue: Catalogue | None
) -> FileResult:
    if language == "unknown":
        return FileResult(path, language, "skipped", reason="unsupported-file-type")
    if len(data) > options.max_bytes:
        return FileResult(
            path, language, "skipped",
            reason=f"too-large: {len(data)} bytes > limit {options.max_bytes}",
        )
    if b"\0" in data:
        return FileResult(path, language, "skipped", reason="binary: contains a NUL byte")
    if not needs_migrator(data, language) and not options.clients:
        # before decoding, parsing or importing a parser
        if has_todo(data):  # a site an earlier run left for a human is still there
            text = data.decode("utf-8", "surrogateescape")
            return FileResult(path, language, "unchanged", findings=tuple(todo_findings(text)))
        if may_refer(data):  # `useContext(AmplitudeContext)`: no rule's bytes, still a use
            text = data.decode("utf-8", "surrogateescape")
            return FileResult(path, language, "unchanged",
                              findings=tuple(never_silent(text, text, path, (),
                                                          options.settled_contexts)))
        return FileResult(path, language, "unchanged")
    try:
        decoded = decode(data, language)
    except DecodeError as exc:
        return FileResult(path, language, "skipped", reason=exc.reason)
    lang = _load(path)
    catalogue = catalogue or load_catalogue()  # parsed once per process, at the first candidate
    error = lang.syntax_error(decoded.text, path)
    if error is not None:
        return FileResult(path, language, "error", reason=f"syntax-error: {error}")
    try:
        result = hold_disabled(lang.migrate(decoded.text, path, catalogue, options),
                               decoded.text, options)
    except Skip as exc:
        return FileResult(path, language, "skipped", reason=str(exc))
    except ParseFailure as exc:
        return FileResult(path, language, "error", reason=f"syntax-error: {exc}")
    except Unrewritable as exc:
        return FileResult(path, language, "error", reason=str(exc))
    findings = in_order(result.findings)
    changes = tuple(sorted(result.changes, key=lambda c: (c.line, c.rule)))
    if result.code == decoded.text:
        # Never silent: a disabled rule that held the file says so, and an Amplitude import
        # nobody reported is itself a finding.
        findings += tuple(disabled_notes(findings, options.disabled_rules))
        findings += tuple(never_silent(decoded.text, decoded.text, path, findings,
                                       options.settled_contexts))
        findings = in_order(findings)
        return FileResult(path, language, "unchanged", changes=(), findings=findings)
    rules = sorted({change.rule for change in changes})
    if result.code.startswith("\ufeff") and not decoded.text.startswith("\ufeff"):
        # A U+FEFF inside the file, brought to its start by a deleted line, would read as a
        # byte order mark: the file's encoding signature would change.
        return FileResult(
            path, language, "error", findings=findings,
            reason=f"rewrite-adds-bom ({', '.join(rules)}): a U+FEFF character would start "
                   "the file and read as a byte order mark",
        )
    error = lang.syntax_error(result.code, path)
    if error is not None:
        return FileResult(
            path, language, "error", findings=findings,
            reason=f"rewrite-does-not-parse ({', '.join(rules)}): {error}",
        )
    output = decoded.encode(result.code)
    # The second pass is what a second run of the tool would do, and that run would stop at
    # the pre-filter when the output no longer mentions Amplitude (most rewrites): so only an
    # output the pre-filter lets through is migrated again.
    # A second run's plan would find migrated clients on Mixpanel: only held ones stay facts.
    settled = replace(options, clients=tuple(f for f in options.clients if f.held))
    if needs_migrator(output, language) or settled.clients:
        try:
            again = lang.migrate(result.code, path, catalogue, settled)
        except ParseFailure as exc:
            return FileResult(
                path, language, "error", findings=findings,
                reason=f"rewrite-does-not-parse ({', '.join(rules)}): {exc}",
            )
        except Unrewritable as exc:
            return FileResult(
                path, language, "error", findings=findings,
                reason=f"rewrite-not-stable ({', '.join(rules)}): a second pass fails: {exc}",
            )
        except Skip as exc:  # the rewrite left code a second run no longer recognises
            return FileResult(
                path, language, "error", findings=findings,
                reason=f"rewrite-not-stable ({', '.join(rules)}): a second pass skips it: {exc}",
            )
        if again.code != result.code:
            return FileResult(
                path, language, "error", findings=findings,
                reason=f"rewrite-not-stable ({', '.join(rules)}): a second pass changes the output",
            )
    # Never silent after a rewrite either: what is left of Amplitude carries a finding.
    findings += tuple(never_silent(decoded.text, result.code, path, findings,
                                   options.settled_contexts))
    findings = in_order(findings)
    return FileResult(
        path, language, "changed", output=output, changes=changes, findings=findings,
    )


def dry_clients(
    data: bytes, path: str, options: Options, catalogue: Catalogue | None = None
) -> list[Client] | str:
    """Plan one file without producing it: its clients and each use (see `Migration.clients`),
    or why it could not be planned (the file's own run reports that failure in full)."""
    language = language_of(path)
    if language is None:
        return "unsupported-file-type"
    try:
        decoded = decode(data, language)
    except DecodeError as exc:
        return exc.reason
    lang = _load(path)
    if lang.syntax_error(decoded.text, path) is not None:
        return "syntax-error"
    try:
        return lang.migrate(decoded.text, path, catalogue or load_catalogue(), options).clients
    except Skip as exc:
        return str(exc).split(":")[0]
    except Exception as exc:  # the file's own run reports it in full
        return type(exc).__name__
