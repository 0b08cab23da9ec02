// Bindings for the routing area.
#include "bindings/bind.h"

namespace py = pybind11;

namespace lastmile::bindings {
void bind_routing(py::module_& m) { (void)m; }
}  // namespace lastmile::bindings
