// A constraint violation as structured data: what failed, where, the measured value and the limit
// (internal units), and the engine's message. Solution reports them; InfeasibleError carries them;
// the Python layer rewrites the numbers in the user's units (lastmile_core.units).
#pragma once
#include <cstdint>
#include <string>

namespace lastmile {

enum class ViolationKind : int {
    capacity = 0,        ///< route load above the type's capacity in `dimension`
    duration = 1,        ///< route duration above max_duration
    distance = 2,        ///< route distance above max_distance
    energy = 3,          ///< route peak energy (kWh) above battery - reserve (kWh)
    fleet = 4,           ///< more routes of `vehicle_type` than vehicles (value / limit: counts)
    missing = 5,         ///< `client` is not visited
    duplicate = 6,       ///< `client` is visited `value` times
    fleet_capacity = 7,  ///< total demand in `dimension` above what the whole fleet carries
    energy_reach = 8,    ///< `client` needs `value` kWh alone, more than the best `limit` kWh
    time_window = 9,     ///< `client` reached at time `value`, after its window closes (`limit`)
    release = 10,        ///< `client` released at `value`, after the route's latest departure
    shift_end = 11,      ///< the route returns at time `value`, after the depot/shift end `limit`
    pickup_load = 12,    ///< load `value` after picking up at `client` above capacity `limit`
    reload = 13,  ///< reload at depot `value` the type may not use (limit -1), or `value` reloads
                  ///< above max_reloads `limit`
    brk = 14,     ///< "break": the route's break starts at `value`, after its window closes
                  ///< (`limit`), or it cannot be placed without running late elsewhere
};

/// The name of a kind ("capacity", "duration", ..., "energy_reach").
inline const char* violation_kind_name(ViolationKind k) {
    switch (k) {
        case ViolationKind::capacity:
            return "capacity";
        case ViolationKind::duration:
            return "duration";
        case ViolationKind::distance:
            return "distance";
        case ViolationKind::energy:
            return "energy";
        case ViolationKind::fleet:
            return "fleet";
        case ViolationKind::missing:
            return "missing";
        case ViolationKind::duplicate:
            return "duplicate";
        case ViolationKind::fleet_capacity:
            return "fleet_capacity";
        case ViolationKind::energy_reach:
            return "energy_reach";
        case ViolationKind::time_window:
            return "time_window";
        case ViolationKind::release:
            return "release";
        case ViolationKind::shift_end:
            return "shift_end";
        case ViolationKind::pickup_load:
            return "pickup_load";
        case ViolationKind::reload:
            return "reload";
        case ViolationKind::brk:
            return "break";
    }
    return "?";
}

struct Violation {
    ViolationKind kind = ViolationKind::capacity;
    std::int64_t route = -1;         ///< route index (-1: not about one route)
    std::int64_t vehicle_type = -1;  ///< vehicle type (-1: none)
    std::int64_t client = -1;        ///< client node index (-1: none)
    std::int64_t dimension = -1;     ///< demand dimension (-1: none)
    double value = 0.0;   ///< measured: load, duration, distance, time (internal units), kWh, count
    double limit = 0.0;   ///< the limit it exceeds, in the same unit
    std::string message;  ///< the engine's text (internal units)
};

}  // namespace lastmile
