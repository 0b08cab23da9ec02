"""EV routing on a station-day at -7 C: routes, cost and energy with vs without the battery limit.

Run: python bench/bench_ev_routing.py [--packages 1200] [--seconds 10] [--battery 0] [--algorithm 0]
Prints one line per setting; the energy of every route is recomputed independently with
lastmile_core.energy.solution_energy. Speed is reported as iterations relative to the run
without the battery (same process, same budget).
"""

from __future__ import annotations

import argparse
from typing import Any

import lastmile_core as lc
from lastmile_core import energy, examples


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--packages", type=int, default=1200)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--vehicle", default="small_van")
    ap.add_argument("--battery", type=float, default=0.0, help="kWh; 0 = the vehicle's")
    ap.add_argument("--reserve", type=float, default=0.1, help="fraction of the battery")
    ap.add_argument("--ambient", type=float, default=-7.0)
    ap.add_argument("--algorithm", type=int, default=0, help="0 auto, 1 HGS, 2 SISR")
    a = ap.parse_args()

    van = energy.Vehicle.preset(a.vehicle)
    battery = a.battery or van.battery_usable_kwh
    reserve = a.reserve * battery
    params: dict[str, Any] = {**van.to_dict(), "battery_usable_kwh": battery}
    check_van = energy.Vehicle(**params)
    base: dict[str, Any] = dict(
        capacity=(250, 8000, int(van.max_payload_kg)),
        fixed_cost=100.0,
        cost_per_distance=0.5,
        cost_per_duration=30.0 / 3600.0,
        max_duration=8 * 3600.0,
    )
    plain = lc.VehicleSpec(**base, name="van")
    ev = lc.VehicleSpec(
        **base,
        name="ev",
        battery_kwh=battery,
        reserve_kwh=reserve,
        energy_vehicle=van,
        ambient_c=a.ambient,
        payload_dim="weight_kg",
    )
    print(
        f"station seed={a.seed} packages={a.packages} vehicle={a.vehicle} battery={battery:.1f} "
        f"kWh reserve={reserve:.1f} kWh ambient={a.ambient} C budget={a.seconds} s"
    )
    ref_iters = None
    for label, spec in (("no battery limit", plain), ("battery limit", ev)):
        inst = examples.station(a.seed, n_packages=a.packages, vehicle_types=[spec])
        res = lc.solve(inst, time_limit=a.seconds, seed=1, algorithm=a.algorithm)
        df = energy.solution_energy(
            inst, res.solution, check_van, ambient_c=a.ambient, reserve_kwh=reserve
        )
        ref_iters = ref_iters or res.iterations
        print(
            f"{label:>17}: clients={inst.num_clients} routes={res.solution.num_routes} "
            f"cost={res.cost:.1f} km={res.solution.distance / inst.distance_scale:.1f} "
            f"energy={df.energy_kwh.sum():.1f} kWh max_route={df.energy_kwh.max():.1f} kWh "
            f"min_soc={df.min_soc.min():.3f} routes_below_reserve={int((~df.feasible).sum())} "
            f"iterations={res.iterations} ({res.iterations / ref_iters:.2f}x) "
            f"algorithm={res.algorithm}"
        )


if __name__ == "__main__":
    main()
