#include "meta/tsp_ils.h"

#include <algorithm>
#include <cmath>

#include "meta/route_eval.h"
#include "search/tour_opt.h"

namespace lastmile {

bool tsp_ils_applies(const ProblemData& data, const std::vector<Route>& routes,
                     const SolverParams& params) {
    if (params.tsp_ils == 0 || routes.size() != 1 || routes.front().visits.size() < 8) return false;
    if (data.has_time_windows() || data.has_battery_constraint() || data.has_pickups() ||
        data.multi_depot())
        return false;  // order-dependent feasibility, or depot legs other than node 0
    const auto& t = data.vehicle_type(static_cast<std::size_t>(routes.front().vehicle_type));
    if (t.max_distance < kUnlimited || t.max_duration < kUnlimited) return false;
    if (routes.front().visits.size() != data.num_clients()) return false;
    std::int64_t fleet = 0;
    for (const auto& k : data.vehicle_types()) fleet += std::min<std::int64_t>(k.num_available, 2);
    if (fleet == 1) return true;
    // Several vehicles allowed: one route is optimal when a single type carries everything, a
    // route costs no less than nothing and the triangle inequality holds (symmetric metric:
    // coordinates, or a symmetric matrix, which we take to be a road metric).
    if (data.num_vehicle_types() != 1 || t.fixed_cost < 0 || !data.symmetric()) return false;
    for (std::size_t d = 0; d < data.num_dims(); ++d) {
        Load total = 0;
        for (std::size_t i = 1; i < data.num_nodes(); ++i) total += data.demand(i, d);
        if (total > t.capacity[d]) return false;
    }
    return true;
}

void run_tsp_ils(const ProblemData& data, const Neighbours& nb, const SolverParams& params,
                 ThreadStop& stop, BestExchange& best, Rng& rng, const Route& route) {
    TourOpt opt(data, nb, route.vehicle_type, route.visits);
    opt.set_max_string(params.tsp_or_len);
    const auto* poll = stop.callback();
    opt.queue_all();
    opt.improve(poll);
    Route out = route;
    auto report = [&]() {
        out.visits = opt.visits();
        best.report({out}, evaluate_routes(data, {out}).cost);
    };
    report();
    double cur = opt.cost(), best_cost = cur;
    const double avg_arc = cur / static_cast<double>(opt.size() + 1);
    const double t0 = params.tsp_t0 * avg_arc;
    const double t1 = std::min(params.tsp_t1, params.tsp_t0) * avg_arc;
    const std::int64_t exchange_every =
        static_cast<std::int64_t>(params.tsp_exchange_factor) * params.exchange_iterations;
    for (std::int64_t it = 0; !stop.check(); ++it) {
        const double progress = stop.deadline().progress(it);
        const double temp = t0 * std::pow(t1 / t0, std::clamp(progress, 0.0, 1.0));
        opt.save();
        if (rng.uniform() < params.tsp_ruin_rate)
            opt.ruin_recreate(rng, 2 + rng.below_int(std::max(1, params.tsp_ruin - 1)));
        else
            opt.double_bridge(rng, params.tsp_bridge_len);
        if (!opt.improve(poll)) {
            opt.restore();
            break;
        }
        const double now = opt.cost();
        const double threshold = -temp * std::log(std::max(rng.uniform(), 1e-300));
        if (now - cur < threshold) {
            cur = now;
            if (cur < best_cost - 1e-7) {
                best_cost = cur;
                report();
            }
        } else {
            opt.restore();
        }
        if (exchange_due(it, exchange_every)) {  // threads > 1: adopt a better tour
            std::vector<Route> other;
            if (best.fetch_better(evaluate_routes(data, {out}).cost, other) && other.size() == 1 &&
                other.front().visits.size() == route.visits.size()) {
                opt.set_visits(other.front().visits);
                cur = best_cost = opt.cost();
                out = other.front();
            }
        }
        stop.count_iteration();
    }
}

bool polish_route_orders(const ProblemData& data, const Neighbours& nb, std::vector<Route>& routes,
                         Cost& cost, const std::function<bool()>* stop) {
    if (data.has_time_windows() || data.has_battery_constraint() || data.has_pickups() ||
        data.multi_depot())
        return false;  // order-dependent feasibility, or depot legs other than node 0
    std::vector<Route> out = routes;
    bool changed = false;
    for (auto& r : out) {
        if (r.visits.size() < 8) continue;
        TourOpt opt(data, nb, r.vehicle_type, r.visits);
        const double before = opt.cost();
        opt.queue_all();
        if (!opt.improve(stop)) return false;
        if (opt.cost() < before - 1e-7) r.visits = opt.visits(), changed = true;
    }
    if (!changed) return false;
    const auto ev = evaluate_routes(data, out);
    if (!ev.feasible || ev.cost >= cost - 1e-9) return false;
    routes = std::move(out);
    cost = ev.cost;
    return true;
}

}  // namespace lastmile
