// The one-row matrix product under the one-sample linear layer (src/ojo/tensor/gemv.hpp) against
// the same sums in double precision, for every row count up to a few groups, lengths around the
// vector widths, beta 0 and not, under every Highway target this CPU runs; and linear on one
// sample against the same rows in a batch, which go through OpenBLAS's sgemm.
#include <gtest/gtest.h>
#include <hwy/targets.h>

#include <cmath>
#include <vector>

#include "../../src/ojo/tensor/gemv.hpp"
#include "ojo/core/random.hpp"
#include "ojo/nn/functional.hpp"

namespace ojo::test {
namespace {

TEST(Gemv, RowsAsDoubleSumsEveryHighwayTarget) {
  manual_seed(11);
  for (int64_t target : hwy::SupportedAndGeneratedTargets()) {
    hwy::SetSupportedTargetsForTest(target);
    for (int64_t n : {1, 2, 3, 4, 5, 7, 8, 10, 13})
      for (int64_t k : {1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 490}) {
        SCOPED_TRACE("n " + std::to_string(n) + ", k " + std::to_string(k) + ", " + hwy::TargetName(target));
        const int64_t ldw = k + 3;  // rows apart by more than their length
        const Tensor w = randn({n, ldw}), x = randn({k}), y0 = randn({n});
        for (float beta : {0.0f, 0.5f}) {
          std::vector<float> y(y0.data<float>(), y0.data<float>() + n);
          kernels::gemv_rows(n, k, w.data<float>(), ldw, x.data<float>(), beta, y.data());
          for (int64_t j = 0; j < n; ++j) {
            double sum = 0, magnitude = 0;
            for (int64_t p = 0; p < k; ++p) {
              const double term = double(w.data<float>()[j * ldw + p]) * x.data<float>()[p];
              sum += term, magnitude += std::fabs(term);
            }
            const double before = y0.data<float>()[j], expected = sum + beta * before;
            // float sums of k terms: a few units in the last place of their magnitude
            EXPECT_NEAR(y[static_cast<size_t>(j)], expected, 1e-6 * (magnitude + std::fabs(before)) + 1e-30)
                << "row " << j << ", beta " << beta;
          }
        }
      }
  }
  hwy::SetSupportedTargetsForTest(0);
}

TEST(Gemv, OneSampleLinearAsTheBatchRow) {
  manual_seed(12);
  const Tensor w = randn({10, 490}), b = randn({10}), batch = randn({4, 490});
  const Tensor expected = nn::functional::linear(batch, w, b);
  for (int64_t i = 0; i < 4; ++i) {
    const Tensor one = nn::functional::linear(batch.index({i}).unsqueeze(0), w, b);
    for (int64_t j = 0; j < 10; ++j)
      EXPECT_NEAR(one.data<float>()[j], expected.data<float>()[i * 10 + j], 1e-4) << "sample " << i << ", out " << j;
  }
}

}  // namespace
}  // namespace ojo::test
