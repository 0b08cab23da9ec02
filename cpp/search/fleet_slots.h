// Fleet counts enforced structurally: at most min(num_available, clients) route slots per vehicle
// type, created lazily; a stack of (possibly stale) empty slots per type.
#pragma once
#include <cstdint>
#include <vector>

#include "core/problem.h"
#include "search/route_state.h"

namespace lastmile {

class FleetSlots {
  public:
    explicit FleetSlots(const ProblemData& data);
    std::size_t num_types() const { return limit_.size(); }
    /// Upper bound on the number of route slots over all types.
    std::size_t total_slots() const { return total_; }
    /// An existing empty route of this type, or -1 (the stack is validated lazily).
    int find_empty(int type, const std::vector<RouteState>& routes);
    bool can_create(int type) const { return created_[type] < limit_[type]; }
    /// Records a slot just created for `type` (it is empty).
    void created(int type, int r);
    /// Records that route r of `type` became empty.
    void released(int type, int r) { empty_[type].push_back(r); }
    /// Every existing route is empty again (after a reload).
    void reset(const std::vector<RouteState>& routes);

  private:
    std::vector<std::int64_t> limit_;      // per type
    std::vector<std::int64_t> created_;    // per type
    std::vector<std::vector<int>> empty_;  // per type, lazily validated
    std::size_t total_ = 0;
};

}  // namespace lastmile
