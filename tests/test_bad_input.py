"""Bad input is rejected with the right exception class and a message naming the field."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import lastmile_core as lm
from lastmile_core import _core, check
from lastmile_core.errors import FormatError, IndexOutOfRangeError, InputError
from lastmile_core.io import read_solution, read_stops, read_vrplib

DATA = Path(__file__).parent / "data"
COORDS = [[0.0, 0.0], [1.0, 1.0], [2.0, 0.0]]
DEMAND = [0, 1, 2]
VAN = [lm.VehicleSpec(10)]


def build(**overrides: object) -> lm.Instance:
    args: dict = {"coords": COORDS, "demand": DEMAND, "vehicle_types": VAN} | overrides
    return lm.Instance.from_arrays(
        args.pop("coords"), args.pop("demand"), args.pop("vehicle_types"), **args
    )


# -- arrays -------------------------------------------------------------------------------------


def test_coords_with_three_columns_are_rejected() -> None:
    """coords of shape (n, 3) raise InputError naming coords."""
    with pytest.raises(InputError, match="coords"):
        build(coords=np.zeros((3, 3)))


def test_demand_with_wrong_length_is_rejected() -> None:
    """demand with fewer rows than nodes raises InputError naming demand."""
    with pytest.raises(InputError, match="demand"):
        build(demand=[0, 1])


def test_three_dimensional_demand_is_rejected() -> None:
    """A 3-D demand array raises InputError naming demand."""
    with pytest.raises(InputError, match="demand"):
        build(demand=np.zeros((3, 1, 1)))


def test_nan_coordinate_is_rejected() -> None:
    """A NaN coordinate raises InputError naming coords."""
    with pytest.raises(InputError, match="coords"):
        build(coords=[[0, 0], [np.nan, 1], [2, 0]])


def test_infinite_coordinate_is_rejected() -> None:
    """An infinite coordinate raises InputError naming coords."""
    with pytest.raises(InputError, match="coords"):
        build(coords=[[0, 0], [1, np.inf], [2, 0]])


def test_negative_demand_is_rejected() -> None:
    """A negative demand raises InputError naming demand."""
    with pytest.raises(InputError, match="demand"):
        build(demand=[0, -1, 2])


def test_non_integer_demand_is_rejected() -> None:
    """A fractional demand raises InputError naming demand."""
    with pytest.raises(InputError, match="demand"):
        build(demand=[0, 1.5, 2])


def test_negative_service_time_is_rejected() -> None:
    """A negative service time raises InputError naming service_time."""
    with pytest.raises(InputError, match="service_time"):
        build(service_time=[0, -5, 1])


def test_demand_above_every_capacity_is_rejected() -> None:
    """A client heavier than every vehicle raises InputError naming demand."""
    with pytest.raises(InputError, match="demand"):
        build(demand=[0, 1, 11], vehicle_types=[lm.VehicleSpec(10), lm.VehicleSpec(5)])


def test_empty_fleet_is_rejected() -> None:
    """No vehicle types raise InputError naming vehicle_types."""
    with pytest.raises(InputError, match="vehicle_types"):
        build(vehicle_types=[])


def test_fleet_with_zero_vehicles_is_rejected() -> None:
    """Every num_available 0 raises InputError naming vehicle_types."""
    with pytest.raises(InputError, match="vehicle_types"):
        build(
            vehicle_types=[lm.VehicleSpec(10, num_available=0), lm.VehicleSpec(20, num_available=0)]
        )


def test_instance_without_clients_is_rejected() -> None:
    """A depot alone (or nothing) raises InputError naming coords."""
    with pytest.raises(InputError, match="coords"):
        build(coords=[[0, 0]], demand=[0])
    with pytest.raises(InputError, match="coords"):
        build(coords=np.zeros((0, 2)), demand=np.zeros(0))


def test_unknown_distance_kind_is_rejected() -> None:
    """distance='manhattan' raises InputError naming distance."""
    with pytest.raises(InputError, match="distance"):
        build(distance="manhattan")


def test_unknown_distance_kind_is_rejected_by_problem_data() -> None:
    """The C++ ProblemData also rejects an unknown distance kind naming distance."""
    with pytest.raises(InputError, match="distance"):
        _core.ProblemData(
            np.zeros((2, 2)),
            np.zeros((2, 1), np.int64),
            np.zeros(2, np.int64),
            [_core.VehicleType([1])],
            distance="l1",
        )


def test_distance_matrix_with_wrong_shape_is_rejected() -> None:
    """A 2 x 3 matrix for 3 nodes raises InputError naming distance_matrix."""
    with pytest.raises(InputError, match="distance_matrix"):
        build(distance_matrix=np.ones((2, 3)))


def test_distance_matrix_with_negative_entry_is_rejected() -> None:
    """A negative matrix entry raises InputError naming distance_matrix."""
    m = np.ones((3, 3))
    m[1, 2] = -1
    with pytest.raises(InputError, match="distance_matrix"):
        build(distance_matrix=m)


# -- VRPLIB / .sol files ------------------------------------------------------------------------


def test_unknown_vrplib_section_is_rejected() -> None:
    """An unknown FOO_SECTION raises FormatError naming the file and the section."""
    with pytest.raises(FormatError, match=r"bad_unknown_section\.vrp.*FOO_SECTION"):
        read_vrplib(DATA / "bad_unknown_section.vrp")


def test_missing_demand_section_is_rejected() -> None:
    """A file without DEMAND_SECTION raises FormatError naming it."""
    with pytest.raises(FormatError, match=r"bad_missing_demand\.vrp.*DEMAND_SECTION"):
        read_vrplib(DATA / "bad_missing_demand.vrp")


def test_missing_coordinate_section_is_rejected() -> None:
    """EUC_2D without NODE_COORD_SECTION raises FormatError naming it."""
    with pytest.raises(FormatError, match=r"bad_missing_coords\.vrp.*NODE_COORD_SECTION"):
        read_vrplib(DATA / "bad_missing_coords.vrp")


def test_short_vrplib_section_is_rejected() -> None:
    """A DEMAND_SECTION with fewer rows than DIMENSION raises FormatError naming it."""
    with pytest.raises(FormatError, match=r"bad_short_section\.vrp.*DEMAND_SECTION"):
        read_vrplib(DATA / "bad_short_section.vrp")


def test_malformed_vrplib_file_is_rejected() -> None:
    """A stray line raises FormatError naming the file and the line."""
    with pytest.raises(FormatError, match=r"bad_malformed\.vrp: line 4"):
        read_vrplib(DATA / "bad_malformed.vrp")


def test_non_cvrp_type_is_rejected() -> None:
    """TYPE: TSP raises FormatError naming TYPE."""
    with pytest.raises(FormatError, match=r"bad_type\.vrp: TYPE"):
        read_vrplib(DATA / "bad_type.vrp")


def test_unsupported_edge_weight_type_is_rejected() -> None:
    """EDGE_WEIGHT_TYPE: GEO raises FormatError naming EDGE_WEIGHT_TYPE."""
    with pytest.raises(FormatError, match=r"bad_edge_weight_type\.vrp: EDGE_WEIGHT_TYPE"):
        read_vrplib(DATA / "bad_edge_weight_type.vrp")


def test_vrplib_demand_above_capacity_is_rejected() -> None:
    """A client heavier than CAPACITY raises FormatError naming the file and demand."""
    with pytest.raises(FormatError, match=r"bad_demand_over_capacity\.vrp: demand"):
        read_vrplib(DATA / "bad_demand_over_capacity.vrp")


def test_missing_vrplib_file_is_rejected() -> None:
    """A path that does not exist raises FormatError naming it."""
    with pytest.raises(FormatError, match="no_such_file"):
        read_vrplib(DATA / "no_such_file.vrp")


def test_sol_with_non_integer_token_is_rejected() -> None:
    """'Route #1: 1 x 3' raises FormatError naming the file and Route."""
    with pytest.raises(FormatError, match=r"bad_route_token\.sol: Route"):
        read_solution(DATA / "bad_route_token.sol")


def test_sol_with_depot_index_is_rejected() -> None:
    """Client 0 in a .sol (clients are 1..n) raises FormatError naming the route."""
    with pytest.raises(FormatError, match=r"bad_client_zero\.sol: Route #1"):
        read_solution(DATA / "bad_client_zero.sol")


def test_sol_without_routes_is_rejected() -> None:
    """A .sol with no Route lines raises FormatError naming Route."""
    with pytest.raises(FormatError, match=r"bad_no_routes\.sol: Route"):
        read_solution(DATA / "bad_no_routes.sol")


def test_sol_with_non_numeric_cost_is_rejected() -> None:
    """'Cost abc' raises FormatError naming Cost."""
    with pytest.raises(FormatError, match=r"bad_cost\.sol: Cost"):
        read_solution(DATA / "bad_cost.sol")


# -- stop tables ---------------------------------------------------------------------------------


def test_stop_table_without_coordinates_is_rejected() -> None:
    """A table with neither lon/lat nor x/y raises FormatError naming coordinates."""
    df = pd.DataFrame({"stop_id": [0, 1], "packages": [0, 1]})
    with pytest.raises(FormatError, match="coordinates"):
        read_stops(df, VAN)


def test_stop_table_with_two_depots_is_rejected() -> None:
    """Two rows flagged is_depot raise FormatError naming is_depot."""
    df = pd.DataFrame(
        {"x": [0, 1, 2], "y": [0, 1, 2], "packages": [0, 1, 1], "is_depot": [True, True, False]}
    )
    with pytest.raises(FormatError, match="is_depot"):
        read_stops(df, VAN)


def test_stop_table_with_unknown_demand_column_is_rejected() -> None:
    """demand=['pallets'] absent from the table raises FormatError naming demand."""
    df = pd.DataFrame({"x": [0, 1], "y": [0, 1], "packages": [0, 1]})
    with pytest.raises(FormatError, match="demand"):
        read_stops(df, VAN, demand=["pallets"])


# -- routes --------------------------------------------------------------------------------------


@pytest.fixture()
def inst() -> lm.Instance:
    return build()


def test_solution_with_out_of_range_client_is_rejected(inst: lm.Instance) -> None:
    """Client n+1 in a C++ Solution raises IndexOutOfRangeError naming the route."""
    with pytest.raises(IndexOutOfRangeError, match=r"routes\[1\]"):
        inst.solution([[1], [3]])


def test_solution_with_depot_as_client_is_rejected(inst: lm.Instance) -> None:
    """Client 0 in a C++ Solution raises IndexOutOfRangeError naming the route."""
    with pytest.raises(IndexOutOfRangeError, match=r"routes\[0\]"):
        inst.solution([[0, 1, 2]])


def test_solution_with_out_of_range_vehicle_type_is_rejected(inst: lm.Instance) -> None:
    """Vehicle type 1 of a one-type fleet raises IndexOutOfRangeError naming vehicle_type."""
    with pytest.raises(IndexOutOfRangeError, match="vehicle_type"):
        inst.solution([[1, 2]], vehicle_types=[1])


def test_check_with_out_of_range_client_is_rejected(inst: lm.Instance) -> None:
    """Client n+1 in check raises IndexOutOfRangeError naming the route."""
    with pytest.raises(IndexOutOfRangeError, match=r"routes\[0\]"):
        check(inst, [[1, 2, 3]])


def test_check_with_out_of_range_vehicle_type_is_rejected(inst: lm.Instance) -> None:
    """Vehicle type -1 in check raises IndexOutOfRangeError naming vehicle_types."""
    with pytest.raises(IndexOutOfRangeError, match="vehicle_types"):
        check(inst, [[1, 2]], [-1])


# -- fuzzing --------------------------------------------------------------------------------------

#: Mostly ordinary values, sometimes NaN, inf, negative, fractional or huge.
_floats = st.one_of(
    st.integers(0, 100).map(float),
    st.floats(-1e3, 1e3),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([-1.0, 0.5, 1e15, 1e19, 2.0**63, 1e300, -1e300, np.nan, np.inf]),
)
_ints = st.one_of(
    st.integers(0, 50),
    st.integers(-5, 5),
    st.integers(-(2**63), 2**63 - 1),
    st.sampled_from([2**62, 2**63 - 1]),
)


@st.composite
def _shaped(
    draw: st.DrawFn,
    n: int,
    cols: int | None,
    dtype: type,
    clean: st.SearchStrategy,
    dirty: st.SearchStrategy,
) -> np.ndarray:
    """Usually an (n,) / (n, cols) array of clean values; sometimes a random shape or dirty values."""
    if draw(st.integers(0, 9)) == 0:
        shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4))
    else:
        shape = (n,) if cols is None else (n, cols)
    elements = clean if draw(st.integers(0, 3)) else st.one_of(clean, dirty)
    return draw(hnp.arrays(dtype, shape, elements=elements))


@st.composite
def _problem(draw: st.DrawFn, dtype: type, dirty: st.SearchStrategy) -> dict:
    n = draw(st.integers(0, 6))
    dims = draw(st.integers(1, 3))
    geographic = draw(st.booleans())
    clean = st.integers(0, 50).map(dtype)
    coords_clean = st.floats(-90, 90) if geographic else st.floats(-1e3, 1e3)
    return {
        "coords": draw(_shaped(n, 2, np.float64, coords_clean, _floats)),
        "demand": draw(_shaped(n, dims, dtype, clean, dirty)),
        "service": draw(st.one_of(st.none(), _shaped(n, None, dtype, clean, dirty))),
        "matrix": draw(st.one_of(st.none(), _shaped(n, n, dtype, clean, dirty))),
        "capacity": draw(
            st.lists(
                st.one_of(st.integers(50, 100).map(dtype), dirty), min_size=dims, max_size=dims
            )
            | st.lists(dirty, max_size=3)
        ),
        "limit": draw(st.one_of(st.none(), st.floats(0, 1e4), _floats)),
        "num_available": draw(st.one_of(st.none(), st.integers(-2, 3))),
        "geographic": geographic,
        "distance": draw(
            st.sampled_from(
                [None, "euclidean", "euclidean_rounded", "haversine", "matrix", "bogus"]
            )
        ),
        "scale": draw(st.one_of(st.none(), st.floats(0.001, 1e4), _floats)),
    }


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(p=_problem(np.float64, _floats))
def test_random_arrays_build_or_raise_input_error(p: dict) -> None:
    """Instance.from_arrays either builds a valid instance or raises InputError, nothing else."""
    cap = p["capacity"]
    try:
        inst = lm.Instance.from_arrays(
            p["coords"],
            p["demand"],
            [
                lm.VehicleSpec(
                    cap if len(cap) != 1 else cap[0],
                    num_available=p["num_available"],
                    max_duration=p["limit"],
                    max_distance=p["limit"],
                )
            ],
            service_time=p["service"],
            distance_matrix=p["matrix"],
            geographic=p["geographic"],
            distance=p["distance"],
            distance_scale=p["scale"],
        )
    except InputError:
        return
    _assert_valid(inst.data)


def _assert_valid(data: _core.ProblemData) -> None:
    """A built ProblemData has sane arrays and non-negative distances and durations."""
    n = data.num_nodes
    assert n >= 2
    assert data.demand.shape == (n, data.num_dims)
    assert np.all(data.demand >= 0) and np.all(data.service_time >= 0)
    assert np.all(np.isfinite(data.coords))
    m = data.distance_matrix()
    assert m.shape == (n, n) and np.all(m >= 0)
    assert np.all(data.duration_matrix() >= 0)
    sol = _core.Solution(data, [_core.Route(list(range(1, n)), 0)])
    assert sol.distance >= 0 and sol.duration >= 0


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(p=_problem(np.int64, _ints))
def test_random_arrays_into_problem_data_build_or_raise_input_error(p: dict) -> None:
    """_core.ProblemData either builds a valid instance or raises InputError for numeric arrays."""
    try:
        vt = _core.VehicleType([int(c) for c in p["capacity"]], num_available=p["num_available"])
        data = _core.ProblemData(
            p["coords"],
            p["demand"],
            p["service"] if p["service"] is not None else np.zeros(len(p["coords"]), np.int64),
            [vt],
            distance=p["distance"] or "euclidean",
            distance_scale=1.0 if p["scale"] is None else p["scale"],
            distance_matrix=p["matrix"],
        )
    except InputError:
        return
    _assert_valid(data)
