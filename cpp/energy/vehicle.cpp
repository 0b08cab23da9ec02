// Vehicle parameters: validation, motor-efficiency lookup, HVAC power, regen rules and presets.
#include "energy/vehicle.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/errors.h"

namespace lastmile::energy {
namespace {

std::string fmt(double v) {
    std::ostringstream os;
    os.precision(10);
    os << v;
    return os.str();
}

void require_finite(double v, const char* field) {
    if (!std::isfinite(v)) throw InputError(std::string(field) + ": must be finite, got " + fmt(v));
}
void require_nonneg(double v, const char* field) {
    require_finite(v, field);
    if (v < 0.0) throw InputError(std::string(field) + ": must be >= 0, got " + fmt(v));
}
void require_positive(double v, const char* field) {
    require_finite(v, field);
    if (v <= 0.0) throw InputError(std::string(field) + ": must be > 0, got " + fmt(v));
}
void require_eff(double v, const char* field) {
    require_finite(v, field);
    if (!(v > 0.0 && v <= 1.0))
        throw InputError(std::string(field) + ": efficiency must be in (0, 1], got " + fmt(v));
}

// A generic permanent-magnet traction-motor efficiency curve vs load fraction (assumption, same
// shape as the MidVan-68 record: ~0.84 near zero load, peak ~0.95 at 40-60 % load).
const std::vector<double> kGenericGrid = {0.0, 0.02, 0.04, 0.06, 0.08, 0.1,
                                          0.2, 0.4,  0.6,  0.8,  1.0};
const std::vector<double> kGenericEff = {0.84, 0.86, 0.88, 0.9,  0.91, 0.92,
                                         0.94, 0.95, 0.95, 0.94, 0.93};

}  // namespace

RegenRule parse_regen_rule(const std::string& s, const char* arg_name) {
    if (s == "none") return RegenRule::none;
    if (s == "linear") return RegenRule::linear;
    if (s == "fiori") return RegenRule::fiori;
    if (s == "full") return RegenRule::full;
    throw InputError(std::string(arg_name) + ": unknown regen rule '" + s +
                     "' (expected none, linear, fiori or full)");
}

const char* regen_rule_name(RegenRule r) {
    switch (r) {
        case RegenRule::none:
            return "none";
        case RegenRule::linear:
            return "linear";
        case RegenRule::fiori:
            return "fiori";
        case RegenRule::full:
            return "full";
    }
    return "?";
}

void Vehicle::validate() const {
    require_positive(curb_mass_kg, "curb_mass_kg");
    require_nonneg(driver_mass_kg, "driver_mass_kg");
    require_nonneg(max_payload_kg, "max_payload_kg");
    require_nonneg(drag_coef, "drag_coef");
    require_nonneg(frontal_area_m2, "frontal_area_m2");
    require_nonneg(air_density_kgpm3, "air_density_kgpm3");
    require_nonneg(rolling_coef, "rolling_coef");
    if (wheel_count < 0)
        throw InputError("wheel_count: must be >= 0, got " + std::to_string(wheel_count));
    require_nonneg(wheel_inertia_kgm2, "wheel_inertia_kgm2");
    require_positive(wheel_radius_m, "wheel_radius_m");
    require_positive(motor_max_kw, "motor_max_kw");
    if (motor_eff_load_grid.empty())
        throw InputError("motor_eff_load_grid: must have at least one point");
    if (motor_eff_load_grid.size() != motor_eff_values.size())
        throw InputError("motor_eff_values: length " + std::to_string(motor_eff_values.size()) +
                         " does not match motor_eff_load_grid length " +
                         std::to_string(motor_eff_load_grid.size()));
    for (std::size_t i = 0; i < motor_eff_load_grid.size(); ++i) {
        const double g = motor_eff_load_grid[i];
        require_finite(g, "motor_eff_load_grid");
        if (g < 0.0 || g > 1.0)
            throw InputError("motor_eff_load_grid: load fractions must be in [0, 1], got " +
                             fmt(g));
        if (i > 0 && !(g > motor_eff_load_grid[i - 1]))
            throw InputError("motor_eff_load_grid: must be strictly increasing, got " + fmt(g) +
                             " after " + fmt(motor_eff_load_grid[i - 1]));
        require_eff(motor_eff_values[i], "motor_eff_values");
    }
    require_eff(transmission_eff, "transmission_eff");
    require_positive(battery_usable_kwh, "battery_usable_kwh");
    require_eff(battery_eff, "battery_eff");
    require_nonneg(aux_power_w, "aux_power_w");
    require_nonneg(regen_max_kw, "regen_max_kw");
    require_positive(regen_fade_speed_mps, "regen_fade_speed_mps");
    require_finite(hvac_heat_below_c, "hvac_heat_below_c");
    require_nonneg(hvac_heat_w_per_k, "hvac_heat_w_per_k");
    require_nonneg(hvac_heat_max_w, "hvac_heat_max_w");
    require_finite(hvac_cool_above_c, "hvac_cool_above_c");
    require_nonneg(hvac_cool_w_per_k, "hvac_cool_w_per_k");
    require_nonneg(hvac_cool_max_w, "hvac_cool_max_w");
    if (hvac_cool_above_c < hvac_heat_below_c)
        throw InputError("hvac_cool_above_c: must be >= hvac_heat_below_c (" +
                         fmt(hvac_heat_below_c) + "), got " + fmt(hvac_cool_above_c));
}

double Vehicle::motor_eff(double load) const {
    const auto& g = motor_eff_load_grid;
    const auto& v = motor_eff_values;
    if (load <= g.front()) return v.front();
    if (load >= g.back()) return v.back();
    const auto it = std::upper_bound(g.begin(), g.end(), load);
    const std::size_t i = static_cast<std::size_t>(it - g.begin());  // g[i-1] <= load < g[i]
    const double t = (load - g[i - 1]) / (g[i] - g[i - 1]);
    return v[i - 1] + t * (v[i] - v[i - 1]);
}

double Vehicle::hvac_power_w(double ambient_c) const {
    if (ambient_c < hvac_heat_below_c)
        return std::min(hvac_heat_max_w, hvac_heat_w_per_k * (hvac_heat_below_c - ambient_c));
    if (ambient_c > hvac_cool_above_c)
        return std::min(hvac_cool_max_w, hvac_cool_w_per_k * (ambient_c - hvac_cool_above_c));
    return 0.0;
}

double Vehicle::regen_fraction(RegenRule rule, double speed_mps, double decel_mps2) const {
    switch (rule) {
        case RegenRule::none:
            return 0.0;
        case RegenRule::full:
            return 1.0;
        case RegenRule::linear:
            return std::min(1.0, std::max(0.0, speed_mps / regen_fade_speed_mps));
        case RegenRule::fiori: {
            const double a = std::abs(decel_mps2);
            if (a <= 1e-9) return 0.0;
            return std::exp(-0.0411 / a);
        }
    }
    return 0.0;
}

std::vector<std::string> Vehicle::preset_names() { return {"midvan68", "small_van", "large_van"}; }

Vehicle Vehicle::preset(const std::string& name) {
    Vehicle v;
    v.name = name;
    if (name == "midvan68") {
        // "MidVan-68": the E-Transit-like mid-size van of the FASTSim 3.1.0 reference runs
        // (shared/data/energy/fastsim_midvan68.json, record `van`). Curb mass, motor power and
        // battery capacity follow published Ford E-Transit figures (medium roof, 68 kWh usable,
        // 198 kW); Cd*A, rolling resistance and wheel inertia are assumptions of that record.
        v.curb_mass_kg = 2790.0;
        v.driver_mass_kg = 80.0;
        v.max_payload_kg = 1400.0;
        v.drag_coef = 0.37;
        v.frontal_area_m2 = 4.5;
        v.air_density_kgpm3 = 1.2;
        v.rolling_coef = 0.009;
        v.wheel_count = 4;
        v.wheel_inertia_kgm2 = 1.2;
        v.wheel_radius_m = 0.356;
        v.motor_max_kw = 198.0;
        v.motor_eff_load_grid = kGenericGrid;  // em_eff_grid of the record
        v.motor_eff_values = kGenericEff;      // em_eff_vals of the record
        v.transmission_eff = 0.95;
        v.battery_usable_kwh = 68.0;
        v.battery_eff = 0.985;
        v.aux_power_w = 500.0;
        // Not in the record (assumptions): linear regen fade below 17 km/h, regen limited by the
        // motor rating; resistive cabin heating / A/C sized for a 2-3 seat van cab, calibrated so
        // that stop-and-go (UDDS) energy rises by ~80 % at -7 C and ~15 % at 35 C, inside
        // the range of FASTSim's NREL-calibrated Bolt thermal model (fastsim_bolt_hvac.json).
        v.regen_rule = RegenRule::linear;
        v.hvac_heat_w_per_k = 220.0;
        v.hvac_heat_max_w = 7000.0;
        v.hvac_cool_w_per_k = 90.0;
        v.hvac_cool_max_w = 4000.0;
    } else if (name == "small_van") {
        // Compact electric van, Renault Kangoo Van E-Tech Electric (2022, L1) class. Public
        // figures (Renault press material as reported by flotauto.com and automobile-propre.com,
        // 2021): 90 kW / 245 Nm motor, 45 kWh battery, 600 kg payload (L1), heat pump standard.
        // Assumptions: curb mass 1,880 kg (with battery), usable energy 42 kWh (~93 % of the
        // 45 kWh figure), Cd 0.33 and frontal area 2.9 m^2 (1.86 m wide x 1.84 m tall box
        // shape), rolling coefficient 0.009, wheel inertia 0.8 kg m^2 of radius 0.32 m (16"),
        // generic motor efficiency curve, transmission 0.96, battery 0.985, aux 350 W; heat-pump
        // HVAC (about half the resistive heating power of the mid-size van).
        v.curb_mass_kg = 1880.0;
        v.driver_mass_kg = 80.0;
        v.max_payload_kg = 600.0;
        v.drag_coef = 0.33;
        v.frontal_area_m2 = 2.9;
        v.air_density_kgpm3 = 1.2;
        v.rolling_coef = 0.009;
        v.wheel_count = 4;
        v.wheel_inertia_kgm2 = 0.8;
        v.wheel_radius_m = 0.32;
        v.motor_max_kw = 90.0;
        v.motor_eff_load_grid = kGenericGrid;
        v.motor_eff_values = kGenericEff;
        v.transmission_eff = 0.96;
        v.battery_usable_kwh = 42.0;
        v.battery_eff = 0.985;
        v.aux_power_w = 350.0;
        v.regen_rule = RegenRule::linear;
        v.hvac_heat_w_per_k = 120.0;
        v.hvac_heat_max_w = 4500.0;
        v.hvac_cool_w_per_k = 60.0;
        v.hvac_cool_max_w = 3000.0;
    } else if (name == "large_van") {
        // Large electric van, Mercedes-Benz eSprinter (2024, high roof, long wheelbase) class.
        // Public figures (Mercedes-Benz 2023 launch material as reported by citizen.co.za,
        // motorsport-magazin.com and cnet.com): 100 or 150 kW motor (150 kW used), 56/81/113 kWh
        // batteries (113 kWh used), 400 Nm, payload 2,624 lb (1,190 kg) for the US LWB high-roof
        // van, TUeV-confirmed 21.9 kWh/100 km on a mostly-motorway test.
        // Assumptions: curb mass 3,150 kg, usable energy 105 kWh, Cd 0.36 and frontal area
        // 5.2 m^2 (2.02 m wide x 2.7 m tall high roof), rolling coefficient 0.0085 (LT tyres),
        // wheel inertia 1.6 kg m^2 of radius 0.36 m, generic motor efficiency curve,
        // transmission 0.95, battery 0.985, aux 600 W; resistive heating for a larger cab.
        v.curb_mass_kg = 3150.0;
        v.driver_mass_kg = 80.0;
        v.max_payload_kg = 1190.0;
        v.drag_coef = 0.36;
        v.frontal_area_m2 = 5.2;
        v.air_density_kgpm3 = 1.2;
        v.rolling_coef = 0.0085;
        v.wheel_count = 4;
        v.wheel_inertia_kgm2 = 1.6;
        v.wheel_radius_m = 0.36;
        v.motor_max_kw = 150.0;
        v.motor_eff_load_grid = kGenericGrid;
        v.motor_eff_values = kGenericEff;
        v.transmission_eff = 0.95;
        v.battery_usable_kwh = 105.0;
        v.battery_eff = 0.985;
        v.aux_power_w = 600.0;
        v.regen_rule = RegenRule::linear;
        v.hvac_heat_w_per_k = 260.0;
        v.hvac_heat_max_w = 8500.0;
        v.hvac_cool_w_per_k = 105.0;
        v.hvac_cool_max_w = 5000.0;
    } else {
        throw InputError("name: unknown vehicle preset '" + name +
                         "' (expected midvan68, small_van or large_van)");
    }
    v.validate();
    return v;
}

}  // namespace lastmile::energy
