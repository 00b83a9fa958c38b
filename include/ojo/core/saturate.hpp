// saturate_cast<To>(v) — OpenCV's conversion rule between element types.
//
// Float to integer rounds half to even (cvRound) and clamps to the target's range — except that, as in
// OpenCV, NaN and values beyond the int32 range first become INT_MIN (so 3e9 -> u8 gives 0).
// Integer to integer clamps. Anything to float is a plain cast. Anything to bool is `v != 0`.
// This is what Tensor::to(dtype) and every 8-bit image operation use, so results match OpenCV's
// Mat::convertTo and saturate_cast bit for bit.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace ojo {

template <class To, class From>
constexpr To saturate_cast(From v) {
  if constexpr (std::is_same_v<To, bool>) {
    return v != From{};
  } else if constexpr (std::is_floating_point_v<To>) {
    return static_cast<To>(v);
  } else if constexpr (std::is_floating_point_v<From>) {
    // cvRound: round half to even into a 32-bit int (64-bit for 64-bit targets); NaN and values
    // outside that range give the x86 "integer indefinite" INT_MIN. The int then saturates.
    using Wide = std::conditional_t<sizeof(To) == 8, int64_t, int32_t>;
#if defined(__SSE2__)
    // cvtsd2si is cvRound itself: half to even, INT_MIN for NaN and out of range; one instruction.
    if (!std::is_constant_evaluated()) {
      const __m128d x = _mm_set_sd(static_cast<double>(v));
      if constexpr (sizeof(Wide) == 8) return saturate_cast<To>(static_cast<int64_t>(_mm_cvtsd_si64(x)));
      else return saturate_cast<To>(static_cast<int32_t>(_mm_cvtsd_si32(x)));
    }
#endif
    constexpr double lo = static_cast<double>(std::numeric_limits<Wide>::min());
    const double r = std::nearbyint(static_cast<double>(v));
    const Wide wide = (r >= lo && r < -lo) ? static_cast<Wide>(r) : std::numeric_limits<Wide>::min();
    return saturate_cast<To>(wide);
  } else if constexpr (std::is_same_v<From, bool>) {
    return static_cast<To>(v);
  } else {
    if (std::cmp_less(v, std::numeric_limits<To>::min())) return std::numeric_limits<To>::min();
    if (std::cmp_greater(v, std::numeric_limits<To>::max())) return std::numeric_limits<To>::max();
    return static_cast<To>(v);
  }
}

}  // namespace ojo
