// SIMD helpers of the batch metrics kernel: reductions and checks over contiguous doubles with
// SSE2 (bit-identical to the scalar loops), and the marker for loops the compiler vectorises and
// also builds for AVX2.
#pragma once
#include <cmath>
#include <cstddef>
#include <limits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace lastmile::metrics::detail {

inline constexpr double kInf = std::numeric_limits<double>::infinity();

inline bool nonneg_finite(double v) { return v >= 0.0 && v < kInf; }

// Loops that the compiler vectorises are also built for AVX2 and picked at run time (GCC function
// multi-versioning). FMA stays off, so every version gives bit-identical results.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define LASTMILE_SIMD_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define LASTMILE_SIMD_CLONES
#endif

// v[i] = sqrt(v[i]) for i in [0, n), values >= 0. With SSE2 two lanes at a time (the scalar
// std::sqrt carries an errno branch that keeps the compiler from vectorising it).
inline void sqrt_inplace(double* v, std::size_t n) {
    std::size_t i = 0;
#if defined(__SSE2__)
    for (; i + 2 <= n; i += 2) _mm_storeu_pd(v + i, _mm_sqrt_pd(_mm_loadu_pd(v + i)));
#endif
    for (; i < n; ++i) v[i] = std::sqrt(v[i]);
}

// Sum of v[0..n) with four interleaved accumulators (a fixed order for a given n, so the result
// is deterministic; four chains instead of one hide the latency of the additions).
inline double sum4(const double* v, std::size_t n) {
    double a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0;
    std::size_t i = 0;
#if defined(__SSE2__)
    // The same four chains, two per register: bit-identical to the scalar loop.
    __m128d lo = _mm_setzero_pd(), hi = _mm_setzero_pd();
    for (; i + 4 <= n; i += 4) {
        lo = _mm_add_pd(lo, _mm_loadu_pd(v + i));
        hi = _mm_add_pd(hi, _mm_loadu_pd(v + i + 2));
    }
    double l[2], h[2];
    _mm_storeu_pd(l, lo);
    _mm_storeu_pd(h, hi);
    a0 = l[0], a1 = l[1], a2 = h[0], a3 = h[1];
#else
    for (; i + 4 <= n; i += 4) {
        a0 += v[i];
        a1 += v[i + 1];
        a2 += v[i + 2];
        a3 += v[i + 3];
    }
#endif
    for (; i < n; ++i) a0 += v[i];
    return (a0 + a1) + (a2 + a3);
}

// Whether every v[i] is >= 0 and finite (NaN fails).
inline bool all_nonneg_finite(const double* v, std::size_t n) {
    std::size_t i = 0;
    bool good = true;
#if defined(__SSE2__)
    const __m128d zero = _mm_setzero_pd(), inf = _mm_set1_pd(kInf);
    __m128d acc = _mm_castsi128_pd(_mm_set1_epi32(-1));
    for (; i + 2 <= n; i += 2) {
        const __m128d x = _mm_loadu_pd(v + i);
        acc = _mm_and_pd(acc, _mm_and_pd(_mm_cmpge_pd(x, zero), _mm_cmplt_pd(x, inf)));
    }
    good = _mm_movemask_pd(acc) == 3;
#endif
    for (; i < n; ++i) good &= nonneg_finite(v[i]);
    return good;
}

// Like sum4, and clears `ok` when a value is negative, NaN or infinite.
inline double sum4_nonneg(const double* v, std::size_t n, bool& ok) {
    ok &= all_nonneg_finite(v, n);
    return sum4(v, n);
}

}  // namespace lastmile::metrics::detail
