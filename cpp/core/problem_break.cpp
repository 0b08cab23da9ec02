// Validation of the driver-break fields of a vehicle type (core/route_break.h).
#include <algorithm>
#include <sstream>

#include "core/errors.h"
#include "core/problem.h"

namespace lastmile {

void ProblemData::check_break(const VehicleType& t, std::size_t k) {
    auto fail = [k](const char* field, auto&&... parts) {
        std::ostringstream os;
        os << "vehicle_types[" << k << "]." << field << ": ";
        (os << ... << parts);
        throw InputError(os.str());
    };
    if (t.break_duration < 0) fail("break_duration", "negative (", t.break_duration, ")");
    if (!t.has_break()) return;
    if (t.break_early < 0) fail("break_window", "opens at a negative time (", t.break_early, ")");
    if (t.break_late < t.break_early)
        fail("break_window", "opens at ", t.break_early, " after it closes at ", t.break_late);
    const Duration open = std::max(t.break_early, t.earliest_start);
    if (open > t.break_late)
        fail("break_window", "closes at ", t.break_late, " before the shift starts at ",
             t.earliest_start);
    if (t.latest_end < kUnlimited && open > t.latest_end - t.break_duration)
        fail("break_window", "a break of ", t.break_duration, " starting at ", open,
             " or later does not end before the shift ends at ", t.latest_end);
}

}  // namespace lastmile
