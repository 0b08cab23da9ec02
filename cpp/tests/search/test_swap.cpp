// Operator swap (exchange of (1,1), (2,1) and (2,2) client segments): predicted delta ==
// independently recomputed change, on symmetric coordinates and on an asymmetric explicit matrix.
#include <doctest/doctest.h>

#include "ls_fixture.h"
#include "search/operators/swap.h"

using namespace lastmile;

TEST_CASE("swap: Swap11 deltas match recomputed cost (coordinates and asymmetric matrix)") {
    const auto a = test::check_operator(kSwap11);
    CHECK(a.coords > 0);
    CHECK(a.matrix > 0);
}

TEST_CASE("swap: Swap11 deltas match with three load dimensions") {
    const auto a = test::check_operator(kSwap11, 3);
    CHECK(a.coords + a.matrix > 0);
}

TEST_CASE("swap: Swap21 deltas match recomputed cost (coordinates and asymmetric matrix)") {
    const auto a = test::check_operator(kSwap21);
    CHECK(a.coords > 0);
    CHECK(a.matrix > 0);
}

TEST_CASE("swap: Swap21 deltas match with three load dimensions") {
    const auto a = test::check_operator(kSwap21, 3);
    CHECK(a.coords + a.matrix > 0);
}

TEST_CASE("swap: Swap22 deltas match recomputed cost (coordinates and asymmetric matrix)") {
    const auto a = test::check_operator(kSwap22);
    CHECK(a.coords > 0);
    CHECK(a.matrix > 0);
}

TEST_CASE("swap: Swap22 deltas match with three load dimensions") {
    const auto a = test::check_operator(kSwap22, 3);
    CHECK(a.coords + a.matrix > 0);
}

TEST_CASE("swap: Swap11 deltas match with time windows (time warp, waiting, release, shift)") {
    const auto a = test::check_operator(kSwap11, 1, true);
    CHECK(a.coords + a.matrix > 0);
}

TEST_CASE("swap: Swap21 deltas match with time windows (time warp, waiting, release, shift)") {
    const auto a = test::check_operator(kSwap21, 1, true);
    CHECK(a.coords + a.matrix > 0);
}

TEST_CASE("swap: Swap22 deltas match with time windows (time warp, waiting, release, shift)") {
    const auto a = test::check_operator(kSwap22, 1, true);
    CHECK(a.coords + a.matrix > 0);
}
