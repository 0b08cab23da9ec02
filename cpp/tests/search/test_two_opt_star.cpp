// Operator two_opt_star (tail exchange between routes (both variants)): predicted delta ==
// independently recomputed change, on symmetric coordinates and on an asymmetric explicit matrix.
#include <doctest/doctest.h>

#include "ls_fixture.h"
#include "search/operators/two_opt_star.h"

using namespace lastmile;

TEST_CASE(
    "two_opt_star: TwoOptStar deltas match recomputed cost (coordinates and asymmetric matrix)") {
    const auto a = test::check_operator(kTwoOptStar);
    CHECK(a.coords > 0);
    CHECK(a.matrix > 0);
}

TEST_CASE("two_opt_star: TwoOptStar deltas match with three load dimensions") {
    const auto a = test::check_operator(kTwoOptStar, 3);
    CHECK(a.coords + a.matrix > 0);
}

TEST_CASE(
    "two_opt_star: TwoOptStar deltas match with time windows (time warp, waiting, release, "
    "shift)") {
    const auto a = test::check_operator(kTwoOptStar, 1, true);
    CHECK(a.coords + a.matrix > 0);
}
