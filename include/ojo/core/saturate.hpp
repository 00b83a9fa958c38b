// saturate_cast<To>(v) — OpenCV's conversion rule between element types.
//
// Float to integer rounds half to even (cvRound) and clamps to the target's range; NaN becomes 0.
// Integer to integer clamps. Anything to float is a plain cast. Anything to bool is `v != 0`.
// This is what Tensor::to(dtype) and every 8-bit image operation use, so results match OpenCV's
// Mat::convertTo and saturate_cast bit for bit.
#pragma once

#include <cmath>
#include <limits>
#include <type_traits>
#include <utility>

namespace ojo {

template <class To, class From>
constexpr To saturate_cast(From v) {
  if constexpr (std::is_same_v<To, bool>) {
    return v != From{};
  } else if constexpr (std::is_floating_point_v<To>) {
    return static_cast<To>(v);
  } else if constexpr (std::is_floating_point_v<From>) {
    if (std::isnan(v)) return To{0};
    const double r = std::nearbyint(static_cast<double>(v));  // half to even, as cvRound
    if (r <= static_cast<double>(std::numeric_limits<To>::min())) return std::numeric_limits<To>::min();
    if (r >= static_cast<double>(std::numeric_limits<To>::max())) return std::numeric_limits<To>::max();
    return static_cast<To>(r);
  } else if constexpr (std::is_same_v<From, bool>) {
    return static_cast<To>(v);
  } else {
    if (std::cmp_less(v, std::numeric_limits<To>::min())) return std::numeric_limits<To>::min();
    if (std::cmp_greater(v, std::numeric_limits<To>::max())) return std::numeric_limits<To>::max();
    return static_cast<To>(v);
  }
}

}  // namespace ojo
