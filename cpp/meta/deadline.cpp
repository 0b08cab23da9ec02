#include "meta/deadline.h"

#include <algorithm>
#include <utility>

namespace lastmile {

Deadline::Deadline(double time_limit, std::optional<std::int64_t> max_iterations, int threads,
                   StopHook hook, double hook_interval)
    : time_limit_(time_limit),
      max_iterations_(max_iterations),
      threads_(threads),
      hook_(std::move(hook)),
      hook_interval_(hook_interval),
      start_(std::chrono::steady_clock::now()) {}

double Deadline::elapsed() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

bool Deadline::should_stop(int thread) {
    if (stop_.load(std::memory_order_relaxed)) return true;
    const double t = elapsed();
    if (t >= time_limit_) {
        stop_.store(true);
        return true;
    }
    if (thread == 0 && hook_ && t - last_hook_ >= hook_interval_) {
        last_hook_ = t;
        if (hook_(t, best_ ? best_->load() : 1e300)) {
            stop_.store(true);
            return true;
        }
    }
    return false;
}

bool Deadline::count_iteration() {
    const auto it = iterations_.fetch_add(1) + 1;
    return max_iterations_ && it >= *max_iterations_;
}

std::int64_t Deadline::max_iterations() const {
    if (!max_iterations_) return 0;
    return std::max<std::int64_t>(1, *max_iterations_ / std::max(1, threads_));
}

double Deadline::progress(std::int64_t thread_iterations) const {
    const double f = max_iterations_ ? static_cast<double>(thread_iterations) /
                                           static_cast<double>(max_iterations())
                                     : elapsed() / time_limit_;
    return std::clamp(f, 0.0, 1.0);
}

ThreadStop::ThreadStop(Deadline& deadline, int thread)
    : deadline_(deadline), thread_(thread), fn_([this]() { return check(); }) {}

bool ThreadStop::count_iteration() {
    if (!deadline_.count_iteration()) return false;
    deadline_.stop();
    stopped_ = true;
    return true;
}

}  // namespace lastmile
