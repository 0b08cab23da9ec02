#include "meta/solver.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <sstream>
#include <thread>

#include "construct/construct.h"
#include "core/errors.h"
#include "energy/battery_check.h"
#include "energy/ev_routing.h"
#include "meta/exchange.h"
#include "meta/hgs.h"
#include "meta/sisr.h"
#include "search/neighbours.h"

namespace lastmile {
namespace {

/// Upper bound on `threads` (one Neighbours list and one search state per thread).
constexpr int kMaxThreads = 64;

/// Seed of thread t > 0: SplitMix64 (Steele et al. 2014) of seed + golden-ratio increment * (t+1).
std::uint64_t derive_seed(std::uint64_t seed, int thread) {
    if (thread == 0) return seed;
    std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * static_cast<std::uint64_t>(thread + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/// Fleet capacity check before searching: total demand vs. what the limited fleet can carry.
void check_fleet(const ProblemData& data) {
    for (const auto& t : data.vehicle_types()) {
        if (t.num_available >= kUnlimited && t.capacity.size() == data.num_dims()) return;
        if (!t.reload_depots.empty() && t.max_reloads >= kUnlimited) return;  // trips unbounded
    }
    for (std::size_t d = 0; d < data.num_dims(); ++d) {
        long double total = 0, cap = 0, picked = 0;  // pickups ride back in the same vehicles
        for (std::size_t i = 1; i < data.num_nodes(); ++i)
            total += data.demand(i, d), picked += data.pickup(i, d);
        const bool by_pickup = picked > total;
        total = std::max(total, picked);
        for (const auto& t : data.vehicle_types())
            cap += static_cast<long double>(t.capacity[d]) * t.num_available *
                   (t.reload_depots.empty() ? 1 : t.max_reloads + 1);  // trips per vehicle
        if (total > cap) {
            std::ostringstream os;
            os << "fleet size: total " << (by_pickup ? "pickup " : "demand ")
               << static_cast<double>(total) << " in dimension " << d << " exceeds the capacity "
               << static_cast<double>(cap) << " of all available vehicles (capacity)";
            Violation v;
            v.kind = ViolationKind::fleet_capacity;
            v.dimension = static_cast<std::int64_t>(d);
            v.value = static_cast<double>(total);
            v.limit = static_cast<double>(cap);
            v.message = os.str();
            throw InfeasibleError(v.message, {v});
        }
    }
}

/// Why no feasible solution was found, from the least-infeasible routes seen: the message names
/// the violated constraints and quotes the first violation; the error carries all of them.
InfeasibleError explain(const ProblemData& data, const std::vector<Route>& routes) {
    std::string what;
    std::vector<Violation> details;
    if (!routes.empty()) {
        details = evaluate_solution(data, routes).details();
        bool cap = false, dur = false, dist = false, fleet = false, energy = false, reload = false;
        for (const auto& v : details) {
            cap |= v.kind == ViolationKind::capacity;
            dur |= v.kind == ViolationKind::duration;
            dist |= v.kind == ViolationKind::distance;
            fleet |= v.kind == ViolationKind::fleet;
            energy |= v.kind == ViolationKind::energy;
            reload |= v.kind == ViolationKind::reload;
        }
        auto add = [&](const char* w) { what += std::string(what.empty() ? "" : ", ") + w; };
        if (cap) add("capacity");
        if (dur) add("duration");
        if (dist) add("distance");
        if (fleet) add("fleet size");
        if (energy) add("battery/energy");
        if (reload) add("reload");
        if (!details.empty()) what += " (e.g. " + details.front().message + ")";
    }
    if (what.empty()) what = "capacity/duration/distance with the available fleet size";
    return InfeasibleError("no feasible solution found; violated constraint(s): " + what,
                           std::move(details));
}

}  // namespace

SolveResult solve(const ProblemData& data, const SolveOptions& opt) {
    if (!(opt.time_limit > 0) || !std::isfinite(opt.time_limit)) {
        std::ostringstream os;
        os << "time_limit: must be a positive finite number of seconds, got " << opt.time_limit;
        throw InputError(os.str());
    }
    if (opt.threads < 1 || opt.threads > kMaxThreads)
        throw InputError("threads: must be in [1, " + std::to_string(kMaxThreads) + "], got " +
                         std::to_string(opt.threads));
    if (opt.max_iterations && *opt.max_iterations < 1)
        throw InputError("max_iterations: must be >= 1, got " +
                         std::to_string(*opt.max_iterations));
    check_params(opt.params);
    if (data.has_reloads() && opt.params.algorithm == 2)  // SISR keeps single-trip routes
        throw InputError(
            "algorithm: 'sisr' does not plan reloads (vehicle_types with reload_depots); use "
            "'auto' or 'hgs'");
    check_fleet(data);
    check_energy_reachable(data);
    // The energy coefficients of every arc, once for all threads and before the clock starts
    // (null without battery types or when too large: the searches then use the closed form with
    // a recent-arcs table).
    const std::shared_ptr<const EvArcCache> ev_cache = build_ev_arc_cache(data);
    Deadline deadline(opt.time_limit, opt.max_iterations, opt.threads, opt.hook);
    BestExchange best(deadline);
    deadline.watch_best(best.best_cost_ptr());
    const Neighbours nb(data, opt.params.granular);
    // Algorithm choice (measured with bench/quality/quick.py, 10 s per instance, 1 thread, on a
    // shared 2-core machine): on the 10-instance X list SISR averaged 0.66-0.79% gap, our HGS
    // 1.77% (HGS won only on X-n101/X-n157, by ~0.1%; from X-n401 up it spends most of 10 s
    // educating its initial population: ~77 iterations on X-n1001 vs ~1M SISR iterations). On
    // generated mixed-fleet instances SISR (with sisr_type_mix) also beat HGS (n=200 and 800).
    // So SISR is the default for every size, with bounded memory (O(n*k)) on XXL instances. HGS
    // takes over when the SISR start (savings + local search) is infeasible, e.g. a tight fleet
    // size, since its penalties and population work in infeasible space; algorithm=1 forces HGS.
    // Reloads: HGS, whose local search inserts and removes reload visits (operator reload).
    const bool use_sisr = opt.params.algorithm != 1 && !data.has_reloads();
    std::vector<std::vector<Route>> infeasible(opt.threads);
    std::vector<char> used_hgs(opt.threads, 0);
    std::vector<std::exception_ptr> errors(opt.threads);
    auto worker = [&](int t) {
        try {
            if (use_sisr) {
                const SolverParams tp = thread_params(opt.params, t);  // lives during the run
                Sisr s(data, nb, tp, deadline, best, t, derive_seed(opt.seed, t), ev_cache);
                if (!s.run(opt.initial) && opt.params.algorithm == 0 && !deadline.should_stop(t)) {
                    used_hgs[t] = 1;
                    Hgs h(data, nb, opt.params, deadline, best, t, derive_seed(opt.seed, t),
                          ev_cache);
                    h.run(opt.initial);
                    infeasible[t] = h.best_infeasible();
                } else {
                    infeasible[t] = s.best_infeasible();
                }
            } else {
                Hgs h(data, nb, opt.params, deadline, best, t, derive_seed(opt.seed, t), ev_cache);
                h.run(opt.initial);
                infeasible[t] = h.best_infeasible();
            }
        } catch (...) {
            errors[t] = std::current_exception();
            deadline.stop();
        }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < opt.threads; ++t) pool.emplace_back(worker, t);
    worker(0);
    for (auto& th : pool) th.join();
    for (auto& e : errors)
        if (e) std::rethrow_exception(e);
    SolveResult res;
    res.algorithm = (use_sisr && !used_hgs[0]) ? "sisr" : "hgs";
    res.runtime = deadline.elapsed();
    res.iterations = deadline.iterations();
    res.history = best.history();
    if (best.best_routes().empty()) throw explain(data, infeasible[0]);
    res.solution.emplace(evaluate_solution(data, best.best_routes()));
    res.cost = res.solution->cost();
    return res;
}

}  // namespace lastmile
