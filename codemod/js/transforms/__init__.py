"""Named transforms: the rewrites a data template cannot express (spec §3.1-3.4, 3.6, 3.7).

Each takes a `Site` and the rule the catalogue dispatched it to, and returns an `Outcome`
whose rule id is the table row that applies (a method's rules share one transform, which
picks the row by its slug within the SDK family: `logEvent` with callbacks is the
`log-event-callbacks` row, without them `log-event`). The ids live in the rule TOMLs only.

One module per concept holds its transforms as a mixin over `TransformsCore`; `Transforms`
composes them, and importing this package imports every module, so `TRANSFORMS` is complete
whenever the class can be used.
"""

from __future__ import annotations

from .base import TRANSFORMS
from .groups import GroupTransforms
from .identity import IdentityTransforms
from .init import InitTransforms
from .lifecycle import LifecycleTransforms
from .options import OptionTransforms
from .people import PeopleTransforms
from .revenue import RevenueTransforms
from .track import TrackTransforms

__all__ = ["TRANSFORMS", "Transforms"]


class Transforms(InitTransforms, TrackTransforms, IdentityTransforms, PeopleTransforms,
                 GroupTransforms, RevenueTransforms, OptionTransforms, LifecycleTransforms):
    """The transforms of one module's migration: `TRANSFORMS.run` calls them as its methods."""
