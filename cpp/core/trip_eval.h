// Evaluation of one multi-trip route (reload visits among its visits) for the search: distance,
// duration (with waiting when the instance has time windows), time warp and the load excess of
// every trip, exactly as Solution computes them (solution.cpp, solution_reload.cpp), in one walk
// over the visits. The local search and the metaheuristics call it for routes that hold reload
// visits; routes without them keep their O(1) segment evaluation.
#pragma once
#include <cstdint>
#include <vector>

#include "core/problem.h"

namespace lastmile {

struct TripEval {
    Distance dist = 0;
    Duration dur = 0;   // driving + service + reload time (+ waiting with time windows)
    Duration warp = 0;  // total time warp (time windows only)
    int clients = 0;    // client visits (reloads excluded)
    std::int64_t reloads = 0;
    bool allowed = true;  // every reload at a depot of the type, at most max_reloads of them
};

/// Evaluates the visits v[0..n) (clients and depot nodes; no start/end depot) as a route of type
/// k; adds the capacity excess of every trip per dimension to excess[0..dims) (zeroed first).
TripEval eval_trips(const ProblemData& data, std::size_t k, const std::int32_t* v, std::size_t n,
                    Load* excess);

/// Drops the reload visits that do nothing from a node sequence depot ... depot (its first and
/// last node are kept as they are): one at the start or end of the route or right after another
/// depot visit. With `type` >= 0 also those the type may not make (a depot it may not reload at,
/// more than max_reloads). Returns the number of reload visits left.
std::int64_t normalize_reloads(const ProblemData& data, std::vector<std::int32_t>& nodes,
                               int type = -1);

/// Whether some node strictly between the first and the last is a depot node.
inline bool has_inner_depot(const ProblemData& data, const std::int32_t* nodes, std::size_t m) {
    for (std::size_t p = 1; p + 1 < m; ++p)
        if (data.is_depot(static_cast<std::size_t>(nodes[p]))) return true;
    return false;
}

}  // namespace lastmile
