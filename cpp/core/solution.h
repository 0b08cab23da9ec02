// Immutable solution: routes with their vehicle type and precomputed statistics.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/problem.h"
#include "core/violation.h"

namespace lastmile {

/// One route: the clients visited in order (depot implicit at both ends) and its vehicle type.
struct Route {
    std::vector<std::int32_t> visits;  // client indices in 1..num_clients; with reloads
                                       // (ProblemData::has_reloads) also depot nodes: reloads
    std::int32_t vehicle_type = 0;     // index into ProblemData::vehicle_types()
    // Statistics filled in by Solution:
    Distance distance = 0;   // depot -> visits -> depot (internal units)
    Duration duration = 0;   // driving + service (internal units)
    Duration service = 0;    // service part of duration
    std::vector<Load> load;  // total demand per dimension (over all trips)
    Cost cost = 0.0;         // fixed + per-distance + per-duration
    // Battery (vehicle types with an energy model only, filled by the RouteCheck of the energy
    // layer; 0 otherwise):
    double energy_kwh = 0.0;      // chemical energy drawn over the route (kWh)
    double min_charge_kwh = 0.0;  // lowest charge along the route: battery - peak energy (kWh)
    // Time windows (instances with windows, releases or shifts; 0 otherwise). duration is then
    // end - start including waiting, with the departure as late as possible without extra wait.
    Duration start_time = 0;  // departure from the depot (clock time)
    Duration end_time = 0;    // return to the depot
    Duration waiting = 0;     // total waiting before windows open
    Duration time_warp = 0;   // total lateness (0 when every window and release holds)
    // Driver break (types with a break, non-empty routes; core/route_break.h): the node position
    // it follows (0 = at the start depot before leaving, p = after visits[p - 1],
    // visits.size() + 1 = at the end depot on arrival; -1 = no break) and its start (clock time).
    // duration includes it; waiting does not.
    std::int32_t break_after = -1;
    Duration break_start = 0;
};

/// A per-route constraint evaluated by a layer above the core (the battery check of cpp/energy,
/// energy/battery_check.h). It may fill the route's statistics of its own (energy_kwh, ...) and
/// appends its violations; Solution calls it after the core checks of each route.
class RouteCheck {
  public:
    virtual ~RouteCheck() = default;
    virtual void check(std::size_t index, Route& route, std::vector<Violation>& out) const = 0;
};

/// A set of routes evaluated against a ProblemData. Construction is O(total visits).
class Solution {
  public:
    /// Throws IndexError for out-of-range clients or vehicle types. Duplicate or missing
    /// clients are not errors here: they are reported by violations(). `extra` evaluates the
    /// constraints the core does not know (may be null); a ProblemData with a battery constraint
    /// needs it (std::logic_error otherwise): build those with evaluate_solution
    /// (energy/battery_check.h).
    Solution(const ProblemData& data, std::vector<Route> routes, const RouteCheck* extra = nullptr);

    const std::vector<Route>& routes() const { return routes_; }
    std::size_t num_routes() const { return routes_.size(); }
    Cost cost() const { return cost_; }
    Distance distance() const { return distance_; }
    Duration duration() const { return duration_; }
    bool feasible() const { return violations_.empty(); }
    /// Human-readable constraint violations (empty when feasible; internal units).
    const std::vector<std::string>& violations() const { return violations_; }
    /// The same violations as data, in the same order.
    const std::vector<Violation>& details() const { return details_; }

  private:
    std::vector<Route> routes_;
    Cost cost_ = 0.0;
    Distance distance_ = 0;
    Duration duration_ = 0;
    std::vector<std::string> violations_;
    std::vector<Violation> details_;
};

}  // namespace lastmile
