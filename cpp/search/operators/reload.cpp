#include "search/operators/reload.h"

#include "core/trip_eval.h"

namespace lastmile {

bool ReloadOp::route_move(SearchState& s, int r) {
    const auto& data = s.data();
    if (!data.has_reloads()) return false;
    const RouteState& R = s.route(r);
    const auto& vt = data.vehicle_type(static_cast<std::size_t>(R.type));
    if (R.size() == 0 || vt.reload_depots.empty()) return false;
    const double old = R.cost;
    double best = -kMoveEps;
    const std::size_t m = R.nodes.size();
    // Removals: every reload visit (the rest of the route unchanged).
    for (std::size_t p = 1; p + 1 < m && R.reloads > 0; ++p) {
        if (!data.is_depot(static_cast<std::size_t>(R.nodes[p]))) continue;
        buf_.assign(R.nodes.begin(), R.nodes.end());
        buf_.erase(buf_.begin() + static_cast<std::ptrdiff_t>(p));
        const double delta = s.sequence_cost(R.type, buf_) - old;
        if (delta < best) best = delta, best_ = buf_;
    }
    // Insertions: only where a trip is over capacity and another reload is allowed.
    bool over = R.loadpen > 0;
    if (R.reloads == 0) {
        const Load* load = R.route_load(s.dims());
        for (std::size_t d = 0; d < s.dims(); ++d) over |= load[d] > vt.capacity[d];
    } else {
        for (std::size_t d = 0; d < s.dims(); ++d) over |= R.trip_excess[d] > 0;
    }
    if (best >= -kMoveEps && over && R.reloads < vt.max_reloads) {
        for (std::size_t p = 1; p + 2 < m; ++p) {  // between nodes[p] and nodes[p + 1]
            if (data.is_depot(static_cast<std::size_t>(R.nodes[p])) ||
                data.is_depot(static_cast<std::size_t>(R.nodes[p + 1])))
                continue;
            for (auto d : vt.reload_depots) {
                buf_.assign(R.nodes.begin(), R.nodes.end());
                buf_.insert(buf_.begin() + static_cast<std::ptrdiff_t>(p + 1),
                            static_cast<std::int32_t>(data.depot_node(d)));
                const double delta = s.sequence_cost(R.type, buf_) - old;
                if (delta < best) best = delta, best_ = buf_;
            }
        }
    }
    if (best >= -kMoveEps) return false;
    s.begin_move(best);
    s.apply(r, std::move(best_));
    return true;
}

}  // namespace lastmile
