"""lastmile_core: compiled routing and shipments-per-route (SPR) core for last-mile planning."""

from __future__ import annotations

from . import errors
from ._core import ProblemData, Route, Solution, VehicleType
from .instance import Instance, VehicleSpec

# isort: split
from . import fleet, spr  # SPR model and fleet planning

__version__ = "0.1.0"

__all__ = [
    "Instance",
    "ProblemData",
    "Route",
    "Solution",
    "VehicleSpec",
    "VehicleType",
    "__version__",
    "errors",
    "fleet",
    "spr",
]
