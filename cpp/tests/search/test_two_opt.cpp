// Operator two_opt (intra-route segment reversal): predicted delta == independently recomputed
// change on symmetric coordinates and on an asymmetric matrix, and a reversal whose gain lies
// only inside the reversed segment (found only when symmetry is not assumed).
#include <doctest/doctest.h>

#include "ls_fixture.h"
#include "search/operators/two_opt.h"

using namespace lastmile;

namespace {

// Depot 0 and clients 1..4 on one route [1, 2, 3, 4]; every arc costs 5 except 2->3 (10),
// 3->2 (1), 1->4 (6), and 2->4, 1->3, 2->1 (20 each). The only improving reversal is
// [1, 4, 3, 2] (cost 22 instead of 30): its new boundary arcs cost 1 more than the removed ones
// and the gain is inside the reversed segment, so a bound that assumes symmetry prunes it.
ProblemData reversal_instance() {
    const std::size_t m = 5;
    std::vector<Distance> d(m * m, 5);
    for (std::size_t i = 0; i < m; ++i) d[i * m + i] = 0;
    d[2 * m + 3] = 10;
    d[3 * m + 2] = 1;
    d[2 * m + 4] = 20;
    d[1 * m + 3] = 20;
    d[2 * m + 1] = 20;
    d[1 * m + 4] = 6;
    std::vector<double> x = {0, 1, 2, 3, 4}, y = {0, 1, 0, 1, 0};
    std::vector<VehicleType> types(1);
    types[0].capacity = {100};
    return ProblemData(x, y, std::vector<Load>(m, 1), 1, std::vector<Duration>(m, 0), types,
                       DistanceKind::matrix, 1.0, 1.0, d, {}, {}, {}, 1.0, 4000);
}

}  // namespace

TEST_CASE("two_opt: deltas match recomputed cost (coordinates and asymmetric matrix)") {
    const auto a = test::check_operator(kTwoOpt);
    CHECK(a.coords > 0);
    CHECK(a.matrix > 0);
}

TEST_CASE("two_opt: deltas match with three load dimensions") {
    const auto a = test::check_operator(kTwoOpt, 3);
    CHECK(a.coords + a.matrix > 0);
}

TEST_CASE("two_opt: asymmetric reversal with gain inside the segment is found and priced") {
    const auto data = reversal_instance();
    CHECK_FALSE(data.symmetric());
    const Neighbours nb(data, 10);
    LocalSearch ls(data, nb);
    Route r;
    r.visits = {1, 2, 3, 4};
    ls.load({r});
    const test::Weights w{{1.0}, 1.0, 1.0};
    CHECK(test::penalised_cost(data, ls.routes(), w) == doctest::Approx(30.0));
    Rng rng(1);
    const double delta = ls.improve_once(kTwoOpt, rng);
    CHECK(delta == doctest::Approx(-8.0));
    const auto out = ls.routes();
    REQUIRE(out.size() == 1);
    CHECK(out[0].visits == std::vector<std::int32_t>{1, 4, 3, 2});
    CHECK(test::penalised_cost(data, out, w) == doctest::Approx(22.0));
    CHECK(ls.improve_once(kTwoOpt, rng) == 0.0);
}

TEST_CASE("two_opt: symmetry is detected from the data") {
    CHECK(test::make_instance(0, test::Geometry::coords, false).symmetric());
    CHECK_FALSE(test::make_instance(0, test::Geometry::asymmetric_matrix, false).symmetric());
    // An explicit but symmetric matrix is symmetric.
    const std::size_t m = 3;
    std::vector<Distance> d = {0, 4, 7, 4, 0, 5, 7, 5, 0};
    std::vector<VehicleType> types(1);
    types[0].capacity = {10};
    const ProblemData sym({0, 1, 2}, {0, 1, 0}, std::vector<Load>(m, 1), 1,
                          std::vector<Duration>(m, 0), types, DistanceKind::matrix, 1.0, 1.0, d, {},
                          {}, {}, 1.0, 4000);
    CHECK(sym.symmetric());
    // ... unless its durations are not.
    std::vector<Duration> t = {0, 4, 7, 3, 0, 5, 7, 5, 0};
    const ProblemData asym_dur({0, 1, 2}, {0, 1, 0}, std::vector<Load>(m, 1), 1,
                               std::vector<Duration>(m, 0), types, DistanceKind::matrix, 1.0, 1.0,
                               d, t, {}, {}, 1.0, 4000);
    CHECK_FALSE(asym_dur.symmetric());
}

TEST_CASE("two_opt: TwoOpt deltas match with time windows (time warp, waiting, release, shift)") {
    const auto a = test::check_operator(kTwoOpt, 1, true);
    CHECK(a.coords + a.matrix > 0);
}
