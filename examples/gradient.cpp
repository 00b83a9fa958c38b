// The guide's §8 exercise: an image that goes from red on the left to white on the right.
// Red stays 255 while green and blue grow with x, from 0 in the first column to 255 in the last.
//
// The guide's NumPy version:
//   gradient = np.zeros((height, width, 3), dtype=np.uint8)
//   for x in range(width):
//       v = 255 * x // (width - 1)
//       gradient[:, x] = (255, v, v)
//
// Usage: example_gradient [OUT.png] [--width W] [--height H]     (default gradient.png, 640x480)
// Prints the shape and amin/amax, and checks its own result: exits 1 if any invariant fails.
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>

#include "ojo/core/tensor.hpp"
#include "ojo/io/image.hpp"

using ojo::Slice;
using ojo::Tensor;

namespace {

Tensor red_to_white(int64_t height, int64_t width) {
  Tensor gradient = ojo::zeros({height, width, 3}, ojo::DType::u8);
  for (int64_t x = 0; x < width; ++x) {
    const double v = static_cast<double>(255 * x / (width - 1));
    gradient.index({Slice(), x}).fill_({255, v, v});  // gradient[:, x] = (255, v, v)
  }
  return gradient;
}

// R == 255 everywhere, G == B, G non-decreasing along x and the same in every row, 0 in the first
// column and 255 in the last. Returns the first violation, or "" if none.
std::string check_gradient(const Tensor& g) {
  const int64_t height = g.size(0), width = g.size(1);
  for (int64_t y = 0; y < height; ++y) {
    for (int64_t x = 0; x < width; ++x) {
      const int r = g.at<uint8_t>(y, x, 0), gr = g.at<uint8_t>(y, x, 1), b = g.at<uint8_t>(y, x, 2);
      const std::string at = " at y=" + std::to_string(y) + ", x=" + std::to_string(x);
      if (r != 255) return "red is " + std::to_string(r) + at;
      if (gr != b) return "green " + std::to_string(gr) + " != blue " + std::to_string(b) + at;
      if (gr != g.at<uint8_t>(0, x, 1)) return "column differs from row 0" + at;
      if (x > 0 && gr < g.at<uint8_t>(y, x - 1, 1)) return "green decreases" + at;
    }
    if (g.at<uint8_t>(y, 0, 1) != 0) return "first column is not red in row " + std::to_string(y);
    if (g.at<uint8_t>(y, width - 1, 1) != 255) return "last column is not white in row " + std::to_string(y);
  }
  return "";
}

int64_t parse_side(const std::string& name, const char* text) {
  char* end = nullptr;
  const long long v = std::strtoll(text, &end, 10);
  if (*text == '\0' || *end != '\0' || v < 1 || v > 65535) {
    std::cerr << "example_gradient: " << name << " must be an integer in 1..65535, got '" << text << "'\n";
    std::exit(2);
  }
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  std::string path = "gradient.png";
  int64_t width = 640, height = 480;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if ((arg == "--width" || arg == "--height") && i + 1 < argc) {
      (arg == "--width" ? width : height) = parse_side(arg, argv[++i]);
    } else if (arg.starts_with("-")) {
      std::cerr << "usage: example_gradient [OUT.png] [--width W] [--height H]\n";
      return 2;
    } else {
      path = arg;
    }
  }
  if (width < 2) {
    std::cerr << "example_gradient: --width must be at least 2 (first column red, last column white)\n";
    return 2;
  }
  try {
    const Tensor gradient = red_to_white(height, width);
    ojo::imwrite(path, gradient);
    std::cout << "wrote " << path << ": shape " << ojo::shape_str(gradient.shape()) << ", amin "
              << ojo::amin(gradient) << ", amax " << ojo::amax(gradient) << "\n";
    if (const std::string problem = check_gradient(gradient); !problem.empty()) {
      std::cerr << "example_gradient: FAILED: " << problem << "\n";
      return 1;
    }
    // What was written must read back identically (PNG is lossless; JPEG would not be).
    if (path.ends_with(".png") && !ojo::imread(path).equal(gradient)) {
      std::cerr << "example_gradient: FAILED: " << path << " does not read back as written\n";
      return 1;
    }
    std::cout << "ok: red stays 255, green = blue rise from 0 to 255 along x\n";
  } catch (const std::exception& e) {
    std::cerr << "example_gradient: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
