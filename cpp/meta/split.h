// Split (Prins 2004; Vidal 2016): optimal segmentation of a giant tour into routes under the
// penalised route cost, choosing the cheapest vehicle type per route. Bounded Bellman DP:
// a route extends while its load stays below 1.5x the largest capacity (and its duration and
// distance below 1.5x the largest limits), so the time is O(n * route length). When the fleet
// is limited and the unconstrained split uses too many routes, a DP over the number of routes
// is run instead.
#pragma once
#include <cstdint>
#include <vector>

#include "core/problem.h"
#include "core/solution.h"
#include "search/local_search.h"

namespace lastmile {

std::vector<Route> split_giant_tour(const ProblemData& data, const std::vector<std::int32_t>& tour,
                                    const Penalties& pen);

}  // namespace lastmile
