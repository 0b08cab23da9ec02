// Change type: move the whole content of a route to an empty vehicle of another type (the only
// way a route changes type, so fleet counts hold structurally).
#pragma once
#include "search/operators/operator.h"

namespace lastmile {

class ChangeType final : public Operator {
  public:
    ChangeType() : Operator(kChangeType) {}
    Scope scope() const override { return Scope::route; }
    bool route_move(SearchState& s, int r) override;
};

}  // namespace lastmile
