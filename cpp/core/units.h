// Physical and unit-conversion constants, defined once for the whole C++ code (the Python side
// has the same values in lastmile_core.geo). Derived constants are computed from the base ones
// here, never retyped.
#pragma once
#include <numbers>

namespace lastmile::units {

inline constexpr double kPi = std::numbers::pi;
inline constexpr double kDegToRad = kPi / 180.0;

/// Mean Earth radius (IUGG), km.
inline constexpr double kEarthRadiusKm = 6371.0088;
inline constexpr double kMetresPerKm = 1000.0;
inline constexpr double kEarthRadiusM = kEarthRadiusKm * kMetresPerKm;
/// Kilometres per degree of latitude (and of longitude at the equator) on that sphere.
inline constexpr double kKmPerDegree = kEarthRadiusKm * kDegToRad;

inline constexpr double kSecondsPerHour = 3600.0;
/// km/h per m/s (= seconds per hour / metres per km).
inline constexpr double kKmhPerMps = kSecondsPerHour / kMetresPerKm;

inline constexpr double kWattsPerKw = 1000.0;
inline constexpr double kJoulesPerKwh = kWattsPerKw * kSecondsPerHour;
/// Standard gravity, m/s^2.
inline constexpr double kStandardGravity = 9.80665;

}  // namespace lastmile::units
