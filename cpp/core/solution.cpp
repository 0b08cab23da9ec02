#include "core/solution.h"

#include <sstream>
#include <stdexcept>

#include "core/errors.h"

namespace lastmile {
namespace {

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

}  // namespace

Solution::Solution(const ProblemData& data, std::vector<Route> routes, const RouteCheck* extra)
    : routes_(std::move(routes)) {
    if (!extra && data.has_battery_constraint())
        throw std::logic_error(
            "Solution: the ProblemData has a battery constraint; evaluate it with "
            "evaluate_solution (energy/battery_check.h)");
    const std::size_t n = data.num_nodes(), dims = data.num_dims();
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
                details_.push_back(route_violation(ViolationKind::capacity, r, route.vehicle_type,
                                                   static_cast<double>(route.load[d]),
                                                   static_cast<double>(vt.capacity[d]), os.str()));
                details_.back().dimension = static_cast<std::int64_t>(d);
            }
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
