// Batch route metrics: one pass over many routes stored in CSR form (flat stop arrays plus
// route offsets), multi-threaded over routes. Every route is computed independently by exactly
// one thread in a fixed order, so the output does not depend on the number of threads.
//
// Units: planar coordinates give distances in coordinate units and areas in units^2;
// geographic (lon, lat in degrees) give great-circle (haversine) distances in km times the
// circuity factor, and convex-hull areas in km^2 from a local equirectangular projection around
// the route's centroid latitude.
//
// Layout of cpp/metrics: this driver (validation, threads) in batch_metrics.cpp; one route's
// metrics in route_metrics.*; great-circle lengths in geodesy.*; convex hulls in hull.*; input
// checks and error messages in validate.*; SSE2 reductions in simd.h.
#pragma once
#include <cstddef>
#include <cstdint>

namespace lastmile::metrics {

/// Read-only views of the inputs. Per-route arrays of length 1 are broadcast to every route.
struct BatchInput {
    std::size_t num_stops = 0;
    std::size_t num_routes = 0;
    const double* x = nullptr;              // num_stops: planar x or longitude (degrees)
    const double* y = nullptr;              // num_stops: planar y or latitude (degrees)
    const std::int64_t* offsets = nullptr;  // num_routes + 1, offsets[0] = 0, last = num_stops
    const double* depot_x = nullptr;        // depot_count (0 = no depot legs, 1, or num_routes)
    const double* depot_y = nullptr;
    std::size_t depot_count = 0;
    bool geographic = false;
    const double* packages = nullptr;           // num_stops or null (each stop counts 1)
    const double* service_s = nullptr;          // num_stops or null (0)
    const double* elevation_m = nullptr;        // num_stops or null (no climb)
    const double* depot_elevation_m = nullptr;  // depot_elevation_count (0, 1 or num_routes)
    std::size_t depot_elevation_count = 0;
    const double* demand = nullptr;  // num_stops x dims, row-major, or null
    std::size_t dims = 0;
    const double* capacity = nullptr;  // capacity_rows x dims (1 or num_routes rows) or null
    std::size_t capacity_rows = 0;
    const double* speed_kmh = nullptr;  // speed_count (1 or num_routes); +inf = no drive time
    std::size_t speed_count = 0;
    double circuity = 1.0;  // multiplier on straight-line / great-circle distance
    double unit_km = 1.0;   // planar only: km per coordinate unit (drive time)
    bool hull = true;       // compute hull_area / stops_per_km2 (else NaN)
};

/// Caller-allocated outputs, num_routes entries each (load, load_factor: num_routes x dims).
/// Optional outputs may be null and are then skipped.
struct BatchOutput {
    std::int64_t* n_stops = nullptr;
    double* packages = nullptr;
    double* total_distance = nullptr;
    double* line_haul_distance = nullptr;
    double* intra_route_distance = nullptr;
    double* drive_time_s = nullptr;
    double* service_time_s = nullptr;
    double* duration_s = nullptr;
    double* hull_area = nullptr;
    double* stops_per_km2 = nullptr;
    double* stops_per_intra_km = nullptr;
    double* mean_inter_stop_distance = nullptr;
    double* load = nullptr;         // needs demand
    double* load_factor = nullptr;  // needs demand and capacity
    double* climb_m = nullptr;      // needs elevation_m
};

/// Number of worker threads for `requested` (0 = all hardware threads), capped by the work size.
unsigned effective_threads(unsigned requested, std::size_t num_stops, std::size_t num_routes);

/// Computes every route's metrics. Validates the inputs (offsets, depot, speed, capacity and
/// scalar options before the pass; per-stop values during it) and throws lastmile::InputError
/// naming the argument on the first invalid value (the lowest route index, whatever the thread
/// count). `threads` = 0 uses every hardware thread.
void compute_batch(const BatchInput& in, const BatchOutput& out, unsigned threads);

}  // namespace lastmile::metrics
