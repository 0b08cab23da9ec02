// Bindings for the metrics area.
#include "bindings/bind.h"

namespace py = pybind11;

namespace lastmile::bindings {
void bind_metrics(py::module_& m) { (void)m; }
}  // namespace lastmile::bindings
