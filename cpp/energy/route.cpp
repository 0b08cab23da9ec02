#include "energy/route.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/errors.h"
#include "core/units.h"

namespace lastmile::energy {
namespace {
constexpr double kKwhPerJoule = 1.0 / units::kJoulesPerKwh;
// For a phase that sweeps the speed between 0 and v at constant acceleration, the power grows
// ~linearly with time, so the energy-weighted mean power is 4/3 of the time-mean power.
constexpr double kSweepPowerWeight = 4.0 / 3.0;

void check_finite(double x, const char* name) {
    if (!std::isfinite(x))
        throw InputError(std::string(name) + ": must be finite, got " + std::to_string(x));
}

void check_array(const double* a, std::size_t n, const char* name, double lo, bool strict) {
    for (std::size_t i = 0; i < n; ++i) {
        const double x = a[i];
        if (!std::isfinite(x) || x < lo || (strict && x == lo))
            throw InputError(std::string(name) + ": value at index " + std::to_string(i) + " is " +
                             std::to_string(x) + " (expected finite and " +
                             (strict ? "> " : ">= ") + std::to_string(lo) + ")");
    }
}

void check_size(std::size_t n, std::size_t n_arcs, const char* name) {
    if (n != n_arcs && n != 1)
        throw InputError(std::string(name) + ": length " + std::to_string(n) +
                         " does not match the number of arcs " + std::to_string(n_arcs));
}
}  // namespace

void validate_arc_options(const ArcOptions& o) {
    check_finite(o.ambient_c, "ambient_c");
    if (!(std::isfinite(o.accel_mps2) && o.accel_mps2 > 0.0))
        throw InputError("accel_mps2: must be > 0, got " + std::to_string(o.accel_mps2));
    if (!(std::isfinite(o.decel_mps2) && o.decel_mps2 > 0.0))
        throw InputError("decel_mps2: must be > 0, got " + std::to_string(o.decel_mps2));
    check_finite(o.reference_payload_kg, "reference_payload_kg");
}

ArcOptions make_arc_options(const Vehicle& v, double ambient_c, double accel, double decel,
                            const std::optional<std::string>& regen,
                            std::optional<double> reference_payload_kg) {
    ArcOptions o;
    o.ambient_c = ambient_c;
    o.accel_mps2 = accel;
    o.decel_mps2 = decel;
    o.regen = regen ? parse_regen_rule(*regen, "regen") : v.regen_rule;
    o.reference_payload_kg = reference_payload_kg ? *reference_payload_kg : 0.5 * v.max_payload_kg;
    validate_arc_options(o);
    if (o.reference_payload_kg < 0.0)
        throw InputError("reference_payload_kg: must be >= 0, got " +
                         std::to_string(o.reference_payload_kg));
    return o;
}

ArcModel::ArcModel(const Vehicle& v, const ArcOptions& o)
    : v_(&v),
      g_(units::kStandardGravity),
      k_drag_(0.5 * v.air_density_kgpm3 * v.drag_coef * v.frontal_area_m2),
      m_empty_(v.empty_mass_kg()),
      m_inert_(v.inertia_mass_kg()),
      m_ref_(v.empty_mass_kg() +
             (o.reference_payload_kg >= 0.0 ? o.reference_payload_kg : 0.5 * v.max_payload_kg)),
      p_max_(v.motor_max_kw * units::kWattsPerKw),
      eta_t_(v.transmission_eff),
      eta_b_(v.battery_eff),
      p_aux_hvac_(v.aux_power_w + v.hvac_power_w(o.ambient_c)),
      accel_(o.accel_mps2),
      decel_(o.decel_mps2),
      fiori_brake_(v.regen_fraction(RegenRule::fiori, 1.0, o.decel_mps2)),
      regen_(o.regen) {
    crr_ = v.rolling_coef;
    inv_eta_b_ = 1.0 / eta_b_;
    inv_accel_ = 1.0 / accel_;
    inv_decel_ = 1.0 / decel_;
    half_inv_accel_ = 0.5 * inv_accel_;
    half_inv_decel_ = 0.5 * inv_decel_;
    tri_coef_ = 2.0 * accel_ * decel_ / (accel_ + decel_);
    inv_vfade_ = 1.0 / v.regen_fade_speed_mps;
    vfade2_third_ = v.regen_fade_speed_mps * v.regen_fade_speed_mps / 3.0;
    inv_trac_load_ = 1.0 / (eta_t_ * p_max_);
    regen_load_ = eta_t_ / p_max_;
    m_ref_eff_ = m_ref_ + m_inert_;
    for (int i = 0; i <= kTable; ++i) {
        const double eff = v.motor_eff(static_cast<double>(i) / kTable);
        trac_factor_[static_cast<std::size_t>(i)] = 1.0 / (eta_t_ * eff);
        regen_factor_[static_cast<std::size_t>(i)] = eta_t_ * eff;
    }
}

double ArcModel::table_lookup(const std::array<double, kTable + 1>& tab, double load) const {
    const double x = std::clamp(load, 0.0, 1.0) * kTable;
    const int i = std::min(static_cast<int>(x), kTable - 1);
    const double t = x - i;
    const auto k = static_cast<std::size_t>(i);
    return tab[k] + t * (tab[k + 1] - tab[k]);
}

double ArcModel::phase_factor(double work_ref_j, double power_ref_w, double speed_mps,
                              double inv_speed, bool sweep, double mass_ref) const {
    const double weight = sweep ? kSweepPowerWeight : 1.0;
    if (work_ref_j >= 0.0) return table_lookup(trac_factor_, weight * power_ref_w * inv_trac_load_);
    double frac = 0.0;
    switch (regen_) {
        case RegenRule::none:
            frac = 0.0;
            break;
        case RegenRule::full:
            frac = 1.0;
            break;
        case RegenRule::linear: {
            const double vr = speed_mps * inv_vfade_;
            if (sweep)  // power-weighted mean of min(1, u / vfade) over u in [0, v]
                frac = vr >= 1.0 ? 1.0 - vfade2_third_ * inv_speed * inv_speed : 2.0 * vr / 3.0;
            else
                frac = std::min(1.0, vr);
            break;
        }
        case RegenRule::fiori: {
            if (sweep) {
                frac = fiori_brake_;
            } else {  // steady braking (downhill): equivalent deceleration of the brakes
                const double a_eq = -power_ref_w * inv_speed / mass_ref;
                frac = v_->regen_fraction(RegenRule::fiori, speed_mps, a_eq);
            }
            break;
        }
    }
    if (frac <= 0.0) return 0.0;
    return frac * table_lookup(regen_factor_, -weight * frac * power_ref_w * regen_load_);
}

void ArcModel::coefficients(double L, double dh, double v, double dwell_s, double& a_kwh,
                            double& b_kwh_per_kg) const {
    double c0 = p_aux_hvac_ * dwell_s * inv_eta_b_;  // joules, constant part
    double c1 = 0.0;                                 // joules per kg of vehicle mass
    if (L > 0.0 && v > 0.0) {
        const double s = std::clamp(dh / L, -1.0, 1.0);
        const double c = std::sqrt(1.0 - s * s);
        const double r = g_ * (crr_ * c + s);
        double v2 = v * v;
        double da = v2 * half_inv_accel_;
        double db = v2 * half_inv_decel_;
        if (da + db > L) {  // triangular profile
            v2 = L * tri_coef_;
            v = std::sqrt(v2);
            da = v2 * half_inv_accel_;
            db = L - da;
        }
        const double inv_v = 1.0 / v;
        const double dc = std::max(0.0, L - da - db);
        const double kv2 = k_drag_ * v2;
        const double me = m_inert_ * v2 * 0.5;
        struct Phase {
            double w0, w1, t;  // work = w0 + w1 m (J), duration (s)
            bool sweep;
        };
        const Phase phases[3] = {
            {me + kv2 * da * 0.5, 0.5 * v2 + r * da, v * inv_accel_, true},
            {kv2 * dc, r * dc, dc * inv_v, false},
            {-me + kv2 * db * 0.5, -0.5 * v2 + r * db, v * inv_decel_, true},
        };
        // mean wheel power of each phase at the reference mass (cruise: force times speed)
        const double p_mean[3] = {(phases[0].w0 + phases[0].w1 * m_ref_) * accel_ * inv_v,
                                  (kv2 + r * m_ref_) * v,
                                  (phases[2].w0 + phases[2].w1 * m_ref_) * decel_ * inv_v};
        for (int i = 0; i < 3; ++i) {
            const Phase& p = phases[i];
            if (p.t <= 0.0) continue;
            const double w_ref = p.w0 + p.w1 * m_ref_;
            const double f = phase_factor(w_ref, p_mean[i], v, inv_v, p.sweep, m_ref_eff_);
            const double t0 = f * p.w0 + p_aux_hvac_ * p.t;
            const double t1 = f * p.w1;
            const double fb = (t0 + t1 * m_ref_) >= 0.0 ? inv_eta_b_ : eta_b_;
            c0 += fb * t0;
            c1 += fb * t1;
        }
    }
    a_kwh = (c0 + c1 * m_empty_) * kKwhPerJoule;
    b_kwh_per_kg = c1 * kKwhPerJoule;
}

void validate_arc_arrays(const ArcArrays& a, std::size_t n_arcs) {
    check_size(a.n_distance, n_arcs, "distance_m");
    check_size(a.n_elev, n_arcs, "elevation_diff_m");
    check_size(a.n_speed, n_arcs, "cruise_speed_mps");
    check_size(a.n_dwell, n_arcs, "dwell_s");
    check_array(a.distance_m, a.n_distance, "distance_m", 0.0, false);
    check_array(a.elev_diff_m, a.n_elev, "elevation_diff_m", -1e300, false);
    check_array(a.speed_mps, a.n_speed, "cruise_speed_mps", 0.0, true);
    check_array(a.dwell_s, a.n_dwell, "dwell_s", 0.0, false);
}

void validate_offsets(const std::int64_t* off, std::size_t n_off, std::size_t n_arcs) {
    if (n_off < 1) throw InputError("route_offsets: need at least one entry (0)");
    if (off[0] != 0)
        throw InputError("route_offsets: must start at 0, got " + std::to_string(off[0]));
    for (std::size_t i = 1; i < n_off; ++i)
        if (off[i] < off[i - 1])
            throw InputError("route_offsets: must be non-decreasing, got " +
                             std::to_string(off[i]) + " after " + std::to_string(off[i - 1]));
    if (static_cast<std::size_t>(off[n_off - 1]) != n_arcs)
        throw InputError("route_offsets: last entry " + std::to_string(off[n_off - 1]) +
                         " does not match the number of arcs " + std::to_string(n_arcs));
}

void arc_coefficients(const ArcModel& model, const ArcArrays& x, std::size_t n, double* a,
                      double* b) {
    const std::size_t sd = x.n_distance == 1 ? 0 : 1, se = x.n_elev == 1 ? 0 : 1;
    const std::size_t ss = x.n_speed == 1 ? 0 : 1, sw = x.n_dwell == 1 ? 0 : 1;
    for (std::size_t j = 0; j < n; ++j)
        model.coefficients(x.distance_m[j * sd], x.elev_diff_m[j * se], x.speed_mps[j * ss],
                           x.dwell_s[j * sw], a[j], b[j]);
}

namespace {
template <class Coef>
void eval_routes(const Coef& coef, const std::int64_t* off, std::size_t n_routes,
                 const double* delivered, const RouteEvalOptions& opt, double* arc_e,
                 double* route_e, double* min_soc, double* end_soc, std::uint8_t* feasible) {
    const double inv_cap = 1.0 / opt.battery_usable_kwh;
    for (std::size_t r = 0; r < n_routes; ++r) {
        const auto j0 = static_cast<std::size_t>(off[r]), j1 = static_cast<std::size_t>(off[r + 1]);
        double payload = opt.extra_payload_kg;
        for (std::size_t j = j0; j < j1; ++j) payload += delivered[j];
        double cum = 0.0, lo = opt.initial_soc;
        for (std::size_t j = j0; j < j1; ++j) {
            double a, b;
            coef(j, a, b);
            const double e = a + b * payload;
            payload -= delivered[j];
            cum += e;
            if (arc_e) arc_e[j] = e;
            lo = std::min(lo, opt.initial_soc - cum * inv_cap);
        }
        route_e[r] = cum;
        min_soc[r] = lo;
        end_soc[r] = opt.initial_soc - cum * inv_cap;
        feasible[r] = lo * opt.battery_usable_kwh >= opt.reserve_kwh - 1e-12 ? 1 : 0;
    }
}
}  // namespace

void evaluate_routes(const std::int64_t* off, std::size_t n_routes, const double* a,
                     const double* b, const double* delivered, const RouteEvalOptions& opt,
                     double* arc_e, double* route_e, double* min_soc, double* end_soc,
                     std::uint8_t* feasible) {
    eval_routes(
        [a, b](std::size_t j, double& aj, double& bj) {
            aj = a[j];
            bj = b[j];
        },
        off, n_routes, delivered, opt, arc_e, route_e, min_soc, end_soc, feasible);
}

void route_energy_batch(const ArcModel& model, const ArcArrays& x, const std::int64_t* off,
                        std::size_t n_routes, const double* delivered, const RouteEvalOptions& opt,
                        double* arc_e, double* route_e, double* min_soc, double* end_soc,
                        std::uint8_t* feasible) {
    const std::size_t sd = x.n_distance == 1 ? 0 : 1, se = x.n_elev == 1 ? 0 : 1;
    const std::size_t ss = x.n_speed == 1 ? 0 : 1, sw = x.n_dwell == 1 ? 0 : 1;
    eval_routes(
        [&](std::size_t j, double& aj, double& bj) {
            model.coefficients(x.distance_m[j * sd], x.elev_diff_m[j * se], x.speed_mps[j * ss],
                               x.dwell_s[j * sw], aj, bj);
        },
        off, n_routes, delivered, opt, arc_e, route_e, min_soc, end_soc, feasible);
}

}  // namespace lastmile::energy
