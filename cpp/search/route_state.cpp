#include "search/route_state.h"

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

SegTotals concat_totals(const ProblemData& data, const std::vector<RouteState>& routes,
                        const Seg* s, int ns, bool need_dur) {
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
    return e;
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
