// Maps the core's C++ exceptions onto the Python classes in lastmile_core.errors.
#include <pybind11/pybind11.h>

#include "bindings/bind.h"
#include "core/errors.h"

namespace py = pybind11;

namespace lastmile::bindings {
namespace {
void raise(const char* cls, const char* fallback_builtin, const char* what) {
    // Import lazily: the translator runs with the GIL held, after the package is initialised.
    PyObject* type = nullptr;
    try {
        type = py::module_::import("lastmile_core.errors").attr(cls).ptr();
    } catch (py::error_already_set&) {
        type = py::module_::import("builtins").attr(fallback_builtin).ptr();
    }
    PyErr_SetString(type, what);
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
            raise("InfeasibleError", "ValueError", e.what());
        }
    });
}
}  // namespace lastmile::bindings
