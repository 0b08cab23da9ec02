// Convex hull areas for the batch metrics kernel: Andrew's monotone chain, with the
// Akl-Toussaint octagon filter in front of it from 24 points on.
#pragma once
#include <cstddef>
#include <vector>

namespace lastmile::metrics {

/// Area of the convex hull of n points (monotone chain). Exposed for tests.
double convex_hull_area(const double* x, const double* y, std::size_t n);

namespace detail {

struct Pt {
    double x, y;
};

struct HullScratch {
    std::vector<double> score;
    std::vector<Pt> pts;
    std::vector<Pt> hull;
};

// Convex hull area of the n points (px[i], py[i]) (finite, translated near the origin). From 24
// points on, the Akl-Toussaint heuristic first drops the points inside the octagon spanned by the
// extreme points in the 8 directions x, y, x+y, x-y (they cannot change the hull; dropping a
// point within rounding of an octagon edge changes the area by rounding only).
double hull_area_xy(const double* px, const double* py, std::size_t n, HullScratch& s);

}  // namespace detail
}  // namespace lastmile::metrics
