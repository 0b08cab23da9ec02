#include "search/operators/swap_star.h"

#include <algorithm>

namespace lastmile {

void SwapStar::Best3::reset() {
    cost[0] = cost[1] = cost[2] = 1e300;
    pos[0] = pos[1] = pos[2] = -1;
}

void SwapStar::Best3::add(double c, int p) {
    if (c >= cost[2]) return;
    if (c >= cost[1]) {
        cost[2] = c;
        pos[2] = p;
    } else if (c >= cost[0]) {
        cost[2] = cost[1];
        pos[2] = pos[1];
        cost[1] = c;
        pos[1] = p;
    } else {
        cost[2] = cost[1];
        pos[2] = pos[1];
        cost[1] = cost[0];
        pos[1] = pos[0];
        cost[0] = c;
        pos[0] = p;
    }
}

const SwapStar::Best3* SwapStar::best_insertions(const SearchState& s, int u, int r,
                                                 Best3& scratch) {
    const auto& R = s.route(r);
    const auto& data = s.data();
    Best3* out = &scratch;
    if (static_cast<std::size_t>(r) < cache_.size() && !cache_[r].empty()) {
        auto& c = cache_[r][u];
        if (c.version == R.version) return &c.b;
        c.version = R.version;
        out = &c.b;
    } else {
        const std::size_t bytes = data.num_nodes() * sizeof(CachedBest3);
        if (cache_bytes_ + bytes <= kCacheBytes) {
            if (cache_.size() <= static_cast<std::size_t>(r))
                cache_.resize(static_cast<std::size_t>(r) + 1);
            cache_[r].resize(data.num_nodes());
            cache_bytes_ += bytes;
            auto& c = cache_[r][u];
            c.version = R.version;
            out = &c.b;
        }
    }
    const auto& t = data.vehicle_type(R.type);
    out->reset();
    const int m = R.size();
    if (const double* w = arcs_ ? arcs_->matrix(R.type) : nullptr) {
        const std::size_t n = arcs_->stride(), uu = static_cast<std::size_t>(u);
        for (int q = 0; q <= m; ++q) {
            const auto a = static_cast<std::size_t>(R.nodes[q]),
                       b = static_cast<std::size_t>(R.nodes[q + 1]);
            out->add(w[a * n + uu] + w[uu * n + b] - w[a * n + b], q);
        }
        return out;
    }
    for (int q = 0; q <= m; ++q)
        out->add(arc_cost(data, t, R.nodes[q], u) + arc_cost(data, t, u, R.nodes[q + 1]) -
                     arc_cost(data, t, R.nodes[q], R.nodes[q + 1]),
                 q);
    return out;
}

namespace {

/// src without position `skip`, with `ins` inserted after position `after`.
void exchange(const std::vector<std::int32_t>& src, int skip, int after, int ins,
              std::vector<std::int32_t>& out) {
    out.clear();
    for (int p = 0; p < static_cast<int>(src.size()); ++p) {
        if (p != skip) out.push_back(src[p]);
        if (p == after) out.push_back(ins);
    }
}

}  // namespace

bool SwapStar::route_pair_move(SearchState& s, int r1, int r2) {
    const auto& A = s.route(r1);
    const auto& B = s.route(r2);
    if (!sectors_overlap(A, B)) return false;
    if (A.reloads > 0 || B.reloads > 0) return false;  // multi-trip routes: other operators
    const auto& data = s.data();
    const auto& pen = s.penalties();
    const std::size_t dims = s.dims();
    const int m1 = A.size(), m2 = B.size();
    const auto& ta = data.vehicle_type(A.type);
    const auto& tb = data.vehicle_type(B.type);
    const double* ma = arcs_ ? arcs_->matrix(A.type) : nullptr;
    const double* mb = arcs_ ? arcs_->matrix(B.type) : nullptr;
    const std::size_t n = arcs_ ? arcs_->stride() : 0;
    auto wa = [&](int i, int j) {
        return ma ? ma[static_cast<std::size_t>(i) * n + static_cast<std::size_t>(j)]
                  : arc_cost(data, ta, i, j);
    };
    auto wb = [&](int i, int j) {
        return mb ? mb[static_cast<std::size_t>(i) * n + static_cast<std::size_t>(j)]
                  : arc_cost(data, tb, i, j);
    };
    auto svc = [&](int i) { return static_cast<double>(service_of(data, i)); };
    rem1_.assign(m1 + 2, 0), rem2_.assign(m2 + 2, 0);
    ins12_.resize(m1 + 2), ins21_.resize(m2 + 2);
    ptr12_.resize(m1 + 2), ptr21_.resize(m2 + 2);
    for (int p = 1; p <= m1; ++p) {
        const int u = A.nodes[p];
        rem1_[p] = wa(A.nodes[p - 1], A.nodes[p + 1]) - wa(A.nodes[p - 1], u) -
                   wa(u, A.nodes[p + 1]) - ta.cost_per_duration * svc(u);
        ptr12_[p] = best_insertions(s, u, r2, ins12_[p]);
    }
    for (int q = 1; q <= m2; ++q) {
        const int v = B.nodes[q];
        rem2_[q] = wb(B.nodes[q - 1], B.nodes[q + 1]) - wb(B.nodes[q - 1], v) -
                   wb(v, B.nodes[q + 1]) - tb.cost_per_duration * svc(v);
        ptr21_[q] = best_insertions(s, v, r1, ins21_[q]);
    }
    const Load* la = A.total_load(dims);
    const Load* lb = B.total_load(dims);
    const bool pick = data.has_pickups();
    if (pick) {  // pickup totals of both routes
        pa_.resize(dims), pb_.resize(dims);
        for (std::size_t d = 0; d < dims; ++d) {
            pa_[d] = A.lf[static_cast<std::size_t>(m1 + 1) * dims + d].pickup;
            pb_[d] = B.lf[static_cast<std::size_t>(m2 + 1) * dims + d].pickup;
        }
    }
    const Load* pa = pa_.data();
    const Load* pb = pb_.data();
    double best = -kMoveEps;
    int bp = -1, bq = -1, bpos_v = -1, bpos_u = -1;
    for (int p = 1; p <= m1; ++p) {
        const int u = A.nodes[p];
        const Load* qu = data.demand_row(u);
        for (int q = 1; q <= m2; ++q) {
            const int v = B.nodes[q];
            const Load* qv = data.demand_row(v);
            double dl = -A.loadpen - B.loadpen;
            for (std::size_t d = 0; d < dims; ++d) {
                Load na = la[d] - qu[d] + qv[d], nb = lb[d] - qv[d] + qu[d];
                if (pick) {  // a lower bound of the new peaks: max(total delivery, total pickup)
                    const Load pu = data.pickup(u, d), pv = data.pickup(v, d);
                    na = std::max(na, pa[d] - pu + pv), nb = std::max(nb, pb[d] - pv + pu);
                }
                if (na > ta.capacity[d])
                    dl += pen.load[d] * static_cast<double>(na - ta.capacity[d]);
                if (nb > tb.capacity[d])
                    dl += pen.load[d] * static_cast<double>(nb - tb.capacity[d]);
            }
            double base = dl + rem1_[p] + rem2_[q];
            if (base >= best) continue;
            // v into A (u removed): in place of u or one of the top-3 positions not next to u.
            double cv =
                wa(A.nodes[p - 1], v) + wa(v, A.nodes[p + 1]) - wa(A.nodes[p - 1], A.nodes[p + 1]);
            int posv = p - 1;
            for (int k = 0; k < 3; ++k) {
                const int pp = ptr21_[q]->pos[k];
                if (pp < 0) break;
                if (pp == p - 1 || pp == p) continue;
                if (ptr21_[q]->cost[k] < cv) cv = ptr21_[q]->cost[k], posv = pp;
                break;
            }
            double cu =
                wb(B.nodes[q - 1], u) + wb(u, B.nodes[q + 1]) - wb(B.nodes[q - 1], B.nodes[q + 1]);
            int posu = q - 1;
            for (int k = 0; k < 3; ++k) {
                const int pp = ptr12_[p]->pos[k];
                if (pp < 0) break;
                if (pp == q - 1 || pp == q) continue;
                if (ptr12_[p]->cost[k] < cu) cu = ptr12_[p]->cost[k], posu = pp;
                break;
            }
            const double total =
                base + cv + cu + ta.cost_per_duration * svc(v) + tb.cost_per_duration * svc(u);
            if (total < best) best = total, bp = p, bq = q, bpos_v = posv, bpos_u = posu;
        }
    }
    if (bp < 0) return false;
    // Build both routes and evaluate them exactly.
    exchange(A.nodes, bp, bpos_v, B.nodes[bq], buf_a_);
    exchange(B.nodes, bq, bpos_u, A.nodes[bp], buf_b_);
    const double delta =
        s.sequence_cost(A.type, buf_a_) + s.sequence_cost(B.type, buf_b_) - A.cost - B.cost;
    if (delta >= -kMoveEps) return false;
    s.begin_move(delta);
    s.apply(r1, std::move(buf_a_));
    s.apply(r2, std::move(buf_b_));
    return true;
}

}  // namespace lastmile
