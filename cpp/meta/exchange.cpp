#include "meta/exchange.h"

namespace lastmile {

void BestExchange::report(const std::vector<Route>& routes, Cost cost) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (cost >= best_cost_.load() - 1e-9) return;
    best_cost_.store(cost);
    best_routes_ = routes;
    history_.emplace_back(deadline_.elapsed(), cost);
}

bool BestExchange::fetch_better(Cost mine, std::vector<Route>& out) const {
    if (best_cost_.load() >= mine - 1e-9) return false;
    std::lock_guard<std::mutex> lock(mutex_);
    if (best_cost_.load() >= mine - 1e-9) return false;
    out = best_routes_;
    return true;
}

void BestExchange::publish(int thread, const std::vector<Route>& routes, Cost cost) {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto t = static_cast<std::size_t>(thread);
    if (published_.size() <= t) published_.resize(t + 1);
    published_[t].routes = routes;
    published_[t].cost = cost;
    ++published_[t].version;
}

bool BestExchange::fetch_other(int thread, std::pair<int, std::uint64_t>& seen,
                               std::vector<Route>& out) const {
    std::lock_guard<std::mutex> lock(mutex_);
    int pick = -1;
    for (int t = 0; t < static_cast<int>(published_.size()); ++t)
        if (t != thread && published_[static_cast<std::size_t>(t)].version > 0 &&
            (pick < 0 || published_[static_cast<std::size_t>(t)].cost <
                             published_[static_cast<std::size_t>(pick)].cost))
            pick = t;
    if (pick < 0) return false;
    const auto& p = published_[static_cast<std::size_t>(pick)];
    if (seen.first == pick && seen.second == p.version) return false;
    seen = {pick, p.version};
    out = p.routes;
    return true;
}

}  // namespace lastmile
