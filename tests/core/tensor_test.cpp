// Tensor behaviour that has no numeric oracle: storage sharing, contracts and error messages.
// (Values of views, reductions and printing are checked against NumPy/PyTorch in views_test and
// print_test; dtype conversion against OpenCV in convert_opencv_test.)
#include <gtest/gtest.h>

#include "ojo/core/tensor.hpp"
#include "test_util.hpp"

using namespace ojo;
using namespace ojo::test;


TEST(Tensor, GuideTinyImage) {
  const Tensor tiny = Tensor::from<uint8_t>({{0, 20, 30}, {200, 200, 250}, {50, 180, 85}});
  EXPECT_EQ(tiny.shape(), (Shape{3, 3}));
  EXPECT_EQ(tiny.dtype(), DType::u8);
  EXPECT_EQ(tiny.at<uint8_t>(1, 2), 250);
  EXPECT_EQ(tiny.at<uint8_t>(-1, -1), 85);
  EXPECT_EQ(amax(tiny), 250);
  EXPECT_EQ(amin(tiny), 0);
}

TEST(Tensor, ViewsShareStorage) {
  Tensor img = zeros({6, 8, 3}, DType::u8);
  Tensor roi = img.index({Slice(2, 4), Slice(1, 5)});
  EXPECT_EQ(roi.shape(), (Shape{2, 4, 3}));
  EXPECT_FALSE(roi.is_contiguous());
  roi.fill_({0, 255, 0});
  EXPECT_EQ(img.at<uint8_t>(2, 1, 1), 255);
  EXPECT_EQ(img.at<uint8_t>(3, 4, 1), 255);
  EXPECT_EQ(img.at<uint8_t>(3, 5, 1), 0);
  EXPECT_EQ(img.at<uint8_t>(1, 1, 1), 0);
  roi.at<uint8_t>(0, 0, 2) = 9;
  EXPECT_EQ(img.at<uint8_t>(2, 1, 2), 9);
  // A clone does not share.
  Tensor copy = img.clone();
  copy.fill_(1);
  EXPECT_EQ(img.at<uint8_t>(0, 0, 0), 0);
  // reshape of a contiguous tensor is a view; of a transposed one, a copy.
  Tensor flat = img.reshape({-1});
  EXPECT_EQ(flat.storage(), img.storage());
  EXPECT_NE(img.transpose(0, 1).reshape({-1}).storage(), img.storage());
}

TEST(Tensor, FromBlobWrapsCallerMemory) {
  std::vector<float> memory(6, 1.0f);
  Tensor t = Tensor::from_blob(memory.data(), {2, 3}, DType::f32);
  t.at<float>(1, 2) = 5.0f;
  EXPECT_EQ(memory[5], 5.0f);
}

TEST(Tensor, ConversionSaturatesAndRoundsHalfToEven) {
  const Tensor f = Tensor::from<float>({-3.0f, 0.5f, 1.5f, 2.5f, 254.5f, 300.0f});
  const Tensor u = f.to(DType::u8);
  EXPECT_TRUE(u.equal(Tensor::from<uint8_t>({0, 0, 2, 2, 254, 255})));
}

TEST(Tensor, ItemAndFactories) {
  EXPECT_EQ(full({2, 2}, 3.5, DType::f64).at<double>(1, 1), 3.5);
  EXPECT_EQ(ones({3}, DType::i32).at<int32_t>(2), 1);
  EXPECT_EQ(arange(0.0, 1.0, 0.25, DType::f32).numel(), 4);
  EXPECT_EQ(arange(10)[7].item(), 7);
  EXPECT_EQ(zeros_like(arange(5)).dtype(), DType::i64);
  EXPECT_THROW_MSG(arange(5).item(), "a tensor with 5 elements cannot be converted to a scalar");
}

TEST(Tensor, ErrorsNameTheOperationAndShapes) {
  const Tensor t = arange(24).reshape({2, 3, 4});
  EXPECT_THROW_MSG(t.at<int64_t>(2, 0, 0), "index 2 is out of bounds for dimension 0 with size 2");
  EXPECT_THROW_MSG(t.at<int64_t>(0, 0), "got 2 indices for a tensor of 3 dimensions");
  EXPECT_THROW_MSG(t.at<float>(0, 0, 0), "tensor has dtype int64, requested float32");
  EXPECT_THROW_MSG(t.select(3, 0), "dimension out of range");
  EXPECT_THROW_MSG(t.reshape({5, 5}), "shape [5, 5] is invalid for input of size 24");
  EXPECT_THROW_MSG(t.reshape({-1, -1}), "only one dimension can be inferred");
  EXPECT_THROW_MSG(t.transpose(0, 2).view({24}), "view size [24] is not compatible");
  EXPECT_THROW_MSG(t.permute({0, 0, 1}), "repeated dim");
  EXPECT_THROW_MSG(t.permute({0, 1}), "number of dims don't match");
  EXPECT_THROW_MSG(t.slice(0, 0, 1, 0), "slice step cannot be zero");
  EXPECT_THROW_MSG(t.index({0, 0, 0, 0}), "too many indices");
  EXPECT_THROW_MSG(t.expand({2, 5, 4}), "must match the existing size (3) at non-singleton dimension 1");
  EXPECT_THROW_MSG(zeros({2, 2, 3}, DType::u8).fill_({1, 2}), "got 2 values for a tensor whose last dimension has 3");
  EXPECT_THROW_MSG(Tensor::from<int>({{1, 2}, {3}}), "ragged nested list");
  EXPECT_THROW_MSG(amax(zeros({0, 3})), "zero-size array");
  EXPECT_THROW_MSG(Tensor().clone(), "undefined");
  EXPECT_THROW_MSG(zeros({-1, 2}), "negative dimension");
  EXPECT_THROW_MSG(dtype_from_name("complex64"), "unknown dtype 'complex64'");
}

TEST(Tensor, ViewConstructorRefusesOutOfBoundsViews) {
  auto storage = std::make_shared<Storage>(10 * sizeof(float));
  EXPECT_THROW_MSG(Tensor(storage, DType::f32, {3, 4}, {4, 1}, 0), "reaches outside a storage of 10 elements");
  EXPECT_THROW_MSG(Tensor(storage, DType::f32, {3}, {-1}, 1), "reaches outside");
  EXPECT_NO_THROW(Tensor(storage, DType::f32, {3}, {-1}, 2));
}

TEST(Tensor, ChannelStats) {
  Tensor img = zeros({2, 2, 3}, DType::u8);
  img.index({Slice(), Slice(), 2}).fill_(100);
  img.at<uint8_t>(0, 0, 0) = 40;
  const auto stats = channel_stats(img);
  ASSERT_EQ(stats.size(), 3u);
  EXPECT_EQ(stats[0].max, 40);
  EXPECT_EQ(stats[0].mean, 10);
  EXPECT_EQ(stats[2].min, 100);
  EXPECT_THROW_MSG(channel_stats(zeros({2})), "expected an image shaped {H, W} or {H, W, C}");
}
