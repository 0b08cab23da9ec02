// SISR route injection (threads > 1): the threads cooperate by routes, not only by whole bests.
// A few neighbouring routes of another thread's best replace, in this thread's current solution,
// the routes that share most of their clients; the clients these leave out are reinserted by the
// recreate, and the clients of the injected routes are taken out of the other routes. The idea
// is that of the selective route exchange crossover (SREX; Nagata & Kobayashi 2010, "A memetic
// algorithm for the pickup and delivery problem with time windows using selective route
// exchange crossover"), applied as one annealing move. Written from the paper's description.
#include <algorithm>
#include <cmath>

#include "meta/route_eval.h"
#include "meta/sisr.h"

namespace lastmile {

bool Sisr::inject_routes(const std::vector<Route>& donor, double threshold, double& delta) {
    if (donor.size() < 2) return false;  // one route: a whole solution, not a part of one
    const int clients = static_cast<int>(data_.num_clients());
    // The donor routes: the one of a random client, then those of its nearest neighbours.
    const int most =
        std::max(1, std::min(params_.coop_inject_routes, static_cast<int>(donor.size()) / 2));
    const int want = 1 + rng_.below_int(most);
    const int seed = 1 + rng_.below_int(clients);
    std::vector<int> picked;
    auto pick = [&](int c) {
        const int r = donor_route_of_[static_cast<std::size_t>(c)];
        if (r >= 0 && std::find(picked.begin(), picked.end(), r) == picked.end())
            picked.push_back(r);
    };
    pick(seed);
    for (auto p = nb_.begin(seed); p != nb_.end(seed) && static_cast<int>(picked.size()) < want;
         ++p)
        pick(*p);
    if (inject_mark_.size() < data_.num_nodes()) inject_mark_.assign(data_.num_nodes(), 0);
    const std::int64_t stamp = ++inject_stamp_;
    for (const int r : picked)
        for (const auto c : donor[static_cast<std::size_t>(r)].visits)
            inject_mark_[static_cast<std::size_t>(c)] = stamp;
    // The current routes the donor routes overlap, with the number of shared clients.
    std::vector<std::pair<int, int>> overlap;  // (route, shared clients)
    for (const int r : picked)
        for (const auto c : donor[static_cast<std::size_t>(r)].visits) {
            const int own = route_of_[c];
            if (own < 0) return false;  // not a complete solution (cannot happen between moves)
            auto it = std::find_if(overlap.begin(), overlap.end(),
                                   [&](const auto& o) { return o.first == own; });
            if (it == overlap.end())
                overlap.emplace_back(own, 1);
            else
                ++it->second;
        }
    begin_move();
    std::vector<std::int32_t> removed;  // clients of replaced routes that no donor route holds
    for (const auto& [r, shared] : overlap) {
        touch(r);
        auto& x = routes_[r];
        const bool replaced = 2 * shared >= static_cast<int>(x.v.size());  // mostly shared
        std::vector<std::int32_t> keep;
        for (const auto c : x.v) {
            if (inject_mark_[static_cast<std::size_t>(c)] == stamp) {
                route_of_[c] = -1;
            } else if (replaced) {
                route_of_[c] = -1;
                removed.push_back(c);
            } else {
                keep.push_back(c);
            }
        }
        const bool was = !x.v.empty();
        x.v.swap(keep);
        recompute(r);
        if (was && x.v.empty()) --used_[x.type];
    }
    for (const int dr : picked) {  // the donor routes, as they are, on empty slots
        const auto& d = donor[static_cast<std::size_t>(dr)];
        if (used_[d.vehicle_type] >= data_.vehicle_type(d.vehicle_type).num_available) {
            undo();
            return false;
        }
        int e = -1;
        for (std::size_t r = 0; r < routes_.size() && e < 0; ++r)
            if (routes_[r].v.empty()) e = static_cast<int>(r);
        if (e < 0) {
            routes_.push_back(R{});
            touched_.push_back(0);
            e = static_cast<int>(routes_.size()) - 1;
        }
        touch(e);
        routes_[e].type = d.vehicle_type;
        routes_[e].v = d.visits;
        recompute(e);
        ++used_[d.vehicle_type];
    }
    bool ok = recreate(removed) && energy_ok_after_recreate();
    if (ok) refit_types(false);
    delta = 0;
    for (std::size_t k = 0; k < backup_idx_.size(); ++k)
        delta += routes_[backup_idx_[k]].cost - backup_[k].cost;
    // Taking clients out of a route keeps it feasible only under the triangle inequality (time
    // windows, duration, distance, pickups, battery): the whole solution is checked before a
    // move is kept (an O(n) check, made once per injection that passes the threshold).
    ok = ok && delta < threshold && evaluate_routes(data_, export_routes()).feasible;
    if (ok) return true;
    undo();
    return false;
}

}  // namespace lastmile
