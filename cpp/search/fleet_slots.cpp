#include "search/fleet_slots.h"

#include <algorithm>

namespace lastmile {

FleetSlots::FleetSlots(const ProblemData& data) {
    const std::size_t nt = data.num_vehicle_types();
    limit_.resize(nt);
    created_.assign(nt, 0);
    empty_.resize(nt);
    for (std::size_t k = 0; k < nt; ++k) {
        limit_[k] = std::min<std::int64_t>(data.vehicle_type(k).num_available,
                                           static_cast<std::int64_t>(data.num_clients()));
        total_ += static_cast<std::size_t>(limit_[k]);
    }
}

int FleetSlots::find_empty(int type, const std::vector<RouteState>& routes) {
    auto& st = empty_[type];
    while (!st.empty()) {
        const int e = st.back();
        if (routes[e].size() == 0 && routes[e].type == type) return e;
        st.pop_back();
    }
    return -1;
}

void FleetSlots::created(int type, int r) {
    ++created_[type];
    empty_[type].push_back(r);
}

void FleetSlots::reset(const std::vector<RouteState>& routes) {
    for (auto& st : empty_) st.clear();
    for (std::size_t r = routes.size(); r-- > 0;)
        empty_[routes[r].type].push_back(static_cast<int>(r));
}

}  // namespace lastmile
