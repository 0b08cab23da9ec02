#include "search/energy_penalty.h"

#include <algorithm>

namespace lastmile {

EnergyPenalty::EnergyPenalty(const ProblemData& data, std::shared_ptr<const EvArcCache> cache)
    : ev_(data, std::move(cache)) {
    ev_.enable_recent_arcs();
}

void EnergyPenalty::rebuild(RouteState& R) const {
    R.eexcess = 0;
    if (!ev_.active()) return;
    const std::size_t m = R.nodes.size();
    R.evp.resize(static_cast<std::size_t>(ev_.num_classes()));
    for (int c = 0; c < ev_.num_classes(); ++c)
        R.evp[static_cast<std::size_t>(c)].build(ev_, c, R.nodes.data(), m);
    const int c = ev_.cls(R.type);
    if (c >= 0 && m > 2)
        R.eexcess = std::max(0.0, R.evp[static_cast<std::size_t>(c)].peak - ev_.limit(R.type));
}

double EnergyPenalty::screen(int type, const std::vector<RouteState>& routes, const Seg* s, int ns,
                             double weight) const {
    const int c = ev_.cls(type);
    if (c < 0) return 0.0;
    ESeg acc;
    int prev = -1;
    for (int k = 0; k < ns; ++k) {
        const auto& R = routes[s[k].r];
        const ESeg g = R.evp[static_cast<std::size_t>(c)].seg(s[k].i, s[k].j, s[k].rev);
        const int first = s[k].rev ? R.nodes[s[k].j] : R.nodes[s[k].i];
        if (prev >= 0) {
            double a, b;
            ev_.coef(c, static_cast<std::size_t>(prev), static_cast<std::size_t>(first), a, b);
            acc = ecat(acc, a, b, g);
        } else {
            acc = g;
        }
        prev = s[k].rev ? R.nodes[s[k].i] : R.nodes[s[k].j];
    }
    const double excess = eseg_energy(acc) - ev_.limit(type);
    return excess > 0 ? weight * excess : 0.0;
}

double EnergyPenalty::exact(int type, const std::vector<std::int32_t>& nodes, double weight) const {
    const int c = ev_.cls(type);
    if (c < 0 || nodes.size() <= 2) return 0.0;
    double total, peak;
    ev_.route_energy(c, nodes.data(), nodes.size(), total, peak);
    const double excess = peak - ev_.limit(type);
    return excess > 0 ? weight * excess : 0.0;
}

}  // namespace lastmile
