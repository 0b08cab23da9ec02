"""The ``lastmile spr`` hooks (called by :mod:`lastmile_core.cli`): fit a model on a route table,
read a YAML scenario, predict it with a saved model."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import InputError
from ..io import read_table
from .model import SPRModel
from .observations import Observations, zones_path
from .observe import observe_table
from .scenario import Scenario
from .vans import VanType, vans_from_table


def load_vans(path: str | Path) -> list[VanType]:
    """Van types from a YAML/JSON file: a list of :class:`VanType` mappings (``name``,
    ``capacity_packages``, ``capacity_volume_l``, ``capacity_weight_kg``, ``shift_s`` or
    ``shift_h``, ...)."""
    import yaml

    p = Path(path)
    if not p.is_file():
        raise InputError(f"vans: {str(p)!r} does not exist")
    try:
        d = yaml.safe_load(p.read_text())
    except yaml.YAMLError as exc:
        raise InputError(f"vans: {str(p)!r} is not valid YAML/JSON ({exc})") from None
    if not isinstance(d, list) or not all(isinstance(v, dict) for v in d):
        raise InputError(f"vans: {str(p)!r} must hold a list of van type mappings")
    return [VanType.from_dict(v) for v in d]


def cli_fit(
    routes_path: str | Path,
    out_json: str | Path,
    vans: Sequence[VanType] | None = None,
    **observe_kw: Any,
) -> SPRModel:
    """Fit an SPR model on a route table and write it to ``out_json``.

    ``routes_path`` holds per-route observations (the :func:`~.observe.observe` route columns,
    with the zone table written next to it by :meth:`Observations.write`, or a legacy
    ``zone_mix`` column) or a per-stop table of real routes (has ``route_id`` and ``lon``:
    converted with :func:`~.observe.observe_table`, ``observe_kw`` passed through). The van
    types are ``vans``, else those of the table's ``van_type`` / ``capacity_*`` / ``shift_s``
    columns (the route table of ``lastmile solve --out``), else unknown (no route counts)."""
    df = read_table(routes_path, field="path")
    obs: Observations | pd.DataFrame = df
    if "route_id" in df.columns and "lon" in df.columns:
        if vans is None and {"van_type", "capacity_packages"} <= set(df.columns):
            vans = vans_from_table(df)
        if vans is not None:
            observe_kw = {**observe_kw, "vans": list(vans)}
        obs = observe_table(df, **observe_kw)
    elif zones_path(routes_path).is_file():
        obs = Observations.read(routes_path)
    model = SPRModel.fit(obs)
    model.to_json(out_json)
    return model


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario YAML (see :meth:`Scenario.from_dict` for the fields)."""
    import yaml

    p = Path(path)
    if not p.exists():
        raise InputError(f"scenario_yaml: {str(p)!r} does not exist")
    try:
        d = yaml.safe_load(p.read_text())
    except yaml.YAMLError as exc:
        raise InputError(f"scenario_yaml: {str(p)!r} is not valid YAML ({exc})") from None
    return Scenario.from_dict(d)


def cli_predict(model_json: str | Path, scenario_yaml: str | Path) -> pd.DataFrame:
    """Predict a YAML scenario with a saved model (the table ``lastmile spr predict`` prints)."""
    return SPRModel.from_json(model_json).predict(load_scenario(scenario_yaml))


__all__ = ["cli_fit", "cli_predict", "load_scenario", "load_vans"]
