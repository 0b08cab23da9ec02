// The time evaluation of a route of a vehicle type with a driver break (core/route_break.h), for
// Solution: the break placed at its best position, the route's time fields and break fields, and
// the first time violation of the schedule with the break (`break` when the break is where the
// schedule first runs late).
#pragma once
#include <cstddef>
#include <vector>

#include "core/solution.h"

namespace lastmile {

/// segs: start depot, the route's visits, end depot; travel[p] from node p to node p + 1.
/// route.duration / service hold the plain driving + service totals on entry.
void break_route(const ProblemData& data, std::size_t r, Route& route,
                 const std::vector<TimeSeg>& segs, const std::vector<Duration>& travel,
                 std::vector<Violation>& out);

}  // namespace lastmile
