// Row reversal for flip (see flip_kernels.hpp).
#include <cstdint>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "../src/ojo/imgproc/flip_fast.cpp"  // found through include/
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "flip_kernels.hpp"

HWY_BEFORE_NAMESPACE();
namespace ojo::flip_detail::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

int64_t ReverseBytes(uint8_t* d, const uint8_t* s, int64_t n) {
#if HWY_TARGET == HWY_SCALAR
  (void)d, (void)s, (void)n;
  return 0;
#else
  const hn::Full128<uint8_t> d8;  // one 16-byte block: a byte shuffle reverses it on every target
  constexpr int64_t kBlock = 16;
  alignas(16) static constexpr uint8_t kReversed[kBlock] = {15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0};
  const auto order = hn::Load(d8, kReversed);
  int64_t x = 0;
  for (; x + kBlock <= n; x += kBlock)
    hn::StoreU(hn::TableLookupBytes(hn::LoadU(d8, s + n - x - kBlock), order), d8, d + x);
  return x;
#endif
}

}  // namespace ojo::flip_detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace ojo::flip_detail {
HWY_EXPORT(ReverseBytes);
int64_t reverse_bytes_fast(uint8_t* d, const uint8_t* s, int64_t n) {
  return HWY_DYNAMIC_DISPATCH(ReverseBytes)(d, s, n);
}
}  // namespace ojo::flip_detail
#endif
