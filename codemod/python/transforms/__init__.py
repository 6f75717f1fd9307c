"""The named Python transforms that rules refer to when a mapping is more than data.

One module per concept holds its transforms as a mixin over `TransformsCore` (base.py);
`Transforms` composes them, and importing this package imports every module, so `TRANSFORMS`
is complete whenever the class can be used.
"""

from __future__ import annotations

from .base import TRANSFORMS, Outcome, Site, manual
from .groups import GroupTransforms
from .identity import IdentityTransforms
from .init import InitTransforms
from .revenue import RevenueTransforms
from .track import TrackTransforms

__all__ = ["TRANSFORMS", "Outcome", "Site", "Transforms", "manual"]


class Transforms(InitTransforms, TrackTransforms, IdentityTransforms, GroupTransforms,
                 RevenueTransforms):
    """The transform functions, bound to one module's analysis and the run's options:
    `TRANSFORMS.run` calls them as its methods."""
