// Time-stepped simulation of a speed trace (any dt): backward-facing power-flow model.
//
// Per step i-1 -> i (dt = t_i - t_{i-1}, mean speed v = (s_{i-1} + s_i) / 2, grade of step i):
//   wheel power = drag 0.5 rho Cd A v^3 + rolling m g crr cos(th) v + grade m g sin(th) v
//                 + (m + n J / r^2)(s_i^2 - s_{i-1}^2) / (2 dt)
//   traction: motor mech = P / eta_trans, electric = mech / eta_motor(|mech| / P_max)
//   braking: the regen rule recovers a fraction of P, mech = frac P eta_trans, electric = mech
//   eta_m
//            (capped at the regen power limit; the rest goes to the friction brakes)
//   terminal = electric + aux + hvac; chemical = terminal / eta_batt (discharge) or * eta_batt.
// mode fastsim reproduces FASTSim 3.1's conventions: g = 9.8, air density 1.17285 kg/m^3, full
// regen (unless another rule is asked for) at the motor's zero-load efficiency. mode physics uses
// g = 9.80665, the vehicle's air density, its regen rule and the load-dependent efficiency for
// regen too.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "energy/vehicle.h"

namespace lastmile::energy {

enum class TraceMode { physics, fastsim };

struct TraceOptions {
    TraceMode mode = TraceMode::physics;
    RegenRule regen = RegenRule::linear;
    double ambient_c = 20.0;
    double initial_soc = 1.0;
};

struct TraceResult {
    double terminal_kwh = 0.0;  ///< energy at the battery terminals (net of regen)
    double chemical_kwh = 0.0;  ///< energy drawn from the cells (includes battery losses)
    double distance_km = 0.0;
    double duration_s = 0.0;
    // wheel-level split (kWh); drag + rolling + grade + accel + friction_brake + drivetrain_loss
    // + aux + hvac == terminal
    double drag_kwh = 0.0;
    double rolling_kwh = 0.0;
    double grade_kwh = 0.0;           ///< net potential energy (ascent minus descent)
    double accel_kwh = 0.0;           ///< net kinetic energy incl. wheel inertia
    double friction_brake_kwh = 0.0;  ///< braking energy not recovered
    double regen_kwh = 0.0;           ///< electric energy returned by the motor (informative)
    double drivetrain_loss_kwh = 0.0;
    double aux_kwh = 0.0;
    double hvac_kwh = 0.0;
    double battery_loss_kwh = 0.0;
    double soc_end = 0.0;
    double min_soc = 0.0;
    std::int64_t power_limited_steps = 0;  ///< steps where motor or regen power limit bound
    std::vector<double> soc;               ///< length n; soc[0] = initial_soc
    std::vector<double> terminal_power_w;  ///< length n; [0] = 0, [i] = mean power of step i
};

/// payload_kg: n values (payload on board during step i-1 -> i uses payload_kg[i]).
/// Inputs must have been validated by validate_trace().
TraceResult simulate_trace(const Vehicle& v, const double* time_s, const double* speed_mps,
                           const double* grade, const double* payload_kg, std::size_t n,
                           const TraceOptions& opt);

void validate_trace(const double* time_s, const double* speed_mps, const double* grade,
                    const double* payload_kg, std::size_t n, const TraceOptions& opt);

}  // namespace lastmile::energy
