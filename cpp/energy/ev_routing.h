// Battery constraints for the routing engine: the energy model attached to a vehicle type, the
// per-arc coefficients it implies on a ProblemData, O(1) segment concatenation of route energy
// and the exact minimum-charge walk.
//
// Energy of arc (i, j) driven with payload W (kg on board, i.e. the payload-dimension demand of
// every client still to be served after i) is a_ij + b_ij * W (energy/route.h), where a_ij and
// b_ij come from the closed-form ArcModel for length dist(i, j) (metres), rise elev(j) - elev(i)
// and dwell service(j) (seconds, aux + HVAC while serving j).
//
// Segment algebra. For a node sequence S = (s_0 .. s_L) entered with payload W (before the
// delivery at s_0) the energy of its L internal arcs is E_S(W) = A + B W - C with
//   A = sum a_k, B = sum b_k, C = sum_k b_k * (payload delivered in S before arc k),
// and D = payload delivered in S (all its nodes). Joining S1, an arc (a, b) and S2:
//   A = A1 + a + A2, B = B1 + b + B2, C = C1 + C2 + (b + B2) D1, D = D1 + D2.
// A route depot -> ... -> depot is entered with all its payload, so its energy is A + B D - C.
//
// Minimum state of charge: the charge is lowest after the prefix with the largest cumulative
// energy ("peak"). When every arc draws energy the peak is the route total, so the O(1) total is
// exact; steep downhill arcs with regeneration can make an earlier prefix the peak, so the total
// is only a lower bound of the peak. The local search screens moves with the O(1) total and
// confirms the moves that pass with the exact O(route) walk (ev_route_energy); the final
// feasibility test (Solution, evaluate_routes) always uses the exact walk.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/problem.h"
#include "energy/route.h"
#include "energy/validate.h"
#include "energy/vehicle.h"

namespace lastmile {

/// The energy model of a vehicle type (shared, immutable; never copied: ArcModel points at the
/// vehicle member). VehicleEnergy::model holds it as a core VehicleEnergyModel.
struct EvModel final : VehicleEnergyModel {
    EvModel(const energy::Vehicle& v, const energy::ArcOptions& o, double cruise_speed_mps,
            double metres_per_distance_unit, double seconds_per_duration_unit);
    EvModel(const EvModel&) = delete;
    EvModel& operator=(const EvModel&) = delete;

    energy::Vehicle vehicle;
    energy::ArcOptions options;
    double cruise_speed_mps;
    double metres_per_distance_unit;   // metres per internal distance unit
    double seconds_per_duration_unit;  // seconds per internal duration unit
    energy::ArcModel arc;              // built from `vehicle` (declared after it)
};

/// The EvModel of a vehicle type's energy data (null without a model). Throws std::logic_error
/// when the model is not an EvModel (the energy layer builds every model).
const EvModel* ev_model(const VehicleEnergy& e);

/// Concatenable energy data of a node sequence (see the header comment).
struct ESeg {
    double A = 0, B = 0, C = 0, D = 0;
};
/// s1, then the arc (a, b), then s2.
inline ESeg ecat(const ESeg& s1, double a, double b, const ESeg& s2) {
    return {s1.A + a + s2.A, s1.B + b + s2.B, s1.C + s2.C + (b + s2.B) * s1.D, s1.D + s2.D};
}
/// Energy of a sequence entered with all the payload it delivers (a whole route).
inline double eseg_energy(const ESeg& s) { return s.A + s.B * s.D - s.C; }

/// Dense coefficient tables a/b per energy class of one ProblemData, row-major n x n. Built once
/// per solve (meta/solver.cpp) and shared read-only by every search thread, when classes * n^2 *
/// 16 bytes stays within kEvCacheBytes; otherwise coefficients are computed on the fly, ~40 ns per
/// arc, and memory stays O(n). The values are those of EvRouting::compute_coef, bit for bit.
struct EvArcCache {
    std::size_t n = 0;
    std::vector<std::vector<double>> a, b;  // per class
};
inline constexpr std::size_t kEvCacheBytes = std::size_t{64} << 20;
/// The table of `data` (null when no type has a battery constraint or it exceeds kEvCacheBytes).
std::shared_ptr<const EvArcCache> build_ev_arc_cache(const ProblemData& data);

/// Energy classes of a ProblemData: vehicle types with the same model and payload dimension share
/// a class (and the per-route prefix arrays). Cheap to construct (O(types)); `cache` (from
/// build_ev_arc_cache on the same data, may be null) replaces the closed form by table lookups.
class EvRouting {
  public:
    explicit EvRouting(const ProblemData& data, std::shared_ptr<const EvArcCache> cache = nullptr);
    /// The shared coefficient table (null: closed form), to hand to another owner.
    const std::shared_ptr<const EvArcCache>& arc_cache() const { return cache_; }
    bool active() const { return !classes_.empty(); }
    int num_classes() const { return static_cast<int>(classes_.size()); }
    /// Energy class of a vehicle type (-1: no battery constraint).
    int cls(int type) const { return type_class_[static_cast<std::size_t>(type)]; }
    /// Usable energy of a type: battery - reserve (kWh); meaningful for EV types only.
    double limit(int type) const { return limit_[static_cast<std::size_t>(type)]; }
    /// Payload (kg) delivered at a node for class c.
    double payload(int c, std::size_t node) const {
        return node == 0 ? 0.0 : static_cast<double>(data_.demand(node, classes_[c].payload_dim));
    }
    std::size_t payload_dim(int c) const { return classes_[c].payload_dim; }
    /// Energy coefficients (kWh, kWh/kg) of arc i -> j for class c.
    void coef(int c, std::size_t i, std::size_t j, double& a, double& b) const {
        if (cache_) {
            const std::size_t k = i * cache_->n + j;
            a = cache_->a[static_cast<std::size_t>(c)][k];
            b = cache_->b[static_cast<std::size_t>(c)][k];
            return;
        }
        if (!slots_.empty()) {
            const std::uint64_t key =
                (static_cast<std::uint64_t>(c) * n_ + i) * static_cast<std::uint64_t>(n_) + j;
            Slot& s = slots_[(key * 0x9E3779B97F4A7C15ULL) >> shift_];
            if (s.key != key) {
                compute_coef(c, i, j, s.a, s.b);
                s.key = key;
            }
            a = s.a, b = s.b;
            return;
        }
        compute_coef(c, i, j, a, b);
    }
    /// Large instances (no dense table): remember recently used arcs in a direct-mapped table of
    /// 2^bits slots (24 bytes each; fixed memory). For single-threaded owners (LS, SISR). A no-op
    /// with a dense table.
    void enable_recent_arcs(int bits = 18);
    /// The closed form (no cache).
    void compute_coef(int c, std::size_t i, std::size_t j, double& a, double& b) const;
    /// Exact total and peak cumulative energy (kWh, peak >= 0) of the closed route given as
    /// nodes[0..m) = depot, clients..., depot.
    void route_energy(int c, const std::int32_t* nodes, std::size_t m, double& total,
                      double& peak) const;
    /// Same for a visit list (depots implicit).
    void visits_energy(int c, const std::vector<std::int32_t>& visits, double& total,
                       double& peak) const;

  private:
    struct Class {
        const EvModel* model;
        std::size_t payload_dim;
    };
    const ProblemData& data_;
    std::vector<Class> classes_;
    std::vector<int> type_class_;
    std::vector<double> limit_;
    std::shared_ptr<const EvArcCache> cache_;
    struct Slot {
        std::uint64_t key = ~std::uint64_t{0};
        double a = 0, b = 0;
    };
    mutable std::vector<Slot> slots_;
    std::uint64_t n_ = 0;
    int shift_ = 64;
};

/// Prefix arrays of one route for one energy class, forward and reversed.
struct EvPrefix {
    std::vector<double> a, b, c, ar, br, cr, d;  // per position (d: delivered up to and incl.)
    double total = 0, peak = 0;                  // exact, for the route as a whole
    /// Fills the arrays for nodes[0..m) (depot ... depot); the reversed ones only if asked.
    void build(const EvRouting& ev, int cls, const std::int32_t* nodes, std::size_t m,
               bool with_reverse = true);
    /// Positions i..j (inclusive) forward, or traversed from j down to i when rev.
    ESeg seg(int i, int j, bool rev) const {
        const auto I = static_cast<std::size_t>(i), J = static_cast<std::size_t>(j);
        const double before = i > 0 ? d[I - 1] : 0.0;  // delivered before position i
        ESeg s;
        s.D = d[J] - before;
        if (!rev) {
            s.A = a[J] - a[I];
            s.B = b[J] - b[I];
            s.C = (c[J] - c[I]) - s.B * before;
        } else {
            s.A = ar[J] - ar[I];
            s.B = br[J] - br[I];
            s.C = s.B * d[J] - (cr[J] - cr[I]);
        }
        return s;
    }
};

/// Throws InfeasibleError ("battery/energy") when some client cannot be served alone (depot ->
/// client -> depot) within battery - reserve by any vehicle type that has vehicles.
void check_energy_reachable(const ProblemData& data);

}  // namespace lastmile
