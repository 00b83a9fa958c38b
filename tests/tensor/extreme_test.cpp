// The vector extremes under max(), min(), argmax and softmax (src/ojo/tensor/extreme.hpp) against
// their plain loops, under every Highway target this CPU runs: lengths around the vector widths
// and the four-vector step, NaN, infinities and signed zeros at every kind of position (in the
// vector loop, in the tail), ties. PyTorch's own results for these edges are in the autograd
// reference cases (max_min_dim_edges, max_min_all_nan, softmax_nan).
#include <gtest/gtest.h>
#include <hwy/targets.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "../../src/ojo/tensor/extreme.hpp"

namespace ojo::test {
namespace {

template <class T>
std::vector<std::vector<T>> edge_rows(int64_t n) {
  const T nan = std::numeric_limits<T>::quiet_NaN(), inf = std::numeric_limits<T>::infinity();
  std::vector<T> base(static_cast<size_t>(n));
  for (int64_t j = 0; j < n; ++j) base[static_cast<size_t>(j)] = static_cast<T>(std::sin(0.37 * double(j) + 0.1) * 3);
  std::vector<std::vector<T>> rows{base};
  for (int64_t at : {int64_t{0}, n / 2, n - 1}) {  // one special value at the start, middle, end
    for (T special : {nan, inf, -inf, T(10), T(-10)}) {
      rows.push_back(base);
      rows.back()[static_cast<size_t>(at)] = special;
    }
  }
  rows.push_back(std::vector<T>(static_cast<size_t>(n), -inf));
  rows.push_back(std::vector<T>(static_cast<size_t>(n), nan));
  std::vector<T> zeros(static_cast<size_t>(n), T(-1));  // -0 first, +0 last: the largest is a zero
  zeros.front() = T(-0.0), zeros.back() = T(0.0);
  rows.push_back(zeros);
  return rows;
}

template <class T>
void check_rows() {
  for (int64_t target : hwy::SupportedAndGeneratedTargets()) {
    hwy::SetSupportedTargetsForTest(target);
    for (int64_t n : {1, 2, 3, 4, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 200}) {
      for (const std::vector<T>& row : edge_rows<T>(n)) {
        for (bool is_max : {true, false}) {
          SCOPED_TRACE(std::string(hwy::TargetName(target)) + ", n " + std::to_string(n) + (is_max ? ", max" : ", min"));
          const kernels::Extreme<T> got = kernels::extreme(row.data(), n, is_max);
          const kernels::Extreme<T> want = kernels::extreme_reference(row.data(), n, is_max);
          EXPECT_EQ(got.any_nan, want.any_nan);
          EXPECT_EQ(got.value, want.value);  // -0 == +0: either may win a tie, as in torch
          // first_match: the first position of the value, or of a NaN
          for (bool nan : {false, true}) {
            int64_t first = -1;
            for (int64_t j = 0; j < n && first < 0; ++j)
              if (nan ? std::isnan(row[static_cast<size_t>(j)]) : row[static_cast<size_t>(j)] == want.value) first = j;
            EXPECT_EQ(kernels::first_match(row.data(), n, want.value, nan), first) << (nan ? "NaN" : "value");
          }
        }
      }
    }
  }
  hwy::SetSupportedTargetsForTest(0);
}

TEST(Extreme, FloatRowsAsThePlainLoopEveryHighwayTarget) { check_rows<float>(); }
TEST(Extreme, DoubleRowsAsThePlainLoopEveryHighwayTarget) { check_rows<double>(); }

TEST(Extreme, FirstMatchOfAbsentValueIsMinusOne) {
  const std::vector<float> row(100, 1.0f);
  EXPECT_EQ(kernels::first_match(row.data(), 100, 2.0f, false), -1);
  EXPECT_EQ(kernels::first_match(row.data(), 100, 0.0f, true), -1);
}

}  // namespace
}  // namespace ojo::test
