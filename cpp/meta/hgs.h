// Hybrid genetic search (Vidal et al. 2012; Vidal 2022 "HGS-CVRP"), written from the papers:
// feasible and infeasible subpopulations, biased fitness (cost rank + diversity rank by
// broken-pairs distance), binary tournament, OX crossover on giant tours, Split, education by
// the granular local search, repair of infeasible offspring with 10x penalties, adaptive
// penalties targeting a fraction of feasible offspring, restarts after long stagnation.
#pragma once
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <vector>

#include "meta/solver.h"
#include "search/local_search.h"
#include "search/neighbours.h"
#include "search/rng.h"

namespace lastmile {

/// Per-constraint adaptive penalty weights (shared by HGS and SISR).
class PenaltyManager {
  public:
    PenaltyManager(const ProblemData& data, double target);
    const Penalties& penalties() const { return pen_; }
    /// Records the feasibility of one local-search output.
    void record(const std::vector<char>& load_ok, bool dur_ok, bool dist_ok, bool energy_ok = true);
    /// Adapts the weights from the recorded fractions (every 100 records); true when changed.
    bool update();
    Penalties boosted(double factor) const;

  private:
    Penalties pen_, lo_, hi_;
    double target_;
    std::vector<std::deque<char>> load_hist_;
    std::deque<char> dur_hist_, dist_hist_;
    std::deque<char> energy_hist_;  // battery feasibility (EV fleets only)
    int since_ = 0;
};

/// Cost and constraint excess of a set of routes (excess per load dimension, duration, distance).
struct RouteSetEval {
    Cost cost = 0;
    std::vector<double> excess_load;
    double excess_dur = 0, excess_dist = 0;
    bool feasible = true;
    std::vector<char> load_ok;
    bool dur_ok = true, dist_ok = true;
    double excess_energy = 0;  // kWh of peak route energy above battery - reserve (exact)
    bool energy_ok = true;
};
RouteSetEval evaluate_routes(const ProblemData& data, const std::vector<Route>& routes);
double penalised(const RouteSetEval& e, const Penalties& p);

class Hgs {
  public:
    Hgs(const ProblemData& data, const Neighbours& nb, const SolverParams& params,
        SearchControl& control, int thread, std::uint64_t seed);
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
    bool stop();
    void exchange();

    const ProblemData& data_;
    const SolverParams& params_;
    SearchControl& control_;
    int thread_;
    Rng rng_;
    LocalSearch ls_;
    PenaltyManager pm_;
    std::function<bool()> stop_fn_;
    Pop feas_, infeas_;
    Cost best_cost_ = 1e300;
    std::vector<Route> best_infeasible_;
    double best_infeasible_pcost_ = 1e300;
    std::int64_t iter_ = 0, last_improve_ = 0;
    bool stopped_ = false;
};

}  // namespace lastmile
