#include "energy/trace.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/errors.h"
#include "core/units.h"

namespace lastmile::energy {
namespace {
using units::kJoulesPerKwh;
constexpr double kFastsimAirDensity = 1.17285;  // FASTSim 3.1 default air density (kg/m^3)
constexpr double kFastsimGravity = 9.8;

void check_array(const double* a, std::size_t n, const char* name, bool nonneg) {
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(a[i]))
            throw InputError(std::string(name) + ": value at index " + std::to_string(i) +
                             " is not finite (" + std::to_string(a[i]) + ")");
        if (nonneg && a[i] < 0.0)
            throw InputError(std::string(name) + ": value at index " + std::to_string(i) +
                             " is negative (" + std::to_string(a[i]) + ")");
    }
}
}  // namespace

void validate_trace(const double* time_s, const double* speed_mps, const double* grade,
                    const double* payload_kg, std::size_t n, const TraceOptions& opt) {
    if (n < 2) throw InputError("time_s: need at least 2 samples, got " + std::to_string(n));
    check_array(time_s, n, "time_s", false);
    check_array(speed_mps, n, "speed_mps", true);
    check_array(grade, n, "grade", false);
    check_array(payload_kg, n, "payload_kg", true);
    for (std::size_t i = 1; i < n; ++i)
        if (!(time_s[i] > time_s[i - 1]))
            throw InputError("time_s: must be strictly increasing, got " +
                             std::to_string(time_s[i]) + " after " + std::to_string(time_s[i - 1]) +
                             " at index " + std::to_string(i));
    if (!std::isfinite(opt.ambient_c))
        throw InputError("ambient_c: must be finite, got " + std::to_string(opt.ambient_c));
    if (!(opt.initial_soc >= 0.0 && opt.initial_soc <= 1.0))
        throw InputError("initial_soc: must be in [0, 1], got " + std::to_string(opt.initial_soc));
}

TraceResult simulate_trace(const Vehicle& v, const double* time_s, const double* speed_mps,
                           const double* grade, const double* payload_kg, std::size_t n,
                           const TraceOptions& opt) {
    const bool fs = opt.mode == TraceMode::fastsim;
    const double g = fs ? kFastsimGravity : units::kStandardGravity;
    const double rho = fs ? kFastsimAirDensity : v.air_density_kgpm3;
    const double k_drag = 0.5 * rho * v.drag_coef * v.frontal_area_m2;
    const double m_inert = v.inertia_mass_kg();
    const double m_empty = v.empty_mass_kg();
    const double p_max = v.motor_max_kw * units::kWattsPerKw;
    const double regen_lim = v.regen_limit_w();
    const double eta_t = v.transmission_eff;
    const double eta_b = v.battery_eff;
    const double eff_zero = v.motor_eff(0.0);
    const double p_aux = v.aux_power_w;
    const double p_hvac = v.hvac_power_w(opt.ambient_c);
    const double inv_cap_j = 1.0 / (v.battery_usable_kwh * kJoulesPerKwh);

    TraceResult r;
    r.soc.resize(n);
    r.terminal_power_w.assign(n, 0.0);
    double soc = opt.initial_soc;
    r.soc[0] = soc;
    double min_soc = soc;
    // accumulators in joules
    double e_drag = 0, e_rr = 0, e_grade = 0, e_acc = 0, e_fric = 0, e_regen = 0, e_loss = 0;
    double e_aux = 0, e_hvac = 0, e_term = 0, e_chem = 0, dist = 0;
    std::int64_t limited = 0;

    for (std::size_t i = 1; i < n; ++i) {
        const double dt = time_s[i] - time_s[i - 1];
        const double s0 = speed_mps[i - 1], s1 = speed_mps[i];
        const double vm = 0.5 * (s0 + s1);
        const double m = m_empty + payload_kg[i];
        const double th = std::atan(grade[i]);
        const double p_drag = k_drag * vm * vm * vm;
        const double p_rr = m * g * v.rolling_coef * std::cos(th) * vm;
        const double p_gr = m * g * std::sin(th) * vm;
        const double p_acc = (m + m_inert) * (s1 * s1 - s0 * s0) / (2.0 * dt);
        const double p_wheel = p_drag + p_rr + p_gr + p_acc;

        double p_elec = 0.0;
        double p_fric = 0.0;
        if (p_wheel >= 0.0) {
            double mech = p_wheel / eta_t;
            if (mech > p_max) {  // the vehicle cannot follow the trace: cap the power
                mech = p_max;
                ++limited;
            }
            p_elec = mech / v.motor_eff(mech / p_max);
        } else {
            double decel = (s0 - s1) / dt;
            if (decel <= 0.0) decel = -p_wheel / ((m + m_inert) * std::max(vm, 1e-3));
            const double frac = v.regen_fraction(opt.regen, vm, decel);
            double mech = frac * p_wheel * eta_t;  // recovered share at the motor shaft (<= 0)
            if (mech < -p_max) {
                mech = -p_max;
                ++limited;
            }
            const double eff = fs ? eff_zero : v.motor_eff(-mech / p_max);
            p_elec = mech * eff;
            if (p_elec < -regen_lim) {
                p_elec = -regen_lim;
                mech = p_elec / eff;
                ++limited;
            }
            // braking power not taken by the motor ends in the friction brakes
            p_fric = std::max(0.0, mech / eta_t - p_wheel);
        }
        const double p_term = p_elec + p_aux + p_hvac;
        const double p_chem = p_term >= 0.0 ? p_term / eta_b : p_term * eta_b;

        e_drag += p_drag * dt;
        e_rr += p_rr * dt;
        e_grade += p_gr * dt;
        e_acc += p_acc * dt;
        e_fric += p_fric * dt;
        if (p_elec < 0.0) e_regen += -p_elec * dt;
        e_aux += p_aux * dt;
        e_hvac += p_hvac * dt;
        e_term += p_term * dt;
        e_chem += p_chem * dt;
        dist += vm * dt;
        soc -= p_chem * dt * inv_cap_j;
        r.soc[i] = soc;
        r.terminal_power_w[i] = p_term;
        min_soc = std::min(min_soc, soc);
    }
    // drivetrain loss closes the balance terminal = wheel terms + friction + losses + aux + hvac
    e_loss = e_term - (e_drag + e_rr + e_grade + e_acc + e_fric + e_aux + e_hvac);

    r.terminal_kwh = e_term / kJoulesPerKwh;
    r.chemical_kwh = e_chem / kJoulesPerKwh;
    r.distance_km = dist / units::kMetresPerKm;
    r.duration_s = time_s[n - 1] - time_s[0];
    r.drag_kwh = e_drag / kJoulesPerKwh;
    r.rolling_kwh = e_rr / kJoulesPerKwh;
    r.grade_kwh = e_grade / kJoulesPerKwh;
    r.accel_kwh = e_acc / kJoulesPerKwh;
    r.friction_brake_kwh = e_fric / kJoulesPerKwh;
    r.regen_kwh = e_regen / kJoulesPerKwh;
    r.drivetrain_loss_kwh = e_loss / kJoulesPerKwh;
    r.aux_kwh = e_aux / kJoulesPerKwh;
    r.hvac_kwh = e_hvac / kJoulesPerKwh;
    r.battery_loss_kwh = (e_chem - e_term) / kJoulesPerKwh;
    r.soc_end = soc;
    r.min_soc = min_soc;
    r.power_limited_steps = limited;
    return r;
}

}  // namespace lastmile::energy
