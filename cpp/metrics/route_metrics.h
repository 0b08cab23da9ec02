// Metrics of one route of a batch (see batch_metrics.h for the units): distances, hull area,
// climb, loads and times, with the per-stop validity flag.
#pragma once
#include <cstddef>
#include <vector>

#include "metrics/batch_metrics.h"
#include "metrics/hull.h"

namespace lastmile::metrics::detail {

/// Per-thread work buffers, grown on demand.
struct Scratch {
    HullScratch hull;
    std::vector<double> px, py;
    std::vector<double> cosv;
    std::vector<double> hav;
};

// Computes route r. Returns false when a per-stop value is invalid (the caller then reports the
// precise error from a serial re-scan of that route).
bool compute_route(const BatchInput& in, const BatchOutput& out, std::size_t r, Scratch& s);

}  // namespace lastmile::metrics::detail
