"""Parameter uncertainty of a fitted SPR model: draws of :class:`~.params.SPRParams` for Monte
Carlo.

A draw is split in two steps so that a vectorised Monte Carlo can use the same random stream as
:func:`perturbed`: :func:`draw_parameters` consumes the generator and returns the shifts
(:class:`ParameterDraw`), :func:`apply_draw` builds the perturbed parameters from them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from .constraints import CONSTRAINTS
from .params import COMPONENTS, SPRParams, ZoneProfile
from .serialise import params_from_dict, params_to_dict


@dataclass(frozen=True)
class ParameterDraw:
    """One draw of the parameter shifts: ``coef_delta[component]`` added to the route
    coefficients of every level, ``rho_factor`` multiplying every packages-per-stop value,
    ``utilisation_delta[constraint]`` added to every utilisation factor (then clipped to
    [0.3, 1.2])."""

    coef_delta: dict[str, np.ndarray]
    rho_factor: float
    utilisation_delta: dict[str, float]


def normalised(p: SPRParams) -> SPRParams:
    """The parameters as a saved and re-loaded model holds them (the base of every draw)."""
    return params_from_dict(params_to_dict(p))


def draw_parameters(
    p: SPRParams, rng: np.random.Generator, utilisation_sd: float = 0.01
) -> ParameterDraw:
    """Draw the shifts of one parameter draw (see :func:`perturbed`) from ``rng``."""
    delta = {}
    for comp in COMPONENTS:
        se = np.array(p.coef_se.get(comp, [0.0, 0.0]))
        delta[comp] = rng.normal(0.0, 1.0, size=len(se)) * se
    nz = max(len(p.zones), 1)
    f = float(max(0.5, rng.normal(1.0, p.rho_cv / math.sqrt(nz))))
    du = {c: float(rng.normal(0.0, utilisation_sd)) for c in CONSTRAINTS}
    return ParameterDraw(coef_delta=delta, rho_factor=f, utilisation_delta=du)


def shifted_utilisation(value: float, delta: float) -> float:
    """A utilisation factor shifted by a draw, clipped to [0.3, 1.2]."""
    return float(np.clip(value + delta, 0.3, 1.2))


def apply_draw(base: SPRParams, d: ParameterDraw) -> SPRParams:
    """The parameters ``base`` (already :func:`normalised`) shifted by the draw ``d``."""
    coef = {lv: dict(comps) for lv, comps in base.coef.items()}
    for comp in COMPONENTS:
        for level in coef.values():
            level[comp] = tuple(
                float(c + x) for c, x in zip(level[comp], d.coef_delta[comp], strict=True)
            )
    f = d.rho_factor
    zones: dict[str, ZoneProfile] = {}
    for key, prof in base.zones.items():
        z = prof.copy()
        z["rho"] = prof["rho"] * f
        zones[key] = z
    du = d.utilisation_delta
    return replace(
        base,
        coef=coef,
        rho={k: v * f for k, v in base.rho.items()},
        zones=zones,
        utilisation={c: shifted_utilisation(v, du[c]) for c, v in base.utilisation.items()},
        utilisation_station={
            k: {c: shifted_utilisation(v, du[c]) for c, v in us.items()}
            for k, us in base.utilisation_station.items()
        },
    )


def perturbed(p: SPRParams, rng: np.random.Generator, utilisation_sd: float = 0.01) -> SPRParams:
    """Parameters drawn from their estimated uncertainty: route coefficients of every level
    shifted by one draw from N(0, SE^2) of the global estimate, packages-per-stop scaled by a
    common factor N(1, (rho_cv/sqrt(zones))^2) (at least 0.5), utilisation factors shifted by
    N(0, utilisation_sd^2) and clipped to [0.3, 1.2]. Deterministic for a given ``rng`` state."""
    return apply_draw(normalised(p), draw_parameters(p, rng, utilisation_sd))


__all__ = [
    "ParameterDraw",
    "apply_draw",
    "draw_parameters",
    "normalised",
    "perturbed",
    "shifted_utilisation",
]
