#include "ojo/core/random.hpp"

#include <cmath>
#include <limits>
#include <numbers>

#include "ojo/core/error.hpp"

namespace ojo {

double Generator::uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

int64_t Generator::randint(int64_t low, int64_t high) {
  check(high > low, "randint", "expected low < high, got low=", low, " high=", high);
  const uint64_t range = static_cast<uint64_t>(high) - static_cast<uint64_t>(low);
  // Rejection sampling: draws above the largest multiple of `range` would bias the result.
  const uint64_t limit = std::numeric_limits<uint64_t>::max() - std::numeric_limits<uint64_t>::max() % range;
  uint64_t x;
  do x = next_u64();
  while (x >= limit);
  return static_cast<int64_t>(static_cast<uint64_t>(low) + x % range);
}

double Generator::normal() {
  const double u1 = 1.0 - uniform();  // (0, 1], so log() is finite
  const double u2 = uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

Generator& default_generator() {
  static Generator generator(0);
  return generator;
}

void manual_seed(uint64_t seed) { default_generator().seed(seed); }

}  // namespace ojo
