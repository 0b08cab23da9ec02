// A small geographic EV instance for the energy tests (one small_van type at -7 C, hills).
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <random>
#include <vector>

#include "core/problem.h"
#include "energy/ev_routing.h"

namespace lastmile::test {

// A small geographic instance with hills and one EV type (small_van at -7 C).
inline ProblemData ev_instance(std::size_t n, std::uint32_t seed, double depot_elev = 30.0,
                               double client_elev = -1.0) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<double> x(n + 1), y(n + 1), elev(n + 1);
    std::vector<Load> demand((n + 1) * 2, 0);
    std::vector<Duration> svc(n + 1, 0);
    x[0] = 4.35, y[0] = 50.85, elev[0] = depot_elev;
    for (std::size_t i = 1; i <= n; ++i) {
        x[i] = 4.35 + 0.08 * (u(rng) - 0.5);
        y[i] = 50.85 + 0.05 * (u(rng) - 0.5);
        elev[i] = client_elev >= 0 ? client_elev : 30.0 + 80.0 * u(rng);
        demand[i * 2] = 1;
        demand[i * 2 + 1] = 1 + static_cast<Load>(40 * u(rng));
        svc[i] = 60 + static_cast<Duration>(120 * u(rng));
    }
    energy::ArcOptions o;
    o.ambient_c = -7.0;
    const auto v = energy::Vehicle::preset("small_van");
    o.regen = v.regen_rule;
    o.reference_payload_kg = 0.5 * v.max_payload_kg;
    VehicleType t;
    t.capacity = {1000, 100000};
    t.energy.model = std::make_shared<const EvModel>(v, o, 30.0 / 3.6, 1.0, 1.0);
    t.energy.payload_dim = 1;
    t.energy.reserve_kwh = 2.0;
    t.energy.battery_kwh = v.battery_usable_kwh;  // make_vehicle_energy would fill it in
    return ProblemData(std::move(x), std::move(y), std::move(demand), 2, std::move(svc), {t},
                       DistanceKind::haversine, 1000.0, 0.12, {}, {}, std::move(elev), {}, 1.3,
                       4000);
}

}  // namespace lastmile::test
