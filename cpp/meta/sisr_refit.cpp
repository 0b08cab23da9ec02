// SISR, mixed fleet: the vehicle type of a route follows its content. Recreate only inserts
// into a route while its type's capacity holds and opens a new route with the cheapest type that
// fits one client, so a route keeps the (large, dear) type it was opened or grown with after
// ruins shrink it. With fixed and per-distance costs that rise with the capacity (the FSMFD
// instances of Pessoa et al. 2018), SISR then settled on few large vans (17 routes where the best
// known uses 29). After each recreate every touched route takes the cheapest type that has a
// vehicle left and keeps it feasible (capacity or pickup peak, distance, duration, windows,
// battery), which lets string removals walk a route down to a smaller van.
#include "core/route_load.h"
#include "meta/sisr.h"

namespace lastmile {

namespace {
constexpr double kRefitEps = 1e-7;  // a type change must save more than this
}  // namespace

void Sisr::refit_types(bool all) {
    if (!refit_) return;
    const std::size_t nt = data_.num_vehicle_types();
    R keep;
    auto fits_load = [&](const R& x, const VehicleType& t) {
        const std::size_t m = x.v.size();
        for (std::size_t d = 0; d < dims_; ++d) {
            const Load peak = data_.has_pickups() ? x.lp.fwd[m * dims_ + d].peak : x.load[d];
            if (peak > t.capacity[d]) return false;
        }
        return true;
    };
    auto energy_ok = [&](const R& x, int k) {
        const int c = ev_.active() ? ev_.cls(k) : -1;
        if (c < 0) return true;
        double total, peak;
        ev_.visits_energy(c, x.v, total, peak);
        return peak <= ev_.limit(k);
    };
    auto visit = [&](int r) {
        auto& x = routes_[r];
        if (x.v.empty()) return;
        const int cur = x.type;
        const auto ck = static_cast<std::size_t>(cur);
        if (data_.vehicle_type(ck).has_break()) return;
        int best_k = -1;
        double best_cost = x.cost - kRefitEps;
        bool saved = false;
        for (std::size_t k = 0; k < nt; ++k) {
            if (k == ck) continue;
            const auto& t = data_.vehicle_type(k);
            if (used_[k] >= t.num_available || t.has_break() || t.fixed_cost >= best_cost ||
                !fits_load(x, t))
                continue;
            const int ki = static_cast<int>(k);
            const bool same_ends = data_.start_node(k) == data_.start_node(ck) &&
                                   data_.end_node(k) == data_.end_node(ck);
            double cost;
            if (same_ends && !time_) {  // distance and duration do not depend on the type
                if (x.dist > t.max_distance || x.dur > t.max_duration) continue;
                cost = t.route_cost(static_cast<double>(x.dist), static_cast<double>(x.dur));
                if (cost >= best_cost || !energy_ok(x, ki)) continue;
            } else {  // other depots or type windows: evaluate the route under type k, restore
                if (!saved) keep = x, saved = true;
                x.type = ki;
                recompute(r);
                const std::size_t m = x.v.size();
                const bool ok =
                    x.dist <= t.max_distance && x.dur <= t.max_duration &&
                    (!time_ ||
                     TimeSeg::merge(x.tf[m], data_.duration(x.v[m - 1], data_.end_node(k)), x.tb[m])
                             .total_warp() == 0) &&
                    energy_ok(x, ki);
                cost = x.cost;
                x = keep;
                if (!ok || cost >= best_cost) continue;
            }
            best_cost = cost;
            best_k = ki;
        }
        if (best_k < 0) return;
        --used_[ck];
        ++used_[static_cast<std::size_t>(best_k)];
        x.type = best_k;
        recompute(r);
    };
    if (all) {
        for (int r = 0; r < static_cast<int>(routes_.size()); ++r) visit(r);
    } else {
        for (const int r : backup_idx_) visit(r);
    }
}

}  // namespace lastmile
