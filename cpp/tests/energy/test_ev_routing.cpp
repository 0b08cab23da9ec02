// Unit tests of the EV routing energy algebra (energy/ev_routing.h): segment concatenation,
// prefix arrays forward and reversed, and the exact peak (minimum charge) walk.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <random>
#include <vector>

#include "core/errors.h"
#include "core/problem.h"
#include "energy/ev_routing.h"
#include "ev_fixture.h"

using namespace lastmile;
using lastmile::test::ev_instance;

namespace {

bool close(double a, double b, double tol = 1e-9) {
    return std::abs(a - b) <= tol * (1.0 + std::abs(a) + std::abs(b));
}

// Direct energy of a path (nodes in order) entered with payload w: arc k carries w minus
// everything delivered at the nodes before it.
double walk(const std::vector<double>& a, const std::vector<double>& b,
            const std::vector<double>& q, double w) {
    double e = 0;
    for (std::size_t k = 0; k < a.size(); ++k) {
        w -= q[k];  // delivered at node k, before arc k (node k -> k + 1)
        e += a[k] + b[k] * w;
    }
    return e;
}

}  // namespace

TEST_CASE("ev_concatenation_equals_direct_walk_in_any_grouping") {
    std::mt19937 rng(5);
    std::uniform_real_distribution<double> u(-0.5, 1.0);
    for (int trial = 0; trial < 50; ++trial) {
        const std::size_t L = 2 + static_cast<std::size_t>(trial % 9);  // nodes
        std::vector<double> a(L - 1), b(L - 1), q(L);
        for (auto& z : a) z = u(rng);
        for (auto& z : b) z = 1e-3 * u(rng);
        for (auto& z : q) z = 50.0 * (u(rng) + 0.5);
        double D = 0;
        for (double z : q) D += z;
        // Left fold of single-node segments.
        ESeg left;
        left.D = q[0];
        for (std::size_t k = 1; k < L; ++k) {
            ESeg node;
            node.D = q[k];
            left = ecat(left, a[k - 1], b[k - 1], node);
        }
        // Right fold.
        ESeg right;
        right.D = q[L - 1];
        for (std::size_t k = L - 1; k-- > 0;) {
            ESeg node;
            node.D = q[k];
            right = ecat(node, a[k], b[k], right);
        }
        const double direct = walk(a, b, q, D);
        CHECK(close(eseg_energy(left), direct));
        CHECK(close(eseg_energy(right), direct));
        CHECK(close(left.D, D));
        // Entered with extra payload w: E(W) = A + B W - C for any W.
        const double w = D + 123.0;
        CHECK(close(left.A + left.B * w - left.C, walk(a, b, q, w)));
    }
}

TEST_CASE("ev_prefix_segments_match_direct_energy_forward_and_reversed") {
    const ProblemData data = ev_instance(12, 3);
    const EvRouting ev(data);
    CHECK(ev.active());
    CHECK(ev.num_classes() == 1);
    CHECK(ev.cls(0) == 0);
    const std::vector<std::int32_t> nodes = {0, 4, 9, 1, 12, 7, 3, 10, 0};
    EvPrefix pre;
    pre.build(ev, 0, nodes.data(), nodes.size());
    const int m = static_cast<int>(nodes.size());
    for (int i = 0; i < m; ++i)
        for (int j = i; j < m; ++j)
            for (const bool rev : {false, true}) {
                std::vector<std::int32_t> seq;
                if (rev)
                    for (int p = j; p >= i; --p) seq.push_back(nodes[p]);
                else
                    for (int p = i; p <= j; ++p) seq.push_back(nodes[p]);
                std::vector<double> a, b, q;
                double D = 0;
                for (std::size_t k = 0; k < seq.size(); ++k) {
                    q.push_back(ev.payload(0, static_cast<std::size_t>(seq[k])));
                    D += q.back();
                    if (k + 1 < seq.size()) {
                        double ak, bk;
                        ev.coef(0, static_cast<std::size_t>(seq[k]),
                                static_cast<std::size_t>(seq[k + 1]), ak, bk);
                        a.push_back(ak), b.push_back(bk);
                    }
                }
                const ESeg s = pre.seg(i, j, rev);
                CHECK(close(s.D, D));
                CHECK(close(eseg_energy(s), walk(a, b, q, D)));
                CHECK(close(s.A + s.B * (D + 77.0) - s.C, walk(a, b, q, D + 77.0)));
            }
    double total, peak;
    ev.route_energy(0, nodes.data(), nodes.size(), total, peak);
    CHECK((close(pre.total, total) && close(pre.peak, peak)));
    CHECK(close(eseg_energy(pre.seg(0, m - 1, false)), total));
    CHECK(total > 0);
    CHECK(peak >= total);
}

TEST_CASE("ev_peak_exceeds_total_when_the_route_ends_downhill") {
    // Depot in a valley, clients on a plateau 250 m higher: regeneration on the way down makes
    // the last client, not the depot, the point of minimum charge.
    const ProblemData data = ev_instance(6, 9, 0.0, 250.0);
    const EvRouting ev(data);
    const std::vector<std::int32_t> nodes = {0, 1, 2, 3, 0};
    double total, peak;
    ev.route_energy(0, nodes.data(), nodes.size(), total, peak);
    double a, b;
    ev.coef(0, 3, 0, a, b);
    CHECK(a < 0);  // the return arc recovers energy
    CHECK(peak > total + 1e-6);
    EvPrefix pre;
    pre.build(ev, 0, nodes.data(), nodes.size());
    CHECK((close(pre.peak, peak) && close(pre.total, total)));
}
