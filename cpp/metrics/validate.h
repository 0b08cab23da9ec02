// Validation of a batch metrics input: the up-front checks of offsets, depots, speeds,
// capacities and scalar options, and the precise error for a route whose per-stop values failed
// the checks made during the pass.
#pragma once
#include <cstddef>

#include "metrics/batch_metrics.h"

namespace lastmile::metrics::detail {

/// Throws lastmile::InputError naming the argument for the first invalid whole-batch value.
void validate_before(const BatchInput& in);

// Serial re-scan of a route flagged invalid: throws the InputError for its first bad value.
[[noreturn]] void report_route(const BatchInput& in, std::size_t r);

}  // namespace lastmile::metrics::detail
