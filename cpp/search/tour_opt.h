// Local search on one closed tour (the depot and the clients of one route), for single-vehicle
// problems (a TSP, one van per zone): 2-opt, Or-opt (a string of 1-3 clients, by default, moved
// next to one of its near neighbours, in either orientation) and two perturbations for an iterated
// local search (see meta/tsp_ils.h): a local double bridge (two adjacent strings swapped) and a
// small ruin-and-recreate (a client and its near neighbours removed, reinserted greedily).
//
// The tour is an array with prefix sums of the forward and backward arc costs, so every move is
// evaluated in O(1), also on asymmetric matrices (a reversed string costs B[j] - B[i]); an applied
// move costs O(route length). Arc cost = the vehicle type's variable cost of (distance, duration);
// the service times and the fixed cost do not depend on the order and are left out.
#pragma once
#include <algorithm>
#include <cstdint>
#include <functional>
#include <vector>

#include "core/problem.h"
#include "search/neighbours.h"
#include "search/rng.h"

namespace lastmile {

class TourOpt {
  public:
    /// `visits`: the route's clients in order (global node ids), `type`: its vehicle type.
    TourOpt(const ProblemData& data, const Neighbours& nb, int type,
            const std::vector<std::int32_t>& visits);
    /// Sum of the tour's arc costs (variable cost, without service times and fixed cost).
    double cost() const { return f_[m_ + 1]; }
    /// The clients in tour order (global node ids).
    std::vector<std::int32_t> visits() const;
    /// Replaces the order (the same clients, any order; global ids).
    void set_visits(const std::vector<std::int32_t>& visits);
    /// Saves / restores the order (array copies, no arc cost recomputed).
    void save() {
        saved_ = t_;
        saved_f_ = f_;
        saved_b_ = b_;
    }
    void restore();
    /// Queues every client for the local search.
    void queue_all();
    /// 2-opt and Or-opt moves from the queued clients until none improves; `stop` (may be null)
    /// is polled every few clients. Returns false when stopped.
    bool improve(const std::function<bool()>* stop);
    /// Swaps two adjacent strings of 1..max_len clients at a random place (queues their ends).
    void double_bridge(Rng& rng, int max_len);
    /// Removes a random client and up to `count - 1` of its nearest neighbours and reinserts them
    /// one by one, in random order, at the cheapest place next to one of their neighbours.
    void ruin_recreate(Rng& rng, int count);
    int size() const { return m_; }
    /// Longest string the Or-opt moves (default 3).
    void set_max_string(int len) { max_len_ = std::max(1, len); }

  private:
    double c(int a, int b) const {  // arc cost between local ids (0 = depot)
        return mat_.empty() ? arc(a, b) : mat_[static_cast<std::size_t>(a) * (m_ + 1) + b];
    }
    double arc(int a, int b) const;
    /// pos_, f_, b_ after a change of the positions from..to (the arcs into them included).
    void rebuild(int from, int to = 1 << 30);
    void push(int u);  // queue local client u (not the depot)
    void clear_queue();
    bool try_node(int u);
    void apply_two_opt(int x, int y);
    void apply_or_opt(int s, int e, int p, bool rev);
    void insert_best(int u);  // u not in t_: cheapest place next to a neighbour (or anywhere)

    const ProblemData& data_;
    const VehicleType& type_;
    int m_ = 0;                         // clients
    std::vector<std::int32_t> global_;  // local id -> global node id (0 = depot)
    std::vector<double> mat_;           // (m+1)^2 arc costs when small enough, else empty
    std::vector<std::int32_t> nb_;      // local neighbours, kn_ per client (row of local id)
    std::vector<std::int32_t> nb_cnt_;  // valid entries per row
    int kn_ = 0;
    int max_len_ = 3;
    std::vector<std::int32_t> t_;    // tour: t_[0] = t_[m+1] = 0 (depot), local ids
    std::vector<std::int32_t> pos_;  // local id -> position (depot: 0)
    std::vector<double> f_, b_;      // f_[k]: forward cost of t_[0..k], b_: backward
    std::vector<std::int32_t> saved_;
    std::vector<double> saved_f_, saved_b_;
    std::vector<std::int32_t> queue_;  // FIFO ring of local clients
    std::vector<char> queued_;
    std::size_t qhead_ = 0, qsize_ = 0;
    std::vector<std::int32_t> work_;  // scratch tour
};

}  // namespace lastmile
