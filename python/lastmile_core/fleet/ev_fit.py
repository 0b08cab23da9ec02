"""Which routes can go electric: each observed or solved route of a station, driven by an EV type
at each month's ambient temperature with its payload and hills, checked against the battery and
its reserve with the energy API (:func:`lastmile_core.energy.route_energy_batch`).

Routes come as a per-arc table (:data:`ARC_COLUMNS`, the layout of
:func:`lastmile_core.energy.solution_arcs`; :func:`arcs_from_solution` builds it from a solved
instance). A route that does not fit gets its *binding cause*, found by re-evaluating it with one
factor removed at a time:

* ``payload``: the delivered payload exceeds the van's ``max_payload_kg``;
* ``range``: too long even at 20 C on flat ground;
* ``cold`` / ``heat``: fits on flat ground at 20 C but not at the month's temperature (flat);
* ``hills``: fits at 20 C on flat ground and at the month's temperature on flat ground, but not
  at 20 C with its elevation profile;
* ``cold+hills`` / ``heat+hills``: each factor alone is tolerable, together they are not;
* ``charge_window``: fits the battery but cannot be recharged within the station's overnight
  window at the EV's on-board charge power.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .. import energy
from ..errors import InputError

#: Columns of the per-arc route table (one row per arc, arcs of a route in driving order).
ARC_COLUMNS = ("station", "route", "distance_m", "elevation_diff_m", "dwell_s", "payload_kg")

#: Reference conditions of the cause analysis: neutral cabin temperature, flat ground.
REFERENCE_C = 20.0

#: Temperatures accepted anywhere in the plan (deg C).
TEMPERATURE_RANGE_C = (-60.0, 60.0)

#: Columns of the :func:`route_fit` table.
FIT_COLUMNS = (
    "station",
    "month",
    "ev_type",
    "route",
    "temperature_c",
    "km",
    "payload_kg",
    "energy_kwh",
    "min_soc",
    "fits",
    "cause",
)

CAUSES = (
    "payload",
    "range",
    "cold",
    "heat",
    "hills",
    "cold+hills",
    "heat+hills",
    "charge_window",
)


@dataclass(frozen=True)
class EVType:
    """An electric van type of the plan.

    ``vehicle`` names an energy preset (:meth:`lastmile_core.energy.Vehicle.preset`);
    ``battery_kwh`` is the nominal battery (default: the preset's), of which ``usable_share`` can
    be used; ``reserve_share`` of the usable energy must remain at the end of every route.
    ``charge_kw`` is the on-board (AC) charging limit, ``charge_efficiency`` the grid-to-battery
    efficiency and ``price`` the purchase price.
    """

    name: str
    vehicle: str = "midvan68"
    battery_kwh: float | None = None
    usable_share: float = 0.9
    reserve_share: float = 0.1
    charge_kw: float = 11.0
    charge_efficiency: float = 0.92
    price: float = 60000.0

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise InputError(f"name: EV type needs a non-empty name, got {self.name!r}")
        if self.vehicle not in energy.Vehicle.preset_names():
            raise InputError(
                f"vehicle: EV type {self.name!r}: unknown energy preset {self.vehicle!r} "
                f"(known: {', '.join(energy.Vehicle.preset_names())})"
            )
        if self.battery_kwh is not None:
            _positive(self.battery_kwh, "battery_kwh", self.name)
        for f in ("usable_share", "charge_efficiency"):
            v = float(getattr(self, f))
            if not (0.0 < v <= 1.0):
                raise InputError(f"{f}: EV type {self.name!r} must be in (0, 1], got {v!r}")
        if not (0.0 <= float(self.reserve_share) < 1.0):
            raise InputError(
                f"reserve_share: EV type {self.name!r} must be in [0, 1), got {self.reserve_share!r}"
            )
        _positive(self.charge_kw, "charge_kw", self.name)
        if not (math.isfinite(float(self.price)) and self.price >= 0):
            raise InputError(f"price: EV type {self.name!r} must be >= 0, got {self.price!r}")

    @property
    def usable_kwh(self) -> float:
        preset = energy.Vehicle.preset(self.vehicle)
        nominal = preset.battery_usable_kwh if self.battery_kwh is None else self.battery_kwh
        return float(nominal) * float(self.usable_share)

    @property
    def reserve_kwh(self) -> float:
        return self.usable_kwh * float(self.reserve_share)

    def energy_vehicle(self) -> energy.Vehicle:
        """The energy model of this type, its battery set to the usable energy."""
        params: dict[str, Any] = {
            **energy.Vehicle.preset(self.vehicle).to_dict(),
            "battery_usable_kwh": self.usable_kwh,
        }
        return energy.Vehicle(**params)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> EVType:
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(d) - known)
        if unknown:
            raise InputError(f"{unknown[0]}: unknown EV type field")
        if "name" not in d:
            raise InputError("name: EV type needs a name")
        return cls(**dict(d))


def _positive(v: Any, field: str, owner: str) -> None:
    try:
        fv = float(v)
    except (TypeError, ValueError):
        raise InputError(f"{field}: {owner!r} needs a number, got {v!r}") from None
    if not (math.isfinite(fv) and fv > 0):
        raise InputError(f"{field}: {owner!r} must be > 0, got {v!r}")


def check_temperature(t: Any, field: str = "temperature_c") -> float:
    """``t`` as a float within :data:`TEMPERATURE_RANGE_C`, else InputError naming ``field``."""
    try:
        ft = float(t)
    except (TypeError, ValueError):
        raise InputError(f"{field}: expected a number, got {t!r}") from None
    lo, hi = TEMPERATURE_RANGE_C
    if not (lo <= ft <= hi):
        raise InputError(f"{field}: {t!r} C outside [{lo:g}, {hi:g}]")
    return ft


def validate_arcs(arcs: pd.DataFrame) -> pd.DataFrame:
    """The arc table with typed columns; InputError naming the first bad column."""
    if not isinstance(arcs, pd.DataFrame):
        raise InputError(f"routes: expected a DataFrame, got {type(arcs).__name__}")
    for c in ARC_COLUMNS:
        if c not in arcs.columns:
            raise InputError(f"{c}: missing column in the route arc table")
    if len(arcs) == 0:
        raise InputError("routes: the route arc table is empty")
    keep = [*ARC_COLUMNS, *(["month"] if "month" in arcs.columns else [])]
    a = arcs.loc[:, keep].copy()
    a["station"] = a["station"].astype(str)
    if "month" in a.columns:
        a["month"] = a["month"].astype(str)
    a["route"] = a["route"].astype(str)
    for c in ARC_COLUMNS[2:]:
        v = pd.to_numeric(a[c], errors="coerce")
        bad = ~np.isfinite(v.to_numpy(float))
        if c != "elevation_diff_m":
            bad |= v.to_numpy(float) < 0
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputError(f"{c}: invalid value {arcs[c].iloc[i]!r} in arc row {i}")
        a[c] = v.astype(float)
    return a


def arcs_from_solution(
    instance: Any, solution: Any, station: str, *, payload_dim: str | int = "weight_kg"
) -> pd.DataFrame:
    """The per-arc table of a solved instance's routes (``route`` = position in
    ``solution.routes``), via :func:`lastmile_core.energy.solution_arcs`."""
    arcs = energy.solution_arcs(
        instance, solution, payload_dim=payload_dim, metres_per_unit=instance.metres_per_unit
    )
    kept, _ = energy._nonempty_routes(solution)
    off = np.asarray(arcs["route_offsets"])
    route = np.repeat(kept, np.diff(off))
    return pd.DataFrame(
        {
            "station": str(station),
            "route": route.astype(str),
            "distance_m": arcs["distance_m"],
            "elevation_diff_m": arcs["elevation_diff_m"],
            "dwell_s": arcs["dwell_s"],
            "payload_kg": arcs["payload_delivered_kg"],
        }
    )


@dataclass(frozen=True)
class _StationRoutes:
    names: list[str]
    offsets: np.ndarray
    distance_m: np.ndarray
    rise_m: np.ndarray
    dwell_s: np.ndarray
    payload_kg: np.ndarray
    route_payload_kg: np.ndarray
    route_km: np.ndarray


def _station_routes(a: pd.DataFrame) -> _StationRoutes:
    codes, names = pd.factorize(a["route"], sort=False)
    order = np.argsort(codes, kind="stable")
    counts = np.bincount(codes, minlength=len(names))
    offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    dist = a["distance_m"].to_numpy(float)[order]
    payload = a["payload_kg"].to_numpy(float)[order]
    starts = offsets[:-1]
    return _StationRoutes(
        names=[str(n) for n in names],
        offsets=offsets,
        distance_m=dist,
        rise_m=a["elevation_diff_m"].to_numpy(float)[order],
        dwell_s=a["dwell_s"].to_numpy(float)[order],
        payload_kg=payload,
        route_payload_kg=np.add.reduceat(payload, starts),
        route_km=np.add.reduceat(dist, starts) / 1000.0,
    )


def _energy(
    vehicle: energy.Vehicle, r: _StationRoutes, ev: EVType, ambient_c: float, hills: bool
) -> energy.BatchRouteEnergy:
    return energy.route_energy_batch(
        vehicle,
        r.offsets,
        r.distance_m,
        r.rise_m if hills else 0.0,
        r.dwell_s,
        r.payload_kg,
        ambient_c=ambient_c,
        reserve_kwh=ev.reserve_kwh,
    )


def route_fit(
    arcs: pd.DataFrame,
    ev_types: Sequence[EVType],
    temperatures: pd.DataFrame,
    window_h: Mapping[str, float] | None = None,
    charger_kw: float = math.inf,
) -> pd.DataFrame:
    """One row per station x month x EV type x route: ``energy_kwh`` (chemical, at the month's
    temperature with hills and payload), ``min_soc``, ``payload_kg``, ``km``, ``fits`` and
    ``cause`` (empty when it fits; see the module docstring).

    ``temperatures`` has columns ``station``, ``month``, ``temperature_c`` (one row per station
    and month of the plan). ``window_h`` (station -> hours of one charging session) adds the
    ``charge_window`` check: grid energy ``energy_kwh / charge_efficiency`` must be deliverable
    at ``min(charge_kw, charger_kw)`` within the session.
    """
    a = validate_arcs(arcs)
    if not ev_types:
        raise InputError("ev_types: at least one EV type is required")
    for c in ("station", "month", "temperature_c"):
        if c not in temperatures.columns:
            raise InputError(f"{c}: missing column in the station temperatures")
    temps = temperatures.assign(
        station=temperatures["station"].astype(str), month=temperatures["month"].astype(str)
    )
    for t in temps["temperature_c"]:
        check_temperature(t)
    have = set(a["station"])
    for st in temps["station"].unique():
        if st not in have:
            raise InputError(f"station: {st!r} has no routes in the route arc table")
    cols: dict[str, list[Any]] = {c: [] for c in FIT_COLUMNS}
    for station, sa in a.groupby("station", sort=True):
        st_all = temps[temps["station"] == station]
        if len(st_all) == 0:
            continue
        if "month" in a.columns:  # the routes of each month (planned month by month)
            parts = []
            for mo in st_all["month"].unique():
                sub = sa[(sa["month"] == mo).to_numpy()]
                if len(sub) == 0:
                    raise InputError(f"month: station {station!r} has no routes in {mo}")
                parts.append((st_all[(st_all["month"] == mo).to_numpy()], sub))
        else:
            parts = [(st_all, sa)]
        for st_temps, part in parts:
            _fit_station(
                cols, str(station), _station_routes(part), st_temps, ev_types, window_h, charger_kw
            )
    if not cols["station"]:
        raise InputError("temperatures: no station of the temperature table has routes")
    return pd.DataFrame({c: np.concatenate(v) for c, v in cols.items()})


def _fit_station(
    cols: dict[str, list[Any]],
    station: str,
    routes: _StationRoutes,
    st_temps: pd.DataFrame,
    ev_types: Sequence[EVType],
    window_h: Mapping[str, float] | None,
    charger_kw: float,
) -> None:
    """Append the fit of one station's routes at the temperatures of ``st_temps`` to ``cols``."""
    for ev in ev_types:
        vehicle = ev.energy_vehicle()
        ref_flat = _energy(vehicle, routes, ev, REFERENCE_C, hills=False).feasible
        ref_hills = _energy(vehicle, routes, ev, REFERENCE_C, hills=True).feasible
        over_payload = routes.route_payload_kg > vehicle.max_payload_kg + 1e-9
        cache: dict[float, tuple[Any, Any]] = {}
        for row in st_temps.itertuples(index=False):
            t = float(row.temperature_c)
            if t not in cache:
                full = _energy(vehicle, routes, ev, t, hills=True)
                flat = _energy(vehicle, routes, ev, t, hills=False).feasible
                cache[t] = (full, flat)
            full, flat = cache[t]
            fits = np.asarray(full.feasible, dtype=bool) & ~over_payload
            cause = np.full(len(routes.names), "", dtype=object)
            weather = "cold" if t < REFERENCE_C else "heat"
            nofit = ~np.asarray(full.feasible, dtype=bool)
            cause[nofit] = f"{weather}+hills"
            cause[nofit & ~np.asarray(ref_hills)] = "hills"
            cause[nofit & ~np.asarray(flat)] = weather
            cause[nofit & ~np.asarray(ref_flat)] = "range"
            if window_h is not None and str(station) in window_h:
                grid = np.asarray(full.energy_kwh) / ev.charge_efficiency
                kw = min(ev.charge_kw, charger_kw)
                slow = fits & (grid > kw * float(window_h[str(station)]) + 1e-9)
                cause[slow] = "charge_window"
                fits &= ~slow
            cause[over_payload] = "payload"
            n = len(routes.names)
            for c, v in (
                ("station", [str(station)] * n),
                ("month", [str(row.month)] * n),
                ("ev_type", [ev.name] * n),
                ("route", routes.names),
                ("temperature_c", np.full(n, t)),
                ("km", routes.route_km),
                ("payload_kg", routes.route_payload_kg),
                ("energy_kwh", np.asarray(full.energy_kwh)),
                ("min_soc", np.asarray(full.min_soc)),
                ("fits", fits),
                ("cause", list(cause)),
            ):
                cols[c].append(v)


def fit_summary(fit: pd.DataFrame, design_quantile: float = 0.9) -> pd.DataFrame:
    """Per station x month x EV type: ``routes``, ``fit_share``, ``kwh_design`` (the
    ``design_quantile`` of the chemical energy of the routes that fit, the energy one EV is
    planned to draw per day; 0 when none fits), the most frequent cause among routes that do not
    fit (``cause``, empty when all fit; ties go to the first in :data:`CAUSES`) and one
    ``n_<cause>`` count per cause."""
    if not (0.0 <= design_quantile <= 1.0):
        raise InputError(f"design_quantile: must be in [0, 1], got {design_quantile!r}")
    keys = ["station", "month", "ev_type"]
    g = fit.groupby(keys, sort=False)
    out = g.agg(
        temperature_c=("temperature_c", "first"),
        routes=("fits", "size"),
        fit_share=("fits", "mean"),
    )
    ok = fit[fit["fits"].to_numpy(bool)]
    design = ok.groupby(keys, sort=False)["energy_kwh"].quantile(design_quantile)
    out["kwh_design"] = design.reindex(out.index).fillna(0.0).to_numpy(float)
    bad = fit[~fit["fits"].to_numpy(bool)]
    counts = bad.groupby([*keys, "cause"], sort=False).size().unstack("cause", fill_value=0)
    counts = counts.reindex(index=out.index, columns=list(CAUSES), fill_value=0)
    c = counts.to_numpy()
    # most frequent cause, ties to the first in CAUSES order
    out["cause"] = np.where(c.sum(axis=1) > 0, np.array(CAUSES, dtype=object)[c.argmax(axis=1)], "")
    for j, name in enumerate(CAUSES):
        out[f"n_{name}"] = c[:, j].astype(int)
    out["fit_share"] = out["fit_share"].astype(float)
    return out.reset_index()


__all__ = [
    "ARC_COLUMNS",
    "CAUSES",
    "FIT_COLUMNS",
    "REFERENCE_C",
    "TEMPERATURE_RANGE_C",
    "EVType",
    "arcs_from_solution",
    "check_temperature",
    "fit_summary",
    "route_fit",
    "validate_arcs",
]
