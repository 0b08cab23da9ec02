// Validation of the pickup amounts of ProblemData (returns picked up at clients).
#include <sstream>

#include "core/errors.h"
#include "core/problem.h"

namespace lastmile {

void ProblemData::check_pickups() {
    if (pickup_.empty()) return;
    auto fail = [](auto&&... parts) {
        std::ostringstream os;
        (os << ... << parts);
        throw InputError(os.str());
    };
    if (pickup_.size() != n_ * dims_)
        fail("pickup: expected ", n_, " x ", dims_, " values, got ", pickup_.size());
    const double cap = static_cast<double>(kUnlimited) / (4.0 * static_cast<double>(n_));
    bool any = false;
    for (std::size_t i = 0; i < pickup_.size(); ++i) {
        if (pickup_[i] < 0)
            fail("pickup: node ", i / dims_, " dimension ", i % dims_, " is negative (", pickup_[i],
                 ")");
        if (static_cast<double>(pickup_[i]) > cap)
            fail("pickup: node ", i / dims_, " dimension ", i % dims_, " value ", pickup_[i],
                 " is too large (max ", cap, ")");
        if (i >= dims_) any |= pickup_[i] > 0;
    }
    if (!any) {  // all zero: exactly the delivery-only model
        pickup_.clear();
        return;
    }
    for (std::size_t d = 0; d < dims_; ++d) pickup_[d] = 0;  // the depot picks nothing up
    for (const auto& t : types_)
        if (t.energy.constrained())
            fail("pickup: pickups with a battery-constrained vehicle type (", t.name,
                 ") are not supported (the payload would vary along the route)");
    // Every client must fit, delivery and pickup at once, in some vehicle type.
    for (std::size_t i = 1; i < n_; ++i) {
        bool fits = false;
        for (const auto& t : types_) {
            if (t.num_available == 0) continue;
            bool ok = true;
            for (std::size_t d = 0; d < dims_; ++d)
                ok &= demand(i, d) <= t.capacity[d] && pickup(i, d) <= t.capacity[d];
            fits |= ok;
        }
        if (!fits) {
            Load mx = 0;
            for (const auto& t : types_) mx = std::max(mx, t.capacity[0]);
            fail("pickup: client ", i, " (pickup ", pickup(i, 0), dims_ > 1 ? ", ..." : "",
                 ") exceeds the capacity of every vehicle type (largest capacity[0] ", mx, ")");
        }
    }
}

}  // namespace lastmile
