// EV energy model: vehicle parameters (SI units, names carry the unit), validation and presets.
//
// A Vehicle describes the longitudinal dynamics (masses, aerodynamic drag, rolling resistance,
// rotating wheel inertia), the drivetrain (transmission efficiency, motor power and an efficiency
// curve vs load fraction), the battery (usable energy, one-way efficiency), constant auxiliary
// load, the regenerative-braking rule and a simple HVAC model (electric power vs ambient
// temperature). Every number is validated once by validate(), which throws lastmile::InputError
// naming the offending field.
#pragma once
#include <string>
#include <vector>

#include "core/units.h"

namespace lastmile::energy {

/// Fraction of the braking power at the wheels that regenerative braking recovers.
enum class RegenRule {
    none,    ///< friction brakes only
    linear,  ///< full recovery above regen_fade_speed_mps, fading linearly to 0 at standstill
    fiori,   ///< Fiori et al. (2016), Applied Energy 168: alpha = exp(-0.0411 / |a|), a in m/s^2
    full,    ///< 100 % of braking power (until power limits bind), as FASTSim 3.1 does
};

RegenRule parse_regen_rule(const std::string& s, const char* arg_name);
const char* regen_rule_name(RegenRule r);

struct Vehicle {
    std::string name;
    // masses
    double curb_mass_kg = 0.0;
    double driver_mass_kg = 80.0;
    double max_payload_kg = 0.0;
    // road loads
    double drag_coef = 0.0;
    double frontal_area_m2 = 0.0;
    double air_density_kgpm3 = 1.2;
    double rolling_coef = 0.0;
    int wheel_count = 4;
    double wheel_inertia_kgm2 = 0.0;  ///< per wheel
    double wheel_radius_m = 0.35;
    // drivetrain
    double motor_max_kw = 0.0;
    std::vector<double> motor_eff_load_grid;  ///< load fraction |P| / P_max, increasing in [0, 1]
    std::vector<double> motor_eff_values;     ///< efficiency in (0, 1] at each grid point
    double transmission_eff = 1.0;
    // battery
    double battery_usable_kwh = 0.0;
    double battery_eff = 1.0;  ///< one-way (discharge divides by it, charge multiplies)
    // auxiliaries
    double aux_power_w = 0.0;
    // regenerative braking
    RegenRule regen_rule = RegenRule::linear;
    double regen_max_kw = 0.0;  ///< electrical regen power limit; <= 0 means motor_max_kw
    double regen_fade_speed_mps = 17.0 / units::kKmhPerMps;
    // HVAC: electric power = clamp(w_per_k * (threshold difference), 0, max)
    double hvac_heat_below_c = 18.0;
    double hvac_heat_w_per_k = 0.0;
    double hvac_heat_max_w = 0.0;
    double hvac_cool_above_c = 24.0;
    double hvac_cool_w_per_k = 0.0;
    double hvac_cool_max_w = 0.0;

    /// Throws InputError (message starts with the field name) on any invalid value.
    void validate() const;

    double empty_mass_kg() const { return curb_mass_kg + driver_mass_kg; }
    /// Translational mass equivalent of the rotating wheels: n J / r^2.
    double inertia_mass_kg() const {
        return wheel_count * wheel_inertia_kgm2 / (wheel_radius_m * wheel_radius_m);
    }
    double regen_limit_w() const {
        return (regen_max_kw > 0.0 ? regen_max_kw : motor_max_kw) * units::kWattsPerKw;
    }
    /// Motor efficiency at load fraction |P_mech| / P_max (linear interpolation, clamped).
    double motor_eff(double load_fraction) const;
    /// Electric HVAC power (W) at the ambient temperature (deg C).
    double hvac_power_w(double ambient_c) const;
    /// Regen recovery fraction at mean speed v (m/s) and deceleration decel (m/s^2, > 0).
    double regen_fraction(RegenRule rule, double speed_mps, double decel_mps2) const;

    static Vehicle preset(const std::string& name);
    static std::vector<std::string> preset_names();
};

}  // namespace lastmile::energy
