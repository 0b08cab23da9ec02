// Granular neighbour lists with time windows (search/neighbours.cpp): the ranking is the
// correlation measure of Vidal et al. 2013 (distance + 0.2 x least waiting + 1.0 x least time
// warp, the better of both orders, times scaled to distance units), recomputed here by brute
// force; without windows the lists stay the plain nearest ones.
#include <doctest/doctest.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "ls_fixture.h"

namespace lastmile::test {
namespace {

double directed(const ProblemData& d, std::size_t i, std::size_t j, double scale) {
    const double go = static_cast<double>(d.service(i) + d.duration(i, j));
    const double ei = static_cast<double>(d.tw_early(i)), li = static_cast<double>(d.tw_late(i));
    const double ej = static_cast<double>(d.tw_early(j)), lj = static_cast<double>(d.tw_late(j));
    return scale * (0.2 * std::max(ej - go - li, 0.0) + 1.0 * std::max(ei + go - lj, 0.0));
}

std::vector<std::int32_t> brute(const ProblemData& d, std::size_t i, int k, bool windows) {
    double sd = 0, st = 0;
    for (std::size_t c = 1; c <= d.num_clients(); ++c)
        sd += static_cast<double>(d.dist(0, c)), st += static_cast<double>(d.duration(0, c));
    const double scale = st > 0 ? sd / st : 0.0;
    std::vector<std::pair<double, std::int32_t>> all;
    for (std::size_t j = 1; j <= d.num_clients(); ++j) {
        if (j == i) continue;
        double key = static_cast<double>(d.dist(i, j) + d.dist(j, i));
        if (windows) key += std::min(directed(d, i, j, scale), directed(d, j, i, scale));
        all.emplace_back(key, static_cast<std::int32_t>(j));
    }
    std::sort(all.begin(), all.end());
    std::vector<std::int32_t> out;
    for (int t = 0; t < k; ++t) out.push_back(all[static_cast<std::size_t>(t)].second);
    return out;
}

}  // namespace

TEST_CASE("neighbour lists with windows follow the time-window correlation measure") {
    for (const auto g : {Geometry::coords, Geometry::asymmetric_matrix})
        for (const bool windows : {false, true}) {
            const auto data = make_instance(7, g, false, 30, 1, windows);
            REQUIRE(data.has_time_windows() == windows);
            const int k = 8;
            const Neighbours nb(data, k);
            int differ_from_plain = 0;
            for (std::size_t i = 1; i <= data.num_clients(); ++i) {
                const std::vector<std::int32_t> got(nb.begin(i), nb.end(i));
                CHECK(got == brute(data, i, k, windows));
                differ_from_plain += got != brute(data, i, k, false);
            }
            // The windows change the lists (the test instance's windows bind).
            if (windows) CHECK(differ_from_plain > 0);
        }
}

}  // namespace lastmile::test
