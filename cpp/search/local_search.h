// Granular local search with constant-time move evaluation (Vidal 2022 / segment concatenation).
//
// Every route stores prefix sums per position (distance, duration incl. service, both directions,
// and load per dimension), so the cost of a modified route that is a concatenation of at most
// four pieces of existing routes is computed in O(pieces * dims). A move is evaluated exactly
// (penalised cost: fixed + per-distance + per-duration cost + weighted excess load per dimension,
// excess duration and excess distance) and applied when it improves; applying rebuilds the
// prefix data of the (one or two) routes touched, O(route length).
//
// Fleet counts are enforced structurally: there are at most min(num_available, n) route slots per
// vehicle type; a route only changes type by moving its whole content to an empty slot of another
// type (operator change_type).
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/problem.h"
#include "core/solution.h"
#include "energy/ev_routing.h"
#include "search/neighbours.h"
#include "search/rng.h"

namespace lastmile {

/// Penalty weights per unit of excess (load per dimension, duration, distance).
struct Penalties {
    std::vector<double> load;
    double duration = 1.0;
    double distance = 1.0;
    double energy = 1.0;  // per kWh above battery - reserve (EV types only)
};

/// Local-search operators (bit positions in an operator mask).
enum LsOp : int {
    kRelocate1 = 0,  // move one client after a neighbour (or after the depot / before a neighbour)
    kRelocate2,      // move two consecutive clients (both orientations); intra-route = or-opt
    kRelocate3,      // move three consecutive clients (both orientations)
    kSwap11,         // exchange two clients
    kSwap21,         // exchange a pair of consecutive clients with one client
    kSwap22,         // exchange two pairs of consecutive clients
    kTwoOpt,         // intra-route 2-opt (segment reversal)
    kTwoOptStar,     // inter-route tail exchange (both variants)
    kSwapStar,       // SWAP* (Vidal 2022) between routes with overlapping polar sectors
    kChangeType,     // move a route's content to an empty vehicle of another type
    kNumLsOps
};
const char* ls_op_name(int op);
int ls_op_from_name(const std::string& name);  // -1 when unknown
inline constexpr unsigned kAllLsOps = (1u << kNumLsOps) - 1;

class LocalSearch {
  public:
    LocalSearch(const ProblemData& data, const Neighbours& nb);

    /// Sets the weights and re-evaluates the route costs (O(routes * dims)).
    void set_penalties(const Penalties& p);
    const Penalties& penalties() const { return pen_; }
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
    std::int64_t moves_applied() const { return counter_; }

  private:
    struct RouteData {
        std::vector<std::int32_t> nodes;  // depot, clients..., depot
        std::vector<Distance> cd, cdr;    // prefix distance forward / reverse direction
        std::vector<Duration> ct, ctr;    // prefix driving + service forward / reverse
        std::vector<Load> cl;             // prefix load per position, stride dims
        int type = 0;
        Distance dist = 0;
        Duration dur = 0;
        double cost = 0, loadpen = 0;  // penalised cost and its load-penalty part
        double pen = 0;                // all penalties (load + duration + distance)
        double wd = 0, wt = 0;         // cost per distance / duration unit of the type
        std::int64_t modified = 0;     // move counter when last changed
        std::int64_t tested_swapstar = -1;
        std::int64_t version = 0;        // unique id of the current contents
        int sec_start = 0, sec_end = 0;  // polar sector (angles in [0, 65536))
        std::vector<EvPrefix> evp;       // energy prefix data per energy class (EV fleets)
        double eexcess = 0;              // exact peak energy above battery - reserve (kWh)
        int size() const { return static_cast<int>(nodes.size()) - 2; }
    };
    struct Seg {
        int r, i, j;  // positions i..j (inclusive) of route r
        bool rev;
    };
    struct Eval {
        Distance dist = 0;
        Duration dur = 0;
        int clients = 0;
        double base = 0;  // cost without load penalty (0 when empty)
    };

    Eval eval_base(int type, const Seg* s, int ns) const;
    double eval_loadpen(int type, const Seg* s, int ns) const;
    /// O(1)-per-segment energy penalty from the route total (a lower bound of the exact one).
    double eval_energypen(int type, const Seg* s, int ns) const;
    /// Exact energy penalty of a node sequence depot ... depot (O(length)).
    double exact_energypen(int type, const std::vector<std::int32_t>& nodes) const;
    double route_cost(int type, Distance dist, Duration dur, const Load* load,
                      double* loadpen) const;
    bool try_move(int ra, const Seg* sa, int na, int rb, const Seg* sb, int nb);
    void apply(int ra, std::vector<std::int32_t>&& nodes);
    void rebuild(int r);
    int empty_slot(int type);  // index of an empty route of this type, or -1 (creates lazily)
    bool node_moves(int u, int v);
    bool depot_moves(int u, int rv);
    bool empty_route_moves(int u);
    bool swap_star(int r1, int r2);
    bool change_type(int r);
    bool sector_overlap(const RouteData& a, const RouteData& b) const;
    bool sweep(Rng& rng, bool first_only);

    /// Service time of a node; the depot's never counts (as in Solution).
    Duration svc(int i) const { return i == 0 ? 0 : data_.service(i); }

    const ProblemData& data_;
    const Neighbours& nb_;
    std::size_t dims_;
    EvRouting ev_;  // battery constraints (inactive without EV types)
    bool need_dur_ = true;
    bool sym_ = true;  // symmetric distances and durations (reversal is free)  // false when no
                       // type prices or limits duration (CVRP): skip durations
    Penalties pen_;
    unsigned ops_ = kAllLsOps;
    const std::function<bool()>* stop_ = nullptr;
    bool first_only_ = false;
    double last_delta_ = 0;
    int loop_ = 0;

    std::vector<RouteData> routes_;
    std::vector<std::int64_t> slot_limit_;         // per type
    std::vector<std::int64_t> slots_created_;      // per type
    std::vector<std::vector<int>> empty_stack_;    // per type, lazily validated
    std::vector<std::int32_t> route_of_, pos_of_;  // per node
    std::vector<std::int64_t> tested_;             // per client: counter when last tested
    std::vector<std::int32_t> order_;
    std::vector<int> angle_;  // per node, [0, 65536)
    std::int64_t counter_ = 0;
    std::vector<std::int32_t> buf_a_, buf_b_;
    std::vector<Load> tmp_load_;
    // SWAP* scratch
    struct Best3 {
        double cost[3];
        int pos[3];
        void reset() {
            cost[0] = cost[1] = cost[2] = 1e300;
            pos[0] = pos[1] = pos[2] = -1;
        }
        void add(double c, int p) {
            if (c >= cost[2]) return;
            if (c >= cost[1]) {
                cost[2] = c;
                pos[2] = p;
            } else if (c >= cost[0]) {
                cost[2] = cost[1];
                pos[2] = pos[1];
                cost[1] = c;
                pos[1] = p;
            } else {
                cost[2] = cost[1];
                pos[2] = pos[1];
                cost[1] = cost[0];
                pos[1] = pos[0];
                cost[0] = c;
                pos[0] = p;
            }
        }
    };
    std::vector<Best3> ins12_, ins21_;
    // Cache of the best insertions of client u into route r, valid while r is unchanged
    // (Vidal 2022); allocated per route on first use, within a memory budget.
    struct CachedBest3 {
        Best3 b;
        std::int64_t version = -1;
    };
    std::vector<std::vector<CachedBest3>> ins_cache_;
    std::size_t cache_bytes_ = 0;
    std::int64_t version_ = 0;  // never reset: identifies route contents for the cache
    const Best3* best_insertions(int u, int r, Best3& scratch);
    std::vector<const Best3*> ptr12_, ptr21_;
    std::vector<double> rem1_, rem2_;
};

}  // namespace lastmile
