// SISR recreate: blink insertion of the removed clients in one of four orders (Christiaens &
// Vanden Berghe 2020), split from sisr.cpp (the ruin and the annealing loop live there).
#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/route_break.h"
#include "meta/sisr.h"

namespace lastmile {
namespace {
constexpr Distance kUnknown = -1;  // recreate's try_pos: an edge distance still to be read
}  // namespace

bool Sisr::recreate(std::vector<std::int32_t>& removed) {
    // Order: random, demand, far, close with weights sisr_order_* (paper: 4, 4, 2, 1).
    const int w_random = params_.sisr_order_random, w_demand = w_random + params_.sisr_order_demand,
              w_far = w_demand + params_.sisr_order_far, w_all = w_far + params_.sisr_order_close;
    const int w = rng_.below_int(w_all);
    if (w < w_random) {
        rng_.shuffle(removed);
    } else if (w < w_demand) {
        std::stable_sort(removed.begin(), removed.end(),
                         [&](int a, int b) { return data_.demand(a, 0) > data_.demand(b, 0); });
    } else if (w < w_far) {
        std::stable_sort(removed.begin(), removed.end(),
                         [&](int a, int b) { return data_.dist(0, a) > data_.dist(0, b); });
    } else {
        std::stable_sort(removed.begin(), removed.end(),
                         [&](int a, int b) { return data_.dist(0, a) < data_.dist(0, b); });
    }
    const double blink = params_.sisr_blink;
    // Symmetric matrix: read dist(c, a) for dist(a, c), so every distance an insertion of c
    // needs comes from row c of an explicit matrix (a few cache lines) rather than column c.
    const bool sym = data_.dense() && data_.symmetric();  // exact: the matrix was checked
    // Only distance prices or limits an insertion (no windows, pickups, batteries, durations).
    const bool plain = !time_ && !need_dur_ && !data_.has_pickups() && !ev_.active();
    std::vector<int> fitting;
    std::vector<double> fit_cost;
    std::vector<std::int32_t> cand;  // a route with c inserted (types with a driver break)
    for (const auto c : removed) {
        const Load* q = data_.demand_row(c);
        double best = 1e300;
        int br = -1, bpos = -1;
        // Insert c before position pos (0..len) of route r; dac / dcb: dist(a, c) / dist(c, b)
        // when the caller knows it (from the neighbour list), else kUnknown.
        auto try_pos = [&](int r, int pos, Distance dac = kUnknown, Distance dcb = kUnknown) {
            const auto& x = routes_[r];
            const auto& t = data_.vehicle_type(x.type);
            const auto k = static_cast<std::size_t>(x.type);
            const int a = pos == 0 ? static_cast<int>(data_.start_node(k)) : x.v[pos - 1];
            const int b = pos == static_cast<int>(x.v.size()) ? static_cast<int>(data_.end_node(k))
                                                              : x.v[pos];
            if (dac == kUnknown) dac = sym ? data_.dist(c, a) : data_.dist(a, c);
            if (dcb == kUnknown) dcb = data_.dist(c, b);
            const Distance dd = dac + dcb - x.ed[static_cast<std::size_t>(pos)];  // - dist(a, b)
            Duration dt = need_dur_ ? data_.duration(a, c) + data_.service(c) +
                                          data_.duration(c, b) - data_.duration(a, b)
                                    : 0;
            TimeSeg ts;
            if (time_) {  // O(1): depot + prefix, c, suffix + depot
                ts = TimeSeg::merge(TimeSeg::merge(x.tf[pos], data_.duration(a, c),
                                                   data_.visit_seg(static_cast<std::size_t>(c))),
                                    data_.duration(c, b), x.tb[pos]);
                dt = ts.dur - x.tdur;  // driver breaks: the delta without the break
            }
            const double cost = t.variable_cost(static_cast<double>(dd), static_cast<double>(dt));
            if (cost >= best) return;
            if (x.dist + dd > t.max_distance || x.dur + dt > t.max_duration) return;
            if (time_ && ts.total_warp() > 0) return;
            if (data_.has_pickups() && !x.lp.insert_fits(data_, static_cast<std::size_t>(pos),
                                                         static_cast<std::size_t>(c), t.capacity))
                return;
            if (const int ec = ev_.active() ? ev_.cls(x.type) : -1; ec >= 0) {
                double a1, b1, a2, b2;  // O(1): prefix + (a, c) + c + (c, b) + suffix
                ev_.coef(ec, static_cast<std::size_t>(a), static_cast<std::size_t>(c), a1, b1);
                ev_.coef(ec, static_cast<std::size_t>(c), static_cast<std::size_t>(b), a2, b2);
                const int last = static_cast<int>(x.v.size()) + 1;
                ESeg mid;
                mid.D = ev_.payload(ec, static_cast<std::size_t>(c));
                const ESeg e = ecat(ecat(x.evp.seg(0, pos, false), a1, b1, mid), a2, b2,
                                    x.evp.seg(pos + 1, last, false));
                if (eseg_energy(e) > ev_.limit(x.type)) return;
            }
            if (time_ && t.has_break()) {  // exact: the break can make an on-time route late
                cand.assign(x.v.begin(), x.v.begin() + pos);
                cand.push_back(static_cast<std::int32_t>(c));
                cand.insert(cand.end(), x.v.begin() + pos, x.v.end());
                const TimeSeg bs = route_break_plan(data_, k, cand.data(), cand.size()).seg;
                if (bs.total_warp() > 0 || bs.dur > t.max_duration) return;
            }
            if (rng_.uniform() < blink) return;
            best = cost, br = r, bpos = pos;
        };
        // Feasible load test per route, done once per candidate route.
        auto load_ok = [&](int r) {
            const auto& x = routes_[r];
            const auto& t = data_.vehicle_type(x.type);
            for (std::size_t d = 0; d < dims_; ++d)
                if (x.load[d] + q[d] > t.capacity[d]) return false;
            return true;
        };
        if (full_insert_) {
            // Every position of every route that holds one of c's neighbours.
            ++visit_stamp_;
            if (route_seen_.size() < routes_.size()) route_seen_.resize(routes_.size(), 0);
            for (auto p = nb_.begin(c); p != nb_.end(c); ++p) {
                const int r = route_of_[*p];
                if (r < 0 || route_seen_[r] == visit_stamp_) continue;
                route_seen_[r] = visit_stamp_;
                if (!load_ok(r)) continue;
                for (int pos = 0; pos <= static_cast<int>(routes_[r].v.size()); ++pos)
                    try_pos(r, pos);
            }
        } else {
            // The positions before and after each neighbour, each tried once: a position is named
            // by the client it precedes (or by its route's end), so a neighbour's "after" and the
            // next neighbour's "before" (common on long routes) cost one evaluation.
            ++visit_stamp_;
            if (route_seen_.size() < routes_.size()) route_seen_.resize(routes_.size(), 0);
            if (before_seen_.size() < data_.num_nodes()) before_seen_.resize(data_.num_nodes(), 0);
            if (fit_seen_.size() < routes_.size())
                fit_seen_.resize(routes_.size(), 0), fit_ok_.resize(routes_.size(), 0);
            auto fits = [&](int r) {  // load_ok(r), once per route and client
                if (fit_seen_[r] != visit_stamp_)
                    fit_seen_[r] = visit_stamp_, fit_ok_[r] = load_ok(r);
                return fit_ok_[r] != 0;
            };
            auto try_before = [&](int r, int pos, Distance dac, Distance dcb) {
                const auto& v = routes_[r].v;
                auto& mark =
                    pos == static_cast<int>(v.size()) ? route_seen_[r] : before_seen_[v[pos]];
                if (mark == visit_stamp_) return;
                mark = visit_stamp_;
                try_pos(r, pos, dac, dcb);
            };
            const Distance* to = nb_.dist_to(static_cast<std::size_t>(c));
            const Distance* from = nb_.dist_from(static_cast<std::size_t>(c));
            const int cnt = nb_.count(static_cast<std::size_t>(c));
            const std::int32_t* ids = nb_.begin(static_cast<std::size_t>(c));
            if (plain) {  // the same tests as try_pos, inlined: distance is all that matters
                const Distance* row =
                    data_.dense() ? data_.dist_row(static_cast<std::size_t>(c)) : nullptr;
                auto try_plain = [&](int r, int pos, Distance dac, Distance dcb) {
                    const auto& x = routes_[r];
                    const auto len = static_cast<int>(x.v.size());
                    auto& mark = pos == len ? route_seen_[r] : before_seen_[x.v[pos]];
                    if (mark == visit_stamp_) return;
                    mark = visit_stamp_;
                    const auto k = static_cast<std::size_t>(x.type);
                    if (dac == kUnknown) {
                        const auto a =
                            pos == 0 ? data_.start_node(k) : static_cast<std::size_t>(x.v[pos - 1]);
                        dac = sym ? row[a] : data_.dist(a, static_cast<std::size_t>(c));
                    } else {
                        const auto b =
                            pos == len ? data_.end_node(k) : static_cast<std::size_t>(x.v[pos]);
                        dcb = row ? row[b] : data_.dist(static_cast<std::size_t>(c), b);
                    }
                    const Distance dd = dac + dcb - x.ed[static_cast<std::size_t>(pos)];
                    const auto& t = data_.vehicle_type(x.type);
                    const double cost = t.variable_cost(static_cast<double>(dd), 0.0);
                    if (cost >= best || x.dist + dd > t.max_distance) return;
                    if (rng_.uniform() < blink) return;
                    best = cost, br = r, bpos = pos;
                };
                for (int p = 0; p < cnt; ++p) {
                    const int j = ids[p];
                    const int r = route_of_[j];
                    if (r < 0 || !fits(r)) continue;
                    try_plain(r, pos_of_[j], kUnknown, to[p]);
                    try_plain(r, pos_of_[j] + 1, from[p], kUnknown);
                }
            } else {
                for (int p = 0; p < cnt; ++p) {
                    const int j = ids[p];
                    const int r = route_of_[j];
                    if (r < 0 || !fits(r)) continue;
                    try_before(r, pos_of_[j], kUnknown, to[p]);        // a = j's predecessor, b = j
                    try_before(r, pos_of_[j] + 1, from[p], kUnknown);  // a = j
                }
            }
        }
        if (no_new_routes_) {  // route elimination: insert c at any feasible position, else fail
            if (br < 0)
                for (int r = 0; r < static_cast<int>(routes_.size()); ++r)
                    if (!routes_[r].v.empty() && load_ok(r))
                        for (int pos = 0; pos <= static_cast<int>(routes_[r].v.size()); ++pos)
                            try_pos(r, pos);
            if (br < 0) return false;
        } else {
            // New route with the cheapest type that has a vehicle left and fits.
            int bt = -1, nfit = 0;
            double bt_cost = 1e300;
            fitting.resize(data_.num_vehicle_types());
            fit_cost.resize(data_.num_vehicle_types());
            for (std::size_t k = 0; k < data_.num_vehicle_types(); ++k) {
                const auto& t = data_.vehicle_type(k);
                if (used_[k] >= t.num_available) continue;
                bool ok = true;
                for (std::size_t d = 0; d < dims_ && ok; ++d)
                    ok = q[d] <= t.capacity[d] && data_.pickup(c, d) <= t.capacity[d];
                if (ok && ev_.active() && ev_.cls(static_cast<int>(k)) >= 0) {
                    const std::int32_t one[3] = {0, c, 0};
                    double tot, peak;
                    ev_.route_energy(ev_.cls(static_cast<int>(k)), one, 3, tot, peak);
                    ok = peak <= ev_.limit(static_cast<int>(k));
                }
                const std::size_t s0 = data_.start_node(k), e0 = data_.end_node(k);
                const Distance dd = data_.dist(s0, c) + data_.dist(c, e0);
                Duration dt = need_dur_
                                  ? data_.duration(s0, c) + data_.service(c) + data_.duration(c, e0)
                                  : 0;
                if (ok && time_) {
                    TimeSeg one =
                        TimeSeg::merge(TimeSeg::merge(data_.start_seg(k), data_.duration(s0, c),
                                                      data_.visit_seg(c)),
                                       data_.duration(c, e0), data_.end_seg(k));
                    if (t.has_break()) one = route_break_plan(data_, k, &c, 1).seg;
                    dt = one.dur;
                    ok = one.total_warp() == 0;
                }
                if (!ok || dd > t.max_distance || dt > t.max_duration) continue;
                const double cost = t.route_cost(static_cast<double>(dd), static_cast<double>(dt));
                if (cost < bt_cost) bt_cost = cost, bt = static_cast<int>(k);
                fitting[nfit] = static_cast<int>(k);
                fit_cost[nfit++] = cost;
            }
            // Mixed fleet: with probability sisr_type_mix open a random fitting type instead of the
            // cheapest, so that larger (dearer per route) vehicles get a chance to absorb more
            // customers later.
            if (nfit > 1 && rng_.uniform() < params_.sisr_type_mix) {
                const int pick = rng_.below_int(nfit);
                bt = fitting[pick], bt_cost = fit_cost[pick];
            }
            if (bt >= 0 && bt_cost < best) {
                int e = -1;
                for (std::size_t r = 0; r < routes_.size() && e < 0; ++r)
                    if (routes_[r].v.empty() && !touched_[r]) e = static_cast<int>(r);
                if (e < 0) {
                    routes_.push_back(R{});
                    touched_.push_back(0);
                    e = static_cast<int>(routes_.size()) - 1;
                }
                touch(e);
                routes_[e].type = bt;
                routes_[e].v = {c};
                recompute(e);
                ++used_[bt];
                continue;
            }
        }
        if (br < 0) return false;
        touch(br);
        auto& x = routes_[br];
        const auto bk = static_cast<std::size_t>(x.type);
        const int a = bpos == 0 ? static_cast<int>(data_.start_node(bk)) : x.v[bpos - 1];
        const int b =
            bpos == static_cast<int>(x.v.size()) ? static_cast<int>(data_.end_node(bk)) : x.v[bpos];
        const Distance dac = data_.dist(a, c), dcb = data_.dist(c, b);
        x.dist += dac + dcb - x.ed[static_cast<std::size_t>(bpos)];
        x.ed[static_cast<std::size_t>(bpos)] = dac;
        x.ed.insert(x.ed.begin() + bpos + 1, dcb);
        if (need_dur_)
            x.dur += data_.duration(a, c) + data_.service(c) + data_.duration(c, b) -
                     data_.duration(a, b);
        for (std::size_t d = 0; d < dims_; ++d) x.load[d] += q[d];
        x.v.insert(x.v.begin() + bpos, c);
        route_of_[c] = br;
        for (std::size_t p = static_cast<std::size_t>(bpos); p < x.v.size(); ++p)
            pos_of_[x.v[p]] = static_cast<std::int32_t>(p);
        refresh_cost(br);
    }
    return true;
}

}  // namespace lastmile
