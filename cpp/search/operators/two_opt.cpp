#include "search/operators/two_opt.h"

#include <algorithm>

namespace lastmile {

bool TwoOpt::node_move(SearchState& s, const NodePair& p) {
    if (p.ru != p.rv) return false;
    const int ru = p.ru, mu = p.mu;
    const int i = std::min(p.pu, p.pv), j = std::max(p.pu, p.pv);
    if (j <= i + 1) return false;
    // The bound prices only the two exchanged arcs: valid when the reversal costs nothing.
    if (s.symmetric()) {
        const double d = p.w(p.NU[i], p.NU[j]) + p.w(p.NU[i + 1], p.NU[j + 1]) -
                         p.w(p.NU[i], p.NU[i + 1]) - p.w(p.NU[j], p.NU[j + 1]);
        if (d >= p.slack) return false;
    }
    const Seg a[3] = {{ru, 0, i, false}, {ru, i + 1, j, true}, {ru, j + 1, mu + 1, false}};
    return s.try_move(ru, a, 3, -1, nullptr, 0);
}

bool TwoOpt::depot_move(SearchState& s, const NodePair& p) {
    if (p.ru != p.rv || p.pu <= 1) return false;
    const int ru = p.ru, pu = p.pu, mu = p.mu;
    if (s.symmetric()) {  // reversing positions 1..pu: the same bound as node_move's
        const double d = p.w(p.NU[0], p.NU[pu]) + p.w(p.NU[1], p.NU[pu + 1]) -
                         p.w(p.NU[0], p.NU[1]) - p.w(p.NU[pu], p.NU[pu + 1]);
        if (d >= p.slack) return false;
    }
    const Seg a[3] = {{ru, 0, 0, false}, {ru, 1, pu, true}, {ru, pu + 1, mu + 1, false}};
    return s.try_move(ru, a, 3, -1, nullptr, 0);
}

}  // namespace lastmile
