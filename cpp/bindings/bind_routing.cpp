// Bindings for the routing area: constructions, local search (operator-level access for tests),
// and the metaheuristic solve().
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <exception>
#include <map>
#include <memory>
#include <optional>

#include "bindings/bind.h"
#include "construct/construct.h"
#include "core/errors.h"
#include "energy/battery_check.h"
#include "energy/ev_routing.h"
#include "meta/solver.h"
#include "search/local_search.h"
#include "search/neighbours.h"

namespace py = pybind11;

namespace lastmile::bindings {
namespace {

/// Local search over given routes with fixed penalty weights (test and tuning access).
class PyLocalSearch {
  public:
    PyLocalSearch(const ProblemData& data, const std::vector<Route>& routes, int granular,
                  std::uint64_t seed, std::optional<std::vector<double>> load_penalty,
                  double duration_penalty, double distance_penalty)
        : data_(data), nb_(data, granular), ls_(data, nb_, build_ev_arc_cache(data)), rng_(seed) {
        if (granular < 1)
            throw InputError("granular: must be >= 1, got " + std::to_string(granular));
        const Solution check = evaluate_solution(data, routes);  // validates indices (IndexError)
        (void)check;
        Penalties p;
        p.load = load_penalty ? *load_penalty : std::vector<double>(data.num_dims(), 1.0);
        if (p.load.size() != data.num_dims())
            throw InputError("load_penalty: expected " + std::to_string(data.num_dims()) +
                             " values, got " + std::to_string(p.load.size()));
        for (double w : p.load)
            if (!(w >= 0)) throw InputError("load_penalty: weights must be >= 0");
        if (!(duration_penalty >= 0)) throw InputError("duration_penalty: must be >= 0");
        if (!(distance_penalty >= 0)) throw InputError("distance_penalty: must be >= 0");
        p.duration = duration_penalty;
        p.distance = distance_penalty;
        ls_.set_penalties(p);
        ls_.load(routes);
    }
    static unsigned mask(const std::optional<std::vector<std::string>>& ops) {
        if (!ops) return kAllLsOps;
        unsigned m = 0;
        for (const auto& name : *ops) {
            const int op = ls_op_from_name(name);
            if (op < 0) throw InputError("operators: unknown operator '" + name + "'");
            m |= 1u << op;
        }
        return m;
    }
    double improve_once(const std::string& name) {
        const int op = ls_op_from_name(name);
        if (op < 0) throw InputError("operator: unknown operator '" + name + "'");
        return ls_.improve_once(op, rng_);
    }
    double run(const std::optional<std::vector<std::string>>& ops) {
        const double before = ls_.penalised_cost();
        ls_.set_operators(mask(ops));
        ls_.run(rng_);
        ls_.set_operators(kAllLsOps);
        return ls_.penalised_cost() - before;
    }
    std::vector<Route> routes() const { return ls_.routes(); }
    double penalised_cost() const { return ls_.penalised_cost(); }
    double recompute() const { return ls_.recompute_penalised_cost(); }

  private:
    const ProblemData& data_;
    Neighbours nb_;
    LocalSearch ls_;
    Rng rng_;
};

Solution as_solution(const ProblemData& data, std::vector<Route> routes) {
    return evaluate_solution(data, std::move(routes));
}

}  // namespace

void bind_routing(py::module_& m) {
    m.def(
        "savings",
        [](const ProblemData& data, int k) {
            if (k < 1) throw InputError("k: must be >= 1, got " + std::to_string(k));
            py::gil_scoped_release release;
            return as_solution(data, savings_routes(data, k));
        },
        py::arg("data"), py::arg("k") = 40,
        "Clarke-Wright savings over the k nearest neighbours of each client.");
    m.def(
        "sweep",
        [](const ProblemData& data) {
            py::gil_scoped_release release;
            return as_solution(data, sweep_routes(data));
        },
        py::arg("data"), "Sweep construction around the depot.");
    m.def(
        "nearest_neighbour",
        [](const ProblemData& data, int k) {
            if (k < 1) throw InputError("k: must be >= 1, got " + std::to_string(k));
            py::gil_scoped_release release;
            return as_solution(data, nearest_neighbour_routes(data, k));
        },
        py::arg("data"), py::arg("k") = 40, "Nearest-neighbour construction.");

    py::class_<PyLocalSearch>(m, "LocalSearch",
                              "Granular local search over given routes with fixed penalty weights.")
        .def(py::init<const ProblemData&, const std::vector<Route>&, int, std::uint64_t,
                      std::optional<std::vector<double>>, double, double>(),
             py::arg("data"), py::arg("routes"), py::arg("granular") = 20, py::arg("seed") = 1,
             py::arg("load_penalty") = py::none(), py::arg("duration_penalty") = 1.0,
             py::arg("distance_penalty") = 1.0, py::keep_alive<1, 2>())
        .def("improve_once", &PyLocalSearch::improve_once, py::arg("operator"),
             "Applies the first improving move of one operator; returns its predicted delta (0.0 "
             "if none).")
        .def("run", &PyLocalSearch::run, py::arg("operators") = py::none(),
             py::call_guard<py::gil_scoped_release>(),
             "Local search to a local optimum; returns the cost change.")
        .def("routes", &PyLocalSearch::routes)
        .def("penalised_cost", &PyLocalSearch::penalised_cost)
        .def("recompute_penalised_cost", &PyLocalSearch::recompute)
        .def_property_readonly_static("operators", [](const py::object&) {
            std::vector<std::string> v;
            for (int i = 0; i < kNumLsOps; ++i) v.emplace_back(ls_op_name(i));
            return v;
        });

    py::class_<SolveResult>(m, "SolveResult",
                            "Raw result of _core.solve (wrapped by lastmile_core.Result).")
        .def_property_readonly("solution", [](const SolveResult& r) { return *r.solution; })
        .def_readonly("cost", &SolveResult::cost)
        .def_readonly("runtime", &SolveResult::runtime)
        .def_readonly("iterations", &SolveResult::iterations)
        .def_readonly("history", &SolveResult::history)
        .def_readonly("interrupted", &SolveResult::interrupted)
        .def_readonly("algorithm", &SolveResult::algorithm);

    m.def("solver_param_names", &solver_param_names, "Names accepted in solve(params=...).");

    m.def(
        "solve",
        [](const ProblemData& data, double time_limit, std::uint64_t seed,
           std::optional<std::int64_t> max_iterations, int threads,
           std::optional<py::function> callback, std::optional<std::vector<Route>> initial_routes,
           const std::map<std::string, double>& params) {
            SolveOptions opt;
            opt.time_limit = time_limit;
            opt.seed = seed;
            opt.max_iterations = max_iterations;
            opt.threads = threads;
            for (const auto& [k, v] : params) set_param(opt.params, k, v);
            if (initial_routes) {
                Solution check(data, *initial_routes);  // IndexError for bad indices
                std::vector<int> seen(data.num_nodes(), 0);
                for (const auto& r : *initial_routes)
                    for (auto c : r.visits)
                        if (seen[c]++)
                            throw InputError("initial_solution: client " + std::to_string(c) +
                                             " is visited twice");
                opt.initial = *initial_routes;
            }
            bool interrupted = false;
            std::exception_ptr pyerr;
            opt.hook = [&](double elapsed, Cost best) -> bool {
                py::gil_scoped_acquire acquire;
                if (PyErr_CheckSignals() != 0) {
                    if (PyErr_ExceptionMatches(PyExc_KeyboardInterrupt)) {
                        PyErr_Clear();
                        interrupted = true;
                    } else {
                        pyerr = std::make_exception_ptr(py::error_already_set());
                    }
                    return true;
                }
                if (!callback) return false;
                try {
                    py::object r = (*callback)(
                        elapsed, best >= 1e299 ? py::float_(INFINITY) : py::float_(best));
                    return r.ptr() != Py_None && py::bool_(r);
                } catch (py::error_already_set&) {
                    pyerr = std::current_exception();
                    return true;
                }
            };
            std::optional<SolveResult> res;
            std::exception_ptr err;
            {
                py::gil_scoped_release release;
                try {
                    res.emplace(solve(data, opt));
                } catch (...) {
                    err = std::current_exception();
                }
            }
            if (pyerr) std::rethrow_exception(pyerr);
            if (err) {
                if (interrupted) {
                    try {
                        std::rethrow_exception(err);
                    } catch (const InfeasibleError&) {
                        PyErr_SetNone(PyExc_KeyboardInterrupt);
                        throw py::error_already_set();
                    }
                }
                std::rethrow_exception(err);
            }
            res->interrupted = interrupted;
            return *res;
        },
        py::arg("data"), py::arg("time_limit") = 10.0, py::arg("seed") = 1,
        py::arg("max_iterations") = py::none(), py::arg("threads") = 1,
        py::arg("callback") = py::none(), py::arg("initial_routes") = py::none(),
        py::arg("params") = std::map<std::string, double>{},
        "Runs the metaheuristic (params['algorithm']: 0 auto = SISR handing over to HGS when its "
        "start needs too many routes, 1 HGS, 2 SISR); returns a SolveResult.");
}
}  // namespace lastmile::bindings
