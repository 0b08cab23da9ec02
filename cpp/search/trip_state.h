// Multi-trip routes in the local search (instances with reload depots): the trip prefix data of
// a route (RouteState::rc, lt_f/lt_b, tt_f/tt_b; core/trip_segment.h) and the O(pieces)
// evaluation of a concatenation of pieces that holds reload visits.
#pragma once
#include <vector>

#include "core/problem.h"
#include "search/route_state.h"

namespace lastmile {

/// Rebuilds the trip prefix data of R for its own type (capacity, reload time).
void build_trip_prefix(const ProblemData& data, RouteState& R);

/// Whether pieces of routes of type `from` keep their trip data as routes of type `to` (same
/// capacity, reload time and reload depots).
bool trips_compatible(const ProblemData& data, int from, int to);

/// Trip evaluation of a concatenation as a route of `type` from the prefix data: false when it
/// must be walked instead (a piece with reloads from an incompatible type, or a reload that
/// the walk would drop: first, last or next to another one). On success sets reloads, time
/// (time windows: the whole route's segment) and excess[0..dims) (summed over the trips).
struct TripConcat {
    int reloads = 0;
    TimeSeg time;
};
bool concat_trips(const ProblemData& data, const std::vector<RouteState>& routes,
                  const std::vector<char>& compatible, int type, const Seg* s, int ns, bool time,
                  TripConcat& out, Load* excess);

}  // namespace lastmile
