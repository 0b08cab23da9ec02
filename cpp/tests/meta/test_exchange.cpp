// Unit tests of the threads' exchange (meta/exchange.h): the shared best and the published bests
// that route injection draws from.
#include <doctest/doctest.h>

#include "meta/exchange.h"

using namespace lastmile;

namespace {
std::vector<Route> one_route(std::int32_t c) {
    Route r;
    r.visits = {c};
    return {r};
}
}  // namespace

TEST_CASE("exchange_keeps_the_cheapest_reported_best") {
    Deadline d(1e9, std::nullopt, 2, nullptr);
    BestExchange b(d);
    b.report(one_route(1), 10.0);
    b.report(one_route(2), 12.0);  // dearer: ignored
    CHECK(b.best_cost() == doctest::Approx(10.0));
    CHECK(b.best_routes().front().visits.front() == 1);
    std::vector<Route> out;
    CHECK(!b.fetch_better(10.0, out));
    CHECK(b.fetch_better(11.0, out));
    CHECK(out.front().visits.front() == 1);
    CHECK(b.history().size() == 1);
}

TEST_CASE("exchange_fetch_other_skips_own_and_seen_publications") {
    Deadline d(1e9, std::nullopt, 3, nullptr);
    BestExchange b(d);
    std::pair<int, std::uint64_t> seen{-1, 0};
    std::vector<Route> out;
    CHECK(!b.fetch_other(0, seen, out));  // nothing published
    b.publish(0, one_route(1), 5.0);
    CHECK(!b.fetch_other(0, seen, out));  // only its own
    CHECK(b.fetch_other(1, seen, out));
    CHECK(out.front().visits.front() == 1);
    CHECK(seen.first == 0);
    CHECK(!b.fetch_other(1, seen, out));  // nothing new since
    b.publish(2, one_route(3), 4.0);      // cheaper, from thread 2
    CHECK(b.fetch_other(1, seen, out));
    CHECK(out.front().visits.front() == 3);
    CHECK(seen.first == 2);
    b.publish(2, one_route(4), 3.0);  // a new publication of the same thread
    CHECK(b.fetch_other(1, seen, out));
    CHECK(out.front().visits.front() == 4);
    std::pair<int, std::uint64_t> seen2{-1, 0};
    CHECK(b.fetch_other(2, seen2, out));  // thread 2 sees thread 0's, not its own
    CHECK(out.front().visits.front() == 1);
}
