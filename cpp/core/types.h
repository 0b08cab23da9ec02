// Integer units used everywhere inside the core.
//
// Distances and durations are stored as 64-bit integers in *internal units*; ProblemData holds
// the scale that converts them back to the user's units (distance_scale internal units per user
// distance unit, duration_scale internal units per user time unit):
//   - VRPLIB EUC_2D rounded (TSPLIB nint per edge): scale 1, an edge is round(sqrt(dx^2+dy^2)).
//   - planar unrounded Euclidean (e.g. CMT): scale 1000, an edge is round(1000 * euclid).
//   - geographic (haversine x circuity): user unit km, scale 1000, so internally metres.
//   - durations: seconds for geographic data; for VRPLIB files that carry a DISTANCE limit,
//     durations equal distances (unit speed) and share the distance scale.
// Loads are integers per capacity dimension (packages, litres, kg, ...).
// Costs are doubles: fixed + cost_per_distance * distance + cost_per_duration * duration, with
// the per-unit costs expressed per *internal* unit (the Python layer converts).
#pragma once
#include <cstdint>
#include <limits>

namespace lastmile {
using Distance = std::int64_t;
using Duration = std::int64_t;
using Load = std::int64_t;
using Cost = double;

inline constexpr std::int64_t kUnlimited = std::numeric_limits<std::int64_t>::max() / 4;
}  // namespace lastmile
