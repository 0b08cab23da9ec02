// Adaptive penalty weights for the relaxed constraints (load per dimension, duration, distance,
// battery energy), shared by HGS and SISR. Each constraint keeps the feasibility of the last
// `window` local-search outputs; every `update_every` records its weight grows while the feasible
// share is below target - tolerance and shrinks while it is above target + tolerance, within
// [min_factor, max_factor] x its initial value (Vidal 2022, HGS-CVRP).
#pragma once
#include <deque>
#include <vector>

#include "core/problem.h"
#include "meta/params.h"
#include "search/local_search.h"

namespace lastmile {

/// Constants of the penalty update rule (defaults as in HGS-CVRP).
struct PenaltyParams {
    double target_feasible = 0.2;  // target share of feasible local-search outputs
    double tolerance = 0.05;       // no change while the share is within target +- tolerance
    double increase = 1.2;         // weight factor when too few outputs are feasible
    double decrease = 0.85;        // weight factor when too many outputs are feasible
    int window = 100;              // outputs remembered per constraint
    int update_every = 100;        // records between two updates
    double min_factor = 1e-3;      // lower bound, relative to the initial weight
    double max_factor = 1e4;       // upper bound, relative to the initial weight
};

/// The penalty rule of a solve: the defaults with the solver's target_feasible.
PenaltyParams penalty_params(const SolverParams& p);

/// Per-constraint adaptive penalty weights.
class PenaltyManager {
  public:
    /// Initial weights from the instance: about the cost of the longest depot arc per unit of
    /// the largest demand (load), per average depot-arc duration/length (duration, distance)
    /// and per average depot-arc energy (battery, EV fleets only).
    PenaltyManager(const ProblemData& data, const PenaltyParams& params);
    const Penalties& penalties() const { return pen_; }
    const Penalties& lower_bounds() const { return lo_; }
    const Penalties& upper_bounds() const { return hi_; }
    /// Records the feasibility of one local-search output.
    void record(const std::vector<char>& load_ok, bool dur_ok, bool dist_ok, bool energy_ok = true,
                bool warp_ok = true);
    /// Adapts the weights from the recorded shares (every update_every records); true when done.
    bool update();
    /// The current weights times `factor` (repair, feasible start).
    Penalties boosted(double factor) const;

  private:
    PenaltyParams params_;
    Penalties pen_, lo_, hi_;
    std::vector<std::deque<char>> load_hist_;
    std::deque<char> dur_hist_, dist_hist_;
    std::deque<char> energy_hist_;  // battery feasibility (EV fleets only)
    std::deque<char> warp_hist_;    // time-window feasibility (time windows only)
    int since_ = 0;
};

}  // namespace lastmile
