#include "ojo/core/random.hpp"

#include <cmath>
#include <numbers>

#include "ojo/core/error.hpp"

namespace ojo {

float Generator::uniform_float(float from, float to) {
  const float x = static_cast<float>(random() & ((1u << 24) - 1)) * (1.0f / (1u << 24));
  // One rounding, as PyTorch's AVX2 build computes x * (to - from) + from (a contracted FMA).
  return std::fma(x, to - from, from);
}

double Generator::uniform_double(double from, double to) {
  const double x = static_cast<double>(random64() & ((uint64_t{1} << 53) - 1)) * (1.0 / (uint64_t{1} << 53));
  return std::fma(x, to - from, from);
}

double Generator::normal_double(double mean, double std) {
  if (next_double_normal_) {
    const double cached = *next_double_normal_;
    next_double_normal_.reset();
    return cached * std + mean;
  }
  const double u1 = uniform_double(), u2 = uniform_double();
  const double r = std::sqrt(-2.0 * std::log1p(-u2));
  const double theta = 2.0 * std::numbers::pi * u1;
  next_double_normal_ = r * std::sin(theta);
  return r * std::cos(theta) * std + mean;
}

int64_t Generator::random_from_to(int64_t low, int64_t high) {
  if (high <= low) fail("randint", "random_ expects 'from' to be less than 'to', but got from=", low, " >= to=", high);
  const uint64_t range = static_cast<uint64_t>(high) - static_cast<uint64_t>(low);
  const uint64_t v = range >= (uint64_t{1} << 32) ? random64() : random();
  return static_cast<int64_t>(v % range + static_cast<uint64_t>(low));
}

Generator& default_generator() {
  static Generator generator;
  return generator;
}

void manual_seed(uint64_t seed) { default_generator().seed(seed); }

}  // namespace ojo
