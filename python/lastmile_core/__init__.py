"""lastmile_core: compiled routing and shipments-per-route (SPR) core for last-mile planning."""

from __future__ import annotations

from . import energy, errors
from ._core import ProblemData, Route, Solution, VehicleType
from .battery import battery_report
from .check import CheckReport, check
from .instance import Instance, VehicleSpec
from .result import Result
from .solve import solve

__version__ = "0.1.0"

__all__ = [
    "CheckReport",
    "Instance",
    "ProblemData",
    "Result",
    "Route",
    "Solution",
    "VehicleSpec",
    "VehicleType",
    "__version__",
    "battery_report",
    "check",
    "energy",
    "errors",
    "solve",
]
