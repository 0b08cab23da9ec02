"""Driver breaks in the OR-Tools reference (see :mod:`lastmile_core.breaks` for the model).

Per OR-Tools vehicle of a type with ``break_duration > 0``: one optional
``solver.FixedDurationIntervalVar`` of the break's duration whose start lies in the type's break
window, performed exactly when the vehicle is used (``ActiveVehicleVar``) and kept inside the
route (start cumul <= break start, break end <= end cumul), registered with
``time.SetBreakIntervalsOfVehicle`` and the service time of every node as its visit transit (the
break does not overlap a service). OR-Tools may then take the break anywhere between two
services, also in the middle of a drive; lastmile_core takes it at a stop (before the drive). A
drive split by the break ends at the same time as the break taken before the drive whenever the
window does not force the split, so the two models agree on such instances; OR-Tools' model is
otherwise a relaxation (its objective can be lower than our evaluation of the same routes).
"""

from __future__ import annotations

from typing import Any

from .. import _core


def add_breaks(
    routing: Any,
    manager: Any,
    types: list[_core.VehicleType],
    vehicle_type_of: list[int],
    service: list[int],
    horizon: int,
) -> None:
    """Adds the break intervals of every vehicle of a type with a break to the ``time``
    dimension (which must exist)."""
    if not any(int(types[k].break_duration) > 0 for k in vehicle_type_of):
        return
    solver = routing.solver()
    time_dim = routing.GetDimensionOrDie("time")
    num_indices = int(manager.GetNumberOfIndices())
    visit = [0] * num_indices
    for i in range(num_indices):
        if not routing.IsStart(i) and not routing.IsEnd(i):
            visit[i] = int(service[int(manager.IndexToNode(i))])
    for v, k in enumerate(vehicle_type_of):
        vt = types[k]
        bd = int(vt.break_duration)
        if bd <= 0:
            continue
        late = horizon if vt.break_late is None else min(int(vt.break_late), horizon)
        brk = solver.FixedDurationIntervalVar(int(vt.break_early), late, bd, True, f"break{v}")
        solver.Add(brk.PerformedExpr() == routing.ActiveVehicleVar(v))
        solver.Add(brk.SafeStartExpr(horizon) >= time_dim.CumulVar(routing.Start(v)))
        solver.Add(brk.SafeEndExpr(0) <= time_dim.CumulVar(routing.End(v)))
        time_dim.SetBreakIntervalsOfVehicle([brk], v, visit)


__all__ = ["add_breaks"]
