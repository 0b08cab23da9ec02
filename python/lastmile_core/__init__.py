"""lastmile_core: compiled routing and shipments-per-route (SPR) core for last-mile planning."""

from __future__ import annotations

from . import energy, errors
from ._core import ProblemData, Route, Solution, VehicleType
from .battery import battery_report
from .check import CheckReport, check
from .instance import Instance, VehicleSpec
from .metrics import RouteMetrics, batch_metrics, from_table, route_metrics
from .result import Result
from .solve import solve

# isort: split
from . import fleet, spr  # SPR model and fleet planning (import after solve: they use it)

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
    "fleet",
    "solve",
    "spr",
    "RouteMetrics",
    "batch_metrics",
    "from_table",
    "route_metrics",
]
