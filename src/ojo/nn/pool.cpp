// Pooling: max_pool2d (with the indices its backward scatters to), avg_pool2d, adaptive_avg_pool2d.
// Each (sample, channel) plane is independent: planes run in parallel, windows in a fixed order.
// Window rules and output sizes are PyTorch's (pooling_output_shape, cpu_max_pool, cpu_avg_pool).
#include <algorithm>
#include <cmath>
#include <limits>

#include "../tensor/kernels.hpp"
#include "pool_fast.hpp"
#include "ojo/autograd/autograd.hpp"
#include "ojo/core/parallel.hpp"
#include "ojo/nn/functional.hpp"
#include "ojo/nn/module.hpp"

namespace ojo::nn {

namespace {

struct PoolGeometry {
  int64_t planes, h, w, oh, ow;
  int64_t kh, kw, sh, sw, ph, pw, dh, dw;
};

int64_t pooled_size(int64_t in, int64_t k, int64_t pad, int64_t stride, int64_t dil, bool ceil_mode) {
  const int64_t span = in + 2 * pad - dil * (k - 1) - 1 + (ceil_mode ? stride - 1 : 0);
  int64_t out = (span >= 0 ? span / stride : -((-span + stride - 1) / stride)) + 1;
  // With ceil_mode the last window must start inside the input or its left padding.
  if (ceil_mode && (out - 1) * stride >= in + pad) --out;
  return out;
}

// Validates and describes a pooling of `x` ({N, C, H, W} or {C, H, W}).
PoolGeometry pool_geometry(const char* op, const Tensor& x, Size2 k, std::optional<Size2> stride, Size2 pad,
                           Size2 dil, bool ceil_mode) {
  if (!(x.dim() == 3 || x.dim() == 4)) fail(op, "Expected 3D or 4D (batch mode) tensor for input, got shape ",
        shape_str(x.shape()));
  check(is_floating(x.dtype()), op, "expected a float tensor, got ", dtype_name(x.dtype()));
  const Size2 s = stride.value_or(k);
  check(k.h > 0 && k.w > 0, op, "kernel size should be greater than zero, but got kH: ", k.h, " kW: ", k.w);
  check(s.h > 0 && s.w > 0, op, "stride should be greater than zero, but got dH: ", s.h, " dW: ", s.w);
  check(dil.h > 0 && dil.w > 0, op, "dilation should be greater than zero, but got dilationH: ", dil.h,
        " dilationW: ", dil.w);
  check(pad.h >= 0 && pad.w >= 0 && pad.h <= k.h / 2 && pad.w <= k.w / 2, op,
        "pad should be smaller than or equal to half of kernel size, but got padW = ", pad.w, ", padH = ", pad.h,
        ", kW = ", k.w, ", kH = ", k.h);
  PoolGeometry g{};
  g.h = x.size(-2), g.w = x.size(-1);
  g.planes = 1;
  for (int64_t d = 0; d + 2 < x.dim(); ++d) g.planes *= x.size(d);
  g.kh = k.h, g.kw = k.w, g.sh = s.h, g.sw = s.w, g.ph = pad.h, g.pw = pad.w, g.dh = dil.h, g.dw = dil.w;
  g.oh = pooled_size(g.h, k.h, pad.h, s.h, dil.h, ceil_mode);
  g.ow = pooled_size(g.w, k.w, pad.w, s.w, dil.w, ceil_mode);
  if (g.oh < 1 || g.ow < 1)
    fail(op, "Given input size: (", x.size(-3), "x", g.h, "x", g.w, "). Calculated output size: (", x.size(-3), "x",
         g.oh, "x", g.ow, "). Output size is too small");
  return g;
}

Shape pooled_shape(const Tensor& x, int64_t oh, int64_t ow) {
  Shape s = x.shape();
  s[s.size() - 2] = oh, s[s.size() - 1] = ow;
  return s;
}

template <class T>
void max_pool_plane(const T* x, T* y, int64_t* idx, const PoolGeometry& g) {
  for (int64_t oy = 0; oy < g.oh; ++oy)
    for (int64_t ox = 0; ox < g.ow; ++ox) {
      int64_t y0 = oy * g.sh - g.ph, x0 = ox * g.sw - g.pw;
      const int64_t y1 = std::min(y0 + (g.kh - 1) * g.dh + 1, g.h), x1 = std::min(x0 + (g.kw - 1) * g.dw + 1, g.w);
      while (y0 < 0) y0 += g.dh;
      while (x0 < 0) x0 += g.dw;
      int64_t best = y0 * g.w + x0;
      T best_v = -std::numeric_limits<T>::infinity();
      for (int64_t iy = y0; iy < y1; iy += g.dh)
        for (int64_t ix = x0; ix < x1; ix += g.dw) {
          const T v = x[iy * g.w + ix];
          if (v > best_v || std::isnan(v)) best_v = v, best = iy * g.w + ix;
        }
      y[oy * g.ow + ox] = best_v;
      idx[oy * g.ow + ox] = best;
    }
}

// The guide's MaxPool2d(2): 2×2 windows, stride 2, no padding or dilation, every window inside
// the input. Same order of comparison as max_pool_plane (row by row, the first maximum wins, a NaN
// always wins), unrolled.
bool is_plain_2x2(const PoolGeometry& g) {
  return g.kh == 2 && g.kw == 2 && g.sh == 2 && g.sw == 2 && g.ph == 0 && g.pw == 0 && g.dh == 1 && g.dw == 1 &&
         2 * g.oh <= g.h && 2 * g.ow <= g.w;
}

template <class T>
void max_pool_plane_2x2(const T* x, T* y, int64_t* idx, const PoolGeometry& g) {
  if constexpr (std::is_same_v<T, float>) return pool_detail::max_pool_2x2(x, g.w, g.oh, g.ow, y, idx);
  for (int64_t oy = 0; oy < g.oh; ++oy) {
    const int64_t row = 2 * oy * g.w;
    const T *r0 = x + row, *r1 = r0 + g.w;
    for (int64_t ox = 0; ox < g.ow; ++ox) {
      const int64_t c = 2 * ox;
      T best = r0[c];
      int64_t at = 0;  // window position 0..3; selects instead of branches (random data mispredicts)
      auto take = [&](T v, int64_t position) {
        const bool wins = v > best || v != v;
        best = wins ? v : best;
        at = wins ? position : at;
      };
      take(r0[c + 1], 1);
      take(r1[c], 2);
      take(r1[c + 1], 3);
      y[oy * g.ow + ox] = best;
      idx[oy * g.ow + ox] = row + c + (at & 1) + (at >> 1) * g.w;
    }
  }
}

// The reference: every window position tested against the input bounds, no start adjustment.
template <class T>
void max_pool_plane_reference(const T* x, T* y, int64_t* idx, const PoolGeometry& g) {
  for (int64_t oy = 0; oy < g.oh; ++oy)
    for (int64_t ox = 0; ox < g.ow; ++ox) {
      T best_v = -std::numeric_limits<T>::infinity();
      int64_t best = -1;
      for (int64_t i = 0; i < g.kh; ++i)
        for (int64_t j = 0; j < g.kw; ++j) {
          const int64_t iy = oy * g.sh - g.ph + i * g.dh, ix = ox * g.sw - g.pw + j * g.dw;
          if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) continue;
          const T v = x[iy * g.w + ix];
          if (best < 0 || v > best_v || std::isnan(v)) best_v = v, best = iy * g.w + ix;
        }
      y[oy * g.ow + ox] = best_v;
      idx[oy * g.ow + ox] = best;
    }
}

// Average-pool window of output (oy, ox), clipped to the input; `divisor` as PyTorch computes it.
struct AvgWindow {
  int64_t y0, y1, x0, x1, divisor;
};
AvgWindow avg_window(const PoolGeometry& g, int64_t oy, int64_t ox, bool count_include_pad,
                     std::optional<int64_t> divisor_override) {
  int64_t y0 = oy * g.sh - g.ph, x0 = ox * g.sw - g.pw;
  int64_t y1 = std::min(y0 + g.kh, g.h + g.ph), x1 = std::min(x0 + g.kw, g.w + g.pw);
  const int64_t pool_size = (y1 - y0) * (x1 - x0);
  y0 = std::max<int64_t>(y0, 0), x0 = std::max<int64_t>(x0, 0);
  y1 = std::min(y1, g.h), x1 = std::min(x1, g.w);
  const int64_t divisor = divisor_override ? *divisor_override : count_include_pad ? pool_size : (y1 - y0) * (x1 - x0);
  return {y0, y1, x0, x1, divisor};
}

template <class F>
void for_planes(int64_t planes, int64_t work_per_plane, F&& f) {
  parallel_for(0, planes, std::max<int64_t>(1, 16384 / std::max<int64_t>(work_per_plane, 1)),
               [&](int64_t lo, int64_t hi) {
                 for (int64_t p = lo; p < hi; ++p) f(p);
               });
}

}  // namespace

namespace functional {

std::pair<Tensor, Tensor> max_pool2d_with_indices(const Tensor& input, Size2 kernel_size, std::optional<Size2> stride,
                                                  Size2 padding, Size2 dilation, bool ceil_mode, bool reference) {
  const char* op = "max_pool2d";
  check(input.defined(), op, "input is undefined");
  const PoolGeometry g = pool_geometry(op, input, kernel_size, stride, padding, dilation, ceil_mode);
  const Tensor x = input.detach().contiguous();
  const Shape out_shape = pooled_shape(x, g.oh, g.ow);
  Tensor y = Tensor::empty(out_shape, x.dtype());
  Tensor idx = Tensor::empty(out_shape, DType::i64);
  kernels::visit_float(x.dtype(), op, [&](auto tag) {
    using T = decltype(tag);
    const T* px = x.data<T>();
    T* py = y.data<T>();
    int64_t* pi = idx.data<int64_t>();
    for_planes(g.planes, g.oh * g.ow * g.kh * g.kw, [&](int64_t p) {
      const int64_t in = p * g.h * g.w, out = p * g.oh * g.ow;
      if (reference) max_pool_plane_reference(px + in, py + out, pi + out, g);
      else if (is_plain_2x2(g)) max_pool_plane_2x2(px + in, py + out, pi + out, g);
      else max_pool_plane(px + in, py + out, pi + out, g);
    });
  });
  y = record("MaxPool2DWithIndicesBackward0", y, {input}, [idx, g, in_shape = x.shape()](const Tensor& grad) {
    const Tensor gy = grad.contiguous();
    Tensor gx = Tensor::empty(in_shape, gy.dtype());
    kernels::visit_float(gy.dtype(), "max_pool2d backward", [&](auto tag) {
      using T = decltype(tag);
      const T* pg = gy.data<T>();
      const int64_t* pi = idx.data<int64_t>();
      T* px = gx.data<T>();
      for_planes(g.planes, g.h * g.w, [&](int64_t p) {  // each plane zeroed where it is scattered into
        const int64_t out = p * g.oh * g.ow;
        T* plane = px + p * g.h * g.w;
        std::fill(plane, plane + g.h * g.w, T(0));
        for (int64_t i = 0; i < g.oh * g.ow; ++i) plane[pi[out + i]] += pg[out + i];
      });
    });
    return std::vector<Tensor>{gx};
  });
  return {y, idx};
}

Tensor max_pool2d(const Tensor& input, Size2 kernel_size, std::optional<Size2> stride, Size2 padding, Size2 dilation,
                  bool ceil_mode, bool reference) {
  if (!reference && input.defined() && input.dtype() == DType::f32 && !any_requires_grad({input})) {
    // Nothing will go backward: the guide's 2×2 pooling skips the indices.
    const PoolGeometry g = pool_geometry("max_pool2d", input, kernel_size, stride, padding, dilation, ceil_mode);
    if (is_plain_2x2(g)) {
      const Tensor x = input.contiguous();
      Tensor y = Tensor::empty(pooled_shape(x, g.oh, g.ow), x.dtype());
      const float* px = x.data<float>();
      float* py = y.data<float>();
      for_planes(g.planes, g.oh * g.ow * 4, [&](int64_t p) {
        pool_detail::max_pool_2x2(px + p * g.h * g.w, g.w, g.oh, g.ow, py + p * g.oh * g.ow, nullptr);
      });
      return y;
    }
  }
  return max_pool2d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode, reference).first;
}

Tensor avg_pool2d(const Tensor& input, Size2 kernel_size, std::optional<Size2> stride, Size2 padding, bool ceil_mode,
                  bool count_include_pad, std::optional<int64_t> divisor_override) {
  const char* op = "avg_pool2d";
  check(input.defined(), op, "input is undefined");
  check(!divisor_override || *divisor_override != 0, op, "divisor must be not zero");
  const PoolGeometry g = pool_geometry(op, input, kernel_size, stride, padding, 1, ceil_mode);
  const Tensor x = input.detach().contiguous();
  Tensor y = Tensor::empty(pooled_shape(x, g.oh, g.ow), x.dtype());
  kernels::visit_float(x.dtype(), op, [&](auto tag) {
    using T = decltype(tag);
    const T* px = x.data<T>();
    T* py = y.data<T>();
    for_planes(g.planes, g.oh * g.ow * g.kh * g.kw, [&](int64_t p) {
      const T* plane = px + p * g.h * g.w;
      T* out = py + p * g.oh * g.ow;
      for (int64_t oy = 0; oy < g.oh; ++oy)
        for (int64_t ox = 0; ox < g.ow; ++ox) {
          const AvgWindow win = avg_window(g, oy, ox, count_include_pad, divisor_override);
          T sum = 0;
          for (int64_t iy = win.y0; iy < win.y1; ++iy)
            for (int64_t ix = win.x0; ix < win.x1; ++ix) sum += plane[iy * g.w + ix];
          out[oy * g.ow + ox] = (win.y0 >= win.y1 || win.x0 >= win.x1) ? T(0) : sum / T(win.divisor);
        }
    });
  });
  return record("AvgPool2DBackward0", y, {input},
                [g, count_include_pad, divisor_override, in_shape = x.shape()](const Tensor& grad) {
                  const Tensor gy = grad.contiguous();
                  Tensor gx = zeros(in_shape, gy.dtype());
                  kernels::visit_float(gy.dtype(), "avg_pool2d backward", [&](auto tag) {
                    using T = decltype(tag);
                    const T* pg = gy.data<T>();
                    T* px = gx.data<T>();
                    for_planes(g.planes, g.oh * g.ow * g.kh * g.kw, [&](int64_t p) {
                      T* plane = px + p * g.h * g.w;
                      const T* go = pg + p * g.oh * g.ow;
                      for (int64_t oy = 0; oy < g.oh; ++oy)
                        for (int64_t ox = 0; ox < g.ow; ++ox) {
                          const AvgWindow win = avg_window(g, oy, ox, count_include_pad, divisor_override);
                          const T share = go[oy * g.ow + ox] / T(win.divisor);
                          for (int64_t iy = win.y0; iy < win.y1; ++iy)
                            for (int64_t ix = win.x0; ix < win.x1; ++ix) plane[iy * g.w + ix] += share;
                        }
                    });
                  });
                  return std::vector<Tensor>{gx};
                });
}

Tensor adaptive_avg_pool2d(const Tensor& input, Size2 output_size) {
  const char* op = "adaptive_avg_pool2d";
  check(input.defined(), op, "input is undefined");
  if (!(input.dim() == 3 || input.dim() == 4)) fail(op, "Expected 3D or 4D tensor, but got shape ", shape_str(input.shape()));
  check(is_floating(input.dtype()), op, "expected a float tensor, got ", dtype_name(input.dtype()));
  if (!(output_size.h >= 0 && output_size.w >= 0))
    fail(op, "output size must be non-negative, got ", py_tuple({output_size.h, output_size.w}));
  for (int64_t d = 1; d < input.dim(); ++d)
    if (!(input.size(d) > 0)) fail(op, "Expected input to have non-zero size for non-batch dimensions, but input has sizes ",
          shape_str(input.shape()));
  const Tensor x = input.detach().contiguous();
  const int64_t h = x.size(-2), w = x.size(-1), oh = output_size.h, ow = output_size.w;
  const int64_t planes = x.numel() / (h * w);
  // Window of output o: [floor(o·I/O), ceil((o+1)·I/O)).
  auto start = [](int64_t o, int64_t in, int64_t out) { return (o * in) / out; };
  auto end = [](int64_t o, int64_t in, int64_t out) { return ((o + 1) * in + out - 1) / out; };
  Tensor y = Tensor::empty(pooled_shape(x, oh, ow), x.dtype());
  kernels::visit_float(x.dtype(), op, [&](auto tag) {
    using T = decltype(tag);
    const T* px = x.data<T>();
    T* py = y.data<T>();
    for_planes(planes, h * w, [&](int64_t p) {
      const T* plane = px + p * h * w;
      for (int64_t oy = 0; oy < oh; ++oy)
        for (int64_t ox = 0; ox < ow; ++ox) {
          const int64_t y0 = start(oy, h, oh), y1 = end(oy, h, oh), x0 = start(ox, w, ow), x1 = end(ox, w, ow);
          T sum = 0;
          for (int64_t iy = y0; iy < y1; ++iy)
            for (int64_t ix = x0; ix < x1; ++ix) sum += plane[iy * w + ix];
          py[(p * oh + oy) * ow + ox] = sum / T((y1 - y0) * (x1 - x0));
        }
    });
  });
  return record("AdaptiveAvgPool2DBackward0", y, {input}, [=, in_shape = x.shape()](const Tensor& grad) {
    const Tensor gy = grad.contiguous();
    Tensor gx = zeros(in_shape, gy.dtype());
    kernels::visit_float(gy.dtype(), "adaptive_avg_pool2d backward", [&](auto tag) {
      using T = decltype(tag);
      const T* pg = gy.data<T>();
      T* px = gx.data<T>();
      for_planes(planes, h * w, [&](int64_t p) {
        T* plane = px + p * h * w;
        for (int64_t oy = 0; oy < oh; ++oy)
          for (int64_t ox = 0; ox < ow; ++ox) {
            const int64_t y0 = start(oy, h, oh), y1 = end(oy, h, oh), x0 = start(ox, w, ow), x1 = end(ox, w, ow);
            const T share = pg[(p * oh + oy) * ow + ox] / T((y1 - y0) * (x1 - x0));
            for (int64_t iy = y0; iy < y1; ++iy)
              for (int64_t ix = x0; ix < x1; ++ix) plane[iy * w + ix] += share;
          }
      });
    });
    return std::vector<Tensor>{gx};
  });
}

}  // namespace functional
}  // namespace ojo::nn
