// The state the local-search operators work on: every route slot with its prefix data, where
// each client is, the penalised route costs, and the one way moves are evaluated (try_move:
// exact penalised cost of at most two new routes given as segment concatenations) and applied.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "core/problem.h"
#include "core/solution.h"
#include "search/energy_penalty.h"
#include "search/fleet_slots.h"
#include "search/penalties.h"
#include "search/route_state.h"

namespace lastmile {

/// Moves whose penalised cost change is not below -kMoveEps are not improving.
inline constexpr double kMoveEps = 1e-7;
/// Penalised cost of a route the type may not make (a reload where it may not reload, more
/// than max_reloads): never accepted by a move.
inline constexpr double kInvalidRoute = 1e30;

class SearchState {
  public:
    explicit SearchState(const ProblemData& data,
                         std::shared_ptr<const EvArcCache> ev_cache = nullptr);

    const ProblemData& data() const { return data_; }
    std::size_t dims() const { return dims_; }
    /// False when no type prices or limits duration (CVRP): durations are not tracked.
    bool need_duration() const { return need_dur_; }
    /// True when routes are evaluated with time-window segments (RouteState::tf/tb).
    bool time_windows() const { return time_; }
    /// Distances and durations symmetric: reversing a segment leaves its inner cost unchanged.
    bool symmetric() const { return data_.symmetric(); }
    const Penalties& penalties() const { return pen_; }
    /// Sets the weights and re-evaluates the route costs (O(routes * dims)).
    void set_penalties(const Penalties& p);
    const EnergyPenalty& energy() const { return energy_; }
    FleetSlots& fleet() { return fleet_; }
    const FleetSlots& fleet() const { return fleet_; }

    const std::vector<RouteState>& routes() const { return routes_; }
    const RouteState& route(int r) const { return routes_[r]; }
    RouteState& route(int r) { return routes_[r]; }
    int num_routes() const { return static_cast<int>(routes_.size()); }
    int route_of(int u) const { return route_of_[u]; }
    int pos_of(int u) const { return pos_of_[u]; }
    /// Move counter (incremented by every applied move).
    std::int64_t counter() const { return counter_; }
    /// Predicted penalised cost change of the last applied move.
    double last_delta() const { return last_delta_; }

    /// Route cost + duration/distance/time-warp penalties (`base`) of a segment concatenation for
    /// `type`.
    struct Eval {
        Distance dist = 0;
        Duration dur = 0;
        int clients = 0;
        Duration warp = 0;  // time warp (time windows only)
        double base = 0;    // 0 when empty
    };
    Eval eval_base(int type, const Seg* s, int ns) const;
    double eval_loadpen(int type, const Seg* s, int ns) const;
    /// Penalised cost of a node sequence depot ... depot, from scratch (exact energy).
    double sequence_cost(int type, const std::vector<std::int32_t>& nodes) const;

    /// Evaluates replacing route ra by the concatenation sa[0..na) and (rb >= 0) route rb by
    /// sb[0..nb); applies it when the penalised cost falls by more than kMoveEps.
    bool try_move(int ra, const Seg* sa, int na, int rb, const Seg* sb, int nb);
    /// Records an improving move of `delta` about to be applied (counter, last delta).
    void begin_move(double delta) {
        last_delta_ = delta;
        ++counter_;
    }
    /// Replaces the nodes of route r (depot ... depot) and rebuilds it.
    void apply(int r, std::vector<std::int32_t>&& nodes);
    /// Moves the whole content of route r to the empty route e (another type).
    void move_content(int r, int e);
    /// Index of an empty route of this type, or -1 (creates slots lazily).
    int empty_slot(int type);

    /// Replaces all routes (see LocalSearch::load).
    void load(const std::vector<Route>& routes);
    /// Forgets every "last tested" mark of the routes (operators restart from scratch).
    void reset_tested();

  private:
    void rebuild(int r);
    // --- reloads ---
    /// Whether some piece comes from a route with reload visits (evaluated by a walk then).
    bool reload_pieces(const Seg* s, int ns) const;
    /// Walk evaluation of the concatenation as a route of `type` (reload visits normalised as
    /// apply() does); the trip excess goes to tmp_load_. base is kInvalidRoute when the type may
    /// not make those reloads.
    Eval eval_walk(int type, const Seg* s, int ns) const;
    /// Same for the inner visits v[0..n); *loadpen receives the weighted trip excess.
    Eval walk_visits(int type, const std::int32_t* v, std::size_t n, double* loadpen) const;
    /// Sets dist, dur, warp, trip_excess, cost, loadpen and pen of a route with reload visits.
    void rebuild_trips(RouteState& R);
    /// load(), fleet exhausted: inserts the clients `trip` as a new trip of the route and at the
    /// trip boundary (start, after a reload, end) of least penalised cost among the routes whose
    /// type may reload once more; false when there is none.
    bool insert_trip(const std::vector<std::int32_t>& trip);
    /// Eval of the concatenation from the trip prefix data (search/trip_state.h); false when it
    /// must be walked. The trip excess goes to tmp_load_.
    bool eval_trip_segments(int type, const Seg* s, int ns, Eval& e) const;
    std::vector<char> trips_compatible_;  // [from * types + to] (search/trip_state.h)
    mutable std::vector<std::int32_t> walk_buf_;
    // --- end reloads ---
    /// Several depots: {start, end} depot nodes of a route of `type`; set_depots writes them at
    /// both ends of a node sequence (routes always begin and end at their own type's depots).
    std::vector<std::int32_t> depot_pair(int type) const;
    void set_depots(int type, std::vector<std::int32_t>& nodes) const;

    const ProblemData& data_;
    std::size_t dims_;
    bool need_dur_ = true;
    bool time_ = false;  // time windows: durations from time segments, time warp penalised
    Penalties pen_;
    EnergyPenalty energy_;  // battery constraints (inactive without EV types)
    FleetSlots fleet_;
    std::vector<RouteState> routes_;
    std::vector<std::int32_t> route_of_, pos_of_;  // per node
    std::vector<int> angle_;                       // per node, [0, kCircle)
    std::int64_t counter_ = 0;
    std::int64_t version_ = 0;  // never reset: identifies route contents for caches
    double last_delta_ = 0;
    std::vector<std::int32_t> buf_a_, buf_b_;
    mutable std::vector<Load> tmp_load_;
};

}  // namespace lastmile
