// Shared numpy helpers of the bindings: the array aliases (C-contiguous, converting) and the
// conversions between numpy arrays and std::vector, with InputError naming the argument.
#pragma once
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/errors.h"

namespace lastmile::bindings {

/// A C-contiguous numpy array of T; other dtypes and layouts are converted on the way in.
template <class T>
using carray = pybind11::array_t<T, pybind11::array::c_style | pybind11::array::forcecast>;
using darray = carray<double>;
using iarray = carray<std::int64_t>;

/// "(3, 2)" / "(5,)": an array's shape for messages.
inline std::string shape_of(const pybind11::array& a) {
    std::string s = "(";
    for (pybind11::ssize_t d = 0; d < a.ndim(); ++d)
        s += (d ? ", " : "") + std::to_string(a.shape(d));
    return s + (a.ndim() == 1 ? ",)" : ")");
}

/// Length of a 1-D array; InputError naming `name` otherwise.
inline std::size_t len1d(const pybind11::array& a, const char* name) {
    if (a.ndim() != 1)
        throw InputError(std::string(name) + ": expected a 1-D array, got shape " + shape_of(a));
    return static_cast<std::size_t>(a.shape(0));
}

/// The elements of an array (row-major) as a vector.
template <class T>
std::vector<T> to_vector(const carray<T>& a) {
    return std::vector<T>(a.data(), a.data() + a.size());
}

/// A new 1-D array of n uninitialised elements.
template <class T>
pybind11::array_t<T> alloc(std::size_t n) {
    return pybind11::array_t<T>(static_cast<pybind11::ssize_t>(n));
}

/// A new 1-D array holding a copy of v.
template <class T>
pybind11::array_t<T> to_numpy(const std::vector<T>& v) {
    pybind11::array_t<T> out = alloc<T>(v.size());
    std::copy(v.begin(), v.end(), out.mutable_data());
    return out;
}

}  // namespace lastmile::bindings
