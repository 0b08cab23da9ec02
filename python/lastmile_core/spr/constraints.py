"""The constraints that can bind an SPR route and their default utilisation factors."""

from __future__ import annotations

#: Constraints that can bind a route, in reporting order.
CONSTRAINTS: tuple[str, ...] = ("packages", "volume", "weight", "time", "energy")

#: Default utilisation factors (share of nominal capacity/shift/battery a full route uses) kept
#: when the training data never show that constraint binding.
DEFAULT_UTILISATION: dict[str, float] = {
    "packages": 0.95,
    "volume": 0.90,
    "weight": 0.95,
    "time": 0.95,
    "energy": 0.90,
}

__all__ = ["CONSTRAINTS", "DEFAULT_UTILISATION"]
