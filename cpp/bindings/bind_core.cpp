// Bindings for the problem model: VehicleType, ProblemData, Route, Solution.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>

#include "bindings/bind.h"
#include "bindings/bind_numpy.h"
#include "core/errors.h"
#include "core/problem.h"
#include "core/solution.h"
#include "energy/battery_check.h"
#include "energy/ev_routing.h"
#include "energy/validate.h"

namespace py = pybind11;

namespace lastmile::bindings {
namespace {

template <class T>
std::vector<T> square(const std::optional<carray<T>>& a, std::size_t n, const char* name) {
    if (!a) return {};
    if (a->ndim() != 2 || static_cast<std::size_t>(a->shape(0)) != n ||
        static_cast<std::size_t>(a->shape(1)) != n)
        throw InputError(std::string(name) + ": expected shape (" + std::to_string(n) + ", " +
                         std::to_string(n) + ")");
    return to_vector(*a);
}

DistanceKind parse_kind(const std::string& s) {
    if (s == "euclidean_rounded") return DistanceKind::euclidean_rounded;
    if (s == "euclidean") return DistanceKind::euclidean;
    if (s == "haversine") return DistanceKind::haversine;
    if (s == "matrix") return DistanceKind::matrix;
    throw InputError("distance: unknown kind '" + s +
                     "' (expected euclidean_rounded, euclidean, haversine or matrix)");
}

const char* kind_name(DistanceKind k) {
    switch (k) {
        case DistanceKind::euclidean_rounded:
            return "euclidean_rounded";
        case DistanceKind::euclidean:
            return "euclidean";
        case DistanceKind::haversine:
            return "haversine";
        case DistanceKind::matrix:
            return "matrix";
    }
    return "?";
}

/// Dense n x n int64 matrix of edge(i, j), filled with the GIL released.
template <class Edge>
py::array_t<std::int64_t> dense_matrix(const ProblemData& d, Edge edge) {
    const auto n = static_cast<py::ssize_t>(d.num_nodes());
    py::array_t<std::int64_t> a({n, n});
    auto* p = a.mutable_data();
    {
        py::gil_scoped_release release;
        for (py::ssize_t i = 0; i < n; ++i)
            for (py::ssize_t j = 0; j < n; ++j)
                p[i * n + j] = edge(static_cast<std::size_t>(i), static_cast<std::size_t>(j));
    }
    return a;
}

std::optional<std::int64_t> index_or_none(std::int64_t i) {
    return i < 0 ? std::nullopt : std::optional<std::int64_t>(i);
}

std::int64_t limit(std::optional<std::int64_t> v) { return v ? *v : kUnlimited; }
std::optional<std::int64_t> unlimit(std::int64_t v) {
    return v >= kUnlimited ? std::nullopt : std::optional<std::int64_t>(v);
}

}  // namespace

void bind_core(py::module_& m) {
    m.attr("UNLIMITED") = py::int_(kUnlimited);

    py::class_<VehicleType>(m, "VehicleType",
                            "A vehicle type of the fleet (internal integer units).")
        .def(py::init([](std::vector<Load> capacity, std::optional<std::int64_t> num_available,
                         double fixed_cost, double cost_per_distance, double cost_per_duration,
                         std::optional<std::int64_t> max_duration,
                         std::optional<std::int64_t> max_distance, std::string name,
                         double battery_kwh, double reserve_kwh,
                         std::optional<energy::Vehicle> energy_vehicle, double ambient_c,
                         std::optional<std::int64_t> payload_dim, double metres_per_distance_unit,
                         double seconds_per_duration_unit, double cruise_speed_mps,
                         std::optional<std::string> regen,
                         std::optional<double> reference_payload_kg, std::int64_t earliest_start,
                         std::optional<std::int64_t> latest_end, std::int64_t start_depot,
                         std::int64_t end_depot, std::vector<std::int64_t> reload_depots,
                         std::optional<std::int64_t> max_reloads, std::int64_t reload_time,
                         std::int64_t break_duration, std::int64_t break_early,
                         std::optional<std::int64_t> break_late) {
                 VehicleType t;
                 t.break_duration = break_duration;
                 t.break_early = break_early;
                 t.break_late = limit(break_late);
                 for (auto d : reload_depots) {
                     if (d < 0)
                         throw InputError("reload_depots: depot " + std::to_string(d) +
                                          " is negative");
                     t.reload_depots.push_back(static_cast<std::size_t>(d));
                 }
                 t.max_reloads = limit(max_reloads);
                 t.reload_time = reload_time;
                 if (start_depot < 0)
                     throw InputError("start_depot: must be >= 0, got " +
                                      std::to_string(start_depot));
                 if (end_depot < 0)
                     throw InputError("end_depot: must be >= 0, got " + std::to_string(end_depot));
                 t.start_depot = static_cast<std::size_t>(start_depot);
                 t.end_depot = static_cast<std::size_t>(end_depot);
                 t.earliest_start = earliest_start;
                 t.latest_end = limit(latest_end);
                 t.capacity = std::move(capacity);
                 t.num_available = limit(num_available);
                 t.fixed_cost = fixed_cost;
                 t.cost_per_distance = cost_per_distance;
                 t.cost_per_duration = cost_per_duration;
                 t.max_duration = limit(max_duration);
                 t.max_distance = limit(max_distance);
                 t.name = std::move(name);
                 EnergySettings e;
                 e.battery_kwh = battery_kwh;
                 e.reserve_kwh = reserve_kwh;
                 e.vehicle = std::move(energy_vehicle);
                 e.ambient_c = ambient_c;
                 e.payload_dim = payload_dim;
                 e.metres_per_distance_unit = metres_per_distance_unit;
                 e.seconds_per_duration_unit = seconds_per_duration_unit;
                 e.cruise_speed_mps = cruise_speed_mps;
                 e.regen = std::move(regen);
                 e.reference_payload_kg = reference_payload_kg;
                 if (payload_dim && *payload_dim >= 0 &&
                     static_cast<std::size_t>(*payload_dim) < t.capacity.size())
                     e.payload_capacity_kg =
                         static_cast<double>(t.capacity[static_cast<std::size_t>(*payload_dim)]);
                 t.energy = make_vehicle_energy(e);
                 return t;
             }),
             py::arg("capacity"), py::arg("num_available") = py::none(),
             py::arg("fixed_cost") = 0.0, py::arg("cost_per_distance") = 1.0,
             py::arg("cost_per_duration") = 0.0, py::arg("max_duration") = py::none(),
             py::arg("max_distance") = py::none(), py::arg("name") = "",
             py::arg("battery_kwh") = 0.0, py::arg("reserve_kwh") = 0.0,
             py::arg("energy_vehicle") = py::none(),
             py::arg("ambient_c") = EnergySettings{}.ambient_c, py::arg("payload_dim") = py::none(),
             py::arg("metres_per_distance_unit") = 1.0, py::arg("seconds_per_duration_unit") = 1.0,
             py::arg("cruise_speed_mps") = EnergySettings{}.cruise_speed_mps,
             py::arg("regen") = py::none(), py::arg("reference_payload_kg") = py::none(),
             py::arg("earliest_start") = 0, py::arg("latest_end") = py::none(),
             py::arg("start_depot") = 0, py::arg("end_depot") = 0,
             py::arg("reload_depots") = std::vector<std::int64_t>{},
             py::arg("max_reloads") = py::none(), py::arg("reload_time") = 0,
             py::arg("break_duration") = 0, py::arg("break_early") = 0,
             py::arg("break_late") = py::none())
        .def_readonly("capacity", &VehicleType::capacity)
        .def_property_readonly("num_available",
                               [](const VehicleType& t) { return unlimit(t.num_available); })
        .def_readonly("fixed_cost", &VehicleType::fixed_cost)
        .def_readonly("cost_per_distance", &VehicleType::cost_per_distance)
        .def_readonly("cost_per_duration", &VehicleType::cost_per_duration)
        .def_property_readonly("max_duration",
                               [](const VehicleType& t) { return unlimit(t.max_duration); })
        .def_property_readonly("max_distance",
                               [](const VehicleType& t) { return unlimit(t.max_distance); })
        .def_readonly("name", &VehicleType::name)
        .def_readonly("earliest_start", &VehicleType::earliest_start)
        .def_readonly("start_depot", &VehicleType::start_depot)
        .def_readonly("end_depot", &VehicleType::end_depot)
        .def_readonly("reload_depots", &VehicleType::reload_depots)
        .def_property_readonly("max_reloads",
                               [](const VehicleType& t) { return unlimit(t.max_reloads); })
        .def_readonly("reload_time", &VehicleType::reload_time)
        .def_readonly("break_duration", &VehicleType::break_duration)
        .def_readonly("break_early", &VehicleType::break_early)
        .def_property_readonly("break_late",
                               [](const VehicleType& t) { return unlimit(t.break_late); })
        .def_property_readonly("latest_end",
                               [](const VehicleType& t) { return unlimit(t.latest_end); })
        .def_property_readonly("battery_kwh",
                               [](const VehicleType& t) { return t.energy.battery_kwh; })
        .def_property_readonly("reserve_kwh",
                               [](const VehicleType& t) { return t.energy.reserve_kwh; })
        .def_property_readonly("energy_vehicle",
                               [](const VehicleType& t) -> std::optional<energy::Vehicle> {
                                   if (!t.energy.model) return std::nullopt;
                                   return ev_model(t.energy)->vehicle;
                               })
        .def_property_readonly("payload_dim",
                               [](const VehicleType& t) -> std::optional<std::size_t> {
                                   if (!t.energy.model) return std::nullopt;
                                   return t.energy.payload_dim;
                               })
        .def_property_readonly("ambient_c",
                               [](const VehicleType& t) -> std::optional<double> {
                                   if (!t.energy.model) return std::nullopt;
                                   return ev_model(t.energy)->options.ambient_c;
                               })
        .def_property_readonly("cruise_speed_mps",
                               [](const VehicleType& t) -> std::optional<double> {
                                   if (!t.energy.model) return std::nullopt;
                                   return ev_model(t.energy)->cruise_speed_mps;
                               })
        .def("__repr__", [](const VehicleType& t) {
            return "VehicleType(name='" + t.name +
                   "', capacity=" + py::str(py::cast(t.capacity)).cast<std::string>() + ")";
        });

    py::class_<ProblemData>(m, "ProblemData", "Immutable instance; node 0 is the depot.")
        .def(py::init([](const carray<double>& coords, const carray<std::int64_t>& demand,
                         const carray<std::int64_t>& service_time,
                         std::vector<VehicleType> vehicle_types, const std::string& distance,
                         double distance_scale, double duration_per_distance,
                         const std::optional<carray<std::int64_t>>& distance_matrix,
                         const std::optional<carray<std::int64_t>>& duration_matrix,
                         const std::optional<carray<double>>& elevation,
                         const std::optional<carray<std::int32_t>>& zone, double circuity,
                         std::size_t dense_limit, const std::optional<carray<std::int64_t>>& tw_early,
                         const std::optional<carray<std::int64_t>>& tw_late,
                         const std::optional<carray<std::int64_t>>& release_time,
                         std::size_t num_depots,
                         const std::optional<carray<std::int64_t>>& pickup,
                         const std::optional<carray<std::int64_t>>& depot_loading_time) {
                 if (coords.ndim() != 2 || coords.shape(1) != 2)
                     throw InputError("coords: expected shape (n, 2)");
                 const std::size_t n = static_cast<std::size_t>(coords.shape(0));
                 if (demand.ndim() != 2 || static_cast<std::size_t>(demand.shape(0)) != n)
                     throw InputError("demand: expected shape (" + std::to_string(n) + ", dims)");
                 if (service_time.ndim() != 1)
                     throw InputError("service_time: expected a 1-D array");
                 std::vector<double> x(n), y(n);
                 auto c = coords.unchecked<2>();
                 for (std::size_t i = 0; i < n; ++i) x[i] = c(i, 0), y[i] = c(i, 1);
                 const auto kind = parse_kind(distance);
                 auto dm = square(distance_matrix, n, "distance_matrix");
                 auto tm = square(duration_matrix, n, "duration_matrix");
                 std::vector<double> elev =
                     elevation ? to_vector(*elevation) : std::vector<double>{};
                 std::vector<std::int32_t> zn =
                     zone ? to_vector(*zone) : std::vector<std::int32_t>{};
                 auto dem = to_vector(demand);
                 auto svc = to_vector(service_time);
                 const std::size_t dims = static_cast<std::size_t>(demand.shape(1));
                 TimeData time;
                 if (tw_early) time.early = to_vector(*tw_early);
                 if (tw_late) time.late = to_vector(*tw_late);
                 if (release_time) time.release = to_vector(*release_time);
                 if (depot_loading_time) time.loading = to_vector(*depot_loading_time);
                 std::vector<Load> pick;
                 if (pickup) {
                     if (pickup->ndim() != 2 || pickup->shape(0) != demand.shape(0) ||
                         pickup->shape(1) != demand.shape(1))
                         throw InputError("pickup: expected the shape of demand (" +
                                          std::to_string(n) + ", " + std::to_string(dims) + ")");
                     pick = to_vector(*pickup);
                 }
                 py::gil_scoped_release release;
                 return ProblemData(std::move(x), std::move(y), std::move(dem), dims,
                                    std::move(svc), std::move(vehicle_types), kind, distance_scale,
                                    duration_per_distance, std::move(dm), std::move(tm),
                                    std::move(elev), std::move(zn), circuity, dense_limit,
                                    std::move(time), num_depots, std::move(pick));
             }),
             py::arg("coords"), py::arg("demand"), py::arg("service_time"),
             py::arg("vehicle_types"), py::arg("distance") = "euclidean_rounded",
             py::arg("distance_scale") = 1.0, py::arg("duration_per_distance") = 1.0,
             py::arg("distance_matrix") = py::none(), py::arg("duration_matrix") = py::none(),
             py::arg("elevation") = py::none(), py::arg("zone") = py::none(),
             py::arg("circuity") = 1.0, py::arg("dense_limit") = 4000,
             py::arg("tw_early") = py::none(), py::arg("tw_late") = py::none(),
             py::arg("release_time") = py::none(), py::arg("num_depots") = 1,
             py::arg("pickup") = py::none(), py::arg("depot_loading_time") = py::none())
        .def_property_readonly("num_nodes", &ProblemData::num_nodes)
        .def_property_readonly("num_depots", &ProblemData::num_depots,
                               "Depots: node 0 and, with several, the nodes after the clients")
        .def_property_readonly("num_clients", &ProblemData::num_clients)
        .def_property_readonly("num_dims", &ProblemData::num_dims)
        .def_property_readonly("symmetric", &ProblemData::symmetric,
                               "True when every distance and duration is the same both ways")
        .def_property_readonly("vehicle_types", &ProblemData::vehicle_types)
        .def_property_readonly("distance_kind",
                               [](const ProblemData& d) { return kind_name(d.distance_kind()); })
        .def_property_readonly("distance_scale", &ProblemData::distance_scale)
        .def_property_readonly("duration_per_distance", &ProblemData::duration_per_distance)
        .def_property_readonly("circuity", &ProblemData::circuity)
        .def_property_readonly("dense", &ProblemData::dense)
        .def_property_readonly("has_duration_matrix", &ProblemData::has_duration_matrix)
        .def_property_readonly(
            "coords",
            [](const ProblemData& d) {
                py::array_t<double> a({static_cast<py::ssize_t>(d.num_nodes()), py::ssize_t{2}});
                auto r = a.mutable_unchecked<2>();
                for (std::size_t i = 0; i < d.num_nodes(); ++i) r(i, 0) = d.x(i), r(i, 1) = d.y(i);
                return a;
            })
        .def_property_readonly(
            "demand",
            [](const ProblemData& d) {
                py::array_t<std::int64_t> a({static_cast<py::ssize_t>(d.num_nodes()),
                                             static_cast<py::ssize_t>(d.num_dims())});
                std::copy(d.demands().begin(), d.demands().end(), a.mutable_data());
                return a;
            })
        .def_property_readonly(
            "pickup",
            [](const ProblemData& d) {  // zeros when no client picks up
                py::array_t<std::int64_t> a({static_cast<py::ssize_t>(d.num_nodes()),
                                             static_cast<py::ssize_t>(d.num_dims())});
                auto* out = a.mutable_data();
                for (std::size_t i = 0; i < d.num_nodes() * d.num_dims(); ++i)
                    out[i] = d.has_pickups() ? d.pickups()[i] : 0;
                return a;
            },
            "Pickup amount per node and dimension (n, dims); zeros without pickups.")
        .def_property_readonly("has_pickups", &ProblemData::has_pickups,
                               "Some client picks goods up (capacity holds at every point).")
        .def_property_readonly("has_reloads", &ProblemData::has_reloads,
                               "Some vehicle type may reload (routes may visit depot nodes).")
        .def_property_readonly("service_time",
                               [](const ProblemData& d) {
                                   return py::array_t<std::int64_t>(
                                       static_cast<py::ssize_t>(d.num_nodes()),
                                       d.services().data());
                               })
        .def_property_readonly("has_time_windows", &ProblemData::has_time_windows)
        .def_property_readonly("tw_early",
                               [](const ProblemData& d) {
                                   py::array_t<std::int64_t> a(
                                       static_cast<py::ssize_t>(d.num_nodes()));
                                   for (std::size_t i = 0; i < d.num_nodes(); ++i)
                                       a.mutable_at(i) = d.tw_early(i);
                                   return a;
                               })
        .def_property_readonly("tw_late",
                               [](const ProblemData& d) {
                                   py::array_t<std::int64_t> a(
                                       static_cast<py::ssize_t>(d.num_nodes()));
                                   for (std::size_t i = 0; i < d.num_nodes(); ++i)
                                       a.mutable_at(i) = d.tw_late(i);
                                   return a;
                               })
        .def_property_readonly(
            "depot_loading_time",
            [](const ProblemData& d) {
                py::array_t<std::int64_t> a(static_cast<py::ssize_t>(d.num_depots()));
                for (std::size_t i = 0; i < d.num_depots(); ++i) a.mutable_at(i) = d.depot_loading(i);
                return a;
            },
            "Per depot: loading time before every trip leaves it (internal units)")
        .def_property_readonly("release_time",
                               [](const ProblemData& d) {
                                   py::array_t<std::int64_t> a(
                                       static_cast<py::ssize_t>(d.num_nodes()));
                                   for (std::size_t i = 0; i < d.num_nodes(); ++i)
                                       a.mutable_at(i) = i == 0 ? 0 : d.release(i);
                                   return a;
                               })
        .def_property_readonly("elevation",
                               [](const ProblemData& d) -> std::optional<py::array_t<double>> {
                                   if (d.elevation().empty()) return std::nullopt;
                                   return py::array_t<double>(
                                       static_cast<py::ssize_t>(d.num_nodes()),
                                       d.elevation().data());
                               })
        .def_property_readonly(
            "zone",
            [](const ProblemData& d) -> std::optional<py::array_t<std::int32_t>> {
                if (d.zone().empty()) return std::nullopt;
                return py::array_t<std::int32_t>(static_cast<py::ssize_t>(d.num_nodes()),
                                                 d.zone().data());
            })
        .def(
            "dist",
            [](const ProblemData& d, std::size_t i, std::size_t j) {
                if (i >= d.num_nodes() || j >= d.num_nodes())
                    throw IndexError("dist: node index out of range");
                return d.dist(i, j);
            },
            py::arg("i"), py::arg("j"), "Edge distance in internal units.")
        .def(
            "duration",
            [](const ProblemData& d, std::size_t i, std::size_t j) {
                if (i >= d.num_nodes() || j >= d.num_nodes())
                    throw IndexError("duration: node index out of range");
                return d.duration(i, j);
            },
            py::arg("i"), py::arg("j"), "Edge driving duration in internal units.")
        .def(
            "distance_matrix",
            [](const ProblemData& d) {
                return dense_matrix(d, [&d](std::size_t i, std::size_t j) { return d.dist(i, j); });
            },
            "Dense n x n distance matrix in internal units (O(n^2) memory).")
        .def(
            "duration_matrix",
            [](const ProblemData& d) {
                return dense_matrix(
                    d, [&d](std::size_t i, std::size_t j) { return d.duration(i, j); });
            },
            "Dense n x n duration matrix in internal units (O(n^2) memory).");

    py::class_<Route>(m, "Route", "A route: clients in visiting order and its vehicle type.")
        .def(py::init([](std::vector<std::int32_t> visits, std::int32_t vehicle_type) {
                 Route r;
                 r.visits = std::move(visits);
                 r.vehicle_type = vehicle_type;
                 return r;
             }),
             py::arg("visits"), py::arg("vehicle_type") = 0)
        .def_readonly("visits", &Route::visits)
        .def_readonly("vehicle_type", &Route::vehicle_type)
        .def_readonly("distance", &Route::distance)
        .def_readonly("duration", &Route::duration)
        .def_readonly("service", &Route::service)
        .def_readonly("load", &Route::load)
        .def_readonly("cost", &Route::cost)
        .def_readonly("energy_kwh", &Route::energy_kwh)
        .def_readonly("min_charge_kwh", &Route::min_charge_kwh)
        .def_readonly("start_time", &Route::start_time)
        .def_readonly("end_time", &Route::end_time)
        .def_readonly("waiting", &Route::waiting)
        .def_readonly("time_warp", &Route::time_warp)
        .def_property_readonly(
            "break_after",
            [](const Route& r) -> std::optional<std::int32_t> {
                if (r.break_after < 0) return std::nullopt;
                return r.break_after;
            },
            "Node position the driver break follows (0: start depot before leaving, p: after "
            "visits[p - 1], len(visits) + 1: at the end depot); None without a break.")
        .def_readonly("break_start", &Route::break_start)
        .def("__len__", [](const Route& r) { return r.visits.size(); })
        .def("__repr__", [](const Route& r) {
            return "Route(visits=" + py::str(py::cast(r.visits)).cast<std::string>() +
                   ", vehicle_type=" + std::to_string(r.vehicle_type) + ")";
        });

    py::class_<Violation>(m, "Violation",
                          "A constraint violation as data (internal units, kWh for energy).")
        .def_property_readonly("kind",
                               [](const Violation& v) { return violation_kind_name(v.kind); })
        .def_property_readonly("route", [](const Violation& v) { return index_or_none(v.route); })
        .def_property_readonly("vehicle_type",
                               [](const Violation& v) { return index_or_none(v.vehicle_type); })
        .def_property_readonly("client", [](const Violation& v) { return index_or_none(v.client); })
        .def_property_readonly("dimension",
                               [](const Violation& v) { return index_or_none(v.dimension); })
        .def_readonly("value", &Violation::value)
        .def_readonly("limit", &Violation::limit)
        .def_readonly("message", &Violation::message)
        .def("__repr__", [](const Violation& v) {
            return std::string("Violation(") + violation_kind_name(v.kind) + ": " + v.message + ")";
        });

    py::class_<Solution>(m, "Solution", "Routes evaluated against a ProblemData (C++ evaluation).")
        .def(py::init([](const ProblemData& data, std::vector<Route> routes) {
                 return evaluate_solution(data, std::move(routes));
             }),
             py::arg("data"), py::arg("routes"))
        .def_property_readonly("routes", &Solution::routes)
        .def_property_readonly("num_routes", &Solution::num_routes)
        .def_property_readonly("cost", &Solution::cost)
        .def_property_readonly("distance", &Solution::distance)
        .def_property_readonly("duration", &Solution::duration)
        .def_property_readonly("feasible", &Solution::feasible)
        .def_property_readonly("violations", &Solution::violations)
        .def_property_readonly("details", &Solution::details,
                               "The violations as data (Violation), in the same order.")
        .def("__repr__", [](const Solution& s) {
            return "Solution(routes=" + std::to_string(s.num_routes()) +
                   ", cost=" + std::to_string(s.cost()) +
                   ", feasible=" + (s.feasible() ? "True" : "False") + ")";
        });
}
}  // namespace lastmile::bindings
