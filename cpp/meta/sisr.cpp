#include "meta/sisr.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "construct/construct.h"
#include "core/route_break.h"
#include "meta/ls_setup.h"
#include "meta/penalty.h"
#include "meta/route_eval.h"
#include "meta/tsp_ils.h"

namespace lastmile {

namespace {
constexpr double kTimeRetryBoost = 100.0;  // see Sisr::run (time windows)
// The local-search operators of a large start and of a cheap polish (sisr_polish_cheap).
constexpr unsigned kCheapLsOps =
    (1u << kRelocate1) | (1u << kSwap11) | (1u << kTwoOpt) | (1u << kTwoOptStar);
}  // namespace

Sisr::Sisr(const ProblemData& data, const Neighbours& nb, const SolverParams& params,
           Deadline& deadline, BestExchange& best, int thread, std::uint64_t seed,
           std::shared_ptr<const EvArcCache> ev_cache)
    : data_(data),
      nb_(nb),
      params_(params),
      best_(best),
      thread_(thread),
      stop_(deadline, thread),
      rng_(seed),
      dims_(data.num_dims()),
      ev_(data, std::move(ev_cache)) {
    ev_.enable_recent_arcs();
    route_of_.assign(data.num_nodes(), -1);
    pos_of_.assign(data.num_nodes(), 0);
    used_.assign(data.num_vehicle_types(), 0);
    tmp_.resize(dims_);
    need_dur_ = false;
    for (const auto& t : data.vehicle_types())
        need_dur_ |= t.cost_per_duration != 0 || t.max_duration < kUnlimited;
    time_ = data.has_time_windows();
    need_dur_ |= time_;
    full_insert_ = params.sisr_full_insert == 1 || (params.sisr_full_insert == 2 && time_);
    refit_ = params.sisr_refit == 1 && data.num_vehicle_types() > 1;
}

void Sisr::refresh_time(int r) {
    auto& x = routes_[r];
    if (data_.has_pickups()) x.lp.build(data_, x.v);  // load profile (pickups only)
    if (!time_) return;
    const std::size_t m = x.v.size();
    const auto k = static_cast<std::size_t>(x.type);
    const auto s0 = static_cast<std::int32_t>(data_.start_node(k)),
               e0 = static_cast<std::int32_t>(data_.end_node(k));
    x.tf.resize(m + 1), x.tb.resize(m + 1);
    x.tf[0] = data_.start_seg(k);
    for (std::size_t p = 0; p < m; ++p)
        x.tf[p + 1] = TimeSeg::merge(x.tf[p], data_.duration(p == 0 ? s0 : x.v[p - 1], x.v[p]),
                                     data_.visit_seg(static_cast<std::size_t>(x.v[p])));
    x.tb[m] = data_.end_seg(k);
    for (std::size_t p = m; p-- > 0;)
        x.tb[p] = TimeSeg::merge(data_.visit_seg(static_cast<std::size_t>(x.v[p])),
                                 data_.duration(x.v[p], p + 1 == m ? e0 : x.v[p + 1]), x.tb[p + 1]);
    x.dur = m == 0 ? 0 : TimeSeg::merge(x.tf[m], data_.duration(x.v[m - 1], e0), x.tb[m]).dur;
    x.tdur = x.dur;  // without the break: the base of insertion deltas
    if (m > 0 && data_.vehicle_type(x.type).has_break())
        x.dur = route_break_plan(data_, k, x.v.data(), m).seg.dur;
}

double Sisr::arc(int type, int a, int b) const {
    const auto& t = data_.vehicle_type(type);
    return t.variable_cost(static_cast<double>(data_.dist(a, b)),
                           static_cast<double>(data_.duration(a, b)));
}

void Sisr::recompute(int r) {
    auto& x = routes_[r];
    x.load.assign(dims_, 0);
    x.dist = 0, x.dur = 0;
    x.ed.resize(x.v.size() + 1);
    auto prev = static_cast<std::int32_t>(data_.start_node(static_cast<std::size_t>(x.type)));
    for (std::size_t p = 0; p < x.v.size(); ++p) {
        const auto c = x.v[p];
        x.ed[p] = data_.dist(prev, c);
        x.dist += x.ed[p];
        if (need_dur_) x.dur += data_.duration(prev, c) + data_.service(c);
        for (std::size_t d = 0; d < dims_; ++d) x.load[d] += data_.demand(c, d);
        route_of_[c] = r;
        pos_of_[c] = static_cast<std::int32_t>(p);
        prev = c;
    }
    const std::size_t home = data_.end_node(static_cast<std::size_t>(x.type));
    x.ed.back() = data_.dist(prev, home);
    x.dist += x.ed.back();
    if (need_dur_) x.dur += data_.duration(prev, home);
    refresh_time(r);
    const auto& t = data_.vehicle_type(x.type);
    x.cost =
        x.v.empty() ? 0.0 : t.route_cost(static_cast<double>(x.dist), static_cast<double>(x.dur));
    refresh_energy(r);
}

void Sisr::refresh_energy(int r) {
    auto& x = routes_[r];
    if (ev_.active() && ev_.cls(x.type) >= 0) {
        ev_nodes_.assign(1, 0);
        ev_nodes_.insert(ev_nodes_.end(), x.v.begin(), x.v.end());
        ev_nodes_.push_back(0);
        x.evp.build(ev_, ev_.cls(x.type), ev_nodes_.data(), ev_nodes_.size(), false);
    }
}

bool Sisr::energy_ok_after_recreate() const {
    if (!ev_.active()) return true;
    for (const int r : backup_idx_) {
        const auto& x = routes_[r];
        const int c = ev_.cls(x.type);
        if (c < 0 || x.v.empty()) continue;
        double total, peak;  // exact walk, independent of the prefix data
        ev_.visits_energy(c, x.v, total, peak);
        if (peak > ev_.limit(x.type)) return false;
    }
    return true;
}

void Sisr::refresh_cost(int r) {
    refresh_time(r);
    auto& x = routes_[r];
    const auto& t = data_.vehicle_type(x.type);
    x.cost =
        x.v.empty() ? 0.0 : t.route_cost(static_cast<double>(x.dist), static_cast<double>(x.dur));
    refresh_energy(r);  // O(route) with cached arc coefficients (EV types only)
}

void Sisr::touch(int r) {
    if (touched_[r]) return;
    touched_[r] = 1;
    const std::size_t k = backup_idx_.size();
    backup_idx_.push_back(r);
    if (backup_.size() <= k) backup_.emplace_back();
    backup_[k] = routes_[r];
}

void Sisr::set_routes(const std::vector<Route>& routes) {
    routes_.clear();
    std::fill(used_.begin(), used_.end(), 0);
    for (const auto& rt : routes) {
        if (rt.visits.empty()) continue;
        routes_.push_back(R{});
        routes_.back().v = rt.visits;
        routes_.back().type = rt.vehicle_type;
        recompute(static_cast<int>(routes_.size()) - 1);
        ++used_[rt.vehicle_type];
    }
    touched_.assign(routes_.size(), 0);
    backup_idx_.clear();  // backups refer to the replaced routes
}

std::vector<Route> Sisr::export_routes() const {
    std::vector<Route> out;
    for (const auto& x : routes_) {
        if (x.v.empty()) continue;
        Route r;
        r.visits = x.v;
        r.vehicle_type = x.type;
        out.push_back(std::move(r));
    }
    return out;
}

void Sisr::begin_move() {
    for (const int r : backup_idx_) touched_[r] = 0;
    backup_idx_.clear();
}

void Sisr::undo() {
    for (std::size_t k = backup_idx_.size(); k-- > 0;) {
        const int r = backup_idx_[k];
        const bool was = !routes_[r].v.empty(), will = !backup_[k].v.empty();
        if (was) --used_[routes_[r].type];
        routes_[r] = backup_[k];
        if (will) ++used_[routes_[r].type];
        for (std::size_t p = 0; p < routes_[r].v.size(); ++p) {
            route_of_[routes_[r].v[p]] = r;
            pos_of_[routes_[r].v[p]] = static_cast<std::int32_t>(p);
        }
    }
}

void Sisr::ruin(std::vector<std::int32_t>& removed, int seed) {
    std::size_t used = 0, clients = data_.num_clients();
    for (const auto& x : routes_) used += !x.v.empty();
    const double avg_len =
        static_cast<double>(clients) / static_cast<double>(std::max<std::size_t>(used, 1));
    const double ls_max = std::min(params_.sisr_max_string, avg_len);
    const double ks_max = 4.0 * params_.sisr_max_removed / (1.0 + ls_max) - 1.0;
    const int ks = static_cast<int>(std::floor(rng_.uniform() * ks_max)) + 1;
    if (seed == 0) seed = 1 + rng_.below_int(static_cast<int>(clients));
    std::vector<int> ruined;
    auto remove_string = [&](int c) {
        const int r = route_of_[c];
        auto& x = routes_[r];
        const int len = static_cast<int>(x.v.size());
        const int lmax = static_cast<int>(std::min<double>(len, ls_max));
        const int l = 1 + rng_.below_int(std::max(lmax, 1));
        touch(r);
        int m = 0;
        if (rng_.uniform() < params_.sisr_split_rate && l < len) {  // split string: keep m inner
            m = 1;
            while (l + m < len && rng_.uniform() > params_.sisr_split_depth &&
                   rng_.uniform() < params_.sisr_split_rate)
                ++m;
        }
        const int total = l + m;
        const int pc = pos_of_[c];
        const int lo = std::max(0, pc - total + 1), hi = std::min(pc, len - total);
        const int start = lo + rng_.below_int(hi - lo + 1);
        const int keep_from =
            m > 0 ? start + rng_.below_int(l + 1) : -1;  // kept block [keep_from, keep_from+m)
        const auto s0 = static_cast<std::int32_t>(
                       data_.start_node(static_cast<std::size_t>(x.type))),
                   e0 = static_cast<std::int32_t>(data_.end_node(static_cast<std::size_t>(x.type)));
        // Incremental totals: only the arcs between positions start-1 and start+total change.
        auto node = [&](int p) { return p < 0 ? s0 : p >= len ? e0 : x.v[p]; };
        Distance od = 0, nd = 0;
        Duration ot = 0, nt = 0, svc_removed = 0;
        for (int p = start - 1; p < start + total; ++p) {
            od += x.ed[static_cast<std::size_t>(p + 1)];
            if (need_dur_) ot += data_.duration(node(p), node(p + 1));
        }
        int prev = node(start - 1);
        for (int p = start; p <= start + total; ++p) {
            const bool kept = p == start + total || (m > 0 && p >= keep_from && p < keep_from + m);
            if (!kept) {
                if (need_dur_) svc_removed += data_.service(node(p));
                for (std::size_t d = 0; d < dims_; ++d) x.load[d] -= data_.demand(node(p), d);
                continue;
            }
            nd += data_.dist(prev, node(p));
            if (need_dur_) nt += data_.duration(prev, node(p));
            prev = node(p);
        }
        const bool was = !x.v.empty();
        // In place: the clients from `start` on are compacted, and so are their edges (an edge
        // into a kept client after a removed one joins the previous kept node).
        int w = start;
        bool gap = false;
        for (int p = start; p < len; ++p) {
            const bool in =
                p >= start && p < start + total && !(m > 0 && p >= keep_from && p < keep_from + m);
            const auto cp = x.v[p];
            if (in) {
                removed.push_back(cp);
                route_of_[cp] = -1;
                gap = true;
                continue;
            }
            x.ed[w] = gap ? data_.dist(w == 0 ? s0 : x.v[w - 1], cp) : x.ed[p];
            x.v[w++] = cp;
            gap = false;
        }
        x.ed[w] = gap ? data_.dist(w == 0 ? s0 : x.v[w - 1], e0) : x.ed[len];
        x.v.resize(static_cast<std::size_t>(w));
        x.ed.resize(static_cast<std::size_t>(w) + 1);
        x.dist += nd - od;
        x.dur += nt - ot - svc_removed;
        for (std::size_t p = static_cast<std::size_t>(std::max(start, 0)); p < x.v.size(); ++p)
            pos_of_[x.v[p]] = static_cast<std::int32_t>(p);
        refresh_cost(r);
        if (was && x.v.empty()) --used_[x.type];
        ruined.push_back(r);
    };
    // A route gives one string, except when the solution has fewer routes than strings to
    // remove (one or two vans, e.g. a TSP): then a route may give several (the paper's rule
    // would cap the ruin of a TSP at one string of at most sisr_max_string customers).
    const bool repeat = static_cast<int>(used) < ks;
    auto consider = [&](int c) {
        if (static_cast<int>(ruined.size()) >= ks) return;
        const int r = route_of_[c];
        if (r < 0 || (!repeat && std::find(ruined.begin(), ruined.end(), r) != ruined.end()))
            return;
        remove_string(c);
    };
    consider(seed);
    for (auto p = nb_.begin(seed); p != nb_.end(seed) && static_cast<int>(ruined.size()) < ks; ++p)
        consider(*p);
}

std::int64_t Sisr::capacity_bound() const {
    std::int64_t bound = 1;
    for (std::size_t d = 0; d < dims_; ++d) {
        Load total = 0, cap = 0;
        Load picked = 0;  // pickups need room on the way back as deliveries do on the way out
        for (std::size_t i = 1; i < data_.num_nodes(); ++i)
            total += data_.demand(i, d), picked += data_.pickup(i, d);
        total = std::max(total, picked);
        for (const auto& t : data_.vehicle_types())
            if (t.num_available > 0) cap = std::max(cap, t.capacity[d]);
        if (cap > 0) bound = std::max<std::int64_t>(bound, (total + cap - 1) / cap);
    }
    return bound;
}

bool Sisr::too_many_routes(const std::vector<Route>& routes) const {
    if (time_) return false;  // the bound is a capacity bound: windows decide the routes there
    std::int64_t used = 0;
    for (const auto& r : routes) used += !r.visits.empty();
    return static_cast<double>(used) >
           params_.sisr_route_margin * static_cast<double>(capacity_bound()) +
               params_.sisr_route_slack;
}

bool Sisr::elimination_pays() const {
    if (params_.sisr_elim_gate == 0 || fixed_costs_) return true;
    std::int64_t used = 0;
    for (const auto& x : routes_) used += !x.v.empty();
    return static_cast<double>(used) > params_.sisr_elim_margin * static_cast<double>(route_bound_);
}

bool Sisr::run(const std::vector<Route>& initial) {
    // Start: savings (reported at once when feasible), then the local search.
    std::vector<Route> start = initial.empty() ? savings_routes(data_) : initial;
    bool start_ok = false;
    {
        const auto ev = evaluate_routes(data_, start);
        bool fleet_ok = true;
        std::vector<std::int64_t> cnt(data_.num_vehicle_types(), 0);
        for (const auto& r : start) cnt[r.vehicle_type] += !r.visits.empty();
        for (std::size_t k = 0; k < cnt.size(); ++k)
            fleet_ok &= cnt[k] <= data_.vehicle_type(k).num_available;
        start_ok = ev.feasible && fleet_ok;
        double start_cost = ev.cost;
        // Several depots: savings uses depot 0 as the hub of every client; when that start is
        // infeasible, insert every client by the recreate rule instead (each new route from
        // the cheapest type with a vehicle left, i.e. its own depot; feasible by construction).
        if (!start_ok && initial.empty() && data_.multi_depot()) {
            set_routes({});
            std::vector<std::int32_t> all(data_.num_clients());
            std::iota(all.begin(), all.end(), 1);
            if (recreate(all)) {
                auto ins = export_routes();
                const auto ev2 = evaluate_routes(data_, ins);
                if (ev2.feasible) start = std::move(ins), start_ok = true, start_cost = ev2.cost;
            }
            begin_move();  // drops the backups of this trial recreate
        }
        if (start_ok) best_.report(start, start_cost);
    }
    // The start's local search runs under fixed, boosted initial weights of the one penalty
    // manager, so that its output is feasible. SISR does not run the manager's update rule (nor
    // use target_feasible): the rule steers the feasible share of a stream of local-search
    // outputs, but SISR runs the local search once (plus once per extra cooling cycle) and its
    // ruin-recreate moves are feasible by construction, so there is no infeasible share to steer;
    // lowering the weights towards a 20 % feasible share would only make the start infeasible.
    // Measured: the boosted start was feasible on every instance of the X list and of the
    // compare.py "routes" list (algorithm="sisr" never raised; see bench/quality/RESULTS.md).
    const auto ls = make_local_search(data_, nb_, stop_, ev_.arc_cache());
    const PenaltyManager pm(data_, penalty_params(params_));
    ls->set_penalties(pm.boosted(params_.sisr_start_boost));
    // Large instances: a full local search can take seconds (SWAP* and the 2-3 client moves
    // dominate), so a feasible start gets the cheap operators only; SISR does the rest.
    if (start_ok &&
        data_.num_clients() > static_cast<std::size_t>(params_.sisr_cheap_start_clients))
        ls->set_operators(kCheapLsOps);
    auto routes = improve(*ls, start, rng_);
    auto ev = evaluate_routes(data_, routes);
    if (!ev.feasible && start_ok && time_) {
        // Time windows: the penalised search can trade a little lateness for a lot of distance
        // from a poor start; retry from the start with a far larger weight, else keep the start.
        ls->set_penalties(pm.boosted(params_.sisr_start_boost * kTimeRetryBoost));
        routes = improve(*ls, start, rng_);
        ev = evaluate_routes(data_, routes);
        if (!ev.feasible) routes = start, ev = evaluate_routes(data_, routes);
    }
    ls->set_operators(kAllLsOps);
    if (!ev.feasible) {
        best_infeasible_ = routes;
        return false;
    }
    best_.report(routes, ev.cost);
    // Auto mode: SISR only accepts feasible solutions and reinserts next to near neighbours, so
    // it rarely removes a route. When the savings + local-search start uses clearly more routes
    // than the capacity bound (long, capacity-bound delivery routes such as examples.station:
    // SISR 7-10 routes against HGS 5 at 1,200 packages, 12-25% higher cost at 5 s), hand over to
    // HGS, whose Split builds the routes from a giant tour. Savings uses at most 1.12x the bound
    // on the X list (28 vs 25 on X-n101, where HGS is as good) and 1.00x on the Belgium XXL set,
    // but 1.2-2.0x on station-days, hence the defaults sisr_route_margin = 1.1 and
    // sisr_route_slack = 0.5 (hand over above 1.1 x bound + 0.5).
    // With route elimination on (sisr_elim_share > 0, the default) SISR keeps such starts: the
    // elimination slots remove the extra vans (see the policy below), so there is no hand-over.
    if (params_.algorithm == 0 && initial.empty() && params_.sisr_elim_share <= 0 &&
        too_many_routes(routes)) {
        return false;
    }
    if (tsp_ils_applies(data_, routes, params_)) {  // one route: iterated local search
        run_tsp_ils(data_, nb_, params_, stop_, best_, rng_, routes.front());
        return true;
    }
    set_routes(routes);
    refit_types(true);
    if (refit_) {  // the start with every route on its cheapest feasible type
        routes = export_routes();
        ev = evaluate_routes(data_, routes);
        best_.report(routes, ev.cost);
    }
    route_bound_ = capacity_bound();
    fixed_costs_ = false;
    for (const auto& t : data_.vehicle_types()) fixed_costs_ |= t.fixed_cost != 0;
    double cur = ev.cost, best = ev.cost;
    std::vector<Route> best_routes = routes;
    const double avg_arc = cur / static_cast<double>(data_.num_clients() + routes.size());
    const double per_route = static_cast<double>(data_.num_clients()) /
                             static_cast<double>(std::max<std::int64_t>(route_bound_, 1));
    const double heat = params_.sisr_long_route > 0
                            ? std::clamp(1.0 + 2.0 * (per_route / params_.sisr_long_route - 1.0),
                                         1.0, params_.sisr_long_heat)
                            : 1.0;  // long routes: hotter (params.h)
    const double t0 = heat * params_.sisr_t0 * avg_arc;
    const double t1 = std::min(params_.sisr_t1, params_.sisr_t0) * avg_arc;
    // Cooling schedule on the share of the budget used (Deadline::progress: the time fraction,
    // or the iteration fraction under max_iterations, so threads=1 stays deterministic): K =
    // sisr_cycles cycles, cycle k spanning 2^(k-1) / (2^K - 1) of the budget, each cooling from
    // t0 to t1 and restarting from the best; the last ends with the budget, so a longer budget
    // cools more slowly and a run never ends inside an unfinished cycle.
    const int cycles = params_.sisr_cycles;
    const double cycle_units = std::ldexp(1.0, cycles) - 1.0;  // 2^K - 1
    int cycle_no = 1;
    double cycle_begin = 0.0, cycle_end = 1.0 / cycle_units;
    // The local search polishes the best every sisr_polish_share of the budget (long routes
    // gain most: 2-opt and Or-opt moves that string removals reach slowly).
    const bool large =
        data_.num_clients() > static_cast<std::size_t>(params_.sisr_cheap_start_clients);
    const bool polish_cheap =
        params_.sisr_polish_cheap == 1 || (params_.sisr_polish_cheap == 2 && large);
    auto polish = [&]() {  // true when the polished best is better (and is now the best)
        if (polish_cheap) ls->set_operators(kCheapLsOps);
        auto polished = improve(*ls, best_routes, rng_);
        if (polish_cheap) ls->set_operators(kAllLsOps);
        const auto pev = evaluate_routes(data_, polished);
        if (stop_.stopped() || !pev.feasible || pev.cost >= best - 1e-9) return false;
        best = pev.cost;
        best_routes = std::move(polished);
        best_.report(best_routes, best);
        return true;
    };
    const double polish_share =
        params_.sisr_polish_share >= 0
            ? params_.sisr_polish_share
            : (data_.num_clients() <= static_cast<std::size_t>(params_.sisr_cheap_start_clients)
                   ? kAutoPolishShare
                   : 0.0);
    double next_polish = polish_share > 0 ? polish_share : 2.0;
    // Under a time limit the polishes take at most about sisr_polish_time_cap of the time.
    const bool timed = stop_.deadline().max_iterations() == 0;
    double polish_time = 0.0;
    double next_order = params_.sisr_order_polish_share > 0 ? params_.sisr_order_polish_share : 2.0;
    double next_elim = params_.sisr_elim_share > 0 ? params_.sisr_elim_share : 2.0;
    // Stagnation (sisr_restart_share > 0): when this thread's best has not improved for that
    // share of the budget, continue from the best with the temperature multiplied by
    // sisr_restart_heat, decaying back to the schedule over half that share.
    const double restart_share = params_.sisr_restart_share;
    double last_gain = 0.0, heat_at = -1.0;  // progress of the last improvement / restart
    // threads > 1: route injection from the other threads' published bests (coop_inject_*).
    const bool inject = stop_.deadline().threads() > 1 && params_.coop_inject_every > 0;
    std::vector<Route> donor;
    std::pair<int, std::uint64_t> donor_seen{-1, 0};
    double published = 1e300;                           // cost of this thread's last published best
    auto accept = [&](double delta, double progress) {  // a kept move; a new best is reported
        cur += delta;
        if (cur < best - 1e-9) {
            best = cur;
            last_gain = progress;
            best_routes = export_routes();
            best_.report(best_routes, best);
        }
    };
    std::vector<std::int32_t> removed;
    for (std::int64_t it = 0; !stop(); ++it) {
        const double progress = stop_.deadline().progress(it);
        if (restart_share > 0 && progress < 1.0 &&
            progress - std::max(last_gain, heat_at) >= restart_share) {
            heat_at = progress;
            set_routes(best_routes);
            cur = best;
        }
        if (progress >= cycle_end && cycle_no < cycles) {  // polish the best, reheat from it
            ++cycle_no;
            cycle_begin = cycle_end;
            cycle_end = cycle_no == cycles ? 1.0 : (std::ldexp(1.0, cycle_no) - 1.0) / cycle_units;
            polish();
            set_routes(best_routes);
            cur = best;
        } else if (progress >= next_order && progress < 1.0) {  // 2-opt / Or-opt the best
            while (next_order <= progress) next_order += params_.sisr_order_polish_share;
            if (polish_route_orders(data_, nb_, best_routes, best, stop_.callback())) {
                best_.report(best_routes, best);
                set_routes(best_routes);
                cur = best;
            }
        } else if (progress >= next_polish && progress < 1.0) {  // polish, continue from it
            while (next_polish <= progress) next_polish += polish_share;
            const double t_start = timed ? stop_.deadline().elapsed() : 0.0;
            if (!timed || polish_time <= params_.sisr_polish_time_cap * t_start) {
                const bool better = polish();
                if (timed) polish_time += stop_.deadline().elapsed() - t_start;
                if (better) {
                    set_routes(best_routes);
                    cur = best;
                }
            }
        }
        const double frac =
            std::clamp((progress - cycle_begin) / (cycle_end - cycle_begin), 0.0, 1.0);
        double temp = t0 * std::pow(t1 / t0, frac);
        if (heat_at >= 0 && progress - heat_at < 0.5 * restart_share)
            temp *= std::pow(params_.sisr_restart_heat,
                             1.0 - (progress - heat_at) / (0.5 * restart_share));
        if (progress >= next_elim && progress < 1.0) {  // route elimination (see params.h)
            while (next_elim <= progress) next_elim += params_.sisr_elim_share;
            for (int fails = 0;
                 fails < params_.sisr_elim_tries && !stop_.stopped() && elimination_pays();) {
                double delta = 0;
                const double threshold = -temp * std::log(std::max(rng_.uniform(), 1e-300));
                if (!eliminate_route(threshold, delta)) {
                    ++fails;
                    continue;
                }
                accept(delta, progress);
            }
        }
        removed.clear();
        begin_move();
        ruin(removed);
        const bool ok = recreate(removed) && energy_ok_after_recreate();
        if (ok) refit_types(false);
        double delta = 0;
        for (std::size_t k = 0; k < backup_idx_.size(); ++k)
            delta += routes_[backup_idx_[k]].cost - backup_[k].cost;
        const double threshold = -temp * std::log(std::max(rng_.uniform(), 1e-300));
        if (ok && delta < threshold)
            accept(delta, progress);
        else
            undo();
        if (inject && exchange_due(it, params_.coop_inject_every)) {  // threads > 1: routes
            if (best != published) best_.publish(thread_, best_routes, best), published = best;
            if (best_.fetch_other(thread_, donor_seen, donor)) {
                donor_route_of_.assign(data_.num_nodes(), -1);
                for (std::size_t r = 0; r < donor.size(); ++r)
                    for (const auto c : donor[r].visits)
                        donor_route_of_[static_cast<std::size_t>(c)] = static_cast<std::int32_t>(r);
            }
            for (int k = 0; k < params_.coop_inject_tries && !donor.empty(); ++k) {
                double delta = 0;
                const double threshold = -temp * std::log(std::max(rng_.uniform(), 1e-300));
                if (inject_routes(donor, threshold, delta)) accept(delta, progress);
            }
        }
        if (exchange_due(it, static_cast<std::int64_t>(params_.sisr_exchange_factor) *
                                 params_.exchange_iterations)) {
            std::vector<Route> other;
            // threads > 1: adopt another thread's better best (from coop_adopt_from on).
            if (progress >= params_.coop_adopt_from && best_.fetch_better(best, other)) {
                set_routes(other);
                best = cur = evaluate_routes(data_, other).cost;
                best_routes = std::move(other);
            }
        }
        stop_.count_iteration();
    }
    return true;
}

}  // namespace lastmile
