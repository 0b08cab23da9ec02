#include "meta/hgs.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "construct/construct.h"
#include "meta/ls_setup.h"
#include "meta/split.h"

namespace lastmile {
namespace {

// The HGS-CVRP rule adapts the penalty weights every 100 local-search outputs. On 1,000 clients
// one output costs about 0.1-0.3 s here, so the first adaptation would come only after 10-30 s
// (and a VRPTW search starting with too low a time-warp weight found no feasible solution in
// 10 s): from 200 clients on, adapt every 20,000 / clients outputs, at least every 10.
constexpr int kRepairRounds = 4;

PenaltyParams hgs_penalty_params(const ProblemData& data, const SolverParams& params) {
    PenaltyParams pp = penalty_params(params);
    const std::size_t n = data.num_clients();
    if (n > 200) pp.update_every = std::max(10, static_cast<int>(20000 / n));
    return pp;
}

}  // namespace

// ------------------------------------------------------------------------------------------
// HGS
// ------------------------------------------------------------------------------------------

Hgs::Hgs(const ProblemData& data, const Neighbours& nb, const SolverParams& params,
         Deadline& deadline, BestExchange& best, int thread, std::uint64_t seed,
         std::shared_ptr<const EvArcCache> ev_cache)
    : data_(data),
      params_(params),
      best_(best),
      stop_(deadline, thread),
      rng_(seed),
      ls_(make_local_search(data, nb, stop_, std::move(ev_cache))),
      pm_(data, hgs_penalty_params(data, params)) {}

std::unique_ptr<Hgs::Indiv> Hgs::make(std::vector<Route> routes) {
    auto ind = std::make_unique<Indiv>();
    const std::size_t n = data_.num_nodes();
    ind->routes = std::move(routes);
    ind->succ.assign(n, 0);
    ind->pred.assign(n, 0);
    for (const auto& r : ind->routes) {
        std::int32_t prev = 0;
        for (auto c : r.visits) {
            if (data_.is_depot(static_cast<std::size_t>(c))) continue;  // reloads: clients only
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
    ls_->set_penalties(pm_.penalties());
    auto ind = make(improve(*ls_, routes, rng_));
    pm_.record(ind->ev.load_ok, ind->ev.dur_ok, ind->ev.dist_ok, ind->ev.energy_ok,
               ind->ev.warp_ok);
    if (!ind->ev.feasible) {
        const double pc = penalised(ind->ev, pm_.penalties());
        if (pc < best_infeasible_pcost_)
            best_infeasible_pcost_ = pc, best_infeasible_ = ind->routes;
        if (allow_repair && !stop_.stopped() && rng_.uniform() < params_.repair_probability) {
            // Repair: the local search again with the weights times repair_boost (Vidal 2022),
            // and while the result stays infeasible with 10x more, up to kRepairRounds times
            // (Vidal et al. 2012 repair with 10x, then 100x). More rounds matter on large VRPTW
            // instances: the time-warp weight starts about one arc cost per unit, far below the
            // cost of a new route per unit of a small warp, and is adapted only every few local
            // searches (R1_10_1: 10x-10,000x repairs of the first offspring stayed infeasible,
            // 100,000x was feasible).
            double boost = params_.repair_boost;
            for (int round = 0; round < kRepairRounds && !stop_.stopped(); ++round, boost *= 10) {
                ls_->set_penalties(pm_.boosted(boost));
                auto rep = make(improve_again(*ls_, rng_));
                if (rep->ev.feasible) {
                    *repaired = std::move(rep);
                    break;
                }
            }
            ls_->set_penalties(pm_.penalties());
        }
    }
    return ind;
}

double Hgs::distance(const Indiv& a, const Indiv& b) const {
    const std::size_t n = data_.num_clients() + 1;  // clients 1..n-1
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
        best_.report(ind->routes, ind->ev.cost);
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
    const std::size_t n = data_.num_clients() + 1;  // clients 1..n-1
    int made = 0;
    auto one = [&](std::vector<Route> routes) {
        std::unique_ptr<Indiv> rep;
        auto ind = educate(std::move(routes), true, &rep);
        add(std::move(ind));
        if (rep) add(std::move(rep));
        ++iter_;
        ++made;
        stop_.count_iteration();
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
    if (best_.fetch_better(best_cost_, routes)) {
        auto ind = make(std::move(routes));
        if (ind->ev.feasible) {
            best_cost_ = ind->ev.cost;
            last_improve_ = iter_;
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
        if (stop_.stopped()) {  // interrupted local search: keep only what is feasible
            if (ind->ev.feasible) add(std::move(ind));
            break;
        }
        add(std::move(ind));
        if (rep) add(std::move(rep));
        ++iter_;
        if (stop_.count_iteration()) break;
        if (pm_.update())
            for (auto& o : infeas_) o->pcost = penalised(o->ev, pm_.penalties());
        if (exchange_due(iter_, params_.exchange_iterations)) exchange();
        if (iter_ - last_improve_ > params_.restart_iterations) {
            feas_.clear();
            infeas_.clear();
            last_improve_ = iter_;
            if (!initial_population(initial, false)) return;
        }
    }
}

}  // namespace lastmile
