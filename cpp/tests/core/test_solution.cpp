// Unit tests of the structured violations of a Solution and its RouteCheck hook.
#include <doctest/doctest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/errors.h"
#include "core/problem.h"
#include "core/solution.h"
#include "core/violation.h"

using namespace lastmile;

namespace {
// Depot (0, 0), clients at (3, 4), (6, 8), (0, 1); demand 3, 4, 5; service 1 each.
ProblemData line(VehicleType vt) {
    return ProblemData({0, 3, 6, 0}, {0, 4, 8, 1}, {0, 3, 4, 5}, 1, {0, 1, 1, 1}, {vt},
                       DistanceKind::euclidean_rounded, 1.0, 1.0, {}, {}, {}, {}, 1.0, 4000);
}

Route route(std::vector<std::int32_t> visits) {
    Route r;
    r.visits = std::move(visits);
    return r;
}

struct OpaqueModel final : VehicleEnergyModel {};

/// Records its calls and reports every route with 2+ clients as an energy violation.
struct CountingCheck final : RouteCheck {
    mutable std::vector<std::size_t> seen;
    void check(std::size_t index, Route& r, std::vector<Violation>& out) const override {
        seen.push_back(index);
        r.energy_kwh = static_cast<double>(r.visits.size());
        if (r.visits.size() >= 2) {
            Violation v;
            v.kind = ViolationKind::energy;
            v.route = static_cast<std::int64_t>(index);
            v.value = 2.0;
            v.limit = 1.0;
            v.message = "route " + std::to_string(index) + ": too much";
            out.push_back(v);
        }
    }
};
}  // namespace

TEST_CASE("solution_details_carry_kind_route_value_and_limit_in_internal_units") {
    VehicleType vt;
    vt.capacity = {10};
    vt.max_distance = 15;
    vt.max_duration = 20;
    vt.num_available = 1;
    const ProblemData d = line(vt);
    // Route 0: 0 -> 1 -> 2 -> 3 -> 0: load 12, distance 5 + 5 + 9 + 1 = 20, duration 20 + 3.
    // Route 1 visits client 1 again (2 routes, 1 vehicle).
    const Solution s(d, {route({1, 2, 3}), route({1})});
    REQUIRE(s.details().size() == s.violations().size());
    for (std::size_t k = 0; k < s.details().size(); ++k)
        CHECK(s.details()[k].message == s.violations()[k]);
    const auto& v = s.details();
    REQUIRE(v.size() == 5);
    CHECK(v[0].kind == ViolationKind::capacity);
    CHECK((v[0].route == 0 && v[0].dimension == 0 && v[0].vehicle_type == 0));
    CHECK((v[0].value == 12 && v[0].limit == 10));
    CHECK(v[1].kind == ViolationKind::duration);
    CHECK((v[1].value == 23 && v[1].limit == 20));
    CHECK(v[2].kind == ViolationKind::distance);
    CHECK((v[2].value == 20 && v[2].limit == 15));
    CHECK(v[2].message == "route 0: distance 20 exceeds max_distance 15");
    CHECK(v[3].kind == ViolationKind::fleet);
    CHECK((v[3].route == -1 && v[3].vehicle_type == 0 && v[3].value == 2 && v[3].limit == 1));
    CHECK(v[4].kind == ViolationKind::duplicate);
    CHECK((v[4].client == 1 && v[4].value == 2));
    CHECK(std::string(violation_kind_name(v[4].kind)) == "duplicate");
    const Solution missing(d, {route({1, 3})});
    REQUIRE(missing.details().size() == 1);
    CHECK(missing.details()[0].kind == ViolationKind::missing);
    CHECK(missing.details()[0].client == 2);
    CHECK(missing.details()[0].message == "client 2 is not visited");
}

TEST_CASE("solution_calls_the_route_check_after_the_core_checks_of_each_route") {
    VehicleType vt;
    vt.capacity = {10};
    const ProblemData d = line(vt);
    const CountingCheck extra;
    const Solution s(d, {route({1, 2}), route({3})}, &extra);
    CHECK(extra.seen == std::vector<std::size_t>{0, 1});
    CHECK(s.routes()[0].energy_kwh == 2.0);
    CHECK(s.routes()[1].energy_kwh == 1.0);
    REQUIRE(s.details().size() == 1);
    CHECK(s.details()[0].kind == ViolationKind::energy);
    CHECK(!s.feasible());
    CHECK(s.violations() == std::vector<std::string>{"route 0: too much"});
}

TEST_CASE("a_battery_constraint_cannot_be_evaluated_without_its_check") {
    VehicleType vt;
    vt.capacity = {10};
    vt.energy.model = std::make_shared<const OpaqueModel>();
    vt.energy.battery_kwh = 10.0;
    const ProblemData d = line(vt);
    CHECK_THROWS_AS(Solution(d, {route({1, 2, 3})}), std::logic_error);
    const CountingCheck extra;
    CHECK_NOTHROW(Solution(d, {route({1, 2, 3})}, &extra));
}
