// Shared helpers for ojo's GoogleTest suites (any layer may include this).
//
//   TempDir dir;                                  // unique folder under /tmp, removed at scope end
//   std::string p = dir.path("x.png");
//   EXPECT_THROW_MSG(ojo::imread("/nope.png"), "No such file");
//   cv::Mat m = to_cv(t);  Tensor t = from_cv(m); // share no memory: both copy
//   expect_equal_images(actual, expected);        // exact; prints the first mismatches
//
// OpenCV helpers (to_cv, from_cv, cv_imread_rgb, ...) are compiled only when <opencv2/core.hpp>
// is included before this file (every test binary links OpenCV; core tests need not include it).
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "ojo/core/tensor.hpp"

namespace ojo::test {

// Asserts that `statement` throws ojo::Error whose message contains `substring`.
#define EXPECT_THROW_MSG(statement, substring)                                                       \
  do {                                                                                               \
    try {                                                                                            \
      statement;                                                                                     \
      ADD_FAILURE() << "expected ojo::Error containing \"" << (substring) << "\", nothing thrown";   \
    } catch (const ::ojo::Error& e_) {                                                               \
      EXPECT_NE(std::string(e_.what()).find(substring), std::string::npos)                           \
          << "message \"" << e_.what() << "\" lacks \"" << (substring) << "\"";                      \
    } catch (const std::exception& e_) {                                                             \
      ADD_FAILURE() << "expected ojo::Error, got another exception: " << e_.what();                  \
    }                                                                                                \
  } while (0)

// A fresh directory under /tmp (or $TMPDIR), deleted with its contents when the object dies.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/ojo-test-XXXXXX";
    if (!mkdtemp(pattern.data())) throw std::runtime_error("TempDir: mkdtemp failed for " + pattern);
    dir_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::permissions(dir_, std::filesystem::perms::owner_all, std::filesystem::perm_options::add, ec);
    std::filesystem::remove_all(dir_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& str() const { return dir_; }
  std::string path(const std::string& name) const { return dir_ + "/" + name; }

 private:
  std::string dir_;
};

// The repository root: $OJO_SOURCE_DIR (set by ctest), else the source folder CMake compiled in.
// The compiled-in path matters when gtest_discover_tests lists parameterised cases read from data
// files: discovery runs without ctest's environment.
inline std::string source_dir() {
  const char* d = std::getenv("OJO_SOURCE_DIR");
  if (d && *d) return d;
  return OJO_TEST_SOURCE_DIR;
}

// scikit-image's sample photos (Debian package python3-skimage).
// The `ojo` binary: $OJO_BIN, or `ojo` beside the running test executable (both land in <build>/bin).
inline std::string ojo_bin() {
  if (const char* env = std::getenv("OJO_BIN")) return env;
  return (std::filesystem::read_symlink("/proc/self/exe").parent_path() / "ojo").string();
}

// Runs `ojo ARGS` through the shell, stdout to the file `out` and stderr to `err`; returns the
// exit code, or -1 when a signal ended it (never acceptable for ojo).
inline int run_ojo(const std::string& args, const std::string& out, const std::string& err) {
  const int status = std::system((ojo_bin() + " " + args + " >" + out + " 2>" + err).c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

inline std::string skimage_dir() { return "/usr/lib/python3/dist-packages/skimage/data"; }

inline std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("read_bytes: cannot open " + path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("write_bytes: cannot open " + path);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Files in `dir` whose extension (lower case, with the dot) is one of `exts`, sorted.
inline std::vector<std::string> list_files(const std::string& dir, const std::vector<std::string>& exts) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    std::string ext = e.path().extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const auto& want : exts)
      if (ext == want && e.is_regular_file()) out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Exact comparison of two tensors of any dtype: shape, dtype, then elements (compared as
// doubles), reporting the first few mismatches with their flat index and the count.
inline ::testing::AssertionResult tensors_equal(const Tensor& actual, const Tensor& expected) {
  if (actual.dtype() != expected.dtype())
    return ::testing::AssertionFailure() << "dtype " << dtype_name(actual.dtype()) << " vs expected "
                                         << dtype_name(expected.dtype());
  if (actual.shape() != expected.shape())
    return ::testing::AssertionFailure() << "shape " << shape_str(actual.shape()) << " vs expected "
                                         << shape_str(expected.shape());
  const Tensor a = actual.contiguous(), b = expected.contiguous();
  int64_t bad = 0;
  std::ostringstream first;
  double max_diff = 0;
  visit_dtype(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* pa = a.data<T>();
    const T* pb = b.data<T>();
    for (int64_t i = 0; i < a.numel(); ++i) {
      if (!(pa[i] == pb[i])) {
        if (bad < 5) first << "  [" << i << "] " << +pa[i] << " vs " << +pb[i] << "\n";
        const double d = static_cast<double>(pa[i]) - static_cast<double>(pb[i]);
        max_diff = std::max(max_diff, d < 0 ? -d : d);
        ++bad;
      }
    }
  });
  if (bad == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << bad << " of " << a.numel() << " elements differ (max |diff| " << max_diff
                                       << ", shape " << shape_str(a.shape()) << "), first:\n"
                                       << first.str();
}

#define EXPECT_TENSOR_EQ(actual, expected) EXPECT_TRUE(::ojo::test::tensors_equal((actual), (expected)))

#ifdef OPENCV_CORE_HPP
}  // namespace ojo::test
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "ojo/imgproc/types.hpp"
namespace ojo::test {

// OpenCV depth <-> dtype, through the library's own mapping (include/ojo/imgproc/types.hpp);
// bool tensors travel to OpenCV as 8-bit.
inline DType dtype_from_cv_depth(int depth) { return depth_dtype(depth, "dtype_from_cv_depth"); }
inline int cv_depth_of(DType t) { return t == DType::boolean ? CV_8U : dtype_depth(t, "cv_depth_of"); }

// Copies an {H, W} or {H, W, C} tensor into a cv::Mat with C channels (channel order unchanged).
inline cv::Mat to_cv(const Tensor& t) {
  if (t.dim() != 2 && t.dim() != 3) throw std::runtime_error("to_cv: expected {H, W} or {H, W, C}, got " + shape_str(t.shape()));
  const Tensor c = t.contiguous();
  const int channels = t.dim() == 3 ? static_cast<int>(t.size(2)) : 1;
  cv::Mat wrapped(static_cast<int>(t.size(0)), static_cast<int>(t.size(1)),
                  CV_MAKETYPE(cv_depth_of(t.dtype()), channels), c.raw_data());
  return wrapped.clone();
}

// Copies a cv::Mat into a tensor: {H, W} for one channel, {H, W, C} otherwise.
inline Tensor from_cv(const cv::Mat& m) {
  const cv::Mat c = m.isContinuous() ? m : m.clone();
  Shape shape = m.channels() == 1 ? Shape{m.rows, m.cols} : Shape{m.rows, m.cols, m.channels()};
  Tensor t = Tensor::empty(shape, dtype_from_cv_depth(m.depth()));
  std::memcpy(t.raw_data(), c.data, c.total() * c.elemSize());
  return t;
}

// cv::imread with OpenCV's channel order turned into ojo's (BGR -> RGB, BGRA -> RGBA).
inline cv::Mat cv_imread_rgb(const std::string& path, int flags) {
  cv::Mat m = cv::imread(path, flags);
  if (m.channels() == 3) cv::cvtColor(m, m, cv::COLOR_BGR2RGB);
  if (m.channels() == 4) cv::cvtColor(m, m, cv::COLOR_BGRA2RGBA);
  return m;
}

inline cv::Mat cv_imdecode_rgb(const std::string& bytes, int flags) {
  cv::Mat buf(1, static_cast<int>(bytes.size()), CV_8U, const_cast<char*>(bytes.data()));
  cv::Mat m = cv::imdecode(buf, flags);
  if (m.channels() == 3) cv::cvtColor(m, m, cv::COLOR_BGR2RGB);
  if (m.channels() == 4) cv::cvtColor(m, m, cv::COLOR_BGRA2RGBA);
  return m;
}

// ojo RGB(A) tensor -> OpenCV BGR(A) Mat, ready for cv::imwrite.
inline cv::Mat to_cv_bgr(const Tensor& t) {
  cv::Mat m = to_cv(t);
  if (m.channels() == 3) cv::cvtColor(m, m, cv::COLOR_RGB2BGR);
  if (m.channels() == 4) cv::cvtColor(m, m, cv::COLOR_RGBA2BGRA);
  return m;
}

// Exact image equality between an ojo result and an OpenCV one (same channel order assumed).
inline void expect_equal_images(const Tensor& actual, const cv::Mat& expected, const std::string& label = "") {
  ASSERT_FALSE(expected.empty()) << label << ": OpenCV returned an empty image";
  EXPECT_TRUE(tensors_equal(actual, from_cv(expected))) << label;
}
#endif

}  // namespace ojo::test
