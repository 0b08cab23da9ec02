// Validation of the energy settings of a vehicle type (see validate.h).
#include "energy/validate.h"

#include <cmath>
#include <memory>
#include <sstream>

#include "core/errors.h"
#include "energy/ev_routing.h"
#include "energy/route.h"

namespace lastmile {
namespace {

std::string num(double v) {
    std::ostringstream os;
    os.precision(10);
    os << v;
    return os.str();
}

[[noreturn]] void fail(const std::string& prefix, const char* field, const std::string& what) {
    throw InputError(prefix + field + ": " + what);
}

// Runs f, prefixing the message of an InputError it throws (messages start with the field).
template <class F>
auto prefixed(const std::string& prefix, const char* scope, F&& f) {
    try {
        return f();
    } catch (const InputError& e) {
        throw InputError(prefix + scope + e.what());
    }
}

}  // namespace

void validate_vehicle_energy(VehicleEnergy& e, const std::string& prefix, std::size_t dims) {
    const EvModel* m = ev_model(e);
    if (m && e.battery_kwh == 0.0) e.battery_kwh = m->vehicle.battery_usable_kwh;
    check_vehicle_energy(e, prefix, dims);  // the plain data (core/problem.h)
    if (!m) return;
    if (!(std::isfinite(m->cruise_speed_mps) && m->cruise_speed_mps > 0.0))
        fail(prefix, "cruise_speed_mps", "must be > 0, got " + num(m->cruise_speed_mps));
    if (!(std::isfinite(m->metres_per_distance_unit) && m->metres_per_distance_unit > 0.0))
        fail(prefix, "metres_per_unit", "must be > 0, got " + num(m->metres_per_distance_unit));
    if (!(std::isfinite(m->seconds_per_duration_unit) && m->seconds_per_duration_unit >= 0.0))
        fail(prefix, "seconds_per_duration_unit",
             "must be >= 0, got " + num(m->seconds_per_duration_unit));
}

VehicleEnergy make_vehicle_energy(const EnergySettings& s, const std::string& prefix) {
    VehicleEnergy e;
    e.battery_kwh = s.battery_kwh;
    e.reserve_kwh = s.reserve_kwh;
    if (!s.vehicle) {
        validate_vehicle_energy(e, prefix, 1);  // battery / reserve values, battery needs a model
        return e;
    }
    const energy::Vehicle& v = *s.vehicle;
    prefixed(prefix, "energy_vehicle.", [&v] { v.validate(); });
    if (!s.payload_dim || *s.payload_dim < 0)
        fail(prefix, "payload_dim",
             "the index of the payload (kg) demand dimension is required with energy_vehicle "
             "and must be >= 0");
    const energy::ArcOptions o = prefixed(prefix, "", [&] {
        return energy::make_arc_options(v, s.ambient_c, energy::ArcOptions{}.accel_mps2,
                                        energy::ArcOptions{}.decel_mps2, s.regen,
                                        s.reference_payload_kg);
    });
    e.model = std::make_shared<const EvModel>(v, o, s.cruise_speed_mps, s.metres_per_distance_unit,
                                              s.seconds_per_duration_unit);
    e.payload_dim = static_cast<std::size_t>(*s.payload_dim);
    if (s.payload_capacity_kg && v.max_payload_kg > 0.0 &&
        *s.payload_capacity_kg > v.max_payload_kg)
        fail(prefix, "capacity",
             "the payload dimension " + std::to_string(e.payload_dim) + " holds " +
                 num(*s.payload_capacity_kg) + " kg, above energy_vehicle.max_payload_kg " +
                 num(v.max_payload_kg) + " (lower the capacity or use a vehicle that carries it)");
    // The checks that need no instance; the payload dimension is checked against the instance.
    validate_vehicle_energy(e, prefix, e.payload_dim + 1);
    return e;
}

}  // namespace lastmile
