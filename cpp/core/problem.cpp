#include "core/problem.h"

#include <algorithm>
#include <sstream>

#include "core/errors.h"
#include "core/geo.h"
#include "core/units.h"

namespace lastmile {
namespace {

template <class... Args>
std::string cat(Args&&... args) {
    std::ostringstream os;
    (os << ... << args);
    return os.str();
}

std::string num(double v) {
    std::ostringstream os;
    os.precision(10);
    os << v;
    return os.str();
}

[[noreturn]] void fail(const std::string& prefix, const char* field, const std::string& what) {
    throw InputError(prefix + field + ": " + what);
}

}  // namespace

void check_vehicle_energy(const VehicleEnergy& e, const std::string& prefix, std::size_t dims) {
    if (!std::isfinite(e.battery_kwh) || e.battery_kwh < 0.0)
        fail(prefix, "battery_kwh", "must be finite and >= 0, got " + num(e.battery_kwh));
    if (!std::isfinite(e.reserve_kwh) || e.reserve_kwh < 0.0)
        fail(prefix, "reserve_kwh", "must be finite and >= 0, got " + num(e.reserve_kwh));
    if (!e.model) {
        if (e.battery_kwh > 0.0)
            fail(prefix, "energy_vehicle",
                 "battery_kwh > 0 needs an energy model (energy_vehicle, e.g. "
                 "energy.Vehicle.preset('small_van')) to compute route energy");
        return;
    }
    if (!(e.battery_kwh > 0.0)) fail(prefix, "battery_kwh", "must be > 0 with an energy model");
    if (e.reserve_kwh >= e.battery_kwh)
        fail(
            prefix, "reserve_kwh",
            num(e.reserve_kwh) + " kWh must be below the battery (" + num(e.battery_kwh) + " kWh)");
    if (e.payload_dim >= dims)
        fail(prefix, "payload_dim",
             "dimension " + std::to_string(e.payload_dim) + " is outside [0, " +
                 std::to_string(dims) + ")");
}

ProblemData::ProblemData(std::vector<double> x, std::vector<double> y, std::vector<Load> demand,
                         std::size_t num_dims, std::vector<Duration> service,
                         std::vector<VehicleType> types, DistanceKind kind, double distance_scale,
                         double duration_per_distance, std::vector<Distance> distance_matrix,
                         std::vector<Duration> duration_matrix, std::vector<double> elevation,
                         std::vector<std::int32_t> zone, double circuity, std::size_t dense_limit,
                         TimeData time, std::size_t num_depots, std::vector<Load> pickup)
    : n_(x.size()),
      dims_(num_dims),
      x_(std::move(x)),
      y_(std::move(y)),
      demand_(std::move(demand)),
      service_(std::move(service)),
      types_(std::move(types)),
      kind_(kind),
      scale_(distance_scale),
      dur_per_dist_(duration_per_distance),
      circuity_(circuity),
      dist_(std::move(distance_matrix)),
      dur_(std::move(duration_matrix)),
      elevation_(std::move(elevation)),
      zone_(std::move(zone)),
      early_(std::move(time.early)),
      late_(std::move(time.late)),
      release_(std::move(time.release)),
      loading_(std::move(time.loading)),
      depots_(num_depots),
      pickup_(std::move(pickup)) {
    if (depots_ < 1) throw InputError("depots: need at least one depot");
    if (n_ < depots_ + 1)
        throw InputError(cat("coords: need ", depots_, " depot(s) and at least one client, got ",
                             n_, " node(s)"));
    if (y_.size() != n_)
        throw InputError(cat("coords: x has ", n_, " entries but y has ", y_.size()));
    for (std::size_t i = 0; i < n_; ++i)
        if (!std::isfinite(x_[i]) || !std::isfinite(y_[i]))
            throw InputError(
                cat("coords: node ", i, " has a non-finite coordinate (", x_[i], ", ", y_[i], ")"));
    if (dims_ < 1) throw InputError("demand: need at least one capacity dimension");
    if (demand_.size() != n_ * dims_)
        throw InputError(
            cat("demand: expected ", n_, " x ", dims_, " values, got ", demand_.size()));
    for (std::size_t i = 0; i < demand_.size(); ++i)
        if (demand_[i] < 0)
            throw InputError(cat("demand: node ", i / dims_, " dimension ", i % dims_,
                                 " is negative (", demand_[i], ")"));
    for (std::size_t d = 0; d < dims_; ++d) demand_[d] = 0;  // the depot carries no demand
    if (service_.size() != n_)
        throw InputError(cat("service_time: expected ", n_, " values, got ", service_.size()));
    for (std::size_t i = 0; i < n_; ++i)
        if (service_[i] < 0)
            throw InputError(cat("service_time: node ", i, " is negative (", service_[i], ")"));
    if (!(scale_ > 0) || !std::isfinite(scale_))
        throw InputError(cat("distance_scale: must be > 0, got ", scale_));
    if (!(dur_per_dist_ >= 0) || !std::isfinite(dur_per_dist_))
        throw InputError(
            cat("duration_per_distance: must be >= 0 and finite, got ", dur_per_dist_));
    if (!(circuity_ > 0) || !std::isfinite(circuity_))
        throw InputError(cat("circuity: must be > 0, got ", circuity_));
    if (kind_ == DistanceKind::haversine) {
        for (std::size_t i = 0; i < n_; ++i)
            if (std::abs(x_[i]) > 180.0 || std::abs(y_[i]) > 90.0)
                throw InputError(cat("coords: node ", i, " is not a (lon, lat) pair in degrees (",
                                     x_[i], ", ", y_[i], ")"));
    }
    if (!elevation_.empty()) {
        if (elevation_.size() != n_)
            throw InputError(cat("elevation_m: expected ", n_, " values, got ", elevation_.size()));
        for (std::size_t i = 0; i < n_; ++i)
            if (!std::isfinite(elevation_[i]))
                throw InputError(cat("elevation_m: node ", i, " is not finite"));
    }
    if (!zone_.empty() && zone_.size() != n_)
        throw InputError(cat("zone: expected ", n_, " values, got ", zone_.size()));

    if (types_.empty()) throw InputError("vehicle_types: at least one vehicle type is required");
    for (std::size_t k = 0; k < types_.size(); ++k) {
        const auto& t = types_[k];
        if (t.capacity.size() != dims_)
            throw InputError(cat("vehicle_types[", k, "].capacity: expected ", dims_,
                                 " dimension(s), got ", t.capacity.size()));
        for (auto c : t.capacity)
            if (c < 0) throw InputError(cat("vehicle_types[", k, "].capacity: negative value ", c));
        if (t.num_available < 0)
            throw InputError(
                cat("vehicle_types[", k, "].num_available: negative (", t.num_available, ")"));
        if (!std::isfinite(t.fixed_cost) || t.fixed_cost < 0)
            throw InputError(cat("vehicle_types[", k, "].fixed_cost: must be finite and >= 0"));
        if (!std::isfinite(t.cost_per_distance) || t.cost_per_distance < 0)
            throw InputError(
                cat("vehicle_types[", k, "].cost_per_distance: must be finite and >= 0"));
        if (!std::isfinite(t.cost_per_duration) || t.cost_per_duration < 0)
            throw InputError(
                cat("vehicle_types[", k, "].cost_per_duration: must be finite and >= 0"));
        if (t.max_duration < 0)
            throw InputError(cat("vehicle_types[", k, "].max_duration: negative"));
        if (t.max_distance < 0)
            throw InputError(cat("vehicle_types[", k, "].max_distance: negative"));
        check_vehicle_energy(t.energy, cat("vehicle_types[", k, "]."), dims_);
    }
    bool any_fleet = false;
    for (const auto& t : types_) any_fleet |= t.num_available > 0;
    if (!any_fleet)
        throw InputError("vehicle_types: no vehicles available (every num_available is 0)");
    // Every client must fit in some vehicle type, in every dimension at once.
    for (std::size_t i = 1; i <= num_clients(); ++i) {
        bool fits = false;
        for (const auto& t : types_) {
            if (t.num_available == 0) continue;
            bool ok = true;
            for (std::size_t d = 0; d < dims_; ++d) ok &= this->demand(i, d) <= t.capacity[d];
            fits |= ok;
        }
        if (!fits) {
            Load mx = 0;
            for (const auto& t : types_) mx = std::max(mx, t.capacity[0]);
            throw InputError(
                cat("demand: client ", i, " (demand ", this->demand(i, 0), dims_ > 1 ? ", ..." : "",
                    ") exceeds the capacity of every vehicle type (largest capacity[0] ", mx, ")"));
        }
    }

    if (kind_ == DistanceKind::matrix) {
        if (dist_.size() != n_ * n_)
            throw InputError(
                cat("distance_matrix: expected ", n_, " x ", n_, " entries, got ", dist_.size()));
    } else if (!dist_.empty()) {
        throw InputError("distance_matrix: only allowed with distance kind 'matrix'");
    }
    for (std::size_t i = 0; i < dist_.size(); ++i)
        if (dist_[i] < 0)
            throw InputError(
                cat("distance_matrix: entry (", i / n_, ", ", i % n_, ") is negative"));
    if (!dur_.empty()) {
        if (dur_.size() != n_ * n_)
            throw InputError(
                cat("duration_matrix: expected ", n_, " x ", n_, " entries, got ", dur_.size()));
        for (std::size_t i = 0; i < dur_.size(); ++i)
            if (dur_[i] < 0)
                throw InputError(
                    cat("duration_matrix: entry (", i / n_, ", ", i % n_, ") is negative"));
    }
    check_depots();
    check_reloads();
    check_magnitudes();
    check_time_windows();
    check_pickups();
    // Dense distance cache for instances small enough (memory n^2 * 8 bytes).
    if (dist_.empty() && n_ <= dense_limit) {
        std::vector<Distance> d(n_ * n_);
        for (std::size_t i = 0; i < n_; ++i)
            for (std::size_t j = 0; j < n_; ++j) d[i * n_ + j] = compute_distance(i, j);
        dist_ = std::move(d);
    }
    // Derived durations of the same pairs (the search reads them in its inner loops).
    if (dur_.empty() && !dist_.empty() && n_ <= kDurationCacheLimit) {
        std::vector<Duration> t(n_ * n_);
        for (std::size_t k = 0; k < t.size(); ++k)
            t[k] = round_half_away(static_cast<double>(dist_[k]) * dur_per_dist_);
        dur_cache_ = std::move(t);
    }
    auto is_symmetric = [n = n_](const auto& m) {
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = i + 1; j < n; ++j)
                if (m[i * n + j] != m[j * n + i]) return false;
        return true;
    };
    symmetric_ = (kind_ != DistanceKind::matrix || is_symmetric(dist_)) &&
                 (dur_.empty() || is_symmetric(dur_));
}

// --- time windows ---
void ProblemData::check_time_windows() {
    const double cap = static_cast<double>(kUnlimited) / (4.0 * static_cast<double>(n_));
    auto check_vec = [&](const std::vector<Duration>& v, const char* field) {
        if (v.empty()) return;
        if (v.size() != n_)
            throw InputError(cat(field, ": expected ", n_, " values, got ", v.size()));
        for (std::size_t i = 0; i < n_; ++i) {
            if (v[i] < 0) throw InputError(cat(field, ": node ", i, " is negative (", v[i], ")"));
            if (v[i]<kUnlimited&& static_cast<double>(v[i])> cap)
                throw InputError(cat(field, ": node ", i, " value ", v[i],
                                     " is too large for the internal units (max ", cap, ")"));
        }
    };
    check_vec(early_, "tw_early");
    check_vec(late_, "tw_late");
    check_vec(release_, "release_time");
    if (!loading_.empty() && loading_.size() != depots_)
        throw InputError(cat("depot_loading_time: expected ", depots_,
                             " values (one per depot), got ", loading_.size()));
    bool any = false;
    for (std::size_t d = 0; d < loading_.size(); ++d) {
        if (loading_[d] < 0 || static_cast<double>(loading_[d]) > cap)
            throw InputError(cat("depot_loading_time: depot ", d, " value ", loading_[d],
                                 " is negative or too large for the internal units (max ", cap,
                                 ")"));
        any |= loading_[d] > 0;  // timed evaluation: the search then sees it in start_seg
    }
    for (std::size_t i = 0; i < n_; ++i)
        if (tw_early(i) > tw_late(i))
            throw InputError(cat("time_window: ",
                                 i == 0        ? std::string("depot")
                                 : is_depot(i) ? cat("depot ", i - num_clients())
                                               : cat("client ", i),
                                 " opens at ", tw_early(i), " after it closes at ", tw_late(i)));
    for (std::size_t i = 0; i < n_; ++i)
        any |= tw_early(i) > 0 || tw_late(i) < kUnlimited || (!is_depot(i) && release(i) > 0);
    for (std::size_t k = 0; k < types_.size(); ++k) {
        const auto& t = types_[k];
        if (t.earliest_start < 0)
            throw InputError(cat("vehicle_types[", k, "].earliest_start: negative"));
        if (t.latest_end < t.earliest_start)
            throw InputError(cat("vehicle_types[", k, "].latest_end: ", t.latest_end,
                                 " is before earliest_start ", t.earliest_start));
        any |= t.earliest_start > 0 || t.latest_end < kUnlimited;
        check_break(t, k);
        any |= t.has_break();
    }
    has_time_ = any;
    if (!has_time_) return;
    // Every client must be servable alone by some vehicle type: depot -> client -> depot inside
    // the windows, departing after its release (from and back to the type's depots).
    for (std::size_t i = 1; i <= num_clients(); ++i) {
        bool ok = false;
        TimeSeg best;
        std::size_t bk = 0;
        for (std::size_t k = 0; k < types_.size() && !ok; ++k) {
            if (types_[k].num_available == 0) continue;
            const std::size_t a = start_node(k), b = end_node(k);
            const TimeSeg s =
                TimeSeg::merge(TimeSeg::merge(start_seg(k), duration(a, i), visit_seg(i)),
                               duration(i, b), end_seg(k));
            ok = s.total_warp() == 0;
            best = TimeSeg::merge(start_seg(k), duration(a, i), visit_seg(i));
            if (multi_depot()) bk = k;  // messages name the last type tried
        }
        if (ok) continue;
        const std::size_t a = start_node(bk), b = end_node(bk);
        const Duration depart = std::max(start_seg(bk).early, release(i));
        if (release(i) > start_seg(bk).late)
            throw InputError(cat("release_time: client ", i, " is released at ", release(i),
                                 " after the depot closes / the shift ends (", start_seg(bk).late,
                                 ")"));
        const Duration arrive = depart + start_seg(bk).dur + duration(a, i);  // after loading
        if (arrive > tw_late(i))
            throw InputError(cat("time_window: client ", i,
                                 " cannot be reached in its window: "
                                 "earliest arrival ",
                                 arrive, " > window end ", tw_late(i)));
        throw InputError(cat("time_window: client ", i,
                             " cannot be served and the vehicle back at the depot before it "
                             "closes (depot/shift end ",
                             end_seg(bk).late, ", time warp ",
                             TimeSeg::merge(best, duration(i, b), end_seg(bk)).total_warp(), ")"));
    }
}
// --- end time windows ---

// --- several depots ---
void ProblemData::check_depots() const {
    for (std::size_t k = 0; k < types_.size(); ++k) {
        const auto& t = types_[k];
        if (t.start_depot >= depots_)
            throw InputError(cat("vehicle_types[", k, "].start_depot: depot ", t.start_depot,
                                 " does not exist (", depots_, " depot(s))"));
        if (t.end_depot >= depots_)
            throw InputError(cat("vehicle_types[", k, "].end_depot: depot ", t.end_depot,
                                 " does not exist (", depots_, " depot(s))"));
        if (depots_ > 1 && t.energy.constrained())
            throw InputError(cat("vehicle_types[", k,
                                 "].battery_kwh: battery constraints are not supported with "
                                 "several depots"));
    }
    for (std::size_t i = num_clients() + 1; i < n_; ++i) {
        for (std::size_t d = 0; d < dims_; ++d)
            if (demand(i, d) != 0)
                throw InputError(cat("demand: depot ", i - num_clients(), " (node ", i,
                                     ") must have no demand, got ", demand(i, d)));
        if (service_[i] != 0)
            throw InputError(cat("service_time: depot ", i - num_clients(), " (node ", i,
                                 ") must be 0, got ", service_[i]));
        if (!release_.empty() && release_[i] != 0)
            throw InputError(cat("release_time: depot ", i - num_clients(), " (node ", i,
                                 ") must be 0, got ", release_[i]));
    }
}
// --- end several depots ---

// --- reloads ---
void ProblemData::check_reloads() {
    const double cap = static_cast<double>(kUnlimited) / (4.0 * static_cast<double>(n_));
    for (std::size_t k = 0; k < types_.size(); ++k) {
        const auto& t = types_[k];
        for (std::size_t i = 0; i < t.reload_depots.size(); ++i) {
            const auto d = t.reload_depots[i];
            if (d >= depots_)
                throw InputError(cat("vehicle_types[", k, "].reload_depots: depot ", d,
                                     " does not exist (", depots_, " depot(s))"));
            for (std::size_t j = 0; j < i; ++j)
                if (t.reload_depots[j] == d)
                    throw InputError(
                        cat("vehicle_types[", k, "].reload_depots: depot ", d, " is listed twice"));
        }
        if (t.max_reloads < 0)
            throw InputError(
                cat("vehicle_types[", k, "].max_reloads: negative (", t.max_reloads, ")"));
        if (t.reload_time < 0 || static_cast<double>(t.reload_time) > cap)
            throw InputError(cat("vehicle_types[", k, "].reload_time: ", t.reload_time,
                                 " must be in [0, ", cap, "]"));
        if (!t.reload_depots.empty() && t.energy.constrained())
            throw InputError(cat("vehicle_types[", k,
                                 "].reload_depots: reloads are not supported with a battery "
                                 "constraint"));
        has_reloads_ |= !t.reload_depots.empty();
    }
}
// --- end reloads ---

void ProblemData::check_magnitudes() const {
    // A route has at most 2n edges and n service times; keeping every single value below
    // kUnlimited / (4n) keeps every total well inside int64 and below the "no limit" sentinel.
    const double cap = static_cast<double>(kUnlimited) / (4.0 * static_cast<double>(n_));
    for (std::size_t i = 0; i < n_; ++i) {
        if (static_cast<double>(service_[i]) > cap)
            throw InputError(cat("service_time: node ", i, " value ", service_[i],
                                 " is too large for the internal units (max ", cap, ")"));
        for (std::size_t d = 0; d < dims_; ++d)
            if (static_cast<double>(demand(i, d)) > cap)
                throw InputError(cat("demand: node ", i, " dimension ", d, " value ", demand(i, d),
                                     " is too large (max ", cap, ")"));
    }
    double max_edge = 0.0;
    const char* field = "coords";
    if (kind_ == DistanceKind::matrix) {
        field = "distance_matrix";
        for (auto v : dist_) max_edge = std::max(max_edge, static_cast<double>(v));
    } else if (kind_ == DistanceKind::haversine) {
        max_edge = units::kPi * units::kEarthRadiusM / units::kMetresPerKm * circuity_ * scale_;
    } else {
        const auto [xlo, xhi] = std::minmax_element(x_.begin(), x_.end());
        const auto [ylo, yhi] = std::minmax_element(y_.begin(), y_.end());
        const double ex = *xhi - *xlo, ey = *yhi - *ylo;
        max_edge =
            std::sqrt(ex * ex + ey * ey) * scale_;  // as compute_distance (inf if dx^2 overflows)
    }
    if (!(max_edge <= cap))
        throw InputError(cat(field, ": edges up to ", max_edge, " internal units (distance_scale ",
                             scale_, ") are too large for the internal units (max ", cap, ")"));
    if (dur_.empty()) {
        if (!(max_edge * dur_per_dist_ <= cap))
            throw InputError(cat("duration_per_distance: durations up to ",
                                 max_edge * dur_per_dist_, " internal units are too large (max ",
                                 cap, ")"));
    } else {
        for (std::size_t i = 0; i < dur_.size(); ++i)
            if (static_cast<double>(dur_[i]) > cap)
                throw InputError(cat("duration_matrix: entry (", i / n_, ", ", i % n_, ") value ",
                                     dur_[i], " is too large (max ", cap, ")"));
    }
}

Distance ProblemData::compute_distance(std::size_t i, std::size_t j) const {
    switch (kind_) {
        case DistanceKind::euclidean_rounded:
        case DistanceKind::euclidean:
            return euclid(i, j);
        case DistanceKind::haversine: {
            if (i == j) return 0;
            const double m = geo::haversine_m(x_[i], y_[i], x_[j], y_[j]);
            return static_cast<Distance>(
                std::llround(m / units::kMetresPerKm * circuity_ * scale_));  // user unit: km
        }
        case DistanceKind::matrix:
            return dist_[i * n_ + j];
    }
    return 0;
}

}  // namespace lastmile
