// Segments of multi-trip routes (reload visits among the visits), so that a route made of pieces
// of existing routes is evaluated in O(pieces) as without reloads (core/load_segment.h,
// core/time_window.h). A sequence of visits containing reloads is summarised by
//   head:  its clients before its first reload (they may be the first trip of the route: their
//          releases bound the departure from the start depot),
//   mid:   from its first reload up to its last one, whose trips are complete (every reload in
//          it waits for the latest release of the trip it starts; capacity of its trips closed),
//   last:  its last reload visit, still open: the trip it starts may continue in the next piece,
//   tail:  its clients after that reload (and their latest release, which the reload waits for).
// Concatenation closes the trip between the last reload of the first piece and the first reload
// of the second. The capacity (TripLoad) and the reload time (TripTime) are those of the route's
// vehicle type, fixed when the trips close: a piece evaluated for another type is recomputed.
#pragma once
#include <algorithm>
#include <cstdint>

#include "core/problem.h"

namespace lastmile {

/// Load summary of one dimension.
struct TripLoad {
    LoadSeg head, tail;  // clients before the first reload / after the last one
    Load closed = 0;     // capacity excess of the complete trips in between
    bool reload = false;

    static TripLoad client(const LoadSeg& s) { return TripLoad{s, {}, 0, false}; }
    static TripLoad depot() { return TripLoad{{}, {}, 0, true}; }
    static TripLoad merge(const TripLoad& a, const TripLoad& b, Load cap) {
        if (!b.reload) {
            if (!a.reload) return TripLoad{LoadSeg::merge(a.head, b.head), {}, 0, false};
            return TripLoad{a.head, LoadSeg::merge(a.tail, b.head), a.closed, true};
        }
        if (!a.reload) return TripLoad{LoadSeg::merge(a.head, b.head), b.tail, b.closed, true};
        return TripLoad{a.head, b.tail,
                        a.closed + b.closed + LoadSeg::merge(a.tail, b.head).excess(cap), true};
    }
    /// Capacity excess summed over the trips of a whole route.
    Load excess(Load cap) const {
        return head.excess(cap) + (reload ? closed + tail.excess(cap) : 0);
    }
};

/// A time segment with its first and last node (first < 0: empty).
struct TimePart {
    TimeSeg s;
    std::int32_t first = -1, last = -1;

    bool empty() const { return first < 0; }
    static TimePart cat(const ProblemData& data, const TimePart& a, const TimePart& b) {
        if (a.empty()) return b;
        if (b.empty()) return a;
        return TimePart{TimeSeg::merge(a.s, data.duration(a.last, b.first), b.s), a.first, b.last};
    }
};

/// Time summary for routes of vehicle type `k` (the reload time of the reloads in mid).
struct TripTime {
    TimePart head;           // releases in head.s.release
    TimePart mid;            // release 0 (applied at its reloads)
    std::int32_t last = -1;  // node of the last reload (-1: no reload)
    TimePart tail;           // release 0
    Duration tail_rel = 0;   // latest release of the tail's clients

    static TripTime client(const ProblemData& data, std::size_t c) {
        TripTime t;
        t.head =
            TimePart{data.visit_seg(c), static_cast<std::int32_t>(c), static_cast<std::int32_t>(c)};
        return t;
    }
    static TripTime depot(std::size_t node) {
        TripTime t;
        t.last = static_cast<std::int32_t>(node);
        return t;
    }
    static TimePart reload(const ProblemData& data, std::size_t k, std::int32_t node,
                           Duration rel) {
        return TimePart{data.reload_seg(k, static_cast<std::size_t>(node), rel), node, node};
    }
    static TripTime merge(const ProblemData& data, std::size_t k, const TripTime& a,
                          const TripTime& b) {
        TripTime t;
        if (b.last < 0) {
            if (a.last < 0) {
                t.head = TimePart::cat(data, a.head, b.head);
                return t;
            }
            t = a;
            TimePart bh = b.head;
            bh.s.release = 0;  // a later trip: its release waits at the reload
            t.tail = TimePart::cat(data, a.tail, bh);
            t.tail_rel = std::max(a.tail_rel, b.head.s.release);
            return t;
        }
        if (a.last < 0) {
            t = b;
            t.head = TimePart::cat(data, a.head, b.head);
            return t;
        }
        TimePart trip = b.head;
        trip.s.release = 0;
        const Duration rel = std::max(a.tail_rel, b.head.s.release);
        trip = TimePart::cat(data, a.tail, trip);
        t.head = a.head;
        t.mid = TimePart::cat(
            data,
            TimePart::cat(data, TimePart::cat(data, a.mid, reload(data, k, a.last, rel)), trip),
            b.mid);
        t.last = b.last;
        t.tail = b.tail;
        t.tail_rel = b.tail_rel;
        return t;
    }
    /// The visits as one time part (the last reload waits for the tail's release).
    TimePart close(const ProblemData& data, std::size_t k) const {
        if (last < 0) return head;
        return TimePart::cat(
            data,
            TimePart::cat(data, TimePart::cat(data, head, mid), reload(data, k, last, tail_rel)),
            tail);
    }
};

}  // namespace lastmile
