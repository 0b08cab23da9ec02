// Operator reload (multi-trip routes, types with reload depots): on one route, drops the reload
// visit whose removal lowers the penalised cost most (an empty trip, or two trips whose merge
// fits), else, when a trip is over capacity, inserts a reload visit at the depot and position
// (between two clients) that lowers it most. Every candidate is priced exactly by a walk over the
// route (SearchState::sequence_cost): O(route length^2 * reload depots) per overloaded route.
#pragma once
#include <cstdint>
#include <vector>

#include "search/operators/operator.h"

namespace lastmile {

class ReloadOp : public Operator {
  public:
    ReloadOp() : Operator(kReload) {}
    Scope scope() const override { return Scope::route; }
    bool route_move(SearchState& s, int r) override;

  private:
    std::vector<std::int32_t> buf_, best_;
};

}  // namespace lastmile
