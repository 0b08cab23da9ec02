"""Parameter uncertainty of a fitted SPR model: draws of :class:`~.params.SPRParams` for Monte
Carlo."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from .constraints import CONSTRAINTS
from .params import COMPONENTS, SPRParams, ZoneProfile
from .serialise import params_from_dict, params_to_dict


def perturbed(p: SPRParams, rng: np.random.Generator, utilisation_sd: float = 0.01) -> SPRParams:
    """Parameters drawn from their estimated uncertainty: route coefficients of every level
    shifted by one draw from N(0, SE^2) of the global estimate, packages-per-stop scaled by a
    common factor N(1, (rho_cv/sqrt(zones))^2) (at least 0.5), utilisation factors shifted by
    N(0, utilisation_sd^2) and clipped to [0.3, 1.2]. Deterministic for a given ``rng`` state."""
    base = params_from_dict(params_to_dict(p))  # the same normalisation as a saved model
    coef = {lv: dict(comps) for lv, comps in base.coef.items()}
    for comp in COMPONENTS:
        se = np.array(p.coef_se.get(comp, [0.0, 0.0]))
        delta = rng.normal(0.0, 1.0, size=len(se)) * se
        for level in coef.values():
            level[comp] = tuple(float(c + d) for c, d in zip(level[comp], delta, strict=True))
    nz = max(len(p.zones), 1)
    f = float(max(0.5, rng.normal(1.0, p.rho_cv / math.sqrt(nz))))
    zones: dict[str, ZoneProfile] = {}
    for key, prof in base.zones.items():
        z = prof.copy()
        z["rho"] = prof["rho"] * f
        zones[key] = z
    du = {c: float(rng.normal(0.0, utilisation_sd)) for c in CONSTRAINTS}
    return replace(
        base,
        coef=coef,
        rho={k: v * f for k, v in base.rho.items()},
        zones=zones,
        utilisation={c: float(np.clip(v + du[c], 0.3, 1.2)) for c, v in base.utilisation.items()},
        utilisation_station={
            k: {c: float(np.clip(v + du[c], 0.3, 1.2)) for c, v in us.items()}
            for k, us in base.utilisation_station.items()
        },
    )


__all__ = ["perturbed"]
