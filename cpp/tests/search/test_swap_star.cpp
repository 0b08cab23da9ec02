// Operator swap_star (SWAP* between routes with overlapping sectors): predicted delta ==
// independently recomputed change, on symmetric coordinates and on an asymmetric explicit matrix.
#include <doctest/doctest.h>

#include "ls_fixture.h"
#include "search/operators/swap_star.h"

using namespace lastmile;

TEST_CASE("swap_star: SwapStar deltas match recomputed cost (coordinates and asymmetric matrix)") {
    const auto a = test::check_operator(kSwapStar);
    CHECK(a.coords > 0);
    CHECK(a.matrix > 0);
}

TEST_CASE("swap_star: SwapStar deltas match with three load dimensions") {
    const auto a = test::check_operator(kSwapStar, 3);
    CHECK(a.coords + a.matrix > 0);
}

TEST_CASE(
    "swap_star: SwapStar deltas match with time windows (time warp, waiting, release, shift)") {
    const auto a = test::check_operator(kSwapStar, 1, true);
    CHECK(a.coords + a.matrix > 0);
}
