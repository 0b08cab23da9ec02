// SearchState for routes with reload visits (multi-trip routes): they are evaluated by a walk
// over their visits (core/trip_eval.h), exactly as Solution evaluates them; routes without
// reload visits keep the segment evaluation of search_state.cpp.
#include "core/trip_eval.h"
#include "search/search_state.h"
#include "search/trip_state.h"

namespace lastmile {

bool SearchState::reload_pieces(const Seg* s, int ns) const {
    for (int k = 0; k < ns; ++k)
        if (routes_[s[k].r].reloads > 0) return true;
    return false;
}

SearchState::Eval SearchState::walk_visits(int type, const std::int32_t* v, std::size_t n,
                                           double* loadpen) const {
    const auto k = static_cast<std::size_t>(type);
    const TripEval t = eval_trips(data_, k, v, n, tmp_load_.data());
    Eval e;
    e.dist = t.dist;
    e.dur = t.dur;
    e.clients = t.clients;
    e.warp = t.warp;
    double lp = 0;
    for (std::size_t d = 0; d < dims_; ++d) lp += pen_.load[d] * static_cast<double>(tmp_load_[d]);
    if (loadpen) *loadpen = lp;
    if (e.clients == 0) return e;
    if (!t.allowed) {
        e.base = kInvalidRoute;
        return e;
    }
    e.base = base_cost(data_.vehicle_type(k), pen_, e.dist, e.dur);
    if (time_) e.base += pen_.time_warp * static_cast<double>(e.warp);
    return e;
}

SearchState::Eval SearchState::eval_walk(int type, const Seg* s, int ns) const {
    concat_nodes(routes_, s, ns, walk_buf_);
    normalize_reloads(data_, walk_buf_);
    return walk_visits(type, walk_buf_.data() + 1, walk_buf_.size() - 2, nullptr);
}

bool SearchState::eval_trip_segments(int type, const Seg* s, int ns, Eval& e) const {
    TripConcat tc;
    if (!concat_trips(data_, routes_, trips_compatible_, type, s, ns, time_, tc, tmp_load_.data()))
        return false;
    const auto& vt = data_.vehicle_type(static_cast<std::size_t>(type));
    const SegTotals tot = concat_totals(data_, routes_, s, ns, need_dur_ && !time_, type);
    e.dist = tot.dist;
    e.clients = tot.clients - tc.reloads;
    e.dur = tot.dur + (need_dur_ && !time_ ? tc.reloads * vt.reload_time : 0);
    if (time_) {
        e.dur = tc.time.dur;
        e.warp = tc.time.total_warp();
    }
    if (tc.reloads > vt.max_reloads) {
        e.base = kInvalidRoute;
        return true;
    }
    e.base = base_cost(vt, pen_, e.dist, e.dur);
    if (time_) e.base += pen_.time_warp * static_cast<double>(e.warp);
    return true;
}

bool SearchState::insert_trip(const std::vector<std::int32_t>& trip) {
    int best_r = -1;
    double best = 0;
    std::vector<std::int32_t> cand, best_nodes;
    for (std::size_t r = 0; r < routes_.size(); ++r) {
        const auto& R = routes_[r];
        const auto& vt = data_.vehicle_type(static_cast<std::size_t>(R.type));
        if (R.size() == 0 || vt.reload_depots.empty() || R.reloads >= vt.max_reloads) continue;
        std::int32_t depot = -1;  // the reload depot nearest to the trip's ends
        Distance dd = 0;
        for (auto d : vt.reload_depots) {
            const auto node = static_cast<std::int32_t>(data_.depot_node(d));
            const Distance x = data_.dist(node, trip.front()) + data_.dist(trip.back(), node);
            if (depot < 0 || x < dd) depot = node, dd = x;
        }
        const auto m = static_cast<int>(R.nodes.size());
        for (int q = 1; q < m; ++q) {  // insert before nodes[q]: a trip boundary
            if (q > 1 && q < m - 1 && !data_.is_depot(static_cast<std::size_t>(R.nodes[q - 1])))
                continue;
            cand.assign(R.nodes.begin(), R.nodes.begin() + q);
            if (q == m - 1) cand.push_back(depot);
            cand.insert(cand.end(), trip.begin(), trip.end());
            if (q < m - 1) cand.push_back(depot);
            cand.insert(cand.end(), R.nodes.begin() + q, R.nodes.end());
            const double delta = sequence_cost(R.type, cand) - R.cost;
            if (best_r < 0 || delta < best)
                best_r = static_cast<int>(r), best = delta, best_nodes = cand;
        }
    }
    if (best_r < 0) return false;
    normalize_reloads(data_, best_nodes, routes_[best_r].type);
    routes_[best_r].nodes.swap(best_nodes);
    rebuild(best_r);
    return true;
}

void SearchState::rebuild_trips(RouteState& R) {
    double lp = 0;
    const Eval e = walk_visits(R.type, R.nodes.data() + 1, R.nodes.size() - 2, &lp);
    R.dist = e.dist;
    R.dur = e.dur;
    R.warp = e.warp;
    R.trip_excess.assign(tmp_load_.begin(), tmp_load_.end());
    R.loadpen = lp;
    R.cost = e.base + lp + pen_.energy * R.eexcess;
    const auto& t = data_.vehicle_type(R.type);
    R.pen = R.cost - t.route_cost(static_cast<double>(R.dist), static_cast<double>(R.dur));
}

}  // namespace lastmile
