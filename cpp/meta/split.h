// Split (Prins 2004; Vidal 2016): optimal segmentation of a giant tour into routes under the
// penalised route cost, choosing the cheapest vehicle type per route. Bounded Bellman DP:
// a route extends while its load stays below route_bound (1.5) x the largest capacity (and its
// duration and distance below route_bound x the largest limits), so the time is
// O(n * route length). When the fleet is limited and the unconstrained split uses too many
// routes, a DP over the number of routes is run instead (when its work is bounded).
#pragma once
#include <cstdint>
#include <vector>

#include "core/problem.h"
#include "core/solution.h"
#include "search/local_search.h"

namespace lastmile {

struct SplitParams {
    // Longest candidate route, as a multiple of the largest capacity / duration / distance limit:
    // longer routes are never cheaper under the penalties HGS reaches, and the bound keeps the
    // DP linear in n.
    double route_bound = 1.5;
    // Limited-fleet DP only when (slots x candidate routes) and (slots x positions) stay below
    // these (time, and 2 x 4 bytes per cell of predecessor tables: 400 MB); else the
    // unconstrained split is kept.
    std::uint64_t max_fleet_work = 200'000'000ULL;
    std::uint64_t max_fleet_cells = 50'000'000ULL;
};

/// Routes of `tour` (a permutation of the clients) of least penalised cost.
std::vector<Route> split_giant_tour(const ProblemData& data, const std::vector<std::int32_t>& tour,
                                    const Penalties& pen, const SplitParams& params = {});

}  // namespace lastmile
