"""Tests of SPR observations: route and zone tables from solved or real routes (lastmile_core.spr)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lastmile_core import examples, spr
from lastmile_core.errors import InputError

FIXTURE = Path(__file__).parent / "data" / "spr_routes.parquet"


@pytest.fixture(scope="module")
def routes() -> pd.DataFrame:
    return pd.read_parquet(FIXTURE)


@pytest.fixture(scope="module")
def model(routes: pd.DataFrame) -> spr.SPRModel:
    return spr.SPRModel.fit(routes)


def test_observe_rows_account_for_every_package() -> None:
    """observe() has one row per route, the package totals match the instance and fills are <= 1."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench" / "quality"))
    from spr_fallback_router import build_routes

    inst = examples.station(5, 400)
    sol = inst.solution(build_routes(inst))
    both = spr.observe(inst, sol, station="s5", day="d0")
    obs = both.routes
    assert len(obs) == sum(1 for r in sol.routes if len(r.visits))
    assert obs["packages"].sum() == inst.data.demand[1:, 0].sum()
    assert obs["stops"].sum() == inst.num_clients
    assert (obs["fill_packages"] <= 1 + 1e-9).all()
    assert obs["distance_km"].sum() == pytest.approx(sol.distance / 1000.0)
    for c in (
        "zone",
        "linehaul_km",
        "intra_km",
        "zone_area_km2",
        "zone_packages",
        "zone_stops",
        "zone_r_km",
    ):
        assert c in obs.columns
    assert "zone_mix" not in obs.columns
    long = both.zones
    assert long["packages"].sum() == obs["packages"].sum()
    # a routing Result (anything with .solution) and plain route lists are accepted too
    from types import SimpleNamespace

    routes = [list(r.visits) for r in sol.routes]
    for alt in (SimpleNamespace(solution=sol), routes):
        again = spr.observe(inst, alt, station="s5", day="d0")
        pd.testing.assert_frame_equal(again.routes, obs)
        pd.testing.assert_frame_equal(again.zones, long)


def test_observe_table_matches_observe_on_the_same_routes() -> None:
    """A per-stop table of the same routes gives the same per-route km, time and features."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench" / "quality"))
    from spr_fallback_router import build_routes

    inst = examples.station(6, 300)
    routes = build_routes(inst)
    obs = spr.observe(inst, inst.solution(routes), station="s6", day="0").routes
    coords = inst.data.coords
    zone_names = np.array(inst.zone_names)[inst.data.zone]
    rows = []
    for rid, r in enumerate(routes):
        for seq, c in enumerate(r):
            rows.append(
                {
                    "route_id": rid,
                    "seq": seq,
                    "zone": zone_names[c],
                    "packages": inst.data.demand[c, 0],
                    "volume_l": inst.data.demand[c, 1],
                    "weight_kg": inst.data.demand[c, 2],
                    "lon": coords[c, 0],
                    "lat": coords[c, 1],
                    "service_s": inst.data.service_time[c],
                    "station": "s6",
                    "day": "0",
                    "van_type": "midvan",
                }
            )
    van = spr.VanType.from_vehicle_spec(examples.DEFAULT_VAN)
    tab = spr.observe_table(
        pd.DataFrame(rows),
        depot=(coords[0, 0], coords[0, 1]),
        zone_areas=inst.metadata["zone_area_km2"],
        vans=[van],
        circuity=float(inst.data.circuity),  # the instance's single factor, not the road default
        speed_kmh=30.0,
    ).routes
    with pytest.raises(InputError, match="^van_type"):
        spr.observe_table(
            pd.DataFrame(rows).assign(van_type="mystery"),
            depot=(coords[0, 0], coords[0, 1]),
            vans=[van],
            speed_kmh=30.0,
        )
    assert len(tab) == len(obs)
    np.testing.assert_allclose(tab["distance_km"], obs["distance_km"], rtol=2e-3)
    np.testing.assert_allclose(tab["duration_s"], obs["duration_s"], rtol=2e-3)
    np.testing.assert_allclose(tab["local_x"], obs["local_x"], rtol=1e-9)
    assert list(tab["binding"]) == list(obs["binding"])


def _observed_station(seed: int = 5, n: int = 400) -> spr.Observations:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench" / "quality"))
    from spr_fallback_router import build_routes

    inst = examples.station(seed, n)
    return spr.observe(inst, inst.solution(build_routes(inst)), station=f"s{seed}", day="d0")


def test_zone_table_has_one_row_per_route_and_zone_consistent_with_the_routes() -> None:
    """observe() puts the per-zone breakdown in a long table: one row per route x zone whose
    stops and packages add up to the route's, and from which the route's r_km and local_x
    follow (stop-weighted zone distance, sum of n_z / sqrt(zone stop density))."""
    obs = _observed_station()
    z, r = obs.zones, obs.routes
    assert tuple(z.columns) == spr.ZONE_COLUMNS
    assert not z.duplicated(["route", "zone"]).any()
    assert z.groupby("route").ngroups == len(r) and len(z) > len(r)  # some routes span zones
    per_route = z.groupby("route")[["stops", "packages"]].sum()
    np.testing.assert_array_equal(per_route["stops"].to_numpy(), r["stops"].to_numpy())
    np.testing.assert_allclose(per_route["packages"].to_numpy(), r["packages"].to_numpy())
    zz = z.assign(
        w=z["stops"] * z["r_km"], lx=z["stops"] / np.sqrt(z["zone_stops"] / z["area_km2"])
    )
    sums = zz.groupby("route")[["w", "lx"]].sum()
    np.testing.assert_allclose(sums["w"] / per_route["stops"], r["r_km"], rtol=1e-12)
    np.testing.assert_allclose(sums["lx"], r["local_x"], rtol=1e-12)
    # the dominant zone of a route is the one with most of its stops
    most = z[z["stops"] == z.groupby("route")["stops"].transform("max")]
    tops = most.groupby("route")["zone"].agg(set)
    assert all(zone in tops[rid] for rid, zone in zip(r["route"], r["zone"], strict=True))


def test_fit_from_observations_equals_fit_from_the_legacy_zone_mix_table(
    routes: pd.DataFrame, model: spr.SPRModel
) -> None:
    """A route table with the legacy zone_mix strings (the fixture) and its Observations (route
    table + zone table) give the very same model; the zone table is what the strings held."""
    obs = spr.Observations.from_routes(routes)
    assert "zone_mix" not in obs.routes.columns
    first = routes["zone_mix"].iloc[0].split(";")[0].split("|")
    row = obs.zones.iloc[0]
    assert row["zone"] == first[0] and row["stops"] == float(first[1])
    assert row["area_km2"] == float(first[7]) and row["r_km"] == float(first[8])
    assert spr.SPRModel.fit(obs).to_dict() == model.to_dict()


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_observations_round_trip_through_files(tmp_path: Path, suffix: str) -> None:
    """Observations.write/read keep both tables (Parquet exactly) and the fitted model."""
    obs = spr.Observations.concat([_observed_station(5, 400), _observed_station(6, 300)])
    routes_path, zones_path = obs.write(tmp_path / f"obs{suffix}")
    assert zones_path == tmp_path / f"obs.zones{suffix}" and zones_path.exists()
    back = spr.Observations.read(routes_path)
    if suffix == ".parquet":
        pd.testing.assert_frame_equal(back.routes, obs.routes)
        pd.testing.assert_frame_equal(back.zones, obs.zones)
    m = spr.SPRModel.fit(obs, fit_utilisation=False)
    assert spr.SPRModel.fit(back, fit_utilisation=False).to_dict() == m.to_dict()
    # the CLI fits a saved route table together with its zone file
    assert (
        spr.cli_fit(routes_path, tmp_path / "m.json").to_dict() == spr.SPRModel.fit(obs).to_dict()
    )


def test_zone_table_is_checked_against_the_route_table(routes: pd.DataFrame) -> None:
    """Zone rows of unknown routes and bad numbers raise InputError naming the column."""
    obs = spr.Observations.from_routes(routes)
    orphan = obs.zones.assign(route=obs.zones["route"] + 10_000)
    with pytest.raises(InputError, match="^route"):
        spr.SPRModel.fit(spr.Observations(obs.routes, orphan))
    bad = obs.zones.assign(area_km2=-obs.zones["area_km2"])
    with pytest.raises(InputError, match="^area_km2"):
        spr.SPRModel.fit(spr.Observations(obs.routes, bad))
    with pytest.raises(InputError, match="^r_km"):
        spr.Observations(obs.routes, obs.zones.drop(columns="r_km"))
