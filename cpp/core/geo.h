// The haversine great-circle distance on (lon, lat) degrees, on the sphere of core/units.h.
// haversine_term is the one formula of hav(central angle); the exact distances below and the
// vectorised batch kernel of cpp/metrics (which feeds it polynomial sines) both use it.
#pragma once
#include <algorithm>
#include <cmath>

#include "core/units.h"

namespace lastmile::geo {

/// hav(theta) = sin^2(dlat / 2) + cos(lat1) cos(lat2) sin^2(dlon / 2) from its parts.
inline double haversine_term(double sin_half_dlat, double sin_half_dlon, double cos_lat1,
                             double cos_lat2) {
    return sin_half_dlat * sin_half_dlat + cos_lat1 * cos_lat2 * sin_half_dlon * sin_half_dlon;
}

/// Central angle (radians) between (lon1, lat1) and (lon2, lat2), in degrees.
inline double central_angle(double lon1, double lat1, double lon2, double lat2) {
    const double la1 = lat1 * units::kDegToRad, la2 = lat2 * units::kDegToRad;
    const double dla = la2 - la1, dlo = (lon2 - lon1) * units::kDegToRad;
    const double a =
        haversine_term(std::sin(dla / 2), std::sin(dlo / 2), std::cos(la1), std::cos(la2));
    return 2 * std::asin(std::min(1.0, std::sqrt(a)));
}

/// Great-circle distance in metres between (lon1, lat1) and (lon2, lat2), degrees.
inline double haversine_m(double lon1, double lat1, double lon2, double lat2) {
    return units::kEarthRadiusM * central_angle(lon1, lat1, lon2, lat2);
}

/// Great-circle distance in km between (lon1, lat1) and (lon2, lat2), degrees.
inline double haversine_km(double lon1, double lat1, double lon2, double lat2) {
    return units::kEarthRadiusKm * central_angle(lon1, lat1, lon2, lat2);
}

}  // namespace lastmile::geo
