// Entry point of the routing engine: solve(data, params) -> SolveResult.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/problem.h"
#include "core/solution.h"
#include "meta/deadline.h"
#include "meta/params.h"

namespace lastmile {

struct SolveOptions {
    double time_limit = 10.0;  // seconds
    std::uint64_t seed = 1;
    std::optional<std::int64_t> max_iterations;  // total iterations (all threads)
    int threads = 1;
    StopHook hook;               // may be empty (see meta/deadline.h)
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

}  // namespace lastmile
