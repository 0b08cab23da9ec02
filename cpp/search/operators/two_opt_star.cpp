#include "search/operators/two_opt_star.h"

namespace lastmile {

bool TwoOptStar::node_move(SearchState& s, const NodePair& p) {
    if (p.ru == p.rv) return false;
    const int ru = p.ru, rv = p.rv, pu = p.pu, pv = p.pv, mu = p.mu, mv = p.mv, u = p.u, v = p.v;
    const int x = p.NU[pu + 1], y = p.NV[pv + 1];
    // Variant A never empties a route. Several depots: the bound holds for routes sharing both
    // depots only (a tail takes the depots of the route it joins).
    const bool filt = p.same_w && (!s.data().multi_depot() ||
                                   (p.NU[0] == p.NV[0] && p.NU[mu + 1] == p.NV[mv + 1]));
    if (!filt || p.w(u, y) + p.w(v, x) - p.w(u, x) - p.w(v, y) < p.slack) {
        const Seg a[2] = {{ru, 0, pu, false}, {rv, pv + 1, mv + 1, false}};
        const Seg b[2] = {{rv, 0, pv, false}, {ru, pu + 1, mu + 1, false}};
        if (s.try_move(ru, a, 2, rv, b, 2)) return true;
    }
    // Variant B reverses both heads/tails: the arc bound holds only for symmetric data.
    if (!filt || !s.symmetric() || (pu == mu && pv == mv) ||
        p.w(u, v) + p.w(x, y) - p.w(u, x) - p.w(v, y) < p.slack) {
        const Seg a[2] = {{ru, 0, pu, false}, {rv, 0, pv, true}};
        const Seg b[2] = {{ru, pu + 1, mu + 1, true}, {rv, pv + 1, mv + 1, false}};
        if (s.try_move(ru, a, 2, rv, b, 2)) return true;
    }
    return false;
}

bool TwoOptStar::depot_move(SearchState& s, const NodePair& p) {
    if (p.ru == p.rv) return false;
    const int ru = p.ru, rv = p.rv, pu = p.pu, mu = p.mu, mv = p.mv;
    // u is followed by rv's first client and rv's depot by u's successor: the arc bound holds
    // when rv keeps a client (pu < mu) and, with several depots, both routes share the depots.
    if (p.same_w && pu < mu &&
        (!s.data().multi_depot() || (p.NU[0] == p.NV[0] && p.NU[mu + 1] == p.NV[mv + 1]))) {
        const int u = p.u, x = p.NU[pu + 1], d = p.NV[0], f = p.NV[1];
        if (p.w(u, f) + p.w(d, x) - p.w(u, x) - p.w(d, f) >= p.slack) return false;
    }
    const Seg a[2] = {{ru, 0, pu, false}, {rv, 1, mv + 1, false}};
    const Seg b[2] = {{rv, 0, 0, false}, {ru, pu + 1, mu + 1, false}};
    return s.try_move(ru, a, 2, rv, b, 2);
}

}  // namespace lastmile
