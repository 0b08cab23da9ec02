// The extension module lastmile_core._core: one call per area, in dependency order.
#include "bindings/bind.h"

PYBIND11_MODULE(_core, m) {
    m.doc() = "lastmile_core C++ core (see the lastmile_core package for the typed Python API)";
    lastmile::bindings::bind_errors(m);
    lastmile::bindings::bind_core(m);
    lastmile::bindings::bind_routing(m);
    lastmile::bindings::bind_metrics(m);
    lastmile::bindings::bind_energy(m);
}
