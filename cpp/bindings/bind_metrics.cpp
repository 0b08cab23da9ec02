// Bindings for the metrics area: the batch route-metrics kernel (cpp/metrics).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>

#include "bindings/bind.h"
#include "bindings/bind_numpy.h"
#include "core/errors.h"
#include "metrics/batch_metrics.h"
#include "metrics/hull.h"

namespace py = pybind11;

namespace lastmile::bindings {
namespace {

using Opt = std::optional<darray>;

const double* per_stop(const Opt& a, std::size_t n, const char* name) {
    if (!a) return nullptr;
    const std::size_t len = len1d(*a, name);
    if (len != n)
        throw InputError(std::string(name) + ": expected " + std::to_string(n) +
                         " values (one per stop), got " + std::to_string(len));
    return a->data();
}

py::dict batch_route_metrics(const darray& x, const darray& y, const iarray& offsets,
                             const Opt& depot_x, const Opt& depot_y, bool geographic,
                             const Opt& packages, const Opt& service_s, const Opt& elevation_m,
                             const Opt& depot_elevation_m, const Opt& demand, const Opt& capacity,
                             const darray& speed_kmh, double circuity, double unit_km, bool hull,
                             std::optional<int> threads) {
    metrics::BatchInput in;
    in.num_stops = len1d(x, "x");
    if (len1d(y, "y") != in.num_stops)
        throw InputError("y: expected " + std::to_string(in.num_stops) +
                         " values (as many as x), got " + std::to_string(y.shape(0)));
    const std::size_t noff = len1d(offsets, "offsets");
    if (noff < 1) throw InputError("offsets: needs at least one entry (routes + 1), got 0");
    in.num_routes = noff - 1;
    in.x = x.data();
    in.y = y.data();
    in.offsets = offsets.data();
    in.geographic = geographic;
    if (depot_x.has_value() != depot_y.has_value())
        throw InputError("depot: give both depot_x and depot_y, or neither");
    if (depot_x) {
        in.depot_count = len1d(*depot_x, "depot");
        if (len1d(*depot_y, "depot") != in.depot_count)
            throw InputError("depot: depot_x and depot_y differ in length");
        in.depot_x = depot_x->data();
        in.depot_y = depot_y->data();
    }
    in.packages = per_stop(packages, in.num_stops, "packages");
    in.service_s = per_stop(service_s, in.num_stops, "service_s");
    in.elevation_m = per_stop(elevation_m, in.num_stops, "elevation_m");
    if (depot_elevation_m) {
        if (!elevation_m)
            throw InputError("depot_elevation_m: needs elevation_m (per-stop elevations)");
        in.depot_elevation_count = len1d(*depot_elevation_m, "depot_elevation_m");
        in.depot_elevation_m = depot_elevation_m->data();
    }
    if (demand) {
        if (demand->ndim() == 1) {
            in.dims = 1;
        } else if (demand->ndim() == 2) {
            in.dims = static_cast<std::size_t>(demand->shape(1));
        } else {
            throw InputError("demand: expected shape (stops, dims), got " + shape_of(*demand));
        }
        if (static_cast<std::size_t>(demand->shape(0)) != in.num_stops)
            throw InputError("demand: expected " + std::to_string(in.num_stops) +
                             " rows (one per stop), got shape " + shape_of(*demand));
        if (in.dims == 0)
            throw InputError("demand: needs at least one dimension, got shape " +
                             shape_of(*demand));
        in.demand = demand->data();
    }
    if (capacity) {
        if (!demand)
            throw InputError("capacity: needs demand (per-stop loads) to compute load factors");
        std::size_t cdims = 0;
        if (capacity->ndim() == 1) {
            in.capacity_rows = 1;
            cdims = static_cast<std::size_t>(capacity->shape(0));
        } else if (capacity->ndim() == 2) {
            in.capacity_rows = static_cast<std::size_t>(capacity->shape(0));
            cdims = static_cast<std::size_t>(capacity->shape(1));
        } else {
            throw InputError("capacity: expected shape (dims,) or (routes, dims), got " +
                             shape_of(*capacity));
        }
        if (cdims != in.dims)
            throw InputError("capacity: has " + std::to_string(cdims) +
                             " dimension(s) but demand has " + std::to_string(in.dims) +
                             ", got shape " + shape_of(*capacity));
        if (in.capacity_rows != 1 && in.capacity_rows != in.num_routes)
            throw InputError("capacity: expected 1 or " + std::to_string(in.num_routes) +
                             " rows, got shape " + shape_of(*capacity));
        in.capacity = capacity->data();
    }
    in.speed_count = len1d(speed_kmh, "speed_kmh");
    in.speed_kmh = speed_kmh.data();
    in.circuity = circuity;
    in.unit_km = unit_km;
    in.hull = hull;
    if (threads && *threads < 1)
        throw InputError("threads: must be >= 1 (or None for all cores), got " +
                         std::to_string(*threads));
    const unsigned nthreads = threads ? static_cast<unsigned>(*threads) : 0u;

    const std::size_t R = in.num_routes;
    auto n_stops = alloc<std::int64_t>(R);
    auto pk = alloc<double>(R), total = alloc<double>(R), lh = alloc<double>(R),
         intra = alloc<double>(R);
    auto drive = alloc<double>(R), service = alloc<double>(R), duration = alloc<double>(R);
    auto area = alloc<double>(R), density = alloc<double>(R), per_km = alloc<double>(R),
         mean = alloc<double>(R);
    py::dict result;
    metrics::BatchOutput out;
    out.n_stops = n_stops.mutable_data();
    out.packages = pk.mutable_data();
    out.total_distance = total.mutable_data();
    out.line_haul_distance = lh.mutable_data();
    out.intra_route_distance = intra.mutable_data();
    out.drive_time_s = drive.mutable_data();
    out.service_time_s = service.mutable_data();
    out.duration_s = duration.mutable_data();
    out.hull_area = area.mutable_data();
    out.stops_per_km2 = density.mutable_data();
    out.stops_per_intra_km = per_km.mutable_data();
    out.mean_inter_stop_distance = mean.mutable_data();
    std::optional<py::array_t<double>> load, factor, climb;
    const auto rows = static_cast<py::ssize_t>(R), cols = static_cast<py::ssize_t>(in.dims);
    if (in.demand) {
        load.emplace(std::vector<py::ssize_t>{rows, cols});
        out.load = load->mutable_data();
    }
    if (in.capacity) {
        factor.emplace(std::vector<py::ssize_t>{rows, cols});
        out.load_factor = factor->mutable_data();
    }
    if (in.elevation_m) {
        climb.emplace(static_cast<py::ssize_t>(R));
        out.climb_m = climb->mutable_data();
    }
    {
        py::gil_scoped_release release;
        metrics::compute_batch(in, out, nthreads);
    }
    result["n_stops"] = n_stops;
    result["packages"] = pk;
    result["total_distance"] = total;
    result["line_haul_distance"] = lh;
    result["intra_route_distance"] = intra;
    result["drive_time_s"] = drive;
    result["service_time_s"] = service;
    result["duration_s"] = duration;
    result["hull_area"] = area;
    result["stops_per_km2"] = density;
    result["stops_per_intra_km"] = per_km;
    result["mean_inter_stop_distance"] = mean;
    if (load) result["load"] = *load;
    if (factor) result["load_factor"] = *factor;
    if (climb) result["climb_m"] = *climb;
    return result;
}

}  // namespace

void bind_metrics(py::module_& m) {
    m.def("batch_route_metrics", &batch_route_metrics, py::arg("x"), py::arg("y"),
          py::arg("offsets"), py::arg("depot_x") = py::none(), py::arg("depot_y") = py::none(),
          py::arg("geographic") = false, py::arg("packages") = py::none(),
          py::arg("service_s") = py::none(), py::arg("elevation_m") = py::none(),
          py::arg("depot_elevation_m") = py::none(), py::arg("demand") = py::none(),
          py::arg("capacity") = py::none(), py::kw_only(), py::arg("speed_kmh"),
          py::arg("circuity") = 1.0, py::arg("unit_km") = 1.0, py::arg("hull") = true,
          py::arg("threads") = py::none(),
          "Per-route metrics of routes in CSR form (see lastmile_core.metrics.batch_metrics); "
          "returns a "
          "dict of numpy arrays. Releases the GIL; output is independent of the thread count.");
    m.def(
        "convex_hull_area",
        [](const darray& x, const darray& y) {
            const std::size_t n = len1d(x, "x");
            if (len1d(y, "y") != n) throw InputError("y: expected as many values as x");
            return metrics::convex_hull_area(x.data(), y.data(), n);
        },
        py::arg("x"), py::arg("y"), "Area of the convex hull of the points (monotone chain).");
}

}  // namespace lastmile::bindings
