// Unit tests of the adaptive penalty manager (meta/penalty.h).
#include <doctest/doctest.h>

#include "meta/penalty.h"

using namespace lastmile;

namespace {
ProblemData line(int n) {
    VehicleType vt;
    vt.capacity = {10};
    std::vector<double> x, y;
    std::vector<Load> dem;
    std::vector<Duration> svc;
    for (int i = 0; i <= n; ++i)
        x.push_back(10.0 * i), y.push_back(0), dem.push_back(i ? 3 : 0), svc.push_back(0);
    return ProblemData(x, y, dem, 1, svc, {vt}, DistanceKind::euclidean_rounded, 1.0, 1.0, {}, {},
                       {}, {}, 1.0, 4000);
}
void feed(PenaltyManager& pm, int n, bool ok) {
    for (int i = 0; i < n; ++i) pm.record({static_cast<char>(ok)}, ok, ok);
}
}  // namespace

TEST_CASE("penalty_weights_rise_when_too_few_outputs_are_feasible") {
    const auto data = line(6);
    PenaltyManager pm(data, PenaltyParams{});
    const double w0 = pm.penalties().load[0], d0 = pm.penalties().duration;
    CHECK(w0 > 0);
    feed(pm, 99, false);
    CHECK(!pm.update());  // not yet update_every records
    CHECK(pm.penalties().load[0] == w0);
    feed(pm, 1, false);
    CHECK(pm.update());
    CHECK(pm.penalties().load[0] == doctest::Approx(w0 * 1.2));
    CHECK(pm.penalties().duration == doctest::Approx(d0 * 1.2));
}

TEST_CASE("penalty_weights_fall_when_too_many_outputs_are_feasible_and_hold_near_target") {
    const auto data = line(6);
    PenaltyParams pp;
    pp.target_feasible = 0.5;
    PenaltyManager pm(data, pp);
    const double w0 = pm.penalties().load[0];
    feed(pm, 100, true);
    CHECK(pm.update());
    CHECK(pm.penalties().load[0] == doctest::Approx(w0 * 0.85));
    // Window of 100: 50 feasible + 50 infeasible = share 0.5 = target: no change.
    feed(pm, 50, false);
    feed(pm, 50, true);
    const double w1 = pm.penalties().load[0];
    CHECK(pm.update());
    CHECK(pm.penalties().load[0] == w1);
}

TEST_CASE("penalty_weights_stay_within_bounds") {
    const auto data = line(6);
    PenaltyParams pp;
    pp.update_every = 1;
    PenaltyManager pm(data, pp);
    const double w0 = pm.penalties().load[0];
    for (int i = 0; i < 200; ++i) feed(pm, 1, false), pm.update();
    CHECK(pm.penalties().load[0] == doctest::Approx(w0 * pp.max_factor));
    CHECK(pm.upper_bounds().load[0] == doctest::Approx(w0 * pp.max_factor));
    for (int i = 0; i < 400; ++i) feed(pm, 1, true), pm.update();
    CHECK(pm.penalties().load[0] == doctest::Approx(w0 * pp.min_factor));
    CHECK(pm.lower_bounds().load[0] == doctest::Approx(w0 * pp.min_factor));
}

TEST_CASE("penalty_target_feasible_comes_from_the_solver_params") {
    SolverParams sp;
    sp.target_feasible = 0.7;
    CHECK(penalty_params(sp).target_feasible == 0.7);
    const auto data = line(6);
    PenaltyManager pm(data, penalty_params(sp));
    const double w0 = pm.penalties().load[0];
    feed(pm, 60, true);  // share 0.6 < 0.7 - 0.05: too few feasible for this target
    feed(pm, 40, false);
    pm.update();
    CHECK(pm.penalties().load[0] > w0);
    const auto b = pm.boosted(10.0);
    CHECK(b.load[0] == doctest::Approx(pm.penalties().load[0] * 10.0));
}
