// The battery part of evaluating a Solution: per route the exact energy walk (EvRouting), the
// route's energy figures (energy_kwh, min_charge_kwh) and the battery violation. The core Solution
// knows nothing of energy; this check is composed in through its RouteCheck hook.
#pragma once
#include <cstddef>
#include <memory>
#include <vector>

#include "core/problem.h"
#include "core/solution.h"
#include "energy/ev_routing.h"

namespace lastmile {

class BatteryCheck final : public RouteCheck {
  public:
    explicit BatteryCheck(const ProblemData& data,
                          std::shared_ptr<const EvArcCache> cache = nullptr);
    void check(std::size_t index, Route& route, std::vector<Violation>& out) const override;

  private:
    const ProblemData& data_;
    EvRouting ev_;
};

/// The Solution of `routes` with every constraint evaluated, the battery included (the one way
/// the layers above the core build a Solution).
Solution evaluate_solution(const ProblemData& data, std::vector<Route> routes);

}  // namespace lastmile
