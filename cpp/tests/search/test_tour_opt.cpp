// TourOpt (single-tour 2-opt / Or-opt local search and its perturbations): the tracked cost
// equals the recomputed one, every operation keeps the same clients, and a finished local search
// leaves no improving 2-opt or Or-opt move (checked by brute force with full neighbour lists),
// on symmetric coordinates and on an asymmetric matrix.
#include <doctest/doctest.h>

#include <algorithm>
#include <numeric>

#include "ls_fixture.h"
#include "search/tour_opt.h"

namespace lastmile::test {
namespace {

double tour_cost(const ProblemData& d, const std::vector<std::int32_t>& v) {
    const auto& t = d.vehicle_type(0);
    double c = 0;
    std::size_t prev = 0;
    for (std::size_t i = 0; i <= v.size(); ++i) {
        const std::size_t next = i < v.size() ? static_cast<std::size_t>(v[i]) : 0;
        c += t.variable_cost(static_cast<double>(d.dist(prev, next)),
                             static_cast<double>(d.duration(prev, next)));
        prev = next;
    }
    return c;
}

bool same_clients(std::vector<std::int32_t> a, std::vector<std::int32_t> b) {
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    return a == b;
}

/// Best cost of any single 2-opt or Or-opt (strings 1-3, both orientations) move from `v`.
double best_neighbour(const ProblemData& d, const std::vector<std::int32_t>& v) {
    double best = 1e300;
    const int m = static_cast<int>(v.size());
    for (int x = 0; x < m; ++x)
        for (int y = x + 1; y < m; ++y) {
            auto w = v;
            std::reverse(w.begin() + x, w.begin() + y + 1);
            best = std::min(best, tour_cost(d, w));
        }
    for (int len = 1; len <= 3; ++len)
        for (int s = 0; s + len <= m; ++s)
            for (int rev = 0; rev < 2; ++rev) {
                std::vector<std::int32_t> seg(v.begin() + s, v.begin() + s + len), rest;
                if (rev) std::reverse(seg.begin(), seg.end());
                rest.insert(rest.end(), v.begin(), v.begin() + s);
                rest.insert(rest.end(), v.begin() + s + len, v.end());
                for (std::size_t p = 0; p <= rest.size(); ++p) {
                    auto w = rest;
                    w.insert(w.begin() + static_cast<std::ptrdiff_t>(p), seg.begin(), seg.end());
                    best = std::min(best, tour_cost(d, w));
                }
            }
    return best;
}

}  // namespace

TEST_CASE("tour_opt: local optimum, exact cost, perturbations keep the clients") {
    for (const auto g : {Geometry::coords, Geometry::asymmetric_matrix}) {
        for (std::uint32_t seed = 1; seed <= 3; ++seed) {
            const auto data = make_instance(seed, g, false, 30);
            const Neighbours nb(data, 40);
            std::vector<std::int32_t> start(data.num_clients());
            std::iota(start.begin(), start.end(), 1);
            std::mt19937 mt(seed);
            std::shuffle(start.begin(), start.end(), mt);
            TourOpt opt(data, nb, 0, start);
            CHECK(opt.cost() == doctest::Approx(tour_cost(data, start)));
            opt.queue_all();
            CHECK(opt.improve(nullptr));
            const auto v = opt.visits();
            CHECK(same_clients(v, start));
            CHECK(opt.cost() == doctest::Approx(tour_cost(data, v)));
            CHECK(opt.cost() < tour_cost(data, start));
            CHECK(best_neighbour(data, v) >= opt.cost() - 1e-6);  // no improving move left
            Rng rng(seed);
            for (int k = 0; k < 20; ++k) {
                opt.save();
                const auto before = opt.visits();
                if (k % 2)
                    opt.double_bridge(rng, 10);
                else
                    opt.ruin_recreate(rng, 5);
                CHECK(same_clients(opt.visits(), start));
                CHECK(opt.cost() == doctest::Approx(tour_cost(data, opt.visits())));
                opt.improve(nullptr);
                CHECK(opt.cost() == doctest::Approx(tour_cost(data, opt.visits())));
                if (k % 3 == 0) {
                    opt.restore();
                    CHECK(opt.visits() == before);
                    CHECK(opt.cost() == doctest::Approx(tour_cost(data, before)));
                }
            }
        }
    }
}

}  // namespace lastmile::test
