// Randomness: PyTorch's CPU generator, draw for draw.
//
// manual_seed(s) reseeds the global generator (as torch.manual_seed); a Generator can also be
// owned and passed explicitly. The engine and the ways numbers are made from it are PyTorch 1.13's
// (at::CPUGeneratorImpl and ATen's distribution transforms), so a seeded program draws what the
// same PyTorch program draws:
//
//   manual_seed(42);
//   Tensor w = randn({1});        // 0.3367, as torch.manual_seed(42); torch.randn(1)
//   Tensor b = randn({1});        // 0.1288 (the second value of the same Box–Muller pair, cached)
//   models::CircleModelV0 m;      // the same initial weights as PyTorch's CircleModelV0()
//
// The engine is a 32-bit Mersenne Twister; random64() joins two draws (first one high). Float
// uniforms use 24 bits, double uniforms 53. randn of 16 or more floats follows torch's scalar
// normal_fill; PyTorch on an AVX2 machine computes those with SLEEF's vector log/sin/cos, which can
// differ in the last bit. Streams are independent of the thread count (draws are serial).
#pragma once

#include <cstdint>
#include <optional>
#include <random>

namespace ojo {

class Generator {
 public:
  // PyTorch's default seed (default_rng_seed_val) when none is given.
  static constexpr uint64_t kDefaultSeed = 67280421310721ull;
  explicit Generator(uint64_t seed = kDefaultSeed) { this->seed(seed); }
  // torch.manual_seed: restarts the stream and forgets cached normal samples.
  void seed(uint64_t s) {
    engine_.seed(static_cast<uint32_t>(s & 0xFFFFFFFFu));
    next_double_normal_.reset();
    initial_seed_ = s;
  }
  uint64_t initial_seed() const { return initial_seed_; }

  uint32_t random() { return static_cast<uint32_t>(engine_()); }
  uint64_t random64() {
    const uint64_t hi = random(), lo = random();
    return (hi << 32) | lo;
  }
  uint64_t next_u64() { return random64(); }

  // at::uniform_real_distribution: [from, to) from 24 random bits (float) or 53 (double).
  float uniform_float(float from = 0, float to = 1);
  double uniform_double(double from = 0, double to = 1);
  double uniform() { return uniform_double(); }
  // at::normal_distribution<double>: Box–Muller on two double uniforms; the second value of each
  // pair is cached and returned by the next call.
  double normal_double(double mean = 0, double std = 1);
  double normal() { return normal_double(); }
  // torch.randint's draw: low + random() % range (random64() when the range needs 32+ bits).
  int64_t random_from_to(int64_t low, int64_t high);
  int64_t randint(int64_t low, int64_t high) { return random_from_to(low, high); }

 private:
  std::mt19937 engine_;
  std::optional<double> next_double_normal_;
  uint64_t initial_seed_ = kDefaultSeed;
};

// The global generator (not thread-safe; seed it and draw from one thread).
Generator& default_generator();
void manual_seed(uint64_t seed);

}  // namespace ojo
