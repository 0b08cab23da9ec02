// Per-route state of the local search: the node sequence and its prefix (segment) data, so that
// a route made of pieces of existing routes is evaluated in O(pieces * dims).
//
// Segment fields today: distance and duration (driving + service), both directions, and load per
// dimension. New constraint families add their own per-position field here (e.g. time-window
// earliest/latest/time-warp triples, or pickup/delivery load profiles) together with its
// concatenation in concat_totals().
#pragma once
#include <cstdint>
#include <vector>

#include "core/problem.h"
#include "core/trip_segment.h"
#include "energy/ev_routing.h"

namespace lastmile {

/// A piece of an existing route: positions i..j (inclusive) of route r, reversed when rev.
struct Seg {
    int r, i, j;
    bool rev;
};

struct RouteState {
    std::vector<std::int32_t> nodes;  // depot, clients..., depot
    std::vector<Distance> cd, cdr;    // prefix distance forward / reverse direction
    std::vector<Duration> ct, ctr;    // prefix driving + service forward / reverse
    std::vector<Load> cl;             // prefix load per position, stride dims
    int type = 0;
    Distance dist = 0;
    Duration dur = 0;
    double cost = 0, loadpen = 0;  // penalised cost and its load-penalty part
    double pen = 0;                // all penalties (load + duration + distance + energy)
    double wd = 0, wt = 0;         // cost per distance / duration unit of the type
    std::int64_t modified = 0;     // move counter when last changed
    std::int64_t tested_swapstar = -1;
    std::int64_t version = 0;        // unique id of the current contents
    int sec_start = 0, sec_end = 0;  // polar sector (angles in [0, kCircle))
    std::vector<EvPrefix> evp;       // energy prefix data per energy class (EV fleets)
    double eexcess = 0;              // exact peak energy above battery - reserve (kWh)
    // Time windows (instances with windows only): tf[p] is the segment of the clients 1..p,
    // tb[p] of the clients p..size() (depots excluded: a piece can end up in a route of another
    // type, whose depot/shift window the evaluation adds); warp is the route's total time warp.
    std::vector<TimeSeg> tf, tb;
    Duration warp = 0;
    // Pickups (instances with pickups only): lf[p * dims + d] is the load segment of the nodes
    // 0..p, lb[p * dims + d] of the nodes p..end; peak[d] the route's largest load.
    std::vector<LoadSeg> lf, lb;
    std::vector<Load> peak;
    // Reloads (instances with reload depots only): the number of depot visits among the nodes;
    // routes with reload visits are evaluated by a walk (core/trip_eval.h), trip_excess holds
    // the capacity excess summed over their trips per dimension.
    std::int64_t reloads = 0;
    std::vector<Load> trip_excess;
    // Trip prefix data (search/trip_state.h; instances with reload depots): rc[p] reloads among
    // the nodes 1..p; lt_f/tt_f of the nodes 1..p, lt_b/tt_b of p..size() (load stride dims).
    std::vector<std::int32_t> rc;
    std::vector<TripLoad> lt_f, lt_b;
    std::vector<TripTime> tt_f, tt_b;

    int size() const { return static_cast<int>(nodes.size()) - 2; }
    /// Total load per dimension (the last prefix row).
    const Load* total_load(std::size_t dims) const { return &cl[(nodes.size() - 1) * dims]; }
    /// The load the capacity applies to per dimension: the peak with pickups, else the total.
    const Load* route_load(std::size_t dims) const {
        return peak.empty() ? total_load(dims) : peak.data();
    }
    /// Rebuilds lf/lb/peak (instances with pickups only).
    void build_load(const ProblemData& data);
    /// Rebuilds distance, duration (when need_dur; zeros otherwise) and load prefixes.
    void build_prefix(const ProblemData& data, bool need_dur);
    /// Rebuilds tf/tb and sets dur (with waiting) and warp from the type's depot window.
    void build_time(const ProblemData& data);
    /// Recomputes the polar sector covering the clients (non-empty routes only).
    void build_sector(const std::vector<int>& angle);
};

/// Polar angles are integers on a circle of kCircle steps.
inline constexpr int kCircle = 65536;
inline int circle_mod(int x) { return ((x % kCircle) + kCircle) % kCircle; }
bool sectors_overlap(const RouteState& a, const RouteState& b);

/// Service time of a node; the depot's never counts (as in Solution).
inline Duration service_of(const ProblemData& data, int i) { return i == 0 ? 0 : data.service(i); }

/// Distance, duration and number of clients of the concatenation of segments (joining arcs
/// included). Durations are only summed when need_dur.
struct SegTotals {
    Distance dist = 0;
    Duration dur = 0;
    int clients = 0;
};
/// With several depots and type >= 0, the first and last arcs are those of `type`'s depots (a
/// piece of another route may bring its own depot along).
SegTotals concat_totals(const ProblemData& data, const std::vector<RouteState>& routes,
                        const Seg* s, int ns, bool need_dur, int type = -1);
/// Several depots: corrects the totals of a concatenation for the depots of `type`.
void depot_legs_fix(const ProblemData& data, const std::vector<RouteState>& routes, int type,
                    const Seg* s, int ns, bool need_dur, SegTotals& e);
/// Time segment of the concatenation for a route of `type` (depot/shift windows at both ends),
/// from tf/tb in O(1) for prefixes and suffixes, walking other pieces (O(piece length)).
TimeSeg concat_time(const ProblemData& data, const std::vector<RouteState>& routes, int type,
                    const Seg* s, int ns);
/// Time segment of a node sequence depot ... depot for `type`, from scratch.
TimeSeg sequence_time(const ProblemData& data, int type, const std::vector<std::int32_t>& nodes);
/// Load per dimension of the concatenation, written to out[0..dims).
void concat_load(const std::vector<RouteState>& routes, const Seg* s, int ns, std::size_t dims,
                 Load* out);
/// Peak load per dimension of the concatenation (instances with pickups), written to
/// out[0..dims): O(1) per prefix/suffix piece, O(piece length) for the others.
void concat_peak(const ProblemData& data, const std::vector<RouteState>& routes, const Seg* s,
                 int ns, Load* out);
/// Peak load per dimension of a node sequence depot ... depot, from scratch.
void sequence_peak(const ProblemData& data, const std::vector<std::int32_t>& nodes, Load* out);
/// Node sequence of the concatenation (out is cleared first).
void concat_nodes(const std::vector<RouteState>& routes, const Seg* s, int ns,
                  std::vector<std::int32_t>& out);

}  // namespace lastmile
