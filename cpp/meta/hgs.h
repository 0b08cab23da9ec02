// Hybrid genetic search (Vidal et al. 2012; Vidal 2022 "HGS-CVRP"), written from the papers:
// feasible and infeasible subpopulations, biased fitness (cost rank + diversity rank by
// broken-pairs distance), binary tournament, OX crossover on giant tours, Split, education by
// the granular local search, repair of infeasible offspring with boosted penalties (repair_boost,
// 10x), adaptive penalties targeting a fraction of feasible offspring (meta/penalty.h), restarts
// after long stagnation.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "meta/deadline.h"
#include "meta/exchange.h"
#include "meta/params.h"
#include "meta/penalty.h"
#include "meta/route_eval.h"
#include "search/local_search.h"
#include "search/neighbours.h"
#include "search/rng.h"

namespace lastmile {

class Hgs {
  public:
    Hgs(const ProblemData& data, const Neighbours& nb, const SolverParams& params,
        Deadline& deadline, BestExchange& best, int thread, std::uint64_t seed,
        std::shared_ptr<const EvArcCache> ev_cache = nullptr);
    void run(const std::vector<Route>& initial);
    /// Routes of the least-penalised infeasible individual seen (to explain infeasibility).
    const std::vector<Route>& best_infeasible() const { return best_infeasible_; }

  private:
    struct Indiv {
        std::vector<Route> routes;
        std::vector<std::int32_t> giant, succ, pred;
        RouteSetEval ev;
        double pcost = 0;  // penalised cost under the current weights (= cost when feasible)
        std::vector<std::pair<double, Indiv*>> prox;  // broken-pairs distance to others, sorted
        double fit = 0;
    };
    using Pop = std::vector<std::unique_ptr<Indiv>>;

    std::unique_ptr<Indiv> make(std::vector<Route> routes);
    std::unique_ptr<Indiv> educate(std::vector<Route> routes, bool allow_repair,
                                   std::unique_ptr<Indiv>* repaired);
    void add(std::unique_ptr<Indiv> ind);
    void remove_worst(Pop& pop);
    void update_fitness(Pop& pop);
    double distance(const Indiv& a, const Indiv& b) const;
    Indiv* tournament();
    std::vector<std::int32_t> crossover(const Indiv& a, const Indiv& b);
    bool initial_population(const std::vector<Route>& initial, bool first);
    bool stop() { return stop_.check(); }
    void exchange();

    const ProblemData& data_;
    const SolverParams& params_;
    BestExchange& best_;
    ThreadStop stop_;
    Rng rng_;
    std::unique_ptr<LocalSearch> ls_;
    PenaltyManager pm_;
    Pop feas_, infeas_;
    Cost best_cost_ = 1e300;
    std::vector<Route> best_infeasible_;
    double best_infeasible_pcost_ = 1e300;
    std::int64_t iter_ = 0, last_improve_ = 0;
};

}  // namespace lastmile
