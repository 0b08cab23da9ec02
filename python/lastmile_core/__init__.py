"""lastmile_core: compiled routing and shipments-per-route (SPR) core for last-mile planning.

``import lastmile_core as lm`` gives the whole public surface the README uses: ``lm.Instance``,
``lm.VehicleSpec``, ``lm.solve``, ``lm.check``, ``lm.battery_report`` and the modules
``lm.io``, ``lm.examples``, ``lm.metrics``, ``lm.energy``, ``lm.reference`` (OR-Tools is only
imported when a reference solver runs), ``lm.spr``, ``lm.fleet`` and ``lm.plotting``
(matplotlib is imported inside each plot function).
"""

from __future__ import annotations

from . import energy, errors, geo, units
from ._core import ProblemData, Route, Solution, VehicleType
from .battery import battery_report
from .check import CheckReport, check
from .instance import Instance, VehicleSpec
from .metrics import RouteMetrics, batch_metrics, from_table, route_metrics
from .result import Result
from .solve import ALGORITHMS, solve

# isort: split
from . import examples, io, metrics, plotting, reference  # after Instance/solve: they use them

# isort: split
from . import fleet, spr  # SPR model and fleet planning (import after solve: they use it)

__version__ = "0.1.0"

__all__ = [
    "ALGORITHMS",
    "CheckReport",
    "Instance",
    "ProblemData",
    "Result",
    "Route",
    "RouteMetrics",
    "Solution",
    "VehicleSpec",
    "VehicleType",
    "__version__",
    "batch_metrics",
    "battery_report",
    "check",
    "energy",
    "errors",
    "examples",
    "fleet",
    "from_table",
    "geo",
    "io",
    "metrics",
    "plotting",
    "reference",
    "route_metrics",
    "solve",
    "spr",
    "units",
]
