// Random and structured factories: rand, randn, randint, randperm (the core Generator), linspace, eye.
#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>

#include "kernels.hpp"

namespace ojo {

namespace {
Generator& pick(Generator* gen) { return gen ? *gen : default_generator(); }

// Fills a new tensor element by element with draw(), converted to `dtype`.
template <class F>
Tensor generate(const Shape& shape, DType dtype, F draw) {
  Tensor t = Tensor::empty(shape, dtype);
  visit_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    T* p = t.data<T>();
    for (int64_t i = 0; i < t.numel(); ++i) p[i] = static_cast<T>(draw());
  });
  return t;
}
}  // namespace

// torch.empty(shape).uniform_(from, to): at::uniform_real_distribution, element by element.
Tensor uniform(const Shape& shape, double from, double to, DType dtype, Generator* gen) {
  check(is_floating(dtype), "uniform_", "expected a floating point dtype, got ", dtype_name(dtype));
  Generator& g = pick(gen);
  if (dtype == DType::f32) {
    const float f = static_cast<float>(from), t = static_cast<float>(to);
    return generate(shape, dtype, [&] { return g.uniform_float(f, t); });
  }
  return generate(shape, dtype, [&] { return g.uniform_double(from, to); });
}

namespace {
// torch's normal_fill: uniforms for the whole tensor, then Box–Muller on blocks of 16 (u1 from the
// first 8, u2 from the last 8); a tail shorter than 16 redraws the last 16 values.
template <class T>
void normal_fill(T* data, int64_t n, T mean, T std, Generator& g) {
  auto draw = [&g]() -> T {
    if constexpr (std::is_same_v<T, float>) return g.uniform_float();
    else return g.uniform_double();
  };
  auto fill16 = [&](T* d) {
    for (int j = 0; j < 8; ++j) {
      const T u1 = 1 - d[j];
      const T u2 = d[j + 8];
      const T radius = std::sqrt(-2 * std::log(u1));
      const T theta = static_cast<T>(2.0f * std::numbers::pi * u2);
      d[j] = radius * std::cos(theta) * std + mean;
      d[j + 8] = radius * std::sin(theta) * std + mean;
    }
  };
  for (int64_t i = 0; i < n; ++i) data[i] = draw();
  for (int64_t i = 0; i + 16 <= n; i += 16) fill16(data + i);
  if (n % 16 != 0) {
    T* last = data + n - 16;
    for (int i = 0; i < 16; ++i) last[i] = draw();
    fill16(last);
  }
}
}  // namespace

// torch.empty(shape).normal_(mean, std).
Tensor normal(const Shape& shape, double mean, double std, DType dtype, Generator* gen) {
  check(is_floating(dtype), "normal_", "expected a floating point dtype, got ", dtype_name(dtype));
  check(std >= 0, "normal_", "normal expects std >= 0.0, but found std ", std);
  Generator& g = pick(gen);
  Tensor t = Tensor::empty(shape, dtype);
  const int64_t n = t.numel();
  if (n >= 16) {
    if (dtype == DType::f32)
      normal_fill(t.data<float>(), n, static_cast<float>(mean), static_cast<float>(std), g);
    else
      normal_fill(t.data<double>(), n, mean, std, g);
    return t;
  }
  return generate(shape, dtype, [&] { return g.normal_double(mean, std); });
}

Tensor rand(const Shape& shape, DType dtype, Generator* gen) {
  check(is_floating(dtype), "rand", "expected a floating point dtype, got ", dtype_name(dtype));
  return uniform(shape, 0, 1, dtype, gen);
}

Tensor randn(const Shape& shape, DType dtype, Generator* gen) {
  check(is_floating(dtype), "randn", "expected a floating point dtype, got ", dtype_name(dtype));
  return normal(shape, 0, 1, dtype, gen);
}

Tensor randint(int64_t low, int64_t high, const Shape& shape, DType dtype, Generator* gen) {
  if (high <= low)
    fail("randint", "random_ expects 'from' to be less than 'to', but got from=", low, " >= to=", high);
  Generator& g = pick(gen);
  return generate(shape, dtype, [&] { return g.random_from_to(low, high); });
}

// torch's randperm for n < 2^32/20: swap each position with a later one chosen by random() % (n - i).
Tensor randperm(int64_t n, DType dtype, Generator* gen) {
  check(n >= 0, "randperm", "n must be non-negative, got", n);
  std::vector<int64_t> p(n);
  std::iota(p.begin(), p.end(), 0);
  Generator& g = pick(gen);
  for (int64_t i = 0; i + 1 < n; ++i) {
    const int64_t z = static_cast<int64_t>(g.random() % static_cast<uint64_t>(n - i));
    std::swap(p[i], p[z + i]);
  }
  Tensor t = Tensor::from_vector(p, {n});
  return dtype == DType::i64 ? t : t.to(dtype);
}

Tensor linspace(double start, double end, int64_t steps, DType dtype) {
  check(steps >= 0, "linspace", "number of steps must be non-negative");
  Tensor t = Tensor::empty({steps}, dtype);
  visit_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    // torch's CPU kernel: the step in the dtype (double for integers), the first half counted from
    // the start and the second half from the end, so both ends are exact.
    using S = std::conditional_t<std::is_floating_point_v<T>, T, double>;
    const T s = static_cast<T>(start), e = static_cast<T>(end);
    const S step = steps > 1 ? (static_cast<S>(e) - static_cast<S>(s)) / static_cast<S>(steps - 1) : S(0);
    const int64_t halfway = steps / 2;
    T* p = t.data<T>();
    for (int64_t i = 0; i < steps; ++i)
      p[i] = i < halfway ? static_cast<T>(s + step * static_cast<S>(i))
                         : static_cast<T>(e - step * static_cast<S>(steps - i - 1));
  });
  return t;
}

Tensor eye(int64_t n, std::optional<int64_t> m_in, DType dtype) {
  const int64_t m = m_in.value_or(n);
  check(n >= 0 && m >= 0, "eye", "n and m must be non-negative, got n=", n, " m=", m);
  Tensor t = zeros({n, m}, dtype);
  for (int64_t i = 0; i < std::min(n, m); ++i) t.select(0, i).select(0, i).fill_(1);
  return t;
}

}  // namespace ojo
