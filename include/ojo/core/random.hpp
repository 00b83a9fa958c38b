// Randomness: one seeded generator for shuffling, initialisation and augmentation.
//
// manual_seed(s) reseeds the global generator (as torch.manual_seed); a Generator can also be
// owned and passed explicitly. The engine is the 64-bit Mersenne Twister, so a seed gives the
// same stream on every machine and thread count. Streams are not PyTorch's: tests that compare
// with PyTorch use deterministic inputs (arange, files), never "the same seed in both".
#pragma once

#include <cstdint>
#include <random>

namespace ojo {

class Generator {
 public:
  explicit Generator(uint64_t seed = 0) : engine_(seed) {}
  void seed(uint64_t s) { engine_.seed(s); }
  uint64_t next_u64() { return engine_(); }
  // Uniform in [0, 1) with 53 random bits.
  double uniform();
  // Uniform integer in [low, high) (high > low).
  int64_t randint(int64_t low, int64_t high);
  // Standard normal (Box–Muller, no cached second value, so the stream is easy to reason about).
  double normal();

 private:
  std::mt19937_64 engine_;
};

// The global generator (not thread-safe; seed it and draw from one thread).
Generator& default_generator();
void manual_seed(uint64_t seed);

}  // namespace ojo
