// When a search stops: wall-clock time limit, iteration budget (counted over all threads), the
// caller's hook (Python callback and Ctrl-C, polled from thread 0) and a shared stop flag.
// `ThreadStop` is one thread's latched view of it, shared by HGS, SISR and their local search.
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>

#include "core/types.h"

namespace lastmile {

/// Called about every hook_interval seconds from the main search thread; returns true to stop.
using StopHook = std::function<bool(double elapsed_s, Cost best)>;

/// Shared by all search threads.
class Deadline {
  public:
    /// hook_interval: seconds between two hook calls (0.1 s: Ctrl-C answers at once, the
    /// Python callback costs nothing measurable).
    Deadline(double time_limit, std::optional<std::int64_t> max_iterations, int threads,
             StopHook hook, double hook_interval = 0.1);
    /// The best cost passed to the hook (until set, the hook gets 1e300).
    void watch_best(const std::atomic<Cost>* best) { best_ = best; }
    /// Cheap stop test (reads the clock); thread 0 also calls the hook every hook_interval s.
    bool should_stop(int thread);
    /// Counts one iteration; true when the iteration budget is exhausted.
    bool count_iteration();
    double elapsed() const;
    std::int64_t iterations() const { return iterations_.load(); }
    /// Iteration budget per thread (0 when unlimited).
    std::int64_t max_iterations() const;
    /// Share of the budget used, in [0, 1]: `thread_iterations` / max_iterations() under an
    /// iteration budget (deterministic), otherwise elapsed() / time limit.
    double progress(std::int64_t thread_iterations) const;
    void stop() { stop_.store(true); }
    int threads() const { return threads_; }

  private:
    double time_limit_;
    std::optional<std::int64_t> max_iterations_;
    int threads_;
    StopHook hook_;
    const std::atomic<Cost>* best_ = nullptr;
    double hook_interval_;
    std::chrono::steady_clock::time_point start_;
    double last_hook_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<std::int64_t> iterations_{0};
};

/// One thread's stop state: once stopped, stays stopped.
class ThreadStop {
  public:
    ThreadStop(Deadline& deadline, int thread);
    ThreadStop(const ThreadStop&) = delete;
    ThreadStop& operator=(const ThreadStop&) = delete;
    /// Polls the deadline (unless already stopped); true when the search must stop.
    bool check() {
        if (!stopped_ && deadline_.should_stop(thread_)) stopped_ = true;
        return stopped_;
    }
    /// The latched state, without polling.
    bool stopped() const { return stopped_; }
    /// Counts one iteration; when the budget is exhausted stops every thread and returns true.
    bool count_iteration();
    /// `check` as a callback (LocalSearch::set_stop); valid while this object lives.
    const std::function<bool()>* callback() const { return &fn_; }
    Deadline& deadline() const { return deadline_; }

  private:
    Deadline& deadline_;
    int thread_;
    bool stopped_ = false;
    std::function<bool()> fn_;
};

}  // namespace lastmile
