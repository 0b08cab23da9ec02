// The best solution found by any search thread: reported by each thread on improvement, fetched
// by the others every few iterations (threads > 1), and the solve's history and result.
#pragma once
#include <atomic>
#include <cstdint>
#include <mutex>
#include <utility>
#include <vector>

#include "core/solution.h"
#include "meta/deadline.h"

namespace lastmile {

class BestExchange {
  public:
    explicit BestExchange(const Deadline& deadline) : deadline_(deadline), best_cost_(1e300) {}
    /// Keeps `routes` when cheaper than the best so far (and records the improvement time).
    void report(const std::vector<Route>& routes, Cost cost);
    /// Routes of the best solution found by any thread if better than `mine`.
    bool fetch_better(Cost mine, std::vector<Route>& out) const;
    Cost best_cost() const { return best_cost_.load(); }
    const std::atomic<Cost>* best_cost_ptr() const { return &best_cost_; }
    /// After the threads joined: (seconds, best cost) on each improvement, and the best routes.
    const std::vector<std::pair<double, Cost>>& history() const { return history_; }
    const std::vector<Route>& best_routes() const { return best_routes_; }
    /// threads > 1: thread `thread` publishes (a copy of) its own best, the donor of the other
    /// threads' route injections (see Sisr::inject_routes).
    void publish(int thread, const std::vector<Route>& routes, Cost cost);
    /// The cheapest best published by a thread other than `thread`, copied to `out` when it is
    /// not the one `seen` names (then `seen` names it); false when there is nothing new.
    bool fetch_other(int thread, std::pair<int, std::uint64_t>& seen,
                     std::vector<Route>& out) const;

  private:
    const Deadline& deadline_;
    std::vector<std::pair<double, Cost>> history_;  // guarded by mutex_
    std::vector<Route> best_routes_;                // guarded by mutex_
    struct Published {
        std::vector<Route> routes;
        Cost cost = 1e300;
        std::uint64_t version = 0;  // publications so far
    };
    std::vector<Published> published_;  // per thread; guarded by mutex_
    std::atomic<Cost> best_cost_;
    mutable std::mutex mutex_;
};

/// True on every `every`-th iteration (it > 0) when exchanging is on (every > 0).
inline bool exchange_due(std::int64_t it, std::int64_t every) {
    return every > 0 && it > 0 && it % every == 0;
}

}  // namespace lastmile
