"""Readers and writers: VRPLIB instances/solutions, stop tables (CSV/Parquet), route tables and
GeoJSON."""

from __future__ import annotations

from .geojson import to_geojson
from .route_table import is_route_table, read_route_table
from .tables import read_stops, read_table, routes_table, write_routes, write_stops
from .vrplib import read_solution, read_solution_with_cost, read_vrplib, write_solution
from .vrplib_fleet import read_fleet_solution, write_fleet_solution

__all__ = [
    "is_route_table",
    "read_fleet_solution",
    "read_route_table",
    "read_solution",
    "read_solution_with_cost",
    "read_stops",
    "read_table",
    "read_vrplib",
    "routes_table",
    "to_geojson",
    "write_routes",
    "write_fleet_solution",
    "write_solution",
    "write_stops",
]
