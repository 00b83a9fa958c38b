// amin / amax / sum / mean over a whole tensor or along one dimension (np.amin, np.amax, ...).
#include <cmath>
#include <limits>

#include "ojo/core/strided.hpp"
#include "ojo/core/tensor.hpp"

namespace ojo {

namespace {
enum class Reduction { min, max, sum };

// Reduces every element of `t` to a double. NaN propagates through min and max, as NumPy's.
double reduce_all(const Tensor& t, Reduction kind, const char* op) {
  if (!t.defined()) fail(op, "tensor is undefined");
  if (kind != Reduction::sum && t.numel() == 0)
    fail(op, "zero-size array to reduction operation which has no identity (shape ", shape_str(t.shape()), ")");
  return visit_dtype(t.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* base = static_cast<const T*>(t.raw_data()) - t.offset();
    double acc = kind == Reduction::min   ? std::numeric_limits<double>::infinity()
                 : kind == Reduction::max ? -std::numeric_limits<double>::infinity()
                                          : 0.0;
    for_each_row<1>(t.shape(), {&t.strides()}, {t.offset()}, [&](auto off, int64_t n, auto step) {
      const T* p = base + off[0];
      for (int64_t i = 0; i < n; ++i) {
        const double v = static_cast<double>(p[i * step[0]]);
        switch (kind) {
          case Reduction::min: acc = (v < acc || std::isnan(v)) && !std::isnan(acc) ? v : acc; break;
          case Reduction::max: acc = (v > acc || std::isnan(v)) && !std::isnan(acc) ? v : acc; break;
          case Reduction::sum: acc += v; break;
        }
      }
    });
    return acc;
  });
}

// Applies a whole-tensor reduction to every slice along `dim`; the result has that dimension
// removed (or kept as size 1).
Tensor reduce_dim(const Tensor& t, int64_t dim, bool keepdim, DType out_dtype, const char* op,
                  double (*reduce)(const Tensor&)) {
  if (!t.defined()) fail(op, "tensor is undefined");
  const int64_t nd = t.dim();
  if (dim < -nd || dim >= nd)
    fail(op, "dimension out of range (expected to be in range of [", -nd, ", ", nd - 1, "], but got ", dim, ")");
  if (dim < 0) dim += nd;
  // Move `dim` last so that each output element reduces one row.
  std::vector<int64_t> order;
  for (int64_t d = 0; d < nd; ++d)
    if (d != dim) order.push_back(d);
  order.push_back(dim);
  const Tensor moved = t.permute(order);
  Shape out_shape(moved.shape().begin(), moved.shape().end() - 1);
  const int64_t rows = shape_numel(out_shape);
  const Tensor rows_view = moved.reshape({rows, t.size(dim)});
  Tensor out = Tensor::empty(out_shape, DType::f64);
  double* values = out.data<double>();
  for (int64_t r = 0; r < rows; ++r) values[r] = reduce(rows_view[r]);
  Tensor result = out_dtype == DType::f64 ? out : out.to(out_dtype);
  return keepdim ? result.unsqueeze(dim) : result;
}
}  // namespace

double amin(const Tensor& t) { return reduce_all(t, Reduction::min, "amin"); }
double amax(const Tensor& t) { return reduce_all(t, Reduction::max, "amax"); }
double sum(const Tensor& t) { return reduce_all(t, Reduction::sum, "sum"); }
double mean(const Tensor& t) {
  if (t.defined() && t.numel() == 0) return std::numeric_limits<double>::quiet_NaN();  // as NumPy
  return reduce_all(t, Reduction::sum, "mean") / static_cast<double>(t.numel());
}

Tensor amin(const Tensor& t, int64_t dim, bool keepdim) {
  return reduce_dim(t, dim, keepdim, t.dtype(), "amin", [](const Tensor& r) { return amin(r); });
}
Tensor amax(const Tensor& t, int64_t dim, bool keepdim) {
  return reduce_dim(t, dim, keepdim, t.dtype(), "amax", [](const Tensor& r) { return amax(r); });
}
Tensor sum(const Tensor& t, int64_t dim, bool keepdim) {
  return reduce_dim(t, dim, keepdim, DType::f64, "sum", [](const Tensor& r) { return sum(r); });
}
Tensor mean(const Tensor& t, int64_t dim, bool keepdim) {
  return reduce_dim(t, dim, keepdim, DType::f64, "mean", [](const Tensor& r) { return mean(r); });
}

std::vector<ChannelStats> channel_stats(const Tensor& image) {
  if (!image.defined()) fail("channel_stats", "image is undefined");
  if (image.dim() != 2 && image.dim() != 3)
    fail("channel_stats", "expected an image shaped {H, W} or {H, W, C}, got shape ", shape_str(image.shape()));
  if (image.numel() == 0) fail("channel_stats", "image is empty (shape ", shape_str(image.shape()), ")");
  if (image.dim() == 2) return {{amin(image), amax(image), mean(image)}};
  std::vector<ChannelStats> stats;
  for (int64_t c = 0; c < image.size(2); ++c) {
    const Tensor channel = image.select(2, c);
    stats.push_back({amin(channel), amax(channel), mean(channel)});
  }
  return stats;
}

}  // namespace ojo
