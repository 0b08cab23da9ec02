// Bindings for the energy area.
#include "bindings/bind.h"

namespace py = pybind11;

namespace lastmile::bindings {
void bind_energy(py::module_& m) { (void)m; }
}  // namespace lastmile::bindings
