#include "search/operators/swap.h"

#include <utility>

namespace lastmile {

Swap::Swap(int len_u, int len_v)
    : Operator(len_u == 1   ? kSwap11
               : len_v == 1 ? kSwap21
                            : kSwap22),
      lu_(len_u),
      lv_(len_v) {}

bool Swap::node_move(SearchState& s, const NodePair& p) {
    const int Lu = lu_, Lv = lv_, ru = p.ru, rv = p.rv, pu = p.pu, pv = p.pv, mu = p.mu, mv = p.mv;
    if (pu + Lu - 1 > mu || pv + Lv - 1 > mv) return false;
    if (p.same_w && (ru != rv || pu + Lu < pv || pv + Lv < pu)) {
        const int pa = p.NU[pu - 1], na = p.NU[pu + Lu], fa = p.NU[pu], la = p.NU[pu + Lu - 1];
        const int pb = p.NV[pv - 1], nb = p.NV[pv + Lv], fb = p.NV[pv], lb = p.NV[pv + Lv - 1];
        const double d = p.w(pa, fb) + p.w(lb, na) - p.w(pa, fa) - p.w(la, na) + p.w(pb, fa) +
                         p.w(la, nb) - p.w(pb, fb) - p.w(lb, nb);
        if (d >= p.slack) return false;
    }
    if (ru != rv) {
        const Seg a[3] = {
            {ru, 0, pu - 1, false}, {rv, pv, pv + Lv - 1, false}, {ru, pu + Lu, mu + 1, false}};
        const Seg b[3] = {
            {rv, 0, pv - 1, false}, {ru, pu, pu + Lu - 1, false}, {rv, pv + Lv, mv + 1, false}};
        return s.try_move(ru, a, 3, rv, b, 3);
    }
    if (pu <= pv + Lv - 1 && pv <= pu + Lu - 1) return false;  // overlapping
    int p1 = pu, l1 = Lu, p2 = pv, l2 = Lv;
    if (p2 < p1) std::swap(p1, p2), std::swap(l1, l2);
    Seg a[5];
    int na = 0;
    a[na++] = {ru, 0, p1 - 1, false};
    a[na++] = {ru, p2, p2 + l2 - 1, false};
    if (p1 + l1 <= p2 - 1) a[na++] = {ru, p1 + l1, p2 - 1, false};
    a[na++] = {ru, p1, p1 + l1 - 1, false};
    a[na++] = {ru, p2 + l2, mu + 1, false};
    return s.try_move(ru, a, na, -1, nullptr, 0);
}

}  // namespace lastmile
