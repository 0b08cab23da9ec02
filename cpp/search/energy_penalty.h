// Battery penalty of the local search: per-route energy prefix data, the O(1)-per-segment
// screening penalty (route total, a lower bound of the exact one) and the exact penalty from the
// minimum-charge walk (energy/ev_routing.h).
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "core/problem.h"
#include "energy/ev_routing.h"
#include "search/route_state.h"

namespace lastmile {

class EnergyPenalty {
  public:
    /// `cache`: the shared coefficient table of `data` (null: closed form + recent arcs).
    explicit EnergyPenalty(const ProblemData& data,
                           std::shared_ptr<const EvArcCache> cache = nullptr);
    /// False when no vehicle type has a battery constraint (every call below is then a no-op).
    bool active() const { return ev_.active(); }
    const EvRouting& routing() const { return ev_; }

    /// Fills R.evp (every energy class) and R.eexcess (exact, R's own type).
    void rebuild(RouteState& R) const;
    /// Weighted penalty of the concatenation for `type` from the segment totals.
    double screen(int type, const std::vector<RouteState>& routes, const Seg* s, int ns,
                  double weight) const;
    /// Exact weighted penalty of a node sequence depot ... depot (O(length)).
    double exact(int type, const std::vector<std::int32_t>& nodes, double weight) const;

  private:
    EvRouting ev_;
};

}  // namespace lastmile
