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

}  // namespace lastmile
