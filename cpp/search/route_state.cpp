#include "search/route_state.h"

#include <algorithm>

#include "core/route_break.h"
#include "core/route_load.h"

namespace lastmile {

void RouteState::build_prefix(const ProblemData& data, bool need_dur) {
    const std::size_t m = nodes.size(), dims = data.num_dims();
    cd.resize(m), cdr.resize(m), ct.resize(m), ctr.resize(m), cl.resize(m * dims);
    cd[0] = cdr[0] = ct[0] = ctr[0] = 0;
    for (std::size_t d = 0; d < dims; ++d) cl[d] = 0;
    for (std::size_t p = 1; p < m; ++p) {
        const std::size_t a = static_cast<std::size_t>(nodes[p - 1]),
                          b = static_cast<std::size_t>(nodes[p]);
        cd[p] = cd[p - 1] + data.dist(a, b);
        cdr[p] = cdr[p - 1] + data.dist(b, a);
        if (need_dur) {
            const Duration sb = service_of(data, static_cast<int>(b));
            ct[p] = ct[p - 1] + data.duration(a, b) + sb;
            ctr[p] = ctr[p - 1] + data.duration(b, a) + sb;
        } else {
            ct[p] = ctr[p] = 0;
        }
        const Load* q = data.demand_row(b);
        for (std::size_t d = 0; d < dims; ++d) cl[p * dims + d] = cl[(p - 1) * dims + d] + q[d];
    }
    dist = cd[m - 1];
    dur = ct[m - 1];
}

void RouteState::build_time(const ProblemData& data) {
    const int m = size();
    tf.resize(static_cast<std::size_t>(m) + 2);
    tb.resize(static_cast<std::size_t>(m) + 2);
    if (m == 0) {
        dur = 0, warp = 0;
        return;
    }
    tf[1] = data.visit_seg(static_cast<std::size_t>(nodes[1]));
    for (int p = 2; p <= m; ++p)
        tf[p] = TimeSeg::merge(tf[p - 1], data.duration(nodes[p - 1], nodes[p]),
                               data.visit_seg(static_cast<std::size_t>(nodes[p])));
    tb[m] = data.visit_seg(static_cast<std::size_t>(nodes[m]));
    for (int p = m - 1; p >= 1; --p)
        tb[p] = TimeSeg::merge(data.visit_seg(static_cast<std::size_t>(nodes[p])),
                               data.duration(nodes[p], nodes[p + 1]), tb[p + 1]);
    const auto k = static_cast<std::size_t>(type);
    const TimeSeg all = TimeSeg::merge(
        TimeSeg::merge(data.start_seg(k), data.duration(data.start_node(k), nodes[1]), tf[m]),
        data.duration(nodes[m], data.end_node(k)), data.end_seg(k));
    dur = all.dur;
    warp = all.total_warp();
    if (data.vehicle_type(k).has_break()) {  // driver break: O(route) placement
        const TimeSeg b =
            route_break_plan(data, k, nodes.data() + 1, static_cast<std::size_t>(m)).seg;
        dur = b.dur;
        warp = b.total_warp();
    }
}

void RouteState::build_load(const ProblemData& data) {
    const std::size_t m = nodes.size(), dims = data.num_dims();
    lf.resize(m * dims), lb.resize(m * dims), peak.resize(dims);
    for (std::size_t d = 0; d < dims; ++d) {
        lf[d] = LoadSeg{};
        for (std::size_t p = 1; p < m; ++p)
            lf[p * dims + d] = LoadSeg::merge(lf[(p - 1) * dims + d],
                                              data.load_seg(static_cast<std::size_t>(nodes[p]), d));
        lb[(m - 1) * dims + d] = LoadSeg{};
        for (std::size_t p = m - 1; p-- > 0;)
            lb[p * dims + d] = LoadSeg::merge(data.load_seg(static_cast<std::size_t>(nodes[p]), d),
                                              lb[(p + 1) * dims + d]);
        peak[d] = lf[(m - 1) * dims + d].peak;
    }
}

void RouteState::build_sector(const std::vector<int>& angle) {
    const std::size_t m = nodes.size();
    sec_start = sec_end = angle[nodes[1]];
    for (std::size_t p = 2; p + 1 < m; ++p) {
        const int a = angle[nodes[p]];
        if (circle_mod(a - sec_start) <= circle_mod(sec_end - sec_start)) continue;
        if (circle_mod(a - sec_end) <= circle_mod(sec_start - a))
            sec_end = a;
        else
            sec_start = a;
    }
}

bool sectors_overlap(const RouteState& a, const RouteState& b) {
    return circle_mod(b.sec_start - a.sec_start) <= circle_mod(a.sec_end - a.sec_start) ||
           circle_mod(a.sec_start - b.sec_start) <= circle_mod(b.sec_end - b.sec_start);
}

namespace {
/// Node at position p (0-based) of piece s, from its first node.
int piece_node(const std::vector<RouteState>& routes, const Seg& s, int p) {
    return routes[s.r].nodes[s.rev ? s.j - p : s.i + p];
}
/// Node at position p of the concatenation (p < 0: from the end, -1 = last).
int concat_node(const std::vector<RouteState>& routes, const Seg* s, int ns, int p) {
    if (p >= 0) {
        for (int k = 0; k < ns; ++k) {
            const int len = s[k].j - s[k].i + 1;
            if (p < len) return piece_node(routes, s[k], p);
            p -= len;
        }
    } else {
        for (int k = ns; k-- > 0;) {
            const int len = s[k].j - s[k].i + 1;
            if (-p <= len) return piece_node(routes, s[k], len + p);
            p += len;
        }
    }
    return 0;
}
}  // namespace

void depot_legs_fix(const ProblemData& data, const std::vector<RouteState>& routes, int type,
                    const Seg* s, int ns, bool need_dur, SegTotals& e) {
    const auto k = static_cast<std::size_t>(type);
    const int f0 = concat_node(routes, s, ns, 0), l0 = concat_node(routes, s, ns, -1);
    const auto a = static_cast<int>(data.start_node(k)), b = static_cast<int>(data.end_node(k));
    if (f0 == a && l0 == b) return;
    if (e.clients == 0) return;  // an empty route: the caller ignores its totals
    if (f0 != a) {
        const int f1 = concat_node(routes, s, ns, 1);
        e.dist += data.dist(a, f1) - data.dist(f0, f1);
        if (need_dur) e.dur += data.duration(a, f1) - data.duration(f0, f1);
    }
    if (l0 != b) {
        const int l1 = concat_node(routes, s, ns, -2);
        e.dist += data.dist(l1, b) - data.dist(l1, l0);
        if (need_dur) e.dur += data.duration(l1, b) - data.duration(l1, l0);
    }
}

SegTotals concat_totals(const ProblemData& data, const std::vector<RouteState>& routes,
                        const Seg* s, int ns, bool need_dur, int type) {
    SegTotals e;
    int prev = -1;
    for (int k = 0; k < ns; ++k) {
        const auto& R = routes[s[k].r];
        const int i = s[k].i, j = s[k].j;
        const int first = s[k].rev ? R.nodes[j] : R.nodes[i];
        const int last = s[k].rev ? R.nodes[i] : R.nodes[j];
        e.clients += (j - i + 1) - (i == 0) - (j == R.size() + 1);
        if (need_dur) {
            e.dur +=
                (s[k].rev ? R.ctr[j] - R.ctr[i] : R.ct[j] - R.ct[i]) + service_of(data, R.nodes[i]);
            if (prev >= 0) e.dur += data.duration(prev, first);
        }
        e.dist += s[k].rev ? R.cdr[j] - R.cdr[i] : R.cd[j] - R.cd[i];
        if (prev >= 0) e.dist += data.dist(prev, first);
        prev = last;
    }
    if (type >= 0 && data.multi_depot()) depot_legs_fix(data, routes, type, s, ns, need_dur, e);
    return e;
}

TimeSeg concat_time(const ProblemData& data, const std::vector<RouteState>& routes, int type,
                    const Seg* s, int ns) {
    const auto tk = static_cast<std::size_t>(type);
    if (data.vehicle_type(tk).has_break()) {  // driver break: O(route) on the node sequence
        thread_local std::vector<std::int32_t> seq;
        concat_nodes(routes, s, ns, seq);
        return sequence_time(data, type, seq);
    }
    TimeSeg acc = data.start_seg(tk);
    auto prev = static_cast<int>(data.start_node(tk));
    for (int k = 0; k < ns; ++k) {
        const auto& R = routes[s[k].r];
        const int m = R.size();
        const int lo = std::max(s[k].i, 1), hi = std::min(s[k].j, m);
        if (lo > hi) continue;  // a depot only
        const auto& N = R.nodes;
        const int first = s[k].rev ? N[hi] : N[lo];
        TimeSeg piece;
        if (!s[k].rev && lo == 1) {
            piece = R.tf[hi];
        } else if (!s[k].rev && hi == m) {
            piece = R.tb[lo];
        } else if (!s[k].rev) {
            piece = data.visit_seg(static_cast<std::size_t>(N[lo]));
            for (int p = lo + 1; p <= hi; ++p)
                piece = TimeSeg::merge(piece, data.duration(N[p - 1], N[p]),
                                       data.visit_seg(static_cast<std::size_t>(N[p])));
        } else {
            piece = data.visit_seg(static_cast<std::size_t>(N[hi]));
            for (int p = hi - 1; p >= lo; --p)
                piece = TimeSeg::merge(piece, data.duration(N[p + 1], N[p]),
                                       data.visit_seg(static_cast<std::size_t>(N[p])));
        }
        acc = TimeSeg::merge(acc, data.duration(prev, first), piece);
        prev = s[k].rev ? N[lo] : N[hi];
    }
    return TimeSeg::merge(acc, data.duration(prev, data.end_node(tk)), data.end_seg(tk));
}

TimeSeg sequence_time(const ProblemData& data, int type, const std::vector<std::int32_t>& nodes) {
    const auto k = static_cast<std::size_t>(type);
    if (data.vehicle_type(k).has_break() && nodes.size() > 2)
        return route_break_plan(data, k, nodes.data() + 1, nodes.size() - 2).seg;
    TimeSeg acc = data.start_seg(k);
    for (std::size_t p = 1; p + 1 < nodes.size(); ++p)
        acc = TimeSeg::merge(
            acc,
            data.duration(p == 1 ? static_cast<std::int32_t>(data.start_node(k)) : nodes[p - 1],
                          nodes[p]),
            data.visit_seg(static_cast<std::size_t>(nodes[p])));
    const std::int32_t last =
        nodes.size() == 2 ? static_cast<std::int32_t>(data.start_node(k)) : nodes[nodes.size() - 2];
    return TimeSeg::merge(acc, data.duration(last, data.end_node(k)), data.end_seg(k));
}

void concat_load(const std::vector<RouteState>& routes, const Seg* s, int ns, std::size_t dims,
                 Load* out) {
    for (std::size_t d = 0; d < dims; ++d) {
        Load l = 0;
        for (int k = 0; k < ns; ++k) {
            const auto& R = routes[s[k].r];
            l += R.cl[static_cast<std::size_t>(s[k].j) * dims + d] -
                 (s[k].i > 0 ? R.cl[static_cast<std::size_t>(s[k].i - 1) * dims + d] : 0);
        }
        out[d] = l;
    }
}

void concat_peak(const ProblemData& data, const std::vector<RouteState>& routes, const Seg* s,
                 int ns, Load* out) {
    const std::size_t dims = data.num_dims();
    for (std::size_t d = 0; d < dims; ++d) {
        LoadSeg acc;
        for (int k = 0; k < ns; ++k) {
            const auto& R = routes[s[k].r];
            const int i = s[k].i, j = s[k].j, last = R.size() + 1;
            const auto& N = R.nodes;
            if (!s[k].rev && i == 0) {
                acc = LoadSeg::merge(acc, R.lf[static_cast<std::size_t>(j) * dims + d]);
            } else if (!s[k].rev && j == last) {
                acc = LoadSeg::merge(acc, R.lb[static_cast<std::size_t>(i) * dims + d]);
            } else if (!s[k].rev) {
                for (int p = i; p <= j; ++p)
                    acc = LoadSeg::merge(acc, data.load_seg(static_cast<std::size_t>(N[p]), d));
            } else {
                for (int p = j; p >= i; --p)
                    acc = LoadSeg::merge(acc, data.load_seg(static_cast<std::size_t>(N[p]), d));
            }
        }
        out[d] = acc.peak;
    }
}

void sequence_peak(const ProblemData& data, const std::vector<std::int32_t>& nodes, Load* out) {
    visits_peak(data, nodes, out);
}

void concat_nodes(const std::vector<RouteState>& routes, const Seg* s, int ns,
                  std::vector<std::int32_t>& out) {
    out.clear();
    for (int k = 0; k < ns; ++k) {
        const auto& R = routes[s[k].r];
        if (s[k].rev)
            for (int p = s[k].j; p >= s[k].i; --p) out.push_back(R.nodes[p]);
        else
            out.insert(out.end(), R.nodes.begin() + s[k].i, R.nodes.begin() + s[k].j + 1);
    }
}

}  // namespace lastmile
