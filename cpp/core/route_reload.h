// Routes with reload visits (multi-trip routes): a depot node among a route's visits is a reload
// at that depot. The trips are the client runs between depot visits; capacity holds per trip, the
// time windows, shift and duration over the whole route (see ProblemData::reload_seg).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/problem.h"
#include "core/solution.h"
#include "core/violation.h"

namespace lastmile {

/// A violation of route r of vehicle type `type` (solution.cpp; shared by the route checks).
Violation route_violation(ViolationKind kind, std::size_t r, std::int32_t type, double value,
                          double limit, std::string message);

/// Whether some visit of the route is a depot node (only possible when data.has_reloads()).
inline bool has_reload_visit(const ProblemData& data, const std::vector<std::int32_t>& visits) {
    if (!data.has_reloads()) return false;
    for (auto c : visits)
        if (data.is_depot(static_cast<std::size_t>(c))) return true;
    return false;
}

/// For every visit position: at a depot visit, the latest release time of the clients of the
/// trip it starts (up to the next depot visit; 0 for an empty trip); 0 at client positions.
std::vector<Duration> trip_releases(const ProblemData& data,
                                    const std::vector<std::int32_t>& visits);

/// Solution's checks of route r when it holds depot visits: a `reload` violation for a visit at
/// a depot the type may not reload at and for more reloads than max_reloads, and the capacity of
/// every trip (`capacity` when a trip's delivery exceeds it, `pickup_load` when only its load
/// after a pickup does), in place of the whole-route load checks.
void reload_route(const ProblemData& data, std::size_t r, const Route& route,
                  std::vector<Violation>& out);

}  // namespace lastmile
