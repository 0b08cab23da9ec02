"""Type stubs for the compiled extension lastmile_core._core (checked by mypy.stubtest)."""

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

UNLIMITED: int

class _pybind11_type(type):
    """The metaclass pybind11 gives every bound class (pybind11_builtins.pybind11_type)."""

# ---------------------------------------------------------------------------------------------
# core: problem model (cpp/core, cpp/bindings/bind_core.cpp)
# ---------------------------------------------------------------------------------------------

class VehicleType(metaclass=_pybind11_type):
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
        energy_vehicle: EnergyVehicle | None = None,
        ambient_c: float = 20.0,
        payload_dim: int | None = None,
        metres_per_distance_unit: float = 1.0,
        seconds_per_duration_unit: float = 1.0,
        cruise_speed_mps: float = ...,
        regen: str | None = None,
        reference_payload_kg: float | None = None,
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
    @property
    def energy_vehicle(self) -> EnergyVehicle | None: ...
    @property
    def payload_dim(self) -> int | None: ...
    @property
    def ambient_c(self) -> float | None: ...
    @property
    def cruise_speed_mps(self) -> float | None: ...

class ProblemData(metaclass=_pybind11_type):
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
    def has_duration_matrix(self) -> bool: ...
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

class Route(metaclass=_pybind11_type):
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
    @property
    def energy_kwh(self) -> float: ...
    @property
    def min_charge_kwh(self) -> float: ...
    def __len__(self) -> int: ...

class Solution(metaclass=_pybind11_type):
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

def savings(data: ProblemData, k: int = 40) -> Solution: ...
def sweep(data: ProblemData) -> Solution: ...
def nearest_neighbour(data: ProblemData, k: int = 40) -> Solution: ...

class LocalSearch(metaclass=_pybind11_type):
    def __init__(
        self,
        data: ProblemData,
        routes: list[Route],
        granular: int = 20,
        seed: int = 1,
        load_penalty: list[float] | None = None,
        duration_penalty: float = 1.0,
        distance_penalty: float = 1.0,
    ) -> None: ...
    operators: list[str]
    def improve_once(self, operator: str) -> float: ...
    def run(self, operators: list[str] | None = None) -> float: ...
    def routes(self) -> list[Route]: ...
    def penalised_cost(self) -> float: ...
    def recompute_penalised_cost(self) -> float: ...

class SolveResult(metaclass=_pybind11_type):
    def __init__(self, *args: object, **kwargs: object) -> None: ...
    @property
    def solution(self) -> Solution: ...
    @property
    def cost(self) -> float: ...
    @property
    def runtime(self) -> float: ...
    @property
    def iterations(self) -> int: ...
    @property
    def history(self) -> list[tuple[float, float]]: ...
    @property
    def interrupted(self) -> bool: ...
    @property
    def algorithm(self) -> str: ...

def solver_param_names() -> list[str]: ...
def solve(
    data: ProblemData,
    time_limit: float = 10.0,
    seed: int = 1,
    max_iterations: int | None = None,
    threads: int = 1,
    callback: Callable[[float, float], bool | None] | None = None,
    initial_routes: list[Route] | None = None,
    params: dict[str, float] = ...,
) -> SolveResult: ...

# ---------------------------------------------------------------------------------------------
# ev routing: battery constraints in the routing engine (cpp/energy/ev_routing, bind_ev.cpp)
# ---------------------------------------------------------------------------------------------

def ev_concat_energy(
    data: ProblemData,
    vehicle_type: int,
    routes: list[list[int]],
    pieces: list[tuple[int, int, int, bool]],
) -> tuple[float, list[int]]: ...

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

class EnergyVehicle(metaclass=_pybind11_type):
    def __init__(
        self,
        *,
        curb_mass_kg: float,
        max_payload_kg: float,
        drag_coef: float,
        frontal_area_m2: float,
        rolling_coef: float,
        motor_max_kw: float,
        battery_usable_kwh: float,
        driver_mass_kg: float = 80.0,
        air_density_kgpm3: float = 1.2,
        wheel_count: int = 4,
        wheel_inertia_kgm2: float = 1.0,
        wheel_radius_m: float = 0.35,
        motor_eff_load_grid: list[float] | None = None,
        motor_eff_values: list[float] | None = None,
        transmission_eff: float = 0.95,
        battery_eff: float = 0.985,
        aux_power_w: float = 500.0,
        regen_rule: str = "linear",
        regen_max_kw: float | None = None,
        regen_fade_speed_mps: float = ...,
        hvac_heat_below_c: float = 18.0,
        hvac_heat_w_per_k: float = 0.0,
        hvac_heat_max_w: float = 0.0,
        hvac_cool_above_c: float = 24.0,
        hvac_cool_w_per_k: float = 0.0,
        hvac_cool_max_w: float = 0.0,
        name: str = "",
    ) -> None: ...
    @staticmethod
    def preset(name: str) -> EnergyVehicle: ...
    @staticmethod
    def preset_names() -> list[str]: ...
    @property
    def name(self) -> str: ...
    @property
    def curb_mass_kg(self) -> float: ...
    @property
    def driver_mass_kg(self) -> float: ...
    @property
    def max_payload_kg(self) -> float: ...
    @property
    def drag_coef(self) -> float: ...
    @property
    def frontal_area_m2(self) -> float: ...
    @property
    def air_density_kgpm3(self) -> float: ...
    @property
    def rolling_coef(self) -> float: ...
    @property
    def wheel_count(self) -> int: ...
    @property
    def wheel_inertia_kgm2(self) -> float: ...
    @property
    def wheel_radius_m(self) -> float: ...
    @property
    def motor_max_kw(self) -> float: ...
    @property
    def motor_eff_load_grid(self) -> list[float]: ...
    @property
    def motor_eff_values(self) -> list[float]: ...
    @property
    def transmission_eff(self) -> float: ...
    @property
    def battery_usable_kwh(self) -> float: ...
    @property
    def battery_eff(self) -> float: ...
    @property
    def aux_power_w(self) -> float: ...
    @property
    def regen_rule(self) -> str: ...
    @property
    def regen_max_kw(self) -> float: ...
    @property
    def regen_fade_speed_mps(self) -> float: ...
    @property
    def empty_mass_kg(self) -> float: ...
    @property
    def inertia_mass_kg(self) -> float: ...
    def motor_eff(self, load_fraction: float) -> float: ...
    def hvac_power_w(self, ambient_c: float) -> float: ...
    def to_dict(self) -> dict[str, object]: ...
    def __getstate__(self) -> dict[str, object]: ...
    def __setstate__(self, state: dict[str, object]) -> None: ...

class TraceResult(metaclass=_pybind11_type):
    def __init__(self, *args: object, **kwargs: object) -> None: ...
    @property
    def terminal_kwh(self) -> float: ...
    @property
    def chemical_kwh(self) -> float: ...
    @property
    def distance_km(self) -> float: ...
    @property
    def duration_s(self) -> float: ...
    @property
    def drag_kwh(self) -> float: ...
    @property
    def rolling_kwh(self) -> float: ...
    @property
    def grade_kwh(self) -> float: ...
    @property
    def accel_kwh(self) -> float: ...
    @property
    def friction_brake_kwh(self) -> float: ...
    @property
    def regen_kwh(self) -> float: ...
    @property
    def drivetrain_loss_kwh(self) -> float: ...
    @property
    def aux_kwh(self) -> float: ...
    @property
    def hvac_kwh(self) -> float: ...
    @property
    def battery_loss_kwh(self) -> float: ...
    @property
    def soc_end(self) -> float: ...
    @property
    def min_soc(self) -> float: ...
    @property
    def power_limited_steps(self) -> int: ...
    @property
    def soc(self) -> npt.NDArray[np.float64]: ...
    @property
    def terminal_power_w(self) -> npt.NDArray[np.float64]: ...
    @property
    def wh_per_km(self) -> float: ...
    def breakdown_kwh(self) -> dict[str, float]: ...

def simulate_trace(
    vehicle: EnergyVehicle,
    time_s: npt.ArrayLike,
    speed_mps: npt.ArrayLike,
    grade: npt.ArrayLike | None = None,
    payload_kg: npt.ArrayLike = 0.0,
    ambient_c: float = 20.0,
    mode: str = "physics",
    regen: str | None = None,
    initial_soc: float = 1.0,
) -> TraceResult: ...
def energy_arc_coefficients(
    vehicle: EnergyVehicle,
    distance_m: npt.ArrayLike,
    elevation_diff_m: npt.ArrayLike,
    cruise_speed_mps: npt.ArrayLike,
    dwell_s: npt.ArrayLike,
    ambient_c: float,
    accel_mps2: float,
    decel_mps2: float,
    regen: str | None,
    reference_payload_kg: float | None,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
def energy_route_batch(
    vehicle: EnergyVehicle,
    route_offsets: npt.ArrayLike,
    distance_m: npt.ArrayLike,
    elevation_diff_m: npt.ArrayLike,
    cruise_speed_mps: npt.ArrayLike,
    dwell_s: npt.ArrayLike,
    payload_delivered_kg: npt.ArrayLike,
    ambient_c: float,
    accel_mps2: float,
    decel_mps2: float,
    regen: str | None,
    reference_payload_kg: float | None,
    initial_soc: float,
    reserve_kwh: float,
    extra_payload_kg: float,
    return_arc_energy: bool,
) -> tuple[
    npt.NDArray[np.float64] | None,
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
    npt.NDArray[np.bool_],
]: ...
def energy_evaluate_routes(
    route_offsets: npt.ArrayLike,
    a_kwh: npt.ArrayLike,
    b_kwh_per_kg: npt.ArrayLike,
    payload_delivered_kg: npt.ArrayLike,
    battery_usable_kwh: float,
    initial_soc: float,
    reserve_kwh: float,
    extra_payload_kg: float,
    return_arc_energy: bool,
) -> tuple[
    npt.NDArray[np.float64] | None,
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
    npt.NDArray[np.bool_],
]: ...
