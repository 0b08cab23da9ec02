#include "meta/penalty.h"

#include <algorithm>

#include "energy/ev_routing.h"

namespace lastmile {

PenaltyParams penalty_params(const SolverParams& p) {
    PenaltyParams pp;
    pp.target_feasible = p.target_feasible;
    return pp;
}

PenaltyManager::PenaltyManager(const ProblemData& data, const PenaltyParams& params)
    : params_(params) {
    const std::size_t n = data.num_clients() + 1, dims = data.num_dims();  // clients 1..n-1
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
    // Like HGS: about the cost of the longest arc per unit of the largest demand. (The 1e-9 and
    // 1e-6 floors only keep the weights positive on cost-free or energy-free instances.)
    const double arc_cost_max = std::max(cpd * md + cpt * md * st / sd, 1e-9);
    const double arc_cost = std::max(cpd * sd + cpt * st, 1e-9);
    pen_.load.resize(dims);
    lo_.load.resize(dims), hi_.load.resize(dims);
    for (std::size_t d = 0; d < dims; ++d) {
        double mdem = 1;
        for (std::size_t i = 1; i < n; ++i)
            mdem = std::max({mdem, static_cast<double>(data.demand(i, d)),
                             static_cast<double>(data.pickup(i, d))});
        pen_.load[d] = arc_cost_max / mdem;
    }
    pen_.duration = std::max(arc_cost / st, 1e-9);
    pen_.distance = std::max(arc_cost / sd, 1e-9);
    const double lo = params_.min_factor, hi = params_.max_factor;
    for (std::size_t d = 0; d < dims; ++d)
        lo_.load[d] = pen_.load[d] * lo, hi_.load[d] = pen_.load[d] * hi;
    lo_.duration = pen_.duration * lo, hi_.duration = pen_.duration * hi;
    lo_.distance = pen_.distance * lo, hi_.distance = pen_.distance * hi;
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
    lo_.energy = pen_.energy * lo, hi_.energy = pen_.energy * hi;
    // Time warp: like the duration excess, about one average depot arc's cost per average
    // depot-arc duration (HGS-TW starts at a comparable scale).
    pen_.time_warp = pen_.duration;
    lo_.time_warp = pen_.time_warp * lo, hi_.time_warp = pen_.time_warp * hi;
}

void PenaltyManager::record(const std::vector<char>& load_ok, bool dur_ok, bool dist_ok,
                            bool energy_ok, bool warp_ok) {
    const std::size_t window = static_cast<std::size_t>(params_.window);
    auto push = [window](std::deque<char>& h, char v) {
        h.push_back(v);
        if (h.size() > window) h.pop_front();
    };
    for (std::size_t d = 0; d < load_hist_.size(); ++d) push(load_hist_[d], load_ok[d]);
    push(dur_hist_, dur_ok);
    push(dist_hist_, dist_ok);
    push(energy_hist_, energy_ok);
    push(warp_hist_, warp_ok);
    ++since_;
}

bool PenaltyManager::update() {
    if (since_ < params_.update_every) return false;
    since_ = 0;
    const double target = params_.target_feasible, tol = params_.tolerance;
    auto adapt = [&](const std::deque<char>& h, double& w, double lo, double hi) {
        if (h.empty()) return;
        const double frac =
            static_cast<double>(std::count(h.begin(), h.end(), 1)) / static_cast<double>(h.size());
        if (frac < target - tol)
            w = std::min(hi, w * params_.increase);
        else if (frac > target + tol)
            w = std::max(lo, w * params_.decrease);
    };
    for (std::size_t d = 0; d < load_hist_.size(); ++d)
        adapt(load_hist_[d], pen_.load[d], lo_.load[d], hi_.load[d]);
    adapt(dur_hist_, pen_.duration, lo_.duration, hi_.duration);
    adapt(dist_hist_, pen_.distance, lo_.distance, hi_.distance);
    adapt(energy_hist_, pen_.energy, lo_.energy, hi_.energy);
    adapt(warp_hist_, pen_.time_warp, lo_.time_warp, hi_.time_warp);
    return true;
}

Penalties PenaltyManager::boosted(double f) const {
    Penalties p = pen_;
    for (auto& w : p.load) w *= f;
    p.duration *= f;
    p.distance *= f;
    p.energy *= f;
    p.time_warp *= f;
    return p;
}

}  // namespace lastmile
