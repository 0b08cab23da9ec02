// Unit tests of the deadline / stop state (meta/deadline.h).
#include <doctest/doctest.h>

#include <thread>

#include "meta/deadline.h"

using namespace lastmile;

TEST_CASE("deadline_stops_after_max_iterations_over_all_threads") {
    Deadline d(1e9, 5, 2, nullptr);
    CHECK(d.max_iterations() == 2);  // per thread
    ThreadStop s0(d, 0), s1(d, 1);
    CHECK(!s0.count_iteration());
    CHECK(!s1.count_iteration());
    CHECK(!s0.count_iteration());
    CHECK(!s1.count_iteration());
    CHECK(!s0.check());
    CHECK(s1.count_iteration());  // the 5th iteration exhausts the budget
    CHECK(s1.stopped());
    CHECK(d.iterations() == 5);
    CHECK(!s0.stopped());  // latched only when polled
    CHECK(s0.check());
    CHECK((*s0.callback())());
}

TEST_CASE("deadline_stops_at_the_time_limit") {
    Deadline d(0.02, std::nullopt, 1, nullptr);
    CHECK(d.max_iterations() == 0);
    ThreadStop s(d, 0);
    CHECK(!s.check());
    std::this_thread::sleep_for(std::chrono::milliseconds(40));
    CHECK(s.check());
    CHECK(d.elapsed() >= 0.02);
}

TEST_CASE("deadline_hook_interrupts_from_thread_0_only") {
    int calls = 0;
    double seen_best = 0;
    Deadline d(
        1e9, std::nullopt, 2,
        [&](double, Cost best) {
            ++calls;
            seen_best = best;
            return calls >= 2;  // e.g. Ctrl-C on the second poll
        },
        0.0);
    std::atomic<Cost> best{42.0};
    d.watch_best(&best);
    ThreadStop s0(d, 0), s1(d, 1);
    CHECK(!s1.check());
    CHECK(calls == 0);
    CHECK(!s0.check());
    CHECK(calls == 1);
    CHECK(seen_best == 42.0);
    CHECK(s0.check());
    CHECK(s1.check());  // the stop is shared
    CHECK(calls == 2);
}

TEST_CASE("deadline_progress_follows_the_iteration_budget_when_there_is_one") {
    Deadline d(1e9, 100, 2, nullptr);  // 50 iterations per thread
    CHECK(d.progress(0) == 0.0);
    CHECK(d.progress(25) == doctest::Approx(0.5));
    CHECK(d.progress(50) == 1.0);
    CHECK(d.progress(80) == 1.0);  // clamped
}

TEST_CASE("deadline_progress_follows_the_clock_without_an_iteration_budget") {
    Deadline d(0.05, std::nullopt, 1, nullptr);
    const double p0 = d.progress(1'000'000);  // iterations do not count
    CHECK(p0 >= 0.0);
    CHECK(p0 < 0.5);
    std::this_thread::sleep_for(std::chrono::milliseconds(60));
    CHECK(d.progress(0) == 1.0);
}
