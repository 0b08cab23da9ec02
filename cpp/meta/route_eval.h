// Cost and constraint excess of a set of routes, as the metaheuristics see it (feasibility per
// constraint for the penalty manager, penalised cost for HGS's infeasible subpopulation).
#pragma once
#include <vector>

#include "core/problem.h"
#include "core/solution.h"
#include "search/local_search.h"

namespace lastmile {

/// Cost and constraint excess of a set of routes (excess per load dimension, duration, distance).
struct RouteSetEval {
    Cost cost = 0;
    std::vector<double> excess_load;
    double excess_dur = 0, excess_dist = 0;
    bool feasible = true;
    std::vector<char> load_ok;
    bool dur_ok = true, dist_ok = true;
    double excess_energy = 0;  // kWh of peak route energy above battery - reserve (exact)
    bool energy_ok = true;
    double excess_warp = 0;  // total time warp (time windows)
    bool warp_ok = true;
    bool reload_ok = true;  // every reload allowed for its type, at most max_reloads per route
};
RouteSetEval evaluate_routes(const ProblemData& data, const std::vector<Route>& routes);
/// Cost plus the weighted excess of every constraint.
double penalised(const RouteSetEval& e, const Penalties& p);

}  // namespace lastmile
