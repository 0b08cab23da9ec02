#include "search/arc_table.h"

#include "search/penalties.h"

namespace lastmile {

ArcTable::ArcTable(const ProblemData& data) : n_(data.num_nodes()) {
    const std::size_t nt = data.num_vehicle_types();
    std::vector<std::size_t> mat_of(nt);
    std::vector<std::size_t> rep;  // a representative type per distinct weighting
    for (std::size_t t = 0; t < nt; ++t) {
        const auto& vt = data.vehicle_type(t);
        std::size_t k = 0;
        while (k < rep.size() &&
               !(data.vehicle_type(rep[k]).cost_per_distance == vt.cost_per_distance &&
                 data.vehicle_type(rep[k]).cost_per_duration == vt.cost_per_duration))
            ++k;
        if (k == rep.size()) rep.push_back(t);
        mat_of[t] = k;
    }
    if (n_ == 0 || rep.size() * n_ * n_ > kMaxEntries) return;
    mats_.resize(rep.size());
    for (std::size_t k = 0; k < rep.size(); ++k) {
        const auto& vt = data.vehicle_type(rep[k]);
        auto& m = mats_[k];
        m.resize(n_ * n_);
        for (std::size_t i = 0; i < n_; ++i)
            for (std::size_t j = 0; j < n_; ++j)
                m[i * n_ + j] = arc_cost(data, vt, static_cast<int>(i), static_cast<int>(j));
    }
    of_type_.resize(nt);
    for (std::size_t t = 0; t < nt; ++t) of_type_[t] = mats_[mat_of[t]].data();
}

}  // namespace lastmile
