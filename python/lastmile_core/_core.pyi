"""Type stubs for the compiled extension lastmile_core._core (checked by mypy.stubtest)."""

import numpy as np
import numpy.typing as npt

UNLIMITED: int

# ---------------------------------------------------------------------------------------------
# core: problem model (cpp/core, cpp/bindings/bind_core.cpp)
# ---------------------------------------------------------------------------------------------

class VehicleType:
    def __init__(
        self,
        capacity: list[int],
        num_available: int | None = None,
        fixed_cost: float = 0.0,
        cost_per_distance: float = 1.0,
        cost_per_duration: float = 0.0,
        max_duration: int | None = None,
        max_distance: int | None = None,
        name: str = "",
        battery_kwh: float = 0.0,
        reserve_kwh: float = 0.0,
    ) -> None: ...
    @property
    def capacity(self) -> list[int]: ...
    @property
    def num_available(self) -> int | None: ...
    @property
    def fixed_cost(self) -> float: ...
    @property
    def cost_per_distance(self) -> float: ...
    @property
    def cost_per_duration(self) -> float: ...
    @property
    def max_duration(self) -> int | None: ...
    @property
    def max_distance(self) -> int | None: ...
    @property
    def name(self) -> str: ...
    @property
    def battery_kwh(self) -> float: ...
    @property
    def reserve_kwh(self) -> float: ...

class ProblemData:
    def __init__(
        self,
        coords: npt.ArrayLike,
        demand: npt.ArrayLike,
        service_time: npt.ArrayLike,
        vehicle_types: list[VehicleType],
        distance: str = "euclidean_rounded",
        distance_scale: float = 1.0,
        duration_per_distance: float = 1.0,
        distance_matrix: npt.ArrayLike | None = None,
        duration_matrix: npt.ArrayLike | None = None,
        elevation: npt.ArrayLike | None = None,
        zone: npt.ArrayLike | None = None,
        circuity: float = 1.0,
        dense_limit: int = 4000,
    ) -> None: ...
    @property
    def num_nodes(self) -> int: ...
    @property
    def num_clients(self) -> int: ...
    @property
    def num_dims(self) -> int: ...
    @property
    def vehicle_types(self) -> list[VehicleType]: ...
    @property
    def distance_kind(self) -> str: ...
    @property
    def distance_scale(self) -> float: ...
    @property
    def duration_per_distance(self) -> float: ...
    @property
    def circuity(self) -> float: ...
    @property
    def dense(self) -> bool: ...
    @property
    def coords(self) -> npt.NDArray[np.float64]: ...
    @property
    def demand(self) -> npt.NDArray[np.int64]: ...
    @property
    def service_time(self) -> npt.NDArray[np.int64]: ...
    @property
    def elevation(self) -> npt.NDArray[np.float64] | None: ...
    @property
    def zone(self) -> npt.NDArray[np.int32] | None: ...
    def dist(self, i: int, j: int) -> int: ...
    def duration(self, i: int, j: int) -> int: ...
    def distance_matrix(self) -> npt.NDArray[np.int64]: ...
    def duration_matrix(self) -> npt.NDArray[np.int64]: ...

class Route:
    def __init__(self, visits: list[int], vehicle_type: int = 0) -> None: ...
    @property
    def visits(self) -> list[int]: ...
    @property
    def vehicle_type(self) -> int: ...
    @property
    def distance(self) -> int: ...
    @property
    def duration(self) -> int: ...
    @property
    def service(self) -> int: ...
    @property
    def load(self) -> list[int]: ...
    @property
    def cost(self) -> float: ...
    def __len__(self) -> int: ...

class Solution:
    def __init__(self, data: ProblemData, routes: list[Route]) -> None: ...
    @property
    def routes(self) -> list[Route]: ...
    @property
    def num_routes(self) -> int: ...
    @property
    def cost(self) -> float: ...
    @property
    def distance(self) -> int: ...
    @property
    def duration(self) -> int: ...
    @property
    def feasible(self) -> bool: ...
    @property
    def violations(self) -> list[str]: ...

# ---------------------------------------------------------------------------------------------
# routing: construction, local search, metaheuristic (cpp/construct, cpp/search, cpp/meta)
# ---------------------------------------------------------------------------------------------

# (routing stubs go here)

# ---------------------------------------------------------------------------------------------
# metrics: batch route metrics (cpp/metrics)
# ---------------------------------------------------------------------------------------------

def batch_route_metrics(
    x: npt.ArrayLike,
    y: npt.ArrayLike,
    offsets: npt.ArrayLike,
    depot_x: npt.ArrayLike | None = None,
    depot_y: npt.ArrayLike | None = None,
    geographic: bool = False,
    packages: npt.ArrayLike | None = None,
    service_s: npt.ArrayLike | None = None,
    elevation_m: npt.ArrayLike | None = None,
    depot_elevation_m: npt.ArrayLike | None = None,
    demand: npt.ArrayLike | None = None,
    capacity: npt.ArrayLike | None = None,
    *,
    speed_kmh: npt.ArrayLike,
    circuity: float = 1.0,
    unit_km: float = 1.0,
    hull: bool = True,
    threads: int | None = None,
) -> dict[str, npt.NDArray[np.float64] | npt.NDArray[np.int64]]: ...
def convex_hull_area(x: npt.ArrayLike, y: npt.ArrayLike) -> float: ...

# ---------------------------------------------------------------------------------------------
# energy: vehicle energy model (cpp/energy)
# ---------------------------------------------------------------------------------------------

# (energy stubs go here)
