// The one interface of the local-search operators. The loop (search/local_search.h) calls an
// operator in one of three scopes: for a client u and a granular neighbour v (and the empty
// routes), for a pair of routes, or for one route. An operator returns true when it applied an
// improving move (through SearchState, which records the predicted delta).
#pragma once
#include <cstdint>
#include <string>

#include "search/arc_table.h"
#include "search/search_state.h"

namespace lastmile {

/// Local-search operators (bit positions in an operator mask; names are the Python names).
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
    kReload,         // insert a reload visit where a route is overloaded, drop useless ones
    kNumLsOps
};
const char* ls_op_name(int op);
int ls_op_from_name(const std::string& name);  // -1 when unknown
inline constexpr unsigned kAllLsOps = (1u << kNumLsOps) - 1;

/// Client u, its neighbour v (or, for depot moves, the depot in front of route rv: v = 0, pv =
/// 0), their routes and positions, and the HGS-style pruning bound shared by the node operators.
struct NodePair {
    int u = 0, v = 0, ru = 0, rv = 0, pu = 0, pv = 0, mu = 0, mv = 0;
    const std::int32_t* NU = nullptr;  // nodes of ru
    const std::int32_t* NV = nullptr;  // nodes of rv
    // Cheap lower bound: weighted change of the arcs touched, minus the current penalties of the
    // routes involved (new penalties are >= 0). Valid when both routes have the same cost
    // weights (same_w) and no route becomes empty (fixed costs unchanged).
    bool same_w = false;
    double slack = 0;
    const ProblemData* data = nullptr;
    const VehicleType* type = nullptr;  // of ru (the weights w() uses)
    const double* wm = nullptr;         // ru type's ArcTable matrix (null: arc_cost)
    std::size_t wn = 0;                 // its stride
    /// Weighted arc cost with the weights of ru's type.
    double w(int a, int b) const {
        return wm ? wm[static_cast<std::size_t>(a) * wn + static_cast<std::size_t>(b)]
                  : arc_cost(*data, *type, a, b);
    }

    /// `arcs` (optional): the table w() reads.
    static NodePair clients(const SearchState& s, int u, int v, const ArcTable* arcs = nullptr);
    /// Depot pairs carry the same bound (the arcs around the depot of rv are real arcs).
    static NodePair depot(const SearchState& s, int u, int rv, const ArcTable* arcs = nullptr);
};

class Operator {
  public:
    enum class Scope { node, route_pair, route };
    explicit Operator(int id) : id_(id) {}
    virtual ~Operator() = default;
    Operator(const Operator&) = delete;
    Operator& operator=(const Operator&) = delete;

    int id() const { return id_; }
    const char* name() const { return ls_op_name(id_); }
    virtual Scope scope() const = 0;

    /// Scope node: moves between client u and its neighbour v.
    virtual bool node_move(SearchState&, const NodePair&) { return false; }
    /// Scope node: u goes right after the depot of route p.rv (p from NodePair::depot).
    virtual bool depot_move(SearchState&, const NodePair&) { return false; }
    /// Scope node: whether empty_route_move can do anything (empty slots are made lazily).
    virtual bool uses_empty_routes() const { return false; }
    /// Scope node: moves of u into the empty route e.
    virtual bool empty_route_move(SearchState&, int /*u*/, int /*e*/) { return false; }
    /// Scope route_pair: moves between two non-empty routes r1 < r2.
    virtual bool route_pair_move(SearchState&, int /*r1*/, int /*r2*/) { return false; }
    /// Scope route: moves of one route r.
    virtual bool route_move(SearchState&, int /*r*/) { return false; }

  private:
    int id_;
};

}  // namespace lastmile
