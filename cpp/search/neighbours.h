// Granular neighbour lists: for every client, its k nearest other clients (O(n*k) memory).
#pragma once
#include <cstdint>
#include <vector>

#include "core/problem.h"

namespace lastmile {

/// Flat k-nearest-neighbour lists over clients (the depot has an empty list). Built from the
/// dense matrix when the instance is dense (O(n^2) time, O(n*k) memory), otherwise with a uniform
/// grid over the coordinates (O(n*k) time and memory) and ranked by the true edge distance.
class Neighbours {
  public:
    Neighbours() = default;
    Neighbours(const ProblemData& data, int k);
    int k() const { return k_; }
    std::size_t size() const { return n_; }
    const std::int32_t* begin(std::size_t i) const { return ids_.data() + i * k_; }
    const std::int32_t* end(std::size_t i) const { return ids_.data() + i * k_ + count_[i]; }
    int count(std::size_t i) const { return count_[i]; }
    /// dist(i, j) and dist(j, i) of the neighbours j of i, in list order (the insertion
    /// heuristics read them instead of recomputing an edge per candidate position).
    const Distance* dist_to(std::size_t i) const { return to_.data() + i * k_; }
    const Distance* dist_from(std::size_t i) const { return from_.data() + i * k_; }

  private:
    int k_ = 0;
    std::size_t n_ = 0;
    std::vector<std::int32_t> ids_;    // n * k, row i = neighbours of node i, nearest first
    std::vector<std::int32_t> count_;  // valid entries per row (k or fewer for tiny instances)
    std::vector<Distance> to_, from_;  // n * k: dist(i, ids_[i][t]) and dist(ids_[i][t], i)
};

}  // namespace lastmile
