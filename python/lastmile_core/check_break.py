"""Driver breaks in the independent checker (pure Python/numpy, no code shared with the C++
evaluation): the schedule of a route with its break (see :mod:`lastmile_core.breaks`).

The break is a stop of ``break_duration`` whose start lies in ``[break_early, break_late]``,
taken after node position ``after`` of the route (0: at the start depot before leaving, p:
after the p-th visit's service, before the next drive; ``len(visits) + 1``: at the end depot on
arrival, the route ending when it ends). The schedule is simulated forward from the earliest
departure (waiting until each window opens; late arrivals, a late break start or a late return
are violations), and the duration is the earliest end minus the latest departure that still
achieves it (a backward pass), as without breaks. Given the solver's ``break_after`` and
``break_start``, the checker verifies that start: inside the window, not before the break can
start, and not delaying the end; without them it takes the position of least total lateness
(each late arrival counted, then continued from the closing time, as the solver's time warp),
then least duration (the first on ties), like the solver.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]


def _schedule(
    legs: list[int],
    stops: tuple[IntArray, IntArray, IntArray],
    depot: tuple[int, int, int, int],
    rel: int,
    brk: tuple[int, int, int],
    after: int,
    fixed_start: int | None = None,
) -> tuple[int, int, int, list[tuple[str, int, int, int]]]:
    """(duration, end, earliest break start, lateness events (what, stop index, time, limit))
    of the route with the break after node position ``after``; ``fixed_start``: the break
    starts then at the earliest."""
    lo, hi, svc = stops
    d_open, d_close, e_open, e_close = depot
    bd, be, bl = brk
    m = len(legs) - 1
    late: list[tuple[str, int, int, int]] = []
    b_first = 0

    def take(t: int) -> int:
        nonlocal b_first
        b = max(t, be)
        b_first = b
        if b > bl:
            late.append(("break", after, b, bl))
            b = bl  # late: the rest of the schedule as if on time (the lateness is time warp)
        if fixed_start is not None:
            b = max(b, fixed_start)
        return b + bd

    t = max(d_open, rel)
    if after == 0:
        t = take(t)
    for k in range(m):
        t += legs[k]
        if t > int(hi[k]):
            late.append(("stop", k, t, int(hi[k])))
            t = int(hi[k])
        t = max(t, int(lo[k])) + int(svc[k])
        if after == k + 1:
            t = take(t)
    t += legs[m]
    if after == m + 1:
        t = take(t)
    end = max(t, e_open)
    if end > e_close:
        late.append(("end", m, end, e_close))
    # Backward: latest start of every step that still ends at `end`, then the latest departure.
    latest = end
    if after == m + 1:
        latest = min(bl, latest - bd)
    latest -= legs[m]
    for k in range(m - 1, -1, -1):
        if after == k + 1:
            latest = min(bl, latest - bd)
        latest = min(int(hi[k]), latest - int(svc[k])) - legs[k]
    if after == 0:
        latest = min(bl, latest - bd)
    depart = max(min(latest, d_close), max(d_open, rel))
    return end - depart, end, b_first, late


def break_route_time(
    make: Any,
    r: int,
    vis: IntArray,
    drive: IntArray,
    stops: tuple[IntArray, IntArray, IntArray],
    rel: int,
    depot: tuple[int, int, int, int],
    brk: tuple[int, int, int],
    placed: tuple[int, int] | None,
    tscale: float,
) -> tuple[int, list[Any]]:
    """Duration (with waiting and the break) of one non-empty route of a type with a break, and
    its time violations (made by ``make(kind, message, route)``). ``placed``: the solver's
    (break_after, break_start), or None to place the break here."""
    legs = [int(x) for x in drive]
    m = len(legs) - 1
    out: list[Any] = []
    d_close = depot[1]
    if rel > d_close:
        out.append(
            make(
                "release",
                f"route {r}: a client is released at {rel / tscale:g} after the latest "
                f"departure {d_close / tscale:g}",
                r,
            )
        )
    if placed is None:
        best: tuple[int, int, int] | None = None
        for p in range(m + 2):
            dur, _end, _b, late = _schedule(legs, stops, depot, rel, brk, p)
            key = (sum(t - limit for _w, _k, t, limit in late), dur, p)
            if best is None or key < best:
                best = key
        assert best is not None
        after, start = best[2], None
    else:
        after, start = placed
        if not 0 <= after <= m + 1:
            out.append(
                make(
                    "break",
                    f"route {r}: break position {after} is not in [0, {m + 1}]",
                    r,
                )
            )
            return _schedule(legs, stops, depot, rel, brk, 0)[0], out
    dur, end, b_first, late = _schedule(legs, stops, depot, rel, brk, after)
    bd, be, bl = brk
    if start is not None:
        if not be <= start <= bl:
            out.append(
                make(
                    "break",
                    f"route {r}: the break starts at {start / tscale:g}, outside its window "
                    f"[{be / tscale:g}, {bl / tscale:g}]",
                    r,
                )
            )
        elif start < b_first:
            out.append(
                make(
                    "break",
                    f"route {r}: the break starts at {start / tscale:g} before the route can "
                    f"reach it ({b_first / tscale:g})",
                    r,
                )
            )
        elif _schedule(legs, stops, depot, rel, brk, after, start)[1] > end:
            out.append(
                make(
                    "break",
                    f"route {r}: a break of {bd / tscale:g} from {start / tscale:g} delays the "
                    f"route's end past {end / tscale:g}",
                    r,
                )
            )
    for what, k, t, limit in late:
        if what == "break":
            msg = (
                f"route {r}: the break can start at {t / tscale:g} at the earliest, after its "
                f"window closes at {limit / tscale:g}"
            )
            out.append(make("break", msg, r))
        elif what == "stop":
            msg = (
                f"route {r}: node {int(vis[k])} is reached at {t / tscale:g} after its window "
                f"closes at {limit / tscale:g} (with the break)"
            )
            out.append(make("time_window", msg, r))
        else:
            msg = (
                f"route {r}: returns to the depot at {t / tscale:g} after it closes / the "
                f"shift ends at {limit / tscale:g} (with the break)"
            )
            out.append(make("time_window", msg, r))
    return dur, out


__all__ = ["break_route_time"]
