// .npy load/save: round trips for every dtype (views included), files written by NumPy
// (scripts/reference/make_npy_samples.py -> tests/io/data/npy/), and malformed files.
#include <filesystem>

#include "ojo/io/file.hpp"
#include "ojo/io/npy.hpp"
#include "test_util.hpp"

using namespace ojo;
using namespace ojo::test;

namespace {

const DType kAll[] = {DType::boolean, DType::u8, DType::i8, DType::u16, DType::i16,
                      DType::i32,     DType::i64, DType::f32, DType::f64};

// The formula of make_npy_samples.py: (i*7+3) % m cast to the dtype; floats (i*7+3)*0.25-10.
Tensor expected(DType dt, const Shape& shape) {
  Tensor t = Tensor::empty(shape, dt);
  visit_dtype(dt, [&](auto tag) {
    using T = decltype(tag);
    T* p = t.data<T>();
    for (int64_t i = 0; i < t.numel(); ++i) {
      const int64_t v = i * 7 + 3;
      if constexpr (std::is_same_v<T, bool>) p[i] = v % 2 != 0;
      else if constexpr (std::is_floating_point_v<T>) p[i] = static_cast<T>(v * 0.25 - 10);
      else if constexpr (std::is_same_v<T, int32_t>) p[i] = static_cast<T>(v % (int64_t{1} << 31));
      else if constexpr (std::is_same_v<T, int64_t>) p[i] = static_cast<T>(v % (int64_t{1} << 40));
      else p[i] = static_cast<T>(v);  // 8/16-bit: the modulo is the wrap of the cast
    }
  });
  return t;
}

std::string sample(const std::string& name) { return source_dir() + "/tests/io/data/npy/" + name; }

const char* kRegenerate = " (regenerate with /usr/bin/python3 scripts/reference/make_npy_samples.py)";

TEST(Npy, ReadsNumPyFilesEveryDtype) {
  for (DType dt : kAll) {
    const std::string name = dtype_name(dt);
    SCOPED_TRACE(name);
    EXPECT_TENSOR_EQ(load_npy(sample(name + ".npy")), expected(dt, {3, 4})) << kRegenerate;
    EXPECT_TENSOR_EQ(load_npy(sample(name + "_be.npy")), expected(dt, {3, 4})) << "big endian" << kRegenerate;
    EXPECT_TENSOR_EQ(load_npy(sample(name + "_f.npy")), expected(dt, {3, 4})) << "Fortran order" << kRegenerate;
  }
  EXPECT_TENSOR_EQ(load_npy(sample("float32_3d_f.npy")), expected(DType::f32, {2, 3, 4}));
  EXPECT_TENSOR_EQ(load_npy(sample("v2.npy")), expected(DType::i16, {3, 4}));
  EXPECT_TENSOR_EQ(load_npy(sample("v3.npy")), expected(DType::i16, {3, 4}));
  EXPECT_TENSOR_EQ(load_npy(sample("scalar.npy")), expected(DType::f64, {}));
  EXPECT_TENSOR_EQ(load_npy(sample("empty.npy")), expected(DType::u8, {0, 5}));
}

TEST(Npy, SavedBytesEqualNumPys) {
  // np.save of a C-order little-endian array is byte-for-byte what npy_encode writes.
  for (DType dt : kAll)
    EXPECT_EQ(npy_encode(expected(dt, {3, 4})), read_bytes(sample(std::string(dtype_name(dt)) + ".npy"))) << dtype_name(dt);
  EXPECT_EQ(npy_encode(expected(DType::f64, {})), read_bytes(sample("scalar.npy")));
  EXPECT_EQ(npy_encode(expected(DType::u8, {0, 5})), read_bytes(sample("empty.npy")));
}

TEST(Npy, RoundTripEveryDtypeAndViews) {
  TempDir dir;
  for (DType dt : kAll) {
    SCOPED_TRACE(dtype_name(dt));
    const Tensor t = expected(dt, {4, 5, 6});
    const std::string path = dir.path(std::string(dtype_name(dt)) + ".npy");
    save_npy(path, t);
    EXPECT_TENSOR_EQ(load_npy(path), t);
    for (const Tensor& view : {t.permute({2, 0, 1}), t.index({Slice(1, 4), Slice(None, None, 2), 3}),
                               t.index({Slice(None, None, -1)}), t.select(1, 2)}) {
      save_npy(path, view);
      EXPECT_TENSOR_EQ(load_npy(path), view.contiguous());
    }
    EXPECT_TENSOR_EQ(npy_decode(npy_encode(t.flatten())), t.flatten());
  }
}

TEST(Npy, HeaderAlignedTo64) {
  for (const Shape& s : {Shape{}, Shape{7}, Shape{1, 2, 3, 4, 5, 6, 7}}) {
    const std::string b = npy_encode(zeros(s, DType::f32));
    const size_t header_len = static_cast<unsigned char>(b[8]) | static_cast<unsigned char>(b[9]) << 8;
    EXPECT_EQ((10 + header_len) % 64, 0u);
    EXPECT_EQ(b[10 + header_len - 1], '\n');
  }
}

std::string with_header(const std::string& dict, const std::string& data = std::string(48, '\0'), int major = 1) {
  std::string out("\x93NUMPY", 6);
  out += static_cast<char>(major);
  out += '\0';
  out += static_cast<char>(dict.size() & 255);
  out += static_cast<char>(dict.size() >> 8);
  return out + dict + data;
}

TEST(Npy, MalformedFiles) {
  const std::string ok = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }";
  EXPECT_TENSOR_EQ(npy_decode(with_header(ok)), zeros({3, 4}, DType::f32));
  EXPECT_THROW_MSG(npy_decode("PK\x03\x04 not npy at all", "a.npz"), "a.npz: not a .npy file (bad magic");
  EXPECT_THROW_MSG(npy_decode("", "e.npy"), "e.npy: not a .npy file");
  EXPECT_THROW_MSG(npy_decode(with_header(ok, std::string(48, '\0'), 4), "v.npy"), "v.npy: unsupported .npy format version 4.0");
  EXPECT_THROW_MSG(npy_decode(with_header(ok).substr(0, 30), "h.npy"), "h.npy: header length 59 goes beyond the end of the file");
  EXPECT_THROW_MSG(npy_decode(with_header("{'descr': '<f4', 'fortran_order': Maybe, 'shape': (3,)}")), "unparsable header dict (expected True or False");
  EXPECT_THROW_MSG(npy_decode(with_header("not a dict")), "unparsable header dict");
  EXPECT_THROW_MSG(npy_decode(with_header("{'descr': '<f4', 'shape': (3,)}")), "lacks 'fortran_order'");
  EXPECT_THROW_MSG(npy_decode(with_header("{'descr': '<c8', 'fortran_order': False, 'shape': (3,)}")), "unsupported dtype '<c8' (complex numbers");
  EXPECT_THROW_MSG(npy_decode(with_header("{'descr': '|O', 'fortran_order': False, 'shape': (3,)}")), "unsupported dtype '|O' (Python objects");
  EXPECT_THROW_MSG(npy_decode(with_header("{'descr': '<u4', 'fortran_order': False, 'shape': (3,)}")), "unsupported dtype '<u4'");
  EXPECT_THROW_MSG(npy_decode(with_header("{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': (3,)}")), "structured dtypes");
  EXPECT_THROW_MSG(npy_decode(with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (5, 4), }"), "short.npy"),
                   "short.npy: data is shorter than shape [5, 4] needs (80 bytes of float32, file has 48)");
  EXPECT_THROW_MSG(npy_decode(with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (-3, 4), }")), "negative dimension -3");
  EXPECT_THROW_MSG(npy_decode(with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296, 16), }")),
                   "is too large");
  EXPECT_THROW_MSG(npy_decode(with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000, 1000000), }")),
                   "data is shorter than shape [1000000, 1000000]");
  EXPECT_THROW_MSG(npy_decode(with_header("{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }", std::string("\x01\x07\x00", 3))),
                   "bool array holds byte value 7");
  EXPECT_THROW_MSG(load_npy("/nonexistent/x.npy"), "load_npy: cannot open /nonexistent/x.npy");
  EXPECT_THROW_MSG(save_npy("/nonexistent/x.npy", zeros({2})), "save_npy: cannot write /nonexistent/x.npy");
}

}  // namespace
