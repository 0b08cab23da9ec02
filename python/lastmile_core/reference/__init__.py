"""Reference solvers used to validate and benchmark lastmile_core (optional dependencies).

``solve_ortools`` builds the same model as the core (capacities per dimension, heterogeneous fleet
with counts and fixed costs, per-distance/per-duration costs, duration and distance limits) in
Google OR-Tools routing and evaluates the routes it returns with the C++ ``Solution``.
OR-Tools is imported lazily: importing this package never requires it.
"""

from __future__ import annotations

from .ortools import (
    CACHE_NODE_LIMIT,
    MATRIX_NODE_LIMIT,
    ReferenceResult,
    fleet_upper_bound,
    solve_ortools,
)

__all__ = [
    "CACHE_NODE_LIMIT",
    "MATRIX_NODE_LIMIT",
    "ReferenceResult",
    "fleet_upper_bound",
    "solve_ortools",
]
