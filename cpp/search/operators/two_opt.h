// 2-opt: reverse the part of a route between client u and its neighbour v (same route), or
// between the depot and u.
#pragma once
#include "search/operators/operator.h"

namespace lastmile {

class TwoOpt final : public Operator {
  public:
    TwoOpt() : Operator(kTwoOpt) {}
    Scope scope() const override { return Scope::node; }
    bool node_move(SearchState& s, const NodePair& p) override;
    bool depot_move(SearchState& s, const NodePair& p) override;
};

}  // namespace lastmile
