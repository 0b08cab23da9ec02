// Solution's pickup-load check (the load profile of a route with deliveries and pickups).
#include <sstream>

#include "core/route_load.h"

namespace lastmile {

void pickup_load_route(const ProblemData& data, std::size_t r, const Route& route,
                       std::vector<Violation>& out) {
    if (route.visits.empty()) return;
    const auto& vt = data.vehicle_type(static_cast<std::size_t>(route.vehicle_type));
    std::vector<Load> peak(data.num_dims());
    visits_peak(data, route.visits, peak.data());
    for (std::size_t d = 0; d < data.num_dims(); ++d) {
        if (peak[d] <= vt.capacity[d] || route.load[d] > vt.capacity[d]) continue;
        const std::int64_t at = peak_position(data, route.visits, d);
        const std::int32_t client = route.visits[static_cast<std::size_t>(at < 0 ? 0 : at)];
        std::ostringstream os;
        os << "route " << r << ": load " << peak[d] << " after the pickup at client " << client
           << " exceeds capacity " << vt.capacity[d] << " in dimension " << d;
        Violation v;
        v.kind = ViolationKind::pickup_load;
        v.route = static_cast<std::int64_t>(r);
        v.vehicle_type = route.vehicle_type;
        v.client = client;
        v.dimension = static_cast<std::int64_t>(d);
        v.value = static_cast<double>(peak[d]);
        v.limit = static_cast<double>(vt.capacity[d]);
        v.message = os.str();
        out.push_back(std::move(v));
    }
}

}  // namespace lastmile
