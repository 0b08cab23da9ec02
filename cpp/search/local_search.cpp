#include "search/local_search.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace lastmile {
namespace {

constexpr double kEps = 1e-7;
constexpr int kCircle = 65536;
int pmod(int x) { return ((x % kCircle) + kCircle) % kCircle; }

const char* const kOpNames[kNumLsOps] = {"relocate1", "relocate2",  "relocate3", "swap11",
                                         "swap21",    "swap22",     "two_opt",   "two_opt_star",
                                         "swap_star", "change_type"};

}  // namespace

const char* ls_op_name(int op) { return op >= 0 && op < kNumLsOps ? kOpNames[op] : "?"; }
int ls_op_from_name(const std::string& name) {
    for (int i = 0; i < kNumLsOps; ++i)
        if (name == kOpNames[i]) return i;
    return -1;
}

LocalSearch::LocalSearch(const ProblemData& data, const Neighbours& nb)
    : data_(data), nb_(nb), dims_(data.num_dims()), ev_(data) {
    ev_.enable_recent_arcs();
    const std::size_t n = data.num_nodes(), nt = data.num_vehicle_types();
    pen_.load.assign(dims_, 1.0);
    need_dur_ = false;
    for (const auto& t : data.vehicle_types())
        need_dur_ |= t.cost_per_duration != 0 || t.max_duration < kUnlimited;
    slot_limit_.resize(nt);
    slots_created_.assign(nt, 0);
    empty_stack_.resize(nt);
    std::size_t total = 0;
    for (std::size_t k = 0; k < nt; ++k) {
        slot_limit_[k] = std::min<std::int64_t>(data.vehicle_type(k).num_available,
                                                static_cast<std::int64_t>(n - 1));
        total += static_cast<std::size_t>(slot_limit_[k]);
    }
    routes_.reserve(total);  // slots are created lazily; references stay valid
    route_of_.assign(n, -1);
    pos_of_.assign(n, 0);
    tested_.assign(n, -1);
    angle_.resize(n);
    const double pi = 3.14159265358979323846;
    for (std::size_t i = 0; i < n; ++i) {
        const double a = std::atan2(data.y(i) - data.y(0), data.x(i) - data.x(0));
        angle_[i] = std::clamp(static_cast<int>((a + pi) / (2 * pi) * kCircle), 0, kCircle - 1);
    }
    for (std::size_t i = 1; i < n; ++i) order_.push_back(static_cast<std::int32_t>(i));
    tmp_load_.resize(dims_);
}

void LocalSearch::set_penalties(const Penalties& p) {
    pen_ = p;
    for (auto& R : routes_)
        if (R.size() > 0) {
            R.cost = route_cost(R.type, R.dist, R.dur,
                                &R.cl[static_cast<std::size_t>(R.size() + 1) * dims_], &R.loadpen) +
                     pen_.energy * R.eexcess;
            R.pen =
                R.cost - (data_.vehicle_type(R.type).fixed_cost +
                          R.wd * static_cast<double>(R.dist) + R.wt * static_cast<double>(R.dur));
        }
}

double LocalSearch::route_cost(int type, Distance dist, Duration dur, const Load* load,
                               double* loadpen) const {
    const auto& t = data_.vehicle_type(type);
    double c = t.fixed_cost + t.cost_per_distance * static_cast<double>(dist) +
               t.cost_per_duration * static_cast<double>(dur);
    if (dur > t.max_duration) c += pen_.duration * static_cast<double>(dur - t.max_duration);
    if (dist > t.max_distance) c += pen_.distance * static_cast<double>(dist - t.max_distance);
    double lp = 0;
    for (std::size_t d = 0; d < dims_; ++d)
        if (load[d] > t.capacity[d])
            lp += pen_.load[d] * static_cast<double>(load[d] - t.capacity[d]);
    if (loadpen) *loadpen = lp;
    return c + lp;
}

void LocalSearch::rebuild(int r) {
    auto& R = routes_[r];
    const std::size_t m = R.nodes.size();
    R.cd.resize(m), R.cdr.resize(m), R.ct.resize(m), R.ctr.resize(m), R.cl.resize(m * dims_);
    R.cd[0] = R.cdr[0] = R.ct[0] = R.ctr[0] = 0;
    for (std::size_t d = 0; d < dims_; ++d) R.cl[d] = 0;
    for (std::size_t p = 1; p < m; ++p) {
        const std::size_t a = static_cast<std::size_t>(R.nodes[p - 1]),
                          b = static_cast<std::size_t>(R.nodes[p]);
        R.cd[p] = R.cd[p - 1] + data_.dist(a, b);
        R.cdr[p] = R.cdr[p - 1] + data_.dist(b, a);
        if (need_dur_) {
            const Duration sb = svc(b);
            R.ct[p] = R.ct[p - 1] + data_.duration(a, b) + sb;
            R.ctr[p] = R.ctr[p - 1] + data_.duration(b, a) + sb;
        } else {
            R.ct[p] = R.ctr[p] = 0;
        }
        const Load* q = data_.demand_row(b);
        for (std::size_t d = 0; d < dims_; ++d)
            R.cl[p * dims_ + d] = R.cl[(p - 1) * dims_ + d] + q[d];
        if (p + 1 < m) {
            route_of_[b] = r;
            pos_of_[b] = static_cast<std::int32_t>(p);
        }
    }
    R.dist = R.cd[m - 1];
    R.dur = R.ct[m - 1];
    R.eexcess = 0;
    if (ev_.active()) {
        R.evp.resize(static_cast<std::size_t>(ev_.num_classes()));
        for (int c = 0; c < ev_.num_classes(); ++c)
            R.evp[static_cast<std::size_t>(c)].build(ev_, c, R.nodes.data(), m);
        const int c = ev_.cls(R.type);
        if (c >= 0 && m > 2)
            R.eexcess = std::max(0.0, R.evp[static_cast<std::size_t>(c)].peak - ev_.limit(R.type));
    }
    R.modified = counter_;
    R.version = ++version_;
    R.wd = data_.vehicle_type(R.type).cost_per_distance;
    R.wt = data_.vehicle_type(R.type).cost_per_duration;
    if (R.size() > 0) {
        R.cost = route_cost(R.type, R.dist, R.dur, &R.cl[(m - 1) * dims_], &R.loadpen) +
                 pen_.energy * R.eexcess;
        R.pen = R.cost - (data_.vehicle_type(R.type).fixed_cost +
                          R.wd * static_cast<double>(R.dist) + R.wt * static_cast<double>(R.dur));
        R.sec_start = R.sec_end = angle_[R.nodes[1]];
        for (std::size_t p = 2; p + 1 < m; ++p) {
            const int a = angle_[R.nodes[p]];
            if (pmod(a - R.sec_start) <= pmod(R.sec_end - R.sec_start)) continue;
            if (pmod(a - R.sec_end) <= pmod(R.sec_start - a))
                R.sec_end = a;
            else
                R.sec_start = a;
        }
    } else {
        R.cost = 0, R.loadpen = 0, R.pen = 0;
    }
}

bool LocalSearch::sector_overlap(const RouteData& a, const RouteData& b) const {
    return pmod(b.sec_start - a.sec_start) <= pmod(a.sec_end - a.sec_start) ||
           pmod(a.sec_start - b.sec_start) <= pmod(b.sec_end - b.sec_start);
}

int LocalSearch::empty_slot(int type) {
    auto& st = empty_stack_[type];
    while (!st.empty()) {
        const int e = st.back();
        if (routes_[e].size() == 0 && routes_[e].type == type) return e;
        st.pop_back();
    }
    if (slots_created_[type] >= slot_limit_[type]) return -1;
    ++slots_created_[type];
    routes_.emplace_back();
    const int e = static_cast<int>(routes_.size()) - 1;
    routes_[e].type = type;
    routes_[e].nodes = {0, 0};
    rebuild(e);
    st.push_back(e);
    return e;
}

LocalSearch::Eval LocalSearch::eval_base(int type, const Seg* s, int ns) const {
    Eval e;
    int prev = -1;
    for (int k = 0; k < ns; ++k) {
        const auto& R = routes_[s[k].r];
        const int i = s[k].i, j = s[k].j;
        const int first = s[k].rev ? R.nodes[j] : R.nodes[i];
        const int last = s[k].rev ? R.nodes[i] : R.nodes[j];
        e.clients += (j - i + 1) - (i == 0) - (j == R.size() + 1);
        if (need_dur_) {
            e.dur += (s[k].rev ? R.ctr[j] - R.ctr[i] : R.ct[j] - R.ct[i]) + svc(R.nodes[i]);
            if (prev >= 0) e.dur += data_.duration(prev, first);
        }
        e.dist += s[k].rev ? R.cdr[j] - R.cdr[i] : R.cd[j] - R.cd[i];
        if (prev >= 0) e.dist += data_.dist(prev, first);
        prev = last;
    }
    if (e.clients > 0) {
        const auto& t = data_.vehicle_type(type);
        e.base = t.fixed_cost + t.cost_per_distance * static_cast<double>(e.dist) +
                 t.cost_per_duration * static_cast<double>(e.dur);
        if (e.dur > t.max_duration)
            e.base += pen_.duration * static_cast<double>(e.dur - t.max_duration);
        if (e.dist > t.max_distance)
            e.base += pen_.distance * static_cast<double>(e.dist - t.max_distance);
    }
    return e;
}

double LocalSearch::eval_loadpen(int type, const Seg* s, int ns) const {
    const auto& t = data_.vehicle_type(type);
    double lp = 0;
    for (std::size_t d = 0; d < dims_; ++d) {
        Load l = 0;
        for (int k = 0; k < ns; ++k) {
            const auto& R = routes_[s[k].r];
            l += R.cl[static_cast<std::size_t>(s[k].j) * dims_ + d] -
                 (s[k].i > 0 ? R.cl[static_cast<std::size_t>(s[k].i - 1) * dims_ + d] : 0);
        }
        if (l > t.capacity[d]) lp += pen_.load[d] * static_cast<double>(l - t.capacity[d]);
    }
    return lp;
}

double LocalSearch::eval_energypen(int type, const Seg* s, int ns) const {
    const int c = ev_.cls(type);
    if (c < 0) return 0.0;
    ESeg acc;
    int prev = -1;
    for (int k = 0; k < ns; ++k) {
        const auto& R = routes_[s[k].r];
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
    return excess > 0 ? pen_.energy * excess : 0.0;
}

double LocalSearch::exact_energypen(int type, const std::vector<std::int32_t>& nodes) const {
    const int c = ev_.cls(type);
    if (c < 0 || nodes.size() <= 2) return 0.0;
    double total, peak;
    ev_.route_energy(c, nodes.data(), nodes.size(), total, peak);
    const double excess = peak - ev_.limit(type);
    return excess > 0 ? pen_.energy * excess : 0.0;
}

void LocalSearch::apply(int r, std::vector<std::int32_t>&& nodes) {
    auto& R = routes_[r];
    const bool was_used = R.size() > 0;
    R.nodes.swap(nodes);
    rebuild(r);
    if (was_used && R.size() == 0) empty_stack_[R.type].push_back(r);
}

bool LocalSearch::try_move(int ra, const Seg* sa, int na, int rb, const Seg* sb, int nb) {
    const auto& A = routes_[ra];
    double old = A.cost;
    const Eval ea = eval_base(A.type, sa, na);
    double nw = ea.base;
    int eb_clients = 0;
    if (rb < 0) {
        if (ea.clients > 0) nw += A.loadpen;
        if (nw - old >= -kEps) return false;
    } else {
        const auto& B = routes_[rb];
        old += B.cost;
        const Eval eb = eval_base(B.type, sb, nb);
        eb_clients = eb.clients;
        nw += eb.base;
        if (nw - old >= -kEps) return false;
        if (ea.clients > 0) nw += eval_loadpen(A.type, sa, na);
        if (eb.clients > 0) nw += eval_loadpen(B.type, sb, nb);
        if (nw - old >= -kEps) return false;
    }
    // Battery: screen with the route totals (O(1) per segment, a lower bound of the exact
    // penalty), then confirm with the exact minimum-charge walk over the new routes.
    double ena = 0, enb = 0;
    if (ev_.active()) {
        if (ea.clients > 0) ena = eval_energypen(A.type, sa, na);
        if (eb_clients > 0) enb = eval_energypen(routes_[rb].type, sb, nb);
        nw += ena + enb;
        if (nw - old >= -kEps) return false;
    }
    last_delta_ = nw - old;
    auto build = [&](const Seg* s, int ns, std::vector<std::int32_t>& out) {
        out.clear();
        for (int k = 0; k < ns; ++k) {
            const auto& R = routes_[s[k].r];
            if (s[k].rev)
                for (int p = s[k].j; p >= s[k].i; --p) out.push_back(R.nodes[p]);
            else
                out.insert(out.end(), R.nodes.begin() + s[k].i, R.nodes.begin() + s[k].j + 1);
        }
    };
    build(sa, na, buf_a_);
    if (rb >= 0) build(sb, nb, buf_b_);
    if (ev_.active()) {
        nw += exact_energypen(A.type, buf_a_) - ena;
        if (rb >= 0) nw += exact_energypen(routes_[rb].type, buf_b_) - enb;
        if (nw - old >= -kEps) return false;
        last_delta_ = nw - old;
    }
    ++counter_;
    apply(ra, std::move(buf_a_));
    if (rb >= 0) apply(rb, std::move(buf_b_));
    return true;
}

// Moves between client u and its neighbour v (positions looked up now; they change after moves).
bool LocalSearch::node_moves(int u, int v) {
    const int ru = route_of_[u], rv = route_of_[v];
    const int pu = pos_of_[u], pv = pos_of_[v];
    const int mu = routes_[ru].size(), mv = routes_[rv].size();
    const auto& RU = routes_[ru];
    const auto& RV = routes_[rv];
    // Cheap lower bound (HGS-style pruning): weighted change of the arcs touched, minus the
    // current penalties of the routes involved (new penalties are >= 0). Valid when both routes
    // have the same cost weights and no route becomes empty (fixed costs unchanged).
    const bool same_w = RU.wd == RV.wd && RU.wt == RV.wt;
    const double wd = RU.wd, wt = need_dur_ ? RU.wt : 0.0;
    const double slack = RU.pen + (ru != rv ? RV.pen : 0.0) + kEps;
    auto w = [&](int a, int b) {
        return wd * static_cast<double>(data_.dist(a, b)) +
               (wt != 0.0 ? wt * static_cast<double>(data_.duration(a, b)) : 0.0);
    };
    const auto* NU = RU.nodes.data();
    const auto* NV = RV.nodes.data();
    auto relocate = [&](int L, int q, bool rev) {  // segment [pu, pu+L-1] after position q of rv
        if (pu + L - 1 > mu) return false;
        if (ru == rv && q >= pu - 1 && q <= pu + L - 1) return false;
        if (same_w && (ru == rv || mu > L) && (!rev || sym_)) {
            const int pp = NU[pu - 1], nx = NU[pu + L], f = NU[pu], l = NU[pu + L - 1];
            const int a = NV[q], b = NV[q + 1];
            const double d = w(pp, nx) - w(pp, f) - w(l, nx) +
                             (rev ? w(a, l) + w(f, b) : w(a, f) + w(l, b)) - w(a, b);
            if (d >= slack) return false;
        }
        if (ru != rv) {
            const Seg a[2] = {{ru, 0, pu - 1, false}, {ru, pu + L, mu + 1, false}};
            const Seg b[3] = {
                {rv, 0, q, false}, {ru, pu, pu + L - 1, rev}, {rv, q + 1, mv + 1, false}};
            return try_move(ru, a, 2, rv, b, 3);
        }
        if (q >= pu - 1 && q <= pu + L - 1) return false;
        if (q < pu - 1) {
            const Seg a[4] = {{ru, 0, q, false},
                              {ru, pu, pu + L - 1, rev},
                              {ru, q + 1, pu - 1, false},
                              {ru, pu + L, mu + 1, false}};
            return try_move(ru, a, 4, -1, nullptr, 0);
        }
        const Seg a[4] = {{ru, 0, pu - 1, false},
                          {ru, pu + L, q, false},
                          {ru, pu, pu + L - 1, rev},
                          {ru, q + 1, mu + 1, false}};
        return try_move(ru, a, 4, -1, nullptr, 0);
    };
    auto swap = [&](int Lu, int Lv) {
        if (pu + Lu - 1 > mu || pv + Lv - 1 > mv) return false;
        if (same_w && (ru != rv || pu + Lu < pv || pv + Lv < pu)) {
            const int pa = NU[pu - 1], na = NU[pu + Lu], fa = NU[pu], la = NU[pu + Lu - 1];
            const int pb = NV[pv - 1], nb = NV[pv + Lv], fb = NV[pv], lb = NV[pv + Lv - 1];
            const double d = w(pa, fb) + w(lb, na) - w(pa, fa) - w(la, na) + w(pb, fa) + w(la, nb) -
                             w(pb, fb) - w(lb, nb);
            if (d >= slack) return false;
        }
        if (ru != rv) {
            const Seg a[3] = {
                {ru, 0, pu - 1, false}, {rv, pv, pv + Lv - 1, false}, {ru, pu + Lu, mu + 1, false}};
            const Seg b[3] = {
                {rv, 0, pv - 1, false}, {ru, pu, pu + Lu - 1, false}, {rv, pv + Lv, mv + 1, false}};
            return try_move(ru, a, 3, rv, b, 3);
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
        return try_move(ru, a, na, -1, nullptr, 0);
    };
    if (ops_ & (1u << kRelocate1)) {
        if (relocate(1, pv, false)) return true;
        if (relocate(1, pv - 1, false)) return true;
    }
    if (ops_ & (1u << kRelocate2)) {
        if (relocate(2, pv, false) || relocate(2, pv, true)) return true;
    }
    if (ops_ & (1u << kRelocate3)) {
        if (relocate(3, pv, false) || relocate(3, pv, true)) return true;
    }
    if ((ops_ & (1u << kSwap11)) && swap(1, 1)) return true;
    if ((ops_ & (1u << kSwap21)) && swap(2, 1)) return true;
    if ((ops_ & (1u << kSwap22)) && swap(2, 2)) return true;
    if (ru == rv) {
        if (ops_ & (1u << kTwoOpt)) {
            const int i = std::min(pu, pv), j = std::max(pu, pv);
            if (j > i + 1 && sym_) {
                const double d = w(NU[i], NU[j]) + w(NU[i + 1], NU[j + 1]) - w(NU[i], NU[i + 1]) -
                                 w(NU[j], NU[j + 1]);
                if (d >= slack) return false;
            }
            if (j > i + 1) {
                const Seg a[3] = {
                    {ru, 0, i, false}, {ru, i + 1, j, true}, {ru, j + 1, mu + 1, false}};
                if (try_move(ru, a, 3, -1, nullptr, 0)) return true;
            }
        }
    } else if (ops_ & (1u << kTwoOptStar)) {
        const int x = NU[pu + 1], y = NV[pv + 1];
        const bool filt = same_w;  // variant A never empties a route
        if (!filt || w(u, y) + w(v, x) - w(u, x) - w(v, y) < slack) {
            const Seg a[2] = {{ru, 0, pu, false}, {rv, pv + 1, mv + 1, false}};
            const Seg b[2] = {{rv, 0, pv, false}, {ru, pu + 1, mu + 1, false}};
            if (try_move(ru, a, 2, rv, b, 2)) return true;
        }
        if (!filt || !sym_ || (pu == mu && pv == mv) ||
            w(u, v) + w(x, y) - w(u, x) - w(v, y) < slack) {
            const Seg a[2] = {{ru, 0, pu, false}, {rv, 0, pv, true}};
            const Seg b[2] = {{ru, pu + 1, mu + 1, true}, {rv, pv + 1, mv + 1, false}};
            if (try_move(ru, a, 2, rv, b, 2)) return true;
        }
    }
    return false;
}

// Moves where v is the depot at the start of route rv (u goes right after the depot).
bool LocalSearch::depot_moves(int u, int rv) {
    const int ru = route_of_[u], pu = pos_of_[u];
    const int mu = routes_[ru].size(), mv = routes_[rv].size();
    auto relocate = [&](int L, bool rev) {
        if (pu + L - 1 > mu) return false;
        if (ru != rv) {
            const Seg a[2] = {{ru, 0, pu - 1, false}, {ru, pu + L, mu + 1, false}};
            const Seg b[3] = {{rv, 0, 0, false}, {ru, pu, pu + L - 1, rev}, {rv, 1, mv + 1, false}};
            return try_move(ru, a, 2, rv, b, 3);
        }
        if (pu == 1) return false;
        const Seg a[4] = {{ru, 0, 0, false},
                          {ru, pu, pu + L - 1, rev},
                          {ru, 1, pu - 1, false},
                          {ru, pu + L, mu + 1, false}};
        return try_move(ru, a, 4, -1, nullptr, 0);
    };
    if ((ops_ & (1u << kRelocate2)) && (relocate(2, false) || relocate(2, true))) return true;
    if ((ops_ & (1u << kRelocate3)) && (relocate(3, false) || relocate(3, true))) return true;
    if (ru == rv) {
        if ((ops_ & (1u << kTwoOpt)) && pu > 1) {
            const Seg a[3] = {{ru, 0, 0, false}, {ru, 1, pu, true}, {ru, pu + 1, mu + 1, false}};
            if (try_move(ru, a, 3, -1, nullptr, 0)) return true;
        }
    } else if (ops_ & (1u << kTwoOptStar)) {
        const Seg a[2] = {{ru, 0, pu, false}, {rv, 1, mv + 1, false}};
        const Seg b[2] = {{rv, 0, 0, false}, {ru, pu + 1, mu + 1, false}};
        if (try_move(ru, a, 2, rv, b, 2)) return true;
    }
    return false;
}

bool LocalSearch::empty_route_moves(int u) {
    if (!(ops_ & ((1u << kRelocate1) | (1u << kRelocate2)))) return false;
    for (std::size_t t = 0; t < slot_limit_.size(); ++t) {
        const int e = empty_slot(static_cast<int>(t));
        if (e < 0) continue;
        const int ru = route_of_[u], pu = pos_of_[u], mu = routes_[ru].size();
        for (int L = 1; L <= 2; ++L) {
            if (!(ops_ & (1u << (L == 1 ? kRelocate1 : kRelocate2))) || pu + L - 1 > mu) continue;
            const Seg a[2] = {{ru, 0, pu - 1, false}, {ru, pu + L, mu + 1, false}};
            const Seg b[3] = {{e, 0, 0, false}, {ru, pu, pu + L - 1, false}, {e, 1, 1, false}};
            if (try_move(ru, a, 2, e, b, 3)) return true;
        }
    }
    return false;
}

bool LocalSearch::change_type(int r) {
    if (routes_[r].size() == 0) return false;
    for (std::size_t t = 0; t < slot_limit_.size(); ++t) {
        if (static_cast<int>(t) == routes_[r].type) continue;
        const int e = empty_slot(static_cast<int>(t));
        if (e < 0) continue;
        const Seg s{r, 0, routes_[r].size() + 1, false};
        const Eval ev = eval_base(static_cast<int>(t), &s, 1);
        double nw = ev.base + eval_loadpen(static_cast<int>(t), &s, 1);
        if (nw - routes_[r].cost >= -kEps) continue;
        if (ev_.active()) {
            nw += exact_energypen(static_cast<int>(t), routes_[r].nodes);
            if (nw - routes_[r].cost >= -kEps) continue;
        }
        last_delta_ = nw - routes_[r].cost;
        ++counter_;
        std::swap(routes_[e].nodes, routes_[r].nodes);
        rebuild(e);
        rebuild(r);
        empty_stack_[routes_[r].type].push_back(r);
        return true;
    }
    return false;
}

const LocalSearch::Best3* LocalSearch::best_insertions(int u, int r, Best3& scratch) {
    const auto& R = routes_[r];
    Best3* out = &scratch;
    if (static_cast<std::size_t>(r) < ins_cache_.size() && !ins_cache_[r].empty()) {
        auto& c = ins_cache_[r][u];
        if (c.version == R.version) return &c.b;
        c.version = R.version;
        out = &c.b;
    } else {
        const std::size_t bytes = data_.num_nodes() * sizeof(CachedBest3);
        if (cache_bytes_ + bytes <= (std::size_t{64} << 20)) {
            if (ins_cache_.size() <= static_cast<std::size_t>(r))
                ins_cache_.resize(static_cast<std::size_t>(r) + 1);
            ins_cache_[r].resize(data_.num_nodes());
            cache_bytes_ += bytes;
            auto& c = ins_cache_[r][u];
            c.version = R.version;
            out = &c.b;
        }
    }
    const auto& t = data_.vehicle_type(R.type);
    const bool dt = t.cost_per_duration != 0;
    auto w = [&](int i, int j) {
        return t.cost_per_distance * static_cast<double>(data_.dist(i, j)) +
               (dt ? t.cost_per_duration * static_cast<double>(data_.duration(i, j)) : 0.0);
    };
    out->reset();
    const int m = R.size();
    for (int q = 0; q <= m; ++q)
        out->add(w(R.nodes[q], u) + w(u, R.nodes[q + 1]) - w(R.nodes[q], R.nodes[q + 1]), q);
    return out;
}

bool LocalSearch::swap_star(int r1, int r2) {
    const auto& A = routes_[r1];
    const auto& B = routes_[r2];
    const int m1 = A.size(), m2 = B.size();
    const auto& ta = data_.vehicle_type(A.type);
    const auto& tb = data_.vehicle_type(B.type);
    const bool da = ta.cost_per_duration != 0, db = tb.cost_per_duration != 0;
    auto wa = [&](int i, int j) {
        return ta.cost_per_distance * static_cast<double>(data_.dist(i, j)) +
               (da ? ta.cost_per_duration * static_cast<double>(data_.duration(i, j)) : 0.0);
    };
    auto wb = [&](int i, int j) {
        return tb.cost_per_distance * static_cast<double>(data_.dist(i, j)) +
               (db ? tb.cost_per_duration * static_cast<double>(data_.duration(i, j)) : 0.0);
    };
    rem1_.assign(m1 + 2, 0), rem2_.assign(m2 + 2, 0);
    ins12_.resize(m1 + 2), ins21_.resize(m2 + 2);
    ptr12_.resize(m1 + 2), ptr21_.resize(m2 + 2);
    for (int p = 1; p <= m1; ++p) {
        const int u = A.nodes[p];
        rem1_[p] = wa(A.nodes[p - 1], A.nodes[p + 1]) - wa(A.nodes[p - 1], u) -
                   wa(u, A.nodes[p + 1]) - ta.cost_per_duration * static_cast<double>(svc(u));
        ptr12_[p] = best_insertions(u, r2, ins12_[p]);
    }
    for (int q = 1; q <= m2; ++q) {
        const int v = B.nodes[q];
        rem2_[q] = wb(B.nodes[q - 1], B.nodes[q + 1]) - wb(B.nodes[q - 1], v) -
                   wb(v, B.nodes[q + 1]) - tb.cost_per_duration * static_cast<double>(svc(v));
        ptr21_[q] = best_insertions(v, r1, ins21_[q]);
    }
    const Load* la = &A.cl[static_cast<std::size_t>(m1 + 1) * dims_];
    const Load* lb = &B.cl[static_cast<std::size_t>(m2 + 1) * dims_];
    double best = -kEps;
    int bp = -1, bq = -1, bpos_v = -1, bpos_u = -1;
    for (int p = 1; p <= m1; ++p) {
        const int u = A.nodes[p];
        const Load* qu = data_.demand_row(u);
        for (int q = 1; q <= m2; ++q) {
            const int v = B.nodes[q];
            const Load* qv = data_.demand_row(v);
            double dl = -A.loadpen - B.loadpen;
            for (std::size_t d = 0; d < dims_; ++d) {
                const Load na = la[d] - qu[d] + qv[d], nb = lb[d] - qv[d] + qu[d];
                if (na > ta.capacity[d])
                    dl += pen_.load[d] * static_cast<double>(na - ta.capacity[d]);
                if (nb > tb.capacity[d])
                    dl += pen_.load[d] * static_cast<double>(nb - tb.capacity[d]);
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
            const double total = base + cv + cu +
                                 ta.cost_per_duration * static_cast<double>(svc(v)) +
                                 tb.cost_per_duration * static_cast<double>(svc(u));
            if (total < best) best = total, bp = p, bq = q, bpos_v = posv, bpos_u = posu;
        }
    }
    if (bp < 0) return false;
    // Build both routes and evaluate them exactly.
    auto build = [](const std::vector<std::int32_t>& src, int skip, int after, int ins,
                    std::vector<std::int32_t>& out) {
        out.clear();
        for (int p = 0; p < static_cast<int>(src.size()); ++p) {
            if (p != skip) out.push_back(src[p]);
            if (p == after) out.push_back(ins);
        }
    };
    build(A.nodes, bp, bpos_v, B.nodes[bq], buf_a_);
    build(B.nodes, bq, bpos_u, A.nodes[bp], buf_b_);
    auto seq_cost = [&](int type, const std::vector<std::int32_t>& nodes) {
        Distance dist = 0;
        Duration dur = 0;
        std::fill(tmp_load_.begin(), tmp_load_.end(), 0);
        for (std::size_t p = 1; p < nodes.size(); ++p) {
            dist += data_.dist(nodes[p - 1], nodes[p]);
            dur += data_.duration(nodes[p - 1], nodes[p]) + svc(nodes[p]);
            const Load* q = data_.demand_row(nodes[p]);
            for (std::size_t d = 0; d < dims_; ++d) tmp_load_[d] += q[d];
        }
        return route_cost(type, dist, dur, tmp_load_.data(), nullptr) +
               exact_energypen(type, nodes);
    };
    const double delta = seq_cost(A.type, buf_a_) + seq_cost(B.type, buf_b_) - A.cost - B.cost;
    if (delta >= -kEps) return false;
    last_delta_ = delta;
    ++counter_;
    apply(r1, std::move(buf_a_));
    apply(r2, std::move(buf_b_));
    return true;
}

bool LocalSearch::sweep(Rng& rng, bool first_only) {
    bool any = false;
    for (loop_ = 0;; ++loop_) {
        bool improved = false;
        if (ops_ & ((1u << kSwapStar) - 1)) {
            for (std::size_t idx = 0; idx < order_.size(); ++idx) {
                if (stop_ && (idx & 63) == 0 && (*stop_)()) return any;
                const int u = order_[idx];
                const std::int64_t last = tested_[u];
                tested_[u] = counter_;
                const int cnt = nb_.count(u);
                if (cnt == 0) continue;
                const std::int32_t* list = nb_.begin(u);
                const int off = rng.below_int(cnt);
                for (int t = 0; t < cnt; ++t) {
                    const int v = list[(t + off) % cnt];
                    const int ru = route_of_[u], rv = route_of_[v];
                    if (loop_ > 0 && std::max(routes_[ru].modified, routes_[rv].modified) <= last)
                        continue;
                    if (node_moves(u, v) || (pos_of_[v] == 1 && depot_moves(u, rv))) {
                        improved = true;
                        if (first_only) return true;
                    }
                }
                if (loop_ > 0 && empty_route_moves(u)) {
                    improved = true;
                    if (first_only) return true;
                }
            }
        }
        if (ops_ & (1u << kSwapStar)) {
            for (std::size_t r1 = 0; r1 < routes_.size(); ++r1) {
                if (routes_[r1].size() == 0) continue;
                if (stop_ && (r1 & 15) == 0 && (*stop_)()) return any || improved;
                const std::int64_t last = routes_[r1].tested_swapstar;
                routes_[r1].tested_swapstar = counter_;
                for (std::size_t r2 = r1 + 1; r2 < routes_.size(); ++r2) {
                    if (routes_[r2].size() == 0 || routes_[r1].size() == 0) continue;
                    if (loop_ > 0 && std::max(routes_[r1].modified, routes_[r2].modified) <= last)
                        continue;
                    if (!sector_overlap(routes_[r1], routes_[r2])) continue;
                    if (swap_star(static_cast<int>(r1), static_cast<int>(r2))) {
                        improved = true;
                        if (first_only) return true;
                    }
                }
            }
        }
        if ((ops_ & (1u << kChangeType)) && slot_limit_.size() > 1) {
            for (std::size_t r = 0; r < routes_.size(); ++r)
                if (change_type(static_cast<int>(r))) {
                    improved = true;
                    if (first_only) return true;
                }
        }
        any |= improved;
        if (first_only && loop_ >= 1) return false;
        if (!improved && loop_ >= 1) break;
    }
    return any;
}

bool LocalSearch::run(Rng& rng) {
    rng.shuffle(order_);
    sweep(rng, false);
    return !(stop_ && (*stop_)());
}

double LocalSearch::improve_once(int op, Rng& rng) {
    const unsigned saved = ops_;
    ops_ = 1u << op;
    rng.shuffle(order_);
    std::fill(tested_.begin(), tested_.end(), -1);
    for (auto& R : routes_) R.tested_swapstar = -1;
    const bool ok = sweep(rng, true);
    ops_ = saved;
    return ok ? last_delta_ : 0.0;
}

void LocalSearch::load(const std::vector<Route>& input) {
    const std::size_t n = data_.num_nodes(), nt = slot_limit_.size();
    counter_ = 0;
    for (std::size_t r = 0; r < routes_.size(); ++r) {
        routes_[r].nodes.assign({0, 0});
        rebuild(static_cast<int>(r));
        routes_[r].tested_swapstar = -1;
    }
    for (std::size_t t = 0; t < nt; ++t) empty_stack_[t].clear();
    for (std::size_t r = routes_.size(); r-- > 0;)
        empty_stack_[routes_[r].type].push_back(static_cast<int>(r));
    std::fill(tested_.begin(), tested_.end(), -1);
    std::fill(route_of_.begin(), route_of_.end(), -1);
    std::vector<char> seen(n, 0);
    std::vector<std::vector<std::int32_t>> pending;
    std::vector<int> pending_type;
    for (const auto& r : input) {
        std::vector<std::int32_t> v;
        for (auto c : r.visits)
            if (c >= 1 && static_cast<std::size_t>(c) < n && !seen[c]) seen[c] = 1, v.push_back(c);
        if (!v.empty()) pending.push_back(std::move(v)), pending_type.push_back(r.vehicle_type);
    }
    for (std::size_t c = 1; c < n; ++c)
        if (!seen[c]) pending.push_back({static_cast<std::int32_t>(c)}), pending_type.push_back(-1);
    std::vector<int> by_cap(nt);
    std::iota(by_cap.begin(), by_cap.end(), 0);
    std::stable_sort(by_cap.begin(), by_cap.end(), [&](int a, int b) {
        return data_.vehicle_type(a).capacity[0] > data_.vehicle_type(b).capacity[0];
    });
    for (std::size_t k = 0; k < pending.size(); ++k) {
        int t = pending_type[k];
        int e = (t >= 0 && static_cast<std::size_t>(t) < nt) ? empty_slot(t) : -1;
        for (std::size_t q = 0; q < nt && e < 0; ++q) e = empty_slot(by_cap[q]);
        if (e >= 0) {
            auto& nodes = routes_[e].nodes;
            nodes.assign(1, 0);
            nodes.insert(nodes.end(), pending[k].begin(), pending[k].end());
            nodes.push_back(0);
            rebuild(e);
            continue;
        }
        // Fleet exhausted: append to the route with the smallest relative load (penalised).
        int best = -1;
        double best_fill = 0;
        for (std::size_t r = 0; r < routes_.size(); ++r) {
            const auto& R = routes_[r];
            if (R.size() == 0) continue;
            const auto& vt = data_.vehicle_type(R.type);
            double fill = 0;
            for (std::size_t d = 0; d < dims_; ++d)
                fill = std::max(
                    fill,
                    static_cast<double>(R.cl[static_cast<std::size_t>(R.size() + 1) * dims_ + d]) /
                        std::max<double>(1.0, static_cast<double>(vt.capacity[d])));
            if (best < 0 || fill < best_fill) best = static_cast<int>(r), best_fill = fill;
        }
        auto& nodes = routes_[best].nodes;
        nodes.pop_back();
        nodes.insert(nodes.end(), pending[k].begin(), pending[k].end());
        nodes.push_back(0);
        rebuild(best);
    }
}

std::vector<Route> LocalSearch::routes() const {
    std::vector<std::pair<double, std::size_t>> key;
    for (std::size_t r = 0; r < routes_.size(); ++r) {
        const auto& R = routes_[r];
        if (R.size() == 0) continue;
        double sx = 0, sy = 0;
        for (int p = 1; p <= R.size(); ++p) sx += data_.x(R.nodes[p]), sy += data_.y(R.nodes[p]);
        sx /= R.size(), sy /= R.size();
        key.emplace_back(std::atan2(sy - data_.y(0), sx - data_.x(0)), r);
    }
    std::sort(key.begin(), key.end());
    std::vector<Route> out;
    out.reserve(key.size());
    for (auto [a, r] : key) {
        (void)a;
        Route rt;
        rt.visits.assign(routes_[r].nodes.begin() + 1, routes_[r].nodes.end() - 1);
        rt.vehicle_type = routes_[r].type;
        out.push_back(std::move(rt));
    }
    return out;
}

double LocalSearch::penalised_cost() const {
    double c = 0;
    for (const auto& R : routes_) c += R.cost;
    return c;
}

double LocalSearch::recompute_penalised_cost() const {
    double c = 0;
    std::vector<Load> load(dims_);
    for (const auto& R : routes_) {
        if (R.size() == 0) continue;
        Distance dist = 0;
        Duration dur = 0;
        std::fill(load.begin(), load.end(), 0);
        for (std::size_t p = 1; p < R.nodes.size(); ++p) {
            dist += data_.dist(R.nodes[p - 1], R.nodes[p]);
            dur += data_.duration(R.nodes[p - 1], R.nodes[p]) + svc(R.nodes[p]);
            for (std::size_t d = 0; d < dims_; ++d) load[d] += data_.demand(R.nodes[p], d);
        }
        c += route_cost(R.type, dist, dur, load.data(), nullptr) + exact_energypen(R.type, R.nodes);
    }
    return c;
}

bool LocalSearch::load_feasible() const {
    for (const auto& R : routes_)
        if (R.size() > 0 && R.loadpen > 0) return false;
    for (const auto& R : routes_) {
        if (R.size() == 0) continue;
        const auto& t = data_.vehicle_type(R.type);
        for (std::size_t d = 0; d < dims_; ++d)
            if (R.cl[static_cast<std::size_t>(R.size() + 1) * dims_ + d] > t.capacity[d])
                return false;
    }
    return true;
}
bool LocalSearch::duration_feasible() const {
    for (const auto& R : routes_)
        if (R.size() > 0 && R.dur > data_.vehicle_type(R.type).max_duration) return false;
    return true;
}
bool LocalSearch::energy_feasible() const {
    for (const auto& R : routes_)
        if (R.size() > 0 && R.eexcess > 0) return false;
    return true;
}
bool LocalSearch::distance_feasible() const {
    for (const auto& R : routes_)
        if (R.size() > 0 && R.dist > data_.vehicle_type(R.type).max_distance) return false;
    return true;
}

}  // namespace lastmile
