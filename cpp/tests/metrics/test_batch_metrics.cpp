// Unit tests of metrics/batch_metrics.h (driver, route metrics and validation): hand-computed
// planar routes, independence of the thread count and errors naming the argument.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "core/errors.h"
#include "core/geo.h"
#include "metrics/batch_metrics.h"

using namespace lastmile;
using namespace lastmile::metrics;

namespace {

struct Outputs {
    explicit Outputs(std::size_t r)
        : n(r),
          pk(r),
          tot(r),
          lh(r),
          intra(r),
          drive(r),
          svc(r),
          dur(r),
          area(r),
          dens(r),
          perkm(r),
          mean(r) {}
    std::vector<std::int64_t> n;
    std::vector<double> pk, tot, lh, intra, drive, svc, dur, area, dens, perkm, mean;
    BatchOutput view() {
        BatchOutput o;
        o.n_stops = n.data(), o.packages = pk.data(), o.total_distance = tot.data();
        o.line_haul_distance = lh.data(), o.intra_route_distance = intra.data();
        o.drive_time_s = drive.data(), o.service_time_s = svc.data(), o.duration_s = dur.data();
        o.hull_area = area.data(), o.stops_per_km2 = dens.data();
        o.stops_per_intra_km = perkm.data(), o.mean_inter_stop_distance = mean.data();
        return o;
    }
};

std::string error_of(const BatchInput& in, Outputs& out) {
    try {
        compute_batch(in, out.view(), 1);
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("planar_square_route_with_a_depot") {
    // Route 0: the corners of a 3 x 4 rectangle; route 1: empty; route 2: one stop.
    const std::vector<double> x = {0, 3, 3, 0, 6}, y = {0, 0, 4, 4, 8};
    const std::vector<std::int64_t> off = {0, 4, 4, 5};
    const std::vector<double> dx = {0.0}, dy = {-1.0}, speed = {36.0};
    BatchInput in;
    in.num_stops = 5, in.num_routes = 3;
    in.x = x.data(), in.y = y.data(), in.offsets = off.data();
    in.depot_x = dx.data(), in.depot_y = dy.data(), in.depot_count = 1;
    in.speed_kmh = speed.data(), in.speed_count = 1;
    Outputs out(3);
    compute_batch(in, out.view(), 1);
    CHECK(out.n[0] == 4);
    CHECK(out.intra[0] == doctest::Approx(3 + 4 + 3));
    CHECK(out.lh[0] == doctest::Approx(1 + 5));
    CHECK(out.tot[0] == doctest::Approx(16));
    CHECK(out.drive[0] == doctest::Approx(16 / 36.0 * 3600.0));
    CHECK(out.area[0] == doctest::Approx(12));
    CHECK(out.pk[0] == 4);
    CHECK(out.n[1] == 0);
    CHECK(out.tot[1] == 0.0);
    CHECK(std::isnan(out.mean[1]));
    CHECK(out.lh[2] == doctest::Approx(2 * std::hypot(6.0, 9.0)));
    CHECK(out.intra[2] == 0.0);
}

TEST_CASE("geographic_distance_is_the_haversine_times_circuity") {
    const std::vector<double> x = {13.40, 13.41, 13.43}, y = {52.50, 52.52, 52.51};
    const std::vector<std::int64_t> off = {0, 3};
    const std::vector<double> speed = {std::numeric_limits<double>::infinity()};
    BatchInput in;
    in.num_stops = 3, in.num_routes = 1, in.geographic = true, in.circuity = 1.3;
    in.x = x.data(), in.y = y.data(), in.offsets = off.data();
    in.speed_kmh = speed.data(), in.speed_count = 1;
    Outputs out(1);
    compute_batch(in, out.view(), 1);
    const double km =
        geo::haversine_km(x[0], y[0], x[1], y[1]) + geo::haversine_km(x[1], y[1], x[2], y[2]);
    CHECK(out.intra[0] == doctest::Approx(1.3 * km).epsilon(1e-12));
    CHECK(out.drive[0] == 0.0);
}

TEST_CASE("outputs_do_not_depend_on_the_thread_count") {
    std::mt19937 rng(8);
    std::uniform_real_distribution<double> u(0.0, 40.0);
    const std::size_t R = 3000, S = 20;
    std::vector<double> x(R * S), y(R * S);
    for (std::size_t i = 0; i < R * S; ++i) x[i] = u(rng), y[i] = u(rng);
    std::vector<std::int64_t> off(R + 1);
    for (std::size_t r = 0; r <= R; ++r) off[r] = static_cast<std::int64_t>(r * S);
    const std::vector<double> speed = {30.0};
    BatchInput in;
    in.num_stops = R * S, in.num_routes = R;
    in.x = x.data(), in.y = y.data(), in.offsets = off.data();
    in.speed_kmh = speed.data(), in.speed_count = 1;
    Outputs one(R), four(R);
    compute_batch(in, one.view(), 1);
    compute_batch(in, four.view(), 4);
    CHECK(one.tot == four.tot);
    CHECK(one.area == four.area);
    CHECK(effective_threads(4, R * S, R) >= 1);
}

TEST_CASE("invalid_inputs_raise_input_error_naming_the_argument") {
    std::vector<double> x = {0, 1, 2}, y = {0, 1, 2}, pk = {1, 1, -1};
    std::vector<std::int64_t> off = {0, 2, 3};
    std::vector<double> speed = {30.0};
    BatchInput in;
    in.num_stops = 3, in.num_routes = 2;
    in.x = x.data(), in.y = y.data(), in.offsets = off.data(), in.packages = pk.data();
    in.speed_kmh = speed.data(), in.speed_count = 1;
    Outputs out(2);
    CHECK(error_of(in, out).rfind("packages: stop 2 (route 1, position 0)", 0) == 0);
    pk[2] = 1;
    y[1] = std::numeric_limits<double>::quiet_NaN();
    CHECK(error_of(in, out).rfind("y: stop 1", 0) == 0);
    y[1] = 1;
    off = {0, 3, 2};
    CHECK(error_of(in, out).rfind("offsets", 0) == 0);
    off = {0, 2, 3};
    speed[0] = 0.0;
    CHECK(error_of(in, out).rfind("speed_kmh", 0) == 0);
    speed[0] = 30.0;
    CHECK(error_of(in, out).empty());
}
