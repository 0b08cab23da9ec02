// Penalised route cost of the local search: the vehicle type's route cost plus weighted excess
// of every relaxed constraint (load per dimension, duration, distance; energy in
// search/energy_penalty.h).
#pragma once
#include <cstddef>
#include <vector>

#include "core/problem.h"

namespace lastmile {

/// Penalty weights per unit of excess (load per dimension, duration, distance, energy).
struct Penalties {
    std::vector<double> load;
    double duration = 1.0;
    double distance = 1.0;
    double energy = 1.0;     // per kWh above battery - reserve (EV types only)
    double time_warp = 1.0;  // per internal duration unit of time warp (time windows only)
};

/// Variable cost of arc i -> j for type t (durations only looked up when the type prices them).
inline double arc_cost(const ProblemData& data, const VehicleType& t, int i, int j) {
    return t.variable_cost(
        static_cast<double>(data.dist(i, j)),
        t.cost_per_duration != 0 ? static_cast<double>(data.duration(i, j)) : 0.0);
}

/// Route cost plus duration and distance excess penalties (no load or energy part).
inline double base_cost(const VehicleType& t, const Penalties& p, Distance dist, Duration dur) {
    double c = t.route_cost(static_cast<double>(dist), static_cast<double>(dur));
    if (dur > t.max_duration) c += p.duration * static_cast<double>(dur - t.max_duration);
    if (dist > t.max_distance) c += p.distance * static_cast<double>(dist - t.max_distance);
    return c;
}

/// Weighted excess load over the capacity (load[0..dims)).
inline double load_penalty(const VehicleType& t, const Penalties& p, const Load* load,
                           std::size_t dims) {
    double lp = 0;
    for (std::size_t d = 0; d < dims; ++d)
        if (load[d] > t.capacity[d]) lp += p.load[d] * static_cast<double>(load[d] - t.capacity[d]);
    return lp;
}

/// base_cost + load_penalty; the load part is also written to *loadpen when given.
inline double penalised_route_cost(const VehicleType& t, const Penalties& p, Distance dist,
                                   Duration dur, const Load* load, std::size_t dims,
                                   double* loadpen = nullptr) {
    const double c = base_cost(t, p, dist, dur);
    const double lp = load_penalty(t, p, load, dims);
    if (loadpen) *loadpen = lp;
    return c + lp;
}

}  // namespace lastmile
