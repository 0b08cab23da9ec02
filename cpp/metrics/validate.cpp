// Batch metrics input validation (see validate.h).
#include "metrics/validate.h"

#include <cmath>
#include <cstdint>
#include <sstream>
#include <string>

#include "core/errors.h"
#include "metrics/simd.h"

namespace lastmile::metrics::detail {
namespace {

template <class... Args>
std::string cat(Args&&... args) {
    std::ostringstream os;
    os.precision(17);
    (os << ... << args);
    return os.str();
}

}  // namespace

[[noreturn]] void report_route(const BatchInput& in, std::size_t r) {
    const std::size_t b = static_cast<std::size_t>(in.offsets[r]);
    const std::size_t e = static_cast<std::size_t>(in.offsets[r + 1]);
    auto where = [&](std::size_t i) {
        return cat("stop ", i, " (route ", r, ", position ", i - b, ")");
    };
    for (std::size_t i = b; i < e; ++i) {
        if (!std::isfinite(in.x[i]))
            throw InputError(cat("x: ", where(i), " is not finite (", in.x[i], ")"));
        if (!std::isfinite(in.y[i]))
            throw InputError(cat("y: ", where(i), " is not finite (", in.y[i], ")"));
        if (in.geographic && std::fabs(in.x[i]) > 180.0)
            throw InputError(
                cat("x: ", where(i), " longitude ", in.x[i], " is outside [-180, 180]"));
        if (in.geographic && std::fabs(in.y[i]) > 90.0)
            throw InputError(cat("y: ", where(i), " latitude ", in.y[i], " is outside [-90, 90]"));
        if (in.packages && !nonneg_finite(in.packages[i]))
            throw InputError(
                cat("packages: ", where(i), " must be finite and >= 0, got ", in.packages[i]));
        if (in.service_s && !nonneg_finite(in.service_s[i]))
            throw InputError(
                cat("service_s: ", where(i), " must be finite and >= 0, got ", in.service_s[i]));
        if (in.elevation_m && !std::isfinite(in.elevation_m[i]))
            throw InputError(
                cat("elevation_m: ", where(i), " is not finite (", in.elevation_m[i], ")"));
        for (std::size_t d = 0; in.demand && d < in.dims; ++d)
            if (!nonneg_finite(in.demand[i * in.dims + d]))
                throw InputError(cat("demand: ", where(i), " dimension ", d,
                                     " must be finite and >= 0, got ", in.demand[i * in.dims + d]));
    }
    throw InputError(
        cat("x: route ", r, " has a non-finite distance (coordinates too large to measure)"));
}

void validate_before(const BatchInput& in) {
    if (!in.offsets) throw InputError("offsets: missing");
    if (in.offsets[0] != 0) throw InputError(cat("offsets: must start at 0, got ", in.offsets[0]));
    for (std::size_t r = 0; r < in.num_routes; ++r)
        if (in.offsets[r + 1] < in.offsets[r])
            throw InputError(cat("offsets: not non-decreasing at route ", r, " (", in.offsets[r],
                                 " > ", in.offsets[r + 1], ")"));
    if (in.offsets[in.num_routes] != static_cast<std::int64_t>(in.num_stops))
        throw InputError(cat("offsets: must end at the number of stops ", in.num_stops, ", got ",
                             in.offsets[in.num_routes]));
    auto per_route = [&](std::size_t count, const char* name, bool allow_zero) {
        if ((count == 0 && !allow_zero) || (count > 1 && count != in.num_routes))
            throw InputError(cat(name, ": expected 1 or ", in.num_routes,
                                 " (one per route) values, got ", count));
    };
    per_route(in.depot_count, "depot", true);
    per_route(in.depot_elevation_count, "depot_elevation_m", true);
    per_route(in.speed_count, "speed_kmh", false);
    for (std::size_t i = 0; i < in.depot_count; ++i) {
        const double dx = in.depot_x[i], dy = in.depot_y[i];
        if (!std::isfinite(dx) || !std::isfinite(dy))
            throw InputError(cat("depot: entry ", i, " is not finite (", dx, ", ", dy, ")"));
        if (in.geographic && (std::fabs(dx) > 180.0 || std::fabs(dy) > 90.0))
            throw InputError(cat("depot: entry ", i, " is not a (lon, lat) pair in degrees (", dx,
                                 ", ", dy, ")"));
    }
    for (std::size_t i = 0; i < in.depot_elevation_count; ++i)
        if (!std::isfinite(in.depot_elevation_m[i]))
            throw InputError(cat("depot_elevation_m: entry ", i, " is not finite (",
                                 in.depot_elevation_m[i], ")"));
    for (std::size_t i = 0; i < in.speed_count; ++i)
        if (!(in.speed_kmh[i] > 0.0))
            throw InputError(cat("speed_kmh: entry ", i, " must be > 0, got ", in.speed_kmh[i]));
    if (!(in.circuity > 0.0) || !std::isfinite(in.circuity))
        throw InputError(cat("circuity: must be finite and > 0, got ", in.circuity));
    if (!(in.unit_km > 0.0) || !std::isfinite(in.unit_km))
        throw InputError(cat("unit_km: must be finite and > 0, got ", in.unit_km));
    if (in.capacity) {
        if (!in.demand)
            throw InputError("capacity: needs demand (per-stop loads) to compute load factors");
        if (in.capacity_rows != 1 && in.capacity_rows != in.num_routes)
            throw InputError(
                cat("capacity: expected 1 or ", in.num_routes, " rows, got ", in.capacity_rows));
        for (std::size_t i = 0; i < in.capacity_rows * in.dims; ++i)
            if (!nonneg_finite(in.capacity[i]))
                throw InputError(cat("capacity: row ", i / in.dims, " dimension ", i % in.dims,
                                     " must be finite and >= 0, got ", in.capacity[i]));
    }
    if (in.demand && in.dims == 0) throw InputError("demand: needs at least one dimension");
}

}  // namespace lastmile::metrics::detail
