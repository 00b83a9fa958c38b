// IDX reader: FashionMNIST from Debian's dataset-fashion-mnist against an independent decoder
// (Python gzip + NumPy, scripts/reference/idx_reference.py), byte order of the wider types, and
// every malformed-file error.
#include <zlib.h>

#include <fstream>

#include "ojo/io/idx.hpp"
#include "ojo/io/npy.hpp"
#include "test_util.hpp"

namespace ojo::test {
namespace {

const std::string kFashion = "/usr/share/datasets/fashion-mnist/";

TEST(Idx, FashionMnistMatchesPythonDecoder) {
  const Tensor images = load_idx(kFashion + "train-images-idx3-ubyte.gz");
  EXPECT_EQ(images.shape(), (Shape{60000, 28, 28}));
  EXPECT_EQ(images.dtype(), DType::u8);
  const Tensor expected = load_npy(source_dir() + "/tests/io/data/fashion_train_first16.npy");
  EXPECT_TRUE(images.index({Slice(0, 16)}).contiguous().equal(expected));
  const Tensor labels = load_idx(kFashion + "train-labels-idx1-ubyte.gz");
  EXPECT_EQ(labels.shape(), (Shape{60000}));
  EXPECT_TRUE(labels.index({Slice(0, 64)}).contiguous().equal(
      load_npy(source_dir() + "/tests/io/data/fashion_train_labels_first64.npy")));
  EXPECT_EQ(load_idx(kFashion + "t10k-images-idx3-ubyte.gz").shape(), (Shape{10000, 28, 28}));
}

std::string header(unsigned char type, std::vector<uint32_t> dims) {
  std::string s{'\0', '\0', static_cast<char>(type), static_cast<char>(dims.size())};
  for (uint32_t d : dims)
    for (int b = 3; b >= 0; --b) s += static_cast<char>((d >> (8 * b)) & 0xFF);
  return s;
}

TEST(Idx, WiderTypesAreBigEndian) {
  const Tensor t = idx_decode(header(0x0B, {2}) + std::string("\x01\x02\xFF\xFE", 4));
  EXPECT_EQ(t.dtype(), DType::i16);
  EXPECT_EQ(t.at<int16_t>(0), 0x0102);
  EXPECT_EQ(t.at<int16_t>(1), -2);
  const Tensor f = idx_decode(header(0x0D, {1}) + std::string("\x3F\x80\x00\x00", 4));
  EXPECT_EQ(f.at<float>(0), 1.0f);
}

TEST(Idx, PlainUncompressedFile) {
  TempDir dir;
  const std::string path = dir.path("x.idx");
  std::ofstream(path, std::ios::binary) << header(0x08, {2, 3}) << std::string("\x00\x01\x02\x03\x04\x05", 6);
  const Tensor t = load_idx(path);
  EXPECT_EQ(t.shape(), (Shape{2, 3}));
  EXPECT_EQ(t.at<uint8_t>(1, 2), 5);
}

TEST(Idx, MalformedFilesThrow) {
  EXPECT_THROW_MSG(idx_decode("\x01\x00\x08\x01"), "not an IDX file");
  EXPECT_THROW_MSG(idx_decode("\x00"), "not an IDX file");
  EXPECT_THROW_MSG(idx_decode(header(0x07, {1}) + "x"), "unknown IDX type code");
  EXPECT_THROW_MSG(idx_decode(header(0x08, {2, 3}).substr(0, 8)), "truncated");
  EXPECT_THROW_MSG(idx_decode(header(0x08, {2, 3}) + "abc"), "has 3 bytes of data, its header [2, 3] needs 6");
  EXPECT_THROW_MSG(idx_decode(header(0x08, {2, 3}) + "abcdefg"), "has 7 bytes of data");
  EXPECT_THROW_MSG(idx_decode(header(0x0E, {65536, 65536})), "more than 4 GiB");
  EXPECT_THROW_MSG(load_idx("/nonexistent/train-images-idx3-ubyte.gz"), "cannot open");
}

TEST(Idx, TruncatedGzipThrows) {
  TempDir dir;
  std::ifstream in(kFashion + "train-labels-idx1-ubyte.gz", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  const std::string path = dir.path("cut.gz");
  std::ofstream(path, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  EXPECT_THROW(load_idx(path), Error);
}

}  // namespace
}  // namespace ojo::test
