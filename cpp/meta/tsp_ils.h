// Iterated local search for single-vehicle problems (a TSP, one van per zone): the tour is
// improved by 2-opt and Or-opt (search/tour_opt.h) and perturbed by a local double bridge or a
// small ruin-and-recreate; a perturbed local optimum is accepted by simulated annealing on the
// share of the budget used (Deadline::progress, as SISR's cooling), so a run ends cold with its
// budget and threads=1 with max_iterations stays deterministic. SISR hands over to it when the
// problem is one route with no limit that a new order could break (see tsp_ils_applies).
#pragma once
#include <cstdint>
#include <functional>
#include <vector>

#include "core/problem.h"
#include "core/solution.h"
#include "meta/deadline.h"
#include "meta/exchange.h"
#include "meta/params.h"
#include "search/neighbours.h"
#include "search/rng.h"

namespace lastmile {

/// True when `routes` is one route whose order alone decides the cost and feasibility: no time
/// windows, no battery, no distance or duration limit on its type, and no solution with more
/// routes possible or worth considering (one vehicle in the whole fleet, or a single type that
/// carries the whole demand in one route, has no fixed cost below zero and a symmetric metric).
bool tsp_ils_applies(const ProblemData& data, const std::vector<Route>& routes,
                     const SolverParams& params);

/// Runs the iterated local search from `route` until `stop` says so; every better tour goes to
/// `best` (evaluated exactly). Iterations are counted on `stop`.
void run_tsp_ils(const ProblemData& data, const Neighbours& nb, const SolverParams& params,
                 ThreadStop& stop, BestExchange& best, Rng& rng, const Route& route);

/// Intra-route 2-opt / Or-opt (search/tour_opt.h) on every route of at least 8 clients, for
/// problems where a route's order decides only its cost and its duration/distance limits (no
/// time windows, no battery). Keeps the new orders when the whole solution stays feasible and
/// costs less; then updates `cost` and returns true. `stop` (may be null) is polled.
bool polish_route_orders(const ProblemData& data, const Neighbours& nb, std::vector<Route>& routes,
                         Cost& cost, const std::function<bool()>* stop);

}  // namespace lastmile
