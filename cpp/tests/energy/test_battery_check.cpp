// Unit tests of the battery part of a Solution (energy/battery_check.h) and of the shared arc
// table (build_ev_arc_cache): the numbers are those of the exact walk, bit for bit.
#include <doctest/doctest.h>

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "core/solution.h"
#include "core/violation.h"
#include "energy/battery_check.h"
#include "energy/ev_routing.h"
#include "ev_fixture.h"

using namespace lastmile;
using lastmile::test::ev_instance;

namespace {
Route route(std::vector<std::int32_t> visits) {
    Route r;
    r.visits = std::move(visits);
    return r;
}
}  // namespace

TEST_CASE("evaluate_solution_fills_the_route_energy_from_the_exact_walk") {
    const ProblemData data = ev_instance(10, 4);
    const std::vector<std::int32_t> a = {1, 2, 3, 4, 5}, b = {6, 7, 8, 9, 10};
    const Solution s = evaluate_solution(data, {route(a), route(b), route({})});
    const EvRouting ev(data);
    const double battery = data.vehicle_type(0).energy.battery_kwh;
    for (std::size_t r = 0; r < 2; ++r) {
        double total, peak;
        ev.visits_energy(0, s.routes()[r].visits, total, peak);
        CHECK(s.routes()[r].energy_kwh == total);
        CHECK(s.routes()[r].min_charge_kwh == battery - peak);
        CHECK(total > 0);
    }
    CHECK(s.routes()[2].energy_kwh == 0.0);  // empty route: no energy
    CHECK(s.feasible());
}

TEST_CASE("a_route_over_battery_minus_reserve_is_an_energy_violation_with_its_numbers") {
    // 60 clients on one route: far more than a small van's battery at -7 C over hills.
    const ProblemData data = ev_instance(60, 11);
    std::vector<std::int32_t> all;
    for (std::int32_t c = 1; c <= 60; ++c) all.push_back(c);
    const Solution s = evaluate_solution(data, {route(all)});
    const auto& e = data.vehicle_type(0).energy;
    const double usable = e.battery_kwh - e.reserve_kwh;
    REQUIRE(!s.details().empty());
    const Violation* v = nullptr;
    for (const auto& d : s.details())
        if (d.kind == ViolationKind::energy) v = &d;
    REQUIRE(v != nullptr);
    CHECK((v->route == 0 && v->vehicle_type == 0));
    CHECK(v->limit == usable);
    CHECK(v->value == e.battery_kwh - s.routes()[0].min_charge_kwh);  // the peak energy
    CHECK(v->value > usable);
    CHECK(v->message.find("exceeds battery - reserve") != std::string::npos);
}

TEST_CASE("the_shared_arc_table_holds_the_closed_form_bit_for_bit") {
    const ProblemData data = ev_instance(15, 2);
    const auto cache = build_ev_arc_cache(data);
    REQUIRE(cache != nullptr);
    const EvRouting closed(data), cached(data, cache);
    CHECK(cached.arc_cache() == cache);
    CHECK(closed.arc_cache() == nullptr);
    for (std::size_t i = 0; i < data.num_nodes(); ++i)
        for (std::size_t j = 0; j < data.num_nodes(); ++j) {
            double a0, b0, a1, b1;
            closed.coef(0, i, j, a0, b0);
            cached.coef(0, i, j, a1, b1);
            CHECK((a0 == a1 && b0 == b1));
        }
    // A table of another instance is refused.
    const ProblemData other = ev_instance(9, 2);
    CHECK_THROWS_AS(EvRouting(other, cache), std::logic_error);
}
