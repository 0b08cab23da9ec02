// Maps the core's C++ exceptions onto the Python classes in lastmile_core.errors. An
// InfeasibleError keeps its structured violations as the `details` attribute (a tuple of
// _core.Violation) of the Python exception.
#include <pybind11/pybind11.h>

#include "bindings/bind.h"
#include "core/errors.h"

namespace py = pybind11;

namespace lastmile::bindings {
namespace {
py::object error_class(const char* cls, const char* fallback_builtin) {
    // Import lazily: the translator runs with the GIL held, after the package is initialised.
    try {
        return py::module_::import("lastmile_core.errors").attr(cls);
    } catch (py::error_already_set&) {
        return py::module_::import("builtins").attr(fallback_builtin);
    }
}

void raise(const char* cls, const char* fallback_builtin, const char* what) {
    PyErr_SetString(error_class(cls, fallback_builtin).ptr(), what);
}

void raise_infeasible(const InfeasibleError& e) {
    const py::object type = error_class("InfeasibleError", "ValueError");
    py::tuple details(e.details.size());
    for (std::size_t i = 0; i < e.details.size(); ++i) details[i] = py::cast(e.details[i]);
    py::object exc = type(e.what());
    exc.attr("details") = details;
    PyErr_SetObject(type.ptr(), exc.ptr());
}
}  // namespace

void bind_errors(py::module_& m) {
    (void)m;
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const lastmile::InputError& e) {
            raise("InputError", "ValueError", e.what());
        } catch (const lastmile::IndexError& e) {
            raise("IndexOutOfRangeError", "IndexError", e.what());
        } catch (const lastmile::InfeasibleError& e) {
            raise_infeasible(e);
        }
    });
}
}  // namespace lastmile::bindings
