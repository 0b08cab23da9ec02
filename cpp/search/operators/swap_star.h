// SWAP* (Vidal 2022): exchange a client u of route r1 with a client v of route r2, each inserted
// at its best position in the other route (not necessarily in place of the other), for routes
// whose polar sectors overlap. The three best insertion positions of a client into a route are
// cached while the route is unchanged.
#pragma once
#include <cstdint>
#include <vector>

#include "search/operators/operator.h"

namespace lastmile {

class SwapStar final : public Operator {
  public:
    SwapStar() : Operator(kSwapStar) {}
    Scope scope() const override { return Scope::route_pair; }
    bool route_pair_move(SearchState& s, int r1, int r2) override;
    /// The arc costs to read (null or not built: arc_cost()); must outlive the operator.
    void set_arc_table(const ArcTable* t) { arcs_ = t; }

    /// The three cheapest insertion positions (cost, position q: between q and q + 1).
    struct Best3 {
        double cost[3];
        int pos[3];
        void reset();
        void add(double c, int p);
    };
    /// Memory budget of the insertion cache.
    static constexpr std::size_t kCacheBytes = std::size_t{64} << 20;

  private:
    const Best3* best_insertions(const SearchState& s, int u, int r, Best3& scratch);

    struct CachedBest3 {
        Best3 b;
        std::int64_t version = -1;
    };
    std::vector<std::vector<CachedBest3>> cache_;  // per route, per node (allocated on use)
    std::size_t cache_bytes_ = 0;
    const ArcTable* arcs_ = nullptr;
    std::vector<Best3> ins12_, ins21_;
    std::vector<const Best3*> ptr12_, ptr21_;
    std::vector<double> rem1_, rem2_;
    std::vector<std::int32_t> buf_a_, buf_b_;
    std::vector<Load> pa_, pb_;  // pickup totals per dimension (instances with pickups)
};

}  // namespace lastmile
