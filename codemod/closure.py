"""The statement closure both slicers share (`codemod/python/slicing.py`, `codemod/js/slicing.py`).

A statement is known by the words it mentions and the names it binds where other statements
can see them. The statements a migration can need are the core (mentioning a seed, or a name
bound by a core statement, to a fixpoint: every use and rebinding of an Amplitude-bound name
stays visible) and the binders of any word the core mentions (so each reference resolves to
the same declarations as in the whole file). Words may be `str` or `bytes`; only equality
matters.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence, Set
from typing import TypeVar

Word = TypeVar("Word", bound=Hashable)  # `str` or `bytes`


def closure(
    words: Sequence[Set[Word]], binds: Sequence[Set[Word]], seeds: Set[Word],
    always_core: Set[int] = frozenset(),
) -> tuple[set[int], set[Word]]:
    """The needed statements, and every name that made a statement core (for nested blocks)."""
    names = set(seeds)
    core: set[int] = set()
    changed = True
    while changed:
        changed = False
        for index, found in enumerate(words):
            if index not in core and (index in always_core or not found.isdisjoint(names)):
                core.add(index)
                names |= binds[index]
                changed = True
    mentioned: set[Word] = set()
    for index in core:
        mentioned |= words[index]
    return core | {i for i, bound in enumerate(binds) if not bound.isdisjoint(mentioned)}, names
