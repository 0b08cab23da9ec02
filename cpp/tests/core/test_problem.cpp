// Unit tests of the problem model and the C++ solution evaluation.
#include <doctest/doctest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "core/errors.h"
#include "core/problem.h"
#include "core/solution.h"

using namespace lastmile;

namespace {
ProblemData small(DistanceKind kind = DistanceKind::euclidean_rounded,
                  std::size_t dense_limit = 4000, std::vector<Load> demand = {0, 3, 4, 5},
                  Load cap = 10) {
    VehicleType vt;
    vt.capacity = {cap};
    return ProblemData({0, 3, 6, 0}, {0, 4, 8, 1.4}, std::move(demand), 1, {0, 1, 1, 1}, {vt}, kind,
                       1.0, 1.0, {}, {}, {}, {}, 1.0, dense_limit);
}
}  // namespace

TEST_CASE("rounded_euclidean_distances_are_tsplib_nint") {
    auto d = small();
    CHECK(d.dist(0, 1) == 5);
    CHECK(d.dist(1, 2) == 5);
    CHECK(d.dist(0, 3) == 1);  // 1.4 rounds to 1
    CHECK(d.dist(2, 2) == 0);
}

TEST_CASE("dense_and_on_the_fly_distances_agree") {
    auto dense = small(DistanceKind::euclidean_rounded, 4000);
    auto lazy = small(DistanceKind::euclidean_rounded, 0);
    CHECK(dense.dense());
    CHECK(!lazy.dense());
    for (std::size_t i = 0; i < 4; ++i)
        for (std::size_t j = 0; j < 4; ++j) CHECK(dense.dist(i, j) == lazy.dist(i, j));
}

TEST_CASE("haversine_one_degree_of_latitude_is_about_111_km") {
    VehicleType vt;
    vt.capacity = {10};
    ProblemData d({4.0, 4.0}, {50.0, 51.0}, {0, 1}, 1, {0, 0}, {vt}, DistanceKind::haversine,
                  1000.0, 1.0, {}, {}, {}, {}, 1.0, 10);
    CHECK(std::abs(d.dist(0, 1) - 111195) <= 2);  // metres
}

TEST_CASE("solution_evaluates_distance_duration_load_and_cost") {
    auto d = small();
    Route r;
    r.visits = {1, 2};
    Solution s(d, {r});
    CHECK(s.distance() == 5 + 5 + 10);
    CHECK(s.routes()[0].duration == 20 + 2);
    CHECK(s.routes()[0].load[0] == 7);
    CHECK(!s.feasible());  // client 3 is missing
}

TEST_CASE("solution_reports_capacity_violation") {
    auto d = small();
    Route r;
    r.visits = {1, 2, 3};
    Solution s(d, {r});
    CHECK(s.violations().size() == 1);
}

TEST_CASE("solution_rejects_out_of_range_client") {
    auto d = small();
    Route r;
    r.visits = {1, 9};
    CHECK_THROWS_AS(Solution(d, {r}), IndexError);
}

TEST_CASE("problem_rejects_negative_demand_and_oversized_client") {
    CHECK_THROWS_AS(small(DistanceKind::euclidean_rounded, 4000, {0, -1, 4, 5}), InputError);
    CHECK_THROWS_AS(small(DistanceKind::euclidean_rounded, 4000, {0, 11, 4, 5}), InputError);
}

namespace {
/// A stand-in for the energy layer's model: the core stores it and never looks inside.
struct OpaqueModel final : VehicleEnergyModel {};

std::string energy_error(const VehicleEnergy& e, std::size_t dims) {
    try {
        check_vehicle_energy(e, "vehicle_types[1].", dims);
    } catch (const InputError& err) {
        return err.what();
    }
    return "";
}
}  // namespace

TEST_CASE("check_vehicle_energy_checks_the_plain_energy_data_against_the_instance") {
    VehicleEnergy e;
    CHECK(energy_error(e, 1).empty());  // a conventional vehicle
    e.model = std::make_shared<const OpaqueModel>();
    e.battery_kwh = 30.0;
    e.reserve_kwh = 3.0;
    e.payload_dim = 1;
    CHECK(energy_error(e, 2).empty());
    CHECK(energy_error(e, 1).rfind("vehicle_types[1].payload_dim: dimension 1 is outside [0, 1)",
                                   0) == 0);
    VehicleEnergy no_battery = e;
    no_battery.battery_kwh = 0.0;
    CHECK(energy_error(no_battery, 2).rfind("vehicle_types[1].battery_kwh", 0) == 0);
    VehicleEnergy reserve = e;
    reserve.reserve_kwh = 30.0;
    CHECK(energy_error(reserve, 2).rfind("vehicle_types[1].reserve_kwh", 0) == 0);
    VehicleEnergy nan = e;
    nan.reserve_kwh = std::nan("");
    CHECK(energy_error(nan, 2).rfind("vehicle_types[1].reserve_kwh", 0) == 0);
    VehicleEnergy no_model;
    no_model.battery_kwh = 10.0;
    CHECK(energy_error(no_model, 1).rfind("vehicle_types[1].energy_vehicle", 0) == 0);
}

TEST_CASE("problem_data_checks_the_energy_data_of_every_vehicle_type") {
    VehicleType plain, ev;
    plain.capacity = ev.capacity = {10};
    ev.energy.model = std::make_shared<const OpaqueModel>();
    ev.energy.battery_kwh = 20.0;
    ev.energy.payload_dim = 3;  // the instance has one demand dimension
    try {
        ProblemData({0, 1}, {0, 1}, {0, 1}, 1, {0, 0}, {plain, ev}, DistanceKind::euclidean, 1.0,
                    1.0, {}, {}, {}, {}, 1.0, 10);
        FAIL("expected an InputError");
    } catch (const InputError& err) {
        CHECK(std::string(err.what()).rfind("vehicle_types[1].payload_dim", 0) == 0);
    }
    ev.energy.payload_dim = 0;
    const ProblemData d({0, 1}, {0, 1}, {0, 1}, 1, {0, 0}, {plain, ev}, DistanceKind::euclidean,
                        1.0, 1.0, {}, {}, {}, {}, 1.0, 10);
    CHECK(d.has_battery_constraint());
    CHECK(!small().has_battery_constraint());
}

TEST_CASE("duration_rounding_matches_llround") {
    // duration() rounds dist * duration_per_distance with an inline round_half_away; it must give
    // std::llround's result everywhere, halves (away from zero) and values just below them
    // included.
    std::vector<double> xs = {0.0, 0.5, 1.5, 2.5, -0.5, -1.5, 1e15 + 0.5, 0x1p62, -0x1p62, 3e18};
    for (double base : {0.5, 1.5, 2.5, 1234567.5, 4503599627370495.5}) {
        xs.push_back(std::nextafter(base, 0.0));
        xs.push_back(std::nextafter(base, 1e300));
        xs.push_back(-std::nextafter(base, 0.0));
    }
    std::uint64_t state = 88172645463325252ull;
    for (int k = 0; k < 100000; ++k) {
        state ^= state << 13, state ^= state >> 7, state ^= state << 17;
        const double u = static_cast<double>(state >> 11) * 0x1p-53;
        xs.push_back((u - 0.25) * std::pow(10.0, k % 16));
    }
    for (double x : xs) CHECK(ProblemData::round_half_away(x) == std::llround(x));
}
