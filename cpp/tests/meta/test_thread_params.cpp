// thread_params: the strategies of cooperating search threads (threads > 1).
#include <doctest/doctest.h>

#include "meta/params.h"

namespace lastmile {

TEST_CASE("thread_params: even threads keep the parameters, odd threads ruin wider and hotter") {
    SolverParams p;
    p.sisr_max_removed = 12.0;
    p.sisr_t0 = 2.0;
    p.coop_removed_scale = 1.5;
    p.coop_t0_scale = 3.0;
    for (const int t : {0, 2, 4}) {
        const auto q = thread_params(p, t);
        CHECK(q.sisr_max_removed == 12.0);
        CHECK(q.sisr_t0 == 2.0);
    }
    for (const int t : {1, 3}) {
        const auto q = thread_params(p, t);
        CHECK(q.sisr_max_removed == doctest::Approx(18.0));
        CHECK(q.sisr_t0 == doctest::Approx(6.0));
        CHECK(q.sisr_t1 == p.sisr_t1);
    }
    p.coop_removed_scale = 0.01;  // the ruin never drops below one customer
    CHECK(thread_params(p, 1).sisr_max_removed == 1.0);
}

}  // namespace lastmile
