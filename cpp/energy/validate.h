// The one validation of a vehicle type's energy settings (battery, reserve, energy model, payload
// dimension, arc options, unit conversions). The bindings build every VehicleEnergy through
// make_vehicle_energy; the Python layer relies on it and only converts names to indices.
// Errors are lastmile::InputError whose message starts with `prefix` + the field name (e.g.
// "vehicle_types[2].reserve_kwh: ...").
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "core/problem.h"
#include "core/units.h"
#include "energy/vehicle.h"

namespace lastmile {

/// The energy settings of one vehicle type as given by the user, before validation.
struct EnergySettings {
    double battery_kwh = 0.0;  ///< usable energy at departure; 0 = the vehicle's usable energy
    double reserve_kwh = 0.0;  ///< charge to keep at every point of a route
    std::optional<energy::Vehicle> vehicle;   ///< the energy model (none: no battery constraint)
    double ambient_c = 20.0;                  ///< deg C (HVAC load)
    std::optional<std::int64_t> payload_dim;  ///< demand dimension holding the payload (kg)
    double metres_per_distance_unit = 1.0;    ///< metres per internal distance unit
    double seconds_per_duration_unit = 1.0;   ///< seconds per internal duration unit
    double cruise_speed_mps = 30.0 / units::kKmhPerMps;
    std::optional<std::string> regen;            ///< regen rule; default: the vehicle's
    std::optional<double> reference_payload_kg;  ///< default: half the max payload
    /// The vehicle type's capacity in the payload dimension (kg), when known: above the
    /// vehicle's max_payload_kg (> 0) it is refused, so that routing and the energy evaluation
    /// agree on what the van may carry.
    std::optional<double> payload_capacity_kg;
};

/// Validates every field of `s` and builds the energy part of a VehicleType (the model shared
/// by the routes of the type; battery_kwh filled in from the vehicle when 0).
VehicleEnergy make_vehicle_energy(const EnergySettings& s, const std::string& prefix = "");

/// Fills in the default battery (the model vehicle's usable energy) when battery_kwh is 0, then
/// checks the plain data against an instance with `num_dims` demand dimensions
/// (check_vehicle_energy, core/problem.h) and the model's unit conversions (positive).
void validate_vehicle_energy(VehicleEnergy& e, const std::string& prefix, std::size_t num_dims);

}  // namespace lastmile
