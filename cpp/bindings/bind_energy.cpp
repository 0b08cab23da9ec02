// Bindings for the energy area: EnergyVehicle, simulate_trace, per-arc / route energy.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "bindings/bind.h"
#include "bindings/bind_numpy.h"
#include "core/errors.h"
#include "energy/route.h"
#include "energy/trace.h"
#include "energy/vehicle.h"

namespace py = pybind11;

namespace lastmile::bindings {
namespace {
using energy::RegenRule;
using energy::Vehicle;

// Converts a scalar or array-like to a flat float64 array, naming the argument on failure.
darray as_array(const py::handle& obj, const char* name) {
    try {
        darray a = darray::ensure(obj);
        if (!a) throw py::error_already_set();
        if (a.ndim() > 1) throw InputError(std::string(name) + ": expected a 1-D array");
        return a;
    } catch (py::error_already_set&) {
        throw InputError(std::string(name) + ": expected numbers, got " +
                         std::string(py::str(py::type::of(obj).attr("__name__"))));
    }
}

// Array of length n, or a scalar / length-1 array broadcast to n.
std::vector<double> broadcast(const py::handle& obj, std::size_t n, const char* name) {
    darray a = as_array(obj, name);
    const auto m = static_cast<std::size_t>(a.size());
    if (m == 1) return std::vector<double>(n, a.data()[0]);
    if (m != n)
        throw InputError(std::string(name) + ": length " + std::to_string(m) +
                         " does not match time_s length " + std::to_string(n));
    return std::vector<double>(a.data(), a.data() + m);
}

std::vector<double> to_vec(const py::handle& obj, const char* name) {
    return to_vector(as_array(obj, name));
}

using energy::make_arc_options;

struct ArcInput {
    darray distance, elev, speed, dwell;
    energy::ArcArrays view() const {
        energy::ArcArrays a;
        a.distance_m = distance.data();
        a.n_distance = static_cast<std::size_t>(distance.size());
        a.elev_diff_m = elev.data();
        a.n_elev = static_cast<std::size_t>(elev.size());
        a.speed_mps = speed.data();
        a.n_speed = static_cast<std::size_t>(speed.size());
        a.dwell_s = dwell.data();
        a.n_dwell = static_cast<std::size_t>(dwell.size());
        return a;
    }
};

ArcInput arc_input(const py::handle& distance, const py::handle& elev, const py::handle& speed,
                   const py::handle& dwell) {
    return {as_array(distance, "distance_m"), as_array(elev, "elevation_diff_m"),
            as_array(speed, "cruise_speed_mps"), as_array(dwell, "dwell_s")};
}

energy::RouteEvalOptions eval_options(double usable_kwh, double initial_soc, double reserve_kwh,
                                      double extra_payload_kg) {
    if (!(std::isfinite(usable_kwh) && usable_kwh > 0.0))
        throw InputError("battery_usable_kwh: must be > 0, got " + std::to_string(usable_kwh));
    if (!(initial_soc >= 0.0 && initial_soc <= 1.0))
        throw InputError("initial_soc: must be in [0, 1], got " + std::to_string(initial_soc));
    if (!(std::isfinite(reserve_kwh) && reserve_kwh >= 0.0))
        throw InputError("reserve_kwh: must be >= 0, got " + std::to_string(reserve_kwh));
    if (!(std::isfinite(extra_payload_kg) && extra_payload_kg >= 0.0))
        throw InputError("extra_payload_kg: must be >= 0, got " + std::to_string(extra_payload_kg));
    return {usable_kwh, initial_soc, reserve_kwh, extra_payload_kg};
}

void check_delivered(const darray& d, std::size_t n_arcs) {
    if (static_cast<std::size_t>(d.size()) != n_arcs)
        throw InputError("payload_delivered_kg: length " + std::to_string(d.size()) +
                         " does not match the number of arcs " + std::to_string(n_arcs));
    for (std::size_t i = 0; i < n_arcs; ++i)
        if (!(std::isfinite(d.data()[i]) && d.data()[i] >= 0.0))
            throw InputError("payload_delivered_kg: value at index " + std::to_string(i) + " is " +
                             std::to_string(d.data()[i]) + " (expected finite and >= 0)");
}

py::tuple route_outputs(
    std::size_t n_arcs, std::size_t n_routes, bool with_arcs,
    const std::function<void(double*, double*, double*, double*, std::uint8_t*)>& run) {
    py::array_t<double> arc_e(static_cast<py::ssize_t>(with_arcs ? n_arcs : 0));
    py::array_t<double> route_e(static_cast<py::ssize_t>(n_routes));
    py::array_t<double> min_soc(static_cast<py::ssize_t>(n_routes));
    py::array_t<double> end_soc(static_cast<py::ssize_t>(n_routes));
    py::array_t<bool> feasible(static_cast<py::ssize_t>(n_routes));
    double* pa = with_arcs ? arc_e.mutable_data() : nullptr;
    double* pr = route_e.mutable_data();
    double* pm = min_soc.mutable_data();
    double* pe = end_soc.mutable_data();
    auto* pf = reinterpret_cast<std::uint8_t*>(feasible.mutable_data());
    {
        py::gil_scoped_release release;
        run(pa, pr, pm, pe, pf);
    }
    return py::make_tuple(with_arcs ? py::object(arc_e) : py::object(py::none()), route_e, min_soc,
                          end_soc, feasible);
}

py::dict vehicle_dict(const Vehicle& v) {
    py::dict d;
    d["name"] = v.name;
    d["curb_mass_kg"] = v.curb_mass_kg;
    d["driver_mass_kg"] = v.driver_mass_kg;
    d["max_payload_kg"] = v.max_payload_kg;
    d["drag_coef"] = v.drag_coef;
    d["frontal_area_m2"] = v.frontal_area_m2;
    d["air_density_kgpm3"] = v.air_density_kgpm3;
    d["rolling_coef"] = v.rolling_coef;
    d["wheel_count"] = v.wheel_count;
    d["wheel_inertia_kgm2"] = v.wheel_inertia_kgm2;
    d["wheel_radius_m"] = v.wheel_radius_m;
    d["motor_max_kw"] = v.motor_max_kw;
    d["motor_eff_load_grid"] = v.motor_eff_load_grid;
    d["motor_eff_values"] = v.motor_eff_values;
    d["transmission_eff"] = v.transmission_eff;
    d["battery_usable_kwh"] = v.battery_usable_kwh;
    d["battery_eff"] = v.battery_eff;
    d["aux_power_w"] = v.aux_power_w;
    d["regen_rule"] = energy::regen_rule_name(v.regen_rule);
    d["regen_max_kw"] =
        v.regen_max_kw > 0.0 ? py::object(py::float_(v.regen_max_kw)) : py::object(py::none());
    d["regen_fade_speed_mps"] = v.regen_fade_speed_mps;
    d["hvac_heat_below_c"] = v.hvac_heat_below_c;
    d["hvac_heat_w_per_k"] = v.hvac_heat_w_per_k;
    d["hvac_heat_max_w"] = v.hvac_heat_max_w;
    d["hvac_cool_above_c"] = v.hvac_cool_above_c;
    d["hvac_cool_w_per_k"] = v.hvac_cool_w_per_k;
    d["hvac_cool_max_w"] = v.hvac_cool_max_w;
    return d;
}

}  // namespace

void bind_energy(py::module_& m) {
    py::class_<Vehicle>(m, "EnergyVehicle",
                        "EV parameters for the energy model (SI units; see lastmile_core.energy).")
        .def(py::init([](double curb_mass_kg, double max_payload_kg, double drag_coef,
                         double frontal_area_m2, double rolling_coef, double motor_max_kw,
                         double battery_usable_kwh, double driver_mass_kg, double air_density_kgpm3,
                         int wheel_count, double wheel_inertia_kgm2, double wheel_radius_m,
                         std::optional<std::vector<double>> motor_eff_load_grid,
                         std::optional<std::vector<double>> motor_eff_values,
                         double transmission_eff, double battery_eff, double aux_power_w,
                         const std::string& regen_rule, std::optional<double> regen_max_kw,
                         double regen_fade_speed_mps, double hvac_heat_below_c,
                         double hvac_heat_w_per_k, double hvac_heat_max_w, double hvac_cool_above_c,
                         double hvac_cool_w_per_k, double hvac_cool_max_w, std::string name) {
                 Vehicle v;
                 v.name = std::move(name);
                 v.curb_mass_kg = curb_mass_kg;
                 v.driver_mass_kg = driver_mass_kg;
                 v.max_payload_kg = max_payload_kg;
                 v.drag_coef = drag_coef;
                 v.frontal_area_m2 = frontal_area_m2;
                 v.air_density_kgpm3 = air_density_kgpm3;
                 v.rolling_coef = rolling_coef;
                 v.wheel_count = wheel_count;
                 v.wheel_inertia_kgm2 = wheel_inertia_kgm2;
                 v.wheel_radius_m = wheel_radius_m;
                 v.motor_max_kw = motor_max_kw;
                 if (motor_eff_load_grid.has_value() != motor_eff_values.has_value())
                     throw InputError(std::string(motor_eff_values ? "motor_eff_load_grid"
                                                                   : "motor_eff_values") +
                                      ": motor_eff_load_grid and motor_eff_values go together");
                 if (motor_eff_load_grid) {
                     v.motor_eff_load_grid = *motor_eff_load_grid;
                     v.motor_eff_values = *motor_eff_values;
                 } else {
                     const Vehicle ref = Vehicle::preset("midvan68");
                     v.motor_eff_load_grid = ref.motor_eff_load_grid;
                     v.motor_eff_values = ref.motor_eff_values;
                 }
                 v.transmission_eff = transmission_eff;
                 v.battery_usable_kwh = battery_usable_kwh;
                 v.battery_eff = battery_eff;
                 v.aux_power_w = aux_power_w;
                 v.regen_rule = energy::parse_regen_rule(regen_rule, "regen_rule");
                 v.regen_max_kw = regen_max_kw ? *regen_max_kw : 0.0;
                 if (regen_max_kw && !(*regen_max_kw > 0.0))
                     throw InputError(
                         "regen_max_kw: must be > 0 (or None for the motor rating), got " +
                         std::to_string(*regen_max_kw));
                 v.regen_fade_speed_mps = regen_fade_speed_mps;
                 v.hvac_heat_below_c = hvac_heat_below_c;
                 v.hvac_heat_w_per_k = hvac_heat_w_per_k;
                 v.hvac_heat_max_w = hvac_heat_max_w;
                 v.hvac_cool_above_c = hvac_cool_above_c;
                 v.hvac_cool_w_per_k = hvac_cool_w_per_k;
                 v.hvac_cool_max_w = hvac_cool_max_w;
                 v.validate();
                 return v;
             }),
             py::kw_only(), py::arg("curb_mass_kg"), py::arg("max_payload_kg"),
             py::arg("drag_coef"), py::arg("frontal_area_m2"), py::arg("rolling_coef"),
             py::arg("motor_max_kw"), py::arg("battery_usable_kwh"),
             py::arg("driver_mass_kg") = 80.0, py::arg("air_density_kgpm3") = 1.2,
             py::arg("wheel_count") = 4, py::arg("wheel_inertia_kgm2") = 1.0,
             py::arg("wheel_radius_m") = 0.35, py::arg("motor_eff_load_grid") = py::none(),
             py::arg("motor_eff_values") = py::none(), py::arg("transmission_eff") = 0.95,
             py::arg("battery_eff") = 0.985, py::arg("aux_power_w") = 500.0,
             py::arg("regen_rule") = "linear", py::arg("regen_max_kw") = py::none(),
             py::arg("regen_fade_speed_mps") = Vehicle{}.regen_fade_speed_mps,
             py::arg("hvac_heat_below_c") = 18.0, py::arg("hvac_heat_w_per_k") = 0.0,
             py::arg("hvac_heat_max_w") = 0.0, py::arg("hvac_cool_above_c") = 24.0,
             py::arg("hvac_cool_w_per_k") = 0.0, py::arg("hvac_cool_max_w") = 0.0,
             py::arg("name") = "")
        .def_static("preset", &Vehicle::preset, py::arg("name"),
                    "A named preset: midvan68, small_van or large_van.")
        .def_static("preset_names", &Vehicle::preset_names)
        .def_property_readonly("name", [](const Vehicle& v) { return v.name; })
        .def_property_readonly("curb_mass_kg", [](const Vehicle& v) { return v.curb_mass_kg; })
        .def_property_readonly("driver_mass_kg", [](const Vehicle& v) { return v.driver_mass_kg; })
        .def_property_readonly("max_payload_kg", [](const Vehicle& v) { return v.max_payload_kg; })
        .def_property_readonly("drag_coef", [](const Vehicle& v) { return v.drag_coef; })
        .def_property_readonly("frontal_area_m2",
                               [](const Vehicle& v) { return v.frontal_area_m2; })
        .def_property_readonly("air_density_kgpm3",
                               [](const Vehicle& v) { return v.air_density_kgpm3; })
        .def_property_readonly("rolling_coef", [](const Vehicle& v) { return v.rolling_coef; })
        .def_property_readonly("wheel_count", [](const Vehicle& v) { return v.wheel_count; })
        .def_property_readonly("wheel_inertia_kgm2",
                               [](const Vehicle& v) { return v.wheel_inertia_kgm2; })
        .def_property_readonly("wheel_radius_m", [](const Vehicle& v) { return v.wheel_radius_m; })
        .def_property_readonly("motor_max_kw", [](const Vehicle& v) { return v.motor_max_kw; })
        .def_property_readonly("motor_eff_load_grid",
                               [](const Vehicle& v) { return v.motor_eff_load_grid; })
        .def_property_readonly("motor_eff_values",
                               [](const Vehicle& v) { return v.motor_eff_values; })
        .def_property_readonly("transmission_eff",
                               [](const Vehicle& v) { return v.transmission_eff; })
        .def_property_readonly("battery_usable_kwh",
                               [](const Vehicle& v) { return v.battery_usable_kwh; })
        .def_property_readonly("battery_eff", [](const Vehicle& v) { return v.battery_eff; })
        .def_property_readonly("aux_power_w", [](const Vehicle& v) { return v.aux_power_w; })
        .def_property_readonly(
            "regen_rule", [](const Vehicle& v) { return energy::regen_rule_name(v.regen_rule); })
        .def_property_readonly("regen_max_kw",
                               [](const Vehicle& v) { return v.regen_limit_w() / 1e3; })
        .def_property_readonly("regen_fade_speed_mps",
                               [](const Vehicle& v) { return v.regen_fade_speed_mps; })
        .def_property_readonly("empty_mass_kg", &Vehicle::empty_mass_kg)
        .def_property_readonly("inertia_mass_kg", &Vehicle::inertia_mass_kg)
        .def("motor_eff", &Vehicle::motor_eff, py::arg("load_fraction"))
        .def("hvac_power_w", &Vehicle::hvac_power_w, py::arg("ambient_c"))
        .def("to_dict", &vehicle_dict, "Constructor keyword arguments reproducing this vehicle.")
        .def(py::pickle(
            [](const Vehicle& v) { return vehicle_dict(v); },
            [](const py::dict& d) { return py::type::of<Vehicle>()(**d).cast<Vehicle>(); }))
        .def("__repr__", [](const Vehicle& v) {
            return "EnergyVehicle(name='" + v.name +
                   "', curb_mass_kg=" + std::to_string(v.curb_mass_kg) +
                   ", battery_usable_kwh=" + std::to_string(v.battery_usable_kwh) + ")";
        });

    py::class_<energy::TraceResult>(m, "TraceResult", "Result of simulate_trace (energies in kWh).")
        .def_readonly("terminal_kwh", &energy::TraceResult::terminal_kwh)
        .def_readonly("chemical_kwh", &energy::TraceResult::chemical_kwh)
        .def_readonly("distance_km", &energy::TraceResult::distance_km)
        .def_readonly("duration_s", &energy::TraceResult::duration_s)
        .def_readonly("drag_kwh", &energy::TraceResult::drag_kwh)
        .def_readonly("rolling_kwh", &energy::TraceResult::rolling_kwh)
        .def_readonly("grade_kwh", &energy::TraceResult::grade_kwh)
        .def_readonly("accel_kwh", &energy::TraceResult::accel_kwh)
        .def_readonly("friction_brake_kwh", &energy::TraceResult::friction_brake_kwh)
        .def_readonly("regen_kwh", &energy::TraceResult::regen_kwh)
        .def_readonly("drivetrain_loss_kwh", &energy::TraceResult::drivetrain_loss_kwh)
        .def_readonly("aux_kwh", &energy::TraceResult::aux_kwh)
        .def_readonly("hvac_kwh", &energy::TraceResult::hvac_kwh)
        .def_readonly("battery_loss_kwh", &energy::TraceResult::battery_loss_kwh)
        .def_readonly("soc_end", &energy::TraceResult::soc_end)
        .def_readonly("min_soc", &energy::TraceResult::min_soc)
        .def_readonly("power_limited_steps", &energy::TraceResult::power_limited_steps)
        .def_property_readonly("soc", [](const energy::TraceResult& r) { return to_numpy(r.soc); })
        .def_property_readonly(
            "terminal_power_w",
            [](const energy::TraceResult& r) { return to_numpy(r.terminal_power_w); })
        .def_property_readonly("wh_per_km",
                               [](const energy::TraceResult& r) {
                                   return r.distance_km > 0.0 ? 1e3 * r.terminal_kwh / r.distance_km
                                                              : 0.0;
                               })
        .def("breakdown_kwh",
             [](const energy::TraceResult& r) {
                 py::dict d;
                 d["drag"] = r.drag_kwh;
                 d["rolling"] = r.rolling_kwh;
                 d["grade"] = r.grade_kwh;
                 d["accel"] = r.accel_kwh;
                 d["friction_brake"] = r.friction_brake_kwh;
                 d["drivetrain_loss"] = r.drivetrain_loss_kwh;
                 d["aux"] = r.aux_kwh;
                 d["hvac"] = r.hvac_kwh;
                 d["battery_loss"] = r.battery_loss_kwh;
                 d["regen"] = r.regen_kwh;
                 return d;
             })
        .def("__repr__", [](const energy::TraceResult& r) {
            return "TraceResult(terminal_kwh=" + std::to_string(r.terminal_kwh) +
                   ", distance_km=" + std::to_string(r.distance_km) + ")";
        });

    m.def(
        "simulate_trace",
        [](const Vehicle& v, const py::object& time_s, const py::object& speed_mps,
           const py::object& grade, const py::object& payload_kg, double ambient_c,
           const std::string& mode, const std::optional<std::string>& regen, double initial_soc) {
            const std::vector<double> t = to_vec(time_s, "time_s");
            const std::size_t n = t.size();
            const std::vector<double> s = to_vec(speed_mps, "speed_mps");
            if (s.size() != n)
                throw InputError("speed_mps: length " + std::to_string(s.size()) +
                                 " does not match time_s length " + std::to_string(n));
            const std::vector<double> g =
                grade.is_none() ? std::vector<double>(n, 0.0) : broadcast(grade, n, "grade");
            const std::vector<double> p = broadcast(payload_kg, n, "payload_kg");
            energy::TraceOptions opt;
            if (mode == "physics")
                opt.mode = energy::TraceMode::physics;
            else if (mode == "fastsim")
                opt.mode = energy::TraceMode::fastsim;
            else
                throw InputError("mode: unknown mode '" + mode + "' (expected physics or fastsim)");
            opt.regen =
                regen ? energy::parse_regen_rule(*regen, "regen")
                      : (opt.mode == energy::TraceMode::fastsim ? RegenRule::full : v.regen_rule);
            opt.ambient_c = ambient_c;
            opt.initial_soc = initial_soc;
            energy::validate_trace(t.data(), s.data(), g.data(), p.data(), n, opt);
            py::gil_scoped_release release;
            return energy::simulate_trace(v, t.data(), s.data(), g.data(), p.data(), n, opt);
        },
        py::arg("vehicle"), py::arg("time_s"), py::arg("speed_mps"), py::arg("grade") = py::none(),
        py::arg("payload_kg") = 0.0, py::arg("ambient_c") = 20.0, py::arg("mode") = "physics",
        py::arg("regen") = py::none(), py::arg("initial_soc") = 1.0);

    m.def(
        "energy_arc_coefficients",
        [](const Vehicle& v, const py::object& distance_m, const py::object& elevation_diff_m,
           const py::object& cruise_speed_mps, const py::object& dwell_s, double ambient_c,
           double accel_mps2, double decel_mps2, const std::optional<std::string>& regen,
           std::optional<double> reference_payload_kg) {
            const ArcInput in = arc_input(distance_m, elevation_diff_m, cruise_speed_mps, dwell_s);
            const auto n = static_cast<std::size_t>(in.distance.size());
            const energy::ArcArrays x = in.view();
            energy::validate_arc_arrays(x, n);
            const energy::ArcOptions o =
                make_arc_options(v, ambient_c, accel_mps2, decel_mps2, regen, reference_payload_kg);
            py::array_t<double> a(static_cast<py::ssize_t>(n)), b(static_cast<py::ssize_t>(n));
            double* pa = a.mutable_data();
            double* pb = b.mutable_data();
            {
                py::gil_scoped_release release;
                const energy::ArcModel model(v, o);
                energy::arc_coefficients(model, x, n, pa, pb);
            }
            return py::make_tuple(a, b);
        },
        py::arg("vehicle"), py::arg("distance_m"), py::arg("elevation_diff_m"),
        py::arg("cruise_speed_mps"), py::arg("dwell_s"), py::arg("ambient_c"),
        py::arg("accel_mps2"), py::arg("decel_mps2"), py::arg("regen"),
        py::arg("reference_payload_kg"));

    m.def(
        "energy_route_batch",
        [](const Vehicle& v, const py::object& route_offsets, const py::object& distance_m,
           const py::object& elevation_diff_m, const py::object& cruise_speed_mps,
           const py::object& dwell_s, const py::object& payload_delivered_kg, double ambient_c,
           double accel_mps2, double decel_mps2, const std::optional<std::string>& regen,
           std::optional<double> reference_payload_kg, double initial_soc, double reserve_kwh,
           double extra_payload_kg, bool return_arc_energy) {
            const ArcInput in = arc_input(distance_m, elevation_diff_m, cruise_speed_mps, dwell_s);
            const auto n = static_cast<std::size_t>(in.distance.size());
            const energy::ArcArrays x = in.view();
            energy::validate_arc_arrays(x, n);
            const iarray off = iarray::ensure(route_offsets);
            if (!off) throw InputError("route_offsets: expected an integer array");
            energy::validate_offsets(off.data(), static_cast<std::size_t>(off.size()), n);
            const darray deliv = as_array(payload_delivered_kg, "payload_delivered_kg");
            check_delivered(deliv, n);
            const energy::ArcOptions o =
                make_arc_options(v, ambient_c, accel_mps2, decel_mps2, regen, reference_payload_kg);
            const energy::RouteEvalOptions e =
                eval_options(v.battery_usable_kwh, initial_soc, reserve_kwh, extra_payload_kg);
            const std::size_t n_routes = static_cast<std::size_t>(off.size()) - 1;
            return route_outputs(
                n, n_routes, return_arc_energy,
                [&](double* pa, double* pr, double* pm, double* pe, std::uint8_t* pf) {
                    const energy::ArcModel model(v, o);
                    energy::route_energy_batch(model, x, off.data(), n_routes, deliv.data(), e, pa,
                                               pr, pm, pe, pf);
                });
        },
        py::arg("vehicle"), py::arg("route_offsets"), py::arg("distance_m"),
        py::arg("elevation_diff_m"), py::arg("cruise_speed_mps"), py::arg("dwell_s"),
        py::arg("payload_delivered_kg"), py::arg("ambient_c"), py::arg("accel_mps2"),
        py::arg("decel_mps2"), py::arg("regen"), py::arg("reference_payload_kg"),
        py::arg("initial_soc"), py::arg("reserve_kwh"), py::arg("extra_payload_kg"),
        py::arg("return_arc_energy"));

    m.def(
        "energy_evaluate_routes",
        [](const py::object& route_offsets, const py::object& a_kwh, const py::object& b_kwh_per_kg,
           const py::object& payload_delivered_kg, double battery_usable_kwh, double initial_soc,
           double reserve_kwh, double extra_payload_kg, bool return_arc_energy) {
            const darray a = as_array(a_kwh, "a_kwh");
            const darray b = as_array(b_kwh_per_kg, "b_kwh_per_kg");
            const auto n = static_cast<std::size_t>(a.size());
            if (static_cast<std::size_t>(b.size()) != n)
                throw InputError("b_kwh_per_kg: length " + std::to_string(b.size()) +
                                 " does not match a_kwh length " + std::to_string(n));
            for (std::size_t i = 0; i < n; ++i)
                if (!std::isfinite(a.data()[i]) || !std::isfinite(b.data()[i]))
                    throw InputError("a_kwh: coefficients at index " + std::to_string(i) +
                                     " are not finite");
            const iarray off = iarray::ensure(route_offsets);
            if (!off) throw InputError("route_offsets: expected an integer array");
            energy::validate_offsets(off.data(), static_cast<std::size_t>(off.size()), n);
            const darray deliv = as_array(payload_delivered_kg, "payload_delivered_kg");
            check_delivered(deliv, n);
            const energy::RouteEvalOptions e =
                eval_options(battery_usable_kwh, initial_soc, reserve_kwh, extra_payload_kg);
            const std::size_t n_routes = static_cast<std::size_t>(off.size()) - 1;
            return route_outputs(
                n, n_routes, return_arc_energy,
                [&](double* pa, double* pr, double* pm, double* pe, std::uint8_t* pf) {
                    energy::evaluate_routes(off.data(), n_routes, a.data(), b.data(), deliv.data(),
                                            e, pa, pr, pm, pe, pf);
                });
        },
        py::arg("route_offsets"), py::arg("a_kwh"), py::arg("b_kwh_per_kg"),
        py::arg("payload_delivered_kg"), py::arg("battery_usable_kwh"), py::arg("initial_soc"),
        py::arg("reserve_kwh"), py::arg("extra_payload_kg"), py::arg("return_arc_energy"));
}
}  // namespace lastmile::bindings
