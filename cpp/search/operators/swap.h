// Swap: exchange a segment of Lu consecutive clients starting at u with one of Lv clients
// starting at its neighbour v (operators swap11, swap21, swap22), within or between routes.
#pragma once
#include "search/operators/operator.h"

namespace lastmile {

class Swap final : public Operator {
  public:
    /// (1, 1), (2, 1) or (2, 2).
    Swap(int len_u, int len_v);
    Scope scope() const override { return Scope::node; }
    bool node_move(SearchState& s, const NodePair& p) override;

  private:
    int lu_, lv_;
};

}  // namespace lastmile
