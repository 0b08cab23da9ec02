#include "core/solution.h"

#include <algorithm>
#include <sstream>

#include "core/errors.h"
#include "energy/ev_routing.h"

namespace lastmile {
namespace {

// --- time windows ---
/// Time fields of a non-empty route, and a violation message naming the first late client (or
/// the depot, or the release) when the route has time warp.
void time_window_route(const ProblemData& data, std::size_t r, Route& route,
                       std::vector<std::string>& out) {
    const auto k = static_cast<std::size_t>(route.vehicle_type);
    const TimeSeg depot = data.depot_seg(k);
    TimeSeg s = depot;
    std::size_t prev = 0;
    for (auto c : route.visits) {
        s = TimeSeg::merge(s, data.duration(prev, c), data.visit_seg(c));
        prev = static_cast<std::size_t>(c);
    }
    s = TimeSeg::merge(s, data.duration(prev, 0), depot);
    const Duration driving = route.duration - route.service;
    route.duration = s.dur;
    route.time_warp = s.total_warp();
    route.start_time = s.start_time();
    route.end_time = route.start_time + s.dur - s.warp;
    route.waiting = s.dur - driving - route.service;
    if (route.time_warp == 0) return;
    std::ostringstream os;
    os << "route " << r << ": time window: ";
    if (s.release > s.late) {
        for (auto c : route.visits)
            if (data.release(c) == s.release) {
                os << "client " << c << " is released at " << s.release
                   << " after the latest departure " << s.late;
                break;
            }
        out.push_back(os.str());
        return;
    }
    Duration t = route.start_time;
    prev = 0;
    for (auto c : route.visits) {
        t += data.duration(prev, c);
        if (t > data.tw_late(c)) {
            os << "client " << c << " is reached at " << t << " after its window closes at "
               << data.tw_late(c) << " (time warp " << route.time_warp << ")";
            out.push_back(os.str());
            return;
        }
        t = std::max(t, data.tw_early(c)) + data.service(c);
        prev = static_cast<std::size_t>(c);
    }
    os << "the route returns to the depot at " << t + data.duration(prev, 0)
       << " after it closes / the shift ends at " << depot.late << " (time warp " << route.time_warp
       << ")";
    out.push_back(os.str());
}
// --- end time windows ---

}  // namespace

Solution::Solution(const ProblemData& data, std::vector<Route> routes)
    : routes_(std::move(routes)) {
    const std::size_t n = data.num_nodes(), dims = data.num_dims();
    std::vector<int> seen(n, 0);
    std::vector<std::int64_t> used(data.num_vehicle_types(), 0);
    const EvRouting ev(data);
    for (std::size_t r = 0; r < routes_.size(); ++r) {
        auto& route = routes_[r];
        if (route.vehicle_type < 0 ||
            static_cast<std::size_t>(route.vehicle_type) >= data.num_vehicle_types()) {
            std::ostringstream os;
            os << "routes[" << r << "].vehicle_type: " << route.vehicle_type << " is not in [0, "
               << data.num_vehicle_types() << ")";
            throw IndexError(os.str());
        }
        for (auto c : route.visits)
            if (c < 1 || static_cast<std::size_t>(c) >= n) {
                std::ostringstream os;
                os << "routes[" << r << "]: client " << c << " is not in [1, " << n - 1 << "]";
                throw IndexError(os.str());
            }
    }
    for (std::size_t r = 0; r < routes_.size(); ++r) {
        auto& route = routes_[r];
        const auto& vt = data.vehicle_type(route.vehicle_type);
        route.load.assign(dims, 0);
        route.distance = 0;
        route.duration = 0;
        route.service = 0;
        std::size_t prev = 0;
        for (auto c : route.visits) {
            route.distance += data.dist(prev, c);
            route.duration += data.duration(prev, c) + data.service(c);
            route.service += data.service(c);
            for (std::size_t d = 0; d < dims; ++d) route.load[d] += data.demand(c, d);
            ++seen[c];
            prev = c;
        }
        if (!route.visits.empty()) {
            route.distance += data.dist(prev, 0);
            route.duration += data.duration(prev, 0);
        }
        if (data.has_time_windows() && !route.visits.empty())
            time_window_route(data, r, route, violations_);
        route.cost = route.visits.empty() ? 0.0
                                          : vt.route_cost(static_cast<double>(route.distance),
                                                          static_cast<double>(route.duration));
        if (!route.visits.empty()) ++used[route.vehicle_type];
        cost_ += route.cost;
        distance_ += route.distance;
        duration_ += route.duration;
        for (std::size_t d = 0; d < dims; ++d)
            if (route.load[d] > vt.capacity[d]) {
                std::ostringstream os;
                os << "route " << r << ": load " << route.load[d] << " exceeds capacity "
                   << vt.capacity[d] << " in dimension " << d;
                violations_.push_back(os.str());
            }
        if (route.duration > vt.max_duration) {
            std::ostringstream os;
            os << "route " << r << ": duration " << route.duration << " exceeds max_duration "
               << vt.max_duration;
            violations_.push_back(os.str());
        }
        if (route.distance > vt.max_distance) {
            std::ostringstream os;
            os << "route " << r << ": distance " << route.distance << " exceeds max_distance "
               << vt.max_distance;
            violations_.push_back(os.str());
        }
        route.energy_kwh = route.min_charge_kwh = 0.0;
        if (const int c = ev.cls(route.vehicle_type); c >= 0 && !route.visits.empty()) {
            double total, peak;
            ev.visits_energy(c, route.visits, total, peak);
            route.energy_kwh = total;
            route.min_charge_kwh = vt.energy.battery_kwh - peak;
            if (peak > vt.energy.battery_kwh - vt.energy.reserve_kwh) {
                std::ostringstream os;
                os << "route " << r << ": energy " << peak << " kWh exceeds battery - reserve "
                   << vt.energy.battery_kwh - vt.energy.reserve_kwh << " kWh (battery "
                   << vt.energy.battery_kwh << ", reserve " << vt.energy.reserve_kwh << ")";
                violations_.push_back(os.str());
            }
        }
    }
    for (std::size_t k = 0; k < used.size(); ++k)
        if (used[k] > data.vehicle_type(k).num_available) {
            std::ostringstream os;
            os << "vehicle type " << k << ": " << used[k] << " routes but only "
               << data.vehicle_type(k).num_available << " vehicles";
            violations_.push_back(os.str());
        }
    for (std::size_t c = 1; c < n; ++c) {
        if (seen[c] == 0) {
            violations_.push_back("client " + std::to_string(c) + " is not visited");
        } else if (seen[c] > 1) {
            violations_.push_back("client " + std::to_string(c) + " is visited " +
                                  std::to_string(seen[c]) + " times");
        }
    }
}

}  // namespace lastmile
