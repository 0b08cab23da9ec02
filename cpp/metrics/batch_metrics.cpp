// The batch driver: validation, the split of the routes over threads and the error report.
#include "metrics/batch_metrics.h"

#include <algorithm>
#include <exception>
#include <limits>
#include <thread>
#include <vector>

#include "metrics/route_metrics.h"
#include "metrics/validate.h"

namespace lastmile::metrics {
namespace {

using detail::compute_route;
using detail::report_route;
using detail::Scratch;
using detail::validate_before;

constexpr std::size_t kNoRoute = std::numeric_limits<std::size_t>::max();

// First route of thread t's share when the work (stops + routes) is split into T equal parts.
std::size_t split_point(const BatchInput& in, std::size_t t, std::size_t T) {
    const long double total = static_cast<long double>(in.num_stops + in.num_routes);
    const long double target = total * static_cast<long double>(t) / static_cast<long double>(T);
    std::size_t lo = 0, hi = in.num_routes;  // first r with offsets[r] + r >= target
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (static_cast<long double>(in.offsets[mid]) + static_cast<long double>(mid) < target)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

}  // namespace

unsigned effective_threads(unsigned requested, std::size_t num_stops, std::size_t num_routes) {
    unsigned t = requested;
    if (t == 0) t = std::max(1u, std::thread::hardware_concurrency());
    // Below ~16k stops per thread the start-up cost of a thread outweighs its share.
    const std::size_t useful = (num_stops + num_routes) / 16384 + 1;
    if (t > useful) t = static_cast<unsigned>(useful);
    return std::max(1u, t);
}

void compute_batch(const BatchInput& in, const BatchOutput& out, unsigned threads) {
    validate_before(in);
    const unsigned T = effective_threads(threads, in.num_stops, in.num_routes);
    std::vector<std::size_t> bad(T, kNoRoute);
    std::vector<std::exception_ptr> errors(T);
    auto work = [&](unsigned t) {
        try {
            Scratch scratch;
            const std::size_t r0 = split_point(in, t, T), r1 = split_point(in, t + 1, T);
            for (std::size_t r = r0; r < r1; ++r) {
                if (!compute_route(in, out, r, scratch)) {
                    bad[t] = r;
                    return;
                }
            }
        } catch (...) {
            errors[t] = std::current_exception();
        }
    };
    if (T == 1) {
        work(0);
    } else {
        std::vector<std::thread> pool;
        pool.reserve(T - 1);
        for (unsigned t = 1; t < T; ++t) pool.emplace_back(work, t);
        work(0);
        for (auto& th : pool) th.join();
    }
    for (auto& e : errors)
        if (e) std::rethrow_exception(e);
    const std::size_t first_bad = *std::min_element(bad.begin(), bad.end());
    if (first_bad != kNoRoute) report_route(in, first_bad);
}

}  // namespace lastmile::metrics
