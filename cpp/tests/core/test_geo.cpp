// Unit tests of core/units.h and core/geo.h: derived constants and the haversine distance.
#include <doctest/doctest.h>

#include <cmath>

#include "core/geo.h"
#include "core/units.h"

using namespace lastmile;

TEST_CASE("units_derived_constants_follow_from_the_base_ones") {
    CHECK(units::kEarthRadiusM == 6371008.8);
    CHECK(units::kKmhPerMps == 3.6);
    CHECK(units::kJoulesPerKwh == 3.6e6);
    CHECK(units::kKmPerDegree == doctest::Approx(111.19508023).epsilon(1e-10));
}

TEST_CASE("haversine_one_degree_of_latitude_is_km_per_degree") {
    CHECK(geo::haversine_km(4.0, 50.0, 4.0, 51.0) ==
          doctest::Approx(units::kKmPerDegree).epsilon(1e-12));
    CHECK(geo::haversine_m(4.0, 50.0, 4.0, 51.0) ==
          doctest::Approx(units::kKmPerDegree * 1000.0).epsilon(1e-12));
    CHECK(geo::haversine_km(10.0, 20.0, 10.0, 20.0) == 0.0);
}

TEST_CASE("haversine_is_symmetric_and_bounded_by_half_the_circumference") {
    CHECK(geo::haversine_km(13.4, 52.5, -74.0, 40.7) ==
          doctest::Approx(geo::haversine_km(-74.0, 40.7, 13.4, 52.5)).epsilon(1e-15));
    // Antipodes: half the circumference (the clamp keeps asin's argument <= 1).
    CHECK(geo::haversine_km(0.0, 0.0, 180.0, 0.0) ==
          doctest::Approx(units::kPi * units::kEarthRadiusKm).epsilon(1e-12));
    // A degree of longitude at 60 deg N is half a degree at the equator.
    CHECK(geo::haversine_km(0.0, 60.0, 0.001, 60.0) ==
          doctest::Approx(0.5 * geo::haversine_km(0.0, 0.0, 0.001, 0.0)).epsilon(1e-6));
}
