// The one place the metaheuristics build and drive the granular local search (search/), so that a
// change of its interface touches only this file.
#pragma once
#include <memory>
#include <vector>

#include "core/solution.h"
#include "meta/deadline.h"
#include "search/local_search.h"
#include "search/neighbours.h"
#include "search/rng.h"

namespace lastmile {

/// A local search over `nb` that stops with `stop` (which must outlive it), reading energy
/// coefficients from `ev_cache` (the solve's shared table; null: closed form).
std::unique_ptr<LocalSearch> make_local_search(const ProblemData& data, const Neighbours& nb,
                                               const ThreadStop& stop,
                                               std::shared_ptr<const EvArcCache> ev_cache);
/// Loads `routes`, runs the local search under its current penalties and returns its routes.
std::vector<Route> improve(LocalSearch& ls, const std::vector<Route>& routes, Rng& rng);
/// Runs again from the loaded state (e.g. under other penalties) and returns its routes.
std::vector<Route> improve_again(LocalSearch& ls, Rng& rng);

}  // namespace lastmile
