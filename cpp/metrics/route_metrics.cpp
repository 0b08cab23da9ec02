// Metrics of one route (see route_metrics.h).
#include "metrics/route_metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "core/units.h"
#include "metrics/geodesy.h"
#include "metrics/simd.h"

namespace lastmile::metrics::detail {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

LASTMILE_SIMD_CLONES
void planar_sq_edges(const double* __restrict x, const double* __restrict y, std::size_t n,
                     double* __restrict out) {
    for (std::size_t i = 1; i < n; ++i) {
        const double dx = x[i] - x[i - 1], dy = y[i] - y[i - 1];
        out[i - 1] = dx * dx + dy * dy;
    }
}

}  // namespace

bool compute_route(const BatchInput& in, const BatchOutput& out, std::size_t r, Scratch& s) {
    const std::size_t b = static_cast<std::size_t>(in.offsets[r]);
    const std::size_t e = static_cast<std::size_t>(in.offsets[r + 1]);
    const std::size_t n = e - b;
    const double* x = in.x;
    const double* y = in.y;
    bool ok = true;

    const double packages =
        in.packages ? sum4_nonneg(in.packages + b, n, ok) : static_cast<double>(n);
    const double service = in.service_s ? sum4_nonneg(in.service_s + b, n, ok) : 0.0;

    // Distances (user units: planar units or great-circle km), before circuity.
    double intra = 0.0, line_haul = 0.0;
    const bool has_depot = in.depot_count > 0 && n > 0;
    const std::size_t dr = in.depot_count == 1 ? 0 : r;
    if (n > 0) {
        if (!in.geographic) {
            ok &= std::isfinite(x[b]) && std::isfinite(y[b]);
            if (s.hav.size() < n) s.hav.resize(n);
            planar_sq_edges(x + b, y + b, n, s.hav.data());
            sqrt_inplace(s.hav.data(), n - 1);
            intra = sum4(s.hav.data(), n - 1);
            // A finite first stop and a finite sum imply every stop is finite.
            ok &= std::isfinite(intra);
            if (has_depot) {
                const double ax = x[b] - in.depot_x[dr], ay = y[b] - in.depot_y[dr];
                const double bx = x[e - 1] - in.depot_x[dr], by = y[e - 1] - in.depot_y[dr];
                line_haul = std::sqrt(ax * ax + ay * ay) + std::sqrt(bx * bx + by * by);
            }
        } else {
            double lat_prev = y[b] * units::kDegToRad;
            const CosNear cos_near(lat_prev);
            double cos_prev = cos_near.c0;
            ok &= std::fabs(x[b]) <= 180.0 && std::fabs(y[b]) <= 90.0;
            const double lat_first = lat_prev, cos_first = cos_prev;
            double angle = 0.0;
            if (s.cosv.size() < n) {
                s.cosv.resize(n);
                s.hav.resize(n);
            }
            if (path_angle_fast(x + b, y + b, n, s.cosv.data(), s.hav.data(), angle)) {
                lat_prev = y[e - 1] * units::kDegToRad;
                cos_prev = s.cosv[n - 1];
            } else {
                for (std::size_t i = b + 1; i < e; ++i) {
                    ok &= std::fabs(x[i]) <= 180.0 && std::fabs(y[i]) <= 90.0;
                    const double lat = y[i] * units::kDegToRad;
                    const double c = cos_near(lat);
                    angle += central_angle(lat_prev, cos_prev, lat, c, x[i] - x[i - 1]);
                    lat_prev = lat;
                    cos_prev = c;
                }
            }
            intra = angle * units::kEarthRadiusKm;
            if (has_depot) {
                const double dlat = in.depot_y[dr] * units::kDegToRad, dcos = std::cos(dlat);
                line_haul =
                    (central_angle(dlat, dcos, lat_first, cos_first, x[b] - in.depot_x[dr]) +
                     central_angle(lat_prev, cos_prev, dlat, dcos, in.depot_x[dr] - x[e - 1])) *
                    units::kEarthRadiusKm;
            }
        }
    }
    intra *= in.circuity;
    line_haul *= in.circuity;
    const double total = intra + line_haul;

    double area = kNaN;
    if (in.hull) {
        area = 0.0;
        if (n >= 3 && ok) {
            if (s.px.size() < n) {
                s.px.resize(n);
                s.py.resize(n);
            }
            double* px = s.px.data();
            double* py = s.py.data();
            const double x0 = x[b], y0 = y[b];
            if (!in.geographic) {
                for (std::size_t i = 0; i < n; ++i) px[i] = x[b + i] - x0, py[i] = y[b + i] - y0;
                area = hull_area_xy(px, py, n, s.hull);
            } else {
                // Longitudes relative to the first stop, wrapped to [-180, 180] so routes across
                // the antimeridian stay contiguous; the projection scale is cos(mean latitude).
                double lat_sum = 0.0;
                for (std::size_t i = 0; i < n; ++i) {
                    double dlon = x[b + i] - x0;
                    if (dlon > 180.0)
                        dlon -= 360.0;
                    else if (dlon < -180.0)
                        dlon += 360.0;
                    px[i] = dlon;
                    py[i] = y[b + i] - y0;
                    lat_sum += y[b + i];
                }
                const double lat_c = lat_sum / static_cast<double>(n) * units::kDegToRad;
                const double k = units::kKmPerDegree;
                area = hull_area_xy(px, py, n, s.hull) * std::cos(lat_c) * k * k;
            }
        }
    }

    double climb = 0.0;
    if (in.elevation_m && n > 0) {
        const double* z = in.elevation_m;
        for (std::size_t i = b; i < e; ++i) ok &= std::isfinite(z[i]);
        for (std::size_t i = b + 1; i < e; ++i) climb += std::max(0.0, z[i] - z[i - 1]);
        if (in.depot_elevation_count > 0) {
            const double zd = in.depot_elevation_m[in.depot_elevation_count == 1 ? 0 : r];
            climb += std::max(0.0, z[b] - zd) + std::max(0.0, zd - z[e - 1]);
        }
    }

    if (in.demand) {
        const std::size_t dims = in.dims;
        double* load = out.load + r * dims;
        for (std::size_t d = 0; d < dims; ++d) load[d] = 0.0;
        for (std::size_t i = b; i < e; ++i) {
            const double* row = in.demand + i * dims;
            for (std::size_t d = 0; d < dims; ++d) {
                ok &= nonneg_finite(row[d]);
                load[d] += row[d];
            }
        }
        if (in.capacity && out.load_factor) {
            const double* cap = in.capacity + (in.capacity_rows == 1 ? 0 : r) * dims;
            for (std::size_t d = 0; d < dims; ++d) out.load_factor[r * dims + d] = load[d] / cap[d];
        }
    }

    const double speed = in.speed_kmh[in.speed_count == 1 ? 0 : r];
    const double total_km = in.geographic ? total : total * in.unit_km;
    const double drive = total_km / speed * units::kSecondsPerHour;  // speed = +inf gives 0

    out.n_stops[r] = static_cast<std::int64_t>(n);
    out.packages[r] = packages;
    out.total_distance[r] = total;
    out.line_haul_distance[r] = line_haul;
    out.intra_route_distance[r] = intra;
    out.drive_time_s[r] = drive;
    out.service_time_s[r] = service;
    out.duration_s[r] = drive + service;
    out.hull_area[r] = area;
    out.stops_per_km2[r] = (in.hull && area > 0.0) ? static_cast<double>(n) / area : kNaN;
    out.stops_per_intra_km[r] = intra > 0.0 ? static_cast<double>(n) / intra : kNaN;
    out.mean_inter_stop_distance[r] = n >= 2 ? intra / static_cast<double>(n - 1) : kNaN;
    if (out.climb_m) out.climb_m[r] = in.elevation_m ? climb : kNaN;
    if (in.geographic || has_depot) ok &= std::isfinite(total);
    return ok;
}

}  // namespace lastmile::metrics::detail
