"""The ``lastmile spr`` hooks (called by :mod:`lastmile_core.cli`): fit a model on a route table,
read a YAML scenario, predict it with a saved model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import InputError
from ..io import read_table
from .model import SPRModel
from .observations import Observations, zones_path
from .observe import observe_table
from .scenario import Scenario


def cli_fit(routes_path: str | Path, out_json: str | Path, **observe_kw: Any) -> SPRModel:
    """Fit an SPR model on a route table and write it to ``out_json``.

    ``routes_path`` holds per-route observations (the :func:`~.observe.observe` route columns,
    with the zone table written next to it by :meth:`Observations.write`, or a legacy
    ``zone_mix`` column) or a per-stop table of real routes (has ``route_id`` and ``lon``:
    converted with :func:`~.observe.observe_table`, ``observe_kw`` passed through)."""
    df = read_table(routes_path, field="path")
    obs: Observations | pd.DataFrame = df
    if "route_id" in df.columns and "lon" in df.columns:
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


__all__ = ["cli_fit", "cli_predict", "load_scenario"]
