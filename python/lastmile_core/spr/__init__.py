"""Shipments-per-route (SPR): a calibrated continuous-approximation model of station-days.

The model is built bottom-up from delivery zones (zip-code-like areas) for one van type and one
station-day, following the continuous approximation (CA) line of work:

* Daganzo (1984), "The distance traveled to visit N points with a maximum of C stops per vehicle:
  an analytic model and an application", Transportation Science 18(4): the length of a fleet of
  routes is a line-haul term (2 x distance to the zone per route) plus a local term proportional
  to ``N / sqrt(delta)`` (N stops at density delta per km^2).
* Figliozzi (2008), "Planning approximations to the average length of vehicle routing problems
  with varying customer demands and routing constraints", TRR 2089: route length regressions and
  the effect of binding time/capacity constraints on the number of routes.
* Merchán & Winkenbach (2019), "An empirical validation and data-driven extension of continuum
  approximation approaches for urban route distances", Networks 73(4): calibrated ``k`` and
  network circuity (1.2-1.5 in cities) estimated from real routes.

Per zone ``z`` with ``P`` packages, area ``A`` km^2 and straight-line distance ``r`` km from
the station to the zone centroid:

* stops: ``N = H * (1 - exp(-P / (rho * H)))``. ``rho`` is the packages-per-stop of a recipient at
  low volume (consolidation) and ``H = h * A`` the number of distinct stop locations in the zone;
  with ``rho = 1`` this is the classic ``H (1 - exp(-P/H))``. ``h = None`` (infinite) means no
  saturation (``N = P / rho``). Packages per stop ``P / N``; stop density ``delta = N / A``.
* distance of a route with ``n`` stops in the zone: ``c_lh * 2 r + k c * n / sqrt(delta)``
  (``c_lh`` the line-haul circuity, ``k c`` the local constant times the network circuity ``c``).
* time of a route: ``s_lh * 2 r + n * (a + b * P/N + s_loc / sqrt(delta))``: line-haul driving,
  service time per stop (``a`` per stop, ``b`` per package) and local driving between stops.
* stops per route ``n_max = min(n_packages, n_volume, n_weight, n_time, n_energy)`` where each
  limit uses the van's capacity times a utilisation factor ``u_j`` (the share of nominal
  capacity a real route fills when ``j`` binds), the shift length (``u_time * shift``) and the
  usable battery (``u_energy * (battery - reserve)``); the minimising term is the *binding
  constraint* reported.
* routes ``R_z = N / n_max`` (fractional); routes per station-day ``ceil(sum_z R_z)``;
  SPR = packages / routes; km ``= sum_z R_z * c_lh * 2 r + k c * N / sqrt(delta)``.
  With ``route_count="zones"`` the station count is integer zone by zone (a zone needs
  ``ceil(R_z)`` routes unless its overflow is a few stops that neighbouring routes absorb;
  single-route zones whose loads fit in one van share it; see
  :func:`.ca.zone_integer_routes`), so the utilisation factors keep their physical meaning (the
  fill of a full route, about 0.95-1) instead of absorbing the rounding of the zone structure.

Calibration (:meth:`SPRModel.fit`) regresses each component on per-route observations
(:func:`observe`, :func:`observe_table`) by least squares and pools thin data with hierarchical
shrinkage global -> city -> station -> zone (see :meth:`SPRModel.fit`).

Modules: :mod:`.vans` (van types), :mod:`.energy` (route energy models), :mod:`.observe` and
:mod:`.observations` (observed routes as a route table and a route x zone table), :mod:`.ca`
(the CA formulas), :mod:`.fit_stops`, :mod:`.fit_routes`, :mod:`.fit_utilisation` and
:mod:`.calibrate` (fitting), :mod:`.params` (the fitted parameters), :mod:`.predict`,
:mod:`.uncertainty`, :mod:`.model` (:class:`SPRModel`), :mod:`.serialise` (JSON),
:mod:`.scenario` and :mod:`.cli` (the ``lastmile spr`` hooks); :mod:`.hybrid` (physics + ML
residual correction in the training range, :mod:`.residual`, :mod:`.trust`), :mod:`.distribution`
(SPR quantiles over routes) and :mod:`.update` (rolling re-calibration with a drift report), all
on the CA predictions of observed routes and days in :mod:`.observed_ca`.
"""

from __future__ import annotations

from ..io import read_table

# Private names of the single-module ``spr`` that callers (fleet, tests, bench) still use.
from .ca import station_routes as _station_routes  # noqa: F401, E402
from .ca import stops_from_packages as _stops_from_packages  # noqa: F401, E402
from .ca import zone_integer_routes as _zone_integer_routes  # noqa: F401, E402
from .cli import cli_fit, cli_predict, load_scenario
from .constraints import CONSTRAINTS, DEFAULT_UTILISATION
from .distribution import SPRDistribution
from .energy import EnergyModel, linear_energy_kwh, temperature_factor, vehicle_energy_model
from .hybrid import SPRHybrid
from .ingest import CANONICAL_COLUMNS, UNZONED, SPRDataWarning
from .model import SPRModel
from .observations import (
    REQUIRED_COLUMNS,
    ZONE_COLUMNS,
    Observations,
    zones_from_routes,
)
from .observations import zones_from_routes as _parse_zone_mix  # noqa: F401, E402
from .observe import observe, observe_table
from .observe_routes import observe_routes
from .params import SPRParams, ZoneProfile
from .scenario import Scenario
from .scenario import validate_zones as _validate_zones  # noqa: F401, E402
from .update import cli_update, drift_report
from .vans import VanType

__all__ = [
    "CANONICAL_COLUMNS",
    "CONSTRAINTS",
    "DEFAULT_UTILISATION",
    "REQUIRED_COLUMNS",
    "SPRDataWarning",
    "UNZONED",
    "ZONE_COLUMNS",
    "EnergyModel",
    "Observations",
    "SPRDistribution",
    "SPRHybrid",
    "SPRModel",
    "SPRParams",
    "Scenario",
    "VanType",
    "ZoneProfile",
    "cli_fit",
    "cli_predict",
    "cli_update",
    "drift_report",
    "linear_energy_kwh",
    "load_scenario",
    "observe",
    "observe_routes",
    "observe_table",
    "read_table",
    "temperature_factor",
    "vehicle_energy_model",
    "zones_from_routes",
]
