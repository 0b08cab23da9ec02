#include "search/trip_state.h"

namespace lastmile {
namespace {

bool is_depot(const ProblemData& data, std::int32_t c) {
    return data.is_depot(static_cast<std::size_t>(c));
}

TripLoad load_of(const ProblemData& data, std::int32_t c, std::size_t d) {
    return is_depot(data, c) ? TripLoad::depot()
                             : TripLoad::client(data.load_seg(static_cast<std::size_t>(c), d));
}

TripTime time_of(const ProblemData& data, std::int32_t c) {
    return is_depot(data, c) ? TripTime::depot(static_cast<std::size_t>(c))
                             : TripTime::client(data, static_cast<std::size_t>(c));
}

}  // namespace

void build_trip_prefix(const ProblemData& data, RouteState& R) {
    const int m = R.size();
    const std::size_t dims = data.num_dims(), len = static_cast<std::size_t>(m) + 2;
    const auto k = static_cast<std::size_t>(R.type);
    const auto& cap = data.vehicle_type(k).capacity;
    const auto& N = R.nodes;
    R.rc.assign(len, 0);
    for (int p = 1; p <= m; ++p) R.rc[p] = R.rc[p - 1] + (is_depot(data, N[p]) ? 1 : 0);
    R.rc[m + 1] = R.rc[m];
    R.lt_f.assign(len * dims, TripLoad{});
    R.lt_b.assign(len * dims, TripLoad{});
    for (std::size_t d = 0; d < dims; ++d) {
        for (int p = 1; p <= m; ++p)
            R.lt_f[p * dims + d] =
                TripLoad::merge(R.lt_f[(p - 1) * dims + d], load_of(data, N[p], d), cap[d]);
        R.lt_f[(m + 1) * dims + d] = R.lt_f[m * dims + d];
        for (int p = m; p >= 1; --p)
            R.lt_b[p * dims + d] =
                TripLoad::merge(load_of(data, N[p], d), R.lt_b[(p + 1) * dims + d], cap[d]);
        R.lt_b[d] = R.lt_b[dims + d];
    }
    if (!data.has_time_windows()) return;
    R.tt_f.assign(len, TripTime{});
    R.tt_b.assign(len, TripTime{});
    for (int p = 1; p <= m; ++p)
        R.tt_f[p] = TripTime::merge(data, k, R.tt_f[p - 1], time_of(data, N[p]));
    R.tt_f[m + 1] = R.tt_f[m];
    for (int p = m; p >= 1; --p)
        R.tt_b[p] = TripTime::merge(data, k, time_of(data, N[p]), R.tt_b[p + 1]);
    R.tt_b[0] = R.tt_b[1];
}

bool trips_compatible(const ProblemData& data, int from, int to) {
    const auto& a = data.vehicle_type(static_cast<std::size_t>(from));
    const auto& b = data.vehicle_type(static_cast<std::size_t>(to));
    return a.capacity == b.capacity && a.reload_time == b.reload_time &&
           a.reload_depots == b.reload_depots;
}

bool concat_trips(const ProblemData& data, const std::vector<RouteState>& routes,
                  const std::vector<char>& compatible, int type, const Seg* s, int ns, bool time,
                  TripConcat& out, Load* excess) {
    const std::size_t dims = data.num_dims(), nt = data.num_vehicle_types();
    const auto k = static_cast<std::size_t>(type);
    const auto& cap = data.vehicle_type(k).capacity;
    // Pass 1: reload counts and the checks that send the concatenation to the walk.
    out.reloads = 0;
    bool prev_depot = true;  // the start depot
    for (int q = 0; q < ns; ++q) {
        const auto& R = routes[s[q].r];
        const int lo = std::max(s[q].i, 1), hi = std::min(s[q].j, R.size());
        if (lo > hi) continue;
        const int cnt = R.rc[hi] - R.rc[lo - 1];
        if (cnt > 0 && !compatible[static_cast<std::size_t>(R.type) * nt + k]) return false;
        const auto& N = R.nodes;
        const std::int32_t first = s[q].rev ? N[hi] : N[lo], last = s[q].rev ? N[lo] : N[hi];
        if (prev_depot && is_depot(data, first)) return false;
        prev_depot = is_depot(data, last);
        out.reloads += cnt;
    }
    if (prev_depot) return false;  // a reload last (or no client at all)
    // Load per dimension: prefix/suffix pieces in O(1), other pieces walked.
    for (std::size_t d = 0; d < dims; ++d) {
        TripLoad acc;
        for (int q = 0; q < ns; ++q) {
            const auto& R = routes[s[q].r];
            const int m = R.size(), lo = std::max(s[q].i, 1), hi = std::min(s[q].j, m);
            if (lo > hi) continue;
            TripLoad piece;
            if (!s[q].rev && lo == 1) {
                piece = R.lt_f[static_cast<std::size_t>(hi) * dims + d];
            } else if (!s[q].rev && hi == m) {
                piece = R.lt_b[static_cast<std::size_t>(lo) * dims + d];
            } else if (R.rc[hi] == R.rc[lo - 1]) {  // clients only: plain load segments
                LoadSeg l;
                if (!s[q].rev)
                    for (int p = lo; p <= hi; ++p)
                        l = LoadSeg::merge(l,
                                           data.load_seg(static_cast<std::size_t>(R.nodes[p]), d));
                else
                    for (int p = hi; p >= lo; --p)
                        l = LoadSeg::merge(l,
                                           data.load_seg(static_cast<std::size_t>(R.nodes[p]), d));
                piece = TripLoad::client(l);
            } else if (!s[q].rev) {
                for (int p = lo; p <= hi; ++p)
                    piece = TripLoad::merge(piece, load_of(data, R.nodes[p], d), cap[d]);
            } else {
                for (int p = hi; p >= lo; --p)
                    piece = TripLoad::merge(piece, load_of(data, R.nodes[p], d), cap[d]);
            }
            acc = TripLoad::merge(acc, piece, cap[d]);
        }
        excess[d] = acc.excess(cap[d]);
    }
    if (!time) return true;
    TripTime acc;
    for (int q = 0; q < ns; ++q) {
        const auto& R = routes[s[q].r];
        const int m = R.size(), lo = std::max(s[q].i, 1), hi = std::min(s[q].j, m);
        if (lo > hi) continue;
        TripTime piece;
        const auto& N = R.nodes;
        if (!s[q].rev && lo == 1) {
            piece = R.tt_f[hi];
        } else if (!s[q].rev && hi == m) {
            piece = R.tt_b[lo];
        } else if (R.rc[hi] == R.rc[lo - 1]) {  // clients only: plain time segments
            const int step = s[q].rev ? -1 : 1, from = s[q].rev ? hi : lo, to = s[q].rev ? lo : hi;
            TimeSeg t = data.visit_seg(static_cast<std::size_t>(N[from]));
            for (int p = from + step; p != to + step; p += step)
                t = TimeSeg::merge(t, data.duration(N[p - step], N[p]),
                                   data.visit_seg(static_cast<std::size_t>(N[p])));
            piece.head = TimePart{t, N[from], N[to]};
        } else if (!s[q].rev) {
            for (int p = lo; p <= hi; ++p)
                piece = TripTime::merge(data, k, piece, time_of(data, R.nodes[p]));
        } else {
            for (int p = hi; p >= lo; --p)
                piece = TripTime::merge(data, k, piece, time_of(data, R.nodes[p]));
        }
        acc = TripTime::merge(data, k, acc, piece);
    }
    const TimePart all = acc.close(data, k);
    out.time = TimeSeg::merge(
        TimeSeg::merge(data.start_seg(k), data.duration(data.start_node(k), all.first), all.s),
        data.duration(all.last, data.end_node(k)), data.end_seg(k));
    return true;
}

}  // namespace lastmile
