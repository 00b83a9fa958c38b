// NumPy's legacy random stream (numpy.random.RandomState), draw for draw.
//
// scikit-learn's data generators and splitters take `random_state=42` and draw from
// np.random.RandomState(42). ojo's make_circles / make_blobs / train_test_split use this class with
// the same seed, so they return exactly the arrays the guide's Python returns:
//
//   NumpyRandomState rs(42);
//   double u = rs.random_sample();   // np.random.RandomState(42).random_sample()
//   double g = rs.normal(0, 1);      // .normal(): Marsaglia's polar method, second value cached
//   std::vector<int64_t> p = rs.permutation(10);
//
// The engine is MT19937 seeded as NumPy's legacy seeding (init_genrand); doubles use 53 bits from
// two 32-bit draws; bounded integers use NumPy's masked rejection sampling.
#pragma once

#include <cmath>
#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

namespace ojo {

class NumpyRandomState {
 public:
  explicit NumpyRandomState(uint32_t seed) : engine_(seed) {}

  uint32_t next_u32() { return static_cast<uint32_t>(engine_()); }

  // random_sample(): uniform in [0, 1) with 53 random bits.
  double random_sample() {
    const uint32_t a = next_u32() >> 5, b = next_u32() >> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
  }
  double uniform(double low, double high) { return low + (high - low) * random_sample(); }

  // standard normal, as NumPy's legacy gauss (polar method, every second value cached).
  double gauss() {
    if (has_gauss_) {
      has_gauss_ = false;
      return gauss_;
    }
    double x1, x2, r2;
    do {
      x1 = 2.0 * random_sample() - 1.0;
      x2 = 2.0 * random_sample() - 1.0;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 == 0.0);
    const double f = std::sqrt(-2.0 * std::log(r2) / r2);
    gauss_ = f * x1;
    has_gauss_ = true;
    return f * x2;
  }
  double normal(double loc, double scale) { return loc + scale * gauss(); }

  // Uniform integer in [0, max] (NumPy's random_interval).
  uint64_t interval(uint64_t max) {
    if (max == 0) return 0;
    uint64_t mask = max;
    for (int s = 1; s <= 32; s *= 2) mask |= mask >> s;
    uint64_t v;
    if (max <= 0xFFFFFFFFull) {
      while ((v = (next_u32() & mask)) > max) {
      }
    } else {
      while ((v = (((uint64_t(next_u32()) << 32) | next_u32()) & mask)) > max) {
      }
    }
    return v;
  }

  // shuffle(): Fisher–Yates from the last element down, as NumPy.
  template <class T>
  void shuffle(std::vector<T>& v) {
    for (size_t i = v.size(); i-- > 1;) std::swap(v[i], v[interval(i)]);
  }
  std::vector<int64_t> permutation(int64_t n) {
    std::vector<int64_t> p(static_cast<size_t>(n));
    std::iota(p.begin(), p.end(), 0);
    shuffle(p);
    return p;
  }

 private:
  std::mt19937 engine_;
  bool has_gauss_ = false;
  double gauss_ = 0;
};

}  // namespace ojo
