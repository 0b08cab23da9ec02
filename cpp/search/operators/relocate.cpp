#include "search/operators/relocate.h"

namespace lastmile {

Relocate::Relocate(int length)
    : Operator(length == 1   ? kRelocate1
               : length == 2 ? kRelocate2
                             : kRelocate3),
      len_(length) {}

double Relocate::removal(const SearchState& s, const NodePair& p) {
    const std::int64_t version = s.route(p.ru).version;
    if (p.u != rm_u_ || version != rm_version_) {
        const int pu = p.pu, L = len_;
        const int pp = p.NU[pu - 1], nx = p.NU[pu + L], f = p.NU[pu], l = p.NU[pu + L - 1];
        rm_ = p.w(pp, nx) - p.w(pp, f) - p.w(l, nx);
        rm_u_ = p.u, rm_version_ = version;
    }
    return rm_;
}

bool Relocate::after(SearchState& s, const NodePair& p, int q, bool rev) {
    const int L = len_, ru = p.ru, rv = p.rv, pu = p.pu, mu = p.mu, mv = p.mv;
    if (pu + L - 1 > mu) return false;
    if (ru == rv && q >= pu - 1 && q <= pu + L - 1) return false;
    if (p.same_w && (ru == rv || mu > L) && (!rev || s.symmetric())) {
        // The removal part depends on u's route only: cached per (u, route version), so the
        // neighbours of u after the first cost three arc look-ups instead of six.
        const int f = p.NU[pu], l = p.NU[pu + L - 1];
        const int a = p.NV[q], b = p.NV[q + 1];
        const double d =
            removal(s, p) + (rev ? p.w(a, l) + p.w(f, b) : p.w(a, f) + p.w(l, b)) - p.w(a, b);
        if (d >= p.slack) return false;
    }
    if (ru != rv) {
        const Seg a[2] = {{ru, 0, pu - 1, false}, {ru, pu + L, mu + 1, false}};
        const Seg b[3] = {{rv, 0, q, false}, {ru, pu, pu + L - 1, rev}, {rv, q + 1, mv + 1, false}};
        return s.try_move(ru, a, 2, rv, b, 3);
    }
    if (q >= pu - 1 && q <= pu + L - 1) return false;
    if (q < pu - 1) {
        const Seg a[4] = {{ru, 0, q, false},
                          {ru, pu, pu + L - 1, rev},
                          {ru, q + 1, pu - 1, false},
                          {ru, pu + L, mu + 1, false}};
        return s.try_move(ru, a, 4, -1, nullptr, 0);
    }
    const Seg a[4] = {{ru, 0, pu - 1, false},
                      {ru, pu + L, q, false},
                      {ru, pu, pu + L - 1, rev},
                      {ru, q + 1, mu + 1, false}};
    return s.try_move(ru, a, 4, -1, nullptr, 0);
}

bool Relocate::node_move(SearchState& s, const NodePair& p) {
    if (len_ == 1) return after(s, p, p.pv, false) || after(s, p, p.pv - 1, false);
    return after(s, p, p.pv, false) || after(s, p, p.pv, true);
}

bool Relocate::depot_move(SearchState& s, const NodePair& p) {
    // A single client after the depot is covered by node_move (before the first client).
    if (len_ == 1) return false;
    // After the depot = after position 0 of rv (p.NV is rv's nodes, p.pv = 0): the same move
    // and arc bound as after a client.
    return after(s, p, 0, false) || after(s, p, 0, true);
}

bool Relocate::empty_route_move(SearchState& s, int u, int e) {
    const int ru = s.route_of(u), pu = s.pos_of(u), mu = s.route(ru).size(), L = len_;
    if (L > 2 || pu + L - 1 > mu) return false;
    const Seg a[2] = {{ru, 0, pu - 1, false}, {ru, pu + L, mu + 1, false}};
    const Seg b[3] = {{e, 0, 0, false}, {ru, pu, pu + L - 1, false}, {e, 1, 1, false}};
    return s.try_move(ru, a, 2, e, b, 3);
}

}  // namespace lastmile
