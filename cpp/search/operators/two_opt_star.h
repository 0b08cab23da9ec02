// 2-opt*: exchange the tails of two routes after client u and its neighbour v (variant A), or
// join u's head with v's reversed head and the reversed tail of u with v's tail (variant B); also
// the tail exchange at the depot of v's route.
#pragma once
#include "search/operators/operator.h"

namespace lastmile {

class TwoOptStar final : public Operator {
  public:
    TwoOptStar() : Operator(kTwoOptStar) {}
    Scope scope() const override { return Scope::node; }
    bool node_move(SearchState& s, const NodePair& p) override;
    bool depot_move(SearchState& s, const NodePair& p) override;
};

}  // namespace lastmile
