#include "energy/battery_check.h"

#include <sstream>

namespace lastmile {

BatteryCheck::BatteryCheck(const ProblemData& data, std::shared_ptr<const EvArcCache> cache)
    : data_(data), ev_(data, std::move(cache)) {}

void BatteryCheck::check(std::size_t index, Route& route, std::vector<Violation>& out) const {
    const int c = ev_.cls(route.vehicle_type);
    if (c < 0 || route.visits.empty()) return;
    const auto& e = data_.vehicle_type(static_cast<std::size_t>(route.vehicle_type)).energy;
    double total, peak;
    ev_.visits_energy(c, route.visits, total, peak);
    route.energy_kwh = total;
    route.min_charge_kwh = e.battery_kwh - peak;
    const double usable = e.battery_kwh - e.reserve_kwh;
    if (peak > usable) {
        std::ostringstream os;
        os << "route " << index << ": energy " << peak << " kWh exceeds battery - reserve "
           << usable << " kWh (battery " << e.battery_kwh << ", reserve " << e.reserve_kwh << ")";
        Violation v;
        v.kind = ViolationKind::energy;
        v.route = static_cast<std::int64_t>(index);
        v.vehicle_type = route.vehicle_type;
        v.value = peak;
        v.limit = usable;
        v.message = os.str();
        out.push_back(std::move(v));
    }
}

Solution evaluate_solution(const ProblemData& data, std::vector<Route> routes) {
    if (!data.has_battery_constraint()) return Solution(data, std::move(routes));
    const BatteryCheck battery(data);
    return Solution(data, std::move(routes), &battery);
}

}  // namespace lastmile
