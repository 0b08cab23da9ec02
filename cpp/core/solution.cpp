#include "core/solution.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include "core/errors.h"
#include "core/route_load.h"
#include "core/route_reload.h"
#include "core/solution_break.h"

namespace lastmile {
namespace {

// --- time windows ---
/// The time violation at the reload visit route.visits[p] reached at time t, if any: arriving
/// after the depot closes (`time_window`, client -1) or a trip released after it closes
/// (`release`, naming the trip's client with that release). Appends it and returns true.
bool reload_time_violation(const ProblemData& data, std::size_t r, const Route& route,
                           std::size_t p, Duration t, const std::vector<Duration>& rel,
                           std::vector<Violation>& out) {
    const auto c = static_cast<std::size_t>(route.visits[p]);
    const Duration rt = data.vehicle_type(static_cast<std::size_t>(route.vehicle_type)).reload_time;
    Violation v;
    v.route = static_cast<std::int64_t>(r);
    v.vehicle_type = route.vehicle_type;
    std::ostringstream os;
    os << "route " << r << ": time window: ";
    if (t > data.tw_late(c)) {
        v.kind = ViolationKind::time_window;
        v.value = static_cast<double>(t);
        v.limit = static_cast<double>(data.tw_late(c));
        os << "reload at depot " << data.depot_of_node(c) << " reached at " << t
           << " after it closes at " << data.tw_late(c);
    } else if (rel[p] - rt > data.tw_late(c)) {
        v.kind = ViolationKind::release;
        for (std::size_t q = p + 1; q < route.visits.size(); ++q)
            if (data.release(static_cast<std::size_t>(route.visits[q])) == rel[p]) {
                v.client = route.visits[q];
                break;
            }
        v.value = static_cast<double>(rel[p]);
        v.limit = static_cast<double>(data.tw_late(c) + rt);
        os << "client " << v.client << " is released at " << rel[p]
           << " after the latest departure " << data.tw_late(c) + rt << " from the reload at depot "
           << data.depot_of_node(c);
    } else {
        return false;
    }
    v.message = os.str();
    out.push_back(std::move(v));
    return true;
}

/// Time fields of a non-empty route, and a violation naming the first late client (or the
/// depot / shift end, or the release) when the route has time warp.
void time_window_route(const ProblemData& data, std::size_t r, Route& route,
                       std::vector<Violation>& out) {
    const auto k = static_cast<std::size_t>(route.vehicle_type);
    const TimeSeg depot = data.end_seg(k);
    const std::size_t home = data.end_node(k);
    TimeSeg s = data.start_seg(k);
    std::size_t prev = data.start_node(k);
    // Reload visits: the releases of a later trip bound its reload's start, not the departure.
    const bool trips = has_reload_visit(data, route.visits);
    const std::vector<Duration> rel =
        trips ? trip_releases(data, route.visits) : std::vector<Duration>{};
    bool first_trip = true;
    const bool brk = data.vehicle_type(k).has_break();
    std::vector<TimeSeg> segs;  // driver breaks: node segments and travel times
    std::vector<Duration> travel;
    if (brk) segs.push_back(s);
    for (std::size_t p = 0; p < route.visits.size(); ++p) {
        const auto c = static_cast<std::size_t>(route.visits[p]);
        TimeSeg v;
        if (!trips) {
            v = data.visit_seg(c);
        } else if (data.is_depot(c)) {
            v = data.reload_seg(k, c, rel[p]);
            first_trip = false;
        } else {
            v = TimeSeg::visit(data.service(c), data.tw_early(c), data.tw_late(c),
                               first_trip ? data.release(c) : 0);
        }
        if (brk) segs.push_back(v), travel.push_back(data.duration(prev, c));
        s = TimeSeg::merge(s, data.duration(prev, c), v);
        prev = c;
    }
    if (brk) {
        segs.push_back(depot), travel.push_back(data.duration(prev, home));
        break_route(data, r, route, segs, travel, out);
        return;
    }
    s = TimeSeg::merge(s, data.duration(prev, home), depot);
    const Duration driving = route.duration - route.service;
    route.duration = s.dur;
    route.time_warp = s.total_warp();
    route.start_time = s.start_time();
    route.end_time = route.start_time + s.dur - s.warp;
    route.waiting = s.dur - driving - route.service;
    if (route.time_warp == 0) return;
    Violation v;
    v.route = static_cast<std::int64_t>(r);
    v.vehicle_type = route.vehicle_type;
    std::ostringstream os;
    os << "route " << r << ": time window: ";
    if (s.release > s.late) {
        v.kind = ViolationKind::release;
        for (auto c : route.visits) {
            if (data.is_depot(static_cast<std::size_t>(c))) break;  // first trip only
            if (data.release(c) == s.release) {
                v.client = c;
                os << "client " << c << " is released at " << s.release
                   << " after the latest departure " << s.late;
                break;
            }
        }
        v.value = static_cast<double>(s.release);
        v.limit = static_cast<double>(s.late);
        v.message = os.str();
        out.push_back(std::move(v));
        return;
    }
    Duration t = route.start_time + data.start_seg(k).dur;  // after the depot's loading time
    prev = data.start_node(k);
    for (std::size_t p = 0; p < route.visits.size(); ++p) {
        const auto c = route.visits[p];
        t += data.duration(prev, c);
        if (trips && data.is_depot(static_cast<std::size_t>(c))) {
            if (reload_time_violation(data, r, route, p, t, rel, out)) return;
            const Duration rt = data.vehicle_type(k).reload_time;
            t = std::max({t, data.tw_early(c), rel[p] - rt}) + rt +
                data.depot_loading(data.depot_of_node(static_cast<std::size_t>(c)));
            prev = static_cast<std::size_t>(c);
            continue;
        }
        if (t > data.tw_late(c)) {
            v.kind = ViolationKind::time_window;
            v.client = c;
            v.value = static_cast<double>(t);
            v.limit = static_cast<double>(data.tw_late(c));
            os << "client " << c << " is reached at " << t << " after its window closes at "
               << data.tw_late(c) << " (time warp " << route.time_warp << ")";
            v.message = os.str();
            out.push_back(std::move(v));
            return;
        }
        t = std::max(t, data.tw_early(c)) + data.service(c);
        prev = static_cast<std::size_t>(c);
    }
    v.kind = ViolationKind::shift_end;
    v.value = static_cast<double>(t + data.duration(prev, home));
    v.limit = static_cast<double>(depot.late);
    os << "the route returns to the depot at " << t + data.duration(prev, home)
       << " after it closes / the shift ends at " << depot.late << " (time warp " << route.time_warp
       << ")";
    v.message = os.str();
    out.push_back(std::move(v));
}
// --- end time windows ---

}  // namespace

Violation route_violation(ViolationKind kind, std::size_t r, std::int32_t type, double value,
                          double limit, std::string message) {
    Violation v;
    v.kind = kind;
    v.route = static_cast<std::int64_t>(r);
    v.vehicle_type = type;
    v.value = value;
    v.limit = limit;
    v.message = std::move(message);
    return v;
}

Solution::Solution(const ProblemData& data, std::vector<Route> routes, const RouteCheck* extra)
    : routes_(std::move(routes)) {
    if (!extra && data.has_battery_constraint())
        throw std::logic_error(
            "Solution: the ProblemData has a battery constraint; evaluate it with "
            "evaluate_solution (energy/battery_check.h)");
    const std::size_t n = data.num_clients() + 1, dims = data.num_dims();  // clients 1..n-1
    std::vector<int> seen(n, 0);
    std::vector<std::int64_t> used(data.num_vehicle_types(), 0);
    for (std::size_t r = 0; r < routes_.size(); ++r) {
        auto& route = routes_[r];
        if (route.vehicle_type < 0 ||
            static_cast<std::size_t>(route.vehicle_type) >= data.num_vehicle_types()) {
            std::ostringstream os;
            os << "routes[" << r << "].vehicle_type: " << route.vehicle_type << " is not in [0, "
               << data.num_vehicle_types() << ")";
            throw IndexError(os.str());
        }
        for (auto c : route.visits) {
            if (c >= 1 && static_cast<std::size_t>(c) < n) continue;
            // Reloads: depot nodes (0, n + 1..) may appear among the visits.
            if (data.has_reloads() && c >= 0 && static_cast<std::size_t>(c) < data.num_nodes())
                continue;
            std::ostringstream os;
            os << "routes[" << r << "]: client " << c << " is not in [1, " << n - 1 << "]";
            if (data.has_reloads())
                os << " (nor a depot node: 0 or " << n << ".." << data.num_nodes() - 1 << ")";
            throw IndexError(os.str());
        }
    }
    for (std::size_t r = 0; r < routes_.size(); ++r) {
        auto& route = routes_[r];
        const auto& vt = data.vehicle_type(route.vehicle_type);
        route.load.assign(dims, 0);
        route.break_after = -1;
        route.break_start = 0;
        route.distance = 0;
        route.duration = 0;
        route.service = 0;
        const auto k = static_cast<std::size_t>(route.vehicle_type);
        std::size_t prev = data.start_node(k);
        const bool trips = has_reload_visit(data, route.visits);
        for (auto c : route.visits) {
            route.distance += data.dist(prev, c);
            if (trips && data.is_depot(static_cast<std::size_t>(c))) {  // a reload
                const Duration svc =
                    vt.reload_time +
                    data.depot_loading(data.depot_of_node(static_cast<std::size_t>(c)));
                route.duration += data.duration(prev, c) + svc;
                route.service += svc;
                prev = c;
                continue;
            }
            route.duration += data.duration(prev, c) + data.service(c);
            route.service += data.service(c);
            for (std::size_t d = 0; d < dims; ++d) route.load[d] += data.demand(c, d);
            ++seen[c];
            prev = c;
        }
        if (!route.visits.empty()) {
            route.distance += data.dist(prev, data.end_node(k));
            const Duration load = data.depot_loading(vt.start_depot);  // before the first trip
            route.duration += data.duration(prev, data.end_node(k)) + load;
            route.service += load;
        }
        if (data.has_time_windows() && !route.visits.empty())
            time_window_route(data, r, route, details_);
        route.cost = route.visits.empty() ? 0.0
                                          : vt.route_cost(static_cast<double>(route.distance),
                                                          static_cast<double>(route.duration));
        if (!route.visits.empty()) ++used[route.vehicle_type];
        cost_ += route.cost;
        distance_ += route.distance;
        duration_ += route.duration;
        if (trips) reload_route(data, r, route, details_);  // capacity per trip
        for (std::size_t d = 0; d < dims && !trips; ++d)
            if (route.load[d] > vt.capacity[d]) {
                std::ostringstream os;
                os << "route " << r << ": load " << route.load[d] << " exceeds capacity "
                   << vt.capacity[d] << " in dimension " << d;
                details_.push_back(route_violation(ViolationKind::capacity, r, route.vehicle_type,
                                                   static_cast<double>(route.load[d]),
                                                   static_cast<double>(vt.capacity[d]), os.str()));
                details_.back().dimension = static_cast<std::int64_t>(d);
            }
        if (data.has_pickups() && !trips) pickup_load_route(data, r, route, details_);
        if (route.duration > vt.max_duration) {
            std::ostringstream os;
            os << "route " << r << ": duration " << route.duration << " exceeds max_duration "
               << vt.max_duration;
            details_.push_back(route_violation(ViolationKind::duration, r, route.vehicle_type,
                                               static_cast<double>(route.duration),
                                               static_cast<double>(vt.max_duration), os.str()));
        }
        if (route.distance > vt.max_distance) {
            std::ostringstream os;
            os << "route " << r << ": distance " << route.distance << " exceeds max_distance "
               << vt.max_distance;
            details_.push_back(route_violation(ViolationKind::distance, r, route.vehicle_type,
                                               static_cast<double>(route.distance),
                                               static_cast<double>(vt.max_distance), os.str()));
        }
        route.energy_kwh = route.min_charge_kwh = 0.0;
        if (extra) extra->check(r, route, details_);
    }
    for (std::size_t k = 0; k < used.size(); ++k)
        if (used[k] > data.vehicle_type(k).num_available) {
            std::ostringstream os;
            os << "vehicle type " << k << ": " << used[k] << " routes but only "
               << data.vehicle_type(k).num_available << " vehicles";
            Violation v;
            v.kind = ViolationKind::fleet;
            v.vehicle_type = static_cast<std::int64_t>(k);
            v.value = static_cast<double>(used[k]);
            v.limit = static_cast<double>(data.vehicle_type(k).num_available);
            v.message = os.str();
            details_.push_back(std::move(v));
        }
    for (std::size_t c = 1; c < n; ++c) {
        if (seen[c] == 0 || seen[c] > 1) {
            Violation v;
            v.kind = seen[c] == 0 ? ViolationKind::missing : ViolationKind::duplicate;
            v.client = static_cast<std::int64_t>(c);
            v.value = seen[c];
            v.limit = 1;
            v.message = seen[c] == 0 ? "client " + std::to_string(c) + " is not visited"
                                     : "client " + std::to_string(c) + " is visited " +
                                           std::to_string(seen[c]) + " times";
            details_.push_back(std::move(v));
        }
    }
    violations_.reserve(details_.size());
    for (const auto& v : details_) violations_.push_back(v.message);
}

}  // namespace lastmile
