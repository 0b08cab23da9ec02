"""Result of :func:`lastmile_core.solve`."""

from __future__ import annotations

from dataclasses import dataclass, field

from ._core import Solution


@dataclass
class Result:
    """Best solution found by the routing engine and how the search went.

    ``history`` lists ``(time_s, cost)`` each time the best feasible cost improved;
    ``interrupted`` is True when the search was stopped by Ctrl-C (the best solution so far is
    returned); ``feasible`` is always True for a returned result (no feasible solution raises
    :class:`lastmile_core.errors.InfeasibleError`).
    """

    solution: Solution
    cost: float
    runtime_s: float
    iterations: int
    history: list[tuple[float, float]] = field(default_factory=list)
    interrupted: bool = False
    feasible: bool = True
    algorithm: str = ""

    @property
    def routes(self) -> list[list[int]]:
        """Client indices of each route (depot omitted)."""
        return [list(r.visits) for r in self.solution.routes]

    def __repr__(self) -> str:
        return (
            f"Result(cost={self.cost:.6g}, routes={self.solution.num_routes}, "
            f"feasible={self.feasible}, iterations={self.iterations}, "
            f"runtime_s={self.runtime_s:.3f}, interrupted={self.interrupted})"
        )


__all__ = ["Result"]
