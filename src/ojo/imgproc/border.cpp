#include "ojo/imgproc/border.hpp"

namespace ojo {

int64_t borderInterpolate(int64_t p, int64_t len, int border) {
  if (p >= 0 && p < len) return p;
  switch (border & ~BORDER_ISOLATED) {
    case BORDER_CONSTANT: return -1;
    case BORDER_REPLICATE: return p < 0 ? 0 : len - 1;
    case BORDER_WRAP:
      p %= len;
      return p < 0 ? p + len : p;
    case BORDER_REFLECT:
    case BORDER_REFLECT_101: {
      if (len == 1) return 0;
      const int64_t delta = (border & ~BORDER_ISOLATED) == BORDER_REFLECT_101 ? 1 : 0;
      do {  // bounce between the edges until p lands inside
        if (p < 0) p = -p - 1 + delta;
        else p = len - 1 - (p - len) - delta;
      } while (p < 0 || p >= len);
      return p;
    }
  }
  fail("borderInterpolate", "unknown border type ", border,
       " (expected BORDER_CONSTANT, BORDER_REPLICATE, BORDER_REFLECT, BORDER_WRAP or BORDER_REFLECT_101)");
}

int64_t check_image(const Tensor& img, const char* op) {
  if (!img.defined()) fail(op, "image is undefined");
  if (img.dim() != 2 && img.dim() != 3)
    fail(op, "expected an image shaped {H, W} or {H, W, C}, got shape ", shape_str(img.shape()));
  if (img.numel() == 0) fail(op, "image is empty (shape ", shape_str(img.shape()), ")");
  const int64_t channels = img.dim() == 3 ? img.size(2) : 1;
  if (channels < 1 || channels > 4)
    fail(op, "expected 1 to 4 channels, got ", channels, " (shape ", shape_str(img.shape()), ")");
  return channels;
}

Tensor copyMakeBorder(const Tensor& src, int64_t top, int64_t bottom, int64_t left, int64_t right, int border,
                      const std::vector<double>& value) {
  const int64_t channels = check_image(src, "copyMakeBorder");
  if (top < 0 || bottom < 0 || left < 0 || right < 0)
    fail("copyMakeBorder", "border sizes must be >= 0, got top=", top, " bottom=", bottom, " left=", left,
         " right=", right);
  const int kind = border & ~BORDER_ISOLATED;
  borderInterpolate(-1, 1, kind);  // validates the border type
  const int64_t h = src.size(0), w = src.size(1);
  Shape shape = src.shape();
  shape[0] = h + top + bottom;
  shape[1] = w + left + right;
  Tensor out = Tensor::empty(shape, src.dtype());
  if (kind == BORDER_CONSTANT) {
    std::vector<double> colour(channels, 0.0);
    for (size_t c = 0; c < value.size() && c < colour.size(); ++c) colour[c] = value[c];
    if (src.dim() == 2) out.fill_(colour[0]);
    else out.fill_(colour);
    out.index({Slice(top, top + h), Slice(left, left + w)}).copy_(src);
    return out;
  }
  // Each output row copies a source row chosen by the border rule; within it, each column likewise.
  const Tensor padded_cols = Tensor::empty([&] { Shape s = src.shape(); s[1] = shape[1]; return s; }(), src.dtype());
  padded_cols.index({Slice(), Slice(left, left + w)}).copy_(src);
  for (int64_t x = 0; x < shape[1]; ++x) {
    if (x >= left && x < left + w) continue;
    padded_cols.select(1, x).copy_(src.select(1, borderInterpolate(x - left, w, kind)));
  }
  for (int64_t y = 0; y < shape[0]; ++y)
    out.select(0, y).copy_(padded_cols.select(0, borderInterpolate(y - top, h, kind)));
  return out;
}

}  // namespace ojo
