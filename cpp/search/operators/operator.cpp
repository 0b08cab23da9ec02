#include "search/operators/operator.h"

namespace lastmile {
namespace {

constexpr double kNoBound = 1e300;

const char* const kOpNames[kNumLsOps] = {"relocate1", "relocate2",   "relocate3", "swap11",
                                         "swap21",    "swap22",      "two_opt",   "two_opt_star",
                                         "swap_star", "change_type", "reload"};

}  // namespace

const char* ls_op_name(int op) { return op >= 0 && op < kNumLsOps ? kOpNames[op] : "?"; }
int ls_op_from_name(const std::string& name) {
    for (int i = 0; i < kNumLsOps; ++i)
        if (name == kOpNames[i]) return i;
    return -1;
}

NodePair NodePair::clients(const SearchState& s, int u, int v, const ArcTable* arcs) {
    NodePair p;
    p.u = u, p.v = v;
    p.ru = s.route_of(u), p.rv = s.route_of(v);
    p.pu = s.pos_of(u), p.pv = s.pos_of(v);
    const auto& RU = s.route(p.ru);
    const auto& RV = s.route(p.rv);
    p.mu = RU.size(), p.mv = RV.size();
    p.NU = RU.nodes.data(), p.NV = RV.nodes.data();
    p.same_w = RU.wd == RV.wd && RU.wt == RV.wt;
    p.slack = RU.pen + (p.ru != p.rv ? RV.pen : 0.0) + kMoveEps;
    // With time windows a move can change waiting by more than the arcs' durations: the arc
    // bound holds only when duration is not priced.
    if (s.time_windows() && (RU.wt != 0 || RV.wt != 0)) p.slack = kNoBound;
    p.data = &s.data();
    p.type = &s.data().vehicle_type(RU.type);
    if (arcs) p.wm = arcs->matrix(RU.type), p.wn = arcs->stride();
    return p;
}

NodePair NodePair::depot(const SearchState& s, int u, int rv, const ArcTable* arcs) {
    NodePair p;
    p.u = u, p.v = 0;
    p.ru = s.route_of(u), p.rv = rv;
    p.pu = s.pos_of(u), p.pv = 0;
    const auto& RU = s.route(p.ru);
    const auto& RV = s.route(rv);
    p.mu = RU.size(), p.mv = RV.size();
    p.NU = RU.nodes.data(), p.NV = RV.nodes.data();
    p.same_w = RU.wd == RV.wd && RU.wt == RV.wt;
    p.slack = RU.pen + (p.ru != p.rv ? RV.pen : 0.0) + kMoveEps;
    if (s.time_windows() && (RU.wt != 0 || RV.wt != 0)) p.slack = kNoBound;  // as in clients()
    p.data = &s.data();
    p.type = &s.data().vehicle_type(RU.type);
    if (arcs) p.wm = arcs->matrix(RU.type), p.wn = arcs->stride();
    return p;
}

}  // namespace lastmile
