// Relocate: move a segment of L consecutive clients (L = 1, 2, 3; both orientations for L > 1)
// after a neighbour, after the depot, or into an empty route. Intra-route relocation of 2 or 3
// clients is or-opt.
#pragma once
#include <cstdint>

#include "search/operators/operator.h"

namespace lastmile {

class Relocate final : public Operator {
  public:
    /// length 1, 2 or 3 (operators relocate1, relocate2, relocate3).
    explicit Relocate(int length);
    Scope scope() const override { return Scope::node; }
    bool node_move(SearchState& s, const NodePair& p) override;
    bool depot_move(SearchState& s, const NodePair& p) override;
    bool uses_empty_routes() const override { return len_ <= 2; }
    bool empty_route_move(SearchState& s, int u, int e) override;

  private:
    /// Segment [pu, pu + L - 1] of u's route after position q of v's route.
    bool after(SearchState& s, const NodePair& p, int q, bool rev);
    /// Weighted arc change of taking the segment out of u's route (arc bound part).
    double removal(const SearchState& s, const NodePair& p);
    int len_;
    int rm_u_ = -1;  // removal() cache: client, route version, value
    std::int64_t rm_version_ = -1;
    double rm_ = 0;
};

}  // namespace lastmile
