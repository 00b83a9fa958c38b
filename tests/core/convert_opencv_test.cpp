// Tensor::to(dtype) against cv::Mat::convertTo for every pair of dtypes both libraries have.
// ctest-labels: opencv
#include <gtest/gtest.h>

#include <cmath>
#include <opencv2/core.hpp>

#include "ojo/core/tensor.hpp"

using namespace ojo;

namespace {
struct Pair {
  DType ojo;
  int cv;
};
const Pair kTypes[] = {{DType::u8, CV_8U},   {DType::i8, CV_8S},   {DType::u16, CV_16U}, {DType::i16, CV_16S},
                       {DType::i32, CV_32S}, {DType::f32, CV_32F}, {DType::f64, CV_64F}};

// Values around every type's limits, halves (rounding) and a few out-of-range ones.
cv::Mat sample_values() {
  std::vector<double> v = {-1e10, -3e9,  -70000.5, -32769, -32768.5, -32767.5, -129,    -128.5,  -127.5, -2.5,
                           -1.5,  -0.5,  -0.25,    0,      0.25,     0.5,      1.5,     2.5,     3.5,    126.5,
                           127.5, 128,   200.7,    254.5,  255.49,   255.5,    256,     1000.5,  32766.5, 32767.5,
                           32768, 65534.5, 65535.5, 65536, 1e6 + 0.5, 2147483000.0, 3e9, 1e10, NAN, -INFINITY, INFINITY};
  for (int i = 0; i < 300; ++i) v.push_back((i - 150) * 1.37);
  return cv::Mat(v, true).reshape(1, 1);
}

Tensor from_mat(const cv::Mat& m, DType dtype) {
  Tensor t = Tensor::empty({m.rows, m.cols}, dtype);
  std::memcpy(t.raw_data(), m.data, m.total() * m.elemSize());
  return t;
}
}  // namespace

TEST(ConvertVsOpenCV, EveryDTypePair) {
  const cv::Mat values = sample_values();
  for (const auto& src : kTypes) {
    cv::Mat cv_src;
    values.convertTo(cv_src, src.cv);  // the input itself is made by OpenCV
    const Tensor ojo_src = from_mat(cv_src, src.ojo);
    for (const auto& dst : kTypes) {
      cv::Mat cv_dst;
      cv_src.convertTo(cv_dst, dst.cv);
      const Tensor expected = from_mat(cv_dst, dst.ojo);
      const Tensor got = ojo_src.to(dst.ojo);
      if (is_floating(dst.ojo)) {  // NaN != NaN: compare bit patterns
        EXPECT_EQ(std::memcmp(got.raw_data(), expected.raw_data(), cv_dst.total() * cv_dst.elemSize()), 0)
            << dtype_name(src.ojo) << " -> " << dtype_name(dst.ojo);
      } else {
        EXPECT_TRUE(got.equal(expected)) << dtype_name(src.ojo) << " -> " << dtype_name(dst.ojo) << "\n got "
                                         << got << "\n expected " << expected;
      }
      // The same through a strided view (reversed columns).
      const Tensor reversed = ojo_src.index({Slice(), Slice(None, None, -1)}).to(dst.ojo);
      if (!is_floating(dst.ojo)) {
        EXPECT_TRUE(reversed.index({Slice(), Slice(None, None, -1)}).equal(expected));
      }
    }
  }
}
