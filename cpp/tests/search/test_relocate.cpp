// Operator relocate (relocation of one, two (or-opt) and three consecutive clients): predicted
// delta == independently recomputed change, on symmetric coordinates and on an asymmetric explicit
// matrix.
#include <doctest/doctest.h>

#include "ls_fixture.h"
#include "search/operators/relocate.h"

using namespace lastmile;

TEST_CASE("relocate: Relocate1 deltas match recomputed cost (coordinates and asymmetric matrix)") {
    const auto a = test::check_operator(kRelocate1);
    CHECK(a.coords > 0);
    CHECK(a.matrix > 0);
}

TEST_CASE("relocate: Relocate1 deltas match with three load dimensions") {
    const auto a = test::check_operator(kRelocate1, 3);
    CHECK(a.coords + a.matrix > 0);
}

TEST_CASE("relocate: Relocate2 deltas match recomputed cost (coordinates and asymmetric matrix)") {
    const auto a = test::check_operator(kRelocate2);
    CHECK(a.coords > 0);
    CHECK(a.matrix > 0);
}

TEST_CASE("relocate: Relocate2 deltas match with three load dimensions") {
    const auto a = test::check_operator(kRelocate2, 3);
    CHECK(a.coords + a.matrix > 0);
}

TEST_CASE("relocate: Relocate3 deltas match recomputed cost (coordinates and asymmetric matrix)") {
    const auto a = test::check_operator(kRelocate3);
    CHECK(a.coords > 0);
    CHECK(a.matrix > 0);
}

TEST_CASE("relocate: Relocate3 deltas match with three load dimensions") {
    const auto a = test::check_operator(kRelocate3, 3);
    CHECK(a.coords + a.matrix > 0);
}

TEST_CASE(
    "relocate: Relocate1 deltas match with time windows (time warp, waiting, release, shift)") {
    const auto a = test::check_operator(kRelocate1, 1, true);
    CHECK(a.coords + a.matrix > 0);
}

TEST_CASE(
    "relocate: Relocate2 deltas match with time windows (time warp, waiting, release, shift)") {
    const auto a = test::check_operator(kRelocate2, 1, true);
    CHECK(a.coords + a.matrix > 0);
}

TEST_CASE(
    "relocate: Relocate3 deltas match with time windows (time warp, waiting, release, shift)") {
    const auto a = test::check_operator(kRelocate3, 1, true);
    CHECK(a.coords + a.matrix > 0);
}
