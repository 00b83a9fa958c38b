// Shared vocabulary of the image operations: sizes, points, border modes and padding.
//
// Image operations use OpenCV's names and constants (cv::GaussianBlur -> ojo::GaussianBlur,
// cv::BORDER_REFLECT_101 -> ojo::BORDER_REFLECT_101) and return their result, as the Python
// bindings do: `Tensor blurred = ojo::GaussianBlur(img, {5, 5}, 0);`.
// Images are u8 (or other dtypes where OpenCV allows) tensors shaped {H, W} or {H, W, C}.
#pragma once

#include <cstdint>

#include "ojo/core/tensor.hpp"

namespace ojo {

// Width and height, in that order (cv::Size).
struct Size {
  int64_t width = 0, height = 0;
  bool operator==(const Size&) const = default;
};

// x (column) and y (row), in that order (cv::Point). {-1, -1} means "the kernel centre".
struct Point {
  int64_t x = -1, y = -1;
  bool operator==(const Point&) const = default;
};

// How pixels outside the image are made up (cv::BorderTypes). With `abcdefgh` the image row:
enum BorderTypes : int {
  BORDER_CONSTANT = 0,     // iiiiii|abcdefgh|iiiiiii  (a given value)
  BORDER_REPLICATE = 1,    // aaaaaa|abcdefgh|hhhhhhh
  BORDER_REFLECT = 2,      // fedcba|abcdefgh|hgfedcb
  BORDER_WRAP = 3,         // cdefgh|abcdefgh|abcdefg
  BORDER_REFLECT_101 = 4,  // gfedcb|abcdefgh|gfedcba
  BORDER_TRANSPARENT = 5,  // uvwxyz|abcdefgh|ijklmno  (the destination keeps its pixels; warpAffine only)
  BORDER_DEFAULT = BORDER_REFLECT_101,
  BORDER_ISOLATED = 16,    // flag: do not look outside a region of interest (ojo never does)
};

// Where coordinate p (possibly outside [0, len)) reads from, for `border` (cv::borderInterpolate).
// Returns -1 for BORDER_CONSTANT when p is outside. Throws for an unknown border.
int64_t borderInterpolate(int64_t p, int64_t len, int border);

// Pads an image (cv::copyMakeBorder): {H, W[, C]} -> {H+top+bottom, W+left+right[, C]}.
// `value` gives the BORDER_CONSTANT colour per channel (missing channels are 0).
Tensor copyMakeBorder(const Tensor& src, int64_t top, int64_t bottom, int64_t left, int64_t right, int border,
                      const std::vector<double>& value = {});

// Checks that `img` is an image: {H, W} or {H, W, C} with 1 <= C <= 4, not empty. Returns C.
// `op` names the caller in the error.
int64_t check_image(const Tensor& img, const char* op);

}  // namespace ojo
