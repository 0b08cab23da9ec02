// Construction heuristics: Clarke-Wright savings (granular, k-nearest candidate pairs), sweep and
// nearest neighbour. Each returns routes with a vehicle type assigned (fleet counts respected
// when possible; capacity/duration/distance limits respected by every route when possible).
#pragma once
#include <vector>

#include "core/problem.h"
#include "core/solution.h"

namespace lastmile {

/// Parallel Clarke-Wright savings over the k nearest neighbours of each client (O(n*k log(n*k))
/// time, O(n*k) memory; routes are reversed when the instance is symmetric).
std::vector<Route> savings_routes(const ProblemData& data, int k = 40);
/// Sweep around the depot by polar angle, starting after the largest angular gap.
std::vector<Route> sweep_routes(const ProblemData& data);
/// Nearest neighbour: extend the current route with the nearest unvisited client that fits.
std::vector<Route> nearest_neighbour_routes(const ProblemData& data, int k = 40);

/// Assigns vehicle types to routes (largest routes first; cheapest type that fits and has
/// vehicles left; otherwise the largest type). Used by the constructions and the metaheuristics.
void assign_vehicle_types(const ProblemData& data, std::vector<Route>& routes);

}  // namespace lastmile
