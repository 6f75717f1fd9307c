"""Named transforms: what a rule's data cannot express, registered by name per language.

A rule's TOML names its transform (`[fix] transform = "track"`); the name resolves through
the table its language fills with `@TABLE.register(name)`, never by looking an attribute up
by data. `rules/transforms.toml` lists each language's names so that the catalogue refuses an
unknown one when it loads, naming the file and the key, without importing any parser; a test
holds that list equal to what the languages register.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Transform = Callable[..., Any]


class TransformTable:
    """The transforms one language registers, by name."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.functions: dict[str, Transform] = {}

    def register(self, name: str) -> Callable[[Transform], Transform]:
        def decorate(function: Transform) -> Transform:
            if name in self.functions:
                raise ValueError(f"{self.language} transform {name!r} is registered twice")
            self.functions[name] = function
            return function

        return decorate

    def names(self) -> frozenset[str]:
        return frozenset(self.functions)

    def run(self, name: str, owner: object, *args: Any) -> Any:
        """Call the transform `name` as a method of `owner` (the language's `Transforms`)."""
        return self.functions[name](owner, *args)
