// The load the capacity applies to on one route, per dimension: the total delivery when no
// client picks up, else the peak of the load profile (core/load_segment.h).
#pragma once
#include <cstdint>
#include <vector>

#include "core/problem.h"
#include "core/solution.h"
#include "core/violation.h"

namespace lastmile {

/// Peak load per dimension of the visits (depots, node 0, may appear: they load nothing),
/// written to out[0..num_dims). Also the total delivery when the instance has no pickups.
inline void visits_peak(const ProblemData& data, const std::vector<std::int32_t>& visits,
                        Load* out) {
    for (std::size_t d = 0; d < data.num_dims(); ++d) {
        LoadSeg acc;
        for (auto c : visits)
            acc = LoadSeg::merge(acc, data.load_seg(static_cast<std::size_t>(c), d));
        out[d] = acc.peak;
    }
}

/// Position (index into visits) after whose visit the load of dimension d is highest (the
/// first such position; -1 for the depot departure, i.e. when the full delivery load is the
/// peak).
inline std::int64_t peak_position(const ProblemData& data, const std::vector<std::int32_t>& visits,
                                  std::size_t d) {
    Load load = 0;
    for (auto c : visits) load += data.demand(static_cast<std::size_t>(c), d);
    Load best = load;
    std::int64_t at = -1;
    for (std::size_t p = 0; p < visits.size(); ++p) {
        const auto c = static_cast<std::size_t>(visits[p]);
        load += data.pickup(c, d) - data.demand(c, d);
        if (load > best) best = load, at = static_cast<std::int64_t>(p);
    }
    return at;
}

/// Solution's pickup check of route r (instances with pickups): when the load after some pickup
/// exceeds the capacity while the delivery total fits (that case is a `capacity` violation),
/// appends a pickup_load violation naming the client where the load peaks.
void pickup_load_route(const ProblemData& data, std::size_t r, const Route& route,
                       std::vector<Violation>& out);

/// Prefix and suffix load segments of a client sequence (no depots), for O(dims) insertion
/// tests: fwd[p] covers the first p clients, bwd[p] the clients p.. (p = 0..size).
struct LoadProfile {
    std::vector<LoadSeg> fwd, bwd;  // stride num_dims

    void build(const ProblemData& data, const std::vector<std::int32_t>& v) {
        const std::size_t m = v.size(), dims = data.num_dims();
        fwd.assign((m + 1) * dims, LoadSeg{});
        bwd.assign((m + 1) * dims, LoadSeg{});
        for (std::size_t d = 0; d < dims; ++d) {
            for (std::size_t p = 0; p < m; ++p)
                fwd[(p + 1) * dims + d] = LoadSeg::merge(
                    fwd[p * dims + d], data.load_seg(static_cast<std::size_t>(v[p]), d));
            for (std::size_t p = m; p-- > 0;)
                bwd[p * dims + d] = LoadSeg::merge(data.load_seg(static_cast<std::size_t>(v[p]), d),
                                                   bwd[(p + 1) * dims + d]);
        }
    }
    /// Whether inserting client c before position pos keeps the load within capacity in every
    /// dimension.
    bool insert_fits(const ProblemData& data, std::size_t pos, std::size_t c,
                     const std::vector<Load>& capacity) const {
        const std::size_t dims = data.num_dims();
        for (std::size_t d = 0; d < dims; ++d) {
            const LoadSeg s = LoadSeg::merge(
                LoadSeg::merge(fwd[pos * dims + d], data.load_seg(c, d)), bwd[pos * dims + d]);
            if (s.peak > capacity[d]) return false;
        }
        return true;
    }
};

}  // namespace lastmile
