// Random and structured factories: rand, randn, randint, randperm (the core Generator), linspace, eye.
#include <algorithm>
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

Tensor rand(const Shape& shape, DType dtype, Generator* gen) {
  check(is_floating(dtype), "rand", "expected a floating point dtype, got ", dtype_name(dtype));
  Generator& g = pick(gen);
  if (dtype == DType::f32)  // 24 random bits, so a float never rounds up to 1
    return generate(shape, dtype, [&] { return static_cast<float>(g.next_u64() >> 40) * 0x1.0p-24f; });
  return generate(shape, dtype, [&] { return g.uniform(); });
}

Tensor randn(const Shape& shape, DType dtype, Generator* gen) {
  check(is_floating(dtype), "randn", "expected a floating point dtype, got ", dtype_name(dtype));
  Generator& g = pick(gen);
  return generate(shape, dtype, [&] { return g.normal(); });
}

Tensor randint(int64_t low, int64_t high, const Shape& shape, DType dtype, Generator* gen) {
  if (high <= low)
    fail("randint", "random_ expects 'from' to be less than 'to', but got from=", low, " >= to=", high);
  Generator& g = pick(gen);
  return generate(shape, dtype, [&] { return g.randint(low, high); });
}

Tensor randperm(int64_t n, DType dtype, Generator* gen) {
  check(n >= 0, "randperm", "n must be non-negative, got", n);
  std::vector<int64_t> p(n);
  std::iota(p.begin(), p.end(), 0);
  Generator& g = pick(gen);
  for (int64_t i = n - 1; i > 0; --i) std::swap(p[i], p[g.randint(0, i + 1)]);  // Fisher–Yates
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
