#include "meta/hgs.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "construct/construct.h"
#include "meta/split.h"

namespace lastmile {

// ------------------------------------------------------------------------------------------
// Penalties
// ------------------------------------------------------------------------------------------

PenaltyManager::PenaltyManager(const ProblemData& data, double target) : target_(target) {
    const std::size_t n = data.num_nodes(), dims = data.num_dims();
    // Typical arc cost and length, from depot arcs (cheap, O(n)).
    double cpd = 0, cpt = 0;
    for (const auto& t : data.vehicle_types())
        cpd = std::max(cpd, t.cost_per_distance), cpt = std::max(cpt, t.cost_per_duration);
    double sd = 0, st = 0, md = 1;
    for (std::size_t i = 1; i < n; ++i) {
        sd += static_cast<double>(data.dist(0, i)), st += static_cast<double>(data.duration(0, i));
        md = std::max(md, static_cast<double>(data.dist(0, i)));
    }
    sd = std::max(sd / static_cast<double>(n - 1), 1.0);
    st = std::max(st / static_cast<double>(n - 1), 1.0);
    // Like HGS: about the cost of the longest arc per unit of the largest demand.
    const double arc_cost_max = std::max(cpd * md + cpt * md * st / sd, 1e-9);
    const double arc_cost = std::max(cpd * sd + cpt * st, 1e-9);
    pen_.load.resize(dims);
    lo_.load.resize(dims), hi_.load.resize(dims);
    for (std::size_t d = 0; d < dims; ++d) {
        double mdem = 1;
        for (std::size_t i = 1; i < n; ++i)
            mdem = std::max(mdem, static_cast<double>(data.demand(i, d)));
        pen_.load[d] = arc_cost_max / mdem;
    }
    pen_.duration = std::max(arc_cost / st, 1e-9);
    pen_.distance = std::max(arc_cost / sd, 1e-9);
    for (std::size_t d = 0; d < dims; ++d)
        lo_.load[d] = pen_.load[d] * 1e-3, hi_.load[d] = pen_.load[d] * 1e4;
    lo_.duration = pen_.duration * 1e-3, hi_.duration = pen_.duration * 1e4;
    lo_.distance = pen_.distance * 1e-3, hi_.distance = pen_.distance * 1e4;
    load_hist_.resize(dims);
    // Battery: about the cost of the longest arc per kWh of an average depot arc's energy.
    const EvRouting ev(data);
    if (ev.active()) {
        double se = 0;
        for (std::size_t i = 1; i < n; ++i) {
            double a, b;
            ev.coef(0, 0, i, a, b);
            se += std::max(a, 0.0);
        }
        se = std::max(se / static_cast<double>(n - 1), 1e-6);
        pen_.energy = arc_cost_max / se;
    }
    lo_.energy = pen_.energy * 1e-3, hi_.energy = pen_.energy * 1e4;
}

void PenaltyManager::record(const std::vector<char>& load_ok, bool dur_ok, bool dist_ok,
                            bool energy_ok) {
    auto push = [](std::deque<char>& h, char v) {
        h.push_back(v);
        if (h.size() > 100) h.pop_front();
    };
    for (std::size_t d = 0; d < load_hist_.size(); ++d) push(load_hist_[d], load_ok[d]);
    push(dur_hist_, dur_ok);
    push(dist_hist_, dist_ok);
    push(energy_hist_, energy_ok);
    ++since_;
}

bool PenaltyManager::update() {
    if (since_ < 100) return false;
    since_ = 0;
    auto adapt = [&](const std::deque<char>& h, double& w, double lo, double hi) {
        if (h.empty()) return;
        const double frac =
            static_cast<double>(std::count(h.begin(), h.end(), 1)) / static_cast<double>(h.size());
        if (frac < target_ - 0.05)
            w = std::min(hi, w * 1.2);
        else if (frac > target_ + 0.05)
            w = std::max(lo, w * 0.85);
    };
    for (std::size_t d = 0; d < load_hist_.size(); ++d)
        adapt(load_hist_[d], pen_.load[d], lo_.load[d], hi_.load[d]);
    adapt(dur_hist_, pen_.duration, lo_.duration, hi_.duration);
    adapt(dist_hist_, pen_.distance, lo_.distance, hi_.distance);
    adapt(energy_hist_, pen_.energy, lo_.energy, hi_.energy);
    return true;
}

Penalties PenaltyManager::boosted(double f) const {
    Penalties p = pen_;
    for (auto& w : p.load) w *= f;
    p.duration *= f;
    p.distance *= f;
    p.energy *= f;
    return p;
}

RouteSetEval evaluate_routes(const ProblemData& data, const std::vector<Route>& routes) {
    const std::size_t dims = data.num_dims();
    RouteSetEval e;
    const EvRouting ev(data);
    e.excess_load.assign(dims, 0);
    e.load_ok.assign(dims, 1);
    std::vector<Load> load(dims);
    bool need_dur = false;
    for (const auto& t : data.vehicle_types())
        need_dur |= t.cost_per_duration != 0 || t.max_duration < kUnlimited;
    for (const auto& r : routes) {
        if (r.visits.empty()) continue;
        const auto& t = data.vehicle_type(r.vehicle_type);
        std::fill(load.begin(), load.end(), 0);
        Distance dist = 0;
        Duration dur = 0;
        std::size_t prev = 0;
        for (auto c : r.visits) {
            dist += data.dist(prev, c);
            if (need_dur) dur += data.duration(prev, c) + data.service(c);
            for (std::size_t d = 0; d < dims; ++d) load[d] += data.demand(c, d);
            prev = static_cast<std::size_t>(c);
        }
        dist += data.dist(prev, 0);
        if (need_dur) dur += data.duration(prev, 0);
        e.cost += t.fixed_cost + t.cost_per_distance * static_cast<double>(dist) +
                  t.cost_per_duration * static_cast<double>(dur);
        for (std::size_t d = 0; d < dims; ++d)
            if (load[d] > t.capacity[d])
                e.excess_load[d] += static_cast<double>(load[d] - t.capacity[d]), e.load_ok[d] = 0;
        if (dur > t.max_duration)
            e.excess_dur += static_cast<double>(dur - t.max_duration), e.dur_ok = false;
        if (dist > t.max_distance)
            e.excess_dist += static_cast<double>(dist - t.max_distance), e.dist_ok = false;
        if (ev.active() && ev.cls(r.vehicle_type) >= 0) {
            double total, peak;
            ev.visits_energy(ev.cls(r.vehicle_type), r.visits, total, peak);
            if (peak > ev.limit(r.vehicle_type))
                e.excess_energy += peak - ev.limit(r.vehicle_type), e.energy_ok = false;
        }
    }
    e.feasible = e.dur_ok && e.dist_ok && e.energy_ok &&
                 std::all_of(e.load_ok.begin(), e.load_ok.end(), [](char c) { return c != 0; });
    return e;
}

double penalised(const RouteSetEval& e, const Penalties& p) {
    double c = e.cost + p.duration * e.excess_dur + p.distance * e.excess_dist +
               p.energy * e.excess_energy;
    for (std::size_t d = 0; d < e.excess_load.size(); ++d) c += p.load[d] * e.excess_load[d];
    return c;
}

// ------------------------------------------------------------------------------------------
// HGS
// ------------------------------------------------------------------------------------------

Hgs::Hgs(const ProblemData& data, const Neighbours& nb, const SolverParams& params,
         SearchControl& control, int thread, std::uint64_t seed)
    : data_(data),
      params_(params),
      control_(control),
      thread_(thread),
      rng_(seed),
      ls_(data, nb),
      pm_(data, params.target_feasible) {
    stop_fn_ = [this]() { return stop(); };
    ls_.set_stop(&stop_fn_);
}

bool Hgs::stop() {
    if (!stopped_ && control_.should_stop(thread_)) stopped_ = true;
    return stopped_;
}

std::unique_ptr<Hgs::Indiv> Hgs::make(std::vector<Route> routes) {
    auto ind = std::make_unique<Indiv>();
    const std::size_t n = data_.num_nodes();
    ind->routes = std::move(routes);
    ind->succ.assign(n, 0);
    ind->pred.assign(n, 0);
    for (const auto& r : ind->routes) {
        std::int32_t prev = 0;
        for (auto c : r.visits) {
            ind->giant.push_back(c);
            ind->pred[c] = prev;
            if (prev != 0) ind->succ[prev] = c;
            prev = c;
        }
        if (prev != 0) ind->succ[prev] = 0;
    }
    ind->ev = evaluate_routes(data_, ind->routes);
    ind->pcost = ind->ev.feasible ? ind->ev.cost : penalised(ind->ev, pm_.penalties());
    return ind;
}

std::unique_ptr<Hgs::Indiv> Hgs::educate(std::vector<Route> routes, bool allow_repair,
                                         std::unique_ptr<Indiv>* repaired) {
    ls_.set_penalties(pm_.penalties());
    ls_.load(routes);
    ls_.run(rng_);
    auto ind = make(ls_.routes());
    pm_.record(ind->ev.load_ok, ind->ev.dur_ok, ind->ev.dist_ok, ind->ev.energy_ok);
    if (!ind->ev.feasible) {
        const double pc = penalised(ind->ev, pm_.penalties());
        if (pc < best_infeasible_pcost_)
            best_infeasible_pcost_ = pc, best_infeasible_ = ind->routes;
        if (allow_repair && !stopped_ && rng_.uniform() < params_.repair_probability) {
            ls_.set_penalties(pm_.boosted(10.0));
            ls_.run(rng_);
            ls_.set_penalties(pm_.penalties());
            auto rep = make(ls_.routes());
            if (rep->ev.feasible) *repaired = std::move(rep);
        }
    }
    return ind;
}

double Hgs::distance(const Indiv& a, const Indiv& b) const {
    const std::size_t n = data_.num_nodes();
    int diff = 0;
    for (std::size_t j = 1; j < n; ++j) {
        if (a.succ[j] != b.succ[j] && a.succ[j] != b.pred[j]) ++diff;
        if (a.pred[j] == 0 && b.pred[j] != 0 && b.succ[j] != 0) ++diff;
    }
    return static_cast<double>(diff) / static_cast<double>(n - 1);
}

void Hgs::add(std::unique_ptr<Indiv> ind) {
    Indiv* raw = ind.get();
    if (ind->ev.feasible && ind->ev.cost < best_cost_ - 1e-9) {
        best_cost_ = ind->ev.cost;
        last_improve_ = iter_;
        control_.report_best(thread_, ind->routes, ind->ev.cost);
    }
    Pop& pop = ind->ev.feasible ? feas_ : infeas_;
    for (auto& o : pop) {
        const double d = distance(*raw, *o);
        auto ins = [](std::vector<std::pair<double, Indiv*>>& v, double dd, Indiv* p) {
            v.insert(
                std::upper_bound(v.begin(), v.end(), std::make_pair(dd, p),
                                 [](const auto& x, const auto& y) { return x.first < y.first; }),
                {dd, p});
        };
        ins(raw->prox, d, o.get());
        ins(o->prox, d, raw);
    }
    pop.push_back(std::move(ind));
    const std::size_t mu = static_cast<std::size_t>(params_.population_size),
                      lambda = static_cast<std::size_t>(params_.generation_size);
    if (pop.size() >= mu + lambda)
        while (pop.size() > mu) remove_worst(pop);
}

void Hgs::update_fitness(Pop& pop) {
    const std::size_t m = pop.size();
    if (m == 0) return;
    if (m == 1) {
        pop[0]->fit = 0;
        return;
    }
    std::vector<std::size_t> byc(m), byd(m);
    std::iota(byc.begin(), byc.end(), 0);
    std::stable_sort(byc.begin(), byc.end(),
                     [&](auto a, auto b) { return pop[a]->pcost < pop[b]->pcost; });
    std::vector<double> div(m, 0);
    const std::size_t close = static_cast<std::size_t>(params_.num_close);
    for (std::size_t i = 0; i < m; ++i) {
        const auto& pr = pop[i]->prox;
        const std::size_t k = std::min(close, pr.size());
        double s = 0;
        for (std::size_t t = 0; t < k; ++t) s += pr[t].first;
        div[i] = k ? s / static_cast<double>(k) : 0;
    }
    std::vector<double> crank(m), drank(m);
    for (std::size_t r = 0; r < m; ++r)
        crank[byc[r]] = static_cast<double>(r) / static_cast<double>(m - 1);
    std::iota(byd.begin(), byd.end(), 0);
    std::stable_sort(byd.begin(), byd.end(), [&](auto a, auto b) { return div[a] > div[b]; });
    for (std::size_t r = 0; r < m; ++r)
        drank[byd[r]] = static_cast<double>(r) / static_cast<double>(m - 1);
    const double w = 1.0 - static_cast<double>(params_.num_elite) / static_cast<double>(m);
    for (std::size_t i = 0; i < m; ++i) pop[i]->fit = crank[i] + w * drank[i];
}

void Hgs::remove_worst(Pop& pop) {
    update_fitness(pop);
    std::size_t worst = 0;
    bool worst_clone = false;
    double worst_fit = -1;
    for (std::size_t i = 0; i < pop.size(); ++i) {
        const bool clone = !pop[i]->prox.empty() && pop[i]->prox[0].first < 1e-9;
        if (i == 0 || (clone && !worst_clone) || (clone == worst_clone && pop[i]->fit > worst_fit))
            worst = i, worst_clone = clone, worst_fit = pop[i]->fit;
    }
    Indiv* w = pop[worst].get();
    for (auto& o : pop) {
        if (o.get() == w) continue;
        auto& pr = o->prox;
        pr.erase(std::remove_if(pr.begin(), pr.end(), [w](const auto& x) { return x.second == w; }),
                 pr.end());
    }
    pop.erase(pop.begin() + static_cast<std::ptrdiff_t>(worst));
}

Hgs::Indiv* Hgs::tournament() {
    update_fitness(feas_);
    update_fitness(infeas_);
    const std::size_t total = feas_.size() + infeas_.size();
    auto pick = [&]() -> Indiv* {
        const std::size_t i = rng_.below(total);
        return i < feas_.size() ? feas_[i].get() : infeas_[i - feas_.size()].get();
    };
    Indiv* a = pick();
    Indiv* b = pick();
    return a->fit <= b->fit ? a : b;
}

std::vector<std::int32_t> Hgs::crossover(const Indiv& a, const Indiv& b) {
    const std::size_t N = a.giant.size();
    std::vector<std::int32_t> child(N);
    std::vector<char> used(data_.num_nodes(), 0);
    std::size_t start = rng_.below(N), end = rng_.below(N);
    while (N > 1 && end == start) end = rng_.below(N);
    std::size_t j = start;
    for (;; j = (j + 1) % N) {
        child[j] = a.giant[j];
        used[a.giant[j]] = 1;
        if (j == end) break;
    }
    std::size_t pos = (end + 1) % N;
    for (std::size_t t = 0; t < N; ++t) {
        const auto c = b.giant[(end + 1 + t) % N];
        if (used[c]) continue;
        child[pos] = c;
        pos = (pos + 1) % N;
    }
    return child;
}

bool Hgs::initial_population(const std::vector<Route>& initial, bool first) {
    const std::size_t n = data_.num_nodes();
    int made = 0;
    auto one = [&](std::vector<Route> routes) {
        std::unique_ptr<Indiv> rep;
        auto ind = educate(std::move(routes), true, &rep);
        add(std::move(ind));
        if (rep) add(std::move(rep));
        ++iter_;
        ++made;
        if (control_.count_iteration()) control_.stop(), stopped_ = true;
        if (pm_.update())
            for (auto& o : infeas_) o->pcost = penalised(o->ev, pm_.penalties());
    };
    if (first) {
        one(initial.empty() ? savings_routes(data_) : initial);
        if (stop()) return false;
    }
    std::vector<std::int32_t> tour;
    for (std::size_t c = 1; c < n; ++c) tour.push_back(static_cast<std::int32_t>(c));
    while (made < params_.initial_population) {
        rng_.shuffle(tour);
        one(split_giant_tour(data_, tour, pm_.penalties()));
        if (stop()) return false;
    }
    return true;
}

void Hgs::exchange() {
    std::vector<Route> routes;
    if (control_.fetch_better(best_cost_, routes)) {
        auto ind = make(std::move(routes));
        if (ind->ev.feasible) {
            best_cost_ = ind->ev.cost;
            last_improve_ = iter_;
            Pop& pop = feas_;
            (void)pop;
            add(std::move(ind));
        }
    }
}

void Hgs::run(const std::vector<Route>& initial) {
    if (!initial_population(initial, true)) return;
    while (!stop()) {
        if (feas_.size() + infeas_.size() < 2) {
            if (!initial_population(initial, false)) return;
            continue;
        }
        const Indiv* a = tournament();
        const Indiv* b = tournament();
        auto tour = crossover(*a, *b);
        std::unique_ptr<Indiv> rep;
        auto ind = educate(split_giant_tour(data_, tour, pm_.penalties()), true, &rep);
        if (stopped_) {  // interrupted local search: keep only what is feasible
            if (ind->ev.feasible) add(std::move(ind));
            break;
        }
        add(std::move(ind));
        if (rep) add(std::move(rep));
        ++iter_;
        if (control_.count_iteration()) {
            control_.stop();
            stopped_ = true;
            break;
        }
        if (pm_.update())
            for (auto& o : infeas_) o->pcost = penalised(o->ev, pm_.penalties());
        if (params_.exchange_iterations > 0 && iter_ % params_.exchange_iterations == 0) exchange();
        if (iter_ - last_improve_ > params_.restart_iterations) {
            feas_.clear();
            infeas_.clear();
            last_improve_ = iter_;
            if (!initial_population(initial, false)) return;
        }
    }
}

}  // namespace lastmile
