"""tree-sitter's parsers and grammars, loaded on first use, and its queries."""

from __future__ import annotations

import threading
from typing import Any

from .nodes import Dialect

_local = threading.local()


def ts_parser(dialect: Dialect) -> Any:
    """One parser per dialect and thread (tree-sitter parsers are not thread-safe)."""
    parsers = getattr(_local, "parsers", None)
    if parsers is None:
        parsers = _local.parsers = {}
    parser = parsers.get(dialect)
    if parser is None:
        import tree_sitter

        parser = parsers[dialect] = tree_sitter.Parser(ts_language(dialect))
    return parser


_LANGUAGES: dict[str, Any] = {}


def ts_language(dialect: Dialect) -> Any:
    language = _LANGUAGES.get(dialect)
    if language is None:
        import tree_sitter

        if dialect == "js":
            import tree_sitter_javascript

            capsule = tree_sitter_javascript.language()
        else:
            import tree_sitter_typescript as typescript

            capsule = (
                typescript.language_tsx() if dialect == "tsx" else typescript.language_typescript()
            )
        language = _LANGUAGES[dialect] = tree_sitter.Language(capsule)
    return language


def captures(root: Any, dialect: Dialect, source: str) -> dict[str, list[Any]]:
    """A tree-sitter query's captures under `root`, by name; each query compiled once."""
    import tree_sitter

    query = _QUERIES.get((dialect, source))
    if query is None:
        query = _QUERIES[dialect, source] = tree_sitter.Query(ts_language(dialect), source)
    return tree_sitter.QueryCursor(query).captures(root)


_QUERIES: dict[tuple[str, str], Any] = {}


def first_error_node(root: Any) -> Any:
    """The first ERROR or MISSING node in document order."""
    node = root
    while True:
        for child in node.children:
            if child.is_missing or child.type == "ERROR":
                return child
            if child.has_error:
                node = child
                break
        else:
            return node
