// Unit tests of the energy-settings validation (energy/validate.h): every invalid field raises
// InputError whose message starts with prefix + field; valid settings build the model.
#include <doctest/doctest.h>

#include <limits>
#include <string>

#include "core/errors.h"
#include "energy/ev_routing.h"
#include "energy/validate.h"

using namespace lastmile;

namespace {

EnergySettings ev_settings() {
    EnergySettings s;
    s.vehicle = energy::Vehicle::preset("small_van");
    s.payload_dim = 1;
    s.reserve_kwh = 2.0;
    return s;
}

// The message of the InputError thrown by f ("" when none is thrown).
template <class F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

bool starts_with(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }

}  // namespace

TEST_CASE("make_vehicle_energy_builds_the_model_and_fills_the_default_battery") {
    const VehicleEnergy e = make_vehicle_energy(ev_settings());
    REQUIRE(e.model != nullptr);
    CHECK(e.constrained());
    CHECK(e.battery_kwh == energy::Vehicle::preset("small_van").battery_usable_kwh);
    CHECK(e.payload_dim == 1);
    CHECK(ev_model(e)->options.reference_payload_kg == 0.5 * ev_model(e)->vehicle.max_payload_kg);
    CHECK(ev_model(e)->options.regen == ev_model(e)->vehicle.regen_rule);
    EnergySettings s = ev_settings();
    s.battery_kwh = 20.0;
    s.regen = "none";
    const VehicleEnergy f = make_vehicle_energy(s);
    CHECK(f.battery_kwh == 20.0);
    CHECK(ev_model(f)->options.regen == energy::RegenRule::none);
    // No model and no battery: a conventional vehicle type.
    const VehicleEnergy plain = make_vehicle_energy(EnergySettings{});
    CHECK(plain.model == nullptr);
    CHECK(!plain.constrained());
}

TEST_CASE("make_vehicle_energy_names_the_invalid_field_after_the_prefix") {
    const std::string pre = "vehicle_types[3].";
    auto bad = [&](auto edit) {
        EnergySettings s = ev_settings();
        edit(s);
        return error_of([&] { make_vehicle_energy(s, pre); });
    };
    CHECK(starts_with(bad([](EnergySettings& s) { s.battery_kwh = -1.0; }), pre + "battery_kwh"));
    CHECK(starts_with(bad([](EnergySettings& s) { s.reserve_kwh = 1e9; }), pre + "reserve_kwh"));
    CHECK(starts_with(bad([](EnergySettings& s) { s.reserve_kwh = -0.5; }), pre + "reserve_kwh"));
    CHECK(starts_with(bad([](EnergySettings& s) { s.payload_dim.reset(); }), pre + "payload_dim"));
    CHECK(starts_with(bad([](EnergySettings& s) { s.payload_dim = -2; }), pre + "payload_dim"));
    CHECK(starts_with(
        bad([](EnergySettings& s) { s.ambient_c = std::numeric_limits<double>::quiet_NaN(); }),
        pre + "ambient_c"));
    CHECK(starts_with(bad([](EnergySettings& s) { s.regen = "magic"; }), pre + "regen"));
    CHECK(starts_with(bad([](EnergySettings& s) { s.reference_payload_kg = -1.0; }),
                      pre + "reference_payload_kg"));
    CHECK(starts_with(bad([](EnergySettings& s) { s.cruise_speed_mps = 0.0; }),
                      pre + "cruise_speed_mps"));
    CHECK(starts_with(bad([](EnergySettings& s) { s.metres_per_distance_unit = -1.0; }),
                      pre + "metres_per_unit"));
    CHECK(starts_with(bad([](EnergySettings& s) { s.seconds_per_duration_unit = -1.0; }),
                      pre + "seconds_per_duration_unit"));
    CHECK(starts_with(bad([](EnergySettings& s) { s.vehicle->curb_mass_kg = 0.0; }),
                      pre + "energy_vehicle.curb_mass_kg"));
    EnergySettings no_model;
    no_model.battery_kwh = 10.0;
    CHECK(
        starts_with(error_of([&] { make_vehicle_energy(no_model, pre); }), pre + "energy_vehicle"));
}

TEST_CASE("validate_vehicle_energy_checks_the_payload_dimension_against_the_instance") {
    VehicleEnergy e = make_vehicle_energy(ev_settings());
    CHECK(error_of([&] { validate_vehicle_energy(e, "", 2); }).empty());
    CHECK(starts_with(error_of([&] { validate_vehicle_energy(e, "vehicle_types[0].", 1); }),
                      "vehicle_types[0].payload_dim"));
    VehicleEnergy fresh;  // a model set directly, battery 0: the default is filled in
    fresh.model = e.model;
    fresh.payload_dim = 0;
    validate_vehicle_energy(fresh, "", 1);
    CHECK(fresh.battery_kwh == ev_model(e)->vehicle.battery_usable_kwh);
    VehicleEnergy bad = fresh;
    bad.reserve_kwh = bad.battery_kwh + 1.0;
    CHECK(starts_with(error_of([&] { validate_vehicle_energy(bad, "vehicle_types[0].", 1); }),
                      "vehicle_types[0].reserve_kwh"));
}
