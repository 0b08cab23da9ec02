// Solution's checks of routes with reload visits (core/route_reload.h).
#include <sstream>

#include "core/route_load.h"
#include "core/route_reload.h"

namespace lastmile {

std::vector<Duration> trip_releases(const ProblemData& data,
                                    const std::vector<std::int32_t>& visits) {
    std::vector<Duration> out(visits.size(), 0);
    Duration latest = 0;  // latest release of the clients after the current position
    for (std::size_t p = visits.size(); p-- > 0;) {
        const auto c = static_cast<std::size_t>(visits[p]);
        if (data.is_depot(c)) {
            out[p] = latest;
            latest = 0;
        } else {
            latest = std::max(latest, data.release(c));
        }
    }
    return out;
}

namespace {

/// Capacity of one trip (visits[from, to), clients only).
void trip_load(const ProblemData& data, std::size_t r, const Route& route, std::size_t trip,
               std::size_t from, std::size_t to, std::vector<Violation>& out) {
    const auto& vt = data.vehicle_type(static_cast<std::size_t>(route.vehicle_type));
    const std::vector<std::int32_t> clients(
        route.visits.begin() + static_cast<std::ptrdiff_t>(from),
        route.visits.begin() + static_cast<std::ptrdiff_t>(to));
    std::vector<Load> peak(data.num_dims());
    visits_peak(data, clients, peak.data());
    for (std::size_t d = 0; d < data.num_dims(); ++d) {
        Load total = 0;
        for (auto c : clients) total += data.demand(static_cast<std::size_t>(c), d);
        if (peak[d] <= vt.capacity[d]) continue;
        std::ostringstream os;
        const bool delivery = total > vt.capacity[d];
        os << "route " << r << ": trip " << trip << ": load " << (delivery ? total : peak[d])
           << (delivery ? "" : " after a pickup") << " exceeds capacity " << vt.capacity[d]
           << " in dimension " << d;
        out.push_back(
            route_violation(delivery ? ViolationKind::capacity : ViolationKind::pickup_load, r,
                            route.vehicle_type, static_cast<double>(delivery ? total : peak[d]),
                            static_cast<double>(vt.capacity[d]), os.str()));
        out.back().dimension = static_cast<std::int64_t>(d);
        if (!delivery) {
            const std::int64_t at = peak_position(data, clients, d);
            out.back().client = clients[static_cast<std::size_t>(at < 0 ? 0 : at)];
        }
    }
}

}  // namespace

void reload_route(const ProblemData& data, std::size_t r, const Route& route,
                  std::vector<Violation>& out) {
    const auto& vt = data.vehicle_type(static_cast<std::size_t>(route.vehicle_type));
    std::int64_t reloads = 0;
    std::size_t from = 0, trip = 0;
    for (std::size_t p = 0; p <= route.visits.size(); ++p) {
        const bool end = p == route.visits.size();
        const auto c = end ? 0 : static_cast<std::size_t>(route.visits[p]);
        if (!end && !data.is_depot(c)) continue;
        trip_load(data, r, route, trip++, from, p, out);
        from = p + 1;
        if (end) break;
        ++reloads;
        const std::size_t depot = data.depot_of_node(c);
        if (!vt.can_reload(depot)) {
            std::ostringstream os;
            os << "route " << r << ": reload at depot " << depot << " (node " << c
               << "), where vehicle type " << route.vehicle_type << " may not reload";
            out.push_back(route_violation(ViolationKind::reload, r, route.vehicle_type,
                                          static_cast<double>(depot), -1.0, os.str()));
        }
    }
    if (reloads > vt.max_reloads) {
        std::ostringstream os;
        os << "route " << r << ": " << reloads << " reloads exceed max_reloads " << vt.max_reloads;
        out.push_back(route_violation(ViolationKind::reload, r, route.vehicle_type,
                                      static_cast<double>(reloads),
                                      static_cast<double>(vt.max_reloads), os.str()));
    }
}

}  // namespace lastmile
