// SISR route elimination: empty one of the least-loaded routes and reinsert its clients into the
// other routes, with a few strings of the neighbouring routes ruined to make room (the fleet
// minimisation idea of Christiaens & Vanden Berghe 2020, without their absence counters). The
// recreate may not open a route and falls back to every position of every route for a client
// that fits next to none of its neighbours. The annealing threshold decides, as for any move;
// with fixed costs the saved route cost is part of the change.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "meta/sisr.h"

namespace lastmile {

bool Sisr::eliminate_route(double threshold, double& delta) {
    // Candidates: non-empty routes by their fullest capacity dimension (share of the capacity).
    std::vector<std::pair<double, int>> order;
    std::vector<Load> spare(dims_, 0);
    for (int r = 0; r < static_cast<int>(routes_.size()); ++r) {
        const auto& x = routes_[r];
        if (x.v.empty()) continue;
        const auto& t = data_.vehicle_type(x.type);
        double fill = 0;
        for (std::size_t d = 0; d < dims_; ++d) {
            if (t.capacity[d] > 0)
                fill = std::max(
                    fill, static_cast<double>(x.load[d]) / static_cast<double>(t.capacity[d]));
            spare[d] += t.capacity[d] - x.load[d];
        }
        order.emplace_back(fill, r);
    }
    if (order.size() < 2) return false;
    std::sort(order.begin(), order.end());
    const int pick = rng_.below_int(std::min(3, static_cast<int>(order.size())));
    const int v = order[static_cast<std::size_t>(pick)].second;
    auto& x = routes_[v];
    for (std::size_t d = 0; d < dims_; ++d)  // the others' spare room must hold the victim's load
        if (spare[d] - (data_.vehicle_type(x.type).capacity[d] - x.load[d]) < x.load[d])
            return false;
    begin_move();
    touch(v);
    std::vector<std::int32_t> removed = x.v;
    for (const auto c : removed) route_of_[c] = -1;
    x.v.clear();
    recompute(v);
    --used_[x.type];
    ruin(removed,
         removed[static_cast<std::size_t>(rng_.below_int(static_cast<int>(removed.size())))]);
    no_new_routes_ = true;
    const bool ok = recreate(removed) && energy_ok_after_recreate();
    no_new_routes_ = false;
    if (ok) refit_types(false);
    delta = 0;
    for (std::size_t k = 0; k < backup_idx_.size(); ++k)
        delta += routes_[backup_idx_[k]].cost - backup_[k].cost;
    if (ok && delta < threshold) return true;
    undo();
    return false;
}

}  // namespace lastmile
