// Slack induction by string removals (SISR; Christiaens & Vanden Berghe 2020), written from the
// paper; the default algorithm for every size (see solver.cpp): ruin removes a few strings of
// consecutive customers from routes near a random seed customer, recreate inserts the removed
// customers greedily (random / demand / far / close order, blinks) and simulated annealing accepts.
// Insertion positions are limited to those next to a customer's k nearest neighbours, so an
// iteration costs O(k * removed
// + touched route lengths), independent of n. Solutions stay feasible (capacity, duration,
// distance, fleet counts, battery). The start is Clarke-Wright savings improved by the local
// search under boosted penalties (sisr_start_boost).
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "core/route_load.h"
#include "energy/ev_routing.h"
#include "meta/deadline.h"
#include "meta/exchange.h"
#include "meta/params.h"
#include "search/local_search.h"
#include "search/neighbours.h"
#include "search/rng.h"

namespace lastmile {

class Sisr {
  public:
    Sisr(const ProblemData& data, const Neighbours& nb, const SolverParams& params,
         Deadline& deadline, BestExchange& best, int thread, std::uint64_t seed,
         std::shared_ptr<const EvArcCache> ev_cache = nullptr);
    /// Returns false when no feasible start was found, or (auto mode) when the start uses clearly
    /// more routes than the capacity bound; the caller may then fall back to HGS.
    bool run(const std::vector<Route>& initial);
    const std::vector<Route>& best_infeasible() const { return best_infeasible_; }

  private:
    struct R {
        std::vector<std::int32_t> v;  // clients
        // ed[p] = dist(node p-1, node p) for p = 0..len (node -1 = start depot, node len = end
        // depot): recreate reads the edge an insertion replaces instead of recomputing it.
        std::vector<Distance> ed;
        int type = 0;
        std::vector<Load> load;
        Distance dist = 0;
        Duration dur = 0;
        double cost = 0;
        EvPrefix evp;  // forward energy prefix (EV types only)
        // Time windows: tf[p] = depot + first p clients, tb[p] = clients p.. + depot.
        std::vector<TimeSeg> tf, tb;
        Duration tdur = 0;  // tf/tb duration without a driver break (insertion deltas)
        LoadProfile lp;     // pickups only: prefix/suffix load segments for insertion tests
    };
    void recompute(int r);
    void refresh_cost(int r);  // cost from the route's totals
    void set_routes(const std::vector<Route>& routes);
    std::vector<Route> export_routes() const;
    /// Removes strings near `seed` (a client; 0 = a random one).
    void ruin(std::vector<std::int32_t>& removed, int seed = 0);
    bool recreate(std::vector<std::int32_t>& removed);
    /// Mixed fleet (sisr_refit): moves each touched route (every route when `all`) to the
    /// cheapest vehicle type with a vehicle left under which it stays feasible (sisr_refit.cpp).
    void refit_types(bool all);
    bool refit_ = false;  // sisr_refit, resolved for this instance
    void begin_move();    // clears the touched-route backups of the previous move
    void undo();          // restores the routes touched since begin_move()
    /// Route elimination (route_elimination.cpp): empties one of the least-loaded routes, ruins
    /// strings next to its clients and reinserts all removed clients without opening a route.
    /// Kept when feasible with a cost change below `threshold` (then `delta` holds the change);
    /// otherwise undone.
    bool eliminate_route(double threshold, double& delta);
    bool no_new_routes_ = false;  // recreate: never open a route (route elimination)
    /// Route injection (threads > 1, route_injection.cpp): copies up to coop_inject_routes
    /// neighbouring routes of `donor` (another thread's best; donor_route_of_ maps its clients to
    /// its routes) into the current solution, in place of the routes they overlap, and reinserts
    /// the clients left out. Kept when feasible with a cost change below `threshold` (then
    /// `delta` holds the change); otherwise undone.
    bool inject_routes(const std::vector<Route>& donor, double threshold, double& delta);
    std::vector<std::int32_t> donor_route_of_;  // client -> route index in the donor
    std::vector<std::int64_t> inject_mark_;     // client -> stamp of the injection holding it
    std::int64_t inject_stamp_ = 0;
    void touch(int r);
    double arc(int type, int a, int b) const;
    bool stop() { return stop_.check(); }
    /// Capacity lower bound on the number of routes: max over dimensions of
    /// ceil(total demand (or pickup) / largest capacity of that dimension).
    std::int64_t capacity_bound() const;
    /// True when the routes number clearly more than the capacity lower bound (see run()).
    bool too_many_routes(const std::vector<Route>& routes) const;
    /// Route elimination policy (params.h, sisr_elim_gate): true when the current solution uses
    /// more than sisr_elim_margin x capacity_bound() routes, or a vehicle type has a fixed cost.
    bool elimination_pays() const;
    std::int64_t route_bound_ = 1;  // capacity_bound(), set by run()
    bool fixed_costs_ = false;      // some vehicle type has a fixed cost

    const ProblemData& data_;
    const Neighbours& nb_;
    const SolverParams& params_;
    BestExchange& best_;
    int thread_;
    ThreadStop stop_;
    Rng rng_;
    std::size_t dims_;
    bool need_dur_ = true;  // false when no type prices or limits duration
    std::vector<R> routes_;
    std::vector<std::int32_t> route_of_, pos_of_;
    std::vector<std::int64_t> used_;  // non-empty routes per type
    std::vector<int> backup_idx_;     // routes touched in this iteration
    std::vector<R> backup_;           // slots reused across moves (copy-assignment keeps capacity)
    std::vector<char> touched_;
    std::vector<Route> best_infeasible_;
    std::vector<Load> tmp_;
    std::int64_t visit_stamp_ = 0;
    std::vector<std::int64_t> route_seen_;   // recreate: route (or its end position) tried
    std::vector<std::int64_t> before_seen_;  // recreate: position before this client tried
    std::vector<std::int64_t> fit_seen_;     // recreate: route's load test done for this client
    std::vector<char> fit_ok_;               // ... and its result
    // Battery constraints (see energy/ev_routing.h): insertions are screened with the O(1)
    // route-total energy; touched routes are checked exactly after each recreate.
    EvRouting ev_;
    std::vector<std::int32_t> ev_nodes_;
    bool energy_ok_after_recreate() const;
    void refresh_energy(int r);  // rebuilds the energy prefix of route r (EV types)
    // Time windows: insertions must keep the route free of time warp (checked in O(1) from the
    // route's prefix/suffix time segments).
    bool time_ = false;
    bool full_insert_ = false;  // sisr_full_insert, resolved for this instance
    void refresh_time(int r);   // rebuilds tf/tb and sets dur (with waiting)
};

}  // namespace lastmile
