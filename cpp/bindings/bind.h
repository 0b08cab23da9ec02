// Declarations of the per-area binding functions; module.cpp calls each once.
#pragma once
#include <pybind11/pybind11.h>

namespace lastmile::bindings {
void bind_errors(pybind11::module_& m);
void bind_core(pybind11::module_& m);
void bind_routing(pybind11::module_& m);
void bind_metrics(pybind11::module_& m);
void bind_energy(pybind11::module_& m);
}  // namespace lastmile::bindings
