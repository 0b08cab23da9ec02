"""lastmile_core: compiled routing and shipments-per-route (SPR) core for last-mile planning."""

from __future__ import annotations

from . import energy, errors
from ._core import ProblemData, Route, Solution, VehicleType

__version__ = "0.1.0"

__all__ = [
    "ProblemData",
    "Route",
    "Solution",
    "VehicleType",
    "__version__",
    "energy",
    "errors",
]
