// Bindings for EV routing internals (test access to the segment energy algebra used by the
// local search; the user-facing API is the VehicleType/VehicleSpec energy model).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>
#include <tuple>
#include <vector>

#include "bindings/bind.h"
#include "core/errors.h"
#include "energy/ev_routing.h"

namespace py = pybind11;

namespace lastmile::bindings {

void bind_ev(py::module_& m) {
    m.def(
        "ev_concat_energy",
        [](const ProblemData& data, int vehicle_type,
           const std::vector<std::vector<std::int32_t>>& routes,
           const std::vector<std::tuple<int, int, int, bool>>& pieces) {
            if (vehicle_type < 0 ||
                static_cast<std::size_t>(vehicle_type) >= data.num_vehicle_types())
                throw IndexError("vehicle_type: " + std::to_string(vehicle_type) + " out of range");
            const EvRouting ev(data);
            const int c = ev.cls(vehicle_type);
            if (c < 0) throw InputError("vehicle_type: has no energy model / battery");
            std::vector<std::vector<std::int32_t>> nodes;
            std::vector<EvPrefix> pre(routes.size());
            for (std::size_t r = 0; r < routes.size(); ++r) {
                std::vector<std::int32_t> v{0};
                for (auto x : routes[r]) {
                    if (x < 1 || static_cast<std::size_t>(x) >= data.num_nodes())
                        throw IndexError("routes: client " + std::to_string(x) + " out of range");
                    v.push_back(x);
                }
                v.push_back(0);
                pre[r].build(ev, c, v.data(), v.size());
                nodes.push_back(std::move(v));
            }
            ESeg acc;
            int prev = -1;
            std::vector<std::int32_t> seq;
            for (const auto& [r, i, j, rev] : pieces) {
                if (r < 0 || static_cast<std::size_t>(r) >= nodes.size())
                    throw IndexError("pieces: route " + std::to_string(r) + " out of range");
                const auto& nd = nodes[static_cast<std::size_t>(r)];
                if (i < 0 || j < i || static_cast<std::size_t>(j) >= nd.size())
                    throw IndexError("pieces: positions " + std::to_string(i) + ".." +
                                     std::to_string(j) + " out of range");
                const ESeg g = pre[static_cast<std::size_t>(r)].seg(i, j, rev);
                const int first = rev ? nd[j] : nd[i];
                if (prev >= 0) {
                    double a, b;
                    ev.coef(c, static_cast<std::size_t>(prev), static_cast<std::size_t>(first), a,
                            b);
                    acc = ecat(acc, a, b, g);
                } else {
                    acc = g;
                }
                prev = rev ? nd[i] : nd[j];
                if (rev)
                    for (int p = j; p >= i; --p) seq.push_back(nd[p]);
                else
                    for (int p = i; p <= j; ++p) seq.push_back(nd[p]);
            }
            return std::make_tuple(eseg_energy(acc), seq);
        },
        py::arg("data"), py::arg("vehicle_type"), py::arg("routes"), py::arg("pieces"),
        "Energy (kWh) of the route made of pieces (route, i, j, reversed) of the given routes\n"
        "(positions in depot, visits..., depot) by O(1) segment concatenation, as the local\n"
        "search computes it; returns (energy_kwh, node sequence).");
}

}  // namespace lastmile::bindings
