#include "search/search_state.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/trip_eval.h"
#include "search/trip_state.h"

namespace lastmile {

SearchState::SearchState(const ProblemData& data, std::shared_ptr<const EvArcCache> ev_cache)
    : data_(data), dims_(data.num_dims()), energy_(data, std::move(ev_cache)), fleet_(data) {
    const std::size_t n = data.num_nodes();
    pen_.load.assign(dims_, 1.0);
    need_dur_ = false;
    for (const auto& t : data.vehicle_types())
        need_dur_ |= t.cost_per_duration != 0 || t.max_duration < kUnlimited;
    time_ = data.has_time_windows();
    need_dur_ |= time_;
    routes_.reserve(fleet_.total_slots());  // slots are created lazily; references stay valid
    route_of_.assign(n, -1);
    pos_of_.assign(n, 0);
    angle_.resize(n);
    const double pi = 3.14159265358979323846;
    for (std::size_t i = 0; i < n; ++i) {
        const double a = std::atan2(data.y(i) - data.y(0), data.x(i) - data.x(0));
        angle_[i] = std::clamp(static_cast<int>((a + pi) / (2 * pi) * kCircle), 0, kCircle - 1);
    }
    tmp_load_.resize(dims_);
    if (data.has_reloads()) {
        const std::size_t nt = data.num_vehicle_types();
        trips_compatible_.resize(nt * nt);
        for (std::size_t a = 0; a < nt; ++a)
            for (std::size_t b = 0; b < nt; ++b)
                trips_compatible_[a * nt + b] =
                    trips_compatible(data, static_cast<int>(a), static_cast<int>(b)) ? 1 : 0;
    }
}

void SearchState::set_penalties(const Penalties& p) {
    pen_ = p;
    for (auto& R : routes_)
        if (R.size() > 0 && R.reloads > 0) {
            rebuild_trips(R);
        } else if (R.size() > 0) {
            const auto& t = data_.vehicle_type(R.type);
            R.cost = penalised_route_cost(t, pen_, R.dist, R.dur, R.route_load(dims_), dims_,
                                          &R.loadpen) +
                     pen_.energy * R.eexcess;
            if (time_) R.cost += pen_.time_warp * static_cast<double>(R.warp);
            R.pen = R.cost - t.route_cost(static_cast<double>(R.dist), static_cast<double>(R.dur));
        }
}

void SearchState::rebuild(int r) {
    auto& R = routes_[r];
    const std::size_t m = R.nodes.size();
    R.build_prefix(data_, need_dur_);
    if (time_) R.build_time(data_);
    if (data_.has_pickups()) R.build_load(data_);
    if (data_.has_reloads()) build_trip_prefix(data_, R);
    R.reloads = 0;
    for (std::size_t p = 1; p + 1 < m; ++p) {
        if (data_.has_reloads() && data_.is_depot(static_cast<std::size_t>(R.nodes[p]))) {
            ++R.reloads;  // a reload visit: not a client, no position
            continue;
        }
        route_of_[R.nodes[p]] = r;
        pos_of_[R.nodes[p]] = static_cast<std::int32_t>(p);
    }
    energy_.rebuild(R);
    R.modified = counter_;
    R.version = ++version_;
    const auto& t = data_.vehicle_type(R.type);
    R.wd = t.cost_per_distance;
    R.wt = t.cost_per_duration;
    if (R.size() > 0 && R.reloads > 0) {
        rebuild_trips(R);
        R.build_sector(angle_);
    } else if (R.size() > 0) {
        R.cost =
            penalised_route_cost(t, pen_, R.dist, R.dur, R.route_load(dims_), dims_, &R.loadpen) +
            pen_.energy * R.eexcess;
        if (time_) R.cost += pen_.time_warp * static_cast<double>(R.warp);
        R.pen = R.cost - t.route_cost(static_cast<double>(R.dist), static_cast<double>(R.dur));
        R.build_sector(angle_);
    } else {
        R.cost = 0, R.loadpen = 0, R.pen = 0;
    }
}

int SearchState::empty_slot(int type) {
    const int found = fleet_.find_empty(type, routes_);
    if (found >= 0) return found;
    if (!fleet_.can_create(type)) return -1;
    routes_.emplace_back();
    const int e = static_cast<int>(routes_.size()) - 1;
    routes_[e].type = type;
    routes_[e].nodes = depot_pair(type);
    rebuild(e);
    fleet_.created(type, e);
    return e;
}

SearchState::Eval SearchState::eval_base(int type, const Seg* s, int ns) const {
    if (data_.has_reloads() && reload_pieces(s, ns)) {
        Eval e;
        return eval_trip_segments(type, s, ns, e) ? e : eval_walk(type, s, ns);
    }
    const SegTotals tot = concat_totals(data_, routes_, s, ns, need_dur_ && !time_, type);
    Eval e;
    e.dist = tot.dist;
    e.dur = tot.dur;
    e.clients = tot.clients;
    if (e.clients == 0) return e;
    if (time_) {
        const TimeSeg ts = concat_time(data_, routes_, type, s, ns);
        e.dur = ts.dur;
        e.warp = ts.total_warp();
    }
    e.base = base_cost(data_.vehicle_type(type), pen_, e.dist, e.dur);
    if (time_) e.base += pen_.time_warp * static_cast<double>(e.warp);
    return e;
}

double SearchState::eval_loadpen(int type, const Seg* s, int ns) const {
    if (data_.has_reloads() && reload_pieces(s, ns)) {
        TripConcat tc;  // the load part only (eval_base priced the rest)
        if (!concat_trips(data_, routes_, trips_compatible_, type, s, ns, false, tc,
                          tmp_load_.data()))
            eval_walk(type, s, ns);
        double lp = 0;
        for (std::size_t d = 0; d < dims_; ++d)
            lp += pen_.load[d] * static_cast<double>(tmp_load_[d]);
        return lp;
    }
    if (data_.has_pickups())
        concat_peak(data_, routes_, s, ns, tmp_load_.data());
    else
        concat_load(routes_, s, ns, dims_, tmp_load_.data());
    return load_penalty(data_.vehicle_type(type), pen_, tmp_load_.data(), dims_);
}

double SearchState::sequence_cost(int type, const std::vector<std::int32_t>& nodes) const {
    if (data_.has_reloads() && has_inner_depot(data_, nodes.data(), nodes.size())) {
        walk_buf_ = nodes;
        normalize_reloads(data_, walk_buf_);
        double lp = 0;
        const Eval e = walk_visits(type, walk_buf_.data() + 1, walk_buf_.size() - 2, &lp);
        if (e.clients == 0) return 0;
        return e.base + lp + energy_.exact(type, walk_buf_, pen_.energy);
    }
    Distance dist = 0;
    Duration dur = 0;
    std::fill(tmp_load_.begin(), tmp_load_.end(), 0);
    const std::size_t m = nodes.size();
    const auto k = static_cast<std::size_t>(type);
    for (std::size_t p = 1; p < m; ++p) {  // the type's depots at both ends
        const auto a = p == 1 ? data_.start_node(k) : static_cast<std::size_t>(nodes[p - 1]);
        const auto b = p + 1 == m ? data_.end_node(k) : static_cast<std::size_t>(nodes[p]);
        dist += data_.dist(a, b);
        dur += data_.duration(a, b) + service_of(data_, static_cast<int>(b));
        const Load* q = data_.demand_row(nodes[p]);
        for (std::size_t d = 0; d < dims_; ++d) tmp_load_[d] += q[d];
    }
    if (data_.has_pickups()) sequence_peak(data_, nodes, tmp_load_.data());
    double warp_pen = 0;
    if (time_) {
        const TimeSeg ts = sequence_time(data_, type, nodes);
        dur = ts.dur;
        warp_pen = pen_.time_warp * static_cast<double>(ts.total_warp());
    }
    return penalised_route_cost(data_.vehicle_type(type), pen_, dist, dur, tmp_load_.data(),
                                dims_) +
           energy_.exact(type, nodes, pen_.energy) + warp_pen;
}

void SearchState::apply(int r, std::vector<std::int32_t>&& nodes) {
    auto& R = routes_[r];
    const bool was_used = R.size() > 0;
    if (data_.has_reloads()) normalize_reloads(data_, nodes);  // as eval_walk evaluated it
    R.nodes.swap(nodes);
    rebuild(r);
    if (was_used && R.size() == 0) fleet_.released(R.type, r);
}

void SearchState::move_content(int r, int e) {
    std::swap(routes_[e].nodes, routes_[r].nodes);
    if (data_.multi_depot()) {
        set_depots(routes_[e].type, routes_[e].nodes);
        set_depots(routes_[r].type, routes_[r].nodes);
    }
    rebuild(e);
    rebuild(r);
    fleet_.released(routes_[r].type, r);
}

bool SearchState::try_move(int ra, const Seg* sa, int na, int rb, const Seg* sb, int nb) {
    const auto& A = routes_[ra];
    double old = A.cost;
    const Eval ea = eval_base(A.type, sa, na);
    double nw = ea.base;
    int eb_clients = 0;
    if (rb < 0) {
        // The route's total load is unchanged; with pickups its peak is not, nor are the
        // loads of its trips with reloads.
        const bool peaks = data_.has_pickups() || (data_.has_reloads() && reload_pieces(sa, na));
        if (ea.clients > 0) nw += peaks ? eval_loadpen(A.type, sa, na) : A.loadpen;
        if (nw - old >= -kMoveEps) return false;
    } else {
        const auto& B = routes_[rb];
        old += B.cost;
        const Eval eb = eval_base(B.type, sb, nb);
        eb_clients = eb.clients;
        nw += eb.base;
        if (nw - old >= -kMoveEps) return false;
        if (ea.clients > 0) nw += eval_loadpen(A.type, sa, na);
        if (eb.clients > 0) nw += eval_loadpen(B.type, sb, nb);
        if (nw - old >= -kMoveEps) return false;
    }
    // Battery: screen with the route totals (O(1) per segment, a lower bound of the exact
    // penalty), then confirm with the exact minimum-charge walk over the new routes.
    double ena = 0, enb = 0;
    if (energy_.active()) {
        if (ea.clients > 0) ena = energy_.screen(A.type, routes_, sa, na, pen_.energy);
        if (eb_clients > 0) enb = energy_.screen(routes_[rb].type, routes_, sb, nb, pen_.energy);
        nw += ena + enb;
        if (nw - old >= -kMoveEps) return false;
    }
    double delta = nw - old;
    concat_nodes(routes_, sa, na, buf_a_);
    if (rb >= 0) concat_nodes(routes_, sb, nb, buf_b_);
    if (data_.multi_depot()) {  // a piece of the other route may have brought its depot
        set_depots(A.type, buf_a_);
        if (rb >= 0) set_depots(routes_[rb].type, buf_b_);
    }
    if (energy_.active()) {
        nw += energy_.exact(A.type, buf_a_, pen_.energy) - ena;
        if (rb >= 0) nw += energy_.exact(routes_[rb].type, buf_b_, pen_.energy) - enb;
        if (nw - old >= -kMoveEps) return false;
        delta = nw - old;
    }
    begin_move(delta);
    apply(ra, std::move(buf_a_));
    if (rb >= 0) apply(rb, std::move(buf_b_));
    return true;
}

std::vector<std::int32_t> SearchState::depot_pair(int type) const {
    const auto k = static_cast<std::size_t>(type);
    return {static_cast<std::int32_t>(data_.start_node(k)),
            static_cast<std::int32_t>(data_.end_node(k))};
}

void SearchState::set_depots(int type, std::vector<std::int32_t>& nodes) const {
    const auto k = static_cast<std::size_t>(type);
    nodes.front() = static_cast<std::int32_t>(data_.start_node(k));
    nodes.back() = static_cast<std::int32_t>(data_.end_node(k));
}

void SearchState::reset_tested() {
    for (auto& R : routes_) R.tested_swapstar = -1;
}

void SearchState::load(const std::vector<Route>& input) {
    const std::size_t n = data_.num_clients() + 1, nt = fleet_.num_types();  // clients 1..n-1
    counter_ = 0;
    for (std::size_t r = 0; r < routes_.size(); ++r) {
        routes_[r].nodes = depot_pair(routes_[r].type);
        rebuild(static_cast<int>(r));
        routes_[r].tested_swapstar = -1;
    }
    fleet_.reset(routes_);
    std::fill(route_of_.begin(), route_of_.end(), -1);
    std::vector<char> seen(n, 0);
    std::vector<std::vector<std::int32_t>> pending;
    std::vector<int> pending_type;
    for (const auto& r : input) {
        std::vector<std::int32_t> v;
        for (auto c : r.visits) {
            if (c >= 1 && static_cast<std::size_t>(c) < n && !seen[c]) seen[c] = 1, v.push_back(c);
            // Reloads: depot visits stay (normalised for the slot's type below).
            else if (data_.has_reloads() && c >= 0 &&
                     static_cast<std::size_t>(c) < data_.num_nodes() &&
                     data_.is_depot(static_cast<std::size_t>(c)) && !v.empty())
                v.push_back(c);
        }
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
            const auto ends = depot_pair(routes_[e].type);
            nodes.assign(1, ends[0]);
            nodes.insert(nodes.end(), pending[k].begin(), pending[k].end());
            nodes.push_back(ends[1]);
            if (data_.has_reloads()) normalize_reloads(data_, nodes, routes_[e].type);
            rebuild(e);
            continue;
        }
        // Reloads: the new trip goes where it costs least in a route that may reload.
        if (data_.has_reloads() && insert_trip(pending[k])) continue;
        // Fleet exhausted: append to the route with the smallest relative load (penalised).
        int best = -1;
        double best_fill = 0;
        for (std::size_t r = 0; r < routes_.size(); ++r) {
            const auto& R = routes_[r];
            if (R.size() == 0) continue;
            const auto& vt = data_.vehicle_type(R.type);
            double fill = 0;
            for (std::size_t d = 0; d < dims_; ++d)
                fill =
                    std::max(fill, static_cast<double>(R.route_load(dims_)[d]) /
                                       std::max<double>(1.0, static_cast<double>(vt.capacity[d])));
            if (best < 0 || fill < best_fill) best = static_cast<int>(r), best_fill = fill;
        }
        auto& nodes = routes_[best].nodes;
        const std::int32_t end = nodes.back();
        nodes.pop_back();
        nodes.insert(nodes.end(), pending[k].begin(), pending[k].end());
        nodes.push_back(end);
        if (data_.has_reloads()) normalize_reloads(data_, nodes, routes_[best].type);
        rebuild(best);
    }
}

}  // namespace lastmile
