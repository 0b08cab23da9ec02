// Weighted arc costs of the local search as a dense matrix per distinct cost weighting of the
// vehicle types: the move bounds (NodePair::w) and SWAP*'s insertion costs then read one double
// instead of a distance lookup, a duration lookup and two multiplications. Each entry is exactly
// arc_cost() (search/penalties.h), so results do not change. Built only when the matrices fit in
// kMaxEntries doubles; otherwise the callers fall back to arc_cost().
#pragma once
#include <cstddef>
#include <vector>

#include "core/problem.h"

namespace lastmile {

class ArcTable {
  public:
    /// Largest number of matrix entries over all distinct weightings (8 bytes each: 20 MiB).
    static constexpr std::size_t kMaxEntries = std::size_t{2500000};

    explicit ArcTable(const ProblemData& data);
    /// Row-major n x n matrix of type t's arc costs, or null when not built.
    const double* matrix(int t) const { return of_type_.empty() ? nullptr : of_type_[t]; }
    std::size_t stride() const { return n_; }

  private:
    std::size_t n_ = 0;
    std::vector<std::vector<double>> mats_;
    std::vector<const double*> of_type_;  // per vehicle type
};

}  // namespace lastmile
