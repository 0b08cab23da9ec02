#include "meta/route_eval.h"

#include <algorithm>

#include "core/route_break.h"
#include "core/route_load.h"
#include "core/route_reload.h"
#include "core/trip_eval.h"
#include "energy/ev_routing.h"

namespace lastmile {

namespace {

/// evaluate_routes for a route with reload visits (core/trip_eval.h: as Solution evaluates it).
void add_trips(const ProblemData& data, const Route& r, RouteSetEval& e, std::vector<Load>& load) {
    const auto& t = data.vehicle_type(static_cast<std::size_t>(r.vehicle_type));
    const TripEval te = eval_trips(data, static_cast<std::size_t>(r.vehicle_type), r.visits.data(),
                                   r.visits.size(), load.data());
    e.cost += t.route_cost(static_cast<double>(te.dist), static_cast<double>(te.dur));
    for (std::size_t d = 0; d < load.size(); ++d)
        if (load[d] > 0) e.excess_load[d] += static_cast<double>(load[d]), e.load_ok[d] = 0;
    if (te.warp > 0) e.excess_warp += static_cast<double>(te.warp), e.warp_ok = false;
    if (te.dur > t.max_duration)
        e.excess_dur += static_cast<double>(te.dur - t.max_duration), e.dur_ok = false;
    if (te.dist > t.max_distance)
        e.excess_dist += static_cast<double>(te.dist - t.max_distance), e.dist_ok = false;
    if (!te.allowed) e.reload_ok = false;
}

}  // namespace

RouteSetEval evaluate_routes(const ProblemData& data, const std::vector<Route>& routes) {
    const std::size_t dims = data.num_dims();
    RouteSetEval e;
    const EvRouting ev(data);
    e.excess_load.assign(dims, 0);
    e.load_ok.assign(dims, 1);
    std::vector<Load> load(dims);
    bool need_dur = false;
    for (const auto& t : data.vehicle_types())
        need_dur |= t.cost_per_duration != 0 || t.max_duration < kUnlimited;
    const bool time = data.has_time_windows();
    for (const auto& r : routes) {
        if (r.visits.empty()) continue;
        const auto& t = data.vehicle_type(r.vehicle_type);
        if (has_reload_visit(data, r.visits)) {  // multi-trip: capacity per trip
            add_trips(data, r, e, load);
            continue;
        }
        std::fill(load.begin(), load.end(), 0);
        Distance dist = 0;
        Duration dur = 0;
        const auto k = static_cast<std::size_t>(r.vehicle_type);
        std::size_t prev = data.start_node(k);
        for (auto c : r.visits) {
            dist += data.dist(prev, c);
            if (need_dur) dur += data.duration(prev, c) + data.service(c);
            for (std::size_t d = 0; d < dims; ++d) load[d] += data.demand(c, d);
            prev = static_cast<std::size_t>(c);
        }
        dist += data.dist(prev, data.end_node(k));
        if (need_dur) dur += data.duration(prev, data.end_node(k));
        if (time) {
            TimeSeg s = data.start_seg(k);
            std::size_t from = data.start_node(k);
            for (auto c : r.visits) {
                s = TimeSeg::merge(s, data.duration(from, c), data.visit_seg(c));
                from = static_cast<std::size_t>(c);
            }
            s = TimeSeg::merge(s, data.duration(from, data.end_node(k)), data.end_seg(k));
            if (t.has_break()) s = route_break_plan(data, k, r.visits.data(), r.visits.size()).seg;
            dur = s.dur;
            if (s.total_warp() > 0)
                e.excess_warp += static_cast<double>(s.total_warp()), e.warp_ok = false;
        }
        e.cost += t.route_cost(static_cast<double>(dist), static_cast<double>(dur));
        if (data.has_pickups()) visits_peak(data, r.visits, load.data());
        for (std::size_t d = 0; d < dims; ++d)
            if (load[d] > t.capacity[d])
                e.excess_load[d] += static_cast<double>(load[d] - t.capacity[d]), e.load_ok[d] = 0;
        if (dur > t.max_duration)
            e.excess_dur += static_cast<double>(dur - t.max_duration), e.dur_ok = false;
        if (dist > t.max_distance)
            e.excess_dist += static_cast<double>(dist - t.max_distance), e.dist_ok = false;
        if (ev.active() && ev.cls(r.vehicle_type) >= 0) {
            double total, peak;
            ev.visits_energy(ev.cls(r.vehicle_type), r.visits, total, peak);
            if (peak > ev.limit(r.vehicle_type))
                e.excess_energy += peak - ev.limit(r.vehicle_type), e.energy_ok = false;
        }
    }
    e.feasible = e.dur_ok && e.dist_ok && e.energy_ok && e.warp_ok && e.reload_ok &&
                 std::all_of(e.load_ok.begin(), e.load_ok.end(), [](char c) { return c != 0; });
    return e;
}

double penalised(const RouteSetEval& e, const Penalties& p) {
    double c = e.cost + p.duration * e.excess_dur + p.distance * e.excess_dist +
               p.energy * e.excess_energy + p.time_warp * e.excess_warp;
    for (std::size_t d = 0; d < e.excess_load.size(); ++d) c += p.load[d] * e.excess_load[d];
    return c;
}

}  // namespace lastmile
