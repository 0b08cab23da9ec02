// Entry point of the routing engine: solve(data, params) -> SolveResult.
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/problem.h"
#include "core/solution.h"

namespace lastmile {

/// Tunable parameters (all have defaults; set by name from Python via set_param).
struct SolverParams {
    int granular = 30;                // neighbours per client in the local search
    int population_size = 25;         // HGS mu
    int generation_size = 40;         // HGS lambda
    int num_elite = 4;                // HGS elite individuals in the biased fitness
    int num_close = 5;                // HGS neighbours for the diversity contribution
    double target_feasible = 0.2;     // target fraction of feasible LS outputs
    double repair_probability = 0.5;  // probability to repair an infeasible offspring
    int restart_iterations = 20000;   // iterations without improvement before a restart
    int initial_population = 100;     // individuals generated at (re)start (4 * mu in HGS)
    double sisr_max_removed = 10.0;   // SISR: average removed customers c-bar
    double sisr_max_string = 10.0;    // SISR: maximum string length L-max
    double sisr_t0 = 1.0;             // SISR: initial temperature, in average arc costs
    double sisr_t1 = 0.01;            // SISR: final temperature, in average arc costs
    double sisr_cycle = 50.0;         // SISR: iterations of the first cooling cycle, per client
    double sisr_type_mix = 0.25;      // SISR: probability to open a random type (mixed fleet)
    int sisr_full_insert = 0;         // SISR: 1 = all positions of the neighbours' routes
    int exchange_iterations = 200;    // threads > 1: iterations between best-solution exchanges
    int algorithm = 0;                // 0 = auto, 1 = HGS, 2 = SISR
};

/// Names accepted by set_param (for validation messages).
std::vector<std::string> solver_param_names();
/// Sets a parameter by name; throws InputError for an unknown name or a bad value.
void set_param(SolverParams& p, const std::string& name, double value);

/// Called about every 100 ms from the main search thread; returns true to stop.
using StopHook = std::function<bool(double elapsed_s, Cost best)>;

struct SolveOptions {
    double time_limit = 10.0;  // seconds
    std::uint64_t seed = 1;
    std::optional<std::int64_t> max_iterations;  // total iterations (all threads)
    int threads = 1;
    StopHook hook;               // may be empty
    std::vector<Route> initial;  // may be empty
    SolverParams params;
};

struct SolveResult {
    std::optional<Solution> solution;  // best feasible solution
    Cost cost = 0;
    double runtime = 0;
    std::int64_t iterations = 0;
    std::vector<std::pair<double, Cost>> history;  // (seconds, best cost) on each improvement
    bool interrupted = false;                      // set by the caller's hook wrapper
    std::string algorithm;
};

/// Runs the metaheuristic. Throws InfeasibleError (naming the constraint) when no feasible
/// solution is found, InputError for bad options.
SolveResult solve(const ProblemData& data, const SolveOptions& options);

/// Shared stopping state: time limit, iteration budget, hook, cross-thread best exchange.
class SearchControl {
  public:
    SearchControl(const SolveOptions& opt);
    /// Cheap stop test (reads the clock); thread 0 also calls the hook every ~100 ms.
    bool should_stop(int thread);
    /// Counts one iteration; true when the iteration budget is exhausted.
    bool count_iteration();
    double elapsed() const;
    void report_best(int thread, const std::vector<Route>& routes, Cost cost);
    /// Routes of the best solution found by any thread if better than `mine`.
    bool fetch_better(Cost mine, std::vector<Route>& out) const;
    Cost best_cost() const { return best_cost_.load(); }
    std::int64_t iterations() const { return iterations_.load(); }
    /// Iteration budget per thread (0 when unlimited).
    std::int64_t max_iterations() const;
    void stop() { stop_.store(true); }

    std::vector<std::pair<double, Cost>> history;  // guarded by mutex_
    std::vector<Route> best_routes;                // guarded by mutex_

  private:
    const SolveOptions& opt_;
    std::chrono::steady_clock::time_point start_;
    double last_hook_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<std::int64_t> iterations_{0};
    std::atomic<Cost> best_cost_;
    mutable std::mutex mutex_;
};

}  // namespace lastmile
