#include "search/local_search.h"

#include <algorithm>
#include <cmath>

#include "search/operators/change_type.h"
#include "search/operators/reload.h"
#include "search/operators/relocate.h"
#include "search/operators/swap.h"
#include "search/operators/swap_star.h"
#include "search/operators/two_opt.h"
#include "search/operators/two_opt_star.h"

namespace lastmile {

LocalSearch::LocalSearch(const ProblemData& data, const Neighbours& nb,
                         std::shared_ptr<const EvArcCache> ev_cache)
    : data_(data), nb_(nb), state_(data, std::move(ev_cache)), arcs_(data) {
    ops_by_id_[kRelocate1] = std::make_unique<Relocate>(1);
    ops_by_id_[kRelocate2] = std::make_unique<Relocate>(2);
    ops_by_id_[kRelocate3] = std::make_unique<Relocate>(3);
    ops_by_id_[kSwap11] = std::make_unique<Swap>(1, 1);
    ops_by_id_[kSwap21] = std::make_unique<Swap>(2, 1);
    ops_by_id_[kSwap22] = std::make_unique<Swap>(2, 2);
    ops_by_id_[kTwoOpt] = std::make_unique<TwoOpt>();
    ops_by_id_[kTwoOptStar] = std::make_unique<TwoOptStar>();
    auto swap_star = std::make_unique<SwapStar>();
    swap_star->set_arc_table(&arcs_);
    ops_by_id_[kSwapStar] = std::move(swap_star);
    ops_by_id_[kChangeType] = std::make_unique<ChangeType>();
    ops_by_id_[kReload] = std::make_unique<ReloadOp>();
    const std::size_t n = data.num_nodes();
    tested_.assign(n, -1);
    tested_empty_.assign(n, -1);
    for (std::size_t i = 1; i <= data.num_clients(); ++i)
        order_.push_back(static_cast<std::int32_t>(i));
}

// Client-neighbourhood phase: every node operator for u and each granular neighbour v, then the
// depot and empty-route moves (after the first loop). Sets `improved` when a move was applied.
LocalSearch::Phase LocalSearch::node_phase(Rng& rng, bool first_only, bool first_loop,
                                           bool& improved) {
    auto& s = state_;
    bool empty_ops = false;
    for (auto* op : node_ops_) empty_ops |= op->uses_empty_routes();
    for (std::size_t idx = 0; idx < order_.size(); ++idx) {
        if ((idx & 63) == 0 && stopped()) return Phase::stopped;
        const int u = order_[idx];
        const std::int64_t last = tested_[u];
        tested_[u] = s.counter();
        const int cnt = nb_.count(u);
        if (cnt == 0) continue;
        const std::int32_t* list = nb_.begin(u);
        const int off = rng.below_int(cnt);
        for (int t = 0; t < cnt; ++t) {
            const int v = list[(t + off) % cnt];
            const int ru = s.route_of(u), rv = s.route_of(v);
            if (!first_loop && std::max(s.route(ru).modified, s.route(rv).modified) <= last)
                continue;
            bool done = false;
            const NodePair p = NodePair::clients(s, u, v, &arcs_);
            for (auto* op : node_ops_)
                if ((done = op->node_move(s, p))) break;
            if (!done && s.pos_of(v) == 1) {
                const NodePair q = NodePair::depot(s, u, rv, &arcs_);
                for (auto* op : node_ops_)
                    if ((done = op->depot_move(s, q))) break;
            }
            if (done) {
                improved = true;
                if (first_only) return Phase::first_applied;
            }
        }
        if (!first_loop && empty_ops) {
            // Moving u into an empty route depends only on u's route (every empty slot of a
            // type is the same): skip it while that route is unchanged since u's last full
            // test. The slots are still requested, so that they are created as before.
            const bool fresh = s.route(s.route_of(u)).modified > tested_empty_[u];
            bool done = false, all_slots = true;
            const std::int64_t now = s.counter();
            for (std::size_t t = 0; t < s.fleet().num_types() && !done; ++t) {
                const int e = s.empty_slot(static_cast<int>(t));
                if (e < 0) {
                    all_slots = false;
                    continue;
                }
                if (!fresh) continue;
                for (auto* op : node_ops_)
                    if ((done = op->empty_route_move(s, u, e))) break;
            }
            if (fresh) tested_empty_[u] = all_slots && !done ? now : -1;
            if (done) {
                improved = true;
                if (first_only) return Phase::first_applied;
            }
        }
    }
    return Phase::done;
}

bool LocalSearch::sweep(Rng& rng, bool first_only) {
    auto& s = state_;
    node_ops_.clear(), pair_ops_.clear(), route_ops_.clear();
    for (int id = 0; id < kNumLsOps; ++id) {
        if (!(ops_ & (1u << id))) continue;
        Operator* op = ops_by_id_[id].get();
        switch (op->scope()) {
            case Operator::Scope::node:
                node_ops_.push_back(op);
                break;
            case Operator::Scope::route_pair:
                pair_ops_.push_back(op);
                break;
            case Operator::Scope::route:
                route_ops_.push_back(op);
                break;
        }
    }
    bool any = false;
    for (int loop = 0;; ++loop) {
        bool improved = false;
        if (!node_ops_.empty()) {
            const Phase ph = node_phase(rng, first_only, loop == 0, improved);
            if (ph == Phase::first_applied) return true;
            if (ph == Phase::stopped) return any;
        }
        if (!pair_ops_.empty()) {
            for (int r1 = 0; r1 < s.num_routes(); ++r1) {
                if (s.route(r1).size() == 0) continue;
                if ((r1 & 15) == 0 && stopped()) return any || improved;
                const std::int64_t last = s.route(r1).tested_swapstar;
                s.route(r1).tested_swapstar = s.counter();
                for (int r2 = r1 + 1; r2 < s.num_routes(); ++r2) {
                    if (s.route(r2).size() == 0 || s.route(r1).size() == 0) continue;
                    if (loop > 0 && std::max(s.route(r1).modified, s.route(r2).modified) <= last)
                        continue;
                    for (auto* op : pair_ops_)
                        if (op->route_pair_move(s, r1, r2)) {
                            improved = true;
                            if (first_only) return true;
                            break;
                        }
                }
            }
        }
        for (auto* op : route_ops_)
            for (int r = 0; r < s.num_routes(); ++r)
                if (op->route_move(s, r)) {
                    improved = true;
                    if (first_only) return true;
                }
        any |= improved;
        if (first_only && loop >= 1) return false;
        if (!improved && loop >= 1) break;
    }
    return any;
}

bool LocalSearch::run(Rng& rng) {
    rng.shuffle(order_);
    sweep(rng, false);
    return !stopped();
}

double LocalSearch::improve_once(int op, Rng& rng) {
    const unsigned saved = ops_;
    ops_ = 1u << op;
    rng.shuffle(order_);
    std::fill(tested_.begin(), tested_.end(), -1);
    std::fill(tested_empty_.begin(), tested_empty_.end(), -1);
    state_.reset_tested();
    const bool ok = sweep(rng, true);
    ops_ = saved;
    return ok ? state_.last_delta() : 0.0;
}

void LocalSearch::load(const std::vector<Route>& input) {
    state_.load(input);
    std::fill(tested_.begin(), tested_.end(), -1);
    std::fill(tested_empty_.begin(), tested_empty_.end(), -1);
}

std::vector<Route> LocalSearch::routes() const {
    std::vector<std::pair<double, std::size_t>> key;
    const auto& rs = state_.routes();
    for (std::size_t r = 0; r < rs.size(); ++r) {
        const auto& R = rs[r];
        if (R.size() == 0) continue;
        double sx = 0, sy = 0;
        for (int p = 1; p <= R.size(); ++p) sx += data_.x(R.nodes[p]), sy += data_.y(R.nodes[p]);
        sx /= R.size(), sy /= R.size();
        key.emplace_back(std::atan2(sy - data_.y(0), sx - data_.x(0)), r);
    }
    std::sort(key.begin(), key.end());
    std::vector<Route> out;
    out.reserve(key.size());
    for (auto [a, r] : key) {
        (void)a;
        Route rt;
        rt.visits.assign(rs[r].nodes.begin() + 1, rs[r].nodes.end() - 1);
        rt.vehicle_type = rs[r].type;
        out.push_back(std::move(rt));
    }
    return out;
}

double LocalSearch::penalised_cost() const {
    double c = 0;
    for (const auto& R : state_.routes()) c += R.cost;
    return c;
}

double LocalSearch::recompute_penalised_cost() const {
    double c = 0;
    for (const auto& R : state_.routes())
        if (R.size() > 0) c += state_.sequence_cost(R.type, R.nodes);
    return c;
}

bool LocalSearch::load_feasible() const {
    const std::size_t dims = state_.dims();
    for (const auto& R : state_.routes())
        if (R.size() > 0 && R.loadpen > 0) return false;
    for (const auto& R : state_.routes()) {
        if (R.size() == 0) continue;
        const auto& t = data_.vehicle_type(R.type);
        if (R.reloads > 0) {  // capacity per trip
            for (std::size_t d = 0; d < dims; ++d)
                if (R.trip_excess[d] > 0) return false;
            continue;
        }
        for (std::size_t d = 0; d < dims; ++d)
            if (R.route_load(dims)[d] > t.capacity[d]) return false;
    }
    return true;
}
bool LocalSearch::duration_feasible() const {
    for (const auto& R : state_.routes())
        if (R.size() > 0 && R.dur > data_.vehicle_type(R.type).max_duration) return false;
    return true;
}
bool LocalSearch::energy_feasible() const {
    for (const auto& R : state_.routes())
        if (R.size() > 0 && R.eexcess > 0) return false;
    return true;
}
bool LocalSearch::distance_feasible() const {
    for (const auto& R : state_.routes())
        if (R.size() > 0 && R.dist > data_.vehicle_type(R.type).max_distance) return false;
    return true;
}

}  // namespace lastmile
