// Closed-form per-arc energy model for routing and metrics, and route / batch evaluation.
//
// An arc of length L (m) with elevation difference dh (m) is driven as: accelerate from 0 to the
// cruise speed v at accel_mps2, cruise, brake to 0 at decel_mps2 (a triangular profile with a
// lower peak speed when L is too short), then dwell (service) dwell_s at the end. Each phase's
// wheel work is linear in the vehicle mass m:
//   accel : m_eff v^2/2 + k v^2 d_a / 2 + m g (crr cos + sin) d_a      (k = rho Cd A / 2)
//   cruise: k v^2 d_c + m g (crr cos + sin) d_c
//   brake : -m_eff v^2/2 + k v^2 d_b / 2 + m g (crr cos + sin) d_b     (m_eff = m + n J / r^2)
// A phase whose work is positive at the reference mass is traction (divided by eta_trans times
// the motor efficiency at the phase's mean power); a negative one is recovered with the regen
// rule (linear fade averaged over the speed sweep, Fiori at the decel, ...) times eta_trans times
// the motor efficiency. Aux + HVAC power is charged for driving and dwell time; battery
// efficiency converts terminal to chemical energy. Efficiencies and signs are fixed at the
// reference mass, so the chemical energy of an arc is exactly E = a + b * payload_kg.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "energy/vehicle.h"

namespace lastmile::energy {

struct ArcOptions {
    double ambient_c = 20.0;
    double accel_mps2 = 1.0;
    double decel_mps2 = 1.0;
    RegenRule regen = RegenRule::linear;
    double reference_payload_kg = -1.0;  ///< < 0: half the vehicle's max payload
};

/// Precomputed vehicle constants for fast per-arc evaluation.
class ArcModel {
  public:
    ArcModel(const Vehicle& v, const ArcOptions& opt);
    /// Chemical energy coefficients (kWh, kWh per kg of payload) of one arc.
    void coefficients(double length_m, double elev_diff_m, double speed_mps, double dwell_s,
                      double& a_kwh, double& b_kwh_per_kg) const;

  private:
    const Vehicle* v_;
    double g_, k_drag_, m_empty_, m_inert_, m_ref_, p_max_, eta_t_, eta_b_;
    double p_aux_hvac_, accel_, decel_, fiori_brake_;
    RegenRule regen_;
    double crr_ = 0, inv_eta_b_ = 1, inv_accel_ = 1, inv_decel_ = 1, half_inv_accel_ = 0.5;
    double half_inv_decel_ = 0.5, tri_coef_ = 1, inv_vfade_ = 1, vfade2_third_ = 0;
    double inv_trac_load_ = 0, regen_load_ = 0, m_ref_eff_ = 0;
    // Motor efficiency resampled on a uniform load grid (O(1) lookups): 1 / (eta_t eta_m) for
    // traction and eta_t eta_m for regen.
    static constexpr int kTable = 512;
    std::array<double, kTable + 1> trac_factor_{}, regen_factor_{};
    double table_lookup(const std::array<double, kTable + 1>& tab, double load) const;
    double phase_factor(double work_ref_j, double power_ref_w, double speed_mps, double inv_speed,
                        bool sweep, double mass_ref) const;
};

void validate_arc_options(const ArcOptions& opt);

/// Validated arc options for vehicle v: `regen` defaults to the vehicle's rule and
/// `reference_payload_kg` to half its max payload (InputError naming the field).
ArcOptions make_arc_options(const Vehicle& v, double ambient_c, double accel_mps2,
                            double decel_mps2, const std::optional<std::string>& regen,
                            std::optional<double> reference_payload_kg);

/// Arrays for the batch evaluation; per-arc arrays of size 1 are broadcast.
struct ArcArrays {
    const double* distance_m = nullptr;
    std::size_t n_distance = 0;
    const double* elev_diff_m = nullptr;
    std::size_t n_elev = 0;
    const double* speed_mps = nullptr;
    std::size_t n_speed = 0;
    const double* dwell_s = nullptr;
    std::size_t n_dwell = 0;
};

void validate_arc_arrays(const ArcArrays& a, std::size_t n_arcs);

/// a/b for every arc (outputs of size n_arcs).
void arc_coefficients(const ArcModel& model, const ArcArrays& arcs, std::size_t n_arcs,
                      double* a_kwh, double* b_kwh_per_kg);

struct RouteEvalOptions {
    double battery_usable_kwh = 0.0;
    double initial_soc = 1.0;
    double reserve_kwh = 0.0;
    double extra_payload_kg = 0.0;  ///< on board for the whole route (not delivered)
};

/// Routes in CSR form over arcs: route r covers arcs [offsets[r], offsets[r+1]). The payload on
/// arc j is extra + the sum of payload_delivered_kg over the arcs j..end of its route (the
/// delivery happens at the end node of an arc). Outputs per arc (size n_arcs, may be null) and
/// per route (size n_routes).
void evaluate_routes(const std::int64_t* offsets, std::size_t n_routes, const double* a_kwh,
                     const double* b_kwh_per_kg, const double* payload_delivered_kg,
                     const RouteEvalOptions& opt, double* arc_energy_kwh, double* route_energy_kwh,
                     double* min_soc, double* end_soc, std::uint8_t* feasible);

/// Same, computing a/b on the fly (no per-arc coefficient storage).
void route_energy_batch(const ArcModel& model, const ArcArrays& arcs, const std::int64_t* offsets,
                        std::size_t n_routes, const double* payload_delivered_kg,
                        const RouteEvalOptions& opt, double* arc_energy_kwh,
                        double* route_energy_kwh, double* min_soc, double* end_soc,
                        std::uint8_t* feasible);

void validate_offsets(const std::int64_t* offsets, std::size_t n_offsets, std::size_t n_arcs);

}  // namespace lastmile::energy
