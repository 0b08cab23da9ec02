// Immutable problem data: depot + clients, capacity dimensions, vehicle types, distances and
// durations (dense matrix or computed on the fly from coordinates for large instances).
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/load_segment.h"
#include "core/time_window.h"
#include "core/types.h"

namespace lastmile {

/// How edge distances are obtained.
enum class DistanceKind : int {
    euclidean_rounded = 0,  ///< TSPLIB EUC_2D: nint(euclid) per edge, scale 1
    euclidean = 1,          ///< unrounded Euclidean, round(scale * euclid) per edge
    haversine = 2,          ///< great-circle metres x circuity on (lon, lat) degrees
    matrix = 3,             ///< explicit matrix supplied by the user
};

/// The per-arc energy model of a vehicle type, as the core sees it: an immutable object the
/// vehicle type shares and never looks into. cpp/energy defines the one implementation (EvModel,
/// energy/ev_routing.h) and everything that evaluates it: arc coefficient caches, segment algebra,
/// route energy and the battery check of a Solution (energy/battery_check.h).
struct VehicleEnergyModel {
    virtual ~VehicleEnergyModel() = default;
};

/// Energy parameters of a battery-electric vehicle type, plain data (zero battery means "not
/// electric" and no energy constraint). With a model, every route of the type must keep its
/// charge above the reserve. energy::make_vehicle_energy builds and validates it (and fills in
/// the model vehicle's usable energy when no battery is given); ProblemData checks it against the
/// instance (check_vehicle_energy).
struct VehicleEnergy {
    double battery_kwh = 0.0;  // usable battery capacity (kWh); 0 = no battery constraint
    double reserve_kwh = 0.0;  // minimum energy that must remain at every point of a route
    std::shared_ptr<const VehicleEnergyModel> model;  // null: no battery constraint
    std::size_t payload_dim = 0;  // demand dimension that holds the payload in kg
    bool constrained() const { return model != nullptr && battery_kwh > 0.0; }
};

/// Checks the plain energy data of a vehicle type against an instance with `num_dims` demand
/// dimensions: battery and reserve finite and >= 0, a battery only with a model and a model only
/// with a battery, the reserve below the battery, payload_dim a demand dimension. Throws
/// InputError whose message starts with `prefix` + the field name.
void check_vehicle_energy(const VehicleEnergy& e, const std::string& prefix, std::size_t num_dims);

/// One vehicle type of the (possibly heterogeneous) fleet.
struct VehicleType {
    std::vector<Load> capacity;               // capacity per demand dimension
    std::int64_t num_available = kUnlimited;  // number of vehicles (kUnlimited = no limit)
    Cost fixed_cost = 0.0;                    // cost per route used
    Cost cost_per_distance = 1.0;             // cost per internal distance unit
    Cost cost_per_duration = 0.0;             // cost per internal duration unit
    Duration max_duration = kUnlimited;       // shift limit incl. service (internal units)
    Distance max_distance = kUnlimited;       // route length limit (internal units)
    std::string name;                         // label for reports
    VehicleEnergy energy;                     // battery (optional)
    // --- time windows: the shift window (internal duration units, clock time) ---
    Duration earliest_start = 0;       // the route leaves the depot at or after this time
    Duration latest_end = kUnlimited;  // and is back at the depot at or before this time
    // --- end time windows ---
    // --- driver breaks (core/route_break.h): each non-empty route of the type takes one break
    // of break_duration, starting in [break_early, break_late] (clock time), at a stop ---
    Duration break_duration = 0;       // 0: no break
    Duration break_early = 0;          // the break starts at or after this time
    Duration break_late = kUnlimited;  // and at or before this one
    bool has_break() const { return break_duration > 0; }
    // --- end driver breaks ---
    // --- several depots: depot indices in [0, num_depots) (ProblemData::depot_node) ---
    std::size_t start_depot = 0;  // routes of this type leave from this depot
    std::size_t end_depot = 0;    // and return to this one
    // --- end several depots ---
    // --- reloads: a route of several trips; a depot node among the visits is a reload ---
    std::vector<std::size_t> reload_depots;  // depots this type may reload at (empty: none)
    std::int64_t max_reloads = kUnlimited;   // most reload visits per route
    Duration reload_time = 0;                // time spent at each reload visit (internal units)
    bool can_reload(std::size_t depot) const {
        for (auto d : reload_depots)
            if (d == depot) return true;
        return false;
    }
    // --- end reloads ---

    /// The one route-cost formula: fixed + per-distance * distance + per-duration * duration
    /// (internal units). `variable_cost` is the same without the fixed part (arc and delta terms).
    Cost variable_cost(double distance, double duration) const {
        return cost_per_distance * distance + cost_per_duration * duration;
    }
    Cost route_cost(double distance, double duration) const {
        return fixed_cost + cost_per_distance * distance + cost_per_duration * duration;
    }
};

// --- time windows ---
/// Per-node time data (internal duration units, clock time). Node 0 is the depot: its window is
/// the depot's opening window (routes leave and return inside it) and its release is ignored.
/// Empty vectors mean "no windows" (0, unlimited) and "no release" (0).
struct TimeData {
    std::vector<Duration> early;    // window opening per node
    std::vector<Duration> late;     // window closing per node (service must start by then)
    std::vector<Duration> release;  // release time per node (the route departs after it)
    /// Per depot (index as VehicleType::start_depot): loading time spent at the depot before
    /// every trip leaves it (at a route's start and after each reload there). Empty: none.
    std::vector<Duration> loading;
};
// --- end time windows ---

/// Immutable instance. Node 0 is depot 0; clients are 1..n in input order. With several depots
/// (num_depots D > 1) depots 1..D-1 are the nodes n+1..n+D-1 after the clients, so that every
/// client loop (1..num_clients()) and the single-depot layout stay as they are; a route of type k
/// starts at start_node(k) and ends at end_node(k). Depot nodes carry no demand, service or
/// release; their time window is the depot's opening window.
class ProblemData {
  public:
    ProblemData(std::vector<double> x, std::vector<double> y, std::vector<Load> demand,
                std::size_t num_dims, std::vector<Duration> service, std::vector<VehicleType> types,
                DistanceKind kind, double distance_scale, double duration_per_distance,
                std::vector<Distance> distance_matrix, std::vector<Duration> duration_matrix,
                std::vector<double> elevation, std::vector<std::int32_t> zone, double circuity,
                std::size_t dense_limit, TimeData time = {}, std::size_t num_depots = 1,
                std::vector<Load> pickup = {});

    std::size_t num_nodes() const { return n_; }  // depots + clients
    std::size_t num_clients() const { return n_ - depots_; }
    std::size_t num_dims() const { return dims_; }
    std::size_t num_vehicle_types() const { return types_.size(); }
    const VehicleType& vehicle_type(std::size_t k) const { return types_[k]; }
    const std::vector<VehicleType>& vehicle_types() const { return types_; }

    double x(std::size_t i) const { return x_[i]; }
    double y(std::size_t i) const { return y_[i]; }
    const std::vector<double>& xs() const { return x_; }
    const std::vector<double>& ys() const { return y_; }
    Load demand(std::size_t i, std::size_t d) const { return demand_[i * dims_ + d]; }
    const Load* demand_row(std::size_t i) const { return demand_.data() + i * dims_; }
    const std::vector<Load>& demands() const { return demand_; }
    Duration service(std::size_t i) const { return service_[i]; }
    const std::vector<Duration>& services() const { return service_; }
    const std::vector<double>& elevation() const { return elevation_; }  // empty if none
    const std::vector<std::int32_t>& zone() const { return zone_; }      // empty if none

    DistanceKind distance_kind() const { return kind_; }
    double distance_scale() const { return scale_; }
    double duration_per_distance() const { return dur_per_dist_; }
    double circuity() const { return circuity_; }
    bool dense() const { return !dist_.empty(); }
    /// Row i of the distance matrix (dense() only): dist_row(i)[j] == dist(i, j).
    const Distance* dist_row(std::size_t i) const { return dist_.data() + i * n_; }
    bool has_duration_matrix() const { return !dur_.empty(); }
    /// dist(i, j) == dist(j, i) and duration(i, j) == duration(j, i) for every pair (computed
    /// once: coordinate kinds are symmetric; explicit matrices are checked).
    bool symmetric() const { return symmetric_; }

    /// Edge distance in internal units. O(1): a matrix lookup when dense, else computed from the
    /// coordinates (a few ns for Euclidean).
    Distance dist(std::size_t i, std::size_t j) const {
        if (!dist_.empty()) return dist_[i * n_ + j];
        if (kind_ == DistanceKind::euclidean_rounded || kind_ == DistanceKind::euclidean)
            return euclid(i, j);  // inline: the search's hot path on large planar instances
        return compute_distance(i, j);
    }
    /// Edge driving duration in internal units.
    Duration duration(std::size_t i, std::size_t j) const {
        if (!dur_.empty()) return dur_[i * n_ + j];
        if (!dur_cache_.empty()) return dur_cache_[i * n_ + j];
        return static_cast<Duration>(
            round_half_away(static_cast<double>(dist(i, j)) * dur_per_dist_));
    }
    /// Largest number of nodes for which derived durations are cached (n^2 * 8 bytes, 32 MiB).
    static constexpr std::size_t kDurationCacheLimit = 2048;
    /// std::llround without the libm call (the search calls duration() in its inner loops): the
    /// same result for every finite x below 2^62 in magnitude (trunc is exact there, and so is
    /// x - trunc(x)); larger values go to std::llround.
    static std::int64_t round_half_away(double x) {
        if (!(x < 0x1p62 && x > -0x1p62)) return std::llround(x);
        const auto t = static_cast<std::int64_t>(x);  // truncates toward zero
        const double f = x - static_cast<double>(t);
        return t + (f >= 0.5) - (f <= -0.5);
    }
    Distance compute_distance(std::size_t i, std::size_t j) const;
    /// Euclidean distance in internal units, rounded half away from zero (as std::llround).
    Distance euclid(std::size_t i, std::size_t j) const {
        const double dx = x_[i] - x_[j], dy = y_[i] - y_[j];
        return static_cast<Distance>(round_half_away(std::sqrt(dx * dx + dy * dy) * scale_));
    }
    /// Some vehicle type has a battery constraint (its routes need an energy evaluation).
    bool has_battery_constraint() const {
        for (const auto& t : types_)
            if (t.energy.constrained()) return true;
        return false;
    }

    // --- time windows ---
    /// True when any window, release time or shift window constrains the routes: the search
    /// then evaluates routes with time segments (TimeSeg); otherwise durations are plain sums.
    bool has_time_windows() const { return has_time_; }
    Duration tw_early(std::size_t i) const { return early_.empty() ? 0 : early_[i]; }
    Duration tw_late(std::size_t i) const { return late_.empty() ? kUnlimited : late_[i]; }
    Duration release(std::size_t i) const { return release_.empty() ? 0 : release_[i]; }
    /// Segment of the single visit to client i (service, window, release).
    TimeSeg visit_seg(std::size_t i) const {
        return TimeSeg::visit(service_[i], tw_early(i), tw_late(i), is_depot(i) ? 0 : release(i));
    }
    /// Segment of the depot visit at either end of a route of type k: the depot's opening
    /// window intersected with the type's shift window (start_seg / end_seg: the type's start
    /// and end depot; both depot 0 with a single depot).
    /// The start segment's service is the start depot's loading time (the route starts with the
    /// loading, inside the depot window and the shift; a release bounds the loading's start).
    TimeSeg start_seg(std::size_t k) const {
        TimeSeg s = depot_visit(k, start_node(k));
        s.dur = depot_loading(types_[k].start_depot);
        return s;
    }
    TimeSeg end_seg(std::size_t k) const { return depot_visit(k, end_node(k)); }
    /// Loading time at depot d before each trip leaves it (0 when none was given).
    Duration depot_loading(std::size_t d) const { return loading_.empty() ? 0 : loading_[d]; }
    const std::vector<Duration>& depot_loadings() const { return loading_; }
    // --- end time windows ---

    // --- several depots ---
    std::size_t num_depots() const { return depots_; }
    bool multi_depot() const { return depots_ > 1; }
    /// Node of depot d (0 for depot 0, n + d after the n clients otherwise).
    std::size_t depot_node(std::size_t d) const { return d == 0 ? 0 : num_clients() + d; }
    bool is_depot(std::size_t i) const { return i == 0 || i > num_clients(); }
    std::size_t start_node(std::size_t k) const { return depot_node(types_[k].start_depot); }
    std::size_t end_node(std::size_t k) const { return depot_node(types_[k].end_depot); }
    /// Depot index of depot node i (is_depot(i)).
    std::size_t depot_of_node(std::size_t i) const { return i == 0 ? 0 : i - num_clients(); }
    // --- end several depots ---
    // --- reloads ---
    /// Some vehicle type may reload: routes may then hold depot nodes among their visits.
    bool has_reloads() const { return has_reloads_; }
    /// Segment of a reload visit of a route of type k at depot node `node` (its opening window,
    /// the type's reload time then the depot's loading time as service) before a trip whose
    /// clients' latest release is `release`: the loading starts after it, so the reload starts
    /// at or after release - reload_time. When that is after the depot closes, the segment
    /// carries the difference as time warp (the visit is then pinned at the closing time).
    TimeSeg reload_seg(std::size_t k, std::size_t node, Duration release) const {
        const Duration rt = types_[k].reload_time;
        const Duration svc = rt + depot_loading(depot_of_node(node));
        const Duration e = std::max(tw_early(node), release - rt), l = tw_late(node);
        if (e <= l) return TimeSeg::visit(svc, e, l, 0);
        return TimeSeg{svc, e - l, l, l, 0};
    }
    // --- end reloads ---
    // --- pickups ---
    /// True when some client picks goods up (returns): the load then varies along a route and
    /// capacity is checked at every point (LoadSeg peaks); otherwise the route's total delivery.
    bool has_pickups() const { return !pickup_.empty(); }
    Load pickup(std::size_t i, std::size_t d) const {
        return pickup_.empty() ? 0 : pickup_[i * dims_ + d];
    }
    /// Node-major pickup amounts (empty when no client picks up).
    const std::vector<Load>& pickups() const { return pickup_; }
    /// Load segment of the single visit to node i in dimension d.
    LoadSeg load_seg(std::size_t i, std::size_t d) const {
        return LoadSeg::visit(demand(i, d), pickup(i, d));
    }
    // --- end pickups ---

  private:
    void check_magnitudes() const;  // throws InputError if route totals could overflow
    void check_time_windows();      // validates the time data, sets has_time_
    static void check_break(const VehicleType& t, std::size_t k);  // problem_break.cpp
    void check_depots() const;  // several depots: depot nodes and vehicle-type depots
    TimeSeg depot_visit(std::size_t k, std::size_t node) const {
        const auto& t = types_[k];
        return TimeSeg::visit(0, std::max(tw_early(node), t.earliest_start),
                              std::min(tw_late(node), t.latest_end), 0);
    }
    void check_pickups();  // validates pickup_ (empties it when all zero)
    void check_reloads();  // reload depots, max_reloads, reload_time; sets has_reloads_

    std::size_t n_;
    std::size_t dims_;
    std::vector<double> x_, y_;      // planar x/y or lon/lat (degrees), per node
    std::vector<Load> demand_;       // node-major: demand_[i * dims_ + d]; depot row is 0
    std::vector<Duration> service_;  // service time per node (depot 0)
    std::vector<VehicleType> types_;
    DistanceKind kind_;
    double scale_;                     // internal distance units per user distance unit
    double dur_per_dist_;              // duration units per distance unit when no matrix
    double circuity_;                  // multiplier on haversine distances
    std::vector<Distance> dist_;       // dense n*n row-major, empty when computed on the fly
    std::vector<Duration> dur_;        // dense n*n, empty when derived from distance
    std::vector<Duration> dur_cache_;  // duration(i, j) of every pair when derived from a dense
                                       // distance matrix and n <= kDurationCacheLimit, else empty
    std::vector<double> elevation_;    // metres per node, empty if not given
    std::vector<std::int32_t> zone_;   // zone id per node, empty if not given
    bool symmetric_ = true;
    // --- time windows ---
    std::vector<Duration> early_, late_, release_;  // per node, empty when not given
    std::vector<Duration> loading_;                 // per depot, empty when not given
    bool has_time_ = false;
    // --- end time windows ---
    std::size_t depots_ = 1;    // number of depots (several depots: nodes n+1.. after the clients)
    std::vector<Load> pickup_;  // node-major like demand_, empty when no client picks up
    bool has_reloads_ = false;  // some vehicle type has reload depots
};

}  // namespace lastmile
