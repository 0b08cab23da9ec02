// Granular local search with constant-time move evaluation (Vidal 2022 / segment concatenation).
//
// The pieces: search/route_state.h (per-route prefix data: a modified route that is a
// concatenation of at most a few pieces of existing routes is evaluated in O(pieces * dims)),
// search/search_state.h (all routes, exact penalised move evaluation and application),
// search/penalties.h and search/energy_penalty.h (the penalised cost: route cost + weighted
// excess load per dimension, duration, distance and energy), search/fleet_slots.h (at most
// min(num_available, n) route slots per vehicle type; a route changes type only by moving its
// whole content to an empty slot of another type) and one operator per file under
// search/operators/. This class is the loop that runs the operators.
#pragma once
#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/problem.h"
#include "core/solution.h"
#include "search/arc_table.h"
#include "search/neighbours.h"
#include "search/operators/operator.h"
#include "search/penalties.h"
#include "search/rng.h"
#include "search/search_state.h"

namespace lastmile {

class LocalSearch {
  public:
    /// `ev_cache`: energy coefficients of the data's arcs (build_ev_arc_cache), shared; null: the
    /// closed form with a recent-arcs table.
    LocalSearch(const ProblemData& data, const Neighbours& nb,
                std::shared_ptr<const EvArcCache> ev_cache = nullptr);

    /// Sets the weights and re-evaluates the route costs (O(routes * dims)).
    void set_penalties(const Penalties& p) {
        state_.set_penalties(p);
        std::fill(tested_empty_.begin(), tested_empty_.end(), -1);  // costs changed
    }
    const Penalties& penalties() const { return state_.penalties(); }
    void set_operators(unsigned mask) { ops_ = mask; }
    /// Optional stop test, polled about every 64 client visits (long searches on big instances).
    void set_stop(const std::function<bool()>* stop) { stop_ = stop; }

    /// Loads routes (vehicle types respected while slots remain; excess routes go to free slots of
    /// other types, or are appended to the least loaded route when the fleet is exhausted).
    /// Clients missing from the routes are appended as single-client routes.
    void load(const std::vector<Route>& routes);
    /// Local search to a local optimum (or until the stop test fires). Returns false if stopped.
    bool run(Rng& rng);
    /// Applies the first improving move of one operator found in a sweep; returns the predicted
    /// change in penalised cost (0 when no improving move exists).
    double improve_once(int op, Rng& rng);

    /// Non-empty routes, ordered by the polar angle of their barycentre.
    std::vector<Route> routes() const;
    /// Penalised cost of the current routes (sum of route costs as maintained incrementally).
    double penalised_cost() const;
    /// Recomputes the penalised cost of the current routes from scratch (for checks).
    double recompute_penalised_cost() const;
    /// Feasibility of the current routes per constraint family.
    bool load_feasible() const;
    bool duration_feasible() const;
    bool distance_feasible() const;
    bool energy_feasible() const;  // every route's minimum charge >= its reserve (exact)
    std::int64_t moves_applied() const { return state_.counter(); }

  private:
    bool sweep(Rng& rng, bool first_only);
    enum class Phase { done, first_applied, stopped };
    Phase node_phase(Rng& rng, bool first_only, bool first_loop, bool& improved);
    bool stopped() const { return stop_ && (*stop_)(); }

    const ProblemData& data_;
    const Neighbours& nb_;
    SearchState state_;
    ArcTable arcs_;  // weighted arc costs for the move bounds and SWAP* (search/arc_table.h)
    std::array<std::unique_ptr<Operator>, kNumLsOps> ops_by_id_;
    std::vector<Operator*> node_ops_, pair_ops_, route_ops_;  // enabled, in id order
    unsigned ops_ = kAllLsOps;
    const std::function<bool()>* stop_ = nullptr;
    std::vector<std::int64_t> tested_;  // per client: move counter when last tested
    // Per client: move counter when its empty-route moves were last all tested (-1: never).
    std::vector<std::int64_t> tested_empty_;
    std::vector<std::int32_t> order_;
};

}  // namespace lastmile
