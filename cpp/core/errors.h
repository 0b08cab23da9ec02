// Domain exceptions of the core. The bindings translate each to the Python class of the same
// name in lastmile_core.errors (InputError -> ValueError subclass, IndexError -> IndexError
// subclass, InfeasibleError -> ValueError subclass).
#pragma once
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/violation.h"

namespace lastmile {

/// Invalid input: the message starts with the name of the offending (Python) argument.
struct InputError : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

/// An index (client, vehicle type, route) outside its valid range.
struct IndexError : std::out_of_range {
    using std::out_of_range::out_of_range;
};

/// No feasible solution could be found; the message names the constraint that failed and
/// `details` holds the violations behind it as data (the message quotes each detail's message
/// verbatim, so a caller may replace it by a rewording in other units).
struct InfeasibleError : std::runtime_error {
    explicit InfeasibleError(const std::string& what, std::vector<Violation> details = {})
        : std::runtime_error(what), details(std::move(details)) {}
    std::vector<Violation> details;
};

}  // namespace lastmile
