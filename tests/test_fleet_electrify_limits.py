"""The network-wide limits of the electrification plan on its own output: EVs available per
month, a monthly budget, the charge points' lead time and charge points shared by EVs (one
station of identical short routes, see ``tiny``)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from lastmile_core.errors import InfeasibleError
from lastmile_core.fleet.electrify import plan_electrification

from .test_fleet_electrify import NET, tiny

EV_PRICE, CHARGER_COST = 50000.0, 2000.0  # NET's prices


def test_ev_supply_per_month_caps_the_evs_bought_and_is_named_when_too_low() -> None:
    net = dataclasses.replace(NET, targets={"2026-03": 0.5}, ev_supply_per_month=1)
    t = plan_electrification(*tiny(), net).table
    assert (t["evs_bought"] <= 1).all()
    assert t["evs_active"].iloc[-1] >= 2 and (np.diff(t["evs"]) >= 0).all()
    assert list(t["evs"]) == [0, 1, 2]  # one a month, bought as late as the target allows
    short = dataclasses.replace(NET, targets={"2026-02": 0.75}, ev_supply_per_month=1)
    with pytest.raises(InfeasibleError, match=r"^targets: .*binding: .*ev_supply"):
        plan_electrification(*tiny(), short)


def test_budget_per_month_caps_each_months_spend() -> None:
    cap = EV_PRICE + 2 * CHARGER_COST  # one EV and two charge points a month at most
    net = dataclasses.replace(NET, targets={"2026-03": 0.5}, budget_per_month=cap)
    plan = plan_electrification(*tiny(), net)
    t = plan.table
    assert (t["spend_per_month"] <= cap + 1e-6).all()
    assert t["evs_active"].iloc[-1] >= 2
    assert plan.cost == pytest.approx(2 * EV_PRICE + 2 * CHARGER_COST)
    poor = dataclasses.replace(NET, targets={"2026-03": 0.5}, budget_per_month=EV_PRICE / 2)
    with pytest.raises(InfeasibleError, match=r"^targets: .*binding: .*budget"):
        plan_electrification(*tiny(), poor)


def test_charger_lead_time_delays_the_first_active_ev() -> None:
    early = dataclasses.replace(NET, targets={"2026-02": 0.5}, charger_lead_time_months=2)
    with pytest.raises(InfeasibleError, match=r"^targets: EV share 0.5 in 2026-02.*lead_time"):
        plan_electrification(*tiny(), early)
    ok = plan_electrification(*tiny(), dataclasses.replace(early, targets={"2026-03": 0.5}))
    t = ok.table
    assert list(t["chargers_installed"].iloc[:2]) == [0, 0]
    assert (t["evs_active"] <= t["chargers"] * NET.evs_per_charger).all()
    assert t["evs_active"].iloc[-1] >= 2


def test_shared_charge_points_serve_two_evs_each_within_the_site_limit() -> None:
    net = dataclasses.replace(NET, targets={"2026-03": 1.0}, evs_per_charger=2)
    t = plan_electrification(*tiny(), net).table
    last = t.iloc[-1]
    assert last["evs_active"] == 4
    assert last["chargers"] == 2  # the cheapest: two EVs per charge point, one after the other
    assert (t["chargers"] * 2 >= t["evs_active"]).all()
    assert (t["peak_kw"] <= t["site_kw"] + 1e-9).all()
    # two sessions of window_h / 2 one after the other: the peak is the night's energy over the
    # window when the two slots carry the same energy (identical routes)
    assert last["peak_kw"] == pytest.approx(last["night_kwh"] / 8.0)
