"""The fitted parameters of the SPR model: one plain, typed, frozen object.

:class:`SPRParams` is what :func:`~lastmile_core.spr.calibrate.fit` produces, what
:class:`~lastmile_core.spr.SPRModel` holds and predicts with, and what
:mod:`~lastmile_core.spr.serialise` writes to JSON. Hierarchy levels are keyed ``"global"``,
``"city:<city>"`` and ``"station:<city>/<station>"``; zone profiles ``"<city>/<station>/<zone>"``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TypedDict

from ..errors import InputError
from ..road import DEFAULT_ROAD
from .constraints import CONSTRAINTS, DEFAULT_UTILISATION
from .vans import VanType

#: Route components regressed per hierarchy level: ``distance`` = (c_lh, k c) on (2 r, local
#: factor), ``driving`` = (s per line-haul km, s per local unit), ``service`` = (a, b) on (stops,
#: packages).
COMPONENTS: tuple[str, ...] = ("distance", "driving", "service")

#: How station route counts are made integer (see :class:`SPRParams`).
ROUTE_COUNTS: tuple[str, ...] = ("fractional", "zones")


class ZoneProfile(TypedDict):
    """A zone seen in training: packages-per-stop ``rho`` (shrunk toward its station), its share
    of the station's packages, mean daily packages, area, distance to the station, volume and
    weight per package, number of zone-days."""

    city: str
    station: str
    zone: str
    rho: float
    share: float
    mean_packages: float
    area_km2: float
    r_km: float
    volume_l_per_package: float
    weight_kg_per_package: float
    n_days: int


@dataclass(frozen=True)
class SPRParams:
    """Calibrated parameters of the continuous-approximation SPR model.

    ``coef[level][component]`` route-level coefficients (:data:`COMPONENTS`), ``coef_se`` the
    standard errors of the global ones; ``rho[level]`` pooled packages-per-stop and ``rho_cv``
    its coefficient of variation over zone-days; ``h_per_km2`` the stop-location density of the
    saturation (None = none); ``volume_per_package`` / ``weight_per_package`` per level;
    ``zones`` the zone profiles; ``utilisation`` per constraint (``utilisation_fitted`` the ones
    the data pinned down, ``utilisation_station["station:<c>/<s>|<van>"]`` station x van
    factors); ``linehaul_own_share`` (lambda) and ``zone_mix`` of the fractional route count,
    ``route_count`` (``"fractional"`` or ``"zones"``) and its absorbed ``overflow_stops``;
    ``kappa_*`` the shrinkage weights used; ``van_types`` seen in training (or given);
    ``circuity`` the median network circuity; ``quality`` R^2 / MAPE per component;
    ``routes_fit`` the order-free route geometry and road factors of
    :func:`~.route_predict.fit_route_geometry` (empty: defaults).
    """

    coef: dict[str, dict[str, tuple[float, ...]]] = field(default_factory=dict)
    coef_se: dict[str, tuple[float, ...]] = field(default_factory=dict)
    rho: dict[str, float] = field(default_factory=dict)
    rho_cv: float = 0.0
    h_per_km2: float | None = None
    volume_per_package: dict[str, float] = field(default_factory=dict)
    weight_per_package: dict[str, float] = field(default_factory=dict)
    zones: dict[str, ZoneProfile] = field(default_factory=dict)
    utilisation: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_UTILISATION))
    utilisation_fitted: tuple[str, ...] = ()
    linehaul_own_share: float = 1.0
    zone_mix: float = 1.0
    route_count: str = "fractional"
    overflow_stops: float = 0.0
    utilisation_station: dict[str, dict[str, float]] = field(default_factory=dict)
    kappa_days: float = 12.0
    van_types: dict[str, VanType] = field(default_factory=dict)
    circuity: float = DEFAULT_ROAD.tour_circuity
    quality: dict[str, dict[str, float]] = field(default_factory=dict)
    kappa_routes: float = 20.0
    kappa_stops: float = 30.0
    version: int = 1
    routes_fit: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.route_count not in ROUTE_COUNTS:
            raise InputError(
                f"route_count: expected 'fractional' or 'zones', got {self.route_count!r}"
            )
        for name in ("linehaul_own_share", "zone_mix"):
            v = getattr(self, name)
            if not 0.0 <= v <= 1.0:
                raise InputError(f"{name}: must be in [0, 1], got {v!r}")
        for c in self.utilisation:
            if c not in CONSTRAINTS:
                raise InputError(f"utilisation: unknown constraint {c!r}")
        if self.h_per_km2 is not None and not (
            self.h_per_km2 > 0 and math.isfinite(self.h_per_km2)
        ):
            raise InputError(f"h_per_km2: must be > 0 or None, got {self.h_per_km2!r}")


__all__ = ["COMPONENTS", "ROUTE_COUNTS", "SPRParams", "ZoneProfile"]
